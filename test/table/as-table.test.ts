/**
 * asTable: the one input dispatcher. Source of truth: the Arrow columnar types as apache-arrow names them
 * (`String(field.type)`), and the values written by hand in each test. Exact comparisons throughout (no tolerance:
 * nothing here is computed in floating point).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as A from 'apache-arrow';
import * as dfd from 'danfojs';
import { asTable } from '../../src/table/as-table.js';
import { catchClientele } from './helpers.js';

const require = createRequire(import.meta.url);
/** The CommonJS build of apache-arrow: a second copy of every class in this process (the dual-package hazard). */
const ArrowCjs = require('apache-arrow') as typeof A;

const types = (t: A.Table): string[] => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`);
const column = (t: A.Table, name: string): unknown[] => {
  const v = t.getChild(name);
  if (!v) throw new Error(`no column ${name}`);
  return Array.from({ length: v.length }, (_, i) => v.get(i));
};

describe('asTable on Arrow input', () => {
  it('returns an Arrow Table as the very same object (no copy)', () => {
    const t = A.tableFromArrays({ x: new Float64Array([1, 2, 3]) });
    expect(asTable(t)).toBe(t);
  });

  it('turns a RecordBatch into a one-batch table over the same buffers', () => {
    const x = new Float64Array([1.5, 2.5]);
    const source = new A.Table({ x: A.makeVector(x), s: A.vectorFromArray(['a', 'b'], new A.Utf8()) });
    const batch = source.batches[0];
    const t = asTable(batch);
    expect(t.batches).toHaveLength(1);
    expect(t.numRows).toBe(2);
    expect(types(t)).toEqual(['x:Float64', 's:Utf8']);
    expect(t.getChild('x')!.data[0].values.buffer).toBe(batch.getChild('x')!.data[0].values.buffer);
    expect(column(t, 's')).toEqual(['a', 'b']);
  });

  it('accepts a Table, RecordBatch and vectors from the CommonJS copy of apache-arrow (by shape, not instanceof)', () => {
    expect(ArrowCjs.Table).not.toBe(A.Table); // precondition: two copies really are in play
    const foreign = new ArrowCjs.Table({ x: ArrowCjs.makeVector(new Float64Array([1, 2, 3])) });
    expect(asTable(foreign)).toBe(foreign);
    const fromBatch = asTable(foreign.batches[0]);
    expect(fromBatch.numRows).toBe(3);
    expect(column(fromBatch, 'x')).toEqual([1, 2, 3]);
    const fromVectors = asTable({ x: ArrowCjs.makeVector(new Int32Array([4, 5])), s: ['p', 'q'] });
    expect(types(fromVectors)).toEqual(['x:Int32', 's:Utf8']);
    expect(column(fromVectors, 'x')).toEqual([4, 5]);
  });

  it('accepts any object shaped like an Arrow Table as it is, whatever its class', () => {
    class LooksLikeATable {
      batches: unknown[] = [];
      schema = { fields: [] as unknown[] };
      numRows = 0;
      getChild(): null {
        return null;
      }
    }
    const shaped = new LooksLikeATable();
    expect(asTable(shaped)).toBe(shaped);
  });
});

describe('asTable on an array of records', () => {
  it('infers Int32, Float64, Utf8, Bool, Timestamp(ms), Int64 and Null from the values', () => {
    const t = asTable([
      { int: 1, float: 1, text: 'a', flag: true, when: new Date(Date.UTC(1998, 6, 1)), big: 1n, none: null },
      { int: -2147483648, float: 2.5, text: '', flag: false, when: new Date(-1), big: -(2n ** 40n), none: undefined },
      { int: 2147483647, float: 3, text: 'Zoë', flag: null, when: null, big: null, none: null },
    ]);
    expect(types(t)).toEqual([
      'int:Int32',
      'float:Float64',
      'text:Utf8',
      'flag:Bool',
      'when:Timestamp<MILLISECOND>',
      'big:Int64',
      'none:Null',
    ]);
    expect(t.numRows).toBe(3);
    expect(column(t, 'int')).toEqual([1, -2147483648, 2147483647]);
    expect(column(t, 'float')).toEqual([1, 2.5, 3]);
    expect(column(t, 'text')).toEqual(['a', '', 'Zoë']);
    expect(column(t, 'flag')).toEqual([true, false, null]);
    expect(column(t, 'when')).toEqual([899251200000, -1, null]); // Date.UTC(1998, 6, 1) by hand: 10408 days * 86400000
    expect(column(t, 'big')).toEqual([1n, -(2n ** 40n), null]);
    expect(column(t, 'none')).toEqual([null, null, null]);
  });

  it('uses Float64 as soon as one number is outside the 32-bit integers (2^31, 1.5, NaN, Infinity)', () => {
    for (const outside of [2147483648, -2147483649, 1.5, NaN, Infinity]) {
      const t = asTable([{ x: 1 }, { x: outside }]);
      expect(types(t)).toEqual(['x:Float64']);
      expect(Object.is(t.getChild('x')!.get(1), outside)).toBe(true);
    }
  });

  it('makes one column per key in order of first appearance, missing and undefined values as null', () => {
    const t = asTable([{ b: 1 }, { a: 'x', b: undefined }, { c: true, a: 'y' }]);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['b', 'a', 'c']);
    expect(column(t, 'b')).toEqual([1, null, null]);
    expect(column(t, 'a')).toEqual([null, 'x', 'y']);
    expect(column(t, 'c')).toEqual([null, null, true]);
  });

  it('reads an invalid Date as null', () => {
    const t = asTable([{ d: new Date('not a date') }, { d: new Date(0) }]);
    expect(column(t, 'd')).toEqual([null, 0]);
  });

  it('gives an empty table for an empty array', () => {
    const t = asTable([]);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields).toHaveLength(0);
  });

  it('refuses a column that mixes kinds, naming the column and the row (INVALID_TYPE)', () => {
    const e = catchClientele(() => asTable([{ amount: 1 }, { amount: null }, { amount: '2' }]), 'INVALID_TYPE');
    expect(e.column).toBe('amount');
    expect(e.row).toBe(2);
    expect(e.message).toContain('"amount"');
    expect(e.message).toContain('row 2');
    expect(e.message).toMatch(/^asTable: /);
  });

  it('refuses a value that is not a number, string, boolean, Date or bigint (INVALID_TYPE)', () => {
    const e = catchClientele(() => asTable([{ tags: 'a' }, { tags: ['x', 'y'] }]), 'INVALID_TYPE');
    expect(e.column).toBe('tags');
    expect(e.row).toBe(1);
  });

  it('refuses a row that is not a record, naming the row and what it is (INVALID_INPUT)', () => {
    for (const [rows, row, found] of [
      [[{ a: 1 }, 5], 1, '5'],
      [[[1, 2]], 0, 'array(2)'],
      [[{ a: 1 }, { a: 2 }, null], 2, 'null'],
      [['text'], 0, '"text"'],
    ] as const) {
      const e = catchClientele(() => asTable(rows), 'INVALID_INPUT');
      expect(e.row).toBe(row);
      expect(e.message).toContain(`row ${row}`);
      expect(e.message).toContain(`found ${found}`);
    }
  });
});

describe('asTable on an object of columns', () => {
  it('wraps typed arrays without a copy (the same buffer)', () => {
    const amount = new Float64Array([10, 5.5, 7]);
    const count = new Int32Array([1, 2, 3]);
    const small = new Uint8Array([7, 8, 9]);
    const big = new BigInt64Array([1n, -1n, 2n ** 40n]);
    const t = asTable({ amount, count, small, big });
    expect(types(t)).toEqual(['amount:Float64', 'count:Int32', 'small:Uint8', 'big:Int64']);
    expect(t.getChild('amount')!.data[0].values.buffer).toBe(amount.buffer);
    expect(t.getChild('count')!.data[0].values.buffer).toBe(count.buffer);
    expect(t.getChild('small')!.data[0].values.buffer).toBe(small.buffer);
    expect(t.getChild('big')!.data[0].values.buffer).toBe(big.buffer);
    expect(column(t, 'big')).toEqual([1n, -1n, 2n ** 40n]);
  });

  it('infers plain arrays like records and takes Arrow vectors as they are', () => {
    const vector = A.vectorFromArray(['a', null, 'c'], new A.Utf8());
    const t = asTable({ customer: vector, amount: [1, 2, 3.5], n: [1, null, 3] });
    expect(types(t)).toEqual(['customer:Utf8', 'amount:Float64', 'n:Int32']);
    expect(t.getChild('customer')!.data[0]).toBe(vector.data[0]);
    expect(column(t, 'customer')).toEqual(['a', null, 'c']);
    expect(column(t, 'n')).toEqual([1, null, 3]);
  });

  it('keeps a multi-chunk vector readable beside an array', () => {
    const v = A.makeVector([new Float64Array([1, 2]), new Float64Array([3])]);
    expect(v.data).toHaveLength(2); // precondition
    const t = asTable({ x: v, s: ['a', 'b', 'c'] });
    expect(column(t, 'x')).toEqual([1, 2, 3]);
    expect(column(t, 's')).toEqual(['a', 'b', 'c']);
  });

  it('refuses columns of unequal length, naming both columns and lengths (INVALID_INPUT)', () => {
    const e = catchClientele(
      () => asTable({ customer: ['a', 'b', 'c'], amount: new Float64Array(2) }),
      'INVALID_INPUT',
    );
    expect(e.column).toBe('amount');
    expect(e.message).toContain('"customer"');
    expect(e.message).toContain('"amount"');
    expect(e.message).toContain('2 values');
    expect(e.message).toContain('has 3');
  });

  it('refuses a column that mixes kinds, naming the column and the row (INVALID_TYPE)', () => {
    const e = catchClientele(() => asTable({ x: [1, null, 'a'] }), 'INVALID_TYPE');
    expect(e.column).toBe('x');
    expect(e.row).toBe(2);
    expect(e.message).toContain('"x"');
    expect(e.message).toContain('row 2');
  });

  it('refuses a column that is not an array, typed array or vector (INVALID_INPUT)', () => {
    const e = catchClientele(() => asTable({ ok: [1], bad: 'abc' }), 'INVALID_INPUT');
    expect(e.column).toBe('bad');
    expect(e.message).toContain('"abc"');
  });

  it('gives the same table from records and from the equivalent columns (metamorphic)', () => {
    const record = fc.record({
      id: fc.integer({ min: -1000, max: 1000 }),
      name: fc.string(),
      ok: fc.boolean(),
      v: fc.double({ noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), (rows) => {
        const fromRecords = asTable(rows);
        const fromColumns = asTable({
          id: rows.map((r) => r.id),
          name: rows.map((r) => r.name),
          ok: rows.map((r) => r.ok),
          v: rows.map((r) => r.v),
        });
        expect(types(fromColumns)).toEqual(types(fromRecords));
        for (const name of ['id', 'name', 'ok', 'v'])
          expect(column(fromColumns, name)).toEqual(column(fromRecords, name));
        // -0 may come back as Int32 0 when every value is a 32-bit integer: compare under SameValueZero
        expect(column(fromRecords, 'v').map((v) => (v === 0 ? 0 : v))).toEqual(rows.map((r) => (r.v === 0 ? 0 : r.v)));
      }),
    );
  });
});

describe('asTable on danfo.js frames', () => {
  it('reads a duck-typed danfo-like frame column by column', () => {
    const data: Record<string, ArrayLike<unknown>> = {
      customer: ['a', 'b', 'a'],
      amount: new Float64Array([1, 2.5, 4]),
    };
    const frame = {
      columns: ['customer', 'amount'],
      dtypes: ['string', 'float32'],
      column(name: string) {
        return { values: data[name] };
      },
    };
    const t = asTable(frame);
    expect(types(t)).toEqual(['customer:Utf8', 'amount:Float64']);
    expect(column(t, 'customer')).toEqual(['a', 'b', 'a']);
    expect(t.getChild('amount')!.data[0].values.buffer).toBe((data.amount as Float64Array).buffer);
  });

  it('reads a real danfo.js DataFrame', () => {
    const df = new dfd.DataFrame({ customer: ['a', 'b'], amount: [1.5, 2], n: [1, 2] });
    const t = asTable(df);
    expect(t.numRows).toBe(2);
    expect(column(t, 'customer')).toEqual(['a', 'b']);
    expect(column(t, 'amount')).toEqual([1.5, 2]);
    expect(column(t, 'n')).toEqual([1, 2]);
  });
});

describe('asTable refuses what it cannot read, naming the rejected type (INVALID_INPUT)', () => {
  class Customer {
    name = 'a';
  }
  const cases: [string, unknown, string][] = [
    ['a number', 42, 'from 42'],
    ['a string', 'x', 'from "x"'],
    ['null', null, 'from null'],
    ['undefined', undefined, 'from undefined'],
    ['a Map', new Map([['x', [1, 2]]]), 'from Map'],
    ['a class instance', new Customer(), 'from Customer'],
    ['a boolean', true, 'from true'],
  ];
  for (const [label, input, named] of cases) {
    it(`refuses ${label}`, () => {
      const e = catchClientele(() => asTable(input), 'INVALID_INPUT');
      expect(e.message).toContain(named);
      expect(e.message).toMatch(/^asTable: cannot read a table/);
    });
  }
});
