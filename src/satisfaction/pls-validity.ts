import { inverse, Matrix } from 'ml-matrix';
import {
  asTable,
  checkOptions,
  ClienteleError,
  describeValue,
  integerRule,
  knownOptions,
  nullRecord,
  oneOfRule,
  optionNames,
  readNumeric,
} from '../table/internal';
import { pathModel } from './path-model';
import type { PathModel } from './path-model';
import { correlationOf, covarianceOf, plsStructure, regressOnCorrelations } from './pls-estimate';
import type { PlsStructure } from './pls-estimate';
import { bootstrapHtmt, htmtOf } from './pls-htmt';
import { bootstrapEstimate, outerKey, plsPathModel } from './pls-path-model';
import type { BootstrapEstimate, PlsFit, PlsOptions } from './pls-path-model';

/** Options of {@link plsValidity}. */
export interface PlsValidityOptions {
  /** Bootstrap resamples of the HTMT (percentile intervals); 0 (default) for none. */
  bootstrap?: number;
  /** Most resamples before the call stops with `LIMIT_EXCEEDED`. Default 100,000. */
  maxBootstrap?: number;
  /** Seed of the bootstrap resampling. Default 1. */
  seed?: number;
  /** Coverage of the bootstrap percentile intervals. Default 0.95. */
  confidence?: number;
  /**
   * How f² finds the R² without a predictor: `'inner'` (default) regresses the endogenous construct on its other
   * predictors with the fit's own construct correlations; `'refit'` re-estimates the whole model without the path
   * (weights included), as seminr's `fSquare`.
   */
  fSquare?: 'inner' | 'refit';
  /**
   * The plsPathModel options of the refits of `fSquare: 'refit'`. Default: the fit's scheme, scaling, answer scale
   * and consistency; pass the fit's own options when it used others (tolerance, maxIterations …).
   */
  fitOptions?: PlsOptions;
}

/** The HTMT of one pair of constructs. */
export interface HtmtPair {
  readonly from: string;
  readonly to: string;
  /** Heterotrait–monotrait ratio (arithmetic means of absolute correlations). */
  readonly htmt: number;
  /** HTMT2: geometric means of the absolute correlations (NaN when two indicators of one block are uncorrelated). */
  readonly htmt2: number;
  /** Present with `bootstrap` > 0: the resampled HTMT's mean, standard error and percentile interval. */
  readonly bootstrap?: BootstrapEstimate;
}

/** What {@link plsValidity} returns; frozen. */
export interface PlsValidity {
  /** Respondents the figures are computed on: the rows the fit kept. */
  readonly respondents: number;
  /** Every pair of constructs, in the model's order. */
  readonly htmt: readonly HtmtPair[];
  /** Present with `bootstrap` > 0. */
  readonly htmtBootstrap?: { readonly resamples: number; readonly failed: number; readonly confidence: number };
  /** Fornell–Larcker table: √AVE on the diagonal, construct correlations off it, `fornellLarcker[lv][lv]`. */
  readonly fornellLarcker: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** VIF of each indicator on the other indicators of its block (1 for a single indicator), `vifItems[lv][indicator]`. */
  readonly vifItems: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** VIF of each antecedent of an endogenous construct (1 for a sole antecedent), `vifAntecedents[to][from]`. */
  readonly vifAntecedents: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Cohen's f² of every path, `fSquare[from][to]`. */
  readonly fSquare: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly fSquareMethod: 'inner' | 'refit';
  /** Degenerate figures: a collinear block or antecedent set (infinite VIF), failed resamples, an undefined HTMT2. */
  readonly warnings: readonly string[];
}

/** A rule of table/options.ts (its type is not exported). */
type NumberRule = ReturnType<typeof integerRule>;

const CONFIDENCE: NumberRule = Object.freeze({
  expected: 'a number in (0, 1)',
  test: (v: unknown) => typeof v === 'number' && v > 0 && v < 1,
  fallback: 0.95,
  fix: 'e.g. 0.95',
});

