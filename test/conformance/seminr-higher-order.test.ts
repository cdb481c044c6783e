/**
 * plsHigherOrder against R seminr 2.3.4's two-stage higher-order composite (`higher_composite(…, method =
 * two_stage)`) on mobi.csv: seminr's own test model (tests/testthat/test-hoc.R), Satisfaction formed from Image and
 * Value, with the higher-order construct in mode A and in mode B (fixtures/seminr-higher-order/README.md). seminr
 * ran with a stop criterion of 1e-14 so that both fits sit at the fixed point; paths, R², the second stage's weights
 * and loadings and the first stage's (the dimensions') must agree to 1e-9.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { readTable } from '../../src/io/index';
import { plsHigherOrder } from '../../src/satisfaction/higher-order';
import { dataset } from '../helpers/datasets';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/seminr-higher-order');

type Matrix = Record<string, Record<string, number>>;
interface SeminrFit {
  label: 'mode_A' | 'mode_B';
  paths: Matrix;
  rSquared: Record<string, number>;
  weights: Matrix;
  loadings: Matrix;
  first_stage: { paths: Matrix; weights: Matrix; loadings: Matrix };
}

const fixture = JSON.parse(readFileSync(resolve(FIXTURES, 'mobi-two-stage.json'), 'utf8')) as { fits: SeminrFit[] };
const items = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
let mobi: Table;
beforeAll(async () => {
  mobi = await readTable(dataset('mobi.csv'));
});

const entries = (m: Matrix) =>
  Object.entries(m).flatMap(([row, cols]) => Object.entries(cols).map(([col, v]) => [row, col, v] as const));

describe('plsHigherOrder reproduces R seminr 2.3.4 higher_composite(two_stage) on mobi', () => {
  for (const reference of fixture.fits) {
    it(`Satisfaction = {Image, Value}, ${reference.label}: paths, R², weights and loadings of both stages (1e-9)`, () => {
      const fit = plsHigherOrder(
        mobi,
        {
          blocks: {
            Image: items('IMAG', 5),
            Expectation: items('CUEX', 3),
            Quality: items('PERQ', 7),
            Value: items('PERV', 2),
            Complaints: ['CUSCO'],
            Loyalty: items('CUSL', 3),
          },
          higher: { Satisfaction: ['Image', 'Value'] },
          paths: [
            ['Expectation', 'Satisfaction'],
            ['Quality', 'Satisfaction'],
            ['Satisfaction', 'Complaints'],
            ['Satisfaction', 'Loyalty'],
          ],
          modes: { Satisfaction: reference.label === 'mode_A' ? 'A' : 'B' },
        },
        { scheme: 'path', tolerance: 1e-24, maxIterations: 1000 },
      );
      for (const [from, to, v] of entries(reference.paths)) expect(fit.paths[from][to]).toBeCloseTo(v, 9);
      for (const [lv, v] of Object.entries(reference.rSquared)) expect(fit.rSquared[lv]).toBeCloseTo(v, 9);
      for (const [from, to, v] of entries(reference.first_stage.paths))
        expect(fit.firstStage.paths[from][to]).toBeCloseTo(v, 9);
      // seminr's combined tables: the dimensions' questions from the first stage, the rest from the second
      for (const [indicator, lv, v] of entries(reference.weights)) {
        const outer = lv === 'Image' || lv === 'Value' ? fit.firstStage.outer[indicator] : fit.outer[indicator];
        expect(outer.block).toBe(lv);
        expect(outer.weight).toBeCloseTo(v, 9);
        expect(outer.loading).toBeCloseTo(reference.loadings[indicator][lv], 9);
      }
      expect(Object.keys(fit.outer).filter((k) => fit.outer[k].block === 'Satisfaction')).toEqual(['Image', 'Value']);
    });
  }
});
