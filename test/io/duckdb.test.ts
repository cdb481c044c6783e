import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readBatches, readTable, writeTable } from '../../src/io/index';
import { columnValues } from './helpers';

/**
 * Cross-checks with a real DuckDB (@duckdb/node-api, same process): DuckDB writes CSV and Parquet with COPY … TO
 * and we read the values back; we write CSV, Parquet and JSON lines and DuckDB reads them with read_csv,
 * read_parquet and read_json. (DuckDB reads Arrow IPC only through a community extension, which needs a network.)
 */
const duckdb = await import('@duckdb/node-api').catch(() => null);
const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-duck-'));
let con: DuckDBConnection;

beforeAll(async () => {
  if (!duckdb) return;
  const db = await duckdb.DuckDBInstance.create(':memory:');
  con = await db.connect();
  // 2 000 rows: ints, doubles, text with commas, quotes, line breaks and unicode, booleans, dates, timestamps, nulls
  await con.run(`CREATE TABLE t AS
    SELECT i::INTEGER AS id,
           CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 100003 - 50000 END::INTEGER AS qty,
           CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 0.37 - 200) / 3 END::DOUBLE AS amount,
           CASE WHEN i % 17 = 0 THEN NULL
                WHEN i % 5 = 0 THEN 'Müller, "Kunde" ' || i
                WHEN i % 5 = 1 THEN 'line' || chr(10) || 'break ' || i
                WHEN i % 5 = 2 THEN '顧客 ' || i
                ELSE 'c' || i END AS customer,
           CASE WHEN i % 19 = 0 THEN NULL ELSE i % 3 = 0 END AS vip,
           CASE WHEN i % 23 = 0 THEN NULL ELSE DATE '1995-03-01' + (i * 37 % 11000)::INTEGER END AS day,
           CASE WHEN i % 29 = 0 THEN NULL ELSE TIMESTAMP '2001-01-01 00:00:00' + INTERVAL (i * 86400123) MILLISECOND END AS ts
    FROM range(2000) r(i)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** DuckDB's own values of t, in id order, as plain JS: dates and timestamps as epoch ms. */
async function duckValues(from = 't'): Promise<Record<string, unknown[]>> {
  const reader = await con.runAndReadAll(
    `SELECT id, qty, amount, customer, vip, epoch_ms(day::TIMESTAMP) AS day, epoch_ms(ts) AS ts FROM ${from} ORDER BY id`,
  );
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  const out: Record<string, unknown[]> = {};
  for (const name of ['id', 'qty', 'amount', 'customer', 'vip', 'day', 'ts']) {
    out[name] = rows.map((r) => (typeof r[name] === 'bigint' ? Number(r[name]) : r[name]));
  }
  return out;
}

describe.skipIf(!duckdb)('DuckDB cross-checks', () => {
  it('reads the CSV DuckDB writes (COPY … TO, header, quoting) with the same values and types', async () => {
    const file = path.join(dir, 'duck.csv');
    await con.run(`COPY (SELECT * FROM t ORDER BY id) TO '${file}' (HEADER, DELIMITER ',')`);
    const table = await readTable(file);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:Int32',
      'qty:Int32',
      'amount:Float64',
      'customer:Utf8',
      'vip:Bool',
      'day:Date32<DAY>',
      'ts:Timestamp<MILLISECOND>',
    ]);
    expect(columnValues(table)).toEqual(await duckValues());
    // the same through readBatches, in small batches
    const ids: number[] = [];
    for await (const b of readBatches(file, { batchSize: 333 }))
      for (const v of b.getChild('id')!) ids.push(v as number);
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('reads the Parquet DuckDB writes (zstd and snappy)', async () => {
    for (const codec of ['zstd', 'snappy']) {
      const file = path.join(dir, `duck-${codec}.parquet`);
      await con.run(
        `COPY (SELECT * FROM t ORDER BY id) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 500)`,
      );
      const expected = await duckValues();
      const table = await readTable(file);
      // DuckDB stores TIMESTAMP in microseconds; apache-arrow reads every timestamp unit as epoch ms
      expect(String(table.schema.fields[6].type)).toBe('Timestamp<MICROSECOND>');
      expect(columnValues(table)).toEqual(expected);
      const streamed: number[] = [];
      for await (const b of readBatches(file, { batchSize: 200 })) {
        expect(b.numRows).toBeLessThanOrEqual(200);
        for (const v of b.getChild('id')!) streamed.push(v as number);
      }
      expect(streamed).toEqual(expected.id);
    }
  });

  it('DuckDB reads back the CSV, Parquet and JSON lines we write, with the same values', async () => {
    const csv = path.join(dir, 'duck.csv');
    await con.run(`COPY (SELECT * FROM t ORDER BY id) TO '${csv}' (HEADER)`);
    const table = await readTable(csv);
    const expected = await duckValues();
    const ours = {
      csv: path.join(dir, 'ours.csv'),
      parquet: path.join(dir, 'ours.parquet'),
      jsonl: path.join(dir, 'ours.jsonl'),
    };
    // every digit, so that DuckDB reads back the very same doubles
    for (const file of Object.values(ours)) await writeTable(table, file, { significantDigits: 'full' });
    expect(await duckValues(`read_csv('${ours.csv}', header = true)`)).toEqual(expected);
    expect(await duckValues(`read_parquet('${ours.parquet}')`)).toEqual(expected);
    expect(
      await duckValues(
        `read_json('${ours.jsonl}', format = 'newline_delimited', columns = {id: 'INTEGER', qty: 'INTEGER', amount: 'DOUBLE', customer: 'VARCHAR', vip: 'BOOLEAN', day: 'DATE', ts: 'TIMESTAMP'})`,
      ),
    ).toEqual(expected);
    // DuckDB's own type detection on our CSV
    const types = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${ours.csv}')`);
    expect(types.getRowObjectsJS().map((r) => `${r.column_name}:${r.column_type}`)).toEqual([
      'id:BIGINT',
      'qty:BIGINT',
      'amount:DOUBLE',
      'customer:VARCHAR',
      'vip:BOOLEAN',
      'day:DATE',
      'ts:TIMESTAMP',
    ]);
  });
});
