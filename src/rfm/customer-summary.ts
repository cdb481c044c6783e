import type { RecordBatch, Table } from 'apache-arrow';
import { dateDayVector, numberVector, tableWithMetadata } from '../table/build';
import { META } from '../table/dropped';
import { isoDate } from '../table/read-dates';
import type { DateUnit } from '../table/read-dates';
import { CustomerAccumulator, finishCustomers, initCustomers, mergeCustomers, summarizeCustomers } from '../stream/customer-partial';
import type { CustomerAggregates, CustomerPartial } from '../stream/customer-partial';
import { aggregateBatches, isAsyncSource } from '../stream/mergeable';
import type { AccumulatingAggregate } from '../stream/mergeable';

/** Options of {@link customerSummary}: which columns hold what, and the reference date. */
export interface CustomerSummaryOptions {
  /** Column of customer keys (strings, integers or dictionary-encoded). Default `'customer'`. */
  customer?: string;
  /** Column of transaction dates. Default `'date'`. */
  date?: string;
  /** Column of transaction amounts (money). Default `'amount'`. */
  amount?: string;
  /**
   * The day the analysis is made: recency and age are counted up to it, and transactions after it are dropped
   * (`afterAsOf`). A `Date`, an ISO string, or a number in `dateUnit`. Default: the day after the last kept
   * transaction.
   */
  asOf?: Date | string | number;
  /** How plain numbers in the date column (and a numeric `asOf`) are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
  /** Negative amounts (returns, refunds): `'keep'` them in the sums (default) or `'exclude'` the rows (counted). */
  returns?: 'keep' | 'exclude';
}

export type { CustomerAggregates } from '../stream/customer-partial';

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
export const customerSummaryAggregate: AccumulatingAggregate<CustomerPartial, CustomerSummaryOptions, Table> = Object.freeze({
  init: () => initCustomers(),
  summarize: (batch: RecordBatch | Table, options: CustomerSummaryOptions) => summarizeCustomers(batch, options, 'customerSummary', true),
  merge: mergeCustomers,
  finish: (partial: CustomerPartial, options: CustomerSummaryOptions) => summaryTable(finishCustomers(partial, options, 'customerSummary')),
  accumulator: (options: CustomerSummaryOptions) => new CustomerAccumulator(options, 'customerSummary'),
});

/**
 * One row per customer from a transaction log: the raw material of RFM, CLV models and segmentation.
 *
 * Columns: `customer`; `first` and `last` purchase (Arrow Date32); `count` (kept transactions); `frequency`
 * (repeat purchases, `count − 1`); `recency` (whole days from the last purchase to `asOf`); `T` (whole days from
 * the first purchase to `asOf`, the customer's age); `monetary` (sum of amounts); `averageValue`
 * (`monetary / count`). Rows follow the first appearance of each customer in the input.
 *
 * Conventions: days are UTC calendar days; `asOf` defaults to the day after the last kept transaction, so the most
 * recent buyer has recency 1; a transaction on `asOf` itself has recency 0. Every transaction row counts (two rows
 * on one day are two transactions). Dropped rows are counted in the schema metadata, readable with `droppedRows`.
 *
 * Streaming: given an `AsyncIterable` of Arrow `RecordBatch`es (`readBatches('log.arrow')`, an Arrow IPC stream)
 * instead of a table, it returns a promise of the same table, reading one batch at a time
 * ({@link customerSummaryAggregate}): memory is one batch plus O(customers).
 *
 * Cost: O(n) time in one pass over typed arrays, O(customers) memory beyond one `Int32Array` of n customer ids.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts, or an async iterable of record batches
 * @param options column names (defaults `customer`, `date`, `amount`), `asOf`, `dateUnit`, `returns`; with `parallel: n`
 *   the summary is computed on n worker threads (`customerSummaryParallel`) and a Promise is returned
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (asOf), `EMPTY_INPUT`
 * @example
 * const summary = customerSummary(
 *   [
 *     { customer: 'a', date: '1997-01-01', amount: 10 },
 *     { customer: 'a', date: '1997-03-01', amount: 20 },
 *     { customer: 'b', date: '1997-02-01', amount: 5 },
 *   ],
 *   { asOf: '1998-07-01' },
 * );
 * summary.getChild('recency')?.toArray(); // Int32Array [487, 515]
 * summary.getChild('frequency')?.toArray(); // Int32Array [1, 0]
 */
export function customerSummary(tx: AsyncIterable<RecordBatch>, options?: CustomerSummaryOptions): Promise<Table>;
export function customerSummary(tx: unknown, options: CustomerSummaryOptions & { parallel: number; minRowsPerWorker?: number }): Promise<Table>;
export function customerSummary(tx: unknown, options?: CustomerSummaryOptions): Table;
export function customerSummary(tx: unknown, options: CustomerSummaryOptions = {}): Table | Promise<Table> {
  if (options !== null && typeof options === 'object' && 'parallel' in options) {
    // worker threads: loaded on demand, so that the single-thread path never loads the pool
    return import('../parallel/customer-summary-parallel').then((m) => m.customerSummaryParallel(tx, options as CustomerSummaryOptions & { parallel: number }));
  }
  if (isAsyncSource(tx)) return aggregateBatches(customerSummaryAggregate, tx, options);
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
