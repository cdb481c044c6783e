import { Table } from 'apache-arrow';
import type { DataType, Float64 } from 'apache-arrow';
import type { KeyType } from '../table/internal';
import { checkOrderLogOptions, orderLog, RETURNS } from '../kernels/internal';
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
  tableWithMetadata,
  takeVector,
  toEpochDay,
} from '../table/internal';
import type { DateUnit } from '../table/internal';
import { customerRows } from './customer-rows';
import type { CustomerRows } from './customer-rows';
import { CALENDAR, periodIndex, periodIndices, periodStart } from './calendar-periods';
import type { CalendarPeriod } from './calendar-periods';

/** Options of {@link summaryFromTransactions}. */
export interface SummaryFromTransactionsOptions {
  /** Column names; defaults `customer`, `date`, `amount` (`amount` may be left out when there is no such column). */
  customer?: string;
  date?: string;
  amount?: string | null;
  /**
   * The time unit of `recency`, `T` and the holdout duration in continuous time (purchases counted per day): days or
   * weeks (7 days). Default `'week'`; not with `calendar`.
   */
  unit?: 'day' | 'week';
  /**
   * Count purchases in UTC calendar periods instead (lifetimes' `freq=`): `'week'` (Monday–Sunday, pandas' `'W'`),
   * `'month'`, `'quarter'`, `'year'` or `'day'`; `frequency` is then the periods with a purchase after the first and
   * `recency`, `T`, `durationHoldout` whole numbers of periods. Default: none (continuous time in `unit`).
   */
  calendar?: CalendarPeriod;
  /** Last day of the calibration period (inclusive). Default: the last transaction day. */
  calibrationEnd?: Date | string | number;
  /** Last day of the holdout period (inclusive); adds `frequencyHoldout`, `monetaryHoldout`, `durationHoldout`. */
  holdoutEnd?: Date | string | number;
  /** How plain numbers in the date column (and numeric ends) are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
  /** Column of order ids: the rows are line items, folded into orders first (as `customerSummary`). Default none. */
  transaction?: string;
  /** Columns whose product is the amount of a row (instead of `amount`). Default none. */
  quantity?: string;
  price?: string;
  /** Orders with a negative amount (returns): `'exclude'` (default; counted as `negativeAmount`) or `'keep'`. */
  returns?: 'keep' | 'exclude';
}

const UNIT_DAYS = { day: 1, week: 7 } as const;

/** The checked options of {@link summaryFromTransactions}: the time unit and the ends asked for, as epoch days. */
interface SummaryEnds {
  readonly unit: 'day' | 'week';
  /** The calendar periods purchases are counted in; undefined in continuous time. */
  readonly calendar: CalendarPeriod | undefined;
  readonly dateUnit: DateUnit | undefined;
  readonly calibrationGiven: boolean;
  readonly holdout: boolean;
  /** The calibration end asked for (NaN when not given), and the holdout end (NaN without a holdout). */
  readonly calibrationAsked: number;
  readonly holdoutAsked: number;
}

/** The per-customer figures of the summary, indexed by customer code, and which customers it keeps. */
interface CustomerSums {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly age: Float64Array;
  readonly monetary: Float64Array;
  readonly frequencyHoldout: Float64Array;
  readonly monetaryHoldout: Float64Array;
  /** 1 for a customer acquired by the calibration end, 0 for one acquired later or without kept rows. */
  readonly included: Uint8Array;
  readonly customers: number;
  readonly acquiredLater: number;
}

/**
 * The ends of the summary in its time scale (epoch days, or period indices with `calendar`), how many of them make
 * one unit (days per `unit`; 1 for calendar periods), and the unit written in `clientele.unit`.
 */
interface SummaryPeriods {
  readonly unit: string;
  readonly per: number;
  readonly calibrationEnd: number;
  readonly holdoutEnd: number;
  readonly holdout: boolean;
}

/** The options summaryFromTransactions takes; every other name is refused with a did-you-mean. */
const SUMMARY_FROM_TRANSACTIONS_OPTION_NAMES = optionNames<SummaryFromTransactionsOptions>({
  customer: true,
  date: true,
  amount: true,
  unit: true,
  calendar: true,
  calibrationEnd: true,
  holdoutEnd: true,
  dateUnit: true,
  transaction: true,
  quantity: true,
  price: true,
  returns: true,
});

