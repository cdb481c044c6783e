/**
 * readKeys and takeVector. Source of truth: a brute-force JS `Map` in first-appearance order (`bruteCodes` in
 * ./helpers.ts, SameValueZero so -0 and 0 are one key; null, undefined and NaN → -1) and hand-written codes.
 * Exact comparisons (tolerance 0): codes are integers and keys must come back identical.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { readKeys, takeVector } from '../../src/table/read-keys.js';
import type { KeyColumn } from '../../src/table/read-keys.js';
import { bruteCodes, catchClientele, chunked, dictionaryVector, oneColumn, splitAt } from './helpers.js';

const keysOf = (t: A.Table, name = 'x'): KeyColumn => readKeys(t, name, 'testFn', 'customer');
const all = (v: Vector): unknown[] => Array.from({ length: v.length }, (_, i) => v.get(i));

/**
 * Asserts `result` is exactly the brute-force coding of `raw`, and that every row's key decodes to its value.
 * Keys are compared under SameValueZero (a key read back as -0 equals 0), as the `Map` oracle does.
 */
function expectBrute(result: KeyColumn, raw: readonly unknown[], normalise: (v: unknown) => unknown = (v) => v): void {
  const canon = (v: unknown): unknown => {
    const n = normalise(v);
    return n === 0 ? 0 : n;
  };
  const brute = bruteCodes(raw.map(canon));
  expect(Array.from(result.codes)).toEqual(brute.codes);
  expect(result.size).toBe(brute.keys.length);
  expect(result.keys.length).toBe(brute.keys.length);
  expect(all(result.keys).map(canon)).toEqual(brute.keys);
  expect(result.nullCount).toBe(brute.codes.filter((c) => c < 0).length);
  expect(result.firstNullRow).toBe(brute.codes.indexOf(-1));
  raw.forEach((v, i) => {
    if (brute.codes[i] >= 0) expect(canon(result.keys.get(result.codes[i]))).toBe(canon(v));
  });
}

describe('readKeys on Utf8', () => {
  it('codes unicode keys (Zoë, 東京, emoji, the empty string) in first-appearance order, nulls as -1', () => {
    const raw = ['Zoë', '東京', '🦀', '', 'Zoe', 'Zoë', '', null, '東京', '👩‍👩‍👧'];
    const r = keysOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())));
    expect(Array.from(r.codes)).toEqual([0, 1, 2, 3, 4, 0, 3, -1, 1, 5]);
    expect(all(r.keys)).toEqual(['Zoë', '東京', '🦀', '', 'Zoe', '👩‍👩‍👧']);
    expect(String(r.keys.type)).toBe('Utf8');
    expect(r.size).toBe(6);
    expect(r.nullCount).toBe(1);
    expect(r.firstNullRow).toBe(7);
  });

  it('keeps NFC and NFD spellings of Zoë apart (keys are compared as written, like ===)', () => {
    const r = keysOf(oneColumn(A.vectorFromArray(['Zo\u00eb', 'Zoe\u0308', 'Zo\u00eb'], new A.Utf8())));
    expect(Array.from(r.codes)).toEqual([0, 1, 0]);
  });

  it('codes 150 000 distinct keys over 300 000 rows like a Map (hash table and byte arena growth)', () => {
    const raw = Array.from({ length: 300_000 }, (_, i) =>
      `customer-${(i * 7919) % 150_000}-${'x'.repeat(i % 13)}`.slice(0, 20 + (i % 5)),
    );
    const r = keysOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())));
    const brute = bruteCodes(raw);
    expect(r.size).toBe(brute.keys.length);
    expect(Array.from(r.codes)).toEqual(brute.codes);
    expect(r.keys.get(r.size - 1)).toBe(brute.keys[brute.keys.length - 1]);
  });

  it('codes a sliced Utf8 table (offset 3) by its own rows', () => {
    const raw = ['a', 'b', null, 'c', 'd', null, 'c', 'e', 'a', 'f'];
    const r = keysOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())).slice(3, 9));
    expectBrute(r, raw.slice(3, 9));
    expect(Array.from(r.codes)).toEqual([0, 1, -1, 0, 2, 3]);
    expect(r.firstNullRow).toBe(2);
  });

  it('codes a multi-chunk Utf8 column as one (keys shared across chunks)', () => {
    const r = keysOf(oneColumn(chunked(new A.Utf8(), [['a', 'b'], [null, 'b', 'c'], ['a']])));
    expect(Array.from(r.codes)).toEqual([0, 1, -1, 1, 2, 0]);
    expect(all(r.keys)).toEqual(['a', 'b', 'c']);
    expect(r.firstNullRow).toBe(2);
  });
});

