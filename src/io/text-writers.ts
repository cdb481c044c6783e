import type { Table } from 'apache-arrow';
import { columnCells, isoDay, isoTimestamp } from './cells';
import type { ColumnCells } from './cells';

/**
 * The CSV and JSON writers: rows are written a slice at a time (so a large table never becomes one string) from
 * per-column accessors. Internal to src/io.
 */

const ROWS_PER_CHUNK = 16_384;
const encoder = new TextEncoder();

/** A CSV field, quoted when it holds the delimiter, a quote, a line break or edge spaces; `""` is the empty string. */
function csvField(text: string, delimiter: string): string {
  if (text === '') return '""';
  if (
    text.includes(delimiter) ||
    text.includes('"') ||
    text.includes('\n') ||
    text.includes('\r') ||
    text.trim() !== text
  ) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

function csvCell(cells: ColumnCells, i: number, delimiter: string): string {
  const v = cells.get(i);
  if (v === null || v === undefined) return '';
  switch (cells.kind) {
    case 'text':
      return csvField(v as string, delimiter);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'date':
      return isoDay(v as number);
    case 'timestamp':
      return isoTimestamp(v as number, cells.timezone !== null);
    default:
      return csvField(
        typeof v === 'object' ? JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)) : String(v),
        delimiter,
      );
  }
}

/**
 * The table as CSV (RFC 4180: a header line, `\n` line ends, fields quoted only when needed). Nulls are empty
 * fields, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.sss][Z]`, numbers in JavaScript's shortest
 * round-trip form (`NaN`, `Infinity` as such).
 */
export function* csvChunks(table: Table, delimiter = ','): Generator<Uint8Array> {
  const names = table.schema.fields.map((f) => f.name);
  yield encoder.encode(`${names.map((n) => csvField(n, delimiter)).join(delimiter)}\n`);
  for (const batch of table.batches) {
    const columns = names.map((_, j) => columnCells(batch.getChildAt(j)!));
    for (let start = 0; start < batch.numRows; start += ROWS_PER_CHUNK) {
      const stop = Math.min(batch.numRows, start + ROWS_PER_CHUNK);
      const lines: string[] = [];
      for (let i = start; i < stop; i++) {
        let line = '';
        for (let j = 0; j < columns.length; j++) line += (j === 0 ? '' : delimiter) + csvCell(columns[j], i, delimiter);
        // in a one-column file a null is an empty line, which the reader keeps as a null (it skips empty lines
        // only when there are several columns)
        lines.push(line);
      }
      yield encoder.encode(`${lines.join('\n')}\n`);
    }
  }
}

function jsonValue(cells: ColumnCells, i: number): string {
  const v = cells.get(i);
  if (v === null || v === undefined) return 'null';
  switch (cells.kind) {
    case 'date':
      return `"${isoDay(v as number)}"`;
    case 'timestamp':
      return `"${isoTimestamp(v as number, cells.timezone !== null)}"`;
    case 'bigint':
      return String(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    default:
      return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)) ?? 'null';
  }
}

/**
 * The table as JSON: one object per row with every column (null included), as JSON lines (`lines`) or as one
 * array. Dates and timestamps are ISO strings as in CSV; NaN and ±Infinity, which JSON cannot write, are null;
 * 64-bit integers are written with all their digits.
 */
export function* jsonChunks(table: Table, lines: boolean): Generator<Uint8Array> {
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
        for (let j = 0; j < columns.length; j++) row += (j === 0 ? '' : ',') + keys[j] + jsonValue(columns[j], i);
        rows.push(`${row}}`);
      }
      const text = lines ? `${rows.join('\n')}\n` : `${first ? '\n' : ',\n'}${rows.join(',\n')}`;
      first = false;
      yield encoder.encode(text);
    }
  }
  if (!lines) yield encoder.encode(first ? ']\n' : '\n]\n');
}
