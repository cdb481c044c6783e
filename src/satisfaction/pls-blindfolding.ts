import type { DropReport } from '../table/internal';
import {
  asTable,
  ClienteleError,
  integerRule,
  knownOptions,
  nullRecord,
  optionNames,
  optionValue,
} from '../table/internal';
import { checkIndicatorColumns, pathModel } from './path-model';
import type { PathModel } from './path-model';
import { plsStructure } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';
import { fitForPrediction, predictConstructs, predictorOf, readModelAnswers } from './pls-fold-fit';
import type { ModelAnswers, RefitOptions } from './pls-fold-fit';

/** Options of {@link plsBlindfolding}. */
export interface PlsBlindfoldingOptions {
  /** Omission distance D: every D-th data point is left out in a round, D rounds in all. Default 7 (5–12 usual). */
  omissionDistance?: number;
  /** Inner weighting scheme of every refit. Default `'centroid'` (as plsPathModel). */
  scheme?: InnerScheme;
  /** Iteration limit of each refit. Default 100. */
  maxIterations?: number;
  /** Convergence tolerance of each refit. Default 1e-6. */
  tolerance?: number;
}

const PLS_BLINDFOLDING_OPTION_NAMES = optionNames<PlsBlindfoldingOptions>({
  omissionDistance: true,
  scheme: true,
  maxIterations: true,
  tolerance: true,
});

const OMISSION_DISTANCE = integerRule(2, 1000, 7, 'an omission distance from 5 to 12 is usual (Hair et al. 2017)');

/** Q² of one endogenous construct. */
export interface BlindfoldingConstruct {
  /** Stone–Geisser Q² by cross-validated redundancy: 1 − SSE / SSO. */
  readonly q2: number;
  /** Σ over the omitted data points of the squared prediction error, on the standardised scale. */
  readonly sse: number;
  /** Σ over the omitted data points of the squared standardised value (the error of predicting the mean). */
  readonly sso: number;
  /** Q² by cross-validated communality (the construct's own score predicts its indicators). */
  readonly q2Communality: number;
  readonly sseCommunality: number;
}

/** The result of {@link plsBlindfolding}; frozen. */
export interface PlsBlindfoldingResult {
  readonly omissionDistance: number;
  /** Respondents used (after listwise deletion). */
  readonly respondents: number;
  readonly rows: DropReport;
  /** By endogenous construct. */
  readonly constructs: Readonly<Record<string, BlindfoldingConstruct>>;
  /** A respondent count that is a multiple of D, and constructs with Q² ≤ 0 (no predictive relevance). */
  readonly warnings: readonly string[];
}

/**
 * Stone–Geisser Q² of each endogenous construct by blindfolding: the cross-validated redundancy of its indicators.
 *
 * Analysts read Q² > 0 as the model's predictive relevance for a construct (0.02, 0.15 and 0.35 as small, medium and
 * large, Hair et al. 2017), next to R².
 *
 * Procedure (Stone 1974; Geisser 1974; Chin 1998, §"Predictive relevance"; Hair, Hult, Ringle & Sarstedt 2017, A
 * Primer on PLS-SEM, 2nd ed., ch. 6): for each endogenous construct j, its indicators' n × q data points are
 * numbered down each indicator's column, indicator after indicator (c = a·n + i); round d = 0 … D − 1 omits the
 * points with c mod D = d, replaces each by the mean of its indicator's remaining answers (mean replacement,
 * SmartPLS's default), re-estimates the whole model on the completed data and predicts each omitted point from
 * the inner model: x̂ = x̄ + s λ ŷ_j with ŷ_j = Σ_i β_ij ξ_i over j's direct antecedents (redundancy), or ŷ_j = ξ_j,
 * its own score (communality). Errors are standardised with the indicator's mean and standard deviation
 * (divisor n) on the full data: SSE = Σ((x − x̂)/s)², SSO = Σ((x − x̄)/s)², Q² = 1 − SSE/SSO ≤ 1. Following Hair
 * et al., n should not be a multiple of D (each respondent would lose every indicator in one round); that case is
 * warned about.
 *
 * Cost: D refits per endogenous construct, each O(n · p²) for the moments.
 *
 * @param survey one row per respondent (anything `asTable` accepts); answers in numeric columns
 * @param model a {@link pathModel}, {@link acsiModel} or {@link ecsiModel}
 * @param options omissionDistance (7), scheme ('centroid'), maxIterations (100), tolerance (1e-6)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (D < 2, or D not below the respondent
 *   count), `INVALID_VALUE`, `NOT_CONVERGED` (a round's refit), `EMPTY_INPUT`
 * @example
 * const store = sampleStore({ customers: 200, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const q2 = plsBlindfolding(store.survey, model, { omissionDistance: 7 });
 * q2.constructs.satisfaction.q2 > 0; // true
 * q2.constructs.satisfaction.q2 <= 1; // true
 */
