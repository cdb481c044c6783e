import { Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerSummary, droppedRows, rfm, summaryFromTransactions } from '../../src/index';
import { orderLog } from '../../src/kernels/internal';
import { expectCode, rejectsWith } from '../helpers/errors';
import { col } from '../helpers/reference';
import { batchStream, slices } from '../stream/helpers';

const isoOf = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

/** One order of a generated line-item log: its id, customer, day and lines (quantity, price in cents). */
interface Order {
  id: string;
  customer: string;
  day: number;
  lines: { quantity: number; cents: number }[];
}

const orderArb = (id: number): fc.Arbitrary<Order> =>
  fc.record({
    id: fc.constant(`inv${id}`),
    customer: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    day: fc.integer({ min: 19000, max: 19100 }),
    lines: fc.array(
      fc.record({ quantity: fc.integer({ min: -5, max: 24 }), cents: fc.integer({ min: 1, max: 2000 }) }),
      {
        minLength: 1,
        maxLength: 5,
      },
    ),
  });

/** A random line-item log: orders with distinct ids, their lines interleaved in a random order. */
const logArb = fc
  .integer({ min: 1, max: 25 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => orderArb(i))))
  .chain((orders) => {
    const lines = orders.flatMap((o, k) => o.lines.map((_, j) => [k, j] as const));
    return fc.tuple(fc.constant(orders), fc.shuffledSubarray(lines, { minLength: lines.length }));
  });

/** The line table of a log, its lines in the order given. */
function lineTable(orders: Order[], order: readonly (readonly [number, number])[]): Table {
  const pick = <T>(f: (o: Order, j: number) => T) => order.map(([k, j]) => f(orders[k], j));
  return new Table({
    invoice: vectorFromArray(
      pick((o) => o.id),
      new Utf8(),
    ),
    customer: vectorFromArray(
      pick((o) => o.customer),
      new Utf8(),
    ),
    date: vectorFromArray(
      pick((o) => isoOf(o.day)),
      new Utf8(),
    ),
    qty: vectorFromArray(
      pick((o, j) => o.lines[j].quantity),
      new Float64(),
    ),
    price: vectorFromArray(
      pick((o, j) => o.lines[j].cents / 100),
      new Float64(),
    ),
  });
}

/** Brute force: per customer, the orders (lines summed) kept under the returns policy. */
function bruteForce(orders: Order[], returns: 'keep' | 'exclude'): Map<string, { count: number; monetary: number }> {
  const out = new Map<string, { count: number; monetary: number }>();
  for (const o of orders) {
    const amount = o.lines.reduce((s, l) => s + l.quantity * l.cents, 0) / 100;
    if (returns === 'exclude' && amount < 0) continue;
    const c = out.get(o.customer) ?? { count: 0, monetary: 0 };
    c.count++;
    c.monetary += amount;
    out.set(o.customer, c);
  }
  return out;
}

const byCustomer = (t: Table) => {
  const m = new Map<unknown, { count: number; monetary: number }>();
  const customers = col(t, 'customer');
  const counts = col(t, 'count') as number[];
  const money = col(t, 'monetary') as number[];
  customers.forEach((c, i) => m.set(c, { count: counts[i], monetary: money[i] }));
  return m;
};

const LINES = { transaction: 'invoice', quantity: 'qty', price: 'price' } as const;

