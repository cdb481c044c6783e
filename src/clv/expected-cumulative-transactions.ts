import type { Float64, Int32, Table } from 'apache-arrow';
import {
  asTable,
  checkDateUnit,
  ClienteleError,
  describeValue,
  isoDate,
  knownOptions,
  META,
  numberVector,
  optionNames,
  optionValue,
  readNumeric,
  tableWithMetadata,
  toEpochDay,
} from '../table/internal';
import type { DateUnit } from '../table/internal';
import { RETURNS } from '../kernels/internal';
import { customerRows } from './customer-rows';
import { repeatModel } from './repeat-models';
import type { RepeatModelEntry } from './repeat-models';
import type { ModelLike } from './model';

/** Options of {@link expectedCumulativeTransactions}. */
export interface ExpectedCumulativeTransactionsOptions {
  /** Column names of a transaction log; defaults `customer`, `date`, `amount` (the amount may be absent). */
  customer?: string;
  date?: string;
  amount?: string | null;
  /** How plain numbers in the date column (and a numeric `calibrationEnd`) are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
  /** Orders with a negative amount (returns): `'exclude'` (default, as `summaryFromTransactions`) or `'keep'`. */
  returns?: 'keep' | 'exclude';
  /** The model's time unit, when the model does not say (`model.unit`): `'day'` or `'week'`. Default `'week'`. */
  unit?: 'day' | 'week';
  /** Number of periods N. Default: up to the last transaction of the log (through the holdout of a summary). */
  periods?: number;
  /** Length of one period in `unit`s (BTYD's T.tot / n.periods.final). Default 1. */
  periodLength?: number;
  /**
   * Last day of the calibration period: customers first buying after it are left out (counted as
   * `acquiredLater`), and the chart marks it. Default: none for a log; a summary's own `clientele.calibrationEnd`.
   */
  calibrationEnd?: Date | string | number;
}

const EXPECTED_CUMULATIVE_TRANSACTIONS_OPTION_NAMES = optionNames<ExpectedCumulativeTransactionsOptions>({
  customer: true,
  date: true,
  amount: true,
  dateUnit: true,
  returns: true,
  unit: true,
  periods: true,
  periodLength: true,
  calibrationEnd: true,
});

/**
 * The columns of {@link expectedCumulativeTransactions}: one row per period. `actual` and `actualCumulative` are
 * present only when the input is a transaction log (a summary gives first purchases, not later ones).
 */
export type ExpectedCumulativeTransactionsColumns = {
  period: Int32;
  time: Float64;
  expected: Float64;
  expectedCumulative: Float64;
  actual: Float64;
  actualCumulative: Float64;
};

const UNIT_DAYS = { day: 1, week: 7 } as const;

/** The cohort as the computation needs it: first purchases by birth time, and repeat purchases by period. */
export interface Cohort {
  /** Distinct birth times sᵢ (in units from the origin) and how many customers have each. */
  readonly births: Float64Array;
  readonly counts: Float64Array;
  readonly customers: number;
  /** The origin (epoch day of the earliest first purchase), or NaN when a summary does not say its dates. */
  readonly origin: number;
  readonly unit: 'day' | 'week';
  readonly per: number;
  /** Repeat purchase days (distinct days after the first, per customer) as day offsets from the origin; null for a summary. */
  readonly repeats: Float64Array | null;
  /** The time at which the default periods end (the last transaction day's end; the holdout end of a summary). */
  readonly lastTime: number;
  /** The end of the last calibration day in units from the origin, or NaN. */
  readonly calibrationTime: number;
  readonly metadata: Record<string, string>;
}

