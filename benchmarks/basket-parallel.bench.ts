/**
 * Frequent itemsets on worker threads (issues 8 and 17): `frequentItemsets(baskets, { minSupport })` in one thread
 * against `parallel: 2` and `parallel: 'auto'` (the process's warm worker pool), and node-fpgrowth 1.2.1, in one
 * process, on public basket files: where one thread mines for a second or more (T10I4D100K, retail, chess,
 * mushroom) and where it takes milliseconds (high supports: 'auto' must stay in-process there, never slower).
 *
 * 1. Data: the basket files from datasets/ (gzipped in the repository), read into `string[][]` and encoded once with
 *    `basketsFromLists` (not timed).
 * 2. clientele, from the built package (dist/, as users run it: the worker threads start from
 *    dist/parallel/worker.js; built by scripts/ensure-build.sh when stale, or `--lib <dir>` for another build).
 *    For each case: `closeWorkers()`, then the first call of each form, timed apart (one thread: compiling the
 *    miner; `parallel: 2`: starting a cold thread, which runs the miner not yet compiled; 'auto': a cold pool, so
 *    in-process while the pool warms in the background); then `--runs` (5) rounds, each timing one thread,
 *    `parallel: 2` and 'auto' in turn (warm pool), and the medians with min–max. Wall time (performance.now) and
 *    CPU time (process.cpuUsage: every thread of the process, so the threads' CPU counts) of every call.
 * 3. node-fpgrowth 1.2.1 in a worker thread of this process (`node-fpgrowth-worker.mjs`, as in basket.bench.ts):
 *    one warm-up at support 0.01, then the same number of runs; stopped after `--budget` seconds
 *    (`--no-node-fpgrowth` skips it).
 * 4. Equality: every clientele call is compared with the first single-thread table (rows, order, types, metadata);
 *    node-fpgrowth's itemsets as sorted canonical keys.
 *
 * Run: `npx tsx --expose-gc benchmarks/basket-parallel.bench.ts [--cases t10:0.00025,retail:0.0002,chess:0.6,
 * mushroom:0.1,t10:0.01,groceries:0.01] [--algorithms eclat] [--runs 5] [--budget 120] [--lib dist]
 * [--no-node-fpgrowth]`. Prints a Markdown section to stdout (the lead merges it into RESULTS.md).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Table } from 'apache-arrow';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';
import { dataset } from '../test/helpers/datasets';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
// the public datasets travel with the repository, gzipped; dataset() unpacks one into test/artifacts once
const PEER = path.join(HERE, 'node-fpgrowth-worker.mjs');
const FILES: Record<string, { file: string; separator: string }> = {
  t10: { file: 'T10I4D100K.dat', separator: ' ' },
  retail: { file: 'retail.dat', separator: ' ' },
  groceries: { file: 'groceries.csv', separator: ',' },
  chess: { file: 'chess.dat', separator: ' ' },
  mushroom: { file: 'mushroom.dat', separator: ' ' },
};
const DEFAULT_CASES = 't10:0.00025,retail:0.0002,chess:0.6,mushroom:0.1,t10:0.01,groceries:0.01';

const argv = process.argv.slice(2);
const arg = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const cases = (arg('--cases') ?? DEFAULT_CASES).split(',').map((c) => {
  const [key, support] = c.split(':');
  if (!FILES[key] || !(Number(support) > 0))
    throw new Error(`--cases: expected key:support with key in ${Object.keys(FILES).join(', ')} (found ${c})`);
  return { key, support: Number(support) };
});
const algorithms = (arg('--algorithms') ?? 'eclat').split(',') as ('eclat' | 'fpgrowth' | 'apriori')[];
const runs = Number(arg('--runs') ?? '5');
const budget = Number(arg('--budget') ?? '120');
const threads = 2;

type Library = typeof import('../src/index');
async function library(): Promise<{ lib: Library; dir: string }> {
  const given = arg('--lib');
  if (given === undefined) {
    const build = spawnSync('bash', ['-c', '. scripts/ensure-build.sh bench:basket-parallel'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('basket-parallel: the build failed');
  }
  const dir = path.resolve(ROOT, given ?? 'dist');
  return {
    lib: (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as Library,
    dir: path.relative(ROOT, dir),
  };
}

function readLists(file: string, separator: string): string[][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .replace(/\r$/, '')
        .split(separator)
        .filter((f) => f.length > 0),
    ),
  ]);
}

/** The table as text: types, metadata and every row, to compare two results exactly. */
function fingerprint(t: Table): string {
  const items = t.getChild('items')!;
  const rows: string[] = [];
  for (let i = 0; i < t.numRows; i++)
    rows.push(
      `${[...items.get(i)!].join('\u0001')}#${t.getChild('count')!.get(i)}#${t.getChild('support')!.get(i)}#${t.getChild('length')!.get(i)}`,
    );
  return `${t.schema.fields.map((f) => `${f.name}:${f.type}`).join()}|${JSON.stringify([...t.schema.metadata])}|${rows.join('\n')}`;
}

