import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dictionary, Field, Int32, List, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { customerSummary, rfm, rfmSegments, rfmSummary } from '../../src/api/rfm';
import { profileSegments } from '../../src/api/segment';
import { abc } from '../../src/api/abc';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { asTable, droppedRows, isoDate, readKeys } from '../../src/table/index';
import { loyaltyIndex, pathModel, plsPathModel } from '../../src/satisfaction/index';
import { rfmHeatmap } from '../../src/charts/index';
import { isClienteleError } from '../../src/table/errors';
import { fingerprint, refuses, refusesAsync, unchangedAfter } from './helpers';

/**
 * Names and keys (issue 15, classes 3 and 9): names that `Object.prototype` already answers, ids that UTF-8 cannot
 * store, keys of no identity, dates beyond the calendar, and streams whose key type changes between batches.
 */

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** An object with own key `name` (JSON.parse makes `__proto__` an own key, as a reader or a user's JSON does). */
function withKey(name: string, value: unknown, rest: Record<string, unknown> = {}): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify({ ...rest })) as Record<string, unknown>;
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

const column = (t: Table, name: string): unknown[] => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);

/** A small survey whose answers are a deterministic function of the row, for the PLS cases. */
function survey(indicatorNames: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = Object.create(null);
  indicatorNames.forEach((name, k) => {
    out[name] = Array.from({ length: 60 }, (_, i) => 1 + ((i * (7 + k) + k * k + (i % 7) * 3) % 10));
  });
  return out;
}

async function* stream(...batches: (RecordBatch | Table)[]): AsyncIterable<RecordBatch> {
  for (const b of batches) yield (b as Table).batches?.[0] ?? (b as RecordBatch);
}