describe('readKeys on dictionary-encoded columns', () => {
  it('leaves out unused dictionary entries and reads null indices as null', () => {
    const v = dictionaryVector(['unused', 'b', 'a', 'also unused'], [[2, 1, null, 2, 1]]);
    const r = keysOf(oneColumn(v));
    expect(Array.from(r.codes)).toEqual([0, 1, -1, 0, 1]);
    expect(all(r.keys)).toEqual(['a', 'b']);
    expect(r.size).toBe(2);
    expect(r.nullCount).toBe(1);
    expect(r.firstNullRow).toBe(2);
  });

  it('merges duplicate dictionary entries into one key', () => {
    const r = keysOf(oneColumn(dictionaryVector(['a', 'b', 'a'], [[0, 2, 1]])));
    expect(Array.from(r.codes)).toEqual([0, 0, 1]);
    expect(all(r.keys)).toEqual(['a', 'b']);
  });

  it('codes chunks that share one dictionary', () => {
    const v = dictionaryVector(
      ['x', 'y', 'z'],
      [
        [1, 1, null],
        [2, 0, 1],
      ],
    );
    expect(new Set(v.data.map((d) => d.dictionary)).size).toBe(1); // precondition: one shared dictionary
    const r = keysOf(oneColumn(v));
    expect(Array.from(r.codes)).toEqual([0, 0, -1, 1, 2, 0]);
    expect(all(r.keys)).toEqual(['y', 'z', 'x']);
  });

  it('codes chunks with different dictionaries by value, not by index', () => {
    const v = dictionaryVector(['p', 'q'], [[0, 1]], true).data.concat(
      dictionaryVector(['q', 'p', 'r'], [[2, 0, null, 1]], true).data,
    );
    const vector = new A.Vector(v);
    expect(new Set(vector.data.map((d) => d.dictionary)).size).toBe(2); // precondition: two dictionaries
    const r = keysOf(oneColumn(vector));
    expect(Array.from(r.codes)).toEqual([0, 1, 2, 1, -1, 0]);
    expect(all(r.keys)).toEqual(['p', 'q', 'r']);
    expect(r.firstNullRow).toBe(4);
  });

  it('codes chunks whose dictionaries are equal in content but distinct objects', () => {
    const v = dictionaryVector(
      ['a', 'b'],
      [
        [0, 1],
        [1, null, 0],
      ],
      false,
    );
    expect(new Set(v.data.map((d) => d.dictionary)).size).toBe(2); // precondition
    const r = keysOf(oneColumn(v));
    expect(Array.from(r.codes)).toEqual([0, 1, 1, -1, 0]);
    expect(all(r.keys)).toEqual(['a', 'b']);
  });

  it('codes a sliced dictionary column (offset 2) by its own rows', () => {
    const v = dictionaryVector(['a', 'b', 'c'], [[0, 1, 2, null, 2, 0, 1, null, 0, 1]]);
    const r = keysOf(oneColumn(v).slice(2, 9));
    expectBrute(r, ['c', null, 'c', 'a', 'b', null, 'a']);
  });

  it('codes a dictionary built by apache-arrow from strings like the strings themselves (fast-check)', () => {
    const key = fc.option(fc.constantFrom('a', 'b', 'Zoë', '東京', '🦀', ''), { nil: null });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), (raw) => {
        const v = A.vectorFromArray(raw, new A.Dictionary(new A.Utf8(), new A.Int32()));
        expectBrute(keysOf(oneColumn(v)), raw);
      }),
    );
  });
});

