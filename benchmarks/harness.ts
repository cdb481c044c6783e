/**
 * Shared helpers of the benchmarks: timing, memory, Arrow buffer sizes, machine description and the
 * `RESULTS.md` writer. Benchmarks only; nothing here is part of the package.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Data, Table } from 'apache-arrow';

/** Runs `global.gc` twice when node was started with `--expose-gc`; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

/** The median of a few numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Wall-clock milliseconds of `fn` (sync or async) and its result. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * One warm-up call, then `runs` timed calls; garbage is collected before each timed call (when exposed) so
 * that one run does not pay for the previous one's garbage.
 */
export async function medianOf(runs: number, fn: () => unknown): Promise<{ median: number; runs: number[] }> {
  await fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    collectGarbage();
    times.push((await timed(fn)).ms);
  }
  return { median: median(times), runs: times };
}

/** Bytes held by the Arrow buffers of a table (values, offsets, validity, children, dictionaries). */
export function arrowBytes(table: Table): number {
  let total = 0;
  const visit = (data: Data): void => {
    for (const buffer of [data.values, data.valueOffsets, data.nullBitmap, data.typeIds] as (
      ArrayBufferView | undefined
    )[]) {
      total += buffer?.byteLength ?? 0;
    }
    for (const child of data.children) visit(child);
    if (data.dictionary) for (const d of data.dictionary.data) visit(d);
  };
  for (const batch of table.batches) for (const child of batch.data.children) visit(child);
  return total;
}

/** `process.memoryUsage()` and the peak resident set so far, in bytes. */
export function memorySnapshot(): { rss: number; arrayBuffers: number; heapUsed: number; maxRss: number } {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    arrayBuffers: m.arrayBuffers,
    heapUsed: m.heapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * Linux only: resets the peak resident set of this process (`VmHWM`) to its current RSS by writing 5 to
 * `/proc/self/clear_refs` (Linux ≥ 4.0). Returns false where that is not possible.
 *
 * Why: `process.resourceUsage().maxRSS` is the high-water mark of the whole process life, and on Linux a child
 * started by fork + exec also inherits the RSS its parent had at the fork (the kernel folds the old address
 * space's peak into `maxrss` at exec). A child spawned by a large parent therefore reports the parent's size.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return peakRssSinceReset() !== null;
  } catch {
    return false;
  }
}

/** Linux only: `VmHWM` of `/proc/self/status` in bytes (the peak RSS since start or the last reset), else null. */
export function peakRssSinceReset(): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Node version, CPU model and core count, total memory. */
export function machine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${gib} GiB, ${os.platform()} ${os.arch()}`;
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const ms = (t: number): string => (t >= 100 ? t.toFixed(0) : t.toFixed(1));

/** A Markdown table from a header and rows of cells. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Writes `body` as the section headed `## title` of the Markdown file at `path`, replacing that section (up to the
 * next `## ` heading) if it exists and keeping every other section as it is.
 */
export function writeResultsSection(path: string, title: string, body: string): void {
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmark results\n\nSee `benchmarks/README.md` for what each benchmark measures.\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  let next: string;
  if (start < 0) {
    next = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    next = `${before}\n\n${section}${after ? `\n${after}\n` : ''}`;
  }
  writeFileSync(path, next.replace(/^\n+/, ''));
}

// ---------------------------------------------------------------------------------------------------------------
// The method of issue 17 (target 6): interleaved rounds, medians with min–max, CPU time beside wall time, peak RSS of
// a call in its own process, the load average and the machine line. Every benchmark the issue re-runs uses these.

/** Milliseconds of CPU (user + system) this process has used so far: every thread, worker threads and GC included. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** One measurement: wall-clock and CPU milliseconds (CPU of the whole process during the call). */
export interface Sample {
  wall: number;
  cpu: number;
}

/** Wall and CPU milliseconds of `fn` (sync or async) and its result. */
export async function measured<T>(fn: () => T | Promise<T>): Promise<{ sample: Sample; value: T }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await fn();
  return { sample: { wall: performance.now() - t0, cpu: cpuMs() - c0 }, value };
}

