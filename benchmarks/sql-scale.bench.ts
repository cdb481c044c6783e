/**
 * SQL scale benchmark (issue 20): the analyses pushed down to DuckDB over a generated Parquet log of N transactions
 * (default 100M), end to end — customer summary, RFM, BG/NBD + Gamma-Gamma on the pattern counts, k-means (k = 8) —
 * with wall and CPU time and the peak RSS of the Node process, which holds DuckDB but never the rows; and the same
 * steps in-process (clientele's `readTable` of the file, then the analysis) on a log that fits, for the ratios.
 *
 *   npm run bench:sql-scale                                  # 1e8 rows, in-process comparison at 1e7
 *   npx tsx benchmarks/sql-scale.bench.ts --rows 1e7         # 10M rows, SQL and in-process side by side
 *   npx tsx benchmarks/sql-scale.bench.ts --rows 1e5 --no-write   # smoke test (a few seconds per step)
 *
 * Options: `--rows N` (default 1e8), `--in-process-rows M` (the comparison's log, default min(N, 1e7); 0 skips it),
 * `--dir D` (where the Parquet logs are written and reused; default <os.tmpdir()>/clientele-sql-scale; DuckDB spills
 * there too), `--memory-limit` (DuckDB's, default 4GB), `--threads` (DuckDB's, default 2), `--repeat R` (rounds;
 * default 3 below 20M rows, else 1), `--steps summary,rfm,clv,kmeans`, `--seed` (20), `--no-write` (print only),
 * `--kmeans-subquery` (k-means reads the customer-summary SQL as a sub-query at every pass instead of a temp table
 * made from it once).
 *
 * Each step runs in its own child process (sql-scale-child.ts) so that its peak RSS is its own; rounds run every
 * step in turn (SQL and in-process alternating), so that a slow spell of the machine hits them alike; the tables
 * give the median with the min–max. Steps 'clv' (runSql's 'clvPatterns', 'spendPatterns') and 'kmeans'
 * (`kmeansInSql`) print "skipped: not built" until those exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine, markdownTable, mb, median, writeResultsSection } from './harness';
import type { StepOutcome, StepSettings } from './sql-scale-child';

const here = path.dirname(new URL(import.meta.url).pathname);
const arg = (name: string) => {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
};
const rows = Number(arg('--rows') ?? 1e8);
const compareRows = Number(arg('--in-process-rows') ?? Math.min(rows, 1e7));
const dir = arg('--dir') ?? path.join(os.tmpdir(), 'clientele-sql-scale');
const memoryLimit = arg('--memory-limit') ?? '4GB';
const threads = Number(arg('--threads') ?? 2);
const seed = Number(arg('--seed') ?? 20);
const steps = (arg('--steps') ?? 'summary,rfm,clv,kmeans').split(',');
const repeatOf = (n: number) => Number(arg('--repeat') ?? (n < 2e7 ? 3 : 1));
const write = !process.argv.includes('--no-write');
const kmeansSubquery = process.argv.includes('--kmeans-subquery');

type Failed = { step: string; error: string };
type Run = StepOutcome | Failed;
const failed = (r: Run): r is Failed => 'error' in r;

const count = (n: number) => n.toLocaleString('en-US');
const sec = (t: number) => (t / 1000).toFixed(t < 10_000 ? 2 : 1);
const fileOf = (n: number) => path.join(dir, `tx-${n}-seed${seed}.parquet`);

function child(step: string, file: string, n: number): Run {
  const settings: StepSettings = {
    rows: n,
    seed,
    memoryLimit,
    threads,
    tempDirectory: path.join(dir, 'spill'),
    kmeansSubquery,
  };
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      '--max-old-space-size=8192',
      path.join(here, 'sql-scale-child.ts'),
      step,
      file,
      JSON.stringify(settings),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) return { step, error: (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as StepOutcome;
}

/** Writes the log of n rows unless it is there; returns the generation run (undefined when reused). */
function ensureLog(n: number): StepOutcome | undefined {
  mkdirSync(path.join(dir, 'spill'), { recursive: true });
  const file = fileOf(n);
  if (existsSync(file)) return undefined;
  console.log(`generating ${count(n)} rows into ${file} …`);
  const g = child('generate', file, n);
  if (failed(g)) throw new Error(`generate ${n}: ${g.error}`);
  console.log(JSON.stringify(g));
  return g;
}

