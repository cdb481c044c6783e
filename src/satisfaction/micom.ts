import { quantile } from 'simple-statistics';
import { randomSource } from '../math/internal';
import type { RandomSource } from '../math/internal';
import { checkOptions, ClienteleError, integerRule, knownOptions, optionNames } from '../table/internal';
import type { DropReport } from '../table/internal';
import {
  covarianceOfSums,
  groupCounts,
  momentRows,
  pathSlots,
  replicateEstimates,
  replicateSettings,
  slotValues,
  sumsOf,
} from './group-answers';
import type { GroupAnswers } from './group-answers';
import { groupedFits } from './pls-multigroup';
import { correlationOf, covarianceOf } from './pls-estimate';
import type { InnerScheme } from './pls-estimate';
import type { PathModel } from './path-model';

/** Options of {@link micom}. */
export interface MicomOptions {
  /** The column holding each respondent's group (required). */
  group: string;
  /** The two labels to compare when the column holds more; default the two found, sorted. */
  groups?: readonly [string, string];
  /** Permutations. Default 1000. */
  replicates?: number;
  /** Most permutations before the call stops with `LIMIT_EXCEEDED`. Default 10,000. */
  maxReplicates?: number;
  /** Seed of the permutations. Default 1. */
  seed?: number;
  /** Significance level of steps 2 and 3. Default 0.05. */
  alpha?: number;
  /** As plsPathModel. */
  scheme?: InnerScheme;
  scaled?: boolean;
  maxIterations?: number;
  tolerance?: number;
}

/** Invariance established for a composite (Henseler, Ringle & Sarstedt 2016, Fig. 3). */
export type MicomInvariance = 'none' | 'partial' | 'full';

/** Steps 2 and 3 of MICOM for one composite. */
export interface MicomComposite {
  readonly composite: string;
  /** Step 2: correlation of the composite scores from each group's weights, on the pooled data. */
  readonly c: number;
  /** The alpha quantile of c over the permutations: c below it rejects compositional invariance. */
  readonly cQuantile: number;
  /** Permutation p-value of c: (1 + #{c* ≤ c}) / (1 + P). */
  readonly cPValue: number;
  readonly compositional: boolean;
  /** Step 3a: mean of the pooled composite scores in group 1 minus group 2 (scores standardised on the pooled data). */
  readonly meanDifference: number;
  /** The permutation interval [alpha/2, 1 − alpha/2] of the mean difference. */
  readonly meanInterval: readonly [number, number];
  readonly meanPValue: number;
  readonly equalMeans: boolean;
  /** Step 3b: log of the ratio of the composite's variances, ln(var₁ / var₂) (divisor n_g − 1). */
  readonly logVarianceRatio: number;
  readonly varianceInterval: readonly [number, number];
  readonly variancePValue: number;
  readonly equalVariances: boolean;
  /** `'full'`: steps 2, 3a and 3b hold; `'partial'`: step 2 holds; `'none'`: step 2 fails. */
  readonly invariance: MicomInvariance;
}

/** What {@link micom} returns; frozen. */
export interface MicomResult {
  readonly group: string;
  readonly groups: readonly [string, string];
  readonly sizes: readonly [number, number];
  /** Step 1, configural invariance: the same model, questions and estimation in both groups — true by construction. */
  readonly configural: true;
  /** One entry per composite, in the model's order. */
  readonly composites: readonly MicomComposite[];
  /** The weakest invariance over the composites: `'partial'` allows comparing paths (plsMultigroup), `'full'` pooling the data. */
  readonly invariance: MicomInvariance;
  readonly alpha: number;
  readonly replicates: number;
  /** Permutations that could not be fitted (left out). */
  readonly failed: number;
  readonly rows: DropReport;
  readonly otherGroups: number;
  readonly warnings: readonly string[];
}

const MICOM_OPTION_NAMES = optionNames<MicomOptions>({
  group: true,
  groups: true,
  replicates: true,
  maxReplicates: true,
  seed: true,
  alpha: true,
  scheme: true,
  scaled: true,
  maxIterations: true,
  tolerance: true,
});

const MICOM_RULES = Object.freeze({
  replicates: integerRule(2, Infinity, 1000, '1000 is usual'),
  seed: integerRule(0, Infinity, 1),
  alpha: Object.freeze({
    expected: 'a number in (0, 0.5)',
    test: (v: unknown) => typeof v === 'number' && v > 0 && v < 0.5,
    fallback: 0.05,
    fix: '0.05 is usual',
  }),
});

