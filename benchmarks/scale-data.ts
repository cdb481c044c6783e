/**
 * The scale benchmark's transaction logs, written once to `benchmarks/data/` (gitignored) in chunks so that a
 * 100M-row log never has to sit in memory: an Arrow IPC stream file (`tx-N.arrows`, what clientele streams) and the
 * same rows as Parquet files of at most 10M rows each (`tx-N.parquet/part-K.parquet`, what DuckDB scans).
 *
 * Rows follow `rfm-data.ts` (about N/10 customers with a skew, dates in log order over two years, log-normal
 * amounts in cents) but each chunk of 1M rows draws from its own seeded generator, so chunk k is the same whatever
 * N is being generated and no generator state spans chunks.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  Float64,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Field,
  Struct,
  DateDay,
} from 'apache-arrow';
import { tableToBytes } from '../src/io/index';
import { fillTransactions, mulberry32, SEED } from './rfm-data';

export const CHUNK = 1_000_000;
const PARQUET_ROWS = 10_000_000;

export const DATA = path.join(path.dirname(new URL(import.meta.url).pathname), 'data');

/** Rows [start, start + length) of the N-row log as typed arrays. */
export function chunkArrays(
  n: number,
  start: number,
  length: number,
): { customer: Int32Array; date: Int32Array; amount: Float64Array } {
  const chunk = { customer: new Int32Array(length), date: new Int32Array(length), amount: new Float64Array(length) };
  fillTransactions(
    mulberry32(SEED ^ Math.floor(start / CHUNK) ^ (n * 7919)),
    n,
    start,
    chunk.customer,
    chunk.date,
    chunk.amount,
  );
  return chunk;
}

const schema = new Schema([
  new Field('customer', new Int32(), false),
  new Field('date', new DateDay(), false),
  new Field('amount', new Float64(), false),
]);

function batchOf(a: { customer: Int32Array; date: Int32Array; amount: Float64Array }): RecordBatch {
  const n = a.customer.length;
  const children = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: a.customer }),
    makeData({ type: new DateDay(), length: n, nullCount: 0, data: a.date }),
    makeData({ type: new Float64(), length: n, nullCount: 0, data: a.amount }),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
}

/** Writes `tx-N.arrows` and `tx-N.parquet/` if they are missing; returns their paths. */
export async function ensureScaleData(n: number): Promise<{ ipc: string; parquetGlob: string }> {
  mkdirSync(DATA, { recursive: true });
  const ipc = path.join(DATA, `tx-${n}.arrows`);
  const dir = path.join(DATA, `tx-${n}.parquet`);
  if (!existsSync(ipc)) {
    const tmp = `${ipc}.tmp`;
    const out = createWriteStream(tmp);
    const writer = RecordBatchStreamWriter.throughNode();
    const done = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    writer.pipe(out);
    for (let start = 0; start < n; start += CHUNK) {
      const batch = batchOf(chunkArrays(n, start, Math.min(CHUNK, n - start)));
      if (!writer.write(batch)) await new Promise((r) => writer.once('drain', r));
    }
    writer.end();
    await done;
    renameSync(tmp, ipc);
  }
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp`;
    mkdirSync(tmp, { recursive: true });
    for (let start = 0, part = 0; start < n; start += PARQUET_ROWS, part++) {
      const length = Math.min(PARQUET_ROWS, n - start);
      const columns = {
        customer: new Int32Array(length),
        date: new Int32Array(length),
        amount: new Float64Array(length),
      };
      for (let s = 0; s < length; s += CHUNK) {
        const c = chunkArrays(n, start + s, Math.min(CHUNK, length - s));
        columns.customer.set(c.customer, s);
        columns.date.set(c.date, s);
        columns.amount.set(c.amount, s);
      }
      const table = {
        customer: makeVector(columns.customer),
        date: makeVector(makeData({ type: new DateDay(), length, nullCount: 0, data: columns.date })),
        amount: makeVector(columns.amount),
      };
      writeFileSync(
        path.join(tmp, `part-${part}.parquet`),
        await tableToBytes(table, 'parquet', { compression: 'snappy' }),
      );
    }
    renameSync(tmp, dir);
  }
  return { ipc, parquetGlob: path.join(dir, '*.parquet') };
}
