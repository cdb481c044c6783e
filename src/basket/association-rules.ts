import type { Float64, Int32, List, RecordBatch, Table, Utf8, Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  knownOptions,
  optionNames,
  readNumericVector,
  tableWithMetadata,
} from '../table/internal';
import { listOfCodes, readCodedLists } from './list-vector';
import { DEFAULT_RULE_MEASURES, RULE_MEASURES, ruleMeasureVector } from './rule-measures';
import type { RuleCounts, RuleMeasure } from './rule-measures';
import { readWeightedSupports, weightedRuleMeasures, weightedRulesMetadata } from './weighted-itemsets';

export { RULE_MEASURES } from './rule-measures';
export type { RuleMeasure } from './rule-measures';

/** Options of {@link associationRules}. */
export interface AssociationRulesOptions {
  /** Keep rules with confidence ≥ this, in [0, 1]. Default 0.8 (as mlxtend; arules uses 0.8 too). */
  minConfidence?: number;
  /** Keep rules with lift ≥ this (≥ 0). Default none. */
  minLift?: number;
  /** Keep rules with support (of antecedent ∪ consequent) ≥ this, in [0, 1]. Default none: the itemsets' own. */
  minSupport?: number;
  /** Largest number of items in a consequent (≥ 1). Default 1, as arules. */
  maxConsequent?: number;
  /**
   * Fewest items in a rule, antecedent and consequent together (arules' `minlen`), a whole number ≥ 1. Default 2.
   * Antecedents are non-empty unless it is 1: `minLength: 1` adds the rules {} → C, one per frequent itemset C of at
   * most `maxConsequent` items (confidence P(C), lift 1), as arules' default `minlen = 1`.
   */
  minLength?: number;
  /**
   * Measure columns to include, in the standard column order ({@link RULE_MEASURES}) whatever the order given, or
   * `'all'`. Default: support, confidence, lift, leverage, conviction, count, antecedentSupport, consequentSupport,
   * zhang; the others (jaccard, fisherP, hyperLift, …) on request.
   */
  measures?: readonly RuleMeasure[] | 'all';
  /** Drop rules that a more general rule makes redundant (arules `is.redundant`). Default false. */
  pruneRedundant?: boolean;
  /**
   * Most candidate rules (those passing the thresholds, before `pruneRedundant`) before the call stops with
   * `LIMIT_EXCEEDED`, checked as rules are found. Default 1,000,000; `Infinity` lifts the limit.
   */
  maxRules?: number;
}

const DEFAULTS: Required<Omit<AssociationRulesOptions, 'measures'>> & { measures: readonly RuleMeasure[] } = {
  minConfidence: 0.8,
  minLift: 0,
  minSupport: 0,
  maxConsequent: 1,
  minLength: 2,
  measures: DEFAULT_RULE_MEASURES,
  pruneRedundant: false,
  maxRules: 1_000_000,
};

/** Metadata keys of itemset and rule tables. */
const META_KIND = 'clientele.kind';
const META_BASKETS = 'clientele.baskets';
const META_TARGET = 'clientele.target';

/** Itemsets longer than this cannot be downward closed in memory (2^30 subsets); positions fit an int32 mask. */
const MAX_ITEMSET_LENGTH = 30;

/** The options associationRules takes; every other name is refused with a did-you-mean. */
const ASSOCIATION_RULES_OPTION_NAMES = optionNames<AssociationRulesOptions>({
  minConfidence: true,
  minLift: true,
  minSupport: true,
  maxConsequent: true,
  minLength: true,
  measures: true,
  pruneRedundant: true,
  maxRules: true,
});

/**
 * The columns of `associationRules` (and of `topRules`, `rulesWithItem`) with the default measures: one row per
 * rule. The other measures of {@link RULE_MEASURES} are Float64 columns when asked for.
 */
export type AssociationRulesColumns = {
  antecedent: List<Utf8>;
  consequent: List<Utf8>;
  support: Float64;
  confidence: Float64;
  lift: Float64;
  leverage: Float64;
  conviction: Float64;
  count: Int32;
  antecedentSupport: Float64;
  consequentSupport: Float64;
  zhang: Float64;
};

