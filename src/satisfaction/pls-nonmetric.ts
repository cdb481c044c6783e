import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ClienteleError, describeValue, isClienteleError, nullRecord } from '../table/internal';
import { covarianceOf } from './pls-estimate';
import { categoriesOf, categoryMeans, ordinalInPlace, standardiseInPlace } from './optimal-scaling';
import type { Categories } from './optimal-scaling';
import type { InnerScheme, PlsStructure } from './pls-estimate';

/**
 * How an indicator's answers are read by non-metric PLS (R plspm's `scaling`: `"num"`, `"ord"`, `"nom"`):
 * `'numeric'` as numbers (interval scale), `'ordinal'` as ordered categories whose distances are estimated,
 * `'nominal'` as unordered categories.
 */
export type MeasurementLevel = 'numeric' | 'ordinal' | 'nominal';

/** plsPathModel's `scaling`: one level for every indicator, or a level by indicator column (others numeric). */
export type PlsScaling = MeasurementLevel | Readonly<Record<string, MeasurementLevel>>;

/** The quantification non-metric PLS estimated for one ordinal or nominal indicator. */
export interface IndicatorQuantification {
  readonly level: 'ordinal' | 'nominal';
  /** The distinct answers (the categories), ascending. */
  readonly categories: readonly number[];
  /** The value each category takes in the fit (standardised: mean 0, variance 1 over the respondents). */
  readonly values: readonly number[];
  /** Respondents in each category. */
  readonly counts: readonly number[];
}

/** What non-metric PLS adds to a fit. */
export interface PlsNonMetric {
  /** The measurement level of every indicator, by indicator key (as `outer`). */
  readonly scaling: Readonly<Record<string, MeasurementLevel>>;
  /** The quantification of every ordinal and nominal indicator, by indicator key. */
  readonly quantifications: Readonly<Record<string, IndicatorQuantification>>;
  /** Notes on what the fit could not give (e.g. the index of a block with a nominal question). */
  readonly warnings: readonly string[];
}

/** Most categories an ordinal or nominal indicator may have unless `maxCategories` says otherwise. */
const DEFAULT_MAX_CATEGORIES = 20;

const NUMERIC = 0;
const ORDINAL = 1;
const NOMINAL = 2;
const LEVELS: readonly MeasurementLevel[] = ['numeric', 'ordinal', 'nominal'];

/**
 * The measurement level of each indicator slot (0 numeric, 1 ordinal, 2 nominal) from the `scaling` option, or
 * `undefined` when every indicator is numeric (the metric fit).
 *
 * @throws {ClienteleError} `INVALID_OPTION` for a level that is not one of the three or a column that is not an
 *   indicator of the model
 */
export function resolveScaling(scaling: unknown, s: PlsStructure, fn: string): Uint8Array | undefined {
  if (scaling === undefined) return undefined;
  const levelOf = (value: unknown, where: string): number => {
    const level = LEVELS.indexOf(value as MeasurementLevel);
    if (level < 0) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option scaling${where} must be 'numeric', 'ordinal' or 'nominal' (found ${describeValue(value)}); e.g. { sat1: 'ordinal' }`,
      );
    }
    return level;
  };
  const levels = new Uint8Array(s.p);
  if (typeof scaling === 'string') levels.fill(levelOf(scaling, ''));
  else if (typeof scaling === 'object' && scaling !== null && !Array.isArray(scaling)) {
    for (const column of Object.keys(scaling)) {
      if (!s.columns.includes(column)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option scaling names column "${column}", which is not an indicator of the model (found ${s.columns.length} indicators: ${s.columns.slice(0, 5).join(', ')}${s.columns.length > 5 ? ', …' : ''}); name indicator columns only`,
        );
      }
      const level = levelOf((scaling as Record<string, unknown>)[column], `.${column}`);
      s.columns.forEach((c, k) => c === column && (levels[k] = level));
    }
  } else {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scaling must be 'numeric', 'ordinal', 'nominal' or a record of them by indicator column (found ${describeValue(scaling)}); e.g. { sat1: 'ordinal', channel: 'nominal' }`,
    );
  }
  return levels.some((l) => l !== NUMERIC) ? levels : undefined;
}

/**
 * plsPathModel's non-metric options: the slots' measurement levels (undefined when all numeric, or without the
 * model's structure `s`) and `maxCategories`. Non-metric PLS standardises every indicator, so `scaled: false` is
 * refused with an ordinal or nominal indicator.
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function resolveNonMetricOptions(
  options: { readonly scaling?: unknown; readonly maxCategories?: unknown },
  scaled: boolean,
  s: PlsStructure | undefined,
  fn: string,
): { levels: Uint8Array | undefined; maxCategories: number } {
  const maxCategories = resolveMaxCategories(options.maxCategories, fn);
  const levels = s && resolveScaling(options.scaling, s, fn);
  if (levels && !scaled) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scaling declares ordinal or nominal indicators, which non-metric PLS fits on standardised indicators (found scaled: false); leave scaled at its default`,
    );
  }
  return { levels, maxCategories };
}

