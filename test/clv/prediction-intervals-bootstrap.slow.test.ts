/**
 * Coverage by simulation, the "done when" of issue 18's intervals (the method is in test/helpers/interval-coverage.ts):
 * the share of 90 % intervals, over R replicates of simulation + fit, that cover the true value must lie within
 * 0.9 ± 3 binomial standard errors. This file: the parametric bootstrap, 1,500 refits (the slowest of the three methods).
 */
import { describe, it } from 'vitest';
import { coverage, expectCoverage } from '../helpers/interval-coverage';

describe('bootstrap intervals cover the truth at the stated level (BG/NBD, FHL 2005 CDNOW parameters)', () => {
  it('parametric bootstrap: 30 replicates × 50 refits of 1,000 customers, 90 % intervals, within 0.9 ± 3 binomial SE (±0.164)', () => {
    const R = 30;
    expectCoverage(coverage(R, 'bootstrap', ['conditionalExpectedPurchases'], 50, 1000), R);
  });
});
