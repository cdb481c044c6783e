import { hyp2f1, integrateUnitInterval, lbeta, scaledExpIntegralE } from '../math/internal';
import { ClienteleError, describeValue } from '../table/internal';
import { bgBbProbabilityAlive } from './beta-geo-beta-binomial';
import type { BgBbLike } from './beta-geo-beta-binomial';
import { bgNbdProbabilityAlive } from './bg-nbd';
import type { BgNbdLike } from './bg-nbd';
import { validHistory } from './customer-histories';
import { checkParams } from './model';
import { paretoNbdProbabilityAlive } from './pareto-nbd';
import type { ParetoNbdLike } from './pareto-nbd';

// Discounted expected residual transactions (DERT): the present value, in transactions, of what a customer will
// still buy, given his history. Times a margin-adjusted spend per transaction it is his residual lifetime value.

const PARETO_NAMES = ['r', 'alpha', 's', 'beta'] as const;
const BG_NAMES = ['r', 'alpha', 'a', 'b'] as const;
const BGBB_NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;

/**
 * Checks a discount rate: a finite number > 0.
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function checkDiscountRate(discountRate: unknown, fn: string, per: 'time' | 'opportunity'): number {
  if (typeof discountRate !== 'number' || !(discountRate > 0) || !Number.isFinite(discountRate)) {
    const hint =
      per === 'time'
        ? 'a continuously compounded rate per time unit of the fit, e.g. Math.log(1.15) / 52 for 15% a year on weeks'
        : 'a rate per opportunity, e.g. 0.1 for 10% a year on yearly opportunities';
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: discountRate must be a finite number > 0 (found ${describeValue(discountRate)}); pass ${hint}`,
    );
  }
  return discountRate;
}

/**
 * The discounted expected residual transactions of a customer with history (x, t_x, T) under a Pareto/NBD model:
 * the expected number of his purchases after T, each discounted continuously to T, DERT = E[∫_T^∞ e^(−δ(t−T)) dX(t)
 * | x, t_x, T]. Times the expected margin per purchase it is the customer's residual lifetime value (Fader, Hardie &
 * Lee 2005, "RFM and CLV", eq. 1); iso-value curves are its contours over (x, t_x).
 *
 * Formula (Fader, Hardie & Lee 2005, eq. 2, there "DET"): an active customer with rates λ, μ buys λ/(μ + δ)
 * discounted purchases; over the posterior of λ ~ gamma(r + x, α + T) and μ ~ gamma(s, β + T) given alive,
 *
 *   DERT = αʳ βˢ δ^(s−1) Γ(r + x + 1) Ψ(s, s; δ(β + T)) / (Γ(r) (α + T)^(r+x+1) L(r, α, s, β | x, t_x, T))
 *        = P(alive) · (r + x)(β + T)/(α + T) · e^z E_s(z),  z = δ(β + T),
 *
 * with Ψ Tricomi's confluent hypergeometric function, Ψ(s, s; z) = z^(1−s) e^z E_s(z) (E_s the generalised
 * exponential integral, `scaledExpIntegralE`). As δ → 0 it tends to E[Y(∞) | x, t_x, T], finite only for s > 1.
 *
 * Units: δ is a continuously compounded rate per time unit of the fit: an annual rate d on weeks is δ = ln(1 + d)/52
 * (FHL use 15% a year on CDNOW's weeks: δ = ln 1.15/52 ≈ 0.0027, as BTYD's `pnbd.DERT` example).
 * Cost: O(1) beyond P(alive) (one ₂F₁).
 *
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "RFM and CLV: using iso-value curves for customer base
 * analysis", Journal of Marketing Research 42(4), 415–430, eq. (2).
 *
 * @param model a fitted Pareto/NBD model, or `{ params: { r, alpha, s, beta } }`
 * @param discountRate δ > 0, continuously compounded, per time unit of the fit
 * @returns a number ≥ 0; NaN for a history the fit would drop (see `readCustomerHistories`)
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive, `INVALID_OPTION` for a bad discountRate
 * @example
 * // FHL's CDNOW estimates, 15% a year on weeks: a customer with 2 repeat purchases, the last at week 30.43 of 38.86
 * const cdnow = { params: { r: 0.5533, alpha: 10.5802, s: 0.6061, beta: 11.6686 } };
 * Math.round(paretoNbdDert(cdnow, 2, 30.43, 38.86, 0.0027) * 100) / 100; // 6.48
 */
