import { describe, expect, it } from 'vitest';
import { lbeta, lgamma, lgammaRatio, logAddExp } from '../../src/math/special';

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

describe('lgammaRatio', () => {
  it('equals Σ ln(x + k), k < a, for whole a (Γ(x + a)/Γ(x) = x(x + 1)…(x + a − 1)), from x = 0.3 to 1e9 (1e-12)', () => {
    for (const x of [0.3, 1, 2.5, 9.99, 10, 57.2, 1e4, 1e9]) {
      for (const a of [0, 1, 2, 3, 7]) {
        let exact = 0;
        for (let k = 0; k < a; k++) exact += Math.log(x + k);
        expect(Math.abs(lgammaRatio(x, a) - exact), `x ${x}, a ${a}`).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(exact)),
        );
      }
    }
  });

  it('equals lgamma(x + a) − lgamma(x) where that difference keeps its digits (x, a ≤ 50; 1e-12)', () => {
    for (const x of [0.5, 1.7, 12.3, 49])
      for (const a of [0.25, 0.5, 1.5, 3.3]) {
        const direct = lgamma(x + a) - lgamma(x);
        expect(Math.abs(lgammaRatio(x, a) - direct)).toBeLessThan(1e-12 * Math.max(1, Math.abs(direct)));
      }
  });
});
