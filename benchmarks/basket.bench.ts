/**
 * Association-rule benchmark (issue 6): `frequentItemsets` with each of its three miners against node-fpgrowth on
 * the public basket files of datasets/ (gzipped in the repository), at three supports, run from this one script in one process.
 *
 * 1. Data: `groceries.csv` (9,835 baskets, comma-separated names), `retail.dat` (88,162) and `T10I4D100K.dat`
 *    (100,000; both space-separated item ids), read into `string[][]` (empty fields and repeats within a line
 *    dropped). Not timed. clientele: `basketsFromLists(lists)` (the dictionary encoding, timed apart: median of 3).
 * 2. clientele: `frequentItemsets(baskets, { minSupport, algorithm })` for 'fpgrowth', 'eclat' and 'apriori' on the
 *    encoded baskets; one warm-up call per algorithm and dataset (at the highest support), then one timed call and
 *    more by {@link runsAfter} (median of 5 under 2 s, of 3 under 10 s). Garbage is collected once before the runs
 *    (with `--expose-gc`), not before each: the peer's worker heap gets no forced collection either. The time includes building the Arrow result; where FP-growth's time goes: the miner alone
 *    (`fpgrowth(baskets, minCount, …)` of src/basket/fpgrowth.ts) alternated with the whole call.
 * 3. node-fpgrowth 1.2.1 (`new FPGrowth<number>(minSupport).exec(transactions)`), the npm FP-growth in
 *    TypeScript/JavaScript: in a worker thread of this process (`node-fpgrowth-worker.mjs`), on the same baskets
 *    with item names coded as integers, one warm-up `exec` at the highest support, then the same repeat rule as
 *    clientele; stopped after `--budget` seconds (reported "> budget"). Its threshold is ⌈s × n⌉, clientele's too:
 *    the same minSupport gives the same minimum count (checked).
 * 4. Equality: the itemsets (names and counts) of every clientele algorithm and of node-fpgrowth are compared as
 *    sorted lists of canonical keys; the report gives the number of itemsets and whether every list is equal.
 * 5. Memory: one call per library (and clientele algorithm) in a fresh child process that has only read the data
 *    (and, for clientele, encoded it): peak RSS during the call above the RSS just before (Linux `VmHWM`, reset just
 *    before the call; see `resetPeakRss`). A fresh process, because in this one the heap left by earlier runs would
 *    absorb part of the next call's allocations. The child is stopped after the budget too.
 *
 * Target (issue 6): node-fpgrowth / clientele ≥ 10×, reported against clientele's FP-growth and its default, Eclat.
 *
 * Run: `npx tsx --expose-gc benchmarks/basket.bench.ts [--supports 0.01,0.001,0.0005] [--datasets groceries,retail,t10]
 * [--budget 120] [--no-node-fpgrowth] [--no-memory] [--no-write]`. Writes the section "Association rules (issue 6)" of
 * `benchmarks/RESULTS.md`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Table } from 'apache-arrow';
import { FPGrowth } from 'node-fpgrowth';
import { basketsFromLists } from '../src/index';
import { fpgrowth } from '../src/basket/internal';
import { frequentItemsets } from '../src/index';
import type { Baskets } from '../src/index';
import {
  collectGarbage,
  cpuMs,
  loadLine,
  machine,
  markdownTable,
  mb,
  median,
  memorySnapshot,
  ms,
  peakRssSinceReset,
  resetPeakRss,
  timed,
  writeResultsSection,
} from './harness';
import { dataset } from '../test/helpers/datasets';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
// the public datasets travel with the repository, gzipped; dataset() unpacks one into test/artifacts once
const WORKER = path.join(HERE, 'node-fpgrowth-worker.mjs');
const SECTION = 'Association rules (issue 6)';
const ALGORITHMS = ['fpgrowth', 'eclat', 'apriori'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
/**
 * Repeats, by the duration of the first timed call: under 2 s the median of 5, under 10 s the median of 3, else one
 * run (the machine may be shared; the median of several damps the noise where it is cheap).
 */
const RUNS_BY_FIRST: readonly [number, number][] = [
  [2000, 5],
  [10_000, 3],
];
const runsAfter = (firstMs: number): number => RUNS_BY_FIRST.find(([below]) => firstMs < below)?.[1] ?? 1;
/** Issue 6's target for node-fpgrowth / clientele fpgrowth. */
const TARGET = 10;
/** node-fpgrowth recurses along node links; a deep stack and a large heap for its worker. */
const WORKER_LIMITS = { stackSizeMb: 256, maxOldGenerationSizeMb: 16_384 };

