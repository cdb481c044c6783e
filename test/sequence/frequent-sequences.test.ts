import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerSequences, frequentSequences, sequencesFromLists } from '../../src/index';
import { isClienteleError } from '../../src/table/errors';
import { bruteCount, patternKey, subsets } from './brute-force';
import type { BruteConstraints, BruteSequence } from './brute-force';

/** The table's patterns as key → count. */
function found(table: ReturnType<typeof frequentSequences>): Map<string, number> {
  const out = new Map<string, number>();
  const sequence = table.getChild('sequence');
  const count = table.getChild('count');
  for (let r = 0; r < table.numRows; r++) {
    const elements = [...(sequence?.get(r) ?? [])].map((e) => [...(e as Iterable<string>)]);
    out.set(patternKey(elements), Number(count?.get(r)));
  }
  return out;
}

// Zaki (2001), "SPADE", Machine Learning 42, figure 1: the example database (customer, time, items) and its
// frequent sequences at minimum support 2 of 4 customers, with their supports (figure 1, right).
const ZAKI = [
  [1, 10, 'CD'],
  [1, 15, 'ABC'],
  [1, 20, 'ABF'],
  [1, 25, 'ACDF'],
  [2, 15, 'ABF'],
  [2, 20, 'E'],
  [3, 10, 'ABF'],
  [4, 10, 'DGH'],
  [4, 20, 'BF'],
  [4, 25, 'AGH'],
] as const;
const ZAKI_FREQUENT: Record<string, number> = {
  A: 4,
  B: 4,
  D: 2,
  F: 4,
  'A,B': 3,
  'A,F': 3,
  'B | A': 2,
  'B,F': 4,
  'D | A': 2,
  'D | B': 2,
  'D | F': 2,
  'F | A': 2,
  'A,B,F': 3,
  'B,F | A': 2,
  'D | B,F': 2,
  'D | B | A': 2,
  'D | F | A': 2,
  'D | B,F | A': 2,
};

function zakiTable() {
  const rows = ZAKI.flatMap(([customer, day, items]) => [...items].map((item) => ({ customer, day, item })));
  return {
    customer: rows.map((r) => r.customer),
    day: rows.map((r) => r.day),
    item: rows.map((r) => r.item),
  };
}

