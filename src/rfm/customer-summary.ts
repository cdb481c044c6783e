import type { Table, Vector } from 'apache-arrow';
import { addCompensated } from '../math/compensated-sum';
import { asTable } from '../table/as-table';
import { dateDayVector, numberVector, tableWithMetadata } from '../table/build';
import { DropCounter, META } from '../table/dropped';
import { ClienteleError, describeValue } from '../table/errors';
import { checkDateUnit, isoDate, NO_DATE, readDates, toEpochDay } from '../table/read-dates';
import type { DateUnit } from '../table/read-dates';
import { readKeys, takeVector } from '../table/read-keys';
import { readNumeric } from '../table/read-numeric';

/** Options of {@link customerSummary}: which columns hold what, and the reference date. */
export interface CustomerSummaryOptions {
  /** Column of customer keys (strings, integers or dictionary-encoded). Default `'customer'`. */
  customer?: string;
  /** Column of transaction dates. Default `'date'`. */
  date?: string;
  /** Column of transaction amounts (money). Default `'amount'`. */
  amount?: string;
  /**
   * The day the analysis is made: recency and age are counted up to it, and transactions after it are dropped
   * (`afterAsOf`). A `Date`, an ISO string, or a number in `dateUnit`. Default: the day after the last kept
   * transaction.
   */
  asOf?: Date | string | number;
  /** How plain numbers in the date column (and a numeric `asOf`) are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
  /** Negative amounts (returns, refunds): `'keep'` them in the sums (default) or `'exclude'` the rows (counted). */
  returns?: 'keep' | 'exclude';
}

/** Per-customer aggregates of a transaction log, one entry per customer with at least one kept row. */
export interface CustomerAggregates {
  /** Customer keys, in order of first appearance in the input. */
  readonly customers: Vector;
  /** Kept transactions per customer. */
  readonly count: Int32Array;
  /** Epoch day of the first and of the last kept transaction. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** Sum of amounts (compensated). */
  readonly monetary: Float64Array;
  /** The reference day (epoch day). */
  readonly asOf: number;
  /** Rows read, and what was dropped. */
  readonly rows: number;
  readonly drops: DropCounter;
}

const DEFAULTS = { customer: 'customer', date: 'date', amount: 'amount', returns: 'keep' } as const;

/**
 * Validates and reads a transaction log and aggregates it by customer in one pass over typed arrays. The shared
 * core of {@link customerSummary} and `rfm`.
 *
 * Drop rules, checked in this order for each row (a row is counted once, under the first that applies):
 * `nullCustomer`, `invalidDate` (null or unreadable), `invalidAmount` (null or NaN), `afterAsOf` (only when `asOf`
 * is given), `negativeAmount` (only with `returns: 'exclude'`).
 */