/** Median, minimum and maximum of a few numbers. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `median (min–max)` in milliseconds, or the one value when there is one. */
export function msSpread(values: readonly number[]): string {
  if (values.length === 0) return '—';
  const s = spread(values);
  return values.length === 1 ? ms(s.median) : `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}

/** Wall and CPU medians with their ranges, for a table cell: `wall … · CPU …`. */
export function sampleCell(samples: readonly Sample[]): string {
  return `${msSpread(samples.map((s) => s.wall))} · CPU ${msSpread(samples.map((s) => s.cpu))}`;
}

/** Median wall and CPU of samples. */
export function medianSample(samples: readonly Sample[]): Sample {
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/** A ratio `a / b` as `1.23×` (`—` when either is missing or zero). */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a)) return '—';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** `met` / `missed` against a target ratio (lower is better unless `higherIsBetter`). */
export function verdict(value: number | undefined, target: number, higherIsBetter = false): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return (higherIsBetter ? value >= target : value <= target) ? 'met' : '**missed**';
}

/**
 * Interleaved rounds: round r runs every task once, in turn, so that a slow spell of a shared machine hits every
 * task alike; returns each task's samples. Garbage is collected before each task when `gc` (with `--expose-gc`),
 * outside the timing. A task returns its own sample (so that it can time a child process or a part of its work).
 */
export async function interleavedRounds<K extends string>(
  rounds: number,
  tasks: Readonly<Record<K, () => Sample | Promise<Sample>>>,
  options: { gc?: boolean; onSample?: (task: K, round: number, sample: Sample) => void } = {},
): Promise<Record<K, Sample[]>> {
  const names = Object.keys(tasks) as K[];
  const out = Object.fromEntries(names.map((k) => [k, [] as Sample[]])) as unknown as Record<K, Sample[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      if (options.gc !== false) collectGarbage();
      const s = await tasks[k]();
      out[k].push(s);
      options.onSample?.(k, r, s);
    }
  }
  return out;
}

/** The load average (1, 5, 15 min) as `1.2 / 1.5 / 1.8`. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/** What every RESULTS.md section starts with: when, where, the command and the load average at start and end. */
export function runLine(run: { started: string; command: string; loadAtStart: string }): string {
  return (
    `Run ${run.started} on ${machine()}. Command: \`${run.command}\`. ` +
    `Load average (1 / 5 / 15 min) ${run.loadAtStart} at the start and ${loadAverage()} at the end. ` +
    'Times are medians with (min–max) over interleaved rounds; CPU is user + system time of the whole process ' +
    '(all its threads) during the call.'
  );
}

/** The command line of this benchmark, as typed (`npx tsx benchmarks/x.bench.ts …`). */
export function commandLine(): string {
  const script = path.relative(process.cwd(), process.argv[1] ?? '');
  return ['npx tsx', script, ...process.argv.slice(2)].join(' ');
}

/** `--name value` and `--flag` of the command line. */
export function cliArgs(argv: readonly string[] = process.argv.slice(2)): {
  value: (name: string) => string | undefined;
  flag: (name: string) => boolean;
} {
  return {
    value: (name) => {
      const k = argv.indexOf(name);
      return k >= 0 ? argv[k + 1] : undefined;
    },
    flag: (name) => argv.includes(name),
  };
}

/** A child process run with its resources: wall and CPU milliseconds, peak RSS (bytes), exit status and output. */
export interface ProcessRun {
  status: number | null;
  wall: number;
  user: number;
  sys: number;
  cpu: number;
  /** The child's own peak resident set (`ru_maxrss` of wait4), bytes. */
  peakRss: number;
  stdout: string;
  stderr: string;
}

