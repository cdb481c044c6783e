/**
 * Shared test helpers for the table layer. Everything here is built from apache-arrow and plain JS only, so that
 * expectations never come from the code under test.
 */
import * as A from 'apache-arrow';
import type { Data, DataType, Vector } from 'apache-arrow';

export { catchClientele } from '../helpers/errors';

export const MS_PER_DAY = 86_400_000;

/** Epoch day of a UTC calendar date, by the JS engine's own `Date.UTC` (the independent oracle for dates). */
export function utcDay(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999
  return date.getTime() / MS_PER_DAY;
}

/** Epoch day of an ISO `YYYY-MM-DD` written by hand. */
export function dayOf(iso: string): number {
  return utcDay(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** A vector made of one chunk per part, each built by apache-arrow's own `vectorFromArray`. */
export function chunked(type: DataType, parts: readonly (readonly unknown[])[]): Vector {
  const data: Data[] = parts.flatMap((part) => A.vectorFromArray(part as never[], type as never).data as Data[]);
  return new A.Vector(data);
}

/** A one-column table over `vector` (its chunks become the table's batches). */
export function oneColumn(vector: Vector, name = 'x'): A.Table {
  return new A.Table({ [name]: vector });
}

/** A vector over a 64-bit integer buffer of a temporal or integer `type` (zero-copy, no nulls). */
export function bigVector(type: DataType, values: readonly bigint[]): Vector {
  return A.makeVector(
    A.makeData({ type, length: values.length, nullCount: 0, data: BigInt64Array.from(values) } as never) as Data,
  );
}

/** Cut `values` into consecutive parts at the given (sorted, de-duplicated) positions, dropping empty parts. */
export function splitAt<T>(values: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(values.length, c))))].sort((a, b) => a - b);
  const parts: T[][] = [];
  let start = 0;
  for (const p of [...points, values.length]) {
    if (p > start) parts.push(values.slice(start, p));
    start = Math.max(start, p);
  }
  return parts.length > 0 ? parts : [[]];
}

/** Deep-freezes plain objects and arrays (Dates and typed arrays are left as they are). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof Date)) {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Brute-force dense coding with a JS `Map` (SameValueZero: -0 and 0 are one key): ids in first-appearance order,
 * -1 for null/undefined/NaN.
 */
export function bruteCodes(values: readonly unknown[]): { codes: number[]; keys: unknown[] } {
  const ids = new Map<unknown, number>();
  const keys: unknown[] = [];
  const codes = values.map((v) => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return -1;
    let id = ids.get(v);
    if (id === undefined) {
      id = keys.length;
      ids.set(v, id);
      keys.push(v);
    }
    return id;
  });
  return { codes, keys };
}

/** A dictionary-encoded Utf8 vector: one chunk per `chunks` entry, all sharing `dictionary` (or one each). */
export function dictionaryVector(
  dictionary: readonly string[],
  chunks: readonly (readonly (number | null)[])[],
  shared = true,
): Vector {
  const type = new A.Dictionary(new A.Utf8(), new A.Int32());
  const common = A.vectorFromArray(dictionary as string[], new A.Utf8());
  const data = chunks.map((indices) => {
    const nullBitmap = new Uint8Array(Math.ceil(indices.length / 8));
    indices.forEach((v, i) => {
      if (v !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
    });
    const nullCount = indices.filter((v) => v === null).length;
    return A.makeData({
      type,
      length: indices.length,
      nullCount,
      nullBitmap,
      data: Int32Array.from(indices, (v) => v ?? 0),
      dictionary: shared ? common : A.vectorFromArray(dictionary as string[], new A.Utf8()),
    });
  });
  return new A.Vector(data);
}
