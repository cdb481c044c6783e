import { Table, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abc, customerSummary, droppedRows, isClienteleError, rfm } from '../../src/index';
import { abcTotalsAggregate, aggregateBatches, AGGREGATES, customerSummaryAggregate } from '../../src/stream/index';
import { referenceSummary } from '../helpers/reference';
import type { Tx } from '../helpers/reference';
import { batchStream, errorOf, expectSameTable, keyColumn, mergeTree, pieceSizes, slices } from './helpers';
import type { KeyKind } from './helpers';

const isoOf = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

/**
 * A transaction table from rows; `badDate` rows get an unreadable date string. Amounts are quarters (k / 4), so
 * every sum is exact in doubles and any summation order gives the same bits.
 */
function txTable(rows: readonly (Tx & { badDate?: boolean })[], kind: KeyKind): Table {
  const customer = rows.map((r) =>
    r.customer === null ? null : kind === 'int' || kind === 'float' ? Number(r.customer) : `c${r.customer}`,
  );
  return new Table({
    customer: keyColumn(customer, kind),
    date: vectorFromArray(rows.map((r) => (r.badDate ? '2024-02-30' : r.day === null ? null : isoOf(r.day)))),
    amount: vectorFromArray(rows.map((r) => r.amount)),
  });
}

const rowArb = fc.record({
  customer: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 12 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  day: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 19000, max: 19060 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  amount: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: -40, max: 400 }).map((k) => k / 4) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  badDate: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const kindArb = fc.constantFrom<KeyKind>('utf8', 'int', 'dict', 'float');
const optionsArb = fc.record({
  asOf: fc.option(fc.integer({ min: 19020, max: 19070 }).map(isoOf), { nil: undefined }),
  returns: fc.constantFrom<'keep' | 'exclude'>('keep', 'exclude'),
});

/** The whole-table result, or the code of the error it throws. */
function wholeOrError<T>(f: () => T): T | string {
  try {
    return f();
  } catch (error) {
    if (isClienteleError(error)) return error.code;
    throw error;
  }
}

