import { distanceKernels } from './distance-kernels';
import type { DistanceKernels } from './distance-kernels';
import { squaredDistance } from './kmeans-plus-plus';
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

/** The per-run state of the bounded Lloyd loop, shared by its small kernels. */
interface State {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  centers: Float64Array;
  readonly labels: Int32Array;
  /** u_i − U_label: the upper bound u_i ≥ ‖x_i − c_label‖ is `upper[i] + drift[label]` (bounds drift lazily). */
  readonly upper: Float64Array;
  /** l_i + L_label: the lower bound l_i ≤ min over the other centres of ‖x_i − c_j‖ is `lower[i] − fall[label]`. */
  readonly lower: Float64Array;
  /** U_j: the total distance centre j has moved so far (upper bounds of its points grow by it). */
  readonly drift: Float64Array;
  /** L_j: the total by which lower bounds of centre j's points have had to fall (Σ of the largest other move). */
  readonly fall: Float64Array;
  /** s_j = ½ min_{j' ≠ j} ‖c_j − c_j'‖ */
  readonly half: Float64Array;
  /** The next centres (double buffer). */
  next: Float64Array;
  /** Σ of the points of each cluster and their count, kept up to date as points change cluster. */
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** Distance kernels compiled for d. */
  readonly kernels: DistanceKernels;
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
 * Cost: O(n) per iteration for the bounds, plus O(k · d) per point whose bounds fail — in practice a few per cent
 * after the first iterations. Memory: labels and two bounds per point, k × d sums.
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
): KMeansRun {
  const ws = workspace ?? { labels: new Int32Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
  ws.lower.fill(0);
  const s: State = {
    data,
    n,
    d,
    k,
    centers: Float64Array.from(start),
    labels: ws.labels,
    upper: ws.upper,
    lower: ws.lower,
    half: new Float64Array(k),
    drift: new Float64Array(k),
    fall: new Float64Array(k),
    next: new Float64Array(k * d),
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
    kernels: distanceKernels(d),
  };
  const history: number[] = [];
  let iterations = 0;
  let strict = false;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed: number;
    if (iterations === 1) {
      // The first assignment starts from no labels (as scikit-learn's), so it never counts as strict convergence.
      if (seeding) {
        // k-means++ already knows each point's nearest seed and its distance: valid bounds with a zero lower bound.
        s.labels.set(seeding.nearest);
        for (let i = 0; i < n; i++) s.upper[i] = Math.sqrt(seeding.closest[i]);
      } else fullAssign(s);
      clusterSums(s);
      changed = n;
    } else changed = boundedAssign(s);
    if (trace) history.push(inertiaOf(s));
    if (changed === 0 && iterations > 1) {
      strict = true;
      converged = true;
      break;
    }
    if (update(s) <= tolerance) {
      converged = true;
      break;
    }
  }
  if (!strict && iterations > 0) {
    boundedAssign(s);
    if (trace) history.push(inertiaOf(s));
  }
  const run: KMeansRun = { centers: s.centers, labels: s.labels, inertia: inertiaOf(s), iterations, converged };
  if (trace) (run as { trace?: Float64Array }).trace = Float64Array.from(history);
  return run;
}


/** Every point to its nearest centre, bounds from the two smallest distances. */
function fullAssign(s: State): void {
  const { data, n, d, k, centers, labels, upper, lower } = s;
  const { nearestTwo } = s.kernels;
  const scan = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const best = nearestTwo(data, base, centers, k, scan);
    const d1 = scan[0];
    const d2 = scan[1];
    labels[i] = best;
    upper[i] = Math.sqrt(d1);
    lower[i] = Math.sqrt(d2);
  }
}

/** Cluster sums and counts from the labels, exactly. */
function clusterSums(s: State): void {
  const { data, n, d, labels, sums, counts } = s;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i] * d;
    const base = i * d;
    for (let t = 0; t < d; t++) sums[c + t] += data[base + t];
    counts[labels[i]]++;
  }
}

/** Hamerly's assignment step, moving the bounds by the last update's centre moves first; returns the points that changed cluster. */
function boundedAssign(s: State): number {
  const { data, n, d, k, centers, labels, upper, lower, half, drift, fall, sums, counts } = s;
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const dist = 0.5 * Math.sqrt(squaredDistance(centers, a * d, centers, b * d, d));
      if (dist < half[a]) half[a] = dist;
      if (dist < half[b]) half[b] = dist;
    }
  }
  // Bounds are stored relative to their centre's cumulative drift, so a point the bounds clear costs three reads
  // and no write; the pass is compiled for d (see distance-kernels.ts).
  return s.kernels.assignPass(data, n, k, centers, labels, upper, lower, half, drift, fall, sums, counts);
}

/** The update step: centres as cluster means (empty clusters re-seeded), their moves; returns Σ_j ‖c_j' − c_j‖². */
function update(s: State): number {
  const { d, k, sums, counts, drift, fall } = s;
  if (counts.some((c) => c === 0)) relocateEmpty(s);
  const next = s.next;
  for (let j = 0; j < k; j++) {
    if (counts[j] > 0) {
      const inv = 1 / counts[j];
      for (let t = 0; t < d; t++) next[j * d + t] = sums[j * d + t] * inv;
    } else for (let t = 0; t < d; t++) next[j * d + t] = s.centers[j * d + t];
  }
  let shift = 0;
  let farthest = -1;
  let p1 = 0;
  let p2 = 0;
  for (let j = 0; j < k; j++) {
    const sq = squaredDistance(next, j * d, s.centers, j * d, d);
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
  s.next = s.centers;
  s.centers = next;
  return shift;
}

/**
 * scikit-learn's rule: each empty cluster takes the point farthest from its current centre, which leaves its old
 * cluster (scikit-learn moves only the sums and lets the next assignment move the label; here the label moves at
 * once, so that the sums kept up to date stay the sums of the labels — the next assignment would do the same).
 */
function relocateEmpty(s: State): void {
  const { data, n, d, k, centers, labels, upper, lower, sums, counts } = s;
  const far = new Float64Array(n);
  for (let i = 0; i < n; i++) far[i] = squaredDistance(data, i * d, centers, labels[i] * d, d);
  for (let j = 0; j < k; j++) {
    if (counts[j] !== 0) continue;
    let pick = -1;
    for (let i = 0; i < n; i++) if (far[i] >= 0 && (pick < 0 || far[i] > far[pick])) pick = i;
    if (pick < 0) return;
    far[pick] = -1;
    const old = labels[pick];
    for (let t = 0; t < d; t++) {
      sums[old * d + t] -= data[pick * d + t];
      sums[j * d + t] = data[pick * d + t];
    }
    counts[old]--;
    counts[j] = 1;
    labels[pick] = j;
    upper[pick] = -s.drift[j]; // the point becomes centre j: bounds 0, relative to j's drift
    lower[pick] = s.fall[j];
  }
}

/** Σ ‖x − c_label‖². */
function inertiaOf(s: State): number {
  const { data, n, d, centers, labels } = s;
  let total = 0;
  for (let i = 0; i < n; i++) total += squaredDistance(data, i * d, centers, labels[i] * d, d);
  return total;
}
