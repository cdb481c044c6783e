/**
 * predictionIntervals and predictClv's `interval`. Sources of truth:
 * - the delta method written out in the test on the closed forms of Fader, Hardie & Lee (BG/NBD P(alive), note 021;
 *   Gamma-Gamma E[M | x, z̄], 2005 eq. 5) with analytic gradients in the natural parameters and the fit's covariance
 *   (the interval does not depend on the parametrisation to first order);
 * - the models' own per-customer functions (the factorisation E[X | x, t_x, T] = P(alive) · E[X | alive, x, T] the
 *   intervals use must reproduce them for every model of the registry) and predictClv's own `clv`;
 * - agreement of the three methods with each other on CDNOW (Fader, Hardie & Lee 2005 data, weeks).
 * The coverage by simulation is in prediction-intervals-coverage.slow.test.ts.
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { predictClv } from '../../src/clv/predict-clv';
import { predictionIntervals } from '../../src/clv/prediction-intervals';
import { REPEAT_MODELS } from '../../src/clv/repeat-models';
import type { PurchaseModel } from '../../src/clv/repeat-models';
import { simulateBgNbd } from '../../src/clv/simulate-bg-nbd';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

const lines = readLines(dataset('cdnow_customers_summary.csv')!).slice(1);
const field = (k: number) => Float64Array.from(lines, (l) => Number(l.split(',')[k]));
const cdnow = { customer: field(0), frequency: field(1), recency: field(2), T: field(3), monetary: field(4) };
const bg = fitBgNbd(cdnow);
const repeat = cdnow.frequency.map((x) => (x > 0 ? 1 : 0));
const gg = fitGammaGamma({
  frequency: cdnow.frequency.filter((_, i) => repeat[i] === 1),
  monetary: cdnow.monetary.filter((_, i) => repeat[i] === 1),
});
const probes = {
  customer: [1, 2, 3, 4, 5],
  frequency: [0, 2, 2, 7, 20],
  recency: [0, 30.43, 5, 35, 38],
  T: [38.86, 38.86, 38.86, 38.86, 38.86],
  monetary: [0, 22.35, 40, 15, 30],
};
const z90 = 1.6448536269514722; // R: qnorm(0.95)

const values = (r: { table: { getChild(n: string): { toArray(): ArrayLike<number> } | null } }, name: string) =>
  Array.from(r.table.getChild(name)!.toArray());

/** A column of any table as numbers. */
const arrayOf = (t: unknown, name: string) => Array.from((t as Table).getChild(name)!.toArray() as ArrayLike<number>);

/** gᵀ Σ g for a gradient in the natural parameters and the fit's covariance. */
function quadratic(g: number[], covariance: readonly (readonly number[])[]): number {
  let v = 0;
  for (let i = 0; i < g.length; i++) for (let j = 0; j < g.length; j++) v += g[i] * covariance[i][j] * g[j];
  return v;
}

