/**
 * One step of the SQL scale benchmark in a fresh process, so that its peak memory is its own:
 *
 *   tsx --expose-gc benchmarks/sql-scale-child.ts <step> <parquet file> <json settings>
 *
 * Steps: `generate` (DuckDB writes the log, see sql-scale-data.ts); `sql-summary`, `sql-rfm`, `sql-clv`,
 * `sql-kmeans` (DuckDB in this process scans the Parquet file; only the results enter JavaScript); `js-summary`,
 * `js-rfm`, `js-clv`, `js-kmeans` (the in-process path: `readTable` of the same file with clientele's reader,
 * then the analysis). Prints one JSON line (the last of its output): wall and CPU time of the process (all its
 * threads, DuckDB's included), the peak RSS (`process.resourceUsage().maxRSS`, and the kernel's VmHWM reset at the
 * start of the step), the peak of V8 heap + arrayBuffers (sampled every 5 ms and at each phase's end), and what the
 * step computed (to compare the SQL and in-process paths).
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import {
  customerSummary,
  droppedRows,
  fitBgNbd,
  fitGammaGamma,
  kmeans,
  readTable,
  rfm,
  summaryFromTransactions,
  toSql,
} from '../src/index';
import * as sql from '../src/sql/index';
import { collectGarbage, peakRssSinceReset, resetPeakRss } from './harness';
import { candidatesTotalSql, copySql, customersSql } from './sql-scale-data';

/** What the orchestrator passes every step. */
export interface StepSettings {
  rows: number;
  seed: number;
  memoryLimit: string;
  threads: number;
  /** Where DuckDB may spill (the data directory). */
  tempDirectory: string;
  /** sql-kmeans: pass the customer-summary SQL as kmeansInSql's table instead of making it a table first. */
  kmeansSubquery?: boolean;
}

/** What a step prints. */
export interface StepOutcome {
  step: string;
  /** Set when the step could not run (an analysis not built yet); the other fields are then zero. */
  skipped?: string;
  wallMs: number;
  cpuMs: number;
  /** In-process steps: reading the Parquet file (included in wallMs). */
  readMs: number;
  /** SQL steps: importing @duckdb/node-api and opening the in-memory instance (not in wallMs). */
  openMs: number;
  /** Phases of the step: name → wall ms. */
  phases: Record<string, number>;
  /** RSS when the step started (runtime, modules, and for SQL steps the open DuckDB instance), bytes. */
  rssBefore: number;
  /** Kernel VmHWM since the reset at the start of the step, bytes (null off Linux). */
  peakRss: number | null;
  /** `process.resourceUsage().maxRSS` in bytes: the peak over the process life. */
  maxRss: number;
  /** Peak of V8 heapUsed + arrayBuffers, bytes. */
  peakJs: number;
  /** DuckDB's settings as it reports them (SQL steps). */
  duckdb?: { memoryLimit: string; threads: string };
  /** What the step computed. */
  result: Record<string, number | string | number[]>;
}

const [step, file, settingsText] = process.argv.slice(2);
const settings = JSON.parse(settingsText) as StepSettings;
const FEATURES = ['recency', 'frequency', 'monetary'];

let peakJs = 0;
const sampleJs = (): void => {
  const m = process.memoryUsage();
  peakJs = Math.max(peakJs, m.heapUsed + m.arrayBuffers);
};

async function duckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', {
    memory_limit: settings.memoryLimit,
    threads: String(settings.threads),
    temp_directory: settings.tempDirectory,
  });
  const con = await db.connect();
  const row = (await con.runAndReadAll("SELECT current_setting('memory_limit'), current_setting('threads')")).getRows();
  reported = { memoryLimit: String(row[0][0]), threads: String(row[0][1]) };
  return con;
}
/** DuckDB's settings as the instance of this step reported them. */
let reported: StepOutcome['duckdb'];
type Connection = Awaited<ReturnType<typeof duckdb>>;

