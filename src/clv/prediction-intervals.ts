import type { Float64, Table } from 'apache-arrow';
import { randomSource } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  isClienteleError,
  knownOptions,
  META,
  nullRecord,
  numberVector,
  optionNames,
  readNumeric,
  tableWithMetadata,
} from '../table/internal';
import { checkClvOptions, discountSteps } from './clv-settings';
import type { ClvHorizonOptions, ClvSettings } from './clv-settings';
import { fitHistories, validHistory } from './customer-histories';
import type { HistoryColumns } from './customer-histories';
import { fitGammaGamma } from './gamma-gamma';
import type { GammaGammaLike } from './gamma-gamma';
import { deltaIntervals, normalDraws, percentileIntervals } from './interval-methods';
import type { Evaluate, IntervalProblem, IntervalResult } from './interval-methods';
import type { ModelLike } from './model';
import { checkParams } from './model';
import { repeatModel } from './repeat-models';
import type { PurchaseModel, RepeatModelEntry } from './repeat-models';
import { simulateSpend } from './simulate-gamma-gamma';
import { HISTORY_SIMULATORS } from './simulate-repeat-buying';
import { checkSameUnit, summaryUnit } from './summary-kind';
import { _uniqueRows } from './unique-rows';

/** What {@link predictionIntervals} puts an interval on, per customer and in total. */
export type IntervalQuantity = 'probabilityAlive' | 'conditionalExpectedPurchases' | 'expectedSpend' | 'clv';

/** How the parameters' uncertainty becomes an interval: delta method, normal draws, or parametric bootstrap. */
export type IntervalMethod = 'delta' | 'draws' | 'bootstrap';

/** How an interval is computed: the options of {@link predictionIntervals} and `predictClv`'s `interval`. */
export interface IntervalOptions {
  /** The coverage probability of each interval, in (0, 1). Default 0.9. */
  level?: number;
  /** `'delta'` (default), `'draws'` or `'bootstrap'`. */
  method?: IntervalMethod;
  /** Parameter draws (method `'draws'`, default 1000) or bootstrap replicates (method `'bootstrap'`, default 200). */
  draws?: number;
  /** The seed of the draws or of the bootstrap's simulations. Default 1. */
  seed?: number;
  /**
   * For the bootstrap: the summary the models were fitted on (any `asTable` input with the same column names),
   * whose ages T (and, for spend, repeat transactions x) each replicate simulates at. Default the summary itself.
   */
  calibration?: unknown;
}

/** Options of {@link predictionIntervals}. */
export interface PredictionIntervalsOptions extends IntervalOptions, HistoryColumns, ClvHorizonOptions {
  /** What to put intervals on (required). */
  quantity: IntervalQuantity;
  /** Length t of the forecast period for `conditionalExpectedPurchases`, in the model's time unit. */
  t?: number;
  /** The Gamma-Gamma spend model, for `quantity: 'clv'`. */
  spendModel?: GammaGammaLike;
  /** Column of mean repeat spend z̄, for `expectedSpend` and `clv`. Default `'monetary'`. */
  monetary?: string;
}

const INTERVAL_NAMES = { level: true, method: true, draws: true, seed: true, calibration: true } as const;

/** The names of `predictClv`'s `interval` object; every other name is refused. */
export const INTERVAL_OPTION_NAMES = optionNames<IntervalOptions>(INTERVAL_NAMES);

const PREDICTION_INTERVALS_OPTION_NAMES = optionNames<PredictionIntervalsOptions>({
  ...INTERVAL_NAMES,
  quantity: true,
  t: true,
  spendModel: true,
  monetary: true,
  frequency: true,
  recency: true,
  T: true,
  horizon: true,
  period: true,
  discountRate: true,
  margin: true,
});

/** The columns of {@link predictionIntervals}' table: one row per summary row (NaN for a dropped row). */
export type PredictionIntervalColumns = { estimate: Float64; lower: Float64; upper: Float64 };

/** What {@link predictionIntervals} returns. */
export interface PredictionIntervals {
  readonly quantity: IntervalQuantity;
  readonly method: IntervalMethod;
  readonly level: number;
  /** Draws or bootstrap replicates the percentiles come from (0 for the delta method). */
  readonly draws: number;
  /** Per summary row: the prediction at the estimates, and the interval; NaN for rows dropped (counted in metadata). */
  readonly table: Table<PredictionIntervalColumns>;
  /** The sum over the kept customers, with its interval (the expected number alive, purchases, spend or value). */
  readonly total: { readonly estimate: number; readonly lower: number; readonly upper: number };
  /** What an interval may not mean (bootstrap replicates that failed, non-finite draws); empty normally. */
  readonly warnings: readonly string[];
}

