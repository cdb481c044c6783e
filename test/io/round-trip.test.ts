import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bool, DateDay, Float64, Int32, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFromPath, readBatches, readTable, tableToBytes, writeTable } from '../../src/io/index';
import type { ColumnType, FileFormat } from '../../src/io/index';
import { jsonlBatches } from '../../src/io/json-reader';
import { openSource } from '../../src/io/sources';
import { columnValues, rejection, utf8 } from './helpers';

const DAY = 86_400_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: null });
const text = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', "'", '\n', '\r', '\t', 'é', '漢', '😀', '\\', '0', '-', '{'),
});

/** A table with one column per type, nulls everywhere, and the plain values it was built from. */
const tables = fc.integer({ min: 0, max: 40 }).chain((n) =>
  fc.record({
    int: fc.array(nullable(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: n, maxLength: n }),
    num: fc.array(nullable(fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x))), {
      minLength: n,
      maxLength: n,
    }),
    str: fc.array(nullable(text), { minLength: n, maxLength: n }),
    bool: fc.array(nullable(fc.boolean()), { minLength: n, maxLength: n }),
    day: fc.array(nullable(fc.integer({ min: -25_000, max: 50_000 })), { minLength: n, maxLength: n }),
    ts: fc.array(nullable(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) })), {
      minLength: n,
      maxLength: n,
    }),
  }),
);

const TYPES: Record<string, ColumnType> = {
  int: 'integer',
  num: 'number',
  str: 'string',
  bool: 'boolean',
  day: 'date',
  ts: 'timestamp',
};

function arrowTable(c: {
  int: (number | null)[];
  num: (number | null)[];
  str: (string | null)[];
  bool: (boolean | null)[];
  day: (number | null)[];
  ts: (number | null)[];
}): Table {
  return new Table({
    int: vectorFromArray(c.int, new Int32()),
    num: vectorFromArray(c.num, new Float64()),
    str: vectorFromArray(c.str, new Utf8()),
    bool: vectorFromArray(c.bool, new Bool()),
    day: vectorFromArray(
      c.day.map((d) => (d === null ? null : d * DAY)),
      new DateDay(),
    ),
    ts: vectorFromArray(c.ts, new TimestampMillisecond()),
  });
}

function expected(c: Parameters<typeof arrowTable>[0]): Record<string, unknown[]> {
  return {
    int: c.int,
    num: c.num,
    str: c.str,
    bool: c.bool,
    day: c.day.map((d) => (d === null ? null : d * DAY)),
    ts: c.ts,
  };
}

const FORMATS: FileFormat[] = ['csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl'];
const EXT: Record<FileFormat, string> = {
  csv: 'csv',
  parquet: 'parquet',
  arrow: 'arrow',
  arrows: 'arrows',
  json: 'json',
  jsonl: 'jsonl',
  basket: 'dat',
};

