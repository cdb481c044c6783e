import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases,
  expectedCumulativeTransactions,
  fitBgNbd,
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  sampleStore,
  summaryFromTransactions,
} from '../../src/index';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

/**
 * Tracking curves of a cohort with staggered first purchases, against the figures BTYD's walkthrough prints for the
 * 2,357 CDNOW customers (D. McCarthy & E. Wadsworth, "Buy 'Til You Die — a walkthrough", BTYD 2.4.3, §3.4 and §4.4:
 * `pnbd.PlotTrackingCum` / `bgnbd.PlotTrackingInc` … `[,20:25]`), against lifetimes' own test of
 * `expected_cumulative_transactions` (tests/test_utils.py, `test_expected_cumulative_transactions_date_index`), and
 * against a brute-force sum of the per-customer expectations written here from the raw log.
 */

type Log = { customer: number[]; date: number[]; amount: number[] };

function cdnowLog(): Log {
  const rows = readLines(dataset('CDNOW_sample.txt')).map((l) => l.trim().split(/\s+/));
  return {
    customer: rows.map((r) => Number(r[1])),
    date: rows.map((r) => Number(r[2])),
    amount: rows.map((r) => Number(r[4])),
  };
}

const column = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);
const weeks20to25 = (t: Table, name: string) => column(t, name).slice(19, 25);

/** BTYD's printed BG/NBD estimates on CDNOW (walkthrough §4.2, `bgnbd.EstimateParameters(cal.cbs)`). */
const BTYD_BG = { kind: 'bgNbd' as const, params: { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 } };

describe('expectedCumulativeTransactions on CDNOW: the BTYD walkthrough', () => {
  let log: Log;
  beforeAll(() => {
    log = cdnowLog();
  });

  it('BG/NBD weeks 20–25 equal BTYD bgnbd.PlotTrackingCum / PlotTrackingInc (cumulative ±0.002, weekly ±1e-4) and the actual counts exactly', () => {
    const curve = expectedCumulativeTransactions(BTYD_BG, log);
    expect(curve.numRows).toBe(78);
    const cumulative = [1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6];
    const weekly = [76.86531, 74.88843, 73.04554, 71.32166, 69.70412, 68.18213];
    // BTYD prints 7 significant digits of its parameters: the last cumulative digit moves by about 1e-3
    weeks20to25(curve, 'expectedCumulative').forEach((v, j) => expect(Math.abs(v - cumulative[j])).toBeLessThan(2e-3));
    weeks20to25(curve, 'expected').forEach((v, j) => expect(Math.abs(v - weekly[j])).toBeLessThan(1e-4));
    expect(weeks20to25(curve, 'actualCumulative')).toEqual([1359, 1414, 1484, 1517, 1573, 1672]);
    expect(weeks20to25(curve, 'actual')).toEqual([73, 55, 70, 33, 56, 99]);
    expect(curve.schema.metadata.get('clientele.customers')).toBe('2357');
    expect(curve.schema.metadata.get('clientele.start')).toBe('1997-01-01');
  });

  it('Pareto/NBD fitted on the 39-week calibration matches BTYD pnbd.PlotTrackingCum (±0.1) and PlotTrackingInc (±0.02), rounded as lifetimes asserts', () => {
    const summary = summaryFromTransactions(log, { calibrationEnd: '1997-09-30' });
    const model = fitParetoNbd(summary);
    // BTYD's optimiser stops at β = 11.656 (walkthrough §3.2), ours at 11.669 (FHL 2005), on the same −9,594.976
    expect(model.logLikelihood).toBeCloseTo(-9594.976, 2);
    const curve = expectedCumulativeTransactions(model, log);
    const cumulative = [1308.856, 1385.275, 1459.923, 1532.906, 1604.32, 1674.253];
    const weekly = [78.308, 76.419, 74.648, 72.983, 71.414, 69.933];
    weeks20to25(curve, 'expectedCumulative').forEach((v, j) => expect(Math.abs(v - cumulative[j])).toBeLessThan(0.1));
    weeks20to25(curve, 'expected').forEach((v, j) => expect(Math.abs(v - weekly[j])).toBeLessThan(0.02));
    // lifetimes tests/test_utils.py: test_expected_cumulative_transactions_equals_r_btyd_walktrough
    expect(weeks20to25(curve, 'expectedCumulative').map(Math.round)).toEqual([1309, 1385, 1460, 1533, 1604, 1674]);
  });

  it('lifetimes test_expected_cumulative_transactions_date_index: BG/NBD fitted in days, days 11–14 (±0.005)', () => {
    const summary = summaryFromTransactions(log, { calibrationEnd: '1997-09-30', unit: 'day' });
    const model = fitBgNbd(summary);
    const curve = expectedCumulativeTransactions(model, log, { periods: 14 });
    const expected = [10.67, 12.67, 14.87, 17.24];
    column(curve, 'expectedCumulative')
      .slice(10)
      .forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(5e-3));
    expect(column(curve, 'actualCumulative').slice(10)).toEqual([11, 12, 15, 19]);
    expect(curve.schema.metadata.get('clientele.unit')).toBe('day');
  });

  it("a summary gives BTYD's T.cal input: the same expected curve as the log (1e-9), without actual columns", () => {
    const summary = summaryFromTransactions(log, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    const fromSummary = expectedCumulativeTransactions(BTYD_BG, summary);
    const fromLog = expectedCumulativeTransactions(BTYD_BG, log, { calibrationEnd: '1997-09-30' });
    expect(fromSummary.numRows).toBe(78);
    const a = column(fromSummary, 'expectedCumulative');
    column(fromLog, 'expectedCumulative').forEach((v, k) => expect(Math.abs(a[k] - v)).toBeLessThan(1e-9 * v + 1e-12));
    expect(fromSummary.getChild('actual')).toBeNull();
    expect(fromSummary.schema.metadata.get('clientele.calibrationTime')).toBe('39');
    expect(fromLog.schema.metadata.get('clientele.calibrationTime')).toBe('39');
    expect(fromSummary.schema.metadata.get('clientele.start')).toBe('1997-01-01');
    // the actual curve at the calibration end (week 39) and the holdout end (week 78) adds up the summary's x and x*
    const sum = (name: string) => column(summary, name).reduce((s, v) => s + v, 0);
    const actual = column(fromLog, 'actualCumulative');
    expect(actual[38]).toBe(sum('frequency'));
    expect(actual[77] - actual[38]).toBe(sum('frequencyHoldout'));
  });
});

