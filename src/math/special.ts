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
