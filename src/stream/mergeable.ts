import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/errors';

/**
 * An analysis split into partial aggregates (STYLE: `init / add / merge / finish`): summarize each batch of rows
 * into a partial, merge partials in row order, finish once. `finish(merge(summarize(a), summarize(b)))` equals the
 * analysis of the rows of `a` followed by those of `b`; that is what lets a table stream in bounded memory, be
 * split across worker threads, or be summarised where it lives.
 *
 * Partials are plain data — objects, arrays, typed arrays, strings and numbers — so they survive `structuredClone`
 * and `postMessage` to and from worker threads.
 */
export interface MergeableAggregate<P, O, R> {
  /** The partial of no rows: the identity of `merge`. */
  init(options: O): P;
  /** The partial of one batch (or table) of rows. */
  summarize(batch: RecordBatch | Table, options: O): P;
  /** The partial of the rows of `a` followed by those of `b`; associative, inputs unchanged. */
  merge(a: P, b: P): P;
  /** The analysis' result from the partial of all rows. */
  finish(partial: P, options: O): R;
}

/** A mutable fold of partials, for aggregates whose merge can run in place in O(size of the partial added). */
export interface Accumulator<P> {
  add(partial: P): void;
  /**
   * Adds a batch of rows straight into the fold, where that is cheaper than `add(summarize(batch))` (the customer
   * summary maps the batch's keys into its running union once, instead of building a partial and merging it);
   * the same result either way.
   */
  addBatch?(batch: RecordBatch | Table): void;
  /** The partial of everything added; it may share memory with the fold, so call it once, when done adding. */
  result(): P;
}

/** An aggregate that also offers an in-place accumulator (used by `foldBatches` over long streams). */
export interface AccumulatingAggregate<P, O, R> extends MergeableAggregate<P, O, R> {
  accumulator(options: O): Accumulator<P>;
}

/** The accumulator of an aggregate: its own when it has one, else a fold with `merge`. */
export function accumulatorOf<P, O, R>(agg: MergeableAggregate<P, O, R>, options: O): Accumulator<P> {
  const own = (agg as Partial<AccumulatingAggregate<P, O, R>>).accumulator;
  if (typeof own === 'function') return own.call(agg, options);
  let partial = agg.init(options);
  return {
    add(p: P) {
      partial = agg.merge(partial, p);
    },
    result: () => partial,
  };
}

/** Batches as an async or sync iterable, or a `ClienteleError` naming what was passed instead. */
function iterableOf(
  batches: unknown,
  fn: string,
): AsyncIterable<RecordBatch | Table> | Iterable<RecordBatch | Table> {
  const b = batches as Record<symbol, unknown> | null;
  if (b !== null && typeof b === 'object' && (typeof b[Symbol.asyncIterator] === 'function' || typeof b[Symbol.iterator] === 'function')) {
    return batches as AsyncIterable<RecordBatch>;
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: batches must be an AsyncIterable or Iterable of Arrow RecordBatches (found ${describeValue(batches)}); ` +
      `pass e.g. readBatches('tx.arrow') or table.batches`,
  );
}

/** Whether `x` is an async iterable (an Arrow IPC stream, `readBatches(...)`, an async generator). */
export function isAsyncSource(x: unknown): x is AsyncIterable<RecordBatch> {
  return typeof x === 'object' && x !== null && typeof (x as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * The merged partial of a stream of batches, summarized one batch at a time (memory: one batch plus the partial).
 * Internal twin of {@link aggregateBatches} for analyses that finish the partial their own way.
 */
export async function foldBatches<P, O, R>(
  agg: MergeableAggregate<P, O, R>,
  batches: AsyncIterable<RecordBatch | Table> | Iterable<RecordBatch | Table>,
  options: O,
  fn = 'aggregateBatches',
): Promise<P> {
  const source = iterableOf(batches, fn);
  const acc = accumulatorOf(agg, options);
  for await (const batch of source) {
    if (acc.addBatch !== undefined) acc.addBatch(batch);
    else acc.add(agg.summarize(batch, options));
  }
  return acc.result();
}

/**
 * Runs a mergeable aggregate over a stream of Arrow record batches: each batch is summarized, merged into the
 * running partial in arrival (row) order, and dropped, then the partial is finished — the same result as the
 * analysis of the whole table, in memory bounded by one batch plus the partial (per customer, per item …).
 *
 * Use it for logs larger than memory (`readBatches('log.arrow')`, an Arrow IPC stream) or any batch source.
 *
 * Cost: O(rows) time; merging a batch's partial costs O(its distinct keys), independent of the partial so far.
 *
 * @param agg the aggregate, e.g. `customerSummaryAggregate` or `AGGREGATES.itemCounts`
 * @param batches an `AsyncIterable` or `Iterable` of `RecordBatch`es (or tables) with the same schema
 * @param options the aggregate's options (column names, …), given to every `summarize` and to `finish`
 * @throws {ClienteleError} `INVALID_INPUT` when `batches` is not iterable; the aggregate's own errors
 * @example
 * const log = asTable({ customer: ['a', 'b', 'a'], date: ['2024-01-01', '2024-01-02', '2024-01-05'], amount: [10, 5, 7] });
 * const summary = await aggregateBatches(customerSummaryAggregate, [log.slice(0, 2), log.slice(2)], {});
 * summary.getChild('monetary')?.toArray(); // Float64Array [17, 5]
 */
export async function aggregateBatches<P, O, R>(
  agg: MergeableAggregate<P, O, R>,
  batches: AsyncIterable<RecordBatch | Table> | Iterable<RecordBatch | Table>,
  options: O,
): Promise<R> {
  return agg.finish(await foldBatches(agg, batches, options), options);
}
