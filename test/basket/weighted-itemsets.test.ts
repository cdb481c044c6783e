import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associationRules, baskets, basketLists, frequentItemsets } from '../../src/api/basket';
import { frequentItemsetsInSql } from '../../src/sql/index';
import { asTable } from '../../src/table/internal';
import type { SqlConnection } from '../../src/sql/index';
import { expectCode, rejectsWith } from '../helpers/errors';

const SEP = '\u0001';
const key = (names: readonly string[]): string => [...names].sort().join(SEP);

/** The itemset table as key → [count, support], and the keys in row order. */
function rowsOf(sets: Table): { map: Map<string, [number, number]>; order: string[] } {
  const items = sets.getChild('items')!;
  const count = sets.getChild('count')!.toArray() as Int32Array;
  const support = sets.getChild('support')!.toArray() as Float64Array;
  const map = new Map<string, [number, number]>();
  const order: string[] = [];
  for (let i = 0; i < sets.numRows; i++) {
    const k = key([...items.get(i)!] as string[]);
    map.set(k, [count[i], support[i]]);
    order.push(k);
  }
  return { map, order };
}

/**
 * Independent brute force: every non-empty subset of the items that occur, its weight Σ w_b over the baskets holding
 * it (ascending basket order) and its count; frequent when weight ≥ minSupport · Σ w_b (arules weclat's rule).
 */
function bruteForce(lists: string[][], weights: number[], minSupport: number): Map<string, [number, number]> {
  const universe = [...new Set(lists.flat())].sort();
  let total = 0;
  for (const w of weights) total += w;
  const out = new Map<string, [number, number]>();
  for (let mask = 1; mask < 1 << universe.length; mask++) {
    const set = universe.filter((_, j) => (mask >>> j) & 1);
    let weight = 0;
    let count = 0;
    lists.forEach((list, b) => {
      if (set.every((x) => list.includes(x))) {
        weight += weights[b];
        count++;
      }
    });
    if (count > 0 && weight >= minSupport * total) out.set(key(set), [count, weight / total]);
  }
  return out;
}

