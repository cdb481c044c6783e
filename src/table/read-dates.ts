import type { Data, Table, Vector } from 'apache-arrow';
import { forEachChunk, getColumn, isValidAt, TypeId, typeName } from './column';
import { ClienteleError, describeValue } from './errors';
import { readKeysVector } from './read-keys';
import { readNumericVector } from './read-numeric';
import { NO_DATE } from './no-date';

/** How plain numbers in a date column are read: days, seconds or milliseconds since 1970-01-01, or `YYYYMMDD`. */
export type DateUnit = 'day' | 's' | 'ms' | 'yyyymmdd';

export { NO_DATE };

const MS_PER_DAY = 86_400_000;

/** A date column read as whole days since 1970-01-01 (UTC calendar days). */
export interface DateColumn {
  /** Epoch day per row; {@link NO_DATE} where the row is null or could not be read. May share Arrow memory. */
  readonly days: Int32Array;
  /** Null rows. */
  readonly nullCount: number;
  /** Non-null rows that are not a valid date (e.g. `"2011-13-45"`, `19971345`). */
  readonly invalidCount: number;
  /** The first invalid row and its value (-1 / undefined when there is none), for messages. */
  readonly firstInvalidRow: number;
  readonly firstInvalidValue: unknown;
}

/**
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Hinnant's `days_from_civil`, exact for all years).
 *
 * @example
 * daysFromCivil(1998, 7, 1); // 10408
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  if (typeof y !== 'number' || typeof m !== 'number' || typeof d !== 'number') {
    throw new ClienteleError(
      'INVALID_VALUE',
      `daysFromCivil: year, month and day must be numbers (found ${describeValue(y)}, ${describeValue(m)}, ` +
        `${describeValue(d)}); pass e.g. daysFromCivil(1998, 7, 1)`,
    );
  }
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The first and last readable days: −9999-01-01 and 9999-12-31 (ISO 8601 years of at most four digits, either
 * side of year 0). Wider spans are misread units (epoch milliseconds read as days), not customers' dates.
 */
const MIN_DAY = -4371587;
const MAX_DAY = 2932896;

/** The largest |day| whose civil date is computed exactly (the arithmetic below stays within 2^53). */
const MAX_EXACT_DAY = 2 ** 50;

/**
 * The ISO date `YYYY-MM-DD` of an epoch day (UTC), the inverse of {@link daysFromCivil}: how day numbers are
 * written back into output tables and messages. Total: a day outside the years −9999–9999 (which no reader
 * returns) is written with a signed six-digit year, as ISO 8601's expanded form; NaN and ±Infinity as themselves.
 *
 * @throws {ClienteleError} `INVALID_VALUE` for a non-number, or a day beyond ±2^50 (no exact calendar date)
 *
 * @example
 * isoDate(0); // '1970-01-01'
 * isoDate(-1); // '1969-12-31'
 * // 28 years of 365 days, 7 leap days (1972 … 1996) and 181 days from January to June
 * isoDate(28 * 365 + 7 + 181); // '1998-07-01'
 */
export function isoDate(days: number): string {
  if (!Number.isFinite(days)) {
    if (typeof days === 'number') return String(days);
  } else if (Math.abs(days) <= MAX_EXACT_DAY) {
    return civilIso(days);
  }
  throw new ClienteleError(
    'INVALID_VALUE',
    `isoDate: days must be a number of days since 1970-01-01 within ±${MAX_EXACT_DAY} (found ${describeValue(days)}); ` +
      `pass an epoch day such as 10408`,
  );
}

