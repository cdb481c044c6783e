/**
 * What table/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import table/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { isAdmissible } from './admission';
export { asTable } from './as-table';
export type { DanfoLikeFrame, TableInput } from './as-table';
export { isAsyncSource } from './async-source';
export { codeArray, dateDayVector, labelVector, numberVector, stringVector, tableWithMetadata } from './build';
export { getColumn, isValidAt, TypeId, typeName } from './column';
export {
  DropCounter,
  dropCounter,
  droppedRows,
  droppedTotal,
  mergeDrops,
  META,
  NO_DROPS,
  partialDrops,
} from './dropped';
export type { DropReason, DropReport, PartialDrops } from './dropped';
export { ClienteleError, describeValue, isClienteleError } from './errors';
export { ioError } from './io-error';
export type { ErrorCode } from './errors';
export type { KeyType, LabelType } from './key-type';
export { deepFreeze } from './freeze';
export { grown, resized } from './grow';
export { moduleLocation } from './module-location';
export {
  checkOptions,
  integerRule,
  knownOptions,
  numberRule,
  oneOfRule,
  optionNames,
  optionValue,
  PARALLEL_OPTION_NAMES,
} from './options';
export { checkDateUnit, daysFromCivil, isoDate, NO_DATE, readDates, toEpochDay } from './read-dates';
export type { DateColumn, DateUnit } from './read-dates';
export { ByteKeyIndex, fnv1a, hashDouble, readKeys, readKeysVector, takeVector } from './read-keys';
export type { KeyColumn } from './read-keys';
export { readNumeric, readNumericVector } from './read-numeric';
export { hasOwnKey, nullRecord, ownValue, recordOf } from './safe-keys';
