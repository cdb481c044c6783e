import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimize } from '../../src/math/minimize';

describe('minimize (adaptive Nelder–Mead)', () => {
  it("finds the minimum of Rosenbrock's function at (1, 1) to 1e-6", () => {
    const rosen = (p: Float64Array) => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;
    const r = minimize(rosen, [-1.2, 1], { maxIterations: 5000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it('finds the 4-dimensional Rosenbrock minimum at (1, 1, 1, 1) to 1e-5', () => {
    const rosen = (p: Float64Array) => {
      let s = 0;
      for (let i = 0; i < p.length - 1; i++) s += 100 * (p[i + 1] - p[i] ** 2) ** 2 + (1 - p[i]) ** 2;
      return s;
    };
    // scipy's Rosenbrock starting point; (-0.776, 0.613, 0.382, 0.146) is a genuine local minimum of the 4-D function
    const r = minimize(rosen, [1.3, 0.7, 0.8, 1.9], { maxIterations: 20000, restarts: 3 });
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it('minimises random positive-definite quadratics to their closed-form minimum (property, 1e-5)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 0.2, max: 20, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (centre, weights) => {
          const f = (p: Float64Array) => centre.reduce((s, c, i) => s + weights[i] * (p[i] - c) ** 2, 0);
          const r = minimize(f, new Float64Array(centre.length), { maxIterations: 5000 });
          centre.forEach((c, i) => expect(r.x[i]).toBeCloseTo(c, 5));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never accepts points where the function is Infinity or NaN (a domain wall at x < 0.5)', () => {
    const f = (p: Float64Array) => (p[0] < 0.5 ? NaN : (p[0] - 0.5) ** 2 + 1);
    const r = minimize(f, [3]);
    expect(r.fx).toBeGreaterThanOrEqual(1);
    expect(r.x[0]).toBeGreaterThanOrEqual(0.5);
    expect(r.x[0]).toBeCloseTo(0.5, 4);
  });

  it('reports non-convergence when the iteration budget is too small', () => {
    const rosen = (p: Float64Array) => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;
    expect(minimize(rosen, [-1.2, 1], { maxIterations: 5, restarts: 0 }).converged).toBe(false);
  });
});
