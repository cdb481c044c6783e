import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  makeData,
  Null,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { ClienteleError } from '../table/internal';
import {
  classify,
  FITS_BOOL,
  FITS_DATE,
  FITS_INT32,
  FITS_NUMBER,
  FITS_TIMESTAMP,
  parseBool,
  parsed,
  parseDate,
  parseFloat64,
  parseInt32,
  parseTimestamp,
  utf8Valid,
} from './parse-bytes';

/**
 * Growable per-column buffers of one RecordBatch for the text readers: values are written at a row index (so a
 * half-read record is simply overwritten), validity is a byte per row packed into a bitmap when the batch is
 * emitted. Used by src/io (the readers) and
 * src/parallel (the CSV ranges parsed on threads).
 *
 * Growth policy (one for every reader): row buffers start at {@link initialCapacity} rows and double up to the
 * batch size; a text column's byte buffer doubles from what it needs (never from a projection of one long value
 * over the whole batch), starts a batch at most {@link TEXT_PREALLOCATION} bytes, and stops at
 * {@link MAX_TEXT_BYTES} (Arrow Utf8 offsets are 32-bit) with a `LIMIT_EXCEEDED` error naming `batchSize`.
 */

/**
 * The column types of the text readers (CSV, JSON lines, JSON) and the Arrow type each becomes:
 * `string` → Utf8, `number` → Float64, `integer` → Int32, `boolean` → Bool, `date` → Date32 (`DateDay`, epoch
 * days), `timestamp` → Timestamp(ms) without a time zone (UTC wall clock).
 */
export type ColumnType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'timestamp';

/** Most bytes a text column's buffer is given ahead of need at the start of a batch (16 MiB). */
const TEXT_PREALLOCATION = 1 << 24;
/** Most bytes of text one column can hold in one batch: Arrow Utf8 offsets are signed 32-bit. */
const MAX_TEXT_BYTES = 2 ** 31 - 1;
/** Cells (rows × columns) preallocated at the start, so that a file of 100 000 columns does not ask for gigabytes. */
const INITIAL_CELLS = 1 << 20;

/** The rows a batch's buffers start with: up to 65 536 and the batch size, fewer when there are many columns. */
export function initialCapacity(batchSize: number, columns: number): number {
  return Math.max(1, Math.min(batchSize, 65_536, Math.floor(INITIAL_CELLS / Math.max(1, columns))));
}

/**
 * Why the last `setBytes`/`setValue` that returned false refused its value when the type fits but the value cannot
 * be kept (`undefined` when the value is simply not of the column's type).
 */
export const refused: { why: string | undefined } = { why: undefined };

/** The Arrow type of each column type. */
function arrowType(type: ColumnType): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'number':
      return new Float64();
    case 'integer':
      return new Int32();
    case 'boolean':
      return new Bool();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMillisecond();
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** The column type chosen for the bits every value of a column shares (see `classify`). */
export function typeFromFits(fits: number, sawValue: boolean): ColumnType {
  if (!sawValue) return 'string';
  if (fits & FITS_BOOL) return 'boolean';
  if (fits & FITS_INT32) return 'integer';
  if (fits & FITS_NUMBER) return 'number';
  if (fits & FITS_DATE) return 'date';
  if (fits & FITS_TIMESTAMP) return 'timestamp';
  return 'string';
}

const TYPE_WORD: Record<ColumnType, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a 32-bit integer',
  boolean: 'true or false',
  date: 'an ISO date (YYYY-MM-DD)',
  timestamp: 'an ISO timestamp (YYYY-MM-DD HH:MM:SS)',
};

/** How a value that does not fit `type` is described in messages, and the type that would hold it. */
export function typeWord(type: ColumnType): string {
  return TYPE_WORD[type];
}

export class ColumnBuilder {
  readonly name: string;
  readonly type: ColumnType;
  /** The public function reading, for messages. */
  private readonly fn: string;
  private capacity: number;
  /** 1 where the row holds a value. */
  valid: Uint8Array;
  /** Int32 / DateDay: the values. */
  ints: Int32Array;
  /** Float64 / Timestamp (ms) / Bool (0 or 1): the values. */
  floats: Float64Array;
  /** Utf8: offsets (capacity + 1) and bytes. */
  offsets: Int32Array;
  bytes: Uint8Array;
  /** Bytes per row in the last emitted batch, to size the next one. */
  private bytesHint = 16;

