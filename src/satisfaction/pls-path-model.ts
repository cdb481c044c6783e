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
import {
  availableCaseFit,
  availableIndexScores,
  imputeMeans,
  missingReport,
  pairwiseCorrelationMatrix,
} from './pls-missing';
import type { MissingTreatment, PlsMissingReport } from './pls-missing';
import {
  nominalBlocks,
  nonMetricOuterWeights,
  nonMetricReplicate,
  nonMetricSummary,
  resolveNonMetricOptions,
  resolveScaling,
} from './pls-nonmetric';
import type { NonMetricEstimate, PlsNonMetric, PlsScaling } from './pls-nonmetric';
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
   * What to do with a missing (null or NaN) answer: `'listwise'` (default) leaves the respondent out; `'mean'`
   * replaces the answer by its question's mean over the answers present; `'available'` estimates from the answers
   * present as R `plspm` does. See "Missing answers" in {@link plsPathModel}.
   */
  missing?: MissingTreatment;
  /**
   * Non-metric PLS (Russolillo 2012; R plspm's `scaling`): the measurement level of the indicators, one for all
   * (`'ordinal'`) or by indicator column (`{ sat1: 'ordinal', channel: 'nominal' }`, unlisted columns numeric).
   * Ordinal and nominal answers are categories whose values the fit estimates (see `nonMetric.quantifications`).
   * Default: every indicator numeric (the metric fit).
   */
  scaling?: PlsScaling;
  /** Most distinct answers an ordinal or nominal indicator may have. Default 20. */
  maxCategories?: number;
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
  /** The missing-answer treatment and the missing answers it imputed or worked around, by question. */
  readonly missing: PlsMissingReport;
  /** Present when `scaling` declares an ordinal or nominal indicator: the levels and the quantifications. */
  readonly nonMetric?: PlsNonMetric;
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
  missing: true,
  scaling: true,
  maxCategories: true,
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
 * Missing answers (null or NaN), by `missing`; `fit.missing` counts them by question:
 * - `'listwise'` (default): a respondent with a missing answer to any of the model's questions is left out and
 *   counted in `rows.dropped.missingAnswer`;
 * - `'mean'`: each missing answer is replaced by its question's mean over the answers present, then the model is
 *   fitted as on complete data (the bootstrap resamples the imputed answers);
 * - `'available'`: available-case estimation as R `plspm` runs it when given `scaling` (Sanchez 2013; the NIPALS
 *   treatment of Lohmöller 1989, §2.4): every outer weight is a regression over the respondents who answered the
 *   question, every score a regression of the respondent's answers on the weights over the questions they
 *   answered (the weights rescaled to them), loadings are correlations over the answers present; see
 *   `availableCaseFit` in pls-missing.ts. A respondent's score is then not Σ w x; their index score is the weighted
 *   mean of the answers given, with the index weights rescaled to sum 1 over them. A respondent who answered no
 *   question of some block cannot be scored (plspm's fit fails on them): left out and counted as `missingAnswer`.
 *   Reliability is computed from the correlations over the pairs of answers present (plspm reports none). Mode B
 *   blocks with missing answers are refused (plspm 0.5.1 stops on them too, in get_weights_nonmetric). Without any
 *   missing answer the fit is the complete-data fit.
 * In every treatment a respondent with an infinite answer is left out and counted in `rows.dropped.invalidValue`,
 * as every analysis admits only finite numbers (under `'listwise'`, one with a missing answer too counts as
 * `missingAnswer`). Which treatment the ACSI itself applies is not stated in any source we could read (Fornell et
 * al. 1996 does not describe it), so none of the three is offered as the ACSI's.
 *
 * Non-metric indicators (`scaling`; Russolillo 2012, as R plspm's `scaling`): the answers of an ordinal or nominal
 * question are categories (its distinct answers, at most `maxCategories`, ordered by value), and the fit estimates
 * a value for each category together with the weights, in a loop over the respondents (pls-nonmetric.ts): nominal,
 * the category means of the block's inner estimate; ordinal, their monotone (isotonic) fit, so neighbouring
 * categories may share a value. Paths, loadings, R², reliability and scores are those of the quantified indicators
 * (`nonMetric.quantifications`). The 0–100 index stays the ACSI index of the raw answers, as without `scaling` (an
 * ordinal answer is still a point of the answer scale); a block with a nominal question has no index (NaN, noted in
 * `nonMetric.warnings`), its codes being labels. Unlike plspm, whose unidimensionality reads the raw answers, the
 * reliability here is that of the quantified ones. The bootstrap reruns the whole non-metric loop on each resample.
 *
 * Bootstrap: `bootstrap: B` refits the model on B resamples of the respondents (drawn with replacement, seeded);
 * standard errors are the resamples' standard deviations and intervals their percentiles, as `plspm` reports.
 *
 * Cost: O(iterations · n · (indicators + paths)) for the fit; the index adds one fit on the unstandardised data
 * when `scaled`; the bootstrap multiplies the cost by B + 1.
 *
 * @param survey one row per respondent (anything `asTable` accepts); answers in numeric columns
 * @param model a {@link pathModel}, {@link acsiModel} or {@link ecsiModel}
 * @param options scheme, scaling, answer scale, iteration control, bootstrap, key column, missing-answer treatment
 *   (`missing`, default `'listwise'`), measurement levels (`scaling`, default all numeric; `maxCategories`, default 20)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` for a non-numeric question, `INVALID_OPTION`,
 *   `INVALID_VALUE` (a constant question, a variance that overflows a double, an answer outside `scale`, or an
 *   ordinal or nominal question with more than `maxCategories` answers),
 *   `NOT_IDENTIFIED` (collinear questions in a mode B block; a mode B block with missing answers under
 *   `'available'`; a quantification giving every category one value), `EMPTY_INPUT`
 *   (no complete respondent), `INVALID_INPUT` (fewer respondents than the largest regression needs),
 *   `NOT_CONVERGED`
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const fit = plsPathModel(store.survey, model, { scale: [1, 10] });
 * fit.paths.quality.satisfaction > 0.3; // true
 * fit.index.satisfaction > 0 && fit.index.satisfaction < 100; // true
 * fit.rSquared.satisfaction; // e.g. 0.62
 * // with answers missing: each question's mean in their place, or plspm's available-case estimation
 * plsPathModel(store.survey, model, { scale: [1, 10], missing: 'available' }).missing.total; // 0
 * const ordinal = plsPathModel(store.survey, model, { scale: [1, 10], scaling: { sat1: 'ordinal', sat2: 'ordinal' } });
 * ordinal.nonMetric.quantifications.sat1.level; // 'ordinal'
 * ordinal.nonMetric.quantifications.sat1.values; // e.g. [-2.59, -2.59, -2.05, …], non-decreasing
 */
export function plsPathModel(survey: unknown, model: PathModel, options: PlsOptions = {}): PlsFit {
  options = knownOptions(options, PLS_PATH_MODEL_OPTION_NAMES, 'plsPathModel');
  const fn = 'plsPathModel';
  const table = asTable(survey);
  const checked = pathModel(model as never);
  const s = plsStructure(checked);
  const o = resolveOptions(options, fn, s);
  checkIndicatorColumns(table, checked.blocks, fn);

  // Read every question once, then drop respondents as the missing-answer treatment says (imputing for 'mean').
  const { answers, missing } = treatMissingAnswers(readAnswers(table, checked, s, o.missing, fn), o.missing, s);
  const { rows, n, drops, raw } = answers;
  const scale = answerScale(answers, o.scale, fn);
  checkConstantAnswers(answers, fn);

  // Non-metric indicators: quantifications and weights estimated together over the rows (pls-nonmetric.ts).
  const keys = s.columns.map((c, k) => outerKey(c, checked.latent[s.blockOf[k]], s.columns, k));
  if (o.levels && o.missing !== 'listwise' && missing.total > 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scaling (ordinal or nominal questions) needs complete answers, but missing is '${o.missing}' and ${missing.total} answers are missing; use missing: 'listwise' with scaling, or leave scaling out`,
    );
  }
  const nonMetric = o.levels && nonMetricOuterWeights(raw, s, o.levels, o, keys, fn);
  const report: DropReport = {
    rows,
    kept: n,
    dropped: { ...drops.counts },
    firstRow: { ...drops.first },
    total: drops.total,
  };
  if (o.missing === 'available' && missing.total > 0)
    return availableCaseModel(table, answers, { checked, s, o, report, missing, scale, fn });

  // Fit from the moments of the kept answers: the one path shared with the SQL engines (plsFitOfMoments).
  const { means, cov } = covarianceOf(raw);
  const moments = { n, means, cov, rows: report };
  const { fit, estimates } = fitFromMoments(checked, s, o, moments, scale, fn, missing, nonMetric);
  const { scores, indexScores } = scoreTables(table, answers, s, checked.latent, estimates, o, scale, fn, nonMetric);
  const whole: PlsFit = { ...fit, scores, indexScores };
  if (nonMetric && o.levels)
    (whole as { nonMetric?: PlsNonMetric }).nonMetric = nonMetricSummary(nonMetric, o.levels, keys, s, checked.latent);
  if (o.bootstrap > 0) {
    // A resample is a vector of row multiplicities: its covariance matrix needs no copy of the rows.
    const rng = randomSource(o.seed);
    const counts = new Int32Array(n);
    const resample = (): ReplicateMoments | undefined => {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[rng.int(n)]++;
      if (o.levels) return nonMetricReplicate(raw, counts, s, o.levels, o, keys, fn);
      return { n, cov: covarianceOf(raw, counts).cov };
    };
    const refit = () => refitMoments(resample(), s, o);
    (whole as { bootstrap?: PlsBootstrap }).bootstrap = bootstrapFit(refit, s, checked, estimates.core, o, fn);
  }
  return Object.freeze(whole);
}