describe('predictionIntervals: delta method against the closed forms', () => {
  it('BG/NBD P(alive): expit(logit P ± z σ) with the analytic gradient of logit P (FHL note 021) on CDNOW, 1e-6', () => {
    const r = predictionIntervals(bg, probes, { quantity: 'probabilityAlive' });
    const { r: rr, alpha, a, b } = bg.params;
    const lower = values(r, 'lower');
    const upper = values(r, 'upper');
    for (let i = 0; i < 5; i++) {
      const x = probes.frequency[i];
      const tx = probes.recency[i];
      const T = probes.T[i];
      if (x === 0) {
        expect([lower[i], upper[i]]).toEqual([1, 1]); // P(alive) = 1 whatever the parameters
        continue;
      }
      const lt = Math.log(alpha + T) - Math.log(alpha + tx);
      const logit = -(Math.log(a) - Math.log(b + x - 1) + (rr + x) * lt);
      const g = [-lt, -(rr + x) * (1 / (alpha + T) - 1 / (alpha + tx)), -1 / a, 1 / (b + x - 1)];
      const sd = Math.sqrt(quadratic(g, bg.covariance));
      const expit = (u: number) => 1 / (1 + Math.exp(-u));
      expect(lower[i]).toBeCloseTo(expit(logit - z90 * sd), 6);
      expect(upper[i]).toBeCloseTo(expit(logit + z90 * sd), 6);
    }
  });

  it('Gamma-Gamma E[M | x, z̄] = (γ + x z̄) p/(px + q − 1): exp(ln E ± z σ/E) with its analytic gradient, 1e-6', () => {
    const r = predictionIntervals(gg, probes, { quantity: 'expectedSpend', level: 0.95 });
    const { p, q, gamma } = gg.params;
    const z = 1.959963984540054; // R: qnorm(0.975)
    const lower = values(r, 'lower');
    const upper = values(r, 'upper');
    for (let i = 1; i < 5; i++) {
      const x = probes.frequency[i];
      const m = probes.monetary[i];
      const d = p * x + q - 1;
      const e = ((gamma + x * m) * p) / d;
      const g = [((gamma + x * m) * (q - 1)) / (d * d), -e / d, p / d];
      const s = Math.sqrt(quadratic(g, gg.covariance)) / e;
      expect(lower[i] / (e * Math.exp(-z * s))).toBeCloseTo(1, 6);
      expect(upper[i] / (e * Math.exp(z * s))).toBeCloseTo(1, 6);
    }
  });

  it('the interval contains the estimate; P(alive) stays in [0, 1] and the total in [0, customers]', () => {
    const r = predictionIntervals(bg, cdnow, { quantity: 'probabilityAlive' });
    const [e, lo, up] = ['estimate', 'lower', 'upper'].map((n) => values(r, n));
    for (let i = 0; i < e.length; i++) {
      expect(lo[i]).toBeGreaterThanOrEqual(0);
      expect(up[i]).toBeLessThanOrEqual(1);
      expect(lo[i]).toBeLessThanOrEqual(e[i] + 1e-15);
      expect(up[i]).toBeGreaterThanOrEqual(e[i] - 1e-15);
    }
    expect(r.total.lower).toBeGreaterThan(0);
    expect(r.total.upper).toBeLessThan(cdnow.T.length);
    expect(r.total.estimate).toBeCloseTo(
      e.reduce((s, v) => s + v, 0),
      6,
    );
  });
});

describe('predictionIntervals: the estimates are the models’ own predictions', () => {
  it.each(Object.values(REPEAT_MODELS).map((entry) => [entry.label, entry] as const))(
    '%s: P(alive) (1e-12) and E[X | x, t_x, T] per pattern as P(alive) · E[X | alive, x, T] (1e-10) equal the model’s functions',
    (_, entry) => {
      const params = Object.fromEntries(entry.names.map((name, j) => [name, [0.5, 6, 0.8, 2.5][j]]));
      const k = entry.names.length;
      const covariance = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0.01 : 0)));
      const model = { kind: entry.kind, params, covariance } as unknown as PurchaseModel;
      const r = predictionIntervals(model, probes, { quantity: 'conditionalExpectedPurchases', t: 52 });
      const estimate = values(r, 'estimate');
      for (let i = 0; i < 5; i++) {
        const direct = entry.conditionalExpectedPurchases(
          { params },
          probes.frequency[i],
          probes.recency[i],
          probes.T[i],
          52,
        );
        expect(Math.abs(estimate[i] - direct)).toBeLessThanOrEqual(1e-10 * direct);
      }
      const alive = values(predictionIntervals(model, probes, { quantity: 'probabilityAlive' }), 'estimate');
      for (let i = 0; i < 5; i++) {
        const direct = entry.probabilityAlive({ params }, probes.frequency[i], probes.recency[i], probes.T[i]);
        expect(Math.abs(alive[i] - direct), `P(alive) ${i}`).toBeLessThanOrEqual(1e-12);
      }
    },
  );

  it('CLV: the estimate is predictClv’s clv (1e-10) and predictClv’s interval columns are those of quantity clv', () => {
    const options = { horizon: 52, discountRate: 0.01 };
    const plain = predictClv(bg, gg, probes, options);
    const withInterval = predictClv(bg, gg, probes, { ...options, interval: { level: 0.8 } });
    const r = predictionIntervals(bg, probes, { quantity: 'clv', spendModel: gg, level: 0.8, ...options });
    const clv = Array.from(plain.getChild('clv')!.toArray() as Float64Array);
    const estimate = values(r, 'estimate');
    for (let i = 0; i < 5; i++) expect(Math.abs(estimate[i] - clv[i])).toBeLessThanOrEqual(1e-10 * clv[i]);
    for (const f of plain.schema.fields) expect(arrayOf(withInterval, f.name), f.name).toEqual(arrayOf(plain, f.name));
    expect(arrayOf(withInterval, 'clvLower')).toEqual(values(r, 'lower'));
    expect(arrayOf(withInterval, 'clvUpper')).toEqual(values(r, 'upper'));
    const total = JSON.parse(withInterval.schema.metadata.get('clientele.clvTotal')!);
    expect(total.estimate).toBeCloseTo(
      clv.reduce((s, v) => s + v, 0),
      8,
    );
    expect(total.lower).toBeLessThan(total.estimate);
    expect(total.upper).toBeGreaterThan(total.estimate);
    expect(total).toMatchObject({ level: 0.8, method: 'delta' });
  });
});

