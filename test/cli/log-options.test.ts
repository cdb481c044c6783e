import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import type { CliIo } from '../../src/cli/cli-io';

/** `--transaction`, `--quantity`, `--price` and `--returns`: one set of log flags, one default, on every command. */

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
let lines: string;
const FLAGS = ['--transaction', 'invoice', '--quantity', 'qty', '--price', 'price'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-log-'));
  lines = join(dir, 'lines.csv');
  // worked by hand: a has invoices 1 (2 × 5 + 1 × 10 = 20) and 2 (3 × 4 = 12) and the return C3 (−1 × 5 = −5);
  // b has invoice 4 (1 × 7 = 7)
  writeFileSync(
    lines,
    'invoice,customer,date,qty,price,item\n' +
      '1,a,2024-01-05,2,5,x\n1,a,2024-01-05,1,10,y\n4,b,2024-02-10,1,7,x\n2,a,2024-03-01,3,4,z\nC3,a,2024-03-02,-1,5,x\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('log options of the commands', () => {
  it('rfm counts invoices and sums quantity × price, the return excluded and noted (worked by hand)', async () => {
    const r = await run('rfm', lines, ...FLAGS, '--as-of', '2024-04-01');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => [x.customer, x.frequency, x.monetary])).toEqual([
      ['a', 2, 32],
      ['b', 1, 7],
    ]);
    expect(r.err).toContain('negativeAmount 1');
  });

  it('--returns keep keeps the return in the sums and counts', async () => {
    const r = await run('rfm', lines, ...FLAGS, '--returns', 'keep', '--as-of', '2024-04-01');
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => [x.customer, x.frequency, x.monetary])).toEqual([
      ['a', 3, 27],
      ['b', 1, 7],
    ]);
  });

  it('abc --by customer values customers at the spend rfm gives, and says how many returns it excluded', async () => {
    const r = await run('abc', lines, ...FLAGS);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Record<string, unknown>[]).map((x) => [x.key, x.value])).toEqual([
      ['a', 32],
      ['b', 7],
    ]);
    expect(r.err).toContain('excluded 1 returns');
  });

  it('abc --by item with --quantity/--price values each line at quantity × price', async () => {
    const r = await run('abc', lines, '--by', 'item', '--quantity', 'qty', '--price', 'price');
    expect(r.code).toBe(0);
    // x: 10 + 7 (the −5 line excluded), y: 10, z: 12
    expect((JSON.parse(r.out) as Record<string, unknown>[]).map((x) => [x.key, x.value])).toEqual([
      ['x', 17],
      ['z', 12],
      ['y', 10],
    ]);
  });

  it('segment summarises the orders as rfm does', async () => {
    const r = await run('segment', lines, ...FLAGS, '--k', '2', '--as-of', '2024-04-01');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => [x.customer, x.frequency, x.monetary])).toEqual([
      ['a', 2, 32],
      ['b', 1, 7],
    ]);
  });

  it('--amount with --quantity is a usage error (exit 2)', async () => {
    const r = await run('rfm', lines, '--amount', 'qty', '--quantity', 'qty', '--price', 'price');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--quantity.*cannot be used with.*--amount|--amount.*--quantity/);
  });

  it('--quantity without --price is a usage error naming both flags (exit 2)', async () => {
    const r = await run('clv', lines, '--quantity', 'qty');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--quantity needs --price');
  });

  it('abc --by item --transaction is a usage error (exit 2)', async () => {
    const r = await run('abc', lines, '--by', 'item', '--transaction', 'invoice');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--by customer');
  });

  it('every command that reads a log has --returns with the one default, exclude', async () => {
    for (const command of ['rfm', 'abc', 'clv', 'segment', 'report']) {
      const r = await run(command, '--help');
      expect(r.out, command).toMatch(/--returns <how>[\s\S]*?default: "exclude"/);
      expect(r.out, command).toContain('--quantity <column>');
      expect(r.out, command).toContain('--transaction <column>');
    }
  });
});
