import type { Table } from 'apache-arrow';
import { numberVector, tableWithMetadata } from '../table/internal';
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
 * item's rank among the sorted names, so no string is built or compared per itemset.
 */
export function itemsetTable(
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
