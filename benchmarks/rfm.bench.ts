/**
 * RFM benchmark (issue 2): `rfm(table)` against DuckDB (same process) and danfo.js, on the same seeded data.
 *
 * For each size N (default 1e6 and 1e7 transactions, N/10 customers):
 * 1. clientele: `rfm(table)` on a zero-copy Arrow table; one warm-up, median of 3. Its memory is measured first,
 *    in a fresh child process per N (so that earlier work cannot hide the peak): the peak RSS of the call above the
 *    RSS before it (Linux `VmHWM` reset just before the call, and `maxRSS`) and the retained `arrayBuffers`, as
 *    multiples of the input's Arrow buffer bytes (target below 3×).
 * 2. DuckDB: the same rows loaded into a native table (via a temporary CSV; not timed), then ONE statement doing
 *    the aggregation and the quintile scoring, materialised with `CREATE OR REPLACE TABLE res AS …`; one warm-up,
 *    median of 3 (target: clientele ≤ 1.5 × DuckDB). r, f, m are then compared customer by customer.
 * 3. danfo.js: `groupby(['customer']).agg(...)` — the aggregation only, no scoring — in a child process that does
 *    not load Arrow (Arrow slows danfo down some 30×, see `danfo-groupby.ts`; the in-process figure is reported
 *    too). Its cost grows with the square of the number of groups, so it is first timed at small probe sizes and
 *    run at N only when the extrapolation stays within the budget (`--danfo-budget`, default 120 s).
 * 4. String customer ids: steps 1 and 2 again (memory, clientele, DuckDB, equality; not danfo) on the same rows with
 *    the ids written as 9-byte strings `C00012345` — an Arrow Utf8 column built directly from offsets and bytes
 *    (`vectorFromArray` would take some 30 s at 10M), a VARCHAR column in DuckDB.
 *
 * Run: `npx tsx --expose-gc benchmarks/rfm.bench.ts [--sizes 1e6,1e7] [--danfo-budget 120] [--no-write]`
 * Writes the section "RFM (issue 2)" of `benchmarks/RESULTS.md` (other sections are kept).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, DateDay, makeData, makeVector, Table, Utf8 } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbRfm, QUANTILES } from './duckdb-rfm';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rfm, rfmBreaks } from '../src/index';
import {
  arrowBytes,
  collectGarbage,
  machine,
  markdownTable,
  mb,
  peakRssSinceReset,
  resetPeakRss,
  interleavedTimings,
  loadLine,
  medianOf,
  timingCell,
  memorySnapshot,
  ms,
  timed,
  writeResultsSection,
} from './harness';
import type { Timing } from './harness';
import { DANFO_WARMUP_ROWS, danfoGroupby, loadDanfo } from './danfo-groupby';
import type { DanfoTiming } from './danfo-groupby';
import { DAY0, DAYS, SEED, transactionArrays } from './rfm-data';
import type { TransactionArrays } from './rfm-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
const SECTION = 'RFM (issue 2)';
const RUNS = 3;
const DANFO_PROBES = [100_000, 200_000];

// ---------------------------------------------------------------------------------------------------------------
// data

/** How the customer ids are typed: Int32 (DuckDB INTEGER) or 9-byte strings `C00012345` (Utf8, DuckDB VARCHAR). */
type KeyKind = 'int' | 'string';
const KEY_KINDS: readonly KeyKind[] = ['int', 'string'];
const KEY_LABEL: Record<KeyKind, string> = { int: 'Int32', string: 'Utf8' };

interface Transactions extends TransactionArrays {
  readonly keys: KeyKind;
  readonly table: Table;
  /** Bytes of the table's Arrow buffers. */
  readonly bytes: number;
}

/** Width of the string ids: `C` and 8 digits. */
const ID_DIGITS = 8;
const ID_BYTES = 1 + ID_DIGITS;
const stringId = (id: number) => `C${String(id).padStart(ID_DIGITS, '0')}`;

/**
 * The ids as an Arrow Utf8 column `C00012345`, written straight into an offsets `Int32Array` and a bytes
 * `Uint8Array` (no JS string per row; `vectorFromArray` on 10M strings takes some 30 s).
 */
