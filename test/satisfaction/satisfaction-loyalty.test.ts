import fc from 'fast-check';
import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { droppedRows } from '../../src/index';
import { satisfactionLoyalty } from '../../src/satisfaction/index';
import { catchClientele, expectCode } from '../helpers/errors';
import { col, rQuantile7 } from '../helpers/reference';

/** Column values with nulls as null. */
const values = (t: { getChild(name: string): Iterable<unknown> | null }, name: string): unknown[] => [
  ...t.getChild(name)!,
];

/** Least squares of y on (1, s, s²) by the normal equations XᵀX β = Xᵀy on the raw s, solved by Cramer's rule. */
function normalEquations(s: number[], y: number[]): { a: number; b: number; c: number } {
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  s.forEach((x, i) => {
    for (let k = 0; k <= 4; k++) S[k] += x ** k;
    for (let k = 0; k <= 2; k++) T[k] += x ** k * y[i];
  });
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const M = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const d = det3(M);
  const replace = (k: number) => det3(M.map((row, i) => row.map((v, j) => (j === k ? T[i] : v))));
  return { a: replace(0) / d, b: replace(1) / d, c: replace(2) / d };
}

const near = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-9);

describe('satisfactionLoyalty', () => {
  it('places rows in the Jones & Sasser (1995) quadrants, thresholds at the scale midpoint, equality counting as high', () => {
    const r = satisfactionLoyalty(
      { id: [1, 2, 3, 4, 5, 6], sat: [90, 90, 10, 10, 50, 49], loy: [80, 20, 80, 20, 50, 50] },
      { key: 'id', satisfaction: 'sat', loyalty: 'loy', scale: [0, 100] },
    );
    expect(r.thresholds).toEqual({ satisfaction: 50, loyalty: 50 });
    expect(col(r.table, 'category')).toEqual(['loyalist', 'mercenary', 'hostage', 'defector', 'loyalist', 'hostage']);
    expect(r.table.schema.fields.map((f) => f.name)).toEqual(['id', 'satisfaction', 'loyalty', 'band', 'category']);
    expect(col(r.table, 'id')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.range).toEqual([0, 100]);
  });

  it('defaults the thresholds to the medians without a scale, and takes explicit ones', () => {
    const data = { s: [1, 2, 3, 4, 10], l: [5, 1, 4, 2, 3] };
    const r = satisfactionLoyalty(data, { satisfaction: 's', loyalty: 'l' });
    expect(r.thresholds).toEqual({ satisfaction: rQuantile7(data.s, 0.5), loyalty: rQuantile7(data.l, 0.5) });
    expect(col(r.table, 'category')).toEqual(['hostage', 'defector', 'loyalist', 'mercenary', 'loyalist']);
    const t = satisfactionLoyalty(data, {
      satisfaction: 's',
      loyalty: 'l',
      scale: [0, 10],
      thresholds: { satisfaction: 2 },
    });
    expect(t.thresholds).toEqual({ satisfaction: 2, loyalty: 5 });
  });

  it('summarises equal-width bands with arc elasticities against the previous non-empty band, worked by hand', () => {
    const r = satisfactionLoyalty(
      { sat: [10, 15, 30, 50, 55, 90], loy: [20, 30, 40, 60, 70, 80] },
      { satisfaction: 'sat', loyalty: 'loy', scale: [0, 100] },
    );
    expect(col(r.table, 'band')).toEqual([1, 1, 2, 3, 3, 5]);
    expect(col(r.bands, 'band')).toEqual([1, 2, 3, 4, 5]);
    expect(col(r.bands, 'from')).toEqual([0, 20, 40, 60, 80]);
    expect(col(r.bands, 'to')).toEqual([20, 40, 60, 80, 100]);
    expect(col(r.bands, 'count')).toEqual([2, 1, 2, 0, 1]);
    expect(values(r.bands, 'meanSatisfaction')).toEqual([12.5, 30, 52.5, null, 90]);
    expect(values(r.bands, 'meanLoyalty')).toEqual([25, 40, 65, null, 80]);
    // (ΔL / midpoint L̄) / (ΔS / midpoint S̄); band 5 against band 3, band 4 being empty
    const arc = values(r.bands, 'arcElasticity') as (number | null)[];
    expect(arc[0]).toBeNull();
    expect(arc[1]).toBeCloseTo(15 / 32.5 / (17.5 / 21.25), 12);
    expect(arc[2]).toBeCloseTo(25 / 52.5 / (22.5 / 41.25), 12);
    expect(arc[3]).toBeNull();
    expect(arc[4]).toBeCloseTo(15 / 72.5 / (37.5 / 71.25), 12);
    // point elasticity of the fitted curve at each band's mean: (b + 2cS̄)·S̄ / (a + bS̄ + cS̄²)
    const { a, b, c } = r.curve;
    const point = values(r.bands, 'pointElasticity') as (number | null)[];
    [12.5, 30, 52.5, null, 90].forEach((s, j) => {
      if (s === null) expect(point[j]).toBeNull();
      else expect(point[j]).toBeCloseTo(((b + 2 * c * s) * s) / (a + b * s + c * s * s), 12);
    });
  });

  it('splits the observed range when no scale is given, the maximum in the last band', () => {
    const r = satisfactionLoyalty(
      { s: [2, 4, 6, 8, 10], l: [1, 2, 3, 4, 6] },
      { satisfaction: 's', loyalty: 'l', bands: 4 },
    );
    expect(r.range).toEqual([2, 10]);
    expect(col(r.bands, 'count')).toEqual([1, 1, 1, 2]);
    expect(col(r.table, 'band')).toEqual([1, 2, 3, 4, 4]);
  });

  it('fits loyalty = a + b·s + c·s² as the normal equations solved in the test do (property, 1e-6)', () => {
    // integer satisfaction on 0–100 (index points), so that the raw normal equations of the test stay accurate
    const point = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 60 }), (rows) => {
        const s = rows.map((p) => p[0]);
        const l = rows.map((p) => p[1]);
        fc.pre(new Set(s).size >= 3);
        const r = satisfactionLoyalty({ s, l }, { satisfaction: 's', loyalty: 'l', scale: [0, 100] });
        const expected = normalEquations(s, l);
        near(r.curve.a, expected.a, 1e-6);
        near(r.curve.b, expected.b, 1e-6);
        near(r.curve.c, expected.c, 1e-6);
        // R² from its definition, and never below the straight line's (simple-statistics), the models being nested
        const fitted = s.map((x) => r.curve.a + r.curve.b * x + r.curve.c * x * x);
        const mean = l.reduce((t, x) => t + x, 0) / l.length;
        const sst = l.reduce((t, x) => t + (x - mean) ** 2, 0);
        const sse = l.reduce((t, x, i) => t + (x - fitted[i]) ** 2, 0);
        if (sst > 1e-9) {
          near(r.curve.rSquared, 1 - sse / sst, 1e-6);
          const pairs = s.map((x, i) => [x, l[i]]);
          const line = linearRegressionLine(linearRegression(pairs));
          expect(r.curve.rSquared).toBeGreaterThanOrEqual(rSquared(pairs, line) - 1e-9);
        }
        expect(r.curve.n).toBe(s.length);
      }),
      { numRuns: 200 },
    );
  });

  it('recovers an exact quadratic with R² = 1', () => {
    const s = [0, 10, 20, 35, 50, 65, 80, 100];
    const l = s.map((x) => 5 + 1.2 * x - 0.004 * x * x);
    const r = satisfactionLoyalty({ s, l }, { satisfaction: 's', loyalty: 'l', scale: [0, 100] });
    near(r.curve.a, 5, 1e-10);
    near(r.curve.b, 1.2, 1e-10);
    near(r.curve.c, -0.004, 1e-10);
    near(r.curve.rSquared, 1, 1e-12);
  });

  it('drops and counts rows with a missing score or key, returns frozen results and leaves frozen inputs alone', () => {
    const records = Object.freeze([
      Object.freeze({ id: 'a', s: 10, l: 20 }),
      Object.freeze({ id: 'b', s: null, l: 30 }),
      Object.freeze({ id: null, s: 30, l: 40 }),
      Object.freeze({ id: 'd', s: 50, l: NaN }),
      Object.freeze({ id: 'e', s: 70, l: 60 }),
      Object.freeze({ id: 'f', s: 90, l: 95 }),
    ]);
    const snapshot = JSON.stringify(records);
    const r = satisfactionLoyalty(
      records,
      Object.freeze({ key: 'id', satisfaction: 's', loyalty: 'l', scale: [0, 100] as [number, number] }),
    );
    expect(JSON.stringify(records)).toBe(snapshot);
    expect(col(r.table, 'id')).toEqual(['a', 'e', 'f']);
    expect(droppedRows(r.table)).toEqual({
      rows: 6,
      kept: 3,
      dropped: { invalidValue: 2, nullKey: 1 },
      firstRow: { invalidValue: 1, nullKey: 2 },
      total: 3,
    });
    expect(
      Object.isFrozen(r) && Object.isFrozen(r.curve) && Object.isFrozen(r.thresholds) && Object.isFrozen(r.range),
    ).toBe(true);
  });

  describe('bad input', () => {
    it('a score outside the scale → INVALID_VALUE naming the column and row', () => {
      const e = catchClientele(
        () =>
          satisfactionLoyalty({ s: [10, 120, 30], l: [1, 2, 3] }, { satisfaction: 's', loyalty: 'l', scale: [0, 100] }),
        'INVALID_VALUE',
      );
      expect(e.message).toContain('column "s" (satisfaction) row 1 is outside the scale [0, 100] (found 120)');
      expect([e.column, e.row]).toEqual(['s', 1]);
    });
    it('fewer than 3 distinct satisfaction values → INVALID_VALUE', () =>
      expectCode(
        () => satisfactionLoyalty({ s: [1, 2, 1, 2], l: [1, 2, 3, 4] }, { satisfaction: 's', loyalty: 'l' }),
        'INVALID_VALUE',
        'at least 3 distinct',
        'found 2',
      ));
    it('bad options → INVALID_OPTION', () => {
      const data = { s: [1, 2, 3], l: [1, 2, 3] };
      expectCode(
        () => satisfactionLoyalty(data, { satisfaction: 's', loyalty: 'l', bands: 1 }),
        'INVALID_OPTION',
        'bands',
        'found 1',
      );
      expectCode(
        () => satisfactionLoyalty(data, { satisfaction: 's', loyalty: 'l', scale: [5, 5] }),
        'INVALID_OPTION',
        'scale',
        '[5,5]',
      );
      expectCode(
        () => satisfactionLoyalty(data, { satisfaction: 's', loyalty: 'l', thresholds: { loyalty: Infinity } }),
        'INVALID_OPTION',
        'thresholds.loyalty',
      );
      expectCode(() => satisfactionLoyalty(data, undefined as never), 'INVALID_OPTION', 'satisfaction');
    });
    it('a missing column → MISSING_COLUMN, a text column → INVALID_TYPE', () => {
      expectCode(
        () => satisfactionLoyalty({ s: [1], l: [1] }, { satisfaction: 'csi', loyalty: 'l' }),
        'MISSING_COLUMN',
        '"csi"',
        'option satisfaction',
      );
      expectCode(
        () => satisfactionLoyalty({ s: [1], l: ['high'] }, { satisfaction: 's', loyalty: 'l' }),
        'INVALID_TYPE',
        '"l"',
      );
    });
    it('no rows or every row dropped → EMPTY_INPUT', () => {
      expectCode(
        () => satisfactionLoyalty({ s: [], l: [] }, { satisfaction: 's', loyalty: 'l' }),
        'EMPTY_INPUT',
        'no rows',
      );
      expectCode(
        () => satisfactionLoyalty({ s: [null, 1], l: [1, null] }, { satisfaction: 's', loyalty: 'l' }),
        'EMPTY_INPUT',
        'invalidValue',
      );
    });
  });
});