interface DatasetSpec {
  key: string;
  file: string;
  separator: string;
}
const DATASET_SPECS: DatasetSpec[] = [
  { key: 'groceries', file: 'groceries.csv', separator: ',' },
  { key: 'retail', file: 'retail.dat', separator: ' ' },
  { key: 't10', file: 'T10I4D100K.dat', separator: ' ' },
];

const log = (message: string) => process.stderr.write(`${message}\n`);
const x1 = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`;

// ---------------------------------------------------------------------------------------------------------------
// data

/** One basket per line, fields split on `separator`, empty fields and repeats within a line dropped. */
function readBaskets(file: string, separator: string): string[][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .replace(/\r$/, '')
        .split(separator)
        .filter((field) => field.length > 0),
    ),
  ]);
}

/** Canonical keys of an itemset table (names sorted, count), sorted: the same keys the worker builds. */
function canonicalKeys(table: Table): string[] {
  const items = table.getChild('items')!;
  const counts = table.getChild('count')!.toArray() as Int32Array;
  const keys: string[] = [];
  for (let i = 0; i < table.numRows; i++)
    keys.push(`${([...items.get(i)!] as string[]).sort().join('\u0001')}\u0001#${counts[i]}`);
  return keys.sort();
}

/** A clientele timing for a table cell: the wall median with its runs, then the CPU median. */
const clienteleCell = (c: ClienteleRun) =>
  `${ms(c.median)} (${c.runs.length > 1 ? `median of ${c.runs.length}` : 'one run'}) · CPU ${ms(median(c.cpu))}`;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

// ---------------------------------------------------------------------------------------------------------------
// clientele

interface ClienteleRun {
  runs: number[];
  /** CPU ms of each run (user + system of the process, all threads). */
  cpu: number[];
  median: number;
  itemsets: number;
  minCount: number;
  keys: string[];
}

