import type { Data, Table, Vector } from 'apache-arrow';
import { forEachChunk, getColumn, int64AsFloat64, isValidAt, TypeId, typeName } from './column';
import { ClienteleError, describeValue } from './errors';

/** A numeric column read as doubles. */
export interface NumericColumn {
  /** One value per row; `NaN` where the row is null (or was NaN). Never write into it: it may share Arrow memory. */
  readonly values: Float64Array;
  /** Number of null rows (NaN values are not counted here). */
  readonly nullCount: number;
  /** The null mask, 1 where the row is null; `null` when no row is. Tells a null from a stored NaN. */
  readonly nulls: Uint8Array | null;
}

/**
 * Reads column `name` as a `Float64Array`, nulls as `NaN`.
 *
 * Zero-copy when the column is one null-free Float64 chunk; otherwise every chunk is converted once. Integer,
 * floating point, 64-bit integer and decimal columns are accepted; anything else is an `INVALID_TYPE` error.
 *
 * Cost: O(n), one pass, no per-row allocation.
 *
 * @param table an Arrow table (use `asTable` on other input first)
 * @param name the column to read
 * @param fn the public function that reads the column, named in error messages
 * @param option the option that named the column, named in error messages
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 * @example
 * const amount = readNumeric(asTable({ amount: [1.5, null, 3] }), 'amount', 'myAnalysis', 'amount');
 * [amount.values[0], amount.values[2], amount.nullCount]; // [1.5, 3, 1]
 * Number.isNaN(amount.values[1]); // true
 * amount.nulls; // Uint8Array [0, 1, 0]
 */
export function readNumeric(table: Table, name: string, fn: string, option: string): NumericColumn {
  const vector = getColumn(table, name, fn, option);
  return readNumericVector(vector, name, fn);
}

/** {@link readNumeric} on a vector already taken from its table. */
export function readNumericVector(vector: Vector, name: string, fn: string): NumericColumn {
  const typeId = vector.type.typeId;
  if (typeId !== TypeId.Int && typeId !== TypeId.Float && typeId !== TypeId.Decimal && typeId !== TypeId.Null) {
    const first = firstNonNull(vector);
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${name}" must hold numbers (found ${typeName(vector.type)}, e.g. ${describeValue(first.value)} ` +
        `at row ${first.row}); convert it to a numeric column before the call`,
      { column: name, row: first.row },
    );
  }
  const chunks = vector.data as Data[];
  if (
    chunks.length === 1 &&
    typeId === TypeId.Float &&
    chunks[0].values instanceof Float64Array &&
    chunks[0].nullCount === 0
  ) {
    const data = chunks[0];
    return { values: (data.values as Float64Array).subarray(0, data.length), nullCount: 0, nulls: null };
  }
  const out = new Float64Array(vector.length);
  const nulls = vector.nullCount > 0 || typeId === TypeId.Null ? new Uint8Array(vector.length) : null;
  let nullCount = 0;
  forEachChunk(vector, (data, start) => {
    const n = data.length;
    if (typeId === TypeId.Null) {
      out.fill(NaN, start, start + n);
      nulls!.fill(1, start, start + n);
      nullCount += n;
      return;
    }
    const values = data.values;
    if (typeId === TypeId.Decimal) {
      const scale = 10 ** ((data.type as { scale?: number }).scale ?? 0);
      for (let i = 0; i < n; i++) out[start + i] = decimalToNumber(data, i, scale);
    } else if (values instanceof Uint16Array && typeId === TypeId.Float) {
      // half-precision floats: let Arrow decode them
      for (let i = 0; i < n; i++) out[start + i] = Number(vector.get(start + i));
    } else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      out.set(int64AsFloat64(values, values instanceof BigInt64Array, n), start);
    } else {
      // typed arrays of every other width convert element-wise through set()
      out.set((values as Float64Array).subarray(0, n), start);
    }
    if (data.nullCount > 0) {
      for (let i = 0; i < n; i++) {
        if (!isValidAt(data, i)) {
          out[start + i] = NaN;
          nulls![start + i] = 1;
          nullCount++;
        }
      }
    }
  });
  return { values: out, nullCount, nulls };
}

/** Decimal128 (four little-endian 32-bit words, two's complement) to the nearest double, divided by 10^scale. */
function decimalToNumber(data: Data, i: number, scale: number): number {
  const words = data.values as Uint32Array;
  const stride = (data as { stride?: number }).stride ?? 4;
  const base = i * stride;
  const negative = (words[base + stride - 1] & 0x80000000) !== 0;
  let value = 0;
  for (let w = stride - 1; w >= 0; w--)
    value = value * 4294967296 + (negative ? ~words[base + w] >>> 0 : words[base + w]);
  // two's complement: -(~x + 1); exact below 2^53, the nearest double beyond
  if (negative) value = -(value + 1);
  return value / scale;
}

/** The first non-null value and its row, for error messages. */
function firstNonNull(vector: Vector): { value: unknown; row: number } {
  for (let i = 0; i < vector.length; i++) {
    const value = vector.get(i);
    if (value !== null && value !== undefined) return { value, row: i };
  }
  return { value: null, row: 0 };
}