describe('class 3: names that Object.prototype answers', () => {
  for (const name of PROTO_NAMES) {
    it(`class 3: a record key named ${name} reads as its own column with its values`, () => {
      const records = [withKey(name, 'x', { a: 1 }), withKey(name, 'y', { a: 2 })];
      const { value: t, error } = unchangedAfter([records], () => asTable(records));
      expect(error).toBeUndefined();
      expect(t!.schema.fields.map((f) => f.name).sort()).toEqual(['a', name].sort());
      expect(column(t!, name)).toEqual(['x', 'y']);
    });

    it(`class 3: an object of columns with a column named ${name} keeps it`, () => {
      const columns = withKey(name, [3, 4], { b: [1, 2] });
      const { value: t } = unchangedAfter([columns], () => asTable(columns));
      expect(t!.numRows).toBe(2);
      expect(column(t!, name)).toEqual([3, 4]);
      expect(column(t!, 'b')).toEqual([1, 2]);
    });

    it(`class 3: a latent variable named ${name} is an ordinary block with mode A`, () => {
      const spec = { blocks: withKey(name, ['q1', 'q2'], { sat: ['s1', 's2'] }), paths: [[name, 'sat']] };
      const { value: model } = unchangedAfter([spec], () => pathModel(spec as never));
      expect([...model!.latent].sort()).toEqual([name, 'sat'].sort());
      expect(Object.prototype.hasOwnProperty.call(model!.blocks, name)).toBe(true);
      expect(model!.blocks[name]).toEqual(['q1', 'q2']);
      expect(model!.modes[name]).toBe('A');
    });
  }

  it('class 3: a record that lacks the key constructor has null there, not Object', () => {
    const records = [{ constructor: 'x', a: 1 } as Record<string, unknown>, { a: 2 }];
    const t = asTable(records);
    expect(column(t, 'constructor')).toEqual(['x', null]);
  });

  it('class 3: { __proto__: [...] } in a literal makes no column and is refused with INVALID_INPUT', () => {
    const input = { __proto__: [1, 2] };
    refuses([input], () => asTable(input), 'INVALID_INPUT', '__proto__');
  });

  it('class 3: integer-like column names keep the order of first appearance', () => {
    const records = [{ b: 1, 2: 'two', a: 3 }];
    // an object's own keys would put "2" first; the table keeps the records' order b, 2, a
    const keyOrder = ['b', '2', 'a'];
    const input = [Object.fromEntries(keyOrder.map((k) => [k, (records[0] as Record<string, unknown>)[k]]))];
    // Object.fromEntries cannot keep that order either, so compare with the order the records were written in
    const t = asTable(input);
    expect(t.schema.fields.map((f) => f.name)).toEqual(Object.keys(input[0]));
    const columns = { b: [1], 2: ['two'], a: [3] };
    expect(asTable(columns).schema.fields.map((f) => f.name)).toEqual(Object.keys(columns));
  });

  it('class 3: customer ids named after Object.prototype members are distinct customers with their own totals', () => {
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'constructor'];
    const amounts = [1, 2, 4, 8, 16, 32, 64];
    const tx = { customer: ids, date: ids.map(() => '2024-01-01'), amount: amounts };
    const { value: out } = unchangedAfter([tx], () => customerSummary(tx));
    const expected = new Map<string, number>();
    ids.forEach((id, i) => expected.set(id, (expected.get(id) ?? 0) + amounts[i]));
    const got = new Map(column(out!, 'customer').map((c, i) => [c as string, column(out!, 'monetary')[i] as number]));
    expect(got).toEqual(expected);
  });

  it('class 3: a customer column named __proto__ gives the result of the same column named customer', () => {
    const data = { c: ['a', 'b', 'a'], date: ['2024-01-01', '2024-01-02', '2024-01-05'], amount: [10, 5, 7] };
    const hostile = withKey('__proto__', data.c, { date: data.date, amount: data.amount });
    const plain = customerSummary({ customer: data.c, date: data.date, amount: data.amount });
    const out = customerSummary(hostile, { customer: '__proto__' });
    expect(column(out, 'customer')).toEqual(column(plain, 'customer'));
    expect(column(out, 'monetary')).toEqual([17, 5]);
  });

  it('class 3: abc keys named constructor and toString are classified as two keys', () => {
    const input = { key: ['constructor', 'toString', 'x'], value: [80, 15, 5] };
    const { value: out } = unchangedAfter([input], () => abc(input, { key: 'key', value: 'value' }));
    expect(column(out!, 'key')).toEqual(['constructor', 'toString', 'x']);
    expect(column(out!, 'class')).toEqual(['A', 'B', 'C']);
  });

  it('class 3: items named __proto__, constructor and toString are counted as items', () => {
    const lines = { t: [1, 1, 2, 2, 3], item: ['__proto__', 'constructor', '__proto__', 'toString', '__proto__'] };
    const b = baskets(lines, { transaction: 't', item: 'item' });
    const sets = frequentItemsets(b, { minSupport: 0.1 });
    const single = new Map<string, number>();
    for (let i = 0; i < sets.numRows; i++) {
      const list = Array.from(sets.getChild('items')!.get(i)!, String);
      if (list.length === 1) single.set(list[0], sets.getChild('count')!.get(i) as number);
    }
    // counted by hand: __proto__ in baskets 1, 2, 3; constructor in 1; toString in 2
    expect(single).toEqual(
      new Map([
        ['__proto__', 3],
        ['constructor', 1],
        ['toString', 1],
      ]),
    );
  });

  it('class 3: plsPathModel with a latent variable named __proto__ gives the numbers of the same model renamed', () => {
    const s = survey(['q1', 'q2', 's1', 's2']);
    const named = plsPathModel(s, {
      blocks: withKey('__proto__', ['q1', 'q2'], { sat: ['s1', 's2'] }),
      paths: [['__proto__', 'sat']],
    } as never);
    const plain = plsPathModel(s, {
      blocks: { quality: ['q1', 'q2'], sat: ['s1', 's2'] },
      paths: [['quality', 'sat']],
    } as never);
    // the blocks come in another order, so sums run in another order: equal to rounding
    expect(named.paths['__proto__'].sat).toBeCloseTo(plain.paths.quality.sat, 12);
    expect(named.rSquared.sat).toBeCloseTo(plain.rSquared.sat, 12);
    expect(Object.getPrototypeOf(named.paths)).toBe(null);
  });

  it('class 3: plsPathModel with a latent variable named constructor leaves Object untouched', () => {
    const s = survey(['q1', 'q2', 's1', 's2']);
    const before = Object.getOwnPropertyNames(Object);
    const out = plsPathModel(s, {
      blocks: { constructor: ['q1', 'q2'], sat: ['s1', 's2'] },
      paths: [['constructor', 'sat']],
    } as never);
    expect(Object.getOwnPropertyNames(Object)).toEqual(before);
    expect(typeof (out.paths as Record<string, Record<string, number>>)['constructor'].sat).toBe('number');
    expect(Object.prototype.hasOwnProperty.call(Object, 'sat')).toBe(false);
  });

  it('class 3: an indicator column named toString reads that column (same numbers as under its own name)', () => {
    const s = survey(['q1', 'q2', 's1', 's2']);
    const hostile = withKey('toString', s.q1, { q2: s.q2, s1: s.s1, s2: s.s2 });
    const named = plsPathModel(hostile, {
      blocks: { quality: ['toString', 'q2'], sat: ['s1', 's2'] },
      paths: [['quality', 'sat']],
    } as never);
    const plain = plsPathModel(s, {
      blocks: { quality: ['q1', 'q2'], sat: ['s1', 's2'] },
      paths: [['quality', 'sat']],
    } as never);
    expect(named.paths.quality.sat).toBe(plain.paths.quality.sat);
  });

  it('class 3: modes given as JSON { "__proto__": "B" } set mode B on the latent variable __proto__', () => {
    const spec = {
      blocks: withKey('__proto__', ['q1', 'q2'], { sat: ['s1', 's2'] }),
      paths: [['__proto__', 'sat']],
      modes: withKey('__proto__', 'B'),
    };
    const model = pathModel(spec as never);
    expect(model.modes['__proto__']).toBe('B');
    expect(model.modes.sat).toBe('A');
  });

  for (const color of ['constructor', 'toString', '__proto__']) {
    it(`class 3: rfmHeatmap({ color: '${color}' }) is refused with INVALID_OPTION`, () => {
      const scored = rfm({ customer: ['a', 'b'], date: ['2024-01-01', '2024-02-01'], amount: [1, 2] });
      const options = { color } as never;
      refuses([options], () => rfmHeatmap(scored, options), 'INVALID_OPTION', 'color');
    });
  }

  it('class 3: rfm segments named constructor and toString are summarised as two segments', () => {
    const scored = rfm({
      customer: ['a', 'b', 'c', 'd'],
      date: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-03-05'],
      amount: [1, 2, 3, 4],
    });
    const map = {
      rules: [
        { name: 'constructor', r: [1, 3] as [number, number], f: [1, 5] as [number, number] },
        { name: 'toString', r: [4, 5] as [number, number], f: [1, 5] as [number, number] },
      ],
    };
    const named = rfmSegments(scored, map);
    const r = column(scored, 'r') as number[];
    const summary = rfmSummary(named);
    const counts = new Map(column(summary, 'segment').map((name, i) => [name, column(summary, 'customers')[i]]));
    expect(counts.get('constructor')).toBe(r.filter((x) => x <= 3).length);
    expect(counts.get('toString')).toBe(r.filter((x) => x >= 4).length);
  });

  it('class 3: loyaltyIndex groups named __proto__ and constructor are output columns', () => {
    const answers = { a: [1, 5, 10], b: [10, 5, 1] };
    const groups = JSON.parse(
      '{"__proto__":{"weight":0.5,"indicators":[{"column":"a"}]},"constructor":{"weight":0.5,"indicators":[{"column":"b"}]}}',
    );
    const { value: out } = unchangedAfter([answers, groups], () => loyaltyIndex(answers, { groups } as never));
    expect(out!.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'constructor', 'loyaltyIndex']);
    // each group is its one indicator rescaled to 0–100 over the observed range 1–10
    expect(column(out!, '__proto__')).toEqual([0, (4 / 9) * 100, 100]);
  });

  it('class 3: profileSegments over columns named constructor and toString gives each segment its own means', () => {
    const data = { constructor: [1, 2, 10, 11], toString: [5, 5, 0, 0] };
    const labels = [0, 0, 1, 1];
    const out = profileSegments(asTable(data), labels, { columns: ['constructor', 'toString'] } as never);
    expect(column(out, 'constructorMean')).toEqual([1.5, 10.5]);
    expect(column(out, 'toStringMean')).toEqual([5, 0]);
  });

  it('class 3 (fuzz): any record keys, Object.prototype names included, come back as columns with their values', () => {
    const key = fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4 }), (keys, n) => {
        const records = Array.from({ length: n }, (_, i) => {
          const r: Record<string, unknown> = Object.create(null);
          keys.forEach((k, j) => (r[k] = i * 10 + j));
          return JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
        });
        const t = asTable(records);
        expect([...t.schema.fields.map((f) => f.name)].sort()).toEqual([...keys].sort());
        keys.forEach((k, j) => expect(column(t, k)).toEqual(records.map((_, i) => i * 10 + j)));
      }),
    );
  });
});