describe('round trips through every format', () => {
  for (const format of FORMATS) {
    it(`${format}: tableToBytes then readTable gives back every value (strings with quotes, delimiters, line breaks, unicode; nulls; dates)`, async () => {
      await fc.assert(
        fc.asyncProperty(tables, async (c) => {
          const table = arrowTable(c);
          const before = columnValues(table);
          // every digit of each double, so that it reads back bit for bit (the default writes 15 significant digits)
          const bytes = await tableToBytes(table, format, { significantDigits: 'full' });
          // text formats need the types spelled out: a column of only '1' strings would be read as numbers
          const back = await readTable(bytes, {
            format,
            columns: format === 'csv' || format.startsWith('json') ? TYPES : undefined,
          });
          expect(columnValues(back)).toEqual(expected(c));
          expect(columnValues(table)).toEqual(before); // the input is not mutated
        }),
        { numRuns: format === 'parquet' ? 60 : 120 },
      );
    });
  }

  it('writeTable picks the format from the extension, and readBatches streams every format back from disk', async () => {
    await fc.assert(
      fc.asyncProperty(tables, fc.integer({ min: 1, max: 9 }), async (c, batchSize) => {
        const table = arrowTable(c);
        for (const format of FORMATS) {
          const file = path.join(dir, `t.${EXT[format]}`);
          expect(formatFromPath(file)).toBe(format);
          await writeTable(table, file, { significantDigits: 'full' });
          const columns = format === 'csv' || format.startsWith('json') ? TYPES : undefined;
          const batches = [];
          for await (const b of readBatches(file, { batchSize, columns })) batches.push(b);
          const back = new Table(batches);
          expect(columnValues(back)).toEqual(expected(c));
          if (format !== 'arrow' && format !== 'arrows' && c.int.length > 0) {
            for (const b of batches.slice(0, -1)) expect(b.numRows).toBe(batchSize);
          }
          expect(columnValues(await readTable(file, { columns }))).toEqual(expected(c));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('infers the types back from CSV and JSON lines when values are unambiguous', async () => {
    const table = arrowTable({
      int: [1, null, -7],
      num: [0.5, 2, null],
      str: ['x1', null, ''],
      bool: [true, false, null],
      day: [0, 19_000, null],
      ts: [Date.UTC(2024, 0, 1, 12, 30, 5, 250), null, 0],
    });
    for (const format of ['csv', 'jsonl', 'json'] as const) {
      const back = await readTable(await tableToBytes(table, format), { format });
      expect(back.schema.fields.map((f) => String(f.type))).toEqual([
        'Int32',
        'Float64',
        'Utf8',
        'Bool',
        'Date32<DAY>',
        'Timestamp<MILLISECOND>',
      ]);
      expect(columnValues(back)).toEqual(columnValues(table));
    }
  });

  it('accepts any TableInput in the writers and sniffs the format of bytes', async () => {
    const records = [
      { customer: 'a', amount: 10 },
      { customer: 'b', amount: 2.5 },
    ];
    const frozen = Object.freeze(records.map((r) => Object.freeze({ ...r })));
    for (const format of FORMATS) {
      const back = await readTable(await tableToBytes(frozen, format)); // no format: sniffed
      expect(columnValues(back)).toEqual({ customer: ['a', 'b'], amount: [10, 2.5] });
    }
  });

  it('writes CSV as RFC 4180 with nulls empty and the empty string quoted (hand-checked bytes)', async () => {
    const bytes = await tableToBytes(
      { s: ['a,b', 'say "hi"', '', null, ' pad'], n: [1, -2.5, 1e21, null, NaN] },
      'csv',
    );
    expect(new TextDecoder().decode(bytes)).toBe('s,n\n"a,b",1\n"say ""hi""",-2.5\n"",1e+21\n,\n" pad",NaN\n');
  });

  it('writes Parquet with zstd by default and honours the compression option', async () => {
    const table = { x: Array.from({ length: 1000 }, (_, i) => i % 7) };
    const zstd = await tableToBytes(table, 'parquet');
    const none = await tableToBytes(table, 'parquet', { compression: 'none' });
    for (const codec of ['snappy', 'gzip'] as const) {
      expect(columnValues(await readTable(await tableToBytes(table, 'parquet', { compression: codec }))).x).toEqual(
        table.x,
      );
    }
    expect(new TextDecoder('latin1').decode(zstd).includes('PAR1')).toBe(true);
    expect(zstd.length).toBeLessThan(none.length);
  });

  it('JSON lines read in small chunks (lines and UTF-8 characters across chunk ends) equal the whole read', async () => {
    const file = path.join(dir, 'chunks.jsonl');
    const table = {
      id: Array.from({ length: 500 }, (_, i) => i),
      s: Array.from({ length: 500 }, (_, i) => `é漢😀 ${i}\n"q"`),
    };
    await writeTable(table, file);
    for (const chunkBytes of [5, 64, 1000]) {
      const source = await openSource(file, 'test', undefined, chunkBytes);
      const batches = [];
      for await (const b of jsonlBatches(source, { fn: 'test', columns: undefined, batchSize: 97, inferRows: 10 }))
        batches.push(b);
      expect(columnValues(new Table(batches))).toEqual(table);
    }
  });

  it('JSON lines errors name the line', async () => {
    const bad = await rejection(() => readTable(utf8('{"a":1}\n{"a":2\n'), { format: 'jsonl' }));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.message).toContain('line 2 is not valid JSON');
    const value = await rejection(() => readTable(utf8('{"a":1}\n\n{"a":"x"}\n'), { format: 'jsonl', inferRows: 1 }));
    expect(value.code).toBe('INVALID_VALUE');
    expect(value.message).toContain('line 3, column "a": "x" is not a 32-bit integer');
    const key = await rejection(() => readTable(utf8('{"a":1}\n{"b":1}\n'), { format: 'jsonl', inferRows: 1 }));
    expect(key.message).toContain('line 2 has key "b"');
    const declared = await readTable(utf8('{"a":1}\n{"b":1}\n'), {
      format: 'jsonl',
      inferRows: 1,
      columns: { b: 'integer' },
    });
    expect(columnValues(declared)).toEqual({ a: [1, null], b: [null, 1] });
  });

  it('unreadable inputs give INVALID_INPUT', async () => {
    expect((await rejection(() => readTable(path.join(dir, 'missing.csv')))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => readTable(utf8('not parquet'), { format: 'parquet' }))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => readTable(utf8('not arrow'), { format: 'arrow' }))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => readTable(42 as never))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => writeTable({ a: [1] }, path.join(dir, 'x.xlsx')))).code).toBe('INVALID_OPTION');
  });

  it('reports progress up to the file size', async () => {
    const file = path.join(dir, 'progress.csv');
    await writeTable({ a: Array.from({ length: 5000 }, (_, i) => i) }, file);
    const seen: [number, number][] = [];
    await readTable(file, { onProgress: (read, total) => seen.push([read, total]) });
    expect(seen.length).toBeGreaterThan(0);
    const [read, total] = seen[seen.length - 1];
    expect(read).toBe(total);
    expect(total).toBe(utf8(`a\n${Array.from({ length: 5000 }, (_, i) => i).join('\n')}\n`).length);
  });
});
