import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import type { PathModel } from '../../src/satisfaction/path-model';
import { plsBlindfolding } from '../../src/satisfaction/pls-blindfolding';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { expectCode } from '../helpers/errors';
import { mean, simulateSurvey } from '../helpers/pls-reference';

/** x → m → y with x → y; y measured by three indicators, the others by two or three. */
const INDICATORS = { x: [0.8, 0.7, 0.75], m: [0.8, 0.7], y: [0.85, 0.8, 0.7] };
const PATHS = [
  ['x', 'm', 0.5],
  ['x', 'y', 0.3],
  ['m', 'y', 0.4],
] as const;
const MODEL = pathModel({
  blocks: { x: ['x1', 'x2', 'x3'], m: ['m1', 'm2'], y: ['y1', 'y2', 'y3'] },
  paths: PATHS.map(([f, t]) => [f, t] as const),
});
const survey = (n: number, seed: number) => simulateSurvey(n, seed, ['x', 'm', 'y'], PATHS, INDICATORS).columns;

/**
 * Blindfolding written from its definition on plain arrays: for each endogenous construct and round, omit the
 * points numbered d mod D (down each indicator column, indicator after indicator), mean-replace them, refit with
 * the public plsPathModel, predict each omitted point from the fit's score table, outer estimates and paths, and
 * sum the standardised errors. Shares nothing with plsBlindfolding but plsPathModel.
 */
function bruteForce(columns: Record<string, number[]>, model: PathModel, D: number) {
  const n = columns[model.blocks[model.latent[0]][0]].length;
  const sdOf = (x: number[]) => Math.sqrt(x.reduce((a, v) => a + (v - mean(x)) ** 2, 0) / x.length);
  const out: Record<string, { q2: number; q2Communality: number; sse: number; sso: number }> = {};
  for (const lv of model.latent) {
    const antecedents = model.paths.filter(([, to]) => to === lv).map(([from]) => from);
    if (antecedents.length === 0) continue;
    const items = model.blocks[lv];
    let sse = 0;
    let sseC = 0;
    let sso = 0;
    for (let d = 0; d < D; d++) {
      const completed: Record<string, number[]> = { ...columns };
      const omitted = items.map((item, a) => columns[item].map((_, i) => (a * n + i) % D === d));
      items.forEach((item, a) => {
        const keep = columns[item].filter((_, i) => !omitted[a][i]);
        completed[item] = columns[item].map((v, i) => (omitted[a][i] ? mean(keep) : v));
      });
      const fit = plsPathModel(completed, model, { tolerance: 1e-12, maxIterations: 500 });
      const score = (name: string) => Array.from(fit.scores.getChild(name)!.toArray() as Float64Array);
      const predicted = new Array(n).fill(0);
      for (const a of antecedents) score(a).forEach((v, i) => (predicted[i] += fit.paths[a][lv] * v));
      const own = score(lv);
      items.forEach((item, a) => {
        const x = columns[item];
        const c = completed[item];
        const [m, s] = [mean(c), sdOf(c)];
        const [mFull, sFull] = [mean(x), sdOf(x)];
        const loading = fit.outer[item].loading;
        for (let i = 0; i < n; i++) {
          if (!omitted[a][i]) continue;
          sse += ((x[i] - (m + s * loading * predicted[i])) / sFull) ** 2;
          sseC += ((x[i] - (m + s * loading * own[i])) / sFull) ** 2;
          sso += ((x[i] - mFull) / sFull) ** 2;
        }
      });
    }
    out[lv] = { q2: 1 - sse / sso, q2Communality: 1 - sseC / sso, sse, sso };
  }
  return out;
}

describe('plsBlindfolding', () => {
  it('equals an independent brute-force blindfolding (omit, mean-replace, refit with plsPathModel, predict) to 1e-9', () => {
    const columns = survey(37, 3);
    const result = plsBlindfolding(columns, MODEL, { omissionDistance: 5, tolerance: 1e-12, maxIterations: 500 });
    const reference = bruteForce(columns, MODEL, 5);
    expect(Object.keys(result.constructs)).toEqual(['m', 'y']);
    for (const lv of ['m', 'y']) {
      const got = result.constructs[lv];
      const want = reference[lv];
      expect(Math.abs(got.q2 - want.q2)).toBeLessThan(1e-9);
      expect(Math.abs(got.q2Communality - want.q2Communality)).toBeLessThan(1e-9);
      expect(Math.abs(got.sse - want.sse) / want.sse).toBeLessThan(1e-9);
      expect(Math.abs(got.sso - want.sso) / want.sso).toBeLessThan(1e-9);
    }
    // A model with real paths has predictive relevance for both constructs.
    expect(result.constructs.y.q2).toBeGreaterThan(0);
    expect(result.warnings).toEqual([]);
    expect(result.respondents).toBe(37);
  });

  it('Q² ≤ 1 and the communality Q² ≤ 1 on random surveys and omission distances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 5 }), (seed, D) => {
        const result = plsBlindfolding(survey(30, seed), MODEL, { omissionDistance: D });
        for (const c of Object.values(result.constructs)) {
          expect(c.q2).toBeLessThanOrEqual(1);
          expect(c.q2Communality).toBeLessThanOrEqual(1);
          expect(c.sse).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 3 },
    );
  });

  it('warns when the respondents are a multiple of D, and when a construct has no predictive relevance', () => {
    const columns = survey(42, 5);
    expect(plsBlindfolding(columns, MODEL).warnings[0]).toContain('multiple of the omission distance 7');
    // y regressed on an unrelated construct z: no predictive relevance.
    const noise = survey(43, 9);
    const unrelated = { ...survey(43, 5), z1: noise.x1, z2: noise.x2 };
    const model = pathModel({ blocks: { z: ['z1', 'z2'], y: ['y1', 'y2', 'y3'] }, paths: [['z', 'y']] });
    const result = plsBlindfolding(unrelated, model, { omissionDistance: 5 });
    expect(result.constructs.y.q2).toBeLessThan(0.05);
    if (result.constructs.y.q2 <= 0) expect(result.warnings.join(' ')).toContain('no predictive relevance');
  });

  it('drops and counts respondents with a missing answer and leaves the input unchanged', () => {
    const columns = survey(50, 11);
    columns.y2[4] = NaN;
    const frozen = Object.freeze(
      Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Object.freeze([...v])])),
    );
    const result = plsBlindfolding(frozen, MODEL);
    expect(result.respondents).toBe(49);
    expect(result.rows.dropped.missingAnswer).toBe(1);
    expect(result.rows.firstRow.missingAnswer).toBe(4);
    expect(Number.isNaN(frozen.y2[4])).toBe(true);
  });

  it('refuses a bad omission distance and unknown options', () => {
    const columns = survey(30, 1);
    expectCode(() => plsBlindfolding(columns, MODEL, { omissionDistance: 1 }), 'INVALID_OPTION', 'omissionDistance');
    expectCode(() => plsBlindfolding(columns, MODEL, { omissionDistance: 30 }), 'INVALID_OPTION', 'below the 30');
    expectCode(() => plsBlindfolding(columns, MODEL, { omission: 7 } as never), 'INVALID_OPTION', 'omissionDistance');
  });
});
