import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import { columnCells, formatNumber, isoDay, isoTimestamp, listValues } from './cells';
import type { ColumnCells } from './cells';
import { isTsvPath } from './format-from-path';
import { DEFAULT_SIGNIFICANT_DIGITS } from './types';

/**
 * The CSV and JSON writers: rows are written a slice at a time (so a large table never becomes one string) from
 * per-column accessors. Internal to src/io.
 */

const ROWS_PER_CHUNK = 16_384;
const encoder = new TextEncoder();

/** How the CSV writer writes: the delimiter, and whether text that a spreadsheet would run is escaped. */
export interface CsvWrite {
  readonly delimiter: string;
  readonly escapeFormulas: boolean;
  /** Significant digits of numbers (1–17) or `'full'` (see `formatNumber`). */
  readonly digits: number | 'full';
}

/**
 * The first characters that make Excel, LibreOffice Calc and Google Sheets read a cell as a formula (OWASP's list:
 * `=` `+` `-` `@` tab and carriage return; line feed, and the full-width ＝ ＋ － ＠ that some locales convert).
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A plain decimal number (`-5`, `+1.5e3`): a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when a spreadsheet would read the text as a formula (a plain number such as `-5` is not one). */
function formulaLike(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/**
 * A CSV field, quoted when it holds the delimiter, a quote, a line break or edge spaces; `""` is the empty string.
 * With `escapeFormulas`, text a spreadsheet would run as a formula is written as OWASP advises: a single quote in
 * front and the whole field quoted (`=1+2` → `"'=1+2"`), so the spreadsheet shows it as text.
 */
function csvField(text: string, csv: CsvWrite): string {
  if (text === '') return '""';
  if (csv.escapeFormulas && formulaLike(text)) return `"'${text.replace(/"/g, '""')}"`;
  if (
    text.includes(csv.delimiter) ||
    text.includes('"') ||
    text.includes('\n') ||
    text.includes('\r') ||
    text.trim() !== text
  ) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

function csvCell(cells: ColumnCells, i: number, csv: CsvWrite): string {
  const v = cells.get(i);
  if (v === null || v === undefined) return '';
  switch (cells.kind) {
    case 'text':
      return csvField(v as string, csv);
    case 'number':
      return formatNumber(v as number, csv.digits);
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'date':
      return isoDay(v as number);
    case 'timestamp':
      return isoTimestamp(v as number, cells.timezone !== null);
    case 'list':
      return csvField(listLabel(v, csv.digits), csv);
    default:
      return csvField(
        typeof v === 'object' ? JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)) : String(v),
        csv,
      );
  }
}

/**
 * A list as arules labels an itemset: `{liquor, red/blush wine}` (items as written, `, ` between them, `{}` for an
 * empty list, numbers as the number columns, a null item as `NA`).
 */
function listLabel(v: unknown, digits: number | 'full'): string {
  const items = listValues(v).map((x) =>
    x === null || x === undefined ? 'NA' : typeof x === 'number' ? formatNumber(x, digits) : String(x),
  );
  return `{${items.join(', ')}}`;
}

/**
 * The table as CSV (RFC 4180: a header line, `\n` line ends, fields quoted only when needed). Nulls are empty
 * fields, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.sss][Z]`, numbers with at most `digits`
 * significant digits in their shortest form (`NaN`, `Infinity` as such), lists as `{a, b}`. Numbers, dates and booleans are never escaped: `escapeFormulas`
 * applies to text cells and column names only, so a negative amount stays a number.
 */
export function* csvChunks(
  table: Table,
  csv: CsvWrite = { delimiter: ',', escapeFormulas: false, digits: DEFAULT_SIGNIFICANT_DIGITS },
): Generator<Uint8Array> {
  const { delimiter } = csv;
  const names = table.schema.fields.map((f) => f.name);
  yield encoder.encode(`${names.map((n) => csvField(n, csv)).join(delimiter)}\n`);
  for (const batch of table.batches) {
    const columns = names.map((_, j) => columnCells(batch.getChildAt(j)!));
    for (let start = 0; start < batch.numRows; start += ROWS_PER_CHUNK) {
      const stop = Math.min(batch.numRows, start + ROWS_PER_CHUNK);
      const lines: string[] = [];
      for (let i = start; i < stop; i++) {
        let line = '';
        for (let j = 0; j < columns.length; j++) line += (j === 0 ? '' : delimiter) + csvCell(columns[j], i, csv);
        // in a one-column file a null is an empty line, which the reader keeps as a null (it skips empty lines
        // only when there are several columns)
        lines.push(line);
      }
      yield encoder.encode(`${lines.join('\n')}\n`);
    }
  }
}

