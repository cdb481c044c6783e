import { Bool, Float64, Int32, makeData, makeVector } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { randomSource } from '../math/internal';
import {
  asTable,
  ClienteleError,
  deepFreeze,
  describeValue,
  DropCounter,
  getColumn,
  isAdmissible,
  knownOptions,
  META,
  optionNames,
  readKeysVector,
  readNumeric,
  tableWithMetadata,
  TypeId,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import {
  conditionText,
  fitDecisionTree,
  formatPercent,
  resolveTreeOptions,
  routeRows,
  stratifiedSplit,
} from './decision-rules';
import type { DecisionTree, ResolvedTreeOptions, RuleCondition } from './decision-rules';

/** Options of {@link churnModel}. */
export interface ChurnModelOptions {
  /** Numeric feature columns (recency, frequency, tenure, complaints …). Required. */
  features: readonly string[];
  /** The churn label column: boolean, 0/1, or two values of any kind with `positive`. Required. */
  label: string;
  /** Splits allowed on a path from the root. Default 4. */
  maxDepth?: number;
  /** Fewest training rows in a leaf. Default 1 % of the training rows, at least 1. */
  minLeafSize?: number;
  /** Share of the rows held out for testing, 0 < testShare < 1. Default 0.3. */
  testShare?: number;
  /** Seed of the train/test split (and of the fitting sample). Default 1. */
  seed?: number;
  /** The label value that means "churned". Default `true` for booleans, 1 for numbers; required for text. */
  positive?: string | number | boolean;
  /** Units printed after thresholds, by column: `{ recency: 'days' }`. */
  units?: Readonly<Record<string, string>>;
  /** Most training rows the tree is fitted on; more are sampled down, stratified by class. Default 2000. */
  maxFitRows?: number;
}

/** One leaf of a churn tree: a group of customers and how many of them churned. */
export interface ChurnRule {
  /** Conditions on the features, merged per feature. */
  readonly conditions: readonly RuleCondition[];
  /** "recency > 90 days and frequency ≤ 2" ("all rows" for a tree without splits). */
  readonly text: string;
  /** Training rows that meet the conditions. */
  readonly support: number;
  /** Of those, rows with the positive label. */
  readonly churners: number;
  /** churners / support: the probability the model gives every row of the leaf. */
  readonly churnRate: number;
  /** Whether the leaf predicts churn (churnRate > 0.5). */
  readonly predicted: boolean;
  /** Share of the leaf's rows in its predicted class, in [0.5, 1]. */
  readonly purity: number;
  /** Leaf number, as in the `leaf` column of `predict`. */
  readonly leaf: number;
}

/** Counts of test rows by actual and predicted class. */
export interface ConfusionMatrix {
  readonly truePositive: number;
  readonly falsePositive: number;
  readonly trueNegative: number;
  readonly falseNegative: number;
}

/** A fitted churn tree with its held-out evaluation; frozen. */
export interface ChurnModel {
  readonly features: readonly string[];
  readonly label: string;
  /** The label value counted as churn. */
  readonly positive: string | number | boolean;
  /** One rule per leaf, riskiest first (churn rate, then support, descending). */
  readonly rules: readonly ChurnRule[];
  /** The rules as sentences: "recency > 90 days and frequency ≤ 2 → 78% churn (312 of 400)". */
  readonly text: readonly string[];
  /** Share of test rows classified correctly (churn predicted when the leaf's churn rate is above 0.5). */
  readonly accuracy: number;
  /** Area under the ROC curve of the leaf probabilities on the test rows (NaN when the test set has one class). */
  readonly auc: number;
  /** Test rows by actual × predicted class. */
  readonly confusion: ConfusionMatrix;
  /** TP / (TP + FP) on the test rows (NaN when no churn is predicted). */
  readonly precision: number;
  /** TP / (TP + FN) on the test rows (NaN when the test set has no churner). */
  readonly recall: number;
  /** Share of churners among the rows kept. */
  readonly baseRate: number;
  /** Rows the tree was trained on and rows held out. */
  readonly train: number;
  readonly test: number;
  /** Input row numbers of the test rows, ascending (to evaluate the model again on exactly those rows). */
  readonly testRows: Int32Array;
  /** Splits on the longest path, and number of leaves. */
  readonly depth: number;
  readonly leaves: number;
  /** The fitted tree (class 1 = churn), as plain data; {@link predictChurn} evaluates it. */
  readonly tree: DecisionTree;
  /** Input rows, rows kept, rows dropped by reason (`missingLabel`, `invalidValue`). */
  readonly rows: DropReport;
  /** Churn probability and prediction for every row of a table with the feature columns: {@link predictChurn}. */
  readonly predict: (table: unknown) => Table;
}

const DEFAULTS = { maxDepth: 4, seed: 1, maxFitRows: 2000, testShare: 0.3 };
const NEGATIVE = 0;
const POSITIVE = 1;

/** The options churnModel takes; every other name is refused with a did-you-mean. */
const CHURN_MODEL_OPTION_NAMES = optionNames<ChurnModelOptions>({
  features: true,
  label: true,
  maxDepth: true,
  minLeafSize: true,
  testShare: true,
  seed: true,
  positive: true,
  units: true,
  maxFitRows: true,
});

/**
 * A classification tree for "who is about to churn": fitted on a stratified training share of the customers and
 * judged on the rest, with the leaves read as rules ("recency > 90 days and frequency ≤ 2 → 78% churn"). Analysts
 * use it to find the groups at risk, to score customers for a retention campaign (`predict`), and to see whether a
 * few behavioural variables say enough (AUC, recall).
 *
 * Method: the rows kept are split into training and test rows at random, stratified by label (each class sends
 * round(testShare · n_class) rows to the test set, so both sets keep the churn rate to within a row). A CART tree
 * with Gini impurity (Breiman et al. 1984) is fitted on the training rows with ml-cart, as in `explainSegments`
 * (above `maxFitRows` training rows ml-cart sees a stratified sample and each cut is chosen again on all of them;
 * thresholds moved to the roundest number between the adjacent training values; no leaf under `minLeafSize`). A leaf's churn
 * probability is the share of churners among the training rows that reach it; it predicts churn when that share is
 * above 0.5 (the tree's majority, a tie counting as no churn).
 *
 * Evaluation, on the test rows: accuracy; the confusion matrix; precision TP/(TP+FP) and recall TP/(TP+FN); the AUC
 * as the Mann–Whitney statistic of the leaf probabilities, AUC = (#{p_churner > p_stayer} + ½ #{ties}) /
 * (n_churners · n_stayers) over all pairs — ties are common, as every row of a leaf shares its probability.
 * `baseRate` is the churn rate of all rows kept (the accuracy of "nobody churns" is 1 − baseRate).
 *
 * Label: a boolean column (true = churn), a numeric column of 0 and 1 (1 = churn), or any column of two values with
 * `positive` naming the churn value. Rows with a null label are dropped and counted (`missingLabel`), then rows with
 * a null, NaN or infinite feature (`invalidValue`).
 *
 * Units: probabilities and rates are shares in [0, 1]; thresholds are in the columns' units.
 *
 * Cost: O(n) for reading and splitting, O(m² · d) for ml-cart on m = min(training rows, maxFitRows), O(n · depth)
 * for routing, O(n log n) per level when the cuts are chosen again after a sample. 100,000 rows × 5 features: about
 * 0.6 s; `predict` on them about 15 ms.
 * References: L. Breiman, J. Friedman, R. Olshen & C. Stone (1984), Classification and Regression Trees, ch. 4;
 * J. A. Hanley & B. J. McNeil (1982), "The meaning and use of the area under a receiver operating characteristic
 * (ROC) curve", Radiology 143, 29–36 (AUC = Wilcoxon–Mann–Whitney statistic).
 *
 * @param table one row per customer (anything `asTable` accepts)
 * @param options `features`, `label` (required); `maxDepth` (4), `minLeafSize` (1 % of training rows),
 *   `testShare` (0.3), `seed` (1), `positive` (true / 1), `units`, `maxFitRows` (2000)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` (a non-numeric feature), `INVALID_OPTION` (bad options, a
 *   text label without `positive`, a `positive` the column lacks), `INVALID_VALUE` (a label with a third value, a
 *   number other than 0/1, or one class only), `EMPTY_INPUT` (no rows, or too few for both sets)
 * @example
 * const customers = {
 *   recency: [3, 8, 15, 20, 25, 31, 40, 45, 90, 100, 120, 130, 150, 160, 170, 200],
 *   churned: [false, false, false, false, false, false, false, false, true, true, true, true, true, true, true, true],
 * };
 * const model = churnModel(customers, { features: ['recency'], label: 'churned', units: { recency: 'days' } });
 * model.text; // ['recency > 70 days → 100% churn (6 of 6)', 'recency ≤ 70 days → 0% churn (0 of 6)']
 * [model.accuracy, model.auc, model.train, model.test]; // [1, 1, 12, 4]
 * model.predict({ recency: [10, 365] }).getChild('probability')?.toArray(); // Float64Array [0, 1]
 */
export function churnModel(table: unknown, options: ChurnModelOptions): ChurnModel {
  options = knownOptions(options, CHURN_MODEL_OPTION_NAMES, 'churnModel');
  const fn = 'churnModel';
  const input = asTable(table);
  const o = resolveChurnOptions(options, fn);
  const data = readChurnRows(input, o, fn);
  const fit = fitChurnTree(data, o, fn);
  const evaluation = evaluateOnTest(fit, data);
  return assembleChurnModel(data, fit, evaluation, o);
}

/** The options of {@link churnModel}, checked, with their defaults. */
interface ResolvedChurnOptions extends ResolvedTreeOptions {
  readonly testShare: number;
  readonly label: string;
  readonly positiveOption: string | number | boolean | undefined;
}

/** The rows of a churn fit: features, labels (1 = churn) and the rows kept, with the drop counts. */
interface ChurnRows {
  readonly features: Float64Array[];
  readonly n: number;
  readonly positive: string | number | boolean;
  readonly classes: Int32Array;
  /** Input row numbers of the rows kept, ascending. */
  readonly rows: Int32Array;
  readonly churners: number;
  readonly drops: DropCounter;
}

/** A fitted tree with the split it was fitted and tested on. */
interface ChurnFit {
  readonly tree: DecisionTree;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** The test rows' verdict: each leaf's probability and prediction, confusion counts, churners and stayers per leaf. */
interface ChurnEvaluation {
  readonly probability: number[];
  readonly predictsChurn: boolean[];
  readonly confusion: ConfusionMatrix;
  readonly perLeaf: { churners: number; stayers: number }[];
}

/** Read: checks the options (in a fixed order, so the same input always names the same problem). */
function resolveChurnOptions(options: ChurnModelOptions, fn: string): ResolvedChurnOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must name the feature and label columns (found ${describeValue(options)}); pass { features: ['recency', 'frequency'], label: 'churned' }`,
    );
  }
  const o = resolveTreeOptions({ ...options, columns: options.features }, DEFAULTS, fn, 'features');
  const testShare = options.testShare ?? DEFAULTS.testShare;
  if (typeof testShare !== 'number' || !(testShare > 0 && testShare < 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option testShare must be a number between 0 and 1, both excluded (found ${describeValue(testShare)}); e.g. 0.3 holds out 30 % of the rows`,
    );
  }
  if (typeof options.label !== 'string' || options.label.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option label must name the churn column (found ${describeValue(options.label)}); pass { label: 'churned' }`,
    );
  }
  const positiveOption = options.positive;
  if (positiveOption !== undefined && !['string', 'number', 'boolean'].includes(typeof positiveOption)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option positive must be the label value that means churn (found ${describeValue(positiveOption)}); e.g. { positive: 'churned' }`,
    );
  }
  return { ...o, testShare, label: options.label, positiveOption };
}

