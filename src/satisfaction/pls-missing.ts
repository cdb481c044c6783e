import { Matrix, solve } from 'ml-matrix';
import { ClienteleError, nullRecord } from '../table/internal';
import { regressOnCorrelations } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';

/**
 * How plsPathModel treats a missing (null or NaN) answer:
 * - `'listwise'`: the respondent is left out (counted in `rows.dropped.missingAnswer`);
 * - `'mean'`: the answer is replaced by its question's mean over the answers present;
 * - `'available'`: available-case estimation as R `plspm` runs it (see `availableCaseFit` in pls-missing.ts).
 */
export type MissingTreatment = 'listwise' | 'mean' | 'available';

/** The missing answers a fit imputed (`'mean'`) or worked around (`'available'`). */
export interface PlsMissingReport {
  readonly treatment: MissingTreatment;
  /**
   * Missing answers among the respondents kept, by question column: imputed by the question's mean (`'mean'`) or
   * left out of the respondent's block score (`'available'`); 0 for every question under `'listwise'`.
   */
  readonly answers: Readonly<Record<string, number>>;
  /** Σ answers. */
  readonly total: number;
}

/** The report of `answers` missing answers by question column under `treatment`; frozen. */
export function missingReport(
  treatment: MissingTreatment,
  columns: readonly string[],
  answers: ArrayLike<number>,
): PlsMissingReport {
  const byColumn: Record<string, number> = nullRecord();
  let total = 0;
  columns.forEach((c, u) => {
    byColumn[c] = answers[u];
    total += answers[u];
  });
  return Object.freeze({ treatment, answers: Object.freeze(byColumn), total });
}

/**
 * Mean imputation: a copy of each column with every NaN replaced by the mean of the column's other values
 * (Σ present / count present). Returns the copies and the number of values replaced per column.
 * Cost: O(n) per column.
 */
export function imputeMeans(columns: readonly Float64Array[]): { imputed: Float64Array[]; counts: Int32Array } {
  const counts = new Int32Array(columns.length);
  const imputed = columns.map((x, u) => {
    let sum = 0;
    let present = 0;
    for (let i = 0; i < x.length; i++) {
      if (x[i] === x[i]) {
        sum += x[i];
        present++;
      }
    }
    const mean = sum / present;
    const out = Float64Array.from(x);
    for (let i = 0; i < out.length; i++) if (out[i] !== out[i]) out[i] = mean;
    counts[u] = x.length - present;
    return out;
  });
  return { imputed, counts };
}