describe('frequentSequences', () => {
  it('reproduces the frequent sequences of Zaki (2001), figure 1, at minimum support 2 of 4', () => {
    const patterns = frequentSequences(customerSequences(zakiTable(), { date: 'day' }), { minCount: 2 });
    expect(Object.fromEntries(found(patterns))).toEqual(ZAKI_FREQUENT);
    expect(patterns.schema.metadata.get('clientele.kind')).toBe('frequentSequences');
    expect(patterns.schema.metadata.get('clientele.sequences')).toBe('4');
    // length = elements, size = items, support = count / 4
    const last = patterns.numRows - 1;
    expect([patterns.getChild('length')?.get(last), patterns.getChild('size')?.get(last)]).toEqual([3, 4]);
    expect(patterns.getChild('support')?.get(last)).toBe(0.5);
  });

  it('counts every pattern as a brute-force search does, and misses none (random data, gap and window constraints)', () => {
    const items = ['a', 'b', 'c'];
    const candidates = subsets(items, 2);
    const all: string[][][] = [];
    for (const x of candidates) {
      all.push([x]);
      for (const y of candidates) {
        all.push([x, y]);
        for (const z of candidates) all.push([x, y, z]);
      }
    }
    const event = fc.record({ step: fc.integer({ min: 1, max: 4 }), items: fc.subarray(items, { minLength: 1 }) });
    fc.assert(
      fc.property(
        fc.array(fc.array(event, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        fc.option(fc.integer({ min: 3, max: 5 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (raw, minCount, minGap, maxGap, maxWindow) => {
          const c: BruteConstraints = { minGap, maxGap, maxWindow };
          const brute: BruteSequence[] = raw.map((events) => {
            let time = 0;
            return events.map((e) => ({ time: (time += e.step), items: new Set(e.items) }));
          });
          // a table in reverse row order, so the rows must be sorted by customer and time
          const rows = brute.flatMap((events, s) =>
            events.flatMap((e) => [...e.items].map((item) => [s, e.time, item] as const)),
          );
          rows.reverse();
          const tx = { customer: rows.map((r) => r[0]), day: rows.map((r) => r[1]), item: rows.map((r) => r[2]) };
          const patterns = frequentSequences(customerSequences(tx, { date: 'day' }), {
            minCount,
            maxLength: 3,
            maxSize: 2,
            ...(minGap !== undefined ? { minGap } : {}),
            ...(maxGap !== undefined ? { maxGap } : {}),
            ...(maxWindow !== undefined ? { maxWindow } : {}),
          });
          const expected = new Map<string, number>();
          for (const p of all) {
            const n = bruteCount(brute, p, c);
            if (n >= minCount) expected.set(patternKey(p), n);
          }
          expect(found(patterns)).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('takes lists, counts each customer once however often a pattern recurs, and orders rows by length, size, count, names', () => {
    const patterns = frequentSequences(
      [
        [['a'], ['b'], ['a'], ['b']],
        [['b', 'a'], ['c']],
      ],
      { minSupport: 1 },
    );
    expect(patterns.getChild('text')?.toArray()).toEqual(['<{a}>', '<{b}>']);
    expect(Array.from(patterns.getChild('count')?.toArray() ?? [])).toEqual([2, 2]);
    const lower = frequentSequences(
      [
        [['a'], ['b'], ['a'], ['b']],
        [['b', 'a'], ['c']],
      ],
      { minSupport: 0.5 },
    );
    expect(lower.getChild('text')?.toArray()).toEqual([
      '<{a}>',
      '<{b}>',
      '<{c}>',
      '<{a,b}>',
      '<{a},{a}>',
      '<{a},{b}>',
      '<{a},{c}>',
      '<{b},{a}>',
      '<{b},{b}>',
      '<{b},{c}>',
      '<{a,b},{c}>',
      '<{a},{a},{b}>',
      '<{a},{b},{a}>',
      '<{a},{b},{b}>',
      '<{b},{a},{b}>',
      '<{a},{b},{a},{b}>',
    ]);
  });

  it('returns a zero-row table with every column and a warning when nothing is frequent', () => {
    const none = frequentSequences([[['a']], [['b']]], { minCount: 2 });
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual(['sequence', 'text', 'count', 'support', 'length', 'size']);
    expect(JSON.parse(none.schema.metadata.get('clientele.warnings') ?? '[]')).toHaveLength(1);
  });

  it('refuses bad options and input with their codes, and stops at maxSequences with LIMIT_EXCEEDED', () => {
    const lists = [
      [
        ['a', 'b', 'c'],
        ['a', 'b', 'c'],
      ],
    ];
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isClienteleError(e) ? e.code : 'not a ClienteleError';
      }
      return 'no error';
    };
    expect(code(() => frequentSequences(lists, {}))).toBe('INVALID_OPTION');
    expect(code(() => frequentSequences(lists, { minSupport: 0 }))).toBe('INVALID_OPTION');
    expect(code(() => frequentSequences(lists, { minCount: 1, maxGap: -1 }))).toBe('INVALID_OPTION');
    expect(code(() => frequentSequences(lists, { minCount: 1, minGap: 3, maxGap: 2 }))).toBe('INVALID_OPTION');
    expect(code(() => frequentSequences(lists, { minCount: 1, maxLength: 0 }))).toBe('INVALID_OPTION');
    expect(code(() => frequentSequences('abc' as never, { minCount: 1 }))).toBe('INVALID_INPUT');
    expect(code(() => frequentSequences(lists, { minCount: 1, maxSequences: 10 }))).toBe('LIMIT_EXCEEDED');
    // 7 itemsets of a, b, c in one element; 7 × 7 of two elements
    expect(frequentSequences(lists, { minCount: 1 }).numRows).toBe(7 + 49);
    expect(frequentSequences(sequencesFromLists(lists), { minCount: 1, maxSize: 1 }).numRows).toBe(3 + 9);
  });
});
