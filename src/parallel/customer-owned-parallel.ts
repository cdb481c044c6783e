import type { Data, Table, Vector } from 'apache-arrow';
import {
  customerPartialOf,
  keptBounds,
  mergeOwnedOrder,
  readDaysAndAmounts,
  readTransactions,
} from '../kernels/internal';
import type { CustomerColumns, CustomerPartial, KeySet } from '../kernels/internal';
import { getColumn, nullRecord, TypeId } from '../table/internal';
import type { PartialDrops } from '../table/internal';
import type { CustomerOwnedOutput } from './customer-owned-task';
import { spawnWorkers } from './pool';

/** The resolved options `customerPartialParallel` passes on. */
type Resolved = Parameters<typeof readTransactions>[1];

/**
 * Whether the customer column can be numbered in the worker threads: one key kind the workers hash straight from
 * shared memory — null-free Utf8, or null-free Int32 — and no `transaction` (whose order log is built first);
 * and `SharedArrayBuffer` exists.
 */
export function ownable(table: Table, o: Resolved, fn: string): boolean {
  // a page that is not cross-origin isolated has no SharedArrayBuffer (nor threads): the one-thread path serves it
  if (o.transaction !== undefined || typeof SharedArrayBuffer !== 'function') return false;
  const vector = getColumn(table, o.customer, fn, 'customer');
  if (vector.nullCount > 0) return false;
  const typeId = vector.type.typeId;
  if (typeId === TypeId.Utf8) return true;
  return typeId === TypeId.Int && (vector.data as Data[]).every((d) => d.values instanceof Int32Array);
}

/**
 * The per-customer partial of a whole table on `count` worker threads split by the hash of the customer key, so
 * that the threads share the numbering of the keys as well as the aggregation (the calling thread only copies
 * the columns into shared memory and lays the results out):
 *
 * 1. the threads start while the calling thread copies the key column (chunk by chunk: a table of many record
 *    batches costs what one chunk does), the days and the amounts into `SharedArrayBuffer`s; errors in the date
 *    and amount columns are raised here, with the row of the table;
 * 2. worker w hashes every row's key and numbers the keys it owns (its share of the hash space) by first row,
 *    then aggregates their rows in row order with the one kernel (`CustomerKernel`), skipping the others;
 * 3. the owners' keys, disjoint and each in order of first row, are merged by first row — the order of first
 *    appearance of the whole column — and their statistics are laid out in that order.
 *
 * Each customer's rows are folded in row order by exactly one thread, so counts, days and compensated sums equal
 * the single-thread ones bit for bit, whatever `count`.
 *
 * Cost: a copy of the three columns (17 bytes a row for 9-byte string keys, 16 for Int32 keys) on the calling
 * thread; O(rows) hashing and O(rows / count) look-ups and aggregation per worker; O(customers × count) to merge.
 */
export async function ownedPartial(table: Table, o: Resolved, count: number, fn: string): Promise<CustomerPartial> {
  const spawning = spawnWorkers(count); // the threads boot while this thread copies the columns
  let input: { keys: Int32Array; bytes?: Uint8Array; days: Int32Array; amounts: Float64Array };
  let read: ReturnType<typeof readDaysAndAmounts>;
  try {
    const keys = sharedKeys(getColumn(table, o.customer, fn, 'customer'));
    read = readDaysAndAmounts(table, o, fn, false);
    input = { ...keys, days: shared(read.dates.days, read.rows), amounts: shared(read.amounts, read.rows) };
  } catch (e) {
    await Promise.all((await spawning)?.map((h) => h.terminate()) ?? []);
    throw e;
  }
  const handles = await spawning;
  if (handles === undefined) return customerPartialOf(readTransactions(table, o, fn, false), o);
  try {
    const { latest, lowest } = keptBounds(o);
    const outputs = (await Promise.all(
      handles.map((h, w) =>
        h.request({
          type: 'customerOwned',
          input: { ...input, owner: w, owners: count, latest, lowest },
        }),
      ),
    )) as CustomerOwnedOutput[];
    return unitedOwners(outputs, read.rows, read.dateStats);
  } finally {
    await Promise.all(handles.map((h) => h.terminate()));
  }
}

/**
 * The partial of all rows from the owners' outputs: customers merged in order of first row, drops united, the
 * latest kept day the latest of all. Internal (exported for the tests, which run the owners in one thread).
 */
export function unitedOwners(
  outputs: readonly CustomerOwnedOutput[],
  rows: number,
  dates: CustomerPartial['dates'],
): CustomerPartial {
  return {
    kind: 'customerSummary',
    ...inFirstRowOrder(outputs),
    maxDay: Math.max(...outputs.map((out) => out.maxDay)),
    drops: unitedDrops(rows, outputs),
    dates,
  };
}

