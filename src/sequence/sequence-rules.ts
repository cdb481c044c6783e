import type { Float64, Int32, List, Table, Utf8, Vector } from 'apache-arrow';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  readNumericVector,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import { patternText, patternVector, readPatterns } from './sequence-vector';
import type { CodedPatterns } from './sequence-vector';

/** Options of {@link sequenceRules}. */
export interface SequenceRulesOptions {
  /** Keep rules with confidence ≥ this, in [0, 1]. Default 0.8, as arulesSequences' `ruleInduction`. */
  minConfidence?: number;
  /** Keep rules with lift ≥ this (≥ 0). Default none. */
  minLift?: number;
}

/** The columns of `sequenceRules`: one row per rule. */
export type SequenceRulesColumns = {
  antecedent: List<List<Utf8>>;
  consequent: List<List<Utf8>>;
  text: Utf8;
  support: Float64;
  confidence: Float64;
  lift: Float64;
  count: Int32;
};

const SEQUENCE_RULES_OPTION_NAMES = optionNames<SequenceRulesOptions>({ minConfidence: true, minLift: true });

/**
 * Sequence rules `X ⇒ Y` from frequent sequential patterns, as R arulesSequences' `ruleInduction`: each pattern of
 * two or more elements gives one rule whose antecedent X is the pattern without its last element and whose
 * consequent Y is that last element ("customers who bought X, in this order, later buy Y"). What an analyst uses it
 * for: next-purchase suggestions and their strength (see {@link recommendNext}).
 *
 * Measures (arulesSequences' definitions; supports are shares of sequences):
 * - support = support(X then Y), the pattern's own;
 * - confidence = support(X then Y) / support(X);
 * - lift = confidence / support(<Y>), Y's support as a one-element sequence (how much more likely buying Y is after
 *   X than in general; 1 = no association);
 * - count = sequences containing X then Y.
 *
 * Confidence and lift are computed from the counts (count(X then Y) / count(X), and × sequences / count(<Y>)), so a
 * rule exactly at minConfidence is kept; arulesSequences divides the supports, whose rounding can drop it (4/6 over
 * 5/6 is 0.7999999999999999). The values agree to a few units in the last place.
 *
 * X and <Y> are always in the pattern table when it comes whole from {@link frequentSequences} (a pattern's prefix
 * and its last element are frequent under every constraint); a filtered table that lacks one is refused, as R does.
 * Rows are ordered by lift, confidence and support (highest first), then the patterns' order. The schema metadata
 * keeps the patterns' (`clientele.sequences`, the constraints) and adds `clientele.kind` = `sequenceRules` and
 * `clientele.minConfidence`.
 *
 * Cost: O(total items of the patterns) with hashing, plus O(r log r) to sort r rules.
 *
 * Reference: Zaki (2001), "SPADE", Machine Learning 42, section 7 (rule generation); arulesSequences'
 * `ruleInduction` (Buchta & Hahsler) for the measures.
 *
 * @param patterns a table from {@link frequentSequences}
 * @param options minConfidence (0.8); minLift (none)
 * @throws {ClienteleError} `INVALID_INPUT` when `patterns` is not a frequentSequences table or lacks a rule's
 *   antecedent or consequent; `INVALID_OPTION`
 * @example
 * // B then A within 5 days in customers 1 and 4; B then F only 10 days apart
 * const purchases = { customer: [1, 1, 1, 2, 2, 3, 4, 4, 4], day: [15, 20, 25, 15, 20, 10, 10, 20, 25], item: ['B', 'A', 'F', 'F', 'E', 'F', 'D', 'B', 'A'] };
 * const patterns = frequentSequences(customerSequences(purchases, { date: 'day' }), { minSupport: 0.5, maxGap: 5 });
 * const rules = sequenceRules(patterns, { minConfidence: 0.5 });
 * rules.getChild('text')?.toArray(); // ['<{B}> => <{A}>']
 * [rules.getChild('confidence')?.get(0), rules.getChild('lift')?.get(0)]; // [1, 2]
 */
