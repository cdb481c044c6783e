import { makeVector, Table } from 'apache-arrow';
import type { RecordBatch, Vector } from 'apache-arrow';
import { randomSource } from '../math/internal';
import {
  asTable,
  checkOptions,
  ClienteleError,
  describeValue,
  integerRule,
  isClienteleError,
  numberRule,
  oneOfRule,
  readNumeric,
  nullRecord,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { checkColumns, featureMatrix, toOriginalUnits } from './feature-matrix';
import type { FeatureMatrix, FeatureScaling, Standardize } from './feature-matrix';
import { lloydSteps } from './hamerly';
import type { KMeansRun } from './hamerly';
import { BLOCK_ROWS, blockState, runInProcess } from './kmeans-blocks';
import type { BlockState, Step, StepResult } from './kmeans-blocks';
import { kmeansPlusPlusSteps, kmeansWorkspace, squaredDistance } from './kmeans-plus-plus';

/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Numeric feature columns. */
  columns: readonly string[];
  /** Number of segments, 1 ≤ k ≤ rows. */
  k: number;
  /** Seed of the seeding. Default 1. */
  seed?: number;
  /** Runs from different seedings; the one with the lowest inertia is kept. Default 10 (1 with explicit centroids). */
  nInit?: number;
  /** Iteration limit of each run. Default 300. */
  maxIterations?: number;
  /**
   * Relative tolerance: a run stops when the centroids' total squared shift is at most `tolerance` times the mean
   * variance of the (scaled) features, as scikit-learn's `tol`. Default 1e-4.
   */
  tolerance?: number;
  /** Feature scaling before distances. Default `'zscore'`. */
  standardize?: Standardize;
  /** `'k-means++'` (default, greedy as scikit-learn), `'random'` (k distinct rows), or k starting centroids in the original units. */
  init?: 'k-means++' | 'random' | readonly (readonly number[])[];
  /**
   * Called as the fit advances, with `done / total` the share of the work done (0 … 1, non-decreasing, ending at
   * exactly 1): once per pass over the rows (a seeding draw or a Lloyd iteration), at most a few hundred times a run.
   * Runs completed are exact; within a run the share of the iterations still to come is estimated. For progress
   * bars; it does not change the result. Default none.
   */
  onProgress?: ProgressCallback;
}

/** A progress callback: `done` of `total` units of work (a fraction when `total` is 1). */
export type ProgressCallback = (done: number, total: number) => void;

/** A k-means segmentation; frozen. */
export interface Segmentation {
  readonly k: number;
  readonly columns: readonly string[];
  /** Segment (0 … k − 1) of every input row; −1 for rows left out (a missing or non-finite feature). */
  readonly labels: Int32Array;
  /** Centroids in the original units of the columns, k rows of `columns.length` values. */
  readonly centroids: readonly (readonly number[])[];
  /** Centroids in the scaled space where distances were taken. */
  readonly scaledCentroids: readonly (readonly number[])[];
  /** The scaling that maps original units to the clustering space; `predict` applies it to new rows. */
  readonly scaling: FeatureScaling;
  /** Within-segment sum of squared distances in the scaled space (scikit-learn's `inertia_`). */
  readonly inertia: number;
  /** Iterations of the kept run. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Rows per segment. */
  readonly sizes: Int32Array;
  /** Inertia of every run, in run order. */
  readonly runs: readonly number[];
  /** Input rows, rows kept and rows dropped by reason. */
  readonly rows: DropReport;
  /** Plain-language notes, e.g. when k exceeds the number of distinct points and centroids repeat. */
  readonly warnings: readonly string[];
  /** The segment of every row of a new table (same columns), −1 where a feature is missing: {@link predictSegments}. */
  readonly predict: (table: unknown) => Int32Array;
}

const DEFAULTS = { seed: 1, nInit: 10, maxIterations: 300, tolerance: 1e-4, standardize: 'zscore' as Standardize };

/**
 * k-means of a whole table in the calling thread: the core of the public `kmeans` (src/api/segment.ts), which
 * documents the fit and adds streams and threads.
 */
export function kmeansOfTable(table: unknown, options: KMeansOptions): Segmentation {
  const fn = 'kmeans';
  return fitKMeans(table, resolveKMeansOptions(options, fn), fn);
}

