import { ClienteleError, describeValue } from '../table/internal';

/** The distinct rows of a set of numeric columns, as {@link uniqueRows} returns them. */
export interface UniqueRows {
  /** One array per input column: the distinct tuples, in order of first appearance. */
  readonly columns: Float64Array[];
  /** Per distinct tuple, the summed weights of its rows (the row count when no weights are given). */
  readonly weights: Float64Array;
  /** Per input row, the index of its tuple in `columns` (so per-tuple results can be scattered back to rows). */
  readonly index: Int32Array;
}

/** The 32-bit finaliser of MurmurHash3 (Appleby 2008): spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The two 32-bit words of each double of a column, read in place (a Float64Array is always 8-byte aligned). */
function words(column: Float64Array): Uint32Array {
  return new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
}

/**
 * The distinct rows (tuples) of numeric columns with their summed weights: the data compression behind the CLV
 * fits, whose likelihoods depend on a customer only through (x, t_x, T), so that a million customers cost as
 * much as their few thousand distinct histories (BTYD's `dc.compress.cbs`, lifetimes' weighted fitting).
 *
 * Equality is that of numbers, with −0 equal to 0 and every NaN equal to every other (JavaScript's SameValueZero),
 * so a tuple is the same whatever produced its doubles. Tuples come out in order of first appearance; weights are
 * summed in row order.
 *
 * Method: one pass with open addressing (linear probing) in a power-of-two table of at least 2n slots, keyed by a
 * MurmurHash3-style mix of the 64 bits of each value; no per-row object is created.
 * Cost: O(n · d) expected time for n rows of d columns, O(n) extra memory.
 *
 * @param columns one or more columns of equal length
 * @param weights optional weight per row (default 1 each)
 * @throws {ClienteleError} `INVALID_INPUT` for no columns, or columns or weights of unequal length
 * @example
 * // e.g. uniqueRows([Float64Array.of(1, 2, 1), Float64Array.of(5, 6, 5)]) gives columns [1, 2] and [5, 6],
 * // weights [2, 1] and index [0, 1, 0]
 */
export function uniqueRows(columns: readonly Float64Array[], weights?: Float64Array): UniqueRows {
  const fn = 'uniqueRows';
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => c instanceof Float64Array)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: columns must be a non-empty array of Float64Arrays (found ${describeValue(columns)}); pass e.g. [x, tx, T]`,
    );
  }
  const n = columns[0].length;
  columns.forEach((c, j) => {
    if (c.length !== n) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: column ${j} has ${c.length} values but column 0 has ${n}; give every column the same length`,
      );
    }
  });
  if (weights !== undefined && (!(weights instanceof Float64Array) || weights.length !== n)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: weights must be a Float64Array of ${n} values, one per row (found ${describeValue(weights)}` +
        `${weights instanceof Float64Array ? ` of ${weights.length}` : ''}); pass one weight per row or none`,
    );
  }
  return _uniqueRows(columns, weights);
}

/** {@link uniqueRows} without validation, for callers that built the columns themselves. */
export function _uniqueRows(columns: readonly Float64Array[], weights?: Float64Array): UniqueRows {
  const d = columns.length;
  const n = columns[0].length;
  const bits = columns.map(words);
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1); // tuple id per slot, -1 when empty
  const first = new Int32Array(n); // representative row of each tuple id
  const summed = new Float64Array(n);
  const index = new Int32Array(n);
  let size = 0;
  // hand-written: the hot loop of every CLV fit on a million rows; no closures, no allocation
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9;
    for (let j = 0; j < d; j++) {
      const v = columns[j][i];
      let lo: number;
      let hi: number;
      if (v === 0) {
        lo = 0; // −0 hashes as 0
        hi = 0;
      } else if (v !== v) {
        lo = 0; // every NaN hashes as the canonical quiet NaN
        hi = 0x7ff80000;
      } else {
        lo = bits[j][2 * i];
        hi = bits[j][2 * i + 1];
      }
      h = fmix32(Math.imul(h ^ lo, 0xcc9e2d51) + j);
      h = fmix32(Math.imul(h ^ hi, 0x1b873593));
    }
    let slot = h & mask;
    let id = -1;
    for (;;) {
      const candidate = slots[slot];
      if (candidate < 0) break;
      const r = first[candidate];
      let same = true;
      for (let j = 0; j < d; j++) {
        const a = columns[j][i];
        const b = columns[j][r];
        if (a !== b && (a === a || b === b)) {
          same = false;
          break;
        }
      }
      if (same) {
        id = candidate;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (id < 0) {
      id = size++;
      slots[slot] = id;
      first[id] = i;
    }
    index[i] = id;
    summed[id] += weights === undefined ? 1 : weights[i];
  }
  const out = columns.map((c) => {
    const values = new Float64Array(size);
    for (let k = 0; k < size; k++) values[k] = c[first[k]];
    return values;
  });
  // −0 comes out as 0, like every other representative of its tuple
  for (const values of out) for (let k = 0; k < size; k++) if (values[k] === 0) values[k] = 0;
  return { columns: out, weights: summed.slice(0, size), index };
}
