import type { DataType, DateDay, Float64, Int32, RecordBatch, Table } from 'apache-arrow';
import type { KeyType } from '../table/internal';
import { dateDayVector, isoDate, META, numberVector, optionNames, tableWithMetadata } from '../table/internal';
import {
  CustomerAccumulator,
  finishCustomers,
  initCustomers,
  mergeCustomers,
  summarizeCustomers,
} from '../kernels/internal';
import type {
  AccumulatingAggregate,
  CustomerAggregates,
  CustomerPartial,
  CustomerPartialOptions,
} from '../kernels/internal';

/** Options of {@link customerSummary}: which columns hold what, and the reference date. */
export type CustomerSummaryOptions = CustomerPartialOptions;

export type { CustomerAggregates } from '../kernels/internal';

/**
 * Validates and reads a whole transaction table and aggregates it by customer in one pass over typed arrays: the
 * per-customer partial of all rows, finished. The shared core of {@link customerSummary} and `rfm`; drop rules
 * in `summarizeCustomers` (src/stream/customer-partial.ts).
 */
export function aggregateCustomers(input: unknown, options: CustomerSummaryOptions, fn: string): CustomerAggregates {
  return finishCustomers(summarizeCustomers(input, options, fn, false), options, fn);
}

/**
 * The per-customer summary as a mergeable aggregate: `summarize` a batch of transactions into per-customer count,
 * first and last day, compensated sum (the Neumaier sum and its compensation, merged as such) and sum of squares;
 * `merge` unites two partials in row order (b's new customers appended after a's, so the customers keep their
 * order of first appearance, and dropped-row counts and first rows add up as in one scan); `finish` builds the
 * {@link customerSummary} table — the same table as on all rows at once, `droppedRows` included.
 *
 * Cost: `summarize` O(rows of the batch); `merge` O(customers of both partials); `finish` O(customers).
 *
 * @example
 * const log = asTable({ customer: ['a', 'b', 'a'], date: ['2024-01-01', '2024-01-02', '2024-01-05'], amount: [10, 5, 7] });
 * const agg = customerSummaryAggregate;
 * const partial = agg.merge(agg.summarize(log.slice(0, 1), {}), agg.summarize(log.slice(1), {}));
 * agg.finish(structuredClone(partial), {}).getChild('count')?.toArray(); // Int32Array [2, 1]
 */
export const customerSummaryAggregate: AccumulatingAggregate<CustomerPartial, CustomerSummaryOptions, Table> =
  Object.freeze({
    init: () => initCustomers(),
    summarize: (batch: RecordBatch | Table, options: CustomerSummaryOptions) =>
      summarizeCustomers(batch, options, 'customerSummary', true),
    merge: mergeCustomers,
    finish: (partial: CustomerPartial, options: CustomerSummaryOptions) =>
      summaryTable(finishCustomers(partial, options, 'customerSummary')),
    accumulator: (options: CustomerSummaryOptions) => new CustomerAccumulator(options, 'customerSummary'),
  });

/** The columns of `customerSummary`: one row per customer (the customer key keeps the input's type). */
export type CustomerSummaryColumns<K extends DataType = KeyType> = {
  customer: K;
  first: DateDay;
  last: DateDay;
  count: Int32;
  frequency: Int32;
  recency: Int32;
  T: Int32;
  monetary: Float64;
  averageValue: Float64;
};

/**
 * The customer summary of a whole table in the calling thread: the core of the public `customerSummary`
 * (src/api/rfm.ts), which documents the columns and conventions and adds streams and threads.
 */
export function customerSummaryOfTable(
  tx: unknown,
  options: CustomerSummaryOptions = {},
): Table<CustomerSummaryColumns> {
  return summaryTable(aggregateCustomers(tx, options, 'customerSummary'));
}

/** The customer summary table of finished per-customer aggregates. */
function summaryTable(agg: CustomerAggregates): Table {
  const n = agg.count.length;
  const frequency = new Int32Array(n);
  const recency = new Int32Array(n);
  const age = new Int32Array(n);
  const averageValue = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    frequency[c] = agg.count[c] - 1;
    recency[c] = agg.asOf - agg.last[c];
    age[c] = agg.asOf - agg.first[c];
    averageValue[c] = agg.monetary[c] / agg.count[c];
  }
  return tableWithMetadata(
    {
      customer: agg.customers,
      first: dateDayVector(agg.first),
      last: dateDayVector(agg.last),
      count: numberVector(agg.count),
      frequency: numberVector(frequency),
      recency: numberVector(recency),
      T: numberVector(age),
      monetary: numberVector(agg.monetary),
      averageValue: numberVector(averageValue),
    },
    { [META.kind]: 'customerSummary', [META.asOf]: isoDate(agg.asOf), ...agg.drops.metadata(agg.rows) },
  );
}

/** The names of customerSummary's options (the thread options are added where they are taken). */
export const CUSTOMER_SUMMARY_OPTION_NAMES = optionNames<CustomerSummaryOptions>({
  customer: true,
  date: true,
  amount: true,
  asOf: true,
  dateUnit: true,
  returns: true,
  transaction: true,
  quantity: true,
  price: true,
});
