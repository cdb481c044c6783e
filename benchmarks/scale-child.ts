/**
 * One run of the scale benchmark in a fresh process, so that its peak memory is its own:
 *
 *   tsx --expose-gc benchmarks/scale-child.ts <mode> <ipc file> <parquet glob>
 *
 * Runs the built package (dist/). Modes: `whole` (read the IPC file into a Table, then `rfm`), `parallel` (the same with `parallel: 2`),
 * `stream` (`rfm` over `readBatches` of the IPC file: the log is never whole in memory), `duckdb-table` (DuckDB's
 * RFM statement on a native table loaded from the Parquet files; the load is not timed), `duckdb-parquet` (the same
 * statement straight over `read_parquet`). Prints one JSON line: times, the peak RSS of the process since the
 * start of the run (VmHWM, reset first), and a checksum of the scores to compare the modes.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { peakRssSinceReset, resetPeakRss, timed } from './harness';
import { duckdbRfm } from './duckdb-rfm';

export interface Outcome {
  mode: string;
  readMs: number;
  rfmMs: number;
  totalMs: number;
  peakRss: number | null;
  customers: number;
  checksum: number;
}

function checksum(r: ArrayLike<number>, f: ArrayLike<number>, m: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * 100 + f[i] * 10 + m[i];
  return s;
}

/** r, f, m are dictionary-encoded score labels: read them through `get`, once, after the timing. */
function scores(t: Table): number {
  const codes = (name: string) => {
    const v = t.getChild(name)!;
    return Array.from({ length: v.length }, (_, i) => Number(v.get(i)));
  };
  return checksum(codes('r'), codes('f'), codes('m'));
}

/**
 * The built package (dist/, as users run it; scale.bench.ts builds it when stale), loaded by URL so that type-checking
 * the benchmarks does not need a build. Worker threads then start from the bundle, not through tsx.
 */
type Library = typeof import('../src/index');
const lib = (await import(pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href)) as Library;
const { readBatches, rfm } = lib;

async function run(mode: string, ipc: string, parquetGlob: string): Promise<Outcome> {
  resetPeakRss();
  const start = performance.now();
  if (mode === 'whole' || mode === 'parallel') {
    const read = await timed(() => tableFromIPC(readFileSync(ipc)));
    const scored = await timed(async () =>
      mode === 'whole' ? rfm(read.value) : await rfm(read.value, { parallel: 2 }),
    );
    return {
      mode,
      readMs: read.ms,
      rfmMs: scored.ms,
      totalMs: performance.now() - start,
      peakRss: peakRssSinceReset(),
      customers: scored.value.numRows,
      checksum: scores(scored.value),
    };
  }
  if (mode === 'stream') {
    const scored = await timed(() => rfm(readBatches(ipc)));
    return {
      mode,
      readMs: 0,
      rfmMs: scored.ms,
      totalMs: performance.now() - start,
      peakRss: peakRssSinceReset(),
      customers: scored.value.numRows,
      checksum: scores(scored.value),
    };
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  let readMs = 0;
  let source = `read_parquet('${parquetGlob}')`;
  if (mode === 'duckdb-table') {
    readMs = (await timed(() => con.run(`CREATE TABLE tx AS SELECT * FROM read_parquet('${parquetGlob}')`))).ms;
    source = 'tx';
  } else if (mode !== 'duckdb-parquet') throw new Error(`unknown mode ${mode}`);
  const q = await timed(() => con.run(duckdbRfm('res', 'sum', source)));
  const rows = (await con.runAndReadAll('SELECT count(*), sum(r * 100 + f * 10 + m) FROM res')).getRows()[0];
  return {
    mode,
    readMs,
    rfmMs: q.ms,
    totalMs: performance.now() - start,
    peakRss: peakRssSinceReset(),
    customers: Number(rows[0]),
    checksum: Number(rows[1]),
  };
}

const [mode, ipc, parquetGlob] = process.argv.slice(2);
run(mode, ipc, parquetGlob).then(
  (o) => console.log(JSON.stringify(o)),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
