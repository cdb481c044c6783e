import type { Table } from 'apache-arrow';
import { randomSource } from '../math/internal';
import {
  asTable,
  ClienteleError,
  deepFreeze,
  describeValue,
  DropCounter,
  isAdmissible,
  knownOptions,
  optionNames,
  readKeys,
  readNumeric,
  TypeId,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { conditionText, fitDecisionTree, formatPercent, resolveTreeOptions } from './decision-rules';
import type { DecisionTree, ResolvedTreeOptions, RuleCondition } from './decision-rules';

/** Options of {@link explainSegments}. */
export interface ExplainSegmentsOptions {
  /** Numeric feature columns the rules may use. Required. */
  columns: readonly string[];
  /** Splits allowed on a path from the root (rules have at most this many conditions). Default 3. */
  maxDepth?: number;
  /** Fewest rows in a rule. Default 1 % of the rows kept, at least 1. */
  minLeafSize?: number;
  /** Seed of the sample ml-cart is fitted on when there are more than `maxFitRows` rows. Default 1. */
  seed?: number;
  /** Units printed after thresholds, by column: `{ recency: 'days', monetary: '€' }`. */
  units?: Readonly<Record<string, string>>;
  /** Most rows the tree is fitted on; more are sampled down, stratified by segment (ml-cart is O(n²)). Default 2000. */
  maxFitRows?: number;
}

/** A segment label as it was given: a number from a label array or a numeric column, else the column's text. */
export type SegmentLabel = number | string;

/** One leaf of the explanation tree: where it is, which segment it predicts, and how well. */
export interface ExplanationRule {
  /** The segment most rows of the leaf belong to. */
  readonly segment: SegmentLabel;
  /** Conditions on the features, merged per feature (at most one `>` and one `≤` each). */
  readonly conditions: readonly RuleCondition[];
  /** "10 < recency ≤ 45 days and frequency > 3" ("all rows" for a tree without splits). */
  readonly text: string;
  /** Rows kept that meet the conditions. */
  readonly support: number;
  /** Share of those rows in `segment`, in (0, 1]. */
  readonly purity: number;
}

/** How well the rules recover one segment. */
export interface SegmentFit {
  readonly segment: SegmentLabel;
  /** Rows kept in the segment. */
  readonly rows: number;
  /** Rows the rules assign to the segment. */
  readonly predicted: number;
  /** Rows of the segment that the rules assign to it. */
  readonly correct: number;
  /** correct / rows: the share of the segment its rules capture. */
  readonly recall: number;
  /** correct / predicted: the share of the rows assigned to it that belong to it (NaN when none are). */
  readonly precision: number;
}

/** The result of {@link explainSegments}; frozen. */
export interface SegmentExplanation {
  /** One rule per leaf, by segment (in segment order), then by support (largest first). */
  readonly rules: readonly ExplanationRule[];
  /** The rules as sentences: "recency ≤ 45 days and frequency > 3 → segment 2, 91% pure". */
  readonly text: readonly string[];
  /** Share of the rows kept whose segment the rules give (training accuracy of the tree). */
  readonly accuracy: number;
  /** Recall and precision of the rules per segment, in segment order. */
  readonly perSegment: readonly SegmentFit[];
  /** Splits on the longest path. */
  readonly depth: number;
  /** Number of rules. */
  readonly leaves: number;
  /** The feature columns. */
  readonly features: readonly string[];
  /** Input rows, rows kept, rows dropped by reason (`missingLabel`, `invalidValue`). */
  readonly rows: DropReport;
}

const DEFAULTS = { maxDepth: 3, seed: 1, maxFitRows: 2000 };

/** The options explainSegments takes; every other name is refused with a did-you-mean. */
const EXPLAIN_SEGMENTS_OPTION_NAMES = optionNames<ExplainSegmentsOptions>({
  columns: true,
  maxDepth: true,
  minLeafSize: true,
  seed: true,
  units: true,
  maxFitRows: true,
});

/**
 * Explains a segmentation in words: fits a shallow classification tree that predicts each row's segment from the
 * feature columns and reads every leaf as a rule — "recency ≤ 45 days and frequency > 3 → segment 2, 91% pure".
 * Analysts use it to name and brief k-means (or any) segments, and to check that a segment has a simple
 * description (a low purity says it has not).
 *
 * Tree: CART with Gini impurity (Breiman et al. 1984), fitted by ml-cart: at each node the split `x < t` with the
 * largest Gini gain, t at the midpoint between adjacent values, until `maxDepth`, a pure node, or a node of
 * 2·minLeafSize − 1 rows. Above `maxFitRows` rows ml-cart (O(n²) per node) sees a stratified seeded sample: the
 * sample chooses each split's feature, and the cut is then chosen again on all the node's rows (best Gini gain,
 * at least `minLeafSize` rows a side). Without a sample, a split that leaves fewer than `minLeafSize` rows on a side
 * is undone. Every kept row is routed through the tree for the counts. A rule's segment is its leaf's most frequent
 * one (the first in segment order on a tie), purity the share of the leaf in it; accuracy counts the rows in their
 * rule's segment.
 *
 * Thresholds: each split is moved from the midpoint to the roundest number in [a, b), a the largest value going
 * left and b the smallest going right — fewest significant digits, then nearest the midpoint — so no row changes
 * side, integer columns get integer thresholds ("recency ≤ 45", not 45.5), and the printed number is exactly the
 * one the rule uses, never longer than the data's own precision.
 *
 * Labels: an `Int32Array` or array of numbers with one segment per row (as `kmeans(…).labels`; −1, null or NaN for a
 * row not segmented), an object with such `labels`, or the name of a column of the table (numbers or text; −1 or
 * null for a row not segmented). Segments are ordered by number, or text by code point.
 * Rows not segmented are dropped and counted (`missingLabel`), rows with a null, NaN or infinite feature too
 * (`invalidValue`; a row with both counts under `missingLabel`).
 *
 * Units: thresholds in the columns' own units; `units` only labels them.
 *
 * Cost: O(m² · d) for ml-cart on m = min(rows, maxFitRows) rows, plus O(n · (d + depth)), plus O(n log n) per level
 * when the cuts are chosen again after a sample. 100,000 rows × 5 features: about 1.3 s (default maxFitRows).
 * Reference: L. Breiman, J. Friedman, R. Olshen & C. Stone (1984), Classification and Regression Trees, Wadsworth,
 * ch. 4 (the Gini index of diversity).
 *
 * @param table one row per customer (anything `asTable` accepts)
 * @param labels the segment of each row, or the name of the segment column
 * @param options `columns` (required); `maxDepth` (3), `minLeafSize` (1 % of the rows kept), `seed` (1),
 *   `units`, `maxFitRows` (2000)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` (a non-numeric feature), `INVALID_OPTION` (bad options,
 *   labels of the wrong length or kind), `INVALID_VALUE` (a label that is not a whole number ≥ −1), `EMPTY_INPUT`
 * @example
 * const customers = { recency: [5, 12, 30, 41, 60, 90, 120, 200], frequency: [9, 7, 8, 6, 2, 1, 2, 1] };
 * const why = explainSegments(customers, [0, 0, 0, 0, 1, 1, 1, 1], { columns: ['recency', 'frequency'], units: { recency: 'days' } });
 * why.text; // ['recency ≤ 50 days → segment 0, 100% pure', 'recency > 50 days → segment 1, 100% pure']
 * why.accuracy; // 1
 */
export function explainSegments(
  table: unknown,
  labels: ArrayLike<number> | string | { readonly labels: ArrayLike<number> },
  options: ExplainSegmentsOptions,
): SegmentExplanation {
  options = knownOptions(options, EXPLAIN_SEGMENTS_OPTION_NAMES, 'explainSegments');
  const fn = 'explainSegments';
  const input = asTable(table);
  const o = resolveOptions(options, fn);
  const data = readSegmentRows(input, labels, o, fn);
  const tree = fitDecisionTree(data.features, data.classes, data.rows, {
    features: o.columns,
    classCount: data.segments.length,
    maxDepth: o.maxDepth,
    minLeafSize: o.minLeafSize ?? Math.max(1, Math.ceil(data.rows.length / 100)),
    maxFitRows: o.maxFitRows,
    rng: randomSource(o.seed),
  });
  return assembleExplanation(tree, data, o);
}

/** The rows of an explanation: features, each row's class (segment present, numbered in label order), rows kept. */
interface SegmentRows {
  readonly features: Float64Array[];
  readonly n: number;
  /** Input row numbers of the rows kept, ascending. */
  readonly rows: Int32Array;
  /** Class number of each kept row, at its input row number. */
  readonly classes: Int32Array;
  /** The segments present in the rows kept, in label order: class c is segments[c]. */
  readonly segments: SegmentLabel[];
  readonly drops: DropCounter;
}

/** Read: features and labels; unsegmented or non-finite rows dropped; the segments present become classes. */
function readSegmentRows(input: Table, labels: unknown, o: ResolvedTreeOptions, fn: string): SegmentRows {
  const n = input.numRows;
  const features = o.columns.map((c) => readNumeric(input, c, fn, 'columns').values);
  const { segmentOf, names } = readSegments(input, labels, fn);
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);

  const drops = new DropCounter();
  const kept = new Int32Array(n);
  let size = 0;
  // hand-written: one pass per feature over all rows marks the bad ones, rather than a per-row loop over columns
  const badFeature = new Uint8Array(n);
  for (const x of features) for (let i = 0; i < n; i++) if (!isAdmissible(x[i])) badFeature[i] = 1;
  for (let i = 0; i < n; i++) {
    if (segmentOf[i] < 0) drops.drop('missingLabel', i);
    else if (badFeature[i]) drops.drop('invalidValue', i);
    else kept[size++] = i;
  }
  if (size === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the labels (−1 = not segmented) and the feature columns`,
    );
  }
  const rows = kept.subarray(0, size);

  // segments present in the rows kept, numbered 0…k−1 in label order
  const present = new Uint8Array(names.length);
  for (let r = 0; r < size; r++) present[segmentOf[rows[r]]] = 1;
  const classOfSegment = new Int32Array(names.length).fill(-1);
  const segments: SegmentLabel[] = [];
  names.forEach((name, s) => {
    if (present[s]) {
      classOfSegment[s] = segments.length;
      segments.push(name);
    }
  });
  const classes = new Int32Array(n);
  for (let r = 0; r < size; r++) classes[rows[r]] = classOfSegment[segmentOf[rows[r]]];
  return { features, n, rows, classes, segments, drops };
}

/** Assemble: the leaves as rules (by segment, then support), their sentences, accuracy and per-segment fit, frozen. */
function assembleExplanation(tree: DecisionTree, data: SegmentRows, o: ResolvedTreeOptions): SegmentExplanation {
  const { segments, n, drops } = data;
  const size = data.rows.length;
  const perClass = segments.map(() => ({ rows: 0, predicted: 0, correct: 0 }));
  for (const leaf of tree.leaves) {
    leaf.counts.forEach((count, c) => (perClass[c].rows += count));
    perClass[leaf.predicted].predicted += leaf.support;
    perClass[leaf.predicted].correct += leaf.counts[leaf.predicted];
  }
  const rules: ExplanationRule[] = tree.leaves
    .map((leaf) => ({
      class: leaf.predicted,
      rule: {
        segment: segments[leaf.predicted],
        conditions: leaf.conditions,
        text: conditionText(leaf.conditions, o.units),
        support: leaf.support,
        purity: leaf.purity,
      },
    }))
    .sort((a, b) => a.class - b.class || b.rule.support - a.rule.support)
    .map((x) => x.rule);
  const correct = perClass.reduce((s, c) => s + c.correct, 0);
  return deepFreeze({
    rules,
    text: rules.map(
      (r) =>
        `${r.text} → ${typeof r.segment === 'number' ? `segment ${r.segment}` : r.segment}, ${formatPercent(r.purity)} pure`,
    ),
    accuracy: correct / size,
    perSegment: perClass.map((c, j) => ({
      segment: segments[j],
      rows: c.rows,
      predicted: c.predicted,
      correct: c.correct,
      recall: c.correct / c.rows,
      precision: c.predicted > 0 ? c.correct / c.predicted : NaN,
    })),
    depth: tree.depth,
    leaves: tree.leaves.length,
    features: [...o.columns],
    rows: { rows: n, kept: size, dropped: { ...drops.counts }, firstRow: { ...drops.first }, total: drops.total },
  });
}

function resolveOptions(options: ExplainSegmentsOptions, fn: string): ResolvedTreeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must name the feature columns (found ${describeValue(options)}); pass { columns: ['recency', 'frequency'] }`,
    );
  }
  return resolveTreeOptions(options, DEFAULTS, fn, 'columns');
}

