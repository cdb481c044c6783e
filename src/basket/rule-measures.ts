import type { Vector } from 'apache-arrow';
import { hypergeometricLowerTail, hypergeometricQuantile, hypergeometricUpperTail } from '../math/internal';
import { numberVector } from '../table/internal';

/**
 * The interest measures of an association rule A → C, each computed from four integers: N baskets, n_A holding
 * the antecedent, n_C the consequent, n_AC both. With the 2 × 2 table n11 = n_AC, n10 = n_A − n_AC (A without C),
 * n01 = n_C − n_AC, n00 = N − n_A − n_C + n_AC, and P(X) = n_X / N:
 *
 * | measure | formula | range | reference |
 * |---|---|---|---|
 * | `support` | P(AC) | [0, 1] | Agrawal, Imieliński & Swami 1993 |
 * | `confidence` | P(C∣A) = n_AC / n_A | [0, 1] | idem |
 * | `lift` | P(AC) / (P(A)P(C)) | [0, ∞) | Brin et al. 1997 |
 * | `leverage` | P(AC) − P(A)P(C) | [−¼, ¼] | Piatetsky-Shapiro 1991 |
 * | `conviction` | (1 − P(C)) / (1 − P(C∣A)); ∞ at confidence 1 (mlxtend) | [0, ∞] | Brin et al. 1997 |
 * | `count` | n_AC | | |
 * | `antecedentSupport`, `consequentSupport` | P(A), P(C) | [0, 1] | |
 * | `zhang` | (P(AC) − P(A)P(C)) / max(P(AC)(1 − P(A)), P(A)(P(C) − P(AC))); 0 on 0/0 (mlxtend) | [−1, 1] | Yan, Zhang & Zhang 2009, eq. 6 |
 * | `jaccard` | n_AC / (n_A + n_C − n_AC) | [0, 1] | Tan, Kumar & Srivastava 2004 |
 * | `certainty` | (P(C∣A) − P(C)) / (1 − P(C)); 0 when P(C) = 1 (mlxtend; arules NaN) | [−1, 1] | Berzal et al. 2002 |
 * | `kulczynski` | (P(C∣A) + P(A∣C)) / 2 | [0, 1] | Wu, Chen & Han 2010 |
 * | `allConfidence` | n_AC / max over the items i of A ∪ C of n_i | [0, 1] | Omiecinski 2003 |
 * | `cosine` | n_AC / √(n_A n_C) | [0, 1] | Tan, Kumar & Srivastava 2004 |
 * | `addedValue` | P(C∣A) − P(C) | [−1, 1] | Sahar & Mansour 1999 |
 * | `chiSquared` | N (n11 n00 − n10 n01)² / (n_A (N − n_A) n_C (N − n_C)), 1 df, no continuity correction | [0, N] | Brin, Motwani & Silverstein 1997 |
 * | `fisherP` | P[X ≥ n_AC], X hypergeometric (n_A draws from N, n_C marked): one-sided Fisher exact test | [0, 1] | Hahsler & Hornik 2007 |
 * | `hyperConfidence` | P[X < n_AC] = 1 − `fisherP` | [0, 1] | Hahsler & Hornik 2007, eq. 5 |
 * | `hyperLift` | n_AC / Q₀.₉₉[X] (the 0.99 quantile of X) | [0, ∞) | Hahsler & Hornik 2007, eq. 4 |
 * | `oddsRatio` | n11 n00 / (n10 n01); ∞ when n10 n01 = 0 < n11 n00 | [0, ∞] | Tan, Kumar & Srivastava 2004 |
 * | `phi` | (n11 n00 − n10 n01) / √(n_A (N − n_A) n_C (N − n_C)) | [−1, 1] | idem |
 * | `yuleQ` | (n11 n00 − n10 n01) / (n11 n00 + n10 n01) | [−1, 1] | idem |
 * | `yuleY` | (√(n11 n00) − √(n10 n01)) / (√(n11 n00) + √(n10 n01)) | [−1, 1] | idem |
 * | `kappa` | (P(AC) + P(¬A¬C) − P(A)P(C) − P(¬A)P(¬C)) / (1 − P(A)P(C) − P(¬A)P(¬C)) | [−1, 1] | Cohen 1960 |
 * | `maxConfidence` | max(P(C∣A), P(A∣C)) | [0, 1] | Wu, Chen & Han 2010 |
 * | `imbalance` | ∣n_A − n_C∣ / (n_A + n_C − n_AC) | [0, 1] | Wu, Chen & Han 2010 |
 * | `laplace` | (n_AC + 1) / (n_A + 2) | (0, 1) | Clark & Boswell 1991 |
 * | `relativeRisk` | P(C∣A) / P(C∣¬A) | [0, ∞] | Sistrom & Garvan 2004 |
 * | `improvement` | P(C∣A) − max P(C∣A′) over the rules A′ → C of the result with A′ ⊊ A (0 when none) | [−1, 1] | Bayardo, Agrawal & Gunopulos 2000 |
 * | `representativity` | share of baskets in which A and C are observed: 1, baskets have no missing values | 1 | mlxtend 0.23 (Mayer et al.) |
 *
 * Names and formulas are those of R arules' `interestMeasure` (Hahsler, "A probabilistic comparison of commonly used
 * interest measures", 2015), arules' `fishersExactTest` and `maxconfidence` named `fisherP` and `maxConfidence`
 * here; `zhang`, `certainty`, `kulczynski`, `jaccard` and `representativity` are also mlxtend's columns. Where a
 * formula is 0/0 the value is NaN (as arules), except where stated. Each ratio is written over the integer counts
 * so that it rounds once (the products are exact below 94 million baskets); a test against arules allows 1e-9.
 */
