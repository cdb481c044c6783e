import type { RecordBatch, Table } from 'apache-arrow';
import { randomSource } from '../math/internal';
import type { RandomSource } from '../math/internal';
import { asTable, ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import type { DropReason, DropReport, TableInput } from '../table/internal';
import { checkColumns, featureMatrix, toOriginalUnits } from './feature-matrix';
import type { FeatureScaling, Standardize } from './feature-matrix';
import { predictSegments } from './kmeans';
import { kmeansPlusPlus, squaredDistance } from './kmeans-plus-plus';

/**
 * Where mini-batch k-means reads its rows: a table (or anything `asTable` accepts, as one batch), batches (sync or
 * async), or a function giving them anew for each epoch.
 */
export type BatchSource =
  | TableInput
  | Table
  | RecordBatch
  | Iterable<RecordBatch | Table>
  | AsyncIterable<RecordBatch | Table>
  | (() => Iterable<RecordBatch | Table> | AsyncIterable<RecordBatch | Table>);

/** Options of {@link miniBatchKmeans}. */
export interface MiniBatchKMeansOptions {
  columns: readonly string[];
  k: number;
  seed?: number;
  /** Rows per mini-batch (update step). Default 1024, as scikit-learn's `MiniBatchKMeans`. */
  batchSize?: number;
  /** Passes over the source; more than one needs a table or a function that returns the batches anew. Default 1. */
  epochs?: number;
  /**
   * Scaling: `'zscore'` / `'minmax'` computed on the first record batch, `'none'`, or an explicit scaling (e.g. a
   * full-data `kmeans` fit's `scaling`). Default `'zscore'`.
   */
  standardize?: Standardize | FeatureScaling;
}

/** A mini-batch k-means model; frozen. */
export interface MiniBatchModel {
  readonly k: number;
  readonly columns: readonly string[];
  readonly centroids: readonly (readonly number[])[];
  readonly scaledCentroids: readonly (readonly number[])[];
  readonly scaling: FeatureScaling;
  /** Rows absorbed by each centroid over all epochs (as `kmeans`'s `sizes`). */
  readonly sizes: readonly number[];
  /** Inertia of the last epoch, each mini-batch measured against the centroids it was assigned to (an estimate). */
  readonly inertia: number;
  /** Mini-batch updates run. */
  readonly steps: number;
  readonly epochs: number;
  /** Rows read in the first epoch, kept and dropped (a missing or non-finite feature). */
  readonly rows: DropReport;
  /** The segment of every row of a table: {@link predictSegments}. */
  readonly predict: (table: unknown) => Int32Array;
}

/** The options miniBatchKmeans takes; every other name is refused with a did-you-mean. */
const MINI_BATCH_KMEANS_OPTION_NAMES = optionNames<MiniBatchKMeansOptions>({
  columns: true,
  k: true,
  seed: true,
  batchSize: true,
  epochs: true,
  standardize: true,
});

/**
 * Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering", WWW, Algorithm 1) over a stream of Arrow record
 * batches, for inputs that do not fit comfortably in memory: the rows are never all held at once, only one record
 * batch and the k centroids.
 *
 * Seeding: greedy k-means++ on the first record batch (it must hold at least k usable rows). Then every mini-batch
 * of `batchSize` rows is assigned to its nearest centroids and each centroid moves to the running mean of all the
 * rows it has absorbed: c_j ← (n_j c_j + Σ_{x→j} x) / (n_j + m_j), the per-centre learning rate 1/n_j of Sculley's
 * algorithm applied to the whole mini-batch at once, as scikit-learn's `MiniBatchKMeans` does. Deterministic for a
 * seed and a batch order; the mini-batches are consecutive rows (shuffle the source if its order is meaningful).
 * Rows with a missing or non-finite feature are skipped and counted.
 *
 * Cost: O(epochs · n · k · d) time; memory O(one record batch + k · d).
 *
 * @param source a Table, a RecordBatch, an iterable or async iterable of batches (e.g. an Arrow IPC
 *   `RecordBatchReader`), or a function returning such an iterable anew for each epoch
 * @param options columns, k, seed, batchSize (1024), epochs (1), standardize
 * @throws {ClienteleError} `INVALID_OPTION`, `EMPTY_INPUT` (no usable rows, or fewer than k in the first batch),
 *   `MISSING_COLUMN`, `INVALID_TYPE`
 * @example
 * const x = Array.from({ length: 400 }, (_, i) => (i % 2 ? 10 : 0) + (i % 7) / 10);
 * const model = await miniBatchKmeans({ x }, { columns: ['x'], k: 2, batchSize: 50, standardize: 'none' });
 * model.centroids.map((c) => Math.round(c[0])).sort((a, b) => a - b); // [0, 10]
 * model.sizes.reduce((a, b) => a + b); // 400
 */
export async function miniBatchKmeans(source: BatchSource, options: MiniBatchKMeansOptions): Promise<MiniBatchModel> {
  options = knownOptions(options, MINI_BATCH_KMEANS_OPTION_NAMES, 'miniBatchKmeans');
  const fn = 'miniBatchKmeans';
  const o = resolveMiniBatchOptions(source, options, fn);
  const fit = await fitEpochs(source, o, fn);
  return assembleMiniBatchModel(fit, o, fn);
}

/** The options of {@link miniBatchKmeans}, checked, with their defaults. */
interface ResolvedMiniBatchOptions {
  readonly columns: string[];
  readonly k: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  /** An explicit scaling, when one was given. */
  readonly given: FeatureScaling | undefined;
  readonly method: Standardize;
}

/** The running state of a fit: centres, rows absorbed per centre, the first epoch's row report, scratch buffers. */
interface MiniBatchFit {
  scaling: FeatureScaling | undefined;
  centers: Float64Array | null;
  readonly sizes: Float64Array;
  steps: number;
  inertia: number;
  readonly dropped: Partial<Record<DropReason, number>>;
  readonly firstRow: Partial<Record<DropReason, number>>;
  rowsSeen: number;
  kept: number;
  readonly assigned: Int32Array;
  readonly sums: Float64Array;
  readonly batchCounts: Float64Array;
}

/** Read: checks the options (in a fixed order, so the same input always names the same problem). */
function resolveMiniBatchOptions(
  source: BatchSource,
  options: MiniBatchKMeansOptions,
  fn: string,
): ResolvedMiniBatchOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with columns and k (found ${describeValue(options)})`,
    );
  }
  const columns = checkColumns(options.columns, fn);
  const positive = (name: string, value: unknown, fallback: number): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be an integer ≥ 1 (found ${describeValue(v)})`,
      );
    return v;
  };
  const k = positive('k', options.k, NaN);
  const batchSize = positive('batchSize', options.batchSize, 1024);
  const epochs = positive('epochs', options.epochs, 1);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0)
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be an integer ≥ 0 (found ${describeValue(seed)})`,
    );
  const standardize = options.standardize ?? 'zscore';
  const given =
    typeof standardize === 'object' && standardize !== null ? checkScaling(standardize, columns.length, fn) : undefined;
  const method: Standardize = given ? given.method : (standardize as Standardize);
  if (!given && method !== 'zscore' && method !== 'minmax' && method !== 'none') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option standardize must be 'zscore', 'minmax', 'none' or a scaling { method, center, scale } (found ${describeValue(standardize)})`,
    );
  }
  if (epochs > 1 && !isReplayable(source)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option epochs is ${epochs}, but the source can be read only once; pass a Table or a function that returns the batches anew`,
    );
  }
  return { columns, k, batchSize, epochs, seed, given, method };
}

/** Fit: every epoch reads the source batch by batch and runs the mini-batch updates on each. */
async function fitEpochs(source: BatchSource, o: ResolvedMiniBatchOptions, fn: string): Promise<MiniBatchFit> {
  const { k, batchSize } = o;
  const d = o.columns.length;
  const rng = randomSource(o.seed);
  const fit: MiniBatchFit = {
    scaling: o.given,
    centers: null,
    sizes: new Float64Array(k),
    steps: 0,
    inertia: 0,
    dropped: {},
    firstRow: {},
    rowsSeen: 0,
    kept: 0,
    assigned: new Int32Array(batchSize),
    sums: new Float64Array(k * d),
    batchCounts: new Float64Array(k),
  };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    fit.inertia = 0;
    for await (const batch of batchesOf(source)) absorbBatch(fit, batch, epoch, o, rng, fn);
  }
  return fit;
}

/** Fit, one record batch: its usable rows (counted in the first epoch), the seeding on the first, the updates. */
function absorbBatch(
  fit: MiniBatchFit,
  batch: RecordBatch | Table,
  epoch: number,
  o: ResolvedMiniBatchOptions,
  rng: RandomSource,
  fn: string,
): void {
  const { k, batchSize } = o;
  const d = o.columns.length;
  const features = featureMatrix(asTable(batch), o.columns, o.method, fn, fit.scaling);
  if (!fit.scaling) fit.scaling = features.scaling;
  if (epoch === 0) {
    for (const [reason, count] of Object.entries(features.drops.counts) as [DropReason, number][]) {
      if (fit.dropped[reason] === undefined) fit.firstRow[reason] = fit.rowsSeen + features.drops.first[reason]!;
      fit.dropped[reason] = (fit.dropped[reason] ?? 0) + count;
    }
    fit.rowsSeen += features.inputRows;
    fit.kept += features.n;
  }
  if (features.n === 0) return;
  if (!fit.centers) {
    if (features.n < k) {
      throw new ClienteleError(
        'EMPTY_INPUT',
        `${fn}: the first record batch has ${features.n} usable rows, fewer than k = ${k}; use larger batches or a smaller k`,
      );
    }
    fit.centers = kmeansPlusPlus(features.data, features.n, d, k, rng).centers;
  }
  const { data, n } = features;
  const { centers, sizes, assigned, sums, batchCounts } = fit;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    fit.inertia += miniBatchStep(data, start, end, d, centers, k, sizes, assigned, sums, batchCounts);
    fit.steps++;
  }
}

/** Assemble: the frozen model, centroids back in the original units; no usable row at all is an error. */
function assembleMiniBatchModel(fit: MiniBatchFit, o: ResolvedMiniBatchOptions, fn: string): MiniBatchModel {
  const { centers, scaling, rowsSeen, kept } = fit;
  if (!centers || !scaling) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the source gave no row with every feature (${rowsSeen} rows read); check the columns or the source`,
    );
  }
  const { k } = o;
  const d = o.columns.length;
  const scaled: number[][] = [];
  const original: number[][] = [];
  for (let j = 0; j < k; j++) {
    const z = Array.from(centers.subarray(j * d, j * d + d));
    scaled.push(z);
    original.push(z.map((v, t) => toOriginalUnits(v, scaling.scale[t], scaling.center[t])));
  }
  const total = rowsSeen - kept;
  const dropped = Object.freeze(fit.dropped);
  const firstRow = Object.freeze(fit.firstRow);
  const model = {
    k,
    columns: Object.freeze(o.columns),
    centroids: Object.freeze(original.map((c) => Object.freeze(c))),
    scaledCentroids: Object.freeze(scaled.map((c) => Object.freeze(c))),
    scaling,
    sizes: Object.freeze(Array.from(fit.sizes)),
    inertia: fit.inertia,
    steps: fit.steps,
    epochs: o.epochs,
    rows: Object.freeze({ rows: rowsSeen, kept, dropped, firstRow, total }),
    predict: (rows: unknown): Int32Array => predictSegments(model, rows),
  };
  return Object.freeze(model);
}

