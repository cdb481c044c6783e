import { tableFromArrays } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import {
  itemsetLimit,
  itemsetPartsAggregate,
  itemsetsResult,
  MINERS,
  resolveMining,
  FREQUENT_ITEMSETS_OPTION_NAMES,
} from '../basket/internal';
import type {
  FrequentItemsetsOptions,
  FrequentItemsetsParallel,
  ItemsetPartsOptions,
  ItemsetPartsPartial,
  MinedItemsets,
  MinerName,
} from '../basket/internal';
import { openSession } from './open-parallel';
import { checkMinRows, splitParallel } from './options';
import { poolState, prestartWorkers } from './pool';
import { knownOptions, PARALLEL_OPTION_NAMES } from '../table/internal';

/** Default line items (Σ basket sizes) per thread: below 2 × this, the baskets are mined in-process. */
const MIN_LINES_PER_WORKER = 500_000;

/** The options it takes; every other name is refused with a did-you-mean. */
const FREQUENT_ITEMSETS_PARALLEL_OPTION_NAMES = [...FREQUENT_ITEMSETS_OPTION_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * `frequentItemsets` on `parallel` worker threads: the same table — rows, order, types, metadata — as
 * `frequentItemsets(input, options)`, with the search shared between the calling thread and pooled worker threads.
 * `frequentItemsets(input, { parallel: n })` calls it.
 *
 * 1. The item supports are counted once, on the calling thread (O(line items), integers: exact).
 * 2. The frequent items are assigned to `t` parts, largest estimated class first, each to the least-loaded part
 *    (LPT, deterministic). A class is the set of itemsets whose first item in the miner's order is that item; its
 *    cost is estimated as support × (1 + the number of frequent items that may follow it in that order).
 * 3. The baskets' item codes and offsets are copied once into `SharedArrayBuffer`s that every thread reads in
 *    place (the caller's arrays are never transferred or changed), and sent with the supports to `t − 1` threads
 *    leased from the warm pool (see `spawnWorkers`); each runs the miner restricted to its items' classes
 *    (`MiningScope`), while the calling thread mines part 0 in the meantime.
 * 4. The parts are concatenated in part order and the table built as in one thread (closed/maximal filter,
 *    canonical order), so the result does not depend on `t`.
 *
 * Threads: `parallel: n` uses min(n, ⌊L / minRowsPerWorker⌋) parts for L line items (default 500 000 line items
 * per part). `parallel: 'auto'` uses the free cores (`autoThreads`) when the estimated gain pays for the threads:
 * the work W of one thread is bounded below by Σ support × (items that may follow) / 10⁶ ms (the fastest rate
 * measured, on sparse data: the estimate is a lower bound, far below on dense data), and t threads are used when
 * W · (1 − 1/t) exceeds 20 ms with idle threads in the pool; with a cold pool the call runs in-process and the
 * pool starts its threads in the background for the next call, so 'auto' is never slower than one thread.
 *
 * Runs in-process (same result) with `parallel: 1`, below those thresholds, or where worker threads are missing.
 *
 * Cost: one copy of the codes (4 bytes per line item); per thread, the miner's first pass over all baskets (a few
 * per cent of the search on T10I4D100K and retail) plus its classes; on the calling thread, its part, the
 * concatenation and the table (as in one thread).
 *
 * @param input baskets (from `baskets`/`basketsFromLists`) or an array of item lists
 * @param options those of `frequentItemsets`, plus `parallel` (threads, 1–256, or 'auto') and `minRowsPerWorker`
 *   (line items)
 * @throws {ClienteleError} those of `frequentItemsets`; `INVALID_OPTION` for a bad `parallel` or `minRowsPerWorker`
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']];
 * const sets = await frequentItemsets(lists, { minCount: 2, parallel: 2, minRowsPerWorker: 1 });
 * sets.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 */
export async function frequentItemsetsParallel(
  input: unknown,
  options: FrequentItemsetsOptions & FrequentItemsetsParallel,
): Promise<Table> {
  options = knownOptions(options, FREQUENT_ITEMSETS_PARALLEL_OPTION_NAMES, 'frequentItemsets');
  const fn = 'frequentItemsets';
  const { n, auto, analysis, parallel } = splitParallel(options, fn);
  const minLines = checkMinRows(parallel.minRowsPerWorker ?? (auto ? 1 : MIN_LINES_PER_WORKER), fn);
  const resolved = resolveMining(input, analysis, fn);
  const { baskets: b, minCount, maxLength, algorithm, maxItemsets } = resolved;
  const lines = b.offsets[b.count] - b.offsets[0];
  let parts = Math.min(n, Math.max(1, Math.floor(lines / minLines)));
  const inProcess = () => itemsetsResult(MINERS[algorithm](b, minCount, maxLength, undefined, maxItemsets), resolved);
  if (parts <= 1) return inProcess();

  const base = { parts, count: b.count, offsets: b.offsets, items: b.items, width: b.names.length };
  const one = tableFromArrays({ part: Int32Array.of(0) });
  const counted = itemsetPartsAggregate.summarize(one, { ...base, parts: 1, step: 'supports' });
  if (counted.kind !== 'supports') throw new Error('frequentItemsets: the supports step returned itemsets');
  const { cost } = estimateWork(counted.support, minCount, algorithm);
  if (auto) parts = autoParts(parts, cost);
  if (parts <= 1) return inProcess();
  const owner = assignParts(counted.support, minCount, algorithm, parts);
  const mine: ItemsetPartsOptions = {
    ...base,
    parts,
    offsets: shared(b.offsets),
    items: shared(b.items),
    step: 'mine',
    support: counted.support,
    owner,
    minCount,
    maxLength,
    maxItemsets,
    algorithm,
  };
  const mined = await mineParts(mine, parts, fn);
  // each part kept under the guard; together they may not be
  if (mined.counts.length > maxItemsets) throw itemsetLimit(maxItemsets, minCount, maxLength);
  return itemsetsResult(mined as MinedItemsets, resolved);
}

/** One-thread work below which `parallel: 'auto'` never uses a thread, in ms (see {@link autoParts}). */
const AUTO_MIN_GAIN_MS = 20;
/** The fastest rate measured of cost units (support × following items) per ms of one-thread mining. */
const COST_PER_MS = 1e6;

/**
 * The parts `parallel: 'auto'` uses, from at most `parts` free cores: t when the estimated one-thread work W
 * (`cost / COST_PER_MS`, a lower bound) gains more than {@link AUTO_MIN_GAIN_MS} on t threads (W · (1 − 1/t)) and
 * the pool holds t − 1 idle threads; 1 (in-process) otherwise. A cold pool with work that would pay is started
 * in the background (`prestartWorkers`), so that the next call finds it warm and this one is not delayed.
 */
export function autoParts(parts: number, cost: number): number {
  const work = cost / COST_PER_MS;
  let t = parts;
  while (t > 1 && work * (1 - 1 / t) <= AUTO_MIN_GAIN_MS) t--;
  if (t <= 1) return 1;
  if (poolState().idle >= t - 1) return t;
  prestartWorkers(t - 1);
  return 1;
}

/** Parts 1 … parts − 1 on leased threads and part 0 on the calling thread, concatenated in part order. */
async function mineParts(mine: ItemsetPartsOptions, parts: number, fn: string): Promise<MinedItemsets> {
  const own = () => itemsetPartsAggregate.summarize(tableFromArrays({ part: Int32Array.of(0) }), mine);
  // each thread is told its part by the one row of this table that it is sent
  const partTable = tableFromArrays({ part: Int32Array.from({ length: parts - 1 }, (_, p) => p + 1) });
  const session = await openSession(partTable, parts - 1, { minRowsPerWorker: 1 }, fn, fn, 'parallel', 1);
  try {
    const remote = session.summarize<ItemsetPartsPartial>('itemsetParts', mine);
    // the requests are posted once the current microtasks have run: mine part 0 after them
    await new Promise((resolve) => setTimeout(resolve, 0));
    let local: ItemsetPartsPartial;
    try {
      local = own();
    } catch (e) {
      await remote.catch(() => undefined);
      throw e;
    }
    const others = await remote;
    const mined = itemsetPartsAggregate.merge(local, others);
    if (mined.kind !== 'itemsets') throw new Error('frequentItemsets: the mine step returned supports');
    return mined;
  } finally {
    await session.close();
  }
}

/** A copy of `a` in shared memory (every thread reads it in place), or a plain copy where there is none. */
function shared(a: Int32Array): Int32Array {
  if (typeof SharedArrayBuffer !== 'function') return a.slice();
  const copy = new Int32Array(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/**
 * The frequent item codes in the miner's class order (the first item of a class first) and the estimated cost of
 * each class by code: the class of an item is the itemsets it starts in the miner's order — Eclat: ascending
 * support, FP-growth: the least frequent item last (its conditional base holds the more frequent ones), Apriori:
 * ascending code — and its cost is estimated as support × (1 + the frequent items that may follow it). `cost` is
 * their sum.
 */
export function estimateWork(
  support: Int32Array,
  minCount: number,
  algorithm: MinerName,
): { frequent: number[]; classCost: Float64Array; cost: number } {
  const width = support.length;
  const frequent: number[] = [];
  for (let c = 0; c < width; c++) if (support[c] >= minCount) frequent.push(c);
  const f = frequent.length;
  switch (algorithm) {
    case 'eclat':
      frequent.sort((a, b) => support[a] - support[b] || a - b);
      break;
    case 'fpgrowth':
      // reversed FP order (descending support, ties by code): the first item of a class comes first here too
      frequent.sort((a, b) => support[b] - support[a] || a - b).reverse();
      break;
    case 'apriori':
      break;
    default: {
      const never: never = algorithm;
      throw new Error(`estimateWork: unknown algorithm ${String(never)}`);
    }
  }
  const classCost = new Float64Array(width);
  let cost = 0;
  for (let r = 0; r < f; r++) {
    classCost[frequent[r]] = support[frequent[r]] * (f - r);
    cost += classCost[frequent[r]];
  }
  return { frequent, classCost, cost };
}

/**
 * The part that owns each item code (−1 for infrequent items): frequent items by estimated class cost
 * ({@link estimateWork}), largest first, each to the least-loaded part (ties: the lower part).
 */
export function assignParts(support: Int32Array, minCount: number, algorithm: MinerName, parts: number): Int32Array {
  const { frequent, classCost: cost } = estimateWork(support, minCount, algorithm);
  const byCost = [...frequent].sort((a, b) => cost[b] - cost[a] || a - b);
  const owner = new Int32Array(support.length).fill(-1);
  const load = new Float64Array(parts);
  for (const c of byCost) {
    let p = 0;
    for (let q = 1; q < parts; q++) if (load[q] < load[p]) p = q;
    owner[c] = p;
    load[p] += cost[c];
  }
  return owner;
}
