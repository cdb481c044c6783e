import { describe, expect, it } from 'vitest';
import {
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdConditionalProbabilityOfPurchases,
  paretoNbdProbabilityOfPurchases,
} from '../../src/clv/index';
import { lgamma } from '../../src/math/special';
import { relative } from '../helpers/clv';
import { expectCode } from '../helpers/errors';

/**
 * The Pareto/NBD purchase-count distributions against the peers that print them, against their moments, and
 * against a brute-force integration of the individual-level model over λ and μ.
 *
 * Peer figures (CDNOW estimates r = 0.553, α = 10.578, s = 0.606, β = 11.669, weeks):
 * - P(X(t) = x): BTYD 2.4.3 (github:cran/BTYD, R/pnbd.R) `pnbd.pmf(params, t, x, hardie = TRUE)`, the ₂F₁ closed
 *   form of Fader & Hardie (2005, note 009, eq. 24 / note 012), run in R 4.2 with hypergeo; printed to 15 digits.
 * - P(X(T, T + t) = n | x, t_x, T): CamDavidsonPilon/lifetimes 0.11 `ParetoNBDFitter.
 *   conditional_probability_of_n_purchases_up_to_time` (Fader & Hardie 2014, note 028, eq. 16), run with scipy
 *   1.17.1; and its mean against BTYD's `pnbd.ConditionalExpectedTransactions` (1.4551231932576).
 */

const CDNOW = { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } };

describe('paretoNbdProbabilityOfPurchases: P(X(t) = x)', () => {
  it('reproduces BTYD pnbd.pmf on the CDNOW estimates, t = 39 and 78 weeks (1e-12 relative)', () => {
    const t39 = [
      0.5936250316023837, 0.1655629472771755, 0.0824871841163166, 0.0490399536428143, 0.0316957067442886,
      0.021484828361821, 0.0150111837531498, 0.0107077507335145,
    ];
    t39.forEach((p, x) =>
      expect(relative(paretoNbdProbabilityOfPurchases(CDNOW, x, 39), p), `x = ${x}`).toBeLessThan(1e-12),
    );
    const t78: [number, number][] = [
      [0, 0.55267187839990806],
      [1, 0.15354080657545355],
      [2, 0.07907691822604795],
      [5, 0.02525063997504915],
      [10, 0.00786673742001529],
    ];
    for (const [x, p] of t78) expect(relative(paretoNbdProbabilityOfPurchases(CDNOW, x, 78), p)).toBeLessThan(1e-12);
  });

  it('sums to 1 and its mean is paretoNbdExpectedPurchases (1e-10), for α < β and α > β, s below and above 1', () => {
    for (const params of [
      CDNOW.params,
      { r: 2.1, alpha: 3, s: 1.7, beta: 0.8 },
      { r: 0.3, alpha: 40, s: 3, beta: 15 },
    ]) {
      const model = { params };
      for (const t of [0.5, 10, 52]) {
        let total = 0;
        let mean = 0;
        for (let x = 0; x < 4000 && 1 - total > 1e-14; x++) {
          const p = paretoNbdProbabilityOfPurchases(model, x, t);
          total += p;
          mean += x * p;
        }
        expect(Math.abs(total - 1), `${JSON.stringify(params)} t = ${t}`).toBeLessThan(1e-10);
        expect(relative(mean, paretoNbdExpectedPurchases(model, t))).toBeLessThan(1e-8);
      }
    }
  });

  it('equals a numerical integration of the individual-level model over λ and μ (1e-7)', () => {
    // individual level: alive at t with probability e^−μt, Poisson(λt) purchases; or dead at τ < t:
    // ∫₀ᵗ μe^−μτ Pois(x; λτ) dτ = μλˣ/(λ+μ)^(x+1) · P(Gamma(x + 1) ≤ (λ+μ)t)
    for (const params of [
      { r: 1.3, alpha: 6, s: 0.9, beta: 12 },
      { r: 0.8, alpha: 15, s: 1.7, beta: 4 },
    ]) {
      for (const [x, t] of [
        [0, 39],
        [1, 5],
        [4, 39],
      ]) {
        const brute = integrateOverRates(params, (lambda, mu) => individualPmf(lambda, mu, x, t));
        expect(relative(paretoNbdProbabilityOfPurchases({ params }, x, t), brute), `x = ${x}, t = ${t}`).toBeLessThan(
          1e-7,
        );
      }
    }
  });

  it('is 1 at x = 0 for t = 0; NaN for a non-integer or negative x or t; INVALID_VALUE for a bad parameter', () => {
    expect(paretoNbdProbabilityOfPurchases(CDNOW, 0, 0)).toBe(1);
    expect(paretoNbdProbabilityOfPurchases(CDNOW, 3, 0)).toBe(0);
    expect(paretoNbdProbabilityOfPurchases(CDNOW, 1.5, 10)).toBeNaN();
    expect(paretoNbdProbabilityOfPurchases(CDNOW, -1, 10)).toBeNaN();
    expect(paretoNbdProbabilityOfPurchases(CDNOW, 1, -1)).toBeNaN();
    expect(paretoNbdProbabilityOfPurchases(CDNOW, 1, Infinity)).toBeNaN();
    expectCode(
      () => paretoNbdProbabilityOfPurchases({ params: { ...CDNOW.params, s: 0 } }, 1, 10),
      'INVALID_VALUE',
      'paretoNbdProbabilityOfPurchases: model.params.s',
    );
  });
});