describe('predictionIntervals: the three methods agree on CDNOW', () => {
  it('draws (4,000, seed 3) give the delta interval of conditional purchases within 10 % of its width', () => {
    const options = { quantity: 'conditionalExpectedPurchases' as const, t: 39 };
    const delta = predictionIntervals(bg, probes, options);
    const draws = predictionIntervals(bg, probes, { ...options, method: 'draws', draws: 4000, seed: 3 });
    const [dl, du, sl, su] = [
      values(delta, 'lower'),
      values(delta, 'upper'),
      values(draws, 'lower'),
      values(draws, 'upper'),
    ];
    for (let i = 0; i < 5; i++) {
      const width = du[i] - dl[i];
      expect(Math.abs(sl[i] - dl[i]), `lower ${i}`).toBeLessThan(0.1 * width);
      expect(Math.abs(su[i] - du[i]), `upper ${i}`).toBeLessThan(0.1 * width);
    }
    const width = delta.total.upper - delta.total.lower;
    expect(Math.abs(draws.total.lower - delta.total.lower)).toBeLessThan(0.1 * width);
    expect(draws.draws).toBe(4000);
    expect(
      predictionIntervals(bg, probes, { ...options, method: 'draws', draws: 50, seed: 3 }).table.toArray(),
    ).toEqual(predictionIntervals(bg, probes, { ...options, method: 'draws', draws: 50, seed: 3 }).table.toArray());
  });

  it('the parametric bootstrap (40 refits of 2,000 simulated customers, seed 5) is as wide as the delta interval within a factor 2', () => {
    const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const data = simulateBgNbd({ params: truth }, { T: cdnow.T.slice(0, 2000), seed: 5 });
    const model = fitBgNbd(data);
    const options = { quantity: 'conditionalExpectedPurchases' as const, t: 39 };
    const delta = predictionIntervals(model, probes, options);
    const boot = predictionIntervals(model, probes, {
      ...options,
      method: 'bootstrap',
      draws: 40,
      seed: 5,
      calibration: data,
    });
    const [dl, du, bl, bu] = [
      values(delta, 'lower'),
      values(delta, 'upper'),
      values(boot, 'lower'),
      values(boot, 'upper'),
    ];
    for (let i = 0; i < 5; i++) {
      const ratio = (bu[i] - bl[i]) / (du[i] - dl[i]);
      expect(ratio, `customer ${i}`).toBeGreaterThan(0.5);
      expect(ratio, `customer ${i}`).toBeLessThan(2);
    }
    expect(boot.draws).toBe(40);
  });

  it('MBG/NBD, added to the registry by another part, gets all three methods with no change (bootstrap: 10 refits, seed 6)', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const data = simulateBgNbd({ params }, { T: cdnow.T.slice(0, 1500), seed: 6 });
    const model = REPEAT_MODELS.mbgNbd.fit(data) as unknown as PurchaseModel;
    for (const method of ['delta', 'draws', 'bootstrap'] as const) {
      const r = predictionIntervals(model, probes, {
        quantity: 'conditionalExpectedPurchases',
        t: 39,
        method,
        draws: 10,
        calibration: data,
      });
      const [e, lo, up] = ['estimate', 'lower', 'upper'].map((n) => values(r, n));
      expect(lo[1], method).toBeLessThan(up[1]);
      expect(e[1]).toBeCloseTo(REPEAT_MODELS.mbgNbd.conditionalExpectedPurchases(model, 2, 30.43, 38.86, 39), 10);
    }
  });

  it('the bootstrap works from published parameters (no covariance) given the calibration customers', () => {
    const published = { kind: 'bgNbd' as const, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
    const calibration = {
      frequency: cdnow.frequency.slice(0, 1500),
      recency: cdnow.recency.slice(0, 1500),
      T: cdnow.T.slice(0, 1500),
    };
    const r = predictionIntervals(published, probes, {
      quantity: 'probabilityAlive',
      method: 'bootstrap',
      draws: 10,
      calibration,
    });
    const [lo, up] = [values(r, 'lower'), values(r, 'upper')];
    expect(lo[1]).toBeLessThan(up[1]);
  });
});

