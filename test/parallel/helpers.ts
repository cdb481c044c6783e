import type { Table } from 'apache-arrow';
import { expect } from 'vitest';

/** Cells of a column as plain values (Dates as epoch ms, bigints as numbers). */
function cells(table: Table, name: string): unknown[] {
  const v = table.getChild(name)!;
  return Array.from({ length: v.length }, (_, i) => {
    const x = v.get(i) as unknown;
    return x instanceof Date ? x.getTime() : typeof x === 'bigint' ? Number(x) : x;
  });
}

/**
 * Two tables are the same result: the same columns in the same order with the same Arrow types, the same cells
 * (numbers compared with Object.is, so −0, NaN and the last bit count) and the same schema metadata.
 */
export function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
    expected.schema.fields.map((f) => `${f.name}: ${f.type}`),
  );
  expect(actual.numRows).toBe(expected.numRows);
  for (const f of expected.schema.fields) {
    const a = cells(actual, f.name);
    const e = cells(expected, f.name);
    const firstDifference = e.findIndex((x, i) => !Object.is(x, a[i]));
    expect(
      firstDifference === -1
        ? 'same'
        : `${f.name}[${firstDifference}]: ${String(a[firstDifference])} vs ${String(e[firstDifference])}`,
    ).toBe('same');
  }
  expect(Object.fromEntries(actual.schema.metadata)).toEqual(Object.fromEntries(expected.schema.metadata));
}

/** The outcome of a call: its value, or the code and message of the ClienteleError it threw. */
export async function outcome<T>(
  f: () => T | Promise<T>,
): Promise<{ value: T } | { error: { code: unknown; message: string; row?: unknown; column?: unknown } }> {
  try {
    return { value: await f() };
  } catch (e) {
    const { code, message, row, column } = e as { code?: unknown; message: string; row?: unknown; column?: unknown };
    return { error: { code, message, row, column } };
  }
}
