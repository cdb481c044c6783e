import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleStore, sampleSurvey } from '../../src/sample/index';
import { acsiModel, ecsiModel, pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { importancePerformance } from '../../src/satisfaction/importance-performance';
import { importancePerformanceChart } from '../../src/charts/importance-performance-chart';
import { studentTwoSidedP } from '../../src/math/special';
import type { Table } from 'apache-arrow';
import { catchClientele, expectCode } from '../helpers/errors';
import { cor, mean, ols, powerIteration, simulateSurvey, standardisedAlpha } from '../helpers/pls-reference';

/** A survey column as plain numbers. */
function answers(table: Table, column: string): number[] {
  return Array.from(table.getChild(column)!.toArray() as ArrayLike<number>, Number);
}

const ACSI_BLOCKS = {
  expectations: ['exp1', 'exp2', 'exp3'],
  quality: ['qual1', 'qual2', 'qual3'],
  value: ['val1', 'val2'],
  satisfaction: ['sat1', 'sat2', 'sat3'],
  complaints: ['comp1'],
  loyalty: ['loy1', 'loy2'],
};

/** A three-construct chain with two cross paths, continuous indicators. */
const CHAIN_PATHS = [
  ['x', 'm', 0.5],
  ['x', 'y', 0.3],
  ['m', 'y', 0.4],
] as const;
function chainModel(indicators: Record<string, readonly number[]>) {
  const blocks = Object.fromEntries(
    Object.entries(indicators).map(([lv, ls]) => [lv, ls.map((_, u) => `${lv}${u + 1}`)]),
  );
  return pathModel({ blocks, paths: CHAIN_PATHS.map(([f, t]) => [f, t] as const) });
}

describe('pathModel and presets', () => {
  it('orders latent variables causally and defaults every mode to A', () => {
    const model = pathModel({
      blocks: { c: ['c1'], a: ['a1'], b: ['b1'] },
      paths: [
        ['a', 'b'],
        ['b', 'c'],
      ],
    });
    expect(model.latent).toEqual(['c', 'a', 'b']);
    expect(model.causalOrder).toEqual(['a', 'b', 'c']);
    expect(model.modes).toEqual({ c: 'A', a: 'A', b: 'A' });
    expect(Object.isFrozen(model)).toBe(true);
  });

  it('rejects cycles, unknown ends, self-loops, repeated paths, isolated blocks, empty blocks and bad modes', () => {
    const blocks = { a: ['a1'], b: ['b1'], c: ['c1'] };
    expectCode(
      () =>
        pathModel({
          blocks,
          paths: [
            ['a', 'b'],
            ['b', 'c'],
            ['c', 'a'],
          ],
        }),
      'INVALID_OPTION',
      'cycle',
      'a, b, c',
    );
    expectCode(() => pathModel({ blocks, paths: [['a', 'z']] }), 'INVALID_OPTION', '"z"');
    expectCode(() => pathModel({ blocks, paths: [['a', 'a']] }), 'INVALID_OPTION', 'itself');
    expectCode(
      () =>
        pathModel({
          blocks,
          paths: [
            ['a', 'b'],
            ['a', 'b'],
            ['b', 'c'],
          ],
        }),
      'INVALID_OPTION',
      'twice',
    );
    expectCode(() => pathModel({ blocks, paths: [['a', 'b']] }), 'INVALID_OPTION', '"c" is on no path');
    expectCode(() => pathModel({ blocks: { a: [], b: ['b1'] }, paths: [['a', 'b']] }), 'INVALID_OPTION', 'block "a"');
    expectCode(
      () => pathModel({ blocks: { a: ['x', 'x'], b: ['b1'] }, paths: [['a', 'b']] }),
      'INVALID_OPTION',
      '"x" twice',
    );
    expectCode(
      () =>
        pathModel({
          blocks,
          paths: [
            ['a', 'b'],
            ['b', 'c'],
          ],
          modes: { a: 'C' as never },
        }),
      'INVALID_OPTION',
      "'A'",
    );
    expectCode(() => pathModel({ blocks: { a: ['a1'] }, paths: [] }), 'INVALID_OPTION', 'at least two');
  });

  it('checks indicator columns against a survey when one is given', () => {
    const error = catchClientele(
      () => pathModel({ blocks: { a: ['a1'], b: ['nope'] }, paths: [['a', 'b']] }, { a1: [1, 2], b1: [1, 2] }),
      'MISSING_COLUMN',
    );
    expect(error.column).toBe('nope');
  });

  it('acsiModel has the nine paths of Fornell et al. (1996), ecsiModel the ten (twelve with complaints) of Tenenhaus et al. (2005)', () => {
    const acsi = acsiModel(ACSI_BLOCKS);
    expect(acsi.paths.map((p) => p.join('>')).sort()).toEqual(
      [
        'expectations>quality',
        'expectations>value',
        'expectations>satisfaction',
        'quality>value',
        'quality>satisfaction',
        'value>satisfaction',
        'satisfaction>complaints',
        'satisfaction>loyalty',
        'complaints>loyalty',
      ].sort(),
    );
    const blocks = {
      image: ['i'],
      expectations: ['e'],
      quality: ['q'],
      value: ['v'],
      satisfaction: ['s'],
      loyalty: ['l'],
    };
    expect(ecsiModel(blocks).paths).toHaveLength(10);
    const withComplaints = ecsiModel({ ...blocks, complaints: ['c'] });
    expect(withComplaints.paths).toHaveLength(12);
    expect(withComplaints.paths.map((p) => p.join('>'))).toContain('complaints>loyalty');
    expectCode(() => acsiModel({ ...ACSI_BLOCKS, loyalty: undefined } as never), 'INVALID_OPTION', '"loyalty"');
    expectCode(() => acsiModel({ ...ACSI_BLOCKS, image: ['i'] } as never), 'INVALID_OPTION', '"image"');
  });
});

describe('plsPathModel against independent computations', () => {
  it('with one indicator per construct, paths, R², t and p equal OLS on the standardised columns (normal equations)', () => {
    const sim = simulateSurvey(400, 11, ['x', 'm', 'y'], CHAIN_PATHS, { x: [0.9], m: [0.9], y: [0.9] });
    const fit = plsPathModel(sim.columns, chainModel({ x: [0.9], m: [0.9], y: [0.9] }));
    const z = (v: number[]) => {
      const mu = mean(v);
      const sd = Math.sqrt(v.reduce((s, a) => s + (a - mu) ** 2, 0) / v.length);
      return v.map((a) => (a - mu) / sd);
    };
    const [x, m, y] = [z(sim.columns.x1), z(sim.columns.m1), z(sim.columns.y1)];
    const onX = ols(m, [x]);
    const onXM = ols(y, [x, m]);
    expect(fit.paths.x.m).toBeCloseTo(onX.coefficients[1], 12);
    expect(fit.paths.x.y).toBeCloseTo(onXM.coefficients[1], 12);
    expect(fit.paths.m.y).toBeCloseTo(onXM.coefficients[2], 12);
    expect(fit.rSquared.y).toBeCloseTo(onXM.rSquared, 12);
    // Standard errors from σ² (X'X)⁻¹ with the intercept column.
    const se = Math.sqrt(onXM.residualVariance * onXM.xtxInverse.get(2, 2));
    expect(fit.inner.y.coefficients.m.stdError).toBeCloseTo(se, 12);
    expect(fit.inner.y.coefficients.m.t).toBeCloseTo(onXM.coefficients[2] / se, 9);
    expect(fit.outer.x1.loading).toBeCloseTo(1, 12);
    expect(fit.outer.x1.weight).toBeCloseTo(1, 12);
  });

  it("Student's t p-values match printed tables (two-sided, 4 decimals)", () => {
    // Critical values from any t table: P(|T| > 2.228) = 0.05 with 10 df, P(|T| > 2.576) = 0.01 as df → ∞.
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(3.169, 10)).toBeCloseTo(0.01, 4);
    expect(studentTwoSidedP(1.96, 1e7)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(12.706, 1)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(0, 5)).toBe(1);
  });

  it('recovers the paths of a simulated model with reliable indicators (50,000 respondents, ±0.02)', () => {
    const loads = { x: [0.97, 0.96, 0.95], m: [0.97, 0.96, 0.95], y: [0.97, 0.96, 0.95] };
    const sim = simulateSurvey(50_000, 5, ['x', 'm', 'y'], CHAIN_PATHS, loads);
    const fit = plsPathModel(sim.columns, chainModel(loads));
    for (const [from, to, b] of CHAIN_PATHS) expect(Math.abs(fit.paths[from][to] - b)).toBeLessThan(0.02);
    // Scores track the true latent variables.
    expect(cor(Array.from(fit.scores.getChild('m')!.toArray() as Float64Array), sim.latent.m)).toBeGreaterThan(0.98);
  });

  it('recovers the sign and order of the sample survey paths (sampleSurvey, 100,000 respondents)', () => {
    const { survey, truth } = sampleSurvey({ respondents: 100_000, seed: 9 });
    const fit = plsPathModel(survey, acsiModel(ACSI_BLOCKS), { scale: [1, 10] });
    for (const path of truth.paths) {
      const estimate = fit.paths[path.from][path.to];
      expect(Math.sign(estimate)).toBe(Math.sign(path.coefficient));
      // PLS scores of rounded, clamped 1–10 answers attenuate paths, never inflate them by more than noise.
      expect(Math.abs(estimate)).toBeLessThan(Math.abs(path.coefficient) + 0.02);
      expect(Math.abs(estimate)).toBeGreaterThan(Math.abs(path.coefficient) * 0.6);
    }
    // Quality is the strongest driver of satisfaction in the generating model, and stays so.
    const into = fit.inner.satisfaction.coefficients;
    expect(into.quality.estimate).toBeGreaterThan(into.value.estimate);
    expect(into.value.estimate).toBeGreaterThan(into.expectations.estimate);
  });

  it('at convergence, mode A weights satisfy the fixed point w ∝ cov(X, Z) with Z from the centroid scheme (tolerance 1e-3)', () => {
    const store = sampleStore({ customers: 3000, seed: 4 });
    const fit = plsPathModel(store.survey, acsiModel(ACSI_BLOCKS), { tolerance: 1e-14 });
    const latent = fit.model.latent;
    const score = (lv: string) => Array.from(fit.scores.getChild(lv)!.toArray() as Float64Array);
    const y = Object.fromEntries(latent.map((lv) => [lv, score(lv)]));
    for (const lv of latent) {
      const neighbours = fit.model.paths.filter(([f, t]) => f === lv || t === lv).map(([f, t]) => (f === lv ? t : f));
      const z = y[lv].map((_, i) =>
        neighbours.reduce((s, other) => s + Math.sign(cor(y[lv], y[other])) * y[other][i], 0),
      );
      const cols = fit.model.blocks[lv];
      const covs = cols.map((c) => {
        const x = answers(store.survey, c);
        return cor(x, z);
      });
      // Standardised indicators: cov(x_std, z) ∝ cor(x, z); compare the weight ratios.
      const ratio = cols.map((c, u) => fit.outer[c].weight / covs[u]);
      for (const r of ratio) expect(Math.abs(r / ratio[0] - 1)).toBeLessThan(1e-3);
    }
  });

  it('reliability: Cronbach alpha by the variance definition, eigenvalues and DG rho by power iteration', () => {
    const store = sampleStore({ customers: 2000, seed: 12 });
    const fit = plsPathModel(store.survey, acsiModel(ACSI_BLOCKS));
    for (const lv of ['expectations', 'quality', 'satisfaction']) {
      const items = fit.model.blocks[lv].map((c) => answers(store.survey, c));
      expect(fit.reliability[lv].cronbachAlpha).toBeCloseTo(standardisedAlpha(items), 10);
      const r = items.map((a) => items.map((b) => cor(a, b)));
      const { value, vector } = powerIteration(r);
      expect(fit.reliability[lv].eigenvalues[0]).toBeCloseTo(value, 9);
      const trace = items.length;
      // With three items the second eigenvalue is not determined by λ₁ alone; check λ₁ + λ₂ ≤ trace instead.
      expect(fit.reliability[lv].eigenvalues[0] + fit.reliability[lv].eigenvalues[1]).toBeLessThanOrEqual(
        trace + 1e-12,
      );
      const loadings = vector.map((v) => v * Math.sqrt(value));
      const sum = loadings.reduce((s, l) => s + l, 0);
      const rho = (sum * sum) / (sum * sum + loadings.reduce((s, l) => s + 1 - l * l, 0));
      expect(fit.reliability[lv].dillonGoldsteinRho).toBeCloseTo(Math.abs(rho), 9);
      const loads = fit.model.blocks[lv].map((c) => fit.outer[c].loading);
      expect(fit.reliability[lv].ave).toBeCloseTo(mean(loads.map((l) => l * l)), 12);
    }
    // Two items: λ₁ = 1 + |r|, λ₂ = 1 − |r| exactly.
    const items = ['val1', 'val2'].map((c) => answers(store.survey, c));
    const r = cor(items[0], items[1]);
    expect(fit.reliability.value.eigenvalues[0]).toBeCloseTo(1 + r, 10);
    expect(fit.reliability.value.eigenvalues[1]).toBeCloseTo(1 - r, 10);
    expect(fit.reliability.complaints).toMatchObject({
      indicators: 1,
      cronbachAlpha: 1,
      dillonGoldsteinRho: 1,
      eigenvalues: [1, 0],
    });
  });

  it('loadings are the correlations of indicators with scores; communality, redundancy and GoF follow their definitions', () => {
    const store = sampleStore({ customers: 2000, seed: 3 });
    const fit = plsPathModel(store.survey, acsiModel(ACSI_BLOCKS));
    let comm = 0;
    let count = 0;
    for (const lv of fit.model.latent) {
      const y = Array.from(fit.scores.getChild(lv)!.toArray() as Float64Array);
      for (const c of fit.model.blocks[lv]) {
        const x = answers(store.survey, c);
        expect(fit.outer[c].loading).toBeCloseTo(cor(x, y), 12);
        expect(fit.crossLoadings[c][lv]).toBe(fit.outer[c].loading);
        expect(fit.outer[c].communality).toBeCloseTo(cor(x, y) ** 2, 12);
        expect(fit.outer[c].redundancy).toBeCloseTo(cor(x, y) ** 2 * (fit.rSquared[lv] ?? 0), 12);
        if (fit.model.blocks[lv].length > 1) {
          comm += cor(x, y) ** 2;
          count++;
        }
      }
    }
    const r2 = Object.values(fit.rSquared);
    expect(fit.gof).toBeCloseTo(Math.sqrt((comm / count) * mean(r2)), 12);
    // Scores: mean 0, variance 1 (divisor n).
    const y = Array.from(fit.scores.getChild('value')!.toArray() as Float64Array);
    expect(mean(y)).toBeCloseTo(0, 12);
    expect(mean(y.map((v) => v * v))).toBeCloseTo(1, 12);
  });

  it('total effects equal the sum over every directed route of the product of its path coefficients', () => {
    const store = sampleStore({ customers: 1500, seed: 8 });
    const fit = plsPathModel(store.survey, acsiModel(ACSI_BLOCKS));
    const routes = (from: string, to: string): string[][] =>
      from === to
        ? [[to]]
        : fit.model.paths.filter(([f]) => f === from).flatMap(([, next]) => routes(next, to).map((r) => [from, ...r]));
    for (const from of fit.model.latent) {
      for (const to of fit.model.latent) {
        if (from === to) continue;
        const all = routes(from, to);
        const effect = fit.effects.find((e) => e.from === from && e.to === to);
        if (all.length === 0) {
          expect(effect).toBeUndefined();
          continue;
        }
        const total = all.reduce((s, r) => s + r.slice(1).reduce((prod, lv, k) => prod * fit.paths[r[k]][lv], 1), 0);
        expect(effect!.total).toBeCloseTo(total, 12);
        expect(effect!.direct).toBe(fit.paths[from]?.[to] ?? 0);
        expect(effect!.indirect).toBeCloseTo(total - effect!.direct, 12);
      }
    }
  });
});