/**
 * The columns of `summaryFromTransactions`: one row per customer. The three holdout columns are present only with a
 * holdout period (`holdoutEnd`); without one, `getChild('frequencyHoldout')` returns null.
 */
export type ClvSummaryColumns<K extends DataType = KeyType> = {
  customer: K;
  frequency: Float64;
  recency: Float64;
  T: Float64;
  monetary: Float64;
  frequencyHoldout: Float64;
  monetaryHoldout: Float64;
  durationHoldout: Float64;
};

/**
 * The per-customer summary the probabilistic CLV models are fitted on, in one of two conventions.
 *
 * Continuous time (the default; Fader, Hardie & Lee 2005; lifetimes' `freq='D'`, `freq_multiplier=7` for weeks):
 * purchases are counted per calendar day (several transactions of one customer on one day are one purchase whose
 * value is their sum), times are measured in days or weeks (`unit`; a week is 7 days, so T = 38.86 weeks is
 * possible), and over the calibration period
 *
 * - `frequency` x: repeat purchases, the number of purchase days after the first one;
 * - `recency` t_x: time from the first purchase to the last repeat purchase (0 when x = 0) — NOT the RFM recency;
 * - `T`: the customer's age, time from the first purchase to the end of calibration;
 * - `monetary`: mean value of the repeat purchases (0 when x = 0), the z̄ of the Gamma-Gamma model.
 *
 * Calendar periods (`calendar`; what lifetimes' `summary_data_from_transaction_data(…, freq='W')` does): each date
 * becomes its UTC calendar period — `'week'` Monday to Sunday (pandas' `'W'`, an alias of `'W-SUN'`: weeks ending on
 * Sunday), `'month'`, `'quarter'`, `'year'` of the calendar, or `'day'` (the same as `unit: 'day'`) — and x is the
 * number of periods with a purchase after the first one, t_x = last period − first period, T = the calibration end's
 * period − the first period, z̄ the mean of the repeat periods' totals; all whole numbers of periods.
 *
 * Which to use: the BG/NBD, Pareto/NBD and Gamma-Gamma models assume purchases in continuous time, and the papers'
 * figures are in the continuous convention, so it is the default. Calendar periods suit weekly or monthly reporting
 * and match lifetimes' `freq=` output, at a cost: purchases in the same period tie (two orders a week apart can be
 * one purchase or two, depending on the weekday), so x loses information, and a model fitted on them counts purchase
 * periods, not purchases. With at most one purchase counted per period, a calendar summary is also the (x, t_x, n)
 * of the discrete-time BG/BB model, its periods the transaction opportunities: `fitBgBb(summary, { periods: 'T' })`.
 * `clientele.unit` says which (`'week'`, `'day'`, `'calendar week'`, `'calendar month'`, …): a model fitted on one
 * refuses a summary in another (`INVALID_INPUT`).
 *
 * With `holdoutEnd`: `frequencyHoldout` (purchase days, or periods, in (calibrationEnd, holdoutEnd]),
 * `monetaryHoldout` (their mean value) and `durationHoldout` (the holdout length: with `calendar`, holdoutEnd's
 * period − calibrationEnd's period), to validate predictions; with `calendar` the calibration must end on the last
 * day of a period (`INVALID_VALUE` otherwise), so that no period is split. Customers whose first purchase is after
 * the calibration end are left out and counted (`acquiredLater`), as are rows after the last end (`afterAsOf`), bad
 * rows (`nullCustomer`, `invalidDate`, `invalidAmount`) and, by default, returns (rows — or orders, with
 * `transaction` — with a negative amount: `negativeAmount`; `returns: 'keep'` keeps them). With `transaction` the
 * rows are line items, folded into orders as `customerSummary` does (amount: the sum of the lines; customer and
 * date: the first line's); with `quantity` and `price` a row's amount is their product.
 *
 * Differences from lifetimes, by design: rows after the calibration end in its period are dropped (counted), where
 * lifetimes' summary keeps them; `monetaryHoldout` is the mean of the holdout periods' totals, as `monetary`, where
 * lifetimes averages the holdout's rows; month, quarter and year differences are whole calendar periods, where
 * lifetimes divides the days between period starts by numpy's `timedelta64(1, freq)` (a month of 30.436875 days).
 *
 * Units: `recency`, `T`, `durationHoldout` in `unit` (weeks by default: days / 7) or in `calendar` periods; money as
 * the input.
 * Cost: O(n) to bucket rows by customer, then a sort of each customer's own days.
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "Counting your customers the easy way: an
 * alternative to the Pareto/NBD model", Marketing Science 24(2), 275–284, §2 (the x, t_x, T summary); lifetimes
 * `utils.summary_data_from_transaction_data` and `calibration_and_holdout_data` (`freq`) for calendar periods.
 *
 * @param tx the transaction log (any `asTable` input): one row per transaction (or line item, with `transaction`)
 * @param options the columns (`customer`, `date`, `amount`), the ends, and the time scale: `unit` (`'week'`, the
 *   default, or `'day'`) or `calendar` (`'day'`, `'week'`, `'month'`, `'quarter'`, `'year'`; default none)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`, `EMPTY_INPUT`
 * @example
 * const log = {
 *   customer: [4, 4, 4, 4],
 *   date: [19970101, 19970118, 19970802, 19971212],
 *   amount: [29.33, 29.73, 14.96, 26.48],
 * };
 * const s = summaryFromTransactions(log, { calibrationEnd: 19970930 });
 * s.getChild('frequency')?.toArray(); // Float64Array [2]
 * Math.round(s.getChild('recency')?.get(0) * 100) / 100; // 30.43
 * // calendar months: January (two purchases, one period), August; the calibration ends in September
 * const m = summaryFromTransactions(log, { calibrationEnd: 19970930, calendar: 'month' });
 * [m.getChild('frequency')?.get(0), m.getChild('recency')?.get(0), m.getChild('T')?.get(0)]; // [1, 7, 8]
 * m.schema.metadata.get('clientele.unit'); // 'calendar month'
 */