/** Read: the feature and label columns; rows with a null label or a non-finite feature are dropped and counted. */
function readChurnRows(input: Table, o: ResolvedChurnOptions, fn: string): ChurnRows {
  const { label } = o;
  const features = o.columns.map((c) => readNumeric(input, c, fn, 'features').values);
  getColumn(input, label, fn, 'label');
  const n = input.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);
  const { isPositive, positive } = readLabel(input, label, o.positiveOption, fn);

  const drops = new DropCounter();
  const badFeature = new Uint8Array(n);
  // one pass per feature over all rows marks the bad ones (x − x is NaN for NaN and ±Infinity)
  for (const x of features) for (let i = 0; i < n; i++) if (!isAdmissible(x[i])) badFeature[i] = 1;
  const kept = new Int32Array(n);
  const classes = new Int32Array(n);
  let size = 0;
  let churners = 0;
  for (let i = 0; i < n; i++) {
    if (isPositive[i] < 0) drops.drop('missingLabel', i);
    else if (badFeature[i]) drops.drop('invalidValue', i);
    else {
      kept[size++] = i;
      classes[i] = isPositive[i];
      churners += isPositive[i];
    }
  }
  if (size === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the label and feature columns`,
    );
  }
  if (churners === 0 || churners === size) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: column "${label}" holds one class only in the ${size} rows kept (found ${churners === 0 ? 'no churner' : 'churners only'}); a churn model needs churners and customers who stayed — check the label and the positive option`,
      { column: label },
    );
  }
  return { features, n, positive, classes, rows: kept.subarray(0, size), churners, drops };
}

