import { makeData, makeVector, Utf8, vectorFromArray } from 'apache-arrow';
import type { Data, Table, Vector } from 'apache-arrow';
import { forEachChunk, getColumn, int64AsFloat64, isValidAt, TypeId, typeName } from './column';
import { ClienteleError } from './errors';
import { grown, resized } from './grow';

/** A key column (customer, product, transaction …) turned into dense integer ids. */
export interface KeyColumn {
  /** One id per row in `0..size-1`, or -1 where the key is null. Ids follow the order of first appearance. */
  readonly codes: Int32Array;
  /** The distinct keys, `keys.get(id)` being the key of id `id`; same kind as the input (numbers or strings). */
  readonly keys: Vector;
  /** Number of distinct non-null keys. */
  readonly size: number;
  /** Number of null rows, and the first of them (-1 if none). */
  readonly nullCount: number;
  readonly firstNullRow: number;
}

/**
 * Reads column `name` as dense integer ids ("keys become integer ids once").
 *
 * - Strings (Utf8) are hashed on their UTF-8 bytes in an open-addressing table, so no JS string is made per row;
 *   the distinct keys come back as one Arrow Utf8 vector built from the collected bytes.
 * - Dictionary-encoded columns reuse the dictionary indices: the dictionary is read once, then every row is one
 *   array look-up; dictionary entries no row uses are left out.
 * - Integer keys (and integral floats) use a direct look-up table when their range is small (at most 4·n or 2^20
 *   slots), an open-addressing hash on the double otherwise.
 * - Any other type (booleans, dates, large strings) goes through `Vector.get` and a `Map`.
 *
 * Cost: O(n) expected time, O(distinct) extra memory beyond the `Int32Array` of ids.
 *
 * @param table an Arrow table (use `asTable` on other input first)
 * @param name the column to read
 * @param fn the public function that reads the column, named in error messages
 * @param option the option that named the column, named in error messages
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` (64-bit integer keys beyond 2^53; a nested column —
 * List, Struct, Map, Union, FixedSizeList — whose values have no identity to key by)
 * @example
 * const customers = readKeys(asTable({ customer: ['b', 'a', 'b', null] }), 'customer', 'myAnalysis', 'customer');
 * customers.codes; // Int32Array [0, 1, 0, -1]
 * [customers.size, customers.nullCount, customers.firstNullRow]; // [2, 1, 3]
 * [customers.keys.get(0), customers.keys.get(1)]; // ['b', 'a']
 */
export function readKeys(table: Table, name: string, fn: string, option: string): KeyColumn {
  return readKeysVector(getColumn(table, name, fn, option), name, fn);
}

/** {@link readKeys} on a vector already taken from its table. */
export function readKeysVector(vector: Vector, name: string, fn: string, expectedDistinct = 1 << 16): KeyColumn {
  const typeId = vector.type.typeId;
  const valueTypeId =
    typeId === TypeId.Dictionary ? (vector.type as unknown as DictionaryType).dictionary.typeId : typeId;
  if (NESTED_TYPES.has(valueTypeId)) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${name}" holds ${typeName(vector.type)} values, which cannot be keys (found a nested type); ` +
        `pass a column of strings or integers (e.g. join a list's items into one string first)`,
      { column: name },
    );
  }
  if (typeId === TypeId.Utf8) return utf8Keys(vector, expectedDistinct);
  if (typeId === TypeId.Dictionary) {
    const dictionaries = new Set(vector.data.map((d) => (d as Data).dictionary));
    if (dictionaries.size === 1) return dictionaryKeys(vector, name, fn);
  }
  if (typeId === TypeId.Int || typeId === TypeId.Float) return numericKeys(vector, name, fn);
  return genericKeys(vector);
}

/** Arrow type ids of nested types (List, Struct, Union, FixedSizeList, Map, LargeList), which never key rows. */
const NESTED_TYPES = new Set([12, 13, 14, 16, 17, 21, -23, -24]);

interface DictionaryType {
  dictionary: { typeId: number };
}

