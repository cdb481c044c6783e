import { DecisionTreeClassifier } from 'ml-cart';
import { ClienteleError, deepFreeze, describeValue, isAdmissible } from '../table/internal';
import type { CartNode } from 'ml-cart';
import type { RandomSource } from '../math/internal';

/**
 * Internal: classification trees fitted with ml-cart and turned into rules. The public analyses
 * (`explainSegments`, `churnModel`) validate their input and call {@link fitDecisionTree}; everything here trusts it.
 *
 * ml-cart is used for one thing, choosing the splits. Its fitted tree is read once (root node, `splitColumn`,
 * `splitValue`, `left`, `right`) into a flat node list; thresholds, leaf class counts, predictions and probabilities
 * are then computed here by routing rows through that structure, so they depend on nothing else of ml-cart.
 */

/** One bound of a rule: `feature op threshold`, e.g. `recency ≤ 45`. */
export interface RuleCondition {
  readonly feature: string;
  readonly op: '≤' | '>';
  readonly threshold: number;
}

/** A node of a fitted tree, in a flat list whose entry 0 is the root. */
export interface DecisionTreeNode {
  /** Index into the tree's `features` of the feature split on; −1 for a leaf. */
  readonly feature: number;
  /** Rows whose feature value is ≤ threshold go left, the others right; NaN for a leaf. */
  readonly threshold: number;
  /** Node numbers of the children; −1 for a leaf. */
  readonly left: number;
  readonly right: number;
  /** Leaf number (index into the tree's `leaves`); −1 for an inner node. */
  readonly leaf: number;
}

/** A leaf of a fitted tree: its rule and the training rows that reach it. */
export interface DecisionTreeLeaf {
  /** Node number of the leaf. */
  readonly node: number;
  /** Splits on the path from the root. */
  readonly depth: number;
  /** The path's conditions merged per feature (at most one `>` and one `≤` each), in order of first use. */
  readonly conditions: readonly RuleCondition[];
  /** Training rows reaching the leaf, per class number. */
  readonly counts: readonly number[];
  /** Training rows reaching the leaf. */
  readonly support: number;
  /** Class number with the most training rows (the lowest on a tie, as ml-cart). */
  readonly predicted: number;
  /** Share of the leaf's training rows in the predicted class, in (0, 1]. */
  readonly purity: number;
}

/** A fitted classification tree: plain, frozen data that `routeRows` evaluates. */
export interface DecisionTree {
  /** Feature names, in the order of the columns the tree was fitted on. */
  readonly features: readonly string[];
  /** Number of classes (class numbers are 0…classCount−1). */
  readonly classCount: number;
  readonly nodes: readonly DecisionTreeNode[];
  /** Leaves from left to right (rows ≤ threshold on the left). */
  readonly leaves: readonly DecisionTreeLeaf[];
  /** Splits on the longest path. */
  readonly depth: number;
  /** Rows ml-cart was trained on (a stratified sample when there were more than `maxFitRows`). */
  readonly fittedRows: number;
  /** Rows the leaves were counted on (all training rows). */
  readonly countedRows: number;
}

/** Feature values: one `Float64Array` per feature (column-major), or row-major `values[i · dimension + j]`. */
export type FeatureData = readonly Float64Array[] | { readonly values: Float64Array; readonly dimension: number };

/** What {@link fitDecisionTree} needs; validated by the caller. */
export interface TreeFitOptions {
  readonly features: readonly string[];
  readonly classCount: number;
  /** Splits allowed on a path (≥ 1). */
  readonly maxDepth: number;
  /** Fewest training rows in a leaf (≥ 1). */
  readonly minLeafSize: number;
  /** Largest number of rows handed to ml-cart; more are sampled down, stratified by class. */
  readonly maxFitRows: number;
  /** Draws the sample, when one is needed. */
  readonly rng: RandomSource;
}

/** The columns of `data`, copied from row-major values once when it is row-major. */
function featureColumns(data: FeatureData, d: number): readonly Float64Array[] {
  if (Array.isArray(data)) return data as readonly Float64Array[];
  const { values, dimension } = data as { values: Float64Array; dimension: number };
  const n = Math.floor(values.length / dimension);
  const columns: Float64Array[] = [];
  for (let j = 0; j < d; j++) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = values[i * dimension + j];
    columns.push(column);
  }
  return columns;
}

