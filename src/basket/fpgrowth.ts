import { ItemsetCollector, itemSupports } from './mined';
import type { Baskets, Miner, MinedItemsets, MiningScope } from './mined';
import { grown, resized } from '../table/internal';

/**
 * An FP-tree in typed arrays: node 0 is the root; items are local indices 0 … m − 1 in descending support (so paths
 * insert in index order); `codes[local]` is the global item code. Siblings are a linked list (`child`, `sibling`);
 * `link` chains the nodes of one item from `head[item]`.
 */
class FpTree {
  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  child: Int32Array;
  sibling: Int32Array;
  link: Int32Array;
  size = 1;
  readonly head: Int32Array;
  /** Support of each local item in this tree. */
  readonly support: Int32Array;
  /** Global code of each local item. */
  readonly codes: Int32Array;
  /**
   * Child lookup by (parent, item) in an open-addressing table of node ids: nodes near the root can have thousands of
   * children (16k items in the retail data), where a sibling scan would cost O(children) per inserted path.
   */
  private slots: Int32Array;
  private mask: number;

  constructor(codes: Int32Array, support: Int32Array, capacity: number) {
    const cap = Math.max(2, capacity + 1);
    this.item = new Int32Array(cap);
    this.count = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.child = new Int32Array(cap).fill(-1);
    this.sibling = new Int32Array(cap).fill(-1);
    this.link = new Int32Array(cap).fill(-1);
    this.item[0] = -1;
    this.parent[0] = -1;
    this.codes = codes;
    this.support = support;
    this.head = new Int32Array(codes.length).fill(-1);
    let slots = 16;
    while (slots < 2 * cap) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  private slotOf(node: number, it: number): number {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(it, 0x85ebca6b)) & this.mask;
    while (true) {
      const c = this.slots[h];
      if (c === -1 || (this.item[c] === it && this.parent[c] === node)) return h;
      h = (h + 1) & this.mask;
    }
  }

  /** Adds a path of local items (ascending) with a count. */
  insert(path: Int32Array, length: number, count: number): void {
    let node = 0;
    for (let t = 0; t < length; t++) {
      const it = path[t];
      let h = this.slotOf(node, it);
      let c = this.slots[h];
      if (c === -1) {
        if (this.size === this.item.length) {
          this.grow();
          h = this.slotOf(node, it);
        }
        c = this.size++;
        this.slots[h] = c;
        this.item[c] = it;
        this.count[c] = 0;
        this.parent[c] = node;
        this.child[c] = -1;
        this.sibling[c] = this.child[node];
        this.child[node] = c;
        this.link[c] = this.head[it];
        this.head[it] = c;
      }
      this.count[c] += count;
      node = c;
    }
  }

  /** True when no node has two children: the tree is one path. */
  singlePath(): boolean {
    for (let n = 0; n < this.size; n++) {
      const c = this.child[n];
      if (c !== -1 && this.sibling[c] !== -1) return false;
    }
    return true;
  }

  private grow(): void {
    const cap = this.item.length * 2;
    const widen = (a: Int32Array, fill: number) => resized(a, cap).fill(fill, a.length);
    this.item = widen(this.item, 0);
    this.count = widen(this.count, 0);
    this.parent = widen(this.parent, 0);
    this.child = widen(this.child, -1);
    this.sibling = widen(this.sibling, -1);
    this.link = widen(this.link, -1);
    let slots = this.slots.length;
    while (slots < 2 * cap) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    for (let c = 1; c < this.size; c++) this.slots[this.slotOf(this.parent[c], this.item[c])] = c;
  }
}

/**
 * FP-growth (Han, Pei & Yin 2000, "Mining frequent patterns without candidate generation", SIGMOD, §3): the
 * baskets, reduced to their frequent items in descending support, are stored as an FP-tree; for each item, least
 * frequent first, the itemset prefix ∪ {item} is reported and the item's conditional pattern base (the paths above
 * its nodes) becomes a conditional FP-tree mined recursively. A tree that is a single path yields every combination
 * of its items directly (Han et al. Lemma 3.2).
 *
 * Everything lives in typed arrays: the tree's nodes, the header links, the paths; a conditional tree is allocated
 * per (prefix, item), never per itemset.
 *
 * Parts (threads): with a `scope`, only the owned items of the first level are mined — every itemset whose least
 * frequent item is owned (its conditional pattern base) — from the same FP-tree; on a single-path tree, the
 * combinations whose deepest node is owned.
 *
 * Cost: output-sensitive; one pass to count items, one to build the tree, then work proportional to the conditional
 * bases. Memory: the tree (≤ Σ basket sizes nodes) plus one conditional tree per recursion level.
 */
export const fpgrowth: Miner = (
  baskets: Baskets,
  minCount: number,
  maxLength: number,
  scope?: MiningScope,
  maxItemsets = Infinity,
): MinedItemsets => {
  const out = new ItemsetCollector(maxItemsets, minCount, maxLength);
  const { count: n, offsets, items } = baskets;
  const support = scope?.support ?? itemSupports(baskets);
  // Frequent items in descending support (ties by code): local index = rank.
  const frequent: number[] = [];
  for (let c = 0; c < support.length; c++) if (support[c] >= minCount) frequent.push(c);
  frequent.sort((a, b) => support[b] - support[a] || a - b);
  const m = frequent.length;
  if (m === 0 || maxLength < 1) return out.result();
  const rank = new Int32Array(support.length).fill(-1);
  frequent.forEach((c, r) => (rank[c] = r));
  let kept = 0; // nodes ≤ frequent item occurrences: the tree never grows
  for (let t = 0; t < items.length; t++) if (support[items[t]] >= minCount) kept++;
  const tree = new FpTree(
    Int32Array.from(frequent),
    Int32Array.from(frequent, (c) => support[c]),
    kept,
  );
  const path = new Int32Array(m);
  for (let b = 0; b < n; b++) {
    let length = 0;
    for (let t = offsets[b]; t < offsets[b + 1]; t++) {
      const r = rank[items[t]];
      if (r >= 0) path[length++] = r;
    }
    if (length === 0) continue;
    sortAscending(path, length);
    tree.insert(path, length, 1);
  }
  const prefix = new Int32Array(Math.min(maxLength, m) + 1);
  mine(tree, prefix, 0, minCount, maxLength, out, scope?.owned ?? null);
  return out.result();
};

