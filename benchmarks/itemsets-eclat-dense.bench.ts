/**
 * All frequent itemsets against Christian Borgelt's C `eclat` (issue 17, target 1): the mining call
 * `frequentItemsets(baskets, { minCount })` — the whole call, Arrow table included — beside the `eclat` process
 * (`eclat -s-<minCount> -v" %a" <file> <out>`: reading, mining and writing), on the six settings of the issue.
 *
 * What it measures. clientele: CPU time (`process.cpuUsage`, user + system) and wall time of one call in this
 * process, baskets built before (`basketsFromLists` of the file's lines, not timed), one warm-up call per setting.
 * eclat: user + system CPU and wall time of the child process (`/usr/bin/time`), output written to a temporary file.
 * Rounds are interleaved (clientele, eclat, clientele, …); medians with min–max of `--rounds` (default 5).
 * Equality: the itemsets of the last clientele call (names and counts) against eclat's output file, as sorted lists
 * of canonical keys (eclat leaves out the 1-itemset of an item in every basket, mushroom's 85: see
 * {@link sameItemsets}); a mismatch is reported as NO and the script exits with status 1.
 *
 * Run: `CLIENTELE_ECLAT=/path/to/eclat npx tsx --expose-gc benchmarks/itemsets-eclat-dense.bench.ts [--rounds 5]
 * [--only chess,mushroom]`. Prints a RESULTS.md section on stdout (the lead merges it); skips with a message
 * without CLIENTELE_ECLAT. Data: `CLIENTELE_DATASETS` (default ../shared/datasets) holds retail.dat, T10I4D100K.dat,
 * groceries.csv, chess.dat and mushroom.dat.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { basketsFromLists, frequentItemsets } from '../src/index';
import type { Baskets } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';

interface Setting {
  readonly file: string;
  readonly separator: string;
  readonly minSupport: number;
}

const SETTINGS: readonly Setting[] = [
  { file: 'retail.dat', separator: ' ', minSupport: 0.0005 },
  { file: 'T10I4D100K.dat', separator: ' ', minSupport: 0.001 },
  { file: 'T10I4D100K.dat', separator: ' ', minSupport: 0.0005 },
  { file: 'groceries.csv', separator: ',', minSupport: 0.001 },
  { file: 'chess.dat', separator: ' ', minSupport: 0.6 },
  { file: 'mushroom.dat', separator: ' ', minSupport: 0.1 },
];

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const ROUNDS = Number(flag('rounds') ?? 5);
const ONLY = flag('only')?.split(',');
const ECLAT = process.env.CLIENTELE_ECLAT;
const DATA = process.env.CLIENTELE_DATASETS ?? path.resolve('../shared/datasets');

/** One basket per line, distinct non-empty fields (as Borgelt's reader takes them). */
function readLists(file: string, separator: string): string[][] {
  const text = readFileSync(path.join(DATA, file), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .split(separator)
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    ),
  ]);
}

/** user + system CPU and wall milliseconds of fn. */
function measured<T>(fn: () => T): { cpu: number; wall: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall, value };
}

