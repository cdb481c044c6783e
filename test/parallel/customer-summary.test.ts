import { Dictionary, Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeInParallel } from '../../src/parallel/summarize-in-parallel';
import { customerSummaryAggregate } from '../../src/rfm/customer-summary';
import { customerSummary } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/sample-store';
import { expectSameTable, outcome } from './helpers';

const force = { minRowsPerWorker: 1 };

async function parallelSummary(tx: unknown, options: Record<string, unknown>, n: number): Promise<Table> {
  const partial = await summarizeInParallel('customerSummary', tx, options, n, force);
  return customerSummaryAggregate.finish(partial as never, options);
}

describe('customer summary on worker threads equals the single-thread run', () => {
  const tx = sampleStore({ customers: 3000, seed: 7 }).transactions;

  it('on the sample store, n = 2, 3, 4, exactly', async () => {
    expect(tx.numRows).toBeGreaterThan(10_000);
    const single = customerSummary(tx);
    for (const n of [2, 3, 4]) expectSameTable(await parallelSummary(tx, {}, n), single);
  });

  it('with asOf and returns excluded (dropped rows counted with whole-table first rows)', async () => {
    const options = { asOf: '2023-06-30', returns: 'exclude' as const };
    const single = customerSummary(tx, options);
    expect(single.schema.metadata.get('clientele.dropped')).toBeDefined();
    expectSameTable(await parallelSummary(tx, options, 3), single);
  });

  it('with transaction, quantity and price: lines folded into orders on the calling thread, the same table', async () => {
    // every transaction of the store split into two lines of one invoice: 1 × (amount − 1) and 1 × 1
    const n = tx.numRows;
    const pick = (name: 'customer' | 'date') => Array.from({ length: 2 * n }, (_, k) => tx.getChild(name)!.get(k >> 1));
    const lines = new Table({
      invoice: vectorFromArray(
        Array.from({ length: 2 * n }, (_, k) => `i${k >> 1}`),
        new Utf8(),
      ),
      customer: vectorFromArray(pick('customer'), new Utf8()),
      date: vectorFromArray(
        pick('date').map((d) => new Date((d as Date | number).valueOf()).toISOString().slice(0, 10)),
      ),
      qty: vectorFromArray(new Array(2 * n).fill(1), new Float64()),
      price: vectorFromArray(
        Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 1 : Number(tx.getChild('amount')!.get(k >> 1)) - 1)),
        new Float64(),
      ),
    });
    const options = { transaction: 'invoice', quantity: 'qty', price: 'price' };
    const single = customerSummary(lines, options);
    expect(single.getChild('count')!.toArray()).toEqual(customerSummary(tx).getChild('count')!.toArray());
    expectSameTable(await customerSummary(lines, { ...options, parallel: 2, ...force }), single);
  });

  it('matches a brute-force per-customer count, first, last and sum', async () => {
    const got = await parallelSummary(tx, {}, 4);
    const byCustomer = new Map<string, { count: number; first: number; last: number; sum: number }>();
    const day = (i: number) => Math.round((tx.getChild('date')!.get(i) as Date | number).valueOf() / 86_400_000);
    for (let i = 0; i < tx.numRows; i++) {
      const c = String(tx.getChild('customer')!.get(i));
      const d = day(i);
      const a = Number(tx.getChild('amount')!.get(i));
      const s = byCustomer.get(c) ?? { count: 0, first: Infinity, last: -Infinity, sum: 0 };
      byCustomer.set(c, { count: s.count + 1, first: Math.min(s.first, d), last: Math.max(s.last, d), sum: s.sum + a });
    }
    expect(got.numRows).toBe(byCustomer.size);
    expect(Array.from({ length: got.numRows }, (_, i) => String(got.getChild('customer')!.get(i)))).toEqual([
      ...byCustomer.keys(),
    ]);
    [...byCustomer.values()].forEach((s, i) => {
      expect(got.getChild('count')!.get(i)).toBe(s.count);
      expect(Math.round((got.getChild('first')!.get(i) as Date | number).valueOf() / 86_400_000)).toBe(s.first);
      expect(Math.round((got.getChild('last')!.get(i) as Date | number).valueOf() / 86_400_000)).toBe(s.last);
      expect(got.getChild('monetary')!.get(i)).toBeCloseTo(s.sum, 6);
    });
  });

  it('on property-generated logs (string, dictionary and integer keys; nulls, bad dates, returns), n = 2, 3, 4', async () => {
    const row = fc.record({
      customer: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 12 }),
      date: fc.oneof(
        {
          weight: 12,
          arbitrary: fc
            .integer({ min: 0, max: 400 })
            .map((d) => new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10)),
        },
        { weight: 1, arbitrary: fc.constantFrom(null, 'not a date') },
      ),
      amount: fc.option(
        fc.integer({ min: -500, max: 50_000 }).map((c) => c / 100),
        { nil: null, freq: 15 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 300 }),
        fc.constantFrom('utf8', 'dictionary', 'int32'),
        fc.record({ returns: fc.constantFrom('keep', 'exclude'), asOf: fc.constantFrom(undefined, '2023-09-01') }),
        fc.constantFrom(2, 3, 4),
        async (rows, keyType, opts, n) => {
          const keys = rows.map((r) =>
            r.customer === null ? null : keyType === 'int32' ? r.customer : `c${r.customer}`,
          );
          const table = new Table({
            customer:
              keyType === 'int32'
                ? vectorFromArray(keys, new Int32())
                : vectorFromArray(keys, keyType === 'utf8' ? new Utf8() : new Dictionary(new Utf8(), new Int32())),
            date: vectorFromArray(
              rows.map((r) => r.date),
              new Utf8(),
            ),
            amount: vectorFromArray(
              rows.map((r) => r.amount),
              new Float64(),
            ),
          });
          const options =
            opts.asOf === undefined ? { returns: opts.returns } : { returns: opts.returns, asOf: opts.asOf };
          const single = await outcome(() => customerSummary(table, options));
          const parallel = await outcome(() => parallelSummary(table, options, n));
          if ('error' in single) expect(parallel).toEqual(single);
          else if ('error' in parallel) expect(parallel.error).toBeUndefined();
          else expectSameTable(parallel.value, single.value);
        },
      ),
      { numRuns: 12 },
    );
  });
});
