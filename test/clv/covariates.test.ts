/**
 * BG/NBD and Pareto/NBD with time-invariant covariates. Sources of truth:
 * - the no-covariate fits (fitBgNbd, fitParetoNbd, themselves checked against Fader, Hardie & Lee 2005 on CDNOW):
 *   without covariate columns, or at coefficients 0, the model is theirs;
 * - the BG/NBD likelihood (Fader, Hardie & Lee 2005, eq. 6) written out here per customer, at the individual
 *   parameters of CLVTools' parametrisation (`bgnbd_staticcov_alpha_i`, `_a_i`, `_b_i`: α e^(−γ_P·z),
 *   a e^(γ_L·z), b e^(γ_L·z)) with a Lanczos log-gamma of its own;
 * - central differences for the gradient;
 * - simulation: customers drawn in covariates-simulate.ts from known parameters, recovered within 4 standard errors;
 * - invariants: shifting or scaling a covariate is absorbed by α (or a, b) and the coefficient.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from '../../src/clv/bg-nbd';
import { fitHistories } from '../../src/clv/customer-histories';
import { covariateColumns, readCovariateGroups } from '../../src/clv/covariates';
import {
  bgNbdWithCovariatesLogLikelihoodGradient,
  fitBgNbdWithCovariates,
  predictBgNbdWithCovariates,
} from '../../src/clv/covariates-bg-nbd';
import {
  fitParetoNbdWithCovariates,
  paretoNbdWithCovariatesLogLikelihood,
  predictParetoNbdWithCovariates,
} from '../../src/clv/covariates-pareto-nbd';
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from '../../src/clv/pareto-nbd';
import { predictClv } from '../../src/clv/predict-clv';
import { readCdnow } from '../helpers/clv';
import { dataset } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';
import { simulateBgNbd } from './covariates-simulate';

const cdnow = readCdnow(dataset('cdnow_customers_summary.csv')!);
const summary = { frequency: cdnow.x, recency: cdnow.t_x, T: cdnow.T };

/** Two covariates for the CDNOW customers, made up here: a binary one and a continuous one. */
const n = cdnow.x.length;
const flag = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
const score = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 1.5);
const withCovariates = { ...summary, flag, score };

