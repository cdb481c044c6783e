/**
 * Apriori's candidate generation (Agrawal & Srikant 1994, §2.1.1 "apriori-gen"): from the frequent (k−1)-itemsets,
 * flat with `width` = k − 1 item numbers each, ascending within an itemset and the itemsets in lexicographic order,
 * the k-itemsets whose every (k−1)-subset is frequent. Join: two itemsets with the same first k − 2 items give
 * their union (the smaller last item first); prune: a union with a (k−1)-subset that is not frequent is dropped
 * (the two subsets that leave out one of the last two items are the joined itemsets themselves).
 *
 * The candidates come out flat, k numbers each, in lexicographic order. `limit` bounds their number: past it the
 * generation stops and returns `undefined` (the caller reports the limit).
 *
 * Cost: O(Σ over prefix blocks of b² · k²) with b the block size, plus a set of the (k−1)-itemsets' keys.
 */
export function aprioriCandidates(frequent: Int32Array, width: number, limit: number): Int32Array | undefined {
  const n = frequent.length / width;
  const k = width + 1;
  const key = (at: ArrayLike<number>, from: number, length: number, skip: number): string => {
    let s = '';
    for (let t = from; t < from + length; t++) if (t !== skip) s += `${at[t]},`;
    return s;
  };
  const known = new Set<string>();
  for (let s = 0; s < n; s++) known.add(key(frequent, s * width, width, -1));
  const out: number[] = [];
  const candidate = new Int32Array(k);
  let count = 0;
  for (let start = 0; start < n;) {
    // the block of itemsets sharing the first k − 2 items
    let end = start + 1;
    while (end < n && samePrefix(frequent, start * width, end * width, width - 1)) end++;
    for (let a = start; a < end; a++) {
      for (let b = a + 1; b < end; b++) {
        for (let t = 0; t < width; t++) candidate[t] = frequent[a * width + t];
        candidate[width] = frequent[b * width + width - 1];
        let keep = true;
        for (let skip = 0; keep && skip < width - 1; skip++) keep = known.has(key(candidate, 0, k, skip));
        if (!keep) continue;
        if (++count > limit) return undefined;
        for (let t = 0; t < k; t++) out.push(candidate[t]);
      }
    }
    start = end;
  }
  return Int32Array.from(out);
}

function samePrefix(at: Int32Array, x: number, y: number, length: number): boolean {
  for (let t = 0; t < length; t++) if (at[x + t] !== at[y + t]) return false;
  return true;
}