export function summaryFromTransactions(
  tx: unknown,
  options: SummaryFromTransactionsOptions = {},
): Table<ClvSummaryColumns> {
  options = knownOptions(options, SUMMARY_FROM_TRANSACTIONS_OPTION_NAMES, 'summaryFromTransactions');
  const fn = 'summaryFromTransactions';
  const ends = readEnds(options, fn);
  const { holdout, calibrationGiven, calibrationAsked, holdoutAsked } = ends;
  const end = holdout ? holdoutAsked : calibrationGiven ? calibrationAsked : undefined;
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const log = ordersOf(tx, options, ends.dateUnit, fn);
  const rows = customerRows(log.tx, { ...options, amount: log.amount, dateUnit: ends.dateUnit, end, returns }, fn);
  const calibrationEnd = calibrationGiven ? calibrationAsked : rows.lastDay;
  const holdoutEnd = holdout ? holdoutAsked : calibrationEnd;
  const periods = timeScale(ends, calibrationEnd, holdoutEnd);
  // calendar periods: every day becomes its period's index, and the walk below counts periods as it counts days
  const days = ends.calendar === undefined ? rows.days : periodIndices(rows.days, ends.calendar);
  const sums = sumCustomers(rows, days, periods.calibrationEnd, periods.per);
  if (sums.customers === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no customer made a first purchase on or before calibrationEnd (${isoDate(calibrationEnd)}) ` +
        `(dropped rows: ${JSON.stringify(rows.drops.counts)}); check the dates and calibrationEnd`,
    );
  }
  return summaryTable(rows, sums, periods, isoDate(calibrationEnd), isoDate(holdoutEnd));
}

/**
 * The time scale of the summary: epoch days and days per `unit` in continuous time; period indices and one period
 * per unit with `calendar` (`clientele.unit` `'calendar week'` …, or `'day'`: calendar days are the day unit).
 */
function timeScale(ends: SummaryEnds, calibrationEnd: number, holdoutEnd: number): SummaryPeriods {
  const { calendar, unit, holdout } = ends;
  if (calendar === undefined) return { unit, per: UNIT_DAYS[unit], calibrationEnd, holdoutEnd, holdout };
  return {
    unit: calendar === 'day' ? 'day' : `calendar ${calendar}`,
    per: 1,
    calibrationEnd: periodIndex(calibrationEnd, calendar),
    holdoutEnd: periodIndex(holdoutEnd, calendar),
    holdout,
  };
}

/**
 * The log as orders (`orderLog`: lines folded by `transaction`, amounts as quantity × price) and the name of its
 * amount column (null when the log has none). @throws {ClienteleError} `INVALID_OPTION`, `INVALID_INPUT`
 */
function ordersOf(
  tx: unknown,
  options: SummaryFromTransactionsOptions,
  dateUnit: DateUnit | undefined,
  fn: string,
): { tx: unknown; amount: string | null | undefined } {
  checkOrderLogOptions(options, fn);
  const { transaction, quantity, price } = options;
  if (transaction === undefined && quantity === undefined) return { tx, amount: options.amount };
  let table = asTable(tx);
  let amount = options.amount ?? 'amount';
  if (quantity === undefined && options.amount === undefined && !table.getChild('amount')) {
    // a log without amounts: every order is worth 0, as every row is without `transaction`
    amount = 'amount';
    table = table.assign(new Table({ amount: numberVector(new Float64Array(table.numRows)) }));
  }
  const cols = { customer: options.customer ?? 'customer', date: options.date ?? 'date', amount, dateUnit };
  return { tx: orderLog(table, { ...cols, transaction, quantity, price }, fn), amount };
}

/**
 * Checks `unit`, `calendar` and `dateUnit` and reads the two ends.
 * @throws {ClienteleError} `INVALID_OPTION`, `INVALID_VALUE`
 */
function readEnds(options: SummaryFromTransactionsOptions, fn: string): SummaryEnds {
  const unit = options.unit ?? 'week';
  if (unit !== 'day' && unit !== 'week') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit must be 'day' or 'week' (found ${describeValue(unit)}); the models work in either (for ` +
        `calendar periods use option calendar)`,
    );
  }
  const calendar = options.calendar === undefined ? undefined : optionValue(options, 'calendar', CALENDAR, fn);
  if (calendar !== undefined && options.unit !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit and option calendar were both given (found unit ${describeValue(options.unit)}, calendar ` +
        `${describeValue(calendar)}); keep option unit for continuous time in days or weeks, or option calendar for ` +
        `calendar periods`,
    );
  }
  const dateUnit = checkDateUnit(options.dateUnit, fn);
  const calibrationGiven = options.calibrationEnd !== undefined;
  const holdout = options.holdoutEnd !== undefined;
  const calibrationAsked = calibrationGiven ? toEpochDay(options.calibrationEnd, fn, 'calibrationEnd', dateUnit) : NaN;
  const holdoutAsked = holdout ? toEpochDay(options.holdoutEnd, fn, 'holdoutEnd', dateUnit) : NaN;
  if (holdout && !(holdoutAsked >= calibrationAsked)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: holdoutEnd (${isoDate(holdoutAsked)}) is before calibrationEnd` +
        `${calibrationGiven ? ` (${isoDate(calibrationAsked)})` : ' (not given)'}; give a calibrationEnd before the holdoutEnd`,
    );
  }
  if (holdout && calendar !== undefined) checkPeriodEnd(calibrationAsked, calendar, fn);
  return { unit, calendar, dateUnit, calibrationGiven, holdout, calibrationAsked, holdoutAsked };
}

