import type { Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  numberVector,
  optionNames,
  readNumeric,
} from '../table/internal';
import type { FitOptions, LikelihoodData } from './maximise-likelihood';
import { checkSameUnit, summaryUnit } from './summary-kind';
import { _uniqueRows } from './unique-rows';

// The data of the repeat-buying models (BG/NBD, Pareto/NBD): customer histories (x, t_x, T), their validity rules,
// their compression to distinct patterns, and the scattering of per-pattern predictions back to rows.

/** Which columns of a customer-by-sufficient-statistic table hold (x, t_x, T). */
export interface HistoryColumns {
  /** Repeat purchases x (purchases after the first). Default `'frequency'`. */
  frequency?: string;
  /**
   * Time of the last repeat purchase t_x, measured from the first purchase (0 when x = 0). Not RFM recency (time
   * since the last purchase). Default `'recency'`.
   */
  recency?: string;
  /** Age T: time from the first purchase to the end of the calibration period, in the unit of `recency`. Default `'T'`. */
  T?: string;
}

/** Options of the repeat-buying fits ({@link fitBgNbd}, `fitParetoNbd`). */
export interface RepeatFitOptions<Params> extends HistoryColumns, FitOptions<Params> {
  /** Column of weights: how many customers each row stands for (e.g. counts of a compressed table). Default none. */
  weights?: string;
}

/** The option names of the repeat-buying fits (fitBgNbd, fitParetoNbd); every other name is refused. */
export const REPEAT_FIT_OPTION_NAMES = optionNames<RepeatFitOptions<unknown>>({
  weights: true,
  frequency: true,
  recency: true,
  T: true,
  start: true,
  maxIterations: true,
  allowNonConvergence: true,
  allowUnidentified: true,
  penalizer: true,
});

/** What the repeat-buying prediction functions compute for every row of a table. */
export type RepeatQuantity = 'probabilityAlive' | 'conditionalExpectedPurchases';

/** Options of {@link predictBgNbd} and `predictParetoNbd`. */
export interface RepeatPredictOptions extends HistoryColumns {
  /** What to compute per customer: P(alive at T), or the expected purchases in (T, T + t]. */
  quantity: RepeatQuantity;
  /** Length t of the forecast period, in the fit's time unit (needed for `conditionalExpectedPurchases`). */
  t?: number;
}

/** The option names of the repeat-buying predictions (predictBgNbd, predictParetoNbd); every other name is refused. */
export const REPEAT_PREDICT_OPTION_NAMES = optionNames<RepeatPredictOptions>({
  quantity: true,
  t: true,
  frequency: true,
  recency: true,
  T: true,
});

/** The distinct valid histories of a table, with weights, and how its rows map onto them. */
export interface CustomerHistories {
  /** Per distinct (x, t_x, T) pattern. */
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  /** Per input row, its pattern, or −1 when the row was dropped. */
  readonly index: Int32Array;
  /** Σ weight over kept rows. */
  readonly customers: number;
  readonly rows: number;
  /** Rows dropped, by reason. */
  readonly dropped: Record<string, number>;
  /** The table's time unit (`clientele.unit`), when it carries one. */
  readonly unit?: string;
}

/** What `summaryFromTransactions` makes, for messages that refuse another kind of table. */
const MAKER =
  'summaryFromTransactions(transactions), whose frequency, recency and T are the x, t_x and T of Fader, Hardie & Lee';

/**
 * Reads (x, t_x, T) and optional weights from any `asTable` input, drops invalid rows and compresses the rest to
 * distinct patterns. The validity rules, checked in this order (a row is counted once, under the first):
 * - `invalidValue`: a null, NaN, infinite or negative value in any of the columns, or a frequency that is not an
 *   integer;
 * - `recencyAfterAge`: t_x > T (the last purchase cannot come after the end of the period);
 * - `recencyWithoutRepeat`: x = 0 but t_x > 0 (t_x is the time of the last *repeat* purchase, 0 without one;
 *   often a sign that the column holds RFM recency, time since the last purchase);
 * - `repeatAtZero`: x > 0 but t_x = 0 (repeat purchases at the moment of the first one: the summary counted
 *   several purchases of the first period, which the models' x cannot express).
 *
 * A table another clientele analysis made (`customerSummary`, `rfm`: RFM recency in days) is refused by its
 * `clientele.kind`; one without that metadata is read by its column names.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_INPUT` (a clientele table of another kind)
 */
