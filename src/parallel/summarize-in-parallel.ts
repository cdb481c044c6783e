import { aggregateOf, checkClonable } from './options';
import type { ParallelOptions } from './options';
import { openSession } from './open-parallel';
import { AGGREGATES } from './registry';
import type { Aggregate, AggregateName } from './registry';
import { columnsFor } from './columns';
import { knownOptions, optionNames } from '../table/internal';

/** The options summarizeInParallel takes; every other name is refused with a did-you-mean. */
const SUMMARIZE_IN_PARALLEL_OPTION_NAMES = optionNames<ParallelOptions>({
  minRowsPerWorker: true,
  columns: true,
  module: true,
});

/**
 * Runs one mergeable aggregate (`customerSummary`, `itemCounts`, `pairCounts`, `abcTotals`, `kmeansStats`) over
 * a table on `n` worker threads and returns the merged partial, ready for the aggregate's `finish`: the same
 * partial as `summarize` over the whole table in one thread.
 *
 * The rows are cut into `n` contiguous slices of equal size. Only the columns the aggregate reads (from its column
 * options and their defaults) are sent: each slice of them is written as Arrow IPC bytes into a buffer of its own,
 * the one copy of the data (transferring the caller's own buffers would detach them and empty the caller's
 * table), and that buffer is transferred to the worker, which reads it without a further copy. Each worker posts
 * its partial back with the typed arrays transferred; the partials are merged in slice order (a left fold, the
 * order a single thread meets the rows), so row numbers, first appearances and sums come out as in one thread.
 * An error in a worker comes back as the same `ClienteleError` (code, column, row of the whole table) from the
 * earliest failing slice; the workers are created for the call and terminated before it returns, also on error.
 *
 * Runs in-process, with the same result, when `n` is 1, when the table has fewer than `2 × minRowsPerWorker`
 * rows, and where worker threads are not available (browsers; Deno without `node:worker_threads`; a bundler that
 * folded clientele into one file so that `parallel/worker.js` is not beside it).
 *
 * Cost: one copy of the sent columns on the calling thread, then O(rows / n) per thread, then the merges on the
 * calling thread, O(keys of each partial), overlapped with the slices still running. Fixed costs: about 100–250 ms
 * to copy the slices and start the threads, and some 200 ms per merge of a million customers — which is why
 * `customerSummary` and `rfm` with `parallel` do not use this row split but split by customer over shared memory
 * (`customerSummaryParallel`), and why tables below `2 × minRowsPerWorker` rows stay in-process.
 * More cores and heavier aggregates (pair counts, k-means steps with large k) gain more.
 *
 * @param name the aggregate's name in the stream registry `AGGREGATES`
 * @param table the table (or anything `asTable` accepts)
 * @param options the aggregate's options; must be structured-clonable (plain data, Dates)
 * @param n number of worker threads, 1–256
 * @param parallel `minRowsPerWorker` (default 2 000 000), `columns` to send (default: those the aggregate reads)
 * @throws {ClienteleError} `INVALID_OPTION` for an unknown aggregate, a bad `n` or unclonable options; any error
 *   the aggregate throws
 * @example
 * const partial = await summarizeInParallel('customerSummary', tx, {}, 2, { minRowsPerWorker: 1 });
 * const summary = AGGREGATES.customerSummary.finish(partial, {});
 * summary.numRows === customerSummary(tx).numRows; // true
 */
export async function summarizeInParallel<P = unknown>(
  name: AggregateName,
  table: unknown,
  options: unknown,
  n: number,
  parallel: ParallelOptions = {},
): Promise<P> {
  parallel = knownOptions(parallel, SUMMARIZE_IN_PARALLEL_OPTION_NAMES, 'summarizeInParallel');
  const fn = 'summarizeInParallel';
  const registry =
    parallel.module === undefined
      ? (AGGREGATES as unknown as Record<string, Aggregate>)
      : ((await import(parallel.module)) as { AGGREGATES: Record<string, Aggregate> }).AGGREGATES;
  aggregateOf(name, fn, registry);
  checkClonable(options, fn);
  const columns = parallel.columns ?? columnsFor(name, options);
  const session = await openSession(table, n, { ...parallel, ...(columns === undefined ? {} : { columns }) }, fn, fn);
  try {
    return await session.summarize<P>(name, options);
  } finally {
    await session.close();
  }
}
