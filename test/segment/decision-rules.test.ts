import fc from 'fast-check';
import { DecisionTreeClassifier } from 'ml-cart';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import {
  conditionText,
  fitDecisionTree,
  formatPercent,
  roundestBetween,
  routeRows,
  stratifiedSample,
  stratifiedSplit,
} from '../../src/segment/decision-rules';
import type { DecisionTree, RuleCondition } from '../../src/segment/decision-rules';

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function fit(
  columns: number[][],
  classes: number[],
  options: { maxDepth?: number; minLeafSize?: number; maxFitRows?: number; seed?: number } = {},
): DecisionTree {
  const k = Math.max(...classes) + 1;
  return fitDecisionTree(
    columns.map((c) => Float64Array.from(c)),
    Int32Array.from(classes),
    range(classes.length),
    {
      features: columns.map((_, j) => `x${j}`),
      classCount: k,
      maxDepth: options.maxDepth ?? 3,
      minLeafSize: options.minLeafSize ?? 1,
      maxFitRows: options.maxFitRows ?? 10_000,
      rng: randomSource(options.seed ?? 1),
    },
  );
}

/** Whether a point meets every condition of a rule, evaluated from the conditions alone. */
function meets(conditions: readonly RuleCondition[], point: Record<string, number>): boolean {
  return conditions.every((c) => (c.op === '≤' ? point[c.feature] <= c.threshold : point[c.feature] > c.threshold));
}

/** Significant digits of a number as JavaScript prints it. */
function significantDigits(x: number): number {
  const digits = Math.abs(x).toExponential().split('e')[0].replace('.', '');
  return digits.replace(/0+$/, '').length || 1;
}

