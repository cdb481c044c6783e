import { ByteKeyIndex, fnv1a, grown } from '../table/internal';
import type { KeySet } from './key-set';

/**
 * The customers one of `owners` threads owns, numbered by their first row, and the rows that name them. A key is
 * owned by thread ⌊(top 16 bits of its hash) · owners / 2^16⌋, so every key has exactly one owner and the owners'
 * key sets are disjoint: their union in order of first row is the order of first appearance of the whole column,
 * found by merging the `firstRows` lists (already increasing) without hashing a key twice.
 */
export interface OwnedKeys {
  /** The owned rows, increasing. */
  readonly rows: Int32Array;
  /** The local id (0 … size − 1) of the key of each owned row. */
  readonly codes: Int32Array;
  /** The owned keys, local id order. */
  readonly keys: KeySet;
  /** The first row of each owned key, increasing with the local id. */
  readonly firstRows: Int32Array;
}

/** Which of `owners` threads owns a key of 32-bit hash `h` (the top bits, so the low bits stay free for slots). */
function ownerOf(h: number, owners: number): number {
  return ((h >>> 16) * owners) >>> 16;
}

const BLOCK = 64;

/** The owned rows and their local ids, appended in row order (room for a fair share and a margin, grown if need be). */
class OwnedRows {
  rows: Int32Array;
  codes: Int32Array;
  size = 0;

  constructor(rows: number, owners: number) {
    const room = Math.min(rows, Math.ceil((1.05 * rows) / owners) + 4096);
    this.rows = new Int32Array(room);
    this.codes = new Int32Array(room);
  }

  push(row: number, code: number): void {
    const k = this.size++;
    if (k === this.rows.length) {
      this.rows = grown(this.rows, k + 1);
      this.codes = grown(this.codes, k + 1);
    }
    this.rows[k] = row;
    this.codes[k] = code;
  }

  arrays(): { rows: Int32Array; codes: Int32Array } {
    return { rows: this.rows.subarray(0, this.size), codes: this.codes.subarray(0, this.size) };
  }
}

/**
 * The owned keys of a null-free Utf8 column given by its offsets (rows + 1, from 0) and bytes: each row is hashed
 * once (FNV-1a, as `readKeys`), and an owned row is looked up in an open-addressing table of the owned keys only
 * (half of them on two threads: a table half the size, half the cache misses of a whole-column numbering).
 *
 * Cost: O(rows) hashing, O(rows / owners) expected look-ups, O(owned keys) memory beyond the codes.
 */
export function ownedUtf8Keys(offsets: Int32Array, bytes: Uint8Array, owner: number, owners: number): OwnedKeys {
  const rows = offsets.length - 1;
  const out = new OwnedRows(rows, owners);
  const index = new ByteKeyIndex(Math.min(rows, 1 << 16));
  const hashes = new Int32Array(BLOCK); // of the block's owned rows
  const owned = new Int32Array(BLOCK); // the block's owned rows
  let firstRows = new Int32Array(1024);
  let sink = 0;
  for (let from = 0; from < rows; from += BLOCK) {
    const to = Math.min(rows, from + BLOCK);
    let m = 0;
    for (let i = from; i < to; i++) {
      const h = fnv1a(bytes, offsets[i], offsets[i + 1]);
      if (ownerOf(h, owners) === owner) {
        hashes[m] = h;
        owned[m++] = i;
      }
    }
    sink ^= index.touch(hashes, m); // the misses of a block overlap (see ByteKeyIndex.touch)
    for (let k = 0; k < m; k++) {
      const i = owned[k];
      const size = index.size;
      const id = index.idWithHash(bytes, offsets[i], offsets[i + 1], hashes[k]);
      if (id === size) {
        firstRows = grown(firstRows, size + 1);
        firstRows[size] = i;
      }
      out.push(i, id);
    }
  }
  void sink;
  const size = index.size;
  const keyOffsets = index.offsets.slice(0, size + 1);
  const keys: KeySet = { kind: 'utf8', size, offsets: keyOffsets, bytes: index.arena.slice(0, keyOffsets[size]) };
  return { ...out.arrays(), keys, firstRows: firstRows.slice(0, size) };
}

