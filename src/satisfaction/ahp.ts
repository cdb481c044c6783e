import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';

/** How {@link ahpWeights} derives weights from the comparisons. */
export type AhpMethod = 'eigenvector' | 'geometric-mean';

/** Options of {@link ahpWeights}. */
export interface AhpOptions {
  /** `'eigenvector'` (Saaty's principal right eigenvector, the default) or `'geometric-mean'` (row geometric means). */
  method?: AhpMethod;
  /** The matrix counts as consistent when CR is below this. Default 0.1 (Saaty's 10 % rule). */
  consistencyThreshold?: number;
  /** Random index to divide CI by, instead of Saaty's table (needed for matrices larger than 15 × 15). */
  randomIndex?: number;
}

/** The result of {@link ahpWeights}; frozen. */
export interface AhpResult {
  /** One weight per row of the matrix, positive, summing to 1. */
  readonly weights: readonly number[];
  /** λmax, the principal (Perron) eigenvalue of the matrix; ≥ n, and = n exactly when the matrix is consistent. */
  readonly lambdaMax: number;
  /** CI = (λmax − n)/(n − 1); 0 for n ≤ 2. */
  readonly consistencyIndex: number;
  /** RI, the mean CI of random reciprocal matrices of this size (Saaty's table) or `options.randomIndex`. */
  readonly randomIndex: number;
  /** CR = CI/RI; 0 for n ≤ 2 (every 1 × 1 and 2 × 2 reciprocal matrix is consistent). */
  readonly consistencyRatio: number;
  /** CR < `consistencyThreshold` (0.1). */
  readonly consistent: boolean;
}

/**
 * Saaty's random consistency index RI for n = 1 … 15: the mean CI of random reciprocal matrices with entries from
 * the 1/9 … 9 scale (Saaty 2005, Theory and Applications of the Analytic Network Process, p. 31).
 */
const RANDOM_INDEX = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59] as const;

const METHODS: readonly AhpMethod[] = ['eigenvector', 'geometric-mean'];

/** How far a_ij · a_ji may be from 1 (a relative tolerance on a_ji = 1/a_ij), and a_ii from 1. */
const RECIPROCAL_TOLERANCE = 1e-9;

/**
 * Checks a positive reciprocal matrix and returns it flat (row-major). `what` names the matrix in messages
 * (`matrix`, `groups.spend.comparison` …).
 *
 * @throws {ClienteleError} `INVALID_VALUE` naming the row and column of the first offending entry
 */
export function checkPairwiseMatrix(matrix: unknown, fn: string, what: string): { values: Float64Array; n: number } {
  const fix = 'give a square matrix of positive ratios with a_ii = 1 and a_ji = 1/a_ij';
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: ${what} must be a non-empty array of rows (found ${describeValue(matrix)}); ${fix}`,
    );
  }
  const n = matrix.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i] as ArrayLike<unknown> | null | undefined;
    const length = row !== null && typeof row === 'object' && typeof row.length === 'number' ? row.length : -1;
    if (length !== n) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: ${what} row ${i} has ${length < 0 ? 'no entries' : `${length} entries`} but the matrix has ${n} rows (found ${describeValue(row)}); ${fix}`,
        { row: i },
      );
    }
    for (let j = 0; j < n; j++) {
      const v = (row as ArrayLike<unknown>)[j];
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: ${what} entry at row ${i}, column ${j} must be a positive finite number (found ${describeValue(v)}); ${fix}`,
          { row: i },
        );
      }
      values[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    const d = values[i * n + i];
    if (Math.abs(d - 1) > RECIPROCAL_TOLERANCE) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: ${what} diagonal entry at row ${i}, column ${i} must be 1 (found ${d}); ${fix}`,
        { row: i },
      );
    }
    for (let j = i + 1; j < n; j++) {
      const a = values[i * n + j];
      const b = values[j * n + i];
      if (Math.abs(a * b - 1) > RECIPROCAL_TOLERANCE) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: ${what} is not reciprocal at row ${j}, column ${i} (found ${b}, expected 1/${a} = ${1 / a} from row ${i}, column ${j}); ${fix}`,
          { row: j },
        );
      }
    }
  }
  return { values, n };
}

/** {@link AhpOptions} with their defaults filled in. */
export interface ResolvedAhpOptions {
  readonly method: AhpMethod;
  readonly consistencyThreshold: number;
  readonly randomIndex: number | undefined;
}

/** Validates the options of {@link ahpWeights}. @throws {ClienteleError} `INVALID_OPTION` */
export function resolveAhpOptions(options: AhpOptions, fn: string): ResolvedAhpOptions {
  const method = options.method ?? 'eigenvector';
  if (!METHODS.includes(method)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option method must be 'eigenvector' or 'geometric-mean' (found ${describeValue(method)}); leave it out for the eigenvector`,
    );
  }
  const consistencyThreshold = options.consistencyThreshold ?? 0.1;
  if (
    typeof consistencyThreshold !== 'number' ||
    !(consistencyThreshold > 0) ||
    !Number.isFinite(consistencyThreshold)
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option consistencyThreshold must be a positive number (found ${describeValue(consistencyThreshold)}); Saaty's rule is 0.1`,
    );
  }
  const ri = options.randomIndex;
  if (ri !== undefined && (typeof ri !== 'number' || !(ri > 0) || !Number.isFinite(ri))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option randomIndex must be a positive number (found ${describeValue(ri)}); leave it out for Saaty's table`,
    );
  }
  return { method, consistencyThreshold, randomIndex: ri };
}

