import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledExpIntegralE } from '../../src/math/exponential-integral';

/**
 * e^z Eₚ(z) at points across both methods (series for z ≤ 1, continued fraction beyond), at integer orders and
 * within 1e-12 … 1e-7 of them, computed with mpmath 1.3.0 as `exp(z) * expint(p, z)` at 40 significant digits.
 */
const MPMATH: readonly (readonly [number, number, number])[] = [
  [0.01, 1e-6, 876077.7364038526],
  [0.4081095, 0.24, 2.4922999245444113],
  [0.5, 0.5, 1.3113590848375969],
  [0.6061, 0.1363, 2.8601159734500765],
  [0.999999999999, 0.3, 1.2225356050815706],
  [1, 1e-8, 17.843465267485485],
  [1, 0.5, 0.9229106324837305],
  [1.000000001, 0.7, 0.7526780196222901],
  [1.5, 1, 0.4842556877173758],
  [2, 0.25, 0.6647786387921517],
  [2.9999999, 0.01, 0.4952039498978347],
  [7.243, 2.5, 0.11060565434923317],
  [25.5, 0.9, 0.03931316764390565],
  [200.3, 0.05, 0.005016296641569564],
  [0.6061, 4, 0.22181706032135942],
  [1.93, 30, 0.03137467412875547],
  [50, 700, 0.001333451568400183],
];

/** ∫₀^∞ e^(−zu) (1 + u)^(−p) du by composite Simpson on u = v/(1 − v), fine enough for 1e-9 at these (p, z). */
function bruteForce(p: number, z: number): number {
  const n = 200_000;
  const f = (v: number) => {
    if (v >= 1) return 0;
    const u = v / (1 - v);
    return (Math.exp(-z * u) * (1 + u) ** -p) / (1 - v) ** 2;
  };
  let s = f(0) + f(1);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(i / n);
  return (s / (3 * n)) as number;
}

describe('scaledExpIntegralE: e^z Eₚ(z)', () => {
  it('matches mpmath 1.3.0 exp(z)·expint(p, z) to 1e-13 relative, integer and near-integer orders included', () => {
    for (const [p, z, expected] of MPMATH) {
      expect(Math.abs(scaledExpIntegralE(p, z) - expected) / expected, `p ${p}, z ${z}`).toBeLessThan(1e-13);
    }
  });

  it('matches A&S Table 5.1: x eˣ E₁(x) at x = 1 is 0.596347362, E₁(1) = 0.219383934 (10 digits)', () => {
    expect(scaledExpIntegralE(1, 1)).toBeCloseTo(0.5963473623, 10);
    expect(scaledExpIntegralE(1, 1) * Math.exp(-1)).toBeCloseTo(0.2193839344, 10);
  });

  it('matches its defining integral ∫₀^∞ e^(−zu)(1 + u)^(−p) du by brute-force Simpson to 1e-8', () => {
    for (const [p, z] of [
      [0.6061, 0.2],
      [1.7, 0.9],
      [3.2, 1.3],
      [1, 5],
    ]) {
      expect(Math.abs(scaledExpIntegralE(p, z) / bruteForce(p, z) - 1), `p ${p}, z ${z}`).toBeLessThan(1e-8);
    }
  });

  it('E_{1/2}(z) = √(π/z) erfc(√z) (DLMF 8.19.5 with 8.4.6), erfc by its Maclaurin series at z = 1e-6, to 1e-13', () => {
    const z = 1e-6;
    const x = Math.sqrt(z);
    const erfc = 1 - (2 / Math.sqrt(Math.PI)) * (x - x ** 3 / 3 + x ** 5 / 10 - x ** 7 / 42);
    const expected = Math.sqrt(Math.PI / z) * Math.exp(z) * erfc;
    expect(Math.abs(scaledExpIntegralE(0.5, z) / expected - 1)).toBeLessThan(1e-13);
  });

  it('property: the recurrence p e^z E_{p+1}(z) + z e^z Eₚ(z) = 1 (A&S 5.1.14) to 1e-12, across both methods', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 60, noNaN: true }),
        fc.double({ min: 1e-6, max: 80, noNaN: true }),
        (p, z) => {
          const lhs = p * scaledExpIntegralE(p + 1, z) + z * scaledExpIntegralE(p, z);
          expect(Math.abs(lhs - 1)).toBeLessThan(1e-12 * Math.max(1, z * scaledExpIntegralE(p, z)));
        },
      ),
    );
  });

  it('property: 1/(z + p) < e^z Eₚ(z) ≤ 1/(z + p − 1) for p ≥ 1 (A&S 5.1.19), decreasing in z and in p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 1e-4, max: 500, noNaN: true }),
        (p, z) => {
          const g = scaledExpIntegralE(p, z);
          expect(g).toBeGreaterThan(1 / (z + p));
          expect(g).toBeLessThanOrEqual((1 / (z + p - 1)) * (1 + 1e-14));
          expect(scaledExpIntegralE(p, z * 1.01)).toBeLessThan(g);
          expect(scaledExpIntegralE(p * 1.01, z)).toBeLessThan(g);
        },
      ),
    );
  });

  it('property: continuous where the method changes (z = 1) and across integer orders (p = n ± 1e-10)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 40, noNaN: true }), (p) => {
        const below = scaledExpIntegralE(p, 1 - 1e-12);
        const above = scaledExpIntegralE(p, 1 + 1e-12);
        expect(Math.abs(below / above - 1)).toBeLessThan(1e-11);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 1e-5, max: 1, noNaN: true }), (n, z) => {
        const at = scaledExpIntegralE(n, z);
        expect(Math.abs(scaledExpIntegralE(n - 1e-10, z) / at - 1)).toBeLessThan(1e-8);
        expect(Math.abs(scaledExpIntegralE(n + 1e-10, z) / at - 1)).toBeLessThan(1e-8);
      }),
    );
  });

  it('edges: z = 0 gives 1/(p − 1) or Infinity, z = Infinity 0; NaN for p ≤ 0, z < 0 or NaN', () => {
    expect(scaledExpIntegralE(3, 0)).toBe(0.5);
    expect(scaledExpIntegralE(0.5, 0)).toBe(Infinity);
    expect(scaledExpIntegralE(1, 0)).toBe(Infinity);
    expect(scaledExpIntegralE(2, Infinity)).toBe(0);
    for (const [p, z] of [
      [0, 1],
      [-1, 1],
      [1, -1],
      [NaN, 1],
      [1, NaN],
    ]) {
      expect(Number.isNaN(scaledExpIntegralE(p, z))).toBe(true);
    }
  });
});
