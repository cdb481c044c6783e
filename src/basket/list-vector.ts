import { Field, List, makeData, makeVector, Utf8, Vector } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { ClienteleError, isValidAt, readKeysVector, TypeId, typeName } from '../table/internal';

/** Arrow's type id of `List` (variable-size list with 32-bit offsets), from the columnar format specification. */
export const LIST_TYPE_ID = 12;

/**
 * The `List<Utf8>` type of every clientele list column (itemsets, antecedents, consequents): child field `item`,
 * nullable, as pyarrow's `list_(string())`, so that tables written by either side concatenate.
 */
function stringListType(): List<Utf8> {
  return new List(new Field('item', new Utf8(), true));
}

/**
 * Lists of item codes, flat: list i holds `codes[offsets[i] … offsets[i + 1] − 1]`; `names[code]` is the item.
 * What the basket analyses compute on; names come back only in output tables.
 */
export interface CodedLists {
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
  /** Distinct item names in JS string order (UTF-16 code units), so that code order is name order. */
  readonly names: readonly string[];
  /** The first row that is null (read as an empty list), or −1. */
  readonly firstNullRow: number;
}

/**
 * An Arrow `List<Utf8>` vector from coded lists: list i holds the names of `codes[offsets[i] … offsets[i + 1] − 1]`.
 * `offsets[0]` need not be 0 (a window of a larger buffer). Each name is encoded to UTF-8 once.
 *
 * Cost: O(total items + total bytes).
 */
export function listOfCodes(offsets: Int32Array, codes: Int32Array, names: readonly string[]): Vector {
  const n = offsets.length - 1;
  const first = n >= 0 ? offsets[0] : 0;
  const items = n >= 0 ? offsets[n] - first : 0;
  // every name's UTF-8 bytes once, in one arena
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const nameStart = new Int32Array(names.length + 1);
  for (let c = 0; c < names.length; c++) nameStart[c + 1] = nameStart[c] + encoded[c].length;
  const arena = new Uint8Array(nameStart[names.length]);
  for (let c = 0; c < names.length; c++) arena.set(encoded[c], nameStart[c]);
  const childOffsets = new Int32Array(items + 1);
  let bytes = 0;
  for (let j = 0; j < items; j++) {
    const c = codes[first + j];
    bytes += nameStart[c + 1] - nameStart[c];
    childOffsets[j + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  // hand-written copy: item names are short, and TypedArray.set costs more than the bytes it moves at this size
  for (let j = 0, at = 0; j < items; j++) {
    const c = codes[first + j];
    for (let b = nameStart[c], end = nameStart[c + 1]; b < end; b++) data[at++] = arena[b];
  }
  const child = makeData({ type: new Utf8(), length: items, nullCount: 0, valueOffsets: childOffsets, data });
  const valueOffsets = new Int32Array(Math.max(n, 0) + 1);
  for (let i = 0; i <= n; i++) valueOffsets[i] = offsets[i] - first;
  return makeVector(makeData({ type: stringListType(), length: Math.max(n, 0), nullCount: 0, valueOffsets, child }));
}

/**
 * Reads a list-of-strings vector back as arrays (chunked vectors included). A null list reads as an empty array.
 * For tests, examples and small results; analyses read {@link readCodedLists} instead.
 *
 * Cost: O(total items); one JS string per item.
 *
 * @throws {ClienteleError} `INVALID_TYPE` when the vector is not a list of strings or an item is null
 */
export function readStringLists(vector: Vector, fn = 'readStringLists', column = 'items'): string[][] {
  checkListOfStrings(vector, fn, column);
  const out: string[][] = new Array(vector.length);
  let row = 0;
  for (const chunk of vector.data as Data[]) {
    const child = new Vector([chunk.children[0] as Data]);
    const offsets = chunk.valueOffsets as Int32Array;
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!isValidAt(chunk, i)) {
        out[row] = [];
        continue;
      }
      const list: string[] = new Array(offsets[i + 1] - offsets[i]);
      for (let j = offsets[i]; j < offsets[i + 1]; j++) {
        const value = child.get(j);
        if (value === null || value === undefined) throw nullItem(fn, column, row);
        list[j - offsets[i]] = String(value);
      }
      out[row] = list;
    }
  }
  return out;
}

