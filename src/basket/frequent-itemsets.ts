import type { Float64, Int32, List, Table, Utf8 } from 'apache-arrow';
import {
  checkOptions,
  ClienteleError,
  describeValue,
  numberVector,
  oneOfRule,
  optionNames,
  tableWithMetadata,
} from '../table/internal';
import { basketsFromLists, isBaskets } from './baskets';
import { listOfCodes } from './list-vector';
import { MAX_ITEMSETS } from './mined';
import type { Baskets, MinedItemsets } from './mined';
import { MINERS } from './miners';
import type { MinerName } from './miners';

/** Options of {@link frequentItemsets}. */
export interface FrequentItemsetsOptions {
  /** Smallest support, a share of baskets in (0, 1]: an itemset is frequent when count ≥ minSupport · baskets. */
  minSupport?: number;
  /** Smallest count instead (overrides minSupport). */
  minCount?: number;
  /** Longest itemset. Default: no limit. */
  maxLength?: number;
  /**
   * Most frequent itemsets the search may find before it stops with `LIMIT_EXCEEDED` (checked as they are found,
   * so a search that would not fit stops early). Default 1,000,000; `Infinity` lifts the limit.
   */
  maxItemsets?: number;
  /** Mining algorithm; all give the same itemsets. Default `'eclat'` (the fastest of the three on the benchmark data). */
  algorithm?: 'fpgrowth' | 'eclat' | 'apriori';
  /** All frequent itemsets (default), only closed ones (no superset with the same count) or only maximal ones (no frequent superset). */
  target?: 'all' | 'closed' | 'maximal';
  /**
   * One weight ≥ 0 per basket (revenue, quantity; e.g. `b.weights` of `baskets(tx, { weights })`): mine weighted
   * support, the share of the weight of the baskets holding the itemset (arules `weclat`), with minSupport.
   */
  weights?: ArrayLike<number>;
}

/** Weighted supports of mined itemsets: `sums[s]` is the weight of the baskets holding set s, of `total` in all. */
export interface WeightedSums {
  readonly sums: Float64Array;
  readonly total: number;
  /** The schema metadata a weighted table adds. */
  readonly metadata: Record<string, string>;
}

/** The options of {@link frequentItemsets} that run it on worker threads. */
export interface FrequentItemsetsParallel {
  /** Worker threads, 1–256 (1 runs in-process), e.g. `os.availableParallelism()`. */
  parallel: number;
  /**
   * Fewest line items (item occurrences in the baskets, Σ basket sizes) worth a thread: baskets with L line items
   * use min(parallel, ⌊L / minRowsPerWorker⌋) threads, and are mined in-process when that is 1. Default 500 000
   * (so T10I4D100K or retail, about a million line items, use 2 threads). A thread costs 0.3–0.6 s to start and
   * runs the miner cold (not yet compiled), so threads pay only where one thread mines for seconds: at low supports.
   */
  minRowsPerWorker?: number;
}

/** What the itemset table reads of the baskets: their number and the item names (codes index them). */
type BasketNames = Pick<Baskets, 'count' | 'names'>;

/** The checked options of a mining run. */
export interface ResolvedMining {
  readonly baskets: Baskets;
  readonly minCount: number;
  /** A whole number (≤ the number of item names when no limit was given). */
  readonly maxLength: number;
  readonly algorithm: MinerName;
  readonly target: 'all' | 'closed' | 'maximal';
  /** The output guard (`maxItemsets`, default {@link MAX_ITEMSETS}). */
  readonly maxItemsets: number;
}

/** The columns of `frequentItemsets`: one row per item set (items as text, whatever the input's item type). */
export type FrequentItemsetsColumns = {
  items: List<Utf8>;
  count: Int32;
  support: Float64;
  length: Int32;
};

/**
 * Frequent itemsets mined in the calling thread: the core of the public `frequentItemsets` (src/api/basket.ts), which
 * documents the output and adds worker threads.
 */
export function frequentItemsetsOfTable(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions,
): Table<FrequentItemsetsColumns> {
  const resolved = resolveMining(input, options, 'frequentItemsets');
  const { baskets: b, minCount, maxLength, algorithm, maxItemsets } = resolved;
  return itemsetsResult(MINERS[algorithm](b, minCount, maxLength, undefined, maxItemsets), resolved);
}

