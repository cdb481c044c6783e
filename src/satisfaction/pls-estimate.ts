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
  return {
    m,
    p: columns.length,
    blockStart,
    blockOf: Int32Array.from(blockOfList),
    columns,
    modeB,
    adjacent,
    predecessors,
    successors,
  };
}

/** Outcome of the iterative outer-weight estimation. */
export interface OuterEstimate {
  /** Final outer weight of each slot, scaled so that every latent variable score has variance 1 (divisor n). */
  readonly weights: Float64Array;
  /** Iterations run (the last one is the one that met the tolerance). */
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Means and the covariance matrix (divisor Σ counts) of the indicator slots, in two passes over the rows; with
 * `counts`, row i counts `counts[i]` times (a bootstrap resample without copying the rows).
 *
 * Cost: O(n · p²/2), rows taken in blocks of 2048 so that a block of every column stays in cache.
 */
export function covarianceOf(
  x: readonly Float64Array[],
  counts?: Int32Array,
): { means: Float64Array; cov: Float64Array } {
  const p = x.length;
  const n = x[0].length;
  const means = new Float64Array(p);
  let total = 0;
  if (counts) {
    for (let i = 0; i < n; i++) total += counts[i];
    for (let k = 0; k < p; k++) {
      const xk = x[k];
      let sum = 0;
      for (let i = 0; i < n; i++) sum += counts[i] * xk[i];
      means[k] = sum / total;
    }
  } else {
    total = n;
    for (let k = 0; k < p; k++) {
      const xk = x[k];
      let sum = 0;
      for (let i = 0; i < n; i++) sum += xk[i];
      means[k] = sum / n;
    }
  }
  const cov = new Float64Array(p * p);
  const BLOCK = 2048;
  const centred: Float64Array[] = Array.from({ length: p }, () => new Float64Array(BLOCK));
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    const len = end - start;
    for (let k = 0; k < p; k++) {
      const xk = x[k];
      const ck = centred[k];
      const mk = means[k];
      for (let i = 0; i < len; i++) ck[i] = xk[start + i] - mk;
    }
    if (counts) {
      // weight one side only: Σ c_i a_i b_i
      for (let u = 0; u < p; u++) {
        const a = centred[u];
        for (let v = u; v < p; v++) {
          const b = centred[v];
          let sum = 0;
          for (let i = 0; i < len; i++) sum += counts[start + i] * a[i] * b[i];
          cov[u * p + v] += sum;
        }
      }
    } else {
      for (let u = 0; u < p; u++) {
        const a = centred[u];
        for (let v = u; v < p; v++) cov[u * p + v] += dotPrefix(a, centred[v], len);
      }
    }
  }
  for (let u = 0; u < p; u++) {
    for (let v = u; v < p; v++) {
      const c = cov[u * p + v] / total;
      cov[u * p + v] = c;
      cov[v * p + u] = c;
    }
  }
  return { means, cov };
}