/**
 * The expected cumulative repeat transactions of a cohort whose customers made their first purchases at different
 * times, period by period, beside the actual ones — the tracking curve of BTYD's
 * `bgnbd.ExpectedCumulativeTransactions` / `pnbd.ExpectedCumulativeTransactions` and lifetimes'
 * `expected_cumulative_transactions`. Analysts plot it (`trackingChart`) to see whether a model fitted on the
 * calibration period forecasts the cohort's total purchasing in the holdout period, week after week.
 *
 * Formula: customer i, first purchase at time sᵢ from the cohort's start (the earliest first purchase), is expected
 * to make E[X(t − sᵢ)] repeat purchases by time t (the model's unconditional expectation, e.g. Fader, Hardie & Lee
 * 2005, eq. 9); at the end of period k (time t_k = k·L, L = `periodLength`) the expected cumulative repeat
 * transactions are Σ_{i: sᵢ < t_k} E[X(t_k − sᵢ)], and the expected transactions of period k are the difference of
 * two consecutive sums. Actual: repeat purchases counted as `summaryFromTransactions` counts them (distinct purchase
 * days after the first), each in the period that holds its day.
 *
 * Conventions (BTYD's, whose figures the tests reproduce): a day d is the time (d − start)/7 weeks (or days), its
 * start, as in `summaryFromTransactions`' t_x and T. A customer whose first purchase falls inside period k counts in
 * that period from his own first day: at the end of period k he contributes E[X(t_k − sᵢ)] over the part of the
 * period he was a customer — not a whole period (lifetimes with `freq='W'` moves first purchases to the start of
 * their calendar period; with `freq='D'` and `freq_multiplier=7` it agrees with BTYD). Given a `summaryFromTransactions`
 * table instead of a log, first purchases are sᵢ = max T − Tᵢ (BTYD's `T.cal` input) and there is no actual.
 *
 * Units: periods and `time` in the model's time unit (`model.unit`, else `unit`); transactions are counts.
 * Cost: O(n) to read n rows, then N · D evaluations of E[X(t)] for N periods and D distinct first-purchase days.
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), fig. 3
 * and 4; the BTYD walkthrough (Wadsworth 2012), §4.4 "tracking"; Hardie's note 008 (Pareto/NBD in MATLAB), p. 8.
 *
 * @param model a repeat-buying model: the result of a fit (`fitBgNbd`, `fitParetoNbd`, …) or `{ kind, params }`
 * @param transactions a transaction log (customer, date; amount when there is one), or a `summaryFromTransactions`
 *   table (its `T` gives the first purchases)
 * @param options column names (`customer`, `date`, `amount`), `dateUnit` ('yyyymmdd'), `returns` ('exclude'),
 *   `unit` (the model's, else 'week'), `periods` (to the last transaction), `periodLength` (1), `calibrationEnd`
 * @throws {ClienteleError} `INVALID_OPTION` (a model of an unknown kind, a bad option, a unit that differs from the
 *   model's), `INVALID_VALUE` (a parameter), `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * const log = { customer: [1, 1, 2], date: ['2024-01-01', '2024-01-10', '2024-01-08'] };
 * const curve = expectedCumulativeTransactions({ kind: 'bgNbd', params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 } }, log);
 * curve.getChild('actualCumulative')?.toArray(); // Float64Array [0, 1]
 * curve.getChild('time')?.toArray(); // Float64Array [1, 2]
 */
export function expectedCumulativeTransactions(
  model: unknown,
  transactions: unknown,
  options: ExpectedCumulativeTransactionsOptions = {},
): Table<ExpectedCumulativeTransactionsColumns> {
  options = knownOptions(options, EXPECTED_CUMULATIVE_TRANSACTIONS_OPTION_NAMES, 'expectedCumulativeTransactions');
  const fn = 'expectedCumulativeTransactions';
  const entry = repeatModel(model, fn);
  const table = asTable(transactions);
  const isSummary = table.schema.metadata.get(META.kind) === 'clvSummary';
  const unit = resolveUnit(model, isSummary ? table.schema.metadata.get('clientele.unit') : undefined, options, fn);
  const cohort = isSummary ? summaryCohort(table, unit, options, fn) : logCohort(table, unit, options, fn);
  const length = positiveOption(options.periodLength, 1, 'periodLength', fn);
  const periods =
    options.periods === undefined ? Math.max(1, Math.ceil(cohort.lastTime / length - 1e-9)) : countOf(options, fn);
  return trackingCurve(entry, model as ModelLike<Record<string, number>>, cohort, periods, length);
}

/**
 * The tracking table of a cohort read once (`holdoutValidation` reads the log once for every model): expected and
 * actual per period, incremental and cumulative.
 */
export function trackingCurve(
  entry: RepeatModelEntry,
  model: ModelLike<Record<string, number>>,
  cohort: Cohort,
  periods: number,
  length: number,
): Table<ExpectedCumulativeTransactionsColumns> {
  const expected = expectedByPeriod(entry, model, cohort, periods, length);
  const actual = cohort.repeats === null ? null : actualByPeriod(cohort.repeats, cohort.per * length, periods);
  return trackingTable(cohort, expected, actual, { unit: cohort.unit, length, label: entry.label });
}

/** The model's time unit: `model.unit`, the summary's, or `options.unit` ('week'); they must agree. @throws {ClienteleError} `INVALID_OPTION` */
function resolveUnit(
  model: unknown,
  tableUnit: string | undefined,
  options: ExpectedCumulativeTransactionsOptions,
  fn: string,
): 'day' | 'week' {
  const given = options.unit;
  if (given !== undefined && given !== 'day' && given !== 'week') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit must be 'day' or 'week' (found ${describeValue(given)}); give the time unit the model was fitted in`,
    );
  }
  const modelUnit = (model as { unit?: unknown }).unit;
  const said = [
    ['the model', typeof modelUnit === 'string' ? modelUnit : undefined],
    ['the summary', tableUnit],
    ['option unit', given],
  ].filter((s): s is [string, string] => s[1] !== undefined);
  for (const [who, u] of said) {
    if (u !== said[0][1] || (u !== 'day' && u !== 'week')) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: ${said[0][0]} is in ${said[0][1]}s but ${who} is in ${u}s (found ${said.map(([w, v]) => `${w}: ${v}`).join(', ')}); ` +
          `use one time unit: fit the model on summaryFromTransactions(transactions, { unit }) with the unit of the tracking`,
      );
    }
  }
  return (said[0]?.[1] as 'day' | 'week' | undefined) ?? 'week';
}

