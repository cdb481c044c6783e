import type { Vector } from 'apache-arrow';
import { digamma, hyp2f1, lbeta, lgamma, logHyp2f1 } from '../math/internal';
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
import { _uniqueRows } from './unique-rows';
import { knownOptions } from '../table/internal';

// the parts of fitBgNbd that benchmarks/clv.bench.ts times one by one

/** BG/NBD parameters: purchase rates λ ~ gamma(shape r, rate α); drop-out probabilities p ~ beta(a, b). */
export type BgNbdParams = {
  r: number;
  alpha: number;
  a: number;
  b: number;
};

/** A fitted BG/NBD model. */
export type BgNbdModel = FittedModel<'bgNbd', BgNbdParams>;

/** What the BG/NBD prediction functions need: a fitted model, or any object with its parameters. */
export type BgNbdLike = ModelLike<BgNbdParams>;

/** Options of {@link fitBgNbd}. */
export type BgNbdOptions = RepeatFitOptions<BgNbdParams>;

const BG_NBD: LikelihoodModel<'bgNbd', BgNbdParams> = {
  fn: 'fitBgNbd',
  kind: 'bgNbd',
  names: ['r', 'alpha', 'a', 'b'],
  scaled: ['alpha'],
  maxIterations: 2000,
};
const BG_NAMES = BG_NBD.names;

/**
 * The look-up tables the BG/NBD likelihood and its gradient share: the distinct x values with their total weight,
 * and the distinct times among t_x and T, so that the x-only and time-only terms are computed once per evaluation.
 */
function patternTables(h: CustomerHistories) {
  const m = h.x.length;
  const distinctX = _uniqueRows([h.x]);
  const xValues = distinctX.columns[0];
  const xId = distinctX.index;
  const xWeight = new Float64Array(xValues.length);
  for (let p = 0; p < m; p++) xWeight[xId[p]] += h.weight[p];
  const times = new Float64Array(2 * m);
  times.set(h.tx, 0);
  times.set(h.T, m);
  const ts = _uniqueRows([times]);
  return {
    m,
    xValues,
    xId,
    xWeight,
    timeValues: ts.columns[0],
    txId: ts.index.subarray(0, m),
    TId: ts.index.subarray(m),
  };
}

/**
 * Whether customers may drop out at time 0, right after their first purchase: 0 for the BG/NBD (only after a repeat
 * purchase), 1 for the MBG/NBD (Batislam, Denizel & Filiztekin 2007; BTYDplus's `dropout_at_zero`). Everything in
 * the two likelihoods that differs is b + x + s in place of b + x, and an A4 term for x = 0 when s = 1.
 */
export type DropoutAtZero = 0 | 1;

/**
 * The BG/NBD log-likelihood of weighted histories, as a function of (r, α, a, b). Terms that depend on x alone are
 * computed once per distinct x, and ln(α + t) once per distinct time, so one evaluation costs one exp and one log1p
 * per pattern.
 */
export function bgNbdLogLikelihood(h: CustomerHistories): (p: ArrayLike<number>) => number {
  return betaGeometricLogLikelihood(h, 0);
}

/**
 * The log-likelihood of the BG/NBD (s = 0) or the MBG/NBD (s = 1): per customer
 * ln A1 + ln A2 + ln(A3 + δ A4), A2 = B(a, b + x + s)/B(a, b), A4/A3 = a/(b + x − 1 + s) ((α + T)/(α + t_x))^(r+x),
 * δ = 1 when x > 0 or s = 1. Shared by {@link bgNbdLogLikelihood} and the MBG/NBD's.
 */
