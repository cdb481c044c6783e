/**
 * preview: the first rows as text and HTML. Sources of truth, all computed here independently of src/table/preview.ts:
 * the JS engine's calendar (`Date.prototype.toISOString`) for dates and timestamps, `BigInt`'s own `toString` for
 * 64-bit integers, a brute-force search of the fewest decimals for floats (`toFixed(d)` read back equals the value
 * to 15 significant digits), and a regex over `<td>` for the HTML. Exact comparisons (tolerance 0) unless stated.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from 'apache-arrow';
import { inspect } from 'node:util';
import { preview } from '../../src/table/preview.js';
import { asTable } from '../../src/table/as-table.js';
import { customerSummary, rfm } from '../../src/api/rfm.js';
import { sampleStore } from '../../src/sample/index.js';
import { associationRules, baskets, frequentItemsets } from '../../src/api/basket.js';
import type { Preview } from '../../src/table/preview.js';

const MS_PER_DAY = 86_400_000;

/** HTML entities back to text (the page's parser would do this). */
function unescapeHtml(s: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&', apos: "'" };
  return s.replace(/&(#\d+|lt|gt|quot|amp|apos);/g, (_m, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : named[e],
  );
}

/** The body cells of a preview's HTML, row by row, read back with a regex and unescaped. */
function htmlCells(p: Preview): string[][] {
  const body = /<tbody>(.*)<\/tbody>/s.exec(p.html)?.[1] ?? '';
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => unescapeHtml(cell[1])),
  );
}

/** The header names of a preview's HTML (the part before the <br> that precedes the type). */
function htmlNames(p: Preview): string[] {
  return [...p.html.matchAll(/<th(?: [^>]*)?>(.*?)<br>/gs)].map((m) => unescapeHtml(m[1]));
}

/** The rows of a one-column preview's text (after names, types and rule; before the footer), trimmed. */
function textCells(p: Preview): string[] {
  const lines = p.text.split('\n');
  return lines.slice(3, lines.length - 1).map((l) => l.trim());
}

/** Both renderings of a one-column table give `expected`. */
function expectCells(vector: A.Vector, expected: string[]): Preview {
  const p = preview(new A.Table({ x: vector }), 100);
  expect(htmlCells(p).map((r) => r[0])).toEqual(expected);
  expect(textCells(p)).toEqual(expected);
  return p;
}

/** The fewest decimals d ≤ max for which v.toFixed(d) reads back as v to 15 significant digits (brute force). */
function fewestDecimals(v: number, max: number): number {
  const target = Number(v.toPrecision(15));
  for (let d = 0; d <= max; d++) if (Number(v.toFixed(d)) === target) return d;
  return max;
}

