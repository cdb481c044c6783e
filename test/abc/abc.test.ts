import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abc,
  abcSummary,
  customerSummary,
  droppedRows,
  gini,
  paretoCurve,
  sampleStore,
  topShare,
  valueLoyaltyMatrix,
} from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

/** ABC by the definition, on plain arrays: sort, then class by the share of the keys before each. */
function referenceAbc(keys: string[], values: number[], cutoffs: number[]) {
  const totals = new Map<string, number>();
  keys.forEach((k, i) => totals.set(k, (totals.get(k) ?? 0) + values[i]));
  const rows = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const positive = rows.reduce((s, [, v]) => s + Math.max(v, 0), 0);
  let before = 0;
  return rows.map(([key, value], k) => {
    const share = Math.max(value, 0) / positive;
    const cls = value <= 0 ? cutoffs.length : cutoffs.filter((c) => before >= c - 1e-12).length;
    before += share;
    return { key, value, share, cumulativeShare: before, rank: k + 1, class: String.fromCharCode(65 + cls) };
  });
}

describe('abc', () => {
  it('keeps the key that crosses 80 % in class A (issue 2 convention), worked by hand', () => {
    const t = abc(
      { product: ['p', 'q', 'r', 's', 't'], revenue: [50, 40, 5, 3, 2] },
      { key: 'product', value: 'revenue' },
    );
    // before-shares: 0, 0.5, 0.9, 0.95, 0.98 → A, A, B, C, C
    expect(col(t, 'class')).toEqual(['A', 'A', 'B', 'C', 'C']);
    expect(col(t, 'rank')).toEqual([1, 2, 3, 4, 5]);
    expect(col(t, 'cumulativeShare')[4]).toBe(1);
  });

  it('matches the definition on random data, rows of one key summed (property)', () => {
    const arb = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'ü'), fc.integer({ min: -20, max: 200 })),
      { minLength: 1, maxLength: 50 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const keys = rows.map((r) => r[0]);
        const values = rows.map((r) => r[1]);
        if (![...new Set(keys)].some((k) => values.filter((_, i) => keys[i] === k).reduce((s, v) => s + v, 0) > 0)) {
          expect(() => abc({ k: keys, v: values }, { key: 'k', value: 'v' })).toThrow(/positive/);
          return;
        }
        const t = abc({ k: keys, v: values }, { key: 'k', value: 'v' });
        const expected = referenceAbc(keys, values, [0.8, 0.95]);
        expect(col(t, 'key')).toEqual(expected.map((e) => e.key));
        expect(col(t, 'value')).toEqual(expected.map((e) => e.value));
        expect(col(t, 'class')).toEqual(expected.map((e) => e.class));
        const cum = col(t, 'cumulativeShare') as number[];
        expected.forEach((e, k) => expect(cum[k]).toBeCloseTo(e.cumulativeShare, 12));
      }),
      { numRuns: 300 },
    );
  });

  it('breaks value ties by key ascending', () => {
    const t = abc({ key: ['z', 'b', 'm'], v: [10, 10, 10] }, { key: 'key', value: 'v' });
    expect(col(t, 'key')).toEqual(['b', 'm', 'z']);
  });

  it('puts keys with value ≤ 0 last, with share 0, in class C', () => {
    const t = abc({ c: ['a', 'b', 'c'], v: [-5, 100, 0] }, { key: 'c', value: 'v' });
    expect(col(t, 'key')).toEqual(['b', 'c', 'a']);
    expect(col(t, 'share')).toEqual([1, 0, 0]);
    expect(col(t, 'class')).toEqual(['A', 'C', 'C']);
  });

  it('supports other cut-offs and more classes', () => {
    const t = abc({ c: ['a', 'b', 'c', 'd'], v: [40, 30, 20, 10] }, { key: 'c', value: 'v', cutoffs: [0.3, 0.6, 0.9] });
    expect(col(t, 'class')).toEqual(['A', 'B', 'C', 'D']);
  });

  it('drops and counts null keys and values', () => {
    const t = abc({ c: ['a', null, 'b'], v: [1, 2, NaN] }, { key: 'c', value: 'v' });
    expect(droppedRows(t).dropped).toEqual({ nullKey: 1, invalidValue: 1 });
    expect(col(t, 'key')).toEqual(['a']);
  });

  it('summarises the split by class (abcSummary), shares adding up to 1', () => {
    const { transactions } = sampleStore({ customers: 500, seed: 11 });
    const t = abc(customerSummary(transactions), { key: 'customer', value: 'monetary' });
    const s = abcSummary(t);
    expect(col(s, 'class')).toEqual(['A', 'B', 'C']);
    const keys = col(s, 'keys') as number[];
    expect(keys.reduce((a, b) => a + b, 0)).toBe(t.numRows);
    const share = col(s, 'valueShare') as number[];
    expect(share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // A holds at least 80 % and at most 80 % plus its last key
    expect(share[0]).toBeGreaterThanOrEqual(0.8);
  });

  describe('bad input', () => {
    it('cut-offs not ascending → INVALID_OPTION', () =>
      expectCode(() => abc({ customer: ['a'], amount: [1] }, { cutoffs: [0.9, 0.5] }), 'INVALID_OPTION', 'cutoffs'));
    it('cut-off above 1 → INVALID_OPTION', () =>
      expectCode(() => abc({ customer: ['a'], amount: [1] }, { cutoffs: [1.2] }), 'INVALID_OPTION', '[1.2]'));
    it('no positive value → INVALID_VALUE', () =>
      expectCode(() => abc({ customer: ['a'], amount: [0] }), 'INVALID_VALUE', 'positive'));
    it('missing value column → MISSING_COLUMN', () =>
      expectCode(() => abc({ customer: ['a'], revenue: [1] }), 'MISSING_COLUMN', '"amount"'));
    it('empty → EMPTY_INPUT', () => expectCode(() => abc({ customer: [], amount: [] }), 'EMPTY_INPUT'));
  });
});

