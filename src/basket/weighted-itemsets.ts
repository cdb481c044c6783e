import type { Table, Vector } from 'apache-arrow';
import { ClienteleError, describeValue, grown, readNumericVector } from '../table/internal';
import type { FrequentItemsetsOptions } from './frequent-itemsets';
import { itemsetsResult, resolveMining } from './frequent-itemsets';
import { ItemsetCollector } from './mined';
import type { Baskets, MinedItemsets } from './mined';

/** Metadata keys of a weighted itemset table (besides those of every itemset table). */
const META_WEIGHTED = 'clientele.weighted';
const META_WEIGHT_TOTAL = 'clientele.weightTotal';

/**
 * Weighted frequent itemsets: the core of `frequentItemsets(input, { weights, minSupport })` (src/api/basket.ts).
 *
 * Weighted support (arules `weclat`; Sun & Bai 2008, Definition 3 with basket weights): with w_b ≥ 0 the weight of
 * basket b and W = Σ_b w_b, the weighted support of itemset X is supp_w(X) = Σ_{b ⊇ X} w_b / W — the share of the
 * weight (revenue, quantity) of the baskets holding X. X is frequent when Σ_{b ⊇ X} w_b ≥ minSupport · W. With all
 * w_b = 1 it is the ordinary support. It is anti-monotone because weights are ≥ 0: a superset is held by a subset of
 * the baskets, so its weight is no larger — which is why negative weights are refused (they would break the search
 * and the rules' subset look-ups).
 *
 * Conventions, as arules 1.7-10 `weclat` (`src/warm.c`) so that results agree to the last bit: W and every
 * Σ w_b are plain sums in ascending basket order (a sum over a subsequence of the same non-negative terms in the
 * same order never exceeds the whole in floating point, so the supports stay exactly anti-monotone); the threshold
 * is minSupport · W; supports are Σ w_b / W. `count` is the number of baskets holding the set (unweighted).
 *
 * Cost: as Eclat on tid-lists — pairs O(Σ_b |b|²) from the baskets, then O(|t(Px)| + |t(Py)|) per joined pair.
 *
 * @throws {ClienteleError} `INVALID_OPTION`: weights not one finite number ≥ 0 per basket, all zero, or an option
 *   that weighted mining does not take (minCount, algorithm other than eclat, target other than all)
 */
export function weightedItemsetsOfTable(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions,
): Table {
  const fn = 'frequentItemsets';
  const { weights: given, ...rest } = options;
  refuseUnweightedOptions(rest, fn);
  const resolved = resolveMining(input, rest, fn);
  const { baskets: b, maxLength, maxItemsets } = resolved;
  const weights = checkWeights(given, b.count, fn);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  if (!(total > 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights sums to ${total} (found every basket weighing 0); give some basket a weight > 0`,
    );
  }
  const minSupport = rest.minSupport as number;
  const { mined, sums } = weightedEclat(b, weights, minSupport * total, maxLength, maxItemsets);
  const metadata = {
    [META_WEIGHTED]: 'true',
    [META_WEIGHT_TOTAL]: String(total),
    'clientele.minSupport': String(minSupport),
  };
  return itemsetsResult(mined, resolved, { sums, total, metadata });
}

/** The options of unweighted mining that have no weighted meaning, refused. */
function refuseUnweightedOptions(options: FrequentItemsetsOptions, fn: string): void {
  const refuse = (name: string, value: unknown, fix: string) => {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} does not apply with weights (found ${name} ${describeValue(value)}); ${fix}`,
    );
  };
  if (options.minCount !== undefined) refuse('minCount', options.minCount, 'give minSupport, a share of the weight');
  if (options.algorithm !== undefined && options.algorithm !== 'eclat')
    refuse(
      'algorithm',
      options.algorithm,
      "weighted itemsets are mined by weighted Eclat: leave algorithm out or pass 'eclat'",
    );
  if (options.target !== undefined && options.target !== 'all')
    refuse('target', options.target, "weighted mining returns all frequent itemsets: leave target out or pass 'all'");
  if (options.minSupport === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minSupport is required with weights (found none); give a share of the weight in (0, 1], e.g. { minSupport: 0.01, weights }`,
    );
  }
}

/** The weights as a fresh Float64Array of one finite number ≥ 0 per basket. */
function checkWeights(weights: unknown, n: number, fn: string): Float64Array {
  const w = weights as ArrayLike<unknown> | null;
  const length = typeof w === 'object' && w !== null ? w.length : undefined;
  if (typeof length !== 'number' || typeof w === 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights must be an array of one number per basket (found ${describeValue(weights)}); ` +
        `e.g. weights: b.weights from baskets(tx, { weights: { column: 'amount' } })`,
    );
  }
  if (length !== n) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights holds ${length} numbers for ${n} baskets (found a length of ${length}); give one weight per basket, in basket order`,
    );
  }
  const out = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const v = w![b];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option weights at basket ${b} is ${describeValue(v)} (found a weight that is not a finite number ≥ 0); ` +
          `weighted support needs weights ≥ 0: drop returns or set a missing weight before mining`,
        { row: b },
      );
    }
    out[b] = v;
  }
  return out;
}

