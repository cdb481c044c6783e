import type { Float64, Int32, Table } from 'apache-arrow';
import { randomSource, selectionSample } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  tableWithMetadata,
} from '../table/internal';
import { calinskiHarabasz, daviesBouldin, meanSilhouette } from './cluster-quality';
import { checkColumns, featureMatrix } from './feature-matrix';
import type { FeatureMatrix, Standardize } from './feature-matrix';
import { bestOfRuns, checkK, resolveKMeansOptions } from './kmeans';
import type { ProgressCallback, ResolvedKMeansOptions } from './kmeans';

/** Options of {@link chooseK}. */
export interface ChooseKOptions {
  columns: readonly string[];
  /** Smallest and largest k to try (inclusive). Default [2, 10]. */
  kRange?: readonly [number, number];
  seed?: number;
  /** k-means runs per k. Default 10. */
  nInit?: number;
  standardize?: Standardize;
  maxIterations?: number;
  tolerance?: number;
  /**
   * Silhouettes are exact up to this many rows; above it they are computed on a seeded uniform sample of this many
   * rows (the silhouette costs O(m²)). Default 5000.
   */
  silhouetteSample?: number;
  /**
   * Called as the fits advance, with `done / total` the share of the work done (0 … 1, non-decreasing, ending at
   * exactly 1): once per pass over the rows of a k-means run and once per k scored. For progress bars; it does not
   * change the result. Default none.
   */
  onProgress?: ProgressCallback;
}

/** The columns of `chooseK(…).scores`: one row per k tried. */
export type ChooseKScoreColumns = {
  k: Int32;
  inertia: Float64;
  silhouette: Float64;
  calinskiHarabasz: Float64;
  daviesBouldin: Float64;
};

/** What {@link chooseK} returns; frozen. */
export interface ChooseKResult {
  /**
   * One row per k: `k`, `inertia` (elbow), `silhouette` (higher is better, −1 … 1), `calinskiHarabasz` (higher is
   * better), `daviesBouldin` (lower is better).
   */
  readonly scores: Table<ChooseKScoreColumns>;
  /** The suggested number of segments. */
  readonly k: number;
  /** Why, in words, with what the other indices say. */
  readonly reason: string;
  /** The elbow of the inertia curve (the k farthest below the chord from the first to the last k). */
  readonly elbow: number;
  /** Rows the silhouettes were computed on, and whether that is a sample. */
  readonly silhouetteRows: number;
  readonly sampled: boolean;
  /** Plain-language notes, e.g. when the data have fewer distinct points than the largest k (those k are not tried). */
  readonly warnings: readonly string[];
}

/** The options chooseK takes; every other name is refused with a did-you-mean. */
const CHOOSE_K_OPTION_NAMES = optionNames<ChooseKOptions>({
  columns: true,
  kRange: true,
  seed: true,
  nInit: true,
  standardize: true,
  maxIterations: true,
  tolerance: true,
  silhouetteSample: true,
  onProgress: true,
});

/**
 * Helps choose the number of k-means segments: fits k-means for every k in `kRange` on the same scaled features and
 * scores each partition with the elbow of the inertia, the mean silhouette (Rousseeuw 1987), the Calinski–Harabasz
 * index (1974) and the Davies–Bouldin index (1979).
 *
 * The suggestion is the k with the highest mean silhouette — the index that rewards both tight and well-separated
 * segments and is comparable across k — ties to the smaller k; the reason says whether Calinski–Harabasz, Davies–
 * Bouldin and the elbow agree. Silhouettes are exact up to `silhouetteSample` rows, then computed on a seeded
 * sample of that many rows (the same rows for every k).
 *
 * Cost: the k-means fits (see `kmeans`) plus O(m² · d) per k for the silhouette of m rows.
 *
 * @param table one row per customer
 * @param options columns, kRange ([2, 10]), seed, nInit, standardize, silhouetteSample (5000), onProgress (a
 *   `(done, total)` callback for progress bars)
 * Degenerate data: when the rows have fewer distinct points than the largest k, only k up to that number are tried
 * and `warnings` says so; when they have a single distinct point, or fewer than the smallest k (or than 2), there is
 * no structure to find and no elbow to name: `NOT_IDENTIFIED`.
 *
 * @throws {ClienteleError} as `kmeans`, `INVALID_OPTION` for a bad kRange, `NOT_IDENTIFIED` (fewer distinct rows
 *   than 2 or than the smallest k)
 * @example
 * const points = { x: [0, 0.2, 0.1, 5, 5.2, 5.1, 10, 10.1, 9.9], y: [0, 0.1, 0.2, 5, 5.1, 4.9, 0, 0.2, 0.1] };
 * const choice = chooseK(points, { columns: ['x', 'y'], kRange: [2, 5], seed: 1 });
 * choice.k; // 3
 * choice.scores.numRows; // 4
 * choice.reason; // e.g. 'k = 3 has the highest mean silhouette (0.95); Calinski–Harabasz agrees …'
 */
