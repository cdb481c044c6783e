import { digamma, GL4_NODES, GL4_WEIGHTS, lgamma } from '../math/internal';
import type { CustomerHistories } from './customer-histories';
import { _uniqueRows } from './unique-rows';

// The Pareto/NBD log-likelihood and its gradient, as an integral over the drop-out time evaluated by quadrature.

/**
 * The sorted distinct values of `values` and, per value, its rank among them: hashed to distinct values first
 * (O(n)), so that only those are sorted and searched (O(d log d)).
 */
function ranks(values: Float64Array): { sorted: Float64Array; rank: Int32Array } {
  const unique = _uniqueRows([values]);
  const distinct = unique.columns[0];
  const sorted = Float64Array.from(distinct).sort();
  const position = new Int32Array(distinct.length);
  for (let id = 0; id < distinct.length; id++) {
    const v = distinct[id];
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    position[id] = lo;
  }
  const rank = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) rank[i] = position[unique.index[i]];
  return { sorted, rank };
}

/**
 * {@link ranks} of whole numbers in [0, size) by direct addressing (no hashing, no sort): what the (x, time) pair
 * keys of data in whole days are, where x's and days are few.
 */
function directRanks(values: Float64Array, size: number): { sorted: Float64Array; rank: Int32Array } {
  const position = new Int32Array(size);
  for (let i = 0; i < values.length; i++) position[values[i]] = 1;
  let d = 0;
  for (let k = 0; k < size; k++) if (position[k] === 1) position[k] = d++;
  const sorted = new Float64Array(d);
  const rank = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    rank[i] = position[values[i]];
    sorted[rank[i]] = values[i];
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
  const pairs = nx * nt <= 8 * m + 4096 ? directRanks(keys, nx * nt) : ranks(keys);
  const np = pairs.sorted.length;
  const pairTime = new Int32Array(np);
  const pairGroup = new Int32Array(np);
  const groupStart = new Int32Array(nx + 1);
  for (let i = 0; i < np; i++) {
    const key = pairs.sorted[i];
    const group = Math.floor(key / nt);
    pairTime[i] = key - group * nt;
    pairGroup[i] = group;
    groupStart[group + 1] = i + 1;
  }
  for (let j = 1; j <= nx; j++) groupStart[j] = Math.max(groupStart[j], groupStart[j - 1]);
  return {
    m,
    timeValues: t.sorted,
    xValues: xr.sorted,
    xWeight,
    pairTime,
    pairGroup,
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
 * Where a gap's integral stops: once f has fallen below e^−60 of its value at the gap's lower end (f decreases), the
 * rest of the gap adds less than e^−60 times its length over the first piece's, far below rounding.
 */
const NEGLIGIBLE = -60;

/** The tables and per-evaluation buffers of one likelihood: built once per fit, reused by every evaluation. */
type ParetoState = ReturnType<typeof paretoTables> & {
  /** ln(α + t), ln(β + t) per distinct time. */
  lnA: Float64Array;
  lnB: Float64Array;
  /** Per pair: ∫_t^{t_max} f/f(t), and the same with the factors ln(α+τ), 1/(α+τ), ln(β+τ), 1/(β+τ). */
  S0: Float64Array;
  Sr: Float64Array;
  Sa: Float64Array;
  Ss: Float64Array;
  Sb: Float64Array;
  /** Per pair: A = ln(E(t) − J(t)), C = ln J(t), and the summed pattern weights of each. */
  A: Float64Array;
  C: Float64Array;
  weightA: Float64Array;
  weightC: Float64Array;
  weight: Float64Array;
};

function paretoState(h: CustomerHistories): ParetoState {
  const tables = paretoTables(h);
  const nt = tables.timeValues.length;
  const np = tables.pairTime.length;
  const perPair = () => new Float64Array(np);
  return {
    ...tables,
    lnA: new Float64Array(nt),
    lnB: new Float64Array(nt),
    S0: perPair(),
    Sr: perPair(),
    Sa: perPair(),
    Ss: perPair(),
    Sb: perPair(),
    A: perPair(),
    C: perPair(),
    weightA: perPair(),
    weightC: perPair(),
    weight: h.weight,
  };
}

/** The cumulative integrals S0 of every pair (and Sr, Sa, Ss, Sb `withFactors`). */
function sweep(st: ParetoState, r: number, alpha: number, s: number, beta: number, withFactors: boolean): void {
  const { timeValues, xValues, groupStart, pairTime, lnA, lnB, S0, Sr, Sa, Ss, Sb } = st;
  const [u0, u1] = GL4_NODES;
  const [w0, w1] = GL4_WEIGHTS;
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
    // hand-written: the walk down each x's times, the likelihood's only transcendental work beside the patterns
    for (let i = end - 2; i >= start; i--) {
      const ka = pairTime[i];
      const kb = pairTime[i + 1];
      const a = timeValues[ka];
      const b = timeValues[kb];
      const iA = 1 / (alpha + a);
      const iB = 1 / (beta + a);
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
        const d0 = half * u0;
        const d1 = half * u1;
        // nodes mid ∓ d0, mid ∓ d1 (offsets from a); f relative to f(a) = exp(−p ln(1 + u/(α+a)) − q ln(1 + u/(β+a)))
        const la0 = Math.log1p((mid - d0) * iA);
        const lb0 = Math.log1p((mid - d0) * iB);
        const la1 = Math.log1p((mid + d0) * iA);
        const lb1 = Math.log1p((mid + d0) * iB);
        const la2 = Math.log1p((mid - d1) * iA);
        const lb2 = Math.log1p((mid - d1) * iB);
        const la3 = Math.log1p((mid + d1) * iA);
        const lb3 = Math.log1p((mid + d1) * iB);
        const v0 = half * w0 * Math.exp(-p * la0 - q * lb0);
        const v1 = half * w0 * Math.exp(-p * la1 - q * lb1);
        const v2 = half * w1 * Math.exp(-p * la2 - q * lb2);
        const v3 = half * w1 * Math.exp(-p * la3 - q * lb3);
        g0 += v0 + v1 + v2 + v3;
        if (withFactors) {
          gr += v0 * (lA + la0) + v1 * (lA + la1) + v2 * (lA + la2) + v3 * (lA + la3);
          gs += v0 * (lB + lb0) + v1 * (lB + lb1) + v2 * (lB + lb2) + v3 * (lB + lb3);
          ga += v0 / (alpha + a + mid - d0) + v1 / (alpha + a + mid + d0);
          ga += v2 / (alpha + a + mid - d1) + v3 / (alpha + a + mid + d1);
          gb += v0 / (beta + a + mid - d0) + v1 / (beta + a + mid + d0);
          gb += v2 / (beta + a + mid - d1) + v3 / (beta + a + mid + d1);
        }
        tau = last ? b : tau + 2 * half;
        // f near the piece's upper end (its last node) relative to f(a): the rest of the gap is negligible below e^−60
        if (!last && -p * la3 - q * lb3 < NEGLIGIBLE) break;
      }
      const ratio = Math.exp(-p * (lnA[kb] - lA) - q * (lnB[kb] - lB));
      S0[i] = S0[i + 1] * ratio + g0;
      if (withFactors) {
        Sr[i] = Sr[i + 1] * ratio + gr;
        Sa[i] = Sa[i + 1] * ratio + ga;
        Ss[i] = Ss[i + 1] * ratio + gs;
        Sb[i] = Sb[i + 1] * ratio + gb;
      }
    }
  }
}

