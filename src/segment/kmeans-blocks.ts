import type { RecordBatch, Table } from 'apache-arrow';
import { addCompensated } from '../math/internal';
import { asTable } from '../table/internal';
import { candidateKernel, weightedCandidateKernel } from './candidate-kernel';
import { distanceKernels, squaredDistance } from './distance-kernels';

/**
 * The per-point state of a k-means fit cut into fixed blocks of rows, and the steps of Hamerly's Lloyd loop as
 * operations on a range of blocks. The same operations run in the calling thread over every block (`kmeans`) and
 * on worker threads over contiguous ranges of blocks (`kmeans(…, { parallel })`), which is what makes both give
 * the same numbers to the last bit:
 *
 * - each point's label and bounds depend only on that point and on the centres, drifts and falls the loop hands
 *   out, never on the other points, so any partition of the rows gives the same labels and bounds;
 * - the sums of the points of each cluster are kept per block (updated in row order inside the block as points
 *   change cluster), and the loop adds the blocks' sums in block order, so a thread boundary at a block boundary
 *   changes no addition; counts are integers; the inertia is summed per block, then over blocks in order.
 *
 * The block size is a constant of the library, never derived from the thread count. Buffers may live on a
 * `SharedArrayBuffer` that the library allocated for the fit, so that worker threads read the scaled features and
 * update labels, bounds and block sums in place, without a copy per iteration.
 */

/** Rows per block: the unit of the reductions (cluster sums, inertia) and of the work given to a thread. */
export const BLOCK_ROWS = 4096;

/** The arrays of a blocked fit: per point (n), per block and cluster (blocks × k × d), per block. */
export interface BlockBuffers {
  /** n × d scaled points, row-major. */
  readonly data: Float64Array;
  readonly labels: Int32Array;
  /** Hamerly's bounds, relative to each centre's cumulative drift and fall (see `distance-kernels.ts`). */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Σ of the points of cluster j in block b, at (b · k + j) · d. */
  readonly sums: Float64Array;
  /** Points of cluster j in block b, at b · k + j. */
  readonly counts: Float64Array;
  /** Σ ‖x − c_label‖² over block b, at b (written by the `inertia` step). */
  readonly inertia: Float64Array;
  /** The k-means++ seeding's nearest seed and squared distance D(x)² per point (the `seeded` start reads them). */
  readonly nearest: Int32Array;
  readonly closest: Float64Array;
  /** Σ D(x)² of block b, at b (times the weights, when there are weights; the seeding draws a block from them). */
  readonly seedTotals: Float64Array;
  /** The potential of each of the seeding's `trials` candidates over block b, at b · trials + t. */
  readonly seedPots: Float64Array;
  /**
   * A weight per point for a weighted k-means++ seeding (k-means‖ reclusters its candidates weighted by the rows
   * nearest to each): D(x)² counts w(x) times in the running sums, totals and potentials. Absent: every weight 1.
   */
  readonly weights?: Float64Array;
}

/** A blocked fit: its sizes and buffers. Plain data, so that it can be posted to a worker thread. */
export interface BlockState extends BlockBuffers {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly blockRows: number;
  /** Candidates per k-means++ round, 2 + ⌊ln k⌋. */
  readonly trials: number;
}

/** One step of the loop, run over a range of blocks. */
export type Step =
  /** Start a run: labels and upper bounds from the seeding (`seeded`, lower bounds 0) or from a full scan; block sums from the labels. */
  | { readonly op: 'start'; readonly mode: 'seeded' | 'full'; readonly centers: Float64Array }
  /** Hamerly's assignment pass; the result's `changed` counts points that changed cluster. */
  | {
      readonly op: 'assign';
      readonly centers: Float64Array;
      readonly half: Float64Array;
      readonly drift: Float64Array;
      readonly fall: Float64Array;
    }
  /** The `m` points farthest from their own centre (distance descending, row ascending), for re-seeding empty clusters. */
  | { readonly op: 'farthest'; readonly centers: Float64Array; readonly m: number }
  /** Points `rows[q]` become the only member of the (empty) cluster `targets[q]`, in order. */
  | {
      readonly op: 'move';
      readonly rows: Int32Array;
      readonly targets: Int32Array;
      readonly drift: Float64Array;
      readonly fall: Float64Array;
    }
  /** Per-block inertia into `inertia`. */
  | { readonly op: 'inertia'; readonly centers: Float64Array }
  /** k-means++: the first centre `point`; D(x)², nearest (0), block running sums and totals. */
  | { readonly op: 'seedFirst'; readonly point: Float64Array }
  /** k-means++: each candidate's potential per block (`seedPots`); candidates trials × d, min ‖candidate − c_j‖² per centre j. */
  | { readonly op: 'seedScore'; readonly candidates: Float64Array; readonly nearestCandidate: Float64Array }
  /** k-means++: `point` becomes centre `c`; `toCenters[j]` = ‖point − c_j‖²; D(x)², nearest, running sums and totals updated. */
  | { readonly op: 'seedPlace'; readonly point: Float64Array; readonly c: number; readonly toCenters: Float64Array };

