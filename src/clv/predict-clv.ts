import type { DataType, Float64, Table, Vector } from 'apache-arrow';
import type { KeyType } from '../table/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  getColumn,
  knownOptions,
  META,
  nullRecord,
  numberVector,
  optionNames,
  readNumericVector,
  tableWithMetadata,
  takeVector,
} from '../table/internal';
import { gammaGammaConditionalMean } from './gamma-gamma';
import type { GammaGammaLike } from './gamma-gamma';
import { repeatModel } from './repeat-models';
import type { PurchaseModel } from './repeat-models';
import { checkClvOptions, discountSteps } from './clv-settings';
import type { ClvHorizonOptions, ClvSettings } from './clv-settings';
import { checkIntervalOptions, clvIntervals, INTERVAL_OPTION_NAMES } from './prediction-intervals';
import type { IntervalOptions } from './prediction-intervals';
import { checkSameUnit, summaryUnit } from './summary-kind';

export type { PurchaseModel } from './repeat-models';

/** E[purchases in (T, T + t] | x, t_x, T] under the purchase model. */
type Conditional = (x: number, tx: number, T: number, t: number) => number;

/** P(alive at T | x, t_x, T) under the purchase model. */
type Alive = (x: number, tx: number, T: number) => number;

/** The summary's columns, as read for {@link predictClv}. */
interface ClvSummary {
  readonly customers: Vector;
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly z: Float64Array;
  readonly n: number;
  readonly unit: string | undefined;
}

/** The kept rows and their expected purchases, spend and value, with the dropped rows. */
interface CustomerValues {
  readonly kept: number[];
  readonly alive: number[];
  readonly purchases: number[];
  readonly spend: number[];
  readonly value: number[];
  readonly drops: DropCounter;
}

/** Options of {@link predictClv}. */
export interface PredictClvOptions extends ClvHorizonOptions {
  /** Column names of the summary: defaults `customer`, `frequency`, `recency`, `T`, `monetary`. */
  customer?: string;
  frequency?: string;
  recency?: string;
  T?: string;
  monetary?: string;
  /**
   * Adds `clvLower` and `clvUpper`, an interval on each customer's CLV, and the total's in the metadata
   * (`clientele.clvTotal`, JSON `{ estimate, lower, upper, level, method }`): `{ level, method, draws, seed,
   * calibration }` as `predictionIntervals` takes them (`{}` for 90 % delta-method intervals). Purchase and spend
   * uncertainty are combined, the two fits independent. Default none (no interval columns).
   */
  interval?: IntervalOptions;
}

/** The options predictClv takes; every other name is refused with a did-you-mean. */
const PREDICT_CLV_OPTION_NAMES = optionNames<PredictClvOptions>({
  horizon: true,
  period: true,
  discountRate: true,
  margin: true,
  customer: true,
  frequency: true,
  recency: true,
  T: true,
  monetary: true,
  interval: true,
});

/** The columns of `predictClv`: one row per customer. */
export type PredictClvColumns<K extends DataType = KeyType> = {
  customer: K;
  frequency: Float64;
  recency: Float64;
  T: Float64;
  monetary: Float64;
  pAlive: Float64;
  expectedPurchases: Float64;
  expectedSpend: Float64;
  clv: Float64;
};

