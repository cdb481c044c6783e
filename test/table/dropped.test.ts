/**
 * DropCounter / droppedRows and the output builders (tableWithMetadata, labelVector, dateDayVector, codeArray).
 * Source of truth: counts and rows written by hand; the decoded values through apache-arrow's own `Vector.get`.
 * Exact comparisons (tolerance 0).
 */
import { describe, expect, it } from 'vitest';
import * as A from 'apache-arrow';
import { DropCounter, droppedRows, META } from '../../src/table/dropped.js';
import { codeArray, dateDayVector, labelVector, tableWithMetadata } from '../../src/table/build.js';
import { readKeys } from '../../src/table/read-keys.js';
import { readDates } from '../../src/table/read-dates.js';
import { catchClientele } from './helpers.js';

const all = (v: A.Vector): unknown[] => Array.from({ length: v.length }, (_, i) => v.get(i));

describe('DropCounter and droppedRows', () => {
  it('reads back what the counter recorded on a table made with tableWithMetadata', () => {
    const counter = new DropCounter();
    counter.drop('nullCustomer', 17);
    counter.drop('invalidDate', 4);
    counter.drop('nullCustomer', 20);
    counter.drop('nullCustomer', 2); // not the first any more: firstRow stays 17
    const t = tableWithMetadata(
      { customer: A.vectorFromArray(['a', 'b'], new A.Utf8()) },
      { ...counter.metadata(10), [META.kind]: 'test' },
    );
    const report = droppedRows(t);
    expect(report).toEqual({
      rows: 10,
      kept: 6,
      dropped: { nullCustomer: 3, invalidDate: 1 },
      firstRow: { nullCustomer: 17, invalidDate: 4 },
      total: 4,
    });
    expect(Object.isFrozen(report)).toBe(true);
    expect(report.total).toBe(report.rows - report.kept);
  });

  it('reports nothing dropped for an untouched counter', () => {
    const t = tableWithMetadata({ x: A.makeVector(new Float64Array([1])) }, new DropCounter().metadata(1));
    expect(droppedRows(t)).toEqual({ rows: 1, kept: 1, dropped: {}, firstRow: {}, total: 0 });
  });

  it('writes its counts as the documented metadata strings', () => {
    const counter = new DropCounter();
    counter.drop('afterAsOf', 0);
    expect(counter.metadata(5)).toEqual({
      'clientele.rows': '5',
      'clientele.kept': '4',
      'clientele.dropped': '{"afterAsOf":1}',
      'clientele.firstDroppedRow': '{"afterAsOf":0}',
    });
  });

  it('refuses a table that is not a clientele result (INVALID_INPUT)', () => {
    const plain = new A.Table({ x: A.makeVector(new Float64Array([1, 2])) });
    const e = catchClientele(() => droppedRows(plain), 'INVALID_INPUT');
    expect(e.message).toMatch(/^droppedRows: /);
    expect(e.message).toContain('clientele.rows');
    catchClientele(() => droppedRows(null as never), 'INVALID_INPUT');
  });
});

describe('output builders', () => {
  it('tableWithMetadata keeps the columns and adds the metadata', () => {
    const x = new Float64Array([1, 2, 3]);
    const t = tableWithMetadata({ x: A.makeVector(x) }, { 'clientele.kind': 'rfm' });
    expect(t.numRows).toBe(3);
    expect(t.schema.metadata.get('clientele.kind')).toBe('rfm');
    expect(t.getChild('x')!.data[0].values.buffer).toBe(x.buffer);
  });

  it('labelVector decodes Int8, Int16 and Int32 codes to their labels', () => {
    for (const codes of [Int8Array.from([1, 0, 1, 2]), Int16Array.from([1, 0, 1, 2]), Int32Array.from([1, 0, 1, 2])]) {
      const v = labelVector(codes, ['low', 'mid', 'high']);
      expect(all(v)).toEqual(['mid', 'low', 'mid', 'high']);
      expect(v.type.typeId).toBe(A.Type.Dictionary);
    }
  });

  it('labelVector output reads back through readKeys (dictionary path) with unused labels left out', () => {
    const t = new A.Table({ segment: labelVector(Int8Array.from([2, 2, 0]), ['a', 'unused', 'c']) });
    const r = readKeys(t, 'segment', 'f', 'segment');
    expect(Array.from(r.codes)).toEqual([0, 0, 1]);
    expect(all(r.keys)).toEqual(['c', 'a']);
  });

  it('dateDayVector wraps epoch days without a copy and reads back through readDates', () => {
    const days = Int32Array.from([0, 10408, -1]);
    const v = dateDayVector(days);
    expect(String(v.type)).toBe('Date32<DAY>');
    expect(v.data[0].values).toBe(days);
    expect(all(v)).toEqual([0, 10408 * 86_400_000, -86_400_000]);
    expect(readDates(new A.Table({ d: v }), 'd', 'f', 'date').days.buffer).toBe(days.buffer);
  });

  it('codeArray picks the smallest signed array for codes 0..size-1', () => {
    expect(codeArray(3, 127)).toBeInstanceOf(Int8Array);
    expect(codeArray(3, 128)).toBeInstanceOf(Int16Array);
    expect(codeArray(3, 32767)).toBeInstanceOf(Int16Array);
    expect(codeArray(3, 32768)).toBeInstanceOf(Int32Array);
    expect(codeArray(5, 2).length).toBe(5);
  });
});
