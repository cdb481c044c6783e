/**
 * CLV model fitting benchmark (issue 3): `fitBgNbd` and `fitGammaGamma` on 100k and 1M generated customers, the
 * recovery of the generating parameters, memory, and a scipy peer for the BG/NBD fit.
 *
 * 1. Data: `sampleStore({ customers, seed: 42 })` (about 5 transactions per customer) then
 *    `summaryFromTransactions(…, { unit: 'day' })`, both timed once. The summary columns are also written to a
 *    temporary file for the child processes.
 * 2. Memory: each fit in a fresh child process per size and model (the summary's four float64 columns read from
 *    the file into a zero-copy Arrow table, a warm-up fit on its first 10k rows, GC): the peak RSS of the call above
 *    the RSS before it (Linux `VmHWM` reset just before the call) and `maxRSS`, as in `rfm.bench.ts`.
 * 3. Speed: each fit warmed up on a small summary (10k customers of another seed), then the median of 3 on the
 *    summary of `summaryFromTransactions` itself. For BG/NBD, where the time goes: reading and compressing the rows to
 *    distinct (x, t_x, T) patterns, the number of likelihood evaluations and the cost of one.
 * 4. Peer: the same distinct patterns with weights go to `bgnbd_scipy.py` (a child process, through a temporary
 *    file): FHL (2005) eq. 6 written with numpy, minimised by scipy's Nelder–Mead with clientele's parametrisation,
 *    start, initial simplex and tolerances; only the minimisation is timed, inside Python. Parameters compared.
 * 5. Recovery: the estimates ± standard errors against `truth`, on the sampleStore summaries (day resolution) and on
 *    summaries simulated straight from the models in continuous time (`clv-data.ts`, `--recovery-size`, one fit).
 *
 * 6. Repeat-buying fits side by side (issue 18): `fitBgNbd`, `fitParetoNbd` and `fitMbgNbd` (`REPEAT_FITS`) in
 *    interleaved rounds on the same summaries, and `paretonbd_scipy.py` (the ₂F₁ likelihood with scipy's hyp2f1,
 *    scipy's Nelder–Mead) as the Pareto/NBD peer; `--only-repeat` runs this part alone.
 *
 * Run: `npx tsx --expose-gc benchmarks/clv.bench.ts [--sizes 1e5,1e6] [--recovery-size 1e6] [--no-scipy] [--no-write]
 * [--only-repeat]`. Writes the sections "CLV model fitting (issue 3)" and "Repeat-buying fits at 1M customers: BG/NBD,
 * MBG/NBD and Pareto/NBD (issue 18)" of `benchmarks/RESULTS.md` (other sections are kept).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { fitBgNbd, fitGammaGamma, fitMbgNbd, fitParetoNbd } from '../src/index';
import type { BgNbdModel, FittedModel, GammaGammaModel, SampleStoreTruth } from '../src/index';
import { bgNbdLogLikelihood, fitHistories, maximise, timeScale } from '../src/clv/internal';
import {
  arrowBytes,
  collectGarbage,
  machine,
  markdownTable,
  mb,
  median,
  medianOf,
  memorySnapshot,
  ms,
  peakRssSinceReset,
  resetPeakRss,
  timed,
  writeResultsSection,
} from './harness';
import {
  COLUMN_NAMES,
  SIMULATION_SEED,
  STORE_SEED,
  headColumns,
  readColumns,
  simulateSummary,
  storeSummary,
  summaryTable,
  writeColumns,
} from './clv-data';
import type { StoreSummary, SummaryColumns } from './clv-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
const SCIPY_SCRIPT = path.join(HERE, 'bgnbd_scipy.py');
const PARETO_SCIPY_SCRIPT = path.join(HERE, 'paretonbd_scipy.py');
const SECTION = 'CLV model fitting (issue 3)';
const REPEAT_SECTION = 'Repeat-buying fits at 1M customers: BG/NBD, MBG/NBD and Pareto/NBD (issue 18)';
const RUNS = 3;
const WARMUP_CUSTOMERS = 10_000;
/** Issue 3's target for 1M customers. */
const TARGET_MS = 2000;
/** scipy runs per size: 3 up to this many customers, 1 above (a 1M-customer scipy fit takes some 30 s). */
const SCIPY_REPEAT_LIMIT = 100_000;

type ModelName = 'bgNbd' | 'gammaGamma';
const MODELS: readonly ModelName[] = ['bgNbd', 'gammaGamma'];
const LABEL: Record<ModelName, string> = { bgNbd: '`fitBgNbd`', gammaGamma: '`fitGammaGamma`' };

const fit = (model: ModelName, table: unknown): BgNbdModel | GammaGammaModel =>
  model === 'bgNbd' ? fitBgNbd(table) : fitGammaGamma(table);

