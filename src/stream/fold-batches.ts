import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import { accumulatorOf } from '../kernels/internal';
import type { MergeableAggregate } from '../kernels/internal';

/** Batches as an async or sync iterable, or a `ClienteleError` naming what was passed instead. */
function iterableOf(batches: unknown, fn: string): AsyncIterable<RecordBatch | Table> | Iterable<RecordBatch | Table> {
  const b = batches as Record<symbol, unknown> | null;
  if (
    b !== null &&
    typeof b === 'object' &&
    (typeof b[Symbol.asyncIterator] === 'function' || typeof b[Symbol.iterator] === 'function')
  ) {
    return batches as AsyncIterable<RecordBatch>;
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: batches must be an AsyncIterable or Iterable of Arrow RecordBatches (found ${describeValue(batches)}); ` +
      `pass e.g. readBatches('tx.arrow') or table.batches`,
  );
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
  const a = agg as Partial<MergeableAggregate<P, O, R>> | null;
  if (typeof a?.finish !== 'function' || typeof a?.init !== 'function' || typeof a?.summarize !== 'function') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `aggregateBatches: the aggregate must have init, summarize and finish functions (found ${describeValue(agg)}); ` +
        `pass one of the exported aggregates, e.g. customerSummaryAggregate`,
    );
  }
  return agg.finish(await foldBatches(agg, batches, options), options);
}