/** One timed call, then more by {@link runsAfter}; the median. */
function runClientele(baskets: Baskets, minSupport: number, algorithm: Algorithm): ClienteleRun {
  const runs: number[] = [];
  const cpu: number[] = [];
  let table: Table | null = null;
  // Garbage is collected once before the runs, not before each: node-fpgrowth runs in a worker whose heap the main
  // thread's gc() does not touch, and a forced full collection right before a call of tens of milliseconds slows
  // that call (measured: Groceries at 0.001, 36 → 70 ms), so both sides run in the same steady state.
  collectGarbage();
  for (let r = 0; r < (r === 0 ? 1 : runsAfter(runs[0])); r++) {
    table = null;
    const c0 = cpuMs();
    const t0 = performance.now();
    table = frequentItemsets(baskets, { minSupport, algorithm });
    runs.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  const minCount = Number(table!.schema.metadata.get('clientele.minCount'));
  return { runs, cpu, median: median(runs), itemsets: table!.numRows, minCount, keys: canonicalKeys(table!) };
}

/**
 * The FP-growth miner alone (no Arrow table) and the whole `frequentItemsets` call, alternated so that both see the
 * same machine load; the median of as many pairs as {@link runsAfter} gives for the whole call.
 */
function minerSplit(baskets: Baskets, minCount: number, wholeMs: number): { miner: number; whole: number } {
  const miner: number[] = [];
  const whole: number[] = [];
  collectGarbage();
  for (let r = 0; r < runsAfter(wholeMs); r++) {
    let t0 = performance.now();
    fpgrowth(baskets, minCount, baskets.names.length);
    miner.push(performance.now() - t0);
    t0 = performance.now();
    frequentItemsets(baskets, { minCount, algorithm: 'fpgrowth' });
    whole.push(performance.now() - t0);
  }
  return { miner: median(miner), whole: median(whole) };
}

// ---------------------------------------------------------------------------------------------------------------
// node-fpgrowth

type PeerRun =
  | { status: 'done'; runs: number[]; ms: number; itemsets: number; keys: string[] }
  | { status: 'budget'; ms: number }
  | { status: 'failed'; message: string };

/** node-fpgrowth once in a worker thread; terminated when the run exceeds `budgetMs`. */
function runNodeFpgrowth(
  spec: DatasetSpec,
  minSupport: number,
  warmupSupport: number,
  budgetMs: number,
): Promise<PeerRun> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      workerData: {
        file: dataset(spec.file),
        separator: spec.separator,
        support: minSupport,
        warmupSupport,
        runsByFirst: RUNS_BY_FIRST,
      },
      resourceLimits: WORKER_LIMITS,
    });
    let timer: NodeJS.Timeout | null = null;
    let started = 0;
    let settled = false;
    const finish = (run: PeerRun) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void worker.terminate();
      resolve(run);
    };
    worker.on('message', (message: { type: 'ready' } | { type: 'done'; runs: number[]; itemsets: string[] }) => {
      if (message.type === 'ready') {
        started = performance.now();
        timer = setTimeout(() => finish({ status: 'budget', ms: performance.now() - started }), budgetMs);
        worker.postMessage('go');
      } else {
        finish({
          status: 'done',
          runs: message.runs,
          ms: median(message.runs),
          itemsets: message.itemsets.length,
          keys: message.itemsets.sort(),
        });
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ status: 'failed', message: `${error.code ?? error.name}: ${error.message}` }),
    );
    worker.on('exit', (code) => finish({ status: 'failed', message: `worker exited with code ${code}` }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// memory, each call in a fresh process

type Library = Algorithm | 'node-fpgrowth';
type MemoryRun =
  | { status: 'done'; peak: number | null; itemsets: number }
  | { status: 'budget' }
  | { status: 'failed'; message: string };

/** In a fresh process: read the data, prepare the library's input, then one call with `VmHWM` reset just before. */
async function memoryChild(library: Library, spec: DatasetSpec, minSupport: number): Promise<void> {
  const lists = readBaskets(dataset(spec.file), spec.separator);
  let call: () => Promise<number>;
  if (library === 'node-fpgrowth') {
    const codes = new Map<string, number>();
    const transactions = lists.map((basket) =>
      basket.map((name) => {
        let code = codes.get(name);
        if (code === undefined) codes.set(name, (code = codes.size));
        return code;
      }),
    );
    call = async () => (await new FPGrowth<number>(minSupport).exec(transactions)).length;
  } else {
    const baskets = basketsFromLists(lists);
    call = async () => frequentItemsets(baskets, { minSupport, algorithm: library }).numRows;
  }
  lists.length = 0; // read and encoded: only the library's input stays reachable
  collectGarbage();
  const hwm = resetPeakRss();
  const before = memorySnapshot().rss;
  const itemsets = await call();
  const peak = hwm ? Math.max(0, peakRssSinceReset()! - before) : null;
  process.stdout.write(`${JSON.stringify({ peak, itemsets })}\n`);
}

function measureMemory(library: Library, spec: DatasetSpec, minSupport: number, budgetMs: number): MemoryRun {
  const flags = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), '--memory-child', library, spec.key, String(minSupport)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      timeout: budgetMs + 60_000, // the budget for the call, a minute for reading the file and starting up
    },
  );
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { status: 'budget' };
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{'))
    return { status: 'failed', message: `status ${child.status}: ${child.stderr.trim().split('\n').pop() ?? ''}` };
  const parsed = JSON.parse(line) as { peak: number | null; itemsets: number };
  return { status: 'done', ...parsed };
}

// ---------------------------------------------------------------------------------------------------------------
// main

interface CaseResult {
  dataset: string;
  baskets: number;
  items: number;
  minSupport: number;
  minCount: number;
  clientele: Record<Algorithm, ClienteleRun>;
  /** The miner alone and the whole call, alternated. */
  split: { miner: number; whole: number };
  peer: PeerRun | null;
  memory: Partial<Record<Library, MemoryRun>>;
  /** Every clientele algorithm returned the same list. */
  algorithmsAgree: boolean;
  /** node-fpgrowth returned clientele's list; null when it did not finish or did not run. */
  peerAgrees: boolean | null;
}