describe('predictionIntervals: refusals and dropped rows', () => {
  it('a model the data do not identify gets NOT_IDENTIFIED, never a plausible interval', () => {
    const unidentified = { ...bg, identified: false, warnings: ['NOT_IDENTIFIED: flat'] };
    for (const method of ['delta', 'draws', 'bootstrap'] as const) {
      expectCode(
        () => predictionIntervals(unidentified, probes, { quantity: 'probabilityAlive', method }),
        'NOT_IDENTIFIED',
        'BG/NBD',
      );
    }
    const nanCovariance = { ...bg, covariance: bg.covariance.map((row) => row.map(() => NaN)) };
    expectCode(
      () => predictionIntervals(nanCovariance, probes, { quantity: 'probabilityAlive' }),
      'NOT_IDENTIFIED',
      'covariance',
    );
    const spendless = { ...gg, identified: false };
    expectCode(
      () => predictionIntervals(bg, probes, { quantity: 'clv', spendModel: spendless }),
      'NOT_IDENTIFIED',
      'Gamma-Gamma',
    );
  });

  it('a model without a covariance is refused by delta and draws, naming the bootstrap', () => {
    const published = { kind: 'bgNbd' as const, params: bg.params };
    expectCode(
      () => predictionIntervals(published, probes, { quantity: 'probabilityAlive' }),
      'INVALID_INPUT',
      "'bootstrap'",
    );
  });

  it('refuses bad options with INVALID_OPTION', () => {
    const q = { quantity: 'probabilityAlive' as const };
    expectCode(() => predictionIntervals(bg, probes, { ...q, level: 1 }), 'INVALID_OPTION', 'level');
    expectCode(
      () => predictionIntervals(bg, probes, { ...q, method: 'jackknife' as never }),
      'INVALID_OPTION',
      'method',
    );
    expectCode(() => predictionIntervals(bg, probes, { ...q, draws: 1 }), 'INVALID_OPTION', 'draws');
    expectCode(() => predictionIntervals(bg, probes, { ...q, seed: NaN }), 'INVALID_OPTION', 'seed');
    expectCode(
      () => predictionIntervals(bg, probes, { quantity: 'conditionalExpectedPurchases' }),
      'INVALID_OPTION',
      't',
    );
    expectCode(() => predictionIntervals(bg, probes, { quantity: 'clv' }), 'INVALID_OPTION', 'spendModel');
    expectCode(() => predictionIntervals(bg, probes, { quantity: 'value' as never }), 'INVALID_OPTION', 'quantity');
    expectCode(() => predictClv(bg, gg, probes, { interval: { levle: 0.9 } as never }), 'INVALID_OPTION', 'levle');
  });

  it('rows with an impossible history get NaN and are counted; the inputs are unchanged', () => {
    const summary = { frequency: [2, -1, 0, 3], recency: [30, 5, 4, 10], T: [38, 38, 38, 38] };
    const copy = structuredClone(summary);
    const r = predictionIntervals(bg, summary, { quantity: 'probabilityAlive' });
    const lower = values(r, 'lower');
    expect(Number.isNaN(lower[1]) && Number.isNaN(lower[2])).toBe(true);
    expect(lower[0]).toBeGreaterThan(0);
    expect(JSON.parse(r.table.schema.metadata.get('clientele.dropped')!)).toEqual({ invalidValue: 2 });
    expect(summary).toEqual(copy);
  });
});
