/**
 * Scale benchmark, two suites (`--suite`):
 *
 * `linear` (the default; issue 17, target 5): the scaling table — time against N for `rfm`, `customerSummary`,
 * k-means, CSV `readTable` at 1M, 2M, 4M, 8M rows and baskets + mining on retail ×1, ×2, ×4, ×8, each call in its own
 * process, interleaved rounds, medians with min–max, CPU beside wall, peak RSS, and the linearity check (time per
 * row at the largest N within 20 % of the smallest). See scale-linear.ts.
 *
 *   npm run bench:scale                                          # 1M, 2M, 4M, 8M, 3 rounds (about 5 minutes on a quiet 2-core machine)
 *   npx tsx benchmarks/scale.bench.ts --sizes 1e6,2e6 --rounds 1 --no-write   # a quick run
 *   --workloads rfm,summary,baskets,read-baskets,kmeans,csv  --retail-support 0.001
 *
 * `rfm-duckdb` (issue 8): RFM on 10M and 100M transactions, each way clientele can run it and DuckDB's, every
 * run in a fresh process (benchmarks/scale-child.ts) so that its peak memory is its own.
 *
 *   npx tsx benchmarks/scale.bench.ts --suite rfm-duckdb  # 1e7 and 1e8 rows (the 1e8 data is about 1.6 GB of IPC)
 *   npx tsx benchmarks/scale.bench.ts --suite rfm-duckdb --sizes 1e7 --modes whole,stream --no-write
 *   --repeat R: rounds of every mode in turn for the logs below 50M rows (default 5; the median is reported)
 *
 * Data: benchmarks/scale-data.ts writes each log once into benchmarks/data/ (gitignored). Modes: `whole` (IPC file
 * read whole, then `rfm`), `parallel` (`rfm(table, { parallel: 2 })`), `stream` (`rfm(readBatches(file))`),
 * `duckdb-table` (DuckDB's RFM statement over a native table; loading not timed), `duckdb-parquet` (the same
 * statement scanning the Parquet files). The checksum Σ(100r + 10f + m) over customers must agree across modes
 * (DuckDB's uncompensated double `sum` may move a customer on a monetary break: a difference of a few units is
 * that, reported, not hidden).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { commandLine, loadAverage, machine, markdownTable, mb, ms, runLine, writeResultsSection } from './harness';
import { linearTables, measureLinear, WORKLOADS } from './scale-linear';
import type { Outcome } from './scale-child';
import { ensureScaleData } from './scale-data';

const here = path.dirname(new URL(import.meta.url).pathname);
const arg = (name: string) => {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
};
const suite = arg('--suite') ?? 'linear';
if (suite !== 'linear' && suite !== 'rfm-duckdb') throw new Error(`--suite: linear or rfm-duckdb (found ${suite})`);
const sizes = (arg('--sizes') ?? (suite === 'linear' ? '1e6,2e6,4e6,8e6' : '1e7,1e8')).split(',').map(Number);
const modes = (arg('--modes') ?? 'whole,parallel,stream,duckdb-table,duckdb-parquet').split(',');
const write = !process.argv.includes('--no-write');
/** Rounds for logs below 50M rows (each round runs every mode once, in turn); 100M runs once. */
const repeat = Number(arg('--repeat') ?? arg('--rounds') ?? (suite === 'linear' ? 3 : 5));

function child(mode: string, ipc: string, glob: string): Outcome | { mode: string; error: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096', path.join(here, 'scale-child.ts'), mode, ipc, glob],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (r.status !== 0) return { mode, error: (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Outcome;
}

/** The run with the median RFM time (its read time and checksum), with every time and the highest peak RSS. */
function medianOutcome(
  all: (Outcome | { mode: string; error: string })[],
): (Outcome & { times: number[] }) | { mode: string; error: string } {
  const failed = all.find((o): o is { mode: string; error: string } => 'error' in o);
  if (failed) return failed;
  const ok = all as Outcome[];
  const sorted = [...ok].sort((a, b) => a.rfmMs - b.rfmMs);
  const median = sorted[(sorted.length - 1) >> 1];
  const peaks = ok.map((o) => o.peakRss).filter((p): p is number => p !== null);
  return { ...median, times: ok.map((o) => o.rfmMs), peakRss: peaks.length ? Math.max(...peaks) : null };
}

const label: Record<string, string> = {
  whole: 'clientele `rfm(table)`, one thread',
  parallel: 'clientele `rfm(table, { parallel: 2 })`',
  stream: 'clientele `rfm(readBatches(ipc))`, streaming',
  'duckdb-table': 'DuckDB SQL, native table',
  'duckdb-parquet': 'DuckDB SQL over Parquet files',
};