/** Pearson correlation of x and y over the rows where both are present (NaN when fewer than two such rows). */
function pairwiseCorrelation(x: Float64Array, y: Float64Array): number {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i] && y[i] === y[i]) {
      count++;
      sx += x[i];
      sy += y[i];
    }
  }
  if (count < 2) return NaN;
  const mx = sx / count;
  const my = sy / count;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i] && y[i] === y[i]) {
      const dx = x[i] - mx;
      const dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** An available-case fit: what plsPathModel reads of it (the fields of its complete-data core fit) and the scores. */
export interface AvailableCaseFit {
  /** Outer weights by slot, normalised as `plspm` does (see {@link availableCaseFit}). */
  readonly weights: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Correlation matrix of the scores, m × m. */
  readonly correlation: Float64Array;
  /** Path coefficients, `path[from * m + to]`. */
  readonly path: Float64Array;
  /** R² by latent variable (NaN for exogenous ones). */
  readonly rSquared: Float64Array;
  /** Loading of each slot on its own latent variable (correlation over the respondents who answered). */
  readonly loadings: Float64Array;
  /** `[slot * m + lv]`, correlations over the respondents who answered the slot's question. */
  readonly crossLoadings: Float64Array;
  /** Latent variable scores by latent variable (mean 0, variance 1 with divisor n). */
  readonly scores: Float64Array[];
}

/**
 * Available-case PLS path modelling: the missing-data treatment of R `plspm` (Sanchez, Trinchera & Russolillo,
 * `get_weights_nonmetric`, run whenever `scaling` is given, here with every indicator numeric), which follows
 * Lohmöller's (1989, §2.4) NIPALS-style estimation in which each least-squares step uses the data present.
 *
 * With x_ik the answer of respondent i to indicator k (missing or not), the indicators are centred on the mean of
 * the answers present and, when `scaled`, divided by their standard deviation over them (divisor n_k, the count of
 * answers present). Starting from weights w_k = 1/√q_j in each block j of q_j indicators, repeat:
 * 1. inner weights e_ij from the current scores Y (centroid: sign cor; factorial: cov with divisor n − 1; path:
 *    no-intercept regression coefficients of Y_j on its predecessors, correlations with its successors) and inner
 *    estimates Z_j = Σ_i e_ij Y_i;
 * 2. mode A outer weights, each the regression of the indicator on Z_j over the respondents who answered it:
 *    w_k = Σ_{i: x_ik present} x_ik Z_ij / Σ_{i: x_ik present} Z_ij² (mode B: least squares of Z_j on the block,
 *    for a block without missing answers);
 * 3. scores, each the regression of the respondent's answers on the weights over the questions they answered:
 *    Y_ij = Σ_{k present} x_ik w_k / Σ_{k present} w_k² — the weights rescaled to the answers present — then
 *    standardised (mean 0, variance 1 with divisor n);
 * until Σ_ij (|Y_ij^old| − |Y_ij|)² < tolerance (`plspm`'s stopping rule here: on the scores, not the weights; the
 * first "old" scores are those of the starting weights, not standardised).
 * The reported weights are the last w scaled so that Σ_k w_k x_ik has standard deviation 1 over the respondents
 * who answered every question of the model (R's sd with divisor c − 1, times √((n − 1)/n), as `plspm`; over
 * those who answered every question of the block when fewer than two answered them all); the
 * scores are Y, so for a respondent with a missing answer the score is not Σ w_k x_ik. Loadings and
 * cross-loadings are correlations over the respondents who answered the question (R's
 * `use = 'pairwise.complete.obs'`); paths and R² are the least-squares regressions of the scores.
 * Without any missing answer the fixed point is that of the complete-data algorithm.
 *
 * Cost: O(iterations · n · p).
 *
 * @param x answers by indicator slot, NaN where missing; every respondent has an answer in every block
 * @throws {ClienteleError} `NOT_IDENTIFIED` for a mode B block with missing answers (plspm 0.5.1 routes it to a
 *   PLS regression with missing data and then stops with "non-conformable arrays"; not supported here), and
 *   `INVALID_INPUT` for a block answered in full by fewer than two respondents (the weights cannot be scaled)
 */
export function availableCaseFit(
  x: readonly Float64Array[],
  n: number,
  s: PlsStructure,
  control: { scheme: InnerScheme; scaled: boolean; tolerance: number; maxIterations: number; fn: string },
  latent: readonly string[],
): AvailableCaseFit {
  const { m, p, blockStart, modeB } = s;
  const { start, quantified } = treatedAnswers(x, n, control.scaled);
  const missing = new Uint8Array(m);
  for (let k = 0; k < p; k++) if (hasMissing(quantified[k])) missing[s.blockOf[k]] = 1;
  for (let j = 0; j < m; j++) {
    if (modeB[j] && missing[j]) {
      throw new ClienteleError(
        'NOT_IDENTIFIED',
        `${control.fn}: block "${latent[j]}" is mode B and has missing answers (found missing answers to ${s.columns
          .slice(blockStart[j], blockStart[j + 1])
          .filter((_, u) => hasMissing(quantified[blockStart[j] + u]))
          .map((c) => `"${c}"`)
          .join(', ')}); available-case estimation supports mode A blocks only: use missing: 'mean' or 'listwise'`,
      );
    }
  }
  const w = new Float64Array(p);
  for (let j = 0; j < m; j++) {
    const q = blockStart[j + 1] - blockStart[j];
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) w[k] = 1 / Math.sqrt(q);
  }
  const scores = Array.from({ length: m }, () => new Float64Array(n));
  for (let j = 0; j < m; j++) blockScores(start, w, s, j, n, scores[j]);
  const old = Array.from({ length: m }, () => new Float64Array(n));
  const e = new Float64Array(m * m);
  const z = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (true) {
    iterations++;
    for (let j = 0; j < m; j++) old[j].set(scores[j]);
    innerWeightsOfScores(scores, n, s, control.scheme, e);
    for (let j = 0; j < m; j++) {
      z.fill(0);
      for (let i = 0; i < m; i++) {
        const eij = e[i * m + j];
        if (eij === 0) continue;
        const y = old[i];
        for (let r = 0; r < n; r++) z[r] += eij * y[r];
      }
      if (modeB[j]) modeBWeights(quantified, z, s, j, n, w);
      else modeAWeights(quantified, z, s, j, n, w);
      blockScores(quantified, w, s, j, n, scores[j]);
      standardise(scores[j]);
    }
    let change = 0;
    for (let j = 0; j < m; j++) {
      const a = old[j];
      const b = scores[j];
      for (let r = 0; r < n; r++) {
        const d = Math.abs(a[r]) - Math.abs(b[r]);
        change += d * d;
      }
    }
    if (change < control.tolerance) {
      converged = true;
      break;
    }
    if (iterations >= control.maxIterations) break;
  }
  scaleWeights(quantified, w, s, n, latent, control.fn);
  orientAvailable(quantified, w, scores, s);
  return { ...scoreStatistics(quantified, scores, s, n), weights: w, iterations, converged, scores };
}