export function betaGeometricLogLikelihood(h: CustomerHistories, s: DropoutAtZero): (p: ArrayLike<number>) => number {
  const { m, xValues, xId, xWeight, timeValues, txId, TId } = patternTables(h);
  const constant = new Float64Array(xValues.length);
  const logA4 = new Float64Array(xValues.length);
  const logTime = new Float64Array(timeValues.length);
  const xs = h.x;
  const weight = h.weight;
  return (params) => {
    const r = params[0];
    const alpha = params[1];
    const a = params[2];
    const b = params[3];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
    const perCustomer = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
    const logA = Math.log(a);
    let total = 0;
    for (let j = 0; j < xValues.length; j++) {
      const x = xValues[j];
      // ln A1 + ln A2 of Fader, Hardie & Lee (2005), p. 279, without the parts that do not depend on x
      constant[j] = lgamma(r + x) + lgamma(b + x + s) - lgamma(a + b + x + s);
      // the part of ln A4 that depends on x alone; for x = 0 in the BG/NBD a huge negative stand-in for −∞ (no A4
      // term), which keeps (d + |d|)/2 exact where −∞ would give NaN
      logA4[j] = x > 0 || s === 1 ? logA - Math.log(b + x - 1 + s) : -1e300;
      total += xWeight[j] * (constant[j] + perCustomer);
    }
    for (let k = 0; k < timeValues.length; k++) logTime[k] = Math.log(alpha + timeValues[k]);
    // hand-written: the likelihood's hot loop, one pass over the patterns with table look-ups and the
    // log-sum-exp ln(A3 + A4) = ln A3 + max(d, 0) + ln(1 + e^−|d|) inlined, d = ln A4 − ln A3
    for (let p = 0; p < m; p++) {
      const rx = r + xs[p];
      const lT = logTime[TId[p]];
      const d = logA4[xId[p]] + rx * (lT - logTime[txId[p]]);
      const ad = Math.abs(d); // branch-free: (d + |d|)/2 = max(d, 0); log1p is V8's faster log here
      total += weight[p] * (0.5 * (d + ad) + Math.log1p(Math.exp(-ad)) - rx * lT);
    }
    return total;
  };
}

/**
 * The BG/NBD log-likelihood of weighted histories with its gradient in (r, α, a, b): the function returns what
 * {@link bgNbdLogLikelihood} returns (to rounding) and writes ∂LL/∂(r, α, a, b) into `grad`. Same tables and one
 * pass over the patterns; with σ(d) = 1/(1 + e^−d) the weight of the A4 term in ln(A3 + A4) (0 when x = 0),
 * d = ln A4 − ln A3, and ψ the digamma function:
 *
 *   ∂/∂r = ψ(r + x) − ψ(r) + ln α − ln(α + T) + σ (ln(α + T) − ln(α + t_x))
 *   ∂/∂α = r/α − (r + x)/(α + T) + σ (r + x) (1/(α + T) − 1/(α + t_x))
 *   ∂/∂a = ψ(a + b) − ψ(a + b + x) + σ/a
 *   ∂/∂b = ψ(a + b) − ψ(b) + ψ(b + x) − ψ(a + b + x) − σ/(b + x − 1)
 *
 * What {@link fitBgNbd} searches with (BFGS): a few dozen evaluations instead of Nelder–Mead's hundreds.
 */
export function bgNbdLogLikelihoodGradient(h: CustomerHistories): (p: ArrayLike<number>, grad: Float64Array) => number {
  return betaGeometricLogLikelihoodGradient(h, 0);
}

/**
 * {@link betaGeometricLogLikelihood} with its gradient: the formulas of {@link bgNbdLogLikelihoodGradient} with
 * b + x + s in place of b + x (σ is then nonzero for x = 0 too when s = 1).
 */
