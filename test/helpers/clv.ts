import type { CustomerHistories } from '../../src/clv/customer-histories';
import { readLines } from '../helpers/datasets';

/** The x, t_x, T columns of `cdnow_customers_summary.csv` (weeks), read from the raw text. */
export function readCdnow(path: string): { x: Float64Array; t_x: Float64Array; T: Float64Array } {
  const lines = readLines(path).slice(1);
  const field = (k: number) => Float64Array.from(lines, (l) => Number(l.split(',')[k]));
  return { x: field(1), t_x: field(2), T: field(3) };
}

/** A value rounded to `digits` decimals, as papers print them. */
export const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** |actual − expected| / |expected|. */
export const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** One customer's history as the likelihood factories take it. */
export function histories(x: number, tx: number, T: number): CustomerHistories {
  const one = (v: number) => Float64Array.of(v);
  return {
    x: one(x),
    tx: one(tx),
    T: one(T),
    weight: one(1),
    index: Int32Array.of(0),
    customers: 1,
    rows: 1,
    dropped: {},
  };
}
