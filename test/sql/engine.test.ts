import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochDayOf, sqlEngine } from '../../src/sql/engine';
import type { SqlEngine } from '../../src/sql/engine';
import { rejectsWith } from '../helpers/errors';
import { postgresClient } from '../helpers/postgres';

/**
 * One statement of awkward values through each real engine: what sqlEngine hands the result builders must be the
 * same values whatever the engine — DATE as epoch days (no local-time Date on the way), integers beyond 2^53 as exact
 * bigints, NaN and ±Infinity as doubles, NULL as null — each checked against a value computed here independently.
 */
const SQL = {
  duckdb:
    "SELECT DATE '1969-12-31' AS d0, DATE '2024-02-29' AS d1, CAST(9007199254740993 AS BIGINT) AS big, " +
    "CAST(42 AS BIGINT) AS small, CAST('NaN' AS DOUBLE) AS nan, CAST('-Infinity' AS DOUBLE) AS ninf, " +
    "CAST(0.1 AS DOUBLE) AS tenth, CAST(NULL AS VARCHAR) AS missing, 'x''y' AS txt, CAST(7 AS INTEGER) AS i",
  postgres:
    "SELECT DATE '1969-12-31' AS d0, DATE '2024-02-29' AS d1, CAST(9007199254740993 AS BIGINT) AS big, " +
    "CAST(42 AS BIGINT) AS small, CAST('NaN' AS DOUBLE PRECISION) AS nan, CAST('-Infinity' AS DOUBLE PRECISION) AS ninf, " +
    "CAST(0.1 AS DOUBLE PRECISION) AS tenth, CAST(NULL AS TEXT) AS missing, 'x''y' AS txt, CAST(7 AS INTEGER) AS i",
};

function expectAwkwardValues(rows: Awaited<ReturnType<SqlEngine['run']>>): void {
  const at = (name: string) => rows.columns[rows.names.indexOf(name)][0];
  expect(rows.names).toEqual(['d0', 'd1', 'big', 'small', 'nan', 'ninf', 'tenth', 'missing', 'txt', 'i']);
  expect(at('d0')).toBe(-1);
  expect(at('d1')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
  expect(at('big')).toBe(9007199254740993n);
  expect(Number(at('small'))).toBe(42);
  expect(Number.isNaN(at('nan'))).toBe(true);
  expect(at('ninf')).toBe(-Infinity);
  expect(at('tenth')).toBe(0.1);
  expect(at('missing')).toBeNull();
  expect(at('txt')).toBe("x'y");
  expect(at('i')).toBe(7);
  expect(rows.types[rows.names.indexOf('d1')]).toBe('DATE');
  expect(rows.types[rows.names.indexOf('big')]).toBe('BIGINT');
  expect(rows.types[rows.names.indexOf('tenth')]).toBe('DOUBLE');
}

describe('sqlEngine reads every engine into the same values', () => {
  it('epochDayOf reads numbers, UTC Dates and ISO days alike', () => {
    expect(epochDayOf('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
    expect(epochDayOf(new Date(Date.UTC(1969, 11, 31)))).toBe(-1);
    expect(epochDayOf(19_000)).toBe(19_000);
    expect(Number.isNaN(epochDayOf('29/02/2024'))).toBe(true);
  });

  it('DuckDB', async () => {
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const engine = sqlEngine(con, 'test');
    expect(engine.dialect).toBe('duckdb');
    expectAwkwardValues(await engine.run(SQL.duckdb));
    await rejectsWith(() => engine.run('SELECT nope FROM range(1)'), 'MISSING_COLUMN', 'nope', 'DuckDB');
  });

  it('a runner of row objects', async () => {
    const engine = sqlEngine(
      { dialect: 'bigquery', run: async () => [{ day: new Date(Date.UTC(2024, 0, 2)), n: 3 }] },
      'test',
    );
    expect(engine.dialect).toBe('bigquery');
    const rows = await engine.run('SELECT 1');
    expect(rows.columns).toEqual([[Date.UTC(2024, 0, 2) / 86_400_000], [3]]);
    const bad = sqlEngine({ dialect: 'spark', run: async () => 'rows' as never }, 'test');
    await rejectsWith(() => bad.run('SELECT 1'), 'INVALID_INPUT', 'array of row objects');
  });

  it('refuses what is not a connection, naming the three kinds', () => {
    for (const c of [null, 42, {}, { run: () => [] }, { dialect: 'oracle', run: () => [] }]) {
      expect(() => sqlEngine(c, 'test')).toThrow(/DuckDBConnection.*pg Client.*runner/);
    }
  });
});

describe('sqlEngine on a real PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof postgresClient>>;
  beforeAll(async () => {
    pg = await postgresClient('engine');
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('reads the same values as DuckDB, and one statement only', async (ctx) => {
    if (!pg) return ctx.skip();
    const engine = sqlEngine(pg.client, 'test');
    expect(engine.dialect).toBe('postgres');
    expectAwkwardValues(await engine.run(SQL.postgres));
    await rejectsWith(
      () => engine.run('SELECT nope FROM generate_series(1, 1)'),
      'MISSING_COLUMN',
      'nope',
      'PostgreSQL',
    );
    // the extended protocol refuses a second statement outright
    await rejectsWith(() => engine.run('SELECT 1; SELECT 2'), 'INVALID_INPUT', 'multiple commands');
  });
});
