import { grown } from '../table/internal';
import { itemsetLimit } from './mined';
import type { MinedItemsets } from './mined';

/**
 * The closed itemsets found so far by {@link closedItemsets}, as item ranks, with a hash table on their tid-lists:
 * the repository that decides whether a node of the search is closed.
 *
 * Why a tid-list identifies a closed set: an itemset X and its closure c(X) (the largest set with the same
 * baskets) have the same tid-list t(X), and two closed sets with the same tid-list are equal. So "some found closed
 * set D has t(D) = t(X)" is the test; it is made on the key (σ(X), h(t(X))), where h sums one random 32-bit word
 * per basket id modulo 2³² (additive, so the search updates it from diffsets: h(t \ d) = h(t) − h(d)), and
 * verified exactly without tid-lists: D ⊇ X and σ(D) = σ(X) imply t(D) = t(X) (t(D) ⊆ t(X), same size). This is
 * the subsumption check of CHARM (Zaki & Hsiao 2002, §4.2, which hashes on the sum of the tids).
 *
 * Cost: O(1) expected per look-up plus O(|D|) per verified candidate; memory one int per item of a found set.
 *
 * Reference: M. J. Zaki & C.-J. Hsiao (2002), "CHARM: an efficient algorithm for closed itemset mining", SDM.
 */
export class ClosedRepository {
  private offsets = new Int32Array(256);
  private ranks = new Int32Array(1024);
  private supports = new Int32Array(256);
  private hashes = new Int32Array(256);
  /** Chains of the hash table: `next[s]` is the set after s in its bucket (−1 ends). */
  private next = new Int32Array(256);
  private heads = new Int32Array(1024).fill(-1);
  private size = 0;

  constructor(
    private readonly maxItemsets: number,
    private readonly minCount: number,
  ) {}

  /** Sets stored. */
  get count(): number {
    return this.size;
  }

  /**
   * Whether a stored set D has σ(D) = `support`, hash `hash` and holds every item r with `onPath[r] = 1`
   * (`pathLength` of them): then t(D) is the tid-list of the path.
   */
  holds(support: number, hash: number, onPath: Uint8Array, pathLength: number): boolean {
    const { offsets, ranks, supports, hashes, next } = this;
    for (let s = this.heads[bucket(support, hash) & (this.heads.length - 1)]; s >= 0; s = next[s]) {
      if (supports[s] !== support || hashes[s] !== hash) continue;
      let found = 0;
      for (let t = offsets[s]; t < offsets[s + 1]; t++) found += onPath[ranks[t]];
      if (found === pathLength) return true;
    }
    return false;
  }

  /**
   * Stores the set `first[0 … firstLength − 1]` ∪ `second[0 … secondLength − 1]` (ranks) with its support and
   * tid-list hash.
   * @throws {ClienteleError} `LIMIT_EXCEEDED` past `maxItemsets` sets
   */
  add(
    first: Int32Array,
    firstLength: number,
    second: Int32Array,
    secondLength: number,
    support: number,
    hash: number,
  ): void {
    const s = this.size;
    if (s >= this.maxItemsets) throw itemsetLimit(this.maxItemsets, this.minCount, Infinity);
    if (s + 2 > this.offsets.length) {
      this.offsets = grown(this.offsets, s + 2);
      this.supports = grown(this.supports, s + 2);
      this.hashes = grown(this.hashes, s + 2);
      this.next = grown(this.next, s + 2);
    }
    let at = this.offsets[s];
    this.ranks = grown(this.ranks, at + firstLength + secondLength);
    for (let t = 0; t < firstLength; t++) this.ranks[at++] = first[t];
    for (let t = 0; t < secondLength; t++) this.ranks[at++] = second[t];
    this.offsets[s + 1] = at;
    this.supports[s] = support;
    this.hashes[s] = hash;
    this.size = s + 1;
    if (2 * this.size > this.heads.length) this.rehash();
    else this.link(s);
  }

  /** The stored sets as item codes (`codeOf[rank]`), each in ascending code order. */
  result(codeOf: Int32Array): MinedItemsets {
    return codedSets(this.offsets, this.ranks, this.supports, this.size, codeOf);
  }

  private link(s: number): void {
    const b = bucket(this.supports[s], this.hashes[s]) & (this.heads.length - 1);
    this.next[s] = this.heads[b];
    this.heads[b] = s;
  }

  private rehash(): void {
    this.heads = new Int32Array(2 * this.heads.length).fill(-1);
    for (let s = 0; s < this.size; s++) this.link(s);
  }
}

/** A bucket number from a support and a tid-list hash (a multiplicative mix, so nearby sums spread). */
function bucket(support: number, hash: number): number {
  return Math.imul(hash ^ Math.imul(support, 0x27d4eb2d), 0x9e3779b1) >>> 7;
}

/** Sets of ranks as a miner's output: codes `codeOf[rank]`, ascending within each set (insertion sort: short sets). */
export function codedSets(
  offsets: Int32Array,
  ranks: Int32Array,
  supports: Int32Array,
  size: number,
  codeOf: Int32Array,
): MinedItemsets {
  const end = offsets[size];
  const codes = new Int32Array(end);
  for (let s = 0; s < size; s++) {
    const from = offsets[s];
    for (let a = from; a < offsets[s + 1]; a++) {
      const v = codeOf[ranks[a]];
      let b = a - 1;
      while (b >= from && codes[b] > v) {
        codes[b + 1] = codes[b];
        b--;
      }
      codes[b + 1] = v;
    }
  }
  return { offsets: offsets.slice(0, size + 1), codes, counts: supports.slice(0, size) };
}

/**
 * One pseudo-random 32-bit word per id (basket ids, item codes; xorshift32 from a fixed seed, so every run hashes
 * alike): the terms of the additive hashes of tid-lists and itemsets.
 */
export function randomWords(count: number): Int32Array {
  const words = new Int32Array(count);
  let x = 0x6d2b79f5;
  for (let b = 0; b < count; b++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[b] = x;
  }
  return words;
}
