/**
 * Getting baskets in (issue 17, targets 1 and 3), in three tables:
 * 1. **file → baskets**: `readBaskets(file)` (one pass over the bytes, straight to the compressed baskets) against
 *    the route of issue 16, `baskets(await readTable(file, { format: 'basket' }))` (a long Arrow table first), on
 *    the FIMI files and Groceries; MB/s of file bytes; the two results checked equal field for field.
 * 2. **long table → baskets**: `baskets(table)` on the long table of the same files, its items dictionary-encoded (as
 *    readTable, Parquet or DuckDB give them) and as plain Utf8 (a CSV column), against the general path (the same
 *    rows with the transaction column as Float64, which the grouped fast path does not take); MB/s of the bytes
 *    the table's columns hold; results checked equal.
 * 3. **end to end against Borgelt's eclat** (`CLIENTELE_ECLAT`, the path of `eclat` 5.x; skipped with a message
 *    without it): clientele's `frequentItemsets(await readBaskets(file), { minCount })` in this process against the
 *    whole `eclat -s-<minCount> file out` process (CPU = user + sys of the child from /usr/bin/time), rounds
 *    interleaved; the itemset counts checked equal. `--scale` adds retail replicated ×1, ×2, ×4, ×8.
 *
 * Every figure is a median over interleaved rounds with its min–max; CPU time beside wall time (the cores are shared
 * while developing: CPU time is the figure to compare then). Ours runs in-process, warmed up (no node start-up, no
 * JIT warm-up: about 40 ms and 100 ms of a fresh `node` process), eclat as a fresh process (its start-up is ~1 ms).
 *
 * Run: `npx tsx --expose-gc benchmarks/basket-read.bench.ts [--rounds 5] [--scale] [--no-write]`, with
 * `CLIENTELE_ECLAT=/path/to/eclat` for table 3. Writes the section "Basket input and end to end (issue 17)" of
 * `benchmarks/RESULTS.md` unless `--no-write` (other sections are kept).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { baskets, frequentItemsets } from '../src/api/basket';
import type { Baskets } from '../src/api/basket';
import { resolveMinCount } from '../src/basket/internal';
import { readBaskets, readTable } from '../src/io/index';
import { collectGarbage, machine, markdownTable, median, ms, writeResultsSection } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'benchmarks/data');
const argv = process.argv.slice(2);
const ROUNDS = Number(argv[argv.indexOf('--rounds') + 1]) || 5;
const ECLAT = process.env.CLIENTELE_ECLAT;

/** File and the supports of the end-to-end targets. */
const FILES: readonly [string, readonly number[]][] = [
  ['retail.dat', [0.0005]],
  ['T10I4D100K.dat', [0.001, 0.0005]],
  ['groceries.csv', [0.001]],
  ['chess.dat', [0.6]],
  ['mushroom.dat', [0.1]],
];

/** The dataset unpacked into benchmarks/data (gitignored). */
function unpacked(name: string): string {
  const file = path.join(DATA, name);
  if (!existsSync(file)) {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, gunzipSync(readFileSync(path.join(ROOT, 'datasets', `${name}.gz`))));
  }
  return file;
}

/** retail.dat written `times` times back to back (benchmarks/data, gitignored). */
function replicated(times: number): string {
  const file = path.join(DATA, `retail-x${times}.dat`);
  if (!existsSync(file)) {
    const one = readFileSync(unpacked('retail.dat'));
    writeFileSync(file, Buffer.concat(Array.from({ length: times }, () => one)));
  }
  return file;
}

/** CPU (user + system, this process and its threads) and wall milliseconds of one call. */
async function measure<T>(fn: () => T | Promise<T>): Promise<{ cpu: number; wall: number; value: T }> {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall, value };
}

