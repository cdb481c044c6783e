import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { droppedRows, fitBgBb } from '../../src/index';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
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

/**
 * lifetimes' published frames (CamDavidsonPilon/lifetimes, tests/test_utils.py): the fixtures
 * `large_transaction_level_data` (with and without `monetary_value`) and `transaction_level_data`, summarised by
 * `summary_data_from_transaction_data` and `calibration_and_holdout_data` with `freq='W'` and `freq='D'`.
 */
const LARGE: [number, string, number][] = [
  [1, '2015-01-01', 1],
  [1, '2015-02-06', 2],
  [2, '2015-01-01', 2],
  [3, '2015-01-01', 3],
  [3, '2015-01-02', 1],
  [3, '2015-01-05', 5],
  [4, '2015-01-16', 6],
  [4, '2015-02-02', 3],
  [4, '2015-02-05', 3],
  [5, '2015-01-16', 3],
  [5, '2015-01-17', 1],
  [5, '2015-01-18', 8],
  [6, '2015-02-02', 5],
];
const large = {
  customer: LARGE.map((r) => r[0]),
  date: LARGE.map((r) => r[1]),
  amount: LARGE.map((r) => r[2]),
};

/** The summary's rows keyed by customer: [frequency, recency, T, …the named extra columns]. */
function rowsOf(s: ReturnType<typeof summaryFromTransactions>, ...extra: string[]): Map<unknown, number[]> {
  const names = ['frequency', 'recency', 'T', ...extra];
  const columns = names.map((n) => col(s, n) as number[]);
  return new Map((col(s, 'customer') as unknown[]).map((c, i) => [c, columns.map((v) => v[i])]));
}

describe("summaryFromTransactions with calendar periods reproduces lifetimes' tests/test_utils.py", () => {
  it("freq='W': test_summary_date_from_transaction_data_with_specific_non_daily_frequency (exact)", () => {
    const s = summaryFromTransactions(large, { calendar: 'week', calibrationEnd: '2015-02-07' });
    expect(rowsOf(s)).toEqual(
      new Map([
        [1, [1, 5, 5]],
        [2, [0, 0, 5]],
        [3, [1, 1, 5]],
        [4, [1, 3, 3]],
        [5, [0, 0, 3]],
        [6, [0, 0, 0]],
      ]),
    );
    expect(s.schema.metadata.get('clientele.unit')).toBe('calendar week');
  });

  it("freq='W' with monetary values: the weekly totals of test_find_first_transactions_with_monetary_values_with_specific_non_daily_frequency, averaged over repeat weeks", () => {
    // lifetimes' frame: (id, week, total, first) — 1: 1 first, 2; 3: 4 first, 5; 4: 6 first, 6; 5: 12 first; 2, 6: first only
    const repeatTotals = new Map<number, number[]>([
      [1, [2]],
      [2, []],
      [3, [5]],
      [4, [6]],
      [5, []],
      [6, []],
    ]);
    const s = summaryFromTransactions(large, { calendar: 'week', calibrationEnd: '2015-02-07' });
    const got = rowsOf(s, 'monetary');
    for (const [id, totals] of repeatTotals) {
      const mean = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0;
      expect(got.get(id)![3], `customer ${id}`).toBe(mean);
      expect(got.get(id)![0]).toBe(totals.length);
    }
  });

  it("freq='W' calibration/holdout: test_calibration_and_holdout_data_works_with_specific_frequency (exact; customer 6 acquired later)", () => {
    const s = summaryFromTransactions(large, {
      calendar: 'week',
      calibrationEnd: '2015-02-01',
      holdoutEnd: '2015-02-07',
    });
    expect(rowsOf(s, 'frequencyHoldout', 'durationHoldout')).toEqual(
      new Map([
        [1, [0, 0, 4, 1, 1]],
        [2, [0, 0, 4, 0, 1]],
        [3, [1, 1, 4, 0, 1]],
        [4, [0, 0, 2, 1, 1]],
        [5, [0, 0, 2, 0, 1]],
      ]),
    );
    expect(s.schema.metadata.get('clientele.acquiredLater')).toBe('1');
  });

  it("freq='W' squashes purchases in one period: test_summary_data_from_transaction_data_squashes_period_purchases_to_one_purchase", () => {
    const s = summaryFromTransactions({ customer: [1, 1], date: ['2015-01-01', '2015-01-01'] }, { calendar: 'week' });
    expect(col(s, 'frequency')).toEqual([0]);
  });

  it("freq='D': test_summary_data_from_transaction_data_returns_correct_results and …_with_monetary_values (exact)", () => {
    const small = {
      customer: [1, 1, 2, 3, 3, 3],
      date: ['2015-02-01', '2015-02-06', '2015-01-01', '2015-01-01', '2015-01-02', '2015-01-05'],
    };
    const a = summaryFromTransactions(small, { calendar: 'day', calibrationEnd: '2015-02-07' });
    expect(rowsOf(a)).toEqual(
      new Map([
        [1, [1, 5, 6]],
        [2, [0, 0, 37]],
        [3, [2, 4, 37]],
      ]),
    );
    const b = summaryFromTransactions(large, { calendar: 'day', calibrationEnd: '2015-02-07' });
    expect(rowsOf(b, 'monetary')).toEqual(
      new Map([
        [1, [1, 36, 37, 2]],
        [2, [0, 0, 37, 0]],
        [3, [2, 4, 37, 3]],
        [4, [2, 20, 22, 3]],
        [5, [2, 2, 22, 4.5]],
        [6, [0, 0, 5, 0]],
      ]),
    );
  });

  it("freq='D' calibration/holdout: test_calibration_and_holdout_data_with_monetary_value and …_gives_correct_date_boundaries", () => {
    const s = summaryFromTransactions(large, {
      calendar: 'day',
      calibrationEnd: '2015-02-01',
      holdoutEnd: '2015-02-07',
    });
    expect(col(s, 'customer')).toEqual([1, 2, 3, 4, 5]);
    expect(col(s, 'monetary')).toEqual([0, 0, 3, 0, 4.5]);
    expect(col(s, 'monetaryHoldout')).toEqual([2, 0, 0, 3, 0]);
    expect(col(s, 'frequencyHoldout').slice(0, 2)).toEqual([1, 0]);
    const boundaries = summaryFromTransactions(large, {
      calendar: 'day',
      calibrationEnd: '2015-02-01',
      holdoutEnd: '2015-02-04',
    });
    const held = rowsOf(boundaries, 'frequencyHoldout');
    expect(held.get(1)![3]).toBe(0); // 2015-02-06 is after the holdout
    expect(held.get(4)![3]).toBe(1); // 2015-02-02 in, 2015-02-05 out
  });
});

