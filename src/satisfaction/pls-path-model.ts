import type { Table, Vector } from 'apache-arrow';
import { inverse, Matrix } from 'ml-matrix';
import { quantile } from 'simple-statistics';
import { randomSource, studentTwoSidedP } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  isAdmissible,
  getColumn,
  knownOptions,
  numberVector,
  optionNames,
  readNumeric,
  tableWithMetadata,
  takeVector,
  nullRecord,
  hasOwnKey,
  recordOf,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { blockReliability } from './block-reliability';
import type { BlockReliability } from './block-reliability';
import { checkIndicatorColumns, pathModel } from './path-model';
import type { PathModel } from './path-model';
import { correlationOf, covarianceOf, estimateOuterWeights, plsStructure, regressOnCorrelations } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';
import { blockRhoA, consistentEstimates, consistentReport } from './plsc';
import type { ConsistentEstimates, PlsConsistent } from './plsc';

/** Options of {@link plsPathModel}. */
export interface PlsOptions {
  /** Inner weighting scheme. Default `'centroid'` (R `plspm`'s default). */
  scheme?: InnerScheme;
  /** Standardise the indicators (variance with divisor n) before estimation. Default `true`. */
  scaled?: boolean;
  /**
   * The answer scale `[min, max]` of the questions, for the 0–100 index. Default: the smallest and largest answer
   * found in the model's columns (pass the questionnaire's scale, e.g. `[1, 10]`, whenever you know it).
   * Answers outside a given scale are an error.
   */
  scale?: readonly [number, number];
  /** Iteration limit of the outer-weight loop. Default 100. */
  maxIterations?: number;
  /** Convergence tolerance on Σ(|w_old| − |w_new|)². Default 1e-6 (as `plspm`). */
  tolerance?: number;
  /** Number of bootstrap resamples for standard errors and percentile intervals; 0 (default) for none. */
  bootstrap?: number;
  /**
   * Most bootstrap resamples before the call stops with `LIMIT_EXCEEDED` (each is a full refit). Default 10,000;
   * `Infinity` lifts the limit.
   */
  maxBootstrap?: number;
  /** Seed of the bootstrap resampling. Default 1. */
  seed?: number;
  /** Coverage of the bootstrap percentile intervals. Default 0.95. */
  confidence?: number;
  /** A column to carry into the score tables (e.g. `'customer'`). */
  key?: string;
  /** Return a fit that stopped on `maxIterations` (with `converged: false`) instead of throwing `NOT_CONVERGED`. */
  allowNonConvergence?: boolean;
  /**
   * Consistent PLS (PLSc, Dijkstra & Henseler 2015): correct the paths, R² and loadings of the mode A blocks for
   * measurement error (see `consistentEstimates`). Default `false`.
   */
  consistent?: boolean;
}

/** One predictor's row of an inner (structural) regression. */
export interface InnerCoefficient {
  readonly estimate: number;
  readonly stdError: number;
  /** t statistic, estimate / stdError. */
  readonly t: number;
  /** Two-sided p-value of t with n − predictors − 1 degrees of freedom. */
  readonly pValue: number;
}

/** The regression of one endogenous latent variable on its predecessors (ordinary least squares on the scores). */
export interface InnerRegression {
  readonly rSquared: number;
  /** Adjusted R²: 1 − (1 − R²)(n − 1)/(n − predictors − 1). */
  readonly adjustedRSquared: number;
  /** Per predictor latent variable, and `'(intercept)'`. */
  readonly coefficients: Readonly<Record<string, InnerCoefficient>>;
}

/** The measurement model of one indicator. */
export interface OuterEstimate {
  /** Latent variable the indicator measures. */
  readonly block: string;
  /** Outer weight (scores are Σ weight · indicator, on the scaled or centred indicators). */
  readonly weight: number;
  /** Correlation of the indicator with its latent variable score. */
  readonly loading: number;
  /** loading². */
  readonly communality: number;
  /** communality · R² of the block's latent variable (0 for exogenous blocks). */
  readonly redundancy: number;
  /** Normalised weight of the 0–100 index: the outer weight estimated on the unstandardised indicators, divided by its block's sum. */
  readonly indexWeight: number;
}

/** One latent variable's entry in the summary of the inner model. */
export interface LatentSummary {
  readonly type: 'exogenous' | 'endogenous';
  /** R² (0 for exogenous). */
  readonly rSquared: number;
  /** Mean communality of the block's indicators. */
  readonly blockCommunality: number;
  /** Mean redundancy of the block's indicators. */
  readonly meanRedundancy: number;
  /** Average variance extracted (0 for mode B blocks, whose indicators need not share variance; as `plspm`). */
  readonly ave: number;
}

/** A direct, indirect and total effect between two latent variables. */
export interface PathEffect {
  readonly from: string;
  readonly to: string;
  readonly direct: number;
  readonly indirect: number;
  readonly total: number;
}

/** Bootstrap summary of one estimate. */
export interface BootstrapEstimate {
  /** The estimate on the full data. */
  readonly original: number;
  /** Mean over the resamples. */
  readonly mean: number;
  /** Standard deviation over the resamples (divisor B − 1). */
  readonly stdError: number;
  /** Percentile interval (R quantile type 7 of the resampled estimates). */
  readonly lower: number;
  readonly upper: number;
}

/** What `bootstrap: n` adds to a fit. */
export interface PlsBootstrap {
  readonly resamples: number;
  /** Resamples whose fit did not converge; they are left out of the summaries. */
  readonly failed: number;
  readonly confidence: number;
  readonly paths: Readonly<Record<string, Readonly<Record<string, BootstrapEstimate>>>>;
  readonly weights: Readonly<Record<string, BootstrapEstimate>>;
  readonly loadings: Readonly<Record<string, BootstrapEstimate>>;
  readonly rSquared: Readonly<Record<string, BootstrapEstimate>>;
  /** Total effects, `totalEffects[from][to]`, for every pair with a directed route. */
  readonly totalEffects: Readonly<Record<string, Readonly<Record<string, BootstrapEstimate>>>>;
}

