import { DateDay, makeData, makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeOwnedOrder, ownedInt32Keys, ownedUtf8Keys } from '../../src/kernels/owned-keys';
import { keptBounds, resolveCustomerOptions, summarizeCustomers } from '../../src/kernels/customer-partial';
import { readDaysAndAmounts } from '../../src/kernels/customer-partial';
import { customerOwned } from '../../src/parallel/customer-owned-task';
import { ownable, sharedKeys, unitedOwners } from '../../src/parallel/customer-owned-parallel';

/**
 * The split of `rfm` / `customerSummary` by key hash (`parallel`), run in one thread: each owner's part computed
 * by the worker task itself, then united as the calling thread unites them. Checked against a brute-force first-
 * appearance numbering (a `Map`) and against the one-thread partial, bit for bit (`Object.is` on every value),
 * on tables of one chunk and of many record batches.
 */

/** Brute force: the id of each row's key, keys numbered in order of first appearance. */
function firstAppearance(keys: readonly unknown[]): number[] {
  const ids = new Map<unknown, number>();
  return keys.map((k) => {
    if (!ids.has(k)) ids.set(k, ids.size);
    return ids.get(k)!;
  });
}

/** The global id of every row from the owners' numbering and the merge by first row. */
function globalCodes(parts: ReturnType<typeof ownedInt32Keys>[], rows: number): number[] {
  const maps = mergeOwnedOrder(parts.map((p) => p.firstRows));
  const codes = new Array<number>(rows).fill(-1);
  parts.forEach((p, w) => p.rows.forEach((row, k) => (codes[row] = maps[w][p.codes[k]])));
  return codes;
}

const intKeys = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: -2147483648, max: 2147483647 }) }, // spread: the hashed path
  ),
  { maxLength: 60 },
);
const textKeys = fc.array(fc.string({ maxLength: 30, unit: 'binary' }), { maxLength: 60 });

describe('owned keys (numbering split by key hash)', () => {
  it('Int32 keys: every row owned once, ids by first appearance after the merge', () => {
    fc.assert(
      fc.property(intKeys, fc.integer({ min: 1, max: 5 }), (keys, owners) => {
        const values = Int32Array.from(keys);
        const parts = Array.from({ length: owners }, (_, w) => ownedInt32Keys(values, w, owners));
        expect(parts.reduce((s, p) => s + p.rows.length, 0)).toBe(keys.length);
        parts.forEach((p) =>
          p.rows.forEach((row, k) => expect((p.keys as { values: Int32Array }).values[p.codes[k]]).toBe(keys[row])),
        );
        expect(globalCodes(parts, keys.length)).toEqual(firstAppearance(keys));
      }),
      { numRuns: 50 },
    );
  });

  it('Utf8 keys (inline and arena lengths, multi-byte text): the same', () => {
    fc.assert(
      fc.property(textKeys, fc.integer({ min: 1, max: 5 }), (keys, owners) => {
        const { keys: offsets, bytes } = sharedKeys(vectorFromArray(keys, new Utf8()));
        const parts = Array.from({ length: owners }, (_, w) => ownedUtf8Keys(offsets, bytes!, w, owners));
        expect(parts.reduce((s, p) => s + p.rows.length, 0)).toBe(keys.length);
        expect(globalCodes(parts, keys.length)).toEqual(firstAppearance(keys));
      }),
      { numRuns: 50 },
    );
  });
});

/** A log with the given keys, days and amounts, in one chunk or cut into record batches of `batch` rows. */
function log(customer: unknown[], days: number[], amounts: (number | null)[], batch: number): Table {
  const n = customer.length;
  let table = new Table({
    customer:
      typeof customer[0] === 'number'
        ? makeVector(Int32Array.from(customer as number[]))
        : vectorFromArray(customer, new Utf8()),
    date: makeVector(makeData({ type: new DateDay(), length: n, nullCount: 0, data: Int32Array.from(days) })),
    amount: vectorFromArray(amounts),
  });
  if (batch < n) {
    const batches = [];
    for (let s = 0; s < n; s += batch) batches.push(...table.slice(s, Math.min(n, s + batch)).batches);
    table = tableFromIPC(tableToIPC(new Table(batches), 'stream'));
  }
  return table;
}

describe('customerOwned + unitedOwners (the thread split, in one thread)', () => {
  const row = fc.record({
    key: fc.integer({ min: 0, max: 12 }),
    day: fc.integer({ min: 19000, max: 19030 }),
    amount: fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -50, max: 500, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
  });
  it('equals the one-thread partial bit for bit (strings and Int32; one chunk and many batches; asOf, returns)', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 50 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 3, max: 60 }),
        fc.constantFrom(undefined, '2022-01-20'),
        fc.constantFrom('keep', 'exclude') as fc.Arbitrary<'keep' | 'exclude'>,
        (rows, text, owners, batch, asOf, returns) => {
          const keys = rows.map((r) => (text ? `c${r.key}` : r.key * 7919 - 40));
          const table = log(
            keys,
            rows.map((r) => r.day),
            rows.map((r) => r.amount),
            batch,
          );
          const options = { asOf, returns };
          const o = resolveCustomerOptions(options, 'rfm');
          expect(ownable(table, o, 'rfm')).toBe(true);
          const read = readDaysAndAmounts(table, o, 'rfm', false);
          const input = {
            ...sharedKeys(table.getChild('customer')!),
            days: read.dates.days,
            amounts: read.amounts,
            ...keptBounds(o),
          };
          const outputs = Array.from({ length: owners }, (_, w) => customerOwned({ ...input, owner: w, owners }));
          const united = unitedOwners(outputs, read.rows, read.dateStats);
          const one = summarizeCustomers(table, options, 'rfm', false);
          expect(Object.keys(united).sort()).toEqual(Object.keys(one).sort());
          for (const key of Object.keys(one) as (keyof typeof one)[]) {
            const a = united[key];
            const b = one[key];
            if (ArrayBuffer.isView(b)) {
              expect(Array.from(a as Float64Array).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
                Array.from(b as Float64Array).map((x) => (Object.is(x, -0) ? '-0' : x)),
              );
            } else expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
          }
          expect(JSON.stringify(united.keys)).toEqual(JSON.stringify(one.keys));
        },
      ),
      { numRuns: 40 },
    );
  });
});
