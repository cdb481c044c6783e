import type { Table, Vector } from 'apache-arrow';
import {
  ClienteleError,
  deepFreeze,
  describeValue,
  knownOptions,
  optionNames,
  readNumericVector,
} from '../table/internal';
import { readPatterns } from './sequence-vector';
import type { CodedPatterns } from './sequence-vector';

/** The measures {@link recommendNext} can score a rule by. */
export type SequenceRuleRanking = 'confidence' | 'lift' | 'support';

const RANKINGS: readonly SequenceRuleRanking[] = ['confidence', 'lift', 'support'];

/** Options of {@link recommendNext}. */
export interface RecommendNextOptions {
  /** How many items to suggest at most, ≥ 0. Default 5. */
  k?: number;
  /** The measure that scores a rule, highest best. Default `'confidence'`. */
  by?: SequenceRuleRanking;
  /** Suggest only items the history does not hold (default true); false allows repeat purchases. */
  excludeBought?: boolean;
  /**
   * The antecedent's last element must be matched in the last `recent` events of the history (its earlier elements
   * anywhere before), so that a rule fires on what the customer bought lately. Default: the whole history.
   */
  recent?: number;
}

/** A sequence rule as a plain object: its elements, its row in the rules table and its measures. */
export interface SequenceRuleRow {
  readonly antecedent: readonly (readonly string[])[];
  readonly consequent: readonly string[];
  readonly row: number;
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
}

/** An item {@link recommendNext} suggests: the item, its score (the rule's `by` measure) and the rule that fired. */
export interface NextRecommendation {
  readonly item: string;
  readonly score: number;
  readonly rule: SequenceRuleRow;
}

const RECOMMEND_NEXT_OPTION_NAMES = optionNames<RecommendNextOptions>({
  k: true,
  by: true,
  excludeBought: true,
  recent: true,
});

/**
 * What a customer may buy next, from sequence rules: the consequents of the rules whose antecedent the customer's
 * history contains as a subsequence (each element of the antecedent a subset of a history event, in order, strictly
 * later each time). Each item of a fired rule's consequent is a candidate scored by the rule's `by` measure; each
 * item keeps its best rule (highest score, then highest lift, then the first in the table), and items are ranked by
 * score, then lift, then name — the conventions of {@link recommend} for baskets. What an analyst uses it for: "next
 * best offer" e-mails and on-site suggestions that follow the order in which customers buy.
 *
 * The rules' gap constraints are not checked against the history (it carries no times); `recent` asks instead that
 * the antecedent end in the customer's latest events.
 *
 * Returns a frozen array of at most k `{ item, score, rule }`. History items no rule mentions are ignored; an empty
 * history gets no suggestions.
 *
 * Cost: O(rules · history events · element size) in the worst case.
 *
 * @param rules a table from {@link sequenceRules}
 * @param history the customer's events in time order, each an array of the item names bought together (a string is
 *   an event of one item)
 * @param options k (5); by (`'confidence'`); excludeBought (true); recent (the whole history)
 * @throws {ClienteleError} `INVALID_INPUT` when `rules` is not a sequenceRules table or `history` not a list of
 *   events; `INVALID_OPTION`
 * @example
 * const lists = [[['tent'], ['stove'], ['fuel']], [['tent'], ['stove']], [['tent'], ['fuel']], [['stove'], ['fuel']]];
 * const rules = sequenceRules(frequentSequences(lists, { minSupport: 0.5 }), { minConfidence: 0.5 });
 * recommendNext(rules, [['tent']]).map((r) => [r.item, r.score]); // [['fuel', 2 / 3], ['stove', 2 / 3]]
 * recommendNext(rules, ['tent', 'stove']).map((r) => r.item); // ['fuel']
 * recommendNext(rules, ['tent', 'stove'])[0].rule.antecedent; // [['stove']]
 */
