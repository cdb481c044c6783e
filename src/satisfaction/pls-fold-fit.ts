import type { Table } from 'apache-arrow';
import { ClienteleError, isClienteleError, readNumeric } from '../table/internal';
import type { DropReport } from '../table/internal';
import type { PathModel } from './path-model';
import { covarianceOf } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';
import { dropMissingAnswers, outerKey, plsFitOfMoments } from './pls-path-model';

/**
 * What PLSpredict and blindfolding share: the model's answers read once (listwise deletion, as plsPathModel), a
 * PLS fit on a subset of the respondents (or on imputed answers) reduced to what prediction reads, and the
 * prediction of the indicators from such a fit.
 *
 * Prediction from a fit (Shmueli, Ray, Velasquez Estrada & Chatla 2016, J. Business Research 69(10), §2; as seminr
 * 2.3 `predict.seminr_model`): a respondent's indicators are standardised with the fit's means and standard
 * deviations, z_k = (x_k − x̄_k)/s_k; construct scores are ξ_j = Σ_{k∈j} w_k z_k; the endogenous constructs are
 * predicted from the inner model, ŷ_j = Σ_i B_ij η_i, where η_i = ξ_i (direct antecedents, `'DA'`) or, walking the
 * causal order, η_i = ξ_i for an exogenous construct and ŷ_i for an endogenous one (earliest antecedents, `'EA'`);
 * an indicator is predicted as x̂_k = x̄_k + s_k λ_k ŷ_{j(k)} with λ_k its loading. The prediction does not depend
 * on the divisor of s_k (n or n − 1): the weights scale inversely and the two factors cancel.
 */

/** How the inner model predicts the endogenous constructs: direct antecedents or earliest antecedents. */
export type PredictTechnique = 'DA' | 'EA';

/** The PLS options a refit takes. */
export interface RefitOptions {
  readonly scheme?: InnerScheme;
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

/** The model's answers after listwise deletion, one array per distinct question column. */
export interface ModelAnswers {
  /** Input rows. */
  readonly rows: number;
  /** Respondents kept. */
  readonly n: number;
  /** Input row of each kept respondent. */
  readonly keptRows: Int32Array;
  readonly report: DropReport;
  /** Distinct question columns, in slot order of first use. */
  readonly columns: readonly string[];
  /** Kept answers by distinct column. */
  readonly values: readonly Float64Array[];
  /** Distinct column of each indicator slot. */
  readonly slotColumn: Int32Array;
}

/** Reads the model's questions; respondents with a null/NaN (`missingAnswer`) or infinite (`invalidValue`) answer are dropped and counted. */
export function readModelAnswers(table: Table, model: PathModel, s: PlsStructure, fn: string): ModelAnswers {
  const columns = [...new Set(s.columns)];
  const slotColumn = Int32Array.from(s.columns, (c) => columns.indexOf(c));
  const blockOf = (c: string) => model.latent[s.blockOf[s.columns.indexOf(c)]];
  const raw = columns.map((c) => readNumeric(table, c, fn, `blocks.${blockOf(c)}`).values);
  const rows = table.numRows;
  const { keep, drops } = dropMissingAnswers(raw, rows);
  const n = rows - drops.total;
  const keptRows = new Int32Array(n);
  for (let i = 0, k = 0; i < rows; i++) if (keep[i]) keptRows[k++] = i;
  const values = raw.map((x) => (n === rows ? x : Float64Array.from(keptRows, (i) => x[i])));
  const report: DropReport = Object.freeze({
    rows,
    kept: n,
    dropped: Object.freeze({ ...drops.counts }),
    firstRow: Object.freeze({ ...drops.first }),
    total: drops.total,
  });
  return { rows, n, keptRows, report, columns, values, slotColumn };
}

/** A PLS fit reduced to what prediction reads, by indicator slot and latent variable index. */
export interface PredictiveFit {
  /** Means and standard deviations (divisor n) of the slots over the fitted respondents. */
  readonly means: Float64Array;
  readonly sds: Float64Array;
  /** Outer weights on the standardised slots. */
  readonly weights: Float64Array;
  readonly loadings: Float64Array;
  /** Path coefficients, `path[from * m + to]`. */
  readonly path: Float64Array;
  /** Means and covariance matrix (divisor n) of the distinct columns over the fitted respondents. */
  readonly columnMeans: Float64Array;
  readonly columnCov: Float64Array;
}

/**
 * Fits the model on the respondents with `counts[i]` = 1 (all when `counts` is undefined) of `values` (by distinct
 * column), through plsFitOfMoments — the code path of plsPathModel — and reads its weights, loadings and paths. An
 * error of the fit is re-thrown with `where` (e.g. "fold 3") after the function name.
 */
export function fitForPrediction(
  model: PathModel,
  s: PlsStructure,
  answers: Pick<ModelAnswers, 'columns' | 'slotColumn'>,
  values: readonly Float64Array[],
  counts: Int32Array | undefined,
  options: RefitOptions,
  fn: string,
  where: string,
): PredictiveFit {
  const { p, m } = s;
  const u = answers.columns.length;
  const { means: columnMeans, cov: columnCov } = covarianceOf(values, counts);
  const nAll = values[0].length;
  let n = nAll;
  if (counts) {
    n = 0;
    for (let i = 0; i < nAll; i++) n += counts[i];
  }
  const min = new Float64Array(p).fill(Infinity);
  const max = new Float64Array(p).fill(-Infinity);
  const means = new Float64Array(p);
  const cov = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    const c = answers.slotColumn[k];
    means[k] = columnMeans[c];
    for (let l = 0; l < p; l++) cov[k * p + l] = columnCov[c * u + answers.slotColumn[l]];
    const x = values[c];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < nAll; i++) {
      if (counts && counts[i] === 0) continue;
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    min[k] = lo;
    max[k] = hi;
  }
  const rows: DropReport = { rows: n, kept: n, dropped: {}, firstRow: {}, total: 0 };
  let fit;
  try {
    fit = plsFitOfMoments(model, { n, means, cov, min, max, rows }, options, undefined, fn);
  } catch (error) {
    if (isClienteleError(error) && error.message.startsWith(`${fn}: `)) {
      throw new ClienteleError(error.code, `${fn}: ${where}: ${error.message.slice(fn.length + 2)}`);
    }
    throw error;
  }
  const weights = new Float64Array(p);
  const loadings = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const estimate = fit.outer[outerKeyOfSlot(s, model.latent, k)];
    weights[k] = estimate.weight;
    loadings[k] = estimate.loading;
  }
  const path = new Float64Array(m * m);
  const index = new Map(model.latent.map((lv, j) => [lv, j]));
  for (const [from, to] of model.paths) path[index.get(from)! * m + index.get(to)!] = fit.paths[from][to];
  const sds = Float64Array.from(means, (_, k) => Math.sqrt(cov[k * p + k]));
  return { means, sds, weights, loadings, path, columnMeans, columnCov };
}

