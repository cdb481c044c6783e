/**
 * What kernels/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import kernels/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { CustomerKernel } from './customer-kernel';
export type { CustomerColumns } from './customer-kernel';
export {
  CustomerAccumulator,
  customerPartialOf,
  finishCustomers,
  initCustomers,
  keptBounds,
  mergeCustomers,
  readDaysAndAmounts,
  readTransactions,
  resolveCustomerOptions,
  RETURNS,
  streamedLines,
  summarizeCustomers,
} from './customer-partial';
export { checkOrderLogOptions, hasRepeatedTransactions, orderLog, rowAmounts } from './order-log';
export type { CustomerAggregates, CustomerPartial, CustomerPartialOptions } from './customer-partial';
export { emptyKeySet, keySetOf, KeyUnion, keyVector } from './key-set';
export { mergeOwnedOrder, ownedInt32Keys, ownedUtf8Keys } from './owned-keys';
export type { KeySet } from './key-set';
export { finishKeyTotals, initKeyTotals, KeyTotalsAccumulator, mergeKeyTotals, summarizeKeyTotals } from './key-totals';
export type { KeyTotals, KeyTotalsPartial } from './key-totals';
export { accumulatorOf } from './mergeable';
export type { AccumulatingAggregate, Accumulator, MergeableAggregate } from './mergeable';
export { CsvParser, DEFAULT_MAX_RECORD_BYTES } from './csv-parser';
export type { CsvSettings } from './csv-parser';
export {
  batchOf,
  ColumnBuilder,
  classifyValue,
  initialCapacity,
  noRowsBatch,
  refused,
  schemaOf,
  typeFromFits,
  typeWord,
} from './text-columns';
export type { ColumnType } from './text-columns';
export { FITS_ANY, utf8Valid } from './parse-bytes';
export { batchOfData, columnData } from './text-columns';
export { parseCsvRange } from './csv-range';
export type { CsvRangeInput, CsvRangeOutput, RangeColumn } from './csv-range';
