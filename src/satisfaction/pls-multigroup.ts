import { randomSource, studentTwoSidedP } from '../math/internal';
import type { RandomSource } from '../math/internal';
import {
  checkOptions,
  ClienteleError,
  describeValue,
  integerRule,
  knownOptions,
  oneOfRule,
  optionNames,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import {
  compactOf,
  fitOfCounts,
  covarianceOfSums,
  groupCounts,
  momentRows,
  pathSlots,
  readGroupAnswers,
  replicateEstimates,
  replicateSettings,
  sumsOf,
} from './group-answers';
import type { CompactEstimates, GroupAnswers, GroupFitOptions, ReplicateSettings } from './group-answers';
import type { PathModel } from './path-model';
import type { PlsMomentFit } from './pls-path-model';
import type { InnerScheme } from './pls-estimate';

/** How {@link plsMultigroup} tests a difference between the two groups. */
export type MultigroupMethod = 'permutation' | 'bootstrap';

/** Options of {@link plsMultigroup}. */
export interface PlsMultigroupOptions {
  /** The column holding each respondent's group (required). */
  group: string;
  /** The two labels to compare, the first being group 1, when the column holds more; default the two found, sorted. */
  groups?: readonly [string, string];
  /** `'permutation'` (default; Chin & Dibbern 2010) or `'bootstrap'` (the parametric t-test, Chin 2000). */
  method?: MultigroupMethod;
  /** Permutations, or bootstrap resamples per group. Default 1000. */
  replicates?: number;
  /** Most replicates before the call stops with `LIMIT_EXCEEDED` (each is two full fits). Default 10,000. */
  maxReplicates?: number;
  /** Seed of the permutations or resamples. Default 1. */
  seed?: number;
  /** As plsPathModel: inner weighting scheme, default `'centroid'`. */
  scheme?: InnerScheme;
  /** As plsPathModel: standardise the indicators (within each group), default `true`. */
  scaled?: boolean;
  /** As plsPathModel: iteration limit, default 100. */
  maxIterations?: number;
  /** As plsPathModel: convergence tolerance, default 1e-6. */
  tolerance?: number;
}

/** One estimate compared between the groups. */
export interface GroupDifference {
  /** Group 1's estimate. */
  readonly group1: number;
  /** Group 2's estimate. */
  readonly group2: number;
  /** group1 − group2. */
  readonly difference: number;
  /** Permutation p-value of |difference| (method `'permutation'`), or the two-sided t-test's (method `'bootstrap'`). */
  readonly pValue: number;
  /** The t statistic (method `'bootstrap'` only; NaN otherwise). */
  readonly t: number;
}

/** A path coefficient compared between the groups, with its value on both groups pooled. */
export interface PathDifference extends GroupDifference {
  readonly from: string;
  readonly to: string;
  /** The path on both groups pooled. */
  readonly global: number;
}

/** An outer weight or loading compared between the groups. */
export interface OuterDifference extends GroupDifference {
  /** The indicator's key in `PlsFit.outer`. */
  readonly indicator: string;
  readonly block: string;
}

/** What {@link plsMultigroup} returns; frozen. */
export interface PlsMultigroupResult {
  readonly method: MultigroupMethod;
  /** The group column and the two labels compared (group 1 first). */
  readonly group: string;
  readonly groups: readonly [string, string];
  /** Respondents in each group. */
  readonly sizes: readonly [number, number];
  /** The fit on both groups pooled, and each group's own fit (indicators standardised within the group). */
  readonly global: PlsMomentFit;
  readonly fits: readonly [PlsMomentFit, PlsMomentFit];
  /** One entry per path of the model, in the model's order. */
  readonly paths: readonly PathDifference[];
  /** One entry per indicator, in block order. */
  readonly weights: readonly OuterDifference[];
  readonly loadings: readonly OuterDifference[];
  /** Replicates asked for, and those that could not be fitted (a constant question, no convergence): left out. */
  readonly replicates: number;
  readonly failed: number;
  /** Degrees of freedom of the t-test, n1 + n2 − 2 (method `'bootstrap'`; NaN otherwise). */
  readonly df: number;
  /** Input rows, kept, dropped by reason (`missingAnswer`, `invalidValue`, `nullKey` for a missing group label). */
  readonly rows: DropReport;
  /** Rows of other groups left out when `groups` picks two of more. */
  readonly otherGroups: number;
  /** Degenerate results, in words (replicates that failed, p-values bounded below by 1/(replicates + 1) …). */
  readonly warnings: readonly string[];
}

const PLS_MULTIGROUP_OPTION_NAMES = optionNames<PlsMultigroupOptions>({
  group: true,
  groups: true,
  method: true,
  replicates: true,
  maxReplicates: true,
  seed: true,
  scheme: true,
  scaled: true,
  maxIterations: true,
  tolerance: true,
});

/** The rules of the options read here (the PLS options are checked by plsPathModel's own rules). */
const MULTIGROUP_RULES = Object.freeze({
  method: oneOfRule<MultigroupMethod>(['permutation', 'bootstrap'], 'permutation'),
  replicates: integerRule(2, Infinity, 1000, '1000 is usual; 5000 for p-values near 0.05'),
  seed: integerRule(0, Infinity, 1),
});

/**
 * Multi-group analysis of a PLS path model: are the path coefficients (and outer weights and loadings) of two
 * groups of respondents — men and women, regions, loyalty tiers — different?
 *
 * Analysts use it before reporting "satisfaction drives loyalty more for women": each group is fitted on its own
 * (indicators standardised within the group, as R `plspm.groups`) and each difference, group 1 − group 2, is
 * tested. Run {@link micom} first: comparing paths presumes the composites measure the same thing in both groups.
 *
 * Methods:
 * - `'permutation'` (Chin 2003; Chin & Dibbern 2010): the group labels are shuffled `replicates` times, both groups
 *   refitted each time, and p = (1 + #{|Δ*| ≥ |Δ|}) / (1 + P) over the P permutations that could be fitted
 *   (Phipson & Smyth 2010: never 0). R plspm counts only |Δ*| > |Δ|, which differs only on exact ties.
 * - `'bootstrap'` (Chin 2000; Sarstedt, Henseler & Ringle 2011, eq. 1): each group is resampled with replacement
 *   `replicates` times and refitted; with se_g the standard deviation of a group's resampled estimates,
 *   t = |Δ| / (√((n1 − 1)²/(n1 + n2 − 2) · se1² + (n2 − 1)²/(n1 + n2 − 2) · se2²) · √(1/n1 + 1/n2)), df = n1 + n2 − 2,
 *   and p is two-sided. R plspm puts the difference of the bootstrap means in the numerator and reports the
 *   one-sided tail P(T > t), half this p.
 *
 * Every fit is plsPathModel's, from the group's moments: one permutation costs two fits and a pass over the rows.
 * Cost: O(replicates · (n · p² + fit)), e.g. ~1 s for 1000 permutations of the 250-respondent ECSI survey.
 *
 * @param survey one row per respondent (anything `asTable` accepts)
 * @param model a {@link pathModel}
 * @param options `group` (required), `groups`, `method` ('permutation'), `replicates` (1000), `maxReplicates`
 *   (10,000), `seed` (1), and plsPathModel's `scheme`, `scaled`, `maxIterations`, `tolerance`
 * @throws {ClienteleError} `INVALID_OPTION`, `LIMIT_EXCEEDED`, `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_INPUT`
 *   (not two groups; a group too small), `INVALID_VALUE` (a question constant within a group), `NOT_CONVERGED`
 *   (a group's own fit)
 * @example
 * const store = sampleStore({ customers: 400, seed: 3 });
 * const survey = { ...Object.fromEntries(store.survey.schema.fields.map((f) => [f.name, store.survey.getChild(f.name).toArray()])), half: Array.from({ length: store.survey.numRows }, (_, i) => (i % 2 ? 'odd' : 'even')) };
 * const mga = plsMultigroup(survey, acsiModel(store.truth.acsi.blocks), { group: 'half', replicates: 50 });
 * mga.groups; // ['even', 'odd']
 * mga.paths.length === mga.global.model.paths.length; // true
 * mga.paths.every((p) => p.pValue > 0 && p.pValue <= 1); // true
 */
export function plsMultigroup(survey: unknown, model: PathModel, options: PlsMultigroupOptions): PlsMultigroupResult {
  options = knownOptions(options, PLS_MULTIGROUP_OPTION_NAMES, 'plsMultigroup');
  const fn = 'plsMultigroup';
  const { method, replicates, seed } = checkOptions(options, MULTIGROUP_RULES, fn);
  const { group, pls, data, global, fits } = groupedFits(survey, model, options, replicates, fn);
  const observed = [compactOf(data, fits[0]), compactOf(data, fits[1])] as const;
  const settings = replicateSettings(global, pls);
  const rng = randomSource(seed);
  const draws =
    method === 'permutation'
      ? permutationDraws(data, observed, settings, replicates, rng, fn)
      : bootstrapDraws(data, observed, settings, replicates, rng, fn);
  return assemble(data, { group, method, replicates }, global, fits, observed, draws);
}

/** The two groups' observed estimates. */
type Observed = readonly [CompactEstimates, CompactEstimates];

/** What a two-group analysis reads of its options: the group column and labels, the replicate limit, the PLS options. */
type GroupStudyOptions = GroupFitOptions & {
  readonly group?: unknown;
  readonly groups?: readonly [string, string];
  readonly maxReplicates?: unknown;
};

/**
 * Where plsMultigroup and micom start: the group column and the replicate limit checked, the answers of the two
 * groups read (drops counted), the fit of the groups pooled and each group's fit.
 * @throws {ClienteleError} as {@link readGroupAnswers} and plsPathModel, `LIMIT_EXCEEDED`
 */
export function groupedFits(
  survey: unknown,
  model: PathModel,
  options: GroupStudyOptions,
  replicates: number,
  fn: string,
): {
  group: string;
  pls: GroupFitOptions;
  data: GroupAnswers;
  global: PlsMomentFit;
  fits: [PlsMomentFit, PlsMomentFit];
} {
  const group = groupColumn(options, fn);
  checkReplicateLimit(replicates, options.maxReplicates, fn);
  const { scheme, scaled, maxIterations, tolerance } = options;
  const pls: GroupFitOptions = { scheme, scaled, maxIterations, tolerance };
  const data = readGroupAnswers(survey, model, group, options.groups, fn);
  return { group, pls, data, ...groupFits(data, pls, fn) };
}

/** The fit on the two groups pooled and each group's fit. @throws {ClienteleError} as plsPathModel, `NOT_CONVERGED` */
function groupFits(
  data: GroupAnswers,
  pls: GroupFitOptions,
  fn: string,
): { global: PlsMomentFit; fits: [PlsMomentFit, PlsMomentFit] } {
  const all = new Int32Array(data.n).fill(1);
  const global = checkedFit(data, all, pls, fn, 'both groups pooled');
  const fits: [PlsMomentFit, PlsMomentFit] = [
    checkedFit(data, groupCounts(data.member, 1), pls, fn, `group "${data.labels[0]}"`),
    checkedFit(data, groupCounts(data.member, 0), pls, fn, `group "${data.labels[1]}"`),
  ];
  return { global, fits };
}

function checkedFit(
  data: GroupAnswers,
  counts: Int32Array,
  pls: GroupFitOptions,
  fn: string,
  what: string,
): PlsMomentFit {
  const fit = fitOfCounts(data, counts, pls, fn);
  if (fit) return fit;
  const { raw, structure } = data;
  for (let k = 0; k < structure.p; k++) {
    let first = NaN;
    let constant = true;
    for (let i = 0; i < counts.length && constant; i++) {
      if (!counts[i]) continue;
      if (first !== first) first = raw[k][i];
      else if (raw[k][i] !== first) constant = false;
    }
    if (constant) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${structure.columns[k]}" has the same answer (${first}) for every respondent of ${what}, so the block cannot be standardised there (found one distinct answer); drop the question or compare other groups`,
        { column: structure.columns[k] },
      );
    }
  }
  throw new ClienteleError(
    'NOT_CONVERGED',
    `${fn}: the outer weights of ${what} did not converge (found no fixed point within maxIterations); raise maxIterations or try scheme 'path'`,
  );
}