const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A period of a day by plain Date arithmetic (Monday-based weeks counted from Monday 1970-01-05). */
function bruteForcePeriod(day: number, calendar: 'day' | 'week' | 'month' | 'quarter' | 'year'): number {
  const d = new Date(day * DAY_MS);
  if (calendar === 'day') return day;
  if (calendar === 'week') return (day - ((d.getUTCDay() + 6) % 7) - 4) / 7;
  if (calendar === 'month') return d.getUTCFullYear() * 12 + d.getUTCMonth();
  if (calendar === 'quarter') return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
  return d.getUTCFullYear();
}

/** The last day of the period of `day`, by walking days forward with Date arithmetic. */
function lastDayOfPeriod(day: number, calendar: 'day' | 'week' | 'month' | 'quarter' | 'year'): number {
  let d = day;
  while (bruteForcePeriod(d + 1, calendar) === bruteForcePeriod(day, calendar)) d++;
  return d;
}

describe('summaryFromTransactions with calendar periods', () => {
  const calendars = ['day', 'week', 'month', 'quarter', 'year'] as const;
  const start = Date.UTC(2023, 10, 1) / DAY_MS; // 2023-11-01: spans two New Years and the leap day 2024-02-29

  it('matches a brute-force count of periods by Date arithmetic on random logs, with and without a holdout (property)', () => {
    const row = fc.record({
      c: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      d: fc.integer({ min: 0, max: 520 }),
      v: fc.integer({ min: 1, max: 100 }),
    });
    const args = fc.tuple(
      fc.array(row, { minLength: 1, maxLength: 40 }),
      fc.constantFrom(...calendars),
      fc.integer({ min: 0, max: 520 }),
      fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
    );
    fc.assert(
      fc.property(args, ([rows, calendar, endOffset, holdoutLength]) => {
        const holdout = holdoutLength !== undefined;
        // with a holdout the calibration ends on the last day of a period (no period is split)
        const calEnd = holdout ? lastDayOfPeriod(start + endOffset, calendar) : start + endOffset;
        const holdEnd = holdout ? calEnd + holdoutLength : calEnd;
        const P = (day: number) => bruteForcePeriod(day, calendar);
        const byCustomer = new Map<string, { cal: Map<number, number>; held: Map<number, number> }>();
        for (const r of rows) {
          const day = start + r.d;
          if (day > holdEnd) continue;
          const e = byCustomer.get(r.c) ?? { cal: new Map<number, number>(), held: new Map<number, number>() };
          const m = day <= calEnd ? e.cal : e.held;
          m.set(P(day), (m.get(P(day)) ?? 0) + r.v);
          byCustomer.set(r.c, e);
        }
        const expected = new Map<string, number[]>();
        for (const [c, { cal, held }] of byCustomer) {
          if (cal.size === 0) continue; // acquired after the calibration
          const periods = [...cal.keys()].sort((a, b) => a - b);
          const first = periods[0];
          const repeat = periods.slice(1);
          const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
          const row = [
            repeat.length,
            periods[periods.length - 1] - first,
            P(calEnd) - first,
            mean(repeat.map((p) => cal.get(p)!)),
          ];
          if (holdout) row.push(held.size, mean([...held.values()]), P(holdEnd) - P(calEnd));
          expected.set(c, row);
        }
        const call = () =>
          summaryFromTransactions(
            { customer: rows.map((r) => r.c), date: rows.map((r) => iso(start + r.d)), amount: rows.map((r) => r.v) },
            { calendar, calibrationEnd: iso(calEnd), ...(holdout ? { holdoutEnd: iso(holdEnd) } : {}) },
          );
        if (expected.size === 0) {
          expectCode(call, 'EMPTY_INPUT');
          return;
        }
        const extra = holdout ? ['monetary', 'frequencyHoldout', 'monetaryHoldout', 'durationHoldout'] : ['monetary'];
        const got = rowsOf(call(), ...extra);
        expect(new Set(got.keys())).toEqual(new Set(expected.keys()));
        for (const [c, want] of expected) {
          const have = got.get(c)!;
          want.forEach((v, j) => expect(have[j]).toBeCloseTo(v, 9));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("calendar 'day' is unit 'day' value for value, and calendar weeks count at most the purchase days, T within a week of days / 7 (property)", () => {
    const row = fc.record({ c: fc.integer({ min: 0, max: 5 }), d: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 400 }), (rows, end) => {
        const log = {
          customer: rows.map((r) => r.c),
          date: rows.map((r) => iso(start + r.d)),
          amount: rows.map((r) => r.d % 13),
        };
        const calibrationEnd = iso(start + Math.max(end, Math.min(...rows.map((r) => r.d))));
        const day = summaryFromTransactions(log, { unit: 'day', calibrationEnd });
        const calendarDay = summaryFromTransactions(log, { calendar: 'day', calibrationEnd });
        for (const name of ['customer', 'frequency', 'recency', 'T', 'monetary']) {
          expect(col(calendarDay, name)).toEqual(col(day, name));
        }
        expect(calendarDay.schema.metadata.get('clientele.unit')).toBe('day');
        const weeks = summaryFromTransactions(log, { unit: 'week', calibrationEnd });
        const calendarWeeks = summaryFromTransactions(log, { calendar: 'week', calibrationEnd });
        const x = col(weeks, 'frequency') as number[];
        const T = col(weeks, 'T') as number[];
        (col(calendarWeeks, 'frequency') as number[]).forEach((v, i) => expect(v).toBeLessThanOrEqual(x[i]));
        (col(calendarWeeks, 'T') as number[]).forEach((v, i) => expect(Math.abs(v - T[i])).toBeLessThan(1));
      }),
    );
  });

  it('boundaries: Sunday/Monday, Dec 31/Jan 1, Feb 28/29/Mar 1, a first purchase in the last period', () => {
    const at = (dates: string[], calendar: (typeof calendars)[number], calibrationEnd: string) =>
      rowsOf(summaryFromTransactions({ customer: dates.map(() => 'a'), date: dates }, { calendar, calibrationEnd }))
        .get('a')!
        .slice(0, 3);
    // 2017-12-31 is a Sunday, 2018-01-01 a Monday: two weeks, two months, two quarters, two years
    for (const calendar of ['week', 'month', 'quarter', 'year'] as const) {
      expect(at(['2017-12-31', '2018-01-01'], calendar, '2018-01-01')).toEqual([1, 1, 1]);
    }
    // 2014-12-31 (Wednesday) and 2015-01-01 (Thursday): one week, across a year
    expect(at(['2014-12-31', '2015-01-01'], 'week', '2015-01-04')).toEqual([0, 0, 0]);
    expect(at(['2014-12-31', '2015-01-01'], 'year', '2015-01-04')).toEqual([1, 1, 1]);
    // a Sunday and the next Monday are two weeks; a Monday and the next Sunday one
    expect(at(['2024-03-03', '2024-03-04'], 'week', '2024-03-10')).toEqual([1, 1, 1]);
    expect(at(['2024-03-04', '2024-03-10'], 'week', '2024-03-10')).toEqual([0, 0, 0]);
    // leap day: Feb 28 and 29 one month, Mar 1 the next
    expect(at(['2024-02-28', '2024-02-29'], 'month', '2024-03-01')).toEqual([0, 0, 1]);
    expect(at(['2024-02-29', '2024-03-01'], 'month', '2024-03-01')).toEqual([1, 1, 1]);
    expect(at(['2024-02-29', '2025-02-28'], 'year', '2025-03-01')).toEqual([1, 1, 1]);
    // the first purchase in the calibration's last period: T = 0
    expect(at(['2024-06-30'], 'quarter', '2024-06-30')).toEqual([0, 0, 0]);
    expect(at(['2024-04-01', '2024-06-30'], 'quarter', '2024-06-30')).toEqual([0, 0, 0]);
  });

  it('refuses unit with calendar, an unknown period, and a calibration end inside a period with a holdout', () => {
    const log = { customer: ['a', 'a'], date: ['2024-01-01', '2024-02-15'], amount: [1, 2] };
    expectCode(
      () => summaryFromTransactions(log, { unit: 'week', calendar: 'week' }),
      'INVALID_OPTION',
      'unit',
      'calendar',
    );
    expectCode(
      () => summaryFromTransactions(log, { calendar: 'fortnight' as never }),
      'INVALID_OPTION',
      'calendar',
      "'month'",
    );
    // 2024-01-17 is a Wednesday: the week 2024-01-15 to 2024-01-21 would be split
    expectCode(
      () => summaryFromTransactions(log, { calendar: 'week', calibrationEnd: '2024-01-17', holdoutEnd: '2024-03-01' }),
      'INVALID_VALUE',
      'calibrationEnd (2024-01-17)',
      '2024-01-15 to 2024-01-21',
      '2024-01-14 or 2024-01-21',
    );
    expectCode(
      () => summaryFromTransactions(log, { calendar: 'month', calibrationEnd: '2024-01-30', holdoutEnd: '2024-03-01' }),
      'INVALID_VALUE',
      '2023-12-31 or 2024-01-31',
    );
    // without a holdout a calibration end inside a period is fine: later rows of the period are dropped, counted
    const s = summaryFromTransactions(log, { calendar: 'month', calibrationEnd: '2024-02-10' });
    expect(rowsOf(s).get('a')).toEqual([0, 0, 1]);
    expect(droppedRows(s).dropped).toEqual({ afterAsOf: 1 });
  });
});

describe('calendar years are the transaction opportunities of BG/BB (Fader, Hardie & Shang 2010)', () => {
  it("a log rebuilt from Hardie's 11,104 donors, summarised in calendar years, gives back (x, t_x, n = 6) and α = 1.204, β = 0.750, γ = 0.657, δ = 2.783 (to 0.002), LL = −33,225.6 (to 0.05)", () => {
    // donations.csv: (frequency, recency, periods, weights) of the 1995 cohort, opportunities 1996–2001; each donor
    // becomes a log: a first gift in 1995, repeat gifts in the x years ending at 1995 + t_x, on dates at the year's
    // edges (Jan 1, Dec 31) and on leap days, so that only the calendar year decides the period
    const [header, ...lines] = readLines(dataset('donations.csv'));
    const names = splitCsvLine(header);
    const customer: number[] = [];
    const date: string[] = [];
    const want = new Map<number, [number, number, number]>();
    const edges = ['01-01', '12-31', '02-28', '06-15'];
    let id = 0;
    for (const line of lines) {
      const v = splitCsvLine(line).map(Number);
      const [x, tx, n, count] = ['frequency', 'recency', 'periods', 'weights'].map((k) => v[names.indexOf(k)]);
      expect(n).toBe(6);
      for (let k = 0; k < count; k++, id++) {
        const edge = (j: number) => {
          const year = 1995 + j;
          const md = edges[(id + j) % edges.length];
          return year % 4 === 0 && md === '02-28' ? `${year}-02-29` : `${year}-${md}`;
        };
        customer.push(id);
        date.push(edge(0));
        for (let j = tx - x + 1; j <= tx; j++) {
          customer.push(id, id);
          date.push(edge(j), edge(j)); // two gifts in one year are one opportunity taken
        }
        want.set(id, [x, tx, n]);
      }
    }
    const s = summaryFromTransactions({ customer, date }, { calendar: 'year', calibrationEnd: '2001-12-31' });
    expect(s.numRows).toBe(11104);
    const got = rowsOf(s);
    let mismatches = 0;
    for (const [c, w] of want) if (got.get(c)!.some((v, j) => v !== w[j])) mismatches++;
    expect(mismatches).toBe(0);
    const model = fitBgBb(s, { periods: 'T' });
    expect(Math.abs(model.params.alpha - 1.204)).toBeLessThan(0.002);
    expect(Math.abs(model.params.beta - 0.75)).toBeLessThan(0.002);
    expect(Math.abs(model.params.gamma - 0.657)).toBeLessThan(0.002);
    expect(Math.abs(model.params.delta - 2.783)).toBeLessThan(0.002);
    expect(Math.abs(model.logLikelihood - -33225.6)).toBeLessThan(0.05);
  });
});