/** The correlation matrix of a covariance matrix (p × p): what the indicators' covariance becomes once they are standardised. */
export function correlationOf(cov: Float64Array, p: number): Float64Array {
  const r = new Float64Array(p * p);
  for (let u = 0; u < p; u++) {
    for (let v = 0; v < p; v++)
      r[u * p + v] = u === v ? 1 : cov[u * p + v] / Math.sqrt(cov[u * p + u] * cov[v * p + v]);
  }
  return r;
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
 * Every quantity in steps 1–6 is a linear function of the scores, so the loop runs on the indicators' covariance
 * matrix S = X'X/n alone: Var(Y_j) = w_j' S_jj w_j, cor(Y_i, Y_j) = v_i' S_ij v_j for the standardised weights v,
 * mode A w_k = Σ_i e_ij (S v_i)_k, mode B w_j = S_jj⁻¹ Σ_i e_ij S_ji v_i. The result is the same as iterating over
 * the rows, at O(p²) per iteration instead of O(n · p).
 *
 * @param cov the covariance matrix (p × p, divisor n) of the centred — and, for a standardised fit, scaled —
 *   indicator slots
 * @param n the number of respondents behind `cov`
 */
export function estimateOuterWeights(
  cov: Float64Array,
  n: number,
  s: PlsStructure,
  scheme: InnerScheme,
  tolerance: number,
  maxIterations: number,
): OuterEstimate {
  const { m, p, blockStart, modeB } = s;
  // plspm standardises the outer estimates with R's scale() (divisor n − 1) and multiplies them by √((n − 1)/n),
  // so they enter the weight update with standard deviation (n − 1)/n, not 1. The fixed point is the same, but the
  // stopping rule sees weights of that size: reproduced so that the iteration counts (and results) match.
  const shrink = (n - 1) / n;
  const w = new Float64Array(p);
  const wOld = new Float64Array(p);
  const v = new Float64Array(p); // weights of the standardised outer estimates
  const sv = new Float64Array(p * m); // (S v_i)_k at [k * m + i]
  const gram = modeBGrams(cov, s);

  w.fill(1);
  normaliseBlocks(cov, s, w, w);
  wOld.set(w);
  const e = new Float64Array(m * m);
  const r = new Float64Array(m * m);
  let iterations = 0;
  let converged = false;
  while (true) {
    iterations++;
    normaliseBlocks(cov, s, w, v);
    // S v_i for every latent variable i, then the score correlations r_ij = v_i' (S v_j).
    sv.fill(0);
    for (let k = 0; k < p; k++) {
      for (let i = 0; i < m; i++) {
        let sum = 0;
        for (let l = blockStart[i]; l < blockStart[i + 1]; l++) sum += cov[k * p + l] * v[l];
        sv[k * m + i] = sum;
      }
    }
    for (let i = 0; i < m; i++) {
      r[i * m + i] = 1;
      for (let j = i + 1; j < m; j++) {
        let c = 0;
        for (let k = blockStart[i]; k < blockStart[i + 1]; k++) c += v[k] * sv[k * m + j];
        r[i * m + j] = c;
        r[j * m + i] = c;
      }
    }
    innerWeights(r, s, scheme, e);
    for (let j = 0; j < m; j++) {
      const from = blockStart[j];
      const to = blockStart[j + 1];
      for (let k = from; k < to; k++) {
        let sum = 0;
        for (let i = 0; i < m; i++) {
          const eij = e[i * m + j];
          if (eij !== 0) sum += eij * sv[k * m + i];
        }
        w[k] = shrink * sum; // mode A: cov(X_k, Z_j)
      }
      if (modeB[j]) {
        const rhs = new Matrix(to - from, 1);
        for (let k = from; k < to; k++) rhs.set(k - from, 0, w[k]);
        const solution = gram[j]!.solve(rhs);
        for (let k = from; k < to; k++) w[k] = solution.get(k - from, 0);
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
  normaliseBlocks(cov, s, w, w);
  orientBlocks(cov, s, w);
  return { weights: w, iterations, converged };
}

/** Cholesky factors of the mode B blocks' covariance matrices S_jj (null for mode A blocks), for the weight update. */
function modeBGrams(cov: Float64Array, s: PlsStructure): (CholeskyDecomposition | null)[] {
  const { m, p, blockStart, modeB } = s;
  const gram: (CholeskyDecomposition | null)[] = [];
  for (let j = 0; j < m; j++)
    gram.push(modeB[j] ? new CholeskyDecomposition(subMatrix(cov, p, blockStart[j], blockStart[j + 1])) : null);
  return gram;
}

/**
 * Turns round, in place, the weights of each block in which more indicators correlate negatively than positively
 * with its score: Σ_k sign(cor(X_k, Y_j)) < 0. A tie (as many − as +, e.g. Russett's IND: gnpr −, labo +) keeps
 * the orientation the iteration reached from unit starting weights.
 *
 * R `plspm` (get_scores) turns the score, not the weights, when the sum is ≤ 0, so on a tie its metric fit reports
 * weights that disagree in sign with its own scores and loadings; its non-metric and available-case fit
 * (get_weights_nonmetric) turns nothing. Keeping a tie as estimated agrees with plspm's weights in both, and with
 * its scores, loadings and cross-loadings in the latter (the Russett outputs stored with plspm-python); here the
 * weights always turn with the score, so that scores stay X w.
 */
function orientBlocks(cov: Float64Array, s: PlsStructure, w: Float64Array): void {
  const { m, p, blockStart } = s;
  for (let j = 0; j < m; j++) {
    let signs = 0;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
      let c = 0;
      for (let l = blockStart[j]; l < blockStart[j + 1]; l++) c += cov[k * p + l] * w[l];
      signs += Math.sign(c);
    }
    if (signs < 0) for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] = -w[k];
  }
}

/** out = w with each block divided by the standard deviation of its score, √(w_j' S_jj w_j). */
function normaliseBlocks(cov: Float64Array, s: PlsStructure, w: Float64Array, out: Float64Array): void {
  const { m, p, blockStart } = s;
  for (let j = 0; j < m; j++) {
    let variance = 0;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
      for (let l = blockStart[j]; l < blockStart[j + 1]; l++) variance += w[k] * cov[k * p + l] * w[l];
    }
    const scale = 1 / Math.sqrt(variance);
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) out[k] = w[k] * scale;
  }
}

/** Inner weights e (m × m, e[i * m + j] weighs Y_i in Z_j) from the correlations r of the standardised Y. */
function innerWeights(r: Float64Array, s: PlsStructure, scheme: InnerScheme, e: Float64Array): void {
  const { m, adjacent, predecessors } = s;
  e.fill(0);
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
export function regressOnCorrelations(
  r: Float64Array,
  m: number,
  predictors: readonly number[],
  target: number,
): number[] {
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

function subMatrix(cov: Float64Array, p: number, from: number, to: number): Matrix {
  const q = to - from;
  const g = new Matrix(q, q);
  for (let u = 0; u < q; u++) for (let v = 0; v < q; v++) g.set(u, v, cov[(from + u) * p + from + v]);
  return g;
}

/** Σ_{i < len} a_i b_i with four accumulators (the add latency, not the loads, bounds a single-sum loop). */
function dotPrefix(a: Float64Array, b: Float64Array, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < len; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}
