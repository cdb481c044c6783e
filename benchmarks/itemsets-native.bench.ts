/**
 * Frequent itemsets against Christian Borgelt's C programs (issue 17, target 1): clientele's `frequentItemsets`
 * against `eclat` 5.21 and `fpgrowth` 6.18, all / closed / maximal itemsets, on the public basket files of datasets/.
 *
 * 1. Cases (`--cases`): retail @ 0.0005, T10I4D100K @ 0.001 and 0.0005, Groceries @ 0.001 (comma-separated names),
 *    chess @ 0.6 and mushroom @ 0.1; targets (`--targets`) all, closed, maximal (Borgelt's `-ts`, `-tc`, `-tm`).
 *    The threshold is clientele's minCount ⌈s · n⌉, given to both programs as an absolute count (`-s-<minCount>`), so
 *    that both mine with the same count; the transaction counts are checked equal too.
 * 2. clientele, from the built package (dist/, as users run it; built when stale): the **mining call**
 *    `frequentItemsets(b, { minSupport, target })` on baskets built before the clock starts (the call includes
 *    counting and recoding the items and building the Arrow table, as Borgelt's phases after reading include
 *    recoding the items and writing the output); and **end to end**, file → itemset table through the fastest public
 *    path (`itemsetsOfFile` in itemsets-data.ts: the basket-file reader, `baskets`, `frequentItemsets`).
 * 3. Borgelt's programs (paths from `CLIENTELE_ECLAT` and `CLIENTELE_FPGROWTH`; each is skipped with a message
 *    without its variable): the whole process, wall and user + system CPU with microsecond resolution and its own
 *    peak RSS (`wait4`, harness.ts `runProcess`), writing the itemsets to a file under the OS temporary directory; and
 *    from its verbose phase timings on stderr (its own CPU clock, 10 ms resolution) the **mining + writing** phases:
 *    every phase after reading the file (filtering and recoding the items, sorting and reducing the transactions,
 *    mining and writing the sets).
 * 4. Rounds (`--rounds`, 3): per case and target, round r runs clientele's mining call, clientele end to end, eclat
 *    and fpgrowth once each, in turn (interleaved; garbage collected before each clientele call, outside the timing);
 *    medians with min–max. Peak RSS of clientele end to end: one call in its own process (itemsets-native-child.ts).
 * 5. Equality: Borgelt's output with the count (`-v"\t%a"`, items joined by `|`) and clientele's table as sorted
 *    canonical keys (item names trimmed of blanks, as Borgelt's reader does, and sorted; count): the same itemsets with the same counts, or the report says how many
 *    differ.
 * 6. Threads (target 2 of the issue, mining on 2 threads ≥ 1.6× one): `frequentItemsets(b, { minSupport,
 *    parallel: 2, minRowsPerWorker })` against the one-thread call, interleaved, wall time (what threads shorten),
 *    CPU beside it; `--min-rows-per-worker` (default 1) so that the small files use threads too; the table must be
 *    the one-thread table row for row. Targets in `--parallel-targets` (default all).
 *
 * Targets (issue 17): the mining call within 1.5× of eclat's mining + writing phases (CPU), end to end within 2× of
 * the eclat process (CPU), 2 threads ≥ 1.6× one (wall).
 *
 * Run: `CLIENTELE_ECLAT=… CLIENTELE_FPGROWTH=… npx tsx --expose-gc benchmarks/itemsets-native.bench.ts [--cases
 * retail:0.0005,t10:0.001] [--targets all,closed] [--parallel-targets all] [--rounds 3] [--no-rss] [--lib dist]
 * [--no-write]`, or `npm run bench:native`. Writes the section "Frequent itemsets against Borgelt's eclat and
 * fpgrowth (issue 17)" of `benchmarks/RESULTS.md`.
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import type { Baskets } from '../src/index';
import {
  cliArgs,
  commandLine,
  inOwnProcess,
  loadAverage,
  markdownTable,
  mb,
  measured,
  median,
  msSpread,
  ratio,
  runLine,
  runProcess,
  sampleCell,
  verdict,
  writeResultsSection,
} from './harness';
import type { Sample } from './harness';
import { basketPath, builtLibrary, itemsetKeys, itemsetsOfFile, parseCases, sameKeys, trimmed } from './itemsets-data';
import type { BasketFile, Library, Target } from './itemsets-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SECTION = "Frequent itemsets against Borgelt's eclat and fpgrowth (issue 17)";
const args = cliArgs();
const CASES = parseCases(
  args.value('--cases') ?? 'retail:0.0005,t10:0.001,t10:0.0005,groceries:0.001,chess:0.6,mushroom:0.1',
);
const TARGETS = (args.value('--targets') ?? 'all,closed,maximal').split(',') as Target[];
const PARALLEL_TARGETS = (args.value('--parallel-targets') ?? 'all').split(',').filter(Boolean) as Target[];
const ROUNDS = Number(args.value('--rounds') ?? 3);
const MIN_ROWS_PER_WORKER = Number(args.value('--min-rows-per-worker') ?? 1);
const TARGET_MINING = 1.5;
const TARGET_E2E = 2;
const TARGET_THREADS = 1.6;
const PEERS = { eclat: process.env.CLIENTELE_ECLAT, fpgrowth: process.env.CLIENTELE_FPGROWTH };
type Peer = keyof typeof PEERS;
const BORGELT_TARGET: Record<Target, string> = { all: 's', closed: 'c', maximal: 'm' };
const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Borgelt's programs

interface NativeRun {
  sample: Sample;
  peakRss: number;
  /** CPU ms of the phases after reading the file (Borgelt's own timings). */
  miningCpu: number;
  transactions: number;
  sets: number;
}

