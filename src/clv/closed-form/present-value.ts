import type { Param, Timing } from './params';

/**
 * The one core of `clv.discounted` and `clv.retention` (internal; trusts its input): the present value of a margin
 * stream weighted by survival,
 *
 *   CLV = m₀ + Σ_{t=1..n} m_t · S_t / (1 + d)^(t − τ) − AC,   S_t = r₁ · r₂ ⋯ r_t,
 *
 * with τ = 0 when margins arrive at the end of each period and τ = 1 at its start. `clv.discounted` is the case
 * r_t = 1. With constant m and r the sum is geometric and taken in closed form (O(1) per row, also for n = ∞);
 * per-period arrays are summed term by term with compensated summation (O(n) per row).
 */
export interface StreamParams {
  /** m, the margin per period (ignored when `margins` is given). */
  readonly margin: Param;
  /** m₁ … m_n, shared by every row, or null. */
  readonly margins: Float64Array | null;
  /** r, the retention rate per period (ignored when `retentions` is given). */
  readonly retention: Param;
  /** r₁ … r_n, shared by every row, or null. */
  readonly retentions: Float64Array | null;
  /** d, the discount rate per period. */
  readonly discount: Param;
  /** n, the number of periods (may be Infinity when no array is given). */
  readonly periods: Param;
  /** m₀, received at t = 0 and not discounted. */
  readonly initial: Param;
  /** AC, spent at t = 0. */
  readonly cost: Param;
  readonly timing: Timing;
}

/**
 * Σ_{t=1..n} q^t with q = r/(1 + d), r ∈ [0, 1], d ≥ 0, n ≥ 0 whole or ∞ (then r < 1 + d).
 *
 * As r(1 − qⁿ)/(1 + d − r): 1 − qⁿ = −expm1(n (ln r − ln1p d)) keeps full precision when q is close to 1, and
 * 1 + d − r = (1 − r) + d is exact for r ≥ ½ (Sterbenz). q = 1 (r = 1, d = 0) gives n.
 */
function geometricSum(r: number, d: number, n: number): number {
  if (n === 0 || r === 0) return 0;
  const gap = 1 - r + d; // (1 + d)(1 − q)
  if (gap === 0) return n;
  if (n === Infinity) return r / gap;
  return (r * -Math.expm1(n * (Math.log(r) - Math.log1p(d)))) / gap;
}

/** CLV per row (`rows` rows; a scalar call is one row). */
export function _lifetimeValues(rows: number, p: StreamParams): Float64Array {
  const out = new Float64Array(rows);
  const m = p.margin.values;
  const ms = p.margin.step;
  const r = p.retention.values;
  const rs = p.retention.step;
  const d = p.discount.values;
  const ds = p.discount.step;
  const n = p.periods.values;
  const ns = p.periods.step;
  const m0 = p.initial.values;
  const m0s = p.initial.step;
  const ac = p.cost.values;
  const acs = p.cost.step;
  const tau = p.timing === 'start' ? 1 : 0; // 'start' = 'end' × (1 + d): hoisted out of the loops as a factor

  if (p.margins === null && p.retentions === null) {
    // constant margin and retention: the geometric closed form
    for (let i = 0; i < rows; i++) {
      const di = d[i * ds];
      const stream = m[i * ms] * geometricSum(r[i * rs], di, n[i * ns]) * (1 + tau * di);
      out[i] = m0[i * m0s] + stream - ac[i * acs];
    }
    return out;
  }

  // per-period arrays: term by term. A constant margin or retention becomes a one-element series with stride 0,
  // so the inner loop has no branch.
  const horizon = (p.margins ?? p.retentions)!.length;
  const marginSeries = p.margins ?? new Float64Array(1);
  const marginStep = p.margins ? 1 : 0;
  const retentionSeries = p.retentions ?? new Float64Array(1);
  const retentionStep = p.retentions ? 1 : 0;
  for (let i = 0; i < rows; i++) {
    if (!p.margins) marginSeries[0] = m[i * ms];
    if (!p.retentions) retentionSeries[0] = r[i * rs];
    const di = d[i * ds];
    const growth = 1 + di;
    let survival = 1; // S_t
    let discount = 1; // (1 + d)^−t
    let sum = 0;
    let compensation = 0; // Neumaier: money totals over long horizons stay exact
    for (let t = 0; t < horizon; t++) {
      survival *= retentionSeries[t * retentionStep];
      discount /= growth;
      const term = marginSeries[t * marginStep] * survival * discount;
      const s = sum + term;
      compensation += (sum >= 0 ? sum : -sum) >= (term >= 0 ? term : -term) ? sum - s + term : term - s + sum;
      sum = s;
    }
    const stream = (sum + compensation) * (1 + tau * di);
    out[i] = m0[i * m0s] + stream - ac[i * acs];
  }
  return out;
}
