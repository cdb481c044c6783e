import { randomWords, ClosedRepository } from './closed-repository';
import { differenceSize, intersectionSize, listHash, writeDifference, writeIntersection } from './tid-lists';
import { MaximalRepository } from './maximal-repository';
import type { Baskets, MinedItemsets } from './mined';
import { itemSupports } from './mined';

/**
 * One class of the depth-first search: the nodes P ∪ {x} sharing a prefix P, each with its tid-list (or diffset)
 * and the hash of its tid-list. Allocated once per depth and reused by every class met at that depth.
 */
interface NodeClass {
  size: number;
  /** False: member lists are tid-lists t(Px); true: diffsets t(P) \ t(Px) (Zaki & Gouda 2003). */
  diff: boolean;
  /** The rank of each member's last item x. */
  readonly item: Int32Array;
  readonly support: Int32Array;
  /** h(t(Px)): Σ of the basket words of its tid-list, modulo 2³². */
  readonly hash: Int32Array;
  /** Index of the sibling the member was joined with in the parent class. */
  readonly sibling: Int32Array;
  /** Member m's list is `buffer[start[m] … start[m + 1] − 1]`. */
  readonly start: Int32Array;
  buffer: Int32Array;
  /** slot[r]: the member index of the item of rank r, −1 when it is not a member (class members ascend by rank). */
  readonly slot: Int32Array;
}

/** The state of one run, shared by the recursion. */
interface Search {
  readonly classes: NodeClass[];
  /** The ranks of the current node's items, path[0 … depth], and the same as marks by rank. */
  readonly path: Int32Array;
  readonly onPath: Uint8Array;
  /** The perfect extensions of the current node and its ancestors, ext[0 … extTop − 1] (ranks). */
  readonly ext: Int32Array;
  extTop: number;
  /** Scratch: the current node's whole set (path and extensions), for the maximal look-ahead. */
  readonly whole: Int32Array;
  readonly threshold: number;
  readonly capacity: number;
  readonly closed: ClosedRepository;
  readonly maximal: MaximalRepository | null;
  /** The baskets reduced to the searched items: basket b holds the ranks `ranks[offsets[b] … offsets[b + 1] − 1]`, ascending. */
  readonly offsets: Int32Array;
  readonly ranks: Int32Array;
  /** counts[j]: σ(X ∪ {y_j}) for the later siblings j of the node being counted (or a write cursor); zero between. */
  readonly counts: Int32Array;
  /** seen[j] = stamp: sibling j is in the basket being read (diffsets delivered from the baskets). */
  readonly seen: Int32Array;
  stamp: number;
  /** One random word per basket id: the terms of the tid-list hash. */
  readonly words: Int32Array;
}