/**
 * MICOM, the measurement invariance of composites (Henseler, Ringle & Sarstedt 2016, "Testing measurement
 * invariance of composites using partial least squares", International Marketing Review 33(3), 405–431): do the
 * constructs of a PLS path model mean the same in two groups of respondents?
 *
 * Analysts run it before {@link plsMultigroup}: path differences are interpretable only under (at least partial)
 * invariance, and with full invariance the groups may be pooled.
 *
 * - Step 1, configural invariance: same model, questions, data treatment and algorithm — true by construction.
 * - Step 2, compositional invariance: with w₁, w₂ each group's outer weights and X the pooled indicators
 *   (standardised on the pooled data when `scaled`), c = cor(X w₁, X w₂) per composite; the group labels are
 *   permuted P times, both groups refitted, and c is invariant unless it falls below the alpha quantile of the
 *   permuted c* (p = (1 + #{c* ≤ c}) / (1 + P)).
 * - Step 3, equal means and variances: with the pooled fit's composite scores (mean 0, variance 1 on the pooled
 *   data), the mean difference (group 1 − group 2) and ln(var₁/var₂) must fall inside the permutation interval
 *   [alpha/2, 1 − alpha/2] quantiles (R type 7) of their permuted values; p = (1 + #{|d*| ≥ |d|}) / (1 + P).
 * - Conclusion per composite: `'none'` if step 2 fails, `'partial'` if step 2 holds and step 3 fails, `'full'` if all
 *   hold; the result's `invariance` is the weakest over the composites.
 *
 * A single-question composite has c = 1 in every group: step 2 holds trivially (a warning says so).
 *
 * Cost: O(P · (n · p² + fit)): two fits per permutation, as plsMultigroup's permutation test.
 *
 * @param survey one row per respondent (anything `asTable` accepts)
 * @param model a {@link pathModel}
 * @param options `group` (required), `groups`, `replicates` (1000), `maxReplicates`, `seed` (1), `alpha` (0.05), and
 *   plsPathModel's `scheme`, `scaled`, `maxIterations`, `tolerance`
 * @throws {ClienteleError} as {@link plsMultigroup}
 * @example
 * const store = sampleStore({ customers: 400, seed: 3 });
 * const survey = { ...Object.fromEntries(store.survey.schema.fields.map((f) => [f.name, store.survey.getChild(f.name).toArray()])), half: Array.from({ length: store.survey.numRows }, (_, i) => (i % 2 ? 'odd' : 'even')) };
 * const result = micom(survey, acsiModel(store.truth.acsi.blocks), { group: 'half', replicates: 50 });
 * result.composites.every((c) => c.c > 0.9); // true
 * ['none', 'partial', 'full'].includes(result.invariance); // true
 */
export function micom(survey: unknown, model: PathModel, options: MicomOptions): MicomResult {
  options = knownOptions(options, MICOM_OPTION_NAMES, 'micom');
  const fn = 'micom';
  const { replicates, seed, alpha } = checkOptions(options, MICOM_RULES, fn);
  const { group, pls, data, global, fits } = groupedFits(survey, model, options, replicates, fn);
  const pooled = pooledComposites(data, global.scaled);
  const scores = pooled.scores(slotValues(global, 'weight'));
  const observed = {
    c: compositeCorrelations(data, pooled.x, slotValues(fits[0], 'weight'), slotValues(fits[1], 'weight')),
    ...meansAndVariances(scores, data.member, data.sizes),
  };
  const draws = permute(data, pooled.x, scores, {
    settings: replicateSettings(global, pls),
    replicates,
    rng: randomSource(seed),
    fn,
  });
  return assemble(data, group, alpha, replicates, observed, draws);
}

