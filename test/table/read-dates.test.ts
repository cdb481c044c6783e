/**
 * readDates and the date helpers. Source of truth: the JS engine's own calendar (`Date.UTC` /
 * `Date.prototype.setUTCFullYear`, via `utcDay` in ./helpers.ts) and BigInt floor division for timestamps.
 * Exact comparisons (tolerance 0): epoch days are integers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from 'apache-arrow';
import {
  daysFromCivil,
  isoDate,
  NO_DATE,
  numberToDays,
  parseDateString,
  readDates,
  toEpochDay,
  yyyymmddToDays,
} from '../../src/table/read-dates.js';
import type { DateUnit } from '../../src/table/read-dates.js';
import { dateDayVector } from '../../src/table/build.js';
import {
  bigVector,
  catchClientele,
  chunked,
  dayOf,
  dictionaryVector,
  MS_PER_DAY,
  oneColumn,
  utcDay,
} from './helpers.js';

const datesOf = (t: A.Table, unit?: DateUnit) => readDates(t, 'x', 'testFn', 'date', unit);
const N = NO_DATE;

/** floor(a / b) on BigInts (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): number {
  const q = a / b;
  return Number(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
}

/** Days in month m (1-12) of year y, from the engine: day 0 of the next month. */
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const civil = fc
  .record({
    y: fc.integer({ min: 1600, max: 2400 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => ({ y, m, d: Math.min(d, daysInMonth(y, m)) }));
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

describe('daysFromCivil and isoDate against Date.UTC', () => {
  it('daysFromCivil(1998, 7, 1) is 10408, as Date.UTC(1998, 6, 1) / 86400000 gives', () => {
    expect(Date.UTC(1998, 6, 1) / MS_PER_DAY).toBe(10408); // the oracle itself, by hand: 28*365 + 7 leap days + 181
    expect(daysFromCivil(1998, 7, 1)).toBe(10408);
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 2, 29)).toBe(11016);
  });

  it('daysFromCivil equals Date.UTC(y, m-1, d) / 86400000 for every date of 1600..2400 (fast-check)', () => {
    fc.assert(
      fc.property(civil, ({ y, m, d }) => {
        expect(daysFromCivil(y, m, d)).toBe(Date.UTC(y, m - 1, d) / MS_PER_DAY);
      }),
      { numRuns: 2000 },
    );
  });

  it('daysFromCivil is exhaustive over 1899-03-01..2101-02-28: consecutive dates are consecutive days', () => {
    let day = utcDay(1899, 3, 1);
    for (let y = 1899; y <= 2101; y++) {
      for (let m = 1; m <= 12; m++) {
        if ((y === 1899 && m < 3) || (y === 2101 && m > 2)) continue;
        for (let d = 1; d <= daysInMonth(y, m); d++) {
          if (daysFromCivil(y, m, d) !== day) throw new Error(`${y}-${m}-${d}: ${daysFromCivil(y, m, d)} ≠ ${day}`);
          day++;
        }
      }
    }
    expect(day - 1).toBe(utcDay(2101, 2, 28));
  });

  it('isoDate(daysFromCivil(y, m, d)) round-trips to YYYY-MM-DD (fast-check)', () => {
    fc.assert(
      fc.property(civil, ({ y, m, d }) => {
        expect(isoDate(daysFromCivil(y, m, d))).toBe(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('yyyymmddToDays(y·10000 + m·100 + d) equals daysFromCivil (fast-check)', () => {
    fc.assert(
      fc.property(civil, ({ y, m, d }) => {
        expect(yyyymmddToDays(y * 10000 + m * 100 + d)).toBe(Date.UTC(y, m - 1, d) / MS_PER_DAY);
      }),
    );
  });

  it('yyyymmddToDays refuses impossible dates and non-integers', () => {
    for (const bad of [
      19970230,
      19971301,
      19970100,
      19970132,
      19000229,
      20210229,
      1997010,
      19970101.5,
      NaN,
      -19970101,
    ]) {
      expect(yyyymmddToDays(bad)).toBeNaN();
    }
    expect(yyyymmddToDays(20000229)).toBe(utcDay(2000, 2, 29));
  });
});

describe('parseDateString', () => {
  const cases: [string, string][] = [
    ['1998-07-01', '1998-07-01'],
    ['2011-10-06 16:20:00', '2011-10-06'],
    ['2011-10-06T16:20:00', '2011-10-06'],
    ['2011-10-06T16:20', '2011-10-06'],
    ['2011-10-06T23:59:59.999', '2011-10-06'],
    ['2011-10-06T16:20:00Z', '2011-10-06'],
    ['2020-01-01T02:00:00+05:00', '2019-12-31'], // 2019-12-31T21:00Z
    ['2020-01-01T02:00:00+0500', '2019-12-31'],
    ['2020-01-01 02:00:00+05:00', '2019-12-31'],
    ['2019-12-31T22:00:00-05:00', '2020-01-01'], // 2020-01-01T03:00Z
    ['2020-01-01T00:00:00-00:30', '2020-01-01'],
    ['2020-01-01T23:59:59.999Z', '2020-01-01'],
    ['1969-12-31T23:59:59Z', '1969-12-31'],
    ['20200101', '2020-01-01'],
    ['  2020-01-01 ', '2020-01-01'],
    ['2000-02-29', '2000-02-29'],
  ];
  for (const [text, iso] of cases) {
    it(`reads ${JSON.stringify(text)} as ${iso}`, () => {
      expect(parseDateString(text)).toBe(dayOf(iso));
    });
  }

  it('gives NaN for impossible dates, times and text', () => {
    for (const bad of [
      '2021-02-29',
      '1900-02-29',
      '2020-13-01',
      '2020-00-10',
      '2020-04-31',
      'hello',
      '',
      '2020-1-01',
      '2020/01/01',
      '2020-01-01T24:00:00',
      '2020-01-01T12:60',
      '2020-01-01T12',
      '20200230',
      '2020-01-01T12:00:60Z',
    ]) {
      expect(parseDateString(bad)).toBeNaN();
    }
  });

  it('takes a date-time with an offset to its UTC day, as Date.parse does (fast-check)', () => {
    const time = fc.record({
      h: fc.integer({ min: 0, max: 23 }),
      min: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
    });
    const offset = fc.integer({ min: -14 * 60, max: 14 * 60 }); // minutes east of UTC
    fc.assert(
      fc.property(civil, time, offset, ({ y, m, d }, { h, min, s }, off) => {
        const sign = off < 0 ? '-' : '+';
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}:${pad(s)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
        const utcMs = Date.UTC(y, m - 1, d, h, min, s) - off * 60_000;
        expect(parseDateString(text)).toBe(Math.floor(utcMs / MS_PER_DAY));
        // without the offset, the written (wall-clock) day
        expect(parseDateString(text.slice(0, 19))).toBe(Date.UTC(y, m - 1, d) / MS_PER_DAY);
      }),
      { numRuns: 500 },
    );
  });

  // Regression test (fixed; found by this suite) (src/table/read-dates.ts, parseDateString): hours (> 23) and minutes (> 59) are checked but seconds are not,
  // so '2020-01-01 12:00:75' (no offset) is read as 2020-01-01 while '2020-01-01T12:00:75Z' is NaN.
  it("refuses seconds beyond 59 without an offset ('2020-01-01 12:00:75' → NaN)", () => {
    expect(parseDateString('2020-01-01 12:00:75')).toBeNaN();
  });

  // Regression test (fixed; found by this suite) (src/table/read-dates.ts, ISO regex + Date.parse): the regex allows blanks before the offset (`\s*`), but the
  // string is then handed to Date.parse, which refuses them: '2020-01-01T02:00:00 Z' and
  // '2020-01-01 02:00:00 +05:00' match the pattern and still come back NaN.
  it("reads a blank before the offset, which the pattern allows ('2020-01-01T02:00:00 Z' → 2020-01-01)", () => {
    expect(parseDateString('2020-01-01T02:00:00 Z')).toBe(dayOf('2020-01-01'));
    expect(parseDateString('2020-01-01 02:00:00 +05:00')).toBe(dayOf('2019-12-31'));
  });
});

describe('numberToDays and toEpochDay', () => {
  it('floors epoch numbers toward -Infinity in every unit', () => {
    expect(numberToDays(10408.9, 'day')).toBe(10408);
    expect(numberToDays(-0.5, 'day')).toBe(-1);
    expect(numberToDays(86_400, 's')).toBe(1);
    expect(numberToDays(-1, 's')).toBe(-1);
    expect(numberToDays(-1, 'ms')).toBe(-1);
    expect(numberToDays(86_399_999, 'ms')).toBe(0);
    expect(numberToDays(19980701, 'yyyymmdd')).toBe(utcDay(1998, 7, 1));
    expect(numberToDays(Infinity, 'day')).toBeNaN();
  });

  it('reads a Date, an ISO string and a number (YYYYMMDD by default) as one epoch day', () => {
    expect(toEpochDay(new Date(Date.UTC(1998, 6, 1, 23, 59)), 'f', 'asOf')).toBe(utcDay(1998, 7, 1));
    expect(toEpochDay(new Date(-1), 'f', 'asOf')).toBe(-1);
    expect(toEpochDay('1998-07-01', 'f', 'asOf')).toBe(utcDay(1998, 7, 1));
    expect(toEpochDay(19980701, 'f', 'asOf')).toBe(utcDay(1998, 7, 1));
    expect(toEpochDay(10408, 'f', 'asOf', 'day')).toBe(utcDay(1998, 7, 1));
  });

  it('refuses what is not a date, naming the option (INVALID_VALUE)', () => {
    for (const bad of ['2021-02-29', 10408, new Date('x'), null, true]) {
      const e = catchClientele(() => toEpochDay(bad, 'rfm', 'asOf'), 'INVALID_VALUE');
      expect(e.message).toMatch(/^rfm: option asOf is not a date/);
    }
  });
});

describe('readDates on Arrow temporal columns', () => {
  it('reads a single-chunk null-free Date32 column over the same buffer (zero-copy)', () => {
    const days = Int32Array.from([0, 10408, -1, utcDay(2400, 12, 31)]);
    const r = datesOf(oneColumn(dateDayVector(days)));
    expect(r.days.buffer).toBe(days.buffer);
    expect(Array.from(r.days)).toEqual([0, 10408, -1, utcDay(2400, 12, 31)]);
    expect(r).toMatchObject({ nullCount: 0, invalidCount: 0, firstInvalidRow: -1 });
  });

  it('reads a sliced Date32 table (offset 2) as a view of the original buffer', () => {
    const days = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const r = datesOf(oneColumn(dateDayVector(days)).slice(2, 5));
    expect(Array.from(r.days)).toEqual([2, 3, 4]);
    expect(r.days.buffer).toBe(days.buffer);
  });

  it('reads Date32 nulls as NO_DATE across chunks and slices', () => {
    const v = chunked(new A.DateDay(), [
      [new Date(0), null],
      [new Date(86_400_000), null, new Date(-86_400_000)],
    ]);
    const r = datesOf(oneColumn(v));
    expect(Array.from(r.days)).toEqual([0, N, 1, N, -1]);
    expect(r.nullCount).toBe(2);
    const sliced = datesOf(
      oneColumn(
        A.vectorFromArray([new Date(0), null, new Date(86_400_000), null, new Date(2 * 86_400_000)], new A.DateDay()),
      ).slice(1, 4),
    );
    expect(Array.from(sliced.days)).toEqual([N, 1, N]);
    expect(sliced.nullCount).toBe(2);
  });

  it('reads Date64 (ms) floored to the UTC day, before 1970 included', () => {
    const r = datesOf(
      oneColumn(bigVector(new A.DateMillisecond(), [0n, 86_399_999n, 86_400_000n, -1n, -86_400_000n, -86_400_001n])),
    );
    expect(Array.from(r.days)).toEqual([0, 0, 1, -1, -1, -2]);
  });

  const units: [string, A.DataType, bigint][] = [
    ['s', new A.TimestampSecond(), 1n],
    ['ms', new A.TimestampMillisecond(), 1_000n],
    ['us', new A.TimestampMicrosecond(), 1_000_000n],
    ['ns', new A.TimestampNanosecond(), 1_000_000_000n],
  ];
  for (const [unit, type, perSecond] of units) {
    it(`reads Timestamp(${unit}) floored to the UTC day: -1 ${unit} is day -1`, () => {
      const perDay = 86_400n * perSecond;
      const noon1998 = BigInt(utcDay(1998, 7, 1)) * perDay + perDay / 2n;
      const r = datesOf(
        oneColumn(bigVector(type, [-1n, 0n, perDay - 1n, perDay, -perDay, -perDay - 1n, noon1998, -noon1998])),
      );
      expect(Array.from(r.days)).toEqual([-1, 0, 0, 1, -1, -2, utcDay(1998, 7, 1), floorDiv(-noon1998, perDay)]);
    });
  }

  it('reads Timestamp(s, ms, us) like BigInt floor division, over ±2^53 and the Int32 day range (fast-check)', () => {
    // days outside -9999-01-01 … 9999-12-31 are invalid dates (issue 15, class 9); a leading 0 keeps one readable
    const [first, last] = [-4371587, 2932896]; // Date.UTC(-9999, 0, 1) and Date.UTC(9999, 11, 31) in days
    for (const [, type, perSecond] of units.slice(0, 3)) {
      const limit = perSecond === 1n ? 10n ** 14n : 2n ** 53n; // ±1e14 s ≈ ±1.16e9 days fits an Int32 day
      const near = BigInt(last) * 86_400n * perSecond; // also draw around the last readable day
      const value = fc.oneof(fc.bigInt({ min: -limit, max: limit }), fc.bigInt({ min: -near, max: near }));
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), (values) => {
          const r = datesOf(oneColumn(bigVector(type, [0n, ...values])));
          const expected = values.map((v) => floorDiv(v, 86_400n * perSecond));
          expect(Array.from(r.days)).toEqual([0, ...expected.map((d) => (d >= first && d <= last ? d : N))]);
          expect(r.invalidCount).toBe(expected.filter((d) => d < first || d > last).length);
        }),
      );
    }
  });

  it('reads a Timestamp with a time zone by its UTC day (Arrow stores UTC instants)', () => {
    const instant = BigInt(Date.UTC(2019, 11, 31, 17)); // 2020-01-01T02:00+09:00
    const r = datesOf(oneColumn(bigVector(new A.Timestamp(A.TimeUnit.MILLISECOND, 'Asia/Tokyo'), [instant])));
    expect(Array.from(r.days)).toEqual([dayOf('2019-12-31')]);
  });

  it('reads Timestamp nulls as NO_DATE and counts them', () => {
    const r = datesOf(oneColumn(A.vectorFromArray([0, null, -1], new A.TimestampMillisecond())));
    expect(Array.from(r.days)).toEqual([0, N, -1]);
    expect(r.nullCount).toBe(1);
    expect(r.invalidCount).toBe(0);
  });

  // Regression test (fixed; found by this suite) (src/table/read-dates.ts, temporalDays): days are stored into an Int32Array with no range check (numericDays
  // has one), so a timestamp whose day is outside ±2^31 wraps around silently: Timestamp(s) -185542587187201
  // (day -2147483649) gives 2147483647, and the INT64_MIN sentinel in Timestamp(ms) gives day 622191232 (a date
  // ~1.7 million years ahead) instead of NO_DATE counted as invalid.
  it('does not wrap timestamps whose day is outside the Int32 range (INT64_MIN ms → NO_DATE, invalid)', () => {
    const r = datesOf(oneColumn(bigVector(new A.TimestampMillisecond(), [-(2n ** 63n), 0n])));
    expect(Array.from(r.days)).toEqual([N, 0]);
    expect(r.invalidCount).toBe(1);
  });

  // Regression test (fixed; found by this suite) (src/table/read-dates.ts, temporalDays): Timestamp(ns) is converted to a double before the floor division;
  // present-day nanosecond counts (~1.6e18) are far beyond 2^53, so 2020-01-01T00:00:00Z minus 1 ns
  // (1577836799999999999n) rounds up to 1577836800000000000 and lands on 2020-01-01 instead of 2019-12-31.
  // Any ns timestamp within ~128 ns before a UTC midnight gets the next day.
  it('reads Timestamp(ns) one nanosecond before midnight as the previous day (2019-12-31)', () => {
    const r = datesOf(oneColumn(bigVector(new A.TimestampNanosecond(), [1_577_836_800_000_000_000n - 1n])));
    expect(Array.from(r.days)).toEqual([dayOf('2019-12-31')]);
  });
});

describe('readDates on strings', () => {
  it('reads ISO dates and date-times, NO_DATE for impossible ones, counting the first invalid row', () => {
    const raw = [
      '2020-01-01',
      'hello',
      null,
      '2021-02-29',
      '2020-01-01T02:00:00+05:00',
      '2020-13-01',
      '1998-07-01 10:00:00',
      '19970101',
    ];
    const r = datesOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())));
    expect(Array.from(r.days)).toEqual([
      dayOf('2020-01-01'),
      N,
      N,
      N,
      dayOf('2019-12-31'),
      N,
      dayOf('1998-07-01'),
      dayOf('1997-01-01'),
    ]);
    expect(r.nullCount).toBe(1);
    expect(r.invalidCount).toBe(3);
    expect(r.firstInvalidRow).toBe(1);
    expect(r.firstInvalidValue).toBe('hello');
  });

  it('counts an invalid string on every row it appears in', () => {
    const r = datesOf(oneColumn(A.vectorFromArray(['2020-01-01', '2021-02-29', '2021-02-29'], new A.Utf8())));
    expect(r.invalidCount).toBe(2);
    expect(r.firstInvalidRow).toBe(1);
    expect(r.firstInvalidValue).toBe('2021-02-29');
  });

  it('reads dictionary-encoded date strings; an invalid entry no row uses is not counted', () => {
    const v = dictionaryVector(
      ['2020-01-01', 'nope', '1998-07-01', '2020-02-30'],
      [
        [2, 0, null],
        [2, 3],
      ],
    );
    const r = datesOf(oneColumn(v));
    expect(Array.from(r.days)).toEqual([dayOf('1998-07-01'), dayOf('2020-01-01'), N, dayOf('1998-07-01'), N]);
    expect(r.nullCount).toBe(1);
    expect(r.invalidCount).toBe(1);
    expect(r.firstInvalidRow).toBe(4);
    expect(r.firstInvalidValue).toBe('2020-02-30');
  });

  it('reads a sliced string column by its own rows', () => {
    const raw = ['1970-01-01', 'x', '1970-01-03', null, '1970-01-05', 'y'];
    const r = datesOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())).slice(2, 6));
    expect(Array.from(r.days)).toEqual([2, N, 4, N]);
    expect(r.nullCount).toBe(1);
    expect(r.invalidCount).toBe(1);
    expect(r.firstInvalidRow).toBe(3);
  });

  it('refuses a string column with no readable date (INVALID_TYPE, first invalid row)', () => {
    const e = catchClientele(
      () => datesOf(oneColumn(A.vectorFromArray([null, 'hello', 'world'], new A.Utf8()))),
      'INVALID_TYPE',
    );
    expect(e.column).toBe('x');
    expect(e.row).toBe(1);
    expect(e.message).toContain('"hello"');
  });
});

