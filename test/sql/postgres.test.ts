import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataType } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { abc } from '../../src/api/abc';
import { associationRules } from '../../src/basket/association-rules';
import { baskets } from '../../src/api/basket';
import { frequentItemsets } from '../../src/api/basket';
import { retentionCurve } from '../../src/clv/retention-curve';
import { customerSummary } from '../../src/api/rfm';
import { rfm } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/sample-store';
import { toSql } from '../../src/sql/index';
import { postgresSession } from '../helpers/postgres';

/**
 * The PostgreSQL SQL on a real PostgreSQL server, through the `psql` client, compared row by row with the
 * in-process results on the sample store. Runs only when CLIENTELE_PG_URL names a database (e.g.
 * `postgresql://clientele:clientele@localhost/clientele`, created with LC_COLLATE 'C' so that text sorts as in
 * JS); skipped otherwise.
 */
const { url, reachable, env, close } = postgresSession('sql');
const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-pg-'));
afterAll(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

const store = sampleStore({ customers: 300, seed: 5 });

function psql(...args: string[]): string {
  const run = spawnSync('psql', [url!, '-v', 'ON_ERROR_STOP=1', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

/** Rows of a query as arrays of text cells (psql CSV output; doubles print in shortest round-trip form). */
function query(sql: string): string[][] {
  const lines = psql('--csv', '-c', sql).trimEnd().split('\n').slice(1);
  return lines.filter((l) => l.length > 0).map((l) => l.split(','));
}

function load(name: string, header: string, rows: string[]): void {
  const file = path.join(dir, `${name}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  psql(
    '-c',
    `DROP TABLE IF EXISTS ${name}`,
    '-c',
    `CREATE TABLE ${name} (${header})`,
    '-c',
    `\\copy ${name} FROM '${file}' WITH (FORMAT csv)`,
  );
}

/** `expected`'s rows as text cells like psql prints them (dates ISO, numbers shortest form), `sortBy` first. */
function expectRows(got: string[][], expected: Table, sortBy?: string): void {
  expect(got.length).toBe(expected.numRows);
  let order = Array.from({ length: expected.numRows }, (_, i) => i);
  if (sortBy) {
    const key = expected.getChild(sortBy)!;
    order = order.sort((a, b) => (key.get(a) < key.get(b) ? -1 : key.get(a) > key.get(b) ? 1 : 0));
  }
  expected.schema.fields.forEach((field, c) => {
    const v = expected.getChild(field.name)!;
    order.forEach((row, k) => {
      const want = v.get(row);
      const cell = got[k][c];
      if (DataType.isDate(field.type)) expect(cell).toBe(new Date(want as number).toISOString().slice(0, 10));
      else if (DataType.isFloat(field.type)) {
        const g = Number(cell);
        if (Math.abs(g - (want as number)) > 1e-9 * Math.abs(want as number))
          expect(g, `${field.name} row ${k}`).toBe(want);
      } else expect(cell, `${field.name} row ${k}`).toBe(String(want));
    });
  });
}

describe.skipIf(!reachable)('PostgreSQL SQL on a real PostgreSQL equals the in-process analyses', () => {
  it('loads the sample store', () => {
    const tx = store.transactions;
    const rows = Array.from({ length: tx.numRows }, (_, i) => {
      const r = tx.get(i)!;
      return `${r.transaction},${r.customer},${new Date(r.date as unknown as number).toISOString().slice(0, 10)},${r.amount}`;
    });
    load('sales', 'transaction INTEGER, customer TEXT, date DATE, amount DOUBLE PRECISION', rows);
    const items = store.basketItems;
    load(
      'basket_items',
      'transaction INTEGER, item TEXT',
      Array.from(
        { length: items.numRows },
        (_, i) => `${items.getChild('transaction')!.get(i)},${items.getChild('item')!.get(i)}`,
      ),
    );
    expect(query('SELECT COUNT(*) FROM sales')[0][0]).toBe(String(tx.numRows));
  });

  it('customerSummary and rfm (5 and 3 bins)', () => {
    expectRows(
      query(toSql('customerSummary', { table: 'sales', dialect: 'postgres' })),
      customerSummary(store.transactions),
      'customer',
    );
    expectRows(
      query(toSql('customerSummary', { table: 'sales', dialect: 'postgres', asOf: '2024-02-29' })),
      customerSummary(store.transactions, { asOf: '2024-02-29' }),
      'customer',
    );
    for (const bins of [5, 3]) {
      expectRows(
        query(toSql('rfm', { table: 'sales', dialect: 'postgres', bins })),
        rfm(store.transactions, { bins }),
        'customer',
      );
    }
  });

  it('abc, retentionCurve (month, quarter) and basketPairs', () => {
    expectRows(query(toSql('abc', { table: 'sales', dialect: 'postgres' })), abc(store.transactions));
    for (const period of ['month', 'quarter'] as const) {
      expectRows(
        query(toSql('retentionCurve', { table: 'sales', dialect: 'postgres', period })),
        retentionCurve(store.transactions, { period }),
      );
    }
    const got = query(toSql('basketPairs', { table: 'basket_items', dialect: 'postgres', minSupport: 0.02 }));
    const rules = associationRules(frequentItemsets(baskets(store.basketItems), { minSupport: 0.02, maxLength: 2 }), {
      minConfidence: 0,
      measures: ['support', 'confidence', 'lift', 'count'],
    });
    expect(got.length).toBe(rules.numRows);
    got.forEach((cells, i) => {
      const r = rules.get(i)!;
      expect(cells).toEqual([
        r.antecedent.get(0),
        r.consequent.get(0),
        String(r.support),
        String(r.confidence),
        String(r.lift),
        String(r.count),
      ]);
    });
  });
});
