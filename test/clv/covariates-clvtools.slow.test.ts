/**
 * BG/NBD and Pareto/NBD with static covariates against CLVTools (R), on CLVTools' apparel data (datasets/README.md):
 * the vignette's set-up, `clvdata(apparelTrans, time.unit = "week", estimation.split = 104)` with
 * `SetStaticCovariates(Gender, Channel)` for both processes. Figures from CLVTools 0.12.1 run in R 4.2.2 (slow: it
 * reads a whole public dataset):
 * - `summary(pnbd(clv.static, start.params.model = c(r = 1, alpha = 2, s = 1, beta = 2), …))` prints
 *   r 1.8386634 (SE 0.3456830), alpha 92.9435164 (16.9749359), s 0.5912862 (0.2602859), beta 49.5055247 (36.1449076),
 *   life.Gender −0.6427911 (0.2955673), life.Channel 0.7901700 (0.3058448), trans.Gender 0.2859760 (0.1041416),
 *   trans.Channel 0.6239414 (0.1049467), LL −5821.0627 (L-BFGS-B, KKT 1 and 2 true);
 * - at fixed parameters, CLVTools' own C++ functions `bgnbd_staticcov_LL_sum`, `pnbd_staticcov_LL_sum`,
 *   `*_staticcov_PAlive` and `*_staticcov_CET` (10 weeks), printed to 15 digits.
 * CLVTools' life covariates are our `attrition`, its trans covariates our `purchase`, with the same signs.
 */
import { describe, expect, it } from 'vitest';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { covariateColumns, readCovariateGroups } from '../../src/clv/covariates';
import {
  bgNbdWithCovariatesLogLikelihoodGradient,
  fitBgNbdWithCovariates,
  predictBgNbdWithCovariates,
} from '../../src/clv/covariates-bg-nbd';
import {
  fitParetoNbdWithCovariates,
  paretoNbdWithCovariatesLogLikelihood,
  predictParetoNbdWithCovariates,
} from '../../src/clv/covariates-pareto-nbd';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

function apparel() {
  const rows = readLines(dataset('apparelTrans.csv')!)
    .slice(1)
    .map((l) => l.split(','));
  const tx = { customer: rows.map((r) => r[0]), date: rows.map((r) => r[1]), amount: rows.map((r) => Number(r[2])) };
  const summary = summaryFromTransactions(tx, { calibrationEnd: '2006-12-31', unit: 'week' });
  const covariates = new Map(
    readLines(dataset('apparelStaticCov.csv')!)
      .slice(1)
      .map((l) => l.split(','))
      .map((f) => [f[0], [Number(f[1]), Number(f[2])]] as const),
  );
  const customer = Array.from(summary.getChild('customer')!, String);
  return {
    customer,
    frequency: Array.from(summary.getChild('frequency')!) as number[],
    recency: Array.from(summary.getChild('recency')!) as number[],
    T: Array.from(summary.getChild('T')!) as number[],
    Gender: customer.map((c) => covariates.get(c)![0]),
    Channel: customer.map((c) => covariates.get(c)![1]),
  };
}

const data = apparel();
const both = { purchase: ['Gender', 'Channel'], attrition: ['Gender', 'Channel'] };
const row = (id: string) => data.customer.indexOf(id);