/** Rounds of named timings: median and min–max of each. */
class Rounds {
  readonly cpu = new Map<string, number[]>();
  readonly wall = new Map<string, number[]>();
  readonly rss = new Map<string, number[]>();
  add(name: string, cpu: number, wall: number, rss?: number): void {
    for (const [m, v] of [
      [this.cpu, cpu],
      [this.wall, wall],
    ] as const)
      m.set(name, [...(m.get(name) ?? []), v]);
    if (rss !== undefined) this.rss.set(name, [...(this.rss.get(name) ?? []), rss]);
  }
  /** `median (min–max)` of a series. */
  text(kind: 'cpu' | 'wall', name: string): string {
    const v = this[kind].get(name) ?? [];
    return `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;
  }
  median(kind: 'cpu' | 'wall', name: string): number {
    return median(this[kind].get(name) ?? [NaN]);
  }
}

/** The fields of baskets a miner reads, as one string, to check two routes equal. */
function fingerprint(b: Baskets): string {
  return JSON.stringify([b.count, Array.from(b.offsets), Array.from(b.items), b.names, b.rows]);
}

const mbps = (bytes: number, msec: number) => (bytes / 2 ** 20 / (msec / 1000)).toFixed(0);

async function fileToBaskets(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [name] of FILES) {
    const file = unpacked(name);
    const size = statSync(file).size;
    const viaTable = async () => baskets(await readTable(file, { format: 'basket' }));
    if (fingerprint(await readBaskets(file)) !== fingerprint(await viaTable()))
      throw new Error(`${name}: readBaskets and readTable + baskets differ`);
    const r = new Rounds();
    for (let k = 0; k < ROUNDS; k++) {
      const a = await measure(() => readBaskets(file));
      r.add('readBaskets', a.cpu, a.wall);
      const b = await measure(viaTable);
      r.add('readTable + baskets', b.cpu, b.wall);
    }
    const ours = r.median('cpu', 'readBaskets');
    const before = r.median('cpu', 'readTable + baskets');
    rows.push([
      name,
      `${(size / 2 ** 20).toFixed(1)} MB`,
      r.text('cpu', 'readBaskets'),
      r.text('wall', 'readBaskets'),
      `${mbps(size, ours)} (${mbps(size, r.median('wall', 'readBaskets'))})`,
      r.text('cpu', 'readTable + baskets'),
      `${mbps(size, before)}`,
      `${(before / ours).toFixed(1)}×`,
      'yes',
    ]);
    console.log(rows[rows.length - 1].join('  '));
  }
  return rows;
}

/**
 * The bytes a table's columns hold (values, offsets, validity, dictionaries), counted from each chunk's length rather
 * than its buffers' capacity (a builder over-allocates): the input size for MB/s.
 */
function logicalBytes(table: Table): number {
  let total = 0;
  const visit = (data: Data): void => {
    if (data.nullCount > 0) total += (data.length + 7) >> 3;
    if (data.valueOffsets) {
      const o = data.valueOffsets as Int32Array;
      total += 4 * (data.length + 1) + (o[data.length] - o[0]);
    } else if (ArrayBuffer.isView(data.values)) total += data.length * (data.values as Int32Array).BYTES_PER_ELEMENT;
    if (data.dictionary) for (const d of data.dictionary.data) visit(d as Data);
  };
  for (const batch of table.batches) for (const child of batch.data.children) visit(child as Data);
  return total;
}

/**
 * The long table with its items dictionary-encoded (as read) and as plain Utf8, each with its general-path twin:
 * the same rows with the transaction column as Float64.
 */
function variants(table: Table): [string, Table, Table][] {
  const transaction = table.getChild('transaction')!;
  const item = table.getChild('item')!;
  const strings = vectorFromArray(item.toArray() as (string | null)[], new Utf8());
  const float = makeVector(Float64Array.from(transaction.toArray() as Int32Array));
  return [
    ['dictionary items', table, new Table({ transaction: float, item })],
    ['Utf8 items', new Table({ transaction, item: strings }), new Table({ transaction: float, item: strings })],
  ];
}

async function longTableToBaskets(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [name] of FILES) {
    const table = await readTable(unpacked(name), { format: 'basket' });
    for (const [label, t, general] of variants(table)) {
      if (fingerprint(baskets(t)) !== fingerprint(baskets(general)))
        throw new Error(`${name} (${label}): the fast path differs from the general path`);
      const r = new Rounds();
      for (let k = 0; k < ROUNDS; k++) {
        const a = await measure(() => baskets(t));
        r.add('fast', a.cpu, a.wall);
        const b = await measure(() => baskets(general));
        r.add('general', b.cpu, b.wall);
      }
      const bytes = logicalBytes(t);
      rows.push([
        name,
        label,
        table.numRows.toLocaleString('en-US'),
        `${(bytes / 2 ** 20).toFixed(1)} MB`,
        r.text('cpu', 'fast'),
        r.text('wall', 'fast'),
        mbps(bytes, r.median('cpu', 'fast')),
        r.text('cpu', 'general'),
        `${(r.median('cpu', 'general') / r.median('cpu', 'fast')).toFixed(1)}×`,
        'yes',
      ]);
      console.log(rows[rows.length - 1].join('  '));
    }
  }
  return rows;
}

/** How many items are in every basket. */
function inEveryBasket(b: Baskets): number {
  const counts = new Int32Array(b.names.length);
  for (let t = 0; t < b.items.length; t++) counts[b.items[t]]++;
  return counts.filter((c) => c === b.count).length;
}

/** One eclat process: CPU (user + sys), wall, peak RSS and the number of itemsets it wrote. */
function eclat(file: string, minCount: number): { cpu: number; wall: number; rss: number; itemsets: number } {
  const out = path.join(os.tmpdir(), `clientele-eclat-${process.pid}.txt`);
  // eclat splits items on blanks and commas by default: a .csv basket file (Groceries' names hold blanks) on commas only
  const fields = file.endsWith('.csv') ? ['-f,'] : [];
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ECLAT!, ...fields, `-s-${minCount}`, file, out], {
    encoding: 'utf8',
  });
  const last = run.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, kb] = last.split(' ').map(Number);
  if (run.status !== 0 || !Number.isFinite(wall)) throw new Error(`eclat failed: ${run.stderr}`);
  const text = readFileSync(out, 'latin1');
  rmSync(out);
  let itemsets = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) itemsets++;
  return { cpu: (user + sys) * 1000, wall: wall * 1000, rss: kb * 1024, itemsets };
}

async function endToEnd(cases: readonly [string, string, number][]): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [label, file, support] of cases) {
    const read = await readBaskets(file);
    const minCount = resolveMinCount({ minSupport: support }, read.count, 'frequentItemsets');
    const ours = async () => frequentItemsets(await readBaskets(file), { minCount });
    const before = async () => frequentItemsets(baskets(await readTable(file, { format: 'basket' })), { minCount });
    const count = (await ours()).numRows;
    const peer = eclat(file, minCount);
    // Borgelt's programs do not write the non-empty subsets of the items in every basket (perfect extensions of the
    // empty set: mushroom's item 85), which frequentItemsets lists as arules does; the rest must be equal
    const omitted = 2 ** inEveryBasket(read) - 1;
    if (peer.itemsets + omitted !== count)
      throw new Error(
        `${label}: ${count} itemsets, eclat ${peer.itemsets} (+ ${omitted} subsets of the items in every basket)`,
      );
    const r = new Rounds();
    for (let k = 0; k < ROUNDS; k++) {
      const e = eclat(file, minCount);
      r.add('eclat', e.cpu, e.wall, e.rss);
      const a = await measure(ours);
      r.add('ours', a.cpu, a.wall);
      const b = await measure(before);
      r.add('before', b.cpu, b.wall);
    }
    const ratio = (name: string, kind: 'cpu' | 'wall') => (r.median(kind, name) / r.median(kind, 'eclat')).toFixed(2);
    rows.push([
      label,
      String(support),
      String(minCount),
      count.toLocaleString('en-US'),
      r.text('cpu', 'ours'),
      r.text('wall', 'ours'),
      r.text('cpu', 'eclat'),
      r.text('wall', 'eclat'),
      `${ratio('ours', 'cpu')}× (${ratio('ours', 'wall')}×)`,
      `${ratio('before', 'cpu')}× (${ratio('before', 'wall')}×)`,
      `${(median(r.rss.get('eclat')!) / 2 ** 20).toFixed(0)} MB`,
    ]);
    console.log(rows[rows.length - 1].join('  '));
  }
  return rows;
}

async function main(): Promise<void> {
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ');
  const loadBefore = load();
  const fileRows = await fileToBaskets();
  const tableRows = await longTableToBaskets();
  let endRows: string[][] | null = null;
  if (ECLAT === undefined || !existsSync(ECLAT))
    console.log('end to end skipped: set CLIENTELE_ECLAT to the path of Borgelt’s eclat (5.x) to compare with it');
  else {
    const cases: [string, string, number][] = FILES.flatMap(([name, supports]) =>
      supports.map((s): [string, string, number] => [name, unpacked(name), s]),
    );
    if (argv.includes('--scale')) for (const k of [1, 2, 4, 8]) cases.push([`retail ×${k}`, replicated(k), 0.0005]);
    endRows = await endToEnd(cases);
  }
  const body = [
    `Command: \`CLIENTELE_ECLAT=/path/to/eclat npx tsx --expose-gc benchmarks/basket-read.bench.ts --rounds ${ROUNDS}${argv.includes('--scale') ? ' --scale' : ''}\`  `,
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}; load average (1 / 5 / 15 min) ${loadBefore} before, ${load()} after (other jobs share the cores: compare CPU times within a row).`,
    '',
    `Times in ms: median (min–max) of ${ROUNDS} interleaved rounds, garbage collected before each call, after one warm-up call.`,
    '',
    '**File → baskets** (MB/s of file bytes, from the median CPU time; by wall time in parentheses):',
    '',
    markdownTable(
      [
        'file',
        'size',
        'readBaskets CPU',
        'wall',
        'MB/s',
        'readTable + baskets CPU',
        'MB/s',
        'speed-up',
        'same baskets',
      ],
      fileRows,
    ),
    '',
    '**Long table → baskets** (`baskets(table)`; MB/s of the bytes the table’s columns hold; “general” is the same rows with a',
    'Float64 transaction column, the path every table took before):',
    '',
    markdownTable(
      ['file', 'items', 'rows', 'Arrow size', 'baskets CPU', 'wall', 'MB/s', 'general CPU', 'speed-up', 'same baskets'],
      tableRows,
    ),
    '',
    endRows === null
      ? '**End to end**: skipped (CLIENTELE_ECLAT not set).'
      : [
          '**End to end, file → itemsets, against Borgelt’s eclat** (`frequentItemsets(await readBaskets(file), { minCount })`',
          'in this process, warmed up, against the whole `eclat -s-<minCount> file out` process; “before” is',
          '`readTable` + `baskets` + `frequentItemsets`; itemset counts checked equal to eclat’s, which leaves out the',
          'non-empty subsets of the items in every basket — mushroom’s item 85 —, which `frequentItemsets` lists as arules):',
          '',
          markdownTable(
            [
              'file',
              'minSupport',
              'minCount',
              'itemsets',
              'ours CPU',
              'ours wall',
              'eclat CPU',
              'eclat wall',
              'ours / eclat CPU (wall)',
              'before / eclat',
              'eclat peak RSS',
            ],
            endRows,
          ),
        ].join('\n'),
  ].join('\n');
  if (!argv.includes('--no-write'))
    writeResultsSection(path.join(ROOT, 'benchmarks/RESULTS.md'), 'Basket input and end to end (issue 17)', body);
  console.log(`\n${body}`);
}

await main();
