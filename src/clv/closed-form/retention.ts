import type { Table } from 'apache-arrow';
import { checkKnown, finish, frameOf } from './params';
import type { Timing } from './params';
import { _lifetimeValues } from './present-value';
import { resolveStream } from './stream-options';

/**
 * Options of `clv.retention` ({@link clv}). Each value is a number; in the table form `retention(table, options)` it
 * may also name a numeric column. Give `margin` or `margins`, not both.
 */
export interface RetentionClvOptions<V extends number | string = number> {
  /** m, the margin per period while the customer is retained (money per period); constant. */
  margin?: V;
  /** m₁ … m_n, one margin per period (numbers, shared by every row); sets the horizon n. */
  margins?: readonly number[];
  /**
   * r, the share of customers retained from one period to the next, in [0, 1]; or r₁ … r_n, one per period
   * (numbers, shared by every row; survival to period t is their product), which sets the horizon n.
   */
  retentionRate: V | readonly number[];
  /** d, the discount rate per period (cost of capital, 0.1 for 10 %), ≥ 0. */
  discountRate: V;
  /** n, the number of periods: a whole number ≥ 0. Default Infinity (needs retentionRate < 1 + discountRate). */
  periods?: V;
  /** m₀, money received at acquisition (t = 0, certain, not discounted). Default 0. */
  initialMargin?: V;
  /** AC, money spent to acquire the customer (t = 0). Default 0. */
  acquisitionCost?: V;
  /** When each period's margin arrives: `'end'` (default, discounted t periods) or `'start'` (t − 1 periods). */
  timing?: Timing;
}

const KNOWN = [
  'margin',
  'margins',
  'retentionRate',
  'discountRate',
  'periods',
  'initialMargin',
  'acquisitionCost',
  'timing',
] as const;

/**
 * The customer lifetime value under retention (the "customers as assets" model): the expected net present value
 * of a customer who stays from one period to the next with probability r, so that the margin of period t is
 * weighted by the probability r^t of still being a customer then.
 *
 * Use it to value a customer (or a segment, one row each) from three aggregate numbers — margin, retention,
 * cost of capital — e.g. with r from `averageRetention(retentionCurve(tx))`; to compare the payoff of a retention
 * gain with a margin gain; or, with `acquisitionCost`, to judge what acquisition spend pays back.
 *
 * Formula: CLV = m₀ + Σ_{t=1..n} m_t S_t / (1 + d)^t − AC with S_t = r^t (constant r) or r₁ r₂ ⋯ r_t (per-period
 * rates). Margins are received at the end of each period in which the customer is still retained (`timing: 'end'`,
 * the default); `'start'` discounts period t by (1 + d)^(t − 1), i.e. multiplies the sum by (1 + d). m₀ and AC fall
 * at t = 0, certain and not discounted. For constant m and r:
 * - infinite horizon (the default): m · r / (1 + d − r), the "margin multiple" r/(1 + d − r) of Gupta & Lehmann
 *   (margin 100, retention 0.8, discount 0.1 → 100 × 2.67 = 266.67); it needs r < 1 + d;
 * - finite horizon: m · r (1 − qⁿ)/(1 + d − r) with q = r/(1 + d), which tends to the above as n → ∞.
 * With `initialMargin: m` the infinite sum is m (1 + d)/(1 + d − r), the t = 0 form of Gupta, Lehmann & Stuart
 * (2004). The CRM textbook customer (Po = 3000, Co = 500, In − Cs = 900 a year, 10 years, 8 %) with a yearly
 * retention R is `{ initialMargin: 3000, acquisitionCost: 500, margin: 900, periods: 10, discountRate: 0.08,
 * retentionRate: R }`: Po − Co + Σ_{t=1..10} 900 R^t/1.08^t. Retention is an average over customers: the result
 * is the expected CLV of a customer just acquired.
 *
 * Units: money per period for margins, money for m₀ and AC; `retentionRate` and `discountRate` per period (both
 * yearly with yearly margins). The result is money at t = 0.
 *
 * Table form: `retention(table, options)` reads every number option given as a string from that numeric column
 * (arrays and `timing` stay shared), and returns the input's columns (shared, not copied) plus a Float64 column
 * `clv`, one value per row in input order. A row with a null or NaN input gets a null `clv` and is counted as
 * dropped (`invalidValue`) in the schema metadata, read with `droppedRows`; a value out of range is an error
 * naming its row.
 *
 * Cost: O(rows) with constant margin and retention (closed form, also for n = ∞); O(rows × n) with arrays.
 *
 * Reference: S. Gupta & D. R. Lehmann (2003), "Customers as assets", Journal of Interactive Marketing 17(1), 9–24
 * (CLV = m · r/(1 + i − r), the margin multiple); P. D. Berger & N. I. Nasr (1998), "Customer lifetime value:
 * marketing models and applications", Journal of Interactive Marketing 12(1), 17–30 (yearly contributions
 * weighted by r^t and discounted); S. Gupta, D. R. Lehmann & J. A. Stuart (2004), "Valuing customers", Journal of
 * Marketing Research 41(1), 7–18.
 *
 * @param options `margin` or `margins`, `retentionRate`, `discountRate`, `periods` (default ∞), `initialMargin`
 * (default 0), `acquisitionCost` (default 0), `timing` (default `'end'`); in the table form, numbers or column names
 * @throws {ClienteleError} `INVALID_OPTION` (missing, out of range, conflicting or unknown option; an infinite
 * horizon with retentionRate ≥ 1 + discountRate), `INVALID_VALUE` (a column value out of range, with its row),
 * `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * clv.retention({ margin: 100, retentionRate: 0.8, discountRate: 0.1 }); // 266.6666666666667
 * clv.retention({ initialMargin: 100, margin: 100, retentionRate: 0.8, discountRate: 0.1 }); // 366.6666666666667
 * clv.retention({ margin: 100, retentionRate: [0.5, 0.8], discountRate: 0 }); // 90
 * const textbook = { initialMargin: 3000, acquisitionCost: 500, margin: 900, periods: 10, discountRate: 0.08 };
 * Math.round(clv.retention({ ...textbook, retentionRate: 0.9 }) * 100) / 100; // 6273.22
 * const segments = clv.retention({ segment: ['new', 'loyal'], margin: [40, 120], r: [0.6, 0.9] }, { margin: 'margin', retentionRate: 'r', discountRate: 0.1 });
 * segments.getChild('clv')?.toArray(); // Float64Array [48, 540]
 */
export function retention(options: RetentionClvOptions): number;
export function retention(table: unknown, options: RetentionClvOptions<number | string>): Table;
export function retention(first: unknown, second?: unknown): number | Table {
  const fn = 'clv.retention';
  const { frame, options } = frameOf(fn, first, second, arguments.length);
  checkKnown(options, KNOWN, fn);
  const stream = resolveStream(frame, options, true);
  return finish(frame, _lifetimeValues(frame.rows, stream), options);
}