describe('CLVTools 0.12.1 on its apparel data (estimation split 104 weeks, Gender and Channel on both processes)', () => {
  it('the summary is CLVTools’ CBS: 600 customers; Id 1 x 6, t.x 93.2857142857143, T.cal 104; Id 10 x 2, t.x 99.5714285714286', () => {
    expect(data.customer.length).toBe(600);
    expect(data.frequency[row('1')]).toBe(6);
    expect(data.recency[row('1')]).toBeCloseTo(93.2857142857143, 12);
    expect(data.T[row('1')]).toBeCloseTo(104, 12);
    expect(data.frequency[row('10')]).toBe(2);
    expect(data.recency[row('10')]).toBeCloseTo(99.5714285714286, 12);
  });

  it('fitParetoNbdWithCovariates reproduces pnbd(): LL −5821.0627, every estimate within 0.02 standard errors, standard errors within 1 %', () => {
    const fit = fitParetoNbdWithCovariates(data, both);
    const published: Record<string, [number, number]> = {
      r: [1.8386634, 0.345683],
      alpha: [92.9435164, 16.9749359],
      s: [0.5912862, 0.2602859],
      beta: [49.5055247, 36.1449076],
      'attrition.Gender': [-0.6427911, 0.2955673],
      'attrition.Channel': [0.79017, 0.3058448],
      'purchase.Gender': [0.285976, 0.1041416],
      'purchase.Channel': [0.6239414, 0.1049467],
    };
    expect(Math.abs(fit.logLikelihood - -5821.0627)).toBeLessThan(5e-5);
    for (const [name, [estimate, se]] of Object.entries(published)) {
      expect(Math.abs(fit.params[name] - estimate) / se, name).toBeLessThan(0.02);
      expect(Math.abs(fit.standardErrors[name] / se - 1), name).toBeLessThan(0.01);
    }
  });

  it('BG/NBD: like bgnbd() (a 1,222.8, b 9,043.8, SE 33,469 and 247,641, LL −5839.8635) it finds no interior maximum: NOT_CONVERGED, and allowed, a higher LL along the same ridge', () => {
    const options = { purchase: ['Gender', 'Channel'], attrition: ['Gender', 'Channel'] };
    expectCode(() => fitBgNbdWithCovariates(data, options), 'NOT_CONVERGED');
    const fit = fitBgNbdWithCovariates(data, { ...options, allowNonConvergence: true, allowUnidentified: true });
    expect(fit.converged).toBe(false);
    expect(fit.logLikelihood).toBeGreaterThan(-5839.8635);
    expect(fit.logLikelihood).toBeLessThan(-5839.8);
    expect(fit.params.a).toBeGreaterThan(1222.8);
    // the ridge: the mean drop-out probability a/(a + b) of a male online customer stays near CLVTools' 0.1191
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(
      1222.8163504772 / (1222.8163504772 + 9043.782246918),
      2,
    );
  });

  it('the log-likelihoods equal CLVTools’ bgnbd_staticcov_LL_sum (−5850.1901857028) and pnbd_staticcov_LL_sum (−5822.9229722501) at fixed parameters (1e-10)', () => {
    const groups = readCovariateGroups(data, {}, covariateColumns(both, 'test'), 'test');
    // (r, α, a, b, trans Gender, trans Channel, life Gender, life Channel)
    const bg = bgNbdWithCovariatesLogLikelihoodGradient(groups)(
      [0.7, 40, 0.8, 3, 0.45, 0.55, -0.3, 0.4],
      new Float64Array(8),
    );
    expect(Math.abs(bg / -5850.1901857028 - 1)).toBeLessThan(1e-10);
    const pareto = paretoNbdWithCovariatesLogLikelihood(groups)([1.5, 80, 0.6, 50, 0.3, 0.6, -0.6, 0.8]);
    expect(Math.abs(pareto / -5822.9229722501 - 1)).toBeLessThan(1e-10);
  });

  it('P(alive) and expected purchases in 10 weeks equal CLVTools’ staticcov PAlive and CET (sums over 600 customers and three customers, 1e-9)', () => {
    const bgModel = {
      params: {
        r: 0.7,
        alpha: 40,
        a: 0.8,
        b: 3,
        'purchase.Gender': 0.45,
        'purchase.Channel': 0.55,
        'attrition.Gender': -0.3,
        'attrition.Channel': 0.4,
      },
      covariates: both,
    };
    const paretoModel = {
      params: {
        r: 1.5,
        alpha: 80,
        s: 0.6,
        beta: 50,
        'purchase.Gender': 0.3,
        'purchase.Channel': 0.6,
        'attrition.Gender': -0.6,
        'attrition.Channel': 0.8,
      },
      covariates: both,
    };
    const values = {
      bgAlive: predictBgNbdWithCovariates(bgModel, data, { quantity: 'probabilityAlive' }),
      bgCet: predictBgNbdWithCovariates(bgModel, data, { quantity: 'conditionalExpectedPurchases', t: 10 }),
      paretoAlive: predictParetoNbdWithCovariates(paretoModel, data, { quantity: 'probabilityAlive' }),
      paretoCet: predictParetoNbdWithCovariates(paretoModel, data, { quantity: 'conditionalExpectedPurchases', t: 10 }),
    };
    const sums = {
      bgAlive: 441.31743257319,
      bgCet: 87.3491783528623,
      paretoAlive: 315.257215166051,
      paretoCet: 88.8746133703827,
    };
    const customers: Record<string, Record<keyof typeof sums, number>> = {
      '1': {
        bgAlive: 0.856258138612646,
        bgCet: 0.3899833735487094,
        paretoAlive: 0.947008746098596,
        paretoCet: 0.3787392626953436,
      },
      '10': {
        bgAlive: 0.831926379510051,
        bgCet: 0.1704923750938811,
        paretoAlive: 0.985647194065596,
        paretoCet: 0.2081349077590745,
      },
      '100': { bgAlive: 1, bgCet: 0.0533259072140876, paretoAlive: 0.417669113735962, paretoCet: 0.0377988868566973 },
    };
    for (const key of Object.keys(sums) as (keyof typeof sums)[]) {
      let total = 0;
      for (const v of values[key]) total += v!;
      expect(Math.abs(total / sums[key] - 1), key).toBeLessThan(1e-9);
      for (const [id, expected] of Object.entries(customers)) {
        expect(Math.abs(values[key].get(row(id))! - expected[key]), `${key} of ${id}`).toBeLessThan(
          1e-9 * Math.max(1e-3, expected[key]),
        );
      }
    }
  });
});
