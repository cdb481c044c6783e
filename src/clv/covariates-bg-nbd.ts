import type { Vector } from 'apache-arrow';
import { knownOptions } from '../table/internal';
import { bgNbdConditionalExpectedPurchases, bgNbdLogLikelihoodGradient, bgNbdProbabilityAlive } from './bg-nbd';
import { checkPredictOptions, REPEAT_PREDICT_OPTION_NAMES } from './customer-histories';
import type { RepeatPredictOptions } from './customer-histories';
import {
  covariateParameterNames,
  COVARIATE_FIT_OPTION_NAMES,
  covariateColumns,
  modelCoefficients,
  predictCovariateRows,
  readCovariateGroups,
} from './covariates';
import type { CovariateFitOptions, CovariateGroups, ModelCovariates } from './covariates';
import { maximiseLikelihood } from './maximise-likelihood';
import type { LikelihoodModel } from './maximise-likelihood';
import type { FittedModel } from './model';

/** Options of {@link fitBgNbdWithCovariates}: those of `fitBgNbd` plus the `purchase` and `attrition` columns. */
export type BgNbdWithCovariatesOptions = CovariateFitOptions;

/**
 * A BG/NBD model fitted with covariates: `params` holds r, α, a, b (the values at z = 0) and one coefficient per
 * covariate, named `purchase.<column>` and `attrition.<column>`; `covariates` lists the columns.
 */
export interface BgNbdWithCovariatesModel extends FittedModel<'bgNbdWithCovariates', Record<string, number>> {
  readonly covariates: ModelCovariates;
}

/** What {@link predictBgNbdWithCovariates} needs: a fitted model, or its parameters and covariate columns. */
export interface BgNbdWithCovariatesLike {
  readonly params: Readonly<Record<string, number>>;
  readonly covariates: ModelCovariates;
  readonly unit?: string;
}

const BASE = ['r', 'alpha', 'a', 'b'];
const FN = 'fitBgNbdWithCovariates';

/**
 * The log-likelihood of BG/NBD with covariates and its gradient, as a function of
 * (r, α, a, b, γ_P…, γ_L…): per covariate group g, the BG/NBD log-likelihood of its histories at its own
 * (r, α_g = α e^(−γ_P·z_g), a_g = a e^(γ_L·z_g), b_g = b e^(γ_L·z_g)), with the gradient by the chain rule on
 * `bgNbdLogLikelihoodGradient`'s: ∂/∂α = Σ_g α_g ∂_g/∂α_g / α, ∂/∂γ_P = −Σ_g z_g α_g ∂_g/∂α_g,
 * ∂/∂a = Σ_g a_g ∂_g/∂a_g / a (b alike), ∂/∂γ_L = Σ_g z_g (a_g ∂_g/∂a_g + b_g ∂_g/∂b_g).
 */
export function bgNbdWithCovariatesLogLikelihoodGradient(
  d: CovariateGroups,
): (params: ArrayLike<number>, grad: Float64Array) => number {
  const per = d.groups.map((h) => bgNbdLogLikelihoodGradient(h));
  const kP = d.groups.length === 0 ? 0 : d.purchase.length / d.groups.length;
  const kL = d.groups.length === 0 ? 0 : d.attrition.length / d.groups.length;
  const q = new Float64Array(4);
  const gq = new Float64Array(4);
  return (params, grad) => {
    const r = params[0];
    const alpha = params[1];
    const a = params[2];
    const b = params[3];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
    grad.fill(0);
    let total = 0;
    for (let g = 0; g < per.length; g++) {
      let etaP = 0;
      let etaL = 0;
      for (let c = 0; c < kP; c++) etaP += params[4 + c] * d.purchase[g * kP + c];
      for (let c = 0; c < kL; c++) etaL += params[4 + kP + c] * d.attrition[g * kL + c];
      const alphaG = alpha * Math.exp(-etaP);
      const aG = a * Math.exp(etaL);
      const bG = b * Math.exp(etaL);
      q[0] = r;
      q[1] = alphaG;
      q[2] = aG;
      q[3] = bG;
      const ll = per[g](q, gq);
      if (!(ll > -Infinity)) return NaN; // NaN, or a group parameter over- or underflowed
      total += ll;
      grad[0] += gq[0];
      const dAlpha = gq[1] * alphaG; // ∂/∂ln α_g
      const dA = gq[2] * aG;
      const dB = gq[3] * bG;
      grad[1] += dAlpha / alpha;
      grad[2] += dA / a;
      grad[3] += dB / b;
      for (let c = 0; c < kP; c++) grad[4 + c] -= dAlpha * d.purchase[g * kP + c];
      for (let c = 0; c < kL; c++) grad[4 + kP + c] += (dA + dB) * d.attrition[g * kL + c];
    }
    return total;
  };
}