function canonicalKeys(t: Table): string[] {
  const items = t.getChild('items')!;
  const counts = t.getChild('count')!;
  const keys: string[] = [];
  for (let i = 0; i < t.numRows; i++)
    keys.push(`${([...items.get(i)!] as string[]).sort().join('\u0001')}\u0001#${counts.get(i)}`);
  return keys.sort();
}

type PeerRun =
  { status: 'done'; ms: number; keys: string[] } | { status: 'budget' } | { status: 'failed'; message: string };

function nodeFpgrowth(file: string, separator: string, support: number): Promise<PeerRun> {
  return new Promise((resolve) => {
    const worker = new Worker(PEER, {
      workerData: { file, separator, support, warmupSupport: 0.01, runsByFirst: [[Infinity, runs]] },
      resourceLimits: { stackSizeMb: 256, maxOldGenerationSizeMb: 16_384 },
    });
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (r: PeerRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    worker.on('message', (m: { type: 'ready' } | { type: 'done'; runs: number[]; itemsets: string[] }) => {
      if (m.type === 'ready') {
        timer = setTimeout(() => finish({ status: 'budget' }), budget * 1000);
        worker.postMessage('go');
      } else finish({ status: 'done', ms: median(m.runs), keys: m.itemsets.sort() });
    });
    worker.on('error', (e) => finish({ status: 'failed', message: e.message }));
    worker.on('exit', (code) => finish({ status: 'failed', message: `exited with code ${code}` }));
  });
}

interface Timing {
  wall: number;
  cpu: number;
}

/** One call timed: wall ms and CPU ms of the whole process (all threads), with the table it returned. */
async function time(call: () => Table | Promise<Table>): Promise<Timing & { table: Table }> {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const table = await call();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, table };
}

const spread = (xs: number[]) => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;

type Form = 'one thread' | 'parallel: 2' | "parallel: 'auto'";
const FORMS: readonly Form[] = ['one thread', 'parallel: 2', "parallel: 'auto'"];

