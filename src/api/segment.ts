/**
 * The public face of `clientele/segment`: everything the segment/ folder exports, with the functions that also take a
 * stream of record batches or a `parallel` thread count wired to the engines here (stream/, parallel/), so that the
 * analyses stay plain functions of a table. Worker threads are loaded on demand: the single-thread path never loads
 * the pool.
 *
 * @module clientele/segment
 */
import type { RecordBatch } from 'apache-arrow';
import { kmeansOfTable } from '../segment/internal';
import type { KMeansOptions, KMeansParallel, Segmentation } from '../segment/internal';
import { kmeansStream } from '../stream/internal';
import { isAsyncSource, knownOptions, optionNames } from '../table/internal';
import { hasParallel } from './parallel-wiring';

export * from '../segment/index';

/** The options kmeans takes; every other name is refused with a did-you-mean. */
const KMEANS_OPTION_NAMES = optionNames<KMeansOptions & KMeansParallel>({
  columns: true,
  k: true,
  seed: true,
  nInit: true,
  maxIterations: true,
  tolerance: true,
  standardize: true,
  init: true,
  onProgress: true,
  parallel: true,
  minRowsPerWorker: true,
});

/**
 * k-means segmentation of the rows of a table on numeric feature columns: Lloyd's algorithm with Hamerly's
 * bounds, greedy k-means++ seeding, the best of `nInit` runs — the method of scikit-learn's `KMeans`, over Arrow
 * columns.
 *
 * Analysts segment customers on RFM or behavioural features, then read each segment's centroid (in the original
 * units) and size, and assign new customers with `predict`.
 *
 * Model: minimise the inertia Σ_i ‖z_i − c_{label(i)}‖² over labels and centroids, z the scaled features (see
 * `standardize`); Lloyd (1982) alternates assignment to the nearest centroid and centroids as the means of their
 * segments, Hamerly (2010) skips the distances that bounds prove useless, Arthur & Vassilvitskii (2007) seed.
 * Conventions follow scikit-learn 1.x: z-scores with the divisor n, constant features scaled by 1, relative
 * tolerance on the centroids' squared shift, an empty segment re-seeded at the farthest point.
 *
 * Deterministic for a seed. Rows with a missing or non-finite feature are left out (label −1) and counted in
 * `rows.dropped.invalidValue`. With k above the number of distinct points, centroids repeat (identical rows are
 * split between segments, as scikit-learn does) and a warning says so.
 *
 * Cluster sums and the inertia are added over fixed blocks of 4096 rows, then over the blocks in order; that is
 * what lets the two other forms below give the same numbers to the last bit.
 *
 * Two other forms return a `Promise` of the same segmentation:
 * - `kmeans(table, { ...options, parallel: n, minRowsPerWorker })` runs the assignment steps and the k-means++
 *   passes on n worker threads (Node.js, Deno), each over a contiguous range of blocks of the scaled features,
 *   which the library writes once into a `SharedArrayBuffer` of its own (the caller's buffers are never
 *   transferred); the draws, the centroid updates and the stopping rule stay on the calling thread, O(blocks · k · d)
 *   per step. Identical to the single-thread result for every n. Tables with
 *   fewer than `2 × minRowsPerWorker` rows (default 250 000), `parallel: 1`, and places without worker threads
 *   run in-process. Starting the threads costs 100–300 ms, so it pays on millions of rows.
 * - `kmeans(batches, options)` with an `AsyncIterable` of Arrow `RecordBatch`es (an IPC stream, `readBatches`)
 *   reads the batches once, keeping only the feature columns — O(n · d) doubles, the other columns leave with
 *   their batch — then fits as on the whole table (k-means revisits every row on every iteration, so the
 *   features must be held); the result, `predict` included, equals `kmeans(wholeTable, options)`. It combines
 *   with `parallel`. The promise forms reject with the errors the single-thread call throws.
 *
 * Cost: O(nInit · (k log k · n · d + iterations · n · d)) time with few distance evaluations after the first
 * iterations; memory O(n · d) for the scaled features plus O(n) per run. With `parallel: n`, the passes over the
 * rows divide by n; each step adds a message round trip (well under a millisecond).
 *
 * @param table one row per customer (anything `asTable` accepts), or an `AsyncIterable` of record batches
 * @param options columns, k, seed, nInit, maxIterations, tolerance, standardize, init, onProgress (a
 *   `(done, total)` callback for progress bars, called once per pass over the rows); `parallel` (threads,
 *   1–256) and `minRowsPerWorker` for worker threads
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (k < 1 or above the rows kept,
 *   bad init, bad `parallel`), `EMPTY_INPUT` (no row with every feature), `INVALID_VALUE` (a min–max range wider
 *   than a double, or `standardize: 'none'` on values whose squared distances overflow)
 * @example
 * const points = { x: [1, 1.2, 0.8, 10, 10.2, 9.8], y: [1, 0.9, 1.1, 5, 5.1, 4.9] };
 * const seg = kmeans(points, { columns: ['x', 'y'], k: 2, seed: 3 });
 * Array.from(seg.sizes); // [3, 3]
 * seg.labels[0] === seg.labels[1] && seg.labels[0] !== seg.labels[3]; // true
 * seg.centroids[seg.labels[3]].map((v) => Math.round(v)); // [10, 5]
 * Array.from(seg.predict({ x: [9.9], y: [5.2] }))[0] === seg.labels[3]; // true
 * const threaded = await kmeans(points, { columns: ['x', 'y'], k: 2, seed: 3, parallel: 2, minRowsPerWorker: 1 });
 * threaded.inertia === seg.inertia && threaded.labels.join() === seg.labels.join(); // true
 * const batches = (async function* () { yield* asTable(points).batches; })();
 * const streamed = await kmeans(batches, { columns: ['x', 'y'], k: 2, seed: 3 });
 * streamed.centroids.join() === seg.centroids.join(); // true
 */
export function kmeans(
  table: AsyncIterable<RecordBatch>,
  options: KMeansOptions & Partial<KMeansParallel>,
): Promise<Segmentation>;
export function kmeans(table: unknown, options: KMeansOptions & KMeansParallel): Promise<Segmentation>;
export function kmeans(table: unknown, options: KMeansOptions): Segmentation;
export function kmeans(
  table: unknown,
  options: KMeansOptions & Partial<KMeansParallel>,
): Segmentation | Promise<Segmentation> {
  options = knownOptions(options, KMEANS_OPTION_NAMES, 'kmeans');
  if (hasParallel(options)) return import('../parallel/internal').then((m) => m.kmeansParallel(table, options));
  if (isAsyncSource(table)) return kmeansStream(table, options);
  return kmeansOfTable(table, options);
}
