import { squaredDistance } from './distance-kernels';
import { BLOCK_ROWS, blockState, combineBlocks, combineInertia, runInProcess } from './kmeans-blocks';
import type { BlockState, Step, StepResult } from './kmeans-blocks';
import type { KMeansWorkspace } from './kmeans-plus-plus';

/** Outcome of one k-means run from given starting centres. */
export interface KMeansRun {
  /** k × d final centres, row-major, in the clustering space. */
  readonly centers: Float64Array;
  /** Cluster of each point. */
  readonly labels: Int32Array;
  /** Σ ‖x − c_label‖², in the clustering space. */
  readonly inertia: number;
  /** Lloyd iterations run (assignment + update). */
  readonly iterations: number;
  /** True when the labels stopped changing or the centres moved less than the tolerance. */
  readonly converged: boolean;
  /** With `trace`: the inertia after each assignment step. */
  readonly trace?: Float64Array;
}

/**
 * Lloyd's k-means iterations, accelerated with Hamerly's bounds (Hamerly 2010, "Making k-means even faster",
 * SIAM SDM, Algorithm 2): each point keeps an upper bound u on the distance to its own centre and a lower bound l
 * on the distance to any other; with s_j half the distance from centre j to its nearest other centre, a point whose
 * u ≤ max(s_label, l) cannot change cluster and costs no distance at all. The assignments are exactly Lloyd's
 * (ties to the lower centre index when a full scan is needed). Cluster sums are updated only for the points that
 * change cluster, and the bounds are moved in the same pass as the next assignment, so an iteration reads each
 * point's bounds once and its coordinates only when the bounds fail.
 *
 * The loop follows scikit-learn's `_kmeans_single_lloyd`: an iteration is an assignment step then an update step;
 * it stops when the labels no longer change ("strict convergence") or when the centres' total squared shift
 * Σ_j ‖c_j' − c_j‖² is at most `tolerance`; without strict convergence the points are assigned once more, so that
 * labels and centres agree. A cluster left empty takes the point farthest from its centre (scikit-learn's
 * relocation rule: that point is also taken out of its old cluster's sum).
 *
 * The points are cut into fixed blocks (`kmeans-blocks.ts`): cluster sums are kept per block and added in block
 * order, the inertia likewise, so that the same loop run with its steps on worker threads ({@link lloydSteps},
 * each thread a range of blocks) gives the same numbers to the last bit.
 *
 * Cost: O(n) per iteration for the bounds, plus O(k · d) per point whose bounds fail — in practice a few per cent
 * after the first iterations. Memory: labels and two bounds per point, k × d sums per block of 4096 points.
 *
 * @param data n × d points, row-major
 * @param start k × d starting centres (copied)
 * @param tolerance absolute bound on the centres' total squared shift
 * @param seeding the seeds' nearest-centre labels and squared distances (from `kmeansPlusPlus`): they start the
 *   bounds, so the first assignment needs no full scan
 * @param workspace per-point buffers to reuse; the result's `labels` is then a view of `workspace.labels`
 */
export function hamerlyKMeans(
  data: Float64Array,
  n: number,
  d: number,
  start: Float64Array,
  k: number,
  maxIterations: number,
  tolerance: number,
  trace = false,
  seeding?: { readonly nearest: Int32Array; readonly closest: Float64Array },
  workspace?: Pick<KMeansWorkspace, 'labels' | 'upper' | 'lower'>,
  blockRows = BLOCK_ROWS,
): KMeansRun {
  const given = {
    ...(workspace ? { labels: workspace.labels, upper: workspace.upper, lower: workspace.lower } : {}),
    ...(seeding ? { nearest: seeding.nearest, closest: seeding.closest } : {}),
  };
  const state = blockState(data, n, d, k, blockRows, given);
  return runInProcess(lloydSteps(state, start, maxIterations, tolerance, trace, seeding !== undefined), state);
}

/**
 * The loop of {@link hamerlyKMeans} as a generator of steps over the blocks of `state`: it yields each step
 * (start, assign, farthest, move, inertia) and resumes with its merged result, so that the same loop runs its
 * steps in the calling thread ({@link runInProcess}) or on worker threads; everything else (centre updates,
 * relocation choices, the stopping rule) happens here, on the thread that drives it.
 *
 * @param seeded start from `state.nearest` and `state.closest` (a k-means++ seeding of `start`) instead of a full scan
 */
