import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import { explainSegments } from '../../src/segment/explain-segments';
import type { SegmentExplanation } from '../../src/segment/explain-segments';
import { expectCode } from '../helpers/errors';

type Point = Record<string, number>;

/** The rule a point meets, evaluated from the printed conditions alone. */
function rulesMet(result: SegmentExplanation, point: Point): number[] {
  return result.rules
    .map((rule, r) =>
      rule.conditions.every((c) => (c.op === '≤' ? point[c.feature] <= c.threshold : point[c.feature] > c.threshold))
        ? r
        : -1,
    )
    .filter((r) => r >= 0);
}

/** Accuracy, and per segment recall and precision, recomputed by hand from each row's rule. */
function byHand(result: SegmentExplanation, points: Point[], labels: number[]) {
  let correct = 0;
  const rows = new Map<number, number>();
  const predicted = new Map<number, number>();
  const hits = new Map<number, number>();
  points.forEach((p, i) => {
    const [r] = rulesMet(result, p);
    const segment = result.rules[r].segment as number;
    rows.set(labels[i], (rows.get(labels[i]) ?? 0) + 1);
    predicted.set(segment, (predicted.get(segment) ?? 0) + 1);
    if (segment === labels[i]) {
      correct++;
      hits.set(segment, (hits.get(segment) ?? 0) + 1);
    }
  });
  return { accuracy: correct / points.length, rows, predicted, hits };
}

