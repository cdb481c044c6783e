import type { RandomSource } from '../math/internal';
import { squaredDistance } from './distance-kernels';
import { BLOCK_ROWS, blockCount, blockState, runInProcess } from './kmeans-blocks';
import type { BlockState, Step, StepResult } from './kmeans-blocks';
export { squaredDistance } from './distance-kernels';

/** Seeds and what the seeding learnt about the points on the way. */
export interface Seeding {
  /** k × d centres, row-major. */
  readonly centers: Float64Array;
  /** Nearest centre of each point (ties to the lower index), i.e. Lloyd's first assignment. */
  readonly nearest: Int32Array;
  /** Squared distance of each point to its nearest centre. */
  readonly closest: Float64Array;
}

/**
 * Per-point buffers of one k-means run, allocated once per fit and reused by every run (STYLE: preallocate). The
 * seeding's `nearest` and `closest` are the memory of the run's `labels` and `upper`: Lloyd's seeded start turns
 * each point's nearest seed and D(x)² into its label and upper bound in place (`kmeans-blocks.ts`, `start`), and the
 * seeding of the next run starts after the run is over. Three per-point arrays are written rather than five, which
 * matters because first touching fresh memory costs about as much CPU as a Lloyd pass over it (page faults:
 * ~3 ms per MB measured here).
 */
