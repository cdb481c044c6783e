import {
  Bool,
  Float64,
  Int32,
  Int64,
  makeVector,
  Null,
  RecordBatch,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { ClienteleError, describeValue } from './errors';
import { stringVector } from './build';
import { hasOwnKey, tableOf } from './safe-keys';

/** What {@link asTable} accepts. */
export type TableInput =
  | Table
  | RecordBatch
  | ReadonlyArray<Record<string, unknown>>
  | Record<string, ArrayLike<unknown> | Vector>
  | DanfoLikeFrame;

/** The part of a danfo.js `DataFrame` that {@link asTable} reads (duck-typed: danfo is an optional peer). */
export interface DanfoLikeFrame {
  columns: string[];
  dtypes: string[];
  column(name: string): { values: ArrayLike<unknown> };
}

const TYPED_ARRAYS = [
  Float64Array,
  Float32Array,
  Int32Array,
  Int16Array,
  Int8Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  BigInt64Array,
  BigUint64Array,
];

function isArrowTable(x: unknown): x is Table {
  const t = x as Table;
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray(t.batches) &&
    typeof t.getChild === 'function' &&
    typeof t.numRows === 'number' &&
    Array.isArray(t.schema?.fields)
  );
}

function isRecordBatch(x: unknown): x is RecordBatch {
  const b = x as RecordBatch;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.numRows === 'number' &&
    typeof b.getChild === 'function' &&
    Array.isArray(b.schema?.fields) &&
    !Array.isArray((b as unknown as Table).batches)
  );
}

function isDanfoFrame(x: unknown): x is DanfoLikeFrame {
  const d = x as DanfoLikeFrame;
  return (
    typeof d === 'object' &&
    d !== null &&
    Array.isArray(d.columns) &&
    Array.isArray(d.dtypes) &&
    typeof d.column === 'function'
  );
}

function isArrowVector(x: unknown): x is Vector {
  const v = x as Vector;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.data) &&
    typeof v.get === 'function' &&
    typeof v.type?.typeId === 'number'
  );
}

/**
 * The one input dispatcher: turns what users hold into an Arrow `Table`, detecting each kind by its shape (never by
 * `instanceof`, which fails across two copies of apache-arrow or of this package).
 *
 * - an Arrow `Table` is returned as it is (no copy); a `RecordBatch` becomes a one-batch table;
 * - an array of plain records becomes one column per key (union of keys, in order of first appearance), typed
 *   from the values: numbers → Int32 when all are 32-bit integers, else Float64; strings → Utf8; booleans → Bool;
 *   `Date`s → Timestamp (ms); bigints → Int64; `null`/`undefined` → null;
 * - an object of columns (arrays, typed arrays or Arrow vectors of one length); typed arrays are wrapped without
 *   a copy (an object literal's `__proto__: [...]` sets its prototype and makes no column: it is refused, and a
 *   column of that name comes through `JSON.parse`, `Object.defineProperty` or records);
 *
 * Names are never taken for `Object.prototype` members: a record key or column named `__proto__`, `constructor`,
 * `toString`, `hasOwnProperty` or `valueOf` is an ordinary column, and a record without that key has null there.
 * Strings must be well-formed UTF-16: Arrow stores UTF-8, where every lone surrogate (`'\uD800'`, `'\uDBFF'`)
 * would become U+FFFD and two ids would merge, so a lone surrogate is refused with its column and row.
 * - a danfo.js `DataFrame`, read column by column.
 *
 * Cost: zero-copy for Arrow input and typed-array columns; one pass per column otherwise.
 *
 * @throws {ClienteleError} `INVALID_INPUT` for anything else or columns of unequal length; `INVALID_TYPE` for a
 * record column that mixes kinds (e.g. numbers and strings); `INVALID_VALUE` for a string with a lone surrogate
 * @example
 * asTable([{ customer: 'a', amount: 10 }, { customer: 'b', amount: 5.5 }]).numRows; // 2
 */
export function asTable(input: unknown): Table {
  if (isArrowTable(input)) return input;
  if (isRecordBatch(input)) return new Table(input);
  if (Array.isArray(input)) return fromRecords(input);
  if (isDanfoFrame(input)) return fromColumns(input.columns.map((name) => [name, input.column(name).values]));
  if (typeof input === 'object' && input !== null) {
    const proto = Object.getPrototypeOf(input);
    if (proto === Object.prototype || proto === null) return fromColumns(Object.entries(input));
    if (Array.isArray(proto)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `asTable: cannot read a table from an object whose prototype is an array (found { __proto__: [...] }); ` +
          `an object literal's __proto__ sets the prototype and makes no column: name the column in quotes inside JSON.parse, ` +
          `or define it with Object.defineProperty, or pass records`,
      );
    }
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `asTable: cannot read a table from ${describeValue(input)}; pass an Arrow Table, an array of records, ` +
      `an object of columns (arrays or typed arrays), or a danfo.js DataFrame`,
  );
}