/** What the replicates give each compared estimate: a p-value and (bootstrap) a t statistic. */
interface Draws {
  readonly good: number;
  readonly failed: number;
  readonly paths: { p: Float64Array; t: Float64Array };
  readonly weights: { p: Float64Array; t: Float64Array };
  readonly loadings: { p: Float64Array; t: Float64Array };
}

/** Shuffles the group labels `replicates` times (Fisher–Yates), refits both groups, counts |Δ*| ≥ |Δ|. */
function permutationDraws(
  data: GroupAnswers,
  observed: Observed,
  settings: ReplicateSettings,
  replicates: number,
  rng: RandomSource,
  fn: string,
): Draws {
  const member = Uint8Array.from(data.member);
  const one = new Int32Array(data.n);
  const rows = momentRows(data);
  const sums1 = new Float64Array(rows.width);
  const sums2 = new Float64Array(rows.width);
  const [n1, n2] = data.sizes;
  const slots = pathSlots(data);
  const exceed = {
    paths: new Float64Array(observed[0].paths.length),
    weights: new Float64Array(observed[0].weights.length),
    loadings: new Float64Array(observed[0].loadings.length),
  };
  let good = 0;
  let failed = 0;
  for (let r = 0; r < replicates; r++) {
    shuffle(member, rng);
    // group 1's sums by one pass over its rows, group 2's as the total minus them
    sumsOf(rows, groupCounts(member, 1, one), sums1);
    for (let c = 0; c < rows.width; c++) sums2[c] = rows.total[c] - sums1[c];
    const a = replicateEstimates(data, rows, covarianceOfSums(rows, sums1, n1), n1, settings, slots);
    const b = a && replicateEstimates(data, rows, covarianceOfSums(rows, sums2, n2), n2, settings, slots);
    if (!a || !b) {
      failed++;
      continue;
    }
    good++;
    for (const key of KEYS) {
      const [o1, o2] = [observed[0][key], observed[1][key]];
      const [p1, p2] = [a[key], b[key]];
      const count = exceed[key];
      // a relative margin so that a replicate equal to the observed split up to rounding counts as a tie
      for (let k = 0; k < o1.length; k++)
        if (Math.abs(p1[k] - p2[k]) >= Math.abs(o1[k] - o2[k]) * (1 - 1e-12)) count[k]++;
    }
  }
  if (good === 0) throw noReplicate(fn, replicates);
  const pOf = (count: Float64Array) => ({
    p: count.map((c) => (1 + c) / (1 + good)),
    t: new Float64Array(count.length).fill(NaN),
  });
  return { good, failed, paths: pOf(exceed.paths), weights: pOf(exceed.weights), loadings: pOf(exceed.loadings) };
}