/** A and C of every pair from S0: E(t) − J(t) = E(t)(1 − s S0/(β + t)) since f(t)/E(t) = 1/(β + t). */
function pairLogs(st: ParetoState, r: number, s: number, beta: number): void {
  const { timeValues, xValues, pairTime, pairGroup, lnA, lnB, S0, A, C } = st;
  const np = pairTime.length;
  const logS = Math.log(s);
  for (let i = 0; i < np; i++) {
    const k = pairTime[i];
    const p = r + xValues[pairGroup[i]];
    const logE = -p * lnA[k] - s * lnB[k];
    const share = (s * S0[i]) / (beta + timeValues[k]);
    // 1 − share > 0 in exact arithmetic (the K term of the note); a floor keeps the log finite at r → 0
    A[i] = logE + Math.log(Math.max(1 - share, 1e-300));
    // no integral above the top time of an x: a huge negative stand-in for −∞, which keeps (d + |d|)/2 exact
    C[i] = S0[i] > 0 ? logS + Math.log(S0[i]) + logE - lnB[k] : -1e300;
  }
}

/**
 * The Pareto/NBD log-likelihood of weighted histories, as a function of (r, α, s, β); with `grad`, its gradient
 * ∂LL/∂(r, α, s, β) is written there too. Same value as the ₂F₁ form of `fitParetoNbd`'s doc comment (to about
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
 * Evaluation, per distinct x: the pattern times (its t_x and T values) sorted; J(t) = s ∫_t^{t_max} f summed from
 * the top down, gap by gap, by 4-point Gauss–Legendre pieces whose length keeps the rule's relative error near
 * 1e-12 ({@link PIECE}), each gap's integral held relative to f at its lower end so that nothing overflows whatever
 * x. Then the bracket is B = [E(T) − J(T)] + J(t_x), a sum of two positive terms (E(T) − J(T) is the probability
 * weight of "alive at T or gone after t_max", no cancellation that matters: its rounding is below ε·B), whose logs
 * A (per (x, T) pair) and C (per (x, t_x) pair) are tabled, so that each pattern costs one log-sum-exp, as for the
 * BG/NBD. The gradient of ln B is (1 − σ) ∂A + σ ∂C with σ = e^C/B: the per-pattern weights are summed per pair
 * and multiplied by the pair's derivatives once.
 *
 * Cost: O(m) per evaluation for m patterns (one exp, one log1p each), plus 4 nodes (two log1p, one exp) per piece
 * of each x's times: with times in whole days, about one piece per distinct (x, day) pair.
 */
