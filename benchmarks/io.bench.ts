/**
 * File reading benchmark (issue 7): streaming a large transaction CSV with `readBatches` and loading a ~100 MB one
 * with `readTable`, each against DuckDB's `read_csv` in the same process on the same file.
 *
 * 1. Data: a seeded transaction CSV `customer,date,amount,item` (`C00012345`, ISO date, amount with cents, `I0123`;
 *    some 33 bytes a line) in `benchmarks/data/` (gitignored), written once and reused when its size matches.
 *    Default 32M rows ≈ 1 GB; `--rows N` (or env `CLIENTELE_IO_ROWS`) chooses the size. The readTable file has
 *    `--table-rows` rows (default 2.5M ≈ 100 MB).
 * 2. clientele streaming: `readBatches(file)` (default 65 536-row batches, types inferred) computing rows,
 *    Σ amount and max date batch by batch — the aggregate is trivial so that parsing is what is timed. Reported:
 *    wall time, MB/s, and the peak RSS of the read (Linux `VmHWM` reset just before it; and the largest
 *    `process.memoryUsage().rss` sampled every 50 ms), against the file size.
 * 3. DuckDB: `SELECT count(*), sum(amount), max(date) FROM read_csv(file)` (type auto-detection, all threads),
 *    then the ratio. The aggregates are compared (Σ amount to 1e-9 relative: summation order differs).
 * 4. readTable on the small file vs DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…)` (materialised): wall
 *    time and, for clientele, the Arrow bytes of the table and the peak RSS above the RSS before the call.
 *
 * 5. Parallel CSV (issue 17): `readTable(file)` on one thread, `readTable(file, { parallel: N })` and DuckDB
 *    `CREATE TABLE … AS SELECT * FROM read_csv(…)` on the `--load-rows` file (default 10M rows ≈ 330 MB), in
 *    interleaved rounds (`--rounds`, default 5): medians with min–max of wall and CPU time (user + system of the
 *    whole process, all threads: DuckDB runs in it too), the ratios to DuckDB, and a check that the parallel table
 *    equals the one-thread table (schema, batch lengths, null bitmaps, every value) and DuckDB's row count and
 *    Σ amount. The workers start from a bundle of src/parallel/worker.ts (as dist/ ships them), made with esbuild.
 *
 * Run: `npx tsx --expose-gc benchmarks/io.bench.ts [--rows 32e6] [--table-rows 2.5e6] [--load-rows 10e6]
 * [--threads 2] [--rounds 5] [--parallel-only] [--no-write]`
 * Writes the sections "File reading (issue 7)" and "Parallel CSV (issue 17)" of `benchmarks/RESULTS.md` (other
 * sections are kept); `--parallel-only` runs part 5 alone.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { readBatches, readTable } from '../src/io/index';
import { parallelCsvSection } from './io-parallel';
import {
  arrowBytes,
  collectGarbage,
  machine,
  markdownTable,
  mb,
  memorySnapshot,
  ms,
  peakRssSinceReset,
  resetPeakRss,
  ratio,
  timed,
  timingCell,
  interleavedTimings,
  loadLine,
  writeResultsSection,
} from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(HERE, 'data');
const RESULTS = path.join(HERE, 'RESULTS.md');
const SECTION = 'File reading (issue 7)';

function argValue(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
}

/** A small seeded generator (mulberry32) so that the file is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY0 = Date.UTC(2019, 0, 1) / 86_400_000;
const DAYS = 5 * 365;

/** Writes `rows` transactions (or reuses the file when a marker says it has that many rows); returns its size. */
function transactionCsv(file: string, rows: number): number {
  const sizeFile = `${file}.rows`;
  if (existsSync(file) && existsSync(sizeFile) && Number(readFileSync(sizeFile, 'utf8')) === rows)
    return statSync(file).size;
  mkdirSync(path.dirname(file), { recursive: true });
  const rand = random(7);
  const customers = Math.max(1, Math.floor(rows / 20));
  const iso: string[] = [];
  for (let d = 0; d < DAYS; d++) iso.push(new Date((DAY0 + d) * 86_400_000).toISOString().slice(0, 10));
  const fd = openSync(file, 'w');
  writeSync(fd, 'customer,date,amount,item\n');
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rand() * customers);
    const cents = 100 + Math.floor(rand() * rand() * 50_000);
    lines.push(
      `C${String(c).padStart(8, '0')},${iso[Math.floor(rand() * DAYS)]},${(cents / 100).toFixed(2)},I${String(Math.floor(rand() * 2000)).padStart(4, '0')}`,
    );
    if (lines.length === 100_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  writeFileSync(sizeFile, String(rows));
  return statSync(file).size;
}

/** Samples the RSS every 50 ms while `run` runs; returns its result and the largest sample. */
async function sampled<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; maxSampled: number }> {
  let max = process.memoryUsage().rss;
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage().rss);
  }, 50);
  try {
    const { ms: t, value } = await timed(run);
    max = Math.max(max, process.memoryUsage().rss);
    return { value, ms: t, maxSampled: max };
  } finally {
    clearInterval(timer);
  }
}