// ---------------------------------------------------------------------------------------------------------------
// strings

/** FNV-1a over bytes, with a final avalanche so the low bits used for slots are well mixed. Internal (also src/stream). */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let j = start; j < end; j++) h = Math.imul(h ^ bytes[j], 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Slot layout of {@link ByteKeyIndex}: hash, id + 1 (0 = empty), byte length, then the key's bytes inline. */
const SLOT = 8;
const INLINE_WORDS = SLOT - 3;
/** Keys up to this many bytes are compared inside their slot, without touching the arena. */
const INLINE_BYTES = INLINE_WORDS * 4;

/**
 * Open-addressing set of byte strings (linear probing, load ≤ 1/2); ids in insertion order. Internal (also
 * src/kernels/owned-keys.ts).
 *
 * Why this layout: with a million distinct keys every look-up is a cache miss, and the cost of a row is the number
 * of distinct cache lines it touches. Each 32-byte slot holds the hash, the id, the length and — for keys of up to
 * 20 bytes, which covers most customer and product codes — the key's bytes, so a hit costs one miss. Longer keys
 * are compared against the arena, where every distinct key is also appended for the output vector.
 */
export class ByteKeyIndex {
  private slots: Int32Array;
  private mask: number;
  arena = new Uint8Array(1 << 16);
  offsets = new Int32Array(1025);
  size = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * SLOT);
    this.mask = capacity - 1;
  }

  id(bytes: Uint8Array, start: number, end: number): number {
    return this.idWithHash(bytes, start, end, fnv1a(bytes, start, end));
  }

  /**
   * Reads the slots the next rows will probe, in a loop of independent loads that the CPU overlaps: with a
   * million keys each probe is a cache (and TLB) miss, and touching a block of them first lets the misses of
   * many rows wait in parallel instead of one after another (software prefetch; about 3x faster here).
   */
  touch(hashes: Int32Array, count: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= slots[(hashes[i] & mask) * SLOT];
    return sink;
  }

  idWithHash(bytes: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = slot * SLOT;
      const idPlusOne = slots[at + 1];
      if (idPlusOne === 0) break;
      if (slots[at] === h && slots[at + 2] === len && this.same(at, idPlusOne - 1, bytes, start, end))
        return idPlusOne - 1;
      slot = (slot + 1) & mask;
    }
    return this.insert(slot, h, bytes, start, end);
  }

  private same(at: number, id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len <= INLINE_BYTES) {
      const slots = this.slots;
      let w = at + 3;
      let j = start;
      for (; j + 4 <= end; j += 4, w++) {
        if (slots[w] !== (bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16) | (bytes[j + 3] << 24))) return false;
      }
      if (j < end) {
        let tail = 0;
        for (let shift = 0; j < end; j++, shift += 8) tail |= bytes[j] << shift;
        if (slots[w] !== tail) return false;
      }
      return true;
    }
    const base = this.offsets[id];
    const arena = this.arena;
    for (let j = 0; j < len; j++) if (arena[base + j] !== bytes[start + j]) return false;
    return true;
  }

  private insert(slot: number, h: number, bytes: Uint8Array, start: number, end: number): number {
    const id = this.size++;
    const len = end - start;
    if (id + 1 >= this.offsets.length) this.offsets = resized(this.offsets, this.offsets.length * 2);
    const from = this.offsets[id];
    const need = from + len;
    if (need > this.arena.length) {
      this.arena = grown(this.arena, need);
    }
    const arena = this.arena;
    for (let j = 0; j < len; j++) arena[from + j] = bytes[start + j]; // no subarray per key: a million keys, no garbage
    this.offsets[id + 1] = need;
    const at = slot * SLOT;
    const slots = this.slots;
    slots[at] = h;
    slots[at + 1] = id + 1;
    slots[at + 2] = len;
    if (len <= INLINE_BYTES) {
      for (let j = 0; j < len; j++) slots[at + 3 + (j >> 2)] |= bytes[start + j] << ((j & 3) * 8);
    }
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * SLOT);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      let slot = old[at] & mask;
      while (slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot * SLOT;
      for (let k = 0; k < SLOT; k++) slots[to + k] = old[at + k];
    }
    this.slots = slots;
    this.mask = mask;
  }

  vector(): Vector {
    const valueOffsets = this.offsets.slice(0, this.size + 1);
    const data = this.arena.slice(0, valueOffsets[this.size]);
    return makeVector(makeData({ type: new Utf8(), length: this.size, nullCount: 0, valueOffsets, data }));
  }
}

