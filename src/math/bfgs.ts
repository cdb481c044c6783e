/**
 * Gradient-based minimisation by the BFGS quasi-Newton method, for objectives whose gradient is cheap to compute
 * alongside the value (the BG/NBD log-likelihood): a few dozen evaluations where Nelder–Mead needs hundreds.
 *
 * Method: Nocedal & Wright (2006), Algorithm 6.1 — the inverse-Hessian approximation H updated by the BFGS formula
 * (eq. 6.17), started at the identity and rescaled by sᵀy / yᵀy before the first update (eq. 6.20) — with a line
 * search satisfying the strong Wolfe conditions (c₁ = 10⁻⁴, c₂ = 0.9; Algorithms 3.5 and 3.6, the zoom step by
 * safeguarded cubic interpolation, eq. 3.59). The run stops when the largest gradient component is below
 * `gradientTolerance`, or when an iteration lowers f by less than `fTolerance` · max(1, |f|); a line search that
 * finds no acceptable step ends the run, converged when the decrease the quadratic model promises (−½ pᵀ∇f) is
 * below 10⁻¹² · max(1, |f|) (the optimum, met to the rounding of f), else with `converged: false` (the caller may
 * then fall back to a derivative-free method); the line search gives up as soon as no step in its bracket can lower
 * f by more than that. Points where f is not finite (outside its domain) are treated as too
 * high: the step is shortened.
 *
 * Cost: one evaluation of f and ∇f per line-search trial (usually one per iteration), O(n²) arithmetic.
 *
 * Reference: J. Nocedal & S. J. Wright (2006), Numerical Optimization, 2nd ed., Springer: §3.5 (Algorithms 3.5,
 * 3.6) and §6.1 (Algorithm 6.1).
 */
import type { MinimizeResult } from './minimize';

/** Options of {@link bfgs}. */
export interface BfgsOptions {
  /** Most iterations. Default 200 × number of parameters. */
  maxIterations?: number;
  /** Stop when max |∂f/∂xⱼ| is below this. Default 1e-8. */
  gradientTolerance?: number;
  /** ... or when an iteration lowers f by less than this × max(1, |f|). Default 1e-14. */
  fTolerance?: number;
}

/**
 * Minimises `f` from `x0` by BFGS with a strong-Wolfe line search. `f(x, grad)` returns f(x) and writes ∇f(x) into
 * `grad`; it may return `Infinity` or `NaN` outside its domain (the gradient is then ignored). E.g. for
 * f(p) = (p₀ − 1)² + (p₁ + 2)², `f = (p, g) => { g[0] = 2 * (p[0] - 1); g[1] = 2 * (p[1] + 2); return … }` from
 * (0, 0) ends at (1, −2) (test/math/bfgs.test.ts covers Rosenbrock and random quadratics).
 */
export function bfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const gTol = options.gradientTolerance ?? 1e-8;
  const fTol = options.fTolerance ?? 1e-14;
  let evaluations = 0;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const evaluate = (point: Float64Array, grad: Float64Array) => {
    evaluations++;
    const v = f(point, grad);
    return Number.isFinite(v) ? v : Infinity;
  };
  let fx = evaluate(x, g);
  if (fx === Infinity) return { x, fx, iterations: 0, evaluations, converged: false };
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const p = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let first = true;
  let iterations = 0;
  let converged = maxAbs(g) < gTol;
  while (!converged && iterations < maxIterations) {
    iterations++;
    // p = −H g; reset H when it is not a descent direction (lost positive definiteness to rounding)
    let slope = searchDirection(H, g, p);
    if (!(slope < 0)) {
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = 1;
      slope = 0;
      for (let i = 0; i < n; i++) {
        p[i] = -g[i];
        slope -= g[i] * g[i];
      }
      first = true;
    }
    // first step (steepest descent on an unscaled H): at most unit length
    const initial = first ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const step = lineSearch(evaluate, x, fx, g, p, slope, initial, xNew, gNew);
    if (step === null) {
      // no acceptable step: at the optimum when the decrease the quadratic model promises, −pᵀg/2, is below the
      // rounding of f (a sum of many terms loses ~1e-14 relative), where no line search can see progress
      converged = -0.5 * slope <= FLOOR * Math.max(1, Math.abs(fx));
      break;
    }
    const fNew = step;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
    }
    const decrease = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (maxAbs(g) < gTol || decrease <= fTol * Math.max(1, Math.abs(fx))) {
      converged = true;
      break;
    }
    if (sy > 1e-300) {
      if (first) {
        // eq. 6.20: H₀ = (sᵀy / yᵀy) I before the first update
        let yy = 0;
        for (let i = 0; i < n; i++) yy += y[i] * y[i];
        const scale = sy / yy;
        H.fill(0);
        for (let i = 0; i < n; i++) H[i * n + i] = scale;
        first = false;
      }
      updateInverseHessian(H, s, y, sy, Hy);
    }
  }
  return { x, fx, iterations, evaluations, converged };
}

