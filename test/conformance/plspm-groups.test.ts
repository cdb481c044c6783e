/**
 * plsMultigroup against R plspm 0.5.1's plspm.groups on the ECSI survey satisfaction.csv by gender (148 women, 102
 * men; fixtures/plspm-groups/README.md). The fits of each group are deterministic and must equal plspm's to 1e-9
 * (paths, outer weights, loadings). The p-values come from different random streams (R's sample() against our
 * seeded source), so they are compared within a Monte Carlo band: R ran 5000 replicates, the test runs few.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { readTable } from '../../src/io/index';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsMultigroup } from '../../src/satisfaction/pls-multigroup';
import type { PlsMultigroupResult } from '../../src/satisfaction/pls-multigroup';
import { dataset } from '../helpers/datasets';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/plspm-groups');

interface Outer {
  name: string;
  weight: number;
  loading: number;
}
interface GroupFit {
  paths: Record<string, number>;
  outer: Outer[];
}
interface Fixture {
  scaled: boolean;
  scheme: 'centroid';
  reps: number;
  levels: [string, string];
  n: [number, number];
  global: GroupFit;
  group1: GroupFit;
  group2: GroupFit;
  permutation: { paths: string[]; diff_abs: number[]; p_value: number[] };
  bootstrap: { paths: string[]; diff_abs: number[]; t_stat: number[]; deg_fr: number[]; p_value: number[] };
}

const items = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
const MODEL = pathModel({
  blocks: {
    IMAG: items('imag', 5),
    EXPE: items('expe', 5),
    QUAL: items('qual', 5),
    VAL: items('val', 4),
    SAT: items('sat', 4),
    LOY: items('loy', 4),
  },
  paths: [
    ['IMAG', 'EXPE'],
    ['IMAG', 'SAT'],
    ['IMAG', 'LOY'],
    ['EXPE', 'QUAL'],
    ['EXPE', 'VAL'],
    ['EXPE', 'SAT'],
    ['QUAL', 'VAL'],
    ['QUAL', 'SAT'],
    ['VAL', 'SAT'],
    ['SAT', 'LOY'],
  ],
});

for (const file of ['satisfaction-gender-centroid.json', 'satisfaction-gender-centroid-unscaled.json']) {
  const fixture = JSON.parse(readFileSync(resolve(FIXTURES, file), 'utf8')) as Fixture;
  let survey: Table;
  let permutation: PlsMultigroupResult;
  let bootstrap: PlsMultigroupResult;
  const PERMUTATIONS = 200;
  const RESAMPLES = 200;
  const scaled = fixture.scaled;

  beforeAll(async () => {
    survey = await readTable(dataset('satisfaction.csv'));
    permutation = plsMultigroup(survey, MODEL, { group: 'gender', replicates: PERMUTATIONS, seed: 19, scaled });
    bootstrap = plsMultigroup(survey, MODEL, {
      group: 'gender',
      method: 'bootstrap',
      replicates: RESAMPLES,
      seed: 19,
      scaled,
    });
  });

  describe(`plsMultigroup reproduces R plspm 0.5.1 plspm.groups on satisfaction.csv by gender (${file})`, () => {
    it('compares the groups in plspm factor order (female, male) with plspm sizes', () => {
      expect(permutation.groups).toEqual(fixture.levels);
      expect(permutation.sizes).toEqual(fixture.n);
      expect(permutation.rows.total).toBe(0);
    });

    it('global and group paths equal plspm (1e-9)', () => {
      for (const p of permutation.paths) {
        const key = `${p.from}->${p.to}`;
        expect(p.global).toBeCloseTo(fixture.global.paths[key], 9);
        expect(p.group1).toBeCloseTo(fixture.group1.paths[key], 9);
        expect(p.group2).toBeCloseTo(fixture.group2.paths[key], 9);
        const i = fixture.permutation.paths.indexOf(key);
        expect(Math.abs(p.difference)).toBeCloseTo(fixture.permutation.diff_abs[i], 4); // plspm rounds to 4 digits
      }
    });

    it("each group's outer weights and loadings equal plspm (1e-9)", () => {
      for (const [g, fit] of [fixture.group1, fixture.group2].entries()) {
        for (const o of fit.outer) {
          const weight = permutation.weights.find((w) => w.indicator === o.name)!;
          const loading = permutation.loadings.find((w) => w.indicator === o.name)!;
          expect(g === 0 ? weight.group1 : weight.group2).toBeCloseTo(o.weight, 9);
          expect(g === 0 ? loading.group1 : loading.group2).toBeCloseTo(o.loading, 9);
        }
      }
    });

    it('permutation p-values agree with plspm (5000 permutations) within 4.5 Monte Carlo standard errors', () => {
      // Var(p̂ − p̂_R) = p(1 − p)(1/P + 1/5000); plus 1/(P + 1) for the +1 convention and ≥ vs > on ties.
      for (const p of permutation.paths) {
        const i = fixture.permutation.paths.indexOf(`${p.from}->${p.to}`);
        const pR = fixture.permutation.p_value[i];
        const band = 4.5 * Math.sqrt(pR * (1 - pR) * (1 / PERMUTATIONS + 1 / fixture.reps)) + 1 / (PERMUTATIONS + 1);
        expect(Math.abs(p.pValue - pR)).toBeLessThanOrEqual(band);
      }
      expect(permutation.failed).toBe(0);
    });

    it("bootstrap t statistics agree with plspm's (5000 resamples) within 25% + 0.1", () => {
      // plspm's numerator is the difference of the bootstrap means, ours the observed difference (Chin 2000); the
      // standard errors of 200 resamples are within ±5% (1/√(2B)) of their limit, so 25% covers 4 SE and the bias.
      for (const p of bootstrap.paths) {
        const i = fixture.bootstrap.paths.indexOf(`${p.from}->${p.to}`);
        const tR = fixture.bootstrap.t_stat[i];
        expect(Math.abs(p.t - tR)).toBeLessThanOrEqual(0.25 * tR + 0.1);
      }
      expect(bootstrap.df).toBe(fixture.bootstrap.deg_fr[0]);
    });

    it('significant at 5% exactly where plspm is (IMAG→LOY and SAT→LOY), by both methods', () => {
      const significant = (r: PlsMultigroupResult) =>
        r.paths.filter((p) => p.pValue < 0.05).map((p) => `${p.from}->${p.to}`);
      const rPermutation = fixture.permutation.paths.filter((_, i) => fixture.permutation.p_value[i] < 0.05);
      expect(significant(permutation)).toEqual(rPermutation);
      // plspm's bootstrap p is one-sided: twice it is the two-sided p reported here
      const rBootstrap = fixture.bootstrap.paths.filter((_, i) => 2 * fixture.bootstrap.p_value[i] < 0.05);
      expect(significant(bootstrap)).toEqual(rBootstrap);
    });
  });
}