describe('gini', () => {
  /** The definition: mean absolute difference over twice the mean, as a double sum. */
  const bruteGini = (x: number[]) => {
    const n = x.length;
    const mean = x.reduce((a, b) => a + b, 0) / n;
    let s = 0;
    for (const a of x) for (const b of x) s += Math.abs(a - b);
    return mean === 0 ? 0 : s / (2 * n * n * mean);
  };

  it('equals the double-sum definition (property, 1e-12)', () => {
    // zeros and values from 1e-3 up: subnormal doubles (7e-323) would defeat the brute force, not the formula
    const value = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 80 }), (x) => {
        expect(gini(x)).toBeCloseTo(bruteGini(x), 12);
      }),
    );
  });

  it('is 0 for equal values and (n − 1)/n when one key has everything', () => {
    expect(gini([3, 3, 3])).toBe(0);
    expect(gini([0, 0, 0, 0, 7])).toBeCloseTo(4 / 5, 15);
  });

  it('is scale invariant (metamorphic)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 40 }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (x, k) => {
          expect(gini(x.map((v) => v * k))).toBeCloseTo(gini(x), 10);
        },
      ),
    );
  });

  it('rejects negative and missing values, and empty lists', () => {
    expectCode(() => gini([1, -1]), 'INVALID_VALUE', 'value 1');
    expectCode(() => gini([1, NaN]), 'INVALID_VALUE', 'NaN');
    expectCode(() => gini([]), 'EMPTY_INPUT');
    expectCode(() => gini('abc' as never), 'INVALID_INPUT');
  });
});