export function recommendNext(
  rules: Table,
  history: readonly (readonly string[] | string)[],
  options: RecommendNextOptions = {},
): readonly NextRecommendation[] {
  options = knownOptions(options, RECOMMEND_NEXT_OPTION_NAMES, 'recommendNext');
  const fn = 'recommendNext';
  const table = checkRules(rules, fn);
  const events = checkHistory(history, fn);
  const { k, by, excludeBought, recent } = resolveOptions(options, fn);
  const lhs = readPatterns(table, 'antecedent', fn);
  const rhs = readPatterns(table, 'consequent', fn);
  const measure = (name: string) => readNumericVector(table.getChild(name) as Vector, name, fn).values;
  const score = measure(by);
  const lift = measure('lift');
  // the history as sets of antecedent codes, one per event
  const lhsCode = new Map(lhs.names.map((name, c) => [name, c]));
  const held = events.map((event) => new Set(event.map((item) => lhsCode.get(item) ?? -1)));
  const bought = new Set(events.flat());
  const firstRecent = recent === Infinity ? 0 : Math.max(0, events.length - recent);
  const best = new Map<number, number>();
  for (let r = 0; r < table.numRows; r++) {
    if (Number.isNaN(score[r]) || !fires(lhs, r, held, firstRecent)) continue;
    const last = rhs.patternOffsets[r + 1] - 1;
    for (let t = rhs.elementOffsets[last]; t < rhs.elementOffsets[last + 1]; t++) {
      const item = rhs.codes[t];
      if (excludeBought && bought.has(rhs.names[item])) continue;
      const b = best.get(item);
      if (b === undefined || score[r] > score[b] || (score[r] === score[b] && lift[r] > lift[b])) best.set(item, r);
    }
  }
  const found = [...best.keys()].sort((a, b) => {
    const ra = best.get(a) as number;
    const rb = best.get(b) as number;
    return (
      score[rb] - score[ra] ||
      lift[rb] - lift[ra] ||
      (rhs.names[a] < rhs.names[b] ? -1 : rhs.names[a] > rhs.names[b] ? 1 : 0)
    );
  });
  const support = measure('support');
  const confidence = measure('confidence');
  const out = found.slice(0, k).map((item) => {
    const r = best.get(item) as number;
    return {
      item: rhs.names[item],
      score: score[r],
      rule: {
        antecedent: elements(lhs, r),
        consequent: elements(rhs, r)[0] ?? [],
        row: r,
        support: support[r],
        confidence: confidence[r],
        lift: lift[r],
      },
    };
  });
  return deepFreeze(out);
}

/**
 * Whether rule r's antecedent is a subsequence of the history with its last element at or after event
 * `firstRecent`: matched from the last element backwards, each at the latest event that holds it (the greedy
 * latest match leaves most room for the earlier elements, so it finds an embedding whenever one exists).
 */
function fires(lhs: CodedPatterns, r: number, held: readonly Set<number>[], firstRecent: number): boolean {
  let at = held.length - 1;
  for (let k = lhs.patternOffsets[r + 1] - 1; k >= lhs.patternOffsets[r]; k--) {
    let found = -1;
    for (let j = at; j >= 0 && found < 0; j--) {
      let all = true;
      for (let t = lhs.elementOffsets[k]; all && t < lhs.elementOffsets[k + 1]; t++) all = held[j].has(lhs.codes[t]);
      if (all) found = j;
    }
    if (found < 0) return false;
    if (k === lhs.patternOffsets[r + 1] - 1 && found < firstRecent) return false;
    at = found - 1;
  }
  return true;
}

function resolveOptions(options: RecommendNextOptions, fn: string): Required<RecommendNextOptions> {
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option k must be a whole number ≥ 0 (found ${describeValue(k)}); e.g. { k: 3 }`,
    );
  }
  const by = options.by ?? 'confidence';
  if (!RANKINGS.includes(by)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option by must be one of ${RANKINGS.map((r) => `'${r}'`).join(', ')} (found ${describeValue(by)})`,
    );
  }
  const excludeBought = options.excludeBought ?? true;
  if (typeof excludeBought !== 'boolean') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option excludeBought must be true or false (found ${describeValue(excludeBought)})`,
    );
  }
  const recent = options.recent ?? Infinity;
  if (!(recent === Infinity || (Number.isInteger(recent) && recent >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option recent must be a whole number ≥ 1 (found ${describeValue(recent)}); leave it out for the whole history`,
    );
  }
  return { k, by, excludeBought, recent };
}

function elements(p: CodedPatterns, r: number): string[][] {
  const out: string[][] = [];
  for (let k = p.patternOffsets[r]; k < p.patternOffsets[r + 1]; k++) {
    out.push(Array.from(p.codes.subarray(p.elementOffsets[k], p.elementOffsets[k + 1]), (c) => p.names[c]));
  }
  return out;
}

function checkRules(rules: unknown, fn: string): Table {
  const t = rules as Table;
  if (typeof t !== 'object' || t === null || typeof t.getChild !== 'function' || !Array.isArray(t.schema?.fields)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: rules must be the Arrow table sequenceRules returns (found ${describeValue(rules)}); pass sequenceRules(patterns)`,
    );
  }
  const kind = t.schema.metadata.get('clientele.kind');
  if (kind !== 'sequenceRules') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a sequenceRules table (found clientele.kind = ${describeValue(kind)}); pass sequenceRules(frequentSequences(…))`,
    );
  }
  return t;
}

function checkHistory(history: unknown, fn: string): string[][] {
  if (!Array.isArray(history)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: history must be an array of events, each an array of item names or one name (found ${describeValue(history)}); e.g. [['tent'], ['stove', 'fuel']]`,
    );
  }
  return history.map((event: unknown, e) => {
    const items = typeof event === 'string' ? [event] : event;
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: history event ${e} must be an array of item names or one name (found ${describeValue(event)})`,
      );
    }
    return items as string[];
  });
}
