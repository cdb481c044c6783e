import { describe, expect, it } from 'vitest';
import { standardErrors } from '../../src/math/standard-errors';

describe('standardErrors', () => {
  it('gives σ/√n for a normal mean and σ/√(2n) for a normal σ at the MLE (closed forms, 1e-5 relative)', () => {
    // n points with sample mean 3 and MLE σ̂ = 2: −ln L(μ, σ) = n ln σ + n(σ̂² + (x̄ − μ)²)/(2σ²)
    const n = 400;
    const nll = (p: Float64Array) => n * Math.log(p[1]) + (n * (4 + (3 - p[0]) ** 2)) / (2 * p[1] ** 2);
    const se = standardErrors(nll, [3, 2]);
    expect(se[0] / (2 / Math.sqrt(n))).toBeCloseTo(1, 5);
    expect(se[1] / (2 / Math.sqrt(2 * n))).toBeCloseTo(1, 5);
  });
  it('gives NaN where the Hessian is not positive definite (a saddle)', () => {
    const se = standardErrors((p) => p[0] ** 2 - p[1] ** 2, [0, 0]);
    expect(Array.from(se).every(Number.isNaN)).toBe(true);
  });
});