/**
 * Association rules A → C from frequent itemsets: for every itemset of two or more items (`minLength`), every split
 * into a non-empty antecedent A and a consequent C of 1 … `maxConsequent` items, with the measures analysts rank
 * rules by; with `minLength: 1` also {} → C (arules' default `minlen = 1`: confidence P(C), lift 1; the empty set is
 * in every basket, so n_∅ = N).
 * What an analyst uses it for: "customers who buy A also buy C" — cross-selling, shelf placement, bundles, the
 * rules behind {@link recommend}.
 *
 * Measures, with n_X the number of baskets holding all items of X, N the number of baskets and P(X) = n_X / N
 * (as mlxtend's `association_rules` and R arules' `interestMeasure`):
 * - `support` = P(A ∪ C) = n_AC / N, in [0, 1]; `count` = n_AC;
 * - `confidence` = P(C | A) = n_AC / n_A, in [0, 1];
 * - `lift` = confidence / P(C) = n_AC·N / (n_A·n_C), in [0, ∞); 1 means independence;
 * - `leverage` = P(AC) − P(A)·P(C), in [−0.25, 0.25];
 * - `conviction` = (1 − P(C)) / (1 − confidence), in [0, ∞]; `Infinity` when confidence = 1 (as mlxtend);
 * - `zhang` = (P(AC) − P(A)P(C)) / max(P(AC)(1 − P(A)), P(A)(P(C) − P(AC))) (Zhang's metric, Yan, Zhang & Zhang
 *   2009), in [−1, 1]; 0 when the denominator is 0 (A in every basket and C only with A: 0/0, as mlxtend);
 * - `antecedentSupport` = P(A), `consequentSupport` = P(C).
 * These nine are the default columns. On request (`measures: [...]` or `'all'`) the rest of arules'
 * `interestMeasure` and mlxtend's columns: jaccard, certainty, kulczynski, allConfidence, cosine, addedValue,
 * chiSquared, fisherP (one-sided Fisher exact test), hyperConfidence, hyperLift (Hahsler & Hornik 2007), oddsRatio,
 * phi, yuleQ, yuleY, kappa, maxConfidence, imbalance, laplace, relativeRisk, improvement and representativity —
 * formulas, ranges and references in src/basket/rule-measures.ts ({@link RuleMeasure}). `improvement` is arules':
 * confidence minus the best confidence of a more general rule A′ → C (A′ ⊊ A) of the same result, 0 when none.
 * Units: supports are shares of all baskets (0 … 1), `count` a number of baskets, the others ratios. Each measure
 * is computed from the integer counts with a single rounding (exact below 94 million baskets), so rules with equal
 * measures compare equal.
 *
 * Weighted itemsets (`frequentItemsets(…, { weights })`, metadata `clientele.weighted`): P is the weighted support
 * supp_w of the table's `support` column in every measure (as arules `ruleInduction` on `weclat` output:
 * confidence = supp_w(A ∪ C) / supp_w(A), lift = confidence / supp_w(C)); `count`, a number of baskets, has no
 * weighted meaning and is left out (`INVALID_OPTION` when named in `measures`).
 *
 * The supports of A and C are looked up in the table: a frequent itemset's subsets are frequent, so a table of all
 * frequent itemsets (downward closed) holds them. Rules are kept when confidence ≥ `minConfidence`, lift ≥
 * `minLift`, support ≥ `minSupport` and they have ≥ `minLength` items. With `pruneRedundant`, a rule A → C is dropped
 * when a more general rule A′ → C of the result (same consequent, A′ a proper subset of A) has confidence ≥ its own
 * — arules' `is.redundant` (improvement ≤ 0, Bayardo, Agrawal & Gunopulos 2000). A general rule that confident passes
 * the thresholds the specific one passes (its confidence, lift and support are at least as high), so it is among
 * the rules unless `minLength` excludes it; `{} → C` is a general rule only with `minLength: 1` (as arules: is.redundant
 * of apriori(Groceries, supp = 0.01, conf = 0.1) finds 17 rules at minlen = 1, 4 at minlen = 2).
 *
 * Order: lift descending, then confidence descending, support descending, then antecedent and consequent item
 * names (compared item by item in JS string order, a list before its extensions). Item names within an
 * antecedent or consequent are sorted.
 *
 * Output columns: `antecedent`, `consequent` (List<Utf8>), then the measures in the order above (all unless
 * `measures` names fewer); `count` is Int32, the others Float64. Schema metadata: `clientele.kind` =
 * `'associationRules'`, `clientele.baskets` = N. No rules gives a zero-row table with every column.
 *
 * Cost: item names become integer codes once; checking the table costs one hash look-up (of integer codes, no
 * strings) per (k − 1)-subset of each k-itemset, and those look-ups are kept, so a one-item-consequent rule costs
 * O(1) and a larger split one look-up per side; sorting r rules O(r log r); `pruneRedundant` and `improvement` add
 * 2·2^|A| look-ups per rule; each measure O(r), the hypergeometric ones a tail sum per rule. About 80 ms for 97,000
 * itemsets giving 57,000 rules with the default measures (Node 20, one core).
 *
 * References: Agrawal, Imieliński & Swami (1993) (support, confidence); Brin, Motwani, Ullman & Tsur (1997)
 * (lift, conviction); Piatetsky-Shapiro (1991) (leverage); Yan, Zhang & Zhang (2009), "Confidence metrics for
 * association rule mining", eq. 6 (Zhang's metric); Bayardo, Agrawal & Gunopulos (2000) (improvement).
 *
 * @param itemsets the table `frequentItemsets` returns: `items` (List<Utf8>), `count`, and the number of baskets
 *   in the metadata `clientele.baskets` (or a `support` column to derive it from); every frequent itemset of every
 *   length, not only closed or maximal ones
 * @param options minConfidence (0.8); minLift; minSupport; maxConsequent (1); minLength (2); measures (the nine
 *   above; `'all'` or a list for more); pruneRedundant (false); maxRules (1,000,000)
 * @throws {ClienteleError} `INVALID_INPUT` when `itemsets` is not a frequent-itemset table (missing columns, no
 *   basket total, inconsistent counts, a missing subset: not downward closed); `INVALID_TYPE` for an `items`
 *   column that is not a list of names; `INVALID_OPTION` for an option out of range; `LIMIT_EXCEEDED` when more
 *   than `maxRules` rules pass the thresholds
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.7 });
 * rules.numRows; // 4
 * rules.getChild('antecedent')?.get(0)?.toArray(); // ['chips']
 * rules.getChild('consequent')?.get(0)?.toArray(); // ['beer']
 * rules.getChild('confidence')?.toArray(); // Float64Array [1, 1, 0.75, 0.75]
 * rules.getChild('lift')?.toArray(); // Float64Array [1.25, 1.25, 0.9375, 0.9375]
 * rules.getChild('conviction')?.get(2); // 0.8
 * rules.getChild('conviction')?.get(0) === Infinity; // true: chips → beer never fails
 * // arules' default minlen = 1: {} → beer and {} → diapers (in 4 of 5 baskets) join the four
 * const itemsets = frequentItemsets(lists, { minSupport: 0.4 });
 * associationRules(itemsets, { minConfidence: 0.7, minLength: 1 }).numRows; // 6
 * const more = associationRules(itemsets, { minConfidence: 0.7, measures: ['jaccard', 'cosine'] });
 * more.getChild('jaccard')?.get(0); // 0.5
 * more.schema.fields.map((f) => f.name); // ['antecedent', 'consequent', 'jaccard', 'cosine']
 */
