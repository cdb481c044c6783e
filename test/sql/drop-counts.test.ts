import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { abc } from '../../src/api/abc';
import { baskets } from '../../src/api/basket';
import { customerSummary, rfm } from '../../src/api/rfm';
import { retentionCurve } from '../../src/clv/retention-curve';
import { sampleStore } from '../../src/sample/sample-store';
import { toEpochDay } from '../../src/table/internal';
import { runSql, toSql } from '../../src/sql/index';
import { admissionRules } from '../../src/sql/admission';
import { sqlContext } from '../../src/sql/options';
import { loadDuckTable } from './helpers';
import {
  abcDrops,
  basketDrops,
  basketLogArbitrary,
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
import type { Log } from './drop-helpers';

/**
 * The rows SQL drops are counted, and the counts are the in-process ones: `droppedRows(await runSql(duck, a, o))`
 * equals `droppedRows` of the in-process result (rows, kept, dropped by reason) for every analysis, and an
 * independent count written in drop-helpers.ts from the rules as the in-process functions state them — on the
 * sample store with faults planted, and on generated logs with nulls, NaN, ±Infinity, negative amounts and days
 * after asOf. The count also holds where the in-process function refuses the input (every row dropped).
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

const store = sampleStore({ customers: 150, seed: 23 });

/** The analyses whose rules this file checks (src/sql/admission-rules.ts). */
const ANALYSES = ['customerSummary', 'rfm', 'abc', 'retentionCurve', 'basketPairs'] as const;

/** Whether an in-process call throws (every row dropped): then only the independent count is compared. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Every analysis on table `name` holding `log`: SQL drops = independent count = in-process drops. */
async function checkLog(name: string, log: Log, asOf: string | undefined, returns: 'keep' | 'exclude'): Promise<void> {
  const table = logTable(log);
  const day = asOf === undefined ? undefined : toEpochDay(asOf, 'test', 'asOf');
  const expected = customerDrops(log, day, returns);
  for (const analysis of ['customerSummary', 'rfm'] as const) {
    const pushed = await runSql(con, analysis, { table: name, asOf, returns });
    expectSameDrops(pushed, expected, `${analysis} asOf ${asOf} returns ${returns}`);
    const f = analysis === 'rfm' ? rfm : customerSummary;
    const inProcess = attempt(() => f(table, { asOf, returns }));
    if (inProcess) expect(dropsOf(inProcess), analysis).toEqual(expected);
    else expect(pushed.numRows).toBe(0);
  }
  const classes = await runSql(con, 'abc', { table: name });
  expectSameDrops(classes, abcDrops(log), 'abc');
  const abcInProcess = attempt(() => abc(table));
  if (abcInProcess) expect(dropsOf(abcInProcess)).toEqual(abcDrops(log));
  const curve = await runSql(con, 'retentionCurve', { table: name, period: 'quarter' });
  expectSameDrops(curve, retentionDrops(log), 'retentionCurve');
  const curveInProcess = attempt(() => retentionCurve(table, { period: 'quarter' }));
  if (curveInProcess) expect(dropsOf(curveInProcess)).toEqual(retentionDrops(log));
}

describe.skipIf(!duckdb)('runSql counts the rows it drops, as the in-process functions do (DuckDB)', () => {
  it('the sample store with faults planted: every reason, every analysis, with and without asOf and returns', async () => {
    const log = soiled(storeLog(store.transactions));
    await loadDuckTable(con, 'soiled', logColumns(log));
    // the planted faults reach every reason (a test that could not see a reason would pass by default)
    const all = customerDrops(log, toEpochDay('2024-03-31', 'test', 'asOf'));
    expect(Object.keys(all.dropped).sort()).toEqual([
      'afterAsOf',
      'invalidAmount',
      'invalidDate',
      'negativeAmount',
      'nullCustomer',
    ]);
    for (const asOf of [undefined, '2024-03-31'])
      for (const returns of ['exclude', 'keep'] as const) await checkLog('soiled', log, asOf, returns);
  });

  it('the clean sample store: nothing dropped, rows = kept = input rows', async () => {
    const log = storeLog(store.transactions);
    await loadDuckTable(con, 'clean', logColumns(log));
    for (const analysis of ['customerSummary', 'rfm', 'abc', 'retentionCurve'] as const) {
      expectSameDrops(await runSql(con, analysis, { table: 'clean' }), {
        rows: log.customer.length,
        kept: log.customer.length,
        dropped: {},
        total: 0,
      });
    }
  });

  it('property: generated logs with nulls, NaN, ±Infinity, negative amounts and days after asOf', async () => {
    await fc.assert(
      fc.asyncProperty(
        logArbitrary,
        fc.constantFrom(undefined, '2024-01-31', '2024-09-30'),
        fc.constantFrom('exclude', 'keep') as fc.Arbitrary<'exclude' | 'keep'>,
        async (log, asOf, returns) => {
          await loadDuckTable(con, 'log', logColumns(log));
          await checkLog('log', log, asOf, returns);
        },
      ),
      { numRuns: 10, seed: 20 },
    );
  });

  it('basketPairs: null transactions and null items are nullKey drops, as baskets counts them', async () => {
    const items = store.basketItems;
    const n = items.numRows;
    const log = {
      transaction: Array.from({ length: n }, (_, i) =>
        i % 37 === 4 ? null : (items.getChild('transaction')!.get(i) as number),
      ),
      item: Array.from({ length: n }, (_, i) => (i % 23 === 9 ? null : (items.getChild('item')!.get(i) as string))),
    };
    await loadDuckTable(con, 'soiled_items', {
      transaction: { type: 'INTEGER', values: log.transaction },
      item: { type: 'VARCHAR', values: log.item },
    });
    const pushed = await runSql(con, 'basketPairs', { table: 'soiled_items', minSupport: 0.02 });
    expect(basketDrops(log).total).toBeGreaterThan(100);
    expectSameDrops(pushed, basketDrops(log));
    expectSameDrops(pushed, dropsOf(baskets(log).rows!));
  });

  it('property: basketPairs drop counts on generated baskets', async () => {
    await fc.assert(
      fc.asyncProperty(basketLogArbitrary, async (log) => {
        await loadDuckTable(con, 'basket_log', {
          transaction: { type: 'INTEGER', values: log.transaction },
          item: { type: 'VARCHAR', values: log.item },
        });
        const pushed = await runSql(con, 'basketPairs', { table: 'basket_log', minCount: 1 });
        expectSameDrops(pushed, basketDrops(log));
        const b = attempt(() => baskets(log));
        if (b) expect(dropsOf(b.rows!)).toEqual(basketDrops(log));
      }),
      { numRuns: 15, seed: 21 },
    );
  });

  it('the rules invariant: a rule is NULL only on rows an earlier rule drops (so NOT (rule) keeps what the count does not count)', async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, basketLogArbitrary, async (log, basketLog) => {
        await loadDuckTable(con, 'log', logColumns(log));
        await loadDuckTable(con, 'basket_log', {
          transaction: { type: 'INTEGER', values: basketLog.transaction },
          item: { type: 'VARCHAR', values: basketLog.item },
        });
        for (const analysis of ANALYSES) {
          const table = analysis === 'basketPairs' ? 'basket_log' : 'log';
          const own = analysis === 'customerSummary' || analysis === 'rfm' ? { asOf: '2024-05-31' } : {};
          const ctx = sqlContext(analysis, { table, ...own }, 'toSql');
          const rules = admissionRules(analysis, ctx)!;
          for (let k = 0; k < rules.length; k++) {
            const earlier = rules.slice(0, k).map((r) => `(${r.dropped})`);
            const sql =
              `SELECT COUNT(*) AS n FROM ${ctx.sourceText} AS src WHERE (${rules[k].dropped}) IS NULL` +
              (earlier.length > 0 ? ` AND NOT COALESCE(${earlier.join(' OR ')}, FALSE)` : '');
            const n = (await con.runAndReadAll(sql)).getColumnsJS()[0][0];
            expect(Number(n), `${analysis} ${rules[k].reason}`).toBe(0);
          }
        }
      }),
      { numRuns: 6, seed: 24 },
    );
  });

  it('the filter and the count are one list: every rule of every analysis appears in its query as a filter', () => {
    for (const analysis of ANALYSES) {
      for (const dialect of ['duckdb', 'postgres', 'spark', 'bigquery'] as const) {
        const options = { table: 'sales', dialect, asOf: '2024-01-01' };
        const own = analysis === 'customerSummary' || analysis === 'rfm' ? options : { table: 'sales', dialect };
        const ctx = sqlContext(analysis, own, 'toSql');
        const rules = admissionRules(analysis, ctx) ?? [];
        expect(rules.length, analysis).toBeGreaterThan(0);
        const sql = toSql(analysis, own);
        // basketPairs reads its columns through the rows_kept CTE, the others straight from the source
        for (const rule of rules) {
          const text =
            analysis === 'basketPairs'
              ? rule.dropped.replace(ctx.column('transaction'), 'tid').replace(ctx.column('item'), 'item_value')
              : rule.dropped;
          expect(sql, `${analysis} ${dialect} ${rule.reason}`).toContain(`NOT (${text})`);
        }
      }
    }
  });
});
