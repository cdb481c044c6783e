import { ClienteleError } from '../table/internal';
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
  /** With `baskets(tx, { weights })`: the weight of each basket (≥ 0), by basket. */
  readonly weights?: Float64Array;
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
export type Miner = (
  baskets: Baskets,
  minCount: number,
  maxLength: number,
  scope?: MiningScope,
  maxItemsets?: number,
) => MinedItemsets;

/** The default of `maxItemsets`: a million itemsets take about 40 MB and a few seconds to mine and sort. */
export const MAX_ITEMSETS = 1_000_000;

/** Elements in one chunk of an {@link ItemsetCollector}'s buffers. */
const CHUNK = 1 << 16;

/**
 * Output buffers for a miner, with the guard on the output's size: adding itemset number `maxItemsets + 1`
 * throws `LIMIT_EXCEEDED`, so a search whose output would not fit (every subset of long baskets at a tiny support)
 * stops within a bounded amount of memory and time, whichever miner or thread runs it.
 *
 * The buffers grow by chunks of {@link CHUNK} elements (an itemset never straddles two), so nothing is copied
 * while the search runs; {@link result} copies every element once into arrays of the exact size.
 */
export class ItemsetCollector {
  /** Filled code chunks, and the number of codes each holds. */
  private readonly codeChunks: Int32Array[] = [];
  private readonly codeUsed: number[] = [];
  private codes: Int32Array = new Int32Array(1024);
  private at = 0;
  /** Counts and lengths of the itemsets, in chunks of CHUNK itemsets (the last one being filled). */
  private readonly countChunks: Int32Array[] = [];
  private readonly lengthChunks: Int32Array[] = [];
  private counts: Int32Array = new Int32Array(CHUNK);
  private lengths: Int32Array = new Int32Array(CHUNK);
  private size = 0;
  private used = 0;

  constructor(
    private readonly maxItemsets = Infinity,
    private readonly minCount = 1,
    private readonly maxLength = Infinity,
  ) {}

  /**
   * Adds the itemset `items[0 … length − 1]` (any order; stored sorted ascending) with its count.
   * @throws {ClienteleError} `LIMIT_EXCEEDED` past `maxItemsets`
   */
  add(items: ArrayLike<number>, length: number, count: number): void {
    if (this.size >= this.maxItemsets) throw itemsetLimit(this.maxItemsets, this.minCount, this.maxLength);
    if (this.at + length > this.codes.length) this.nextCodeChunk(length);
    const codes = this.codes;
    const start = this.at;
    for (let t = 0; t < length; t++) codes[start + t] = items[t];
    // insertion sort: itemsets are short
    for (let a = start + 1; a < start + length; a++) {
      const v = codes[a];
      let b = a - 1;
      while (b >= start && codes[b] > v) {
        codes[b + 1] = codes[b];
        b--;
      }
      codes[b + 1] = v;
    }
    this.at = start + length;
    this.used += length;
    const k = this.size & (CHUNK - 1);
    if (k === 0 && this.size > 0) {
      this.countChunks.push(this.counts);
      this.lengthChunks.push(this.lengths);
      this.counts = new Int32Array(CHUNK);
      this.lengths = new Int32Array(CHUNK);
    }
    this.counts[k] = count;
    this.lengths[k] = length;
    this.size++;
  }

  /** Keeps the current code chunk and starts one with room for at least `length` codes. */
  private nextCodeChunk(length: number): void {
    this.codeChunks.push(this.codes);
    this.codeUsed.push(this.at);
    // the first chunks are small (most searches find few itemsets), later ones CHUNK
    this.codes = new Int32Array(Math.max(length, Math.min(CHUNK, 4 * this.codes.length)));
    this.at = 0;
  }

  result(): MinedItemsets {
    const codes = new Int32Array(this.used);
    let at = 0;
    for (let c = 0; c < this.codeChunks.length; c++) {
      codes.set(this.codeChunks[c].subarray(0, this.codeUsed[c]), at);
      at += this.codeUsed[c];
    }
    codes.set(this.codes.subarray(0, this.at), at);
    const counts = new Int32Array(this.size);
    const offsets = new Int32Array(this.size + 1);
    const countChunks = [...this.countChunks, this.counts];
    const lengthChunks = [...this.lengthChunks, this.lengths];
    for (let c = 0, end = 0; c < countChunks.length; c++) {
      const first = c * CHUNK;
      const n = Math.min(CHUNK, this.size - first);
      counts.set(countChunks[c].subarray(0, n), first);
      const lengths = lengthChunks[c];
      for (let k = 0; k < n; k++) {
        end += lengths[k];
        offsets[first + k + 1] = end;
      }
    }
    return { offsets, codes, counts };
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

/** The `LIMIT_EXCEEDED` error of a mining run whose output passes `maxItemsets`. */
export function itemsetLimit(maxItemsets: number, minCount: number, maxLength: number): ClienteleError {
  return new ClienteleError(
    'LIMIT_EXCEEDED',
    `frequentItemsets: the search passed maxItemsets = ${maxItemsets} frequent itemsets (found more at minCount ` +
      `${minCount}${Number.isFinite(maxLength) ? `, maxLength ${maxLength}` : ', no maxLength'}); raise minSupport ` +
      `(or minCount), or set maxLength (e.g. 10 as arules does), or raise maxItemsets (Infinity lifts the limit) if ` +
      `the output should be that large`,
  );
}