/**
 * With calendar periods and a holdout, the calibration must end on the last day of a period: a period cut by it
 * would count as a calibration period (in T) and its later purchases as holdout purchases outside durationHoldout.
 * @throws {ClienteleError} `INVALID_VALUE`
 */
export function checkPeriodEnd(calibrationEnd: number, calendar: CalendarPeriod, fn: string): void {
  const period = periodIndex(calibrationEnd, calendar);
  if (periodIndex(calibrationEnd + 1, calendar) !== period) return;
  const first = periodStart(period, calendar);
  const last = periodStart(period + 1, calendar) - 1;
  throw new ClienteleError(
    'INVALID_VALUE',
    `${fn}: calibrationEnd (${isoDate(calibrationEnd)}) falls inside the calendar ${calendar} ${isoDate(first)} to ` +
      `${isoDate(last)}, which a holdout would split (found calendar ${describeValue(calendar)} with holdoutEnd); ` +
      `end the calibration on the last day of a ${calendar}: ${isoDate(first - 1)} or ${isoDate(last)}`,
  );
}

/**
 * Walks each customer's distinct purchase days (or calendar periods: `rowDays` holds the rows' days or their period
 * indices, sorted within each customer): the first, repeat ones in calibration, then holdout ones.
 */
function sumCustomers(rows: CustomerRows, rowDays: Int32Array, calibrationEnd: number, per: number): CustomerSums {
  const { start, values: rowValues } = rows;
  const size = rows.keys.size;
  const frequency = new Float64Array(size);
  const recency = new Float64Array(size);
  const age = new Float64Array(size);
  const monetary = new Float64Array(size);
  const frequencyHoldout = new Float64Array(size);
  const monetaryHoldout = new Float64Array(size);
  const included = new Uint8Array(size);
  let customers = 0;
  let acquiredLater = 0;
  for (let c = 0; c < size; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    const first = rowDays[from];
    if (first > calibrationEnd) {
      acquiredLater++;
      continue;
    }
    included[c] = 1;
    customers++;
    // walk distinct purchase days: the first day, then repeat days in calibration, then holdout days
    let repeat = 0;
    let repeatValue = 0;
    let lastRepeat = first;
    let held = 0;
    let heldValue = 0;
    let k = from;
    while (k < to) {
      const day = rowDays[k];
      let value = 0;
      while (k < to && rowDays[k] === day) value += rowValues[k++];
      if (day === first) continue;
      if (day <= calibrationEnd) {
        repeat++;
        repeatValue += value;
        lastRepeat = day;
      } else {
        held++;
        heldValue += value;
      }
    }
    frequency[c] = repeat;
    recency[c] = (lastRepeat - first) / per;
    age[c] = (calibrationEnd - first) / per;
    monetary[c] = repeat > 0 ? repeatValue / repeat : 0;
    frequencyHoldout[c] = held;
    monetaryHoldout[c] = held > 0 ? heldValue / held : 0;
  }
  return { frequency, recency, age, monetary, frequencyHoldout, monetaryHoldout, included, customers, acquiredLater };
}

