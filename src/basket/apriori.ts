import type { Baskets, MinedItemsets, Miner, MiningScope } from './mined';
import { ItemsetCollector, itemSupports } from './mined';

/** The candidates of one level as a prefix tree, stored by depth in compressed sparse rows. */
interface CandidateTrie {
  /** Items per candidate. */
  readonly length: number;
  /** labels[d][node]: the item (rank) of a node at depth d; at depth length − 1, node = candidate index. */
  readonly labels: Int32Array[];
  /** first[d][node] … first[d][node + 1] − 1: the children (at depth d + 1) of a node at depth d, by ascending label. */
  readonly first: Int32Array[];
  /** root[rank]: the depth-0 node of an item, −1 when no candidate starts with it. */
  readonly root: Int32Array;
}

/** Open-addressing hash set of the frequent k-itemsets, keyed on their item sequence (no key objects). */
interface ItemsetSet {
  readonly sets: Int32Array;
  readonly k: number;
  /** Slot → itemset index, −1 when empty; linear probing. */
  readonly slots: Int32Array;
  readonly mask: number;
}

/**
 * Frequent itemsets by Apriori (Agrawal & Srikant 1994): every itemset of 1 … `maxLength` items contained in at
 * least `minCount` baskets, found level by level. The simple reference among the three miners of
 * `frequentItemsets` — use FP-growth or Eclat for speed; Apriori is kept as the textbook method the others are
 * checked against.
 *
 * Method (Agrawal & Srikant 1994, §2.1, Fig. 1). Level 1 counts items; only frequent items are kept, recoded to
 * dense ranks in ascending code order. From the frequent k-itemsets L_k (flat, sorted lexicographically)
 * `apriori-gen` forms the candidates C_{k+1}: every pair of members of L_k sharing their first k − 1 items (a
 * contiguous block of the sorted list) is joined, and a candidate is pruned when one of its other k − 1 k-subsets is
 * not in L_k — looked up in an open-addressing hash set keyed on the item sequence, hashed and compared in place
 * (no per-candidate keys or arrays). C_{k+1} comes out sorted, so it becomes a prefix tree (trie) in CSR form for
 * free. Before counting, baskets are trimmed to the items of some candidate and dropped when shorter than k + 1
 * (in place). The counting is one pass over the baskets per level: for each basket, a depth-first walk of the trie
 * matches node children against the rest of the basket — by lookup of the children's items in a basket position
 * table when there are fewer children than remaining items, otherwise by binary search of the basket's items among
 * the children — and increments the count of every candidate leaf reached (each candidate contained in the basket
 * exactly once). The level ends with L_{k+1} = candidates with count ≥ minCount.
 *
 * Conventions: minCount is rounded up and at least 1; empty baskets count as baskets but contain nothing.
 *
 * Parts (threads): with a `scope`, only itemsets whose first (lowest-code) item is owned are generated — joins
 * keep the first item, so every level descends from owned items — and the prune step skips the one subset that
 * drops the first item (it may belong to another part): a few more candidates are counted, none is missed.
 *
 * Cost per level: candidate generation O(Σ_blocks b² · k) plus k − 1 hash probes of O(k) per candidate; counting
 * O(Σ_baskets of trie nodes whose prefix the basket contains × log(children)) — at most C(|t|, k + 1) leaves per
 * basket t, far fewer in practice. Memory: L_k, C_{k+1} and its trie (O(k · |C_{k+1}|) ints) and a trimmed copy of
 * the baskets. Level 2 has all F(F − 1)/2 pairs of the F frequent items as candidates — Apriori's known weak spot at
 * low support (FP-growth and Eclat never materialise them).
 *
 * Reference: R. Agrawal & R. Srikant (1994), "Fast algorithms for mining association rules", VLDB, 487–499, §2.1
 * (algorithm Apriori, apriori-gen join and prune steps).
 *
 * @param baskets item codes per basket (CSR, ascending distinct codes)
 * @param minCount smallest number of baskets (≥ 1)
 * @param maxLength longest itemset (≥ 1; Infinity allowed)
 * @example
 * const sets = frequentItemsets([['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']], { minCount: 2, algorithm: 'apriori' });
 * sets.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 */
