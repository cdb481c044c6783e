import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { runCli } from '../../src/cli/run-cli';
import { clvCommand } from '../../src/cli/commands/clv-command';
import { flagsOf } from '../../src/cli/flag-names';
import { fitBgNbd, fitGammaGamma, fitMbgNbd, fitParetoNbd, summaryFromTransactions } from '../../src/clv/index';
import { sampleStore } from '../../src/sample/index';
import type { CliIo } from '../../src/cli/cli-io';

/**
 * `clientele clv --calendar <period>` and `--penalizer <c>`: the flags derive from the library's option names
 * (flag-names.ts), reach summaryFromTransactions and every fit, and the output is what the library gives for the
 * same options, computed here in-process.
 */

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

interface ClvJson {
  unit: string;
  horizon: number;
  period: number;
  penalizer: number;
  purchaseModel: { params: Record<string, number>; unit: string; penalizer: number };
  spendModel: { params: Record<string, number>; penalizer: number };
  customers: Record<string, number | string>[];
}

let dir: string;
let log: { customer: string[]; date: string[]; amount: number[] };
const csv = () => join(dir, 'tx.csv');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-clv-calendar-'));
  const t = sampleStore({ customers: 300, seed: 3 }).transactions as unknown as Table;
  const [customer, date, amount] = ['customer', 'date', 'amount'].map((n) => t.getChild(n)!);
  log = { customer: [], date: [], amount: [] };
  for (let i = 0; i < t.numRows; i++) {
    log.customer.push(String(customer.get(i)));
    log.date.push(new Date((date.get(i) as number) * 1).toISOString().slice(0, 10));
    log.amount.push(Number(amount.get(i)));
  }
  const lines = ['customer,date,amount', ...log.customer.map((c, i) => `${c},${log.date[i]},${log.amount[i]}`)];
  writeFileSync(csv(), `${lines.join('\n')}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function clvJson(...args: string[]): Promise<ClvJson> {
  const c = capture();
  expect(await runCli(['clv', csv(), ...args], c.io), c.err()).toBe(0);
  return JSON.parse(c.out()) as ClvJson;
}

describe('clientele clv --calendar and --penalizer', () => {
  it('the flags derive from the library options calendar and penalizer', () => {
    const flags = flagsOf(clvCommand(capture().io));
    expect(flags.get('calendar')).toBe('--calendar');
    expect(flags.get('penalizer')).toBe('--penalizer');
    expect(flags.get('unit')).toBe('--unit');
  });

  it('--calendar month: the rows are summaryFromTransactions(…, { calendar: "month" }), the model carries "calendar month", a year is 12', async () => {
    const got = await clvJson('--calendar', 'month');
    const summary = summaryFromTransactions(log, { calendar: 'month' });
    expect(got.unit).toBe('calendar month');
    expect(got.purchaseModel.unit).toBe('calendar month');
    expect(got.horizon).toBe(12);
    expect(got.period).toBe(1);
    const ids = Array.from(summary.getChild('customer')!.toArray() as ArrayLike<unknown>);
    const byId = new Map(got.customers.map((r) => [String(r.customer), r]));
    expect(byId.size).toBe(summary.numRows);
    for (const name of ['frequency', 'recency', 'T', 'monetary'] as const) {
      const want = summary.getChild(name)!.toArray() as Float64Array;
      // the CSV's amounts are decimal text: monetary within 1e-9
      ids.forEach((id, i) =>
        expect(byId.get(String(id))![name] as number, `${name} of ${String(id)}`).toBeCloseTo(want[i], 9),
      );
    }
    const months = (summary.getChild('recency')!.toArray() as Float64Array).every((v) => Number.isInteger(v));
    expect(months).toBe(true);
    const model = fitBgNbd(summary);
    for (const [k, v] of Object.entries(model.params)) expect(got.purchaseModel.params[k]).toBeCloseTo(v, 12);
  });

  it('--calendar with --unit exits 2 (usage) with the library message in flags', async () => {
    const c = capture();
    // INVALID_OPTION is a usage error: exit 2
    expect(await runCli(['clv', csv(), '--calendar', 'week', '--unit', 'day'], c.io)).toBe(2);
    expect(c.err()).toContain('--unit');
    expect(c.err()).toContain('--calendar');
    expect(c.err()).not.toContain('option unit');
  });

  it('--penalizer 0.1 reaches the purchase and the spend fits: their parameters are the library fits with penalizer 0.1 (1e-9), not the plain ones', async () => {
    const plain = await clvJson();
    const got = await clvJson('--penalizer', '0.1');
    const summary = summaryFromTransactions(log, { unit: 'week' });
    const purchase = fitBgNbd(summary, { penalizer: 0.1 });
    const spend = fitGammaGamma(summary, { penalizer: 0.1 });
    expect(got.penalizer).toBe(0.1);
    expect(got.purchaseModel.penalizer).toBe(0.1);
    expect(got.spendModel.penalizer).toBe(0.1);
    for (const [k, v] of Object.entries(purchase.params)) {
      expect(Math.abs(got.purchaseModel.params[k] - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
    }
    for (const [k, v] of Object.entries(spend.params)) {
      expect(Math.abs(got.spendModel.params[k] - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
    }
    expect(plain.penalizer).toBe(0);
    expect(got.purchaseModel.params.r).not.toBeCloseTo(plain.purchaseModel.params.r, 3);
  });

  it.each([
    ['mbgnbd', 'mbgNbd', 'MBG/NBD'],
    ['pareto', 'paretoNbd', 'Pareto/NBD'],
  ] as const)(
    '--model %s fits the registry model %s: its parameters are the library fit’s (1e-9)',
    async (flag, kind, label) => {
      const c = capture();
      expect(await runCli(['clv', csv(), '--model', flag], c.io), c.err()).toBe(0);
      const got = JSON.parse(c.out()) as ClvJson & { purchaseModel: { kind: string } };
      const summary = summaryFromTransactions(log, { unit: 'week' });
      const want = (kind === 'mbgNbd' ? fitMbgNbd(summary) : fitParetoNbd(summary)).params as Record<string, number>;
      expect(got.purchaseModel.kind).toBe(kind);
      for (const [k, v] of Object.entries(want)) {
        expect(Math.abs(got.purchaseModel.params[k] - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
      }
      // with --out the fitted models go to stderr, named by the registry's label
      const withOut = capture();
      expect(await runCli(['clv', csv(), '--model', flag, '--out', join(dir, `${flag}.csv`)], withOut.io)).toBe(0);
      expect(withOut.err()).toContain(`clv: ${label} `);
    },
  );

  it('a negative --penalizer is refused by the flag parser (exit 1)', async () => {
    const c = capture();
    expect(await runCli(['clv', csv(), '--penalizer', '-1'], c.io)).not.toBe(0);
    expect(c.err()).toContain('--penalizer');
  });
});
