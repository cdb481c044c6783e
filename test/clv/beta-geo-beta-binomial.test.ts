import fc from 'fast-check';
import { gammaln } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import {
  bgBbConditionalExpectedPurchases,
  bgBbProbabilityAlive,
  bgBbProbabilityOfPurchases,
  fitBgBb,
  predictBgBb,
} from '../../src/clv/beta-geo-beta-binomial';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

/**
 * Published figures for the 1995 cohort of donors (11,104 first-time supporters, 6 yearly opportunities 1996–2001):
 * - parameters and LL: Fader, Hardie & Shang (2010), Marketing Science 29(6), §3: α = 1.204, β = 0.750, γ = 0.657,
 *   δ = 2.783, LL = −33,225.6 (also asserted by lifetimes tests/test_estimation.py,
 *   TestBetaGeoBetaBinomFitter.test_params_out_is_close_to_Hardie_paper, decimal = 2);
 * - P(alive in 2002): the paper's Table 6, 0.11 for (x, t_x) = (0, 0), 0.59 for (2, 4), 0.93 for (6, 6) (lifetimes
 *   test_prob_alive_is_close_to_Hardie_paper_table_6);
 * - Hardie's spreadsheet (brucehardie.com/notes/010, BGBB_2011-01-20_XLSX.zip), as quoted by lifetimes: total of
 *   "Conditional Expectations (II)" for the next 5 years = 12,884.2, and the in-sample fit, expected donors with 0
 *   and 6 repeat donations in 1996–2001 = 3,454.9 and 1,253.1.
 */
const donationsPath = dataset('donations.csv');

function readDonations(path: string) {
  const [header, ...lines] = readLines(path);
  const names = splitCsvLine(header);
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) splitCsvLine(line).forEach((v, j) => columns[names[j]].push(Number(v)));
  return columns;
}

describe("BG/BB on Hardie's donation data (11,104 donors in 22 groups)", () => {
  const donations = donationsPath
    ? readDonations(donationsPath)
    : { frequency: [], recency: [], periods: [], weights: [] };
  const model = donationsPath ? fitBgBb(donations, { weights: 'weights' }) : undefined!;

  it('fitBgBb matches Fader, Hardie & Shang (2010): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783 (to 0.002), LL = −33,225.6 (to 0.05)', () => {
    // ours: α = 1.2035, β = 0.7497, γ = 0.6567, δ = 2.7834, LL = −33,225.581
    expect(model.converged).toBe(true);
    expect(Math.abs(model.params.alpha - 1.204)).toBeLessThan(0.002);
    expect(Math.abs(model.params.beta - 0.75)).toBeLessThan(0.002);
    expect(Math.abs(model.params.gamma - 0.657)).toBeLessThan(0.002);
    expect(Math.abs(model.params.delta - 2.783)).toBeLessThan(0.002);
    expect(Math.abs(model.logLikelihood - -33225.6)).toBeLessThan(0.05);
    expect(model.customers).toBe(11104);
    expect(model.patterns).toBe(22);
    expect(model.dropped).toEqual({});
    expect(model.kind).toBe('betaGeoBetaBinomial');
    for (const k of ['alpha', 'beta', 'gamma', 'delta'] as const) {
      expect(model.standardErrors[k]).toBeGreaterThan(0);
      expect(model.standardErrors[k]).toBeLessThan(model.params[k]);
    }
  });

  it("P(alive in 2002) matches the paper's Table 6: 0.11, 0.59, 0.93 (to 0.005)", () => {
    expect(Math.abs(bgBbProbabilityAlive(model, 0, 0, 6) - 0.11)).toBeLessThan(0.005);
    expect(Math.abs(bgBbProbabilityAlive(model, 2, 4, 6) - 0.59)).toBeLessThan(0.005);
    expect(Math.abs(bgBbProbabilityAlive(model, 6, 6, 6) - 0.93)).toBeLessThan(0.005);
  });

  it("expected donations in the next 5 years total 12,884.2 as in Hardie's spreadsheet (to 0.5)", () => {
    const { expectedTransactions } = predictBgBb(model, donations, { ahead: 5 });
    const values = expectedTransactions.toArray();
    let total = 0;
    donations.weights.forEach((w, i) => (total += w * values[i]));
    expect(Math.abs(total - 12884.2)).toBeLessThan(0.5);
  });

  it("in-sample fit: 3,454.9 donors with no repeat and 1,253.1 with six, as Hardie's spreadsheet (to 0.1)", () => {
    expect(Math.abs(11104 * bgBbProbabilityOfPurchases(model, 0, 6) - 3454.9)).toBeLessThan(0.1);
    expect(Math.abs(11104 * bgBbProbabilityOfPurchases(model, 6, 6) - 1253.1)).toBeLessThan(0.1);
  });

  it('weights equal expanded rows: 11,104 one-donor rows give the same fit (metamorphic, 1e-9)', () => {
    const expanded = { frequency: [] as number[], recency: [] as number[], periods: [] as number[] };
    donations.weights.forEach((w, i) => {
      for (let k = 0; k < w; k++) {
        expanded.frequency.push(donations.frequency[i]);
        expanded.recency.push(donations.recency[i]);
        expanded.periods.push(donations.periods[i]);
      }
    });
    const fit = fitBgBb(expanded);
    expect(fit.customers).toBe(11104);
    expect(fit.patterns).toBe(22);
    for (const k of ['alpha', 'beta', 'gamma', 'delta'] as const) expect(fit.params[k]).toBeCloseTo(model.params[k], 9);
    expect(fit.logLikelihood).toBeCloseTo(model.logLikelihood, 6);
  });
});

