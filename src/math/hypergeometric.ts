import { lgamma } from './special';

/**
 * The hypergeometric distribution of X, the number of marked items in a sample of `draws` taken without
 * replacement from a population of `marked + unmarked` items: P[X = x] = C(marked, x)·C(unmarked, draws − x) /
 * C(marked + unmarked, draws). Association-rule measures read a rule's count n_AC as such an X (the n_A baskets of
 * the antecedent drawn from N, the n_C baskets of the consequent marked): Fisher's exact test and Hahsler & Hornik's
 * hyper-lift and hyper-confidence.
 *
 * Accuracy: each probability is Loader's saddle-point form (C. Loader 2000, "Fast and accurate computation of
 * binomial probabilities"): ln P[X = x] = ln b(x; m, p) + ln b(d − x; u, p) − ln b(d; m + u, p) with p = d/(m + u)
 * and ln b(k; n, p) = δ(n) − δ(k) − δ(n − k) − D(k, np) − D(n − k, nq) − ½ ln(2πk(n − k)/n), where δ is Stirling's
 * error ln n! − ln(√(2πn)(n/e)ⁿ) and D(k, μ) = k ln(k/μ) + μ − k the deviance, written so that neither cancels. No
 * term is a difference of two large log-factorials, so a log-probability carries an absolute error near 1e-14
 * whatever the population (ln C(N, d) alone is ~8·10⁴ at N = 10⁴, where a log-factorial difference would lose 1e-11).
 * A tail is summed from its first term outward (each term from the last by the pmf ratio), on the side of the mean
 * where the terms fall, and the other tail is 1 minus it, as R's `phyper` does.
 */

const LN_2PI = Math.log(2 * Math.PI);

/** δ(n) = ln n! − (n + ½) ln n + n − ½ ln 2π for whole n ≥ 0 (δ(0) = 0 by convention). */
function stirlingError(n: number): number {
  if (n === 0) return 0;
  if (n < 16) return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - 0.5 * LN_2PI; // terms below 60: no cancellation to speak of
  // Stirling's series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹): below 1e-17 from n = 16
  const inv2 = 1 / (n * n);
  return (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188)))) / n;
}

/** D(k, μ) = k ln(k/μ) + μ − k ≥ 0, by the series 2k Σ v^(2j+1)/(2j+1) − … when k is near μ (v = (k − μ)/(k + μ)). */
function deviance(k: number, mu: number): number {
  if (Math.abs(k - mu) < 0.1 * (k + mu)) {
    const v = (k - mu) / (k + mu);
    const v2 = v * v;
    let sum = (k - mu) * v;
    let power = 2 * k * v;
    for (let j = 1; j < 1000; j++) {
      power *= v2;
      const next = sum + power / (2 * j + 1);
      if (next === sum) return sum;
      sum = next;
    }
    return sum;
  }
  return k * Math.log(k / mu) + mu - k;
}

/** ln of the binomial probability C(n, k) pᵏ qⁿ⁻ᵏ (q = 1 − p given apart to keep its digits), whole 0 ≤ k ≤ n. */
function logBinomialPmf(k: number, n: number, p: number, q: number): number {
  if (k === 0) return n === 0 ? 0 : q === 0 ? -Infinity : n * Math.log(q);
  if (k === n) return p === 0 ? -Infinity : n * Math.log(p);
  if (p === 0 || q === 0) return -Infinity;
  const body = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  return body - 0.5 * (LN_2PI + Math.log(k) + Math.log1p(-k / n));
}

/** The parameters of one hypergeometric distribution: `marked` and `unmarked` items, `draws` of them sampled. */
export interface Hypergeometric {
  readonly marked: number;
  readonly unmarked: number;
  readonly draws: number;
}

/** ln P[X = x]; −Infinity outside the support max(0, d − u) … min(d, m). */
function logHypergeometricPmf(x: number, { marked, unmarked, draws }: Hypergeometric): number {
  if (x < 0 || x > draws || x > marked || draws - x > unmarked) return -Infinity;
  const total = marked + unmarked;
  const p = draws / total;
  const q = (total - draws) / total;
  return (
    logBinomialPmf(x, marked, p, q) + logBinomialPmf(draws - x, unmarked, p, q) - logBinomialPmf(draws, total, p, q)
  );
}

/** P[X ≥ x] (`upper`) or P[X ≤ x] (lower), summed from x outward: for x on the far side of the mean only. */
function directTail(x: number, h: Hypergeometric, upper: boolean): number {
  const { marked, unmarked, draws } = h;
  const first = Math.exp(logHypergeometricPmf(x, h));
  if (first === 0) return 0;
  // terms relative to the first, each from the last by the ratio P[X = y ± 1] / P[X = y]
  let sum = 1;
  let term = 1;
  if (upper) {
    for (let y = x; y < draws && y < marked && term >= Number.EPSILON * sum; y++) {
      term *= ((marked - y) * (draws - y)) / ((y + 1) * (unmarked - draws + y + 1));
      sum += term;
    }
  } else {
    for (let y = x; y > 0 && y > draws - unmarked && term >= Number.EPSILON * sum; y--) {
      term *= (y * (unmarked - draws + y)) / ((marked - y + 1) * (draws - y + 1));
      sum += term;
    }
  }
  return first * sum;
}

/**
 * P[X ≥ x], the upper tail (Fisher's one-sided p-value of a count x). Summed directly when x is above the mean,
 * else 1 − P[X ≤ x − 1], so that the small one of the two tails keeps its relative precision.
 */
export function hypergeometricUpperTail(x: number, h: Hypergeometric): number {
  const { marked, unmarked, draws } = h;
  if (x <= Math.max(0, draws - unmarked)) return 1;
  if (x > Math.min(draws, marked)) return 0;
  // x·N > d·m ⟺ x above the mean d·m/N, in integers
  return x * (marked + unmarked) > draws * marked ? directTail(x, h, true) : 1 - directTail(x - 1, h, false);
}

/** P[X ≤ x], the lower tail, as {@link hypergeometricUpperTail} from the other side. */
export function hypergeometricLowerTail(x: number, h: Hypergeometric): number {
  const { marked, unmarked, draws } = h;
  if (x < Math.max(0, draws - unmarked)) return 0;
  if (x >= Math.min(draws, marked)) return 1;
  return x * (marked + unmarked) < draws * marked ? directTail(x, h, false) : 1 - directTail(x + 1, h, true);
}

/**
 * The quantile: the smallest x with P[X ≤ x] ≥ level, the level lowered by 1000 machine epsilons (as R's `qhyper`,
 * so that a cumulative probability equal to the level up to rounding counts as reaching it). Walks from the mean
 * by the pmf ratio: O(standard deviation) steps.
 */
export function hypergeometricQuantile(level: number, h: Hypergeometric): number {
  const { marked, unmarked, draws } = h;
  const low = Math.max(0, draws - unmarked);
  const high = Math.min(draws, marked);
  const target = level * (1 - 1000 * Number.EPSILON);
  let x = Math.min(high, Math.max(low, Math.floor((draws * marked) / (marked + unmarked))));
  let cdf = hypergeometricLowerTail(x, h);
  let pmf = Math.exp(logHypergeometricPmf(x, h));
  while (cdf < target && x < high) {
    pmf *= ((marked - x) * (draws - x)) / ((x + 1) * (unmarked - draws + x + 1));
    x++;
    cdf += pmf;
  }
  while (x > low && cdf - pmf >= target) {
    cdf -= pmf;
    pmf *= (x * (unmarked - draws + x)) / ((marked - x + 1) * (draws - x + 1));
    x--;
  }
  return x;
}