  constructor(name: string, type: ColumnType, capacity: number, fn: string) {
    this.name = name;
    this.type = type;
    this.fn = fn;
    this.capacity = capacity;
    this.valid = new Uint8Array(capacity);
    this.ints = type === 'integer' || type === 'date' ? new Int32Array(capacity) : EMPTY_I32;
    this.floats =
      type === 'number' || type === 'timestamp' || type === 'boolean' ? new Float64Array(capacity) : EMPTY_F64;
    this.offsets = type === 'string' ? new Int32Array(capacity + 1) : EMPTY_I32;
    this.bytes = type === 'string' ? new Uint8Array(capacity * this.bytesHint) : EMPTY_U8;
  }

  /** Makes room for `rows` rows, keeping those written. */
  grow(rows: number): void {
    if (rows <= this.capacity) return;
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a.subarray(0, Math.min(a.length, n)));
      return b;
    };
    this.valid = copy(this.valid, rows);
    if (this.ints.length) this.ints = copy(this.ints, rows);
    if (this.floats.length) this.floats = copy(this.floats, rows);
    if (this.offsets.length) this.offsets = copy(this.offsets, rows + 1);
    this.capacity = rows;
  }

  /** Row `row` is null. */
  setNull(row: number): void {
    this.valid[row] = 0;
    if (this.type === 'string') this.offsets[row + 1] = this.offsets[row];
    else if (this.ints.length) this.ints[row] = 0;
    else this.floats[row] = 0;
  }

  /**
   * Row `row` is the field `[s, e)` of `buf`; `escaped` when a quoted field holds doubled quotes to collapse.
   * Returns false when the text is not a value of the column's type.
   */
  setBytes(row: number, buf: Uint8Array, s: number, e: number, escaped: boolean): boolean {
    switch (this.type) {
      case 'string': {
        if (!utf8Valid(buf, s, e)) {
          refused.why = 'is not valid UTF-8';
          return false;
        }
        let at = this.offsets[row];
        const need = at + (e - s);
        if (need > this.bytes.length) this.growBytes(need);
        const out = this.bytes;
        if (escaped) {
          // a quoted field: "" stands for one quote
          for (let k = s; k < e; k++) {
            out[at++] = buf[k];
            if (buf[k] === 0x22) k++;
          }
        } else if (e - s > 24) {
          out.set(buf.subarray(s, e), at);
          at += e - s;
        } else for (let k = s; k < e; k++) out[at++] = buf[k];
        this.offsets[row + 1] = at;
        this.valid[row] = 1;
        return true;
      }
      case 'integer':
        this.ints[row] = parseInt32(buf, s, e);
        break;
      case 'number':
        this.floats[row] = parseFloat64(buf, s, e);
        break;
      case 'boolean':
        this.floats[row] = parseBool(buf, s, e);
        break;
      case 'date':
        this.ints[row] = parseDate(buf, s, e);
        break;
      case 'timestamp':
        this.floats[row] = parseTimestamp(buf, s, e);
        break;
      default: {
        const never: never = this.type;
        return never;
      }
    }
    this.valid[row] = 1;
    return parsed.ok;
  }

  /**
   * Row `row` is the JSON value `value`: numbers, booleans and strings of their own type only, ISO strings for
   * dates and timestamps; a text column takes any value (numbers and booleans as written, objects as JSON).
   * Returns false when the value is not of the column's type.
   */
  setValue(row: number, value: unknown): boolean {
    if (value === null || value === undefined) {
      this.setNull(row);
      return true;
    }
    refused.why = undefined;
    switch (this.type) {
      case 'string': {
        const text = jsonText(value);
        if (text === undefined) return false;
        const at = this.offsets[row];
        if (at + text.length * 3 > this.bytes.length) this.growBytes(at + text.length * 3);
        const { written } = encoder.encodeInto(text, this.bytes.subarray(at));
        this.offsets[row + 1] = at + written;
        this.valid[row] = 1;
        return true;
      }
      case 'integer':
        if (typeof value !== 'number' || (value | 0) !== value) return false;
        this.ints[row] = value;
        break;
      case 'number':
        if (typeof value !== 'number') return false;
        this.floats[row] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return false;
        this.floats[row] = value ? 1 : 0;
        break;
      case 'date':
      case 'timestamp': {
        if (typeof value !== 'string') return false;
        const bytes = utf8(value);
        if (this.type === 'date') this.ints[row] = parseDate(bytes, 0, bytes.length);
        else this.floats[row] = parseTimestamp(bytes, 0, bytes.length);
        if (!parsed.ok) return false;
        break;
      }
      default: {
        const never: never = this.type;
        return never;
      }
    }
    this.valid[row] = 1;
    return true;
  }

  private growBytes(need: number): void {
    if (need > MAX_TEXT_BYTES) {
      throw new ClienteleError(
        'LIMIT_EXCEEDED',
        `${this.fn}: column "${this.name}" holds more than 2 GiB of text in one batch (found ${need} bytes), more than ` +
          `an Arrow text column can hold; pass a smaller batchSize`,
        { column: this.name },
      );
    }
    let size = Math.max(this.bytes.length * 2, 1024);
    while (size < need) size *= 2;
    const next = new Uint8Array(Math.min(size, MAX_TEXT_BYTES));
    next.set(this.bytes);
    this.bytes = next;
  }

  /** The first `rows` rows as Arrow Data; the builder starts a fresh batch afterwards. */
  finish(rows: number): Data {
    const full = rows === this.capacity;
    switch (this.type) {
      case 'string': {
        const used = this.offsets[rows];
        // trim the byte buffer when more than a quarter of it is unused
        const bytes = used < this.bytes.length * 0.75 ? this.bytes.slice(0, used) : this.bytes;
        const data = columnData(this.type, rows, {
          valid: this.valid,
          offsets: this.offsets.slice(0, rows + 1),
          bytes,
        });
        this.bytesHint = Math.max(1, Math.ceil(used / Math.max(1, rows)));
        // the next batch starts with room for its rows at this batch's mean width, but never more than
        // TEXT_PREALLOCATION: one long value must not size a whole batch (64 KiB × 65 536 rows = 4 GiB)
        this.bytes = new Uint8Array(Math.min(this.capacity * this.bytesHint, TEXT_PREALLOCATION) + 64);
        this.offsets = new Int32Array(this.capacity + 1);
        return data;
      }
      case 'integer':
      case 'date': {
        // a full batch hands its array over; a partial one (the last) is copied to its length
        const data = columnData(this.type, rows, {
          valid: this.valid,
          ints: full ? this.ints : this.ints.slice(0, rows),
        });
        if (full) this.ints = new Int32Array(this.capacity);
        return data;
      }
      case 'number': {
        const data = columnData(this.type, rows, {
          valid: this.valid,
          floats: full ? this.floats : this.floats.slice(0, rows),
        });
        if (full) this.floats = new Float64Array(this.capacity);
        return data;
      }
      case 'boolean':
      case 'timestamp':
        return columnData(this.type, rows, { valid: this.valid, floats: this.floats });
      default: {
        const never: never = this.type;
        return never;
      }
    }
  }
}

