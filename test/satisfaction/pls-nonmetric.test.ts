/**
 * Non-metric PLS (plsPathModel's `scaling`; Russolillo 2012): properties and independent checks. The figures of R
 * plspm are in test/conformance/plspm-nonmetric.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import type { PlsFit } from '../../src/satisfaction/pls-path-model';
import { isotonicInPlace } from '../../src/satisfaction/optimal-scaling';
import { randomSource } from '../../src/math/random';
import { expectCode } from '../helpers/errors';
import { cor, simulateSurvey } from '../helpers/pls-reference';

const MODEL = pathModel({
  blocks: { x: ['x1', 'x2', 'x3'], m: ['m1', 'm2', 'm3'], y: ['y1', 'y2', 'y3'] },
  paths: [
    ['x', 'm'],
    ['x', 'y'],
    ['m', 'y'],
  ],
});

/** A survey of the three-construct chain with answers cut to a 1–5 scale (column `${lv}${u}`). */
function likertSurvey(n: number, seed: number): Record<string, number[]> {
  const { columns } = simulateSurvey(
    n,
    seed,
    ['x', 'm', 'y'],
    [
      ['x', 'm', 0.5],
      ['x', 'y', 0.3],
      ['m', 'y', 0.4],
    ],
    { x: [0.85, 0.75, 0.65], m: [0.85, 0.75, 0.65], y: [0.85, 0.75, 0.65] },
  );
  const cut = (v: number) => (v < -1.2 ? 1 : v < -0.4 ? 2 : v < 0.3 ? 3 : v < 1 ? 4 : 5);
  return Object.fromEntries(Object.entries(columns).map(([c, values]) => [c, values.map(cut)]));
}

const column = (fit: PlsFit, lv: string) => Array.from(fit.scores.getChild(lv)!.toArray() as Float64Array);

