import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { abc } from '../../src/api/abc';
import { associationRules } from '../../src/basket/association-rules';
import { baskets } from '../../src/api/basket';
import { frequentItemsets } from '../../src/api/basket';
import { retentionCurve } from '../../src/clv/retention-curve';
import { customerSummary } from '../../src/api/rfm';
import { rfm } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/sample-store';
import { asTable } from '../../src/table/as-table';
import { runSql, toSql } from '../../src/sql/index';
import type { ToSqlOptions } from '../../src/sql/index';
import { expectSameRows, loadDuckTable } from './helpers';

/**
 * SQL pushdown equals in-process: every analysis's DuckDB SQL runs on a real embedded DuckDB (@duckdb/node-api,
 * same process) and `runSql`'s Arrow table is compared row by row — same column names and Arrow types, integers,
 * dates, scores, segments and classes exact, doubles within 1e-9 relative — with the in-process function on the
 * same rows: the sample store, and property-generated logs with heavy ties, nulls and NaN amounts. Basket pairs
 * are also checked against a brute-force count made here.
 */
const duckdb = await import('@duckdb/node-api').catch(() => null);
let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  if (!duckdb) return;
  instance = await duckdb.DuckDBInstance.create(':memory:');
  con = await instance.connect();
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

const DAY = 86_400_000;
const store = sampleStore({ customers: 400, seed: 11 });

/** A generated transaction log: few customers, few distinct days and integer-ish amounts, so ties are everywhere. */
interface Log {
  customer: (string | null)[];
  date: (number | null)[];
  amount: (number | null)[];
}

const logArbitrary = fc
  .array(
    fc.record({
      customer: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h') },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      // days from 2023-11-20 over about 15 months: month, quarter and year boundaries, many equal days
      date: fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: 0, max: 450 }).map((k) => 19681 + k - (k % 7)) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      amount: fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: -2, max: 8 }).map((a) => a * 2.5) },
        // the admission policy (src/table/admission.ts): null, NaN and ±Infinity are dropped, in SQL as in process
        { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
      ),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows) => ({
    customer: rows.map((r) => r.customer),
    date: rows.map((r) => r.date),
    amount: rows.map((r) => r.amount),
  }));

async function loadLog(log: Log): Promise<void> {
  await loadDuckTable(con, 'log', {
    customer: { type: 'VARCHAR', values: log.customer },
    date: { type: 'DATE', values: log.date },
    amount: { type: 'DOUBLE', values: log.amount },
  });
}

/** The log as an Arrow table for the in-process functions (dates as Date objects → Date64/epoch days). */
function logTable(log: Log) {
  return asTable({
    customer: log.customer,
    date: log.date.map((d) => (d === null ? null : new Date(d * DAY))),
    amount: log.amount,
  });
}

