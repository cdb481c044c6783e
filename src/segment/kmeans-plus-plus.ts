import type { RandomSource } from '../math/random';
import { candidateKernel } from './candidate-kernel';

/** Seeds and what the seeding learnt about the points on the way. */
export interface Seeding {
  /** k × d centres, row-major. */
  readonly centers: Float64Array;
  /** Nearest centre of each point (ties to the lower index), i.e. Lloyd's first assignment. */
  readonly nearest: Int32Array;
  /** Squared distance of each point to its nearest centre. */
  readonly closest: Float64Array;
}

/** Per-point buffers of one k-means run, allocated once per fit and reused by every run (STYLE: preallocate). */
export interface KMeansWorkspace {
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  readonly cumulative: Float64Array;
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/** Buffers for n points. */
export function kmeansWorkspace(n: number): KMeansWorkspace {
  return {
    closest: new Float64Array(n),
    nearest: new Int32Array(n),
    cumulative: new Float64Array(n),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
  };
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
 * Cost: O(k · n) passes' worth of bound checks plus the distances the bounds do not rule out (O(d) each);
 * O(n) extra memory.
 *
 * @param data n × d points, row-major
 * @param workspace buffers to reuse (the result's `nearest` and `closest` are views of them)
 */
export function kmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: RandomSource, workspace?: KMeansWorkspace): Seeding {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const ws = workspace ?? kmeansWorkspace(n);
  const { closest, nearest, cumulative } = ws;
  nearest.fill(0);
  let running = firstRound(data, n, d, centers, closest, cumulative);
  let potential = running;
  const ids = new Int32Array(trials);
  const pots = new Float64Array(trials);
  const toCenters = new Float64Array(trials * k); // ‖candidate t − c_j‖² at [t * k + j]
  const nearestCandidate = new Float64Array(k);
  const candidates = new Float64Array(trials * d);
  const score = candidateKernel(d, trials);
  for (let c = 1; c < k; c++) {
    nearestCandidate.fill(Infinity);
    for (let t = 0; t < trials; t++) {
      ids[t] = potential > 0 ? searchSorted(cumulative, rng.uniform() * running) : rng.int(n);
      candidates.set(data.subarray(ids[t] * d, ids[t] * d + d), t * d);
      for (let j = 0; j < c; j++) {
        const dist = squaredDistance(data, ids[t] * d, centers, j * d, d);
        toCenters[t * k + j] = dist;
        if (dist < nearestCandidate[j]) nearestCandidate[j] = dist;
      }
    }
    score(data, n, closest, nearest, nearestCandidate, candidates, pots);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    const id = ids[best];
    centers.set(data.subarray(id * d, id * d + d), c * d);
    potential = pots[best];
    running = placeCenter(data, n, d, id * d, c, closest, nearest, toCenters.subarray(best * k, best * k + k), cumulative);
  }
  return { centers, nearest, closest };
}

// The hot loops live in small functions of their own, which V8 optimises better than long loops inside a function
// that runs once per seeding.

/** D(x)² to the first centre into `closest`, and their running sums; returns the total. */
function firstRound(data: Float64Array, n: number, d: number, center: Float64Array, closest: Float64Array, cumulative: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const dist = squaredDistance(data, i * d, center, 0, d);
    closest[i] = dist;
    total += dist;
    cumulative[i] = total;
  }
  return total;
}

/** Makes the point at offset cb centre number c (D(x)² and nearest centre updated) and returns the new running sums. */
function placeCenter(
  data: Float64Array,
  n: number,
  d: number,
  cb: number,
  c: number,
  closest: Float64Array,
  nearest: Int32Array,
  toCenters: Float64Array,
  cumulative: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let own = closest[i];
    if (toCenters[nearest[i]] < 4 * own) {
      const dist = squaredDistance(data, i * d, data, cb, d);
      if (dist < own) {
        own = dist;
        closest[i] = dist;
        nearest[i] = c;
      }
    }
    total += own;
    cumulative[i] = total;
  }
  return total;
}

/** The first index whose cumulative value is ≥ `value` (numpy's `searchsorted(side='left')`), clipped to n − 1. */
function searchSorted(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** ‖a_i − b_j‖² for rows starting at offsets ai and bj of length d. */
export function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bj: number, d: number): number {
  let sum = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t] - b[bj + t];
    sum += diff * diff;
  }
  return sum;
}
