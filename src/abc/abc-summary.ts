import type { Float64, Int32, Table } from 'apache-arrow';
import { vectorFromArray, Utf8 } from 'apache-arrow';
import { RunningSum } from '../math/internal';
import { asTable, getColumn, META, numberVector, readNumericVector, tableWithMetadata } from '../table/internal';

/** The columns of `abcSummary`: one row per class. */
export type AbcSummaryColumns = {
  class: Utf8;
  keys: Int32;
  keyShare: Float64;
  value: Float64;
  valueShare: Float64;
};

/**
 * The ABC split at a glance: per class, how many keys and how much of the value — the "20 % of customers bring
 * 80 % of revenue" line of a report.
 *
 * Output columns: `class`, `keys` (count), `keyShare`, `value` (sum), `valueShare` (of the positive total, as in
 * `abc`). One row per class present, in class order.
 *
 * @param abcTable a table returned by `abc` (columns `class`, `value`, `share`)
 * @throws {ClienteleError} `MISSING_COLUMN`
 * @example
 * const split = abcSummary(abc({ product: ['p', 'q', 'r', 's'], revenue: [70, 20, 6, 4] }, { key: 'product', value: 'revenue' }));
 * split.getChild('valueShare')?.toArray(); // Float64Array [0.9, 0.06, 0.04]
 */
export function abcSummary(abcTable: unknown): Table<AbcSummaryColumns> {
  const fn = 'abcSummary';
  const table = asTable(abcTable);
  const classes = getColumn(table, 'class', fn, 'class');
  const value = readNumericVector(getColumn(table, 'value', fn, 'value'), 'value', fn).values;
  const share = readNumericVector(getColumn(table, 'share', fn, 'share'), 'share', fn).values;
  const byClass = new Map<string, { keys: number; value: RunningSum; share: RunningSum }>();
  for (let i = 0; i < table.numRows; i++) {
    const c = String(classes.get(i));
    let entry = byClass.get(c);
    if (!entry) byClass.set(c, (entry = { keys: 0, value: new RunningSum(), share: new RunningSum() }));
    entry.keys++;
    entry.value.add(value[i]);
    entry.share.add(share[i]);
  }
  const names = [...byClass.keys()].sort();
  const n = table.numRows;
  return tableWithMetadata(
    {
      class: vectorFromArray(names, new Utf8()),
      keys: numberVector(Int32Array.from(names, (c) => byClass.get(c)!.keys)),
      keyShare: numberVector(Float64Array.from(names, (c) => byClass.get(c)!.keys / n)),
      value: numberVector(Float64Array.from(names, (c) => byClass.get(c)!.value.value)),
      valueShare: numberVector(Float64Array.from(names, (c) => byClass.get(c)!.share.value)),
    },
    { [META.kind]: 'abcSummary' },
  );
}