/** The checked interval options. */
export interface IntervalSettings {
  readonly level: number;
  readonly method: IntervalMethod;
  readonly draws: number;
  readonly seed: number;
  readonly calibration: unknown;
}

/** The distinct customer patterns of a summary, ordered so that each (x, T) group is contiguous. */
interface Patterns {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly z: Float64Array;
  readonly weight: Float64Array;
  /** Per pattern, its (x, T) group, non-decreasing. */
  readonly group: Int32Array;
  /** Per input row, its pattern, or −1 when dropped. */
  readonly index: Int32Array;
  readonly rows: number;
  readonly drops: DropCounter;
  readonly unit: string | undefined;
}

/** The models and what is predicted, as {@link intervals} takes them. */
interface IntervalRequest {
  readonly quantity: IntervalQuantity;
  /** The purchase model (not for `expectedSpend`). */
  readonly purchase?: PurchaseModel;
  /** The spend model (for `expectedSpend` and `clv`). */
  readonly spend?: GammaGammaLike;
  readonly t: number;
  readonly clv?: ClvSettings;
}

const SPEND_NAMES = ['p', 'q', 'gamma'] as const;

/**
 * Intervals on every prediction of the probabilistic CLV models — P(alive), conditional expected purchases, expected
 * spend and CLV — per customer and for the total over customers, from the uncertainty of the fitted parameters
 * (which none of lifetimes, BTYD or CLVTools reports). Use them to tell a customer whose value is known from one
 * whose value is a guess, and to state a forecast of the customer base with its margin.
 *
 * Models: any repeat-buying model of the registry (BG/NBD, Pareto/NBD, and those added to it) for P(alive) and
 * purchases; Gamma-Gamma for spend (`model` is then the spend model); for CLV the purchase model as `model` and the
 * Gamma-Gamma one as `spendModel`, independent fits, so that their parameters' covariance is block-diagonal. The CLV
 * is `predictClv`'s, margin · E[M | x, z̄] · Σₖ (1 + d)^−k ΔE[X | x, t_x, T].
 *
 * Methods (all on the distinct (x, t_x, T[, z̄]) patterns, not per customer; E[X | x, t_x, T] computed as
 * P(alive | x, t_x, T) · E[X | alive, x, T], the second factor once per (x, T): given alive at T the history enters
 * every model of the registry only through x and T):
 * - `'delta'`: Var h(ŷ) ≈ ∇ᵀ Σ ∇ with the model's `covariance` (observed information) taken to ln θ and the gradient
 *   of the prediction in ln θ by central differences; h = logit for P(alive) (the total: the logit of the share
 *   alive) and h = ln for the amounts, the interval h⁻¹(h(ŷ) ± z σ_h) — in range and skewed as the quantity is, where
 *   an interval on the raw scale would cross 0 or 1 for small counts and probabilities near the edge. Cost: 2k + 1
 *   evaluations per pattern (k parameters): about 0.1 s for P(alive) or purchases at 100k customers, 1 s for CLV.
 * - `'draws'`: `draws` parameter vectors ln θ ~ N(ln θ̂, Σ_ln) (the asymptotic normal on the log scale, so every
 *   draw is positive), the prediction recomputed at each, and the (1 ∓ level)/2 percentiles (R type 7). Cost:
 *   `draws` evaluations per pattern, in blocks of patterns (memory about 32 MB): 1,000 draws over 100k customers
 *   (BG/NBD, days: 61k patterns) take 3–7 s for P(alive) or purchases; CLV costs one conditional evaluation per
 *   discounting period per (x, T) and draw, some 40 s (benchmarks/RESULTS.md): prefer the delta method for it.
 * - `'bootstrap'` (parametric): `draws` replicates, each simulating histories from the fitted model at the
 *   calibration customers' own ages T (`simulateBgNbd`'s process; spend at their own x), refitting from the estimate
 *   (with the model's `penalizer`), and predicting; percentile intervals. Slower (one simulation and fit per
 *   replicate: about 0.3 s at 100k customers) but free of the normal approximation. Replicates whose refit fails
 *   (`NOT_CONVERGED`, `NOT_IDENTIFIED`) are left out and counted in `warnings`; more than half failing is an error.
 *
 * Seeded and deterministic (`randomSource(seed)`): the same call gives the same intervals on Node and Deno.
 * An interval is about the parameters' estimation error, not about a customer's own randomness (his next-year
 * purchases vary far more than their expectation does).
 *
 * Reference: the delta method and percentile intervals, e.g. A. C. Davison & D. V. Hinkley (1997), Bootstrap Methods
 * and their Application, §2.4 and §5.2–5.3; the models as in `fitBgNbd`, `fitParetoNbd`, `fitGammaGamma`, `predictClv`.
 *
 * @param model a fitted purchase model (`fitBgNbd`, `fitParetoNbd`, …) or, for `expectedSpend`, a fitted Gamma-Gamma
 *   one; a model with published parameters only (no `covariance`) works with `'bootstrap'`
 * @param summary one row per customer: `frequency`, `recency`, `T` (and `monetary` for spend and CLV)
 * @param options `quantity` (required), `t` (for purchases), `spendModel` and `horizon`/`period`/`discountRate`/
 *   `margin` (for CLV, defaults as `predictClv`), `level` (0.9), `method` ('delta'), `draws` (1000; bootstrap 200),
 *   `seed` (1), `calibration` (bootstrap: the fitting summary; default `summary`), column names
 * @throws {ClienteleError} `INVALID_OPTION`; `NOT_IDENTIFIED` for a model fitted with `identified: false` or whose
 *   covariance is not finite or not positive definite; `INVALID_INPUT` for a model without a covariance under
 *   'delta'/'draws', or a summary in another unit; `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * const data = simulateBgNbd({ params: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 } }, { T: 39, customers: 2000, seed: 7 });
 * const model = fitBgNbd(data);
 * const alive = predictionIntervals(model, { frequency: [2], recency: [30], T: [39] }, { quantity: 'probabilityAlive' });
 * alive.table.getChild('lower')?.get(0) < alive.table.getChild('upper')?.get(0); // true
 */
