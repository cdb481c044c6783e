import type { Table, Vector } from 'apache-arrow';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { randomSource } from '../math/internal';
import {
  asTable,
  ClienteleError,
  codeArray,
  describeValue,
  getColumn,
  integerRule,
  knownOptions,
  labelVector,
  nullRecord,
  numberVector,
  oneOfRule,
  optionNames,
  optionValue,
  recordOf,
  tableWithMetadata,
  takeVector,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { checkIndicatorColumns, pathModel } from './path-model';
import type { PathModel } from './path-model';
import { plsStructure } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';
import { fitForPrediction, outerKeyOfSlot, predictConstructs, predictorOf, readModelAnswers } from './pls-fold-fit';
import type { ModelAnswers, PredictTechnique, PredictiveFit } from './pls-fold-fit';

/** Options of {@link plsPredict}. */
export interface PlsPredictOptions {
  /** `'DA'` (default, seminr's `predict_DA`): direct antecedents' scores; `'EA'` (`predict_EA`): earliest antecedents only. */
  technique?: PredictTechnique;
  /**
   * Number of folds k (default 10), respondents assigned at random (seeded); or one fold id (an integer) per input
   * row, to reproduce a given split (then `repeats` must be 1).
   */
  folds?: number | ArrayLike<number>;
  /** Repetitions of the k-fold split, each with a fresh random assignment; predictions are averaged. Default 1. */
  repeats?: number;
  /** Seed of the fold assignment. Default 1. */
  seed?: number;
  /**
   * Predictors of the linear benchmark: `'exogenous'` (default; Shmueli et al. 2019) the indicators of the
   * exogenous constructs, or `'others'` (seminr 2.3) every indicator of the model outside the target's block.
   */
  lmPredictors?: 'exogenous' | 'others';
  /** Inner weighting scheme of every refit. Default `'centroid'` (as plsPathModel; seminr and SmartPLS use `'path'`). */
  scheme?: InnerScheme;
  /** Iteration limit of each refit. Default 100. */
  maxIterations?: number;
  /** Convergence tolerance of each refit. Default 1e-6. */
  tolerance?: number;
  /** A column to carry into the predictions table (e.g. `'customer'`). */
  key?: string;
}

const PLS_PREDICT_OPTION_NAMES = optionNames<PlsPredictOptions>({
  technique: true,
  folds: true,
  repeats: true,
  seed: true,
  lmPredictors: true,
  scheme: true,
  maxIterations: true,
  tolerance: true,
  key: true,
});

const PLS_PREDICT_RULES = {
  technique: oneOfRule<PredictTechnique>(['DA', 'EA'], 'DA'),
  repeats: integerRule(1, 1000, 1, '10 repetitions are usual (Shmueli et al. 2019)'),
  seed: integerRule(0, Number.MAX_SAFE_INTEGER, 1),
  lmPredictors: oneOfRule(['exogenous', 'others'] as const, 'exogenous'),
};

/** Out-of-sample (and in-sample) prediction errors of one endogenous indicator. */
export interface PlsPredictIndicator {
  /** The construct the indicator measures. */
  readonly construct: string;
  /** PLS out of sample: root mean squared error, mean absolute error, Q²_predict = 1 − SSE / SSE of the training mean. */
  readonly rmse: number;
  readonly mae: number;
  readonly q2predict: number;
  /** The linear benchmark out of sample. */
  readonly lmRmse: number;
  readonly lmMae: number;
  readonly lmQ2predict: number;
  /** In sample, as seminr reports it: each respondent predicted by the folds' fits that trained on them (mean). */
  readonly inSampleRmse: number;
  readonly inSampleMae: number;
  readonly lmInSampleRmse: number;
  readonly lmInSampleMae: number;
}

/**
 * The reading of Shmueli et al. (2019, §4) for one endogenous construct: `relevant` when every indicator has
 * Q²_predict > 0; `power` from how many of its indicators PLS predicts worse (higher RMSE) than the linear benchmark:
 * all → `'none'`, a majority or half → `'low'`, a minority → `'medium'`, none → `'high'`.
 */
export interface PlsPredictConstruct {
  readonly relevant: boolean;
  readonly power: 'none' | 'low' | 'medium' | 'high';
  readonly indicators: number;
  /** Indicators with PLS RMSE above the benchmark's. */
  readonly worseThanLm: number;
}

/** The result of {@link plsPredict}; frozen. */
export interface PlsPredictResult {
  readonly technique: PredictTechnique;
  readonly folds: number;
  readonly repeats: number;
  readonly lmPredictors: 'exogenous' | 'others';
  /** Respondents used (after listwise deletion). */
  readonly respondents: number;
  /** Input rows, rows kept, and rows dropped by reason (`missingAnswer`, `invalidValue`). */
  readonly rows: DropReport;
  /** By endogenous indicator (the key of `PlsFit.outer`). */
  readonly indicators: Readonly<Record<string, PlsPredictIndicator>>;
  /** By endogenous construct. */
  readonly constructs: Readonly<Record<string, PlsPredictConstruct>>;
  /**
   * One row per respondent and endogenous indicator: `row` (input row), the key column if asked, `indicator`,
   * `actual`, `pls` and `lm` (out of sample), `plsInSample`, `lmInSample`.
   */
  readonly predictions: Table;
  /** Indicators the model predicts no better than the training mean (Q²_predict ≤ 0). */
  readonly warnings: readonly string[];
}

/**
 * PLSpredict: k-fold cross-validated prediction of the endogenous indicators of a PLS path model, against a linear
 * benchmark — how well the model predicts respondents it was not fitted on.
 *
 * Analysts use it to judge a model's out-of-sample predictive power (e.g. whether the satisfaction drivers
 * predict a new wave's satisfaction answers) rather than its in-sample fit (R²), and to compare models.
 *
 * Procedure (Shmueli, Ray, Velasquez Estrada & Chatla 2016, J. Business Research 69(10); Shmueli et al. 2019,
 * European J. Marketing 53(11), "Predictive model assessment in PLS-SEM: guidelines for using PLSpredict"; as R
 * seminr 2.3 `predict_pls`): the respondents are split into k folds; for each fold the model is refitted on the
 * other k − 1 (plsPathModel's estimator, standardised indicators) and predicts the held-out respondents' endogenous
 * indicators — scores from the outer weights, the endogenous constructs from the inner model by the direct
 * (`'DA'`) or earliest (`'EA'`) antecedents, each indicator as its loading times its construct's prediction,
 * unstandardised with the training means and standard deviations. The linear benchmark regresses each endogenous
 * indicator (ordinary least squares with intercept, on the raw answers) on the indicators of the exogenous
 * constructs (`lmPredictors: 'exogenous'`) or on every other indicator (`'others'`, seminr's choice; the two agree
 * for a model with one endogenous construct). RMSE = √(mean e²), MAE = mean |e|, Q²_predict =
 * 1 − Σe² / Σ(x − x̄_train)², x̄_train the mean of the fold's training respondents. With `repeats` r each
 * respondent's prediction is the mean over the r splits (as seminr averages its `reps`; seminr reuses one shuffle
 * for all reps, a fresh split per repeat is the paper's advice). In-sample figures as seminr: each respondent
 * predicted by the k − 1 fits that trained on them, averaged.
 *
 * Cost: r · k refits from the training moments (O(n · p²) each, p the indicators), plus O(r · k · n · p) of
 * prediction.
 *
 * @param survey one row per respondent (anything `asTable` accepts); answers in numeric columns
 * @param model a {@link pathModel}, {@link acsiModel} or {@link ecsiModel}
 * @param options technique, folds (default 10), repeats (1), seed (1), lmPredictors ('exogenous'), scheme
 *   ('centroid'), maxIterations (100), tolerance (1e-6), key
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (folds < 2 or more than the
 *   respondents, a fold id per row that is not an integer), `INVALID_VALUE` (a question constant within a
 *   training set), `NOT_IDENTIFIED` (collinear benchmark predictors in a training set), `NOT_CONVERGED`,
 *   `EMPTY_INPUT`
 * @example
 * const store = sampleStore({ customers: 300, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const result = plsPredict(store.survey, model, { folds: 5 });
 * result.folds; // 5
 * Object.values(result.indicators).every((e) => e.q2predict < 1); // true
 */
export function plsPredict(survey: unknown, model: PathModel, options: PlsPredictOptions = {}): PlsPredictResult {
  options = knownOptions(options, PLS_PREDICT_OPTION_NAMES, 'plsPredict');
  const fn = 'plsPredict';
  const table = asTable(survey);
  const checked = pathModel(model as never);
  const technique = optionValue(options, 'technique', PLS_PREDICT_RULES.technique, fn);
  const repeats = optionValue(options, 'repeats', PLS_PREDICT_RULES.repeats, fn);
  const seed = optionValue(options, 'seed', PLS_PREDICT_RULES.seed, fn);
  const lmPredictors = optionValue(options, 'lmPredictors', PLS_PREDICT_RULES.lmPredictors, fn);
  const key = options.key;
  if (key !== undefined && typeof key !== 'string')
    throw new ClienteleError('INVALID_OPTION', `${fn}: option key must be a column name (found ${describeValue(key)})`);
  checkIndicatorColumns(table, checked.blocks, fn);
  if (key !== undefined) checkKey(table, key, fn);
  const s = plsStructure(checked);
  const answers = readModelAnswers(table, checked, s, fn);
  if (answers.n === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no respondent answered every question of the model (${answers.rows} rows); check the column mapping or impute the answers first`,
    );
  }
  const splits = foldSplits(options.folds, repeats, seed, answers, fn);
  const refit = { scheme: options.scheme, maxIterations: options.maxIterations, tolerance: options.tolerance };
  const targets = endogenousTargets(s, answers, lmPredictors);
  const sums = crossValidate(checked, s, answers, targets, splits, technique, refit, fn);
  return assemble(checked, s, answers, targets, sums, { technique, repeats, lmPredictors, key, table, fn });
}

/** The predictions table's own columns, which the key column must not shadow. */
const PREDICTION_COLUMNS = ['row', 'indicator', 'actual', 'pls', 'lm', 'plsInSample', 'lmInSample'];

/** The key column exists and does not clash with a column of the predictions table. */
function checkKey(table: Table, key: string, fn: string): void {
  getColumn(table, key, fn, 'key');
  if (PREDICTION_COLUMNS.includes(key)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option key "${key}" clashes with a column of the predictions table (${PREDICTION_COLUMNS.join(', ')}); carry a column with another name`,
    );
  }
}

