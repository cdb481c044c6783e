import { randomSource } from '../math/internal';
import type { RandomSource } from '../math/internal';
import { kmeansPlusPlus, resolveKMeansOptions } from '../segment/internal';
import type { FeatureScaling, Standardize } from '../segment/index';
import {
  ClienteleError,
  describeValue,
  integerRule,
  isClienteleError,
  knownOptions,
  META,
  optionNames,
  optionValue,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { dialectOf } from './dialect';
import { dropCountsSql, dropMetadata } from './drop-counts';
import { numberOf, sqlEngine } from './engine';
import type { SqlConnection, SqlEngine, SqlRows } from './engine';
import {
  assignSql,
  candidateWeightsSql,
  farthestSql,
  firstPointSql,
  kmeansAdmissionRules,
  lloydStepSql,
  samplingRoundSql,
  statsSql,
} from './kmeans-sql-text';
import type { FrameScaling, KMeansFrame } from './kmeans-sql-text';
import { columnName, tableSource } from './names';
import { placeSource, SOURCE_MARK } from './options';
import type { SqlContext } from './options';

/** Options of {@link kmeansInSql}. */
export interface KMeansInSqlOptions {
  /** A table name (`name`, `schema.name`, `project.dataset.name`) or a `(SELECT …)` sub-query, as for `runSql`. */
  table: string;
  /** Numeric feature columns, as `kmeans`' `columns`. */
  columns: readonly string[];
  /** Number of segments, 1 ≤ k ≤ rows kept. */
  k: number;
  /** A column identifying each row (a customer key): the sampling draws' key and `assignSql`'s output. */
  id?: string;
  /** Seed of the sampling streams and of the k-means++ reclustering. Default 1. */
  seed?: number;
  /** Runs from different seedings; the lowest inertia is kept. Default 1 (each run costs its own passes). */
  nInit?: number;
  /** Lloyd iterations of each run. Default 300. */
  maxIterations?: number;
  /** Relative tolerance, as `kmeans`: stop when the centroids' total squared shift ≤ tolerance · mean variance. Default 1e-4. */
  tolerance?: number;
  /** Feature scaling, as `kmeans`. Default `'zscore'`. */
  standardize?: Standardize;
  /** k starting centroids in the columns' units (no seeding, one run), as `kmeans`' `init` centroids. */
  initial?: readonly (readonly number[])[];
  /** k-means‖ oversampling ℓ: expected rows drawn per round. Default 2k. */
  oversampling?: number;
  /** k-means‖ sampling rounds r. Default 5. */
  rounds?: number;
}

/** A k-means segmentation fitted in the engine: `kmeans`' result without the per-row labels; frozen. */
export interface SqlSegmentation {
  readonly k: number;
  readonly columns: readonly string[];
  /** Centroids in the columns' units, k rows of `columns.length` values. */
  readonly centroids: readonly (readonly number[])[];
  /** Centroids in the scaled space where distances were taken. */
  readonly scaledCentroids: readonly (readonly number[])[];
  /** The scaling from the columns' units to the clustering space (as `kmeans`'; `predictSegments` reads it). */
  readonly scaling: FeatureScaling;
  /** Σ of `withinSS`: the within-segment sum of squared distances in the scaled space (`kmeans`' inertia). */
  readonly inertia: number;
  /** Within-segment sum of squared distances of each segment, scaled space. */
  readonly withinSS: readonly number[];
  /** Σ ‖z − z̄‖² over the rows kept, scaled space. */
  readonly totalSS: number;
  /** totalSS − inertia. */
  readonly betweenSS: number;
  /** Lloyd iterations of the kept run. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Rows per segment (numbers: a warehouse table may pass 2^31 rows). */
  readonly sizes: readonly number[];
  /** Inertia of every run, in run order. */
  readonly runs: readonly number[];
  /** Input rows, rows kept and rows dropped by reason, as `droppedRows` reports them (no first row: SQL has no row order). */
  readonly rows: DropReport;
  /** Plain-language notes, as `kmeans` gives them. */
  readonly warnings: readonly string[];
  /**
   * One statement of the engine's dialect that labels every row of the source in the engine: the `id` column (or
   * the features, as doubles) and `segment` (0 … k − 1; NULL where a feature is missing or not finite).
   */
  readonly assignSql: string;
  /** Statements run on the engine. */
  readonly statements: number;
}

/** The options kmeansInSql takes; every other name is refused with a did-you-mean. */
const KMEANS_IN_SQL_OPTION_NAMES = optionNames<KMeansInSqlOptions>({
  table: true,
  columns: true,
  k: true,
  id: true,
  seed: true,
  nInit: true,
  maxIterations: true,
  tolerance: true,
  standardize: true,
  initial: true,
  oversampling: true,
  rounds: true,
});

const N_INIT = integerRule(1, 10_000, 1, 'leave it out for one run: each run costs its own passes over the table');
const ROUNDS = integerRule(1, 100, 5, 'leave it out for 5 rounds (Bahmani et al. find 5 enough)');

/** Raw values beyond this would overflow the sums of squares (the in-process scaling rescales them; here refused). */
const LARGEST = 2 ** 450;

interface Fitted {
  readonly centres: Float64Array;
  readonly sizes: Float64Array;
  readonly withinSS: Float64Array;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** A statement runner that counts the statements. */
interface Session {
  readonly engine: SqlEngine;
  readonly ctx: SqlContext;
  count: number;
}

async function run(s: Session, sql: string): Promise<SqlRows> {
  s.count++;
  return s.engine.run(placeSource(sql, s.ctx));
}

/** The values of column `name` as numbers (NULL as NaN). */
function numbers(rows: SqlRows, name: string): number[] {
  const j = rows.names.indexOf(name);
  return j < 0 ? [] : rows.columns[j].map((v) => (v === null ? Number.NaN : numberOf(v)));
}

/** The points of a result with columns z0 … z{d−1}, row-major. */
function points(rows: SqlRows, d: number): Float64Array {
  const columns = Array.from({ length: d }, (_, t) => numbers(rows, `z${t}`));
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) out[i * d + t] = columns[t][i];
  return out;
}

/**
 * k-means segmentation of the rows of a warehouse table without taking its rows out: the engine (DuckDB,
 * PostgreSQL, or any engine through a runner) computes every pass over the rows, one statement per step, and only
 * sums of k × d numbers come back to JavaScript. The same features, scaling, Lloyd loop and stopping rule as the
 * in-process `kmeans`; seeding by k-means‖ instead of k-means++ (k-means++ needs k passes over the rows, k-means‖ a
 * few).
 *
 * What an analyst uses it for: segmenting a customer table that lives in a warehouse (recency, frequency,
 * monetary of `runSql(…, 'customerSummary', …)` materialised there, or any numeric columns) and writing the labels
 * back with `assignSql` — `CREATE TABLE segments AS <assignSql>` — so that they never leave the warehouse.
 *
 * Steps (each one statement; d features, k segments):
 * 1. Admission and scaling: rows with a null, NaN or ±Infinity feature are dropped and counted (`invalidValue`, a
 *    `dropCountsSql` statement); one statement gives the count, means (compensated in DuckDB), ranges and the
 *    two-pass sums of squared deviations. Scaling as `kmeans`: `'zscore'` z = (x − mean) / sd with the population
 *    sd (divisor n), `'minmax'`, `'none'`; a constant feature gets scale 1.
 * 2. Seeding by k-means‖ (Bahmani, Moseley, Vattani, Kumar & Vassilvitskii 2012, "Scalable k-means++", PVLDB 5(7),
 *    Algorithm 2): C = one kept row drawn uniformly; then `rounds` times, with φ = Σ_x d²(x, C), every row x joins
 *    C with probability min(1, ℓ · d²(x, C) / φ) — the draw is `uniform(key, stream)` of the engine's own hash of
 *    the row's `id` (else of its feature values) and a per-round stream number drawn from `seed`, so a run is
 *    repeatable on one engine; then each candidate is weighted by the rows nearest to it, and the weighted
 *    candidates are reclustered to k seeds by the in-process (greedy) k-means++ with those weights (step 8). About
 *    1 + ℓ · r candidates; ℓ = 2k and r = 5 give an O(1)-approximation in expectation (Theorem 1) in r + 2 passes.
 * 3. Lloyd (1982), as `kmeans`' loop (scikit-learn's): each statement assigns every row to its nearest centroid
 *    (squared Euclidean distance summed over the features in order, ties to the lower index, centroids as double
 *    literals) and returns per centroid the count, the feature sums, the within sum of squares and the rows whose
 *    nearest previous centroid was another; the run stops when none moved, or when the centroids' total squared
 *    shift is at most `tolerance` times the mean variance of the scaled features, or after `maxIterations`; an
 *    empty segment takes the row farthest from its centroid (one more statement; ties by coordinates, SQL having
 *    no row order). A last statement gives the sizes and within SS of the final centroids.
 * Of `nInit` runs the lowest inertia is kept. From the same `initial` centroids, the result equals
 * `kmeans(table, { init: initial })` up to the sums' rounding (the tests check 1e-9 relative).
 *
 * Differences from `kmeans`: no per-row labels (use `assignSql`); default `nInit` 1; features beyond ±2^450 are
 * refused rather than rescaled; `rows.firstRow` is empty.
 *
 * Cost: 2 + nInit · (rounds + 2 + iterations) statements, one more per run that stops on the tolerance or
 * maxIterations and one per relocation (no seeding statements with `initial`); each is one scan of the table with
 * O(k · d) work per row (O(ℓ · r · d) in the seeding; two scans in a sampling round); the process holds
 * O((k + ℓ · r) · d) numbers.
 *
 * @param connection a `@duckdb/node-api` connection, a `pg` Client or Pool, or a runner `{ dialect, run(sql) }`
 * @param options `table`, `columns`, `k` (required); `id`, `seed` (1), `nInit` (1), `maxIterations` (300),
 *   `tolerance` (1e-4), `standardize` ('zscore'), `initial` (k centroids in the columns' units), `oversampling`
 *   (2k), `rounds` (5)
 * @throws {ClienteleError} `INVALID_OPTION` for a bad option, table or column name, or k above the rows kept;
 *   `EMPTY_INPUT` when no row has every feature; `INVALID_VALUE` for features beyond ±2^450 (or a min–max range
 *   wider than a double); `INVALID_INPUT` / `MISSING_COLUMN` when the engine refuses a statement
 * @example
 * // with @duckdb/node-api: const connection = await (await DuckDBInstance.create(':memory:')).connect();
 * // here a stand-in runner answering the first two statements as an engine with two identical rows would
 * const runner = { dialect: 'duckdb', run: async (sql) => (sql.includes('input_rows') ? [{ input_rows: 3, drop_0: 1 }] : []) };
 * const failed = await kmeansInSql(runner, { table: 'customers', columns: ['recency'], k: 1 }).catch((e) => e.code);
 * failed; // 'EMPTY_INPUT'
 */
export async function kmeansInSql(connection: SqlConnection, options: KMeansInSqlOptions): Promise<SqlSegmentation> {
  const fn = 'kmeansInSql';
  options = knownOptions(options, KMEANS_IN_SQL_OPTION_NAMES, fn);
  const engine = sqlEngine(connection, fn);
  const { o, nInit, rounds, oversampling, initial } = resolveOptions(options, fn);
  const d = dialectOf(engine.dialect, fn);
  const ctx: SqlContext = {
    d,
    source: SOURCE_MARK,
    sourceText: tableSource(d, options.table, fn),
    options: { table: options.table },
    fn,
    column: (option) => columnName(d, option, fn, option),
  };
  const frame: KMeansFrame = {
    ctx,
    features: o.columns.map((c, t) => columnName(d, c, fn, String(t))),
    id: options.id === undefined ? undefined : columnName(d, options.id, fn, 'id'),
  };
  const session: Session = { engine, ctx, count: 0 };

  const rules = kmeansAdmissionRules(frame);
  const counted = dropMetadata(await run(session, dropCountsSql(ctx, rules)), rules);
  const rows: DropReport = Object.freeze({
    rows: Number(counted[META.rows]),
    kept: Number(counted[META.kept]),
    dropped: Object.freeze(JSON.parse(counted[META.dropped]) as DropReport['dropped']),
    firstRow: Object.freeze({}),
    total: Number(counted[META.rows]) - Number(counted[META.kept]),
  });
  const scale = scalingOf(await run(session, statsSql(frame)), o.columns, o.standardize, o.k, rows, fn);
  const tolerance = o.tolerance * scale.meanVariance;

  const master = randomSource(o.seed);
  let best: Fitted | undefined;
  const runs: number[] = [];
  for (let r = 0; r < nInit; r++) {
    const rng = randomSource(master.uint32());
    const start =
      initial === undefined
        ? await kmeansParallelSeeds(session, frame, scale, o.k, oversampling, rounds, rng)
        : Float64Array.from(initial.flatMap((c) => c.map((v, t) => (v - scale.center[t]) / scale.scale[t])));
    if (start.some((v) => !Number.isFinite(v))) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option initial gives a non-finite scaled centroid; pass centroids in the columns' units`,
      );
    }
    const fit = await lloyd(session, frame, scale, start, o.k, o.maxIterations, tolerance);
    runs.push(fit.inertia);
    if (best === undefined || fit.inertia < best.inertia) best = fit;
  }
  return result(best!, runs, o.columns, o.k, scale, rows, frame, session, fn);
}