/** A fitted PLS path model; frozen. */
export interface PlsFit {
  readonly model: PathModel;
  readonly scheme: InnerScheme;
  readonly scaled: boolean;
  /** The answer scale used for the 0–100 index. */
  readonly scale: readonly [number, number];
  readonly iterations: number;
  readonly converged: boolean;
  /** Respondents used (after listwise deletion). */
  readonly respondents: number;
  /** Input rows, rows kept, and rows dropped by reason (`missingAnswer`, `invalidValue` for an infinite answer). */
  readonly rows: DropReport;
  /** Path coefficients, `paths[from][to]`, one entry per path of the model. */
  readonly paths: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** R² of every endogenous latent variable. */
  readonly rSquared: Readonly<Record<string, number>>;
  /** The inner regressions, by endogenous latent variable. */
  readonly inner: Readonly<Record<string, InnerRegression>>;
  /** The measurement model, by indicator column. */
  readonly outer: Readonly<Record<string, OuterEstimate>>;
  /** Correlation of every indicator with every latent variable score, `crossLoadings[indicator][lv]`. */
  readonly crossLoadings: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Unidimensionality and reliability by latent variable. */
  readonly reliability: Readonly<Record<string, BlockReliability>>;
  readonly summary: Readonly<Record<string, LatentSummary>>;
  /** Direct, indirect and total effects for every pair of latent variables joined by a directed route. */
  readonly effects: readonly PathEffect[];
  /** Goodness of fit: √(mean communality of the blocks with more than one indicator · mean R²). */
  readonly gof: number;
  /** Latent variable scores (mean 0, variance 1 with divisor n): `row` (input row), the key column if asked, one column per latent variable. */
  readonly scores: Table;
  /** The 0–100 index of every latent variable: the mean of its respondents' index scores. */
  readonly index: Readonly<Record<string, number>>;
  /** Respondents' 0–100 index scores: `row`, the key column if asked, one column per latent variable. */
  readonly indexScores: Table;
  /** Present when `bootstrap` > 0. */
  readonly bootstrap?: PlsBootstrap;
  /** Present when `consistent: true`: what PLSc corrected (paths, R², inner, loadings and effects are the corrected ones). */
  readonly consistent?: PlsConsistent;
}

const DEFAULTS = {
  scheme: 'centroid' as InnerScheme,
  scaled: true,
  maxIterations: 100,
  tolerance: 1e-6,
  bootstrap: 0,
  seed: 1,
  confidence: 0.95,
  consistent: false,
};

/** The options plsPathModel takes; every other name is refused with a did-you-mean. */
const PLS_PATH_MODEL_OPTION_NAMES = optionNames<PlsOptions>({
  scheme: true,
  scaled: true,
  scale: true,
  maxIterations: true,
  tolerance: true,
  bootstrap: true,
  seed: true,
  confidence: true,
  key: true,
  allowNonConvergence: true,
  maxBootstrap: true,
  consistent: true,
});

/**
 * Partial least squares path modelling (PLS-PM) of a structural model of latent variables measured by survey
 * questions — the estimator behind the ACSI and ECSI satisfaction indices.
 *
 * Analysts use it to read how much each driver (expectations, quality, value …) moves satisfaction and loyalty
 * (path coefficients and total effects), how well each block of questions measures its construct (loadings,
 * reliability) and to report every construct as a 0–100 index.
 *
 * Estimation (Wold 1982; Lohmöller 1989; as R `plspm` 0.5, Sanchez 2013):
 * 1. indicators centred, and divided by their standard deviation (divisor n) when `scaled`;
 * 2. outer weights by the iterative algorithm (see `estimateOuterWeights`): inner estimates by the centroid,
 *    factorial or path scheme, mode A (covariance) or mode B (regression) outer estimates, until
 *    Σ(|w_old| − |w_new|)² < tolerance; scores Y_j = Σ w_k X_k, variance 1;
 * 3. path coefficients by ordinary least squares of each endogenous score on its predecessors' scores, with
 *    standard errors, t and p from the usual OLS formulas;
 * 4. loadings = cor(indicator, score), communality = loading², redundancy = communality · R²;
 *    AVE = mean communality; GoF = √(mean communality over blocks with > 1 indicator · mean R²)
 *    (Tenenhaus et al. 2004);
 * 5. total effects T = B + B² + … over the path matrix B; indirect = total − direct;
 * 6. with `consistent: true`, PLSc (Dijkstra & Henseler 2015): every mode A block's reliability ρ_A
 *    (`reliability[lv].rhoA`, reported for every fit) disattenuates the construct correlations,
 *    r*_ij = r_ij / √(ρ_A,i ρ_A,j), and its loadings become √ρ_A · ŵ/(ŵ'ŵ); paths, R², the inner regressions and the
 *    effects are then the least-squares solution on r* (as seminr for `reflective()` constructs). The scores stay
 *    X·w. A ρ_A above 1 or an r* that is not positive definite is warned in `consistent.warnings`.
 *
 * The 0–100 index follows the ACSI convention (Fornell et al. 1996, p. 9): the outer weights are estimated on the
 * unstandardised (centred) indicators, normalised to sum to one within each block, a respondent's index score is
 * the weighted mean of their answers rescaled from the answer scale [min, max] to 0–100,
 * 100 · (Σ w̃_k x_k − min)/(max − min), and the construct's index is the mean over respondents.
 * Negative index weights (a question that runs against its construct) make the index meaningless: reverse such
 * questions first.
 *
 * Missing answers: listwise deletion — a respondent with a null or NaN answer to any of the model's questions is
 * left out and counted in `rows.dropped.missingAnswer`; one with an infinite answer (and no missing one) is left out
 * and counted in `rows.dropped.invalidValue`, as every analysis admits only finite numbers.
 *
 * Bootstrap: `bootstrap: B` refits the model on B resamples of the respondents (drawn with replacement, seeded);
 * standard errors are the resamples' standard deviations and intervals their percentiles, as `plspm` reports.
 *
 * Cost: O(iterations · n · (indicators + paths)) for the fit; the index adds one fit on the unstandardised data
 * when `scaled`; the bootstrap multiplies the cost by B + 1.
 *
 * @param survey one row per respondent (anything `asTable` accepts); answers in numeric columns
 * @param model a {@link pathModel}, {@link acsiModel} or {@link ecsiModel}
 * @param options scheme, scaling, answer scale, iteration control, bootstrap, key column
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` for a non-numeric question, `INVALID_OPTION`,
 *   `INVALID_VALUE` (a constant question, a variance that overflows a double, or an answer outside `scale`),
 *   `NOT_IDENTIFIED` (collinear questions in a mode B block), `EMPTY_INPUT`
 *   (no complete respondent), `INVALID_INPUT` (fewer respondents than the largest regression needs),
 *   `NOT_CONVERGED`
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const fit = plsPathModel(store.survey, model, { scale: [1, 10] });
 * fit.paths.quality.satisfaction > 0.3; // true
 * fit.index.satisfaction > 0 && fit.index.satisfaction < 100; // true
 * fit.rSquared.satisfaction; // e.g. 0.62
 */