/** A positive finite number option. @throws {ClienteleError} `INVALID_OPTION` */
function positiveOption(value: unknown, fallback: number, name: string, fn: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be a finite number > 0 in the model's time unit (found ${describeValue(value)}); e.g. ${fallback}`,
    );
  }
  return value;
}

/** The `periods` option: an integer from 1 to 100,000. @throws {ClienteleError} `INVALID_OPTION` */
function countOf(options: ExpectedCumulativeTransactionsOptions, fn: string): number {
  const n = options.periods;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option periods must be an integer from 1 to 100,000 (found ${describeValue(n)}); e.g. 78 weeks`,
    );
  }
  return n;
}

/** Read: a transaction log's first purchases and repeat purchase days. */
export function logCohort(
  table: Table,
  unit: 'day' | 'week',
  options: ExpectedCumulativeTransactionsOptions,
  fn: string,
): Cohort {
  const dateUnit = checkDateUnit(options.dateUnit, fn);
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const calibrationEnd =
    options.calibrationEnd === undefined ? NaN : toEpochDay(options.calibrationEnd, fn, 'calibrationEnd', dateUnit);
  const rows = customerRows(table, { ...options, dateUnit, returns }, fn);
  const { start, days } = rows;
  const size = rows.keys.size;
  const firstDays = new Float64Array(size);
  let customers = 0;
  let acquiredLater = 0;
  let origin = Infinity;
  for (let c = 0; c < size; c++) {
    firstDays[c] = NaN;
    if (start[c] === start[c + 1]) continue;
    const first = days[start[c]];
    if (first > calibrationEnd) {
      acquiredLater++;
      continue;
    }
    firstDays[c] = first;
    customers++;
    if (first < origin) origin = first;
  }
  if (customers === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no customer made a first purchase on or before calibrationEnd (${isoDate(calibrationEnd)}); check the dates and calibrationEnd`,
    );
  }
  // repeat purchases: the distinct days after each customer's first (rows are sorted by day within a customer)
  const repeats: number[] = [];
  const births = new Map<number, number>();
  for (let c = 0; c < size; c++) {
    const first = firstDays[c];
    if (Number.isNaN(first)) continue;
    births.set(first - origin, (births.get(first - origin) ?? 0) + 1);
    let previous = first;
    for (let k = start[c] + 1; k < start[c + 1]; k++) {
      if (days[k] !== previous) repeats.push(days[k] - origin);
      previous = days[k];
    }
  }
  const per = UNIT_DAYS[unit];
  const metadata: Record<string, string> = {
    ...rows.drops.metadata(rows.rows),
    'clientele.acquiredLater': String(acquiredLater),
    'clientele.start': isoDate(origin),
  };
  if (!Number.isNaN(calibrationEnd)) metadata['clientele.calibrationEnd'] = isoDate(calibrationEnd);
  return {
    ...birthArrays(births, per),
    customers,
    origin,
    unit,
    per,
    repeats: Float64Array.from(repeats),
    lastTime: (rows.lastDay + 1 - origin) / per,
    calibrationTime: Number.isNaN(calibrationEnd) ? NaN : (calibrationEnd + 1 - origin) / per,
    metadata,
  };
}

