import { integrate, lgamma, logAddExp } from '../math/internal';
import { validConditionalCount } from './customer-histories';
import { checkParams } from './model';
import type { ParetoNbdLike } from './pareto-nbd';

// The Pareto/NBD purchase-count distributions: P(X(t) = x) of a new customer and the conditional
// P(X(T, T + t) = n | x, t_x, T), both as one-dimensional integrals over the drop-out time.

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** Points at which a log-integrand is sampled to find the scale its integral is taken against. */
const SAMPLES = 64;

/**
 * ln ∫ₐᵇ exp(g(τ)) dτ without overflow: the integrand is taken relative to the largest of g at 64 interior points
 * (the integrands here are unimodal, so that is within a small factor of their maximum), then integrated by
 * adaptive Gauss–Legendre to 1e-13 relative. −Infinity for an empty interval.
 */
function logIntegral(g: (tau: number) => number, a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  let top = -Infinity;
  for (let k = 0; k < SAMPLES; k++) top = Math.max(top, g(a + ((k + 0.5) / SAMPLES) * (b - a)));
  if (!Number.isFinite(top)) return top;
  return top + Math.log(integrate((tau) => Math.exp(g(tau) - top), a, b));
}

/** x ln τ with 0 · ln 0 = 0, the power τˣ of the Poisson count in logs. */
function xLog(x: number, tau: number): number {
  return x === 0 ? 0 : x * Math.log(tau);
}

/**
 * ln P(X(t) = x) for a new customer (see {@link paretoNbdProbabilityOfPurchases}).
 */
function logPmf(r: number, alpha: number, s: number, beta: number, x: number, t: number): number {
  // ln[Γ(r+x)/(Γ(r) x!) αʳ βˢ]
  const front = lgamma(r + x) - lgamma(r) - lgamma(x + 1) + r * Math.log(alpha) + s * Math.log(beta);
  // alive throughout (0, t]: τˣ(α+τ)^−(r+x) at τ = t, times (β + t)^−s
  const alive = xLog(x, t) - (r + x) * Math.log(alpha + t) - s * Math.log(beta + t);
  // dropped out at τ < t after x purchases in (0, τ]: s ∫₀ᵗ τˣ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ
  const dead =
    Math.log(s) +
    logIntegral((tau) => xLog(x, tau) - (r + x) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau), 0, t);
  return front + logAddExp(alive, dead);
}

/**
 * P(X(t) = x): the probability that a new customer (or one drawn at random from a cohort at its first purchase)
 * makes exactly x repeat purchases in (0, t] under a Pareto/NBD model; its histogram is the model's check against
 * the observed frequency distribution (lifetimes' `plot_period_transactions`, BTYD's `pnbd.PlotFrequencyInCalibration`).
 *
 * Formula: conditioning on the drop-out time ω (Fader & Hardie 2005, note 009; the closed form in ₂F₁ is
 * note 012's), with NB(x; τ) = Γ(r + x)/(Γ(r) x!) (α/(α + τ))ʳ (τ/(α + τ))ˣ the negative binomial count of a
 * customer alive for τ:
 *
 *   P(X(t) = x) = NB(x; t) (β/(β + t))ˢ + ∫₀ᵗ NB(x; τ) (s/β) (β/(β + τ))^(s+1) dτ,
 *
 * the first term for a customer still alive at t, the second for one who dropped out at τ < t. The integral is
 * taken by adaptive Gauss–Legendre quadrature to 1e-13 relative, in logs (no overflow for large x or t); every
 * term is positive, so no cancellation. Σₓ P = 1 and Σₓ x P = {@link paretoNbdExpectedPurchases}(t).
 *
 * Cost: a few hundred evaluations of an elementary integrand per call.
 *
 * References: P. S. Fader & B. G. S. Hardie (2005), "A note on deriving the Pareto/NBD model and related
 * expressions", http://brucehardie.com/notes/009/; P. S. Fader & B. G. S. Hardie (2020), "Deriving an expression for
 * P(X(t) = x) under the Pareto/NBD model", http://brucehardie.com/notes/012/.
 *
 * @param model a fitted model, or `{ params: { r, alpha, s, beta } }`
 * @param x the number of repeat purchases, a whole number ≥ 0
 * @param t the period length, in the fit's time unit
 * @returns a probability in [0, 1]; NaN when x is not a whole number ≥ 0 or t is not a finite number ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * const model = { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }; // CDNOW, weeks
 * let total = 0;
 * for (let x = 0; x < 500; x++) total += paretoNbdProbabilityOfPurchases(model, x, 39);
 * Math.abs(total - 1) < 1e-9; // true
 */
