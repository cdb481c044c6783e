import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfgs } from '../../src/math/bfgs';
import { minimize } from '../../src/math/minimize';

/** The n-dimensional Rosenbrock function and its gradient. */
function rosenbrock(p: Float64Array, g: Float64Array): number {
  let s = 0;
  g.fill(0);
  for (let i = 0; i < p.length - 1; i++) {
    const u = p[i + 1] - p[i] ** 2;
    s += 100 * u * u + (1 - p[i]) ** 2;
    g[i] += -400 * u * p[i] - 2 * (1 - p[i]);
    g[i + 1] += 200 * u;
  }
  return s;
}

describe('bfgs (quasi-Newton with a strong-Wolfe line search)', () => {
  it("finds the minimum of Rosenbrock's function at (1, 1) from (−1.2, 1) to 1e-6", () => {
    const r = bfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it("finds the 4-dimensional Rosenbrock minimum from scipy's start (1.3, 0.7, 0.8, 1.9) to 1e-6", () => {
    const r = bfgs(rosenbrock, [1.3, 0.7, 0.8, 1.9]);
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
  });

  it('needs far fewer evaluations than Nelder–Mead on Rosenbrock', () => {
    const g = new Float64Array(4);
    const quasi = bfgs(rosenbrock, [1.3, 0.7, 0.8, 1.9]);
    const simplex = minimize((p) => rosenbrock(p, g), [1.3, 0.7, 0.8, 1.9], { maxIterations: 20000, restarts: 3 });
    expect(quasi.evaluations * 5).toBeLessThan(simplex.evaluations);
  });

  it('minimises random positive-definite quadratics to their closed-form minimum (property, 5e-6)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n * n, maxLength: n * n }),
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
            ),
          ),
        ([l, target]) => {
          const n = target.length;
          // A = L Lᵀ + 0.1 I (positive definite), b = A x*: f = ½ xᵀA x − bᵀx has its minimum at x*
          const A = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let v = i === j ? 0.1 : 0;
              for (let k = 0; k < n; k++) v += l[i * n + k] * l[j * n + k];
              A[i * n + j] = v;
            }
          }
          const b = target.map((_, i) => target.reduce((s, t, j) => s + A[i * n + j] * t, 0));
          const f = (x: Float64Array, g: Float64Array) => {
            let v = 0;
            for (let i = 0; i < n; i++) {
              let ax = 0;
              for (let j = 0; j < n; j++) ax += A[i * n + j] * x[j];
              g[i] = ax - b[i];
              v += 0.5 * x[i] * ax - b[i] * x[i];
            }
            return v;
          };
          const r = bfgs(f, new Float64Array(n), { gradientTolerance: 1e-11, fTolerance: 0 });
          // The attainable accuracy of a line search on f is about √(ε·|f| / λ_min): with λ_min ≥ 0.1 and |f| up to
          // ~10³ here that is ~5e-7 at worst (fast-check found 8.7e-7 for a condition number near 10⁴), so 5e-6.
          target.forEach((t, i) => expect(r.x[i]).toBeCloseTo(t, 5));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never accepts points where the function is Infinity or NaN (a domain wall at x < 0.5)', () => {
    const r = bfgs(
      (p, g) => {
        g[0] = 2 * (p[0] - 0.6);
        return p[0] < 0.5 ? NaN : (p[0] - 0.6) ** 2 + 1;
      },
      [3],
    );
    expect(r.x[0]).toBeGreaterThanOrEqual(0.5);
    expect(r.x[0]).toBeCloseTo(0.6, 6);
  });

  it('a line search that fails at the optimum, where rounding of f hides any decrease, counts as converged (1e-6)', () => {
    // f = 8 + cosh u + cosh v + uv/2, u = p₀ − π/3, v = p₁ + e (minimum 10 at u = v = 0), with a 1e-13 relative
    // "rounding" wobble that changes from one representable p to the next, and the exact gradient: once the decrease left is below the wobble no step is acceptable,
    // as for a log-likelihood summed over a million customers
    const noisy = (p: Float64Array, g: Float64Array) => {
      const u = p[0] - Math.PI / 3;
      const v = p[1] + Math.E;
      g[0] = Math.sinh(u) + v / 2;
      g[1] = Math.sinh(v) + u / 2;
      const exact = 8 + Math.cosh(u) + Math.cosh(v) + (u * v) / 2;
      return exact * (1 + 1e-13 * Math.sin(1e15 * (p[0] + 3 * p[1])));
    };
    const r = bfgs(noisy, [2, 1], { gradientTolerance: 1e-30, fTolerance: 1e-30 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - Math.PI / 3)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[1] + Math.E)).toBeLessThan(1e-6);
    // and it gives up at once, not after halving the step some 50 times: one evaluation per iteration, plus the start
    expect(r.evaluations).toBeLessThanOrEqual(r.iterations + 2);
    // the same failure far from the optimum (a decrease of f that the gradient promises but f never shows) does not
    const stuck = bfgs(
      (p, g) => {
        g[0] = 1;
        return 5;
      },
      [0],
    );
    expect(stuck.converged).toBe(false);
  });

  it('reports non-convergence when the iteration budget is too small', () => {
    expect(bfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 }).converged).toBe(false);
  });
});
