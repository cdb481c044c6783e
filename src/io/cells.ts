import type { Vector } from 'apache-arrow';
import { TypeId } from '../table/internal';

/**
 * A column read as plain values for the writers and `toDanfo`: one accessor per column chosen once from the
 * Arrow type (never per row). Internal to src/io.
 */
type CellKind = 'text' | 'number' | 'bigint' | 'boolean' | 'date' | 'timestamp' | 'list' | 'other';

export interface ColumnCells {
  readonly kind: CellKind;
  /** The time zone of a timestamp column, when its type has one. */
  readonly timezone: string | null;
  /** The value of row i: null; a string, number, bigint or boolean; epoch milliseconds for dates and timestamps. */
  get(i: number): unknown;
}

/** Arrow's type ids of List and FixedSizeList (apache-arrow `Type.List`, `Type.FixedSizeList`). */
const LIST = 12;
const FIXED_SIZE_LIST = 16;

function kindOf(type: { typeId: number; bitWidth?: number; dictionary?: { typeId: number } }): CellKind {
  switch (type.typeId) {
    case TypeId.Utf8:
    case TypeId.LargeUtf8:
      return 'text';
    case TypeId.Int:
      return type.bitWidth === 64 ? 'bigint' : 'number';
    case TypeId.Float:
      return 'number';
    case TypeId.Bool:
      return 'boolean';
    case TypeId.Date:
      return 'date';
    case TypeId.Timestamp:
      return 'timestamp';
    case LIST:
    case FIXED_SIZE_LIST:
      return 'list';
    case TypeId.Dictionary:
      return type.dictionary ? kindOf(type.dictionary) : 'other';
    default:
      return 'other';
  }
}

export function columnCells(vector: Vector): ColumnCells {
  const type = vector.type as unknown as {
    typeId: number;
    bitWidth?: number;
    unit?: number;
    timezone?: string | null;
    dictionary?: { typeId: number; unit?: number };
  };
  const kind = kindOf(type);
  const valueType = type.typeId === TypeId.Dictionary && type.dictionary ? type.dictionary : type;
  if (kind === 'timestamp') {
    // apache-arrow returns epoch milliseconds for timestamps of every unit
    return {
      kind,
      timezone: (valueType as { timezone?: string | null }).timezone ?? null,
      get: (i) => {
        const v = vector.get(i) as number | bigint | null;
        return v === null ? null : Number(v);
      },
    };
  }
  if (kind === 'date') {
    return { kind, timezone: null, get: (i) => (vector.get(i) === null ? null : Number(vector.get(i))) };
  }
  return { kind, timezone: null, get: (i) => vector.get(i) ?? null };
}

/**
 * A double as text with at most `digits` significant digits, in JavaScript's shortest form
 * (`Number(x.toPrecision(15))`, so `9.950000000000001` → `9.95`); `'full'`, integers below 10^15 and non-finite
 * numbers as `String(x)`.
 */
export function formatNumber(x: number, digits: number | 'full'): string {
  if (digits === 'full' || !Number.isFinite(x) || (Number.isInteger(x) && Math.abs(x) < 1e15)) return String(x);
  return String(Number(x.toPrecision(digits)));
}

/** The values of a list cell (an Arrow vector or an array) as an array. */
export function listValues(v: unknown): unknown[] {
  return Array.from(v as Iterable<unknown>);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of epoch milliseconds (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `YYYY-MM-DD HH:MM:SS` of epoch milliseconds (UTC), with `.sss` when there are milliseconds and `Z` when the
 * column's type names a time zone (its values are then instants).
 */
export function isoTimestamp(ms: number, zoned: boolean): string {
  const d = new Date(ms);
  const base = `${d.toISOString().slice(0, 10)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const milli = d.getUTCMilliseconds();
  return `${base}${milli ? `.${pad(milli, 3)}` : ''}${zoned ? 'Z' : ''}`;
}
