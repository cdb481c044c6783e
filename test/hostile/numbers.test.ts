import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abc,
  asTable,
  chooseK,
  customerSummary,
  gini,
  kmeans,
  loyaltyIndex,
  loyaltyType,
  paretoCurve,
  pathModel,
  plsPathModel,
  rfm,
  satisfactionLoyalty,
  topShare,
  valueLoyaltyMatrix,
} from '../../src/index';
import { abcTotalsAggregate } from '../../src/stream/index';
import { compensatedTotal, RunningSum } from '../../src/math/internal';
import { refuses, refusesAsync, unchangedAfter } from './helpers';
import { batchStream } from '../stream/helpers';

/** The drop counts a result table carries (`clientele.dropped`). */
function dropped(table: { schema: { metadata: Map<string, string> } }): Record<string, number> {
  return JSON.parse(table.schema.metadata.get('clientele.dropped') ?? '{}');
}

/** Gini by its definition, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), on small integers (exact in doubles). */
function giniByDefinition(x: readonly number[]): number {
  const n = x.length;
  let diff = 0;
  for (const a of x) for (const b of x) diff += Math.abs(a - b);
  const sum = x.reduce((s, v) => s + v, 0);
  return diff / (2 * n * sum);
}

/** ABC classes by exact rational arithmetic: key order by value desc then key asc; A while before/total < cutoff. */
function abcByFractions(keys: readonly string[], values: readonly number[], cutoffs: readonly number[]): string[] {
  const order = keys.map((_, i) => i).sort((a, b) => values[b] - values[a] || (keys[a] < keys[b] ? -1 : 1));
  const total = values.reduce((s, v) => s + BigInt(v), 0n);
  // cut-offs given as decimals with at most 2 places: c = C / 100
  const cents = cutoffs.map((c) => BigInt(Math.round(c * 100)));
  let before = 0n;
  return order.map((i) => {
    let cls = 0;
    while (cls < cents.length && before * 100n >= cents[cls] * total) cls++;
    before += BigInt(values[i]);
    return String.fromCharCode(65 + cls);
  });
}

const days = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];

