import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { droppedRows } from '../../src/index';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

const sample = dataset('CDNOW_sample.txt');
const published = dataset('cdnow_customers_summary.csv');

describe('summaryFromTransactions reproduces the published CDNOW summary (Fader, Hardie & Lee 2005)', () => {
  it('x, t_x, T and zbar of all 2,357 customers equal cdnow_customers_summary.csv to its 2 decimals', () => {
    const rows = readLines(sample!).map((l) => l.trim().split(/\s+/));
    const s = summaryFromTransactions(
      {
        customer: rows.map((r) => Number(r[1])),
        date: rows.map((r) => Number(r[2])),
        amount: rows.map((r) => Number(r[4])),
      },
      { calibrationEnd: '1997-09-30', unit: 'week' },
    );
    const expected = readLines(published!)
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(s.numRows).toBe(2357);
    const id = col(s, 'customer') as number[];
    const x = col(s, 'frequency') as number[];
    const tx = col(s, 'recency') as number[];
    const T = col(s, 'T') as number[];
    const zbar = col(s, 'monetary') as number[];
    const byId = new Map(id.map((c, k) => [c, k]));
    let mismatches = 0;
    for (const [cid, ex, et, eT, ez] of expected) {
      const k = byId.get(cid)!;
      if (
        x[k] !== ex ||
        Math.abs(tx[k] - et) > 0.0051 ||
        Math.abs(T[k] - eT) > 0.0051 ||
        Math.abs(zbar[k] - ez) > 0.0051
      )
        mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('summaryFromTransactions', () => {
  it('counts one purchase per day (values summed) and measures time in weeks', () => {
    const s = summaryFromTransactions(
      {
        customer: ['a', 'a', 'a', 'a'],
        date: ['2024-01-01', '2024-01-15', '2024-01-15', '2024-01-29'],
        amount: [5, 10, 20, 6],
      },
      { calibrationEnd: '2024-02-12' },
    );
    expect(col(s, 'frequency')).toEqual([2]);
    expect(col(s, 'recency')).toEqual([4]);
    expect(col(s, 'T')).toEqual([6]);
    expect(col(s, 'monetary')).toEqual([18]); // (30 + 6) / 2
  });

  it('splits calibration and holdout and leaves out customers acquired later (counted)', () => {
    const s = summaryFromTransactions(
      {
        customer: ['a', 'a', 'a', 'b', 'c'],
        date: ['2024-01-01', '2024-01-08', '2024-02-05', '2024-01-03', '2024-02-01'],
        amount: [1, 2, 3, 4, 5],
      },
      { calibrationEnd: '2024-01-29', holdoutEnd: '2024-02-26', unit: 'day' },
    );
    expect(col(s, 'customer')).toEqual(['a', 'b']);
    expect(col(s, 'frequency')).toEqual([1, 0]);
    expect(col(s, 'frequencyHoldout')).toEqual([1, 0]);
    expect(col(s, 'monetaryHoldout')).toEqual([3, 0]);
    expect(col(s, 'durationHoldout')).toEqual([28, 28]);
    expect(col(s, 'T')).toEqual([28, 26]);
    expect(s.schema.metadata.get('clientele.acquiredLater')).toBe('1');
  });

  it('matches a brute-force per-customer computation on random logs (property)', () => {
    const row = fc.record({
      c: fc.constantFrom('a', 'b', 'c', 'd'),
      d: fc.integer({ min: 0, max: 60 }),
      v: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 60 }), (rows, end) => {
        const base = 19_000;
        const perCustomer = new Map<string, Map<number, number>>();
        for (const r of rows) {
          const m = perCustomer.get(r.c) ?? new Map<number, number>();
          m.set(r.d, (m.get(r.d) ?? 0) + r.v);
          perCustomer.set(r.c, m);
        }
        const expected = [...perCustomer]
          .map(([c, m]) => {
            const daysSorted = [...m.keys()].sort((a, b) => a - b);
            const first = daysSorted[0];
            const repeats = daysSorted.filter((d) => d > first && d <= end);
            return {
              c,
              first,
              x: repeats.length,
              tx: repeats.length ? repeats[repeats.length - 1] - first : 0,
              T: end - first,
              z: repeats.length ? repeats.reduce((s, d) => s + m.get(d)!, 0) / repeats.length : 0,
            };
          })
          .filter((e) => e.first <= end);
        const call = () =>
          summaryFromTransactions(
            { customer: rows.map((r) => r.c), date: rows.map((r) => base + r.d), amount: rows.map((r) => r.v) },
            { calibrationEnd: base + end, dateUnit: 'day', unit: 'day', holdoutEnd: base + 60 },
          );
        if (expected.length === 0) {
          expectCode(call, 'EMPTY_INPUT');
          return;
        }
        const s = call();
        const ids = col(s, 'customer') as string[];
        const byC = new Map(expected.map((e) => [e.c, e]));
        expect(new Set(ids)).toEqual(new Set(byC.keys()));
        ids.forEach((c, k) => {
          const e = byC.get(c)!;
          expect(col(s, 'frequency')[k]).toBe(e.x);
          expect(col(s, 'recency')[k]).toBe(e.tx);
          expect(col(s, 'T')[k]).toBe(e.T);
          expect(col(s, 'monetary')[k] as number).toBeCloseTo(e.z, 10);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('counts dropped rows and rejects bad options', () => {
    const s = summaryFromTransactions(
      { customer: ['a', null, 'a'], date: ['2024-01-01', '2024-01-02', '2024-03-01'], amount: [1, 2, 3] },
      { calibrationEnd: '2024-02-01' },
    );
    expect(droppedRows(s).dropped).toEqual({ nullCustomer: 1, afterAsOf: 1 });
    expectCode(
      () => summaryFromTransactions({ customer: ['a'], date: ['2024-01-01'], amount: [1] }, { unit: 'month' as never }),
      'INVALID_OPTION',
      'unit',
    );
    expectCode(
      () =>
        summaryFromTransactions(
          { customer: ['a'], date: ['2024-01-01'], amount: [1] },
          { calibrationEnd: '2024-02-01', holdoutEnd: '2024-01-15' },
        ),
      'INVALID_VALUE',
      'holdoutEnd',
    );
  });
});