describe('paretoNbdConditionalProbabilityOfPurchases: P(X(T, T + t) = n | x, t_x, T)', () => {
  it("reproduces lifetimes' conditional_probability_of_n_purchases_up_to_time (note 028 eq. 16) on CDNOW, t = 39 (1e-12)", () => {
    const lifetimes: [number, number, number, number[]][] = [
      [
        2,
        30.43,
        38.86,
        [
          0.4080627236064643, 0.21928749790096388, 0.15175652075729812, 0.09565534629635002, 0.056574645213165325,
          0.03198197026118472,
        ],
      ],
      [
        0,
        0,
        38.86,
        [
          0.9307148159456802, 0.04589812412580952, 0.014677144710534716, 0.005314443007192738, 0.0020364442708561185,
          0.0008056916079821032,
        ],
      ],
      [
        7,
        29.43,
        38.86,
        [
          0.3112444193308396, 0.06522712294196839, 0.07536849090248972, 0.08404649372244662, 0.08675668992114312,
          0.08255845358855485,
        ],
      ],
      [
        1,
        0.5,
        20,
        [
          0.8023974499929747, 0.07708128963372034, 0.047366934016375005, 0.029084659857850807, 0.017710141944108207,
          0.010690458362126943,
        ],
      ],
    ];
    for (const [x, tx, T, ps] of lifetimes) {
      ps.forEach((p, n) =>
        expect(
          relative(paretoNbdConditionalProbabilityOfPurchases(CDNOW, n, x, tx, T, 39), p),
          `n = ${n} | ${x}, ${tx}, ${T}`,
        ).toBeLessThan(1e-12),
      );
    }
  });

  it("sums to 1 and its mean is paretoNbdConditionalExpectedPurchases (1e-10), BTYD's 1.4551231932576 for (2, 30.43, 38.86)", () => {
    const histories: [number, number, number][] = [
      [2, 30.43, 38.86],
      [0, 0, 38.86],
      [7, 29.43, 38.86],
      [25, 10, 11],
    ];
    for (const [x, tx, T] of histories) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 4000 && 1 - total > 1e-14; n++) {
        const p = paretoNbdConditionalProbabilityOfPurchases(CDNOW, n, x, tx, T, 39);
        total += p;
        mean += n * p;
      }
      expect(Math.abs(total - 1), `${x}, ${tx}, ${T}`).toBeLessThan(1e-10);
      expect(relative(mean, paretoNbdConditionalExpectedPurchases(CDNOW, x, tx, T, 39))).toBeLessThan(1e-8);
      if (x === 2) expect(relative(mean, 1.4551231932576)).toBeLessThan(1e-12);
    }
  });

  it('equals the posterior integration of the individual-level model over λ and μ (1e-7)', () => {
    const params = { r: 1.3, alpha: 6, s: 0.9, beta: 12 };
    for (const [n, x, tx, T, t] of [
      [0, 2, 30.43, 38.86, 39],
      [1, 2, 30.43, 38.86, 39],
      [3, 0, 0, 20, 52],
      [2, 7, 29.43, 38.86, 10],
    ]) {
      // P(n | data) = E[δ(n=0) L_dead + L_alive P(n in t | λ, μ)] / E[L]
      const likelihood = (lambda: number, mu: number) => {
        const alive = lambda ** x * Math.exp(-(lambda + mu) * T);
        const dead =
          ((lambda ** x * mu) / (lambda + mu)) * (Math.exp(-(lambda + mu) * tx) - Math.exp(-(lambda + mu) * T));
        return { alive, dead };
      };
      const numerator = integrateOverRates(params, (lambda, mu) => {
        const l = likelihood(lambda, mu);
        return (n === 0 ? l.dead : 0) + l.alive * individualPmf(lambda, mu, n, t);
      });
      const denominator = integrateOverRates(params, (lambda, mu) => {
        const l = likelihood(lambda, mu);
        return l.alive + l.dead;
      });
      expect(
        relative(paretoNbdConditionalProbabilityOfPurchases({ params }, n, x, tx, T, t), numerator / denominator),
        `n = ${n} | ${x}, ${tx}, ${T}`,
      ).toBeLessThan(1e-7);
    }
  });

  it('is 1 for n = 0 over t = 0; NaN for a history the fit would drop or a bad n or t', () => {
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 0, 2, 30, 38, 0)).toBe(1);
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 1, 2, 30, 38, 0)).toBe(0);
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 0, 0, 3, 38, 10)).toBeNaN(); // x = 0 with t_x > 0
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 0, 2, 40, 38, 10)).toBeNaN(); // t_x > T
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 0.5, 2, 30, 38, 10)).toBeNaN();
    expect(paretoNbdConditionalProbabilityOfPurchases(CDNOW, 1, 2, 30, 38, -1)).toBeNaN();
  });
});