function customerStrings(ids: Int32Array): Vector {
  const n = ids.length;
  const data = new Uint8Array(ID_BYTES * n);
  const valueOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let v = ids[i];
    if (v < 0 || v >= 10 ** ID_DIGITS) throw new Error(`customer id ${v} does not fit ${ID_DIGITS} digits`);
    const at = ID_BYTES * i;
    data[at] = 67; // 'C'
    for (let j = ID_DIGITS; j >= 1; j--) {
      data[at + j] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    valueOffsets[i + 1] = at + ID_BYTES;
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets, data }));
}

/**
 * The seeded rows as an Arrow table: date and amount over the same typed arrays (no copy); the customer column
 * over the same Int32Array for `int`, a Utf8 column built from it for `string`.
 */
function tableOf(tx: TransactionArrays, keys: KeyKind): Transactions {
  const table = new Table({
    customer: keys === 'int' ? makeVector(tx.customer) : customerStrings(tx.customer),
    date: makeVector(makeData({ type: new DateDay(), length: tx.n, nullCount: 0, data: tx.date })),
    amount: makeVector(tx.amount),
  });
  return { ...tx, keys, table, bytes: arrowBytes(table) };
}

/** The seeded rows of `rfm-data.ts` as an Arrow table (see {@link tableOf}). */
function transactions(n: number, seed = SEED, keys: KeyKind = 'int'): Transactions {
  return tableOf(transactionArrays(n, seed), keys);
}

// ---------------------------------------------------------------------------------------------------------------
// clientele

interface MemoryFigures {
  input: number;
  rssBefore: number;
  rssAfter: number;
  arrayBuffersBefore: number;
  arrayBuffersAfter: number;
  maxRssBefore: number;
  maxRssAfter: number;
  /** `maxRSS` after the call above the RSS before it; only meaningful when `maxRssBefore` ≈ `rssBefore`. */
  peakExtra: number;
  /** Peak RSS during the call (Linux `VmHWM`, reset just before the call) above the RSS before it; null elsewhere. */
  peakExtraHwm: number | null;
  /** arrayBuffers still held after the call and a GC, the result table being kept alive. */
  retained: number;
  gc: boolean;
}

/**
 * The table and its byte count only. For string ids the Int32 ids it was built from must be unreachable before
 * the measure (else they are counted in "before" and freed during the call, hiding part of the peak); built in its
 * own frame because a temporary in the caller's frame stays reachable.
 */
function tableOnly(n: number, keys: KeyKind): { table: Table; bytes: number } {
  const tx = transactions(n, SEED, keys);
  return { table: tx.table, bytes: tx.bytes };
}

