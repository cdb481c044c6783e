/**
 * The numerical parts of the prediction intervals. Sources of truth: R's `qnorm` (printed to 16 digits), brute-force
 * sorting for the type-7 quantile (R's default `quantile`), L Lᵀ = A for the Cholesky factor, and the closed form of
 * the delta method for a prediction that is one parameter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cholesky, deltaIntervals, normalDraws, percentileIntervals, quantile } from '../../src/clv/interval-methods';
import { normalQuantile } from '../../src/math/normal-quantile';
import type { IntervalProblem } from '../../src/clv/interval-methods';

describe('normalQuantile', () => {
  it.each([
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.5, 0],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.3, -0.5244005127080407],
  ])('Φ⁻¹(%s) matches R qnorm %s within 1.2e-9 relative', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThanOrEqual(1.2e-9 * Math.max(1, Math.abs(expected)));
  });
});

describe('quantile', () => {
  it('is R type 7 of the sorted values (brute force), for any sample and probability', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, prob) => {
          const sorted = [...values].sort((a, b) => a - b);
          const h = (sorted.length - 1) * prob;
          const lo = Math.floor(h);
          const expected = lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
          const got = quantile(Float64Array.from(values), prob);
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
        },
      ),
    );
  });
});

describe('cholesky', () => {
  it('L Lᵀ = A for random positive-definite A = B Bᵀ + I', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 16, maxLength: 16 }), (b) => {
        const k = 4;
        const A = new Float64Array(k * k);
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            let s = i === j ? 1 : 0;
            for (let m = 0; m < k; m++) s += b[i * k + m] * b[j * k + m];
            A[i * k + j] = s;
          }
        }
        const L = cholesky(A, k)!;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            let s = 0;
            for (let m = 0; m < k; m++) s += L[i * k + m] * L[j * k + m];
            expect(Math.abs(s - A[i * k + j])).toBeLessThan(1e-9 * (1 + Math.abs(A[i * k + j])));
          }
        }
      }),
    );
  });

  it('is undefined for a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
    expect(cholesky(Float64Array.of(NaN, 0, 0, 1), 2)).toBeUndefined();
  });
});

/** A prediction that is the first parameter, on one pattern. */
const firstParameter = (theta: number[], range: 'probability' | 'nonNegative'): IntervalProblem => ({
  evaluate: (th, lo, hi, out) => {
    for (let p = lo; p < hi; p++) out[p - lo] = th[0];
  },
  theta: Float64Array.from(theta),
  patterns: 1,
  weight: Float64Array.of(3),
  range,
});

describe('deltaIntervals', () => {
  it('for y = θ₀ ≥ 0: θ₀ · exp(± z σ₀/θ₀) (the log-scale interval, written out)', () => {
    const theta = [2, 5];
    const covariance = Float64Array.of(0.04, 0.01, 0.01, 0.09);
    const r = deltaIntervals(firstParameter(theta, 'nonNegative'), covariance, 0.9);
    const z = 1.6448536269514722;
    expect(r.estimate[0]).toBe(2);
    expect(r.lower[0]).toBeCloseTo(2 * Math.exp((-z * 0.2) / 2), 7);
    expect(r.upper[0]).toBeCloseTo(2 * Math.exp((z * 0.2) / 2), 7);
    // the total of 3 customers: 3 θ₀, same relative width
    expect(r.total.estimate).toBe(6);
    expect(r.total.upper / r.total.estimate).toBeCloseTo(r.upper[0] / 2, 7);
  });

  it('for a probability y = θ₀ < 1: expit(logit θ₀ ± z σ₀/(θ₀(1 − θ₀))), inside (0, 1)', () => {
    const r = deltaIntervals(firstParameter([0.8, 1], 'probability'), Float64Array.of(0.01, 0, 0, 1), 0.95);
    const z = 1.959963984540054;
    const u = Math.log(0.8 / 0.2);
    const su = 0.1 / (0.8 * 0.2);
    expect(r.lower[0]).toBeCloseTo(1 / (1 + Math.exp(-(u - z * su))), 7);
    expect(r.upper[0]).toBeCloseTo(1 / (1 + Math.exp(-(u + z * su))), 7);
    expect(r.upper[0]).toBeLessThan(1);
    expect(r.total.upper).toBeLessThan(3);
  });

  it('a prediction that does not move with the parameters has a zero-width interval', () => {
    const constant: IntervalProblem = {
      ...firstParameter([1, 1], 'probability'),
      evaluate: (_, lo, hi, out) => out.fill(1, 0, hi - lo),
    };
    const r = deltaIntervals(constant, Float64Array.of(0.1, 0, 0, 0.1), 0.9);
    expect([r.lower[0], r.upper[0]]).toEqual([1, 1]);
  });
});

