import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleStage } from '../../src/clv/lifecycle-stage';
import { droppedRows, sampleStore } from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col, day } from '../helpers/reference';

/** The documented rules, applied with plain filters over each customer's purchase days. */
function referenceStage(purchases: { d: number; v: number }[], asOf: number, w = 180): string {
  const byDay = new Map<number, number>();
  for (const p of purchases) byDay.set(p.d, (byDay.get(p.d) ?? 0) + p.v);
  const ds = [...byDay.keys()].sort((a, b) => a - b);
  const first = ds[0];
  const last = ds[ds.length - 1];
  if (asOf - last > 365) return 'Churned';
  if (asOf - first <= 90) return 'Exploration';
  const inWindow = (lo: number, hi: number) => ds.filter((d) => d > lo && d <= hi);
  const recent = inWindow(asOf - w, asOf);
  const earlier = inWindow(asOf - 2 * w, asOf - w);
  const exposure = (lo: number, hi: number) => Math.max(0, hi - Math.max(first - 1, lo));
  const re = exposure(asOf - w, asOf);
  const ee = exposure(asOf - 2 * w, asOf - w);
  const trend = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : 1);
  const rate = (x: number, e: number) => (e > 0 ? x / e : 0);
  const sum = (xs: number[]) => xs.reduce((s, d) => s + byDay.get(d)!, 0);
  const f = trend(rate(recent.length, re), rate(earlier.length, ee));
  const v = trend(rate(sum(recent), re), rate(sum(earlier), ee));
  if (f <= 0.75 || v <= 0.75) return 'Decline';
  if (f >= 1.25 || v >= 1.25) return 'Formation';
  return 'Stability';
}

describe('lifecycleStage', () => {
  it('applies the documented rules by hand: new, re-activated, churned, declining, stable', () => {
    const asOf = '2024-07-01';
    const s = lifecycleStage(
      {
        customer: ['new', 'back', 'back', 'gone', 'down', 'down', 'down', 'down', 'flat', 'flat', 'flat'],
        date: [
          '2024-06-20',
          '2023-01-10',
          '2024-06-01',
          '2023-02-01',
          '2023-08-01',
          '2023-09-01',
          '2023-10-01',
          '2024-05-01',
          '2023-06-01',
          '2023-10-01',
          '2024-04-01',
        ],
        amount: [10, 20, 30, 5, 10, 10, 10, 10, 50, 50, 50],
      },
      { asOf },
    );
    expect(col(s, 'stage')).toEqual(['Exploration', 'Formation', 'Churned', 'Decline', 'Stability']);
    expect(col(s, 'tenure')[0]).toBe(day(asOf) - day('2024-06-20'));
  });

  it('equals the rules applied by brute force on random logs (property)', () => {
    const purchase = fc.record({
      c: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      d: fc.integer({ min: 0, max: 900 }),
      v: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(purchase, { minLength: 1, maxLength: 60 }), (ps) => {
        const base = 19_000;
        const asOf = base + 901;
        const s = lifecycleStage(
          { customer: ps.map((p) => p.c), date: ps.map((p) => base + p.d), amount: ps.map((p) => p.v) },
          { asOf: asOf, dateUnit: 'day' },
        );
        const customers = col(s, 'customer') as string[];
        const stages = col(s, 'stage') as string[];
        customers.forEach((c, k) => {
          const mine = ps.filter((p) => p.c === c).map((p) => ({ d: base + p.d, v: p.v }));
          expect(stages[k]).toBe(referenceStage(mine, asOf));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives every customer of a sample store a stage; new customers early on, churned ones late', () => {
    const { transactions } = sampleStore({ customers: 2000, seed: 4 }); // 2023-01-01 … 2024-12-30
    const late = lifecycleStage(transactions);
    expect(late.numRows).toBe(2000);
    expect(new Set(col(late, 'stage'))).toEqual(new Set(['Formation', 'Stability', 'Decline', 'Churned']));
    const early = lifecycleStage(transactions, { asOf: '2023-06-01' });
    expect(col(early, 'stage')).toContain('Exploration');
    expect(col(early, 'stage')).not.toContain('Churned'); // nobody can be 365 days silent five months in
    const report = droppedRows(early);
    expect(report.dropped.afterAsOf).toBe(report.total);
    expect(report.total).toBeGreaterThan(0);
  });

  it('rejects bad thresholds', () => {
    const tx = { customer: ['a'], date: ['2024-01-01'], amount: [1] };
    expectCode(() => lifecycleStage(tx, { window: 0 }), 'INVALID_OPTION', 'window');
    expectCode(() => lifecycleStage(tx, { growth: 0.9 }), 'INVALID_OPTION', 'decline < 1 < growth');
    expectCode(() => lifecycleStage(tx, { asOf: 'later' }), 'INVALID_VALUE', 'asOf');
  });
});
