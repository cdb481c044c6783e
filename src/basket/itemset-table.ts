import type { Table } from 'apache-arrow';
import { numberVector, tableWithMetadata } from '../table/internal';
import { canonicalOrder, nameRanks, rankedItemsets, weightedOrder } from './itemset-order';
import { listOfCodes } from './list-vector';
import type { Baskets, MinedItemsets } from './mined';

/** What the itemset table reads of the baskets: their number and the item names (codes index them). */
export type BasketNames = Pick<Baskets, 'count' | 'names'>;

/** Weighted supports of mined itemsets: `sums[s]` is the weight of the baskets holding set s, of `total` in all. */
export interface WeightedSums {
  readonly sums: Float64Array;
  readonly total: number;
  /** The schema metadata a weighted table adds. */
  readonly metadata: Record<string, string>;
}

/**
 * The Arrow table of the kept itemsets, ordered by length, count descending, then names — compared through each
 * item's rank among the sorted names, so no string is built or compared per itemset, and sorted by a radix sort
 * on those integer keys ({@link canonicalOrder}), not by a comparator.
 */
export function itemsetTable(
  mined: MinedItemsets,
  keep: Uint8Array | null,
  b: BasketNames,
  meta: { minCount: number; target: string; algorithm: string },
  weighted?: WeightedSums,
): Table {
  const { offsets, counts } = mined;
  const { rank, code: nameOrder, identity } = nameRanks(b.names);
  const sets = rankedItemsets(mined, rank, identity);
  // with weights: ordered by weight, supports are shares of the weight total
  const order = weighted ? weightedOrder(sets, keep, weighted.sums) : canonicalOrder(sets, keep, b.names.length);
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
    for (let t = offsets[s]; t < offsets[s + 1]; t++) outCodes[at++] = nameOrder[sets.ranks[t]];
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