/** Each row's segment as an index into `names` (−1 when the row is not segmented), names in label order. */
function readSegments(table: Table, labels: unknown, fn: string): { segmentOf: Int32Array; names: SegmentLabel[] } {
  const n = table.numRows;
  if (typeof labels === 'string') return segmentsFromColumn(table, labels, fn);
  const values =
    typeof labels === 'object' &&
    labels !== null &&
    !ArrayBuffer.isView(labels) &&
    !Array.isArray(labels) &&
    (labels as { labels?: unknown }).labels !== undefined
      ? (labels as { labels: unknown }).labels
      : labels;
  if (!(
    Array.isArray(values) ||
    (ArrayBuffer.isView(values) &&
      !(values instanceof DataView) &&
      !(values instanceof BigInt64Array) &&
      !(values instanceof BigUint64Array))
  )) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: labels must be an Int32Array or array of segment numbers, or the name of a segment column (found ${describeValue(labels)}); pass kmeans(…).labels`,
    );
  }
  const array = values as ArrayLike<number | null | undefined>;
  if (array.length !== n) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: labels has ${array.length} values but the table has ${n} rows; pass one label per row (−1 for rows not segmented)`,
    );
  }
  const segmentOf = new Int32Array(n);
  const distinct = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = array[i];
    if (v === null || v === undefined || v === -1 || (typeof v === 'number' && v !== v)) {
      segmentOf[i] = -1;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: label at row ${i} is not a segment number (found ${describeValue(v)}); pass whole numbers ≥ 0, −1 for a row not segmented`,
        { row: i },
      );
    }
    let id = distinct.get(v);
    if (id === undefined) distinct.set(v, (id = distinct.size));
    segmentOf[i] = id;
  }
  return renumber(segmentOf, [...distinct.keys()]);
}

/** Segments from a column: numbers (−1 = not segmented) or text; null = not segmented. */
function segmentsFromColumn(table: Table, name: string, fn: string): { segmentOf: Int32Array; names: SegmentLabel[] } {
  const keys = readKeys(table, name, fn, 'labels');
  const numeric = keys.keys.type.typeId === TypeId.Int || keys.keys.type.typeId === TypeId.Float;
  const values: SegmentLabel[] = [];
  for (let id = 0; id < keys.size; id++) {
    const v = keys.keys.get(id) as unknown;
    values.push(numeric ? Number(v) : String(v));
  }
  const segmentOf = Int32Array.from(keys.codes);
  if (numeric) {
    const none = values.indexOf(-1);
    if (none >= 0) for (let i = 0; i < segmentOf.length; i++) if (segmentOf[i] === none) segmentOf[i] = -1;
  }
  return renumber(segmentOf, values);
}

/** Renumbers segment ids so that they follow the labels' order (numbers ascending, text by code point). */
function renumber(segmentOf: Int32Array, values: SegmentLabel[]): { segmentOf: Int32Array; names: SegmentLabel[] } {
  const order = values
    .map((_, id) => id)
    .sort((a, b) => {
      const x = values[a];
      const y = values[b];
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    });
  const rank = new Int32Array(values.length);
  order.forEach((id, r) => (rank[id] = r));
  for (let i = 0; i < segmentOf.length; i++) if (segmentOf[i] >= 0) segmentOf[i] = rank[segmentOf[i]];
  return { segmentOf, names: order.map((id) => values[id]) };
}
