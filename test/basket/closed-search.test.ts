import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequentItemsets } from '../../src/api/basket';
import { closedOrMaximal } from '../../src/basket/closed-maximal';
import { closedItemsets } from '../../src/basket/closed-search';
import { basketsFromLists } from '../../src/basket/baskets';
import { readStringLists } from '../../src/basket/list-vector';
import { randomSource } from '../../src/math/random';
import { expectCode } from '../helpers/errors';

/** Every itemset of 1 … maxLength items (sorted names joined by ',') with its count, from the subsets of every basket. */
function bruteCounts(lists: string[][], maxLength: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of lists) {
    const items = [...new Set(raw)].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const sub = items.filter((_, j) => mask & (1 << j));
      if (sub.length > maxLength) continue;
      const key = sub.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Closed and maximal sets by their definitions among the frequent sets of ≤ maxLength items, as `names:count`. */
function bruteTargets(lists: string[][], minCount: number, maxLength: number): Record<'closed' | 'maximal', string[]> {
  const sets = [...bruteCounts(lists, maxLength)]
    .filter(([, c]) => c >= minCount)
    .map(([k, c]) => ({ items: k.split(','), count: c }));
  const superset = (a: string[], b: string[]) => b.length > a.length && a.every((x) => b.includes(x));
  const row = (s: { items: string[]; count: number }) => `${s.items.join(',')}:${s.count}`;
  return {
    closed: sets.filter((s) => !sets.some((t) => superset(s.items, t.items) && t.count === s.count)).map(row),
    maximal: sets.filter((s) => !sets.some((t) => superset(s.items, t.items))).map(row),
  };
}

function tableRows(table: ReturnType<typeof frequentItemsets>): string[] {
  const items = readStringLists(table.getChild('items')!);
  const counts = table.getChild('count')!.toArray() as Int32Array;
  return items.map((list, i) => `${[...list].sort().join(',')}:${counts[i]}`);
}

/** Random baskets of `width` items: sparse (1–4 items each) or dense (each item with probability 0.75). */
function randomLists(seed: number, dense: boolean): string[][] {
  const rng = randomSource(seed);
  const width = dense ? 7 : 12;
  return Array.from({ length: 10 + rng.int(40) }, () =>
    dense
      ? Array.from({ length: width }, (_, k) => `i${k}`).filter(() => rng.uniform() < 0.75)
      : Array.from({ length: 1 + rng.int(4) }, () => `i${rng.int(width)}`),
  );
}

const ALGORITHMS = ['eclat', 'fpgrowth', 'apriori'] as const;
const TARGETS = ['closed', 'maximal'] as const;

describe('closed and maximal itemsets (direct search and typed filter)', () => {
  it('match the brute-force definitions on sparse and dense baskets, every algorithm, with and without maxLength (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (seed, dense, cap) => {
          const lists = randomLists(seed, dense);
          const minCount = 1 + (seed % (dense ? 6 : 3));
          const maxLength = cap === 0 ? Infinity : cap;
          const expected = bruteTargets(lists, minCount, maxLength);
          for (const target of TARGETS) {
            const reference = expected[target].sort();
            const tables = ALGORITHMS.map((algorithm) =>
              tableRows(frequentItemsets(lists, { minCount, target, algorithm, maxLength })),
            );
            expect([...tables[0]].sort()).toEqual(reference);
            // the same table, row for row, whichever path (direct search or mine-all-then-filter) made it
            expect(tables[1]).toEqual(tables[0]);
            expect(tables[2]).toEqual(tables[0]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps the set of the items in every basket, the closure of the empty set, as a closed set', () => {
    const lists = [
      ['a', 'b', 'c'],
      ['a', 'c'],
      ['a', 'b'],
      ['a', 'c', 'd'],
    ];
    const expected = bruteTargets(lists, 1, Infinity);
    expect(expected.closed).toContain('a:4');
    const closed = tableRows(frequentItemsets(lists, { minCount: 1, target: 'closed' }));
    expect([...closed].sort()).toEqual(expected.closed.sort());
    const maximal = tableRows(frequentItemsets(lists, { minCount: 1, target: 'maximal' }));
    expect([...maximal].sort()).toEqual(expected.maximal.sort());
    // every basket the same: one closed (and maximal) set
    const same = [
      ['x', 'y'],
      ['y', 'x'],
    ];
    expect(tableRows(frequentItemsets(same, { minCount: 2, target: 'closed' }))).toEqual(['x,y:2']);
    expect(tableRows(frequentItemsets(same, { minCount: 2, target: 'maximal' }))).toEqual(['x,y:2']);
  });

  it('maxItemsets counts the closed sets the direct search finds', () => {
    // the first seeded sample with more closed sets than maximal ones, and more than one maximal set
    let seed = 1;
    const sample = (k: number) => randomLists(k, true);
    while (!(bruteTargets(sample(seed), 3, Infinity).maximal.length > 1)) seed++;
    const lists = sample(seed);
    const expected = bruteTargets(lists, 3, Infinity);
    const closed = expected.closed.length;
    expect(closed).toBeGreaterThan(expected.maximal.length);
    expect(frequentItemsets(lists, { minCount: 3, target: 'closed', maxItemsets: closed }).numRows).toBe(closed);
    expectCode(
      () => frequentItemsets(lists, { minCount: 3, target: 'closed', maxItemsets: closed - 1 }),
      'LIMIT_EXCEEDED',
      `maxItemsets = ${closed - 1}`,
    );
    // maximal: the closed sets visited on the way count, at least the maximal ones and at most all closed ones
    const maximal = expected.maximal.length;
    expect(frequentItemsets(lists, { minCount: 3, target: 'maximal', maxItemsets: closed }).numRows).toBe(maximal);
    expectCode(
      () => frequentItemsets(lists, { minCount: 3, target: 'maximal', maxItemsets: maximal - 1 }),
      'LIMIT_EXCEEDED',
    );
  });

  it('the typed filter and the direct search return each set once, codes ascending', () => {
    const b = basketsFromLists(randomLists(11, true));
    for (const target of TARGETS) {
      const mined = closedItemsets(b, 2, target);
      const keys = new Set<string>();
      for (let s = 0; s < mined.counts.length; s++) {
        const codes = Array.from(mined.codes.subarray(mined.offsets[s], mined.offsets[s + 1]));
        expect(codes).toEqual([...codes].sort((x, y) => x - y));
        keys.add(codes.join(','));
      }
      expect(keys.size).toBe(mined.counts.length);
      // the filter on the direct search's own output keeps it whole (closed sets are closed among themselves)
      expect(Array.from(closedOrMaximal(mined, target)).every((k) => k === 1)).toBe(true);
    }
  });
});