export function associationRules(
  itemsets: unknown,
  options: AssociationRulesOptions = {},
): Table<AssociationRulesColumns> {
  options = knownOptions(options, ASSOCIATION_RULES_OPTION_NAMES, 'associationRules');
  const fn = 'associationRules';
  const opts = resolveOptions(options, fn);
  const table = readItemsetTable(itemsets, fn);
  if (table.weighted) {
    const named = options.measures !== undefined && options.measures !== 'all';
    opts.measures = weightedRuleMeasures(opts.measures, named, fn);
  }
  return _associationRules(table, opts);
}

type ResolvedOptions = typeof DEFAULTS;

function resolveOptions(options: AssociationRulesOptions, fn: string): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); pass e.g. { minConfidence: 0.6 }`,
    );
  }
  const opts = { ...DEFAULTS };
  const fraction = (name: 'minConfidence' | 'minSupport') => {
    const v = options[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a number in [0, 1] (found ${describeValue(v)}); pass e.g. { ${name}: 0.5 }`,
      );
    }
    opts[name] = v;
  };
  fraction('minConfidence');
  fraction('minSupport');
  if (options.minLift !== undefined) {
    const v = options.minLift;
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minLift must be a finite number ≥ 0 (found ${describeValue(v)}); pass e.g. { minLift: 1.2 }`,
      );
    }
    opts.minLift = v;
  }
  if (options.maxConsequent !== undefined) {
    const v = options.maxConsequent;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option maxConsequent must be a whole number ≥ 1 (found ${describeValue(v)}); pass e.g. { maxConsequent: 2 }`,
      );
    }
    opts.maxConsequent = v;
  }
  if (options.minLength !== undefined) {
    const v = options.minLength;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minLength must be a whole number ≥ 1 (found ${describeValue(v)}); pass 1 to admit rules {} → C, as arules' default minlen`,
      );
    }
    opts.minLength = v;
  }
  if (options.measures !== undefined) opts.measures = resolveMeasures(options.measures, fn);
  if (options.pruneRedundant !== undefined) {
    if (typeof options.pruneRedundant !== 'boolean') {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option pruneRedundant must be true or false (found ${describeValue(options.pruneRedundant)})`,
      );
    }
    opts.pruneRedundant = options.pruneRedundant;
  }
  if (options.maxRules !== undefined) {
    const v = options.maxRules;
    if (!(v === Infinity || (Number.isInteger(v) && v >= 1))) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option maxRules must be an integer ≥ 1 or Infinity (found ${describeValue(v)}); leave it out for ${DEFAULTS.maxRules}`,
      );
    }
    opts.maxRules = v;
  }
  return opts;
}

/** The measure columns asked for, in column order: `'all'` or a list of names. */
function resolveMeasures(v: readonly RuleMeasure[] | 'all', fn: string): readonly RuleMeasure[] {
  if (v === 'all') return RULE_MEASURES;
  if (!Array.isArray(v)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option measures must be an array of measure names or 'all' (found ${describeValue(v)}); pass e.g. { measures: ['confidence', 'lift'] }`,
    );
  }
  for (const m of v) {
    if (!RULE_MEASURES.includes(m)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option measures names an unknown measure (found ${describeValue(m)}); use any of ${RULE_MEASURES.join(', ')}`,
      );
    }
  }
  return RULE_MEASURES.filter((m) => v.includes(m));
}

// ---------------------------------------------------------------------------------------------------------------
// reading and checking the itemset table

/** Frequent itemsets as coded, sorted lists with their counts, and the index that finds a set's row. */
interface ItemsetTable {
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
  readonly counts: Float64Array;
  readonly names: readonly string[];
  /** N, the number of baskets. */
  readonly baskets: number;
  /** Count of the one-item set {code}, by code (every item of an itemset has one: checked). */
  readonly singles: Float64Array;
  /** Row of set s without its j-th item at `offsets[s] + j` (−1 for one-item sets): the antecedents of A → {item}. */
  readonly subsetRows: Int32Array;
  readonly index: ItemsetIndex;
  /** Weighted itemsets (src/basket/weighted-itemsets.ts): `counts` hold weighted supports and `baskets` is 1. */
  readonly weighted: { baskets: string; total: string } | null;
}

