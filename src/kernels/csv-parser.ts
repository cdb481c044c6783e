import type { RecordBatch, Schema } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import {
  batchOf,
  ColumnBuilder,
  initialCapacity,
  noRowsBatch,
  refused,
  schemaOf,
  typeFromFits,
  typeWord,
} from './text-columns';
import type { ColumnType } from './text-columns';
import { classify, FITS_ANY, FITS_NUMBER } from './parse-bytes';

/** The most bytes one record may take unless `maxRecordBytes` says otherwise (64 MiB). */
export const DEFAULT_MAX_RECORD_BYTES = 64 << 20;

/**
 * The streaming CSV reader: an incremental RFC 4180 tokenizer over bytes, fused with typed column builders.
 *
 * Bytes arrive in chunks; the reader scans whole records only and keeps the bytes of an unfinished record for the
 * next chunk. No object is made per row: each field is a byte range handed to its column's builder, which parses
 * numbers, booleans and dates from the bytes and copies text bytes into an Arrow Utf8 buffer (text is never
 * decoded, so a UTF-8 file gives the same bytes in Arrow). Types are inferred from the first `inferRows` records,
 * which are then parsed again from the start. Used by src/io (the readers) and src/parallel (one range of the
 * bytes per thread, see `parseCsvRange`).
 */

const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const EMPTY = new Uint8Array(0);

const HEADER = 0;
const INFER = 1;
const BUILD = 2;
const DONE = 3;

const FULL = 0;
const MORE = 1;
const END = 2;

export interface CsvSettings {
  fn: string;
  /** One ASCII character, `'whitespace'` (runs of spaces and tabs), or undefined to sniff it. */
  delimiter: string | undefined;
  /** Whether the first line names the columns (default true). */
  header?: boolean;
  /** Column names that replace the header's (or name the columns of a file without one). */
  names?: readonly string[];
  columns: ReadonlyMap<string, ColumnType> | undefined;
  batchSize: number;
  inferRows: number;
  /** The most bytes of one record (default {@link DEFAULT_MAX_RECORD_BYTES}). */
  maxRecordBytes?: number;
}

/** What a parser of one range of the bytes needs from the header and the inference. */
export interface CsvPlan {
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
  /** The delimiter's byte (a space for `'whitespace'`). */
  readonly delimiter: number;
  /** The byte where the first data record starts. */
  readonly dataStart: number;
  /** Mean bytes of the records read to infer the types (0 when none): a range's buffers are sized from it. */
  readonly bytesPerRow: number;
}

/** The records of one range: where it started and ended (the next record's start), its rows and columns. */
export interface CsvRange {
  readonly start: number;
  readonly end: number;
  readonly rows: number;
  readonly columns: readonly ColumnBuilder[];
}

const decoder = new TextDecoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const NO_COLUMNS: ReadonlyMap<string, ColumnType> = new Map();

export class CsvParser {
  private readonly settings: CsvSettings;
  private buf: Uint8Array = EMPTY;
  private work: [Uint8Array, Uint8Array] = [EMPTY, EMPTY];
  private end = 0;
  private last = false;
  private pos = 0;
  private line = 1;
  private phase = HEADER;
  private bomChecked = false;
  private delim = -1;
  /** Fields separated by runs of spaces and tabs (`delimiter: 'whitespace'`). */
  private readonly ws: boolean;
  private dataStart = 0;
  private dataLine = 1;
  private names: string[] = [];
  private ncols = 0;
  private fits = new Int32Array(0);
  private saw = new Uint8Array(0);
  private builders: ColumnBuilder[] = [];
  private schema: Schema | undefined;
  private capacity = 0;
  private row = 0;
  /** Data rows in the batches already emitted. */
  private rowsBefore = 0;
  private emitted = false;
  /** Records starting at or after this byte are left unread (a range of the bytes parsed on a thread). */
  private stopAt = Infinity;
  /** Mean bytes of the records read to infer the types (0 when none), to size a range's buffers. */
  private inferredBytesPerRow = 0;
  /** Most rows the buffers hold: a batch, or a whole range. */
  private maxRows: number;