export function chooseK(table: unknown, options: ChooseKOptions): ChooseKResult {
  options = knownOptions(options, CHOOSE_K_OPTION_NAMES, 'chooseK');
  const fn = 'chooseK';
  const { columns, range, sampleSize } = checkChooseKOptions(options, fn);
  const o = resolveKMeansOptions({ ...options, columns, k: range[0] }, fn);
  const features = featureMatrix(asTable(table), columns, o.standardize, fn);
  checkK(range[1], features, fn);
  const n = features.n;
  const sampled = n > sampleSize;
  const sample = sampled
    ? selectionSample(randomSource(o.seed ^ 0x5eed), n, sampleSize)
    : Int32Array.from({ length: n }, (_, i) => i);

  const distinct = distinctRows(features, range[1] + 1);
  const largest = Math.min(range[1], distinct);
  if (distinct < 2 || largest < range[0]) throw noStructure(distinct, n, range, fn);
  const warnings =
    largest < range[1]
      ? [
          `${fn}: the data have only ${distinct} distinct points, so k = ${largest + 1} … ${range[1]} were not tried (they would split identical rows)`,
        ]
      : [];
  const ks: number[] = [];
  for (let k = range[0]; k <= largest; k++) ks.push(k);
  const { inertia, silhouette, ch, db } = scoreKs(features, ks, o, sample, fn);
  const elbow = elbowOf(ks, inertia);
  const { k, reason } = suggestK(ks, { inertia, silhouette, ch, db }, elbow, sampled ? sampleSize : undefined);
  const scores = tableWithMetadata(
    {
      k: numberVector(Int32Array.from(ks)),
      inertia: numberVector(inertia),
      silhouette: numberVector(silhouette),
      calinskiHarabasz: numberVector(ch),
      daviesBouldin: numberVector(db),
    },
    { 'clientele.kind': 'chooseK', ...features.drops.metadata(features.inputRows) },
  );
  return Object.freeze({
    scores,
    k,
    reason,
    elbow,
    silhouetteRows: sample.length,
    sampled,
    warnings: Object.freeze(warnings),
  });
}

/** The number of distinct rows of the scaled features, counted up to `cap` (O(n · d · cap), no allocation per row). */
function distinctRows(features: FeatureMatrix, cap: number): number {
  const { data, n, d } = features;
  const seen: number[] = []; // row index of each distinct row found
  for (let i = 0; i < n && seen.length < cap; i++) {
    let isNew = true;
    for (const r of seen) {
      let same = true;
      for (let t = 0; t < d && same; t++) same = data[i * d + t] === data[r * d + t];
      if (same) {
        isNew = false;
        break;
      }
    }
    if (isNew) seen.push(i);
  }
  return seen.length;
}

/** The error when no k of the range can be told from the data: fewer than two (or than the smallest k) distinct points. */
function noStructure(distinct: number, n: number, range: readonly [number, number], fn: string): ClienteleError {
  return new ClienteleError(
    'NOT_IDENTIFIED',
    `${fn}: the ${n} kept rows have ${distinct === 1 ? 'one distinct point' : `only ${distinct} distinct points`} (after scaling), so there is no structure for k = ${range[0]} … ${range[1]} segments to find; ` +
      (distinct >= 2 ? `use kRange [2, ${distinct}] or ` : '') +
      `check the columns (a constant or all-identical feature set has nothing to segment)`,
  );
}

/** The four indices of every k tried, one entry per k in order. */
interface KScores {
  inertia: Float64Array;
  silhouette: Float64Array;
  ch: Float64Array;
  db: Float64Array;
}