describe('normalDraws and percentileIntervals', () => {
  it('draws of ln θ have mean ln θ̂ and the covariance Σᵢⱼ/(θᵢθⱼ) (20,000 draws, seed 4; 4 % of each entry)', () => {
    const theta = Float64Array.of(2, 5);
    const covariance = Float64Array.of(0.04, 0.03, 0.03, 0.25);
    const D = 20_000;
    const draws = normalDraws(theta, covariance, D, 4, 'test');
    const logs = [0, 1].map((j) => Float64Array.from({ length: D }, (_, d) => Math.log(draws[d * 2 + j])));
    const mean = logs.map((v) => v.reduce((a, b) => a + b) / D);
    expect(Math.abs(mean[0] - Math.log(2))).toBeLessThan(3 * Math.sqrt(0.01 / D));
    const cov = (i: number, j: number) => {
      let s = 0;
      for (let d = 0; d < D; d++) s += (logs[i][d] - mean[i]) * (logs[j][d] - mean[j]);
      return s / (D - 1);
    };
    expect(cov(0, 0) / 0.01).toBeCloseTo(1, 1);
    expect(cov(1, 1) / 0.01).toBeCloseTo(1, 1);
    expect(cov(0, 1) / 0.003).toBeCloseTo(1, 1);
    expect(normalDraws(theta, covariance, 5, 4, 'test')).toEqual(normalDraws(theta, covariance, 5, 4, 'test'));
  });

  it('refuses a covariance that is not positive definite with NOT_IDENTIFIED', () => {
    expect(() => normalDraws(Float64Array.of(1, 1), Float64Array.of(1, 2, 2, 1), 5, 1, 'f')).toThrow(
      /positive definite/,
    );
  });

  it('percentiles of y = (p + 1) θ₀ over draws are the draws’ own type-7 quantiles (brute force), over several blocks', () => {
    const theta = Float64Array.of(2, 5);
    const D = 999;
    const thetas = normalDraws(theta, Float64Array.of(0.04, 0, 0, 0.25), D, 9, 'test');
    const P = 5000; // more than one block of 4e6 / 999 patterns
    const problem: IntervalProblem = {
      evaluate: (th, lo, hi, out) => {
        for (let p = lo; p < hi; p++) out[p - lo] = (p + 1) * th[0];
      },
      theta,
      patterns: P,
      weight: new Float64Array(P).fill(1),
      range: 'nonNegative',
    };
    const r = percentileIntervals(problem, thetas, 0.9);
    const type7 = (v: number[], prob: number) => {
      const sorted = [...v].sort((x, y) => x - y);
      const h = (sorted.length - 1) * prob;
      const lo = Math.floor(h);
      return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    };
    for (const p of [0, 4003, 4004, 4999]) {
      const values = Array.from({ length: D }, (_, d) => (p + 1) * thetas[d * 2]);
      expect(r.lower[p]).toBeCloseTo(type7(values, 0.05), 9);
      expect(r.upper[p]).toBeCloseTo(type7(values, 0.95), 9);
      expect(r.estimate[p]).toBe((p + 1) * 2);
    }
    const totals = Array.from({ length: D }, (_, d) => ((P * (P + 1)) / 2) * thetas[d * 2]);
    expect(r.total.lower / type7(totals, 0.05)).toBeCloseTo(1, 9);
  });
});