  constructor(settings: CsvSettings) {
    this.settings = settings;
    this.maxRows = settings.batchSize;
    this.ws = settings.delimiter === 'whitespace';
    if (this.ws) this.delim = SPACE;
    else if (settings.delimiter !== undefined) this.delim = settings.delimiter.charCodeAt(0);
  }

  /** Appends a chunk of bytes (`last` when the input ends with it), dropping the bytes already consumed. */
  push(chunk: Uint8Array, last: boolean): void {
    this.last = last;
    const keep = this.phase === HEADER ? 0 : this.phase === INFER ? this.dataStart : this.pos;
    const rest = this.end - keep;
    if (chunk.length === 0) return;
    if (rest === 0) {
      this.buf = chunk;
      this.end = chunk.length;
    } else {
      // the unfinished record and the new chunk, in whichever of two work buffers the current bytes are not in
      const size = rest + chunk.length;
      let work = this.work[0] === this.buf ? this.work[1] : this.work[0];
      if (work.length < size) {
        work = new Uint8Array(Math.max(size, work.length * 2));
        if (this.work[0] === this.buf) this.work[1] = work;
        else this.work[0] = work;
      }
      work.set(this.buf.subarray(keep, this.end));
      work.set(chunk, rest);
      this.buf = work;
      this.end = size;
    }
    this.pos -= keep;
    this.dataStart -= keep;
  }

