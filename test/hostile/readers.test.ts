import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { customerSummary, rfm } from '../../src/index';
import { formatFromPath, readBatches, readTable, tableToBytes } from '../../src/io/index';
import type { FileFormat, ReadOptions } from '../../src/io/index';
import { refuses, refusesAsync, unchangedAfterAsync } from './helpers';

/**
 * Files in (readers): issue 15 classes 3 (names used as keys), 5 (buffer sizing and huge records) and 9 (edges of
 * files: empty, truncated, corrupt, encodings, shapes). Each case names the exact answer: a code, or the values
 * read, checked against values written here by hand or against DuckDB's reading of the same file.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-hostile-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = (text: string) => new TextEncoder().encode(text);
let files = 0;
/** Writes `content` to a fresh file named `name` and returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const sub = path.join(dir, String(files++));
  mkdirSync(sub);
  const at = path.join(sub, name);
  writeFileSync(at, content);
  return at;
}

/** Every column as plain values read with `get` (bigint as number). */
function values(table: Table): Record<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    out.set(
      field.name,
      Array.from({ length: table.numRows }, (_, i) => {
        const v = column.get(i);
        return typeof v === 'bigint' ? Number(v) : v;
      }),
    );
  }
  return Object.fromEntries(out);
}

/**
 * `rest` with an own key `__proto__` holding `proto`, first (an object literal cannot write one: `{ __proto__: x }`
 * sets the prototype).
 */
function own(rest: Record<string, unknown[]>, proto: unknown[]): Record<string, unknown[]> {
  return Object.fromEntries([['__proto__', proto], ...Object.entries(rest)]);
}

const types = (table: Table) => table.schema.fields.map((f) => `${f.name}:${String(f.type)}`);

/** Reads bytes and checks they were not changed, without rendering megabytes (a copy compared at the end). */
async function readBig(bytes: Uint8Array, options?: ReadOptions): Promise<Table> {
  const copy = bytes.slice();
  const table = await readTable(bytes, options);
  expect(Buffer.compare(Buffer.from(copy), Buffer.from(bytes)), 'the input bytes were changed').toBe(0);
  return table;
}

/** Drains readBatches into a count of rows. */
async function rowsStreamed(source: string | Uint8Array, options?: ReadOptions): Promise<number> {
  let rows = 0;
  for await (const batch of readBatches(source, options)) rows += batch.numRows;
  return rows;
}

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

