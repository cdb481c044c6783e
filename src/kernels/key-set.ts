import { makeData, makeVector, Utf8, vectorFromArray } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';
import { ClienteleError, fnv1a, grown, hashDouble, isValidAt, TypeId } from '../table/internal';

/** Where a key set made in this process keeps the Arrow vector it came from (not copied by `structuredClone`). */
const SOURCE = Symbol('clientele.keySetSource');

/**
 * The distinct keys of a partial aggregate (customers, items, ABC keys) as plain data that survives
 * `structuredClone` and can cross worker threads: UTF-8 bytes and offsets for strings, a typed array for numbers,
 * an array of JS values for anything else (booleans, dates). Ids are positions, in order of first appearance.
 */
export type KeySet =
  | { readonly kind: 'utf8'; readonly size: number; readonly offsets: Int32Array; readonly bytes: Uint8Array }
  | { readonly kind: 'number'; readonly size: number; readonly values: Int32Array | Float64Array }
  | { readonly kind: 'other'; readonly size: number; readonly values: readonly unknown[]; readonly [SOURCE]?: Vector };

/** The key set of the distinct keys `readKeys` returned (no copy for strings and numbers). */
export function keySetOf(keys: Vector): KeySet {
  const size = keys.length;
  const typeId = keys.type.typeId;
  const data = keys.data as Data[];
  if (data.length <= 1 && keys.nullCount === 0) {
    if (typeId === TypeId.Utf8) {
      if (size === 0) return { kind: 'utf8', size, offsets: new Int32Array(1), bytes: new Uint8Array(0) };
      const chunk = data[0];
      let offsets = (chunk.valueOffsets as Int32Array).subarray(chunk.offset, chunk.offset + size + 1);
      let bytes = chunk.values as Uint8Array;
      if (offsets[0] !== 0) {
        const base = offsets[0];
        bytes = bytes.subarray(base, offsets[size]);
        offsets = offsets.map((o) => o - base);
      }
      return { kind: 'utf8', size, offsets, bytes: bytes.subarray(0, offsets[size]) };
    }
    if (typeId === TypeId.Int || typeId === TypeId.Float) {
      if (size === 0)
        return { kind: 'number', size, values: typeId === TypeId.Int ? new Int32Array(0) : new Float64Array(0) };
      const values = data[0].values;
      if (values instanceof Int32Array || values instanceof Float64Array) {
        return {
          kind: 'number',
          size,
          values: values.subarray(data[0].offset, data[0].offset + size) as Int32Array | Float64Array,
        };
      }
    }
  }
  const values: unknown[] = [];
  for (let i = 0; i < size; i++) {
    const v = keys.get(i) as unknown;
    values.push(v instanceof Date ? v.getTime() : typeof v === 'object' && v !== null ? String(v) : v);
  }
  return { kind: 'other', size, values, [SOURCE]: keys };
}

/** The keys as an Arrow vector: Utf8, Int32 or Float64 without a copy; other kinds as Arrow infers them. */
export function keyVector(set: KeySet): Vector {
  switch (set.kind) {
    case 'utf8':
      return makeVector(
        makeData({ type: new Utf8(), length: set.size, nullCount: 0, valueOffsets: set.offsets, data: set.bytes }),
      );
    case 'number':
      return makeVector(set.values);
    case 'other':
      return set[SOURCE] ?? vectorFromArray(set.values as never[]);
    default: {
      const never: never = set;
      return never;
    }
  }
}

/** Key `id` of a set as a JS value (a string, a number, or the stored value). */
let decoder: { decode(bytes: Uint8Array): string } | undefined;

export function keyAt(set: KeySet, id: number): unknown {
  if (set.kind === 'utf8')
    return (decoder ??= new TextDecoder()).decode(set.bytes.subarray(set.offsets[id], set.offsets[id + 1]));
  return set.values[id];
}

/** An empty key set of a kind to be decided by the first keys added. */
export function emptyKeySet(): KeySet {
  return { kind: 'number', size: 0, values: new Int32Array(0) };
}

// ---------------------------------------------------------------------------------------------------------------
// merging key sets

/**
 * A growing union of key sets that maps the ids of each set added to ids of the union, new keys appended in the
 * order of their set — so keys keep the order of their first appearance when sets are added in row order.
 * Open addressing (linear probing, load ≤ 1/2) over the keys' bytes or doubles: adding a set costs O(its size),
 * however large the union, which is what keeps streaming over many batches linear.
 *
 * Int32 keys in a compact range (a stream of integer customer ids) skip the hashing: a dense look-up by key,
 * widened as keys arrive and given up for hashing when they spread out; `codeInt32` numbers a column row by row
 * that way, with no key set of the batch in between.
 *
 * The union starts with the kind of the first non-empty set; Int32 and Float64 numbers unite as Float64. Sets of
 * different kinds (strings in one batch, numbers in another) are refused with `INVALID_TYPE` naming the batch:
 * whether the number 1 and the text "1" are one customer is not for the union to guess (issue 15, class 9).
 */
