import { Utf8, vectorFromArray } from 'apache-arrow';
import type { Float64, Int32, Table, Vector } from 'apache-arrow';
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
  readKeys,
  readKeysVector,
  readNumeric,
  readNumericVector,
  tableWithMetadata,
  takeVector,
  TypeId,
  nullRecord,
} from '../table/internal';
import type { KeyColumn } from '../table/internal';

/** A loyalty type label. */
export type LoyaltyTypeName =
  | 'super-value loyalty'
  | 'monopoly loyalty'
  | 'inertia loyalty'
  | 'incentive loyalty'
  | 'latent loyalty'
  | 'price loyalty'
  | 'no loyalty';

/** The loyalty types, in the order of {@link loyaltyTypeSummary}; index = the type's code below. */
const LOYALTY_TYPES = [
  'super-value loyalty',
  'monopoly loyalty',
  'inertia loyalty',
  'incentive loyalty',
  'latent loyalty',
  'price loyalty',
  'no loyalty',
] as const satisfies readonly LoyaltyTypeName[];

const SUPER_VALUE = 0;
const MONOPOLY = 1;
const INERTIA = 2;
const INCENTIVE = 3;
const LATENT = 4;
const PRICE = 5;
const NONE = 6;

/** Options of {@link loyaltyType}. */
export interface LoyaltyTypeOptions {
  /** Column of attitudinal attachment (satisfaction, commitment, a loyalty or attitude score). Required. */
  attachment: string;
  /** Column of repeat purchase behaviour (repeat purchases, purchase frequency, share of wallet). Required. */
  repeatPurchase: string;
  /** Column of price sensitivity (higher = more sensitive); splits low/low rows into price loyalty and no loyalty. */
  priceSensitivity?: string;
  /** Column flagging customers without an alternative supplier (boolean or 0/1); marks monopoly loyalty. */
  monopoly?: string;
  /** Column of the share of purchases made on promotion or with an incentive (0–1); marks incentive loyalty. */
  incentive?: string;
  /**
   * Cut points; a value equal to its threshold counts as high. Defaults: the medians of attachment, repeatPurchase
   * and priceSensitivity over the rows kept; 0.5 for incentive (most purchases on promotion).
   */
  thresholds?: { attachment?: number; repeatPurchase?: number; priceSensitivity?: number; incentive?: number };
  /** Key column (customer id) copied to the output. Default: none. */
  key?: string;
}

/** The thresholds {@link loyaltyType} used, as stored in its metadata (`clientele.thresholds`). */
export interface LoyaltyTypeThresholds {
  readonly attachment: number;
  readonly repeatPurchase: number;
  /** null when no priceSensitivity column was given. */
  readonly priceSensitivity: number | null;
  /** null when no incentive column was given. */
  readonly incentive: number | null;
}