const PLS_VALIDITY_SPEC = Object.freeze({
  bootstrap: integerRule(0, Infinity, 0, '500–1000 resamples are usual; leave it out for none'),
  maxBootstrap: Object.freeze({
    expected: 'an integer ≥ 0 or Infinity',
    test: (v: unknown) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0),
    fallback: 100_000,
    fix: 'leave it out for 100000',
  }) as NumberRule,
  seed: integerRule(0, Infinity, 1),
  confidence: CONFIDENCE,
  fSquare: oneOfRule(['inner', 'refit'] as const, 'inner'),
});

/** The options plsValidity takes; every other name is refused with a did-you-mean. */
const PLS_VALIDITY_OPTION_NAMES = optionNames<PlsValidityOptions>({
  bootstrap: true,
  maxBootstrap: true,
  seed: true,
  confidence: true,
  fSquare: true,
  fitOptions: true,
});

/**
 * The validity diagnostics of a PLS path model fit: discriminant validity by HTMT (with bootstrap intervals) and
 * the Fornell–Larcker criterion, collinearity by the VIF of the outer (indicator) and inner (antecedent) models, and
 * Cohen's f² effect size of every path — the measurement- and structural-model checks of Hair et al. (2022), "A
 * Primer on PLS-SEM", chapters 4–6, as seminr's `summary()` reports them.
 *
 * Analysts read it before trusting a fit: HTMT below 0.85–0.90 (and a bootstrap upper bound below 1) says two
 * constructs are distinct; a √AVE above the construct's correlations says the same by Fornell & Larcker (1981);
 * a VIF above 3–5 flags collinear indicators of a formative block or collinear drivers of a construct; f² of 0.02,
 * 0.15, 0.35 are small, medium and large effects (Cohen 1988).
 *
 * - HTMT and HTMT2 of every pair of blocks from the indicators' correlations (see `htmtOf`); the bootstrap
 *   resamples the respondents and recomputes only the correlations (no refit), percentile intervals as R's
 *   quantile type 7;
 * - Fornell–Larcker: √AVE (mean squared loading of the block, the fit's loadings: the consistent ones for a
 *   consistent fit) against the construct correlations — the scores' correlations, or the disattenuated ones of a
 *   consistent fit (seminr keeps the scores' correlations there);
 * - VIF of indicator k in its block: (R_bb⁻¹)_kk = 1/(1 − R²_k) for R_bb the block's indicator correlations, for
 *   every block (seminr's `vif_items`); VIF of antecedent a of construct j: (R_PP⁻¹)_aa over the construct
 *   correlations of j's antecedents P;
 * - f² of path a → j: (R²_incl − R²_excl)/(1 − R²_incl), R²_excl from the regression of j on P ∖ {a} (`'inner'`)
 *   or from a refit of the model without the path (`'refit'`, seminr's `fSquare`), 0 when a was j's only antecedent.
 *
 * The survey is needed because the fit keeps neither the answers nor their correlations: the figures are
 * computed on the respondents the fit kept (its scores' `row`), and the bootstrap resamples them.
 *
 * Cost: O(n · p²) for the correlations, O(B · n · p²) for B resamples, one model fit per path for `'refit'`.
 *
 * @param survey the table the fit was estimated on
 * @param fit a {@link plsPathModel} fit of it
 * @param options bootstrap resamples (default 0), seed (1), confidence (0.95), fSquare (`'inner'`), fitOptions
 * @throws {ClienteleError} `INVALID_OPTION` (a bad option, or `fit` not a plsPathModel fit), `INVALID_INPUT` (the
 *   survey has fewer rows than the fit used), `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_VALUE` (a missing answer
 *   in a row the fit kept), `LIMIT_EXCEEDED` (bootstrap above maxBootstrap)
 * @example
 * const store = sampleStore({ customers: 400, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const fit = plsPathModel(store.survey, model, { scale: [1, 10] });
 * const v = plsValidity(store.survey, fit, { bootstrap: 50, seed: 3 });
 * v.htmt.length; // 15
 * const first = v.htmt[0]; // expectations and quality
 * first.bootstrap.lower <= first.htmt && first.htmt <= first.bootstrap.upper; // true
 * v.vifItems.quality.qual1 >= 1; // true
 */
