import { Table } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { batchOfData, columnData, CsvParser, parseCsvRange, schemaOf } from '../kernels/internal';
import type { CsvRangeInput, CsvRangeOutput, CsvSettings, RangeColumn } from '../kernels/internal';
import type { ColumnType } from '../kernels/internal';

/**
 * `readTable` of a CSV on several threads, with the table a one-thread read gives: the same schema (types
 * inferred from the first `inferRows` records on the calling thread, by the one-thread code), the same rows in the
 * same order, the same batches of `batchSize` rows, the same values and null counts. Internal to src/io.
 *
 * 1. The calling thread reads the header and infers the types exactly as the one-thread reader does.
 * 2. The data bytes are cut into ranges of `rangeBytes`; the threads parse them (`parseCsvRanges`: the bytes are
 *    in shared memory, the column buffers come back transferred).
 * 3. The chain of ranges is verified (see src/kernels/csv-range.ts: a range counts only when it started where the
 *    previous one ended, else it is parsed again from there on this thread), which makes the split exact for any
 *    input whatever the guess of where a range's first record starts.
 * 4. The batches are cut from the ranges' buffers without re-parsing: Int32, Float64 and date values and text bytes
 *    as views, text offsets re-based, the rows of a batch that spans two ranges copied once.
 *
 * When the file has no data row, or a range fails (an error in the file), it returns undefined and the caller reads
 * the file on one thread, which then raises the one-thread error: same code, message, line, column and row.
 */

/** Runs the ranges (on threads, or in-process in tests) and returns them in order. */
export type RangeRunner = (inputs: readonly CsvRangeInput[]) => Promise<CsvRangeOutput[]>;

/** Range size when none is asked for: about four per thread, from 1 MiB to 64 MiB. */
function defaultRangeBytes(dataBytes: number, threads: number): number {
  return Math.min(64 << 20, Math.max(1 << 20, Math.ceil(dataBytes / (threads * 4))));
}

/** The table of a CSV held whole in `bytes` (shared memory for threads), or undefined to read it on one thread. */
export async function csvTableInRanges(
  bytes: Uint8Array,
  settings: CsvSettings,
  threads: number,
  run: RangeRunner,
  rangeBytes?: number,
): Promise<Table | undefined> {
  const parser = new CsvParser(settings);
  parser.push(bytes, true);
  const plan = parser.plan();
  const n = bytes.length;
  if (plan.dataStart >= n) return undefined;
  const size = rangeBytes ?? defaultRangeBytes(n - plan.dataStart, threads);
  const inputs: CsvRangeInput[] = [];
  for (let from = plan.dataStart; from < n; from += size) {
    inputs.push({ bytes, from, exact: from === plan.dataStart, stop: Math.min(n, from + size), settings, plan });
  }
  const ranges = verifiedChain(await run(inputs), inputs, plan.dataStart);
  if (ranges === undefined) return undefined;
  const schema = schemaOf(plan.names.map((name, k) => ({ name, type: plan.types[k] })));
  const total = ranges.reduce((sum, r) => sum + r.rows, 0);
  if (total === 0) return undefined;
  const batches: RecordBatch[] = [];
  const firstRows = rowStarts(ranges);
  for (let a = 0; a < total; a += settings.batchSize) {
    const b = Math.min(total, a + settings.batchSize);
    const pieces = piecesOf(ranges, firstRows, a, b);
    const children = plan.types.map((type, c) => batchColumn(type, c, pieces, b - a));
    batches.push(batchOfData(schema, children, b - a));
  }
  return new Table(batches);
}

/**
 * The ranges as a one-thread read meets them: range 0 starts at the first data record; a range that failed or did
 * not start where the one before it ended is parsed again from there (on this thread). Undefined when a range that
 * starts at a true record start fails: the file has an error.
 */
