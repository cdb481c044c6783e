import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Client, CustomTypesConfig } from 'pg';
import { abc } from '../../src/api/abc';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { associationRules } from '../../src/basket/association-rules';
import { customerSummary, rfm } from '../../src/api/rfm';
import type { CustomerSummaryOptions, RfmOptions } from '../../src/api/rfm';
import type { AbcOptions } from '../../src/api/abc';
import type { RetentionCurveOptions } from '../../src/clv/retention-curve';
import { retentionCurve } from '../../src/clv/retention-curve';
import { sampleStore } from '../../src/sample/sample-store';
import { droppedRows, toEpochDay } from '../../src/table/internal';
import { runSql } from '../../src/sql/index';
import type { SqlAnalysis, SqlRunner, ToSqlOptions } from '../../src/sql/index';
import { sqlEngine } from '../../src/sql/engine';
import { postgresClient } from '../helpers/postgres';
import { rejectsWith } from '../helpers/errors';
import { expectSameRows, loadDuckTable } from './helpers';
import type { SqlColumnSpec } from './helpers';
import {
  abcDrops,
  basketDrops,
  customerDrops,
  dropsOf,
  expectSameDrops,
  logArbitrary,
  logColumns,
  logTable,
  retentionDrops,
  soiled,
  storeLog,
} from './drop-helpers';
import type { BasketLog, Log } from './drop-helpers';

/**
 * `runSql` on a real PostgreSQL through the `pg` client returns the tables `runSql` returns on DuckDB and the
 * in-process functions return: the same column names and Arrow types, the same rows (integers, dates, labels
 * exact; doubles within 1e-9 relative: PostgreSQL sums with SUM where DuckDB and the in-process code compensate),
 * and the same drop counts — for the five analyses with their options, on the sample store with faults planted
 * and on generated logs. The same through a runner written here around the pg client. Skipped when
 * CLIENTELE_PG_URL is unset.
 */
const pg = await postgresClient('runsql');
const { types: pgTypes } = (await import('pg')).default;
const duckdb = await import('@duckdb/node-api').catch(() => null);
let instance: DuckDBInstance;
let duck: DuckDBConnection;
let client: Client;

beforeAll(async () => {
  if (!pg || !duckdb) return;
  client = pg.client;
  instance = await duckdb.DuckDBInstance.create(':memory:');
  duck = await instance.connect();
});
afterAll(async () => {
  duck?.closeSync();
  instance?.closeSync();
  await pg?.close();
});

/** A PostgreSQL literal of a cell: text quoted, doubles through their shortest text (NaN, ±Infinity included). */
function literal(type: SqlColumnSpec['type'], v: string | number | null): string {
  if (v === null) return 'NULL';
  switch (type) {
    case 'VARCHAR':
      return `'${String(v).replace(/'/g, "''")}'`;
    case 'INTEGER':
      return String(v);
    case 'DOUBLE':
      return `CAST('${String(v)}' AS DOUBLE PRECISION)`;
    case 'DATE':
      return `(DATE '1970-01-01' + ${v})`;
  }
}

const PG_TYPE = { VARCHAR: 'TEXT', INTEGER: 'INTEGER', DOUBLE: 'DOUBLE PRECISION', DATE: 'DATE' } as const;

/** Creates table `name` in both engines with the same cells. */
async function loadBoth(name: string, columns: Record<string, SqlColumnSpec>): Promise<void> {
  await loadDuckTable(duck, name, columns);
  const entries = Object.entries(columns);
  await client.query(
    `DROP TABLE IF EXISTS "${name}"; CREATE TABLE "${name}" (${entries.map(([c, s]) => `"${c}" ${PG_TYPE[s.type]}`).join(', ')})`,
  );
  const n = entries[0][1].values.length;
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i++)
      rows.push(`(${entries.map(([, s]) => literal(s.type, s.values[i])).join(', ')})`);
    await client.query(`INSERT INTO "${name}" VALUES ${rows.join(',\n')}`);
  }
}

function basketColumns(log: BasketLog): Record<string, SqlColumnSpec> {
  return {
    transaction: { type: 'INTEGER', values: log.transaction },
    item: { type: 'VARCHAR', values: log.item },
  };
}

/**
 * A runner around the pg client, as a user would write one: row objects with pg's own value parsers (BIGINT as
 * text, DOUBLE as a number), except DATE kept as its 'YYYY-MM-DD' text (pg's parser makes a local-time Date).
 */
