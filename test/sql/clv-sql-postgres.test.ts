import fc from 'fast-check';
import { Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { fitBgBb } from '../../src/clv/beta-geo-beta-binomial';
import { fitBgNbd, predictBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { sampleStore } from '../../src/sample/sample-store';
import { isClienteleError } from '../../src/table/errors';
import { runSql } from '../../src/sql/index';
import { postgresClient } from '../helpers/postgres';
import {
  bruteForcePatterns,
  donationsLog,
  expectSameDrops,
  expectSameParams,
  expectSameSpend,
  expectSameSummary,
  inProcessOptions,
  loadPostgresLog,
  logArbitrary,
  logTable,
  optionsArbitrary,
  patternRows,
  STORE_OPTIONS,
  storeLog,
} from './clv-helpers';
import type { ClvOptions, Log } from './clv-helpers';

/**
 * The CLV statements on a real PostgreSQL (the `pg` client, a schema of this file's own) equal the in-process
 * summaryFromTransactions as on DuckDB: row by row, metadata, drop counts, patterns, and the fits from the
 * patterns. Skipped when CLIENTELE_PG_URL is unset.
 */
const pg = await postgresClient('clvsql');
afterAll(async () => {
  await pg?.close();
});
const store = sampleStore({ customers: 300, seed: 7 });

describe.skipIf(!pg)('CLV summary and patterns on PostgreSQL equal summaryFromTransactions', () => {
  const client = pg?.client as NonNullable<typeof pg>['client'];

  it('loads the sample store', async () => {
    await loadPostgresLog(client, 'sales', storeLog(store.transactions), 'TEXT');
    const n = await client.query('SELECT COUNT(*) AS n FROM sales');
    expect(Number(n.rows[0].n)).toBe(store.transactions.numRows);
  });

  // every other option set of the DuckDB file: each time scale, with a holdout (all of them run on DuckDB)
  it.each(STORE_OPTIONS.filter((_, k) => k % 2 === 0).map((o) => [JSON.stringify(o), o] as const))(
    'clvSummary, clvPatterns, spendPatterns on the sample store with %s',
    async (_, o) => {
      const expected = summaryFromTransactions(store.transactions, inProcessOptions(o));
      expectSameSummary(await runSql(client, 'clvSummary', { table: 'sales', ...o }), expected);
      const patterns = await runSql(client, 'clvPatterns', { table: 'sales', ...o });
      expect(patternRows(patterns)).toEqual(bruteForcePatterns(expected));
      expectSameDrops(patterns, expected);
      expectSameSpend(await runSql(client, 'spendPatterns', { table: 'sales', ...o }), expected);
    },
  );

  it('generated logs with ties, same-day purchases, nulls, NaN, ±Infinity and returns (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, optionsArbitrary, async (log: Log, o: ClvOptions) => {
        await loadPostgresLog(client, 'log', log, 'TEXT');
        let expected: Table | undefined;
        let refused: string | undefined;
        try {
          expected = summaryFromTransactions(logTable(log), inProcessOptions(o));
        } catch (e) {
          refused = isClienteleError(e) ? e.code : String(e);
        }
        if (refused === 'INVALID_VALUE' || refused === 'INVALID_OPTION') return;
        const got = await runSql(client, 'clvSummary', { table: 'log', ...o });
        if (expected === undefined) {
          expect(got.numRows).toBe(0);
          return;
        }
        expectSameSummary(got, expected);
        expect(patternRows(await runSql(client, 'clvPatterns', { table: 'log', ...o }))).toEqual(
          bruteForcePatterns(expected),
        );
      }),
      { numRuns: 12 },
    );
  });

  it('fits from the pattern tables equal the fits from the in-process summary (BG/NBD, Pareto/NBD, Gamma-Gamma, BG/BB)', async () => {
    const o = { calibrationEnd: '2024-06-30' };
    const summary = summaryFromTransactions(store.transactions, o);
    const patterns = await runSql(client, 'clvPatterns', { table: 'sales', ...o });
    for (const fit of [fitBgNbd, fitParetoNbd])
      expectSameParams(fit(patterns, { weights: 'count' }).params, fit(summary).params);
    const spend = await runSql(client, 'spendPatterns', { table: 'sales', ...o });
    expectSameParams(fitGammaGamma(spend, { weights: 'count' }).params, fitGammaGamma(summary).params);

    const log = donationsLog();
    await loadPostgresLog(client, 'donations', log, 'INTEGER');
    const yearly = { calendar: 'year' as const, calibrationEnd: '2001-12-31' };
    const donors = await runSql(client, 'clvPatterns', { table: 'donations', ...yearly });
    const donorSummary = summaryFromTransactions(logTable(log), yearly);
    expect(patternRows(donors)).toEqual(bruteForcePatterns(donorSummary));
    expectSameParams(
      fitBgBb(donors, { periods: 'T', weights: 'count' }).params,
      fitBgBb(donorSummary, { periods: 'T' }).params,
    );
  });

  it('clvScores joins per-pattern predictions back to each customer', async () => {
    const o = { calibrationEnd: '2023-12-31' };
    const patterns = await runSql(client, 'clvPatterns', { table: 'sales', ...o });
    const model = fitBgNbd(patterns, { weights: 'count' });
    const alive = predictBgNbd(model, patterns, { quantity: 'probabilityAlive' }).toArray() as Float64Array;
    await client.query(
      'CREATE TABLE pattern_scores (frequency DOUBLE PRECISION, recency DOUBLE PRECISION, "T" DOUBLE PRECISION, p_alive DOUBLE PRECISION)',
    );
    const rows = patternRows(patterns).map(([x, tx, T], k) => `('${x}', '${tx}', '${T}', '${alive[k]}')`);
    await client.query(`INSERT INTO pattern_scores VALUES ${rows.join(', ')}`);
    const scored = await runSql(client, 'clvScores', {
      table: 'sales',
      ...o,
      scores: 'pattern_scores',
      scoreColumns: ['p_alive'],
    });
    const summary = summaryFromTransactions(store.transactions, o);
    const expected = summary.assign(
      new Table({ p_alive: predictBgNbd(model, summary, { quantity: 'probabilityAlive' }) }),
    );
    expectSameSummary(scored, expected);
  });
});