/** Whether an in-process call throws (e.g. every row dropped): SQL then gives rows we do not compare. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

describe.skipIf(!duckdb)('SQL pushdown on DuckDB equals the in-process analyses', () => {
  beforeAll(async () => {
    if (!duckdb) return;
    const tx = store.transactions;
    await loadDuckTable(con, 'sales', {
      transaction: { type: 'INTEGER', values: Array.from(tx.getChild('transaction')!.toArray() as Int32Array) },
      customer: {
        type: 'VARCHAR',
        values: Array.from({ length: tx.numRows }, (_, i) => tx.getChild('customer')!.get(i) as string),
      },
      date: {
        type: 'DATE',
        values: Array.from({ length: tx.numRows }, (_, i) => Math.round((tx.getChild('date')!.get(i) as number) / DAY)),
      },
      amount: { type: 'DOUBLE', values: Array.from(tx.getChild('amount')!.toArray() as Float64Array) },
    });
    const items = store.basketItems;
    await loadDuckTable(con, 'basket_items', {
      transaction: { type: 'INTEGER', values: Array.from(items.getChild('transaction')!.toArray() as Int32Array) },
      item: {
        type: 'VARCHAR',
        values: Array.from({ length: items.numRows }, (_, i) => items.getChild('item')!.get(i) as string),
      },
    });
  });

  it('customerSummary on the sample store (default asOf and an explicit one that drops later rows)', async () => {
    expectSameRows(
      await runSql(con, 'customerSummary', { table: 'sales' }),
      customerSummary(store.transactions),
      'customer',
    );
    const asOf = '2024-03-31';
    expectSameRows(
      await runSql(con, 'customerSummary', { table: 'sales', asOf }),
      customerSummary(store.transactions, { asOf }),
      'customer',
    );
    expectSameRows(
      await runSql(con, 'customerSummary', {
        table: 'sales',
        asOf: new Date(Date.UTC(2024, 0, 15)),
        returns: 'exclude',
      }),
      customerSummary(store.transactions, { asOf: new Date(Date.UTC(2024, 0, 15)), returns: 'exclude' }),
      'customer',
    );
  });

  it('rfm on the sample store: 5, 3, 4 and 12 bins, fixed breaks, a rescaled segment map, no segments', async () => {
    const cases: Omit<ToSqlOptions, 'table' | 'dialect'>[] = [
      {},
      { bins: 3, asOf: '2024-06-30' },
      {
        bins: 4,
        segments: {
          rules: [
            { name: 'Top', r: [3, 4], fm: [3, 4] },
            { name: 'Gone', r: [1, 1] },
          ],
          other: 'Rest',
        },
      },
      { bins: 12 },
      { breaks: { frequency: [1, 2, 4, 8] } },
      { bins: 4, segments: false },
    ];
    for (const options of cases) {
      const inProcess = rfm(store.transactions, options);
      const pushed = await runSql(con, 'rfm', { table: 'sales', ...options });
      expectSameRows(pushed, inProcess, 'customer');
    }
  });

  it('rfm breaks in SQL are the in-process breaks to the last bit', async () => {
    const sql = toSql('rfm', { table: 'sales', bins: 5 });
    const breaks = await con.runAndReadAll(
      sql.replace(/\nSELECT cust AS "customer"[\s\S]*$/, '\nSELECT * FROM breaks'),
    );
    const row = breaks.getRowObjectsJS()[0] as Record<string, number>;
    const meta = JSON.parse(rfm(store.transactions).schema.metadata.get('clientele.breaks')!);
    expect([1, 2, 3, 4].map((j) => row[`rb${j}`])).toEqual(meta.recency);
    expect([1, 2, 3, 4].map((j) => row[`fb${j}`])).toEqual(meta.frequency);
    expect([1, 2, 3, 4].map((j) => row[`mb${j}`])).toEqual(meta.monetary);
  });

  it('abc on the sample store (customers by amount; cut-offs [0.8, 0.95] and [0.5, 0.7, 0.9])', async () => {
    expectSameRows(await runSql(con, 'abc', { table: 'sales' }), abc(store.transactions));
    const cutoffs = [0.5, 0.7, 0.9];
    expectSameRows(
      await runSql(con, 'abc', { table: 'sales', columns: { key: 'transaction', value: 'amount' }, cutoffs }),
      abc(store.transactions, { key: 'transaction', value: 'amount', cutoffs }),
    );
  });

  it('retentionCurve on the sample store, by month, quarter and year', async () => {
    for (const period of ['month', 'quarter', 'year'] as const) {
      expectSameRows(
        await runSql(con, 'retentionCurve', { table: 'sales', period }),
        retentionCurve(store.transactions, { period }),
      );
    }
  });

  it('basketPairs on the sample store equal associationRules on 2-itemsets and a brute-force count', async () => {
    for (const minSupport of [0.01, 0.05]) {
      const pushed = await runSql(con, 'basketPairs', { table: 'basket_items', minSupport });
      const rules = associationRules(frequentItemsets(baskets(store.basketItems), { minSupport, maxLength: 2 }), {
        minConfidence: 0,
        measures: ['support', 'confidence', 'lift', 'count'],
      });
      expect(pushed.numRows).toBe(rules.numRows);
      expect(pushed.numRows).toBeGreaterThan(10);
      for (let i = 0; i < rules.numRows; i++) {
        const row = rules.get(i)!;
        const got = pushed.get(i)!;
        expect([got.antecedent, got.consequent]).toEqual([row.antecedent.toArray()[0], row.consequent.toArray()[0]]);
        // the same IEEE operations on the same integers: equal to the bit
        expect([got.support, got.confidence, got.lift, got.count]).toEqual([
          row.support,
          row.confidence,
          row.lift,
          row.count,
        ]);
      }
      expectBruteForcePairs(
        pushed,
        store.basketItems.getChild('transaction')!.toArray() as Int32Array,
        (i) => store.basketItems.getChild('item')!.get(i),
        minSupport,
      );
    }
  });

  it('property: customerSummary, rfm, abc and retentionCurve equal in-process on logs with heavy ties, nulls, NaN and ±Infinity', async () => {
    await fc.assert(
      fc.asyncProperty(
        logArbitrary,
        fc.constantFrom(2, 3, 5),
        fc.constantFrom<readonly number[]>([0.8, 0.95], [0.5], [0.2, 0.4, 0.6, 0.8], [0.25, 0.5, 1]),
        fc.constantFrom('month', 'quarter', 'year') as fc.Arbitrary<'month' | 'quarter' | 'year'>,
        async (log, bins, cutoffs, period) => {
          await loadLog(log);
          const table = logTable(log);
          const summary = attempt(() => customerSummary(table));
          if (summary) {
            expectSameRows(await runSql(con, 'customerSummary', { table: 'log' }), summary, 'customer');
            expectSameRows(await runSql(con, 'rfm', { table: 'log', bins }), rfm(table, { bins }), 'customer');
          }
          const classes = attempt(() => abc(table, { cutoffs }));
          if (classes) expectSameRows(await runSql(con, 'abc', { table: 'log', cutoffs }), classes);
          const curve = attempt(() => retentionCurve(table, { period }));
          if (curve) expectSameRows(await runSql(con, 'retentionCurve', { table: 'log', period }), curve);
        },
      ),
      { numRuns: 60, seed: 8 },
    );
  });

  it('property: basketPairs equal associationRules on 2-itemsets and a brute-force count, with ties and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            transaction: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 15 }),
            item: fc.option(fc.constantFrom('beer', 'chips', 'diapers', 'milk', 'bread'), { freq: 15 }),
          }),
          { minLength: 1, maxLength: 50 },
        ),
        fc.constantFrom(0.05, 0.1, 0.25, 1 / 3),
        async (rows, minSupport) => {
          const transaction = rows.map((r) => r.transaction);
          const item = rows.map((r) => r.item);
          await loadDuckTable(con, 'basket_log', {
            transaction: { type: 'INTEGER', values: transaction },
            item: { type: 'VARCHAR', values: item },
          });
          const pushed = await runSql(con, 'basketPairs', { table: 'basket_log', minSupport });
          expectBruteForcePairs(pushed, transaction, (i) => item[i], minSupport);
          const b = attempt(() => baskets({ transaction, item }));
          if (!b) return;
          const rules = associationRules(frequentItemsets(b, { minSupport, maxLength: 2 }), {
            minConfidence: 0,
            measures: ['support', 'confidence', 'lift', 'count'],
          });
          expect(pushed.numRows).toBe(rules.numRows);
          for (let i = 0; i < rules.numRows; i++) {
            const row = rules.get(i)!;
            const got = pushed.get(i)!;
            expect([got.antecedent, got.consequent, got.support, got.confidence, got.lift, got.count]).toEqual([
              row.antecedent.toArray()[0],
              row.consequent.toArray()[0],
              row.support,
              row.confidence,
              row.lift,
              row.count,
            ]);
          }
        },
      ),
      { numRuns: 60, seed: 9 },
    );
  });

  it('reads a sub-query as the table, and columns under other names', async () => {
    await con.run(
      'CREATE OR REPLACE TABLE renamed AS SELECT customer AS "Client ID", date AS sold_on, amount AS "net-value" FROM sales',
    );
    const options = { columns: { customer: 'Client ID', date: 'sold_on', amount: 'net-value' } };
    expectSameRows(await runSql(con, 'rfm', { table: 'renamed', ...options }), rfm(store.transactions), 'customer');
    const sub = "(SELECT * FROM sales WHERE date < DATE '2024-01-01')";
    const rows = Array.from({ length: store.transactions.numRows }, (_, i) => store.transactions.get(i)!).filter(
      (r) => (r.date as unknown as number) < Date.UTC(2024, 0, 1),
    );
    const early = asTable({
      customer: rows.map((r) => r.customer),
      date: rows.map((r) => new Date(r.date as unknown as number)),
      amount: rows.map((r) => r.amount),
    });
    expectSameRows(await runSql(con, 'customerSummary', { table: sub }), customerSummary(early), 'customer');
  });

  it('an empty result is a zero-row table with every column', async () => {
    await loadDuckTable(con, 'nothing', {
      customer: { type: 'VARCHAR', values: [null] },
      date: { type: 'DATE', values: [19000] },
      amount: { type: 'DOUBLE', values: [1] },
    });
    const empty = await runSql(con, 'rfm', { table: 'nothing' });
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.name)).toEqual([
      'customer',
      'recency',
      'frequency',
      'monetary',
      'r',
      'f',
      'm',
      'score',
      'segment',
    ]);
  });
});

/**
 * Brute force: baskets as sets of item names from the raw rows, every ordered pair of distinct items counted
 * basket by basket, the measures from their definitions, the threshold count ≥ minSupport · N (N = baskets,
 * baskets whose items are all null included); the rows of `pushed` must be exactly these, as a set.
 */