/**
 * Resamples each group with replacement `replicates` times and refits it; each estimate's t is Chin's, from the
 * two groups' bootstrap standard errors, with a two-sided p on n1 + n2 − 2 degrees of freedom.
 */
function bootstrapDraws(
  data: GroupAnswers,
  observed: Observed,
  settings: ReplicateSettings,
  replicates: number,
  rng: RandomSource,
  fn: string,
): Draws {
  const { n, member, sizes } = data;
  const members: [Int32Array, Int32Array] = [new Int32Array(sizes[0]), new Int32Array(sizes[1])];
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (member[i]) members[0][a++] = i;
    else members[1][b++] = i;
  }
  const running = [0, 1].map(() => ({ paths: moments(), weights: moments(), loadings: moments() }));
  const counts = new Int32Array(n);
  const slots = pathSlots(data);
  const rows = momentRows(data);
  const sums = new Float64Array(rows.width);
  let failed = 0;
  const good = [0, 0];
  for (let g = 0; g < 2; g++) {
    const group = members[g];
    for (let r = 0; r < replicates; r++) {
      counts.fill(0);
      for (let i = 0; i < group.length; i++) counts[group[rng.int(group.length)]]++;
      sumsOf(rows, counts, sums);
      const est = replicateEstimates(data, rows, covarianceOfSums(rows, sums, sizes[g]), sizes[g], settings, slots);
      if (!est) {
        failed++;
        continue;
      }
      good[g]++;
      for (const key of KEYS) running[g][key].add(est[key]);
    }
  }
  if (good[0] < 2 || good[1] < 2) throw noReplicate(fn, replicates);
  const [n1, n2] = sizes;
  const df = n1 + n2 - 2;
  const test = (key: (typeof KEYS)[number]) => {
    const v1 = running[0][key].variance();
    const v2 = running[1][key].variance();
    const [o1, o2] = [observed[0][key], observed[1][key]];
    const t = v1.map(
      (v, k) =>
        Math.abs(o1[k] - o2[k]) /
        (Math.sqrt(((n1 - 1) ** 2 / df) * v + ((n2 - 1) ** 2 / df) * v2[k]) * Math.sqrt(1 / n1 + 1 / n2)),
    );
    return { t, p: t.map((x) => studentTwoSidedP(x, df)) };
  };
  return {
    good: Math.min(good[0], good[1]),
    failed,
    paths: test('paths'),
    weights: test('weights'),
    loadings: test('loadings'),
  };
}