/** Checks the `maxCategories` option (an integer ≥ 2, default 20). @throws {ClienteleError} `INVALID_OPTION` */
function resolveMaxCategories(value: unknown, fn: string): number {
  if (value === undefined) return DEFAULT_MAX_CATEGORIES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxCategories must be an integer ≥ 2 (found ${describeValue(value)}); the default is ${DEFAULT_MAX_CATEGORIES}`,
    );
  }
  return value;
}

/** The outcome of the non-metric outer-weight loop. */
export interface NonMetricEstimate {
  /** Final outer weights: scores X̂ w of the quantified indicators have variance 1 (divisor n). */
  readonly weights: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** The quantified indicator slots (numeric ones standardised), each mean 0 and variance 1 (divisor n). */
  readonly quantified: Float64Array[];
  /** The categories of each ordinal or nominal slot (null for numeric ones). */
  readonly categories: readonly (Categories | null)[];
  /** The category values of each ordinal or nominal slot in the fit (null for numeric ones). */
  readonly values: readonly (Float64Array | null)[];
}

/** The iteration controls of the loop. */
export interface NonMetricControls {
  readonly scheme: InnerScheme;
  readonly tolerance: number;
  readonly maxIterations: number;
  readonly maxCategories: number;
}

/**
 * Non-metric PLS path modelling's outer weights and optimal quantifications, estimated together (Russolillo 2012,
 * "Non-metric partial least squares", Electronic Journal of Statistics 6, §4, Algorithm 1; as R plspm 0.5's
 * `get_weights_nonmetric`).
 *
 * Every indicator is standardised (mean 0, variance 1 with divisor n); an ordinal or nominal one starts as the rank
 * of its category, 1 … K. From unit-norm weights and outer estimates Y_j = X̂_j w_j, each iteration
 * 1. takes the inner weights e_ij from the outer estimates (centroid sign(cor), factorial cov with divisor n − 1,
 *    path: regression without intercept of Y_j on its predecessors, cor with its successors) and the inner
 *    estimates Z_j = Σ_i e_ij Y_i;
 * 2. quantifies each ordinal or nominal indicator of block j against Z_j (see optimal-scaling.ts), standardised;
 *    in a mode B block with several indicators the target of indicator k is its partial residual
 *    (Z_j − Σ_{l≠k} β_l x̂_l)/β_k, β from the regression (with intercept) of Z_j on the block before the update;
 * 3. updates the weights: mode A w_k = x̂_k'Z_j / Z_j'Z_j, mode B the least-squares coefficients of Z_j on the
 *    block; the outer estimate Y_j = X̂_j w_j is standardised;
 * 4. stops when Σ_ij (|Y_ij^old| − |Y_ij|)² < tolerance (on the scores, not the weights as the metric loop).
 * At the end the weights are divided by the standard deviation of their scores. The block's orientation is the
 * loop's own (plspm does not turn non-metric blocks round).
 *
 * Cost: O(iterations · n · (indicators + latent variables²)); the metric loop runs on the covariance matrix alone,
 * this one must run over the respondents because the quantifications depend on them.
 *
 * @param raw the kept answers by indicator slot (every answer finite, no slot constant)
 * @param levels the measurement level of each slot (0 numeric, 1 ordinal, 2 nominal)
 * @param keys the key of each slot in the fit's `outer` (for messages)
 * @throws {ClienteleError} `INVALID_VALUE` for an ordinal or nominal column with more than `maxCategories`
 *   categories, `NOT_IDENTIFIED` for a quantification that collapses to one value or a singular mode B block
 */
export function nonMetricOuterWeights(
  raw: readonly Float64Array[],
  s: PlsStructure,
  levels: Uint8Array,
  controls: NonMetricControls,
  keys: readonly string[],
  fn: string,
): NonMetricEstimate {
  const { m, p, blockStart, modeB } = s;
  const n = raw[0].length;
  const categories = raw.map((x, k) => (levels[k] === NUMERIC ? null : categoriesOf(x)));
  checkCategories(categories, s, keys, controls.maxCategories, fn);
  // Starting data: numeric slots standardised, categorical ones the rank of their category (not centred, as plspm).
  const qq = raw.map((x, k) => {
    const cats = categories[k];
    return cats ? Float64Array.from(cats.codes, (c) => c + 1) : standardised(x);
  });
  const values = categories.map((cats) => (cats ? new Float64Array(cats.values.length) : null));
  const w = new Float64Array(p);
  const y = startingScores(qq, s, w);
  const yOld = Array.from({ length: m }, () => new Float64Array(n));
  const z = Array.from({ length: m }, () => new Float64Array(n));
  const e = new Float64Array(m * m);
  const scratch = new Float64Array(n);
  const quantify = (k: number, target: Float64Array) => {
    const cats = categories[k]!;
    const v = categoryMeans(cats, target, values[k]!);
    if (levels[k] === ORDINAL) ordinalInPlace(v, cats.counts, new Float64Array(v.length));
    if (!standardiseInPlace(v, cats.counts)) {
      throw new ClienteleError(
        'NOT_IDENTIFIED',
        `${fn}: the ${LEVELS[levels[k]]} quantification of indicator "${keys[k]}" gives every category the same value (found ${v.length} categories), so the indicator measures nothing in the fit; declare it 'numeric' or remove it from its block`,
        { column: s.columns[k] },
      );
    }
    const out = qq[k];
    const codes = cats.codes;
    for (let i = 0; i < n; i++) out[i] = v[codes[i]];
  };
  let iterations = 0;
  let converged = false;
  while (true) {
    iterations++;
    for (let j = 0; j < m; j++) yOld[j].set(y[j]);
    innerWeights(y, s, controls.scheme, e);
    for (let j = 0; j < m; j++) {
      const zj = z[j].fill(0);
      for (let i = 0; i < m; i++) if (e[i * m + j] !== 0) axpy(e[i * m + j], y[i], zj);
    }
    for (let j = 0; j < m; j++) {
      const from = blockStart[j];
      const to = blockStart[j + 1];
      if (modeB[j] && to - from > 1) {
        const beta = slopes(qq, from, to, z[j], keys, fn);
        for (let k = from; k < to; k++) {
          if (levels[k] === NUMERIC) continue;
          scratch.set(z[j]);
          for (let l = from; l < to; l++) if (l !== k) axpy(-beta[l - from], qq[l], scratch);
          for (let i = 0; i < n; i++) scratch[i] /= beta[k - from];
          quantify(k, scratch);
        }
      } else {
        for (let k = from; k < to; k++) if (levels[k] !== NUMERIC) quantify(k, z[j]);
      }
      updateBlock(qq, from, to, z[j], modeB[j] === 1, w, y[j], keys, fn);
    }
    if (scoreChange(yOld, y) < controls.tolerance) {
      converged = true;
      break;
    }
    if (iterations >= controls.maxIterations) break;
  }
  standardiseWeights(qq, s, w, scratch);
  return { weights: w, iterations, converged, quantified: qq, categories, values };
}

/** Σ_ij (|Y_ij^old| − |Y_ij|)²: plspm's non-metric stopping rule, on the scores. */
function scoreChange(yOld: readonly Float64Array[], y: readonly Float64Array[]): number {
  let change = 0;
  for (let j = 0; j < y.length; j++) {
    const a = yOld[j];
    const b = y[j];
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]) - Math.abs(b[i]);
      change += d * d;
    }
  }
  return change;
}

/** Divides each block's weights by the standard deviation (divisor n) of its score X̂_j w_j, in place. */
function standardiseWeights(
  qq: readonly Float64Array[],
  s: PlsStructure,
  w: Float64Array,
  scratch: Float64Array,
): void {
  const { m, blockStart } = s;
  for (let j = 0; j < m; j++) {
    scratch.fill(0);
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) axpy(w[k], qq[k], scratch);
    const sd = Math.sqrt(variance(scratch));
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] /= sd;
  }
}

/**
 * A non-metric bootstrap replicate: the resampled rows (row i `counts[i]` times) quantified and weighted afresh, with
 * the covariance matrix of its quantified indicators; `undefined` (a failed replicate) when a resample cannot be
 * quantified (e.g. a question left with one answer).
 */
export function nonMetricReplicate(
  raw: readonly Float64Array[],
  counts: Int32Array,
  s: PlsStructure,
  levels: Uint8Array,
  controls: NonMetricControls,
  keys: readonly string[],
  fn: string,
): { n: number; cov: Float64Array; given: NonMetricEstimate } | undefined {
  const n = counts.length;
  const rows = new Int32Array(n);
  for (let i = 0, r = 0; i < n; i++) for (let c = 0; c < counts[i]; c++) rows[r++] = i;
  const resampled = raw.map((x) => Float64Array.from(rows, (i) => x[i]));
  try {
    const given = nonMetricOuterWeights(resampled, s, levels, controls, keys, fn);
    return { n, cov: covarianceOf(given.quantified).cov, given };
  } catch (error) {
    if (isClienteleError(error)) return undefined;
    throw error;
  }
}

/** Unit-norm starting weights (written into w) and the outer estimates X̂_j w_j they give (not standardised). */
function startingScores(qq: readonly Float64Array[], s: PlsStructure, w: Float64Array): Float64Array[] {
  const { m, blockStart } = s;
  const y = Array.from({ length: m }, () => new Float64Array(qq[0].length));
  for (let j = 0; j < m; j++) {
    const q = blockStart[j + 1] - blockStart[j];
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
      w[k] = 1 / Math.sqrt(q);
      axpy(w[k], qq[k], y[j]);
    }
  }
  return y;
}

/** The fit's `nonMetric` entry from the loop's outcome (keys as `outer`). */
export function nonMetricSummary(
  estimate: NonMetricEstimate,
  levels: Uint8Array,
  keys: readonly string[],
  s: PlsStructure,
  latent: readonly string[],
): PlsNonMetric {
  const scaling: Record<string, MeasurementLevel> = nullRecord();
  const quantifications: Record<string, IndicatorQuantification> = nullRecord();
  keys.forEach((key, k) => {
    scaling[key] = LEVELS[levels[k]];
    const cats = estimate.categories[k];
    if (!cats) return;
    quantifications[key] = Object.freeze({
      level: LEVELS[levels[k]] as 'ordinal' | 'nominal',
      categories: Object.freeze(Array.from(cats.values)),
      values: Object.freeze(Array.from(estimate.values[k]!)),
      counts: Object.freeze(Array.from(cats.counts)),
    });
  });
  const warnings = nominalBlocks(levels, s).flatMap((nominal, j) =>
    nominal
      ? [
          `index.${latent[j]} is NaN: block "${latent[j]}" has a nominal question, whose answer codes are labels, not points of the answer scale`,
        ]
      : [],
  );
  return Object.freeze({
    scaling: Object.freeze(scaling),
    quantifications: Object.freeze(quantifications),
    warnings: Object.freeze(warnings),
  });
}

/** 1 for each block with a nominal indicator (its 0–100 index is not defined). */
export function nominalBlocks(levels: Uint8Array, s: PlsStructure): boolean[] {
  const out: boolean[] = new Array<boolean>(s.m).fill(false);
  for (let k = 0; k < s.p; k++) if (levels[k] === NOMINAL) out[s.blockOf[k]] = true;
  return out;
}

/** Refuses an ordinal or nominal column with more categories than `maxCategories`. */
function checkCategories(
  categories: readonly (Categories | null)[],
  s: PlsStructure,
  keys: readonly string[],
  maxCategories: number,
  fn: string,
): void {
  categories.forEach((cats, k) => {
    if (cats && cats.values.length > maxCategories) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: indicator "${keys[k]}" is declared categorical but has ${cats.values.length} distinct answers (found more than maxCategories = ${maxCategories}); declare it 'numeric' in option scaling, or raise maxCategories if every answer is a category`,
        { column: s.columns[k] },
      );
    }
  });
}