export function paretoNbdProbabilityOfPurchases(model: ParetoNbdLike, x: number, t: number): number {
  checkParams(model?.params, NAMES, 'paretoNbdProbabilityOfPurchases');
  if (!(x >= 0) || !Number.isInteger(x) || !(t >= 0) || t === Infinity) return NaN;
  if (t === 0) return x === 0 ? 1 : 0;
  const { r, alpha, s, beta } = model.params;
  return Math.min(1, Math.exp(logPmf(r, alpha, s, beta, x, t)));
}

/**
 * P(X(T, T + t) = n | x, t_x, T): the probability that a customer with history (x, t_x, T) makes exactly n purchases
 * in the next t time units, under a Pareto/NBD model — the distribution behind
 * `paretoNbdConditionalExpectedPurchases` (its mean), e.g. the chance that a customer buys again at all (1 − P(0)).
 *
 * Formula (Fader & Hardie 2014, note 028, derived there in ₂F₁ terms; written here before the integrals over the
 * drop-out time are done, as the likelihood of `fitParetoNbd`): with B = E(T) + s ∫_{t_x}^T f(τ) dτ the likelihood
 * bracket, E(T) = (α + T)^−(r+x) (β + T)^−s and f(τ) = (α + τ)^−(r+x) (β + τ)^−(s+1),
 *
 *   P(n) = { δ(n=0) s ∫_{t_x}^T f(τ) dτ
 *          + Γ(r + x + n)/(Γ(r + x) n!) · [ tⁿ (α + T + t)^−(r+x+n) (β + T + t)^−s
 *                                           + s ∫₀ᵗ τⁿ (α + T + τ)^−(r+x+n) (β + T + τ)^−(s+1) dτ ] } / B:
 *
 * a customer already gone at T (first term) makes none; one alive at T buys as a new customer would, with the
 * posterior gamma(r + x, α + T) and the ages shifted by T. Integrals by adaptive Gauss–Legendre to 1e-13, in logs.
 * Σₙ P(n) = 1 and Σₙ n P(n) = `paretoNbdConditionalExpectedPurchases`.
 *
 * Cost: a few hundred evaluations of an elementary integrand per call.
 *
 * Reference: P. S. Fader & B. G. S. Hardie (2014), "Deriving the conditional PMF of the Pareto/NBD model",
 * http://brucehardie.com/notes/028/ (eq. 16 is lifetimes' `conditional_probability_of_n_purchases_up_to_time`).
 *
 * @param model a fitted model, or `{ params: { r, alpha, s, beta } }`
 * @param n the number of purchases in (T, T + t], a whole number ≥ 0
 * @param x repeat purchases in the calibration period
 * @param tx time of the last repeat purchase (0 when x = 0)
 * @param T age at the end of the calibration period
 * @param t the forecast period, in the fit's time unit
 * @returns a probability in [0, 1]; NaN for a history the fit would drop, or an n or t out of range
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * const model = { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }; // CDNOW, weeks
 * let total = 0;
 * for (let n = 0; n < 300; n++) total += paretoNbdConditionalProbabilityOfPurchases(model, n, 2, 30.43, 38.86, 39);
 * Math.abs(total - 1) < 1e-9; // true
 */
export function paretoNbdConditionalProbabilityOfPurchases(
  model: ParetoNbdLike,
  n: number,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, NAMES, 'paretoNbdConditionalProbabilityOfPurchases');
  if (!validConditionalCount(n, x, tx, T, t)) return NaN;
  const { r, alpha, s, beta } = model.params;
  const rx = r + x;
  const logS = Math.log(s);
  // the likelihood bracket B and the part of it where the customer has already gone
  const logE = -rx * Math.log(alpha + T) - s * Math.log(beta + T);
  const logGone = logS + logIntegral((tau) => -rx * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau), tx, T);
  const logB = logAddExp(logE, logGone);
  if (t === 0) return n === 0 ? 1 : 0;
  const front = lgamma(rx + n) - lgamma(rx) - lgamma(n + 1);
  const aliveThroughout = xLog(n, t) - (rx + n) * Math.log(alpha + T + t) - s * Math.log(beta + T + t);
  const goneLater =
    logS +
    logIntegral(
      (tau) => xLog(n, tau) - (rx + n) * Math.log(alpha + T + tau) - (s + 1) * Math.log(beta + T + tau),
      0,
      t,
    );
  let logNumerator = front + logAddExp(aliveThroughout, goneLater);
  if (n === 0) logNumerator = logAddExp(logNumerator, logGone);
  return Math.min(1, Math.exp(logNumerator - logB));
}