export function sequenceRules(patterns: Table, options: SequenceRulesOptions = {}): Table<SequenceRulesColumns> {
  options = knownOptions(options, SEQUENCE_RULES_OPTION_NAMES, 'sequenceRules');
  const fn = 'sequenceRules';
  const table = checkPatterns(patterns, fn);
  const { minConfidence, minLift } = resolveOptions(options, fn);
  const p = readPatterns(table, 'sequence', fn);
  const support = readNumericVector(table.getChild('support') as Vector, 'support', fn).values;
  const countVector = table.getChild('count') as Vector | null;
  const counts = countVector ? readNumericVector(countVector, 'count', fn).values : null;
  const n = support.length;
  const sequences = Number(table.schema.metadata.get('clientele.sequences'));
  const keyOf = (from: number, to: number): string => {
    let key = '';
    for (let k = from; k < to; k++) {
      const element = Array.from(p.codes.subarray(p.elementOffsets[k], p.elementOffsets[k + 1])).sort((a, b) => a - b);
      key += `${element.join(',')}|`;
    }
    return key;
  };
  const row = new Map<string, number>();
  for (let r = 0; r < n; r++) row.set(keyOf(p.patternOffsets[r], p.patternOffsets[r + 1]), r);
  const rules: InducedRule[] = [];
  for (let r = 0; r < n; r++) {
    const first = p.patternOffsets[r];
    const last = p.patternOffsets[r + 1] - 1;
    if (last <= first) continue;
    const lhs = row.get(keyOf(first, last));
    const rhs = row.get(keyOf(last, last + 1));
    if (lhs === undefined || rhs === undefined) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: the patterns table is incomplete: row ${r} (${patternText(p, r)}) has no row for its ` +
          `${lhs === undefined ? 'antecedent' : 'consequent'}; pass the whole table frequentSequences returns, not a filtered one`,
        { row: r },
      );
    }
    // from counts when the table has them: 4/5 is 0.8 exactly, where (4/6)/(5/6) is 0.7999999999999999
    const confidence = counts ? counts[r] / counts[lhs] : support[r] / support[lhs];
    if (!(confidence >= minConfidence)) continue;
    const lift =
      counts && sequences > 0 ? (counts[r] * sequences) / (counts[lhs] * counts[rhs]) : confidence / support[rhs];
    if (!(lift >= minLift)) continue;
    rules.push({ r, lhs, rhs, confidence, lift });
  }
  rules.sort((a, b) => b.lift - a.lift || b.confidence - a.confidence || support[b.r] - support[a.r] || a.r - b.r);
  const metadata = Object.fromEntries(table.schema.metadata);
  return tableWithMetadata(rulesColumns(p, rules, support, counts, sequences), {
    ...metadata,
    'clientele.kind': 'sequenceRules',
    'clientele.minConfidence': String(minConfidence),
    ...(rules.length === 0
      ? {
          'clientele.warnings': JSON.stringify([
            `no rule reaches confidence ${minConfidence}${minLift > 0 ? ` and lift ${minLift}` : ''}; lower minConfidence or mine longer patterns`,
          ]),
        }
      : {}),
  }) as Table<SequenceRulesColumns>;
}

/** One induced rule: the pattern's row, its antecedent's and consequent's rows, and its measures. */
interface InducedRule {
  readonly r: number;
  readonly lhs: number;
  readonly rhs: number;
  readonly confidence: number;
  readonly lift: number;
}

/** The columns of the rules table, in the rules' order. */
function rulesColumns(
  p: CodedPatterns,
  rules: readonly InducedRule[],
  support: Float64Array,
  counts: Float64Array | null,
  sequences: number,
): Record<string, Vector> {
  const side = (pick: (rule: InducedRule) => { from: number; to: number }): CodedPatterns => {
    const patternOffsets = new Int32Array(rules.length + 1);
    const elementOffsets: number[] = [0];
    const codes: number[] = [];
    rules.forEach((rule, i) => {
      const { from, to } = pick(rule);
      for (let k = from; k < to; k++) {
        for (let t = p.elementOffsets[k]; t < p.elementOffsets[k + 1]; t++) codes.push(p.codes[t]);
        elementOffsets.push(codes.length);
      }
      patternOffsets[i + 1] = elementOffsets.length - 1;
    });
    return {
      patternOffsets,
      elementOffsets: Int32Array.from(elementOffsets),
      codes: Int32Array.from(codes),
      names: p.names,
    };
  };
  const lhs = side((rule) => ({ from: p.patternOffsets[rule.r], to: p.patternOffsets[rule.r + 1] - 1 }));
  const rhs = side((rule) => ({ from: p.patternOffsets[rule.r + 1] - 1, to: p.patternOffsets[rule.r + 1] }));
  const text = rules.map((_, i) => `${patternText(lhs, i)} => ${patternText(rhs, i)}`);
  return {
    antecedent: patternVector(lhs),
    consequent: patternVector(rhs),
    text: stringVector(text),
    support: numberVector(Float64Array.from(rules, (rule) => support[rule.r])),
    confidence: numberVector(Float64Array.from(rules, (rule) => rule.confidence)),
    lift: numberVector(Float64Array.from(rules, (rule) => rule.lift)),
    count: numberVector(
      Int32Array.from(rules, (rule) => (counts ? counts[rule.r] : Math.round(support[rule.r] * sequences))),
    ),
  };
}

function resolveOptions(options: SequenceRulesOptions, fn: string): Required<SequenceRulesOptions> {
  const minConfidence = options.minConfidence ?? 0.8;
  if (typeof minConfidence !== 'number' || !(minConfidence >= 0 && minConfidence <= 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minConfidence must be a number in [0, 1] (found ${describeValue(minConfidence)}); e.g. 0.5`,
    );
  }
  const minLift = options.minLift ?? 0;
  if (typeof minLift !== 'number' || !(minLift >= 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minLift must be a number ≥ 0 (found ${describeValue(minLift)}); e.g. 1.2`,
    );
  }
  return { minConfidence, minLift };
}

/** The table, after checking it is a frequentSequences table. */
function checkPatterns(patterns: unknown, fn: string): Table {
  const t = patterns as Table;
  if (typeof t !== 'object' || t === null || typeof t.getChild !== 'function' || !Array.isArray(t.schema?.fields)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: patterns must be the Arrow table frequentSequences returns (found ${describeValue(patterns)}); pass frequentSequences(sequences, { minSupport })`,
    );
  }
  const kind = t.schema.metadata.get('clientele.kind');
  if (kind !== 'frequentSequences') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is not a frequentSequences table (found clientele.kind = ${describeValue(kind)}); pass frequentSequences(sequences, { minSupport })`,
    );
  }
  if (!t.getChild('support')) {
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "support" is missing from the patterns table (found columns: ${t.schema.fields.map((f) => f.name).join(', ')}); pass the table frequentSequences returns`,
      { column: 'support' },
    );
  }
  return t;
}