describe('plsPathModel scaling: properties', () => {
  it('all-numeric scaling is the metric fit (1e-12)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 40, max: 90 }), (seed, n) => {
        const survey = likertSurvey(n, seed);
        const metric = plsPathModel(survey, MODEL);
        for (const scaling of ['numeric', { x1: 'numeric', y3: 'numeric' }] as const) {
          const fit = plsPathModel(survey, MODEL, { scaling });
          expect(fit.nonMetric).toBeUndefined();
          for (const [from, to] of MODEL.paths)
            expect(Math.abs(fit.paths[from][to] - metric.paths[from][to])).toBeLessThan(1e-12);
          for (const key of Object.keys(metric.outer))
            expect(Math.abs(fit.outer[key].weight - metric.outer[key].weight)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 5 },
    );
  });

  it('an ordinal quantification is non-decreasing in the category order and standardised', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
        (seed, flip) => {
          // some questions reversed (6 − answer), so that the decreasing fit wins and is turned round
          const survey = likertSurvey(80, seed);
          Object.keys(survey).forEach((c, u) => flip[u] && (survey[c] = survey[c].map((v) => 6 - v)));
          const fit = plsPathModel(survey, MODEL, { scaling: 'ordinal', allowNonConvergence: true });
          for (const q of Object.values(fit.nonMetric!.quantifications)) {
            for (let c = 1; c < q.values.length; c++) expect(q.values[c]).toBeGreaterThanOrEqual(q.values[c - 1]);
            const n = q.counts.reduce((a, b) => a + b, 0);
            expect(n).toBe(80);
            expect(Math.abs(q.values.reduce((a, v, c) => a + q.counts[c] * v, 0))).toBeLessThan(1e-9);
            expect(q.values.reduce((a, v, c) => a + q.counts[c] * v * v, 0) / n).toBeCloseTo(1, 9);
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('isotonic regression equals the max–min formula of Barlow et al. (1972), brute force', () => {
    // fit_c = max_{a ≤ c} min_{b ≥ c} (Σ_{a..b} w y)/(Σ_{a..b} w), independent of pool-adjacent-violators
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: 1, max: 9 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (pairs) => {
          const y = Float64Array.from(pairs, ([v]) => v);
          const w = Float64Array.from(pairs, ([, c]) => c);
          const brute = pairs.map((_, c) => {
            let best = -Infinity;
            for (let a = 0; a <= c; a++) {
              let worst = Infinity;
              for (let b = c; b < pairs.length; b++) {
                let sw = 0;
                let swy = 0;
                for (let u = a; u <= b; u++) {
                  sw += w[u];
                  swy += w[u] * y[u];
                }
                worst = Math.min(worst, swy / sw);
              }
              best = Math.max(best, worst);
            }
            return best;
          });
          isotonicInPlace(y, w);
          brute.forEach((v, c) => expect(y[c]).toBeCloseTo(v, 12));
        },
      ),
    );
  });

  it('an ordinal fit is unchanged by a monotone recoding of the answers (only their order counts)', () => {
    const survey = likertSurvey(120, 3);
    const scaling = { x1: 'ordinal', x2: 'ordinal', m1: 'ordinal', y2: 'ordinal' } as const;
    const recoded = { ...survey, x1: survey.x1.map((v) => 2 ** v + 10), m1: survey.m1.map((v) => v * v * v) };
    const a = plsPathModel(survey, MODEL, { scaling });
    const b = plsPathModel(recoded, MODEL, { scaling });
    for (const [from, to] of MODEL.paths) expect(b.paths[from][to]).toBeCloseTo(a.paths[from][to], 12);
    for (const key of Object.keys(a.outer)) expect(b.outer[key].loading).toBeCloseTo(a.outer[key].loading, 12);
    expect(b.nonMetric!.quantifications.x1.values).toEqual(a.nonMetric!.quantifications.x1.values);
    expect(b.nonMetric!.quantifications.x1.categories).toEqual([12, 14, 18, 26, 42]);
  });

  it('scores are Σ weight · quantified answer (scores = X̂ w), from the reported quantifications', () => {
    const survey = likertSurvey(150, 11);
    const fit = plsPathModel(survey, MODEL, { scaling: { x1: 'ordinal', x2: 'nominal', y3: 'ordinal' } });
    for (const lv of ['x', 'm', 'y']) {
      const expected = new Array<number>(150).fill(0);
      for (const c of MODEL.blocks[lv]) {
        const q = fit.nonMetric!.quantifications[c];
        const answers = survey[c];
        const mean = answers.reduce((a, v) => a + v, 0) / 150;
        const sd = Math.sqrt(answers.reduce((a, v) => a + (v - mean) ** 2, 0) / 150);
        answers.forEach((v, i) => {
          const value = q ? q.values[q.categories.indexOf(v)] : (v - mean) / sd;
          expected[i] += fit.outer[c].weight * value;
        });
      }
      column(fit, lv).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    }
  });

  it('a nominal quantification is the standardised category means of the inner estimate (centroid), at convergence', () => {
    const survey = likertSurvey(200, 5);
    const fit = plsPathModel(survey, MODEL, { scaling: { m2: 'nominal' }, tolerance: 1e-14 });
    // Z_m = Σ sign(cor(Y_i, Y_m)) Y_i over m's neighbours x and y
    const [x, m, y] = ['x', 'm', 'y'].map((lv) => column(fit, lv));
    const z = x.map((v, i) => Math.sign(cor(x, m)) * v + Math.sign(cor(y, m)) * y[i]);
    const q = fit.nonMetric!.quantifications.m2;
    const means = q.categories.map((c) => {
      const rows = survey.m2.flatMap((v, i) => (v === c ? [z[i]] : []));
      return rows.reduce((a, v) => a + v, 0) / rows.length;
    });
    const mu = means.reduce((a, v, c) => a + q.counts[c] * v, 0) / 200;
    const sd = Math.sqrt(means.reduce((a, v, c) => a + q.counts[c] * (v - mu) ** 2, 0) / 200);
    means.forEach((v, c) => expect(q.values[c]).toBeCloseTo((v - mu) / sd, 9));
  });

  it('the index keeps the raw answers: ordinal blocks as in the metric fit, a nominal block NaN with a warning', () => {
    const survey = likertSurvey(100, 8);
    const metric = plsPathModel(survey, MODEL, { scale: [1, 5] });
    const fit = plsPathModel(survey, MODEL, { scale: [1, 5], scaling: { x1: 'ordinal', y2: 'nominal' } });
    expect(fit.index.x).toBe(metric.index.x);
    expect(fit.index.m).toBe(metric.index.m);
    expect(fit.index.y).toBeNaN();
    expect(fit.nonMetric!.warnings).toEqual([expect.stringContaining('index.y is NaN')]);
    expect(fit.nonMetric!.scaling).toMatchObject({ x1: 'ordinal', y2: 'nominal', m1: 'numeric' });
  });

  it('the bootstrap refits the whole non-metric loop: each replicate equals a fit on its resampled rows', () => {
    const survey = likertSurvey(60, 6);
    const scaling = { x1: 'ordinal', m2: 'nominal', y1: 'ordinal' } as const;
    const B = 6;
    const fit = plsPathModel(survey, MODEL, { scaling, bootstrap: B, seed: 9 });
    // the same draws as plsPathModel (row multiplicities from the seeded stream), refitted one by one
    const rng = randomSource(9);
    const paths: number[] = [];
    for (let b = 0; b < B; b++) {
      const counts = new Int32Array(60);
      for (let i = 0; i < 60; i++) counts[rng.int(60)]++;
      const rows = Array.from(counts).flatMap((c, i) => new Array<number>(c).fill(i));
      const resampled = Object.fromEntries(Object.entries(survey).map(([c, v]) => [c, rows.map((i) => v[i])]));
      paths.push(plsPathModel(resampled, MODEL, { scaling }).paths.x.y);
    }
    const boot = fit.bootstrap!;
    expect(boot.failed).toBe(0);
    expect(boot.paths.x.y.original).toBe(fit.paths.x.y);
    expect(boot.paths.x.y.mean).toBeCloseTo(paths.reduce((a, v) => a + v, 0) / B, 12);
  });

  it('does not mutate its inputs', () => {
    const survey = likertSurvey(60, 2);
    const copy = structuredClone(survey);
    const scaling = Object.freeze({ x1: 'ordinal', m2: 'nominal' } as const);
    for (const values of Object.values(survey)) Object.freeze(values);
    const fit = plsPathModel(Object.freeze(survey), MODEL, Object.freeze({ scaling }));
    expect(survey).toEqual(copy);
    expect(scaling).toEqual({ x1: 'ordinal', m2: 'nominal' });
    expect(Object.isFrozen(fit.nonMetric!.quantifications.x1)).toBe(true);
  });
});

