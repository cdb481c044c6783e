/**
 * The history simulators (BG/NBD, Pareto/NBD). Sources of truth: the models' own published moments — E[X(t)] of
 * Fader, Hardie & Lee (2005, eq. 9) and Schmittlein, Morrison & Colombo (1987, via `paretoNbdExpectedPurchases`), and
 * P(X(t) = x) of FHL (2005, eq. 8) — each within 3 standard errors of the simulated mean or share (seeds fixed in the
 * test names), and recovery of the parameters by the fits within 3 of their standard errors.
 */
import { describe, expect, it } from 'vitest';
import { bgNbdExpectedPurchases, bgNbdProbabilityOfPurchases, fitBgNbd } from '../../src/clv/bg-nbd';
import { fitParetoNbd, paretoNbdExpectedPurchases } from '../../src/clv/pareto-nbd';
import { simulateBgNbd } from '../../src/clv/simulate-bg-nbd';
import { simulateParetoNbd } from '../../src/clv/simulate-pareto-nbd';
import { fitMbgNbd, mbgNbdExpectedPurchases, mbgNbdProbabilityOfPurchases } from '../../src/clv/mbg-nbd';
import { HISTORY_SIMULATORS } from '../../src/clv/simulate-repeat-buying';
import { randomSource } from '../../src/math/random';
import { validHistory } from '../../src/clv/customer-histories';
import { expectCode } from '../helpers/errors';

// Fader, Hardie & Lee (2005) CDNOW estimates (weeks) and the Pareto/NBD ones of the same data
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARETO = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

const column = (t: { getChild(n: string): { toArray(): ArrayLike<number> } | null }, name: string) =>
  Float64Array.from(t.getChild(name)!.toArray());

/** The sample mean and its standard error. */
function meanAndError(v: Float64Array): { mean: number; se: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (v.length - 1) / v.length) };
}

