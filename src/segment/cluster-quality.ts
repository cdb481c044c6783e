import { squaredDistance } from './kmeans-plus-plus';

/**
 * Internal validity indices of a partition of n points (row-major, d features) into k clusters with centroids.
 * Each is written from its paper's definition; the tests check them against brute-force versions.
 */

/**
 * Calinski & Harabasz (1974): CH = [B / (k − 1)] / [W / (n − k)], with B = Σ_j n_j ‖c_j − x̄‖² the between-cluster
 * and W = Σ_i ‖x_i − c_{label(i)}‖² the within-cluster sum of squares. Higher is better; NaN for k = 1 or k = n.
 */
export function calinskiHarabasz(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  centers: Float64Array,
  k: number,
): number {
  if (k < 2 || k >= n) return NaN;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  const sizes = new Float64Array(k);
  let within = 0;
  for (let i = 0; i < n; i++) {
    sizes[labels[i]]++;
    within += squaredDistance(data, i * d, centers, labels[i] * d, d);
  }
  let between = 0;
  for (let j = 0; j < k; j++) if (sizes[j] > 0) between += sizes[j] * squaredDistance(centers, j * d, mean, 0, d);
  return within === 0 ? Infinity : between / (k - 1) / (within / (n - k));
}

/**
 * Davies & Bouldin (1979): DB = (1/k) Σ_i max_{j ≠ i} (S_i + S_j) / ‖c_i − c_j‖, with S_i the mean distance of
 * cluster i's points to its centroid. Lower is better; NaN for k = 1. Empty clusters are left out.
 */
export function daviesBouldin(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  centers: Float64Array,
  k: number,
): number {
  if (k < 2) return NaN;
  const spread = new Float64Array(k);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    spread[labels[i]] += Math.sqrt(squaredDistance(data, i * d, centers, labels[i] * d, d));
    sizes[labels[i]]++;
  }
  let total = 0;
  let used = 0;
  for (let a = 0; a < k; a++) {
    if (sizes[a] === 0) continue;
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (b === a || sizes[b] === 0) continue;
      const separation = Math.sqrt(squaredDistance(centers, a * d, centers, b * d, d));
      const ratio = separation > 0 ? (spread[a] / sizes[a] + spread[b] / sizes[b]) / separation : Infinity;
      if (ratio > worst) worst = ratio;
    }
    total += worst;
    used++;
  }
  return total / used;
}

/**
 * Mean silhouette (Rousseeuw 1987) of the points `sample` (indices into the data): s(i) = (b − a) / max(a, b), a the
 * mean distance from i to the other points of its cluster, b the smallest mean distance to the points of another
 * cluster, both over the points of `sample` only (as scikit-learn's `silhouette_score(sample_size=…)`); s(i) = 0 for
 * a point alone in its cluster. NaN when fewer than two clusters appear in the sample.
 *
 * Cost: O(m² · d) for m sampled points, O(m · k) memory.
 */
export function meanSilhouette(
  data: Float64Array,
  d: number,
  labels: Int32Array,
  k: number,
  sample: Int32Array,
): number {
  const m = sample.length;
  const sizes = new Float64Array(k);
  for (let s = 0; s < m; s++) sizes[labels[sample[s]]]++;
  let present = 0;
  for (let j = 0; j < k; j++) if (sizes[j] > 0) present++;
  if (present < 2) return NaN;
  const sums = new Float64Array(k);
  let total = 0;
  for (let s = 0; s < m; s++) {
    const i = sample[s];
    sums.fill(0);
    const base = i * d;
    for (let r = 0; r < m; r++) {
      const other = sample[r];
      if (other === i) continue;
      sums[labels[other]] += Math.sqrt(squaredDistance(data, base, data, other * d, d));
    }
    const own = labels[i];
    if (sizes[own] <= 1) continue; // s(i) = 0
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let j = 0; j < k; j++) if (j !== own && sizes[j] > 0 && sums[j] / sizes[j] < b) b = sums[j] / sizes[j];
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / m;
}
