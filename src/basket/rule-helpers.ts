import type { Table, TypeMap, Vector } from 'apache-arrow';
import {
  ClienteleError,
  deepFreeze,
  describeValue,
  knownOptions,
  optionNames,
  readNumericVector,
  tableWithMetadata,
  takeVector,
  nullRecord,
} from '../table/internal';
import { DEFAULT_RULE_MEASURES, RULE_MEASURES } from './rule-measures';
import type { DefaultRuleMeasure, RuleMeasure } from './rule-measures';
import { LIST_TYPE_ID, listOfCodes, readCodedLists } from './list-vector';
import type { CodedLists } from './list-vector';

/** Which side of a rule {@link rulesWithItem} looks at. */
export type RuleSide = 'antecedent' | 'consequent' | 'either';

/**
 * The measures rules can be ranked by (highest first): the default six, and the measures `associationRules` adds on
 * request (the table must carry the column).
 */
export type RuleRanking = Exclude<
  RuleMeasure,
  'count' | 'antecedentSupport' | 'consequentSupport' | 'representativity'
>;

const SIDES: readonly RuleSide[] = ['antecedent', 'consequent', 'either'];
const BASIC_RANKINGS: readonly RuleRanking[] = ['lift', 'confidence', 'support', 'leverage', 'conviction', 'zhang'];
const RANKINGS: readonly RuleRanking[] = [
  ...BASIC_RANKINGS,
  ...RULE_MEASURES.filter(
    (m): m is RuleRanking =>
      !BASIC_RANKINGS.includes(m as RuleRanking) &&
      m !== 'count' &&
      m !== 'antecedentSupport' &&
      m !== 'consequentSupport' &&
      m !== 'representativity',
  ),
];

/** Options of {@link rulesWithItem}. */
export interface RulesWithItemOptions {
  /** Where the item must be: in the antecedent, the consequent, or either. Default `'either'`. */
  side?: RuleSide;
}

/** Options of {@link topRules}. */
export interface TopRulesOptions {
  /** The measure to rank by, highest first. Default `'lift'`. */
  by?: RuleRanking;
}

/** Options of {@link recommend}. */
export interface RecommendOptions {
  /** How many items to suggest at most. Default 5. */
  n?: number;
  /** The measure that scores a rule, highest best. Default `'confidence'`. */
  by?: RuleRanking;
}

/**
 * One rule as a plain object: its items, its row in the rules table and its measures — the default nine always (NaN
 * for a missing column), the others of {@link RULE_MEASURES} when the table has them.
 */
export type RuleRow = {
  readonly antecedent: readonly string[];
  readonly consequent: readonly string[];
  /** The rule's row in the rules table. */
  readonly row: number;
} & { readonly [M in DefaultRuleMeasure]: number } & { readonly [M in RuleMeasure]?: number };

/** An item {@link recommend} suggests: the item, its score (the rule's `by` measure) and the rule that suggests it. */
export interface Recommendation {
  readonly item: string;
  readonly score: number;
  readonly rule: RuleRow;
}

/** The options rulesWithItem takes; every other name is refused with a did-you-mean. */
const RULES_WITH_ITEM_OPTION_NAMES = optionNames<RulesWithItemOptions>({ side: true });

/**
 * The rules that mention an item: in the antecedent ("what does buying X lead to?"), in the consequent ("what
 * leads to X?"), or either. What an analyst uses it for: reading the rules around one product.
 *
 * Rows keep their order and every column; the schema metadata is kept. An item no rule mentions gives a zero-row
 * table. Item names match exactly (case and spaces count).
 *
 * Cost: O(total items in the rules).
 *
 * @param rules a table from {@link associationRules}
 * @param item the item name
 * @param options side (`'either'`)
 * @throws {ClienteleError} `INVALID_INPUT` when `rules` is not a rules table; `INVALID_OPTION` for an item that is
 *   not a string or an unknown side
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.7 });
 * rulesWithItem(rules, 'beer', { side: 'consequent' }).numRows; // 2
 * rulesWithItem(rules, 'beer').numRows; // 3
 * rulesWithItem(rules, 'wine').numRows; // 0
 */
