import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { quickselect } from 'simple-statistics';
import { normalQuantile, randomSource } from '../math/internal';
import { ClienteleError } from '../table/internal';

// The three ways predictionIntervals turns the uncertainty of a model's parameters into intervals on a prediction:
// the delta method, draws from the estimates' asymptotic normal, and parameter vectors from a parametric bootstrap.
// Each works on a prediction evaluated per distinct customer pattern, never per customer.

/** Writes the prediction at parameters θ (natural scale) for patterns lo … hi − 1 into out[0 … hi − lo − 1]. */
export type Evaluate = (theta: Float64Array, lo: number, hi: number, out: Float64Array) => void;

/** What a prediction is: a probability (in [0, 1]) or a non-negative amount (counts, money). */
type QuantityRange = 'probability' | 'nonNegative';

/** A prediction to put intervals on: its evaluation, the estimate θ̂, and the patterns with their weights. */
export interface IntervalProblem {
  readonly evaluate: Evaluate;
  /** The parameter estimates, natural scale, all positive. */
  readonly theta: Float64Array;
  readonly patterns: number;
  /** Customers per pattern; the total is Σ weight · prediction. */
  readonly weight: Float64Array;
  readonly range: QuantityRange;
}

/** Intervals per pattern and for the total. */
export interface IntervalResult {
  readonly estimate: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly total: { readonly estimate: number; readonly lower: number; readonly upper: number };
  readonly warnings: string[];
}

/**
 * The lower Cholesky factor L of a symmetric matrix (L Lᵀ = A, row-major k × k), by ml-matrix's decomposition, or
 * undefined when A is not symmetric positive definite (or holds a NaN).
 */
export function cholesky(A: Float64Array, k: number): Float64Array | undefined {
  const rows = Array.from({ length: k }, (_, i) => Array.from(A.subarray(i * k, (i + 1) * k)));
  try {
    const decomposition = new CholeskyDecomposition(new Matrix(rows));
    return decomposition.isPositiveDefinite()
      ? Float64Array.from(decomposition.lowerTriangularMatrix.to1DArray())
      : undefined;
  } catch {
    return undefined; // ml-matrix refuses a matrix that is not symmetric
  }
}

/** The covariance of ln θ from that of θ: Σᵢⱼ / (θᵢ θⱼ) (first order), row-major. */
function logCovariance(covariance: Float64Array, theta: Float64Array): Float64Array {
  const k = theta.length;
  return Float64Array.from(covariance, (v, ij) => v / (theta[Math.floor(ij / k)] * theta[ij % k]));
}

/** The interval h⁻¹(h(y) ± z·se_h) on the scale h that keeps it in the quantity's range; sd is the raw-scale one. */
function transformedInterval(y: number, sd: number, z: number, range: QuantityRange, n = 1): [number, number] {
  if (!Number.isFinite(y) || !Number.isFinite(sd)) return [NaN, NaN];
  if (sd === 0) return [y, y];
  if (range === 'probability') {
    const share = y / n;
    if (share > 0 && share < 1) {
      const u = Math.log(share / (1 - share));
      const su = sd / n / (share * (1 - share));
      const expit = (v: number) => n / (1 + Math.exp(-v));
      return [expit(u - z * su), expit(u + z * su)];
    }
    return [Math.max(0, y - z * sd), Math.min(n, y + z * sd)];
  }
  if (y > 0) {
    const su = sd / y;
    return [y * Math.exp(-z * su), y * Math.exp(z * su)];
  }
  return [0, Math.max(0, y + z * sd)];
}

/**
 * Delta-method intervals: the gradient of the prediction in ln θ by central differences (step 10⁻⁴ in ln θⱼ, error
 * O(10⁻⁸) relative), its variance gᵀ Σ_ln g with Σ_ln the covariance of ln θ, and the interval built on the logit
 * scale for a probability (the total of probabilities: on the logit of the mean) and the log scale for an amount, then
 * transformed back, so that it stays in [0, 1] or ≥ 0 and is asymmetric as the quantity's sampling distribution is.
 */
export function deltaIntervals(problem: IntervalProblem, covariance: Float64Array, level: number): IntervalResult {
  const { evaluate, theta, patterns: P, weight, range } = problem;
  const k = theta.length;
  const sigma = logCovariance(covariance, theta);
  const z = normalQuantile(1 - (1 - level) / 2);
  const estimate = new Float64Array(P);
  evaluate(theta, 0, P, estimate);
  const gradient = new Float64Array(P * k);
  const up = new Float64Array(P);
  const down = new Float64Array(P);
  const h = 1e-4;
  for (let j = 0; j < k; j++) {
    const shifted = Float64Array.from(theta);
    shifted[j] = theta[j] * Math.exp(h);
    evaluate(shifted, 0, P, up);
    shifted[j] = theta[j] * Math.exp(-h);
    evaluate(shifted, 0, P, down);
    for (let p = 0; p < P; p++) gradient[p * k + j] = (up[p] - down[p]) / (2 * h);
  }
  const quadratic = (g: Float64Array, offset: number) => {
    let v = 0;
    for (let i = 0; i < k; i++) {
      let row = 0;
      for (let j = 0; j < k; j++) row += sigma[i * k + j] * g[offset + j];
      v += g[offset + i] * row;
    }
    return v > 0 ? v : 0;
  };
  const lower = new Float64Array(P);
  const upper = new Float64Array(P);
  const totalGradient = new Float64Array(k);
  let total = 0;
  let customers = 0;
  for (let p = 0; p < P; p++) {
    [lower[p], upper[p]] = transformedInterval(estimate[p], Math.sqrt(quadratic(gradient, p * k)), z, range);
    total += weight[p] * estimate[p];
    customers += weight[p];
    for (let j = 0; j < k; j++) totalGradient[j] += weight[p] * gradient[p * k + j];
  }
  const [tl, tu] = transformedInterval(total, Math.sqrt(quadratic(totalGradient, 0)), z, range, customers);
  return { estimate, lower, upper, total: { estimate: total, lower: tl, upper: tu }, warnings: [] };
}

