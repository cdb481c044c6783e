import { describe, expect, it } from 'vitest';
import { predictClv } from '../../src/clv/predict-clv';
import { droppedRows } from '../../src/index';
import { col } from '../helpers/reference';

// Fader, Hardie & Lee (2005) CDNOW estimates (weeks): BG/NBD and Gamma-Gamma
const bg = { kind: 'bgNbd' as const, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
// Fader, Hardie & Lee's Pareto/NBD estimates on the same CDNOW weeks (r, α, s, β)
const pareto = { kind: 'paretoNbd' as const, params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } };

/** BG/NBD P(alive), Fader, Hardie & Lee 2005 eq. (2)/(3) via note 021: 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)). */
function bgAlive(x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = bg.params;
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

/**
 * Pareto/NBD P(alive) by brute force: the share of the likelihood from "alive at T", with the "dropped out at τ in
 * (t_x, T]" part integrated numerically (Simpson, 20,000 panels) instead of by the hypergeometric closed form:
 * alive = (α+T)^-(r+x) (β/(β+T))^s; dead = ∫ s β^s (β+τ)^-(s+1) (α+τ)^-(r+x) dτ (common factors cancel).
 */
function paretoAlive(x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = pareto.params;
  const alive = (alpha + T) ** -(r + x) * (beta / (beta + T)) ** s;
  const f = (t: number) => s * beta ** s * (beta + t) ** -(s + 1) * (alpha + t) ** -(r + x);
  const m = 20_000;
  const h = (T - tx) / m;
  let sum = f(tx) + f(T);
  for (let i = 1; i < m; i++) sum += (i % 2 === 1 ? 4 : 2) * f(tx + i * h);
  const dead = (sum * h) / 3;
  return alive / (alive + dead);
}

// customers of CDNOW-like histories (weeks), a bad row in the middle (t_x > T) that is dropped
const summary = {
  customer: ['a', 'b', 'bad', 'c', 'd'],
  frequency: [2, 0, 1, 7, 1],
  recency: [30.43, 0, 40, 35.5, 2.1],
  T: [38.86, 20, 30, 38.86, 38.86],
  monetary: [22.35, 0, 10, 41.2, 5.5],
};
const kept = [0, 1, 3, 4];

describe('predictClv: the columns that make a row readable', () => {
  it('carries each kept customer’s x, t_x, T and z̄ on its row (a dropped row in the middle shifts nothing)', () => {
    const v = predictClv(bg, gg, summary, { horizon: 52 });
    expect(col(v, 'customer')).toEqual(kept.map((i) => summary.customer[i]));
    expect(col(v, 'frequency')).toEqual(kept.map((i) => summary.frequency[i]));
    expect(col(v, 'recency')).toEqual(kept.map((i) => summary.recency[i]));
    expect(col(v, 'T')).toEqual(kept.map((i) => summary.T[i]));
    expect(col(v, 'monetary')).toEqual(kept.map((i) => summary.monetary[i]));
    expect(droppedRows(v).dropped.invalidValue).toBe(1);
    expect(v.schema.fields.map((f) => f.name)).toEqual([
      'customer',
      'frequency',
      'recency',
      'T',
      'monetary',
      'pAlive',
      'expectedPurchases',
      'expectedSpend',
      'clv',
    ]);
  });

  it('pAlive under BG/NBD equals the closed form of Fader, Hardie & Lee (2005) eq. (2)/(3), written here (1e-12)', () => {
    const v = predictClv(bg, gg, summary, { horizon: 52 });
    const got = col(v, 'pAlive') as number[];
    kept.forEach((i, row) => {
      expect(got[row]).toBeCloseTo(bgAlive(summary.frequency[i], summary.recency[i], summary.T[i]), 12);
    });
    // no repeat purchase: BG/NBD customers drop out only after a purchase
    expect(got[1]).toBe(1);
  });

  it('pAlive under Pareto/NBD equals a numeric integration of the dropout time over (t_x, T] (1e-8)', () => {
    const v = predictClv(pareto, gg, summary, { horizon: 52 });
    const got = col(v, 'pAlive') as number[];
    kept.forEach((i, row) => {
      if (summary.T[i] === summary.recency[i]) return;
      expect(got[row]).toBeCloseTo(paretoAlive(summary.frequency[i], summary.recency[i], summary.T[i]), 8);
    });
  });

  it('a customer long silent since a busy start is less likely alive than a recent one with the same x', () => {
    const v = predictClv(bg, gg, {
      customer: ['old', 'new'],
      frequency: [5, 5],
      recency: [5, 38],
      T: [39, 39],
      monetary: [20, 20],
    });
    const [old, recent] = col(v, 'pAlive') as number[];
    expect(old).toBeLessThan(recent);
    const [eOld, eRecent] = col(v, 'expectedPurchases') as number[];
    expect(eOld).toBeLessThan(eRecent);
  });
});