export function rulesWithItem<T extends TypeMap>(
  rules: Table<T>,
  item: string,
  options: RulesWithItemOptions = {},
): Table<T> {
  options = knownOptions(options, RULES_WITH_ITEM_OPTION_NAMES, 'rulesWithItem');
  const fn = 'rulesWithItem';
  const table = checkRules(rules, fn);
  if (typeof item !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: item must be an item name, a string (found ${describeValue(item)}); pass e.g. 'beer'`,
    );
  }
  const side = checkObject(options, fn).side ?? 'either';
  if (!SIDES.includes(side)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option side must be one of ${SIDES.join(', ')} (found ${describeValue(side)})`,
    );
  }
  const n = table.numRows;
  const hit = new Uint8Array(n);
  const mark = (column: string) => {
    const lists = readCodedLists(table.getChild(column) as Vector, fn, column);
    const code = lists.names.indexOf(item);
    if (code < 0) return;
    for (let r = 0; r < n; r++) {
      for (let j = lists.offsets[r]; j < lists.offsets[r + 1]; j++) {
        if (lists.codes[j] === code) {
          hit[r] = 1;
          break;
        }
      }
    }
  };
  switch (side) {
    case 'antecedent':
      mark('antecedent');
      break;
    case 'consequent':
      mark('consequent');
      break;
    case 'either':
      mark('antecedent');
      mark('consequent');
      break;
    default: {
      const never: never = side;
      return never;
    }
  }
  let m = 0;
  for (let r = 0; r < n; r++) m += hit[r];
  const rows = new Int32Array(m);
  for (let r = 0, k = 0; r < n; r++) if (hit[r] === 1) rows[k++] = r;
  return takeRows(table, rows, fn);
}

/** The options topRules takes; every other name is refused with a did-you-mean. */
const TOP_RULES_OPTION_NAMES = optionNames<TopRulesOptions>({ by: true });

/**
 * The n best rules by one measure, highest first. What an analyst uses it for: the short list to read or to act
 * on ("the ten strongest cross-sells by lift").
 *
 * Ties keep the rules' order in the table, which for an {@link associationRules} result is lift, confidence,
 * support, then item names — so `topRules(rules, n)` is the first n rows. NaN values rank last; `conviction`
 * ranks rules of confidence 1 (Infinity) first. Every column and the metadata are kept.
 *
 * Cost: O(r log r) for r rules.
 *
 * @param rules a table from {@link associationRules}
 * @param n how many rules (a whole number ≥ 0; more than there are returns them all)
 * @param options by (`'lift'`)
 * @throws {ClienteleError} `INVALID_INPUT` when `rules` is not a rules table; `INVALID_OPTION` for a bad n or by;
 *   `MISSING_COLUMN` when the table lacks the `by` measure (left out by `measures`)
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.5 });
 * const top = topRules(rules, 2, { by: 'support' });
 * top.getChild('support')?.toArray(); // Float64Array [0.6, 0.6]
 * top.getChild('antecedent')?.get(0)?.toArray(); // ['beer']
 */
