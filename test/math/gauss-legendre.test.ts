import { describe, expect, it } from 'vitest';
import { GL4_NODES, GL4_WEIGHTS, integrate } from '../../src/math/gauss-legendre';

/**
 * Gauss–Legendre quadrature: the 4-point rule against A&S Table 25.4's defining property (exact for polynomials of
 * degree ≤ 7, not 8), and the adaptive integrator against closed-form integrals.
 */
describe('Gauss–Legendre', () => {
  it('the 4-point rule integrates uᵏ over [−1, 1] exactly for k ≤ 7 (1e-15) and not for k = 8 (A&S 25.4.29)', () => {
    const rule = (k: number) =>
      GL4_WEIGHTS[0] * (GL4_NODES[0] ** k + (-GL4_NODES[0]) ** k) +
      GL4_WEIGHTS[1] * (GL4_NODES[1] ** k + (-GL4_NODES[1]) ** k);
    for (let k = 0; k <= 7; k++)
      expect(Math.abs(rule(k) - (k % 2 === 0 ? 2 / (k + 1) : 0)), `k = ${k}`).toBeLessThan(1e-15);
    expect(Math.abs(rule(8) - 2 / 9)).toBeGreaterThan(1e-3);
  });

  it('integrate matches closed forms: smooth, peaked and decaying integrands (1e-13 relative)', () => {
    const cases: [(u: number) => number, number, number, number][] = [
      [Math.exp, 0, 1, Math.E - 1],
      [(u) => 1 / (1 + u * u), -50, 50, 2 * Math.atan(50)],
      [(u) => Math.exp(-1000 * (u - 0.3) ** 2), 0, 1, Math.sqrt(Math.PI / 1000)], // the tails beyond [0, 1] are < 1e-30
      [(u) => (1 + u) ** -40, 0, 1000, (1 - 1001 ** -39) / 39],
      [(u) => u ** 12 * Math.exp(-u), 0, 200, 479001600], // Γ(13), the tail beyond 200 below 1e-60
    ];
    for (const [g, a, b, exact] of cases) expect(Math.abs(integrate(g, a, b) - exact) / exact).toBeLessThan(1e-13);
  });

  it('an empty or reversed interval integrates to 0', () => {
    expect(integrate(Math.exp, 1, 1)).toBe(0);
    expect(integrate(Math.exp, 2, 1)).toBe(0);
  });
});