export function paretoNbdDert(model: ParetoNbdLike, x: number, tx: number, T: number, discountRate: number): number {
  const fn = 'paretoNbdDert';
  checkParams(model?.params, PARETO_NAMES, fn);
  const delta = checkDiscountRate(discountRate, fn, 'time');
  if (!validHistory(x, tx, T)) return NaN;
  const { r, alpha, s, beta } = model.params;
  const alive = paretoNbdProbabilityAlive(model, x, tx, T);
  if (alive === 0) return 0;
  return ((alive * (r + x) * (beta + T)) / (alpha + T)) * scaledExpIntegralE(s, delta * (beta + T));
}

/**
 * The discounted expected residual transactions of a customer with history (x, t_x, T) under a BG/NBD model, with
 * continuous discounting at δ: DERT = E[∫_T^∞ e^(−δ(t−T)) dX(t) | x, t_x, T] = ∫₀^∞ e^(−δt) dE[Y(t) | x, t_x, T].
 * The quantity CLVTools leaves out for the BG/NBD ("not derived yet"); derived here as follows.
 *
 * Derivation: an active customer with purchase rate λ and drop-out probability p buys his j-th future purchase at
 * the sum of j exponential(λ) waits, E[e^(−δ·that)] = (λ/(λ + δ))ʲ, and is still active for it with probability
 * (1 − p)^(j−1); summed over j, λ/(δ + pλ) discounted purchases (1/p at δ = 0, the geometric count of FHL's model).
 * Given the history and alive at T, λ ~ gamma(r + x, α + T) and p ~ beta(a, b + x), independent; averaging over λ
 * (E[μ/(δ + μ)] = R e^w E_{R+1}(w) for μ = pλ ~ gamma(R, (α + T)/p), R = r + x, w = δ(α + T)/p) leaves one integral
 * over p:
 *
 *   DERT = P(alive) · (r + x) · ∫₀¹ e^w E_{r+x+1}(w)/p · p^(a−1) (1 − p)^(b+x−1)/B(a, b + x) dp,  w = δ(α + T)/p,
 *
 * with E_ν the generalised exponential integral (`scaledExpIntegralE`). The integral is taken by tanh–sinh quadrature
 * (`integrateUnitInterval`), two successive halvings of the step agreeing to 1e-12 relative; the factor beside the
 * beta density is smooth inside (0, 1) and bounded by 1/(δ(α + T)) (as e^w E_ν(w) ≤ 1/(w + ν − 1), A&S 5.1.19).
 * As δ → 0 the value tends to E[Y(∞) | x, t_x, T] = P(alive) (a + b + x − 1)/(a − 1), finite for a > 1. Checked in the tests against the
 * discounted integral of `bgNbdConditionalExpectedPurchases`'s increments.
 *
 * Units: δ continuously compounded per time unit of the fit (ln(1 + d)/52 for an annual rate d on weeks).
 * Cost: about 100 quadrature nodes per history, each one e^w E_ν(w): 0.1–0.2 ms.
 *
 * Reference: the model is P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "'Counting your customers' the easy way",
 * Marketing Science 24(2), 275–284; the discounting as Fader, Hardie & Lee (2005), "RFM and CLV", eq. (1).
 *
 * @param model a fitted BG/NBD model, or `{ params: { r, alpha, a, b } }`
 * @param discountRate δ > 0, continuously compounded, per time unit of the fit
 * @returns a number ≥ 0; NaN for a history the fit would drop
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive, `INVALID_OPTION` for a bad discountRate
 * @example
 * // FHL's BG/NBD estimates for CDNOW, 15% a year on weeks; the same customer as in bgNbdConditionalExpectedPurchases
 * const bg = { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * bgNbdDert(bg, 2, 30.43, 38.86, Math.log(1.15) / 52) > bgNbdConditionalExpectedPurchases(bg, 2, 30.43, 38.86, 52); // true
 */
export function bgNbdDert(model: BgNbdLike, x: number, tx: number, T: number, discountRate: number): number {
  const fn = 'bgNbdDert';
  checkParams(model?.params, BG_NAMES, fn);
  const delta = checkDiscountRate(discountRate, fn, 'time');
  if (!validHistory(x, tx, T)) return NaN;
  const alive = bgNbdProbabilityAlive(model, x, tx, T);
  if (alive === 0) return 0;
  const { r, alpha, a, b } = model.params;
  return alive * (r + x) * discountedPerPurchaseRate(r + x, alpha + T, a, b + x, delta);
}

/**
 * E over λ ~ gamma(R, A), p ~ beta(a, c) of λ/(δ + pλ), divided by R: ∫₀¹ e^w E_{R+1}(w)/p · beta(a, c)(p) dp with
 * w = δA/p. For w beyond 1e8 √(R + 1) the factor e^w E_{R+1}(w)/p is 1/(δA + (R + 1)p) to 1e-16 relative.
 */
