import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { fitBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { fitMbgNbd } from '../../src/clv/mbg-nbd';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { asTable } from '../../src/table/as-table';
import { runSql } from '../../src/sql/index';
import type { SqlConnection } from '../../src/sql/index';
import { postgresClient } from '../helpers/postgres';
import {
  bruteForcePatterns,
  cdnowLog,
  DAY,
  expectSameParams,
  expectSameSpend,
  expectSameSummary,
  loadPostgresLog,
  patternRows,
} from './clv-helpers';
import { loadDuckTable } from './helpers';

/**
 * CDNOW's master log (69,659 purchases of 23,570 customers) through DuckDB and PostgreSQL: the summary to the
 * 39-week calibration end of Fader, Hardie & Lee (2005) and its holdout equal summaryFromTransactions row by row;
 * the fits of BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma from the pattern tables equal the fits from the
 * in-process summary to 1e-6 relative in each parameter (the paper's figures are of the 1/10 sample, not this log).
 */
const log = cdnowLog();
const tx = asTable({
  customer: Int32Array.from(log.customer as number[]),
  date: log.date.map((d) => new Date(d! * DAY)),
  amount: Float64Array.from(log.amount as number[]),
});
const calibration = { calibrationEnd: '1997-09-30' };
const holdout = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' };

const duckdb = await import('@duckdb/node-api').catch(() => null);
const pg = await postgresClient('clvcdnow');
let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  if (duckdb) {
    instance = await duckdb.DuckDBInstance.create(':memory:');
    con = await instance.connect();
    await loadDuckTable(con, 'cdnow', {
      customer: { type: 'INTEGER', values: log.customer },
      date: { type: 'DATE', values: log.date },
      amount: { type: 'DOUBLE', values: log.amount },
    });
  }
  if (pg) await loadPostgresLog(pg.client, 'cdnow', log, 'INTEGER');
});
afterAll(async () => {
  con?.closeSync();
  instance?.closeSync();
  await pg?.close();
});

const engines: [string, () => SqlConnection, boolean][] = [
  ['DuckDB', () => con, !duckdb],
  ['PostgreSQL', () => pg!.client, !pg],
];

describe.each(engines)('CDNOW through %s', (_, connection, skip) => {
  it.skipIf(skip)('clvSummary equals summaryFromTransactions, with and without the holdout', async () => {
    for (const o of [calibration, holdout])
      expectSameSummary(
        await runSql(connection(), 'clvSummary', { table: 'cdnow', ...o }),
        summaryFromTransactions(tx, o),
      );
  });

  it.skipIf(skip)(
    'the fits from clvPatterns and spendPatterns equal the fits from the in-process summary',
    async () => {
      const summary = summaryFromTransactions(tx, calibration);
      const patterns = await runSql(connection(), 'clvPatterns', { table: 'cdnow', ...calibration });
      expect(patternRows(patterns)).toEqual(bruteForcePatterns(summary));
      expect(patterns.numRows).toBeLessThan(summary.numRows / 2); // 8,685 patterns of 23,570 customers
      for (const fit of [fitBgNbd, fitMbgNbd, fitParetoNbd])
        expectSameParams(fit(patterns, { weights: 'count' }).params, fit(summary).params);
      const bg = fitBgNbd(patterns, { weights: 'count' });
      expect(bg.customers).toBe(23_570);
      const spend = await runSql(connection(), 'spendPatterns', { table: 'cdnow', ...calibration });
      expectSameSpend(spend, summary);
      expectSameParams(fitGammaGamma(spend, { weights: 'count' }).params, fitGammaGamma(summary).params);
    },
  );
});
