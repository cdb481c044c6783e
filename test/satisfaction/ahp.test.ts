import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ahpWeights } from '../../src/satisfaction/index';
import { catchClientele, expectCode } from '../helpers/errors';

/** |actual − expected| ≤ tolerance, elementwise, with the position in the message. */
function expectNear(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) =>
    expect(Math.abs(actual[i] - e), `entry ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(tolerance),
  );
}

/** The principal eigenvector by brute force: w ← Aw / ΣAw until it stops moving (power iteration, Saaty 1980 §2). */
function powerIteration(a: number[][]): { w: number[]; lambda: number } {
  const n = a.length;
  let w = new Array<number>(n).fill(1 / n);
  let lambda = n;
  for (let k = 0; k < 100_000; k++) {
    const next = a.map((row) => row.reduce((s, x, j) => s + x * w[j], 0));
    lambda = next.reduce((s, x) => s + x, 0);
    const normalised = next.map((x) => x / lambda);
    const change = Math.max(...normalised.map((x, i) => Math.abs(x - w[i])));
    w = normalised;
    if (change < 1e-15) break;
  }
  return { w, lambda };
}

/** A reciprocal matrix from its upper triangle. */
function reciprocal(n: number, upper: number[]): number[][] {
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      a[i][j] = upper[k++];
      a[j][i] = 1 / a[i][j];
    }
  }
  return a;
}

const SAATY_SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('ahpWeights', () => {
  it('reproduces Saaty (1990), EJOR 48:9–26, house example: priorities, λmax 9.669, CI 0.238, CR 0.169 (printed to 3 decimals, ±5e-4)', () => {
    // criteria: size, transportation, neighbourhood, age, yard, modern facilities, general condition, financing
    const house = [
      [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
      [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
      [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
      [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
      [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
      [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
      [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
      [4, 7, 5, 8, 6, 6, 2, 1],
    ];
    const r = ahpWeights(house);
    expectNear(r.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], 5e-4);
    expect(Math.abs(r.lambdaMax - 9.669)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(r.consistencyIndex - 0.238)).toBeLessThanOrEqual(5e-4);
    expect(r.randomIndex).toBe(1.41);
    expect(Math.abs(r.consistencyRatio - 0.169)).toBeLessThanOrEqual(5e-4);
    expect(r.consistent).toBe(false); // Saaty: "the judgments should be revised"
    expect(ahpWeights(house, { consistencyThreshold: 0.2 }).consistent).toBe(true);
  });

  it('reproduces Saaty (2008), Int. J. Services Sciences 1(1):83–98, drink consumption in the US (printed to 3 decimals, ±5e-4)', () => {
    // coffee, wine, tea, beer, sodas, milk, water
    const drinks = [
      [1, 9, 5, 2, 1, 1, 1 / 2],
      [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
      [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
      [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
      [1, 9, 4, 2, 1, 2, 1 / 2],
      [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
      [2, 9, 9, 3, 2, 3, 1],
    ];
    const r = ahpWeights(drinks);
    expectNear(r.weights, [0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327], 5e-4);
    expect(r.consistent).toBe(true);
  });

  it('reproduces the Wikipedia "Analytic hierarchy process – leader example" (criteria .547/.127/.270/.056 and Tom/Dick/Harry on experience .217/.717/.066; ±1e-3, the page truncates)', () => {
    // experience, education, charisma, age; the exact eigenvector is 0.5476, 0.1266, 0.2699, 0.0559
    const criteria = ahpWeights([
      [1, 4, 3, 7],
      [1 / 4, 1, 1 / 3, 3],
      [1 / 3, 3, 1, 5],
      [1 / 7, 1 / 3, 1 / 5, 1],
    ]);
    expectNear(criteria.weights, [0.547, 0.127, 0.27, 0.056], 1e-3);
    expect(criteria.consistent).toBe(true);
    const experience = ahpWeights([
      [1, 1 / 4, 4],
      [4, 1, 9],
      [1 / 4, 1 / 9, 1],
    ]);
    expectNear(experience.weights, [0.217, 0.717, 0.066], 1e-3);
  });

  it('equals power iteration done by brute force on random reciprocal matrices of the 1/9…9 scale (property, 1e-9)', () => {
    const arb = fc
      .integer({ min: 1, max: 10 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.constantFrom(...SAATY_SCALE), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([n, upper]) => {
        const a = reciprocal(n, upper);
        const r = ahpWeights(a);
        const brute = powerIteration(a);
        expectNear(r.weights, brute.w, 1e-9);
        expect(Math.abs(r.lambdaMax - brute.lambda)).toBeLessThanOrEqual(1e-9 * n);
        expect(r.lambdaMax).toBeGreaterThanOrEqual(n); // Saaty (1977): λmax ≥ n
        expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        const ci = n <= 2 ? 0 : (brute.lambda - n) / (n - 1);
        expect(r.consistencyIndex).toBeCloseTo(Math.max(0, ci), 9);
      }),
      { numRuns: 200 },
    );
  });

  it('gives back w with λmax = n and CR = 0 for consistent matrices a_ij = w_i/w_j, by either method (property, 1e-12)', () => {
    const arb = fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(arb, (w) => {
        const n = w.length;
        const total = w.reduce((s, x) => s + x, 0);
        const a = w.map((wi) => w.map((wj) => wi / wj));
        for (const method of ['eigenvector', 'geometric-mean'] as const) {
          const r = ahpWeights(a, { method });
          r.weights.forEach((x, i) => expect(Math.abs(x - w[i] / total) / (w[i] / total)).toBeLessThanOrEqual(1e-12));
          expect(Math.abs(r.lambdaMax - n)).toBeLessThanOrEqual(1e-12 * n);
          expect(r.consistencyRatio).toBeLessThanOrEqual(1e-12);
          expect(r.consistent).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('uses row geometric means with method "geometric-mean", worked by hand on the leader criteria', () => {
    const a = [
      [1, 4, 3, 7],
      [1 / 4, 1, 1 / 3, 3],
      [1 / 3, 3, 1, 5],
      [1 / 7, 1 / 3, 1 / 5, 1],
    ];
    // row products 84, 1/4, 5, 1/105; fourth roots, normalised
    const roots = [84, 1 / 4, 5, 1 / 105].map((p) => p ** (1 / 4));
    const total = roots.reduce((s, x) => s + x, 0);
    const gm = ahpWeights(a, { method: 'geometric-mean' });
    expectNear(
      gm.weights,
      roots.map((x) => x / total),
      1e-15,
    );
    // λmax, CI and CR describe the matrix, whatever the weighting method
    const ev = ahpWeights(a);
    expect(gm.lambdaMax).toBe(ev.lambdaMax);
    expect(gm.consistencyRatio).toBe(ev.consistencyRatio);
  });

  it("divides by Saaty's random index for n = 1…15 and reports CI = CR = 0 for n ≤ 2", () => {
    const table = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];
    for (let n = 1; n <= 15; n++) {
      const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j + 1) / (i + 1)));
      expect(ahpWeights(a).randomIndex).toBe(table[n - 1]);
    }
    expect(ahpWeights([[1]])).toEqual({
      weights: [1],
      lambdaMax: 1,
      consistencyIndex: 0,
      randomIndex: 0,
      consistencyRatio: 0,
      consistent: true,
    });
    const two = ahpWeights([
      [1, 3],
      [1 / 3, 1],
    ]);
    expectNear(two.weights, [0.75, 0.25], 1e-15);
    expect([two.lambdaMax, two.consistencyIndex, two.consistencyRatio]).toEqual([2, 0, 0]);
    // a 3-cycle of preferences is reported as inconsistent, not rejected
    const cycle = ahpWeights([
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ]);
    expect(cycle.consistent).toBe(false);
    expectNear(cycle.weights, [1 / 3, 1 / 3, 1 / 3], 1e-12);
  });

  it('needs options.randomIndex beyond 15 × 15', () => {
    const a = Array.from({ length: 16 }, () => new Array<number>(16).fill(1));
    expectCode(() => ahpWeights(a), 'INVALID_VALUE', 'n = 16', 'randomIndex');
    expect(ahpWeights(a, { randomIndex: 1.6 }).randomIndex).toBe(1.6);
  });

  it('returns frozen results and leaves a frozen input alone', () => {
    const a = Object.freeze([Object.freeze([1, 2]), Object.freeze([1 / 2, 1])]);
    const r = ahpWeights(a);
    expect(Object.isFrozen(r) && Object.isFrozen(r.weights)).toBe(true);
    expect(a).toEqual([
      [1, 2],
      [1 / 2, 1],
    ]);
    // typed-array rows are read too
    expect(ahpWeights([Float64Array.of(1, 2), Float64Array.of(0.5, 1)]).weights).toEqual(r.weights);
  });

  describe('bad input', () => {
    it('a row of the wrong length → INVALID_VALUE naming the row', () => {
      const e = catchClientele(() => ahpWeights([[1, 2], [1 / 2]]), 'INVALID_VALUE');
      expect(e.message).toContain('row 1 has 1 entries but the matrix has 2 rows');
      expect(e.row).toBe(1);
    });
    it('a non-positive entry → INVALID_VALUE naming row and column', () =>
      expectCode(
        () =>
          ahpWeights([
            [1, -2],
            [-0.5, 1],
          ]),
        'INVALID_VALUE',
        'row 0, column 1',
        'found -2',
      ));
    it('a NaN entry → INVALID_VALUE', () =>
      expectCode(
        () =>
          ahpWeights([
            [1, NaN],
            [1, 1],
          ]),
        'INVALID_VALUE',
        'row 0, column 1',
        'NaN',
      ));
    it('a diagonal other than 1 → INVALID_VALUE', () =>
      expectCode(
        () =>
          ahpWeights([
            [2, 1],
            [1, 1],
          ]),
        'INVALID_VALUE',
        'diagonal',
        'row 0, column 0',
        'found 2',
      ));
    it('a_ji ≠ 1/a_ij → INVALID_VALUE naming both cells', () =>
      expectCode(
        () =>
          ahpWeights([
            [1, 3, 1],
            [1 / 3, 1, 2],
            [1, 1 / 3, 1],
          ]),
        'INVALID_VALUE',
        'not reciprocal at row 2, column 1',
        'found 0.333',
        'row 1, column 2',
      ));
    it('reciprocity is checked to 1e-9 relative (3 and 0.3333333333 pass)', () => {
      expect(
        ahpWeights([
          [1, 3],
          [0.3333333333, 1],
        ]).weights[0],
      ).toBeCloseTo(0.75, 9);
      expectCode(
        () =>
          ahpWeights([
            [1, 3],
            [0.3333, 1],
          ]),
        'INVALID_VALUE',
        'reciprocal',
      );
    });
    it('an empty or non-array matrix → INVALID_VALUE', () => {
      expectCode(() => ahpWeights([]), 'INVALID_VALUE', 'non-empty');
      expectCode(() => ahpWeights('abc' as never), 'INVALID_VALUE', '"abc"');
    });
    it('bad options → INVALID_OPTION', () => {
      expectCode(() => ahpWeights([[1]], { method: 'mean' as never }), 'INVALID_OPTION', 'method', '"mean"');
      expectCode(() => ahpWeights([[1]], { consistencyThreshold: 0 }), 'INVALID_OPTION', 'consistencyThreshold');
      expectCode(() => ahpWeights([[1]], { randomIndex: -1 }), 'INVALID_OPTION', 'randomIndex');
    });
  });
});
