import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdConditionalProbabilityOfPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  fitBgNbd,
  predictBgNbd,
} from '../../src/clv/bg-nbd';
import type { BgNbdModel } from '../../src/clv/bg-nbd';
import { bgNbdLogLikelihoodGradient } from '../../src/clv/bg-nbd';
import { digamma } from '../../src/math/special';
import { maximise } from '../../src/clv/maximise-likelihood';
import type { CustomerHistories } from '../../src/clv/customer-histories';
import { randomSource } from '../../src/math/random';
import { lgamma } from '../../src/math/special';
import { dataset } from '../helpers/datasets';
import { histories, readCdnow, relative, round } from '../helpers/clv';
import { expectCode } from '../helpers/errors';

/**
 * The BG/NBD against its paper: Fader, Hardie & Lee (2005), "'Counting your customers' the easy way", Marketing
 * Science 24(2), 275–284, on the 2,357 CDNOW customers it was estimated on (weeks, 39-week calibration). The
 * published estimates, and the values of Hardie's BG/NBD spreadsheet, are the ones CamDavidsonPilon/lifetimes
 * asserts in tests/test_estimation.py (TestBetaGammaFitter: `test_params_out_is_close_to_Hardie_paper`,
 * `test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet`,
 * `test_expectation_returns_same_value_Hardie_excel_sheet`); the log-likelihood −9,582.4 is the paper's §7
 * comparison with the Pareto/NBD (−9,595.0). Beside them: a numerical integration of the individual-level model,
 * the model's own identities, and property and metamorphic tests.
 */

const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const COLUMNS = { frequency: 'x', recency: 't_x' } as const;

/** Customers simulated from the BG/NBD story (FHL 2005 §3), with ages spread over (T − 12, T]. */
function simulate(n: number, p: { r: number; alpha: number; a: number; b: number }, seed: number, maxAge = 39) {
  const rng = randomSource(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const age = maxAge - 12 * rng.uniform();
    const lambda = rng.gamma(p.r, 1 / p.alpha);
    const drop = rng.beta(p.a, p.b);
    let t = 0;
    let k = 0;
    let last = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > age) break;
      k++;
      last = t;
      if (rng.uniform() < drop) break; // inactive right after this purchase
    }
    x[i] = k;
    tx[i] = last;
    T[i] = age;
  }
  return { frequency: x, recency: tx, T };
}

const cdnowPath = dataset('cdnow_customers_summary.csv');