describe('readDates on numbers', () => {
  it('reads YYYYMMDD integers by default; 19970230 is invalid', () => {
    const r = datesOf(oneColumn(A.vectorFromArray([19970101, 19970230, null, 20000229, 19000229], new A.Int32())));
    expect(Array.from(r.days)).toEqual([dayOf('1997-01-01'), N, N, dayOf('2000-02-29'), N]);
    expect(r.nullCount).toBe(1);
    expect(r.invalidCount).toBe(2);
    expect(r.firstInvalidRow).toBe(1);
    expect(r.firstInvalidValue).toBe(19970230);
  });

  it("reads epoch numbers with dateUnit 'day', 's' and 'ms', flooring negatives", () => {
    const days = datesOf(oneColumn(A.makeVector(Float64Array.from([0, 10408.9, -0.5]))), 'day');
    expect(Array.from(days.days)).toEqual([0, 10408, -1]);
    const secs = datesOf(oneColumn(A.makeVector(Int32Array.from([86_400, -1, 899_294_400]))), 's');
    expect(Array.from(secs.days)).toEqual([1, -1, utcDay(1998, 7, 1)]);
    const ms = datesOf(
      oneColumn(A.makeVector(BigInt64Array.from([-1n, 86_400_000n, BigInt(Date.UTC(1998, 6, 1))]))),
      'ms',
    );
    expect(Array.from(ms.days)).toEqual([-1, 1, utcDay(1998, 7, 1)]);
  });

  it('refuses a numeric column with no readable date, pointing at dateUnit (INVALID_TYPE)', () => {
    const e = catchClientele(() => datesOf(oneColumn(A.makeVector(Int32Array.from([10408, 10409])))), 'INVALID_TYPE');
    expect(e.column).toBe('x');
    expect(e.row).toBe(0);
    expect(e.message).toContain('dateUnit');
    expect(e.message).toContain('10408');
  });

  it('refuses a column that cannot hold dates at all (Bool) (INVALID_TYPE)', () => {
    const e = catchClientele(() => datesOf(oneColumn(A.vectorFromArray([true], new A.Bool()))), 'INVALID_TYPE');
    expect(e.column).toBe('x');
    expect(e.message).toContain('option date');
  });

  it('reads a Null-typed column as all NO_DATE, all counted as null', () => {
    const r = datesOf(oneColumn(A.vectorFromArray([null, null], new A.Null())));
    expect(Array.from(r.days)).toEqual([N, N]);
    expect(r.nullCount).toBe(2);
    expect(r.invalidCount).toBe(0);
  });

  // Regression test (fixed; found by this suite) (src/table/read-dates.ts, numericDays): a NaN value (not null) is set to NO_DATE and then skipped as if it
  // were null, but readNumericVector does not count NaN as null, so the row is counted nowhere:
  // Float64 [NaN, 19970101] gives days [NO_DATE, 9862], nullCount 0, invalidCount 0. The documented invariant
  // "rows that are null or not a valid date get NO_DATE and are counted" fails (and an all-NaN column is not
  // refused as unreadable).
  it('counts every NO_DATE row as null or invalid (Float64 [NaN, 19970101])', () => {
    const r = datesOf(oneColumn(A.makeVector(Float64Array.from([NaN, 19970101]))));
    expect(Array.from(r.days)).toEqual([N, dayOf('1997-01-01')]);
    expect(r.nullCount + r.invalidCount).toBe(1);
  });
});

describe('readDates invariants (fast-check)', () => {
  it('every NO_DATE row of a string column is counted once as null or invalid', () => {
    const BAD = ['2021-02-29', 'x', ''];
    const cell = fc.option(
      fc.oneof(
        civil.map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`),
        fc.constantFrom(...BAD),
      ),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 30 }).filter((raw) => raw.some((v) => v !== null && !BAD.includes(v))),
        (raw) => {
          const r = datesOf(oneColumn(A.vectorFromArray(raw, new A.Utf8())));
          const missing = Array.from(r.days).filter((d) => d === N).length;
          expect(r.nullCount + r.invalidCount).toBe(missing);
          expect(r.nullCount).toBe(raw.filter((v) => v === null).length);
          raw.forEach((v, i) => {
            if (v !== null && !BAD.includes(v)) expect(r.days[i]).toBe(dayOf(v));
          });
        },
      ),
    );
  });
});
