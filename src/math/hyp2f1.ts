/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z < 1, the special function the
 * Pareto/NBD likelihood and the BG/NBD expectations are written in.
 *
 * Definition (Abramowitz & Stegun 1972, eq. 15.1.1): ₂F₁(a, b; c; z) = Σₖ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ, with (a)ₖ the
 * rising factorial; the series converges for |z| < 1, and the function continues analytically to all z < 1.
 *
 * Method, chosen so that no branch divides by a gamma function that may be infinite:
 * 1. z < 0: Pfaff's transformation (A&S 15.3.4), ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1)),
 *    which maps z to w = z/(z − 1) in (0, 1) and turns an alternating series into one of like-signed terms.
 * 2. 0 ≤ z < 1: Euler's transformation (A&S 15.3.3), ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z),
 *    when it makes the numerator parameters smaller (a polynomial when c − a or c − b is a non-positive integer).
 *    This is the cure for the BG/NBD "#NUM!" overflow of Fader & Hardie (2013), where ₂F₁(r + x, b + x; a + b + x − 1;
 *    z) grows like (1 − z)^(−x) but (1 − z)^(r+x) ₂F₁(…) = (1 − z)^(a−1) ₂F₁(a + b − 1 − r, a − 1; a + b + x − 1; z) is
 *    tame. The same choice turns the Pareto/NBD terms of Fader & Hardie (2005) into series with ratio below z.
 *    When the chosen form cancels badly (Σ|term| above 1000 |Σ term|, e.g. the polynomial ₂F₁(−6, b; b; z) =
 *    (1 − z)⁶ near z = 1), the other form is evaluated too and the better-conditioned one kept.
 * 3. The power series, summed with a running rescale so that large terms cannot overflow, when it converges within
 *    a few hundred terms (always for z ≤ 1/2; near 1 when c is large against a·b).
 * 4. Otherwise (z near 1, where the series needs thousands of terms or more): analytic continuation along the real
 *    axis by Taylor steps of the hypergeometric differential equation z(1 − z)w″ + [c − (a + b + 1)z]w′ − ab·w = 0
 *    (A&S 15.5.1) from z₀ = 1/2, each step at most half the distance to the singular point 1 (so each local series
 *    converges at least like 2⁻ⁿ) and short enough against the size of the coefficients. This is the "appropriate
 *    method near 1" that needs no special case when c − a − b is an integer, unlike the 1 − z transformation
 *    (A&S 15.3.6), and it takes about log₂(1/(1 − z)) steps.
 *
 * Accuracy (test/math/hyp2f1.test.ts): relative error below 1e-12 against closed forms and a long series for
 * |a|, |b|, |c| up to a few hundred and z up to 1 − 1e-9, and against ₂F₁(a, b; b; z) = (1 − z)^(−a) far into z < 0.
 * Cost: O(terms) for the series, about 60 · log₂(1/(1 − z)) operations beyond it.
 *
 * References: M. Abramowitz & I. A. Stegun (1972), "Handbook of Mathematical Functions", ch. 15; P. S. Fader &
 * B. G. S. Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions",
 * http://brucehardie.com/notes/009/; P. S. Fader & B. G. S. Hardie (2013), "Overcoming the BG/NBD model's #NUM!
 * error problem", http://brucehardie.com/notes/027/.
 */

const EPS = 1e-17;
/** Series terms tried before the continuation takes over (the series is always used for z ≤ 1/2). */
const SERIES_TERMS_NEAR_ONE = 400;
const SERIES_MAX_TERMS = 1_000_000;
const BIG = 1e200;
const LOG_BIG = Math.log(BIG);

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/** A value held as mantissa · e^scale, so that it can leave the range of doubles; `condition` = Σ|term| / |Σ term|. */
interface Scaled {
  m: number;
  scale: number;
  condition: number;
}