describe('orderLog and the transaction / quantity / price options', () => {
  it('folding then summarising equals summarising the orders pre-summed (metamorphic property, money to 1e-9)', () => {
    fc.assert(
      fc.property(logArb, fc.constantFrom<'keep' | 'exclude'>('keep', 'exclude'), ([orders, order], returns) => {
        const lines = lineTable(orders, order);
        // the pre-summed log: one row per order, in order of its first line
        const firstSeen = [...new Set(order.map(([k]) => k))];
        const summed = {
          customer: firstSeen.map((k) => orders[k].customer),
          date: firstSeen.map((k) => isoOf(orders[k].day)),
          amount: firstSeen.map((k) => orders[k].lines.reduce((s, l) => s + l.quantity * (l.cents / 100), 0)),
        };
        const expected = bruteForce(orders, returns);
        if (expected.size === 0) {
          expectCode(() => customerSummary(lines, { ...LINES, returns }), 'EMPTY_INPUT');
          return;
        }
        const folded = customerSummary(lines, { ...LINES, returns });
        const direct = customerSummary(summed, { returns });
        expect(col(folded, 'customer')).toEqual(col(direct, 'customer'));
        for (const name of ['count', 'first', 'last', 'recency', 'T'])
          expect(col(folded, name)).toEqual(col(direct, name));
        const a = col(folded, 'monetary') as number[];
        const b = col(direct, 'monetary') as number[];
        a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(1e-9));
        expect(droppedRows(folded)).toEqual(droppedRows(direct));
      }),
      { numRuns: 120 },
    );
  });

  it('frequency and monetary match a brute-force count of orders and do not depend on the order of the lines (property)', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.constantFrom<'keep' | 'exclude'>('keep', 'exclude'),
        fc.nat(),
        ([orders, order], returns, seed) => {
          const expected = bruteForce(orders, returns);
          fc.pre(expected.size > 0);
          // a second row order: a rotation and a reversal of the first
          const at = seed % order.length;
          const other = [...order.slice(at), ...order.slice(0, at)].reverse();
          for (const rows of [order, other]) {
            const got = byCustomer(customerSummary(lineTable(orders, rows), { ...LINES, returns }));
            expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
            for (const [c, e] of expected) {
              expect(got.get(c)!.count).toBe(e.count);
              expect(Math.abs(got.get(c)!.monetary - e.monetary)).toBeLessThan(1e-9);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('rfm counts orders, not lines (frequency = invoices; issue 16: 4 invoices were frequency 15)', () => {
    const tx = {
      invoice: ['1', '1', '1', '2', '2', '3', '4'],
      customer: ['x', 'x', 'x', 'x', 'x', 'y', 'x'],
      date: ['2024-01-01', '2024-01-01', '2024-01-01', '2024-02-01', '2024-02-01', '2024-02-02', '2024-03-01'],
      amount: [1, 2, 3, 4, 5, 6, 7],
    };
    const scored = rfm(tx, { transaction: 'invoice', segments: false });
    expect(col(scored, 'customer')).toEqual(['x', 'y']);
    expect(col(scored, 'frequency')).toEqual([3, 1]);
    expect(col(scored, 'monetary')).toEqual([22, 6]);
    expect(col(rfm(tx, { segments: false }), 'frequency')).toEqual([6, 1]);
  });

  it('a return is an order whose lines sum below zero: one negative line in a positive order is kept', () => {
    const tx = {
      invoice: ['1', '1', 'C2', 'C2'],
      customer: ['x', 'x', 'x', 'x'],
      date: ['2024-01-01', '2024-01-01', '2024-01-05', '2024-01-05'],
      amount: [10, -3, -4, 1],
    };
    const s = customerSummary(tx, { transaction: 'invoice' });
    expect(col(s, 'count')).toEqual([1]);
    expect(col(s, 'monetary')).toEqual([7]);
    expect(droppedRows(s)).toMatchObject({ rows: 2, dropped: { negativeAmount: 1 } });
    expect(col(customerSummary(tx, { transaction: 'invoice', returns: 'keep' }), 'monetary')).toEqual([4]);
  });

  it('a null transaction id is an order of its own; a null amount on a line drops its order as invalidAmount', () => {
    const tx = {
      invoice: [null, null, '1', '1'],
      customer: ['x', 'x', 'x', 'x'],
      date: ['2024-01-01', '2024-01-01', '2024-01-05', '2024-01-05'],
      amount: [1, 2, 3, null],
    };
    const orders = orderLog(tx, { customer: 'customer', date: 'date', amount: 'amount', transaction: 'invoice' }, 't');
    expect(orders.numRows).toBe(3);
    const s = customerSummary(tx, { transaction: 'invoice' });
    expect(col(s, 'count')).toEqual([2]);
    expect(col(s, 'monetary')).toEqual([3]);
    expect(droppedRows(s).dropped).toEqual({ invalidAmount: 1 });
  });

  it('quantity × price is the amount, on a table and on a stream of batches alike', async () => {
    const tx = new Table({
      customer: vectorFromArray(['a', 'b', 'a', 'b', 'a']),
      date: vectorFromArray(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']),
      q: vectorFromArray([2, 1, 3, -1, 1], new Float64()),
      p: vectorFromArray([1.5, 4, 2, 4, 10], new Float64()),
    });
    const whole = customerSummary(tx, { quantity: 'q', price: 'p' });
    expect(col(whole, 'monetary')).toEqual([2 * 1.5 + 3 * 2 + 10, 4]);
    const streamed = await customerSummary(batchStream(slices(tx, [2, 2, 1])), { quantity: 'q', price: 'p' });
    expect(col(streamed, 'monetary')).toEqual(col(whole, 'monetary'));
    expect(droppedRows(streamed)).toEqual(droppedRows(whole));
  });

  it('summaryFromTransactions folds the lines as customerSummary does (pre-summed log gives the same summary)', () => {
    const lines = {
      invoice: ['1', '1', '2', '3', '3', 'C4'],
      customer: [7, 7, 7, 8, 8, 7],
      date: [20240101, 20240101, 20240301, 20240102, 20240102, 20240401],
      qty: [1, 2, 1, 1, 1, -2],
      price: [10, 5, 8, 3, 4, 5],
    };
    const summed = { customer: [7, 7, 8, 7], date: [20240101, 20240301, 20240102, 20240401], amount: [20, 8, 7, -10] };
    const a = summaryFromTransactions(lines, { ...LINES, unit: 'day' });
    const b = summaryFromTransactions(summed, { unit: 'day' });
    for (const name of ['customer', 'frequency', 'recency', 'T', 'monetary'])
      expect(col(a, name)).toEqual(col(b, name));
    expect(col(b, 'monetary')).toEqual([8, 0]); // the return is excluded by default
    expect(droppedRows(b).dropped).toEqual({ negativeAmount: 1 });
    expect(col(summaryFromTransactions(summed, { unit: 'day', returns: 'keep' }), 'frequency')).toEqual([2, 0]);
  });

  describe('refusals', () => {
    const ok = { invoice: ['1'], customer: ['a'], date: ['2024-01-01'], amount: [1], q: [1], p: [1] };
    it('amount and quantity/price together → INVALID_OPTION', () =>
      expectCode(
        () => customerSummary(ok, { amount: 'amount', quantity: 'q', price: 'p' }),
        'INVALID_OPTION',
        'amount',
      ));
    it('quantity without price → INVALID_OPTION', () =>
      expectCode(() => rfm(ok, { quantity: 'q' }), 'INVALID_OPTION', 'quantity and price go together'));
    it('a transaction option that is not a name → INVALID_OPTION', () =>
      expectCode(() => customerSummary(ok, { transaction: 3 as never }), 'INVALID_OPTION', 'transaction'));
    it('lines of one transaction with two customers → INVALID_INPUT naming the id and both rows', () =>
      expectCode(
        () =>
          customerSummary(
            { invoice: ['9', '9'], customer: ['a', 'b'], date: ['2024-01-01', '2024-01-01'], amount: [1, 2] },
            { transaction: 'invoice' },
          ),
        'INVALID_INPUT',
        'transaction "9"',
        'row 0',
        'row 1',
      ));
    it('lines of one transaction on two days → INVALID_INPUT', () =>
      expectCode(
        () =>
          rfm(
            { invoice: ['9', '9'], customer: ['a', 'a'], date: ['2024-01-01', '2024-01-02'], amount: [1, 2] },
            { transaction: 'invoice' },
          ),
        'INVALID_INPUT',
        '2024-01-02',
      ));
    it('transaction on a stream of batches → INVALID_OPTION before any batch is read', async () => {
      const tx = new Table({
        invoice: vectorFromArray(['1']),
        customer: vectorFromArray(['a']),
        date: vectorFromArray(['2024-01-01']),
        amount: vectorFromArray([1]),
      });
      expectCode(() => customerSummary(batchStream([tx]), { transaction: 'invoice' }), 'INVALID_OPTION', 'stream');
      await rejectsWith(async () => rfm(batchStream([tx]), { transaction: 'invoice' }), 'INVALID_OPTION', 'stream');
    });
  });
});