/**
 * The principal right eigenvector of a positive matrix (sum 1) and its eigenvalue: ml-matrix's eigen-decomposition,
 * then polished by power iteration (w ← Aw/ΣAw), which for a positive matrix converges to the same Perron vector
 * and makes a consistent matrix give back its weights to the last bits.
 */
function perron(values: Float64Array, n: number): { w: Float64Array; lambda: number } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows));
  const re = evd.realEigenvalues;
  let k = 0;
  for (let i = 1; i < n; i++) if (re[i] > re[k]) k = i; // the Perron root is real and the largest (Perron–Frobenius)
  let w = Float64Array.from(evd.eigenvectorMatrix.getColumn(k));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i];
  for (let i = 0; i < n; i++) w[i] = Math.abs(w[i] / sum);
  let lambda = re[k];
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < 100; iteration++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += values[i * n + j] * w[j];
      next[i] = s;
      total += s;
    }
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= total;
      change = Math.max(change, Math.abs(next[i] - w[i]) / next[i]);
    }
    lambda = total; // Σ_i (Aw)_i with Σ w = 1: the Rayleigh-type estimate that equals λmax at the fixed point
    [w, next] = [next, w];
    if (change <= 4e-16) break;
  }
  return { w, lambda };
}

/**
 * The trusted core of {@link ahpWeights}: weights and consistency of a checked matrix (flat, row-major).
 */
export function ahpCore(values: Float64Array, n: number, options: ResolvedAhpOptions, fn: string): AhpResult {
  const { w: eigen, lambda } = perron(values, n);
  let weights: Float64Array;
  switch (options.method) {
    case 'eigenvector':
      weights = eigen;
      break;
    case 'geometric-mean': {
      // w_i ∝ (Π_j a_ij)^(1/n), in log space so that large matrices of 9s do not overflow
      weights = new Float64Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        let logSum = 0;
        for (let j = 0; j < n; j++) logSum += Math.log(values[i * n + j]);
        weights[i] = Math.exp(logSum / n);
        total += weights[i];
      }
      for (let i = 0; i < n; i++) weights[i] /= total;
      break;
    }
    default: {
      const never: never = options.method;
      return never;
    }
  }
  let randomIndex: number;
  if (options.randomIndex !== undefined) randomIndex = options.randomIndex;
  else if (n <= RANDOM_INDEX.length) randomIndex = RANDOM_INDEX[n - 1];
  else {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: the matrix has ${n} rows but Saaty's random index table stops at 15 (found n = ${n}); pass options.randomIndex ` +
        `(e.g. from Donegan & Dodd 1991) or compare fewer elements`,
    );
  }
  // λmax ≥ n for every positive reciprocal matrix; the clamp only removes rounding below n
  const consistencyIndex = n <= 2 ? 0 : Math.max(0, (lambda - n) / (n - 1));
  const consistencyRatio = n <= 2 ? 0 : consistencyIndex / randomIndex;
  return Object.freeze({
    weights: Object.freeze(Array.from(weights)),
    lambdaMax: n <= 2 ? n : Math.max(n, lambda),
    consistencyIndex,
    randomIndex,
    consistencyRatio,
    consistent: consistencyRatio < options.consistencyThreshold,
  });
}

