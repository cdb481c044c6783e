import type { Table } from 'apache-arrow';
import { checkKnown, finish, frameOf } from './params';
import type { Timing } from './params';
import { _lifetimeValues } from './present-value';
import { resolveStream } from './stream-options';

/**
 * Options of `clv.discounted` ({@link clv}). Each value is a number; in the table form `discounted(table, options)` it
 * may also name a numeric column. Give `margin` or `margins`, not both.
 */
export interface DiscountedClvOptions<V extends number | string = number> {
  /** m, the margin per period (money per period, e.g. yearly income less yearly service cost); constant. */
  margin?: V;
  /** m₁ … m_n, one margin per period (numbers, shared by every row); sets the horizon n. */
  margins?: readonly number[];
  /** n, the number of periods: a whole number ≥ 0, or Infinity (a perpetuity, needs discountRate > 0). Required with `margin`. */
  periods?: V;
  /** d, the discount rate per period (cost of capital, 0.08 for 8 %), ≥ 0. */
  discountRate: V;
  /** m₀, money received at acquisition (t = 0, not discounted), e.g. the margin of the first purchase. Default 0. */
  initialMargin?: V;
  /** AC, money spent to acquire the customer (t = 0, not discounted). Default 0. */
  acquisitionCost?: V;
  /** When each period's margin arrives: `'end'` (default, discounted t periods) or `'start'` (t − 1 periods). */
  timing?: Timing;
}

const KNOWN = ['margin', 'margins', 'periods', 'discountRate', 'initialMargin', 'acquisitionCost', 'timing'] as const;

/**
 * The discounted customer lifetime value over a known horizon: the net present value of a customer who stays n
 * periods for sure, as in the CRM textbook exercise and in discounted-cash-flow practice.
 *
 * Use it when the relationship has a contractual or assumed length (a 3-year contract, a 10-year customer) and the
 * question is what that customer is worth today, or how much may be spent to win them (CLV before `acquisitionCost`
 * is the break-even acquisition spend).
 *
 * Formula: CLV = m₀ + Σ_{t=1..n} m_t / (1 + d)^t − AC with margins at the end of each period (`timing: 'end'`,
 * the default); `'start'` discounts period t by (1 + d)^(t − 1), i.e. multiplies the sum by (1 + d). m₀ and AC fall
 * at t = 0 and are not discounted. A constant margin is summed in closed form, m (1 − (1 + d)^−n)/d (m·n when
 * d = 0; m/d for n = ∞); per-period `margins` term by term with compensated summation.
 *
 * The textbook exercise, in its own names: a customer kept n = 10 years, acquisition cost Co = 500, first-purchase
 * price Po = 3000, added yearly income In = 1000, yearly direct service cost Cs = 100, interest r = 8 % is
 * `{ initialMargin: Po, acquisitionCost: Co, margin: In − Cs, periods: n, discountRate: r }`: simple CLV
 * (discountRate 0) Po − Co + n (In − Cs) = 11,500; discounted Po − Co + Σ_{t=1..10} (In − Cs)/1.08^t = 8,539.07.
 * With a yearly retention R, use `clv.retention` with the same options plus `retentionRate: R`.
 *
 * Units: money per period for margins, money for m₀ and AC; `discountRate` per period (a yearly 8 % with yearly
 * margins; (1.08)^(1/12) − 1 per month with monthly margins). The result is money at t = 0.
 *
 * Table form: `discounted(table, options)` reads every number option given as a string from that numeric column
 * (`margins` and `timing` stay shared), and returns the input's columns (shared, not copied) plus a Float64 column
 * `clv`, one value per row in input order. A row with a null or NaN input gets a null `clv` and is counted as
 * dropped (`invalidValue`) in the schema metadata, read with `droppedRows`; a value out of range is an error
 * naming its row.
 *
 * Cost: O(rows) with a constant margin; O(rows × n) with `margins`.
 *
 * Reference: P. D. Berger & N. I. Nasr (1998), "Customer lifetime value: marketing models and applications",
 * Journal of Interactive Marketing 12(1), 17–30 (lifetime value as discounted yearly contributions, with the
 * first-year contribution and the acquisition cost at t = 0); the present value of an annuity.
 *
 * @param options `margin` or `margins`, `periods`, `discountRate`, `initialMargin` (default 0), `acquisitionCost`
 * (default 0), `timing` (default `'end'`); in the table form, numbers or column names
 * @throws {ClienteleError} `INVALID_OPTION` (missing, out of range, conflicting or unknown option; an infinite
 * horizon with discountRate 0), `INVALID_VALUE` (a column value out of range, with its row), `MISSING_COLUMN`,
 * `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * const textbook = { initialMargin: 3000, acquisitionCost: 500, margin: 1000 - 100, periods: 10 };
 * clv.discounted({ ...textbook, discountRate: 0 }); // 11500
 * Math.round(clv.discounted({ ...textbook, discountRate: 0.08 }) * 100) / 100; // 8539.07
 * clv.discounted({ margins: [100, 200], discountRate: 0.1 }); // 256.19834710743805
 * clv.discounted({ margins: [100, 200], discountRate: 0.1, timing: 'start' }); // 281.8181818181818
 * const t = clv.discounted({ margin: [900, 400] }, { margin: 'margin', periods: 10, discountRate: 0 });
 * t.getChild('clv')?.toArray(); // Float64Array [9000, 4000]
 */
export function discounted(options: DiscountedClvOptions): number;
export function discounted(table: unknown, options: DiscountedClvOptions<number | string>): Table;
export function discounted(first: unknown, second?: unknown): number | Table {
  const fn = 'clv.discounted';
  const { frame, options } = frameOf(fn, first, second, arguments.length);
  checkKnown(options, KNOWN, fn);
  const stream = resolveStream(frame, options, false);
  return finish(frame, _lifetimeValues(frame.rows, stream), options);
}
