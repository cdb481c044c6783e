/**
 * Closed and maximal itemsets benchmark (issue 17, target 1): `frequentItemsets(b, { minCount, target })` — the
 * direct closed/maximal search (src/basket/closed-search.ts) — against Christian Borgelt's `eclat -tc` / `-tm`
 * process on the same baskets, run from this one script.
 *
 * 1. Data: retail.dat, T10I4D100K.dat, chess.dat, mushroom.dat (one basket per line, items separated by blanks)
 *    and groceries.csv (comma-separated names), from datasets/, read into `string[][]` and encoded once by
 *    `basketsFromLists` (not timed). The same baskets are written to a temporary file as item codes (one line per
 *    basket, codes separated by spaces) for eclat, so both sides read identical baskets.
 * 2. minCount = ⌈minSupport · n⌉ (clientele's rule), given to both as an absolute count (`eclat -s-<minCount>`).
 * 3. Rounds, interleaved: clientele's call (two warm-up calls first; garbage collected before each timed call when
 *    node runs with --expose-gc), CPU time (`process.cpuUsage`, user + system) and wall time of the call, Arrow
 *    result included; then one `eclat -t<c|m> -s-<minCount> -v" %a" <file> <out>` process under
 *    `/usr/bin/time -f '%e %U %S %M'`: CPU = user + system of the whole process (reading the file included), wall,
 *    peak RSS. Medians with min–max over the rounds; the ratio is of the CPU medians (clientele / eclat).
 * 4. Equality: the itemsets and counts of the last clientele result against eclat's output file. Borgelt's eclat
 *    leaves out the closure of the empty set (the items in every basket, e.g. mushroom's item 85 at 100 %), which
 *    clientele keeps: it is a frequent itemset with no superset of the same count. That one row is named in the
 *    table, every other difference counts as a mismatch.
 * 5. With `--filter`: the same target by mining every frequent itemset then filtering (`algorithm: 'fpgrowth'`,
 *    the typed filter of src/basket/closed-maximal.ts), one timed call, checked equal to the direct search's table.
 *
 * Run: `CLIENTELE_ECLAT=/work/borgelt/eclat/src/eclat npx tsx --expose-gc benchmarks/itemsets-closed.bench.ts
 * [--cases retail:0.0005,t10:0.001] [--targets closed,maximal] [--rounds 5] [--filter]`. Without CLIENTELE_ECLAT
 * the script prints a message and exits. Prints a markdown section for `benchmarks/RESULTS.md`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { basketsFromLists, frequentItemsets } from '../src/index';
import type { Baskets } from '../src/index';
import { dataset } from '../test/helpers/datasets';
import { collectGarbage, machine, markdownTable, median } from './harness';

const FILES: Record<string, { file: string; separator: RegExp }> = {
  retail: { file: 'retail.dat', separator: /\s+/ },
  t10: { file: 'T10I4D100K.dat', separator: /\s+/ },
  groceries: { file: 'groceries.csv', separator: /,/ },
  chess: { file: 'chess.dat', separator: /\s+/ },
  mushroom: { file: 'mushroom.dat', separator: /\s+/ },
};
const DEFAULT_CASES = 'retail:0.0005,t10:0.001,t10:0.0005,groceries:0.001,chess:0.6,mushroom:0.1';

function argument(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
}

interface Timing {
  cpu: number[];
  wall: number[];
  rss: number[];
}

/** Median with min–max, in ms. */
function spread(values: readonly number[]): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** The baskets of a dataset as lists of names (fields trimmed, empty ones dropped). */
function readLists(key: string): string[][] {
  const spec = FILES[key];
  if (!spec) throw new Error(`unknown dataset ${key}; one of ${Object.keys(FILES).join(', ')}`);
  return readFileSync(dataset(spec.file), 'utf8')
    .split('\n')
    .map((line) =>
      line
        .split(spec.separator)
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    )
    .filter((list) => list.length > 0);
}

/** The baskets as code lines for eclat (code = index of the name in `b.names`). */
function writeCodes(lists: string[][], b: Baskets, file: string): void {
  const code = new Map(b.names.map((name, c) => [name, c]));
  writeFileSync(file, lists.map((list) => [...new Set(list)].map((n) => code.get(n)).join(' ')).join('\n') + '\n');
}

/** `sorted codes:count` of every row of an itemset table. */
function tableKeys(table: Table, b: Baskets): string[] {
  const code = new Map(b.names.map((name, c) => [name, c]));
  const items = table.getChild('items')!;
  const counts = table.getChild('count')!;
  const keys: string[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const codes = [...(items.get(i) as Iterable<string>)].map((n) => code.get(n)!).sort((x, y) => x - y);
    keys.push(`${codes.join(' ')}:${counts.get(i)}`);
  }
  return keys;
}

/** `sorted codes:count` of every line of eclat's output (`-v" %a"`: items, then the absolute count). */
function eclatKeys(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const count = fields.pop();
      return `${fields
        .map(Number)
        .sort((x, y) => x - y)
        .join(' ')}:${count}`;
    });
}