/** Days since 1970 of a yyyymmdd number or an ISO string, written here apart from the library's date reader. */
function dayOf(d: number | string): number {
  const s = String(d).replace(/-/g, '');
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))) / 86_400_000;
}

/** The tracking curve by brute force: each customer's E[X(t_k − sᵢ)] summed one by one, and the repeat days counted. */
function bruteForce(
  log: { customer: unknown[]; date: (number | string)[] },
  expectedPurchases: (t: number) => number,
  per: number,
  periods: number,
  length: number,
) {
  const days = new Map<unknown, Set<number>>();
  log.customer.forEach((c, i) => {
    const set = days.get(c) ?? new Set<number>();
    set.add(dayOf(log.date[i]));
    days.set(c, set);
  });
  const firsts = [...days.values()].map((s) => Math.min(...s));
  const origin = Math.min(...firsts);
  const expected: number[] = [];
  const actual: number[] = [];
  for (let k = 1; k <= periods; k++) {
    const t = k * length;
    let e = 0;
    for (const first of firsts) {
      const s = (first - origin) / per;
      if (s < t) e += expectedPurchases(t - s);
    }
    expected.push(e);
    let a = 0;
    for (const set of days.values()) {
      const first = Math.min(...set);
      for (const d of set) if (d !== first && (d - origin) / per < t) a++;
    }
    actual.push(a);
  }
  return { expected, actual };
}

