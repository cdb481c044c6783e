/**
 * Consistent PLS (`consistent: true` of plsPathModel; src/satisfaction/plsc.ts). The closed forms of Dijkstra &
 * Henseler (2015, MIS Quarterly 39(2)) — ρ_A (eq. 7), the disattenuated correlations (eq. 10), the consistent
 * loadings (eq. 9) and the paths by least squares on them — are recomputed here from the fit's weights, scores and
 * the raw answers with independent code; the recovery of known paths is checked on sampleSurvey, whose generating
 * model is a common-factor model with the paths in `truth.paths`. seminr's figures on mobi are in
 * test/conformance/seminr-validity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sampleSurvey } from '../../src/sample/index';
import { acsiModel, pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { plsFitOfMoments } from '../../src/satisfaction/internal';
import { covarianceOf, plsStructure } from '../../src/satisfaction/pls-estimate';
import { consistentReport } from '../../src/satisfaction/plsc';
import { isClienteleError } from '../../src/table/errors';

const { survey, truth } = sampleSurvey({ respondents: 5000, seed: 11 });
const model = acsiModel(truth.blocks);
const composite = plsPathModel(survey, model, { scheme: 'path' });
const consistent = plsPathModel(survey, model, { scheme: 'path', consistent: true });

const cache = new Map<unknown, Map<string, number[]>>();
function memo(owner: unknown, key: string, read: () => ArrayLike<number>): number[] {
  if (!cache.has(owner)) cache.set(owner, new Map());
  const map = cache.get(owner)!;
  if (!map.has(key)) map.set(key, Array.from(read()));
  return map.get(key)!;
}
function column(name: string): number[] {
  return memo(survey, name, () => survey.getChild(name as never)!.toArray() as ArrayLike<number>);
}
function scores(fit: typeof composite, lv: string): number[] {
  return memo(fit, lv, () => fit.scores.getChild(lv)!.toArray() as ArrayLike<number>);
}
function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
/** Solves a x = b by Gaussian elimination with partial pivoting (a small dense system). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

describe('plsPathModel consistent: Dijkstra & Henseler (2015) closed forms, recomputed independently', () => {
  it('ρ_A of every block is (ŵ′ŵ)² ŵ′(S − diag S)ŵ / ŵ′(ŵŵ′ − diag ŵŵ′)ŵ from the weights and raw answers (1e-10)', () => {
    for (const lv of model.latent) {
      const items = model.blocks[lv];
      const w = items.map((c) => composite.outer[c].weight);
      const x = items.map(column);
      let ww = 0;
      let w4 = 0;
      let off = 0;
      for (let a = 0; a < items.length; a++) {
        ww += w[a] * w[a];
        w4 += w[a] ** 4;
        for (let b = 0; b < items.length; b++) if (a !== b) off += w[a] * w[b] * pearson(x[a], x[b]);
      }
      const expected = items.length === 1 ? 1 : (ww * ww * off) / (ww * ww - w4);
      expect(composite.reliability[lv].rhoA).toBeCloseTo(expected, 10);
      expect(consistent.reliability[lv].rhoA).toBeCloseTo(expected, 10);
    }
  });

  it('disattenuated correlations are cor(scores)/√(ρ_A,i ρ_A,j), and the paths are least squares on them (1e-10)', () => {
    const latent = model.latent;
    const rho = (lv: string) => consistent.reliability[lv].rhoA;
    const r = (a: string, b: string) =>
      a === b ? 1 : pearson(scores(consistent, a), scores(consistent, b)) / Math.sqrt(rho(a) * rho(b));
    for (const a of latent)
      for (const b of latent) expect(consistent.consistent!.correlations[a][b]).toBeCloseTo(r(a, b), 10);
    for (const to of latent) {
      const from = model.paths.filter(([, t]) => t === to).map(([f]) => f);
      if (from.length === 0) continue;
      const beta = solve(
        from.map((u) => from.map((v) => r(u, v))),
        from.map((u) => r(u, to)),
      );
      from.forEach((f, a) => expect(consistent.paths[f][to]).toBeCloseTo(beta[a], 10));
      const r2 = beta.reduce((sum, b, a) => sum + b * r(from[a], to), 0);
      expect(consistent.rSquared[to]).toBeCloseTo(r2, 10);
      const effect = consistent.effects.find((e) => e.from === from[0] && e.to === to)!;
      expect(effect.direct).toBeCloseTo(beta[0], 10);
    }
  });

  it('consistent loadings are √ρ_A · ŵ/(ŵ′ŵ); scores and weights stay the composite ones', () => {
    for (const lv of model.latent) {
      const items = model.blocks[lv];
      const ww = items.reduce((s, c) => s + composite.outer[c].weight ** 2, 0);
      for (const c of items) {
        const expected =
          items.length === 1
            ? composite.outer[c].loading
            : (Math.sqrt(composite.reliability[lv].rhoA) * composite.outer[c].weight) / ww;
        expect(consistent.outer[c].loading).toBeCloseTo(expected, 10);
        expect(consistent.outer[c].weight).toBe(composite.outer[c].weight);
      }
    }
    expect(scores(consistent, 'satisfaction')).toEqual(scores(composite, 'satisfaction'));
    expect(consistent.consistent!.corrected).toEqual(model.latent.filter((lv) => model.blocks[lv].length > 1));
    expect(composite.consistent).toBeUndefined();
  });

  it('recovers the generating paths of sampleSurvey (5,000 respondents) within 0.07, closer on average than the attenuated composite paths', () => {
    // comp1 is complaints' only indicator: a single indicator has no ρ_A to correct with, so its paths stay attenuated
    const paths = truth.paths.filter((p) => p.from !== 'complaints' && p.to !== 'complaints');
    let consistentError = 0;
    let compositeError = 0;
    for (const { from, to, coefficient } of paths) {
      expect(Math.abs(consistent.paths[from][to] - coefficient)).toBeLessThan(0.07);
      consistentError += Math.abs(consistent.paths[from][to] - coefficient) / paths.length;
      compositeError += Math.abs(composite.paths[from][to] - coefficient) / paths.length;
    }
    expect(consistentError).toBeLessThan(0.75 * compositeError);
    expect(consistent.consistent!.warnings).toEqual([]);
  });
});

describe('plsPathModel consistent: modes, options and warnings', () => {
  const small = sampleSurvey({ respondents: 300, seed: 5 });

  it('leaves mode B blocks uncorrected (ρ_A = 1, composite loadings) and bootstraps the consistent estimates', () => {
    const spec = acsiModel(small.truth.blocks);
    const modeB = pathModel({ blocks: spec.blocks, paths: spec.paths, modes: { quality: 'B' } });
    const base = plsPathModel(small.survey, modeB, { scheme: 'path' });
    const fit = plsPathModel(small.survey, modeB, { scheme: 'path', consistent: true, bootstrap: 4, seed: 2 });
    expect(fit.reliability.quality.rhoA).toBe(1);
    expect(fit.consistent!.corrected).not.toContain('quality');
    for (const c of modeB.blocks.quality) expect(fit.outer[c].loading).toBeCloseTo(base.outer[c].loading, 12);
    expect(fit.bootstrap!.paths.quality.satisfaction.original).toBe(fit.paths.quality.satisfaction);
    expect(fit.bootstrap!.resamples).toBe(4);
  });

  it('gives the same consistent fit from moments (the SQL engines’ path, plsFitOfMoments) as from the rows', () => {
    const spec = acsiModel(small.truth.blocks);
    const s = plsStructure(spec);
    const raw = s.columns.map((c) => Float64Array.from(small.survey.getChild(c as never)!.toArray() as Int32Array));
    const { means, cov } = covarianceOf(raw);
    const n = small.survey.numRows;
    const rows = { rows: n, kept: n, dropped: {}, firstRow: {}, total: 0 };
    const min = Float64Array.from(raw, (x) => Math.min(...x));
    const max = Float64Array.from(raw, (x) => Math.max(...x));
    const options = { consistent: true, scale: [1, 10] as const };
    const fromMoments = plsFitOfMoments(spec, { n, means, cov, rows, min, max }, options, undefined, 'test');
    const fromRows = plsPathModel(small.survey, spec, options);
    expect(fromMoments.paths).toEqual(fromRows.paths);
    expect(fromMoments.consistent).toEqual(fromRows.consistent);
  });

  it('refuses a consistent option that is not a boolean (INVALID_OPTION)', () => {
    try {
      plsPathModel(small.survey, acsiModel(small.truth.blocks), { consistent: 'yes' as never });
      expect.unreachable();
    } catch (e) {
      expect(isClienteleError(e) && e.code).toBe('INVALID_OPTION');
      expect((e as Error).message).toMatch(/option consistent must be true or false/);
    }
  });

  it('warns (does not throw) for a ρ_A outside (0, 1] and a disattenuated matrix that is not positive definite', () => {
    const report = consistentReport(
      ['a', 'b'],
      {
        rhoA: Float64Array.of(1.2, 0.8),
        corrected: Uint8Array.of(1, 1),
        correlation: Float64Array.of(1, 1.1, 1.1, 1),
        loadings: new Float64Array(4),
        positiveDefinite: false,
      },
      'plsPathModel',
    );
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/block "a" has rho_A = 1.2, outside \(0, 1\]/);
    expect(report.warnings[1]).toMatch(/not positive definite/);
    expect(report.corrected).toEqual(['a', 'b']);
  });
});