/**
 * The answers as `plspm` treats them: `start` (its starting data, scale(x)/√((n − 1)/n), R's sd over the answers
 * present) and `quantified` (centred on the mean of the answers present and, when scaled, divided by their
 * standard deviation with divisor n_k). Missing answers stay NaN.
 */
function treatedAnswers(
  x: readonly Float64Array[],
  n: number,
  scaled: boolean,
): { start: Float64Array[]; quantified: Float64Array[] } {
  const start: Float64Array[] = [];
  const quantified: Float64Array[] = [];
  for (const xk of x) {
    let sum = 0;
    let present = 0;
    for (let i = 0; i < n; i++) {
      if (xk[i] === xk[i]) {
        sum += xk[i];
        present++;
      }
    }
    const mean = sum / present;
    let ss = 0;
    for (let i = 0; i < n; i++) if (xk[i] === xk[i]) ss += (xk[i] - mean) * (xk[i] - mean);
    const startScale = scaled ? Math.sqrt(ss / (present - 1)) * Math.sqrt((n - 1) / n) : 1;
    const scale = scaled ? Math.sqrt(ss / present) : 1;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = (xk[i] - mean) / startScale;
      b[i] = (xk[i] - mean) / scale;
    }
    start.push(a);
    quantified.push(b);
  }
  return { start, quantified };
}

function hasMissing(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return true;
  return false;
}

/** out_i = Σ_{k present} x_ik w_k / Σ_{k present} w_k² over block j's slots. */
function blockScores(
  x: readonly Float64Array[],
  w: Float64Array,
  s: PlsStructure,
  j: number,
  n: number,
  out: Float64Array,
): void {
  const num = out.fill(0);
  const den = new Float64Array(n);
  for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
    const xk = x[k];
    const wk = w[k];
    for (let i = 0; i < n; i++) {
      const v = xk[i];
      if (v === v) {
        num[i] += v * wk;
        den[i] += wk * wk;
      }
    }
  }
  for (let i = 0; i < n; i++) num[i] /= den[i];
}

/** y ← (y − mean)/sd with divisor n. */
function standardise(y: Float64Array): void {
  const n = y.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += y[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  const sd = Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) y[i] = (y[i] - mean) / sd;
}

/** Means and covariances (divisor n − 1) of the scores, m × m. */
function scoreCovariance(y: readonly Float64Array[], n: number): Float64Array {
  const m = y.length;
  const means = y.map((v) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v[i];
    return sum / n;
  });
  const c = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (y[a][i] - means[a]) * (y[b][i] - means[b]);
      c[a * m + b] = c[b * m + a] = sum / (n - 1);
    }
  }
  return c;
}