/** The pooled indicators' covariance as the composites see it (their correlation when scaled) and a scorer. */
function pooledComposites(data: GroupAnswers, scaled: boolean) {
  const { raw, structure } = data;
  const { p, m, blockStart } = structure;
  const { means, cov } = covarianceOf(raw as Float64Array[]);
  const x = scaled ? correlationOf(cov, p) : cov;
  /** Composite scores X w, standardised (mean 0, variance 1 with divisor n) on the pooled data. */
  const scores = (w: Float64Array): Float64Array[] => {
    const out: Float64Array[] = [];
    for (let j = 0; j < m; j++) {
      const y = new Float64Array(data.n);
      for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
        const f = w[k] / (scaled ? Math.sqrt(cov[k * p + k]) : 1);
        const xk = raw[k];
        for (let i = 0; i < data.n; i++) y[i] += f * (xk[i] - means[k]);
      }
      let ss = 0;
      for (let i = 0; i < data.n; i++) ss += y[i] * y[i];
      const sd = Math.sqrt(ss / data.n);
      for (let i = 0; i < data.n; i++) y[i] /= sd;
      out.push(y);
    }
    return out;
  };
  return { x, scores };
}

/** c_j = w₁' S_jj w₂ / √(w₁' S_jj w₁ · w₂' S_jj w₂) for each block j, S the pooled (correlation) matrix. */
function compositeCorrelations(data: GroupAnswers, s: Float64Array, w1: Float64Array, w2: Float64Array): Float64Array {
  const { m, p, blockStart } = data.structure;
  const c = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let a = 0;
    let b = 0;
    let ab = 0;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
      for (let l = blockStart[j]; l < blockStart[j + 1]; l++) {
        const skl = s[k * p + l];
        a += w1[k] * skl * w1[l];
        b += w2[k] * skl * w2[l];
        ab += w1[k] * skl * w2[l];
      }
    }
    c[j] = ab / Math.sqrt(a * b);
  }
  return c;
}

/** Mean difference and log variance ratio (divisor n_g − 1) of each composite between the groups of `member`. */
function meansAndVariances(
  scores: readonly Float64Array[],
  member: Uint8Array,
  sizes: readonly [number, number],
): { mean: Float64Array; logVariance: Float64Array } {
  const m = scores.length;
  const mean = new Float64Array(m);
  const logVariance = new Float64Array(m);
  const [n1, n2] = sizes;
  for (let j = 0; j < m; j++) {
    const y = scores[j];
    let s1 = 0;
    let q1 = 0;
    let s = 0;
    let q = 0;
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      s += v;
      q += v * v;
      if (member[i]) {
        s1 += v;
        q1 += v * v;
      }
    }
    const s2 = s - s1;
    const q2 = q - q1;
    const m1 = s1 / n1;
    const m2 = s2 / n2;
    mean[j] = m1 - m2;
    logVariance[j] = Math.log((q1 - n1 * m1 * m1) / (n1 - 1)) - Math.log((q2 - n2 * m2 * m2) / (n2 - 1));
  }
  return { mean, logVariance };
}

interface MicomDraws {
  readonly good: number;
  readonly failed: number;
  /** By composite, the first `good` permuted values. */
  readonly c: Float64Array[];
  readonly mean: Float64Array[];
  readonly logVariance: Float64Array[];
}

/** P permutations of the group labels: both groups refitted for c*, the pooled scores regrouped for step 3. */
function permute(
  data: GroupAnswers,
  s: Float64Array,
  scores: readonly Float64Array[],
  run: {
    settings: ReturnType<typeof replicateSettings>;
    replicates: number;
    rng: RandomSource;
    fn: string;
  },
): MicomDraws {
  const { replicates, rng, settings, fn } = run;
  const m = data.structure.m;
  const member = Uint8Array.from(data.member);
  const rows = momentRows(data);
  const slots = pathSlots(data);
  const one = new Int32Array(data.n);
  const sums1 = new Float64Array(rows.width);
  const sums2 = new Float64Array(rows.width);
  const [n1, n2] = data.sizes;
  const c = Array.from({ length: m }, () => new Float64Array(replicates));
  const mean = Array.from({ length: m }, () => new Float64Array(replicates));
  const logVariance = Array.from({ length: m }, () => new Float64Array(replicates));
  let good = 0;
  let failed = 0;
  for (let r = 0; r < replicates; r++) {
    for (let i = member.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = member[i];
      member[i] = member[j];
      member[j] = t;
    }
    sumsOf(rows, groupCounts(member, 1, one), sums1);
    for (let k = 0; k < rows.width; k++) sums2[k] = rows.total[k] - sums1[k];
    const a = replicateEstimates(data, rows, covarianceOfSums(rows, sums1, n1), n1, settings, slots);
    const b = a && replicateEstimates(data, rows, covarianceOfSums(rows, sums2, n2), n2, settings, slots);
    if (!a || !b) {
      failed++;
      continue;
    }
    const cr = compositeCorrelations(data, s, a.weights, b.weights);
    const mv = meansAndVariances(scores, member, data.sizes);
    for (let j = 0; j < m; j++) {
      c[j][good] = cr[j];
      mean[j][good] = mv.mean[j];
      logVariance[j][good] = mv.logVariance[j];
    }
    good++;
  }
  if (good < 2)
    throw new ClienteleError(
      'NOT_CONVERGED',
      `${fn}: only ${good} of ${replicates} permutations could be fitted (found a constant question or no convergence in the others); raise maxIterations or compare larger groups`,
    );
  const cut = (list: Float64Array[]) => list.map((v) => v.subarray(0, good));
  return { good, failed, c: cut(c), mean: cut(mean), logVariance: cut(logVariance) };
}