export const apriori: Miner = (
  baskets: Baskets,
  minCount: number,
  maxLength: number,
  scope?: MiningScope,
  maxItemsets = Infinity,
): MinedItemsets => {
  const out = new ItemsetCollector(maxItemsets, minCount, maxLength);
  const threshold = Math.max(1, Math.ceil(minCount));
  const { offsets, items, count } = baskets;
  if (!(maxLength >= 1) || count === 0) return out.result();
  const begin = offsets[0];
  const end = offsets[count];

  // L_1
  const support = scope?.support ?? itemSupports(baskets);
  const width = support.length;
  let frequent = 0;
  for (let c = 0; c < width; c++) if (support[c] >= threshold) frequent++;
  const codeOf = new Int32Array(frequent);
  const rank = new Int32Array(width).fill(-1);
  for (let c = 0, r = 0; c < width; c++) {
    if (support[c] < threshold) continue;
    codeOf[r] = c;
    rank[c] = r++;
  }
  const longest = Math.min(Math.floor(maxLength), frequent);
  const scratch = new Int32Array(Math.max(1, longest));
  const ownedRank = scope ? Uint8Array.from(codeOf, (c) => scope.owned[c]) : null;
  for (let r = 0; r < frequent; r++) {
    if (ownedRank && !ownedRank[r]) continue;
    scratch[0] = codeOf[r];
    out.add(scratch, 1, support[codeOf[r]]);
  }
  if (longest < 2) return out.result();

  // baskets recoded to ranks of frequent items (ascending, as codes were); baskets of < 2 of them dropped
  const recoded = new Int32Array(end - begin);
  const starts = new Int32Array(count + 1);
  let basketsKept = 0;
  let at = 0;
  for (let b = 0; b < count; b++) {
    const from = at;
    for (let p = offsets[b]; p < offsets[b + 1]; p++) {
      const r = rank[items[p]];
      if (r >= 0) recoded[at++] = r;
    }
    if (at - from < 2) at = from;
    else starts[++basketsKept] = at;
  }

  const where = new Int32Array(frequent).fill(-1);
  let level = new Int32Array(frequent);
  for (let r = 0; r < frequent; r++) level[r] = r;
  let size = frequent;
  // a (k + 1)-itemset has k + 1 frequent k-subsets, but only k of them share its first item (the rest may be in another part)
  for (let k = 1; k < longest && size > (ownedRank ? 1 : k); k++) {
    const m = k + 1;
    const candidates = aprioriGen(level, size, k, ownedRank);
    const n = candidates.length / m;
    if (n === 0) break;
    basketsKept = trimBaskets(recoded, starts, basketsKept, candidates, frequent, m);
    const counts = countCandidates(buildTrie(candidates, n, m, frequent), n, recoded, starts, basketsKept, where);

    let next = 0;
    for (let c = 0; c < n; c++) if (counts[c] >= threshold) next++;
    const nextLevel = new Int32Array(next * m);
    for (let c = 0, s = 0; c < n; c++) {
      if (counts[c] < threshold) continue;
      for (let t = 0; t < m; t++) {
        const r = candidates[c * m + t];
        nextLevel[s * m + t] = r;
        scratch[t] = codeOf[r];
      }
      out.add(scratch, m, counts[c]);
      s++;
    }
    level = nextLevel;
    size = next;
  }
  return out.result();
};

/**
 * apriori-gen: C_{k+1} from L_k (`size` sorted k-itemsets, flat). Joins members with a common (k − 1)-prefix and
 * keeps a join when its k-subsets without item 0 … k − 2 are all in L_k. Result flat and sorted. With `ownedRank`
 * (a part of the search), only joins whose first item is owned, and the subset without item 0 is not checked.
 */