export function predictionIntervals(
  model: PurchaseModel | GammaGammaLike,
  summary: unknown,
  options: PredictionIntervalsOptions,
): PredictionIntervals {
  options = knownOptions(options, PREDICTION_INTERVALS_OPTION_NAMES, 'predictionIntervals');
  const fn = 'predictionIntervals';
  const quantity = options.quantity;
  const request = intervalRequest(model, options, fn);
  const settings = checkIntervalOptions(options, fn);
  const patterns = readPatterns(summary, options, quantity, fn);
  checkSameUnit(request.purchase?.unit, patterns.unit, fn);
  const result = intervals(request, patterns, settings, options, fn);
  const columns = scatter(patterns, result);
  return Object.freeze({
    quantity,
    method: settings.method,
    level: settings.level,
    draws: settings.method === 'delta' ? 0 : settings.draws,
    table: tableWithMetadata(
      {
        estimate: numberVector(columns.estimate),
        lower: numberVector(columns.lower),
        upper: numberVector(columns.upper),
      },
      {
        [META.kind]: 'predictionIntervals',
        'clientele.intervals': JSON.stringify({ quantity, method: settings.method, level: settings.level }),
        ...patterns.drops.metadata(patterns.rows),
      },
    ) as Table<PredictionIntervalColumns>,
    total: Object.freeze({ ...result.total }),
    warnings: Object.freeze([...result.warnings]),
  });
}

/** The models a quantity needs, checked. @throws {ClienteleError} `INVALID_OPTION` */
function intervalRequest(
  model: PurchaseModel | GammaGammaLike,
  options: PredictionIntervalsOptions,
  fn: string,
): IntervalRequest {
  const quantity = options.quantity;
  switch (quantity) {
    case 'probabilityAlive':
      return { quantity, purchase: model as PurchaseModel, t: NaN };
    case 'conditionalExpectedPurchases': {
      const t = options.t;
      if (typeof t !== 'number' || !(t >= 0) || !Number.isFinite(t)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option t (the forecast period) must be a finite number ≥ 0 in the model's time unit (found ${describeValue(t)}); pass e.g. { quantity: 'conditionalExpectedPurchases', t: 39 }`,
        );
      }
      return { quantity, purchase: model as PurchaseModel, t };
    }
    case 'expectedSpend':
      return { quantity, spend: model as GammaGammaLike, t: NaN };
    case 'clv':
      if (options.spendModel === undefined) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: quantity 'clv' needs option spendModel (found none); pass { quantity: 'clv', spendModel: fitGammaGamma(summary) }`,
        );
      }
      return {
        quantity,
        purchase: model as PurchaseModel,
        spend: options.spendModel,
        t: NaN,
        clv: checkClvOptions(options, fn),
      };
    default: {
      const never: never = quantity;
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option quantity must be 'probabilityAlive', 'conditionalExpectedPurchases', 'expectedSpend' or 'clv' (found ${describeValue(never)}); pick what to put intervals on`,
      );
    }
  }
}

