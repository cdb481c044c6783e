import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { plsPredict } from '../../src/satisfaction/pls-predict';
import type { PlsPredictResult } from '../../src/satisfaction/pls-predict';
import { expectCode } from '../helpers/errors';
import { mean, ols, simulateSurvey } from '../helpers/pls-reference';

/** x → m → y with x → y, continuous indicators. */
const INDICATORS = { x: [0.8, 0.7, 0.75], m: [0.8, 0.7], y: [0.85, 0.8] };
const PATHS = [
  ['x', 'm', 0.5],
  ['x', 'y', 0.3],
  ['m', 'y', 0.4],
] as const;
const BLOCKS = { x: ['x1', 'x2', 'x3'], m: ['m1', 'm2'], y: ['y1', 'y2'] };
const MODEL = pathModel({ blocks: BLOCKS, paths: PATHS.map(([f, t]) => [f, t] as const) });
const survey = (n: number, seed: number) => simulateSurvey(n, seed, ['x', 'm', 'y'], PATHS, INDICATORS).columns;
const ENDOGENOUS = ['m1', 'm2', 'y1', 'y2'];

/** Column `name` of the predictions table for `indicator`, by kept respondent. */
function predicted(result: PlsPredictResult, indicator: string, name: string): number[] {
  const t = result.predictions;
  const which = t.getChild('indicator')!.toArray() as string[];
  const values = t.getChild(name)!.toArray() as Float64Array;
  return Array.from(values).filter((_, r) => which[r] === indicator);
}

/**
 * Leave-one-out predictions by hand: refit with the public plsPathModel without respondent i, standardise i's
 * answers with the training means and standard deviations (divisor n − 1 rows), score, predict the endogenous
 * constructs (DA: from the antecedents' scores; EA: exogenous scores pushed through the paths in causal order),
 * x̂ = x̄ + s·λ·ŷ; the benchmark by ordinary least squares on the raw training answers (test helper `ols`), on the
 * exogenous indicators and on every indicator outside the target's block.
 */
function handLeaveOneOut(columns: Record<string, number[]>) {
  const n = columns.x1.length;
  const out: Record<string, Record<'DA' | 'EA' | 'exogenous' | 'others', number[]>> = {};
  for (const item of ENDOGENOUS) out[item] = { DA: [], EA: [], exogenous: [], others: [] };
  const all = Object.values(BLOCKS).flat();
  for (let i = 0; i < n; i++) {
    const train = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.filter((_, r) => r !== i)]));
    const fit = plsPathModel(train, MODEL, { tolerance: 1e-12, maxIterations: 500 });
    const stat = (c: string) => {
      const m = mean(train[c]);
      return { m, s: Math.sqrt(train[c].reduce((a, v) => a + (v - m) ** 2, 0) / train[c].length) };
    };
    const score = (lv: keyof typeof BLOCKS) =>
      BLOCKS[lv].reduce((a, c) => a + (fit.outer[c].weight * (columns[c][i] - stat(c).m)) / stat(c).s, 0);
    const xi = { x: score('x'), m: score('m'), y: score('y') };
    const m = fit.paths.x.m * xi.x;
    const hat = {
      DA: { m, y: fit.paths.x.y * xi.x + fit.paths.m.y * xi.m },
      EA: { m, y: fit.paths.x.y * xi.x + fit.paths.m.y * m },
    };
    for (const item of ENDOGENOUS) {
      const lv = item[0] as 'm' | 'y';
      for (const technique of ['DA', 'EA'] as const)
        out[item][technique].push(stat(item).m + stat(item).s * fit.outer[item].loading * hat[technique][lv]);
      for (const [kind, pool] of [
        ['exogenous', BLOCKS.x],
        ['others', all],
      ] as const) {
        const predictors = pool.filter((c) => c[0] !== lv);
        const b = ols(
          train[item],
          predictors.map((c) => train[c]),
        ).coefficients;
        out[item][kind].push(b[0] + predictors.reduce((a, c, u) => a + b[u + 1] * columns[c][i], 0));
      }
    }
  }
  return out;
}