/** In a fresh process: memory of one `rfm` call on N rows (after a small warm-up that compiles the code). */
function memoryChild(n: number, keys: KeyKind): void {
  rfm(transactions(10_000, SEED + 1, keys).table); // compile the hot loops on a small input
  const tx = tableOnly(n, keys);
  const gc = collectGarbage();
  const hwm = resetPeakRss();
  const before = memorySnapshot();
  const result = rfm(tx.table);
  const peak = hwm ? peakRssSinceReset() : null;
  const after = memorySnapshot();
  collectGarbage();
  const settled = memorySnapshot();
  const figures: MemoryFigures = {
    input: tx.bytes,
    rssBefore: before.rss,
    rssAfter: after.rss,
    arrayBuffersBefore: before.arrayBuffers,
    arrayBuffersAfter: settled.arrayBuffers,
    maxRssBefore: before.maxRss,
    maxRssAfter: after.maxRss,
    peakExtra: Math.max(0, after.maxRss - before.rss),
    peakExtraHwm: peak === null ? null : Math.max(0, peak - before.rss),
    retained: settled.arrayBuffers - before.arrayBuffers,
    gc,
  };
  if (result.numRows === 0) throw new Error('rfm returned no rows');
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/**
 * Runs {@link memoryChild} in a fresh process. Call it while this process is still small: a forked child's
 * `maxRSS` starts at the parent's RSS (see `resetPeakRss`).
 */
function measureMemory(n: number, keys: KeyKind): MemoryFigures {
  const flags = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), '--memory-child', String(n), '--memory-keys', keys],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `memory child for N=${n} (${keys} ids) failed (status ${child.status}): ${child.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as MemoryFigures;
}

// ---------------------------------------------------------------------------------------------------------------
// DuckDB

/**
 * Writes the rows to a CSV in the temp folder and loads them into the native table `tx` (typed columns; the
 * customer column INTEGER for int ids, VARCHAR holding the same `C00012345` strings for string ids).
 */
async function loadIntoDuckDB(con: DuckDBConnection, tx: Transactions): Promise<{ csvMs: number; loadMs: number }> {
  const file = path.join(os.tmpdir(), `clientele-rfm-${tx.n}-${tx.keys}-${process.pid}.csv`);
  const customerText: (id: number) => string = tx.keys === 'int' ? String : stringId;
  const csv = await timed(() => {
    const isoDay = new Map<number, string>();
    for (let d = DAY0; d < DAY0 + DAYS; d++) isoDay.set(d, new Date(d * 86_400_000).toISOString().slice(0, 10));
    const fd = openSync(file, 'w');
    writeSync(fd, 'customer,date,amount\n');
    const lines: string[] = [];
    for (let i = 0; i < tx.n; i++) {
      lines.push(`${customerText(tx.customer[i])},${isoDay.get(tx.date[i])},${tx.amount[i]}`); // String(x) round-trips a double
      if (lines.length === 200_000 || i === tx.n - 1) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines.length = 0;
      }
    }
    closeSync(fd);
  });
  try {
    const load = await timed(() =>
      con.run(
        `CREATE OR REPLACE TABLE tx AS SELECT * FROM read_csv('${file}', header = true, delim = ',', ` +
          `columns = {'customer': '${tx.keys === 'int' ? 'INTEGER' : 'VARCHAR'}', 'date': 'DATE', 'amount': 'DOUBLE'})`,
      ),
    );
    const count = await con.runAndReadAll('SELECT count(*) FROM tx');
    if (Number(count.getRows()[0][0]) !== tx.n)
      throw new Error(`DuckDB loaded ${count.getRows()[0][0]} rows of ${tx.n}`);
    return { csvMs: csv.ms, loadMs: load.ms };
  } finally {
    rmSync(file, { force: true });
  }
}

interface Check {
  customersClientele: number;
  customersDuckDB: number;
  mismatchR: number;
  mismatchF: number;
  mismatchM: number;
  /** Customers with at least one of r, f, m different (or missing on one side). */
  mismatches: number;
  maxMonetaryDiff: number;
  examples: string[];
  breaksClientele: string;
  breaksDuckDB: string;
}

/** `C00012345` → 12345; -1 for anything else (then it matches no customer and counts as a mismatch). */
function parseStringId(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== ID_BYTES || bytes[start] !== 67) return -1;
  let v = 0;
  for (let j = start + 1; j < end; j++) {
    const d = bytes[j] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The integer ids of a result's customer column: the Int32 values, or the numbers inside the Utf8 strings. */
function customerIds(vector: Vector): Int32Array {
  if (!DataType.isUtf8(vector.type)) return vector.toArray() as Int32Array;
  const ids = new Int32Array(vector.length);
  let row = 0;
  for (const data of vector.data) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    for (let i = 0; i < data.length; i++)
      ids[row++] = data.getValid(i) ? parseStringId(bytes, offsets[i], offsets[i + 1]) : -1;
  }
  return ids;
}

/** A DuckDB customer value (INTEGER, or VARCHAR `C00012345`) as its integer id; -1 when it is not one. */
function duckId(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.length === ID_BYTES && /^C\d+$/.test(v)) return Number(v.slice(1));
  return -1;
}

/**
 * Compares r, f, m of every customer between clientele's result and DuckDB's `res`, matching by customer id
 * (string ids are matched exactly: `C` and 8 digits on both sides, then by the number).
 */
async function compare(con: DuckDBConnection, result: Table, res: string): Promise<Check> {
  const ids = customerIds(result.getChild('customer')!);
  const [r, f, m] = (['r', 'f', 'm'] as const).map((c) => result.getChild(c)!.toArray() as Int8Array);
  const monetary = result.getChild('monetary')!.toArray() as Float64Array;
  let maxId = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] > maxId) maxId = ids[i];
  const row = new Int32Array(maxId + 2).fill(-1);
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) row[ids[i]] = i;

  const reader = await con.runAndReadAll(`SELECT customer, r, f, m, monetary FROM ${res}`);
  const [dKey, dR, dF, dM, dMonetary] = reader.getColumns() as unknown[][] as number[][];
  const dCustomer = dKey.map(duckId);
  const check: Check = {
    customersClientele: ids.length,
    customersDuckDB: dCustomer.length,
    mismatchR: 0,
    mismatchF: 0,
    mismatchM: 0,
    mismatches: Math.abs(ids.length - dCustomer.length),
    maxMonetaryDiff: 0,
    examples: [],
    breaksClientele: '',
    breaksDuckDB: '',
  };
  for (let k = 0; k < dCustomer.length; k++) {
    const id = dCustomer[k];
    const i = id >= 0 && id <= maxId ? row[id] : -1;
    if (i < 0) {
      check.mismatches++;
      continue;
    }
    const diff = Math.abs(monetary[i] - dMonetary[k]);
    if (diff > check.maxMonetaryDiff) check.maxMonetaryDiff = diff;
    const badR = r[i] !== Number(dR[k]);
    const badF = f[i] !== Number(dF[k]);
    const badM = m[i] !== Number(dM[k]);
    check.mismatchR += badR ? 1 : 0;
    check.mismatchF += badF ? 1 : 0;
    check.mismatchM += badM ? 1 : 0;
    if (badR || badF || badM) {
      check.mismatches++;
      if (check.examples.length < 5) {
        check.examples.push(
          `customer ${dKey[k]}: clientele r${r[i]} f${f[i]} m${m[i]} monetary ${monetary[i]}; ` +
            `DuckDB r${dR[k]} f${dF[k]} m${dM[k]} monetary ${dMonetary[k]}`,
        );
      }
    }
  }
  check.breaksClientele = JSON.stringify(rfmBreaks(result));
  const breaks = await con.runAndReadAll(
    `SELECT quantile_cont(recency::DOUBLE, ${QUANTILES}), quantile_cont(frequency::DOUBLE, ${QUANTILES}), ` +
      `quantile_cont(monetary, ${QUANTILES}) FROM ${res}`,
  );
  check.breaksDuckDB = JSON.stringify(breaks.getRowsJson()[0]);
  return check;
}

// ---------------------------------------------------------------------------------------------------------------
// danfo.js

const DANFO_CHILD = path.join(HERE, 'danfo-groupby.ts');

/** Runs `danfo-groupby.ts` for the given sizes in a process without Arrow; null when it ran out of time. */
function danfoChild(sizes: number[], timeoutMs: number): { warmup: DanfoTiming; timings: DanfoTiming[] } | null {
  const flags = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(process.execPath, [...flags, DANFO_CHILD, ...sizes.map(String)], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20,
  });
  if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return null;
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `danfo child for ${sizes.join(', ')} failed (status ${child.status}): ${child.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as { warmup: DanfoTiming; timings: DanfoTiming[] };
}