async function main(): Promise<void> {
  const { lib, dir } = await library();
  const loadBefore = os.loadavg()[0];
  const { basketsFromLists, frequentItemsets, closeWorkers } = lib;
  const rows: string[][] = [];
  const ratios: string[] = [];
  for (const c of cases) {
    const spec = FILES[c.key];
    const file = dataset(spec.file);
    const b = basketsFromLists(readLists(file, spec.separator));
    const lines = b.offsets[b.count];
    let first: { table: Table; print: string } | undefined;
    for (const algorithm of algorithms) {
      const options = { minSupport: c.support, algorithm };
      const call = (form: Form) =>
        form === 'one thread'
          ? frequentItemsets(b, options)
          : frequentItemsets(b, { ...options, parallel: form === 'parallel: 2' ? threads : 'auto' });
      await closeWorkers(); // every case starts with a cold pool
      const firsts = new Map<Form, Timing>();
      let same = true;
      const check = (t: Table) => {
        first ??= { table: t, print: fingerprint(t).replace(/"clientele.algorithm","[a-z]+"/, '') };
        same &&= fingerprint(t).replace(/"clientele.algorithm","[a-z]+"/, '') === first.print;
      };
      for (const form of FORMS) {
        const r = await time(() => call(form));
        firsts.set(form, r);
        check(r.table);
      }
      const warm = new Map<Form, { wall: number[]; cpu: number[] }>(FORMS.map((f) => [f, { wall: [], cpu: [] }]));
      for (let r = 0; r < runs; r++) {
        for (const form of FORMS) {
          const t = await time(() => call(form));
          warm.get(form)!.wall.push(t.wall);
          warm.get(form)!.cpu.push(t.cpu);
          check(t.table);
        }
      }
      const one = median(warm.get('one thread')!.wall);
      for (const form of FORMS) {
        const w = warm.get(form)!;
        rows.push([
          `${spec.file} (${b.count.toLocaleString('en-US')} baskets, ${lines.toLocaleString('en-US')} line items)`,
          String(c.support),
          String(first!.table.numRows),
          `${algorithm}, ${form}`,
          `${ms(firsts.get(form)!.wall)} / ${ms(firsts.get(form)!.cpu)}`,
          spread(w.wall),
          spread(w.cpu),
          `${(one / median(w.wall)).toFixed(2)}×`,
          same ? 'yes' : 'NO',
        ]);
      }
      ratios.push(
        `${c.key} ${c.support} ${algorithm}: parallel 2 ${(one / median(warm.get('parallel: 2')!.wall)).toFixed(2)}×, ` +
          `auto ${(one / median(warm.get("parallel: 'auto'")!.wall)).toFixed(2)}×; same ${same}`,
      );
      process.stderr.write(`${ratios[ratios.length - 1]}\n`);
    }
    if (!argv.includes('--no-node-fpgrowth')) {
      const peer = await nodeFpgrowth(file, spec.separator, c.support);
      const agrees =
        peer.status === 'done' ? (peer.keys.join('\n') === canonicalKeys(first!.table).join('\n') ? 'yes' : 'NO') : '—';
      rows.push([
        spec.file,
        String(c.support),
        '',
        'node-fpgrowth 1.2.1 (one thread)',
        '',
        peer.status === 'done' ? ms(peer.ms) : peer.status === 'budget' ? `> ${budget} s` : `failed: ${peer.message}`,
        '',
        '',
        agrees,
      ]);
    }
  }
  await closeWorkers();
  const command = `npx tsx --expose-gc benchmarks/basket-parallel.bench.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  const body = [
    `Command: \`${command}\` (from the repository root; package loaded from \`${dir}/\`)  `,
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}; ${os.availableParallelism()} cores  `,
    `Load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0].toFixed(2)}`,
    '',
    "clientele `frequentItemsets(baskets, { minSupport, algorithm })` in one thread, with `parallel: 2` and with `parallel: 'auto'` " +
      '(threads leased from the process\'s warm pool; the calling thread mines one part). "first call": the first call of each form after ' +
      "`closeWorkers()` (one thread compiles the miner; `parallel: 2` starts a cold thread; 'auto' finds the pool cold, runs in-process " +
      'and warms the pool in the background). Then ' +
      `${runs} rounds, each timing the three forms in turn: median (min–max) of wall and CPU time (process.cpuUsage, all threads). ` +
      'The speed-up is one thread\'s median wall time over the form\'s. "same" compares every table with the first single-thread one ' +
      "(rows, order, types, metadata) and node-fpgrowth's itemsets (median of its runs in a worker thread) with clientele's.",
    '',
    markdownTable(
      [
        'data',
        'minSupport',
        'itemsets',
        'form',
        'first call ms (wall / CPU)',
        'warm wall ms',
        'warm CPU ms',
        'speed-up (wall)',
        'same',
      ],
      rows,
    ),
    '',
    ...ratios.map((r) => `- ${r}`),
  ].join('\n');
  process.stdout.write(`${body}\n`);
}

await main();