/** Read: a `summaryFromTransactions` table's first purchases, sᵢ = max T − Tᵢ (BTYD's `T.cal`). */
function summaryCohort(
  table: Table,
  unit: 'day' | 'week',
  options: ExpectedCumulativeTransactionsOptions,
  fn: string,
): Cohort {
  for (const name of ['customer', 'date', 'amount', 'returns', 'calibrationEnd'] as const) {
    if (options[name] !== undefined) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} applies to a transaction log, but the input is a summaryFromTransactions table (found ${name}: ${describeValue(options[name])}); leave it out, or pass the log`,
      );
    }
  }
  const T = readNumeric(table, 'T', fn, 'T').values;
  let maxT = -Infinity;
  let customers = 0;
  for (let i = 0; i < T.length; i++) {
    if (T[i] >= 0 && T[i] < Infinity) {
      customers++;
      if (T[i] > maxT) maxT = T[i];
    }
  }
  if (customers === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the summary has no row with a valid age T (found ${T.length} rows); pass summaryFromTransactions(transactions)`,
    );
  }
  const per = UNIT_DAYS[unit];
  const births = new Map<number, number>();
  for (let i = 0; i < T.length; i++) {
    // the birth in days from the origin, rounded to the day the summary measured it from (T = days / per)
    if (T[i] >= 0 && T[i] < Infinity) {
      const day = Math.round((maxT - T[i]) * per);
      births.set(day, (births.get(day) ?? 0) + 1);
    }
  }
  const duration = table.getChild('durationHoldout')
    ? readNumeric(table, 'durationHoldout', fn, 'durationHoldout').values
    : null;
  const holdout = duration !== null && duration.length > 0 && duration[0] >= 0 ? duration[0] : 0;
  const calibrationEnd = table.schema.metadata.get('clientele.calibrationEnd');
  const metadata: Record<string, string> = {
    'clientele.acquiredLater': table.schema.metadata.get('clientele.acquiredLater') ?? '0',
  };
  let origin = NaN;
  if (calibrationEnd !== undefined) {
    metadata['clientele.calibrationEnd'] = calibrationEnd;
    origin = toEpochDay(calibrationEnd, fn, 'calibrationEnd') - Math.round(maxT * per);
    metadata['clientele.start'] = isoDate(origin);
  }
  return {
    ...birthArrays(births, per),
    customers,
    origin,
    unit,
    per,
    repeats: null,
    lastTime: maxT + holdout + 1 / per,
    calibrationTime: maxT + 1 / per,
    metadata,
  };
}

/** The distinct birth days as times in units, with their counts. */
function birthArrays(births: Map<number, number>, per: number): { births: Float64Array; counts: Float64Array } {
  const days = [...births.keys()].sort((a, b) => a - b);
  return {
    births: Float64Array.from(days, (d) => d / per),
    counts: Float64Array.from(days, (d) => births.get(d)!),
  };
}

/** Compute: Σ_{sᵢ < t_k} E[X(t_k − sᵢ)] for t_k = k·L, k = 1 … N, one evaluation per period and distinct birth. */
function expectedByPeriod(
  entry: RepeatModelEntry,
  model: ModelLike<Record<string, number>>,
  cohort: Cohort,
  periods: number,
  length: number,
): Float64Array {
  const { births, counts } = cohort;
  const cumulative = new Float64Array(periods);
  for (let k = 1; k <= periods; k++) {
    const t = k * length;
    let sum = 0;
    for (let d = 0; d < births.length && births[d] < t; d++)
      sum += counts[d] * entry.expectedPurchases(model, t - births[d]);
    cumulative[k - 1] = sum;
  }
  return cumulative;
}

/** Compute: repeat purchases per period, period k holding the days [(k − 1)·L·per, k·L·per) from the origin. */
function actualByPeriod(repeats: Float64Array, daysPerPeriod: number, periods: number): Float64Array {
  const counts = new Float64Array(periods);
  for (let j = 0; j < repeats.length; j++) {
    const k = Math.floor(repeats[j] / daysPerPeriod);
    if (k < periods) counts[k]++;
  }
  return counts;
}

/** Assemble: one row per period, incremental and cumulative, with the cohort's metadata. */
function trackingTable(
  cohort: Cohort,
  expectedCumulative: Float64Array,
  actual: Float64Array | null,
  o: { unit: string; length: number; label: string },
): Table {
  const n = expectedCumulative.length;
  const expected = expectedCumulative.map((v, k) => (k === 0 ? v : v - expectedCumulative[k - 1]));
  const columns: Record<string, ReturnType<typeof numberVector>> = {
    period: numberVector(Int32Array.from({ length: n }, (_, k) => k + 1)),
    time: numberVector(Float64Array.from({ length: n }, (_, k) => (k + 1) * o.length)),
    expected: numberVector(expected),
    expectedCumulative: numberVector(expectedCumulative),
  };
  if (actual !== null) {
    const cumulative = new Float64Array(n);
    for (let k = 0, s = 0; k < n; k++) cumulative[k] = s += actual[k];
    columns.actual = numberVector(actual);
    columns.actualCumulative = numberVector(cumulative);
  }
  const metadata: Record<string, string> = {
    [META.kind]: 'expectedCumulativeTransactions',
    'clientele.unit': o.unit,
    'clientele.periodLength': String(o.length),
    'clientele.customers': String(cohort.customers),
    'clientele.model': o.label,
    ...cohort.metadata,
  };
  if (!Number.isNaN(cohort.calibrationTime) && cohort.metadata['clientele.calibrationEnd'] !== undefined) {
    metadata['clientele.calibrationTime'] = String(cohort.calibrationTime);
  }
  return tableWithMetadata(columns, metadata);
}
