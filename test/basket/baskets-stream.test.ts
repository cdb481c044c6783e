import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { basketLists } from '../../src/basket/baskets';
import { baskets } from '../../src/api/basket';
import { frequentItemsets } from '../../src/api/basket';
import { readStringLists } from '../../src/basket/list-vector';
import type { Baskets } from '../../src/basket/mined';
import { readBatches } from '../../src/io/read-batches';
import { batchStream, keyColumn, pieceSizes, slices } from '../stream/helpers';
import type { KeyKind } from '../stream/helpers';
import { outcome } from '../parallel/helpers';

const dir = mkdtempSync(join(tmpdir(), 'clientele-baskets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything a Baskets holds, as plain data. */
function plain(b: Baskets) {
  return {
    count: b.count,
    offsets: Array.from(b.offsets),
    items: Array.from(b.items),
    names: [...b.names],
    rows: b.rows,
  };
}

/**
 * A transaction log: rows of (transaction, item, day) with nulls; transactions come back later in the log (not grouped),
 * items are skewed (i0 frequent, high codes rare) and repeat within a transaction.
 */
const logs = fc
  .record({
    rows: fc.array(
      fc.record({
        t: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 12 }),
        u: fc.option(fc.integer({ min: 0, max: 999 }), { nil: null, freq: 10 }),
        day: fc.option(fc.constantFrom('Mon', 'Sat', 'Sun'), { nil: null, freq: 5 }),
      }),
      { maxLength: 70 },
    ),
    width: fc.integer({ min: 1, max: 15 }),
    transactionKind: fc.constantFrom<KeyKind>('utf8', 'int', 'dict', 'float'),
    itemKind: fc.constantFrom<KeyKind>('utf8', 'dict', 'int'),
  })
  .map(({ rows, width, transactionKind, itemKind }) => {
    const t = rows.map((r) =>
      r.t === null ? null : transactionKind === 'int' || transactionKind === 'float' ? r.t * 7 : `T${r.t}`,
    );
    const item = rows.map((r) =>
      r.u === null
        ? null
        : itemKind === 'int'
          ? Math.floor((r.u / 1000) ** 2 * width)
          : `i${Math.floor((r.u / 1000) ** 2 * width)}`,
    );
    return new Table({
      transaction: keyColumn(t, transactionKind),
      item: keyColumn(item, itemKind),
      day: keyColumn(
        rows.map((r) => r.day),
        'utf8',
      ),
    });
  });

/** The baskets by definition: per non-null transaction (in order of first appearance), the set of its non-null items (+ day=…). */
function referenceLists(log: Table, context: boolean): string[][] {
  const t = log.getChild('transaction')!.toArray() as unknown[];
  const order: unknown[] = [];
  const sets = new Map<unknown, Set<string>>();
  for (let i = 0; i < log.numRows; i++) {
    const key = log.getChild('transaction')!.get(i);
    if (key === null) continue;
    if (!sets.has(key)) {
      sets.set(key, new Set());
      order.push(key);
    }
    const item = log.getChild('item')!.get(i);
    if (item === null) continue;
    sets.get(key)!.add(String(item));
    const day = log.getChild('day')!.get(i);
    if (context && day !== null) sets.get(key)!.add(`day=${day}`);
  }
  void t;
  return order.map((k) => [...sets.get(k)!].sort());
}

describe('baskets over a stream of record batches', () => {
  it('random batch splits of a random log give the baskets of the whole table (and of the definition)', async () => {
    await fc.assert(
      fc.asyncProperty(logs, pieceSizes, fc.boolean(), async (log, sizes, withContext) => {
        const options = withContext ? { context: ['day'] } : {};
        const whole = await outcome(() => baskets(log, options));
        const streamed = await outcome(() =>
          baskets(batchStream(slices(log, sizes)) as AsyncIterable<RecordBatch>, options),
        );
        if ('error' in whole) {
          expect(streamed).toEqual(whole); // the same EMPTY_INPUT, message included
          return;
        }
        expect('value' in streamed && plain(streamed.value)).toEqual(plain(whole.value));
        expect(basketLists(whole.value).map((l) => [...l].sort())).toEqual(referenceLists(log, withContext));
      }),
      { numRuns: 300 },
    );
  });

  it('a transaction cut across batches and one that comes back later are one basket each', async () => {
    const log = tableFromArrays({ transaction: ['a', 'a', 'b', 'a', 'c', 'c'], item: ['x', 'y', 'x', 'z', 'y', 'y'] });
    async function* batches() {
      for (const [from, to] of [
        [0, 1],
        [1, 3],
        [3, 5],
        [5, 6],
      ])
        yield* log.slice(from, to).batches;
    }
    const b = await baskets(batches());
    expect(b.count).toBe(3);
    expect(basketLists(b)).toEqual([['x', 'y', 'z'], ['x'], ['y']]);
  });

  it('an Arrow IPC file read by readBatches gives the baskets and the frequent itemsets of the whole table', async () => {
    const lists = Array.from({ length: 600 }, (_, b) =>
      Array.from({ length: 1 + ((b * 7) % 5) }, (_, k) => `p${(b * (k + 3) + k * k) % 23}`),
    );
    const transaction = lists.flatMap((l, b) => l.map(() => `order-${b % 450}`)); // orders 0 … 149 come back later
    const item = lists.flat();
    const table = tableFromArrays({ transaction, item });
    const stored = new Table(
      Array.from({ length: Math.ceil(table.numRows / 97) }, (_, k) => table.slice(k * 97, (k + 1) * 97).batches).flat(),
    );
    for (const format of ['stream', 'file'] as const) {
      const path = join(dir, `log-${format}.arrow`);
      writeFileSync(path, tableToIPC(stored, format));
      const whole = baskets(table);
      const streamed = await baskets(readBatches(path));
      expect(plain(streamed)).toEqual(plain(whole));
      const sets = frequentItemsets(streamed, { minSupport: 0.02 });
      const expected = frequentItemsets(whole, { minSupport: 0.02 });
      expect(sets.numRows).toBeGreaterThan(20);
      expect(readStringLists(sets.getChild('items')!)).toEqual(readStringLists(expected.getChild('items')!));
      expect(Array.from(sets.getChild('count')!.toArray())).toEqual(Array.from(expected.getChild('count')!.toArray()));
      expect(Object.fromEntries(sets.schema.metadata)).toEqual(Object.fromEntries(expected.schema.metadata));
    }
  });

  it('errors: a missing column or a log without usable rows rejects with the code of the whole-table call', async () => {
    const log = tableFromArrays({ transaction: ['a', 'b'], item: ['x', 'y'] });
    const stream = (t: Table) =>
      (async function* () {
        yield* t.batches;
      })();
    const cases: [Table, Record<string, unknown>][] = [
      [log, { item: 'product' }],
      [log, { context: ['weekday'] }],
      [new Table({ transaction: keyColumn([null, null], 'utf8'), item: keyColumn(['x', 'y'], 'utf8') }), {}],
    ];
    for (const [t, options] of cases) {
      const whole = await outcome(() => baskets(t, options));
      expect(whole).toHaveProperty('error');
      expect(await outcome(() => baskets(stream(t), options))).toEqual(whole);
    }
    expect(await outcome(() => baskets((async function* () {})()))).toMatchObject({ error: { code: 'EMPTY_INPUT' } });
    expect(await outcome(() => baskets(stream(log), { context: 'day' as never }))).toMatchObject({
      error: { code: 'INVALID_OPTION' },
    });
  });
});
