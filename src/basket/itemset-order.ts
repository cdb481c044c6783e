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

/** Runs of equal length and count at most this long are sorted by insertion, longer ones by a radix or a comparator. */
const INSERTION_MAX = 12;

/**
 * The canonical row order of an itemset table — by length, count descending, then the items' name ranks compared
 * lexicographically — of the kept sets (`keep[s]` = 1; all when null), without a comparator sort of the whole.
 *
 * Method: a counting sort by length, then, within each length, a stable counting sort on the count (descending;
 * digits of 16 bits) — radix sorting (Knuth, TAOCP vol. 3, §5.2.5). That leaves runs of sets of equal length and
 * count, short on real data, each sorted by its name ranks: by insertion when short, by a least-significant-digit
 * radix sort (stable counting passes on the rank at position L − 1, …, 0) when it is long against the number of
 * names, else by comparison. The keys are total (no two kept sets are equal), so every method gives the one order.
 *
 * Cost: O(kept sets + count range) for the first two keys; the runs O(Σ r·L) by radix or O(r log r · L) by
 * comparison for a run of r sets of L items. Memory: two Int32Arrays of the kept sets and one of the digit range.
 */
export function canonicalOrder(sets: RankedItemsets, keep: Uint8Array | null, names: number): Int32Array {
  const { offsets, counts } = sets;
  const n = counts.length;
  let longest = 0;
  let maxCount = 0;
  let minCount = 2 ** 31 - 1;
  for (let s = 0; s < n; s++) {
    if (keep && !keep[s]) continue;
    const length = offsets[s + 1] - offsets[s];
    if (length > longest) longest = length;
    if (counts[s] > maxCount) maxCount = counts[s];
    if (counts[s] < minCount) minCount = counts[s];
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
  const span = maxCount - minCount + 1;
  const bucket = new Int32Array(Math.max(names, DIGIT_RANGE) + 1);
  for (let length = 0; length <= longest; length++) {
    const begin = groupStart[length];
    const end = groupStart[length + 1];
    if (end - begin < 2) continue;
    // count descending: the key maxCount − count, in one pass when its range fits 16 bits, else low then high half
    if (span <= DIGIT_RANGE) {
      countingPass(order, spare, begin, end, bucket, span, counts, null, maxCount, 0, 0xffff);
      order.set(spare.subarray(begin, end), begin);
    } else {
      countingPass(order, spare, begin, end, bucket, DIGIT_RANGE, counts, null, maxCount, 0, 0xffff);
      countingPass(spare, order, begin, end, bucket, DIGIT_RANGE, counts, null, maxCount, 16, 0xffff);
    }
    for (let run = begin; run < end;) {
      let runEnd = run + 1;
      while (runEnd < end && counts[order[runEnd]] === counts[order[run]]) runEnd++;
      if (runEnd - run > 1) sortRun(order, spare, run, runEnd, length, sets, bucket, names);
      run = runEnd;
    }
  }
  return order;
}

/** Sorts `order[begin … end − 1]` (sets of `length` items and one count) by their name ranks. */
function sortRun(
  order: Int32Array,
  spare: Int32Array,
  begin: number,
  end: number,
  length: number,
  sets: RankedItemsets,
  bucket: Int32Array,
  names: number,
): void {
  const { offsets, ranks } = sets;
  if (end - begin <= INSERTION_MAX) {
    for (let i = begin + 1; i < end; i++) {
      const v = order[i];
      let j = i - 1;
      while (j >= begin && compareRanks(ranks, offsets[order[j]], offsets[v], length) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  } else if (4 * (end - begin) >= names) {
    radixRun(order, spare, begin, end, length, sets, bucket, names, ranksPerDigit(names, 4 * (end - begin)));
  } else {
    order.subarray(begin, end).sort((x, y) => compareRanks(ranks, offsets[x], offsets[y], length));
  }
}

/** The largest radix digit range: 2^16 (a counting array of 256 kB). */
const DIGIT_RANGE = 1 << 16;

/**
 * Ranks packed in one radix digit for a run of about `size` / 4 sets: as many as keep the digit's range
 * (names^k) within `size` and {@link DIGIT_RANGE} — at least one.
 */
function ranksPerDigit(names: number, size: number): number {
  let k = 1;
  while (names ** (k + 1) <= Math.min(size, DIGIT_RANGE)) k++;
  return k;
}

/**
 * A least-significant-digit radix sort of a long run by its name ranks: the run's ranks gathered once into digits
 * of {@link ranksPerDigit} ranks (so the passes read a small local array, not the whole output), then one stable
 * counting pass per digit from the last to the first, over the run's local indices.
 */
function radixRun(
  order: Int32Array,
  spare: Int32Array,
  begin: number,
  end: number,
  length: number,
  sets: RankedItemsets,
  bucket: Int32Array,
  names: number,
  perDigit: number,
): void {
  const { offsets, ranks } = sets;
  const m = end - begin;
  const digits = Math.ceil(length / perDigit);
  const range = names ** perDigit;
  const key = new Int32Array(m * digits);
  for (let g = 0; g < m; g++) {
    const at = offsets[order[begin + g]];
    for (let d = 0; d < digits; d++) {
      let v = 0;
      for (let t = d * perDigit; t < (d + 1) * perDigit; t++) v = v * names + (t < length ? ranks[at + t] : 0);
      key[g * digits + d] = v;
    }
  }
  let from: Int32Array = new Int32Array(m);
  let to: Int32Array = spare.subarray(begin, end);
  for (let g = 0; g < m; g++) from[g] = g;
  for (let d = digits - 1; d >= 0; d--) {
    bucket.fill(0, 0, range + 1);
    for (let i = 0; i < m; i++) bucket[key[from[i] * digits + d] + 1]++;
    for (let k = 0; k < range; k++) bucket[k + 1] += bucket[k];
    for (let i = 0; i < m; i++) {
      const g = from[i];
      to[bucket[key[g * digits + d]]++] = g;
    }
    [from, to] = [to, from];
  }
  // from: the local indices in order; order's run still holds the sets by local index
  for (let i = 0; i < m; i++) to[i] = order[begin + from[i]];
  order.set(to, begin);
}

/** Lexicographic comparison of the `length` ranks from a and from b. */
function compareRanks(ranks: Int32Array, a: number, b: number, length: number): number {
  for (let t = 0; t < length; t++) {
    const d = ranks[a + t] - ranks[b + t];
    if (d !== 0) return d;
  }
  return 0;
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
