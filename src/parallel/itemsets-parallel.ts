import { tableFromArrays } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import {
  itemsetLimit,
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
import { checkMinRows } from './options';
import { splitParallel } from './options';
import { knownOptions, PARALLEL_OPTION_NAMES } from '../table/internal';

/** Default line items (Σ basket sizes) per thread: below 2 × this, the baskets are mined in-process. */
const MIN_LINES_PER_WORKER = 500_000;

/** The options it takes; every other name is refused with a did-you-mean. */
const FREQUENT_ITEMSETS_PARALLEL_OPTION_NAMES = [...FREQUENT_ITEMSETS_OPTION_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * `frequentItemsets` on `parallel` worker threads: the same table — rows, order, types, metadata — as
 * `frequentItemsets(input, options)`, with the item counting and the search on the threads.
 * `frequentItemsets(input, { parallel: n })` calls it.
 *
 * 1. The baskets' item codes and offsets (arrays clientele built) are copied once into `SharedArrayBuffer`s that
 *    every thread reads in place; the caller's arrays are never transferred or changed.
 * 2. Step `supports`: thread p counts the items of the p-th contiguous share of the baskets; the integer counts are
 *    added on the calling thread (exact).
 * 3. The frequent items are assigned to the threads, largest estimated class first, each to the least-loaded
 *    thread (LPT). A class is the set of itemsets whose first item in the miner's order is that item; its cost is
 *    estimated as support × (1 + the number of frequent items that may follow it in that order).
 * 4. Step `mine`: each thread runs the miner on all baskets, restricted to its items' classes (`MiningScope`).
 * 5. The parts are concatenated and the table built as in one thread (closed/maximal filter, canonical order).
 *
 * Runs in-process (same result) with `parallel: 1`, when the baskets have fewer than 2 × `minRowsPerWorker`
 * line items (default 500 000: a thread costs 0.3–0.6 s to start, runs the miner cold and repeats its first pass), or where
 * worker threads are missing.
 *
 * Cost: one copy of the codes (4 bytes per line item); per thread, the miner's first pass over all baskets plus its
 * classes; on the calling thread, the concatenation and the table (as in one thread).
 *
 * @param input baskets (from `baskets`/`basketsFromLists`) or an array of item lists
 * @param options those of `frequentItemsets`, plus `parallel` (threads, 1–256) and `minRowsPerWorker` (line items)
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
  const { n, analysis, parallel } = splitParallel(options, fn);
  const minLines = checkMinRows(parallel.minRowsPerWorker ?? MIN_LINES_PER_WORKER, fn);
  const resolved = resolveMining(input, analysis, fn);
  const { baskets: b, minCount, maxLength, algorithm, maxItemsets } = resolved;
  const lines = b.offsets[b.count] - b.offsets[0];
  const parts = Math.min(n, Math.max(1, Math.floor(lines / minLines)));
  if (parts <= 1) return itemsetsResult(MINERS[algorithm](b, minCount, maxLength, undefined, maxItemsets), resolved);

  const base = { parts, count: b.count, offsets: shared(b.offsets), items: shared(b.items), width: b.names.length };
  // each thread is told its part by the one row of this table that it is sent
  const partTable = tableFromArrays({ part: Int32Array.from({ length: parts }, (_, p) => p) });
  const session = await openSession(partTable, parts, { minRowsPerWorker: 1 }, fn, fn, 'parallel');
  try {
    const supports: ItemsetPartsOptions = { ...base, step: 'supports' };
    const counted = await session.summarize<ItemsetPartsPartial>('itemsetParts', supports);
    if (counted.kind !== 'supports') throw new Error('frequentItemsets: the supports step returned itemsets');
    const owner = assignParts(counted.support, minCount, algorithm, parts);
    const mine: ItemsetPartsOptions = {
      ...base,
      step: 'mine',
      support: counted.support,
      owner,
      minCount,
      maxLength,
      maxItemsets,
      algorithm,
    };
    const mined = await session.summarize<ItemsetPartsPartial>('itemsetParts', mine);
    if (mined.kind !== 'itemsets') throw new Error('frequentItemsets: the mine step returned supports');
    // each part kept under the guard; together they may not be
    if (mined.counts.length > maxItemsets) throw itemsetLimit(maxItemsets, minCount, maxLength);
    return itemsetsResult(mined as MinedItemsets, resolved);
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
 * The part that owns each item code (−1 for infrequent items): frequent items by estimated class cost, largest
 * first, each to the least-loaded part (ties: the lower part). The class of an item is the itemsets it starts in
 * the miner's order — Eclat: ascending support, FP-growth: the least frequent item last (its conditional base
 * holds the more frequent ones), Apriori: ascending code — and its cost is estimated as support × (1 + the
 * frequent items that may follow it).
 */
export function assignParts(support: Int32Array, minCount: number, algorithm: MinerName, parts: number): Int32Array {
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
      throw new Error(`assignParts: unknown algorithm ${String(never)}`);
    }
  }
  const cost = new Float64Array(width);
  for (let r = 0; r < f; r++) cost[frequent[r]] = support[frequent[r]] * (f - r);
  const byCost = [...frequent].sort((a, b) => cost[b] - cost[a] || a - b);
  const owner = new Int32Array(width).fill(-1);
  const load = new Float64Array(parts);
  for (const c of byCost) {
    let p = 0;
    for (let q = 1; q < parts; q++) if (load[q] < load[p]) p = q;
    owner[c] = p;
    load[p] += cost[c];
  }
  return owner;
}
