import { grown } from '../table/internal';
import type { DropReport } from '../table/internal';

/**
 * Baskets as compressed sparse rows of item codes: basket b holds `items[offsets[b] … offsets[b + 1] − 1]`,
 * distinct codes in ascending order; `names[code]` is the item. What every miner reads.
 */
export interface Baskets {
  readonly kind: 'baskets';
  /** Number of baskets (empty ones included: they count in the support denominator). */
  readonly count: number;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly names: readonly string[];
  /** For baskets built from a table: input rows, rows kept, rows dropped by reason. */
  readonly rows?: DropReport;
}

/** Frequent itemsets as a miner returns them: set s holds codes `codes[offsets[s] … offsets[s + 1] − 1]` (ascending), in `counts[s]` baskets. */
export interface MinedItemsets {
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
  readonly counts: Int32Array;
}

/**
 * A part of the search space, for mining on several threads: the item supports already counted (those
 * {@link itemSupports} would return) and the item codes this call owns. The call mines exactly the itemsets whose
 * first item in the miner's own order is owned (Eclat and FP-growth: the least frequent item; Apriori: the lowest
 * code), so the parts of disjoint owned sets are disjoint and together make the whole result.
 */
export interface MiningScope {
  readonly support: Int32Array;
  /** 1 for an owned item code (indexed like `support`). */
  readonly owned: Uint8Array;
}

/**
 * A frequent-itemset miner: every itemset of 1 … maxLength items contained in at least minCount baskets; with a
 * `scope`, only the itemsets of the scope's part.
 */
export type Miner = (baskets: Baskets, minCount: number, maxLength: number, scope?: MiningScope) => MinedItemsets;

/** Growable output buffers for a miner. */
export class ItemsetCollector {
  private codes: Int32Array = new Int32Array(1024);
  private offsets: Int32Array = new Int32Array(256);
  private counts: Int32Array = new Int32Array(256);
  private size = 0;
  private used = 0;

  /** Adds the itemset `items[0 … length − 1]` (any order; stored sorted ascending) with its count. */
  add(items: ArrayLike<number>, length: number, count: number): void {
    if (this.used + length > this.codes.length) this.codes = grown(this.codes, this.used + length);
    if (this.size + 2 > this.offsets.length) {
      this.offsets = grown(this.offsets, this.size + 2);
      this.counts = grown(this.counts, this.size + 2);
    }
    const start = this.used;
    for (let t = 0; t < length; t++) this.codes[start + t] = items[t];
    // insertion sort: itemsets are short
    for (let a = start + 1; a < start + length; a++) {
      const v = this.codes[a];
      let b = a - 1;
      while (b >= start && this.codes[b] > v) {
        this.codes[b + 1] = this.codes[b];
        b--;
      }
      this.codes[b + 1] = v;
    }
    this.used += length;
    this.counts[this.size] = count;
    this.size++;
    this.offsets[this.size] = this.used;
  }

  result(): MinedItemsets {
    return {
      offsets: this.offsets.slice(0, this.size + 1),
      codes: this.codes.slice(0, this.used),
      counts: this.counts.slice(0, this.size),
    };
  }
}

/** How many baskets hold each item code (codes above `names` widen the array), in one pass: every miner's first step. */
export function itemSupports(baskets: Baskets): Int32Array {
  const { offsets, items, count, names } = baskets;
  const begin = offsets[0];
  const end = offsets[count];
  let width = names.length;
  for (let p = begin; p < end; p++) if (items[p] >= width) width = items[p] + 1;
  const support = new Int32Array(width);
  for (let p = begin; p < end; p++) support[items[p]]++;
  return support;
}
