import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerSummary, droppedRows, rfm, rfmBreaks, sampleStore } from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col, referenceScores } from '../helpers/reference';

/** A per-customer table as rfm accepts it with explicit columns. */
function perCustomer(recency: number[], frequency: number[], monetary: number[]) {
  return { id: recency.map((_, i) => i), rec: recency, freq: frequency, mon: monetary };
}
const columns = { customer: 'id', recency: 'rec', frequency: 'freq', monetary: 'mon' };

describe('rfm', () => {
  it('scores by hand on three customers with bins = 3 (worked in the doc comment)', () => {
    const scored = rfm(
      {
        customer: ['a', 'a', 'b', 'c', 'c', 'c'],
        date: ['2024-01-05', '2024-03-01', '2024-02-10', '2024-01-01', '2024-02-01', '2024-03-10'],
        amount: [20, 30, 15, 10, 40, 60],
      },
      { bins: 3, asOf: '2024-04-01' },
    );
    // recency 31, 51, 22 days; breaks of recency at 1/3, 2/3 (type 7): 28 and 37.67
    expect(col(scored, 'recency')).toEqual([31, 51, 22]);
    expect(col(scored, 'frequency')).toEqual([2, 1, 3]);
    expect(col(scored, 'monetary')).toEqual([50, 15, 110]);
    expect(col(scored, 'score')).toEqual(['222', '111', '333']);
    expect(rfmBreaks(scored).recency[0]).toBeCloseTo(28, 12);
    expect(rfmBreaks(scored).recency[1]).toBeCloseTo(37 + 2 / 3, 12);
  });

  it('agrees with R quantile(type = 7) + findInterval(left.open = TRUE) on random customers (property)', () => {
    const arb = fc
      .integer({ min: 1, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: 0, max: 30 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
          fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: n, maxLength: n }),
          fc.integer({ min: 2, max: 9 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([rec, freq, mon, bins]) => {
        const scored = rfm(perCustomer(rec, freq, mon), { ...columns, bins });
        expect(col(scored, 'r')).toEqual(referenceScores(rec, bins, false));
        expect(col(scored, 'f')).toEqual(referenceScores(freq, bins, true));
        expect(col(scored, 'm')).toEqual(referenceScores(mon, bins, true));
        const scores = col(scored, 'score') as string[];
        const r = col(scored, 'r');
        const f = col(scored, 'f');
        const m = col(scored, 'm');
        scores.forEach((s, i) => expect(s).toBe(`${r[i]}${f[i]}${m[i]}`));
      }),
      { numRuns: 300 },
    );
  });

  it('lets heavy ties share one score: every one-time buyer gets F = 1', () => {
    // 60 % buy once: the 20/40/60 % quantiles of frequency are all 1, so scores 2 and 3 stay unused
    const freq = [...Array(60).fill(1), ...Array(20).fill(2), ...Array(20).fill(3)];
    const scored = rfm(
      perCustomer(
        freq.map(() => 10),
        freq,
        freq.map((f) => f * 10),
      ),
      columns,
    );
    const f = col(scored, 'f') as number[];
    expect(new Set(f.slice(0, 60))).toEqual(new Set([1]));
    expect(new Set(f)).toEqual(new Set(referenceScores(freq, 5, true)));
    expect(f.filter((x) => x === 2 || x === 3)).toEqual([]);
  });

  it('scores all-equal values as r = bins and f = m = 1 (a value equal to a break takes the lower interval)', () => {
    const scored = rfm(perCustomer([5, 5, 5], [2, 2, 2], [9, 9, 9]), columns);
    expect(col(scored, 'r')).toEqual([5, 5, 5]);
    expect(col(scored, 'f')).toEqual([1, 1, 1]);
    expect(col(scored, 'm')).toEqual([1, 1, 1]);
  });

  it('scores one customer', () => {
    const scored = rfm({ customer: ['solo'], date: ['2024-01-01'], amount: [5] });
    expect(col(scored, 'score')).toEqual(['511']);
    expect(col(scored, 'segment')).toHaveLength(1);
  });

  it('uses fixed breaks with right-closed intervals', () => {
    const scored = rfm(perCustomer([30, 31, 60, 200], [1, 2, 3, 10], [0, 100, 100.01, 1e6]), {
      ...columns,
      method: 'fixed',
      breaks: { recency: [30, 60, 90, 180], frequency: [1, 2, 3, 5], monetary: [50, 100, 500, 1000] },
    });
    expect(col(scored, 'r')).toEqual([5, 4, 4, 1]);
    expect(col(scored, 'f')).toEqual([1, 2, 3, 5]);
    expect(col(scored, 'm')).toEqual([1, 2, 3, 5]);
  });

  it('is invariant to the money unit: scaling amounts keeps every score (metamorphic)', () => {
    const { transactions } = sampleStore({ customers: 300, seed: 7 });
    const base = rfm(transactions);
    const amount = transactions.getChild('amount')!.toArray() as Float64Array;
    const scaled = rfm({
      customer: transactions.getChild('customer')!,
      date: transactions.getChild('date')!,
      amount: Float64Array.from(amount, (a) => a * 100),
    });
    expect(col(scaled, 'score')).toEqual(col(base, 'score'));
  });

  it('gives the same scores from transactions and from their customerSummary', () => {
    const { transactions } = sampleStore({ customers: 400, seed: 3 });
    const direct = rfm(transactions);
    const viaSummary = rfm(customerSummary(transactions));
    for (const name of ['customer', 'recency', 'frequency', 'monetary', 'score', 'segment']) {
      expect(col(viaSummary, name)).toEqual(col(direct, name));
    }
  });

  it('gives scores in 1..bins, with 5 the best on each axis (property on sample stores)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 12 }), (seed, bins) => {
        const { transactions } = sampleStore({ customers: 60, seed });
        const scored = rfm(transactions, { bins });
        const rec = col(scored, 'recency') as number[];
        const r = col(scored, 'r') as number[];
        for (const s of [...r, ...(col(scored, 'f') as number[]), ...(col(scored, 'm') as number[])]) {
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(bins);
        }
        // monotone: more recent never scores lower
        for (let i = 0; i < r.length; i++)
          for (let j = 0; j < r.length; j++) if (rec[i] < rec[j]) expect(r[i]).toBeGreaterThanOrEqual(r[j]);
      }),
      { numRuns: 25 },
    );
  });

  it('carries the drop counts of the transactions it read', () => {
    const scored = rfm({
      customer: ['a', null, 'b'],
      date: ['2024-01-01', '2024-01-01', '2024-01-02'],
      amount: [1, 2, 3],
    });
    expect(droppedRows(scored).dropped).toEqual({ nullCustomer: 1 });
  });

  it('writes multi-digit scores with separators when bins > 9 and leaves segments out on request', () => {
    const rec = Array.from({ length: 30 }, (_, i) => i);
    const scored = rfm(perCustomer(rec, rec, rec), { ...columns, bins: 10, segments: false });
    expect(col(scored, 'score')[0]).toBe('10-1-1');
    expect(scored.getChild('segment')).toBeNull();
  });

  describe('bad options', () => {
    const tx = { customer: ['a'], date: ['2024-01-01'], amount: [1] };
    it('bins 1 → INVALID_OPTION', () => expectCode(() => rfm(tx, { bins: 1 }), 'INVALID_OPTION', 'bins'));
    it('bins 2.5 → INVALID_OPTION', () => expectCode(() => rfm(tx, { bins: 2.5 }), 'INVALID_OPTION', 'bins'));
    it('unknown method → INVALID_OPTION', () =>
      expectCode(() => rfm(tx, { method: 'ntile' as never }), 'INVALID_OPTION', 'method'));
    it('fixed without breaks → INVALID_OPTION', () =>
      expectCode(() => rfm(tx, { method: 'fixed' }), 'INVALID_OPTION', 'breaks.recency'));
    it('breaks not ascending → INVALID_OPTION', () =>
      expectCode(() => rfm(tx, { breaks: { monetary: [5, 4, 3, 2] } }), 'INVALID_OPTION', 'breaks.monetary'));
    it('breaks of the wrong length → INVALID_OPTION', () =>
      expectCode(() => rfm(tx, { breaks: { monetary: [1, 2] } }), 'INVALID_OPTION', '4 strictly ascending'));
    it('rfmBreaks of a foreign table → INVALID_INPUT', () =>
      expectCode(() => rfmBreaks(customerSummary(tx)), 'INVALID_INPUT'));
    it('summary input without its columns → MISSING_COLUMN', () =>
      expectCode(() => rfm({ id: [1], rec: [2] }, columns), 'MISSING_COLUMN', '"freq"'));
  });
});
