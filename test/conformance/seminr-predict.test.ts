/**
 * Conformance of plsPredict with R seminr 2.3.4 `predict_pls` on mobi (datasets/mobi.csv.gz): the help-page example
 * (Image, Expectation, Value → Satisfaction, `predict_DA`, 10 folds) and the seminr ECSI model of seven constructs
 * with `predict_DA` and `predict_EA` (5 folds). seminr shuffles the rows at random; the fixtures record the fold of
 * every row (its `sample` order under `set.seed`, cut into equal folds as seminr's `prediction_matrices` does), and
 * plsPredict is given the same folds. Tolerance 1e-6 on every RMSE and MAE (PLS and linear benchmark, out of
 * sample and in sample) and on the 250 × 3 out-of-sample predictions of the example; seminr stops its weights at
 * Σ|Δw| < 1e-7, so the refits here run to 1e-12.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPredict } from '../../src/satisfaction/pls-predict';
import { dataset, splitCsvLine } from '../helpers/datasets';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/seminr-predict');
const TOLERANCE = 1e-6;

interface Errors {
  rmse: number[];
  mae: number[];
}
interface Fixture {
  technique: 'DA' | 'EA';
  noFolds: number;
  blocks: Record<string, string[]>;
  paths: [string, string][];
  foldOfRow: number[];
  endogenousItems: string[];
  metrics: { plsOut: Errors; plsIn: Errors; lmOut: Errors; lmIn: Errors };
  plsOutOfSample?: Record<string, number[]>;
  lmOutOfSample?: Record<string, number[]>;
}

function readMobi(): Record<string, number[]> {
  const lines = readFileSync(dataset('mobi.csv'), 'utf8').trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0]);
  const columns: Record<string, number[]> = Object.fromEntries(header.slice(1).map((h) => [h, [] as number[]]));
  for (const line of lines.slice(1))
    splitCsvLine(line)
      .slice(1)
      .forEach((v, j) => columns[header[j + 1]].push(Number(v)));
  return columns;
}

const mobi = readMobi();
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('plsPredict reproduces R seminr 2.3.4 predict_pls on mobi (fixtures/seminr-predict)', () => {
  it('has the three reference runs', () =>
    expect(files).toEqual(['mobi-ecsi-DA.json', 'mobi-ecsi-EA.json', 'mobi-example-DA.json']));

  for (const file of files) {
    it(`${file}: RMSE and MAE of PLS and LM, out of sample and in sample, to 1e-6`, () => {
      const fx = JSON.parse(readFileSync(resolve(FIXTURES, file), 'utf8')) as Fixture;
      const model = pathModel({ blocks: fx.blocks, paths: fx.paths });
      const result = plsPredict(mobi, model, {
        folds: fx.foldOfRow,
        technique: fx.technique,
        scheme: 'path',
        lmPredictors: 'others',
        tolerance: 1e-12,
        maxIterations: 300,
      });
      expect(result.folds).toBe(fx.noFolds);
      expect(Object.keys(result.indicators).sort()).toEqual([...fx.endogenousItems].sort());
      fx.endogenousItems.forEach((item, a) => {
        const e = result.indicators[item];
        expect(Math.abs(e.rmse - fx.metrics.plsOut.rmse[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.mae - fx.metrics.plsOut.mae[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.lmRmse - fx.metrics.lmOut.rmse[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.lmMae - fx.metrics.lmOut.mae[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.inSampleRmse - fx.metrics.plsIn.rmse[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.inSampleMae - fx.metrics.plsIn.mae[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.lmInSampleRmse - fx.metrics.lmIn.rmse[a])).toBeLessThan(TOLERANCE);
        expect(Math.abs(e.lmInSampleMae - fx.metrics.lmIn.mae[a])).toBeLessThan(TOLERANCE);
      });
      if (fx.plsOutOfSample && fx.lmOutOfSample) {
        const t = result.predictions;
        const indicator = t.getChild('indicator')!.toArray() as string[];
        const row = t.getChild('row')!.toArray() as Int32Array;
        const pls = t.getChild('pls')!.toArray() as Float64Array;
        const lm = t.getChild('lm')!.toArray() as Float64Array;
        let worst = 0;
        for (let r = 0; r < t.numRows; r++) {
          worst = Math.max(worst, Math.abs(pls[r] - fx.plsOutOfSample[indicator[r]][row[r]]));
          worst = Math.max(worst, Math.abs(lm[r] - fx.lmOutOfSample[indicator[r]][row[r]]));
        }
        expect(t.numRows).toBe(250 * fx.endogenousItems.length);
        expect(worst).toBeLessThan(TOLERANCE);
      }
    });
  }
});
