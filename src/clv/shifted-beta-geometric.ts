import { lgammaRatio } from '../math/internal';
import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { maximiseLikelihood } from './maximise-likelihood';
import type { FitOptions, LikelihoodData, LikelihoodModel } from './maximise-likelihood';
import type { FittedModel, ModelLike } from './model';
import { checkParams } from './model';

const SBG_PARAMS = ['alpha', 'beta'] as const;

/** The sBG parameters: the beta(α, β) distribution of the per-period churn probability θ across customers. */
export interface SbgParams extends Record<string, number> {
  alpha: number;
  beta: number;
}

/** A fitted shifted-beta-geometric (sBG) contractual churn model. */
export type SbgModel = FittedModel<'shiftedBetaGeometric', SbgParams>;

/** What the sBG predictions need of a model: its parameters (a fitted model, or published values). */
export type SbgLike = ModelLike<SbgParams>;

/** Options of {@link fitSbg}: the optimiser's. */
export type SbgOptions = FitOptions<SbgParams>;

const SBG: LikelihoodModel<'shiftedBetaGeometric', SbgParams> = {
  fn: 'fitSbg',
  kind: 'shiftedBetaGeometric',
  names: ['alpha', 'beta'],
  scaled: [],
  maxIterations: 2000,
  restarts: 2,
};
const FN = SBG.fn;

/** The options fitSbg takes; every other name is refused with a did-you-mean. */
const FIT_SBG_OPTION_NAMES = optionNames<SbgOptions>({
  start: true,
  maxIterations: true,
  allowNonConvergence: true,
  allowUnidentified: true,
  penalizer: true,
});

/**
 * Fits the shifted-beta-geometric (sBG) model of contractual churn to one cohort's survivor counts: how retention
 * will continue beyond the periods observed, and what a customer who is still active is worth.
 *
 * Used for subscriptions renewed period by period (yearly contracts, monthly plans): project the survivor curve,
 * explain why aggregate retention rates rise with tenure although no customer changes (the "ruse of heterogeneity"),
 * and value the active base with {@link sbgDiscountedExpectedResidualLifetime}.
 *
 * Model (Fader & Hardie 2007): at the end of each period a customer churns with probability θ, constant for that
 * customer; θ ~ beta(α, β) across customers. The lifetime T (the period in which the customer churns) then has
 *
 *   P(T = t) = B(α + 1, β + t − 1) / B(α, β),   t = 1, 2, …          (eq. 5)
 *   S(t)     = P(T > t) = B(α, β + t) / B(α, β)                      (eq. 6)
 *   r(t)     = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)       (eq. 8)
 *
 * Data: `aliveCounts[t]` is the number of the cohort still active after t periods (made t renewals), so
 * `aliveCounts[0]` is the cohort size; n_t = aliveCounts[t − 1] − aliveCounts[t] churned in period t and the
 * aliveCounts[T] still active at the end are right-censored. Log-likelihood (Fader & Hardie 2007, Appendix B):
 *
 *   LL(α, β) = Σ_{t=1..T} n_t ln P(T = t) + aliveCounts[T] ln S(T)
 *
 * with ln S(t) = Σ_{i≤t} ln r(i) and ln P(T = t) = ln S(t − 1) + ln α − ln(α + β + t − 1), so no beta function is
 * evaluated. Counts may be fractions (percentages of a cohort); LL then is on that scale. α and β are fitted in
 * log space by Nelder–Mead; a search that stops on `maxIterations` throws `NOT_CONVERGED`, or with
 * `allowNonConvergence: true` gives `converged: false`.
 *
 * Units: periods (years, months) as the counts are; α and β are pure numbers.
 *
 * Cost: O(T) per likelihood evaluation.
 *
 * Reference: P. S. Fader & B. G. S. Hardie (2007), "How to project customer retention", Journal of Interactive
 * Marketing 21(1), 76–90, eqs. 5–8 and Appendix B. On the paper's data (1,000 customers, 7 years): α = 0.668,
 * β = 3.806, LL = −1,611.2 for the "high end" segment; α = 0.704, β = 1.182 for the "regular" segment.
 *
 * @param aliveCounts survivors after 0, 1, …, T periods: at least two finite, non-negative, non-increasing values, the
 * first positive
 * @param options `start` (default α = β = 1), `maxIterations` (default 2000), `allowNonConvergence` (default false)
 * @throws {ClienteleError} `NOT_IDENTIFIED` when the data do not identify the model (see `maximiseLikelihood`),
 *   unless `allowUnidentified: true`; and:
 * @throws {ClienteleError} `INVALID_INPUT` when `aliveCounts` is not an array of numbers; `EMPTY_INPUT` with fewer
 * than two counts; `INVALID_VALUE` for a count that is not a finite non-negative number, a zero cohort, or a count
 * larger than the one before it (a cohort cannot grow); `INVALID_OPTION` for a bad option; `NOT_CONVERGED`
 *
 * @example
 * // the "high end" segment of Fader & Hardie (2007), years 0–7
 * const model = fitSbg([1000, 869, 743, 653, 593, 551, 517, 491]);
 * Math.round(model.params.alpha * 1000) / 1000; // 0.668
 * Math.round(model.params.beta * 1000) / 1000; // 3.806
 */
