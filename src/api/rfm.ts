/**
 * The public face of `clientele/rfm`: everything the rfm/ folder exports, with the functions that also take a
 * stream of record batches or a `parallel` thread count wired to the engines here (stream/, parallel/), so that the
 * analyses stay plain functions of a table. Worker threads are loaded on demand: the single-thread path never loads
 * the pool.
 *
 * @module clientele/rfm
 */
import type { RecordBatch, Table } from 'apache-arrow';
import {
  customerSummaryOfTable,
  rfmOfTable,
  CUSTOMER_SUMMARY_OPTION_NAMES as SUMMARY_NAMES,
  RFM_OPTION_NAMES as RFM_NAMES,
} from '../rfm/internal';
import type { CustomerSummaryColumns, CustomerSummaryOptions, RfmColumns, RfmOptions } from '../rfm/internal';
import { customerSummaryStream, rfmStream } from '../stream/internal';
import { streamedLines } from '../kernels/internal';
import { isAsyncSource, knownOptions, PARALLEL_OPTION_NAMES } from '../table/internal';
import { hasParallel } from './parallel-wiring';

export * from '../rfm/index';

/**
 * A stream of batches cannot be folded into orders (the lines of one order may lie in different batches): the
 * `transaction` option is refused before the first batch is read. @throws {ClienteleError} `INVALID_OPTION`
 */
function refuseStreamedLines(options: CustomerSummaryOptions, fn: string): undefined {
  if (options.transaction !== undefined) throw streamedLines(fn);
  return undefined;
}