function verifiedChain(
  outputs: CsvRangeOutput[],
  inputs: readonly CsvRangeInput[],
  dataStart: number,
): CsvRangeOutput[] | undefined {
  let expected = dataStart;
  const ranges: CsvRangeOutput[] = [];
  for (let k = 0; k < outputs.length; k++) {
    let r = outputs[k];
    if (r.failed || r.start !== expected) r = parseCsvRange({ ...inputs[k], from: expected, exact: true });
    if (r.failed) return undefined;
    ranges.push(r);
    expected = r.end;
  }
  return ranges;
}

/** The whole-table row of each range's first row. */
function rowStarts(ranges: readonly CsvRangeOutput[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const r of ranges) {
    starts.push(at);
    at += r.rows;
  }
  return starts;
}

/** Rows `lo … hi − 1` of range `range`. */
interface Piece {
  readonly range: CsvRangeOutput;
  readonly lo: number;
  readonly hi: number;
}

/** The pieces of ranges that hold the whole-table rows `a … b − 1`, in order. */
function piecesOf(ranges: readonly CsvRangeOutput[], firstRows: readonly number[], a: number, b: number): Piece[] {
  const pieces: Piece[] = [];
  for (let k = 0; k < ranges.length; k++) {
    const first = firstRows[k];
    const lo = Math.max(a, first);
    const hi = Math.min(b, first + ranges[k].rows);
    if (lo < hi) pieces.push({ range: ranges[k], lo: lo - first, hi: hi - first });
  }
  return pieces;
}

/** Column `c` of a batch made of `pieces` (`rows` rows in all) as Arrow Data. */
function batchColumn(type: ColumnType, c: number, pieces: readonly Piece[], rows: number): Data {
  const cols = pieces.map((p) => p.range.columns[c]);
  const nullCount = cols.every((col) => col.nulls === 0) ? 0 : undefined;
  const valid = joined(
    pieces.map((p, i) => cols[i].valid.subarray(p.lo, p.hi)),
    rows,
    Uint8Array,
  );
  if (type === 'string') {
    const { offsets, bytes } = joinedText(pieces, cols, rows);
    return columnData(type, rows, { valid, offsets, bytes }, nullCount);
  }
  const ints =
    cols[0].ints.length > 0
      ? joined(
          pieces.map((p, i) => cols[i].ints.subarray(p.lo, p.hi)),
          rows,
          Int32Array,
        )
      : undefined;
  const floats =
    cols[0].floats.length > 0
      ? joined(
          pieces.map((p, i) => cols[i].floats.subarray(p.lo, p.hi)),
          rows,
          Float64Array,
        )
      : undefined;
  return columnData(type, rows, { valid, ints, floats }, nullCount);
}

/** One array of the parts: the part itself when there is one (a view, no copy), else a copy of them end to end. */
function joined<T extends Uint8Array | Int32Array | Float64Array>(
  parts: T[],
  rows: number,
  Make: new (n: number) => T,
): T {
  if (parts.length === 1) return parts[0];
  const out = new Make(rows);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A text column's offsets from 0 and its bytes: the bytes a view when one range holds the batch. */
function joinedText(
  pieces: readonly Piece[],
  cols: readonly RangeColumn[],
  rows: number,
): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(rows + 1);
  let used = 0;
  for (let i = 0; i < pieces.length; i++) used += cols[i].offsets[pieces[i].hi] - cols[i].offsets[pieces[i].lo];
  const views = pieces.map((p, i) => cols[i].bytes.subarray(cols[i].offsets[p.lo], cols[i].offsets[p.hi]));
  const bytes = joined(views, used, Uint8Array);
  let row = 0;
  let base = 0;
  for (let i = 0; i < pieces.length; i++) {
    const src = cols[i].offsets;
    const { lo, hi } = pieces[i];
    const shift = base - src[lo];
    for (let k = lo; k < hi; k++) offsets[++row] = src[k + 1] + shift;
    base += src[hi] - src[lo];
  }
  return { offsets, bytes };
}