export type RuleMeasure =
  | 'support'
  | 'confidence'
  | 'lift'
  | 'leverage'
  | 'conviction'
  | 'count'
  | 'antecedentSupport'
  | 'consequentSupport'
  | 'zhang'
  | 'jaccard'
  | 'certainty'
  | 'kulczynski'
  | 'allConfidence'
  | 'cosine'
  | 'addedValue'
  | 'chiSquared'
  | 'fisherP'
  | 'hyperConfidence'
  | 'hyperLift'
  | 'oddsRatio'
  | 'phi'
  | 'yuleQ'
  | 'yuleY'
  | 'kappa'
  | 'maxConfidence'
  | 'imbalance'
  | 'laplace'
  | 'relativeRisk'
  | 'improvement'
  | 'representativity';

/** Every rule measure, in column order. */
export const RULE_MEASURES: readonly RuleMeasure[] = Object.freeze([
  'support',
  'confidence',
  'lift',
  'leverage',
  'conviction',
  'count',
  'antecedentSupport',
  'consequentSupport',
  'zhang',
  'jaccard',
  'certainty',
  'kulczynski',
  'allConfidence',
  'cosine',
  'addedValue',
  'chiSquared',
  'fisherP',
  'hyperConfidence',
  'hyperLift',
  'oddsRatio',
  'phi',
  'yuleQ',
  'yuleY',
  'kappa',
  'maxConfidence',
  'imbalance',
  'laplace',
  'relativeRisk',
  'improvement',
  'representativity',
] as const);

/** The measures an `associationRules` table carries when `measures` is not given. */
export type DefaultRuleMeasure =
  | 'support'
  | 'confidence'
  | 'lift'
  | 'leverage'
  | 'conviction'
  | 'count'
  | 'antecedentSupport'
  | 'consequentSupport'
  | 'zhang';

/** The default measures, the first nine of {@link RULE_MEASURES}, in column order. */
export const DEFAULT_RULE_MEASURES: readonly RuleMeasure[] = Object.freeze(
  RULE_MEASURES.slice(0, 9) as DefaultRuleMeasure[],
);

/** The quantile of the hypergeometric count that `hyperLift` divides by (Hahsler & Hornik's δ = 0.99, as arules). */
const HYPER_LIFT_LEVEL = 0.99;

