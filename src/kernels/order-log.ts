import { Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { addCompensated } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  getColumn,
  isoDate,
  NO_DATE,
  nullRecord,
  numberVector,
  readDates,
  readKeys,
  readNumeric,
  takeVector,
} from '../table/internal';
import type { DateUnit } from '../table/internal';

/**
 * How a transaction log's rows become orders and amounts: the options the customer analyses share with the report
 * and the CLI (`--transaction`, `--quantity`, `--price`).
 */
export interface OrderLogOptions {
  /**
   * Column of transaction (order, invoice) ids. When given, the rows are line items: the lines of one id form one
   * order, counted once, whose amount is the compensated sum of its lines and whose customer and date are those of
   * its first line. A line with a null id is an order of its own. Lines of one id that disagree on the customer or
   * the day are an `INVALID_INPUT` error. Default: none (every row is an order).
   */
  transaction?: string;
  /** Column of quantities: with `price`, the amount of a row is quantity × price (exclusive with `amount`). */
  quantity?: string;
  /** Column of unit prices: with `quantity`, the amount of a row is quantity × price (exclusive with `amount`). */
  price?: string;
}

/** The columns of a log, resolved: `amount` names the amount column, or the computed one with `quantity`/`price`. */
export interface LogColumnNames extends OrderLogOptions {
  readonly customer: string;
  readonly date: string;
  readonly amount: string;
  readonly dateUnit?: DateUnit;
}

