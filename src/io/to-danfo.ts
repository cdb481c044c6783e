import { asTable, ClienteleError, describeValue } from '../table/internal';
import type { DanfoLikeFrame, TableInput } from '../table/internal';
import { columnCells } from './cells';

/** A danfo.js `DataFrame` (danfojs is an optional peer, so only the part clientele reads is typed). */
export interface DanfoDataFrame extends DanfoLikeFrame {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- danfo's own frame type, not a dependency of ours
  [member: string]: any;
}

/**
 * Converts a table to a danfo.js `DataFrame`, for analysts who continue in danfo (plots, `describe`, joins).
 *
 * danfo.js is an optional peer dependency and is never imported by clientele: pass its module, e.g.
 * `toDanfo(table, await import('danfojs'))` (or `danfojs-node`).
 *
 * Each column becomes a plain array, so that {@link asTable} reads the frame back with the same values:
 * numbers stay numbers (64-bit integers become the nearest double), text and dictionary-encoded text become
 * strings, booleans booleans, dates and timestamps JavaScript `Date`s (which asTable reads back as Timestamp(ms),
 * so a Date32 column returns as timestamps at midnight UTC), nulls `null`. Column order is kept.
 *
 * Cost: O(rows × columns), one plain array per column.
 *
 * @param table anything {@link asTable} accepts; it is not modified
 * @param danfo the danfojs module (anything with a `DataFrame` constructor)
 * @throws {ClienteleError} `INVALID_INPUT` when `danfo` has no `DataFrame` constructor; `EMPTY_INPUT` for a table
 *   without rows or columns, which danfo.js cannot hold
 * @example
 * // e.g. const df = toDanfo(rfm(tx), await import('danfojs')); df.head().print();
 * const danfo = { DataFrame: class { constructor(data) { this.data = data; } } }; // a stand-in for danfojs
 * toDanfo([{ customer: 'a', amount: 10 }, { customer: 'b', amount: null }], danfo).data.amount; // [10, null]
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- danfo's constructor, typed by danfo
export function toDanfo(table: TableInput, danfo: { DataFrame: new (...a: any[]) => any }): DanfoDataFrame {
  const fn = 'toDanfo';
  if (
    typeof danfo !== 'object' ||
    danfo === null ||
    typeof (danfo as { DataFrame?: unknown }).DataFrame !== 'function'
  ) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the second argument must be the danfojs module (found ${describeValue(danfo)}); pass it as toDanfo(table, await import('danfojs'))`,
    );
  }
  const t = asTable(table);
  if (t.numRows === 0 || t.numCols === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the table has ${t.numRows} rows and ${t.numCols} columns (found an empty table), which danfo.js cannot hold; check the input before converting`,
    );
  }
  // danfo.js takes only an object whose prototype is Object.prototype; each column is then defined as an own data
  // property (not assigned), so a column named __proto__ or constructor stays a column
  const columns = Object.create(Object.prototype) as Record<string, unknown[]>;
  for (const field of t.schema.fields) {
    const cells = columnCells(t.getChild(field.name)!);
    const n = t.numRows;
    const values = new Array<unknown>(n);
    switch (cells.kind) {
      case 'date':
      case 'timestamp':
        for (let i = 0; i < n; i++) {
          const ms = cells.get(i) as number | null;
          values[i] = ms === null ? null : new Date(ms);
        }
        break;
      case 'bigint':
        for (let i = 0; i < n; i++) {
          const v = cells.get(i) as bigint | null;
          values[i] = v === null ? null : Number(v);
        }
        break;
      default:
        for (let i = 0; i < n; i++) values[i] = cells.get(i);
    }
    Object.defineProperty(columns, field.name, { value: values, enumerable: true, writable: true, configurable: true });
  }
  try {
    return new danfo.DataFrame(columns) as DanfoDataFrame;
  } catch (e) {
    // danfo.js refuses some shapes of its own (a column named __proto__ among them): say so in our words
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: danfo.js refused the table (found ${describeValue(e instanceof Error ? e.message : e)}); ` +
        `rename columns such as __proto__ that danfo.js cannot hold, or keep the Arrow table`,
    );
  }
}
