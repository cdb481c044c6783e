import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fitMbgNbd,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdConditionalProbabilityOfPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdLogLikelihood,
  mbgNbdLogLikelihoodGradient,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfPurchases,
  predictMbgNbd,
} from '../../src/clv/mbg-nbd';
import type { MbgNbdModel } from '../../src/clv/mbg-nbd';
import { bgNbdLogLikelihood } from '../../src/clv/bg-nbd';
import { maximise } from '../../src/clv/maximise-likelihood';
import type { CustomerHistories } from '../../src/clv/customer-histories';
import { predictClv } from '../../src/clv/predict-clv';
import { REPEAT_MODELS, repeatModel } from '../../src/clv/repeat-models';
import { randomSource } from '../../src/math/random';
import { lgamma } from '../../src/math/special';
import { dataset } from '../helpers/datasets';
import { histories, readCdnow, relative, round } from '../helpers/clv';
import { expectCode } from '../helpers/errors';

/**
 * The MBG/NBD (Batislam, Denizel & Filiztekin 2007, IJRM 24(3); Wagner & Hoppe 2008's erratum) against its peers
 * on the 2,357 CDNOW customers (weeks, 39-week calibration):
 * - lifetimes' tests/test_estimation.py, TestModifiedBetaGammaFitter: `test_params_out_is_close_to_BTYDplus`
 *   (r = 0.525, α = 6.183, a = 0.891, b = 1.614 to 3 decimals) and its looser checks against Hardie's BG/NBD
 *   spreadsheet;
 * - BTYDplus (mplatzer/BTYDplus, R/mbg-cnbd-k.R, k = 1), its R code run on the same data: `mbgnbd.EstimateParameters`
 *   gives r = 0.5248381242, α = 6.1829968575, a = 0.8913843091, b = 1.6140454854 with `mbgcnbd.cbs.LL` =
 *   −9582.13268493 (−9582.13279529 at lifetimes' rounded estimates); `mbgcnbd.PAlive` and
 *   `mbgcnbd.ConditionalExpectedTransactions` at those estimates, and its C++ PMF `xbgcnbd_pmf_cpp` (compiled with
 *   Rcpp), are the figures below (printed to 12 digits);
 * - pymc-marketing's tests/clv/models/test_modified_beta_geo.py, `test_numerically_stable_logp`: the log-likelihood
 *   of (x, t_x, T) = (0, 0, 40) and (200, 38, 40) at a = 0.8, b = 2.5, r = 0.25, α = 4 is −0.41792826 and 100.7869.
 * Beside them: a numerical integration of the individual-level model over λ and p, a seeded simulation of the model
 * (3-σ bounds), the model's identities, and property and metamorphic tests.
 */

const LIFETIMES = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
const BTYDPLUS = { r: 0.5248381242, alpha: 6.1829968575, a: 0.8913843091, b: 1.6140454854 };
const COLUMNS = { frequency: 'x', recency: 't_x' } as const;
const NAMES = ['r', 'alpha', 'a', 'b'] as const;
type Params = typeof LIFETIMES;

/**
 * Customers simulated from the (M)BG/NBD story: λ ~ gamma(r, α), p ~ beta(a, b); with `atZero` a drop-out coin at
 * the first purchase, and one after every repeat purchase; Poisson purchases while active. Ages are spread over
 * (maxAge − 12, maxAge]; `future` counts the purchases in (T, T + horizon], `alive` says whether the customer was
 * still active at T.
 */
function simulate(n: number, p: Params, seed: number, atZero: boolean, maxAge = 39, horizon = 0) {
  const rng = randomSource(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const future = new Float64Array(n);
  const alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const age = maxAge - 12 * rng.uniform();
    const lambda = rng.gamma(p.r, 1 / p.alpha);
    const drop = rng.beta(p.a, p.b);
    let deadAt = atZero && rng.uniform() < drop ? 0 : Infinity;
    let t = 0;
    let k = 0;
    let last = 0;
    let later = 0;
    while (deadAt === Infinity) {
      t += rng.exponential(lambda);
      if (t > age + horizon) break;
      if (t <= age) {
        k++;
        last = t;
      } else later++;
      if (rng.uniform() < drop) deadAt = t; // inactive right after this purchase
    }
    x[i] = k;
    tx[i] = last;
    T[i] = age;
    future[i] = later;
    alive[i] = deadAt > age ? 1 : 0;
  }
  return { frequency: x, recency: tx, T, future, alive };
}

const cdnowPath = dataset('cdnow_customers_summary.csv');
const cdnowHistories = (c: ReturnType<typeof readCdnow>) =>
  ({ x: c.x, tx: c.t_x, T: c.T, weight: new Float64Array(c.x.length).fill(1) }) as CustomerHistories;
const asArray = (p: Params) => [p.r, p.alpha, p.a, p.b];