/** The relative size of a decrease of f that rounding hides, below which a failed line search means "converged". */
const FLOOR = 1e-12;

/** The search direction p = −H g, written into `p`; returns the slope pᵀg (negative for a descent direction). */
function searchDirection(H: Float64Array, g: Float64Array, p: Float64Array): number {
  const n = g.length;
  let slope = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
    p[i] = v;
    slope += v * g[i];
  }
  return slope;
}

/** The BFGS update of the inverse Hessian H in place (eq. 6.17), with `sy` = yᵀs and `Hy` as scratch for H y. */
function updateInverseHessian(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, Hy: Float64Array): void {
  // eq. 6.17: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs), expanded
  const n = s.length;
  const rho = 1 / sy;
  let yHy = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
    Hy[i] = v;
    yHy += y[i] * v;
  }
  const c = (1 + rho * yHy) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) H[i * n + j] += c * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
  }
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const e of v) m = Math.max(m, Math.abs(e));
  return m;
}

/**
 * Nocedal & Wright Algorithm 3.5: finds a step α along p satisfying the strong Wolfe conditions; writes the point
 * and its gradient to `xOut`/`gOut` and returns f there, or null when none is found.
 */
function lineSearch(
  evaluate: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  slope0: number,
  initial: number,
  xOut: Float64Array,
  gOut: Float64Array,
): number | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  const trial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  // φ(α) and φ'(α); keeps the last trial in trial/gTrial
  const phi = (alpha: number): [number, number] => {
    for (let i = 0; i < n; i++) trial[i] = x[i] + alpha * p[i];
    const v = evaluate(trial, gTrial);
    let d = 0;
    if (v !== Infinity) for (let i = 0; i < n; i++) d += gTrial[i] * p[i];
    return [v, v === Infinity ? NaN : d];
  };
  const accept = (v: number) => {
    xOut.set(trial);
    gOut.set(gTrial);
    return v;
  };
  // Algorithm 3.6: zoom between lo (satisfies sufficient decrease, lowest so far) and hi
  const zoom = (lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number): number | null => {
    for (let k = 0; k < 60; k++) {
      let alpha = cubicMinimum(lo, fLo, dLo, hi, fHi, dHi);
      const width = Math.abs(hi - lo);
      const lower = Math.min(lo, hi) + 0.1 * width;
      const upper = Math.max(lo, hi) - 0.1 * width;
      if (!(alpha >= lower && alpha <= upper)) alpha = 0.5 * (lo + hi);
      if (width * maxAbs(p) < 1e-16 * (1 + maxAbs(x))) return null;
      // no step in the bracket can lower f by more than its rounding (the decrease is at most about width · |slope|)
      if (width * -slope0 <= FLOOR * Math.max(1, Math.abs(f0))) return null;
      const [v, d] = phi(alpha);
      if (v > f0 + c1 * alpha * slope0 || v >= fLo) {
        hi = alpha;
        fHi = v;
        dHi = d;
      } else {
        if (Math.abs(d) <= -c2 * slope0) return accept(v);
        if (d * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = alpha;
        fLo = v;
        dLo = d;
      }
    }
    return null;
  };
  let prev = 0;
  let fPrev = f0;
  let dPrev = slope0;
  let alpha = initial;
  for (let i = 0; i < 40; i++) {
    const [v, d] = phi(alpha);
    if (v > f0 + c1 * alpha * slope0 || (i > 0 && v >= fPrev)) return zoom(prev, fPrev, dPrev, alpha, v, d);
    if (Math.abs(d) <= -c2 * slope0) return accept(v);
    if (d >= 0) return zoom(alpha, v, d, prev, fPrev, dPrev);
    prev = alpha;
    fPrev = v;
    dPrev = d;
    alpha *= 2;
  }
  return null;
}

/** The minimiser of the cubic interpolating φ and φ' at a and b (N&W eq. 3.59); NaN when it has none. */
function cubicMinimum(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db) || !Number.isFinite(fa) || !Number.isFinite(da)) return NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}
