/**
 * The Gamma-Gamma spend simulator. Sources of truth: the model's moments (Fader, Hardie & Lee 2005, "RFM and CLV",
 * appendix; Fader & Hardie 2013, eqs. 1–4): E[z̄ | x] = pγ/(q − 1) whatever x, and Var(z̄ | x) = E[Var] + Var[E] with
 * E[Var(z̄ | ν)] = p/x · E[ν⁻²] = pγ²/(x (q − 1)(q − 2)) and Var(p/ν) = p²γ²/((q − 1)²(q − 2)); recovery by
 * fitGammaGamma within 3 standard errors. Seeds are in the test names.
 */
import { describe, expect, it } from 'vitest';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { simulateGammaGamma } from '../../src/clv/simulate-gamma-gamma';
import { expectCode } from '../helpers/errors';

const GG = { p: 6.25, q: 3.74, gamma: 15.44 };

const monetary = (t: { getChild(n: string): { toArray(): ArrayLike<number> } | null }) =>
  Float64Array.from(t.getChild('monetary')!.toArray());

describe('simulateGammaGamma', () => {
  it.each([1, 3, 10])(
    'mean and variance of z̄ at x = %i match the model within 3 SE (seed 31, 60,000 customers)',
    (x) => {
      const n = 60_000;
      const z = monetary(simulateGammaGamma({ params: GG }, { frequency: new Array(n).fill(x), seed: 31 }));
      const { p, q, gamma } = GG;
      const mean = (p * gamma) / (q - 1);
      const variance = (p * gamma ** 2) / (x * (q - 1) * (q - 2)) + (p ** 2 * gamma ** 2) / ((q - 1) ** 2 * (q - 2));
      let s = 0;
      for (const v of z) s += v;
      expect(Math.abs(s / n - mean)).toBeLessThan(3 * Math.sqrt(variance / n));
      let ss = 0;
      for (const v of z) ss += (v - s / n) ** 2;
      // the sample variance of a heavy-tailed z̄ (q = 3.74: finite 2nd, not 4th moment) is checked loosely
      expect(ss / (n - 1) / variance).toBeGreaterThan(0.8);
      expect(ss / (n - 1) / variance).toBeLessThan(1.25);
    },
  );

  it('fitGammaGamma recovers p, q, γ within 3 standard errors (seed 32, 20,000 customers with x = 1 … 8)', () => {
    const frequency = Array.from({ length: 20_000 }, (_, i) => 1 + (i % 8));
    const z = monetary(simulateGammaGamma({ params: GG }, { frequency, seed: 32 }));
    const fit = fitGammaGamma({ frequency, monetary: z });
    for (const name of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(fit.params[name] - GG[name]), name).toBeLessThan(3 * fit.standardErrors[name]);
    }
  });

  it('gives z̄ = 0 without repeat transactions, is deterministic in its seed and leaves its input unchanged', () => {
    const frequency = Object.freeze([0, 2, 0, 5]) as unknown as number[];
    const a = monetary(simulateGammaGamma({ params: GG }, { frequency, seed: 3 }));
    expect(a[0]).toBe(0);
    expect(a[2]).toBe(0);
    expect(a[1]).toBeGreaterThan(0);
    expect(monetary(simulateGammaGamma({ params: GG }, { frequency, seed: 3 }))).toEqual(a);
    expect(frequency).toEqual([0, 2, 0, 5]);
  });

  it('refuses bad frequencies, parameters and seeds with a code', () => {
    expectCode(() => simulateGammaGamma({ params: GG }, { frequency: [1.5], seed: 1 }), 'INVALID_OPTION', 'index 0');
    expectCode(() => simulateGammaGamma({ params: GG }, { frequency: [], seed: 1 }), 'INVALID_OPTION', 'frequency');
    expectCode(
      () => simulateGammaGamma({ params: { ...GG, q: 0 } }, { frequency: [1], seed: 1 }),
      'INVALID_VALUE',
      'q',
    );
    expectCode(() => simulateGammaGamma({ params: GG }, { frequency: [1], seed: Infinity }), 'INVALID_OPTION', 'seed');
  });
});
