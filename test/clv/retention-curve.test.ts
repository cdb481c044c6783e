import { Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRetention, retentionCurve } from '../../src/clv/retention-curve';
import type { RetentionPeriod } from '../../src/clv/retention-curve';
import { droppedRows, sampleStore } from '../../src/index';
import { expectCode } from '../helpers/errors';

/**
 * The reference: periods from the platform's own UTC calendar (`Date#getUTCFullYear/getUTCMonth`), cohorts and
 * activity with Maps and Sets, sharing no code with src/.
 */
const MS_PER_DAY = 86_400_000;
const WIDTH: Record<RetentionPeriod, number> = { month: 1, quarter: 3, year: 12 };

function periodOf(day: number, width: number): number {
  const date = new Date(day * MS_PER_DAY);
  return Math.floor((date.getUTCFullYear() * 12 + date.getUTCMonth()) / width);
}

function periodStartDay(p: number, width: number): number {
  const months = p * width;
  const date = new Date(0);
  date.setUTCFullYear(Math.floor(months / 12), months - 12 * Math.floor(months / 12), 1); // years 0..99 kept as written
  return date.getTime() / MS_PER_DAY;
}

interface Row {
  customer: string | null;
  day: number | null;
}

interface CurveRow {
  cohort: number; // epoch day
  offset: number;
  customers: number;
  active: number;
  retention: number;
}

function referenceCurve(rows: readonly Row[], period: RetentionPeriod): CurveRow[] {
  const width = WIDTH[period];
  const periods = new Map<string, Set<number>>();
  for (const { customer, day } of rows) {
    if (customer === null || day === null) continue;
    if (!periods.has(customer)) periods.set(customer, new Set());
    periods.get(customer)!.add(periodOf(day, width));
  }
  const last = Math.max(...[...periods.values()].flatMap((s) => [...s]));
  const cohorts = new Map<number, Set<number>[]>();
  for (const set of periods.values()) {
    const cohort = Math.min(...set);
    if (!cohorts.has(cohort)) cohorts.set(cohort, []);
    cohorts.get(cohort)!.push(set);
  }
  const out: CurveRow[] = [];
  for (const cohort of [...cohorts.keys()].sort((a, b) => a - b)) {
    const members = cohorts.get(cohort)!;
    for (let k = 0; cohort + k <= last; k++) {
      const active = members.filter((s) => s.has(cohort + k)).length;
      out.push({
        cohort: periodStartDay(cohort, width),
        offset: k,
        customers: members.length,
        active,
        retention: active / members.length,
      });
    }
  }
  return out;
}

function referenceAverage(curve: readonly CurveRow[], periods = Infinity): number {
  let atRisk = 0;
  let retained = 0;
  for (const row of curve) {
    const next = curve.find((r) => r.cohort === row.cohort && r.offset === row.offset + 1);
    if (!next || next.offset > periods) continue;
    atRisk += row.active;
    retained += next.active;
  }
  return retained / atRisk;
}

function rowsOf(curve: Table): CurveRow[] {
  const get = (name: string) => Array.from(curve.getChild(name)!.toArray() as ArrayLike<number>);
  const cohort = get('cohort'); // Date32 reads back as epoch milliseconds
  const offset = get('offset');
  const customers = get('customers');
  const active = get('active');
  const retention = get('retention');
  return cohort.map((ms, i) => ({
    cohort: ms / MS_PER_DAY,
    offset: offset[i],
    customers: customers[i],
    active: active[i],
    retention: retention[i],
  }));
}

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY;

function logTable(rows: readonly Row[]): Table {
  return new Table({
    customer: vectorFromArray(
      rows.map((r) => r.customer),
      new Utf8(),
    ),
    date: vectorFromArray(
      rows.map((r) => r.day),
      new Int32(),
    ),
  });
}