export function topRules<T extends TypeMap>(rules: Table<T>, n: number, options: TopRulesOptions = {}): Table<T> {
  options = knownOptions(options, TOP_RULES_OPTION_NAMES, 'topRules');
  const fn = 'topRules';
  const table = checkRules(rules, fn);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: n must be a whole number ≥ 0 (found ${describeValue(n)}); pass e.g. 10`,
    );
  }
  const by = checkRanking(checkObject(options, fn).by ?? 'lift', fn);
  const values = measureColumn(table, by, fn);
  const count = table.numRows;
  const order = new Int32Array(count);
  for (let r = 0; r < count; r++) order[r] = r;
  order.sort((x, y) => descending(values[x], values[y]) || x - y);
  const rows = order.subarray(0, Math.min(n, count));
  let identity = true;
  for (let i = 0; identity && i < rows.length; i++) identity = rows[i] === i;
  // already in order (the usual case for by: 'lift'): a zero-copy slice
  return identity ? table.slice(0, rows.length) : takeRows(table, rows, fn);
}

/** The options recommend takes; every other name is refused with a did-you-mean. */
const RECOMMEND_OPTION_NAMES = optionNames<RecommendOptions>({ n: true, by: true });

/**
 * Items to suggest for a basket: the consequents of the rules that apply to it. A rule applies when every item of
 * its antecedent is in the basket (a rule {} → C of `minLength: 1` applies to every basket) and no item of its
 * consequent is; each of its consequent items is then a
 * candidate, scored by the rule's `by` measure (a rule with several consequent items scores each with the whole
 * rule's measure: for confidence, a lower bound on the item's own). Each item keeps its best rule (highest score,
 * then highest lift, then the first in the table); items are ranked by score, then lift, then name. What an
 * analyst uses it for: "customers who bought these also buy …" on a checkout page or in a campaign.
 *
 * Returns a frozen array of at most n `{ item, score, rule }`, `rule` holding the rule's items, row and measures.
 * Basket items no rule mentions are ignored; an empty basket gets no suggestions.
 *
 * Cost: O(total items in the rules + basket).
 *
 * @param rules a table from {@link associationRules}
 * @param basket the items in the basket
 * @param options n (5); by (`'confidence'`)
 * @throws {ClienteleError} `INVALID_INPUT` when `rules` is not a rules table or `basket` not an array of names;
 *   `INVALID_OPTION` for a bad n or by; `MISSING_COLUMN` when the table lacks the `by` measure
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.7 });
 * recommend(rules, ['chips', 'milk']).map((s) => s.item); // ['beer', 'diapers']
 * recommend(rules, ['beer', 'chips']).map((s) => [s.item, s.score]); // [['diapers', 0.75]]
 * recommend(rules, ['beer', 'chips'])[0].rule.antecedent; // ['beer']
 */
export function recommend(
  rules: Table,
  basket: readonly string[],
  options: RecommendOptions = {},
): readonly Recommendation[] {
  options = knownOptions(options, RECOMMEND_OPTION_NAMES, 'recommend');
  const fn = 'recommend';
  const table = checkRules(rules, fn);
  if (!Array.isArray(basket)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: basket must be an array of item names (found ${describeValue(basket)}); pass e.g. ['beer', 'chips']`,
    );
  }
  basket.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: basket item ${i} must be an item name, a string (found ${describeValue(item)})`,
      );
    }
  });
  const opts = checkObject(options, fn);
  const n = opts.n ?? 5;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option n must be a whole number ≥ 0 (found ${describeValue(n)}); pass e.g. { n: 3 }`,
    );
  }
  const by = checkRanking(opts.by ?? 'confidence', fn);
  const score = measureColumn(table, by, fn);
  const liftVector = table.getChild('lift');
  const lift = liftVector
    ? readNumericVector(liftVector as Vector, 'lift', fn).values
    : new Float64Array(table.numRows);
  const antecedents = readCodedLists(table.getChild('antecedent') as Vector, fn, 'antecedent');
  const consequents = readCodedLists(table.getChild('consequent') as Vector, fn, 'consequent');
  const inAntecedentCodes = flags(antecedents.names, basket);
  const inConsequentCodes = flags(consequents.names, basket);
  const items = consequents.names.length;
  const bestRow = new Int32Array(items).fill(-1);
  const bestScore = new Float64Array(items);
  const bestLift = new Float64Array(items);
  for (let r = 0; r < table.numRows; r++) {
    if (Number.isNaN(score[r]) || !applies(antecedents, inAntecedentCodes, consequents, inConsequentCodes, r)) continue;
    for (let j = consequents.offsets[r]; j < consequents.offsets[r + 1]; j++) {
      const item = consequents.codes[j];
      const best = bestRow[item];
      if (best < 0 || score[r] > bestScore[item] || (score[r] === bestScore[item] && lift[r] > bestLift[item])) {
        bestRow[item] = r;
        bestScore[item] = score[r];
        bestLift[item] = lift[r];
      }
    }
  }
  const found: number[] = [];
  for (let item = 0; item < items; item++) if (bestRow[item] >= 0) found.push(item);
  // codes are ranked by name, so the last tie-break compares codes
  found.sort((a, b) => descending(bestScore[a], bestScore[b]) || descending(bestLift[a], bestLift[b]) || a - b);
  const out = found.slice(0, n).map((item) => ({
    item: consequents.names[item],
    score: bestScore[item],
    rule: ruleRow(table, antecedents, consequents, bestRow[item]),
  }));
  return deepFreeze(out);
}

// ---------------------------------------------------------------------------------------------------------------