export interface KMeansWorkspace {
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Buffers for n points; with `shared`, on `SharedArrayBuffer`s that worker threads read and write.
 */
export function kmeansWorkspace(n: number, shared = false): KMeansWorkspace {
  const f64 = (length: number) =>
    shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  const i32 = (length: number) => (shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length));
  const labels = i32(n);
  const upper = f64(n);
  return { closest: upper, nearest: labels, labels, upper, lower: f64(n) };
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the greedy variant of scikit-learn's `_kmeans_plusplus`):
 * the first centre is a uniformly drawn point; each next centre is the best of `2 + ⌊ln k⌋` candidates drawn with
 * probability proportional to D(x)², the squared distance to the nearest centre so far — "best" meaning the one
 * that leaves the smallest potential Σ D(x)² once added. When every point already sits on a centre (k larger than
 * the number of distinct points), candidates are drawn uniformly and centres repeat.
 *
 * Exact acceleration (Raff 2021, "Exact acceleration of k-means++ and k-means‖", IJCAI, §3): a candidate c can only
 * come closer to point x than x's nearest centre c_a when ‖c − c_a‖ < 2 D(x) (triangle inequality), so such
 * distances are skipped. All candidates of a round are scored in one pass over the points, and placing the chosen
 * centre shares a pass with the next round's running sums: two passes per centre, the memory traffic that bounds
 * the cost at a million points.
 *
 * The sums over the points (the potential of each candidate, the running sums D(x)² are drawn from) are taken per
 * block of rows (`kmeans-blocks.ts`) and added in block order, so that the passes can run on worker threads, each
 * over a range of blocks ({@link kmeansPlusPlusSteps}), with the same seeds to the last bit.
 *
 * Weighted points (`weights`, w ≥ 0, a positive total): the first centre is drawn with probability w / Σw and
 * D(x)² counts w(x) times in the draws and the potentials — the seeding of the points repeated w times, which is
 * how k-means‖ reclusters its weighted candidates (Bahmani et al. 2012, Algorithm 2, step 8).
 *
 * Cost: O(k · n) passes' worth of bound checks plus the distances the bounds do not rule out (O(d) each);
 * O(n) extra memory.
 *
 * @param data n × d points, row-major
 * @param workspace buffers to reuse (the result's `nearest` and `closest` are views of them)
 * @param weights a weight per point; default 1 each
 */
export function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: RandomSource,
  workspace?: KMeansWorkspace,
  weights?: Float64Array,
): Seeding {
  const ws = workspace ?? kmeansWorkspace(n);
  const state = blockState(data, n, d, k, BLOCK_ROWS, {
    nearest: ws.nearest,
    closest: ws.closest,
    ...(weights ? { weights } : {}),
  });
  return runInProcess(kmeansPlusPlusSteps(state, k, rng), state);
}

/**
 * {@link kmeansPlusPlus} as a generator of passes over the blocks of `state` (first centre, candidate scores, placing
 * a centre): the draws, the choice among candidates and the sums over blocks happen on the driving thread, the
 * passes wherever the driver sends them. The result's `nearest` and `closest` are `state`'s.
 */
export function* kmeansPlusPlusSteps(
  state: BlockState,
  k: number,
  rng: RandomSource,
): Generator<Step, Seeding, StepResult> {
  const { data, n, d, trials } = state;
  const blocks = blockCount(n, state.blockRows);
  const centers = new Float64Array(k * d);
  const first = state.weights ? rng.pick(state.weights) : rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  yield { op: 'seedFirst', point: centers.slice(0, d) };
  let running = blockSum(state.seedTotals, blocks, 1, 0);
  let potential = running;
  const ids = new Int32Array(trials);
  const pots = new Float64Array(trials);
  const toCenters = new Float64Array(trials * k); // ‖candidate t − c_j‖² at [t * k + j]
  const nearestCandidate = new Float64Array(k);
  const candidates = new Float64Array(trials * d);
  for (let c = 1; c < k; c++) {
    nearestCandidate.fill(Infinity);
    for (let t = 0; t < trials; t++) {
      ids[t] = potential > 0 ? drawRow(state, blocks, rng.uniform() * running) : rng.int(n);
      candidates.set(data.subarray(ids[t] * d, ids[t] * d + d), t * d);
      for (let j = 0; j < c; j++) {
        const dist = squaredDistance(data, ids[t] * d, centers, j * d, d);
        toCenters[t * k + j] = dist;
        if (dist < nearestCandidate[j]) nearestCandidate[j] = dist;
      }
    }
    yield { op: 'seedScore', candidates, nearestCandidate };
    for (let t = 0; t < trials; t++) pots[t] = blockSum(state.seedPots, blocks, trials, t);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    const id = ids[best];
    centers.set(data.subarray(id * d, id * d + d), c * d);
    potential = pots[best];
    yield {
      op: 'seedPlace',
      point: data.slice(id * d, id * d + d),
      c,
      toCenters: toCenters.slice(best * k, best * k + k),
    };
    running = blockSum(state.seedTotals, blocks, 1, 0);
  }
  return { centers, nearest: state.nearest, closest: state.closest };
}

/** Σ over blocks, in block order, of values[b · stride + at]. */
function blockSum(values: Float64Array, blocks: number, stride: number, at: number): number {
  let total = values[at];
  for (let b = 1; b < blocks; b++) total += values[b * stride + at];
  return total;
}

/**
 * The row where the running sum of D(x)² over the points first reaches `value` (numpy's `searchsorted(side='left')`
 * on the cumulative sums): the block from the sums of whole blocks (in block order), then the row inside it from
 * the block's own running sum, recomputed in row order (`blockTotal` stopped at that row, the same additions as the
 * block's total); clipped to the block's last row, and to the last point.
 */
function drawRow(s: BlockState, blocks: number, value: number): number {
  let before = 0;
  for (let b = 0; b < blocks; b++) {
    const through = b === 0 ? s.seedTotals[0] : before + s.seedTotals[b];
    if (through >= value) {
      const begin = b * s.blockRows;
      return begin + firstReaching(s, begin, Math.min(s.n, begin + s.blockRows), value - before);
    }
    before = through;
  }
  return s.n - 1;
}

/** The first offset from `begin` where the block's running sum of D(x)² is ≥ `value`, clipped to end − 1 − begin. */
function firstReaching(s: BlockState, begin: number, end: number, value: number): number {
  const { closest, weights } = s;
  let total = 0;
  for (let i = begin; i < end; i++) {
    total += weights ? weights[i] * closest[i] : closest[i];
    if (total >= value) return i - begin;
  }
  return end - 1 - begin;
}