/**
 * Reports every frequent itemset of `tree` extended by the `depth` codes in `prefix`; with `owned` (by item code,
 * first level only), only those whose least frequent item is owned.
 */
function mine(
  tree: FpTree,
  prefix: Int32Array,
  depth: number,
  minCount: number,
  maxLength: number,
  out: ItemsetCollector,
  owned: Uint8Array | null = null,
): void {
  const m = tree.codes.length;
  if (tree.singlePath()) {
    singlePathCombinations(tree, prefix, depth, maxLength, out, owned);
    return;
  }
  // Per-item scratch, reset only where touched: a tree over many items (16k in the retail data) must not pay O(m)
  // per item.
  const base = new Int32Array(m);
  const local = new Int32Array(m).fill(-1);
  const touched = new Int32Array(m);
  const walk = new Int32Array(m);
  let pathBuffer: Int32Array = new Int32Array(1024);
  let pathStart: Int32Array = new Int32Array(256);
  let pathCount: Int32Array = new Int32Array(256);
  for (let it = m - 1; it >= 0; it--) {
    const count = tree.support[it];
    if (count < minCount) continue;
    if (owned && !owned[tree.codes[it]]) continue;
    prefix[depth] = tree.codes[it];
    out.add(prefix, depth + 1, count);
    if (depth + 1 >= maxLength || it === 0) continue;
    // Conditional pattern base of `it`: item supports among the paths above its nodes.
    // One walk up from every node of `it`: count the base and keep the paths for building the conditional tree.
    let used = 0;
    let paths = 0;
    let pathItems = 0; // an upper bound on the conditional tree's nodes
    for (let node = tree.head[it]; node !== -1; node = tree.link[node]) {
      const c = tree.count[node];
      if (paths + 1 >= pathStart.length) {
        pathStart = grown(pathStart, paths + 2);
        pathCount = grown(pathCount, paths + 2);
      }
      pathStart[paths] = pathItems;
      pathCount[paths] = c;
      for (let p = tree.parent[node]; p > 0; p = tree.parent[p]) {
        const j = tree.item[p];
        if (base[j] === 0) touched[used++] = j;
        base[j] += c;
        if (pathItems === pathBuffer.length) pathBuffer = grown(pathBuffer, pathItems + 1);
        pathBuffer[pathItems++] = j;
      }
      paths++;
    }
    pathStart[paths] = pathItems;
    // Local re-indexing of the conditional tree: frequent items by descending conditional support.
    const order: number[] = [];
    for (let u = 0; u < used; u++) if (base[touched[u]] >= minCount) order.push(touched[u]);
    if (order.length > 0) {
      order.sort((a, b) => base[b] - base[a] || a - b);
      order.forEach((j, r) => (local[j] = r));
      const conditional = new FpTree(
        Int32Array.from(order, (j) => tree.codes[j]),
        Int32Array.from(order, (j) => base[j]),
        pathItems,
      );
      for (let q = 0; q < paths; q++) {
        let length = 0;
        for (let t = pathStart[q]; t < pathStart[q + 1]; t++) {
          const r = local[pathBuffer[t]];
          if (r >= 0) walk[length++] = r;
        }
        if (length === 0) continue;
        sortAscending(walk, length);
        conditional.insert(walk, length, pathCount[q]);
      }
      for (const j of order) local[j] = -1;
      mine(conditional, prefix, depth + 1, minCount, maxLength, out);
    }
    for (let u = 0; u < used; u++) base[touched[u]] = 0;
  }
}

/**
 * Every non-empty combination of a single-path tree's nodes, support = the count of its deepest node; with `owned`,
 * only the combinations whose deepest node's item is owned.
 */
function singlePathCombinations(
  tree: FpTree,
  prefix: Int32Array,
  depth: number,
  maxLength: number,
  out: ItemsetCollector,
  owned: Uint8Array | null,
): void {
  const nodes: number[] = [];
  for (let node = tree.child[0]; node !== -1; node = tree.child[node]) nodes.push(node);
  const room = maxLength - depth;
  if (room <= 0) return;
  const chosen = new Int32Array(nodes.length);
  // Depth-first over subsets in path order; the last chosen node is the deepest, so its count is the support.
  const visit = (start: number, size: number): void => {
    for (let i = start; i < nodes.length; i++) {
      chosen[size] = i;
      if (!owned || owned[tree.codes[tree.item[nodes[i]]]]) {
        for (let s = 0; s <= size; s++) prefix[depth + s] = tree.codes[tree.item[nodes[chosen[s]]]];
        out.add(prefix, depth + size + 1, tree.count[nodes[i]]);
      }
      if (size + 1 < room) visit(i + 1, size + 1);
    }
  };
  visit(0, 0);
}

/** Insertion sort of a[0 … length − 1] (paths are short). */
function sortAscending(a: Int32Array, length: number): void {
  for (let i = 1; i < length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