/** The named options of a mining run, as a spec of the one option validator (src/table/options.ts). */
const MINING_OPTIONS = Object.freeze({
  algorithm: oneOfRule(Object.keys(MINERS) as MinerName[], 'eclat'),
  target: oneOfRule(['all', 'closed', 'maximal'] as const, 'all'),
});

/** Internal (also `frequentItemsets(…, { parallel })`): the input as baskets and the options, checked. */
export function resolveMining(input: unknown, options: FrequentItemsetsOptions, fn: string): ResolvedMining {
  const b = isBaskets(input) ? input : Array.isArray(input) ? basketsFromLists(input) : null;
  if (!b) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: expected baskets (from baskets() or basketsFromLists()) or an array of item lists (found ${describeValue(input)})`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with minSupport or minCount (found ${describeValue(options)}); e.g. { minSupport: 0.01 }`,
    );
  }
  if (options.weights !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights is mined in the calling thread only (found weights with a thread or SQL form); leave out parallel`,
    );
  }
  const minCount = resolveMinCount(options, b.count, fn);
  const maxLength = options.maxLength ?? Infinity;
  if (!(maxLength === Infinity || (Number.isInteger(maxLength) && maxLength >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxLength must be an integer ≥ 1 (found ${describeValue(maxLength)})`,
    );
  }
  const maxItemsets = options.maxItemsets ?? MAX_ITEMSETS;
  if (!(maxItemsets === Infinity || (Number.isInteger(maxItemsets) && maxItemsets >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxItemsets must be an integer ≥ 1 or Infinity (found ${describeValue(maxItemsets)}); leave it out for ${MAX_ITEMSETS}`,
    );
  }
  const { algorithm, target } = checkOptions(options, MINING_OPTIONS, fn);
  const longest = maxLength === Infinity ? b.names.length : maxLength;
  return { baskets: b, minCount, maxLength: longest, algorithm, target, maxItemsets };
}

/**
 * Internal (also `frequentItemsets(…, { parallel })`): the itemset table of the mined itemsets — all of them, in
 * any order (the rows are sorted here): closed or maximal ones kept, then the canonical order.
 */
export function itemsetsResult(
  mined: MinedItemsets,
  resolved: Pick<ResolvedMining, 'minCount' | 'algorithm' | 'target'> & { readonly baskets: BasketNames },
  weighted?: WeightedSums,
): Table {
  const { baskets: b, minCount, algorithm, target } = resolved;
  const keep = target === 'all' ? null : closedOrMaximal(mined, target);
  return itemsetTable(mined, keep, b, { minCount, target, algorithm }, weighted);
}

/**
 * ⌈minSupport · n⌉ (with a guard against 0.01 · 100000 = 1000.0000000000001), or minCount. Internal (also
 * `frequentItemsetsInSql`, which counts the baskets in the engine).
 */
export function resolveMinCount(options: FrequentItemsetsOptions, n: number, fn: string): number {
  if (options.minCount !== undefined) {
    if (!Number.isInteger(options.minCount) || options.minCount < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minCount must be an integer ≥ 1 (found ${describeValue(options.minCount)})`,
      );
    }
    return options.minCount;
  }
  const s = options.minSupport;
  if (typeof s !== 'number' || !(s > 0 && s <= 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minSupport must be a share of baskets in (0, 1] (found ${describeValue(s)}); e.g. 0.01, or pass minCount`,
    );
  }
  return Math.max(1, Math.ceil(s * n - 1e-9 * Math.max(1, s * n)));
}

/** 1 for itemsets to keep: closed (no immediate superset with the same count) or maximal (no frequent immediate superset). */
function closedOrMaximal(mined: MinedItemsets, target: 'closed' | 'maximal'): Uint8Array {
  const { offsets, codes, counts } = mined;
  const sets = counts.length;
  const index = new Map<string, number>();
  const key = (from: number, to: number, skip: number): string => {
    let k = '';
    for (let t = from; t < to; t++) if (t !== skip) k += `${codes[t]},`;
    return k;
  };
  for (let s = 0; s < sets; s++) index.set(key(offsets[s], offsets[s + 1], -1), s);
  const keep = new Uint8Array(sets).fill(1);
  for (let s = 0; s < sets; s++) {
    const from = offsets[s];
    const to = offsets[s + 1];
    if (to - from < 2) continue;
    for (let skip = from; skip < to; skip++) {
      const sub = index.get(key(from, to, skip));
      if (sub === undefined) continue;
      if (target === 'maximal' || counts[sub] === counts[s]) keep[sub] = 0;
    }
  }
  return keep;
}

/**
 * The Arrow table of the kept itemsets, ordered by length, count descending, then names — compared through each
 * item's rank among the sorted names, so no string is built or compared per itemset.
 */
function itemsetTable(
  mined: MinedItemsets,
  keep: Uint8Array | null,
  b: BasketNames,
  meta: { minCount: number; target: string; algorithm: string },
  weighted?: WeightedSums,
): Table {
  // with weights: ordered by weight, supports are shares of the weight total
  const rankBy = weighted ? weighted.sums : mined.counts;
  const { offsets, codes, counts } = mined;
  const nameOrder = b.names
    .map((_, c) => c)
    .sort((x, y) => (b.names[x] < b.names[y] ? -1 : b.names[x] > b.names[y] ? 1 : 0));
  const rank = new Int32Array(b.names.length);
  nameOrder.forEach((c, r) => (rank[c] = r));
  // each itemset's items re-sorted by name rank, in a copy of the codes
  // plain loops below: TypedArray.from with a mapping function and forEach closures cost more than the work here
  const byName = new Int32Array(codes.length);
  for (let t = 0; t < codes.length; t++) byName[t] = rank[codes[t]];
  const order: number[] = [];
  for (let s = 0; s < counts.length; s++) {
    if (keep && !keep[s]) continue;
    // insertion sort in place: itemsets are short, and a subarray and sort call per itemset cost more
    for (let a = offsets[s] + 1; a < offsets[s + 1]; a++) {
      const v = byName[a];
      let b = a - 1;
      while (b >= offsets[s] && byName[b] > v) {
        byName[b + 1] = byName[b];
        b--;
      }
      byName[b + 1] = v;
    }
    order.push(s);
  }
  order.sort((x, y) => {
    const lx = offsets[x + 1] - offsets[x];
    const ly = offsets[y + 1] - offsets[y];
    if (lx !== ly) return lx - ly;
    if (rankBy[x] !== rankBy[y]) return rankBy[y] - rankBy[x];
    for (let t = 0; t < lx; t++) {
      const d = byName[offsets[x] + t] - byName[offsets[y] + t];
      if (d !== 0) return d;
    }
    return 0;
  });
  const kept = order.length;
  let total = 0;
  for (let i = 0; i < kept; i++) total += offsets[order[i] + 1] - offsets[order[i]];
  const outOffsets = new Int32Array(kept + 1);
  const outCodes = new Int32Array(total);
  const count = new Int32Array(kept);
  const length = new Int32Array(kept);
  const support = new Float64Array(kept);
  const n = b.count;
  for (let i = 0, at = 0; i < kept; i++) {
    const s = order[i];
    for (let t = offsets[s]; t < offsets[s + 1]; t++) outCodes[at++] = nameOrder[byName[t]];
    outOffsets[i + 1] = at;
    count[i] = counts[s];
    support[i] = weighted ? weighted.sums[s] / weighted.total : counts[s] / n;
    length[i] = offsets[s + 1] - offsets[s];
  }
  return tableWithMetadata(
    {
      items: listOfCodes(outOffsets, outCodes, b.names),
      count: numberVector(count),
      support: numberVector(support),
      length: numberVector(length),
    },
    {
      'clientele.kind': 'frequentItemsets',
      'clientele.baskets': String(n),
      ...(weighted ? weighted.metadata : { 'clientele.minCount': String(meta.minCount) }),
      'clientele.target': meta.target,
      'clientele.algorithm': meta.algorithm,
    },
  );
}

/** The names of frequentItemsets' options (the thread options are added where they are taken). */
export const FREQUENT_ITEMSETS_OPTION_NAMES = optionNames<FrequentItemsetsOptions>({
  minSupport: true,
  minCount: true,
  maxLength: true,
  algorithm: true,
  target: true,
  maxItemsets: true,
  weights: true,
});