/** The level, method, draws and seed, defaults filled in. @throws {ClienteleError} `INVALID_OPTION` */
export function checkIntervalOptions(options: IntervalOptions, fn: string): IntervalSettings {
  const level = options.level ?? 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option level must be a probability strictly between 0 and 1 (found ${describeValue(level)}); e.g. 0.9 for 90 % intervals`,
    );
  }
  const method = options.method ?? 'delta';
  if (method !== 'delta' && method !== 'draws' && method !== 'bootstrap') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option method must be 'delta', 'draws' or 'bootstrap' (found ${describeValue(method)}); 'delta' is the fastest`,
    );
  }
  const draws = options.draws ?? (method === 'bootstrap' ? 200 : 1000);
  if (typeof draws !== 'number' || !Number.isInteger(draws) || draws < 2 || draws > 1_000_000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option draws must be an integer in 2 … 1,000,000 (found ${describeValue(draws)}); e.g. 1000 draws, or 200 bootstrap replicates`,
    );
  }
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be a finite number (found ${describeValue(seed)}); pass e.g. 42`,
    );
  }
  return { level, method, draws, seed, calibration: options.calibration };
}

/**
 * Reads (x, t_x, T) and z̄ as the quantity needs them, drops invalid rows (`invalidValue`: a history the models
 * refuse, or a z̄ that is not a finite number ≥ 0) and compresses the rest to distinct patterns, grouped by (x, T).
 */
function readPatterns(
  summary: unknown,
  options: HistoryColumns & { monetary?: string },
  quantity: IntervalQuantity,
  fn: string,
): Patterns {
  const table = asTable(summary);
  const unit = summaryUnit(table, fn, ['clvSummary', 'predictClv'], 'summaryFromTransactions(transactions)');
  const n = table.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the summary has no rows; pass one row per customer`);
  const history = quantity !== 'expectedSpend';
  const spend = quantity === 'expectedSpend' || quantity === 'clv';
  const read = (name: string | undefined, fallback: string) =>
    readNumeric(table, name ?? fallback, fn, fallback).values;
  const x = read(options.frequency, 'frequency');
  const zeros = new Float64Array(n);
  const tx = history ? read(options.recency, 'recency') : zeros;
  const T = history ? read(options.T, 'T') : zeros;
  const z = spend ? read(options.monetary, 'monetary') : zeros;
  const drops = new DropCounter();
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const ok = history ? validHistory(x[i], tx[i], T[i]) : x[i] >= 0 && Number.isInteger(x[i]);
    if (ok && (!spend || (z[i] >= 0 && z[i] < Infinity))) kept.push(i);
    else drops.drop('invalidValue', i);
  }
  if (kept.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has a valid history (dropped: ${JSON.stringify(drops.counts)}); check the columns hold x, t_x, T${spend ? ' and z̄' : ''}`,
    );
  }
  const take = (v: Float64Array) => {
    // a plain loop: Float64Array.from(array, fn) goes through the iterator protocol, ten times slower
    const out = new Float64Array(kept.length);
    for (let k = 0; k < kept.length; k++) out[k] = v[kept[k]];
    return out;
  };
  // spend alone depends on (x, z̄); the purchase quantities on (x, t_x, T) (and z̄ for CLV)
  const unique = _uniqueRows([take(x), take(tx), take(T), ...(spend ? [take(z)] : [])]);
  const [ux, utx, uT] = unique.columns;
  const uz = spend ? unique.columns[3] : new Float64Array(ux.length);
  const groups = _uniqueRows([ux, uT]).index;
  // order the patterns by group (counting sort), so that a block of patterns holds whole runs of groups
  const m = ux.length;
  let groupCount = 0;
  for (let p = 0; p < m; p++) groupCount = Math.max(groupCount, groups[p] + 1);
  const start = new Int32Array(groupCount + 1);
  for (let p = 0; p < m; p++) start[groups[p] + 1]++;
  for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
  const position = new Int32Array(m);
  for (let p = 0; p < m; p++) position[p] = start[groups[p]]++;
  const order = (v: Float64Array) => {
    const out = new Float64Array(m);
    for (let p = 0; p < m; p++) out[position[p]] = v[p];
    return out;
  };
  const group = new Int32Array(m);
  for (let p = 0; p < m; p++) group[position[p]] = groups[p];
  const index = new Int32Array(n).fill(-1);
  for (let k = 0; k < kept.length; k++) index[kept[k]] = position[unique.index[k]];
  return {
    x: order(ux),
    tx: order(utx),
    T: order(uT),
    z: order(uz),
    weight: order(unique.weights),
    group,
    index,
    rows: n,
    drops,
    unit,
  };
}

