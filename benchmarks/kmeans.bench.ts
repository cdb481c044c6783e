/**
 * k-means benchmark (issue 5): `kmeans` on 1M points of 3 and 8 features, k = 8, against ml-kmeans (same process)
 * and scikit-learn (a Python child reading the same points from a temporary file), run from this one script.
 *
 * 1. Data: `gaussianBlobs(n, d)` (`kmeans-data.ts`): 8 seeded centres N(0, 3²) per dimension, unit noise, then
 *    z-scored (divisor n). clientele therefore runs with `standardize: 'none'` and every library clusters the same
 *    numbers.
 * 2. clientele: `kmeans(columns, { columns, k: 8, seed: 1, nInit, standardize: 'none' })` on an object of
 *    `Float64Array` columns; one warm-up call (nInit 10) on 10k rows of other blobs, then the median of 3 for
 *    nInit 1, and for nInit 10 the median of 3 when 3 runs fit in {@link REPEAT_BUDGET_S} (estimated as
 *    3 × 10 × the nInit 1 median), else one run. Garbage is collected before every timed call (with
 *    `--expose-gc`). Where its time goes: the parts `kmeans` calls (`featureMatrix`, `meanVariance`,
 *    `kmeansPlusPlus`, `hamerlyKMeans`), called one by one with the seeds `kmeans` draws, median of 3.
 * 3. scikit-learn 1.2 (Debian's `python3-sklearn`, so Debian's `/usr/bin/python3`, not the `python3` first on PATH):
 *    `kmeans_sklearn.py` times `KMeans(n_clusters=8, n_init=N, random_state=0).fit(X)` for N = 1 (median of 3) and
 *    N = 10 (the same repeat rule), after a warm-up fit on 10k rows, and `kmeans_plusplus` alone; run twice, with
 *    the default threads (OpenMP on every core) and with `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1` (one thread,
 *    like clientele).
 * 4. ml-kmeans 7: `kmeansGenerator(rows, 8, { initialization: 'kmeans++', maxIterations: 300, tolerance: 1e-4,
 *    seed: 1 })` once, on the rows as `number[][]` (built before the clock starts); stopped after the iteration
 *    that crosses `--ml-budget` seconds, which the report then says. Its inertia is computed afterwards.
 *
 * Targets (issue 5): clientele at least 20× faster than ml-kmeans and no slower than scikit-learn.
 *
 * Run: `npx tsx --expose-gc benchmarks/kmeans.bench.ts [--sizes 1e6] [--dims 3,8] [--ml-budget 120] [--no-sklearn]
 * [--no-ml-kmeans] [--no-write]`. Writes the section "k-means segmentation (issue 5)" of `benchmarks/RESULTS.md`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeansGenerator } from 'ml-kmeans';
import { kmeans } from '../src/index';
import type { Segmentation } from '../src/index';
import { meanVariance } from '../src/segment/internal';
import { featureMatrix } from '../src/segment/internal';
import { hamerlyKMeans } from '../src/segment/internal';
import { kmeansPlusPlus } from '../src/segment/internal';
import { randomSource } from '../src/math/internal';
import { asTable } from '../src/index';
import {
  collectGarbage,
  cpuMs,
  loadLine,
  machine,
  markdownTable,
  median,
  ms,
  timed,
  writeResultsSection,
} from './harness';
import {
  BLOB_CENTRES,
  BLOB_SEED,
  CENTRE_SD,
  WARMUP_SEED,
  gaussianBlobs,
  rowArrays,
  writeRowMajor,
} from './kmeans-data';
import type { Blobs } from './kmeans-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
const SKLEARN_SCRIPT = path.join(HERE, 'kmeans_sklearn.py');
const SECTION = 'k-means segmentation (issue 5)';
/** Debian's interpreter, the one with python3-sklearn; the `python3` on PATH here is a pyenv build without it. */
const PYTHON = '/usr/bin/python3';
const K = 8;
const SEED = 1;
const RUNS = 3;
const WARMUP_ROWS = 10_000;
/** nInit 10 is repeated RUNS times when RUNS × 10 × (nInit 1 median) stays within this many seconds. */
const REPEAT_BUDGET_S = 60;
/** ml-kmeans: scikit-learn's and clientele's iteration limit; its tolerance is a squared shift per centre. */
const ML_OPTIONS = { initialization: 'kmeans++' as const, maxIterations: 300, tolerance: 1e-4, seed: SEED };
/** Issue 5's targets. */
const TARGET_ML = 20;
const TARGET_SKLEARN = 1;

