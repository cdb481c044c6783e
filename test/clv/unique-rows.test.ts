import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniqueRows } from '../../src/clv/unique-rows';
import { expectCode } from '../helpers/errors';

/**
 * The obvious implementation: a Map keyed by the JSON of each tuple's numbers as strings (String(−0) is '0', and
 * String keeps NaN and ±Infinity apart, which plain JSON, writing all three as null, would not).
 */
function bruteForce(columns: number[][], weights?: number[]) {
  const n = columns[0].length;
  const ids = new Map<string, number>();
  const tuples: number[][] = [];
  const sums: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < n; i++) {
    const tuple = columns.map((c) => c[i]);
    const key = JSON.stringify(tuple.map(String));
    let id = ids.get(key);
    if (id === undefined) {
      id = tuples.length;
      ids.set(key, id);
      tuples.push(tuple);
      sums.push(0);
    }
    sums[id] += weights ? weights[i] : 1;
    index.push(id);
  }
  return { columns: columns.map((_, j) => tuples.map((t) => (t[j] === 0 ? 0 : t[j]))), weights: sums, index };
}

// few distinct values, so that rows repeat; −0, NaN and infinities included
const value = fc.constantFrom(0, -0, 1, 2, 2.5, -3, 1e300, NaN, Infinity, -Infinity, 0.1 + 0.2, 0.3);

describe('uniqueRows', () => {
  it('equals a brute-force Map over JSON keys: tuples in first-appearance order, summed weights, row index (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((d) =>
            fc
              .integer({ min: 0, max: 200 })
              .chain((n) =>
                fc.tuple(
                  fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: d, maxLength: d }),
                  fc.option(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: n, maxLength: n })),
                ),
              ),
          ),
        ([columns, weights]) => {
          const got = uniqueRows(
            columns.map((c) => Float64Array.from(c)),
            weights === null ? undefined : Float64Array.from(weights),
          );
          const want = bruteForce(columns, weights ?? undefined);
          expect(got.columns.map((c) => Array.from(c))).toEqual(want.columns);
          expect(Array.from(got.weights)).toEqual(want.weights); // summed in the same row order: exactly equal
          expect(Array.from(got.index)).toEqual(want.index);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('treats −0 as 0 and all NaNs as one value, returning 0 for −0', () => {
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0]; // a signalling NaN payload
    expect(Number.isNaN(otherNaN)).toBe(true);
    const u = uniqueRows([Float64Array.of(-0, 0, NaN, otherNaN)]);
    expect(Array.from(u.weights)).toEqual([2, 2]);
    expect(Object.is(u.columns[0][0], 0)).toBe(true);
    expect(Array.from(u.index)).toEqual([0, 0, 1, 1]);
  });

  it('keeps every row of a million-row column of distinct values, and collapses them when they repeat', () => {
    const n = 1_000_000;
    const distinct = Float64Array.from({ length: n }, (_, i) => i * 0.5);
    expect(uniqueRows([distinct]).weights.length).toBe(n);
    const repeated = Float64Array.from({ length: n }, (_, i) => i % 1000);
    const u = uniqueRows([repeated, repeated]);
    expect(u.weights.length).toBe(1000);
    expect(u.weights.every((w) => w === 1000)).toBe(true);
  });

  it('leaves its inputs unchanged', () => {
    const x = Float64Array.of(1, -0, 1);
    const w = Float64Array.of(1, 2, 3);
    uniqueRows([x], w);
    expect(Array.from(x)).toEqual([1, -0, 1]);
    expect(Object.is(x[1], -0)).toBe(true);
    expect(Array.from(w)).toEqual([1, 2, 3]);
  });

  it('rejects no columns, columns of unequal length and weights of the wrong length (INVALID_INPUT)', () => {
    expectCode(() => uniqueRows([]), 'INVALID_INPUT', 'uniqueRows: columns must be');
    expectCode(() => uniqueRows([new Float64Array(2), new Float64Array(3)]), 'INVALID_INPUT', 'column 1 has 3 values');
    expectCode(() => uniqueRows([new Float64Array(2)], new Float64Array(1)), 'INVALID_INPUT', 'weights must be');
  });
});
