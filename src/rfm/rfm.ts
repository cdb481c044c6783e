import type { DataType, Float64, Int32, Int8, RecordBatch, Table, Vector } from 'apache-arrow';
import type { KeyType, LabelType } from '../table/internal';
import {
  asTable,
  checkOptions,
  ClienteleError,
  codeArray,
  DropCounter,
  getColumn,
  integerRule,
  isAdmissible,
  labelVector,
  META,
  numberVector,
  oneOfRule,
  optionNames,
  readNumericVector,
  tableWithMetadata,
} from '../table/internal';
import { CustomerAccumulator, finishCustomers, summarizeCustomers } from '../kernels/internal';
import type { AccumulatingAggregate, CustomerPartial } from '../kernels/internal';
import { aggregateCustomers, CUSTOMER_SUMMARY_OPTION_NAMES, customerSummaryAggregate } from './customer-summary';
import type { CustomerAggregates, CustomerSummaryOptions } from './customer-summary';
import { segmentVector, STANDARD_SEGMENTS } from './rfm-segments';
import type { SegmentMap } from './rfm-segments';
import { quantileBreaks, scoreByBreaks } from './score';

/** Options of {@link rfm}. */
export interface RfmOptions extends CustomerSummaryOptions {
  /** Number of score levels per dimension, 2–20. Default 5. */
  bins?: number;
  /** `'quantile'` (default): breaks at the j/bins quantiles of the customers; `'fixed'`: the breaks you give. */
  method?: 'quantile' | 'fixed';
  /**
   * With `method: 'fixed'`, the `bins − 1` ascending interior breaks of each dimension (in days, transactions and
   * money). With `'quantile'`, a dimension listed here uses these fixed breaks and the others use quantiles.
   */
  breaks?: { recency?: readonly number[]; frequency?: readonly number[]; monetary?: readonly number[] };
  /** Segment map for the `segment` column (default the standard eleven segments); `false` leaves it out. */
  segments?: SegmentMap | false;
  /**
   * For a per-customer input that is not a `customerSummary` result: the columns holding recency (days),
   * frequency (number of transactions) and monetary value. Giving `recency` switches `rfm` to summary input.
   */
  recency?: string;
  frequency?: string;
  monetary?: string;
}

/** The fitted breaks of an RFM scoring, as stored in the result's metadata (`clientele.breaks`). */
export interface RfmBreaks {
  readonly recency: readonly number[];
  readonly frequency: readonly number[];
  readonly monetary: readonly number[];
}

const AXES = ['recency', 'frequency', 'monetary'] as const;

/**
 * The scoring options of `rfm` as a spec of the one option validator (src/table/options.ts): `rfm` and its SQL twin
 * (`toSql('rfm')`) check `bins` and `method` with these rules, so both give the same message for the same value.
 */
export const RFM_SCORING = Object.freeze({
  bins: integerRule(2, 20, 5, '5 is the usual choice'),
  method: oneOfRule(['quantile', 'fixed'] as const, 'quantile', "'fixed' needs breaks"),
});

/** The scoring options of `rfm`, checked (the stream form checks them before reading a batch). */
export function checkRfmOptions(o: RfmOptions, fn: string): { bins: number; method: 'quantile' | 'fixed' } {
  const { bins, method } = checkOptions(o, RFM_SCORING, fn);
  checkRfmBreaks(o.breaks, bins, method, fn);
  return { bins, method };
}

/**
 * Fixed breaks, where given: `bins − 1` strictly ascending finite numbers per axis; with `method: 'fixed'` every
 * axis needs them. Shared by `rfm` and `toSql('rfm')`. @throws {ClienteleError} `INVALID_OPTION`
 */
export function checkRfmBreaks(
  breaks: RfmOptions['breaks'],
  bins: number,
  method: 'quantile' | 'fixed',
  fn: string,
): void {
  for (const axis of AXES) {
    const b = breaks?.[axis];
    if (b === undefined) {
      if (method === 'fixed') {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: method 'fixed' needs breaks.${axis} (found none); pass ${bins - 1} ascending numbers, e.g. ` +
            `breaks: { ${axis}: [${Array.from({ length: bins - 1 }, (_, j) => (j + 1) * 10).join(', ')}] }`,
        );
      }
      continue;
    }
    const ascending = Array.isArray(b) && b.every((x, j) => Number.isFinite(x) && (j === 0 || x > b[j - 1]));
    if (!ascending || b.length !== bins - 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: breaks.${axis} must be ${bins - 1} strictly ascending finite numbers for ${bins} bins ` +
          `(found ${JSON.stringify(b)}); give one break fewer than bins`,
      );
    }
  }
}