describe('class 3: column names and keys that are Object.prototype names read as ordinary columns', () => {
  for (const name of NAMES) {
    it(`class 3: a CSV header named ${name} reads as a column`, async () => {
      const bytes = utf8(`${name},b\n1,x\n,y\n3,z\n`);
      const { value } = await unchangedAfterAsync([bytes], () => readTable(bytes));
      expect(types(value!)).toEqual([`${name}:Int32`, 'b:Utf8']);
      expect(values(value!)).toEqual({ [name]: [1, null, 3], b: ['x', 'y', 'z'] });
    });

    it(`class 3: a TSV header named ${name} reads as a column`, async () => {
      const at = file('names.tsv', `b\t${name}\nx\t2.5\ny\t\n`);
      const table = await readTable(at);
      expect(types(table)).toEqual(['b:Utf8', `${name}:Float64`]);
      expect(values(table)[name]).toEqual([2.5, null]);
    });

    it(`class 3: a JSON array key named ${name} reads as a column, a null kept as null`, async () => {
      const bytes = utf8(`[{"${name}":null,"b":1},{"${name}":"v","b":2},{"b":3}]`);
      const { value } = await unchangedAfterAsync([bytes], () => readTable(bytes, { format: 'json' }));
      expect(types(value!)).toEqual([`${name}:Utf8`, 'b:Int32']);
      expect(values(value!)).toEqual({ [name]: [null, 'v', null], b: [1, 2, 3] });
    });

    it(`class 3: a JSON lines key named ${name} reads as a column, a missing key as null`, async () => {
      const bytes = utf8(`{"b":1}\n{"${name}":true,"b":2}\n{"${name}":false}\n`);
      const { value } = await unchangedAfterAsync([bytes], () => readTable(bytes, { format: 'jsonl' }));
      expect(types(value!)).toEqual(['b:Int32', `${name}:Bool`]);
      expect(values(value!)).toEqual({ b: [1, 2, null], [name]: [null, true, false] });
    });
  }

  it('class 3: the columns option may name a column __proto__ or constructor (an own key)', async () => {
    const bytes = utf8('__proto__,constructor,toString\n007,1,2\n');
    const columns = JSON.parse('{"__proto__":"string","constructor":"number"}') as ReadOptions['columns'];
    const { value } = await unchangedAfterAsync([bytes, columns], () => readTable(bytes, { columns }));
    expect(types(value!)).toEqual(['__proto__:Utf8', 'constructor:Float64', 'toString:Int32']);
    expect(values(value!)).toEqual(own({ constructor: [1], toString: [2] }, ['007']));
  });

  it('class 3: a columns option naming constructor is checked against the header, not Object.prototype', async () => {
    const bytes = utf8('a,b\n1,2\n');
    await refusesAsync(
      [bytes],
      () => readTable(bytes, { columns: JSON.parse('{"constructor":"string"}') as ReadOptions['columns'] }),
      'MISSING_COLUMN',
      '"constructor"',
    );
  });

  for (const format of ['arrow', 'arrows', 'parquet', 'csv', 'json', 'jsonl'] as const) {
    it(`class 3: every Object.prototype name round-trips through ${format}`, async () => {
      const csv = `${NAMES.join(',')}\n1,a,2.5,true,x\n,b,,false,\n`;
      const table = await readTable(utf8(csv));
      const back = await readTable(await tableToBytes(table, format), { format });
      expect(back.schema.fields.map((f) => f.name)).toEqual([...NAMES]);
      expect(values(back)).toEqual(
        own({ constructor: ['a', 'b'], toString: [2.5, null], hasOwnProperty: [true, false], valueOf: ['x', null] }, [
          1,
          null,
        ]),
      );
    });
  }

  it('class 3: formatFromPath gives no format for the extensions .constructor, .__proto__ and .toString', () => {
    expect([formatFromPath('a.constructor'), formatFromPath('a.__proto__'), formatFromPath('a.toString')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

const duckdb = await import('@duckdb/node-api').catch(() => null);

describe.skipIf(!duckdb)('class 3: DuckDB reads the same names and values from the same files', () => {
  const csv = `${NAMES.join(',')}\n1,a,2.5,true,x\n,b,,false,\n7,"c, d",-1,true,"q""r"\n`;
  const expected = own(
    {
      constructor: ['a', 'b', 'c, d'],
      toString: [2.5, null, -1],
      hasOwnProperty: [true, false, true],
      valueOf: ['x', null, 'q"r'],
    },
    [1, null, 7],
  );

  async function duckValues(from: string): Promise<Record<string, unknown[]>> {
    const db = await duckdb!.DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const reader = await con.runAndReadAll(`SELECT * FROM ${from}`);
    const names = reader.columnNames();
    const rows = reader.getRowsJS();
    con.closeSync();
    return Object.fromEntries(
      names.map((name, k) => [name, rows.map((r) => (typeof r[k] === 'bigint' ? Number(r[k]) : r[k]))]),
    );
  }

  it('class 3: a CSV with Object.prototype names reads as DuckDB reads it', async () => {
    const at = file('names.csv', csv);
    const ours = values(await readTable(at));
    expect(ours).toEqual(expected);
    expect(await duckValues(`read_csv('${at}', header = true)`)).toEqual(ours);
  });

  it('class 3: the Parquet we write with Object.prototype names reads in DuckDB as it reads here', async () => {
    const at = path.join(dir, 'names.parquet');
    writeFileSync(at, await tableToBytes(await readTable(utf8(csv)), 'parquet'));
    expect(values(await readTable(at))).toEqual(expected);
    expect(await duckValues(`read_parquet('${at}')`)).toEqual(expected);
  });

  it('class 3: JSON lines with Object.prototype keys read as DuckDB reads them', async () => {
    const lines = [0, 1, 2].map((i) => JSON.stringify(Object.fromEntries(NAMES.map((n) => [n, expected[n][i]]))));
    const at = file('names.jsonl', `${lines.join('\n')}\n`);
    const ours = values(await readTable(at));
    expect(ours).toEqual(expected);
    expect(await duckValues(`read_json('${at}', format = 'newline_delimited')`)).toEqual(ours);
  });
});

describe('class 5: text buffers grow from what they need; huge records have a documented limit', () => {
  const k64 = 'v'.repeat(65_536);

  it('class 5: a 64 KiB text value in a one-row CSV reads (it asked for a 4 GiB buffer)', async () => {
    const table = await readBig(utf8(`id,text\n1,${k64}\n`));
    expect(values(table)).toEqual({ id: [1], text: [k64] });
  });

  it('class 5: a 64 KiB text value in a one-element JSON array reads', async () => {
    const table = await readBig(utf8(JSON.stringify([{ id: 1, text: k64 }])), { format: 'json' });
    expect(values(table)).toEqual({ id: [1], text: [k64] });
  });

  it('class 5: a 64 KiB text value in a one-line JSON lines file reads', async () => {
    const table = await readBig(utf8(`${JSON.stringify({ id: 1, text: k64 })}\n`), { format: 'jsonl' });
    expect(values(table)).toEqual({ id: [1], text: [k64] });
  });

  it('class 5: 64 KiB values in every batch of a streamed CSV read in full, batch after batch', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `${i},${String.fromCharCode(97 + i).repeat(65_536 + i)}`);
    const texts: string[] = [];
    for await (const batch of readBatches(utf8(`id,text\n${rows.join('\n')}\n`), { batchSize: 2 }))
      for (const v of batch.getChild('text')!) texts.push(v as string);
    expect(texts).toEqual(rows.map((_, i) => String.fromCharCode(97 + i).repeat(65_536 + i)));
  });

  it('class 5: a 10 MB quoted CSV field with quotes and line breaks reads from a file (chunked)', async () => {
    const big = `${'ab"c\n'.repeat(2_000_000)}end`;
    const at = file('big.csv', `id,text,after\n1,"${big.replace(/"/g, '""')}",x\n2,short,y\n`);
    const table = await readTable(at);
    expect(table.numRows).toBe(2);
    expect(table.getChild('text')!.get(0)).toBe(big);
    expect(values(table).after).toEqual(['x', 'y']);
  });

  it('class 5: a 10 MB JSON lines value reads from a file (chunked)', async () => {
    const big = 'é'.repeat(5_000_000);
    const at = file('big.jsonl', `${JSON.stringify({ id: 1, text: big })}\n{"id":2,"text":"s"}\n`);
    const table = await readTable(at);
    expect(values(table).id).toEqual([1, 2]);
    expect(table.getChild('text')!.get(0)).toBe(big);
  });

  it('class 5: a CSV record longer than maxRecordBytes is LIMIT_EXCEEDED naming the option and the line', async () => {
    const bytes = utf8(`a,b\n1,x\n2,${'y'.repeat(2000)}\n3,z\n`);
    const e = await refusesAsync(
      [bytes],
      () => readTable(bytes, { maxRecordBytes: 1000 }),
      'LIMIT_EXCEEDED',
      'line 3',
      'maxRecordBytes',
    );
    expect(e.row).toBe(1);
  });

  it('class 5: a quote never closed in a large file stops at maxRecordBytes, not at the end of memory', async () => {
    const at = file('open-quote.csv', `a,b\n1,"never closed\n${'2,x\n'.repeat(100_000)}`);
    await refusesAsync([at], () => readTable(at, { maxRecordBytes: 10_000 }), 'LIMIT_EXCEEDED', 'line 2', 'quote');
  });

  it('class 5: a JSON line longer than maxRecordBytes is LIMIT_EXCEEDED', async () => {
    const bytes = utf8(`{"a":1}\n{"a":"${'x'.repeat(5000)}"}\n`);
    await refusesAsync(
      [bytes],
      () => readTable(bytes, { format: 'jsonl', maxRecordBytes: 100 }),
      'LIMIT_EXCEEDED',
      'line 2',
      'maxRecordBytes',
    );
  });

  it('class 5: maxRecordBytes: Infinity lifts the limit', async () => {
    const bytes = utf8(`a\n${'y'.repeat(3000)}\n`);
    const table = await readTable(bytes, { maxRecordBytes: Infinity });
    expect((table.getChild('a')!.get(0) as string).length).toBe(3000);
  });

  for (const bad of [0, -1, 1.5, '64', NaN]) {
    it(`class 5: maxRecordBytes ${String(bad)} is INVALID_OPTION before any byte is read`, () => {
      const options = { maxRecordBytes: bad } as unknown as ReadOptions;
      refuses([options], () => readBatches('no-such-file.csv', options), 'INVALID_OPTION', 'maxRecordBytes');
    });
  }
});

describe('class 9: empty, truncated and corrupt files', () => {
  it('class 9: a header-only CSV is a zero-row table of Null columns, and rfm then says EMPTY_INPUT', async () => {
    const table = await readTable(utf8('customer,date,amount\n'));
    expect(table.numRows).toBe(0);
    expect(types(table)).toEqual(['customer:Null', 'date:Null', 'amount:Null']);
    refuses([table], () => rfm(table), 'EMPTY_INPUT');
    refuses([table], () => customerSummary(table), 'EMPTY_INPUT');
  });

  it('class 9: a header-only CSV keeps the types given in columns', async () => {
    const table = await readTable(utf8('customer,amount\n'), { columns: { amount: 'number' } });
    expect(types(table)).toEqual(['customer:Null', 'amount:Float64']);
  });

  it('class 9: an empty JSON array is EMPTY_INPUT (it names no column)', async () => {
    const bytes = utf8(' [ ] ');
    await refusesAsync([bytes], () => readTable(bytes, { format: 'json' }), 'EMPTY_INPUT', 'columns');
  });

  it('class 9: an empty JSON array with columns is a zero-row table of those columns', async () => {
    const table = await readTable(utf8('[]'), { format: 'json', columns: { customer: 'string', amount: 'number' } });
    expect(table.numRows).toBe(0);
    expect(types(table)).toEqual(['customer:Utf8', 'amount:Float64']);
  });

  it('class 9: a JSON lines file of blank lines is EMPTY_INPUT', async () => {
    const bytes = utf8('\n  \r\n\n');
    await refusesAsync([bytes], () => readTable(bytes, { format: 'jsonl' }), 'EMPTY_INPUT');
  });

  for (const ext of ['csv', 'tsv', 'json', 'jsonl', 'arrow', 'arrows', 'feather', 'parquet']) {
    it(`class 9: a 0-byte .${ext} file is EMPTY_INPUT from readTable and from readBatches`, async () => {
      const at = file(`empty.${ext}`, '');
      await refusesAsync([at], () => readTable(at), 'EMPTY_INPUT');
      await refusesAsync([at], () => rowsStreamed(at), 'EMPTY_INPUT');
    });
  }

  const sample = () => readTable(utf8(`id,name\n${Array.from({ length: 3000 }, (_, i) => `${i},n${i}`).join('\n')}\n`));

  for (const format of ['arrow', 'arrows', 'parquet'] as const) {
    it(`class 9: a ${format} file cut in half is INVALID_INPUT from readTable and from readBatches`, async () => {
      const bytes = await tableToBytes(await sample(), format);
      const cut = bytes.slice(0, bytes.length >> 1);
      const at = file(`cut.${format}`, cut);
      await refusesAsync(
        [cut],
        () => readTable(cut, { format }),
        'INVALID_INPUT',
        format === 'parquet' ? 'Parquet' : 'Arrow',
      );
      await refusesAsync([at], () => rowsStreamed(at), 'INVALID_INPUT', 'cut.');
    });
  }

  it('class 9: a Parquet file with a corrupt footer length is INVALID_INPUT', async () => {
    const bytes = await tableToBytes(await sample(), 'parquet');
    const bad = bytes.slice();
    bad[bad.length - 6] ^= 0xff;
    await refusesAsync([bad], () => readTable(bad, { format: 'parquet' }), 'INVALID_INPUT', 'Parquet');
  });

  it('class 9: a directory is INVALID_INPUT naming EISDIR', async () => {
    await refusesAsync([dir], () => readTable(dir), 'INVALID_INPUT', 'EISDIR', 'not a folder');
  });

  it('class 9: a missing file keeps its documented INVALID_INPUT, naming ENOENT and the path', async () => {
    const at = path.join(dir, 'no-such-file.csv');
    await refusesAsync([at], () => readTable(at), 'INVALID_INPUT', 'ENOENT', 'no-such-file.csv');
    await refusesAsync([at], () => rowsStreamed(at), 'INVALID_INPUT', 'ENOENT');
  });

  it.skipIf(process.getuid?.() === 0)(
    'class 9: a file without read permission is INVALID_INPUT naming EACCES',
    async () => {
      const at = file('locked.csv', 'a\n1\n');
      chmodSync(at, 0o000);
      await refusesAsync([at], () => readTable(at), 'INVALID_INPUT', 'EACCES');
    },
  );
});

describe('class 9: encodings and byte-level edges', () => {
  it('class 9: invalid UTF-8 in a CSV text field is INVALID_INPUT naming line and column (Latin-1 ids are not merged)', async () => {
    // "Müller" and "Mäller" in Latin-1: decoded leniently both would become "M\uFFFDller"
    const bytes = new Uint8Array([...utf8('id,name\n1,M'), 0xfc, ...utf8('ller\n2,M'), 0xe4, ...utf8('ller\n')]);
    const e = await refusesAsync([bytes], () => readTable(bytes), 'INVALID_INPUT', 'line 2', 'UTF-8');
    expect([e.column, e.row]).toEqual(['name', 0]);
  });

  it('class 9: invalid UTF-8 in a CSV header is INVALID_INPUT', async () => {
    const bytes = new Uint8Array([...utf8('id,na'), 0xff, ...utf8('me\n1,2\n')]);
    await refusesAsync([bytes], () => readTable(bytes), 'INVALID_INPUT', 'field 2', 'UTF-8');
  });

  it('class 9: invalid UTF-8 in a JSON lines file is INVALID_INPUT', async () => {
    const bytes = new Uint8Array([...utf8('{"a":"x"}\n{"a":"'), 0xc3, 0x28, ...utf8('"}\n')]);
    await refusesAsync([bytes], () => readTable(bytes, { format: 'jsonl' }), 'INVALID_INPUT', 'UTF-8');
  });

  it('class 9: a lone surrogate in a JSON string is INVALID_VALUE (two of them would merge into U+FFFD)', async () => {
    const bytes = utf8('[{"id":"\\ud800"},{"id":"\\udbff"}]');
    const e = await refusesAsync([bytes], () => readTable(bytes, { format: 'json' }), 'INVALID_VALUE', 'surrogate');
    expect([e.column, e.row]).toEqual(['id', 0]);
  });

  it('class 9: a UTF-8 BOM is skipped in CSV, JSON and JSON lines', async () => {
    const csv = await readTable(utf8('\ufeffcustomer,amount\na,1\n'));
    const json = await readTable(utf8('\ufeff[{"customer":"a","amount":1}]'), { format: 'json' });
    const jsonl = await readTable(utf8('\ufeff{"customer":"a","amount":1}\n'), { format: 'jsonl' });
    for (const t of [csv, json, jsonl]) expect(values(t)).toEqual({ customer: ['a'], amount: [1] });
  });

  it('class 9: NUL bytes in a CSV text field are kept as the bytes of the text', async () => {
    const table = await readTable(utf8('a,b\n1,x\0y\n'));
    expect(values(table)).toEqual({ a: [1], b: ['x\0y'] });
  });

  it('class 9: CR-only line ends read as lines', async () => {
    const table = await readTable(utf8('a,b\r1,x\r2,y\r'));
    expect(values(table)).toEqual({ a: [1, 2], b: ['x', 'y'] });
  });

  it('class 9: numbers beyond double range read as ±Infinity and 1e-400 as 0 (IEEE rounding, as JSON.parse does)', async () => {
    const csv = await readTable(utf8('a\n1e400\n-1e400\n1e-400\n'));
    const json = await readTable(utf8('[{"a":1e400},{"a":-1e400},{"a":1e-400}]'), { format: 'json' });
    expect(values(csv).a).toEqual([Infinity, -Infinity, 0]);
    expect(values(json).a).toEqual([Infinity, -Infinity, 0]);
  });
});

describe('class 9: shapes: names, ragged rows, many columns, deep nesting, late type changes', () => {
  it('class 9: a column name given twice is INVALID_INPUT naming both fields', async () => {
    const bytes = utf8('id,amount,id\n1,2,3\n');
    const e = await refusesAsync([bytes], () => readTable(bytes), 'INVALID_INPUT', '"id" twice', 'fields 1 and 3');
    expect(e.column).toBe('id');
  });

  it('class 9: empty column names become column_<k>, and one that would clash gets a suffix', async () => {
    const table = await readTable(utf8(',column_1,\n1,2,3\n'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['column_1_2', 'column_1', 'column_3']);
    expect(values(table)).toEqual({ column_1_2: [1], column_1: [2], column_3: [3] });
  });

  it('class 9: a row with too few fields is INVALID_INPUT naming the line and the missing column', async () => {
    const bytes = utf8('a,b,c\n1,2,3\n4,5\n');
    const e = await refusesAsync([bytes], () => readTable(bytes), 'INVALID_INPUT', 'line 3', '"c" is missing');
    expect([e.column, e.row]).toEqual(['c', 1]);
  });

  it('class 9: a row with too many fields is INVALID_INPUT naming the line', async () => {
    const bytes = utf8('a,b\n1,2\n3,4,5\n');
    await refusesAsync([bytes], () => readTable(bytes), 'INVALID_INPUT', 'line 3', 'more fields');
  });

  it('class 9: a CSV of 20 000 columns reads (buffers sized by columns, no quadratic schema check)', async () => {
    const n = 20_000;
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: n }, (_, i) => String(i % 7)).join(',');
    const table = await readTable(utf8(`${header}\n${row}\n${row}\n`));
    expect([table.numRows, table.numCols]).toEqual([2, n]);
    expect([table.getChild('c0')!.get(1), table.getChild('c19999')!.get(0)]).toEqual([0, 19_999 % 7]);
  });

  it('class 9: a JSON value nested 100 000 deep is INVALID_VALUE, not a stack overflow', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const bytes = utf8(`[{"id":1,"v":${deep}}]`);
    const e = await refusesAsync([bytes], () => readTable(bytes, { format: 'json' }), 'INVALID_VALUE', 'nested');
    expect(e.column).toBe('v');
  });

  it('class 9: a JSON lines value nested 100 000 deep (objects in arrays) is INVALID_VALUE, not a stack overflow', async () => {
    const deep = `${'[{"a":'.repeat(50_000)}1${'}]'.repeat(50_000)}`;
    const bytes = utf8(`{"id":1,"v":${deep}}\n`);
    await refusesAsync([bytes], () => readTable(bytes, { format: 'jsonl' }), 'INVALID_VALUE', 'line 1', 'nested');
  });

  it('class 9: a CSV whose type changes in the last row, after the inference sample, is INVALID_VALUE with the fix', async () => {
    const bytes = utf8(`id,amount\n${Array.from({ length: 50 }, (_, i) => `${i},${i}`).join('\n')}\n50,n/a\n`);
    const e = await refusesAsync(
      [bytes],
      () => readTable(bytes, { inferRows: 20 }),
      'INVALID_VALUE',
      'line 52',
      "columns: { amount: 'string' }",
      'inferRows',
    );
    expect([e.column, e.row]).toEqual(['amount', 50]);
  });

  it('class 9: a JSON lines file whose type changes after the sample is INVALID_VALUE; a new key is INVALID_INPUT', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: i, ok: i % 2 === 0 }));
    const changed = utf8(`${rows.join('\n')}\n{"id":30,"ok":"yes"}\n`);
    const added = utf8(`${rows.join('\n')}\n{"id":30,"late":1}\n`);
    await refusesAsync(
      [changed],
      () => readTable(changed, { format: 'jsonl', inferRows: 10 }),
      'INVALID_VALUE',
      'line 31',
    );
    await refusesAsync([added], () => readTable(added, { format: 'jsonl', inferRows: 10 }), 'INVALID_INPUT', '"late"');
  });

  it('class 9: a format option the file does not match is INVALID_INPUT, not a raw parser error', async () => {
    const bytes = utf8('a,b\n1,2\n');
    for (const format of ['arrow', 'arrows', 'parquet', 'json'] as FileFormat[])
      await refusesAsync([bytes], () => readTable(bytes, { format }), 'INVALID_INPUT');
  });
});