/** What the available-case fit needs besides the answers. */
interface AvailableContext {
  readonly checked: PathModel;
  readonly s: PlsStructure;
  readonly o: ResolvedOptions;
  readonly report: DropReport;
  readonly missing: PlsMissingReport;
  readonly scale: readonly [number, number];
  readonly fn: string;
}

/**
 * The available-case fit (`missing: 'available'` with some answer missing; see {@link availableCaseFit}): the
 * weights and scores from the answers present, the ACSI index weights from the same estimation on the centred
 * answers, each respondent's index score from the questions they answered (weights rescaled to sum 1 over them),
 * reliability from the pairwise correlations of the answers, and the bootstrap refitting each resample of
 * respondents.
 */
function availableCaseModel(table: Table, answers: PlsAnswers, c: AvailableContext): PlsFit {
  const { checked, s, o, fn } = c;
  const { n, raw } = answers;
  const latent = checked.latent;
  const control = { scheme: o.scheme, scaled: o.scaled, tolerance: o.tolerance, maxIterations: o.maxIterations, fn };
  if (o.consistent) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option consistent (PLSc) needs the indicators' correlation matrix of complete answers, but missing is 'available' and ${c.missing.total} answers are missing; use missing: 'listwise' or 'mean' with consistent`,
    );
  }
  const correlation = pairwiseCorrelationMatrix(raw);
  const fitted = availableCaseFit(raw, n, s, control, latent);
  const core: CoreFit = { ...fitted, rhoA: blockRhoA(correlation, s, fitted.weights, answerSds(raw, o.scaled)) };
  if (!core.converged && !o.allowNonConvergence) throw notConverged(o, fn);
  const unscaled = o.scaled ? availableCaseFit(raw, n, s, { ...control, scaled: false }, latent) : core;
  const indexWeights = blockShares(unscaled.weights, s);
  const index: Record<string, number> = nullRecord();
  const indexColumns: Float64Array[] = [];
  for (let j = 0; j < s.m; j++) {
    const values = availableIndexScores(raw, indexWeights, s.blockStart[j], s.blockStart[j + 1], c.scale);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i];
    index[latent[j]] = sum / n;
    indexColumns.push(values);
  }
  const fit = assembleFit(checked, s, o, { core, correlation, indexWeights, index }, { ...c, n });
  const tables = scoreTablesOf(table, answers, latent, { scores: fitted.scores, index: indexColumns }, o, fn);
  const whole: PlsFit = { ...fit, ...tables };
  if (o.bootstrap > 0) {
    const rng = randomSource(o.seed);
    const columns = raw.map(() => new Float64Array(n));
    const refit = (): CoreFit | undefined => {
      for (let i = 0; i < n; i++) {
        const from = rng.int(n);
        for (let k = 0; k < s.p; k++) columns[k][i] = raw[k][from];
      }
      try {
        const replicate = availableCaseFit(columns, n, s, control, latent);
        const good = replicate.converged && replicate.weights.every(Number.isFinite);
        return good ? { ...replicate, rhoA: core.rhoA } : undefined; // the bootstrap reads no ρ_A
      } catch {
        return undefined; // a resample without two complete answers to a block cannot be fitted
      }
    };
    (whole as { bootstrap?: PlsBootstrap }).bootstrap = bootstrapFit(refit, s, checked, core, o, fn);
  }
  return Object.freeze(whole);
}