/**
 * Closed or maximal frequent itemsets found directly, without mining every frequent itemset: the miner behind
 * `frequentItemsets(…, { target: 'closed' | 'maximal' })` (Eclat, no maxLength). Closed: no superset has the same
 * count; maximal: no superset is frequent.
 *
 * Method: the Eclat search of src/basket/eclat.ts (items by ascending support; depth first over classes of
 * tid-lists, diffsets where shorter; pairs counted from the baskets) where each node X = P ∪ {x} is handled as
 * follows (Borgelt's closed/maximal Eclat; Zaki & Hsiao's CHARM properties):
 * 1. Closed-set pruning: if a closed set D with t(D) = t(X) was found before, X and its whole subtree are skipped.
 *    Every set below X has a tid-list inside t(X) ⊆ t(j) for the item j ∈ D \ X, which the subtree never adds,
 *    so none is closed (nor maximal). The look-up is the ClosedRepository's (σ, tid-list hash) table.
 * 2. Perfect extensions: the later siblings y with σ(X ∪ {y}) = σ(X) are in every closed superset of X below; they
 *    leave the class and join the node's set C = X ∪ E (E: the perfect extensions of X and its ancestors).
 * 3. C is closed: its closure adds no item of X's tail (those are in E) and no earlier item j (step 1 would have
 *    found the closure, which the forward order visits first: it lies in an earlier sibling's subtree). Stored.
 * 4. Maximal (target 'maximal'): C is maximal iff no frequent child is left and no maximal set found before
 *    contains C (a frequent superset needs an earlier item, whose maximal sets come first). A node whose
 *    C ∪ tail lies inside a found maximal set is not descended (MAFIA's HUTMFI look-ahead).
 * Both searches store each closed set once (the nodes cover the closed sets one to one).
 *
 * Conventions: minCount rounded up, at least 1; the items in every basket are the perfect extensions of ∅, in
 * every set (and alone a closed set). `maxItemsets` bounds the closed sets stored (the search's whole output for
 * 'closed'; its visited closed sets for 'maximal').
 *
 * Cost: about the all-itemsets Eclat run over the closed sets' nodes and their children: O(|list(Px)| + |list(Py)|)
 * per joined pair, O(1) per repository look-up; maximal: O(|C| · M / 32) per look-ahead with M maximal sets.
 *
 * Reference: C. Borgelt (2003), "Efficient implementations of Apriori and Eclat", FIMI'03 (perfect extensions,
 * closed/maximal filtering with a repository); M. J. Zaki & C.-J. Hsiao (2002), "CHARM", SDM (tidset hash);
 * T. Uno, M. Kiyomi & H. Arimura (2004), "LCM ver. 2", FIMI'04 (closure by prefix order); D. Burdick et al.
 * (2001), "MAFIA", ICDE (look-ahead).
 *
 * @param baskets item codes per basket (CSR, ascending distinct codes)
 * @param minCount smallest number of baskets (≥ 1)
 * @param target 'closed' or 'maximal'
 * @param maxItemsets most closed sets stored before `LIMIT_EXCEEDED`
 */
export function closedItemsets(
  baskets: Baskets,
  minCount: number,
  target: 'closed' | 'maximal',
  maxItemsets = Infinity,
): MinedItemsets {
  const threshold = Math.max(1, Math.ceil(minCount));
  const closed = new ClosedRepository(maxItemsets, threshold);
  const { count } = baskets;
  const support = itemSupports(baskets);
  const width = support.length;
  let frequent = 0;
  for (let c = 0; c < width; c++) if (support[c] >= threshold) frequent++;
  if (count === 0 || frequent === 0) return closed.result(new Int32Array(0));
  const order = new Int32Array(frequent);
  for (let c = 0, r = 0; c < width; c++) if (support[c] >= threshold) order[r++] = c;
  order.sort((a, b) => support[a] - support[b] || a - b);
  // the items in every basket come last: perfect extensions of ∅, out of the search
  let members = frequent;
  while (members > 0 && support[order[members - 1]] === count) members--;
  const rank = new Int32Array(width).fill(-1);
  for (let r = 0; r < members; r++) rank[order[r]] = r;
  const words = randomWords(count);
  const root = verticalLayout(baskets, order, members, support, rank, words);
  const reduced = horizontalLayout(root, count);
  const search: Search = {
    classes: [root],
    path: new Int32Array(frequent),
    onPath: new Uint8Array(frequent),
    ext: new Int32Array(frequent),
    extTop: 0,
    whole: new Int32Array(frequent),
    threshold,
    capacity: members,
    closed,
    maximal: target === 'maximal' ? new MaximalRepository(frequent) : null,
    offsets: reduced.offsets,
    ranks: reduced.ranks,
    counts: new Int32Array(members),
    seen: new Int32Array(members),
    stamp: 0,
    words,
  };
  for (let r = members; r < frequent; r++) search.ext[search.extTop++] = r;
  if (search.extTop > 0) {
    closed.add(search.path, 0, search.ext, search.extTop, count, allWords(words));
    if (members === 0) search.maximal?.add(search.path, 0, search.ext, search.extTop, count);
  }
  if (members > 0) mineClass(search, 0);
  return search.maximal ? search.maximal.result(order) : closed.result(order);
}

/** Σ of all basket words modulo 2³²: the hash of the tid-list of every basket. */
function allWords(words: Int32Array): number {
  let h = 0;
  for (let b = 0; b < words.length; b++) h = (h + words[b]) | 0;
  return h;
}