describe('frequentItemsets with weights (weighted support, arules weclat)', () => {
  // arules 1.7-10, help page of weclat, "Example 2: Find association rules in weighted data"
  const EXAMPLE = [
    ['A', 'B', 'C', 'D', 'E'],
    ['C', 'F', 'G'],
    ['A', 'B'],
    ['A'],
    ['C', 'F', 'G', 'H'],
    ['A', 'G', 'H'],
  ];
  const EXAMPLE_WEIGHTS = [5, 10, 6, 7, 5, 1];

  it("reproduces the weclat help page's Example 2 of arules 1.7-10 (itemsets at support 0.3, rules at confidence 0.5)", () => {
    // inspect(sort(s)) and inspect(ruleInduction(s, confidence = .5)) as arules prints them (7 significant digits)
    const printedItemsets: [string[], number][] = [
      [['C'], 0.5882353],
      [['A'], 0.5588235],
      [['G'], 0.4705882],
      [['F'], 0.4411765],
      [['F', 'G'], 0.4411765],
      [['C', 'F', 'G'], 0.4411765],
      [['C', 'F'], 0.4411765],
      [['C', 'G'], 0.4411765],
      [['B'], 0.3235294],
      [['A', 'B'], 0.3235294],
    ];
    const printedRules: [string[], string, number, number, number][] = [
      [['B'], 'A', 0.3235294, 1, 1.789474],
      [['A'], 'B', 0.3235294, 0.5789474, 1.789474],
      [['G'], 'F', 0.4411765, 0.9375, 2.125],
      [['F'], 'G', 0.4411765, 1, 2.125],
      [['F', 'G'], 'C', 0.4411765, 1, 1.7],
      [['C', 'G'], 'F', 0.4411765, 1, 2.266667],
      [['C', 'F'], 'G', 0.4411765, 1, 2.125],
      [['F'], 'C', 0.4411765, 1, 1.7],
      [['C'], 'F', 0.4411765, 0.75, 1.7],
      [['G'], 'C', 0.4411765, 0.9375, 1.59375],
      [['C'], 'G', 0.4411765, 0.75, 1.59375],
    ];
    const sets = frequentItemsets(EXAMPLE, { minSupport: 0.3, weights: EXAMPLE_WEIGHTS });
    const { map } = rowsOf(sets);
    expect(map.size).toBe(printedItemsets.length);
    for (const [items, support] of printedItemsets) expect(map.get(key(items))![1]).toBeCloseTo(support, 7);
    expect(sets.schema.metadata.get('clientele.weightTotal')).toBe('34');
    const rules = associationRules(sets, { minConfidence: 0.5 });
    expect(rules.numRows).toBe(printedRules.length);
    const found = new Map<string, number>();
    for (let i = 0; i < rules.numRows; i++) {
      const r = rules.get(i)!;
      found.set(`${key([...r.antecedent] as string[])}=>${[...r.consequent].join()}`, i);
    }
    for (const [lhs, rhs, support, confidence, lift] of printedRules) {
      const row = rules.get(found.get(`${key(lhs)}=>${rhs}`)!)!;
      expect(row.support).toBeCloseTo(support, 7);
      expect(row.confidence).toBeCloseTo(confidence, 7);
      expect(row.lift / lift).toBeCloseTo(1, 6);
    }
    // count (a number of baskets) has no weighted meaning: not a column, refused when asked for
    expect(rules.schema.fields.map((f) => f.name)).not.toContain('count');
    expectCode(() => associationRules(sets, { measures: ['lift', 'count'] }), 'INVALID_OPTION', 'need basket counts');
  });

  it('equals a brute-force weighted count over every subset on random baskets and weights (fast-check)', () => {
    const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const weight = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 9 }),
      fc.double({ min: 0, max: 50, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uniqueArray(item, { maxLength: 5 }), weight), { minLength: 1, maxLength: 25 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (rows, minSupport) => {
          const lists = rows.map((r) => r[0]);
          const weights = rows.map((r) => r[1]);
          fc.pre(weights.some((w) => w > 0));
          const expected = bruteForce(lists, weights, minSupport);
          const { map } = rowsOf(frequentItemsets(lists, { minSupport, weights }));
          expect(new Set(map.keys())).toEqual(new Set(expected.keys()));
          for (const [k, [count, support]] of expected) {
            expect(map.get(k)![0]).toBe(count);
            expect(Math.abs(map.get(k)![1] - support)).toBeLessThanOrEqual(1e-12 * support);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('with all weights 1 gives the unweighted itemsets, row for row, and the same rules', () => {
    const lists = EXAMPLE.concat([['A', 'C'], ['C', 'G'], []]);
    const plain = frequentItemsets(lists, { minSupport: 0.2 });
    const weighted = frequentItemsets(lists, { minSupport: 0.2, weights: lists.map(() => 1) });
    expect(rowsOf(weighted).order).toEqual(rowsOf(plain).order);
    for (const column of ['count', 'support', 'length'] as const) {
      expect(weighted.getChild(column)!.toArray()).toEqual(plain.getChild(column)!.toArray());
    }
    const a = associationRules(plain, { minConfidence: 0.3 });
    const b = associationRules(weighted, { minConfidence: 0.3 });
    expect(b.numRows).toBe(a.numRows);
    for (const m of ['support', 'confidence', 'lift', 'leverage'] as const) {
      const x = a.getChild(m)!.toArray() as Float64Array;
      const y = b.getChild(m)!.toArray() as Float64Array;
      x.forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThanOrEqual(1e-12 * Math.abs(v)));
    }
    // measures: 'all' on weighted itemsets gives every measure that is a function of the supports alone, equal to
    // the unweighted rules' (the count-based ones — count, χ², Fisher's p, hyper-lift, Laplace — are left out)
    const every: Table = associationRules(weighted, { minConfidence: 0.3, measures: 'all' });
    const plainEvery: Table = associationRules(plain, { minConfidence: 0.3, measures: 'all' });
    const names = every.schema.fields.map((f) => f.name).filter((n) => n !== 'antecedent' && n !== 'consequent');
    for (const absent of ['count', 'chiSquared', 'fisherP', 'hyperLift', 'hyperConfidence', 'laplace'])
      expect(names).not.toContain(absent);
    expect(names).toEqual(expect.arrayContaining(['jaccard', 'cosine', 'kulczynski', 'oddsRatio', 'improvement']));
    for (const m of names) {
      const x = plainEvery.getChild(m)!.toArray() as Float64Array;
      const y = every.getChild(m)!.toArray() as Float64Array;
      x.forEach((v, i) => {
        if (Number.isFinite(v)) expect(Math.abs(y[i] - v), m).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
        else expect(y[i], m).toBe(v);
      });
    }
  });

  it('with whole-number weights equals the unweighted supports of the baskets repeated that many times', () => {
    const repeated = EXAMPLE.flatMap((list, b) => Array.from({ length: EXAMPLE_WEIGHTS[b] }, () => list));
    const weighted = rowsOf(frequentItemsets(EXAMPLE, { minSupport: 0.1, weights: EXAMPLE_WEIGHTS })).map;
    const expanded = rowsOf(frequentItemsets(repeated, { minSupport: 0.1 })).map;
    expect(new Set(weighted.keys())).toEqual(new Set(expanded.keys()));
    for (const [k, [, support]] of expanded) expect(weighted.get(k)![1]).toBe(support);
  });

  it('honours maxLength and maxItemsets (LIMIT_EXCEEDED), and leaves the weights given unchanged', () => {
    const weights = Object.freeze([...EXAMPLE_WEIGHTS]);
    const short = frequentItemsets(EXAMPLE, { minSupport: 0.3, weights, maxLength: 2 });
    expect(Math.max(...(short.getChild('length')!.toArray() as Int32Array))).toBe(2);
    expect(short.numRows).toBe(9);
    expectCode(
      () => frequentItemsets(EXAMPLE, { minSupport: 0.3, weights, maxItemsets: 5 }),
      'LIMIT_EXCEEDED',
      'maxItemsets = 5',
    );
    expect(weights).toEqual(EXAMPLE_WEIGHTS);
  });

  it('refuses weights that are not one finite number ≥ 0 per basket, all-zero weights and options without a weighted meaning', () => {
    const bad = (options: object, pattern: string) =>
      expectCode(() => frequentItemsets(EXAMPLE, { minSupport: 0.3, ...options }), 'INVALID_OPTION', pattern);
    bad({ weights: [5, 10, 6, 7, 5] }, 'holds 5 numbers for 6 baskets');
    bad({ weights: [5, 10, -6, 7, 5, 1] }, 'basket 2 is -6');
    bad({ weights: [5, 10, NaN, 7, 5, 1] }, 'basket 2 is NaN');
    bad({ weights: [5, 10, Infinity, 7, 5, 1] }, 'basket 2 is Infinity');
    bad({ weights: 'abc' }, 'array of one number per basket');
    bad({ weights: [0, 0, 0, 0, 0, 0] }, 'every basket weighing 0');
    bad({ weights: EXAMPLE_WEIGHTS, minCount: 2 }, 'option minCount does not apply with weights');
    bad({ weights: EXAMPLE_WEIGHTS, algorithm: 'fpgrowth' }, 'weighted Eclat');
    bad({ weights: EXAMPLE_WEIGHTS, target: 'closed' }, 'option target does not apply');
    expectCode(
      () => frequentItemsets(EXAMPLE, { weights: EXAMPLE_WEIGHTS }),
      'INVALID_OPTION',
      'option minSupport is required with weights',
    );
  });

  it('refuses weights on worker threads, on a stream of batches and in SQL rather than ignoring them', async () => {
    expectCode(
      () => frequentItemsets(EXAMPLE, { minSupport: 0.3, weights: EXAMPLE_WEIGHTS, parallel: 2 }),
      'INVALID_OPTION',
      'calling thread only',
    );
    const log = { transaction: [1, 1, 2], item: ['a', 'b', 'a'], amount: [1, 2, 3] };
    async function* batches() {
      yield* asTable(log).batches;
    }
    await rejectsWith(
      () => baskets(batches(), { weights: { column: 'amount' } }),
      'INVALID_OPTION',
      'not available on a stream',
    );
    await rejectsWith(
      () => frequentItemsetsInSql({} as SqlConnection, { table: 't', minSupport: 0.5, weights: [1] } as never),
      'INVALID_OPTION',
      'unknown option weights',
    );
  });
});

describe('baskets with weights from a column', () => {
  const tx = {
    transaction: ['t1', 't1', 't1', 't2', 't2', 't3', 't3', 't4'],
    item: ['milk', 'bread', 'milk', 'beer', 'chips', 'beer', null, 'milk'],
    amount: [2, 3, 2.5, 4, null, -1, 9, Number.NaN],
  };

  it('sums, averages or takes the largest weight per basket; drops and counts rows with an invalid or negative weight', () => {
    const sum = baskets(tx, { weights: { column: 'amount' } });
    // t1: 2 + 3 + 2.5; t2: chips has a null amount (dropped); t3: beer −1 (dropped), null item (nullKey); t4: NaN
    expect(Array.from(sum.weights!)).toEqual([7.5, 4, 0, 0]);
    expect(basketLists(sum)).toEqual([['milk', 'bread'], ['beer'], [], []]);
    expect(sum.rows!.dropped).toEqual({ invalidWeight: 2, negativeAmount: 1, nullKey: 1 });
    expect(sum.rows!.kept).toBe(4);
    expect(Array.from(baskets(tx, { weights: { column: 'amount', aggregate: 'mean' } }).weights!)).toEqual([
      2.5, 4, 0, 0,
    ]);
    expect(Array.from(baskets(tx, { weights: { column: 'amount', aggregate: 'max' } }).weights!)).toEqual([3, 4, 0, 0]);
    expect(baskets(tx).weights).toBeUndefined();
  });

  it('refuses a malformed weights option and a missing column', () => {
    expectCode(() => baskets(tx, { weights: 'amount' as never }), 'INVALID_OPTION', '{ column, aggregate? }');
    expectCode(
      () => baskets(tx, { weights: { column: 'amount', aggregate: 'median' as never } }),
      'INVALID_OPTION',
      'weights.aggregate must be one of sum, mean, max',
    );
    expectCode(() => baskets(tx, { weights: { column: 'price' } }), 'MISSING_COLUMN', 'price');
  });
});