/** The fold of every kept respondent, per repeat, and the number of folds. */
interface Splits {
  readonly k: number;
  readonly folds: readonly Int32Array[];
}

function foldSplits(
  given: PlsPredictOptions['folds'],
  repeats: number,
  seed: number,
  answers: ModelAnswers,
  fn: string,
): Splits {
  const { n, keptRows, rows } = answers;
  if (given === undefined || typeof given === 'number') {
    const k = given ?? 10;
    if (!Number.isInteger(k) || k < 2 || k > n) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option folds must be an integer from 2 to the ${n} respondents (found ${describeValue(k)}); 10 is usual, ${n} is leave-one-out`,
      );
    }
    // A seeded Fisher–Yates shuffle per repeat; shuffled position i goes to fold ⌊i k / n⌋ (sizes differ by ≤ 1).
    const rng = randomSource(seed);
    const folds: Int32Array[] = [];
    const order = new Int32Array(n);
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      const fold = new Int32Array(n);
      for (let i = 0; i < n; i++) fold[order[i]] = Math.floor((i * k) / n);
      folds.push(fold);
    }
    return { k, folds };
  }
  const ids = given as ArrayLike<unknown>;
  if (typeof ids !== 'object' || ids === null || typeof ids.length !== 'number' || ids.length !== rows) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option folds must be a number of folds or one fold id per input row (found ${describeValue(given)}${typeof (ids as { length?: unknown })?.length === 'number' ? ` of length ${ids.length}, need ${rows}` : ''}); e.g. folds: 10`,
    );
  }
  if (repeats !== 1) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option repeats must be 1 when folds gives the fold of every row (found ${repeats}); pass a number of folds to repeat random splits`,
    );
  }
  const labels = new Map<number, number>();
  for (let a = 0; a < n; a++) {
    const id = ids[keptRows[a]];
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option folds must hold an integer fold id per row (found ${describeValue(id)} at row ${keptRows[a]}); number the folds 0, 1, …`,
        { row: keptRows[a] },
      );
    }
    labels.set(id, 0);
  }
  const sorted = [...labels.keys()].sort((a, b) => a - b);
  if (sorted.length < 2) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option folds must name at least 2 folds among the kept respondents (found ${sorted.length}); give the respondents different fold ids`,
    );
  }
  sorted.forEach((id, f) => labels.set(id, f));
  const fold = Int32Array.from(keptRows, (i) => labels.get(ids[i] as number)!);
  return { k: sorted.length, folds: [fold] };
}

/** The endogenous indicator slots and, per slot, the distinct columns its linear benchmark regresses on. */
interface Targets {
  readonly slots: Int32Array;
  readonly predictors: readonly Int32Array[];
}

function endogenousTargets(s: PlsStructure, answers: ModelAnswers, lmPredictors: 'exogenous' | 'others'): Targets {
  const slots: number[] = [];
  const predictors: Int32Array[] = [];
  const exogenous = new Set<number>();
  for (let k = 0; k < s.p; k++) if (s.predecessors[s.blockOf[k]].length === 0) exogenous.add(answers.slotColumn[k]);
  for (let j = 0; j < s.m; j++) {
    if (s.predecessors[j].length === 0) continue;
    const own = new Set<number>();
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) own.add(answers.slotColumn[k]);
    const pool = lmPredictors === 'exogenous' ? [...exogenous] : answers.columns.map((_, c) => c);
    const use = Int32Array.from(pool.filter((c) => !own.has(c)).sort((a, b) => a - b));
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
      slots.push(k);
      predictors.push(use);
    }
  }
  return { slots: Int32Array.from(slots), predictors };
}

/** Per endogenous slot, over the kept respondents: summed predictions across repeats and folds. */
interface PredictionSums {
  readonly k: number;
  readonly pls: Float64Array[];
  readonly lm: Float64Array[];
  /** The training mean, the naive prediction of Q²_predict. */
  readonly naive: Float64Array[];
  readonly plsIn: Float64Array[];
  readonly lmIn: Float64Array[];
  /** Fits that trained on each respondent. */
  readonly inCount: Int32Array;
}

function crossValidate(
  model: PathModel,
  s: PlsStructure,
  answers: ModelAnswers,
  targets: Targets,
  splits: Splits,
  technique: PredictTechnique,
  refit: { scheme?: InnerScheme; maxIterations?: number; tolerance?: number },
  fn: string,
): PredictionSums {
  const { n, values, slotColumn } = answers;
  const E = targets.slots.length;
  const make = () => Array.from({ length: E }, () => new Float64Array(n));
  const sums = { k: splits.k, pls: make(), lm: make(), naive: make(), plsIn: make(), lmIn: make() };
  const inCount = new Int32Array(n);
  const predictor = predictorOf(model, s, technique);
  const counts = new Int32Array(n);
  const { slots, predictors } = targets;
  splits.folds.forEach((fold, r) => {
    for (let f = 0; f < splits.k; f++) {
      for (let i = 0; i < n; i++) counts[i] = fold[i] === f ? 0 : 1;
      const where = `fold ${f + 1} of ${splits.k}${splits.folds.length > 1 ? ` (repeat ${r + 1})` : ''}`;
      const fit = fitForPrediction(model, s, answers, values, counts, refit, fn, where);
      const lm = benchmarkCoefficients(fit, answers, targets, model, s, fn, where);
      for (let i = 0; i < n; i++) {
        const eta = predictConstructs(predictor, fit, s, slotColumn, values, i);
        const test = fold[i] === f;
        if (!test) inCount[i]++;
        for (let e = 0; e < E; e++) {
          const k = slots[e];
          const pls = fit.means[k] + fit.sds[k] * fit.loadings[k] * eta[s.blockOf[k]];
          const use = predictors[e];
          const beta = lm[e];
          let y = beta[use.length];
          for (let a = 0; a < use.length; a++) y += beta[a] * values[use[a]][i];
          if (test) {
            sums.pls[e][i] += pls;
            sums.lm[e][i] += y;
            sums.naive[e][i] += fit.means[k];
          } else {
            sums.plsIn[e][i] += pls;
            sums.lmIn[e][i] += y;
          }
        }
      }
    }
  });
  return { ...sums, inCount };
}

/**
 * Least-squares coefficients of each endogenous slot on its benchmark predictors, from the training moments:
 * β = Σ_PP⁻¹ Σ_Py, intercept ȳ − β'x̄ (stored last). Σ_PP by Cholesky; a singular one (collinear predictors) is an
 * error.
 */
function benchmarkCoefficients(
  fit: PredictiveFit,
  answers: ModelAnswers,
  targets: Targets,
  model: PathModel,
  s: PlsStructure,
  fn: string,
  where: string,
): Float64Array[] {
  const u = answers.columns.length;
  const { columnMeans, columnCov } = fit;
  const byPredictors = new Map<Int32Array, CholeskyDecomposition>();
  return Array.from(targets.slots, (k, e) => {
    const use = targets.predictors[e];
    const q = use.length;
    let chol = byPredictors.get(use);
    if (!chol) {
      const a = new Matrix(q, q);
      for (let x = 0; x < q; x++) for (let y = 0; y < q; y++) a.set(x, y, columnCov[use[x] * u + use[y]]);
      chol = new CholeskyDecomposition(a);
      if (!chol.isPositiveDefinite()) {
        throw new ClienteleError(
          'NOT_IDENTIFIED',
          `${fn}: ${where}: the linear benchmark of block "${model.latent[s.blockOf[k]]}" regresses on collinear indicators (found a singular covariance matrix of ${q} predictors); remove duplicated questions or use lmPredictors: 'exogenous'`,
        );
      }
      byPredictors.set(use, chol);
    }
    const target = answers.slotColumn[k];
    const b = new Matrix(q, 1);
    for (let x = 0; x < q; x++) b.set(x, 0, columnCov[use[x] * u + target]);
    const beta = chol.solve(b).getColumn(0);
    let intercept = columnMeans[target];
    for (let x = 0; x < q; x++) intercept -= beta[x] * columnMeans[use[x]];
    const out = new Float64Array(q + 1);
    out.set(beta);
    out[q] = intercept;
    return out;
  });
}

/** Metrics, the construct reading, the predictions table and the warnings. */
function assemble(
  model: PathModel,
  s: PlsStructure,
  answers: ModelAnswers,
  targets: Targets,
  sums: PredictionSums,
  o: {
    technique: PredictTechnique;
    repeats: number;
    lmPredictors: 'exogenous' | 'others';
    key: string | undefined;
    table: Table;
    fn: string;
  },
): PlsPredictResult {
  const { values, slotColumn } = answers;
  const { slots } = targets;
  const E = slots.length;
  const r = o.repeats;
  const names = Array.from(slots, (k) => outerKeyOfSlot(s, model.latent, k));
  const indicators: Record<string, PlsPredictIndicator> = nullRecord();
  const warnings: string[] = [];
  const pred = {
    pls: [] as Float64Array[],
    lm: [] as Float64Array[],
    plsIn: [] as Float64Array[],
    lmIn: [] as Float64Array[],
  };
  for (let e = 0; e < E; e++) {
    const x = values[slotColumn[slots[e]]];
    const pls = sums.pls[e].map((v) => v / r);
    const lm = sums.lm[e].map((v) => v / r);
    const naive = sums.naive[e].map((v) => v / r);
    const plsIn = sums.plsIn[e].map((v, i) => v / sums.inCount[i]);
    const lmIn = sums.lmIn[e].map((v, i) => v / sums.inCount[i]);
    pred.pls.push(pls);
    pred.lm.push(lm);
    pred.plsIn.push(plsIn);
    pred.lmIn.push(lmIn);
    const a = errors(x, pls, naive);
    const b = errors(x, lm, naive);
    const c = errors(x, plsIn, naive);
    const d = errors(x, lmIn, naive);
    const construct = model.latent[s.blockOf[slots[e]]];
    indicators[names[e]] = Object.freeze({
      construct,
      rmse: a.rmse,
      mae: a.mae,
      q2predict: a.q2,
      lmRmse: b.rmse,
      lmMae: b.mae,
      lmQ2predict: b.q2,
      inSampleRmse: c.rmse,
      inSampleMae: c.mae,
      lmInSampleRmse: d.rmse,
      lmInSampleMae: d.mae,
    });
    if (!(a.q2 > 0)) {
      warnings.push(
        `${o.fn}: indicator "${names[e]}" of "${construct}" has Q²_predict ${a.q2.toPrecision(3)} ≤ 0: the model predicts it no better than the training mean`,
      );
    }
  }
  const constructs = constructReading(model, s, slots, names, indicators);
  const predictions = predictionTable(answers, names, slots, slotColumn, pred, o);
  return Object.freeze({
    technique: o.technique,
    folds: sums.k,
    repeats: r,
    lmPredictors: o.lmPredictors,
    respondents: answers.n,
    rows: answers.report,
    indicators: Object.freeze(indicators),
    constructs,
    predictions,
    warnings: Object.freeze(warnings),
  });
}

/** The reading of Shmueli et al. (2019) per endogenous construct, from its indicators' figures. */
function constructReading(
  model: PathModel,
  s: PlsStructure,
  slots: Int32Array,
  names: readonly string[],
  indicators: Readonly<Record<string, PlsPredictIndicator>>,
): Readonly<Record<string, PlsPredictConstruct>> {
  const constructs: Record<string, PlsPredictConstruct> = nullRecord();
  for (let j = 0; j < s.m; j++) {
    if (s.predecessors[j].length === 0) continue;
    const own = names.filter((_, e) => s.blockOf[slots[e]] === j).map((name) => indicators[name]);
    const worse = own.filter((e) => e.rmse > e.lmRmse).length;
    const power = worse === own.length ? 'none' : 2 * worse >= own.length ? 'low' : worse > 0 ? 'medium' : 'high';
    constructs[model.latent[j]] = Object.freeze({
      relevant: own.every((e) => e.q2predict > 0),
      power,
      indicators: own.length,
      worseThanLm: worse,
    });
  }
  return Object.freeze(constructs);
}

/** RMSE, MAE and 1 − SSE / SSE of the naive prediction. */
function errors(
  x: Float64Array,
  predicted: Float64Array,
  naive: Float64Array,
): { rmse: number; mae: number; q2: number } {
  let sse = 0;
  let sae = 0;
  let sso = 0;
  for (let i = 0; i < x.length; i++) {
    const e = x[i] - predicted[i];
    sse += e * e;
    sae += Math.abs(e);
    sso += (x[i] - naive[i]) * (x[i] - naive[i]);
  }
  return { rmse: Math.sqrt(sse / x.length), mae: sae / x.length, q2: 1 - sse / sso };
}

/** The long predictions table: respondent-major, then indicator. */
function predictionTable(
  answers: ModelAnswers,
  names: readonly string[],
  slots: Int32Array,
  slotColumn: Int32Array,
  pred: { pls: Float64Array[]; lm: Float64Array[]; plsIn: Float64Array[]; lmIn: Float64Array[] },
  o: { key: string | undefined; table: Table; fn: string },
): Table {
  const { n, keptRows, values } = answers;
  const E = slots.length;
  const size = n * E;
  const row = new Int32Array(size);
  const take = new Int32Array(size);
  const indicator = codeArray(size, E);
  const actual = new Float64Array(size);
  const columns = {
    pls: new Float64Array(size),
    lm: new Float64Array(size),
    plsIn: new Float64Array(size),
    lmIn: new Float64Array(size),
  };
  for (let i = 0, t = 0; i < n; i++) {
    for (let e = 0; e < E; e++, t++) {
      row[t] = keptRows[i];
      take[t] = keptRows[i];
      indicator[t] = e;
      actual[t] = values[slotColumn[slots[e]]][i];
      columns.pls[t] = pred.pls[e][i];
      columns.lm[t] = pred.lm[e][i];
      columns.plsIn[t] = pred.plsIn[e][i];
      columns.lmIn[t] = pred.lmIn[e][i];
    }
  }
  const out: Record<string, Vector> = recordOf([['row', numberVector(row)]]);
  if (o.key !== undefined) out[o.key] = takeVector(getColumn(o.table, o.key, o.fn, 'key'), take);
  Object.assign(out, {
    indicator: labelVector(indicator, names),
    actual: numberVector(actual),
    pls: numberVector(columns.pls),
    lm: numberVector(columns.lm),
    plsInSample: numberVector(columns.plsIn),
    lmInSample: numberVector(columns.lmIn),
  });
  return tableWithMetadata(out, { 'clientele.kind': 'plsPredict' });
}