/** A 32-bit hash of an Int32 key (Fibonacci hashing: the top bits mix every bit of the key). */
function hashInt(v: number): number {
  const h = Math.imul(v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * The owned keys of a null-free Int32 column: a dense look-up over the keys' range when it is compact (at most
 * max(2^22, 4 × rows) values, as `readKeys`'s direct codes), an open-addressing table of the owned keys otherwise.
 *
 * Cost: O(rows) to find the range and hash, O(rows / owners) look-ups.
 */
export function ownedInt32Keys(values: Int32Array, owner: number, owners: number): OwnedKeys {
  const rows = values.length;
  let min = 2147483647;
  let max = -2147483648;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min + 1;
  const out = new OwnedRows(rows, owners);
  const found = { keys: new Int32Array(1024), firstRows: new Int32Array(1024), size: 0 };
  if (rows > 0 && range <= Math.max(1 << 22, 4 * rows)) denseOwned(values, owner, owners, min, range, out, found);
  else hashedOwned(values, owner, owners, out, found);
  const size = found.size;
  return {
    ...out.arrays(),
    keys: { kind: 'number', size, values: found.keys.slice(0, size) },
    firstRows: found.firstRows.slice(0, size),
  };
}

interface Found {
  keys: Int32Array;
  firstRows: Int32Array;
  size: number;
}

/** Appends key `v`, first met at row `row`, as the next local id. */
function append(found: Found, v: number, row: number): number {
  const id = found.size++;
  found.keys = grown(found.keys, id + 1);
  found.firstRows = grown(found.firstRows, id + 1);
  found.keys[id] = v;
  found.firstRows[id] = row;
  return id;
}

function denseOwned(
  values: Int32Array,
  owner: number,
  owners: number,
  min: number,
  range: number,
  out: OwnedRows,
  found: Found,
): void {
  const lookup = new Int32Array(range).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (ownerOf(hashInt(v), owners) !== owner) continue;
    let id = lookup[v - min];
    if (id < 0) id = lookup[v - min] = append(found, v, i);
    out.push(i, id);
  }
}

function hashedOwned(values: Int32Array, owner: number, owners: number, out: OwnedRows, found: Found): void {
  let slots = new Int32Array(1 << 16); // id + 1, 0 = empty
  let mask = slots.length - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const h = hashInt(v);
    if (ownerOf(h, owners) !== owner) continue;
    let slot = h & mask;
    let idPlusOne = slots[slot];
    while (idPlusOne !== 0 && found.keys[idPlusOne - 1] !== v) {
      slot = (slot + 1) & mask;
      idPlusOne = slots[slot];
    }
    if (idPlusOne === 0) {
      idPlusOne = append(found, v, i) + 1;
      slots[slot] = idPlusOne;
      if (2 * found.size > slots.length) {
        slots = new Int32Array(2 * slots.length);
        mask = slots.length - 1;
        for (let id = 0; id < found.size; id++) {
          let s = hashInt(found.keys[id]) & mask;
          while (slots[s] !== 0) s = (s + 1) & mask;
          slots[s] = id + 1;
        }
      }
    }
    out.push(i, idPlusOne - 1);
  }
}

/**
 * The merge of the owners' key lists into one numbering in order of first row: `maps[w][j]` is the global id of
 * owner w's local key j. The lists are disjoint and each is increasing, so this is a k-way merge, O(keys × owners).
 */
export function mergeOwnedOrder(firstRows: readonly Int32Array[]): Int32Array[] {
  const maps = firstRows.map((f) => new Int32Array(f.length));
  const heads = new Int32Array(firstRows.length);
  let total = 0;
  for (const f of firstRows) total += f.length;
  for (let g = 0; g < total; g++) {
    let best = -1;
    let bestRow = 2147483647;
    for (let w = 0; w < firstRows.length; w++) {
      const h = heads[w];
      if (h < firstRows[w].length && firstRows[w][h] < bestRow) {
        bestRow = firstRows[w][h];
        best = w;
      }
    }
    maps[best][heads[best]++] = g;
  }
  return maps;
}
