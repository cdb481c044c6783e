import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatches, readTable } from '../../src/io/index';
import { CsvParser, csvBatches } from '../../src/io/csv-reader';
import { openSource } from '../../src/io/sources';
import type { RecordBatch } from 'apache-arrow';
import { Table } from 'apache-arrow';
import { columnValues, rejection, typesOf, utf8 } from './helpers';

/** A CSV field as a writer that quotes only when needed would write it, or always quoted. */
function field(text: string, quoteAlways: boolean): string {
  const special = /[,"\r\n]/.test(text) || text === '';
  return special || quoteAlways ? `"${text.replace(/"/g, '""')}"` : text;
}

const alphabet = fc.constantFrom('a', 'b', 'Z', '1', '.', ' ', ',', '"', '\n', '\r\n', 'é', '漢', '😀', ';', '\t', '-');
const text = fc.array(alphabet, { maxLength: 8 }).map((parts) => parts.join(''));

const csvCase = fc
  .record({
    ncols: fc.integer({ min: 2, max: 5 }),
    rows: fc.integer({ min: 0, max: 30 }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
    seed: fc.integer(),
  })
  .chain(({ ncols, rows, eol, bom, finalEol }) =>
    fc.record({
      grid: fc.array(fc.array(fc.tuple(text, fc.boolean()), { minLength: ncols, maxLength: ncols }), {
        minLength: rows,
        maxLength: rows,
      }),
      ncols: fc.constant(ncols),
      eol: fc.constant(eol),
      bom: fc.constant(bom),
      finalEol: fc.constant(finalEol),
    }),
  )
  .map(({ grid, ncols, eol, bom, finalEol }) => {
    const header = Array.from({ length: ncols }, (_, j) => `c${j}`);
    const lines = [header.join(','), ...grid.map((row) => row.map(([t, q]) => field(t, q)).join(','))];
    return { csv: `${bom ? '\ufeff' : ''}${lines.join(eol)}${finalEol ? eol : ''}`, header, grid };
  });

/** Our reader with every column as text; nulls (empty unquoted fields) shown as '' as csv-parse shows them. */
async function ours(
  csv: string | Uint8Array,
  header: string[],
  options: { batchSize?: number } = {},
): Promise<string[][]> {
  const table = await readTable(typeof csv === 'string' ? utf8(csv) : csv, {
    format: 'csv',
    delimiter: ',',
    columns: Object.fromEntries(header.map((h) => [h, 'string' as const])),
    ...options,
  });
  const cols = columnValues(table);
  return Array.from({ length: table.numRows }, (_, i) => header.map((h) => (cols[h][i] as string | null) ?? ''));
}

/** Feeds bytes to the parser in chunks cut at the given offsets, as a file read would. */
function parseInChunks(bytes: Uint8Array, cuts: number[], settings: { batchSize: number; inferRows: number }): Table {
  const parser = new CsvParser({ fn: 'test', delimiter: undefined, columns: undefined, ...settings });
  const batches: RecordBatch[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    parser.push(bytes.slice(from, to), false);
    for (let b = parser.next(); b; b = parser.next()) batches.push(b);
    from = to;
  }
  parser.push(new Uint8Array(0), true);
  for (let b = parser.next(); b; b = parser.next()) batches.push(b);
  return new Table(batches);
}

describe('CSV reader', () => {
  it('matches csv-parse (RFC 4180 peer) on fuzzed CSV: quotes, doubled quotes, delimiters and line breaks in fields, CRLF, BOM, unicode', async () => {
    await fc.assert(
      fc.asyncProperty(csvCase, async ({ csv, header }) => {
        const expected = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
        expect(expected[0]).toEqual(header);
        expect(await ours(csv, header)).toEqual(expected.slice(1));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same table whatever the chunk boundaries and batch sizes (streaming = whole)', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvCase,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 40 }),
        async ({ csv, header }, cuts, batchSize, inferRows) => {
          const bytes = utf8(csv);
          const wholeRun = await readTable(bytes, { format: 'csv', delimiter: ',', inferRows }).then(
            (t) => ({ t, error: undefined }),
            (e: Error) => ({ t: undefined, error: e.message.replace(/^readTable/, 'test') }),
          );
          let chunkedRun: { t: Table | undefined; error: string | undefined };
          try {
            chunkedRun = { t: parseInChunks(bytes, cuts, { batchSize, inferRows }), error: undefined };
          } catch (e) {
            chunkedRun = { t: undefined, error: (e as Error).message };
          }
          // a value that does not fit the type inferred from few rows fails the same way in both
          expect(chunkedRun.error).toBe(wholeRun.error);
          if (!wholeRun.t) return;
          const whole = wholeRun.t;
          const chunked = chunkedRun.t!;
          expect(typesOf(chunked)).toEqual(typesOf(whole));
          expect(columnValues(chunked)).toEqual(columnValues(whole));
          expect(Object.keys(typesOf(whole))).toEqual(header);
          for (const b of chunked.batches.slice(0, -1)) expect(b.numRows).toBe(batchSize);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readBatches over many batch sizes equals readTable on a typed file', async () => {
    const lines = ['customer,date,amount,ok,when'];
    for (let i = 0; i < 257; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(
        `C${i % 13},2024-02-${day},${i % 5 === 0 ? '' : (i * 1.25 - 40).toString()},${i % 2 === 0},2024-02-${day} 0${i % 10}:15:00`,
      );
    }
    const bytes = utf8(`${lines.join('\n')}\n`);
    const whole = await readTable(bytes);
    expect(typesOf(whole)).toEqual({
      customer: 'Utf8',
      date: 'Date32<DAY>',
      amount: 'Float64',
      ok: 'Bool',
      when: 'Timestamp<MILLISECOND>',
    });
    for (const batchSize of [1, 2, 3, 16, 100, 256, 257, 258, 100000]) {
      const batches: RecordBatch[] = [];
      for await (const b of readBatches(bytes, { batchSize })) batches.push(b);
      expect(batches.length).toBe(Math.ceil(257 / batchSize));
      expect(columnValues(new Table(batches))).toEqual(columnValues(whole));
    }
  });

  it('infers types from the first inferRows rows, with hand-checked values', async () => {
    const csv =
      'i,big,f,b,d,ts,s,empty\n1,3000000000,1.5,TRUE,2024-02-29,2024-02-29T23:59:59.999Z,007x,\n-2,1,-1e-3,false,1970-01-01,1970-01-01 00:00+01:00,"",\n';
    const t = await readTable(utf8(csv));
    expect(typesOf(t)).toEqual({
      i: 'Int32',
      big: 'Float64',
      f: 'Float64',
      b: 'Bool',
      d: 'Date32<DAY>',
      ts: 'Timestamp<MILLISECOND>',
      s: 'Utf8',
      empty: 'Utf8',
    });
    expect(columnValues(t)).toEqual({
      i: [1, -2],
      big: [3e9, 1],
      f: [1.5, -0.001],
      b: [true, false],
      d: [Date.UTC(2024, 1, 29), 0],
      ts: [Date.UTC(2024, 1, 29, 23, 59, 59, 999), -3_600_000],
      s: ['007x', ''],
      empty: [null, null],
    });
  });

  it('parses numbers exactly as Number() does (correct rounding) on fuzzed decimal text', async () => {
    const numberText = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc
        .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.nat(999999), fc.integer({ min: -30, max: 30 }))
        .map(([a, b, e]) => `${a}.${b}e${e}`),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.nat(40)).map(([m, k]) => `${m}e-${k}`),
      fc.stringMatching(/^-?\d{1,20}(\.\d{0,20})?$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(numberText, { minLength: 1, maxLength: 20 }), async (texts) => {
        const t = await readTable(utf8(`x\n${texts.join('\n')}\n`), { columns: { x: 'number' } });
        expect(columnValues(t).x).toEqual(texts.map(Number));
      }),
      { numRuns: 300 },
    );
  });

  it('reads ISO timestamps as Date.parse does (UTC when no offset)', async () => {
    const offsets: Record<string, number> = { '': 0, Z: 0, '+05:30': 330, '-08:00': -480 };
    const stamp = fc
      .record({
        ms: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        sep: fc.constantFrom('T', ' '),
        zone: fc.constantFrom('', 'Z', '+05:30', '-08:00'),
        frac: fc.boolean(),
      })
      .map(({ ms, sep, zone, frac }) => {
        const iso = new Date(ms).toISOString(); // the wall-clock time written, read in UTC
        const text = `${iso.slice(0, 10)}${sep}${iso.slice(11, frac ? 23 : 19)}${zone}`;
        // Date.parse of the same wall clock with Z, then the offset: local = UTC + offset
        const wall = Date.parse(`${iso.slice(0, 10)}T${iso.slice(11, frac ? 23 : 19)}Z`);
        return { text, expected: wall - offsets[zone] * 60_000 };
      });
    await fc.assert(
      fc.asyncProperty(fc.array(stamp, { minLength: 1, maxLength: 10 }), async (stamps) => {
        const t = await readTable(utf8(`x\n${stamps.map((s) => s.text).join('\n')}\n`));
        expect(typesOf(t).x).toBe('Timestamp<MILLISECOND>');
        expect(columnValues(t).x).toEqual(stamps.map((s) => s.expected));
      }),
      { numRuns: 200 },
    );
  });

  it('applies the columns override and sniffs ; and tab delimiters', async () => {
    const t = await readTable(utf8('zip;amount\n01234;1,5\n00777;2\n'), {
      columns: { zip: 'string', amount: 'string' },
    });
    expect(columnValues(t)).toEqual({ zip: ['01234', '00777'], amount: ['1,5', '2'] });
    const tsv = await readTable(utf8('a\tb\n1\tx y\n'));
    expect(columnValues(tsv)).toEqual({ a: [1], b: ['x y'] });
    const named = await readTable(utf8(',a,a_\n0,1,2\n'));
    expect(Object.keys(typesOf(named))).toEqual(['column_1', 'a', 'a_']);
  });

  it('a header-only file is a zero-row table with the header columns', async () => {
    const t = await readTable(utf8('a,b\n'));
    expect(t.numRows).toBe(0);
    expect(Object.keys(typesOf(t))).toEqual(['a', 'b']);
  });

  it('a file read in many small chunks (reused read buffers, records and quotes across chunk ends) reads as its bytes do', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-csv-'));
    try {
      const lines = ['id,note,amount,day'];
      for (let i = 0; i < 20_000; i++) {
        lines.push(
          `${i},"${i % 7 === 0 ? 'multi\nline, ""quoted""' : `note ${i}`}",${(i % 1000) / 8},2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        );
      }
      const text = `${lines.join('\r\n')}\r\n`;
      const file = path.join(dir, 'big.csv');
      writeFileSync(file, text);
      const fromBytes = await readTable(utf8(text), { batchSize: Infinity });
      for (const chunkBytes of [13, 4096]) {
        // the file source with small read buffers (4 MB in use), three in turn, so each is reused many times
        const source = await openSource(file, 'test', undefined, chunkBytes);
        const batches: RecordBatch[] = [];
        for await (const b of csvBatches(source, {
          fn: 'test',
          delimiter: undefined,
          columns: undefined,
          batchSize: 3000,
          inferRows: 100,
        }))
          batches.push(b);
        const fromFile = new Table(batches);
        expect(fromFile.numRows).toBe(20_000);
        expect(columnValues(fromFile)).toEqual(columnValues(fromBytes));
        expect(columnValues(fromFile).note[7]).toBe('multi\nline, "quoted"');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not mutate the input bytes', async () => {
    const bytes = utf8('a,b\n"x""y",1\n');
    const copy = bytes.slice();
    await readTable(bytes);
    for await (const _ of readBatches(bytes, { batchSize: 1 })) void _;
    expect(bytes).toEqual(copy);
  });
});

describe('CSV reader errors name the line and the column', () => {
  const cases: [string, string, string, string, string | undefined][] = [
    [
      'unterminated quote',
      'a,b\n1,2\n3,"oops\n4,5\n',
      'INVALID_INPUT',
      'line 3, column "b": a quoted field is never closed',
      'b',
    ],
    [
      'text after a closing quote',
      'a,b\n1,"2"x\n',
      'INVALID_INPUT',
      'line 2, column "b": unexpected "x" after the closing quote',
      'b',
    ],
    [
      'too few fields',
      'a,b,c\n1,2,3\n4,5\n',
      'INVALID_INPUT',
      'line 3 has 2 fields but the header has 3 (column "c" is missing)',
      'c',
    ],
    [
      'too many fields (ragged header)',
      'a,b\n1,2\n"x\ny",4,5\n',
      'INVALID_INPUT',
      'line 3 has more fields than the 2 columns of the header',
      'b',
    ],
    ['duplicate header name', 'a,b,a\n1,2,3\n', 'INVALID_INPUT', 'line 1 names column "a" twice', 'a'],
    ['empty file', '', 'EMPTY_INPUT', 'the CSV is empty', undefined],
  ];
  for (const [what, csv, code, message, column] of cases) {
    it(what, async () => {
      const e = await rejection(() => readTable(utf8(csv), { format: 'csv' }));
      expect(e.name).toBe('ClienteleError');
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
      expect(e.column).toBe(column);
    });
  }

  it('a value that does not fit the inferred type after inferRows gives INVALID_VALUE with line, column and fix', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},c${i}`);
    const csv = `amount,customer\n${rows.join('\n')}\nabc,cx\n`;
    const e = await rejection(() => readTable(utf8(csv), { inferRows: 10 }));
    expect(e.code).toBe('INVALID_VALUE');
    expect(e.column).toBe('amount');
    expect(e.row).toBe(20);
    expect(e.message).toContain('line 22, column "amount": "abc" is not a 32-bit integer');
    expect(e.message).toContain("columns: { amount: 'string' }");
    const wider = await rejection(() =>
      readTable(utf8(`amount\n${rows.map((r) => r.split(',')[0]).join('\n')}\n2.5\n`), { inferRows: 10 }),
    );
    expect(wider.message).toContain("columns: { amount: 'number' }");
    // the fix works
    const fixed = await readTable(utf8(csv), { inferRows: 10, columns: { amount: 'string' } });
    expect(columnValues(fixed).amount.at(-1)).toBe('abc');
  });

  it('rejects bad options at once', () => {
    expect(() => readBatches(utf8('a\n1\n'), { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => readBatches(utf8('a\n1\n'), { delimiter: '||' })).toThrow(/delimiter/);
    expect(() => readBatches(utf8('a\n1\n'), { columns: { a: 'float' as never } })).toThrow(/not one of/);
    expect(() => readBatches(utf8('a\n1\n'), { format: 'xls' as never })).toThrow(/format/);
  });

  it('a columns override naming no column is MISSING_COLUMN', async () => {
    const e = await rejection(() => readTable(utf8('a\n1\n'), { columns: { b: 'string' } }));
    expect(e.code).toBe('MISSING_COLUMN');
  });
});