/** Checks a model can carry intervals; returns its covariance (row-major) or undefined when it has none. */
function modelCovariance(
  fitted: unknown,
  names: readonly string[],
  label: string,
  method: IntervalMethod,
  fn: string,
): Float64Array | undefined {
  const model = fitted as { identified?: unknown; covariance?: unknown; warnings?: unknown };
  if (model.identified === false) {
    const why =
      Array.isArray(model.warnings) && model.warnings.length > 0 ? String(model.warnings[0]) : 'identified: false';
    throw new ClienteleError(
      'NOT_IDENTIFIED',
      `${fn}: the ${label} model is not identified by its data (found ${why}); an interval from it would look plausible and mean nothing: refit on more, and more varied, customers`,
    );
  }
  const k = names.length;
  const rows = model.covariance;
  if (rows === undefined) {
    if (method === 'bootstrap') return undefined;
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: method '${method}' needs the covariance of a fitted ${label} model (found a model without covariance, e.g. published parameters); pass the result of its fit, or use method 'bootstrap'`,
    );
  }
  const out = new Float64Array(k * k);
  const valid = Array.isArray(rows) && rows.length === k;
  for (let i = 0; valid && i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = Number(rows[i]?.[j]);
  if (!valid || out.some((v) => !Number.isFinite(v))) {
    if (method === 'bootstrap') return undefined;
    throw new ClienteleError(
      'NOT_IDENTIFIED',
      `${fn}: the covariance of the ${label} model is not finite (found a singular information matrix at the estimate); the data do not identify the model: refit on more varied data, or use method 'bootstrap'`,
    );
  }
  return out;
}

/** E[M | x, z̄] of Gamma-Gamma (Fader, Hardie & Lee 2005, eq. 5) at spend parameters θ[k], θ[k + 1], θ[k + 2]. */
function spendAt(th: Float64Array, k: number, x: number, z: number): number {
  const p = th[k];
  const q = th[k + 1];
  const gamma = th[k + 2];
  if (x === 0) return q > 1 ? (p * gamma) / (q - 1) : Infinity;
  const denominator = p * x + q - 1;
  return denominator > 0 ? ((gamma + x * z) * p) / denominator : Infinity;
}

/** The parameter vector and the evaluation of the request over the patterns. */
function problemOf(request: IntervalRequest, patterns: Patterns, entry: RepeatModelEntry | undefined): IntervalProblem {
  const { quantity } = request;
  const names = entry?.names ?? [];
  const k1 = names.length;
  const purchaseParams = (request.purchase?.params ?? {}) as Readonly<Record<string, number>>;
  const spendParams = (request.spend?.params ?? {}) as Readonly<Record<string, number>>;
  const theta = Float64Array.from([
    ...names.map((name) => purchaseParams[name]),
    ...(request.spend !== undefined ? SPEND_NAMES.map((name) => spendParams[name]) : []),
  ]);
  const { x, z } = patterns;
  const modelAt = (th: Float64Array): ModelLike<Record<string, number>> => {
    const params = nullRecord<number>();
    for (let j = 0; j < k1; j++) params[names[j]] = th[j];
    return { params };
  };
  let evaluate: Evaluate;
  switch (quantity) {
    case 'probabilityAlive':
      evaluate = aliveEvaluator(patterns, entry!, modelAt);
      break;
    case 'expectedSpend':
      evaluate = (th, lo, hi, out) => {
        for (let p = lo; p < hi; p++) out[p - lo] = spendAt(th, k1, x[p], z[p]);
      };
      break;
    case 'conditionalExpectedPurchases':
    case 'clv':
      evaluate = purchasesEvaluator(request, patterns, entry!, modelAt);
      break;
    default: {
      const never: never = quantity;
      throw new Error(`unknown quantity ${String(never)}`);
    }
  }
  return {
    evaluate,
    theta,
    patterns: patterns.x.length,
    weight: patterns.weight,
    range: quantity === 'probabilityAlive' ? 'probability' : 'nonNegative',
  };
}

/**
 * P(alive | x, t_x, T) per pattern. For BG/NBD, the formula of Fader, Hardie & Lee (2008, note 021),
 * 1 / (1 + δ(x>0) a/(b + x − 1) ((α + T)/(α + t_x))^(r+x)), with ln(α + t) computed once per distinct time and
 * ln(b + x − 1) once per distinct x per parameter vector — the draws' hot loop, one exp per pattern (the test holds it
 * to `bgNbdProbabilityAlive`); every other model through its registry function.
 */
function aliveEvaluator(
  patterns: Patterns,
  entry: RepeatModelEntry,
  modelAt: (th: Float64Array) => ModelLike<Record<string, number>>,
): Evaluate {
  const { x, tx, T } = patterns;
  if (entry.kind !== 'bgNbd') {
    return (th, lo, hi, out) => {
      const m = modelAt(th);
      for (let p = lo; p < hi; p++) out[p - lo] = entry.probabilityAlive(m, x[p], tx[p], T[p]);
    };
  }
  const m = x.length;
  const both = new Float64Array(2 * m);
  both.set(tx, 0);
  both.set(T, m);
  const times = _uniqueRows([both]);
  const timeValues = times.columns[0];
  const txId = times.index.subarray(0, m);
  const TId = times.index.subarray(m);
  const xs = _uniqueRows([x]);
  const xValues = xs.columns[0];
  const xId = xs.index;
  const logTime = new Float64Array(timeValues.length);
  const logBx = new Float64Array(xValues.length);
  return (th, lo, hi, out) => {
    const r = th[0];
    const alpha = th[1];
    const a = th[2];
    const b = th[3];
    const logA = Math.log(a);
    for (let k = 0; k < timeValues.length; k++) logTime[k] = Math.log(alpha + timeValues[k]);
    for (let j = 0; j < xValues.length; j++) logBx[j] = xValues[j] > 0 ? Math.log(b + xValues[j] - 1) : 0;
    // hand-written: the hot loop of 'draws', one exp per pattern and table look-ups
    for (let p = lo; p < hi; p++) {
      const xp = x[p];
      out[p - lo] =
        xp === 0 ? 1 : 1 / (1 + Math.exp(logA - logBx[xId[p]] + (r + xp) * (logTime[TId[p]] - logTime[txId[p]])));
    }
  };
}

/**
 * The evaluation of conditional expected purchases (one horizon t) or CLV (discounted increments over the horizon
 * times margin and E[M | x, z̄]) as P(alive | x, t_x, T) · E[X | alive, x, T], the second factor once per (x, T) group.
 */
function purchasesEvaluator(
  request: IntervalRequest,
  patterns: Patterns,
  entry: RepeatModelEntry,
  modelAt: (th: Float64Array) => ModelLike<Record<string, number>>,
): Evaluate {
  const { x, T, z, group } = patterns;
  const clv = request.quantity === 'clv' ? request.clv! : undefined;
  const k1 = entry.names.length;
  const { ends, discount } =
    clv !== undefined ? discountSteps(clv) : { ends: Float64Array.of(request.t), discount: Float64Array.of(1) };
  const cumulative = new Float64Array(ends.length);
  /** E[X(T, T + s) | alive at T, x, T] at each horizon s of `ends`, for pattern p's (x, T). */
  const givenAlive = (m: ModelLike<Record<string, number>>, p: number) => {
    // any t_x gives the same ratio; t_x = T (0 without a repeat purchase) keeps P(alive) far from 0
    const rep = x[p] > 0 ? T[p] : 0;
    const alive = entry.probabilityAlive(m, x[p], rep, T[p]);
    for (let s = 0; s < ends.length; s++) {
      cumulative[s] = alive > 0 ? entry.conditionalExpectedPurchases(m, x[p], rep, T[p], ends[s]) / alive : 0;
    }
    if (clv === undefined) return cumulative[0];
    let discounted = 0;
    for (let s = 0; s < ends.length; s++)
      discounted += (cumulative[s] - (s === 0 ? 0 : cumulative[s - 1])) * discount[s];
    return discounted;
  };
  const aliveAt = aliveEvaluator(patterns, entry, modelAt);
  let alives = new Float64Array(0);
  return (th, lo, hi, out) => {
    const m = modelAt(th);
    if (alives.length < hi - lo) alives = new Float64Array(hi - lo);
    aliveAt(th, lo, hi, alives);
    let current = -1;
    let perGroup = 0;
    for (let p = lo; p < hi; p++) {
      if (group[p] !== current) {
        current = group[p];
        perGroup = givenAlive(m, p);
      }
      const alive = alives[p - lo];
      out[p - lo] = clv === undefined ? alive * perGroup : clv.margin * spendAt(th, k1, x[p], z[p]) * alive * perGroup;
    }
  };
}

/**
 * The intervals of a request over patterns, by the chosen method: the core of {@link predictionIntervals} and of
 * `predictClv`'s `interval`.
 * @throws {ClienteleError} `NOT_IDENTIFIED`, `INVALID_INPUT`, `INVALID_VALUE`, `INVALID_OPTION`
 */
function intervals(
  request: IntervalRequest,
  patterns: Patterns,
  settings: IntervalSettings,
  columns: HistoryColumns & { monetary?: string },
  fn: string,
): IntervalResult {
  const entry = request.purchase === undefined ? undefined : repeatModel(request.purchase, fn);
  if (entry !== undefined) checkParams(request.purchase?.params, entry.names, fn);
  if (request.spend !== undefined) {
    const kind = (request.spend as { kind?: unknown }).kind;
    if (kind !== undefined && kind !== 'gammaGamma') {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: the spend model must be a Gamma-Gamma model (found kind ${describeValue(kind)}); pass the result of fitGammaGamma`,
      );
    }
    checkParams(request.spend.params, SPEND_NAMES, fn);
  }
  const covariances: (Float64Array | undefined)[] = [];
  if (entry !== undefined)
    covariances.push(modelCovariance(request.purchase!, entry.names, entry.label, settings.method, fn));
  if (request.spend !== undefined) {
    covariances.push(modelCovariance(request.spend, SPEND_NAMES, 'Gamma-Gamma', settings.method, fn));
  }
  const problem = problemOf(request, patterns, entry);
  if (settings.method === 'bootstrap') {
    const replicates = bootstrapParameters(request, entry, settings, columns, patterns, fn);
    const result = percentileIntervals(problem, replicates.thetas, settings.level);
    return { ...result, warnings: [...replicates.warnings, ...result.warnings] };
  }
  // independent fits: the covariance of (purchase, spend) parameters is block-diagonal
  const k = problem.theta.length;
  const covariance = new Float64Array(k * k);
  let offset = 0;
  for (const block of covariances) {
    const b = Math.round(Math.sqrt(block!.length));
    for (let i = 0; i < b; i++)
      for (let j = 0; j < b; j++) covariance[(offset + i) * k + offset + j] = block![i * b + j];
    offset += b;
  }
  if (settings.method === 'delta') return deltaIntervals(problem, covariance, settings.level);
  return percentileIntervals(
    problem,
    normalDraws(problem.theta, covariance, settings.draws, settings.seed, fn),
    settings.level,
  );
}