interface RfmInput {
  customers: Vector;
  recency: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
  metadata: Record<string, string>;
}

/** Per-customer recency, frequency and monetary value from the per-customer aggregates of transactions. */
function inputOfAggregates(agg: CustomerAggregates): RfmInput {
  const n = agg.count.length;
  const recency = new Int32Array(n);
  for (let c = 0; c < n; c++) recency[c] = agg.asOf - agg.last[c];
  return {
    customers: agg.customers,
    recency,
    frequency: agg.count,
    monetary: agg.monetary,
    metadata: {
      [META.asOf]: new Date(agg.asOf * 86_400_000).toISOString().slice(0, 10),
      ...agg.drops.metadata(agg.rows),
    },
  };
}

/** Per-customer recency, frequency and monetary value, from transactions or from a per-customer table. */
function rfmInput(input: unknown, o: RfmOptions, fn: string): RfmInput {
  const table = asTable(input);
  const isSummary = table.schema?.metadata?.get(META.kind) === 'customerSummary';
  if (!isSummary && o.recency === undefined) return inputOfAggregates(aggregateCustomers(table, o, fn));
  const logOption = (['transaction', 'quantity', 'price'] as const).find((name) => o[name] !== undefined);
  if (logOption !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${logOption} reads a transaction log, but the input is one row per customer (found ` +
        `${isSummary ? 'a customerSummary result' : `option recency '${o.recency}'`}); pass the transactions, or leave ${logOption} out`,
    );
  }
  // per-customer input: a customerSummary result, or columns named in the options
  const names = {
    customer: o.customer ?? 'customer',
    recency: o.recency ?? 'recency',
    frequency: o.frequency ?? (isSummary ? 'count' : 'frequency'),
    monetary: o.monetary ?? 'monetary',
  };
  const customers = getColumn(table, names.customer, fn, 'customer');
  const read = (axis: (typeof AXES)[number]) =>
    readNumericVector(getColumn(table, names[axis], fn, axis), names[axis], fn).values;
  const recency = read('recency');
  const frequency = read('frequency');
  const monetary = read('monetary');
  if (table.numRows === 0) {
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the customer table has no rows; pass at least one customer`);
  }
  // a per-customer row without a number cannot be scored: drop and count it, as for transactions
  const drops = new DropCounter();
  const keep: number[] = [];
  for (let i = 0; i < table.numRows; i++) {
    if (customers.get(i) === null) drops.drop('nullCustomer', i);
    else if (!isAdmissible(recency[i]) || !isAdmissible(frequency[i]) || !isAdmissible(monetary[i]))
      drops.drop('invalidValue', i);
    else keep.push(i);
  }
  if (keep.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: every customer row lacks a key or a recency, frequency or monetary value; check the columns`,
    );
  }
  const metadata: Record<string, string> = { ...drops.metadata(table.numRows) };
  const asOf = table.schema.metadata.get(META.asOf);
  if (asOf) metadata[META.asOf] = asOf;
  if (keep.length === table.numRows) return { customers, recency, frequency, monetary, metadata };
  const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]);
  const rows = Int32Array.from(keep);
  const customerValues = Array.from(rows, (i) => customers.get(i));
  const kept = asTable({ customer: customerValues }).getChild('customer') as Vector;
  return { customers: kept, recency: pick(recency), frequency: pick(frequency), monetary: pick(monetary), metadata };
}

/**
 * The columns of `rfm` and `rfmSegments`: one row per customer. `segment` is absent with `segments: false` (Arrow's
 * column types cannot say optional: `getChild('segment')` returns null then).
 */
export type RfmColumns<K extends DataType = KeyType> = {
  customer: K;
  recency: Int32;
  frequency: Int32;
  monetary: Float64;
  r: Int8;
  f: Int8;
  m: Int8;
  score: LabelType;
  segment: LabelType;
};

/**
 * RFM scores of a whole table in the calling thread: the core of the public `rfm` (src/api/rfm.ts), which
 * documents the scoring convention (quantile breaks, R type 7, intervals closed on the right) and adds streams and threads.
 */
export function rfmOfTable(tx: unknown, options: RfmOptions = {}): Table<RfmColumns> {
  const fn = 'rfm';
  const { bins } = checkRfmOptions(options, fn);
  return scoreRfm(rfmInput(tx, options, fn), options, bins, fn);
}

/**
 * Internal (the stream registry, worker threads): rfm as a mergeable aggregate — the per-customer partial of
 * `customerSummary` with rfm named in the messages of a bad batch, finished by the same scoring as `rfm(tx)`.
 */
export const rfmAggregate: AccumulatingAggregate<CustomerPartial, RfmOptions, Table> = Object.freeze({
  ...customerSummaryAggregate,
  summarize: (batch: RecordBatch | Table, o: RfmOptions) => summarizeCustomers(batch, o, 'rfm', true),
  accumulator: (o: RfmOptions) => new CustomerAccumulator(o, 'rfm'),
  finish: (partial: CustomerPartial, o: RfmOptions) =>
    scoreRfm(inputOfAggregates(finishCustomers(partial, o, 'rfm')), o, checkRfmOptions(o, 'rfm').bins, 'rfm'),
});

/** Scores per-customer recency, frequency and monetary value into the rfm table. */
function scoreRfm(input: RfmInput, options: RfmOptions, bins: number, fn: string): Table {
  const breaks = {} as { -readonly [K in keyof RfmBreaks]: number[] };
  for (const axis of AXES) {
    const given = options.breaks?.[axis];
    breaks[axis] = given !== undefined ? [...given] : quantileBreaks(input[axis], bins);
  }
  const r = scoreByBreaks(input.recency, breaks.recency, false);
  const f = scoreByBreaks(input.frequency, breaks.frequency, true);
  const m = scoreByBreaks(input.monetary, breaks.monetary, true);

  const n = r.length;
  const labels: string[] = [];
  const sep = bins > 9 ? '-' : '';
  for (let a = 1; a <= bins; a++)
    for (let b = 1; b <= bins; b++) for (let c = 1; c <= bins; c++) labels.push(`${a}${sep}${b}${sep}${c}`);
  const scoreCodes = codeArray(n, labels.length);
  for (let i = 0; i < n; i++) scoreCodes[i] = (r[i] - 1) * bins * bins + (f[i] - 1) * bins + (m[i] - 1);

  const columns: Record<string, Vector> = {
    customer: input.customers,
    recency: asVector(input.recency),
    frequency: asVector(input.frequency),
    monetary: asVector(input.monetary),
    r: numberVector(r),
    f: numberVector(f),
    m: numberVector(m),
    score: labelVector(scoreCodes, labels),
  };
  if (options.segments !== false)
    columns.segment = segmentVector(r, f, m, bins, options.segments ?? STANDARD_SEGMENTS, fn);
  return tableWithMetadata(columns, {
    [META.kind]: 'rfm',
    'clientele.bins': String(bins),
    'clientele.breaks': JSON.stringify(breaks),
    ...input.metadata,
  });
}

function asVector(values: ArrayLike<number>): Vector {
  return numberVector(
    values instanceof Int32Array || values instanceof Float64Array ? values : Float64Array.from(values),
  );
}

/**
 * The breaks an `rfm` result was scored with (the quantiles found, or the fixed breaks given).
 *
 * @throws {ClienteleError} `INVALID_INPUT` when the table is not an `rfm` result
 * @example
 * rfmBreaks(rfm(tx)).monetary; // e.g. [25.1, 48.3, 80.2, 141.7]
 */
export function rfmBreaks(rfmTable: Table): RfmBreaks {
  const text = rfmTable?.schema?.metadata?.get('clientele.breaks');
  if (text === undefined) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `rfmBreaks: the table has no "clientele.breaks" metadata; pass a table returned by rfm`,
    );
  }
  return Object.freeze(JSON.parse(text) as RfmBreaks);
}

/** The names of rfm's options (the thread options are added where they are taken). */
export const RFM_OPTION_NAMES: readonly string[] = Object.freeze([
  ...optionNames<Omit<RfmOptions, keyof CustomerSummaryOptions>>({
    bins: true,
    method: true,
    breaks: true,
    segments: true,
    recency: true,
    frequency: true,
    monetary: true,
  }),
  ...CUSTOMER_SUMMARY_OPTION_NAMES, // the transaction-log options, as customerSummary
]);