const log = (message: string) => process.stderr.write(`${message}\n`);
const human = (n: number) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
const x2 = (v: number) => `${v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
const sig = (v: number, digits = 7) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v));
const runsText = (runs: readonly number[]) =>
  runs.length > 1 ? `median of ${runs.length}: ${runs.map(ms).join(', ')}` : 'one run';

// ---------------------------------------------------------------------------------------------------------------
// clientele

interface ClienteleSetting {
  nInit: number;
  runs: number[];
  /** CPU ms of each run (user + system of the process). */
  cpu: number[];
  median: number;
  result: Segmentation;
}

function clusterClientele(blobs: Blobs, nInit: number): Segmentation {
  return kmeans(blobs.columns, { columns: blobs.names, k: K, seed: SEED, nInit, standardize: 'none' });
}

function timeClientele(blobs: Blobs, nInit: number, runs: number): ClienteleSetting {
  const times: number[] = [];
  const cpu: number[] = [];
  let result: Segmentation | null = null;
  for (let r = 0; r < runs; r++) {
    collectGarbage();
    const c0 = cpuMs();
    const t0 = performance.now();
    result = clusterClientele(blobs, nInit);
    times.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { nInit, runs: times, cpu, median: median(times), result: result! };
}

interface Breakdown {
  /** `featureMatrix`: read the columns, check every value, copy them row-major. */
  featuresMs: number;
  /** `meanVariance`: the mean feature variance that scales the tolerance. */
  varianceMs: number;
  /** `kmeansPlusPlus`: the greedy k-means++ seeding. */
  seedingMs: number;
  /** `hamerlyKMeans`: Lloyd's iterations with Hamerly's bounds, the final assignment and the inertia. */
  lloydMs: number;
  iterations: number;
  /** |inertia of this instrumented run / inertia of `kmeans` nInit 1 − 1|: 0 when it is the same computation. */
  sameAsKmeans: number;
}

/** The parts of one `kmeans` run (nInit 1) timed one by one, each the median of RUNS, with the seeds `kmeans` draws. */
function breakdown(blobs: Blobs, reference: Segmentation): Breakdown {
  const parts = {
    featuresMs: [] as number[],
    varianceMs: [] as number[],
    seedingMs: [] as number[],
    lloydMs: [] as number[],
  };
  let iterations = 0;
  let inertia = NaN;
  for (let r = 0; r < RUNS; r++) {
    collectGarbage();
    const table = asTable(blobs.columns);
    let t0 = performance.now();
    const features = featureMatrix(table, blobs.names, 'none', 'kmeans');
    parts.featuresMs.push(performance.now() - t0);
    t0 = performance.now();
    const tolerance = 1e-4 * meanVariance(features);
    parts.varianceMs.push(performance.now() - t0);
    const rng = randomSource(randomSource(SEED).uint32()); // bestOfRuns: a master source, then one source per run
    t0 = performance.now();
    const seeding = kmeansPlusPlus(features.data, features.n, features.d, K, rng);
    parts.seedingMs.push(performance.now() - t0);
    t0 = performance.now();
    const run = hamerlyKMeans(
      features.data,
      features.n,
      features.d,
      seeding.centers,
      K,
      300,
      tolerance,
      false,
      seeding,
    );
    parts.lloydMs.push(performance.now() - t0);
    iterations = run.iterations;
    inertia = run.inertia;
  }
  return {
    featuresMs: median(parts.featuresMs),
    varianceMs: median(parts.varianceMs),
    seedingMs: median(parts.seedingMs),
    lloydMs: median(parts.lloydMs),
    iterations,
    sameAsKmeans: Math.abs(inertia / reference.inertia - 1),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// scikit-learn

interface SklearnSetting {
  ms: number[];
  /** CPU ms of each fit (`time.process_time`: the process, all threads). */
  cpu?: number[];
  median: number;
  inertia: number;
  iterations: number;
  sizes: number[];
}

interface SklearnResult {
  n: number;
  d: number;
  settings: { '1': SklearnSetting; '10': SklearnSetting };
  seedingMs: number[];
  python: string;
  executable: string;
  numpy: string;
  sklearn: string;
  threads: {
    env: Record<string, string | null>;
    threadpools:
      { user_api: string; internal_api: string; prefix: string; version: string | null; num_threads: number }[] | null;
    openmpThreads: number | null;
  };
}

type ThreadSetting = 'default' | 'single';
const THREAD_LABEL: Record<ThreadSetting, string> = { default: 'default threads', single: '1 thread' };

/** The child's environment: the thread variables removed (default) or set to one thread. */
function pythonEnv(threads: ThreadSetting): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const v of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) delete env[v];
  if (threads === 'single') Object.assign(env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' });
  return env;
}

/** Why the scikit-learn peer cannot run here, or null when Debian's python3 imports it. */
function sklearnUnavailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} could not be started (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import scikit-learn: ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

function runSklearn(file: string, blobs: Blobs, threads: ThreadSetting): SklearnResult {
  const child = spawnSync(
    PYTHON,
    [SKLEARN_SCRIPT, file, String(blobs.n), String(blobs.d), String(RUNS), String(REPEAT_BUDGET_S)],
    {
      encoding: 'utf8',
      env: pythonEnv(threads),
      maxBuffer: 1 << 20,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`kmeans_sklearn.py (${threads}) failed (status ${child.status}): ${child.stderr.slice(-2000)}`);
  }
  return JSON.parse(line) as SklearnResult;
}

// ---------------------------------------------------------------------------------------------------------------
// ml-kmeans

interface MlResult {
  /** Wall clock from the call to the last iteration used (seeding included). */
  ms: number;
  /** Until the first iteration's result: the k-means++ seeding plus one iteration. */
  firstMs: number;
  /** Median wall clock of the iterations after the first. */
  iterationMs: number;
  iterations: number;
  status: 'converged' | 'maxIterations' | 'budget';
  inertia: number;
  /** Rows as `number[][]`: built before the clock started. */
  convertMs: number;
}

/** ml-kmeans once, through its generator so that a run over the budget can be stopped between iterations. */
function runMlKmeans(blobs: Blobs, budgetMs: number): MlResult {
  const convert = performance.now();
  const rows = rowArrays(blobs);
  const convertMs = performance.now() - convert;
  collectGarbage();
  const t0 = performance.now();
  let last = t0;
  let firstMs = NaN;
  const iterationTimes: number[] = [];
  let iterations = 0;
  let status: MlResult['status'] = 'maxIterations';
  let result: { clusters: number[]; centroids: number[][]; converged: boolean } | null = null;
  for (const step of kmeansGenerator(rows, K, ML_OPTIONS)) {
    const now = performance.now();
    if (iterations === 0) firstMs = now - t0;
    else iterationTimes.push(now - last);
    last = now;
    iterations++;
    result = step;
    if (step.converged) {
      status = 'converged';
      break;
    }
    if (now - t0 > budgetMs) {
      status = 'budget';
      break;
    }
  }
  const total = last - t0;
  // inertia of the last labels to the last centroids (their means), outside the timing
  const { n, d, rowMajor } = blobs;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = result!.centroids[result!.clusters[i]];
    for (let t = 0; t < d; t++) {
      const e = rowMajor[i * d + t] - c[t];
      inertia += e * e;
    }
  }
  return {
    ms: total,
    firstMs,
    iterationMs: iterationTimes.length ? median(iterationTimes) : NaN,
    iterations,
    status,
    inertia,
    convertMs,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// main

interface CaseResult {
  n: number;
  d: number;
  dataMs: number;
  clientele: { one: ClienteleSetting; ten: ClienteleSetting };
  breakdown: Breakdown;
  sklearn: Record<ThreadSetting, SklearnResult> | null;
  ml: MlResult | null;
}

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (flag: string, fallback: string) =>
    (value(flag) ?? fallback).split(',').map((s) => Math.round(Number(s)));
  const sizes = list('--sizes', '1e6');
  if (sizes.some((s) => !Number.isFinite(s) || s < 1000 || s > 20_000_000))
    throw new Error(`--sizes: expected row counts such as 1e6 (found ${value('--sizes')})`);
  const dims = list('--dims', '3,8');
  if (dims.some((d) => !Number.isFinite(d) || d < 1 || d > 64))
    throw new Error(`--dims: expected feature counts such as 3,8 (found ${value('--dims')})`);
  const mlBudget = Number(value('--ml-budget') ?? '120');
  if (!(mlBudget > 0)) throw new Error(`--ml-budget: expected seconds > 0 (found ${value('--ml-budget')})`);
  return {
    sizes,
    dims,
    mlBudget,
    sklearn: !argv.includes('--no-sklearn'),
    ml: !argv.includes('--no-ml-kmeans'),
    write: !argv.includes('--no-write'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const gcExposed = collectGarbage();
  if (!gcExposed) log('note: run with --expose-gc so that garbage is collected between runs');
  const sklearnMissing = args.sklearn ? sklearnUnavailable() : 'not run (--no-sklearn)';
  if (sklearnMissing) log(`scikit-learn peer: ${sklearnMissing}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-kmeans-'));
  const results: CaseResult[] = [];
  try {
    for (const d of args.dims) {
      const warm = gaussianBlobs(WARMUP_ROWS, d, WARMUP_SEED);
      clusterClientele(warm, 10); // compile the hot loops (and the seeding kernel for this d)
      for (const n of args.sizes) {
        log(`${human(n)} × ${d}: data …`);
        const data = await timed(() => gaussianBlobs(n, d));
        const blobs = data.value;

        log(`${human(n)} × ${d}: clientele nInit 1 …`);
        const one = timeClientele(blobs, 1, RUNS);
        log(
          `  ${one.runs.map(ms).join(', ')} ms, inertia ${sig(one.result.inertia)}, ${one.result.iterations} iterations`,
        );
        const tenRuns = RUNS * 10 * one.median <= REPEAT_BUDGET_S * 1000 ? RUNS : 1;
        log(`${human(n)} × ${d}: clientele nInit 10 (${tenRuns} run${tenRuns > 1 ? 's' : ''}) …`);
        const ten = timeClientele(blobs, 10, tenRuns);
        log(
          `  ${ten.runs.map(ms).join(', ')} ms, inertia ${sig(ten.result.inertia)}, ${ten.result.iterations} iterations`,
        );
        log(`${human(n)} × ${d}: clientele breakdown …`);
        const parts = breakdown(blobs, one.result);
        log(
          `  features ${ms(parts.featuresMs)}, variance ${ms(parts.varianceMs)}, seeding ${ms(parts.seedingMs)}, Lloyd ${ms(parts.lloydMs)} ms`,
        );

        let sklearn: Record<ThreadSetting, SklearnResult> | null = null;
        if (!sklearnMissing) {
          const file = path.join(dir, `blobs-${n}x${d}.f64`);
          writeRowMajor(file, blobs);
          try {
            sklearn = {} as Record<ThreadSetting, SklearnResult>;
            for (const threads of ['default', 'single'] as const) {
              log(`${human(n)} × ${d}: scikit-learn, ${THREAD_LABEL[threads]} …`);
              const s = runSklearn(file, blobs, threads);
              sklearn[threads] = s;
              log(
                `  n_init 1: ${s.settings['1'].ms.map(ms).join(', ')} ms; n_init 10: ${s.settings['10'].ms.map(ms).join(', ')} ms`,
              );
            }
          } finally {
            rmSync(file, { force: true });
          }
        }

        let ml: MlResult | null = null;
        if (args.ml) {
          log(`${human(n)} × ${d}: ml-kmeans (budget ${args.mlBudget} s) …`);
          ml = runMlKmeans(blobs, args.mlBudget * 1000);
          log(`  ${ms(ml.ms)} ms, ${ml.iterations} iterations, ${ml.status}`);
        }
        results.push({ n, d, dataMs: data.ms, clientele: { one, ten }, breakdown: parts, sklearn, ml });
        collectGarbage();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const body = report({
    results,
    started,
    gcExposed,
    sklearnMissing,
    mlRun: args.ml,
    mlBudget: args.mlBudget,
    args: process.argv.slice(2),
  });
  process.stdout.write(`${body}\n`);
  if (args.write) {
    writeResultsSection(RESULTS, SECTION, body);
    log(`wrote section "${SECTION}" of ${path.relative(process.cwd(), RESULTS)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// report

function report(o: {
  results: CaseResult[];
  started: Date;
  gcExposed: boolean;
  sklearnMissing: string | null;
  mlRun: boolean;
  mlBudget: number;
  args: string[];
}): string {
  const command = `npx tsx ${o.gcExposed ? '--expose-gc ' : ''}benchmarks/kmeans.bench.ts${o.args.length ? ` ${o.args.join(' ')}` : ''}`;
  const label = (c: CaseResult) => `${human(c.n)} × ${c.d}`;
  const sk = o.results.find((c) => c.sklearn)?.sklearn ?? null;
  const pools = (s: SklearnResult) =>
    s.threads.threadpools === null
      ? 'threadpoolctl not installed'
      : s.threads.threadpools
          .map((p) => `${p.internal_api} (${p.prefix}) ${p.num_threads} thread${p.num_threads > 1 ? 's' : ''}`)
          .join(', ') || 'no thread pool loaded';
  const mlText = (m: MlResult | null) =>
    m === null
      ? 'not run'
      : `${ms(m.ms)}${m.status === 'budget' ? ` (stopped: over the ${o.mlBudget} s budget after ${m.iterations} iterations)` : ''}`;

  const times = markdownTable(
    [
      'points × features',
      'clientele nInit 1 ms',
      'clientele nInit 10 ms',
      `scikit-learn n_init=1 ms (${THREAD_LABEL.default})`,
      `scikit-learn n_init=10 ms (${THREAD_LABEL.default})`,
      `scikit-learn n_init=1 ms (${THREAD_LABEL.single})`,
      `scikit-learn n_init=10 ms (${THREAD_LABEL.single})`,
      'ml-kmeans ms (one run)',
    ],
    o.results.map((c) => {
      const s = (t: ThreadSetting, i: '1' | '10') => {
        if (!c.sklearn) return 'not run';
        const v = c.sklearn[t].settings[i];
        return `${ms(v.median)} (${runsText(v.ms)})${v.cpu ? ` · CPU ${ms(median(v.cpu))}` : ''}`;
      };
      return [
        label(c),
        `${ms(c.clientele.one.median)} (${runsText(c.clientele.one.runs)}) · CPU ${ms(median(c.clientele.one.cpu))}`,
        `${ms(c.clientele.ten.median)} (${runsText(c.clientele.ten.runs)}) · CPU ${ms(median(c.clientele.ten.cpu))}`,
        s('default', '1'),
        s('default', '10'),
        s('single', '1'),
        s('single', '10'),
        mlText(c.ml),
      ];
    }),
  );

  const verdict = (ratio: number, target: number) => `${x2(ratio)} (${ratio <= target ? 'met' : 'missed'})`;
  const ratios = markdownTable(
    [
      'points × features',
      `clientele / scikit-learn, nInit 1 (${THREAD_LABEL.default})`,
      `clientele / scikit-learn, nInit 10 (${THREAD_LABEL.default})`,
      `clientele / scikit-learn, nInit 1 (${THREAD_LABEL.single})`,
      `clientele / scikit-learn, nInit 10 (${THREAD_LABEL.single})`,
      'ml-kmeans / clientele nInit 1',
    ],
    o.results.map((c) => {
      const s = (t: ThreadSetting, i: '1' | '10', mine: number) =>
        c.sklearn ? verdict(mine / c.sklearn[t].settings[i].median, TARGET_SKLEARN) : 'not run';
      const ml =
        c.ml === null
          ? 'not run'
          : `${x2(c.ml.ms / c.clientele.one.median)}${c.ml.status === 'budget' ? ' or more (budget)' : ''} (${c.ml.ms / c.clientele.one.median >= TARGET_ML ? 'met' : 'missed'})`;
      return [
        label(c),
        s('default', '1', c.clientele.one.median),
        s('default', '10', c.clientele.ten.median),
        s('single', '1', c.clientele.one.median),
        s('single', '10', c.clientele.ten.median),
        ml,
      ];
    }),
  );

  const quality = markdownTable(
    [
      'points × features',
      'setting',
      'clientele inertia (iterations)',
      'scikit-learn inertia (n_iter_)',
      'clientele / scikit-learn inertia',
      'ml-kmeans inertia (iterations)',
      'clientele sizes',
      'scikit-learn sizes',
    ],
    o.results.flatMap((c) =>
      (['1', '10'] as const).map((i) => {
        const mine = i === '1' ? c.clientele.one.result : c.clientele.ten.result;
        const theirs = c.sklearn?.default.settings[i] ?? null;
        const sizes = Array.from(mine.sizes).sort((a, b) => b - a);
        return [
          label(c),
          `nInit ${i}`,
          `${sig(mine.inertia, 9)} (${mine.iterations})`,
          theirs ? `${sig(theirs.inertia, 9)} (${theirs.iterations})` : 'not run',
          theirs ? (mine.inertia / theirs.inertia).toFixed(6) : '—',
          i === '1' && c.ml
            ? `${sig(c.ml.inertia, 9)} (${c.ml.iterations}${c.ml.status === 'converged' ? '' : `, ${c.ml.status}`})`
            : '—',
          sizes.join(', '),
          theirs ? theirs.sizes.join(', ') : '—',
        ];
      }),
    ),
  );

  const spread = o.results.map((c) => {
    const runs = c.clientele.ten.result.runs;
    return `${label(c)}: ${runs.map((r) => sig(r, 7)).join(', ')}`;
  });

  const parts = markdownTable(
    [
      'points × features',
      '`kmeans` nInit 1 ms',
      'features (`featureMatrix`) ms',
      'tolerance scale (`meanVariance`) ms',
      'seeding (`kmeansPlusPlus`) ms',
      'Lloyd + Hamerly (`hamerlyKMeans`) ms',
      'iterations',
      'ms per iteration (Lloyd part / iterations)',
      'scikit-learn `kmeans_plusplus` ms (default threads / 1 thread)',
    ],
    o.results.map((c) => {
      const b = c.breakdown;
      return [
        label(c),
        ms(c.clientele.one.median),
        ms(b.featuresMs),
        ms(b.varianceMs),
        ms(b.seedingMs),
        ms(b.lloydMs),
        String(b.iterations),
        (b.lloydMs / b.iterations).toFixed(1),
        c.sklearn
          ? `${ms(median(c.sklearn.default.seedingMs))} / ${ms(median(c.sklearn.single.seedingMs))}`
          : 'not run',
      ];
    }),
  );

  const mlDetail = o.results
    .filter((c) => c.ml)
    .map((c) => {
      const m = c.ml!;
      return `${label(c)}: seeding + first iteration ${ms(m.firstMs)} ms, then ${m.iterationMs.toFixed(0)} ms per iteration (clientele: ${(c.breakdown.lloydMs / c.breakdown.iterations).toFixed(1)}), ${m.iterations} iterations, ${m.status === 'converged' ? 'converged' : m.status === 'budget' ? 'stopped on the budget' : 'stopped on maxIterations'}; rows to \`number[][]\` ${ms(m.convertMs)} ms, not timed`;
    });

  const lines = [
    `Command: \`${command}\` (from the repository root)  `,
    `Date: ${o.started.toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}  `,
    `${loadLine()} Each time cell: wall ms, median (runs) · CPU ms (user + system of the process, all threads), median.  `,
    'clientele and ml-kmeans run on one thread; scikit-learn is run twice, with its default threads and with one.',
    '',
    `Data (\`benchmarks/kmeans-data.ts\`): ${BLOB_CENTRES} centres drawn N(0, ${CENTRE_SD}²) in every dimension, each row a uniformly ` +
      `drawn centre plus N(0, 1) noise per dimension (\`randomSource(${BLOB_SEED})\`), then every column z-scored with the divisor n; ` +
      `the same numbers go to every library (the columns as \`Float64Array\`s to clientele, row-major float64 through a temporary ` +
      `file to scikit-learn, \`number[][]\` to ml-kmeans). k = ${K} everywhere. Generating the data: ` +
      `${o.results.map((c) => `${label(c)} ${ms(c.dataMs)} ms`).join(', ')}.`,
    '',
    `- **clientele**: \`kmeans(columns, { columns, k: ${K}, seed: ${SEED}, nInit, standardize: 'none' })\` (defaults otherwise: ` +
      'greedy k-means++, maxIterations 300, tolerance 1e-4 relative to the mean feature variance, as scikit-learn); one warm-up ' +
      `call (nInit 10) on ${human(WARMUP_ROWS)} rows of other blobs per feature count, then the median of ${RUNS} for nInit 1; nInit 10 ` +
      `is also the median of ${RUNS} when ${RUNS} × 10 × the nInit 1 median fits in ${REPEAT_BUDGET_S} s, else one run (the table says ` +
      'which). Garbage collected before every timed call. The time includes reading and copying the columns.',
    sk
      ? `- **scikit-learn** ${sk.default.sklearn} (numpy ${sk.default.numpy}, Python ${sk.default.python}, Debian's \`python3-sklearn\` ` +
        `run by \`${sk.default.executable}\`): \`benchmarks/kmeans_sklearn.py\` times \`KMeans(n_clusters=${K}, n_init=N, random_state=0).fit(X)\` ` +
        `with \`time.perf_counter\` in the child (reading the file not timed), after a warm-up fit on ${human(WARMUP_ROWS)} rows; N = 1 the median ` +
        `of ${RUNS}, N = 10 by the same rule as clientele. Defaults otherwise (algorithm 'lloyd', max_iter 300, tol 1e-4). ` +
        `Default threads: ${pools(sk.default)}, effective OpenMP threads ${sk.default.threads.openmpThreads}; ` +
        `with \`OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1\`: ${pools(sk.single)}, effective OpenMP threads ${sk.single.threads.openmpThreads}. ` +
        'numpy here uses the reference BLAS (no threaded BLAS is loaded), so the OpenMP pool is the only parallelism.'
      : `- **scikit-learn**: ${o.sklearnMissing ?? 'no result'}.`,
    o.mlRun
      ? `- **ml-kmeans** 7.0.1 (\`kmeansGenerator\`, the iterations of \`kmeans\` one by one, so that a run can be stopped on the ` +
        `budget of ${o.mlBudget} s): \`{ initialization: 'kmeans++', maxIterations: ${ML_OPTIONS.maxIterations}, tolerance: ${ML_OPTIONS.tolerance}, seed: ${SEED} }\`, ` +
        "one run on the rows as `number[][]` built before the clock starts. Its tolerance bounds every centre's squared shift " +
        "(here the data have mean variance 1, so it is at most k times looser than the others' total-shift rule). Its inertia is " +
        'the squared distances of its last labels to its last centroids, computed after the timing.'
      : '- **ml-kmeans**: not run (`--no-ml-kmeans`).',
    '',
    '**Times** (ms):',
    '',
    times,
    '',
    `**Ratios** (issue 5's targets: clientele ≤ ${TARGET_SKLEARN}× scikit-learn, ml-kmeans ≥ ${TARGET_ML}× clientele; the ml-kmeans ` +
      'ratio compares one seeding and one Lloyd run each, i.e. clientele nInit 1):',
    '',
    ratios,
    '',
    '**Quality**: inertia (sum of squared distances to the centroids, in the z-scored units) of the kept run and its iterations; ' +
      "the cluster sizes, largest first. scikit-learn's figures are those of the default-thread run" +
      (o.results.every((c) => !c.sklearn)
        ? '.'
        : ` (its one-thread run gives the same inertia to ${o.results
            .filter((c) => c.sklearn)
            .map((c) =>
              Math.max(
                ...(['1', '10'] as const).map((i) =>
                  Math.abs(c.sklearn!.single.settings[i].inertia / c.sklearn!.default.settings[i].inertia - 1),
                ),
              ),
            )
            .reduce((a, b) => Math.max(a, b), 0)
            .toExponential(1)} relative, and the same n_iter_).`),
    '',
    quality,
    '',
    `The inertias of clientele's 10 runs (nInit 10), in run order — the blobs overlap, so runs end in different local optima: ${spread.join('; ')}.`,
    '',
    "**Where clientele's time goes** (nInit 1: the functions `kmeans` calls, one by one, with the same seed; median of " +
      `${RUNS} each; the instrumented run's inertia equals \`kmeans\`'s ${o.results.every((c) => c.breakdown.sameAsKmeans === 0) ? 'exactly' : `to ${o.results.map((c) => c.breakdown.sameAsKmeans.toExponential(0)).join(', ')} (relative)`}), ` +
      "with scikit-learn's seeding alone (`sklearn.cluster.kmeans_plusplus`, median of 3) beside it:",
    '',
    parts,
  ];
  if (mlDetail.length) lines.push('', `**ml-kmeans**: ${mlDetail.join('; ')}.`);
  return lines.join('\n');
}

await main();