function lgammaRef(z: number): number {
  // Lanczos (g = 7, n = 9), written independently of src/math
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgammaRef(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** ln L of FHL (2005) eq. 6 for one customer, written out as the paper prints it. */
function bgNbdCustomerLogLikelihood(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number) {
  const lbeta = (p: number, q: number) => lgammaRef(p) + lgammaRef(q) - lgammaRef(p + q);
  const common = lgammaRef(r + x) - lgammaRef(r) + r * Math.log(alpha);
  const first = lbeta(a, b + x) - lbeta(a, b) + common - (r + x) * Math.log(alpha + T);
  if (x === 0) return first;
  const second = lbeta(a + 1, b + x - 1) - lbeta(a, b) + common - (r + x) * Math.log(alpha + tx);
  const m = Math.max(first, second);
  return m + Math.log(Math.exp(first - m) + Math.exp(second - m));
}

const groupsOf = (table: unknown, purchase: string[], attrition: string[]) =>
  readCovariateGroups(table, {}, covariateColumns({ purchase, attrition }, 'test'), 'test');

describe('without covariates the model is the plain one', () => {
  it('fitBgNbdWithCovariates with no column equals fitBgNbd on CDNOW (1e-6)', () => {
    const plain = fitBgNbd(summary);
    const cov = fitBgNbdWithCovariates(summary, {});
    expect(cov.kind).toBe('bgNbdWithCovariates');
    expect(cov.covariates).toEqual({ purchase: [], attrition: [] });
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(cov.params[name] / plain.params[name] - 1), name).toBeLessThan(1e-6);
      expect(Math.abs(cov.standardErrors[name] / plain.standardErrors[name] - 1), name).toBeLessThan(1e-4);
    }
    expect(cov.logLikelihood).toBeCloseTo(plain.logLikelihood, 6);
  });

  it('fitParetoNbdWithCovariates with no column equals fitParetoNbd on CDNOW (1e-6)', () => {
    const plain = fitParetoNbd(summary);
    const cov = fitParetoNbdWithCovariates(summary, { purchase: [], attrition: [] });
    for (const name of ['r', 'alpha', 's', 'beta'] as const) {
      expect(Math.abs(cov.params[name] / plain.params[name] - 1), name).toBeLessThan(1e-6);
    }
    expect(cov.logLikelihood).toBeCloseTo(plain.logLikelihood, 6);
  });

  it('at coefficients 0 the log-likelihood is the plain one whatever the covariates (1e-9)', () => {
    const h = fitHistories(summary, {}, 'test');
    const plainBg = bgNbdLogLikelihood(h);
    const plainPareto = paretoNbdLogLikelihood(h);
    const d = groupsOf(withCovariates, ['flag', 'score'], ['score']);
    expect(d.groups.length).toBeGreaterThan(100);
    const bg = bgNbdWithCovariatesLogLikelihoodGradient(d);
    const pareto = paretoNbdWithCovariatesLogLikelihood(d);
    const grad = new Float64Array(7);
    const base = [0.3, 5, 0.8, 2.5];
    const expected = plainBg(base);
    expect(Math.abs(bg([...base, 0, 0, 0], grad) - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    const q = [0.55, 10.6, 0.61, 11.7];
    const expectedPareto = plainPareto(q);
    expect(Math.abs(pareto([...q, 0, 0, 0]) - expectedPareto)).toBeLessThan(1e-9 * Math.abs(expectedPareto));
  });
});

describe('the likelihood with covariates', () => {
  it('BG/NBD: matches FHL 2005 eq. 6 per customer at CLVTools’ individual parameters (1e-9)', () => {
    const d = groupsOf(withCovariates, ['flag', 'score'], ['flag', 'score']);
    const f = bgNbdWithCovariatesLogLikelihoodGradient(d);
    const p = [0.3, 5, 0.8, 2.5, 0.4, -0.2, -0.3, 0.15];
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const alphaI = p[1] * Math.exp(-(p[4] * flag[i] + p[5] * score[i]));
      const shift = Math.exp(p[6] * flag[i] + p[7] * score[i]);
      expected += bgNbdCustomerLogLikelihood(
        p[0],
        alphaI,
        p[2] * shift,
        p[3] * shift,
        cdnow.x[i],
        cdnow.t_x[i],
        cdnow.T[i],
      );
    }
    const actual = f(p, new Float64Array(8));
    expect(Math.abs(actual - expected)).toBeLessThan(1e-9 * Math.abs(expected));
  });

  it('Pareto/NBD: is the sum over customers of the Pareto/NBD likelihood at each one’s (α e^(−γ_P·z), β e^(−γ_L·z)) (1e-9)', () => {
    const rows = 300;
    const table = {
      frequency: cdnow.x.slice(0, rows),
      recency: cdnow.t_x.slice(0, rows),
      T: cdnow.T.slice(0, rows),
      flag: flag.slice(0, rows),
      score: score.slice(0, rows),
    };
    const f = paretoNbdWithCovariatesLogLikelihood(groupsOf(table, ['flag'], ['flag', 'score']));
    const p = [0.55, 10.6, 0.61, 11.7, 0.5, -0.4, 0.3];
    let expected = 0;
    for (let i = 0; i < rows; i++) {
      const one = fitHistories({ frequency: [cdnow.x[i]], recency: [cdnow.t_x[i]], T: [cdnow.T[i]] }, {}, 'test');
      const alphaI = p[1] * Math.exp(-p[4] * flag[i]);
      const betaI = p[3] * Math.exp(-(p[5] * flag[i] + p[6] * score[i]));
      expected += paretoNbdLogLikelihood(one)([p[0], alphaI, p[2], betaI]);
    }
    expect(Math.abs(f(p) - expected)).toBeLessThan(1e-9 * Math.abs(expected));
  });

  it('BG/NBD gradient equals central differences of the log-likelihood (1e-6 relative)', () => {
    const d = groupsOf(withCovariates, ['flag', 'score'], ['flag', 'score']);
    const f = bgNbdWithCovariatesLogLikelihoodGradient(d);
    const scratch = new Float64Array(8);
    for (const p of [
      [0.3, 5, 0.8, 2.5, 0.4, -0.2, -0.3, 0.15],
      [1.2, 0.7, 2.5, 0.6, -0.8, 0.5, 0.6, -0.4],
    ]) {
      const grad = new Float64Array(8);
      f(p, grad);
      for (let j = 0; j < 8; j++) {
        const h = 1e-5 * Math.max(1, Math.abs(p[j]));
        const up = p.slice();
        const down = p.slice();
        up[j] += h;
        down[j] -= h;
        const numeric = (f(up, scratch) - f(down, scratch)) / (2 * h);
        expect(Math.abs(grad[j] - numeric), `∂/∂p${j}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('shifting or scaling a covariate is absorbed by α, a, b and the coefficients (property)', () => {
    const rows = 200;
    const base = { frequency: cdnow.x.slice(0, rows), recency: cdnow.t_x.slice(0, rows), T: cdnow.T.slice(0, rows) };
    const z = score.slice(0, rows);
    const original = bgNbdWithCovariatesLogLikelihoodGradient(groupsOf({ ...base, z }, ['z'], ['z']));
    const scratch = new Float64Array(6);
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.25, max: 4, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (shift, scale, gP, gL) => {
          const moved = Float64Array.from(z, (v) => v * scale + shift);
          const f = bgNbdWithCovariatesLogLikelihoodGradient(groupsOf({ ...base, z: moved }, ['z'], ['z']));
          const p = [0.4, 6, 0.9, 2.2, gP, gL];
          // z' = k z + c with γ' = γ/k: α' = α e^(γ c/k), a' = a e^(−γ_L c/k), b' alike
          const q = [
            0.4,
            6 * Math.exp((gP * shift) / scale),
            0.9 * Math.exp((-gL * shift) / scale),
            0,
            gP / scale,
            gL / scale,
          ];
          q[3] = 2.2 * Math.exp((-gL * shift) / scale);
          const expected = original(p, scratch);
          expect(Math.abs(f(q, scratch) - expected)).toBeLessThan(1e-8 * Math.abs(expected));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('fitBgNbdWithCovariates recovers simulated parameters', () => {
  it('4,000 simulated customers, a binary and a continuous covariate on both processes: every estimate within 4 standard errors', () => {
    const truth = { r: 0.8, alpha: 6, a: 0.8, b: 2.5, purchase: [0.5, 0.3], attrition: [-0.4, 0.3] };
    const data = simulateBgNbd(20261207, 4000, truth);
    const fit = fitBgNbdWithCovariates(data, { purchase: ['female', 'age'], attrition: ['female', 'age'] });
    const expected: Record<string, number> = {
      r: truth.r,
      alpha: truth.alpha,
      a: truth.a,
      b: truth.b,
      'purchase.female': truth.purchase[0],
      'purchase.age': truth.purchase[1],
      'attrition.female': truth.attrition[0],
      'attrition.age': truth.attrition[1],
    };
    expect(Object.keys(fit.params)).toEqual(Object.keys(expected));
    for (const [name, value] of Object.entries(expected)) {
      const se = fit.standardErrors[name];
      expect(se, name).toBeGreaterThan(0);
      expect(Math.abs(fit.params[name] - value) / se, name).toBeLessThan(4);
    }
    expect(fit.covariance.length).toBe(8);
    expect(fit.customers).toBe(4000);
    expect(fit.identified).toBe(true);
  });
});

describe('predictions at each customer’s own parameters', () => {
  const model = {
    params: { r: 0.3, alpha: 5, a: 0.8, b: 2.5, 'purchase.flag': 0.4, 'purchase.score': -0.2, 'attrition.score': 0.3 },
    covariates: { purchase: ['flag', 'score'], attrition: ['score'] },
  };
  const paretoModel = {
    params: {
      r: 0.55,
      alpha: 10.6,
      s: 0.61,
      beta: 11.7,
      'purchase.flag': 0.4,
      'attrition.flag': -0.3,
      'attrition.score': 0.2,
    },
    covariates: { purchase: ['flag'], attrition: ['flag', 'score'] },
  };
  const rows = 400;
  const table = {
    frequency: Array.from(cdnow.x.slice(0, rows)),
    recency: Array.from(cdnow.t_x.slice(0, rows)),
    T: Array.from(cdnow.T.slice(0, rows)),
    flag: Array.from(flag.slice(0, rows)) as (number | null)[],
    score: Array.from(score.slice(0, rows)),
  };
  table.flag[5] = null;
  table.recency[7] = table.T[7] + 1; // recency after age: dropped

  it('BG/NBD: P(alive) and conditional expected purchases equal the plain functions at α e^(−γ_P·z), a e^(γ_L·z), b e^(γ_L·z)', () => {
    const alive = predictBgNbdWithCovariates(model, table, { quantity: 'probabilityAlive' });
    const expected = predictBgNbdWithCovariates(model, table, { quantity: 'conditionalExpectedPurchases', t: 39 });
    expect(alive.length).toBe(rows);
    for (let i = 0; i < rows; i++) {
      if (i === 5 || i === 7) {
        expect(alive.get(i)).toBeNaN();
        expect(expected.get(i)).toBeNaN();
        continue;
      }
      const p = model.params;
      const shift = Math.exp(p['attrition.score'] * table.score[i]);
      const own = {
        params: {
          r: p.r,
          alpha: p.alpha * Math.exp(-(p['purchase.flag'] * table.flag[i]! + p['purchase.score'] * table.score[i])),
          a: p.a * shift,
          b: p.b * shift,
        },
      };
      const [x, tx, T] = [table.frequency[i], table.recency[i], table.T[i]];
      expect(alive.get(i)).toBeCloseTo(bgNbdProbabilityAlive(own, x, tx, T), 12);
      expect(expected.get(i)).toBeCloseTo(bgNbdConditionalExpectedPurchases(own, x, tx, T, 39), 12);
    }
  });

  it('Pareto/NBD: P(alive) and conditional expected purchases equal the plain functions at α e^(−γ_P·z), β e^(−γ_L·z)', () => {
    const alive = predictParetoNbdWithCovariates(paretoModel, table, { quantity: 'probabilityAlive' });
    const expected = predictParetoNbdWithCovariates(paretoModel, table, {
      quantity: 'conditionalExpectedPurchases',
      t: 52,
    });
    for (let i = 0; i < rows; i++) {
      if (i === 5 || i === 7) {
        expect(alive.get(i)).toBeNaN();
        continue;
      }
      const p = paretoModel.params;
      const own = {
        params: {
          r: p.r,
          alpha: p.alpha * Math.exp(-p['purchase.flag'] * table.flag[i]!),
          s: p.s,
          beta: p.beta * Math.exp(-(p['attrition.flag'] * table.flag[i]! + p['attrition.score'] * table.score[i])),
        },
      };
      const [x, tx, T] = [table.frequency[i], table.recency[i], table.T[i]];
      expect(alive.get(i)).toBeCloseTo(paretoNbdProbabilityAlive(own, x, tx, T), 12);
      expect(expected.get(i)).toBeCloseTo(paretoNbdConditionalExpectedPurchases(own, x, tx, T, 52), 12);
    }
  });

  it('a positive purchase coefficient raises expected purchases; a positive attrition one lowers P(alive) (Pareto/NBD)', () => {
    const two = { frequency: [3, 3], recency: [20, 20], T: [39, 39], flag: [0, 1], score: [0, 0] };
    const e = predictParetoNbdWithCovariates(
      { params: { ...paretoModel.params, 'attrition.flag': 0 }, covariates: paretoModel.covariates },
      two,
      { quantity: 'conditionalExpectedPurchases', t: 39 },
    );
    expect(e.get(1)!).toBeGreaterThan(e.get(0)!);
    const alive = predictParetoNbdWithCovariates(
      {
        params: { ...paretoModel.params, 'purchase.flag': 0, 'attrition.flag': 1 },
        covariates: paretoModel.covariates,
      },
      two,
      { quantity: 'probabilityAlive' },
    );
    expect(alive.get(1)!).toBeLessThan(alive.get(0)!);
  });

  it('predictClv refuses a model with covariates (INVALID_OPTION) rather than use its baseline parameters for everyone', () => {
    const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
    const rows3 = {
      customer: [1],
      frequency: [2],
      recency: [30.43],
      T: [38.86],
      monetary: [22.35],
      flag: [1],
      score: [0],
    };
    expectCode(
      () => predictClv({ ...model, kind: 'bgNbdWithCovariates' } as never, gg, rows3, { horizon: 52 }),
      'INVALID_OPTION',
      'bgNbdWithCovariates',
    );
  });

  it('refuses a model without its coefficients or covariates', () => {
    expectCode(
      () =>
        predictBgNbdWithCovariates(
          { params: { r: 1, alpha: 1, a: 1, b: 1 }, covariates: { purchase: ['flag'], attrition: [] } },
          table,
          { quantity: 'probabilityAlive' },
        ),
      'INVALID_VALUE',
      'purchase.flag',
    );
    expectCode(
      () =>
        predictParetoNbdWithCovariates({ params: paretoModel.params } as never, table, {
          quantity: 'probabilityAlive',
        }),
      'INVALID_VALUE',
      'covariates',
    );
    expectCode(
      () =>
        predictParetoNbdWithCovariates(
          { params: paretoModel.params, covariates: { purchase: [Symbol('flag')], attrition: [] } } as never,
          table,
          { quantity: 'probabilityAlive' },
        ),
      'INVALID_VALUE',
      'covariates',
    );
    expectCode(
      () =>
        predictBgNbdWithCovariates(model, { frequency: [1], recency: [1], T: [2] }, { quantity: 'probabilityAlive' }),
      'MISSING_COLUMN',
      'flag',
    );
  });
});

describe('input checks', () => {
  const small = {
    frequency: Array.from(cdnow.x.slice(0, 600)),
    recency: Array.from(cdnow.t_x.slice(0, 600)),
    T: Array.from(cdnow.T.slice(0, 600)),
    flag: Array.from(flag.slice(0, 600)) as (number | null)[],
    score: Array.from(score.slice(0, 600)) as number[],
    one: new Array<number>(600).fill(1),
    twice: Array.from(score.slice(0, 600), (v) => 2 * v - 1),
    label: new Array<string>(600).fill('a'),
  };

  it('a constant covariate is NOT_IDENTIFIED, naming the column and the process', () => {
    expectCode(() => fitBgNbdWithCovariates(small, { purchase: ['one'] }), 'NOT_IDENTIFIED', '"one"', 'purchase');
    expectCode(
      () => fitParetoNbdWithCovariates(small, { attrition: ['flag', 'one'] }),
      'NOT_IDENTIFIED',
      '"one"',
      'attrition',
    );
  });

  it('collinear covariates within a process are NOT_IDENTIFIED, naming the column; across processes they are fine', () => {
    expectCode(
      () => fitBgNbdWithCovariates(small, { attrition: ['score', 'twice'] }),
      'NOT_IDENTIFIED',
      '"twice"',
      'collinear',
    );
    const d = groupsOf(small, ['score'], ['twice']);
    expect(d.groups.length).toBeGreaterThan(1);
  });

  it('rows with a null or non-finite covariate are dropped and counted as invalidValue; inputs are not mutated', () => {
    const table = { ...small, flag: small.flag.slice(), score: small.score.slice() };
    table.flag[3] = null;
    table.score[10] = Infinity;
    table.score[11] = NaN;
    const frozen = Object.freeze({
      ...table,
      flag: Object.freeze(table.flag.slice()),
      score: Object.freeze(table.score.slice()),
    });
    const fit = fitBgNbdWithCovariates(frozen, { purchase: ['flag'], attrition: ['score'] });
    expect(fit.dropped.invalidValue).toBe(3);
    expect(fit.customers).toBe(597);
    expect(frozen.flag[3]).toBeNull();
  });

  it('refuses bad options, missing and non-numeric columns', () => {
    expectCode(() => fitBgNbdWithCovariates(small, { purchase: 'flag' as never }), 'INVALID_OPTION', 'purchase');
    expectCode(() => fitBgNbdWithCovariates(small, { purchase: ['flag', 'flag'] }), 'INVALID_OPTION', 'twice');
    expectCode(() => fitParetoNbdWithCovariates(small, { attrition: [''] }), 'INVALID_OPTION', 'attrition');
    expectCode(() => fitBgNbdWithCovariates(small, { purchase: ['nope'] }), 'MISSING_COLUMN', 'nope');
    expectCode(() => fitBgNbdWithCovariates(small, { purchase: ['label'] }), 'INVALID_TYPE', 'label');
    expectCode(() => fitBgNbdWithCovariates(small, { covariates: ['flag'] } as never), 'INVALID_OPTION', 'covariates');
    expectCode(() => fitBgNbdWithCovariates(small, { start: { 'purchase.nope': 1 } }), 'INVALID_OPTION', 'start');
  });

  it('weights equal expanded rows (metamorphic, 1e-6)', () => {
    const rows = 200;
    const keys = ['frequency', 'recency', 'T', 'flag', 'score'] as const;
    const weighted: Record<string, number[]> = { w: Array.from({ length: rows }, (_, i) => 1 + (i % 3)) };
    for (const key of keys) weighted[key] = (small[key] as number[]).slice(0, rows);
    const expanded: Record<string, number[]> = { frequency: [], recency: [], T: [], flag: [], score: [] };
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < weighted.w[i]; k++) for (const key of keys) expanded[key].push(weighted[key][i]);
    }
    const options = { purchase: ['flag'], attrition: ['score'] };
    const a = fitBgNbdWithCovariates(weighted, { ...options, weights: 'w' });
    const b = fitBgNbdWithCovariates(expanded, options);
    expect(a.customers).toBe(b.customers);
    for (const name of Object.keys(b.params)) {
      expect(Math.abs(a.params[name] - b.params[name]), name).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(b.params[name])),
      );
    }
  });

  it('the penalizer shrinks the coefficients towards 0 and leaves the unpenalised fit at 0', () => {
    const options = { purchase: ['flag'], attrition: ['flag'] };
    const plain = fitBgNbdWithCovariates(small, options);
    const zero = fitBgNbdWithCovariates(small, { ...options, penalizer: 0 });
    expect(zero.params).toEqual(plain.params);
    const shrunk = fitBgNbdWithCovariates(small, { ...options, penalizer: 0.5 });
    const size = (p: Record<string, number>) => p['purchase.flag'] ** 2 + p['attrition.flag'] ** 2;
    expect(size(shrunk.params)).toBeLessThan(size(plain.params));
    expect(shrunk.penalizer).toBe(0.5);
  });

  it('accepts start values for the coefficients by name and gives the same optimum', () => {
    const a = fitBgNbdWithCovariates(small, { purchase: ['flag'] });
    const b = fitBgNbdWithCovariates(small, { purchase: ['flag'], start: { 'purchase.flag': 0.5, r: 0.5 } });
    expect(Math.abs(a.params['purchase.flag'] - b.params['purchase.flag'])).toBeLessThan(1e-4);
    expect(a.logLikelihood).toBeCloseTo(b.logLikelihood, 6);
  });
});