export function plsPathModel(survey: unknown, model: PathModel, options: PlsOptions = {}): PlsFit {
  options = knownOptions(options, PLS_PATH_MODEL_OPTION_NAMES, 'plsPathModel');
  const fn = 'plsPathModel';
  const table = asTable(survey);
  const checked = pathModel(model as never);
  const o = resolveOptions(options, fn);
  checkIndicatorColumns(table, checked.blocks, fn);
  const s = plsStructure(checked);

  // Read every question once, then drop respondents with a missing answer.
  const answers = readAnswers(table, checked, s, fn);
  const { rows, n, drops, raw } = answers;
  const scale = answerScale(answers, o.scale, fn);
  checkConstantAnswers(answers, fn);

  // Fit from the moments of the kept answers: the one path shared with the SQL engines (plsFitOfMoments).
  const { means, cov } = covarianceOf(raw);
  const report: DropReport = {
    rows,
    kept: n,
    dropped: { ...drops.counts },
    firstRow: { ...drops.first },
    total: drops.total,
  };
  const { fit, estimates } = fitFromMoments(checked, s, o, { n, means, cov, rows: report }, scale, fn);
  const { scores, indexScores } = scoreTables(table, answers, s, checked.latent, estimates, o, scale, fn);
  const whole: PlsFit = { ...fit, scores, indexScores };
  if (o.bootstrap > 0) {
    // A resample is a vector of row multiplicities: its covariance matrix needs no copy of the rows.
    const rng = randomSource(o.seed);
    const counts = new Int32Array(n);
    const resample = (): ReplicateMoments => {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[rng.int(n)]++;
      return { n, cov: covarianceOf(raw, counts).cov };
    };
    (whole as { bootstrap?: PlsBootstrap }).bootstrap = bootstrapFit(resample, s, checked, estimates.core, o, fn);
  }
  return Object.freeze(whole);
}

/**
 * What a PLS fit reads of the data: the number of respondents kept, the means and the covariance matrix (divisor
 * n) of the indicator slots over them, and the row report. plsPathModel computes them in-process,
 * plsPathModelInSql in a SQL engine (with the smallest and largest answer of each slot, for the answer scale).
 */
interface PlsMoments {
  readonly n: number;
  /** By indicator slot (`plsStructure(model).columns`). */
  readonly means: Float64Array;
  /** p × p, by indicator slot, divisor n. */
  readonly cov: Float64Array;
  readonly rows: DropReport;
}

/** {@link PlsMoments} with each slot's smallest and largest kept answer. */
export interface PlsRangedMoments extends PlsMoments {
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** One bootstrap replicate: its covariance matrix of the slots (divisor its weight total) and that total. */
export interface ReplicateMoments {
  readonly n: number;
  readonly cov: Float64Array;
}

/** A fit from moments alone: every field of {@link PlsFit} but the per-respondent score tables. */
export type PlsMomentFit = Omit<PlsFit, 'scores' | 'indexScores'>;

/** Checks plsPathModel's options without fitting (for a driver that runs statements first). @throws {ClienteleError} `INVALID_OPTION`, `LIMIT_EXCEEDED` */
export function checkPlsOptions(options: PlsOptions, fn: string): void {
  resolveOptions(options, fn);
}

/**
 * The fit of `model` from moments computed elsewhere (a SQL engine), by the code path plsPathModel runs on its
 * own moments, with the bootstrap from `replicate(b)` for b = 0 … bootstrap − 1 (`undefined` marks a replicate
 * that cannot be fitted, counted in `failed`). `options` as plsPathModel's (`key` and `seed` are not read here).
 */
export function plsFitOfMoments(
  model: PathModel,
  moments: PlsRangedMoments,
  options: PlsOptions,
  replicate: ((b: number) => ReplicateMoments | undefined) | undefined,
  fn: string,
): PlsMomentFit {
  const checked = pathModel(model as never);
  const o = resolveOptions(options, fn);
  const s = plsStructure(checked);
  checkRespondentCount(moments.n, moments.rows.rows, moments.rows.total, moments.rows.firstRow, s, fn);
  const scale = scaleOfRanges(checked.latent, s, moments, o.scale, fn);
  const { fit, estimates } = fitFromMoments(checked, s, o, moments, scale, fn);
  if (o.bootstrap > 0 && replicate) {
    let b = 0;
    const next = () => replicate(b++);
    (fit as { bootstrap?: PlsBootstrap }).bootstrap = bootstrapFit(next, s, checked, estimates.core, o, fn);
  }
  return Object.freeze(fit);
}

/** The fit (all but the score tables and the bootstrap) and its estimates, from the kept respondents' moments. */
function fitFromMoments(
  checked: PathModel,
  s: PlsStructure,
  o: ResolvedOptions,
  moments: PlsMoments,
  scale: readonly [number, number],
  fn: string,
): { fit: PlsMomentFit; estimates: PlsEstimates } {
  const { m } = s;
  const { n } = moments;
  // Fit: weights, paths and loadings; the index weights from the unstandardised indicators.
  const estimates = estimateModel(moments.means, moments.cov, n, s, checked.latent, o, fn);
  const { core } = estimates;

  // Assemble the frozen result.
  const latent = checked.latent;
  const { paths, rSquared, inner } = innerResults(checked, s, core, n);
  const { outer, crossLoadings } = outerResults(latent, s, core, estimates.indexWeights);
  const { reliability, summary, gof } = blockSummaries(checked, s, core, estimates.correlation);
  const effects = pathEffects(
    core.path,
    m,
    checked.causalOrder.map((lv) => latent.indexOf(lv)),
  ).map((e) =>
    Object.freeze({
      from: latent[e.from],
      to: latent[e.to],
      direct: e.direct,
      indirect: e.total - e.direct,
      total: e.total,
    }),
  );
  // The index of a construct is the mean of its respondents' index scores, 100 (Σ w̃_k x_k − min)/(max − min),
  // which is the same affine map of the weighted mean answer Σ w̃_k x̄_k.
  const index: Record<string, number> = nullRecord();
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) mean += estimates.indexWeights[k] * moments.means[k];
    index[latent[j]] = (100 * (mean - scale[0])) / (scale[1] - scale[0]);
  }
  const { rows } = moments;
  const fit: PlsMomentFit = {
    model: checked,
    scheme: o.scheme,
    scaled: o.scaled,
    scale: Object.freeze([scale[0], scale[1]]) as readonly [number, number],
    iterations: core.iterations,
    converged: core.converged,
    respondents: n,
    rows: Object.freeze({
      rows: rows.rows,
      kept: rows.kept,
      dropped: Object.freeze({ ...rows.dropped }),
      firstRow: Object.freeze({ ...rows.firstRow }),
      total: rows.total,
    }),
    paths: freezeNested(paths),
    rSquared: Object.freeze(rSquared),
    inner: Object.freeze(inner),
    outer: Object.freeze(outer),
    crossLoadings: Object.freeze(crossLoadings),
    reliability: Object.freeze(reliability),
    summary: Object.freeze(summary),
    effects: Object.freeze(effects),
    gof,
    index: Object.freeze(index),
    ...(core.consistent ? { consistent: consistentReport(latent, core.consistent, fn) } : {}),
  };
  return { fit, estimates };
}

/** The model's answers after listwise deletion, read once per question column. */
interface PlsAnswers {
  /** The model's question columns, each once, in slot order. */
  readonly unique: readonly string[];
  /** The first block that names each question column (for error messages). */
  readonly blockOfColumn: ReadonlyMap<string, string>;
  /** Input rows. */
  readonly rows: number;
  /** Respondents kept (every question answered). */
  readonly n: number;
  /** The respondents dropped, by reason (`missingAnswer`, `invalidValue`). */
  readonly drops: DropCounter;
  /** Input row of each kept respondent. */
  readonly keptRows: Int32Array;
  /** Kept answers by question column. */
  readonly compact: ReadonlyMap<string, Float64Array>;
  /** Kept answers by indicator slot (`s.columns`). */
  readonly raw: Float64Array[];
}

