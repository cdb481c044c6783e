import { digamma, GL4_NODES, GL4_WEIGHTS, lgamma } from '../math/internal';
import type { CustomerHistories } from './customer-histories';

// The Pareto/NBD log-likelihood and its gradient, as an integral over the drop-out time evaluated by quadrature.

/**
 * The sorted distinct values of `values` and, per value, its rank among them.
 * Cost: O(n) hashing-free pass over a sorted copy plus one binary search per value.
 */
function ranks(values: Float64Array): { sorted: Float64Array; rank: Int32Array } {
  const all = Float64Array.from(values).sort();
  let d = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[d - 1]) all[d++] = all[i];
  const sorted = all.slice(0, d);
  const rank = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { sorted, rank };
}

/**
 * The look-up tables the Pareto/NBD likelihood shares between evaluations: the distinct times among t_x and T
 * (sorted), the distinct x (sorted) with their total weight, and the distinct (x, time) pairs sorted by x then
 * time, grouped by x, with each pattern's pair for t_x and for T.
 */
function paretoTables(h: CustomerHistories) {
  const m = h.x.length;
  const times = new Float64Array(2 * m);
  times.set(h.tx, 0);
  times.set(h.T, m);
  const t = ranks(times);
  const xr = ranks(h.x);
  const nt = t.sorted.length;
  const nx = xr.sorted.length;
  const xWeight = new Float64Array(nx);
  for (let p = 0; p < m; p++) xWeight[xr.rank[p]] += h.weight[p];
  // a pair (x, time) as the exact integer x rank · nt + time rank (below 2⁵³ for any array length)
  const keys = new Float64Array(2 * m);
  for (let p = 0; p < m; p++) {
    keys[p] = xr.rank[p] * nt + t.rank[p];
    keys[m + p] = xr.rank[p] * nt + t.rank[m + p];
  }
  const pairs = ranks(keys);
  const np = pairs.sorted.length;
  const pairTime = new Int32Array(np);
  const groupStart = new Int32Array(nx + 1);
  for (let i = 0; i < np; i++) {
    const key = pairs.sorted[i];
    const group = Math.floor(key / nt);
    pairTime[i] = key - group * nt;
    groupStart[group + 1] = i + 1;
  }
  for (let j = 1; j <= nx; j++) groupStart[j] = Math.max(groupStart[j], groupStart[j - 1]);
  return {
    m,
    timeValues: t.sorted,
    xValues: xr.sorted,
    xId: xr.rank,
    xWeight,
    pairTime,
    groupStart,
    pairTx: pairs.rank.subarray(0, m),
    pairT: pairs.rank.subarray(m),
  };
}

/**
 * How far one 4-point Gauss–Legendre piece may reach: Q = h · [(r + x + 8)/(α + τ) + (s + 9)/(β + τ)] ≤ 1/2 at its
 * lower end τ, which bounds the rule's relative error by 5.6e-10 · Q⁸ ≈ 2e-12 (see math/gauss-legendre.ts: the 8th
 * derivative of (α + τ)^−p (β + τ)^−q is at most ((p + 7)/(α + τ) + (q + 7)/(β + τ))⁸ times the function).
 */
const PIECE = 0.5;

/**
 * The Pareto/NBD log-likelihood of weighted histories, as a function of (r, α, s, β); with `grad`, its gradient
 * ∂LL/∂(r, α, s, β) is written there too. Same value as the ₂F₁ form of {@link fitParetoNbd}'s doc comment (to about
 * 1e-12 relative), from the likelihood written as an integral over the drop-out time τ (Fader & Hardie 2005, note
 * 009, §3, before the integral is done):
 *
 *   L = Γ(r + x) αʳ βˢ / Γ(r) · [E(T) + s ∫_{t_x}^T f(τ) dτ],
 *   E(t) = (α + t)^−(r+x) (β + t)^−s,  f(τ) = (α + τ)^−(r+x) (β + τ)^−(s+1),
 *
 * the first term for a customer alive at T, the second for one who dropped out at τ between his last purchase and
 * T. Every term is positive, and the parameters enter through powers only, so the gradient is the same integral
 * with a factor: −ln(α + τ) for r, −(r + x)/(α + τ) for α, −ln(β + τ) (plus 1/s) for s, −(s + 1)/(β + τ) for β.
 *
 * Evaluation, per distinct x: the pattern times (its t_x and T values) sorted; S(t) = ∫_t^{t_max} f / f(t) summed
 * from the top down, gap by gap, S(tₖ) = S(tₖ₊₁) f(tₖ₊₁)/f(tₖ) + ∫_{tₖ}^{tₖ₊₁} f/f(tₖ), each gap by 4-point
 * Gauss–Legendre pieces whose length keeps the rule's relative error near 1e-12 ({@link PIECE}); each integral is
 * held relative to f at its lower end, so nothing overflows whatever x. Then per pattern
 * ∫_{t_x}^T f / E(T) = S(t_x) f(t_x)/E(T) − S(T)/(β + T): one exp and one log per pattern, as for the BG/NBD.
 *
 * Cost: O(m) per evaluation for m patterns, plus 4 nodes (two log1p, one exp) per gap and piece of each x's times:
 * with times in whole days, about as many nodes as distinct (x, day) pairs.
 */