const BLOCK = 64;

function utf8Keys(vector: Vector, expectedDistinct: number): KeyColumn {
  const codes = new Int32Array(vector.length);
  const index = new ByteKeyIndex(Math.min(vector.length, expectedDistinct));
  const hashes = new Int32Array(BLOCK);
  let nullCount = 0;
  let firstNullRow = -1;
  let sink = 0;
  forEachChunk(vector, (data, start) => {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const n = data.length;
    const hasNulls = data.nullCount > 0;
    // blocks of rows: hash them, touch their slots, then look them up (see ByteKeyIndex.touch)
    for (let from = 0; from < n; from += BLOCK) {
      const to = Math.min(n, from + BLOCK);
      for (let i = from; i < to; i++) hashes[i - from] = fnv1a(bytes, offsets[i], offsets[i + 1]);
      sink ^= index.touch(hashes, to - from);
      for (let i = from; i < to; i++) {
        if (hasNulls && !isValidAt(data, i)) {
          codes[start + i] = -1;
          if (nullCount++ === 0) firstNullRow = start + i;
        } else codes[start + i] = index.idWithHash(bytes, offsets[i], offsets[i + 1], hashes[i - from]);
      }
    }
  });
  void sink;
  return { codes, keys: index.vector(), size: index.size, nullCount, firstNullRow };
}

// ---------------------------------------------------------------------------------------------------------------
// dictionaries

function dictionaryKeys(vector: Vector, name: string, fn: string): KeyColumn {
  const dictionary = (vector.data[0] as Data).dictionary as Vector;
  // entry -> distinct dictionary value id; a dictionary's values are normally distinct, so size the table for all
  const entries = readKeysVector(dictionary, name, fn, dictionary.length);
  const remap = new Int32Array(entries.size).fill(-1); // dictionary value id -> id by first row appearance
  const order: number[] = [];
  const unique = entries.size === dictionary.length && entries.nullCount === 0; // then entries.codes[k] === k
  const codes = new Int32Array(vector.length);
  let nullCount = 0;
  let firstNullRow = -1;
  forEachChunk(vector, (data, start) => {
    const indices = data.values as Int32Array;
    const n = data.length;
    const hasNulls = data.nullCount > 0;
    if (unique && !hasNulls) {
      // the usual case: distinct, non-null dictionary values, so the index is the value id (one look-up less)
      for (let i = 0; i < n; i++) {
        const entry = indices[i];
        let id = remap[entry];
        if (id < 0) {
          id = remap[entry] = order.length;
          order.push(entry);
        }
        codes[start + i] = id;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const entry = hasNulls && !isValidAt(data, i) ? -1 : entries.codes[indices[i]];
      if (entry < 0) {
        codes[start + i] = -1;
        if (nullCount++ === 0) firstNullRow = start + i;
        continue;
      }
      let id = remap[entry];
      if (id < 0) {
        id = remap[entry] = order.length;
        order.push(entry);
      }
      codes[start + i] = id;
    }
  });
  return { codes, keys: takeVector(entries.keys, Int32Array.from(order)), size: order.length, nullCount, firstNullRow };
}

// ---------------------------------------------------------------------------------------------------------------
// numbers

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

/** A 32-bit hash of a double's bits, for hash slots. Internal (also src/stream). */
export function hashDouble(v: number): number {
  bits[0] = v;
  const h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 13);
}

