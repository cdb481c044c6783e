/**
 * Helpers of the streaming tests: random batch splits, random merge trees, and a column-by-column table
 * comparison. Built from apache-arrow and plain JS only.
 */
import { Dictionary, Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, RecordBatch, Vector } from 'apache-arrow';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { MergeableAggregate } from '../../src/stream/index';

export type KeyKind = 'utf8' | 'int' | 'dict' | 'float';

/** A key column of the given kind from JS values (numbers for int/float kinds, strings otherwise). */
export function keyColumn(values: readonly (string | number | null)[], kind: KeyKind): Vector {
  const types: Record<KeyKind, DataType> = {
    utf8: new Utf8(),
    int: new Int32(),
    float: new Float64(),
    dict: new Dictionary(new Utf8(), new Int32()),
  };
  return vectorFromArray(values as never[], types[kind] as never);
}

/** Row boundaries cutting n rows into pieces of the given sizes (the last piece takes what is left). */
export function cuts(n: number, sizes: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const size of sizes) {
    const end = Math.min(n, at + size);
    out.push([at, end]);
    at = end;
  }
  if (at < n) out.push([at, n]);
  return out;
}

/** Random piece sizes: empty pieces, one-row pieces and larger ones. */
export const pieceSizes = fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 12 })), {
  maxLength: 30,
});

/** The table cut into slices (each a Table, possibly of zero rows). */
export function slices(table: Table, sizes: readonly number[]): Table[] {
  return cuts(table.numRows, sizes).map(([a, b]) => table.slice(a, b));
}

/** The slices as an async stream of record batches, with explicit empty batches where a slice has none. */
export async function* batchStream(parts: readonly Table[]): AsyncGenerator<RecordBatch | Table> {
  for (const part of parts) {
    if (part.batches.length === 0) yield part; // an empty piece: a zero-row table
    for (const batch of part.batches) yield batch;
  }
}

/** Partials merged along a random binary tree (split points from `choices`), e.g. ((a b) c) or (a (b c)). */
export function mergeTree<P, O>(
  agg: MergeableAggregate<P, O, unknown>,
  partials: readonly P[],
  choices: readonly number[],
  options: O,
): P {
  let next = 0;
  const tree = (from: number, to: number): P => {
    if (to - from === 0) return agg.init(options);
    if (to - from === 1) return partials[from];
    const split = from + 1 + ((choices[next++ % Math.max(1, choices.length)] ?? 0) % (to - from - 1));
    return agg.merge(tree(from, split), tree(split, to));
  };
  return tree(0, partials.length);
}

/** Plain JS values of a column (dates as epoch milliseconds, typed arrays as arrays). */
export function values(table: Table, name: string): unknown[] {
  const v = table.getChild(name)!;
  return Array.from({ length: v.length }, (_, i) => {
    const x = v.get(i) as unknown;
    return x instanceof Date ? x.getTime() : x;
  });
}

/** Two result tables equal: same columns, same Arrow type ids, same values (doubles within `tolerance` relative), same metadata. */
export function expectSameTable(actual: Table, expected: Table, tolerance = 0): void {
  expect(actual.schema.fields.map((f) => f.name)).toEqual(expected.schema.fields.map((f) => f.name));
  expect(Object.fromEntries(actual.schema.metadata)).toEqual(Object.fromEntries(expected.schema.metadata));
  for (const field of expected.schema.fields) {
    const a = actual.getChild(field.name)!;
    const e = expected.getChild(field.name)!;
    expect(a.type.typeId, field.name).toBe(e.type.typeId);
    const av = values(actual, field.name);
    const ev = values(expected, field.name);
    if (tolerance === 0) expect(av, field.name).toEqual(ev);
    else {
      expect(av.length).toBe(ev.length);
      av.forEach((x, i) => {
        if (typeof x === 'number' && typeof ev[i] === 'number') {
          expect(Math.abs(x - (ev[i] as number)), `${field.name}[${i}]`).toBeLessThanOrEqual(
            tolerance * Math.max(1, Math.abs(ev[i] as number)),
          );
        } else expect(x, `${field.name}[${i}]`).toEqual(ev[i]);
      });
    }
  }
}

/** The error a function throws (sync or async), or undefined. */
export async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (error) {
    return error;
  }
  return undefined;
}
