import type { RecordBatch, Table, Vector } from 'apache-arrow';
import {
  asTable,
  checkDateUnit,
  ClienteleError,
  describeValue,
  DropCounter,
  dropCounter,
  droppedTotal,
  getColumn,
  isoDate,
  mergeDrops,
  NO_DATE,
  NO_DROPS,
  oneOfRule,
  optionValue,
  partialDrops,
  readDates,
  readKeys,
  takeVector,
  toEpochDay,
  TypeId,
} from '../table/internal';
import type { DateColumn, DateUnit, PartialDrops } from '../table/internal';
import { checkFiniteTotal, compensatedTotal } from '../math/internal';
import { CustomerKernel, NO_DAY_MAX, NO_DAY_MIN } from './customer-kernel';
import type { CustomerColumns } from './customer-kernel';
import { emptyKeySet, KeyUnion, keySetOf, keyVector } from './key-set';
import type { KeySet } from './key-set';
import type { Accumulator } from './mergeable';
import { checkOrderLogOptions, orderLog, rowAmounts } from './order-log';
import type { OrderLogOptions } from './order-log';

/** The options the per-customer aggregate reads (those of `customerSummary`): which columns hold what, and the reference date. */
export interface CustomerPartialOptions extends OrderLogOptions {
  /** Column of customer keys (strings, integers or dictionary-encoded). Default `'customer'`. */
  customer?: string;
  /** Column of transaction dates. Default `'date'`. */
  date?: string;
  /** Column of transaction amounts (money). Default `'amount'`. */
  amount?: string;
  /**
   * The day the analysis is made: recency and age are counted up to it, and transactions after it are dropped
   * (`afterAsOf`). A `Date`, an ISO string, or a number in `dateUnit`. Default: the day after the last kept
   * transaction.
   */
  asOf?: Date | string | number;
  /** How plain numbers in the date column (and a numeric `asOf`) are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
  /**
   * Returns and refunds — orders (with `transaction`) or rows whose amount is negative: `'exclude'` them (default;
   * counted as `negativeAmount`) or `'keep'` them in the sums and counts.
   */
  returns?: 'keep' | 'exclude';
}

/**
 * The per-customer partial aggregate of some transaction rows: plain data (typed arrays, arrays, numbers), so it
 * survives `structuredClone` and crosses worker threads. Arrays are indexed by key id; keys are every distinct
 * non-null customer of the rows, kept or not, in order of first appearance (which fixes the order of the result).
 */
export interface CustomerPartial extends CustomerColumns {
  readonly kind: 'customerSummary';
  readonly keys: KeySet;
  /** Latest kept day (−2^31 when none): the default `asOf` is the day after it. */
  readonly maxDay: number;
  /** Rows and dropped rows. */
  readonly drops: PartialDrops;
  /** Date cells that were null, and non-null but unreadable (first one at `firstInvalidRow`, 0-based). */
  readonly dates: {
    readonly nulls: number;
    readonly invalid: number;
    readonly firstInvalidRow: number;
    readonly firstInvalidValue: unknown;
    readonly numeric: boolean;
  };
}

const DEFAULTS = { customer: 'customer', date: 'date', amount: 'amount' } as const; // returns: RETURNS' fallback

export interface ResolvedOptions {
  customer: string;
  date: string;
  amount: string;
  transaction: string | undefined;
  quantity: string | undefined;
  price: string | undefined;
  returns: 'keep' | 'exclude';
  dateUnit: DateUnit | undefined;
  asOfDay: number;
  asOfGiven: boolean;
}

/**
 * What to do with returns (an order, or a row without `transaction`, whose amount is negative): a rule of the one
 * option validator and its one default, `'exclude'`, shared by the customer summary, rfm, the CLV summary, the
 * report, every CLI command and `toSql`.
 */
export const RETURNS = oneOfRule(
  ['keep', 'exclude'] as const,
  'exclude',
  "'exclude' drops orders with a negative amount and counts them, 'keep' sums them with the rest",
);