/**
 * Forks, execs and waits for one program and reports its `wait4` resource usage (microsecond CPU times, its own
 * `ru_maxrss`), through a few lines of Python (Node's spawn does not return the child's rusage). The fork is made
 * by the small Python parent, so the child's peak RSS is not inflated by a large Node parent (see
 * {@link resetPeakRss}). Falls back to `/usr/bin/time` (10 ms resolution) without python3.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): ProcessRun {
  const report = path.join(os.tmpdir(), `clientele-rusage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const python = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p))!;
  const wrapper = [
    'import os, sys, time, json',
    't0 = time.perf_counter()',
    'pid = os.fork()',
    'if pid == 0:',
    '    os.execvp(sys.argv[2], sys.argv[2:])',
    '_, status, ru = os.wait4(pid, 0)',
    'wall = time.perf_counter() - t0',
    'code = os.waitstatus_to_exitcode(status)',
    "json.dump({'status': code, 'wall': wall * 1e3, 'user': ru.ru_utime * 1e3, 'sys': ru.ru_stime * 1e3, 'maxrss': ru.ru_maxrss * 1024}, open(sys.argv[1], 'w'))",
    'sys.exit(0 if code == 0 else 1)',
  ].join('\n');
  const r = spawnSync(python, ['-c', wrapper, report, command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: options.env ?? process.env,
  });
  if (r.error || !existsSync(report)) {
    const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', report, command, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: options.env ?? process.env,
    });
    const [e, u, s, m] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    rmSync(report, { force: true });
    return {
      status: t.status,
      wall: e * 1e3,
      user: u * 1e3,
      sys: s * 1e3,
      cpu: (u + s) * 1e3,
      peakRss: m * 1024,
      stdout: t.stdout,
      stderr: t.stderr,
    };
  }
  const j = JSON.parse(readFileSync(report, 'utf8')) as {
    status: number;
    wall: number;
    user: number;
    sys: number;
    maxrss: number;
  };
  rmSync(report, { force: true });
  return {
    status: j.status,
    wall: j.wall,
    user: j.user,
    sys: j.sys,
    cpu: j.user + j.sys,
    peakRss: j.maxrss,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/**
 * Peak RSS of one call in its own process: runs `script` (TypeScript, through tsx, with `--expose-gc`) in a fresh
 * Node process and returns the JSON object on the last line of its standard output. The child resets its peak
 * (`resetPeakRss()`) just before the call and reports `peakRssSinceReset()` after it; {@link childCall} is that
 * child's side.
 */
export function inOwnProcess<T>(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): T | { error: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', ...nodeArgs, script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

/** The child's side of {@link inOwnProcess}: one call timed (wall, CPU) with the peak RSS above the RSS before it. */
export async function childCall<T>(
  fn: () => T | Promise<T>,
): Promise<{ sample: Sample; peakRss: number | null; rssBefore: number; value: T }> {
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  resetPeakRss();
  const { sample, value } = await measured(fn);
  return { sample, peakRss: peakRssSinceReset(), rssBefore, value };
}

/** Wall times of interleaved rounds with their CPU times: `{ median, runs }` as {@link medianOf} gives, and more. */
export interface Timing {
  /** Median wall ms. */
  median: number;
  /** Wall ms of every round. */
  runs: number[];
  min: number;
  max: number;
  /** CPU ms of every round (user + system, all threads of the process). */
  cpu: number[];
  cpuMedian: number;
}

/** A {@link Timing} from samples. */
export function timingOf(samples: readonly Sample[]): Timing {
  const runs = samples.map((s) => s.wall);
  const cpu = samples.map((s) => s.cpu);
  return { ...spread(runs), runs, cpu, cpuMedian: median(cpu) };
}

/**
 * {@link interleavedRounds} of plain calls: one warm-up call of each task (in turn), then `rounds` rounds of every
 * task in turn, each call timed with {@link measured}; a {@link Timing} per task.
 */
export async function interleavedTimings<K extends string>(
  rounds: number,
  tasks: Readonly<Record<K, () => unknown>>,
  options: { gc?: boolean; warmup?: boolean } = {},
): Promise<Record<K, Timing>> {
  const names = Object.keys(tasks) as K[];
  if (options.warmup !== false) for (const k of names) await tasks[k]();
  const wrapped = Object.fromEntries(
    names.map((k) => [k, async () => (await measured(tasks[k])).sample]),
  ) as unknown as Record<K, () => Promise<Sample>>;
  const samples = await interleavedRounds(rounds, wrapped, { gc: options.gc });
  return Object.fromEntries(names.map((k) => [k, timingOf(samples[k])])) as unknown as Record<K, Timing>;
}

/** A timing for a table cell: `median (min–max) · CPU median`. */
export function timingCell(t: Timing): string {
  return `${msSpread(t.runs)} · CPU ${ms(t.cpuMedian)}`;
}

/** The load average when the benchmark module was loaded (its start), for {@link loadLine}. */
export const LOAD_AT_START = loadAverage();

/** `Load average (1 / 5 / 15 min) a at the start and b at the end on n cores.` */
export function loadLine(): string {
  return `Load average (1 / 5 / 15 min) ${LOAD_AT_START} at the start and ${loadAverage()} at the end on ${os.cpus().length} cores.`;
}
