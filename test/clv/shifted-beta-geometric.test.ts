import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitSbg,
  sbgChurnProbability,
  sbgDiscountedExpectedResidualLifetime,
  sbgRetentionRate,
  sbgSurvival,
} from '../../src/clv/shifted-beta-geometric';
import { expectCode } from '../helpers/errors';

/**
 * Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1), Table 1: two segments of
 * 1,000 customers followed for 12 years (from Berry & Linoff 2004), the model calibrated on years 0–7. The data are
 * quoted identically by jdmaturen/shifted_beta_geometric_py (sbg.py, "High End subscription retention data from the
 * paper") and by R scripts replicating the paper ("regular <- c(1000, 631, 468, …)", "highend <- c(1000, 869, …)").
 *
 * Note on labels: the α = 0.668, β = 3.806 fit belongs to the HIGH END segment (E(θ) = 0.15; its first-year churn is
 * 13.1%) and α = 0.704, β = 1.182 to the REGULAR segment (E(θ) = 0.37; first-year churn 36.9%), as the paper's
 * Appendix B and jdmaturen's test (high-end data → 0.668, 3.806) show.
 */
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];
const CALIBRATION = 8; // years 0–7

describe('fitSbg reproduces Fader & Hardie (2007)', () => {
  const highEnd = fitSbg(HIGH_END.slice(0, CALIBRATION));
  const regular = fitSbg(REGULAR.slice(0, CALIBRATION));

  it('high end: α = 0.668, β = 3.806, LL = −1,611.2 (Appendix B; to 0.001 and 0.05)', () => {
    // ours: α = 0.66809, β = 3.80610, LL = −1611.158
    expect(highEnd.converged).toBe(true);
    expect(Math.abs(highEnd.params.alpha - 0.668)).toBeLessThan(0.001);
    expect(Math.abs(highEnd.params.beta - 3.806)).toBeLessThan(0.001);
    expect(Math.abs(highEnd.logLikelihood - -1611.2)).toBeLessThan(0.05);
    expect(highEnd.customers).toBe(1000);
    expect(highEnd.patterns).toBe(7);
    expect(highEnd.kind).toBe('shiftedBetaGeometric');
    expect(Object.isFrozen(highEnd)).toBe(true);
  });

  it('regular: α = 0.704, β = 1.182 (§ "Results"; to 0.001)', () => {
    // ours: α = 0.70408, β = 1.18204, LL = −1680.265
    expect(regular.converged).toBe(true);
    expect(Math.abs(regular.params.alpha - 0.704)).toBeLessThan(0.001);
    expect(Math.abs(regular.params.beta - 1.182)).toBeLessThan(0.001);
    expect(regular.standardErrors.alpha).toBeGreaterThan(0);
    expect(regular.standardErrors.beta).toBeLessThan(regular.params.beta);
  });

  it('the likelihood at the Solver starting values α = β = 1 is −2,115.5 (Appendix B), from the public P(T = t) and S(t)', () => {
    // Σ n_t ln P(T = t) + n_7 ln S(7) on the high-end data, as the paper's spreadsheet computes before Solver runs
    const model = { params: { alpha: 1, beta: 1 } };
    let ll = 0;
    for (let t = 1; t < CALIBRATION; t++)
      ll += (HIGH_END[t - 1] - HIGH_END[t]) * Math.log(sbgChurnProbability(model, t));
    ll += HIGH_END[CALIBRATION - 1] * Math.log(sbgSurvival(model, CALIBRATION - 1));
    expect(Math.abs(ll - -2115.5)).toBeLessThan(0.05);
  });

  it('projects years 8–12 as jdmaturen/shifted_beta_geometric_py (README: 0.460 0.436 0.414 0.395 0.378; to 0.0015)', () => {
    const projected = [8, 9, 10, 11, 12].map((t) => sbgSurvival(highEnd, t));
    [0.46, 0.436, 0.414, 0.395, 0.378].forEach((v, i) => expect(Math.abs(projected[i] - v)).toBeLessThan(0.0015));
  });

  it("year-12 survival is within the paper's reported errors (high end about 4%, regular about 2%)", () => {
    expect(Math.abs(sbgSurvival(highEnd, 12) / 0.394 - 1)).toBeLessThan(0.05);
    expect(Math.abs(sbgSurvival(regular, 12) / 0.173 - 1)).toBeLessThan(0.03);
  });

  it('DERL(d = 0.1) of a high-end customer after 7 renewals is 7.530 (jdmaturen README, scipy hyp2f1; to 0.002)', () => {
    expect(Math.abs(sbgDiscountedExpectedResidualLifetime(highEnd, 0.1, 7) - 7.53)).toBeLessThan(0.002);
  });
});

