import { daysFromCivil } from '../table/internal';

/**
 * Parsers of one text field given as a byte range `[s, e)` of a UTF-8 buffer, used by the CSV reader so that no
 * JS string is made for numbers, booleans and dates. Each returns its value and sets {@link parsed.ok}; surrounding
 * spaces and tabs are ignored. Internal to src/io.
 */
export const parsed = { ok: true };

const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;

/** Exact powers of ten: 10^k is a double without rounding for k ≤ 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MS_PER_DAY = 86_400_000;

/** First byte of `[s, e)` that is not a space or tab. */
function trimStart(buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
  return s;
}

/** One past the last byte of `[s, e)` that is not a space or tab. */
function trimEnd(buf: Uint8Array, s: number, e: number): number {
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
  return e;
}

/** A decimal integer in [-2^31, 2^31 - 1] (optional sign, digits). */
export function parseInt32(buf: Uint8Array, s: number, e: number): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  let i = s;
  let negative = false;
  if (i < e && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
  if (i === e || e - i > 10 + 9) {
    parsed.ok = false;
    return 0;
  }
  let v = 0;
  for (; i < e; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) {
      parsed.ok = false;
      return 0;
    }
    v = v * 10 + d;
    if (v > 2147483648) {
      parsed.ok = false;
      return 0;
    }
  }
  if (negative) v = -v;
  parsed.ok = v <= 2147483647;
  return v;
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 32 : b;
}

/** True when `[s, e)` spells `word` (lower-case ASCII) in any case. */
function spells(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(buf[s + k]) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * A decimal number: optional sign, digits with an optional fraction, an optional exponent (`1`, `-2.5`, `.5`,
 * `5.`, `1e-7`), or `nan`, `inf`, `infinity` in any case with an optional sign. Correctly rounded: up to 15
 * significant digits and a decimal exponent within ±22 are computed exactly (Clinger's fast path: one rounding of
 * an exact integer times or over an exact power of ten); anything longer goes to `Number()` after the grammar was
 * checked here.
 */
export function parseFloat64(buf: Uint8Array, s: number, e: number): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  let i = s;
  let negative = false;
  if (i < e && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
  parsed.ok = true;
  if (i < e && buf[i] > NINE) {
    if (spells(buf, i, e, 'nan')) return NaN;
    if (spells(buf, i, e, 'inf') || spells(buf, i, e, 'infinity')) return negative ? -Infinity : Infinity;
    parsed.ok = false;
    return 0;
  }
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  for (; i < e; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) break;
    digits++;
    if (significant > 0 || d > 0) {
      if (significant < 15) mantissa = mantissa * 10 + d;
      else exponent++;
      significant++;
    }
  }
  if (i < e && buf[i] === DOT) {
    for (i++; i < e; i++) {
      const d = buf[i] - ZERO;
      if (d < 0 || d > 9) break;
      digits++;
      if (significant > 0 || d > 0) {
        if (significant < 15) {
          mantissa = mantissa * 10 + d;
          exponent--;
        }
        significant++;
      } else exponent--;
    }
  }
  if (digits === 0) {
    parsed.ok = false;
    return 0;
  }
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (i < e && (buf[i] === MINUS || buf[i] === PLUS)) expNegative = buf[i++] === MINUS;
    const start = i;
    let written = 0;
    for (; i < e; i++) {
      const d = buf[i] - ZERO;
      if (d < 0 || d > 9) break;
      if (written < 100000) written = written * 10 + d;
    }
    if (i === start) {
      parsed.ok = false;
      return 0;
    }
    exponent += expNegative ? -written : written;
  }
  if (i !== e) {
    parsed.ok = false;
    return 0;
  }
  let v: number;
  if (mantissa === 0) v = 0;
  else if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    v = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
  } else {
    // more than 15 significant digits or a large exponent: the platform's correctly rounded conversion
    let text = '';
    for (let k = s; k < e; k++) text += String.fromCharCode(buf[k]);
    return Number(text);
  }
  return negative ? -v : v;
}

/** `true` or `false` in any case; the value is 1 or 0. */
export function parseBool(buf: Uint8Array, s: number, e: number): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  if (spells(buf, s, e, 'true')) {
    parsed.ok = true;
    return 1;
  }
  parsed.ok = spells(buf, s, e, 'false');
  return 0;
}

function digitsAt(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = buf[i + k] - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function validCivil(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const last = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= last;
}

/** The calendar date `YYYY-MM-DD` at `i` as an epoch day, or NaN. */
function dateAt(buf: Uint8Array, i: number): number {
  if (buf[i + 4] !== MINUS || buf[i + 7] !== MINUS) return NaN;
  const y = digitsAt(buf, i, 4);
  const m = digitsAt(buf, i + 5, 2);
  const d = digitsAt(buf, i + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !validCivil(y, m, d)) return NaN;
  return daysFromCivil(y, m, d);
}

/** An ISO date `YYYY-MM-DD` as days since 1970-01-01. */
export function parseDate(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== 10) {
    s = trimStart(buf, s, e);
    e = trimEnd(buf, s, e);
  }
  let days = NaN;
  if (e - s === 10 && buf[s + 4] === MINUS && buf[s + 7] === MINUS) {
    // hand-written: the hot path of date columns, no call per digit
    // (x >>> 0) < 10 tests 0 ≤ x ≤ 9 in one comparison
    const y0 = buf[s] - ZERO,
      y1 = buf[s + 1] - ZERO,
      y2 = buf[s + 2] - ZERO,
      y3 = buf[s + 3] - ZERO;
    const m0 = buf[s + 5] - ZERO,
      m1 = buf[s + 6] - ZERO,
      d0 = buf[s + 8] - ZERO,
      d1 = buf[s + 9] - ZERO;
    if (
      y0 >>> 0 < 10 &&
      y1 >>> 0 < 10 &&
      y2 >>> 0 < 10 &&
      y3 >>> 0 < 10 &&
      m0 >>> 0 < 10 &&
      m1 >>> 0 < 10 &&
      d0 >>> 0 < 10 &&
      d1 >>> 0 < 10
    ) {
      const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
      const m = m0 * 10 + m1;
      const d = d0 * 10 + d1;
      if (validCivil(y, m, d)) days = daysFromCivil(y, m, d);
    }
  }
  parsed.ok = days === days;
  return days;
}