export function betaGeometricLogLikelihoodGradient(
  h: CustomerHistories,
  s: DropoutAtZero,
): (p: ArrayLike<number>, grad: Float64Array) => number {
  const { m, xValues, xId, xWeight, timeValues, txId, TId } = patternTables(h);
  const nx = xValues.length;
  const logA4 = new Float64Array(nx);
  const sigmaByX = new Float64Array(nx);
  const logTime = new Float64Array(timeValues.length);
  const invTime = new Float64Array(timeValues.length);
  const xs = h.x;
  const weight = h.weight;
  return (params, grad) => {
    const r = params[0];
    const alpha = params[1];
    const a = params[2];
    const b = params[3];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
    const logAlpha = Math.log(alpha);
    const perCustomer = -lgamma(r) + r * logAlpha + lgamma(a + b) - lgamma(b);
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const logA = Math.log(a);
    let total = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let j = 0; j < nx; j++) {
      const x = xValues[j];
      const w = xWeight[j];
      total += w * (lgamma(r + x) + lgamma(b + x + s) - lgamma(a + b + x + s) + perCustomer);
      const psiABX = digamma(a + b + x + s);
      gr += w * (digamma(r + x) - psiR + logAlpha);
      gAlpha += (w * r) / alpha;
      ga += w * (psiAB - psiABX);
      gb += w * (psiAB - psiB + digamma(b + x + s) - psiABX);
      logA4[j] = x > 0 || s === 1 ? logA - Math.log(b + x - 1 + s) : -1e300;
    }
    for (let k = 0; k < timeValues.length; k++) {
      logTime[k] = Math.log(alpha + timeValues[k]);
      invTime[k] = 1 / (alpha + timeValues[k]);
    }
    sigmaByX.fill(0);
    for (let p = 0; p < m; p++) {
      const w = weight[p];
      const rx = r + xs[p];
      const tI = TId[p];
      const xI = txId[p];
      const lT = logTime[tI];
      const diff = lT - logTime[xI];
      const j = xId[p];
      const d = logA4[j] + rx * diff;
      const ad = Math.abs(d);
      const e = Math.exp(-ad);
      total += w * (0.5 * (d + ad) + Math.log1p(e) - rx * lT);
      const ws = (w * (d > 0 ? 1 : e)) / (1 + e); // w σ(d)
      const iT = invTime[tI];
      gr += ws * diff - w * lT;
      gAlpha += rx * (ws * (iT - invTime[xI]) - w * iT);
      sigmaByX[j] += ws;
    }
    for (let j = 0; j < nx; j++) {
      const x = xValues[j];
      if (x > 0 || s === 1) {
        ga += sigmaByX[j] / a;
        gb -= sigmaByX[j] / (b + x - 1 + s);
      }
    }
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
    return total;
  };
}

/**
 * Fits the BG/NBD ("beta-geometric/NBD") model of repeat buying to a customer-by-sufficient-statistic table: how
 * often customers buy while active, and how likely they are to drop out after each purchase. The fitted model
 * feeds {@link bgNbdConditionalExpectedPurchases} (next-period purchases per customer, the core of CLV),
 * {@link bgNbdProbabilityAlive} and {@link predictBgNbd}.
 *
 * Model (Fader, Hardie & Lee 2005, §3): while active, a customer buys as a Poisson process of rate λ; after every
 * purchase he drops out with probability p; λ ~ gamma(r, α) (eq. 1) and p ~ beta(a, b) (eq. 2), independent across
 * customers. For a customer with x repeat purchases, the last at t_x, observed for T, the likelihood is (eq. 6)
 *
 *   L(r, α, a, b | x, t_x, T) = B(a, b + x)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + T)^(r+x))
 *                             + δ(x>0) B(a + 1, b + x − 1)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + t_x)^(r+x)),
 *
 * evaluated in log space as ln A1 + ln A2 + ln(A3 + δ A4) (the paper's p. 279 decomposition) with the log-sum-exp
 * done by hand, and summed over customers with their weights (eq. 7). The reported log-likelihood is this full
 * one, comparable with the paper's −9,582.4 on CDNOW.
 *
 * Conventions: x counts repeat purchases (not the first); t_x and T are measured from the customer's first
 * purchase, in one time unit, which α is then in (scaling time by k scales α by k and leaves r, a, b). Rows are
 * dropped and counted in `dropped` by the rules of `readCustomerHistories` (`invalidValue`,
 * `recencyAfterAge`, `recencyWithoutRepeat`, `repeatAtZero`). Parameters are fitted in log space, α relative to
 * the mean age, by BFGS on the analytic gradient (`bgNbdLogLikelihoodGradient`); its end point is probed and
 * the search handed to adaptive Nelder–Mead when a probe finds a lower value or BFGS did not converge; a search
 * that stops on `maxIterations` throws `NOT_CONVERGED`, or with `allowNonConvergence: true` gives `converged: false`.
 * Standard errors come from the numeric Hessian of the log-likelihood in (r, α, a, b).
 *
 * Cost: O(n) to read and compress n rows to m distinct (x, t_x, T) patterns, then O(m) per likelihood evaluation
 * (one exp and one log per pattern; about 20 evaluations with the gradient, 40 without for the probe and the
 * standard errors): a million customers with times in days (460k patterns) take about 1 s.
 *
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "'Counting your customers' the easy way: an
 * alternative to the Pareto/NBD model", Marketing Science 24(2), 275–284.
 *
 * @param summary one row per customer (any `asTable` input)
 * @param options column names (`frequency`, `recency`, `T`; `weights` for a compressed table), `start`
 *   (default r = 1, α = mean T, a = 1, b = 1), `maxIterations` (default 2000), `allowNonConvergence` (default false)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `EMPTY_INPUT` (no row left),
 *   `NOT_CONVERGED`; `NOT_IDENTIFIED` (every x = 0, every T = 0, one distinct history, an estimate at the edge, a
 *   singular information matrix) unless `allowUnidentified: true`; `INVALID_INPUT` for a `customerSummary`/`rfm` table
 * @example
 * // e.g. on Fader–Hardie–Lee's CDNOW sample (x, t_x, T in weeks):
 * // fitBgNbd(cdnow, { frequency: 'x', recency: 't_x' }).params ≈ { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }
 */
