import type { DataType, Float64, Int8, Table } from 'apache-arrow';
import type { KeyType, LabelType } from '../table/internal';
import { median } from 'simple-statistics';
import {
  asTable,
  ClienteleError,
  codeArray,
  describeValue,
  DropCounter,
  getColumn,
  isAdmissible,
  knownOptions,
  labelVector,
  META,
  numberVector,
  optionNames,
  readNumericVector,
  tableWithMetadata,
  takeVector,
} from '../table/internal';
import { checkCutoffs, classifyByValue } from './abc';

/** Options of {@link valueLoyaltyMatrix}. */
export interface ValueLoyaltyOptions {
  /** Customer key column. Default `'customer'`. */
  customer?: string;
  /** Value column (revenue or margin per customer). Default `'monetary'`. */
  value?: string;
  /** Loyalty column (repeat purchases, tenure, a loyalty score). Default `'frequency'`. */
  loyalty?: string;
  /**
   * High value means ABC class A at this cumulative-share cut-off (default 0.8: the customers that make the first
   * 80 % of value). Ignored when `valueThreshold` is given.
   */
  valueCutoff?: number;
  /** High value means value > this number. */
  valueThreshold?: number;
  /** High loyalty means loyalty > this number. Default: the median loyalty. */
  loyaltyThreshold?: number;
}

/** The four quadrants, named as in Reinartz & Kumar (2002). */
export const QUADRANTS = ['True Friends', 'Butterflies', 'Barnacles', 'Strangers'] as const;

/** The options valueLoyaltyMatrix takes; every other name is refused with a did-you-mean. */
const VALUE_LOYALTY_MATRIX_OPTION_NAMES = optionNames<ValueLoyaltyOptions>({
  customer: true,
  value: true,
  loyalty: true,
  valueCutoff: true,
  valueThreshold: true,
  loyaltyThreshold: true,
});

/** The columns of `valueLoyaltyMatrix`: one row per customer. */
export type ValueLoyaltyColumns<K extends DataType = KeyType> = {
  customer: K;
  value: Float64;
  loyalty: Float64;
  valueClass: LabelType;
  highValue: Int8;
  highLoyalty: Int8;
  quadrant: LabelType;
};

/**
 * The value × loyalty matrix of CRM practice: every customer placed in one of four quadrants by contribution and
 * loyalty — True Friends (high value, high loyalty: keep and reward), Butterflies (high value, low loyalty: harvest
 * while they stay), Barnacles (low value, high loyalty: grow share of wallet), Strangers (low, low: do not invest).
 *
 * Conventions: high value = ABC class A of the value column at `valueCutoff` (or value > `valueThreshold`);
 * high loyalty = loyalty > `loyaltyThreshold` (default the median, so with repeat purchases one-time buyers are
 * low). The thresholds used are in the metadata (`clientele.thresholds`).
 *
 * Output columns, in input order: `customer`, `value`, `loyalty`, `valueClass` (A/B/C, or high/low with a
 * threshold), `highValue`, `highLoyalty` (0/1, Int8), `quadrant`. Rows with a null key, value or loyalty are
 * dropped and counted.
 *
 * Reference: W. Reinartz & V. Kumar (2002), "The mismanagement of customer loyalty", Harvard Business Review
 * 80(7), 86–94 (the profitability × longevity matrix).
 *
 * @param table one row per customer, e.g. a `customerSummary` or `rfm` result
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`, `EMPTY_INPUT`
 * @example
 * const m = valueLoyaltyMatrix({ customer: ['a', 'b', 'c', 'd'], monetary: [900, 800, 50, 40], frequency: [9, 0, 7, 0] });
 * m.getChild('quadrant')?.toArray(); // ['True Friends', 'Butterflies', 'Barnacles', 'Strangers']
 */
export function valueLoyaltyMatrix(table: unknown, options: ValueLoyaltyOptions = {}): Table<ValueLoyaltyColumns> {
  options = knownOptions(options, VALUE_LOYALTY_MATRIX_OPTION_NAMES, 'valueLoyaltyMatrix');
  const fn = 'valueLoyaltyMatrix';
  const input = asTable(table);
  const names = {
    customer: options.customer ?? 'customer',
    value: options.value ?? 'monetary',
    loyalty: options.loyalty ?? 'frequency',
  };
  const customers = getColumn(input, names.customer, fn, 'customer');
  const value = readNumericVector(getColumn(input, names.value, fn, 'value'), names.value, fn).values;
  const loyalty = readNumericVector(getColumn(input, names.loyalty, fn, 'loyalty'), names.loyalty, fn).values;
  for (const key of ['valueThreshold', 'loyaltyThreshold'] as const) {
    const t = options[key];
    if (t !== undefined && !Number.isFinite(t)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${key} must be a finite number (found ${describeValue(t)}); leave it out for the default`,
      );
    }
  }
  const cutoff = checkCutoffs([options.valueCutoff ?? 0.8], fn)[0];
  if (input.numRows === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);

  const drops = new DropCounter();
  const kept: number[] = [];
  for (let i = 0; i < input.numRows; i++) {
    if (customers.get(i) === null) drops.drop('nullCustomer', i);
    else if (!isAdmissible(value[i]) || !isAdmissible(loyalty[i])) drops.drop('invalidValue', i);
    else kept.push(i);
  }
  if (kept.length === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: every row lacks a customer, value or loyalty; check the columns`);
  const rows = Int32Array.from(kept);
  const v = Float64Array.from(rows, (i) => value[i]);
  const l = Float64Array.from(rows, (i) => loyalty[i]);
  const keys = takeVector(customers, rows);
  const n = rows.length;

  const highValue = new Int8Array(n);
  let valueClass;
  if (options.valueThreshold !== undefined) {
    const codes = codeArray(n, 2);
    for (let i = 0; i < n; i++) {
      highValue[i] = v[i] > options.valueThreshold ? 1 : 0;
      codes[i] = highValue[i] ? 0 : 1;
    }
    valueClass = labelVector(codes, ['high', 'low']);
  } else {
    const core = classifyByValue(v, keys, [cutoff, Math.min(1, cutoff + (1 - cutoff) * 0.75)], fn, names.value);
    for (let i = 0; i < n; i++) highValue[i] = core.classIndex[i] === 0 ? 1 : 0;
    valueClass = labelVector(core.classIndex, core.labels);
  }
  const loyaltyThreshold = options.loyaltyThreshold ?? median(Array.from(l));
  const highLoyalty = Int8Array.from(l, (x) => (x > loyaltyThreshold ? 1 : 0));
  const quadrant = codeArray(n, 4);
  for (let i = 0; i < n; i++) quadrant[i] = highValue[i] ? (highLoyalty[i] ? 0 : 1) : highLoyalty[i] ? 2 : 3;
  return tableWithMetadata(
    {
      customer: keys,
      value: numberVector(v),
      loyalty: numberVector(l),
      valueClass,
      highValue: numberVector(highValue),
      highLoyalty: numberVector(highLoyalty),
      quadrant: labelVector(quadrant, QUADRANTS),
    },
    {
      [META.kind]: 'valueLoyaltyMatrix',
      'clientele.thresholds': JSON.stringify({
        valueCutoff: options.valueThreshold === undefined ? cutoff : null,
        valueThreshold: options.valueThreshold ?? null,
        loyaltyThreshold,
      }),
      ...drops.metadata(input.numRows),
    },
  );
}
