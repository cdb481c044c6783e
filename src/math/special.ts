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
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}