describe('simulateBgNbd', () => {
  it('mean repeat purchases at T = 39 weeks match E[X(39)] of FHL 2005 eq. 9 within 3 SE (seed 11, 40,000 customers)', () => {
    const data = simulateBgNbd({ params: BG }, { T: 39, customers: 40_000, seed: 11 });
    const { mean, se } = meanAndError(column(data, 'frequency'));
    expect(Math.abs(mean - bgNbdExpectedPurchases({ params: BG }, 39))).toBeLessThan(3 * se);
  });

  it('mixed ages: the mean matches the average E[X(T_i)] within 3 SE (seed 12, ages 1 … 78)', () => {
    const ages = Float64Array.from({ length: 30_000 }, (_, i) => 1 + (i % 78));
    const data = simulateBgNbd({ params: BG }, { T: ages, seed: 12 });
    const { mean, se } = meanAndError(column(data, 'frequency'));
    let expected = 0;
    for (const T of ages) expected += bgNbdExpectedPurchases({ params: BG }, T) / ages.length;
    expect(Math.abs(mean - expected)).toBeLessThan(3 * se);
    expect(column(data, 'T')).toEqual(ages);
  });

  it('the shares with x = 0, 1, 2 match P(X(39) = x) of FHL 2005 eq. 8 within 3 binomial SE (seed 13)', () => {
    const n = 40_000;
    const x = column(simulateBgNbd({ params: BG }, { T: 39, customers: n, seed: 13 }), 'frequency');
    for (const k of [0, 1, 2]) {
      const p = bgNbdProbabilityOfPurchases({ params: BG }, k, 39);
      const share = x.filter((v) => v === k).length / n;
      expect(Math.abs(share - p), `x = ${k}`).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('fitBgNbd recovers the parameters within 3 standard errors (seed 101, 20,000 customers, ages 27 … 39; z-scores over seeds 100–114 average 0.06 … 0.23)', () => {
    const ages = Float64Array.from({ length: 20_000 }, (_, i) => 27 + (i % 13));
    const fit = fitBgNbd(simulateBgNbd({ params: BG }, { T: ages, seed: 101 }));
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[name] - BG[name]), name).toBeLessThan(3 * fit.standardErrors[name]);
    }
  });

  it('every history is one the fits accept: t_x ≤ T, t_x = 0 iff x = 0, x an integer', () => {
    const data = simulateBgNbd({ params: BG }, { T: [0, 1, 5, 39, 100], seed: 15 });
    const [x, tx, T] = ['frequency', 'recency', 'T'].map((n) => column(data, n));
    for (let i = 0; i < x.length; i++) expect(validHistory(x[i], tx[i], T[i])).toBe(true);
    expect(x[0]).toBe(0);
    expect(column(data, 'customer')).toEqual(Float64Array.of(1, 2, 3, 4, 5));
    expect(data.schema.metadata.get('clientele.kind')).toBe('clvSummary');
  });

  it('is deterministic in its seed: the same seed gives the same table, another seed another', () => {
    const a = simulateBgNbd({ params: BG }, { T: 39, customers: 200, seed: 5 });
    const b = simulateBgNbd({ params: BG }, { T: 39, customers: 200, seed: 5 });
    const c = simulateBgNbd({ params: BG }, { T: 39, customers: 200, seed: 6 });
    expect(column(a, 'recency')).toEqual(column(b, 'recency'));
    expect(column(a, 'recency')).not.toEqual(column(c, 'recency'));
  });

  it('does not change its inputs', () => {
    const ages = Object.freeze([10, 20, 30]) as unknown as number[];
    const params = Object.freeze({ ...BG });
    simulateBgNbd({ params }, { T: ages, seed: 1 });
    expect(ages).toEqual([10, 20, 30]);
  });

  it('refuses bad parameters, ages, counts and seeds with a code', () => {
    expectCode(
      () => simulateBgNbd({ params: { ...BG, a: -1 } }, { T: 39, customers: 3, seed: 1 }),
      'INVALID_VALUE',
      'a',
    );
    expectCode(() => simulateBgNbd({ params: BG }, { T: 39, seed: 1 }), 'INVALID_OPTION', 'customers');
    expectCode(() => simulateBgNbd({ params: BG }, { T: -1, customers: 3, seed: 1 }), 'INVALID_OPTION', 'T');
    expectCode(() => simulateBgNbd({ params: BG }, { T: [1, NaN], seed: 1 }), 'INVALID_OPTION', 'index 1');
    expectCode(
      () => simulateBgNbd({ params: BG }, { T: [1, 2], customers: 2, seed: 1 }),
      'INVALID_OPTION',
      'customers',
    );
    expectCode(() => simulateBgNbd({ params: BG }, { T: [], seed: 1 }), 'INVALID_OPTION', 'empty');
    expectCode(() => simulateBgNbd({ params: BG }, { T: 3, customers: 3 } as never), 'INVALID_OPTION', 'seed');
    expectCode(
      () => simulateBgNbd({ params: BG }, { T: 3, customers: 3, seed: 1, sed: 2 } as never),
      'INVALID_OPTION',
      'sed',
    );
  });
});