/**
 * Fits a Gini classification tree on `rows` of `data` with class numbers `classes[row]` and reads it into rules.
 *
 * 1. ml-cart (CART, Gini gain, thresholds at midpoints, `x < t` to the left) is trained on the rows, or on a
 *    stratified sample of `maxFitRows` of them (ml-cart scores every candidate split with a pass over the node's
 *    rows, O(n²) per node). It stops a node of 2·minLeafSize − 1 rows or fewer (scaled to the sample) from
 *    splitting, and splits only on a Gini gain above 1e-10. After a fit on a sample, each split keeps its feature
 *    and its cut is chosen again on all the node's rows (best Gini gain leaving minLeafSize rows a side).
 * 2. Every training row is routed through the tree. At each split, with a the largest value that goes left and b the
 *    smallest that goes right, the threshold becomes {@link roundestBetween}(a, b) and the test `x ≤ threshold`:
 *    no training row changes side, and the printed threshold is the one used.
 * 3. A split that leaves fewer than `minLeafSize` training rows on either side is undone (ml-cart has no minimum leaf
 *    size), its node becoming a leaf.
 * 4. Each leaf's class counts, predicted class and purity come from the training rows that reach it.
 *
 * Cost: ml-cart's fit, O(m² · d) for m = min(rows, maxFitRows), plus O(rows · depth) for the routing and, after a
 * sample, O(rows · log rows) per level for the cuts.
 */
export function fitDecisionTree(
  data: FeatureData,
  classes: Int32Array,
  rows: Int32Array,
  options: TreeFitOptions,
): DecisionTree {
  const { features, classCount: k, maxDepth, minLeafSize, maxFitRows, rng } = options;
  const d = features.length;
  const columns = featureColumns(data, d);
  const fitRows = rows.length > maxFitRows ? stratifiedSample(rows, classes, k, maxFitRows, rng) : rows;
  const flat = flattenCart(trainCart(columns, d, classes, fitRows, rows.length, maxDepth, minLeafSize));
  if (fitRows.length < rows.length) {
    refineCuts(columns, classes, rows, k, minLeafSize, flat.feature, flat.cut, flat.left, flat.right);
  }
  const routed = routeTraining(columns, classes, rows, k, flat);
  const { nodes, leaves, depth } = buildTree(flat, routed, k, minLeafSize, features);
  return deepFreeze({
    features: [...features],
    classCount: k,
    nodes,
    leaves,
    depth,
    fittedRows: fitRows.length,
    countedRows: rows.length,
  });
}

/** ml-cart's tree as flat arrays, in depth-first order (left first); ml-cart's test is x < cut to the left. */
interface FlatCart {
  /** Feature split on, −1 for a leaf. */
  readonly feature: number[];
  /** ml-cart's threshold: x < cut goes left (NaN for a leaf). */
  readonly cut: number[];
  readonly left: number[];
  readonly right: number[];
  readonly depthOf: number[];
}

/** The training rows routed through a {@link FlatCart}: class counts per node, the values either side of each cut. */
interface RoutedRows {
  /** Rows of class c reaching node, at node · k + c. */
  readonly counts: Float64Array;
  /** Largest value that went left, smallest that went right, per node. */
  readonly maxLeft: Float64Array;
  readonly minRight: Float64Array;
}

/** Read and fit: ml-cart trained on the first d features of `fitRows` (all `rowCount` training rows, or a sample). */
function trainCart(
  columns: readonly Float64Array[],
  d: number,
  classes: Int32Array,
  fitRows: Int32Array,
  rowCount: number,
  maxDepth: number,
  minLeafSize: number,
): CartNode {
  const X = new Array<number[]>(fitRows.length);
  const y = new Array<number>(fitRows.length);
  for (let r = 0; r < fitRows.length; r++) {
    const i = fitRows[r];
    const row = new Array<number>(d);
    for (let j = 0; j < d; j++) row[j] = columns[j][i];
    X[r] = row;
    y[r] = classes[i];
  }
  const share = fitRows.length / rowCount;
  const cart = new DecisionTreeClassifier({
    gainFunction: 'gini',
    maxDepth,
    minNumSamples: Math.max(1, Math.ceil(2 * minLeafSize * share) - 1),
    gainThreshold: 1e-10,
  });
  cart.train(X, y);
  return cart.root;
}

