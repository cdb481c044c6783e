import type { Data, Table, Vector } from 'apache-arrow';
import { DropCounter, getColumn, readKeys, readKeysVector, TypeId } from '../table/internal';
import { compress, noRowError, withRowReport } from './basket-layout';
import type { Baskets } from './mined';
import { utf8Names } from './utf8-names';

/**
 * Baskets of a log already grouped by transaction — the fast path of `baskets(table)` and the finish of
 * `readBaskets`. When every transaction's rows are contiguous and the transaction ids of the runs strictly increase
 * (a log sorted by transaction, a basket file read line by line), a basket is a run of rows: basket b is run b, so
 * the transaction column is never keyed (no hash, no look-up table, no counting sort), and the item codes of the
 * rows, in row order, are already the compressed rows that {@link compress} sorts and de-duplicates per basket.
 *
 * The result is the one of the general path, field for field: baskets are numbered by first appearance (= run
 * order), items by first appearance over the rows (a dictionary-encoded item column is remapped from its indices
 * in the same pass, without hashing a row), rows with a null item are dropped as `nullKey` and their basket kept
 * (an empty basket when it has no other row). Internal to src/basket.
 */

/** The codes of an item column: one per row (−1 for null), and the names of the codes. */
interface ItemCodes {
  codes: Int32Array;
  names: string[];
}

/**
 * Baskets from runs: rows `0 … rows − 1` with transaction ids `transaction[r]` (non-decreasing: runs of equal ids
 * whose ids strictly increase, `runs` of them, which the caller has checked) and item codes `items[r]` (−1: no item, the row is
 * dropped as `nullKey`). `items` is the caller's scratch: it is overwritten (the kept codes move to its front).
 *
 * Cost: one pass over the rows, then {@link compress}: O(rows + Σ basket size²) worst case for the (short) baskets.
 *
 * @throws {ClienteleError} `EMPTY_INPUT` (from `noRow`) when every row is dropped
 */
export function basketsOfRuns(
  transaction: Int32Array,
  items: Int32Array,
  rows: number,
  runs: number,
  names: readonly string[],
  noRow: () => Error,
): Baskets {
  const sizes = new Int32Array(runs + 1);
  const drops = new DropCounter();
  let n = 0;
  let kept = 0;
  // hand-written: the one pass over a million rows; a new run closes the previous basket; kept codes move down
  for (let r = 0; r < rows; r++) {
    if (r > 0 && transaction[r] !== transaction[r - 1]) sizes[++n] = kept;
    const code = items[r];
    if (code < 0) drops.drop('nullKey', r);
    else items[kept++] = code;
  }
  if (drops.total === rows) throw noRow();
  sizes[runs] = kept;
  return withRowReport(compress(items.subarray(0, kept), sizes, runs, names), rows, drops);
}

/**
 * The fast path of `baskets(table)` without context or weights: an integer transaction column (8 to 32 bits, no
 * null) that never decreases; null when the table is not like that (the caller takes the general path).
 */
export function groupedBaskets(table: Table, transactionName: string, itemName: string, fn: string): Baskets | null {
  const grouped = groupedTransactions(getColumn(table, transactionName, fn, 'transaction'));
  if (grouped === null) return null;
  const vector = getColumn(table, itemName, fn, 'item');
  const items = dictionaryCodes(vector, fn) ?? keyCodes(table, itemName, fn);
  return basketsOfRuns(grouped.values, items.codes, table.numRows, grouped.runs, items.names, () =>
    noRowError(fn, table.numRows, transactionName, itemName),
  );
}

/**
 * The values of an integer column as one Int32Array (its own buffer when it is one Int32 chunk) and the number of
 * runs of equal values, when it has no null, fits and never decreases; else null.
 */
function groupedTransactions(vector: Vector): { values: Int32Array; runs: number } | null {
  if (vector.type.typeId !== TypeId.Int || vector.nullCount > 0) return null;
  const chunks = vector.data as Data[];
  let out: Int32Array;
  if (chunks.length === 1 && chunks[0].values instanceof Int32Array)
    out = chunks[0].values.subarray(0, chunks[0].length);
  else {
    out = new Int32Array(vector.length);
    let at = 0;
    for (const data of chunks) {
      const values = data.values as unknown;
      if (!(
        values instanceof Int32Array ||
        values instanceof Int16Array ||
        values instanceof Int8Array ||
        values instanceof Uint16Array ||
        values instanceof Uint8Array
      ))
        return null;
      out.set(values.subarray(0, data.length), at);
      at += data.length;
    }
  }
  let runs = out.length > 0 ? 1 : 0;
  for (let r = 1; r < out.length; r++) {
    if (out[r] < out[r - 1]) return null;
    if (out[r] !== out[r - 1]) runs++;
  }
  return { values: out, runs };
}

/**
 * Codes of a dictionary-encoded Utf8 item column whose dictionary (one for every chunk, in one buffer) holds
 * distinct, non-null values: the first row with index k gives k the next code, so the codes follow first appearance
 * as `readKeys` numbers them, one array look-up per row. Null for any other column.
 */
function dictionaryCodes(vector: Vector, fn: string): ItemCodes | null {
  if (vector.type.typeId !== TypeId.Dictionary || vector.data.length === 0) return null;
  const dictionary = (vector.data[0] as Data).dictionary as Vector | undefined;
  if (!dictionary || dictionary.type.typeId !== TypeId.Utf8 || dictionary.data.length !== 1) return null;
  for (const data of vector.data as Data[])
    if (data.dictionary !== dictionary || !(data.values instanceof Int32Array)) return null;
  const entries = readKeysVector(dictionary, 'item', fn, dictionary.length);
  if (entries.size !== dictionary.length || entries.nullCount > 0) return null;
  const remap = new Int32Array(dictionary.length).fill(-1);
  const order = new Int32Array(dictionary.length);
  const codes = new Int32Array(vector.length);
  let size = 0;
  let start = 0;
  for (const data of vector.data as Data[]) {
    const indices = data.values as Int32Array;
    const n = data.length;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < n; i++) {
      const bit = data.offset + i;
      if (bitmap && (bitmap[bit >> 3] & (1 << (bit & 7))) === 0) {
        codes[start + i] = -1;
        continue;
      }
      const entry = indices[i];
      let id = remap[entry];
      if (id < 0) {
        id = remap[entry] = size;
        order[size++] = entry;
      }
      codes[start + i] = id;
    }
    start += n;
  }
  const data = dictionary.data[0] as Data;
  const names = utf8Names(
    data.values as Uint8Array,
    data.valueOffsets as Int32Array,
    data.length,
    order.subarray(0, size),
  );
  return { codes, names };
}

/** Codes of any other item column, by `readKeys`. */
function keyCodes(table: Table, itemName: string, fn: string): ItemCodes {
  const item = readKeys(table, itemName, fn, 'item');
  const names: string[] = [];
  for (let c = 0; c < item.size; c++) names.push(String(item.keys.get(c)));
  return { codes: item.codes, names };
}