describe('plsPredict', () => {
  const tiny = survey(12, 21);
  const hand = handLeaveOneOut(tiny);
  const loo = plsPredict(tiny, MODEL, { folds: 12 });

  for (const technique of ['DA', 'EA'] as const) {
    for (const lmPredictors of ['exogenous', 'others'] as const) {
      it(`with folds = n (leave-one-out) equals a hand refit for every respondent (${technique}, LM on ${lmPredictors}; 1e-9)`, () => {
        const result = plsPredict(tiny, MODEL, {
          folds: 12,
          technique,
          lmPredictors,
          tolerance: 1e-12,
          maxIterations: 500,
        });
        for (const item of ENDOGENOUS) {
          const pls = predicted(result, item, 'pls');
          const lm = predicted(result, item, 'lm');
          for (let i = 0; i < 12; i++) {
            expect(Math.abs(pls[i] - hand[item][technique][i])).toBeLessThan(1e-9);
            expect(Math.abs(lm[i] - hand[item][lmPredictors][i])).toBeLessThan(1e-9);
          }
        }
      });
    }
  }

  it('RMSE, MAE and Q²_predict follow their definitions on the predictions table', () => {
    const result = loo;
    for (const item of ENDOGENOUS) {
      const x = tiny[item];
      const pls = predicted(result, item, 'pls');
      const inSample = predicted(result, item, 'plsInSample');
      const e = result.indicators[item];
      // Leave-one-out: the training mean of respondent i is (Σx − x_i)/(n − 1).
      const total = x.reduce((a, v) => a + v, 0);
      const sse = x.reduce((a, v, i) => a + (v - pls[i]) ** 2, 0);
      const naive = x.reduce((a, v) => a + (v - (total - v) / 11) ** 2, 0);
      expect(e.rmse).toBeCloseTo(Math.sqrt(sse / 12), 12);
      expect(e.mae).toBeCloseTo(x.reduce((a, v, i) => a + Math.abs(v - pls[i]), 0) / 12, 12);
      expect(e.q2predict).toBeCloseTo(1 - sse / naive, 12);
      expect(e.inSampleRmse).toBeCloseTo(Math.sqrt(x.reduce((a, v, i) => a + (v - inSample[i]) ** 2, 0) / 12), 12);
      expect(e.construct).toBe(item[0]);
    }
    // The construct reading of Shmueli et al. (2019) from the indicators' RMSEs.
    for (const lv of ['m', 'y']) {
      const own = ENDOGENOUS.filter((c) => c[0] === lv).map((c) => result.indicators[c]);
      const worse = own.filter((e) => e.rmse > e.lmRmse).length;
      expect(result.constructs[lv].worseThanLm).toBe(worse);
      const power = worse === own.length ? 'none' : 2 * worse >= own.length ? 'low' : worse > 0 ? 'medium' : 'high';
      expect(result.constructs[lv].power).toBe(power);
    }
  });

  it('repeating leave-one-out changes nothing; seeded random folds are reproducible and cover every respondent', () => {
    const once = loo;
    const twice = plsPredict(tiny, MODEL, { folds: 12, repeats: 2, seed: 9 });
    for (const item of ENDOGENOUS) expect(twice.indicators[item].rmse).toBeCloseTo(once.indicators[item].rmse, 12);
    const columns = survey(40, 4);
    const a = plsPredict(columns, MODEL, { folds: 4, repeats: 2, seed: 3 });
    const b = plsPredict(columns, MODEL, { folds: 4, repeats: 2, seed: 3 });
    expect(a.indicators).toEqual(b.indicators);
    expect(a.predictions.numRows).toBe(40 * 4);
    expect(a.repeats).toBe(2);
    expect(a.folds).toBe(4);
  });

  it('explicit fold ids per input row: rows dropped for a missing answer are skipped, the key column is carried', () => {
    const columns: Record<string, (number | string)[]> = { ...survey(30, 8) };
    columns.y1 = [...columns.y1];
    columns.y1[3] = NaN;
    columns.customer = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const folds = Array.from({ length: 30 }, (_, i) => 10 * (i % 3));
    const result = plsPredict(columns, MODEL, { folds, key: 'customer' });
    expect(result.folds).toBe(3);
    expect(result.respondents).toBe(29);
    expect(result.rows.dropped.missingAnswer).toBe(1);
    const t = result.predictions;
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      'row',
      'customer',
      'indicator',
      'actual',
      'pls',
      'lm',
      'plsInSample',
      'lmInSample',
    ]);
    const rows = Array.from(t.getChild('row')!.toArray() as Int32Array);
    expect(rows).not.toContain(3);
    expect(t.getChild('customer')!.get(0)).toBe(`c${rows[0]}`);
  });

  it('leaves its input unchanged', () => {
    const columns = survey(20, 2);
    const frozen = Object.freeze(
      Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Object.freeze([...v])])),
    );
    const before = JSON.stringify(frozen);
    plsPredict(frozen, MODEL, { folds: 4 });
    expect(JSON.stringify(frozen)).toBe(before);
  });

  it('refuses bad folds, repeats with explicit folds, a clashing key and unknown options', () => {
    const columns = survey(20, 2);
    expectCode(() => plsPredict(columns, MODEL, { folds: 1 }), 'INVALID_OPTION', 'folds', 'found 1');
    expectCode(() => plsPredict(columns, MODEL, { folds: 21 }), 'INVALID_OPTION', 'the 20 respondents');
    expectCode(() => plsPredict(columns, MODEL, { folds: [0, 1] }), 'INVALID_OPTION', 'length 2, need 20');
    const ids = Array.from({ length: 20 }, (_, i) => i % 2);
    expectCode(() => plsPredict(columns, MODEL, { folds: ids, repeats: 2 }), 'INVALID_OPTION', 'repeats');
    expectCode(
      () => plsPredict(columns, MODEL, { folds: ids.map((v) => v + 0.5) }),
      'INVALID_OPTION',
      'integer fold id',
    );
    expectCode(() => plsPredict(columns, MODEL, { folds: ids.map(() => 0) }), 'INVALID_OPTION', 'at least 2 folds');
    expectCode(() => plsPredict(columns, MODEL, { technique: 'XX' as never }), 'INVALID_OPTION', "'DA' or 'EA'");
    expectCode(() => plsPredict({ ...columns, pls: columns.x1 }, MODEL, { key: 'pls' }), 'INVALID_OPTION', 'clashes');
    expectCode(() => plsPredict(columns, MODEL, { fold: 5 } as never), 'INVALID_OPTION', 'folds');
  });

  it('names the fold whose training set cannot be fitted', () => {
    const columns = survey(20, 2);
    // m2 varies only in respondent 0: the training set of fold 1, which holds out respondent 0, has a constant question.
    const constant = { ...columns, m2: columns.m2.map((v, i) => (i === 0 ? 5 : 1)) };
    const folds = Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
    expectCode(() => plsPredict(constant, MODEL, { folds }), 'INVALID_VALUE', 'plsPredict: fold 1 of 2', '"m2"');
  });
});