export function paretoNbdLikelihoodFunction(
  h: CustomerHistories,
): (p: ArrayLike<number>, grad?: Float64Array) => number {
  const tables = paretoTables(h);
  const { m, timeValues, xValues, xId, xWeight, pairTime, groupStart, pairTx, pairT } = tables;
  const nt = timeValues.length;
  const np = pairTime.length;
  const lnA = new Float64Array(nt);
  const lnB = new Float64Array(nt);
  const invA = new Float64Array(nt);
  const invB = new Float64Array(nt);
  const S0 = new Float64Array(np);
  const Sr = new Float64Array(np);
  const Sa = new Float64Array(np);
  const Ss = new Float64Array(np);
  const Sb = new Float64Array(np);
  const xs = h.x;
  const weight = h.weight;
  const u0 = GL4_NODES[0];
  const u1 = GL4_NODES[1];
  const w0 = GL4_WEIGHTS[0];
  const w1 = GL4_WEIGHTS[1];

  /** The cumulative integrals S0 of every pair, value only. */
  const sweepValue = (r: number, alpha: number, s: number, beta: number) => {
    const q = s + 1;
    for (let j = 0; j < xValues.length; j++) {
      const p = r + xValues[j];
      const start = groupStart[j];
      const end = groupStart[j + 1];
      S0[end - 1] = 0;
      // hand-written: the walk down each x's times, the likelihood's only transcendental work beside the patterns
      for (let i = end - 2; i >= start; i--) {
        const ka = pairTime[i];
        const kb = pairTime[i + 1];
        const a = timeValues[ka];
        const b = timeValues[kb];
        const iA = invA[ka];
        const iB = invB[ka];
        let g0 = 0;
        let tau = a;
        while (tau < b) {
          const rate = (p + 8) / (alpha + tau) + (q + 8) / (beta + tau);
          const last = (b - tau) * rate <= PIECE;
          const half = 0.5 * (last ? b - tau : PIECE / rate);
          const mid = tau + half - a;
          const d0 = half * u0;
          const d1 = half * u1;
          const f0 = Math.exp(-p * Math.log1p((mid - d0) * iA) - q * Math.log1p((mid - d0) * iB));
          const f1 = Math.exp(-p * Math.log1p((mid + d0) * iA) - q * Math.log1p((mid + d0) * iB));
          const f2 = Math.exp(-p * Math.log1p((mid - d1) * iA) - q * Math.log1p((mid - d1) * iB));
          const f3 = Math.exp(-p * Math.log1p((mid + d1) * iA) - q * Math.log1p((mid + d1) * iB));
          g0 += half * (w0 * (f0 + f1) + w1 * (f2 + f3));
          tau = last ? b : tau + 2 * half;
        }
        const ratio = Math.exp(-p * (lnA[kb] - lnA[ka]) - q * (lnB[kb] - lnB[ka]));
        S0[i] = S0[i + 1] * ratio + g0;
      }
    }
  };

  /** S0 and the four weighted integrals (ln(α+τ), 1/(α+τ), ln(β+τ), 1/(β+τ) times f) of every pair. */
  const sweepGradient = (r: number, alpha: number, s: number, beta: number) => {
    const q = s + 1;
    for (let j = 0; j < xValues.length; j++) {
      const p = r + xValues[j];
      const start = groupStart[j];
      const end = groupStart[j + 1];
      S0[end - 1] = 0;
      Sr[end - 1] = 0;
      Sa[end - 1] = 0;
      Ss[end - 1] = 0;
      Sb[end - 1] = 0;
      for (let i = end - 2; i >= start; i--) {
        const ka = pairTime[i];
        const kb = pairTime[i + 1];
        const a = timeValues[ka];
        const b = timeValues[kb];
        const iA = invA[ka];
        const iB = invB[ka];
        const lA = lnA[ka];
        const lB = lnB[ka];
        let g0 = 0;
        let gr = 0;
        let ga = 0;
        let gs = 0;
        let gb = 0;
        let tau = a;
        while (tau < b) {
          const rate = (p + 8) / (alpha + tau) + (q + 8) / (beta + tau);
          const last = (b - tau) * rate <= PIECE;
          const half = 0.5 * (last ? b - tau : PIECE / rate);
          const mid = tau + half - a;
          for (let k = 0; k < 4; k++) {
            const offset = mid + (k & 1 ? 1 : -1) * half * (k < 2 ? u0 : u1);
            const la = Math.log1p(offset * iA);
            const lb = Math.log1p(offset * iB);
            const v = half * (k < 2 ? w0 : w1) * Math.exp(-p * la - q * lb);
            g0 += v;
            gr += v * (lA + la);
            ga += v / (alpha + a + offset);
            gs += v * (lB + lb);
            gb += v / (beta + a + offset);
          }
          tau = last ? b : tau + 2 * half;
        }
        const ratio = Math.exp(-p * (lnA[kb] - lnA[ka]) - q * (lnB[kb] - lnB[ka]));
        S0[i] = S0[i + 1] * ratio + g0;
        Sr[i] = Sr[i + 1] * ratio + gr;
        Sa[i] = Sa[i + 1] * ratio + ga;
        Ss[i] = Ss[i + 1] * ratio + gs;
        Sb[i] = Sb[i + 1] * ratio + gb;
      }
    }
  };

  return (params, grad) => {
    const r = params[0];
    const alpha = params[1];
    const s = params[2];
    const beta = params[3];
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return NaN;
    for (let k = 0; k < nt; k++) {
      lnA[k] = Math.log(alpha + timeValues[k]);
      lnB[k] = Math.log(beta + timeValues[k]);
      invA[k] = 1 / (alpha + timeValues[k]);
      invB[k] = 1 / (beta + timeValues[k]);
    }
    const logAlpha = Math.log(alpha);
    const logBeta = Math.log(beta);
    const perCustomer = -lgamma(r) + r * logAlpha + s * logBeta;
    let total = 0;
    for (let j = 0; j < xValues.length; j++) total += xWeight[j] * (lgamma(r + xValues[j]) + perCustomer);
    if (grad === undefined) {
      sweepValue(r, alpha, s, beta);
      // hand-written: one pass over the patterns with table look-ups, as bgNbdLogLikelihood
      for (let p = 0; p < m; p++) {
        const rx = r + xs[p];
        const ix = pairTx[p];
        const iT = pairT[p];
        const kx = pairTime[ix];
        const kT = pairTime[iT];
        const logE = -rx * lnA[kT] - s * lnB[kT];
        // ln(f(t_x)/E(T)); above 700 the terms are taken relative to f(t_x) instead of E(T) (a huge x)
        const lu = -rx * (lnA[kx] - lnA[kT]) - s * (lnB[kx] - lnB[kT]) - lnB[kx];
        let d: number;
        if (lu <= 700) d = Math.log(1 + s * (S0[ix] * Math.exp(lu) - S0[iT] * invB[kT]));
        else d = lu + Math.log(Math.exp(-lu) + s * (S0[ix] - S0[iT] * invB[kT] * Math.exp(-lu)));
        total += weight[p] * (logE + d);
      }
      return total;
    }
    sweepGradient(r, alpha, s, beta);
    const q = s + 1;
    const psiR = digamma(r);
    let gr = 0;
    let gAlpha = 0;
    let gs = 0;
    let gBeta = 0;
    for (let j = 0; j < xValues.length; j++) {
      const w = xWeight[j];
      gr += w * (digamma(r + xValues[j]) - psiR + logAlpha);
      gAlpha += (w * r) / alpha;
      gs += w * logBeta;
      gBeta += (w * s) / beta;
    }
    for (let p = 0; p < m; p++) {
      const w = weight[p];
      const rx = r + xs[p];
      const ix = pairTx[p];
      const iT = pairT[p];
      const kx = pairTime[ix];
      const kT = pairTime[iT];
      const logE = -rx * lnA[kT] - s * lnB[kT];
      const lu = -rx * (lnA[kx] - lnA[kT]) - s * (lnB[kx] - lnB[kT]) - lnB[kx];
      // the alive term, f(t_x) and f(T) relative to E(T), or to f(t_x) when that ratio would overflow
      const big = lu > 700;
      const kE = big ? Math.exp(-lu) : 1;
      const v1 = big ? 1 : Math.exp(lu);
      const v2 = invB[kT] * kE;
      const i0 = S0[ix] * v1 - S0[iT] * v2;
      const d = kE + s * i0;
      total += w * (logE + (big ? lu : 0) + Math.log(d));
      const wd = w / d;
      gr += wd * (-kE * lnA[kT] - s * (Sr[ix] * v1 - Sr[iT] * v2));
      gAlpha -= wd * rx * (kE * invA[kT] + s * (Sa[ix] * v1 - Sa[iT] * v2));
      gs += wd * (-kE * lnB[kT] + i0 - s * (Ss[ix] * v1 - Ss[iT] * v2));
      gBeta -= wd * s * (kE * invB[kT] + q * (Sb[ix] * v1 - Sb[iT] * v2));
    }
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = gs;
    grad[3] = gBeta;
    return total;
  };
}
