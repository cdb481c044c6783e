import type { Vector } from 'apache-arrow';
import {
  betaGeometricLogLikelihood,
  betaGeometricLogLikelihoodGradient,
  betaGeometricProbabilityAlive,
  conditionalProbabilityOfPurchases,
  expectedPurchases,
  probabilityOfPurchases,
} from './bg-nbd';
import {
  checkPredictOptions,
  historiesLikelihood,
  predictRows,
  REPEAT_FIT_OPTION_NAMES,
  REPEAT_PREDICT_OPTION_NAMES,
  validConditionalCount,
  validHistory,
} from './customer-histories';
import type { CustomerHistories, RepeatFitOptions, RepeatPredictOptions } from './customer-histories';
import { maximiseLikelihood } from './maximise-likelihood';
import type { LikelihoodModel } from './maximise-likelihood';
import { checkParams } from './model';
import type { FittedModel, ModelLike } from './model';
import { knownOptions } from '../table/internal';

// The MBG/NBD is the BG/NBD with one more chance to drop out, at time 0: every formula below is a BG/NBD one with
// b + 1 (or b + x + 1) in place of b (b + x), which is why this file evaluates the BG/NBD's cores (bg-nbd.ts) with
// `s = 1` instead of repeating them.

/**
 * MBG/NBD parameters, as the BG/NBD's: purchase rates λ ~ gamma(shape r, rate α); drop-out probabilities
 * p ~ beta(a, b).
 */
export type MbgNbdParams = {
  r: number;
  alpha: number;
  a: number;
  b: number;
};

/** A fitted MBG/NBD model. */
export type MbgNbdModel = FittedModel<'mbgNbd', MbgNbdParams>;

/** What the MBG/NBD prediction functions need: a fitted model, or any object with its parameters. */
export type MbgNbdLike = ModelLike<MbgNbdParams>;

/** Options of {@link fitMbgNbd}. */
export type MbgNbdOptions = RepeatFitOptions<MbgNbdParams>;

const MBG_NBD: LikelihoodModel<'mbgNbd', MbgNbdParams> = {
  fn: 'fitMbgNbd',
  kind: 'mbgNbd',
  names: ['r', 'alpha', 'a', 'b'],
  scaled: ['alpha'],
  maxIterations: 2000,
};
const MBG_NAMES = MBG_NBD.names;

/**
 * The MBG/NBD log-likelihood of weighted histories, as a function of (r, α, a, b) (Batislam, Denizel & Filiztekin
 * 2007, eq. 4): per customer ln A1 + ln A2 + ln(A3 + A4) with A2 = B(a, b + x + 1)/B(a, b) and
 * A4/A3 = a/(b + x) · ((α + T)/(α + t_x))^(r+x) for every x, 0 included. One exp and one log1p per pattern.
 */
export function mbgNbdLogLikelihood(h: CustomerHistories): (p: ArrayLike<number>) => number {
  return betaGeometricLogLikelihood(h, 1);
}

/**
 * The MBG/NBD log-likelihood with its gradient in (r, α, a, b), written into `grad`; σ = 1/(1 + e^−d) the weight of
 * the A4 term, d = ln A4 − ln A3, ψ the digamma function:
 *
 *   ∂/∂r = ψ(r + x) − ψ(r) + ln α − ln(α + T) + σ (ln(α + T) − ln(α + t_x))
 *   ∂/∂α = r/α − (r + x)/(α + T) + σ (r + x) (1/(α + T) − 1/(α + t_x))
 *   ∂/∂a = ψ(a + b) − ψ(a + b + x + 1) + σ/a
 *   ∂/∂b = ψ(a + b) − ψ(b) + ψ(b + x + 1) − ψ(a + b + x + 1) − σ/(b + x)
 *
 * What {@link fitMbgNbd} searches with (BFGS).
 */
export function mbgNbdLogLikelihoodGradient(
  h: CustomerHistories,
): (p: ArrayLike<number>, grad: Float64Array) => number {
  return betaGeometricLogLikelihoodGradient(h, 1);
}