async function main(): Promise<void> {
  // the runs use the built package, as users do (worker threads start from dist/parallel/worker.js)
  const build = spawnSync('bash', ['-c', '. scripts/ensure-build.sh bench:scale'], {
    cwd: path.join(here, '..'),
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('bench:scale: the build failed');
  if (suite === 'linear') return linearSuite();
  const started = new Date().toISOString();
  const loadBefore = os.loadavg()[0];
  const sections: string[] = [];
  for (const n of sizes) {
    const { ipc, parquetGlob } = await ensureScaleData(n);
    // rounds of all modes in turn, so that a slow spell of the machine hits every mode alike; the median per mode
    const rounds = n < 5e7 ? repeat : 1;
    const runs = new Map<string, (Outcome | { mode: string; error: string })[]>(modes.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      for (const m of modes) {
        const o = child(m, ipc, parquetGlob);
        console.log(n, JSON.stringify(o));
        runs.get(m)!.push(o);
      }
    }
    const outcomes = modes.map((m) => medianOutcome(runs.get(m)!));
    const duck = outcomes.find((o): o is Outcome & { times: number[] } => o.mode === 'duckdb-table' && !('error' in o));
    const rows = outcomes.map((o) =>
      'error' in o
        ? [label[o.mode] ?? o.mode, 'failed', '', '', '', o.error.slice(0, 120)]
        : [
            label[o.mode] ?? o.mode,
            ms(o.rfmMs) + (o.times.length > 1 ? ` (${o.times.map((t) => ms(t)).join(', ')})` : ''),
            o.readMs ? ms(o.readMs) : '—',
            duck ? (o.rfmMs / duck.rfmMs).toFixed(2) : '—',
            o.peakRss === null ? 'n/a' : mb(o.peakRss),
            `${o.customers} / ${o.checksum}`,
          ],
    );
    sections.push(
      `**${n.toLocaleString('en-US')} transactions** (about ${(n / 10).toLocaleString('en-US')} customers; Int32 ids):`,
      '',
      markdownTable(
        [
          'run',
          rounds > 1 ? `RFM time (ms): median of ${rounds} (runs)` : 'RFM time (ms)',
          'read / load (ms, not in RFM time)',
          'time / DuckDB native table',
          'peak RSS of the process',
          'customers / checksum',
        ],
        rows,
      ),
      '',
    );
  }
  const body = [
    `Run ${started} on ${machine()}. Command: \`npx tsx benchmarks/scale.bench.ts ${process.argv.slice(2).join(' ')}\`. ` +
      `Load average (1 min) ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end. Every run is its own process; ` +
      "The runs load the built package (dist/). Peak RSS is the kernel's VmHWM of that process, reset at the start of the run (it includes the Node runtime, ~50 MB, and for " +
      '`whole`/`parallel` the IPC file read into memory; with several rounds, the highest). DuckDB uses all its threads (2).',
    '',
    ...sections,
  ].join('\n');
  console.log(body);
  if (write)
    writeResultsSection(path.join(here, 'RESULTS.md'), 'Scale: RFM on 10M and 100M transactions (issue 8)', body);
}

/** The scaling table of issue 17 (scale-linear.ts). */
function linearSuite(): void {
  const started = new Date().toISOString();
  const loadAtStart = loadAverage();
  const workloads = (arg('--workloads') ?? WORKLOADS.join(',')).split(',') as (typeof WORKLOADS)[number][];
  const retailSupport = Number(arg('--retail-support') ?? 0.001);
  const cells = measureLinear(path.join(here, '..', 'dist'), { sizes, rounds: repeat, workloads, retailSupport });
  const body = [
    runLine({ started, command: commandLine(), loadAtStart }),
    '',
    `Each call in its own process from the built package (dist/), its input built before the clock starts; ${repeat} interleaved rounds over workloads and sizes. ` +
      `Baskets + mining at minSupport ${retailSupport} (the same itemsets at every multiple). Peak RSS: VmHWM of the process, reset just before the call (the highest over the rounds). ` +
      'Linear within 20 %: the CPU time per row at the largest N is within 0.8–1.2× that at the smallest.',
    '',
    linearTables(cells),
  ].join('\n');
  console.log(body);
  if (write) writeResultsSection(path.join(here, 'RESULTS.md'), 'Scaling: time against N (issue 17)', body);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