/** What a step returns: mergeable over ranges of blocks (sum; sorted union). */
export interface StepResult {
  readonly changed: number;
  /** With `farthest`: squared distances, rows and labels of the farthest points, best first. */
  readonly far: readonly number[];
  readonly rows: readonly number[];
  readonly labels: readonly number[];
}

const NOTHING: StepResult = Object.freeze({
  changed: 0,
  far: Object.freeze([]),
  rows: Object.freeze([]),
  labels: Object.freeze([]),
});

/** The number of blocks of n rows. */
export function blockCount(n: number, blockRows: number): number {
  return Math.ceil(n / blockRows);
}

/**
 * Per-point and per-block buffers for a fit of n points into k clusters; on one `SharedArrayBuffer` when `shared`.
 * `data`, and optionally the per-point arrays, are given (the feature matrix and the seeding's workspace).
 */
export function blockState(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  blockRows: number,
  given: Partial<Pick<BlockBuffers, 'labels' | 'upper' | 'lower' | 'nearest' | 'closest' | 'weights'>> = {},
  shared = false,
): BlockState {
  const blocks = blockCount(n, blockRows);
  const trials = 2 + Math.floor(Math.log(k));
  const f64 = (length: number) =>
    shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  const i32 = (length: number) => (shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length));
  return {
    n,
    d,
    k,
    blockRows,
    trials,
    data,
    labels: given.labels ?? i32(n),
    upper: given.upper ?? f64(n),
    lower: given.lower ?? f64(n),
    nearest: given.nearest ?? i32(n),
    closest: given.closest ?? f64(n),
    seedTotals: f64(blocks),
    seedPots: f64(blocks * trials),
    sums: f64(blocks * k * d),
    counts: f64(blocks * k),
    inertia: f64(blocks),
    ...(given.weights ? { weights: given.weights } : {}),
  };
}

/** Runs a step over blocks b0 … b1 − 1. */
function runStep(s: BlockState, b0: number, b1: number, step: Step): StepResult {
  switch (step.op) {
    case 'start':
      for (let b = b0; b < b1; b++) startBlock(s, b, step.mode, step.centers);
      return NOTHING;
    case 'assign':
      return { ...NOTHING, changed: assignBlocks(s, b0, b1, step) };
    case 'farthest':
      return farthest(s, b0, b1, step.centers, step.m);
    case 'move':
      moveBlocks(s, b0, b1, step);
      return NOTHING;
    case 'inertia':
      for (let b = b0; b < b1; b++) s.inertia[b] = blockInertia(s, b, step.centers);
      return NOTHING;
    case 'seedFirst':
      for (let b = b0; b < b1; b++) seedFirst(s, b, step.point);
      return NOTHING;
    case 'seedScore': {
      const { weights } = s;
      for (let b = b0; b < b1; b++) {
        const [begin, end] = rowsOf(s, b);
        const score = weights
          ? weightedCandidateKernel(s.d, s.trials, weights.subarray(begin, end))
          : candidateKernel(s.d, s.trials);
        score(
          s.data.subarray(begin * s.d, end * s.d),
          end - begin,
          s.closest.subarray(begin, end),
          s.nearest.subarray(begin, end),
          step.nearestCandidate,
          step.candidates,
          s.seedPots.subarray(b * s.trials, (b + 1) * s.trials),
        );
      }
      return NOTHING;
    }
    case 'seedPlace':
      for (let b = b0; b < b1; b++) seedPlace(s, b, step.point, step.c, step.toCenters);
      return NOTHING;
    default: {
      const never: never = step;
      throw new Error(`kmeans: unknown step ${JSON.stringify(never)}`);
    }
  }
}