/**
 * Expected customer lifetime value over a horizon from a purchase-count model and a spend model — the "what is
 * this customer worth" number of Fader, Hardie & Lee (2005, "RFM and CLV", §5), computed as `lifetimes` does:
 *
 *   CLV_i = margin · E[M | x_i, z̄_i] · Σ_{k=1..K} ( E[X(kΔ) | x_i, t_x,i, T_i] − E[X((k−1)Δ) | …] ) / (1 + d)^k
 *
 * with E[X(t) | …] the model's conditional expected purchases in (T, T + t], Δ the discounting period, K =
 * ⌈horizon / Δ⌉ (the last period shortened to end at the horizon), d the rate per period, and E[M | x, z̄] the
 * Gamma-Gamma conditional mean spend (for x = 0, the population mean). Purchases in a period are discounted at its
 * end.
 *
 * Output columns, one row per customer so that a row reads on its own: `customer`; the history the model read,
 * `frequency` (x, repeat purchases), `recency` (t_x) and `T` (both in the model's time unit from the first
 * purchase) and `monetary` (z̄, mean repeat spend); `pAlive`, the probability the customer is still active at T
 * (BG/NBD: Fader, Hardie & Lee 2008, note 021; Pareto/NBD: Schmittlein, Morrison & Colombo 1987, eq. 11);
 * `expectedPurchases`, the conditional expected purchases over the horizon, E[X(horizon) | x, t_x, T] (undiscounted);
 * `expectedSpend` (E[M | x, z̄]); `clv`; with the `interval` option also `clvLower` and `clvUpper` (see
 * `predictionIntervals`) and the total's interval in the metadata `clientele.clvTotal`. Rows with a missing or impossible history are dropped and counted.
 *
 * Units: time in the summary's unit; money as the summary's `monetary`.
 * Cost: O(customers · K) model evaluations.
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "RFM and CLV: using iso-value curves for customer
 * base analysis", Journal of Marketing Research 42(4), 415–430, eq. (3)–(5).
 *
 * Kinds and units: a clientele table of another kind than `summaryFromTransactions`'s (e.g. `customerSummary`,
 * whose recency is RFM recency in days) is refused, as are a summary whose `clientele.unit` differs from the
 * purchase model's `unit` and a spend model of another kind; tables without metadata are read by column names.
 *
 * @throws {ClienteleError} `INVALID_OPTION`, `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`; `INVALID_INPUT` for a
 *   table of another kind, a unit that differs from the model's, or a spend model that is not Gamma-Gamma
 * @example
 * // with FHL's published CDNOW parameters (weeks): a customer with x = 2, t_x = 30.43, T = 38.86, z̄ = 22.35
 * const bg = { kind: 'bgNbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
 * const value = predictClv(bg, gg, { customer: [1], frequency: [2], recency: [30.43], T: [38.86], monetary: [22.35] }, { horizon: 52, discountRate: 0 });
 * value.getChild('clv')?.get(0) > 0; // true
 */
export function predictClv(
  model: PurchaseModel,
  spendModel: GammaGammaLike,
  summary: unknown,
  options: PredictClvOptions = {},
): Table<PredictClvColumns> {
  options = knownOptions(options, PREDICT_CLV_OPTION_NAMES, 'predictClv');
  const fn = 'predictClv';
  const settings = checkClvOptions(options, fn);
  const entry = repeatModel(model, fn);
  const conditional: Conditional = (x, tx, T, t) => entry.conditionalExpectedPurchases(model, x, tx, T, t);
  const alive: Alive = (x, tx, T) => entry.probabilityAlive(model, x, tx, T);
  checkSpendModel(spendModel, fn);
  const data = readClvSummary(summary, options, fn);
  checkSameUnit(model.unit, data.unit, fn);
  const values = valueCustomers(data, { conditional, alive }, spendModel, settings);
  if (values.kept.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has a valid history (dropped: ${JSON.stringify(values.drops.counts)}); check the summary columns`,
    );
  }
  const table = clvTable(data, values, settings, model.kind);
  if (options.interval === undefined) return table;
  return withClvIntervals(table, { model, spendModel, summary, settings, values }, options, fn);
}

/** The CLV table with `clvLower`, `clvUpper` and the total's interval in its metadata. */
function withClvIntervals(
  table: Table,
  given: {
    model: PurchaseModel;
    spendModel: GammaGammaLike;
    summary: unknown;
    settings: ClvSettings;
    values: CustomerValues;
  },
  options: PredictClvOptions,
  fn: string,
): Table {
  const interval = knownOptions(options.interval, INTERVAL_OPTION_NAMES, fn);
  const settings = checkIntervalOptions(interval, fn);
  const r = clvIntervals(given.model, given.spendModel, given.summary, given.settings, settings, options, fn);
  const kept = given.values.kept;
  const columns = nullRecord<Vector>();
  for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name)!;
  const lower = new Float64Array(kept.length);
  const upper = new Float64Array(kept.length);
  for (let k = 0; k < kept.length; k++) {
    lower[k] = r.lower[kept[k]];
    upper[k] = r.upper[kept[k]];
  }
  columns.clvLower = numberVector(lower);
  columns.clvUpper = numberVector(upper);
  let total = 0;
  for (const v of given.values.value) total += v;
  const metadata = Object.fromEntries(table.schema.metadata);
  return tableWithMetadata(columns, {
    ...metadata,
    'clientele.clvTotal': JSON.stringify({
      ...r.total,
      estimate: total,
      level: settings.level,
      method: settings.method,
    }),
    ...(r.warnings.length > 0 ? { 'clientele.warnings': JSON.stringify(r.warnings) } : {}),
  });
}

/** A spend model that says its kind must be a Gamma-Gamma one. @throws {ClienteleError} `INVALID_INPUT` */
function checkSpendModel(spendModel: GammaGammaLike, fn: string): void {
  const kind = (spendModel as { kind?: unknown } | null)?.kind;
  if (kind === undefined || kind === 'gammaGamma') return;
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the spend model must be a Gamma-Gamma model (found kind ${describeValue(kind)}); pass the result of fitGammaGamma`,
  );
}

