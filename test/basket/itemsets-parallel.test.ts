import { existsSync, readFileSync } from 'node:fs';
import { tableFromArrays } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { dataset } from '../helpers/datasets';
import { describe, expect, it } from 'vitest';
import { basketsFromLists } from '../../src/basket/baskets';
import { itemsetsResult, resolveMining } from '../../src/basket/frequent-itemsets';
import { frequentItemsets } from '../../src/api/basket';
import type { FrequentItemsetsOptions } from '../../src/basket/frequent-itemsets';
import { itemsetPartsAggregate } from '../../src/basket/itemset-parts';
import type { ItemsetPartsOptions, ItemsetPartsPartial } from '../../src/basket/itemset-parts';
import { readStringLists } from '../../src/basket/list-vector';
import type { MinedItemsets } from '../../src/basket/mined';
import { assignParts } from '../../src/parallel/itemsets-parallel';
import { closeWorkers } from '../../src/parallel/pool';
import { outcome } from '../parallel/helpers';
import { steadyThreads, threadsDownTo } from '../helpers/threads';

const ALGORITHMS = ['eclat', 'fpgrowth', 'apriori'] as const;

/**
 * Two itemset tables are the same result: the same fields with the same Arrow types, the same schema metadata, and
 * the same rows in the same order (item lists as arrays; numbers compared with Object.is, so the last bit counts).
 */
function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
    expected.schema.fields.map((f) => `${f.name}: ${f.type}`),
  );
  expect(Object.fromEntries(actual.schema.metadata)).toEqual(Object.fromEntries(expected.schema.metadata));
  expect(actual.numRows).toBe(expected.numRows);
  const rows = (t: Table) => {
    const items = readStringLists(t.getChild('items')!);
    const count = t.getChild('count')!.toArray() as Int32Array;
    const support = t.getChild('support')!.toArray() as Float64Array;
    const length = t.getChild('length')!.toArray() as Int32Array;
    return items.map((list, i) => ({ list, count: count[i], support: support[i], length: length[i] }));
  };
  const a = rows(actual);
  const e = rows(expected);
  const first = e.findIndex(
    (x, i) =>
      x.list.join('\u0001') !== a[i].list.join('\u0001') ||
      x.count !== a[i].count ||
      !Object.is(x.support, a[i].support) ||
      x.length !== a[i].length,
  );
  expect(first === -1 ? 'same' : `row ${first}: ${JSON.stringify(a[first])} vs ${JSON.stringify(e[first])}`).toBe(
    'same',
  );
}
const TARGETS = ['all', 'closed', 'maximal'] as const;

/**
 * Random baskets of skewed item frequencies: item `i{k}` with k = ⌊u² · width⌋ for u uniform in [0, 1), so low codes
 * are frequent and high ones rare; repeats within a basket and empty baskets occur.
 */
const basketLists = fc
  .record({
    width: fc.integer({ min: 1, max: 14 }),
    draws: fc.array(fc.array(fc.integer({ min: 0, max: 999 }), { maxLength: 9 }), { maxLength: 45 }),
  })
  .map(({ width, draws }) => draws.map((basket) => basket.map((u) => `i${Math.floor((u / 1000) ** 2 * width)}`)));

const miningOptions = fc.record({
  minCount: fc.integer({ min: 1, max: 5 }),
  maxLength: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  algorithm: fc.constantFrom(...ALGORITHMS),
  target: fc.constantFrom(...TARGETS),
});

function withoutUndefined(o: Record<string, unknown>): FrequentItemsetsOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as FrequentItemsetsOptions;
}

/** A one-row-per-part table, as a worker thread is sent. */
const partRows = (parts: readonly number[]) => tableFromArrays({ part: Int32Array.from(parts) });

/**
 * The parallel run without threads: what each worker computes, one part at a time in this thread, merged in the
 * order given (any order must do: the parts are disjoint and the table is sorted afterwards).
 */
function minedByParts(
  lists: string[][],
  options: FrequentItemsetsOptions,
  parts: number,
  owner: (support: Int32Array, minCount: number) => Int32Array,
  order: number[],
): Table {
  const resolved = resolveMining(lists, options, 'frequentItemsets');
  const b = resolved.baskets;
  const base = { parts, count: b.count, offsets: b.offsets, items: b.items, width: b.names.length };
  const agg = itemsetPartsAggregate;
  const supportOptions: ItemsetPartsOptions = { ...base, step: 'supports' };
  let counted = agg.init(supportOptions);
  for (const p of order) counted = agg.merge(counted, agg.summarize(partRows([p]), supportOptions));
  const support = (counted as Extract<ItemsetPartsPartial, { kind: 'supports' }>).support;
  const mineOptions: ItemsetPartsOptions = {
    ...base,
    step: 'mine',
    support,
    owner: owner(support, resolved.minCount),
    minCount: resolved.minCount,
    maxLength: resolved.maxLength,
    algorithm: resolved.algorithm,
  };
  let mined = agg.init(mineOptions);
  for (const p of order) mined = agg.merge(mined, agg.summarize(partRows([p]), mineOptions));
  return itemsetsResult(mined as MinedItemsets, resolved);
}