/** The options checked: `kmeans`' rules for those it shares, and the k-means‖ ones. @throws {ClienteleError} `INVALID_OPTION` */
function resolveOptions(options: KMeansInSqlOptions, fn: string) {
  if (options.initial !== undefined && !Array.isArray(options.initial)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option initial must be k centroids in the columns' units (found ${describeValue(options.initial)}); leave it out for the k-means‖ seeding`,
    );
  }
  const o = withInitialNamed(() =>
    resolveKMeansOptions(
      {
        columns: options.columns,
        k: options.k,
        seed: options.seed,
        maxIterations: options.maxIterations,
        tolerance: options.tolerance,
        standardize: options.standardize,
        ...(options.initial === undefined ? {} : { init: options.initial }),
      },
      fn,
    ),
  );
  const initial = options.initial as readonly (readonly number[])[] | undefined;
  const nInit = initial === undefined ? optionValue(options, 'nInit', N_INIT, fn) : 1;
  const rounds = optionValue(options, 'rounds', ROUNDS, fn);
  const oversampling = options.oversampling ?? 2 * o.k;
  if (typeof oversampling !== 'number' || !Number.isFinite(oversampling) || oversampling <= 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option oversampling must be a positive number (found ${describeValue(options.oversampling)}); leave it out for 2k`,
    );
  }
  return { o, nInit, rounds, oversampling, initial };
}

/** `kmeans`' option checks, with its option `init` called by this function's name for it, `initial`. */
function withInitialNamed<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!isClienteleError(e) || !e.message.includes('option init ')) throw e;
    throw new ClienteleError(
      e.code,
      e.message.replace('option init ', 'option initial ').replace(/'k-means\+\+', 'random' or /, ''),
    );
  }
}

/** The scaling from the statistics statement, with what the loop needs of it. */
interface Scale extends FrameScaling {
  readonly method: Standardize;
  readonly scale: readonly number[];
  readonly totalSS: number;
  readonly meanVariance: number;
  readonly n: number;
}

/** `kmeans`' scaling (feature-matrix.ts) from the engine's moments; checks as `checkK`. */
function scalingOf(
  stats: SqlRows,
  columns: readonly string[],
  method: Standardize,
  k: number,
  rows: DropReport,
  fn: string,
): Scale {
  const cell = (name: string) => numbers(stats, name)[0] ?? Number.NaN;
  const n = cell('n') || 0;
  if (n === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has every feature (${rows.rows} rows, ${rows.total} with a missing or non-finite value); check the columns or fill the gaps`,
    );
  }
  if (k > n) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option k (${k}) exceeds the ${n} rows that have every feature; choose k ≤ ${n}`,
    );
  }
  const center: number[] = [];
  const scale: number[] = [];
  let totalSS = 0;
  let varying = 0;
  columns.forEach((column, t) => {
    const [mean, lo, hi, ss] = [cell(`m${t}`), cell(`lo${t}`), cell(`hi${t}`), cell(`ss${t}`)];
    if (!(Math.max(Math.abs(lo), Math.abs(hi)) < LARGEST)) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${column}" spans ${lo} to ${hi}, beyond ±2^450 where the sums of squares overflow a double; rescale the column in a '(SELECT …)' sub-query`,
        { column },
      );
    }
    const constant = lo === hi;
    if (!constant) varying++;
    if (method === 'zscore') {
      const sd = Math.sqrt(ss / n);
      center.push(constant ? lo : mean);
      scale.push(constant || !(sd > 0) ? 1 : sd);
    } else if (method === 'minmax') {
      center.push(lo);
      scale.push(constant ? 1 : hi - lo);
      if (!Number.isFinite(hi - lo)) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: column "${column}" spans ${lo} to ${hi}, a range that overflows a double, so standardize 'minmax' cannot scale it; use standardize 'zscore' or rescale the column`,
          { column },
        );
      }
    } else {
      center.push(0);
      scale.push(1);
    }
    totalSS += constant ? 0 : ss / (scale[t] * scale[t]);
  });
  const d = columns.length;
  // as kmeans' meanVariance: exactly 1 per non-constant feature for z-scores, else Σ variances / d
  const meanVariance = method === 'zscore' ? varying / d : totalSS / n / d;
  return {
    method,
    center,
    scale,
    inverse: scale.map((s) => 1 / s),
    totalSS,
    meanVariance,
    n,
  };
}

/** k-means‖ (Bahmani et al. 2012, Algorithm 2): k seeds in the scaled space. */
async function kmeansParallelSeeds(
  session: Session,
  frame: KMeansFrame,
  scale: Scale,
  k: number,
  oversampling: number,
  rounds: number,
  rng: RandomSource,
): Promise<Float64Array> {
  const d = frame.features.length;
  let candidates = points(await run(session, firstPointSql(frame, scale, rng.uint32())), d);
  for (let round = 0; round < rounds; round++) {
    const drawn = points(await run(session, samplingRoundSql(frame, scale, candidates, oversampling, rng.uint32())), d);
    if (drawn.length === 0) continue;
    // SQL returns the draws in no particular order: sort them, so that the candidates' order is repeatable
    const order = Array.from({ length: drawn.length / d }, (_, i) => i).sort((a, b) => {
      for (let t = 0; t < d; t++) if (drawn[a * d + t] !== drawn[b * d + t]) return drawn[a * d + t] - drawn[b * d + t];
      return 0;
    });
    const next = new Float64Array(candidates.length + drawn.length);
    next.set(candidates);
    order.forEach((i, q) => next.set(drawn.subarray(i * d, i * d + d), candidates.length + q * d));
    candidates = next;
  }
  const m = candidates.length / d;
  const weighted = await run(session, candidateWeightsSql(frame, scale, candidates));
  const weights = new Float64Array(m);
  const labels = numbers(weighted, 'j');
  const counts = numbers(weighted, 'w');
  labels.forEach((j, q) => (weights[j] = counts[q]));
  return kmeansPlusPlus(candidates, m, d, k, rng, undefined, weights).centers;
}

/** The per-centre sums of one Lloyd statement. */
interface StepSums {
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly withinSS: Float64Array;
  readonly moved: number;
}

async function lloydStep(
  session: Session,
  frame: KMeansFrame,
  scale: Scale,
  centres: Float64Array,
  previous: Float64Array | undefined,
  k: number,
): Promise<StepSums> {
  const d = frame.features.length;
  const rows = await run(session, lloydStepSql(frame, scale, centres, previous));
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const withinSS = new Float64Array(k);
  const js = numbers(rows, 'j');
  const ns = numbers(rows, 'n');
  const ss = numbers(rows, 'ss');
  const s = Array.from({ length: d }, (_, t) => numbers(rows, `s${t}`));
  js.forEach((j, q) => {
    counts[j] = ns[q];
    withinSS[j] = ss[q];
    for (let t = 0; t < d; t++) sums[j * d + t] = s[t][q];
  });
  const moved = numbers(rows, 'moved').reduce((a, b) => a + b, 0);
  return { counts, sums, withinSS, moved };
}

/**
 * `kmeans`' Lloyd loop (hamerly.ts `lloydSteps`: scikit-learn's `_kmeans_single_lloyd`) with each assignment a
 * statement: stop when no row moved (strict), or on the tolerance, or at maxIterations; without strict convergence
 * one more assignment gives the final sizes and within SS.
 */
async function lloyd(
  session: Session,
  frame: KMeansFrame,
  scale: Scale,
  start: Float64Array,
  k: number,
  maxIterations: number,
  tolerance: number,
): Promise<Fitted> {
  const d = frame.features.length;
  let centres = Float64Array.from(start);
  let previous: Float64Array | undefined;
  let iterations = 0;
  let strict = false;
  let converged = false;
  let last: StepSums | undefined;
  while (iterations < maxIterations) {
    iterations++;
    const step = await lloydStep(session, frame, scale, centres, previous, k);
    last = step;
    if (iterations > 1 && step.moved === 0) {
      strict = true;
      converged = true;
      break;
    }
    const { counts, sums } = step;
    if (counts.some((c) => c === 0)) await relocateEmpty(session, frame, scale, centres, counts, sums, k);
    const next = new Float64Array(k * d);
    let shift = 0;
    for (let j = 0; j < k; j++) {
      const inv = 1 / counts[j];
      let sq = 0;
      for (let t = 0; t < d; t++) {
        next[j * d + t] = counts[j] > 0 ? sums[j * d + t] * inv : centres[j * d + t];
        const e = next[j * d + t] - centres[j * d + t];
        sq += e * e;
      }
      shift += sq;
    }
    previous = centres;
    centres = next;
    if (shift <= tolerance) {
      converged = true;
      break;
    }
  }
  if (!strict) last = await lloydStep(session, frame, scale, centres, undefined, k);
  const withinSS = last!.withinSS;
  return {
    centres,
    sizes: last!.counts,
    withinSS,
    inertia: withinSS.reduce((a, b) => a + b, 0),
    iterations,
    converged,
  };
}

/**
 * scikit-learn's rule, as `kmeans`: each empty segment, in index order, takes the row farthest from its centroid,
 * which leaves its old segment (counts and sums moved here).
 */
async function relocateEmpty(
  session: Session,
  frame: KMeansFrame,
  scale: Scale,
  centres: Float64Array,
  counts: Float64Array,
  sums: Float64Array,
  k: number,
): Promise<void> {
  const d = frame.features.length;
  const far = await run(session, farthestSql(frame, scale, centres, k));
  const at = points(far, d);
  const labels = numbers(far, 'j');
  let next = 0;
  for (let j = 0; j < k && next < labels.length; j++) {
    if (counts[j] !== 0) continue;
    const old = labels[next];
    for (let t = 0; t < d; t++) {
      sums[old * d + t] -= at[next * d + t];
      sums[j * d + t] = at[next * d + t];
    }
    counts[old]--;
    counts[j] = 1;
    next++;
  }
}

/** The frozen result from the kept run, with `kmeans`' warnings. */
function result(
  best: Fitted,
  runs: readonly number[],
  columns: readonly string[],
  k: number,
  scale: Scale,
  rows: DropReport,
  frame: KMeansFrame,
  session: Session,
  fn: string,
): SqlSegmentation {
  const d = columns.length;
  const scaledCentroids = Array.from({ length: k }, (_, j) =>
    Object.freeze(Array.from(best.centres.subarray(j * d, j * d + d))),
  );
  const centroids = scaledCentroids.map((z) => Object.freeze(z.map((v, t) => v * scale.scale[t] + scale.center[t])));
  const sizes = Array.from(best.sizes);
  const warnings: string[] = [];
  const distinct = new Set(scaledCentroids.map((c) => c.join(','))).size;
  const empty = sizes.filter((size) => size === 0).length;
  if (distinct < k) {
    warnings.push(
      `${fn}: only ${distinct} of the ${k} centroids are distinct: the data have fewer than k distinct points, so some segments split identical rows; choose k ≤ ${distinct}`,
    );
  } else if (empty > 0) {
    warnings.push(`${fn}: ${empty} of the ${k} segments are empty; choose a smaller k`);
  }
  if (!best.converged) {
    warnings.push(
      `${fn}: the kept run stopped on maxIterations (${best.iterations}) before its centroids settled; raise maxIterations`,
    );
  }
  const assign = placeSource(assignSql(frame, scale, best.centres), frame.ctx);
  return Object.freeze({
    k,
    columns: Object.freeze([...columns]),
    centroids: Object.freeze(centroids),
    scaledCentroids: Object.freeze(scaledCentroids),
    scaling: Object.freeze({
      method: scale.method,
      center: Object.freeze([...scale.center]),
      scale: Object.freeze([...scale.scale]),
    }),
    inertia: best.inertia,
    withinSS: Object.freeze(Array.from(best.withinSS)),
    totalSS: scale.totalSS,
    betweenSS: scale.totalSS - best.inertia,
    iterations: best.iterations,
    converged: best.converged,
    sizes: Object.freeze(sizes),
    runs: Object.freeze([...runs]),
    rows,
    warnings: Object.freeze(warnings),
    assignSql: assign,
    statements: session.count,
  });
}