/**
 * Fits the MBG/NBD ("modified beta-geometric/NBD") model of repeat buying to a customer-by-sufficient-statistic
 * table: the BG/NBD in which a customer may also drop out right after his first purchase, so that a customer who
 * never came back can be dead — the BG/NBD gives every x = 0 customer P(alive) = 1 however long ago he bought
 * (Batislam et al. 2007, §2). The fitted model feeds {@link mbgNbdConditionalExpectedPurchases},
 * {@link mbgNbdProbabilityAlive}, {@link predictMbgNbd} and `predictClv`.
 *
 * Model: while active, a customer buys as a Poisson process of rate λ; at time 0 and after every repeat purchase he
 * drops out with probability p; λ ~ gamma(r, α), p ~ beta(a, b), independent. For x repeat purchases, the last at
 * t_x, observed for T (Batislam et al. 2007, eq. 4):
 *
 *   L(r, α, a, b | x, t_x, T) = B(a, b + x + 1)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + T)^(r+x))
 *                             + B(a + 1, b + x)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + t_x)^(r+x)),
 *
 * the second term (dead right after the x-th purchase, or at 0) present for x = 0 too — the one difference from the
 * BG/NBD's eq. 6. Equivalently the MBG/NBD is a BG/NBD with parameters (r, α, a, b + 1) for the b/(a + b) of
 * customers who survive time 0, and no purchase for the a/(a + b) who do not. Evaluated in log space with the
 * log-sum-exp by hand, summed over customers with their weights; the reported log-likelihood is the full one.
 *
 * Conventions, dropped rows, the search (BFGS on the analytic gradient `mbgNbdLogLikelihoodGradient`, in log
 * space, α relative to the mean age; probe and Nelder–Mead as a safety net), `penalizer`, standard errors and the
 * covariance: as {@link fitBgNbd}.
 *
 * Cost: O(n) to read and compress n rows to m distinct (x, t_x, T) patterns, then O(m) per evaluation (one exp and
 * one log per pattern), the BG/NBD's class: on a million customers with times in days (460k patterns) BFGS takes
 * 24 evaluations with the gradient to `fitBgNbd`'s 21, and the fit about 1.1 times its time (about 1 s).
 *
 * References: E. P. Batislam, M. Denizel & A. Filiztekin (2007), "Empirical validation and comparison of models
 * for customer base analysis", International Journal of Research in Marketing 24(3), 201–209; U. Wagner &
 * D. Hoppe (2008), "Erratum on the MBG/NBD model", IJRM 25(3), 225–226.
 *
 * @param summary one row per customer (any `asTable` input)
 * @param options column names (`frequency`, `recency`, `T`; `weights` for a compressed table), `start`
 *   (default r = 1, α = mean T, a = 1, b = 1), `maxIterations` (default 2000), `allowNonConvergence` (default
 *   false), `allowUnidentified` (default false), `penalizer` (default 0)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `EMPTY_INPUT` (no row left),
 *   `NOT_CONVERGED`; `NOT_IDENTIFIED` (every x = 0, every T = 0, one distinct history, an estimate at the edge, a
 *   singular information matrix) unless `allowUnidentified: true`; `INVALID_INPUT` for a `customerSummary`/`rfm` table
 * @example
 * const fit = fitMbgNbd({ frequency: [0, 1, 2, 0, 4, 1], recency: [0, 3, 8, 0, 9, 2], T: [10, 10, 9, 8, 10, 5] }, { allowUnidentified: true });
 * fit.kind; // 'mbgNbd'
 * // e.g. on the CDNOW sample (weeks), fitMbgNbd(cdnow, { frequency: 'x', recency: 't_x' }).params ≈
 * // { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, as lifetimes and BTYDplus
 */
export function fitMbgNbd(summary: unknown, options: MbgNbdOptions = {}): MbgNbdModel {
  options = knownOptions(options, REPEAT_FIT_OPTION_NAMES, 'fitMbgNbd');
  return maximiseLikelihood(MBG_NBD, options, () => {
    let gradient: ((p: Float64Array, grad: Float64Array) => number) | undefined;
    const data = historiesLikelihood(summary, options, MBG_NBD.fn, (h) => {
      gradient = mbgNbdLogLikelihoodGradient(h);
      return mbgNbdLogLikelihood(h);
    });
    return { ...data, logLikelihoodGradient: gradient };
  });
}

/**
 * The expected number of repeat purchases in (0, t] of a customer who has just made his first purchase (or the mean
 * over a cohort), under an MBG/NBD model:
 *
 *   E[X(t)] = b/(a − 1) · [1 − (α/(α + t))ʳ ₂F₁(r, b + 1; a + b; t/(α + t))],
 *
 * i.e. b/(a + b) times the BG/NBD's E[X(t)] (Fader, Hardie & Lee 2005, eq. 9) at (r, α, a, b + 1): the customers who
 * survive time 0 are BG/NBD customers with p ~ beta(a, b + 1). Increasing in t; at a = 1 (0/0) interpolated as the
 * BG/NBD's.
 *
 * @param model a fitted model, or `{ params: { r, alpha, a, b } }`
 * @param t the period length, in the fit's time unit; NaN when not a finite number ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // r = α = 1, a = 2, b = 1, t = 1: E[(1 − p)/p · (1 − 1/(1 + p))] over p ~ beta(2, 1) = ∫ 2p (1 − p)/(1 + p) dp
 * mbgNbdExpectedPurchases({ params: { r: 1, alpha: 1, a: 2, b: 1 } }, 1); // 3 - 4 * Math.log(2)
 */
