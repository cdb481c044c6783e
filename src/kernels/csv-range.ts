import { CsvParser } from './csv-parser';
import type { CsvPlan, CsvSettings } from './csv-parser';
import type { ColumnType } from './text-columns';

/**
 * One range of a CSV's bytes parsed on its own, so that the ranges of a file are parsed on several threads and
 * joined (src/io `readTable` with `parallel`, the worker task in src/parallel).
 *
 * The split (speculate, then verify). A range is given by a nominal byte `from`; its records are those that start
 * in `[from, stop)`. Where the first record after `from` starts depends on whether `from` lies inside a quoted
 * field, which only a scan from the file's start can tell. {@link guessRecordStart} guesses it from the quotes
 * near `from` (a quote after a delimiter or line break that opens a field, or one before them that closes it)
 * and the range is parsed from the guess. The caller then checks the chain: range 0 starts at the first data
 * record (known), and range k's parse is accepted only when it started exactly where range k − 1's accepted parse
 * ended (the first record start at or after its `stop`); otherwise range k is parsed again from that byte. By
 * induction every accepted range started at a true record start and read the records a one-thread read meets
 * there, in the same way (the tokenizer's state at a record start is only its position), so the joined columns
 * are the one-thread columns whatever the guess — a wrong guess costs time, never a wrong row. The same holds
 * for files that break RFC 4180 (a stray quote inside an unquoted field), where quote parity alone would mislead.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
/** Bytes after `from` searched for a quote that tells whether `from` is inside a quoted field. */
const QUOTE_WINDOW = 1 << 16;

/** What a thread needs to parse one range: the whole input (shared memory), the range and the plan. */
export interface CsvRangeInput {
  readonly bytes: Uint8Array;
  /** The nominal first byte; with `exact` a known record start. */
  readonly from: number;
  readonly exact: boolean;
  readonly stop: number;
  readonly settings: CsvSettings;
  readonly plan: CsvPlan;
}

/** One column of a range: rows `0 … rows − 1` of each array hold the values (arrays may be longer). */
export interface RangeColumn {
  readonly type: ColumnType;
  readonly nulls: number;
  readonly valid: Uint8Array;
  readonly ints: Int32Array;
  readonly floats: Float64Array;
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

/** A parsed range, or `failed` when its records are not valid from where it started (an error, or a bad guess). */
export interface CsvRangeOutput {
  readonly start: number;
  readonly end: number;
  readonly rows: number;
  readonly failed: boolean;
  readonly columns: readonly RangeColumn[];
}

const isBreak = (c: number, delim: number, ws: boolean) =>
  c === delim || c === LF || c === CR || (ws && (c === SPACE || c === TAB));

/**
 * Whether `from` lies inside a quoted field, judged from the first quote after it that can only open a field (a
 * delimiter or line break before it, none after) or only close one (the reverse), and the parity of the quotes
 * between. No such quote in the window: outside.
 */
function insideQuotes(bytes: Uint8Array, from: number, delim: number, ws: boolean): boolean {
  const end = Math.min(bytes.length, from + QUOTE_WINDOW);
  let quotes = 0;
  for (let i = from; i < end; i++) {
    if (bytes[i] !== QUOTE) continue;
    const before = i === 0 || isBreak(bytes[i - 1], delim, ws);
    const after = i + 1 >= bytes.length || isBreak(bytes[i + 1], delim, ws);
    if (before && !after && bytes[i + 1] !== QUOTE) return quotes % 2 === 1; // opens: outside just before it
    if (after && !before && bytes[i - 1] !== QUOTE) return quotes % 2 === 0; // closes: inside just before it
    quotes++;
  }
  return false;
}

/**
 * The first byte at or after `from` where a record would start (just after `\n`, `\r\n` or a lone `\r` outside
 * quotes), from the quote state {@link insideQuotes} guesses at `from`; the input's length when there is none.
 */
function guessRecordStart(bytes: Uint8Array, from: number, delim: number, ws: boolean): number {
  const n = bytes.length;
  if (from >= n) return n;
  const prev = bytes[from - 1];
  if (prev === LF || (prev === CR && bytes[from] !== LF)) return from;
  let quoted = insideQuotes(bytes, from, delim, ws);
  for (let i = from; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      if (c === LF) return i + 1;
      if (c === CR) return i + 1 < n && bytes[i + 1] === LF ? i + 2 : i + 1;
    }
  }
  return n;
}

/** `a`, or a copy of its first `n` elements when more than a quarter of it is unused (so less is kept or sent). */
function fit<T extends Uint8Array | Int32Array | Float64Array>(a: T, n: number): T {
  return n >= a.length * 0.75 ? a : (a.slice(0, n) as T);
}

/** Parses the records that start in the range; `failed` instead of an error (the caller decides what it means). */
export function parseCsvRange(input: CsvRangeInput): CsvRangeOutput {
  const { bytes, from, stop, settings, plan } = input;
  const ws = settings.delimiter === 'whitespace';
  const start = input.exact ? from : guessRecordStart(bytes, from, plan.delimiter, ws);
  let range;
  try {
    range = new CsvParser(settings).range(bytes, start, stop, plan);
  } catch {
    return { start, end: start, rows: 0, failed: true, columns: [] };
  }
  const rows = range.rows;
  const columns = range.columns.map((b): RangeColumn => {
    let nulls = 0;
    const valid = b.valid;
    for (let i = 0; i < rows; i++) nulls += 1 - valid[i];
    const text = b.type === 'string';
    return {
      type: b.type,
      nulls,
      valid: fit(valid, rows),
      ints: fit(b.ints, rows),
      floats: fit(b.floats, rows),
      offsets: text ? fit(b.offsets, rows + 1) : b.offsets,
      bytes: text ? fit(b.bytes, b.offsets[rows]) : b.bytes,
    };
  });
  return { start, end: range.end, rows, failed: false, columns };
}
