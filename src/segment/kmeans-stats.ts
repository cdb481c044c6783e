import type { RecordBatch, Table } from 'apache-arrow';
import { addCompensated } from '../math/internal';
import {
  asTable,
  ClienteleError,
  deepFreeze,
  describeValue,
  DropCounter,
  dropCounter,
  droppedTotal,
  isAdmissible,
  mergeDrops,
  NO_DROPS,
  partialDrops,
  readNumeric,
} from '../table/internal';
import type { DropReport, PartialDrops } from '../table/internal';
import type { MergeableAggregate } from '../kernels/internal';
import { accumulateClusters, assignNearest, BLOCK_ROWS } from './kmeans-blocks';

/** Options of {@link kmeansStatsAggregate}. */
export interface KMeansStatsOptions {
  /** Numeric feature columns. */
  columns: readonly string[];
  /** The k current centroids, each `columns.length` numbers, in the clustering space (scaled when `scaling` is given). */
  centroids: readonly (readonly number[])[];
  /**
   * The affine map to the clustering space, z = (x − center) / scale per feature (a `Segmentation`'s `scaling`).
   * Default: none, the columns as they are.
   */
  scaling?: { readonly center: readonly number[]; readonly scale: readonly number[] };
}

/** Per-centroid sufficient statistics of some rows, as plain data. */
export interface KMeansStatsPartial {
  readonly kind: 'kmeansStats';
  readonly k: number;
  readonly d: number;
  /** Rows assigned to each centroid. */
  readonly counts: Float64Array;
  /** Per centroid j and feature f, at j·d + f: compensated sum of the (scaled) feature and its compensation. */
  readonly sums: Float64Array;
  readonly sumsCompensation: Float64Array;
  /** Per centroid: compensated sum of squared distances of its rows, and its compensation. */
  readonly inertia: Float64Array;
  readonly inertiaCompensation: Float64Array;
  readonly drops: PartialDrops;
}

/** One Lloyd step's statistics, from {@link kmeansStatsAggregate}; frozen. */
export interface KMeansStats {
  /** Rows nearest to each centroid. */
  readonly counts: Int32Array;
  /** Per centroid, the sum of each feature over its rows (clustering space). */
  readonly sums: readonly (readonly number[])[];
  /** The means of the rows of each centroid: the next step's centroids; a centroid with no row stays as given. */
  readonly centroids: readonly (readonly number[])[];
  /** Σ of squared distances of the rows to their nearest centroid, in total and per centroid. */
  readonly inertia: number;
  readonly clusterInertia: Float64Array;
  /** Input rows, rows kept and rows dropped (`invalidValue`: a missing or non-finite feature). */
  readonly rows: DropReport;
}

interface Resolved {
  columns: string[];
  centroids: Float64Array;
  k: number;
  d: number;
  center: Float64Array;
  inverseScale: Float64Array;
}

function resolve(options: KMeansStatsOptions, fn: string): Resolved {
  const columns = options?.columns;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option columns must be a non-empty array of numeric column names (found ${describeValue(columns)}); e.g. ['recency', 'frequency']`,
    );
  }
  const d = columns.length;
  const given = options.centroids;
  if (
    !Array.isArray(given) ||
    given.length === 0 ||
    !given.every((c) => Array.isArray(c) && c.length === d && c.every((v) => Number.isFinite(v)))
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option centroids must be k ≥ 1 arrays of ${d} finite numbers, one per column (found ${describeValue(given)}); ` +
        `pass e.g. a segmentation's scaledCentroids with its scaling`,
    );
  }
  const k = given.length;
  const centroids = new Float64Array(k * d);
  given.forEach((c, j) => centroids.set(c, j * d));
  const center = new Float64Array(d);
  const inverseScale = new Float64Array(d).fill(1);
  if (options.scaling !== undefined) {
    const { center: c, scale: s } = options.scaling;
    const ok =
      Array.isArray(c) &&
      Array.isArray(s) &&
      c.length === d &&
      s.length === d &&
      c.every(Number.isFinite) &&
      s.every((v) => Number.isFinite(v) && v !== 0);
    if (!ok) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option scaling must hold ${d} finite centers and ${d} non-zero scales (found ${describeValue(options.scaling)}); pass a segmentation's scaling`,
      );
    }
    center.set(c);
    for (let f = 0; f < d; f++) inverseScale[f] = 1 / s[f];
  }
  return { columns: [...columns], centroids, k, d, center, inverseScale };
}

function init(options: KMeansStatsOptions): KMeansStatsPartial {
  const { k, d } = resolve(options, 'kmeansStats');
  return {
    kind: 'kmeansStats',
    k,
    d,
    counts: new Float64Array(k),
    sums: new Float64Array(k * d),
    sumsCompensation: new Float64Array(k * d),
    inertia: new Float64Array(k),
    inertiaCompensation: new Float64Array(k),
    drops: NO_DROPS,
  };
}

/**
 * One Lloyd step's statistics of a batch, with the kernel of `kmeans` (`kmeans-blocks.ts`): the rows with finite
 * features are scaled into a block of at most BLOCK_ROWS rows, assigned by `assignNearest`, and added in row order
 * by `accumulateClusters` (compensated); each row's squared distance goes to its centroid's compensated inertia.
 */