function pgRunner(c: Client): SqlRunner {
  const getTypeParser = ((oid: number, format?: 'text') =>
    oid === 1082 ? (text: string) => text : pgTypes.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'];
  return {
    dialect: 'postgres',
    run: async (sql) => (await c.query({ text: sql, types: { getTypeParser } })).rows as Record<string, unknown>[],
  };
}

/** The in-process twin of each analysis (basketPairs compared apart: its in-process result has list columns). */
function inProcess(analysis: SqlAnalysis, table: Table, options: Omit<ToSqlOptions, 'table' | 'dialect'>): Table {
  switch (analysis) {
    case 'customerSummary':
      return customerSummary(table, options as CustomerSummaryOptions);
    case 'rfm':
      return rfm(table, options as RfmOptions);
    case 'abc':
      return abc(table, options as AbcOptions);
    case 'retentionCurve':
      return retentionCurve(table, options as RetentionCurveOptions);
    default:
      throw new Error(analysis);
  }
}

/** PostgreSQL = DuckDB = in-process, rows and drops, for one analysis and its options. */
async function checkThree(
  analysis: SqlAnalysis,
  name: string,
  table: Table | undefined,
  options: Omit<ToSqlOptions, 'table' | 'dialect'>,
): Promise<Table> {
  const what = `${analysis} ${JSON.stringify(options)}`;
  const onPostgres = await runSql(client, analysis, { table: name, ...options });
  const onDuck = await runSql(duck, analysis, { table: name, ...options });
  expectSameRows(onPostgres, onDuck);
  expect(dropsOf(onPostgres), what).toEqual(dropsOf(onDuck));
  expect(onPostgres.schema.metadata.get('clientele.sql')).toBe('postgres');
  if (table !== undefined) {
    const expected = inProcess(analysis, table, options);
    const byKey = analysis === 'customerSummary' || analysis === 'rfm' ? 'customer' : undefined;
    expectSameRows(onPostgres, expected, byKey);
    expect(dropsOf(onPostgres), what).toEqual(dropsOf(expected));
  }
  return onPostgres;
}

const store = sampleStore({ customers: 150, seed: 31 });
const log = soiled(storeLog(store.transactions));
const items = store.basketItems;
const basketLog: BasketLog = {
  transaction: Array.from({ length: items.numRows }, (_, i) =>
    i % 31 === 6 ? null : (items.getChild('transaction')!.get(i) as number),
  ),
  item: Array.from({ length: items.numRows }, (_, i) =>
    i % 19 === 2 ? null : (items.getChild('item')!.get(i) as string),
  ),
};

describe.skipIf(!pg || !duckdb)('runSql on PostgreSQL (pg) equals runSql on DuckDB and in-process', () => {
  beforeAll(async () => {
    if (!pg || !duckdb) return;
    await loadBoth('sales', logColumns(log));
    await loadBoth('basket_items', basketColumns(basketLog));
  });

  it('customerSummary and rfm with asOf, returns, bins, breaks and segment maps (sample store, faults planted)', async () => {
    const table = logTable(log);
    const cases: Omit<ToSqlOptions, 'table' | 'dialect'>[] = [
      {},
      { asOf: '2024-03-31' },
      { returns: 'keep', asOf: new Date(Date.UTC(2024, 5, 30)) },
    ];
    for (const options of cases) await checkThree('customerSummary', 'sales', table, options);
    const rfmCases: Omit<ToSqlOptions, 'table' | 'dialect'>[] = [
      {},
      { bins: 3, asOf: '2024-06-30' },
      {
        bins: 4,
        segments: {
          rules: [
            { name: "Top 'n' best", r: [3, 4], fm: [3, 4] },
            { name: 'Gone', r: [1, 1] },
          ],
          other: 'Rest',
        },
      },
      { bins: 12, returns: 'keep' },
      { breaks: { frequency: [1, 2, 4, 8] } },
      { bins: 4, segments: false },
    ];
    for (const options of rfmCases) await checkThree('rfm', 'sales', table, options);
    // the planted faults are there to count
    expect(droppedRows(await runSql(client, 'rfm', { table: 'sales', asOf: '2024-03-31' })).total).toBe(
      customerDrops(log, toEpochDay('2024-03-31', 'test', 'asOf')).total,
    );
  });

  it('abc with its cut-offs', async () => {
    const table = logTable(log);
    await checkThree('abc', 'sales', table, {});
    await checkThree('abc', 'sales', table, { cutoffs: [0.5, 0.7, 0.9] });
    expectSameDrops(await runSql(client, 'abc', { table: 'sales' }), abcDrops(log));
  });

  it('retentionCurve by month, quarter and year', async () => {
    const table = logTable(log);
    for (const period of ['month', 'quarter', 'year'] as const)
      await checkThree('retentionCurve', 'sales', table, { period });
    expectSameDrops(await runSql(client, 'retentionCurve', { table: 'sales' }), retentionDrops(log));
  });

  it('basketPairs with minSupport and minCount equal associationRules on 2-itemsets, drops as baskets counts them', async () => {
    const b = baskets(basketLog);
    for (const options of [{ minSupport: 0.01 }, { minSupport: 0.05 }, { minCount: 4 }]) {
      const onPostgres = await checkThree('basketPairs', 'basket_items', undefined, options);
      expectSameDrops(onPostgres, dropsOf(b.rows!));
      expectSameDrops(onPostgres, basketDrops(basketLog));
      if (!('minSupport' in options)) continue; // minCount: PostgreSQL = DuckDB above (no in-process share twin)
      const { minSupport } = options;
      const rules = associationRules(frequentItemsets(b, { minSupport, maxLength: 2 }), {
        minConfidence: 0,
        measures: ['support', 'confidence', 'lift', 'count'],
      });
      expect(onPostgres.numRows).toBe(rules.numRows);
      expect(onPostgres.numRows).toBeGreaterThan(5);
      for (let i = 0; i < rules.numRows; i++) {
        const row = rules.get(i)!;
        const got = onPostgres.get(i)!;
        expect([got.antecedent, got.consequent, got.count]).toEqual([
          row.antecedent.toArray()[0],
          row.consequent.toArray()[0],
          row.count,
        ]);
        // one division of the same integers in IEEE doubles: equal to the bit
        expect([got.support, got.confidence, got.lift]).toEqual([row.support, row.confidence, row.lift]);
      }
    }
  });

  it('property: generated logs with nulls, NaN, ±Infinity, negative amounts and days after asOf', async () => {
    await fc.assert(
      fc.asyncProperty(
        logArbitrary,
        fc.constantFrom(undefined, '2024-01-31', '2024-09-30'),
        fc.constantFrom(2, 3, 5),
        fc.constantFrom('month', 'quarter', 'year') as fc.Arbitrary<'month' | 'quarter' | 'year'>,
        async (generated: Log, asOf, bins, period) => {
          await loadBoth('log', logColumns(generated));
          const table = logTable(generated);
          const attempt = (f: () => unknown) => {
            try {
              f();
              return table;
            } catch {
              return undefined; // every row dropped in-process: PostgreSQL = DuckDB and the independent count only
            }
          };
          const day = asOf === undefined ? undefined : toEpochDay(asOf, 'test', 'asOf');
          const summary = await checkThree(
            'customerSummary',
            'log',
            attempt(() => customerSummary(table, { asOf })),
            {
              asOf,
            },
          );
          expectSameDrops(summary, customerDrops(generated, day));
          await checkThree(
            'rfm',
            'log',
            attempt(() => rfm(table, { asOf, bins })),
            { asOf, bins },
          );
          const classes = await checkThree(
            'abc',
            'log',
            attempt(() => abc(table)),
            {},
          );
          expectSameDrops(classes, abcDrops(generated));
          const curve = await checkThree(
            'retentionCurve',
            'log',
            attempt(() => retentionCurve(table, { period })),
            {
              period,
            },
          );
          expectSameDrops(curve, retentionDrops(generated));
        },
      ),
      { numRuns: 8, seed: 22 },
    );
  });

  it('a runner around the pg client (row objects) gives the same tables and drop counts as the pg client', async () => {
    const runner = pgRunner(client);
    const cases: [SqlAnalysis, string, Omit<ToSqlOptions, 'table' | 'dialect'>][] = [
      ['customerSummary', 'sales', { asOf: '2024-03-31' }],
      ['rfm', 'sales', { bins: 4 }],
      ['abc', 'sales', {}],
      ['retentionCurve', 'sales', { period: 'quarter' }],
      ['basketPairs', 'basket_items', { minSupport: 0.02 }],
    ];
    for (const [analysis, table, options] of cases) {
      const viaRunner = await runSql(runner, analysis, { table, ...options });
      const viaClient = await runSql(client, analysis, { table, ...options });
      expect(viaRunner.numRows, analysis).toBeGreaterThan(0);
      expectSameRows(viaRunner, viaClient);
      expect(droppedRows(viaRunner), analysis).toEqual(droppedRows(viaClient));
    }
  });

  it('a column PostgreSQL does not find → MISSING_COLUMN naming it', async () => {
    await rejectsWith(
      () => runSql(client, 'customerSummary', { table: 'sales', columns: { amount: 'revenue' } }),
      'MISSING_COLUMN',
      'revenue',
      'PostgreSQL',
    );
  });

  it('several statements smuggled in a sub-query are refused before PostgreSQL sees them, and the table is still there', async () => {
    for (const table of [
      '(SELECT * FROM sales); DROP TABLE sales',
      '(SELECT * FROM sales; DROP TABLE sales; SELECT * FROM sales)',
      "(SELECT * FROM sales WHERE customer <> ';'); DROP TABLE sales --",
    ]) {
      await rejectsWith(() => runSql(client, 'abc', { table }), 'INVALID_OPTION');
    }
    const left = await client.query('SELECT COUNT(*) AS n FROM sales');
    expect(Number((left.rows[0] as { n: string }).n)).toBe(log.customer.length);
  });

  it("raw: PostgreSQL's extended protocol (runSql's way) refuses two statements in one text, so none runs", async () => {
    await client.query('CREATE TABLE victim (x INTEGER); INSERT INTO victim VALUES (1)');
    const text = 'SELECT 1 AS one; DROP TABLE victim';
    // the client's extended-protocol query, as the pg engine sends it
    await expect(client.query({ text, queryMode: 'extended' } as never)).rejects.toThrow(/multiple commands/);
    // the engine behind runSql turns it into INVALID_INPUT quoting PostgreSQL
    await rejectsWith(() => sqlEngine(client, 'runSql').run(text), 'INVALID_INPUT', 'multiple commands');
    expect((await client.query('SELECT COUNT(*) AS n FROM victim')).rows[0].n).toBe('1');
  });
});
