import { squaredDistance } from './kmeans-plus-plus';

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
  /** u_i ≥ ‖x_i − c_label‖ */
  readonly upper: Float64Array;
  /** l_i ≤ min over the other centres of ‖x_i − c_j‖ */
  readonly lower: Float64Array;
  /** s_j = ½ min_{j' ≠ j} ‖c_j − c_j'‖ */
  readonly half: Float64Array;
  /** p_j: how far centre j moved in the last update (applied to the bounds lazily, in the next assignment). */
  readonly move: Float64Array;
  /** Centre with the largest move, and the largest and second largest moves. */
  farthest: number;
  p1: number;
  p2: number;
  /** Σ of the points of each cluster and their count, kept up to date as points change cluster. */
  readonly sums: Float64Array;
  readonly counts: Float64Array;
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
): KMeansRun {
  const s: State = {
    data,
    n,
    d,
    k,
    centers: Float64Array.from(start),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    half: new Float64Array(k),
    move: new Float64Array(k),
    farthest: -1,
    p1: 0,
    p2: 0,
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
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

/** The nearest centre of the point at offset `base` (ties to the lower index); its squared distance and the second smallest go to scan[0] and scan[1]. */
function nearestTwo(data: Float64Array, base: number, centers: Float64Array, k: number, d: number, scan: Float64Array): number {
  let best = 0;
  let d1 = Infinity;
  let d2 = Infinity;
  for (let j = 0; j < k; j++) {
    const dist = squaredDistance(data, base, centers, j * d, d);
    if (dist < d1) {
      d2 = d1;
      d1 = dist;
      best = j;
    } else if (dist < d2) d2 = dist;
  }
  scan[0] = d1;
  scan[1] = d2;
  return best;
}

/** Every point to its nearest centre, bounds from the two smallest distances. */
function fullAssign(s: State): void {
  const { data, n, d, k, centers, labels, upper, lower } = s;
  const scan = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const best = nearestTwo(data, base, centers, k, d, scan);
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
  const { data, n, d, k, centers, labels, upper, lower, half, move, sums, counts } = s;
  const { farthest, p1, p2 } = s;
  const scan = new Float64Array(2);
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const dist = 0.5 * Math.sqrt(squaredDistance(centers, a * d, centers, b * d, d));
      if (dist < half[a]) half[a] = dist;
      if (dist < half[b]) half[b] = dist;
    }
  }
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    let u = upper[i] + move[a];
    const l = lower[i] - (a === farthest ? p2 : p1);
    const bound = half[a] > l ? half[a] : l;
    if (u <= bound) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    const base = i * d;
    u = Math.sqrt(squaredDistance(data, base, centers, a * d, d));
    if (u <= bound) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    const best = nearestTwo(data, base, centers, k, d, scan);
    const d1 = scan[0];
    const d2 = scan[1];
    upper[i] = Math.sqrt(d1);
    lower[i] = Math.sqrt(d2);
    if (best !== a) {
      labels[i] = best;
      changed++;
      for (let t = 0; t < d; t++) {
        sums[a * d + t] -= data[base + t];
        sums[best * d + t] += data[base + t];
      }
      counts[a]--;
      counts[best]++;
    }
  }
  move.fill(0);
  s.farthest = -1;
  s.p1 = 0;
  s.p2 = 0;
  return changed;
}

/** The update step: centres as cluster means (empty clusters re-seeded), their moves; returns Σ_j ‖c_j' − c_j‖². */
function update(s: State): number {
  const { d, k, sums, counts, move } = s;
  if (counts.some((c) => c === 0)) relocateEmpty(s);
  const next = new Float64Array(k * d);
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
    move[j] = p;
    if (p > p1) {
      p2 = p1;
      p1 = p;
      farthest = j;
    } else if (p > p2) p2 = p;
  }
  s.centers = next;
  s.farthest = farthest;
  s.p1 = p1;
  s.p2 = p2;
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
    upper[pick] = 0; // the point becomes centre j; the coming update's move of j keeps the bound valid
    lower[pick] = 0;
  }
}

/** Σ ‖x − c_label‖². */
function inertiaOf(s: State): number {
  const { data, n, d, centers, labels } = s;
  let total = 0;
  for (let i = 0; i < n; i++) total += squaredDistance(data, i * d, centers, labels[i] * d, d);
  return total;
}