describe('readKeys on numbers', () => {
  it('codes a small Int32 range (direct table), keys back as Int32', () => {
    const r = keysOf(oneColumn(A.vectorFromArray([5, 3, 5, null, 7, -2], new A.Int32())));
    expect(Array.from(r.codes)).toEqual([0, 1, 0, -1, 2, 3]);
    expect(all(r.keys)).toEqual([5, 3, 7, -2]);
    expect(String(r.keys.type)).toBe('Int32');
    expect(r.firstNullRow).toBe(3);
  });

  it('codes huge sparse ids 1e12 apart (hash path) in Int64 and Float64', () => {
    const ids = [3e12, 1e12, 3e12, -1e12, 2e12, 1e12, 9e15];
    const expected = [0, 1, 0, 2, 3, 1, 4];
    const int64 = keysOf(oneColumn(A.makeVector(BigInt64Array.from(ids, (v) => BigInt(v)))));
    expect(Array.from(int64.codes)).toEqual(expected);
    expect(all(int64.keys)).toEqual([3e12, 1e12, -1e12, 2e12, 9e15]);
    const float64 = keysOf(oneColumn(A.makeVector(Float64Array.from(ids))));
    expect(Array.from(float64.codes)).toEqual(expected);
    expect(all(float64.keys)).toEqual([3e12, 1e12, -1e12, 2e12, 9e15]);
  });

  it('codes 5000 Int32 ids spread over 5e6 (range too wide for the direct table) like a Map', () => {
    const raw = Array.from({ length: 20_000 }, (_, i) => ((i * 7919) % 5000) * 1000 - 2_500_000);
    expectBrute(keysOf(oneColumn(A.makeVector(Int32Array.from(raw)))), raw);
  });

  it('codes integral and non-integral Float64 keys; 0.1 + 0.2 is not 0.3', () => {
    const integral = keysOf(oneColumn(A.makeVector(Float64Array.from([2, 1, 2, 1e6]))));
    expect(Array.from(integral.codes)).toEqual([0, 1, 0, 2]);
    expect(all(integral.keys)).toEqual([2, 1, 1e6]);
    const fractional = keysOf(oneColumn(A.makeVector(Float64Array.from([0.1, 0.2, 0.1, 0.1 + 0.2, 0.3, -2.5]))));
    expect(Array.from(fractional.codes)).toEqual([0, 1, 0, 2, 3, 4]);
    expect(all(fractional.keys)).toEqual([0.1, 0.2, 0.30000000000000004, 0.3, -2.5]);
  });

  it('makes -0 and 0 one key, on both the direct-table and the hash path', () => {
    const direct = keysOf(oneColumn(A.makeVector(Float64Array.from([-0, 0, 3, -0]))));
    expect(Array.from(direct.codes)).toEqual([0, 0, 1, 0]);
    expect(direct.keys.get(0) === 0).toBe(true);
    const hashed = keysOf(oneColumn(A.makeVector(Float64Array.from([0.5, -0, 0, 0.5]))));
    expect(Array.from(hashed.codes)).toEqual([0, 1, 1, 0]);
    expect(Object.is(hashed.keys.get(1), 0)).toBe(true);
  });

  it('reads NaN as null on the hash path (non-integral or wide keys)', () => {
    const fractional = keysOf(oneColumn(A.makeVector(Float64Array.from([NaN, 0.5, 1, 0.5]))));
    expect(Array.from(fractional.codes)).toEqual([-1, 0, 1, 0]);
    expect(fractional.nullCount).toBe(1);
    expect(fractional.firstNullRow).toBe(0);
    const wide = keysOf(oneColumn(A.makeVector(Float64Array.from([1, NaN, 1e12]))));
    expect(Array.from(wide.codes)).toEqual([0, -1, 1]);
    expect(wide.nullCount).toBe(1);
  });

  // Regression test (fixed; found by this suite) (src/table/read-keys.ts, numericKeys, direct-table path): min/max and the integral check skip NaN, so a
  // Float64 column of small integers with a NaN takes the direct path, which never tests for NaN:
  // `(NaN - base) | 0` is slot 0, the slot of the smallest key. [NaN, 1, 2, 1] gives codes [0, 0, 1, 0],
  // keys [NaN, 2], nullCount 0: NaN and 1 become one key whose value is NaN.
  it('reads NaN as null on the direct-table path too ([NaN, 1, 2, 1] → codes [-1, 0, 1, 0])', () => {
    const r = keysOf(oneColumn(A.makeVector(Float64Array.from([NaN, 1, 2, 1]))));
    expect(Array.from(r.codes)).toEqual([-1, 0, 1, 0]);
    expect(all(r.keys)).toEqual([1, 2]);
    expect(r.nullCount).toBe(1);
    expect(r.firstNullRow).toBe(0);
  });

  // Regression test (fixed; found by this suite) (src/table/read-keys.ts, numericKeys, the 2^53 guard): with no non-null value min stays +Infinity and max
  // -Infinity, and the guard `... && min !== -Infinity` (meant to skip this case) tests the wrong bound, so an
  // empty or all-null Int32/Int64/Float64 column (e.g. a zero-row table, or [null, null] as Int32, or [NaN] as
  // Float64) throws INVALID_TYPE "holds integer keys beyond 2^53 (found -Infinity)" instead of giving size 0.
  it('codes an empty Int32 column as zero keys', () => {
    const r = keysOf(oneColumn(A.makeVector(new Int32Array(0))));
    expect(r.size).toBe(0);
    expect(r.codes.length).toBe(0);
  });

  it('codes an all-null Int32 column as nulls ([null, null] → codes [-1, -1], size 0)', () => {
    const r = keysOf(oneColumn(A.vectorFromArray([null, null], new A.Int32())));
    expect(Array.from(r.codes)).toEqual([-1, -1]);
    expect(r.size).toBe(0);
    expect(r.nullCount).toBe(2);
  });

  it('codes an all-NaN Float64 column as nulls ([NaN] → codes [-1])', () => {
    const r = keysOf(oneColumn(A.makeVector(Float64Array.from([NaN]))));
    expect(Array.from(r.codes)).toEqual([-1]);
  });

  it('codes multi-chunk and sliced Int32 columns with nulls by their rows', () => {
    const multi = keysOf(
      oneColumn(
        chunked(new A.Int32(), [
          [4, null],
          [4, 9],
          [null, 1, 9],
        ]),
      ),
    );
    expect(Array.from(multi.codes)).toEqual([0, -1, 0, 1, -1, 2, 1]);
    expect(all(multi.keys)).toEqual([4, 9, 1]);
    const raw = [0, 1, null, 3, 4, null, 3, 7, 8, null, 1, 11];
    const sliced = keysOf(oneColumn(A.vectorFromArray(raw, new A.Int32())).slice(3, 11));
    expectBrute(sliced, raw.slice(3, 11));
  });

  it('refuses 64-bit integer keys beyond 2^53 (INVALID_TYPE naming the column)', () => {
    for (const big of [2n ** 53n + 2n, -(2n ** 60n)]) {
      const e = catchClientele(
        () => keysOf(oneColumn(A.makeVector(BigInt64Array.from([1n, big])), 'order_id'), 'order_id'),
        'INVALID_TYPE',
      );
      expect(e.column).toBe('order_id');
      expect(e.message).toMatch(/^testFn: column "order_id"/);
    }
  });
});