function checkThreshold(value: unknown, fn: string, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option thresholds.${name} must be a finite number (found ${describeValue(value)}); leave it out for the default`,
    );
  }
  return value;
}

/** Reads a 0/1 flag column: Bool, or numbers (non-zero = true); NaN where null. */
function readFlag(table: Table, name: string, fn: string): Float64Array {
  const vector = getColumn(table, name, fn, 'monopoly');
  if (vector.type.typeId !== TypeId.Bool) return readNumericVector(vector, name, fn).values;
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i) as boolean | null;
    out[i] = v === null || v === undefined ? NaN : v ? 1 : 0;
  }
  return out;
}

/** The options loyaltyType takes; every other name is refused with a did-you-mean. */
const LOYALTY_TYPE_OPTION_NAMES = optionNames<LoyaltyTypeOptions>({
  attachment: true,
  repeatPurchase: true,
  priceSensitivity: true,
  monopoly: true,
  incentive: true,
  thresholds: true,
  key: true,
});

/**
 * The five loyalty types of CRM courses, from attitudinal attachment × repeat purchase (after Dick & Basu 1994):
 * super-value loyalty (high attachment, high repeat: true loyalty, to reward and keep); spurious loyalty (low
 * attachment, high repeat) split into monopoly, inertia and incentive loyalty; latent loyalty (high attachment, low
 * repeat: something stops them buying more); and, for low attachment and low repeat, price loyalty or no loyalty.
 * Analysts use it to decide where loyalty programmes, switching barriers or service fixes pay.
 *
 * Rules, with "high" meaning value ≥ threshold (a value equal to its threshold counts as high):
 * - high attachment, high repeat → `super-value loyalty`;
 * - low attachment, high repeat → `monopoly loyalty` when the `monopoly` column marks the row (true or non-zero:
 *   the customer has no alternative), else `incentive loyalty` when its `incentive` share is high (buys because of
 *   promotions), else `inertia loyalty` (habit) — so without those columns every such row is inertia loyalty;
 * - high attachment, low repeat → `latent loyalty` (Dick & Basu's name for this cell);
 * - low attachment, low repeat → `price loyalty` when price sensitivity is high (follows the lowest price), else
 *   `no loyalty` — so without a priceSensitivity column every such row is no loyalty.
 * Thresholds default to the medians of the rows kept (so about half the rows are high on each score) and 0.5 for
 * the incentive share; pass your own for a fixed scale. Rows with a missing value (null, NaN) in any column named
 * are dropped and counted (`invalidValue`; `nullKey` for a null key).
 *
 * Output columns, in input order: the key column (when `key` is given), `attachment`, `repeatPurchase`,
 * `loyaltyType` (dictionary-encoded labels). Metadata: the thresholds used (`clientele.thresholds`, a
 * {@link LoyaltyTypeThresholds}), the count per type (`clientele.counts`) and the drop counts (`droppedRows`);
 * `loyaltyTypeSummary` tabulates the types.
 *
 * Cost: O(n) plus the medians (quickselect).
 * Reference: A. S. Dick & K. Basu (1994), "Customer loyalty: toward an integrated conceptual framework", Journal of
 * the Academy of Marketing Science 22(2), 99–113 (Figure 1, relative attitude × repeat patronage).
 *
 * @param table one row per customer
 * @param options `attachment`, `repeatPurchase` (required column names); `priceSensitivity`, `monopoly`,
 * `incentive`, `key` (optional columns); `thresholds` (medians; 0.5 for incentive)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `EMPTY_INPUT`
 * @example
 * const types = loyaltyType(
 *   { customer: ['a', 'b', 'c', 'd'], attitude: [9, 2, 8, 1], repeats: [12, 10, 1, 0], priceSensitivity: [0.1, 0.2, 0.3, 0.9] },
 *   { key: 'customer', attachment: 'attitude', repeatPurchase: 'repeats', priceSensitivity: 'priceSensitivity', thresholds: { attachment: 5, repeatPurchase: 5, priceSensitivity: 0.5 } },
 * );
 * types.getChild('loyaltyType')?.toArray(); // ['super-value loyalty', 'inertia loyalty', 'latent loyalty', 'price loyalty']
 */
export function loyaltyType(table: unknown, options: LoyaltyTypeOptions): Table {
  options = knownOptions(options, LOYALTY_TYPE_OPTION_NAMES, 'loyaltyType');
  const fn = 'loyaltyType';
  const input = asTable(table);
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must name the columns (found ${describeValue(options)}); pass { attachment: '…', repeatPurchase: '…' }`,
    );
  }
  const t = givenThresholds(options.thresholds, fn);
  const attachment = readNumeric(input, options.attachment, fn, 'attachment').values;
  const repeat = readNumeric(input, options.repeatPurchase, fn, 'repeatPurchase').values;
  const price =
    options.priceSensitivity !== undefined
      ? readNumeric(input, options.priceSensitivity, fn, 'priceSensitivity').values
      : null;
  const monopoly = options.monopoly !== undefined ? readFlag(input, options.monopoly, fn) : null;
  const incentive =
    options.incentive !== undefined ? readNumeric(input, options.incentive, fn, 'incentive').values : null;
  const keys = options.key !== undefined ? readKeys(input, options.key, fn, 'key') : null;
  const columns: LoyaltyColumns = { attachment, repeat, price, monopoly, incentive };
  const n = input.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);

  const { drops, rows } = keepComplete(n, keys, columns, fn);
  const size = rows.length;
  // a plain gather loop: Float64Array.from with a callback is several times slower on a million rows
  const pick = (x: Float64Array) => {
    const out = new Float64Array(size);
    for (let k = 0; k < size; k++) out[k] = x[rows[k]];
    return out;
  };
  const a = pick(attachment);
  const r = pick(repeat);
  // simple-statistics' median (R type 7) selects on a copy, so typed arrays go in as they are
  const medianOf = (x: Float64Array) => median(x as unknown as number[]);
  const thresholds: LoyaltyTypeThresholds = Object.freeze({
    attachment: t.attachment ?? medianOf(a),
    repeatPurchase: t.repeatPurchase ?? medianOf(r),
    priceSensitivity: price ? (t.priceSensitivity ?? medianOf(pick(price))) : null,
    incentive: incentive ? (t.incentive ?? 0.5) : null,
  });

  const { codes, counts } = classifyRows(rows, a, r, columns, thresholds);
  const out: Record<string, Vector> = nullRecord();
  if (keys && options.key !== undefined) {
    const ids = new Int32Array(size);
    for (let k = 0; k < size; k++) ids[k] = keys.codes[rows[k]];
    out[options.key] = takeVector(keys.keys, ids);
  }
  out.attachment = numberVector(a);
  out.repeatPurchase = numberVector(r);
  out.loyaltyType = labelVector(codes, LOYALTY_TYPES);
  return tableWithMetadata(out, {
    [META.kind]: 'loyaltyType',
    'clientele.thresholds': JSON.stringify(thresholds),
    'clientele.counts': JSON.stringify(Object.fromEntries(LOYALTY_TYPES.map((name, j) => [name, counts[j]]))),
    ...drops.metadata(n),
  });
}