/** The buffers of one column's rows `0 … rows − 1` as the builders hold them (values of null rows are 0). */
export interface ColumnBuffers {
  /** 1 where the row holds a value. */
  readonly valid: Uint8Array;
  /** Int32 / DateDay values. */
  readonly ints?: Int32Array;
  /** Float64 / Timestamp (ms) / Bool (0 or 1) values. */
  readonly floats?: Float64Array;
  /** Utf8: `rows + 1` offsets from 0, and the bytes. */
  readonly offsets?: Int32Array;
  readonly bytes?: Uint8Array;
}

/**
 * The Arrow Data of a column's first `rows` rows: validity packed into a bitmap when there is a null (skipped when
 * the caller knows `nullCount`), booleans packed into bits, timestamps widened to int64; Int32, DateDay and Float64
 * values, offsets and bytes handed over as they are (the caller gives arrays it no longer writes).
 */
export function columnData(type: ColumnType, rows: number, b: ColumnBuffers, nullCount?: number): Data {
  const valid = b.valid;
  if (nullCount === undefined) {
    nullCount = 0;
    for (let i = 0; i < rows; i++) nullCount += 1 - valid[i];
  }
  const nullBitmap = nullCount > 0 ? packBits(valid, rows) : undefined;
  const arrow = arrowType(type);
  switch (type) {
    case 'string':
      return makeData({
        type: arrow as Utf8,
        length: rows,
        nullCount,
        nullBitmap,
        valueOffsets: b.offsets!,
        data: b.bytes!,
      });
    case 'integer':
    case 'date':
      return makeData({ type: arrow as Int32, length: rows, nullCount, nullBitmap, data: b.ints! });
    case 'number':
      return makeData({ type: arrow as Float64, length: rows, nullCount, nullBitmap, data: b.floats! });
    case 'boolean': {
      const bits = new Uint8Array((rows + 7) >> 3);
      const f = b.floats!;
      for (let i = 0; i < rows; i++) if (f[i] === 1 && valid[i]) bits[i >> 3] |= 1 << (i & 7);
      return makeData({ type: arrow as Bool, length: rows, nullCount, nullBitmap, data: bits });
    }
    case 'timestamp': {
      // milliseconds as int64 without a BigInt per row: low and high 32-bit words
      const out = new BigInt64Array(rows);
      const words = new Int32Array(out.buffer);
      const f = b.floats!;
      for (let i = 0; i < rows; i++) {
        const v = valid[i] ? f[i] : 0;
        const hi = Math.floor(v / 4294967296);
        words[2 * i] = (v - hi * 4294967296) | 0;
        words[2 * i + 1] = hi;
      }
      return makeData({ type: arrow as TimestampMillisecond, length: rows, nullCount, nullBitmap, data: out });
    }
    default: {
      const never: never = type;
      return never;
    }
  }
}