/** The results of two ranges of blocks as one (associative; the farthest lists keep their order). */
function mergeResults(a: StepResult, b: StepResult, m: number): StepResult {
  if (a.far.length === 0 && b.far.length === 0) return { ...NOTHING, changed: a.changed + b.changed };
  const far: number[] = [];
  const rows: number[] = [];
  const labels: number[] = [];
  let i = 0;
  let j = 0;
  while (far.length < m && (i < a.far.length || j < b.far.length)) {
    const takeA =
      j >= b.far.length ||
      (i < a.far.length && (a.far[i] > b.far[j] || (a.far[i] === b.far[j] && a.rows[i] < b.rows[j])));
    if (takeA) {
      far.push(a.far[i]);
      rows.push(a.rows[i]);
      labels.push(a.labels[i++]);
    } else {
      far.push(b.far[j]);
      rows.push(b.rows[j]);
      labels.push(b.labels[j++]);
    }
  }
  return { changed: a.changed + b.changed, far, rows, labels };
}

function rowsOf(s: BlockState, b: number): [number, number] {
  const begin = b * s.blockRows;
  return [begin, Math.min(s.n, begin + s.blockRows)];
}

function startBlock(s: BlockState, b: number, mode: 'seeded' | 'full', centers: Float64Array): void {
  const { data, d, k, labels, upper, lower } = s;
  const [begin, end] = rowsOf(s, b);
  if (mode === 'seeded') {
    // k-means++ already knows each point's nearest seed and its distance: valid bounds with a zero lower bound
    for (let i = begin; i < end; i++) {
      labels[i] = s.nearest[i];
      upper[i] = Math.sqrt(s.closest[i]);
      lower[i] = 0;
    }
  } else {
    // squared distances to the nearest and second nearest centre, then Hamerly's bounds (their square roots)
    assignNearest(data, begin, end, d, centers, k, labels, upper, lower);
    for (let i = begin; i < end; i++) {
      upper[i] = Math.sqrt(upper[i]);
      lower[i] = Math.sqrt(lower[i]);
    }
  }
  // the block's cluster sums and counts from its labels, in row order
  const at = b * k;
  const sums = s.sums.subarray(at * d, (at + k) * d);
  const counts = s.counts.subarray(at, at + k);
  sums.fill(0);
  counts.fill(0);
  accumulateClusters(data, begin, end, d, labels, sums, counts);
}

/**
 * The assignment of a Lloyd step, the one nearest-centre scan of k-means (`start` here, `kmeansStatsAggregate`): for
 * rows begin … end − 1 of the n × d `data`, the nearest of the k centres (squared Euclidean distance, ties to the
 * lower index; the compiled kernel of `distance-kernels.ts`) into labels[i], its squared distance into nearest[i]
 * and, when `second` is given, the second smallest squared distance into second[i].
 */
export function assignNearest(
  data: Float64Array,
  begin: number,
  end: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  nearest: Float64Array,
  second?: Float64Array,
): void {
  const { nearestTwo } = distanceKernels(d);
  const scan = new Float64Array(2);
  for (let i = begin; i < end; i++) {
    labels[i] = nearestTwo(data, i * d, centers, k, scan);
    nearest[i] = scan[0];
    if (second) second[i] = scan[1];
  }
}

/**
 * The accumulation of a Lloyd step: rows begin … end − 1 of `data` added to their cluster `labels[i]`, in row order
 * — counts[label] + 1, and each feature t into sums[label · d + t]. Plain sums (what Hamerly's incremental updates
 * keep, so that every partition of the blocks adds the same numbers), or compensated sums (Neumaier, the running
 * compensation in `compensation`, as the mergeable `kmeansStatsAggregate` keeps them) when `compensation` is given.
 */
export function accumulateClusters(
  data: Float64Array,
  begin: number,
  end: number,
  d: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
  compensation?: Float64Array,
): void {
  if (compensation) {
    for (let i = begin; i < end; i++) {
      const c = labels[i] * d;
      const base = i * d;
      counts[labels[i]]++;
      for (let t = 0; t < d; t++) addCompensated(sums, compensation, c + t, data[base + t]);
    }
    return;
  }
  for (let i = begin; i < end; i++) {
    const c = labels[i] * d;
    const base = i * d;
    for (let t = 0; t < d; t++) sums[c + t] += data[base + t];
    counts[labels[i]]++;
  }
}