function assemble(
  data: GroupAnswers,
  group: string,
  alpha: number,
  replicates: number,
  observed: { c: Float64Array; mean: Float64Array; logVariance: Float64Array },
  draws: MicomDraws,
): MicomResult {
  const { model, structure } = data;
  const P = draws.good;
  const q = (v: Float64Array, at: number[]) => quantile(Array.from(v), at);
  const twoSided = (v: Float64Array, x: number) => {
    let count = 0;
    for (const d of v) if (Math.abs(d) >= Math.abs(x) * (1 - 1e-12)) count++;
    return (1 + count) / (1 + P);
  };
  const rank: Record<MicomInvariance, number> = { none: 0, partial: 1, full: 2 };
  let overall: MicomInvariance = 'full';
  const single: string[] = [];
  const composites = model.latent.map((lv, j) => {
    if (structure.blockStart[j + 1] - structure.blockStart[j] === 1) single.push(lv);
    const c = observed.c[j];
    const [cQuantile] = q(draws.c[j], [alpha]);
    let below = 0;
    for (const v of draws.c[j]) if (v <= c * (1 + 1e-12)) below++;
    const compositional = c >= cQuantile * (1 - 1e-12);
    const [ml, mh] = q(draws.mean[j], [alpha / 2, 1 - alpha / 2]);
    const [vl, vh] = q(draws.logVariance[j], [alpha / 2, 1 - alpha / 2]);
    const d = observed.mean[j];
    const v = observed.logVariance[j];
    const equalMeans = d >= ml && d <= mh;
    const equalVariances = v >= vl && v <= vh;
    const invariance: MicomInvariance = !compositional ? 'none' : equalMeans && equalVariances ? 'full' : 'partial';
    if (rank[invariance] < rank[overall]) overall = invariance;
    return Object.freeze({
      composite: lv,
      c,
      cQuantile,
      cPValue: (1 + below) / (1 + P),
      compositional,
      meanDifference: d,
      meanInterval: Object.freeze([ml, mh]) as readonly [number, number],
      meanPValue: twoSided(draws.mean[j], d),
      equalMeans,
      logVarianceRatio: v,
      varianceInterval: Object.freeze([vl, vh]) as readonly [number, number],
      variancePValue: twoSided(draws.logVariance[j], v),
      equalVariances,
      invariance,
    });
  });
  const warnings: string[] = [];
  if (single.length > 0)
    warnings.push(
      `${single.map((s) => `"${s}"`).join(', ')} ${single.length === 1 ? 'has' : 'have'} one question: c = 1 in every group, so step 2 holds trivially`,
    );
  if (draws.failed > 0)
    warnings.push(`${draws.failed} of ${replicates} permutations could not be fitted and were left out`);
  if (P < 1 / alpha) warnings.push(`only ${P} permutations: too few for the ${alpha} quantile of c; use 1000 or more`);
  return Object.freeze({
    group,
    groups: Object.freeze([data.labels[0], data.labels[1]]) as readonly [string, string],
    sizes: Object.freeze([data.sizes[0], data.sizes[1]]) as readonly [number, number],
    configural: true as const,
    composites: Object.freeze(composites),
    invariance: overall,
    alpha,
    replicates,
    failed: draws.failed,
    rows: data.rows,
    otherGroups: data.otherGroups,
    warnings: Object.freeze(warnings),
  });
}