/** The counts of the rules, in output order, and what the measures beyond the 2 × 2 table need. */
export interface RuleCounts {
  /** N, the number of baskets. */
  readonly baskets: number;
  readonly nAC: Float64Array;
  readonly nA: Float64Array;
  readonly nC: Float64Array;
  /** Largest one-item count among the items of A ∪ C (for `allConfidence`). */
  readonly maxItem: () => Float64Array;
  /** Confidence minus the best confidence of a more general rule of the result (for `improvement`). */
  readonly improvement: () => Float64Array;
}

/**
 * One measure column of the rules from their counts (the formulas in the table above). Cost: O(rules) for every
 * measure but the hypergeometric ones, which sum a tail (`fisherP`, `hyperConfidence`: terms until they fall below
 * 1e-16 of the sum, a few dozen) or walk to a quantile (`hyperLift`: O(standard deviation of the count)).
 */
export function ruleMeasureVector(measure: RuleMeasure, counts: RuleCounts): Vector {
  const nAC = counts.nAC;
  if (measure === 'count') return numberVector(new Int32Array(nAC));
  if (measure === 'allConfidence') {
    const maxItem = counts.maxItem();
    return numberVector(Float64Array.from(nAC, (a, i) => a / maxItem[i]));
  }
  if (measure === 'improvement') return numberVector(counts.improvement());
  const out = new Float64Array(nAC.length);
  if (measure === 'representativity') out.fill(1);
  else if (measure === 'fisherP' || measure === 'hyperConfidence' || measure === 'hyperLift')
    hypergeometricMeasure(measure, counts, out);
  else if (DEFAULT_RULE_MEASURES.includes(measure)) basicMeasure(measure, counts, out);
  else associationMeasure(measure as Exclude<CountMeasure, DefaultRuleMeasure>, counts, out);
  return numberVector(out);
}

type CountMeasure = Exclude<
  RuleMeasure,
  'count' | 'allConfidence' | 'improvement' | 'representativity' | 'fisherP' | 'hyperConfidence' | 'hyperLift'
>;

/** The default measures but count (one loop per measure rather than a switch per rule). */
function basicMeasure(measure: CountMeasure, { baskets: N, nAC, nA, nC }: RuleCounts, out: Float64Array): void {
  const m = out.length;
  switch (measure) {
    case 'support':
      for (let i = 0; i < m; i++) out[i] = nAC[i] / N;
      break;
    case 'confidence':
      for (let i = 0; i < m; i++) out[i] = nAC[i] / nA[i];
      break;
    case 'lift':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] * N) / (nA[i] * nC[i]);
      break;
    case 'leverage':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] * N - nA[i] * nC[i]) / (N * N);
      break;
    case 'conviction':
      for (let i = 0; i < m; i++) out[i] = nAC[i] === nA[i] ? Infinity : ((N - nC[i]) * nA[i]) / (N * (nA[i] - nAC[i]));
      break;
    case 'antecedentSupport':
      for (let i = 0; i < m; i++) out[i] = nA[i] / N;
      break;
    case 'consequentSupport':
      for (let i = 0; i < m; i++) out[i] = nC[i] / N;
      break;
    case 'zhang':
      for (let i = 0; i < m; i++) {
        // Yan, Zhang & Zhang (2009) eq. 6 with every probability multiplied by N²
        const numerator = nAC[i] * N - nA[i] * nC[i];
        const denominator = Math.max(nAC[i] * (N - nA[i]), nA[i] * (nC[i] - nAC[i]));
        out[i] = denominator === 0 ? 0 : numerator / denominator;
      }
      break;
    default:
      break;
  }
}

