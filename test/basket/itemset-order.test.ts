import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basketsFromLists, frequentItemsets } from '../../src/index';
import { eclat } from '../../src/basket/eclat';
import { canonicalOrder } from '../../src/basket/itemset-order';
import { ItemsetCollector, itemSupports } from '../../src/basket/mined';
import type { MinedItemsets } from '../../src/basket/mined';

/** Names whose string order differs from their first-appearance order (codes), with a shared prefix. */
const POOL = ['milk', 'b', 'a10', 'a2', 'Z', 'beer', 'a1', 'é', 'bread', 'c', '10', '9'];

/**
 * The reference by definition: every non-empty subset of ≤ maxLength items of every basket, counted; kept at ≥
 * minCount; rows ordered by length, count descending, then the items (each row's names sorted) compared name by name
 * as JS strings — the documented order of the itemset table, by a comparator over strings.
 */
function bruteForce(lists: readonly string[][], minCount: number, maxLength: number): string[] {
  const counts = new Map<string, number>();
  for (const raw of lists) {
    const basket = [...new Set(raw)].sort();
    const subset: string[] = [];
    const visit = (from: number): void => {
      if (subset.length > 0) {
        const key = JSON.stringify(subset);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      if (subset.length === maxLength) return;
      for (let i = from; i < basket.length; i++) {
        subset.push(basket[i]);
        visit(i + 1);
        subset.pop();
      }
    };
    visit(0);
  }
  const rows = [...counts]
    .filter(([, c]) => c >= minCount)
    .map(([k, c]) => ({ items: JSON.parse(k) as string[], count: c }));
  rows.sort((x, y) => {
    if (x.items.length !== y.items.length) return x.items.length - y.items.length;
    if (x.count !== y.count) return y.count - x.count;
    for (let t = 0; t < x.items.length; t++) {
      if (x.items[t] !== y.items[t]) return x.items[t] < y.items[t] ? -1 : 1;
    }
    return 0;
  });
  return rows.map((r) => `${r.items.join('|')}:${r.count}`);
}

/** The table's rows in order, as `names:count` (names in the row's order). */
function rowsOf(table: ReturnType<typeof frequentItemsets>): string[] {
  const items = table.getChild('items')!;
  const count = table.getChild('count')!;
  const out: string[] = [];
  for (let i = 0; i < table.numRows; i++) {
    out.push(`${[...(items.get(i) as unknown as Iterable<string>)].join('|')}:${count.get(i)}`);
  }
  return out;
}

/** Baskets over the first `width` names of POOL; dense ones hold each item with probability ≈ 0.85. */
const basketLists = (dense: boolean): fc.Arbitrary<string[][]> =>
  fc.integer({ min: 2, max: dense ? 8 : POOL.length }).chain((width) =>
    fc.array(
      fc
        .array(fc.integer({ min: 0, max: dense ? 19 : 5 }), { minLength: width, maxLength: width })
        .map((draws) => POOL.slice(0, width).filter((_, k) => (dense ? draws[k] < 17 : draws[k] === 0))),
      { minLength: 1, maxLength: 16 },
    ),
  );

describe('frequentItemsets rows and order (eclat with perfect extensions, radix-sorted table)', () => {
  it('equal a brute-force enumeration sorted by a string comparator, sparse and dense, with and without maxLength', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((dense) => basketLists(dense)),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        (lists, minCount, maxLength) => {
          const table = frequentItemsets(basketsFromLists(lists), { minCount, maxLength, maxItemsets: Infinity });
          expect(rowsOf(table)).toEqual(bruteForce(lists, minCount, maxLength ?? Infinity));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('an item in every basket (a perfect extension of everything) doubles the output and is counted once per set', () => {
    const lists = [
      ['z', 'a', 'b'],
      ['z', 'a'],
      ['z', 'b', 'c'],
      ['z', 'a', 'b', 'c'],
    ];
    const table = frequentItemsets(basketsFromLists(lists), { minCount: 2 });
    expect(rowsOf(table)).toEqual(bruteForce(lists, 2, Infinity));
    // each frequent set without z has its twin with z, and {z} itself
    expect(table.numRows).toBe(
      2 *
        bruteForce(
          lists.map((l) => l.slice(1)),
          2,
          Infinity,
        ).length +
        1,
    );
  });

  it('scoped parts (disjoint owned items) are disjoint and together give the whole, with perfect extensions', () => {
    fc.assert(
      fc.property(basketLists(true), fc.integer({ min: 1, max: 5 }), fc.integer(), (lists, minCount, seed) => {
        const b = basketsFromLists(lists);
        const support = itemSupports(b);
        const owned = Uint8Array.from(support, (_, c) => ((c * 7 + seed) & 1) as 0 | 1);
        const other = Uint8Array.from(owned, (o) => 1 - o);
        const whole = keys(eclat(b, minCount, Infinity, undefined, Infinity));
        const parts = [
          ...keys(eclat(b, minCount, Infinity, { support, owned }, Infinity)),
          ...keys(eclat(b, minCount, Infinity, { support, owned: other }, Infinity)),
        ];
        expect(parts.sort()).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('maxItemsets stops the search with LIMIT_EXCEEDED when perfect extensions multiply the output', () => {
    const lists = Array.from({ length: 5 }, () => ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(() => frequentItemsets(basketsFromLists(lists), { minCount: 1, maxItemsets: 62 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    expect(frequentItemsets(basketsFromLists(lists), { minCount: 1, maxItemsets: 63 }).numRows).toBe(63);
  });
});

/** `codes:count` per set (codes ascending), sorted. */
function keys(mined: MinedItemsets): string[] {
  const out: string[] = [];
  for (let s = 0; s < mined.counts.length; s++) {
    const codes = Array.from(mined.codes.subarray(mined.offsets[s], mined.offsets[s + 1]));
    // the MinedItemsets contract: codes strictly ascending within a set
    if (codes.some((c, t) => t > 0 && c <= codes[t - 1])) throw new Error(`set ${s} not ascending: ${codes.join()}`);
    out.push(`${codes.join(',')}:${mined.counts[s]}`);
  }
  return out.sort();
}

describe('canonicalOrder', () => {
  it('equals a comparator sort on long runs of one count (radix path) and on counts spanning more than 2^16', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        fc.array(
          fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { minLength: 1, maxLength: 4 }), fc.nat(3)),
          {
            minLength: 1,
            maxLength: 400,
            size: 'max',
          },
        ),
        (names, wide, drawn) => {
          // distinct sets over `names` ranks; few distinct counts, so runs of equal count are long
          const seen = new Set<string>();
          const sets = drawn
            .map(([r, c]) => ({ ranks: [...new Set(r.map((x) => x % names))].sort((a, b) => a - b), c }))
            .filter(({ ranks }) => !seen.has(ranks.join()) && seen.add(ranks.join()));
          const offsets = new Int32Array(sets.length + 1);
          sets.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.ranks.length));
          const ranks = Int32Array.from(sets.flatMap((s) => s.ranks));
          const counts = Int32Array.from(sets, (s) => (wide ? [1, 70_000, 200_000, 5][s.c] : 10 + s.c));
          const keep = Uint8Array.from(sets, (_, i) => (i % 5 === 4 ? 0 : 1));
          const expected = sets
            .map((_, i) => i)
            .filter((i) => keep[i])
            .sort((x, y) => {
              const lx = sets[x].ranks.length;
              if (lx !== sets[y].ranks.length) return lx - sets[y].ranks.length;
              if (counts[x] !== counts[y]) return counts[y] - counts[x];
              for (let t = 0; t < lx; t++)
                if (sets[x].ranks[t] !== sets[y].ranks[t]) return sets[x].ranks[t] - sets[y].ranks[t];
              return 0;
            });
          expect(Array.from(canonicalOrder({ offsets, ranks, counts }, keep, names))).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('ItemsetCollector', () => {
  it('keeps every itemset in order across chunks (more than 2^16 itemsets), codes sorted ascending', () => {
    const out = new ItemsetCollector();
    const n = 70_000;
    for (let s = 0; s < n; s++) out.add([(s % 5) + 3, s % 3, 9], 1 + (s % 3), s);
    const { offsets, codes, counts } = out.result();
    expect(counts.length).toBe(n);
    for (let s = 0; s < n; s += 997) {
      const expected = [(s % 5) + 3, s % 3, 9].slice(0, 1 + (s % 3)).sort((a, b) => a - b);
      expect(Array.from(codes.subarray(offsets[s], offsets[s + 1]))).toEqual(expected);
      expect(counts[s]).toBe(s);
    }
    expect(offsets[n]).toBe(codes.length);
  });
});
