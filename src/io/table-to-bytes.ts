import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { asTable, ClienteleError, knownOptions, optionNames } from '../table/internal';
import type { TableInput } from '../table/internal';
import { basketNotWritten, checkFormat, resolveWrite } from './dispatch';
import { parquetBytes } from './parquet';
import { csvChunks, jsonChunks, resolveCsvWrite } from './text-writers';
import type { CsvWrite } from './text-writers';
import type { FileFormat, WriteOptions } from './types';

/** The chunks of a table written in `format` (shared with writeTable, which streams them to a file). */
export async function encodedChunks(
  table: Table,
  format: FileFormat,
  compression: NonNullable<WriteOptions['compression']>,
  csv: CsvWrite,
  fn: string,
): Promise<Iterable<Uint8Array>> {
  switch (format) {
    case 'csv':
      return csvChunks(table, csv);
    case 'json':
      return jsonChunks(table, false, csv.digits);
    case 'jsonl':
      return jsonChunks(table, true, csv.digits);
    case 'arrow':
      return [tableToIPC(table, 'file')];
    case 'arrows':
      return [tableToIPC(table, 'stream')];
    case 'parquet':
      return [await parquetBytes(table, compression)];
    case 'basket':
      throw basketNotWritten(fn);
    default: {
      const never: never = format;
      return never;
    }
  }
}

/** The options tableToBytes takes; every other name is refused with a did-you-mean. */
const TABLE_TO_BYTES_OPTION_NAMES = optionNames<WriteOptions>({
  format: true,
  compression: true,
  delimiter: true,
  escapeFormulas: true,
  significantDigits: true,
});

/**
 * The bytes of a table in a file format, without touching the file system: for browsers, HTTP responses, or
 * storing a result in a database blob.
 *
 * Formats as {@link writeTable} writes them: CSV (header line, `\n` line ends, fields quoted only when needed,
 * nulls empty, `""` for the empty string, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.sss]`; text that a
 * spreadsheet would run as a formula escaped with `escapeFormulas: true`, see {@link WriteOptions}), JSON array
 * or JSON lines (one object per row, dates as ISO strings, NaN as null), Arrow IPC file or stream, Parquet (zstd by
 * default, through parquet-wasm).
 *
 * Cost: O(rows × columns); the bytes are built in memory (use {@link writeTable} to stream text formats to a file).
 *
 * @param table anything {@link asTable} accepts; it is not modified
 * @param format `'csv'`, `'parquet'`, `'arrow'`, `'arrows'`, `'json'` or `'jsonl'`
 * @param options `compression` for Parquet: `'zstd'` (default), `'snappy'`, `'gzip'` or `'none'`; for CSV
 *   `delimiter` (`','` default, `';'`, `'|'`, `'\t'` for TSV) and `escapeFormulas` (default false)
 * @throws {ClienteleError} `INVALID_OPTION` for an unknown format, compression, delimiter or a non-boolean
 *   `escapeFormulas`; `INVALID_INPUT` as asTable
 * @example
 * const bytes = await tableToBytes([{ customer: 'a', amount: 10 }, { customer: 'b, inc', amount: null }], 'csv');
 * new TextDecoder().decode(bytes); // 'customer,amount\na,10\n"b, inc",\n'
 * const safe = await tableToBytes([{ customer: '=1+2', amount: -5 }], 'csv', { escapeFormulas: true });
 * new TextDecoder().decode(safe); // 'customer,amount\n"\'=1+2",-5\n'
 */
export async function tableToBytes(table: TableInput, format: FileFormat, options?: WriteOptions): Promise<Uint8Array> {
  options = knownOptions(options, TABLE_TO_BYTES_OPTION_NAMES, 'tableToBytes');
  const fn = 'tableToBytes';
  const { compression } = resolveWrite(options, fn);
  const csv = resolveCsvWrite(options, fn);
  const chosen = checkFormat(format, fn);
  if (chosen === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the format is missing; pass one of 'csv', 'parquet', 'arrow', 'arrows', 'json', 'jsonl'`,
    );
  }
  const chunks = [...(await encodedChunks(asTable(table), chosen, compression, csv, fn))];
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