/**
 * Inner weights e (m × m, e[i * m + j] weighs Y_i in Z_j) from the scores as they are (plspm's first iteration
 * uses the starting scores unstandardised): centroid sign(cor), factorial cov (divisor n − 1), path: regression
 * coefficients (no intercept) of Y_j on its predecessors and correlations with its successors.
 */
function innerWeightsOfScores(
  y: readonly Float64Array[],
  n: number,
  s: PlsStructure,
  scheme: InnerScheme,
  e: Float64Array,
) {
  const { m, adjacent, predecessors } = s;
  const cov = scoreCovariance(y, n);
  e.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (!adjacent[i * m + j] && !adjacent[j * m + i]) continue;
      const r = cov[i * m + j] / Math.sqrt(cov[i * m + i] * cov[j * m + j]);
      if (scheme === 'centroid') e[i * m + j] = Math.sign(r);
      else if (scheme === 'factorial') e[i * m + j] = cov[i * m + j];
      else if (adjacent[j * m + i]) e[i * m + j] = r;
    }
  }
  if (scheme !== 'path') return;
  // The no-intercept regression of Y_j on its predecessors: the normal equations of the raw cross-products.
  const cross = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = a; b < m; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += y[a][i] * y[b][i];
      cross[a * m + b] = cross[b * m + a] = sum;
    }
  for (let j = 0; j < m; j++) {
    const pred = predecessors[j];
    if (pred.length === 0) continue;
    const beta = regressOnCorrelations(cross, m, pred, j);
    for (let a = 0; a < pred.length; a++) e[pred[a] * m + j] = beta[a];
  }
}

/** Mode A weights of block j: w_k = Σ x_ik z_i / Σ z_i² over the respondents who answered question k. */
function modeAWeights(
  x: readonly Float64Array[],
  z: Float64Array,
  s: PlsStructure,
  j: number,
  n: number,
  w: Float64Array,
) {
  for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) {
    const xk = x[k];
    let num = 0;
    let den = 0;
    for (let r = 0; r < n; r++) {
      const v = xk[r];
      if (v === v) {
        num += v * z[r];
        den += z[r] * z[r];
      }
    }
    w[k] = num / den;
  }
}