// ---------------------------------------------------------------------------------------------------------------
// main

interface SizeResult {
  n: number;
  keys: KeyKind;
  input: number;
  clientele: Timing;
  duck: Timing & { csvMs: number; loadMs: number };
  memory: MemoryFigures;
  check: Check;
  /** Mismatches when DuckDB sums exactly (DECIMAL) instead of with `sum` over doubles. */
  mismatchesExact: number;
  /** danfo.js at N (integer ids only; '' for string ids). */
  danfo: string;
  danfoMs: number | null;
}

interface Probe {
  n: number;
  groups: number;
  danfoMs: number;
  clienteleMs: number;
}

function parseArgs(argv: string[]): {
  sizes: number[];
  danfoBudget: number;
  write: boolean;
  memoryChild: number | null;
  memoryKeys: KeyKind;
} {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value('--sizes') ?? '1e6,1e7').split(',').map((s) => Math.round(Number(s)));
  if (sizes.some((s) => !Number.isFinite(s) || s < 10))
    throw new Error(`--sizes: expected numbers such as 1e6,1e7 (found ${value('--sizes')})`);
  const child = value('--memory-child');
  return {
    sizes,
    danfoBudget: Number(value('--danfo-budget') ?? 120),
    write: !argv.includes('--no-write'),
    memoryChild: child === undefined ? null : Number(child),
    memoryKeys: value('--memory-keys') === 'string' ? 'string' : 'int', // internal: the memory child's key kind
  };
}

