import { daysFromCivil, oneOfRule } from '../table/internal';

/** A calendar period of {@link summaryFromTransactions}' `calendar` option. */
export type CalendarPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The `calendar` option: the UTC calendar periods purchases are counted in (no default: absent = continuous time). */
export const CALENDAR = oneOfRule<CalendarPeriod>(
  ['day', 'week', 'month', 'quarter', 'year'],
  undefined,
  "'week' counts Monday–Sunday weeks (pandas' 'W'), 'month', 'quarter' and 'year' the UTC calendar's",
);

/**
 * The index of the UTC calendar period that holds epoch day `day` (1970-01-01 is day 0), increasing by one from a
 * period to the next, so that `periodIndex(b) − periodIndex(a)` counts the periods from a's to b's:
 * - `day`: the day itself;
 * - `week`: Monday–Sunday weeks, pandas' `'W'` (= `'W-SUN'`, weeks ending on Sunday; lifetimes' `freq='W'`).
 *   Day 0 is a Thursday, so the week of day d is ⌊(d + 3) / 7⌋ (week 0 runs from Monday 1969-12-29);
 * - `month`, `quarter`, `year`: 12·y + m, 4·y + ⌊m / 3⌋ and y for the proleptic Gregorian date y-(m + 1)-dd, by
 *   Hinnant's civil_from_days (exact for every integer day).
 */
export function periodIndex(day: number, calendar: CalendarPeriod): number {
  if (calendar === 'day') return day;
  if (calendar === 'week') return Math.floor((day + 3) / 7);
  // Hinnant's civil_from_days, the year and the month only (March-based year: mp 0 is March)
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 2 : mp - 10; // 0 = January
  const year = yoe + era * 400 + (month <= 1 ? 1 : 0);
  if (calendar === 'month') return 12 * year + month;
  if (calendar === 'quarter') return 4 * year + Math.floor(month / 3);
  return year;
}

/** The first epoch day of period `index` of `calendar`, the inverse of {@link periodIndex} on period starts. */
export function periodStart(index: number, calendar: CalendarPeriod): number {
  switch (calendar) {
    case 'day':
      return index;
    case 'week':
      return 7 * index - 3;
    case 'month':
      return daysFromCivil(Math.floor(index / 12), index - 12 * Math.floor(index / 12) + 1, 1);
    case 'quarter':
      return daysFromCivil(Math.floor(index / 4), 3 * (index - 4 * Math.floor(index / 4)) + 1, 1);
    case 'year':
      return daysFromCivil(index, 1, 1);
    default: {
      const never: never = calendar;
      return never;
    }
  }
}

/** The period index of every day of `days` (`days` itself for `'day'`); sorted runs stay sorted (a monotone map). */
export function periodIndices(days: Int32Array, calendar: CalendarPeriod): Int32Array {
  if (calendar === 'day') return days;
  const out = new Int32Array(days.length);
  // one loop per calendar: the branch is hoisted out of the loop over rows
  if (calendar === 'week') for (let i = 0; i < days.length; i++) out[i] = Math.floor((days[i] + 3) / 7);
  else for (let i = 0; i < days.length; i++) out[i] = periodIndex(days[i], calendar);
  return out;
}