/**
 * Fits the BG/NBD model with time-invariant customer covariates (CLVTools' `bgnbd` with static covariates): what
 * an analyst uses to ask whether a channel, a segment or a first-order value goes with buying more often or
 * leaving sooner, and to predict each customer at his own parameters.
 *
 * Model (Fader, Hardie & Lee 2005, with CLVTools' parametrisation of covariates, Bachmann, Meierer & Näf 2021):
 * customer i with purchase covariates z_P and attrition covariates z_L has λ ~ gamma(r, α_i) and p ~ beta(a_i, b_i),
 *
 *   α_i = α · exp(−γ_P · z_P),   a_i = a · exp(γ_L · z_L),   b_i = b · exp(γ_L · z_L),
 *
 * so a positive purchase coefficient raises the mean purchase rate r/α_i by the factor e^γ per unit of z; an
 * attrition coefficient scales a and b together (CLVTools shares one coefficient between them: the mean drop-out
 * probability a/(a + b) stays, its spread across customers narrows as e^γ grows). r, α, a, b are the values of a
 * customer with z = 0. The likelihood of each customer is the BG/NBD one (eq. 6) at his own (r, α_i, a_i, b_i).
 *
 * Conventions: covariates are used as given — centre or standardise them yourself if you want α, a, b to describe
 * the average customer or the coefficients to be on one scale (the `penalizer` weighs every coefficient in its
 * column's unit). A column may shift both processes. Rows are dropped and counted in `dropped` by `fitBgNbd`'s rules,
 * then a row with a null, NaN or infinite covariate as `invalidValue`. With no covariate column the fit is
 * `fitBgNbd`'s. Coefficients are searched as they are (any real number), started at 0; the rest as in `fitBgNbd`
 * (BFGS on the analytic gradient, log space, standard errors and `covariance` from the observed information, in the
 * order of `params`).
 *
 * Checked against CLVTools 0.12.1 (`bgnbd_staticcov_LL_sum`, `_PAlive`, `_CET` to 1e-10 on its apparel data). On
 * that data the likelihood keeps rising as a, b → ∞ with a/(a + b) fixed (CLVTools stops at a 1,223, b 9,044 with
 * standard errors 27 times the estimates): the fit says `NOT_CONVERGED` instead of returning such a point.
 *
 * Cost: O(n) to read and group n rows by covariate vector, then O(m) per evaluation over the m distinct
 * (x, t_x, T, z) patterns; with a continuous covariate every customer is a group of his own (a few small tables
 * each): 100,000 customers with a binary and a continuous covariate on both processes took about 15 s with the
 * standard errors from a numeric Hessian of the function; they now come from the analytic gradient (2k evaluations).
 *
 * Not yet accepted by `predictClv` (its registry of repeat-buying models has one parameter set for every
 * customer): it refuses these models rather than ignore their covariates.
 *
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "'Counting your customers' the easy way", Marketing
 * Science 24(2), 275–284; P. Bachmann, M. Meierer & J. Näf (2021), "The role of time-varying contextual factors in
 * latent attrition models for customer base analysis", Marketing Science 40(4), 783–809; CLVTools (R package)
 * `bgnbd_staticcov_*`.
 *
 * @param summary one row per customer (any `asTable` input) with the history columns and the covariate columns
 * @param options `purchase` and `attrition` (column names; default none), and every option of `fitBgNbd`
 *   (`frequency`, `recency`, `T`, `weights`, `start` — coefficients by their names, e.g. `{ 'purchase.gender': 0.1 }`
 *   —, `maxIterations` 2000, `allowNonConvergence`, `allowUnidentified`, `penalizer`)
 * @throws {ClienteleError} `INVALID_OPTION`, `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`, `NOT_CONVERGED`;
 *   `NOT_IDENTIFIED` for a constant covariate or covariates collinear within a process (always), and as `fitBgNbd`
 *   (unless `allowUnidentified: true`)
 * @example
 * // e.g. fitBgNbdWithCovariates(summary, { purchase: ['channel'], attrition: ['channel'] }).params
 * // gives { r, alpha, a, b, 'purchase.channel', 'attrition.channel' }
 */
