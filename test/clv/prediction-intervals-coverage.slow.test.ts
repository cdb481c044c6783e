/**
 * Coverage by simulation, the "done when" of issue 18's intervals (the method is in test/helpers/interval-coverage.ts):
 * the share of 90 % intervals, over R replicates of simulation + fit, that cover the true value must lie within
 * 0.9 ± 3 binomial standard errors. In the slow project: a few hundred fits.
 */
import { describe, it } from 'vitest';
import { coverage, expectCoverage } from '../helpers/interval-coverage';

describe('prediction intervals cover the truth at the stated level (BG/NBD or Pareto/NBD + Gamma-Gamma, CDNOW parameters)', () => {
  it('delta method: 200 replicates of 2,000 customers, 90 % intervals, within 0.9 ± 3 binomial SE (±0.064)', () => {
    const R = 200;
    expectCoverage(coverage(R, 'delta', ['probabilityAlive', 'conditionalExpectedPurchases', 'clv'], 0), R);
  });

  it('draws: 120 replicates × 300 draws, 90 % intervals, within 0.9 ± 3 binomial SE (±0.082)', () => {
    const R = 120;
    expectCoverage(coverage(R, 'draws', ['probabilityAlive', 'conditionalExpectedPurchases', 'clv'], 300), R);
  });

  it('Pareto/NBD, delta method: 60 replicates of 1,500 customers, 90 % intervals, within 0.9 ± 3 binomial SE (±0.116)', () => {
    const R = 60;
    expectCoverage(
      coverage(R, 'delta', ['probabilityAlive', 'conditionalExpectedPurchases', 'clv'], 0, 1500, 'paretoNbd'),
      R,
    );
  });
});