function expectBruteForcePairs(
  pushed: ReturnType<typeof asTable>,
  transaction: ArrayLike<number | null>,
  itemAt: (i: number) => unknown,
  minSupport: number,
): void {
  const sets = new Map<number, Set<string>>();
  for (let i = 0; i < transaction.length; i++) {
    const t = transaction[i];
    if (t === null) continue;
    if (!sets.has(t)) sets.set(t, new Set());
    const item = itemAt(i);
    if (item !== null && item !== undefined) sets.get(t)!.add(String(item));
  }
  const n = sets.size;
  const single = new Map<string, number>();
  const pair = new Map<string, number>();
  for (const set of sets.values()) {
    for (const a of set) {
      single.set(a, (single.get(a) ?? 0) + 1);
      for (const b of set) if (a !== b) pair.set(`${a}\u0000${b}`, (pair.get(`${a}\u0000${b}`) ?? 0) + 1);
    }
  }
  const expected: string[] = [];
  for (const [key, count] of pair) {
    // count ≥ minSupport · N, with the 1e-9 guard of frequentItemsets for products such as 0.01 · 100000
    if (count < minSupport * n * (1 - 1e-9)) continue;
    const [a, b] = key.split('\u0000');
    const support = count / n;
    const confidence = count / single.get(a)!;
    const lift = confidence / (single.get(b)! / n);
    expected.push(
      `${a}→${b} ${count} ${support.toPrecision(12)} ${confidence.toPrecision(12)} ${lift.toPrecision(12)}`,
    );
  }
  const got = Array.from({ length: pushed.numRows }, (_, i) => {
    const r = pushed.get(i)!;
    return `${r.antecedent}→${r.consequent} ${r.count} ${(r.support as number).toPrecision(12)} ${(r.confidence as number).toPrecision(12)} ${(r.lift as number).toPrecision(12)}`;
  });
  expect(got.sort()).toEqual(expected.sort());
  // ordered by lift, confidence, support descending
  for (let i = 1; i < pushed.numRows; i++) {
    const p = pushed.get(i - 1)!;
    const q = pushed.get(i)!;
    expect(
      (p.lift as number) > (q.lift as number) ||
        ((p.lift as number) === (q.lift as number) && (p.confidence as number) >= (q.confidence as number)),
    ).toBe(true);
  }
}