/** Options of {@link kmeans} that run its assignment steps on worker threads. */
export interface KMeansParallel {
  /** Worker threads, 1–256 (1 runs in-process), or 'auto' (the free cores, where the rows pay for them). */
  parallel: number | 'auto';
  /** Fewest rows worth a thread: fewer than `2 × minRowsPerWorker` rows run in-process. Default 250 000. */
  minRowsPerWorker?: number;
}

/** `kmeans` on a table in the calling thread, with the cluster sums reduced over blocks of `blockRows` rows. */
export function fitKMeans(table: unknown, o: ResolvedKMeansOptions, fn: string, blockRows = BLOCK_ROWS): Segmentation {
  const features = featureMatrix(asTable(table), o.columns, o.standardize, fn);
  checkK(o.k, features, fn);
  const { best, runs } = bestOfRuns(features, o.k, o, fn, blockRows);
  return segmentation(features, best, o.k, o.columns, runs, fn);
}

/**
 * The feature columns of a stream of batches as one table of Float64 columns (nulls as NaN), read once, batch by
 * batch: what `kmeans` keeps of a stream (O(n · d) doubles; the other columns are dropped with each batch).
 */
export async function featureTable(
  batches: AsyncIterable<RecordBatch | Table>,
  columns: readonly string[],
  fn: string,
): Promise<Table> {
  const parts: Float64Array[][] = columns.map(() => []);
  let rows = 0;
  // A non-numeric column whose values in this batch are all null: the whole table would name the column's first
  // value, which may come in a later batch; keep reading that column only, to name the same row.
  let pending: { error: unknown; column: string } | undefined;
  for await (const batch of batches) {
    const table = asTable(batch);
    if (pending !== undefined) {
      const vector = table.getChild(pending.column);
      if (vector !== null && vector.nullCount < vector.length) {
        try {
          readNumeric(table, pending.column, fn, 'columns');
        } catch (e) {
          throw shiftRow(e, rows);
        }
      }
    } else {
      for (let j = 0; j < columns.length && pending === undefined; j++) {
        try {
          // a copy: the values may view the batch's own memory, which should go with the batch
          parts[j].push(readNumeric(table, columns[j], fn, 'columns').values.slice());
        } catch (e) {
          const vector = table.getChild(columns[j]);
          if (isClienteleError(e) && e.code === 'INVALID_TYPE' && vector !== null && vector.nullCount === vector.length)
            pending = { error: e, column: columns[j] };
          else throw shiftRow(e, rows);
        }
      }
    }
    rows += table.numRows;
  }
  if (pending !== undefined) throw pending.error;
  const data: Record<string, Vector> = nullRecord();
  columns.forEach((c, j) => {
    const all = new Float64Array(rows);
    let at = 0;
    for (const part of parts[j]) {
      all.set(part, at);
      at += part.length;
    }
    parts[j] = [];
    data[c] = makeVector(all);
  });
  return new Table(data);
}

/** A batch's error with its row counted from the start of the stream. */
function shiftRow(e: unknown, offset: number): unknown {
  if (!isClienteleError(e) || e.row === undefined || offset === 0) return e;
  const row = e.row + offset;
  return new ClienteleError(e.code, e.message.replace(new RegExp(`\\brow ${e.row}\\b`, 'g'), `row ${row}`), {
    ...(e.column === undefined ? {} : { column: e.column }),
    row,
  });
}

/**
 * The best (lowest inertia) of `nInit` runs of Hamerly's Lloyd on the scaled features, each from its own seeding
 * drawn from a source seeded once with `seed`; one run from explicit starting centroids.
 */
export function bestOfRuns(
  features: FeatureMatrix,
  k: number,
  o: Pick<ResolvedKMeansOptions, 'seed' | 'nInit' | 'maxIterations' | 'tolerance' | 'init' | 'onProgress'>,
  fn: string,
  blockRows = BLOCK_ROWS,
): { best: KMeansRun; runs: number[] } {
  const workspace = kmeansWorkspace(features.n);
  const state = blockState(features.data, features.n, features.d, k, blockRows, workspace);
  return runInProcess(bestOfRunsSteps(features, k, o, fn, state), state);
}

