import { DateDay, Float64, makeData, makeVector, RecordBatch, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerSummary, droppedRows } from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col, day, referenceSummary } from '../helpers/reference';
import type { Tx } from '../helpers/reference';

const isoOf = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

describe('customerSummary', () => {
  it('counts recency as whole days to asOf (issue 2: last purchase 1997-01-01 has recency 546 on 1998-07-01)', () => {
    const s = customerSummary([{ customer: 'x', date: '1997-01-01', amount: 12 }], { asOf: '1998-07-01' });
    expect(col(s, 'recency')).toEqual([546]);
    expect(col(s, 'T')).toEqual([546]);
    expect(col(s, 'frequency')).toEqual([0]);
    expect(col(s, 'count')).toEqual([1]);
  });

  it('defaults asOf to the day after the last kept transaction', () => {
    const s = customerSummary({
      customer: ['a', 'b', 'a'],
      date: ['2024-01-01', '2024-01-10', '2024-01-03'],
      amount: [1, 2, 3],
    });
    expect(s.schema.metadata.get('clientele.asOf')).toBe('2024-01-11');
    expect(col(s, 'recency')).toEqual([8, 1]);
    expect(col(s, 'T')).toEqual([10, 1]);
  });

  it('accepts asOf as a Date and as a YYYYMMDD number, and dates as Date objects', () => {
    const rows = [{ customer: 1, date: new Date(Date.UTC(2020, 0, 1, 23, 59)), amount: 5 }];
    expect(col(customerSummary(rows, { asOf: new Date(Date.UTC(2020, 0, 31)) }), 'recency')).toEqual([30]);
    expect(col(customerSummary(rows, { asOf: 20200131 }), 'recency')).toEqual([30]);
  });

  it('matches a brute-force Map aggregation on random logs (property, money to 1e-6)', () => {
    const txArb = fc.record({
      customer: fc.oneof(fc.constantFrom('a', 'b', 'Zoë', '東京', '🙂', ''), fc.constant(null)),
      day: fc.oneof(fc.integer({ min: 18000, max: 18400 }), fc.constant(null)),
      amount: fc.oneof(fc.double({ min: -50, max: 500, noNaN: true }), fc.constant(null), fc.constant(NaN)),
    });
    fc.assert(
      fc.property(fc.array(txArb, { minLength: 1, maxLength: 60 }), (rows: Tx[]) => {
        const expected = referenceSummary(rows);
        const table = new Table({
          customer: vectorFromArray(
            rows.map((r) => r.customer),
            new Utf8(),
          ),
          date: vectorFromArray(
            rows.map((r) => (r.day === null ? null : isoOf(r.day))),
            new Utf8(),
          ),
          amount: vectorFromArray(
            rows.map((r) => r.amount),
            new Float64(),
          ),
        });
        if (expected.size === 0) {
          expect(() => customerSummary(table, { returns: 'keep' })).toThrow(/dropped/);
          return;
        }
        const s = customerSummary(table, { returns: 'keep' }); // the reference sums negative amounts
        const lastDay = Math.max(...[...expected.values()].map((c) => c.last));
        // rows follow each customer's first appearance in the input, counting rows dropped for other faults
        const order = [...new Set(rows.map((r) => r.customer).filter((c) => c !== null))].filter((c) =>
          expected.has(c),
        );
        expect(col(s, 'customer')).toEqual(order);
        const byOrder = order.map((c) => expected.get(c)!);
        expect(col(s, 'count')).toEqual(byOrder.map((c) => c.count));
        expect(col(s, 'recency')).toEqual(byOrder.map((c) => lastDay + 1 - c.last));
        expect(col(s, 'T')).toEqual(byOrder.map((c) => lastDay + 1 - c.first));
        const monetary = col(s, 'monetary') as number[];
        byOrder.forEach((c, k) => expect(monetary[k]).toBeCloseTo(c.monetary, 6));
        const report = droppedRows(s);
        const kept = rows.filter(
          (r) => r.customer !== null && r.day !== null && r.amount !== null && !Number.isNaN(r.amount),
        ).length;
        expect(report.kept).toBe(kept);
        expect(report.total).toBe(rows.length - kept);
      }),
      { numRuns: 200 },
    );
  });

  it('drops and counts bad rows by reason, with the first row of each', () => {
    const s = customerSummary(
      {
        customer: ['a', null, 'b', 'c', 'd', 'e', 'a'],
        date: ['2024-01-01', '2024-01-01', 'not a date', '2024-01-02', '2024-05-01', '2024-01-03', '2024-01-04'],
        amount: [10, 10, 10, NaN, 10, -5, null],
      },
      { asOf: '2024-02-01', returns: 'exclude' },
    );
    const report = droppedRows(s);
    expect(report.rows).toBe(7);
    expect(report.kept).toBe(1);
    expect(report.dropped).toEqual({
      nullCustomer: 1,
      invalidDate: 1,
      invalidAmount: 2,
      afterAsOf: 1,
      negativeAmount: 1,
    });
    expect(report.firstRow).toEqual({
      nullCustomer: 1,
      invalidDate: 2,
      invalidAmount: 3,
      afterAsOf: 4,
      negativeAmount: 5,
    });
    expect(col(s, 'customer')).toEqual(['a']);
  });

  it("keeps returns in the sums with returns: 'keep'", () => {
    const tx = { customer: ['a', 'a'], date: ['2024-01-01', '2024-01-02'], amount: [100, -30] };
    const s = customerSummary(tx, { returns: 'keep' });
    expect(col(s, 'monetary')).toEqual([70]);
    expect(col(s, 'count')).toEqual([2]);
    expect(droppedRows(s).total).toBe(0);
  });

  it('excludes returns by default and counts them as negativeAmount (one default for every analysis)', () => {
    const s = customerSummary({ customer: ['a', 'a'], date: ['2024-01-01', '2024-01-02'], amount: [100, -30] });
    expect(col(s, 'monetary')).toEqual([100]);
    expect(col(s, 'count')).toEqual([1]);
    expect(droppedRows(s).dropped).toEqual({ negativeAmount: 1 });
  });

  it('sums a million cents exactly (compensated summation), where naive summation drifts', () => {
    const n = 1_000_000;
    const amount = new Float64Array(n).fill(0.1);
    const s = customerSummary({ customer: new Int32Array(n), date: new Int32Array(n).fill(20240101), amount });
    let naive = 0;
    for (let i = 0; i < n; i++) naive += 0.1;
    expect(Math.abs(naive - 100_000)).toBeGreaterThan(1e-7);
    expect(Math.abs((col(s, 'monetary')[0] as number) - 100_000)).toBeLessThan(1e-9);
  });

  it('gives the same result whatever the batch split (metamorphic)', () => {
    const customers = ['a', 'b', 'c', 'a', 'b', 'a', 'd', 'c'];
    const days = [19000, 19001, 19002, 19010, 19011, 19020, 19021, 19030];
    const amounts = [1, 2, 3, 4, 5, 6, 7, 8];
    const whole = customerSummary({ customer: customers, date: days, amount: amounts }, { dateUnit: 'day' });
    for (const cut of [1, 3, 5, 7]) {
      const part = (a: number, b: number) =>
        new Table({
          customer: vectorFromArray(customers.slice(a, b), new Utf8()),
          date: makeVector(Float64Array.from(days.slice(a, b))),
          amount: makeVector(Float64Array.from(amounts.slice(a, b))),
        });
      const batches = [...part(0, cut).batches, ...part(cut, 8).batches] as RecordBatch[];
      const split = new Table(batches);
      expect(split.batches.length).toBe(2);
      const s = customerSummary(split, { dateUnit: 'day' });
      for (const name of ['customer', 'count', 'recency', 'T', 'monetary'])
        expect(col(s, name)).toEqual(col(whole, name));
    }
  });

  it('does not mutate its input (frozen records, typed arrays compared before and after)', () => {
    const rows = Object.freeze([
      Object.freeze({ customer: 'a', date: '2024-01-01', amount: 3 }),
      Object.freeze({ customer: 'b', date: '2024-01-02', amount: 4 }),
    ]);
    const copy = JSON.stringify(rows);
    customerSummary(rows as never);
    expect(JSON.stringify(rows)).toBe(copy);
    const amount = Float64Array.from([5, 6, 7]);
    const date = Int32Array.from([20240101, 20240102, 20240103]);
    customerSummary({ customer: Int32Array.from([1, 1, 2]), date, amount });
    expect(Array.from(amount)).toEqual([5, 6, 7]);
    expect(Array.from(date)).toEqual([20240101, 20240102, 20240103]);
  });

  it('reads Arrow Date32 columns and integer keys without conversion surprises', () => {
    const days = Int32Array.from([day('2024-03-01'), day('2024-03-05')]);
    const date = makeVector(makeData({ type: new DateDay(), length: 2, nullCount: 0, data: days }));
    const table = new Table({
      customer: makeVector(Int32Array.from([7, 7])),
      date,
      amount: makeVector(Float64Array.from([1, 2])),
    });
    const s = customerSummary(table, { asOf: '2024-03-10' });
    expect(col(s, 'customer')).toEqual([7]);
    expect(col(s, 'recency')).toEqual([5]);
    expect(col(s, 'T')).toEqual([9]);
  });

  describe('bad input', () => {
    const ok = { customer: ['a'], date: ['2024-01-01'], amount: [1] };
    it('empty table → EMPTY_INPUT', () =>
      expectCode(() => customerSummary({ customer: [], date: [], amount: [] }), 'EMPTY_INPUT', 'no rows'));
    it('missing column → MISSING_COLUMN naming it and the columns found', () =>
      expectCode(
        () => customerSummary(ok, { amount: 'revenue' }),
        'MISSING_COLUMN',
        '"revenue"',
        'customer, date, amount',
      ));
    it('text amounts → INVALID_TYPE naming the column and row', () =>
      expectCode(() => customerSummary({ ...ok, amount: ['12.5'] }), 'INVALID_TYPE', '"amount"', 'row 0'));
    it('no readable date → INVALID_TYPE', () =>
      expectCode(() => customerSummary({ ...ok, date: ['yesterday'] }), 'INVALID_TYPE', '"date"', 'yesterday'));
    it('epoch milliseconds without dateUnit → INVALID_TYPE suggesting dateUnit', () =>
      expectCode(() => customerSummary({ ...ok, date: [1.7e12] }), 'INVALID_TYPE', 'dateUnit'));
    it('bad asOf → INVALID_VALUE', () =>
      expectCode(() => customerSummary(ok, { asOf: 'soon' }), 'INVALID_VALUE', 'asOf'));
    it('bad dateUnit → INVALID_OPTION', () =>
      expectCode(() => customerSummary(ok, { dateUnit: 'weeks' as never }), 'INVALID_OPTION', 'dateUnit'));
    it('bad returns option → INVALID_OPTION', () =>
      expectCode(() => customerSummary(ok, { returns: 'drop' as never }), 'INVALID_OPTION', 'returns'));
    it('every row dropped → EMPTY_INPUT listing reasons', () =>
      expectCode(
        () => customerSummary({ customer: [null, null], date: ['2024-01-01', '2024-01-01'], amount: [1, 2] }),
        'EMPTY_INPUT',
        'nullCustomer 2',
      ));
    it('asOf before every transaction → EMPTY_INPUT mentioning asOf', () =>
      expectCode(() => customerSummary(ok, { asOf: '2000-01-01' }), 'EMPTY_INPUT', 'asOf'));
    it('not a table → INVALID_INPUT', () => expectCode(() => customerSummary(42), 'INVALID_INPUT', '42'));
    it('keys beyond 2^53 → INVALID_TYPE', () =>
      expectCode(
        () =>
          customerSummary({ customer: makeVector(BigInt64Array.from([2n ** 60n])), date: ['2024-01-01'], amount: [1] }),
        'INVALID_TYPE',
        '2^53',
      ));
  });
});