/** The thresholds given in the options, checked; undefined where the default applies. */
function givenThresholds(thresholds: LoyaltyTypeOptions['thresholds'], fn: string) {
  const given = thresholds ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option thresholds must be an object (found ${describeValue(given)}); e.g. { attachment: 5 }`,
    );
  }
  return {
    attachment: checkThreshold(given.attachment, fn, 'attachment'),
    repeatPurchase: checkThreshold(given.repeatPurchase, fn, 'repeatPurchase'),
    priceSensitivity: checkThreshold(given.priceSensitivity, fn, 'priceSensitivity'),
    incentive: checkThreshold(given.incentive, fn, 'incentive'),
  };
}

/** The rows kept, in input order: a null key or a NaN in any column read (null where not asked) drops a row. */
function keepComplete(
  n: number,
  keys: KeyColumn | null,
  columns: LoyaltyColumns,
  fn: string,
): { drops: DropCounter; rows: Int32Array } {
  const { attachment, repeat, price, monopoly, incentive } = columns;
  const drops = new DropCounter();
  const kept = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (keys && keys.codes[i] < 0) drops.drop('nullKey', i);
    else if (
      !isAdmissible(attachment[i]) ||
      !isAdmissible(repeat[i]) ||
      (price && !isAdmissible(price[i])) ||
      (monopoly && !isAdmissible(monopoly[i])) ||
      (incentive && !isAdmissible(incentive[i]))
    ) {
      drops.drop('invalidValue', i);
    } else kept[size++] = i;
  }
  if (size === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the columns named in the options`,
    );
  }
  return { drops, rows: kept.subarray(0, size) };
}

/** The columns {@link loyaltyType} reads, by role; null for an optional column not asked for. */
interface LoyaltyColumns {
  readonly attachment: Float64Array;
  readonly repeat: Float64Array;
  readonly price: Float64Array | null;
  readonly monopoly: Float64Array | null;
  readonly incentive: Float64Array | null;
}