describe('class 9: keys', () => {
  it("class 9: ids '\\uD800' and '\\uDBFF' are refused with INVALID_VALUE naming the column and row", () => {
    const tx = {
      customer: ['a', '\uD800', '\uDBFF'],
      date: ['2024-01-01', '2024-01-02', '2024-01-03'],
      amount: [1, 2, 3],
    };
    const e = refuses([tx], () => customerSummary(tx), 'INVALID_VALUE', 'customer', 'row 1', 'surrogate');
    expect([e.column, e.row]).toEqual(['customer', 1]);
  });

  it('class 9: a lone low surrogate inside a record id is refused with its row', () => {
    const records = [
      { customer: 'ok', amount: 1 },
      { customer: 'x\uDC00y', amount: 2 },
    ];
    const e = refuses([records], () => asTable(records), 'INVALID_VALUE', 'customer', 'row 1');
    expect(e.row).toBe(1);
  });

  it('class 9: paired surrogates (emoji ids) stay two distinct customers', () => {
    const tx = {
      customer: ['\uD83D\uDE00', '\uD83D\uDE01', '\uD83D\uDE00'],
      date: ['2024-01-01', '2024-01-02', '2024-01-03'],
      amount: [1, 2, 4],
    };
    const out = customerSummary(tx);
    expect(column(out, 'customer')).toEqual(['\uD83D\uDE00', '\uD83D\uDE01']);
    expect(column(out, 'monetary')).toEqual([5, 2]);
  });

  it('class 9 (fuzz): ids of any UTF-16 code units read as one key per distinct id, or INVALID_VALUE when one is ill-formed', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 3 }), { minLength: 1, maxLength: 12 }), (ids) => {
        const input = { customer: ids };
        const wellFormed = ids.every((s) => !/\p{Cs}/u.test(s));
        const { value, error } = unchangedAfter([input], () =>
          readKeys(asTable(input), 'customer', 'fuzz', 'customer'),
        );
        if (!wellFormed) {
          expect(isClienteleError(error) && error.code).toBe('INVALID_VALUE');
          return;
        }
        expect(error).toBeUndefined();
        expect(value!.size).toBe(new Set(ids).size);
        expect(Array.from({ length: value!.size }, (_, k) => value!.keys.get(k))).toEqual([...new Set(ids)]);
      }),
    );
  });

  const listKeys = () => vectorFromArray([['a'], ['b'], ['a']], new List(new Field('item', new Utf8(), true)));
  const dates = () => vectorFromArray(['2024-01-01', '2024-01-02', '2024-01-03']);

  it('class 9: a List customer column is refused with INVALID_TYPE naming it (customerSummary)', () => {
    const t = new Table({ customer: listKeys(), date: dates(), amount: vectorFromArray([1, 2, 3]) });
    const e = refuses([t], () => customerSummary(t), 'INVALID_TYPE', '"customer"', 'List');
    expect(e.column).toBe('customer');
  });

  it('class 9: a List key column is refused with INVALID_TYPE (abc)', () => {
    const t = new Table({ key: listKeys(), value: vectorFromArray([1, 2, 3]) });
    refuses([t], () => abc(t, { key: 'key', value: 'value' }), 'INVALID_TYPE', '"key"');
  });

  it('class 9: a List item column is refused with INVALID_TYPE (baskets)', () => {
    const t = new Table({ t: vectorFromArray([1, 1, 2]), item: listKeys() });
    refuses([t], () => baskets(t, { transaction: 't', item: 'item' }), 'INVALID_TYPE', '"item"');
  });

  it('class 9: a Struct customer column is refused with INVALID_TYPE', () => {
    const struct = vectorFromArray(
      [{ id: 'a' }, { id: 'b' }, { id: 'a' }],
      new Struct([new Field('id', new Utf8(), true)]),
    );
    const t = new Table({ customer: struct, date: dates(), amount: vectorFromArray([1, 2, 3]) });
    refuses([t], () => customerSummary(t), 'INVALID_TYPE', 'Struct');
  });
});