/** The key column in shared memory: Int32 values, or Utf8 offsets (from 0) and bytes, copied chunk by chunk. Internal (exported for the tests). */
export function sharedKeys(vector: Vector): { keys: Int32Array; bytes?: Uint8Array } {
  const rows = vector.length;
  const chunks = (vector.data as Data[]).filter((d) => d.length > 0);
  if (vector.type.typeId !== TypeId.Utf8) {
    const keys = new Int32Array(new SharedArrayBuffer(4 * rows));
    let at = 0;
    for (const d of chunks) {
      keys.set((d.values as Int32Array).subarray(0, d.length), at);
      at += d.length;
    }
    return { keys };
  }
  let total = 0;
  for (const d of chunks) total += d.valueOffsets[d.length] - d.valueOffsets[0];
  const keys = new Int32Array(new SharedArrayBuffer(4 * (rows + 1)));
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  let row = 0;
  let base = 0;
  for (const d of chunks) {
    const offsets = d.valueOffsets as Int32Array;
    const first = offsets[0];
    const end = offsets[d.length];
    bytes.set((d.values as Uint8Array).subarray(first, end), base);
    for (let i = 1; i <= d.length; i++) keys[row + i] = offsets[i] - first + base;
    row += d.length;
    base += end - first;
  }
  return { keys, bytes };
}

/** A copy of `a[0 … n − 1]` in shared memory. */
export function shared<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const Kind = a.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const copy = new Kind(new SharedArrayBuffer(n * Kind.BYTES_PER_ELEMENT));
  copy.set(a.subarray(0, n) as never);
  return copy;
}

/** The owners' keys and statistics as one key set and one set of columns, customers in order of first row. */
function inFirstRowOrder(outputs: readonly CustomerOwnedOutput[]): CustomerColumns & { keys: KeySet } {
  const maps = mergeOwnedOrder(outputs.map((out) => out.firstRows));
  let size = 0;
  for (const out of outputs) size += out.keys.size;
  const columns = {} as Record<keyof CustomerColumns, Int32Array | Float64Array>;
  for (const key of STATISTICS) {
    const column = new (outputs[0].columns[key].constructor as new (n: number) => Int32Array | Float64Array)(size);
    outputs.forEach((out, w) => {
      const part = out.columns[key];
      const map = maps[w];
      for (let j = 0; j < map.length; j++) column[map[j]] = part[j];
    });
    columns[key] = column;
  }
  return { ...(columns as unknown as CustomerColumns), keys: keysInOrder(outputs, maps, size) };
}

/**
 * The owners' drops as one scan of all rows records them: counts add, the first row is the earliest, and the
 * reasons are listed in the order rows first hit them (as the metadata of the result shows them).
 */
function unitedDrops(rows: number, outputs: readonly CustomerOwnedOutput[]): PartialDrops {
  const counts = new Map<string, number>();
  const first = new Map<string, number>();
  for (const out of outputs) {
    for (const [reason, count] of Object.entries(out.dropped)) {
      counts.set(reason, (counts.get(reason) ?? 0) + count);
      const row = out.firstRow[reason];
      if (!first.has(reason) || row < first.get(reason)!) first.set(reason, row);
    }
  }
  const reasons = [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
  const dropped = nullRecord<number>();
  const firstRow = nullRecord<number>();
  for (const reason of reasons) {
    dropped[reason] = counts.get(reason)!;
    firstRow[reason] = first.get(reason)!;
  }
  return { rows, dropped, firstRow };
}

const STATISTICS = ['count', 'first', 'last', 'sum', 'compensation', 'sumSquares'] as const;

/** The owners' keys laid out by global id (all of one kind: the column's). */
function keysInOrder(outputs: readonly CustomerOwnedOutput[], maps: readonly Int32Array[], size: number): KeySet {
  if (outputs[0].keys.kind !== 'utf8') {
    const values = new Int32Array(size);
    outputs.forEach((out, w) => {
      const part = (out.keys as { values: Int32Array }).values;
      for (let j = 0; j < part.length; j++) values[maps[w][j]] = part[j];
    });
    return { kind: 'number', size, values };
  }
  const offsets = new Int32Array(size + 1);
  outputs.forEach((out, w) => {
    const o = (out.keys as { offsets: Int32Array }).offsets;
    for (let j = 0; j < maps[w].length; j++) offsets[maps[w][j] + 1] = o[j + 1] - o[j];
  });
  for (let g = 0; g < size; g++) offsets[g + 1] += offsets[g];
  const bytes = new Uint8Array(offsets[size]);
  outputs.forEach((out, w) => {
    const part = out.keys as { offsets: Int32Array; bytes: Uint8Array };
    for (let j = 0; j < maps[w].length; j++) {
      const to = offsets[maps[w][j]];
      const from = part.offsets[j];
      const length = part.offsets[j + 1] - from;
      for (let k = 0; k < length; k++) bytes[to + k] = part.bytes[from + k]; // no view per key
    }
  });
  return { kind: 'utf8', size, offsets, bytes };
}