interface DatasetResult {
  spec: DatasetSpec;
  baskets: number;
  items: number;
  encodeMs: number;
  bytes: number;
}

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const supports = (value('--supports') ?? '0.01,0.001,0.0005').split(',').map(Number);
  if (supports.some((s) => !(s > 0 && s <= 1)))
    throw new Error(`--supports: expected shares of baskets in (0, 1] (found ${value('--supports')})`);
  supports.sort((a, b) => b - a);
  const keys = (value('--datasets') ?? DATASET_SPECS.map((d) => d.key).join(',')).split(',');
  const datasets = keys.map((k) => DATASET_SPECS.find((d) => d.key === k));
  if (datasets.some((d) => !d))
    throw new Error(
      `--datasets: expected some of ${DATASET_SPECS.map((d) => d.key).join(', ')} (found ${value('--datasets')})`,
    );
  const budget = Number(value('--budget') ?? '120');
  if (!(budget > 0)) throw new Error(`--budget: expected seconds > 0 (found ${value('--budget')})`);
  return {
    supports,
    datasets: datasets as DatasetSpec[],
    budget,
    peer: !argv.includes('--no-node-fpgrowth'),
    memory: !argv.includes('--no-memory'),
    write: !argv.includes('--no-write'),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const child = argv.indexOf('--memory-child');
  if (child >= 0) {
    await memoryChild(
      argv[child + 1] as Library,
      DATASET_SPECS.find((d) => d.key === argv[child + 2])!,
      Number(argv[child + 3]),
    );
    return;
  }
  const args = parseArgs(argv);
  const started = new Date();
  if (!collectGarbage()) log('note: run with --expose-gc so that garbage is collected between runs');
  const cases: CaseResult[] = [];
  const datasets: DatasetResult[] = [];
  for (const spec of args.datasets) {
    const lists = readBaskets(dataset(spec.file), spec.separator);
    const encodeRuns: number[] = [];
    let baskets: Baskets | null = null;
    for (let r = 0; r < 3; r++) {
      const run = await timed(() => basketsFromLists(lists));
      encodeRuns.push(run.ms);
      baskets = run.value;
    }
    const b = baskets!;
    datasets.push({
      spec,
      baskets: b.count,
      items: b.names.length,
      encodeMs: median(encodeRuns),
      bytes: b.offsets.byteLength + b.items.byteLength,
    });
    log(`${spec.file}: ${b.count} baskets, ${b.names.length} items, encoded in ${ms(median(encodeRuns))} ms`);
    for (const algorithm of ALGORITHMS) frequentItemsets(b, { minSupport: args.supports[0], algorithm }); // warm-up

    for (const minSupport of args.supports) {
      const clientele = {} as Record<Algorithm, ClienteleRun>;
      for (const algorithm of ALGORITHMS) {
        clientele[algorithm] = runClientele(b, minSupport, algorithm);
        const c = clientele[algorithm];
        log(
          `  ${minSupport} ${algorithm}: ${c.itemsets} itemsets (minCount ${c.minCount}), ${c.runs.map(ms).join(', ')} ms`,
        );
      }
      const minCount = clientele.fpgrowth.minCount;
      const split = minerSplit(b, minCount, clientele.fpgrowth.median);
      const algorithmsAgree = ALGORITHMS.every((a) => sameList(clientele[a].keys, clientele.fpgrowth.keys));
      let peer: PeerRun | null = null;
      if (args.peer) {
        const peerCount = Math.ceil(minSupport * b.count); // node-fpgrowth's own rule
        if (peerCount !== minCount)
          throw new Error(
            `node-fpgrowth would use count ${peerCount}, clientele ${minCount}: pass it (minCount − ½) / n`,
          );
        peer = await runNodeFpgrowth(spec, minSupport, args.supports[0], args.budget * 1000);
        log(
          `  ${minSupport} node-fpgrowth: ${peer.status === 'done' ? `${peer.itemsets} itemsets, ${ms(peer.ms)} ms` : peer.status === 'budget' ? `> ${args.budget} s` : peer.message}`,
        );
      }
      const peerAgrees = peer?.status === 'done' ? sameList(peer.keys, clientele.fpgrowth.keys) : null;
      const memory: CaseResult['memory'] = {};
      if (args.memory) {
        const libraries: Library[] =
          args.peer && peer?.status === 'done' ? [...ALGORITHMS, 'node-fpgrowth'] : [...ALGORITHMS];
        for (const library of libraries) memory[library] = measureMemory(library, spec, minSupport, args.budget * 1000);
        log(`  ${minSupport} peak memory: ${libraries.map((l) => `${l} ${memoryText(memory[l])}`).join(', ')}`);
      }
      cases.push({
        dataset: spec.file,
        baskets: b.count,
        items: b.names.length,
        minSupport,
        minCount,
        clientele,
        split,
        peer,
        memory,
        algorithmsAgree,
        peerAgrees,
      });
      // the key lists are only for the comparisons
      for (const a of ALGORITHMS) clientele[a].keys = [];
      if (peer?.status === 'done') peer.keys = [];
    }
  }

  const command = `npx tsx --expose-gc benchmarks/basket.bench.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  const body = report({
    started,
    command,
    cases,
    datasets,
    budget: args.budget,
    peerRun: args.peer,
    memoryRun: args.memory,
  });
  process.stdout.write(`${body}\n`);
  if (args.write) {
    writeResultsSection(RESULTS, SECTION, body);
    log(`wrote the section "${SECTION}" of ${RESULTS}`);
  }
}

function memoryText(m: MemoryRun | undefined): string {
  if (!m) return 'not run';
  if (m.status === 'budget') return '— (stopped on the budget)';
  if (m.status === 'failed') return `— (failed: ${m.message})`;
  return m.peak === null ? 'n/a' : mb(m.peak);
}

function report(o: {
  started: Date;
  command: string;
  cases: CaseResult[];
  datasets: DatasetResult[];
  budget: number;
  peerRun: boolean;
  memoryRun: boolean;
}): string {
  const runsText = (runs: readonly number[]) => (runs.length > 1 ? `median of ${runs.length}` : 'one run');
  const repeatRule = RUNS_BY_FIRST.map(
    ([below, runs]) => `the median of ${runs} when the first took under ${below / 1000} s`,
  ).join(', ');
  const peerText = (p: PeerRun | null) =>
    p === null
      ? 'not run'
      : p.status === 'done'
        ? `${ms(p.ms)} (${runsText(p.runs)})`
        : p.status === 'budget'
          ? `> ${o.budget} s (budget)`
          : `failed: ${p.message}`;
  const agree = (c: CaseResult) =>
    `${c.algorithmsAgree ? 'yes' : 'NO'} / ${c.peerAgrees === null ? '—' : c.peerAgrees ? 'yes' : `NO (${c.peer?.status === 'done' ? c.peer.itemsets : '?'} itemsets)`}`;
  const ratio = (c: CaseResult, extra = 0, algorithm: 'fpgrowth' | 'eclat' = 'fpgrowth') => {
    const p = c.peer;
    if (p === null || p.status === 'failed') return '—';
    const r = p.ms / (c.clientele[algorithm].median + extra);
    const verdict = extra === 0 ? ` (${r >= TARGET ? 'met' : 'missed'})` : '';
    return p.status === 'budget'
      ? `> ${x1(r)}` + (extra === 0 ? ` (${r >= TARGET ? 'met' : 'unknown'})` : '')
      : `${x1(r)}${verdict}`;
  };
  const encodeOf = (c: CaseResult) => o.datasets.find((d) => d.spec.file === c.dataset)!.encodeMs;

  const times = markdownTable(
    [
      'data',
      'minSupport (minCount)',
      'itemsets',
      'clientele fpgrowth ms',
      'clientele eclat ms',
      'clientele apriori ms',
      'node-fpgrowth ms',
      'node-fpgrowth / clientele fpgrowth',
      'node-fpgrowth / clientele eclat (the default)',
      'same as fpgrowth, incl. encoding',
      'equal itemsets (clientele algorithms / node-fpgrowth)',
    ],
    o.cases.map((c) => [
      c.dataset,
      `${c.minSupport} (${c.minCount})`,
      String(c.clientele.fpgrowth.itemsets),
      clienteleCell(c.clientele.fpgrowth),
      clienteleCell(c.clientele.eclat),
      clienteleCell(c.clientele.apriori),
      peerText(c.peer),
      ratio(c),
      ratio(c, 0, 'eclat'),
      ratio(c, encodeOf(c)),
      agree(c),
    ]),
  );

  const memory = markdownTable(
    ['data', 'minSupport', 'clientele fpgrowth', 'clientele eclat', 'clientele apriori', 'node-fpgrowth'],
    o.cases.map((c) => [
      c.dataset,
      String(c.minSupport),
      ...ALGORITHMS.map((a) => memoryText(c.memory[a])),
      c.peer?.status === 'done' ? memoryText(c.memory['node-fpgrowth']) : 'not run (no timed result)',
    ]),
  );

  const breakdown = markdownTable(
    [
      'data',
      'minSupport',
      '`frequentItemsets` fpgrowth ms',
      'miner alone (`fpgrowth`) ms',
      'the rest: names, order, Arrow table ms',
      'rest / whole',
    ],
    o.cases.map((c) => {
      const { miner, whole } = c.split;
      return [
        c.dataset,
        String(c.minSupport),
        ms(whole),
        ms(miner),
        ms(Math.max(0, whole - miner)),
        `${((100 * Math.max(0, whole - miner)) / whole).toFixed(0)}%`,
      ];
    }),
  );

  const data = o.datasets
    .map(
      (d) =>
        `${d.spec.file} ${d.baskets.toLocaleString('en-US')} baskets, ${d.items.toLocaleString('en-US')} items (encoded in ${ms(d.encodeMs)} ms, ${(d.bytes / 2 ** 20).toFixed(1)} MB of codes)`,
    )
    .join('; ');
  const ratios = o.cases
    .filter((c) => c.peer?.status === 'done')
    .map((c) => (c.peer as { ms: number }).ms / c.clientele.fpgrowth.median);
  const lines = [
    `Command: \`${o.command}\` (from the repository root)  `,
    `Date: ${o.started.toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}  `,
    `${loadLine()} clientele cells: wall ms, median (runs) · CPU ms (user + system of the process, all threads), median.  `,
    'Everything runs in one process: clientele on the main thread, node-fpgrowth on a worker thread (one thread each).',
    '',
    `Data (datasets/ (gzipped in the repository), read into \`string[][]\`, not timed): ${data}. clientele mines the encoded baskets ` +
      '(`basketsFromLists`, the dictionary encoding, timed apart: median of 3); node-fpgrowth gets the same baskets with ' +
      'the item names coded as integers (`number[][]`), which it counts and sorts itself inside its timed run — the ' +
      '"incl. encoding" ratio adds clientele\'s encoding time to clientele\'s side.',
    '',
    `- **clientele**: \`frequentItemsets(baskets, { minSupport, algorithm })\`, maxLength unlimited, the Arrow table included; ` +
      `one warm-up call per algorithm and dataset at the highest support, then timed calls: ${repeatRule}, else one run ` +
      '(the machine may be shared with other work; garbage collected before each call). Threshold count ≥ ⌈minSupport × n⌉ (as R arules).',
    o.peerRun
      ? `- **node-fpgrowth** 1.2.1: \`new FPGrowth<number>(minSupport).exec(transactions)\` in a worker thread ` +
        `(\`benchmarks/node-fpgrowth-worker.mjs\`; ${WORKER_LIMITS.stackSizeMb} MB stack, ${WORKER_LIMITS.maxOldGenerationSizeMb / 1024} GB heap), ` +
        `one warm-up \`exec\` at the highest support, then the same repeat rule as clientele, with a budget of ${o.budget} s ` +
        '(stopped when exceeded). It applies ' +
        '`Math.ceil(minSupport × n)` and keeps counts ≥ it: the same minimum count as clientele for every setting (checked), ' +
        'so both must find the same itemsets.'
      : '- **node-fpgrowth**: not run (`--no-node-fpgrowth`).',
    '- **Equality**: the itemsets (sorted names and count) of the three clientele algorithms and of node-fpgrowth, compared ' +
      'as sorted lists; "yes" when every list is identical.',
    '',
    `**Times** (ms; target: node-fpgrowth / clientele ≥ ${TARGET}×, shown against clientele's FP-growth and against its default algorithm, Eclat):`,
    '',
    times,
    '',
    ratios.length
      ? `node-fpgrowth / clientele fpgrowth over the runs that finished: ${x1(Math.min(...ratios))} to ${x1(Math.max(...ratios))} ` +
        `(median ${x1(median(ratios))}).`
      : '',
    '',
    ...(o.memoryRun
      ? [
          '**Peak memory**: one call in a fresh child process per library and setting, after reading the data (and, for ' +
            "clientele, encoding it; node-fpgrowth's `number[][]` built likewise): peak RSS during the call above the RSS " +
            'just before it (Linux `VmHWM` reset before the call; no warm-up, so it includes compiling the code). A small figure ' +
            'can mean the call fit in heap pages the process already held after reading the file.',
          '',
          memory,
        ]
      : ['**Peak memory**: not measured (`--no-memory`).']),
    '',
    "**Where clientele's FP-growth time goes**: the miner on typed arrays (`fpgrowth` of `src/basket/fpgrowth.ts`) and " +
      "the whole `frequentItemsets` call, timed alternately (the same repeat rule; so the whole call's median can differ " +
      'a little from the table above), the rest being decoding names, ordering the itemsets and building the Arrow columns.',
    '',
    breakdown,
  ];
  return lines.join('\n');
}

await main();
