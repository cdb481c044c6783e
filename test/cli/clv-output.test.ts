import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { runCli } from '../../src/cli/run-cli';
import { sampleStore } from '../../src/sample/index';
import type { CliIo } from '../../src/cli/cli-io';

/** In-process runs of `clientele clv`: the per-customer columns and the way a degenerate fit is shown. */

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true), isTTY: false, columns: 100 },
    },
    out: () => out,
    err: () => err,
  };
}

let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-clv-'));
  const t = sampleStore({ customers: 300, seed: 3 }).transactions as unknown as Table;
  const [customer, date, amount] = ['customer', 'date', 'amount'].map((n) => t.getChild(n)!);
  const lines = ['customer,date,amount'];
  for (let i = 0; i < t.numRows; i++) {
    const day = new Date((date.get(i) as number) * 1).toISOString().slice(0, 10);
    lines.push(`${customer.get(i)},${day},${amount.get(i)}`);
  }
  writeFileSync(path('tx.csv'), `${lines.join('\n')}\n`);
  // 40 customers who all bought on the same two days: one distinct history, which no model identifies
  const same = ['customer,date,amount'];
  for (let i = 0; i < 40; i++) same.push(`c${i},2024-01-01,${10 + (i % 7)}`, `c${i},2024-02-01,${12 + (i % 5)}`);
  writeFileSync(path('same.csv'), `${same.join('\n')}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ClvJson {
  identified: boolean;
  converged: boolean;
  warnings: string[];
  purchaseModel: { params: Record<string, number> };
  customers: Record<string, number | string>[];
}

describe('clientele clv output', () => {
  it('each row carries x, t_x, T, z̄ and P(alive) = the BG/NBD closed form of Fader, Hardie & Lee 2005 at the printed fit (1e-9)', async () => {
    const c = capture();
    expect(await runCli(['clv', path('tx.csv')], c.io), c.err()).toBe(0);
    const got = JSON.parse(c.out()) as ClvJson;
    expect(got.identified).toBe(true);
    expect(got.warnings).toEqual([]);
    const { r, alpha, a, b } = got.purchaseModel.params;
    expect(Object.keys(got.customers[0])).toEqual([
      'customer',
      'frequency',
      'recency',
      'T',
      'monetary',
      'pAlive',
      'expectedPurchases',
      'expectedSpend',
      'clv',
    ]);
    let repeat = 0;
    for (const row of got.customers) {
      const x = row.frequency as number;
      const tx = row.recency as number;
      const T = row.T as number;
      const want = x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
      expect(row.pAlive as number).toBeCloseTo(want, 9);
      if (x > 0) repeat++;
    }
    expect(repeat).toBeGreaterThan(20);
  });

  it('without --allow-unidentified a degenerate log exits 1 with NOT_IDENTIFIED explained and the flag named', async () => {
    const c = capture();
    expect(await runCli(['clv', path('same.csv')], c.io)).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toMatch(/do not identify the model/);
    expect(c.err()).toContain('--allow-unidentified');
    // the library's option name is not what a command-line user can type
    expect(c.err()).not.toContain('allowUnidentified: true');
  });

  it('with --allow-unidentified the fit is kept, flagged on stderr and in the JSON (identified: false, warnings)', async () => {
    const c = capture();
    expect(await runCli(['clv', path('same.csv'), '--allow-unidentified'], c.io), c.err()).toBe(0);
    const got = JSON.parse(c.out()) as ClvJson;
    expect(got.identified).toBe(false);
    expect(got.warnings.some((w) => w.startsWith('NOT_IDENTIFIED: '))).toBe(true);
    expect(c.err()).toMatch(/clv: WARNING NOT_IDENTIFIED: /);
    expect(got.customers).toHaveLength(40);
  });
});
