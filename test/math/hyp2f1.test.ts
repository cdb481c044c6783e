import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hyp2f1, logHyp2f1 } from '../../src/math/hyp2f1';
import { lgamma } from '../../src/math/special';

/**
 * ₂F₁ against values that share no code with src/math/hyp2f1.ts: closed forms (Abramowitz & Stegun 1972,
 * 15.1.3–15.1.8), Gauss's theorem at z → 1 (15.1.20), terminating polynomials, and the defining series summed
 * term by term for as long as it takes.
 */

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** The defining series, summed until the terms stop mattering (slow near |z| = 1, exact enough anywhere below). */
function longSeries(a: number, b: number, c: number, z: number): number {
  return series(a, b, c, z).sum;
}

/** The series and Σ|term|: an alternating sum is only good to about 1e-16 · Σ|term| / |sum|. */
function series(a: number, b: number, c: number, z: number): { sum: number; absolute: number } {
  let term = 1;
  let sum = 1;
  let absolute = 1;
  for (let k = 0; k < 20_000_000; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    absolute += Math.abs(term);
    if (Math.abs(term) < 1e-18 * Math.abs(sum) && k > 20) break;
  }
  return { sum, absolute };
}

/** ln of the series for positive terms, by log-sum-exp over ln(term) (for values beyond the range of doubles). */
function longLogSeries(a: number, b: number, c: number, z: number): number {
  let logTerm = 0;
  let max = 0;
  let scaled = 1; // Σ exp(ln term − max)
  for (let k = 0; k < 1_000_000; k++) {
    logTerm += Math.log(((a + k) * (b + k)) / ((c + k) * (k + 1))) + Math.log(z);
    if (logTerm > max) {
      scaled = scaled * Math.exp(max - logTerm) + 1;
      max = logTerm;
    } else scaled += Math.exp(logTerm - max);
    if (logTerm < max - 45 && k > 10) break;
  }
  return max + Math.log(scaled);
}

