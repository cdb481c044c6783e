import type { Table } from 'apache-arrow';
import { checkKnown, finish, frameOf, resolveParam, RULES } from './params';

/**
 * Options of `clv.simple` ({@link clv}). Each value is a number; in the table form `simple(table, options)` it may also
 * name a numeric column (one value per row).
 */
export interface SimpleClvOptions<V extends number | string = number> {
  /** Average revenue per order, money. */
  averageOrderValue: V;
  /** Orders per period (per year when `lifespan` is in years), ≥ 0. */
  purchaseFrequency: V;
  /** Expected number of periods the customer stays, ≥ 0 (need not be whole). */
  lifespan: V;
  /** Margin as a share of revenue, at most 1 (0.3 for 30 %). Default 1: the CLV is then in revenue. */
  margin?: V;
}

const KNOWN = ['averageOrderValue', 'purchaseFrequency', 'lifespan', 'margin'] as const;

/**
 * The simple (undiscounted) customer lifetime value of retail practice: what an average customer brings over the
 * time they stay, from three numbers an analyst can read off a `customerSummary`.
 *
 * Use it as a first, transparent estimate — to size what may be spent to acquire a customer, or to rank segments —
 * before discounting (`clv.discounted`) or modelling churn (`clv.retention`).
 *
 * Formula: CLV = averageOrderValue × purchaseFrequency × lifespan × margin. No discounting and no churn within the
 * lifespan: every period of the lifespan is worth the same, so it overstates value when the lifespan is long or
 * the cost of capital high.
 *
 * Units: money (the unit of `averageOrderValue`); `purchaseFrequency` and `lifespan` in the same period (orders
 * per year and years, or per month and months); `margin` a fraction.
 *
 * Table form: `simple(table, options)` reads every option given as a string from that numeric column, broadcasts
 * numbers, and returns the input's columns (shared, not copied) plus a Float64 column `clv`, one value per row
 * in input order. A row with a null or NaN input gets a null `clv` and is counted as dropped (`invalidValue`) in
 * the schema metadata, read with `droppedRows`; a value out of range is an error naming its row.
 *
 * Cost: O(rows), one pass over typed arrays.
 *
 * Reference: the "simple" lifetime value of practitioner texts (average order value × purchase frequency ×
 * customer lifespan), the undiscounted special case d = 0, r = 1 of P. D. Berger & N. I. Nasr (1998), "Customer
 * lifetime value: marketing models and applications", Journal of Interactive Marketing 12(1), 17–30.
 *
 * @param options `averageOrderValue`, `purchaseFrequency`, `lifespan`, `margin` (default 1); in the table form,
 * numbers or column names
 * @throws {ClienteleError} `INVALID_OPTION` (missing, out of range or unknown option), `INVALID_VALUE` (a column
 * value out of range, with its row), `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * clv.simple({ averageOrderValue: 50, purchaseFrequency: 4, lifespan: 3, margin: 0.25 }); // 150
 * const t = clv.simple(
 *   { customer: ['a', 'b', 'c'], aov: [50, 80, null], orders: [4, 2, 6] },
 *   { averageOrderValue: 'aov', purchaseFrequency: 'orders', lifespan: 3, margin: 0.25 },
 * );
 * t.getChild('clv')?.get(1); // 120
 * t.getChild('clv')?.get(2); // null
 * droppedRows(t).dropped; // { invalidValue: 1 }
 */
export function simple(options: SimpleClvOptions): number;
export function simple(table: unknown, options: SimpleClvOptions<number | string>): Table;
export function simple(first: unknown, second?: unknown): number | Table {
  const fn = 'clv.simple';
  const { frame, options } = frameOf(fn, first, second, arguments.length);
  checkKnown(options, KNOWN, fn);
  const value = resolveParam(frame, options.averageOrderValue, { option: 'averageOrderValue', rule: RULES.money });
  const frequency = resolveParam(frame, options.purchaseFrequency, {
    option: 'purchaseFrequency',
    rule: RULES.nonNegative,
  });
  const lifespan = resolveParam(frame, options.lifespan, { option: 'lifespan', rule: RULES.nonNegative });
  const margin = resolveParam(frame, options.margin, { option: 'margin', rule: RULES.marginShare, fallback: 1 });

  const rows = frame.rows;
  const out = new Float64Array(rows);
  const v = value.values;
  const f = frequency.values;
  const l = lifespan.values;
  const m = margin.values;
  const vs = value.step;
  const fs = frequency.step;
  const ls = lifespan.step;
  const ms = margin.step;
  for (let i = 0; i < rows; i++) out[i] = v[i * vs] * f[i * fs] * l[i * ls] * m[i * ms];
  return finish(frame, out, options);
}