describe('readKeys on other types (generic path)', () => {
  it('codes booleans and an all-null column', () => {
    const b = keysOf(oneColumn(A.vectorFromArray([true, false, null, true], new A.Bool())));
    expect(Array.from(b.codes)).toEqual([0, 1, -1, 0]);
    expect(all(b.keys)).toEqual([true, false]);
    const n = keysOf(oneColumn(A.vectorFromArray([null, null], new A.Null())));
    expect(Array.from(n.codes)).toEqual([-1, -1]);
    expect(n.size).toBe(0);
    expect(n.nullCount).toBe(2);
    expect(n.firstNullRow).toBe(0);
  });

  it('codes timestamps by instant', () => {
    const r = keysOf(oneColumn(A.vectorFromArray([5, 7, 5, null], new A.TimestampMillisecond())));
    expect(Array.from(r.codes)).toEqual([0, 1, 0, -1]);
    expect(all(r.keys)).toEqual([5, 7]);
  });
});

describe('readKeys properties (fast-check, brute force against a Map)', () => {
  const cuts = fc.array(fc.nat(40), { maxLength: 3 });
  /** Arrays with at least one non-null value: empty and all-null numeric columns hit a known bug (see above). */
  const rows = <T>(cell: fc.Arbitrary<T>) =>
    fc.array(fc.option(cell, { nil: null }), { maxLength: 40 }).filter((raw) => raw.some((v) => v !== null));
  const text = fc.oneof(
    fc.constantFrom('a', 'b', 'Zoë', '東京', '🦀', ''),
    fc.string({ unit: 'binary', maxLength: 4 }),
  );

  it('Utf8: dense codes in first-appearance order, keys decode every row, any batch split', () => {
    fc.assert(
      fc.property(fc.array(fc.option(text, { nil: null }), { maxLength: 40 }), cuts, (raw, at) => {
        expectBrute(keysOf(oneColumn(A.vectorFromArray(raw, new A.Utf8()))), raw);
        expectBrute(keysOf(oneColumn(chunked(new A.Utf8(), splitAt(raw, at)))), raw);
      }),
    );
  });

  it('Int32: small ranges (direct table) and the full range (hash), any batch split', () => {
    for (const int of [fc.integer({ min: -20, max: 20 }), fc.integer()]) {
      fc.assert(
        fc.property(rows(int), cuts, (raw, at) => {
          expectBrute(keysOf(oneColumn(A.vectorFromArray(raw, new A.Int32()))), raw);
          expectBrute(keysOf(oneColumn(chunked(new A.Int32(), splitAt(raw, at)))), raw);
        }),
      );
    }
  });

  it('Int64 within ±2^53: codes and keys as numbers', () => {
    const big = fc.oneof(
      fc.bigInt({ min: -50n, max: 50n }),
      fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }),
    );
    fc.assert(
      fc.property(rows(big), (raw) => {
        expectBrute(keysOf(oneColumn(A.vectorFromArray(raw, new A.Int64()))), raw, (v) =>
          v === null ? null : Number(v),
        );
      }),
    );
  });

  it('Float64 (no NaN): -0 and 0 one key, integral and fractional mixes', () => {
    const num = fc.oneof(
      fc.integer({ min: -30, max: 30 }),
      fc.constantFrom(-0, 0.5, 1e15),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(rows(num), cuts, (raw, at) => {
        expectBrute(keysOf(oneColumn(A.vectorFromArray(raw, new A.Float64()))), raw);
        expectBrute(keysOf(oneColumn(chunked(new A.Float64(), splitAt(raw, at)))), raw);
      }),
    );
  });
});