/** Fit: ml-cart's fitted tree read once into flat arrays, in depth-first order (left first). */
function flattenCart(root: CartNode): FlatCart {
  const flat: FlatCart = { feature: [], cut: [], left: [], right: [], depthOf: [] };
  const { feature, cut, left, right, depthOf } = flat;
  const flatten = (node: CartNode, depth: number): number => {
    const id = feature.length;
    const inner = node.left !== undefined && node.right !== undefined;
    feature.push(inner ? node.splitColumn! : -1);
    cut.push(inner ? node.splitValue! : NaN);
    left.push(-1);
    right.push(-1);
    depthOf.push(depth);
    if (inner) {
      left[id] = flatten(node.left!, depth + 1);
      right[id] = flatten(node.right!, depth + 1);
    }
    return id;
  };
  flatten(root, 0);
  return flat;
}

/** Fit: every training row routed with ml-cart's own test: class counts, the values either side of each cut. */
function routeTraining(
  columns: readonly Float64Array[],
  classes: Int32Array,
  rows: Int32Array,
  k: number,
  flat: FlatCart,
): RoutedRows {
  const { feature, cut, left, right } = flat;
  const m = feature.length;
  const counts = new Float64Array(m * k);
  const maxLeft = new Float64Array(m).fill(-Infinity);
  const minRight = new Float64Array(m).fill(Infinity);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const c = classes[i];
    let node = 0;
    for (;;) {
      counts[node * k + c]++;
      const f = feature[node];
      if (f < 0) break;
      const x = columns[f][i];
      if (x < cut[node]) {
        if (x > maxLeft[node]) maxLeft[node] = x;
        node = left[node];
      } else {
        if (x < minRight[node]) minRight[node] = x;
        node = right[node];
      }
    }
  }
  return { counts, maxLeft, minRight };
}

/** Assemble: splits with enough rows on both sides kept (nodes renumbered); the rest become leaves with rules. */
function buildTree(
  flat: FlatCart,
  routed: RoutedRows,
  k: number,
  minLeafSize: number,
  features: readonly string[],
): { nodes: DecisionTreeNode[]; leaves: DecisionTreeLeaf[]; depth: number } {
  const { feature, left, right, depthOf } = flat;
  const { counts, maxLeft, minRight } = routed;
  const support = (node: number) => {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[node * k + c];
    return s;
  };
  const nodes: DecisionTreeNode[] = [];
  const leaves: DecisionTreeLeaf[] = [];
  let treeDepth = 0;
  const path: { feature: number; op: '≤' | '>'; threshold: number }[] = [];
  const build = (old: number): number => {
    const id = nodes.length;
    const f = feature[old];
    const split = f >= 0 && support(left[old]) >= minLeafSize && support(right[old]) >= minLeafSize;
    if (!split) {
      const leafCounts = Array.from(counts.subarray(old * k, old * k + k));
      const total = support(old);
      let predicted = 0;
      for (let c = 1; c < k; c++) if (leafCounts[c] > leafCounts[predicted]) predicted = c;
      leaves.push({
        node: id,
        depth: depthOf[old],
        conditions: mergeConditions(path, features),
        counts: leafCounts,
        support: total,
        predicted,
        purity: total > 0 ? leafCounts[predicted] / total : 0,
      });
      nodes.push({ feature: -1, threshold: NaN, left: -1, right: -1, leaf: leaves.length - 1 });
      if (depthOf[old] > treeDepth) treeDepth = depthOf[old];
      return id;
    }
    const threshold = roundestBetween(maxLeft[old], minRight[old]);
    const node = { feature: f, threshold, left: -1, right: -1, leaf: -1 };
    nodes.push(node);
    path.push({ feature: f, op: '≤', threshold });
    node.left = build(left[old]);
    path[path.length - 1] = { feature: f, op: '>', threshold };
    node.right = build(right[old]);
    path.pop();
    return id;
  };
  build(0);
  return { nodes, leaves, depth: treeDepth };
}

/**
 * After a fit on a sample: keeps the feature of every split and chooses its cut again on all the node's rows — the
 * boundary between two adjacent distinct values with the largest Gini gain (the first on a tie) among those leaving
 * `minLeafSize` rows on each side, as ml-cart would on the full data. A node with no such boundary becomes a leaf.
 * Nodes are in depth-first order, so a parent's rows are known before its children's.
 *
 * Cost: O(n log n + n · k) per level of the tree.
 */
