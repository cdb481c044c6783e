/**
 * readBaskets (file → Baskets, no table in between) against two references:
 * - the existing path, `baskets(await readTable(bytes, { format: 'basket' }))`, field for field (count, offsets,
 *   items, names, rows: all a miner reads), and once through `frequentItemsets` (the large files are compared in
 *   benchmarks/basket-read.bench.ts);
 * - an independent reading of the text with `split` and a `Map` written here (no clientele code): names in order of
 *   first appearance, each basket its distinct codes ascending;
 * and the published Groceries figures (R arules `data(Groceries)`: 9,835 transactions, 169 items, whole milk in
 * 2,513 baskets).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Baskets } from '../../src/basket/index';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { readBaskets, readTable } from '../../src/io/index';
import { dataset } from '../helpers/datasets';
import { reference } from './basket-reference';

const encode = (text: string) => new TextEncoder().encode(text);
const dir = mkdtempSync(path.join(tmpdir(), 'clientele-read-baskets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fields of baskets that miners and users read, as plain data. */
const fields = (b: Baskets) => ({
  count: b.count,
  offsets: Array.from(b.offsets),
  items: Array.from(b.items),
  names: [...b.names],
  rows: b.rows,
});

/** The split reading as baskets: names by first appearance, each basket's distinct codes ascending. */
function splitBaskets(text: string, delimiter: string): { count: number; names: string[]; lists: number[][] } {
  const { pairs } = reference(text, delimiter);
  const codes = new Map<string, number>();
  const lists: number[][] = [];
  for (const [line, item] of pairs) {
    while (lists.length < line) lists.push([]);
    if (item === null) continue;
    if (!codes.has(item)) codes.set(item, codes.size);
    lists[line - 1].push(codes.get(item)!);
  }
  return { count: lists.length, names: [...codes.keys()], lists: lists.map((l) => [...l].sort((a, b) => a - b)) };
}

const listsOf = (b: Baskets) =>
  Array.from({ length: b.count }, (_, s) => Array.from(b.items.subarray(b.offsets[s], b.offsets[s + 1])));

describe('readBaskets', () => {
  it('any basket text (delimiters, blanks, CRLF, blank lines, trailing delimiters, repeats, UTF-8) gives the baskets of readTable + baskets and of a split reading', async () => {
    const item = fc.constantFrom('a', 'b', 'milk', 'red/blush wine', 'é', '日本', '10', '7', '007', 'x y');
    const line = fc.array(item, { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';', 'whitespace'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        async (lines, delimiter, eol, finalBreak, trailing) => {
          const sep = delimiter === 'whitespace' ? ' \t ' : delimiter;
          const fixed = delimiter === 'whitespace' ? lines.map((l) => l.filter((x) => !x.includes(' '))) : lines;
          const body = fixed.map((l) => `${l.join(sep)}${trailing && l.length > 0 ? sep : ''}`);
          const text = body.join(eol) + (finalBreak ? eol : '');
          const expected = splitBaskets(text, delimiter);
          if (expected.names.length === 0) {
            await expect(readBaskets(encode(text), { delimiter })).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
            return;
          }
          const read = await readBaskets(encode(text), { delimiter });
          const table = await readTable(encode(text), { format: 'basket', delimiter, batchSize: 5 });
          expect(fields(read)).toEqual(fields(baskets(table)));
          expect(read.count).toBe(expected.count);
          expect([...read.names]).toEqual(expected.names);
          expect(listsOf(read)).toEqual(expected.lists);
          expect(read.file.duplicateItems).toBe(reference(text, delimiter).duplicates);
          expect(read.file.emptyBaskets).toBe(expected.lists.filter((l) => l.length === 0).length);
          expect(read.file.lines).toBe(expected.count);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("Groceries: 9,835 baskets, 169 items, whole milk in 2,513 (arules' Groceries summary: itemFrequency 0.2555160)", async () => {
    const read = await readBaskets(dataset('groceries.csv'));
    expect(read.count).toBe(9835);
    expect(read.names.length).toBe(169);
    const milk = read.names.indexOf('whole milk');
    let withMilk = 0;
    for (let t = 0; t < read.items.length; t++) if (read.items[t] === milk) withMilk++;
    expect(withMilk).toBe(2513);
  });

  it('frequentItemsets of readBaskets is the table of readTable + baskets, row for row', async () => {
    const text = 'milk bread butter\nbread butter\n\nmilk bread\nbread butter jam\nmilk\n';
    const ours = frequentItemsets(await readBaskets(encode(text)), { minSupport: 0.3 });
    const theirs = frequentItemsets(baskets(await readTable(encode(text), { format: 'basket' })), { minSupport: 0.3 });
    expect(ours.numRows).toBe(5);
    expect(ours.toArray().map((r) => JSON.stringify(r))).toEqual(theirs.toArray().map((r) => JSON.stringify(r)));
  });

  it('counts what it skips: an empty line is an empty basket (nullKey row), repeats and empty fields are counted; the delimiter follows the path', async () => {
    const text = 'milk,bread,milk\r\n\r\nbread,,eggs,\r\n';
    const b = await readBaskets(encode(text), { delimiter: ',' });
    expect(listsOf(b).map((l) => l.map((c) => b.names[c]))).toEqual([['milk', 'bread'], [], ['bread', 'eggs']]);
    expect(b.file).toEqual({ bytes: text.length, lines: 3, emptyBaskets: 1, duplicateItems: 1, emptyItems: 2 });
    expect(b.rows).toMatchObject({ rows: 5, kept: 4, dropped: { nullKey: 1 }, firstRow: { nullKey: 2 } });
    const csv = path.join(dir, 'lines.csv');
    writeFileSync(csv, 'cream cheese ,milk\n');
    expect((await readBaskets(csv)).names).toEqual(['cream cheese ', 'milk']);
    const dat = path.join(dir, 'lines.dat');
    writeFileSync(dat, '3 1  2\n');
    expect((await readBaskets(dat)).names).toEqual(['3', '1', '2']);
  });

  it('refuses what it cannot read: 0 bytes and no item (EMPTY_INPUT), invalid UTF-8 and a missing file (INVALID_INPUT), bad or unknown options (INVALID_OPTION), a line past maxRecordBytes (LIMIT_EXCEEDED)', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      );
    expect(await code(readBaskets(new Uint8Array(0)))).toBe('EMPTY_INPUT');
    expect(await code(readBaskets(encode('\n\r\n\n')))).toBe('EMPTY_INPUT');
    expect(await code(readBaskets(new Uint8Array([0x61, 0x0a, 0xff, 0x0a])))).toBe('INVALID_INPUT');
    expect(await code(readBaskets(path.join(dir, 'missing.dat')))).toBe('INVALID_INPUT');
    expect(await code(readBaskets(encode('a\n'), { delimiter: '"' }))).toBe('INVALID_OPTION');
    expect(await code(readBaskets(encode('a\n'), { format: 'basket' } as never))).toBe('INVALID_OPTION');
    expect(await code(readBaskets(encode('a b c'), { maxRecordBytes: 2 }))).toBe('LIMIT_EXCEEDED');
  });
});