/**
 * {@link bestOfRuns} as a generator of the assignment steps over the blocks of `state` (see `lloydSteps`): the
 * seedings and the loop's bookkeeping run on the driving thread, the steps wherever the driver sends them.
 */
export function* bestOfRunsSteps(
  features: FeatureMatrix,
  k: number,
  o: Pick<ResolvedKMeansOptions, 'seed' | 'nInit' | 'maxIterations' | 'tolerance' | 'init' | 'onProgress'>,
  fn: string,
  state: BlockState,
): Generator<Step, { best: KMeansRun; runs: number[] }, StepResult> {
  const start = o.init === 'k-means++' || o.init === 'random' ? null : scaledStart(o.init, features, k, fn);
  const nInit = start ? 1 : o.nInit;
  const tolerance = o.tolerance * meanVariance(features);
  const master = randomSource(o.seed);
  let best = null as KMeansRun | null;
  let bestLabels: Int32Array | undefined;
  const runs: number[] = [];
  const report = o.onProgress;
  report?.(0, 1);
  for (let r = 0; r < nInit; r++) {
    // the best run's labels live in the state until this run overwrites them: copied then, into one buffer for all
    // runs (with nInit 1, or when the last run is the best, never)
    if (best !== null && best.labels === state.labels) {
      bestLabels ??= new Int32Array(state.labels.length);
      bestLabels.set(state.labels);
      best = { ...best, labels: bestLabels };
    }
    const rng = randomSource(master.uint32());
    // a run's passes counted as they go: k seeding draws and about 20 Lloyd iterations expected, never reaching 1
    const tick = report ? runTicker(report, r, nInit, k) : undefined;
    const seeding = start || o.init === 'random' ? null : yield* counted(kmeansPlusPlusSteps(state, k, rng), tick);
    const seeds = seeding ? seeding.centers : (start ?? randomRows(features, k, rng));
    const run = yield* counted(lloydSteps(state, seeds, o.maxIterations, tolerance, false, seeding !== null), tick);
    runs.push(run.inertia);
    if (best === null || run.inertia < best.inertia) best = run;
    report?.((r + 1) / nInit, 1);
  }
  return { best: best!, runs };
}

/** The progress of run r of `runs` after each of its passes: (r + s / (s + k + 20)) / runs after s passes. */
function runTicker(report: ProgressCallback, r: number, runs: number, k: number): () => void {
  let passes = 0;
  return () => {
    passes++;
    report((r + passes / (passes + k + 20)) / runs, 1);
  };
}

/** The steps of `steps`, passed through unchanged, with `tick` called after each one has run. */
function* counted<R>(
  steps: Generator<Step, R, StepResult>,
  tick: (() => void) | undefined,
): Generator<Step, R, StepResult> {
  if (tick === undefined) return yield* steps;
  let next = steps.next();
  while (!next.done) {
    const result: StepResult = yield next.value;
    tick();
    next = steps.next(result);
  }
  return next.value;
}

/** The frozen result from the kept run. */
export function segmentation(
  features: FeatureMatrix,
  run: KMeansRun,
  k: number,
  columns: readonly string[],
  runs: readonly number[],
  fn: string,
): Segmentation {
  const { d, rows, inputRows, scaling, drops } = features;
  const labels = new Int32Array(inputRows).fill(-1);
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows.length; i++) {
    labels[rows[i]] = run.labels[i];
    sizes[run.labels[i]]++;
  }
  const scaledCentroids: number[][] = [];
  const centroids: number[][] = [];
  for (let j = 0; j < k; j++) {
    const z = Array.from(run.centers.subarray(j * d, j * d + d));
    scaledCentroids.push(z);
    centroids.push(z.map((v, t) => toOriginalUnits(v, scaling.scale[t], scaling.center[t])));
  }
  const warnings: string[] = [];
  const distinct = new Set(scaledCentroids.map((c) => c.join(','))).size;
  const empty = Array.from(sizes).filter((size) => size === 0).length;
  if (distinct < k) {
    warnings.push(
      `${fn}: only ${distinct} of the ${k} centroids are distinct: the data have fewer than k distinct points, so some segments split identical rows; choose k ≤ ${distinct}`,
    );
  } else if (empty > 0) {
    warnings.push(`${fn}: ${empty} of the ${k} segments are empty; choose a smaller k`);
  }
  if (!run.converged)
    warnings.push(
      `${fn}: the kept run stopped on maxIterations (${run.iterations}) before its centroids settled; raise maxIterations`,
    );
  const frozenCentroids = Object.freeze(centroids.map((c) => Object.freeze(c)));
  const result = {
    k,
    columns: Object.freeze([...columns]),
    labels,
    centroids: frozenCentroids,
    scaledCentroids: Object.freeze(scaledCentroids.map((c) => Object.freeze(c))),
    scaling,
    inertia: run.inertia,
    iterations: run.iterations,
    converged: run.converged,
    sizes,
    runs: Object.freeze([...runs]),
    rows: Object.freeze({
      rows: inputRows,
      kept: rows.length,
      dropped: Object.freeze({ ...drops.counts }),
      firstRow: Object.freeze({ ...drops.first }),
      total: drops.total,
    }),
    warnings: Object.freeze(warnings),
    predict: (newRows: unknown): Int32Array => predictSegments(result, newRows),
  };
  return Object.freeze(result) as Segmentation;
}

