/**
 * RFM on threads (issue 17, target 2): `rfm(table)` on one thread and `rfm(table, { parallel: 2 })` against DuckDB
 * (same process, its default threads) on the seeded log of `rfm-data.ts`, with Int32 and 9-byte string customer
 * ids, each as one chunk and as a table read from a multi-batch IPC stream (65,536-row record batches).
 *
 * Per round (rounds interleave every run): DuckDB's one-statement RFM on a native table (loaded from a temporary
 * CSV, not timed), then clientele one thread and `parallel: 2` on the one-chunk and on the multi-batch table.
 * Each run: wall time, process CPU time (all threads: DuckDB's, the workers'), and the peak RSS of the call above
 * the RSS before it (Linux `VmHWM`, reset just before the call). Medians with min–max over the rounds.
 * Checks: every clientele result equals the one-thread, one-chunk result exactly (every column, the metadata);
 * against DuckDB, the same customers, Σ frequency and Σ monetary (relative difference; DuckDB's parallel double
 * sum is not compensated).
 *
 * Worker threads: from the sources, the worker entry is bundled once with esbuild (as the test suite does) and
 * named in CLIENTELE_WORKER_BUNDLE, unless that is set already.
 *
 * Run: `npx tsx --expose-gc benchmarks/rfm-threads.bench.ts [--rows 1e7] [--rounds 3]` — prints a section for
 * `benchmarks/RESULTS.md` (nothing is written).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateDay, makeData, makeVector, Table, tableFromIPC, tableToIPC, Utf8 } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { build } from 'esbuild';
import { rfm } from '../src/index';
import { collectGarbage, machine, markdownTable, mb, median, ms, peakRssSinceReset, resetPeakRss } from './harness';
import { duckdbRfm } from './duckdb-rfm';
import { DAY0, DAYS, transactionArrays } from './rfm-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const ROWS = arg('rows', 1e7);
const ROUNDS = arg('rounds', 3);
const BATCH = 65_536;

type KeyKind = 'int' | 'string';
const stringId = (id: number) => `C${String(id).padStart(8, '0')}`;

/** The ids as a Utf8 column `C00012345`, written straight into offsets and bytes (no JS string per row). */
function customerStrings(ids: Int32Array): Vector {
  const n = ids.length;
  const data = new Uint8Array(9 * n);
  const valueOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let v = ids[i];
    data[9 * i] = 67;
    for (let j = 8; j >= 1; j--) {
      data[9 * i + j] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    valueOffsets[i + 1] = 9 * (i + 1);
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets, data }));
}

/** The log as one chunk, and the same rows read back from an IPC stream of `BATCH`-row record batches. */
function tables(tx: ReturnType<typeof transactionArrays>, keys: KeyKind): { single: Table; multi: Table } {
  const single = new Table({
    customer: keys === 'int' ? makeVector(tx.customer) : customerStrings(tx.customer),
    date: makeVector(makeData({ type: new DateDay(), length: tx.n, nullCount: 0, data: tx.date })),
    amount: makeVector(tx.amount),
  });
  const batches = [];
  for (let s = 0; s < tx.n; s += BATCH) batches.push(...single.slice(s, Math.min(tx.n, s + BATCH)).batches);
  return { single, multi: tableFromIPC(tableToIPC(new Table(batches), 'stream')) };
}

