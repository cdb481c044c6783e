import type { Table } from 'apache-arrow';
import { numberVector, tableWithMetadata } from '../table/build';
import { ClienteleError, describeValue } from '../table/errors';
import { basketsFromLists, isBaskets } from './baskets';
import { listOfCodes } from './list-vector';
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
  /** Mining algorithm; all give the same itemsets. Default `'eclat'` (the fastest of the three on the benchmark data). */
  algorithm?: 'fpgrowth' | 'eclat' | 'apriori';
  /** All frequent itemsets (default), only closed ones (no superset with the same count) or only maximal ones (no frequent superset). */
  target?: 'all' | 'closed' | 'maximal';
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

/** The checked options of a mining run. */
export interface ResolvedMining {
  readonly baskets: Baskets;
  readonly minCount: number;
  /** A whole number (≤ the number of item names when no limit was given). */
  readonly maxLength: number;
  readonly algorithm: MinerName;
  readonly target: 'all' | 'closed' | 'maximal';
}

/**
 * Frequent itemsets of market baskets: every set of items bought together in at least `minSupport` of the baskets,
 * with its count and support — the first step of association-rule mining (Agrawal, Imieliński & Swami 1993).
 *
 * Three exact miners over typed arrays, which return the same itemsets: Eclat on tid-lists and diffsets (Zaki 2000;
 * Zaki & Gouda 2003; the default, fastest on Groceries, retail and T10I4D100K), FP-growth (Han, Pei & Yin 2000) and
 * Apriori (Agrawal & Srikant 1994). Threshold as R `arules`: an itemset is
 * frequent when count ≥ minSupport × baskets (so `minCount = ⌈minSupport · baskets⌉`); empty baskets count in the
 * denominator. `target: 'closed'` keeps itemsets with no superset of the same count, `'maximal'` those with no
 * frequent superset (both among the itemsets up to `maxLength`).
 *
 * Output, one row per itemset, by length, then count descending, then item names: `items` (List<Utf8>, names in
 * ascending order), `count` (Int32), `support` (Float64), `length` (Int32); metadata `clientele.baskets` (the
 * denominator), `clientele.minCount`, `clientele.target`, `clientele.algorithm`.
 *
 * All cores: with `parallel: n` it returns a promise of the same table (same rows in the same order, same types,
 * same metadata) mined on up to n worker threads. The baskets' two code arrays are copied once into
 * `SharedArrayBuffer`s that every thread reads (no copy per thread; the caller's arrays are neither transferred nor
 * changed). The threads first count the items over equal, contiguous shares of the baskets (integer counts, added
 * exactly); then the search space is cut by the itemsets' first item in the miner's order — Eclat's first-level
 * equivalence classes, FP-growth's conditional pattern bases, Apriori's first items — and each thread mines the
 * classes of the items it owns, assigned largest-first (estimated cost: support × number of items that can follow)
 * to the least-loaded thread; the calling thread concatenates the parts and builds the table as in one thread.
 * Each thread repeats the miner's first pass over all baskets (tid-lists, FP-tree or recoded baskets), so the gain
 * is in the search: it pays at low supports, where mining takes seconds. Baskets with fewer than
 * 2 × `minRowsPerWorker` (default 500 000) line items, `parallel: 1`, or no worker threads (browsers) run
 * in-process, with the same result.
 *
 * Cost: output-sensitive; see each miner. Memory: the baskets' item codes plus the miner's working set (with
 * `parallel`: one shared copy of the codes, plus each thread's working set and its part of the itemsets).
 *
 * @param input the result of `baskets`/`basketsFromLists`, or an array of baskets (arrays of item names)
 * @param options minSupport or minCount, maxLength, algorithm, target; `parallel` (threads) and `minRowsPerWorker`
 *   (line items per thread, 500 000) to mine on worker threads, returning a promise
 * @throws {ClienteleError} `INVALID_OPTION`, `INVALID_INPUT` (a rejected promise with `parallel`)
 * @example
 * const sets = frequentItemsets([['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']], { minSupport: 0.5 });
 * sets.numRows; // 3
 * sets.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 * sets.get(2)?.items.toArray(); // ['beer', 'diapers']
 * // the same itemsets on 2 worker threads (minRowsPerWorker: 1 forces threads on this tiny input)
 * const onThreads = await frequentItemsets([['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']], { minSupport: 0.5, parallel: 2, minRowsPerWorker: 1 });
 * onThreads.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 */