/** Borgelt's verbose phases: `reading … [16470 item(s), 88162 transaction(s)] done [0.09s].` and the others. */
function phases(stderr: string): { afterReading: number; transactions: number; sets: number } {
  let afterReading = 0;
  let transactions = NaN;
  let sets = NaN;
  for (const line of stderr.split('\n')) {
    const done = /done \[([\d.]+)s\]/.exec(line);
    if (!done) continue;
    if (line.startsWith('reading')) transactions = Number(/(\d+) transaction\(s\)\]/.exec(line)?.[1]);
    else afterReading += Number(done[1]) * 1000;
    const written = /^writing .*\[(\d+) set\(s\)\]/.exec(line);
    if (written) sets = Number(written[1]);
  }
  return { afterReading, transactions, sets };
}

function runNative(
  peer: Peer,
  file: string,
  spec: BasketFile,
  minCount: number,
  target: Target,
  out: string,
): NativeRun {
  const fields = spec.delimiter === ',' ? ['-f,'] : [];
  const r = runProcess(PEERS[peer]!, [
    `-t${BORGELT_TARGET[target]}`,
    `-s-${minCount}`,
    ...fields,
    '-k|',
    '-v\t%a',
    file,
    out,
  ]);
  if (r.status !== 0) throw new Error(`${peer} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  const p = phases(r.stderr);
  return {
    sample: { wall: r.wall, cpu: r.cpu },
    peakRss: r.peakRss,
    miningCpu: p.afterReading,
    transactions: p.transactions,
    sets: p.sets,
  };
}

/** Borgelt's output file (`a|b|c<TAB>count` per line) as sorted canonical keys. */
function nativeKeys(out: string): string[] {
  const keys: string[] = [];
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line === '') continue;
    const tab = line.lastIndexOf('\t');
    keys.push(`${line.slice(0, tab).split('|').map(trimmed).sort().join('\u0001')}#${line.slice(tab + 1)}`);
  }
  return keys.sort();
}

/** `equal` or how the two sorted key lists differ. */
function compare(a: readonly string[], b: readonly string[]): string {
  if (sameKeys(a, b)) return 'equal';
  const other = new Set(b);
  const missing = a.filter((k) => !other.has(k)).length;
  return `**differ** (${a.length} vs ${b.length} sets; ${missing} of clientele's not in the peer's)`;
}

// ---------------------------------------------------------------------------------------------------------------
// one case and target

interface Outcome {
  label: string;
  target: Target;
  itemsets: number;
  equal: Partial<Record<Peer, string>>;
  mining: Sample[];
  e2e: Sample[];
  native: Partial<Record<Peer, NativeRun[]>>;
  childPeak: number | null | string;
}

interface CaseData {
  spec: BasketFile;
  support: number;
  file: string;
  b: Baskets;
  minCount: number;
}

async function runTarget(lib: Library, c: CaseData, target: Target): Promise<Outcome> {
  const label = `${c.spec.key} @ ${c.support}`;
  const options = { minSupport: c.support, target };
  const reference = lib.frequentItemsets(c.b, options);
  const keys = itemsetKeys(reference);
  const peers = (Object.keys(PEERS) as Peer[]).filter((p) => PEERS[p] !== undefined);
  const out = path.join(os.tmpdir(), `clientele-native-${process.pid}.txt`);
  const equal: Partial<Record<Peer, string>> = {};
  for (const p of peers) {
    const run = runNative(p, c.file, c.spec, c.minCount, target, out);
    if (run.transactions !== c.b.count)
      throw new Error(`${label}: ${p} read ${run.transactions} transactions, clientele ${c.b.count} baskets`);
    equal[p] = compare(keys, nativeKeys(out));
  }
  const native: Partial<Record<Peer, NativeRun[]>> = Object.fromEntries(peers.map((p) => [p, []]));
  const mining: Sample[] = [];
  const e2e: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    collect();
    mining.push((await measured(() => lib.frequentItemsets(c.b, options))).sample);
    collect();
    e2e.push((await measured(() => itemsetsOfFile(lib, c.file, c.spec, options))).sample);
    for (const p of peers) native[p]!.push(runNative(p, c.file, c.spec, c.minCount, target, out));
  }
  rmSync(out, { force: true });
  const childPeak = args.flag('--no-rss') ? null : ownProcessPeak(c, target);
  log(
    `${label} ${target}: ${reference.numRows} itemsets, ${JSON.stringify(equal)}, mining ${msSpread(mining.map((s) => s.cpu))} ms CPU`,
  );
  return { label, target, itemsets: reference.numRows, equal, mining, e2e, native, childPeak };
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

