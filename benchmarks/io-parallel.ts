/**
 * Part 5 of benchmarks/io.bench.ts (issue 17, target 3): `readTable` of a CSV on one thread and on N threads
 * against DuckDB's `read_csv` materialised, interleaved rounds, wall and CPU time, result checks.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { build } from 'esbuild';
import { readTable } from '../src/io/index';
import { collectGarbage, machine, markdownTable, mb, median, ms } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Wall and CPU (user + system, every thread of the process) of one call. */
async function measured<T>(run: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, value };
}

/** Workers start from a bundle of the worker entry, as from dist/ (not by compiling the sources in each thread). */
async function workerBundle(): Promise<void> {
  const outfile = path.join(os.tmpdir(), `clientele-bench-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(HERE, '..', 'src', 'parallel', 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'es2022',
    outfile,
    logLevel: 'warning',
  });
  process.env.CLIENTELE_WORKER_BUNDLE = outfile;
}

/** Equal tables: schema, batch lengths, and per batch and column the null bitmap and every value. */
function sameTables(a: Table, b: Table): boolean {
  if (String(a.schema) !== String(b.schema) || a.batches.length !== b.batches.length) return false;
  for (let k = 0; k < a.batches.length; k++) {
    const x = a.batches[k];
    const y = b.batches[k];
    if (x.numRows !== y.numRows) return false;
    for (let c = 0; c < x.numCols; c++) {
      const dx = x.getChildAt(c)!.data[0];
      const dy = y.getChildAt(c)!.data[0];
      if (dx.nullCount !== dy.nullCount) return false;
      for (let i = 0; i < x.numRows; i++) if (dx.getValid(i) !== dy.getValid(i)) return false;
      if (dx.valueOffsets !== undefined) {
        const ox = dx.valueOffsets;
        const oy = dy.valueOffsets;
        for (let i = 0; i <= x.numRows; i++) if (ox[i] - ox[0] !== oy[i] - oy[0]) return false;
        for (let i = 0; i < ox[x.numRows] - ox[0]; i++) if (dx.values[ox[0] + i] !== dy.values[oy[0] + i]) return false;
      } else {
        const vx = dx.values as ArrayLike<number>;
        const vy = dy.values as ArrayLike<number>;
        const n = String(dx.type) === 'Bool' ? (x.numRows + 7) >> 3 : x.numRows;
        for (let i = 0; i < n; i++) if (!Object.is(vx[i], vy[i])) return false;
      }
    }
  }
  return true;
}

const stat = (v: number[]) => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;

export async function parallelCsvSection(
  file: string,
  size: number,
  rows: number,
  o: { threads: number; rounds: number },
): Promise<string> {
  await workerBundle();
  const started = new Date().toISOString();
  const loadBefore = os.loadavg()[0];
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const duckThreads = String((await con.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0]);
  const version = String((await con.runAndReadAll('SELECT version()')).getRows()[0][0]);
  const names = ['clientele readTable, 1 thread', `clientele readTable, parallel: ${o.threads}`, 'DuckDB read_csv'];
  const wall: number[][] = [[], [], []];
  const cpu: number[][] = [[], [], []];
  let same = true;
  let duckRows = 0;
  let duckSum = 0;
  let ourSum = 0;
  let ourRows = 0;
  // round 0 warms every path (JIT, file cache, worker start) and is not counted
  for (let r = 0; r <= o.rounds; r++) {
    const one = await measured(() => readTable(file));
    const par = await measured(() => readTable(file, { parallel: o.threads }));
    const duck = await measured(async () => {
      await con.run(`CREATE OR REPLACE TABLE tx AS SELECT * FROM read_csv('${file}', header = true)`);
      return (await con.runAndReadAll('SELECT count(*), sum(amount) FROM tx')).getRowsJS()[0];
    });
    if (r === 0) {
      same = sameTables(par.value, one.value);
      ourRows = par.value.numRows;
      const amount = par.value.getChild('amount')!;
      for (const d of amount.data) for (const v of d.values as Float64Array) ourSum += v;
      duckRows = Number(duck.value[0]);
      duckSum = Number(duck.value[1]);
      console.log(`tables equal: ${same}; rows ${ourRows} / DuckDB ${duckRows}`);
      continue;
    }
    for (const [k, m] of [one, par, duck].entries()) {
      wall[k].push(m.wall);
      cpu[k].push(m.cpu);
    }
    console.log(`round ${r}: ${[one, par, duck].map((m) => `${ms(m.wall)} ms (cpu ${ms(m.cpu)})`).join(', ')}`);
  }
  const duckWall = median(wall[2]);
  const duckCpu = median(cpu[2]);
  const sumsEqual = ourRows === duckRows && Math.abs(ourSum - duckSum) <= 1e-9 * Math.abs(duckSum);
  return [
    `Run ${started} on ${machine()}; DuckDB ${version} (${duckThreads} threads) in the same process. Command: ` +
      `\`npx tsx --expose-gc benchmarks/io.bench.ts ${process.argv.slice(2).join(' ')}\`. Load average (1 min) ` +
      `${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end on ${os.cpus().length} cores.`,
    '',
    `Data: the seeded transactions CSV, ${mb(size)} (${rows.toLocaleString('en-US')} rows). ${o.rounds} interleaved ` +
      'rounds after one warm-up round; medians (min–max); CPU = user + system time of the whole process (all threads).',
    '',
    markdownTable(
      ['engine', 'wall (ms)', 'CPU (ms)', 'wall / DuckDB', 'CPU / DuckDB', 'MB/s'],
      names.map((name, k) => [
        name,
        stat(wall[k]),
        stat(cpu[k]),
        (median(wall[k]) / duckWall).toFixed(2),
        (median(cpu[k]) / duckCpu).toFixed(2),
        (size / 2 ** 20 / (median(wall[k]) / 1000)).toFixed(0),
      ]),
    ),
    '',
    `Parallel table equals the one-thread table (schema, batches, validity, values): ${same ? 'yes' : 'NO'}. ` +
      `Rows and Σ amount equal DuckDB's: ${sumsEqual ? 'yes' : 'NO'} (${ourRows} / ${duckRows} rows; ` +
      `${ourSum.toFixed(2)} / ${duckSum.toFixed(2)}).`,
  ].join('\n');
}
