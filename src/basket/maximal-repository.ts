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

  constructor(private readonly items: number) {
    this.bits = new Int32Array(items);
  }

  /** Whether a found set holds every rank of `first[0 … firstLength − 1]` and `second[0 … secondLength − 1]`. */
  holdsAll(first: Int32Array, firstLength: number, second: Int32Array, secondLength: number): boolean {
    const { bits, words } = this;
    const used = (this.size + 31) >>> 5;
    for (let w = 0; w < used; w++) {
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
    for (let t = 0; t < firstLength; t++) {
      this.ranks[at++] = first[t];
      this.bits[first[t] * this.words + word] |= bit;
    }
    for (let t = 0; t < secondLength; t++) {
      this.ranks[at++] = second[t];
      this.bits[second[t] * this.words + word] |= bit;
    }
    this.offsets[m + 1] = at;
    this.supports[m] = support;
    this.size = m + 1;
  }

  /** The found sets as item codes (`codeOf[rank]`), each in ascending code order. */
  result(codeOf: Int32Array): MinedItemsets {
    return codedSets(this.offsets, this.ranks, this.supports, this.size, codeOf);
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
