/**
 * The options every probabilistic fit shares (`start`, `maxIterations`, `allowNonConvergence`), run as one suite
 * against the five models that go through `maximiseLikelihood`. Sources of truth: the published estimates each model's
 * own test reproduces (a fit started at them must come back to them), and the option contract of
 * src/clv/maximise-likelihood.ts (a search stopped by `maxIterations` is `NOT_CONVERGED` unless allowed).
 */
import { describe, expect, it } from 'vitest';
import { fitBgBb } from '../../src/clv/beta-geo-beta-binomial';
import { fitBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import type { FitOptions } from '../../src/clv/maximise-likelihood';
import type { FittedModel } from '../../src/clv/model';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import { fitSbg } from '../../src/clv/shifted-beta-geometric';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

type Params = Record<string, number>;

interface Case {
  name: string;
  /** The fit on its reference data with the given optimiser options. */
  fit: (options: FitOptions<Params>) => FittedModel<string, Params>;
  /** The published estimates and how close the fit reproduces them (the model's own test's tolerance). */
  published: Params;
  tolerance: number;
}

const cdnowPath = dataset('cdnow_customers_summary.csv');
const donationsPath = dataset('donations.csv');

function columns(path: string): Record<string, Float64Array> {
  const [header, ...lines] = readLines(path);
  const names = splitCsvLine(header);
  const rows = lines.map((l) => splitCsvLine(l).map(Number));
  return Object.fromEntries(names.map((n, j) => [n, Float64Array.from(rows, (r) => r[j])]));
}

const cdnow = cdnowPath ? columns(cdnowPath) : {};
const donations = donationsPath ? columns(donationsPath) : {};
const repeat = { frequency: 'x', recency: 't_x' };

const CASES: (Case & { data: boolean })[] = [
  {
    name: 'fitBgNbd', // Fader, Hardie & Lee (2005)
    data: cdnowPath !== null,
    fit: (o) => fitBgNbd(cdnow, { ...repeat, ...o }),
    published: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    tolerance: 1e-3,
  },
  {
    name: 'fitParetoNbd', // Fader, Hardie & Lee (2005)
    data: cdnowPath !== null,
    fit: (o) => fitParetoNbd(cdnow, { ...repeat, ...o }),
    published: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
    tolerance: 2e-3,
  },
  {
    name: 'fitGammaGamma', // Fader & Hardie (2013)
    data: cdnowPath !== null,
    fit: (o) => fitGammaGamma({ frequency: cdnow.x, monetary: cdnow.zbar }, o),
    published: { p: 6.25, q: 3.74, gamma: 15.44 },
    tolerance: 1e-2,
  },
  {
    name: 'fitSbg', // Fader & Hardie (2007), "high end", years 0–7
    data: true,
    fit: (o) => fitSbg([1000, 869, 743, 653, 593, 551, 517, 491], o),
    published: { alpha: 0.668, beta: 3.806 },
    tolerance: 1e-3,
  },
  {
    name: 'fitBgBb', // Fader, Hardie & Shang (2010)
    data: donationsPath !== null,
    fit: (o) => fitBgBb(donations, { weights: 'weights', ...o }),
    published: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
    tolerance: 2e-3,
  },
];

describe.each(CASES.filter((c) => c.data))(
  '$name: start, maxIterations, allowNonConvergence',
  ({ name, fit, published, tolerance }) => {
    it('throws NOT_CONVERGED, naming the fit and the fixes, when a tiny maxIterations stops the search', () => {
      expectCode(
        () => fit({ maxIterations: 3 }),
        'NOT_CONVERGED',
        `${name}: the optimiser did not converge in `,
        '(log-likelihood ',
        'raise maxIterations (now 3 per run) or give start values',
        'pass allowNonConvergence: true to get the last point',
      );
    });

    it('with allowNonConvergence: true returns the last point as a frozen model with converged: false', () => {
      const model = fit({ maxIterations: 3, allowNonConvergence: true });
      expect(model.converged).toBe(false);
      expect(model.iterations).toBeGreaterThanOrEqual(3);
      expect(Number.isFinite(model.logLikelihood)).toBe(true);
      expect(Object.isFrozen(model) && Object.isFrozen(model.params) && Object.isFrozen(model.standardErrors)).toBe(
        true,
      );
      expect(Object.keys(model.params)).toEqual(Object.keys(published));
    });

    it("started at the published estimates, converges back to them (the model test's tolerance) and to the default fit (1e-4)", () => {
      const fromDefault = fit({});
      const fromPublished = fit({ start: published });
      expect(fromPublished.converged).toBe(true);
      // allowNonConvergence changes nothing for a search that converges
      expect(fit({ allowNonConvergence: true })).toEqual(fromDefault);
      for (const [k, v] of Object.entries(published)) {
        expect(Math.abs(fromPublished.params[k] - v)).toBeLessThan(tolerance);
        expect(Math.abs(fromPublished.params[k] / fromDefault.params[k] - 1)).toBeLessThan(1e-4);
      }
      expect(fromPublished.logLikelihood).toBeCloseTo(fromDefault.logLikelihood, 6);
    });

    it('rejects a bad start, maxIterations or allowNonConvergence with INVALID_OPTION', () => {
      const first = Object.keys(published)[0];
      expectCode(
        () => fit({ start: { [first]: -1 } }),
        'INVALID_OPTION',
        `${name}: option start.${first}`,
        'positive finite value',
      );
      expectCode(
        () => fit({ start: { nu: 1 } }),
        'INVALID_OPTION',
        'option start.nu must be one of ' + Object.keys(published).join(', '),
      );
      expectCode(
        () => fit({ maxIterations: 2.5 }),
        'INVALID_OPTION',
        `${name}: option maxIterations must be a positive integer (found 2.5)`,
      );
      expectCode(
        () => fit({ allowNonConvergence: 'yes' as never }),
        'INVALID_OPTION',
        `${name}: option allowNonConvergence must be true or false (found "yes")`,
      );
    });
  },
);
