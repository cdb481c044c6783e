import { InvalidArgumentError } from 'commander';

/**
 * Parsers of option values for commander's `argParser`. Each throws commander's `InvalidArgumentError`, which the
 * program reports as `error: option '--bins <n>' argument 'x' is invalid. <reason>` and exits with status 2 (a
 * usage error), before any file is read.
 */

/**
 * A number written in decimal (`12`, `-0.5`, `1e3`), spaces around it allowed. JavaScript's `Number` also reads
 * `0x10`, `0b11`, `Infinity` and the empty string; a flag's value is decimal or an error, never a surprise.
 */
function decimal(value: string): number {
  const text = value.trim();
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

/** An integer in [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = decimal(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `Expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}.`,
      );
    }
    return n;
  };
}

/** A finite number in [min, max] (either bound open when `open` says so). */
export function numberIn(
  min: number,
  max: number,
  open: { min?: boolean; max?: boolean } = {},
): (value: string) => number {
  return (value) => {
    const n = decimal(value);
    const low = open.min ? n > min : n >= min;
    const high = open.max ? n < max : n <= max;
    if (!Number.isFinite(n) || !low || !high) {
      const range = `${open.min ? '(' : '['}${min}, ${max === Infinity ? '∞' : max}${open.max || max === Infinity ? ')' : ']'}`;
      throw new InvalidArgumentError(`Expected a number in ${range}.`);
    }
    return n;
  };
}

/** A comma-separated list of at least one number, each checked by `each`. */
function numberList(each: (value: string) => number): (value: string) => number[] {
  return (value) => {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new InvalidArgumentError('Expected comma-separated numbers, e.g. 0.8,0.95.');
    return parts.map(each);
  };
}

/** A comma-separated list of non-empty names (column names). */
export function nameList(value: string): string[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw new InvalidArgumentError('Expected comma-separated column names, e.g. recency,frequency.');
  return parts;
}

/** Ascending cumulative-share cut-offs in (0, 1], e.g. `0.8,0.95`. */
export function cutoffList(value: string): number[] {
  const cutoffs = numberList(numberIn(0, 1, { min: true }))(value);
  if (cutoffs.some((c, j) => j > 0 && c <= cutoffs[j - 1])) {
    throw new InvalidArgumentError('Expected strictly ascending shares in (0, 1], e.g. 0.8,0.95.');
  }
  return cutoffs;
}

/** `[min, max]` of a scale, e.g. `1,10`. */
export function scalePair(value: string): [number, number] {
  const pair = numberList(numberIn(-Infinity, Infinity))(value);
  if (pair.length !== 2 || !(pair[0] < pair[1]))
    throw new InvalidArgumentError('Expected two ascending numbers min,max, e.g. 1,10.');
  return [pair[0], pair[1]];
}

/** `[smallest, largest]` k to try, e.g. `2,8`. */
export function kRange(value: string): [number, number] {
  const pair = numberList(integerIn(1))(value);
  if (pair.length !== 2 || pair[0] > pair[1])
    throw new InvalidArgumentError('Expected two integers smallest,largest with smallest ≤ largest, e.g. 2,8.');
  return [pair[0], pair[1]];
}

/** The number of segments, or `auto` to choose it. */
export function segmentCount(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  try {
    return integerIn(1)(value);
  } catch {
    throw new InvalidArgumentError("Expected an integer ≥ 1 or 'auto'.");
  }
}

/** An ISO date `YYYY-MM-DD` (the reference day of an analysis). */
export function isoDay(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value)
    throw new InvalidArgumentError('Expected a date YYYY-MM-DD, e.g. 2024-12-31.');
  return value;
}

/** One `--block name=col1,col2` mapping, collected into a record (the option may repeat). */
export function blockMapping(value: string, previous: Record<string, string[]> | undefined): Record<string, string[]> {
  const at = value.indexOf('=');
  const name = at > 0 ? value.slice(0, at).trim() : '';
  if (!name) throw new InvalidArgumentError('Expected name=col1,col2, e.g. quality=q1,q2,q3.');
  const columns = nameList(value.slice(at + 1));
  return { ...(previous ?? {}), [name]: columns };
}