/**
 * Reads a list-of-strings vector as {@link CodedLists}: the items (all chunks' children at once) become integer
 * codes by hashing their UTF-8 bytes (`readKeysVector`: no JS string per item), the distinct names are decoded
 * once and ranked by name, and each list is copied as codes. Lists keep their order of items.
 *
 * Cost: O(total items) expected, plus O(d log d) to rank the d distinct names.
 *
 * @throws {ClienteleError} `INVALID_TYPE` when the vector is not a list of strings or an item is null
 */
export function readCodedLists(vector: Vector, fn: string, column: string): CodedLists {
  checkListOfStrings(vector, fn, column);
  const chunks = vector.data as Data[];
  const children = chunks.map((c) => c.children[0] as Data);
  const childStart = new Int32Array(chunks.length + 1);
  for (let c = 0; c < chunks.length; c++) childStart[c + 1] = childStart[c] + children[c].length;
  const keys = readKeysVector(new Vector(children), column, fn, 1 << 12);
  // rank the distinct names so that code order is name order (sorting lists of codes then sorts them by name)
  const distinct = Array.from({ length: keys.size }, (_, k) => String(keys.keys.get(k)));
  const used = new Uint8Array(keys.size);
  const offsets = new Int32Array(vector.length + 1);
  let total = 0;
  let firstNullRow = -1;
  let row = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    const listOffsets = chunk.valueOffsets as Int32Array;
    const hasNulls = chunk.nullCount > 0;
    for (let i = 0; i < chunk.length; i++, row++) {
      if (hasNulls && !isValidAt(chunk, i)) {
        if (firstNullRow < 0) firstNullRow = row;
      } else {
        for (let j = listOffsets[i]; j < listOffsets[i + 1]; j++) {
          const code = keys.codes[childStart[c] + j];
          if (code < 0) throw nullItem(fn, column, row);
          used[code] = 1;
        }
        total += listOffsets[i + 1] - listOffsets[i];
      }
      offsets[row + 1] = total;
    }
  }
  const order = distinct.map((_, k) => k).filter((k) => used[k] === 1);
  order.sort((a, b) => (distinct[a] < distinct[b] ? -1 : distinct[a] > distinct[b] ? 1 : 0));
  const rank = new Int32Array(keys.size).fill(-1);
  order.forEach((k, r) => (rank[k] = r));
  const codes = new Int32Array(total);
  row = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    const listOffsets = chunk.valueOffsets as Int32Array;
    const hasNulls = chunk.nullCount > 0;
    const base = childStart[c];
    for (let i = 0; i < chunk.length; i++, row++) {
      if (hasNulls && !isValidAt(chunk, i)) continue;
      let at = offsets[row];
      for (let j = listOffsets[i]; j < listOffsets[i + 1]; j++) codes[at++] = rank[keys.codes[base + j]];
    }
  }
  return { offsets, codes, names: order.map((k) => distinct[k]), firstNullRow };
}

function checkListOfStrings(vector: Vector, fn: string, column: string): void {
  const type = vector.type;
  const child = type.typeId === LIST_TYPE_ID ? (type.children?.[0]?.type ?? null) : null;
  const childId = child?.typeId;
  if (childId !== TypeId.Utf8 && childId !== TypeId.LargeUtf8 && childId !== TypeId.Dictionary) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${column}" must be a list of item names, List<Utf8> (found ${typeName(type)}); ` +
        `build it with one array of names per row`,
      { column },
    );
  }
}

function nullItem(fn: string, column: string, row: number): ClienteleError {
  return new ClienteleError(
    'INVALID_TYPE',
    `${fn}: column "${column}" row ${row} holds a null item name (found null inside the list); remove nulls from the lists`,
    { column, row },
  );
}