export class KeyUnion {
  /** Sets (batches of a stream, slices of a thread pool) added so far, for the message of a refused one. */
  private parts = 0;
  /** The JS type of the keys of an `'other'` union (strings of a dictionary, booleans, numbers of dates). */
  private otherType: string | undefined;

  /** @param where the public function and the key column, named when a batch's keys change kind */
  constructor(private readonly where: { fn: string; column: string } = { fn: 'aggregateBatches', column: 'key' }) {}

  private kind: 'none' | 'utf8' | 'int' | 'float' | 'other' = 'none';
  size = 0;
  // utf8
  private bytes = new Uint8Array(0);
  private offsets = new Int32Array(1);
  // numbers
  private numbers: Int32Array | Float64Array = new Int32Array(0);
  // open addressing: slot → id + 1 (0 = empty), and the slot's hash for strings
  private slots = new Int32Array(0);
  private hashes = new Int32Array(0);
  private mask = -1;
  // Int32 keys in a compact range: id + 1 by key − denseBase (0 = absent) instead of hashing, while the range
  // stays within max(2^22, 16 × keys) slots (4 bytes a slot: at most 64 bytes per key)
  private dense: Int32Array | null = null;
  private denseBase = 0;
  // other
  private map: Map<unknown, number> | null = null;
  private values: unknown[] = [];

  /** Adds the keys of `set`; returns the union id of each of its ids. */
  add(set: KeySet): Int32Array {
    const n = set.size;
    const ids = new Int32Array(n);
    const part = this.parts++;
    if (n === 0) return ids;
    const kind = set.kind === 'number' ? (set.values instanceof Int32Array ? 'int' : 'float') : set.kind;
    if (this.kind === 'none') this.start(kind, n);
    else if (this.kind !== kind) {
      if ((this.kind === 'int' || this.kind === 'float') && (kind === 'int' || kind === 'float')) {
        if (kind === 'float') {
          this.numbers = Float64Array.from(this.numbers);
          this.kind = 'float';
          this.hashFromDense();
        }
      } else throw this.kindChanged(kind, part);
    }
    if (this.kind === 'other') {
      for (let i = 0; i < n; i++) {
        const v = keyAt(set, i);
        // JS values of one type only: the text "1" and the number 1 are not one key, and cannot share a column
        const type = typeof v === 'bigint' ? 'number' : typeof v;
        if (this.otherType === undefined) this.otherType = type;
        else if (type !== this.otherType) throw this.kindChanged(type, part);
        ids[i] = this.otherId(v);
      }
    } else if (set.kind === 'utf8') {
      for (let i = 0; i < n; i++) ids[i] = this.utf8Id(set.bytes, set.offsets[i], set.offsets[i + 1]);
    } else if (set.kind === 'number') {
      for (let i = 0; i < n; i++) ids[i] = this.numberId(set.values[i]);
    }
    return ids;
  }

  /**
   * The union ids of a plain Int32 key column (no dictionary), keys added in row order, −1 for a null: one look-up
   * per row, with no key set of the batch in between — how a stream of integer-keyed batches is numbered.
   * Undefined when the union holds keys of another kind (then number the batch's key set with `add`).
   */
  codeInt32(vector: Vector): Int32Array | undefined {
    if (this.kind !== 'none' && this.kind !== 'int') return undefined;
    if (vector.type.typeId !== TypeId.Int || (vector.type as unknown as { bitWidth: number }).bitWidth !== 32)
      return undefined;
    const codes = new Int32Array(vector.length);
    this.parts++;
    // a batch with no key (empty, or nulls only) decides no kind: the next batch may bring text
    if (this.kind === 'none' && vector.nullCount === vector.length) return codes.fill(-1);
    if (this.kind === 'none') this.start('int', 0);
    let start = 0;
    for (const data of vector.data as Data[]) {
      const values = data.values as Int32Array;
      const hasNulls = data.nullCount > 0;
      for (let i = 0; i < data.length; i++) {
        codes[start + i] = hasNulls && !isValidAt(data, i) ? -1 : this.numberId(values[i]);
      }
      start += data.length;
    }
    return codes;
  }

  /** The union as a key set (copies of the used part of the buffers). */
  keySet(): KeySet {
    switch (this.kind) {
      case 'none':
        return emptyKeySet();
      case 'utf8': {
        const offsets = this.offsets.slice(0, this.size + 1);
        return { kind: 'utf8', size: this.size, offsets, bytes: this.bytes.slice(0, offsets[this.size]) };
      }
      case 'int':
      case 'float':
        return { kind: 'number', size: this.size, values: this.numbers.slice(0, this.size) };
      case 'other':
        return { kind: 'other', size: this.size, values: this.values.slice() };
    }
  }

  private start(kind: 'utf8' | 'int' | 'float' | 'other', expected: number): void {
    this.kind = kind;
    if (kind === 'other') {
      this.map = new Map();
      return;
    }
    this.numbers = kind === 'int' ? new Int32Array(16) : new Float64Array(16);
    if (kind === 'int') {
      // dense until the keys spread out; the slots are built if and when they do
      this.dense = new Int32Array(0);
      return;
    }
    this.hashSlots(expected);
  }