describe('MBG/NBD on CDNOW: lifetimes, BTYDplus and pymc-marketing', () => {
  let cdnow: ReturnType<typeof readCdnow>;
  let model: MbgNbdModel;
  beforeAll(() => {
    cdnow = readCdnow(cdnowPath!);
    model = fitMbgNbd(cdnow, COLUMNS);
  });

  it("fitMbgNbd reproduces lifetimes' test_params_out_is_close_to_BTYDplus: r = 0.525, α = 6.183, a = 0.891, b = 1.614 (3 decimals)", () => {
    const p = model.params;
    expect([round(p.r, 3), round(p.alpha, 3), round(p.a, 3), round(p.b, 3)]).toEqual([0.525, 6.183, 0.891, 1.614]);
    expect(model).toMatchObject({ kind: 'mbgNbd', customers: 2357, patterns: 1016, dropped: {}, converged: true });
    expect(model.identified).toBe(true);
    for (const k of NAMES) expect(model.standardErrors[k]).toBeGreaterThan(0);
    // BFGS on the analytic gradient, not the Nelder–Mead fallback
    expect(model.iterations).toBeLessThan(60);
  });

  it("its log-likelihood, −9582.1327, is BTYDplus's mbgcnbd.cbs.LL at BTYDplus's own estimate (4 decimals; ours is not lower)", () => {
    expect(model.logLikelihood.toFixed(4)).toBe('-9582.1327');
    expect(model.logLikelihood).toBeGreaterThanOrEqual(-9582.13268493 - 1e-6);
    // the estimates agree with BTYDplus's L-BFGS-B to 1e-4 relative (the likelihood is flat along a and b)
    for (const k of NAMES) expect(relative(model.params[k], BTYDPLUS[k]), k).toBeLessThan(1e-4);
  });

  it("the log-likelihood at given parameters equals BTYDplus's mbgcnbd.cbs.LL: −9582.13279529 at lifetimes' estimates, −9582.13268493 at BTYDplus's (1e-8)", () => {
    const ll = mbgNbdLogLikelihood(cdnowHistories(cdnow));
    expect(Math.abs(ll(asArray(LIFETIMES)) + 9582.13279529)).toBeLessThan(1e-8 * 9582);
    expect(Math.abs(ll(asArray(BTYDPLUS)) + 9582.13268493)).toBeLessThan(1e-8 * 9582);
  });

  it("the log-likelihood of (0, 0, 40) and (200, 38, 40) at a = 0.8, b = 2.5, r = 0.25, α = 4 is pymc-marketing's −0.41792826 and 100.7869 (5 decimals)", () => {
    const at = [0.25, 4, 0.8, 2.5];
    expect(mbgNbdLogLikelihood(histories(0, 0, 40))(at)).toBeCloseTo(-0.41792826, 5);
    expect(mbgNbdLogLikelihood(histories(200, 38, 40))(at)).toBeCloseTo(100.7869, 4);
  });

  it("P(alive) equals BTYDplus's mbgcnbd.PAlive at its CDNOW estimates (1e-9), x = 0 customers included", () => {
    const m = { params: BTYDPLUS };
    const cases: [number, number, number, number][] = [
      [0, 0, 38.86, 0.389715619986],
      [2, 30.43, 38.86, 0.706122349245],
      [0, 0, 1, 0.625987924832],
      [7, 29.43, 38.86, 0.622632638695],
      [1, 0.5, 20, 0.267693893104],
    ];
    for (const [x, tx, T, expected] of cases) {
      expect(relative(mbgNbdProbabilityAlive(m, x, tx, T), expected), `${x}, ${tx}, ${T}`).toBeLessThan(1e-9);
    }
    let mean = 0;
    cdnow.x.forEach((x, i) => (mean += mbgNbdProbabilityAlive(m, x, cdnow.t_x[i], cdnow.T[i]) / 2357));
    expect(relative(mean, 0.448720497193)).toBeLessThan(1e-9);
  });

  it("E[Y(39) | x, t_x, T] equals BTYDplus's mbgcnbd.ConditionalExpectedTransactions, per customer and summed over CDNOW (1e-9)", () => {
    const m = { params: BTYDPLUS };
    const cases: [number, number, number, number][] = [
      [0, 0, 38.86, 0.153953159794],
      [2, 30.43, 38.86, 1.262659022169],
      [7, 29.43, 38.86, 3.166754947553],
      [1, 0.5, 20, 0.461699041998],
    ];
    for (const [x, tx, T, expected] of cases) {
      expect(relative(mbgNbdConditionalExpectedPurchases(m, x, tx, T, 39), expected), `${x}`).toBeLessThan(1e-9);
    }
    let total = 0;
    cdnow.x.forEach((x, i) => (total += mbgNbdConditionalExpectedPurchases(m, x, cdnow.t_x[i], cdnow.T[i], 39)));
    expect(relative(total, 1576.71953954)).toBeLessThan(1e-9);
  });

  it("lifetimes' MBG checks against Hardie's BG/NBD spreadsheet hold: E[Y(39) | 2, 30.43, 38.86] within 0.05 of 1.226, E[X(t)] within 5%", () => {
    expect(Math.abs(mbgNbdConditionalExpectedPurchases(model, 2, 30.43, 38.86, 39) - 1.226)).toBeLessThan(0.05);
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, k) =>
      expect(relative(mbgNbdExpectedPurchases(model, t), expected[k]), `t = ${t}`).toBeLessThan(0.05),
    );
  });

  it("P(X(t) = x) equals BTYDplus's mbgcnbd.pmf (its C++ xbgcnbd_pmf_cpp, k = 1) at its CDNOW estimates, t = 39 and 78 (1e-10)", () => {
    const m = { params: BTYDPLUS };
    const at39 = [0.5826060136597, 0.1827640398622, 0.0868707502683, 0.0485506657552, 0.0297588575844, 0.0193756133526];
    at39.forEach((q, x) => expect(relative(mbgNbdProbabilityOfPurchases(m, x, 39), q), `x = ${x}`).toBeLessThan(1e-10));
    const at78: [number, number][] = [
      [0, 0.5194075530442],
      [1, 0.1815446938493],
      [7, 0.0135467326916],
    ];
    for (const [x, q] of at78) expect(relative(mbgNbdProbabilityOfPurchases(m, x, 78), q)).toBeLessThan(1e-10);
    // BTYDplus's mbgcnbd.Expectation sums x·P(x) and stops once a term is below 1e-8 (x ≥ 100): 1.18227272442 and
    // 1.80332795880, a little below the closed form
    for (const [t, truncated] of [
      [39, 1.18227272442],
      [78, 1.8033279588],
    ]) {
      const e = mbgNbdExpectedPurchases(m, t);
      expect(e).toBeGreaterThan(truncated);
      expect(relative(e, truncated)).toBeLessThan(2e-4);
    }
  });

  it("lifetimes' test_probability_of_n_purchases_up_to_time_same_as_R_BTYD holds for the MBG/NBD PMF (its tolerances: 1e-4 absolute, 50 %)", () => {
    // lifetimes checks its ModifiedBetaGeoFitter's PMF at FHL's BG/NBD estimates against BTYD's BG/NBD figures
    const m = { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
    expect(Math.abs(mbgNbdProbabilityOfPurchases(m, 10, 2) - 1.07869e-7)).toBeLessThan(1e-4);
    const btyd = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913, 0.0003467171,
      0.0002769613, 0.000222226,
    ];
    btyd.forEach((q, k) => expect(relative(mbgNbdProbabilityOfPurchases(m, 11 + k, 30), q)).toBeLessThan(0.5));
  });

  it("lifetimes' penalizer test: penalizer 0.1, then 1, shrinks the sum of the estimates", () => {
    const sum = (m: MbgNbdModel) => m.params.r + m.params.alpha + m.params.a + m.params.b;
    const light = fitMbgNbd(cdnow, { ...COLUMNS, penalizer: 0.1, allowUnidentified: true });
    const heavy = fitMbgNbd(cdnow, { ...COLUMNS, penalizer: 1, allowUnidentified: true });
    expect(sum(light)).toBeLessThan(sum(model));
    expect(sum(heavy)).toBeLessThan(sum(light));
    expect(light.penalizer).toBe(0.1);
  });

  it('fitting the 1,016 distinct patterns with their counts as weights gives the fit on the 2,357 rows (1e-6 relative)', () => {
    const counts = new Map<string, { x: number; t_x: number; T: number; n: number }>();
    cdnow.x.forEach((x, i) => {
      const key = `${x},${cdnow.t_x[i]},${cdnow.T[i]}`;
      const e = counts.get(key);
      if (e) e.n++;
      else counts.set(key, { x, t_x: cdnow.t_x[i], T: cdnow.T[i], n: 1 });
    });
    const weighted = fitMbgNbd([...counts.values()].reverse(), { ...COLUMNS, weights: 'n' });
    expect(weighted.customers).toBe(2357);
    for (const k of NAMES) expect(relative(weighted.params[k], model.params[k])).toBeLessThan(1e-6);
    expect(weighted.logLikelihood).toBeCloseTo(model.logLikelihood, 6);
  });

  it('time in days (× 7) multiplies α by 7 and leaves r, a, b (1e-6 relative); LL drops by ln 7 · Σx', () => {
    const days = fitMbgNbd({ x: cdnow.x, t_x: cdnow.t_x.map((v) => 7 * v), T: cdnow.T.map((v) => 7 * v) }, COLUMNS);
    expect(relative(days.params.alpha, 7 * model.params.alpha)).toBeLessThan(1e-6);
    for (const k of ['r', 'a', 'b'] as const) expect(relative(days.params[k], model.params[k])).toBeLessThan(1e-6);
    expect(days.logLikelihood).toBeCloseTo(model.logLikelihood - Math.log(7) * 2457, 5);
  });

  it('predictMbgNbd equals the scalar functions row by row, with NaN for a row the fit would drop', () => {
    const table = {
      x: [...cdnow.x.slice(0, 50), 1],
      t_x: [...cdnow.t_x.slice(0, 50), 50],
      T: [...cdnow.T.slice(0, 50), 38.86],
    };
    const alive = predictMbgNbd(model, table, { ...COLUMNS, quantity: 'probabilityAlive' }).toArray() as Float64Array;
    const next = predictMbgNbd(model, table, {
      ...COLUMNS,
      quantity: 'conditionalExpectedPurchases',
      t: 39,
    }).toArray() as Float64Array;
    expect(alive.length).toBe(51);
    for (let i = 0; i < 50; i++) {
      expect(alive[i]).toBe(mbgNbdProbabilityAlive(model, cdnow.x[i], cdnow.t_x[i], cdnow.T[i]));
      expect(next[i]).toBe(mbgNbdConditionalExpectedPurchases(model, cdnow.x[i], cdnow.t_x[i], cdnow.T[i], 39));
    }
    expect(alive[50]).toBeNaN();
    expect(next[50]).toBeNaN();
  });

  it('predictClv takes an MBG/NBD model through the registry: pAlive and expectedPurchases are the MBG/NBD ones', () => {
    const rows = {
      customer: [1, 2, 3],
      frequency: [0, 2, 7],
      recency: [0, 30.43, 29.43],
      T: [38.86, 38.86, 38.86],
      monetary: [0, 22.35, 40],
    };
    const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
    const table = predictClv({ ...model, kind: 'mbgNbd' }, gg, rows, { horizon: 39, discountRate: 0 });
    const pAlive = table.getChild('pAlive')!.toArray() as Float64Array;
    const purchases = table.getChild('expectedPurchases')!.toArray() as Float64Array;
    rows.customer.forEach((_, i) => {
      expect(pAlive[i]).toBe(mbgNbdProbabilityAlive(model, rows.frequency[i], rows.recency[i], rows.T[i]));
      expect(
        relative(
          purchases[i],
          mbgNbdConditionalExpectedPurchases(model, rows.frequency[i], rows.recency[i], 38.86, 39),
        ),
      ).toBeLessThan(1e-12);
    });
    expect(pAlive[0]).toBeLessThan(1); // the BG/NBD would say 1
    expect(repeatModel(model, 'f').label).toBe('MBG/NBD');
    expect(REPEAT_MODELS.mbgNbd.fit(cdnow, COLUMNS).params).toEqual(model.params);
  });
});

