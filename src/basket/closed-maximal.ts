import type { MinedItemsets } from './mined';
import { randomWords } from './closed-repository';

/**
 * The closed or maximal itemsets among mined ones, as a keep-mask: 1 for a set with no mined immediate superset of
 * the same count (closed) or no mined immediate superset at all (maximal). The universe is the mined sets, so with
 * a maxLength L a set of L items is always kept. The filter behind `target` when the miner is Apriori, FP-growth,
 * limited by maxLength, or run on threads.
 *
 * Method: every set gets an additive hash h(S) = Σ w[c] over its codes c (one random word per code, modulo 2³²)
 * in an open-addressing table; the immediate subsets S \ {c} of each set are then looked up by h(S) − w[c], with no
 * key built, and verified code by code. Each found subset is marked not closed (same count) or not maximal.
 *
 * Cost: O(Σ |S|) expected for the hashes and O(Σ |S|²) for the subsets' look-ups and verifications; memory two
 * ints per set plus the table.
 */
export function closedOrMaximal(mined: MinedItemsets, target: 'closed' | 'maximal'): Uint8Array {
  const { offsets, codes, counts } = mined;
  const sets = counts.length;
  let width = 0;
  for (let t = 0; t < codes.length; t++) if (codes[t] >= width) width = codes[t] + 1;
  const words = randomWords(width);
  const hash = new Int32Array(sets);
  for (let s = 0; s < sets; s++) {
    let h = 0;
    for (let t = offsets[s]; t < offsets[s + 1]; t++) h = (h + words[codes[t]]) | 0;
    hash[s] = h;
  }
  let size = 16;
  while (size < 2 * sets) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  for (let s = 0; s < sets; s++) {
    let slot = slotOf(hash[s], offsets[s + 1] - offsets[s]) & mask;
    while (table[slot] >= 0) slot = (slot + 1) & mask;
    table[slot] = s;
  }
  const keep = new Uint8Array(sets).fill(1);
  for (let s = 0; s < sets; s++) {
    const from = offsets[s];
    const to = offsets[s + 1];
    if (to - from < 2) continue;
    for (let skip = from; skip < to; skip++) {
      const sub = subsetIndex(mined, hash, table, mask, (hash[s] - words[codes[skip]]) | 0, from, to, skip);
      if (sub >= 0 && (target === 'maximal' || counts[sub] === counts[s])) keep[sub] = 0;
    }
  }
  return keep;
}

/** The table slot of a hash and a length (a multiplicative mix; the caller masks it). */
function slotOf(hash: number, length: number): number {
  return Math.imul(hash ^ Math.imul(length, 0x27d4eb2d), 0x9e3779b1) >>> 8;
}

/** The index of the mined set equal to codes[from … to − 1] without position `skip` (hash `h`; `hash[u]` is set u's), or −1. */
function subsetIndex(
  mined: MinedItemsets,
  hash: Int32Array,
  table: Int32Array,
  mask: number,
  h: number,
  from: number,
  to: number,
  skip: number,
): number {
  const { offsets, codes } = mined;
  const length = to - from - 1;
  for (let slot = slotOf(h, length) & mask; table[slot] >= 0; slot = (slot + 1) & mask) {
    const u = table[slot];
    if (hash[u] !== h || offsets[u + 1] - offsets[u] !== length) continue;
    let t = from;
    let v = offsets[u];
    for (; t < to; t++) {
      if (t === skip) continue;
      if (codes[t] !== codes[v]) break;
      v++;
    }
    if (t === to) return u;
  }
  return -1;
}
