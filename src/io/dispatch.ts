import type { RecordBatch } from 'apache-arrow';
import { ClienteleError, describeValue, optionNames } from '../table/internal';
import { ipcBatches } from './arrow-ipc';
import { basketBatches, basketDelimiter } from './basket-reader';
import { csvBatches } from './csv-reader';
import { formatFromPath, isTsvPath, sniffFormat } from './format-from-path';
import { jsonBatches, jsonlBatches } from './json-reader';
import { parquetBatches } from './parquet';
import { openSource } from './sources';
import type { ByteSource } from './sources';
import {
  COLUMN_TYPES,
  COMPRESSIONS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_INFER_ROWS,
  DEFAULT_MAX_RECORD_BYTES,
  FILE_FORMATS,
} from './types';
import type { ColumnType, FileFormat, ReadOptions, WriteOptions } from './types';

/** Option checks and the format dispatch shared by the public readers and writers. Internal to src/io. */

/** The options readTable and readBatches take; every other name is refused with a did-you-mean. */
export const READ_OPTION_NAMES = optionNames<ReadOptions>({
  format: true,
  columns: true,
  delimiter: true,
  header: true,
  names: true,
  batchSize: true,
  inferRows: true,
  maxRecordBytes: true,
  onProgress: true,
});

export interface ResolvedRead {
  format: FileFormat | undefined;
  /** Column name → type, a Map so that names such as `__proto__` or `constructor` are only names. */
  columns: ReadonlyMap<string, ColumnType> | undefined;
  /** One ASCII character or `'whitespace'`. */
  delimiter: string | undefined;
  header: boolean;
  names: readonly string[] | undefined;
  batchSize: number;
  inferRows: number;
  maxRecordBytes: number;
  onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined;
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export function checkFormat(format: unknown, fn: string): FileFormat | undefined {
  if (format === undefined) return undefined;
  if (!FILE_FORMATS.includes(format as FileFormat)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option format must be one of ${list(FILE_FORMATS)} (found ${describeValue(format)}); pass e.g. { format: 'csv' }`,
    );
  }
  return format as FileFormat;
}

function positiveCount(value: unknown, option: string, fallback: number, fn: string, unit = 'rows'): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 1) || (!Number.isInteger(value) && value !== Infinity)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be a whole number of ${unit}, at least 1 (found ${describeValue(value)}); pass e.g. { ${option}: ${fallback} }`,
    );
  }
  return value;
}

/** Validates the read options and fills in the defaults. @throws {ClienteleError} `INVALID_OPTION` */
export function resolveRead(options: unknown, fn: string): ResolvedRead {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); pass e.g. { format: 'csv' }`,
    );
  }
  const o = (options ?? {}) as ReadOptions;
  const format = checkFormat(o.format, fn);
  let columns: Map<string, ColumnType> | undefined;
  if (o.columns !== undefined) {
    if (typeof o.columns !== 'object' || o.columns === null || Array.isArray(o.columns)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option columns must map column names to types (found ${describeValue(o.columns)}); pass e.g. { columns: { zip: 'string' } }`,
      );
    }
    for (const [name, type] of Object.entries(o.columns)) {
      if (!COLUMN_TYPES.includes(type)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option columns gives column "${name}" the type ${describeValue(type)}, which is not one of ${list(COLUMN_TYPES)}; pass e.g. { columns: { ${JSON.stringify(name)}: 'string' } }`,
          { column: name },
        );
      }
    }
    columns = new Map(Object.entries(o.columns));
  }
  const d = o.delimiter;
  if (
    d !== undefined &&
    d !== 'whitespace' &&
    (typeof d !== 'string' || d.length !== 1 || d.charCodeAt(0) > 127 || d === '"' || d === '\n' || d === '\r')
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option delimiter must be one ASCII character other than a quote or a line break, or 'whitespace' (found ${describeValue(d)}); pass e.g. { delimiter: ';' }`,
    );
  }
  if (o.header !== undefined && typeof o.header !== 'boolean') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option header must be true or false (found ${describeValue(o.header)}); pass { header: false } for a file without a header line`,
    );
  }
  const names = checkNames(o.names, fn);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option onProgress must be a function (found ${describeValue(o.onProgress)}); pass (bytesRead, totalBytes) => { … }`,
    );
  }
  return {
    format,
    columns,
    delimiter: d,
    header: o.header ?? true,
    names,
    batchSize: positiveCount(o.batchSize, 'batchSize', DEFAULT_BATCH_SIZE, fn),
    inferRows: positiveCount(o.inferRows, 'inferRows', DEFAULT_INFER_ROWS, fn),
    maxRecordBytes: positiveCount(o.maxRecordBytes, 'maxRecordBytes', DEFAULT_MAX_RECORD_BYTES, fn, 'bytes'),
    onProgress: o.onProgress,
  };
}