/**
 * The nearest centroid of every row of `table`, in the segmentation's scaled space (the same scaling as the fit):
 * how new customers join existing segments. Rows with a missing or non-finite feature get −1.
 *
 * Cost: O(n · k · d).
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` for the segmentation's columns
 * @example
 * const seg = kmeans({ x: [0, 0.1, 5, 5.1] }, { columns: ['x'], k: 2, standardize: 'none', seed: 1 });
 * const next = Array.from(predictSegments(seg, { x: [4.8, null] }));
 * next[0] === seg.labels[2]; // true
 * next[1]; // -1
 */
export function predictSegments(
  model: Pick<Segmentation, 'columns' | 'scaledCentroids' | 'scaling' | 'k'>,
  table: unknown,
): Int32Array {
  const fn = 'predictSegments';
  const m = model as Partial<Segmentation> | null;
  if (!(Array.isArray(m?.columns) && Array.isArray(m?.scaledCentroids) && typeof m?.scaling?.method === 'string')) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the model must be a kmeans result (found ${describeValue(model)}); pass what kmeans returned`,
    );
  }
  const features = featureMatrix(asTable(table), model.columns, model.scaling.method, fn, model.scaling);
  const d = features.d;
  const centers = Float64Array.from(model.scaledCentroids.flat());
  const out = new Int32Array(features.inputRows).fill(-1);
  for (let i = 0; i < features.n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let j = 0; j < model.k; j++) {
      const dist = squaredDistance(features.data, i * d, centers, j * d, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    out[features.rows[i]] = best;
  }
  return out;
}

export interface ResolvedKMeansOptions {
  columns: string[];
  k: number;
  seed: number;
  nInit: number;
  maxIterations: number;
  tolerance: number;
  standardize: Standardize;
  init: 'k-means++' | 'random' | readonly (readonly number[])[];
  onProgress?: ProgressCallback;
}

/**
 * The numeric and named options of the k-means functions as a spec of the one option validator (src/table/options.ts);
 * `columns` and `init` depend on the data and are checked beside it. The CLI's `segment` flags read them too.
 */
export const KMEANS_OPTIONS = Object.freeze({
  k: integerRule(1, Infinity, undefined, 'pass the number of segments, e.g. { k: 4 } (chooseK helps pick it)'),
  seed: integerRule(0, Infinity, DEFAULTS.seed),
  // bounded: each run costs up to maxIterations passes over the data, so a runaway value is refused, not run
  nInit: integerRule(1, 10_000, DEFAULTS.nInit, 'leave it out for 10 runs; more than a few dozen rarely helps'),
  maxIterations: integerRule(1, 1_000_000, DEFAULTS.maxIterations, 'leave it out for 300; Lloyd settles in tens'),
  tolerance: numberRule(0, DEFAULTS.tolerance, 'the default is 1e-4'),
  standardize: oneOfRule(['zscore', 'minmax', 'none'] as const, DEFAULTS.standardize),
});

/** Validates the options shared by the k-means functions. @throws {ClienteleError} `INVALID_OPTION` */
export function resolveKMeansOptions(options: KMeansOptions, fn: string): ResolvedKMeansOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with columns and k (found ${describeValue(options)}); e.g. { columns: ['recency', 'frequency', 'monetary'], k: 4 }`,
    );
  }
  const columns = checkColumns(options.columns, fn);
  const { k, seed, nInit, maxIterations, tolerance, standardize } = checkOptions(options, KMEANS_OPTIONS, fn);
  const init = options.init ?? 'k-means++';
  if (init !== 'k-means++' && init !== 'random') {
    const ok =
      Array.isArray(init) &&
      init.length === k &&
      init.every(
        (c) =>
          Array.isArray(c) &&
          c.length === columns.length &&
          c.every((v) => typeof v === 'number' && Number.isFinite(v)),
      );
    if (!ok) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option init must be 'k-means++', 'random' or ${k} centroids of ${columns.length} finite numbers each, in the columns' units (found ${describeValue(init)})`,
      );
    }
  }
  const onProgress = checkProgressCallback(options.onProgress, fn);
  return { columns, k, seed, nInit, maxIterations, tolerance, standardize, init, onProgress };
}

