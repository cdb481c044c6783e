import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue, DropCounter, isAdmissible, readNumeric } from '../table/internal';

/** How features are put on a common scale before distances are taken. */
export type Standardize = 'zscore' | 'minmax' | 'none';

/** The affine map from original units to the clustering space: z = (x − center) / scale, per feature. */
export interface FeatureScaling {
  readonly method: Standardize;
  readonly center: readonly number[];
  readonly scale: readonly number[];
}

/** Features of the rows kept, row-major, already scaled. */
export interface FeatureMatrix {
  /** n × d values, row i at `data[i * d … i * d + d − 1]`. */
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Input row of each kept row. */
  readonly rows: Int32Array;
  readonly scaling: FeatureScaling;
  readonly drops: DropCounter;
  /** Rows in the input. */
  readonly inputRows: number;
}

/** keep[i] = 0 where column[i] is null (NaN), NaN or infinite. */
function markNonFinite(column: Float64Array, keep: Uint8Array): void {
  const admissible = isAdmissible; // a local binding: under CommonJS (tsx) an imported name is a getter per call
  for (let i = 0; i < column.length; i++) if (!admissible(column[i])) keep[i] = 0; // the admission policy: NaN (null) or ±Infinity
}

/** Checks a feature column list. @throws {ClienteleError} `INVALID_OPTION` */
export function checkColumns(columns: unknown, fn: string): string[] {
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c.length > 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option columns must be a non-empty array of numeric column names (found ${describeValue(columns)}); e.g. ['recency', 'frequency', 'monetary']`,
    );
  }
  const seen = new Set<string>();
  for (const c of columns as string[]) {
    if (seen.has(c))
      throw new ClienteleError('INVALID_OPTION', `${fn}: option columns lists "${c}" twice; list each feature once`, {
        column: c,
      });
    seen.add(c);
  }
  return [...(columns as string[])];
}

/**
 * Reads the feature columns into one row-major `Float64Array`, leaving out (and counting as `invalidValue`) rows
 * with a null, NaN or infinite feature, and scales every feature:
 * - `'zscore'`: (x − mean) / standard deviation (divisor n), as scikit-learn's `StandardScaler`;
 * - `'minmax'`: (x − min) / (max − min);
 * - `'none'`: unchanged.
 * A constant feature gets scale 1 (it then adds nothing to any distance), as `StandardScaler` does; `scaling`
 * given explicitly (from an earlier fit) is applied as it is. Near ±1e308 every step is computed on the feature
 * times a power of two (exact), so means, squares and ranges do not overflow; with `'none'`, a feature beyond
 * ~1e150 (whose squared distances overflow) is refused.
 *
 * @throws {ClienteleError} `INVALID_VALUE` (a scaled value beyond 2^500: squared distances would overflow)
 *
 * Cost: O(n · d), two passes over the columns. With `shared`, the scaled features go to a `SharedArrayBuffer`
 * (allocated here, so never the caller's memory) that worker threads read without a copy.
 */
export function featureMatrix(
  table: Table,
  columns: readonly string[],
  method: Standardize,
  fn: string,
  given?: FeatureScaling,
  shared = false,
): FeatureMatrix {
  const d = columns.length;
  const values = columns.map((c) => readNumeric(table, c, fn, 'columns').values);
  const inputRows = table.numRows;
  const drops = new DropCounter();
  const keep = new Uint8Array(inputRows).fill(1);
  for (const column of values) markNonFinite(column, keep);
  for (let i = 0; i < inputRows; i++) if (!keep[i]) drops.drop('invalidValue', i);
  const n = inputRows - drops.total;
  const rows = new Int32Array(n);
  for (let i = 0, k = 0; i < inputRows; i++) if (keep[i]) rows[k++] = i;

  const pow2 = values.map((x, j) =>
    unitPowerOfTwo(x, rows, n, given ? Math.max(Math.abs(given.center[j]), given.scale[j]) : 0),
  );
  const scaling = given ?? fitScaling(columns, fn, values, rows, n, method, pow2);
  // Filled in row order — d input streams, one sequential output — rather than one strided pass per column, which
  // would sweep the whole output d times (measured 2× slower at 1M × 8). Each feature is taken to a power of two
  // near 1 first (exact, and 1 for ordinary data), so x − center cannot overflow near ±1e308.
  const data = shared ? new Float64Array(new SharedArrayBuffer(8 * n * d)) : new Float64Array(n * d);
  const center = Float64Array.from(scaling.center, (v, j) => v * pow2[j]);
  const inverse = Float64Array.from(scaling.scale, (v, j) => 1 / (v * pow2[j]));
  const complete = n === inputRows; // no row dropped: read the columns straight, without the row index
  for (let k = 0, at = 0; k < n; k++) {
    const src = complete ? k : rows[k];
    for (let j = 0; j < d; j++, at++) data[at] = (values[j][src] * pow2[j] - center[j]) * inverse[j];
  }
  checkDistancesFit(data, rows, d, columns, scaling.method, fn);
  return { data, n, d, rows, scaling, drops, inputRows };
}

/** Scaled values beyond this make squared distances overflow a double (2^500 squared is 2^1000). */
const LARGEST_SCALED = 2 ** 500;

/**
 * A power of two that brings the largest |value| of a feature (and of a given centre and scale) near 1 when it is
 * beyond 2^500, else 1: scaling by it is exact, so ordinary data give the same bits as without it.
 */
function unitPowerOfTwo(x: Float64Array, rows: Int32Array, n: number, alsoAbs: number): number {
  let max = alsoAbs;
  for (let k = 0; k < n; k++) max = Math.max(max, Math.abs(x[rows[k]]));
  // only downwards: centre and scale are reported in the column's units, where a scaled-up subnormal has no digits
  return max < LARGEST_SCALED ? 1 : 2 ** -Math.floor(Math.log2(max)); // ≥ 2^-1023: 1 / f stays finite
}

/**
 * The z-score or min–max scaling of the kept rows, computed on the values times `pow2` (a power of two near 1/max)
 * and mapped back, so neither the mean, the squares nor max − min overflow for values near ±1e308.
 */
function fitScaling(
  columns: readonly string[],
  fn: string,
  values: readonly Float64Array[],
  rows: Int32Array,
  n: number,
  method: Standardize,
  pow2: readonly number[],
): FeatureScaling {
  const d = values.length;
  const center = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  if (method !== 'none' && n > 0) {
    for (let j = 0; j < d; j++) {
      const x = values[j];
      const f = pow2[j];
      if (method === 'zscore') {
        let mean = 0;
        for (let k = 0; k < n; k++) mean += x[rows[k]] * f;
        mean /= n;
        let ss = 0;
        for (let k = 0; k < n; k++) {
          const dev = x[rows[k]] * f - mean;
          ss += dev * dev;
        }
        const sd = Math.sqrt(ss / n);
        center[j] = mean / f;
        scale[j] = sd > 0 ? sd / f : 1 / f; // constant: 1, or its magnitude beyond 2^500
      } else {
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < n; k++) {
          const v = x[rows[k]] * f;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        center[j] = lo / f;
        scale[j] = hi > lo ? (hi - lo) / f : 1 / f;
        if (scale[j] === Infinity) throw rangeOverflow(columns[j], lo / f, hi / f, fn);
      }
    }
  }
  return Object.freeze({ method, center: Object.freeze(center), scale: Object.freeze(scale) });
}

/** The error for a min–max range beyond the largest double. */
function rangeOverflow(column: string, lo: number, hi: number, fn: string): ClienteleError {
  return new ClienteleError(
    'INVALID_VALUE',
    `${fn}: column "${column}" spans ${lo} to ${hi}, a range that overflows a double, so standardize 'minmax' cannot scale it; ` +
      `use standardize 'zscore' or rescale the column`,
    { column },
  );
}

/**
 * Refuses features whose scaled values would make squared distances overflow (standardize `'none'` on values
 * beyond ~1e150, or a given scaling far from the data).
 *
 * @throws {ClienteleError} `INVALID_VALUE` naming the column
 */
function checkDistancesFit(
  data: Float64Array,
  rows: Int32Array,
  d: number,
  columns: readonly string[],
  method: Standardize,
  fn: string,
): void {
  for (let at = 0; at < data.length; at++) {
    const v = data[at];
    if (v < LARGEST_SCALED && v > -LARGEST_SCALED) continue;
    const column = columns[at % d];
    const row = rows[Math.floor(at / d)];
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: column "${column}" at row ${row} is ${v} in the clustering space (standardize '${method}'), so squared distances overflow a double; ` +
        `use standardize 'zscore' or 'minmax', or rescale the column`,
      { column, row },
    );
  }
}

/**
 * A value of the clustering space in the column's units, `z · scale + center`, without overflow: near ±1e308 the
 * product can pass the largest double while the result (a mean of the data) does not, so it is then taken in halves.
 */
export function toOriginalUnits(z: number, scale: number, center: number): number {
  const x = z * scale + center;
  return x - x === 0 ? x : 2 * (z * (scale / 2) + center / 2);
}
