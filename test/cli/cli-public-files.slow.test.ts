/**
 * The built `clientele` binary (dist/cli.js) on the public files as they come: the Groceries baskets (one basket
 * per line, `--format basket`), the FIMI retail.dat (a `.dat` file is a basket file) and the whitespace-aligned
 * CDNOW master log (`--delimiter whitespace --names … --text-columns …`). Each command's output is compared with
 * the library run in this process on a table read here without clientele's readers (split), and with the figures
 * arules publishes for Groceries (Hahsler's arulesViz vignette, section 2: `apriori(Groceries, parameter =
 * list(support = 0.001, confidence = 0.5))` gives "set of 5668 rules"; top by lift {Instant food products, soda} =>
 * {hamburger meat}, 0.001220132 / 0.6315789 / 18.99565) — the figures test/conformance/baskets.test.ts checks for
 * the library.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationRules, frequentItemsets, rfm } from '../../src/index';
import { basketsFromLists } from '../../src/basket/baskets';
import { dataset } from '../helpers/datasets';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-public-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000, // only ends a hang
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliJson(...args: string[]): Record<string, unknown>[] {
  const r = cli(...args);
  expect(r.status, `clientele ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

/** The basket lines of a file, split here: items as written, a repeated item once. */
function lists(path: string, delimiter: string | RegExp): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => [...new Set(l.split(delimiter).filter((x) => x !== ''))]);
}

/** A rule's key, items sorted, for comparing rule sets. */
const ruleKey = (r: Record<string, unknown>) =>
  `${[...(r.antecedent as string[])].sort().join('|')} => ${[...(r.consequent as string[])].sort().join('|')}`;

describe('clientele on the public files as they come', () => {
  it('rules groceries.csv --format basket --min-support 0.001 --min-confidence 0.5: 5,668 rules (arulesViz vignette), the same rules and measures as the library on split lines; CSV lists as {a, b}', () => {
    const file = dataset('groceries.csv');
    const args = ['rules', file, '--format', 'basket', '--min-support', '0.001', '--min-confidence', '0.5'];
    const r = cli(...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/read 9835 baskets of 169 distinct items/);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.length).toBe(5668);
    const top = rows.reduce((a, b) => ((b.lift as number) > (a.lift as number) ? b : a));
    expect(ruleKey(top)).toBe('Instant food products|soda => hamburger meat');
    expect(Math.abs((top.support as number) - 0.001220132)).toBeLessThan(5e-10);
    expect(Math.abs((top.confidence as number) - 0.6315789)).toBeLessThan(5e-8);
    expect(Math.abs((top.lift as number) - 18.99565)).toBeLessThan(5e-6);
    // the library on baskets split here
    const lib = associationRules(frequentItemsets(basketsFromLists(lists(file, ',')), { minSupport: 0.001 }), {
      minConfidence: 0.5,
    });
    expect(lib.numRows).toBe(rows.length);
    const want = new Map<string, number>();
    for (const row of lib.toArray()) {
      const o = row.toJSON() as Record<string, unknown>;
      want.set(
        ruleKey({
          antecedent: [...(o.antecedent as Iterable<string>)],
          consequent: [...(o.consequent as Iterable<string>)],
        }),
        o.lift as number,
      );
    }
    for (const row of rows) {
      const lift = want.get(ruleKey(row));
      expect(lift, ruleKey(row)).toBeDefined();
      expect(Math.abs((row.lift as number) - lift!)).toBeLessThanOrEqual(1e-13 * lift!);
    }
    // CSV: lists as arules labels, numbers without float noise
    const out = cli(...args, '--out', 'rules.csv');
    expect(out.status, out.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'rules.csv'), 'utf8').split('\n');
    expect(csv.length).toBe(5668 + 2); // header, rules, final line break
    expect(csv).toContain(
      csv.find((l) => l.startsWith('"{Instant food products, soda}",{hamburger meat},0.00122013218098')),
    );
    // every number has at most 15 significant digits (no 0.30000000000000004)
    const numbers = csv.flatMap((l) => l.match(/(?<=,)-?\d+\.\d+(?=,|$)/g) ?? []);
    expect(numbers.length).toBeGreaterThan(5668);
    const longest = Math.max(...numbers.map((x) => x.replace(/^-?[0.]*/, '').replace('.', '').length));
    expect(longest).toBeLessThanOrEqual(15);
  });

  it('rules retail.dat (a .dat file is a basket file): the same number of rules as the library on split lines', () => {
    const file = dataset('retail.dat');
    const rows = cliJson('rules', file, '--min-support', '0.005', '--min-confidence', '0.5');
    const b = basketsFromLists(lists(file, ' '));
    expect(b.count).toBe(88162);
    const lib = associationRules(frequentItemsets(b, { minSupport: 0.005 }), { minConfidence: 0.5 });
    expect(rows.length).toBe(lib.numRows);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('rfm CDNOW_master.txt --delimiter whitespace --names customer,date,cds,amount --text-columns customer: 23,570 customers (Fader & Hardie) with ids as written, equal to rfm() on the file split here', () => {
    const file = dataset('CDNOW_master.txt');
    const rows = cliJson(
      'rfm',
      file,
      '--delimiter',
      'whitespace',
      '--names',
      'customer,date,cds,amount',
      '--text-columns',
      'customer',
    );
    expect(rows.length).toBe(23570);
    expect(rows[0].customer).toBe('00001');
    const lines = readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(/\s+/));
    const want = rfm(
      {
        customer: lines.map((l) => l[0]),
        date: Int32Array.from(lines, (l) => Number(l[1])),
        amount: Float64Array.from(lines, (l) => Number(l[3])),
      },
      { customer: 'customer', date: 'date', amount: 'amount', dateUnit: 'yyyymmdd', segments: false },
    );
    expect(want.numRows).toBe(rows.length);
    const byCustomer = new Map(rows.map((r) => [r.customer as string, r]));
    for (const row of want.toArray()) {
      const o = row.toJSON() as Record<string, unknown>;
      const got = byCustomer.get(o.customer as string)!;
      for (const key of ['recency', 'frequency', 'r', 'f', 'm', 'score'])
        if (got[key] !== o[key]) expect(got[key], `${o.customer} ${key}`).toBe(o[key]);
      expect(Math.abs((got.monetary as number) - (o.monetary as number))).toBeLessThanOrEqual(
        1e-9 * Math.abs(o.monetary as number),
      );
    }
  });
});
