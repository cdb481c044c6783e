import { describe, expect, it } from 'vitest';
import { lbeta, lgamma, logAddExp } from '../../src/math/special';

describe('special functions', () => {
  it('lgamma matches ln((n-1)!) and Γ(1/2) = √π (1e-13)', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      expect(lgamma(n)).toBeCloseTo(Math.log(factorial), 12);
      factorial *= n;
    }
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
  });
  it('lbeta matches B(a, b) = (a−1)!(b−1)!/(a+b−1)! for integers and B(1/2, 1/2) = π', () => {
    expect(Math.exp(lbeta(3, 4))).toBeCloseTo((2 * 6) / 720, 14);
    expect(Math.exp(lbeta(0.5, 0.5))).toBeCloseTo(Math.PI, 12);
  });
  it('logAddExp adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, 2)).toBe(2);
  });
});