function assignBlocks(s: BlockState, b0: number, b1: number, step: Extract<Step, { op: 'assign' }>): number {
  const { data, d, k, labels, upper, lower } = s;
  const { assignPass } = distanceKernels(d);
  let changed = 0;
  for (let b = b0; b < b1; b++) {
    const [begin, end] = rowsOf(s, b);
    const at = b * k;
    changed += assignPass(
      data.subarray(begin * d, end * d),
      end - begin,
      k,
      step.centers,
      labels.subarray(begin, end),
      upper.subarray(begin, end),
      lower.subarray(begin, end),
      step.half,
      step.drift,
      step.fall,
      s.sums.subarray(at * d, (at + k) * d),
      s.counts.subarray(at, at + k),
    );
  }
  return changed;
}

/** The m points of the blocks farthest from their own centre; ties to the lower row. */
function farthest(s: BlockState, b0: number, b1: number, centers: Float64Array, m: number): StepResult {
  const { data, d, labels } = s;
  const far: number[] = [];
  const rows: number[] = [];
  const end = Math.min(s.n, b1 * s.blockRows);
  for (let i = b0 * s.blockRows; i < end; i++) {
    const dist = squaredDistance(data, i * d, centers, labels[i] * d, d);
    if (far.length === m && !(dist > far[m - 1])) continue;
    // insertion into the short sorted list (m ≤ k); a later row never displaces an equal earlier one
    let q = Math.min(far.length, m - 1);
    if (far.length < m) {
      far.push(dist);
      rows.push(i);
    }
    while (q > 0 && far[q - 1] < dist) {
      far[q] = far[q - 1];
      rows[q] = rows[q - 1];
      q--;
    }
    far[q] = dist;
    rows[q] = i;
  }
  return { changed: 0, far, rows, labels: rows.map((i) => labels[i]) };
}

/**
 * Each move makes cluster `to` (empty) hold only point `row`, which leaves its old cluster: the cluster's sums are
 * cleared in every block (they hold only rounding residue of points that left), then set to the point in its block.
 */
function moveBlocks(s: BlockState, b0: number, b1: number, step: Extract<Step, { op: 'move' }>): void {
  const { data, d, k, labels, upper, lower, sums, counts } = s;
  const first = b0 * s.blockRows;
  const end = Math.min(s.n, b1 * s.blockRows);
  for (let q = 0; q < step.rows.length; q++) {
    const row = step.rows[q];
    const to = step.targets[q];
    for (let b = b0; b < b1; b++) {
      sums.fill(0, (b * k + to) * d, (b * k + to + 1) * d);
      counts[b * k + to] = 0;
    }
    if (row < first || row >= end) continue;
    const b = Math.floor(row / s.blockRows);
    const from = labels[row];
    for (let t = 0; t < d; t++) {
      sums[(b * k + from) * d + t] -= data[row * d + t];
      sums[(b * k + to) * d + t] = data[row * d + t];
    }
    counts[b * k + from]--;
    counts[b * k + to] = 1;
    labels[row] = to;
    upper[row] = -step.drift[to]; // the point becomes centre `to`: bounds 0, relative to its drift and fall
    lower[row] = step.fall[to];
  }
}

/** D(x)² to the first centre, nearest centre 0, the block's total. */
function seedFirst(s: BlockState, b: number, point: Float64Array): void {
  const { data, d, closest, nearest } = s;
  const distance = squaredDistance; // a local binding: under CommonJS (tsx) an imported name is a getter per call
  const [begin, end] = rowsOf(s, b);
  for (let i = begin; i < end; i++) {
    closest[i] = distance(data, i * d, point, 0, d);
    nearest[i] = 0;
  }
  s.seedTotals[b] = blockTotal(s, begin, end);
}

/**
 * Σ D(x)² over rows begin … end − 1 (times the weights, when there are weights), added in row order: a block's
 * total, and, stopped early, the running sum the seeding draws a row from (`drawRow` in `kmeans-plus-plus.ts`).
 */
function blockTotal(s: Pick<BlockState, 'closest' | 'weights'>, begin: number, end: number): number {
  const { closest, weights } = s;
  let total = 0;
  // two loops rather than a test per point: the unweighted one is k-means++'s hot path
  if (weights) for (let i = begin; i < end; i++) total += weights[i] * closest[i];
  else for (let i = begin; i < end; i++) total += closest[i];
  return total;
}