export function mbgNbdExpectedPurchases(model: MbgNbdLike, t: number): number {
  checkParams(model?.params, MBG_NAMES, 'mbgNbdExpectedPurchases');
  if (!(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  return (b / (a + b)) * expectedPurchases(r, alpha, a, b + 1, t);
}

/**
 * The probability that a customer with history (x, t_x, T) is still active at T, under an MBG/NBD model (Batislam
 * et al. 2007, appendix A, eq. 5):
 *
 *   P(alive) = 1 / (1 + a/(b + x) · ((α + T)/(α + t_x))^(r+x)),
 *
 * for every x: unlike the BG/NBD, a customer without repeat purchases (x = 0, t_x = 0) may have dropped out at his
 * first purchase, and the longer he stays away the less likely he is alive (1/(1 + a/b ((α + T)/α)ʳ)).
 *
 * @returns a probability in [0, 1]; NaN for a history the fit would drop (see `fitMbgNbd`)
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * mbgNbdProbabilityAlive({ params: { r: 1, alpha: 1, a: 1, b: 1 } }, 0, 0, 1); // 1/3
 */
export function mbgNbdProbabilityAlive(model: MbgNbdLike, x: number, tx: number, T: number): number {
  checkParams(model?.params, MBG_NAMES, 'mbgNbdProbabilityAlive');
  if (!validHistory(x, tx, T)) return NaN;
  const { r, alpha, a, b } = model.params;
  return betaGeometricProbabilityAlive(r, alpha, a, b, x, tx, T, 1);
}

/**
 * The expected number of purchases in (T, T + t] of a customer with history (x, t_x, T), under an MBG/NBD model (the
 * corrected formula of Wagner & Hoppe 2008):
 *
 *   E[Y(t) | x, t_x, T] = (a + b + x)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x + 1; a + b + x;
 *                         t/(α + T + t))] · P(alive),
 *
 * i.e. the BG/NBD's E[X(t)] (Fader, Hardie & Lee 2005, eq. 9) at the posterior of an active customer,
 * (r + x, α + T, a, b + x + 1), times {@link mbgNbdProbabilityAlive}: from T on, an active customer drops out only
 * after purchases, as a BG/NBD one. The ₂F₁ through Euler's transformation, finite for large x.
 *
 * @param t the forecast period, in the fit's time unit
 * @returns a number ≥ 0; NaN for an invalid history or t
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // a customer seen at his first purchase (x = 0, T = 0) expects what a new one does, E[X(t)]
 * mbgNbdConditionalExpectedPurchases({ params: { r: 1, alpha: 1, a: 2, b: 1 } }, 0, 0, 0, 1); // 3 - 4 * Math.log(2)
 * // e.g. with the CDNOW fit, the customer x = 2, t_x = 30.43, T = 38.86 expects about 1.26 purchases in 39 weeks
 */
export function mbgNbdConditionalExpectedPurchases(
  model: MbgNbdLike,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, MBG_NAMES, 'mbgNbdConditionalExpectedPurchases');
  if (!validHistory(x, tx, T) || !(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  return conditionalExpected(r, alpha, a, b, x, tx, T, t);
}

function conditionalExpected(
  r: number,
  alpha: number,
  a: number,
  b: number,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  return (
    expectedPurchases(r + x, alpha + T, a, b + x + 1, t) * betaGeometricProbabilityAlive(r, alpha, a, b, x, tx, T, 1)
  );
}

/**
 * P(X(t) = x): the probability that a new customer makes exactly x repeat purchases in (0, t], under an MBG/NBD
 * model; its histogram is the model's check against the observed frequency distribution:
 *
 *   P(X(t) = x) = B(a, b + x + 1)/B(a, b) · Γ(r + x)/(Γ(r) x!) · (α/(α + t))ʳ (t/(α + t))ˣ
 *               + B(a + 1, b + x)/B(a, b) · [1 − (α/(α + t))ʳ Σⱼ₌₀^(x−1) Γ(r + j)/(Γ(r) j!) (t/(α + t))ʲ],
 *
 * the second term (dropped out right after the x-th purchase, before t) present for x = 0 too, where the bracket is
 * 1: P(X(t) = 0) ≥ a/(a + b), the share dead at time 0. Equivalently a/(a + b) δ(x=0) + b/(a + b) times the
 * BG/NBD's eq. 8 at (r, α, a, b + 1), which is how it is evaluated.
 *
 * @returns a probability; NaN when x is not a non-negative integer or t is not finite and ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // at t = 0 nobody has bought again
 * mbgNbdProbabilityOfPurchases({ params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 } }, 0, 0); // 1
 * // as t grows, P(X(t) = 0) falls towards the share dead at time 0 and the never-buyers
 */
export function mbgNbdProbabilityOfPurchases(model: MbgNbdLike, x: number, t: number): number {
  checkParams(model?.params, MBG_NAMES, 'mbgNbdProbabilityOfPurchases');
  if (!(x >= 0) || !Number.isInteger(x) || !(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  const survivors = (b / (a + b)) * probabilityOfPurchases(r, alpha, a, b + 1, x, t);
  return x === 0 ? a / (a + b) + survivors : survivors;
}

/**
 * P(X(T, T + t) = n | x, t_x, T): the probability that a customer with history (x, t_x, T) makes exactly n purchases
 * in the next t time units, under an MBG/NBD model — the distribution around
 * {@link mbgNbdConditionalExpectedPurchases} (its mean):
 *
 *   P(X(T, T + t) = n | x, t_x, T) = (1 − P(alive)) δ(n=0) + P(alive) · P_BG/NBD(X(t) = n | r + x, α + T, a, b + x + 1),
 *
 * the last factor the BG/NBD's eq. 8 (Fader, Hardie & Lee 2005). Exact: a dead customer buys nothing; an active
 * one has the posterior λ ~ gamma(r + x, α + T), p ~ beta(a, b + x + 1) (his x + 1 drop-out coins, at 0 and after
 * each purchase, all came up "stay"), and from T on behaves as a new BG/NBD customer — the Poisson process is
 * memoryless and his next drop-out chance comes after his next purchase.
 *
 * @param n the number of purchases in (T, T + t], an integer ≥ 0
 * @param t the forecast period, in the fit's time unit
 * @returns a probability; NaN for an invalid history, n or t
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // r = α = a = b = 1, x = 0 at T = 1: P(alive) = 1/3, and a dead customer buys nothing
 * mbgNbdConditionalProbabilityOfPurchases({ params: { r: 1, alpha: 1, a: 1, b: 1 } }, 0, 0, 0, 1, 0); // 1
 */
export function mbgNbdConditionalProbabilityOfPurchases(
  model: MbgNbdLike,
  n: number,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, MBG_NAMES, 'mbgNbdConditionalProbabilityOfPurchases');
  if (!validConditionalCount(n, x, tx, T, t)) return NaN;
  const { r, alpha, a, b } = model.params;
  return conditionalProbabilityOfPurchases(r, alpha, a, b, n, x, tx, T, t, 1);
}

/**
 * MBG/NBD predictions for every row of a customer-by-sufficient-statistic table, as a Float64 Arrow vector aligned
 * with the rows: `probabilityAlive` ({@link mbgNbdProbabilityAlive}) or `conditionalExpectedPurchases` in the next
 * `t` time units ({@link mbgNbdConditionalExpectedPurchases}). Rows the fit would drop get NaN.
 *
 * Cost: O(n) plus one evaluation per distinct (x, t_x, T).
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`; `INVALID_INPUT` for a
 *   clientele table of another kind (`customerSummary`), or a summary in another time unit than the model's
 * @example
 * const model = { params: { r: 1, alpha: 1, a: 1, b: 1 } };
 * Array.from(predictMbgNbd(model, { frequency: [0, 1], recency: [0, 1], T: [1, 2] }, { quantity: 'probabilityAlive' }))[0]; // 1/3
 */
export function predictMbgNbd(model: MbgNbdLike, table: unknown, options: RepeatPredictOptions): Vector {
  options = knownOptions(options, REPEAT_PREDICT_OPTION_NAMES, 'predictMbgNbd');
  const fn = 'predictMbgNbd';
  checkParams(model?.params, MBG_NAMES, fn);
  const t = checkPredictOptions(options, fn);
  const { r, alpha, a, b } = model.params;
  if (options.quantity === 'probabilityAlive') {
    return predictRows(
      table,
      options,
      fn,
      (x, tx, T) => betaGeometricProbabilityAlive(r, alpha, a, b, x, tx, T, 1),
      model,
    );
  }
  return predictRows(table, options, fn, (x, tx, T) => conditionalExpected(r, alpha, a, b, x, tx, T, t), model);
}