/** Checks the options object, the columns, `kRange` and `silhouetteSample`; returns them with their defaults. */
function checkChooseKOptions(
  options: ChooseKOptions,
  fn: string,
): { columns: string[]; range: readonly [number, number]; sampleSize: number } {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with columns (found ${describeValue(options)})`,
    );
  }
  const columns = checkColumns(options.columns, fn);
  const range = options.kRange ?? [2, 10];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((v) => Number.isInteger(v)) ||
    range[0] < 1 ||
    range[1] < range[0] ||
    range[1] - range[0] >= 1000
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option kRange must be [smallest, largest] integers with 1 ≤ smallest ≤ largest, at most 1,000 values of k (found ${describeValue(range)}${Array.isArray(range) ? ` ${JSON.stringify(range)}` : ''}); e.g. [2, 10]`,
    );
  }
  const sampleSize = options.silhouetteSample ?? 5000;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option silhouetteSample must be an integer ≥ 2 (found ${describeValue(sampleSize)})`,
    );
  }
  return { columns, range, sampleSize };
}

/** Fits the best of `nInit` k-means++ runs for every k and scores each partition (silhouette on the sample rows). */
function scoreKs(
  features: FeatureMatrix,
  ks: readonly number[],
  o: ResolvedKMeansOptions,
  sample: Int32Array,
  fn: string,
): KScores {
  const { data, n, d } = features;
  const inertia = new Float64Array(ks.length);
  const silhouette = new Float64Array(ks.length);
  const ch = new Float64Array(ks.length);
  const db = new Float64Array(ks.length);
  const report = o.onProgress;
  // each k one share of the work: 90 % of it the k-means runs, the rest the scores
  const share = (r: number) => (done: number, total: number) => report!((r + 0.9 * (done / total)) / ks.length, 1);
  report?.(0, 1);
  ks.forEach((k, r) => {
    const { best } = bestOfRuns(features, k, { ...o, init: 'k-means++', onProgress: report && share(r) }, fn);
    inertia[r] = best.inertia;
    silhouette[r] = k >= 2 ? meanSilhouette(data, d, best.labels, k, sample) : NaN;
    ch[r] = calinskiHarabasz(data, n, d, best.labels, best.centers, k);
    db[r] = daviesBouldin(data, n, d, best.labels, best.centers, k);
    report?.((r + 1) / ks.length, 1);
  });
  return { inertia, silhouette, ch, db };
}

/** The index of the best finite value (the first of ties), or −1 when none is finite. */
function bestAt(values: Float64Array, better: (a: number, b: number) => boolean): number {
  let at = -1;
  values.forEach((v, r) => {
    if (Number.isFinite(v) && (at < 0 || better(v, values[at]))) at = r;
  });
  return at;
}

/** The suggested k (highest mean silhouette, else the elbow) and the reason, with what the other indices say. */
function suggestK(
  ks: readonly number[],
  scores: KScores,
  elbow: number,
  sampleSize: number | undefined,
): { k: number; reason: string } {
  const bySilhouette = bestAt(scores.silhouette, (a, b) => a > b);
  const byCh = bestAt(scores.ch, (a, b) => a > b);
  const byDb = bestAt(scores.db, (a, b) => a < b);
  if (bySilhouette < 0) {
    return {
      k: elbow,
      reason: `k = ${elbow} is the elbow of the inertia curve (no silhouette can be computed for k = 1 alone)`,
    };
  }
  const k = ks[bySilhouette];
  const notes: string[] = [];
  const say = (name: string, at: number) =>
    at < 0 ? null : ks[at] === k ? `${name} agrees` : `${name} prefers k = ${ks[at]}`;
  for (const note of [say('Calinski–Harabasz', byCh), say('Davies–Bouldin', byDb)]) if (note) notes.push(note);
  notes.push(elbow === k ? 'the inertia curve bends at the same k' : `the inertia curve bends at k = ${elbow}`);
  const where = sampleSize !== undefined ? `, on a sample of ${sampleSize} rows` : '';
  return {
    k,
    reason: `k = ${k} has the highest mean silhouette (${scores.silhouette[bySilhouette].toFixed(2)}${where}); ${notes.join('; ')}`,
  };
}

/**
 * The elbow of a decreasing curve: the k whose (normalised) point lies farthest below the chord joining the first
 * and last points (the "kneedle" of Satopää et al. 2011, without smoothing). The first k when there are fewer than 3.
 */
export function elbowOf(ks: readonly number[], inertia: Float64Array): number {
  const m = ks.length;
  if (m < 3) return ks[0];
  const x0 = ks[0];
  const x1 = ks[m - 1];
  const y0 = inertia[0];
  const y1 = inertia[m - 1];
  const span = y0 - y1;
  if (!(span > 0)) return ks[0];
  let best = 0;
  let bestGap = -Infinity;
  for (let r = 0; r < m; r++) {
    const x = (ks[r] - x0) / (x1 - x0);
    const y = (inertia[r] - y1) / span; // 1 at the first k, 0 at the last
    const gap = 1 - x - y; // distance below the chord y = 1 − x
    if (gap > bestGap) {
      bestGap = gap;
      best = r;
    }
  }
  return ks[best];
}
