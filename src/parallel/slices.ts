import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';

/** `n + 1` row bounds that cut `rows` rows into `n` contiguous slices whose sizes differ by at most one. */
export function sliceBounds(rows: number, n: number): number[] {
  const bounds = new Array<number>(n + 1);
  for (let i = 0; i <= n; i++) bounds[i] = Math.floor((i * rows) / n);
  return bounds;
}

/**
 * Rows `begin … end − 1` of a table as Arrow IPC stream bytes in a buffer of their own, ready to be transferred.
 * This is the one copy of the data a parallel run makes: `Table.slice` is a zero-copy view, and the IPC writer
 * copies the slice's ranges of the column buffers (values, offsets, validity bits; a dictionary once per slice)
 * into one new buffer. The caller's buffers are never transferred, which would detach them and empty the
 * caller's table.
 */
export function sliceBytes(table: Table, begin: number, end: number): Uint8Array {
  const bytes = tableToIPC(table.slice(begin, end), 'stream');
  // the writer's result owns its buffer; copy only if it ever hands back a view into a larger one
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : bytes.slice();
}