// parameters for the property tests: wide, including a < 1 and a + b < 1
const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.1, max: 100, noNaN: true }),
  a: fc.double({ min: 0.05, max: 5, noNaN: true }),
  b: fc.double({ min: 0.05, max: 10, noNaN: true }),
});
const history = fc
  .tuple(
    fc.integer({ min: 0, max: 60 }),
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.double({ min: 0.1, max: 200, noNaN: true }),
  )
  .map(([x, share, T]) => ({ x, tx: x === 0 ? 0 : share * T, T }));

/** Σₙ f(n) and Σₙ n f(n) over n = 0, 1, … until the terms vanish. */
function moments(f: (n: number) => number): { total: number; mean: number } {
  let total = 0;
  let mean = 0;
  for (let n = 0; n < 50_000; n++) {
    const q = f(n);
    expect(q).toBeGreaterThanOrEqual(0);
    total += q;
    mean += n * q;
    // stop when the terms no longer move the mean (relative, so that a customer almost surely dead still counts)
    if (n > 50 && (q === 0 || q * (n + 1) < 1e-18 * mean)) break;
  }
  return { total, mean };
}

const SETS: Params[] = [
  LIFETIMES,
  { r: 1.5, alpha: 3, a: 2.5, b: 4 },
  { r: 0.7, alpha: 20, a: 0.4, b: 0.3 },
  { r: 3, alpha: 1, a: 1 + 1e-7, b: 2 },
];