describe('plsPathModel scaling: errors', () => {
  const survey = likertSurvey(60, 4);
  it.each([
    [{ scaling: { nope: 'ordinal' } }, 'INVALID_OPTION', 'column "nope"'],
    [{ scaling: { x1: 'interval' } }, 'INVALID_OPTION', 'scaling.x1'],
    [{ scaling: 42 }, 'INVALID_OPTION', 'option scaling'],
    [{ scaling: 'ordinal', maxCategories: 1 }, 'INVALID_OPTION', 'maxCategories'],
    [{ scaling: 'nominal', scaled: false }, 'INVALID_OPTION', 'scaled: false'],
    [{ scaling: { x1: 'ordinal' }, maxCategories: 4 }, 'INVALID_VALUE', 'raise maxCategories'],
  ] as const)('%j → %s', (options, code, text) => {
    expectCode(() => plsPathModel(survey, MODEL, options as never), code, text);
  });

  it('refuses a continuous column declared ordinal (more categories than maxCategories)', () => {
    const continuous = { ...survey, x1: survey.x1.map((v, i) => v + i / 1000) };
    expectCode(() => plsPathModel(continuous, MODEL, { scaling: { x1: 'ordinal' } }), 'INVALID_VALUE', '60 distinct');
  });

  it('refuses a constant question declared nominal', () => {
    const constant = { ...survey, m3: survey.m3.map(() => 3) };
    expectCode(() => plsPathModel(constant, MODEL, { scaling: { m3: 'nominal' } }), 'INVALID_VALUE', 'same answer');
  });
});
