import type { Table, Vector } from 'apache-arrow';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  readNumericVector,
  tableWithMetadata,
} from '../table/internal';
import { checkRules, takeRows } from './rule-helpers';
import { ruleMeasureVector } from './rule-measures';

/** How {@link significantRules} corrects the p-values for the number of rules tested. */
export type PValueAdjustment = 'holm' | 'bonferroni' | 'none';

/** Options of {@link significantRules}. */
export interface SignificantRulesOptions {
  /** The test: `'fisher'`, Fisher's exact test, one-sided (more baskets with A and C than independence gives). */
  method?: 'fisher';
  /** Keep rules whose adjusted p-value is ≤ alpha, in (0, 1). Default 0.01, as arules' `is.significant`. */
  alpha?: number;
  /** Multiple-testing correction: `'holm'`, `'bonferroni'` or `'none'`. Default `'none'`, as arules. */
  adjust?: PValueAdjustment;
}

const ADJUSTMENTS: readonly PValueAdjustment[] = ['holm', 'bonferroni', 'none'];

/** The options significantRules takes; every other name is refused with a did-you-mean. */
const SIGNIFICANT_RULES_OPTION_NAMES = optionNames<SignificantRulesOptions>({
  method: true,
  alpha: true,
  adjust: true,
});

/**
 * The rules whose co-occurrence is unlikely under independence: each rule A → C is tested by Fisher's exact test
 * and kept when its p-value, corrected for the number of rules tested, is ≤ alpha. What an analyst uses it for: of
 * thousands of mined rules, the ones that are not chance — mining tests every rule it could have found, so a
 * rule's raw p-value understates how often chance alone gives one that low (Webb 2007, "Discovering significant
 * patterns"; Hahsler & Hornik 2007).
 *
 * Test: under independence n_AC is hypergeometric (n_A baskets drawn from N, n_C of them holding C); p = P[X ≥ n_AC]
 * (arules' `fishersExactTest`, the column `fisherP` of {@link associationRules}). Correction over the m rules of the
 * table given (as arules' `is.significant`, which calls R's `p.adjust` on the rules given): `'bonferroni'` keeps p·m
 * ≤ alpha (controls the family-wise error rate); `'holm'` (Holm 1979), with p₍₁₎ ≤ … ≤ p₍ₘ₎, adjusts p₍ᵢ₎ to
 * max over j ≤ i of min(1, (m − j + 1) p₍ⱼ₎) — the same error control, uniformly more rules kept; `'none'` keeps
 * p ≤ alpha. The number of tests is the number of rules in the table: filtering the rules first (by lift, by
 * item) tests fewer, and mining at a lower support tests more.
 *
 * Counts: from the table's `count` and the `antecedentSupport`/`consequentSupport` columns, or from `confidence`
 * and `lift` (n_A = n_AC / confidence, n_C = N·confidence / lift, rounded, as arules reads its quality slot), N
 * from the metadata `clientele.baskets`; an existing `fisherP` column is used as it is.
 *
 * Output: the significant rules in their order, every column kept, with `fisherP` (when the table lacked it) and
 * `adjustedP`; metadata adds `clientele.tests` (m), `clientele.adjust`, `clientele.alpha`, and
 * `clientele.warning` when no rule is significant.
 *
 * Cost: one tail sum per rule (a few dozen terms), O(m log m) for Holm's sort.
 *
 * References: Fisher (1922); Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J.
 * Statist. 6; Hahsler & Hornik (2007), "New probabilistic interest measures for association rules", IDA 11(5).
 *
 * @param rules a table from {@link associationRules} (the default measures are enough)
 * @param options method (`'fisher'`); alpha (0.01); adjust (`'none'`)
 * @throws {ClienteleError} `INVALID_INPUT` when `rules` is not a rules table or lacks what the counts are read
 *   from; `INVALID_OPTION` for a bad method, alpha or adjust
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'diapers'], ['beer', 'diapers'], ['beer', 'diapers'], ['milk'], ['milk'], ['bread'], ['bread', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.25 }), { minConfidence: 0.5 });
 * rules.numRows; // 2
 * const kept = significantRules(rules, { alpha: 0.05, adjust: 'holm' });
 * kept.numRows; // 2
 * kept.getChild('fisherP')?.get(0); // 0.014285714285714285
 */
