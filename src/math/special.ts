import { gammaln } from 'simple-statistics';

/**
 * Special functions the CLV likelihoods are written in, all in log space.
 *
 * `lgamma` is simple-statistics' `gammaln` (Lanczos, g = 607/128, 15 terms; relative error about 1e-15).
 */
export const lgamma: (x: number) => number = gammaln;

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function lbeta(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

/**
 * ln Γ(x + a) − ln Γ(x) for x > 0, a ≥ 0, without the cancellation of two large `lgamma` values (at x = 1e9 each is
 * about 2e10, so their difference keeps only six digits). The recurrence ln Γ(y + 1) = ln Γ(y) + ln y lifts x to
 * ≥ 10; there Stirling's series gives (x − ½)·log1p(a/x) + a·ln(x + a) − a + Σ B₂ₖ/(2k(2k − 1)) ((x + a)^(1−2k) −
 * x^(1−2k)) to k = 4 (Abramowitz & Stegun 6.1.40), each term of moderate size; about 1e-14 relative.
 */
export function lgammaRatio(x: number, a: number): number {
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x + a) - Math.log(x);
    x += 1;
  }
  const y = x + a;
  const series = (z: number) => {
    const z2 = z * z;
    return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * z2)) / z2) / z2) / z;
  };
  return (x - 0.5) * Math.log1p(a / x) + a * Math.log(y) - a + series(y) - series(x) - shift;
}

/** ln(e^a + e^b) without overflow (the larger exponent is factored out). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * The digamma function ψ(x) = Γ'(x)/Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the
 * asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) to k = 6 (Abramowitz & Stegun 6.3.5, 6.3.18); about 1e-15
 * relative.
 */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series =
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/**
 * The regularised incomplete beta function I_x(a, b) for 0 ≤ x ≤ 1, a, b > 0: the continued fraction of
 * Abramowitz & Stegun 26.5.8 evaluated by the modified Lentz method, on I_x(a, b) directly when
 * x < (a + 1)/(a + b + 2) and through I_x(a, b) = 1 − I_{1−x}(b, a) otherwise (where it converges fast);
 * about 1e-14 relative.
 */
function regularizedBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (x === 0 || x === 1) return x;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(1 - x, b, a)) / b;
}

/** The continued fraction of I_x(a, b) (A&S 26.5.8), modified Lentz. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    // even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m))
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    // odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/** Two-sided p-value of Student's t statistic with `df` degrees of freedom: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}
