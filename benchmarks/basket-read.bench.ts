/**
 * Reading basket files (issue 16): `readTable(file)` of the FIMI files retail.dat and T10I4D100K.dat (a `.dat` file
 * is read as baskets: one pass over the bytes, items interned by hashing byte ranges, a long table `transaction`,
 * `item` with a dictionary) against plain JavaScript in the same process on the same file:
 * - `split`: `readFileSync(file, 'utf8').split('\n').map((l) => l.split(' '))`, the baseline of the issue (no
 *   interning, no table: only the arrays of strings);
 * - `split + Map`: the same, then every item coded through a `Map<string, number>` into an Int32Array, the least a
 *   reader must do to hand items to a miner.
 * Each is the median of 7 runs after one warm-up run; the row counts are checked equal.
 *
 * Run: `npx tsx --expose-gc benchmarks/basket-read.bench.ts [--no-write]`
 * Writes the section "Reading basket files (issue 16)" of `benchmarks/RESULTS.md` (other sections are kept).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readTable } from '../src/io/index';
import { collectGarbage, machine, markdownTable, medianOf, ms, writeResultsSection } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'benchmarks/data');
const RUNS = 7;

/** The dataset unpacked into benchmarks/data (gitignored). */
function unpacked(name: string): string {
  const file = path.join(DATA, name);
  if (!existsSync(file)) {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, gunzipSync(readFileSync(path.join(ROOT, 'datasets', `${name}.gz`))));
  }
  return file;
}

function splitOnly(file: string): number {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  let items = 0;
  for (const l of lines) for (const x of l) if (x !== '') items++;
  return items;
}

function splitAndMap(file: string): number {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  const ids = new Map<string, number>();
  const codes = new Int32Array(lines.reduce((n, l) => n + l.length, 0));
  let k = 0;
  for (const l of lines) {
    for (const x of l) {
      if (x === '') continue;
      let id = ids.get(x);
      if (id === undefined) ids.set(x, (id = ids.size));
      codes[k++] = id;
    }
  }
  return k;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const name of ['retail.dat', 'T10I4D100K.dat']) {
    const file = unpacked(name);
    const size = readFileSync(file).length;
    const table = await readTable(file);
    const items = splitOnly(file);
    if (items !== table.numRows || splitAndMap(file) !== table.numRows)
      throw new Error(`${name}: ${table.numRows} rows read, ${items} items split`);
    collectGarbage();
    const ours = await medianOf(RUNS, () => readTable(file));
    collectGarbage();
    const split = await medianOf(RUNS, () => splitOnly(file));
    collectGarbage();
    const mapped = await medianOf(RUNS, () => splitAndMap(file));
    rows.push([
      name,
      `${(size / 2 ** 20).toFixed(1)} MB`,
      table.schema.metadata.get('clientele.baskets')!,
      table.numRows.toLocaleString('en-US'),
      ms(ours.median),
      ms(split.median),
      ms(mapped.median),
      `${(split.median / ours.median).toFixed(1)}×`,
    ]);
    console.log(rows[rows.length - 1].join('  '));
  }
  const body = [
    `${machine()}; median of ${RUNS} runs (ms), one warm-up run first; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} when it ended (other jobs share the cores: compare within a row, not across runs).`,
    '',
    markdownTable(
      ['file', 'size', 'baskets', 'rows (items)', 'readTable', 'split', 'split + Map', 'split / readTable'],
      rows,
    ),
    '',
    '`readTable` returns the Arrow table (`transaction` Int32, `item` dictionary-encoded Utf8) that `baskets()` and',
    'the `rules` command take; `split` only makes the arrays of strings, `split + Map` also codes the items.',
    'Command: `npx tsx --expose-gc benchmarks/basket-read.bench.ts`.',
  ].join('\n');
  if (!process.argv.includes('--no-write'))
    writeResultsSection(path.join(ROOT, 'benchmarks/RESULTS.md'), 'Reading basket files (issue 16)', body);
  console.log(body);
}

await main();