export function* lloydSteps(
  state: BlockState,
  start: Float64Array,
  maxIterations: number,
  tolerance: number,
  trace: boolean,
  seeded: boolean,
): Generator<Step, KMeansRun, StepResult> {
  const { n, d, k } = state;
  let centers = Float64Array.from(start);
  let next = new Float64Array(k * d);
  /** s_j = ½ min_{j' ≠ j} ‖c_j − c_j'‖ */
  const half = new Float64Array(k);
  /** U_j: the total distance centre j has moved so far (upper bounds of its points grow by it). */
  const drift = new Float64Array(k);
  /** L_j: the total by which lower bounds of centre j's points have had to fall (Σ of the largest other move). */
  const fall = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const history: number[] = [];
  function* inertia(): Generator<Step, number, StepResult> {
    yield { op: 'inertia', centers };
    return combineInertia(state);
  }
  function* assign(): Generator<Step, number, StepResult> {
    halfDistances(centers, half, d, k);
    return (yield { op: 'assign', centers, half, drift, fall }).changed;
  }
  let iterations = 0;
  let strict = false;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed: number;
    if (iterations === 1) {
      // The first assignment starts from no labels (as scikit-learn's), so it never counts as strict convergence.
      yield { op: 'start', mode: seeded ? 'seeded' : 'full', centers };
      changed = n;
    } else changed = yield* assign();
    if (trace) history.push(yield* inertia());
    if (changed === 0 && iterations > 1) {
      strict = true;
      converged = true;
      break;
    }
    // The update step: centres as cluster means (empty clusters re-seeded first).
    combineBlocks(state, sums, counts);
    if (counts.some((c) => c === 0)) {
      yield* relocateEmpty(centers, counts, drift, fall, k);
      combineBlocks(state, sums, counts);
    }
    const shift = update(centers, next, sums, counts, drift, fall, d, k);
    [centers, next] = [next, centers];
    if (shift <= tolerance) {
      converged = true;
      break;
    }
  }
  if (!strict && iterations > 0) {
    yield* assign();
    if (trace) history.push(yield* inertia());
  }
  const run: KMeansRun = { centers, labels: state.labels, inertia: yield* inertia(), iterations, converged };
  if (trace) (run as { trace?: Float64Array }).trace = Float64Array.from(history);
  return run;
}

function halfDistances(centers: Float64Array, half: Float64Array, d: number, k: number): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const dist = 0.5 * Math.sqrt(squaredDistance(centers, a * d, centers, b * d, d));
      if (dist < half[a]) half[a] = dist;
      if (dist < half[b]) half[b] = dist;
    }
  }
}

/** Centres as cluster means into `next` (an empty cluster stays), their moves into drift and fall; returns Σ_j ‖c_j' − c_j‖². */
function update(
  centers: Float64Array,
  next: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  drift: Float64Array,
  fall: Float64Array,
  d: number,
  k: number,
): number {
  for (let j = 0; j < k; j++) {
    if (counts[j] > 0) {
      const inv = 1 / counts[j];
      for (let t = 0; t < d; t++) next[j * d + t] = sums[j * d + t] * inv;
    } else for (let t = 0; t < d; t++) next[j * d + t] = centers[j * d + t];
  }
  let shift = 0;
  let farthest = -1;
  let p1 = 0;
  let p2 = 0;
  for (let j = 0; j < k; j++) {
    const sq = squaredDistance(next, j * d, centers, j * d, d);
    shift += sq;
    const p = Math.sqrt(sq);
    drift[j] += p;
    if (p > p1) {
      p2 = p1;
      p1 = p;
      farthest = j;
    } else if (p > p2) p2 = p;
  }
  // Hamerly's lower-bound update: a point of centre j loses the largest move of any other centre.
  for (let j = 0; j < k; j++) fall[j] += j === farthest ? p2 : p1;
  return shift;
}

/**
 * scikit-learn's rule: each empty cluster, in index order, takes the point farthest from its current centre (ties
 * to the lower row), which leaves its old cluster (scikit-learn moves only the sums and lets the next assignment
 * move the label; here the label moves at once, so that the sums kept up to date stay the sums of the labels — the
 * next assignment would do the same). The choice is made here from the k farthest points; the move is a step.
 */
function* relocateEmpty(
  centers: Float64Array,
  counts: Float64Array,
  drift: Float64Array,
  fall: Float64Array,
  k: number,
): Generator<Step, void, StepResult> {
  const found = yield { op: 'farthest', centers, m: k };
  const rows: number[] = [];
  const targets: number[] = [];
  let next = 0;
  for (let j = 0; j < k; j++) {
    if (counts[j] !== 0) continue;
    if (next >= found.rows.length) break;
    const old = found.labels[next];
    rows.push(found.rows[next++]);
    targets.push(j);
    counts[old]--;
    counts[j] = 1;
  }
  yield { op: 'move', rows: Int32Array.from(rows), targets: Int32Array.from(targets), drift, fall };
}