/** Standard deviation (divisor n) of each slot over the answers present; 1s for standardised indicators. */
function answerSds(raw: readonly Float64Array[], scaled: boolean): Float64Array {
  const sd = new Float64Array(raw.length).fill(1);
  if (scaled) return sd;
  raw.forEach((values, k) => {
    let count = 0;
    let sum = 0;
    let squares = 0;
    for (const v of values) {
      if (v !== v) continue;
      count++;
      sum += v;
      squares += v * v;
    }
    const mean = sum / count;
    sd[k] = Math.sqrt(Math.max(0, squares / count - mean * mean));
  });
  return sd;
}

/** The missing answers by question column and, for `'mean'`, the answers with each one imputed (copies). */
function treatMissingAnswers(
  answers: PlsAnswers,
  treatment: MissingTreatment,
  s: PlsStructure,
): { answers: PlsAnswers; missing: PlsMissingReport } {
  const { unique, compact } = answers;
  const columns = unique.map((c) => compact.get(c)!);
  if (treatment === 'listwise')
    return { answers, missing: missingReport(treatment, unique, new Int32Array(unique.length)) };
  const { imputed, counts } = imputeMeans(columns);
  const missing = missingReport(treatment, unique, counts);
  if (treatment === 'available' || missing.total === 0) return { answers, missing };
  const filled = new Map(unique.map((c, u) => [c, imputed[u]]));
  return { answers: { ...answers, compact: filled, raw: s.columns.map((c) => filled.get(c)!) }, missing };
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
  /** Non-metric: the replicate's own weights (its `cov` is that of its quantified indicators). */
  readonly given?: NonMetricEstimate;
}