export function plsBlindfolding(
  survey: unknown,
  model: PathModel,
  options: PlsBlindfoldingOptions = {},
): PlsBlindfoldingResult {
  options = knownOptions(options, PLS_BLINDFOLDING_OPTION_NAMES, 'plsBlindfolding');
  const fn = 'plsBlindfolding';
  const table = asTable(survey);
  const checked = pathModel(model as never);
  const D = optionValue(options, 'omissionDistance', OMISSION_DISTANCE, fn);
  checkIndicatorColumns(table, checked.blocks, fn);
  const s = plsStructure(checked);
  const answers = readModelAnswers(table, checked, s, fn);
  const { n, values } = answers;
  if (n === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no respondent answered every question of the model (${answers.rows} rows); check the column mapping or impute the answers first`,
    );
  }
  if (D >= n) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option omissionDistance must be below the ${n} respondents (found ${D}); 7 is usual`,
    );
  }
  const refit = { scheme: options.scheme, maxIterations: options.maxIterations, tolerance: options.tolerance };
  // Full-data mean and standard deviation (divisor n) of every distinct column: the scale of SSE and SSO.
  const mean = values.map((x) => x.reduce((a, v) => a + v, 0) / n);
  const sd = values.map((x, c) => Math.sqrt(x.reduce((a, v) => a + (v - mean[c]) * (v - mean[c]), 0) / n));
  const constructs: Record<string, BlindfoldingConstruct> = nullRecord();
  const warnings: string[] = [];
  if (n % D === 0) {
    warnings.push(
      `${fn}: the ${n} respondents are a multiple of the omission distance ${D}, so each round omits every indicator of the same respondents (Hair et al. 2017 advise against it); choose a D that does not divide ${n}`,
    );
  }
  for (let j = 0; j < s.m; j++) {
    if (s.predecessors[j].length === 0) continue;
    const { sse, sso, sseCommunality } = blindfoldConstruct(j, checked, s, answers, { mean, sd }, D, refit, fn);
    const q2 = 1 - sse / sso;
    constructs[checked.latent[j]] = Object.freeze({
      q2,
      sse,
      sso,
      q2Communality: 1 - sseCommunality / sso,
      sseCommunality,
    });
    if (!(q2 > 0)) {
      warnings.push(
        `${fn}: construct "${checked.latent[j]}" has Q² ${q2.toPrecision(3)} ≤ 0: the model has no predictive relevance for it`,
      );
    }
  }
  return Object.freeze({
    omissionDistance: D,
    respondents: n,
    rows: answers.report,
    constructs: Object.freeze(constructs),
    warnings: Object.freeze(warnings),
  });
}

/** SSE (redundancy and communality) and SSO of construct j's indicators over the D rounds. */
function blindfoldConstruct(
  j: number,
  checked: PathModel,
  s: PlsStructure,
  answers: ModelAnswers,
  full: { readonly mean: readonly number[]; readonly sd: readonly number[] },
  D: number,
  refit: RefitOptions,
  fn: string,
): { sse: number; sso: number; sseCommunality: number } {
  const { n, values, slotColumn } = answers;
  const { mean, sd } = full;
  const predictor = predictorOf(checked, s, 'DA');
  const from = s.blockStart[j];
  const q = s.blockStart[j + 1] - from;
  let sse = 0;
  let sseCommunality = 0;
  let sso = 0;
  for (let d = 0; d < D; d++) {
    // Mean replacement of the round's omitted points, on copies of the block's columns.
    const completed = values.slice();
    for (let a = 0; a < q; a++) {
      const c = slotColumn[from + a];
      const x = (completed[c] = Float64Array.from(completed[c]));
      let sum = 0;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        if ((a * n + i) % D === d) continue;
        sum += x[i];
        kept++;
      }
      for (let i = 0; i < n; i++) if ((a * n + i) % D === d) x[i] = sum / kept;
    }
    const where = `construct "${checked.latent[j]}", round ${d + 1} of ${D}`;
    const fit = fitForPrediction(checked, s, answers, completed, undefined, refit, fn, where);
    for (let i = 0; i < n; i++) {
      let scored = false;
      for (let a = 0; a < q; a++) {
        if ((a * n + i) % D !== d) continue;
        if (!scored) predictConstructs(predictor, fit, s, slotColumn, completed, i);
        scored = true;
        const k = from + a;
        const c = slotColumn[k];
        const x = values[c][i];
        const scale = fit.sds[k] * fit.loadings[k];
        const redundancy = fit.means[k] + scale * predictor.eta[j];
        const communality = fit.means[k] + scale * predictor.xi[j];
        sse += ((x - redundancy) / sd[c]) ** 2;
        sseCommunality += ((x - communality) / sd[c]) ** 2;
        sso += ((x - mean[c]) / sd[c]) ** 2;
      }
    }
  }
  return { sse, sso, sseCommunality };
}