describe('class 9: dates beyond the calendar', () => {
  it('class 9: a row dated new Date(8.64e15) is dropped and counted as invalidDate', () => {
    const records = [
      { customer: 'a', date: new Date(8.64e15), amount: 1 },
      { customer: 'b', date: new Date(Date.UTC(2024, 0, 1)), amount: 2 },
    ];
    const { value: out, error } = unchangedAfter([records], () => customerSummary(records));
    expect(error).toBeUndefined();
    expect(column(out!, 'customer')).toEqual(['b']);
    const report = droppedRows(out!);
    expect(report.dropped.invalidDate).toBe(1);
    expect(report.firstRow.invalidDate).toBe(0);
  });

  it('class 9: a row dated new Date(-8.64e15) is dropped and counted as invalidDate', () => {
    const records = [
      { customer: 'a', date: new Date(-8.64e15), amount: 1 },
      { customer: 'b', date: new Date(Date.UTC(2024, 0, 1)), amount: 2 },
    ];
    const out = customerSummary(records);
    expect(droppedRows(out).dropped.invalidDate).toBe(1);
  });

  it("class 9: epoch milliseconds read with dateUnit 'day' are dropped as invalid dates, not a RangeError", () => {
    const tx = { customer: ['a', 'b', 'c'], date: [1.7e12, 19000, 1e8], amount: [1, 2, 3] };
    const out = customerSummary(tx, { dateUnit: 'day' });
    expect(column(out, 'customer')).toEqual(['b']);
    expect(droppedRows(out).dropped.invalidDate).toBe(2);
  });

  it("class 9: dateUnit 'ms' at 8.64e15 (the last JS Date) is dropped and counted", () => {
    const tx = { customer: ['a', 'b'], date: [8.64e15, 0], amount: [1, 2] };
    const out = customerSummary(tx, { dateUnit: 'ms' });
    expect(droppedRows(out).dropped.invalidDate).toBe(1);
    expect(column(out, 'customer')).toEqual(['b']);
  });

  it('class 9: a column whose every date is beyond 9999-12-31 is INVALID_TYPE (no readable date)', () => {
    const tx = { customer: ['a', 'b'], date: [3e6, 4e6], amount: [1, 2] };
    refuses([tx], () => customerSummary(tx, { dateUnit: 'day' }), 'INVALID_TYPE', 'no readable date');
  });

  it('class 9: an Arrow Date32 column with a day after 9999-12-31 counts it and leaves the Arrow memory unchanged', () => {
    const table = asTable({ customer: ['a', 'b', 'a'], date: [19000, 2932897, 19001], amount: [1, 2, 3] });
    const before = fingerprint(table);
    const out = customerSummary(table, { dateUnit: 'day' });
    expect(fingerprint(table)).toBe(before);
    expect(column(out, 'customer')).toEqual(['a']);
    expect(droppedRows(out).dropped.invalidDate).toBe(1);
  });

  it('class 9: asOf new Date(8.64e15) is refused with INVALID_VALUE', () => {
    const tx = { customer: ['a'], date: ['2024-01-01'], amount: [1] };
    const options = { asOf: new Date(8.64e15) };
    refuses([tx, options], () => rfm(tx, options), 'INVALID_VALUE', 'asOf', '−9999–9999');
  });

  it("class 9: asOf 1e9 with dateUnit 'day' is refused with INVALID_VALUE, not a RangeError", () => {
    const tx = { customer: ['a', 'b'], date: [1, 0], amount: [1, 1] };
    const options = { asOf: 1e9, dateUnit: 'day' as const };
    refuses([tx, options], () => rfm(tx, options), 'INVALID_VALUE', 'asOf');
  });

  it("class 9: isoDate agrees with Date's ISO form over the whole JS Date range, ends included", () => {
    for (const day of [-1e8, -4371588, -4371587, -719529, -719528, -1, 0, 10408, 11016, 2932896, 2932897, 1e8]) {
      const iso = new Date(day * 86_400_000).toISOString();
      expect(isoDate(day)).toBe(iso.slice(0, iso.indexOf('T')));
    }
  });

  it('class 9: isoDate beyond the JS Date range writes an expanded year instead of throwing', () => {
    expect(isoDate(1e9)).toMatch(/^\+\d{7}-\d{2}-\d{2}$/);
    expect(isoDate(-1e9)).toMatch(/^-\d{7}-\d{2}-\d{2}$/);
  });
});

