/**
 * Whitespace-aligned text, files without a header, given names and text columns, against an independent reading
 * with split(/\s+/) written here, and the figures Fader & Hardie publish for the CDNOW data ("the master dataset
 * contains the entire purchase history up to the end of June 1998 of the cohort of 23,570 individuals who made their
 * first-ever purchase at CDNOW in the first quarter of 1997" — 69,659 transactions; the 1/10th sample: 2,357
 * customers, 6,919 transactions; Fader & Hardie, "Notes on the CDNOW master data set", 2001).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatches, readTable } from '../../src/io/index';
import { dataset } from '../helpers/datasets';

const encode = (text: string) => new TextEncoder().encode(text);

/** Every non-blank line of the file split on runs of blanks, leading and trailing ones dropped. */
function splitLines(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/[ \t]+/));
}

describe('whitespace-delimited text, header and names', () => {
  it('CDNOW_master.txt (whitespace-aligned, with a header): 69,659 transactions of 23,570 customers (Fader & Hardie), every value equal to a split(/\\s+/) reading; ids keep their leading zeros as text', async () => {
    const file = dataset('CDNOW_master.txt');
    const table = await readTable(file, { delimiter: 'whitespace', columns: { customer_id: 'string' } });
    const lines = splitLines(file);
    expect(lines[0]).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value']);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'customer_id:Utf8',
      'date:Int32',
      'number_of_cds:Int32',
      'dollar_value:Float64',
    ]);
    expect(table.numRows).toBe(69659);
    const ids = table.getChild('customer_id')!.toArray() as string[];
    expect(new Set(ids).size).toBe(23570);
    expect(ids[0]).toBe('00001');
    const dates = table.getChild('date')!.toArray();
    const cds = table.getChild('number_of_cds')!.toArray();
    const dollars = table.getChild('dollar_value')!.toArray();
    const data = lines.slice(1);
    expect(data.length).toBe(69659);
    data.forEach(([id, date, n, value], i) => {
      if (ids[i] !== id || dates[i] !== Number(date) || cds[i] !== Number(n) || dollars[i] !== Number(value))
        expect([ids[i], dates[i], cds[i], dollars[i]]).toEqual([id, Number(date), Number(n), Number(value)]);
    });
    // without the text type, the ids are inferred as integers: the leading zeros go
    const inferred = await readTable(file, { delimiter: 'whitespace' });
    expect(inferred.getChild('customer_id')!.get(0)).toBe(1);
    // names replace the header's names
    const named = await readTable(file, {
      delimiter: 'whitespace',
      names: ['customer', 'date', 'cds', 'amount'],
      columns: { customer: 'string' },
    });
    expect(named.schema.fields.map((f) => f.name)).toEqual(['customer', 'date', 'cds', 'amount']);
    expect(named.numRows).toBe(69659);
  });

  it('CDNOW_sample.txt (no header): 6,919 transactions of 2,357 customers (Fader & Hardie), columns column1…column5 or as named', async () => {
    const file = dataset('CDNOW_sample.txt');
    const plain = await readTable(file, { delimiter: 'whitespace', header: false });
    expect(plain.schema.fields.map((f) => f.name)).toEqual(['column1', 'column2', 'column3', 'column4', 'column5']);
    expect(plain.numRows).toBe(6919);
    const named = await readTable(file, {
      delimiter: 'whitespace',
      header: false,
      names: ['customer', 'master_id', 'date', 'cds', 'amount'],
      columns: { customer: 'string' },
    });
    const lines = splitLines(file);
    expect(named.numRows).toBe(lines.length);
    const ids = named.getChild('customer')!.toArray() as string[];
    expect(ids).toEqual(lines.map((l) => l[0]));
    expect(new Set(ids).size).toBe(2357);
    expect(Array.from(named.getChild('amount')!.toArray() as Float64Array)).toEqual(lines.map((l) => Number(l[4])));
  });

  it('any whitespace-aligned table (runs of spaces and tabs, blanks at both ends, CRLF, blank lines) reads as split, with and without a header, in batches', async () => {
    const cell = fc.oneof(
      fc.integer({ min: -5000, max: 5000 }).map(String),
      fc.constantFrom('00001', 'a', 'x_y', 'é', '2024-01-05'),
    );
    const blank = fc.array(fc.constantFrom(' ', '\t'), { minLength: 1, maxLength: 4 }).map((b) => b.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((k) =>
            fc.array(fc.array(fc.tuple(blank, cell), { minLength: k, maxLength: k }), { minLength: 1, maxLength: 15 }),
          ),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        async (rows, eol, blankLine, batchSize) => {
          const k = rows[0].length;
          const lines = rows.map((r) => `${r.map(([b, c]) => b + c).join('')}  `);
          if (blankLine) lines.splice(1, 0, ' \t ');
          const text = lines.join(eol) + eol;
          const names = Array.from({ length: k }, (_, j) => `c${j}`);
          const columns = Object.fromEntries(names.map((n) => [n, 'string' as const]));
          const options = { delimiter: 'whitespace', header: false, names, columns, batchSize };
          const batches = [];
          for await (const b of readBatches(encode(text), options)) batches.push(b);
          const got = batches.flatMap((b) =>
            Array.from({ length: b.numRows }, (_, i) => names.map((n) => b.getChild(n)!.get(i))),
          );
          expect(got).toEqual(rows.map((r) => r.map(([, c]) => c)));
          // the same text with a header line of names
          const withHeader = `  ${names.join('\t ')}${eol}${text}`;
          const t = await readTable(encode(withHeader), { delimiter: 'whitespace', columns });
          expect(t.schema.fields.map((f) => f.name)).toEqual(names);
          expect(t.numRows).toBe(rows.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a quoted field keeps its blanks; a line with too many or too few fields is INVALID_INPUT naming the line', async () => {
    const t = await readTable(encode('name  amount\n"Ann Lee"   3\n'), { delimiter: 'whitespace' });
    expect(t.getChild('name')!.get(0)).toBe('Ann Lee');
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
      );
    expect(await code(readTable(encode('a b\n1 2 3\n'), { delimiter: 'whitespace' }))).toMatch(
      /^INVALID_INPUT: readTable: line 2 has more fields/,
    );
    expect(await code(readTable(encode('a b\n1\n'), { delimiter: 'whitespace' }))).toMatch(
      /^INVALID_INPUT: readTable: line 2 has 1 field/,
    );
  });

  it('names and header are checked: a wrong count, repeats, a non-boolean header and a bad delimiter are INVALID_OPTION', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      );
    const csv = encode('a,b\n1,2\n');
    expect(await code(readTable(csv, { names: ['x'] }))).toBe('INVALID_OPTION');
    expect(await code(readTable(csv, { names: ['x', 'x'] }))).toBe('INVALID_OPTION');
    expect(await code(readTable(csv, { names: [] }))).toBe('INVALID_OPTION');
    expect(await code(readTable(csv, { header: 'no' as unknown as boolean }))).toBe('INVALID_OPTION');
    expect(await code(readTable(csv, { delimiter: 'spaces' }))).toBe('INVALID_OPTION');
    const noHeader = await readTable(csv, { header: false });
    expect(noHeader.schema.fields.map((f) => f.name)).toEqual(['column1', 'column2']);
    expect(noHeader.getChild('column1')!.get(0)).toBe('a');
    expect(noHeader.numRows).toBe(2);
  });
});