/** Inner weights e (m × m, e[i * m + j] weighs Y_i in Z_j) from the outer estimates, as plspm's non-metric loop. */
function innerWeights(y: readonly Float64Array[], s: PlsStructure, scheme: InnerScheme, e: Float64Array): void {
  const { m, adjacent, predecessors } = s;
  const n = y[0].length;
  const means = y.map((v) => mean(v));
  const cov = new Float64Array(m * m); // divisor n − 1
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let sum = 0;
      const a = y[i];
      const b = y[j];
      for (let r = 0; r < n; r++) sum += (a[r] - means[i]) * (b[r] - means[j]);
      cov[i * m + j] = cov[j * m + i] = sum / (n - 1);
    }
  }
  const cor = (i: number, j: number) => cov[i * m + j] / Math.sqrt(cov[i * m + i] * cov[j * m + j]);
  e.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (!adjacent[i * m + j] && !adjacent[j * m + i]) continue;
      if (scheme === 'centroid') e[i * m + j] = Math.sign(cor(i, j));
      else if (scheme === 'factorial') e[i * m + j] = cov[i * m + j];
      else if (adjacent[j * m + i]) e[i * m + j] = cor(i, j); // i follows j
    }
  }
  if (scheme !== 'path') return;
  // i precedes j: coefficients of the regression of Y_j on its predecessors, without intercept.
  for (let j = 0; j < m; j++) {
    const pred = predecessors[j];
    if (pred.length === 0) continue;
    const q = pred.length;
    const gram = new Matrix(q, q);
    const rhs = new Matrix(q, 1);
    for (let a = 0; a < q; a++) {
      for (let b = a; b < q; b++) {
        const g = dot(y[pred[a]], y[pred[b]]);
        gram.set(a, b, g);
        gram.set(b, a, g);
      }
      rhs.set(a, 0, dot(y[pred[a]], y[j]));
    }
    const beta = new CholeskyDecomposition(gram).solve(rhs);
    for (let a = 0; a < q; a++) e[pred[a] * m + j] = beta.get(a, 0);
  }
}