export function fitBgNbd(summary: unknown, options: BgNbdOptions = {}): BgNbdModel {
  options = knownOptions(options, REPEAT_FIT_OPTION_NAMES, 'fitBgNbd');
  return maximiseLikelihood(BG_NBD, options, () => {
    let gradient: ((p: Float64Array, grad: Float64Array) => number) | undefined;
    const data = historiesLikelihood(summary, options, BG_NBD.fn, (h) => {
      gradient = bgNbdLogLikelihoodGradient(h);
      return bgNbdLogLikelihood(h);
    });
    return { ...data, logLikelihoodGradient: gradient };
  });
}

/**
 * E[X(t)] of the BG/NBD with parameters (r, α, a, b), eq. 9: (a + b − 1)/(a − 1) · [1 − (α/(α + t))ʳ ₂F₁(r, b;
 * a + b − 1; t/(α + t))]. At a = 1 the formula is 0/0; within 1e-5 of it the value is interpolated linearly
 * between a = 1 ± 1e-5 (the function is smooth in a; error about 1e-10 relative).
 */
export function expectedPurchases(r: number, alpha: number, a: number, b: number, t: number): number {
  if (t === 0) return 0;
  const delta = 1e-5;
  let e: number;
  if (Math.abs(a - 1) < delta) {
    // interpolate between a = 1 ∓ δ, where the formula is well conditioned
    const below = expectedPurchasesRaw(r, alpha, 1 - delta, b, t);
    const above = expectedPurchasesRaw(r, alpha, 1 + delta, b, t);
    e = below + ((a - (1 - delta)) / (2 * delta)) * (above - below);
  } else e = expectedPurchasesRaw(r, alpha, a, b, t);
  return e > 0 ? e : 0; // ≥ 0; rounding can leave −1e-300 where the value underflows
}

function expectedPurchasesRaw(r: number, alpha: number, a: number, b: number, t: number): number {
  const logOneMinusZ = -Math.log1p(t / alpha); // ln(α/(α + t))
  const z = t / (alpha + t);
  const c = a + b - 1;
  const logF = logHyp2f1(r, b, c, z);
  // 1 − (1 − z)^r F, by expm1 when F > 0 (always when a + b > 1); by the value otherwise
  const bracket = Number.isNaN(logF)
    ? 1 - Math.exp(r * logOneMinusZ) * hyp2f1(r, b, c, z)
    : -Math.expm1(r * logOneMinusZ + logF);
  return (c / (a - 1)) * bracket;
}

