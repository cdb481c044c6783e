import type { Vector } from 'apache-arrow';
import { logAddExp, logHyp2f1 } from '../math/internal';
import {
  checkPredictOptions,
  historiesLikelihood,
  predictRows,
  REPEAT_FIT_OPTION_NAMES,
  REPEAT_PREDICT_OPTION_NAMES,
  validHistory,
} from './customer-histories';
import type { CustomerHistories, RepeatFitOptions, RepeatPredictOptions } from './customer-histories';
import { maximiseLikelihood } from './maximise-likelihood';
import { paretoNbdLikelihoodFunction } from './pareto-nbd-likelihood';
import type { LikelihoodModel } from './maximise-likelihood';
import { checkParams } from './model';
import type { FittedModel, ModelLike } from './model';
import { knownOptions } from '../table/internal';

/** Pareto/NBD parameters: purchase rates λ ~ gamma(shape r, rate α); drop-out rates μ ~ gamma(shape s, rate β). */
export type ParetoNbdParams = {
  r: number;
  alpha: number;
  s: number;
  beta: number;
};

/** A fitted Pareto/NBD model. */
export type ParetoNbdModel = FittedModel<'paretoNbd', ParetoNbdParams>;

/** What the Pareto/NBD prediction functions need: a fitted model, or any object with its parameters. */
export type ParetoNbdLike = ModelLike<ParetoNbdParams>;

/** Options of {@link fitParetoNbd}. */
export type ParetoNbdOptions = RepeatFitOptions<ParetoNbdParams>;

const PARETO_NBD: LikelihoodModel<'paretoNbd', ParetoNbdParams> = {
  fn: 'fitParetoNbd',
  kind: 'paretoNbd',
  names: ['r', 'alpha', 's', 'beta'],
  scaled: ['alpha', 'beta'],
  maxIterations: 2000,
};
const PARETO_NAMES = PARETO_NBD.names;

/**
 * ln L(r, α, s, β | x, t_x, T) − [ln Γ(r + x) − ln Γ(r) + r ln α + s ln β], the part of the Pareto/NBD
 * log-likelihood that needs the hypergeometric function, as the log of a sum of two positive terms:
 *
 *   s/(r+s+x) · A₁ + (r+x)/(r+s+x) · A₂, with, for α ≥ β,
 *   A₁ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x),  A₂ = ₂F₁(r+s+x, s; r+s+x+1; (α−β)/(α+T)) / (α+T)^(r+s+x),
 * and, for α < β,
 *   A₁ = ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+t_x)) / (β+t_x)^(r+s+x),  A₂ = ₂F₁(r+s+x, r+x+1; r+s+x+1; (β−α)/(β+T)) / (β+T)^(r+s+x).
 */
function logBracket(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  const n = r + s + x;
  let logA1: number;
  let logA2: number;
  if (alpha >= beta) {
    const d = alpha - beta;
    logA1 = logHyp2f1(n, s + 1, n + 1, d / (alpha + tx)) - n * Math.log(alpha + tx);
    logA2 = logHyp2f1(n, s, n + 1, d / (alpha + T)) - n * Math.log(alpha + T);
  } else {
    const d = beta - alpha;
    logA1 = logHyp2f1(n, r + x, n + 1, d / (beta + tx)) - n * Math.log(beta + tx);
    logA2 = logHyp2f1(n, r + x + 1, n + 1, d / (beta + T)) - n * Math.log(beta + T);
  }
  return logAddExp(Math.log(s / n) + logA1, Math.log((r + x) / n) + logA2);
}

/**
 * The Pareto/NBD log-likelihood of weighted histories, as a function of (r, α, s, β): the integral form of
 * `paretoNbdLikelihoodFunction` (pareto-nbd-likelihood.ts), equal to the ₂F₁ form below to about 1e-12 relative.
 */
export function paretoNbdLogLikelihood(h: CustomerHistories): (p: ArrayLike<number>) => number {
  const f = paretoNbdLikelihoodFunction(h);
  return (params) => f(params);
}

/**
 * The Pareto/NBD log-likelihood with its gradient in (r, α, s, β): returns what {@link paretoNbdLogLikelihood}
 * returns and writes ∂LL/∂(r, α, s, β) into `grad` (see `paretoNbdLikelihoodFunction` for the formulas).
 */
export function paretoNbdLogLikelihoodGradient(
  h: CustomerHistories,
): (p: ArrayLike<number>, grad: Float64Array) => number {
  const f = paretoNbdLikelihoodFunction(h);
  return (params, grad) => f(params, grad);
}