/** Hinnant's civil_from_days as an ISO date, with an expanded year (±YYYYYY) outside 0000–9999. */
function civilIso(days: number): string {
  // exact for every integer day up to ±2^50 (Date throws a RangeError beyond ±1e8 days)
  const z = Math.floor(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const year =
    y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function validCivil(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const last = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= last;
}

/** An integer `YYYYMMDD` (e.g. 19970101) as an epoch day, or NaN when it is not a valid date. */
export function yyyymmddToDays(v: number): number {
  if (!Number.isInteger(v) || v < 10000101 || v > 99991231) return NaN;
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  return validCivil(y, m, d) ? daysFromCivil(y, m, d) : NaN;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * An ISO 8601 date or date-time string as an epoch day, or NaN. A date-time with an offset (`Z`, `+02:00`, `-0530`)
 * is taken to its UTC day; one without an offset keeps its written (wall-clock) day. `YYYYMMDD` strings are read
 * too. Hours above 23, minutes or seconds above 59 (no leap seconds, as in JS Date), and impossible dates are NaN.
 *
 * @example
 * parseDateString('1998-07-01'); // 10408
 * parseDateString('2011-10-06 16:20:00'); // 15253
 * parseDateString('2020-01-01T02:00:00+05:00'); // 18261
 */
export function parseDateString(text: string): number {
  if (typeof text !== 'string') return NaN; // not a date, as any unparsable text
  const s = text.trim();
  if (s.length === 8 && /^\d{8}$/.test(s)) return yyyymmddToDays(Number(s));
  const match = ISO.exec(s);
  if (!match) return NaN;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (!validCivil(y, m, d)) return NaN;
  const days = daysFromCivil(y, m, d);
  if (match[4] === undefined) return days;
  const hours = Number(match[4]);
  const minutes = Number(match[5]);
  const seconds = match[6] === undefined ? 0 : Number(match[6]);
  if (hours > 23 || minutes > 59 || seconds > 59) return NaN;
  const offset = match[7];
  if (offset === undefined) return days;
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return NaN;
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // local time minus the offset is UTC; whole minutes, so exact
  const utcMinutes = days * 1440 + hours * 60 + minutes - offsetMinutes;
  return Math.floor(utcMinutes / 1440);
}

/** A number in `unit` as an epoch day (NaN when it is not a date in that unit). */
export function numberToDays(v: number, unit: DateUnit): number {
  if (!Number.isFinite(v)) return NaN;
  switch (unit) {
    case 'day':
      return Math.floor(v);
    case 's':
      return Math.floor(v / 86_400);
    case 'ms':
      return Math.floor(v / MS_PER_DAY);
    case 'yyyymmdd':
      return yyyymmddToDays(v);
    default: {
      const never: never = unit;
      return never;
    }
  }
}

const DATE_UNITS: readonly DateUnit[] = ['day', 's', 'ms', 'yyyymmdd'];

/** Validates a `dateUnit` option. @throws {ClienteleError} `INVALID_OPTION` */
export function checkDateUnit(unit: unknown, fn: string): DateUnit | undefined {
  if (unit === undefined) return undefined;
  if (!DATE_UNITS.includes(unit as DateUnit)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option dateUnit must be one of ${DATE_UNITS.map((u) => `'${u}'`).join(', ')} (found ${describeValue(unit)}); ` +
        `'day' for epoch days, 's' or 'ms' for epoch seconds or milliseconds, 'yyyymmdd' for integers like 19970101`,
    );
  }
  return unit as DateUnit;
}

/**
 * One date value (a `Date`, an ISO string, or a number in `unit`, `YYYYMMDD` by default) as an epoch day.
 * Used for options such as `asOf`.
 *
 * @throws {ClienteleError} `INVALID_VALUE` when the value is not a date, or is outside the years −9999–9999
 */
export function toEpochDay(value: unknown, fn: string, option: string, unit?: DateUnit): number {
  let days = NaN;
  if (value instanceof Date) days = Math.floor(value.getTime() / MS_PER_DAY);
  else if (typeof value === 'string') days = parseDateString(value);
  else if (typeof value === 'number') days = numberToDays(value, unit ?? 'yyyymmdd');
  if (!Number.isFinite(days)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: option ${option} is not a date (found ${describeValue(value)}); pass a Date, an ISO string such as ` +
        `'1998-07-01', or a number in the dateUnit (${unit ?? 'yyyymmdd'})`,
    );
  }
  if (days < MIN_DAY || days > MAX_DAY) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: option ${option} is outside the years −9999–9999 (found ${describeValue(value)}, day ${days}); ` +
        `pass a date between -9999-01-01 and 9999-12-31 (check the dateUnit: ${unit ?? 'yyyymmdd'})`,
    );
  }
  return days;
}

/**
 * Reads column `name` as epoch days.
 *
 * Accepted: Arrow Date32 (zero-copy when single-chunk and null-free), Date64, Timestamp in any unit (floored to
 * the UTC day), ISO strings (plain or dictionary-encoded; each distinct string is parsed once), and numbers —
 * `YYYYMMDD` integers unless `dateUnit` says days, seconds or milliseconds since the epoch.
 * Rows that are null or not a valid date get {@link NO_DATE} and are counted; a date outside the years
 * −9999–9999 (`MIN_DAY` … `MAX_DAY`: `new Date(8.64e15)`, epoch milliseconds read as days) is not a
 * valid date either. A column in which not one non-null value is a date is an `INVALID_TYPE` error, since that is
 * a wrong column or a wrong `dateUnit`.
 *
 * Cost: O(n); strings cost O(distinct) parses.
 *
 * @param table an Arrow table (use `asTable` on other input first)
 * @param name the column to read
 * @param fn the public function that reads the column, named in error messages
 * @param option the option that named the column, named in error messages
 * @param unit how plain numbers are read, default `'yyyymmdd'`
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 * @example
 * const dates = readDates(asTable({ date: ['1998-07-01', null, '1998-02-30'] }), 'date', 'myAnalysis', 'date');
 * dates.days[0]; // 10408
 * dates.days[1] === NO_DATE && dates.days[2] === NO_DATE; // true
 * [dates.nullCount, dates.invalidCount, dates.firstInvalidRow, dates.firstInvalidValue]; // [1, 1, 2, '1998-02-30']
 * readDates(asTable({ day: [10408] }), 'day', 'myAnalysis', 'date', 'day').days[0]; // 10408
 * readDates(asTable({ day: [19980701] }), 'day', 'myAnalysis', 'date').days[0]; // 10408
 */
export function readDates(table: Table, name: string, fn: string, option: string, unit?: DateUnit): DateColumn {
  const vector = getColumn(table, name, fn, option);
  const typeId = vector.type.typeId;
  let result: DateColumn;
  if (typeId === TypeId.Date || typeId === TypeId.Timestamp) result = temporalDays(vector);
  else if (typeId === TypeId.Int || typeId === TypeId.Float || typeId === TypeId.Decimal) {
    result = numericDays(vector, name, fn, unit ?? 'yyyymmdd');
  } else if (
    typeId === TypeId.Utf8 ||
    typeId === TypeId.LargeUtf8 ||
    (typeId === TypeId.Dictionary && isTextDictionary(vector))
  ) {
    result = stringDays(vector, name, fn);
  } else if (typeId === TypeId.Null) {
    result = {
      days: new Int32Array(vector.length).fill(NO_DATE),
      nullCount: vector.length,
      invalidCount: 0,
      firstInvalidRow: -1,
      firstInvalidValue: undefined,
    };
  } else {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${name}" (option ${option}) must hold dates (found ${typeName(vector.type)}); ` +
        `pass Arrow dates or timestamps, ISO strings, YYYYMMDD integers, or numbers with dateUnit`,
      { column: name },
    );
  }
  result = withinYears(result, vector);
  if (result.invalidCount > 0 && result.invalidCount + result.nullCount === vector.length) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${name}" (option ${option}) holds no readable date (row ${result.firstInvalidRow}: ` +
        `${describeValue(result.firstInvalidValue)}); ` +
        (typeId === TypeId.Int || typeId === TypeId.Float
          ? `numbers are read as ${unit ?? 'yyyymmdd'}: pass dateUnit 'day', 's' or 'ms' for epoch numbers`
          : `use ISO dates such as '2024-03-31', Arrow dates, or YYYYMMDD integers`),
      { column: name, row: result.firstInvalidRow },
    );
  }
  return result;
}