const numbers = (t: Table, name: string): number[] => {
  const v = t.getChild(name)!;
  return Array.from({ length: v.length }, (_, i) => Number(v.get(i)));
};
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Σ(100 r + 10 f + m) over customers, the checksum of scale.bench.ts. */
const rfmChecksum = (t: Table) => {
  const [r, f, m] = ['r', 'f', 'm'].map((c) => numbers(t, c));
  return sum(r.map((x, i) => 100 * x + 10 * f[i] + m[i]));
};
const summaryFigures = (t: Table) => ({
  customers: t.numRows,
  sumFrequency: sum(numbers(t, 'frequency')),
  sumMonetary: Math.round(sum(numbers(t, 'monetary')) * 100) / 100,
});
/** The rows the analysis dropped, by reason, as `droppedRows` reads them ('not counted' without the metadata). */
const dropped = (t: Table): string => {
  if (t.schema.metadata.get('clientele.rows') === undefined) return 'not counted';
  const d = droppedRows(t).dropped as Record<string, number>;
  const reasons = Object.keys(d).sort();
  return reasons.length ? reasons.map((r) => `${r} ${d[r]}`).join(', ') : 'none';
};
const paramsOf = (p: Record<string, number>) => Object.keys(p).map((k) => Number(p[k].toPrecision(8)));
/** The centroids' sorted sums of squares, a label-free summary of a k-means result. */
const centroidFigures = (centroids: readonly (readonly number[])[]) =>
  centroids.map((c) => Number(c[1].toPrecision(6))).sort((a, b) => a - b);

async function generate(con: Connection): Promise<StepOutcome['result'] & { customers: number }> {
  let candidates = Math.max(1000, Math.ceil(settings.rows / 12));
  for (;;) {
    await con.run(customersSql(candidates, settings.seed));
    const total = Number((await con.runAndReadAll(candidatesTotalSql)).getRows()[0][0]);
    if (total >= settings.rows) break;
    candidates *= 2;
  }
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  await con.run(copySql(settings.rows, tmp, settings.seed));
  renameSync(tmp, file);
  const q = `'${file.replace(/'/g, "''")}'`;
  const [rows, customers, returns] = (
    await con.runAndReadAll(
      `SELECT count(*), count(DISTINCT customer), count(*) FILTER (WHERE amount < 0) FROM read_parquet(${q})`,
    )
  ).getRows()[0];
  return {
    rows: Number(rows),
    customers: Number(customers),
    returns: Number(returns),
    bytes: statSync(file).size,
  };
}

/** The `table` option: a sub-query over the Parquet file. */
const table = () => `(SELECT * FROM read_parquet('${file.replace(/'/g, "''")}'))`;

type Phases = Record<string, number>;
async function phase<T>(phases: Phases, name: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await fn();
  phases[name] = performance.now() - t0;
  sampleJs();
  return value;
}

async function sqlStep(con: Connection, phases: Phases): Promise<StepOutcome['result'] | string> {
  const source = table();
  const analyses = sql.SQL_ANALYSES as readonly string[];
  if (step === 'sql-summary') {
    const t = await phase(phases, 'customerSummary', () => sql.runSql(con, 'customerSummary', { table: source }));
    return { ...summaryFigures(t), dropped: dropped(t) };
  }
  if (step === 'sql-rfm') {
    const t = await phase(phases, 'rfm', () => sql.runSql(con, 'rfm', { table: source }));
    return { customers: t.numRows, checksum: rfmChecksum(t), dropped: dropped(t) };
  }
  if (step === 'sql-clv') {
    if (!analyses.includes('clvPatterns') || !analyses.includes('spendPatterns'))
      return "skipped: not built (runSql's 'clvPatterns' / 'spendPatterns')";
    // the analyses are typed by the SqlAnalysis union once they exist; until then the names go through unknown
    const run = sql.runSql as unknown as (c: unknown, a: string, o: { table: string }) => Promise<Table>;
    const patterns = await phase(phases, 'clvPatterns', () => run(con, 'clvPatterns', { table: source }));
    const bg = await phase(phases, 'fitBgNbd', () => fitBgNbd(patterns, { weights: 'count' }));
    const spend = await phase(phases, 'spendPatterns', () => run(con, 'spendPatterns', { table: source }));
    const gg = await phase(phases, 'fitGammaGamma', () => fitGammaGamma(spend, { weights: 'count' }));
    return {
      patterns: patterns.numRows,
      spendPatterns: spend.numRows,
      bgNbd: paramsOf(bg.params),
      gammaGamma: paramsOf(gg.params),
    };
  }
  if (step === 'sql-kmeans') {
    const kmeansInSql = (sql as Record<string, unknown>).kmeansInSql;
    if (typeof kmeansInSql !== 'function') return 'skipped: not built (kmeansInSql)';
    const summary = toSql('customerSummary', { table: source });
    const fit = kmeansInSql as (c: unknown, o: object) => Promise<{ centroids: number[][]; iterations: number }>;
    // by default the summary is made once as a DuckDB table (what a user would do: each of the ~25 passes of
    // k-means|| and Lloyd reads its table, and a sub-query would re-aggregate the whole log at every pass);
    // settings.kmeansSubquery passes the summary SQL itself as the table
    let kmeansTable = `(${summary})`;
    if (!settings.kmeansSubquery) {
      await phase(phases, 'summary table', () => con.run(`CREATE TEMP TABLE customer_summary AS ${summary}`));
      kmeansTable = 'customer_summary';
    }
    const seg = await phase(phases, 'kmeansInSql', () =>
      fit(con, { table: kmeansTable, columns: FEATURES, k: 8, seed: settings.seed }),
    );
    return { iterations: seg.iterations, centroidFrequencies: centroidFigures(seg.centroids) };
  }
  throw new Error(`unknown step ${step}`);
}