describe('retentionCurve', () => {
  const log = {
    customer: ['a', 'a', 'a', 'a', 'b', 'b', 'c', null, 'd'],
    date: [
      '2023-12-31',
      '2024-01-01',
      '2024-01-15',
      '2024-03-31',
      '2024-01-31',
      '2024-02-29',
      '2024-02-01',
      '2024-02-10',
      'not a date',
    ],
  };

  it('counts a hand-worked log by month: cohorts, offsets up to the last period, a skipped month, dropped rows', () => {
    const curve = retentionCurve(log);
    const rows = rowsOf(curve);
    // a: cohort Dec 2023, active Dec, Jan, Mar; b: cohort Jan, active Jan, Feb; c: cohort Feb; last period Mar 2024
    expect(rows.map((r) => r.cohort)).toEqual([
      ...Array(4).fill(dayOf('2023-12-01')),
      ...Array(3).fill(dayOf('2024-01-01')),
      ...Array(2).fill(dayOf('2024-02-01')),
    ]);
    expect(rows.map((r) => r.offset)).toEqual([0, 1, 2, 3, 0, 1, 2, 0, 1]);
    expect(rows.map((r) => r.customers)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(rows.map((r) => r.active)).toEqual([1, 1, 0, 1, 1, 1, 0, 1, 0]);
    expect(rows.map((r) => r.retention)).toEqual([1, 1, 0, 1, 1, 1, 0, 1, 0]);
    expect(droppedRows(curve)).toEqual({
      rows: 9,
      kept: 7,
      dropped: { nullCustomer: 1, invalidDate: 1 },
      firstRow: { nullCustomer: 7, invalidDate: 8 },
      total: 2,
    });
    expect(curve.schema.metadata.get('clientele.period')).toBe('month');
    expect(curve.schema.metadata.get('clientele.lastPeriod')).toBe('2024-03-01');
    expect(curve.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['cohort', 'Date32<DAY>'],
      ['offset', 'Int32'],
      ['customers', 'Int32'],
      ['active', 'Int32'],
      ['retention', 'Float64'],
    ]);
    // pooled steps: Dec cohort 1→1, 1→0, 0→1; Jan 1→1, 1→0; Feb 1→0 → 3 / 5
    expect(averageRetention(curve)).toBe(0.6);
    expect(averageRetention(curve, { periods: 1 })).toBe(2 / 3);
  });

  it('counts the same log by quarter and by year (Dec 31 and Jan 1 fall in different cohorts)', () => {
    const quarters = rowsOf(retentionCurve(log, { period: 'quarter' }));
    expect(quarters).toEqual([
      { cohort: dayOf('2023-10-01'), offset: 0, customers: 1, active: 1, retention: 1 },
      { cohort: dayOf('2023-10-01'), offset: 1, customers: 1, active: 1, retention: 1 },
      { cohort: dayOf('2024-01-01'), offset: 0, customers: 2, active: 2, retention: 1 },
    ]);
    const years = rowsOf(retentionCurve(log, { period: 'year' }));
    expect(years.map((r) => [r.cohort, r.offset, r.customers, r.active])).toEqual([
      [dayOf('2023-01-01'), 0, 1, 1],
      [dayOf('2023-01-01'), 1, 1, 1],
      [dayOf('2024-01-01'), 0, 2, 2],
    ]);
  });

  it('matches the Map-based reference on random logs, every period, dates around 1970 and leap days (property)', () => {
    const rowArb = fc.record({
      customer: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'Zoë') },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      day: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: -500, max: 1200 }) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 80 }),
        fc.constantFrom<RetentionPeriod>('month', 'quarter', 'year'),
        (rows, period) => {
          const kept = rows.filter((r) => r.customer !== null && r.day !== null).length;
          if (kept === 0) {
            expectCode(() => retentionCurve(logTable(rows), { period, dateUnit: 'day' }), 'EMPTY_INPUT');
            return;
          }
          const curve = retentionCurve(logTable(rows), { period, dateUnit: 'day' });
          const expected = referenceCurve(rows, period);
          expect(rowsOf(curve)).toEqual(expected);
          expect(droppedRows(curve).kept).toBe(kept);
          if (expected.some((r) => r.offset > 0))
            expect(averageRetention(curve)).toBeCloseTo(referenceAverage(expected), 12);
          const periods = 1 + (rows.length % 3);
          if (expected.some((r) => r.offset > 0))
            expect(averageRetention(curve, { periods })).toBeCloseTo(referenceAverage(expected, periods), 12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts any day from year −700 to 4700 in the cohort of its calendar period (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -975_000, max: 1_000_000 }),
        fc.constantFrom<RetentionPeriod>('month', 'quarter', 'year'),
        (day, period) => {
          const rows = rowsOf(
            retentionCurve({ customer: ['x'], date: Int32Array.of(day) }, { period, dateUnit: 'day' }),
          );
          expect(rows).toEqual([
            {
              cohort: periodStartDay(periodOf(day, WIDTH[period]), WIDTH[period]),
              offset: 0,
              customers: 1,
              active: 1,
              retention: 1,
            },
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on a sample store: shares in [0, 1], offset 0 is the whole cohort, cohorts partition the customers', () => {
    const { transactions } = sampleStore({ customers: 500, seed: 3 });
    const customers = new Set(transactions.getChild('customer')!.toArray() as unknown as string[]).size;
    for (const period of ['month', 'quarter', 'year'] as const) {
      const rows = rowsOf(retentionCurve(transactions, { period }));
      for (const r of rows) {
        expect(r.retention).toBeGreaterThanOrEqual(0);
        expect(r.retention).toBeLessThanOrEqual(1);
        expect(r.active).toBeLessThanOrEqual(r.customers);
      }
      const first = rows.filter((r) => r.offset === 0);
      expect(first.every((r) => r.retention === 1 && r.active === r.customers)).toBe(true);
      expect(first.reduce((s, r) => s + r.customers, 0)).toBe(customers);
      // sorted by cohort then offset, offsets contiguous and the last cohort reaching the last period
      for (let i = 1; i < rows.length; i++) {
        const same = rows[i].cohort === rows[i - 1].cohort;
        expect(
          same
            ? rows[i].offset === rows[i - 1].offset + 1
            : rows[i].cohort > rows[i - 1].cohort && rows[i].offset === 0,
        ).toBe(true);
      }
      const r = averageRetention(retentionCurve(transactions, { period }));
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(1);
    }
  });
});

