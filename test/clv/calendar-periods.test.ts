import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodIndex, periodIndices, periodStart } from '../../src/clv/calendar-periods';
import type { CalendarPeriod } from '../../src/clv/calendar-periods';

const DAY_MS = 86_400_000;
const CALENDARS: readonly CalendarPeriod[] = ['day', 'week', 'month', 'quarter', 'year'];

/**
 * The period of an epoch day by plain Date arithmetic, independent of the code under test: the Monday of its week
 * (pandas' 'W' = 'W-SUN': Monday to Sunday) counted in weeks, the UTC month, quarter and year.
 */
function periodByDate(day: number, calendar: CalendarPeriod): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (calendar) {
    case 'day':
      return day;
    case 'week': {
      const monday = day - ((d.getUTCDay() + 6) % 7);
      return Math.round((monday - 4) / 7); // 1970-01-05 (day 4) is the first Monday after the epoch
    }
    case 'month':
      return 12 * y + m;
    case 'quarter':
      return 4 * y + Math.floor(m / 3);
    case 'year':
      return y;
  }
}

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

describe('periodIndex: UTC calendar periods', () => {
  it('agrees with Date arithmetic on every day 1900–2100 up to a constant offset per calendar (week: Monday–Sunday)', () => {
    for (const calendar of CALENDARS) {
      const offset = periodIndex(0, calendar) - periodByDate(0, calendar);
      for (let day = dayOf('1900-01-01'); day <= dayOf('2100-12-31'); day++) {
        if (periodIndex(day, calendar) - periodByDate(day, calendar) !== offset) {
          throw new Error(`${calendar}: day ${day} (${new Date(day * DAY_MS).toISOString()})`);
        }
      }
    }
  });

  it("weeks are pandas' W-SUN, as printed in lifetimes' tests: 2014-12-29/2015-01-04 is one week, 2015-01-05 the next", () => {
    // lifetimes tests/test_utils.py, test_find_first_transactions_with_specific_non_daily_frequency
    const w = (iso: string) => periodIndex(dayOf(iso), 'week');
    expect(w('2014-12-29')).toBe(w('2015-01-01'));
    expect(w('2015-01-04')).toBe(w('2014-12-29')); // Sunday closes the week
    expect(w('2015-01-05')).toBe(w('2015-01-04') + 1); // Monday opens the next
    expect(w('2015-02-07') - w('2015-01-01')).toBe(5);
  });

  it('month, quarter and year turn over on Jan 1 and leap days stay in February', () => {
    for (const calendar of ['month', 'quarter', 'year'] as const) {
      expect(periodIndex(dayOf('2024-01-01'), calendar)).toBe(periodIndex(dayOf('2023-12-31'), calendar) + 1);
    }
    expect(periodIndex(dayOf('2024-02-29'), 'month')).toBe(periodIndex(dayOf('2024-02-01'), 'month'));
    expect(periodIndex(dayOf('2024-03-01'), 'month')).toBe(periodIndex(dayOf('2024-02-29'), 'month') + 1);
    expect(periodIndex(dayOf('2024-03-31'), 'quarter')).toBe(periodIndex(dayOf('2024-01-01'), 'quarter'));
    expect(periodIndex(dayOf('2024-04-01'), 'quarter')).toBe(periodIndex(dayOf('2024-03-31'), 'quarter') + 1);
  });

  it('periodStart is the first day of each period and periodIndices maps arrays as periodIndex (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.constantFrom(...CALENDARS), (day, calendar) => {
        const p = periodIndex(day, calendar);
        const first = periodStart(p, calendar);
        expect(first).toBeLessThanOrEqual(day);
        expect(periodIndex(first, calendar)).toBe(p);
        expect(periodIndex(first - 1, calendar)).toBe(p - 1);
        expect(Array.from(periodIndices(Int32Array.of(day, day + 40), calendar))).toEqual([
          p,
          periodIndex(day + 40, calendar),
        ]);
      }),
    );
  });
});