async function loadDuckDB(con: DuckDBConnection, tx: ReturnType<typeof transactionArrays>, keys: KeyKind) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-rfm-threads-'));
  const file = path.join(dir, 'tx.csv');
  const text = keys === 'int' ? String : stringId;
  const iso = new Map<number, string>();
  for (let d = DAY0; d < DAY0 + DAYS; d++) iso.set(d, new Date(d * 86_400_000).toISOString().slice(0, 10));
  const fd = openSync(file, 'w');
  writeSync(fd, 'customer,date,amount\n');
  const lines: string[] = [];
  for (let i = 0; i < tx.n; i++) {
    lines.push(`${text(tx.customer[i])},${iso.get(tx.date[i])},${tx.amount[i]}`);
    if (lines.length === 200_000 || i === tx.n - 1) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  closeSync(fd);
  try {
    await con.run(
      `CREATE OR REPLACE TABLE tx AS SELECT * FROM read_csv('${file}', header = true, ` +
        `columns = {'customer': '${keys === 'int' ? 'INTEGER' : 'VARCHAR'}', 'date': 'DATE', 'amount': 'DOUBLE'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Run {
  wall: number;
  cpu: number;
  peak: number | null;
}

async function measure<T>(f: () => Promise<T> | T): Promise<{ run: Run; value: T }> {
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const reset = resetPeakRss();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const hwm = reset ? peakRssSinceReset() : null;
  return { run: { wall, cpu: (c.user + c.system) / 1000, peak: hwm === null ? null : hwm - rssBefore }, value };
}

/** Every column and the metadata of a result, as one comparable string (exact: doubles by their bits). */
function fingerprint(t: Table): string {
  const parts: string[] = [JSON.stringify([...t.schema.metadata])];
  for (const field of t.schema.fields) {
    const values = t.getChild(field.name)!.toArray() as ArrayLike<unknown>;
    parts.push(field.name, Array.from(values, (v) => (typeof v === 'number' ? v.toString(36) : String(v))).join());
  }
  return parts.join('|');
}

const RUNS = ['DuckDB', '1 thread, one chunk', 'parallel 2, one chunk', '1 thread, batches', 'parallel 2, batches'];

async function main(): Promise<void> {
  if (process.env.CLIENTELE_WORKER_BUNDLE === undefined) {
    const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'clientele-worker-')), 'worker.mjs');
    await build({
      entryPoints: [path.join(HERE, '../src/parallel/worker.ts')],
      ...{ bundle: true, platform: 'node', format: 'esm', target: 'es2022', outfile, logLevel: 'warning' },
    });
    process.env.CLIENTELE_WORKER_BUNDLE = outfile;
  }
  const load0 = os.loadavg();
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const threads = (await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  const tx = transactionArrays(ROWS);
  const rows: string[][] = [];
  const checks: string[] = [];
  for (const keys of ['int', 'string'] as KeyKind[]) {
    const { single, multi } = tables(tx, keys);
    await loadDuckDB(con, tx, keys);
    const runs: Run[][] = RUNS.map(() => []);
    let reference = '';
    let ours: Table | undefined;
    const same: boolean[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const results: Run[] = [];
      results.push((await measure(() => con.run(duckdbRfm('res', 'sum')))).run);
      for (const [table, parallel] of [
        [single, 1],
        [single, 2],
        [multi, 1],
        [multi, 2],
      ] as const) {
        const { run, value } = await measure(() => (parallel === 1 ? rfm(table) : rfm(table, { parallel })));
        results.push(run);
        const print = fingerprint(value as Table);
        if (reference === '') {
          reference = print;
          ours = value as Table;
        } else same.push(print === reference);
      }
      if (round > 0) results.forEach((r, i) => runs[i].push(r)); // round 0 warms up
      process.stderr.write(`${keys} round ${round}: ${results.map((r) => ms(r.wall)).join(' / ')} ms\n`);
    }
    const duck = (await con.runAndReadAll('SELECT count(*), sum(frequency), sum(monetary) FROM res')).getRows()[0];
    const freq = (ours!.getChild('frequency')!.toArray() as Int32Array).reduce((s, v) => s + v, 0);
    const money = (ours!.getChild('monetary')!.toArray() as Float64Array).reduce((s, v) => s + v, 0);
    checks.push(
      `${keys === 'int' ? 'Int32' : 'Utf8'} ids: every clientele run equal to one thread on one chunk, exactly: ` +
        `${same.every(Boolean) ? 'yes' : 'NO'} (${same.length} compared); customers ${ours!.numRows} vs DuckDB ` +
        `${Number(duck[0])}; Σ frequency ${freq} vs ${Number(duck[1])}; ` +
        `Σ monetary rel. diff ${(Math.abs(money - Number(duck[2])) / Number(duck[2])).toExponential(1)}`,
    );
    const duckWall = median(runs[0].map((r) => r.wall));
    const spread = (v: number[]) => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;
    RUNS.forEach((name, i) => {
      const walls = runs[i].map((r) => r.wall);
      const peaks = runs[i].map((r) => r.peak).filter((p): p is number => p !== null);
      rows.push([
        keys === 'int' ? 'Int32' : 'Utf8',
        name,
        spread(walls),
        spread(runs[i].map((r) => r.cpu)),
        i === 0 ? '1' : `${(median(walls) / duckWall).toFixed(2)}×`,
        peaks.length ? mb(median(peaks)) : 'n/a',
      ]);
    });
  }
  const load1 = os.loadavg();
  const command = `npx tsx --expose-gc benchmarks/rfm-threads.bench.ts --rows ${ROWS} --rounds ${ROUNDS}`;
  console.log(`## RFM on threads (issue 17)

Run ${new Date().toISOString()} on ${machine()}; DuckDB with ${String(threads)} threads in the same process. Command: \`${command}\`. Load average (1, 5 min) ${load0[0].toFixed(1)}, ${load0[1].toFixed(1)} at the start and ${load1[0].toFixed(1)}, ${load1[1].toFixed(1)} at the end. ${ROWS.toExponential(0)} rows, ⌊rows/10⌋ customers; batches: an IPC stream of ${BATCH}-row record batches read back with \`tableFromIPC\`. Medians of ${ROUNDS} interleaved rounds after a warm-up (min–max); CPU is the whole process's (DuckDB's and the workers' threads included); peak is the call's VmHWM above the RSS before it.

${markdownTable(['ids', 'run', 'wall ms', 'CPU ms', 'wall / DuckDB', 'peak RSS extra'], rows)}

${checks.map((c) => `- ${c}`).join('\n')}
`);
  con.closeSync();
  process.exit(0);
}

void main();