/** A fit from moments alone: every field of {@link PlsFit} but the per-respondent score tables. */
export type PlsMomentFit = Omit<PlsFit, 'scores' | 'indexScores'>;

/** Checks plsPathModel's options without fitting (for a driver that runs statements first). @throws {ClienteleError} `INVALID_OPTION`, `LIMIT_EXCEEDED` */
export function checkPlsOptions(options: PlsOptions, fn: string): void {
  const { missing } = resolveOptions(options, fn);
  if (missing !== 'listwise') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option missing must be 'listwise' here, as the fit reads only the moments of the complete answers (found '${missing}'); impute the answers in the engine first, or read the survey and call plsPathModel`,
    );
  }
}

/** Non-metric PLS needs the rows (its quantifications are category means of the scores): refused on moments. */
function refuseScaling(options: PlsOptions, s: PlsStructure, fn: string): void {
  if (options.scaling === undefined || !resolveScaling(options.scaling, s, fn)) return;
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option scaling declares ordinal or nominal indicators (found ${describeValue(options.scaling)}), whose quantifications need every respondent's answers, not their moments; fit the model with plsPathModel on the rows`,
  );
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
  refuseScaling(options, s, fn);
  checkRespondentCount(moments.n, moments.rows.rows, moments.rows.total, moments.rows.firstRow, s, fn);
  const scale = scaleOfRanges(checked.latent, s, moments, o.scale, fn);
  const { fit, estimates } = fitFromMoments(checked, s, o, moments, scale, fn);
  if (o.bootstrap > 0 && replicate) {
    let b = 0;
    const next = () => refitMoments(replicate(b++), s, o);
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
  missing: PlsMissingReport = missingReport('listwise', [...new Set(s.columns)], new Int32Array(s.p)),
  nonMetric?: NonMetricEstimate,
): { fit: PlsMomentFit; estimates: PlsEstimates } {
  const { m } = s;
  const { n } = moments;
  // Fit: weights, paths and loadings; the index weights from the unstandardised indicators.
  const estimates = estimateModel(moments.means, moments.cov, n, s, checked.latent, o, fn, nonMetric);
  // The index of a construct is the mean of its respondents' index scores, 100 (Σ w̃_k x_k − min)/(max − min),
  // which is the same affine map of the weighted mean answer Σ w̃_k x̄_k.
  const index: Record<string, number> = nullRecord();
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) mean += estimates.indexWeights[k] * moments.means[k];
    index[checked.latent[j]] = (100 * (mean - scale[0])) / (scale[1] - scale[0]);
  }
  const fit = assembleFit(checked, s, o, { ...estimates, index }, { n, report: moments.rows, missing, scale });
  return { fit, estimates };
}