export function fitBgNbdWithCovariates(
  summary: unknown,
  options: BgNbdWithCovariatesOptions = {},
): BgNbdWithCovariatesModel {
  options = knownOptions(options, COVARIATE_FIT_OPTION_NAMES, FN);
  const covariates = covariateColumns(options, FN);
  const names = covariateParameterNames(BASE, covariates);
  const model: LikelihoodModel<'bgNbdWithCovariates', Record<string, number>> = {
    fn: FN,
    kind: 'bgNbdWithCovariates',
    names,
    scaled: ['alpha'],
    free: names.slice(BASE.length),
    maxIterations: 2000,
  };
  const fit = maximiseLikelihood(model, options, () => {
    const d = readCovariateGroups(summary, options, covariates, FN);
    const gradient = bgNbdWithCovariatesLogLikelihoodGradient(d);
    const scratch = new Float64Array(names.length);
    return { ...d.data, logLikelihood: (p) => gradient(p, scratch), logLikelihoodGradient: gradient };
  });
  return Object.freeze({ ...fit, covariates });
}

/**
 * BG/NBD-with-covariates predictions for every row of a summary, each customer at his own parameters
 * (r, α_i, a_i, b_i) of {@link fitBgNbdWithCovariates}: `probabilityAlive` (`bgNbdProbabilityAlive`) or
 * `conditionalExpectedPurchases` in the next `t` time units (`bgNbdConditionalExpectedPurchases`), as a Float64
 * Arrow vector aligned with the rows. The summary must hold the model's covariate columns; a row the fit would drop
 * (bad history, null or non-finite covariate) gets NaN.
 *
 * Cost: O(n · k) for n rows and k covariates, one evaluation per row.
 *
 * @param model a fitted model, or `{ params: { r, alpha, a, b, 'purchase.<c>', 'attrition.<c>' }, covariates }`
 * @param summary one row per customer
 * @param options `quantity`, `t`, and the history column names
 * @throws {ClienteleError} `INVALID_VALUE` (a parameter missing or not finite), `INVALID_OPTION`, `MISSING_COLUMN`,
 *   `INVALID_TYPE`; `INVALID_INPUT` for a summary in another time unit than the model's
 * @example
 * const model = { params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4, 'purchase.vip': 0.5 }, covariates: { purchase: ['vip'], attrition: [] } };
 * const summary = { frequency: [2, 2], recency: [30, 30], T: [39, 39], vip: [0, 1] };
 * const e = predictBgNbdWithCovariates(model, summary, { quantity: 'conditionalExpectedPurchases', t: 39 });
 * e.get(1) > e.get(0); // true
 */
export function predictBgNbdWithCovariates(
  model: BgNbdWithCovariatesLike,
  summary: unknown,
  options: RepeatPredictOptions,
): Vector {
  const fn = 'predictBgNbdWithCovariates';
  options = knownOptions(options, REPEAT_PREDICT_OPTION_NAMES, fn);
  const coefficients = modelCoefficients(model, BASE, fn);
  const t = checkPredictOptions(options, fn);
  const [r, alpha, a, b] = coefficients.base;
  const alive = options.quantity === 'probabilityAlive';
  return predictCovariateRows(summary, options, coefficients, model, fn, (etaP, etaL, x, tx, T) => {
    const params = { r, alpha: alpha * Math.exp(-etaP), a: a * Math.exp(etaL), b: b * Math.exp(etaL) };
    if (!(
      params.alpha > 0 &&
      params.alpha < Infinity &&
      params.a > 0 &&
      params.a < Infinity &&
      params.b > 0 &&
      params.b < Infinity
    )) {
      return NaN;
    }
    return alive
      ? bgNbdProbabilityAlive({ params }, x, tx, T)
      : bgNbdConditionalExpectedPurchases({ params }, x, tx, T, t);
  });
}