function refineCuts(
  columns: readonly Float64Array[],
  classes: Int32Array,
  rows: Int32Array,
  k: number,
  minLeafSize: number,
  feature: number[],
  cut: number[],
  left: number[],
  right: number[],
): void {
  const rowsOf: (Int32Array | null)[] = new Array(feature.length).fill(null);
  rowsOf[0] = rows;
  const total = new Float64Array(k);
  const below = new Float64Array(k);
  for (let node = 0; node < feature.length; node++) {
    const own = rowsOf[node];
    rowsOf[node] = null;
    const f = feature[node];
    if (own === null || f < 0) continue;
    const x = columns[f];
    const sorted = Int32Array.from(own).sort((a, b) => x[a] - x[b]);
    const n = sorted.length;
    total.fill(0);
    below.fill(0);
    for (let r = 0; r < n; r++) total[classes[sorted[r]]]++;
    // Gini gain is largest where Σ_c below_c² / n_left + Σ_c above_c² / n_right is
    let best = -Infinity;
    let bestAt = -1;
    for (let r = 0; r < n - 1; r++) {
      below[classes[sorted[r]]]++;
      const nLeft = r + 1;
      if (x[sorted[r]] === x[sorted[r + 1]] || nLeft < minLeafSize || n - nLeft < minLeafSize) continue;
      let sumLeft = 0;
      let sumRight = 0;
      for (let c = 0; c < k; c++) {
        sumLeft += below[c] * below[c];
        const above = total[c] - below[c];
        sumRight += above * above;
      }
      const score = sumLeft / nLeft + sumRight / (n - nLeft);
      if (score > best * (1 + 1e-12)) {
        best = score;
        bestAt = r;
      }
    }
    if (bestAt < 0) {
      feature[node] = -1;
      cut[node] = NaN;
      continue;
    }
    cut[node] = x[sorted[bestAt + 1]]; // x < cut is exactly the rows up to bestAt
    rowsOf[left[node]] = sorted.slice(0, bestAt + 1);
    rowsOf[right[node]] = sorted.slice(bestAt + 1);
  }
}

/** The conditions of a path merged per feature: the tightest `>` and `≤` bound of each, features in order of first use. */
function mergeConditions(
  path: readonly { feature: number; op: '≤' | '>'; threshold: number }[],
  names: readonly string[],
): RuleCondition[] {
  const order: number[] = [];
  const lower = new Map<number, number>();
  const upper = new Map<number, number>();
  for (const step of path) {
    if (!lower.has(step.feature) && !upper.has(step.feature)) order.push(step.feature);
    if (step.op === '≤') upper.set(step.feature, Math.min(upper.get(step.feature) ?? Infinity, step.threshold));
    else lower.set(step.feature, Math.max(lower.get(step.feature) ?? -Infinity, step.threshold));
  }
  const out: RuleCondition[] = [];
  for (const f of order) {
    if (lower.has(f)) out.push({ feature: names[f], op: '>', threshold: lower.get(f)! });
    if (upper.has(f)) out.push({ feature: names[f], op: '≤', threshold: upper.get(f)! });
  }
  return out;
}

/**
 * The roundest number p with a ≤ p < b: the one with the fewest significant digits (the coarsest power-of-ten grid
 * with a point in [a, b)), and on that grid the point nearest the midpoint (a + b)/2. E.g. (45, 46) → 45,
 * (10, 1000) → 500, (0.5, 0.7) → 0.6, (0.12345, 0.12346) → 0.12345. Because p ≥ a and p < b, `x ≤ p` separates the
 * values up to a from those from b on exactly as the midpoint does; p is never longer than a written out.
 *
 * Cost: O(number of decimal digits).
 */
export function roundestBetween(a: number, b: number): number {
  if (!(a < b) || !Number.isFinite(a) || !Number.isFinite(b)) return a;
  const mid = a + (b - a) / 2;
  const width = b - a;
  const top = Math.ceil(Math.log10(Math.max(Math.abs(a), Math.abs(b)))) + 1;
  for (let e = top; e > -330; e--) {
    // grid points m·10^e; a negative exponent divides by an exact power of ten, so p prints as the short decimal
    const value = (m: number) => (e >= 0 ? m * 10 ** e : m / 10 ** -e) + 0;
    const toGrid = (x: number) => (e >= 0 ? x / 10 ** e : x * 10 ** -e);
    // the grid points in [a, b); toGrid can be off by an ulp (2365.01 · 100 = 236501.00000000003), so the
    // neighbours of each end are checked on the values themselves
    let lo = Math.ceil(toGrid(a));
    if (value(lo - 1) >= a) lo--;
    let hi = Math.ceil(toGrid(b)) - 1;
    if (value(hi + 1) < b) hi++;
    if (lo <= hi) {
      const best = Math.min(hi, Math.max(lo, Math.round(toGrid(mid))));
      for (const m of [best, lo, hi, lo + 1, hi - 1]) {
        const p = value(m);
        if (p >= a && p < b) return p;
      }
    }
    if (10 ** e < width / 100) break; // the grid is far finer than [a, b): rounding must have failed; use a
  }
  return a;
}