function jsonValue(cells: ColumnCells, i: number, digits: number | 'full'): string {
  const v = cells.get(i);
  if (v === null || v === undefined) return 'null';
  switch (cells.kind) {
    case 'list':
      return JSON.stringify(
        listValues(v).map((x) =>
          typeof x === 'number' ? (Number.isFinite(x) ? Number(formatNumber(x, digits)) : null) : x,
        ),
        (_, x) => (typeof x === 'bigint' ? String(x) : x),
      );
    case 'date':
      return `"${isoDay(v as number)}"`;
    case 'timestamp':
      return `"${isoTimestamp(v as number, cells.timezone !== null)}"`;
    case 'bigint':
      return String(v);
    case 'number':
      return Number.isFinite(v) ? formatNumber(v as number, digits) : 'null';
    default:
      return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)) ?? 'null';
  }
}

/**
 * The table as JSON: one object per row with every column (null included), as JSON lines (`lines`) or as one
 * array. Dates and timestamps are ISO strings as in CSV; NaN and ±Infinity, which JSON cannot write, are null;
 * 64-bit integers are written with all their digits; other numbers with at most `digits` significant digits; lists
 * as arrays.
 */
export function* jsonChunks(
  table: Table,
  lines: boolean,
  digits: number | 'full' = DEFAULT_SIGNIFICANT_DIGITS,
): Generator<Uint8Array> {
  const keys = table.schema.fields.map((f) => `${JSON.stringify(f.name)}:`);
  let first = true;
  if (!lines) yield encoder.encode('[');
  for (const batch of table.batches) {
    const columns = keys.map((_, j) => columnCells(batch.getChildAt(j)!));
    for (let start = 0; start < batch.numRows; start += ROWS_PER_CHUNK) {
      const stop = Math.min(batch.numRows, start + ROWS_PER_CHUNK);
      const rows: string[] = [];
      for (let i = start; i < stop; i++) {
        let row = '{';
        for (let j = 0; j < columns.length; j++)
          row += (j === 0 ? '' : ',') + keys[j] + jsonValue(columns[j], i, digits);
        rows.push(`${row}}`);
      }
      const text = lines ? `${rows.join('\n')}\n` : `${first ? '\n' : ',\n'}${rows.join(',\n')}`;
      first = false;
      yield encoder.encode(text);
    }
  }
  if (!lines) yield encoder.encode(first ? ']\n' : '\n]\n');
}

const WRITE_DELIMITERS: readonly string[] = [',', ';', '|', '\t'];

/**
 * The CSV options of writeTable and tableToBytes, checked: `delimiter` (`,` `;` `|` or tab — characters that
 * never occur in a number, a date or a timestamp, which are written unquoted; default `,`, or tab when `path` ends
 * in `.tsv`) and `escapeFormulas` (a boolean; default false).
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function resolveCsvWrite(options: unknown, fn: string, path?: string): CsvWrite {
  // own properties only: an inherited delimiter is not an option
  const own = (name: string): unknown =>
    typeof options === 'object' && options !== null && Object.prototype.hasOwnProperty.call(options, name)
      ? (options as Record<string, unknown>)[name]
      : undefined;
  const d = own('delimiter');
  if (d !== undefined && !WRITE_DELIMITERS.includes(d as string)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option delimiter must be one of ',', ';', '|' or a tab '\\t' (found ${describeValue(d)}); pass e.g. { delimiter: ';' }`,
    );
  }
  const escape = own('escapeFormulas');
  if (escape !== undefined && typeof escape !== 'boolean') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option escapeFormulas must be true or false (found ${describeValue(escape)}); pass { escapeFormulas: true } to write text starting with = + - @ as text`,
    );
  }
  const digits = own('significantDigits');
  if (
    digits !== undefined &&
    digits !== 'full' &&
    !(Number.isInteger(digits) && (digits as number) >= 1 && (digits as number) <= 17)
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option significantDigits must be a whole number from 1 to 17 or 'full' (found ${describeValue(digits)}); pass e.g. { significantDigits: 15 }, or 'full' for every digit of each double`,
    );
  }
  return {
    delimiter: (d as string | undefined) ?? (path !== undefined && isTsvPath(path) ? '\t' : ','),
    escapeFormulas: escape ?? false,
    digits: (digits as number | 'full' | undefined) ?? DEFAULT_SIGNIFICANT_DIGITS,
  };
}
