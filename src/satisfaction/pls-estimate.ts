import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import type { PathModel } from './path-model';

/** How inner estimates combine the neighbouring latent variables (Lohmöller 1989, §2.3). */
export type InnerScheme = 'centroid' | 'factorial' | 'path';

/**
 * A path model as index arrays, for the estimation loops. Indicator "slots" are the indicators in block order
 * (an indicator that measures two blocks has two slots).
 */
export interface PlsStructure {
  /** Latent variables. */
  readonly m: number;
  /** Indicator slots. */
  readonly p: number;
  /** Slots of block j: `blockStart[j]` … `blockStart[j + 1] - 1`. */
  readonly blockStart: Int32Array;
  /** Block of each slot. */
  readonly blockOf: Int32Array;
  /** Column name of each slot. */
  readonly columns: readonly string[];
  /** 1 where the block is mode B. */
  readonly modeB: Uint8Array;
  /** `adjacent[from * m + to] = 1` for each path. */
  readonly adjacent: Uint8Array;
  /** Latent variables that explain j (paths into j), by j. */
  readonly predecessors: readonly (readonly number[])[];
  /** Latent variables that j explains (paths out of j), by j. */
  readonly successors: readonly (readonly number[])[];
}

/** The index form of `model`. */
export function plsStructure(model: PathModel): PlsStructure {
  const m = model.latent.length;
  const index = new Map(model.latent.map((lv, j) => [lv, j]));
  const columns: string[] = [];
  const blockStart = new Int32Array(m + 1);
  const blockOfList: number[] = [];
  const modeB = new Uint8Array(m);
  model.latent.forEach((lv, j) => {
    blockStart[j] = columns.length;
    for (const c of model.blocks[lv]) {
      columns.push(c);
      blockOfList.push(j);
    }
    modeB[j] = model.modes[lv] === 'B' ? 1 : 0;
  });
  blockStart[m] = columns.length;
  const adjacent = new Uint8Array(m * m);
  const predecessors: number[][] = model.latent.map(() => []);
  const successors: number[][] = model.latent.map(() => []);
  for (const [from, to] of model.paths) {
    const f = index.get(from)!;
    const t = index.get(to)!;
    adjacent[f * m + t] = 1;
    predecessors[t].push(f);
    successors[f].push(t);
  }
  for (const list of predecessors) list.sort((a, b) => a - b);
  for (const list of successors) list.sort((a, b) => a - b);
  return { m, p: columns.length, blockStart, blockOf: Int32Array.from(blockOfList), columns, modeB, adjacent, predecessors, successors };
}

/** Outcome of the iterative outer-weight estimation. */
export interface OuterEstimate {
  /** Final outer weight of each slot, scaled so that every latent variable score has variance 1 (divisor n). */
  readonly weights: Float64Array;
  /** Latent variable scores Y_j = Σ w_k X_k, mean 0, variance 1 (divisor n), one array of n per latent variable. */
  readonly scores: Float64Array[];
  /** Iterations run (the last one is the one that met the tolerance). */
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Wold's iterative PLS algorithm for the outer weights, in Lohmöller's form as R `plspm` runs it (Sanchez 2013,
 * §3; Tenenhaus et al. 2005, §2.2).
 *
 * With centred indicators X (standardised or not) and one weight per indicator:
 * 1. start from unit weights scaled so that each outer estimate Y_j = Σ_{k∈j} w_k X_k has variance 1;
 * 2. standardise the outer estimates Y_j;
 * 3. inner weights e_ij for adjacent i, j: centroid sign(cor(Y_i, Y_j)); factorial cor(Y_i, Y_j); path:
 *    for i a predecessor of j the coefficient of Y_i in the regression of Y_j on all its predecessors, for i a
 *    successor of j cor(Y_i, Y_j);
 * 4. inner estimates Z_j = Σ_i e_ij Y_i;
 * 5. new weights: mode A w_k = (1/n) Σ_rows Z_j X_k (covariance); mode B the least-squares coefficients of Z_j on
 *    the block's indicators;
 * 6. stop when Σ_k (|w_k^old| − |w_k^new|)² < tolerance; finally scale each block's weights so that Y_j has
 *    variance 1 (divisor n).
 *
 * Cost: O(iterations · n · (indicators + paths)); mode B adds one p_j × p_j Gram matrix per block.
 *
 * @param x centred indicator columns, one per slot (length n each); never written to
 */
export function estimateOuterWeights(
  x: readonly Float64Array[],
  s: PlsStructure,
  scheme: InnerScheme,
  tolerance: number,
  maxIterations: number,
): OuterEstimate {
  const n = x[0].length;
  const { m, p, blockStart, modeB } = s;
  const w = new Float64Array(p);
  const wOld = new Float64Array(p);
  const y: Float64Array[] = [];
  const z: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    y.push(new Float64Array(n));
    z.push(new Float64Array(n));
  }
  // Mode B: the Cholesky factor of each block's Gram matrix X_j'X_j, once.
  const gram: (CholeskyDecomposition | null)[] = [];
  for (let j = 0; j < m; j++) gram.push(modeB[j] ? new CholeskyDecomposition(gramMatrix(x, blockStart[j], blockStart[j + 1])) : null);

