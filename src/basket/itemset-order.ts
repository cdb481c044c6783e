import type { MinedItemsets } from './mined';

/** Itemsets with their items as name ranks: set s holds `ranks[offsets[s] … offsets[s + 1] − 1]`, ascending. */
export interface RankedItemsets {
  readonly offsets: Int32Array;
  readonly ranks: Int32Array;
  readonly counts: Int32Array;
}

/**
 * Each item code's rank among the names in JS string order (UTF-16 code units), and the code of each rank.
 * `identity` when code order is already name order (the itemsets' codes then need no re-sorting).
 */
export function nameRanks(names: readonly string[]): { rank: Int32Array; code: Int32Array; identity: boolean } {
  const code = Int32Array.from(names, (_, c) => c).sort((x, y) =>
    names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0,
  );
  const rank = new Int32Array(names.length);
  let identity = true;
  for (let r = 0; r < code.length; r++) {
    rank[code[r]] = r;
    if (code[r] !== r) identity = false;
  }
  return { rank, code, identity };
}

/**
 * The mined itemsets with each code replaced by its name rank and every set's ranks sorted ascending (insertion
 * sort in place: itemsets are short). The codes themselves when code order is name order.
 */
export function rankedItemsets(mined: MinedItemsets, rank: Int32Array, identity: boolean): RankedItemsets {
  const { offsets, codes, counts } = mined;
  if (identity) return { offsets, ranks: codes, counts };
  const ranks = new Int32Array(codes.length);
  for (let t = 0; t < codes.length; t++) ranks[t] = rank[codes[t]];
  const sets = counts.length;
  for (let s = 0; s < sets; s++) {
    const begin = offsets[s];
    const end = offsets[s + 1];
    for (let a = begin + 1; a < end; a++) {
      const v = ranks[a];
      let b = a - 1;
      while (b >= begin && ranks[b] > v) {
        ranks[b + 1] = ranks[b];
        b--;
      }
      ranks[b + 1] = v;
    }
  }
  return { offsets, ranks, counts };
}

/** Groups smaller than this share of the digit range are sorted by comparison (a counting pass would cost more). */
const COUNTING_MIN_SHARE = 0.25;

/**
 * The canonical row order of an itemset table — by length, count descending, then the items' name ranks compared
 * lexicographically — of the kept sets (`keep[s]` = 1; all when null), without a comparator sort of the whole.
 *
 * Method: a counting sort by length splits the sets into groups of equal length L; each group is then sorted by a
 * least-significant-digit radix sort (Knuth, TAOCP vol. 3, §5.2.5): stable counting passes on the name rank at
 * position L − 1, …, 0, then on the count (descending; digits of 16 bits). A stable pass keeps the order of the
 * earlier (less significant) keys among equal keys, so the group ends in the order of the full key. A group much
 * smaller than the range of its digits is sorted by comparison instead (same order: the keys are total).
 *
 * Cost: O(Σ (|s| + 2)) scatter steps over the kept sets plus O(range) per counting pass; memory three Int32Arrays
 * of the kept sets and one of the digit range.
 */