describe('frequentItemsets cut into parts (the work of each thread, run here)', () => {
  it('item counts of contiguous basket shares add up to the counts of all baskets (by direct count)', () => {
    fc.assert(
      fc.property(basketLists, fc.integer({ min: 1, max: 6 }), (lists, parts) => {
        const b = basketsFromLists(lists);
        const options: ItemsetPartsOptions = {
          step: 'supports',
          parts,
          count: b.count,
          offsets: b.offsets,
          items: b.items,
          width: b.names.length,
        };
        let merged = itemsetPartsAggregate.init(options);
        for (let p = 0; p < parts; p++)
          merged = itemsetPartsAggregate.merge(merged, itemsetPartsAggregate.summarize(partRows([p]), options));
        const expected = b.names.map((name) => lists.filter((l) => l.includes(name)).length);
        expect(Array.from((merged as { support: Int32Array }).support)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('any assignment of items to 1–5 parts, merged in any order, gives the single-thread table (every algorithm and target)', () => {
    fc.assert(
      fc.property(
        basketLists,
        miningOptions,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 20, maxLength: 20 }),
        fc.boolean(),
        (lists, o, parts, draws, lpt) => {
          const options = withoutUndefined(o);
          const expected = frequentItemsets(lists, options);
          const order = Array.from({ length: parts }, (_, p) => p).sort((x, y) => draws[x] - draws[y] || x - y);
          const owner = lpt
            ? (support: Int32Array, minCount: number) => assignParts(support, minCount, o.algorithm, parts)
            : (support: Int32Array) => Int32Array.from(support, (_, c) => draws[c % draws.length] % parts);
          expectSameTable(minedByParts(lists, options, parts, owner, order), expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a part mines only the itemsets whose first item in the miner order it owns', () => {
    // T10-like toy: a owns "a" (the rarest item), b the rest; with eclat the itemsets starting at "a" all hold "a"
    const lists = [['a', 'b', 'c'], ['a', 'b', 'c'], ['b', 'c'], ['b', 'c'], ['c']];
    const b = basketsFromLists(lists);
    const support = Int32Array.from([2, 4, 5]); // a, b, c
    const base = {
      parts: 2,
      count: b.count,
      offsets: b.offsets,
      items: b.items,
      width: 3,
      support,
      minCount: 2,
      maxLength: 3,
    } as const;
    const owner = Int32Array.from([0, 1, 1]);
    for (const algorithm of ALGORITHMS) {
      const part0 = itemsetPartsAggregate.summarize(partRows([0]), {
        ...base,
        step: 'mine',
        owner,
        algorithm,
      }) as MinedItemsets;
      const sets = Array.from(part0.counts, (_, s) =>
        Array.from(part0.codes.subarray(part0.offsets[s], part0.offsets[s + 1]))
          .map((c) => b.names[c])
          .join(''),
      );
      // eclat and fpgrowth start an itemset at its least frequent item, apriori at its lowest code: "a" either way
      expect(sets.sort(), algorithm).toEqual(['a', 'ab', 'abc', 'ac']);
    }
  });

  it('on T10I4D100K at 0.5 %, every frequent item gets exactly one of 3 parts and every part gets items', () => {
    const file = dataset('T10I4D100K.dat');
    const lists = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(' '));
    const b = basketsFromLists(lists);
    const support = new Int32Array(b.names.length);
    for (const c of b.items) support[c]++;
    for (const algorithm of ALGORITHMS) {
      const owner = assignParts(support, 500, algorithm, 3);
      const frequent = Array.from(support.keys()).filter((c) => support[c] >= 500);
      expect(frequent.every((c) => owner[c] >= 0 && owner[c] < 3)).toBe(true);
      expect(Array.from(owner).filter((p) => p >= 0).length).toBe(frequent.length);
      const counts = [0, 1, 2].map((p) => frequent.filter((c) => owner[c] === p).length);
      expect(Math.min(...counts)).toBeGreaterThan(0);
    }
  });
});

describe('frequentItemsets(…, { parallel }) on worker threads', () => {
  it('equals the single-thread table for 2, 3 and 4 threads (random baskets, algorithms, targets)', async () => {
    for (const n of [2, 3, 4]) {
      await fc.assert(
        fc.asyncProperty(basketLists, miningOptions, async (lists, o) => {
          const options = withoutUndefined(o);
          const single = frequentItemsets(lists, options);
          const parallel = await frequentItemsets(lists, { ...options, parallel: n, minRowsPerWorker: 1 });
          expectSameTable(parallel, single);
        }),
        { numRuns: 2, seed: 8 + n },
      );
    }
  });

  it('the Groceries file at 0.5 %: parallel 3 equals one thread (eclat all, fpgrowth closed, apriori maximal)', async () => {
    const file = dataset('groceries.csv');
    const lists = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(','));
    const b = basketsFromLists(lists);
    for (const [k, algorithm] of ALGORITHMS.entries()) {
      const target = TARGETS[k];
      const single = frequentItemsets(b, { minSupport: 0.005, algorithm, target });
      expect(single.numRows).toBeGreaterThan(100);
      expectSameTable(
        await frequentItemsets(b, { minSupport: 0.005, algorithm, target, parallel: 3, minRowsPerWorker: 1000 }),
        single,
      );
    }
  });

  it('is a promise of the same table below the threshold (in-process) and leaves the caller’s baskets unchanged', async () => {
    const lists = [['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']];
    const b = basketsFromLists(lists);
    const before = [Array.from(b.offsets), Array.from(b.items)];
    const result = frequentItemsets(b, { minCount: 2, parallel: 4 });
    expect(result).toBeInstanceOf(Promise);
    expectSameTable(await result, frequentItemsets(b, { minCount: 2 }));
    expectSameTable(
      await frequentItemsets(b, { minCount: 2, parallel: 2, minRowsPerWorker: 1 }),
      frequentItemsets(b, { minCount: 2 }),
    );
    expect([Array.from(b.offsets), Array.from(b.items)]).toEqual(before);
    expect(b.offsets.buffer).toBeInstanceOf(ArrayBuffer);
    expect(
      readStringLists(
        (await frequentItemsets(lists, { minCount: 2, parallel: 2, minRowsPerWorker: 1 })).getChild('items')!,
      ),
    ).toEqual([['beer'], ['diapers'], ['beer', 'diapers']]);
  });

  it('rejects with the code of the single-thread error', async () => {
    const lists = [['a', 'b'], ['a']];
    const bad: [unknown, Record<string, unknown>][] = [
      [lists, { minSupport: 2 }],
      [lists, { minSupport: 0.5, maxLength: 0 }],
      [lists, { minSupport: 0.5, algorithm: 'magic' }],
      [lists, { minSupport: 0.5, target: 'best' }],
      ['not baskets', { minSupport: 0.5 }],
    ];
    for (const [input, options] of bad) {
      const single = await outcome(() => frequentItemsets(input as string[][], options as FrequentItemsetsOptions));
      const parallel = await outcome(() =>
        frequentItemsets(input as string[][], {
          ...(options as FrequentItemsetsOptions),
          parallel: 2,
          minRowsPerWorker: 1,
        }),
      );
      expect('error' in single && 'error' in parallel).toBe(true);
      expect(parallel).toEqual(single);
    }
    for (const parallel of [0, 1.5, 'two', 257]) {
      const result = await outcome(() => frequentItemsets(lists, { minSupport: 0.5, parallel: parallel as number }));
      expect(result).toMatchObject({ error: { code: 'INVALID_OPTION' } });
      expect((result as { error: { message: string } }).error.message).toMatch(
        /^frequentItemsets: option parallel must be/,
      );
    }
    expect(
      await outcome(() => frequentItemsets(lists, { minSupport: 0.5, parallel: 2, minRowsPerWorker: 0 })),
    ).toMatchObject({ error: { code: 'INVALID_OPTION' } });
  });

  it.runIf(existsSync('/proc/self/status'))('leaves no worker thread behind, also after an error', async () => {
    const lists = Array.from({ length: 200 }, (_, i) => [`a${i % 7}`, `b${i % 5}`, `c${i % 3}`]);
    await frequentItemsets(lists, { minCount: 3, parallel: 2, minRowsPerWorker: 1 }); // warm-up: module loading starts threads of its own
    const before = await steadyThreads();
    for (const n of [2, 3, 4])
      await frequentItemsets(lists, { minCount: 3, parallel: n, minRowsPerWorker: 1, algorithm: 'fpgrowth' });
    await frequentItemsets(lists, { minCount: 3, parallel: 3, minRowsPerWorker: 1, target: 'bogus' as 'all' }).catch(
      () => undefined,
    );
    await closeWorkers(); // the warm pool keeps its threads between calls: stop them, then nothing may be left
    expect(await threadsDownTo(before)).toBeLessThanOrEqual(before);
  });
});
