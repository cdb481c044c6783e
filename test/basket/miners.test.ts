import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apriori } from '../../src/basket/apriori';
import { eclat } from '../../src/basket/eclat';
import { fpgrowth } from '../../src/basket/fpgrowth';
import type { Baskets, MinedItemsets, Miner } from '../../src/basket/mined';

/** Baskets in CSR from lists of item codes (sorted, duplicates removed); names `i0 … i{width − 1}`. */
function toBaskets(lists: readonly (readonly number[])[], width?: number): Baskets {
  const sorted = lists.map((l) => [...new Set(l)].sort((a, b) => a - b));
  const offsets = new Int32Array(sorted.length + 1);
  sorted.forEach((l, b) => (offsets[b + 1] = offsets[b] + l.length));
  const items = Int32Array.from(sorted.flat());
  const top = items.reduce((m, c) => Math.max(m, c + 1), 0);
  const names = Array.from({ length: Math.max(width ?? 0, top) }, (_, c) => `i${c}`);
  return { kind: 'baskets', count: sorted.length, offsets, items, names };
}

/** Canonical form: `codes:count` strings (codes ascending, comma-separated), sorted. */
function canonical(mined: MinedItemsets): string[] {
  const rows: string[] = [];
  for (let s = 0; s < mined.counts.length; s++) {
    rows.push(
      `${Array.from(mined.codes.subarray(mined.offsets[s], mined.offsets[s + 1])).join(',')}:${mined.counts[s]}`,
    );
  }
  return rows.sort();
}

