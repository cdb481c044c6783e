/**
 * Derivative-free minimisation by the Nelder–Mead simplex method, the optimiser the probabilistic CLV models are
 * fitted with (as Python `lifetimes` does through scipy). Chosen over a gradient method because the models'
 * log-likelihoods involve the Gaussian hypergeometric function, whose derivatives in the parameters are costly, and
 * over an npm package because none of the maintained ones offers adaptive coefficients and restarts.
 *
 * Method: the adaptive coefficients of Gao & Han (2012) — reflection 1, expansion 1 + 2/n, contraction
 * 0.75 − 1/(2n), shrink 1 − 1/n for n parameters — which keep the simplex from collapsing beyond two or three
 * dimensions; the run stops when both the spread of the function values and the simplex diameter fall below
 * their tolerances, and is restarted once from the best point with a fresh simplex (a collapsed simplex is the
 * classical failure of the method; McKinnon 1998).
 *
 * Cost: one or two function evaluations per iteration, O(n²) arithmetic.
 *
 * References: J. A. Nelder & R. Mead (1965), "A simplex method for function minimization", The Computer Journal
 * 7(4), 308–313; F. Gao & L. Han (2012), "Implementing the Nelder–Mead simplex algorithm with adaptive parameters",
 * Computational Optimization and Applications 51, 259–277.
 */

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Most iterations per run. Default 200 × number of parameters. */
  maxIterations?: number;
  /** Stop when max |f(vertex) − f(best)| is below this. Default 1e-10. */
  fTolerance?: number;
  /** ... and when the simplex diameter (max |x(vertex) − x(best)|) is below this. Default 1e-8. */
  xTolerance?: number;
  /** Initial simplex step along each axis: absolute for |x| ≤ 1, relative beyond. Default 0.1. */
  step?: number;
  /** Restarts from the best point with a fresh simplex. Default 1. */
  restarts?: number;
}

/** The result of {@link minimize}. */
export interface MinimizeResult {
  /** The best point found. */
  readonly x: Float64Array;
  /** The function value there. */
  readonly fx: number;
  /** Iterations over all runs. */
  readonly iterations: number;
  /** Function evaluations. */
  readonly evaluations: number;
  /** Whether the last run met both tolerances before `maxIterations`. */
  readonly converged: boolean;
}

/**
 * Minimises `f` from `x0` by the adaptive Nelder–Mead method. `f` may return `Infinity` or `NaN` for points outside
 * its domain; such points are treated as +Infinity and never accepted.
 *
 * @example
 * const { x } = minimize((p) => (p[0] - 1) ** 2 + (p[1] + 2) ** 2, [0, 0]);
 * Math.round(x[0] * 1e6) / 1e6; // 1
 */
export function minimize(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const fTolerance = options.fTolerance ?? 1e-10;
  const xTolerance = options.xTolerance ?? 1e-8;
  const step = options.step ?? 0.1;
  const restarts = options.restarts ?? 1;
  let evaluations = 0;
  const evaluate = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return v === v ? v : Infinity;
  };

  let best: Float64Array = Float64Array.from(x0);
  let bestValue = evaluate(best);
  let iterations = 0;
  let converged = false;
  for (let run = 0; run <= restarts; run++) {
    const result = simplexRun(evaluate, best, bestValue, { maxIterations, fTolerance, xTolerance, step });
    iterations += result.iterations;
    converged = result.converged;
    const improved = result.fx < bestValue - fTolerance;
    best = result.x;
    bestValue = result.fx;
    if (run > 0 && !improved && converged) break;
  }
  return Object.freeze({ x: best, fx: bestValue, iterations, evaluations, converged });
}

/** The starting simplex: `start` and one vertex a step away along each axis, with their values. */
function initialSimplex(
  evaluate: (x: Float64Array) => number,
  start: Float64Array,
  startValue: number,
  step: number,
): { vertices: Float64Array[]; values: number[] } {
  const n = start.length;
  const vertices: Float64Array[] = [Float64Array.from(start)];
  const values: number[] = [startValue];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(start);
    v[i] += step * Math.max(1, Math.abs(v[i])); // absolute near 0, as log-space parameters need
    vertices.push(v);
    values.push(evaluate(v));
  }
  return { vertices, values };
}

/** One Nelder–Mead run from `start` with the adaptive coefficients, until both tolerances or `maxIterations`. */
function simplexRun(
  evaluate: (x: Float64Array) => number,
  start: Float64Array,
  startValue: number,
  o: { maxIterations: number; fTolerance: number; xTolerance: number; step: number },
): { x: Float64Array; fx: number; iterations: number; converged: boolean } {
  const n = start.length;
  const alpha = 1;
  const gamma = 1 + 2 / n;
  const rho = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;
  // the simplex: n + 1 vertices, kept sorted by value
  const { vertices, values } = initialSimplex(evaluate, start, startValue, o.step);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  const at = (base: Float64Array, toward: Float64Array, t: number, out: Float64Array) => {
    for (let j = 0; j < n; j++) out[j] = base[j] + t * (toward[j] - base[j]);
    return out;
  };
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations) {
    order.sort((a, b) => values[a] - values[b]);
    const bestI = order[0];
    const worstI = order[n];
    const secondWorst = values[order[n - 1]];
    // convergence: values and vertices both close to the best
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const i = order[k];
      fSpread = Math.max(fSpread, Math.abs(values[i] - values[bestI]));
      for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(vertices[i][j] - vertices[bestI][j]));
    }
    if (fSpread <= o.fTolerance && xSpread <= o.xTolerance) {
      converged = true;
      break;
    }
    iterations++;
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) centroid[j] += vertices[order[k]][j] / n;
    const worst = vertices[worstI];
    // reflect the worst vertex through the centroid of the others
    const reflected = at(centroid, worst, -alpha, trial);
    const fr = evaluate(reflected);
    if (fr < values[bestI]) {
      const expanded = at(centroid, worst, -gamma, trial2);
      const fe = evaluate(expanded);
      if (fe < fr) replace(worstI, expanded, fe);
      else replace(worstI, reflected, fr);
      continue;
    }
    if (fr < secondWorst) {
      replace(worstI, reflected, fr);
      continue;
    }
    // contract, outside when the reflection beat the worst, inside otherwise
    const outside = fr < values[worstI];
    const contracted = outside ? at(centroid, worst, -alpha * rho, trial2) : at(centroid, worst, rho, trial2);
    const fc = evaluate(contracted);
    if (outside ? fc <= fr : fc < values[worstI]) {
      replace(worstI, contracted, fc);
      continue;
    }
    // shrink towards the best vertex
    for (let k = 1; k <= n; k++) {
      const i = order[k];
      at(vertices[bestI], vertices[i], sigma, vertices[i]);
      values[i] = evaluate(vertices[i]);
    }
  }
  order.sort((a, b) => values[a] - values[b]);
  return { x: Float64Array.from(vertices[order[0]]), fx: values[order[0]], iterations, converged };

  function replace(i: number, x: Float64Array, value: number): void {
    vertices[i].set(x);
    values[i] = value;
  }
}