export function plsValidity(survey: unknown, fit: PlsFit, options: PlsValidityOptions = {}): PlsValidity {
  options = knownOptions(options, PLS_VALIDITY_OPTION_NAMES, 'plsValidity');
  const fn = 'plsValidity';
  const o = checkOptions(options, PLS_VALIDITY_SPEC, fn);
  if (o.bootstrap === 1)
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option bootstrap must be 0 or at least 2 resamples (found 1); 500–1000 is usual`,
    );
  if (o.bootstrap > o.maxBootstrap)
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `${fn}: option bootstrap asks for ${o.bootstrap} resamples (found more than maxBootstrap = ${o.maxBootstrap}); lower bootstrap or raise maxBootstrap (Infinity lifts the limit)`,
    );
  checkFit(fit, fn);
  const model = pathModel(fit.model as never);
  const s = plsStructure(model);
  const raw = keptAnswers(survey, fit, s, fn);
  const warnings: string[] = [];

  const { cov } = covarianceOf(raw);
  const r = correlationOf(cov, s.p);
  const htmt = htmtPairs(r, s, model, warnings);
  let htmtBootstrap: PlsValidity['htmtBootstrap'];
  if (o.bootstrap > 0) {
    const { draws, good, failed } = bootstrapHtmt(raw, s, o.bootstrap, o.seed);
    if (failed > 0)
      warnings.push(`${fn}: ${failed} of ${o.bootstrap} resamples had a constant indicator and were left out`);
    const alpha = (1 - o.confidence) / 2;
    if (good >= 2) {
      htmt.forEach((pair, a) => {
        (pair as { bootstrap?: BootstrapEstimate }).bootstrap = bootstrapEstimate(pair.htmt, draws[a], good, alpha);
      });
    }
    htmtBootstrap = Object.freeze({ resamples: o.bootstrap, failed, confidence: o.confidence });
  }
  const correlation = constructCorrelations(fit, model);
  const fSquare =
    o.fSquare === 'inner'
      ? innerFSquare(fit, model, s, correlation)
      : refitFSquare(survey, fit, model, options.fitOptions, fn);
  return Object.freeze({
    respondents: raw[0].length,
    htmt: Object.freeze(htmt.map((pair) => Object.freeze(pair))),
    ...(htmtBootstrap ? { htmtBootstrap } : {}),
    fornellLarcker: fornellLarcker(fit, model, s, correlation),
    vifItems: itemVifs(r, model, s, warnings, fn),
    vifAntecedents: antecedentVifs(correlation, model, s, warnings, fn),
    fSquare,
    fSquareMethod: o.fSquare,
    warnings: Object.freeze(warnings),
  });
}

/** @throws {ClienteleError} `INVALID_OPTION` when `fit` is not a plsPathModel fit with its score table */
function checkFit(fit: PlsFit, fn: string): void {
  if (
    typeof fit !== 'object' ||
    fit === null ||
    typeof fit.model !== 'object' ||
    typeof fit.outer !== 'object' ||
    typeof fit.scores !== 'object' ||
    fit.scores === null ||
    typeof fit.scores.getChild !== 'function'
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the second argument must be a plsPathModel fit with its scores (found ${describeValue(fit)}); pass plsPathModel(survey, model)`,
    );
  }
}

/** The answers of the rows the fit kept (its scores' `row`), by indicator slot. */
function keptAnswers(survey: unknown, fit: PlsFit, s: PlsStructure, fn: string): Float64Array[] {
  const table = asTable(survey);
  const rows = readNumeric(fit.scores, 'row', fn, 'fit.scores').values;
  const n = rows.length;
  let last = -1;
  for (let i = 0; i < n; i++) last = Math.max(last, rows[i]);
  if (last >= table.numRows) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the fit used row ${last} but the survey has ${table.numRows} rows (found a different table); pass the survey the fit was estimated on`,
    );
  }
  const byName = new Map<string, Float64Array>();
  return s.columns.map((name, k) => {
    const cached = byName.get(name);
    if (cached) return cached;
    const values = readNumeric(table, name, fn, `fit.model.blocks.${fit.model.latent[s.blockOf[k]]}`).values;
    const kept = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[rows[i]];
      if (!Number.isFinite(v)) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: column "${name}" has no finite answer at row ${rows[i]}, a row the fit kept (found ${v}); impute the answers before fitting, or pass the survey the fit was estimated on`,
          { column: name, row: rows[i] },
        );
      }
      kept[i] = v;
    }
    byName.set(name, kept);
    return kept;
  });
}

