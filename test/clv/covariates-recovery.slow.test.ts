/**
 * Pareto/NBD with covariates recovers the parameters it was simulated from (slow: BFGS over eight
 * parameters and 1,200 covariate groups of one history each, under a second). Source of truth: the simulator in covariates-simulate.ts,
 * which draws λ ~ gamma(r, α e^(−γ_P·z)), μ ~ gamma(s, β e^(−γ_L·z)) as CLVTools' `pnbd_staticcov_alpha_i` /
 * `_beta_i` define them, an exponential lifetime and Poisson purchases.
 */
import { describe, expect, it } from 'vitest';
import { fitParetoNbdWithCovariates, predictParetoNbdWithCovariates } from '../../src/clv/covariates-pareto-nbd';
import { simulateParetoNbd } from './covariates-simulate';

describe('fitParetoNbdWithCovariates recovers simulated parameters', () => {
  it('1,200 simulated customers, a binary and a continuous covariate on both processes: every estimate within 4 standard errors', () => {
    const truth = { r: 0.8, alpha: 8, s: 0.7, beta: 12, purchase: [0.5, 0.3], attrition: [-0.4, 0.25] };
    const data = simulateParetoNbd(20261207, 1200, truth);
    const fit = fitParetoNbdWithCovariates(data, { purchase: ['female', 'age'], attrition: ['female', 'age'] });
    const expected: Record<string, number> = {
      r: truth.r,
      alpha: truth.alpha,
      s: truth.s,
      beta: truth.beta,
      'purchase.female': truth.purchase[0],
      'purchase.age': truth.purchase[1],
      'attrition.female': truth.attrition[0],
      'attrition.age': truth.attrition[1],
    };
    expect(Object.keys(fit.params)).toEqual(Object.keys(expected));
    for (const [name, value] of Object.entries(expected)) {
      const se = fit.standardErrors[name];
      expect(se, name).toBeGreaterThan(0);
      expect(Math.abs(fit.params[name] - value) / se, name).toBeLessThan(4);
    }
    expect(fit.identified).toBe(true);
    // the model's P(alive) of its own data: customers with the higher attrition covariate are less often alive
    const alive = predictParetoNbdWithCovariates(fit, data, { quantity: 'probabilityAlive' });
    let older = 0;
    let younger = 0;
    let nOld = 0;
    let nYoung = 0;
    for (let i = 0; i < data.age.length; i++) {
      if (data.age[i] > 1) {
        older += alive.get(i)!;
        nOld++;
      } else if (data.age[i] < -1) {
        younger += alive.get(i)!;
        nYoung++;
      }
    }
    expect(older / nOld).toBeLessThan(younger / nYoung);
  });
});