describe('the 0–100 index (ACSI convention)', () => {
  it('is the weighted mean of the answers with weights from an unscaled fit, rescaled from the answer scale', () => {
    const store = sampleStore({ customers: 2500, seed: 21 });
    const model = acsiModel(ACSI_BLOCKS);
    const fit = plsPathModel(store.survey, model, { scale: [1, 10] });
    const unscaled = plsPathModel(store.survey, model, { scale: [1, 10], scaled: false });
    for (const lv of model.latent) {
      const cols = model.blocks[lv];
      const w = cols.map((c) => unscaled.outer[c].weight);
      const total = w.reduce((s, v) => s + v, 0);
      cols.forEach((c, u) => expect(fit.outer[c].indexWeight).toBeCloseTo(w[u] / total, 12));
      const given = cols.map((c) => answers(store.survey, c));
      const perRespondent = given[0].map((_, i) => cols.reduce((s, _c, u) => s + (w[u] / total) * given[u][i], 0));
      expect(fit.index[lv]).toBeCloseTo((100 * (mean(perRespondent) - 1)) / 9, 10);
      expect(unscaled.index[lv]).toBeCloseTo(fit.index[lv], 12);
    }
  });

  it('property: indices lie in [0, 100], index weights sum to 1 per block, and reordering respondents changes nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 60, max: 400 }), (seed, customers) => {
        const store = sampleStore({ customers, seed, days: 120 });
        const model = acsiModel(ACSI_BLOCKS);
        const fit = plsPathModel(store.survey, model, { scale: [1, 10], allowNonConvergence: true });
        for (const lv of model.latent) {
          expect(fit.index[lv]).toBeGreaterThanOrEqual(0);
          expect(fit.index[lv]).toBeLessThanOrEqual(100);
          const sum = model.blocks[lv].reduce((s, c) => s + fit.outer[c].indexWeight, 0);
          expect(sum).toBeCloseTo(1, 12);
        }
        const n = store.survey.numRows;
        const order = Array.from({ length: n }, (_, i) => (i * 7919 + seed) % n);
        if (new Set(order).size !== n) return; // not a permutation for this n
        const shuffled = Object.fromEntries(
          model.latent
            .flatMap((lv) => model.blocks[lv])
            .map((c) => {
              const v = answers(store.survey, c);
              return [c, order.map((i) => v[i])];
            }),
        );
        const again = plsPathModel(shuffled, model, { scale: [1, 10], allowNonConvergence: true });
        for (const [f, t] of model.paths) expect(again.paths[f][t]).toBeCloseTo(fit.paths[f][t], 9);
        for (const lv of model.latent) expect(again.index[lv]).toBeCloseTo(fit.index[lv], 9);
      }),
      { numRuns: 15 },
    );
  });

  it('property: a positive affine change of one question (x → a·x + b) leaves the standardised fit unchanged', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (a, b) => {
          const store = sampleStore({ customers: 600, seed: 5 });
          const model = acsiModel(ACSI_BLOCKS);
          const fit = plsPathModel(store.survey, model);
          const columns = Object.fromEntries(
            model.latent.flatMap((lv) => model.blocks[lv]).map((c) => [c, answers(store.survey, c)]),
          );
          columns.qual2 = columns.qual2.map((v) => a * v + b);
          const moved = plsPathModel(columns, model);
          for (const [f, t] of model.paths) expect(moved.paths[f][t]).toBeCloseTo(fit.paths[f][t], 8);
          expect(moved.outer.qual2.loading).toBeCloseTo(fit.outer.qual2.loading, 8);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('missing answers, bootstrap and errors', () => {
  it('drops respondents with a missing answer (listwise), counts them, and keeps their row numbers out of the scores', () => {
    const store = sampleStore({ customers: 500, seed: 2 });
    const model = acsiModel(ACSI_BLOCKS);
    const columns: Record<string, (number | null)[]> = Object.fromEntries(
      model.latent.flatMap((lv) => model.blocks[lv]).map((c) => [c, answers(store.survey, c)]),
    );
    columns.sat2[3] = null;
    columns.loy1[3] = NaN;
    columns.exp1[10] = null;
    const input = Object.freeze({
      ...columns,
      customer: Array.from({ length: columns.sat2.length }, (_, i) => `R${i}`),
    });
    const fit = plsPathModel(input, model, { key: 'customer' });
    expect(fit.rows).toMatchObject({
      rows: 200,
      kept: 198,
      total: 2,
      dropped: { missingAnswer: 2 },
      firstRow: { missingAnswer: 3 },
    });
    expect(fit.respondents).toBe(198);
    const rows = Array.from(fit.scores.getChild('row')!.toArray() as Int32Array);
    expect(rows).not.toContain(3);
    expect(rows).not.toContain(10);
    expect(fit.scores.getChild('customer')!.get(3)).toBe('R4');
    expect(fit.scores.schema.metadata.get('clientele.dropped')).toBe('{"missingAnswer":2}');
    expect(columns.sat2[3]).toBeNull(); // input untouched
    // Same fit as deleting the rows by hand.
    const by = Object.fromEntries(
      Object.entries(columns).map(([c, v]) => [c, v.filter((_, i) => i !== 3 && i !== 10)]),
    );
    const manual = plsPathModel(by, model);
    expect(manual.paths.quality.satisfaction).toBeCloseTo(fit.paths.quality.satisfaction, 12);
  });

  it('bootstrap: deterministic for a seed, intervals contain the estimate, standard errors near the OLS ones', () => {
    const store = sampleStore({ customers: 625, seed: 17 }); // 250 respondents
    const model = acsiModel(ACSI_BLOCKS);
    const a = plsPathModel(store.survey, model, { bootstrap: 300, seed: 5 });
    const b = plsPathModel(store.survey, model, { bootstrap: 300, seed: 5 });
    expect(a.bootstrap).toEqual(b.bootstrap);
    const boot = a.bootstrap!;
    expect(boot.resamples).toBe(300);
    for (const [f, t] of model.paths) {
      const e = boot.paths[f][t];
      expect(e.original).toBe(a.paths[f][t]);
      expect(e.lower).toBeLessThanOrEqual(e.upper);
      const ols = a.inner[t].coefficients[f].stdError;
      expect(e.stdError / ols).toBeGreaterThan(0.5);
      expect(e.stdError / ols).toBeLessThan(2);
    }
    expect(Object.keys(boot.weights)).toHaveLength(14);
    expect(boot.rSquared.satisfaction.lower).toBeLessThan(a.rSquared.satisfaction);
    expect(boot.totalEffects.expectations.loyalty.original).toBeCloseTo(
      a.effects.find((e) => e.from === 'expectations' && e.to === 'loyalty')!.total,
      12,
    );
  });

  it('errors name the column, the row and the fix', () => {
    const model = acsiModel(ACSI_BLOCKS);
    const store = sampleStore({ customers: 300, seed: 1 });
    const columns = Object.fromEntries(
      model.latent.flatMap((lv) => model.blocks[lv]).map((c) => [c, answers(store.survey, c)]),
    );
    const { val2: _dropped, ...withoutVal2 } = columns;
    expect(catchClientele(() => plsPathModel(withoutVal2, model), 'MISSING_COLUMN').column).toBe('val2');
    expect(
      catchClientele(() => plsPathModel({ ...columns, val2: columns.val2.map(String) }, model), 'INVALID_TYPE').column,
    ).toBe('val2');
    const out = { ...columns, sat1: columns.sat1.map((v, i) => (i === 7 ? 11 : v)) };
    const e = catchClientele(() => plsPathModel(out, model, { scale: [1, 10] }), 'INVALID_VALUE');
    expect([e.column, e.row]).toEqual(['sat1', 7]);
    expectCode(
      () => plsPathModel({ ...columns, comp1: columns.comp1.map(() => 4) }, model),
      'INVALID_VALUE',
      '"comp1"',
      'same answer',
    );
    expectCode(
      () => plsPathModel({ ...columns, loy1: columns.loy1.map(() => null) }, model),
      'EMPTY_INPUT',
      'no respondent',
    );
    expectCode(() => plsPathModel(columns, model, { scheme: 'mode' as never }), 'INVALID_OPTION', 'scheme');
    expectCode(() => plsPathModel(columns, model, { scale: [10, 1] }), 'INVALID_OPTION', 'scale');
    expectCode(() => plsPathModel(columns, model, { bootstrap: 1 }), 'INVALID_OPTION', 'bootstrap');
    expectCode(
      () => plsPathModel(columns, model, { maxIterations: 1, tolerance: 1e-300 }),
      'NOT_CONVERGED',
      'maxIterations',
    );
    const loose = plsPathModel(columns, model, { maxIterations: 1, tolerance: 1e-300, allowNonConvergence: true });
    expect(loose.converged).toBe(false);
  });
});

describe('importance–performance map', () => {
  it('importance is the total effect, performance the index, quadrants split at the means; the chart inlines the same values', () => {
    const store = sampleStore({ customers: 2000, seed: 6 });
    const fit = plsPathModel(store.survey, acsiModel(ACSI_BLOCKS), { scale: [1, 10] });
    const map = importancePerformance(fit, 'loyalty');
    const drivers = Array.from(map.getChild('driver')!, String);
    expect([...drivers]).toEqual(['expectations', 'quality', 'value', 'satisfaction', 'complaints']);
    const importance = Array.from(map.getChild('importance')!.toArray() as Float64Array);
    const performance = Array.from(map.getChild('performance')!.toArray() as Float64Array);
    drivers.forEach((d, i) => {
      expect(importance[i]).toBe(fit.effects.find((e) => e.from === d && e.to === 'loyalty')!.total);
      expect(performance[i]).toBe(fit.index[d]);
      const hi = importance[i] >= mean(importance);
      const good = performance[i] >= mean(performance);
      const expected = hi
        ? good
          ? 'keep up the good work'
          : 'concentrate here'
        : good
          ? 'possible overkill'
          : 'low priority';
      expect(map.getChild('quadrant')!.get(i)).toBe(expected);
    });
    const spec = importancePerformanceChart(map) as unknown as {
      data: { values: { driver: string; importance: number }[] };
      layer: unknown[];
    };
    expect(spec.data.values.map((v) => v.driver)).toEqual([...drivers]);
    expect(spec.data.values[1].importance).toBe(importance[1]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    expectCode(() => importancePerformance(fit, 'expectations'), 'INVALID_OPTION', 'no drivers');
    expectCode(() => importancePerformance(fit, 'nope'), 'INVALID_OPTION', '"nope"');
  });
});