function htmtPairs(r: Float64Array, s: PlsStructure, model: PathModel, warnings: string[]): HtmtPair[] {
  const { m } = s;
  const values = new Float64Array(m * (m - 1));
  htmtOf(r, s, values);
  const pairs: HtmtPair[] = [];
  let undefinedHtmt2 = 0;
  for (let i = 0, a = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++, a++) {
      if (Number.isNaN(values[2 * a + 1])) undefinedHtmt2++;
      pairs.push({ from: model.latent[i], to: model.latent[j], htmt: values[2 * a], htmt2: values[2 * a + 1] });
    }
  }
  if (undefinedHtmt2 > 0)
    warnings.push(
      `plsValidity: HTMT2 is undefined (NaN) for ${undefinedHtmt2} pairs, a block of which has two uncorrelated indicators (found a correlation of 0); read HTMT, or check the block`,
    );
  return pairs;
}

/** The construct correlations the fit's paths rest on (m × m): the disattenuated ones of a consistent fit, else the scores'. */
function constructCorrelations(fit: PlsFit, model: PathModel): Float64Array {
  const latent = model.latent;
  const m = latent.length;
  if (fit.consistent) {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) out[i * m + j] = fit.consistent.correlations[latent[i]][latent[j]];
    return out;
  }
  const scores = latent.map((lv) => readNumeric(fit.scores, lv, 'plsValidity', 'fit.scores').values);
  return correlationOf(covarianceOf(scores).cov, m);
}

function fornellLarcker(fit: PlsFit, model: PathModel, s: PlsStructure, correlation: Float64Array) {
  const latent = model.latent;
  const m = latent.length;
  const table: Record<string, Readonly<Record<string, number>>> = nullRecord();
  for (let i = 0; i < m; i++) {
    let sum = 0;
    for (let k = s.blockStart[i]; k < s.blockStart[i + 1]; k++) {
      const loading = fit.outer[outerKey(s.columns[k], latent[i], s.columns, k)].loading;
      sum += loading * loading;
    }
    const row: Record<string, number> = nullRecord();
    for (let j = 0; j < m; j++)
      row[latent[j]] = i === j ? Math.sqrt(sum / (s.blockStart[i + 1] - s.blockStart[i])) : correlation[i * m + j];
    table[latent[i]] = Object.freeze(row);
  }
  return Object.freeze(table);
}

/** Diagonal of the inverse of the sub-matrix of r (size × size, row-major) on `index`: each variable's VIF among them. */
function vifsOf(r: Float64Array, size: number, index: readonly number[]): number[] {
  if (index.length === 1) return [1];
  const sub = new Matrix(index.length, index.length);
  index.forEach((u, a) => index.forEach((v, b) => sub.set(a, b, r[u * size + v])));
  let inv: Matrix;
  try {
    inv = inverse(sub);
  } catch {
    return index.map(() => Infinity);
  }
  return index.map((_, a) => {
    const v = inv.get(a, a);
    return Number.isFinite(v) && v > 0 ? v : Infinity;
  });
}

function itemVifs(r: Float64Array, model: PathModel, s: PlsStructure, warnings: string[], fn: string) {
  const out: Record<string, Readonly<Record<string, number>>> = nullRecord();
  model.latent.forEach((lv, j) => {
    const slots: number[] = [];
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) slots.push(k);
    const vifs = vifsOf(r, s.p, slots);
    const row: Record<string, number> = nullRecord();
    slots.forEach((k, a) => (row[s.columns[k]] = vifs[a]));
    if (vifs.some((v) => v === Infinity))
      warnings.push(
        `${fn}: block "${lv}" has collinear indicators (infinite VIF); drop one of the questions that repeat another`,
      );
    out[lv] = Object.freeze(row);
  });
  return Object.freeze(out);
}