describe('customerSummaryAggregate', () => {
  it('streaming equals whole-table customerSummary over random batch splits and merge trees (property; string, dictionary, int, float keys)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 60 }),
        kindArb,
        optionsArb,
        pieceSizes,
        fc.array(fc.nat(), { maxLength: 40 }),
        async (rows, kind, options, sizes, choices) => {
          const table = txTable(rows, kind);
          const whole = wholeOrError(() => customerSummary(table, options));
          const parts = slices(table, sizes);
          const streamed = await errorOf(() => customerSummary(batchStream(parts), options));
          const viaAggregate = await errorOf(() =>
            aggregateBatches(customerSummaryAggregate, batchStream(parts), options),
          );
          // a random merge tree of structured-cloned partials (as they come back from worker threads)
          const partials = parts.map((p) => structuredClone(customerSummaryAggregate.summarize(p, options)));
          const treeResult = wholeOrError(() =>
            customerSummaryAggregate.finish(mergeTree(customerSummaryAggregate, partials, choices, options), options),
          );
          if (typeof whole === 'string') {
            for (const e of [streamed, viaAggregate]) expect(isClienteleError(e) && e.code).toBe(whole);
            expect(treeResult).toBe(whole);
            return;
          }
          const got = await customerSummary(batchStream(parts), options);
          expectSameTable(got, whole);
          expectSameTable(await aggregateBatches(customerSummaryAggregate, batchStream(parts), options), whole);
          expectSameTable(treeResult as Table, whole);
          expect(droppedRows(got)).toEqual(droppedRows(whole));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('matches a brute-force Map aggregation of the rows (property, stream of random batches)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          rowArb.map((r) => ({ ...r, badDate: false })),
          { minLength: 1, maxLength: 60 },
        ),
        pieceSizes,
        async (rows, sizes) => {
          const valid = rows.filter((r) => r.customer !== null && r.day !== null && r.amount !== null);
          fc.pre(valid.length > 0);
          const got = await customerSummary(batchStream(slices(txTable(rows, 'int'), sizes)), {
            asOf: isoOf(19100),
            returns: 'keep', // the reference sums negative amounts
          });
          const ref = referenceSummary(rows, 19100);
          // customers in order of first appearance among all rows with a customer (dropped rows included)
          const order = [...new Set(rows.map((r) => r.customer).filter((c) => c !== null && ref.has(c)))] as number[];
          expect(Array.from(got.getChild('customer')!)).toEqual(order);
          expect(Array.from(got.getChild('count')!.toArray())).toEqual(order.map((c) => ref.get(c)!.count));
          expect(Array.from(got.getChild('recency')!.toArray())).toEqual(order.map((c) => 19100 - ref.get(c)!.last));
          expect(Array.from(got.getChild('monetary')!.toArray())).toEqual(order.map((c) => ref.get(c)!.monetary));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('merges compensated sums: cents over many batches agree with the whole table to 1e-12 and with exact integer cents', async () => {
    const n = 20000;
    const customer = Array.from({ length: n }, (_, i) => `c${(i * 7919) % 37}`);
    const cents = Array.from({ length: n }, (_, i) => ((i * 104729) % 100000) + 1);
    const table = new Table({
      customer: vectorFromArray(customer),
      date: vectorFromArray(Array.from({ length: n }, (_, i) => isoOf(19000 + (i % 300)))),
      amount: vectorFromArray(cents.map((c) => c / 100)),
    });
    const whole = customerSummary(table);
    const streamed = await customerSummary(batchStream(slices(table, Array(200).fill(97))));
    expectSameTable(streamed, whole, 1e-12);
    const exact = new Map<string, number>();
    customer.forEach((c, i) => exact.set(c, (exact.get(c) ?? 0) + cents[i]));
    const monetary = Array.from(streamed.getChild('monetary')!.toArray() as Float64Array);
    // the compensated total, rounded to cents, is the exact integer total
    expect(monetary.map((m) => Math.round(m * 100))).toEqual([...exact.values()]);
  });

  it('associativity: ((a b) c) and (a (b c)) finish to the same table, and partials survive structuredClone', () => {
    const table = txTable(
      [
        { customer: 1, day: 19000, amount: 1.5 },
        { customer: 2, day: 19001, amount: null },
        { customer: null, day: 19002, amount: 3 },
        { customer: 2, day: 19003, amount: 2 },
        { customer: 3, day: null, amount: 2 },
        { customer: 1, day: 19010, amount: 4.25 },
      ],
      'utf8',
    );
    const agg = customerSummaryAggregate;
    const [a, b, c] = [table.slice(0, 2), table.slice(2, 4), table.slice(4)].map((t) => agg.summarize(t, {}));
    const left = agg.finish(agg.merge(agg.merge(a, b), c), {});
    const right = agg.finish(agg.merge(a, agg.merge(b, c)), {});
    expectSameTable(left, right);
    expectSameTable(agg.finish(structuredClone(agg.merge(a, agg.merge(b, c))), {}), customerSummary(table));
    expect(droppedRows(left)).toEqual({
      rows: 6,
      kept: 3,
      dropped: { invalidAmount: 1, nullCustomer: 1, invalidDate: 1 },
      firstRow: { invalidAmount: 1, nullCustomer: 2, invalidDate: 4 },
      total: 3,
    });
    expect(structuredClone(a)).toEqual(a);
  });

  it('does not mutate its inputs: frozen partials merge, and tables are unchanged', () => {
    const table = txTable(
      [
        { customer: 1, day: 19000, amount: 2 },
        { customer: 2, day: 19001, amount: 3 },
      ],
      'int',
    );
    const before = JSON.stringify(table.toArray());
    const agg = customerSummaryAggregate;
    const a = agg.summarize(table.slice(0, 1), {});
    const b = agg.summarize(table.slice(1), {});
    const copies = [structuredClone(a), structuredClone(b)];
    agg.merge(a, b);
    agg.merge(b, a);
    expect([a, b]).toEqual(copies);
    expect(JSON.stringify(table.toArray())).toBe(before);
  });

  it('a batch without one readable date is not an error when another batch has dates; a stream without any raises INVALID_TYPE as the whole table does', async () => {
    const rows = [
      { customer: 1, day: 19000, amount: 1, badDate: true },
      { customer: 2, day: 19000, amount: 1, badDate: true },
      { customer: 1, day: 19005, amount: 2 },
    ];
    const table = txTable(rows, 'int');
    expectSameTable(await customerSummary(batchStream(slices(table, [1, 1, 1]))), customerSummary(table));
    const bad = txTable(rows.slice(0, 2), 'int');
    const wholeError = await errorOf(() => customerSummary(bad));
    const streamError = await errorOf(() => customerSummary(batchStream(slices(bad, [1, 1]))));
    expect(isClienteleError(streamError) && streamError.code).toBe('INVALID_TYPE');
    expect((streamError as Error).message).toBe((wholeError as Error).message);
  });

  it('an empty stream is EMPTY_INPUT; a bad option fails at the first batch', async () => {
    const empty = await errorOf(() => customerSummary((async function* () {})()));
    expect(isClienteleError(empty) && empty.code).toBe('EMPTY_INPUT');
    const table = txTable([{ customer: 1, day: 19000, amount: 1 }], 'int');
    const bad = await errorOf(() => customerSummary(batchStream([table]), { returns: 'drop' as never }));
    expect(isClienteleError(bad) && bad.code).toBe('INVALID_OPTION');
    const missing = await errorOf(() => customerSummary(batchStream([table]), { amount: 'spend' }));
    expect(isClienteleError(missing) && missing.code).toBe('MISSING_COLUMN');
  });

  it('is registered by name', () => {
    expect(AGGREGATES.customerSummary).toBe(customerSummaryAggregate);
    expect(AGGREGATES.abcTotals).toBe(abcTotalsAggregate);
  });
});

describe('rfm and abc over a stream', () => {
  it('rfm over random batches equals rfm on the whole table (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 60 }),
        kindArb,
        optionsArb,
        pieceSizes,
        fc.integer({ min: 2, max: 5 }),
        async (rows, kind, options, sizes, bins) => {
          const table = txTable(rows, kind);
          const o = { ...options, bins };
          const whole = wholeOrError(() => rfm(table, o));
          const streamed = await errorOf(() => rfm(batchStream(slices(table, sizes)), o));
          if (typeof whole === 'string') {
            expect(isClienteleError(streamed) && streamed.code).toBe(whole);
            return;
          }
          expectSameTable(await rfm(batchStream(slices(table, sizes)), o), whole);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('abc over random batches and merge trees equals abc on the whole table (property)', async () => {
    const lineArb = fc.record({
      key: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 0, max: 15 }) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      value: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: -20, max: 400 }).map((k) => k / 4) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 60 }),
        kindArb,
        pieceSizes,
        fc.array(fc.nat(), { maxLength: 40 }),
        async (lines, kind, sizes, choices) => {
          const table = new Table({
            product: keyColumn(
              lines.map((l) => (l.key === null ? null : kind === 'int' || kind === 'float' ? l.key : `p${l.key}`)),
              kind,
            ),
            revenue: vectorFromArray(lines.map((l) => l.value)),
          });
          const o = { key: 'product', value: 'revenue', cutoffs: [0.5, 0.8, 0.95] };
          const whole = wholeOrError(() => abc(table, o));
          const parts = slices(table, sizes);
          const streamed = await errorOf(() => abc(batchStream(parts), o));
          const tree = wholeOrError(() =>
            abcTotalsAggregate.finish(
              mergeTree(
                abcTotalsAggregate,
                parts.map((p) => structuredClone(abcTotalsAggregate.summarize(p, o))),
                choices,
                o,
              ),
              o,
            ),
          );
          if (typeof whole === 'string') {
            expect(isClienteleError(streamed) && streamed.code).toBe(whole);
            expect(tree).toBe(whole);
            return;
          }
          expectSameTable(await abc(batchStream(parts), o), whole);
          expectSameTable(tree as Table, whole);
        },
      ),
      { numRuns: 120 },
    );
  });
});