const KEYS = ['paths', 'weights', 'loadings'] as const;

/** Running mean and sum of squared deviations of a vector of estimates (Welford). */
interface RunningMoments {
  add(x: Float64Array): void;
  variance(): Float64Array;
}

function moments(): RunningMoments {
  let count = 0;
  let mean: Float64Array | undefined;
  let m2: Float64Array | undefined;
  return {
    add(x) {
      mean ??= new Float64Array(x.length);
      m2 ??= new Float64Array(x.length);
      count++;
      for (let k = 0; k < x.length; k++) {
        const d = x[k] - mean[k];
        mean[k] += d / count;
        m2[k] += d * (x[k] - mean[k]);
      }
    },
    variance: () => m2!.map((v) => v / (count - 1)),
  };
}

/** Fisher–Yates shuffle in place. */
function shuffle(a: Uint8Array, rng: RandomSource): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function noReplicate(fn: string, replicates: number): ClienteleError {
  return new ClienteleError(
    'NOT_CONVERGED',
    `${fn}: none of the ${replicates} replicates could be fitted (found a constant question or no convergence in each); raise maxIterations or compare larger groups`,
  );
}

/** The `group` option: a column name (required). @throws {ClienteleError} `INVALID_OPTION` */
function groupColumn(options: { group?: unknown }, fn: string): string {
  const group = options.group;
  if (typeof group !== 'string')
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option group must be a column name (found ${describeValue(group)}); name the column of the groups, e.g. { group: 'gender' }`,
    );
  return group;
}

/** `replicates` within `maxReplicates` (default 10,000). @throws {ClienteleError} `INVALID_OPTION`, `LIMIT_EXCEEDED` */
function checkReplicateLimit(replicates: number, given: unknown, fn: string): void {
  const limit = given ?? 10_000;
  if (!(limit === Infinity || (typeof limit === 'number' && Number.isInteger(limit) && limit >= 0))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxReplicates must be an integer ≥ 0 or Infinity (found ${String(limit)}); leave it out for 10000`,
    );
  }
  if (replicates > (limit as number)) {
    throw new ClienteleError(
      'LIMIT_EXCEEDED',
      `${fn}: option replicates asks for ${replicates}, each two full fits (found more than maxReplicates = ${String(limit)}); 1000 are usual, or raise maxReplicates (Infinity lifts the limit)`,
    );
  }
}