/** The `names` option checked: non-empty, distinct strings. */
function checkNames(names: unknown, fn: string): readonly string[] | undefined {
  if (names === undefined) return undefined;
  const example = "pass e.g. { names: ['customer', 'date', 'amount'] }";
  if (!Array.isArray(names) || names.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option names must be a non-empty array of column names (found ${describeValue(names)}); ${example}`,
    );
  }
  const seen = new Set<string>();
  names.forEach((name: unknown, k) => {
    if (typeof name !== 'string' || name === '' || seen.has(name)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option names must hold distinct non-empty strings (found ${describeValue(name)} at position ${k + 1}); ${example}`,
      );
    }
    seen.add(name);
  });
  return [...(names as string[])];
}

/** Validates the write options. @throws {ClienteleError} `INVALID_OPTION` */
export function resolveWrite(
  options: unknown,
  fn: string,
): { format: FileFormat | undefined; compression: NonNullable<WriteOptions['compression']> } {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); pass e.g. { compression: 'zstd' }`,
    );
  }
  const o = (options ?? {}) as WriteOptions;
  const compression = o.compression ?? 'zstd';
  if (!COMPRESSIONS.includes(compression)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option compression must be one of ${list(COMPRESSIONS)} (found ${describeValue(compression)}); pass e.g. { compression: 'zstd' }`,
    );
  }
  const format = checkFormat(o.format, fn);
  if (format === 'basket') throw basketNotWritten(fn);
  return { format, compression };
}

/** Basket files are read, never written: a result is written as a table. */
export function basketNotWritten(fn: string): ClienteleError {
  return new ClienteleError(
    'INVALID_OPTION',
    `${fn}: basket files are read only (found format 'basket'); write the long table as CSV or Parquet (e.g. { format: 'csv' }, a .csv path)`,
  );
}

/** The format of a source: the option, else the path's extension, else sniffed from the first bytes. */
export async function formatOf(source: ByteSource, format: FileFormat | undefined): Promise<FileFormat> {
  return (
    format ??
    (source.path !== undefined ? formatFromPath(source.path) : undefined) ??
    sniffFormat(await source.head(16))
  );
}

/** The batches of any source. */
export async function* batchesOf(input: unknown, o: ResolvedRead, fn: string): AsyncGenerator<RecordBatch> {
  const source = await openSource(input, fn, o.onProgress);
  const format = await formatOf(source, o.format);
  if (format !== 'csv' && (!o.header || o.names !== undefined)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options header and names apply to CSV text only (found format '${format}'); drop them, or pass { format: 'csv' }`,
    );
  }
  const { columns, batchSize, inferRows, maxRecordBytes } = o;
  const text = { fn, columns, batchSize, inferRows, maxRecordBytes };
  switch (format) {
    case 'csv': {
      const delimiter = o.delimiter ?? (source.path !== undefined && isTsvPath(source.path) ? '\t' : undefined);
      yield* csvBatches(source, { ...text, delimiter, header: o.header, names: o.names });
      return;
    }
    case 'basket':
      yield* basketBatches(source, {
        fn,
        delimiter: basketDelimiter(source.path, o.delimiter),
        batchSize,
        maxRecordBytes,
      });
      return;
    case 'jsonl':
      yield* jsonlBatches(source, text);
      return;
    case 'json':
      yield* jsonBatches(source, text);
      return;
    case 'arrow':
    case 'arrows':
      yield* ipcBatches(source, fn);
      return;
    case 'parquet':
      yield* parquetBatches(source, fn, Number.isFinite(o.batchSize) ? o.batchSize : 1 << 20);
      return;
    default: {
      const never: never = format;
      return never;
    }
  }
}