/** The root class: the tid-list of each searched item (rank r < members), read from the baskets in order. */
function verticalLayout(
  baskets: Baskets,
  order: Int32Array,
  members: number,
  support: Int32Array,
  rank: Int32Array,
  words: Int32Array,
): NodeClass {
  const root = newClass(members, 0);
  for (let r = 0; r < members; r++) {
    root.item[r] = r;
    root.support[r] = support[order[r]];
    root.start[r + 1] = root.start[r] + support[order[r]];
  }
  root.size = members;
  for (let r = 0; r < members; r++) root.slot[r] = r;
  root.buffer = new Int32Array(root.start[members]);
  const fill = root.start.slice(0, members);
  const { offsets, items, count } = baskets;
  for (let b = 0; b < count; b++) {
    for (let p = offsets[b]; p < offsets[b + 1]; p++) {
      const r = rank[items[p]];
      if (r >= 0) root.buffer[fill[r]++] = b;
    }
  }
  for (let r = 0; r < members; r++) root.hash[r] = listHash(root.buffer, root.start[r], root.start[r + 1], words);
  return root;
}

/** The baskets as ascending ranks of the searched items, read back from the root tid-lists (a counting sort). */
function horizontalLayout(root: NodeClass, count: number): { offsets: Int32Array; ranks: Int32Array } {
  const offsets = new Int32Array(count + 1);
  const list = root.buffer;
  for (let t = 0; t < list.length; t++) offsets[list[t] + 1]++;
  for (let b = 0; b < count; b++) offsets[b + 1] += offsets[b];
  const fill = offsets.slice(0, count);
  const ranks = new Int32Array(list.length);
  for (let r = 0; r < root.size; r++)
    for (let t = root.start[r]; t < root.start[r + 1]; t++) ranks[fill[list[t]]++] = r;
  return { offsets, ranks };
}

function newClass(capacity: number, buffer: number): NodeClass {
  return {
    size: 0,
    diff: false,
    item: new Int32Array(capacity),
    support: new Int32Array(capacity),
    hash: new Int32Array(capacity),
    sibling: new Int32Array(capacity),
    start: new Int32Array(capacity + 1),
    buffer: new Int32Array(buffer),
    slot: new Int32Array(capacity).fill(-1),
  };
}

/** Handles every member of classes[depth] as a node (steps 1–4 above) and descends into its class. */
function mineClass(search: Search, depth: number): void {
  const { classes, path, onPath, closed, maximal } = search;
  const parent = classes[depth];
  if (classes.length <= depth + 1) classes.push(newClass(search.capacity, 1024));
  for (let i = 0; i < parent.size; i++) {
    const x = parent.item[i];
    const sigma = parent.support[i];
    const hash = parent.hash[i];
    path[depth] = x;
    onPath[x] = 1;
    if (!closed.holds(sigma, hash, onPath, depth + 1)) {
      const extBase = search.extTop;
      const kept = countChildren(search, depth, i);
      closed.add(path, depth + 1, search.ext, search.extTop, sigma, hash);
      let descend = kept > 0;
      if (maximal) {
        if (kept === 0) {
          if (!maximal.holdsAll(path, depth + 1, search.ext, search.extTop))
            maximal.add(path, depth + 1, search.ext, search.extTop, sigma);
        } else descend = !lookAheadHeld(search, depth, kept);
      }
      if (descend) {
        writeChildren(search, depth, i, kept);
        mineClass(search, depth + 1);
      }
      search.extTop = extBase;
    }
    onPath[x] = 0;
  }
}

/** Whether a found maximal set holds the node's set and all its frequent children's items (then none is maximal). */
function lookAheadHeld(search: Search, depth: number, kept: number): boolean {
  const { whole, path, ext } = search;
  let n = 0;
  for (let t = 0; t <= depth; t++) whole[n++] = path[t];
  for (let t = 0; t < search.extTop; t++) whole[n++] = ext[t];
  return search.maximal!.holdsAll(whole, n, search.classes[depth + 1].item, kept);
}

