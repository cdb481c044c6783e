import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerHistories } from '../../src/clv/customer-histories';
import { maximise } from '../../src/clv/maximise-likelihood';
import { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdLogLikelihoodGradient } from '../../src/clv/pareto-nbd';
import { timeScale } from '../../src/clv/customer-histories';
import { logHyp2f1 } from '../../src/math/hyp2f1';
import { randomSource } from '../../src/math/random';
import { lgamma } from '../../src/math/special';
import { dataset } from '../helpers/datasets';
import { readCdnow, relative } from '../helpers/clv';

/**
 * The Pareto/NBD likelihood as an integral over the drop-out time (quadrature) and its analytic gradient, against
 * (a) the closed form in Gauss hypergeometric functions (Fader & Hardie 2005, note 009, §3: the sum of two positive
 * ₂F₁ terms, written here per customer from the note), (b) central differences of the likelihood, and (c) the
 * Nelder–Mead optimum the fit found before it had a gradient.
 */

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** ln L of one customer from the note's ₂F₁ terms: s/(r+s+x)·A₁ + (r+x)/(r+s+x)·A₂, α ≥ β or α < β forms, in logs. */
function closedForm(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  const n = r + s + x;
  let logA1: number;
  let logA2: number;
  if (alpha >= beta) {
    logA1 = logHyp2f1(n, s + 1, n + 1, (alpha - beta) / (alpha + tx)) - n * Math.log(alpha + tx);
    logA2 = logHyp2f1(n, s, n + 1, (alpha - beta) / (alpha + T)) - n * Math.log(alpha + T);
  } else {
    logA1 = logHyp2f1(n, r + x, n + 1, (beta - alpha) / (beta + tx)) - n * Math.log(beta + tx);
    logA2 = logHyp2f1(n, r + x + 1, n + 1, (beta - alpha) / (beta + T)) - n * Math.log(beta + T);
  }
  const a = Math.log(s / n) + logA1;
  const b = Math.log((r + x) / n) + logA2;
  const top = Math.max(a, b);
  return (
    lgamma(r + x) -
    lgamma(r) +
    r * Math.log(alpha) +
    s * Math.log(beta) +
    top +
    Math.log(Math.exp(a - top) + Math.exp(b - top))
  );
}

/** Weighted histories built straight from arrays (the likelihood takes them as the fit's compression gives them). */
function table(x: number[], tx: number[], T: number[], weight?: number[]): CustomerHistories {
  const n = x.length;
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: Float64Array.from(weight ?? new Array<number>(n).fill(1)),
    index: Int32Array.from({ length: n }, (_, i) => i),
    customers: weight ? weight.reduce((a, b) => a + b, 0) : n,
    rows: n,
    dropped: {},
  };
}

/** Customers in whole days (as summaryFromTransactions with unit 'day' gives them): many share x and times. */
function dayHistories(n: number, seed: number, maxX = 40): CustomerHistories {
  const rng = randomSource(seed);
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const age = 1 + rng.int(400);
    const k = rng.uniform() < 0.4 ? 0 : 1 + rng.int(maxX);
    x.push(k);
    tx.push(k === 0 ? 0 : 1 + rng.int(age));
    T.push(age);
    weight.push(1 + rng.int(3));
  }
  return table(x, tx, T, weight);
}

const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.1, max: 200, noNaN: true }),
  s: fc.double({ min: 0.05, max: 5, noNaN: true }),
  beta: fc.double({ min: 0.1, max: 200, noNaN: true }),
});

