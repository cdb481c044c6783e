import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { asTable } from '../../src/table/as-table';
import { droppedRows } from '../../src/table/dropped';
import type { ToSqlOptions } from '../../src/sql/index';
import { dataset, readLines } from '../helpers/datasets';
import { expectSameRows } from './helpers';

/**
 * What the CLV SQL tests share: transaction logs as plain columns (loaded the same into DuckDB, PostgreSQL and an
 * Arrow table), the option sets, and the independent checks — a brute-force grouping of the in-process summary into
 * patterns, written here with a Map.
 */
export const DAY = 86_400_000;

/** A log as columns: customer keys, dates as epoch days, amounts (null = SQL NULL). */
export interface Log {
  customer: (string | number | null)[];
  date: (number | null)[];
  amount: (number | null)[];
}

export type ClvOptions = Omit<ToSqlOptions, 'table' | 'dialect'>;

/** The log as an Arrow table for summaryFromTransactions (dates as Date objects). */
export function logTable(log: Log): Table {
  return asTable({
    customer: log.customer,
    date: log.date.map((d) => (d === null ? null : new Date(d * DAY))),
    amount: log.amount,
  });
}

/** summaryFromTransactions' options for the SQL options (the same names). */
export function inProcessOptions(o: ClvOptions) {
  const { unit, calendar, calibrationEnd, holdoutEnd, returns } = o;
  return Object.fromEntries(
    Object.entries({ unit, calendar, calibrationEnd, holdoutEnd, returns }).filter(([, v]) => v !== undefined),
  );
}

/**
 * The option sets run on the sample store (two years from 2023-01-01): continuous weeks and days, each calendar
 * period, with and without a holdout; 2023-12-31 and 2024-06-30 are Sundays that end a month, a quarter (and a
 * year), so every calendar may split there.
 */