describe('averageRetention', () => {
  it('recovers r exactly from a geometric cohort (8, 4, 2, 1 active: r = 0.5)', () => {
    const customer: string[] = [];
    const date: string[] = [];
    const months = ['2024-01-10', '2024-02-10', '2024-03-10', '2024-04-10'];
    for (let i = 0; i < 8; i++) {
      const stays = i === 0 ? 4 : i < 2 ? 3 : i < 4 ? 2 : 1;
      for (let k = 0; k < stays; k++) {
        customer.push(`c${i}`);
        date.push(months[k]);
      }
    }
    const curve = retentionCurve({ customer, date });
    expect(rowsOf(curve).map((r) => r.active)).toEqual([8, 4, 2, 1]);
    expect(averageRetention(curve)).toBe(0.5);
    expect(averageRetention(curve, { periods: 2 })).toBe(0.5);
  });

  it('leaves a right-censored cohort out of the steps it could not reach', () => {
    // January cohort: 4, 2, 1 active; March cohort: 10 customers seen only in the last period
    const customer = ['a', 'b', 'c', 'd', 'a', 'b', 'a', ...Array.from({ length: 10 }, (_, i) => `m${i}`)];
    const date = [
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-02-01',
      '2024-02-02',
      '2024-03-01',
      ...Array(10).fill('2024-03-15'),
    ];
    const curve = retentionCurve({ customer, date });
    expect(rowsOf(curve).map((r) => [r.offset, r.active])).toEqual([
      [0, 4],
      [1, 2],
      [2, 1],
      [0, 10],
    ]);
    expect(averageRetention(curve)).toBe(0.5); // (2 + 1) / (4 + 2); the March cohort adds no step
  });

  it('accepts the curve rows in any order', () => {
    const curve = retentionCurve({
      customer: ['a', 'a', 'b', 'b', 'c'],
      date: ['2024-01-05', '2024-02-10', '2024-01-20', '2024-03-01', '2024-02-02'],
    });
    const rows = rowsOf(curve).reverse();
    const shuffled = {
      cohort: rows.map((r) => new Date(r.cohort * MS_PER_DAY)),
      offset: rows.map((r) => r.offset),
      active: rows.map((r) => r.active),
    };
    expect(averageRetention(shuffled)).toBe(averageRetention(curve));
  });
});

describe('retentionCurve and averageRetention errors', () => {
  const tx = { customer: ['a'], date: ['2024-01-01'] };
  it.each([
    [
      'an unknown period',
      () => retentionCurve(tx, { period: 'week' as never }),
      'INVALID_OPTION',
      "'month', 'quarter', 'year'",
    ],
    ['an unknown dateUnit', () => retentionCurve(tx, { dateUnit: 'hours' as never }), 'INVALID_OPTION', 'dateUnit'],
    ['a missing customer column', () => retentionCurve(tx, { customer: 'client' }), 'MISSING_COLUMN', 'client'],
    [
      'a date column of text',
      () => retentionCurve({ customer: ['a'], date: ['soon'] }),
      'INVALID_TYPE',
      'no readable date',
    ],
    ['no rows', () => retentionCurve({ customer: [], date: [] }), 'EMPTY_INPUT', 'no rows'],
    [
      'every row dropped',
      () => retentionCurve({ customer: [null, null], date: ['2024-01-01', '2024-01-02'] }),
      'EMPTY_INPUT',
      'nullCustomer 2',
    ],
    ['periods 0', () => averageRetention(retentionCurve(tx), { periods: 0 }), 'INVALID_OPTION', 'periods'],
    ['a one-period curve', () => averageRetention(retentionCurve(tx)), 'EMPTY_INPUT', 'at least two periods'],
    [
      'a table without active',
      () => averageRetention({ cohort: ['2024-01-01'], offset: [0] }),
      'MISSING_COLUMN',
      'active',
    ],
    [
      'a negative active count',
      () => averageRetention({ cohort: ['2024-01-01'], offset: [0], active: [-1] }),
      'INVALID_VALUE',
      'row 0',
    ],
  ] as const)('%s → %s', (_name, call, code, text) => {
    expectCode(call, code, text);
  });
});