describe('BG/BB functions', () => {
  const params = fc.record({
    alpha: fc.double({ min: 0.1, max: 10, noNaN: true }),
    beta: fc.double({ min: 0.1, max: 10, noNaN: true }),
    gamma: fc.double({ min: 0.1, max: 10, noNaN: true }),
    delta: fc.double({ min: 0.1, max: 10, noNaN: true }),
  });
  /** A possible history: n opportunities, x transactions, the last at t_x. */
  const history = fc
    .integer({ min: 0, max: 30 })
    .chain((n) =>
      fc
        .integer({ min: 0, max: n })
        .chain((tx) => fc.tuple(fc.constant(n), fc.constant(tx), fc.integer({ min: tx === 0 ? 0 : 1, max: tx }))),
    );

  it('probabilities are in [0, 1]; P(X(n) = x) sums to 1 over x (property)', () => {
    fc.assert(
      fc.property(params, history, (p, [n, tx, x]) => {
        const model = { params: p };
        const alive = bgBbProbabilityAlive(model, x, tx, n);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        expect(bgBbProbabilityAlive(model, x, tx, n, 3)).toBeLessThanOrEqual(alive);
        let total = 0;
        for (let k = 0; k <= n; k++) total += bgBbProbabilityOfPurchases(model, k, n);
        expect(total).toBeCloseTo(1, 10);
      }),
    );
  });

  it("the conditional expectation equals eq. 13's closed form written with gammaln (property, 1e-8 relative)", () => {
    fc.assert(
      fc.property(params, history, fc.integer({ min: 1, max: 20 }), (p, [n, tx, x], ahead) => {
        fc.pre(Math.abs(p.gamma - 1) > 1e-3);
        const { alpha: a, beta: b, gamma: g, delta: d } = p;
        const lb = (u: number, v: number) => gammaln(u) + gammaln(v) - gammaln(u + v);
        // L by eq. 5, plain sum
        let L = Math.exp(lb(a + x, b + n - x) - lb(a, b) + lb(g, d + n) - lb(g, d));
        for (let i = 0; i < n - tx; i++)
          L += Math.exp(lb(a + x, b + tx - x + i) - lb(a, b) + lb(g + 1, d + tx + i) - lb(g, d));
        const closed =
          (Math.exp(lb(a + x + 1, b + n - x) - lb(a, b)) / L) *
          (d / (g - 1)) *
          Math.exp(gammaln(g + d) - gammaln(1 + d)) *
          (Math.exp(gammaln(1 + d + n) - gammaln(g + d + n)) -
            Math.exp(gammaln(1 + d + n + ahead) - gammaln(g + d + n + ahead)));
        const ours = bgBbConditionalExpectedPurchases({ params: p }, ahead, x, tx, n);
        expect(Math.abs(ours - closed)).toBeLessThanOrEqual(1e-8 * Math.max(1e-12, Math.abs(closed)));
      }),
    );
  });

  it('for a new customer, E(X(n)) equals Σ x P(X(n) = x), and expectations grow with the horizon (property)', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 25 }), (p, n) => {
        const model = { params: p };
        let mean = 0;
        for (let x = 0; x <= n; x++) mean += x * bgBbProbabilityOfPurchases(model, x, n);
        const e = bgBbConditionalExpectedPurchases(model, n, 0, 0, 0);
        expect(e).toBeCloseTo(mean, 9);
        expect(bgBbConditionalExpectedPurchases(model, n + 1, 0, 0, 0)).toBeGreaterThan(e);
      }),
    );
  });

  it('drops and counts impossible histories and bad weights; fails with EMPTY_INPUT when nothing is left', () => {
    const table = {
      frequency: [1, 3, 0, 1, 2, 1.5, NaN, 2, 1],
      recency: [2, 2, 1, 0, 7, 2, 3, 4, 3],
      periods: [6, 6, 6, 6, 6, 6, 6, 6, 6],
      w: [1, 1, 1, 1, 1, 1, 1, 0, -1],
    };
    // one customer does not identify the model: the search never converges (allowNonConvergence keeps the last point)
    const model = fitBgBb(table, { weights: 'w', allowNonConvergence: true, allowUnidentified: true });
    expect(model.dropped).toEqual({ inconsistentRecency: 4, invalidValue: 2, zeroWeight: 1, invalidWeight: 1 });
    expect(model.customers).toBe(1);
    expectCode(
      () => fitBgBb({ frequency: [3], recency: [2], periods: [6] }),
      'EMPTY_INPUT',
      'inconsistentRecency: 1',
      '0 ≤ frequency ≤ recency ≤ periods',
    );
    expectCode(() => fitBgBb({ frequency: [1], recency: [1] }), 'MISSING_COLUMN', '"periods"');
    expectCode(
      () => bgBbProbabilityAlive({ params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } }, 2, 1, 6),
      'INVALID_VALUE',
      'found (2, 1, 6)',
    );
    const uniform = { params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } };
    expectCode(() => bgBbConditionalExpectedPurchases(uniform, -1, 0, 0, 6), 'INVALID_OPTION', 'ahead');
  });

  it('predictBgBb gives Float64 vectors equal to the scalar functions, NaN for impossible rows; γ = 1 is finite', () => {
    const model = { params: { alpha: 1.2, beta: 0.75, gamma: 1, delta: 2.8 } };
    const table = { frequency: [0, 2, 3, 6], recency: [0, 4, 2, 6], periods: [6, 6, 6, 6] };
    const { probabilityAlive, expectedTransactions } = predictBgBb(model, table, { ahead: 4 });
    expect(probabilityAlive.type.toString()).toBe('Float64');
    const alive = Array.from(probabilityAlive.toArray());
    const expected = Array.from(expectedTransactions.toArray());
    [0, 1, 3].forEach((i) => {
      expect(alive[i]).toBe(bgBbProbabilityAlive(model, table.frequency[i], table.recency[i], table.periods[i]));
      const history = [table.frequency[i], table.recency[i], table.periods[i]] as const;
      expect(expected[i]).toBe(bgBbConditionalExpectedPurchases(model, 4, ...history));
      expect(Number.isFinite(expected[i]) && expected[i] > 0).toBe(true);
    });
    expect(Number.isNaN(alive[2]) && Number.isNaN(expected[2])).toBe(true);
  });
});