/**
 * Fits the Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987) to a customer-by-sufficient-
 * statistic table: the classic "counting your customers" model, in which customers buy at their own rate until
 * they silently drop out at an unobserved time. Same data and uses as {@link fitBgNbd}; the drop-out may happen at
 * any time, not only after a purchase, so customers without repeat purchases can be inactive too.
 *
 * Model: while alive a customer buys as a Poisson process of rate λ; his lifetime is exponential with rate μ;
 * λ ~ gamma(r, α), μ ~ gamma(s, β), independent across customers. The likelihood of (x, t_x, T) follows Fader &
 * Hardie (2005, §3; restated in Fader & Hardie 2014, eq. 3) as
 *
 *   L(r, α, s, β | x, t_x, T) = Γ(r + x) αʳ βˢ / Γ(r) · [ s/(r+s+x) · A₁ + (r+x)/(r+s+x) · A₂ ],
 *
 * with A₁, A₂ ratios of ₂F₁ values to powers of (α + t_x), (α + T) when α ≥ β, or of (β + t_x), (β + T) when
 * α < β — the choice that keeps the ₂F₁ argument in [0, 1) (P(alive) and the predictions use this form). The fit
 * evaluates the same likelihood before the drop-out time is integrated out (note 009, §3):
 * [·] = E(T) + s ∫_{t_x}^T f(τ) dτ with E(t) = (α+t)^−(r+x) (β+t)^−s and f(τ) = (α+τ)^−(r+x) (β+τ)^−(s+1),
 * by Gauss–Legendre quadrature to about 1e-12 relative, where the parameters enter through powers only: its
 * gradient in (r, α, s, β) is the same integral with a factor, computed in the same pass
 * (`paretoNbdLikelihoodFunction`, pareto-nbd-likelihood.ts). The reported log-likelihood is the full one
 * (−9,595.0 on CDNOW in Fader, Hardie & Lee 2005).
 *
 * Conventions, dropped rows, optimisation (BFGS on the analytic gradient, Nelder–Mead as a fallback) and standard
 * errors as in {@link fitBgNbd}; α and β are in the data's time unit.
 *
 * Cost: O(n) to compress n rows to m distinct patterns; then per likelihood evaluation one exp and one log per
 * pattern plus about one 4-node quadrature piece per distinct (x, t) pair of the data (more for large x), and some
 * 25 evaluations with the gradient plus about 40 without (the end-point probe and the standard errors): a million
 * customers with times in days (460k patterns, 41k (x, t) pairs) take about as long as `fitBgNbd` (benchmarks/RESULTS.md).
 *
 * References: D. C. Schmittlein, D. G. Morrison & R. Colombo (1987), "Counting your customers: who are they and
 * what will they do next?", Management Science 33(1), 1–24; P. S. Fader & B. G. S. Hardie (2005), "A note on
 * deriving the Pareto/NBD model and related expressions", http://brucehardie.com/notes/009/; P. S. Fader &
 * B. G. S. Hardie (2014), "Deriving the conditional PMF of the Pareto/NBD model", http://brucehardie.com/notes/028/.
 *
 * @param summary one row per customer (any `asTable` input)
 * @param options column names (`frequency`, `recency`, `T`; `weights`), `start` (default r = s = 1,
 *   α = β = mean T), `maxIterations` (default 2000), `allowNonConvergence` (default false)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `EMPTY_INPUT`, `NOT_CONVERGED`;
 *   `NOT_IDENTIFIED` (as `fitBgNbd`) unless `allowUnidentified: true`; `INVALID_INPUT` for a `customerSummary`/`rfm` table
 * @example
 * // e.g. on Fader–Hardie–Lee's CDNOW sample (weeks):
 * // fitParetoNbd(cdnow, { frequency: 'x', recency: 't_x' }).params ≈ { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }
 */
export function fitParetoNbd(summary: unknown, options: ParetoNbdOptions = {}): ParetoNbdModel {
  options = knownOptions(options, REPEAT_FIT_OPTION_NAMES, 'fitParetoNbd');
  return maximiseLikelihood(PARETO_NBD, options, () => {
    let gradient: ((p: Float64Array, grad: Float64Array) => number) | undefined;
    const data = historiesLikelihood(summary, options, PARETO_NBD.fn, (h) => {
      // one set of tables for both: the value-only form (the probe, the standard errors) and BFGS's
      const f = paretoNbdLikelihoodFunction(h);
      gradient = (p, grad) => f(p, grad);
      return (p) => f(p);
    });
    return { ...data, logLikelihoodGradient: gradient };
  });
}

/** −expm1(e·L)/e, the limit −L at e = 0: [1 − u^e]/e for u = exp(L), without cancellation near e = 0. */
function oneMinusPowerOver(e: number, logU: number): number {
  const eL = e * logU;
  return Math.abs(eL) < 1e-12 ? -logU * (1 - eL / 2) : -Math.expm1(eL) / e;
}

function paretoProbabilityAlive(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
): number {
  // [Γ(r+x) αʳ βˢ / (Γ(r) (α+T)^(r+x) (β+T)ˢ)] / L: the common factor cancels
  const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  return Math.min(1, Math.exp(logAlive - logBracket(r, alpha, s, beta, x, tx, T)));
}