/** Reads every question of the model once, drops and counts respondents with a missing answer, keeps the rest. */
function readAnswers(table: Table, checked: PathModel, s: PlsStructure, fn: string): PlsAnswers {
  const unique = [...new Set(s.columns)];
  const rawByName = new Map<string, Float64Array>();
  const blockOfColumn = new Map<string, string>();
  checked.latent.forEach((lv) => checked.blocks[lv].forEach((c) => blockOfColumn.has(c) || blockOfColumn.set(c, lv)));
  for (const name of unique)
    rawByName.set(name, readNumeric(table, name, fn, `blocks.${blockOfColumn.get(name)}`).values);
  const rows = table.numRows;
  const { keep, drops } = dropMissingAnswers(unique, rawByName, rows);
  const n = rows - drops.total;
  checkRespondentCount(n, rows, drops.total, drops.first, s, fn);
  const keptRows = new Int32Array(n);
  for (let i = 0, k = 0; i < rows; i++) if (keep[i]) keptRows[k++] = i;
  const compact = new Map<string, Float64Array>();
  for (const name of unique) {
    const values = rawByName.get(name)!;
    const out = n === rows ? values : new Float64Array(n);
    if (out !== values) for (let k = 0; k < n; k++) out[k] = values[keptRows[k]];
    compact.set(name, out);
  }
  const raw = s.columns.map((c) => compact.get(c)!);
  return { unique, blockOfColumn, rows, n, drops, keptRows, compact, raw };
}

/**
 * Marks the respondents with a null or NaN answer (`missingAnswer`) or an infinite one (`invalidValue`, the
 * admission policy of table/admission.ts) and counts them, a respondent with both under `missingAnswer`.
 */
function dropMissingAnswers(
  unique: readonly string[],
  rawByName: ReadonlyMap<string, Float64Array>,
  rows: number,
): { keep: Uint8Array; drops: DropCounter } {
  const drops = new DropCounter();
  const keep = new Uint8Array(rows).fill(1);
  const missing = new Uint8Array(rows);
  for (const name of unique) {
    const values = rawByName.get(name)!;
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (isAdmissible(v)) continue;
      keep[i] = 0;
      if (v !== v) missing[i] = 1;
    }
  }
  for (let i = 0; i < rows; i++) if (!keep[i]) drops.drop(missing[i] ? 'missingAnswer' : 'invalidValue', i);
  return { keep, drops };
}

/** Checks that some respondents are left, and enough of them for the largest structural regression. */
function checkRespondentCount(
  n: number,
  rows: number,
  dropped: number,
  first: DropReport['firstRow'],
  s: PlsStructure,
  fn: string,
): void {
  if (n === 0) {
    const at = Math.min(first.missingAnswer ?? rows, first.invalidValue ?? rows);
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no respondent answered every question of the model (${rows} rows, ${dropped} with a missing or infinite answer${at < rows ? `, first at row ${at}` : ''}); check the column mapping or impute the answers first`,
    );
  }
  let largestRegression = 0;
  for (let j = 0; j < s.m; j++) largestRegression = Math.max(largestRegression, s.predecessors[j].length);
  if (n < largestRegression + 2) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: ${n} complete respondents are too few for a model whose largest structural regression has ${largestRegression} predictors (found ${n}, need at least ${largestRegression + 2}); collect more answers`,
    );
  }
}

/** Answer scale: given and checked against the kept answers, or observed. */
function answerScale(answers: PlsAnswers, given: readonly [number, number] | undefined, fn: string): [number, number] {
  const { unique, n, keptRows, compact } = answers;
  let scale: [number, number];
  if (given) {
    scale = [given[0], given[1]];
    for (const name of unique) {
      const values = compact.get(name)!;
      for (let k = 0; k < n; k++) {
        if (values[k] < scale[0] || values[k] > scale[1]) {
          throw new ClienteleError(
            'INVALID_VALUE',
            `${fn}: column "${name}" has an answer outside the scale [${scale[0]}, ${scale[1]}] at row ${keptRows[k]} (found ${values[k]}); fix the answer or pass the questionnaire's true scale`,
            { column: name, row: keptRows[k] },
          );
        }
      }
    }
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (const values of compact.values())
      for (let k = 0; k < n; k++) {
        if (values[k] < lo) lo = values[k];
        if (values[k] > hi) hi = values[k];
      }
    scale = [lo, hi];
  }
  return scale;
}

/**
 * The answer scale from each slot's smallest and largest answer (the moments' twin of answerScale and
 * checkConstantAnswers): given and checked, or observed; a question with one answer throughout is refused.
 */
function scaleOfRanges(
  latent: readonly string[],
  s: PlsStructure,
  ranges: { readonly min: Float64Array; readonly max: Float64Array },
  given: readonly [number, number] | undefined,
  fn: string,
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < s.p; k++) {
    const name = s.columns[k];
    const [a, b] = [ranges.min[k], ranges.max[k]];
    if (given && (a < given[0] || b > given[1])) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${name}" has an answer outside the scale [${given[0]}, ${given[1]}] (found ${a < given[0] ? a : b}); fix the answer or pass the questionnaire's true scale`,
        { column: name },
      );
    }
    if (a === b) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${name}" has the same answer (${a}) for every respondent, so it measures nothing; remove it from block "${latent[s.blockOf[k]]}"`,
        { column: name },
      );
    }
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  return given ? [given[0], given[1]] : [lo, hi];
}

/** Rejects a question with the same answer from every kept respondent. */
function checkConstantAnswers(answers: PlsAnswers, fn: string): void {
  const { unique, n, compact, blockOfColumn } = answers;
  for (const name of unique) {
    const values = compact.get(name)!;
    let constant = true;
    for (let k = 1; k < n && constant; k++) if (values[k] !== values[0]) constant = false;
    if (constant) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${name}" has the same answer (${values[0]}) for every respondent, so it measures nothing; remove it from block "${blockOfColumn.get(name)}"`,
        { column: name },
      );
    }
  }
}

/** Refuses a question whose variance overflows a double (answers near 1e155 or beyond): every weight would be NaN. */
function checkFiniteVariances(cov: Float64Array, s: PlsStructure, fn: string): void {
  for (let k = 0; k < s.p; k++) {
    const variance = cov[k * s.p + k];
    if (variance - variance !== 0) {
      const column = s.columns[k];
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: the variance of column "${column}" overflows a double (found ${variance}); rescale the answers (e.g. to the questionnaire's scale)`,
        { column },
      );
    }
  }
}