describe('explainSegments', () => {
  it('recovers "segment 0 iff x ≤ 5" as one split between the clusters, 100 % pure', () => {
    const x = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12];
    const labels = x.map((v) => (v <= 5 ? 0 : 1));
    const result = explainSegments({ x, noise: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3] }, labels, { columns: ['x', 'noise'] });
    // the threshold is the roundest number in [5, 8) nearest the midpoint 6.5: 7
    expect(result.text).toEqual(['x ≤ 7 → segment 0, 100% pure', 'x > 7 → segment 1, 100% pure']);
    expect(result.rules.map((r) => [r.segment, r.support, r.purity])).toEqual([
      [0, 5, 1],
      [1, 5, 1],
    ]);
    expect(result.rules[0].conditions).toEqual([{ feature: 'x', op: '≤', threshold: 7 }]);
    expect([result.accuracy, result.depth, result.leaves]).toEqual([1, 1, 2]);
    expect(result.features).toEqual(['x', 'noise']);
    expect(result.rows).toEqual({ rows: 10, kept: 10, dropped: {}, firstRow: {}, total: 0 });
  });

  it('explains three segments with ranges and units; accuracy, recall and precision match a recount by hand', () => {
    // segment 1 is recent and frequent, 2 recent and rare, 0 lapsed; one row of 0 sits among the 2s
    const recency = [5, 8, 12, 20, 25, 7, 9, 15, 22, 28, 90, 120, 150, 200, 240, 10];
    const frequency = [9, 12, 8, 10, 11, 1, 2, 1, 3, 2, 1, 4, 2, 6, 1, 1];
    const labels = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0];
    const result = explainSegments({ recency, frequency }, Int32Array.from(labels), {
      columns: ['recency', 'frequency'],
      maxDepth: 2,
      units: { recency: 'days', frequency: 'orders' },
    });
    // Gini gains at the root, by hand: frequency < 7 leaves {6 × 0, 5 × 2} | {5 × 1}: 0.664 − (11/16)(1 − 61/121) = 0.323;
    // recency < 59 leaves {5 × 1, 5 × 2, 1 × 0} | {5 × 0}: 0.664 − (11/16)(1 − 51/121) = 0.266 — frequency wins.
    // Thresholds: roundest in [6, 8) is 7, in [28, 90) nearest the midpoint 59 on the grid of 10 is 60.
    expect(result.text).toEqual([
      'frequency ≤ 7 orders and recency > 60 days → segment 0, 100% pure',
      'frequency > 7 orders → segment 1, 100% pure',
      'frequency ≤ 7 orders and recency ≤ 60 days → segment 2, 83% pure',
    ]);
    const points = recency.map((r, i) => ({ recency: r, frequency: frequency[i] }));
    const hand = byHand(result, points, labels);
    expect(result.accuracy).toBeCloseTo(hand.accuracy, 15);
    expect(result.accuracy).toBeCloseTo(15 / 16, 15);
    for (const s of result.perSegment) {
      const segment = s.segment as number;
      expect(s.rows).toBe(hand.rows.get(segment));
      expect(s.predicted).toBe(hand.predicted.get(segment) ?? 0);
      expect(s.recall).toBeCloseTo((hand.hits.get(segment) ?? 0) / hand.rows.get(segment)!, 15);
      expect(s.precision).toBeCloseTo((hand.hits.get(segment) ?? 0) / hand.predicted.get(segment)!, 15);
    }
    expect(result.perSegment.map((s) => [s.segment, s.rows, s.predicted, s.correct])).toEqual([
      [0, 6, 5, 5],
      [1, 5, 5, 5],
      [2, 5, 6, 5],
    ]);
  });

  it('prints a range when a feature is split twice on one path', () => {
    const spend = Array.from({ length: 30 }, (_, i) => (i + 1) * 10);
    const labels = spend.map((v) => (v > 100 && v <= 200 ? 1 : 0));
    const result = explainSegments({ spend }, labels, { columns: ['spend'], units: { spend: '€' } });
    expect(result.text).toContain('100 < spend ≤ 200 € → segment 1, 100% pure');
    expect(result.depth).toBe(2);
  });

  it('reads labels from a numeric column, a text column, a dictionary column and a kmeans-like result', () => {
    const x = [1, 2, 3, 10, 11, 12];
    const numeric = explainSegments({ x, seg: [7, 7, 7, 3, 3, 3] }, 'seg', { columns: ['x'] });
    expect(numeric.text).toEqual(['x > 7 → segment 3, 100% pure', 'x ≤ 7 → segment 7, 100% pure']);
    expect(numeric.perSegment.map((s) => s.segment)).toEqual([3, 7]); // segments in number order

    const text = explainSegments({ x, seg: ['gold', 'gold', 'gold', 'bronze', 'bronze', 'bronze'] }, 'seg', {
      columns: ['x'],
    });
    expect(text.text).toEqual(['x > 7 → bronze, 100% pure', 'x ≤ 7 → gold, 100% pure']);

    const dictionary = makeVector(
      makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length: 6,
        nullCount: 0,
        data: Int32Array.from([1, 1, 1, 0, 0, 0]),
        dictionary: vectorFromArray(['bronze', 'gold'], new Utf8()),
      }),
    );
    const table = new Table({ x: vectorFromArray(x), seg: dictionary });
    expect(explainSegments(table, 'seg', { columns: ['x'] }).text).toEqual(text.text);

    const fromModel = explainSegments({ x }, { labels: Int32Array.from([0, 0, 0, 1, 1, 1]) }, { columns: ['x'] });
    expect(fromModel.rules.map((r) => r.segment)).toEqual([0, 1]);
  });

  it('drops and counts rows not segmented (−1, null, NaN labels) and rows with a missing or infinite feature', () => {
    const result = explainSegments(
      { x: [1, 2, NaN, 3, 10, 11, Infinity, 12, 4, null], y: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      [0, 0, 0, -1, 1, 1, 1, 1, NaN, 0],
      { columns: ['x', 'y'] },
    );
    // row 2 NaN, row 6 Infinity, row 9 null → invalidValue; row 3 (−1) and row 8 (NaN label) → missingLabel
    expect(result.rows).toEqual({
      rows: 10,
      kept: 5,
      dropped: { invalidValue: 3, missingLabel: 2 },
      firstRow: { invalidValue: 2, missingLabel: 3 },
      total: 5,
    });
    expect(result.rules.reduce((s, r) => s + r.support, 0)).toBe(5);

    const column = explainSegments({ x: [1, 2, 3, 10, 11], seg: [0, null, 0, 1, -1] }, 'seg', { columns: ['x'] });
    expect(column.rows.dropped).toEqual({ missingLabel: 2 });
    expect(column.rows.firstRow).toEqual({ missingLabel: 1 });
  });

  it('every row meets exactly one rule; supports sum to the rows kept; purity in (0, 1]; accuracy recounts (property)', () => {
    const data = fc.integer({ min: 1, max: 60 }).chain((n) =>
      fc.record({
        a: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: n, maxLength: n }),
        b: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        labels: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: n, maxLength: n }),
        maxDepth: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(data, ({ a, b, labels, maxDepth }) => {
        fc.pre(labels.some((l) => l >= 0));
        const result = explainSegments({ a, b }, labels, { columns: ['a', 'b'], maxDepth, minLeafSize: 1 });
        const kept = labels.filter((l) => l >= 0).length;
        expect(result.rows.kept).toBe(kept);
        expect(result.rows.dropped).toEqual(kept < labels.length ? { missingLabel: labels.length - kept } : {});
        expect(result.rules.reduce((s, r) => s + r.support, 0)).toBe(kept);
        expect(result.leaves).toBe(result.rules.length);
        expect(result.depth).toBeLessThanOrEqual(maxDepth);
        for (const rule of result.rules) {
          expect(rule.purity).toBeGreaterThan(0);
          expect(rule.purity).toBeLessThanOrEqual(1);
        }
        const points = a.map((v, i) => ({ a: v, b: b[i] })).filter((_, i) => labels[i] >= 0);
        const kept_labels = labels.filter((l) => l >= 0);
        for (const p of points) expect(rulesMet(result, p)).toHaveLength(1);
        expect(result.accuracy).toBeCloseTo(byHand(result, points, kept_labels).accuracy, 12);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic for a seed when it fits on a sample, and still counts every row', () => {
    const rng = randomSource(11);
    const n = 5000;
    const recency = Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 365));
    const frequency = Float64Array.from({ length: n }, () => rng.poisson(3));
    const labels = Int32Array.from({ length: n }, (_, i) => (recency[i] > 180 ? 0 : frequency[i] > 4 ? 1 : 2));
    const options = { columns: ['recency', 'frequency'], maxFitRows: 300, seed: 4 };
    const first = explainSegments({ recency, frequency }, labels, options);
    expect(explainSegments({ recency, frequency }, labels, options)).toEqual(first);
    expect(first.rules.reduce((s, r) => s + r.support, 0)).toBe(n);
    // the cuts are chosen again on all rows: the planted rule comes back exactly
    expect(first.text).toEqual([
      'recency > 180 → segment 0, 100% pure',
      'recency ≤ 180 and frequency > 4 → segment 1, 100% pure',
      'recency ≤ 180 and frequency ≤ 4 → segment 2, 100% pure',
    ]);
  });

  it('keeps every rule at minLeafSize rows or more (default 1 % of the rows kept)', () => {
    const rng = randomSource(2);
    const n = 2000;
    const x = Float64Array.from({ length: n }, () => rng.uniform());
    const labels = Int32Array.from({ length: n }, (_, i) => (rng.uniform() < 0.3 + 0.4 * x[i] ? 1 : 0));
    for (const [minLeafSize, floor] of [
      [undefined, 20],
      [150, 150],
    ] as const) {
      const result = explainSegments({ x }, labels, { columns: ['x'], maxDepth: 6, minLeafSize });
      for (const rule of result.rules) expect(rule.support).toBeGreaterThanOrEqual(floor);
    }
  });

  it('leaves frozen inputs unchanged and returns a frozen result', () => {
    const records = Object.freeze([
      Object.freeze({ x: 1 }),
      Object.freeze({ x: 2 }),
      Object.freeze({ x: 8 }),
      Object.freeze({ x: 9 }),
    ]);
    const labels = Object.freeze([0, 0, 1, 1]);
    const options = Object.freeze({ columns: Object.freeze(['x']), units: Object.freeze({ x: 'kg' }) });
    const snapshot = JSON.stringify([records, labels, options]);
    const result = explainSegments(records, labels, options);
    expect(JSON.stringify([records, labels, options])).toBe(snapshot);
    expect(result.text).toEqual(['x ≤ 5 kg → segment 0, 100% pure', 'x > 5 kg → segment 1, 100% pure']);
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.rules[0])).toBe(true);
    expect(Object.isFrozen(result.rules[0].conditions[0])).toBe(true);
    expect(Object.isFrozen(result.perSegment)).toBe(true);
    expect(Object.isFrozen(result.rows.dropped)).toBe(true);
    const typed = Int32Array.from([0, 0, 1, 1]);
    explainSegments({ x: [1, 2, 8, 9] }, typed, { columns: ['x'] });
    expect(Array.from(typed)).toEqual([0, 0, 1, 1]);
  });

  describe('bad input', () => {
    const table = { x: [1, 2, 3], name: ['a', 'b', 'c'] };
    it('a missing feature or label column → MISSING_COLUMN naming it', () => {
      expectCode(
        () => explainSegments(table, [0, 1, 1], { columns: ['x', 'recency'] }),
        'MISSING_COLUMN',
        '"recency"',
        'option columns',
      );
      expectCode(
        () => explainSegments(table, 'segment', { columns: ['x'] }),
        'MISSING_COLUMN',
        '"segment"',
        'option labels',
      );
    });
    it('a text feature → INVALID_TYPE naming the column', () =>
      expectCode(() => explainSegments(table, [0, 1, 1], { columns: ['name'] }), 'INVALID_TYPE', '"name"'));
    it('labels of the wrong length or kind → INVALID_OPTION', () => {
      expectCode(
        () => explainSegments(table, [0, 1], { columns: ['x'] }),
        'INVALID_OPTION',
        'labels has 2 values',
        '3 rows',
      );
      expectCode(() => explainSegments(table, 42 as never, { columns: ['x'] }), 'INVALID_OPTION', 'labels', 'found 42');
    });
    it('a label that is not a segment number → INVALID_VALUE naming the row', () => {
      expectCode(() => explainSegments(table, [0, 1.5, 1], { columns: ['x'] }), 'INVALID_VALUE', 'row 1', '1.5');
      expectCode(() => explainSegments(table, [0, -2, 1], { columns: ['x'] }), 'INVALID_VALUE', 'row 1', '-2');
    });
    it('bad options → INVALID_OPTION naming the option', () => {
      expectCode(() => explainSegments(table, [0, 1, 1], { columns: [] }), 'INVALID_OPTION', 'option columns');
      expectCode(() => explainSegments(table, [0, 1, 1], { columns: ['x', 'x'] }), 'INVALID_OPTION', '"x" twice');
      expectCode(
        () => explainSegments(table, [0, 1, 1], { columns: ['x'], maxDepth: 0 }),
        'INVALID_OPTION',
        'maxDepth',
        'found 0',
      );
      expectCode(
        () => explainSegments(table, [0, 1, 1], { columns: ['x'], minLeafSize: 1.5 }),
        'INVALID_OPTION',
        'minLeafSize',
      );
      expectCode(() => explainSegments(table, [0, 1, 1], { columns: ['x'], seed: NaN }), 'INVALID_OPTION', 'seed');
      expectCode(
        () => explainSegments(table, [0, 1, 1], { columns: ['x'], units: { x: 3 } as never }),
        'INVALID_OPTION',
        'units',
      );
      expectCode(() => explainSegments(table, [0, 1, 1], undefined as never), 'INVALID_OPTION', 'columns');
    });
    it('no rows, or every row dropped → EMPTY_INPUT listing the reasons', () => {
      expectCode(() => explainSegments({ x: [] }, [], { columns: ['x'] }), 'EMPTY_INPUT', 'no rows');
      expectCode(() => explainSegments({ x: [1, 2] }, [-1, -1], { columns: ['x'] }), 'EMPTY_INPUT', 'missingLabel');
      expectCode(() => explainSegments({ x: [NaN, 2] }, [0, -1], { columns: ['x'] }), 'EMPTY_INPUT', 'invalidValue');
    });
  });
});