/** The column with every day outside `MIN_DAY` … `MAX_DAY` made invalid (copied only when one is). */
function withinYears(result: DateColumn, vector: Vector): DateColumn {
  const source = result.days;
  let days: Int32Array | null = null;
  let { invalidCount, firstInvalidRow, firstInvalidValue } = result;
  for (let i = 0; i < source.length; i++) {
    const d = source[i];
    if (d === NO_DATE || (d >= MIN_DAY && d <= MAX_DAY)) continue;
    days ??= source.slice(); // the fast path's days may be Arrow's memory: never written
    days[i] = NO_DATE;
    if (invalidCount++ === 0 || i < firstInvalidRow) {
      firstInvalidRow = i;
      firstInvalidValue = vector.get(i);
    }
  }
  return days === null
    ? result
    : { days, nullCount: result.nullCount, invalidCount, firstInvalidRow, firstInvalidValue };
}

function isTextDictionary(vector: Vector): boolean {
  const valueType = (vector.type as unknown as { dictionary?: { typeId: number } }).dictionary;
  return valueType?.typeId === TypeId.Utf8 || valueType?.typeId === TypeId.LargeUtf8;
}

function temporalDays(vector: Vector): DateColumn {
  const type = vector.type as unknown as { typeId: number; unit: number };
  const chunks = vector.data as Data[];
  const dateDay = type.typeId === TypeId.Date && type.unit === 0;
  if (dateDay && chunks.length === 1 && chunks[0].nullCount === 0) {
    const data = chunks[0];
    return {
      days: (data.values as Int32Array).subarray(0, data.length),
      nullCount: 0,
      invalidCount: 0,
      firstInvalidRow: -1,
      firstInvalidValue: undefined,
    };
  }
  // units per day: Date64 is milliseconds; Timestamp unit 0..3 is s, ms, us, ns
  const perDay = type.typeId === TypeId.Date ? MS_PER_DAY : [86_400, MS_PER_DAY, 86_400e6, 86_400e9][type.unit];
  const days = new Int32Array(vector.length);
  let nullCount = 0;
  let invalidCount = 0;
  let firstInvalidRow = -1;
  let firstInvalidValue: unknown;
  forEachChunk(vector, (data, start) => {
    const n = data.length;
    const hasNulls = data.nullCount > 0;
    if (dateDay) days.set((data.values as Int32Array).subarray(0, n), start);
    else {
      const raw = data.values as BigInt64Array;
      const words = new Int32Array(raw.buffer, raw.byteOffset, n * 2);
      for (let i = 0; i < n; i++) {
        const d = floorDivInt64(words[2 * i], words[2 * i + 1], perDay);
        if (d > -2147483648 && d <= 2147483647) days[start + i] = d;
        else {
          days[start + i] = NO_DATE;
          if (hasNulls && !isValidAt(data, i)) continue; // counted as null below
          if (invalidCount++ === 0) {
            firstInvalidRow = start + i;
            firstInvalidValue = raw[i];
          }
        }
      }
    }
    if (hasNulls) {
      for (let i = 0; i < n; i++) {
        if (!isValidAt(data, i)) {
          days[start + i] = NO_DATE;
          nullCount++;
        }
      }
    }
  });
  return { days, nullCount, invalidCount, firstInvalidRow, firstInvalidValue };
}