/**
 * Refuses a mode B block whose indicators are collinear (one is a linear combination of the ones before it: two
 * identical questions, one twice another): its outer weights are a regression on a singular matrix and are not
 * identified. Found by a Cholesky factorisation of the block's correlation matrix, a pivot below 1e-10 marking the
 * collinear question.
 *
 * @throws {ClienteleError} `NOT_IDENTIFIED` naming the block and the indicators
 */
function checkModeBBlocks(correlation: Float64Array, s: PlsStructure, latent: readonly string[], fn: string): void {
  const { m, p, blockStart, modeB, columns } = s;
  for (let j = 0; j < m; j++) {
    if (!modeB[j]) continue;
    const from = blockStart[j];
    const q = blockStart[j + 1] - from;
    const l = new Float64Array(q * q);
    for (let a = 0; a < q; a++) {
      for (let b = 0; b <= a; b++) {
        let sum = correlation[(from + a) * p + from + b];
        for (let c = 0; c < b; c++) sum -= l[a * q + c] * l[b * q + c];
        if (a > b) l[a * q + b] = sum / l[b * q + b];
        else if (sum > 1e-10) l[a * q + a] = Math.sqrt(sum);
        else {
          const others = columns.slice(from, from + a).map((c) => `"${c}"`);
          throw new ClienteleError(
            'NOT_IDENTIFIED',
            `${fn}: block "${latent[j]}" is mode B (a regression on its questions), but question "${columns[from + a]}" is a linear combination of ${others.join(', ')} in the same block (found a singular correlation matrix), so the block's weights are not identified; ` +
              `remove "${columns[from + a]}" from the block or make the block mode A`,
            { column: columns[from + a] },
          );
        }
      }
    }
  }
}

/** What the fit stage computes from the kept answers. */
interface PlsEstimates {
  /** Means of the indicator slots. */
  readonly means: Float64Array;
  /** Covariance matrix of the slots (divisor n), p × p. */
  readonly cov: Float64Array;
  /** Correlation matrix of the slots, p × p. */
  readonly correlation: Float64Array;
  readonly core: CoreFit;
  /** Outer weights on the unstandardised indicators, normalised to sum 1 per block. */
  readonly indexWeights: Float64Array;
}

/** The fit on the kept answers (`NOT_CONVERGED` unless allowed) and the ACSI index weights. */
function estimateModel(
  means: Float64Array,
  cov: Float64Array,
  n: number,
  s: PlsStructure,
  latent: readonly string[],
  o: ResolvedOptions,
  fn: string,
): PlsEstimates {
  const { m, p } = s;
  checkFiniteVariances(cov, s, fn);
  const correlation = correlationOf(cov, p);
  checkModeBBlocks(correlation, s, latent, fn);
  const core = fitCore(o.scaled ? correlation : cov, n, s, o.scheme, o.tolerance, o.maxIterations, o.consistent);
  if (!core.converged && !o.allowNonConvergence) {
    throw new ClienteleError(
      'NOT_CONVERGED',
      `${fn}: the outer weights did not converge in ${o.maxIterations} iterations (tolerance ${o.tolerance}); raise maxIterations, try scheme 'path' or 'factorial', or check blocks whose questions correlate weakly (see reliability)`,
    );
  }
  // ACSI index weights come from the unstandardised (centred) indicators.
  const unscaled = o.scaled ? estimateOuterWeights(cov, n, s, o.scheme, o.tolerance, o.maxIterations) : core;
  const indexWeights = new Float64Array(p);
  for (let j = 0; j < m; j++) {
    let sum = 0;
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) sum += unscaled.weights[k];
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) indexWeights[k] = unscaled.weights[k] / sum;
  }
  return { means, cov, correlation, core, indexWeights };
}

/** Path coefficients, R² and the inner regressions, by latent variable (not yet frozen at the top level). */
function innerResults(checked: PathModel, s: PlsStructure, core: CoreFit, n: number) {
  const { m } = s;
  const latent = checked.latent;
  const paths: Record<string, Record<string, number>> = nullRecord();
  for (const [from, to] of checked.paths) {
    (paths[from] ??= nullRecord())[to] = core.path[latent.indexOf(from) * m + latent.indexOf(to)];
  }
  const rSquared: Record<string, number> = nullRecord();
  const inner: Record<string, InnerRegression> = nullRecord();
  for (let j = 0; j < m; j++) {
    const pred = s.predecessors[j];
    if (pred.length === 0) continue;
    const r2 = core.rSquared[j];
    rSquared[latent[j]] = r2;
    inner[latent[j]] = innerRegression(core.correlation, m, pred, j, r2, n, latent);
  }
  return { paths, rSquared, inner };
}

/** The measurement model and the cross-loadings, by indicator key (not yet frozen at the top level). */
function outerResults(latent: readonly string[], s: PlsStructure, core: CoreFit, indexWeights: Float64Array) {
  const { m, p } = s;
  const columns = s.columns;
  const outer: Record<string, OuterEstimate> = nullRecord();
  const crossLoadings: Record<string, Record<string, number>> = nullRecord();
  for (let k = 0; k < p; k++) {
    const j = s.blockOf[k];
    const loading = core.loadings[k];
    const communality = loading * loading;
    const r2 = s.predecessors[j].length > 0 ? core.rSquared[j] : 0;
    const key = outerKey(columns[k], latent[j], columns, k);
    outer[key] = Object.freeze({
      block: latent[j],
      weight: core.weights[k],
      loading,
      communality,
      redundancy: communality * r2,
      indexWeight: indexWeights[k],
    });
    const row: Record<string, number> = nullRecord();
    for (let l = 0; l < m; l++) row[latent[l]] = core.crossLoadings[k * m + l];
    crossLoadings[key] = Object.freeze(row);
  }
  return { outer, crossLoadings };
}

/** Reliability and summary by latent variable, and the goodness of fit (not yet frozen at the top level). */
function blockSummaries(checked: PathModel, s: PlsStructure, core: CoreFit, correlation: Float64Array) {
  const { m, p } = s;
  const latent = checked.latent;
  const reliability: Record<string, BlockReliability> = nullRecord();
  const summary: Record<string, LatentSummary> = nullRecord();
  let communalitySum = 0;
  let communalityCount = 0;
  let r2Sum = 0;
  let r2Count = 0;
  for (let j = 0; j < m; j++) {
    const from = s.blockStart[j];
    const q = s.blockStart[j + 1] - from;
    const loadings = core.loadings.subarray(from, from + q);
    const blockCorrelation = new Float64Array(q * q);
    for (let u = 0; u < q; u++)
      for (let v = 0; v < q; v++) blockCorrelation[u * q + v] = correlation[(from + u) * p + from + v];
    reliability[latent[j]] = blockReliability(blockCorrelation, q, checked.modes[latent[j]], loadings, core.rhoA[j]);
    const endogenous = s.predecessors[j].length > 0;
    const r2 = endogenous ? core.rSquared[j] : 0;
    let comm = 0;
    for (let u = 0; u < q; u++) comm += loadings[u] * loadings[u];
    summary[latent[j]] = Object.freeze({
      type: endogenous ? 'endogenous' : 'exogenous',
      rSquared: r2,
      blockCommunality: comm / q,
      meanRedundancy: (comm / q) * r2,
      ave: checked.modes[latent[j]] === 'A' ? comm / q : 0,
    });
    if (q > 1) {
      communalitySum += comm;
      communalityCount += q;
    }
    if (endogenous) {
      r2Sum += r2;
      r2Count++;
    }
  }
  const gof = Math.sqrt((communalityCount > 0 ? communalitySum / communalityCount : NaN) * (r2Sum / r2Count));
  return { reliability, summary, gof };
}

