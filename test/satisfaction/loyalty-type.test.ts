import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { droppedRows } from '../../src/index';
import { loyaltyType, loyaltyTypeSummary } from '../../src/satisfaction/index';
import { expectCode } from '../helpers/errors';
import { col, rQuantile7 } from '../helpers/reference';

const meta = (t: { schema: { metadata: Map<string, string> } }, key: string) => JSON.parse(t.schema.metadata.get(key)!);

/** The documented rules, written out on plain values. */
function referenceType(
  a: number,
  r: number,
  t: { a: number; r: number; p?: number; i?: number },
  extra: { p?: number; m?: number; i?: number },
): string {
  if (r >= t.r) {
    if (a >= t.a) return 'super-value loyalty';
    if (extra.m !== undefined && extra.m !== 0) return 'monopoly loyalty';
    if (extra.i !== undefined && extra.i >= t.i!) return 'incentive loyalty';
    return 'inertia loyalty';
  }
  if (a >= t.a) return 'latent loyalty';
  return extra.p !== undefined && extra.p >= t.p! ? 'price loyalty' : 'no loyalty';
}

describe('loyaltyType', () => {
  const grid = {
    customer: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    attitude: [9, 2, 2, 2, 9, 2, 2, 2],
    repeats: [9, 9, 9, 9, 1, 1, 1, 9],
    noAlternative: [0, 1, 0, 0, 0, 0, 0, 1],
    promoShare: [0, 0, 0.8, 0.1, 0, 0, 0, 0.9],
    priceSensitivity: [0, 0, 0, 0, 0, 0.9, 0.1, 0],
  };
  const options = {
    key: 'customer',
    attachment: 'attitude',
    repeatPurchase: 'repeats',
    priceSensitivity: 'priceSensitivity',
    monopoly: 'noAlternative',
    incentive: 'promoShare',
    thresholds: { attachment: 5, repeatPurchase: 5, priceSensitivity: 0.5 },
  };

  it('hits every cell of the attachment × repeat purchase grid, worked by hand', () => {
    const t = loyaltyType(grid, options);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['customer', 'attachment', 'repeatPurchase', 'loyaltyType']);
    expect(col(t, 'loyaltyType')).toEqual([
      'super-value loyalty', // high, high
      'monopoly loyalty', // low attachment, high repeat, no alternative
      'incentive loyalty', // … buys on promotion
      'inertia loyalty', // … neither: habit
      'latent loyalty', // high attachment, low repeat
      'price loyalty', // low, low, price-sensitive
      'no loyalty', // low, low, not price-sensitive
      'monopoly loyalty', // a monopoly flag wins over a high promotion share
    ]);
    expect(col(t, 'customer')).toEqual(grid.customer);
    expect(col(t, 'attachment')).toEqual(grid.attitude);
    expect(meta(t, 'clientele.thresholds')).toEqual({
      attachment: 5,
      repeatPurchase: 5,
      priceSensitivity: 0.5,
      incentive: 0.5,
    });
    expect(meta(t, 'clientele.counts')).toEqual({
      'super-value loyalty': 1,
      'monopoly loyalty': 2,
      'inertia loyalty': 1,
      'incentive loyalty': 1,
      'latent loyalty': 1,
      'price loyalty': 1,
      'no loyalty': 1,
    });
  });

  it('counts a value equal to its threshold as high, on every threshold', () => {
    const t = loyaltyType(
      { a: [5, 4, 4, 5, 4], r: [5, 5, 4, 4, 5], p: [0, 0, 0.5, 0, 0], i: [0, 0.5, 0, 0, 0.49] },
      {
        attachment: 'a',
        repeatPurchase: 'r',
        priceSensitivity: 'p',
        incentive: 'i',
        thresholds: { attachment: 5, repeatPurchase: 5, priceSensitivity: 0.5, incentive: 0.5 },
      },
    );
    expect(col(t, 'loyaltyType')).toEqual([
      'super-value loyalty',
      'incentive loyalty',
      'price loyalty',
      'latent loyalty',
      'inertia loyalty',
    ]);
  });

  it('defaults to inertia loyalty and no loyalty without the extra columns', () => {
    const t = loyaltyType(grid, {
      attachment: 'attitude',
      repeatPurchase: 'repeats',
      thresholds: { attachment: 5, repeatPurchase: 5 },
    });
    expect(col(t, 'loyaltyType')).toEqual([
      'super-value loyalty',
      'inertia loyalty',
      'inertia loyalty',
      'inertia loyalty',
      'latent loyalty',
      'no loyalty',
      'no loyalty',
      'inertia loyalty',
    ]);
    expect(meta(t, 'clientele.thresholds')).toEqual({
      attachment: 5,
      repeatPurchase: 5,
      priceSensitivity: null,
      incentive: null,
    });
  });

  it('reads a boolean monopoly flag', () => {
    const t = loyaltyType(
      [
        { a: 1, r: 9, mono: true },
        { a: 1, r: 9, mono: false },
      ],
      { attachment: 'a', repeatPurchase: 'r', monopoly: 'mono', thresholds: { attachment: 5, repeatPurchase: 5 } },
    );
    expect(col(t, 'loyaltyType')).toEqual(['monopoly loyalty', 'inertia loyalty']);
  });

  it('defaults the thresholds to the medians (R type 7) and follows the documented rules on random data (property)', () => {
    const row = fc.record({
      a: fc.integer({ min: 1, max: 7 }),
      r: fc.integer({ min: 0, max: 12 }),
      p: fc.double({ min: 0, max: 1, noNaN: true }),
      m: fc.constantFrom(0, 1),
      i: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const columns = {
          a: rows.map((x) => x.a),
          r: rows.map((x) => x.r),
          p: rows.map((x) => x.p),
          m: rows.map((x) => x.m),
          i: rows.map((x) => x.i),
        };
        const t = loyaltyType(columns, {
          attachment: 'a',
          repeatPurchase: 'r',
          priceSensitivity: 'p',
          monopoly: 'm',
          incentive: 'i',
        });
        const th = {
          a: rQuantile7(columns.a, 0.5),
          r: rQuantile7(columns.r, 0.5),
          p: rQuantile7(columns.p, 0.5),
          i: 0.5,
        };
        expect(meta(t, 'clientele.thresholds')).toEqual({
          attachment: th.a,
          repeatPurchase: th.r,
          priceSensitivity: th.p,
          incentive: 0.5,
        });
        expect(col(t, 'loyaltyType')).toEqual(rows.map((x) => referenceType(x.a, x.r, th, x)));
        const summary = loyaltyTypeSummary(t);
        expect((col(summary, 'customers') as number[]).reduce((s, c) => s + c, 0)).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it('drops and counts rows with a missing value in any column named, and null keys', () => {
    const t = loyaltyType(
      { id: ['a', null, 'c', 'd', 'e'], a: [1, 2, null, 4, 5], r: [1, 2, 3, 4, 5], p: [0.1, 0.2, 0.3, NaN, 0.5] },
      { key: 'id', attachment: 'a', repeatPurchase: 'r', priceSensitivity: 'p' },
    );
    expect(col(t, 'id')).toEqual(['a', 'e']);
    expect(droppedRows(t)).toEqual({
      rows: 5,
      kept: 2,
      dropped: { nullKey: 1, invalidValue: 2 },
      firstRow: { nullKey: 1, invalidValue: 2 },
      total: 3,
    });
    expect(meta(t, 'clientele.thresholds').attachment).toBe(3); // median of the rows kept: 1 and 5
  });

  it('leaves frozen inputs unchanged', () => {
    const records = Object.freeze([Object.freeze({ a: 1, r: 2 }), Object.freeze({ a: 3, r: 1 })]);
    const opts = Object.freeze({ attachment: 'a', repeatPurchase: 'r', thresholds: Object.freeze({ attachment: 2 }) });
    const snapshot = JSON.stringify([records, opts]);
    const t = loyaltyType(records, opts);
    expect(JSON.stringify([records, opts])).toBe(snapshot);
    expect(col(t, 'loyaltyType')).toEqual(['inertia loyalty', 'latent loyalty']); // repeat median 1.5
  });

  describe('bad input', () => {
    it('a missing column → MISSING_COLUMN naming it and its option', () => {
      expectCode(
        () => loyaltyType({ a: [1], r: [1] }, { attachment: 'attitude', repeatPurchase: 'r' }),
        'MISSING_COLUMN',
        '"attitude"',
        'option attachment',
      );
      expectCode(
        () => loyaltyType({ a: [1], r: [1] }, { attachment: 'a', repeatPurchase: 'r', monopoly: 'mono' }),
        'MISSING_COLUMN',
        '"mono"',
      );
    });
    it('a text column → INVALID_TYPE', () =>
      expectCode(
        () => loyaltyType({ a: ['x'], r: [1] }, { attachment: 'a', repeatPurchase: 'r' }),
        'INVALID_TYPE',
        '"a"',
      ));
    it('a non-numeric threshold → INVALID_OPTION', () =>
      expectCode(
        () =>
          loyaltyType(
            { a: [1], r: [1] },
            { attachment: 'a', repeatPurchase: 'r', thresholds: { repeatPurchase: NaN } },
          ),
        'INVALID_OPTION',
        'thresholds.repeatPurchase',
        'NaN',
      ));
    it('no options → INVALID_OPTION', () =>
      expectCode(() => loyaltyType({ a: [1] }, undefined as never), 'INVALID_OPTION', 'attachment'));
    it('no rows or every row dropped → EMPTY_INPUT', () => {
      expectCode(
        () => loyaltyType({ a: [], r: [] }, { attachment: 'a', repeatPurchase: 'r' }),
        'EMPTY_INPUT',
        'no rows',
      );
      expectCode(
        () => loyaltyType({ a: [null], r: [1] }, { attachment: 'a', repeatPurchase: 'r' }),
        'EMPTY_INPUT',
        'invalidValue',
      );
    });
  });
});

describe('loyaltyTypeSummary', () => {
  it('counts every type in a fixed order, zeros included, with shares', () => {
    const t = loyaltyType(
      { a: [9, 9, 1, 1], r: [9, 9, 9, 1] },
      { attachment: 'a', repeatPurchase: 'r', thresholds: { attachment: 5, repeatPurchase: 5 } },
    );
    const s = loyaltyTypeSummary(t);
    expect(col(s, 'loyaltyType')).toEqual([
      'super-value loyalty',
      'monopoly loyalty',
      'inertia loyalty',
      'incentive loyalty',
      'latent loyalty',
      'price loyalty',
      'no loyalty',
    ]);
    expect(col(s, 'customers')).toEqual([2, 0, 1, 0, 0, 0, 1]);
    expect(col(s, 'share')).toEqual([0.5, 0, 0.25, 0, 0, 0, 0.25]);
  });

  it('rejects a table without loyalty types', () => {
    expectCode(() => loyaltyTypeSummary({ x: [1] }), 'MISSING_COLUMN', '"loyaltyType"');
    expectCode(() => loyaltyTypeSummary({ loyaltyType: ['fan'] }), 'INVALID_VALUE', '"fan"');
  });
});