/**
 * Parameter draws from the asymptotic normal of ln θ̂: ln θ_d = ln θ̂ + L ε_d, L L ᵀ = Σ_ln, ε_d standard normal
 * from `randomSource(seed)`; row-major draws × k, natural scale.
 * @throws {ClienteleError} `NOT_IDENTIFIED` when Σ_ln is not positive definite
 */
export function normalDraws(
  theta: Float64Array,
  covariance: Float64Array,
  draws: number,
  seed: number,
  fn: string,
): Float64Array {
  const k = theta.length;
  const L = cholesky(logCovariance(covariance, theta), k);
  if (L === undefined) {
    throw new ClienteleError(
      'NOT_IDENTIFIED',
      `${fn}: the covariance of the estimates is not positive definite (found a singular information matrix); the data do not identify the model: refit on more varied data, or use method 'bootstrap'`,
    );
  }
  const rng = randomSource(seed);
  const out = new Float64Array(draws * k);
  const eps = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    for (let j = 0; j < k; j++) eps[j] = rng.normal();
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += L[i * k + j] * eps[j];
      out[d * k + i] = theta[i] * Math.exp(s);
    }
  }
  return out;
}

/** The quantile of a (R type 7, linear between order statistics) by a selection (simple-statistics' quickselect) and a scan; reorders a. No NaN (the callers map it to +∞). */
export function quantile(a: Float64Array, prob: number): number {
  const n = a.length;
  const h = (n - 1) * prob;
  const i = Math.floor(h);
  quickselect(a as unknown as number[], i);
  const below = a[i];
  if (i + 1 >= n || h === i) return below;
  let next = Infinity;
  for (let m = i + 1; m < n; m++) if (a[m] < next) next = a[m];
  return below + (h - i) * (next - below);
}

/**
 * Percentile intervals from parameter vectors (draws or bootstrap estimates): the prediction recomputed at each,
 * pattern block by pattern block (so that memory stays at about 32 MB whatever the number of patterns), the
 * (1 ± level)/2 quantiles per pattern and of the total Σ weight · prediction.
 */
export function percentileIntervals(problem: IntervalProblem, thetas: Float64Array, level: number): IntervalResult {
  const { evaluate, theta, patterns: P, weight } = problem;
  const k = theta.length;
  const D = thetas.length / k;
  const estimate = new Float64Array(P);
  evaluate(theta, 0, P, estimate);
  const lower = new Float64Array(P);
  const upper = new Float64Array(P);
  const totals = new Float64Array(D);
  const block = Math.max(1, Math.min(P, Math.floor(4_000_000 / D)));
  const buffer = new Float64Array(D * block);
  const scratch = new Float64Array(D);
  const lowProb = (1 - level) / 2;
  const highProb = 1 - lowProb;
  let nonFinite = 0;
  for (let lo = 0; lo < P; lo += block) {
    const hi = Math.min(P, lo + block);
    const size = hi - lo;
    for (let d = 0; d < D; d++) {
      const out = buffer.subarray(d * size, (d + 1) * size);
      evaluate(thetas.subarray(d * k, (d + 1) * k), lo, hi, out);
      let s = 0;
      for (let p = 0; p < size; p++) s += weight[lo + p] * out[p];
      totals[d] += s;
    }
    for (let p = 0; p < size; p++) {
      for (let d = 0; d < D; d++) {
        const v = buffer[d * size + p];
        if (!Number.isFinite(v)) nonFinite++;
        scratch[d] = v === v ? v : Infinity;
      }
      lower[lo + p] = quantile(scratch, lowProb);
      upper[lo + p] = quantile(scratch, highProb);
    }
  }
  let total = 0;
  for (let p = 0; p < P; p++) total += weight[p] * estimate[p];
  const warnings =
    nonFinite === 0
      ? []
      : [
          `${nonFinite} of ${P * D} recomputed predictions were not finite (a parameter draw outside the model's range, e.g. q ≤ 1 of Gamma-Gamma); the intervals that include them reach ∞`,
        ];
  const sorted = Float64Array.from(totals, (v) => (v === v ? v : Infinity));
  return {
    estimate,
    lower,
    upper,
    total: { estimate: total, lower: quantile(sorted, lowProb), upper: quantile(sorted, highProb) },
    warnings,
  };
}