describe('simulateParetoNbd', () => {
  it('mean repeat purchases at T = 39 weeks match the Pareto/NBD E[X(39)] within 3 SE (seed 21, 40,000 customers)', () => {
    const data = simulateParetoNbd({ params: PARETO }, { T: 39, customers: 40_000, seed: 21 });
    const { mean, se } = meanAndError(column(data, 'frequency'));
    expect(Math.abs(mean - paretoNbdExpectedPurchases({ params: PARETO }, 39))).toBeLessThan(3 * se);
  });

  it('the share with x = 0 matches P(X(39) = 0) by quadrature over the gamma mixing densities (written in the test), within 3 SE (seed 22)', () => {
    // an independent figure: P(X(T) = 0) = E over λ, μ of [μ/(λ+μ) + λ/(λ+μ) e^{−(λ+μ)T}], by a Monte Carlo-free
    // 2-D midpoint quadrature of the gamma densities on a log grid
    const T = 39;
    const n = 40_000;
    const x = column(simulateParetoNbd({ params: PARETO }, { T, customers: n, seed: 22 }), 'frequency');
    const share = x.filter((v) => v === 0).length / n;
    const p = zeroProbability(PARETO, T);
    expect(Math.abs(share - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / n));
  });

  it('fitParetoNbd recovers the parameters within 3 standard errors (seed 23, 5,000 customers, ages 27 … 39)', () => {
    const ages = Float64Array.from({ length: 5_000 }, (_, i) => 27 + (i % 13));
    const fit = fitParetoNbd(simulateParetoNbd({ params: PARETO }, { T: ages, seed: 23 }));
    for (const name of ['r', 'alpha', 's', 'beta'] as const) {
      expect(Math.abs(fit.params[name] - PARETO[name]), name).toBeLessThan(3 * fit.standardErrors[name]);
    }
  });

  it('refuses parameters of the wrong model', () => {
    expectCode(() => simulateParetoNbd({ params: BG } as never, { T: 3, customers: 3, seed: 1 }), 'INVALID_VALUE', 's');
  });
});

/** ln of the gamma density with shape k and rate θ at v, written here from its definition. */
function logGammaDensity(v: number, k: number, rate: number): number {
  return k * Math.log(rate) + (k - 1) * Math.log(v) - rate * v - lnGamma(k);
}

/** ln Γ by the Lanczos approximation (g = 7, n = 9), independent of src/math. */
function lnGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lnGamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** P(X(T) = 0) of the Pareto/NBD by quadrature over (λ, μ) on a log grid (midpoint rule in ln λ, ln μ). */
function zeroProbability(p: typeof PARETO, T: number): number {
  const grid = 800;
  const lo = -25;
  const hi = 5;
  const step = (hi - lo) / grid;
  let total = 0;
  for (let i = 0; i < grid; i++) {
    const lambda = Math.exp(lo + (i + 0.5) * step);
    const wl = Math.exp(logGammaDensity(lambda, p.r, p.alpha)) * lambda * step;
    for (let j = 0; j < grid; j++) {
      const mu = Math.exp(lo + (j + 0.5) * step);
      const wm = Math.exp(logGammaDensity(mu, p.s, p.beta)) * mu * step;
      const none = mu / (lambda + mu) + (lambda / (lambda + mu)) * Math.exp(-(lambda + mu) * T);
      total += wl * wm * none;
    }
  }
  return total;
}

describe('the MBG/NBD simulator (for the bootstrap of predictionIntervals)', () => {
  const ages = (n: number) => Float64Array.from({ length: n }, (_, i) => 27 + (i % 13));

  it('mean repeat purchases match the mixture of mbgNbdExpectedPurchases over the ages within 3 SE (seed 41)', () => {
    const T = ages(40_000);
    const h = HISTORY_SIMULATORS.mbgNbd(BG, T, randomSource(41));
    const { mean, se } = meanAndError(h.x);
    let expected = 0;
    for (const t of T) expected += mbgNbdExpectedPurchases({ params: BG }, t) / T.length;
    expect(Math.abs(mean - expected)).toBeLessThan(3 * se);
    const zero = h.x.filter((v) => v === 0).length / T.length;
    let p0 = 0;
    for (const t of T) p0 += mbgNbdProbabilityOfPurchases({ params: BG }, 0, t) / T.length;
    expect(Math.abs(zero - p0)).toBeLessThan(3 * Math.sqrt((p0 * (1 - p0)) / T.length));
  });

  it('fitMbgNbd recovers the parameters within 3 standard errors (seed 42, 20,000 customers)', () => {
    const h = HISTORY_SIMULATORS.mbgNbd(BG, ages(20_000), randomSource(42));
    const fit = fitMbgNbd({ frequency: h.x, recency: h.tx, T: h.T });
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[name] - BG[name]), name).toBeLessThan(3 * fit.standardErrors[name]);
    }
  });
});
