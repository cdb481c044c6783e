/**
 * plsValidity (src/satisfaction/pls-validity.ts, pls-htmt.ts): every figure recomputed here by independent,
 * brute-force code from the raw answers and the fit's scores — HTMT and HTMT2 by their definitions (Henseler,
 * Ringle & Sarstedt 2015, eq. 6; Roemer, Schuberth & Henseler 2021, eq. 4), VIF as 1/(1 − R²) of an explicit
 * least-squares regression, f² by Cohen's formula on regressions of the scores. seminr's figures on mobi, and its
 * bootstrap HTMT intervals, are in test/conformance/seminr-validity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sampleSurvey } from '../../src/sample/index';
import { acsiModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { plsValidity } from '../../src/satisfaction/pls-validity';
import { isClienteleError } from '../../src/table/errors';

const { survey, truth } = sampleSurvey({ respondents: 400, seed: 21 });
const model = acsiModel(truth.blocks);
const fit = plsPathModel(survey, model, { scheme: 'path' });
const validity = plsValidity(survey, fit);

const cache = new Map<string, number[]>();
const memo = (key: string, read: () => ArrayLike<number>): number[] => {
  if (!cache.has(key)) cache.set(key, Array.from(read()));
  return cache.get(key)!;
};
const column = (name: string) =>
  memo(`x:${name}`, () => survey.getChild(name as never)!.toArray() as ArrayLike<number>);
const scores = (lv: string) => memo(`y:${lv}`, () => fit.scores.getChild(lv)!.toArray() as ArrayLike<number>);

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

/** R² of y on the columns xs (with an intercept), by the normal equations solved with Gaussian elimination. */
function rSquared(y: readonly number[], xs: readonly (readonly number[])[]): number {
  if (xs.length === 0) return 0;
  const n = y.length;
  const design = Array.from({ length: n }, (_, i) => [1, ...xs.map((x) => x[i])]);
  const q = xs.length + 1;
  const a = Array.from({ length: q }, (_, u) =>
    Array.from({ length: q + 1 }, (_, v) =>
      v < q ? design.reduce((s, row) => s + row[u] * row[v], 0) : design.reduce((s, row, i) => s + row[u] * y[i], 0),
    ),
  );
  for (let c = 0; c < q; c++) {
    for (let r = 0; r < q; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= q; k++) a[r][k] -= f * a[c][k];
    }
  }
  const beta = a.map((row, i) => row[q] / row[i]);
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const fitted = design[i].reduce((s, v, k) => s + v * beta[k], 0);
    sse += (y[i] - fitted) ** 2;
    sst += (y[i] - my) ** 2;
  }
  return 1 - sse / sst;
}