describe('hostile numbers: non-finite values and overflow (class 4)', () => {
  it('class 4: rfm drops an Infinity amount and counts it as invalidAmount (not scored as the worst customer)', () => {
    const tx = { customer: ['a', 'b', 'c', 'd'], date: days, amount: [Infinity, 10, 20, 30] };
    const { value } = unchangedAfter([tx], () => rfm(tx));
    expect(value!.getChild('customer')!.toArray()).toEqual(['b', 'c', 'd']);
    expect(dropped(value!)).toEqual({ invalidAmount: 1 });
  });

  it('class 4: customerSummary drops a −Infinity amount and counts it as invalidAmount', () => {
    const tx = { customer: ['a', 'a', 'b'], date: days.slice(0, 3), amount: [5, -Infinity, 7] };
    const { value } = unchangedAfter([tx], () => customerSummary(tx));
    expect(Array.from(value!.getChild('monetary')!.toArray())).toEqual([5, 7]);
    expect(dropped(value!)).toEqual({ invalidAmount: 1 });
  });

  it('class 4: customerSummary refuses 1e308 + 1e308 for one customer (INVALID_VALUE naming amount, not NaN)', () => {
    const tx = { customer: ['a', 'a', 'c'], date: days.slice(0, 3), amount: [1e308, 1e308, 20] };
    const e = refuses(
      [tx],
      () => customerSummary(tx),
      'INVALID_VALUE',
      'column "amount"',
      '"a"',
      'overflows',
      'rescale',
    );
    expect(e.column).toBe('amount');
  });

  it('class 4: rfm refuses a customer total that overflows, with the amount column renamed', () => {
    const tx = { who: ['a', 'a', 'c'], date: days.slice(0, 3), money: [-1.5e308, -1e308, 20] };
    const o = { customer: 'who', amount: 'money', returns: 'keep' as const }; // negative totals: returns kept
    const e = refuses([tx, o], () => rfm(tx, o), 'INVALID_VALUE', 'column "money"', '-Infinity');
    expect(e.column).toBe('money');
  });

  it('class 4: rfm over a stream of batches refuses the overflowing total too (the stream finishes like the table)', async () => {
    const t = asTable({ customer: ['a', 'b', 'a'], date: days.slice(0, 3), amount: [1e308, 1, 1e308] });
    await refusesAsync([], async () => rfm(batchStream([t.slice(0, 1), t.slice(1)])), 'INVALID_VALUE', 'overflows');
  });

  it('class 4: abc refuses a key whose total overflows (INVALID_VALUE naming the value column and the key)', () => {
    const sales = { product: ['p', 'p', 'q'], revenue: [1e308, 1e308, 20] };
    const o = { key: 'product', value: 'revenue' };
    const e = refuses([sales, o], () => abc(sales, o), 'INVALID_VALUE', 'column "revenue"', 'key "p"');
    expect(e.column).toBe('revenue');
  });

  it('class 4: abc refuses a positive total over all keys that overflows (was "no key has a positive value")', () => {
    const sales = { customer: ['a', 'b', 'c'], amount: [1e308, 1e308, 20] };
    refuses([sales], () => abc(sales), 'INVALID_VALUE', 'all 3 keys', 'overflows');
  });

  it('class 4: abc merged from batch partials refuses the overflow the same way', () => {
    const t = asTable({ customer: ['a', 'b', 'a'], amount: [1e308, 5, 1e308] });
    const merged = abcTotalsAggregate.merge(
      abcTotalsAggregate.summarize(t.slice(0, 1), {}),
      abcTotalsAggregate.summarize(t.slice(1), {}),
    );
    refuses([t], () => abcTotalsAggregate.finish(merged, {}), 'INVALID_VALUE', 'key "a"', 'overflows');
  });

  it('class 4: abc drops an Infinity value and counts it as invalidValue', () => {
    const sales = { customer: ['a', 'b', 'c'], amount: [Infinity, 10, 20] };
    const { value } = unchangedAfter([sales], () => abc(sales));
    expect(value!.getChild('key')!.toArray()).toEqual(['c', 'b']);
    expect(dropped(value!)).toEqual({ invalidValue: 1 });
  });

  it('class 4: a compensated sum that overflows is ±Infinity, never NaN', () => {
    const up = new RunningSum();
    up.add(1e308);
    up.add(1e308);
    const down = new RunningSum();
    down.add(-1e308);
    down.add(-1e308);
    expect([up.value, down.value]).toEqual([Infinity, -Infinity]);
    expect(compensatedTotal(Infinity, -Infinity)).toBe(Infinity);
  });

  it('class 4: a compensated sum of finite doubles is never NaN (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 30 }), (xs) => {
        const s = new RunningSum();
        for (const x of xs) s.add(x);
        expect(Number.isNaN(s.value)).toBe(false);
      }),
    );
  });

  it('class 4: gini near 1e308 (whose sum overflows) equals gini of the same shape by definition (was 0)', () => {
    const shape = [1, 1, 3, 7];
    const huge = shape.map((v) => v * 2 ** 1020);
    const { value } = unchangedAfter([huge], () => gini(huge));
    expect(value).toBeCloseTo(giniByDefinition(shape), 14);
  });

  it('class 4: gini of subnormal values equals gini of the same shape at ordinary scale', () => {
    const shape = [0, 1, 2, 9];
    expect(gini(shape.map((v) => v * Number.MIN_VALUE))).toBeCloseTo(giniByDefinition(shape), 14);
  });

  it('class 4: gini refuses Infinity (INVALID_VALUE at its row)', () => {
    const values = [1, Infinity];
    expect(refuses([values], () => gini(values), 'INVALID_VALUE', 'Infinity').row).toBe(1);
  });

  it('class 4: topShare near 1e308 is the share by hand (was 0)', () => {
    const values = [1e308, 1e308, 1e308, 1e308, 1e308];
    // five equal values: the top 20 % hold 20 %
    expect(unchangedAfter([values], () => topShare(values, 0.2)).value).toBeCloseTo(0.2, 14);
  });

  it('class 4: paretoCurve near 1.7e308 runs from 0 to 1 with the shares by hand', () => {
    const values = [1.7e308, 1.7e308, 0];
    const curve = paretoCurve(values).getChild('value')!.toArray();
    expect(Array.from(curve)).toEqual([0, 0.5, 1, 1]);
  });

  it('class 4: kmeans on features near ±1e308 gives finite centroids and the labels of the same data scaled down', () => {
    const x = [1.7e308, 1.6e308, 1.65e308, -1.7e308, -1.6e308];
    const y = [1, 2, 3, 4, 5];
    const big = kmeans({ x, y }, { k: 2, columns: ['x', 'y'], seed: 3 });
    const small = kmeans({ x: x.map((v) => v / 1e300), y }, { k: 2, columns: ['x', 'y'], seed: 3 });
    expect(big.centroids.flat().every(Number.isFinite)).toBe(true);
    expect(Array.from(big.labels)).toEqual(Array.from(small.labels));
    const top = big.centroids.find((c) => c[0] > 0)!;
    expect(top[0] / 1.65e308).toBeCloseTo(1, 12); // mean of the three positive values
  });

  it('class 4: kmeans minmax refuses a column whose range overflows a double (INVALID_VALUE naming it)', () => {
    const t = { x: [1.7e308, -1.7e308, 0, 1], y: [1, 2, 3, 4] };
    const o = { k: 2, columns: ['x', 'y'], standardize: 'minmax' as const, seed: 1 };
    expect(refuses([t, o], () => kmeans(t, o), 'INVALID_VALUE', 'column "x"', 'range').column).toBe('x');
  });

  it("class 4: kmeans with standardize 'none' refuses features whose squared distances overflow", () => {
    const t = { x: [1e200, 1e200, 3e200, 3e200], y: [1, 2, 3, 4] };
    const o = { k: 2, columns: ['x', 'y'], standardize: 'none' as const, seed: 1 };
    const e = refuses([t, o], () => kmeans(t, o), 'INVALID_VALUE', 'column "x"', "standardize 'zscore'");
    expect([e.column, e.row]).toEqual(['x', 0]);
  });

  it('class 4: kmeans drops a row with an infinite feature and counts it as invalidValue', () => {
    const t = { x: [1, Infinity, 2, 2, 9], y: [2, 2, 3, 3, 9] };
    const { value } = unchangedAfter([t], () => kmeans(t, { k: 2, columns: ['x', 'y'], seed: 1 }));
    expect(value!.rows.dropped).toEqual({ invalidValue: 1 });
    expect(value!.labels.length).toBe(5);
    expect(value!.labels[1]).toBe(-1);
  });

  it('class 4: satisfactionLoyalty drops an infinite score and counts it as invalidValue', () => {
    const t = { sat: [20, 40, Infinity, 80, 100, 90], loy: [30, 25, 60, 70, 95, 40] };
    const o = { satisfaction: 'sat', loyalty: 'loy', scale: [0, 100] as [number, number] };
    const { value } = unchangedAfter([t, o], () => satisfactionLoyalty(t, o));
    expect(value!.table.numRows).toBe(5);
    expect(dropped(value!.table)).toEqual({ invalidValue: 1 });
  });

  it('class 4: loyaltyType drops an infinite attachment and counts it as invalidValue (the same rule)', () => {
    const t = { attitude: [9, 2, Infinity, 1], repeats: [12, 10, 1, 0] };
    const o = { attachment: 'attitude', repeatPurchase: 'repeats' };
    const { value } = unchangedAfter([t, o], () => loyaltyType(t, o));
    expect(value!.numRows).toBe(3);
    expect(dropped(value!)).toEqual({ invalidValue: 1 });
  });

  it('class 4: satisfactionLoyalty refuses scores near 1e308 (was a raw TypeError)', () => {
    const t = { sat: [1e308, -1e308, 0, 5], loy: [1, 2, 3, 4] };
    const o = { satisfaction: 'sat', loyalty: 'loy' };
    const e = refuses([t, o], () => satisfactionLoyalty(t, o), 'INVALID_VALUE', 'column "sat"', 'rescale');
    expect([e.column, e.row]).toEqual(['sat', 0]);
  });

  it('class 4: loyaltyIndex over an observed range wider than a double scores by hand (was a null index)', () => {
    const t = { years: [1.7e308, -1.7e308, 0], w: [0.1, 0.5, 0.9] };
    const o = {
      groups: {
        d: { weight: 0.5, indicators: [{ column: 'years' }] },
        s: { weight: 0.5, indicators: [{ column: 'w' }] },
      },
    };
    const { value } = unchangedAfter([t, o], () => loyaltyIndex(t, o));
    // years: 100, 0, 50 of its range; w: 0, 50, 100 of its range
    expect(Array.from(value!.getChild('loyaltyIndex')!.toArray() as Float64Array)).toEqual([50, 25, 75]);
  });

  it('class 4: abc gives −0 the last class with value 0, like any non-positive value', () => {
    const sales = { customer: ['a', 'b'], amount: [-0, 3] };
    const classes = abc(sales).getChild('class')!.toArray();
    expect(Array.from(classes)).toEqual(['A', 'C']);
  });

  it('class 4: abc on subnormal values gives the classes of the same values at ordinary scale', () => {
    const base = [5, 3, 1, 1];
    const keys = ['a', 'b', 'c', 'd'];
    const tiny = abc({ customer: keys, amount: base.map((v) => v * Number.MIN_VALUE) });
    const plain = abc({ customer: keys, amount: base });
    expect(Array.from(tiny.getChild('class')!.toArray())).toEqual(Array.from(plain.getChild('class')!.toArray()));
  });
});