describe('Pareto/NBD likelihood by quadrature over the drop-out time', () => {
  it('equals the sum of the note 009 ₂F₁ terms over many customers sharing x and times (1e-11 relative per customer, property)', () => {
    const h = dayHistories(300, 11);
    const f = paretoNbdLogLikelihood(h);
    fc.assert(
      fc.property(params, (p) => {
        let expected = 0;
        for (let i = 0; i < h.x.length; i++) {
          expected += h.weight[i] * closedForm(p.r, p.alpha, p.s, p.beta, h.x[i], h.tx[i], h.T[i]);
        }
        fc.pre(Number.isFinite(expected));
        const ll = f([p.r, p.alpha, p.s, p.beta]);
        expect(Math.abs(ll - expected)).toBeLessThan(
          1e-11 * h.customers * Math.max(1, Math.abs(expected) / h.customers),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('stays finite and exact for heavy buyers, where f(t_x)/E(T) passes 1e300 (x up to 2000, 1e-11)', () => {
    // (α + T)/(α + t_x) = 31 raised to r + x ≈ 2000: the terms are taken relative to f(t_x) instead of E(T)
    const p = { r: 0.6, alpha: 4, s: 0.8, beta: 9 };
    const h = table([2000, 2000, 900, 1], [1, 100, 3, 0.5], [120, 100, 130, 400]);
    const ll = paretoNbdLogLikelihood(h)([p.r, p.alpha, p.s, p.beta]);
    let expected = 0;
    for (let i = 0; i < 4; i++) expected += closedForm(p.r, p.alpha, p.s, p.beta, h.x[i], h.tx[i], h.T[i]);
    expect(Number.isFinite(ll)).toBe(true);
    expect(relative(ll, expected)).toBeLessThan(1e-11);
    const grad = new Float64Array(4);
    expect(paretoNbdLogLikelihoodGradient(h)([p.r, p.alpha, p.s, p.beta], grad)).toBeCloseTo(ll, 8);
    expect(grad.every(Number.isFinite)).toBe(true);
  });

  it('the analytic gradient equals central differences of the likelihood (1e-6 relative, property)', () => {
    const h = dayHistories(200, 5);
    const ll = paretoNbdLogLikelihood(h);
    const withGradient = paretoNbdLogLikelihoodGradient(h);
    const grad = new Float64Array(4);
    fc.assert(
      fc.property(params, (p) => {
        const at = [p.r, p.alpha, p.s, p.beta];
        const value = withGradient(at, grad);
        expect(Math.abs(value - ll(at))).toBeLessThan(1e-9 * Math.abs(value));
        for (let j = 0; j < 4; j++) {
          // a 4th-order central difference with a relative step, so that the check does not depend on its step
          const step = 1e-3 * at[j];
          const shifted = (k: number) => ll(at.map((v, i) => (i === j ? v + k * step : v)));
          const numeric = (8 * (shifted(1) - shifted(-1)) - (shifted(2) - shifted(-2))) / (12 * step);
          const scale = Math.max(Math.abs(numeric), h.customers / at[j]) * 1e-6; // 1e-6 of the gradient or of LL/θ
          expect(Math.abs(grad[j] - numeric), `${NAMES[j]} at ${JSON.stringify(p)}`).toBeLessThan(scale);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a zero-gap history (t_x = T) and a customer without repeat purchases reduce to their closed forms (1e-13)', () => {
    // t_x = T: L = Γ(r+x)αʳβˢ/Γ(r) · (α+T)^−(r+x) (β+T)^−s; x = 0: the same plus s∫₀ᵀ, checked against ₂F₁ above
    const p = [0.7, 12, 1.3, 20];
    const [r, alpha, s, beta] = p;
    const ll = paretoNbdLogLikelihood(table([3], [25], [25]))(p);
    const expected =
      lgamma(r + 3) -
      lgamma(r) +
      r * Math.log(alpha) +
      s * Math.log(beta) -
      (r + 3) * Math.log(alpha + 25) -
      s * Math.log(beta + 25);
    expect(relative(ll, expected)).toBeLessThan(1e-13);
  });
});

describe('fitParetoNbd by BFGS on the analytic gradient', () => {
  const cdnowPath = dataset('cdnow_customers_summary.csv');

  it('reaches the Nelder–Mead optimum of the ₂F₁ likelihood on CDNOW (the search before the gradient; 1e-5 relative per parameter) and the published r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL −9595.0 (Fader, Hardie & Lee 2005)', () => {
    const cdnow = readCdnow(cdnowPath!);
    const fit = fitParetoNbd(cdnow, { frequency: 'x', recency: 't_x' });
    const h = table(Array.from(cdnow.x), Array.from(cdnow.t_x), Array.from(cdnow.T));
    // Nelder–Mead (no gradient) on the closed form, as fitParetoNbd searched before this change, from its start
    const closed = (q: ArrayLike<number>) => {
      if (!(q[0] > 0 && q[1] > 0 && q[2] > 0 && q[3] > 0)) return NaN;
      let ll = 0;
      for (let i = 0; i < h.x.length; i++) ll += closedForm(q[0], q[1], q[2], q[3], h.x[i], h.tx[i], h.T[i]);
      return ll;
    };
    const scale = timeScale(h);
    const start = Float64Array.of(1, scale, 1, scale);
    const nm = maximise(closed, start, start, h.customers, 4000);
    NAMES.forEach((k, j) => expect(relative(fit.params[k], nm.params[j]), k).toBeLessThan(1e-5));
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(nm.logLikelihood - 1e-6);
    const published = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    for (const k of NAMES) expect(Math.abs(fit.params[k] - published[k]), k).toBeLessThan(1.5e-3);
    expect(fit.logLikelihood.toFixed(1)).toBe('-9595.0');
    expect(fit.iterations).toBeLessThan(100);
  });

  it('reaches the Nelder–Mead optimum on whole-day histories with weights (1e-5 relative per parameter)', () => {
    const h = dayHistories(3000, 23, 25);
    const columns = { frequency: h.x, recency: h.tx, T: h.T, w: h.weight };
    const fit = fitParetoNbd(columns, { weights: 'w' });
    const scale = timeScale(h);
    const nm = maximise(
      paretoNbdLogLikelihood(h),
      Float64Array.of(1, scale, 1, scale),
      Float64Array.of(1, scale, 1, scale),
      h.customers,
      4000,
      2,
    );
    NAMES.forEach((k, j) => expect(relative(fit.params[k], nm.params[j]), k).toBeLessThan(1e-5));
  });
});