/** The table, after checking it is a rules table: a table with list columns antecedent and consequent. */
export function checkRules(rules: unknown, fn: string): Table {
  const t = rules as Table;
  if (typeof t !== 'object' || t === null || typeof t.getChild !== 'function' || !Array.isArray(t.schema?.fields)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: rules must be the Arrow table associationRules returns (found ${describeValue(rules)}); pass associationRules(itemsets)`,
    );
  }
  const kind = t.schema.metadata.get('clientele.kind');
  if (kind !== undefined && kind !== 'associationRules') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a rules table (found clientele.kind = "${kind}"); pass associationRules(itemsets), not the itemsets themselves`,
    );
  }
  const found = t.schema.fields.map((f) => f.name);
  const missing = ['antecedent', 'consequent'].filter((name) => !found.includes(name));
  if (missing.length > 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a rules table: column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(' and ')} missing ` +
        `(found columns: ${found.join(', ') || 'none'}); pass the table associationRules returns`,
      { column: missing[0] },
    );
  }
  return t;
}

function checkObject<T extends object>(options: T, fn: string): T {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: options must be an object (found ${describeValue(options)})`);
  }
  return options;
}

function checkRanking(by: unknown, fn: string): RuleRanking {
  if (!RANKINGS.includes(by as RuleRanking)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option by must be one of ${RANKINGS.join(', ')} (found ${describeValue(by)})`,
    );
  }
  return by as RuleRanking;
}

function measureColumn(table: Table, by: RuleRanking, fn: string): Float64Array {
  const vector = table.getChild(by);
  if (!vector) {
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "${by}" (option by) is not in the rules table (found columns: ${table.schema.fields.map((f) => f.name).join(', ')}); ` +
        `include it in associationRules(…, { measures }) or rank by another measure`,
      { column: by },
    );
  }
  return readNumericVector(vector as Vector, by, fn).values;
}

/** Descending order with NaN last: negative when a ranks before b. */
function descending(a: number, b: number): number {
  if (a > b) return -1;
  if (a < b) return 1;
  if (a === b) return 0;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

/** 1 for the codes of `names` that are in the basket. */
function flags(names: readonly string[], basket: readonly string[]): Uint8Array {
  const code = new Map(names.map((name, c) => [name, c]));
  const out = new Uint8Array(names.length);
  for (const item of basket) {
    const c = code.get(item);
    if (c !== undefined) out[c] = 1;
  }
  return out;
}

/** Rule r applies to the basket: its antecedent is in it and its consequent is not. */
function applies(a: CodedLists, inA: Uint8Array, c: CodedLists, inC: Uint8Array, r: number): boolean {
  for (let j = a.offsets[r]; j < a.offsets[r + 1]; j++) if (inA[a.codes[j]] === 0) return false;
  for (let j = c.offsets[r]; j < c.offsets[r + 1]; j++) if (inC[c.codes[j]] === 1) return false;
  return true;
}

function ruleRow(table: Table, a: CodedLists, c: CodedLists, row: number): RuleRow {
  const names = (lists: CodedLists) =>
    Array.from(lists.codes.subarray(lists.offsets[row], lists.offsets[row + 1]), (code) => lists.names[code]);
  const out: Record<string, unknown> = { antecedent: names(a), consequent: names(c), row };
  for (const measure of RULE_MEASURES) {
    const vector = table.getChild(measure);
    if (!vector && !DEFAULT_RULE_MEASURES.includes(measure)) continue;
    const value = vector?.get(row);
    out[measure] = value === null || value === undefined ? NaN : Number(value);
  }
  return out as RuleRow;
}

/**
 * The rows `rows` of a rules table, every column, metadata kept: list columns through their item codes, other
 * columns by `takeVector`.
 */
export function takeRows(table: Table, rows: Int32Array, fn: string): Table {
  const columns: Record<string, Vector> = nullRecord();
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name) as Vector;
    if (field.type.typeId === LIST_TYPE_ID) {
      const lists = readCodedLists(vector, fn, field.name);
      const offsets = new Int32Array(rows.length + 1);
      let total = 0;
      for (let i = 0; i < rows.length; i++) {
        total += lists.offsets[rows[i] + 1] - lists.offsets[rows[i]];
        offsets[i + 1] = total;
      }
      const codes = new Int32Array(total);
      for (let i = 0, at = 0; i < rows.length; i++) {
        for (let j = lists.offsets[rows[i]]; j < lists.offsets[rows[i] + 1]; j++) codes[at++] = lists.codes[j];
      }
      columns[field.name] = listOfCodes(offsets, codes, lists.names);
    } else columns[field.name] = takeVector(vector, rows);
  }
  return tableWithMetadata(columns, Object.fromEntries(table.schema.metadata));
}