describe('hostile numbers: PLS non-finite and overflow (class 4)', () => {
  const survey = makeSurvey(40);
  const model = pathModel({
    blocks: { quality: ['q1', 'q2'], satisfaction: ['s1', 's2'] },
    paths: [['quality', 'satisfaction']],
  });

  it('class 4: plsPathModel drops an infinite answer (invalidValue) and fits the remaining respondents', () => {
    const hostile = { ...survey, q1: [Infinity, ...survey.q1.slice(1)] };
    const without = Object.fromEntries(Object.entries(survey).map(([k, v]) => [k, v.slice(1)]));
    const { value } = unchangedAfter([hostile], () => plsPathModel(hostile, model));
    expect(value!.rows.dropped).toEqual({ invalidValue: 1 });
    expect(value!.paths.quality.satisfaction).toBe(plsPathModel(without, model).paths.quality.satisfaction);
  });

  it('class 4: plsPathModel counts a respondent with both a null and an infinite answer as missingAnswer', () => {
    const hostile = { ...survey, q1: [Infinity, ...survey.q1.slice(1)], s1: [NaN, ...survey.s1.slice(1)] };
    expect(plsPathModel(hostile, model).rows.dropped).toEqual({ missingAnswer: 1 });
  });

  it('class 4: plsPathModel refuses answers whose variance overflows (was a plausible, wrong path)', () => {
    const hostile = { ...survey, q1: survey.q1.map((v) => v * 1e200) };
    const e = refuses([hostile], () => plsPathModel(hostile, model), 'INVALID_VALUE', 'column "q1"', 'overflows');
    expect(e.column).toBe('q1');
  });
});