/**
 * The leaf number each row reaches, or −1 when a feature the tree splits on is missing (NaN) or infinite in it.
 * `columns[j]` holds feature j of the tree (`null` for features the tree does not split on).
 *
 * Cost: O(n · (depth + features split on)); the nodes are copied into typed arrays first, so the loop reads no
 * objects.
 */
export function routeRows(tree: DecisionTree, columns: readonly (Float64Array | null)[], n: number): Int32Array {
  const m = tree.nodes.length;
  const feature = new Int32Array(m);
  const threshold = new Float64Array(m);
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const leaf = new Int32Array(m);
  const used = new Set<number>();
  tree.nodes.forEach((node, id) => {
    feature[id] = node.feature;
    threshold[id] = node.threshold;
    left[id] = node.left;
    right[id] = node.right;
    leaf[id] = node.leaf;
    if (node.feature >= 0) used.add(node.feature);
  });
  const checked = [...used].map((j) => columns[j]!);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let u = 0; u < checked.length; u++) {
      const x = checked[u][i];
      if (!isAdmissible(x)) {
        // the admission policy: NaN (null) or ±Infinity (x − x is NaN for both)
        ok = false;
        break;
      }
    }
    if (!ok) {
      out[i] = -1;
      continue;
    }
    let node = 0;
    while (feature[node] >= 0) node = columns[feature[node]]![i] <= threshold[node] ? left[node] : right[node];
    out[i] = leaf[node];
  }
  return out;
}

/** A number as it is printed in rules: the shortest decimal that reads back as the same double. */
function formatThreshold(x: number): string {
  return String(x + 0);
}

/**
 * The conditions as text, a feature's two bounds joined into a range: "10 < recency ≤ 45 days and frequency > 3".
 * `units[feature]` follows the last number of the feature ("%" with no space); no condition reads "all rows".
 */
export function conditionText(
  conditions: readonly RuleCondition[],
  units: Readonly<Record<string, string>> = {},
): string {
  if (conditions.length === 0) return 'all rows';
  const parts: string[] = [];
  for (let c = 0; c < conditions.length; c++) {
    const { feature, op, threshold } = conditions[c];
    const unit = Object.prototype.hasOwnProperty.call(units, feature) && units[feature] ? units[feature] : '';
    const suffix = unit === '' ? '' : unit === '%' ? '%' : ` ${unit}`;
    const next = conditions[c + 1];
    if (op === '>' && next !== undefined && next.feature === feature && next.op === '≤') {
      parts.push(`${formatThreshold(threshold)} < ${feature} ≤ ${formatThreshold(next.threshold)}${suffix}`);
      c++;
    } else parts.push(`${feature} ${op} ${formatThreshold(threshold)}${suffix}`);
  }
  return parts.join(' and ');
}

/** A share as a whole percentage that never shows 0 % or 100 % unless it is exactly that: "91%". */
export function formatPercent(share: number): string {
  if (share !== share) return 'n/a';
  if (share <= 0 || share >= 1) return `${Math.round(share * 100)}%`;
  return `${Math.min(99, Math.max(1, Math.round(share * 100)))}%`;
}

/** Draws `count` of `rows` at random without replacement (partial Fisher–Yates on a copy); returned sorted. */
function drawRows(rows: Int32Array, count: number, rng: RandomSource): Int32Array {
  const pool = Int32Array.from(rows);
  for (let j = 0; j < count; j++) {
    const r = j + rng.int(pool.length - j);
    const t = pool[j];
    pool[j] = pool[r];
    pool[r] = t;
  }
  return pool.subarray(0, count).sort();
}

/** The rows of each class, in row order. */
function rowsByClass(rows: Int32Array, classes: Int32Array, k: number): Int32Array[] {
  const sizes = new Int32Array(k);
  for (let r = 0; r < rows.length; r++) sizes[classes[rows[r]]]++;
  const out = Array.from(sizes, (s) => new Int32Array(s));
  const filled = new Int32Array(k);
  for (let r = 0; r < rows.length; r++) {
    const c = classes[rows[r]];
    out[c][filled[c]++] = rows[r];
  }
  return out;
}

/**
 * `size` of `rows` drawn at random, stratified by class: class c gets ⌊size · n_c / n⌋ rows, the rows left over going
 * to the largest remainders (the lowest class on a tie), so every class keeps its share to within one row. Sorted.
 */