/** The measures of the 2 × 2 table beyond the default ones. */
function associationMeasure(
  measure: Exclude<CountMeasure, DefaultRuleMeasure>,
  counts: RuleCounts,
  out: Float64Array,
): void {
  const { baskets: N, nAC, nA, nC } = counts;
  const m = out.length;
  switch (measure) {
    case 'jaccard':
      for (let i = 0; i < m; i++) out[i] = nAC[i] / (nA[i] + nC[i] - nAC[i]);
      break;
    case 'certainty':
      for (let i = 0; i < m; i++) out[i] = nC[i] === N ? 0 : (nAC[i] * N - nA[i] * nC[i]) / (nA[i] * (N - nC[i]));
      break;
    case 'kulczynski':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] * (nA[i] + nC[i])) / (2 * nA[i] * nC[i]);
      break;
    case 'cosine':
      for (let i = 0; i < m; i++) out[i] = nAC[i] / Math.sqrt(nA[i] * nC[i]);
      break;
    case 'addedValue':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] * N - nA[i] * nC[i]) / (nA[i] * N);
      break;
    case 'chiSquared':
      for (let i = 0; i < m; i++) {
        const d = nAC[i] * N - nA[i] * nC[i]; // n11 n00 − n10 n01, exact in doubles
        out[i] = (N * d * d) / (nA[i] * (N - nA[i]) * nC[i] * (N - nC[i]));
      }
      break;
    case 'phi':
      for (let i = 0; i < m; i++) {
        const d = nAC[i] * N - nA[i] * nC[i];
        out[i] = d / Math.sqrt(nA[i] * (N - nA[i]) * nC[i] * (N - nC[i]));
      }
      break;
    case 'oddsRatio':
    case 'yuleQ':
    case 'yuleY':
      oddsMeasure(measure, counts, out);
      break;
    case 'kappa':
      for (let i = 0; i < m; i++) {
        // observed agreement minus chance agreement, both times N²: N(n11 + n00) − (n_A n_C + (N − n_A)(N − n_C))
        const chance = nA[i] * nC[i] + (N - nA[i]) * (N - nC[i]);
        out[i] = (N * (N - nA[i] - nC[i] + 2 * nAC[i]) - chance) / (N * N - chance);
      }
      break;
    case 'maxConfidence':
      for (let i = 0; i < m; i++) out[i] = nAC[i] / Math.min(nA[i], nC[i]);
      break;
    case 'imbalance':
      for (let i = 0; i < m; i++) out[i] = Math.abs(nA[i] - nC[i]) / (nA[i] + nC[i] - nAC[i]);
      break;
    case 'laplace':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] + 1) / (nA[i] + 2);
      break;
    case 'relativeRisk':
      for (let i = 0; i < m; i++) out[i] = (nAC[i] * (N - nA[i])) / (nA[i] * (nC[i] - nAC[i]));
      break;
    default: {
      const never: never = measure;
      return never;
    }
  }
}

/** Fisher's p, hyper-confidence and hyper-lift: the count n_AC against its hypergeometric law. */
function hypergeometricMeasure(
  measure: 'fisherP' | 'hyperConfidence' | 'hyperLift',
  counts: RuleCounts,
  out: Float64Array,
): void {
  const nAC = counts.nAC;
  for (let i = 0; i < out.length; i++) {
    const h = hypergeometricOf(i, counts);
    if (measure === 'fisherP') out[i] = hypergeometricUpperTail(nAC[i], h);
    else if (measure === 'hyperConfidence') out[i] = hypergeometricLowerTail(nAC[i] - 1, h);
    else out[i] = nAC[i] / hypergeometricQuantile(HYPER_LIFT_LEVEL, h);
  }
}

/** The count n_AC of rule i under independence: n_A baskets drawn from N, of which n_C hold the consequent. */
function hypergeometricOf(i: number, { baskets, nA, nC }: RuleCounts) {
  return { marked: nC[i], unmarked: baskets - nC[i], draws: nA[i] };
}

/** Odds ratio and Yule's Q and Y from the cross products n11 n00 and n10 n01 (exact integers in doubles). */
function oddsMeasure(
  measure: 'oddsRatio' | 'yuleQ' | 'yuleY',
  { baskets: N, nAC, nA, nC }: RuleCounts,
  out: Float64Array,
) {
  for (let i = 0; i < out.length; i++) {
    const agree = nAC[i] * (N - nA[i] - nC[i] + nAC[i]);
    const differ = (nA[i] - nAC[i]) * (nC[i] - nAC[i]);
    if (measure === 'oddsRatio') out[i] = agree / differ;
    else if (measure === 'yuleQ') out[i] = (agree - differ) / (agree + differ);
    else out[i] = (Math.sqrt(agree) - Math.sqrt(differ)) / (Math.sqrt(agree) + Math.sqrt(differ));
  }
}
