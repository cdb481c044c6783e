/**
 * Slow, obviously-correct references for the PLS path-model tests, written from the textbook definitions on
 * plain JS arrays (ml-matrix only for solving small systems); they share no code with src/satisfaction.
 */
import { Matrix, solve } from 'ml-matrix';
import { randomSource } from '../../src/math/random';

export function mean(x: readonly number[]): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

/** Pearson correlation by the definition. */
export function cor(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** OLS with intercept by the normal equations: returns [intercept, ...slopes] and R². */
export function ols(
  y: readonly number[],
  xs: readonly (readonly number[])[],
): { coefficients: number[]; rSquared: number; residualVariance: number; xtxInverse: Matrix } {
  const n = y.length;
  const q = xs.length + 1;
  const X = new Matrix(n, q);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    for (let a = 0; a < xs.length; a++) X.set(i, a + 1, xs[a][i]);
  }
  const Y = Matrix.columnVector([...y]);
  const xtx = X.transpose().mmul(X);
  const beta = solve(xtx, X.transpose().mmul(Y)).getColumn(0);
  const fitted = X.mmul(Matrix.columnVector(beta)).getColumn(0);
  const my = mean(y);
  let rss = 0;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    rss += (y[i] - fitted[i]) ** 2;
    tss += (y[i] - my) ** 2;
  }
  return {
    coefficients: beta,
    rSquared: 1 - rss / tss,
    residualVariance: rss / (n - q),
    xtxInverse: solve(xtx, Matrix.eye(q)),
  };
}

/** Cronbach's alpha of standardised items: k/(k−1) · (1 − Σ var(z_u) / var(Σ z_u)), by the definition. */
export function standardisedAlpha(items: readonly (readonly number[])[]): number {
  const k = items.length;
  const z = items.map((x) => {
    const m = mean(x);
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
    return x.map((v) => (v - m) / sd);
  });
  const total = z[0].map((_, i) => z.reduce((s, col) => s + col[i], 0));
  const mt = mean(total);
  const varTotal = total.reduce((s, v) => s + (v - mt) ** 2, 0) / (total.length - 1);
  return (k / (k - 1)) * (1 - k / varTotal);
}

/** Largest eigenvalue and its unit eigenvector of a symmetric positive matrix, by power iteration. */
export function powerIteration(a: readonly (readonly number[])[]): { value: number; vector: number[] } {
  let v = a.map(() => 1 / Math.sqrt(a.length));
  let value = 0;
  for (let it = 0; it < 5000; it++) {
    const w = a.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
    const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    const next = w.map((x) => x / norm);
    const delta = next.reduce((s, x, j) => s + Math.abs(x - v[j]), 0);
    v = next;
    value = norm;
    if (delta < 1e-15) break;
  }
  return { value, vector: v };
}

export interface SimulatedSurvey {
  columns: Record<string, number[]>;
  latent: Record<string, number[]>;
}

/**
 * Draws a survey from a recursive structural model with standardised latent variables: η_to = Σ β η_from + ζ
 * with Var(ζ) chosen so every η has variance 1, and indicator = loading · η + √(1 − loading²) · ε.
 * `order` lists the latent variables so that every path goes forwards in it.
 */
export function simulateSurvey(
  n: number,
  seed: number,
  order: readonly string[],
  paths: readonly (readonly [string, string, number])[],
  indicators: Readonly<Record<string, readonly number[]>>,
): SimulatedSurvey {
  const rng = randomSource(seed);
  // Covariances of the latent variables, in order, to set the disturbance variances.
  const m = order.length;
  const cov: number[][] = order.map(() => order.map(() => 0));
  const beta: number[][] = order.map(() => order.map(() => 0));
  for (const [from, to, b] of paths) beta[order.indexOf(to)][order.indexOf(from)] = b;
  const psi: number[] = [];
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < j; k++) {
      let c = 0;
      for (let l = 0; l < j; l++) c += beta[j][l] * cov[l][k];
      cov[j][k] = cov[k][j] = c;
    }
    let explained = 0;
    for (let k = 0; k < j; k++) for (let l = 0; l < j; l++) explained += beta[j][k] * beta[j][l] * cov[k][l];
    if (explained >= 1) throw new Error('paths explain more than all the variance');
    psi.push(1 - explained);
    cov[j][j] = 1;
  }
  const latent: Record<string, number[]> = Object.fromEntries(order.map((lv) => [lv, [] as number[]]));
  const columns: Record<string, number[]> = {};
  for (const lv of order) indicators[lv].forEach((_, u) => (columns[`${lv}${u + 1}`] = []));
  for (let i = 0; i < n; i++) {
    const eta: number[] = [];
    for (let j = 0; j < m; j++) {
      let v = Math.sqrt(psi[j]) * rng.normal();
      for (let k = 0; k < j; k++) v += beta[j][k] * eta[k];
      eta.push(v);
      latent[order[j]].push(v);
      indicators[order[j]].forEach((l, u) =>
        columns[`${order[j]}${u + 1}`].push(l * v + Math.sqrt(1 - l * l) * rng.normal()),
      );
    }
  }
  return { columns, latent };
}
