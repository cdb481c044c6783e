import fc from 'fast-check';
import sqlParser from 'node-sql-parser';
import { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { fitBgBb } from '../../src/clv/beta-geo-beta-binomial';
import { fitBgNbd, predictBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { fitMbgNbd } from '../../src/clv/mbg-nbd';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { sampleStore } from '../../src/sample/sample-store';
import { isClienteleError } from '../../src/table/errors';
import { runSql, toSql } from '../../src/sql/index';
import type { SqlAnalysis, SqlDialect, ToSqlOptions } from '../../src/sql/index';
import {
  attempt,
  bruteForcePatterns,
  donationsLog,
  expectSameDrops,
  expectSameParams,
  expectSameSpend,
  expectSameSummary,
  inProcessOptions,
  logArbitrary,
  logTable,
  optionsArbitrary,
  patternRows,
  STORE_OPTIONS,
  storeLog,
} from './clv-helpers';
import type { ClvOptions, Log } from './clv-helpers';
import { loadDuckTable } from './helpers';

/**
 * The CLV sufficient statistics in SQL on a real embedded DuckDB equal the in-process summaryFromTransactions:
 * row by row (integers exact, doubles 1e-9 relative), with the same metadata and drop counts; the pattern tables
 * equal a brute-force grouping of the in-process summary; the fits from the patterns equal the fits from the
 * in-process summary to 1e-6 relative in each parameter.
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

const store = sampleStore({ customers: 300, seed: 7 });

async function load(name: string, log: Log, key: 'VARCHAR' | 'INTEGER'): Promise<void> {
  await loadDuckTable(con, name, {
    customer: { type: key, values: log.customer },
    date: { type: 'DATE', values: log.date },
    amount: { type: 'DOUBLE', values: log.amount },
  });
}

describe.skipIf(!duckdb)('CLV summary and patterns in DuckDB equal summaryFromTransactions', () => {
  beforeAll(async () => {
    if (duckdb) await load('sales', storeLog(store.transactions), 'VARCHAR');
  });

  it.each(STORE_OPTIONS.map((o) => [JSON.stringify(o), o] as const))(
    'clvSummary, clvPatterns, spendPatterns on the sample store with %s',
    async (_, o) => {
      const expected = summaryFromTransactions(store.transactions, inProcessOptions(o));
      expectSameSummary(await runSql(con, 'clvSummary', { table: 'sales', ...o }), expected);
      const patterns = await runSql(con, 'clvPatterns', { table: 'sales', ...o });
      expect(patternRows(patterns)).toEqual(bruteForcePatterns(expected));
      expectSameDrops(patterns, expected);
      const spend = await runSql(con, 'spendPatterns', { table: 'sales', ...o });
      expectSameSpend(spend, expected);
      expectSameDrops(spend, expected);
    },
  );

  it('generated logs with ties, same-day purchases, nulls, NaN, ±Infinity and returns (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, optionsArbitrary, async (log: Log, o: ClvOptions) => {
        await load('log', log, 'VARCHAR');
        let expected: Table | undefined;
        let refused: string | undefined;
        try {
          expected = summaryFromTransactions(logTable(log), inProcessOptions(o));
        } catch (e) {
          refused = isClienteleError(e) ? e.code : String(e);
        }
        if (refused === 'INVALID_VALUE' || refused === 'INVALID_OPTION') {
          await expect(runSql(con, 'clvSummary', { table: 'log', ...o })).rejects.toMatchObject({ code: refused });
          return;
        }
        const got = await runSql(con, 'clvSummary', { table: 'log', ...o });
        if (expected === undefined) {
          // EMPTY_INPUT in-process (every row dropped, or nobody acquired by calibrationEnd): no SQL row
          expect(got.numRows).toBe(0);
          return;
        }
        expectSameSummary(got, expected);
        expect(patternRows(await runSql(con, 'clvPatterns', { table: 'log', ...o }))).toEqual(
          bruteForcePatterns(expected),
        );
        expectSameSpend(await runSql(con, 'spendPatterns', { table: 'log', ...o }), expected);
      }),
      { numRuns: 25 },
    );
  });

  it('fits from the pattern tables equal the fits from the in-process summary (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma)', async () => {
    const o = { calibrationEnd: '2024-06-30' };
    const summary = summaryFromTransactions(store.transactions, o);
    const patterns = await runSql(con, 'clvPatterns', { table: 'sales', ...o });
    const spend = await runSql(con, 'spendPatterns', { table: 'sales', ...o });
    expect(patterns.numRows).toBeLessThan(summary.numRows);
    for (const fit of [fitBgNbd, fitMbgNbd, fitParetoNbd]) {
      const fromPatterns = fit(patterns, { weights: 'count' });
      const inProcess = fit(summary);
      expectSameParams(fromPatterns.params, inProcess.params);
      expect(fromPatterns.customers).toBe(inProcess.customers);
      expect(fromPatterns.unit).toBe(inProcess.unit);
    }
    const gg = fitGammaGamma(spend, { weights: 'count' });
    const ggInProcess = fitGammaGamma(summary);
    expectSameParams(gg.params, ggInProcess.params);
    // the customers Gamma-Gamma leaves out are left out in SQL: the same customers, no drop in the fit
    expect(gg.customers).toBe(ggInProcess.customers);
    expect(gg.dropped).toEqual({});
  });

  it('BG/BB from calendar-year patterns of the donation log equals the in-process fit and Fader, Hardie & Shang (2010)', async () => {
    const log = donationsLog();
    await load('donations', log, 'INTEGER');
    const o = { calendar: 'year' as const, calibrationEnd: '2001-12-31' };
    const patterns = await runSql(con, 'clvPatterns', { table: 'donations', ...o });
    const summary = summaryFromTransactions(logTable(log), o);
    expect(patternRows(patterns)).toEqual(bruteForcePatterns(summary));
    expect(patterns.numRows).toBe(22); // the 22 (x, t_x, n) groups of the published data
    const fromPatterns = fitBgBb(patterns, { periods: 'T', weights: 'count' });
    expectSameParams(fromPatterns.params, fitBgBb(summary, { periods: 'T' }).params);
    expect(fromPatterns.customers).toBe(11_104);
    // published α = 1.204, β = 0.750, γ = 0.657, δ = 2.783
    expect(fromPatterns.params.alpha).toBeCloseTo(1.204, 2);
    expect(fromPatterns.params.delta).toBeCloseTo(2.783, 1);
  });

  it('clvScores joins per-pattern predictions back to each customer', async () => {
    const o = { calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30' };
    const patterns = await runSql(con, 'clvPatterns', { table: 'sales', ...o });
    const model = fitBgNbd(patterns, { weights: 'count' });
    const alive = predictBgNbd(model, patterns, { quantity: 'probabilityAlive' });
    const scores = new Table({
      frequency: patterns.getChild('frequency')!,
      recency: patterns.getChild('recency')!,
      T: patterns.getChild('T')!,
      pAlive: alive,
    });
    await loadDuckTable(con, 'pattern_scores', {
      frequency: { type: 'DOUBLE', values: Array.from(scores.getChild('frequency')!.toArray() as Float64Array) },
      recency: { type: 'DOUBLE', values: Array.from(scores.getChild('recency')!.toArray() as Float64Array) },
      T: { type: 'DOUBLE', values: Array.from(scores.getChild('T')!.toArray() as Float64Array) },
      pAlive: { type: 'DOUBLE', values: Array.from(alive.toArray() as Float64Array) },
    });
    const scored = await runSql(con, 'clvScores', {
      table: 'sales',
      ...o,
      scores: 'pattern_scores',
      scoreColumns: ['pAlive'],
    });
    const summary = summaryFromTransactions(store.transactions, o);
    const want = predictBgNbd(model, summary, { quantity: 'probabilityAlive' });
    const expected = summary.assign(new Table({ pAlive: want }));
    expectSameSummary(scored, expected);
  });

  it('refuses bad CLV options as summaryFromTransactions does', async () => {
    const base = { table: 'sales' };
    await expect(runSql(con, 'clvSummary', { ...base, unit: 'month' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(runSql(con, 'clvSummary', { ...base, unit: 'day', calendar: 'week' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(runSql(con, 'clvSummary', { ...base, holdoutEnd: '2024-06-30' })).rejects.toMatchObject({
      code: 'INVALID_VALUE',
    });
    await expect(
      runSql(con, 'clvSummary', { ...base, calendar: 'month', calibrationEnd: '2024-03-15', holdoutEnd: '2024-06-30' }),
    ).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(runSql(con, 'clvSummary', { ...base, asOf: '2024-01-01' } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(
      runSql(con, 'clvScores', { ...base, scores: '(SELECT 1)', scoreColumns: ['p'] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(
      runSql(con, 'clvScores', { ...base, scores: 'x"; DROP TABLE sales; --', scoreColumns: ['p'] }),
    ).rejects.toThrow(/option scores must name/);
    await expect(runSql(con, 'clvScores', { ...base, scores: 's', scoreColumns: ['T'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    // the in-process twin refuses the same
    expect(attempt(() => summaryFromTransactions(store.transactions, { holdoutEnd: '2024-06-30' }))).toBeUndefined();
  });
});

/**
 * Spark SQL and BigQuery cannot run here: their texts (and PostgreSQL's) parse with node-sql-parser's grammars
 * (Spark with 'hive', as test/sql/dialects.test.ts explains) and equal the tested DuckDB text token by token once
 * each dialect's known spellings are replaced by neutral tokens.
 */
const { Parser } = sqlParser as unknown as {
  Parser: new () => {
    astify(sql: string, o: { database: string }): unknown;
    tableList(sql: string, o: { database: string }): string[];
  };
};
const parser = new Parser();
const GRAMMAR = { spark: 'hive', bigquery: 'bigquery', postgres: 'postgresql' } as const;
const DIALECTS: SqlDialect[] = ['duckdb', 'spark', 'bigquery', 'postgres'];

const DIALECT_CASES: [SqlAnalysis, Omit<ToSqlOptions, 'dialect'>][] = [
  ['clvSummary', { table: 'sales' }],
  [
    'clvSummary',
    { table: 'shop.sales', unit: 'day', columns: { customer: 'client id', date: 'sold_on', amount: 'net' } },
  ],
  ['clvSummary', { table: 'sales', calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30', returns: 'keep' }],
  ['clvSummary', { table: 'sales', calendar: 'week', calibrationEnd: '2023-12-31', holdoutEnd: '2024-06-30' }],
  ['clvSummary', { table: 'sales', calendar: 'month' }],
  ['clvPatterns', { table: 'sales', calendar: 'quarter', calibrationEnd: 19971231 }],
  ['clvPatterns', { table: 'sales', calendar: 'year' }],
  ['clvPatterns', { table: 'sales', calendar: 'day', calibrationEnd: new Date(Date.UTC(2024, 0, 31)) }],
  ['spendPatterns', { table: 'sales' }],
  ['clvScores', { table: 'sales', scores: 'shop.pattern_scores', scoreColumns: ['p alive', 'expected'] }],
  ['clvSummary', { table: "(SELECT * FROM sales WHERE region = 'north')", calendar: 'month' }],
];

/** The text with each dialect's own spellings (those the CLV statements use) replaced by neutral tokens. */
function normalise(sql: string, dialect: SqlDialect): string {
  let s = sql;
  if (dialect === 'duckdb' || dialect === 'postgres') {
    s = s.replace(/\((CAST\([^()]* AS DATE\)) - DATE '1970-01-01'\)/g, 'EPOCH_DAY($1)');
    s = s.replace(
      /CAST\(EXTRACT\(YEAR FROM (\w+)\) AS INTEGER\) \* 12 \+ CAST\(EXTRACT\(MONTH FROM \1\) AS INTEGER\) - 1/g,
      'MONTH_INDEX($1)',
    );
    s = s.replace(
      dialect === 'duckdb' ? /\(\((.+?)\) \/\/ \((\w+)\)\)/g : /\(\((.+?)\) \/ \((\w+)\)\)/g,
      'INT_DIV($1, $2)',
    );
    s = s.replace(/fsum\(/g, 'SUM(').replace(/NOT isfinite\((\w+)\)/g, 'INADMISSIBLE($1)');
    s = s.replace(
      /(\w+) IN \(CAST\('NaN' AS DOUBLE PRECISION\), CAST\('Infinity' AS DOUBLE PRECISION\), CAST\('-Infinity' AS DOUBLE PRECISION\)\)/g,
      'INADMISSIBLE($1)',
    );
    s = s.replace(/DOUBLE PRECISION/g, 'DOUBLE');
  } else if (dialect === 'bigquery') {
    s = s.replace(/UNIX_DATE\((CAST\([^()]* AS DATE\))\)/g, 'EPOCH_DAY($1)');
    s = s.replace(
      /CAST\(EXTRACT\(YEAR FROM (\w+)\) AS INT64\) \* 12 \+ CAST\(EXTRACT\(MONTH FROM \1\) AS INT64\) - 1/g,
      'MONTH_INDEX($1)',
    );
    s = s.replace(/DIV\((MONTH_INDEX\(\w+\)), (\d+)\)/g, 'INT_DIV($1, $2)');
    s = s.replace(/\(IS_NAN\((\w+)\) OR IS_INF\(\1\)\)/g, 'INADMISSIBLE($1)');
    s = s
      .replace(/\bFLOAT64\b/g, 'DOUBLE')
      .replace(/\bINT64\b/g, 'INTEGER')
      .replace(/`/g, '"');
  } else {
    s = s.replace(/DATEDIFF\((CAST\([^()]* AS DATE\)), DATE '1970-01-01'\)/g, 'EPOCH_DAY($1)');
    s = s.replace(/YEAR\((\w+)\) \* 12 \+ MONTH\(\1\) - 1/g, 'MONTH_INDEX($1)');
    s = s.replace(/CAST\(FLOOR\(\((.+?)\) \/ \((\w+)\)\) AS INT\)/g, 'INT_DIV($1, $2)');
    s = s.replace(/\(isnan\((\w+)\) OR abs\(\1\) = double\('infinity'\)\)/g, 'INADMISSIBLE($1)');
    s = s.replace(/\bINT\b/g, 'INTEGER').replace(/`/g, '"');
  }
  return s;
}

describe('CLV statements in the four dialects', () => {
  it.each(DIALECT_CASES.map(([a, o], k) => [k, a, o] as const))(
    'case %i (%s) parses in the Spark (hive), BigQuery and PostgreSQL grammars as one SELECT of the source',
    (_, analysis, options) => {
      for (const dialect of ['spark', 'bigquery', 'postgres'] as const) {
        const sql = toSql(analysis, { ...options, dialect });
        const database = GRAMMAR[dialect];
        const ast = parser.astify(sql, { database });
        const statements = Array.isArray(ast) ? ast : [ast];
        expect(statements).toHaveLength(1);
        expect((statements[0] as { type: string }).type).toBe('select');
        const name = options.table.startsWith('(') ? 'sales' : options.table.split('.').at(-1)!;
        expect(parser.tableList(sql, { database }).some((t) => t.endsWith(`::${name}`))).toBe(true);
      }
    },
  );

  it.each(DIALECT_CASES.map(([a, o], k) => [k, a, o] as const))(
    'case %i (%s): the four texts differ only in dialect spellings',
    (_, analysis, options) => {
      const texts = DIALECTS.map((dialect) => toSql(analysis, { ...options, dialect }));
      expect(new Set(texts).size).toBe(4);
      const neutral = texts.map((t, k) => normalise(t, DIALECTS[k]));
      for (let k = 1; k < 4; k++) expect(neutral[k], DIALECTS[k]).toBe(neutral[0]);
      expect(neutral[0]).not.toMatch(/fsum|isnan\(|isfinite\(|IS_NAN|\/\/|EXTRACT|DATE '1970-01-01'|UNIX_DATE|\bDIV\(/);
    },
  );
});