/** The power series at z, rescaled on the way; false when it has not converged within `maxTerms` terms. */
function series(a: number, b: number, c: number, z: number, maxTerms: number, out: Scaled): boolean {
  let term = 1;
  let sum = 1;
  let absolute = 1;
  let scale = 0;
  let converged = true;
  // hand-written: one ratio per term, no allocation; the test on the ratio bounds the tail by a geometric series
  for (let k = 0; k < maxTerms; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    if (term === 0) break; // a polynomial: (a)ₖ or (b)ₖ reached 0
    sum += term;
    absolute += Math.abs(term);
    const q = Math.max(Math.abs(ratio), Math.abs(z));
    if (q < 1 && Math.abs(term) * (q / (1 - q)) <= EPS * Math.abs(sum) && k > 0) break;
    if (absolute > BIG) {
      sum /= BIG;
      term /= BIG;
      absolute /= BIG;
      scale += LOG_BIG;
    }
    if (k === maxTerms - 1) converged = false;
  }
  out.m = sum;
  out.scale = scale;
  out.condition = absolute / Math.abs(sum);
  return converged;
}

/**
 * Continues ₂F₁ from z₀ (where the value w and derivative dw are known, both times e^scale) to z along the real
 * axis by Taylor steps of the hypergeometric equation.
 */
function continueToward(
  a: number,
  b: number,
  c: number,
  z0: number,
  w: number,
  dw: number,
  scale: number,
  z: number,
  out: Scaled,
): void {
  const ab = a * b;
  const q1 = -(a + b + 1);
  const size = 1 + Math.abs(c) + Math.abs(a) + Math.abs(b);
  let at = z0;
  let peak = Math.log(Math.abs(w)) + scale; // the largest |w| on the way: a much smaller end value has lost digits
  while (at < z) {
    const oneMinus = 1 - at;
    const p0 = at * oneMinus;
    const p1 = 1 - 2 * at;
    const q0 = c + q1 * at;
    // half the way to the singular point, and short enough that the coefficients cannot outgrow 2ⁿ
    let h = Math.min(0.5 * oneMinus, (2 * p0) / size);
    const last = z - at <= h;
    // step to a representable point, so that the next step starts exactly where this one's series was summed
    h = last ? z - at : at + h - at;
    // scaled Taylor coefficients v_n = w_n hⁿ: v_{n+2} from v_{n+1} and v_n (the equation at z₀ + u, in powers of u)
    let v0 = w;
    let v1 = dw * h;
    let sumW = v0 + v1;
    let sumD = v1;
    const hh = h * h;
    for (let n = 0; n < 2000; n++) {
      const v2 =
        -((n + 1) * (p1 * n + q0) * h * v1 + (-n * (n - 1) + q1 * n - ab) * hh * v0) / (p0 * (n + 1) * (n + 2));
      sumW += v2;
      sumD += (n + 2) * v2;
      v0 = v1;
      v1 = v2;
      if (n > 3 && (n + 2) * (Math.abs(v0) + Math.abs(v1)) <= EPS * (Math.abs(sumW) + Math.abs(sumD))) break;
    }
    w = sumW;
    dw = sumD / h;
    at = last ? z : at + h;
    const norm = Math.max(Math.abs(w), Math.abs(dw) * (1 - at));
    if (norm > BIG || (norm < 1 / BIG && norm > 0)) {
      const s = Math.log(norm);
      w /= norm;
      dw /= norm;
      scale += s;
    }
    peak = Math.max(peak, Math.log(Math.abs(w)) + scale);
  }
  out.m = w;
  out.scale = scale;
  out.condition = Math.exp(peak - Math.log(Math.abs(w)) - scale);
}

/** ₂F₁ for 0 ≤ z < 1 with the parameters as given (no transformation). */
function onUnitInterval(a: number, b: number, c: number, z: number, out: Scaled): void {
  if (z <= 0.5) {
    series(a, b, c, z, SERIES_MAX_TERMS, out);
    return;
  }
  if (series(a, b, c, z, SERIES_TERMS_NEAR_ONE, out)) return;
  // value and derivative at 1/2, then the continuation: d/dz ₂F₁(a, b; c; z) = (ab/c) ₂F₁(a + 1, b + 1; c + 1; z)
  const f: Scaled = { m: 0, scale: 0, condition: 1 };
  const d: Scaled = { m: 0, scale: 0, condition: 1 };
  series(a, b, c, 0.5, SERIES_MAX_TERMS, f);
  series(a + 1, b + 1, c + 1, 0.5, SERIES_MAX_TERMS, d);
  const dw = ((a * b) / c) * d.m * Math.exp(d.scale - f.scale);
  continueToward(a, b, c, 0.5, f.m, dw, f.scale, z, out);
  out.condition *= Math.max(f.condition, d.condition);
}