/**
 * Checks `transaction`, `quantity` and `price` (names, given together, not with an explicit `amount`).
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 */
export function checkOrderLogOptions(options: OrderLogOptions & { amount?: unknown }, fn: string): void {
  for (const name of ['transaction', 'quantity', 'price'] as const) {
    const v = options[name];
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a column name (found ${describeValue(v)}); e.g. ${name}: '${EXAMPLES[name]}'`,
      );
    }
  }
  const { quantity, price } = options;
  if ((quantity === undefined) !== (price === undefined)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options quantity and price go together (found only ${quantity === undefined ? 'price' : 'quantity'}); ` +
        `pass both (amount = quantity × price), or an amount column instead`,
    );
  }
  if (quantity !== undefined && options.amount !== undefined && options.amount !== null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options amount and quantity/price cannot be used together (found amount ${describeValue(options.amount)} ` +
        `and quantity '${quantity}', price '${price}'); pass either an amount column or quantity and price`,
    );
  }
}

const EXAMPLES = { transaction: 'InvoiceNo', quantity: 'Quantity', price: 'UnitPrice' } as const;

/** The amount of every row: the amount column, or quantity × price (NaN where either is null). */
export function rowAmounts(table: Table, cols: LogColumnNames, fn: string): Float64Array {
  if (cols.quantity === undefined || cols.price === undefined)
    return readNumeric(table, cols.amount, fn, 'amount').values;
  const quantity = readNumeric(table, cols.quantity, fn, 'quantity').values;
  const price = readNumeric(table, cols.price, fn, 'price').values;
  const amounts = new Float64Array(table.numRows);
  for (let i = 0; i < amounts.length; i++) amounts[i] = quantity[i] * price[i];
  return amounts;
}

/**
 * A transaction log as orders, the one implementation behind the customer analyses, the report and the CLI: with
 * `quantity` and `price`, the amount of a row is quantity × price; with `transaction`, the lines of one id are
 * folded into one order — the customer and date of its first line, the Neumaier-compensated sum of its lines'
 * amounts. Lines with a null id stay orders of their own. An order with a line whose amount is null or NaN gets
 * amount NaN, which the analyses drop and count (`invalidAmount`) as any unreadable amount. Without either option
 * the table is returned as it is.
 *
 * Output columns (named as in `cols`): the transaction id (with `transaction`), customer, date and amount, one row
 * per order in order of first appearance.
 *
 * Cost: O(rows), one pass over typed arrays; O(orders) memory for the output.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`; `INVALID_INPUT` when two lines of one transaction name
 *   different customers or different days (the id and both rows are named)
 */
export function orderLog(input: unknown, cols: LogColumnNames, fn: string): Table {
  const table = asTable(input);
  if (cols.transaction === undefined && cols.quantity === undefined) return table;
  if (cols.transaction === undefined) {
    const amounts = rowAmounts(table, cols, fn);
    const columns = nullRecord<Vector>();
    columns[cols.customer] = getColumn(table, cols.customer, fn, 'customer');
    columns[cols.date] = getColumn(table, cols.date, fn, 'date');
    columns[cols.amount] = numberVector(amounts);
    return new Table(columns);
  }
  return foldLines(table, { ...cols, transaction: cols.transaction }, fn);
}

/** The lines of each transaction id folded into one order (see {@link orderLog}). */
function foldLines(table: Table, cols: LogColumnNames & { transaction: string }, fn: string): Table {
  const ids = readKeys(table, cols.transaction, fn, 'transaction');
  const customers = readKeys(table, cols.customer, fn, 'customer');
  const days = readDates(table, cols.date, fn, 'date', cols.dateUnit).days;
  const amount = rowAmounts(table, cols, fn);
  const n = table.numRows;
  const size = ids.size;
  const take = new Int32Array(size + ids.nullCount);
  const sums = new Float64Array(take.length);
  const compensations = new Float64Array(take.length);
  const seen = new Uint8Array(size);
  const codes = customers.codes;
  let extra = size;
  for (let i = 0; i < n; i++) {
    const id = ids.codes[i];
    if (id < 0) {
      take[extra] = i;
      sums[extra++] = amount[i];
      continue;
    }
    if (!seen[id]) {
      seen[id] = 1;
      take[id] = i; // ids follow first appearance, so this is the order's first line
    } else {
      const first = take[id];
      if (codes[i] !== codes[first] || days[i] !== days[first]) disagreement(table, cols, first, i, days, fn);
    }
    addCompensated(sums, compensations, id, amount[i]);
  }
  for (let k = 0; k < take.length; k++) sums[k] += compensations[k];
  const columns = nullRecord<Vector>();
  columns[cols.transaction] = takeVector(getColumn(table, cols.transaction, fn, 'transaction'), take);
  columns[cols.customer] = takeVector(getColumn(table, cols.customer, fn, 'customer'), take);
  columns[cols.date] = takeVector(getColumn(table, cols.date, fn, 'date'), take);
  columns[cols.amount] = numberVector(sums);
  return new Table(columns);
}

/** @throws {ClienteleError} `INVALID_INPUT`: lines `a` and `b` of one transaction disagree on customer or day. */
function disagreement(
  table: Table,
  cols: LogColumnNames & { transaction: string },
  a: number,
  b: number,
  days: Int32Array,
  fn: string,
): never {
  const id = describeValue(table.getChild(cols.transaction)!.get(a));
  const sameDay = days[a] === days[b];
  const what = sameDay ? 'customer' : 'date';
  const column = sameDay ? cols.customer : cols.date;
  const value = (row: number) =>
    sameDay || days[row] === NO_DATE ? describeValue(table.getChild(column)!.get(row)) : isoDate(days[row]);
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: transaction ${id} (column "${cols.transaction}") has lines with different ${what}s: row ${a} has ` +
      `${value(a)}, row ${b} has ${value(b)} (0-based); an order has one ${what}: fix the rows, or, if ` +
      `that column does not identify orders, do not name it as the transaction column`,
    { column, row: b },
  );
}

/** True when some transaction id occurs on more than one row (the log lists line items). */
export function hasRepeatedTransactions(table: Table, column: string, fn: string): boolean {
  const ids = readKeys(table, column, fn, 'transaction');
  return ids.size + ids.nullCount < table.numRows;
}