describe('takeVector', () => {
  it('takes Utf8 rows in any order, with repeats', () => {
    const v = A.vectorFromArray(['a', 'bb', '', '東京'], new A.Utf8());
    const out = takeVector(v, Int32Array.from([3, 0, 0, 2, 1]));
    expect(String(out.type)).toBe('Utf8');
    expect(all(out)).toEqual(['東京', 'a', 'a', '', 'bb']);
  });

  it('takes Int32 and Float64 rows keeping the type', () => {
    const ints = takeVector(A.makeVector(Int32Array.from([10, 20, 30])), Int32Array.from([2, 2, 0]));
    expect(String(ints.type)).toBe('Int32');
    expect(all(ints)).toEqual([30, 30, 10]);
    const floats = takeVector(A.makeVector(Float64Array.from([0.5, 1.5])), Int32Array.from([1]));
    expect(String(floats.type)).toBe('Float64');
    expect(all(floats)).toEqual([1.5]);
  });

  it('takes rows of a sliced vector relative to the slice', () => {
    const v = A.makeVector(Int32Array.from([0, 1, 2, 3, 4, 5])).slice(2, 5);
    expect(all(takeVector(v, Int32Array.from([2, 0])))).toEqual([4, 2]);
    const s = A.vectorFromArray(['a', 'b', 'c', 'd'], new A.Utf8()).slice(1, 4);
    expect(all(takeVector(s, Int32Array.from([2, 0])))).toEqual(['d', 'b']);
  });

  it('takes rows with nulls, Int64 and multi-chunk vectors through the general path', () => {
    expect(all(takeVector(A.vectorFromArray(['a', null, 'c'], new A.Utf8()), Int32Array.from([1, 2])))).toEqual([
      null,
      'c',
    ]);
    expect(all(takeVector(A.makeVector(BigInt64Array.from([1n, -(2n ** 40n)])), Int32Array.from([1, 0])))).toEqual([
      -(2n ** 40n),
      1n,
    ]);
    expect(all(takeVector(chunked(new A.Int32(), [[1, 2], [3]]), Int32Array.from([2, 0])))).toEqual([3, 1]);
  });

  it('takes nothing into an empty vector', () => {
    expect(takeVector(A.vectorFromArray(['a'], new A.Utf8()), new Int32Array(0)).length).toBe(0);
  });
});