function aprioriGen(level: Int32Array, size: number, k: number, ownedRank: Uint8Array | null): Int32Array {
  const m = k + 1;
  const known = k >= 2 ? buildSet(level, size, k) : null;
  let out = new Int32Array(Math.max(16, size * m));
  let n = 0;
  for (let blockStart = 0; blockStart < size;) {
    let blockEnd = blockStart + 1;
    while (blockEnd < size && samePrefix(level, blockStart, blockEnd, k)) blockEnd++;
    for (let a = blockStart; a < blockEnd - 1; a++) {
      if (ownedRank && !ownedRank[level[a * k]]) continue;
      for (let b = a + 1; b < blockEnd; b++) {
        if ((n + 1) * m > out.length) {
          const bigger = new Int32Array(2 * out.length);
          bigger.set(out);
          out = bigger;
        }
        const o = n * m;
        for (let t = 0; t < k; t++) out[o + t] = level[a * k + t];
        out[o + k] = level[b * k + k - 1];
        let keep = true;
        if (known) {
          for (let skip = ownedRank ? 1 : 0; skip < k - 1 && keep; skip++) keep = contains(known, out, o, m, skip);
        }
        if (keep) n++;
      }
    }
    blockStart = blockEnd;
  }
  return out.slice(0, n * m);
}

/** True when k-itemsets a and b of `level` share their first k − 1 items. */
function samePrefix(level: Int32Array, a: number, b: number, k: number): boolean {
  for (let t = 0; t < k - 1; t++) if (level[a * k + t] !== level[b * k + t]) return false;
  return true;
}