/**
 * ⌊v / divisor⌋ for the signed 64-bit integer v = hi·2^32 + lo (lo unsigned), exactly, for an integer divisor
 * below 2^53 — where converting v to a double first would round nanosecond timestamps across midnight.
 * hi·2^32 is exact as a double (a 31-bit integer times a power of two) and `%` on doubles is exact; the multiple
 * of the divisor left is exact whenever the quotient fits an Int32 day (the divisor's odd part times the quotient
 * stays below 2^53 for s, ms, us and ns), and the remainder sum is below 2^53.
 */
function floorDivInt64(lo: number, hi: number, divisor: number): number {
  const high = hi * 4294967296;
  const highRemainder = high % divisor;
  const quotient = (high - highRemainder) / divisor;
  return quotient + Math.floor((highRemainder + (lo >>> 0)) / divisor);
}

function numericDays(vector: Vector, name: string, fn: string, unit: DateUnit): DateColumn {
  const { values, nullCount, nulls } = readNumericVector(vector, name, fn);
  const days = new Int32Array(values.length);
  let invalidCount = 0;
  let firstInvalidRow = -1;
  let firstInvalidValue: unknown;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (nulls !== null && nulls[i] === 1) {
      days[i] = NO_DATE;
      continue;
    }
    const d = numberToDays(v, unit);
    if (d === d && Math.abs(d) < 2 ** 31) days[i] = d;
    else {
      days[i] = NO_DATE;
      if (invalidCount++ === 0) {
        firstInvalidRow = i;
        firstInvalidValue = v;
      }
    }
  }
  return { days, nullCount, invalidCount, firstInvalidRow, firstInvalidValue };
}

function stringDays(vector: Vector, name: string, fn: string): DateColumn {
  const keys = readKeysVector(vector, name, fn);
  const parsed = new Int32Array(keys.size);
  for (let id = 0; id < keys.size; id++) {
    const d = parseDateString(String(keys.keys.get(id)));
    parsed[id] = Number.isFinite(d) ? d : NO_DATE;
  }
  const days = new Int32Array(vector.length);
  let invalidCount = 0;
  let firstInvalidRow = -1;
  let firstInvalidValue: unknown;
  for (let i = 0; i < days.length; i++) {
    const id = keys.codes[i];
    if (id < 0) {
      days[i] = NO_DATE;
      continue;
    }
    const d = parsed[id];
    days[i] = d;
    if (d === NO_DATE && invalidCount++ === 0) {
      firstInvalidRow = i;
      firstInvalidValue = keys.keys.get(id);
    }
  }
  return { days, nullCount: keys.nullCount, invalidCount, firstInvalidRow, firstInvalidValue };
}