/** One equivalence class of the weighted search (see `eclat.ts`): members P ∪ {x}, their tid-lists and weights. */
interface WeightedClass {
  size: number;
  readonly item: Int32Array;
  readonly count: Int32Array;
  readonly sum: Float64Array;
  readonly start: Int32Array;
  buffer: Int32Array;
}

function newClass(capacity: number, buffer: number): WeightedClass {
  return {
    size: 0,
    item: new Int32Array(capacity),
    count: new Int32Array(capacity),
    sum: new Float64Array(capacity),
    start: new Int32Array(capacity + 1),
    buffer: new Int32Array(buffer),
  };
}

/** The state of one run, shared by the recursion. */
interface WeightedSearch {
  readonly classes: WeightedClass[];
  readonly path: Int32Array;
  readonly minWeight: number;
  readonly longest: number;
  readonly capacity: number;
  readonly weights: Float64Array;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  /** Rank of each item code in the search order, −1 for an infrequent item. */
  readonly rank: Int32Array;
  /** Pair weights and counts of the item whose pairs are being counted, by rank of the other item; zero between. */
  readonly pairSum: Float64Array;
  readonly pairCount: Int32Array;
  readonly out: ItemsetCollector;
  /** The weight of every itemset emitted so far, in the collector's order. */
  sums: Float64Array;
  emitted: number;
  readonly maxItemsets: number;
}

/**
 * Weighted Eclat on tid-lists: every itemset of 1 … maxLength items whose baskets weigh ≥ minWeight, with its
 * basket count and its weight Σ w_b (ascending basket order). Frequent items in ascending weight order (as
 * arules); the classes of pairs are counted from the baskets of t(x) (one row of Eclat's triangular array at a
 * time), deeper classes by merging tid-lists, each intersection written while its weight is summed and dropped
 * when it falls short. No diffsets: a weight from a diffset would be a difference of sums, rounded differently.
 */
function weightedEclat(
  baskets: Baskets,
  weights: Float64Array,
  minWeight: number,
  maxLength: number,
  maxItemsets: number,
): { mined: MinedItemsets; sums: Float64Array } {
  const out = new ItemsetCollector();
  const { offsets, items, count } = baskets;
  let width = baskets.names.length;
  for (let p = offsets[0]; p < offsets[count]; p++) if (items[p] >= width) width = items[p] + 1;
  const sum = new Float64Array(width);
  const support = new Int32Array(width);
  for (let b = 0; b < count; b++) {
    const w = weights[b];
    for (let p = offsets[b]; p < offsets[b + 1]; p++) {
      sum[items[p]] += w;
      support[items[p]]++;
    }
  }
  let frequent = 0;
  for (let c = 0; c < width; c++) if (sum[c] >= minWeight && support[c] > 0) frequent++;
  const search: WeightedSearch = {
    classes: [newClass(frequent, 0)],
    path: new Int32Array(Math.max(1, Math.min(maxLength, frequent))),
    minWeight,
    longest: Math.min(maxLength, frequent),
    capacity: frequent,
    weights,
    offsets,
    items,
    rank: new Int32Array(width).fill(-1),
    pairSum: new Float64Array(frequent),
    pairCount: new Int32Array(frequent),
    out,
    sums: new Float64Array(256),
    emitted: 0,
    maxItemsets,
  };
  if (frequent === 0 || !(maxLength >= 1)) return { mined: out.result(), sums: new Float64Array(0) };
  const order = new Int32Array(frequent);
  for (let c = 0, r = 0; c < width; c++) if (sum[c] >= minWeight && support[c] > 0) order[r++] = c;
  order.sort((a, b) => sum[a] - sum[b] || a - b);
  const root = search.classes[0];
  for (let r = 0; r < frequent; r++) {
    const c = order[r];
    search.rank[c] = r;
    root.item[r] = c;
    root.count[r] = support[c];
    root.sum[r] = sum[c];
    root.start[r + 1] = root.start[r] + support[c];
    search.path[0] = c;
    emit(search, 1, support[c], sum[c]);
  }
  root.size = frequent;
  root.buffer = new Int32Array(root.start[frequent]);
  const fill = root.start.slice(0, frequent);
  for (let b = 0; b < count; b++) {
    for (let p = offsets[b]; p < offsets[b + 1]; p++) {
      const r = search.rank[items[p]];
      if (r >= 0) root.buffer[fill[r]++] = b;
    }
  }
  if (search.longest >= 2) mineClass(search, 0);
  const mined = out.result();
  return { mined, sums: search.sums.slice(0, mined.counts.length) };
}

