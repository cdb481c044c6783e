/**
 * readNumeric. Source of truth: the values written into each Arrow buffer by hand, converted to doubles by the JS
 * engine (`Number`, `Math.fround`, BigInt arithmetic). Every comparison is exact (tolerance 0): converting an
 * integer below 2^53 or a float32 to a double is exact, and so is Decimal128 at the magnitudes used.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from 'apache-arrow';
import { readNumeric } from '../../src/table/read-numeric.js';
import { catchClientele, chunked, oneColumn, splitAt } from './helpers.js';

const read = (t: A.Table, name = 'x') => readNumeric(t, name, 'testFn', 'amount');

describe('readNumeric zero-copy fast path', () => {
  it('reads a single-chunk null-free Float64 column over the same buffer', () => {
    const x = new Float64Array([1.5, -2, 0, 1e300]);
    const { values, nullCount } = read(oneColumn(A.makeVector(x)));
    expect(values.buffer).toBe(x.buffer);
    expect(Array.from(values)).toEqual([1.5, -2, 0, 1e300]);
    expect(nullCount).toBe(0);
  });

  it('reads a sliced Float64 table (offset 3) as a view of the original buffer', () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i * 1.5);
    const sliced = oneColumn(A.makeVector(x)).slice(3, 8);
    const { values } = read(sliced);
    expect(Array.from(values)).toEqual([4.5, 6, 7.5, 9, 10.5]);
    expect(values.buffer).toBe(x.buffer);
    expect(values.byteOffset).toBe(3 * 8);
  });
});

describe('readNumeric converts every numeric width to doubles', () => {
  const ints = [0, 1, -1, 127, -128];
  for (const [label, arr] of [
    ['Int8', Int8Array.from(ints)],
    ['Int16', Int16Array.from([...ints, 32767, -32768])],
    ['Int32', Int32Array.from([...ints, 2147483647, -2147483648])],
    ['Uint8', Uint8Array.from([0, 1, 255])],
    ['Uint16', Uint16Array.from([0, 1, 65535])],
    ['Uint32', Uint32Array.from([0, 1, 4294967295])],
  ] as const) {
    it(`reads ${label} exactly`, () => {
      const { values, nullCount } = read(oneColumn(A.makeVector(arr as Int32Array)));
      expect(Array.from(values)).toEqual(Array.from(arr as ArrayLike<number>));
      expect(nullCount).toBe(0);
    });
  }

  it('reads Float32 as the double of each float32 (Math.fround)', () => {
    const { values } = read(oneColumn(A.makeVector(Float32Array.from([0.1, -3.25, 1e30]))));
    expect(Array.from(values)).toEqual([Math.fround(0.1), -3.25, Math.fround(1e30)]);
  });

  it('reads Float16 through Arrow (values exact in half precision)', () => {
    const { values } = read(oneColumn(A.vectorFromArray([0.5, -1.5, 2048], new A.Float16())));
    expect(Array.from(values)).toEqual([0.5, -1.5, 2048]);
  });

  it('reads Int64 exactly below 2^53, negatives and values near ±2^40 included', () => {
    const big = [
      0n,
      -1n,
      1n,
      2n ** 40n,
      -(2n ** 40n),
      2n ** 40n + 1n,
      -(2n ** 40n) - 3n,
      2n ** 32n - 1n,
      -(2n ** 32n),
      2n ** 53n - 1n,
      -(2n ** 53n) + 1n,
    ];
    const { values } = read(oneColumn(A.makeVector(BigInt64Array.from(big))));
    expect(Array.from(values)).toEqual(big.map(Number));
  });

  it('reads Uint64 above 2^63 as the nearest double', () => {
    const big = [0n, 2n ** 63n, 2n ** 64n - 1n, 12345678901234n];
    const { values } = read(oneColumn(A.makeVector(BigUint64Array.from(big))));
    expect(Array.from(values)).toEqual(big.map(Number));
  });

  it('reads Int64 property: every int64 in ±2^53 round-trips (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }), { maxLength: 50 }), (big) => {
        const { values } = read(oneColumn(A.makeVector(BigInt64Array.from(big))));
        expect(Array.from(values)).toEqual(big.map(Number));
      }),
    );
  });

  it('reads Decimal128 with its scale, negatives in two\u2019s complement', () => {
    // 123.45, -1.00, 0.07 and 2^64 / 100 at scale 2, written as little-endian 32-bit words by hand
    const words = new Uint32Array([
      12345,
      0,
      0,
      0,
      0xffffff9c,
      0xffffffff,
      0xffffffff,
      0xffffffff, // -100
      7,
      0,
      0,
      0,
      0,
      0,
      1,
      0, // 2^64
    ]);
    const v = A.makeVector(A.makeData({ type: new A.Decimal(2, 38, 128), length: 4, nullCount: 0, data: words }));
    const { values, nullCount } = read(oneColumn(v));
    expect(Array.from(values)).toEqual([123.45, -1, 0.07, 2 ** 64 / 100]);
    expect(nullCount).toBe(0);
  });
});

describe('readNumeric nulls, chunks and slices', () => {
  it('reads nulls as NaN and counts them (Int32, Float64, Int64)', () => {
    for (const type of [new A.Int32(), new A.Float64()]) {
      const { values, nullCount } = read(oneColumn(A.vectorFromArray([1, null, 3, null], type)));
      expect(Array.from(values)).toEqual([1, NaN, 3, NaN]);
      expect(nullCount).toBe(2);
    }
    const { values, nullCount } = read(oneColumn(A.vectorFromArray([-(2n ** 40n), null], new A.Int64())));
    expect(Array.from(values)).toEqual([-(2 ** 40), NaN]);
    expect(nullCount).toBe(1);
  });

  it('does not count a NaN value as null', () => {
    const { values, nullCount } = read(oneColumn(A.makeVector(new Float64Array([NaN, 1]))));
    expect(Array.from(values)).toEqual([NaN, 1]);
    expect(nullCount).toBe(0);
  });

  it('reads a Null-typed column as all NaN, all counted', () => {
    const { values, nullCount } = read(oneColumn(A.vectorFromArray([null, null, null], new A.Null())));
    expect(Array.from(values)).toEqual([NaN, NaN, NaN]);
    expect(nullCount).toBe(3);
  });

  it('concatenates the chunks of a two-batch table (new Table([batch1, batch2]))', () => {
    const b1 = new A.RecordBatch({ x: A.makeVector(new Float64Array([1, 2])).data[0] });
    const b2 = new A.RecordBatch({ x: A.makeVector(new Float64Array([3, 4, 5])).data[0] });
    const t = new A.Table([b1, b2]);
    expect(t.getChild('x')!.data).toHaveLength(2); // precondition
    const { values, nullCount } = read(t);
    expect(Array.from(values)).toEqual([1, 2, 3, 4, 5]);
    expect(nullCount).toBe(0);
  });

  it('places nulls of later chunks at their table rows', () => {
    const t = oneColumn(
      chunked(new A.Int32(), [
        [1, 2, 3],
        [null, 5],
        [6, null],
      ]),
    );
    expect(t.getChild('x')!.data).toHaveLength(3); // precondition
    const { values, nullCount } = read(t);
    expect(Array.from(values)).toEqual([1, 2, 3, NaN, 5, 6, NaN]);
    expect(nullCount).toBe(2);
  });

  it('reads sliced nullable columns at the right rows (offset not a multiple of 8)', () => {
    const raw = [0, 1, 2, 3, null, 5, 6, 7, 8, null, 10, 11];
    for (const type of [new A.Int32(), new A.Float64(), new A.Int64()]) {
      const input = type instanceof A.Int64 ? raw.map((v) => (v === null ? null : BigInt(v))) : raw;
      const t = oneColumn(A.vectorFromArray(input as never[], type)).slice(3, 11);
      const { values, nullCount } = read(t);
      expect(Array.from(values)).toEqual([3, NaN, 5, 6, 7, 8, NaN, 10]);
      expect(nullCount).toBe(2);
    }
  });

  it('reads a sliced Decimal column', () => {
    const words = new Uint32Array([100, 0, 0, 0, 250, 0, 0, 0, 0xfffffffb, 0xffffffff, 0xffffffff, 0xffffffff]);
    const v = A.makeVector(A.makeData({ type: new A.Decimal(1, 10, 128), length: 3, nullCount: 0, data: words }));
    const { values } = read(oneColumn(v).slice(1, 3));
    expect(Array.from(values)).toEqual([25, -0.5]);
  });

  it('gives the same values however the column is split into batches (metamorphic, fast-check)', () => {
    const cell = fc.option(fc.double({ noNaN: true }), { nil: null });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 4 }), (raw, cuts) => {
        const expected = raw.map((v) => (v === null ? NaN : v));
        const whole = read(oneColumn(A.vectorFromArray(raw, new A.Float64())));
        const split = read(oneColumn(chunked(new A.Float64(), splitAt(raw, cuts))));
        expect(Array.from(whole.values)).toEqual(expected);
        expect(Array.from(split.values)).toEqual(expected);
        expect(split.nullCount).toBe(raw.filter((v) => v === null).length);
        expect(whole.nullCount).toBe(split.nullCount);
      }),
    );
  });
});

describe('readNumeric errors', () => {
  it('refuses a Utf8 column, naming the column and its first non-null row (INVALID_TYPE)', () => {
    const e = catchClientele(
      () => read(oneColumn(A.vectorFromArray([null, null, 'abc'], new A.Utf8()), 'amount'), 'amount'),
      'INVALID_TYPE',
    );
    expect(e.column).toBe('amount');
    expect(e.row).toBe(2);
    expect(e.message).toMatch(/^testFn: column "amount" must hold numbers/);
    expect(e.message).toContain('"abc"');
    expect(e.message).toContain('row 2');
  });

  it('refuses a Bool column (INVALID_TYPE)', () => {
    const e = catchClientele(() => read(oneColumn(A.vectorFromArray([true, false], new A.Bool()))), 'INVALID_TYPE');
    expect(e.row).toBe(0);
  });

  it('refuses a missing column, listing the columns the table has (MISSING_COLUMN)', () => {
    const t = new A.Table({ customer: A.vectorFromArray(['a']), spend: A.makeVector(new Float64Array([1])) });
    const e = catchClientele(() => read(t, 'amount'), 'MISSING_COLUMN');
    expect(e.column).toBe('amount');
    expect(e.message).toContain('customer, spend');
    expect(e.message).toContain('option amount');
  });
});