/** How hard the series with numerator parameters a, b is: 0 for a polynomial, else |a·b|. */
function difficulty(a: number, b: number): number {
  return isNonPositiveInteger(a) || isNonPositiveInteger(b) ? 0 : Math.abs(a * b);
}

/** Condition numbers above this make the other of the two forms (as given, or Euler-transformed) worth a try. */
const ILL_CONDITIONED = 1e3;

/** ₂F₁(a, b; c; z) as m · e^scale (m may be negative); NaN when undefined. */
function scaled(a: number, b: number, c: number, z: number, out: Scaled): void {
  out.scale = 0;
  out.condition = 1;
  if (!(z < 1) || Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || !Number.isFinite(z)) {
    out.m = NaN;
    return;
  }
  if (z === 0 || a === 0 || b === 0) {
    out.m = 1;
    return;
  }
  if (isNonPositiveInteger(c)) {
    // defined only when the series stops (a or b a non-positive integer above c) before dividing by (c)ₖ = 0
    const stops = (isNonPositiveInteger(a) && a > c) || (isNonPositiveInteger(b) && b > c);
    if (stops && Math.abs(z) <= 1) series(a, b, c, z, SERIES_MAX_TERMS, out);
    else out.m = NaN;
    return;
  }
  let prefactor = 0; // log of the transformation's (1 − z)^p factor
  if (z < 0) {
    // Pfaff: z → z/(z − 1) ∈ (0, 1)
    prefactor = -a * Math.log1p(-z);
    b = c - b;
    z = z / (z - 1);
  }
  // as given, or by Euler's transformation: the easier series first, the other when the first cancels badly
  const euler = (c - a - b) * Math.log1p(-z);
  const eulerFirst = difficulty(c - a, c - b) < difficulty(a, b);
  if (eulerFirst) onUnitInterval(c - a, c - b, c, z, out);
  else onUnitInterval(a, b, c, z, out);
  if (eulerFirst) out.scale += euler;
  if (out.condition > ILL_CONDITIONED) {
    const other: Scaled = { m: 0, scale: 0, condition: 1 };
    if (eulerFirst) onUnitInterval(a, b, c, z, other);
    else {
      onUnitInterval(c - a, c - b, c, z, other);
      other.scale += euler;
    }
    if (other.condition < out.condition) {
      out.m = other.m;
      out.scale = other.scale;
      out.condition = other.condition;
    }
  }
  out.scale += prefactor;
}

const scratch: Scaled = { m: 0, scale: 0, condition: 1 };

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real a, b, c and real z < 1 (see the module comment for
 * the method). Returns NaN for z ≥ 1, for c a non-positive integer (unless the series stops before), and ±Infinity
 * when the value overflows a double (use {@link logHyp2f1} then).
 *
 * @example
 * // e.g. ₂F₁(1, 1; 2; z) = −ln(1 − z)/z: hyp2f1(1, 1, 2, 0.5) ≈ 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  scaled(a, b, c, z, scratch);
  return scratch.scale === 0 ? scratch.m : scratch.m * Math.exp(scratch.scale);
}

/**
 * ln ₂F₁(a, b; c; z), for when the value is positive (always so for a, b, c > 0 and 0 ≤ z < 1): exact where
 * {@link hyp2f1} would overflow. NaN where the value is not positive or is undefined.
 *
 * @example
 * // e.g. ₂F₁(a, b; b; z) = (1 − z)^(−a): logHyp2f1(800, 2, 2, 0.9) ≈ 800 · ln 10 ≈ 1842.07
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  scaled(a, b, c, z, scratch);
  return scratch.m > 0 ? Math.log(scratch.m) + scratch.scale : NaN;
}