/**
 * P(alive at T | x, t_x, T) of the BG/NBD (s = 0) or the MBG/NBD (s = 1):
 * 1 / (1 + δ a/(b + x − 1 + s) · ((α + T)/(α + t_x))^(r+x)), δ = 1 when x > 0 or s = 1.
 */
export function betaGeometricProbabilityAlive(
  r: number,
  alpha: number,
  a: number,
  b: number,
  x: number,
  tx: number,
  T: number,
  s: DropoutAtZero,
): number {
  if (x === 0 && s === 0) return 1;
  const d = Math.log(a) - Math.log(b + x - 1 + s) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(d));
}

function bgProbabilityAlive(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number): number {
  return betaGeometricProbabilityAlive(r, alpha, a, b, x, tx, T, 0);
}

/**
 * The expected number of purchases in (0, t] of a customer who has just made his first purchase (or the mean over
 * a cohort), under a BG/NBD model: Fader, Hardie & Lee (2005), eq. 9,
 * E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))ʳ ₂F₁(r, b; a + b − 1; t/(α + t))]. Increasing in t.
 *
 * @param model a fitted model, or `{ params: { r, alpha, a, b } }`
 * @param t the period length, in the fit's time unit; NaN when not a finite number ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. with FHL's CDNOW estimates, bgNbdExpectedPurchases({ params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } }, 78) ≈ 1.8576
 */