/** The score and 0–100 index tables of the kept respondents, and each latent variable's index. */
function scoreTables(
  table: Table,
  answers: PlsAnswers,
  s: PlsStructure,
  latent: readonly string[],
  estimates: PlsEstimates,
  o: ResolvedOptions,
  scale: readonly [number, number],
  fn: string,
): { scores: Table; indexScores: Table } {
  const { m, p } = s;
  const { n, keptRows, raw, drops, rows } = answers;
  const { core, cov, means, indexWeights } = estimates;
  const keyVector = o.key === undefined ? null : takeVector(getColumn(table, o.key, fn, 'key'), keptRows);
  const scoreColumns: Record<string, Vector> = recordOf([['row', numberVector(keptRows)]]);
  const indexColumns: Record<string, Vector> = recordOf([['row', numberVector(keptRows)]]);
  if (keyVector && o.key !== undefined) {
    scoreColumns[o.key] = keyVector;
    indexColumns[o.key] = keyVector;
  }
  const span = scale[1] - scale[0];
  for (let j = 0; j < m; j++) {
    if (hasOwnKey(scoreColumns, latent[j])) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: latent variable "${latent[j]}" clashes with the score table's column of that name; rename the latent variable`,
      );
    }
    const score = new Float64Array(n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
      const w = core.weights[k] / (o.scaled ? Math.sqrt(cov[k * p + k]) : 1);
      const mean = means[k];
      const x = raw[k];
      for (let i = 0; i < n; i++) score[i] += w * (x[i] - mean);
    }
    scoreColumns[latent[j]] = numberVector(score);
    const values = new Float64Array(n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
      const w = indexWeights[k];
      const x = raw[k];
      for (let i = 0; i < n; i++) values[i] += w * x[i];
    }
    for (let i = 0; i < n; i++) values[i] = (100 * (values[i] - scale[0])) / span;
    indexColumns[latent[j]] = numberVector(values);
  }
  const metadata = { ...drops.metadata(rows), 'clientele.kind': 'plsScores' };
  const scores = tableWithMetadata(scoreColumns, metadata);
  const indexScores = tableWithMetadata(indexColumns, { ...metadata, 'clientele.kind': 'plsIndexScores' });
  return { scores, indexScores };
}

/** The key of an indicator in `outer`: its column, or `block:column` when the column measures two blocks. */
export function outerKey(column: string, lv: string, columns: readonly string[], slot: number): string {
  return columns.indexOf(column) === slot && columns.lastIndexOf(column) === slot ? column : `${lv}:${column}`;
}

interface ResolvedOptions {
  scheme: InnerScheme;
  scaled: boolean;
  scale: readonly [number, number] | undefined;
  maxIterations: number;
  tolerance: number;
  bootstrap: number;
  seed: number;
  confidence: number;
  key: string | undefined;
  allowNonConvergence: boolean;
  consistent: boolean;
}

function resolveOptions(options: PlsOptions, fn: string): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: options must be an object (found ${describeValue(options)})`);
  }
  const scheme = options.scheme ?? DEFAULTS.scheme;
  if (scheme !== 'centroid' && scheme !== 'factorial' && scheme !== 'path') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scheme must be 'centroid', 'factorial' or 'path' (found ${describeValue(scheme)})`,
    );
  }
  const scaled = booleanOption('scaled', options.scaled ?? DEFAULTS.scaled, fn);
  const scale = options.scale;
  if (
    scale !== undefined &&
    !(
      Array.isArray(scale) &&
      scale.length === 2 &&
      Number.isFinite(scale[0]) &&
      Number.isFinite(scale[1]) &&
      scale[0] < scale[1]
    )
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scale must be [min, max] with min < max, the questionnaire's answer range (found ${describeValue(scale)}${Array.isArray(scale) ? ` ${JSON.stringify(scale)}` : ''}); e.g. [1, 10]`,
    );
  }
  const integer = (name: string, value: unknown, min: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be an integer ≥ ${min} (found ${describeValue(value)})`,
      );
    }
    return value;
  };
  const maxIterations = integer('maxIterations', options.maxIterations ?? DEFAULTS.maxIterations, 1);
  const bootstrap = integer('bootstrap', options.bootstrap ?? DEFAULTS.bootstrap, 0);
  const seed = integer('seed', options.seed ?? DEFAULTS.seed, 0);
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  if (typeof tolerance !== 'number' || !(tolerance > 0))
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option tolerance must be a positive number (found ${describeValue(tolerance)}); the default is 1e-6`,
    );
  const confidence = options.confidence ?? DEFAULTS.confidence;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option confidence must be in (0, 1) (found ${describeValue(confidence)}); e.g. 0.95`,
    );
  }
  checkBootstrapLimit(bootstrap, options.maxBootstrap, fn);
  const key = options.key;
  if (key !== undefined && typeof key !== 'string')
    throw new ClienteleError('INVALID_OPTION', `${fn}: option key must be a column name (found ${describeValue(key)})`);
  const allowNonConvergence = options.allowNonConvergence ?? false;
  const consistent = booleanOption('consistent', options.consistent ?? DEFAULTS.consistent, fn);
  return {
    scheme,
    scaled,
    scale: scale as readonly [number, number] | undefined,
    maxIterations,
    tolerance,
    bootstrap,
    seed,
    confidence,
    key,
    allowNonConvergence,
    consistent,
  };
}

/** A boolean option's value. @throws {ClienteleError} `INVALID_OPTION` for anything but true or false */
function booleanOption(name: string, value: unknown, fn: string): boolean {
  if (typeof value !== 'boolean')
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be true or false (found ${describeValue(value)})`,
    );
  return value;
}

/** Everything a (re)fit computes from the indicators' covariance matrix. */
interface CoreFit {
  /** Outer weights of the slots (scores have variance 1). */
  readonly weights: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Correlation matrix of the scores, m × m. */
  readonly correlation: Float64Array;
  /** Path coefficients, `path[from * m + to]`. */
  readonly path: Float64Array;
  /** R² by latent variable (NaN for exogenous ones). */
  readonly rSquared: Float64Array;
  /** Loading of each slot on its own latent variable. */
  readonly loadings: Float64Array;
  /** Loading of each slot on every latent variable, `[slot * m + lv]`. */
  readonly crossLoadings: Float64Array;
  /** ρ_A by latent variable (1 for mode B and single-indicator blocks). */
  readonly rhoA: Float64Array;
  /** Present for a consistent fit: then `correlation`, `path`, `rSquared` and `loadings` are the corrected ones. */
  readonly consistent?: ConsistentEstimates;
}