const log = (message: string) => process.stderr.write(`${message}\n`);
const human = (n: number) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
const x2 = (v: number) => `${v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
const sig = (v: number, digits = 4) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v));

// ---------------------------------------------------------------------------------------------------------------
// memory (child processes)

interface MemoryFigures {
  model: ModelName;
  customers: number;
  /** Arrow buffers of the child's table: the four float64 summary columns. */
  input: number;
  /** Bytes of the columns the fit reads (3 for BG/NBD, 2 for Gamma-Gamma). */
  read: number;
  rssBefore: number;
  rssAfter: number;
  maxRssBefore: number;
  maxRssAfter: number;
  peakExtraHwm: number | null;
  arrayBuffersBefore: number;
  arrayBuffersAfter: number;
  patterns: number;
  gc: boolean;
}

/** In a fresh process: memory of one fit on the columns in `file` (after a warm-up fit on its first rows). */
function memoryChild(file: string, model: ModelName): void {
  const [frequency, recency, T, monetary] = readColumns(file, COLUMN_NAMES.length);
  const columns: SummaryColumns = { frequency, recency, T, monetary };
  const table = summaryTable(columns);
  fit(model, summaryTable(headColumns(columns, Math.min(WARMUP_CUSTOMERS, frequency.length)))); // compile the hot loops
  const gc = collectGarbage();
  const hwm = resetPeakRss();
  const before = memorySnapshot();
  const result = fit(model, table);
  const peak = hwm ? peakRssSinceReset() : null;
  const after = memorySnapshot();
  collectGarbage();
  const settled = memorySnapshot();
  const figures: MemoryFigures = {
    model,
    customers: frequency.length,
    input: arrowBytes(table),
    read: (model === 'bgNbd' ? 3 : 2) * frequency.byteLength,
    rssBefore: before.rss,
    rssAfter: after.rss,
    maxRssBefore: before.maxRss,
    maxRssAfter: after.maxRss,
    peakExtraHwm: peak === null ? null : Math.max(0, peak - before.rss),
    arrayBuffersBefore: before.arrayBuffers,
    arrayBuffersAfter: settled.arrayBuffers,
    patterns: result.patterns,
    gc,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function measureMemory(file: string, model: ModelName): MemoryFigures {
  const flags = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), '--memory-child', file, '--model', model],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `memory child for ${model} on ${file} failed (status ${child.status}): ${child.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as MemoryFigures;
}

// ---------------------------------------------------------------------------------------------------------------
// speed

interface FitTiming {
  median: number;
  runs: number[];
  model: BgNbdModel | GammaGammaModel;
}

/** A warm-up fit on `small`, then the median of {@link RUNS} fits on `table` (garbage collected before each). */
function timeFit(model: ModelName, small: Table, table: Table): FitTiming {
  fit(model, small);
  const runs: number[] = [];
  let last: BgNbdModel | GammaGammaModel | null = null;
  for (let k = 0; k < RUNS; k++) {
    collectGarbage();
    const t0 = performance.now();
    last = fit(model, table);
    runs.push(performance.now() - t0);
  }
  return { median: median(runs), runs, model: last! };
}

interface BgBreakdown {
  /** `fitHistories`: read the three columns, drop invalid rows, compress to distinct patterns (median of 3). */
  compressMs: number;
  /** One evaluation of the log-likelihood over all patterns (median of 15, after 3 warm-up calls). */
  evaluationMs: number;
  /** Evaluations of the log-likelihood in one fit (Nelder–Mead, restart probes, Hessian for the standard errors). */
  evaluations: number;
  /** That fit's optimisation and standard errors, without the compression. */
  optimiseMs: number;
  /** Largest relative difference between that instrumented fit and `fitBgNbd` (0: the same computation). */
  sameAsFit: number;
}

/** Where `fitBgNbd`'s time goes, by calling its parts (`fitHistories`, `bgNbdLogLikelihood`, `maximise`). */
async function bgBreakdown(table: Table, model: BgNbdModel): Promise<BgBreakdown> {
  const compress = await medianOf(RUNS, () => fitHistories(table, {}, 'fitBgNbd'));
  const h = fitHistories(table, {}, 'fitBgNbd');
  const ll = bgNbdLogLikelihood(h);
  const at = Float64Array.of(model.params.r, model.params.alpha, model.params.a, model.params.b);
  for (let k = 0; k < 3; k++) ll(at);
  const evals: number[] = [];
  for (let k = 0; k < 15; k++) evals.push((await timed(() => ll(at))).ms);
  const scale = timeScale(h);
  let evaluations = 0;
  collectGarbage();
  const run = await timed(() =>
    maximise(
      (p) => {
        evaluations++;
        return ll(p);
      },
      Float64Array.of(1, scale, 1, 1),
      Float64Array.of(1, scale, 1, 1),
      h.customers,
      2000,
    ),
  );
  const p = model.params;
  const sameAsFit = Math.max(...[p.r, p.alpha, p.a, p.b].map((v, j) => Math.abs(run.value.params[j] / v - 1)));
  return { compressMs: compress.median, evaluationMs: median(evals), evaluations, optimiseMs: run.ms, sameAsFit };
}

// ---------------------------------------------------------------------------------------------------------------
// scipy peer

interface ScipyResult {
  ms: number[];
  params: Record<string, number>;
  logLikelihood: number;
  iterations: number;
  evaluations: number;
  success: boolean;
  message: string;
  evaluationMs: number;
  patterns: number;
  customers: number;
  numpy: string;
  scipy: string;
  python: string;
}