/** Adds path[0 … length − 1] with its count and weight, under the `maxItemsets` guard. */
function emit(search: WeightedSearch, length: number, count: number, weight: number): void {
  const at = search.emitted++;
  if (at >= search.maxItemsets) {
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `frequentItemsets: the weighted search passed maxItemsets = ${search.maxItemsets} frequent itemsets (found more at ` +
        `a weight of ${search.minWeight}); raise minSupport, set maxLength, or raise maxItemsets (Infinity lifts the limit)`,
    );
  }
  search.out.add(search.path, length, count);
  search.sums = grown(search.sums, at + 1);
  search.sums[at] = weight;
}

/** Builds, emits and descends into the class of every member of classes[depth] (itemsets of depth + 1 items). */
// eslint-disable-next-line max-lines-per-function -- hot kernel: the pair and the merge passes share one class's state
function mineClass(search: WeightedSearch, depth: number): void {
  const { classes, path, minWeight, weights } = search;
  const parent = classes[depth];
  const list = parent.buffer;
  const starts = parent.start;
  const childLength = depth + 2;
  const writeLists = childLength < search.longest;
  if (classes.length <= depth + 1) classes.push(newClass(search.capacity, 1024));
  const child = classes[depth + 1];
  for (let i = 0; i < parent.size - 1; i++) {
    path[depth] = parent.item[i];
    const a = starts[i];
    const aEnd = starts[i + 1];
    let kept = 0;
    if (depth === 0) {
      // pairs {x, y}: weights and counts summed from the baskets of t(x), ascending, by rank of y
      const { offsets, items, rank, pairSum, pairCount } = search;
      for (let t = a; t < aEnd; t++) {
        const b = list[t];
        const w = weights[b];
        for (let p = offsets[b]; p < offsets[b + 1]; p++) {
          const r = rank[items[p]];
          if (r > i) {
            pairSum[r] += w;
            pairCount[r]++;
          }
        }
      }
      for (let j = i + 1; j < parent.size; j++) {
        if (pairCount[j] > 0 && pairSum[j] >= minWeight) {
          child.item[kept] = parent.item[j];
          child.count[kept] = pairCount[j];
          child.sum[kept] = pairSum[j];
          child.start[kept + 1] = child.start[kept] + pairCount[j];
          pairCount[j] = -1 - kept; // the member's index, for the delivery below
          kept++;
        } else pairCount[j] = 0;
        pairSum[j] = 0;
      }
      if (writeLists && kept >= 2) {
        // t({x, y}) delivered from the same baskets; a cursor per kept member
        const need = child.start[kept];
        if (child.buffer.length < need) child.buffer = new Int32Array(Math.max(need, 2 * child.buffer.length));
        const cursor = child.start.slice(0, kept);
        for (let t = a; t < aEnd; t++) {
          const b = list[t];
          for (let p = offsets[b]; p < offsets[b + 1]; p++) {
            const r = rank[items[p]];
            if (r > i && pairCount[r] < 0) child.buffer[cursor[-1 - pairCount[r]]++] = b;
          }
        }
      }
      for (let j = i + 1; j < parent.size; j++) pairCount[j] = 0;
    } else {
      let at = 0;
      for (let j = i + 1; j < parent.size; j++) {
        let x = a;
        let y = starts[j];
        const yEnd = starts[j + 1];
        if (writeLists && child.buffer.length < at + Math.min(aEnd - x, yEnd - y))
          child.buffer = grown(child.buffer, at + Math.min(aEnd - x, yEnd - y));
        const into = child.buffer;
        let w = 0;
        let common = 0;
        // hand-written merge: the hot loop; the weight summed in ascending basket order
        while (x < aEnd && y < yEnd) {
          const u = list[x];
          const v = list[y];
          if (u < v) x++;
          else if (u > v) y++;
          else {
            w += weights[u];
            if (writeLists) into[at + common] = u;
            common++;
            x++;
            y++;
          }
        }
        if (common === 0 || w < minWeight) continue;
        child.item[kept] = parent.item[j];
        child.count[kept] = common;
        child.sum[kept] = w;
        if (writeLists) at += common;
        child.start[kept + 1] = at;
        kept++;
      }
    }
    for (let m = 0; m < kept; m++) {
      path[depth + 1] = child.item[m];
      emit(search, childLength, child.count[m], child.sum[m]);
    }
    if (!writeLists || kept < 2) continue;
    child.size = kept;
    mineClass(search, depth + 1);
  }
}