function isTableLike(x: unknown): boolean {
  const t = x as Table;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.getChild === 'function' &&
    typeof t.numRows === 'number' &&
    Array.isArray(t.schema?.fields)
  );
}

/** Validates the raw itemset table and converts it once to coded lists (the core trusts the result). */
function readItemsetTable(input: unknown, fn: string): ItemsetTable {
  const table = itemsetTableOf(input, fn);
  const n = table.numRows;
  const weighted = readWeightedSupports(table, fn);
  const counts = weighted ? weighted.support : readCounts(table, fn);
  const baskets = weighted ? 1 : basketTotal(table, counts, fn);
  const lists = readCodedLists(table.getChild('items') as Vector, fn, 'items');
  const { offsets, codes, names } = lists;
  if (lists.firstNullRow >= 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: column "items" row ${lists.firstNullRow} is null (found a null itemset); pass the table frequentItemsets returns`,
      { column: 'items', row: lists.firstNullRow },
    );
  }
  const show = (s: number) => `{${Array.from(codes.subarray(offsets[s], offsets[s + 1]), (c) => names[c]).join(', ')}}`;
  const singles = sortItemsets(offsets, codes, names, counts, baskets, fn, show);
  const index = new ItemsetIndex(offsets, codes, names, n);
  for (let s = 0; s < n; s++) {
    const other = index.insert(s);
    if (other >= 0) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: itemset ${show(s)} appears twice, at rows ${other} and ${s} (found a duplicate); pass the table frequentItemsets returns`,
        { column: 'items', row: s },
      );
    }
  }
  const subsetRows = downwardClosure(offsets, codes, counts, index, fn, show);
  return { offsets, codes, counts, names, baskets, singles, subsetRows, index, weighted };
}

/** The input as a table with the kind, target and columns of a `frequentItemsets` table, or `INVALID_INPUT`. */
function itemsetTableOf(input: unknown, fn: string): Table {
  if (!isTableLike(input)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: itemsets must be the Arrow table frequentItemsets returns (found ${describeValue(input)}); ` +
        `pass frequentItemsets(baskets, { minSupport })`,
    );
  }
  const table = asTable(input as Table | RecordBatch);
  const metadata = table.schema.metadata;
  const kind = metadata.get(META_KIND);
  if (kind !== undefined && kind !== 'frequentItemsets') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a frequent-itemset table (found ${META_KIND} = "${kind}"); pass the table frequentItemsets returns`,
    );
  }
  const target = metadata.get(META_TARGET);
  if (target !== undefined && target !== 'all') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the itemsets are ${target} itemsets only (found ${META_TARGET} = "${target}"); rules need the support of every subset — ` +
        `mine with frequentItemsets(…, { target: 'all' })`,
    );
  }
  const found = table.schema.fields.map((f) => f.name);
  const missing = ['items', 'count'].filter((name) => !found.includes(name));
  if (missing.length > 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a frequent-itemset table: column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(' and ')} ` +
        `missing (found columns: ${found.join(', ') || 'none'}); pass the table frequentItemsets returns ` +
        `(items: List<Utf8>, count: baskets holding the set)`,
      { column: missing[0] },
    );
  }
  return table;
}

/** The `count` column, each a whole number of baskets ≥ 0. */
function readCounts(table: Table, fn: string): Float64Array {
  const n = table.numRows;
  const counts = readNumericVector(table.getChild('count') as Vector, 'count', fn).values;
  for (let s = 0; s < n; s++) {
    const c = counts[s];
    if (!(Number.isInteger(c) && c >= 0)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: column "count" row ${s} must be a whole number of baskets ≥ 0 (found ${describeValue(c)}); pass the table frequentItemsets returns`,
        { column: 'count', row: s },
      );
    }
  }
  return counts;
}

/** Sorts each itemset's codes in place, checking length, distinct items and count; returns one-item set counts. */
function sortItemsets(
  offsets: Int32Array,
  codes: Int32Array,
  names: readonly string[],
  counts: Float64Array,
  baskets: number,
  fn: string,
  show: (s: number) => string,
): Float64Array {
  const singles = new Float64Array(names.length).fill(-1);
  for (let s = 0; s < counts.length; s++) {
    const start = offsets[s];
    const end = offsets[s + 1];
    if (end - start > MAX_ITEMSET_LENGTH) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: itemset at row ${s} has ${end - start} items (found more than ${MAX_ITEMSET_LENGTH}); mine with a smaller maxLength`,
        { column: 'items', row: s },
      );
    }
    // insertion sort: itemsets are short (and usually sorted already)
    for (let a = start + 1; a < end; a++) {
      const v = codes[a];
      let b = a - 1;
      while (b >= start && codes[b] > v) {
        codes[b + 1] = codes[b];
        b--;
      }
      codes[b + 1] = v;
    }
    for (let a = start + 1; a < end; a++) {
      if (codes[a] === codes[a - 1]) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: itemset at row ${s} lists "${names[codes[a]]}" twice (found ${show(s)}); an itemset holds distinct items`,
          { column: 'items', row: s },
        );
      }
    }
    if (counts[s] > baskets) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: itemset ${show(s)} at row ${s} is in ${counts[s]} baskets, more than the ${baskets} baskets in all (found count ${counts[s]}); pass the table frequentItemsets returns`,
        { column: 'count', row: s },
      );
    }
    if (end - start === 1) singles[codes[start]] = counts[s];
  }
  return singles;
}