describe('plsValidity against brute-force recomputation', () => {
  it('HTMT and HTMT2 of every pair equal their definitions on the raw answers (1e-12)', () => {
    const latent = model.latent;
    expect(validity.htmt).toHaveLength((latent.length * (latent.length - 1)) / 2);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const geo = (v: number[]) => Math.exp(mean(v.map((r) => Math.log(Math.abs(r)))));
    const within = (lv: string) => {
      const items = model.blocks[lv];
      const r: number[] = [];
      for (let a = 0; a < items.length; a++)
        for (let b = a + 1; b < items.length; b++) r.push(pearson(column(items[a]), column(items[b])));
      return r.length === 0 ? [1] : r;
    };
    for (const pair of validity.htmt) {
      const between: number[] = [];
      for (const a of model.blocks[pair.from])
        for (const b of model.blocks[pair.to]) between.push(pearson(column(a), column(b)));
      const htmt =
        mean(between.map(Math.abs)) /
        Math.sqrt(mean(within(pair.from).map(Math.abs)) * mean(within(pair.to).map(Math.abs)));
      expect(pair.htmt).toBeCloseTo(htmt, 12);
      // on absolute correlations: complaints runs against the other constructs
      const htmt2 = geo(between) / Math.sqrt(geo(within(pair.from)) * geo(within(pair.to)));
      expect(pair.htmt2).toBeCloseTo(htmt2, 12);
    }
    expect(validity.htmt[0]).toMatchObject({ from: latent[0], to: latent[1] });
    expect(validity.htmt.some((p) => p.to === 'complaints' && Number.isFinite(p.htmt2))).toBe(true);
    expect(validity.warnings).toEqual([]);
  });

  it('item VIF is 1/(1 − R²) of each indicator regressed on the rest of its block; 1 for a single indicator (1e-9)', () => {
    for (const lv of model.latent) {
      const items = model.blocks[lv];
      for (const item of items) {
        const others = items.filter((c) => c !== item).map(column);
        expect(validity.vifItems[lv][item]).toBeCloseTo(1 / (1 - rSquared(column(item), others)), 9);
      }
    }
    expect(validity.vifItems.complaints.comp1).toBe(1);
  });

  it('antecedent VIF, Fornell–Larcker and inner f² equal regressions on the fit’s scores (1e-9)', () => {
    for (const to of model.latent) {
      const from = model.paths.filter(([, t]) => t === to).map(([f]) => f);
      if (from.length === 0) continue;
      const full = rSquared(scores(to), from.map(scores));
      expect(fit.rSquared[to]).toBeCloseTo(full, 9);
      for (const f of from) {
        const rest = from.filter((g) => g !== f).map(scores);
        expect(validity.vifAntecedents[to][f]).toBeCloseTo(
          from.length === 1 ? 1 : 1 / (1 - rSquared(scores(f), rest)),
          9,
        );
        expect(validity.fSquare[f][to]).toBeCloseTo((full - rSquared(scores(to), rest)) / (1 - full), 9);
      }
    }
    for (const a of model.latent) {
      const items = model.blocks[a];
      const ave = items.reduce((s, c) => s + fit.outer[c].loading ** 2, 0) / items.length;
      expect(validity.fornellLarcker[a][a]).toBeCloseTo(Math.sqrt(ave), 12);
      for (const b of model.latent)
        if (a !== b) expect(validity.fornellLarcker[a][b]).toBeCloseTo(pearson(scores(a), scores(b)), 12);
    }
    expect(validity.fSquareMethod).toBe('inner');
    expect(validity.respondents).toBe(400);
  });

  it("fSquare: 'refit' takes R²_excl from a refit of the model without the path", () => {
    const refit = plsValidity(survey, fit, { fSquare: 'refit' });
    const paths = model.paths.filter(([f, t]) => !(f === 'quality' && t === 'satisfaction'));
    const reduced = plsPathModel(survey, { ...model, paths }, { scheme: 'path' });
    const r2 = fit.rSquared.satisfaction;
    expect(refit.fSquare.quality.satisfaction).toBeCloseTo((r2 - reduced.rSquared.satisfaction) / (1 - r2), 12);
    // a sole antecedent: R²_excl = 0 with no refit
    expect(refit.fSquare.satisfaction.complaints).toBeCloseTo(
      fit.rSquared.complaints / (1 - fit.rSquared.complaints),
      12,
    );
  });
});

describe('plsValidity bootstrap and input checks', () => {
  it('bootstraps HTMT reproducibly from the seed; the interval holds the resamples’ middle', () => {
    const a = plsValidity(survey, fit, { bootstrap: 20, seed: 9 });
    const b = plsValidity(survey, fit, { bootstrap: 20, seed: 9 });
    const c = plsValidity(survey, fit, { bootstrap: 20, seed: 10 });
    expect(a.htmt).toEqual(b.htmt);
    expect(a.htmt[0].bootstrap!.lower).not.toBe(c.htmt[0].bootstrap!.lower);
    expect(a.htmtBootstrap).toEqual({ resamples: 20, failed: 0, confidence: 0.95 });
    for (const pair of a.htmt) {
      const boot = pair.bootstrap!;
      expect(boot.original).toBe(pair.htmt);
      expect(boot.lower).toBeLessThanOrEqual(boot.mean);
      expect(boot.mean).toBeLessThanOrEqual(boot.upper);
      expect(boot.stdError).toBeGreaterThan(0);
    }
  });

  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isClienteleError(e) ? e.code : 'not a ClienteleError';
    }
    return undefined;
  };

  it('refuses bad options, a non-fit and a survey that is not the fit’s', () => {
    expect(code(() => plsValidity(survey, fit, { bootstrap: 1 }))).toBe('INVALID_OPTION');
    expect(code(() => plsValidity(survey, fit, { bootstrap: 10, maxBootstrap: 5 }))).toBe('LIMIT_EXCEEDED');
    expect(code(() => plsValidity(survey, fit, { fSquare: 'full' as never }))).toBe('INVALID_OPTION');
    expect(code(() => plsValidity(survey, fit, { confidence: 1 }))).toBe('INVALID_OPTION');
    expect(code(() => plsValidity(survey, { paths: {} } as never))).toBe('INVALID_OPTION');
    expect(code(() => plsValidity(survey.slice(0, 100), fit))).toBe('INVALID_INPUT');
    const holes = Object.fromEntries(survey.schema.fields.map((f) => [f.name, [...column(f.name)]]));
    holes.qual2[7] = NaN;
    expect(code(() => plsValidity(holes, fit))).toBe('INVALID_VALUE');
  });

  it('returns a frozen result and leaves the fit unchanged', () => {
    const before = JSON.stringify(fit.paths);
    const v = plsValidity(survey, fit, { bootstrap: 2 });
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.htmt[0])).toBe(true);
    expect(Object.isFrozen(v.vifItems.quality)).toBe(true);
    expect(JSON.stringify(fit.paths)).toBe(before);
  });
});
