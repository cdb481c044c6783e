/**
 * Inputs are never mutated (STYLE practice 14: "inputs frozen and unchanged"). Source of truth: deep-frozen inputs
 * (a write would throw in strict mode) and byte-for-byte copies taken before the call.
 */
import { describe, expect, it } from 'vitest';
import * as A from 'apache-arrow';
import { asTable } from '../../src/table/as-table.js';
import { readNumeric } from '../../src/table/read-numeric.js';
import { readKeys } from '../../src/table/read-keys.js';
import { readDates } from '../../src/table/read-dates.js';
import { deepFreeze, dictionaryVector } from './helpers.js';

/** A copy of every byte under every buffer of every chunk of every column. */
function snapshot(t: A.Table): number[][] {
  const out: number[][] = [];
  for (const field of t.schema.fields) {
    for (const data of t.getChild(field.name)!.data) {
      for (const buf of [data.values, data.valueOffsets, data.nullBitmap] as (ArrayBufferView | undefined)[]) {
        if (buf) out.push(Array.from(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
      }
    }
  }
  return out;
}

describe('inputs are never mutated', () => {
  it('asTable reads deep-frozen records and leaves them equal to a copy taken before', () => {
    const records = [
      { customer: 'a', amount: 10, when: new Date(0), big: 1n, ok: true },
      { customer: null, amount: 2.5, when: new Date('x'), big: null, ok: undefined },
    ];
    const before = structuredClone(records);
    deepFreeze(records);
    const t = asTable(records);
    expect(t.numRows).toBe(2);
    expect(records).toEqual(before);
  });

  it('asTable reads a frozen object of arrays and leaves typed arrays byte-identical', () => {
    const amount = new Float64Array([1, 2, 3]);
    const copy = amount.slice();
    const columns = deepFreeze({ customer: ['a', 'b', 'a'], amount });
    const t = asTable(columns);
    readNumeric(t, 'amount', 'f', 'amount');
    readKeys(t, 'customer', 'f', 'customer');
    expect(columns.customer).toEqual(['a', 'b', 'a']);
    expect(amount).toEqual(copy);
  });

  it('readNumeric, readKeys and readDates leave every Arrow buffer byte-identical (nulls, slices, chunks, dictionaries)', () => {
    const nullable = A.vectorFromArray([1.5, null, -2, NaN, 4, null, 7, 8, 9, 10], new A.Float64());
    const keys = A.vectorFromArray(['b', null, 'a', 'b', '東京', '', 'a', null, 'c', 'c'], new A.Utf8());
    const ints = A.makeVector(Int32Array.from([19970101, 3, 3, 19970230, 5, 19980701, 7, 8, 9, 10]));
    const dates = A.vectorFromArray(
      ['2020-01-01', 'x', null, '2021-02-29', '1998-07-01', '', 'a', 'b', 'c', 'd'],
      new A.Utf8(),
    );
    const dict = dictionaryVector(
      ['p', 'q', 'r'],
      [
        [2, 0, null, 1, 2],
        [0, 0, 1, null, 2],
      ],
    );
    const days = A.makeVector(
      A.makeData({
        type: new A.DateDay(),
        length: 10,
        nullCount: 0,
        data: Int32Array.from({ length: 10 }, (_, i) => i - 5),
      }),
    );
    const t = new A.Table({ nullable, keys, ints, dates, dict, days });
    for (const table of [t, t.slice(3, 9)]) {
      const before = snapshot(t);
      readNumeric(table, 'nullable', 'f', 'o');
      readNumeric(table, 'ints', 'f', 'o');
      for (const name of ['nullable', 'keys', 'ints', 'dates', 'dict', 'days']) readKeys(table, name, 'f', 'o');
      readDates(table, 'dates', 'f', 'o');
      readDates(table, 'days', 'f', 'o');
      readDates(table, 'ints', 'f', 'o');
      expect(snapshot(t)).toEqual(before);
    }
  });
});