describe('BG/NBD on CDNOW: Fader, Hardie & Lee (2005)', () => {
  let cdnow: ReturnType<typeof readCdnow>;
  let model: BgNbdModel;
  beforeAll(() => {
    cdnow = readCdnow(cdnowPath!);
    model = fitBgNbd(cdnow, COLUMNS);
  });

  it('fitBgNbd reproduces FHL 2005: r = 0.243, α = 4.414, a = 0.793, b = 2.426 (3 decimals), LL = −9582.4 (1 decimal)', () => {
    const p = model.params;
    expect([round(p.r, 3), round(p.alpha, 3), round(p.a, 3), round(p.b, 3)]).toEqual([0.243, 4.414, 0.793, 2.426]);
    expect(model.logLikelihood.toFixed(1)).toBe('-9582.4');
    expect(model).toMatchObject({ kind: 'bgNbd', customers: 2357, patterns: 1016, dropped: {}, converged: true });
    for (const v of Object.values(model.standardErrors)) expect(v).toBeGreaterThan(0);
  });

  it('the log-likelihood at the published estimates is −9582.4 (FHL 2005 eq. 6, summed; no optimiser involved)', () => {
    const h = { x: cdnow.x, tx: cdnow.t_x, T: cdnow.T, weight: new Float64Array(2357).fill(1) } as CustomerHistories;
    const ll = bgNbdLogLikelihood(h)([PUBLISHED.r, PUBLISHED.alpha, PUBLISHED.a, PUBLISHED.b]);
    expect(ll.toFixed(1)).toBe('-9582.4');
  });

  it("E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226, as in Hardie's spreadsheet (lifetimes' tolerance 1e-3)", () => {
    expect(Math.abs(bgNbdConditionalExpectedPurchases(model, 2, 30.43, 38.86, 39) - 1.226)).toBeLessThan(1e-3);
    expect(
      Math.abs(bgNbdConditionalExpectedPurchases({ params: PUBLISHED }, 2, 30.43, 38.86, 39) - 1.226),
    ).toBeLessThan(1e-3);
  });

  it("E[X(t)] = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576 at t = 1/7 … 78 weeks, as in Hardie's spreadsheet (±5e-4)", () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, k) =>
      expect(Math.abs(bgNbdExpectedPurchases(model, t) - expected[k]), `t = ${t}`).toBeLessThan(5e-4),
    );
  });

  it('fitting the 1,016 distinct patterns with their counts as weights gives the fit on the 2,357 rows (1e-6 relative)', () => {
    const counts = new Map<string, { x: number; t_x: number; T: number; n: number }>();
    cdnow.x.forEach((x, i) => {
      const key = `${x},${cdnow.t_x[i]},${cdnow.T[i]}`;
      const e = counts.get(key);
      if (e) e.n++;
      else counts.set(key, { x, t_x: cdnow.t_x[i], T: cdnow.T[i], n: 1 });
    });
    const rows = [...counts.values()].reverse(); // another order than the original's
    expect(rows.length).toBe(1016);
    const weighted = fitBgNbd(rows, { ...COLUMNS, weights: 'n' });
    expect(weighted.customers).toBe(2357);
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(relative(weighted.params[k], model.params[k])).toBeLessThan(1e-6);
    expect(weighted.logLikelihood).toBeCloseTo(model.logLikelihood, 6);
  });

  it('time in days (× 7) multiplies α by 7 and leaves r, a, b (1e-6 relative); LL drops by ln 7 · Σx', () => {
    const days = fitBgNbd({ x: cdnow.x, t_x: cdnow.t_x.map((v) => 7 * v), T: cdnow.T.map((v) => 7 * v) }, COLUMNS);
    expect(relative(days.params.alpha, 7 * model.params.alpha)).toBeLessThan(1e-6);
    for (const k of ['r', 'a', 'b'] as const) expect(relative(days.params[k], model.params[k])).toBeLessThan(1e-6);
    const repeatPurchases = cdnow.x.reduce((s, v) => s + v, 0);
    expect(repeatPurchases).toBe(2457);
    expect(days.logLikelihood).toBeCloseTo(model.logLikelihood - Math.log(7) * repeatPurchases, 5);
  });

  it('predictBgNbd equals the scalar functions row by row, with NaN for a row the fit would drop', () => {
    const table = {
      x: [...cdnow.x.slice(0, 50), 1],
      t_x: [...cdnow.t_x.slice(0, 50), 50],
      T: [...cdnow.T.slice(0, 50), 38.86],
    };
    const alive = predictBgNbd(model, table, { ...COLUMNS, quantity: 'probabilityAlive' }).toArray() as Float64Array;
    const next = predictBgNbd(model, table, {
      ...COLUMNS,
      quantity: 'conditionalExpectedPurchases',
      t: 39,
    }).toArray() as Float64Array;
    expect(alive.length).toBe(51);
    for (let i = 0; i < 50; i++) {
      expect(alive[i]).toBe(bgNbdProbabilityAlive(model, cdnow.x[i], cdnow.t_x[i], cdnow.T[i]));
      expect(next[i]).toBe(bgNbdConditionalExpectedPurchases(model, cdnow.x[i], cdnow.t_x[i], cdnow.T[i], 39));
    }
    expect(alive[50]).toBeNaN(); // t_x > T
    expect(next[50]).toBeNaN();
  });
});

// parameters for the property tests: wide, including a < 1 and a + b < 1
const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.1, max: 100, noNaN: true }),
  a: fc.double({ min: 0.05, max: 5, noNaN: true }),
  b: fc.double({ min: 0.05, max: 10, noNaN: true }),
});
/** A valid history: x repeat purchases, the last at t_x ≤ T (t_x > 0 when x > 0). */
const history = fc
  .tuple(
    fc.integer({ min: 0, max: 60 }),
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.double({ min: 0.1, max: 200, noNaN: true }),
  )
  .map(([x, share, T]) => ({ x, tx: x === 0 ? 0 : share * T, T }));