describe('hyp2f1: closed forms (A&S 15.1)', () => {
  it('₂F₁(1, 1; 2; z) = −ln(1 − z)/z from z = −100 to 1 − 1e-12 (1e-13 relative), and 1e-10 at z = −1e6', () => {
    for (const z of [
      -100,
      -5,
      -0.9,
      -0.3,
      -1e-3,
      1e-3,
      0.1,
      0.3,
      0.5,
      0.6,
      0.7,
      0.9,
      0.99,
      0.999,
      1 - 1e-6,
      1 - 1e-9,
      1 - 1e-12,
    ]) {
      expect(relative(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z), `z = ${z}`).toBeLessThan(1e-13);
    }
    expect(relative(hyp2f1(1, 1, 2, -1e6), -Math.log1p(1e6) / -1e6)).toBeLessThan(1e-10);
  });

  it('₂F₁(a, b; b; z) = (1 − z)^(−a) for any a, b > 0, z in (−50, 0.999) (1e-12 relative)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.double({ min: 0.05, max: 30, noNaN: true }),
        fc.double({ min: -50, max: 0.999, noNaN: true }),
        (a, b, z) => {
          expect(relative(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('₂F₁(1/2, 1/2; 3/2; y²) = arcsin(y)/y for y in (0, 1 − 1e-5) (1e-11 relative)', () => {
    for (let i = 1; i <= 200; i++) {
      const y = (i / 200) * (1 - 1e-5);
      // arcsin(y) = atan(y/√(1 − y²)), accurate where asin's argument is near 1
      const expected = Math.atan(y / Math.sqrt((1 - y) * (1 + y))) / y;
      expect(relative(hyp2f1(0.5, 0.5, 1.5, y * y), expected), `y = ${y}`).toBeLessThan(1e-11);
    }
  });

  it('a terminating series is the polynomial: ₂F₁(−3, b; c; z) (1e-13 relative), also far below z = −1', () => {
    const b = 1.7;
    const c = 2.3;
    const poly = (z: number) =>
      1 -
      (3 * b * z) / c +
      (3 * b * (b + 1) * z * z) / (c * (c + 1)) -
      (b * (b + 1) * (b + 2) * z ** 3) / (c * (c + 1) * (c + 2));
    for (const z of [-40, -5, -0.5, 0.3, 0.7, 0.95])
      expect(relative(hyp2f1(-3, b, c, z), poly(z)), `z = ${z}`).toBeLessThan(1e-13);
  });

  it('tends to Gauss Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z → 1 when c > a + b (A&S 15.1.20; 1e-10 at z = 1 − 1e-12)', () => {
    for (const [a, b, c] of [
      [0.5, 0.7, 2.7],
      [1.3, 2.1, 5.4],
      [0.25, 3, 4.9],
    ]) {
      const gauss = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
      expect(relative(hyp2f1(a, b, c, 1 - 1e-12), gauss)).toBeLessThan(1e-10);
    }
  });
});

describe('hyp2f1 against the long series', () => {
  it('matches the series summed to convergence for z up to 0.99, moderate and large parameters (1e-12 relative)', () => {
    const triples = [
      [0.3, 1.7, 2.2],
      [1.976, -0.207, 2.219], // the BG/NBD E[X(t)] after Euler's transformation, CDNOW parameters
      [0.243, 2.426, 2.219], // the same before it
      [5, 7, 3.5],
      [10, 20, 30.5],
      [50, 60, 80],
      [200.5, 3, 201.5], // Pareto/NBD: r + s + x, s + 1; r + s + x + 1
      [1, 300, 301.6],
      [2.5, -1.5, 0.5],
    ];
    for (const [a, b, c] of triples) {
      for (const z of [0.05, 0.3, 0.5, 0.6, 0.8, 0.9, 0.95, 0.99]) {
        expect(relative(hyp2f1(a, b, c, z), longSeries(a, b, c, z)), `₂F₁(${a}, ${b}; ${c}; ${z})`).toBeLessThan(1e-12);
      }
    }
  });

  it("matches the alternating series for −1 < z < 0 (Pfaff transformation path; 1e-12 relative plus the series' own cancellation)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: -3, max: 8, noNaN: true }),
        fc.double({ min: 0.2, max: 12, noNaN: true }),
        fc.double({ min: -0.8, max: -0.01, noNaN: true }),
        (a, b, c, z) => {
          const { sum, absolute } = series(a, b, c, z);
          fc.pre(Math.abs(sum) > 1e-3); // keep away from zeros, where relative error means nothing
          expect(relative(hyp2f1(a, b, c, z), sum)).toBeLessThan(1e-12 + (1e-15 * absolute) / Math.abs(sum));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('logHyp2f1 stays finite where the value overflows: the BG/NBD "#NUM!" case x = 2000 (1e-12 relative on the log)', () => {
    // ₂F₁(r + x, b + x; a + b + x − 1; z) with CDNOW's r, a, b (Fader & Hardie 2013)
    const [r, a, b, x, z] = [0.243, 0.793, 2.426, 2000, 0.47];
    expect(hyp2f1(r + x, b + x, a + b + x - 1, z)).toBe(Infinity);
    const log = logHyp2f1(r + x, b + x, a + b + x - 1, z);
    expect(relative(log, longLogSeries(r + x, b + x, a + b + x - 1, z))).toBeLessThan(1e-12);
    expect(logHyp2f1(800, 2, 2, 0.9)).toBeCloseTo(800 * Math.LN10, 9);
  });

  it('is NaN outside its domain (z ≥ 1, NaN arguments, c a non-positive integer unless the series stops first; log of a value ≤ 0)', () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(NaN, 1, 2, 0.5)).toBeNaN();
    expect(hyp2f1(1.5, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(-1, 1, -2, 0.5)).toBeCloseTo(1 + 0.25, 15); // stops at k = 1, before (c)ₖ = 0
    expect(hyp2f1(-1, 2, 1, 0.75)).toBeCloseTo(-0.5, 15); // 1 − 2z
    expect(logHyp2f1(-1, 2, 1, 0.75)).toBeNaN(); // the log of a negative value
  });
});