export function paretoNbdLikelihoodFunction(
  h: CustomerHistories,
): (p: ArrayLike<number>, grad?: Float64Array) => number {
  const st = paretoState(h);
  return (params, grad) => {
    const r = params[0];
    const alpha = params[1];
    const s = params[2];
    const beta = params[3];
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return NaN;
    const { timeValues, xValues, xWeight, lnA, lnB } = st;
    for (let k = 0; k < timeValues.length; k++) {
      lnA[k] = Math.log(alpha + timeValues[k]);
      lnB[k] = Math.log(beta + timeValues[k]);
    }
    const perCustomer = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    let total = 0;
    for (let j = 0; j < xValues.length; j++) total += xWeight[j] * (lgamma(r + xValues[j]) + perCustomer);
    sweep(st, r, alpha, s, beta, grad !== undefined);
    pairLogs(st, r, s, beta);
    if (grad === undefined) return total + patternsValue(st);
    total += patternsWeights(st);
    gradient(st, r, alpha, s, beta, grad);
    return total;
  };
}

/** Σ w ln(e^A + e^C) over the patterns. */
function patternsValue(st: ParetoState): number {
  const { m, pairT, pairTx, A, C, weight } = st;
  let total = 0;
  // hand-written: one pass over the patterns with table look-ups and the log-sum-exp inlined, as bgNbdLogLikelihood
  for (let p = 0; p < m; p++) {
    const a = A[pairT[p]];
    const d = C[pairTx[p]] - a;
    const ad = Math.abs(d);
    total += weight[p] * (a + 0.5 * (d + ad) + Math.log1p(Math.exp(-ad)));
  }
  return total;
}

/** Σ w ln(e^A + e^C) over the patterns, with each pattern's weight split between its A pair (1 − σ) and C pair (σ). */
function patternsWeights(st: ParetoState): number {
  const { m, pairT, pairTx, A, C, weight, weightA, weightC } = st;
  weightA.fill(0);
  weightC.fill(0);
  let total = 0;
  for (let p = 0; p < m; p++) {
    const iT = pairT[p];
    const ix = pairTx[p];
    const w = weight[p];
    const a = A[iT];
    const d = C[ix] - a;
    const ad = Math.abs(d);
    const e = Math.exp(-ad);
    total += w * (a + 0.5 * (d + ad) + Math.log1p(e));
    const wc = (w * (d > 0 ? 1 : e)) / (1 + e); // w σ, σ = e^C / (e^A + e^C)
    weightC[ix] += wc;
    weightA[iT] += w - wc;
  }
  return total;
}

/** ∂LL/∂(r, α, s, β) from the per-x constants and the weighted per-pair derivatives of A and C, into `grad`. */
function gradient(st: ParetoState, r: number, alpha: number, s: number, beta: number, grad: Float64Array): void {
  const { timeValues, xValues, xWeight, pairTime, pairGroup, lnA, lnB, S0, Sr, Sa, Ss, Sb, weightA, weightC } = st;
  const psiR = digamma(r);
  const logAlpha = Math.log(alpha);
  const logBeta = Math.log(beta);
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
  const q = s + 1;
  for (let i = 0; i < pairTime.length; i++) {
    const k = pairTime[i];
    const p = r + xValues[pairGroup[i]];
    const iA = 1 / (alpha + timeValues[k]);
    const iB = 1 / (beta + timeValues[k]);
    const wA = weightA[i];
    if (wA !== 0) {
      // ∂A = (∂E − ∂J)/(E − J), every term over E(t): ∂J/E = s (∂-factor integral)/(β + t)
      const scale = wA / Math.max(1 - s * S0[i] * iB, 1e-300);
      const sb = s * iB;
      gr += scale * (-lnA[k] + sb * Sr[i]);
      gAlpha += scale * p * (-iA + sb * Sa[i]);
      gs += scale * (-lnB[k] - iB * S0[i] + sb * Ss[i]);
      gBeta += scale * s * (-iB + q * iB * Sb[i]);
    }
    const wC = weightC[i];
    if (wC !== 0) {
      // ∂C = ∂J/J: ln J = ln s + ln ∫f, the factors averaged over f
      const scale = wC / S0[i];
      gr -= scale * Sr[i];
      gAlpha -= scale * p * Sa[i];
      gs += wC / s - scale * Ss[i];
      gBeta -= scale * q * Sb[i];
    }
  }
  grad[0] = gr;
  grad[1] = gAlpha;
  grad[2] = gs;
  grad[3] = gBeta;
}