/** One mini-batch update on rows start … end − 1; returns the batch's inertia against the centres it was assigned to. */
function miniBatchStep(
  data: Float64Array,
  start: number,
  end: number,
  d: number,
  centers: Float64Array,
  k: number,
  sizes: Float64Array,
  assigned: Int32Array,
  sums: Float64Array,
  batchCounts: Float64Array,
): number {
  let inertia = 0;
  sums.fill(0);
  batchCounts.fill(0);
  for (let i = start; i < end; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let j = 0; j < k; j++) {
      const dist = squaredDistance(data, i * d, centers, j * d, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    assigned[i - start] = best;
    inertia += bestDist;
    batchCounts[best]++;
    for (let t = 0; t < d; t++) sums[best * d + t] += data[i * d + t];
  }
  for (let j = 0; j < k; j++) {
    const m = batchCounts[j];
    if (m === 0) continue;
    const total = sizes[j] + m;
    for (let t = 0; t < d; t++) centers[j * d + t] = (sizes[j] * centers[j * d + t] + sums[j * d + t]) / total;
    sizes[j] = total;
  }
  return inertia;
}

function isReplayable(source: BatchSource): boolean {
  return typeof source === 'function' || isTableLike(source);
}

function isTableLike(x: unknown): boolean {
  const t = x as { schema?: unknown; numRows?: unknown } | null;
  return typeof x === 'object' && t !== null && t.schema !== undefined && t.numRows !== undefined;
}

/** The batches of one epoch. */
async function* batchesOf(source: BatchSource): AsyncGenerator<RecordBatch | Table> {
  if (typeof source === 'function') {
    yield* source() as AsyncIterable<RecordBatch | Table>;
    return;
  }
  if (isTableLike(source) && (source as { batches?: unknown }).batches !== undefined) {
    for (const batch of (source as Table).batches) yield batch;
    return;
  }
  if (isTableLike(source)) {
    yield source as RecordBatch;
    return;
  }
  if (Array.isArray(source) && source.length > 0 && !isTableLike(source[0])) {
    yield asTable(source); // an array of records is one batch
    return;
  }
  const iterable = source as Record<symbol, unknown> | null;
  if (
    typeof source === 'object' &&
    iterable !== null &&
    (typeof iterable[Symbol.asyncIterator] === 'function' || typeof iterable[Symbol.iterator] === 'function')
  ) {
    yield* source as AsyncIterable<RecordBatch | Table>;
    return;
  }
  // Anything else asTable accepts (records, columns, a danfo frame) is one batch.
  yield asTable(source);
}

function checkScaling(s: FeatureScaling, d: number, fn: string): FeatureScaling {
  const ok =
    ['zscore', 'minmax', 'none'].includes(s.method) &&
    Array.isArray(s.center) &&
    Array.isArray(s.scale) &&
    s.center.length === d &&
    s.scale.length === d &&
    s.scale.every((v) => Number.isFinite(v) && v > 0) &&
    s.center.every(Number.isFinite);
  if (!ok)
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option standardize as a scaling must be { method, center, scale } with ${d} finite centres and positive scales (found ${describeValue(s)})`,
    );
  return s;
}
