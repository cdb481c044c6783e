import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomSource } from '../../src/math/random.js';
import type { RandomSource } from '../../src/math/random.js';
import { isClienteleError } from '../../src/table/errors.js';

const N = 200_000;

/** Sample mean and (n − 1) variance of `n` draws, with a compensated (Kahan) running sum. */
function moments(draw: () => number, n = N): { mean: number; variance: number } {
  const xs = new Float64Array(n);
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    xs[i] = x;
    const y = x - carry;
    const t = sum + y;
    carry = t - sum - y;
    sum = t;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) * (xs[i] - mean);
  return { mean, variance: ss / (n - 1) };
}

/** Pearson's χ² of observed counts against expected probabilities; cells with expectation < 5 are pooled. */
function chiSquare(counts: number[], probabilities: number[], n: number): { statistic: number; cells: number } {
  let statistic = 0;
  let cells = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (let k = 0; k < probabilities.length; k++) {
    pooledObserved += counts[k] ?? 0;
    pooledExpected += probabilities[k] * n;
    if (pooledExpected >= 5) {
      statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
      cells++;
      pooledObserved = 0;
      pooledExpected = 0;
    }
  }
  return { statistic, cells };
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isClienteleError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return;
  }
  throw new Error('expected a ClienteleError');
}

function firstDraws(rng: RandomSource, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

describe('randomSource: properties (fast-check)', () => {
  it('uniform() is in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (seed) => {
        const rng = randomSource(seed);
        for (let i = 0; i < 50; i++) {
          const u = rng.uniform();
          if (!(u >= 0 && u < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('int(n) is an integer in 0..n-1 for any n in 1..2^32', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const rng = randomSource(seed);
        for (let i = 0; i < 20; i++) {
          const k = rng.int(n);
          if (!Number.isInteger(k) || k < 0 || k >= n) return false;
        }
        return true;
      }),
    );
  });

  it('the same seed gives the same sequence across all methods', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (seed) => {
        const run = (rng: RandomSource) => [
          rng.uniform(),
          rng.normal(),
          rng.gamma(0.4, 2),
          rng.gamma(3, 1),
          rng.beta(0.8, 2.5),
          rng.poisson(4),
          rng.poisson(40),
          rng.int(1000),
          rng.exponential(2),
          rng.pick([1, 2, 3]),
        ];
        expect(run(randomSource(seed))).toEqual(run(randomSource(seed)));
      }),
    );
  });

  it('different integer seeds give different streams, and 0 and -0 are one seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        fc.pre(a !== b);
        expect(firstDraws(randomSource(a), 4)).not.toEqual(firstDraws(randomSource(b), 4));
      }),
    );
    expect(firstDraws(randomSource(1.5), 4)).not.toEqual(firstDraws(randomSource(1), 4));
    expect(firstDraws(randomSource(-0), 4)).toEqual(firstDraws(randomSource(0), 4));
  });

  it('gamma, beta, poisson and exponential stay in their support', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        (seed, s1, s2, lambda) => {
          const rng = randomSource(seed);
          const g = rng.gamma(s1, s2);
          const b = rng.beta(s1, s2);
          const k = rng.poisson(lambda);
          const e = rng.exponential(s1);
          return g >= 0 && Number.isFinite(g) && b >= 0 && b <= 1 && Number.isInteger(k) && k >= 0 && e >= 0;
        },
      ),
    );
  });
});