/**
 * Parametric bootstrap replicates of the parameters: per replicate, histories simulated at the calibration ages (and
 * spend at the calibration customers' x), each model refitted from its estimate; row-major replicates × k.
 */
function bootstrapParameters(
  request: IntervalRequest,
  entry: RepeatModelEntry | undefined,
  settings: IntervalSettings,
  columns: HistoryColumns & { monetary?: string },
  patterns: Patterns,
  fn: string,
): { thetas: Float64Array; warnings: string[] } {
  const simulate = entry === undefined ? undefined : HISTORY_SIMULATORS[entry.kind];
  if (entry !== undefined && simulate === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: method 'bootstrap' has no simulator for the ${entry.label} model (found kind ${entry.kind}); use method 'delta' or 'draws'`,
    );
  }
  const { ages, frequencies } = calibrationCustomers(settings.calibration, columns, patterns, entry !== undefined, fn);
  const purchase = request.purchase as (PurchaseModel & { penalizer?: number }) | undefined;
  const spend = request.spend as (GammaGammaLike & { penalizer?: number }) | undefined;
  const rng = randomSource(settings.seed);
  const k = (entry?.names.length ?? 0) + (spend === undefined ? 0 : 3);
  const thetas: number[] = [];
  let failed = 0;
  const reasons = new Set<string>();
  const repeatX = spend === undefined ? undefined : frequencies.filter((v) => v > 0);
  for (let b = 0; b < settings.draws; b++) {
    try {
      const row: number[] = [];
      if (entry !== undefined) {
        const h = simulate!(purchase!.params as Record<string, number>, ages, rng);
        const fit = entry.fit(
          { frequency: h.x, recency: h.tx, T: h.T },
          { start: purchase!.params, penalizer: purchase!.penalizer ?? 0 },
        );
        row.push(...entry.names.map((name) => fit.params[name]));
      }
      if (spend !== undefined) {
        const z = simulateSpend(spend.params, repeatX!, rng);
        const fit = fitGammaGamma(
          { frequency: repeatX!, monetary: z },
          { start: spend.params, penalizer: spend.penalizer ?? 0 },
        );
        row.push(fit.params.p, fit.params.q, fit.params.gamma);
      }
      thetas.push(...row);
    } catch (e) {
      if (!isClienteleError(e) || (e.code !== 'NOT_CONVERGED' && e.code !== 'NOT_IDENTIFIED')) throw e;
      failed++;
      reasons.add(e.code);
    }
  }
  const done = thetas.length / k;
  if (done < settings.draws / 2 || done < 2) {
    throw new ClienteleError(
      'NOT_IDENTIFIED',
      `${fn}: ${failed} of ${settings.draws} bootstrap refits failed (${[...reasons].join(', ')}); the data barely identify the model: fit on more customers, or use method 'delta'`,
    );
  }
  const warnings =
    failed === 0
      ? []
      : [
          `${failed} of ${settings.draws} bootstrap refits failed (${[...reasons].join(', ')}) and were left out; the percentiles use the other ${done}`,
        ];
  return { thetas: Float64Array.from(thetas), warnings };
}

/** The ages T and repeat transactions x of the calibration customers, one entry per customer (weights expanded). */
function calibrationCustomers(
  calibration: unknown,
  columns: HistoryColumns,
  patterns: Patterns,
  history: boolean,
  fn: string,
): { ages: Float64Array; frequencies: Float64Array } {
  if (calibration === undefined) {
    let n = 0;
    for (let p = 0; p < patterns.weight.length; p++) n += patterns.weight[p];
    const ages = new Float64Array(n);
    const frequencies = new Float64Array(n);
    let i = 0;
    for (let p = 0; p < patterns.weight.length; p++) {
      for (let c = 0; c < patterns.weight[p]; c++, i++) {
        ages[i] = patterns.T[p];
        frequencies[i] = patterns.x[p];
      }
    }
    return { ages, frequencies };
  }
  if (!history) {
    const table = asTable(calibration);
    const x = readNumeric(table, columns.frequency ?? 'frequency', fn, 'frequency').values;
    return { ages: new Float64Array(x.length), frequencies: x.filter((v) => v >= 0 && Number.isInteger(v)) };
  }
  const h = fitHistories(calibration, columns, fn);
  const ages: number[] = [];
  const frequencies: number[] = [];
  for (let p = 0; p < h.x.length; p++) {
    const count = Math.round(h.weight[p]);
    for (let c = 0; c < count; c++) {
      ages.push(h.T[p]);
      frequencies.push(h.x[p]);
    }
  }
  return { ages: Float64Array.from(ages), frequencies: Float64Array.from(frequencies) };
}

/** Per-pattern results scattered back to rows (NaN for dropped rows). */
function scatter(patterns: Patterns, result: IntervalResult) {
  const n = patterns.rows;
  const out = (v: Float64Array) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = patterns.index[i] < 0 ? NaN : v[patterns.index[i]];
    return a;
  };
  return { estimate: out(result.estimate), lower: out(result.lower), upper: out(result.upper) };
}

/**
 * CLV intervals for `predictClv`'s rows: per row lower and upper (NaN for a row the intervals drop), and the total.
 * @throws {ClienteleError} as {@link predictionIntervals}
 */
export function clvIntervals(
  purchase: PurchaseModel,
  spend: GammaGammaLike,
  summary: unknown,
  clv: ClvSettings,
  settings: IntervalSettings,
  columns: HistoryColumns & { monetary?: string },
  fn: string,
): { lower: Float64Array; upper: Float64Array; total: IntervalResult['total']; warnings: string[] } {
  const patterns = readPatterns(summary, columns, 'clv', fn);
  const result = intervals({ quantity: 'clv', purchase, spend, t: NaN, clv }, patterns, settings, columns, fn);
  const rows = scatter(patterns, result);
  return { lower: rows.lower, upper: rows.upper, total: result.total, warnings: result.warnings };
}
