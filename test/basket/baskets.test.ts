import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basketLists, basketsFromLists } from '../../src/basket/baskets';
import { baskets } from '../../src/api/basket';
import { frequentItemsets } from '../../src/api/basket';
import { readStringLists } from '../../src/basket/list-vector';
import { randomSource } from '../../src/math/random';
import { catchClientele, expectCode } from '../helpers/errors';

/** Every itemset (as sorted names joined by ',') with its count, by enumerating the subsets of every basket. */
function bruteCounts(lists: string[][], maxLength = Infinity): Map<string, number> {
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

function tableRows(table: ReturnType<typeof frequentItemsets>): string[] {
  const items = readStringLists(table.getChild('items')!);
  const counts = table.getChild('count')!.toArray() as Int32Array;
  return items.map((list, i) => `${[...list].sort().join(',')}:${counts[i]}`);
}

describe('baskets', () => {
  it('groups a long table by transaction, de-duplicates items, counts null rows and adds context pseudo-items', () => {
    const tx = Object.freeze({
      invoice: [10, 10, 10, 11, null, 12, 12, 11],
      product: ['beer', 'diapers', 'beer', 'milk', 'beer', null, 'chips', 'bread'],
      day: ['Sat', 'Sat', 'Sat', 'Mon', 'Mon', 'Tue', 'Tue', 'Mon'],
    });
    const b = baskets(tx, { transaction: 'invoice', item: 'product', context: ['day'] });
    expect(b.count).toBe(3);
    expect(basketLists(b).map((l) => [...l].sort())).toEqual([
      ['beer', 'day=Sat', 'diapers'],
      ['bread', 'day=Mon', 'milk'],
      ['chips', 'day=Tue'],
    ]);
    expect(b.rows).toMatchObject({ rows: 8, kept: 6, total: 2, dropped: { nullKey: 2 }, firstRow: { nullKey: 4 } });
    expect(tx.product[5]).toBeNull();
  });

  it('basketsFromLists keeps baskets in order, items distinct and ascending by code; empty baskets count', () => {
    const b = basketsFromLists([['a', 'b', 'a'], [], ['c', 'b']]);
    expect(b.count).toBe(3);
    expect(Array.from(b.offsets)).toEqual([0, 2, 2, 4]);
    expect(basketLists(b)).toEqual([['a', 'b'], [], ['b', 'c']]);
    expectCode(() => basketsFromLists('x' as never), 'INVALID_INPUT', 'array of baskets');
    expect(catchClientele(() => basketsFromLists([['a'], [null as never]]), 'INVALID_VALUE').row).toBe(1);
  });
});

describe('frequentItemsets', () => {
  it('equals a brute-force subset count for every algorithm (property; random baskets)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom('fpgrowth', 'eclat', 'apriori'),
        (seed, algorithm) => {
          const rng = randomSource(seed);
          const items = 4 + rng.int(9);
          const lists = Array.from({ length: 10 + rng.int(60) }, () =>
            Array.from({ length: rng.int(items) }, () => `i${rng.int(items)}`),
          );
          const minCount = 1 + rng.int(4);
          const maxLength = 1 + rng.int(5);
          const expected = [...bruteCounts(lists, maxLength)]
            .filter(([, c]) => c >= minCount)
            .map(([k, c]) => `${k}:${c}`)
            .sort();
          const table = frequentItemsets(lists, { minCount, maxLength, algorithm: algorithm as 'fpgrowth' });
          expect(tableRows(table).sort()).toEqual(expected);
          const support = table.getChild('support')!.toArray() as Float64Array;
          const count = table.getChild('count')!.toArray() as Int32Array;
          support.forEach((s, i) => expect(s).toBe(count[i] / lists.length));
        },
      ),
      { numRuns: 90 },
    );
  });

  it('minSupport is a share of baskets with the arules threshold count ≥ minSupport · n (0.01 · 100000 needs 1000, not 1001)', () => {
    const lists = [...Array.from({ length: 1000 }, () => ['a', 'b']), ...Array.from({ length: 99_000 }, () => ['c'])];
    const table = frequentItemsets(lists, { minSupport: 0.01 });
    expect(tableRows(table)).toEqual(['c:99000', 'a:1000', 'b:1000', 'a,b:1000']);
    expect(table.schema.metadata.get('clientele.minCount')).toBe('1000');
    expect(table.schema.metadata.get('clientele.baskets')).toBe('100000');
    const higher = frequentItemsets(lists, { minSupport: 0.010001 });
    expect(tableRows(higher)).toEqual(['c:99000']);
  });

  it('closed and maximal itemsets match their definitions among the frequent ones (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const rng = randomSource(seed);
        const lists = Array.from({ length: 20 + rng.int(40) }, () =>
          Array.from({ length: 1 + rng.int(6) }, () => `i${rng.int(8)}`),
        );
        const minCount = 2 + rng.int(3);
        const frequent = [...bruteCounts(lists)].filter(([, c]) => c >= minCount);
        const sets = frequent.map(([k, c]) => ({ items: k.split(','), count: c }));
        const superset = (a: string[], b: string[]) => b.length > a.length && a.every((x) => b.includes(x));
        const closed = sets
          .filter((s) => !sets.some((t) => superset(s.items, t.items) && t.count === s.count))
          .map((s) => `${s.items.join(',')}:${s.count}`)
          .sort();
        const maximal = sets
          .filter((s) => !sets.some((t) => superset(s.items, t.items)))
          .map((s) => `${s.items.join(',')}:${s.count}`)
          .sort();
        expect(tableRows(frequentItemsets(lists, { minCount, target: 'closed' })).sort()).toEqual(closed);
        expect(tableRows(frequentItemsets(lists, { minCount, target: 'maximal' })).sort()).toEqual(maximal);
      }),
      { numRuns: 60 },
    );
  });

  it('orders rows by length, count descending, then names; an empty result is a zero-row table with every column', () => {
    const table = frequentItemsets([['b', 'a'], ['a'], ['b', 'a'], ['c']], { minCount: 2 });
    expect(tableRows(table)).toEqual(['a:3', 'b:2', 'a,b:2']);
    expect(Array.from(table.getChild('length')!.toArray() as Int32Array)).toEqual([1, 1, 2]);
    const none = frequentItemsets([['a'], ['b']], { minCount: 3 });
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual(['items', 'count', 'support', 'length']);
  });

  it('rejects bad options', () => {
    expectCode(() => frequentItemsets([['a']], { minSupport: 0 }), 'INVALID_OPTION', 'minSupport');
    expectCode(() => frequentItemsets([['a']], { minSupport: 1.5 }), 'INVALID_OPTION', 'minSupport');
    expectCode(() => frequentItemsets([['a']], { minCount: 0 }), 'INVALID_OPTION', 'minCount');
    expectCode(() => frequentItemsets([['a']], { minCount: 1, maxLength: 0 }), 'INVALID_OPTION', 'maxLength');
    expectCode(
      () => frequentItemsets([['a']], { minCount: 1, algorithm: 'magic' as never }),
      'INVALID_OPTION',
      'algorithm',
    );
    expectCode(() => frequentItemsets([['a']], { minCount: 1, target: 'open' as never }), 'INVALID_OPTION', 'target');
    expectCode(() => frequentItemsets(42 as never, { minCount: 1 }), 'INVALID_INPUT', 'baskets');
  });
});
