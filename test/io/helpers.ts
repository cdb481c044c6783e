import type { Table } from 'apache-arrow';

/** Every column of a table as plain values read one by one with `get` (nulls kept; dates as epoch ms). */
export function columnValues(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name)!;
    out[field.name] = Array.from({ length: table.numRows }, (_, i) => {
      const x = v.get(i);
      return typeof x === 'bigint' ? Number(x) : x;
    });
  }
  return out;
}

/** Column name → Arrow type as text. */
export function typesOf(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Runs an async function and returns what it threw. */
export async function rejection(
  run: () => Promise<unknown>,
): Promise<{ code?: string; message: string; column?: string; row?: number; name?: string }> {
  try {
    await run();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a rejection, but the call succeeded');
}