/**
 * The weighted supports of a weighted itemset table (`clientele.weighted` = `'true'`), for `associationRules`:
 * its `support` column (shares of the weight, in [0, 1]), the number of baskets and the weight total; or null for
 * an unweighted table. Rules then take supp_w for P in every measure (arules `ruleInduction` on `weclat` output).
 *
 * @throws {ClienteleError} `INVALID_INPUT` when the support column or the metadata is missing or out of range
 */
export function readWeightedSupports(
  table: Table,
  fn: string,
): { support: Float64Array; baskets: string; total: string } | null {
  const metadata = table.schema.metadata;
  if (metadata.get(META_WEIGHTED) !== 'true') return null;
  const total = metadata.get(META_WEIGHT_TOTAL) ?? '';
  const column = table.getChild('support');
  if (!(Number(total) > 0) || !column) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: a weighted itemset table needs a support column and ${META_WEIGHT_TOTAL} > 0 (found ${describeValue(total)}${column ? '' : ', no support column'}); ` +
        `pass the table frequentItemsets(…, { weights }) returns`,
    );
  }
  const support = Float64Array.from(readNumericVector(column as Vector, 'support', fn).values);
  for (let s = 0; s < support.length; s++) {
    if (!(support[s] >= 0 && support[s] <= 1)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: column "support" row ${s} must be a weighted support in [0, 1] (found ${describeValue(support[s])}); ` +
          `pass the table frequentItemsets(…, { weights }) returns`,
        { column: 'support', row: s },
      );
    }
  }
  return { support, baskets: metadata.get('clientele.baskets') ?? '', total };
}

/**
 * The rule measures that keep their meaning when every probability is a weighted support: those computed from
 * supp_w alone. `count` (a number of baskets) does not, nor would a test statistic on counts (χ², Fisher).
 */
const WEIGHTED_RULE_MEASURES: readonly string[] = Object.freeze([
  'support',
  'confidence',
  'lift',
  'leverage',
  'conviction',
  'antecedentSupport',
  'consequentSupport',
  'zhang',
  // the measures of rule-measures.ts that are functions of the three supports alone (no basket count, no +1)
  'jaccard',
  'certainty',
  'kulczynski',
  'allConfidence',
  'cosine',
  'addedValue',
  'oddsRatio',
  'phi',
  'yuleQ',
  'yuleY',
  'kappa',
  'maxConfidence',
  'imbalance',
  'relativeRisk',
  'improvement',
  'representativity',
]);

/**
 * The measures of rules from a weighted itemset table: the default list without those that need counts; a list the
 * caller named must hold none of them.
 *
 * @throws {ClienteleError} `INVALID_OPTION` for a measure named that needs basket counts
 */
export function weightedRuleMeasures<M extends string>(measures: readonly M[], named: boolean, fn: string): M[] {
  const refused = measures.filter((m) => !WEIGHTED_RULE_MEASURES.includes(m));
  if (named && refused.length > 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option measures names ${refused.join(', ')}, which need basket counts (found weighted itemsets); ` +
        `use any of ${WEIGHTED_RULE_MEASURES.join(', ')}`,
    );
  }
  return measures.filter((m) => WEIGHTED_RULE_MEASURES.includes(m));
}

/** The schema metadata of rules from weighted itemsets: the number of baskets and the weight total. */
export function weightedRulesMetadata(weighted: { baskets: string; total: string }): Record<string, string> {
  return { 'clientele.baskets': weighted.baskets, [META_WEIGHTED]: 'true', [META_WEIGHT_TOTAL]: weighted.total };
}