  private hashSlots(expected: number): void {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    if (this.kind === 'utf8') this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Leaves the dense look-up for hashing (keys spread out, or floats arrived): every key so far into the slots. */
  private hashFromDense(): void {
    if (this.dense === null) return;
    this.dense = null;
    this.hashSlots(this.size);
    for (let id = 0; id < this.size; id++) {
      let slot = hashDouble(this.numbers[id]) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    }
  }

  /** Makes the dense look-up cover `v`, if the range stays compact; false when it would not (then hash). */
  private coverDense(v: number): boolean {
    const dense = this.dense!;
    const low = dense.length === 0 ? v : Math.min(this.denseBase, v);
    const high = dense.length === 0 ? v + 1 : Math.max(this.denseBase + dense.length, v + 1);
    const limit = Math.max(1 << 22, 16 * this.size);
    if (high - low > limit) return false;
    // room on both sides for the keys to come, within the limit (amortised growth)
    const length = Math.min(limit, Math.max(high - low, 2 * dense.length, 1024));
    // the first key starts the range; later keys below it grow it downwards, keys above it upwards
    const base = dense.length === 0 ? v : v < this.denseBase ? Math.max(high - length, -2147483648) : low;
    const next = new Int32Array(length);
    if (dense.length > 0) next.set(dense, this.denseBase - base);
    this.dense = next;
    this.denseBase = base;
    return true;
  }

  /** The refusal of a set whose keys are of another kind than the union's (text after numbers, or the reverse). */
  private kindChanged(kind: string, part: number): ClienteleError {
    const words = (k: string | undefined): string =>
      k === 'utf8' || k === 'string'
        ? 'text'
        : k === 'int' || k === 'float' || k === 'number'
          ? 'numbers'
          : `${k} values`;
    const before = this.kind === 'other' ? this.otherType : this.kind;
    const { fn, column } = this.where;
    return new ClienteleError(
      'INVALID_TYPE',
      `${fn}: key column "${column}" holds ${words(before)} in the batches before batch ${part} and ` +
        `${words(kind)} in batch ${part} (0-based); give the column one type in every batch (cast it to strings, ` +
        `or read every batch with the same schema)`,
      { column },
    );
  }

  private otherId(v: unknown): number {
    const map = this.map!;
    let id = map.get(v);
    if (id === undefined) {
      id = this.size++;
      map.set(v, id);
      this.values.push(v);
    }
    return id;
  }

  private utf8Id(bytes: Uint8Array, start: number, end: number): number {
    const h = fnv1a(bytes, start, end);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const idPlusOne = this.slots[slot];
      if (idPlusOne === 0) break;
      if (this.hashes[slot] === h) {
        const from = this.offsets[idPlusOne - 1];
        if (this.offsets[idPlusOne] - from === len) {
          let same = true;
          for (let j = 0; j < len; j++) {
            if (this.bytes[from + j] !== bytes[start + j]) {
              same = false;
              break;
            }
          }
          if (same) return idPlusOne - 1;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    this.offsets = grown(this.offsets, id + 2);
    const from = this.offsets[id];
    this.bytes = grown(this.bytes, from + len);
    this.bytes.set(bytes.subarray(start, end), from);
    this.offsets[id + 1] = from + len;
    this.slots[slot] = id + 1;
    this.hashes[slot] = h;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private numberId(v: number): number {
    const dense = this.dense;
    if (dense !== null) {
      const at = v - this.denseBase;
      if (at >= 0 && at < dense.length) {
        const idPlusOne = dense[at];
        if (idPlusOne !== 0) return idPlusOne - 1;
        const id = this.size++;
        this.numbers = grown(this.numbers, id + 1);
        this.numbers[id] = v;
        dense[at] = id + 1;
        return id;
      }
      if (!this.coverDense(v)) this.hashFromDense();
      return this.numberId(v);
    }
    let slot = hashDouble(v) & this.mask;
    for (;;) {
      const idPlusOne = this.slots[slot];
      if (idPlusOne === 0) break;
      if (this.numbers[idPlusOne - 1] === v) return idPlusOne - 1;
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    this.numbers = grown(this.numbers, id + 1);
    this.numbers[id] = v;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private rehash(): void {
    const capacity = (this.mask + 1) * 2;
    const mask = capacity - 1;
    const slots = new Int32Array(capacity);
    const hashes = this.kind === 'utf8' ? new Int32Array(capacity) : this.hashes;
    for (let id = 0; id < this.size; id++) {
      const h =
        this.kind === 'utf8' ? fnv1a(this.bytes, this.offsets[id], this.offsets[id + 1]) : hashDouble(this.numbers[id]);
      let slot = h & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
      if (this.kind === 'utf8') hashes[slot] = h;
    }
    this.slots = slots;
    this.hashes = hashes;
    this.mask = mask;
  }
}