/** Environment of the Python child: one BLAS thread (clientele runs on one; numpy's only BLAS call is a dot). */
const PYTHON_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** Why the scipy peer cannot run here, or null when python3 imports numpy and scipy. */
function scipyUnavailable(): string | null {
  const probe = spawnSync(
    'python3',
    ['-c', 'import numpy, scipy, sys; print(sys.version.split()[0], numpy.__version__, scipy.__version__)'],
    {
      encoding: 'utf8',
      env: PYTHON_ENV,
    },
  );
  if (probe.error) return `python3 could not be started (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import numpy and scipy: ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

/** The distinct (x, t_x, T) patterns and weights `fitBgNbd` fits, written for Python, then the scipy fit by `script`. */
function scipyFit(table: Table, dir: string, runs: number, script = SCIPY_SCRIPT): ScipyResult {
  const h = fitHistories(table, {}, 'fitBgNbd');
  const file = path.join(dir, `patterns-${h.rows}.f64`);
  writeColumns(file, [h.x, h.tx, h.T, h.weight]);
  try {
    const child = spawnSync('python3', [script, file, String(runs)], {
      encoding: 'utf8',
      env: PYTHON_ENV,
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      throw new Error(`${path.basename(script)} failed (status ${child.status}): ${child.stderr.slice(-2000)}`);
    }
    return JSON.parse(line) as ScipyResult;
  } finally {
    rmSync(file, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// repeat-buying fits side by side (issue 18): interleaved rounds, the scipy Pareto/NBD peer

/** The repeat-buying fits timed side by side, in the order of each round. */
const REPEAT_FITS: readonly {
  label: string;
  name: string;
  fit: (table: Table) => FittedModel<string, Record<string, number>>;
}[] = [
  { label: 'BG/NBD', name: 'fitBgNbd', fit: (table) => fitBgNbd(table) },
  { label: 'Pareto/NBD', name: 'fitParetoNbd', fit: (table) => fitParetoNbd(table) },
  { label: 'MBG/NBD', name: 'fitMbgNbd', fit: (table) => fitMbgNbd(table) },
];

interface RepeatTiming {
  label: string;
  name: string;
  runs: number[];
  model: FittedModel<string, Record<string, number>>;
}

/**
 * Each repeat-buying fit warmed up on `small`, then {@link RUNS} interleaved rounds on `table` (one fit of each
 * model per round, garbage collected before each), so that a change in the machine's load hits every model alike.
 */
function timeRepeatFits(small: Table, table: Table): RepeatTiming[] {
  const timings = REPEAT_FITS.map((f) => ({ label: f.label, name: f.name, runs: [] as number[], model: f.fit(small) }));
  for (let round = 0; round < RUNS; round++) {
    REPEAT_FITS.forEach((f, j) => {
      collectGarbage();
      const t0 = performance.now();
      timings[j].model = f.fit(table);
      timings[j].runs.push(performance.now() - t0);
    });
  }
  return timings;
}

interface RepeatResult {
  customers: number;
  timings: RepeatTiming[];
  paretoScipy: ScipyResult | null;
  loadBefore: number[];
  loadAfter: number[];
}

const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' / ');

function repeatReport(o: {
  results: RepeatResult[];
  started: Date;
  gcExposed: boolean;
  scipyMissing: string | null;
  args: string[];
}): string {
  const flags = o.gcExposed ? '--expose-gc ' : '';
  const command = `npx tsx ${flags}benchmarks/clv.bench.ts${o.args.length ? ` ${o.args.join(' ')}` : ''}`;
  const rows = o.results.flatMap((r) =>
    r.timings.map((t) => [
      human(r.customers),
      `\`${t.name}\``,
      t.runs.map(ms).join(', '),
      ms(median(t.runs)),
      String(t.model.iterations),
      String(t.model.patterns),
      t.model.logLikelihood.toFixed(2),
      Object.entries(t.model.params)
        .map(([k, v]) => `${k} ${sig(v, 6)}`)
        .join(', '),
    ]),
  );
  const peer = o.results
    .filter((r) => r.paretoScipy !== null)
    .map((r) => {
      const py = r.paretoScipy!;
      const ours = r.timings.find((t) => t.label === 'Pareto/NBD')!;
      const gap = Math.max(...Object.keys(py.params).map((k) => Math.abs(py.params[k] / ours.model.params[k] - 1)));
      return [
        human(r.customers),
        py.ms.map(ms).join(', '),
        ms(median(py.ms)),
        `${x2(median(py.ms) / median(ours.runs))}`,
        `${py.iterations} / ${py.evaluations}`,
        ms(py.evaluationMs),
        py.logLikelihood.toFixed(2),
        gap.toExponential(1),
      ];
    });
  return [
    `Command: \`${command}\` (from the repository root)  `,
    `Date: ${o.started.toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}; load average (1 / 5 / 15 min) ${o.results.map((r) => `${load(r.loadBefore)} before, ${load(r.loadAfter)} after the ${human(r.customers)} rounds`).join('; ')} ` +
      '(other jobs share the two cores: compare within a round, not across runs).',
    '',
    'Data: the sampleStore summaries of the section above (times in whole days). Each fit is warmed up on the ' +
      `${human(WARMUP_CUSTOMERS)}-customer summary, then ${RUNS} interleaved rounds (BG/NBD, Pareto/NBD, MBG/NBD, BG/NBD, …; garbage ` +
      'collected before each fit): read, compress, BFGS on the analytic gradient, and the standard errors (the Hessian by differences of the analytic gradient).',
    '',
    markdownTable(
      [
        'customers',
        'fit',
        'runs (ms)',
        'median (ms)',
        'iterations',
        'patterns',
        'log-likelihood',
        'estimates (α, β in days)',
      ],
      rows,
    ),
    '',
    o.scipyMissing
      ? `scipy peer: ${o.scipyMissing}.`
      : '**scipy peer** (`benchmarks/paretonbd_scipy.py`: the ₂F₁ form of Fader & Hardie 2005 note 009 with ' +
        "`scipy.special.hyp2f1`, scipy's Nelder–Mead — the derivative-free search lifetimes uses — from clientele's " +
        'start, on the same weighted patterns; only the minimisation is timed; run right after the rounds):\n\n' +
        markdownTable(
          [
            'customers',
            'scipy runs (ms)',
            'median (ms)',
            'scipy / clientele',
            'iterations / evaluations',
            'ms per evaluation',
            'log-likelihood',
            'largest relative gap in the estimates',
          ],
          peer,
        ),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// main

interface SizeResult {
  data: Omit<StoreSummary, 'summary' | 'columns' | 'truth'>;
  bg: FitTiming;
  gg: FitTiming;
  breakdown: BgBreakdown;
  scipy: ScipyResult | null;
  memory: Record<ModelName, MemoryFigures>;
}

interface Recovery {
  customers: number;
  simulateMs: number;
  bgMs: number;
  ggMs: number;
  bg: BgNbdModel;
  gg: GammaGammaModel;
}

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value('--sizes') ?? '1e5,1e6').split(',').map((s) => Math.round(Number(s)));
  if (sizes.some((s) => !Number.isFinite(s) || s < 100 || s > 10_000_000)) {
    throw new Error(`--sizes: expected customer counts such as 1e5,1e6 (found ${value('--sizes')})`);
  }
  const recoverySize = Math.round(Number(value('--recovery-size') ?? '1e6'));
  if (!Number.isFinite(recoverySize) || recoverySize < 0)
    throw new Error(`--recovery-size: expected a count, 0 to skip (found ${value('--recovery-size')})`);
  const model = value('--model');
  return {
    sizes,
    recoverySize,
    scipy: !argv.includes('--no-scipy'),
    write: !argv.includes('--no-write'),
    memoryChild: value('--memory-child') ?? null,
    onlyRepeat: argv.includes('--only-repeat'),
    model: (model === 'gammaGamma' ? 'gammaGamma' : 'bgNbd') as ModelName,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.memoryChild !== null) {
    memoryChild(args.memoryChild, args.model);
    return;
  }
  const started = new Date();
  const gcExposed = collectGarbage();
  if (!gcExposed) log('note: run with --expose-gc so that garbage is collected between runs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-clv-'));
  try {
    const scipyMissing = args.scipy ? scipyUnavailable() : 'not run (--no-scipy)';
    if (scipyMissing) log(`scipy peer: ${scipyMissing}`);

    log(`warm-up summary: ${human(WARMUP_CUSTOMERS)} customers …`);
    const warm = storeSummary(WARMUP_CUSTOMERS, STORE_SEED + 1);
    const truth = warm.truth;

    // data first, written for the memory children
    const data = new Map<number, StoreSummary>();
    const files = new Map<number, string>();
    for (const n of args.sizes) {
      log(`${human(n)} customers: sampleStore + summaryFromTransactions …`);
      const s = storeSummary(n);
      log(
        `  ${s.transactions} transactions; sampleStore ${ms(s.storeMs)} ms, summaryFromTransactions ${ms(s.summaryMs)} ms`,
      );
      data.set(n, s);
      const file = path.join(dir, `summary-${n}.f64`);
      writeColumns(
        file,
        COLUMN_NAMES.map((c) => s.columns[c]),
      );
      files.set(n, file);
      collectGarbage();
    }

    // the repeat-buying fits side by side (issue 18), with the scipy Pareto/NBD peer
    const repeat: RepeatResult[] = [];
    for (const n of args.sizes) {
      const loadBefore = os.loadavg();
      log(`${human(n)}: ${REPEAT_FITS.map((f) => f.label).join(', ')} in ${RUNS} interleaved rounds …`);
      const timings = timeRepeatFits(warm.summary, data.get(n)!.summary);
      for (const t of timings) log(`  ${t.label}: ${t.runs.map(ms).join(', ')} ms`);
      let paretoScipy: ScipyResult | null = null;
      if (!scipyMissing) {
        const runs = n <= SCIPY_REPEAT_LIMIT ? RUNS : 1;
        log(`${human(n)}: scipy Pareto/NBD Nelder–Mead (${runs} run${runs > 1 ? 's' : ''}) …`);
        paretoScipy = scipyFit(data.get(n)!.summary, dir, runs, PARETO_SCIPY_SCRIPT);
        log(`  ${paretoScipy.ms.map(ms).join(', ')} ms, ${paretoScipy.evaluations} evaluations`);
      }
      repeat.push({ customers: n, timings, paretoScipy, loadBefore, loadAfter: os.loadavg() });
    }
    const repeatBody = repeatReport({
      results: repeat,
      started,
      gcExposed,
      scipyMissing,
      args: process.argv.slice(2),
    });
    process.stdout.write(`${repeatBody}\n`);
    if (args.write) {
      writeResultsSection(RESULTS, REPEAT_SECTION, repeatBody);
      log(`wrote section "${REPEAT_SECTION}" of ${path.relative(process.cwd(), RESULTS)}`);
    }
    if (args.onlyRepeat) return;

    const memory = new Map<number, Record<ModelName, MemoryFigures>>();
    for (const n of args.sizes) {
      const figures = {} as Record<ModelName, MemoryFigures>;
      for (const model of MODELS) {
        log(`${human(n)}: memory of ${model} (child process) …`);
        figures[model] = measureMemory(files.get(n)!, model);
        const f = figures[model];
        log(`  peak extra ${f.peakExtraHwm === null ? 'n/a' : mb(f.peakExtraHwm)} (RSS before ${mb(f.rssBefore)})`);
      }
      memory.set(n, figures);
    }

    const results: SizeResult[] = [];
    for (const n of args.sizes) {
      const s = data.get(n)!;
      log(`${human(n)}: fitBgNbd …`);
      const bg = timeFit('bgNbd', warm.summary, s.summary);
      log(`  ${bg.runs.map(ms).join(', ')} ms, ${bg.model.patterns} patterns`);
      log(`${human(n)}: fitGammaGamma …`);
      const gg = timeFit('gammaGamma', warm.summary, s.summary);
      log(`  ${gg.runs.map(ms).join(', ')} ms, ${gg.model.patterns} patterns`);
      log(`${human(n)}: BG/NBD breakdown …`);
      const breakdown = await bgBreakdown(s.summary, bg.model as BgNbdModel);
      log(
        `  compress ${ms(breakdown.compressMs)} ms, ${breakdown.evaluations} evaluations × ${ms(breakdown.evaluationMs)} ms`,
      );
      let scipy: ScipyResult | null = null;
      if (!scipyMissing) {
        const runs = n <= SCIPY_REPEAT_LIMIT ? RUNS : 1;
        log(`${human(n)}: scipy Nelder–Mead (${runs} run${runs > 1 ? 's' : ''}) …`);
        scipy = scipyFit(s.summary, dir, runs);
        log(`  ${scipy.ms.map(ms).join(', ')} ms, ${scipy.evaluations} evaluations`);
      }
      const { summary: _summary, columns: _columns, truth: _truth, ...info } = s;
      results.push({ data: info, bg, gg, breakdown, scipy, memory: memory.get(n)! });
      data.delete(n);
      collectGarbage();
    }

    let recovery: Recovery | null = null;
    if (args.recoverySize > 0) {
      const n = args.recoverySize;
      log(`recovery: ${human(n)} customers simulated in continuous time …`);
      const sim = await timed(() => summaryTable(simulateSummary(n, truth)));
      const bg = await timed(() => fitBgNbd(sim.value));
      log(`  fitBgNbd ${ms(bg.ms)} ms`);
      const gg = await timed(() => fitGammaGamma(sim.value));
      log(`  fitGammaGamma ${ms(gg.ms)} ms`);
      recovery = { customers: n, simulateMs: sim.ms, bgMs: bg.ms, ggMs: gg.ms, bg: bg.value, gg: gg.value };
    }

    const body = report({ results, recovery, truth, started, gcExposed, scipyMissing, args: process.argv.slice(2) });
    process.stdout.write(`${body}\n`);
    if (args.write) {
      writeResultsSection(RESULTS, SECTION, body);
      log(`wrote section "${SECTION}" of ${path.relative(process.cwd(), RESULTS)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// report

const PARAMS = [
  ['bgNbd', 'r', 'r'],
  ['bgNbd', 'alpha', 'α (days)'],
  ['bgNbd', 'a', 'a'],
  ['bgNbd', 'b', 'b'],
  ['gammaGamma', 'p', 'p'],
  ['gammaGamma', 'q', 'q'],
  ['gammaGamma', 'gamma', 'γ'],
] as const;

function estimate(model: BgNbdModel | GammaGammaModel, truth: number, name: string): string {
  const v = (model.params as Record<string, number>)[name];
  const se = (model.standardErrors as Record<string, number>)[name];
  const z = (v - truth) / se;
  return `${sig(v)} ± ${sig(se, 2)} (z = ${Number.isFinite(z) ? z.toFixed(1) : 'n/a'})`;
}

/** The parameter with the largest |z| of a pair of fits, as "α 40.5". */
function worst(
  bg: BgNbdModel,
  gg: GammaGammaModel,
  truthOf: (model: string, name: string) => number,
): { z: number; text: string } {
  let best = { label: '', z: -1 };
  for (const [model, name, label] of PARAMS) {
    const m = model === 'bgNbd' ? bg : gg;
    const z = Math.abs(
      ((m.params as Record<string, number>)[name] - truthOf(model, name)) /
        (m.standardErrors as Record<string, number>)[name],
    );
    if (z > best.z) best = { label, z };
  }
  return { z: best.z, text: `${best.z.toFixed(1)} (${best.label.replace(' (days)', '')})` };
}

function report(o: {
  results: SizeResult[];
  recovery: Recovery | null;
  truth: SampleStoreTruth;
  started: Date;
  gcExposed: boolean;
  scipyMissing: string | null;
  args: string[];
}): string {
  const flags = o.gcExposed ? '--expose-gc ' : '';
  const command = `npx tsx ${flags}benchmarks/clv.bench.ts${o.args.length ? ` ${o.args.join(' ')}` : ''}`;
  const { r, alpha, a, b } = o.truth.bgNbd;
  const { p, q, gamma } = o.truth.gammaGamma;
  const truthOf = (model: string, name: string) =>
    (model === 'bgNbd' ? (o.truth.bgNbd as Record<string, number>) : (o.truth.gammaGamma as Record<string, number>))[
      name
    ];
  const largest = o.results.reduce((m, r) => (r.data.customers > m.data.customers ? r : m), o.results[0]);
  const scipyInfo = o.results.find((r) => r.scipy)?.scipy;

  const dataTable = markdownTable(
    [
      'customers',
      'transactions',
      '`sampleStore` ms (one run)',
      '`summaryFromTransactions` ms (one run, unit day)',
      'customers with x = 0 (left out by Gamma-Gamma)',
      'distinct (x, t_x, T)',
      'distinct (x, z̄) of x > 0',
    ],
    o.results.map((s) => [
      human(s.data.customers),
      String(s.data.transactions),
      ms(s.data.storeMs),
      ms(s.data.summaryMs),
      String((s.gg.model.dropped as Record<string, number>).noRepeat ?? 0),
      String(s.bg.model.patterns),
      String(s.gg.model.patterns),
    ]),
  );

  const speedRows = o.results.map((s) => {
    const total = s.bg.median + s.gg.median;
    const target =
      s.data.customers === 1_000_000
        ? `${total < TARGET_MS ? 'met' : 'missed'}: ${x2(total / TARGET_MS)} the target`
        : '—';
    return [
      `${human(s.data.customers)} (sampleStore, days)`,
      String(s.bg.model.patterns),
      ms(s.bg.median),
      s.bg.runs.map(ms).join(', '),
      String(s.gg.model.patterns),
      ms(s.gg.median),
      s.gg.runs.map(ms).join(', '),
      ms(total),
      target,
    ];
  });
  if (o.recovery) {
    const rc = o.recovery;
    speedRows.push([
      `${human(rc.customers)} (simulated, continuous time)`,
      String(rc.bg.patterns),
      `${ms(rc.bgMs)} (one run)`,
      '—',
      String(rc.gg.patterns),
      `${ms(rc.ggMs)} (one run)`,
      '—',
      ms(rc.bgMs + rc.ggMs),
      '—',
    ]);
  }
  const speed = markdownTable(
    [
      'customers (data)',
      'BG/NBD patterns',
      '`fitBgNbd` ms (median of 3)',
      'runs ms',
      'Gamma-Gamma patterns',
      '`fitGammaGamma` ms (median of 3)',
      'runs ms',
      'both ms',
      `target < ${TARGET_MS / 1000} s at 1M`,
    ],
    speedRows,
  );

  const breakdown = markdownTable(
    [
      'customers',
      'patterns',
      '`fitBgNbd` ms',
      'read + compress to patterns ms',
      'likelihood evaluations',
      'ms per evaluation',
      'ns per pattern per evaluation',
      'optimisation + standard errors ms',
      'iterations',
    ],
    o.results.map((s) => {
      const d = s.breakdown;
      return [
        human(s.data.customers),
        String(s.bg.model.patterns),
        ms(s.bg.median),
        ms(d.compressMs),
        String(d.evaluations),
        d.evaluationMs.toFixed(2),
        ((d.evaluationMs * 1e6) / s.bg.model.patterns).toFixed(1),
        ms(d.optimiseMs),
        String(s.bg.model.iterations),
      ];
    }),
  );

  let peer: string;
  if (o.scipyMissing || !scipyInfo) {
    peer = `**Peer**: not run: ${o.scipyMissing ?? 'no result'}. (Python \`lifetimes\` cannot be installed here: no PyPI.)`;
  } else {
    const rows = o.results
      .filter((s) => s.scipy)
      .map((s) => {
        const sp = s.scipy!;
        const c = s.bg.model.params as Record<string, number>;
        const diff = Math.max(...(['r', 'alpha', 'a', 'b'] as const).map((k) => Math.abs(c[k] / sp.params[k] - 1)));
        const scipyMs = median(sp.ms);
        return [
          human(s.data.customers),
          String(sp.patterns),
          ms(s.bg.median),
          ms(s.breakdown.optimiseMs),
          `${ms(scipyMs)}${sp.ms.length > 1 ? ` (median of ${sp.ms.length}: ${sp.ms.map(ms).join(', ')})` : ' (one run)'}`,
          x2(s.bg.median / scipyMs),
          x2(s.breakdown.optimiseMs / scipyMs),
          `${s.breakdown.evaluations} / ${sp.evaluations}`,
          `${s.breakdown.evaluationMs.toFixed(2)} / ${sp.evaluationMs.toFixed(2)}`,
          `r ${sig(sp.params.r, 6)}, α ${sig(sp.params.alpha, 6)}, a ${sig(sp.params.a, 6)}, b ${sig(sp.params.b, 6)}`,
          diff.toExponential(1),
          (s.bg.model.logLikelihood - sp.logLikelihood).toExponential(1),
          sp.success ? 'yes' : `no (${sp.message})`,
        ];
      });
    peer = [
      `**Peer: scipy Nelder–Mead on the same likelihood** (the method of lifetimes' BetaGeoFitter; lifetimes itself cannot be ` +
        `installed here, no PyPI). \`benchmarks/bgnbd_scipy.py\`: the BG/NBD log-likelihood of Fader, Hardie & Lee (2005) eq. 6 ` +
        `written with numpy (\`gammaln\`, \`logaddexp\`, a weighted dot), minimised by \`scipy.optimize.minimize(method='Nelder-Mead')\` ` +
        "over ln(parameter / scale) on the same distinct (x, t_x, T) patterns with weights, with clientele's start (r = a = b = 1, " +
        'α = mean T), initial simplex (step 0.1), tolerances (`fatol` 1e-10 on the mean log-likelihood per customer, `xatol` 1e-8) ' +
        'and adaptive coefficients (`adaptive=True`, Gao & Han 2012). Nelder–Mead is what lifetimes up to 0.10 used ' +
        "(`utils._fit`); lifetimes 0.11 minimises with autograd gradients and scipy's default BFGS instead. " +
        `Python ${scipyInfo.python}, numpy ${scipyInfo.numpy}, scipy ${scipyInfo.scipy} (already installed; one BLAS thread, ` +
        "like clientele's one thread); a child process given the patterns through a temporary file, only the minimisation timed " +
        "(`time.perf_counter`). clientele's `fitBgNbd` time includes reading the rows and compressing them to patterns; " +
        '"optimisation only" is the instrumented fit of the breakdown above, without that step.',
      '',
      markdownTable(
        [
          'customers',
          'patterns',
          'clientele `fitBgNbd` ms',
          'clientele optimisation only ms',
          'scipy Nelder–Mead ms',
          'clientele / scipy',
          'optimisation only / scipy',
          'evaluations clientele / scipy',
          'ms per evaluation clientele / scipy',
          'scipy estimates',
          'max relative difference of parameters',
          'Δ log-likelihood (clientele − scipy)',
          'scipy converged',
        ],
        rows,
      ),
    ].join('\n');
  }

  const recoveryColumns: { label: string; bg: BgNbdModel; gg: GammaGammaModel }[] = [
    ...o.results.map((s) => ({
      label: `sampleStore ${human(s.data.customers)}, days`,
      bg: s.bg.model as BgNbdModel,
      gg: s.gg.model as GammaGammaModel,
    })),
    ...(o.recovery
      ? [{ label: `simulated ${human(o.recovery.customers)}, continuous time`, bg: o.recovery.bg, gg: o.recovery.gg }]
      : []),
  ];
  const recovery = markdownTable(
    ['parameter', 'truth', ...recoveryColumns.map((c) => `${c.label}: estimate ± SE (z)`)],
    PARAMS.map(([model, name, label]) => [
      label,
      String(truthOf(model, name)),
      ...recoveryColumns.map((c) => estimate(model === 'bgNbd' ? c.bg : c.gg, truthOf(model, name), name)),
    ]),
  );

  const memory = markdownTable(
    [
      'customers',
      'fit',
      'input Arrow buffers (4 float64 columns)',
      'columns the fit reads',
      'RSS before',
      'peak extra (VmHWM − RSS before)',
      'peak extra / columns read',
      'maxRSS before → after',
      'arrayBuffers before → after',
    ],
    o.results.flatMap((s) =>
      MODELS.map((model) => {
        const m = s.memory[model];
        return [
          human(m.customers),
          LABEL[model],
          mb(m.input),
          mb(m.read),
          mb(m.rssBefore),
          m.peakExtraHwm === null ? 'n/a' : mb(m.peakExtraHwm),
          m.peakExtraHwm === null ? 'n/a' : x2(m.peakExtraHwm / m.read),
          `${mb(m.maxRssBefore)} → ${mb(m.maxRssAfter)}`,
          `${mb(m.arrayBuffersBefore)} → ${mb(m.arrayBuffersAfter)}`,
        ];
      }),
    ),
  );

  const big = largest;
  const bigTotal = big.bg.median + big.gg.median;
  return [
    `Command: \`${command}\` (from the repository root)  `,
    `Date: ${o.started.toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}  `,
    'clientele runs on one thread.',
    '',
    `Data: \`sampleStore({ customers, seed: ${STORE_SEED} })\` draws BG/NBD purchases (r = ${r}, α = ${alpha} days, a = ${a}, ` +
      `b = ${b}) and Gamma-Gamma amounts (p = ${p}, q = ${q}, γ = ${gamma}) in continuous time over ${o.truth.window.days} days, ` +
      `first purchases uniform over the first ${o.truth.window.acquisitionDays} days, and writes them as dated transactions ` +
      "(with baskets and a survey, which its time includes); `summaryFromTransactions(tx, { unit: 'day' })` turns them into " +
      'one row per customer (x = repeat purchase days, t_x and T in days, z̄ = mean repeat purchase value). Both are timed ' +
      'once, the fits are timed on this summary as returned (Utf8 customer column included).',
    '',
    dataTable,
    '',
    `**Fit times**: a warm-up fit on a ${human(WARMUP_CUSTOMERS)}-customer summary (seed ${STORE_SEED + 1}), then the median of 3 ` +
      '(garbage collected before each run); each fit includes reading the columns, dropping invalid rows, compressing to ' +
      'distinct patterns, the search (BFGS on the analytic gradient, Nelder–Mead only as a fallback) and the standard errors (the Hessian by differences of the analytic gradient). The last row fits summaries ' +
      'simulated in continuous time (below), where every customer is its own pattern: one run each.',
    '',
    speed,
    '',
    `At ${human(big.data.customers)} customers the two fits take ${ms(bigTotal)} ms (BG/NBD ${ms(big.bg.median)}, Gamma-Gamma ` +
      `${ms(big.gg.median)}): ${x2(bigTotal / TARGET_MS)} issue 3's target of ${TARGET_MS / 1000} s, ${bigTotal < TARGET_MS ? 'met' : 'missed'}. ` +
      `Compression does not make the data small here: with times in whole days over a ${o.truth.window.days}-day window, ` +
      `${human(big.data.customers)} customers have ${big.bg.model.patterns} distinct (x, t_x, T) patterns ` +
      `(${((100 * big.bg.model.patterns) / big.data.customers).toFixed(0)} %), and the ${big.gg.model.patterns} Gamma-Gamma ` +
      `patterns are ${((100 * big.gg.model.patterns) / (big.data.customers - ((big.gg.model.dropped as Record<string, number>).noRepeat ?? 0))).toFixed(0)} % ` +
      'of the repeat customers (z̄ is a mean of amounts in cents, rarely shared). The cost is evaluations × patterns. ' +
      '`fitGammaGamma` has no exported parts to time one by one; from its source it runs `minimize` with `restarts: 2` (up to ' +
      'three Nelder–Mead runs) and evaluates two `lgamma` per pattern per evaluation, which is consistent with it costing more ' +
      'per pattern than BG/NBD.',
    '',
    "**Where `fitBgNbd`'s time goes** (its parts called one by one from `src/clv/bg-nbd.ts`: `fitHistories` for read + " +
      'compress, median of 3; `bgNbdLogLikelihood` at the optimum, median of 15; `maximise` with a counting wrapper and no gradient, ' +
      'i.e. the Nelder–Mead search `fitBgNbd` ran before it had an analytic gradient — kept to show the cost per ' +
      'likelihood evaluation; `fitBgNbd` itself now needs about 20 BFGS iterations, one run):',
    '',
    breakdown,
    '',
    ...o.results.map(
      (s) =>
        `- ${human(s.data.customers)}: the instrumented fit's estimates differ from \`fitBgNbd\`'s by at most ${s.breakdown.sameAsFit.toExponential(1)} (relative).`,
    ),
    '',
    peer,
    '',
    '**Recovery of the generating parameters** (estimate ± standard error from the fit, z = (estimate − truth) / SE). ' +
      "The sampleStore summaries are in whole days: a customer's purchases on one day are one purchase (their amounts summed), " +
      'and t_x, T are differences of day numbers, while the models are continuous-time; the simulated summaries follow the ' +
      `models exactly (x, t_x, T in continuous time, z̄ drawn as the mean of x amounts; \`clv-data.ts\`, seed ${SIMULATION_SEED}), ` +
      'so they test the fits themselves:',
    '',
    recovery,
    '',
    `Largest |z|: ${recoveryColumns.map((c) => `${c.label} ${worst(c.bg, c.gg, truthOf).text}`).join('; ')}. ` +
      (o.recovery === null
        ? 'No simulated data (`--recovery-size 0`).'
        : worst(o.recovery.bg, o.recovery.gg, truthOf).z < 3
          ? 'On the simulated data, which follow the models, every estimate is within 3 standard errors of the truth; the larger ' +
            'deviations on the sampleStore summaries therefore come from their day resolution, not from the fits (their z grows ' +
            'with the size because the standard errors shrink while the discretisation stays).'
          : 'Some estimates on the simulated data, which follow the models, are more than 3 standard errors from the truth: ' +
            'the fits do not recover the parameters and need a look.'),
    '',
    "**Memory of one fit**, each size and model in a fresh child process: the summary's four float64 columns read from a " +
      `temporary file into a zero-copy Arrow table, a warm-up fit on its first ${human(WARMUP_CUSTOMERS)} rows, GC, then ` +
      '`process.memoryUsage()` before and after the fit and the peak from Linux `VmHWM` reset just before it ' +
      '(`/proc/self/clear_refs`); `maxRSS` also counts what the process held before. The model itself is a few numbers, so ' +
      'nothing is retained:',
    '',
    memory,
  ].join('\n');
}

await main();