/** P(X(t) = x | λ, μ) of the individual-level Pareto/NBD (Poisson purchases until an exponential death). */
function individualPmf(lambda: number, mu: number, x: number, t: number): number {
  const logPoisson = (k: number, m: number) => k * Math.log(m) - m - lgamma(k + 1);
  const alive = Math.exp(-mu * t + (x === 0 ? -lambda * t : logPoisson(x, lambda * t)));
  // P(Gamma(x + 1) ≤ y): the upper series e^−y Σ_{k>x} yᵏ/k! when y is small, else 1 − e^−y Σ_{k≤x} yᵏ/k!
  const y = (lambda + mu) * t;
  let cdf = 0;
  if (y < x + 1) {
    for (let k = x + 1; k < x + 400; k++) {
      const term = Math.exp(logPoisson(k, y));
      cdf += term;
      if (term < 1e-18 * cdf) break;
    }
  } else {
    let below = 0;
    for (let k = 0; k <= x; k++) below += Math.exp(k === 0 ? -y : logPoisson(k, y));
    cdf = 1 - below;
  }
  const dead = (mu / (lambda + mu)) * Math.exp(x * Math.log(lambda / (lambda + mu))) * cdf;
  return alive + dead;
}

/** ∫∫ g(λ | r, α) g(μ | s, β) h(λ, μ) dλ dμ by the trapezoid rule on ln λ, ln μ (500 × 500 points). */
function integrateOverRates(
  p: { r: number; alpha: number; s: number; beta: number },
  h: (lambda: number, mu: number) => number,
): number {
  const grid = (lo: number, hi: number) => Array.from({ length: 500 }, (_, k) => lo + (k * (hi - lo)) / 499);
  const gammaOnLog = (shape: number, rate: number, v: number) =>
    Math.exp(shape * Math.log(rate) + shape * v - rate * Math.exp(v) - lgamma(shape));
  const vs = grid(-50, 7);
  const ws = grid(-60, 7);
  const dA = (vs[1] - vs[0]) * (ws[1] - ws[0]);
  const gl = vs.map((v) => gammaOnLog(p.r, p.alpha, v));
  const gm = ws.map((w) => gammaOnLog(p.s, p.beta, w));
  let total = 0;
  for (let i = 0; i < vs.length; i++) {
    const lambda = Math.exp(vs[i]);
    for (let j = 0; j < ws.length; j++) total += gl[i] * gm[j] * dA * h(lambda, Math.exp(ws[j]));
  }
  return total;
}