export const STORE_OPTIONS: ClvOptions[] = [
  {},
  { unit: 'day' },
  { calibrationEnd: '2023-12-31' },
  { calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30' },
  { unit: 'day', calibrationEnd: '2024-06-30', holdoutEnd: '2024-12-31', returns: 'keep' },
  ...(['day', 'week', 'month', 'quarter', 'year'] as const).flatMap((calendar) => [
    { calendar },
    { calendar, calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30' },
  ]),
];

/** Asserts a SQL summary equals the in-process one: rows (by customer), types, and the metadata the fits read. */
export function expectSameSummary(actual: Table, expected: Table): void {
  expectSameRows(actual, expected, 'customer');
  for (const key of [
    'clientele.kind',
    'clientele.unit',
    'clientele.calibrationEnd',
    'clientele.holdoutEnd',
    'clientele.acquiredLater',
  ]) {
    expect(actual.schema.metadata.get(key), key).toBe(expected.schema.metadata.get(key));
  }
  expectSameDrops(actual, expected);
}

/** droppedRows equal by reason and total (SQL has no first dropped row). */
export function expectSameDrops(actual: Table, expected: Table): void {
  const a = droppedRows(actual);
  const e = droppedRows(expected);
  expect({ rows: a.rows, kept: a.kept, dropped: a.dropped, total: a.total }).toEqual({
    rows: e.rows,
    kept: e.kept,
    dropped: e.dropped,
    total: e.total,
  });
}

const column = (t: Table, name: string) => Array.from({ length: t.numRows }, (_, i) => t.getChild(name)!.get(i));

/** The distinct (x, t_x, T) of a per-customer summary with their customers, by brute force, sorted. */
export function bruteForcePatterns(summary: Table): number[][] {
  const x = column(summary, 'frequency');
  const tx = column(summary, 'recency');
  const T = column(summary, 'T');
  const groups = new Map<string, number[]>();
  for (let i = 0; i < summary.numRows; i++) {
    const key = `${x[i]}|${tx[i]}|${T[i]}`;
    const g = groups.get(key);
    if (g) g[3]++;
    else groups.set(key, [x[i], tx[i], T[i], 1]);
  }
  return [...groups.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

/** A pattern table's rows as [frequency, recency, T, count], in its order. */
export function patternRows(patterns: Table): number[][] {
  const cols = ['frequency', 'recency', 'T', 'count'].map((n) => column(patterns, n) as number[]);
  return Array.from({ length: patterns.numRows }, (_, i) => cols.map((c) => c[i]));
}

/**
 * The (x, z̄) of the customers fitGammaGamma keeps (x > 0, finite z̄ > 0), one per customer, sorted: from a
 * summary, or expanded from a spend pattern table by its counts.
 */
export function spendOfCustomers(table: Table, counted: boolean): [number, number][] {
  const x = column(table, 'frequency') as number[];
  const z = column(table, 'monetary') as number[];
  const n = counted ? (column(table, 'count') as number[]) : x.map(() => 1);
  const out: [number, number][] = [];
  x.forEach((xi, i) => {
    // a spend table is taken whole (a row the fit would drop must not be there); a summary is filtered here
    if (counted || (xi > 0 && z[i] > 0 && Number.isFinite(z[i]))) for (let k = 0; k < n[i]; k++) out.push([xi, z[i]]);
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Spend patterns equal the in-process summary's spend, customer for customer (z̄ to 1e-9 relative). */
export function expectSameSpend(spend: Table, summary: Table): void {
  const got = spendOfCustomers(spend, true);
  const want = spendOfCustomers(summary, false);
  expect(got.length).toBe(want.length);
  got.forEach(([x, z], k) => {
    expect(x).toBe(want[k][0]);
    if (Math.abs(z - want[k][1]) > 1e-9 * Math.abs(want[k][1])) expect(z, `monetary ${k}`).toBe(want[k][1]);
  });
}

/** Each fitted parameter within 1e-6 relative. */
export function expectSameParams(got: Record<string, number>, want: Record<string, number>): void {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const [name, value] of Object.entries(want)) {
    expect(Math.abs(got[name] - value), `${name}: ${got[name]} vs ${value}`).toBeLessThanOrEqual(
      1e-6 * Math.abs(value),
    );
  }
}

/** The sample store's transactions as a log. */
export function storeLog(tx: Table): Log {
  return {
    customer: column(tx, 'customer') as string[],
    date: (column(tx, 'date') as number[]).map((ms) => Math.round(ms / DAY)),
    amount: column(tx, 'amount') as number[],
  };
}

/** CDNOW's master log (customer id, yyyymmdd, CDs, dollars) as a log. */
export function cdnowLog(): Log {
  const lines = readLines(dataset('CDNOW_master.txt')).slice(1); // a header line, then one line per purchase
  const log: Log = { customer: [], date: [], amount: [] };
  for (const line of lines) {
    const [c, d, , v] = line.trim().split(/\s+/);
    const ymd = Number(d);
    log.customer.push(Number(c));
    log.date.push(Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, ymd % 100) / DAY);
    log.amount.push(Number(v));
  }
  return log;
}

/**
 * Hardie's donation data (Fader, Hardie & Shang 2010: the 1995 cohort, 11,104 donors, 6 yearly opportunities
 * 1996–2001) rebuilt as a log: each donor gives in 1995, in the years 1996 … 1995 + x − 1 and in 1995 + t_x, one row
 * per gift on 1 June. Its calendar-year summary to 2001-12-31 is the published (x, t_x, n = 6).
 */
export function donationsLog(): Log {
  const lines = readFileSync(dataset('donations.csv'), 'utf8').trim().split('\n').slice(1);
  const log: Log = { customer: [], date: [], amount: [] };
  let id = 0;
  for (const line of lines) {
    const [x, tx, , count] = line.split(',').map(Number);
    for (let k = 0; k < count; k++) {
      id++;
      const years = [0, ...Array.from({ length: Math.max(0, x - 1) }, (_, j) => j + 1), ...(x > 0 ? [tx] : [])];
      for (const y of years) {
        log.customer.push(id);
        log.date.push(Date.UTC(1995 + y, 5, 1) / DAY);
        log.amount.push(10 + (id % 7));
      }
    }
  }
  return log;
}

/** Generated logs with heavy ties, same-day purchases, nulls, NaN, ±Infinity and returns. */
export const logArbitrary = fc
  .array(
    fc.record({
      customer: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h') },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      // from Monday 2023-11-20 over about 15 months, on few days (many same-day purchases)
      date: fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: 0, max: 450 }).map((k) => 19681 + k - (k % 5)) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      amount: fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: -2, max: 8 }).map((a) => a * 2.5) },
        { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
      ),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows): Log => ({
    customer: rows.map((r) => r.customer),
    date: rows.map((r) => r.date),
    amount: rows.map((r) => r.amount),
  }));

/** Option sets for the generated logs: each time scale, ends that end every calendar period, both returns. */
export const optionsArbitrary: fc.Arbitrary<ClvOptions> = fc
  .record({
    scale: fc.constantFrom<ClvOptions>(
      {},
      { unit: 'day' },
      { calendar: 'day' },
      { calendar: 'week' },
      { calendar: 'month' },
      { calendar: 'quarter' },
      { calendar: 'year' },
    ),
    // Sundays at the end of a month and a quarter (2023-12-31 also ends a year)
    ends: fc.constantFrom<ClvOptions>(
      {},
      { calibrationEnd: '2024-03-31' },
      { calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30' },
      { calibrationEnd: '2024-03-31', holdoutEnd: '2024-03-31' },
    ),
    returns: fc.constantFrom<ClvOptions>({}, { returns: 'keep' }),
  })
  .map(({ scale, ends, returns }) => ({ ...scale, ...ends, ...returns }));

/** Whether an in-process call throws (every row dropped, no customer by the calibration end). */
export function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** A SQL text literal of a value (text: doubled quotes; numbers in shortest round-trip form, read by strtod). */
function literal(v: string | number | null, type: 'key' | 'date' | 'double'): string {
  if (v === null) return 'NULL';
  if (type === 'date') return `'${new Date((v as number) * DAY).toISOString().slice(0, 10)}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/**
 * Creates table `name` (customer TEXT or INTEGER, date DATE, amount DOUBLE PRECISION) on a PostgreSQL client and
 * inserts the log, NaN and ±Infinity as PostgreSQL reads them ('NaN', 'Infinity', '-Infinity').
 */
export async function loadPostgresLog(
  client: { query(sql: string): Promise<unknown> },
  name: string,
  log: Log,
  key: 'TEXT' | 'INTEGER',
): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${name}`);
  await client.query(`CREATE TABLE ${name} (customer ${key}, date DATE, amount DOUBLE PRECISION)`);
  const n = log.customer.length;
  for (let from = 0; from < n; from += 10_000) {
    const rows: string[] = [];
    for (let i = from; i < Math.min(n, from + 10_000); i++) {
      rows.push(
        `(${literal(log.customer[i], 'key')}, ${literal(log.date[i], 'date')}, ${literal(log.amount[i], 'double')})`,
      );
    }
    await client.query(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
  }
}