describe('hostile numbers: the abc rounding bug and exact thresholds (class 10)', () => {
  it('class 10: abc puts e (47) in class B after a 139 and f 49 (188/235 is exactly 0.8), regression', () => {
    const sales = { customer: ['a', 'f', 'e'], amount: [139, 49, 47] };
    const { value } = unchangedAfter([sales], () => abc(sales));
    expect(Array.from(value!.getChild('class')!.toArray())).toEqual(['A', 'A', 'B']);
    expect(value!.getChild('cumulativeShare')!.get(1)).toBe(0.8);
  });

  it('class 10: abc classes equal an exact BigInt classifier on random integer values and cut-offs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 3 }),
        (values, percents) => {
          const cutoffs = [...percents].sort((a, b) => a - b).map((p) => p / 100);
          const keys = values.map((_, i) => `k${String(i).padStart(2, '0')}`);
          const got = abc({ customer: keys, amount: values }, { cutoffs });
          expect(Array.from(got.getChild('class')!.toArray())).toEqual(abcByFractions(keys, values, cutoffs));
        },
      ),
    );
  });

  it('class 10: abc on values that sit exactly on 0.95 puts the next key in class C', () => {
    // 95 of 100 before the last key: it is C (the share before it has reached 0.95)
    const sales = { customer: ['a', 'b', 'c'], amount: [80, 15, 5] };
    expect(Array.from(abc(sales).getChild('class')!.toArray())).toEqual(['A', 'B', 'C']);
  });

  it('class 10: valueLoyaltyMatrix reads the 0.8 cut-off exactly too (e is not high value)', () => {
    const t = { customer: ['a', 'f', 'e'], monetary: [139, 49, 47], frequency: [1, 2, 3] };
    const m = valueLoyaltyMatrix(t);
    expect(Array.from(m.getChild('highValue')!.toArray())).toEqual([1, 1, 0]);
  });

  it('class 10: rfm quantile breaks sit on the order statistic when (n − 1)·j/bins is whole (91 customers, 7th decile)', () => {
    // (91 − 1) · 0.7 is 62.99999999999999 in floating point; the break must be x(63) exactly, so x(63) scores 7, not 8
    const summary = {
      customer: Array.from({ length: 91 }, (_, i) => `c${i}`),
      recency: Array.from({ length: 91 }, () => 1),
      frequency: Array.from({ length: 91 }, () => 1),
      monetary: Array.from({ length: 91 }, (_, i) => i * 0.1 + 1 / 3),
    };
    const o = { recency: 'recency', bins: 10 };
    const t = rfm(summary, o);
    const breaks = JSON.parse(t.schema.metadata.get('clientele.breaks')!).monetary as number[];
    const sorted = [...summary.monetary].sort((a, b) => a - b);
    expect(breaks[6]).toBe(sorted[63]);
    const m = t.getChild('m')!.toArray();
    expect(m[summary.monetary.indexOf(sorted[63])]).toBe(7);
  });

  it('class 10: rfm breaks stay finite and ordered on monetary values near ±1e308', () => {
    const summary = {
      customer: ['a', 'b', 'c', 'd', 'e'],
      recency: [1, 2, 3, 4, 5],
      frequency: [1, 2, 3, 4, 5],
      monetary: [-1.7e308, -1e308, 0, 1e308, 1.7e308],
    };
    const t = rfm(summary, { recency: 'recency' });
    const breaks = JSON.parse(t.schema.metadata.get('clientele.breaks')!).monetary as number[];
    expect(breaks.every(Number.isFinite)).toBe(true);
    expect(Array.from(t.getChild('m')!.toArray())).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('hostile numbers: degenerate data (class 9)', () => {
  const survey = makeSurvey(40);
  const modeB = pathModel({
    blocks: { quality: ['q1', 'q2'], satisfaction: ['s1', 's2'] },
    paths: [['quality', 'satisfaction']],
    modes: { quality: 'B' },
  });

  it('class 9: identical questions in a mode-B block are NOT_IDENTIFIED naming the block and both questions', () => {
    const hostile = { ...survey, q2: survey.q1 };
    const e = refuses(
      [hostile],
      () => plsPathModel(hostile, modeB),
      'NOT_IDENTIFIED',
      'block "quality"',
      '"q2"',
      '"q1"',
      'mode A',
    );
    expect(e.column).toBe('q2');
  });

  it('class 9: a mode-B question that is 2·q1 + 1 is NOT_IDENTIFIED too (collinear, not identical)', () => {
    const hostile = { ...survey, q2: survey.q1.map((v) => 2 * v + 1) };
    refuses([hostile], () => plsPathModel(hostile, modeB), 'NOT_IDENTIFIED', '"q2"');
  });

  it('class 9: a third mode-B question q3 = q1 + q2 is named as the collinear one', () => {
    const hostile = { ...survey, q3: survey.q1.map((v, i) => v + survey.q2[i]) };
    const three = pathModel({
      blocks: { quality: ['q1', 'q2', 'q3'], satisfaction: ['s1', 's2'] },
      paths: [['quality', 'satisfaction']],
      modes: { quality: 'B' },
    });
    expect(refuses([hostile], () => plsPathModel(hostile, three), 'NOT_IDENTIFIED', '"q3"').column).toBe('q3');
  });

  it('class 9: a constant question is INVALID_VALUE naming it and its block', () => {
    const hostile = { ...survey, q2: survey.q1.map(() => 3) };
    const model = pathModel({
      blocks: { quality: ['q1', 'q2'], satisfaction: ['s1', 's2'] },
      paths: [['quality', 'satisfaction']],
    });
    refuses([hostile], () => plsPathModel(hostile, model), 'INVALID_VALUE', '"q2"', 'block "quality"');
  });

  it('class 9: one respondent is too few for plsPathModel (INVALID_INPUT)', () => {
    const one = { q1: [1], q2: [2], s1: [3], s2: [1] };
    refuses([one], () => plsPathModel(one, modeB), 'INVALID_INPUT', 'too few');
  });

  it('class 9: chooseK on identical points is NOT_IDENTIFIED, not an elbow', () => {
    const t = { x: [1, 1, 1, 1, 1, 1], y: [2, 2, 2, 2, 2, 2] };
    const o = { columns: ['x', 'y'], seed: 1, kRange: [2, 4] as [number, number] };
    refuses([t, o], () => chooseK(t, o), 'NOT_IDENTIFIED', 'one distinct point', 'no structure');
  });

  it('class 9: chooseK with 2 distinct points tries only k = 2 and warns', () => {
    const t = { x: [1, 1, 1, 5, 5, 5], y: [2, 2, 2, 2, 2, 2] };
    const o = { columns: ['x', 'y'], seed: 1, kRange: [2, 5] as [number, number] };
    const { value } = unchangedAfter([t, o], () => chooseK(t, o));
    expect(value!.k).toBe(2);
    expect(Array.from(value!.scores.getChild('k')!.toArray())).toEqual([2]);
    expect(value!.warnings[0]).toContain('only 2 distinct points');
  });

  it('class 9: chooseK with fewer distinct points than the smallest k is NOT_IDENTIFIED and suggests kRange', () => {
    const t = { x: [1, 1, 1, 5, 5, 5], y: [0, 0, 0, 0, 0, 0] };
    const o = { columns: ['x', 'y'], seed: 1, kRange: [3, 5] as [number, number] };
    refuses([t, o], () => chooseK(t, o), 'NOT_IDENTIFIED', 'only 2 distinct points', 'kRange [2, 2]');
  });

  it('class 9: kmeans with k above the distinct points warns and names the largest useful k', () => {
    const t = { x: [1, 1, 2, 2], y: [2, 2, 3, 3] };
    const { value } = unchangedAfter([t], () => kmeans(t, { k: 3, columns: ['x', 'y'], seed: 1 }));
    expect(value!.warnings.join(' ')).toContain('choose k ≤ 2');
  });

  it('class 9: gini of all-zero values is 0 and of a single value is 0 (documented)', () => {
    expect([gini([0, 0, 0]), gini([42])]).toEqual([0, 0]);
  });

  it('class 9: abc of all-zero amounts is INVALID_VALUE naming the column', () => {
    const sales = { customer: ['a', 'b'], amount: [0, 0] };
    expect(refuses([sales], () => abc(sales), 'INVALID_VALUE', 'no key has a positive value').column).toBe('amount');
  });

  it('class 9: paretoCurve and topShare of all-zero values are INVALID_VALUE (no total to share; was a flat 0 curve)', () => {
    const values = [0, 0, 0];
    refuses([values], () => paretoCurve(values), 'INVALID_VALUE', 'no value is positive');
    refuses([values], () => topShare(values), 'INVALID_VALUE', 'no value is positive');
  });

  it('class 9: abc of a single customer is class A with the whole share', () => {
    const t = abc({ customer: ['only'], amount: [5] });
    expect([t.getChild('class')!.get(0), t.getChild('share')!.get(0)]).toEqual(['A', 1]);
  });

  it('class 9: satisfactionLoyalty with one respondent is INVALID_VALUE (no curve)', () => {
    const t = { sat: [20], loy: [30] };
    const o = { satisfaction: 'sat', loyalty: 'loy', scale: [0, 100] as [number, number] };
    refuses([t, o], () => satisfactionLoyalty(t, o), 'INVALID_VALUE', 'at least 3 distinct');
  });

  it('class 9: integer counts around 2^53 keep their frequency exactly in rfm summary input (scores ordered)', () => {
    const summary = {
      customer: ['a', 'b', 'c'],
      recency: [1, 2, 3],
      frequency: [2 ** 53, 2 ** 53 - 1, 1],
      monetary: [1, 2, 3],
    };
    const t = rfm(summary, { recency: 'recency' });
    expect(Array.from(t.getChild('frequency')!.toArray())).toEqual([2 ** 53, 2 ** 53 - 1, 1]);
    const f = Array.from(t.getChild('f')!.toArray() as Int8Array);
    expect(f[0] >= f[1] && f[1] > f[2]).toBe(true); // a break between 2^53 − 1 and 2^53 rounds onto one of them
  });
});

/** A small deterministic survey on a 1–10 scale: four correlated questions. */
function makeSurvey(n: number): Record<'q1' | 'q2' | 's1' | 's2', number[]> {
  let seed = 3;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const q = Array.from({ length: n }, () => 1 + Math.floor(next() * 10));
  const clamp = (v: number) => Math.min(10, Math.max(1, v));
  return {
    q1: q,
    q2: q.map((v, i) => clamp(v + (i % 3) - 1)),
    s1: q.map((v, i) => clamp(v + (i % 5) - 2)),
    s2: q.map((v, i) => clamp(v + (i % 4) - 1)),
  };
}