export function canonicalOrder(sets: RankedItemsets, keep: Uint8Array | null, names: number): Int32Array {
  const { offsets, ranks, counts } = sets;
  const n = counts.length;
  let longest = 0;
  let maxCount = 0;
  for (let s = 0; s < n; s++) {
    if (keep && !keep[s]) continue;
    const length = offsets[s + 1] - offsets[s];
    if (length > longest) longest = length;
    if (counts[s] > maxCount) maxCount = counts[s];
  }
  // counting sort by length
  const groupStart = new Int32Array(longest + 2);
  for (let s = 0; s < n; s++) if (!keep || keep[s]) groupStart[offsets[s + 1] - offsets[s] + 1]++;
  for (let l = 0; l <= longest; l++) groupStart[l + 1] += groupStart[l];
  const kept = groupStart[longest + 1];
  const order = new Int32Array(kept);
  const fill = groupStart.slice(0, longest + 1);
  for (let s = 0; s < n; s++) if (!keep || keep[s]) order[fill[offsets[s + 1] - offsets[s]]++] = s;
  const spare = new Int32Array(kept);
  const bucket = new Int32Array(Math.max(names, 1 << 16) + 1);
  for (let length = 0; length <= longest; length++) {
    const begin = groupStart[length];
    const end = groupStart[length + 1];
    if (end - begin < 2) continue;
    if (end - begin < COUNTING_MIN_SHARE * Math.min(names, 1 << 16)) {
      sortByComparison(order, begin, end, sets);
      continue;
    }
    // passes alternate between the two arrays; the group ends back in `order`
    let from = order;
    let to = spare;
    for (let t = length - 1; t >= 0; t--) {
      countingPass(from, to, begin, end, bucket, names, ranks, offsets, t, 0, -1);
      [from, to] = [to, from];
    }
    // count descending: key maxCount − count, low 16 bits then high
    for (let shift = 0; shift === 0 || maxCount >= 2 ** shift; shift += 16) {
      countingPass(from, to, begin, end, bucket, 1 << 16, counts, null, maxCount, shift, 0xffff);
      [from, to] = [to, from];
    }
    if (from !== order) order.set(from.subarray(begin, end), begin);
  }
  return order;
}

/**
 * One stable counting pass over `from[begin … end − 1]` into `to`: the key of set s is `values[offsets[s] + at]`
 * (a name rank; mask −1) or, without offsets, `((at − values[s]) >> shift) & mask` (count descending).
 */
function countingPass(
  from: Int32Array,
  to: Int32Array,
  begin: number,
  end: number,
  bucket: Int32Array,
  range: number,
  values: Int32Array,
  offsets: Int32Array | null,
  at: number,
  shift: number,
  mask: number,
): void {
  bucket.fill(0, 0, range + 1);
  if (offsets) {
    for (let i = begin; i < end; i++) bucket[values[offsets[from[i]] + at] + 1]++;
  } else {
    for (let i = begin; i < end; i++) bucket[(((at - values[from[i]]) >> shift) & mask) + 1]++;
  }
  bucket[0] = begin;
  for (let k = 0; k < range; k++) bucket[k + 1] += bucket[k];
  if (offsets) {
    for (let i = begin; i < end; i++) {
      const s = from[i];
      to[bucket[values[offsets[s] + at]]++] = s;
    }
  } else {
    for (let i = begin; i < end; i++) {
      const s = from[i];
      to[bucket[((at - values[s]) >> shift) & mask]++] = s;
    }
  }
}

/** Sorts `order[begin … end − 1]` (sets of one length) by count descending, then ranks: a small group. */
function sortByComparison(order: Int32Array, begin: number, end: number, sets: RankedItemsets): void {
  const { offsets, ranks, counts } = sets;
  const group = order.subarray(begin, end);
  group.sort((x, y) => {
    if (counts[x] !== counts[y]) return counts[y] - counts[x];
    for (let a = offsets[x], b = offsets[y], e = offsets[x + 1]; a < e; a++, b++) {
      if (ranks[a] !== ranks[b]) return ranks[a] - ranks[b];
    }
    return 0;
  });
}

/**
 * The row order of a weighted itemset table: by length, weight descending, then name ranks (a comparator sort: the
 * weights are doubles; weighted tables are small).
 */
export function weightedOrder(sets: RankedItemsets, keep: Uint8Array | null, sums: Float64Array): Int32Array {
  const { offsets, ranks } = sets;
  const order: number[] = [];
  for (let s = 0; s < sums.length; s++) if (!keep || keep[s]) order.push(s);
  order.sort((x, y) => {
    const lx = offsets[x + 1] - offsets[x];
    const ly = offsets[y + 1] - offsets[y];
    if (lx !== ly) return lx - ly;
    if (sums[x] !== sums[y]) return sums[y] - sums[x];
    for (let a = offsets[x], b = offsets[y], e = offsets[x + 1]; a < e; a++, b++) {
      if (ranks[a] !== ranks[b]) return ranks[a] - ranks[b];
    }
    return 0;
  });
  return Int32Array.from(order);
}