export function readCustomerHistories(
  input: unknown,
  options: HistoryColumns & { weights?: string },
  fn: string,
): CustomerHistories {
  const table = asTable(input);
  const unit = summaryUnit(table, fn, ['clvSummary'], MAKER);
  const names = {
    frequency: options.frequency ?? 'frequency',
    recency: options.recency ?? 'recency',
    T: options.T ?? 'T',
  };
  const x = readNumeric(table, names.frequency, fn, 'frequency').values;
  const tx = readNumeric(table, names.recency, fn, 'recency').values;
  const T = readNumeric(table, names.T, fn, 'T').values;
  const w = options.weights === undefined ? undefined : readNumeric(table, options.weights, fn, 'weights').values;
  const n = table.numRows;
  const drops = new DropCounter();
  const keptRows = new Int32Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    const wi = w === undefined ? 1 : w[i];
    // `!(v >= 0)` is true for NaN as well as for negatives
    if (
      !(xi >= 0) ||
      !(ti >= 0) ||
      !(Ti >= 0) ||
      !(wi >= 0) ||
      !Number.isInteger(xi) ||
      Ti === Infinity ||
      wi === Infinity
    ) {
      drops.drop('invalidValue', i);
    } else if (ti > Ti) drops.drop('recencyAfterAge', i);
    else if (xi === 0 && ti > 0) drops.drop('recencyWithoutRepeat', i);
    else if (xi > 0 && ti === 0) drops.drop('repeatAtZero', i);
    else keptRows[kept++] = i;
  }
  const kx = new Float64Array(kept);
  const ktx = new Float64Array(kept);
  const kT = new Float64Array(kept);
  const kw = w === undefined ? undefined : new Float64Array(kept);
  for (let k = 0; k < kept; k++) {
    const i = keptRows[k];
    kx[k] = x[i];
    ktx[k] = tx[i];
    kT[k] = T[i];
    if (kw) kw[k] = w![i];
  }
  const unique = _uniqueRows([kx, ktx, kT], kw);
  const index = new Int32Array(n).fill(-1);
  for (let k = 0; k < kept; k++) index[keptRows[k]] = unique.index[k];
  let customers = 0;
  for (let p = 0; p < unique.weights.length; p++) customers += unique.weights[p];
  const [px, ptx, pT] = unique.columns;
  return { x: px, tx: ptx, T: pT, weight: unique.weights, index, customers, rows: n, dropped: drops.counts, unit };
}