/** Rounds of the given steps in turn; the runs of each step. */
function rounds(list: readonly string[], n: number): Map<string, Run[]> {
  const runs = new Map<string, Run[]>(list.map((s) => [s, []]));
  for (let r = 0; r < repeatOf(n); r++) {
    for (const s of list) {
      const o = child(s, fileOf(n), n);
      console.log(count(n), JSON.stringify(o));
      runs.get(s)!.push(o);
    }
  }
  return runs;
}

/** Median (min–max) of a measure over the runs, formatted. */
function spread(runs: readonly StepOutcome[], of: (o: StepOutcome) => number, fmt: (x: number) => string): string {
  const xs = runs.map(of);
  if (xs.length === 1) return fmt(xs[0]);
  return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}
const medianOf = (runs: readonly StepOutcome[], of: (o: StepOutcome) => number) => median(runs.map(of));
const peak = (o: StepOutcome) => o.peakRss ?? o.maxRss;

const STEP_LABEL: Record<string, string> = {
  summary: "customer summary: `runSql(con, 'customerSummary', …)`",
  rfm: "RFM: `runSql(con, 'rfm', …)`",
  clv: "CLV: `runSql` 'clvPatterns' + `fitBgNbd`, 'spendPatterns' + `fitGammaGamma` (weights: 'count')",
  kmeans: kmeansSubquery
    ? "k-means k = 8: `kmeansInSql(con, { table: '(' + toSql('customerSummary', …) + ')', k: 8, … })`"
    : "k-means k = 8: the customerSummary SQL made a temp table, then `kmeansInSql(con, { table: 'customer_summary', k: 8, … })`",
};
const JS_LABEL: Record<string, string> = {
  summary: '`customerSummary(tx)`',
  rfm: '`rfm(tx)`',
  clv: '`summaryFromTransactions(tx)`, `fitBgNbd`, `fitGammaGamma`',
  kmeans: '`customerSummary(tx)`, `kmeans(…, { k: 8, nInit: 1 })`',
};

