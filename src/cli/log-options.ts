import { Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { Option } from 'commander';
import type { Command } from 'commander';
import { orderLog, RETURNS, rowAmounts } from '../kernels/internal';
import { nullRecord, numberVector, readNumeric, takeVector } from '../table/internal';
import type { DateUnit } from '../table/internal';
import { UsageError } from './usage-error';

/** The flags that say how a transaction file's rows become orders, as the commands receive them. */
export interface LogFlags {
  transaction?: string;
  quantity?: string;
  price?: string;
  returns: 'keep' | 'exclude';
}

/** The library options the flags give: the log columns, the returns policy, and `amount` unless computed. */
export interface LogColumns {
  amount: string | undefined;
  transaction: string | undefined;
  quantity: string | undefined;
  price: string | undefined;
  returns: 'keep' | 'exclude';
}

/**
 * Adds `--transaction`, `--quantity`, `--price` and `--returns`, the same flags with the same default on every
 * command that reads a transaction log (rfm, clv, segment, abc, report). `report` declares `--transaction` among
 * its column options already (`withTransaction: false`).
 */
export function addLogOptions(cmd: Command, withTransaction = true): Command {
  if (withTransaction) {
    cmd.option(
      '--transaction <column>',
      'column of order (invoice) ids: rows are line items, one order per id (frequency counts orders, an order’s amount is the sum of its lines)',
    );
  }
  return cmd
    .addOption(
      new Option(
        '--quantity <column>',
        'column of quantities: the amount of a row is quantity × price (with --price)',
      ).conflicts('amount'),
    )
    .addOption(
      new Option(
        '--price <column>',
        'column of unit prices: the amount of a row is quantity × price (with --quantity)',
      ).conflicts('amount'),
    )
    .addOption(
      new Option(
        '--returns <how>',
        'orders with a negative amount (returns): exclude them (counted) or keep them in the sums',
      )
        .choices(RETURNS.values!)
        .default(RETURNS.fallback),
    );
}

/**
 * The library options of the flags: `amount` is left out when the amount is computed (`--quantity`, `--price`).
 *
 * @throws {UsageError} `--quantity` without `--price` or the reverse
 */
export function logColumns(options: LogFlags & { amount?: string }): LogColumns {
  const { quantity, price, transaction, returns } = options;
  if ((quantity === undefined) !== (price === undefined)) {
    throw new UsageError(
      `option ${quantity === undefined ? '--price' : '--quantity'} needs ${quantity === undefined ? '--quantity' : '--price'}: the amount of a row is quantity × price (e.g. --quantity Quantity --price UnitPrice)`,
    );
  }
  return { amount: quantity === undefined ? options.amount : undefined, transaction, quantity, price, returns };
}

/**
 * A transaction table as the rows `abc` classifies: with `--transaction`, one row per order (`orderLog`: the lines
 * of an id folded, amount the sum of its lines); with `--quantity` and `--price`, the amount column computed; with
 * `--returns exclude` (the default), the rows whose `value` is negative left out and counted in `excluded`.
 */
export function classifiedRows(
  table: Table,
  cols: LogColumns & { customer: string; date: string; dateUnit?: DateUnit },
  value: string,
  fn: string,
): { table: Table; excluded: number } {
  const amount = cols.amount ?? 'amount';
  const names = { ...cols, amount };
  let rows = table;
  if (cols.transaction !== undefined) rows = orderLog(table, names, fn);
  else if (cols.quantity !== undefined) {
    const computed = nullRecord<Vector>();
    computed[amount] = numberVector(rowAmounts(table, names, fn));
    rows = table.assign(new Table(computed));
  }
  if (cols.returns === 'keep' || !rows.getChild(value)) return { table: rows, excluded: 0 };
  const values = readNumeric(rows, value, fn, 'value').values;
  const keep: number[] = [];
  for (let i = 0; i < values.length; i++) if (!(values[i] < 0)) keep.push(i);
  if (keep.length === rows.numRows) return { table: rows, excluded: 0 };
  const at = Int32Array.from(keep);
  const kept = nullRecord<Vector>();
  for (const field of rows.schema.fields) kept[field.name] = takeVector(rows.getChild(field.name) as Vector, at);
  return { table: new Table(kept), excluded: rows.numRows - keep.length };
}
