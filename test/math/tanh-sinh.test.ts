import { gammaln } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { integrateUnitInterval } from '../../src/math/tanh-sinh';

describe('integrateUnitInterval: tanh–sinh quadrature on (0, 1)', () => {
  it('integrates beta kernels p^(a−1)(1 − p)^(b−1) to B(a, b) (Γ by simple-statistics) within 1e-11, singular ends included', () => {
    for (const [a, b] of [
      [0.05, 0.5],
      [0.5, 0.5],
      [0.793, 2.426],
      [1, 1],
      [3.7, 0.2],
      [20, 40],
    ]) {
      const r = integrateUnitInterval((_p, logP, logQ) => Math.exp(a * logP + b * logQ));
      const expected = Math.exp(gammaln(a) + gammaln(b) - gammaln(a + b));
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value / expected - 1), `a ${a}, b ${b}`).toBeLessThan(1e-11);
    }
  });

  it('∫₀¹ ln p dp = −1 and ∫₀¹ dp/√(p(1 − p)) = π, to 1e-12', () => {
    const log = integrateUnitInterval((p, logP, logQ) => Math.exp(logP + logQ) * logP);
    expect(Math.abs(log.value + 1)).toBeLessThan(1e-12);
    const arcsine = integrateUnitInterval((_p, logP, logQ) => Math.exp(0.5 * (logP + logQ)));
    expect(Math.abs(arcsine.value - Math.PI)).toBeLessThan(1e-12);
  });

  it('reports the difference of its last two levels, and converged: false when the tolerance is out of reach', () => {
    const r = integrateUnitInterval((p) => p * (1 - p) * Math.cos(40 * p));
    expect(Math.abs(r.value - Math.sin(40) / 40)).toBeLessThan(1e-11);
    expect(r.error).toBeLessThan(1e-10);
    expect(integrateUnitInterval((p) => p * (1 - p) * Math.cos(40 * p), 0).converged).toBe(false);
  });
});
