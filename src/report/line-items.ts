import { Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { addCompensated } from '../math/internal';
import { getColumn, numberVector, readKeys, readNumeric, takeVector } from '../table/internal';

/** Column names of a transaction log. */
export interface LogColumns {
  readonly customer: string;
  readonly date: string;
  readonly amount: string;
  readonly transaction: string;
  readonly item: string;
}

/**
 * A line-item log (one row per product sold, the transaction id repeated on each line) folded into one row per
 * transaction: the customer and date of its first line and the sum of its lines' amounts (compensated). Rows
 * with a null transaction id stay transactions of their own. Output columns: transaction, customer, date, amount,
 * in order of first appearance. A transaction with a null amount on a line gets amount NaN, so the analyses drop
 * and count it as they do any unreadable amount.
 *
 * Cost: O(rows).
 */
export function transactionsFromLines(table: Table, cols: LogColumns, fn: string): Table {
  const ids = readKeys(table, cols.transaction, fn, 'transaction');
  const amount = readNumeric(table, cols.amount, fn, 'amount').values;
  const customer = getColumn(table, cols.customer, fn, 'customer');
  const date = getColumn(table, cols.date, fn, 'date');
  const transaction = getColumn(table, cols.transaction, fn, 'transaction');
  const n = table.numRows;
  const size = ids.size;
  const take = new Int32Array(size + ids.nullCount);
  const sums = new Float64Array(take.length);
  const compensations = new Float64Array(take.length);
  const seen = new Uint8Array(size);
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
      take[id] = i; // ids follow first appearance, so this is the transaction's first line
    }
    addCompensated(sums, compensations, id, amount[i]);
  }
  for (let k = 0; k < take.length; k++) sums[k] += compensations[k];
  const columns: Record<string, Vector> = {
    [cols.transaction]: takeVector(transaction, take),
    [cols.customer]: takeVector(customer, take),
    [cols.date]: takeVector(date, take),
    [cols.amount]: numberVector(sums),
  };
  return new Table(columns);
}

/** True when some transaction id occurs on more than one row (the log lists line items). */
export function hasRepeatedTransactions(table: Table, column: string, fn: string): boolean {
  const ids = readKeys(table, column, fn, 'transaction');
  return ids.size + ids.nullCount < table.numRows;
}
