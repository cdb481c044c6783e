import { asTable, ClienteleError, knownOptions, optionNames } from '../table/internal';
import type { TableInput } from '../table/internal';
import { resolveWrite } from './dispatch';
import { formatFromPath } from './format-from-path';
import { encodedChunks } from './table-to-bytes';
import { resolveCsvWrite } from './text-writers';
import { writeFileChunks } from './write-file';
import type { WriteOptions } from './types';

/** The options writeTable takes; every other name is refused with a did-you-mean. */
const WRITE_TABLE_OPTION_NAMES = optionNames<WriteOptions>({
  format: true,
  compression: true,
  delimiter: true,
  escapeFormulas: true,
  significantDigits: true,
});

/**
 * Writes a table to a file as CSV, Parquet, Arrow IPC (file or stream), JSON or JSON lines.
 *
 * Use it to hand results to other tools: `writeTable(rfmSegments(scores), 'segments.parquet')` for DuckDB,
 * Spark or pandas; CSV for spreadsheets.
 *
 * The format comes from `options.format`, else from the extension ({@link formatFromPath}). What each format
 * holds is described at {@link tableToBytes}; text formats are written a slice of rows at a time, so the file is
 * never one string in memory. Parquet is compressed with zstd unless `compression` says otherwise. An existing
 * file is replaced. A `.tsv` path is written with tab delimiters.
 *
 * CSV and spreadsheets: text cells are written exactly as they are by default, so the file reads back unchanged;
 * a cell such as `=HYPERLINK(…)` would then run as a formula when the file is opened in Excel, LibreOffice or Google
 * Sheets. Pass `escapeFormulas: true` for files meant for people (OWASP's advice: such text gets a leading `'` and
 * is quoted; numbers, dates and booleans are never changed, so a negative amount stays a number).
 *
 * When the operating system refuses the write (no such folder, a directory, permission denied, no space left), the
 * error is an `IO_ERROR` naming the path and the system's code, and a partial file is removed.
 *
 * Cost: O(rows × columns).
 *
 * @param table anything {@link asTable} accepts; it is not modified
 * @param path where to write (Node.js, Deno, Bun)
 * @param options `format` (default from the extension), `compression` (Parquet: `'zstd'` default, `'snappy'`,
 *   `'gzip'`, `'none'`), `delimiter` (CSV: `','` default, tab for `.tsv`, `';'`, `'|'`), `escapeFormulas` (CSV:
 *   default false)
 * @throws {ClienteleError} `INVALID_OPTION` when the format is unknown or cannot be told from the extension, or a
 *   CSV option is invalid; `IO_ERROR` when the operating system refuses to write the file (the message names the
 *   path and the system's code, e.g. ENOSPC, EACCES, EISDIR); `INVALID_INPUT` for an empty path or a table that is
 *   not readable by asTable
 * @example
 * // e.g. await writeTable(rfm(tx), 'scores.parquet');
 * const path = `${process.env.TMPDIR ?? '/tmp'}/clientele-example.csv`;
 * await writeTable([{ customer: 'a', amount: 10 }], path);
 * (await readTable(path)).getChild('amount').get(0); // 10
 */
export async function writeTable(table: TableInput, path: string, options?: WriteOptions): Promise<void> {
  options = knownOptions(options, WRITE_TABLE_OPTION_NAMES, 'writeTable');
  const fn = 'writeTable';
  const { format: given, compression } = resolveWrite(options, fn);
  if (typeof path !== 'string' || path.length === 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the path must be a non-empty string (found ${JSON.stringify(path)}); pass e.g. 'out.csv'`,
    );
  }
  const csv = resolveCsvWrite(options, fn, path);
  const format = given ?? formatFromPath(path);
  if (format === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: cannot tell the format of ${JSON.stringify(path)} from its extension; end the path with .csv, .parquet, .arrow, .arrows, .json or .jsonl, or pass { format: 'csv' }`,
    );
  }
  await writeFileChunks(path, await encodedChunks(asTable(table), format, compression, csv, fn), fn);
}