describe('paretoCurve and topShare', () => {
  it('runs from (0, 0) to (1, 1), rises and bends down (concave), and agrees with abc cumulative shares', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 60 }), (x) => {
        fc.pre(x.some((v) => v > 0));
        const curve = paretoCurve(x);
        const p = col(curve, 'population') as number[];
        const v = col(curve, 'value') as number[];
        expect([p[0], v[0], p[p.length - 1], v[v.length - 1]]).toEqual([0, 0, 1, 1]);
        for (let k = 1; k < v.length; k++) {
          expect(v[k]).toBeGreaterThanOrEqual(v[k - 1] - 1e-15);
          if (k > 1) expect(v[k] - v[k - 1]).toBeLessThanOrEqual(v[k - 1] - v[k - 2] + 1e-12);
        }
        const classes = abc({ k: x.map((_, i) => i), v: x }, { key: 'k', value: 'v' });
        const cum = col(classes, 'cumulativeShare') as number[];
        cum.forEach((c, k) => expect(v[k + 1]).toBeCloseTo(c, 12));
      }),
    );
  });

  it('samples evenly spaced points with interpolation', () => {
    const curve = paretoCurve([50, 30, 10, 10], { points: 5 });
    expect(col(curve, 'population')).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(col(curve, 'value')).toEqual([0, 0.5, 0.8, 0.9, 1]);
    expect(topShare([50, 30, 10, 10], 0.125)).toBeCloseTo(0.25, 15);
    expect(topShare([50, 30, 10, 10], 0.2)).toBeCloseTo(0.4, 15); // 0.8 of the first customer
  });

  it('rejects bad options', () => {
    expectCode(() => paretoCurve([1, 2], { points: 1 }), 'INVALID_OPTION', 'points');
    expectCode(() => topShare([1, 2], 1.5), 'INVALID_OPTION', 'fraction');
  });
});

describe('valueLoyaltyMatrix', () => {
  it('places customers in the four Reinartz & Kumar quadrants', () => {
    const m = valueLoyaltyMatrix({
      customer: ['a', 'b', 'c', 'd'],
      monetary: [900, 800, 50, 40],
      frequency: [9, 0, 7, 0],
    });
    expect(col(m, 'quadrant')).toEqual(['True Friends', 'Butterflies', 'Barnacles', 'Strangers']);
    expect(JSON.parse(m.schema.metadata.get('clientele.thresholds')!)).toEqual({
      valueCutoff: 0.8,
      valueThreshold: null,
      loyaltyThreshold: 3.5,
    });
  });

  it('takes explicit thresholds', () => {
    const m = valueLoyaltyMatrix(
      { customer: [1, 2, 3], monetary: [10, 20, 30], frequency: [1, 2, 3] },
      { valueThreshold: 15, loyaltyThreshold: 2 },
    );
    expect(col(m, 'highValue')).toEqual([0, 1, 1]);
    expect(col(m, 'highLoyalty')).toEqual([0, 0, 1]);
    expect(col(m, 'quadrant')).toEqual(['Strangers', 'Butterflies', 'True Friends']);
  });

  it('agrees with abc on who is high value (class A), on a sample store', () => {
    const summary = customerSummary(sampleStore({ customers: 300, seed: 5 }).transactions);
    const m = valueLoyaltyMatrix(summary);
    const classes = abc(summary, { key: 'customer', value: 'monetary' });
    const aKeys = new Set((col(classes, 'key') as string[]).filter((_, k) => col(classes, 'class')[k] === 'A'));
    const customers = col(m, 'customer') as string[];
    const high = col(m, 'highValue') as number[];
    customers.forEach((c, i) => expect(high[i]).toBe(aKeys.has(c) ? 1 : 0));
  });

  it('drops rows without a value and counts them', () => {
    const m = valueLoyaltyMatrix({ customer: ['a', 'b', 'c'], monetary: [1, NaN, 3], frequency: [1, 1, 1] });
    expect(droppedRows(m).dropped).toEqual({ invalidValue: 1 });
    expectCode(
      () => valueLoyaltyMatrix({ customer: ['a'], monetary: [1], frequency: [1] }, { loyaltyThreshold: NaN }),
      'INVALID_OPTION',
      'loyaltyThreshold',
    );
  });
});