/** Control characters shown as escapes, as the doc comment of preview states; nothing else changes. */
function visible(s: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return Array.from(s, (c) => {
    const code = c.codePointAt(0)!;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    return !control ? c : (named[c] ?? `\\u${code.toString(16).padStart(4, '0')}`);
  }).join('');
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('preview formats every Arrow type the library produces (expectations computed in the test)', () => {
  it('Int8, Int16 and Int32 as their decimal digits, nulls as null', () => {
    expectCells(A.vectorFromArray([1, -128, 127, null], new A.Int8()), ['1', '-128', '127', 'null']);
    expectCells(A.vectorFromArray([-32768, 32767], new A.Int16()), ['-32768', '32767']);
    const ints = [0, -2147483648, 2147483647, 12345];
    expectCells(A.vectorFromArray(ints, new A.Int32()), ints.map(String));
  });

  it('BigInt64 exactly, beyond 2^53, as BigInt prints it', () => {
    const values = [2n ** 62n + 1n, -(2n ** 63n), 0n, 9007199254740993n];
    const p = expectCells(
      A.vectorFromArray(values, new A.Int64()),
      values.map((v) => v.toString()),
    );
    expect(p.text.split('\n')[1].trim()).toBe('i64');
  });

  it('Float64 with one decimal count per column, the fewest that show every value (brute force), no float noise', () => {
    const values = [9.950000000000001, 20, 1.5, 0.1 + 0.2, -3.25];
    const d = Math.max(...values.map((v) => fewestDecimals(v, 6)));
    expect(d).toBe(2);
    expectCells(
      A.vectorFromArray(values, new A.Float64()),
      values.map((v) => v.toFixed(d)),
    );
  });

  it('Float64 NaN, ±Infinity and null as such; tiny and huge values in exponent form', () => {
    const values = [NaN, Infinity, -Infinity, null, 1.25, 1e-9, 2.5e20];
    expectCells(A.vectorFromArray(values, new A.Float64()), [
      'NaN',
      'Infinity',
      '-Infinity',
      'null',
      '1.25',
      (1e-9).toExponential(),
      (2.5e20).toExponential(),
    ]);
  });

  it('Utf8 as the text, control characters escaped, long text cut with … at maxWidth', () => {
    const long = 'x'.repeat(100);
    const p = preview(new A.Table({ s: A.vectorFromArray(['plain', 'a\nb\tc', long, '', 'é😀'], new A.Utf8()) }), 10, {
      maxWidth: 12,
    });
    expect(htmlCells(p).map((r) => r[0])).toEqual(['plain', 'a\\nb\\tc', `${'x'.repeat(11)}…`, '', 'é😀']);
  });

  it('Dictionary<Utf8> as its labels', () => {
    const labels = ['Champions', 'Lost', 'At Risk'];
    const codes = [2, 0, 0, 1];
    const dict = A.makeVector(
      A.makeData({
        type: new A.Dictionary(new A.Utf8(), new A.Int8()),
        length: 4,
        nullCount: 0,
        data: Int8Array.from(codes),
        dictionary: A.vectorFromArray(labels, new A.Utf8()),
      }),
    );
    const p = expectCells(
      dict,
      codes.map((c) => labels[c]),
    );
    expect(p.text.split('\n')[1].trim()).toBe('dict<str>');
  });

  it('Date32 (days) as YYYY-MM-DD, as Date.prototype.toISOString gives it', () => {
    const days = [0, 10408, -1, 19783, 2932896];
    const vector = A.makeVector(
      A.makeData({ type: new A.DateDay(), length: days.length, nullCount: 0, data: Int32Array.from(days) }),
    );
    expectCells(
      vector,
      days.map((d) => new Date(d * MS_PER_DAY).toISOString().slice(0, 10)),
    );
  });

  it('Timestamp ms: dates alone at midnight, date and time to the millisecond otherwise', () => {
    const midnights = [Date.UTC(2024, 2, 1), Date.UTC(1969, 11, 31)];
    const stamp = (ms: number[]) =>
      A.makeVector(
        A.makeData({
          type: new A.TimestampMillisecond(),
          length: ms.length,
          nullCount: 0,
          data: BigInt64Array.from(ms, BigInt),
        }),
      );
    expectCells(
      stamp(midnights),
      midnights.map((ms) => new Date(ms).toISOString().slice(0, 10)),
    );
    const times = [...midnights, Date.UTC(2024, 2, 1, 13, 4, 5, 678), -1];
    expectCells(
      stamp(times),
      times.map((ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23)),
    );
  });

  it('Timestamp s, us and ns with the fraction of their unit (BigInt arithmetic in the test)', () => {
    const ns = [1709251200000000000n, 1709254923123456789n, -1n];
    for (const [Type, per, digits] of [
      [A.TimestampSecond, 1_000_000_000n, 0],
      [A.TimestampMicrosecond, 1000n, 6],
      [A.TimestampNanosecond, 1n, 9],
    ] as const) {
      const raw = ns.map((v) => (v >= 0n ? v / per : -((-v + per - 1n) / per)));
      const vector = A.makeVector(
        A.makeData({ type: new Type(), length: raw.length, nullCount: 0, data: BigInt64Array.from(raw) }),
      );
      const perSecond = 10n ** BigInt(digits);
      const expected = raw.map((v) => {
        const seconds = v >= 0n ? v / perSecond : -((-v + perSecond - 1n) / perSecond);
        const fraction = v - seconds * perSecond;
        const iso = new Date(Number(seconds) * 1000).toISOString().replace('T', ' ').slice(0, 19);
        return digits === 0 ? iso : `${iso}.${fraction.toString().padStart(digits, '0')}`;
      });
      expectCells(vector, expected);
    }
  });

  it('List<Utf8> as {a, b} (item sets), List<Int32> as [1, 2], an empty list, a null list', () => {
    const items = [['beer', 'diapers'], [], null, ['a']];
    expectCells(A.vectorFromArray(items, new A.List(new A.Field('item', new A.Utf8(), true))), [
      '{beer, diapers}',
      '{}',
      'null',
      '{a}',
    ]);
    const numbers = [[1, 2], [3]];
    expectCells(
      A.vectorFromArray(numbers, new A.List(new A.Field('x', new A.Int32(), true))),
      numbers.map((l) => `[${l.join(', ')}]`),
    );
  });

  it('Bool as true / false / null', () => {
    expectCells(A.vectorFromArray([true, false, null], new A.Bool()), ['true', 'false', 'null']);
  });
});

describe('preview shape: header, types, rule, rows, footer', () => {
  it('numbers right-aligned, text left-aligned, columns two spaces apart', () => {
    const p = preview({ name: ['a', 'bbb'], n: [5, 1234] });
    expect(p.text.split('\n')).toEqual([
      'name     n',
      'str    i32',
      '----  ----',
      'a        5',
      'bbb   1234',
      '2 rows × 2 columns',
    ]);
  });

  it('the footer of a 10,000 × 9 table shown 10 rows: "… 9,990 more rows (10,000 × 9)"', () => {
    const columns: Record<string, Int32Array> = Object.create(null);
    for (let j = 0; j < 9; j++) columns[`c${j}`] = Int32Array.from({ length: 10_000 }, (_, i) => i * j);
    const p = preview(columns);
    const lines = p.text.split('\n');
    expect(lines.at(-1)).toBe('… 9,990 more rows (10,000 × 9)');
    expect(lines).toHaveLength(10 + 4);
    expect(p.shownRows).toBe(10);
    expect([p.numRows, p.numCols]).toEqual([10_000, 9]);
  });

  it('n larger than the table shows every row', () => {
    const p = preview({ a: [1, 2, 3] }, 1000);
    expect(textCells(p)).toEqual(['1', '2', '3']);
    expect(p.text.split('\n').at(-1)).toBe('3 rows × 1 column');
  });

  it('a zero-row table: names, types and rule, no rows', () => {
    const t = new A.Table({
      customer: A.vectorFromArray([], new A.Utf8()),
      amount: A.vectorFromArray([], new A.Float64()),
    });
    const p = preview(t);
    expect(p.text.split('\n')).toEqual([
      'customer  amount',
      'str          f64',
      '--------  ------',
      '0 rows × 2 columns',
    ]);
    expect(htmlCells(p)).toEqual([]);
    expect(htmlNames(p)).toEqual(['customer', 'amount']);
  });

  it('a zero-column table', () => {
    const p = preview(new A.Table());
    expect(p.text).toBe('(no columns)\n0 rows × 0 columns');
    expect(htmlCells(p)).toEqual([]);
  });

  it('n = 0 shows the header and the footer only', () => {
    expect(
      preview({ a: [1, 2] }, 0)
        .text.split('\n')
        .at(-1),
    ).toBe('… 2 more rows (2 × 1)');
  });

  it('invalid n or options → INVALID_OPTION; a non-table → INVALID_INPUT', () => {
    for (const n of [-1, 1.5, NaN, Infinity, '3', null])
      expect(codeOf(() => preview({ a: [1] }, n as number))).toBe('INVALID_OPTION');
    expect(codeOf(() => preview({ a: [1] }, 1, { maxwidth: 10 } as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => preview({ a: [1] }, 1, { maxWidth: 2 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => preview({ a: [1] }, 1, { digits: 16 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => preview({ a: [1] }, 1, { color: 'red' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => preview(42))).toBe('INVALID_INPUT');
  });

  it('console.log, String() and util.inspect print the text; Jupyter.display gives text/html and text/plain', () => {
    const p = preview({ a: [1, 2] });
    expect(inspect(p)).toBe(p.text);
    expect(String(p)).toBe(p.text);
    expect(`${p}`).toBe(p.text);
    const display = (p as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('Jupyter.display')]();
    expect(display).toEqual({ 'text/html': p.html, 'text/plain': p.text });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it("color: 'ansi' dims nulls and types; plain text has no escape at all", () => {
    const plain = preview({ a: [1, null] });
    const ESC = '\u001b';
    expect(plain.text).not.toContain(ESC);
    const ansi = preview({ a: [1, null] }, 10, { color: 'ansi' });
    expect(ansi.text).toContain('\u001b[2mnull\u001b[22m');
    expect(ansi.text.split(`${ESC}[2m`).join('').split(`${ESC}[22m`).join('')).toBe(plain.text);
  });
});

describe('preview of library results agrees with the rows read from the table', () => {
  const store = sampleStore({ customers: 200, seed: 3 });

  it('rfm: every shown cell is the row value (numbers to their column decimals, labels, text)', () => {
    const scored = rfm(store.transactions);
    const p = preview(scored, 15);
    expect(htmlNames(p)).toEqual(scored.schema.fields.map((f) => f.name));
    const cells = htmlCells(p);
    const monetary = Array.from({ length: 15 }, (_, i) => scored.get(i)!.monetary as number);
    const d = Math.max(...monetary.map((v) => fewestDecimals(v, 6)));
    for (let i = 0; i < 15; i++) {
      const row = scored.get(i)!;
      expect(cells[i]).toEqual([
        row.customer,
        String(row.recency),
        String(row.frequency),
        (row.monetary as number).toFixed(d),
        String(row.r),
        String(row.f),
        String(row.m),
        row.score,
        row.segment,
      ]);
    }
  });

  it('customerSummary: first and last (Date32) as ISO dates', () => {
    const summary = customerSummary(store.transactions);
    const cells = htmlCells(preview(summary, 5));
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    for (let i = 0; i < 5; i++) {
      expect(cells[i][1]).toBe(iso(summary.getChild('first')!.get(i) as number));
      expect(cells[i][2]).toBe(iso(summary.getChild('last')!.get(i) as number));
    }
  });

  it('associationRules: antecedent and consequent as {…} item sets', () => {
    const itemsets = frequentItemsets(baskets(store.basketItems, { transaction: 'transaction', item: 'item' }), {
      minSupport: 0.02,
    });
    const rules = associationRules(itemsets, { minConfidence: 0.05 });
    const cells = htmlCells(preview(rules, 5));
    for (let i = 0; i < Math.min(5, rules.numRows); i++) {
      expect(cells[i][0]).toBe(`{${[...rules.getChild('antecedent')!.get(i)!].join(', ')}}`);
      expect(cells[i][1]).toBe(`{${[...rules.getChild('consequent')!.get(i)!].join(', ')}}`);
    }
  });
});

describe('preview properties (fast-check)', () => {
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('<script>alert(1)</script>', '&amp;', '"quoted"', "it's", '</td><td>', '<!--', 'a & b < c > d'),
  );

  it('the HTML cells, read back with a regex over <td> and unescaped, are exactly the cell texts; no raw < > in cells', () => {
    fc.assert(
      fc.property(fc.array(fc.option(hostile, { nil: null }), { maxLength: 12 }), hostile, (values, name) => {
        const columnName = name === '' ? 'x' : name;
        const table = new A.Table({ [columnName]: A.vectorFromArray(values, new A.Utf8()) });
        const p = preview(table, 100, { maxWidth: 10_000 });
        expect(htmlCells(p).map((r) => r[0])).toEqual(values.map((v) => (v === null ? 'null' : visible(v))));
        expect(htmlNames(p)).toEqual([visible(columnName)]);
        const outsideTags = p.html.replace(/<\/?(table|thead|tbody|tr|th|td|br|small|p)( [^>]*)?>/g, '');
        expect(outsideTags).not.toMatch(/[<>]/);
      }),
    );
  });

  it('the text has min(n, rows) + 4 lines (names, types, rule, rows, footer), whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 25 }), fc.nat(30), (values, n) => {
        const p = preview(asTable({ s: values }), n);
        expect(p.text.split('\n')).toHaveLength(Math.min(n, values.length) + 4);
      }),
    );
  });

  it('a float column shows every value within half a unit of its last decimal, all with the same decimal count', () => {
    const value = fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((v) => v === 0 || Math.abs(v) >= 1e-6);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), (values) => {
        const cells = htmlCells(preview(new A.Table({ x: A.vectorFromArray(values, new A.Float64()) }), 100)).map(
          (r) => r[0],
        );
        const decimals = cells.map((c) => (c.includes('.') ? c.length - c.indexOf('.') - 1 : 0));
        expect(new Set(decimals).size).toBe(1);
        expect(decimals[0]).toBe(Math.max(...values.map((v) => fewestDecimals(v, 6))));
        values.forEach((v, i) =>
          expect(Math.abs(Number(cells[i]) - v)).toBeLessThanOrEqual(0.5 * 10 ** -decimals[0] + Math.abs(v) * 1e-15),
        );
      }),
    );
  });
});
