/**
 * Conformance of non-metric PLS (plsPathModel's `scaling`) with R plspm 0.5.1's `scaling` ("num", "ord", "nom";
 * Russolillo 2012): every figure of five fits produced by plspm itself (fixtures/plspm/nonmetric, README there) —
 * iterations, paths, R², outer weights, loadings, communalities, redundancies, the inner summary, GoF, the category
 * quantifications and every respondent's score — and the two non-metric Russett summaries published with
 * GoogleCloudPlatform/plspm-python (R plspm output in its tests/data). The loop is plspm's, step for step, so the
 * tolerance is that of floating point, not of the stopping rule: 1e-9 (the largest difference found is 2.3e-14).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import type { MeasurementLevel } from '../../src/satisfaction/pls-nonmetric';
import { dataset, splitCsvLine } from '../helpers/datasets';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/plspm/nonmetric');
const DIGITS = 9;
const LEVEL: Record<string, MeasurementLevel> = { num: 'numeric', ord: 'ordinal', nom: 'nominal' };

interface Fixture {
  file: string;
  n_rows: number;
  model: {
    lvs: string[];
    blocks: Record<string, string[]>;
    paths: [string, string][];
    modes: ('A' | 'B')[];
    scaling: Record<string, string[]>;
    scheme: 'centroid' | 'factorial' | 'path';
    tol: number;
    maxiter: number;
  };
  iterations: number;
  path_coefs: Record<string, Record<string, number>>;
  rSquared: Record<string, number>;
  outer_model: {
    name: string;
    block: string;
    weight: number;
    loading: number;
    communality: number;
    redundancy: number;
  }[];
  inner_summary: Record<string, { R2: number; block_communality: number; mean_redundancy: number; AVE: number }>;
  gof: number;
  quantifications: Record<string, { categories: number[]; values: number[] }>;
  scores_columns: string[];
  scores: number[][];
}

const surveys = new Map<string, Record<string, number[]>>();
function readSurvey(path: string): Record<string, number[]> {
  if (surveys.has(path)) return surveys.get(path)!;
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0]);
  const columns: Record<string, number[]> = Object.fromEntries(header.map((h) => [h, [] as number[]]));
  for (const line of lines.slice(1)) splitCsvLine(line).forEach((v, j) => columns[header[j]].push(Number(v)));
  surveys.set(path, columns);
  return columns;
}

const SURVEYS: Record<string, string> = { 'satisfaction.csv': 'satisfaction.csv', 'russa.csv': 'reference/russa.csv' };
const RUSSETT_PATHS: [string, string][] = [
  ['AGRI', 'POLINS'],
  ['IND', 'POLINS'],
];
const RUSSETT_SCALING = { gnpr: 'ordinal', labo: 'ordinal', demo: 'nominal' } as const;

describe('non-metric plsPathModel reproduces R plspm 0.5.1 (fixtures/plspm/nonmetric)', () => {
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();
  it('has the five reference fits', () => expect(names.length).toBe(5));

  for (const name of names) {
    const fixture = JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as Fixture;
    const spec = fixture.model;
    it(`${name}: every figure plspm prints, the quantifications and all scores (1e-${DIGITS})`, () => {
      const survey = readSurvey(dataset(SURVEYS[fixture.file]));
      const scaling: Record<string, MeasurementLevel> = {};
      for (const lv of spec.lvs) spec.blocks[lv].forEach((c, u) => (scaling[c] = LEVEL[spec.scaling[lv][u]]));
      const model = pathModel({
        blocks: spec.blocks,
        paths: spec.paths,
        modes: Object.fromEntries(spec.lvs.map((lv, j) => [lv, spec.modes[j]])),
      });
      const fit = plsPathModel(survey, model, {
        scheme: spec.scheme,
        tolerance: spec.tol,
        maxIterations: spec.maxiter,
        scaling,
        maxCategories: 50, // Russett's gnpr and labo: every distinct value a category, as plspm
      });
      expect(fit.respondents).toBe(fixture.n_rows);
      expect(fit.iterations).toBe(fixture.iterations);
      for (const [from, to] of spec.paths)
        expect(fit.paths[from][to]).toBeCloseTo(fixture.path_coefs[from][to], DIGITS);
      for (const lv of Object.keys(fixture.rSquared))
        expect(fit.rSquared[lv]).toBeCloseTo(fixture.rSquared[lv], DIGITS);
      for (const row of fixture.outer_model) {
        const mine = fit.outer[row.name];
        expect(mine.block).toBe(row.block);
        expect(mine.weight).toBeCloseTo(row.weight, DIGITS);
        expect(mine.loading).toBeCloseTo(row.loading, DIGITS);
        expect(mine.communality).toBeCloseTo(row.communality, DIGITS);
        expect(mine.redundancy).toBeCloseTo(row.redundancy, DIGITS);
      }
      spec.lvs.forEach((lv, j) => {
        const row = fixture.inner_summary[lv];
        expect(fit.summary[lv].blockCommunality).toBeCloseTo(row.block_communality, DIGITS);
        expect(fit.summary[lv].meanRedundancy).toBeCloseTo(row.mean_redundancy, DIGITS);
        expect(fit.summary[lv].ave).toBeCloseTo(spec.modes[j] === 'A' ? row.AVE : 0, DIGITS);
      });
      expect(fit.gof).toBeCloseTo(fixture.gof, DIGITS);
      const quantified = Object.keys(fixture.quantifications);
      expect(Object.keys(fit.nonMetric!.quantifications).sort()).toEqual(quantified.sort());
      for (const column of quantified) {
        const mine = fit.nonMetric!.quantifications[column];
        expect(mine.categories).toEqual(fixture.quantifications[column].categories);
        mine.values.forEach((v, c) => expect(v).toBeCloseTo(fixture.quantifications[column].values[c], DIGITS));
      }
      // every score: the largest difference, in one assertion (250 × 6 figures)
      let largest = 0;
      fixture.scores_columns.forEach((lv, j) => {
        const mine = fit.scores.getChild(lv)!.toArray() as Float64Array;
        fixture.scores.forEach((row, i) => (largest = Math.max(largest, Math.abs(mine[i] - row[j]))));
      });
      expect(largest).toBeLessThan(10 ** -DIGITS);
    });
  }
});

describe('non-metric plsPathModel reproduces the Russett summaries published with plspm-python (R plspm output)', () => {
  // GoogleCloudPlatform/plspm-python tests/data/russa.categorical.inner_summary.csv and
  // russa.categorical.mode_b.inner_summary.csv (tests/test_regression_nonmetric.py: tol 1e-7, centroid; gnpr and
  // labo ordinal, demo nominal). Printed to 15 significant digits: tolerance 1e-12.
  const russett = () => readSurvey(dataset('reference/russa.csv'));
  const blocks = { AGRI: ['gini', 'farm', 'rent'], IND: ['gnpr', 'labo'], POLINS: ['ecks', 'death', 'demo', 'inst'] };

  it('mode A: block communalities 0.736198103076737, 0.925415169790729, 0.57450086388158; R² 0.734006150096976', () => {
    const fit = plsPathModel(russett(), pathModel({ blocks, paths: RUSSETT_PATHS }), {
      tolerance: 1e-7,
      scaling: RUSSETT_SCALING,
      maxCategories: 50,
    });
    expect(fit.summary.AGRI.blockCommunality).toBeCloseTo(0.736198103076737, 12);
    expect(fit.summary.IND.blockCommunality).toBeCloseTo(0.925415169790729, 12);
    expect(fit.summary.POLINS.blockCommunality).toBeCloseTo(0.57450086388158, 12);
    expect(fit.summary.POLINS.meanRedundancy).toBeCloseTo(0.421687167325105, 12);
    expect(fit.rSquared.POLINS).toBeCloseTo(0.734006150096976, 12);
  });

  it('mode B: block communalities 0.203028160193246, 0.422767984628726, 0.326977488668471; R² 0.739135311569962', () => {
    const modes = { AGRI: 'B', IND: 'B', POLINS: 'B' } as const;
    const fit = plsPathModel(russett(), pathModel({ blocks, paths: RUSSETT_PATHS, modes }), {
      tolerance: 1e-7,
      scaling: RUSSETT_SCALING,
      maxCategories: 50,
    });
    expect(fit.summary.AGRI.blockCommunality).toBeCloseTo(0.203028160193246, 12);
    expect(fit.summary.IND.blockCommunality).toBeCloseTo(0.422767984628726, 12);
    expect(fit.summary.POLINS.blockCommunality).toBeCloseTo(0.326977488668471, 12);
    expect(fit.summary.POLINS.meanRedundancy).toBeCloseTo(0.241680607963334, 12);
    expect(fit.rSquared.POLINS).toBeCloseTo(0.739135311569962, 12);
  });
});