/** Fit: the stratified train/test split, then the tree on the training rows. */
function fitChurnTree(data: ChurnRows, o: ResolvedChurnOptions, fn: string): ChurnFit {
  const { rows, classes, features } = data;
  const { testShare } = o;
  const size = rows.length;
  const rng = randomSource(o.seed);
  const { train, test } = stratifiedSplit(rows, classes, 2, testShare, rng);
  if (train.length === 0 || test.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: ${size} rows kept are too few to hold out testShare ${testShare} (found ${train.length} training and ${test.length} test rows); pass more rows or another testShare`,
    );
  }
  const tree = fitDecisionTree(features, classes, train, {
    features: o.columns,
    classCount: 2,
    maxDepth: o.maxDepth,
    minLeafSize: o.minLeafSize ?? Math.max(1, Math.ceil(train.length / 100)),
    maxFitRows: o.maxFitRows,
    rng,
  });
  return { tree, train, test };
}

/** Evaluate: each test row's leaf gives its probability and predicted class; confusion counts and per-leaf classes. */
function evaluateOnTest(fit: ChurnFit, data: ChurnRows): ChurnEvaluation {
  const { tree, test } = fit;
  const { classes } = data;
  const leafOf = routeRows(tree, data.features, data.n);
  const probability = tree.leaves.map((leaf) => leaf.counts[POSITIVE] / leaf.support);
  const predictsChurn = tree.leaves.map((leaf) => leaf.predicted === POSITIVE);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn_ = 0;
  const perLeaf = tree.leaves.map(() => ({ churners: 0, stayers: 0 }));
  for (let r = 0; r < test.length; r++) {
    const i = test[r];
    const leaf = leafOf[i];
    const actual = classes[i] === POSITIVE;
    if (actual) perLeaf[leaf].churners++;
    else perLeaf[leaf].stayers++;
    if (predictsChurn[leaf]) {
      if (actual) tp++;
      else fp++;
    } else if (actual) fn_++;
    else tn++;
  }
  const confusion = { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn_ };
  return { probability, predictsChurn, confusion, perLeaf };
}

/** Assemble: the rules riskiest first, their sentences, the test metrics and the row report, frozen. */
function assembleChurnModel(data: ChurnRows, fit: ChurnFit, e: ChurnEvaluation, o: ResolvedChurnOptions): ChurnModel {
  const { tree, train, test } = fit;
  const { probability, predictsChurn, confusion } = e;
  const { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn_ } = confusion;
  const { n, drops } = data;
  const size = data.rows.length;
  const rules: ChurnRule[] = tree.leaves
    .map((leaf, l) => ({
      conditions: leaf.conditions,
      text: conditionText(leaf.conditions, o.units),
      support: leaf.support,
      churners: leaf.counts[POSITIVE],
      churnRate: probability[l],
      predicted: predictsChurn[l],
      purity: leaf.purity,
      leaf: l,
    }))
    .sort((a, b) => b.churnRate - a.churnRate || b.support - a.support || a.leaf - b.leaf);
  const model: Omit<ChurnModel, 'predict'> = {
    features: [...o.columns],
    label: o.label,
    positive: data.positive,
    rules,
    text: rules.map((r) => `${r.text} → ${formatPercent(r.churnRate)} churn (${r.churners} of ${r.support})`),
    accuracy: (tp + tn) / test.length,
    auc: leafAuc(probability, e.perLeaf),
    confusion,
    precision: tp + fp > 0 ? tp / (tp + fp) : NaN,
    recall: tp + fn_ > 0 ? tp / (tp + fn_) : NaN,
    baseRate: data.churners / size,
    train: train.length,
    test: test.length,
    testRows: test,
    depth: tree.depth,
    leaves: tree.leaves.length,
    tree,
    rows: { rows: n, kept: size, dropped: { ...drops.counts }, firstRow: { ...drops.first }, total: drops.total },
  };
  deepFreeze(model);
  return Object.freeze({ ...model, predict: (t: unknown) => predictChurn(model, t) });
}

/**
 * The Mann–Whitney AUC when every row of a leaf has the leaf's probability: leaves with equal probabilities are one
 * tied group; AUC = Σ_groups churners_g · (stayers below g + ½ stayers_g) / (churners · stayers). O(L log L).
 */
function leafAuc(probability: readonly number[], perLeaf: readonly { churners: number; stayers: number }[]): number {
  const order = probability.map((_, l) => l).sort((a, b) => probability[a] - probability[b]);
  let churners = 0;
  let stayers = 0;
  for (const c of perLeaf) {
    churners += c.churners;
    stayers += c.stayers;
  }
  if (churners === 0 || stayers === 0) return NaN;
  let below = 0; // stayers with a lower probability
  let wins = 0;
  for (let g = 0; g < order.length;) {
    let groupChurners = 0;
    let groupStayers = 0;
    const p = probability[order[g]];
    for (; g < order.length && probability[order[g]] === p; g++) {
      groupChurners += perLeaf[order[g]].churners;
      groupStayers += perLeaf[order[g]].stayers;
    }
    wins += groupChurners * (below + groupStayers / 2);
    below += groupStayers;
  }
  return wins / (churners * stayers);
}

/**
 * Each row's label as 1 (churn), 0 (stayed) or −1 (null), and the positive value. Booleans: true is churn; numbers:
 * 0 and 1 only, 1 is churn; anything else needs `positive`.
 */
function readLabel(
  table: Table,
  name: string,
  positiveOption: string | number | boolean | undefined,
  fn: string,
): { isPositive: Int8Array; positive: string | number | boolean } {
  const vector = getColumn(table, name, fn, 'label');
  const keys = readKeysVector(vector, name, fn, 4);
  const typeId = keys.keys.type.typeId;
  const values: (string | number | boolean)[] = [];
  for (let id = 0; id < keys.size; id++) {
    const v = keys.keys.get(id) as unknown;
    values.push(
      typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string'
        ? v
        : typeof v === 'bigint'
          ? Number(v)
          : String(v),
    );
  }
  const shown = values
    .slice(0, 3)
    .map((v) => describeValue(v))
    .join(', ');
  if (keys.size === 0) {
    // every label is null: each row is dropped as missingLabel and the caller reports an empty input
    return { isPositive: new Int8Array(keys.codes.length).fill(-1), positive: positiveOption ?? true };
  }
  if (keys.size > 2) {
    const row = keys.codes.indexOf(2);
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: column "${name}" holds a third value ${describeValue(values[2])} at row ${row} (found ${shown}); a churn label takes two values — recode it, e.g. to true/false`,
      { column: name, row },
    );
  }
  let positiveId: number;
  let positive: string | number | boolean;
  if (positiveOption !== undefined) {
    positiveId = values.findIndex(
      (v) =>
        v === positiveOption ||
        (typeof v !== 'string' && String(v) === String(positiveOption) && typeof positiveOption === 'string'),
    );
    if (positiveId < 0) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option positive is ${describeValue(positiveOption)}, which column "${name}" does not hold (found ${shown || 'no value'}); pass one of the column's values`,
        { column: name },
      );
    }
    positive = values[positiveId];
  } else if (typeId === TypeId.Bool) {
    positiveId = values.indexOf(true);
    positive = true;
  } else if (typeId === TypeId.Int || typeId === TypeId.Float) {
    const other = values.findIndex((v) => v !== 0 && v !== 1);
    if (other >= 0) {
      const row = keys.codes.indexOf(other);
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${name}" holds ${describeValue(values[other])} at row ${row}, but a numeric churn label must be 0 or 1 (found ${shown}); recode it, or pass { positive: ${values[other]} } to name the churn value`,
        { column: name, row },
      );
    }
    positiveId = values.indexOf(1);
    positive = 1;
  } else {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: column "${name}" holds ${typeId === TypeId.Utf8 || typeId === TypeId.Dictionary ? 'text' : 'values'} (found ${shown || 'no value'}); pass { positive: ${describeValue(values[0] ?? 'churned')} } to say which value means churn`,
      { column: name },
    );
  }
  const isPositive = new Int8Array(keys.codes.length);
  for (let i = 0; i < isPositive.length; i++) {
    const code = keys.codes[i];
    isPositive[i] = code < 0 ? -1 : code === positiveId ? POSITIVE : NEGATIVE;
  }
  return { isPositive, positive };
}

/**
 * Scores customers with a fitted churn model: each row's churn probability (the churn rate of its leaf among the
 * training rows), predicted class and leaf. `model.predict(table)` calls it; it is pure, so a model can be stored as
 * JSON (without `predict`) and used later.
 *
 * Output columns, one row per input row in input order: `probability` (Float64), `churn` (Bool, true when the
 * leaf's churn rate is above 0.5), `leaf` (Int32, the `leaf` of the model's rules). A row with a null, NaN or
 * infinite value in a feature the tree splits on gets nulls and is counted (`droppedRows(result).dropped.invalidValue`).
 *
 * Cost: O(n · (depth + features split on)).
 *
 * @param model a model returned by `churnModel` (or its JSON: `features` and `tree`)
 * @param table rows with the model's feature columns (anything `asTable` accepts)
 * @throws {ClienteleError} `INVALID_INPUT` (not a churn model), `MISSING_COLUMN`, `INVALID_TYPE`
 * @example
 * const model = churnModel({ days: [1, 2, 3, 4, 5, 6, 50, 60, 70, 80, 90, 95], churned: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] }, { features: ['days'], label: 'churned' });
 * const scored = predictChurn(model, { days: [3, null, 75] });
 * scored.getChild('churn')?.toArray(); // [false, null, true]
 * droppedRows(scored).dropped; // { invalidValue: 1 }
 */
export function predictChurn(model: Pick<ChurnModel, 'features' | 'tree'>, table: unknown): Table {
  const fn = 'predictChurn';
  const tree = model?.tree;
  if (
    typeof model !== 'object' ||
    model === null ||
    !Array.isArray(model.features) ||
    typeof tree !== 'object' ||
    tree === null ||
    !Array.isArray(tree.nodes) ||
    !Array.isArray(tree.leaves)
  ) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the model is not a churn model (found ${describeValue(model)}); pass the object churnModel returned`,
    );
  }
  const input = asTable(table);
  const n = input.numRows;
  const used = new Set(tree.nodes.filter((node) => node.feature >= 0).map((node) => node.feature));
  const columns = model.features.map((name, j) =>
    used.has(j) ? readNumeric(input, name, fn, 'features').values : null,
  );
  const leafOf = routeRows(tree, columns, n);
  const probabilityOfLeaf = tree.leaves.map((leaf) => leaf.counts[POSITIVE] / leaf.support);
  const churnOfLeaf = tree.leaves.map((leaf) => leaf.predicted === POSITIVE);

  const drops = new DropCounter();
  const probability = new Float64Array(n);
  const leaf = new Int32Array(n);
  const churnBits = new Uint8Array((n + 7) >> 3);
  const valid = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const l = leafOf[i];
    if (l < 0) {
      drops.drop('invalidValue', i);
      probability[i] = NaN;
      leaf[i] = -1;
      continue;
    }
    valid[i >> 3] |= 1 << (i & 7);
    probability[i] = probabilityOfLeaf[l];
    leaf[i] = l;
    if (churnOfLeaf[l]) churnBits[i >> 3] |= 1 << (i & 7);
  }
  const nullCount = drops.total;
  const nullBitmap = nullCount > 0 ? valid : new Uint8Array(0);
  const vector = (type: Float64 | Int32 | Bool, data: Float64Array | Int32Array | Uint8Array): Vector =>
    makeVector(makeData({ type, length: n, nullCount, nullBitmap, data } as never));
  return tableWithMetadata(
    {
      probability: vector(new Float64(), probability),
      churn: vector(new Bool(), churnBits),
      leaf: vector(new Int32(), leaf),
    },
    { [META.kind]: 'churnPrediction', ...drops.metadata(n) },
  );
}
