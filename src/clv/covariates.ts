import type { Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  isAdmissible,
  numberVector,
  optionNames,
  readNumeric,
} from '../table/internal';
import { historiesWithoutVariation, longestAge, readCustomerHistories, timeScale } from './customer-histories';
import type { CustomerHistories, HistoryColumns, RepeatFitOptions } from './customer-histories';
import type { LikelihoodData } from './maximise-likelihood';
import { checkSameUnit } from './summary-kind';
import { _uniqueRows } from './unique-rows';

// Time-invariant covariates of the repeat-buying models (CLVTools' "static covariates"): which columns shift which
// process, how they are read and checked, how customers are grouped by their covariate vector so that each group's
// likelihood is the no-covariate model's at the group's own parameters, and how predictions reach every row.

/** Which columns of the summary shift which process of a repeat-buying model. */
export interface CovariateColumns {
  /**
   * Numeric columns that shift the purchase process (CLVTools' transaction covariates): the purchase-rate scale
   * α becomes α·exp(−γ·z), so a positive coefficient γ means more purchases. Default none.
   */
  purchase?: readonly string[];
  /**
   * Numeric columns that shift the attrition process (CLVTools' lifetime covariates): Pareto/NBD's β becomes
   * β·exp(−γ·z) (a positive γ: a higher drop-out rate); BG/NBD's a and b both become a·exp(γ·z), b·exp(γ·z).
   * Default none.
   */
  attrition?: readonly string[];
}

/** The covariate columns a fitted model uses, resolved (empty lists when none). */
export interface ModelCovariates {
  readonly purchase: readonly string[];
  readonly attrition: readonly string[];
}

/** Options of the fits with covariates: those of the model's own fit plus the covariate columns. */
export interface CovariateFitOptions extends RepeatFitOptions<Record<string, number>>, CovariateColumns {}

/** The option names of the fits with covariates; every other name is refused. */
export const COVARIATE_FIT_OPTION_NAMES = optionNames<CovariateFitOptions>({
  weights: true,
  frequency: true,
  recency: true,
  T: true,
  start: true,
  maxIterations: true,
  allowNonConvergence: true,
  allowUnidentified: true,
  penalizer: true,
  purchase: true,
  attrition: true,
});

/** The name of a coefficient in a model's `params`: `purchase.<column>` or `attrition.<column>`. */
function coefficientName(process: keyof ModelCovariates, column: string): string {
  return `${process}.${column}`;
}

/** A covariate model's parameter names: the base model's, then the purchase and the attrition coefficients. */
export function covariateParameterNames(base: readonly string[], covariates: ModelCovariates): string[] {
  return [
    ...base,
    ...covariates.purchase.map((c) => coefficientName('purchase', c)),
    ...covariates.attrition.map((c) => coefficientName('attrition', c)),
  ];
}

/**
 * Validates the `purchase` and `attrition` options: arrays of distinct non-empty column names.
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function covariateColumns(options: CovariateColumns, fn: string): ModelCovariates {
  const one = (process: keyof ModelCovariates): readonly string[] => {
    const value = options[process];
    if (value === undefined) return Object.freeze([]);
    if (!Array.isArray(value) || !value.every((c) => typeof c === 'string' && c.length > 0)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${process} must be an array of column names (found ${describeValue(value)}); pass e.g. { ${process}: ['gender', 'age'] }`,
      );
    }
    const seen = new Set<string>();
    for (const c of value as string[]) {
      if (seen.has(c)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option ${process} names column "${c}" twice; list each covariate once per process`,
        );
      }
      seen.add(c);
    }
    return Object.freeze([...(value as string[])]);
  };
  return Object.freeze({ purchase: one('purchase'), attrition: one('attrition') });
}

/** The customers of a summary grouped by their covariate vector, each group's histories compressed. */
export interface CovariateGroups {
  /** Per group, its distinct (x, t_x, T) patterns with weights (only `x`, `tx`, `T`, `weight` are meaningful). */
  readonly groups: readonly CustomerHistories[];
  /** Per group, its purchase covariates (row-major, groups × purchase columns) and attrition covariates. */
  readonly purchase: Float64Array;
  readonly attrition: Float64Array;
  /** What `maximiseLikelihood` needs of the data, but the likelihood. */
  readonly data: Omit<LikelihoodData, 'logLikelihood' | 'logLikelihoodGradient'>;
}

/** Reads the covariate columns of a table: one Float64Array per name (nulls as NaN). */
function readColumns(table: ReturnType<typeof asTable>, names: readonly string[], process: string, fn: string) {
  return names.map((name) => readNumeric(table, name, fn, process).values);
}

/**
 * Reads histories and covariates, drops rows (the history rules of `readCustomerHistories`; then a row with a null,
 * NaN or infinite covariate, counted as `invalidValue`), checks that every covariate varies and that the covariates
 * of each process are not collinear, and groups the customers by covariate vector.
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_INPUT`, `EMPTY_INPUT`; `NOT_IDENTIFIED` for a
 *   constant or collinear covariate column
 */