/** The options with their defaults, checked; `asOf` as an epoch day. Internal (also src/parallel). */
export function resolveCustomerOptions(options: CustomerPartialOptions, fn: string): ResolvedOptions {
  const o = { ...DEFAULTS, ...options };
  // a column option given as undefined takes its default (the CLI passes amount: undefined with quantity/price)
  for (const name of ['customer', 'date', 'amount'] as const) if (o[name] === undefined) o[name] = DEFAULTS[name];
  const dateUnit = checkDateUnit(o.dateUnit, fn);
  const returns = optionValue(options, 'returns', RETURNS, fn);
  checkOrderLogOptions(options, fn);
  const asOfGiven = o.asOf !== undefined && o.asOf !== null;
  const asOfDay = asOfGiven ? toEpochDay(o.asOf, fn, 'asOf', dateUnit) : NaN;
  const { transaction, quantity, price } = options;
  return {
    ...{ customer: o.customer, date: o.date, amount: o.amount, transaction, quantity, price },
    ...{ returns, dateUnit, asOfDay, asOfGiven },
  };
}

/** The partial of no rows. */
export function initCustomers(): CustomerPartial {
  const none = new Int32Array(0);
  return {
    kind: 'customerSummary',
    keys: emptyKeySet(),
    count: none,
    first: none,
    last: none,
    sum: new Float64Array(0),
    compensation: new Float64Array(0),
    sumSquares: new Float64Array(0),
    maxDay: NO_DAY_MAX,
    drops: NO_DROPS,
    dates: { nulls: 0, invalid: 0, firstInvalidRow: -1, firstInvalidValue: undefined, numeric: false },
  };
}

/** Date types `readDates` reads; for those its only `INVALID_TYPE` is "no readable date in the column". */
function readsAsDates(vector: Vector): boolean {
  const type = vector.type as unknown as { typeId: number; dictionary?: { typeId: number } };
  const t = type.typeId === TypeId.Dictionary ? type.dictionary?.typeId : type.typeId;
  return (
    [
      TypeId.Date,
      TypeId.Timestamp,
      TypeId.Int,
      TypeId.Float,
      TypeId.Decimal,
      TypeId.Utf8,
      TypeId.LargeUtf8,
      TypeId.Null,
    ].includes(t as never) &&
    (type.typeId !== TypeId.Dictionary || t === TypeId.Utf8 || t === TypeId.LargeUtf8)
  );
}

/**
 * Dates of a batch. A batch in which no date is readable is not an error by itself (the next batch may have
 * some): its rows are all `invalidDate`, and `finishCustomers` raises the error when no batch had a date.
 */
function batchDates(table: Table, o: ResolvedOptions, fn: string, lenient: boolean): DateColumn {
  if (!lenient) return readDates(table, o.date, fn, 'date', o.dateUnit);
  try {
    return readDates(table, o.date, fn, 'date', o.dateUnit);
  } catch (error) {
    const vector = table.getChild(o.date) as Vector | null;
    if (!(error instanceof ClienteleError) || error.code !== 'INVALID_TYPE' || !vector || !readsAsDates(vector))
      throw error;
    let firstInvalidRow = -1;
    for (let i = 0; i < vector.length && firstInvalidRow < 0; i++) if (vector.isValid(i)) firstInvalidRow = i;
    return {
      days: new Int32Array(vector.length).fill(NO_DATE),
      nullCount: vector.nullCount,
      invalidCount: vector.length - vector.nullCount,
      firstInvalidRow,
      firstInvalidValue: firstInvalidRow >= 0 ? vector.get(firstInvalidRow) : undefined,
    };
  }
}

/** The three columns of a batch of transactions, read and checked. */
export interface BatchColumns {
  /** Ids in the batch's own numbering, or (`inUnion`) already in the stream's union. */
  readonly keys: ReturnType<typeof readKeys> & { readonly inUnion?: boolean };
  readonly dates: DateColumn;
  readonly amounts: Float64Array;
  readonly rows: number;
  readonly dateStats: CustomerPartial['dates'];
}

