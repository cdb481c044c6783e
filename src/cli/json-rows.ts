import { DataType } from 'apache-arrow';
import { nullRecord } from '../table/internal';
import type { Field, Table, Vector } from 'apache-arrow';

/** A value as it goes into JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

type Convert = (value: unknown) => JsonValue;

const MS_PER_DAY = 86_400_000;

/**
 * The converter of one Arrow field's values into JSON values: dates as ISO strings (`YYYY-MM-DD` for day dates,
 * the full instant for millisecond dates and timestamps), 64-bit integers (`bigint`) as numbers, lists as arrays,
 * structs as objects, dictionary values as their decoded value, non-finite numbers as `null` (what
 * `JSON.stringify` writes for them anyway), floating-point numbers with at most `digits` significant digits
 * (`Number(x.toPrecision(digits))`, which `JSON.stringify` then writes in its shortest form; `'full'`: every digit).
 * Chosen once per column, so rows are converted without type tests.
 */
function jsonConverter(type: DataType, digits: number | 'full'): Convert {
  if (DataType.isDictionary(type)) return jsonConverter(type.dictionary, digits);
  if (DataType.isDate(type)) {
    // Arrow JS returns dates as epoch milliseconds
    const dayOnly = type.unit === 0; // DateUnit.DAY
    return (v) => (v === null || v === undefined ? null : isoFromMs(Number(v), dayOnly));
  }
  if (DataType.isTimestamp(type)) {
    // Arrow JS returns timestamps of every unit as epoch milliseconds
    return (v) => (v === null || v === undefined ? null : isoFromMs(Number(v), false));
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = jsonConverter((type.children[0] as Field).type, digits);
    return (v) => (v === null || v === undefined ? null : Array.from(v as ArrayLike<unknown>, child));
  }
  if (DataType.isStruct(type)) {
    const fields = type.children.map((f) => [f.name, jsonConverter(f.type, digits)] as const);
    return (v) => {
      if (v === null || v === undefined) return null;
      const row = v as Record<string, unknown>;
      const out: Record<string, JsonValue> = nullRecord();
      for (const [name, convert] of fields) out[name] = convert(row[name]);
      return out;
    };
  }
  if (DataType.isFloat(type) && digits !== 'full') {
    // at most `digits` significant digits: 9.950000000000001 is printed 9.95
    return (v) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(digits)) : scalar(v));
  }
  return scalar;
}

function scalar(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, scalar);
  if (Array.isArray(v)) return v.map(scalar);
  return String(v);
}

function isoFromMs(ms: number, dayOnly: boolean): string | null {
  if (!Number.isFinite(ms)) return null;
  const text = new Date(dayOnly ? Math.floor(ms / MS_PER_DAY) * MS_PER_DAY : ms).toISOString();
  return dayOnly ? text.slice(0, 10) : text;
}

/**
 * Rows `from … to − 1` of a table as JSON-ready objects (column order kept; numbers with at most `digits`
 * significant digits, default 15), with a null prototype so that every
 * column name, `__proto__` included, is an own key. Columns are read once per call as
 * whole vectors, then indexed, which is much faster than `table.get(i)` row proxies.
 */
export function jsonRows(
  table: Table,
  from = 0,
  to = table.numRows,
  digits: number | 'full' = 15,
): Record<string, JsonValue>[] {
  const columns = table.schema.fields.map((field, j) => ({
    name: field.name,
    vector: table.getChildAt(j) as Vector,
    convert: jsonConverter(field.type, digits),
  }));
  const rows: Record<string, JsonValue>[] = [];
  for (let i = from; i < to; i++) {
    // null-prototype rows: a column named __proto__ or constructor is a key like any other, and JSON.stringify
    // writes it (on a plain object, row['__proto__'] = … would set the prototype and the value would be lost)
    const row: Record<string, JsonValue> = nullRecord();
    for (const c of columns) row[c.name] = c.convert(c.vector.get(i));
    rows.push(row);
  }
  return rows;
}