export function readCovariateGroups(
  summary: unknown,
  options: HistoryColumns & { weights?: string },
  covariates: ModelCovariates,
  fn: string,
): CovariateGroups {
  const table = asTable(summary);
  const h = readCustomerHistories(table, options, fn);
  const zP = readColumns(table, covariates.purchase, 'purchase', fn);
  const zL = readColumns(table, covariates.attrition, 'attrition', fn);
  const w = options.weights === undefined ? undefined : readNumeric(table, options.weights, fn, 'weights').values;
  const dropped: Record<string, number> = { ...h.dropped };
  const all = [...zP, ...zL];
  const kept: number[] = [];
  for (let i = 0; i < h.rows; i++) {
    if (h.index[i] < 0) continue;
    let ok = true;
    for (const z of all) if (!isAdmissible(z[i])) ok = false;
    if (!ok) dropped.invalidValue = (dropped.invalidValue ?? 0) + 1;
    else if (w === undefined || w[i] > 0) kept.push(i);
  }
  if (h.rows === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);
  if (kept.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no usable customer is left of ${h.rows} rows (dropped ${JSON.stringify(dropped)}); check the history ` +
        `columns (x, t_x, T) and that the covariate columns hold numbers`,
    );
  }
  const n = kept.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = kept[k];
    const p = h.index[i];
    x[k] = h.x[p];
    tx[k] = h.tx[p];
    T[k] = h.T[p];
    weight[k] = w === undefined ? 1 : w[i];
  }
  const keptZ = all.map((z) => Float64Array.from(kept, (i) => z[i]));
  checkCovariates(keptZ.slice(0, zP.length), covariates.purchase, 'purchase', weight, fn);
  checkCovariates(keptZ.slice(zP.length), covariates.attrition, 'attrition', weight, fn);
  const { groups, purchase, attrition } = groupByCovariates(x, tx, T, weight, keptZ, zP.length);
  const overall = _uniqueRows([x, tx, T], weight);
  const whole: CustomerHistories = {
    x: overall.columns[0],
    tx: overall.columns[1],
    T: overall.columns[2],
    weight: overall.weights,
    index: new Int32Array(0),
    customers: groups.reduce((s, grp) => s + grp.customers, 0),
    rows: n,
    dropped: {},
  };
  return {
    groups,
    purchase,
    attrition,
    data: {
      scale: timeScale(whole),
      penaltyUnit: longestAge(whole) / 10,
      customers: whole.customers,
      patterns: groups.reduce((s, grp) => s + grp.x.length, 0),
      dropped,
      noVariation: historiesWithoutVariation(whole),
      unit: h.unit,
    },
  };
}

/**
 * Groups kept customers by covariate vector (customers with the same vector share their parameters), each group's
 * histories compressed to distinct (x, t_x, T) patterns; the groups' covariates come back row-major per process.
 */
function groupByCovariates(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weight: Float64Array,
  keptZ: Float64Array[],
  kP: number,
): { groups: CustomerHistories[]; purchase: Float64Array; attrition: Float64Array } {
  const n = x.length;
  const kL = keptZ.length - kP;
  const byZ = keptZ.length === 0 ? { index: new Int32Array(n), columns: [] as Float64Array[] } : _uniqueRows(keptZ);
  const g = keptZ.length === 0 ? 1 : byZ.columns[0].length;
  const members: number[][] = Array.from({ length: g }, () => []);
  for (let k = 0; k < n; k++) members[byZ.index[k]].push(k);
  const groups = members.map((rows) => {
    const pick = (a: Float64Array) => Float64Array.from(rows, (k) => a[k]);
    const u = _uniqueRows([pick(x), pick(tx), pick(T)], pick(weight));
    return {
      x: u.columns[0],
      tx: u.columns[1],
      T: u.columns[2],
      weight: u.weights,
      index: new Int32Array(0),
      customers: u.weights.reduce((s, v) => s + v, 0),
      rows: rows.length,
      dropped: {},
    };
  });
  const purchase = new Float64Array(g * kP);
  const attrition = new Float64Array(g * kL);
  for (let j = 0; j < g; j++) {
    for (let c = 0; c < kP; c++) purchase[j * kP + c] = byZ.columns[c][j];
    for (let c = 0; c < kL; c++) attrition[j * kL + c] = byZ.columns[kP + c][j];
  }
  return { groups, purchase, attrition };
}

/**
 * Refuses a covariate column that does not vary, or one that is (to rounding) a linear combination of the process's
 * earlier columns and the constant, whose coefficient the data cannot determine. Weighted Gram–Schmidt on the
 * centred columns: a column whose residual sum of squares is below 1e-10 of its own is collinear.
 * @throws {ClienteleError} `NOT_IDENTIFIED`
 */
function checkCovariates(
  columns: readonly Float64Array[],
  names: readonly string[],
  process: string,
  weight: Float64Array,
  fn: string,
): void {
  let total = 0;
  for (let k = 0; k < weight.length; k++) total += weight[k];
  const basis: Float64Array[] = [];
  columns.forEach((column, c) => {
    let mean = 0;
    for (let k = 0; k < column.length; k++) mean += weight[k] * column[k];
    mean /= total;
    const v = Float64Array.from(column, (z) => z - mean);
    const sumSquares = (a: Float64Array) => a.reduce((s, z, k) => s + weight[k] * z * z, 0);
    const own = sumSquares(v);
    if (column.every((z) => z === column[0])) {
      throw new ClienteleError(
        'NOT_IDENTIFIED',
        `${fn}: the ${process} covariate "${names[c]}" is constant (found ${column[0]} for every customer kept); its ` +
          `coefficient cannot be told apart from the model's own parameter: remove "${names[c]}" from ${process}`,
      );
    }
    for (const q of basis) {
      let dot = 0;
      for (let k = 0; k < v.length; k++) dot += weight[k] * v[k] * q[k];
      for (let k = 0; k < v.length; k++) v[k] -= dot * q[k];
    }
    const residual = sumSquares(v);
    if (residual < 1e-10 * own) {
      throw new ClienteleError(
        'NOT_IDENTIFIED',
        `${fn}: the ${process} covariate "${names[c]}" is collinear with ${names.slice(0, c).join(', ')} and the ` +
          `constant (found a residual ${(residual / own).toExponential(1)} of its variance); their coefficients ` +
          `cannot be told apart: remove "${names[c]}" (or one of the others) from ${process}`,
      );
    }
    const norm = Math.sqrt(residual);
    basis.push(Float64Array.from(v, (z) => z / norm));
  });
}