/** The options ahpWeights takes; every other name is refused with a did-you-mean. */
const AHP_WEIGHTS_OPTION_NAMES = optionNames<AhpOptions>({
  method: true,
  consistencyThreshold: true,
  randomIndex: true,
});

/**
 * Weights from pairwise comparisons by Saaty's analytic hierarchy process (AHP): an expert says how many times
 * more important element i is than element j (1 = equal, 3 = moderately, 5 = strongly, 7 = very strongly,
 * 9 = extremely more important), and the weights are those whose ratios w_i/w_j best agree with the judgements.
 * Analysts use it to weight the indicators of a loyalty or satisfaction index from a manager's judgements, and
 * to check that those judgements hang together.
 *
 * Formulas: A = (a_ij) positive reciprocal (a_ji = 1/a_ij, a_ii = 1). Eigenvector method: Aw = λmax·w, w the
 * principal right eigenvector normalised to sum 1 (ml-matrix's eigen-decomposition, polished by power iteration).
 * Geometric-mean method: w_i ∝ (Π_j a_ij)^(1/n). Either way λmax is the principal eigenvalue of A, so CI and CR
 * describe the judgements, not the weighting method: CI = (λmax − n)/(n − 1), CR = CI/RI with Saaty's random
 * index RI (n = 1 … 15: 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
 * CI = CR = 0 for n ≤ 2, and `consistent` = CR < 0.1. An inconsistent matrix is reported, not rejected.
 * A consistent matrix (a_ij = w_i/w_j) gives back w with λmax = n and CR = 0.
 *
 * Units: weights are shares (sum 1); λmax, CI and CR are pure numbers.
 * Cost: O(n³) for the eigen-decomposition; n is the number of elements compared (at most a dozen in practice).
 * References: T. L. Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill; T. L. Saaty (1990), "How to make a
 * decision: the analytic hierarchy process", European Journal of Operational Research 48, 9–26 (the house
 * example: λmax = 9.669, CI = 0.238, CR = 0.169).
 *
 * @param matrix the n × n comparison matrix, row i against column j (not modified)
 * @param options `method` ('eigenvector'), `consistencyThreshold` (0.1), `randomIndex` (Saaty's table)
 * @throws {ClienteleError} `INVALID_VALUE` for a matrix that is not square, positive or reciprocal (the row and
 * column are named) or larger than 15 × 15 without `randomIndex`; `INVALID_OPTION`
 * @example
 * const criteria = ahpWeights([[1, 4, 3, 7], [1 / 4, 1, 1 / 3, 3], [1 / 3, 3, 1, 5], [1 / 7, 1 / 3, 1 / 5, 1]]);
 * criteria.weights.map((w) => Math.round(w * 100) / 100); // [0.55, 0.13, 0.27, 0.06]
 * criteria.consistent; // true
 * ahpWeights([[1, 2], [1 / 2, 1]]).weights; // [0.6666666666666666, 0.3333333333333333]
 */
export function ahpWeights(matrix: ReadonlyArray<ArrayLike<number>>, options: AhpOptions = {}): AhpResult {
  options = knownOptions(options, AHP_WEIGHTS_OPTION_NAMES, 'ahpWeights');
  const fn = 'ahpWeights';
  const resolved = resolveAhpOptions(options ?? {}, fn);
  const { values, n } = checkPairwiseMatrix(matrix, fn, 'matrix');
  return ahpCore(values, n, resolved, fn);
}