/** Borgelt's eclat in a child process under /usr/bin/time: CPU and wall milliseconds, output in `out`. */
function runEclat(setting: Setting, minCount: number, out: string): { cpu: number; wall: number } {
  // groceries: names hold spaces; fields and output items separated by commas
  const sep = setting.separator === ',' ? ['-f,', '-k,'] : [];
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S', ECLAT!, ...sep, `-s-${minCount}`, '-v %a', path.join(DATA, setting.file), out],
    {
      encoding: 'utf8',
    },
  );
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`eclat failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpu: (last[0] + last[1]) * 1000, wall };
}

/** Canonical keys `count:item,item…` (items sorted), sorted. */
function keysOfTable(t: Table): string[] {
  const items = t.getChild('items')!;
  const count = t.getChild('count')!;
  const keys: string[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const list = [...(items.get(i) as { toArray(): string[] }).toArray()].sort();
    keys.push(`${count.get(i)}:${list.join(',')}`);
  }
  return keys.sort();
}

function keysOfEclat(out: string, separator: string): string[] {
  const keys: string[] = [];
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line === '') continue;
    const at = line.lastIndexOf(' ');
    const fields = line.slice(0, at);
    const list = fields === '' ? [] : fields.split(separator);
    keys.push(`${line.slice(at + 1)}:${list.sort().join(',')}`);
  }
  return keys.sort();
}

/**
 * Whether the itemsets are the same. eclat 5.21 (and fpgrowth 6.18) leave out the 1-itemset of an item that is in
 * every basket (mushroom's item 85) while listing its supersets: such a row of ours is allowed to be missing there.
 */
function sameItemsets(ours: string[], theirs: string[], baskets: number): boolean {
  const peer = new Set(theirs);
  const extra = ours.filter((k) => !peer.has(k));
  const allowed = extra.every((k) => k.startsWith(`${baskets}:`) && !k.includes(','));
  return allowed && ours.length - extra.length === theirs.length;
}

const range = (v: readonly number[]): string => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;

function main(): void {
  if (!ECLAT || !existsSync(ECLAT)) {
    console.log("itemsets-eclat-dense: skipped — set CLIENTELE_ECLAT to the path of Borgelt's eclat binary");
    return;
  }
  const rows: string[][] = [];
  let allEqual = true;
  const out = path.join(os.tmpdir(), `itemsets-eclat-${process.pid}.txt`);
  for (const setting of SETTINGS) {
    if (ONLY && !ONLY.some((o) => setting.file.startsWith(o))) continue;
    const lists = readLists(setting.file, setting.separator);
    const b: Baskets = basketsFromLists(lists);
    const minCount = Math.ceil(setting.minSupport * b.count - 1e-9 * setting.minSupport * b.count);
    const call = (): Table => frequentItemsets(b, { minCount, maxItemsets: Infinity });
    call();
    const ours = { cpu: [] as number[], wall: [] as number[] };
    const theirs = { cpu: [] as number[], wall: [] as number[] };
    let table: Table | null = null;
    for (let r = 0; r < ROUNDS; r++) {
      collectGarbage();
      const m = measured(call);
      ours.cpu.push(m.cpu);
      ours.wall.push(m.wall);
      table = m.value;
      const e = runEclat(setting, minCount, out);
      theirs.cpu.push(e.cpu);
      theirs.wall.push(e.wall);
    }
    const equal = table !== null && sameItemsets(keysOfTable(table), keysOfEclat(out, setting.separator), b.count);
    if (!equal) allEqual = false;
    rows.push([
      `${setting.file} @ ${setting.minSupport} (${minCount})`,
      String(table?.numRows ?? 0),
      range(ours.cpu),
      range(ours.wall),
      range(theirs.cpu),
      range(theirs.wall),
      (median(ours.cpu) / median(theirs.cpu)).toFixed(2),
      equal ? 'yes' : 'NO',
    ]);
    console.error(rows[rows.length - 1].join(' | '));
  }
  rmSync(out, { force: true });
  const header = [
    'setting (minCount)',
    'itemsets',
    'clientele CPU ms',
    'clientele wall ms',
    'eclat CPU ms',
    'eclat wall ms',
    'CPU ratio',
    'same itemsets',
  ];
  console.log(`### All frequent itemsets against Borgelt's eclat (issue 17, target 1)\n`);
  console.log(
    `\`CLIENTELE_ECLAT=… npx tsx --expose-gc benchmarks/itemsets-eclat-dense.bench.ts --rounds ${ROUNDS}\` — ` +
      `${new Date().toISOString().slice(0, 16)} UTC, ${machine()}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}. ` +
      `clientele: \`frequentItemsets(baskets, { minCount })\` in-process (Arrow table included, baskets built before); ` +
      `eclat 5.21: the whole process (read, mine, write). Medians (min–max) of ${ROUNDS} interleaved rounds.\n`,
  );
  console.log(markdownTable(header, rows));
  if (!allEqual) process.exitCode = 1;
}

main();