/**
 * The whole fit from S, the covariance matrix of the indicators as the fit sees them (their correlation matrix
 * when standardised): weights by `estimateOuterWeights`; with scores Y = X w of variance 1,
 * cov(X_k, Y_l) = (S w_l)_k, so loadings are (S w_l)_k / √S_kk and score correlations w_i' S w_j; paths and R² by
 * least squares on those correlations.
 */
function fitCore(
  cov: Float64Array,
  n: number,
  s: PlsStructure,
  scheme: InnerScheme,
  tolerance: number,
  maxIterations: number,
  consistent: boolean,
): CoreFit {
  const { m, p, blockStart } = s;
  const outer = estimateOuterWeights(cov, n, s, scheme, tolerance, maxIterations);
  const w = outer.weights;
  const sw = new Float64Array(p * m);
  for (let k = 0; k < p; k++) {
    for (let l = 0; l < m; l++) {
      let sum = 0;
      for (let u = blockStart[l]; u < blockStart[l + 1]; u++) sum += cov[k * p + u] * w[u];
      sw[k * m + l] = sum;
    }
  }
  const correlation = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    correlation[i * m + i] = 1;
    for (let j = i + 1; j < m; j++) {
      let c = 0;
      for (let k = blockStart[i]; k < blockStart[i + 1]; k++) c += w[k] * sw[k * m + j];
      correlation[i * m + j] = c;
      correlation[j * m + i] = c;
    }
  }
  const crossLoadings = new Float64Array(p * m);
  const compositeLoadings = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    sd[k] = Math.sqrt(cov[k * p + k]);
    for (let l = 0; l < m; l++) crossLoadings[k * m + l] = sw[k * m + l] / sd[k];
    compositeLoadings[k] = crossLoadings[k * m + s.blockOf[k]];
  }
  // PLSc: the construct correlations and loadings of the mode A blocks corrected by ρ_A before the regressions.
  const indicatorCorrelation = correlationOf(cov, p);
  const corrected = consistent
    ? consistentEstimates(indicatorCorrelation, s, w, sd, correlation, compositeLoadings)
    : undefined;
  const rhoA = corrected ? corrected.rhoA : blockRhoA(indicatorCorrelation, s, w, sd);
  const r = corrected ? corrected.correlation : correlation;
  const path = new Float64Array(m * m);
  const rSquared = new Float64Array(m).fill(NaN);
  for (let j = 0; j < m; j++) {
    const pred = s.predecessors[j];
    if (pred.length === 0) continue;
    const beta = regressOnCorrelations(r, m, pred, j);
    let r2 = 0;
    for (let a = 0; a < pred.length; a++) {
      path[pred[a] * m + j] = beta[a];
      r2 += beta[a] * r[pred[a] * m + j];
    }
    rSquared[j] = r2;
  }
  return {
    weights: w,
    iterations: outer.iterations,
    converged: outer.converged,
    correlation: r,
    path,
    rSquared,
    loadings: corrected ? corrected.loadings : compositeLoadings,
    crossLoadings,
    rhoA,
    ...(corrected ? { consistent: corrected } : {}),
  };
}

/** OLS table of score j on its predecessors from the score correlations (scores standardised, so the intercept is 0). */
function innerRegression(
  r: Float64Array,
  m: number,
  pred: readonly number[],
  j: number,
  r2: number,
  n: number,
  latent: readonly string[],
): InnerRegression {
  const q = pred.length;
  const beta = regressOnCorrelations(r, m, pred, j);
  const df = n - q - 1;
  // Var(β) = σ² (X'X)⁻¹ with σ² = n(1 − R²)/df and X'X = n · R_PP for standardised scores.
  const inverse = inverseOfCorrelations(r, m, pred);
  const sigma2 = (n * (1 - r2)) / df;
  const coefficients: Record<string, InnerCoefficient> = nullRecord();
  const interceptSe = Math.sqrt(sigma2 / n);
  coefficients['(intercept)'] = Object.freeze({ estimate: 0, stdError: interceptSe, t: 0, pValue: 1 });
  for (let a = 0; a < q; a++) {
    const se = Math.sqrt((sigma2 / n) * inverse[a * q + a]);
    const t = beta[a] / se;
    coefficients[latent[pred[a]]] = Object.freeze({
      estimate: beta[a],
      stdError: se,
      t,
      pValue: studentTwoSidedP(t, df),
    });
  }
  return Object.freeze({
    rSquared: r2,
    adjustedRSquared: 1 - ((1 - r2) * (n - 1)) / df,
    coefficients: Object.freeze(coefficients),
  });
}

function inverseOfCorrelations(r: Float64Array, m: number, pred: readonly number[]): Float64Array {
  const q = pred.length;
  const sub = new Matrix(q, q);
  for (let u = 0; u < q; u++) for (let v = 0; v < q; v++) sub.set(u, v, r[pred[u] * m + pred[v]]);
  return Float64Array.from(inverse(sub).to1DArray());
}

/** Total effects T = B + B² + … of the acyclic path matrix, by walking the causal order. */
function pathEffects(
  path: Float64Array,
  m: number,
  order: readonly number[],
): { from: number; to: number; direct: number; total: number }[] {
  const total = new Float64Array(m * m);
  const reach = new Uint8Array(m * m);
  // Processing targets in causal order: T[i][j] = B[i][j] + Σ_k T[i][k] B[k][j].
  for (const j of order) {
    for (let i = 0; i < m; i++) {
      let t = path[i * m + j];
      let reached = t !== 0 ? 1 : 0;
      for (let k = 0; k < m; k++) {
        if (reach[i * m + k] && path[k * m + j] !== 0) {
          t += total[i * m + k] * path[k * m + j];
          reached = 1;
        }
      }
      if (reached) {
        total[i * m + j] = t;
        reach[i * m + j] = 1;
      }
    }
  }
  const out: { from: number; to: number; direct: number; total: number }[] = [];
  for (const i of order)
    for (const j of order)
      if (reach[i * m + j]) out.push({ from: i, to: j, direct: path[i * m + j], total: total[i * m + j] });
  return out;
}

/** `bootstrap` 0 or ≥ 2, and within `maxBootstrap` (default 10,000). @throws {ClienteleError} `INVALID_OPTION`, `LIMIT_EXCEEDED` */
function checkBootstrapLimit(bootstrap: number, given: number | undefined, fn: string): void {
  if (bootstrap === 1)
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option bootstrap must be 0 or at least 2 resamples (found 1); 500–1000 is usual`,
    );
  const maxBootstrap = given ?? 10_000;
  if (!(maxBootstrap === Infinity || (Number.isInteger(maxBootstrap) && maxBootstrap >= 0))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxBootstrap must be an integer ≥ 0 or Infinity (found ${describeValue(maxBootstrap)}); leave it out for 10000`,
    );
  }
  if (bootstrap > maxBootstrap) {
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `${fn}: option bootstrap asks for ${bootstrap} resamples, each a full refit (found more than maxBootstrap = ` +
        `${maxBootstrap}); 500–1000 resamples are usual, or raise maxBootstrap (Infinity lifts the limit)`,
    );
  }
}