export function aggregateCustomers(input: unknown, options: CustomerSummaryOptions, fn: string): CustomerAggregates {
  const table = asTable(input);
  const o = { ...DEFAULTS, ...options };
  const dateUnit = checkDateUnit(o.dateUnit, fn);
  if (o.returns !== 'keep' && o.returns !== 'exclude') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option returns must be 'keep' or 'exclude' (found ${describeValue(o.returns)}); 'keep' sums negative ` +
        `amounts with the rest, 'exclude' drops those rows and counts them`,
    );
  }
  const asOfGiven = o.asOf !== undefined && o.asOf !== null;
  const asOfDay = asOfGiven ? toEpochDay(o.asOf, fn, 'asOf', dateUnit) : NaN;
  // read the three columns before the empty check so that a wrong column name is reported as such
  const keys = readKeys(table, o.customer, fn, 'customer');
  const dates = readDates(table, o.date, fn, 'date', dateUnit);
  const amounts = readNumeric(table, o.amount, fn, 'amount');
  const n = table.numRows;
  if (n === 0) {
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the transaction table has no rows; pass at least one transaction`);
  }

  const codes = keys.codes;
  const days = dates.days;
  const values = amounts.values;
  const size = keys.size;
  const count = new Int32Array(size);
  const first = new Int32Array(size).fill(2147483647);
  const last = new Int32Array(size).fill(-2147483648);
  const sum = new Float64Array(size);
  const compensation = new Float64Array(size);
  const latest = asOfGiven ? asOfDay : 2147483647;
  const lowest = o.returns === 'exclude' ? 0 : -Infinity;
  const drops = new DropCounter();
  let maxDay = -2147483648;

  // hand-written: the one pass over every row; the bad-row test is a single predictable branch
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    const d = days[i];
    const a = values[i];
    if (c < 0 || d === NO_DATE || a !== a || d > latest || a < lowest) {
      drops.drop(c < 0 ? 'nullCustomer' : d === NO_DATE ? 'invalidDate' : a !== a ? 'invalidAmount' : d > latest ? 'afterAsOf' : 'negativeAmount', i);
      continue;
    }
    count[c]++;
    if (d < first[c]) first[c] = d;
    if (d > last[c]) last[c] = d;
    if (d > maxDay) maxDay = d;
    addCompensated(sum, compensation, c, a); // money totals stay exact to the cent over millions of rows
  }

  if (drops.total === n) {
    const reasons = Object.entries(drops.counts).map(([r, k]) => `${r} ${k} (first row ${drops.first[r as keyof typeof drops.first]})`);
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${reasons.join(', ')}); check the customer, date and amount columns` +
        (asOfGiven ? ` and that asOf (${isoDate(asOfDay)}) is after the transactions` : ''),
    );
  }

  // keep customers with at least one kept row, in order of first appearance
  let kept = 0;
  for (let c = 0; c < size; c++) if (count[c] > 0) kept++;
  const monetary = new Float64Array(size);
  for (let c = 0; c < size; c++) monetary[c] = sum[c] + compensation[c];
  if (kept === size) {
    return { customers: keys.keys, count, first, last, monetary, asOf: asOfGiven ? asOfDay : maxDay + 1, rows: n, drops };
  }
  const ids = new Int32Array(kept);
  for (let c = 0, k = 0; c < size; c++) if (count[c] > 0) ids[k++] = c;
  return {
    customers: takeVector(keys.keys, ids),
    count: ids.map((c) => count[c]),
    first: ids.map((c) => first[c]),
    last: ids.map((c) => last[c]),
    monetary: Float64Array.from(ids, (c) => monetary[c]),
    asOf: asOfGiven ? asOfDay : maxDay + 1,
    rows: n,
    drops,
  };
}

/**
 * One row per customer from a transaction log: the raw material of RFM, CLV models and segmentation.
 *
 * Columns: `customer`; `first` and `last` purchase (Arrow Date32); `count` (kept transactions); `frequency`
 * (repeat purchases, `count − 1`); `recency` (whole days from the last purchase to `asOf`); `T` (whole days from
 * the first purchase to `asOf`, the customer's age); `monetary` (sum of amounts); `averageValue`
 * (`monetary / count`). Rows follow the first appearance of each customer in the input.
 *
 * Conventions: days are UTC calendar days; `asOf` defaults to the day after the last kept transaction, so the most
 * recent buyer has recency 1; a transaction on `asOf` itself has recency 0. Every transaction row counts (two rows
 * on one day are two transactions). Dropped rows are counted in the schema metadata, readable with `droppedRows`.
 *
 * Cost: O(n) time in one pass over typed arrays, O(customers) memory beyond one `Int32Array` of n customer ids.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts
 * @param options column names (defaults `customer`, `date`, `amount`), `asOf`, `dateUnit`, `returns`
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (asOf), `EMPTY_INPUT`
 * @example
 * const summary = customerSummary(
 *   [
 *     { customer: 'a', date: '1997-01-01', amount: 10 },
 *     { customer: 'a', date: '1997-03-01', amount: 20 },
 *     { customer: 'b', date: '1997-02-01', amount: 5 },
 *   ],
 *   { asOf: '1998-07-01' },
 * );
 * summary.getChild('recency')?.toArray(); // Int32Array [487, 515]
 * summary.getChild('frequency')?.toArray(); // Int32Array [1, 0]
 */
export function customerSummary(tx: unknown, options: CustomerSummaryOptions = {}): Table {
  const agg = aggregateCustomers(tx, options, 'customerSummary');
  const n = agg.count.length;
  const frequency = new Int32Array(n);
  const recency = new Int32Array(n);
  const age = new Int32Array(n);
  const averageValue = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    frequency[c] = agg.count[c] - 1;
    recency[c] = agg.asOf - agg.last[c];
    age[c] = agg.asOf - agg.first[c];
    averageValue[c] = agg.monetary[c] / agg.count[c];
  }
  return tableWithMetadata(
    {
      customer: agg.customers,
      first: dateDayVector(agg.first),
      last: dateDayVector(agg.last),
      count: numberVector(agg.count),
      frequency: numberVector(frequency),
      recency: numberVector(recency),
      T: numberVector(age),
      monetary: numberVector(agg.monetary),
      averageValue: numberVector(averageValue),
    },
    { [META.kind]: 'customerSummary', [META.asOf]: isoDate(agg.asOf), ...agg.drops.metadata(agg.rows) },
  );
}