/**
 * Pass 1 for node i of classes[depth]: σ(X ∪ {y}) for every later sibling y; perfect extensions pushed on `ext`,
 * the other frequent ones made members of classes[depth + 1] (item, support, sibling). Returns their number.
 */
function countChildren(search: Search, depth: number, i: number): number {
  const { classes, threshold, ext } = search;
  const parent = classes[depth];
  const child = classes[depth + 1];
  const list = parent.buffer;
  const starts = parent.start;
  const sigma = parent.support[i];
  const a = starts[i];
  const aEnd = starts[i + 1];
  for (let m = 0; m < child.size; m++) child.slot[child.item[m]] = -1;
  child.size = 0;
  const scan = !parent.diff && scanPays(search, depth, i);
  if (scan) countFromBaskets(search, depth, i);
  const budget = sigma - threshold; // diffsets: |d(Pxy)| may not exceed σ(Px) − minCount
  let kept = 0;
  for (let j = i + 1; j < parent.size; j++) {
    let common: number;
    if (scan) {
      common = search.counts[j];
      search.counts[j] = 0;
      if (common < threshold) continue;
    } else if (parent.diff) {
      const missing = differenceSize(list, starts[j], starts[j + 1], a, aEnd, budget);
      if (missing < 0) continue;
      common = sigma - missing;
    } else {
      common = intersectionSize(list, a, aEnd, starts[j], starts[j + 1], threshold);
      if (common < 0) continue;
    }
    if (common === sigma) {
      ext[search.extTop++] = parent.item[j];
      continue;
    }
    child.item[kept] = parent.item[j];
    child.support[kept] = common;
    child.sibling[kept] = j;
    kept++;
  }
  return kept;
}

/**
 * Whether node i of a tid-list class is cheaper to count from its baskets (Σ of the basket tails over t(X), an
 * occurrence deliver as in LCM and Borgelt's Eclat variants) than by merging its list with every later sibling's
 * (Σ_j σ(X) + σ(Py), the merges' bound). A basket step is weighted as four merge steps: it reads baskets at
 * random where a merge streams, and merges often stop early (the weight that was fastest on T10I4D100K and retail,
 * 2× faster than weight 1 on T10I4D100K). Always at the root: the pairs, one row of Eclat's L2 triangle.
 */
function scanPays(search: Search, depth: number, i: number): boolean {
  if (depth === 0) return true;
  const parent = search.classes[depth];
  const sigma = parent.support[i];
  let merge = 0;
  for (let j = i + 1; j < parent.size; j++) merge += sigma + parent.support[j];
  const { offsets } = search;
  const list = parent.buffer;
  const budget = merge / 4;
  let scan = 0;
  for (let t = parent.start[i]; t < parent.start[i + 1] && scan < budget; t++)
    scan += offsets[list[t] + 1] - offsets[list[t]];
  return scan < budget;
}

/** counts[j] = σ(X ∪ {y_j}) for the later siblings j of node i, from the baskets of t(X) (items above x only). */
function countFromBaskets(search: Search, depth: number, i: number): void {
  const { offsets, ranks, counts } = search;
  const parent = search.classes[depth];
  const { slot, buffer: list } = parent;
  const x = parent.item[i];
  for (let t = parent.start[i]; t < parent.start[i + 1]; t++) {
    const b = list[t];
    for (let p = offsets[b + 1] - 1, from = offsets[b]; p >= from && ranks[p] > x; p--) {
      const j = slot[ranks[p]];
      if (j >= 0) counts[j]++;
    }
  }
}