  w.fill(1);
  for (let j = 0; j < m; j++) {
    outerScore(x, w, blockStart[j], blockStart[j + 1], y[j]);
    const scale = 1 / populationSd(y[j]);
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] = scale;
  }
  wOld.set(w);
  const e = new Float64Array(m * m);
  const r = new Float64Array(m * m);
  let iterations = 0;
  let converged = false;
  while (true) {
    iterations++;
    for (let j = 0; j < m; j++) {
      outerScore(x, w, blockStart[j], blockStart[j + 1], y[j]);
      standardise(y[j]);
    }
    innerWeights(y, s, scheme, r, e);
    for (let j = 0; j < m; j++) {
      const zj = z[j];
      zj.fill(0);
      for (let i = 0; i < m; i++) {
        const eij = e[i * m + j];
        if (eij === 0) continue;
        const yi = y[i];
        for (let row = 0; row < n; row++) zj[row] += eij * yi[row];
      }
    }
    for (let j = 0; j < m; j++) {
      const zj = z[j];
      if (modeB[j]) {
        const rhs = new Matrix(blockStart[j + 1] - blockStart[j], 1);
        for (let k = blockStart[j]; k < blockStart[j + 1]; k++) rhs.set(k - blockStart[j], 0, dot(x[k], zj));
        const solution = gram[j]!.solve(rhs);
        for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] = solution.get(k - blockStart[j], 0);
      } else {
        for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] = dot(x[k], zj) / n;
      }
    }
    let change = 0;
    for (let k = 0; k < p; k++) {
      const d = Math.abs(wOld[k]) - Math.abs(w[k]);
      change += d * d;
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    wOld.set(w);
  }
  for (let j = 0; j < m; j++) {
    outerScore(x, w, blockStart[j], blockStart[j + 1], y[j]);
    const scale = 1 / populationSd(y[j]);
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] *= scale;
    const yj = y[j];
    for (let row = 0; row < n; row++) yj[row] *= scale;
  }
  return { weights: w, scores: y, iterations, converged };
}

/** Y = Σ_{k in [from, to)} w_k X_k into `out`. */
function outerScore(x: readonly Float64Array[], w: Float64Array, from: number, to: number, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  for (let k = from; k < to; k++) {
    const xk = x[k];
    const wk = w[k];
    for (let row = 0; row < n; row++) out[row] += wk * xk[row];
  }
}

/** Inner weights e (m × m, e[i * m + j] weighs Y_i in Z_j) from the correlations r of the standardised Y. */
function innerWeights(y: readonly Float64Array[], s: PlsStructure, scheme: InnerScheme, r: Float64Array, e: Float64Array): void {
  const { m, adjacent, predecessors } = s;
  const n = y[0].length;
  e.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (!adjacent[i * m + j] && !adjacent[j * m + i] && scheme !== 'path') continue;
      const c = dot(y[i], y[j]) / n;
      r[i * m + j] = c;
      r[j * m + i] = c;
    }
    r[i * m + i] = 1;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (!adjacent[i * m + j] && !adjacent[j * m + i]) continue;
      const c = r[i * m + j];
      if (scheme === 'centroid') e[i * m + j] = Math.sign(c);
      else if (scheme === 'factorial') e[i * m + j] = c;
      else if (adjacent[j * m + i]) e[i * m + j] = c; // i follows j: correlation
    }
  }
  if (scheme !== 'path') return;
  // i precedes j: regression coefficients of Y_j on all of j's predecessors.
  for (let j = 0; j < m; j++) {
    const pred = predecessors[j];
    if (pred.length === 0) continue;
    const beta = regressOnCorrelations(r, m, pred, j);
    for (let a = 0; a < pred.length; a++) e[pred[a] * m + j] = beta[a];
  }
}

/** Standardised regression coefficients of variable `target` on `predictors`, from correlation matrix r (m × m). */
export function regressOnCorrelations(r: Float64Array, m: number, predictors: readonly number[], target: number): number[] {
  const q = predictors.length;
  const a = new Matrix(q, q);
  const b = new Matrix(q, 1);
  for (let u = 0; u < q; u++) {
    for (let v = 0; v < q; v++) a.set(u, v, r[predictors[u] * m + predictors[v]]);
    b.set(u, 0, r[predictors[u] * m + target]);
  }
  const beta = solve(a, b);
  return beta.getColumn(0);
}

function gramMatrix(x: readonly Float64Array[], from: number, to: number): Matrix {
  const q = to - from;
  const g = new Matrix(q, q);
  for (let u = 0; u < q; u++) {
    for (let v = u; v < q; v++) {
      const d = dot(x[from + u], x[from + v]);
      g.set(u, v, d);
      g.set(v, u, d);
    }
  }
  return g;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Population standard deviation (divisor n) of a centred-or-not column. */
export function populationSd(a: Float64Array): number {
  const n = a.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/** Centres `a` and scales it to variance 1 (divisor n), in place. */
function standardise(a: Float64Array): void {
  const n = a.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    ss += d * d;
  }
  const scale = 1 / Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) a[i] = (a[i] - mean) * scale;
}