describe('class 4: integers a double cannot hold', () => {
  it('class 4: CSV integer ids from 2^53 on are read as text with every digit, so 2^53 and 2^53 + 1 stay two ids', async () => {
    const at = file('ids.csv', 'customer,amount\n9007199254740993,1\n9007199254740992,2\n12,3\n');
    const t = await readTable(at);
    expect(String(t.schema.fields[0].type)).toBe('Utf8');
    expect(values(t).customer).toEqual(['9007199254740993', '9007199254740992', '12']);
    expect(String(t.schema.fields[1].type)).toBe('Int32');
  });

  it('class 4: just below 2^53 an integer column stays numeric, and a decimal or exponent beyond it stays a number', async () => {
    const t = await readTable(file('near.csv', 'id,amount\n9007199254740991,1.5e300\n-9007199254740991,2\n'));
    expect(values(t)).toEqual({ id: [9007199254740991, -9007199254740991], amount: [1.5e300, 2] });
  });

  it("class 4: an explicit columns type 'number' reads such integers as (rounded) doubles, as asked", async () => {
    const t = await readTable(file('asked.csv', 'id\n9007199254740993\n'), { columns: { id: 'number' } });
    expect(values(t).id).toEqual([2 ** 53]);
  });
});

/** The position of the schema message's table (in a stream written by tableToBytes, the first message). */
function schemaOf(bytes: Uint8Array): { view: DataView; meta: number; schema: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta = 8; // after the continuation marker and the metadata length
  const message = meta + view.getUint32(meta, true);
  const slot = (table: number, i: number) => {
    const vt = table - view.getInt32(table, true);
    return table + view.getUint16(vt + 4 + 2 * i, true);
  };
  const headerAt = slot(message, 2);
  const schema = headerAt + view.getUint32(headerAt, true);
  expect(view.getUint8(slot(message, 1))).toBe(1); // a Schema header
  return { view, meta, schema: slot(schema, 1) }; // the offset of the schema's fields vector
}

