/**
 * Data of the k-means benchmark (`kmeans.bench.ts`): seeded Gaussian blobs, z-scored.
 *
 * {@link gaussianBlobs}: `centres` centres drawn N(0, 3²) independently in every dimension, then n rows, each from a
 * centre picked uniformly at random plus unit Gaussian noise in every dimension; finally every column is z-scored
 * with the divisor n (the data are then already on the scale `kmeans(…, { standardize: 'zscore' })` would give, so
 * the benchmark runs clientele with `standardize: 'none'` and scikit-learn on the same numbers). Draws come from
 * `randomSource(seed)` in a fixed order: the centres row by row, then for every row its centre and its d noises.
 *
 * The result has the columns as `Float64Array`s (clientele's input, as an object of columns `f0 … f{d−1}`) and a
 * row-major copy (`rowMajor[i * d + j]`), which is what `kmeans_sklearn.py` reads from a little-endian file and what
 * the `number[][]` of ml-kmeans is built from.
 */
import { writeFileSync } from 'node:fs';
import { randomSource } from '../src/math/internal';

export const BLOB_SEED = 2024;
/** Seed of the small warm-up data (a different draw, so the timed run learns nothing from it). */
export const WARMUP_SEED = 7;
export const BLOB_CENTRES = 8;
/** Standard deviation of the centres' coordinates; the noise has standard deviation 1. */
export const CENTRE_SD = 3;

export interface Blobs {
  readonly n: number;
  readonly d: number;
  /** Column names `f0 … f{d−1}`. */
  readonly names: readonly string[];
  /** The z-scored columns by name (clientele's input). */
  readonly columns: Record<string, Float64Array>;
  /** The same values row-major: row i at `rowMajor[i * d … i * d + d − 1]`. */
  readonly rowMajor: Float64Array;
  /** The generating centre of every row (0 … centres − 1). */
  readonly truth: Int32Array;
  /** The generating centres before z-scoring, `centres × d`, row-major. */
  readonly centres: Float64Array;
}

/** n rows of d-dimensional Gaussian blobs around `centres` seeded centres, z-scored (divisor n). O(n · d). */
export function gaussianBlobs(n: number, d: number, seed = BLOB_SEED, centres = BLOB_CENTRES): Blobs {
  const rng = randomSource(seed);
  const centre = new Float64Array(centres * d);
  for (let c = 0; c < centres * d; c++) centre[c] = CENTRE_SD * rng.normal();
  const names = Array.from({ length: d }, (_, j) => `f${j}`);
  const cols = names.map(() => new Float64Array(n));
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centres);
    truth[i] = c;
    for (let j = 0; j < d; j++) cols[j][i] = centre[c * d + j] + rng.normal();
  }
  const rowMajor = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const x = cols[j];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
    const inv = 1 / Math.sqrt(ss / n);
    for (let i = 0; i < n; i++) {
      const z = (x[i] - mean) * inv;
      x[i] = z;
      rowMajor[i * d + j] = z;
    }
  }
  return {
    n,
    d,
    names,
    columns: Object.fromEntries(names.map((name, j) => [name, cols[j]])),
    rowMajor,
    truth,
    centres: centre,
  };
}

/** Writes the row-major values as little-endian float64 (the platform's order on x64 and arm64), n · d values. */
export function writeRowMajor(file: string, blobs: Blobs): void {
  writeFileSync(file, new Uint8Array(blobs.rowMajor.buffer, blobs.rowMajor.byteOffset, blobs.rowMajor.byteLength));
}

/** The rows as arrays of numbers, the input ml-kmeans takes. */
export function rowArrays(blobs: Blobs): number[][] {
  const { n, d, rowMajor } = blobs;
  const out = new Array<number[]>(n);
  for (let i = 0; i < n; i++) out[i] = Array.from(rowMajor.subarray(i * d, i * d + d));
  return out;
}