export function bgNbdExpectedPurchases(model: BgNbdLike, t: number): number {
  checkParams(model?.params, BG_NAMES, 'bgNbdExpectedPurchases');
  if (!(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  return expectedPurchases(r, alpha, a, b, t);
}

/**
 * The probability that a customer with history (x, t_x, T) is still active at T, under a BG/NBD model (Fader,
 * Hardie & Lee 2008, "Computing P(alive) using the BG/NBD model", http://brucehardie.com/notes/021/):
 * P(alive) = 1 / (1 + δ(x>0) · a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x)). 1 when x = 0 (the model lets customers
 * drop out only after a purchase). Used to rank customers for win-back and to discount forecasts.
 *
 * @returns a probability in [0, 1]; NaN for a history the fit would drop (see `readCustomerHistories`)
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. bgNbdProbabilityAlive(model, 0, 0, 38.86) is 1
 */
export function bgNbdProbabilityAlive(model: BgNbdLike, x: number, tx: number, T: number): number {
  checkParams(model?.params, BG_NAMES, 'bgNbdProbabilityAlive');
  if (!validHistory(x, tx, T)) return NaN;
  const { r, alpha, a, b } = model.params;
  return bgProbabilityAlive(r, alpha, a, b, x, tx, T);
}

/**
 * The expected number of purchases in (T, T + t] of a customer with history (x, t_x, T), under a BG/NBD model: the
 * number CLV is built on. Fader, Hardie & Lee (2005), eq. 10:
 *
 *   E[Y(t) | x, t_x, T] = (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x; a + b + x − 1;
 *                         t/(α + T + t))] / (1 + δ(x>0) a/(b + x − 1) ((α + T)/(α + t_x))^(r+x)),
 *
 * i.e. eq. 9 with the updated parameters (r + x, α + T, a, b + x) times P(alive). The ₂F₁ is taken through Euler's
 * transformation, which keeps it finite for large x (Fader & Hardie 2013, "Overcoming the BG/NBD model's #NUM!
 * error problem").
 *
 * @param t the forecast period, in the fit's time unit
 * @returns a number ≥ 0; NaN for an invalid history or t
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. FHL's customer with x = 2, t_x = 30.43, T = 38.86 expects about 1.226 purchases in the next 39 weeks
 */
export function bgNbdConditionalExpectedPurchases(
  model: BgNbdLike,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, BG_NAMES, 'bgNbdConditionalExpectedPurchases');
  if (!validHistory(x, tx, T) || !(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  return expectedPurchases(r + x, alpha + T, a, b + x, t) * bgProbabilityAlive(r, alpha, a, b, x, tx, T);
}

/**
 * P(X(t) = x): the probability that a new customer makes exactly x repeat purchases in (0, t], under a BG/NBD
 * model; its histogram is the model's check against the observed frequency distribution. Fader, Hardie & Lee
 * (2005), eq. 8:
 *
 *   P(X(t) = x) = B(a, b + x)/B(a, b) · Γ(r + x)/(Γ(r) x!) · (α/(α + t))ʳ (t/(α + t))ˣ
 *               + δ(x>0) B(a + 1, b + x − 1)/B(a, b) · [1 − (α/(α + t))ʳ Σⱼ₌₀^(x−1) Γ(r + j)/(Γ(r) j!) (t/(α + t))ʲ],
 *
 * the bracket being the upper tail of a negative binomial, summed upward when x is beyond its mean (no
 * cancellation in 1 − Σ).
 *
 * @returns a probability; NaN when x is not a non-negative integer or t is not finite and ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * // e.g. Σₓ bgNbdProbabilityOfPurchases(model, x, t) over x = 0, 1, 2, … is 1
 */
export function bgNbdProbabilityOfPurchases(model: BgNbdLike, x: number, t: number): number {
  checkParams(model?.params, BG_NAMES, 'bgNbdProbabilityOfPurchases');
  if (!(x >= 0) || !Number.isInteger(x) || !(t >= 0) || t === Infinity) return NaN;
  const { r, alpha, a, b } = model.params;
  return probabilityOfPurchases(r, alpha, a, b, x, t);
}

/** P(X(t) = x) of the BG/NBD with parameters (r, α, a, b), eq. 8 (see {@link bgNbdProbabilityOfPurchases}). */
export function probabilityOfPurchases(r: number, alpha: number, a: number, b: number, x: number, t: number): number {
  if (t === 0) return x === 0 ? 1 : 0;
  const logQ = -Math.log1p(t / alpha); // ln(α/(α + t)) = ln(1 − p)
  const logP = Math.log(t / (alpha + t)); // ln p
  const logBab = lbeta(a, b);
  const logPmf = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * logQ + j * logP;
  const first = Math.exp(lbeta(a, b + x) - logBab + logPmf(x));
  if (x === 0) return first;
  return first + Math.exp(lbeta(a + 1, b + x - 1) - logBab) * negativeBinomialTail(r, Math.exp(logP), x, logPmf);
}

/** P(N ≥ x) for N negative binomial with pmf Γ(r + j)/(Γ(r) j!) (1 − p)ʳ pʲ. */
function negativeBinomialTail(r: number, p: number, x: number, logPmf: (j: number) => number): number {
  const mean = (r * p) / (1 - p);
  if (x > mean) {
    // the terms fall from j = x on: sum the tail itself
    let term = Math.exp(logPmf(x));
    let sum = term;
    for (let j = x; j < x + 1_000_000; j++) {
      const ratio = ((r + j) / (j + 1)) * p;
      term *= ratio;
      sum += term;
      if (ratio < 1 && term <= 1e-17 * sum * (1 - ratio)) break;
    }
    return Math.min(1, sum);
  }
  let term = Math.exp(logPmf(0));
  let head = term;
  for (let j = 0; j < x - 1; j++) {
    term *= ((r + j) / (j + 1)) * p;
    head += term;
  }
  return Math.max(0, 1 - head);
}

/**
 * P(X(T, T + t) = n | x, t_x, T): the probability that a customer with history (x, t_x, T) makes exactly n purchases
 * in the next t time units, under a BG/NBD model — the distribution around {@link bgNbdConditionalExpectedPurchases}
 * (its mean), for "how likely is this customer to buy again at all" (1 − P(n = 0)) and for prediction intervals.
 *
 *   P(X(T, T + t) = n | x, t_x, T) = (1 − P(alive)) δ(n=0) + P(alive) · P(X(t) = n | r + x, α + T, a, b + x),
 *
 * P(alive) as in {@link bgNbdProbabilityAlive}, the last factor eq. 8 of Fader, Hardie & Lee (2005)
 * ({@link bgNbdProbabilityOfPurchases}) at the updated parameters. Exact, not an approximation: a dead customer buys
 * nothing; given alive at T, the posterior of (λ, p) is ∝ (1 − p)ˣ λˣ e^(−λT) × prior, i.e. λ ~ gamma(r + x, α + T)
 * and p ~ beta(a, b + x), independent; and from T on such a customer is a new BG/NBD customer with those
 * parameters — the Poisson process is memoryless and the coin after his last purchase already came up "stay", so
 * the next drop-out chance is after his next purchase, as for a customer at his first. Σₙ n · P = eq. 10.
 *
 * Cost: O(n) (the negative binomial tail of eq. 8, summed from whichever end is shorter).
 *
 * @param n the number of purchases in (T, T + t], an integer ≥ 0
 * @param t the forecast period, in the fit's time unit
 * @returns a probability; NaN for an invalid history, n or t
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter is not positive
 * @example
 * const model = { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * // a customer without repeat purchases at T = 0 is a new customer: eq. 8
 * bgNbdConditionalProbabilityOfPurchases(model, 1, 0, 0, 0, 5) === bgNbdProbabilityOfPurchases(model, 1, 5); // true
 * // e.g. FHL's customer x = 2, t_x = 30.43, T = 38.86 buys nothing in the next 39 weeks with probability ≈ 0.445
 */
export function bgNbdConditionalProbabilityOfPurchases(
  model: BgNbdLike,
  n: number,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  checkParams(model?.params, BG_NAMES, 'bgNbdConditionalProbabilityOfPurchases');
  if (!validConditionalCount(n, x, tx, T, t)) return NaN;
  const { r, alpha, a, b } = model.params;
  return conditionalProbabilityOfPurchases(r, alpha, a, b, n, x, tx, T, t, 0);
}

/**
 * P(X(T, T + t) = n | x, t_x, T) of the BG/NBD (s = 0) or the MBG/NBD (s = 1): (1 − P(alive)) δ(n=0) + P(alive) ·
 * eq. 8 at (r + x, α + T, a, b + x + s); see {@link bgNbdConditionalProbabilityOfPurchases}.
 */
export function conditionalProbabilityOfPurchases(
  r: number,
  alpha: number,
  a: number,
  b: number,
  n: number,
  x: number,
  tx: number,
  T: number,
  t: number,
  s: DropoutAtZero,
): number {
  const alive = betaGeometricProbabilityAlive(r, alpha, a, b, x, tx, T, s);
  const reborn = probabilityOfPurchases(r + x, alpha + T, a, b + x + s, n, t);
  return (n === 0 ? 1 - alive : 0) + alive * reborn;
}

/**
 * BG/NBD predictions for every row of a customer-by-sufficient-statistic table, as a Float64 Arrow vector aligned
 * with the rows: `probabilityAlive` ({@link bgNbdProbabilityAlive}) or `conditionalExpectedPurchases` in the next
 * `t` time units ({@link bgNbdConditionalExpectedPurchases}). Rows the fit would drop get NaN.
 *
 * Cost: O(n) plus one evaluation per distinct (x, t_x, T).
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`; `INVALID_INPUT` for a
 *   clientele table of another kind (`customerSummary`), or a summary in another time unit than the model's
 * @example
 * // e.g. predictBgNbd(model, cdnow, { frequency: 'x', recency: 't_x', quantity: 'conditionalExpectedPurchases', t: 39 })
 */
export function predictBgNbd(model: BgNbdLike, table: unknown, options: RepeatPredictOptions): Vector {
  options = knownOptions(options, REPEAT_PREDICT_OPTION_NAMES, 'predictBgNbd');
  const fn = 'predictBgNbd';
  checkParams(model?.params, BG_NAMES, fn);
  const t = checkPredictOptions(options, fn);
  const { r, alpha, a, b } = model.params;
  if (options.quantity === 'probabilityAlive') {
    return predictRows(table, options, fn, (x, tx, T) => bgProbabilityAlive(r, alpha, a, b, x, tx, T), model);
  }
  return predictRows(
    table,
    options,
    fn,
    (x, tx, T) => expectedPurchases(r + x, alpha + T, a, b + x, t) * bgProbabilityAlive(r, alpha, a, b, x, tx, T),
    model,
  );
}
