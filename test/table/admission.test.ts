import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { abc } from '../../src/api/abc';
import { customerSummary, rfm } from '../../src/api/rfm';
import { droppedRows } from '../../src/index';
import { isAdmissible } from '../../src/table/admission';

/**
 * The one admission policy (src/table/admission.ts): a number is a value when it is finite. The oracle is
 * `Number.isFinite`, and each analysis must drop and count exactly the rows a hand filter with it drops.
 */
describe('isAdmissible', () => {
  it('equals Number.isFinite on every double, including NaN, ±Infinity, ±0 and subnormals', () => {
    fc.assert(fc.property(fc.double(), (x) => isAdmissible(x) === Number.isFinite(x)));
    for (const x of [NaN, Infinity, -Infinity, 0, -0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE]) {
      expect(isAdmissible(x)).toBe(Number.isFinite(x));
    }
  });
});

describe('every analysis drops and counts the rows the policy rejects', () => {
  const amounts = [10, Infinity, 5, -Infinity, NaN, null, 7, 1e308, 2.5];
  const log = {
    customer: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'a'],
    date: [
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-06',
      '2024-01-07',
      '2024-01-08',
      '2024-01-09',
    ],
    amount: amounts,
  };
  // the oracle: rows whose amount Number.isFinite accepts (null counts as missing)
  const kept = amounts.map((a) => a !== null && Number.isFinite(a));
  const rejected = kept.filter((k) => !k).length;
  const firstRejected = kept.indexOf(false);

  it('customerSummary and rfm: invalidAmount counts every null, NaN and ±Infinity amount; no total is infinite', () => {
    for (const table of [
      customerSummary(log, { asOf: '2024-02-01' }),
      rfm(log, { asOf: '2024-02-01', bins: 2 }),
    ] as Table[]) {
      const report = droppedRows(table);
      expect(report.dropped).toEqual({ invalidAmount: rejected });
      expect(report.firstRow).toEqual({ invalidAmount: firstRejected });
      const monetary = Array.from(table.getChild('monetary')!.toArray() as Float64Array);
      expect(monetary.every(Number.isFinite)).toBe(true);
      // customer a: 10 + 2.5 (Infinity dropped); b: 5; d: 7 + 1e308 (finite, kept)
      expect(monetary).toEqual([12.5, 5, 7 + 1e308]);
    }
  });

  it('abc: invalidValue counts every null, NaN and ±Infinity value; the shares stay finite', () => {
    const classes = abc({ key: log.customer, value: amounts }, { key: 'key', value: 'value' });
    expect(droppedRows(classes).dropped).toEqual({ invalidValue: rejected });
    expect(Array.from(classes.getChild('share')!.toArray() as Float64Array).every(Number.isFinite)).toBe(true);
  });
});