describe('BG/NBD formulas', () => {
  it('P(alive) is in [0, 1], and exactly 1 when x = 0 (property)', () => {
    fc.assert(
      fc.property(params, history, (p, h) => {
        const alive = bgNbdProbabilityAlive({ params: p }, h.x, h.tx, h.T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        expect(bgNbdProbabilityAlive({ params: p }, 0, 0, h.T)).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('E[X(t)] is 0 at t = 0 and increases with t (property)', () => {
    fc.assert(
      fc.property(
        params,
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.double({ min: 1e-3, max: 300, noNaN: true }),
        (p, t, dt) => {
          const model = { params: p };
          expect(bgNbdExpectedPurchases(model, 0)).toBe(0);
          const e1 = bgNbdExpectedPurchases(model, t);
          const e2 = bgNbdExpectedPurchases(model, t + dt);
          expect(e1).toBeGreaterThanOrEqual(0);
          expect(e2).toBeGreaterThanOrEqual(e1 * (1 - 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('E[Y(t) | x, t_x, T] is ≥ 0, 0 at t = 0, and increases with t (property)', () => {
    fc.assert(
      fc.property(params, history, fc.double({ min: 0, max: 100, noNaN: true }), (p, h, t) => {
        const model = { params: p };
        const e = bgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, t);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(bgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, 0)).toBe(0);
        expect(bgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, t + 1)).toBeGreaterThanOrEqual(e * (1 - 1e-12));
      }),
      { numRuns: 300 },
    );
  });

  it('Σₓ P(X(t) = x) = 1 and Σₓ x·P(X(t) = x) = E[X(t)]: eq. 8 against eq. 9 and its ₂F₁ (1e-9)', () => {
    for (const p of [
      PUBLISHED,
      { r: 1.5, alpha: 3, a: 2.5, b: 4 },
      { r: 0.7, alpha: 20, a: 0.4, b: 0.3 },
      { r: 3, alpha: 1, a: 1 + 1e-7, b: 2 },
    ]) {
      for (const t of [0.5, 10, 39, 100]) {
        let total = 0;
        let mean = 0;
        for (let x = 0; x < 20_000; x++) {
          const q = bgNbdProbabilityOfPurchases({ params: p }, x, t);
          expect(q).toBeGreaterThanOrEqual(0);
          total += q;
          mean += x * q;
          if (q < 1e-20 && x > 50) break;
        }
        expect(Math.abs(total - 1), `Σ P at ${JSON.stringify(p)}, t = ${t}`).toBeLessThan(1e-9);
        expect(
          relative(mean, bgNbdExpectedPurchases({ params: p }, t)),
          `mean at ${JSON.stringify(p)}, t = ${t}`,
        ).toBeLessThan(1e-9);
      }
    }
  });

  it('likelihood, P(alive) and E[Y(t)] equal a numerical integration of the individual-level model over λ and p (FHL eqs. 3, 5, A2; 1e-9)', () => {
    // λ ~ gamma(r, α) on λ = e^v, p ~ beta(a, b) on p = 1/(1 + e^−u); the trapezoid rule on these smooth,
    // fast-decaying integrands converges geometrically
    const p = { r: 1.3, alpha: 6, a: 0.7, b: 2.2 };
    const vs = Array.from({ length: 700 }, (_, k) => -50 + (k * 60) / 699);
    const us = Array.from({ length: 700 }, (_, k) => -70 + (k * 110) / 699);
    const lambdaWeight = vs.map((v) =>
      Math.exp(p.r * Math.log(p.alpha) + p.r * v - p.alpha * Math.exp(v) - lgamma(p.r)),
    );
    const logB = lgamma(p.a) + lgamma(p.b) - lgamma(p.a + p.b);
    const pWeight = us.map((u) => {
      const q = 1 / (1 + Math.exp(-u));
      return Math.exp(p.a * Math.log(q) + p.b * Math.log1p(-q) - logB);
    });
    const dv = vs[1] - vs[0];
    const du = us[1] - us[0];
    for (const [x, tx, T, t] of [
      [0, 0, 30, 39],
      [2, 30.43, 38.86, 39],
      [7, 29.43, 38.86, 10],
      [1, 0.5, 20, 52],
    ]) {
      let likelihood = 0;
      let alive = 0;
      let future = 0;
      vs.forEach((v, i) => {
        const lambda = Math.exp(v);
        us.forEach((u, j) => {
          const q = 1 / (1 + Math.exp(-u));
          const w = lambdaWeight[i] * pWeight[j] * dv * du;
          // eq. 3: alive at T, or dropped out right after the x-th purchase at t_x
          const aliveTerm = (1 - q) ** x * lambda ** x * Math.exp(-lambda * T);
          const deadTerm = x > 0 ? q * (1 - q) ** (x - 1) * lambda ** x * Math.exp(-lambda * tx) : 0;
          likelihood += w * (aliveTerm + deadTerm);
          alive += w * aliveTerm;
          future += w * aliveTerm * (-Math.expm1(-lambda * q * t) / q); // eq. 5 from T on, by memorylessness
        });
      });
      const model = { params: p };
      expect(
        relative(Math.exp(bgNbdLogLikelihood(histories(x, tx, T))([p.r, p.alpha, p.a, p.b])), likelihood),
      ).toBeLessThan(1e-9);
      expect(relative(bgNbdProbabilityAlive(model, x, tx, T), alive / likelihood)).toBeLessThan(1e-9);
      expect(relative(bgNbdConditionalExpectedPurchases(model, x, tx, T, t), future / likelihood)).toBeLessThan(1e-9);
    }
  });

  it('stays accurate for heavy buyers, where the ₂F₁ of eq. 10 overflows (Fader & Hardie 2013 "#NUM!" note; 1e-8)', () => {
    // reference: λ integrated out in closed form, ∫ λˣ e^(−λT) (1 − e^(−λpt)) gamma(λ; r, α) dλ ∝ (α+T)^−(r+x) −
    // (α+T+pt)^−(r+x), then p ~ beta(a, b) by the trapezoid rule on p = 1/(1 + e^−u)
    const { r, alpha, a, b } = PUBLISHED;
    const [x, tx, T, t] = [3000, 38, 38.86, 39];
    const logB = lgamma(a) + lgamma(b) - lgamma(a + b);
    let numerator = 0;
    const du = 40 / 8000;
    for (let k = 0; k <= 8000; k++) {
      const u = -35 + k * du;
      const p = 1 / (1 + Math.exp(-u));
      const density = Math.exp(a * Math.log(p) + b * Math.log1p(-p) - logB); // beta(p) dp/du
      const remaining = -Math.expm1(-(r + x) * Math.log1p((p * t) / (alpha + T)));
      numerator += (k === 0 || k === 8000 ? 0.5 : 1) * du * density * Math.exp(x * Math.log1p(-p)) * (remaining / p);
    }
    const lb = (u: number, v: number) => lgamma(u) + lgamma(v) - lgamma(u + v);
    const denominator =
      Math.exp(lb(a, b + x) - logB) +
      Math.exp(lb(a + 1, b + x - 1) - logB + (r + x) * Math.log((alpha + T) / (alpha + tx)));
    const e = bgNbdConditionalExpectedPurchases({ params: PUBLISHED }, x, tx, T, t);
    expect(Number.isFinite(e)).toBe(true);
    expect(relative(e, numerator / denominator)).toBeLessThan(1e-8);
  });
});

describe('fitBgNbd', () => {
  it('recovers the parameters of 20,000 customers simulated from the model (within 4 standard errors)', () => {
    const truth = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };
    const fit = fitBgNbd(simulate(20_000, truth, 11));
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - truth[k]), `${k}: ${fit.params[k]} ± ${fit.standardErrors[k]}`).toBeLessThan(
        4 * fit.standardErrors[k],
      );
    }
  });

  it('weights equal expanded rows: integer weights give the fit of the rows repeated, in any order (metamorphic, 1e-5)', () => {
    const data = simulate(400, { r: 0.8, alpha: 3, a: 1.2, b: 2 }, 5, 20);
    const rng = randomSource(3);
    const weights = Float64Array.from(data.T, () => 1 + rng.int(4));
    const expanded: { frequency: number; recency: number; T: number }[] = [];
    data.T.forEach((T, i) => {
      for (let k = 0; k < weights[i]; k++) expanded.push({ frequency: data.frequency[i], recency: data.recency[i], T });
    });
    for (let i = expanded.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [expanded[i], expanded[j]] = [expanded[j], expanded[i]];
    }
    const weighted = fitBgNbd({ ...data, w: weights }, { weights: 'w' });
    const repeated = fitBgNbd(expanded);
    expect(weighted.customers).toBe(expanded.length);
    expect(repeated.customers).toBe(expanded.length);
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(relative(weighted.params[k], repeated.params[k])).toBeLessThan(1e-5);
    expect(weighted.logLikelihood).toBeCloseTo(repeated.logLikelihood, 6);
  });

  it('drops rows by reason (invalidValue, recencyAfterAge, recencyWithoutRepeat, repeatAtZero) and fits the rest', () => {
    const data = simulate(200, { r: 0.8, alpha: 3, a: 1.2, b: 2 }, 9, 20);
    const clean = fitBgNbd(data);
    const bad = {
      frequency: [...data.frequency, NaN, -1, 1.5, 2, 0, 3, 1],
      recency: [...data.recency, 1, 1, 1, 30, 4, 0, 2],
      T: [...data.T, 10, 10, 10, 20, 10, 10, Infinity],
    };
    const fit = fitBgNbd(bad);
    expect(fit.dropped).toEqual({ invalidValue: 4, recencyAfterAge: 1, recencyWithoutRepeat: 1, repeatAtZero: 1 });
    expect(fit.customers).toBe(200);
    expect(fit.params).toEqual(clean.params);
    const nullWeight = fitBgNbd({ ...data, w: [null, ...Array.from({ length: 199 }, () => 1)] }, { weights: 'w' });
    expect(nullWeight.dropped).toEqual({ invalidValue: 1 });
  });

  it('throws EMPTY_INPUT, MISSING_COLUMN, INVALID_TYPE, INVALID_OPTION and INVALID_VALUE with the shared grammar', () => {
    expectCode(() => fitBgNbd({ frequency: [], recency: [], T: [] }), 'EMPTY_INPUT', 'fitBgNbd: the table has no rows');
    expectCode(() => fitBgNbd({ frequency: [1], recency: [5], T: [3] }), 'EMPTY_INPUT', 'recencyAfterAge');
    expectCode(() => fitBgNbd({ frequency: [1], recency: [1], T: [3] }, { weights: 'w' }), 'MISSING_COLUMN', '"w"');
    expectCode(
      () => fitBgNbd({ x: [1], recency: [1], T: [3] }),
      'MISSING_COLUMN',
      'column "frequency" (option frequency)',
    );
    expectCode(() => fitBgNbd({ frequency: ['1'], recency: [1], T: [3] }), 'INVALID_TYPE', 'must hold numbers');
    expectCode(
      () => fitBgNbd({ frequency: [1], recency: [1], T: [3] }, { start: { r: -1 } }),
      'INVALID_OPTION',
      'start.r',
    );
    expectCode(
      () => fitBgNbd({ frequency: [1], recency: [1], T: [3] }, { start: { s: 1 } as never }),
      'INVALID_OPTION',
      'start.s',
    );
    expectCode(
      () => fitBgNbd({ frequency: [1], recency: [1], T: [3] }, { maxIterations: 0 }),
      'INVALID_OPTION',
      'maxIterations',
    );
    expectCode(
      () => bgNbdProbabilityAlive({ params: { ...PUBLISHED, a: 0 } }, 1, 1, 2),
      'INVALID_VALUE',
      'model.params.a',
    );
    expectCode(
      () =>
        predictBgNbd(
          { params: PUBLISHED },
          { frequency: [1], recency: [1], T: [2] },
          { quantity: 'conditionalExpectedPurchases' },
        ),
      'INVALID_OPTION',
      'option t',
    );
    expectCode(
      () => predictBgNbd({ params: PUBLISHED }, { frequency: [1], recency: [1], T: [2] }, { quantity: 'clv' as never }),
      'INVALID_OPTION',
      'option quantity',
    );
  });

  it('returns a frozen model, leaves its input unchanged, and says converged: false when maxIterations stops it', () => {
    const data = simulate(300, { r: 0.8, alpha: 3, a: 1.2, b: 2 }, 21, 20);
    const before = Array.from(data.recency);
    const fit = fitBgNbd(data, { maxIterations: 5, allowNonConvergence: true });
    expect(fit.converged).toBe(false);
    expect(
      Object.isFrozen(fit) &&
        Object.isFrozen(fit.params) &&
        Object.isFrozen(fit.standardErrors) &&
        Object.isFrozen(fit.dropped),
    ).toBe(true);
    expect(Array.from(data.recency)).toEqual(before);
  });

  it('scalar predictions give NaN for histories the fit would drop', () => {
    const model = { params: PUBLISHED };
    expect(bgNbdProbabilityAlive(model, 1, 5, 3)).toBeNaN();
    expect(bgNbdProbabilityAlive(model, 0, 2, 3)).toBeNaN();
    expect(bgNbdConditionalExpectedPurchases(model, 1.5, 1, 3, 10)).toBeNaN();
    expect(bgNbdConditionalExpectedPurchases(model, 1, 1, 3, -1)).toBeNaN();
    expect(bgNbdExpectedPurchases(model, NaN)).toBeNaN();
    expect(bgNbdProbabilityOfPurchases(model, -1, 3)).toBeNaN();
  });
});

describe('BG/NBD gradient (the BFGS fit)', () => {
  const EULER = 0.5772156649015329;

  it('digamma: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(x + 1) = ψ(x) + 1/x, ψ(n) = H(n−1) − γ (1e-14)', () => {
    expect(relative(digamma(1), -EULER)).toBeLessThan(1e-14);
    expect(relative(digamma(0.5), -EULER - 2 * Math.LN2)).toBeLessThan(1e-14);
    let harmonic = 0;
    for (let n = 1; n <= 60; n++) {
      expect(relative(digamma(n), harmonic - EULER), `n = ${n}`).toBeLessThan(1e-14);
      harmonic += 1 / n;
    }
    for (const x of [1e-3, 0.243, 0.793, 2.426, 9.99, 10, 37.5, 1e4]) {
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x), `x = ${x}`).toBeLessThan(1e-13 * Math.max(1, 1 / x));
    }
    expect(digamma(0)).toBeNaN();
    expect(digamma(-1)).toBeNaN();
  });

  it('its value equals bgNbdLogLikelihood and its gradient central finite differences on CDNOW (1e-6 relative)', () => {
    const cdnow = readCdnow(cdnowPath!);
    const h = { x: cdnow.x, tx: cdnow.t_x, T: cdnow.T, weight: new Float64Array(2357).fill(1) } as CustomerHistories;
    const ll = bgNbdLogLikelihood(h);
    const withGradient = bgNbdLogLikelihoodGradient(h);
    const grad = new Float64Array(4);
    const points = [
      [PUBLISHED.r, PUBLISHED.alpha, PUBLISHED.a, PUBLISHED.b],
      [1, 38.86, 1, 1],
      [0.5, 2, 1.7, 0.6],
      [3, 20, 0.2, 8],
    ];
    for (const point of points) {
      const value = withGradient(point, grad);
      expect(relative(value, ll(point))).toBeLessThan(1e-13);
      const scale = Math.max(...grad.map(Math.abs));
      for (let j = 0; j < 4; j++) {
        // central differences, Richardson-extrapolated (error O(h⁴)) so that a larger step keeps rounding small
        const central = (step: number) => {
          const up = [...point];
          const down = [...point];
          up[j] += step;
          down[j] -= step;
          return (ll(up) - ll(down)) / (2 * step);
        };
        const h0 = 1e-3 * point[j];
        const numeric = (4 * central(h0 / 2) - central(h0)) / 3;
        // relative to the component, or to the largest one where a component is near 0 (at the optimum)
        expect(
          Math.abs(grad[j] - numeric) / Math.max(Math.abs(numeric), 1e-3 * scale, 1),
          `${point} ∂${j}`,
        ).toBeLessThan(1e-6);
      }
    }
    expect(withGradient([0, 1, 1, 1], grad)).toBeNaN();
  });

  it('BFGS converges on CDNOW in a few dozen iterations, to the Nelder–Mead optimum (1e-5 relative)', () => {
    const cdnow = readCdnow(cdnowPath!);
    const h = { x: cdnow.x, tx: cdnow.t_x, T: cdnow.T, weight: new Float64Array(2357).fill(1) } as CustomerHistories;
    const ll = bgNbdLogLikelihood(h);
    const withGradient = bgNbdLogLikelihoodGradient(h);
    const start = Float64Array.of(1, 32.7, 1, 1);
    const scales = Float64Array.of(1, 32.7, 1, 1);
    let gradientCalls = 0;
    const quasi = maximise(ll, start, scales, 2357, 2000, undefined, {
      gradient: (p, g) => {
        gradientCalls++;
        return withGradient(p, g);
      },
    });
    const simplex = maximise(ll, start, scales, 2357, 2000);
    expect(quasi.converged).toBe(true);
    expect(quasi.iterations).toBeLessThan(60);
    expect(gradientCalls).toBeLessThan(100);
    for (let j = 0; j < 4; j++) expect(relative(quasi.params[j], simplex.params[j])).toBeLessThan(1e-5);
    expect(quasi.logLikelihood).toBeGreaterThanOrEqual(simplex.logLikelihood - 1e-8);
    const p = quasi.params;
    expect([round(p[0], 3), round(p[1], 3), round(p[2], 3), round(p[3], 3)]).toEqual([0.243, 4.414, 0.793, 2.426]);
  });
});

describe('BG/NBD conditional PMF P(X(T, T + t) = n | x, t_x, T)', () => {
  /** Σₙ f(n) and Σₙ n f(n) over n = 0, 1, … until the terms no longer move the mean. */
  const moments = (f: (n: number) => number) => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 50_000; n++) {
      const q = f(n);
      expect(q).toBeGreaterThanOrEqual(0);
      total += q;
      mean += n * q;
      if (n > 50 && (q === 0 || q * (n + 1) < 1e-18 * mean)) break;
    }
    return { total, mean };
  };

  it('Σₙ P = 1 and Σₙ n·P = E[Y(t) | x, t_x, T] of eq. 10 (1e-9)', () => {
    for (const p of [PUBLISHED, { r: 1.5, alpha: 3, a: 2.5, b: 4 }, { r: 0.7, alpha: 20, a: 0.4, b: 0.3 }]) {
      const model = { params: p };
      for (const [x, tx, T] of [
        [0, 0, 30],
        [2, 30.43, 38.86],
        [7, 29.43, 38.86],
        [40, 20, 39],
      ]) {
        for (const t of [1, 39, 100]) {
          const { total, mean } = moments((n) => bgNbdConditionalProbabilityOfPurchases(model, n, x, tx, T, t));
          expect(Math.abs(total - 1), `Σ P ${JSON.stringify(p)} ${x} ${t}`).toBeLessThan(1e-9);
          expect(relative(mean, bgNbdConditionalExpectedPurchases(model, x, tx, T, t)), `mean ${x} ${t}`).toBeLessThan(
            1e-9,
          );
        }
      }
    }
  });

  it('without repeat purchases the customer is alive, a new customer with α + T: at T = 0 it is eq. 8 itself', () => {
    const model = { params: PUBLISHED };
    const older = { params: { ...PUBLISHED, alpha: PUBLISHED.alpha + 20 } };
    for (const n of [0, 1, 3, 10]) {
      expect(bgNbdConditionalProbabilityOfPurchases(model, n, 0, 0, 0, 13)).toBe(
        bgNbdProbabilityOfPurchases(model, n, 13),
      );
      expect(
        relative(
          bgNbdConditionalProbabilityOfPurchases(model, n, 0, 0, 20, 13),
          bgNbdProbabilityOfPurchases(older, n, 13),
        ),
      ).toBeLessThan(1e-14);
    }
    expect(bgNbdConditionalProbabilityOfPurchases(model, 0, 2, 30.43, 38.86, 0)).toBe(1);
    expect(bgNbdConditionalProbabilityOfPurchases(model, 1, 2, 30.43, 38.86, 0)).toBe(0);
    expect(bgNbdConditionalProbabilityOfPurchases(model, 1.5, 2, 30.43, 38.86, 3)).toBeNaN();
    expect(bgNbdConditionalProbabilityOfPurchases(model, 1, 2, 40, 38.86, 3)).toBeNaN();
    expect(bgNbdConditionalProbabilityOfPurchases(model, 1, 2, 30.43, 38.86, -1)).toBeNaN();
  });

  it("at x = 0, T = 0 it is eq. 8, which equals BTYDplus's bgcnbd.pmf (C++ xbgcnbd_pmf_cpp, k = 1) at FHL's estimates, t = 39 (1e-10)", () => {
    // BTYDplus (mplatzer/BTYDplus, src/slice-sampling.cpp), compiled with Rcpp and run at (0.243, 4.414, 0.793, 2.426)
    const btydplus: [number, number][] = [
      [0, 0.57378635209601],
      [1, 0.19939528083591],
      [2, 0.08542975953906],
      [10, 0.00359042954019],
    ];
    for (const [n, q] of btydplus) {
      expect(relative(bgNbdConditionalProbabilityOfPurchases({ params: PUBLISHED }, n, 0, 0, 0, 39), q)).toBeLessThan(
        1e-10,
      );
    }
  });

  it('equals a numerical integration of the individual-level model over λ and p (FHL eqs. 3, 8; 1e-8)', () => {
    // given (λ, p), a customer alive at T buys n in the next t with (1 − p)ⁿ P(N = n) + δ(n>0) p (1 − p)^(n−1)
    // P(N ≥ n), N ~ Poisson(λt); weighted by the posterior ∝ the eq. 3 terms, plus the dead mass at n = 0
    const p = { r: 1.3, alpha: 6, a: 0.7, b: 2.2 };
    const model = { params: p };
    const vs = Array.from({ length: 600 }, (_, k) => -50 + (k * 60) / 599);
    const us = Array.from({ length: 600 }, (_, k) => -70 + (k * 110) / 599);
    const logB = lgamma(p.a) + lgamma(p.b) - lgamma(p.a + p.b);
    const lambdaWeight = vs.map((v) =>
      Math.exp(p.r * Math.log(p.alpha) + p.r * v - p.alpha * Math.exp(v) - lgamma(p.r)),
    );
    const pWeight = us.map((u) => {
      const q = 1 / (1 + Math.exp(-u));
      return Math.exp(p.a * Math.log(q) + p.b * Math.log1p(-q) - logB);
    });
    const dv = vs[1] - vs[0];
    const du = us[1] - us[0];
    const poisson = (m: number, k: number) => Math.exp(-m + k * Math.log(m) - lgamma(k + 1));
    const atLeast = (m: number, k: number) => {
      let s = 0;
      for (let j = 0; j < k; j++) s += poisson(m, j);
      return Math.max(0, 1 - s);
    };
    const t = 10;
    const ns = [0, 1, 2, 5];
    for (const [x, tx, T] of [
      [0, 0, 30],
      [2, 30.43, 38.86],
      [7, 29.43, 38.86],
    ]) {
      let likelihood = 0;
      const conditional = ns.map(() => 0);
      vs.forEach((v, i) => {
        const lambda = Math.exp(v);
        const exact = ns.map((n) => poisson(lambda * t, n));
        const tail = ns.map((n) => atLeast(lambda * t, n));
        us.forEach((u, j) => {
          const q = 1 / (1 + Math.exp(-u));
          const w = lambdaWeight[i] * pWeight[j] * dv * du;
          const aliveTerm = (1 - q) ** x * lambda ** x * Math.exp(-lambda * T);
          const deadTerm = x > 0 ? q * (1 - q) ** (x - 1) * lambda ** x * Math.exp(-lambda * tx) : 0;
          likelihood += w * (aliveTerm + deadTerm);
          ns.forEach((n, k) => {
            const next = (1 - q) ** n * exact[k] + (n > 0 ? q * (1 - q) ** (n - 1) * tail[k] : 0);
            conditional[k] += w * (aliveTerm * next + (n === 0 ? deadTerm : 0));
          });
        });
      });
      ns.forEach((n, k) => {
        expect(
          relative(bgNbdConditionalProbabilityOfPurchases(model, n, x, tx, T, t), conditional[k] / likelihood),
          `${x}, ${tx}, ${T}: P(${n})`,
        ).toBeLessThan(1e-8);
      });
    }
  });

  it('a seeded simulation of 40,000 customers with a 26-week holdout agrees within 3 σ on #{n} for n = 0, 1, 2, 3, 5', () => {
    // given the histories, each holdout count is an independent draw from the customer's conditional PMF: #{n} has
    // mean Σᵢ Pᵢ(n) and variance Σᵢ Pᵢ(n)(1 − Pᵢ(n))
    const truth = { r: 0.6, alpha: 4, a: 0.9, b: 2 };
    const model = { params: truth };
    const horizon = 26;
    const rng = randomSource(23);
    const n = 40_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    const future = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const age = 39 - 12 * rng.uniform();
      const lambda = rng.gamma(truth.r, 1 / truth.alpha);
      const drop = rng.beta(truth.a, truth.b);
      let t = 0;
      for (;;) {
        t += rng.exponential(lambda);
        if (t > age + horizon) break;
        if (t <= age) {
          x[i]++;
          tx[i] = t;
        } else future[i]++;
        if (rng.uniform() < drop) break;
      }
      T[i] = age;
    }
    for (const k of [0, 1, 2, 3, 5]) {
      let observed = 0;
      let mean = 0;
      let variance = 0;
      for (let i = 0; i < n; i++) {
        const q = bgNbdConditionalProbabilityOfPurchases(model, k, x[i], tx[i], T[i], horizon);
        if (future[i] === k) observed++;
        mean += q;
        variance += q * (1 - q);
      }
      expect(Math.abs(observed - mean), `n = ${k}: ${observed} vs ${mean.toFixed(1)}`).toBeLessThan(
        3 * Math.sqrt(variance),
      );
    }
  });
});