async function jsStep(phases: Phases): Promise<StepOutcome['result']> {
  const tx = await phase(phases, 'readTable', () => readTable(file));
  if (step === 'js-summary') {
    const t = await phase(phases, 'customerSummary', () => customerSummary(tx));
    return { ...summaryFigures(t), dropped: dropped(t) };
  }
  if (step === 'js-rfm') {
    const t = await phase(phases, 'rfm', () => rfm(tx));
    return { customers: t.numRows, checksum: rfmChecksum(t), dropped: dropped(t) };
  }
  if (step === 'js-clv') {
    const summary = await phase(phases, 'summaryFromTransactions', () => summaryFromTransactions(tx));
    const bg = await phase(phases, 'fitBgNbd', () => fitBgNbd(summary));
    const gg = await phase(phases, 'fitGammaGamma', () => fitGammaGamma(summary));
    return { bgNbd: paramsOf(bg.params), gammaGamma: paramsOf(gg.params) };
  }
  if (step === 'js-kmeans') {
    const summary = await phase(phases, 'customerSummary', () => customerSummary(tx));
    const seg = await phase(phases, 'kmeans', () =>
      kmeans(summary, { columns: FEATURES, k: 8, seed: settings.seed, nInit: 1 }),
    );
    return { iterations: seg.iterations, centroidFrequencies: centroidFigures(seg.centroids) };
  }
  throw new Error(`unknown step ${step}`);
}

async function main(): Promise<StepOutcome> {
  if (step === 'generate' && existsSync(file)) throw new Error(`${file} exists`);
  // DuckDB is opened before the step starts (not timed; its footprint is in rssBefore)
  const t = performance.now();
  const con = step === 'generate' || step.startsWith('sql-') ? await duckdb() : undefined;
  const openMs = performance.now() - t;
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  resetPeakRss();
  sampleJs();
  const sampler = setInterval(sampleJs, 5);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const phases: Phases = {};
  let result: StepOutcome['result'] | string;
  if (con === undefined) result = await jsStep(phases);
  else result = step === 'generate' ? await generate(con) : await sqlStep(con, phases);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  sampleJs();
  const skipped = typeof result === 'string' ? result : undefined;
  return {
    step,
    ...(skipped ? { skipped } : {}),
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    readMs: phases.readTable ?? 0,
    openMs,
    phases,
    rssBefore,
    peakRss: peakRssSinceReset(),
    maxRss: process.resourceUsage().maxRSS * 1024,
    peakJs,
    ...(reported ? { duckdb: reported } : {}),
    result: typeof result === 'string' ? {} : result,
  };
}

main().then(
  (o) => {
    console.log(JSON.stringify(o));
    process.exit(0);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
