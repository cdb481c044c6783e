import type { Data, DataType, Table, Vector } from 'apache-arrow';
import { ClienteleError, describeValue } from './errors';

/**
 * Arrow type ids from the Arrow columnar format specification (stable across apache-arrow versions, which is why
 * they are matched by number and never by `instanceof`).
 */
export const TypeId = {
  Null: 1,
  Int: 2,
  Float: 3,
  Binary: 4,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Time: 9,
  Timestamp: 10,
  LargeUtf8: 20,
  Dictionary: -1,
} as const;

/**
 * The column `name` of `table`, or a `MISSING_COLUMN` error that lists the columns the table does have and the
 * option that named the missing one.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`
 */
export function getColumn(table: Table, name: string, fn: string, option: string): Vector {
  if (typeof fn !== 'string' || typeof option !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `column readers: fn and option must be strings naming the caller and its column option (found ` +
        `${describeValue(fn)}, ${describeValue(option)}); pass e.g. readNumeric(table, 'amount', 'myFunction', 'amount')`,
    );
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must name a column (found ${describeValue(name)}); pass e.g. { ${option}: '${option}' }`,
    );
  }
  if (typeof (table as { getChild?: unknown } | null)?.getChild !== 'function') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table must be an Arrow Table (found ${describeValue(table)}); pass it through asTable first`,
    );
  }
  const vector = table.getChild(name);
  if (!vector) {
    const found = table.schema.fields.map((f) => f.name);
    const shown = found.length > 12 ? `${found.slice(0, 12).join(', ')}, …` : found.join(', ');
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "${name}" (option ${option}) is not in the table (found columns: ${shown || 'none'}); ` +
        `pass the name of the ${option} column as { ${option}: '…' }`,
      { column: name },
    );
  }
  return vector as Vector;
}

/** True when row `i` of the chunk (0-based, relative to the chunk) holds a value. */
export function isValidAt(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return true;
  const bit = data.offset + i;
  return (bitmap[bit >> 3] & (1 << (bit & 7))) !== 0;
}

/** A readable name of an Arrow type for messages. */
export function typeName(type: DataType): string {
  return String(type);
}

/** Visits every chunk of a vector with the row index of its first row. */
export function forEachChunk(vector: Vector, visit: (data: Data, start: number) => void): void {
  let start = 0;
  for (const data of vector.data) {
    visit(data as Data, start);
    start += data.length;
  }
}

/**
 * Reads a 64-bit integer buffer (`BigInt64Array` / `BigUint64Array`, as apache-arrow stores Int64, Date64 and
 * Timestamp) as doubles without creating a BigInt per row: the two 32-bit halves are combined arithmetically.
 * Exact below 2^53; beyond it the nearest double.
 */
export function int64AsFloat64(values: BigInt64Array | BigUint64Array, signed: boolean, length: number): Float64Array {
  const words = new Int32Array(values.buffer, values.byteOffset, length * 2);
  const out = new Float64Array(length);
  // hand-written: one multiply-add per row instead of a BigInt allocation per row
  if (signed) {
    for (let i = 0; i < length; i++) out[i] = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
  } else {
    for (let i = 0; i < length; i++) out[i] = (words[2 * i + 1] >>> 0) * 4294967296 + (words[2 * i] >>> 0);
  }
  return out;
}