/** Reads the customer, x, t_x, T and z̄ columns. @throws `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT` */
function readClvSummary(summary: unknown, options: PredictClvOptions, fn: string): ClvSummary {
  const table = asTable(summary);
  const unit = summaryUnit(
    table,
    fn,
    ['clvSummary'],
    'summaryFromTransactions(transactions), whose frequency, recency, T and monetary are x, t_x, T and z̄ of Fader, Hardie & Lee',
  );
  const names = {
    customer: options.customer ?? 'customer',
    frequency: options.frequency ?? 'frequency',
    recency: options.recency ?? 'recency',
    T: options.T ?? 'T',
    monetary: options.monetary ?? 'monetary',
  };
  const customers = getColumn(table, names.customer, fn, 'customer');
  const read = (key: keyof typeof names) =>
    readNumericVector(getColumn(table, names[key], fn, key), names[key], fn).values;
  const x = read('frequency');
  const tx = read('recency');
  const T = read('T');
  const z = read('monetary');
  const n = table.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the summary has no rows; pass one row per customer`);
  return { customers, x, tx, T, z, n, unit };
}

/** Each valid row's expected purchases over the horizon, its expected spend and its discounted value. */
function valueCustomers(
  data: ClvSummary,
  { conditional, alive: pAlive }: { conditional: Conditional; alive: Alive },
  spendModel: GammaGammaLike,
  o: ClvSettings,
): CustomerValues {
  const { customers, x, tx, T, z, n } = data;
  const { margin } = o;
  const { ends, discount } = discountSteps(o);
  const steps = ends.length;
  const drops = new DropCounter();
  const kept: number[] = [];
  const alive: number[] = [];
  const purchases: number[] = [];
  const spend: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    const zi = z[i];
    if (customers.get(i) === null) {
      drops.drop('nullCustomer', i);
      continue;
    }
    if (!(xi >= 0 && ti >= 0 && Ti >= ti && Number.isInteger(xi) && (xi > 0 || ti === 0) && zi >= 0)) {
      drops.drop('invalidValue', i);
      continue;
    }
    let previous = 0;
    let discounted = 0;
    for (let k = 0; k < steps; k++) {
      const cumulative = conditional(xi, ti, Ti, ends[k]);
      discounted += (cumulative - previous) * discount[k];
      previous = cumulative;
    }
    const m = gammaGammaConditionalMean(spendModel, xi, xi > 0 ? zi : 0);
    kept.push(i);
    alive.push(pAlive(xi, ti, Ti));
    purchases.push(previous);
    spend.push(m);
    value.push(margin * m * discounted);
  }
  return { kept, alive, purchases, spend, value, drops };
}

/** The output table of the kept rows, with the options used and the dropped-row counts in the metadata. */
function clvTable(data: ClvSummary, v: CustomerValues, o: ClvSettings, kind: string): Table {
  const { customers, n } = data;
  const { horizon, period, discountRate, margin } = o;
  const all = v.kept.length === n;
  // copies: the summary's values may view the caller's buffers
  const kept = (values: Float64Array) =>
    numberVector(all ? values.slice() : Float64Array.from(v.kept, (i) => values[i]));
  return tableWithMetadata(
    {
      customer: all ? customers : takeVector(customers, Int32Array.from(v.kept)),
      frequency: kept(data.x),
      recency: kept(data.tx),
      T: kept(data.T),
      monetary: kept(data.z),
      pAlive: numberVector(Float64Array.from(v.alive)),
      expectedPurchases: numberVector(Float64Array.from(v.purchases)),
      expectedSpend: numberVector(Float64Array.from(v.spend)),
      clv: numberVector(Float64Array.from(v.value)),
    },
    {
      [META.kind]: 'predictClv',
      'clientele.clvOptions': JSON.stringify({ horizon, period, discountRate, margin, model: kind }),
      ...v.drops.metadata(n),
    },
  );
}
