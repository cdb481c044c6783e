import type { MinedItemsets } from './mined';
import { codedSets } from './closed-repository';

/**
 * The maximal itemsets found so far by {@link closedItemsets} (target `'maximal'`), as item ranks, with one bit
 * vector per item over the found sets: bit m of item r's vector is set when set m holds r. "Does a found set hold
 * all of Y?" is the AND of the vectors of Y's items, nonzero — 32 sets per word, stopped at the first nonzero
 * word (the superset check of MAFIA's and GenMax's maximal-set repositories, on vertical bit vectors).
 *
 * Cost: O(|Y| · M / 32) word operations per query for M found sets; memory F · M / 8 bytes for F frequent items.
 *
 * Reference: D. Burdick, M. Calimlim & J. Gehrke (2001), "MAFIA: a maximal frequent itemset algorithm for
 * transactional databases", ICDE, §3 (HUTMFI pruning, subset checking); K. Gouda & M. J. Zaki (2005), "GenMax:
 * an efficient algorithm for mining maximal frequent itemsets", DMKD 11(3) (progressive focusing).
 */
export class MaximalRepository {
  private offsets = new Int32Array(64);
  private ranks = new Int32Array(256);
  private supports = new Int32Array(64);
  /** Item r's vector is `bits[r · words … (r + 1) · words − 1]`. */
  private bits: Int32Array;
  private words = 1;
  private size = 0;
  /** The first and last word of item r's vector with a bit set (none: first > last), so a query reads only the words where all its items have sets. */
  private readonly first: Int32Array;
  private readonly last: Int32Array;

  constructor(private readonly items: number) {
    this.bits = new Int32Array(items);
    this.first = new Int32Array(items).fill(0x7fffffff);
    this.last = new Int32Array(items).fill(-1);
  }

  /** Whether a found set holds every rank of `first[0 … firstLength − 1]` and `second[0 … secondLength − 1]`. */
  holdsAll(first: Int32Array, firstLength: number, second: Int32Array, secondLength: number): boolean {
    const { bits, words } = this;
    let from = 0;
    let to = (this.size + 31) >>> 5;
    for (let t = 0; t < firstLength; t++) {
      from = Math.max(from, this.first[first[t]]);
      to = Math.min(to, this.last[first[t]] + 1);
    }
    for (let t = 0; t < secondLength; t++) {
      from = Math.max(from, this.first[second[t]]);
      to = Math.min(to, this.last[second[t]] + 1);
    }
    for (let w = from; w < to; w++) {
      let all = -1;
      for (let t = 0; t < firstLength && all !== 0; t++) all &= bits[first[t] * words + w];
      for (let t = 0; t < secondLength && all !== 0; t++) all &= bits[second[t] * words + w];
      if (all !== 0) return true;
    }
    return false;
  }

  /** Stores the set `first[0 … firstLength − 1]` ∪ `second[0 … secondLength − 1]` (ranks) with its support. */
  add(first: Int32Array, firstLength: number, second: Int32Array, secondLength: number, support: number): void {
    const m = this.size;
    if (m >= 32 * this.words) this.widen();
    if (m + 2 > this.offsets.length) {
      const offsets = new Int32Array(2 * (m + 2));
      offsets.set(this.offsets);
      this.offsets = offsets;
      const supports = new Int32Array(2 * (m + 2));
      supports.set(this.supports);
      this.supports = supports;
    }
    let at = this.offsets[m];
    if (at + firstLength + secondLength > this.ranks.length) {
      const ranks = new Int32Array(2 * (at + firstLength + secondLength));
      ranks.set(this.ranks);
      this.ranks = ranks;
    }
    const word = m >>> 5;
    const bit = 1 << (m & 31);
    for (let t = 0; t < firstLength; t++) this.mark(first[t], word, bit, at++);
    for (let t = 0; t < secondLength; t++) this.mark(second[t], word, bit, at++);
    this.offsets[m + 1] = at;
    this.supports[m] = support;
    this.size = m + 1;
  }

  /** The found sets as item codes (`codeOf[rank]`), each in ascending code order. */
  result(codeOf: Int32Array): MinedItemsets {
    return codedSets(this.offsets, this.ranks, this.supports, this.size, codeOf);
  }

  /** Item r is in the set being added (ranks position `at`, bit `bit` of word `word`). */
  private mark(r: number, word: number, bit: number, at: number): void {
    this.ranks[at] = r;
    this.bits[r * this.words + word] |= bit;
    if (this.first[r] > word) this.first[r] = word;
    this.last[r] = word;
  }

  /** Doubles the words per item vector. */
  private widen(): void {
    const words = 2 * this.words;
    const bits = new Int32Array(this.items * words);
    for (let r = 0; r < this.items; r++) bits.set(this.bits.subarray(r * this.words, (r + 1) * this.words), r * words);
    this.bits = bits;
    this.words = words;
  }
}
