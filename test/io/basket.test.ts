/**
 * The basket-file reader (`format: 'basket'`), against an independent reading of the same bytes written here with
 * `split` (no clientele code) and against the figures published for the public files:
 * - Groceries (R arules `data(Groceries)`): 9,835 transactions, 169 items; `itemFrequency(Groceries)["whole milk"]`
 *   = 0.2555160 (arules' published summary: "most frequent items: whole milk 2513"), i.e. 2,513 baskets;
 * retail.dat and the chunk seams are in basket.slow.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { baskets } from '../../src/api/basket';
import { readBatches, readTable, tableToBytes, writeTable } from '../../src/io/index';
import type { Table } from 'apache-arrow';
import { dataset } from '../helpers/datasets';
import { itemFrequency, pairs, reference, tableFrequency } from './basket-reference';

const encode = (text: string) => new TextEncoder().encode(text);
const dir = mkdtempSync(path.join(tmpdir(), 'clientele-basket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('basket files (format basket)', () => {
  it("Groceries: 9,835 baskets and 169 items (arules' Groceries), whole milk in 2,513 baskets (arules itemFrequency 0.2555160), every item frequency equal to a split count", async () => {
    const file = dataset('groceries.csv');
    const table = await readTable(file, { format: 'basket' });
    expect(String(table.schema.fields.map((f) => f.type))).toBe('Int32,Dictionary<Int32, Utf8>');
    expect(new Set(table.getChild('transaction')!.toArray()).size).toBe(9835);
    expect(table.schema.metadata.get('clientele.baskets')).toBe('9835');
    expect(table.schema.metadata.get('clientele.items')).toBe('169');
    const freq = tableFrequency(table);
    expect(freq.size).toBe(169);
    expect(freq.get('whole milk')).toBe(2513);
    expect(Math.abs(freq.get('whole milk')! / 9835 - 0.255516)).toBeLessThan(5e-7);
    // independent count: lines split on commas, items kept as written (no trimming, as arules)
    expect(freq).toEqual(itemFrequency(readFileSync(file, 'utf8'), ','));
    // the table goes straight into baskets(), whose count is the support denominator
    expect(baskets(table).count).toBe(9835);
  });

  it('any basket text (delimiters, blanks, CRLF, unicode, repeats, empty lines) reads as the split reference, from bytes and from a file, whole and in batches', async () => {
    const item = fc.constantFrom('a', 'b', 'milk', 'red/blush wine', 'é', '日本', '10', '7', 'x y');
    const line = fc.array(item, { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom(',', ';', '|', 'whitespace'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 7 }),
        async (lines, delimiter, eol, finalBreak, batchSize) => {
          const sep = delimiter === 'whitespace' ? ' \t ' : delimiter;
          const fixed = delimiter === 'whitespace' ? lines.map((l) => l.filter((x) => !x.includes(' '))) : lines;
          const body = fixed.map((l) => (delimiter === 'whitespace' ? `  ${l.join(sep)} ` : l.join(sep)));
          const text = body.join(eol) + (finalBreak || body.length === 0 ? eol : '');
          if (text.replace(/\r?\n/g, '') === '' && text.length === 0) return;
          const expected = reference(text, delimiter);
          const fromBytes = await readTable(encode(text), { format: 'basket', delimiter });
          expect(pairs(fromBytes)).toEqual(expected.pairs);
          expect(Number(fromBytes.schema.metadata.get('clientele.duplicateItems'))).toBe(expected.duplicates);
          const file = path.join(dir, 'b.dat');
          writeFileSync(file, text);
          const batches = [];
          for await (const b of readBatches(file, { delimiter, batchSize })) batches.push(b);
          expect(batches.flatMap((b) => pairs(b as unknown as Table))).toEqual(expected.pairs);
          for (const b of batches.slice(0, -1)) expect(b.numRows).toBe(batchSize);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("an empty line is an empty basket (arules keeps empty transactions): it counts in baskets()' denominator", async () => {
    const table = await readTable(encode('a,b\n\nb\n'), { format: 'basket', delimiter: ',' });
    expect(pairs(table)).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, null],
      [3, 'b'],
    ]);
    expect(table.schema.metadata.get('clientele.emptyBaskets')).toBe('1');
    const b = baskets(table);
    expect(b.count).toBe(3);
    expect(b.rows?.dropped).toEqual({ nullKey: 1 });
  });

  it('a repeated item counts once and is counted in the metadata; empty items are skipped and counted', async () => {
    const table = await readTable(encode('milk,bread,milk\nbread,,eggs,\n'), { format: 'basket', delimiter: ',' });
    expect(pairs(table)).toEqual([
      [1, 'milk'],
      [1, 'bread'],
      [2, 'bread'],
      [2, 'eggs'],
    ]);
    expect(table.schema.metadata.get('clientele.duplicateItems')).toBe('1');
    expect(table.schema.metadata.get('clientele.emptyItems')).toBe('2');
  });

  it('the delimiter defaults to comma for .csv and whitespace otherwise', async () => {
    const csv = path.join(dir, 'lines.csv');
    writeFileSync(csv, 'cream cheese ,milk\n');
    expect(pairs(await readTable(csv, { format: 'basket' }))).toEqual([
      [1, 'cream cheese '],
      [1, 'milk'],
    ]);
    expect(pairs(await readTable(encode('3 1  2\n'), { format: 'basket' }))).toEqual([
      [1, '3'],
      [1, '1'],
      [1, '2'],
    ]);
  });

  it('refuses what it cannot read or write: 0 bytes (EMPTY_INPUT), invalid UTF-8 (INVALID_INPUT), writing a basket file, header/names options (INVALID_OPTION)', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      );
    expect(await code(readTable(new Uint8Array(0), { format: 'basket' }))).toBe('EMPTY_INPUT');
    expect(await code(readTable(new Uint8Array([0x61, 0x0a, 0xff, 0x0a]), { format: 'basket' }))).toBe('INVALID_INPUT');
    expect(await code(tableToBytes({ a: [1] }, 'basket'))).toBe('INVALID_OPTION');
    expect(await code(writeTable({ a: [1] }, path.join(dir, 'x.dat')))).toBe('INVALID_OPTION');
    expect(await code(readTable(encode('a b\n'), { format: 'basket', header: false }))).toBe('INVALID_OPTION');
    expect(await code(readTable(encode('a b\n'), { format: 'basket', names: ['x'] }))).toBe('INVALID_OPTION');
  });
});