function antecedentVifs(correlation: Float64Array, model: PathModel, s: PlsStructure, warnings: string[], fn: string) {
  const out: Record<string, Readonly<Record<string, number>>> = nullRecord();
  model.latent.forEach((lv, j) => {
    const pred = s.predecessors[j];
    if (pred.length === 0) return;
    const vifs = vifsOf(correlation, s.m, pred);
    const row: Record<string, number> = nullRecord();
    pred.forEach((i, a) => (row[model.latent[i]] = vifs[a]));
    if (vifs.some((v) => v === Infinity))
      warnings.push(`${fn}: the antecedents of "${lv}" are collinear (infinite VIF); its paths are not identified`);
    out[lv] = Object.freeze(row);
  });
  return Object.freeze(out);
}

/** R² of construct `target` on `predictors` from the correlation matrix r (m × m); 0 without predictors. */
function rSquaredOn(r: Float64Array, m: number, predictors: readonly number[], target: number): number {
  if (predictors.length === 0) return 0;
  const beta = regressOnCorrelations(r, m, predictors, target);
  let r2 = 0;
  predictors.forEach((i, a) => (r2 += beta[a] * r[i * m + target]));
  return r2;
}

function innerFSquare(fit: PlsFit, model: PathModel, s: PlsStructure, correlation: Float64Array) {
  const latent = model.latent;
  const out: Record<string, Record<string, number>> = nullRecord();
  for (const [from, to] of model.paths) {
    const j = latent.indexOf(to);
    const a = latent.indexOf(from);
    const included = fit.rSquared[to];
    const excluded = rSquaredOn(
      correlation,
      s.m,
      s.predecessors[j].filter((i) => i !== a),
      j,
    );
    (out[from] ??= nullRecord())[to] = (included - excluded) / (1 - included);
  }
  return freezeRows(out);
}

/** f² with R²_excl from a refit of the model without each path (a block left on no path leaves the model). */
function refitFSquare(survey: unknown, fit: PlsFit, model: PathModel, given: PlsOptions | undefined, fn: string) {
  const options: PlsOptions = given ?? {
    scheme: fit.scheme,
    scaled: fit.scaled,
    scale: fit.scale,
    consistent: fit.consistent !== undefined,
  };
  const out: Record<string, Record<string, number>> = nullRecord();
  for (const [from, to] of model.paths) {
    const paths = model.paths.filter(([f, t]) => !(f === from && t === to));
    const onPath = new Set(paths.flat());
    const included = fit.rSquared[to];
    let excluded = 0;
    if (paths.some(([, t]) => t === to)) {
      const blocks: Record<string, readonly string[]> = nullRecord();
      const modes: Record<string, 'A' | 'B'> = nullRecord();
      for (const lv of model.latent) {
        if (!onPath.has(lv)) continue;
        blocks[lv] = model.blocks[lv];
        modes[lv] = model.modes[lv];
      }
      let reduced: PlsFit;
      try {
        reduced = plsPathModel(survey, pathModel({ blocks, paths, modes }), options);
      } catch (e) {
        if (e instanceof ClienteleError)
          throw new ClienteleError(
            e.code,
            `${fn}: the refit without the path ${from} → ${to} failed (${e.message}); use fSquare: 'inner'`,
          );
        throw e;
      }
      excluded = reduced.rSquared[to];
    }
    (out[from] ??= nullRecord())[to] = (included - excluded) / (1 - included);
  }
  return freezeRows(out);
}

function freezeRows(value: Record<string, Record<string, number>>) {
  for (const key of Object.keys(value)) Object.freeze(value[key]);
  return Object.freeze(value) as Readonly<Record<string, Readonly<Record<string, number>>>>;
}
