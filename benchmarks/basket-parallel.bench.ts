/**
 * Frequent itemsets on worker threads (issue 8): `frequentItemsets(baskets, { minSupport })` in one thread against
 * `frequentItemsets(baskets, { minSupport, parallel: 2 })` and node-fpgrowth 1.2.1, in one process, on public basket
 * files where single-thread mining takes a second or more.
 *
 * 1. Data: `T10I4D100K.dat` (100,000 baskets) and `retail.dat` (88,162) from datasets/ (gzipped in the repository), read into
 *    `string[][]` and encoded once with `basketsFromLists` (not timed).
 * 2. clientele, from the built package (dist/, as users run it: the worker threads start from
 *    dist/parallel/worker.js; built by scripts/ensure-build.sh when stale, or `--lib <dir>` for another build):
 *    for each algorithm, a first call of each form (timed apart: compiling), then `--runs` (3) timed calls alternating single and
 *    parallel; the median. A parallel call includes starting its threads and ending them (a fresh session per
 *    call), copying the codes into shared memory and building the table: what a user's call costs.
 * 3. node-fpgrowth 1.2.1 in a worker thread of this process (`node-fpgrowth-worker.mjs`, as in basket.bench.ts):
 *    one warm-up at support 0.01, then the same number of runs; stopped after `--budget` seconds.
 * 4. Equality: every clientele call is compared with the first single-thread table (rows, order, types, metadata);
 *    node-fpgrowth's itemsets as sorted canonical keys.
 *
 * Run: `npx tsx --expose-gc benchmarks/basket-parallel.bench.ts [--cases t10:0.0005,retail:0.0002] [--algorithms
 * eclat] [--runs 3] [--budget 120] [--lib dist] [--no-node-fpgrowth]`. Prints a Markdown section to stdout
 * (the lead merges it into RESULTS.md).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Table } from 'apache-arrow';
import {
  collectGarbage,
  loadLine,
  machine,
  markdownTable,
  measured,
  median,
  medianSample,
  ms,
  sampleCell,
} from './harness';
import type { Sample } from './harness';
import { dataset } from '../test/helpers/datasets';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
// the public datasets travel with the repository, gzipped; dataset() unpacks one into test/artifacts once
const PEER = path.join(HERE, 'node-fpgrowth-worker.mjs');
const FILES: Record<string, { file: string; separator: string }> = {
  t10: { file: 'T10I4D100K.dat', separator: ' ' },
  retail: { file: 'retail.dat', separator: ' ' },
  groceries: { file: 'groceries.csv', separator: ',' },
};

const argv = process.argv.slice(2);
const arg = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const cases = (arg('--cases') ?? 't10:0.0005,retail:0.0002').split(',').map((c) => {
  const [key, support] = c.split(':');
  if (!FILES[key] || !(Number(support) > 0))
    throw new Error(`--cases: expected key:support with key in ${Object.keys(FILES).join(', ')} (found ${c})`);
  return { key, support: Number(support) };
});
const algorithms = (arg('--algorithms') ?? 'eclat').split(',') as ('eclat' | 'fpgrowth' | 'apriori')[];
const runs = Number(arg('--runs') ?? '3');
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

async function main(): Promise<void> {
  const { lib, dir } = await library();
  const { basketsFromLists, frequentItemsets } = lib;
  const rows: string[][] = [];
  for (const c of cases) {
    const spec = FILES[c.key];
    const file = dataset(spec.file);
    const b = basketsFromLists(readLists(file, spec.separator));
    const lines = b.offsets[b.count];
    let first: { table: Table; print: string } | undefined;
    for (const algorithm of algorithms) {
      const options = { minSupport: c.support, algorithm };
      // the first call of each form, timed apart: it compiles the miner on this thread (the threads of a parallel
      // call always start cold, so later parallel calls keep paying what this first single call pays once)
      collectGarbage();
      let t0 = performance.now();
      frequentItemsets(b, options);
      const firstSingle = performance.now() - t0;
      collectGarbage();
      t0 = performance.now();
      await frequentItemsets(b, { ...options, parallel: threads });
      const firstParallel = performance.now() - t0;
      const single: Sample[] = [];
      const parallel: Sample[] = [];
      let same = true;
      for (let r = 0; r < runs; r++) {
        collectGarbage();
        const { sample: s1, value: one } = await measured(() => frequentItemsets(b, options));
        single.push(s1);
        collectGarbage();
        const { sample: s2, value: two } = await measured(() => frequentItemsets(b, { ...options, parallel: threads }));
        parallel.push(s2);
        first ??= { table: one, print: fingerprint(one).replace(/"clientele.algorithm","[a-z]+"/, '') };
        same &&=
          fingerprint(one) === fingerprint(two) &&
          fingerprint(one).replace(/"clientele.algorithm","[a-z]+"/, '') === first.print;
      }
      process.stderr.write(
        `${c.key} ${c.support} ${algorithm}: single ${sampleCell(single)}; parallel ${sampleCell(parallel)}; same ${same}\n`,
      );
      rows.push([
        `${spec.file} (${b.count.toLocaleString('en-US')} baskets, ${lines.toLocaleString('en-US')} line items)`,
        String(c.support),
        String(first!.table.numRows),
        algorithm,
        ms(firstSingle),
        ms(firstParallel),
        sampleCell(single),
        sampleCell(parallel),
        `${(medianSample(single).wall / medianSample(parallel).wall).toFixed(2)}×`,
        same ? 'yes' : 'NO',
      ]);
    }
    if (!argv.includes('--no-node-fpgrowth')) {
      const peer = await nodeFpgrowth(file, spec.separator, c.support);
      const agrees =
        peer.status === 'done' ? (peer.keys.join('\n') === canonicalKeys(first!.table).join('\n') ? 'yes' : 'NO') : '—';
      process.stderr.write(
        `${c.key} ${c.support} node-fpgrowth: ${peer.status === 'done' ? ms(peer.ms) : peer.status}\n`,
      );
      rows.push([
        spec.file,
        String(c.support),
        '',
        'node-fpgrowth 1.2.1 (one thread)',
        '',
        '',
        peer.status === 'done' ? ms(peer.ms) : peer.status === 'budget' ? `> ${budget} s` : `failed: ${peer.message}`,
        '',
        '',
        agrees,
      ]);
    }
  }
  const command = `npx tsx --expose-gc benchmarks/basket-parallel.bench.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  const body = [
    `Command: \`${command}\` (from the repository root; package loaded from \`${dir}/\`)  `,
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}; ${os.availableParallelism()} cores  `,
    '',
    `clientele \`frequentItemsets(baskets, { minSupport, algorithm })\` against the same with \`parallel: ${threads}\` (a fresh pair of ` +
      'threads per call: start, shared copy of the codes, both steps, the table), median of ' +
      `${runs} alternated runs after the first call of each (timed apart); node-fpgrowth in a worker thread of the same process ` +
      `(warm-up at 0.01), median of ${runs}. ` +
      '"same" compares every parallel table with the single-thread one (rows, order, types, metadata) and node-fpgrowth\'s itemsets with clientele\'s.',
    '',
    markdownTable(
      [
        'data',
        'minSupport',
        'itemsets',
        'algorithm',
        'first call, one thread ms',
        `first call, parallel: ${threads} ms`,
        'one thread ms: median (min–max) · CPU',
        `parallel: ${threads} ms: median (min–max) · CPU`,
        'speed-up (wall)',
        'same',
      ],
      rows,
    ),
    '',
    `${loadLine()} Other work on the machine takes cores from the threads. CPU: user + system of the process (all threads) during the call.`,
  ].join('\n');
  process.stdout.write(`${body}\n`);
}

await main();