/** Equality of the two outputs, allowing only the closure of the empty set (count = all baskets) on clientele's side. */
function compare(ours: string[], theirs: string[], n: number): string {
  const mine = new Set(ours);
  const peer = new Set(theirs);
  const missing = theirs.filter((k) => !mine.has(k));
  const extra = ours.filter((k) => !peer.has(k));
  const emptyClosure = extra.filter((k) => k.endsWith(`:${n}`));
  const wrong = missing.length + extra.length - emptyClosure.length;
  if (wrong > 0) return `**MISMATCH** (${missing.length} missing, ${extra.length} extra)`;
  return emptyClosure.length > 0 ? `equal, + closure of ∅ {${emptyClosure[0].split(':')[0]}}` : 'equal';
}

/** One eclat process under /usr/bin/time: CPU (user + system) and wall in ms, peak RSS in MB. */
function runEclat(eclat: string, args: string[]): { cpu: number; wall: number; rss: number } {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', eclat, ...args], { encoding: 'utf8' });
  const line = run.stderr.split('\n').find((l) => l.startsWith('TIME '));
  if (run.status !== 0 || !line) throw new Error(`eclat failed: ${run.stderr}`);
  const [wall, user, system, rss] = line.slice(5).split(' ').map(Number);
  return { cpu: (user + system) * 1000, wall: wall * 1000, rss: rss / 1024 };
}

/** CPU and wall ms of one call. */
function timeCall<T>(fn: () => T): { cpu: number; wall: number; value: T } {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall, value };
}

function main(): void {
  const eclat = process.env.CLIENTELE_ECLAT;
  if (!eclat || !existsSync(eclat)) {
    console.log("itemsets-closed: set CLIENTELE_ECLAT to the path of Borgelt's eclat binary (5.21); skipped.");
    return;
  }
  if (!existsSync('/usr/bin/time')) {
    console.log('itemsets-closed: /usr/bin/time is needed to time the eclat process; skipped.');
    return;
  }
  const cases = (argument('--cases') ?? DEFAULT_CASES).split(',').map((c) => {
    const [key, support] = c.split(':');
    return { key, support: Number(support) };
  });
  const targets = (argument('--targets') ?? 'closed,maximal').split(',') as ('closed' | 'maximal')[];
  const rounds = Number(argument('--rounds') ?? 5);
  const filter = process.argv.includes('--filter');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'itemsets-closed-'));
  const rows: string[][] = [];
  try {
    for (const { key, support } of cases) {
      const lists = readLists(key);
      const b = basketsFromLists(lists);
      const file = path.join(dir, `${key}.dat`);
      writeCodes(lists, b, file);
      const n = b.count;
      const minCount = Math.max(1, Math.ceil(support * n - 1e-9 * Math.max(1, support * n)));
      for (const target of targets) {
        const call = () => frequentItemsets(b, { minCount, target, maxItemsets: Infinity });
        call();
        call();
        const ours: Timing = { cpu: [], wall: [], rss: [] };
        const peer: Timing = { cpu: [], wall: [], rss: [] };
        const out = path.join(dir, `${key}-${target}.txt`);
        let table: Table | null = null;
        for (let r = 0; r < rounds; r++) {
          const t = timeCall(call);
          ours.cpu.push(t.cpu);
          ours.wall.push(t.wall);
          table = t.value;
          const e = runEclat(eclat, [`-t${target[0]}`, `-s-${minCount}`, '-v %a', file, out]);
          peer.cpu.push(e.cpu);
          peer.wall.push(e.wall);
          peer.rss.push(e.rss);
        }
        const equal = compare(tableKeys(table!, b), eclatKeys(out), n);
        let filtered = '';
        if (filter) {
          const f = timeCall(() =>
            frequentItemsets(b, { minCount, target, algorithm: 'fpgrowth', maxItemsets: Infinity }),
          );
          const same = JSON.stringify(tableKeys(f.value, b)) === JSON.stringify(tableKeys(table!, b));
          filtered = `${f.cpu.toFixed(0)} ms, ${same ? 'same table' : '**DIFFERENT**'}`;
        }
        const ratio = median(ours.cpu) / median(peer.cpu);
        rows.push([
          key,
          `${support} (${minCount})`,
          target,
          String(table!.numRows),
          spread(ours.cpu),
          spread(ours.wall),
          spread(peer.cpu),
          spread(peer.wall),
          `${median(peer.rss).toFixed(0)} MB`,
          `**${ratio.toFixed(2)}×**`,
          equal,
          ...(filter ? [filtered] : []),
        ]);
        console.error(`${key} ${support} ${target}: ${rows[rows.length - 1].join(' | ')}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = [
    'data',
    'minSupport (minCount)',
    'target',
    'sets',
    'clientele CPU ms',
    'clientele wall ms',
    'eclat CPU ms',
    'eclat wall ms',
    'eclat peak RSS',
    'CPU ratio',
    'equal to eclat',
    ...(filter ? ['mine all + filter (fpgrowth)'] : []),
  ];
  const [load1, load5] = os.loadavg();
  console.log(`## Closed and maximal itemsets against Borgelt's eclat (issue 17, target 1)

\`CLIENTELE_ECLAT=${eclat} npx tsx --expose-gc benchmarks/itemsets-closed.bench.ts ${process.argv.slice(2).join(' ')}\`
— ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine()}, load average ${load1.toFixed(1)} / ${load5.toFixed(1)}
(1 / 5 min). ${rounds} interleaved rounds, medians (min–max). clientele: one in-process call on baskets already
encoded, Arrow table included; eclat 5.21: the whole process (reading the file included). Target: CPU ratio ≤ 1.5.

${markdownTable(header, rows)}
`);
}

main();