/** N from the metadata, or from count / support when the metadata is absent (a table built elsewhere). */
function basketTotal(table: Table, counts: Float64Array, fn: string): number {
  const text = table.schema.metadata.get(META_BASKETS);
  if (text !== undefined) {
    const value = Number(text);
    if (!(Number.isInteger(value) && value > 0)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: metadata ${META_BASKETS} must be the number of baskets, a whole number > 0 (found ${describeValue(text)}); pass the table frequentItemsets returns`,
      );
    }
    return value;
  }
  const support = table.getChild('support');
  if (support) {
    const values = readNumericVector(support as Vector, 'support', fn).values;
    let total = NaN;
    for (let s = 0; s < values.length; s++) {
      if (counts[s] > 0 && values[s] > 0) {
        total = Math.round(counts[s] / values[s]);
        break;
      }
    }
    let consistent = total > 0;
    for (let s = 0; consistent && s < values.length; s++) consistent = Math.abs(counts[s] / total - values[s]) <= 1e-9;
    if (consistent) return total;
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the table does not say how many baskets there were (found no ${META_BASKETS} metadata${support ? ' and a support column that is not count / baskets' : ' and no support column'}); ` +
      `pass the table frequentItemsets returns, or add the metadata ${META_BASKETS}`,
  );
}

/**
 * The row of every (k − 1)-subset of every k-itemset, checking that it is in the table with a count at least the
 * set's own; by induction every subset is then there, and the rule loops may look any subset up without checking.
 * The rows found are kept: they are the antecedents of the one-item-consequent rules, which then need no look-up.
 */
function downwardClosure(
  offsets: Int32Array,
  codes: Int32Array,
  counts: Float64Array,
  index: ItemsetIndex,
  fn: string,
  show: (s: number) => string,
): Int32Array {
  const rows = new Int32Array(codes.length).fill(-1);
  const buffer = new Int32Array(MAX_ITEMSET_LENGTH);
  for (let s = 0; s < counts.length; s++) {
    const start = offsets[s];
    const k = offsets[s + 1] - start;
    if (k < 2) continue;
    for (let drop = 0; drop < k; drop++) {
      let len = 0;
      for (let j = 0; j < k; j++) if (j !== drop) buffer[len++] = codes[start + j];
      const sub = index.find(buffer, len);
      if (sub < 0) {
        const shown = Array.from(buffer.subarray(0, len), (c) => index.name(c)).join(', ');
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: itemset ${show(s)} at row ${s} has no subset {${shown}} in the table (found a table that is not downward closed: ` +
            `filtered, or closed / maximal itemsets only); rules need every frequent itemset — mine with target 'all' and filter the rules, not the itemsets`,
          { column: 'items', row: s },
        );
      }
      if (counts[sub] < counts[s]) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: itemset ${show(s)} at row ${s} is in ${counts[s]} baskets but its subset ${show(sub)} only in ${counts[sub]} ` +
            `(found counts that grow with the set); pass the table frequentItemsets returns`,
          { column: 'count', row: s },
        );
      }
      rows[start + drop] = sub;
    }
  }
  return rows;
}

/**
 * Open-addressing hash of itemsets (sorted code lists) to their row: the key is the codes themselves, so a
 * look-up hashes a few integers and compares them — no string is built per look-up.
 */