export function fitSbg(aliveCounts: ArrayLike<number>, options: SbgOptions = {}): SbgModel {
  options = knownOptions(options, FIT_SBG_OPTION_NAMES, 'fitSbg');
  return maximiseLikelihood(SBG, options, () => cohortLikelihood(validateCounts(aliveCounts)));
}

/** The churned n_t and censored survivors of a validated cohort, as {@link maximiseLikelihood} takes them. */
function cohortLikelihood(counts: Float64Array): LikelihoodData {
  const periods = counts.length - 1;
  const lost = new Float64Array(periods);
  for (let t = 1; t <= periods; t++) lost[t - 1] = counts[t - 1] - counts[t];
  const censored = counts[periods];
  return {
    logLikelihood: (p) => logLikelihood(p[0], p[1], lost, censored),
    scale: 1,
    customers: counts[0],
    patterns: periods,
    dropped: {},
    noVariation:
      censored === counts[0]
        ? 'no customer was lost: nothing to learn a churn rate from'
        : counts[1] === 0
          ? 'every customer was lost in the first period'
          : periods === 1
            ? 'one period: only the first-period churn share α/(α + β) is determined, not α and β'
            : undefined,
  };
}

function validateCounts(aliveCounts: ArrayLike<number>): Float64Array {
  const isArrayLike =
    Array.isArray(aliveCounts) || (ArrayBuffer.isView(aliveCounts) && !(aliveCounts instanceof DataView));
  if (!isArrayLike) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${FN}: aliveCounts must be an array of survivor counts (found ${describeValue(aliveCounts)}); pass e.g. ` +
        `[1000, 631, 468, 382] for a cohort of 1,000 followed for three periods`,
    );
  }
  const n = aliveCounts.length;
  if (n < 2) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${FN}: aliveCounts needs the cohort size and at least one later count (found ${n} value${n === 1 ? '' : 's'}); ` +
        `pass survivors after 0, 1, 2, … periods`,
    );
  }
  const counts = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const v = aliveCounts[t] as unknown;
    if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${FN}: aliveCounts[${t}] is not a finite non-negative count (found ${describeValue(v)}); pass the number of ` +
          `customers still active after ${t} period${t === 1 ? '' : 's'}`,
        { row: t },
      );
    }
    if (t > 0 && v > counts[t - 1]) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${FN}: aliveCounts[${t}] is larger than aliveCounts[${t - 1}] (found ${v} > ${counts[t - 1]}); a cohort ` +
          `cannot grow, so pass non-increasing survivor counts of one cohort (new customers belong to a new cohort)`,
        { row: t },
      );
    }
    counts[t] = v;
  }
  if (counts[0] === 0) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${FN}: aliveCounts[0], the cohort size, is 0 (found 0); pass a cohort with at least one customer`,
      { row: 0 },
    );
  }
  return counts;
}

/** LL(α, β) of Fader & Hardie (2007), Appendix B, by the recursions of eqs. 7–8; −Infinity outside the domain. */
function logLikelihood(alpha: number, beta: number, lost: Float64Array, censored: number): number {
  if (!(alpha > 0 && beta > 0)) return -Infinity;
  const logAlpha = Math.log(alpha);
  let logS = 0; // ln S(t − 1), S(0) = 1
  let sum = 0;
  for (let t = 1; t <= lost.length; t++) {
    const logDenominator = Math.log(alpha + beta + t - 1);
    if (lost[t - 1] > 0) sum += lost[t - 1] * (logS + logAlpha - logDenominator);
    logS += Math.log(beta + t - 1) - logDenominator;
  }
  return censored > 0 ? sum + censored * logS : sum;
}

/**
 * The sBG survivor function S(t) = B(α, β + t) / B(α, β) = Π_{i=1..t} (β + i − 1)/(α + β + i − 1): the share of a
 * cohort still active after t periods (Fader & Hardie 2007, eq. 6). S(0) = 1; decreasing in t.
 *
 * Cost: O(min(t, 1000)): the product up to 1,000 periods, the Gamma-function ratios beyond.
 *
 * @throws {ClienteleError} `INVALID_OPTION` when t is not a non-negative integer
 *
 * @example
 * sbgSurvival({ params: { alpha: 1, beta: 3 } }, 2); // 0.6
 */
export function sbgSurvival(model: SbgLike, t: number): number {
  checkParams(model?.params, SBG_PARAMS, 'sbgSurvival');
  checkPeriod('sbgSurvival', t, 0);
  const { alpha, beta } = model.params;
  // the product term by term while it is short; beyond, the Gamma-function ratios in O(1), so t = 1e9 does not loop:
  // ln S(t) = [ln Γ(β + t) − ln Γ(α + β + t)] − [ln Γ(β) − ln Γ(α + β)]
  if (t > 1000) return Math.exp(lgammaRatio(beta, alpha) - lgammaRatio(beta + t, alpha));
  let logS = 0;
  for (let i = 1; i <= t; i++) logS += Math.log((beta + i - 1) / (alpha + beta + i - 1));
  return Math.exp(logS);
}

/**
 * The probability that a new customer churns in period t, P(T = t) = B(α + 1, β + t − 1) / B(α, β) = S(t − 1) ·
 * α/(α + β + t − 1) (Fader & Hardie 2007, eqs. 5 and 7), for t = 1, 2, …; they sum to 1 over t.
 *
 * @throws {ClienteleError} `INVALID_OPTION` when t is not an integer ≥ 1
 *
 * @example
 * sbgChurnProbability({ params: { alpha: 1, beta: 3 } }, 1); // 0.25
 * // S(1) · α/(α + β + 1) = 3/4 · 1/5
 * sbgChurnProbability({ params: { alpha: 1, beta: 3 } }, 2); // 0.15
 */
export function sbgChurnProbability(model: SbgLike, t: number): number {
  checkParams(model?.params, SBG_PARAMS, 'sbgChurnProbability');
  checkPeriod('sbgChurnProbability', t, 1);
  const { alpha, beta } = model.params;
  return sbgSurvival(model, t - 1) * (alpha / (alpha + beta + t - 1));
}

/**
 * The retention rate in period t, r(t) = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1) (Fader & Hardie 2007, eq. 8): the
 * share of customers active after t − 1 periods who renew again. Increases with t towards 1, purely by the sorting of
 * a heterogeneous cohort.
 *
 * @throws {ClienteleError} `INVALID_OPTION` when t is not an integer ≥ 1
 *
 * @example
 * sbgRetentionRate({ params: { alpha: 1, beta: 3 } }, 2); // 0.8
 */
export function sbgRetentionRate(model: SbgLike, t: number): number {
  checkParams(model?.params, SBG_PARAMS, 'sbgRetentionRate');
  checkPeriod('sbgRetentionRate', t, 1);
  const { alpha, beta } = model.params;
  return (beta + t - 1) / (alpha + beta + t - 1);
}

/**
 * The discounted expected residual lifetime (DERL) of a customer who has made `renewals` renewals (one of the
 * `aliveCounts[renewals]` survivors), standing just before the next renewal decision: the expected number of further
 * payments, discounted at rate d per period, the first one (at this renewal, if it happens) undiscounted. Multiplied by
 * the net cash flow per period it is the customer's residual lifetime value.
 *
 * Formula (Fader & Hardie 2010, eq. 6, with n − 1 = renewals):
 *
 *   DERL(d | α, β, n − 1) = Σ_{t=n..∞} S(t)/S(n − 1) · (1 + d)^−(t−n)
 *                         = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d))
 *
 * computed here by summing the series itself (term_k = term_{k−1} · r(n + k) / (1 + d), which is the ₂F₁ series
 * term by term) until the remaining tail, bounded by term · z/(1 − z) with z = 1/(1 + d) since every r < 1, is below
 * 1e-15 of the sum.
 *
 * Units: periods of the model (the value is a number of discounted periods); d per period (0.1 for 10% a year).
 *
 * Cost: O(ln(1e-15) / ln(z)) terms, about 350 for d = 0.1 and 35,000 for d = 0.001.
 *
 * Reference: P. S. Fader & B. G. S. Hardie (2010), "Customer-base valuation in a contractual setting: the perils of
 * ignoring heterogeneity", Marketing Science 29(1), 85–93, eq. 6.
 *
 * @param discountRate d > 0 per period
 * @param renewals renewals already made, an integer ≥ 0
 * @throws {ClienteleError} `INVALID_OPTION` for d ≤ 0 (or so small that the series needs more than 10⁷ terms) or
 * renewals that are not a non-negative integer
 *
 * @example
 * // a "high end" customer after 7 renewals, 10% a year
 * Math.round(sbgDiscountedExpectedResidualLifetime({ params: { alpha: 0.668, beta: 3.806 } }, 0.1, 7) * 100) / 100; // 7.53
 */
export function sbgDiscountedExpectedResidualLifetime(model: SbgLike, discountRate: number, renewals: number): number {
  const fn = 'sbgDiscountedExpectedResidualLifetime';
  if (!(typeof discountRate === 'number' && discountRate > 0 && discountRate < Infinity)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: discountRate must be a positive rate per period (found ${describeValue(discountRate)}); pass e.g. 0.1 ` +
        `for 10% a period (with no discounting the expected lifetime is infinite when α ≤ 1)`,
    );
  }
  checkPeriod(fn, renewals, 0, 'renewals');
  const { alpha, beta } = model.params;
  const n = renewals + 1;
  const z = 1 / (1 + discountRate);
  const tailFactor = z / (1 - z);
  let term = (beta + n - 1) / (alpha + beta + n - 1);
  let sum = 0;
  let compensation = 0;
  for (let k = 0; k < 10_000_000; k++) {
    // Neumaier summation: tens of thousands of terms for small d
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    if (term * tailFactor <= 1e-15 * sum) return sum + compensation;
    term *= ((beta + n + k) / (alpha + beta + n + k)) * z;
  }
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: discountRate is too small for the series to converge in 10⁷ terms (found ${discountRate}); pass a ` +
      `rate per period of at least about 1e-5`,
  );
}

function checkPeriod(fn: string, t: number, min: number, name = 't'): void {
  if (!(typeof t === 'number' && Number.isInteger(t) && t >= min)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${name} must be an integer ≥ ${min} (found ${describeValue(t)}); pass a whole number of periods`,
    );
  }
}