function summarize(batch: RecordBatch | Table, options: KMeansStatsOptions): KMeansStatsPartial {
  const fn = 'kmeansStats';
  const table = asTable(batch);
  const o = resolve(options, fn);
  const { k, d, centroids, center, inverseScale } = o;
  const columns = o.columns.map((c) => readNumeric(table, c, fn, 'columns').values);
  const n = table.numRows;
  const p = init(options);
  const drops = new DropCounter();
  const rows = Math.min(n, BLOCK_ROWS);
  const z = new Float64Array(rows * d);
  const labels = new Int32Array(rows);
  const distance = new Float64Array(rows);
  for (let begin = 0; begin < n; begin += BLOCK_ROWS) {
    const m = scaleRows(columns, begin, Math.min(n, begin + BLOCK_ROWS), center, inverseScale, z, drops);
    assignNearest(z, 0, m, d, centroids, k, labels, distance);
    accumulateClusters(z, 0, m, d, labels, p.sums, p.counts, p.sumsCompensation);
    for (let r = 0; r < m; r++) addCompensated(p.inertia, p.inertiaCompensation, labels[r], distance[r]);
  }
  return { ...p, drops: partialDrops(n, drops) };
}

/**
 * Rows begin … end − 1 with every feature finite, scaled (z = (x − center) · inverseScale) into consecutive rows of
 * `z`; the others are dropped (`invalidValue`). Returns the number of rows written.
 */
function scaleRows(
  columns: readonly Float64Array[],
  begin: number,
  end: number,
  center: Float64Array,
  inverseScale: Float64Array,
  z: Float64Array,
  drops: DropCounter,
): number {
  const d = columns.length;
  let m = 0;
  for (let i = begin; i < end; i++) {
    let finite = true;
    const base = m * d;
    for (let f = 0; f < d; f++) {
      const x = columns[f][i];
      if (!isAdmissible(x)) finite = false; // the admission policy: NaN (null) or ±Infinity
      z[base + f] = (x - center[f]) * inverseScale[f];
    }
    if (finite) m++;
    else drops.drop('invalidValue', i);
  }
  return m;
}

function merge(a: KMeansStatsPartial, b: KMeansStatsPartial): KMeansStatsPartial {
  if (a.k !== b.k || a.d !== b.d) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `kmeansStats: cannot merge partials of ${a.k}×${a.d} and ${b.k}×${b.d} centroids; summarize every batch with the same options`,
    );
  }
  const sums = a.sums.slice();
  const sumsCompensation = a.sumsCompensation.slice();
  for (let at = 0; at < sums.length; at++) {
    addCompensated(sums, sumsCompensation, at, b.sums[at]);
    sumsCompensation[at] += b.sumsCompensation[at];
  }
  const inertia = a.inertia.slice();
  const inertiaCompensation = a.inertiaCompensation.slice();
  for (let j = 0; j < a.k; j++) {
    addCompensated(inertia, inertiaCompensation, j, b.inertia[j]);
    inertiaCompensation[j] += b.inertiaCompensation[j];
  }
  const counts = Float64Array.from(a.counts, (c, j) => c + b.counts[j]);
  return {
    kind: 'kmeansStats',
    k: a.k,
    d: a.d,
    counts,
    sums,
    sumsCompensation,
    inertia,
    inertiaCompensation,
    drops: mergeDrops(a.drops, b.drops),
  };
}

function finish(p: KMeansStatsPartial, options: KMeansStatsOptions): KMeansStats {
  const fn = 'kmeansStats';
  const { k, d, centroids } = resolve(options, fn);
  if (p.drops.rows > 0 && droppedTotal(p.drops) === p.drops.rows) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: every one of ${p.drops.rows} rows lacks a finite value in a feature column; check the columns`,
    );
  }
  const sums: number[][] = [];
  const means: number[][] = [];
  const clusterInertia = new Float64Array(k);
  let inertia = 0;
  for (let j = 0; j < k; j++) {
    const s: number[] = [];
    const m: number[] = [];
    for (let f = 0, at = j * d; f < d; f++, at++) {
      s.push(p.sums[at] + p.sumsCompensation[at]);
      m.push(p.counts[j] > 0 ? s[f] / p.counts[j] : centroids[at]);
    }
    sums.push(s);
    means.push(m);
    clusterInertia[j] = p.inertia[j] + p.inertiaCompensation[j];
    inertia += clusterInertia[j];
  }
  const drops = dropCounter(p.drops);
  const rows: DropReport = {
    rows: p.drops.rows,
    kept: p.drops.rows - drops.total,
    dropped: { ...drops.counts },
    firstRow: { ...drops.first },
    total: drops.total,
  };
  return deepFreeze({ counts: Int32Array.from(p.counts), sums, centroids: means, inertia, clusterInertia, rows });
}

/**
 * The sufficient statistics of one Lloyd (k-means) step as a mergeable aggregate: given centroids, each row with
 * finite features is assigned to the nearest (squared Euclidean distance in the clustering space, ties to the
 * lowest index), and per centroid the rows, the sum of each feature and the sum of squared distances are
 * accumulated (compensated). `finish` returns the counts, sums, the new centroids (means; a centroid without rows
 * stays where it was) and the inertia — so k-means can run over a stream or across workers, one pass per step.
 *
 * Cost: O(rows · k · d) per `summarize`; partials are O(k · d).
 *
 * @example
 * const points = asTable({ x: [0, 1, 9, 11], y: [0, 1, 10, 10] });
 * const o = { columns: ['x', 'y'], centroids: [[0, 0], [10, 10]] };
 * const stats = kmeansStatsAggregate.finish(kmeansStatsAggregate.summarize(points, o), o);
 * stats.counts; // Int32Array [2, 2]
 * stats.centroids; // [[0.5, 0.5], [10, 10]]
 * stats.inertia; // 4
 */
export const kmeansStatsAggregate: MergeableAggregate<KMeansStatsPartial, KMeansStatsOptions, KMeansStats> =
  Object.freeze({
    init,
    summarize,
    merge,
    finish,
  });
