import type { RecordBatch, Schema } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import {
  batchOf,
  ColumnBuilder,
  classifyValue,
  initialCapacity,
  noRowsBatch,
  refused,
  schemaOf,
  typeFromFits,
  typeWord,
  FITS_ANY,
} from '../kernels/internal';
import type { ByteSource } from './sources';
import { DEFAULT_MAX_RECORD_BYTES } from './types';
import type { ColumnType } from './types';

/**
 * Readers of JSON lines (streamed: one `JSON.parse` per line, rows built into typed column buffers) and of one
 * JSON array of row objects (parsed whole). Both infer the column types from the first `inferRows` rows like the
 * CSV reader, with JSON's own types: numbers (Int32 when every value is a 32-bit integer, else Float64), booleans,
 * strings (dates or timestamps when every one is ISO), other values as their JSON text. Internal to src/io.
 */

export interface JsonSettings {
  fn: string;
  columns: ReadonlyMap<string, ColumnType> | undefined;
  batchSize: number;
  inferRows: number;
  /** JSON lines: the most bytes of one line (default {@link DEFAULT_MAX_RECORD_BYTES}). */
  maxRecordBytes?: number;
}

const NO_COLUMNS: ReadonlyMap<string, ColumnType> = new Map();

/** Where a row came from, for messages: `line 12` or `element 11`. */
type Where = (index: number) => string;

class RowsToBatches {
  private readonly settings: JsonSettings;
  private readonly where: Where;
  private pending: { row: Record<string, unknown>; index: number }[] = [];
  private builders: ColumnBuilder[] | undefined;
  private byName = new Map<string, number>();
  private schema: Schema | undefined;
  private capacity = 0;
  private row = 0;
  private rowsBefore = 0;
  private emitted = false;

  constructor(settings: JsonSettings, where: Where) {
    this.settings = settings;
    this.where = where;
  }

  /** Adds one parsed value; returns the batches it completes. */
  add(value: unknown, index: number, out: RecordBatch[]): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${this.settings.fn}: ${this.where(index)} is not a JSON object (found ${describeValue(value)}); write one object per row, such as {"customer": "a", "amount": 10}`,
        { row: this.rowsBefore + this.row + this.pending.length },
      );
    }
    const row = value as Record<string, unknown>;
    if (!this.builders) {
      this.pending.push({ row, index });
      if (this.pending.length >= this.settings.inferRows) this.start(out);
      return;
    }
    this.put(row, index, out);
  }

  /** Ends the input; returns the last batches. */
  finish(out: RecordBatch[]): void {
    if (!this.builders) this.start(out);
    if (this.row > 0 || !this.emitted) out.push(this.emit());
  }

  /** No row came: the columns given in `columns` as a zero-row batch, or EMPTY_INPUT when no column is known. */
  private noRows(): RecordBatch {
    const given = this.settings.columns ?? NO_COLUMNS;
    if (given.size === 0) {
      throw new ClienteleError(
        'EMPTY_INPUT',
        `${this.settings.fn}: the JSON holds no row, so it names no column (found no object); write at least one ` +
          `row object, or pass columns: { … } to read it as a zero-row table with those columns`,
      );
    }
    this.emitted = true;
    return noRowsBatch([...given].map(([name, type]) => ({ name, type })));
  }

  private start(out: RecordBatch[]): void {
    const names: string[] = [];
    const fits: number[] = [];
    const saw: boolean[] = [];
    for (const { row } of this.pending) {
      for (const key of Object.keys(row)) {
        let k = this.byName.get(key);
        if (k === undefined) {
          k = names.length;
          this.byName.set(key, k);
          names.push(key);
          fits.push(FITS_ANY);
          saw.push(false);
        }
        const v = row[key];
        if (v !== null && v !== undefined) {
          saw[k] = true;
          fits[k] &= classifyValue(v);
        }
      }
    }
    const override = this.settings.columns ?? NO_COLUMNS;
    for (const key of override.keys()) {
      if (!this.byName.has(key)) {
        this.byName.set(key, names.length);
        names.push(key);
        fits.push(FITS_ANY);
        saw.push(false);
      }
    }
    this.capacity = initialCapacity(this.settings.batchSize, names.length);
    const fn = this.settings.fn;
    this.builders = names.map(
      (name, k) => new ColumnBuilder(name, override.get(name) ?? typeFromFits(fits[k], saw[k]), this.capacity, fn),
    );
    this.schema = schemaOf(this.builders);
    const pending = this.pending;
    this.pending = [];
    for (const { row, index } of pending) this.put(row, index, out);
  }

  private put(record: Record<string, unknown>, index: number, out: RecordBatch[]): void {
    const builders = this.builders!;
    if (this.row === this.capacity) {
      this.capacity = Math.min(this.settings.batchSize, this.capacity * 2);
      for (const b of builders) b.grow(this.capacity);
    }
    const row = this.row;
    let seen = 0;
    // own keys only: a key named __proto__ or constructor is a column like any other
    for (const key of Object.keys(record)) {
      const k = this.byName.get(key);
      if (k === undefined) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${this.settings.fn}: ${this.where(index)} has key "${key}", which the first ${this.settings.inferRows} rows do not have; ` +
            `pass columns: { ${JSON.stringify(key)}: 'string' } (or its type) to declare it, or a larger inferRows`,
          { column: key, row: this.rowsBefore + row },
        );
      }
      seen++;
      const b = builders[k];
      if (!b.setValue(row, record[key])) {
        if (refused.why !== undefined) {
          throw new ClienteleError(
            'INVALID_VALUE',
            `${this.settings.fn}: ${this.where(index)}, column "${key}": the value ${refused.why} (found ` +
              `${describeValue(record[key])}); fix the value in the file`,
            { column: key, row: this.rowsBefore + row },
          );
        }
        const given = this.settings.columns?.get(key) !== undefined;
        throw new ClienteleError(
          'INVALID_VALUE',
          `${this.settings.fn}: ${this.where(index)}, column "${key}": ${describeValue(record[key])} is not ${typeWord(b.type)} ` +
            (given
              ? `(the type given in option columns); fix the value or pass another type in columns`
              : `(the type inferred from the first ${this.settings.inferRows} rows); pass columns: { ${JSON.stringify(key)}: 'string' } ` +
                `to read the column as text, or a larger inferRows`),
          { column: key, row: this.rowsBefore + row },
        );
      }
    }
    if (seen < builders.length) {
      // keys missing from this row are null
      for (const b of builders) if (!Object.hasOwn(record, b.name)) b.setNull(row);
    }
    this.row++;
    if (this.row === this.settings.batchSize) out.push(this.emit());
  }

  private emit(): RecordBatch {
    if (this.row === 0 && this.rowsBefore === 0) return this.noRows();
    const batch = batchOf(this.schema!, this.builders!, this.row);
    this.rowsBefore += this.row;
    this.row = 0;
    this.emitted = true;
    return batch;
  }
}