/** The loyalty type code of each kept row (`rows`, with attachment `a` and repeat `r`), and the count per type. */
function classifyRows(
  rows: Int32Array,
  a: Float64Array,
  r: Float64Array,
  columns: LoyaltyColumns,
  thresholds: LoyaltyTypeThresholds,
): { codes: Int8Array | Int16Array | Int32Array; counts: number[] } {
  const { price, monopoly, incentive } = columns;
  const size = rows.length;
  const codes = codeArray(size, LOYALTY_TYPES.length);
  const counts = new Array<number>(LOYALTY_TYPES.length).fill(0);
  for (let k = 0; k < size; k++) {
    const i = rows[k];
    const highAttachment = a[k] >= thresholds.attachment;
    const highRepeat = r[k] >= thresholds.repeatPurchase;
    let type: number;
    if (highRepeat) {
      if (highAttachment) type = SUPER_VALUE;
      else if (monopoly && monopoly[i] !== 0) type = MONOPOLY;
      else if (incentive && incentive[i] >= thresholds.incentive!) type = INCENTIVE;
      else type = INERTIA;
    } else if (highAttachment) type = LATENT;
    else type = price && price[i] >= thresholds.priceSensitivity! ? PRICE : NONE;
    codes[k] = type;
    counts[type]++;
  }
  return { codes, counts };
}

/** The columns of `loyaltyTypeSummary`: one row per loyalty type, every type listed (a count of 0 included). */
export type LoyaltyTypeSummaryColumns = {
  loyaltyType: Utf8;
  customers: Int32;
  share: Float64;
};

/**
 * The loyalty types at a glance: how many customers of each type and their share — the mix a CRM report shows
 * before deciding where to invest.
 *
 * Output columns: `loyaltyType`, `customers` (count), `share` (of the rows of the table). One row per type, all
 * seven in a fixed order (super-value, monopoly, inertia, incentive, latent, price, no loyalty), zeros included.
 *
 * Cost: O(n).
 *
 * @param loyaltyTypeTable a table returned by `loyaltyType` (or any table with a `loyaltyType` column of its labels)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_VALUE` for a label that is not a loyalty type
 * @example
 * const types = loyaltyType({ attitude: [9, 2, 8, 1], repeats: [12, 10, 1, 0] }, { attachment: 'attitude', repeatPurchase: 'repeats' });
 * loyaltyTypeSummary(types).getChild('customers')?.toArray(); // Int32Array [1, 0, 1, 0, 1, 0, 1]
 */
export function loyaltyTypeSummary(loyaltyTypeTable: unknown): Table<LoyaltyTypeSummaryColumns> {
  const fn = 'loyaltyTypeSummary';
  const table = asTable(loyaltyTypeTable);
  const labels = readKeysVector(
    getColumn(table, 'loyaltyType', fn, 'loyaltyType'),
    'loyaltyType',
    fn,
    LOYALTY_TYPES.length,
  );
  const perId = new Int32Array(labels.size);
  for (let i = 0; i < labels.codes.length; i++) if (labels.codes[i] >= 0) perId[labels.codes[i]]++;
  const counts = new Int32Array(LOYALTY_TYPES.length);
  for (let id = 0; id < labels.size; id++) {
    const label = String(labels.keys.get(id));
    const j = (LOYALTY_TYPES as readonly string[]).indexOf(label);
    if (j < 0) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "loyaltyType" holds ${describeValue(label)}, which is not a loyalty type (found it in ${perId[id]} rows); pass a table returned by loyaltyType`,
        { column: 'loyaltyType' },
      );
    }
    counts[j] += perId[id];
  }
  const n = table.numRows;
  return tableWithMetadata(
    {
      loyaltyType: vectorFromArray(LOYALTY_TYPES as unknown as string[], new Utf8()),
      customers: numberVector(counts),
      share: numberVector(Float64Array.from(counts, (c) => (n > 0 ? c / n : 0))),
    },
    { [META.kind]: 'loyaltyTypeSummary' },
  );
}