/**
 * The model's `params` as one vector and the coefficient lists, checked.
 * @throws {ClienteleError} `INVALID_VALUE` when a parameter or a coefficient is missing or not finite
 */
export function modelCoefficients(
  model: unknown,
  base: readonly string[],
  fn: string,
): { base: Float64Array; purchase: Float64Array; attrition: Float64Array; covariates: ModelCovariates } {
  const m = model as { params?: Record<string, unknown>; covariates?: ModelCovariates } | undefined;
  const covariates = m?.covariates;
  if (
    covariates === null ||
    typeof covariates !== 'object' ||
    !Array.isArray(covariates.purchase) ||
    !Array.isArray(covariates.attrition) ||
    ![...covariates.purchase, ...covariates.attrition].every((c) => typeof c === 'string')
  ) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: model.covariates must be { purchase: [...], attrition: [...] } (found ${describeValue(covariates)}); ` +
        `pass the model a fit with covariates returned`,
    );
  }
  const value = (name: string, positive: boolean) => {
    const v = m?.params?.[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: model.params["${name}"] must be a ${positive ? 'positive ' : ''}finite number (found ${describeValue(v)}); ` +
          `pass a fitted model, or params with ${base.join(', ')} and one coefficient per covariate`,
      );
    }
    return v;
  };
  return {
    base: Float64Array.from(base, (name) => value(name, true)),
    purchase: Float64Array.from(covariates.purchase, (c) => value(coefficientName('purchase', c), false)),
    attrition: Float64Array.from(covariates.attrition, (c) => value(coefficientName('attrition', c), false)),
    covariates,
  };
}

/**
 * Evaluates `perRow` at every row of a summary whose history and covariates are valid, with the row's linear
 * predictors η_P = γ_P·z_P and η_L = γ_L·z_L, and returns a Float64 vector aligned with the rows (NaN elsewhere).
 * @throws {ClienteleError} as `readCustomerHistories`; `INVALID_INPUT` for a summary in another unit than the model's
 */
export function predictCovariateRows(
  summary: unknown,
  options: HistoryColumns,
  coefficients: { purchase: Float64Array; attrition: Float64Array; covariates: ModelCovariates },
  model: { readonly unit?: unknown },
  fn: string,
  perRow: (etaP: number, etaL: number, x: number, tx: number, T: number) => number,
): Vector {
  const table = asTable(summary);
  const h = readCustomerHistories(table, options, fn);
  checkSameUnit(model.unit, h.unit, fn);
  const zP = readColumns(table, coefficients.covariates.purchase, 'purchase', fn);
  const zL = readColumns(table, coefficients.covariates.attrition, 'attrition', fn);
  const out = new Float64Array(h.rows);
  for (let i = 0; i < h.rows; i++) {
    const p = h.index[i];
    let etaP = 0;
    let etaL = 0;
    for (let c = 0; c < zP.length; c++) etaP += coefficients.purchase[c] * zP[c][i];
    for (let c = 0; c < zL.length; c++) etaL += coefficients.attrition[c] * zL[c][i];
    out[i] = p < 0 || !isAdmissible(etaP) || !isAdmissible(etaL) ? NaN : perRow(etaP, etaL, h.x[p], h.tx[p], h.T[p]);
  }
  return numberVector(out);
}