export function significantRules(rules: Table, options: SignificantRulesOptions = {}): Table {
  options = knownOptions(options, SIGNIFICANT_RULES_OPTION_NAMES, 'significantRules');
  const fn = 'significantRules';
  const method = options.method ?? 'fisher';
  if (method !== 'fisher') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option method must be 'fisher' (found ${describeValue(method)})`,
    );
  }
  const alpha = options.alpha ?? 0.01;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option alpha must be a number in (0, 1) (found ${describeValue(alpha)}); pass e.g. { alpha: 0.05 }`,
    );
  }
  const adjust = options.adjust ?? 'none';
  if (!ADJUSTMENTS.includes(adjust)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option adjust must be one of ${ADJUSTMENTS.join(', ')} (found ${describeValue(adjust)})`,
    );
  }
  const table = checkRules(rules, fn);
  const existing = table.getChild('fisherP');
  const p = existing ? readNumericVector(existing as Vector, 'fisherP', fn).values : fisherPValues(table, fn);
  const adjusted = adjustPValues(p, adjust);
  let kept = 0;
  for (let i = 0; i < adjusted.length; i++) if (adjusted[i] <= alpha) kept++;
  const rows = new Int32Array(kept);
  for (let i = 0, k = 0; i < adjusted.length; i++) if (adjusted[i] <= alpha) rows[k++] = i;
  const taken = takeRows(table, rows, fn);
  const columns: Record<string, Vector> = Object.create(null);
  for (const field of taken.schema.fields) columns[field.name] = taken.getChild(field.name) as Vector;
  if (!existing) columns.fisherP = numberVector(Float64Array.from(rows, (r) => p[r]));
  columns.adjustedP = numberVector(Float64Array.from(rows, (r) => adjusted[r]));
  const metadata: Record<string, string> = {
    ...Object.fromEntries(table.schema.metadata),
    'clientele.tests': String(p.length),
    'clientele.adjust': adjust,
    'clientele.alpha': String(alpha),
  };
  if (kept === 0 && p.length > 0) {
    metadata['clientele.warning'] =
      `${fn}: none of the ${p.length} rules is significant at alpha ${alpha} (adjust ${adjust}); mine at a higher ` +
      `support (fewer, better-supported rules) or test fewer rules`;
  }
  return tableWithMetadata(columns, metadata);
}

/** Fisher's one-sided p-value of each rule, from the counts its columns give. */
function fisherPValues(table: Table, fn: string): Float64Array {
  const N = Number(table.schema.metadata.get('clientele.baskets'));
  if (!(Number.isInteger(N) && N > 0)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the rules table does not say how many baskets there were (found clientele.baskets = ` +
        `${describeValue(table.schema.metadata.get('clientele.baskets'))}); pass the table associationRules returns`,
    );
  }
  const column = (name: string) => {
    const v = table.getChild(name);
    return v ? readNumericVector(v as Vector, name, fn).values : null;
  };
  const count = column('count');
  const support = column('support');
  const confidence = column('confidence');
  const lift = column('lift');
  const antecedent = column('antecedentSupport');
  const consequent = column('consequentSupport');
  if (!(count || support) || !(antecedent || confidence) || !(consequent || (confidence && lift))) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the rules table lacks the columns the counts are read from (found columns: ` +
        `${table.schema.fields.map((f) => f.name).join(', ')}); keep count, confidence and lift (the default measures)`,
    );
  }
  const m = table.numRows;
  const nAC = new Float64Array(m);
  const nA = new Float64Array(m);
  const nC = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    nAC[i] = count ? count[i] : Math.round(support![i] * N);
    nA[i] = antecedent ? Math.round(antecedent[i] * N) : Math.round(nAC[i] / confidence![i]);
    nC[i] = consequent ? Math.round(consequent[i] * N) : Math.round((N * confidence![i]) / lift![i]);
  }
  const none = () => new Float64Array(0);
  const vector = ruleMeasureVector('fisherP', { baskets: N, nAC, nA, nC, maxItem: none, improvement: none });
  return vector.toArray() as Float64Array;
}

/** p-values corrected for m tests, as R's `p.adjust` (Holm: step-down, monotone; Bonferroni: p·m; both capped at 1). */
function adjustPValues(p: Float64Array, adjust: PValueAdjustment): Float64Array {
  const m = p.length;
  switch (adjust) {
    case 'none':
      return p;
    case 'bonferroni':
      return Float64Array.from(p, (v) => Math.min(1, v * m));
    case 'holm': {
      const order = Int32Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
      const out = new Float64Array(m);
      let running = 0;
      for (let j = 0; j < m; j++) {
        running = Math.max(running, Math.min(1, (m - j) * p[order[j]]));
        out[order[j]] = running;
      }
      return out;
    }
    default: {
      const never: never = adjust;
      return never;
    }
  }
}
