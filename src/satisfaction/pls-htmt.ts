import { randomSource } from '../math/internal';
import type { PlsStructure } from './pls-estimate';

/**
 * The heterotrait–monotrait ratio of every pair of blocks i < j from the indicator slots' correlation matrix R
 * (p × p): HTMT_ij = mean_{k∈i, l∈j} |r_kl| / √(m_i · m_j), with m_i the mean |r_kl| over the pairs k < l of block i
 * (1 for a single-indicator block) — Henseler, Ringle & Sarstedt (2015), J. Acad. Mark. Sci. 43(1), eq. 6, with
 * absolute correlations as seminr and SmartPLS take them.
 *
 * HTMT2 (Roemer, Schuberth & Henseler 2021, Ind. Manag. Data Syst. 121(12), eq. 4) takes geometric means instead
 * of arithmetic ones, which stays consistent when the loadings of a block differ (a congeneric rather than a
 * tau-equivalent block); it is taken on absolute correlations, as the HTMT here (a construct that runs against
 * another, such as complaints against satisfaction, is not a reverse-coded item), and is 0 when a heterotrait
 * correlation is exactly 0 (NaN when a monotrait one is).
 *
 * Cost: O(p²).
 *
 * @param out pair (i, j) of the `m(m − 1)/2` pairs, in the order i = 0 … m − 1, j = i + 1 … m − 1; HTMT at
 *   `out[2 · pair]`, HTMT2 at `out[2 · pair + 1]`
 */
export function htmtOf(r: Float64Array, s: PlsStructure, out: Float64Array): void {
  const { m, p, blockStart } = s;
  // arithmetic and log-geometric monotrait means per block
  const mono = new Float64Array(m);
  const logMono = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const from = blockStart[j];
    const to = blockStart[j + 1];
    if (to - from < 2) {
      mono[j] = 1;
      logMono[j] = 0;
      continue;
    }
    let sum = 0;
    let logSum = 0;
    let pairs = 0;
    for (let k = from; k < to; k++) {
      for (let l = k + 1; l < to; l++) {
        const c = r[k * p + l];
        sum += Math.abs(c);
        logSum += Math.log(Math.abs(c));
        pairs++;
      }
    }
    mono[j] = sum / pairs;
    logMono[j] = logSum / pairs;
  }
  let pair = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let sum = 0;
      let logSum = 0;
      for (let k = blockStart[i]; k < blockStart[i + 1]; k++) {
        for (let l = blockStart[j]; l < blockStart[j + 1]; l++) {
          const c = r[k * p + l];
          sum += Math.abs(c);
          logSum += Math.log(Math.abs(c));
        }
      }
      const cells = (blockStart[i + 1] - blockStart[i]) * (blockStart[j + 1] - blockStart[j]);
      out[2 * pair] = sum / cells / Math.sqrt(mono[i] * mono[j]);
      out[2 * pair + 1] = Math.exp(logSum / cells - (logMono[i] + logMono[j]) / 2);
      pair++;
    }
  }
}

/** The HTMT of every pair over bootstrap resamples: `draws[pair]` holds the first `good` resampled values. */
export interface HtmtDraws {
  readonly draws: Float64Array[];
  readonly good: number;
  /** Resamples with a constant indicator (no correlation), left out. */
  readonly failed: number;
}

/**
 * HTMT over B bootstrap resamples of the respondents (drawn with replacement from a seeded stream): each resample
 * is a vector of row multiplicities c_i, and only the indicator correlations are recomputed — no refit, as the
 * HTMT reads nothing else.
 *
 * The answers are centred once at the full-sample means and laid out row-major; a resample then needs one pass over
 * the rows it drew (about 63% of them), accumulating Σ c_i x_i and the upper triangle of Σ c_i x_i x_i' in a
 * preallocated buffer (covarianceOf's column-blocked two-pass form would allocate and revisit every row per
 * resample); cov = Σ c x x'/N − x̄ x̄' is exact enough here because the data are centred near the resample's means.
 *
 * Cost: O(B · n · p²/2).
 *
 * @param raw the kept answers by indicator slot
 */
export function bootstrapHtmt(raw: readonly Float64Array[], s: PlsStructure, B: number, seed: number): HtmtDraws {
  const { m, p } = s;
  const n = raw[0].length;
  const pairs = (m * (m - 1)) / 2;
  const draws = Array.from({ length: pairs }, () => new Float64Array(B));
  const rows = centredRows(raw);
  const rng = randomSource(seed);
  const counts = new Int32Array(n);
  const sums = new Float64Array(p);
  const cross = new Float64Array(p * p);
  const r = new Float64Array(p * p);
  const out = new Float64Array(2 * pairs);
  let good = 0;
  let failed = 0;
  for (let b = 0; b < B; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    sums.fill(0);
    cross.fill(0);
    for (let i = 0; i < n; i++) {
      const c = counts[i];
      if (c === 0) continue;
      const at = i * p;
      for (let k = 0; k < p; k++) {
        const ck = c * rows[at + k];
        sums[k] += ck;
        const row = k * p;
        for (let l = k; l < p; l++) cross[row + l] += ck * rows[at + l];
      }
    }
    if (!correlationFromMoments(sums, cross, n, p, r)) {
      failed++;
      continue;
    }
    htmtOf(r, s, out);
    for (let a = 0; a < pairs; a++) draws[a][good] = out[2 * a];
    good++;
  }
  return { draws, good, failed };
}

/** The slots' answers centred at their means, row-major n × p. */
function centredRows(raw: readonly Float64Array[]): Float64Array {
  const p = raw.length;
  const n = raw[0].length;
  const rows = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const x = raw[k];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    for (let i = 0; i < n; i++) rows[i * p + k] = x[i] - mean;
  }
  return rows;
}

/**
 * The correlation matrix r (p × p) from the weighted sums Σ c x and the upper triangle of Σ c x x' over a total
 * weight N; false when a variance is not positive (a constant indicator in the resample).
 */
function correlationFromMoments(
  sums: Float64Array,
  cross: Float64Array,
  total: number,
  p: number,
  r: Float64Array,
): boolean {
  for (let k = 0; k < p; k++) {
    const mk = sums[k] / total;
    for (let l = k; l < p; l++) cross[k * p + l] = cross[k * p + l] / total - mk * (sums[l] / total);
    if (!(cross[k * p + k] > 1e-12 * (1 + mk * mk))) return false;
  }
  for (let k = 0; k < p; k++) {
    r[k * p + k] = 1;
    for (let l = k + 1; l < p; l++) {
      const c = cross[k * p + l] / Math.sqrt(cross[k * p + k] * cross[l * p + l]);
      r[k * p + l] = c;
      r[l * p + k] = c;
    }
  }
  return true;
}