/**
 * An ISO timestamp as milliseconds since 1970-01-01T00:00:00Z: `YYYY-MM-DD`, then optionally `T` or a space,
 * `HH:MM`, `:SS`, a fraction (digits after the third are dropped, i.e. truncated to the millisecond), and an offset
 * `Z`, `±HH`, `±HHMM` or `±HH:MM` (optionally after a space). Without an offset the time is taken as UTC. A bare
 * date is its midnight.
 */
export function parseTimestamp(buf: Uint8Array, s: number, e: number): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  parsed.ok = false;
  if (e - s < 10) return NaN;
  const days = dateAt(buf, s);
  if (days !== days) return NaN;
  let ms = days * MS_PER_DAY;
  let i = s + 10;
  if (i === e) {
    parsed.ok = true;
    return ms;
  }
  if (buf[i] !== 0x54 && buf[i] !== SPACE) return NaN;
  i++;
  if (e - i < 5 || buf[i + 2] !== COLON) return NaN;
  const hh = digitsAt(buf, i, 2);
  const mm = digitsAt(buf, i + 3, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
  ms += hh * 3_600_000 + mm * 60_000;
  i += 5;
  if (i < e && buf[i] === COLON) {
    const ss = e - i >= 3 ? digitsAt(buf, i + 1, 2) : -1;
    if (ss < 0 || ss > 59) return NaN;
    ms += ss * 1000;
    i += 3;
    if (i < e && buf[i] === DOT) {
      i++;
      const start = i;
      let scale = 100;
      for (; i < e; i++) {
        const d = buf[i] - ZERO;
        if (d < 0 || d > 9) break;
        ms += d * scale;
        scale /= 10;
        if (scale < 1) scale = 0;
      }
      if (i === start) return NaN;
    }
  }
  if (i < e && buf[i] === SPACE) i++;
  if (i < e) {
    if (buf[i] === 0x5a && i + 1 === e) i++;
    else if (buf[i] === PLUS || buf[i] === MINUS) {
      const sign = buf[i] === MINUS ? -1 : 1;
      i++;
      const oh = e - i >= 2 ? digitsAt(buf, i, 2) : -1;
      if (oh < 0 || oh > 23) return NaN;
      i += 2;
      let om = 0;
      if (i < e) {
        if (buf[i] === COLON) i++;
        om = e - i === 2 ? digitsAt(buf, i, 2) : -1;
        if (om < 0 || om > 59) return NaN;
        i += 2;
      }
      ms -= sign * (oh * 3_600_000 + om * 60_000);
    } else return NaN;
  }
  if (i !== e) return NaN;
  parsed.ok = true;
  return ms;
}

/** Types a field can be read as, as bits: the inference of a column keeps the bits every value shares. */
export const FITS_BOOL = 1;
export const FITS_INT32 = 2;
export const FITS_NUMBER = 4;
export const FITS_DATE = 8;
export const FITS_TIMESTAMP = 16;
export const FITS_ANY = 31;

/** The bits of the types the non-empty field `[s, e)` can be read as (0: text only). */
export function classify(buf: Uint8Array, s: number, e: number): number {
  const t = trimStart(buf, s, e);
  if (t === e) return 0;
  const c = lower(buf[t]);
  if (c === 0x74 || c === 0x66) {
    parseBool(buf, s, e);
    return parsed.ok ? FITS_BOOL : 0;
  }
  let fits = 0;
  const e2 = trimEnd(buf, t, e);
  if (e2 - t >= 10 && buf[t + 4] === MINUS) {
    parseTimestamp(buf, t, e2);
    if (parsed.ok) fits |= FITS_TIMESTAMP;
    if (e2 - t === 10) {
      parseDate(buf, t, e2);
      if (parsed.ok) fits |= FITS_DATE;
    }
    if (fits) return fits;
  }
  if ((c >= ZERO && c <= NINE) || c === MINUS || c === PLUS || c === DOT || c === 0x6e || c === 0x69) {
    parseInt32(buf, t, e2);
    if (parsed.ok) return FITS_INT32 | FITS_NUMBER;
    const value = parseFloat64(buf, t, e2);
    // an integer literal from 2^53 on may have no exact double (2^53 + 1 reads as 2^53): inferred as text, so ids keep every digit
    if (parsed.ok) return Math.abs(value) >= 2 ** 53 && plainInteger(buf, t, e2) ? 0 : FITS_NUMBER;
  }
  return 0;
}

/** True when `[s, e)` is an optional sign followed by decimal digits only. */
function plainInteger(buf: Uint8Array, s: number, e: number): boolean {
  let i = buf[s] === MINUS || buf[s] === PLUS ? s + 1 : s;
  if (i === e) return false;
  for (; i < e; i++) if (buf[i] < ZERO || buf[i] > NINE) return false;
  return true;
}

/**
 * True when `[s, e)` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
 * ASCII is skipped a byte at a time; only fields with a byte ≥ 0x80 take the decoding path.
 */
export function utf8Valid(buf: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e && buf[i] < 0x80) i++;
  while (i < e) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= e) return false;
    const c = buf[i + 1];
    if (c < lo || c > hi) return false;
    for (let k = 2; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += need + 1;
  }
  return true;
}