/** The options it takes; every other name is refused with a did-you-mean. */
const CUSTOMER_SUMMARY_OPTION_NAMES = [...SUMMARY_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * One row per customer from a transaction log: the raw material of RFM, CLV models and segmentation.
 *
 * Columns: `customer`; `first` and `last` purchase (Arrow Date32); `count` (kept transactions); `frequency`
 * (repeat purchases, `count − 1`); `recency` (whole days from the last purchase to `asOf`); `T` (whole days from
 * the first purchase to `asOf`, the customer's age); `monetary` (sum of amounts); `averageValue`
 * (`monetary / count`). Rows follow the first appearance of each customer in the input.
 *
 * Conventions: days are UTC calendar days; `asOf` defaults to the day after the last kept transaction, so the most
 * recent buyer has recency 1; a transaction on `asOf` itself has recency 0. Every row is a transaction (two rows
 * on one day are two transactions) unless `transaction` names an order id column: then the rows are line items,
 * the lines of one id are one order (amount: their compensated sum; customer and date: those of its first line; a
 * null id: an order of its own; lines of one id with different customers or days: `INVALID_INPUT`), and the rows
 * counted in `droppedRows` are orders. `quantity` and `price` compute each row's amount as quantity × price
 * (instead of `amount`). Returns — orders (rows, without `transaction`) with a negative amount — are excluded and
 * counted as `negativeAmount` by default (`returns: 'exclude'`); `returns: 'keep'` sums them with the rest.
 * Dropped rows are counted in the schema metadata, readable with `droppedRows`.
 *
 * Streaming: given an `AsyncIterable` of Arrow `RecordBatch`es (`readBatches('log.arrow')`, an Arrow IPC stream)
 * instead of a table, it returns a promise of the same table, reading one batch at a time
 * (`customerSummaryAggregate` of `clientele/stream`): memory is one batch plus O(customers). A stream takes
 * `quantity` and `price` but not `transaction` (`INVALID_OPTION`: an order may span batches); `parallel: n` folds
 * the orders on the calling thread first.
 *
 * Cost: O(n) time in one pass over typed arrays, O(customers) memory beyond one `Int32Array` of n customer ids.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts, or an async iterable of record batches
 * @param options column names (defaults `customer`, `date`, `amount`), `transaction`, `quantity` and `price` (none),
 *   `asOf`, `dateUnit`, `returns` ('exclude'); with `parallel: n`
 *   the summary is computed on n worker threads (`customerSummaryParallel`) and a Promise is returned
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (asOf; a customer's
 *   total amount that overflows a double), `EMPTY_INPUT`
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
 * const lines = customerSummary(
 *   {
 *     invoice: ['1', '1', '2', 'C3'],
 *     customer: ['a', 'a', 'a', 'a'],
 *     date: ['2024-01-05', '2024-01-05', '2024-02-01', '2024-02-03'],
 *     qty: [2, 1, 3, -1],
 *     price: [2.5, 4, 1, 4],
 *   },
 *   { transaction: 'invoice', quantity: 'qty', price: 'price' },
 * );
 * lines.getChild('count')?.get(0); // 2
 * lines.getChild('monetary')?.get(0); // 12
 * droppedRows(lines).dropped; // { negativeAmount: 1 }
 */
export function customerSummary(
  tx: AsyncIterable<RecordBatch>,
  options?: CustomerSummaryOptions,
): Promise<Table<CustomerSummaryColumns>>;
export function customerSummary(
  tx: unknown,
  options: CustomerSummaryOptions & { parallel: number | 'auto'; minRowsPerWorker?: number },
): Promise<Table<CustomerSummaryColumns>>;
export function customerSummary(tx: unknown, options?: CustomerSummaryOptions): Table<CustomerSummaryColumns>;
export function customerSummary(tx: unknown, options: CustomerSummaryOptions = {}): Table | Promise<Table> {
  options = knownOptions(options, CUSTOMER_SUMMARY_OPTION_NAMES, 'customerSummary');
  if (hasParallel(options)) return import('../parallel/internal').then((m) => m.customerSummaryParallel(tx, options));
  if (isAsyncSource(tx)) return refuseStreamedLines(options, 'customerSummary') ?? customerSummaryStream(tx, options);
  return customerSummaryOfTable(tx, options);
}

/** The options it takes; every other name is refused with a did-you-mean. */
const RFM_OPTION_NAMES = [...RFM_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * RFM analysis: scores every customer on Recency (days since the last purchase), Frequency (number of
 * transactions, or of orders with `transaction`) and Monetary value (total spend), each on `1..bins` with `bins` the best (most recent, most
 * frequent, highest spend), and names the segment.
 *
 * Scoring convention (`method: 'quantile'`): the breaks are the quantiles at j/bins, j = 1 … bins − 1, of the
 * customers' values, R type 7; intervals are closed on the right, so equal values always share a score and a
 * value equal to a break takes the interval below it. In R:
 * `f <- findInterval(x, quantile(x, (1:(bins-1))/bins, type = 7), left.open = TRUE) + 1` and
 * `r <- bins - findInterval(recency, quantile(recency, …), left.open = TRUE)`. With heavy ties (most customers
 * buy once) several breaks coincide and some scores stay unused: all one-time buyers get F = 1 together, rather
 * than being split at random as rank-based `ntile`/`qcut` would. The breaks used are returned in the metadata
 * (`clientele.breaks`, read them with `rfmBreaks`). `method: 'fixed'` uses your breaks with the same intervals.
 *
 * Output columns: `customer`, `recency` (days), `frequency` (transactions), `monetary`, `r`, `f`, `m` (Int8),
 * `score` (e.g. `"545"`; digits joined by `-` when bins > 9), `segment` (see `rfmSegments`).
 * Rows follow the first appearance of each customer. Recency is whole days from the last purchase to `asOf`
 * (a customer whose last purchase was 1997-01-01 has recency 546 on 1998-07-01).
 *
 * Streaming: given an `AsyncIterable` of Arrow `RecordBatch`es of transactions (`readBatches('log.arrow')`)
 * instead of a table, it returns a promise of the same table: the batches are summarised one at a time by
 * `customerSummaryAggregate`, then scored — memory is one batch plus O(customers).
 *
 * Cost: one pass over the transactions, then three sorts of the customers' values: O(n + c log c).
 *
 * @param tx transactions (columns `customer`, `date`, `amount` by default) or a `customerSummary` result, or an
 *   async iterable of record batches of transactions
 * @param options column names, `transaction`, `quantity` and `price` (see `customerSummary`), `asOf`, `dateUnit`,
 *   `returns` ('exclude': orders with a negative amount are dropped and counted), `bins` (5), `method` ('quantile'), `breaks`, `segments`; with `parallel: n`
 *   the per-customer pass runs on n worker threads (`rfmParallel`) and a Promise is returned
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (asOf; a customer's
 *   total amount that overflows a double), `EMPTY_INPUT`
 * @example
 * const scored = rfm(
 *   {
 *     customer: ['a', 'a', 'b', 'c', 'c', 'c'],
 *     date: ['2024-01-05', '2024-03-01', '2024-02-10', '2024-01-01', '2024-02-01', '2024-03-10'],
 *     amount: [20, 30, 15, 10, 40, 60],
 *   },
 *   { bins: 3, asOf: '2024-04-01' },
 * );
 * scored.getChild('score')?.toArray(); // ['222', '111', '333']
 */
export function rfm(tx: AsyncIterable<RecordBatch>, options?: RfmOptions): Promise<Table<RfmColumns>>;
export function rfm(
  tx: unknown,
  options: RfmOptions & { parallel: number | 'auto'; minRowsPerWorker?: number },
): Promise<Table<RfmColumns>>;
export function rfm(tx: unknown, options?: RfmOptions): Table<RfmColumns>;
export function rfm(tx: unknown, options: RfmOptions = {}): Table | Promise<Table> {
  options = knownOptions(options, RFM_OPTION_NAMES, 'rfm');
  if (hasParallel(options)) return import('../parallel/internal').then((m) => m.rfmParallel(tx, options));
  if (isAsyncSource(tx)) return refuseStreamedLines(options, 'rfm') ?? rfmStream(tx, options);
  return rfmOfTable(tx, options);
}