class ItemsetIndex {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly offsets: Int32Array,
    private readonly codes: Int32Array,
    private readonly names: readonly string[],
    size: number,
  ) {
    let capacity = 16;
    while (capacity < size * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  static hash(codes: Int32Array, start: number, length: number): number {
    let h = Math.imul(length + 1, 0x9e3779b1);
    for (let j = 0; j < length; j++) {
      h = Math.imul(h ^ codes[start + j], 0x85ebca6b);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** Adds row s; returns the row already holding the same itemset, or −1. */
  insert(s: number): number {
    const start = this.offsets[s];
    const length = this.offsets[s + 1] - start;
    const h = ItemsetIndex.hash(this.codes, start, length);
    let slot = h & this.mask;
    for (;;) {
      const row = this.slots[slot];
      if (row < 0) break;
      if (this.hashes[slot] === h && this.same(row, this.codes, start, length)) return row;
      slot = (slot + 1) & this.mask;
    }
    this.slots[slot] = s;
    this.hashes[slot] = h;
    return -1;
  }

  /** The row of the itemset `key[0 … length − 1]` (sorted codes), or −1. */
  find(key: Int32Array, length: number): number {
    const h = ItemsetIndex.hash(key, 0, length);
    let slot = h & this.mask;
    for (;;) {
      const row = this.slots[slot];
      if (row < 0) return -1;
      if (this.hashes[slot] === h && this.same(row, key, 0, length)) return row;
      slot = (slot + 1) & this.mask;
    }
  }

  name(code: number): string {
    return this.names[code];
  }

  private same(row: number, key: Int32Array, start: number, length: number): boolean {
    const from = this.offsets[row];
    if (this.offsets[row + 1] - from !== length) return false;
    const codes = this.codes;
    for (let j = 0; j < length; j++) if (codes[from + j] !== key[start + j]) return false;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// the core: trusts a checked itemset table

/** Growable Int32 / Float64 columns of candidate rules. */
class RuleBuffer {
  set = new Int32Array(1024);
  mask = new Int32Array(1024);
  antecedentCount = new Float64Array(1024);
  consequentCount = new Float64Array(1024);
  size = 0;

  constructor(
    private readonly opts: {
      readonly maxRules: number;
      readonly minConfidence: number;
      readonly maxConsequent: number;
    },
  ) {}

  /** Adds a candidate rule. @throws {ClienteleError} `LIMIT_EXCEEDED` past `maxRules` */
  push(s: number, mask: number, nA: number, nC: number): void {
    if (this.size >= this.opts.maxRules) {
      const { maxRules, minConfidence, maxConsequent } = this.opts;
      throw new ClienteleError(
        'LIMIT_EXCEEDED',
        `associationRules: the rules passed maxRules = ${maxRules} (found more at minConfidence ${minConfidence}, ` +
          `maxConsequent ${maxConsequent}); raise minConfidence, minLift or minSupport, or mine the itemsets with a ` +
          `higher minSupport, or raise maxRules (Infinity lifts the limit) if the output should be that large`,
      );
    }
    if (this.size === this.set.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2);
        next.set(a);
        return next;
      };
      this.set = grow(this.set);
      this.mask = grow(this.mask);
      this.antecedentCount = grow(this.antecedentCount);
      this.consequentCount = grow(this.consequentCount);
    }
    this.set[this.size] = s;
    this.mask[this.size] = mask;
    this.antecedentCount[this.size] = nA;
    this.consequentCount[this.size] = nC;
    this.size++;
  }
}

/** Number of baskets holding the positions `mask` of itemset s (codes from `start`), by look-up. */
function countOf(t: ItemsetTable, start: number, k: number, mask: number, key: Int32Array): number {
  let len = 0;
  for (let j = 0; j < k; j++) if ((mask >>> j) & 1) key[len++] = t.codes[start + j];
  if (len === 0) return t.baskets; // the empty set is in every basket
  return len === 1 ? t.singles[key[0]] : t.counts[t.index.find(key, len)];
}

function _associationRules(t: ItemsetTable, opts: ResolvedOptions): Table {
  const { offsets, counts, baskets: N } = t;
  const { minConfidence, minLift, minSupport, maxConsequent, minLength } = opts;
  const key = new Int32Array(MAX_ITEMSET_LENGTH);
  const rules = new RuleBuffer(opts);
  for (let s = 0; s < counts.length; s++) {
    const start = offsets[s];
    const k = offsets[s + 1] - start;
    const nAC = counts[s];
    // every rule of itemset s has its k items
    if (k < minLength || k === 0 || nAC / N < minSupport) continue;
    // {} → s (minLength 1 only): confidence P(s), lift exactly 1
    if (minLength === 1 && k <= maxConsequent && nAC / N >= minConfidence && 1 >= minLift) {
      rules.push(s, (1 << k) - 1, N, nAC);
    }
    if (k === 1) continue;
    // one-item consequents (the default, and most rules): both supports by array look-up
    for (let j = 0; j < k; j++) {
      const nA = counts[t.subsetRows[start + j]];
      if (nA > 0 && nAC / nA >= minConfidence) {
        const nC = t.singles[t.codes[start + j]];
        if (nC > 0 && (nAC * N) / (nA * nC) >= minLift) rules.push(s, 1 << j, nA, nC);
      }
    }
    const full = (1 << k) - 1;
    const most = Math.min(maxConsequent, k - 1);
    for (let c = 2; c <= most; c++) {
      // Gosper's hack: every k-bit mask with exactly c bits set, the consequent's positions
      for (let mask = (1 << c) - 1; mask <= full;) {
        const nA = countOf(t, start, k, full & ~mask, key);
        if (nA > 0 && nAC / nA >= minConfidence) {
          const nC = countOf(t, start, k, mask, key);
          if (nC > 0 && (nAC * N) / (nA * nC) >= minLift) rules.push(s, mask, nA, nC);
        }
        const low = mask & -mask;
        const ripple = mask + low;
        mask = ripple | ((mask ^ ripple) >>> (33 - Math.clz32(low))); // (x ^ ripple) >> 2 >> ctz(x)
      }
    }
  }
  const improvement =
    opts.pruneRedundant || opts.measures.includes('improvement') ? improvements(t, rules, key, opts) : null;
  const keep = opts.pruneRedundant ? nonRedundant(improvement!) : null;
  return rulesTable(t, rules, keep, improvement, opts);
}

/**
 * Improvement of each candidate rule (Bayardo, Agrawal & Gunopulos 2000, as arules' `improvement`): its confidence
 * minus the highest confidence of a more general rule A′ → C of the same result (same consequent, A′ a proper subset
 * of A, the empty set included when minLength is 1), 0 when there is none. A′ → C is in the result when it passes
 * the thresholds and minLength (its support is at least A → C's); every proper subset of A is looked up, 2^|A| − 1.
 * arules' `is.redundant` is improvement ≤ 0: a general rule at least as confident.
 */
function improvements(t: ItemsetTable, rules: RuleBuffer, key: Int32Array, opts: ResolvedOptions): Float64Array {
  const { minConfidence, minLift, minLength } = opts;
  const N = t.baskets;
  const out = new Float64Array(rules.size);
  for (let r = 0; r < rules.size; r++) {
    const s = rules.set[r];
    const start = t.offsets[s];
    const k = t.offsets[s + 1] - start;
    const consequent = rules.mask[r];
    const antecedent = ((1 << k) - 1) & ~consequent;
    const consequentItems = k - popcount(antecedent);
    const nC = rules.consequentCount[r];
    let best = 0;
    // proper subsets of the antecedent's positions, by the sub-mask walk (sub − 1) & antecedent, down to ∅
    for (let sub = (antecedent - 1) & antecedent; ; sub = (sub - 1) & antecedent) {
      if (sub !== 0 ? popcount(sub) + consequentItems >= minLength : minLength === 1) {
        const nAC = countOf(t, start, k, sub | consequent, key);
        const nA = countOf(t, start, k, sub, key);
        const confidence = nAC / nA;
        if (confidence > best && confidence >= minConfidence && (nAC * N) / (nA * nC) >= minLift) best = confidence;
      }
      if (sub === 0) break;
    }
    out[r] = antecedent === 0 ? t.counts[s] / N : t.counts[s] / rules.antecedentCount[r] - best;
  }
  return out;
}

/** The rules whose improvement is > 0 (arules' `is.redundant` is improvement ≤ 0). */
function nonRedundant(improvement: Float64Array): Uint8Array {
  return Uint8Array.from(improvement, (v) => (v > 0 ? 1 : 0));
}

/** Antecedent and consequent codes (flat, in generation order) and the three counts of each kept rule. */
interface RuleSides {
  readonly aOffsets: Int32Array;
  readonly aCodes: Int32Array;
  readonly cOffsets: Int32Array;
  readonly cCodes: Int32Array;
  readonly nA: Float64Array;
  readonly nC: Float64Array;
  readonly nAC: Float64Array;
}

/** Measures, order and output columns of the kept rules. */
function rulesTable(
  t: ItemsetTable,
  rules: RuleBuffer,
  keep: Uint8Array | null,
  improvement: Float64Array | null,
  opts: ResolvedOptions,
): Table {
  const N = t.baskets;
  const kept = keptRules(rules, keep);
  const sides = ruleSides(t, rules, kept);
  const { nA, nC, nAC } = sides;
  const m = nAC.length;
  const lift = new Float64Array(m);
  const confidence = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    lift[i] = (nAC[i] * N) / (nA[i] * nC[i]);
    confidence[i] = nAC[i] / nA[i];
  }
  const order = ruleOrder(sides, lift, confidence);
  const columns: Record<string, Vector> = {
    antecedent: listOfCodes(...gatherLists(sides.aCodes, sides.aOffsets, order), t.names),
    consequent: listOfCodes(...gatherLists(sides.cCodes, sides.cOffsets, order), t.names),
  };
  // the counts in output order once, so that every measure loop reads memory in sequence
  const sorted = (a: Float64Array) => {
    const out = new Float64Array(m);
    for (let o = 0; o < m; o++) out[o] = a[order[o]];
    return out;
  };
  const counts: RuleCounts = {
    baskets: N,
    nAC: sorted(nAC),
    nA: sorted(nA),
    nC: sorted(nC),
    maxItem: () => {
      const out = new Float64Array(m);
      const { aOffsets, aCodes, cOffsets, cCodes } = sides;
      for (let o = 0; o < m; o++) {
        const i = order[o];
        let most = 0;
        for (let j = aOffsets[i]; j < aOffsets[i + 1]; j++) most = Math.max(most, t.singles[aCodes[j]]);
        for (let j = cOffsets[i]; j < cOffsets[i + 1]; j++) most = Math.max(most, t.singles[cCodes[j]]);
        out[o] = most;
      }
      return out;
    },
    improvement: () => Float64Array.from(order, (i) => improvement![kept[i]]),
  };
  for (const measure of opts.measures) columns[measure] = ruleMeasureVector(measure, counts);
  const metadata = t.weighted ? weightedRulesMetadata(t.weighted) : { [META_BASKETS]: String(N) };
  return tableWithMetadata(columns, { [META_KIND]: 'associationRules', ...metadata });
}

/** Indices of the rules `keep` marks (all rules without `keep`), in generation order. */
function keptRules(rules: RuleBuffer, keep: Uint8Array | null): Int32Array {
  let m = 0;
  const kept = new Int32Array(rules.size);
  for (let r = 0; r < rules.size; r++) if (keep === null || keep[r] === 1) kept[m++] = r;
  return kept.subarray(0, m);
}

/** Splits each kept rule's itemset into its antecedent and consequent codes, with the rule's counts. */
function ruleSides(t: ItemsetTable, rules: RuleBuffer, kept: Int32Array): RuleSides {
  const m = kept.length;
  const aOffsets = new Int32Array(m + 1);
  const cOffsets = new Int32Array(m + 1);
  let aTotal = 0;
  let cTotal = 0;
  for (let i = 0; i < m; i++) {
    const r = kept[i];
    const s = rules.set[r];
    const k = t.offsets[s + 1] - t.offsets[s];
    const c = popcount(rules.mask[r]);
    aTotal += k - c;
    cTotal += c;
    aOffsets[i + 1] = aTotal;
    cOffsets[i + 1] = cTotal;
  }
  const aCodes = new Int32Array(aTotal);
  const cCodes = new Int32Array(cTotal);
  const nA = new Float64Array(m);
  const nC = new Float64Array(m);
  const nAC = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = kept[i];
    const s = rules.set[r];
    const start = t.offsets[s];
    const k = t.offsets[s + 1] - start;
    const mask = rules.mask[r];
    let a = aOffsets[i];
    let c = cOffsets[i];
    for (let j = 0; j < k; j++) {
      if ((mask >>> j) & 1) cCodes[c++] = t.codes[start + j];
      else aCodes[a++] = t.codes[start + j];
    }
    nA[i] = rules.antecedentCount[r];
    nC[i] = rules.consequentCount[r];
    nAC[i] = t.counts[s];
  }
  return { aOffsets, aCodes, cOffsets, cCodes, nA, nC, nAC };
}

/** The output order of the rules: lift descending, then confidence, support, antecedent and consequent names. */
function ruleOrder(sides: RuleSides, lift: Float64Array, confidence: Float64Array): Int32Array {
  const { aOffsets, aCodes, cOffsets, cCodes, nAC } = sides;
  const m = lift.length;
  // lift descending by radix sort, then each run of equal lift by confidence, support (n_AC: N is common), names
  const order = radixOrderDescending(lift);
  const ties = (x: number, y: number) =>
    confidence[y] - confidence[x] ||
    nAC[y] - nAC[x] ||
    compareLists(aCodes, aOffsets, x, y) ||
    compareLists(cCodes, cOffsets, x, y);
  for (let from = 0; from < m;) {
    let to = from + 1;
    while (to < m && lift[order[to]] === lift[order[from]]) to++;
    if (to - from > 16) order.subarray(from, to).sort(ties);
    else {
      // insertion sort: most runs are a few rules, and a sort call per run costs more
      for (let a = from + 1; a < to; a++) {
        const v = order[a];
        let b = a - 1;
        while (b >= from && ties(order[b], v) > 0) {
          order[b + 1] = order[b];
          b--;
        }
        order[b + 1] = v;
      }
    }
    from = to;
  }
  return order;
}

/** Which 32-bit word of a double holds its high bits (1 on little-endian platforms, as typed arrays use). */
const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Indices 0 … m − 1 ordered by `values` descending, stable, for values ≥ 0 without NaN: an LSD radix sort on the
 * IEEE-754 bits (for non-negative doubles the bit pattern orders as the number), four passes of 16 bits.
 * Hand-written because a comparator sort of a few hundred thousand rules costs several times more.
 */
function radixOrderDescending(values: Float64Array): Int32Array {
  const m = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * m);
  let order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  if (m < 2) return order;
  let next = new Int32Array(m);
  const starts = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 1 - HIGH_WORD : HIGH_WORD;
    const shift = (pass & 1) * 16;
    starts.fill(0);
    // digits complemented (0xffff − d) for a descending order
    for (let i = 0; i < m; i++) starts[0x10000 - ((words[2 * i + word] >>> shift) & 0xffff)]++;
    if (starts[0x10000 - ((words[2 * order[0] + word] >>> shift) & 0xffff)] === m) continue; // one digit: nothing moves
    for (let d = 1; d <= 0x10000; d++) starts[d] += starts[d - 1];
    for (let o = 0; o < m; o++) {
      const i = order[o];
      next[starts[0xffff - ((words[2 * i + word] >>> shift) & 0xffff)]++] = i;
    }
    const swap = order;
    order = next;
    next = swap;
  }
  return order;
}

/** Lexicographic comparison of lists x and y (codes ranked by name: the order of the names). */
function compareLists(codes: Int32Array, offsets: Int32Array, x: number, y: number): number {
  const xs = offsets[x];
  const ys = offsets[y];
  const xl = offsets[x + 1] - xs;
  const yl = offsets[y + 1] - ys;
  const l = Math.min(xl, yl);
  for (let j = 0; j < l; j++) {
    const d = codes[xs + j] - codes[ys + j];
    if (d !== 0) return d;
  }
  return xl - yl;
}

/** Lists `order[0], order[1], …` of a flat list buffer, as a new flat buffer. */
function gatherLists(codes: Int32Array, offsets: Int32Array, order: Int32Array): [Int32Array, Int32Array] {
  const outOffsets = new Int32Array(order.length + 1);
  const out = new Int32Array(codes.length);
  let at = 0;
  for (let o = 0; o < order.length; o++) {
    const i = order[o];
    for (let j = offsets[i]; j < offsets[i + 1]; j++) out[at++] = codes[j];
    outOffsets[o + 1] = at;
  }
  return [outOffsets, out];
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