describe('class 9: corrupt Arrow IPC metadata is INVALID_INPUT before apache-arrow reads it (no hang)', () => {
  const small = { customer: ['a', 'b'], amount: [1, 2] };
  /** Refused as INVALID_INPUT whole, streamed from bytes and streamed from a file, naming `inMessage`. */
  async function refusedEveryWay(bytes: Uint8Array, format: 'arrow' | 'arrows', ...inMessage: string[]) {
    const at = file(`bad.${format}`, bytes);
    await refusesAsync([bytes], () => readTable(bytes, { format }), 'INVALID_INPUT', 'Arrow IPC', ...inMessage);
    await refusesAsync([], () => readTable(at), 'INVALID_INPUT', 'Arrow IPC', ...inMessage);
    for (const input of [bytes, at]) {
      await refusesAsync(
        [],
        async () => {
          for await (const batch of readBatches(input, { format })) void batch;
        },
        'INVALID_INPUT',
        'Arrow IPC',
        ...inMessage,
      );
    }
  }

  it('class 9: the byte-30 flip of a small .arrow file (apache-arrow looped forever) is INVALID_INPUT naming the byte', async () => {
    const bad = ((await tableToBytes(small, 'arrow')) as Uint8Array).slice();
    bad[30] ^= 0xff;
    await refusedEveryWay(bad, 'arrow', 'a message header type at byte 276', 'passes the end of its metadata');
  });

  it('class 9: a schema fields vector claiming 0x7fffffff fields is INVALID_INPUT', async () => {
    const bad = ((await tableToBytes(small, 'arrows')) as Uint8Array).slice();
    const { view, schema } = schemaOf(bad);
    view.setUint32(schema + view.getUint32(schema, true), 0x7fffffff, true);
    await refusedEveryWay(bad, 'arrows', 'a schema field at byte', 'claims 2147483647 elements');
  });

  it('class 9: an offset pointing past the end of the metadata is INVALID_INPUT', async () => {
    const bad = ((await tableToBytes(small, 'arrows')) as Uint8Array).slice();
    const { view, schema } = schemaOf(bad);
    view.setUint32(schema, 0x7ffffff0, true);
    await refusedEveryWay(bad, 'arrows', `a schema field at byte ${schema + 0x7ffffff0}`, 'passes the end');
  });

  it('class 9: a union type code out of range (message header, field type) is INVALID_INPUT', async () => {
    const bytes = (await tableToBytes(small, 'arrows')) as Uint8Array;
    const header = bytes.slice();
    const view = new DataView(header.buffer);
    const message = 8 + view.getUint32(8, true);
    const headerType = message + view.getUint16(message - view.getInt32(message, true) + 6, true);
    header[headerType] = 9;
    await refusedEveryWay(header, 'arrows', 'header type 9', 'not a schema, dictionary or record batch');
    // the first field's type code: its Type union tag (Utf8 = 5) set to 99
    const field = bytes.slice();
    const { view: fv, schema } = schemaOf(field);
    const fields = schema + fv.getUint32(schema, true);
    const first = fields + 4 + fv.getUint32(fields + 4, true);
    const typeType = first + fv.getUint16(first - fv.getInt32(first, true) + 8, true);
    expect(field[typeType]).toBe(5);
    field[typeType] = 99;
    await refusedEveryWay(field, 'arrows', 'type code 99', 'not a known Arrow type');
  });

  it('class 9: a nesting bomb (a struct 200 deep) is INVALID_INPUT; 60 deep passes the verifier', async () => {
    const { Field, Int32, Schema, Struct, Table: ArrowTable, tableToIPC } = await import('apache-arrow');
    const nested = (depth: number) => {
      let type: InstanceType<typeof Struct> | InstanceType<typeof Int32> = new Int32();
      for (let d = 1; d < depth; d++) type = new Struct([new Field('c', type)]);
      return tableToIPC(new ArrowTable(new Schema([new Field('a', type)])), 'stream');
    };
    await refusedEveryWay(nested(200), 'arrows', 'fields nest more than 64 deep');
    const { ipcProblem } = await import('../../src/io/arrow-ipc-verify');
    expect(ipcProblem(nested(60))).toBeUndefined();
  });

  it('class 9: valid files still read: tableToBytes (file, stream) and apache-arrow files of many types', async () => {
    const table = await readTable(utf8('customer,date,amount\na,2024-01-02,1.5\nb,2024-02-03,\n'));
    for (const format of ['arrow', 'arrows'] as const) {
      const bytes = (await tableToBytes(table, format)) as Uint8Array;
      expect(values(await readTable(bytes, { format }))).toEqual(values(table));
      expect(values(await readTable(file(`ok.${format}`, bytes)))).toEqual(values(table));
      let rows = 0;
      for await (const batch of readBatches(file(`ok.${format}`, bytes))) rows += batch.numRows;
      expect(rows).toBe(2);
    }
    // apache-arrow's own writer: dictionaries, lists, structs, time zones, unions, several batches
    const arrow = await import('apache-arrow');
    const { ipcProblem } = await import('../../src/io/arrow-ipc-verify');
    const union = arrow.makeBuilder({
      type: new arrow.DenseUnion([0], [new arrow.Field('n', new arrow.Float64())]),
      valueToChildTypeId: () => 0,
    } as never) as unknown as { append(v: number): void; finish(): { toVector(): never } };
    for (const v of [1, 2, 3]) union.append(v);
    const rich = new arrow.Table({
      d: arrow.vectorFromArray(['x', 'y', 'x'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      l: arrow.vectorFromArray([[1], [2, 3], []], new arrow.List(new arrow.Field('i', new arrow.Int32()))),
      s: arrow.vectorFromArray([{ k: 1 }, { k: 2 }, { k: 3 }]),
      t: arrow.vectorFromArray([1, 2, 3], new arrow.TimestampMillisecond('Europe/Paris')),
      u: union.finish().toVector(),
    });
    const twice = rich.concat(rich);
    for (const format of ['file', 'stream'] as const) {
      expect(ipcProblem(arrow.tableToIPC(twice, format))).toBeUndefined();
      expect(arrow.tableFromIPC(arrow.tableToIPC(twice, format)).numRows).toBe(6);
    }
  });
});