/** Slopes of the least-squares regression, with intercept, of z on the block's quantified slots from … to − 1. */
function slopes(
  qq: readonly Float64Array[],
  from: number,
  to: number,
  z: Float64Array,
  keys: readonly string[],
  fn: string,
): Float64Array {
  const q = to - from;
  const centred = Array.from({ length: q }, (_, a) => centre(qq[from + a]));
  return solveNormal(centred, centre(z), keys.slice(from, to), fn);
}

/** New weights of one block (mode A covariance, mode B least squares) and its standardised outer estimate. */
function updateBlock(
  qq: readonly Float64Array[],
  from: number,
  to: number,
  z: Float64Array,
  modeB: boolean,
  w: Float64Array,
  y: Float64Array,
  keys: readonly string[],
  fn: string,
): void {
  if (modeB) {
    // the quantified slots are centred, so the regression without intercept is the centred one
    const beta = solveNormal(qq.slice(from, to), z, keys.slice(from, to), fn);
    for (let k = from; k < to; k++) w[k] = beta[k - from];
  } else {
    const zz = dot(z, z);
    for (let k = from; k < to; k++) w[k] = dot(qq[k], z) / zz;
  }
  y.fill(0);
  for (let k = from; k < to; k++) axpy(w[k], qq[k], y);
  const mu = mean(y);
  const sd = Math.sqrt(variance(y));
  for (let i = 0; i < y.length; i++) y[i] = (y[i] - mu) / sd;
}

