import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { asTable } from '../../src/table/as-table';
import { droppedRows } from '../../src/table/internal';
import type { DropReason, DropReport } from '../../src/table/internal';
import type { SqlColumnSpec } from './helpers';

/**
 * Shared by the drop-count tests (DuckDB and PostgreSQL): transaction logs with every fault the admission rules
 * know (null customer, null date, null, NaN and ±Infinity amounts, negative amounts, days after an asOf), and an
 * independent count of what each analysis drops, written here from the rules as the in-process functions state
 * them (not from the SQL).
 */

export const DAY = 86_400_000;

/** A transaction log as columns; dates as epoch days. */
export interface Log {
  customer: (string | null)[];
  date: (number | null)[];
  amount: (number | null)[];
}

/** A basket log as columns. */
export interface BasketLog {
  transaction: (number | null)[];
  item: (string | null)[];
}

/** Few customers, few distinct days over about 15 months, small amounts with negatives: ties and faults everywhere. */
export const logArbitrary: fc.Arbitrary<Log> = fc
  .array(
    fc.record({
      customer: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      date: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 450 }).map((k) => 19681 + k - (k % 5)) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      amount: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: -3, max: 8 }).map((a) => a * 2.5) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        },
      ),
    }),
    { minLength: 1, maxLength: 50 },
  )
  .map((rows) => ({
    customer: rows.map((r) => r.customer),
    date: rows.map((r) => r.date),
    amount: rows.map((r) => r.amount),
  }));

/** Baskets with null transactions and null items (a basket whose items are all null stays a basket). */
export const basketLogArbitrary: fc.Arbitrary<BasketLog> = fc
  .array(
    fc.record({
      transaction: fc.option(fc.integer({ min: 1, max: 10 }), { freq: 8 }),
      item: fc.option(fc.constantFrom('beer', 'chips', 'milk', 'bread'), { freq: 8 }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => ({ transaction: rows.map((r) => r.transaction), item: rows.map((r) => r.item) }));

/** The log as an Arrow table for the in-process functions (dates as Date objects). */
export function logTable(log: Log): Table {
  return asTable({
    customer: log.customer,
    date: log.date.map((d) => (d === null ? null : new Date(d * DAY))),
    amount: log.amount,
  });
}

/** The log's columns for `loadDuckTable` / `loadPostgresTable`. */
export function logColumns(log: Log): Record<string, SqlColumnSpec> {
  return {
    customer: { type: 'VARCHAR', values: log.customer },
    date: { type: 'DATE', values: log.date },
    amount: { type: 'DOUBLE', values: log.amount },
  };
}

/** The sample store's transactions as a log. */
export function storeLog(tx: Table): Log {
  const n = tx.numRows;
  const customer = tx.getChild('customer')!;
  const date = tx.getChild('date')!;
  const amount = tx.getChild('amount')!;
  return {
    customer: Array.from({ length: n }, (_, i) => customer.get(i) as string),
    date: Array.from({ length: n }, (_, i) => Math.round((date.get(i) as number) / DAY)),
    amount: Array.from({ length: n }, (_, i) => amount.get(i) as number),
  };
}

/**
 * The log with faults planted at fixed rows, several in one row at some (counted under the first rule): every
 * 41st row loses its customer, every 53rd its date, every 29th amount is NaN, null or ±Infinity in turn, every
 * 17th amount turns negative.
 */
export function soiled(log: Log): Log {
  const bad = [Number.NaN, null, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  return {
    customer: log.customer.map((c, i) => (i % 41 === 3 ? null : c)),
    date: log.date.map((d, i) => (i % 53 === 5 ? null : d)),
    amount: log.amount.map((a, i) => (i % 29 === 7 ? bad[(i / 29) & 3] : i % 17 === 2 ? -Math.abs(a ?? 1) - 1 : a)),
  };
}

/** A report from per-row reasons (undefined: kept). */
function report(reasons: (DropReason | undefined)[]): Omit<DropReport, 'firstRow'> {
  const dropped: Partial<Record<DropReason, number>> = {};
  let total = 0;
  for (const r of reasons) {
    if (r === undefined) continue;
    dropped[r] = (dropped[r] ?? 0) + 1;
    total++;
  }
  return { rows: reasons.length, kept: reasons.length - total, dropped, total };
}

const finite = (x: number | null) => x !== null && Number.isFinite(x);

/**
 * customerSummary and rfm, as customerSummary's doc states the rules: null customer, unreadable date, amount not a
 * finite number, a day after an explicit asOf, a negative amount unless returns: 'keep' — the first that applies.
 */
export function customerDrops(log: Log, asOf?: number, returns: 'keep' | 'exclude' = 'exclude') {
  return report(
    log.customer.map((c, i) => {
      const d = log.date[i];
      const a = log.amount[i];
      if (c === null) return 'nullCustomer';
      if (d === null) return 'invalidDate';
      if (!finite(a)) return 'invalidAmount';
      if (asOf !== undefined && d > asOf) return 'afterAsOf';
      if (returns === 'exclude' && a! < 0) return 'negativeAmount';
      return undefined;
    }),
  );
}

/** abc: null key, then a value that is not a finite number. */
export function abcDrops(log: Log) {
  return report(
    log.customer.map((c, i) => (c === null ? 'nullKey' : !finite(log.amount[i]) ? 'invalidValue' : undefined)),
  );
}

/** retentionCurve: null customer, then null date. */
export function retentionDrops(log: Log) {
  return report(
    log.customer.map((c, i) => (c === null ? 'nullCustomer' : log.date[i] === null ? 'invalidDate' : undefined)),
  );
}

/** baskets: a null transaction or a null item. */
export function basketDrops(log: BasketLog) {
  return report(log.transaction.map((t, i) => (t === null || log.item[i] === null ? 'nullKey' : undefined)));
}

/** The drop report of a table (an in-process result's, or a report object), without firstRow. */
export function dropsOf(source: Table | DropReport): Omit<DropReport, 'firstRow'> {
  const { rows, kept, dropped, total } = 'schema' in source ? droppedRows(source) : source;
  return { rows, kept, dropped, total };
}

/**
 * `runSql`'s drop report equals `expected`: rows, kept, dropped by reason and total; SQL has no row order, so its
 * firstRow is empty.
 */
export function expectSameDrops(pushed: Table, expected: Omit<DropReport, 'firstRow'>, what = ''): void {
  const got = droppedRows(pushed);
  expect(dropsOf(got), what).toEqual(expected);
  expect(got.firstRow, what).toEqual({});
}