/** The frozen fit from its estimates: inner and outer results, reliability, effects, index, row and missing reports. */
function assembleFit(
  checked: PathModel,
  s: PlsStructure,
  o: ResolvedOptions,
  estimates: {
    readonly core: CoreFit;
    readonly correlation: Float64Array;
    readonly indexWeights: Float64Array;
    readonly index: Record<string, number>;
  },
  context: {
    readonly n: number;
    readonly report: DropReport;
    readonly missing: PlsMissingReport;
    readonly scale: readonly [number, number];
  },
): PlsMomentFit {
  const { m } = s;
  const { n, report: rows, scale } = context;
  const { core } = estimates;
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
  return {
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
    index: Object.freeze(estimates.index),
    missing: context.missing,
    ...(core.consistent ? { consistent: consistentReport(latent, core.consistent, 'plsPathModel') } : {}),
  };
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

/**
 * Reads every question of the model once, drops and counts the respondents the missing-answer treatment cannot
 * use (see dropMissingAnswers), keeps the rest (with NaN for a missing answer unless `'listwise'`).
 */
function readAnswers(
  table: Table,
  checked: PathModel,
  s: PlsStructure,
  treatment: MissingTreatment,
  fn: string,
): PlsAnswers {
  const unique = [...new Set(s.columns)];
  const rawByName = new Map<string, Float64Array>();
  const blockOfColumn = new Map<string, string>();
  checked.latent.forEach((lv) => checked.blocks[lv].forEach((c) => blockOfColumn.has(c) || blockOfColumn.set(c, lv)));
  for (const name of unique)
    rawByName.set(name, readNumeric(table, name, fn, `blocks.${blockOfColumn.get(name)}`).values);
  const rows = table.numRows;
  const { keep, drops } =
    treatment === 'listwise'
      ? dropMissingAnswers(
          unique.map((name) => rawByName.get(name)!),
          rows,
        )
      : dropUnusableAnswers(unique, rawByName, rows, treatment === 'available' ? s : undefined);
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
 * Listwise deletion, the one rule of every PLS analysis: marks the respondents with a null or NaN answer in any of
 * `columns` (`missingAnswer`) or an infinite one (`invalidValue`, the admission policy of table/admission.ts) and
 * counts them, a respondent with both under `missingAnswer`.
 */
export function dropMissingAnswers(
  columns: readonly Float64Array[],
  rows: number,
): { keep: Uint8Array; drops: DropCounter } {
  const drops = new DropCounter();
  const keep = new Uint8Array(rows).fill(1);
  const missing = new Uint8Array(rows);
  for (const values of columns) {
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

/**
 * The drops of `'mean'` and `'available'`: a respondent with an infinite answer (`invalidValue`, the admission
 * policy) and, for `'available'` (`s` given), one who answered no question of some block, whose score on it
 * cannot be estimated (`missingAnswer`; plspm's scores would be NaN and its fit fail).
 */
function dropUnusableAnswers(
  unique: readonly string[],
  rawByName: ReadonlyMap<string, Float64Array>,
  rows: number,
  s: PlsStructure | undefined,
): { keep: Uint8Array; drops: DropCounter } {
  const drops = new DropCounter();
  const keep = new Uint8Array(rows).fill(1);
  for (const name of unique) {
    const values = rawByName.get(name)!;
    for (let i = 0; i < rows; i++) if (!isAdmissible(values[i]) && values[i] === values[i]) keep[i] = 0;
  }
  const unanswered = new Uint8Array(rows);
  if (s) {
    const answered = new Uint8Array(rows);
    for (let j = 0; j < s.m; j++) {
      answered.fill(0);
      for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
        const values = rawByName.get(s.columns[k])!;
        for (let i = 0; i < rows; i++) if (values[i] === values[i]) answered[i] = 1;
      }
      for (let i = 0; i < rows; i++) if (!answered[i]) unanswered[i] = 1;
    }
  }
  for (let i = 0; i < rows; i++) {
    if (!keep[i]) drops.drop('invalidValue', i);
    else if (unanswered[i]) {
      keep[i] = 0;
      drops.drop('missingAnswer', i);
    }
  }
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
    // the first answer present (missing answers, NaN, are kept by 'available'), then any other answer present
    let first = 0;
    while (first < n - 1 && values[first] !== values[first]) first++;
    let constant = true;
    for (let k = first + 1; k < n && constant; k++)
      if (values[k] !== values[first] && values[k] === values[k]) constant = false;
    if (constant) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${name}" has the same answer (${values[first]}) for every respondent, so it measures nothing; remove it from block "${blockOfColumn.get(name)}"`,
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
  nonMetric?: NonMetricEstimate,
): PlsEstimates {
  const { p } = s;
  checkFiniteVariances(cov, s, fn);
  // non-metric: the fit (and the reliability) on the quantified indicators, with the loop's weights
  const correlation = nonMetric ? correlationOf(covarianceOf(nonMetric.quantified).cov, p) : correlationOf(cov, p);
  checkModeBBlocks(correlation, s, latent, fn);
  const core = fitCore(
    o.scaled ? correlation : cov,
    n,
    s,
    o.scheme,
    o.tolerance,
    o.maxIterations,
    o.consistent,
    nonMetric,
  );
  if (!core.converged && !o.allowNonConvergence) throw notConverged(o, fn);
  // ACSI index weights come from the unstandardised (centred) indicators.
  const unscaled = o.scaled ? estimateOuterWeights(cov, n, s, o.scheme, o.tolerance, o.maxIterations) : core;
  const indexWeights = blockShares(unscaled.weights, s);
  // answer codes of a nominal question are labels: its block has no index
  const nominal = nonMetric && o.levels ? nominalBlocks(o.levels, s) : [];
  for (let j = 0; j < s.m; j++) if (nominal[j]) indexWeights.fill(NaN, s.blockStart[j], s.blockStart[j + 1]);
  return { means, cov, correlation, core, indexWeights };
}

function notConverged(o: ResolvedOptions, fn: string): ClienteleError {
  return new ClienteleError(
    'NOT_CONVERGED',
    `${fn}: the outer weights did not converge in ${o.maxIterations} iterations (tolerance ${o.tolerance}); raise maxIterations, try scheme 'path' or 'factorial', or check blocks whose questions correlate weakly (see reliability)`,
  );
}

/** Each weight divided by its block's sum (the ACSI index weights). */
function blockShares(weights: Float64Array, s: PlsStructure): Float64Array {
  const shares = new Float64Array(s.p);
  for (let j = 0; j < s.m; j++) {
    let sum = 0;
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) sum += weights[k];
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) shares[k] = weights[k] / sum;
  }
  return shares;
}

/** The core fit of a bootstrap replicate's moments; undefined when it has a constant indicator or does not converge. */
function refitMoments(
  replicate: ReplicateMoments | undefined,
  s: PlsStructure,
  o: ResolvedOptions,
): CoreFit | undefined {
  if (replicate === undefined) return undefined;
  const { cov, n } = replicate;
  const { p } = s;
  for (let k = 0; k < p; k++) if (!(cov[k * p + k] > 0)) return undefined;
  const { given } = replicate;
  const matrix = o.scaled ? correlationOf(cov, p) : cov;
  const fit = fitCore(matrix, n, s, o.scheme, o.tolerance, o.maxIterations, o.consistent, given);
  return fit.converged ? fit : undefined;
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

/** The score and 0–100 index tables of the kept respondents (complete answers: scores X w). */
function scoreTables(
  table: Table,
  answers: PlsAnswers,
  s: PlsStructure,
  latent: readonly string[],
  estimates: PlsEstimates,
  o: ResolvedOptions,
  scale: readonly [number, number],
  fn: string,
  nonMetric?: NonMetricEstimate,
): { scores: Table; indexScores: Table } {
  const { m, p } = s;
  const { n, raw } = answers;
  const { core, cov, means, indexWeights } = estimates;
  const span = scale[1] - scale[0];
  const scores: Float64Array[] = [];
  const index: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const score = new Float64Array(n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
      // non-metric: Σ w_k x̂_k over the quantified (standardised) indicators
      const w = nonMetric ? core.weights[k] : core.weights[k] / (o.scaled ? Math.sqrt(cov[k * p + k]) : 1);
      const mean = nonMetric ? 0 : means[k];
      const x = nonMetric ? nonMetric.quantified[k] : raw[k];
      for (let i = 0; i < n; i++) score[i] += w * (x[i] - mean);
    }
    scores.push(score);
    const values = new Float64Array(n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
      const w = indexWeights[k];
      const x = raw[k];
      for (let i = 0; i < n; i++) values[i] += w * x[i];
    }
    for (let i = 0; i < n; i++) values[i] = (100 * (values[i] - scale[0])) / span;
    index.push(values);
  }
  return scoreTablesOf(table, answers, latent, { scores, index }, o, fn);
}

/** The score and index tables: `row`, the key column if asked, one column per latent variable. */
function scoreTablesOf(
  table: Table,
  answers: PlsAnswers,
  latent: readonly string[],
  columns: { readonly scores: readonly Float64Array[]; readonly index: readonly Float64Array[] },
  o: ResolvedOptions,
  fn: string,
): { scores: Table; indexScores: Table } {
  const { keptRows, drops, rows } = answers;
  const keyVector = o.key === undefined ? null : takeVector(getColumn(table, o.key, fn, 'key'), keptRows);
  const scoreColumns: Record<string, Vector> = recordOf([['row', numberVector(keptRows)]]);
  const indexColumns: Record<string, Vector> = recordOf([['row', numberVector(keptRows)]]);
  if (keyVector && o.key !== undefined) {
    scoreColumns[o.key] = keyVector;
    indexColumns[o.key] = keyVector;
  }
  latent.forEach((lv, j) => {
    if (hasOwnKey(scoreColumns, lv)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: latent variable "${lv}" clashes with the score table's column of that name; rename the latent variable`,
      );
    }
    scoreColumns[lv] = numberVector(columns.scores[j]);
    indexColumns[lv] = numberVector(columns.index[j]);
  });
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
  missing: MissingTreatment;
  /** The measurement level of each slot when some indicator is ordinal or nominal (see pls-nonmetric.ts). */
  levels: Uint8Array | undefined;
  maxCategories: number;
  consistent: boolean;
}