let libDir = '';
/** Peak RSS of one end-to-end call in its own process (itemsets-native-child.ts). */
function ownProcessPeak(c: CaseData, target: Target): number | null | string {
  const r = inOwnProcess<{ peakRss: number | null }>(path.join(HERE, 'itemsets-native-child.ts'), [
    libDir,
    c.spec.key,
    String(c.support),
    target,
  ]);
  return 'error' in r ? `failed: ${r.error.slice(0, 80)}` : r.peakRss;
}

// ---------------------------------------------------------------------------------------------------------------
// threads

interface ThreadsOutcome {
  label: string;
  target: Target;
  one: Sample[];
  two: Sample[];
  same: boolean;
}

async function runThreads(lib: Library, c: CaseData, target: Target): Promise<ThreadsOutcome> {
  const options = { minSupport: c.support, target };
  const reference = itemsetKeys(lib.frequentItemsets(c.b, options), true);
  const parallel = { ...options, parallel: 2, minRowsPerWorker: MIN_ROWS_PER_WORKER };
  let same = sameKeys(reference, itemsetKeys(await lib.frequentItemsets(c.b, parallel), true));
  const one: Sample[] = [];
  const two: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    collect();
    one.push((await measured(() => lib.frequentItemsets(c.b, options))).sample);
    collect();
    const t = await measured(() => lib.frequentItemsets(c.b, parallel));
    two.push(t.sample);
    if (r === 0) same = same && sameKeys(reference, itemsetKeys(t.value as Table, true));
  }
  return { label: `${c.spec.key} @ ${c.support}`, target, one, two, same };
}

// ---------------------------------------------------------------------------------------------------------------
// report

const cpuMedian = (s: readonly Sample[]) => median(s.map((x) => x.cpu));
const wallMedian = (s: readonly Sample[]) => median(s.map((x) => x.wall));
const nativeCell = (runs: NativeRun[] | undefined, pick: 'process' | 'mining') =>
  runs === undefined
    ? 'skipped'
    : pick === 'process'
      ? sampleCell(runs.map((r) => r.sample))
      : `CPU ${msSpread(runs.map((r) => r.miningCpu))}`;

function miningTable(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => {
    const eclatMining = o.native.eclat ? median(o.native.eclat.map((r) => r.miningCpu)) : undefined;
    const r = eclatMining === undefined ? undefined : cpuMedian(o.mining) / eclatMining;
    return [
      o.label,
      o.target,
      o.itemsets.toLocaleString('en-US'),
      `${o.equal.eclat ?? '—'} / ${o.equal.fpgrowth ?? '—'}`,
      sampleCell(o.mining),
      nativeCell(o.native.eclat, 'mining'),
      nativeCell(o.native.fpgrowth, 'mining'),
      ratio(cpuMedian(o.mining), eclatMining),
      ratio(cpuMedian(o.mining), o.native.fpgrowth ? median(o.native.fpgrowth.map((x) => x.miningCpu)) : undefined),
      verdict(r, TARGET_MINING),
    ];
  });
  return markdownTable(
    [
      'data @ support',
      'target',
      'itemsets',
      'same as eclat / fpgrowth',
      'clientele mining call (ms): wall · CPU',
      'eclat mining + writing (ms)',
      'fpgrowth mining + writing (ms)',
      'clientele / eclat (CPU)',
      'clientele / fpgrowth (CPU)',
      `≤ ${TARGET_MINING}× eclat`,
    ],
    rows,
  );
}