export function frequentItemsets(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions & FrequentItemsetsParallel,
): Promise<Table>;
export function frequentItemsets(input: Baskets | readonly (readonly (string | number)[])[], options: FrequentItemsetsOptions): Table;
export function frequentItemsets(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions | (FrequentItemsetsOptions & FrequentItemsetsParallel),
): Table | Promise<Table> {
  if (options !== null && typeof options === 'object' && 'parallel' in options) {
    // worker threads: loaded on demand, so that the single-thread path never loads the pool
    return import('../parallel/itemsets-parallel').then((m) => m.frequentItemsetsParallel(input, options as FrequentItemsetsOptions & FrequentItemsetsParallel));
  }
  const resolved = resolveMining(input, options, 'frequentItemsets');
  const { baskets: b, minCount, maxLength, algorithm } = resolved;
  return itemsetsResult(MINERS[algorithm](b, minCount, maxLength), resolved);
}

/** Internal (also `frequentItemsets(…, { parallel })`): the input as baskets and the options, checked. */
export function resolveMining(input: unknown, options: FrequentItemsetsOptions, fn: string): ResolvedMining {
  const b = isBaskets(input) ? input : Array.isArray(input) ? basketsFromLists(input) : null;
  if (!b) {
    throw new ClienteleError('INVALID_INPUT', `${fn}: expected baskets (from baskets() or basketsFromLists()) or an array of item lists (found ${describeValue(input)})`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: options must be an object with minSupport or minCount (found ${describeValue(options)}); e.g. { minSupport: 0.01 }`);
  }
  const minCount = resolveMinCount(options, b.count, fn);
  const maxLength = options.maxLength ?? Infinity;
  if (!(maxLength === Infinity || (Number.isInteger(maxLength) && maxLength >= 1))) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: option maxLength must be an integer ≥ 1 (found ${describeValue(maxLength)})`);
  }
  const algorithm = options.algorithm ?? 'eclat';
  if (typeof algorithm !== 'string' || !Object.hasOwn(MINERS, algorithm)) throw new ClienteleError('INVALID_OPTION', `${fn}: option algorithm must be 'fpgrowth', 'eclat' or 'apriori' (found ${describeValue(algorithm)})`);
  const target = options.target ?? 'all';
  if (target !== 'all' && target !== 'closed' && target !== 'maximal') {
    throw new ClienteleError('INVALID_OPTION', `${fn}: option target must be 'all', 'closed' or 'maximal' (found ${describeValue(target)})`);
  }
  return { baskets: b, minCount, maxLength: maxLength === Infinity ? b.names.length : maxLength, algorithm, target };
}

/**
 * Internal (also `frequentItemsets(…, { parallel })`): the itemset table of the mined itemsets — all of them, in
 * any order (the rows are sorted here): closed or maximal ones kept, then the canonical order.
 */
export function itemsetsResult(mined: MinedItemsets, resolved: ResolvedMining): Table {
  const { baskets: b, minCount, algorithm, target } = resolved;
  const keep = target === 'all' ? null : closedOrMaximal(mined, target);
  return itemsetTable(mined, keep, b, { minCount, target, algorithm });
}

/** ⌈minSupport · n⌉ (with a guard against 0.01 · 100000 = 1000.0000000000001), or minCount. */
function resolveMinCount(options: FrequentItemsetsOptions, n: number, fn: string): number {
  if (options.minCount !== undefined) {
    if (!Number.isInteger(options.minCount) || options.minCount < 1) {
      throw new ClienteleError('INVALID_OPTION', `${fn}: option minCount must be an integer ≥ 1 (found ${describeValue(options.minCount)})`);
    }
    return options.minCount;
  }
  const s = options.minSupport;
  if (typeof s !== 'number' || !(s > 0 && s <= 1)) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: option minSupport must be a share of baskets in (0, 1] (found ${describeValue(s)}); e.g. 0.01, or pass minCount`);
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
function itemsetTable(mined: MinedItemsets, keep: Uint8Array | null, b: Baskets, meta: { minCount: number; target: string; algorithm: string }): Table {
  const { offsets, codes, counts } = mined;
  const nameOrder = b.names.map((_, c) => c).sort((x, y) => (b.names[x] < b.names[y] ? -1 : b.names[x] > b.names[y] ? 1 : 0));
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
    if (counts[x] !== counts[y]) return counts[y] - counts[x];
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
    support[i] = counts[s] / n;
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
      'clientele.minCount': String(meta.minCount),
      'clientele.target': meta.target,
      'clientele.algorithm': meta.algorithm,
    },
  );
}