/** The `missing` option, checked; `'listwise'` when not given. @throws {ClienteleError} `INVALID_OPTION` */
function missingTreatment(given: unknown, fn: string): MissingTreatment {
  const missing = given ?? 'listwise';
  if (missing !== 'listwise' && missing !== 'mean' && missing !== 'available') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option missing must be 'listwise', 'mean' or 'available' (found ${describeValue(missing)}${typeof missing === 'string' ? ` "${missing}"` : ''}); leave it out for 'listwise'`,
    );
  }
  return missing;
}

function resolveOptions(options: PlsOptions, fn: string, s?: PlsStructure): ResolvedOptions {
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
  const missing = missingTreatment(options.missing, fn);
  const { levels, maxCategories } = resolveNonMetricOptions(options, scaled, s, fn);
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
    missing,
    levels,
    maxCategories,
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
export interface CoreFit {
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
export function fitCore(
  cov: Float64Array,
  n: number,
  s: PlsStructure,
  scheme: InnerScheme,
  tolerance: number,
  maxIterations: number,
  consistent = false,
  given?: { weights: Float64Array; iterations: number; converged: boolean },
): CoreFit {
  const { m, p, blockStart } = s;
  const outer = given ?? estimateOuterWeights(cov, n, s, scheme, tolerance, maxIterations);
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
  refit: () => CoreFit | undefined,
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
  const { draws, good, failed } = drawBootstrap(refit, s, o, { pathIndex, endogenous, order, totalPairs });
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

/** Refits the model on `o.bootstrap` resamples; a resample `refit` cannot fit (undefined) fails. */
function drawBootstrap(
  refit: () => CoreFit | undefined,
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
    const fit = refit();
    if (fit === undefined) {
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