/** Pass 2 for node i of classes[depth]: the lists of its `kept` children, in the shorter layout, with their hashes. */
function writeChildren(search: Search, depth: number, i: number, kept: number): void {
  const parent = search.classes[depth];
  const child = search.classes[depth + 1];
  const list = parent.buffer;
  const starts = parent.start;
  const sigma = parent.support[i];
  const a = starts[i];
  const aEnd = starts[i + 1];
  let keptSupport = 0;
  for (let m = 0; m < kept; m++) keptSupport += child.support[m];
  const diffTotal = kept * sigma - keptSupport;
  const diff = parent.diff || diffTotal < keptSupport;
  const need = diff ? diffTotal : keptSupport;
  if (child.buffer.length < need) child.buffer = new Int32Array(Math.max(need, 2 * child.buffer.length));
  const into = child.buffer;
  if (!parent.diff && (depth === 0 || scanPays(search, depth, i))) {
    if (diff) deliverDiffsFromBaskets(search, depth, i, kept);
    else deliverFromBaskets(search, depth, i, kept);
  } else {
    let at = 0;
    for (let m = 0; m < kept; m++) {
      const j = child.sibling[m];
      if (parent.diff)
        at = writeDifference(list, starts[j], starts[j + 1], a, aEnd, into, at); // d(Py) \ d(Px)
      else if (diff)
        at = writeDifference(list, a, aEnd, starts[j], starts[j + 1], into, at); // t(Px) \ t(Py)
      else at = writeIntersection(list, a, aEnd, starts[j], starts[j + 1], into, at); // t(Px) ∩ t(Py)
      child.start[m + 1] = at;
    }
  }
  const { words } = search;
  const hash = parent.hash[i];
  for (let m = 0; m < kept; m++) {
    const h = listHash(into, child.start[m], child.start[m + 1], words);
    child.hash[m] = diff ? (hash - h) | 0 : h;
  }
  child.diff = diff;
  child.size = kept;
  for (let m = 0; m < kept; m++) child.slot[child.item[m]] = m;
}

/** t(X ∪ {y}) for the kept children of node i, delivered from the baskets of t(X) as they were counted. */
function deliverFromBaskets(search: Search, depth: number, i: number, kept: number): void {
  const { offsets, ranks, counts } = search;
  const parent = search.classes[depth];
  const child = search.classes[depth + 1];
  const { slot, buffer: list } = parent;
  const into = child.buffer;
  const x = parent.item[i];
  // a write cursor per later sibling (−1: not kept)
  for (let j = i + 1; j < parent.size; j++) counts[j] = -1;
  for (let m = 0; m < kept; m++) {
    counts[child.sibling[m]] = child.start[m];
    child.start[m + 1] = child.start[m] + child.support[m];
  }
  for (let t = parent.start[i]; t < parent.start[i + 1]; t++) {
    const b = list[t];
    for (let p = offsets[b + 1] - 1, from = offsets[b]; p >= from && ranks[p] > x; p--) {
      const j = slot[ranks[p]];
      if (j >= 0 && counts[j] >= 0) into[counts[j]++] = b;
    }
  }
  for (let j = i + 1; j < parent.size; j++) counts[j] = 0;
}

/**
 * d(X ∪ {y}) = t(X) \ t(X ∪ {y}) for the kept children of node i, from the baskets of t(X): each basket goes to
 * the children whose item it lacks (cost |t(X)| · kept plus the scan, at most the merges' cost).
 */
function deliverDiffsFromBaskets(search: Search, depth: number, i: number, kept: number): void {
  const { offsets, ranks, seen } = search;
  const parent = search.classes[depth];
  const child = search.classes[depth + 1];
  const { slot, buffer: list } = parent;
  const into = child.buffer;
  const { start, sibling, support } = child;
  const sigma = parent.support[i];
  const x = parent.item[i];
  for (let m = 0; m < kept; m++) start[m + 1] = start[m] + sigma - support[m];
  const cursor = search.counts;
  for (let m = 0; m < kept; m++) cursor[m] = start[m];
  if (search.stamp > 0x3fffffff) {
    seen.fill(0);
    search.stamp = 0;
  }
  for (let t = parent.start[i]; t < parent.start[i + 1]; t++) {
    const b = list[t];
    const stamp = ++search.stamp;
    for (let p = offsets[b + 1] - 1, from = offsets[b]; p >= from && ranks[p] > x; p--) {
      const j = slot[ranks[p]];
      if (j >= 0) seen[j] = stamp;
    }
    for (let m = 0; m < kept; m++) if (seen[sibling[m]] !== stamp) into[cursor[m]++] = b;
  }
  for (let m = 0; m < kept; m++) cursor[m] = 0;
}