const resultText = (r: StepOutcome['result']) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'number' ? count(v) : v}`)
    .join('; ');

/** How the SQL result agrees with the in-process one. */
function agreement(step: string, s: StepOutcome['result'], j: StepOutcome['result']): string {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
  const maxRel = (a: unknown, b: unknown) =>
    Array.isArray(a) && Array.isArray(b) && a.length === b.length
      ? Math.max(...a.map((x, i) => rel(Number(x), Number(b[i]))))
      : NaN;
  const drops = ` (dropped rows: SQL ${s.dropped}; in-process ${j.dropped})`;
  if (step === 'summary')
    return (
      (s.customers === j.customers && s.sumFrequency === j.sumFrequency
        ? `same customers and Σ frequency; Σ monetary rel. diff ${rel(Number(s.sumMonetary), Number(j.sumMonetary)).toExponential(1)}`
        : `differ: SQL ${resultText(s)} / in-process ${resultText(j)}`) + drops
    );
  if (step === 'rfm')
    return (
      (s.customers === j.customers
        ? `same customers; checksum Σ(100r+10f+m) ${count(Number(s.checksum))} vs ${count(Number(j.checksum))}`
        : `customers differ: ${s.customers} vs ${j.customers}`) + drops
    );
  if (step === 'clv')
    return `BG/NBD params max rel. diff ${maxRel(s.bgNbd, j.bgNbd).toExponential(1)}, Gamma-Gamma ${maxRel(s.gammaGamma, j.gammaGamma).toExponential(1)}`;
  return `centroid frequencies max rel. diff ${maxRel(s.centroidFrequencies, j.centroidFrequencies).toExponential(1)} (own seedings)`;
}

function main(): void {
  const started = new Date().toISOString();
  const loadStart = os.loadavg();
  const generated: [number, StepOutcome | undefined][] = [];
  for (const n of new Set([rows, ...(compareRows > 0 ? [compareRows] : [])])) generated.push([n, ensureLog(n)]);

  const sqlSteps = steps.map((s) => `sql-${s}`);
  const big = compareRows === rows ? undefined : rounds(sqlSteps, rows);
  const compare =
    compareRows > 0
      ? rounds(
          steps.flatMap((s) => [`sql-${s}`, `js-${s}`]),
          compareRows,
        )
      : new Map<string, Run[]>();
  const loadEnd = os.loadavg();

  const ok = (runs: Run[] | undefined) => (runs ?? []).filter((r): r is StepOutcome => !failed(r) && !r.skipped);
  const problem = (runs: Run[] | undefined) => {
    const bad = (runs ?? []).find((r) => failed(r) || r.skipped);
    return bad ? (failed(bad) ? `failed: ${bad.error.slice(0, 160)}` : bad.skipped!) : 'not run';
  };
  const anyRun = [...(big?.values() ?? []), ...compare.values()].flat().find((r): r is StepOutcome => !failed(r));
  const duck = anyRun?.duckdb;

  const lines: string[] = [];
  lines.push(
    `Run ${started} on ${machine()}. Command: \`npx tsx benchmarks/sql-scale.bench.ts ${process.argv.slice(2).join(' ')}\`. ` +
      `Load average (1, 5 min) ${loadStart[0].toFixed(1)}, ${loadStart[1].toFixed(1)} at the start and ${loadEnd[0].toFixed(1)}, ${loadEnd[1].toFixed(1)} at the end. ` +
      `DuckDB ${duck ? `memory_limit ${duck.memoryLimit}, threads ${duck.threads}` : `memory_limit ${memoryLimit}, threads ${threads}`} (set explicitly), ` +
      'in the Node process (its buffers count in the RSS). Every step is its own child process; rounds run the steps in turn.',
    '',
  );
  for (const [n, g] of generated) {
    const bytes = statSync(fileOf(n)).size;
    lines.push(
      g
        ? `Log of ${count(n)} rows generated by DuckDB (\`COPY … TO parquet\`, zstd) in ${sec(g.wallMs)} s wall, ${sec(g.cpuMs)} s CPU: ` +
            `${count(Number(g.result.customers))} customers, ${count(Number(g.result.returns))} returns, ${mb(bytes)} on disk.`
        : `Log of ${count(n)} rows reused from \`${fileOf(n)}\` (${mb(bytes)}; generation is timed when the file is written).`,
    );
  }
  lines.push('');

  const sqlRuns = (s: string) => (big ? big.get(`sql-${s}`) : compare.get(`sql-${s}`));
  lines.push(
    `**${count(rows)} transactions, pushed down to DuckDB over Parquet** (${repeatOf(rows) > 1 ? `median (min–max) of ${repeatOf(rows)} rounds` : 'one round'}):`,
    '',
    markdownTable(
      [
        'step',
        'wall (s)',
        'CPU of the process (s)',
        'peak RSS of the process',
        'RSS at start (DuckDB open)',
        'peak JS heap + arrayBuffers',
        'result',
      ],
      steps.map((s) => {
        const runs = ok(sqlRuns(s));
        if (runs.length === 0) return [STEP_LABEL[s] ?? s, problem(sqlRuns(s)), '', '', '', '', ''];
        return [
          STEP_LABEL[s] ?? s,
          spread(runs, (o) => o.wallMs, sec) +
            (Object.keys(runs[0].phases).length > 1
              ? ` — ${Object.keys(runs[0].phases)
                  .map((p) => `${p} ${sec(medianOf(runs, (o) => o.phases[p]))}`)
                  .join(', ')}`
              : ''),
          spread(runs, (o) => o.cpuMs, sec),
          spread(runs, peak, mb),
          mb(medianOf(runs, (o) => o.rssBefore)),
          spread(runs, (o) => o.peakJs, mb),
          resultText(runs[0].result),
        ];
      }),
    ),
    '',
  );

  if (compareRows > 0) {
    const inMemoryBytes = 16; // Int32 customer + Date32 date + Float64 amount per row, as Arrow holds them
    lines.push(
      `**${count(compareRows)} transactions: SQL pushdown against the in-process path** (\`readTable\` of the same Parquet file, then the analysis; ` +
        `${repeatOf(compareRows) > 1 ? `median (min–max) of ${repeatOf(compareRows)} rounds` : 'one round'}):`,
      '',
      markdownTable(
        [
          'step',
          'SQL wall (s)',
          'in-process wall (s), read included',
          'of which readTable',
          'time in-process / SQL',
          'CPU (s) SQL / in-process',
          'peak RSS SQL',
          'peak RSS in-process',
          'RSS in-process / SQL',
          'agreement',
        ],
        steps.map((s) => {
          const q = ok(compare.get(`sql-${s}`));
          const j = ok(compare.get(`js-${s}`));
          if (q.length === 0 || j.length === 0)
            return [
              `${s}: ${JS_LABEL[s] ?? s}`,
              q.length ? sec(medianOf(q, (o) => o.wallMs)) : problem(compare.get(`sql-${s}`)),
              j.length ? spread(j, (o) => o.wallMs, sec) : problem(compare.get(`js-${s}`)),
              j.length ? sec(medianOf(j, (o) => o.readMs)) : '',
              '',
              j.length ? `— / ${sec(medianOf(j, (o) => o.cpuMs))}` : '',
              q.length ? mb(medianOf(q, peak)) : '',
              j.length ? mb(medianOf(j, peak)) : '',
              '',
              '',
            ];
          return [
            `${s}: ${JS_LABEL[s] ?? s}`,
            spread(q, (o) => o.wallMs, sec),
            spread(j, (o) => o.wallMs, sec),
            sec(medianOf(j, (o) => o.readMs)),
            (medianOf(j, (o) => o.wallMs) / medianOf(q, (o) => o.wallMs)).toFixed(2),
            `${sec(medianOf(q, (o) => o.cpuMs))} / ${sec(medianOf(j, (o) => o.cpuMs))}`,
            spread(q, peak, mb),
            spread(j, peak, mb),
            (medianOf(j, peak) / medianOf(q, peak)).toFixed(2),
            agreement(s, q[0].result, j[0].result),
          ];
        }),
      ),
      '',
    );
    // the in-process step whose peak grows most above its start, scaled by the rows (the runtime's share is not)
    const growth = steps
      .map((s) => ok(compare.get(`js-${s}`)))
      .filter((r) => r.length > 0)
      .map((r) => ({ start: medianOf(r, (o) => o.rssBefore), above: medianOf(r, (o) => peak(o) - o.rssBefore) }))
      .sort((a, b) => b.above - a.above)[0];
    lines.push(
      `At ${count(rows)} rows the log alone is ${mb(rows * inMemoryBytes)} of Arrow buffers in JavaScript (16 bytes a row: Int32 customer, ` +
        `Date32 date, Float64 amount)` +
        (growth !== undefined
          ? `; the largest in-process growth above (${mb(growth.above)} above a start of ${mb(growth.start)} at ${count(compareRows)} rows) ` +
            `scaled by the rows gives a peak of about ${mb(growth.start + (growth.above * rows) / compareRows)}.`
          : '.'),
    );
  }
  const body = lines.join('\n');
  console.log(body);
  if (write)
    writeResultsSection(
      path.join(here, 'RESULTS.md'),
      `SQL pushdown at scale: DuckDB over ${count(rows)} Parquet transactions` +
        `${memoryLimit === '4GB' ? '' : `, memory_limit ${memoryLimit}`} (issue 20)`,
      body,
    );
}

main();