describe('roundestBetween', () => {
  it('picks the roundest number in [a, b), nearest the midpoint: the documented cases', () => {
    expect(roundestBetween(45, 46)).toBe(45); // integer data: "≤ 45", not 45.5
    expect(roundestBetween(10, 1000)).toBe(500);
    expect(roundestBetween(0.5, 0.7)).toBe(0.6);
    expect(roundestBetween(0.12345, 0.12346)).toBe(0.12345);
    expect(roundestBetween(-46, -45)).toBe(-46);
    expect(roundestBetween(119.97, 120.01)).toBe(120);
    expect(roundestBetween(5, 10)).toBe(8); // grid of 1: 5…9, nearest 7.5 rounding half up
    expect(roundestBetween(-0.5, 0.5)).toBe(0);
    expect(roundestBetween(2365.01, 2365.02)).toBe(2365.01); // 2365.01 · 100 is 236501.00000000003 in doubles
  });

  it('always lies in [a, b), with no more significant digits than a (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(1, 10, 100, 1000),
        (i, w, scale) => {
          const a = i / scale;
          const b = (i + w) / scale;
          const p = roundestBetween(a, b);
          expect(p).toBeGreaterThanOrEqual(a);
          expect(p).toBeLessThan(b);
          if (a !== 0) expect(significantDigits(p)).toBeLessThanOrEqual(significantDigits(a));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays in [a, b) for arbitrary doubles, adjacent ones included (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        (x, y) => {
          fc.pre(x !== y);
          const [a, b] = x < y ? [x, y] : [y, x];
          const p = roundestBetween(a, b);
          expect(p >= a && p < b).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    const a = 1;
    const b = 1 + Number.EPSILON;
    expect(roundestBetween(a, b)).toBe(1);
    expect(roundestBetween(0.1, 0.1 + 2 ** -56)).toBe(0.1);
  });
});

describe('fitDecisionTree', () => {
  it('finds the one split between two clusters, 100 % pure (class 0 iff x ≤ 5)', () => {
    const x = [1, 2, 3, 4, 5, 10, 11, 12, 13, 14];
    const tree = fit([x], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(tree.depth).toBe(1);
    expect(tree.leaves.length).toBe(2);
    const [low, high] = tree.leaves;
    // the roundest number in [5, 10): any threshold there separates the clusters; this one is 8
    expect(low.conditions).toEqual([{ feature: 'x0', op: '≤', threshold: 8 }]);
    expect(high.conditions).toEqual([{ feature: 'x0', op: '>', threshold: 8 }]);
    expect([low.predicted, low.support, low.purity, low.counts]).toEqual([0, 5, 1, [5, 0]]);
    expect([high.predicted, high.support, high.purity, high.counts]).toEqual([1, 5, 1, [0, 5]]);
    expect(Array.from(routeRows(tree, [Float64Array.from([-100, 5, 7.99, 8, 8.01, 100])], 6))).toEqual([
      0, 0, 0, 0, 1, 1,
    ]);
  });

  it('merges a feature split twice on one path into a range: "10 < x0 ≤ 20"', () => {
    const x = Array.from({ length: 30 }, (_, i) => i + 1);
    const classes = x.map((v) => (v > 10 && v <= 20 ? 1 : 0));
    const tree = fit([x], classes);
    const middle = tree.leaves.find((l) => l.predicted === 1)!;
    expect(middle.conditions).toEqual([
      { feature: 'x0', op: '>', threshold: 10 },
      { feature: 'x0', op: '≤', threshold: 20 },
    ]);
    expect(conditionText(middle.conditions, { x0: 'days' })).toBe('10 < x0 ≤ 20 days');
    expect(tree.leaves.every((l) => l.purity === 1)).toBe(true);
    expect(tree.leaves.map((l) => l.support).sort()).toEqual([10, 10, 10]);
  });

  it('gives the same predictions on its training rows as ml-cart itself (conformance, property)', () => {
    const data = fc.integer({ min: 2, max: 60 }).chain((n) =>
      fc.record({
        x: fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: n, maxLength: n }), {
          minLength: 1,
          maxLength: 3,
        }),
        y: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
        depth: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(data, ({ x, y, depth }) => {
        fc.pre(new Set(y).size > 1 || y[0] === 0);
        const n = y.length;
        const tree = fit(x, y, { maxDepth: depth });
        const cart = new DecisionTreeClassifier({
          gainFunction: 'gini',
          maxDepth: depth,
          minNumSamples: 1,
          gainThreshold: 1e-10,
        });
        const rows = Array.from({ length: n }, (_, i) => x.map((c) => c[i]));
        cart.train(rows, y);
        const leaves = routeRows(
          tree,
          x.map((c) => Float64Array.from(c)),
          n,
        );
        expect(Array.from(leaves, (l) => tree.leaves[l].predicted)).toEqual(cart.predict(rows));
      }),
      { numRuns: 150 },
    );
  });

  it('routes every row to exactly one leaf; supports sum to the rows, purity in (0, 1]; the rules partition the space (property)', () => {
    const data = fc.integer({ min: 1, max: 80 }).chain((n) =>
      fc.record({
        x: fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: n, maxLength: n }), {
          minLength: 1,
          maxLength: 3,
        }),
        y: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
        depth: fc.integer({ min: 1, max: 5 }),
        minLeafSize: fc.integer({ min: 1, max: 6 }),
        points: fc.array(fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 10,
        }),
      }),
    );
    fc.assert(
      fc.property(data, ({ x, y, depth, minLeafSize, points }) => {
        const n = y.length;
        const tree = fit(x, y, { maxDepth: depth, minLeafSize });
        const columns = x.map((c) => Float64Array.from(c));
        const leaves = routeRows(tree, columns, n);
        const reached = new Array<number>(tree.leaves.length).fill(0);
        for (let i = 0; i < n; i++) reached[leaves[i]]++;
        expect(reached).toEqual(tree.leaves.map((l) => l.support));
        expect(tree.leaves.reduce((s, l) => s + l.support, 0)).toBe(n);
        for (const leaf of tree.leaves) {
          expect(leaf.purity).toBeGreaterThan(0);
          expect(leaf.purity).toBeLessThanOrEqual(1);
          expect(leaf.counts.reduce((s, c) => s + c, 0)).toBe(leaf.support);
          expect(leaf.depth).toBeLessThanOrEqual(depth);
          if (tree.leaves.length > 1) expect(leaf.support).toBeGreaterThanOrEqual(minLeafSize);
        }
        // the training rows and random points each meet exactly one rule's conditions: the one of their leaf
        const all = [
          ...Array.from({ length: n }, (_, i) => x.map((c) => c[i])),
          ...points.map((p) => p.slice(0, x.length)),
        ];
        const pointColumns = x.map((_, j) => Float64Array.from(all, (p) => p[j]));
        const pointLeaves = routeRows(tree, pointColumns, all.length);
        all.forEach((p, r) => {
          const named = Object.fromEntries(p.map((v, j) => [`x${j}`, v]));
          const matching = tree.leaves.map((l, li) => (meets(l.conditions, named) ? li : -1)).filter((li) => li >= 0);
          expect(matching).toEqual([pointLeaves[r]]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('undoes splits that leave fewer than minLeafSize rows on a side', () => {
    // two outliers of class 1 at the top: a split isolating them is made with minLeafSize 1, undone with 3
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 50, 51];
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    expect(fit([x], y, { minLeafSize: 1 }).leaves.map((l) => l.support)).toEqual([8, 2]);
    const pruned = fit([x], y, { minLeafSize: 3 });
    expect(pruned.leaves.map((l) => l.support)).toEqual([10]);
    expect(pruned.leaves[0].conditions).toEqual([]);
    expect(pruned.depth).toBe(0);
    expect(conditionText(pruned.leaves[0].conditions)).toBe('all rows');
  });

  it('reads row-major data as the same tree as columns', () => {
    const x0 = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const x1 = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5];
    const y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1];
    const byColumns = fit([x0, x1], y);
    const values = Float64Array.from(x0.flatMap((v, i) => [v, x1[i]]));
    const byRows = fitDecisionTree({ values, dimension: 2 }, Int32Array.from(y), range(12), {
      features: ['x0', 'x1'],
      classCount: 2,
      maxDepth: 3,
      minLeafSize: 1,
      maxFitRows: 10_000,
      rng: randomSource(1),
    });
    expect(byRows).toEqual(byColumns);
  });

  it('fits on a stratified sample above maxFitRows, counts every row, and is deterministic for a seed', () => {
    const rng = randomSource(5);
    const n = 3000;
    const x = Array.from({ length: n }, () => rng.uniform() * 100);
    const y = x.map((v) => (v > 30 ? 1 : 0));
    const a = fit([x], y, { maxFitRows: 200, seed: 9 });
    const b = fit([x], y, { maxFitRows: 200, seed: 9 });
    expect(a).toEqual(b);
    expect([a.fittedRows, a.countedRows]).toEqual([200, n]);
    expect(a.leaves.reduce((s, l) => s + l.support, 0)).toBe(n);
    // the exact split between the two values around 30 survives the sample: every row is on its side
    expect(a.leaves.every((l) => l.purity === 1)).toBe(true);
  });

  it('returns a frozen tree', () => {
    const tree = fit([[1, 2, 3, 4]], [0, 0, 1, 1]);
    expect(Object.isFrozen(tree)).toBe(true);
    expect(Object.isFrozen(tree.leaves[0])).toBe(true);
    expect(Object.isFrozen(tree.leaves[0].conditions)).toBe(true);
    expect(Object.isFrozen(tree.nodes)).toBe(true);
  });

  it('routes rows with a missing or infinite feature the tree splits on to −1', () => {
    const tree = fit(
      [
        [1, 2, 3, 4],
        [0, 0, 0, 0],
      ],
      [0, 0, 1, 1],
    );
    expect(
      Array.from(routeRows(tree, [Float64Array.from([1, NaN, Infinity, 4]), Float64Array.from([NaN, 0, 0, 0])], 4)),
    ).toEqual([0, -1, -1, 1]);
  });
});

describe('stratified sampling', () => {
  const classes = Int32Array.from({ length: 103 }, (_, i) => (i < 61 ? 0 : i < 94 ? 1 : 2));
  const rows = range(103);

  it('stratifiedSplit sends round(testShare · n_c) rows of each class to the test set, disjoint and sorted', () => {
    const { train, test } = stratifiedSplit(rows, classes, 3, 0.3, randomSource(1));
    const count = (set: Int32Array, c: number) => Array.from(set).filter((i) => classes[i] === c).length;
    expect([count(test, 0), count(test, 1), count(test, 2)]).toEqual([18, 10, 3]); // round(18.3), round(9.9), round(2.7)
    expect(train.length + test.length).toBe(103);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from(rows));
    expect(Array.from(test)).toEqual(Array.from(test).sort((a, b) => a - b));
    expect(Array.from(train)).toEqual(Array.from(train).sort((a, b) => a - b));
    for (let c = 0; c < 3; c++) {
      const n = count(rows, c);
      expect(Math.abs(count(test, c) - 0.3 * n)).toBeLessThanOrEqual(0.5);
    }
  });

  it('stratifiedSplit is deterministic for a seed and varies with it', () => {
    const a = stratifiedSplit(rows, classes, 3, 0.3, randomSource(4));
    const b = stratifiedSplit(rows, classes, 3, 0.3, randomSource(4));
    const c = stratifiedSplit(rows, classes, 3, 0.3, randomSource(5));
    expect(a).toEqual(b);
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('stratifiedSample keeps each class within one row of its share and sums to the size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 103 }), fc.integer({ min: 0, max: 1000 }), (size, seed) => {
        const sample = stratifiedSample(rows, classes, 3, size, randomSource(seed));
        expect(sample.length).toBe(size);
        expect(new Set(sample).size).toBe(size);
        for (let c = 0; c < 3; c++) {
          const n = Array.from(rows).filter((i) => classes[i] === c).length;
          const got = Array.from(sample).filter((i) => classes[i] === c).length;
          expect(Math.abs(got - (size * n) / 103)).toBeLessThan(1);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('rule text', () => {
  it('joins bounds into ranges, adds units after the last number, "%" without a space', () => {
    const conditions: RuleCondition[] = [
      { feature: 'recency', op: '>', threshold: 10 },
      { feature: 'recency', op: '≤', threshold: 45 },
      { feature: 'frequency', op: '>', threshold: 3 },
      { feature: 'share', op: '≤', threshold: 0.25 },
      { feature: 'discount', op: '≤', threshold: 20 },
    ];
    expect(conditionText(conditions, { recency: 'days', discount: '%' })).toBe(
      '10 < recency ≤ 45 days and frequency > 3 and share ≤ 0.25 and discount ≤ 20%',
    );
  });

  it('prints shares as whole percentages that say 0 % and 100 % only when exact', () => {
    expect([0, 0.004, 0.5, 0.906, 0.996, 1].map(formatPercent)).toEqual(['0%', '1%', '50%', '91%', '99%', '100%']);
  });
});