describe('sBG functions', () => {
  const params = fc.record({
    alpha: fc.double({ min: 0.05, max: 20, noNaN: true }),
    beta: fc.double({ min: 0.05, max: 20, noNaN: true }),
  });

  it('survival decreases, retention increases in t, churn probabilities are in [0, 1] and sum with S(T) to 1 (property)', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 60 }), (p, horizon) => {
        const model = { params: p };
        let total = 0;
        for (let t = 1; t <= horizon; t++) {
          const pt = sbgChurnProbability(model, t);
          expect(pt).toBeGreaterThanOrEqual(0);
          expect(pt).toBeLessThanOrEqual(1);
          total += pt;
          expect(sbgSurvival(model, t)).toBeLessThan(sbgSurvival(model, t - 1));
          expect(sbgRetentionRate(model, t + 1)).toBeGreaterThan(sbgRetentionRate(model, t));
          expect(sbgRetentionRate(model, t)).toBeCloseTo(sbgSurvival(model, t) / sbgSurvival(model, t - 1), 10);
        }
        expect(total + sbgSurvival(model, horizon)).toBeCloseTo(1, 10);
      }),
    );
  });

  it('DERL equals the series Σ S(t)/S(n − 1) (1 + d)^−(t − n) summed from the survivor function (property, 1e-9)', () => {
    fc.assert(
      fc.property(
        params,
        fc.double({ min: 0.02, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        (p, d, renewals) => {
          const model = { params: p };
          const n = renewals + 1;
          const base = sbgSurvival(model, n - 1);
          let brute = 0;
          for (let t = n; t < n + 3000; t++) brute += sbgSurvival(model, t) / base / (1 + d) ** (t - n);
          const derl = sbgDiscountedExpectedResidualLifetime(model, d, renewals);
          expect(Math.abs(derl - brute)).toBeLessThan(1e-9 * brute);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('DERL rises with renewals (survivors are the loyal) and falls with the discount rate (property)', () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 30 }), (p, d, r) => {
        const model = { params: p };
        expect(sbgDiscountedExpectedResidualLifetime(model, d, r + 1)).toBeGreaterThan(
          sbgDiscountedExpectedResidualLifetime(model, d, r),
        );
        expect(sbgDiscountedExpectedResidualLifetime(model, d * 1.5, r)).toBeLessThan(
          sbgDiscountedExpectedResidualLifetime(model, d, r),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('recovers α and β from their own expected survivor curve (property, 1e-3 relative)', () => {
    fc.assert(
      fc.property(
        fc.record({
          alpha: fc.double({ min: 0.2, max: 5, noNaN: true }),
          beta: fc.double({ min: 0.2, max: 8, noNaN: true }),
        }),
        (p) => {
          const counts = Array.from({ length: 13 }, (_, t) => 1e6 * sbgSurvival({ params: p }, t));
          const fit = fitSbg(counts);
          expect(fit.params.alpha / p.alpha).toBeCloseTo(1, 3);
          expect(fit.params.beta / p.beta).toBeCloseTo(1, 3);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts and percentages give the same α, β (scale invariance; LL scales with the cohort) and the input is unchanged', () => {
    const counts = Float64Array.from(HIGH_END.slice(0, CALIBRATION));
    const copy = Array.from(counts);
    const a = fitSbg(counts);
    const b = fitSbg(Array.from(counts, (v) => v / 10));
    expect(b.params.alpha).toBeCloseTo(a.params.alpha, 6);
    expect(b.params.beta).toBeCloseTo(a.params.beta, 6);
    expect(b.logLikelihood * 10).toBeCloseTo(a.logLikelihood, 4);
    expect(Array.from(counts)).toEqual(copy);
  });

  it("rejects counts that are not a cohort's survivors with a clear ClienteleError", () => {
    expectCode(
      () => fitSbg([1000, 900, 950]),
      'INVALID_VALUE',
      'aliveCounts[2] is larger than aliveCounts[1]',
      'found 950 > 900',
      'cannot grow',
    );
    expectCode(() => fitSbg([1000, NaN]), 'INVALID_VALUE', 'aliveCounts[1]', 'found NaN');
    expectCode(() => fitSbg([1000, -1]), 'INVALID_VALUE', 'found -1');
    expectCode(() => fitSbg([0, 0]), 'INVALID_VALUE', 'cohort size');
    expectCode(() => fitSbg([1000]), 'EMPTY_INPUT', 'found 1 value');
    expectCode(() => fitSbg('1000,900' as unknown as number[]), 'INVALID_INPUT', 'found "1000,900"');
    expectCode(() => sbgSurvival({ params: { alpha: 1, beta: 1 } }, 1.5), 'INVALID_OPTION', 't must be an integer ≥ 0');
    expectCode(() => sbgRetentionRate({ params: { alpha: 1, beta: 1 } }, 0), 'INVALID_OPTION', 'found 0');
    expectCode(
      () => sbgDiscountedExpectedResidualLifetime({ params: { alpha: 1, beta: 1 } }, 0, 1),
      'INVALID_OPTION',
      'discountRate',
    );
    expectCode(
      () => sbgDiscountedExpectedResidualLifetime({ params: { alpha: 1, beta: 1 } }, 0.1, -1),
      'INVALID_OPTION',
      'renewals',
    );
  });
});
