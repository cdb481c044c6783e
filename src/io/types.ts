import type { ColumnType } from '../kernels/internal';

/**
 * The file formats clientele reads and writes.
 *
 * - `csv`: comma-separated text (RFC 4180; `.csv`, `.tsv` with a tab delimiter);
 * - `parquet`: Apache Parquet (`.parquet`, `.pq`);
 * - `arrow`: Arrow IPC file, also called Feather v2 (`.arrow`, `.feather`, `.ipc`);
 * - `arrows`: Arrow IPC stream (`.arrows`);
 * - `json`: one JSON array of row objects (`.json`);
 * - `jsonl`: JSON lines, one row object per line (`.jsonl`, `.ndjson`);
 * - `basket`: read only; one market basket per line, its items separated by a delimiter, as arules'
 *   `read.transactions(format = "basket")` and the FIMI files (`.dat`), read into a long table `transaction` (Int32,
 *   the 1-based line number), `item` (dictionary-encoded Utf8).
 */
export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'arrows' | 'json' | 'jsonl' | 'basket';

/** The column types of the text readers: see the kernel's definition (re-exported as the public type). */
export type { ColumnType } from '../kernels/internal';

/** Options of {@link readTable} and {@link readBatches}. */
export interface ReadOptions {
  /** The file format; default: from the file extension ({@link formatFromPath}), else sniffed from the bytes. */
  format?: FileFormat;
  /**
   * CSV / JSON: the type of these columns, which skips inference for them. `{ customer: 'string' }` keeps ids as
   * written, leading zeros included (`00001` stays `"00001"`, where inference would read the integer 1).
   */
  columns?: Record<string, ColumnType>;
  /**
   * CSV: the field delimiter, one ASCII character, or `'whitespace'`: fields separated by runs of spaces and tabs,
   * blanks at the start and end of a line ignored (aligned text such as CDNOW_master.txt; quoted fields still hold
   * blanks). Default: sniffed from the first line among `,` `;` and tab (`,` wins ties; `.tsv` files use tab).
   * Basket files: the item separator; default `,` for `.csv`, tab for `.tsv`, else `'whitespace'`.
   */
  delimiter?: string;
  /**
   * CSV: whether the first line names the columns. Default `true`. With `false` every line is data and the columns
   * are named `column1`, `column2`, … (as many as the first line has fields) unless `names` gives them.
   */
  header?: boolean;
  /**
   * CSV: the column names, in order. With `header: false` they name the columns (every line must have as many
   * fields); with a header they replace its names (they must be as many). `columns` refers to these names.
   */
  names?: readonly string[];
  /** Rows per `RecordBatch` for CSV, JSON lines, JSON and Parquet. Default 65 536. */
  batchSize?: number;
  /** CSV / JSON lines: rows read to infer the column types. Default 10 000. */
  inferRows?: number;
  /**
   * CSV / JSON lines: the most bytes one record (a CSV record, quoted line breaks included, or one JSON line) may
   * take; a longer one is a `LIMIT_EXCEEDED` error (often a quote never closed, or a file without line breaks).
   * Default 64 MiB (67 108 864); `Infinity` lifts the limit. Fields of any size below it read in memory
   * proportional to the record.
   */
  maxRecordBytes?: number;
  /** Called after each chunk read from a file, with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Options of {@link readTable}: those of {@link readBatches} and `parallel`. */
export interface ReadTableOptions extends ReadOptions {
  /**
   * CSV: threads to parse with, 1–256, or `'auto'` (every core for files of at least 8 MiB per thread, else one).
   * Default 1: the calling thread. The table is the one-thread table (same types, rows, values, batches, errors).
   * Needs `SharedArrayBuffer` and worker threads (Node.js, Deno, Bun); elsewhere the file is read on one thread.
   * Other formats ignore it.
   */
  parallel?: number | 'auto';
}

/** Options of {@link writeTable} and {@link tableToBytes}. */
export interface WriteOptions {
  /** The file format; default: from the file extension ({@link formatFromPath}). */
  format?: FileFormat;
  /** Parquet only: the codec of the column chunks. Default `'zstd'`. */
  compression?: 'zstd' | 'snappy' | 'gzip' | 'none';
  /** CSV only: the field delimiter, `','`, `';'`, `'|'` or `'\t'`. Default `','` (tab for a `.tsv` path). */
  delimiter?: ',' | ';' | '|' | '\t';
  /**
   * CSV only: write text that a spreadsheet would run as a formula (a cell or column name starting with `=`, `+`,
   * `-`, `@`, tab, carriage return or line feed, other than a plain number such as `-5`) as text, as OWASP advises:
   * prefixed with a single quote and quoted (`=HYPERLINK(…)` → `"'=HYPERLINK(…)"`). Numbers, dates and booleans are
   * never changed. Default `false`: the file holds the text exactly and reads back unchanged; pass `true` for files
   * people will open in Excel, LibreOffice or Google Sheets (the `clientele` command line does, unless
   * `--no-escape-formulas`).
   */
  escapeFormulas?: boolean;
  /**
   * CSV and JSON: significant digits of floating-point numbers, 1 to 17, or `'full'`. Default 15: a number is
   * written as `Number(x.toPrecision(15))` in its shortest form, so arithmetic noise disappears (`9.950000000000001`
   * → `9.95`) and every decimal of up to 15 significant digits is written exactly as that decimal. `'full'` writes
   * JavaScript's shortest round-trip form, which reads back as the very same double. Integers below 10^15 are never
   * changed.
   */
  significantDigits?: number | 'full';
}

export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl', 'basket'];
export const DEFAULT_SIGNIFICANT_DIGITS = 15;
export const COLUMN_TYPES: readonly ColumnType[] = ['string', 'number', 'integer', 'boolean', 'date', 'timestamp'];
export const COMPRESSIONS: readonly NonNullable<WriteOptions['compression']>[] = ['zstd', 'snappy', 'gzip', 'none'];

export const DEFAULT_BATCH_SIZE = 65_536;
export const DEFAULT_INFER_ROWS = 10_000;
export { DEFAULT_MAX_RECORD_BYTES } from '../kernels/internal';