function e2eTable(outcomes: readonly Outcome[]): string {
  const peak = (o: Outcome) => (typeof o.childPeak === 'number' ? mb(o.childPeak) : (o.childPeak ?? 'not run'));
  const nativePeak = (runs: NativeRun[] | undefined) => (runs ? mb(Math.max(...runs.map((r) => r.peakRss))) : '—');
  const rows = outcomes.map((o) => {
    const eclat = o.native.eclat?.map((r) => r.sample);
    const r = eclat ? cpuMedian(o.e2e) / cpuMedian(eclat) : undefined;
    return [
      o.label,
      o.target,
      sampleCell(o.e2e),
      peak(o),
      nativeCell(o.native.eclat, 'process'),
      nativePeak(o.native.eclat),
      nativeCell(o.native.fpgrowth, 'process'),
      nativePeak(o.native.fpgrowth),
      ratio(cpuMedian(o.e2e), eclat && cpuMedian(eclat)),
      ratio(wallMedian(o.e2e), eclat && wallMedian(eclat)),
      verdict(r, TARGET_E2E),
    ];
  });
  return markdownTable(
    [
      'data @ support',
      'target',
      'clientele file → table (ms): wall · CPU',
      'peak RSS (own process)',
      'eclat process (ms): wall · CPU',
      'eclat peak RSS',
      'fpgrowth process (ms): wall · CPU',
      'fpgrowth peak RSS',
      'clientele / eclat (CPU)',
      'clientele / eclat (wall)',
      `≤ ${TARGET_E2E}× eclat (CPU)`,
    ],
    rows,
  );
}

function threadsTable(outcomes: readonly ThreadsOutcome[]): string {
  const rows = outcomes.map((o) => {
    const speedUp = wallMedian(o.one) / wallMedian(o.two);
    return [
      o.label,
      o.target,
      sampleCell(o.one),
      sampleCell(o.two),
      `${speedUp.toFixed(2)}×`,
      verdict(speedUp, TARGET_THREADS, true),
      o.same ? 'yes' : '**no**',
    ];
  });
  return markdownTable(
    [
      'data @ support',
      'target',
      'one thread (ms): wall · CPU',
      '`parallel: 2` (ms): wall · CPU',
      'speed-up (wall)',
      `≥ ${TARGET_THREADS}×`,
      'same rows, same order',
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------------------------

async function caseData(lib: Library, spec: BasketFile, support: number): Promise<CaseData> {
  const file = basketPath(spec);
  const b = lib.baskets(await lib.readTable(file, { format: 'basket', delimiter: spec.delimiter }));
  const probe = lib.frequentItemsets(b, { minSupport: support, maxLength: 1 });
  return { spec, support, file, b, minCount: Number(probe.schema.metadata.get('clientele.minCount')) };
}

async function main(): Promise<void> {
  const missing = (Object.keys(PEERS) as Peer[]).filter((p) => PEERS[p] === undefined);
  for (const p of missing)
    log(`itemsets-native: ${p} skipped: set CLIENTELE_${p.toUpperCase()} to the path of Borgelt's ${p} to compare`);
  const { lib, dir } = await builtLibrary('bench:native', args.value('--lib'));
  libDir = dir;
  const started = new Date().toISOString();
  const loadAtStart = loadAverage();
  const outcomes: Outcome[] = [];
  const threads: ThreadsOutcome[] = [];
  for (const { spec, support } of CASES) {
    const c = await caseData(lib, spec, support);
    for (const target of TARGETS) outcomes.push(await runTarget(lib, c, target));
    for (const target of PARALLEL_TARGETS) threads.push(await runThreads(lib, c, target));
  }
  const body = [
    runLine({ started, command: commandLine(), loadAtStart }),
    '',
    `clientele from the built package (${path.relative(process.cwd(), dir) || dir}); Borgelt's eclat ${PEERS.eclat ? `\`${PEERS.eclat}\`` : '(skipped)'} and fpgrowth ${PEERS.fpgrowth ? `\`${PEERS.fpgrowth}\`` : '(skipped)'}, ` +
      `each mining with clientele's minCount (\`-s-<minCount>\`). ${ROUNDS} interleaved rounds per case and target. ` +
      "Borgelt's mining + writing time is the sum of its own phase timings after reading (CPU clock, 10 ms resolution); " +
      'its process times and peak RSS come from `wait4`. Peak RSS of clientele: one end-to-end call in its own Node process (VmHWM, includes the runtime, ~50 MB).',
    '',
    '**Mining call** (baskets built before the clock starts; the call builds the Arrow table):',
    '',
    miningTable(outcomes),
    '',
    '**End to end**, file → itemsets (clientele: `readBaskets(file)`, `frequentItemsets`; Borgelt: the whole process, itemsets written to a file):',
    '',
    e2eTable(outcomes),
    '',
    `**Threads**: \`parallel: 2\` against one thread (\`minRowsPerWorker: ${MIN_ROWS_PER_WORKER}\`; the call includes starting or borrowing its threads):`,
    '',
    threadsTable(threads),
  ].join('\n');
  console.log(body);
  if (!args.flag('--no-write')) writeResultsSection(path.join(HERE, 'RESULTS.md'), SECTION, body);
  // worker threads of a pool may keep the event loop alive
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
