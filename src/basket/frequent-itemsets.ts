import type { Float64, Int32, List, Table, Utf8 } from 'apache-arrow';
import { checkOptions, ClienteleError, describeValue, oneOfRule, optionNames } from '../table/internal';
import { basketsFromLists, isBaskets } from './baskets';
import { closedOrMaximal } from './closed-maximal';
import { closedItemsets } from './closed-search';
import { itemsetTable } from './itemset-table';
import type { BasketNames, WeightedSums } from './itemset-table';
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
   * so a search that would not fit stops early). Default 1,000,000; `Infinity` lifts the limit. With `target`
   * `'closed'` or `'maximal'` and the default Eclat without maxLength (the direct search), it counts the closed
   * itemsets the search finds (for 'closed' its output; for 'maximal' the closed sets it visits on the way);
   * otherwise every frequent itemset mined before the filter.
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

/** The options of {@link frequentItemsets} that run it on worker threads. */
export interface FrequentItemsetsParallel {
  /**
   * Worker threads, 1–256 (1 runs in-process), e.g. `os.availableParallelism()`; or `'auto'`: the free cores when
   * the estimated work pays for them, else in-process (never slower than one thread; see `frequentItemsetsParallel`).
   */
  parallel: number | 'auto';
  /**
   * Fewest line items (item occurrences in the baskets, Σ basket sizes) worth a thread: baskets with L line items
   * use min(parallel, ⌊L / minRowsPerWorker⌋) threads, and are mined in-process when that is 1. Default 500 000
   * with a thread count (so T10I4D100K or retail, about a million line items, use 2 threads), none with 'auto'
   * (its cost model decides). Threads come warm from the process's pool after the first call; a cold thread costs
   * 0.1–0.5 s to start and runs the miner not yet compiled.
   */
  minRowsPerWorker?: number;
}

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
  const { baskets: b, minCount, maxLength, algorithm, target, maxItemsets } = resolved;
  // closed/maximal found directly when no maxLength cuts the search (the filter's universe is then every set)
  if (target !== 'all' && algorithm === 'eclat' && maxLength >= longestBasket(b)) {
    return itemsetTable(closedItemsets(b, minCount, target, maxItemsets), null, b, { minCount, target, algorithm });
  }
  return itemsetsResult(MINERS[algorithm](b, minCount, maxLength, undefined, maxItemsets), resolved);
}

/** The most items in one basket: no itemset is longer. */
function longestBasket(b: Baskets): number {
  let longest = 0;
  for (let k = 0; k < b.count; k++) longest = Math.max(longest, b.offsets[k + 1] - b.offsets[k]);
  return longest;
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