const human = (n: number) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
const duration = (t: number) =>
  t < 3_600_000 ? `${(t / 1000).toFixed(0)} s` : `${(t / 3_600_000).toFixed(t < 36_000_000 ? 1 : 0)} h`;
const log = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.memoryChild !== null) {
    memoryChild(args.memoryChild, args.memoryKeys);
    return;
  }
  const gcExposed = collectGarbage();
  if (!gcExposed) log('note: global.gc is not exposed; run with `npx tsx --expose-gc` for steadier figures');
  const started = new Date();
  // memory first, while this process is small: a forked child's maxRSS starts at its parent's RSS
  const memory = new Map<string, MemoryFigures>();
  const parentRss = process.memoryUsage().rss;
  for (const n of args.sizes) {
    for (const keys of KEY_KINDS) {
      log(`N=${human(n)}, ${keys} ids: memory of rfm (child process) …`);
      memory.set(`${n}:${keys}`, measureMemory(n, keys));
    }
  }
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const threads = String((await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
  const duckVersion = String((await con.runAndReadAll('SELECT version()')).getRows()[0][0]);

  // danfo first, at small sizes and in a process without Arrow: its groupby is superlinear, so the probes decide
  // whether a full size fits the budget
  log('danfo.js probes (child process without Arrow) …');
  const probeRun = danfoChild(DANFO_PROBES, 1000 * Math.max(60, args.danfoBudget));
  if (!probeRun) throw new Error(`danfo probes at ${DANFO_PROBES.join(', ')} rows did not finish in time`);
  const probes: Probe[] = [];
  for (const d of probeRun.timings) {
    const tx = transactions(d.n);
    const c = await medianOf(RUNS, () => rfm(tx.table));
    probes.push({ n: d.n, groups: d.groups, danfoMs: d.ms, clienteleMs: c.median });
    log(`  N=${human(d.n)}: danfo ${ms(d.ms)} ms, clientele rfm ${ms(c.median)} ms`);
  }
  const [p1, p2] = probes;
  const exponent = Math.log(p2.danfoMs / p1.danfoMs) / Math.log(p2.n / p1.n);
  // at least quadratic: toDataFrame re-spreads the growing output arrays once per group
  const danfoEstimate = (n: number) => p2.danfoMs * (n / p2.n) ** Math.max(2, exponent);
  log('danfo.js next to Arrow (this process) …');
  const sameProcess = danfoGroupby(await loadDanfo(), DANFO_WARMUP_ROWS, SEED + 2);
  const arrowEffect = { rows: DANFO_WARMUP_ROWS, withArrow: sameProcess.ms, withoutArrow: probeRun.warmup.ms };
  log(
    `  ${human(DANFO_WARMUP_ROWS)} rows: ${ms(arrowEffect.withArrow)} ms here, ${ms(arrowEffect.withoutArrow)} ms without Arrow`,
  );

  /** One key kind at one size: clientele timed, DuckDB loaded and timed, r/f/m compared (danfo left to the caller). */
  const runKeys = async (arrays: TransactionArrays, keys: KeyKind): Promise<SizeResult> => {
    const n = arrays.n;
    log(`N=${human(n)}, ${keys} ids: building the table …`);
    let tx: Transactions | null = tableOf(arrays, keys);
    collectGarbage();

    log('  DuckDB load …');
    const load = await loadIntoDuckDB(con, tx);
    // interleaved rounds (clientele, DuckDB, clientele, …) after one warm-up each, so that a slow spell hits both
    log('  clientele rfm and DuckDB, interleaved …');
    let last: Table | null = null;
    const timings = await interleavedTimings(RUNS, {
      clientele: () => (last = rfm(tx!.table)),
      duck: () => con.run(duckdbRfm('res', 'sum')),
    });
    const { clientele, duck } = timings;
    log(`  clientele ${clientele.runs.map(ms).join(', ')} ms`);
    log(`  DuckDB ${duck.runs.map(ms).join(', ')} ms (load: csv ${ms(load.csvMs)} ms, read_csv ${ms(load.loadMs)} ms)`);
    const check = await compare(con, last!, 'res');
    await con.run(duckdbRfm('res_exact', 'exact'));
    const exact = await compare(con, last!, 'res_exact');
    const mismatchesExact = exact.mismatches;
    log(
      `  mismatches ${check.mismatches} (with exact sums: ${mismatchesExact}) ${exact.examples.slice(0, 2).join('; ')}`,
    );
    const result: SizeResult = {
      n,
      keys,
      input: tx.bytes,
      clientele,
      duck: { ...duck, ...load },
      memory: memory.get(`${n}:${keys}`)!,
      check,
      mismatchesExact,
      danfo: '',
      danfoMs: null,
    };
    last = null;
    tx = null;
    await con.run('DROP TABLE IF EXISTS tx; DROP TABLE IF EXISTS res; DROP TABLE IF EXISTS res_exact');
    collectGarbage();
    return result;
  };

  const results: SizeResult[] = [];
  const stringResults: SizeResult[] = [];
  for (const n of args.sizes) {
    log(`N=${human(n)}: generating …`);
    let arrays: TransactionArrays | null = transactionArrays(n);
    const result = await runKeys(arrays, 'int');
    stringResults.push(await runKeys(arrays, 'string'));
    arrays = null;
    collectGarbage();

    const estimate = danfoEstimate(n);
    if (estimate > args.danfoBudget * 1000) {
      const quadratic = p2.danfoMs * (n / p2.n) ** 2;
      const range =
        estimate > quadratic * 1.01
          ? `${duration(quadratic)} (quadratic) to ${duration(estimate)} (fitted)`
          : duration(quadratic);
      result.danfo = `not run: extrapolated from the probes to ${range}, over the ${args.danfoBudget} s budget`;
    } else {
      log('  danfo.js (child process) …');
      const run = danfoChild([n], 1500 * args.danfoBudget);
      if (run) {
        result.danfoMs = run.timings[0].ms;
        result.danfo = ms(result.danfoMs);
      } else {
        result.danfo = `not run: stopped after ${(1.5 * args.danfoBudget).toFixed(0)} s`;
      }
    }
    results.push(result);
  }
  con.closeSync();
  db.closeSync();

  const body = report({
    results,
    stringResults,
    parentRss,
    probes,
    exponent,
    arrowEffect,
    started,
    threads,
    duckVersion,
    gcExposed,
    args: process.argv.slice(2),
  });
  process.stdout.write(`${body}\n`);
  if (args.write) {
    writeResultsSection(RESULTS, SECTION, body);
    log(`wrote section "${SECTION}" of ${path.relative(process.cwd(), RESULTS)}`);
  }
}

const COMMON_HEADER = [
  'N',
  'customers',
  'input Arrow buffers',
  'clientele `rfm` ms: median (min–max) · CPU',
  'DuckDB ms: median (min–max) · CPU (all its threads)',
  'clientele / DuckDB (target ≤ 1.5), wall (CPU)',
];

function report(o: {
  results: SizeResult[];
  stringResults: SizeResult[];
  parentRss: number;
  probes: Probe[];
  exponent: number;
  arrowEffect: { rows: number; withArrow: number; withoutArrow: number };
  started: Date;
  threads: string;
  duckVersion: string;
  gcExposed: boolean;
  args: string[];
}): string {
  const flags = o.gcExposed ? '--expose-gc ' : '';
  const command = `npx tsx ${flags}benchmarks/rfm.bench.ts${o.args.length ? ` ${o.args.join(' ')}` : ''}`;
  const x = (v: number) => `${v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
  // the columns both speed tables (integer and string ids) open with
  const commonCells = (r: (typeof o.results)[number] | (typeof o.stringResults)[number]) => [
    human(r.n),
    String(r.check.customersClientele),
    mb(r.input),
    timingCell(r.clientele),
    timingCell(r.duck),
    `${x(r.clientele.median / r.duck.median)} (CPU ${x(r.clientele.cpuMedian / r.duck.cpuMedian)})`,
  ];
  const speed = markdownTable(
    [...COMMON_HEADER, 'danfo.js groupby ms (aggregation only)', 'clientele / danfo', 'r, f, m mismatches'],
    o.results.map((r) => [
      ...commonCells(r),
      r.danfo,
      r.danfoMs === null ? '—' : x(r.clientele.median / r.danfoMs),
      `${r.check.mismatches} (${r.mismatchesExact} with exact sums)`,
    ]),
  );
  const byN = (n: number) => o.results.find((r) => r.n === n)!;
  const strings = markdownTable(
    [...COMMON_HEADER, 'clientele strings / integers', 'DuckDB strings / integers', 'r, f, m mismatches'],
    o.stringResults.map((r) => [
      ...commonCells(r),
      x(r.clientele.median / byN(r.n).clientele.median),
      x(r.duck.median / byN(r.n).duck.median),
      `${r.check.mismatches} (${r.mismatchesExact} with exact sums)`,
    ]),
  );
  // integer and string rows of one N next to each other
  const both = o.results.flatMap((r) => [r, ...o.stringResults.filter((t) => t.n === r.n)]);
  const memory = markdownTable(
    [
      'N',
      'customer ids',
      'input Arrow buffers',
      'RSS before',
      'peak extra (VmHWM − RSS before)',
      'peak extra / input (target < 3×)',
      'maxRSS before → after',
      'maxRSS extra / input',
      'arrayBuffers before → after (result kept)',
      'retained / input',
      'RSS after',
    ],
    both.map((r) => {
      const m = r.memory;
      const inherited = m.maxRssBefore > m.rssBefore * 1.05; // maxRSS already above RSS: the fork's inheritance
      return [
        human(r.n),
        KEY_LABEL[r.keys],
        mb(m.input),
        mb(m.rssBefore),
        m.peakExtraHwm === null ? 'n/a' : mb(m.peakExtraHwm),
        m.peakExtraHwm === null ? 'n/a' : x(m.peakExtraHwm / m.input),
        `${mb(m.maxRssBefore)} → ${mb(m.maxRssAfter)}`,
        inherited ? 'n/a (inherited)' : x(m.peakExtra / m.input),
        `${mb(m.arrayBuffersBefore)} → ${mb(m.arrayBuffersAfter)}`,
        x(m.retained / m.input),
        mb(m.rssAfter),
      ];
    }),
  );
  const detail = markdownTable(
    [
      'N',
      'customer ids',
      'clientele runs ms',
      'DuckDB runs ms',
      'DuckDB load: CSV write / read_csv ms (not timed)',
      'customers clientele / DuckDB',
      'mismatches r / f / m',
      'max |Δ monetary|',
    ],
    both.map((r) => [
      human(r.n),
      KEY_LABEL[r.keys],
      r.clientele.runs.map(ms).join(', '),
      r.duck.runs.map(ms).join(', '),
      `${ms(r.duck.csvMs)} / ${ms(r.duck.loadMs)}`,
      `${r.check.customersClientele} / ${r.check.customersDuckDB}`,
      `${r.check.mismatchR} / ${r.check.mismatchF} / ${r.check.mismatchM}`,
      r.check.maxMonetaryDiff.toExponential(2),
    ]),
  );
  const probes = markdownTable(
    ['N (probe)', 'groups', 'danfo.js groupby ms', 'clientele `rfm` ms (median of 3)', 'clientele / danfo'],
    o.probes.map((p) => [human(p.n), String(p.groups), ms(p.danfoMs), ms(p.clienteleMs), x(p.clienteleMs / p.danfoMs)]),
  );
  const mismatchNotes = both
    .filter((r) => r.check.mismatches > 0)
    .map(
      (r) =>
        `- N=${human(r.n)}, ${KEY_LABEL[r.keys]} ids: ${r.check.mismatches} customers differ. Breaks: clientele ${r.check.breaksClientele}; DuckDB ` +
        `${r.check.breaksDuckDB}. E.g. ${r.check.examples.slice(0, 2).join('; ')}.`,
    );
  const a = o.arrowEffect;
  return [
    `Command: \`${command}\` (from the repository root)  `,
    `Date: ${o.started.toISOString().slice(0, 16).replace('T', ' ')} UTC  `,
    `Machine: ${machine()}  `,
    `${loadLine()}  `,
    `Peers: DuckDB ${o.duckVersion} (\`@duckdb/node-api\`, threads = ${o.threads}, same process); danfojs 1.1.2 (child process, see below). ` +
      'clientele runs on one thread.',
    '',
    `Data: seeded (mulberry32, seed ${SEED}), N transactions in date order over ${DAYS} days from 2023-01-01, about N/10 customers ` +
      '(Int32 ids drawn with a skew), log-normal amounts in cents; an Arrow table of Int32 `customer`, DateDay `date`, Float64 `amount` ' +
      'built zero-copy with `makeVector`/`makeData`. String ids: the same rows with each id written as a 9-byte string ' +
      `(\`${stringId(12345)}\` for 12345), an Arrow Utf8 column built directly from an offsets \`Int32Array\` and a bytes ` +
      '`Uint8Array` (`makeData`), and a VARCHAR column in DuckDB loaded through the same CSV route.',
    '',
    'Timing: wall clock and CPU time (user + system of the process, all threads), one warm-up each, then 3 interleaved rounds (clientele, DuckDB, clientele, …; garbage collected before each run): the median with (min–max). clientele: `rfm(table)` with defaults ' +
      '(aggregation, quintile breaks, scores, score and segment columns). DuckDB: one `CREATE OR REPLACE TABLE res AS …` statement on a ' +
      'native table (aggregation, `quantile_cont` breaks, scores; no transfer to JS); loading (CSV in the temp folder + `read_csv`) is ' +
      "not timed. danfo.js: `groupby(['customer']).agg({ date: 'max', amount: ['count', 'sum'] })` only — no scoring — timed once " +
      'after building the DataFrame (not timed).',
    '',
    '**Integer customer ids (Int32 / INTEGER)**:',
    '',
    speed,
    '',
    '**String customer ids (Utf8 / VARCHAR)**, same rows, same run (danfo.js not repeated); the last two ratios compare ' +
      'each engine with itself on integer ids:',
    '',
    strings,
    '',
    '**Memory of one `rfm` call**, each N and key kind in a fresh child process started before the parent grew (parent RSS ' +
      `${mb(o.parentRss)}), after a 10k-row warm-up and GC. \`process.memoryUsage()\` before and after; the peak from Linux ` +
      '`VmHWM`, reset just before the call (`/proc/self/clear_refs`), and from `process.resourceUsage().maxRSS`, which ' +
      "also counts the parent's RSS inherited at fork + exec (so it can only bound the call from above):",
    '',
    memory,
    '',
    '**Details and equality check** (DuckDB result fetched after timing; r, f, m compared for every customer by id; ' +
      'string ids must read `C` and 8 digits on both sides and are matched by their number). ' +
      "DuckDB's parallel `sum` over doubles is not compensated (and its rounding depends on the thread schedule), clientele's " +
      'is, so a customer whose total equals a monetary break in one engine can be a few ulps above it in the other. The same ' +
      'statement with exact sums, `sum(amount::DECIMAL(18, 2))::DOUBLE` (untimed), is checked too:',
    '',
    detail,
    ...(mismatchNotes.length ? ['', ...mismatchNotes] : []),
    '',
    `**danfo.js probes** (child process without Arrow; about N/10 groups; fitted growth exponent ${o.exponent.toFixed(2)} between ` +
      'the probes; the extrapolation to N uses max(2, exponent) because `Groupby.toDataFrame` re-spreads the output arrays once ' +
      'per group, O(groups²)):',
    '',
    probes,
    '',
    `**danfo.js next to Arrow**: the same ${human(a.rows)}-row groupby took ${ms(a.withArrow)} ms in this process (Arrow loaded) ` +
      `against ${ms(a.withoutArrow)} ms in a process without Arrow (${(a.withArrow / a.withoutArrow).toFixed(0)}×; both first calls). ` +
      "`apache-arrow` sets `Symbol.isConcatSpreadable` on the Vector, Table and RecordBatch prototypes, which switches off V8's " +
      '`Array.prototype.concat` fast path for the whole process; danfo concatenates once per group. That is why danfo is timed in ' +
      'its own process.',
  ].join('\n');
}

await main();