function numericKeys(vector: Vector, name: string, fn: string): KeyColumn {
  const { chunks, min, max, integral } = numericChunks(vector);
  if (min <= max && Math.max(Math.abs(min), Math.abs(max)) > Number.MAX_SAFE_INTEGER && integral) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${name}" holds integer keys beyond 2^53 (found ${max}), which a double cannot tell apart; ` +
        `cast the column to strings before the call`,
      { column: name },
    );
  }
  const n = vector.length;
  const range = max - min + 1;
  const direct = integral && min <= max && range <= Math.max(1 << 20, 4 * n);
  const coded = direct ? directCodes(chunks, n, min, range) : hashedCodes(chunks, n);
  const { codes, keyValues, nullCount, firstNullRow } = coded;
  const fitsInt32 = integral && min >= -2147483648 && max <= 2147483647;
  const keyVector =
    vector.type.typeId === TypeId.Int && fitsInt32
      ? makeVector(Int32Array.from(keyValues))
      : makeVector(Float64Array.from(keyValues));
  return { codes, keys: keyVector, size: keyValues.length, nullCount, firstNullRow };
}

/** A chunk of a numeric key column: its values as numbers (64-bit integers as doubles), its data and first row. */
interface NumericChunk {
  values: ArrayLike<number>;
  data: Data;
  start: number;
}

/** Ids of the rows of a numeric key column, the distinct keys in order of first appearance, and the nulls. */
interface NumericCodes {
  codes: Int32Array;
  keyValues: number[];
  nullCount: number;
  firstNullRow: number;
}

/** The column's chunks as numbers, the smallest and largest non-null key, and whether every key is integral. */
function numericChunks(vector: Vector): { chunks: NumericChunk[]; min: number; max: number; integral: boolean } {
  const chunks: NumericChunk[] = [];
  let min = Infinity;
  let max = -Infinity;
  const isInt = vector.type.typeId === TypeId.Int;
  let integral = true; // integer types are; floats are checked
  forEachChunk(vector, (data, start) => {
    let values = data.values as ArrayLike<number>;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      values = int64AsFloat64(values, values instanceof BigInt64Array, data.length);
    }
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      if (hasNulls && !isValidAt(data, i)) continue;
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!isInt && integral) {
      for (let i = 0; i < data.length; i++) {
        const v = values[i];
        if (v === v && v !== Math.floor(v) && (!hasNulls || isValidAt(data, i))) {
          integral = false;
          break;
        }
      }
    }
    chunks.push({ values, data, start });
  });
  return { chunks, min, max, integral };
}

/** Dense integer keys from `base` over `range` values: one array look-up per row. */
function directCodes(chunks: readonly NumericChunk[], n: number, base: number, range: number): NumericCodes {
  const codes = new Int32Array(n);
  const keyValues: number[] = [];
  let nullCount = 0;
  let firstNullRow = -1;
  const lookup = new Int32Array(range).fill(-1);
  for (const { values, data, start } of chunks) {
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      const v = values[i];
      if ((hasNulls && !isValidAt(data, i)) || v !== v) {
        codes[start + i] = -1;
        if (nullCount++ === 0) firstNullRow = start + i;
        continue;
      }
      const slot = (v - base) | 0;
      let id = lookup[slot];
      if (id < 0) {
        id = lookup[slot] = keyValues.length;
        keyValues.push(v + 0); // -0 and 0 are one key
      }
      codes[start + i] = id;
    }
  }
  return { codes, keyValues, nullCount, firstNullRow };
}