describe('MBG/NBD formulas', () => {
  it('P(alive) is in [0, 1], below 1 for x = 0 and falling with the age T then (property)', () => {
    fc.assert(
      fc.property(params, history, (p, h) => {
        const model = { params: p };
        const alive = mbgNbdProbabilityAlive(model, h.x, h.tx, h.T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        const zero = mbgNbdProbabilityAlive(model, 0, 0, h.T);
        expect(zero).toBeLessThan(1);
        expect(mbgNbdProbabilityAlive(model, 0, 0, h.T + 1)).toBeLessThanOrEqual(zero);
        // at T = 0 only the coin at the first purchase has been thrown: P(alive) = 1 − E[p] = b/(a + b)
        expect(relative(mbgNbdProbabilityAlive(model, 0, 0, 0), p.b / (p.a + p.b))).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('E[X(t)] and E[Y(t) | x, t_x, T] are 0 at t = 0 and increase with t; at T = 0 the conditional one is E[X(t)] (property)', () => {
    fc.assert(
      fc.property(params, history, fc.double({ min: 0, max: 100, noNaN: true }), (p, h, t) => {
        const model = { params: p };
        expect(mbgNbdExpectedPurchases(model, 0)).toBe(0);
        expect(mbgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, 0)).toBe(0);
        const e = mbgNbdExpectedPurchases(model, t);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(mbgNbdExpectedPurchases(model, t + 1)).toBeGreaterThanOrEqual(e * (1 - 1e-12));
        const c = mbgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, t);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(mbgNbdConditionalExpectedPurchases(model, h.x, h.tx, h.T, t + 1)).toBeGreaterThanOrEqual(
          c * (1 - 1e-12),
        );
        expect(
          relative(mbgNbdConditionalExpectedPurchases(model, 0, 0, 0, t + 1), mbgNbdExpectedPurchases(model, t + 1)),
        ).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('E[X(t)] equals the closed form b/(a − 1) [1 − (α/(α + t))ʳ ₂F₁(r, b + 1; a + b; z)] summed as a series here (1e-10)', () => {
    for (const p of [LIFETIMES, { r: 1.5, alpha: 3, a: 2.5, b: 4 }, { r: 0.7, alpha: 20, a: 0.4, b: 0.3 }]) {
      for (const t of [0.5, 10, 39]) {
        const z = t / (p.alpha + t);
        let term = 1;
        let f = 1;
        for (let k = 0; k < 100_000 && Math.abs(term) > 1e-18 * Math.abs(f); k++) {
          term *= (((p.r + k) * (p.b + 1 + k)) / ((p.a + p.b + k) * (k + 1))) * z;
          f += term;
        }
        const closed = (p.b / (p.a - 1)) * (1 - (p.alpha / (p.alpha + t)) ** p.r * f);
        expect(
          relative(mbgNbdExpectedPurchases({ params: p }, t), closed),
          `${JSON.stringify(p)}, t = ${t}`,
        ).toBeLessThan(1e-10);
      }
    }
  });

  it('Σₓ P(X(t) = x) = 1 and Σₓ x·P(X(t) = x) = E[X(t)]; P(X(t) = 0) ≥ a/(a + b) (1e-9)', () => {
    for (const p of SETS) {
      const model = { params: p };
      for (const t of [0.5, 10, 39, 100]) {
        const { total, mean } = moments((x) => mbgNbdProbabilityOfPurchases(model, x, t));
        expect(Math.abs(total - 1), `Σ P at ${JSON.stringify(p)}, t = ${t}`).toBeLessThan(1e-9);
        expect(
          relative(mean, mbgNbdExpectedPurchases(model, t)),
          `mean at ${JSON.stringify(p)}, t = ${t}`,
        ).toBeLessThan(1e-9);
        expect(mbgNbdProbabilityOfPurchases(model, 0, t)).toBeGreaterThanOrEqual(p.a / (p.a + p.b));
      }
    }
  });

  it('Σₙ P(X(T, T + t) = n | x, t_x, T) = 1 and Σₙ n·P = E[Y(t) | x, t_x, T] (1e-9)', () => {
    for (const p of SETS) {
      const model = { params: p };
      for (const [x, tx, T] of [
        [0, 0, 30],
        [2, 30.43, 38.86],
        [7, 29.43, 38.86],
        [40, 20, 39],
      ]) {
        for (const t of [1, 39, 100]) {
          const { total, mean } = moments((n) => mbgNbdConditionalProbabilityOfPurchases(model, n, x, tx, T, t));
          expect(Math.abs(total - 1), `Σ P at ${JSON.stringify(p)}, ${x}, t = ${t}`).toBeLessThan(1e-9);
          expect(relative(mean, mbgNbdConditionalExpectedPurchases(model, x, tx, T, t)), `mean ${x} ${t}`).toBeLessThan(
            1e-9,
          );
        }
      }
    }
  });

  it('the likelihood is the zero-inflated BG/NBD: a/(a + b) δ(x=0) + b/(a + b) L_BG/NBD(r, α, a, b + 1) (1e-12)', () => {
    const p = { r: 0.8, alpha: 5, a: 1.3, b: 2.2 };
    for (const [x, tx, T] of [
      [0, 0, 30],
      [0, 0, 0],
      [3, 12, 30],
      [25, 29, 30],
    ]) {
      const mbg = Math.exp(mbgNbdLogLikelihood(histories(x, tx, T))(asArray(p)));
      const bg = Math.exp(bgNbdLogLikelihood(histories(x, tx, T))([p.r, p.alpha, p.a, p.b + 1]));
      const zeroInflated = (x === 0 ? p.a / (p.a + p.b) : 0) + (p.b / (p.a + p.b)) * bg;
      expect(relative(mbg, zeroInflated), `${x}, ${tx}, ${T}`).toBeLessThan(1e-12);
    }
  });

  it('likelihood, P(alive), E[Y(t)], P(X(t) = x) and P(X(T, T + t) = n | …) equal a numerical integration of the individual-level model over λ and p (1e-8)', () => {
    // λ ~ gamma(r, α) on λ = e^v, p ~ beta(a, b) on p = 1/(1 + e^−u); the trapezoid rule on these smooth,
    // fast-decaying integrands converges geometrically. Given (λ, p), with N Poisson(λt) and the drop-out coin at 0
    // and after each purchase: P(X(t) = x) = (1 − p)^(x+1) P(N = x) + p (1 − p)ˣ P(N ≥ x); alive at T with history
    // (x, t_x): (1 − p)^(x+1) λˣ e^(−λT); dead after the x-th purchase (or at 0): p (1 − p)ˣ λˣ e^(−λ t_x); an
    // active customer's next t are a BG/NBD customer's: n with (1 − p)ⁿ P(N = n) + δ(n>0) p (1 − p)^(n−1) P(N ≥ n)
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
    /** P(N = k) and P(N ≥ k) for N ~ Poisson(m). */
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
      [1, 0.5, 20],
    ]) {
      let likelihood = 0;
      let alive = 0;
      let future = 0;
      const pmf = ns.map(() => 0);
      const conditional = ns.map(() => 0);
      vs.forEach((v, i) => {
        const lambda = Math.exp(v);
        const exact = ns.map((n) => poisson(lambda * t, n));
        const tail = ns.map((n) => atLeast(lambda * t, n));
        const powX = lambda ** x;
        const survive = Math.exp(-lambda * T);
        const dropped = Math.exp(-lambda * tx);
        us.forEach((u, j) => {
          const q = 1 / (1 + Math.exp(-u));
          const w = lambdaWeight[i] * pWeight[j] * dv * du;
          const aliveTerm = (1 - q) ** (x + 1) * powX * survive;
          const deadTerm = q * (1 - q) ** x * powX * dropped;
          likelihood += w * (aliveTerm + deadTerm);
          alive += w * aliveTerm;
          future += w * aliveTerm * (-Math.expm1(-lambda * q * t) / q);
          ns.forEach((n, k) => {
            pmf[k] += w * ((1 - q) ** (n + 1) * exact[k] + q * (1 - q) ** n * tail[k]);
            const next = (1 - q) ** n * exact[k] + (n > 0 ? q * (1 - q) ** (n - 1) * tail[k] : 0);
            conditional[k] += w * (aliveTerm * next + (n === 0 ? deadTerm : 0));
          });
        });
      });
      const where = `${x}, ${tx}, ${T}`;
      expect(relative(Math.exp(mbgNbdLogLikelihood(histories(x, tx, T))(asArray(p))), likelihood), where).toBeLessThan(
        1e-8,
      );
      expect(relative(mbgNbdProbabilityAlive(model, x, tx, T), alive / likelihood), where).toBeLessThan(1e-8);
      expect(relative(mbgNbdConditionalExpectedPurchases(model, x, tx, T, t), future / likelihood), where).toBeLessThan(
        1e-8,
      );
      ns.forEach((n, k) => {
        expect(relative(mbgNbdProbabilityOfPurchases(model, n, t), pmf[k]), `P(X(t) = ${n})`).toBeLessThan(1e-8);
        expect(
          relative(mbgNbdConditionalProbabilityOfPurchases(model, n, x, tx, T, t), conditional[k] / likelihood),
          `${where}: P(${n})`,
        ).toBeLessThan(1e-8);
      });
    }
  });

  it('a seeded simulation of 40,000 customers agrees with the PMFs and P(alive) within 3 σ (counts of x, of holdout n, of the alive)', () => {
    // given the simulated histories, the holdout counts are independent draws from P(X(T, T + t) = n | x, t_x, T),
    // so #{n_i = n} has mean Σᵢ Pᵢ(n) and variance Σᵢ Pᵢ(n)(1 − Pᵢ(n)); the same for the alive and for x at T
    const truth = { r: 0.6, alpha: 4, a: 0.9, b: 2 };
    const model = { params: truth };
    const horizon = 26;
    const n = 40_000;
    const sim = simulate(n, truth, 17, true, 39, horizon);
    const within3Sigma = (observed: number, mean: number, variance: number, what: string) =>
      expect(
        Math.abs(observed - mean),
        `${what}: ${observed} vs ${mean.toFixed(1)} ± ${Math.sqrt(variance).toFixed(1)}`,
      ).toBeLessThan(3 * Math.sqrt(variance));
    for (const k of [0, 1, 2, 3, 5]) {
      let observed = 0;
      let mean = 0;
      let variance = 0;
      let observedX = 0;
      let meanX = 0;
      let varianceX = 0;
      for (let i = 0; i < n; i++) {
        const q = mbgNbdConditionalProbabilityOfPurchases(
          model,
          k,
          sim.frequency[i],
          sim.recency[i],
          sim.T[i],
          horizon,
        );
        if (sim.future[i] === k) observed++;
        mean += q;
        variance += q * (1 - q);
        const qx = mbgNbdProbabilityOfPurchases(model, k, sim.T[i]);
        if (sim.frequency[i] === k) observedX++;
        meanX += qx;
        varianceX += qx * (1 - qx);
      }
      within3Sigma(observed, mean, variance, `holdout n = ${k}`);
      within3Sigma(observedX, meanX, varianceX, `calibration x = ${k}`);
    }
    let aliveObserved = 0;
    let aliveMean = 0;
    let aliveVariance = 0;
    for (let i = 0; i < n; i++) {
      const q = mbgNbdProbabilityAlive(model, sim.frequency[i], sim.recency[i], sim.T[i]);
      aliveObserved += sim.alive[i];
      aliveMean += q;
      aliveVariance += q * (1 - q);
    }
    within3Sigma(aliveObserved, aliveMean, aliveVariance, 'alive at T');
  });
});

describe('fitMbgNbd', () => {
  it('recovers the parameters of 20,000 customers simulated from the model (within 4 standard errors)', () => {
    const truth = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };
    const fit = fitMbgNbd(simulate(20_000, truth, 11, true));
    expect(fit.converged).toBe(true);
    for (const k of NAMES) {
      expect(Math.abs(fit.params[k] - truth[k]), `${k}: ${fit.params[k]} ± ${fit.standardErrors[k]}`).toBeLessThan(
        4 * fit.standardErrors[k],
      );
    }
  });

  it('drops rows by reason (invalidValue, recencyAfterAge, recencyWithoutRepeat, repeatAtZero) and fits the rest', () => {
    const data = simulate(300, { r: 0.8, alpha: 3, a: 1.2, b: 2 }, 9, true, 20);
    const clean = fitMbgNbd(data);
    const bad = {
      frequency: [...data.frequency, NaN, -1, 1.5, 2, 0, 3, 1],
      recency: [...data.recency, 1, 1, 1, 30, 4, 0, 2],
      T: [...data.T, 10, 10, 10, 20, 10, 10, Infinity],
    };
    const fit = fitMbgNbd(bad);
    expect(fit.dropped).toEqual({ invalidValue: 4, recencyAfterAge: 1, recencyWithoutRepeat: 1, repeatAtZero: 1 });
    expect(fit.customers).toBe(300);
    expect(fit.params).toEqual(clean.params);
  });

  it('throws NOT_IDENTIFIED, EMPTY_INPUT, MISSING_COLUMN, INVALID_TYPE, INVALID_OPTION and INVALID_VALUE with the shared grammar', () => {
    expectCode(
      () => fitMbgNbd({ frequency: [0, 0, 0], recency: [0, 0, 0], T: [5, 8, 9] }),
      'NOT_IDENTIFIED',
      'fitMbgNbd: the data do not identify the model',
      'every customer has x = 0',
    );
    expectCode(() => fitMbgNbd({ frequency: [0, 0], recency: [0, 0], T: [0, 0] }), 'NOT_IDENTIFIED', 'T = 0');
    expectCode(
      () => fitMbgNbd({ frequency: [2, 2, 2], recency: [4, 4, 4], T: [9, 9, 9] }),
      'NOT_IDENTIFIED',
      'one distinct history',
    );
    const unidentified = fitMbgNbd(
      { frequency: [0, 0, 0], recency: [0, 0, 0], T: [5, 8, 9] },
      { allowUnidentified: true },
    );
    expect(unidentified.identified).toBe(false);
    expect(unidentified.warnings[0]).toMatch(/^NOT_IDENTIFIED: /);
    expectCode(
      () => fitMbgNbd({ frequency: [], recency: [], T: [] }),
      'EMPTY_INPUT',
      'fitMbgNbd: the table has no rows',
    );
    expectCode(() => fitMbgNbd({ frequency: [1], recency: [5], T: [3] }), 'EMPTY_INPUT', 'recencyAfterAge');
    expectCode(
      () => fitMbgNbd({ x: [1], recency: [1], T: [3] }),
      'MISSING_COLUMN',
      'column "frequency" (option frequency)',
    );
    expectCode(() => fitMbgNbd({ frequency: ['1'], recency: [1], T: [3] }), 'INVALID_TYPE', 'must hold numbers');
    expectCode(
      () => fitMbgNbd({ frequency: [1], recency: [1], T: [3] }, { start: { r: -1 } }),
      'INVALID_OPTION',
      'start.r',
    );
    expectCode(
      () => fitMbgNbd({ frequency: [1], recency: [1], T: [3] }, { penalizer_coef: 1 } as never),
      'INVALID_OPTION',
      'fitMbgNbd: unknown option penalizer_coef',
    );
    expectCode(
      () => mbgNbdProbabilityAlive({ params: { ...LIFETIMES, b: 0 } }, 1, 1, 2),
      'INVALID_VALUE',
      'mbgNbdProbabilityAlive: model.params.b',
    );
    expectCode(
      () => mbgNbdConditionalProbabilityOfPurchases({ params: { ...LIFETIMES, r: NaN } }, 0, 1, 1, 2, 3),
      'INVALID_VALUE',
      'model.params.r',
    );
    expectCode(
      () =>
        predictMbgNbd(
          { params: LIFETIMES },
          { frequency: [1], recency: [1], T: [2] },
          { quantity: 'conditionalExpectedPurchases' },
        ),
      'INVALID_OPTION',
      'predictMbgNbd: option t',
    );
  });

  it('returns a frozen model, leaves its input unchanged, and says converged: false when maxIterations stops it', () => {
    const data = simulate(300, { r: 0.8, alpha: 3, a: 1.2, b: 2 }, 21, true, 20);
    const before = Array.from(data.recency);
    const fit = fitMbgNbd(data, { maxIterations: 3, allowNonConvergence: true });
    expect(fit.converged).toBe(false);
    expect(Object.isFrozen(fit) && Object.isFrozen(fit.params) && Object.isFrozen(fit.standardErrors)).toBe(true);
    expect(Array.from(data.recency)).toEqual(before);
  });

  it('scalar functions give NaN for histories the fit would drop and for a bad n or t', () => {
    const model = { params: LIFETIMES };
    expect(mbgNbdProbabilityAlive(model, 1, 5, 3)).toBeNaN();
    expect(mbgNbdProbabilityAlive(model, 0, 2, 3)).toBeNaN();
    expect(mbgNbdConditionalExpectedPurchases(model, 1.5, 1, 3, 10)).toBeNaN();
    expect(mbgNbdConditionalExpectedPurchases(model, 1, 1, 3, -1)).toBeNaN();
    expect(mbgNbdExpectedPurchases(model, Infinity)).toBeNaN();
    expect(mbgNbdProbabilityOfPurchases(model, 0.5, 3)).toBeNaN();
    expect(mbgNbdConditionalProbabilityOfPurchases(model, -1, 1, 1, 3, 3)).toBeNaN();
    expect(mbgNbdConditionalProbabilityOfPurchases(model, 1, 1, 1, 3, NaN)).toBeNaN();
  });
});

describe('MBG/NBD gradient (the BFGS fit)', () => {
  it('its value equals mbgNbdLogLikelihood and its gradient central finite differences on CDNOW (1e-6 relative)', () => {
    const h = cdnowHistories(readCdnow(cdnowPath!));
    const ll = mbgNbdLogLikelihood(h);
    const withGradient = mbgNbdLogLikelihoodGradient(h);
    const grad = new Float64Array(4);
    for (const point of [asArray(LIFETIMES), [1, 38.86, 1, 1], [0.5, 2, 1.7, 0.6], [3, 20, 0.2, 8]]) {
      const value = withGradient(point, grad);
      expect(relative(value, ll(point))).toBeLessThan(1e-13);
      const scale = Math.max(...grad.map(Math.abs));
      for (let j = 0; j < 4; j++) {
        // central differences, Richardson-extrapolated (error O(h⁴))
        const central = (step: number) => {
          const up = [...point];
          const down = [...point];
          up[j] += step;
          down[j] -= step;
          return (ll(up) - ll(down)) / (2 * step);
        };
        const h0 = 1e-3 * point[j];
        const numeric = (4 * central(h0 / 2) - central(h0)) / 3;
        expect(
          Math.abs(grad[j] - numeric) / Math.max(Math.abs(numeric), 1e-3 * scale, 1),
          `${point} ∂${j}`,
        ).toBeLessThan(1e-6);
      }
    }
    expect(withGradient([1, 1, 0, 1], grad)).toBeNaN();
  });

  it('BFGS converges on CDNOW in a few dozen iterations, to the Nelder–Mead optimum (1e-5 relative)', () => {
    const h = cdnowHistories(readCdnow(cdnowPath!));
    const ll = mbgNbdLogLikelihood(h);
    const withGradient = mbgNbdLogLikelihoodGradient(h);
    const start = Float64Array.of(1, 32.7, 1, 1);
    const quasi = maximise(ll, start, Float64Array.from(start), 2357, 2000, undefined, { gradient: withGradient });
    const simplex = maximise(ll, start, Float64Array.from(start), 2357, 2000);
    expect(quasi.converged).toBe(true);
    expect(quasi.iterations).toBeLessThan(60);
    for (let j = 0; j < 4; j++) expect(relative(quasi.params[j], simplex.params[j])).toBeLessThan(1e-5);
    expect(quasi.logLikelihood).toBeGreaterThanOrEqual(simplex.logLikelihood - 1e-8);
  });
});
