/**
 * Coverage by simulation, shared by the coverage tests of the prediction intervals: data simulated from known
 * parameters (Fader, Hardie & Lee 2005's CDNOW estimates, weeks; ages 27 … 39 weeks as in CDNOW's cohort), the model
 * refitted, intervals computed, and the share of intervals that cover the TRUE value (the prediction at the true
 * parameters) compared with the stated level: it must lie within level ± 3 binomial standard errors,
 * √(level (1 − level) / R) for R replicates. Replicate k simulates with seed 1000 + k (purchases) and 5000 + k
 * (spend); its draws or bootstrap use seed k.
 */
import { expect } from 'vitest';
import { fitBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import type { PurchaseModel } from '../../src/clv/repeat-models';
import { simulateParetoNbd } from '../../src/clv/simulate-pareto-nbd';
import { predictClv } from '../../src/clv/predict-clv';
import { predictionIntervals } from '../../src/clv/prediction-intervals';
import type { IntervalMethod, IntervalQuantity } from '../../src/clv/prediction-intervals';
import { REPEAT_MODELS } from '../../src/clv/repeat-models';
import { simulateBgNbd } from '../../src/clv/simulate-bg-nbd';
import { simulateGammaGamma } from '../../src/clv/simulate-gamma-gamma';

const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const LEVEL = 0.9;
const CUSTOMERS = 2000;
/** Customers whose predictions are checked: a lapsing one, a regular one, a heavy one. */
const probes = {
  customer: [1, 2, 3],
  frequency: [2, 5, 12],
  recency: [10, 35, 38],
  T: [39, 39, 39],
  monetary: [20, 35, 50],
};
/** The true models: FHL 2005's CDNOW BG/NBD estimates, and the Pareto/NBD ones of the same data. */
const TRUTHS = {
  bgNbd: { kind: 'bgNbd' as const, params: BG },
  paretoNbd: { kind: 'paretoNbd' as const, params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } },
};
type Kind = keyof typeof TRUTHS;

/** The true value of each checked prediction: per probe customer, and the probes' total. */
function trueValues(quantity: IntervalQuantity, kind: Kind): number[] {
  const entry = REPEAT_MODELS[kind];
  const truth = TRUTHS[kind];
  if (quantity === 'clv') {
    const v = Array.from(predictClv(truth, { params: GG }, probes).getChild('clv')!.toArray() as Float64Array);
    return [...v, v.reduce((s, x) => s + x, 0)];
  }
  const v = probes.frequency.map((x, i) =>
    quantity === 'probabilityAlive'
      ? entry.probabilityAlive(truth, x, probes.recency[i], probes.T[i])
      : entry.conditionalExpectedPurchases(truth, x, probes.recency[i], probes.T[i], 39),
  );
  return [...v, v.reduce((s, x) => s + x, 0)];
}

/** Per checked prediction, how many of R replicates' intervals covered the truth. */
export function coverage(
  R: number,
  method: IntervalMethod,
  quantities: IntervalQuantity[],
  draws: number,
  customers = CUSTOMERS,
  kind: Kind = 'bgNbd',
) {
  const ages = Float64Array.from({ length: customers }, (_, i) => 27 + (i % 13));
  const hits = new Map(quantities.map((q) => [q, [0, 0, 0, 0]]));
  const truths = new Map(quantities.map((q) => [q, trueValues(q, kind)]));
  for (let k = 0; k < R; k++) {
    const options = { T: ages, seed: 1000 + k };
    const data = kind === 'bgNbd' ? simulateBgNbd(TRUTHS.bgNbd, options) : simulateParetoNbd(TRUTHS.paretoNbd, options);
    const model = (kind === 'bgNbd' ? fitBgNbd(data) : fitParetoNbd(data)) as PurchaseModel;
    const x = Float64Array.from(data.getChild('frequency')!.toArray() as Float64Array).filter((v) => v > 0);
    const z = Float64Array.from(
      simulateGammaGamma({ params: GG }, { frequency: x, seed: 5000 + k })
        .getChild('monetary')!
        .toArray() as Float64Array,
    );
    const spendModel = fitGammaGamma({ frequency: x, monetary: z });
    for (const quantity of quantities) {
      const r = predictionIntervals(quantity === 'expectedSpend' ? spendModel : model, probes, {
        quantity,
        t: 39,
        spendModel,
        level: LEVEL,
        method,
        seed: k,
        ...(method === 'delta' ? {} : { draws }),
        calibration: {
          frequency: data.getChild('frequency')!.toArray(),
          recency: data.getChild('recency')!.toArray(),
          T: ages,
        },
      });
      const lower = [...(r.table.getChild('lower')!.toArray() as Float64Array), r.total.lower];
      const upper = [...(r.table.getChild('upper')!.toArray() as Float64Array), r.total.upper];
      const t = truths.get(quantity)!;
      const h = hits.get(quantity)!;
      for (let i = 0; i < 4; i++) if (lower[i] <= t[i] && t[i] <= upper[i]) h[i]++;
    }
  }
  return hits;
}

export function expectCoverage(hits: Map<IntervalQuantity, number[]>, R: number) {
  const bound = 3 * Math.sqrt((LEVEL * (1 - LEVEL)) / R);
  const shares: string[] = [];
  for (const [quantity, h] of hits) {
    h.forEach((count, i) => {
      const share = count / R;
      shares.push(`${quantity}[${i < 3 ? `customer ${i + 1}` : 'total'}] ${share.toFixed(3)}`);
    });
  }
  process.stdout.write(`coverage (R = ${R}, bound ±${bound.toFixed(3)}): ${shares.join(', ')}\n`);
  for (const [quantity, h] of hits) {
    h.forEach((count, i) => {
      const share = count / R;
      expect(Math.abs(share - LEVEL), `${quantity} ${i}: ${share}`).toBeLessThanOrEqual(bound);
    });
  }
}
