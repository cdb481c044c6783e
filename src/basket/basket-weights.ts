import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue, DropCounter, isAdmissible, optionNames, readNumeric } from '../table/internal';
import type { KeyColumn } from '../table/internal';

/** How `baskets` weighs each basket: a numeric column of the transaction table, aggregated per basket. */
export interface BasketWeightsOption {
  /** The numeric column (e.g. `'amount'` for revenue, `'quantity'`). */
  column: string;
  /**
   * How the rows of a basket combine: `'sum'` (default: revenue or quantity of the basket), `'mean'` (per kept
   * row) or `'max'` (a basket-level value repeated on each of its rows, such as an order total).
   */
  aggregate?: 'sum' | 'mean' | 'max';
}

const WEIGHT_OPTION_NAMES = optionNames<BasketWeightsOption>({ column: true, aggregate: true });
const AGGREGATES = ['sum', 'mean', 'max'] as const;

/**
 * The weight of every basket from a numeric column, and the rows the weights drop (marked in the returned mask).
 *
 * Row policy (the one admission rule, src/table/admission.ts, then the rule of weighted support): a row with a
 * transaction and an item whose weight is null, NaN or ±Infinity is dropped and counted as `invalidWeight`; one
 * whose weight is negative (a return line) is dropped and counted as `negativeAmount` — weighted support needs
 * weights ≥ 0 (it is then anti-monotone). A dropped row adds neither its item nor its weight to its basket. A basket
 * with no kept row weighs 0. Rows without a transaction or an item are left to the caller (dropped as `nullKey`).
 *
 * Sums run in row order, plainly (a basket has a few rows; the rounding is that of one pass).
 *
 * Cost: O(rows).
 *
 * @throws {ClienteleError} `INVALID_OPTION` for a malformed option; `MISSING_COLUMN`, `INVALID_TYPE` for the column
 */
export function basketWeights(
  table: Table,
  option: unknown,
  transaction: KeyColumn,
  item: KeyColumn,
  drops: DropCounter,
  fn: string,
): { weights: Float64Array; dropped: Uint8Array } {
  const { column, aggregate } = checkWeightsOption(option, fn);
  const values = readNumeric(table, column, fn, 'weights.column').values;
  const rows = table.numRows;
  const weights = new Float64Array(transaction.size);
  const kept = aggregate === 'mean' ? new Int32Array(transaction.size) : null;
  const dropped = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const b = transaction.codes[i];
    if (b < 0 || item.codes[i] < 0) continue;
    const v = values[i];
    if (!isAdmissible(v)) {
      drops.drop('invalidWeight', i);
      dropped[i] = 1;
    } else if (v < 0) {
      drops.drop('negativeAmount', i);
      dropped[i] = 1;
    } else if (aggregate === 'max') {
      if (v > weights[b]) weights[b] = v;
    } else {
      weights[b] += v;
      if (kept) kept[b]++;
    }
  }
  if (kept) for (let b = 0; b < weights.length; b++) if (kept[b] > 0) weights[b] /= kept[b];
  return { weights, dropped };
}

function checkWeightsOption(option: unknown, fn: string): Required<BasketWeightsOption> {
  const o = option as Partial<BasketWeightsOption> | null;
  const names = typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.keys(o) : null;
  if (!names || typeof o?.column !== 'string' || !names.every((n) => WEIGHT_OPTION_NAMES.includes(n))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights must be { column, aggregate? } naming a numeric column (found ${describeValue(option)}); ` +
        `e.g. { weights: { column: 'amount', aggregate: 'sum' } }`,
    );
  }
  const aggregate = o.aggregate ?? 'sum';
  if (!AGGREGATES.includes(aggregate)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights.aggregate must be one of ${AGGREGATES.join(', ')} (found ${describeValue(aggregate)}); ` +
        `leave it out for 'sum'`,
    );
  }
  return { column: o.column, aggregate };
}