/**
 * Reads and checks the customer, date and amount columns of a batch or table (amounts as quantity × price when
 * asked); with `transaction`, a whole table's lines are first folded into orders (`orderLog`), and a batch of a
 * stream is refused, since the lines of one order may lie in different batches. Internal (also src/parallel).
 *
 * @throws {ClienteleError} `INVALID_OPTION` (`transaction` on a batch of a stream), those of the column readers
 */
export function readTransactions(
  input: RecordBatch | Table | unknown,
  o: ResolvedOptions,
  fn: string,
  lenient: boolean,
  union?: KeyUnion,
): BatchColumns {
  if (o.transaction !== undefined && lenient) throw streamedLines(fn);
  const table = o.transaction === undefined ? asTable(input) : orderLog(input, o, fn);
  // read the three columns before anything else so that a wrong column name is reported as such
  const keys = numberKeys(table, o, fn, union);
  return { keys, ...readDaysAndAmounts(table, o, fn, lenient) };
}

/**
 * The date and amount columns of a table of transactions (one row per order: `orderLog`'s output when lines are
 * folded), read and checked, with the date column's statistics. Internal (also src/parallel, which numbers the
 * customers in its worker threads).
 */
export function readDaysAndAmounts(
  table: Table,
  o: ResolvedOptions,
  fn: string,
  lenient: boolean,
): Omit<BatchColumns, 'keys'> {
  const columns = o.transaction === undefined ? o : { ...o, quantity: undefined, price: undefined };
  const dates = batchDates(table, o, fn, lenient);
  const amounts = rowAmounts(table, columns, fn);
  const typeId = getColumn(table, o.date, fn, 'date').type.typeId;
  return {
    dates,
    amounts,
    rows: table.numRows,
    dateStats: {
      nulls: dates.nullCount,
      invalid: dates.invalidCount,
      firstInvalidRow: dates.firstInvalidRow,
      firstInvalidValue: dates.firstInvalidValue,
      numeric: typeId === TypeId.Int || typeId === TypeId.Float,
    },
  };
}