/** Hash of `buf[off … off + m − 1]` without position `skip` (FNV-1a over the ints, then a final avalanche). */
function hashOf(buf: Int32Array, off: number, m: number, skip: number): number {
  let h = 0x811c9dc5;
  for (let t = 0; t < m; t++) {
    if (t === skip) continue;
    h = Math.imul(h ^ buf[off + t], 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

function buildSet(sets: Int32Array, size: number, k: number): ItemsetSet {
  let capacity = 16;
  while (capacity < 2 * size) capacity *= 2;
  const slots = new Int32Array(capacity).fill(-1);
  const mask = capacity - 1;
  for (let s = 0; s < size; s++) {
    let slot = hashOf(sets, s * k, k, -1) & mask;
    while (slots[slot] >= 0) slot = (slot + 1) & mask;
    slots[slot] = s;
  }
  return { sets, k, slots, mask };
}

/** Whether `buf[off … off + m − 1]` without position `skip` (a k-itemset, k = m − 1) is in the set. */
function contains(set: ItemsetSet, buf: Int32Array, off: number, m: number, skip: number): boolean {
  const { sets, k, slots, mask } = set;
  let slot = hashOf(buf, off, m, skip) & mask;
  for (;;) {
    const s = slots[slot];
    if (s < 0) return false;
    let same = true;
    for (let t = 0, u = 0; t < m && same; t++) {
      if (t === skip) continue;
      same = sets[s * k + u++] === buf[off + t];
    }
    if (same) return true;
    slot = (slot + 1) & mask;
  }
}

/**
 * Keeps, in place, only the items that occur in some candidate and the baskets left with ≥ m items; returns the
 * number of baskets kept. (An item in no candidate cannot be in a frequent (k + 1)-itemset.)
 */
function trimBaskets(
  items: Int32Array,
  starts: Int32Array,
  n: number,
  candidates: Int32Array,
  width: number,
  m: number,
): number {
  const used = new Uint8Array(width);
  for (let t = 0; t < candidates.length; t++) used[candidates[t]] = 1;
  let kept = 0;
  let at = 0;
  let from = starts[0];
  for (let b = 0; b < n; b++) {
    const to = starts[b + 1]; // read before starts[kept + 1] (kept ≤ b) is overwritten
    const first = at;
    for (let p = from; p < to; p++) if (used[items[p]]) items[at++] = items[p];
    if (at - first < m) at = first;
    else starts[++kept] = at;
    from = to;
  }
  starts[0] = 0;
  return kept;
}

/** The prefix tree of `n` sorted candidates of m items (nodes by depth, children contiguous and by label). */
function buildTrie(candidates: Int32Array, n: number, m: number, width: number): CandidateTrie {
  const labels: Int32Array[] = [];
  const first: Int32Array[] = [];
  for (let d = 0; d < m; d++) {
    labels.push(new Int32Array(n));
    if (d < m - 1) first.push(new Int32Array(n + 1));
  }
  const nodes = new Int32Array(m);
  for (let c = 0; c < n; c++) {
    // depth of the first item where candidate c differs from c − 1: a new node from there down
    let from = 0;
    if (c > 0) while (candidates[c * m + from] === candidates[(c - 1) * m + from]) from++;
    for (let d = from; d < m; d++) {
      const node = nodes[d]++;
      labels[d][node] = candidates[c * m + d];
      if (d < m - 1) first[d][node] = nodes[d + 1];
    }
  }
  for (let d = 0; d < m - 1; d++) first[d][nodes[d]] = nodes[d + 1];
  const root = new Int32Array(width).fill(-1);
  for (let node = 0; node < nodes[0]; node++) root[labels[0][node]] = node;
  return { length: m, labels, first, root };
}

/** Count of every candidate (trie leaf) over the baskets: one pass, a trie walk per basket. */
function countCandidates(
  trie: CandidateTrie,
  n: number,
  items: Int32Array,
  starts: Int32Array,
  baskets: number,
  where: Int32Array,
): Int32Array {
  const counts = new Int32Array(n);
  const tail = trie.length - 1; // items that must follow the first one
  for (let b = 0; b < baskets; b++) {
    const from = starts[b];
    const to = starts[b + 1];
    for (let p = from; p < to; p++) where[items[p]] = p;
    for (let p = from; p < to - tail; p++) {
      const node = trie.root[items[p]];
      if (node >= 0) countBelow(trie, counts, items, where, 1, node, p + 1, to);
    }
    for (let p = from; p < to; p++) where[items[p]] = -1;
  }
  return counts;
}

/**
 * Matches the children (depth `depth`) of a matched node against the basket items at positions p … end − 1 and
 * recurses; at the leaf depth, counts. Children are found by position lookup (`where`) when they are fewer than the
 * usable items, else by binary search of each item among them. Loops duplicated per depth kind: no test inside.
 */
function countBelow(
  trie: CandidateTrie,
  counts: Int32Array,
  items: Int32Array,
  where: Int32Array,
  depth: number,
  node: number,
  p: number,
  end: number,
): void {
  const labels = trie.labels[depth];
  const parentFirst = trie.first[depth - 1];
  let lo = parentFirst[node];
  const hi = parentFirst[node + 1];
  const room = end - (trie.length - 1 - depth); // a child at position q needs the deeper items after it: q < room
  if (room <= p) return;
  const leaf = depth === trie.length - 1;
  if (hi - lo <= room - p) {
    if (leaf) {
      for (let c = lo; c < hi; c++) {
        const q = where[labels[c]];
        if (q >= p && q < room) counts[c]++;
      }
    } else {
      for (let c = lo; c < hi; c++) {
        const q = where[labels[c]];
        if (q >= p && q < room) countBelow(trie, counts, items, where, depth + 1, c, q + 1, end);
      }
    }
    return;
  }
  for (let q = p; q < room && lo < hi; q++) {
    const item = items[q];
    // first child with label ≥ item
    let l = lo;
    let h = hi;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (labels[mid] < item) l = mid + 1;
      else h = mid;
    }
    if (l < hi && labels[l] === item) {
      if (leaf) counts[l]++;
      else countBelow(trie, counts, items, where, depth + 1, l, q + 1, end);
      lo = l + 1;
    } else lo = l;
  }
}
