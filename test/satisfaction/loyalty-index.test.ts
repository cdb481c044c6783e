import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { droppedRows } from '../../src/index';
import { loyaltyIndex } from '../../src/satisfaction/index';
import type { LoyaltyHierarchy, LoyaltyIndexReport } from '../../src/satisfaction/index';
import { catchClientele, expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

/** Column values with nulls as null (toArray() gives the data buffer, NaN under a null). */
const values = (t: { getChild(name: string): Iterable<unknown> | null }, name: string): unknown[] => [
  ...t.getChild(name)!,
];

const report = (t: { schema: { metadata: Map<string, string> } }): LoyaltyIndexReport =>
  JSON.parse(t.schema.metadata.get('clientele.loyaltyIndex')!);

/** Three customers, the textbook's three groups. */
const customers = {
  id: ['a', 'b', 'c'],
  tenure: [2, 6, 10],
  frequency: [1, 3, 5],
  shareOfWallet: [0.5, 0.2, 0.8],
  priceSensitivity: [0.8, 0.4, 0.2],
};

const hierarchy: LoyaltyHierarchy = {
  groups: {
    duration: {
      weight: 2,
      indicators: [
        { column: 'tenure', weight: 3 },
        { column: 'frequency', weight: 1 },
      ],
    },
    spend: { weight: 1, indicators: [{ column: 'shareOfWallet' }] },
    emotional: { weight: 1, indicators: [{ column: 'priceSensitivity', direction: 'lower', range: [0, 1] }] },
  },
};

describe('loyaltyIndex', () => {
  it('computes the weighted hierarchical index, worked by hand', () => {
    // group weights 2:1:1 → 0.5, 0.25, 0.25; within duration tenure 0.75, frequency 0.25
    // tenure over [2, 10] → 0, 0.5, 1; frequency over [1, 5] → 0, 0.5, 1 → duration 0, 50, 100
    // share of wallet over [0.2, 0.8] → 0.5, 0, 1 → spend 50, 0, 100
    // price sensitivity over [0, 1], reversed → 0.2, 0.6, 0.8 → emotional 20, 60, 80
    // index: 0.5·0 + 0.25·50 + 0.25·20 = 17.5; 25 + 0 + 15 = 40; 50 + 25 + 20 = 95
    const t = loyaltyIndex(customers, hierarchy, { key: 'id' });
    expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'duration', 'spend', 'emotional', 'loyaltyIndex']);
    expect(col(t, 'id')).toEqual(['a', 'b', 'c']);
    const near = (name: string, expected: number[]) =>
      (col(t, name) as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    near('duration', [0, 50, 100]);
    near('spend', [50, 0, 100]);
    near('emotional', [20, 60, 80]);
    near('loyaltyIndex', [17.5, 40, 95]);
    expect(droppedRows(t)).toEqual({ rows: 3, kept: 3, dropped: {}, firstRow: {}, total: 0 });
  });

  it('reports the ranges used and the leaf, group and global weights', () => {
    const r = report(loyaltyIndex(customers, hierarchy));
    expect(r.missing).toBe('drop');
    expect(r.groups.map((g) => [g.name, g.weight, g.consistency])).toEqual([
      ['duration', 0.5, null],
      ['spend', 0.25, null],
      ['emotional', 0.25, null],
    ]);
    expect(r.groupConsistency).toBeNull();
    expect(r.indicators).toEqual([
      {
        group: 'duration',
        column: 'tenure',
        direction: 'higher',
        range: [2, 10],
        rangeSource: 'observed',
        localWeight: 0.75,
        globalWeight: 0.375,
      },
      {
        group: 'duration',
        column: 'frequency',
        direction: 'higher',
        range: [1, 5],
        rangeSource: 'observed',
        localWeight: 0.25,
        globalWeight: 0.125,
      },
      {
        group: 'spend',
        column: 'shareOfWallet',
        direction: 'higher',
        range: [0.2, 0.8],
        rangeSource: 'observed',
        localWeight: 1,
        globalWeight: 0.25,
      },
      {
        group: 'emotional',
        column: 'priceSensitivity',
        direction: 'lower',
        range: [0, 1],
        rangeSource: 'option',
        localWeight: 1,
        globalWeight: 0.25,
      },
    ]);
  });

  it('takes AHP matrices at either level: consistent matrices equal the direct weights, and their consistency is reported', () => {
    const ahp: LoyaltyHierarchy = {
      groups: {
        duration: {
          indicators: [{ column: 'tenure' }, { column: 'frequency' }],
          comparison: [
            [1, 3],
            [1 / 3, 1],
          ],
        },
        spend: { indicators: [{ column: 'shareOfWallet' }] },
        emotional: { indicators: [{ column: 'priceSensitivity', direction: 'lower', range: [0, 1] }] },
      },
      groupComparison: [
        [1, 2, 2],
        [1 / 2, 1, 1],
        [1 / 2, 1, 1],
      ],
    };
    const direct = col(loyaltyIndex(customers, hierarchy), 'loyaltyIndex') as number[];
    const t = loyaltyIndex(customers, ahp);
    (col(t, 'loyaltyIndex') as number[]).forEach((v, i) => expect(v).toBeCloseTo(direct[i], 10));
    const r = report(t);
    expect(r.groupConsistency!.consistencyRatio).toBeCloseTo(0, 12);
    expect(r.groups[0].consistency!.weights[0]).toBeCloseTo(0.75, 12);
    expect(r.groups[1].consistency).toBeNull();
    expect(r.indicators.map((x) => x.globalWeight).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([
      0.375, 0.125, 0.25, 0.25,
    ]);
  });

  it('reports an inconsistent comparison matrix instead of rejecting it', () => {
    const t = loyaltyIndex(
      { x: [1, 2, 3], y: [3, 1, 2], z: [2, 3, 1] },
      {
        groups: {
          all: {
            indicators: [{ column: 'x' }, { column: 'y' }, { column: 'z' }],
            comparison: [
              [1, 9, 1 / 9],
              [1 / 9, 1, 9],
              [9, 1 / 9, 1],
            ],
          },
        },
      },
    );
    expect(report(t).groups[0].consistency!.consistent).toBe(false);
    (col(t, 'loyaltyIndex') as number[]).forEach((v) => expect(v).toBeCloseTo(50, 9)); // equal weights: each row averages 0, 0.5, 1
  });

  it('drops rows with a missing indicator and counts them (missing: "drop")', () => {
    const t = loyaltyIndex(
      { id: ['a', 'b', 'c', null], tenure: [2, null, 10, 4], shareOfWallet: [0.5, 0.2, NaN, 0.3] },
      {
        groups: {
          duration: { indicators: [{ column: 'tenure' }] },
          spend: { indicators: [{ column: 'shareOfWallet' }] },
        },
      },
      { key: 'id' },
    );
    expect(col(t, 'id')).toEqual(['a']);
    expect(droppedRows(t)).toEqual({
      rows: 4,
      kept: 1,
      dropped: { invalidValue: 2, nullKey: 1 },
      firstRow: { invalidValue: 1, nullKey: 3 },
      total: 3,
    });
    // ranges come from every value present, dropped rows included: tenure [2, 10], share [0.2, 0.5]
    expect(report(t).indicators.map((x) => x.range)).toEqual([
      [2, 10],
      [0.2, 0.5],
    ]);
    expect(col(t, 'loyaltyIndex')[0]).toBeCloseTo(50, 12); // (0 + 100)/2
  });

  it('renormalises the weights of what is present (missing: "reweight"), worked by hand', () => {
    const table = { tenure: [0, 10, null, null], frequency: [5, null, 0, null], sow: [1, 0.5, 0, null] };
    const h: LoyaltyHierarchy = {
      groups: {
        duration: {
          weight: 3,
          indicators: [
            { column: 'tenure', weight: 1, range: [0, 10] },
            { column: 'frequency', weight: 3, range: [0, 10] },
          ],
        },
        spend: { weight: 1, indicators: [{ column: 'sow', range: [0, 1] }] },
      },
    };
    const t = loyaltyIndex(table, h, { missing: 'reweight' });
    // row 0: duration (0.25·0 + 0.75·0.5)·100 = 37.5, spend 100 → 0.75·37.5 + 0.25·100 = 53.125
    // row 1: frequency missing → duration = tenure = 100, spend 50 → 87.5
    // row 2: tenure missing → duration = frequency = 0, spend 0 → 0
    // row 3: nothing present → dropped
    expect(col(t, 'duration')).toEqual([37.5, 100, 0]);
    expect(col(t, 'spend')).toEqual([100, 50, 0]);
    expect(col(t, 'loyaltyIndex')).toEqual([53.125, 87.5, 0]);
    expect(droppedRows(t).dropped).toEqual({ invalidValue: 1 });
    // a whole group missing: its sub-index is null and the other groups carry the index
    const u = loyaltyIndex(
      { tenure: [5, 10], frequency: [null, 10], sow: [0.4, 1] },
      {
        groups: {
          duration: { indicators: [{ column: 'frequency', range: [0, 10] }] },
          spend: { indicators: [{ column: 'sow', range: [0, 1] }] },
        },
      },
      { missing: 'reweight' },
    );
    expect(values(u, 'duration')).toEqual([null, 100]);
    expect(col(u, 'loyaltyIndex')).toEqual([40, 100]);
  });

  describe('properties', () => {
    const row = fc.record({
      x: fc.double({ min: 0, max: 10, noNaN: true }),
      y: fc.double({ min: 0, max: 10, noNaN: true }),
      z: fc.double({ min: -5, max: 15, noNaN: true }),
    });
    const weights = fc.tuple(
      fc.double({ min: 0.01, max: 10, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }),
    );
    const build = (w: number[]): LoyaltyHierarchy => ({
      groups: {
        duration: {
          weight: w[0],
          indicators: [
            { column: 'x', weight: w[1], range: [0, 10] },
            { column: 'y', weight: w[2], range: [0, 10] },
          ],
        },
        emotional: { weight: w[3], indicators: [{ column: 'z', direction: 'lower', range: [0, 10] }] },
      },
    });
    const columns = (rows: { x: number; y: number; z: number }[], ids = rows.map((_, i) => i)) => ({
      id: ids,
      x: rows.map((r) => r.x),
      y: rows.map((r) => r.y),
      z: rows.map((r) => r.z),
    });

    it('stays within [0, 100], sub-indices too (values outside a range are clamped)', () => {
      fc.assert(
        fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), weights, (rows, w) => {
          const t = loyaltyIndex(columns(rows), build(w));
          for (const name of ['duration', 'emotional', 'loyaltyIndex']) {
            for (const v of col(t, name) as number[]) expect(v >= 0 && v <= 100).toBe(true);
          }
        }),
      );
    });

    it("rises with a 'higher' indicator and falls with a 'lower' one", () => {
      fc.assert(
        fc.property(
          fc.array(row, { minLength: 1, maxLength: 20 }),
          weights,
          fc.nat(),
          fc.double({ min: 0, max: 5, noNaN: true }),
          (rows, w, pick, step) => {
            const k = pick % rows.length;
            const before = col(loyaltyIndex(columns(rows), build(w)), 'loyaltyIndex') as number[];
            const up = rows.map((r, i) => (i === k ? { ...r, x: r.x + step } : r));
            const afterX = col(loyaltyIndex(columns(up), build(w)), 'loyaltyIndex') as number[];
            expect(afterX[k]).toBeGreaterThanOrEqual(before[k] - 1e-9);
            const upZ = rows.map((r, i) => (i === k ? { ...r, z: r.z + step } : r));
            const afterZ = col(loyaltyIndex(columns(upZ), build(w)), 'loyaltyIndex') as number[];
            expect(afterZ[k]).toBeLessThanOrEqual(before[k] + 1e-9);
            // other rows do not move: the ranges are fixed
            before.forEach((v, i) => i !== k && expect(afterX[i]).toBe(v));
          },
        ),
      );
    });

    it('permutes its output when the rows are permuted, observed ranges included', () => {
      fc.assert(
        fc.property(fc.array(row, { minLength: 2, maxLength: 25 }), fc.nat(), (rows, seed) => {
          fc.pre(new Set(rows.map((r) => r.x)).size > 1 && new Set(rows.map((r) => r.y)).size > 1);
          const h: LoyaltyHierarchy = {
            groups: { duration: { indicators: [{ column: 'x' }, { column: 'y', direction: 'lower' }] } },
          };
          const order = rows
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97) || a - b);
          const t = loyaltyIndex(columns(rows), h, { key: 'id' });
          const p = loyaltyIndex(
            columns(
              order.map((i) => rows[i]),
              order,
            ),
            h,
            { key: 'id' },
          );
          const byId = new Map((col(t, 'id') as number[]).map((id, i) => [id, col(t, 'loyaltyIndex')[i]]));
          (col(p, 'id') as number[]).forEach((id, i) => expect(col(p, 'loyaltyIndex')[i]).toBe(byId.get(order[i])));
          expect(col(p, 'id')).toEqual(order);
        }),
      );
    });

    it('gives the same index when every weight of a level is multiplied by a constant (1e-9)', () => {
      fc.assert(
        fc.property(
          fc.array(row, { minLength: 1, maxLength: 20 }),
          weights,
          fc.double({ min: 0.001, max: 1000, noNaN: true }),
          (rows, w, k) => {
            const base = col(loyaltyIndex(columns(rows), build(w)), 'loyaltyIndex') as number[];
            const scaledGroups = col(
              loyaltyIndex(columns(rows), build([w[0] * k, w[1], w[2], w[3] * k])),
              'loyaltyIndex',
            ) as number[];
            const scaledLeaves = col(
              loyaltyIndex(columns(rows), build([w[0], w[1] * k, w[2] * k, w[3]])),
              'loyaltyIndex',
            ) as number[];
            base.forEach((v, i) => {
              expect(scaledGroups[i]).toBeCloseTo(v, 9);
              expect(scaledLeaves[i]).toBeCloseTo(v, 9);
            });
          },
        ),
      );
    });
  });

  it('leaves frozen inputs unchanged', () => {
    const records = Object.freeze([Object.freeze({ id: 'a', t: 1, s: 0.1 }), Object.freeze({ id: 'b', t: 3, s: 0.9 })]);
    const h = Object.freeze({
      groups: Object.freeze({
        duration: Object.freeze({
          weight: 1,
          indicators: Object.freeze([Object.freeze({ column: 't', range: Object.freeze([0, 4] as [number, number]) })]),
        }),
        spend: Object.freeze({ weight: 1, indicators: Object.freeze([Object.freeze({ column: 's' })]) }),
      }),
    }) as LoyaltyHierarchy;
    const snapshot = JSON.stringify([records, h]);
    const t = loyaltyIndex(records, h, Object.freeze({ key: 'id' }));
    expect(JSON.stringify([records, h])).toBe(snapshot);
    expect(col(t, 'loyaltyIndex')).toEqual([12.5, 87.5]);
  });

  describe('bad input', () => {
    const one = { groups: { spend: { indicators: [{ column: 'sow' }] } } };
    it('a missing indicator column → MISSING_COLUMN naming it and where it was named', () =>
      expectCode(
        () =>
          loyaltyIndex(
            { sow: [1, 2] },
            { groups: { spend: { indicators: [{ column: 'sow' }, { column: 'crossSell' }] } } },
          ),
        'MISSING_COLUMN',
        '"crossSell"',
        'groups.spend.indicators[1].column',
      ));
    it('a missing key column → MISSING_COLUMN', () =>
      expectCode(() => loyaltyIndex({ sow: [1, 2] }, one, { key: 'customer' }), 'MISSING_COLUMN', '"customer"'));
    it('a text indicator → INVALID_TYPE naming the column', () => {
      const e = catchClientele(() => loyaltyIndex({ sow: ['high', 'low'] }, one), 'INVALID_TYPE');
      expect(e.column).toBe('sow');
    });
    it('a negative weight → INVALID_OPTION', () =>
      expectCode(
        () => loyaltyIndex({ sow: [1, 2] }, { groups: { spend: { weight: -1, indicators: [{ column: 'sow' }] } } }),
        'INVALID_OPTION',
        'groups.spend.weight',
        'found -1',
      ));
    it('all weights 0 → INVALID_OPTION', () => {
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2], b: [2, 1] },
            {
              groups: {
                g: {
                  indicators: [
                    { column: 'a', weight: 0 },
                    { column: 'b', weight: 0 },
                  ],
                },
              },
            },
          ),
        'INVALID_OPTION',
        'groups.g',
        'all 0',
      );
      expectCode(
        () => loyaltyIndex({ a: [1, 2] }, { groups: { g: { weight: 0, indicators: [{ column: 'a' }] } } }),
        'INVALID_OPTION',
        'the groups',
        'all 0',
      );
    });
    it('a bad direction or range → INVALID_OPTION', () => {
      expectCode(
        () =>
          loyaltyIndex({ a: [1, 2] }, { groups: { g: { indicators: [{ column: 'a', direction: 'down' as never }] } } }),
        'INVALID_OPTION',
        'groups.g.indicators[0].direction',
        '"down"',
      );
      expectCode(
        () => loyaltyIndex({ a: [1, 2] }, { groups: { g: { indicators: [{ column: 'a', range: [5, 1] }] } } }),
        'INVALID_OPTION',
        'range',
        '[5,1]',
      );
    });
    it('weights and a comparison matrix for one level → INVALID_OPTION', () => {
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2], b: [2, 1] },
            {
              groups: {
                g: {
                  indicators: [{ column: 'a', weight: 2 }, { column: 'b' }],
                  comparison: [
                    [1, 2],
                    [0.5, 1],
                  ],
                },
              },
            },
          ),
        'INVALID_OPTION',
        'groups.g',
        'weight on a',
      );
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2] },
            { groups: { g: { weight: 1, indicators: [{ column: 'a' }] } }, groupComparison: [[1]] },
          ),
        'INVALID_OPTION',
        'groupComparison',
        'weight on g',
      );
    });
    it('a comparison matrix of the wrong size → INVALID_OPTION', () =>
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2], b: [2, 1] },
            { groups: { g: { indicators: [{ column: 'a' }, { column: 'b' }], comparison: [[1]] } } },
          ),
        'INVALID_OPTION',
        'groups.g.comparison must be 2 × 2',
        'found 1 rows',
      ));
    it('a comparison matrix that is not reciprocal → INVALID_VALUE naming the matrix, row and column', () =>
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2], b: [2, 1] },
            {
              groups: {
                g: {
                  indicators: [{ column: 'a' }, { column: 'b' }],
                  comparison: [
                    [1, 2],
                    [2, 1],
                  ],
                },
              },
            },
          ),
        'INVALID_VALUE',
        'groups.g.comparison',
        'row 1, column 0',
      ));
    it('a column with one value and no range → INVALID_VALUE naming it', () => {
      const e = catchClientele(
        () => loyaltyIndex({ a: [3, 3, null] }, { groups: { g: { indicators: [{ column: 'a' }] } } }),
        'INVALID_VALUE',
      );
      expect(e.message).toContain('"a"');
      expect(e.message).toContain('range');
    });
    it('a group named like an output column → INVALID_OPTION', () =>
      expectCode(
        () =>
          loyaltyIndex({ a: [1, 2], id: [1, 2] }, { groups: { id: { indicators: [{ column: 'a' }] } } }, { key: 'id' }),
        'INVALID_OPTION',
        '"id"',
      ));
    it('no groups, or bad options → INVALID_OPTION', () => {
      expectCode(() => loyaltyIndex({ a: [1] }, { groups: {} }), 'INVALID_OPTION', 'at least one group');
      expectCode(
        () => loyaltyIndex({ a: [1, 2] }, { groups: { g: { indicators: [] } } }),
        'INVALID_OPTION',
        'groups.g',
      );
      expectCode(
        () =>
          loyaltyIndex(
            { a: [1, 2] },
            { groups: { g: { indicators: [{ column: 'a' }] } } },
            { missing: 'impute' as never },
          ),
        'INVALID_OPTION',
        'missing',
        '"impute"',
      );
    });
    it('no rows, or every row dropped → EMPTY_INPUT', () => {
      expectCode(() => loyaltyIndex({ sow: [] }, one), 'EMPTY_INPUT', 'no rows');
      expectCode(
        () =>
          loyaltyIndex(
            { sow: [1, 2], t: [null, null] },
            { groups: { g: { indicators: [{ column: 'sow' }, { column: 't', range: [0, 1] }] } } },
          ),
        'EMPTY_INPUT',
        'invalidValue',
      );
    });
  });
});