interface Aggregate {
  rows: number;
  amount: number;
  maxDay: number;
}

async function streamAggregate(file: string): Promise<Aggregate> {
  let rows = 0;
  let amount = 0;
  let maxDay = -Infinity;
  for await (const batch of readBatches(file)) {
    rows += batch.numRows;
    const a = batch.getChild('amount')!.data[0].values as Float64Array;
    const d = batch.getChild('date')!.data[0].values as Int32Array;
    for (let i = 0; i < batch.numRows; i++) {
      amount += a[i];
      if (d[i] > maxDay) maxDay = d[i];
    }
  }
  return { rows, amount, maxDay };
}

async function main(): Promise<void> {
  if (process.argv.includes('--parallel-only')) {
    const loadRows = Number(argValue('--load-rows') ?? 10e6);
    const file = path.join(DATA, `transactions-${loadRows}.csv`);
    const size = transactionCsv(file, loadRows);
    const body = await parallelCsvSection(file, size, loadRows, {
      threads: Number(argValue('--threads') ?? os.availableParallelism()),
      rounds: Number(argValue('--rounds') ?? 5),
    });
    console.log(`\n${body}`);
    if (!process.argv.includes('--no-write')) writeResultsSection(RESULTS, 'Parallel CSV (issue 17)', body);
    return;
  }
  const rows = Number(argValue('--rows') ?? process.env.CLIENTELE_IO_ROWS ?? 32e6);
  const tableRows = Number(argValue('--table-rows') ?? 2.5e6);
  const write = !process.argv.includes('--no-write');
  const started = new Date().toISOString();
  const loadBefore = os.loadavg()[0];

  const big = path.join(DATA, `transactions-${rows}.csv`);
  const small = path.join(DATA, `transactions-${tableRows}.csv`);
  const gen = await timed(() => [transactionCsv(big, rows), transactionCsv(small, tableRows)]);
  const [bigBytes, smallBytes] = gen.value;
  console.log(`data: ${mb(bigBytes)} (${rows} rows), ${mb(smallBytes)} (${tableRows} rows) in ${ms(gen.ms)} ms`);

  // 1. clientele streaming
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const canReset = resetPeakRss();
  const ours = await sampled(() => streamAggregate(big));
  const peak = canReset ? peakRssSinceReset() : null;
  const ourMBs = bigBytes / 2 ** 20 / (ours.ms / 1000);
  console.log(
    `clientele readBatches: ${ms(ours.ms)} ms, ${ourMBs.toFixed(0)} MB/s, peak RSS ${peak ? mb(peak) : 'n/a'}, sampled ${mb(ours.maxSampled)}`,
    ours.value,
  );

  // 2. clientele readTable on the small file (before DuckDB grows the process)
  collectGarbage();
  const tableBefore = memorySnapshot();
  resetPeakRss();
  const loaded = await timed(() => readTable(small));
  const tablePeak = peakRssSinceReset();
  const tableArrow = arrowBytes(loaded.value);
  const tableRowsRead = loaded.value.numRows;
  const tableTypes = loaded.value.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
  console.log(
    `clientele readTable: ${ms(loaded.ms)} ms, ${tableRowsRead} rows, Arrow ${mb(tableArrow)}, peak ${tablePeak ? mb(tablePeak - tableBefore.rss) : 'n/a'} above start`,
  );

  // 3. DuckDB
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const threads = String((await con.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0]);
  const version = String((await con.runAndReadAll('SELECT version()')).getRows()[0][0]);
  const duck = await timed(async () => {
    const r = await con.runAndReadAll(`SELECT count(*), sum(amount), max(date) FROM read_csv('${big}', header = true)`);
    return r.getRowsJS()[0];
  });
  const duckMBs = bigBytes / 2 ** 20 / (duck.ms / 1000);
  const duckRows = Number(duck.value[0]);
  const duckAmount = Number(duck.value[1]);
  const duckMaxDay = Math.round((duck.value[2] as Date).getTime() / 86_400_000);
  console.log(`DuckDB read_csv aggregate: ${ms(duck.ms)} ms, ${duckMBs.toFixed(0)} MB/s`, duck.value);
  // the same query on one thread: clientele reads on one core, so this is the per-core comparison
  await con.run('SET threads = 1');
  const duck1 = await timed(
    async () =>
      (
        await con.runAndReadAll(`SELECT count(*), sum(amount), max(date) FROM read_csv('${big}', header = true)`)
      ).getRowsJS()[0],
  );
  await con.run(`SET threads = ${threads}`);
  const duck1MBs = bigBytes / 2 ** 20 / (duck1.ms / 1000);
  console.log(`DuckDB read_csv aggregate, 1 thread: ${ms(duck1.ms)} ms, ${duck1MBs.toFixed(0)} MB/s`);
  const duckTable = await timed(() =>
    con.run(`CREATE OR REPLACE TABLE tx AS SELECT * FROM read_csv('${small}', header = true)`),
  );
  console.log(`DuckDB CREATE TABLE AS read_csv: ${ms(duckTable.ms)} ms`);
  // the method of issue 17: readTable against DuckDB's load in interleaved rounds, CPU time beside wall time
  const rounds = Number(argValue('--rounds') ?? 3);
  const load = await interleavedTimings(rounds, {
    clientele: () => readTable(small),
    duck: () => con.run(`CREATE OR REPLACE TABLE tx AS SELECT * FROM read_csv('${small}', header = true)`),
  });
  console.log(`interleaved: readTable ${timingCell(load.clientele)}, DuckDB ${timingCell(load.duck)}`);
  const same =
    duckRows === ours.value.rows &&
    duckMaxDay === ours.value.maxDay &&
    Math.abs(duckAmount - ours.value.amount) <= 1e-9 * Math.abs(duckAmount);

  const body = [
    `Run ${started} on ${machine()}; DuckDB ${version} with ${threads} threads in the same process; clientele single-threaded. ` +
      `Command: \`npx tsx --expose-gc benchmarks/io.bench.ts ${process.argv.slice(2).join(' ')}\`. ` +
      `Load average (1 min) ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end on ${os.cpus().length} cores: ` +
      'with other work on the machine the times are noisy; the ratio, measured in the same run, is the figure to read.',
    '',
    `Data: seeded transactions \`customer,date,amount,item\` (\`C00012345,2021-06-30,123.45,I0042\`), ${mb(bigBytes)} ` +
      `(${rows.toLocaleString('en-US')} rows) for streaming and ${mb(smallBytes)} (${tableRows.toLocaleString('en-US')} rows) for readTable; ` +
      'written once to `benchmarks/data/` (file cache warm for both engines).',
    '',
    '**Streaming a large CSV** — rows, Σ amount and max date; clientele with `readBatches` (65 536-row batches, types ' +
      'inferred: Utf8, Date32, Float64, Utf8), DuckDB with `read_csv` auto-detection:',
    '',
    markdownTable(
      [
        'engine',
        'time (ms)',
        'MB/s',
        'peak RSS of the read',
        'clientele / DuckDB (2 threads)',
        'clientele / DuckDB (1 thread)',
      ],
      [
        [
          'clientele `readBatches`',
          ms(ours.ms),
          ourMBs.toFixed(0),
          `${peak ? mb(peak) : 'n/a'} (VmHWM; sampled max ${mb(ours.maxSampled)}; RSS before ${mb(rssBefore)}; file ${mb(bigBytes)})`,
          (ours.ms / duck.ms).toFixed(2),
          (ours.ms / duck1.ms).toFixed(2),
        ],
        [`DuckDB \`read_csv\` + aggregate, ${threads} threads`, ms(duck.ms), duckMBs.toFixed(0), '—', '1', ''],
        ['DuckDB `read_csv` + aggregate, 1 thread', ms(duck1.ms), duck1MBs.toFixed(0), '—', '', '1'],
      ],
    ),
    '',
    `Aggregates equal: ${same ? 'yes' : 'NO'} (rows ${ours.value.rows} / ${duckRows}; Σ amount ${ours.value.amount.toFixed(2)} / ` +
      `${duckAmount.toFixed(2)}; max date ${ours.value.maxDay} / ${duckMaxDay} epoch days).`,
    '',
    '**Loading a ~100 MB CSV whole** — clientele `readTable` into an Arrow table vs DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…)`:',
    '',
    markdownTable(
      ['engine', 'time (ms)', 'MB/s', 'memory'],
      [
        [
          'clientele `readTable`',
          ms(loaded.ms),
          (smallBytes / 2 ** 20 / (loaded.ms / 1000)).toFixed(0),
          `Arrow buffers ${mb(tableArrow)}; peak RSS ${tablePeak ? mb(tablePeak - tableBefore.rss) : 'n/a'} above the RSS before the call`,
        ],
        [
          'DuckDB `CREATE TABLE AS read_csv`',
          ms(duckTable.ms),
          (smallBytes / 2 ** 20 / (duckTable.ms / 1000)).toFixed(0),
          'native table',
        ],
      ],
    ),
    '',
    `clientele / DuckDB: ${(loaded.ms / duckTable.ms).toFixed(2)}. readTable types: ${tableTypes}.`,
    '',
    `The same two loads in ${rounds} interleaved rounds after one warm-up each (wall ms, median (min–max) · CPU ms of the process, all threads; ` +
      `DuckDB with ${threads} threads): clientele \`readTable\` ${timingCell(load.clientele)}; DuckDB ${timingCell(load.duck)}; ` +
      `clientele / DuckDB ${ratio(load.clientele.median, load.duck.median)} wall, ${ratio(load.clientele.cpuMedian, load.duck.cpuMedian)} CPU ` +
      `(issue 17 target: ≤ 0.7× wall, with \`--table-rows 1e7\`). ${loadLine()}`,
  ].join('\n');
  console.log(`\n${body}`);
  if (write) writeResultsSection(RESULTS, SECTION, body);
}

await main();