/** An optional progress callback: a function or nothing. @throws {ClienteleError} `INVALID_OPTION` */
function checkProgressCallback(callback: unknown, fn: string): ProgressCallback | undefined {
  if (callback === undefined || typeof callback === 'function') return callback as ProgressCallback | undefined;
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option onProgress must be a function (done, total) => void (found ${describeValue(callback)}); leave it out for no progress reports`,
  );
}

/** @throws {ClienteleError} `EMPTY_INPUT` with no usable row, `INVALID_OPTION` when k exceeds the rows kept */
export function checkK(k: number, features: FeatureMatrix, fn: string): void {
  if (features.n === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has every feature (${features.inputRows} rows, ${features.drops.total} with a missing or non-finite value, first at row ${features.drops.first.invalidValue ?? 0}); check the columns or fill the gaps`,
    );
  }
  if (k > features.n) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option k (${k}) exceeds the ${features.n} rows that have every feature; choose k ≤ ${features.n}`,
    );
  }
}

/**
 * Mean per-feature variance (divisor n) of the scaled points: scikit-learn scales `tol` by it. Known without a pass
 * for z-scores (1 per non-constant feature); otherwise one pass in row order (sums and sums of squares around a
 * first-row shift, which keeps the cancellation small).
 */
export function meanVariance(features: FeatureMatrix): number {
  const { data, n, d, scaling } = features;
  if (scaling.method === 'zscore' && scaling.center.length === d) {
    // each non-constant column has variance exactly 1 after z-scoring (constant ones 0, their scale being 1)
    let total = 0;
    for (let t = 0; t < d; t++) {
      let constant = true;
      for (let i = 1; i < n && constant; i++) if (data[i * d + t] !== data[t]) constant = false;
      if (!constant) total += 1;
    }
    return total / d;
  }
  const sum = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let t = 0; t < d; t++) {
      const v = data[base + t] - data[t];
      sum[t] += v;
      squares[t] += v * v;
    }
  }
  let total = 0;
  for (let t = 0; t < d; t++) total += Math.max(0, squares[t] / n - (sum[t] / n) ** 2);
  return total / d;
}

function scaledStart(
  init: readonly (readonly number[])[],
  features: FeatureMatrix,
  k: number,
  fn: string,
): Float64Array {
  const d = features.d;
  const out = new Float64Array(k * d);
  init.forEach((c, j) =>
    c.forEach((v, t) => (out[j * d + t] = (v - features.scaling.center[t]) / features.scaling.scale[t])),
  );
  if (out.some((v) => !Number.isFinite(v)))
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option init gives a non-finite scaled centroid; pass centroids in the columns' units`,
    );
  return out;
}

/** k distinct rows drawn uniformly (Forgy's method). */
function randomRows(features: FeatureMatrix, k: number, rng: ReturnType<typeof randomSource>): Float64Array {
  const { data, n, d } = features;
  const out = new Float64Array(k * d);
  const chosen = new Set<number>();
  for (let j = 0; j < k; j++) {
    let i = rng.int(n);
    while (chosen.has(i)) i = rng.int(n);
    chosen.add(i);
    out.set(data.subarray(i * d, i * d + d), j * d);
  }
  return out;
}