/**
 * Makes `point` centre number c: D(x)² and nearest centre updated where it is nearer, skipping the points for which
 * the triangle inequality rules it out (‖point − c_a‖² ≥ 4 D(x)², c_a the point's nearest centre); the block's new
 * total. Only the block totals are kept, not the running sums inside the blocks: a draw recomputes them in the one
 * block it lands in (4096 additions), which saves writing n doubles per pass.
 */
function seedPlace(s: BlockState, b: number, point: Float64Array, c: number, toCenters: Float64Array): void {
  const { data, d, closest, nearest } = s;
  const distance = squaredDistance; // a local binding, as in seedFirst
  const [begin, end] = rowsOf(s, b);
  if (s.weights) {
    for (let i = begin; i < end; i++) {
      if (toCenters[nearest[i]] >= 4 * closest[i]) continue;
      const dist = distance(data, i * d, point, 0, d);
      if (dist < closest[i]) {
        closest[i] = dist;
        nearest[i] = c;
      }
    }
    s.seedTotals[b] = blockTotal(s, begin, end);
    return;
  }
  let total = 0;
  for (let i = begin; i < end; i++) {
    let own = closest[i];
    if (toCenters[nearest[i]] < 4 * own) {
      const dist = distance(data, i * d, point, 0, d);
      if (dist < own) {
        own = dist;
        closest[i] = dist;
        nearest[i] = c;
      }
    }
    total += own;
  }
  s.seedTotals[b] = total;
}

function blockInertia(s: BlockState, b: number, centers: Float64Array): number {
  const { data, d, labels } = s;
  const [begin, end] = rowsOf(s, b);
  const distance = squaredDistance; // a local binding, as in seedFirst
  let total = 0;
  for (let i = begin; i < end; i++) total += distance(data, i * d, centers, labels[i] * d, d);
  return total;
}

/** Σ over blocks, in block order, of the blocks' cluster sums and counts (the first block's values as they are). */
export function combineBlocks(s: BlockState, sums: Float64Array, counts: Float64Array): void {
  const size = s.k * s.d;
  const blocks = blockCount(s.n, s.blockRows);
  sums.set(s.sums.subarray(0, size));
  counts.set(s.counts.subarray(0, s.k));
  for (let b = 1; b < blocks; b++) {
    for (let a = 0, at = b * size; a < size; a++, at++) sums[a] += s.sums[at];
    for (let j = 0, at = b * s.k; j < s.k; j++, at++) counts[j] += s.counts[at];
  }
}

/** Drives a generator of steps to its end, running every step over all blocks in the calling thread. */
export function runInProcess<R>(steps: Generator<Step, R, StepResult>, state: BlockState): R {
  const blocks = blockCount(state.n, state.blockRows);
  let next = steps.next();
  while (!next.done) next = steps.next(runStep(state, 0, blocks, next.value));
  return next.value;
}

/** Σ of the blocks' inertia, in block order. */
export function combineInertia(s: BlockState): number {
  const blocks = blockCount(s.n, s.blockRows);
  let total = s.inertia[0];
  for (let b = 1; b < blocks; b++) total += s.inertia[b];
  return total;
}

/** The options a worker receives for one step: the step and the fit's (shared) buffers. */
export type KMeansStepOptions = BlockState & { readonly step: Step };

/**
 * Internal (the worker registry): one step of a blocked k-means fit as a mergeable aggregate, for worker threads.
 * The "batch" is the worker's slice of a one-column table of block numbers (`block`, consecutive), so that a
 * session cuts the rows at block boundaries; the points, labels, bounds and block sums are in the options, on
 * `SharedArrayBuffer`s that every thread reads and writes in place (each thread only its own blocks). Partials are
 * {@link StepResult}s, merged by summing and by the farthest points' sorted union.
 */
export const kmeansStepAggregate = Object.freeze({
  init: (): StepResult => NOTHING,
  summarize(batch: RecordBatch | Table, options: KMeansStepOptions): StepResult {
    const slice = asTable(batch);
    if (slice.numRows === 0) return NOTHING;
    const b0 = Number(slice.getChild('block')!.get(0));
    return runStep(options, b0, b0 + slice.numRows, options.step);
  },
  merge: (a: StepResult, b: StepResult): StepResult => mergeResults(a, b, a.far.length + b.far.length),
  finish: (partial: StepResult): StepResult => partial,
});
