import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import type { PlsFit } from '../../src/satisfaction/pls-path-model';
import { plsPathModelInSql } from '../../src/sql/pls-sql';
import { expectCode, rejectsWith } from '../helpers/errors';
import { simulateSurvey } from '../helpers/pls-reference';

const INDICATORS = { x: [0.8, 0.7, 0.6], m: [0.75, 0.7], y: [0.8, 0.65, 0.7] };
const PATHS = [
  ['x', 'm', 0.5],
  ['x', 'y', 0.3],
  ['m', 'y', 0.4],
] as const;
const MODEL = pathModel({
  blocks: { x: ['x1', 'x2', 'x3'], m: ['m1', 'm2'], y: ['y1', 'y2', 'y3'] },
  paths: PATHS.map(([f, t]) => [f, t] as const),
});
const COLUMNS = ['x1', 'x2', 'x3', 'm1', 'm2', 'y1', 'y2', 'y3'];

/** A simulated survey on a 1–10 scale (rounded answers), `n` respondents. */
function survey(n: number, seed: number): Record<string, number[]> {
  const { columns } = simulateSurvey(n, seed, ['x', 'm', 'y'], PATHS, INDICATORS);
  const out: Record<string, number[]> = {};
  for (const c of COLUMNS) out[c] = columns[c].map((v) => Math.min(10, Math.max(1, Math.round(5.5 + 1.8 * v))));
  return out;
}

/** `data` with the answer of row i to column k (COLUMNS order) removed when (5i + 3k) mod `every` = 1. */
function withGaps(data: Record<string, number[]>, every: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  COLUMNS.forEach((c, k) => (out[c] = data[c].map((v, i) => ((5 * i + 3 * k) % every === 1 ? NaN : v))));
  return out;
}

/** Every number a fit reports that does not depend on the missing-answer treatment's bookkeeping. */
function figures(fit: PlsFit): number[] {
  const out: number[] = [fit.gof];
  for (const o of Object.values(fit.outer)) out.push(o.weight, o.loading, o.indexWeight, o.redundancy);
  for (const row of Object.values(fit.crossLoadings)) out.push(...Object.values(row));
  for (const to of Object.values(fit.paths)) out.push(...Object.values(to));
  out.push(...Object.values(fit.rSquared), ...Object.values(fit.index));
  for (const lv of ['x', 'm', 'y']) {
    out.push(...(fit.scores.getChild(lv)!.toArray() as Float64Array));
    out.push(...(fit.indexScores.getChild(lv)!.toArray() as Float64Array));
  }
  return out;
}

function maxDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe("plsPathModel missing: 'mean'", () => {
  it('equals the listwise fit of the answers imputed by hand with each question’s mean over the answers present', () => {
    const gappy = withGaps(survey(120, 3), 9);
    const imputed: Record<string, number[]> = {};
    const counts: Record<string, number> = {};
    for (const c of COLUMNS) {
      const present = gappy[c].filter((v) => !Number.isNaN(v));
      const mean = present.reduce((a, b) => a + b, 0) / present.length;
      imputed[c] = gappy[c].map((v) => (Number.isNaN(v) ? mean : v));
      counts[c] = gappy[c].length - present.length;
    }
    const fit = plsPathModel(gappy, MODEL, { missing: 'mean', scale: [1, 10] });
    const byHand = plsPathModel(imputed, MODEL, { scale: [1, 10] });
    expect(maxDifference(figures(fit), figures(byHand))).toBeLessThan(1e-12);
    expect(fit.missing.treatment).toBe('mean');
    expect({ ...fit.missing.answers }).toEqual(counts);
    expect(fit.missing.total).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(fit.missing.total).toBeGreaterThan(80);
    expect(fit.rows.kept).toBe(120);
  });
});