/**
 * The key of slot k in `PlsFit.outer`: the column name, or `block:column` for a column that measures more than
 * one block (the rule documented on PlsFit.outer).
 */
export function outerKeyOfSlot(s: PlsStructure, latent: readonly string[], k: number): string {
  return outerKey(s.columns[k], latent[s.blockOf[k]], s.columns, k);
}

/** Scratch buffers and the order of prediction, allocated once per call of the analyses. */
export interface Predictor {
  readonly technique: PredictTechnique;
  /** Latent variables in causal order. */
  readonly order: Int32Array;
  readonly endogenous: Uint8Array;
  readonly xi: Float64Array;
  readonly eta: Float64Array;
}

/** The predictor of a model. */
export function predictorOf(model: PathModel, s: PlsStructure, technique: PredictTechnique): Predictor {
  const order = Int32Array.from(model.causalOrder, (lv) => model.latent.indexOf(lv));
  const endogenous = Uint8Array.from(s.predecessors, (pred) => (pred.length > 0 ? 1 : 0));
  return { technique, order, endogenous, xi: new Float64Array(s.m), eta: new Float64Array(s.m) };
}

/**
 * ŷ for respondent i (values by distinct column) into `predictor.eta` (standardised construct predictions;
 * exogenous entries are the scores ξ): the technique of the module comment. O(p + m²).
 */
export function predictConstructs(
  predictor: Predictor,
  fit: PredictiveFit,
  s: PlsStructure,
  slotColumn: Int32Array,
  values: readonly Float64Array[],
  i: number,
): Float64Array {
  const { m, blockStart } = s;
  const { xi, eta, order, endogenous } = predictor;
  const { means, sds, weights, path } = fit;
  for (let j = 0; j < m; j++) {
    let score = 0;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++)
      score += (weights[k] * (values[slotColumn[k]][i] - means[k])) / sds[k];
    xi[j] = score;
  }
  // DA reads the scores of the direct antecedents; EA the predictions of the endogenous ones, in causal order.
  const source = predictor.technique === 'DA' ? xi : eta;
  for (const j of order) {
    if (!endogenous[j]) {
      eta[j] = xi[j];
      continue;
    }
    let y = 0;
    for (const a of s.predecessors[j]) y += path[a * m + j] * source[a];
    eta[j] = y;
  }
  return eta;
}