describe('class 9: streams whose key type changes between batches', () => {
  const intBatch = () => asTable({ customer: [1, 2], date: ['2024-01-01', '2024-01-02'], amount: [1, 2] });
  const textBatch = () => asTable({ customer: ['x', 'y'], date: ['2024-01-03', '2024-01-04'], amount: [3, 4] });

  it('class 9: customerSummary over Int32 then Utf8 keys is INVALID_TYPE naming batch 1 and the column', async () => {
    const e = await refusesAsync(
      [],
      () => customerSummary(stream(intBatch(), textBatch())),
      'INVALID_TYPE',
      'batch 1',
      '"customer"',
    );
    expect(e.column).toBe('customer');
  });

  it('class 9: rfm over Utf8 then Int32 keys is INVALID_TYPE naming batch 1', async () => {
    await refusesAsync([], () => rfm(stream(textBatch(), intBatch())), 'INVALID_TYPE', 'batch 1', 'text', 'numbers');
  });

  it('class 9: abc over Int32 then Utf8 keys is INVALID_TYPE naming the key column', async () => {
    await refusesAsync(
      [],
      () => abc(stream(intBatch(), textBatch()), { key: 'customer', value: 'amount' }),
      'INVALID_TYPE',
      '"customer"',
    );
  });

  it('class 9: baskets over Int32 then Utf8 items is INVALID_TYPE naming the item column', async () => {
    const a = asTable({ t: [1, 1], item: [7, 8] });
    const b = asTable({ t: [2, 2], item: ['x', 'y'] });
    await refusesAsync(
      [],
      () => baskets(stream(a, b), { transaction: 't', item: 'item' }),
      'INVALID_TYPE',
      '"item"',
      'batch 1',
    );
  });

  it('class 9: dictionary then plain text keys give the whole-table result', async () => {
    const dict = new Table({
      customer: vectorFromArray(['a', 'b'], new Dictionary(new Utf8(), new Int32())),
      date: vectorFromArray(['2024-01-01', '2024-01-02']),
      amount: vectorFromArray([1, 2]),
    });
    const plain = asTable({ customer: ['a', 'c'], date: ['2024-01-03', '2024-01-04'], amount: [4, 8] });
    const out = await customerSummary(stream(dict, plain));
    expect(column(out, 'customer')).toEqual(['a', 'b', 'c']);
    expect(column(out, 'monetary')).toEqual([5, 2, 8]);
  });

  it('class 9: Int32 then Float64 keys unite as numbers (1 and 1.0 are one customer)', async () => {
    const a = asTable({ customer: [1, 2], date: ['2024-01-01', '2024-01-02'], amount: [1, 2] });
    const b = asTable({ customer: [1.5, 1], date: ['2024-01-03', '2024-01-04'], amount: [4, 8] });
    const out = await customerSummary(stream(a, b));
    expect(column(out, 'customer')).toEqual([1, 2, 1.5]);
    expect(column(out, 'monetary')).toEqual([9, 2, 4]);
  });
});