function parseLine(text: string, line: number, fn: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: line ${line} is not valid JSON (found ${describeValue(text)}: ${(e as Error).message}); write one JSON object per line`,
    );
  }
}

/** A decoder that refuses invalid UTF-8 (a replacement character would merge distinct values). */
function strictText(fn: string, where: () => string): (bytes: Uint8Array, stream: boolean) => string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (bytes, stream) => {
    try {
      return decoder.decode(bytes, { stream });
    } catch (e) {
      if (e instanceof TypeError) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: the file is not valid UTF-8 (${where()}); save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
        );
      }
      throw new ClienteleError(
        'LIMIT_EXCEEDED',
        `${fn}: the JSON text is longer than a JavaScript string can hold (found ${bytes.length} bytes: ` +
          `${(e as Error).message}); write JSON lines and pass format: 'jsonl', which is read line by line`,
      );
    }
  };
}

/** RecordBatches of a JSON lines source; empty lines are skipped. */
export async function* jsonlBatches(source: ByteSource, settings: JsonSettings): AsyncGenerator<RecordBatch> {
  const rows = new RowsToBatches(settings, (line) => `line ${line}`);
  const limit = settings.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const out: RecordBatch[] = [];
  let carry = '';
  let line = 0;
  let first = true;
  const decode = strictText(settings.fn, () => `after line ${line}`);
  const tooLong = (at: number): never => {
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `${settings.fn}: line ${at} passes maxRecordBytes (found more than ${limit} characters without a line ` +
        `break); check that the file is JSON lines (one object per line), or pass a larger maxRecordBytes ` +
        `(Infinity lifts the limit)`,
    );
  };
  const lines = function* (text: string, final: boolean): Generator<[string, number]> {
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (lf < 0) break;
      line++;
      yield [text.slice(start, lf), line];
      start = lf + 1;
    }
    carry = text.slice(start);
    if (final && carry.length > 0) {
      line++;
      yield [carry, line];
      carry = '';
    }
    // a line without its end is kept for the next chunk: bound it
    if (carry.length > limit) tooLong(line + 1);
  };
  const feed = (text: string, final: boolean) => {
    for (const [raw, at] of lines(text, final)) {
      const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (body.length > limit) tooLong(at);
      if (body.trim() === '') continue;
      rows.add(parseLine(body, at, settings.fn), at, out);
    }
  };
  for await (const chunk of source.chunks()) {
    let text = decode(chunk, true);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    feed(carry + text, false);
    yield* out.splice(0);
  }
  feed(carry + decode(new Uint8Array(0), false), true);
  rows.finish(out);
  yield* out.splice(0);
}

/** RecordBatches of a JSON array of row objects (the whole text is parsed at once). */
export async function* jsonBatches(source: ByteSource, settings: JsonSettings): AsyncGenerator<RecordBatch> {
  let text = strictText(settings.fn, () => 'somewhere in the JSON text')(await source.whole(), false);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${settings.fn}: the JSON file is empty (found no value); write one JSON array of row objects, such as [{"customer": "a", "amount": 10}]`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${settings.fn}: the file is not valid JSON (${(e as Error).message}); write one JSON array of row objects, or use format 'jsonl' for JSON lines`,
    );
  }
  if (!Array.isArray(value)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${settings.fn}: the JSON is not an array of rows (found ${describeValue(value)}); write [{"customer": "a", "amount": 10}, …]`,
    );
  }
  const rows = new RowsToBatches(settings, (k) => `element ${k} of the array`);
  const out: RecordBatch[] = [];
  for (let k = 0; k < value.length; k++) {
    rows.add(value[k], k, out);
    if (out.length > 0) yield* out.splice(0);
  }
  rows.finish(out);
  yield* out.splice(0);
}