function discountedPerPurchaseRate(R: number, A: number, a: number, c: number, delta: number): number {
  const nu = R + 1;
  const k = delta * A;
  const logNorm = -lbeta(a, c);
  const far = 1e8 * Math.sqrt(nu);
  const perP = (p: number) => {
    const w = k / p;
    return w > far ? 1 / (k + nu * p) : scaledExpIntegralE(nu, w) / p;
  };
  // p(1 − p) · p^(a−1)(1 − p)^(c−1)/B(a, c) · perP(p)
  return integrateUnitInterval((p, logP, logQ) => Math.exp(a * logP + c * logQ + logNorm) * perP(p)).value;
}

/**
 * The discounted expected residual transactions of a customer with x transactions in n opportunities, the last at
 * opportunity t_x, under a BG/BB model: the expected number of his transactions at opportunities n + 1, n + 2, …,
 * the one at n + k discounted by (1 + d)^(−k). Times the value of a transaction it is his residual lifetime value.
 *
 * Formula (Fader, Hardie & Shang 2010, eq. 14):
 *
 *   DERT(d | α, β, γ, δ, x, t_x, n) = B(α + x + 1, β + n − x)/B(α, β) · B(γ, δ + n + 1)/(B(γ, δ)(1 + d))
 *                                     · ₂F₁(1, δ + n + 1; γ + δ + n + 1; 1/(1 + d)) / L(α, β, γ, δ | x, t_x, n)
 *                                   = P(alive at n + 1) · (α + x)/(α + β + n) · ₂F₁(1, δ + n + 1; γ + δ + n + 1; 1/(1 + d))/(1 + d),
 *
 * P(alive at n + 1) being `bgBbProbabilityAlive` and (α + x)/(α + β + n) the posterior mean of the transaction
 * probability p. With d → 0 it grows without bound when γ ≤ 1 (an infinite expected lifetime).
 *
 * Units: d per opportunity (0.1 for 10% a year on yearly opportunities, as FHS use).
 * Cost: O(n − t_x) for the likelihood and one ₂F₁ near z = 1 (about log₂(1/d) continuation steps).
 *
 * Reference: P. S. Fader, B. G. S. Hardie & J. Shang (2010), "Customer-base analysis in a discrete-time noncontractual
 * setting", Marketing Science 29(6), 1086–1108, eq. (14).
 *
 * @param model a fitted BG/BB model, or `{ params: { alpha, beta, gamma, delta } }`
 * @param discountRate d > 0 per opportunity
 * @returns a number ≥ 0; NaN for an impossible history (not whole numbers with 0 ≤ x ≤ t_x ≤ n, t_x = 0 exactly when
 *   x = 0: the rows `fitBgBb` drops)
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive, `INVALID_OPTION` for a bad discountRate
 * @example
 * // FHS's donation estimates, 10% a year: a donor who gave in 3 of 6 years, the last in year 4
 * const donors = { params: { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78 } };
 * Math.round(bgBbDert(donors, 3, 4, 6, 0.1) * 1000) / 1000; // 1.621
 */
export function bgBbDert(model: BgBbLike, x: number, tx: number, n: number, discountRate: number): number {
  const fn = 'bgBbDert';
  checkParams(model?.params, BGBB_NAMES, fn);
  const d = checkDiscountRate(discountRate, fn, 'opportunity');
  if (!validOpportunities(x, tx, n)) return NaN;
  return bgBbDertCore(model, x, tx, n, d);
}

/** {@link bgBbDert} of a checked model, rate and history. */
export function bgBbDertCore(model: BgBbLike, x: number, tx: number, n: number, d: number): number {
  const alive = bgBbProbabilityAlive(model, x, tx, n, 1);
  if (alive === 0) return 0;
  const { alpha, beta, gamma, delta } = model.params;
  const z = 1 / (1 + d);
  return ((alive * (alpha + x)) / (alpha + beta + n)) * z * hyp2f1(1, delta + n + 1, gamma + delta + n + 1, z);
}

/** True when (x, t_x, n) is a possible BG/BB history: whole numbers, 0 ≤ x ≤ t_x ≤ n, t_x = 0 exactly when x = 0. */
export function validOpportunities(x: number, tx: number, n: number): boolean {
  const count = (v: number) => typeof v === 'number' && v >= 0 && v < Infinity && Number.isInteger(v);
  return count(x) && count(tx) && count(n) && x <= tx && tx <= n && (x === 0) === (tx === 0);
}
