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

/** Options of {@link summaryFromTransactions}. */
export interface SummaryFromTransactionsOptions {
  /** Column names; defaults `customer`, `date`, `amount` (`amount` may be left out when there is no such column). */
  customer?: string;
  date?: string;
  amount?: string | null;
  /** The time unit of `recency`, `T` and the holdout duration: days or weeks (7 days). Default `'week'`. */
  unit?: 'day' | 'week';
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

/** The periods of the summary in epoch days, and days per `unit`. */
interface SummaryPeriods {
  readonly unit: 'day' | 'week';
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
 * The per-customer summary the probabilistic CLV models are fitted on, in the conventions of Fader, Hardie & Lee
 * (2005) and of `lifetimes`: purchases are counted per calendar day (several transactions of one customer on one
 * day are one purchase whose value is their sum), and over the calibration period
 *
 * - `frequency` x: repeat purchases, the number of purchase days after the first one;
 * - `recency` t_x: time from the first purchase to the last repeat purchase (0 when x = 0) — NOT the RFM recency;
 * - `T`: the customer's age, time from the first purchase to the end of calibration;
 * - `monetary`: mean value of the repeat purchases (0 when x = 0), the z̄ of the Gamma-Gamma model.
 *
 * With `holdoutEnd`: `frequencyHoldout` (purchase days in (calibrationEnd, holdoutEnd]), `monetaryHoldout` (their
 * mean value) and `durationHoldout` (the holdout length), to validate predictions. Customers whose first purchase
 * is after the calibration end are left out and counted (`acquiredLater`), as are rows after the last end
 * (`afterEnd`), bad rows (`nullCustomer`, `invalidDate`, `invalidAmount`) and, by default, returns (rows — or
 * orders, with `transaction` — with a negative amount: `negativeAmount`; `returns: 'keep'` keeps them). With
 * `transaction` the rows are line items, folded into orders as `customerSummary` does (amount: the sum of the
 * lines; customer and date: the first line's); with `quantity` and `price` a row's amount is their product.
 *
 * Units: `recency`, `T`, `durationHoldout` in `unit` (weeks by default: days / 7); money as the input.
 * Cost: O(n) to bucket rows by customer, then a sort of each customer's own days.
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "Counting your customers the easy way: an
 * alternative to the Pareto/NBD model", Marketing Science 24(2), 275–284, §2 (the x, t_x, T summary).
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`, `EMPTY_INPUT`
 * @example
 * const s = summaryFromTransactions(
 *   { customer: [4, 4, 4, 4], date: [19970101, 19970118, 19970802, 19971212], amount: [29.33, 29.73, 14.96, 26.48] },
 *   { calibrationEnd: 19970930 },
 * );
 * s.getChild('frequency')?.toArray(); // Float64Array [2]
 * Math.round(s.getChild('recency')?.get(0) * 100) / 100; // 30.43
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
  const periods = { unit: ends.unit, per: UNIT_DAYS[ends.unit], calibrationEnd, holdoutEnd, holdout };
  const sums = sumCustomers(rows, calibrationEnd, periods.per);
  if (sums.customers === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no customer made a first purchase on or before calibrationEnd (${isoDate(calibrationEnd)}) ` +
        `(dropped rows: ${JSON.stringify(rows.drops.counts)}); check the dates and calibrationEnd`,
    );
  }
  return summaryTable(rows, sums, periods);
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

/** Checks `unit` and `dateUnit` and reads the two ends. @throws {ClienteleError} `INVALID_OPTION`, `INVALID_VALUE` */
function readEnds(options: SummaryFromTransactionsOptions, fn: string): SummaryEnds {
  const unit = options.unit ?? 'week';
  if (unit !== 'day' && unit !== 'week') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit must be 'day' or 'week' (found ${describeValue(unit)}); the models work in either`,
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
  return { unit, dateUnit, calibrationGiven, holdout, calibrationAsked, holdoutAsked };
}

/** Walks each customer's distinct purchase days: the first, repeat days in calibration, then holdout days. */
function sumCustomers(rows: CustomerRows, calibrationEnd: number, per: number): CustomerSums {
  const { start, days: rowDays, values: rowValues } = rows;
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
function summaryTable(rows: CustomerRows, sums: CustomerSums, periods: SummaryPeriods): Table {
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
    'clientele.calibrationEnd': isoDate(calibrationEnd),
    ...drops.metadata(rows.rows),
    'clientele.acquiredLater': String(sums.acquiredLater),
  };
  if (holdout) metadata['clientele.holdoutEnd'] = isoDate(holdoutEnd);
  return tableWithMetadata(columns, metadata);
}
