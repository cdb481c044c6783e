import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvTableInRanges } from '../../src/io/csv-parallel';
import { readTable } from '../../src/io/index';
import { parseCsvRange } from '../../src/kernels/internal';
import type { CsvRangeInput, CsvSettings } from '../../src/kernels/internal';
import { utf8 } from './helpers';

/**
 * The CSV read in ranges (readTable's `parallel`) against the one-thread reader, its source of truth: the ranges
 * run in-process here (the threads only move the same calls elsewhere; test/io/csv-parallel.slow.test.ts starts
 * them), cut into ranges of a few bytes so that every range boundary falls inside quoted fields, between CR and
 * LF, inside multi-byte characters and inside batches.
 */

const inProcess = async (inputs: readonly CsvRangeInput[]) => inputs.map(parseCsvRange);

function settings(over: Partial<CsvSettings> = {}): CsvSettings {
  return { fn: 'readTable', delimiter: undefined, columns: undefined, batchSize: 65_536, inferRows: 10_000, ...over };
}

/** Tables equal as a one-thread read defines them: schema, batch lengths, null counts and every value. */
function expectSameTable(got: Table | undefined, want: Table): void {
  expect(got).toBeDefined();
  expect(String(got!.schema)).toBe(String(want.schema));
  expect(got!.batches.map((b) => b.numRows)).toEqual(want.batches.map((b) => b.numRows));
  for (const field of want.schema.fields) {
    const a = got!.getChild(field.name)!;
    const b = want.getChild(field.name)!;
    expect(a.nullCount).toBe(b.nullCount);
    for (let i = 0; i < want.numRows; i++) {
      if (!Object.is(a.get(i), b.get(i))) expect([field.name, i, a.get(i)]).toEqual([field.name, i, b.get(i)]);
    }
  }
}

/** A field as a CSV writer would put it: quoted when it holds a quote, the delimiter or a line break. */
function quote(field: string, delimiter: string): string {
  return /["\r\n]/.test(field) || field.includes(delimiter) ? `"${field.replace(/"/g, '""')}"` : field;
}

const fieldText = fc.oneof(
  fc.constantFrom('', '1', '-2', '3.5', 'true', '2024-02-29', '2024-01-05 10:00', 'NaN', '0'),
  fc.string({ unit: fc.constantFrom('a', 'é', '😀', '"', ',', ';', '\t', '\n', '\r\n', ' ', '7'), maxLength: 6 }),
);

describe('readTable in ranges (parallel CSV)', () => {
  it('equals the one-thread read on random CSV (quotes, doubled quotes, delimiters and line breaks in fields, CRLF, empty fields, UTF-8) for random range and batch sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fieldText, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        async (cols, rows, delimiter, eol, rangeBytes, batchSize, header) => {
          const lines = rows.map((r) =>
            r
              .slice(0, cols)
              .map((f) => quote(f, delimiter))
              .join(delimiter),
          );
          // a line of one empty field would be skipped as an empty line in a file of several columns: fine, both skip it
          const text = `${header ? ['a', 'b', 'c', 'd'].slice(0, cols).join(delimiter) + eol : ''}${lines.join(eol)}${eol}`;
          const bytes = utf8(text);
          const s = settings({ delimiter, batchSize, inferRows: 3, header, maxRecordBytes: 1 << 20 });
          let want: Table | undefined;
          try {
            want = await readTable(bytes, { delimiter, batchSize, inferRows: 3, header });
          } catch {
            want = undefined; // an error: the ranges must give up, so that the one-thread read reports it
          }
          const got = await csvTableInRanges(bytes, s, 2, inProcess, rangeBytes);
          if (want === undefined || want.numRows === 0) expect(got).toBeUndefined();
          else expectSameTable(got, want);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('equals the one-thread read where quote parity misleads: a quote inside an unquoted field (not RFC 4180)', async () => {
    const text = 'id,note\n1,5" disk\n2,"a\nb"\n3,x""y\n4,"q"\n5,he said "hi\n6,z\n';
    const bytes = utf8(text);
    const want = await readTable(bytes);
    for (let size = 1; size <= text.length; size++) {
      expectSameTable(await csvTableInRanges(bytes, settings(), 2, inProcess, size), want);
    }
  });

  it('equals the one-thread read for whitespace-delimited text and lone CR line ends', async () => {
    const ws = utf8('  id   name  amount\n 1  "A b"  2.5 \n\n2 c 3\r\n3\t"d\ne"\t4\n');
    const wantWs = await readTable(ws, { delimiter: 'whitespace' });
    const cr = utf8('x,y\r1,a\r2,"b\rc"\r3,d');
    const wantCr = await readTable(cr);
    for (let size = 1; size <= 30; size++) {
      expectSameTable(await csvTableInRanges(ws, settings({ delimiter: 'whitespace' }), 2, inProcess, size), wantWs);
      expectSameTable(await csvTableInRanges(cr, settings(), 2, inProcess, size), wantCr);
    }
  });

  it('gives up (the one-thread read then reports the error) on a value that does not fit its column, however the ranges fall', async () => {
    const bytes = utf8('n,t\n1,a\n2,b\n3,c\nx,d\n5,e\n');
    await expect(readTable(bytes, { inferRows: 2 })).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    for (let size = 1; size <= 12; size++) {
      expect(await csvTableInRanges(bytes, settings({ inferRows: 2 }), 2, inProcess, size)).toBeUndefined();
    }
  });

  it('refuses a parallel option that is not a thread count or auto', async () => {
    await expect(readTable(utf8('a\n1\n'), { parallel: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(readTable(utf8('a\n1\n'), { parallel: 'all' as never })).rejects.toThrow(/parallel must be/);
    // a small file under 'auto' is read on one thread: the same table
    expect((await readTable(utf8('a\n1\n'), { parallel: 'auto' })).numRows).toBe(1);
  });
});
