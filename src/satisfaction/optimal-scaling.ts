/**
 * Optimal scaling of one categorical indicator against a target variable: the category quantifications of
 * non-metric PLS (Russolillo 2012, §3.2; Young 1981, "Quantitative analysis of qualitative data", Psychometrika 46).
 *
 * Given the category codes c_i ∈ {0 … K − 1} of an indicator and a target t (the block's inner estimate), the
 * quantification is the least-squares fit of t by a function of the category:
 * - nominal: any function — the category means t̄_c (the projection of t on the space of the category dummies);
 * - ordinal: a monotone function — the weighted isotonic regression of the category means (weights = category
 *   counts) by pool-adjacent-violators (Kruskal 1964, secondary approach to ties: tied answers share one value);
 *   both directions are fitted and the one with the larger variance (smaller residual) kept; a decreasing fit is
 *   negated, so the quantification is always non-decreasing in the category order and the outer weight carries
 *   the sign, as R plspm's `get_ord_scale`.
 * The result is then standardised over the respondents (mean 0, variance 1 with divisor n).
 *
 * Cost: O(n + K) per call.
 */

/** The categories of an indicator: each respondent's category code (0 … K − 1, by ascending answer) and each category's count. */
export interface Categories {
  /** Category code of each respondent. */
  readonly codes: Int32Array;
  /** The answer of each category, ascending. */
  readonly values: Float64Array;
  /** Respondents in each category. */
  readonly counts: Float64Array;
}

/** The categories of the answers `x` (every answer finite): codes by ascending distinct answer. Cost O(n log K). */
export function categoriesOf(x: Float64Array): Categories {
  const values = Float64Array.from(new Set(x)).sort();
  const index = new Map<number, number>();
  values.forEach((v, c) => index.set(v, c));
  const codes = new Int32Array(x.length);
  const counts = new Float64Array(values.length);
  for (let i = 0; i < x.length; i++) {
    const c = index.get(x[i])!;
    codes[i] = c;
    counts[c]++;
  }
  return { codes, values, counts };
}

/** Category means of the target t: Σ_{i: c_i = c} t_i / n_c, written into `out` (length K). */
export function categoryMeans(cats: Categories, t: Float64Array, out: Float64Array): Float64Array {
  const { codes, counts } = cats;
  out.fill(0);
  for (let i = 0; i < codes.length; i++) out[codes[i]] += t[i];
  for (let c = 0; c < out.length; c++) out[c] /= counts[c];
  return out;
}

/**
 * The weighted isotonic (non-decreasing) regression of `y` with weights `w`, in place, by pool-adjacent-violators:
 * blocks are pooled while a block's mean exceeds the next one's, each pool taking its weighted mean (Ayer et al.
 * 1955; the result does not depend on the order in which violators are pooled). Cost O(K).
 */
export function isotonicInPlace(y: Float64Array, w: Float64Array): void {
  const k = y.length;
  const mean = new Float64Array(k);
  const weight = new Float64Array(k);
  const end = new Int32Array(k); // last index (exclusive) of each pool
  let pools = 0;
  for (let c = 0; c < k; c++) {
    mean[pools] = y[c];
    weight[pools] = w[c];
    end[pools] = c + 1;
    pools++;
    while (pools > 1 && mean[pools - 2] > mean[pools - 1]) {
      const a = pools - 2;
      const total = weight[a] + weight[a + 1];
      mean[a] = (mean[a] * weight[a] + mean[a + 1] * weight[a + 1]) / total;
      weight[a] = total;
      end[a] = end[a + 1];
      pools--;
    }
  }
  for (let b = 0, c = 0; b < pools; b++) for (; c < end[b]; c++) y[c] = mean[b];
}

/**
 * The ordinal quantification of the category means `means` (weights `counts`), in place: the increasing or the
 * negated decreasing isotonic fit, whichever has the larger weighted variance (the increasing one on a tie).
 */
export function ordinalInPlace(means: Float64Array, counts: Float64Array, scratch: Float64Array): void {
  const k = means.length;
  for (let c = 0; c < k; c++) scratch[c] = -means[c]; // a decreasing fit of y is minus an increasing fit of −y
  isotonicInPlace(means, counts);
  isotonicInPlace(scratch, counts);
  if (weightedVariance(means, counts) < weightedVariance(scratch, counts)) means.set(scratch);
}

/**
 * Standardises category values in place so that the respondents' quantified answers have mean 0 and variance 1
 * (divisor n); returns false when they are constant (the quantification cannot be standardised).
 */
export function standardiseInPlace(values: Float64Array, counts: Float64Array): boolean {
  let n = 0;
  let sum = 0;
  for (let c = 0; c < values.length; c++) {
    n += counts[c];
    sum += counts[c] * values[c];
  }
  const mean = sum / n;
  let ss = 0;
  for (let c = 0; c < values.length; c++) ss += counts[c] * (values[c] - mean) * (values[c] - mean);
  const sd = Math.sqrt(ss / n);
  if (!(sd > 0)) return false;
  for (let c = 0; c < values.length; c++) values[c] = (values[c] - mean) / sd;
  return true;
}

function weightedVariance(values: Float64Array, counts: Float64Array): number {
  let n = 0;
  let sum = 0;
  for (let c = 0; c < values.length; c++) {
    n += counts[c];
    sum += counts[c] * values[c];
  }
  const mean = sum / n;
  let ss = 0;
  for (let c = 0; c < values.length; c++) ss += counts[c] * (values[c] - mean) * (values[c] - mean);
  return ss / n;
}