/**
 * The expected number of purchases in (0, t] of a new customer under a Pareto/NBD model (Fader & Hardie 2005,
 * §4): E[X(t)] = rβ/(α(s − 1)) · [1 − (β/(β + t))^(s−1)], and rβ/α · ln(1 + t/β) at s = 1 (taken without
 * cancellation near s = 1). Increasing in t.
 *
 * @param model a fitted model, or `{ params: { r, alpha, s, beta } }`
 * @param t the period length, in the fit's time unit; NaN when not a finite number ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. paretoNbdExpectedPurchases({ params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }, 39) ≈ 1.1
 */
export function paretoNbdExpectedPurchases(model: ParetoNbdLike, t: number): number {
  checkParams(model?.params, PARETO_NAMES, 'paretoNbdExpectedPurchases');
  if (!(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, s, beta } = model.params;
  return ((r * beta) / alpha) * oneMinusPowerOver(s - 1, -Math.log1p(t / beta));
}

/**
 * The probability that a customer with history (x, t_x, T) is still alive at T under a Pareto/NBD model (Fader &
 * Hardie 2005, §5): P(alive) = Γ(r + x) αʳ βˢ / (Γ(r) (α + T)^(r+x) (β + T)ˢ) / L(r, α, s, β | x, t_x, T).
 *
 * @returns a probability in [0, 1]; NaN for a history the fit would drop
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. paretoNbdProbabilityAlive(model, 2, 30.43, 38.86)
 */
export function paretoNbdProbabilityAlive(model: ParetoNbdLike, x: number, tx: number, T: number): number {
  checkParams(model?.params, PARETO_NAMES, 'paretoNbdProbabilityAlive');
  if (!validHistory(x, tx, T)) return NaN;
  const { r, alpha, s, beta } = model.params;
  return paretoProbabilityAlive(r, alpha, s, beta, x, tx, T);
}

function conditionalExpected(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  // (r + x)(β + T)/((α + T)(s − 1)) · [1 − ((β + T)/(β + T + t))^(s−1)] · P(alive)
  const scale = ((r + x) * (beta + T)) / (alpha + T);
  return (
    scale * oneMinusPowerOver(s - 1, -Math.log1p(t / (beta + T))) * paretoProbabilityAlive(r, alpha, s, beta, x, tx, T)
  );
}

/**
 * The expected number of purchases in (T, T + t] of a customer with history (x, t_x, T) under a Pareto/NBD model
 * (Fader & Hardie 2005, §6):
 * E[Y(t) | x, t_x, T] = (r + x)(β + T)/((α + T)(s − 1)) · [1 − ((β + T)/(β + T + t))^(s−1)] · P(alive).
 *
 * @param t the forecast period, in the fit's time unit
 * @returns a number ≥ 0; NaN for an invalid history or t
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. paretoNbdConditionalExpectedPurchases(model, 2, 30.43, 38.86, 39)
 */
export function paretoNbdConditionalExpectedPurchases(
  model: ParetoNbdLike,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, PARETO_NAMES, 'paretoNbdConditionalExpectedPurchases');
  if (!validHistory(x, tx, T) || !(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, s, beta } = model.params;
  return conditionalExpected(r, alpha, s, beta, x, tx, T, t);
}

/**
 * Pareto/NBD predictions for every row of a customer-by-sufficient-statistic table, as a Float64 Arrow vector
 * aligned with the rows: `probabilityAlive` or `conditionalExpectedPurchases` in the next `t` time units. Rows the
 * fit would drop get NaN. Same options as `predictBgNbd`.
 *
 * Cost: O(n) plus one evaluation per distinct (x, t_x, T).
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`; `INVALID_INPUT` for a
 *   clientele table of another kind (`customerSummary`), or a summary in another time unit than the model's
 * @example
 * // e.g. predictParetoNbd(model, cdnow, { frequency: 'x', recency: 't_x', quantity: 'probabilityAlive' })
 */
export function predictParetoNbd(model: ParetoNbdLike, table: unknown, options: RepeatPredictOptions): Vector {
  options = knownOptions(options, REPEAT_PREDICT_OPTION_NAMES, 'predictParetoNbd');
  const fn = 'predictParetoNbd';
  checkParams(model?.params, PARETO_NAMES, fn);
  const t = checkPredictOptions(options, fn);
  const { r, alpha, s, beta } = model.params;
  if (options.quantity === 'probabilityAlive') {
    return predictRows(table, options, fn, (x, tx, T) => paretoProbabilityAlive(r, alpha, s, beta, x, tx, T), model);
  }
  return predictRows(table, options, fn, (x, tx, T) => conditionalExpected(r, alpha, s, beta, x, tx, T, t), model);
}
