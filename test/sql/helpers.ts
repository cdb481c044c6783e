import { DataType } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';

/** One column to load into DuckDB: its SQL type and its values (null = SQL NULL; dates as epoch days). */
export interface SqlColumnSpec {
  type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE';
  values: readonly (string | number | null)[];
}

/**
 * Creates (or replaces) table `name` in DuckDB with the given columns, row by row through DuckDB's appender, so
 * that doubles (NaN included) and dates arrive bit for bit.
 */
export async function loadDuckTable(
  con: DuckDBConnection,
  name: string,
  columns: Record<string, SqlColumnSpec>,
): Promise<void> {
  const duck = await import('@duckdb/node-api');
  const entries = Object.entries(columns);
  await con.run(`CREATE OR REPLACE TABLE "${name}" (${entries.map(([c, s]) => `"${c}" ${s.type}`).join(', ')})`);
  const appender = await con.createAppender(name);
  const n = entries[0][1].values.length;
  for (let i = 0; i < n; i++) {
    for (const [, spec] of entries) {
      const v = spec.values[i];
      if (v === null) appender.appendNull();
      else if (spec.type === 'VARCHAR') appender.appendVarchar(String(v));
      else if (spec.type === 'INTEGER') appender.appendInteger(v as number);
      else if (spec.type === 'DOUBLE') appender.appendDouble(v as number);
      else appender.appendDate(new duck.DuckDBDateValue(v as number));
    }
    appender.endRow();
  }
  appender.closeSync();
}

/** The rows of `table` as plain arrays of cell values, in `order` (row indices) or table order. */
function cells(table: Table, name: string): unknown[] {
  const v = table.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  return Array.from({ length: table.numRows }, (_, i) => v.get(i));
}

/**
 * Asserts `actual` equals `expected` row by row: same column names and Arrow types; integers, dates and strings
 * exact; doubles within 1e-9 relative. `sortBy` reorders the expected rows by that column first (JS order), for
 * results whose SQL order is by key while the in-process order is first appearance.
 */
export function expectSameRows(actual: Table, expected: Table, sortBy?: string): void {
  expect(actual.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
    expected.schema.fields.map((f) => `${f.name}: ${f.type}`),
  );
  expect(actual.numRows).toBe(expected.numRows);
  let order = Array.from({ length: expected.numRows }, (_, i) => i);
  if (sortBy) {
    const keys = cells(expected, sortBy) as (string | number)[];
    order = order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  }
  for (const field of expected.schema.fields) {
    const want = cells(expected, field.name);
    const got = cells(actual, field.name);
    const isDouble = DataType.isFloat(field.type);
    for (let k = 0; k < order.length; k++) {
      const w = want[order[k]];
      const g = got[k];
      if (isDouble && typeof w === 'number' && Number.isFinite(w)) {
        if (Math.abs((g as number) - w) > 1e-9 * Math.abs(w)) {
          expect(g, `${field.name} row ${k}`).toBe(w);
        }
      } else if (g !== w) {
        expect(g, `${field.name} row ${k}`).toBe(w);
      }
    }
  }
}