/** The reference by definition: every subset of 1 … maxLength items of every basket, counted; kept at ≥ minCount. */
function bruteForce(lists: readonly (readonly number[])[], minCount: number, maxLength: number): string[] {
  const counts = new Map<string, number>();
  for (const raw of lists) {
    const basket = [...new Set(raw)].sort((a, b) => a - b);
    const subset: number[] = [];
    const visit = (from: number): void => {
      if (subset.length > 0) {
        const key = subset.join(',');
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
  return [...counts]
    .filter(([, c]) => c >= minCount)
    .map(([k, c]) => `${k}:${c}`)
    .sort();
}

/** The MinedItemsets contract: offsets from 0, non-decreasing and matching codes; codes strictly ascending per set. */
function expectWellFormed(mined: MinedItemsets, minCount: number, maxLength: number): void {
  const { offsets, codes, counts } = mined;
  expect(offsets).toBeInstanceOf(Int32Array);
  expect(codes).toBeInstanceOf(Int32Array);
  expect(counts).toBeInstanceOf(Int32Array);
  expect(offsets.length).toBe(counts.length + 1);
  expect(offsets[0]).toBe(0);
  expect(offsets[counts.length]).toBe(codes.length);
  for (let s = 0; s < counts.length; s++) {
    const length = offsets[s + 1] - offsets[s];
    expect(length).toBeGreaterThanOrEqual(1);
    expect(length).toBeLessThanOrEqual(maxLength);
    expect(counts[s]).toBeGreaterThanOrEqual(minCount);
    for (let t = offsets[s] + 1; t < offsets[s + 1]; t++) expect(codes[t]).toBeGreaterThan(codes[t - 1]);
  }
}

const MINERS: [string, Miner][] = [
  ['fpgrowth', fpgrowth],
  ['eclat', eclat],
  ['apriori', apriori],
];

/** Agrawal & Srikant (1994) §2.1.3 / Han & Kamber, "Data Mining: Concepts and Techniques", Apriori example database. */
const TEXTBOOK = [
  [1, 3, 4],
  [2, 3, 5],
  [1, 2, 3, 5],
  [2, 5],
  [1, 2, 3, 5],
];

/**
 * Counted by hand at minCount 2 ({4} is in one basket only, so nothing with 4 survives):
 * items 1: T1 T3 T5; 2: T2 T3 T4 T5; 3: T1 T2 T3 T5; 5: T2 T3 T4 T5;
 * pairs {1,2}: T3 T5; {1,3}: T1 T3 T5; {1,5}: T3 T5; {2,3}: T2 T3 T5; {2,5}: T2 T3 T4 T5; {3,5}: T2 T3 T5;
 * triples {1,2,3}, {1,2,5}, {1,3,5}: T3 T5; {2,3,5}: T2 T3 T5; and {1,2,3,5}: T3 T5.
 */
const TEXTBOOK_MIN2 = [
  '1:3',
  '2:4',
  '3:4',
  '5:4',
  '1,2:2',
  '1,3:3',
  '1,5:2',
  '2,3:3',
  '2,5:4',
  '3,5:3',
  '1,2,3:2',
  '1,2,5:2',
  '1,3,5:2',
  '2,3,5:3',
  '1,2,3,5:2',
].sort();

describe.each(MINERS)('%s (shared miner conformance suite)', (_name, miner) => {
  it('matches the Agrawal & Srikant (1994) / Han & Kamber textbook example at minCount 2 (counted by hand)', () => {
    const b = toBaskets(TEXTBOOK);
    const mined = miner(b, 2, 10);
    expectWellFormed(mined, 2, 10);
    expect(canonical(mined)).toEqual(TEXTBOOK_MIN2);
    expect(canonical(miner(b, 2, 2))).toEqual(TEXTBOOK_MIN2.filter((r) => r.split(':')[0].split(',').length <= 2));
    // at minCount 3: {1}, {2}, {3}, {5}, {1,3}, {2,3}, {2,5}, {3,5}, {2,3,5}
    expect(canonical(miner(b, 3, 10))).toEqual(
      ['1:3', '2:4', '3:4', '5:4', '1,3:3', '2,3:3', '2,5:4', '3,5:3', '2,3,5:3'].sort(),
    );
  });

  it('equals the brute-force subset count on random sparse baskets (property, exact)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 30 }),
        fc.array(fc.uniqueArray(fc.nat(29), { maxLength: 9 }), { minLength: 20, maxLength: 200 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (width, raw, minCount, maxLength) => {
          const lists = raw.map((l) => l.map((c) => c % width));
          const mined = miner(toBaskets(lists, width), minCount, maxLength);
          expectWellFormed(mined, minCount, maxLength);
          expect(canonical(mined)).toEqual(bruteForce(lists, minCount, maxLength));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('equals the brute-force subset count on random dense baskets, deep itemsets (property, exact)', () => {
    // dense data: long common itemsets, classes whose members keep most of the parent's baskets (diffsets in Eclat)
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 11 }),
        fc.integer({ min: 5, max: 9 }),
        fc.array(fc.array(fc.nat(9), { minLength: 11, maxLength: 11 }), { minLength: 10, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(3, 6, 11, Infinity),
        (width, density, draws, minCount, maxLength) => {
          const lists = draws.map((d) => d.slice(0, width).flatMap((v, c) => (v < density ? [c] : [])));
          const mined = miner(toBaskets(lists, width), minCount, maxLength);
          expectWellFormed(mined, minCount, maxLength);
          expect(canonical(mined)).toEqual(bruteForce(lists, minCount, maxLength));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('returns a zero-row result for no baskets', () => {
    const mined = miner(toBaskets([]), 1, 5);
    expect(Array.from(mined.offsets)).toEqual([0]);
    expect(mined.codes.length).toBe(0);
    expect(mined.counts.length).toBe(0);
  });

  it('counts empty baskets as baskets that contain nothing', () => {
    const b = toBaskets([[], [0, 1], [], [0, 1], [1], []]);
    expect(b.count).toBe(6);
    expect(canonical(miner(b, 2, 5))).toEqual(['0,1:2', '0:2', '1:3']);
    expect(canonical(miner(toBaskets([[], [], []], 4), 1, 5))).toEqual([]);
  });

  it('returns a zero-row result when minCount is above every count', () => {
    const mined = miner(toBaskets(TEXTBOOK), 6, 10);
    expectWellFormed(mined, 6, 10);
    expect(Array.from(mined.offsets)).toEqual([0]);
    expect(mined.counts.length).toBe(0);
  });

  it('returns only single items at maxLength 1', () => {
    expect(canonical(miner(toBaskets(TEXTBOOK), 2, 1))).toEqual(['1:3', '2:4', '3:4', '5:4'].sort());
    expect(canonical(miner(toBaskets(TEXTBOOK), 1, 1))).toEqual(['1:3', '2:4', '3:4', '4:1', '5:4'].sort());
  });

  it('finds every subset of a basket that holds all items (2^n − 1 itemsets, or Σ C(n, k) up to maxLength)', () => {
    const all = [0, 1, 2, 3, 4, 5, 6, 7];
    const b = toBaskets([all, [0, 2], all, [7]]);
    const full = miner(b, 2, 8);
    expectWellFormed(full, 2, 8);
    expect(full.counts.length).toBe(255);
    expect(canonical(full)).toEqual(bruteForce([all, [0, 2], all, [7]], 2, 8));
    const upTo3 = miner(b, 2, 3);
    expect(upTo3.counts.length).toBe(8 + 28 + 56);
    // only the single basket: every subset once at minCount 1
    expect(miner(toBaskets([all]), 1, 8).counts.length).toBe(255);
    expect(miner(toBaskets([all]), 2, 8).counts.length).toBe(0);
  });

  it('emits each itemset once and leaves the input unchanged', () => {
    const b = toBaskets([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1],
      [1, 2],
      [0, 2, 3],
    ]);
    const before = [Array.from(b.offsets), Array.from(b.items)];
    const rows = canonical(miner(b, 1, 4)).map((r) => r.split(':')[0]);
    expect(new Set(rows).size).toBe(rows.length);
    expect([Array.from(b.offsets), Array.from(b.items)]).toEqual(before);
  });
});

describe('miners agree with each other', () => {
  it('give identical itemsets on larger random baskets (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.nat(39), { maxLength: 15 }), { minLength: 50, maxLength: 400 }),
        fc.integer({ min: 2, max: 10 }),
        (lists, minCount) => {
          const b = toBaskets(lists, 40);
          const reference = canonical(apriori(b, minCount, 40));
          for (const [, miner] of MINERS) expect(canonical(miner(b, minCount, 40))).toEqual(reference);
        },
      ),
      { numRuns: 30 },
    );
  });
});