function fromRecords(records: readonly unknown[]): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `asTable: row ${i} is not a record (found ${describeValue(record)}); pass an array of plain objects such as ` +
          `{ customer: 'a', amount: 10 }`,
        { row: i },
      );
    }
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  return tableOf(names.map((name) => [name, inferVector(recordColumn(records, name), name)]));
}

/** The values of key `name` in every record: own keys only, so `constructor` is null where a record lacks it. */
function recordColumn(records: readonly unknown[], name: string): unknown[] {
  const values = new Array<unknown>(records.length);
  if (hasOwnKey(Object.prototype, name)) {
    for (let i = 0; i < records.length; i++) {
      values[i] = hasOwnKey(records[i], name) ? (records[i] as Record<string, unknown>)[name] : undefined;
    }
  } else {
    // an ordinary name: no record inherits it, so the plain read is exact (and the hot path)
    for (let i = 0; i < records.length; i++) values[i] = (records[i] as Record<string, unknown>)[name];
  }
  return values;
}

function fromColumns(columns: readonly (readonly [string, unknown])[]): Table {
  const vectors: [string, Vector][] = [];
  let length = -1;
  let first = '';
  for (const [name, column] of columns) {
    let vector: Vector;
    if (isArrowVector(column)) vector = column;
    else if (TYPED_ARRAYS.some((T) => column instanceof T)) vector = makeVector(column as Float64Array);
    else if (Array.isArray(column)) vector = inferVector(column, name);
    else {
      throw new ClienteleError(
        'INVALID_INPUT',
        `asTable: column "${name}" is not an array, a typed array or an Arrow vector (found ${describeValue(column)}); ` +
          `pass { ${name}: [...] }`,
        { column: name },
      );
    }
    if (length < 0) {
      length = vector.length;
      first = name;
    } else if (vector.length !== length) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `asTable: column "${name}" has ${vector.length} values but column "${first}" has ${length}; ` +
          `give every column the same length`,
        { column: name },
      );
    }
    vectors.push([name, vector]);
  }
  return tableOf(vectors);
}

/** A UTF-16 code unit of a surrogate pair standing alone: with the `u` flag, paired ones read as one code point. */
const LONE_SURROGATE = /\p{Cs}/u;

function loneSurrogate(value: string, name: string, row: number): ClienteleError {
  const at = value.search(LONE_SURROGATE);
  const unit = value.charCodeAt(at).toString(16).toUpperCase();
  return new ClienteleError(
    'INVALID_VALUE',
    `asTable: column "${name}" row ${row} holds a lone surrogate \\u${unit} at index ${at} (found ` +
      `${JSON.stringify(value.slice(0, 20))}), which UTF-8 cannot store: Arrow would write U+FFFD and merge it with ` +
      `other such ids; repair the text (String.prototype.toWellFormed) or key the rows by numbers`,
    { column: name, row },
  );
}

type Kind = 'number' | 'string' | 'boolean' | 'date' | 'bigint';

function kindOf(value: unknown): Kind | 'other' {
  if (value instanceof Date) return 'date';
  const t = typeof value;
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint' ? t : 'other';
}

/** Infers the Arrow type of one column of plain values, refusing mixed kinds. */
function inferVector(values: readonly unknown[], name: string): Vector {
  let kind: Kind | undefined;
  let kindRow = -1;
  let int32 = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const k = kindOf(v);
    if (k === 'other') {
      throw new ClienteleError(
        'INVALID_TYPE',
        `asTable: column "${name}" row ${i} holds ${describeValue(v)}, which is not a number, string, boolean, Date ` +
          `or bigint; flatten it to one of those`,
        { column: name, row: i },
      );
    }
    if (kind === undefined) {
      kind = k;
      kindRow = i;
    } else if (k !== kind) {
      throw new ClienteleError(
        'INVALID_TYPE',
        `asTable: column "${name}" mixes ${kind}s (row ${kindRow}: ${describeValue(values[kindRow])}) and ${k}s ` +
          `(row ${i}: ${describeValue(v)}); give each column values of one kind`,
        { column: name, row: i },
      );
    }
    if (k === 'number' && int32 && ((v as number) | 0) !== v) int32 = false;
    else if (k === 'string' && LONE_SURROGATE.test(v as string)) throw loneSurrogate(v as string, name, i);
  }
  let type: DataType;
  switch (kind) {
    case undefined:
      type = new Null();
      break;
    case 'number':
      type = int32 ? new Int32() : new Float64();
      break;
    case 'string':
      type = new Utf8();
      break;
    case 'boolean':
      type = new Bool();
      break;
    case 'date':
      type = new TimestampMillisecond();
      break;
    case 'bigint':
      type = new Int64();
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  // an invalid Date becomes null: readers then count the row as a missing date
  const normalised = values.map((v) => {
    if (v === undefined || v === null) return null;
    if (kind !== 'date') return v;
    const ms = (v as Date).getTime();
    return Number.isNaN(ms) ? null : ms;
  });
  return kind === 'string'
    ? stringVector(normalised as (string | null)[])
    : vectorFromArray(normalised as never[], type);
}