  /** The record from `start` (line `line`, row `row`) has passed `maxRecordBytes` without ending. */
  private failLong(line: number, row: number): never {
    const limit = this.settings.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `${this.settings.fn}: the record at line ${line} passes maxRecordBytes (found more than ${limit} bytes ` +
        `without its end); check for a quote that is never closed or a file without line breaks, or pass a larger ` +
        `maxRecordBytes (Infinity lifts the limit)`,
      this.phase === HEADER ? {} : { row: this.rowsBefore + row },
    );
  }

  /** The next batch, or null when more input is needed or the input is done. */
  next(): RecordBatch | null {
    if (this.phase === HEADER && !this.readHeader()) return null;
    if (this.phase === INFER && !this.infer()) return null;
    if (this.phase === DONE) return null;
    const status = this.scan(BUILD, this.settings.batchSize);
    if (status === FULL) return this.emit();
    if (status === MORE) return null;
    this.phase = DONE;
    return this.row > 0 || !this.emitted ? this.emit() : null;
  }

  private emit(): RecordBatch {
    if (this.row === 0 && this.rowsBefore === 0) {
      // a header and no row: the columns, typed Null unless given in columns
      this.emitted = true;
      const given = this.settings.columns ?? NO_COLUMNS;
      return noRowsBatch(this.names.map((name) => ({ name, type: given.get(name) })));
    }
    const batch = batchOf(this.schema!, this.builders, this.row);
    this.rowsBefore += this.row;
    this.row = 0;
    this.emitted = true;
    return batch;
  }

  /**
   * For a reader of the whole bytes (pushed with `last`): reads the header and infers the types exactly as
   * {@link next} does, and returns where the data starts and what every range parser needs.
   */
  plan(): CsvPlan {
    if (this.phase === HEADER) this.readHeader();
    if (this.phase === INFER) this.infer();
    return {
      names: this.names,
      types: this.builders.map((b) => b.type),
      delimiter: this.delim,
      dataStart: this.pos,
      bytesPerRow: this.inferredBytesPerRow,
    };
  }

  /**
   * Parses the records that start in `[start, stop)` of `bytes` (the whole input; `start` a record start) into
   * column buffers, with the columns and types of `plan`. Line numbers count from `start`: a caller that meets an
   * error re-reads from the beginning to report it.
   */
  range(bytes: Uint8Array, start: number, stop: number, plan: CsvPlan): CsvRange {
    this.buf = bytes;
    this.end = bytes.length;
    this.last = true;
    this.delim = plan.delimiter;
    this.names = [...plan.names];
    this.ncols = this.names.length;
    this.maxRows = Infinity;
    // a record takes at least a byte per column (its delimiters and line end): start from the range's most rows
    // and at about the inferred mean record size (5 % more): most ranges then never grow their buffers
    const span = Math.max(1, stop - start);
    const most = Math.ceil(span / Math.max(1, this.ncols)) + 1;
    const expected = plan.bytesPerRow > 0 ? Math.ceil((span / plan.bytesPerRow) * 1.05) + 16 : 0;
    this.capacity = Math.min(most, Math.max(initialCapacity(Infinity, this.ncols), expected));
    this.builders = this.names.map(
      (name, k) => new ColumnBuilder(name, plan.types[k], this.capacity, this.settings.fn),
    );
    this.phase = BUILD;
    this.pos = start;
    this.stopAt = stop;
    this.scan(BUILD, Infinity);
    return { start, end: this.pos, rows: this.row, columns: this.builders };
  }

  private readHeader(): boolean {
    if (!this.bomChecked) {
      if (this.end < 3 && !this.last) return false;
      if (this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.pos = 3;
      this.bomChecked = true;
    }
    if (this.pos >= this.end && this.last) {
      throw new ClienteleError(
        'EMPTY_INPUT',
        `${this.settings.fn}: the CSV is empty (found no header line); write a header line of column names first`,
      );
    }
    if (this.delim < 0 && !this.sniffDelimiter()) return false;
    this.names = [];
    const first = this.pos;
    const status = this.scan(HEADER, 1);
    if (status === MORE) {
      this.names = [];
      return false;
    }
    this.row = 0;
    const seen = new Map<string, number>();
    this.names = this.columnNames(this.names);
    if (this.settings.header === false) {
      // no header line: the first line is data
      this.pos = first;
      this.line = 1;
    }
    this.names.forEach((name, k) => {
      const first = seen.get(name);
      if (first !== undefined) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${this.settings.fn}: line 1 names column "${name}" twice (fields ${first + 1} and ${k + 1}); give every column a distinct name`,
          { column: name },
        );
      }
      seen.set(name, k);
    });
    const override = this.settings.columns ?? NO_COLUMNS;
    for (const name of override.keys()) {
      if (!seen.has(name)) {
        const shown = this.names.length > 12 ? `${this.names.slice(0, 12).join(', ')}, …` : this.names.join(', ');
        throw new ClienteleError(
          'MISSING_COLUMN',
          `${this.settings.fn}: option columns names "${name}", which is not in the CSV header (found columns: ${shown}); ` +
            `use a column name of line 1`,
          { column: name },
        );
      }
    }
    this.ncols = this.names.length;
    this.fits = new Int32Array(this.ncols).fill(FITS_ANY);
    this.saw = new Uint8Array(this.ncols);
    this.dataStart = this.pos;
    this.dataLine = this.line;
    this.phase = INFER;
    return true;
  }

  /**
   * The column names: `names` when given (as many as the header's fields when there is a header), else the
   * header's names, else (no header) `column1` … `columnN`, N the fields of the first line.
   */
  private columnNames(scanned: string[]): string[] {
    const { header, names, fn } = this.settings;
    if (names !== undefined) {
      if (header !== false && names.length !== scanned.length) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option names gives ${names.length} names but the header line has ${scanned.length} fields ` +
            `(${scanned.join(', ')}); give one name per column, or pass header: false when the file has no header line`,
        );
      }
      return [...names];
    }
    if (header === false) return scanned.map((_, k) => `column${k + 1}`);
    return generatedNames(scanned);
  }

  /** Picks `,`, `;` or tab, whichever is most frequent outside quotes on the first line (ties: that order). */
  private sniffDelimiter(): boolean {
    const buf = this.buf;
    let lf = this.pos;
    while (lf < this.end && buf[lf] !== LF) lf++;
    if (lf === this.end && !this.last && this.end - this.pos < 1 << 20) return false;
    const counts = [0, 0, 0];
    let quoted = false;
    for (let i = this.pos; i < lf; i++) {
      const c = buf[i];
      if (c === QUOTE) quoted = !quoted;
      else if (!quoted) {
        if (c === 0x2c) counts[0]++;
        else if (c === 0x3b) counts[1]++;
        else if (c === 0x09) counts[2]++;
      }
    }
    const best = counts[0] >= counts[1] && counts[0] >= counts[2] ? 0 : counts[1] >= counts[2] ? 1 : 2;
    this.delim = [0x2c, 0x3b, 0x09][best];
    return true;
  }

  private infer(): boolean {
    const status = this.scan(INFER, this.settings.inferRows);
    if (status === MORE) {
      this.row = 0;
      this.pos = this.dataStart;
      this.line = this.dataLine;
      return false;
    }
    this.inferredBytesPerRow = this.row > 0 ? (this.pos - this.dataStart) / this.row : 0;
    const override = this.settings.columns ?? NO_COLUMNS;
    this.capacity = initialCapacity(this.settings.batchSize, this.ncols);
    const fn = this.settings.fn;
    this.builders = this.names.map(
      (name, k) =>
        new ColumnBuilder(name, override.get(name) ?? typeFromFits(this.fits[k], this.saw[k] === 1), this.capacity, fn),
    );
    this.schema = schemaOf(this.builders);
    this.row = 0;
    this.pos = this.dataStart;
    this.line = this.dataLine;
    this.phase = BUILD;
    return true;
  }

  private growBuilders(): void {
    this.capacity = Math.min(this.maxRows, this.capacity * 2);
    for (const b of this.builders) b.grow(this.capacity);
  }

  /**
   * Reads records from `pos` until `limit` rows are complete (FULL), the bytes end inside a record and more may
   * come (MORE: `pos` is left at that record's start), or the input ends (END). Hand-written byte loop: the hot
   * path of the reader, with one call per field and none per byte.
   */
  // eslint-disable-next-line max-lines-per-function -- hot kernel: byte loop on locals; a split adds calls per field
  private scan(mode: number, limit: number): number {
    const buf = this.buf;
    const end = this.end;
    const last = this.last;
    const delim = this.delim;
    const ws = this.ws;
    const ncols = mode === HEADER ? Infinity : this.ncols;
    const maxRecordBytes = this.settings.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    let pos = this.pos;
    let line = this.line;
    let row = this.row;
    let status = END;
    const stopAt = this.stopAt;
    records: for (;;) {
      if (row >= limit) {
        status = FULL;
        break;
      }
      if (pos >= stopAt) break;
      if (pos >= end) {
        status = last ? END : MORE;
        break;
      }
      if (mode === BUILD && row === this.capacity) this.growBuilders();
      const recordStart = pos;
      const recordLine = line;
      // whitespace-delimited: blanks at the start of a line are no field
      if (ws) {
        while (pos < end && (buf[pos] === SPACE || buf[pos] === TAB)) pos++;
        // a blank line holds no field at all: skipped, whatever the number of columns
        if (pos >= end || buf[pos] === LF || buf[pos] === CR) {
          if (pos >= end || (buf[pos] === CR && pos + 1 >= end)) {
            if (!last) {
              pos = recordStart;
              line = recordLine;
              status = MORE;
              break records;
            }
            if (pos >= end) {
              status = END;
              break records;
            }
          }
          pos += buf[pos] === CR && pos + 1 < end && buf[pos + 1] === LF ? 2 : 1;
          line++;
          continue;
        }
      }
      let col = 0;
      let s = pos;
      let e = pos;
      let quoted = false;
      for (;;) {
        let escaped = false;
        quoted = false;
        if (pos < end && buf[pos] === QUOTE) {
          quoted = true;
          const fieldLine = line;
          s = pos + 1;
          let p = s;
          for (;;) {
            while (p < end && buf[p] !== QUOTE) {
              if (buf[p] === LF) line++;
              p++;
            }
            if (p >= end || (p + 1 >= end && !last)) {
              if (!last) {
                pos = recordStart;
                line = recordLine;
                status = MORE;
                break records;
              }
              this.fail(
                `line ${fieldLine}, column ${this.columnName(col)}: a quoted field is never closed (the file ends inside it); ` +
                  `close it with a quote, and double every quote inside a quoted field ("")`,
                col,
                row,
              );
            }
            if (p + 1 < end && buf[p + 1] === QUOTE) {
              escaped = true;
              p += 2;
              continue;
            }
            break;
          }
          e = p;
          pos = p + 1;
          if (pos < end) {
            const c = buf[pos];
            if (c !== delim && c !== LF && c !== CR && !(ws && c === TAB)) {
              this.fail(
                `line ${line}, column ${this.columnName(col)}: unexpected ${describeValue(String.fromCharCode(c))} after the ` +
                  `closing quote of a field; double every quote inside a quoted field ("") and put the delimiter right after the closing quote`,
                col,
                row,
              );
            }
          }
        } else {
          s = pos;
          if (ws) {
            while (pos < end) {
              const c = buf[pos];
              if (c === SPACE || c === TAB || c === LF || c === CR) break;
              pos++;
            }
          } else {
            while (pos < end) {
              const c = buf[pos];
              if (c === delim || c === LF || c === CR) break;
              pos++;
            }
          }
          e = pos;
        }
        if (pos >= end && !last) {
          pos = recordStart;
          line = recordLine;
          status = MORE;
          break records;
        }
        if (col >= ncols) {
          this.fail(
            `line ${recordLine} has more fields than the ${ncols} columns of the header (field ${col + 1} comes after ` +
              `the last column "${this.names[ncols - 1]}"); quote fields that contain the delimiter, or add the column to the header`,
            ncols - 1,
            row,
          );
        }
        if (mode === BUILD) this.build(row, col, buf, s, e, quoted, escaped, recordLine);
        else if (mode === INFER) {
          if (e > s) {
            this.saw[col] = 1;
            this.fits[col] &= classify(buf, s, e);
          }
        } else this.names.push(this.columnNameAt(buf, s, e, escaped, col));
        if (ws && pos < end && (buf[pos] === SPACE || buf[pos] === TAB)) {
          // a run of blanks ends the field; blanks before the line break end nothing
          while (pos < end && (buf[pos] === SPACE || buf[pos] === TAB)) pos++;
          if (pos >= end && !last) {
            pos = recordStart;
            line = recordLine;
            status = MORE;
            break records;
          }
          if (pos < end && buf[pos] !== LF && buf[pos] !== CR) {
            col++;
            continue;
          }
        } else if (pos < end && buf[pos] === delim) {
          pos++;
          col++;
          continue;
        }
        if (pos < end) {
          if (buf[pos] === CR) {
            if (pos + 1 < end) pos += buf[pos + 1] === LF ? 2 : 1;
            else if (!last) {
              pos = recordStart;
              line = recordLine;
              status = MORE;
              break records;
            } else pos++;
          } else pos++;
          line++;
        }
        break;
      }
      if (mode !== HEADER && col + 1 < ncols) {
        // an empty line in a file of several columns is skipped
        if (col === 0 && !quoted && s === e) continue;
        this.fail(
          `line ${recordLine} has ${col + 1} field${col === 0 ? '' : 's'} but the header has ${ncols} (column ` +
            `"${this.names[col + 1]}" is missing); give every line one field per column, empty for a missing value`,
          col + 1,
          row,
        );
      }
      // a whole record longer than the limit is refused too, however the input was cut into chunks
      if (pos - recordStart > maxRecordBytes) this.failLong(recordLine, row);
      row++;
    }
    // the bytes of an unfinished record are kept for the next chunk: bound them
    if (status === MORE && end - pos > maxRecordBytes) {
      this.failLong(line, row);
    }
    this.pos = pos;
    this.line = line;
    this.row = row;
    return status;
  }

  private build(
    row: number,
    col: number,
    buf: Uint8Array,
    s: number,
    e: number,
    quoted: boolean,
    escaped: boolean,
    line: number,
  ): void {
    const b = this.builders[col];
    if (s === e) {
      // an empty field is null; a quoted empty field ("") is the empty string in a text column
      if (quoted && b.type === 'string') b.setBytes(row, buf, s, e, false);
      else b.setNull(row);
    } else if (!b.setBytes(row, buf, s, e, escaped)) this.failValue(b, row, buf, s, e, escaped, line);
  }

  private failValue(
    b: ColumnBuilder,
    row: number,
    buf: Uint8Array,
    s: number,
    e: number,
    escaped: boolean,
    line: number,
  ): never {
    const text = this.headerName(buf, s, e, escaped);
    if (b.type === 'string') {
      // text fits any bytes but invalid UTF-8: decoding it would merge distinct values into U+FFFD
      throw new ClienteleError(
        'INVALID_INPUT',
        `${this.settings.fn}: line ${line}, column "${b.name}": the field ${refused.why ?? 'is not valid UTF-8'} ` +
          `(found ${describeValue(text)}); save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
        { column: b.name, row: this.rowsBefore + row },
      );
    }
    const given = this.settings.columns?.get(b.name) !== undefined;
    const wider = b.type === 'integer' && (classify(buf, s, e) & FITS_NUMBER) !== 0 ? 'number' : 'string';
    const key = /^[A-Za-z_$][\w$]*$/.test(b.name) ? b.name : JSON.stringify(b.name);
    throw new ClienteleError(
      'INVALID_VALUE',
      `${this.settings.fn}: line ${line}, column "${b.name}": ${describeValue(text)} is not ${typeWord(b.type)} ` +
        (given
          ? `(the type given in option columns); fix the value or pass columns: { ${key}: '${wider}' }`
          : `(the type inferred from the first ${this.settings.inferRows} rows); pass columns: { ${key}: '${wider}' } ` +
            `to read the column as ${wider === 'string' ? 'text' : 'numbers'}, or a larger inferRows`),
      { column: b.name, row: this.rowsBefore + row },
    );
  }

  /** Field `col` of the header line as a column name; invalid UTF-8 is an error rather than U+FFFD. */
  private columnNameAt(buf: Uint8Array, s: number, e: number, escaped: boolean, col: number): string {
    let text: string;
    try {
      text = strictDecoder.decode(buf.subarray(s, e));
    } catch {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${this.settings.fn}: line 1, field ${col + 1}: the column name is not valid UTF-8 (found ` +
          `${describeValue(this.headerName(buf, s, e, escaped))}); save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
      );
    }
    return escaped ? text.replace(/""/g, '"') : text;
  }

  private headerName(buf: Uint8Array, s: number, e: number, escaped: boolean): string {
    const text = decoder.decode(buf.subarray(s, e));
    return escaped ? text.replace(/""/g, '"') : text;
  }

  private columnName(col: number): string {
    return this.phase === HEADER ? `${col + 1} of the header` : `"${this.names[col] ?? col + 1}"`;
  }

  private fail(what: string, col: number, row: number): never {
    const column = this.phase === HEADER ? undefined : this.names[col];
    throw new ClienteleError('INVALID_INPUT', `${this.settings.fn}: ${what}`, {
      ...(column === undefined ? {} : { column }),
      ...(this.phase === HEADER ? {} : { row: this.rowsBefore + row }),
    });
  }
}

/**
 * The header's names with every empty one named `column_<k>` (k its 1-based position), or `column_<k>_<n>` with
 * the smallest n ≥ 2 when the header already has that name; given names are kept as written (a repeat is an error
 * later).
 */
function generatedNames(names: readonly string[]): string[] {
  const given = new Set(names);
  return names.map((name, k) => {
    if (name !== '') return name;
    let candidate = `column_${k + 1}`;
    for (let n = 2; given.has(candidate); n++) candidate = `column_${k + 1}_${n}`;
    given.add(candidate);
    return candidate;
  });
}