/** Least-squares coefficients of t on the columns x (no intercept), by the normal equations. */
function solveNormal(x: readonly Float64Array[], t: Float64Array, keys: readonly string[], fn: string): Float64Array {
  const q = x.length;
  const gram = new Matrix(q, q);
  const rhs = new Matrix(q, 1);
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) {
      const g = dot(x[a], x[b]);
      gram.set(a, b, g);
      gram.set(b, a, g);
    }
    rhs.set(a, 0, dot(x[a], t));
  }
  const chol = new CholeskyDecomposition(gram);
  if (!chol.isPositiveDefinite()) {
    throw new ClienteleError(
      'NOT_IDENTIFIED',
      `${fn}: the quantified indicators ${keys.map((k) => `"${k}"`).join(', ')} of a mode B block are collinear (found a singular matrix), so the block's weights are not identified; declare one of them 'numeric', remove it, or make the block mode A`,
    );
  }
  return Float64Array.from(chol.solve(rhs).getColumn(0));
}

/** y += a · x */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function mean(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** Variance with divisor n. */
function variance(x: Float64Array): number {
  const mu = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mu) * (x[i] - mu);
  return ss / x.length;
}

function centre(x: Float64Array): Float64Array {
  const mu = mean(x);
  return Float64Array.from(x, (v) => v - mu);
}

/** x standardised: mean 0, variance 1 (divisor n). */
function standardised(x: Float64Array): Float64Array {
  const mu = mean(x);
  const sd = Math.sqrt(variance(x));
  return Float64Array.from(x, (v) => (v - mu) / sd);
}