/** The frozen result: each compared estimate with its p-value, the fits, the rows and the warnings. */
function assemble(
  data: GroupAnswers,
  call: { group: string; method: MultigroupMethod; replicates: number },
  global: PlsMomentFit,
  fits: readonly [PlsMomentFit, PlsMomentFit],
  observed: Observed,
  draws: Draws,
): PlsMultigroupResult {
  const { model, structure } = data;
  const bootstrap = call.method === 'bootstrap';
  const compared = (key: (typeof KEYS)[number], k: number): GroupDifference => {
    const [a, b] = [observed[0][key], observed[1][key]];
    return {
      group1: a[k],
      group2: b[k],
      difference: a[k] - b[k],
      pValue: draws[key].p[k],
      t: bootstrap ? draws[key].t[k] : NaN,
    };
  };
  const paths = model.paths.map(([from, to], k) =>
    Object.freeze({ from, to, global: global.paths[from][to], ...compared('paths', k) }),
  );
  const keys = Object.keys(global.outer);
  const outer = (key: 'weights' | 'loadings') =>
    Object.freeze(
      keys.map((indicator, k) =>
        Object.freeze({ indicator, block: model.latent[structure.blockOf[k]], ...compared(key, k) }),
      ),
    );
  const warnings: string[] = [];
  if (draws.failed > 0)
    warnings.push(
      `${draws.failed} of ${call.replicates * (bootstrap ? 2 : 1)} replicates could not be fitted (a question constant in a replicate or no convergence) and were left out`,
    );
  if (!bootstrap && draws.good < 99)
    warnings.push(
      `only ${draws.good} permutations: no p-value can be below ${(1 / (draws.good + 1)).toPrecision(2)}; use 1000 or more`,
    );
  return Object.freeze({
    method: call.method,
    group: call.group,
    groups: Object.freeze([data.labels[0], data.labels[1]]) as readonly [string, string],
    sizes: Object.freeze([data.sizes[0], data.sizes[1]]) as readonly [number, number],
    global,
    fits: Object.freeze([fits[0], fits[1]]) as readonly [PlsMomentFit, PlsMomentFit],
    paths: Object.freeze(paths),
    weights: outer('weights'),
    loadings: outer('loadings'),
    replicates: call.replicates,
    failed: draws.failed,
    df: bootstrap ? data.n - 2 : NaN,
    rows: data.rows,
    otherGroups: data.otherGroups,
    warnings: Object.freeze(warnings),
  });
}
