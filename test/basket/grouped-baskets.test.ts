/**
 * The grouped fast path of `baskets(table)` (integer transactions that never decrease; a dictionary-encoded or
 * plain item column) against the general path on the same rows — the transaction column given as Float64, which
 * the fast path does not take, so `readKeys` numbers both columns as before — field for field, on random logs:
 * chunked tables cut anywhere (sliced batches with an offset), dictionaries in any order with unused entries, null
 * items, runs that decrease (then both are the general path).
 */
import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baskets } from '../../src/api/basket';
import type { Baskets } from '../../src/basket/index';

const fields = (b: Baskets) => ({
  count: b.count,
  offsets: Array.from(b.offsets),
  items: Array.from(b.items),
  names: [...b.names],
  rows: b.rows,
});

/** A dictionary-encoded Utf8 vector of `items` over the dictionary `dict` (which holds every item). */
function dictionaryVector(items: (string | null)[], dict: string[]): Vector {
  const n = items.length;
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  const indices = Int32Array.from(items, (x, i) => {
    if (x === null) {
      nullCount++;
      return 0;
    }
    nullBitmap[i >> 3] |= 1 << (i & 7);
    return dict.indexOf(x);
  });
  return makeVector(
    makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      length: n,
      nullCount,
      nullBitmap,
      data: indices,
      dictionary: vectorFromArray(dict, new Utf8()),
    }),
  );
}

/** The rows as a table of two chunks cut at `cut` (the second a slice with an offset into the first's buffers). */
function chunked(transaction: Vector, item: Vector, cut: number): Table {
  const whole = new Table({ transaction, item });
  return new Table([...whole.slice(0, cut).batches, ...whole.slice(cut).batches]);
}

describe('baskets: the grouped fast path', () => {
  it('equals the general path on random logs (sorted or not, dictionary or plain items, nulls, chunks cut anywhere)', () => {
    const names = ['milk', 'bread', 'é', '日本', '10', 'x y'];
    const row = fc.tuple(fc.integer({ min: -3, max: 6 }), fc.option(fc.constantFrom(...names), { freq: 6 }));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom('dictionary', 'shuffled dictionary', 'utf8'),
        fc.nat(),
        (rows, sorted, kind, cutSeed) => {
          if (sorted) rows.sort((a, b) => a[0] - b[0]);
          const tx = rows.map((r) => r[0]);
          const items = rows.map((r) => r[1]);
          const dict =
            kind === 'shuffled dictionary' ? [...names].reverse() : [...new Set(items.filter((x) => x !== null))];
          const item = kind === 'utf8' ? vectorFromArray(items, new Utf8()) : dictionaryVector(items, dict as string[]);
          const cut = cutSeed % (rows.length + 1);
          const fast = chunked(makeVector(Int32Array.from(tx)), item, cut);
          const general = chunked(makeVector(Float64Array.from(tx)), item, cut);
          if (items.every((x) => x === null)) {
            expect(() => baskets(fast)).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
            expect(() => baskets(general)).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
            return;
          }
          expect(fields(baskets(fast))).toEqual(fields(baskets(general)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a basket of null items only is an empty basket; its rows are dropped as nullKey (the general path’s convention)', () => {
    const item = dictionaryVector(['b', null, 'a', 'b', null], ['a', 'b', 'c']);
    const b = baskets(new Table({ transaction: makeVector(Int32Array.from([1, 2, 3, 3, 4])), item }));
    expect(b.count).toBe(4);
    expect(Array.from(b.offsets)).toEqual([0, 1, 1, 3, 3]);
    expect([...b.names]).toEqual(['b', 'a']);
    expect(Array.from(b.items)).toEqual([0, 0, 1]);
    expect(b.rows).toMatchObject({ rows: 5, kept: 3, dropped: { nullKey: 2 }, firstRow: { nullKey: 1 } });
  });
});