/** Mode B weights of a block without missing answers: least squares of z on the block's indicators. */
function modeBWeights(
  x: readonly Float64Array[],
  z: Float64Array,
  s: PlsStructure,
  j: number,
  n: number,
  w: Float64Array,
) {
  const from = s.blockStart[j];
  const q = s.blockStart[j + 1] - from;
  const a = new Matrix(q, q);
  const b = new Matrix(q, 1);
  for (let u = 0; u < q; u++) {
    for (let v = u; v < q; v++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[from + u][i] * x[from + v][i];
      a.set(u, v, sum);
      a.set(v, u, sum);
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[from + u][i] * z[i];
    b.set(u, 0, sum);
  }
  const beta = solve(a, b);
  for (let u = 0; u < q; u++) w[from + u] = beta.get(u, 0);
}

/**
 * w ← w / (sd(Σ_k w_k x_k) · √((n − 1)/n)), as `plspm` scales its final weights: R's sd (divisor c − 1) over the c
 * respondents who answered every question of the model (plspm's `QQ %*% W` is NA on any other row); when fewer
 * than two did, over those who answered every question of the block (where plspm's weights are NA).
 */
function scaleWeights(
  x: readonly Float64Array[],
  w: Float64Array,
  s: PlsStructure,
  n: number,
  latent: readonly string[],
  fn: string,
): void {
  const complete = new Uint8Array(n).fill(1);
  for (const xk of x) for (let i = 0; i < n; i++) if (xk[i] !== xk[i]) complete[i] = 0;
  let completeCount = 0;
  for (let i = 0; i < n; i++) completeCount += complete[i];
  for (let j = 0; j < s.m; j++) {
    const v = new Float64Array(n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) for (let i = 0; i < n; i++) v[i] += w[k] * x[k][i];
    if (completeCount >= 2) for (let i = 0; i < n; i++) if (!complete[i]) v[i] = NaN;
    let c = 0;
    let sum = 0;
    for (let i = 0; i < n; i++)
      if (v[i] === v[i]) {
        c++;
        sum += v[i];
      }
    if (c < 2) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: block "${latent[j]}" was answered in full by ${c} respondent${c === 1 ? '' : 's'} (found ${c}, need at least 2 to scale its weights); collect more complete answers or use missing: 'mean'`,
      );
    }
    const mean = sum / c;
    let ss = 0;
    for (let i = 0; i < n; i++) if (v[i] === v[i]) ss += (v[i] - mean) * (v[i] - mean);
    const sd = Math.sqrt(ss / (c - 1)) * Math.sqrt((n - 1) / n);
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) w[k] /= sd;
  }
}

/**
 * Turns round the weights and scores of a block whose indicators correlate negatively with its score in a strict
 * majority (the rule of `orientBlocks`; a tie keeps the estimated orientation).
 */
function orientAvailable(x: readonly Float64Array[], w: Float64Array, scores: Float64Array[], s: PlsStructure) {
  for (let j = 0; j < s.m; j++) {
    let signs = 0;
    for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++)
      signs += Math.sign(pairwiseCorrelation(x[k], scores[j]));
    if (signs < 0) {
      for (let k = s.blockStart[j]; k < s.blockStart[j + 1]; k++) w[k] = -w[k];
      const y = scores[j];
      for (let i = 0; i < y.length; i++) y[i] = -y[i];
    }
  }
}

/** Score correlations, paths, R², loadings and cross-loadings from the available-case scores. */
function scoreStatistics(x: readonly Float64Array[], scores: readonly Float64Array[], s: PlsStructure, n: number) {
  const { m, p } = s;
  const cov = scoreCovariance(scores, n);
  const correlation = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++)
      correlation[i * m + j] = i === j ? 1 : cov[i * m + j] / Math.sqrt(cov[i * m + i] * cov[j * m + j]);
  const path = new Float64Array(m * m);
  const rSquared = new Float64Array(m).fill(NaN);
  for (let j = 0; j < m; j++) {
    const pred = s.predecessors[j];
    if (pred.length === 0) continue;
    const beta = regressOnCorrelations(correlation, m, pred, j);
    let r2 = 0;
    for (let a = 0; a < pred.length; a++) {
      path[pred[a] * m + j] = beta[a];
      r2 += beta[a] * correlation[pred[a] * m + j];
    }
    rSquared[j] = r2;
  }
  const crossLoadings = new Float64Array(p * m);
  const loadings = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    for (let l = 0; l < m; l++) crossLoadings[k * m + l] = pairwiseCorrelation(x[k], scores[l]);
    loadings[k] = crossLoadings[k * m + s.blockOf[k]];
  }
  return { correlation, path, rSquared, loadings, crossLoadings };
}

/** The p × p correlation matrix of the answers, each entry over the respondents who answered both questions. */
export function pairwiseCorrelationMatrix(x: readonly Float64Array[]): Float64Array {
  const p = x.length;
  const r = new Float64Array(p * p);
  for (let u = 0; u < p; u++) {
    r[u * p + u] = 1;
    for (let v = u + 1; v < p; v++) r[u * p + v] = r[v * p + u] = pairwiseCorrelation(x[u], x[v]);
  }
  return r;
}

/**
 * Index scores with the weights rescaled to the answers present: Σ_{k present} w̃_k x_ik / Σ_{k present} w̃_k,
 * mapped from the answer scale [lo, hi] to 0–100.
 */
export function availableIndexScores(
  x: readonly Float64Array[],
  weights: Float64Array,
  from: number,
  to: number,
  scale: readonly [number, number],
): Float64Array {
  const n = x[from].length;
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  for (let k = from; k < to; k++) {
    const xk = x[k];
    for (let i = 0; i < n; i++)
      if (xk[i] === xk[i]) {
        num[i] += weights[k] * xk[i];
        den[i] += weights[k];
      }
  }
  const span = scale[1] - scale[0];
  for (let i = 0; i < n; i++) num[i] = (100 * (num[i] / den[i] - scale[0])) / span;
  return num;
}
