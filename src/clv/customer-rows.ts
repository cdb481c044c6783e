import {
  asTable,
  ClienteleError,
  DropCounter,
  isAdmissible,
  NO_DATE,
  readDates,
  readKeys,
  readNumeric,
} from '../table/internal';
import type { DateUnit, KeyColumn } from '../table/internal';

/** A transaction log regrouped by customer: customer c's rows are `start[c] … start[c+1] − 1`, sorted by day. */
export interface CustomerRows {
  readonly keys: KeyColumn;
  readonly start: Int32Array;
  readonly days: Int32Array;
  readonly values: Float64Array;
  /** The last kept day (epoch day), the input rows, and what was dropped. */
  readonly lastDay: number;
  readonly rows: number;
  readonly drops: DropCounter;
}

/**
 * Reads a transaction log and buckets its kept rows by customer (a stable counting sort, O(n)), each customer's
 * rows then sorted by day — the shared first step of the analyses that walk each customer's history
 * (`summaryFromTransactions`, `lifecycleStage`). Rows with a null customer, an unreadable date, a null/NaN amount
 * or a date after `end` are dropped and counted (`nullCustomer`, `invalidDate`, `invalidAmount`, `afterAsOf`), and
 * with `returns: 'exclude'` rows with a negative amount (`negativeAmount`); callers pass the one `RETURNS` rule's
 * value, whose default is `'exclude'`.
 * A missing `amount` option with no `amount` column reads every value as 0.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 */
export function customerRows(
  tx: unknown,
  o: {
    customer?: string;
    date?: string;
    amount?: string | null;
    dateUnit?: DateUnit;
    end?: number;
    returns?: 'keep' | 'exclude';
  },
  fn: string,
): CustomerRows {
  const table = asTable(tx);
  const keys = readKeys(table, o.customer ?? 'customer', fn, 'customer');
  const dates = readDates(table, o.date ?? 'date', fn, 'date', o.dateUnit);
  const amountName = o.amount === undefined ? (table.getChild('amount') ? 'amount' : null) : o.amount;
  const amounts = amountName === null ? null : readNumeric(table, amountName, fn, 'amount').values;
  const n = table.numRows;
  if (n === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the transaction table has no rows; pass at least one transaction`);
  const end = o.end ?? Infinity;
  const lowest = o.returns === 'exclude' ? 0 : -Infinity;
  const drops = new DropCounter();
  const size = keys.size;
  const start = new Int32Array(size + 1);
  const codes = keys.codes;
  const dayOf = dates.days;
  const keep = new Uint8Array(n);
  let lastDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    const d = dayOf[i];
    const a = amounts === null ? 0 : amounts[i];
    if (c < 0) drops.drop('nullCustomer', i);
    else if (d === NO_DATE) drops.drop('invalidDate', i);
    else if (!isAdmissible(a)) drops.drop('invalidAmount', i);
    else if (d > end) drops.drop('afterAsOf', i);
    else if (a < lowest) drops.drop('negativeAmount', i);
    else {
      keep[i] = 1;
      start[c + 1]++;
      if (d > lastDay) lastDay = d;
    }
  }
  if (drops.total === n) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the customer, date and amount columns`,
    );
  }
  for (let c = 0; c < size; c++) start[c + 1] += start[c];
  const cursor = start.slice(0, size);
  const days = new Int32Array(start[size]);
  const values = new Float64Array(start[size]);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const at = cursor[codes[i]]++;
    days[at] = dayOf[i];
    values[at] = amounts === null ? 0 : amounts[i];
  }
  for (let c = 0; c < size; c++) sortByDay(days, values, start[c], start[c + 1]);
  return { keys, start, days, values, lastDay, rows: n, drops };
}

/**
 * Sorts one customer's rows by day, carrying the values along: nothing to do for rows already in date order (real
 * logs are), insertion sort for a few rows, an index sort for long unsorted histories.
 */
function sortByDay(days: Int32Array, values: Float64Array, from: number, to: number): void {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) if (days[i] < days[i - 1]) sorted = false;
  if (sorted) return;
  if (to - from > 64) {
    const order = Int32Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => days[a] - days[b] || a - b);
    const d = Int32Array.from(order, (i) => days[i]);
    const v = Float64Array.from(order, (i) => values[i]);
    days.set(d, from);
    values.set(v, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const d = days[i];
    const v = values[i];
    let j = i - 1;
    while (j >= from && days[j] > d) {
      days[j + 1] = days[j];
      values[j + 1] = values[j];
      j--;
    }
    days[j + 1] = d;
    values[j + 1] = v;
  }
}