/** The histories a fit uses: patterns of positive weight; `EMPTY_INPUT` when none is left. */
export function fitHistories(
  input: unknown,
  options: HistoryColumns & { weights?: string },
  fn: string,
): CustomerHistories {
  const h = readCustomerHistories(input, options, fn);
  if (h.rows === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);
  if (!(h.customers > 0)) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no usable customer is left of ${h.rows} rows (dropped ${JSON.stringify(h.dropped)}); check that the columns ` +
        `hold repeat purchases x, the time t_x of the last repeat purchase since the first, and the age T`,
    );
  }
  let m = 0;
  for (let p = 0; p < h.weight.length; p++) if (h.weight[p] > 0) m++;
  if (m === h.weight.length) return h;
  const keep = (a: Float64Array) => a.filter((_, p) => h.weight[p] > 0);
  return { ...h, x: keep(h.x), tx: keep(h.tx), T: keep(h.T), weight: keep(h.weight) };
}

/** The weighted mean age, the time scale the scale parameters are optimised against (1 when every T is 0). */
export function timeScale(h: CustomerHistories): number {
  let s = 0;
  for (let p = 0; p < h.T.length; p++) s += h.weight[p] * h.T[p];
  const mean = s / h.customers;
  return mean > 0 ? mean : 1;
}

/** The longest age T, lifetimes' time unit for the `penalizer` (its time scale makes the longest age 10); 10 when every T is 0. */
export function longestAge(h: CustomerHistories): number {
  let max = 0;
  for (let p = 0; p < h.T.length; p++) if (h.T[p] > max) max = h.T[p];
  return max > 0 ? max : 10;
}

/**
 * A repeat-buying model's likelihood on the histories of a table, as `maximiseLikelihood` takes it: the model's
 * time-unit parameters (α, β) are searched relative to the mean age {@link timeScale}.
 */
export function historiesLikelihood(
  summary: unknown,
  options: HistoryColumns & { weights?: string },
  fn: string,
  logLikelihood: (h: CustomerHistories) => (p: Float64Array) => number,
): LikelihoodData {
  const h = fitHistories(summary, options, fn);
  return {
    logLikelihood: logLikelihood(h),
    scale: timeScale(h),
    penaltyUnit: longestAge(h) / 10,
    customers: h.customers,
    patterns: h.x.length,
    dropped: h.dropped,
    noVariation: historiesWithoutVariation(h),
    unit: h.unit,
  };
}

/**
 * Why histories cannot identify a repeat-buying model, or undefined: no repeat purchase at all (the purchase rate
 * and the drop-out cannot be told apart: the likelihood rises as r → 0), every age T = 0 (nothing observed: the
 * likelihood is 1 everywhere), or one distinct history for four parameters.
 */
export function historiesWithoutVariation(h: CustomerHistories): string | undefined {
  let repeat = false;
  let observed = false;
  for (let p = 0; p < h.x.length; p++) {
    if (h.x[p] > 0) repeat = true;
    if (h.T[p] > 0) observed = true;
  }
  if (!observed) return 'every customer has age T = 0: nothing was observed';
  if (!repeat) return 'every customer has x = 0: no repeat purchase to learn a purchase rate from';
  if (h.x.length === 1) return 'one distinct history (x, t_x, T) for every customer';
  return undefined;
}

/** Validates the prediction options; returns the horizon (NaN when not needed). @throws {ClienteleError} `INVALID_OPTION` */
export function checkPredictOptions(options: RepeatPredictOptions, fn: string): number {
  const quantity = options?.quantity;
  switch (quantity) {
    case 'probabilityAlive':
      return NaN;
    case 'conditionalExpectedPurchases': {
      const t = options.t;
      if (typeof t !== 'number' || !(t >= 0) || !Number.isFinite(t)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option t (the forecast period) must be a finite number ≥ 0 in the fit's time unit (found ${describeValue(t)}); ` +
            `pass e.g. { quantity: 'conditionalExpectedPurchases', t: 39 }`,
        );
      }
      return t;
    }
    default: {
      const never: never = quantity;
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option quantity must be 'probabilityAlive' or 'conditionalExpectedPurchases' (found ${describeValue(never)}); ` +
          `pick what to compute per customer`,
      );
    }
  }
}

/**
 * Evaluates `perPattern` once per distinct valid history of `table` and scatters it to rows (NaN for dropped ones).
 * @throws {ClienteleError} `INVALID_INPUT` for a clientele table of another kind, or in another unit than `model`
 */
export function predictRows(
  table: unknown,
  options: HistoryColumns,
  fn: string,
  perPattern: (x: number, tx: number, T: number) => number,
  model?: { readonly unit?: unknown },
): Vector {
  const h = readCustomerHistories(table, options, fn);
  checkSameUnit(model?.unit, h.unit, fn);
  const values = new Float64Array(h.x.length);
  for (let p = 0; p < values.length; p++) values[p] = perPattern(h.x[p], h.tx[p], h.T[p]);
  const out = new Float64Array(h.rows);
  for (let i = 0; i < h.rows; i++) out[i] = h.index[i] < 0 ? NaN : values[h.index[i]];
  return numberVector(out);
}

/** True when (x, t_x, T) passes the rules of {@link readCustomerHistories}. */
export function validHistory(x: number, tx: number, T: number): boolean {
  return x >= 0 && Number.isInteger(x) && tx >= 0 && T >= tx && T < Infinity && (x === 0 ? tx === 0 : tx > 0);
}

/** True when (x, t_x, T) is a valid history, n a count (integer ≥ 0) and t a finite horizon ≥ 0: the arguments of a conditional PMF. */
export function validConditionalCount(n: number, x: number, tx: number, T: number, t: number): boolean {
  return validHistory(x, tx, T) && n >= 0 && Number.isInteger(n) && t >= 0 && t !== Infinity;
}