/** Any numeric keys: an open-addressing hash on the double, linear probing, doubled at half full. */
function hashedCodes(chunks: readonly NumericChunk[], n: number): NumericCodes {
  const codes = new Int32Array(n);
  const keyValues: number[] = [];
  let nullCount = 0;
  let firstNullRow = -1;
  let table = new Int32Array(1024).fill(-1);
  let mask = table.length - 1;
  let keys = new Float64Array(1024);
  for (const { values, data, start } of chunks) {
    const hasNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      let v = values[i];
      if ((hasNulls && !isValidAt(data, i)) || v !== v) {
        codes[start + i] = -1;
        if (nullCount++ === 0) firstNullRow = start + i;
        continue;
      }
      v += 0; // -0 and 0 are one key
      let slot = hashDouble(v) & mask;
      let id = table[slot];
      while (id >= 0 && keys[id] !== v) {
        slot = (slot + 1) & mask;
        id = table[slot];
      }
      if (id < 0) {
        id = keyValues.length;
        keyValues.push(v);
        if (id >= keys.length) keys = resized(keys, keys.length * 2);
        keys[id] = v;
        table[slot] = id;
        if (keyValues.length * 2 > table.length) {
          table = new Int32Array(table.length * 2).fill(-1);
          mask = table.length - 1;
          for (let k = 0; k < keyValues.length; k++) {
            let s = hashDouble(keys[k]) & mask;
            while (table[s] >= 0) s = (s + 1) & mask;
            table[s] = k;
          }
        }
      }
      codes[start + i] = id;
    }
  }
  return { codes, keyValues, nullCount, firstNullRow };
}

// ---------------------------------------------------------------------------------------------------------------
// anything else

function genericKeys(vector: Vector): KeyColumn {
  const codes = new Int32Array(vector.length);
  const ids = new Map<unknown, number>();
  const keyValues: unknown[] = [];
  let nullCount = 0;
  let firstNullRow = -1;
  for (let i = 0; i < vector.length; i++) {
    let v: unknown = vector.get(i);
    if (v === null || v === undefined || (typeof v === 'number' && v !== v)) {
      codes[i] = -1;
      if (nullCount++ === 0) firstNullRow = i;
      continue;
    }
    if (v instanceof Date) v = v.getTime();
    let id = ids.get(v);
    if (id === undefined) {
      id = keyValues.length;
      ids.set(v, id);
      keyValues.push(v);
    }
    codes[i] = id;
  }
  let keys: Vector;
  try {
    keys = vectorFromArray(keyValues as never[], vector.type.typeId === TypeId.Dictionary ? undefined : vector.type);
  } catch {
    keys = vectorFromArray(keyValues.map((k) => (typeof k === 'number' ? k : String(k))) as never[]);
  }
  return { codes, keys, size: keyValues.length, nullCount, firstNullRow };
}

/**
 * The rows `indices` of `vector`, as a new vector of the same kind. Fast for Utf8 and fixed-width numbers; other
 * types go through `Vector.get`.
 */
export function takeVector(vector: Vector, indices: Int32Array): Vector {
  const typeId = vector.type.typeId;
  if (vector.data.length === 1 && vector.nullCount === 0) {
    const data = vector.data[0] as Data;
    if (typeId === TypeId.Utf8) {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const valueOffsets = new Int32Array(indices.length + 1);
      let total = 0;
      for (let i = 0; i < indices.length; i++) {
        total += offsets[indices[i] + 1] - offsets[indices[i]];
        valueOffsets[i + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let i = 0; i < indices.length; i++) {
        const from = offsets[indices[i]];
        const length = offsets[indices[i] + 1] - from;
        const to = valueOffsets[i];
        for (let j = 0; j < length; j++) out[to + j] = bytes[from + j];
      }
      return makeVector(makeData({ type: new Utf8(), length: indices.length, nullCount: 0, valueOffsets, data: out }));
    }
    if (
      (typeId === TypeId.Int || typeId === TypeId.Float) &&
      ArrayBuffer.isView(data.values) &&
      !(data.values instanceof BigInt64Array) &&
      !(data.values instanceof BigUint64Array) &&
      !(data.values instanceof Uint16Array && typeId === TypeId.Float)
    ) {
      const values = data.values as Int32Array;
      const out = new (values.constructor as Int32ArrayConstructor)(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
      return makeVector(makeData({ type: vector.type, length: indices.length, nullCount: 0, data: out } as never));
    }
  }
  const values = Array.from(indices, (i) => vector.get(i));
  return vectorFromArray(values as never[], vector.type.typeId === TypeId.Dictionary ? undefined : vector.type);
}