export function stratifiedSample(
  rows: Int32Array,
  classes: Int32Array,
  k: number,
  size: number,
  rng: RandomSource,
): Int32Array {
  const byClass = rowsByClass(rows, classes, k);
  const n = rows.length;
  const quota = byClass.map((g) => Math.floor((size * g.length) / n));
  let left = size - quota.reduce((s, q) => s + q, 0);
  const order = byClass
    .map((g, c) => ({ c, remainder: (size * g.length) / n - quota[c] }))
    .sort((x, y) => y.remainder - x.remainder || x.c - y.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (quota[c] < byClass[c].length) {
      quota[c]++;
      left--;
    }
  }
  const out = new Int32Array(size);
  let at = 0;
  byClass.forEach((g, c) => {
    out.set(drawRows(g, quota[c], rng), at);
    at += quota[c];
  });
  return out.sort();
}

/**
 * A train/test split stratified by class (`rows` ascending): of the n_c rows of class c, round(testShare · n_c) drawn at random go to
 * the test set (so each class's share of the test set is its share of the rows to within one row), the rest to the
 * training set. Both sorted in row order.
 */
export function stratifiedSplit(
  rows: Int32Array,
  classes: Int32Array,
  k: number,
  testShare: number,
  rng: RandomSource,
): { train: Int32Array; test: Int32Array } {
  const byClass = rowsByClass(rows, classes, k);
  const testParts: Int32Array[] = [];
  let testSize = 0;
  for (const g of byClass) {
    const part = drawRows(g, Math.round(testShare * g.length), rng);
    testParts.push(part);
    testSize += part.length;
  }
  const test = new Int32Array(testSize);
  let at = 0;
  for (const part of testParts) {
    test.set(part, at);
    at += part.length;
  }
  test.sort();
  const train = new Int32Array(rows.length - testSize);
  // both sorted: one merge pass keeps the rows not in the test set
  for (let r = 0, t = 0, w = 0; r < rows.length; r++) {
    const i = rows[r];
    while (t < test.length && test[t] < i) t++;
    if (t < test.length && test[t] === i) continue;
    train[w++] = i;
  }
  return { train, test };
}

/** Tree options after validation. */
export interface ResolvedTreeOptions {
  columns: string[];
  maxDepth: number;
  minLeafSize: number | undefined;
  seed: number;
  units: Readonly<Record<string, string>>;
  maxFitRows: number;
}

/** Checks the feature list, depth, leaf size, seed, units and sample size shared by the tree analyses. */
export function resolveTreeOptions(
  options: {
    columns?: unknown;
    maxDepth?: unknown;
    minLeafSize?: unknown;
    seed?: unknown;
    units?: unknown;
    maxFitRows?: unknown;
  },
  defaults: { maxDepth: number; seed: number; maxFitRows: number },
  fn: string,
  columnsOption: string,
): ResolvedTreeOptions {
  const columns = options.columns;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c.length > 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${columnsOption} must be a non-empty array of numeric column names (found ${describeValue(columns)}); e.g. ['recency', 'frequency', 'monetary']`,
    );
  }
  const seen = new Set<string>();
  for (const c of columns as string[]) {
    if (seen.has(c))
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${columnsOption} lists "${c}" twice; list each column once`,
        { column: c },
      );
    seen.add(c);
  }
  const integer = (
    name: string,
    value: unknown,
    min: number,
    max: number,
    fallback: number | undefined,
  ): number | undefined => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a whole number from ${min} to ${max} (found ${describeValue(value)}); leave it out for the default`,
      );
    }
    return value;
  };
  const seed = options.seed ?? defaults.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be a finite number (found ${describeValue(seed)}); pass an integer such as 1`,
    );
  }
  const units = options.units ?? {};
  if (
    typeof units !== 'object' ||
    units === null ||
    Array.isArray(units) ||
    !Object.values(units).every((u) => typeof u === 'string')
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option units must map column names to unit strings (found ${describeValue(units)}); e.g. { recency: 'days' }`,
    );
  }
  return {
    columns: [...(columns as string[])],
    maxDepth: integer('maxDepth', options.maxDepth, 1, 20, defaults.maxDepth)!,
    minLeafSize: integer('minLeafSize', options.minLeafSize, 1, 2 ** 31 - 1, undefined),
    seed,
    units: units as Record<string, string>,
    maxFitRows: integer('maxFitRows', options.maxFitRows, 10, 1_000_000, defaults.maxFitRows)!,
  };
}