describe('expectedCumulativeTransactions against a brute-force sum', () => {
  const store = sampleStore({ customers: 150, seed: 5 });
  const tx = store.transactions;
  const log = {
    customer: Array.from(tx.getChild('customer')!.toArray() as ArrayLike<unknown>, (v) => v),
    date: Array.from({ length: tx.numRows }, (_, i) => tx.getChild('date')!.get(i) as number),
  };

  it('BG/NBD and Pareto/NBD, weeks and days, periods of 1 and 2.5 units: every cumulative value to 1e-9 relative', () => {
    // the brute force reads dates itself: give it the table's dates as ISO strings
    const iso = log.date.map((d) => new Date(d).toISOString().slice(0, 10));
    const bg = { kind: 'bgNbd' as const, params: { r: 0.6, alpha: 9, a: 0.8, b: 3 } };
    const pareto = { kind: 'paretoNbd' as const, params: { r: 0.6, alpha: 9, s: 0.7, beta: 12 } };
    const cases = [
      { model: bg, e: (t: number) => bgNbdExpectedPurchases(bg, t), unit: 'week' as const, per: 7, length: 1 },
      {
        model: pareto,
        e: (t: number) => paretoNbdExpectedPurchases(pareto, t),
        unit: 'week' as const,
        per: 7,
        length: 2.5,
      },
      { model: bg, e: (t: number) => bgNbdExpectedPurchases(bg, t), unit: 'day' as const, per: 1, length: 10 },
    ];
    for (const c of cases) {
      const curve = expectedCumulativeTransactions(c.model, tx, { unit: c.unit, periodLength: c.length, periods: 30 });
      const ref = bruteForce({ customer: log.customer, date: iso }, c.e, c.per, 30, c.length);
      const got = column(curve, 'expectedCumulative');
      ref.expected.forEach((v, k) => expect(Math.abs(got[k] - v)).toBeLessThanOrEqual(1e-9 * v + 1e-12));
      expect(column(curve, 'actualCumulative')).toEqual(ref.actual);
      expect(column(curve, 'time')).toEqual(Array.from({ length: 30 }, (_, k) => (k + 1) * c.length));
    }
  });

  it('is non-decreasing, incremental values sum to the cumulative ones, and the input is not mutated', () => {
    const model = { kind: 'bgNbd' as const, params: { r: 0.6, alpha: 9, a: 0.8, b: 3 } };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.2, max: 6, noNaN: true }), (periods, length) => {
        const curve = expectedCumulativeTransactions(model, tx, { periods, periodLength: length });
        const cum = column(curve, 'expectedCumulative');
        const inc = column(curve, 'expected');
        let s = 0;
        for (let k = 0; k < periods; k++) {
          s += inc[k];
          expect(Math.abs(s - cum[k])).toBeLessThanOrEqual(1e-9 * cum[k] + 1e-12);
          if (k > 0) expect(cum[k]).toBeGreaterThanOrEqual(cum[k - 1]);
        }
      }),
      { numRuns: 25 },
    );
    const frozen = Object.freeze({
      customer: Object.freeze([1, 1, 2]),
      date: Object.freeze(['2024-01-01', '2024-01-09', '2024-01-03']),
    });
    expect(() => expectedCumulativeTransactions(model, frozen)).not.toThrow();
  });

  it('periods of length 2 are every other period of length 1 (metamorphic)', () => {
    const model = { kind: 'paretoNbd' as const, params: { r: 0.6, alpha: 9, s: 0.7, beta: 12 } };
    const one = column(expectedCumulativeTransactions(model, tx, { periods: 40 }), 'expectedCumulative');
    const two = column(
      expectedCumulativeTransactions(model, tx, { periods: 20, periodLength: 2 }),
      'expectedCumulative',
    );
    two.forEach((v, k) => expect(v).toBeCloseTo(one[2 * k + 1], 9));
  });

  it('leaves out customers first buying after calibrationEnd, and counts them', () => {
    const model = { kind: 'bgNbd' as const, params: { r: 0.6, alpha: 9, a: 0.8, b: 3 } };
    const t = {
      customer: [1, 1, 2, 2, 3],
      date: ['2024-01-01', '2024-01-20', '2024-01-03', '2024-02-01', '2024-03-01'],
    };
    const curve = expectedCumulativeTransactions(model, t, { calibrationEnd: '2024-01-31' });
    expect(curve.schema.metadata.get('clientele.acquiredLater')).toBe('1');
    expect(curve.schema.metadata.get('clientele.customers')).toBe('2');
    expect(column(curve, 'actual').reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe('expectedCumulativeTransactions refuses', () => {
  const t = { customer: [1, 1, 2], date: ['2024-01-01', '2024-01-10', '2024-01-08'] };
  const model = { kind: 'bgNbd' as const, params: { r: 0.6, alpha: 9, a: 0.8, b: 3 } };

  it('a model of no known kind, bad parameters and bad options', () => {
    expectCode(() => expectedCumulativeTransactions({ params: { r: 1 } }, t), 'INVALID_OPTION', 'fitBgNbd');
    expectCode(() => expectedCumulativeTransactions({ kind: 'bgNbd', params: { r: -1 } }, t), 'INVALID_VALUE', 'r');
    expectCode(() => expectedCumulativeTransactions(model, t, { periods: 0 }), 'INVALID_OPTION', 'periods');
    expectCode(() => expectedCumulativeTransactions(model, t, { periodLength: -1 }), 'INVALID_OPTION', 'periodLength');
    expectCode(() => expectedCumulativeTransactions(model, t, { unit: 'month' as never }), 'INVALID_OPTION', 'unit');
    expectCode(() => expectedCumulativeTransactions(model, t, { perods: 3 } as never), 'INVALID_OPTION', 'periods');
  });

  it('a unit that differs from the model’s, and log options on a summary', () => {
    const daily = { ...model, unit: 'day' };
    expectCode(() => expectedCumulativeTransactions(daily, t, { unit: 'week' }), 'INVALID_OPTION', 'day', 'week');
    const summary = summaryFromTransactions(t);
    expectCode(() => expectedCumulativeTransactions(daily, summary), 'INVALID_OPTION', 'day', 'week');
    expectCode(() => expectedCumulativeTransactions(model, summary, { customer: 'id' }), 'INVALID_OPTION', 'customer');
  });

  it('a log without rows or columns', () => {
    expectCode(() => expectedCumulativeTransactions(model, { customer: [], date: [] }), 'EMPTY_INPUT');
    expectCode(() => expectedCumulativeTransactions(model, { id: [1] }), 'MISSING_COLUMN', 'customer');
    expectCode(
      () => expectedCumulativeTransactions(model, t, { calibrationEnd: '2023-01-01' }),
      'EMPTY_INPUT',
      'calibrationEnd',
    );
  });
});
