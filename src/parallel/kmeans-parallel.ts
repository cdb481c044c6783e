import { tableFromArrays } from 'apache-arrow';
import {
  bestOfRunsSteps,
  BLOCK_ROWS,
  blockCount,
  blockState,
  checkK,
  featureMatrix,
  featureTable,
  fitKMeans,
  kmeansWorkspace,
  resolveKMeansOptions,
  segmentation,
} from '../segment/internal';
import type { KMeansOptions, KMeansStepOptions, Segmentation, StepResult } from '../segment/internal';
import { asTable, isAsyncSource } from '../table/internal';
import { openSession } from './open-parallel';
import { checkMinRows } from './options';
import { splitParallel } from './options';
import { poolState, prestartWorkers } from './pool';
import type { ParallelRun } from './options';

/**
 * The default fewest rows per worker of `kmeans`: 250 000, not the 2 000 000 of one-pass analyses. A k-means run
 * passes over every row about 2k times to seed and once per Lloyd iteration (15–40 passes at k = 8), so a thread's
 * share of a million rows is worth far more than the message round trip of each pass (well under a millisecond).
 */
const KMEANS_MIN_ROWS_PER_WORKER = 250_000;

/**
 * Under `parallel: 'auto'`, the threads wanted when the pool already holds them idle; else one (the fit runs
 * in-process) while the pool starts in the background for the next call. A cold start (0.3–0.6 s) is as long as a
 * whole fit of a million rows, so `'auto'` never makes a call slower than one thread.
 */
function warmOrOne(wanted: number, auto: boolean): number {
  if (!auto || wanted <= 1 || poolState().idle >= wanted) return wanted;
  prestartWorkers(wanted);
  return 1;
}

/**
 * `kmeans` with its assignment steps on `parallel` worker threads: the same segmentation as `kmeans(table,
 * options)` — labels, centroids, inertia, iterations, runs, warnings — to the last bit. `kmeans(table, { parallel })`
 * calls it.
 *
 * How: the scaled features are written once into a `SharedArrayBuffer` allocated for the fit (never the caller's
 * memory, which is neither transferred nor detached), as are the labels, Hamerly's bounds and the per-block
 * cluster sums. Each worker owns a contiguous range of fixed blocks of 4096 rows and runs every pass over rows on
 * its blocks in place — the k-means++ passes (first centre, candidate potentials, placing a centre), the assignment
 * steps, the start, relocation and inertia passes; the calling thread draws the candidates, adds the block sums in
 * block order, moves the centroids and decides when to stop. The single-thread `kmeans` reduces over the same
 * blocks in the same order, so the thread count changes no addition.
 *
 * Runs in-process, with the same result, with `parallel: 1`, below `2 × minRowsPerWorker` rows, and where worker
 * threads or `SharedArrayBuffer` are not available.
 *
 * Cost: per iteration O(n / parallel) bound checks per thread plus the distances the bounds do not rule out, and
 * O(blocks · k · d) on the calling thread; per seeding 2k passes of O(n / parallel). Fixed costs: 100–300 ms to
 * start the threads (more under tsx, which compiles the sources in every thread), and well under a millisecond of
 * messaging per step.
 *
 * @param table the rows (anything `asTable` accepts), or an `AsyncIterable` of record batches
 * @param options those of `kmeans`, plus `parallel` (threads, 1–256) and `minRowsPerWorker` (default 250 000)
 * @param blockRows internal, for tests: the block size (the single-thread run to compare with must use the same)
 * @throws {ClienteleError} those of `kmeans`; `INVALID_OPTION` for a bad `parallel` or `minRowsPerWorker`
 */
export async function kmeansParallel(
  table: unknown,
  options: KMeansOptions & ParallelRun,
  blockRows = BLOCK_ROWS,
): Promise<Segmentation> {
  const fn = 'kmeans';
  const { n: threads, auto, analysis, parallel } = splitParallel(options, fn);
  const minRows =
    parallel.minRowsPerWorker === undefined ? KMEANS_MIN_ROWS_PER_WORKER : checkMinRows(parallel.minRowsPerWorker, fn);
  const o = resolveKMeansOptions(analysis, fn);
  const input = isAsyncSource(table) ? await featureTable(table, o.columns, fn) : asTable(table);
  const wanted = warmOrOne(Math.min(threads, Math.floor(input.numRows / minRows)), auto);
  if (wanted <= 1 || typeof SharedArrayBuffer !== 'function') return fitKMeans(input, o, fn, blockRows);

  const features = featureMatrix(input, o.columns, o.standardize, fn, undefined, true);
  checkK(o.k, features, fn);
  const { n, d, data } = features;
  const blocks = blockCount(n, blockRows);
  const count = Math.min(wanted, blocks);
  if (count <= 1) return fitKMeans(input, o, fn, blockRows);

  const workspace = kmeansWorkspace(n, true);
  const state = blockState(data, n, d, o.k, blockRows, workspace, true);
  // the session's "table" is the list of block numbers: its slices are ranges of whole blocks
  const blockTable = tableFromArrays({ block: Int32Array.from({ length: blocks }, (_, b) => b) });
  const session = await openSession(blockTable, count, { minRowsPerWorker: 1 }, fn, fn, 'parallel');
  try {
    const steps = bestOfRunsSteps(features, o.k, o, fn, state);
    let next = steps.next();
    while (!next.done) {
      const request: KMeansStepOptions = { ...state, step: next.value };
      next = steps.next(await session.summarize<StepResult>('kmeansStep', request));
    }
    const { best, runs } = next.value;
    return segmentation(features, best, o.k, o.columns, runs, fn);
  } finally {
    await session.close();
  }
}