/** The error for `transaction` on a stream of batches. */
export function streamedLines(fn: string): ClienteleError {
  return new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option transaction is not supported on a stream of record batches (the lines of one order may lie in ` +
      `different batches); read the log into one table, or fold it into orders first with one row per order`,
  );
}

/**
 * The customer ids of a batch: numbered within the batch (`readKeys`), or — given the running union of a stream
 * and a plain Int32 key column — numbered straight into the union (`inUnion`; `keys` is then empty).
 */
function numberKeys(table: Table, o: ResolvedOptions, fn: string, union: KeyUnion | undefined): BatchColumns['keys'] {
  const vector = union === undefined ? undefined : getColumn(table, o.customer, fn, 'customer');
  const codes = vector === undefined ? undefined : union!.codeInt32(vector);
  if (codes === undefined) return readKeys(table, o.customer, fn, 'customer');
  let nullCount = 0;
  let firstNullRow = -1;
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0 && nullCount++ === 0) firstNullRow = i;
  return { codes, keys: vector!.slice(0, 0), size: union!.size, nullCount, firstNullRow, inUnion: true };
}

/** A kernel applying the options' `asOf` and `returns` rules. Internal (also src/parallel). */
function kernelOf(o: ResolvedOptions, size: number): CustomerKernel {
  const { latest, lowest } = keptBounds(o);
  return new CustomerKernel(latest, lowest, size);
}

/** The last day and the smallest amount kept: `asOf` (else no limit), and 0 with `returns: 'exclude'` (else −∞). */
export function keptBounds(o: ResolvedOptions): { latest: number; lowest: number } {
  return { latest: o.asOfGiven ? o.asOfDay : NO_DAY_MIN, lowest: o.returns === 'exclude' ? 0 : -Infinity };
}

/**
 * Validates and reads a batch (or a whole table) of transactions and aggregates it by customer in one pass over
 * typed arrays (`CustomerKernel`, where the drop rules are) — the one implementation behind `customerSummary`,
 * `rfm` and their streaming and parallel forms.
 *
 * @param lenient false for a whole table (a date column without one readable date is an error at once), true for
 *   one batch of a stream (the error waits for `finishCustomers`)
 */
export function summarizeCustomers(
  input: RecordBatch | Table | unknown,
  options: CustomerPartialOptions,
  fn: string,
  lenient: boolean,
): CustomerPartial {
  const o = resolveCustomerOptions(options, fn);
  return customerPartialOf(readTransactions(input, o, fn, lenient), o);
}

/** The partial of transactions already read. Internal (also src/parallel, when no worker thread can start). */
export function customerPartialOf(batch: BatchColumns, o: ResolvedOptions): CustomerPartial {
  const kernel = kernelOf(o, batch.keys.size);
  const drops = new DropCounter();
  kernel.add(batch.keys.codes, batch.dates.days, batch.amounts, batch.rows, drops);
  return {
    kind: 'customerSummary',
    keys: keySetOf(batch.keys.keys),
    ...kernel.columns(),
    maxDay: kernel.maxDay,
    drops: partialDrops(batch.rows, drops),
    dates: batch.dateStats,
  };
}

/**
 * An in-place union of customer rows and partials, added in row order: batches of a stream (`addBatch`: the
 * batch's customers are mapped to ids of the union, new ones appended, and its rows are added to the union's state
 * directly) or partials summarised elsewhere (`add`: a worker's slice, folded in O(its customers)).
 */
export class CustomerAccumulator implements Accumulator<CustomerPartial> {
  private union: KeyUnion;
  private kernel: CustomerKernel | undefined;
  private drops: PartialDrops = NO_DROPS;
  private dates: CustomerPartial['dates'] = initCustomers().dates;

  constructor(
    private readonly options: CustomerPartialOptions = {},
    private readonly fn = 'customerSummary',
  ) {
    const customer = typeof options?.customer === 'string' ? options.customer : 'customer';
    this.union = new KeyUnion({ fn, column: customer });
  }

  add(p: CustomerPartial): void {
    const ids = this.union.add(p.keys);
    const kernel = this.kernelFor(this.union.size);
    kernel.merge(ids, p, p.maxDay);
    this.count(p.drops, p.dates);
  }

  /** Adds the rows of one batch of a stream (the batch is read, not kept). */
  addBatch(input: RecordBatch | Table): void {
    const o = resolveCustomerOptions(this.options, this.fn);
    const batch = readTransactions(input, o, this.fn, true, this.union);
    let codes = batch.keys.codes;
    if (!batch.keys.inUnion) {
      const ids = this.union.add(keySetOf(batch.keys.keys));
      const local = codes;
      codes = new Int32Array(batch.rows);
      for (let i = 0; i < codes.length; i++) codes[i] = local[i] < 0 ? -1 : ids[local[i]];
    }
    const kernel = this.kernelFor(this.union.size);
    const drops = new DropCounter();
    kernel.add(codes, batch.dates.days, batch.amounts, batch.rows, drops);
    this.count(partialDrops(batch.rows, drops), batch.dateStats);
  }

  result(): CustomerPartial {
    const kernel = this.kernelFor(this.union.size);
    return {
      kind: 'customerSummary',
      keys: this.union.keySet(),
      ...kernel.columns(), // views of the fold's state: `result` ends the fold
      maxDay: kernel.maxDay,
      drops: this.drops,
      dates: this.dates,
    };
  }

  private kernelFor(size: number): CustomerKernel {
    this.kernel ??= kernelOf(resolveCustomerOptions(this.options, this.fn), size);
    this.kernel.reserve(size);
    return this.kernel;
  }

  /** Drop counts and date statistics of later rows. */
  private count(drops: PartialDrops, dates: CustomerPartial['dates']): void {
    const rowsBefore = this.drops.rows;
    const d = this.dates;
    this.dates = {
      nulls: d.nulls + dates.nulls,
      invalid: d.invalid + dates.invalid,
      firstInvalidRow:
        d.firstInvalidRow >= 0 || dates.firstInvalidRow < 0 ? d.firstInvalidRow : rowsBefore + dates.firstInvalidRow,
      firstInvalidValue: d.firstInvalidRow >= 0 ? d.firstInvalidValue : dates.firstInvalidValue,
      numeric: d.numeric || dates.numeric,
    };
    this.drops = mergeDrops(this.drops, drops);
  }
}

/** The partial of `a`'s rows followed by `b`'s (inputs unchanged). */
export function mergeCustomers(a: CustomerPartial, b: CustomerPartial): CustomerPartial {
  const acc = new CustomerAccumulator();
  acc.add(a);
  acc.add(b);
  return acc.result();
}

/** Per-customer aggregates of a transaction log, one entry per customer with at least one kept row. */
export interface CustomerAggregates {
  /** Customer keys, in order of first appearance in the input. */
  readonly customers: Vector;
  /** Kept transactions per customer. */
  readonly count: Int32Array;
  /** Epoch day of the first and of the last kept transaction. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** Sum of amounts (compensated). */
  readonly monetary: Float64Array;
  /** Sum of squared amounts. */
  readonly sumSquares: Float64Array;
  /** The reference day (epoch day). */
  readonly asOf: number;
  /** Rows read, and what was dropped. */
  readonly rows: number;
  readonly drops: DropCounter;
}

/**
 * The per-customer aggregates of a finished partial: checks that some row was kept (and, for a stream, that the
 * date column had a readable date somewhere), then keeps the customers with at least one kept row.
 *
 * @throws {ClienteleError} `INVALID_TYPE` (no readable date in any batch), `EMPTY_INPUT`
 */
export function finishCustomers(p: CustomerPartial, options: CustomerPartialOptions, fn: string): CustomerAggregates {
  const o = resolveCustomerOptions(options, fn);
  const n = p.drops.rows;
  const dates = p.dates;
  if (dates.invalid > 0 && dates.invalid + dates.nulls === n) {
    // the error readDates raises on a whole column, raised once every batch has been seen
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${o.date}" (option date) holds no readable date (row ${dates.firstInvalidRow}: ` +
        `${describeValue(dates.firstInvalidValue)}); ` +
        (dates.numeric
          ? `numbers are read as ${o.dateUnit ?? 'yyyymmdd'}: pass dateUnit 'day', 's' or 'ms' for epoch numbers`
          : `use ISO dates such as '2024-03-31', Arrow dates, or YYYYMMDD integers`),
      { column: o.date, row: dates.firstInvalidRow },
    );
  }
  if (n === 0) {
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the transaction table has no rows; pass at least one transaction`);
  }
  const drops = dropCounter(p.drops);
  if (droppedTotal(p.drops) === n) {
    const reasons = Object.entries(drops.counts).map(
      ([r, k]) => `${r} ${k} (first row ${drops.first[r as keyof typeof drops.first]})`,
    );
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${reasons.join(', ')}); check the customer, date and amount columns` +
        (o.asOfGiven ? ` and that asOf (${isoDate(o.asOfDay)}) is after the transactions` : ''),
    );
  }
  const asOf = o.asOfGiven ? o.asOfDay : p.maxDay + 1;
  const { count, first, last } = p;
  const size = count.length;
  let kept = 0;
  for (let c = 0; c < size; c++) if (count[c] > 0) kept++;
  const monetary = new Float64Array(size);
  for (let c = 0; c < size; c++) monetary[c] = compensatedTotal(p.sum[c], p.compensation[c]);
  const customers = keyVector(p.keys);
  for (let c = 0; c < size; c++) {
    if (monetary[c] - monetary[c] !== 0)
      checkFiniteTotal(monetary[c], fn, o.amount, `customer ${describeValue(customers.get(c))}`);
  }
  if (kept === size) return { customers, count, first, last, monetary, sumSquares: p.sumSquares, asOf, rows: n, drops };
  // keep customers with at least one kept row, in order of first appearance
  const ids = new Int32Array(kept);
  for (let c = 0, k = 0; c < size; c++) if (count[c] > 0) ids[k++] = c;
  return {
    customers: takeVector(customers, ids),
    count: ids.map((c) => count[c]),
    first: ids.map((c) => first[c]),
    last: ids.map((c) => last[c]),
    monetary: Float64Array.from(ids, (c) => monetary[c]),
    sumSquares: Float64Array.from(ids, (c) => p.sumSquares[c]),
    asOf,
    rows: n,
    drops,
  };
}