/** The bootstrap of a fit: B resamples refitted, then each estimate summarised over the converged ones. */
function bootstrapFit(
  resample: () => ReplicateMoments | undefined,
  s: PlsStructure,
  model: PathModel,
  core: CoreFit,
  o: ResolvedOptions,
  fn: string,
): PlsBootstrap {
  const { m, p } = s;
  const latent = model.latent;
  const pathIndex = model.paths.map(([f, t]) => latent.indexOf(f) * m + latent.indexOf(t));
  const endogenous: number[] = [];
  for (let j = 0; j < m; j++) if (s.predecessors[j].length > 0) endogenous.push(j);
  const order = model.causalOrder.map((lv) => latent.indexOf(lv));
  const totalPairs = pathEffects(core.path, m, order);
  const B = o.bootstrap;
  const { draws, good, failed } = drawBootstrap(resample, s, o, { pathIndex, endogenous, order, totalPairs });
  if (good < 2) {
    throw new ClienteleError(
      'NOT_CONVERGED',
      `${fn}: only ${good} of ${B} bootstrap resamples gave a converged fit; raise maxIterations or check the data`,
    );
  }
  const alpha = (1 - o.confidence) / 2;
  const summarise = (original: number, values: Float64Array) => bootstrapEstimate(original, values, good, alpha);
  const paths: Record<string, Record<string, BootstrapEstimate>> = nullRecord();
  model.paths.forEach(
    ([f, t], a) => ((paths[f] ??= nullRecord())[t] = summarise(core.path[pathIndex[a]], draws.paths[a])),
  );
  const weights: Record<string, BootstrapEstimate> = nullRecord();
  const loadings: Record<string, BootstrapEstimate> = nullRecord();
  for (let k = 0; k < p; k++) {
    const key = outerKey(s.columns[k], latent[s.blockOf[k]], s.columns, k);
    weights[key] = summarise(core.weights[k], draws.weights[k]);
    loadings[key] = summarise(core.loadings[k], draws.loadings[k]);
  }
  const rSquared: Record<string, BootstrapEstimate> = nullRecord();
  endogenous.forEach((j, a) => (rSquared[latent[j]] = summarise(core.rSquared[j], draws.rSquared[a])));
  const totalEffects: Record<string, Record<string, BootstrapEstimate>> = nullRecord();
  totalPairs.forEach(
    (pair, a) =>
      ((totalEffects[latent[pair.from]] ??= nullRecord())[latent[pair.to]] = summarise(pair.total, draws.totals[a])),
  );
  return Object.freeze({
    resamples: B,
    failed,
    confidence: o.confidence,
    paths: freezeNested(paths),
    weights: Object.freeze(weights),
    loadings: Object.freeze(loadings),
    rSquared: Object.freeze(rSquared),
    totalEffects: freezeNested(totalEffects),
  });
}

/** Which estimates a bootstrap tracks: the path and R² slots, the causal order and the full data's total effects. */
interface BootstrapTargets {
  /** `from * m + to` of each path of the model. */
  readonly pathIndex: readonly number[];
  /** The endogenous latent variables. */
  readonly endogenous: readonly number[];
  readonly order: readonly number[];
  readonly totalPairs: readonly { from: number; to: number; direct: number; total: number }[];
}

/** The resampled estimates, one array of B per estimate; the first `good` entries are filled. */
interface BootstrapDraws {
  readonly paths: Float64Array[];
  readonly weights: Float64Array[];
  readonly loadings: Float64Array[];
  readonly rSquared: Float64Array[];
  readonly totals: Float64Array[];
}

/** Refits the model on `o.bootstrap` resamples; resamples with a constant indicator or no convergence fail. */
function drawBootstrap(
  resample: () => ReplicateMoments | undefined,
  s: PlsStructure,
  o: ResolvedOptions,
  targets: BootstrapTargets,
): { draws: BootstrapDraws; good: number; failed: number } {
  const { m, p } = s;
  const { pathIndex, endogenous, order, totalPairs } = targets;
  const B = o.bootstrap;
  const draws = {
    paths: pathIndex.map(() => new Float64Array(B)),
    weights: Array.from({ length: p }, () => new Float64Array(B)),
    loadings: Array.from({ length: p }, () => new Float64Array(B)),
    rSquared: endogenous.map(() => new Float64Array(B)),
    totals: totalPairs.map(() => new Float64Array(B)),
  };
  let good = 0;
  let failed = 0;
  for (let b = 0; b < B; b++) {
    const replicate = resample();
    if (replicate === undefined) {
      failed++;
      continue;
    }
    const { cov, n } = replicate;
    let constant = false;
    for (let k = 0; k < p; k++) if (!(cov[k * p + k] > 0)) constant = true;
    if (constant) {
      failed++;
      continue;
    }
    const fit = fitCore(
      o.scaled ? correlationOf(cov, p) : cov,
      n,
      s,
      o.scheme,
      o.tolerance,
      o.maxIterations,
      o.consistent,
    );
    if (!fit.converged) {
      failed++;
      continue;
    }
    pathIndex.forEach((idx, a) => (draws.paths[a][good] = fit.path[idx]));
    for (let k = 0; k < p; k++) {
      draws.weights[k][good] = fit.weights[k];
      draws.loadings[k][good] = fit.loadings[k];
    }
    endogenous.forEach((j, a) => (draws.rSquared[a][good] = fit.rSquared[j]));
    const totals = pathEffects(fit.path, m, order);
    totalPairs.forEach((pair, a) => {
      const found = totals.find((t) => t.from === pair.from && t.to === pair.to);
      draws.totals[a][good] = found ? found.total : 0;
    });
    good++;
  }
  return { draws, good, failed };
}

/** Mean, standard deviation (divisor good − 1) and percentile interval of the first `good` resampled values. */
export function bootstrapEstimate(
  original: number,
  values: Float64Array,
  good: number,
  alpha: number,
): BootstrapEstimate {
  const v = values.subarray(0, good);
  let mean = 0;
  for (let i = 0; i < good; i++) mean += v[i];
  mean /= good;
  let ss = 0;
  for (let i = 0; i < good; i++) ss += (v[i] - mean) * (v[i] - mean);
  const [lower, upper] = quantile(Float64Array.from(v) as unknown as number[], [alpha, 1 - alpha]);
  return Object.freeze({ original, mean, stdError: Math.sqrt(ss / (good - 1)), lower, upper });
}

function freezeNested<T>(
  value: Record<string, Record<string, T>>,
): Readonly<Record<string, Readonly<Record<string, T>>>> {
  for (const key of Object.keys(value)) Object.freeze(value[key]);
  return Object.freeze(value);
}