describe("plsPathModel missing: 'available'", () => {
  it('scores each respondent on the questions they answered, and the index with the weights rescaled to them', () => {
    const gappy = withGaps(survey(150, 5), 11);
    const fit = plsPathModel(gappy, MODEL, { missing: 'available', scale: [1, 10] });
    expect(fit.missing.treatment).toBe('available');
    expect(fit.rows.kept).toBe(150);
    const index = fit.indexScores.getChild('x')!.toArray() as Float64Array;
    const blocks = MODEL.blocks.x;
    let checked = 0;
    for (let i = 0; i < 150; i++) {
      let num = 0;
      let den = 0;
      for (const c of blocks) {
        if (Number.isNaN(gappy[c][i])) continue;
        num += fit.outer[c].indexWeight * gappy[c][i];
        den += fit.outer[c].indexWeight;
      }
      expect(index[i]).toBeCloseTo((100 * (num / den - 1)) / 9, 12);
      if (den < 0.999) checked++;
    }
    expect(checked).toBeGreaterThan(10);
    // the construct's index is the mean of the respondents' index scores
    expect(fit.index.x).toBeCloseTo(index.reduce((a, b) => a + b, 0) / 150, 12);
    // scores: mean 0, variance 1 (divisor n)
    const y = fit.scores.getChild('y')!.toArray() as Float64Array;
    const mean = y.reduce((a, b) => a + b, 0) / 150;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(y.reduce((a, b) => a + (b - mean) ** 2, 0) / 150).toBeCloseTo(1, 12);
  });

  it('takes its index weights from the available-case fit of the centred answers (scaled: false), normalised per block', () => {
    const gappy = withGaps(survey(90, 6), 8);
    const fit = plsPathModel(gappy, MODEL, { missing: 'available' });
    const centred = plsPathModel(gappy, MODEL, { missing: 'available', scaled: false });
    for (const [lv, columns] of Object.entries(MODEL.blocks)) {
      const sum = columns.reduce((a, c) => a + centred.outer[c].weight, 0);
      for (const c of columns) expect(fit.outer[c].indexWeight).toBeCloseTo(centred.outer[c].weight / sum, 12);
      expect(fit.index[lv]).toBeCloseTo(centred.index[lv], 12);
    }
  });

  it('drops and counts a respondent who answered no question of a block (missingAnswer); mean keeps them', () => {
    const data = survey(60, 8);
    data.m1[7] = NaN;
    data.m2[7] = NaN;
    data.x1[9] = NaN;
    const fit = plsPathModel(data, MODEL, { missing: 'available' });
    expect(fit.rows.dropped).toEqual({ missingAnswer: 1 });
    expect(fit.rows.firstRow).toEqual({ missingAnswer: 7 });
    expect(fit.respondents).toBe(59);
    expect(fit.missing.total).toBe(1);
    const rows = fit.scores.getChild('row')!.toArray() as Float64Array;
    expect(Array.from(rows).includes(7)).toBe(false);
    const mean = plsPathModel(data, MODEL, { missing: 'mean' });
    expect(mean.respondents).toBe(60);
    expect(mean.missing.total).toBe(3);
  });

  it('leaves a respondent with an infinite answer out as invalidValue in every treatment', () => {
    const data = withGaps(survey(60, 9), 13);
    data.y2[4] = Infinity;
    for (const missing of ['mean', 'available'] as const) {
      const fit = plsPathModel(data, MODEL, { missing });
      expect(fit.rows.dropped).toEqual({ invalidValue: 1 });
      expect(fit.respondents).toBe(59);
    }
    const listwise = plsPathModel(data, MODEL);
    expect(listwise.rows.dropped.missingAnswer).toBeGreaterThan(10);
  });

  it('bootstraps by refitting the available-case model on each resample', () => {
    const fit = plsPathModel(withGaps(survey(80, 12), 10), MODEL, { missing: 'available', bootstrap: 10, seed: 3 });
    const b = fit.bootstrap!;
    expect(b.resamples).toBe(10);
    expect(b.paths.x.m.original).toBe(fit.paths.x.m);
    expect(b.paths.x.m.stdError).toBeGreaterThan(0);
    expect(b.paths.x.m.lower).toBeLessThan(fit.paths.x.m);
    expect(b.paths.x.m.upper).toBeGreaterThan(fit.paths.x.m);
  });

  it('refuses a mode B block with missing answers (NOT_IDENTIFIED) and an unknown treatment (INVALID_OPTION)', () => {
    const modeB = pathModel({ ...MODEL, modes: { m: 'B' } } as never);
    const data = withGaps(survey(60, 2), 7);
    expectCode(() => plsPathModel(data, modeB, { missing: 'available' }), 'NOT_IDENTIFIED', 'block "m" is mode B');
    expectCode(
      () => plsPathModel(data, MODEL, { missing: 'pairwise' as never }),
      'INVALID_OPTION',
      "option missing must be 'listwise', 'mean' or 'available'",
    );
  });
});

describe('plsPathModelInSql', () => {
  it("refuses missing other than 'listwise' with INVALID_OPTION before running a statement", async () => {
    const seen: string[] = [];
    const connection = {
      runAndReadAll: async (sql: string) => {
        seen.push(sql);
        throw new Error('no statement should run');
      },
    };
    await rejectsWith(
      () => plsPathModelInSql(connection as never, MODEL, { table: 'survey', missing: 'available' }),
      'INVALID_OPTION',
      "option missing must be 'listwise' here",
    );
    expect(seen).toEqual([]);
  });
});

describe('missing-answer treatments: properties', () => {
  it("with no missing answer, 'mean' and 'available' equal 'listwise' (1e-12)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 25, max: 90 }), (seed, n) => {
        const data = survey(n, seed);
        const listwise = figures(plsPathModel(data, MODEL, { allowNonConvergence: true }));
        for (const missing of ['mean', 'available'] as const) {
          const other = figures(plsPathModel(data, MODEL, { missing, allowNonConvergence: true }));
          expect(maxDifference(other, listwise)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('never changes its input (plain arrays and an Arrow table), whatever the missing pattern', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 5, max: 17 }), (seed, every) => {
        const data = withGaps(survey(40, seed), every);
        const copy = JSON.stringify(data, (_, v) => (Number.isNaN(v) ? 'NaN' : v));
        const table = tableFromArrays(Object.fromEntries(COLUMNS.map((c) => [c, Float64Array.from(data[c])])));
        const before = COLUMNS.map((c) => Array.from(table.getChild(c)!.toArray() as Float64Array));
        for (const missing of ['mean', 'available'] as const) {
          plsPathModel(data, MODEL, { missing, allowNonConvergence: true });
          plsPathModel(table, MODEL, { missing, allowNonConvergence: true });
        }
        expect(JSON.stringify(data, (_, v) => (Number.isNaN(v) ? 'NaN' : v))).toBe(copy);
        COLUMNS.forEach((c, u) => expect(Array.from(table.getChild(c)!.toArray() as Float64Array)).toEqual(before[u]));
      }),
      { numRuns: 4 },
    );
  });
});