describe('randomSource: moments over 200,000 draws (seeded, so the checks are deterministic)', () => {
  it('uniform: mean 1/2 within 0.005, variance 1/12 within 1 %', () => {
    const rng = randomSource(1);
    const m = moments(() => rng.uniform());
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(m.variance / (1 / 12) - 1)).toBeLessThan(0.01);
  });

  it('normal: mean 0 within 0.01, variance 1 within 2 %, P(|Z| < 1) = 0.6827 within 0.005', () => {
    const rng = randomSource(2);
    let inside = 0;
    const m = moments(() => {
      const z = rng.normal();
      if (Math.abs(z) < 1) inside++;
      return z;
    });
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(inside / N - 0.682689)).toBeLessThan(0.005);
  });

  it('gamma(2, 3): mean kθ = 6 within 2 %, variance kθ² = 18 within 5 %', () => {
    const rng = randomSource(3);
    const m = moments(() => rng.gamma(2, 3));
    expect(Math.abs(m.mean / 6 - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / 18 - 1)).toBeLessThan(0.05);
  });

  it('gamma(0.3, 2) through the shape < 1 boost: mean 0.6 within 2 %, variance 1.2 within 5 %', () => {
    const rng = randomSource(4);
    const m = moments(() => rng.gamma(0.3, 2));
    expect(Math.abs(m.mean / 0.6 - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / 1.2 - 1)).toBeLessThan(0.05);
  });

  it('beta(0.8, 2.5): mean a/(a+b) within 1 %, variance ab/((a+b)²(a+b+1)) within 3 %', () => {
    const rng = randomSource(5);
    const m = moments(() => rng.beta(0.8, 2.5));
    const mean = 0.8 / 3.3;
    const variance = (0.8 * 2.5) / (3.3 * 3.3 * 4.3);
    expect(Math.abs(m.mean / mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.03);
  });

  it('exponential(2): mean 1/2 within 1 %', () => {
    const rng = randomSource(6);
    expect(Math.abs(moments(() => rng.exponential(2)).mean / 0.5 - 1)).toBeLessThan(0.01);
  });

  it.each([0.5, 3, 9.5, 10, 50, 1000])('poisson(%d): mean and variance λ within 1 % and 3 %', (lambda) => {
    const rng = randomSource(7 + lambda);
    const m = moments(() => rng.poisson(lambda));
    expect(Math.abs(m.mean / lambda - 1)).toBeLessThan(0.01);
    expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.03);
  });

  it.each([3, 15, 120])('poisson(%d) fits the Poisson pmf: χ² below the 0.999 quantile', (lambda) => {
    const rng = randomSource(100 + lambda);
    const counts: number[] = [];
    for (let i = 0; i < N; i++) {
      const k = rng.poisson(lambda);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const top = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 10);
    const pmf: number[] = [];
    let logP = -lambda; // ln P(K = 0)
    for (let k = 0; k <= top; k++) {
      if (k > 0) logP += Math.log(lambda / k);
      pmf.push(Math.exp(logP));
    }
    const { statistic, cells } = chiSquare(counts, pmf, N);
    // χ²(df) 0.999 quantile by the Wilson–Hilferty approximation, df = cells − 1.
    const df = cells - 1;
    const z = 3.0902;
    const critical = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
    expect(statistic).toBeLessThan(critical);
  });

  it('int(6) is uniform: χ² with 5 df below 20.5 (the 0.999 quantile)', () => {
    const rng = randomSource(8);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < N; i++) counts[rng.int(6)]++;
    expect(
      chiSquare(
        counts,
        [1, 1, 1, 1, 1, 1].map((w) => w / 6),
        N,
      ).statistic,
    ).toBeLessThan(20.52);
  });

  it('pick(weights) draws i with probability w_i / Σw and never a zero weight', () => {
    const rng = randomSource(9);
    const weights = new Float64Array([1, 0, 2, 7]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) counts[rng.pick(weights)]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0] / N - 0.1)).toBeLessThan(0.005);
    expect(Math.abs(counts[2] / N - 0.2)).toBeLessThan(0.005);
    expect(Math.abs(counts[3] / N - 0.7)).toBeLessThan(0.005);
  });
});

describe('randomSource: errors', () => {
  it('rejects a non-finite seed and out-of-range parameters with INVALID_OPTION', () => {
    expectCode(() => randomSource(Number.NaN), 'INVALID_OPTION');
    expectCode(() => randomSource(Infinity), 'INVALID_OPTION');
    const rng = randomSource(1);
    expectCode(() => rng.gamma(0, 1), 'INVALID_OPTION');
    expectCode(() => rng.gamma(1, -1), 'INVALID_OPTION');
    expectCode(() => rng.beta(1, Number.NaN), 'INVALID_OPTION');
    expectCode(() => rng.poisson(-1), 'INVALID_OPTION');
    expectCode(() => rng.exponential(0), 'INVALID_OPTION');
    expectCode(() => rng.int(2.5), 'INVALID_OPTION');
    expectCode(() => rng.int(0), 'INVALID_OPTION');
    expectCode(() => rng.pick([0, 0]), 'INVALID_OPTION');
    expectCode(() => rng.pick([1, -1]), 'INVALID_OPTION');
  });
});