/** The summary table of the included customers in key order, holdout columns when asked, and its metadata. */
function summaryTable(
  rows: CustomerRows,
  sums: CustomerSums,
  periods: SummaryPeriods,
  calibrationDay: string,
  holdoutDay: string,
): Table {
  const { keys, drops } = rows;
  const { unit, per, calibrationEnd, holdoutEnd, holdout } = periods;
  const size = keys.size;
  const customers = sums.customers;
  const ids = new Int32Array(customers);
  for (let c = 0, k = 0; c < size; c++) if (sums.included[c]) ids[k++] = c;
  const pick = (values: Float64Array) => numberVector(Float64Array.from(ids, (c) => values[c]));
  const columns = {
    customer: customers === size ? keys.keys : takeVector(keys.keys, ids),
    frequency: pick(sums.frequency),
    recency: pick(sums.recency),
    T: pick(sums.age),
    monetary: pick(sums.monetary),
    ...(holdout
      ? {
          frequencyHoldout: pick(sums.frequencyHoldout),
          monetaryHoldout: pick(sums.monetaryHoldout),
          durationHoldout: numberVector(new Float64Array(customers).fill((holdoutEnd - calibrationEnd) / per)),
        }
      : {}),
  };
  const metadata: Record<string, string> = {
    [META.kind]: 'clvSummary',
    'clientele.unit': unit,
    'clientele.calibrationEnd': calibrationDay,
    ...drops.metadata(rows.rows),
    'clientele.acquiredLater': String(sums.acquiredLater),
  };
  if (holdout) metadata['clientele.holdoutEnd'] = holdoutDay;
  return tableWithMetadata(columns, metadata);
}
