import { Bool, DateDay, Float64, Int32, Int64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asTable } from '../../src/table/index';
import { readTable, toDanfo } from '../../src/io/index';
import { columnValues, rejection, utf8 } from './helpers';

/** toDanfo against the real danfojs@1.1.2 (a dev dependency; an optional peer of the package). */
const danfo = await import('danfojs').catch(() => null);

describe.skipIf(!danfo)('toDanfo with danfojs 1.1.2', () => {
  it('asTable(toDanfo(t)) gives back the values of t (property over nullable numbers, text, booleans, timestamps)', () => {
    const row = fc.record({
      n: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), { nil: null }),
      s: fc.option(fc.string(), { nil: null }),
      b: fc.option(fc.boolean(), { nil: null }),
      t: fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        // keep one value per column so that each column has a type
        rows[0] = { n: 1.5, s: 'x', b: true, t: 0 };
        const table = new Table({
          n: vectorFromArray(
            rows.map((r) => r.n),
            new Float64(),
          ),
          s: vectorFromArray(
            rows.map((r) => r.s),
            new Utf8(),
          ),
          b: vectorFromArray(
            rows.map((r) => r.b),
            new Bool(),
          ),
          t: vectorFromArray(
            rows.map((r) => r.t),
            new TimestampMillisecond(),
          ),
        });
        const df = toDanfo(table, danfo!);
        expect(df.columns).toEqual(['n', 's', 'b', 't']);
        expect(df.shape).toEqual([rows.length, 4]);
        expect(columnValues(asTable(df))).toEqual(columnValues(table));
      }),
      { numRuns: 100 },
    );
  });

  it('converts a table read from CSV, with Int32, Int64, dates and dictionary text (hand-checked)', async () => {
    const csv = await readTable(utf8('customer,day,amount\na,2024-01-02,10\nb,,7\n'));
    const table = new Table({
      ...Object.fromEntries(csv.schema.fields.map((f) => [f.name, csv.getChild(f.name)!])),
      big: vectorFromArray([2n ** 40n, null], new Int64()),
      seg: vectorFromArray(['gold', 'gold']),
      day2: vectorFromArray([0, 86_400_000], new DateDay()),
      int: vectorFromArray([3, null], new Int32()),
    });
    const df = toDanfo(table, danfo!);
    expect(df.column('customer').values).toEqual(['a', 'b']);
    expect(df.column('day').values).toEqual([new Date('2024-01-02T00:00:00Z'), null]);
    expect(df.column('amount').values).toEqual([10, 7]);
    expect(df.column('big').values).toEqual([2 ** 40, null]);
    expect(df.column('seg').values).toEqual(['gold', 'gold']);
    expect(df.column('int').values).toEqual([3, null]);
    // dates come back as timestamps at midnight UTC
    const back = asTable(df);
    expect(String(back.getChild('day2')!.type)).toBe('Timestamp<MILLISECOND>');
    expect(columnValues(back).day2).toEqual([0, 86_400_000]);
  });

  it('does not mutate its input and refuses an empty table or a missing danfo module', async () => {
    const records = Object.freeze([Object.freeze({ a: 1 }), Object.freeze({ a: 2 })]);
    expect(toDanfo(records, danfo!).column('a').values).toEqual([1, 2]);
    expect((await rejection(async () => toDanfo({ a: [] }, danfo!))).code).toBe('EMPTY_INPUT');
    expect((await rejection(async () => toDanfo({ a: [1] }, {} as never))).code).toBe('INVALID_INPUT');
  });
});