/**
 * A JSON value as the text a text column keeps: a string as it is, a number or boolean as written, an object or
 * array as its JSON. `undefined` (with {@link refused}.why set) when the text cannot be kept: a string with a lone
 * surrogate (UTF-8 cannot hold it, and replacing it would merge distinct keys), or nesting too deep to write.
 */
function jsonText(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value !== 'object') return String(value);
  else {
    try {
      text = JSON.stringify(value);
    } catch {
      refused.why = 'is nested too deeply to be kept as JSON text';
      return undefined;
    }
  }
  if (!wellFormed(text)) {
    refused.why = 'holds a lone surrogate (half of a UTF-16 pair), which UTF-8 text cannot hold';
    return undefined;
  }
  return text;
}

/** True when the string has no lone surrogate. */
function wellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') return native.call(text);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** The UTF-8 bytes of a short string, in a reused buffer (valid until the next call). */
function utf8(text: string): Uint8Array {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

/** The type bits (see `classify`) of a JSON value: numbers by value, ISO strings as dates or timestamps. */
export function classifyValue(value: unknown): number {
  if (typeof value === 'number') return (value | 0) === value ? FITS_INT32 | FITS_NUMBER : FITS_NUMBER;
  if (typeof value === 'boolean') return FITS_BOOL;
  if (typeof value === 'string') {
    const bytes = utf8(value);
    return classify(bytes, 0, bytes.length) & (FITS_DATE | FITS_TIMESTAMP);
  }
  return 0;
}

const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** A validity byte per row as an Arrow bitmap (bit i of byte i >> 3). */
function packBits(valid: Uint8Array, rows: number): Uint8Array {
  const bits = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) if (valid[i]) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** The schema of the builders' columns. */
export function schemaOf(builders: readonly { readonly name: string; readonly type: ColumnType }[]): Schema {
  return new Schema(builders.map((b) => new Field(b.name, arrowType(b.type), true)));
}

/**
 * The zero-row batch of a file that names its columns but has no rows (a header-only CSV; JSON with `columns`):
 * a column given a type keeps it, every other column is Arrow `Null`, as pyarrow reads a column with no value —
 * so that an analysis says `EMPTY_INPUT` rather than that a text column is not numeric.
 */
export function noRowsBatch(columns: readonly { name: string; type: ColumnType | undefined }[]): RecordBatch {
  const fields = columns.map(
    ({ name, type }) => new Field(name, type === undefined ? new Null() : arrowType(type), true),
  );
  const schema = new Schema(fields);
  const children = fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 }));
  return recordBatch(schema, makeData({ type: new Struct(fields), length: 0, nullCount: 0, children }));
}

/** A RecordBatch of the first `rows` rows of every builder. */
export function batchOf(schema: Schema, builders: readonly ColumnBuilder[], rows: number): RecordBatch {
  return batchOfData(
    schema,
    builders.map((b) => b.finish(rows)),
    rows,
  );
}

/** A RecordBatch of columns already made, each of `rows` rows. */
export function batchOfData(schema: Schema, children: Data[], rows: number): RecordBatch {
  const data = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
  return recordBatch(schema, data);
}

/**
 * `new RecordBatch(schema, data)` without its length check: apache-arrow re-checks every child's length through
 * `Schema.assign`, which compares every field with every other (100 000 columns took minutes per batch). The
 * builders' children all have the batch's length and every field is nullable, so the check would change nothing;
 * the batch is made empty (cheap) and given the schema and data.
 */
function recordBatch(schema: Schema, data: Data<Struct>): RecordBatch {
  const batch = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: 0, nullCount: 0 }));
  const writable = batch as unknown as { schema: Schema; data: Data<Struct> };
  writable.schema = schema;
  writable.data = data;
  return batch;
}
