/**
 * Frequent itemsets and association rules on public basket data (datasets/ (gzipped in the repository)), against an independent count
 * and against the figures R `arules` publishes for its `Groceries` data.
 *
 * Data, read by the loader below (no clientele code):
 * - `groceries.csv`: one basket a line, items comma-separated, kept as written (the item `cream cheese ` ends with a
 *   space; arules 1.7's `read.transactions` trims it, which changes no count here); 9,835 baskets, 169 items;
 * - `retail.dat` (88,162 baskets) and `T10I4D100K.dat` (100,000): item ids separated by spaces (lines end with one);
 *   an item repeated within a line counts once.
 *
 * Threshold (as arules, see the `arules convention` block): an itemset is frequent when its count ≥ minSupport × n,
 * i.e. count ≥ ⌈minSupport × n⌉. The test computes that count in integer arithmetic from the support written as a
 * fraction (1/100, 1/200, 1/1000), so no floating-point product decides it, and checks clientele's
 * `clientele.minCount` metadata against it.
 *
 * 1. Itemsets (maxLength unlimited), every algorithm (`fpgrowth`, `eclat`, `apriori`):
 *    - groceries at 0.01, 0.005 and 0.001, retail at 0.01, T10I4D100K at 0.01: the full list (items sorted, count)
 *      equals the one of `referenceItemsets`, a level-wise miner written here with `Map<string, number>`: at level
 *      k it enumerates the k-subsets of every basket (restricted to frequent items) whose every prefix is frequent,
 *      counts them by key and keeps those reaching the threshold — slow but plainly correct (a frequent set has
 *      frequent prefixes, so none is missed);
 *    - retail at 0.005 and T10I4D100K at 0.005: every returned itemset's count equals a direct count over a bitset
 *      per item (AND, popcount); the three algorithms return the same number of itemsets, indeed the same lists;
 *      and the result is complete: every single item that reaches the threshold is there, and every candidate
 *      built from the result as Apriori builds them (two k-sets sharing their first k − 1 items, all k-subsets
 *      returned) that reaches the threshold is returned — by induction on size, a missing frequent itemset would
 *      have shown up as such a candidate.
 *    The whole file runs in about 9 s on 2 cores (the reference miner takes ~2.6 s of it; on retail and T10I4D100K
 *    at 0.005 it would add ~4 s, hence the scan there). Itemsets found: groceries 333 / 1,001 / 13,492, retail 159 /
 *    580, T10I4D100K 385 / 1,073.
 * 2. Rules: `associationRules(frequentItemsets(groceries, { minSupport: 0.001 }), { minConfidence: 0.8 })` against
 *    `apriori(Groceries, parameter = list(supp = 0.001, conf = 0.8))` (arules defaults minlen = 1, maxlen = 10; the
 *    longest itemset here has 6 items, so maxlen does not bind):
 *    - "set of 410 rules", rule lengths (lhs + rhs) 3: 29, 4: 229, 5: 140, 6: 12, and the first rule by lift
 *      {liquor, red/blush wine} => {bottled beer}, support 0.0019, confidence 0.90, lift 11.2 (printed with
 *      `options(digits = 2)`) — S. Marafi, "Market Basket Analysis with R" (salemmarafi.com, 2013), reproduced e.g.
 *      at https://blog.csdn.net/qq_41228463/article/details/85325723; the same call is the example of Hahsler's
 *      arulesViz `plot()` help (https://rdrr.io/cran/arulesViz/man/plot_arulesViz.html), whose rendered output
 *      prints "set of 410 rules";
 *    - `inspect(head(sort(rules, by = "lift"), 3))` at full precision: 0.001931876 / 0.9047619 / 11.23527, then two
 *      rules tied at lift 8.34040, support 0.001016777, confidence 0.9090909, with {citrus fruit, other vegetables,
 *      soda, fruit/vegetable juice} and {tropical fruit, other vegetables, whole milk, yogurt, oil} => {root
 *      vegetables} — printed in many public arules notebooks (e.g. a Polish arules tutorial; the csdn page above
 *      prints the same rules by lift: 11.235269, 8.340400, 8.340400); tolerances are half a unit of the last
 *      printed digit;
 *    - none of the 410 has an empty antecedent: arules (minlen = 1) would print {} => {x} only for an item with
 *      support ≥ 0.8, and the most frequent item, whole milk, has 0.2555;
 *    - support, confidence and lift of each of the 410 rules against the bitset counts (1e-12 relative).
 *    And Hahsler's arulesViz vignette ("Visualizing Association Rules", section 2): `apriori(Groceries,
 *    parameter = list(support = 0.001, confidence = 0.5))` gives "set of 5668 rules", whose top three by lift are
 *    {Instant food products, soda} => {hamburger meat} (0.001220132, 0.6315789, 18.99565), {soda, popcorn} =>
 *    {salty snack} (0.001220132, 0.6315789, 16.69779), {flour, baking powder} => {sugar} (0.001016777, 0.5555556,
 *    16.40807) — reproduced at https://blog.csdn.net/jiabiao1602/article/details/45465613.
 *
 * The arules convention. arules' C code (Borgelt's apriori 4.21 in `src/rapriori.c` and `src/istree.c` of
 * mhahsler/arules) keeps an item or itemset when count ≥ ⌈n × supp⌉ (`ist_addlvl`: `s_sub = (int)ceil(ist->tacnt
 * * ist->supp)`; item recoding: `k = (int)ceil(tacnt * supp)`); for integer counts that is the same as count ≥
 * n × supp. The "Absolute minimum support count: 9" that `apriori` prints for supp = 0.001 is only R's message
 * (`as.integer(supp * n)`, truncated): the threshold used is 10. This test matches ⌈supp × n⌉ = 10, and shows it is
 * the one that reproduces arules: at 10 there are 157 frequent items (arules: "sorting and recoding items ... [157
 * item(s)]") and 12,949 frequent itemsets of 2 to 4 items (arules, `target = "frequent", minlen = 2, maxlen = 4`,
 * same tutorial); the truncated count 9 would give 158 items, 16,188 itemsets and 712 rules, not 410.
 */
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { associationRules } from '../../src/basket/association-rules';
import { basketLists, basketsFromLists, basketsOfTable } from '../../src/basket/baskets';
import { readTable } from '../../src/io/index';
import { frequentItemsets } from '../../src/api/basket';
import { dataset } from '../helpers/datasets';

const GROCERIES = dataset('groceries.csv');
const RETAIL = dataset('retail.dat');
const T10 = dataset('T10I4D100K.dat');

const ALGORITHMS = ['fpgrowth', 'eclat', 'apriori'] as const;

/** A support written as a fraction 1/den, so that the count threshold is computed exactly. */
interface Support {
  label: string;
  value: number;
  den: number;
}
const S_01: Support = { label: '0.01', value: 0.01, den: 100 };
const S_005: Support = { label: '0.005', value: 0.005, den: 200 };
const S_001: Support = { label: '0.001', value: 0.001, den: 1000 };

/** ⌈n / den⌉ in integers: the smallest count c with c ≥ n × (1/den). */
const minCountOf = (n: number, s: Support): number => Math.floor((n + s.den - 1) / s.den);

// ---------------------------------------------------------------------------------------------------------------
// Loader and independent counts (no clientele code)

/** One basket per non-empty line, fields split on `separator`, empty fields dropped, repeats within a line dropped. */
function readBaskets(path: string, separator: string): string[][] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .replace(/\r$/, '')
        .split(separator)
        .filter((field) => field.length > 0),
    ),
  ]);
}

const SEP = '\u0001';
/** Canonical text of an itemset and its count: names sorted (code-unit order), then the count. */
const canonicalKey = (names: readonly string[], count: number): string =>
  `${[...names].sort().join(SEP)}${SEP}#${count}`;

/** The itemset table of clientele as sorted canonical keys. */
function canonicalTable(table: Table): string[] {
  const items = table.getChild('items')!;
  const counts = table.getChild('count')!.toArray() as Int32Array;
  const out: string[] = [];
  for (let i = 0; i < table.numRows; i++) out.push(canonicalKey([...items.get(i)!] as string[], counts[i]));
  return out.sort();
}

/** The itemsets of a table as arrays of names (sorted) with their counts. */
function itemsetsOf(table: Table): { names: string[]; count: number }[] {
  const items = table.getChild('items')!;
  const counts = table.getChild('count')!.toArray() as Int32Array;
  return Array.from({ length: table.numRows }, (_, i) => ({
    names: ([...items.get(i)!] as string[]).sort(),
    count: counts[i],
  }));
}

/**
 * Every itemset with count ≥ minCount, level by level: level 1 from a Map of item counts; level k enumerates the
 * k-subsets of each basket (frequent items only, in a fixed order) whose every prefix is a frequent set already
 * found, and counts them in a Map keyed by the joined item indices. Returns sorted canonical keys.
 */
function referenceItemsets(lists: readonly string[][], minCount: number): string[] {
  const single = new Map<string, number>();
  for (const basket of lists) for (const item of basket) single.set(item, (single.get(item) ?? 0) + 1);
  const items = [...single.keys()].filter((item) => single.get(item)! >= minCount).sort();
  const index = new Map(items.map((item, i) => [item, i]));
  const restricted = lists.map((basket) =>
    Int32Array.from(
      basket.filter((item) => index.has(item)),
      (item) => index.get(item)!,
    ).sort(),
  );
  const frequent = new Map<string, number>(); // joined indices → count, every level
  items.forEach((item, i) => frequent.set(String(i), single.get(item)!));
  const chosen: number[] = [];
  for (let k = 2, found = items.length; found > 0; k++) {
    const counts = new Map<string, number>();
    const extend = (basket: Int32Array, from: number): void => {
      if (chosen.length === k) {
        const key = chosen.join(',');
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return;
      }
      for (let t = from; t <= basket.length - (k - chosen.length); t++) {
        chosen.push(basket[t]);
        // a prefix shorter than k must itself be frequent, else no extension of it is
        if (chosen.length === k || frequent.has(chosen.join(','))) extend(basket, t + 1);
        chosen.pop();
      }
    };
    for (const basket of restricted) if (basket.length >= k) extend(basket, 0);
    found = 0;
    for (const [key, count] of counts) {
      if (count < minCount) continue;
      frequent.set(key, count);
      found++;
    }
  }
  const out: string[] = [];
  for (const [key, count] of frequent)
    out.push(
      canonicalKey(
        key.split(',').map((i) => items[Number(i)]),
        count,
      ),
    );
  return out.sort();
}

/** One bitset per item (bit b set when basket b holds the item), for direct counts. */
class BasketBits {
  readonly words: number;
  private readonly bits = new Map<string, Uint32Array>();
  private readonly scratch: Uint32Array;

  constructor(readonly lists: readonly string[][]) {
    this.words = Math.ceil(lists.length / 32);
    this.scratch = new Uint32Array(this.words);
    lists.forEach((basket, b) => {
      for (const item of basket) {
        let set = this.bits.get(item);
        if (!set) this.bits.set(item, (set = new Uint32Array(this.words)));
        set[b >>> 5] |= 1 << (b & 31);
      }
    });
  }

  get items(): string[] {
    return [...this.bits.keys()];
  }

  /** Number of baskets holding every item of `names` (n for the empty set). */
  count(names: readonly string[]): number {
    if (names.length === 0) return this.lists.length;
    const acc = this.scratch;
    acc.set(this.bits.get(names[0]) ?? new Uint32Array(this.words));
    for (let j = 1; j < names.length; j++) {
      const set = this.bits.get(names[j]);
      if (!set) return 0;
      for (let w = 0; w < this.words; w++) acc[w] &= set[w];
    }
    let total = 0;
    for (let w = 0; w < this.words; w++) {
      let v = acc[w] - ((acc[w] >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }
}

/**
 * Completeness of `sets` (names sorted) as the collection of all itemsets with count ≥ minCount: the frequent single
 * items are all there, and for each size k every Apriori candidate of size k + 1 built from the returned k-sets (two
 * sets with the same first k − 1 items; every k-subset returned) that reaches minCount is returned, and nothing else
 * of size k + 1 is. Returns the first discrepancy, or null.
 */
function completenessProblem(sets: readonly { names: string[] }[], bits: BasketBits, minCount: number): string | null {
  const byLength = new Map<number, string[][]>();
  for (const s of sets) {
    const list = byLength.get(s.names.length) ?? [];
    list.push(s.names);
    byLength.set(s.names.length, list);
  }
  const key = (names: readonly string[]) => names.join(SEP);
  const singles = bits.items.filter((item) => bits.count([item]) >= minCount).sort();
  const returnedSingles = (byLength.get(1) ?? []).map((s) => s[0]).sort();
  if (key(singles) !== key(returnedSingles))
    return `single items: expected ${singles.length}, returned ${returnedSingles.length}`;
  for (let k = 1; byLength.has(k); k++) {
    const level = byLength.get(k)!;
    const present = new Set(level.map(key));
    const groups = new Map<string, string[][]>();
    for (const s of level) {
      const prefix = key(s.slice(0, k - 1));
      const group = groups.get(prefix) ?? [];
      group.push(s);
      groups.set(prefix, group);
    }
    const expected: string[] = [];
    for (const group of groups.values()) {
      group.sort((a, b) => (a[k - 1] < b[k - 1] ? -1 : 1));
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          const candidate = [...group[i], group[j][k - 1]];
          let allSubsets = true;
          for (let drop = 0; drop < k - 1 && allSubsets; drop++)
            allSubsets = present.has(key(candidate.filter((_, t) => t !== drop)));
          if (allSubsets && bits.count(candidate) >= minCount) expected.push(key(candidate));
        }
      }
    }
    const returned = (byLength.get(k + 1) ?? []).map(key);
    expected.sort();
    returned.sort();
    if (key(expected) !== key(returned))
      return `itemsets of ${k + 1} items: ${expected.length} expected from the candidates, ${returned.length} returned`;
  }
  return null;
}

/** The first index where two sorted lists differ, as a message, or null when they are equal. */
function firstDifference(actual: readonly string[], expected: readonly string[]): string | null {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i])
      return `at ${i}: returned ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected[i])}`;
  }
  return actual.length === expected.length ? null : `returned ${actual.length} itemsets, expected ${expected.length}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Itemsets

interface Setting {
  name: string;
  path: string | null;
  separator: string;
  /** Compared with the reference miner. */
  reference: Support[];
  /** Checked by direct counts, completeness and agreement of the algorithms. */
  scanned: Support[];
  baskets: number;
}

const SETTINGS: Setting[] = [
  {
    name: 'groceries.csv',
    path: GROCERIES,
    separator: ',',
    reference: [S_01, S_005, S_001],
    scanned: [],
    baskets: 9835,
  },
  { name: 'retail.dat', path: RETAIL, separator: ' ', reference: [S_01], scanned: [S_005], baskets: 88_162 },
  { name: 'T10I4D100K.dat', path: T10, separator: ' ', reference: [S_01], scanned: [S_005], baskets: 100_000 },
];

for (const setting of SETTINGS) {
  describe(`frequentItemsets on ${setting.name} (public FIMI / arules data)`, () => {
    const lists = setting.path ? readBaskets(setting.path, setting.separator) : [];
    const baskets = setting.path ? basketsFromLists(lists) : null;

    it(`reads ${setting.baskets} baskets`, () => {
      expect(lists.length).toBe(setting.baskets);
      expect(baskets!.count).toBe(setting.baskets);
    });

    for (const support of setting.reference) {
      it(`equals an independent level-wise count at minSupport ${support.label}, every algorithm`, () => {
        const minCount = minCountOf(lists.length, support);
        const expected = referenceItemsets(lists, minCount);
        for (const algorithm of ALGORITHMS) {
          const table = frequentItemsets(baskets!, { minSupport: support.value, algorithm });
          expect(table.schema.metadata.get('clientele.minCount'), algorithm).toBe(String(minCount));
          expect(table.schema.metadata.get('clientele.baskets'), algorithm).toBe(String(lists.length));
          expect(firstDifference(canonicalTable(table), expected), `${algorithm} at ${support.label}`).toBeNull();
        }
      });
    }

    for (const support of setting.scanned) {
      it(`counts every itemset right and misses none at minSupport ${support.label}; the algorithms agree`, () => {
        const minCount = minCountOf(lists.length, support);
        const bits = new BasketBits(lists);
        const tables = ALGORITHMS.map((algorithm) =>
          frequentItemsets(baskets!, { minSupport: support.value, algorithm }),
        );
        const sets = itemsetsOf(tables[0]);
        for (const s of sets) {
          if (s.count !== bits.count(s.names) || s.count < minCount) {
            expect.fail(
              `{${s.names.join(', ')}}: count ${s.count}, direct count ${bits.count(s.names)}, minCount ${minCount}`,
            );
          }
        }
        expect(completenessProblem(sets, bits, minCount)).toBeNull();
        expect(tables.map((t) => t.numRows)).toEqual(ALGORITHMS.map(() => sets.length));
        const first = canonicalTable(tables[0]);
        for (let a = 1; a < ALGORITHMS.length; a++)
          expect(firstDifference(canonicalTable(tables[a]), first), ALGORITHMS[a]).toBeNull();
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Rules on Groceries

interface Rule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  count: number;
}

function rulesOf(table: Table): Rule[] {
  const column = (name: string) => table.getChild(name)!;
  const antecedent = column('antecedent');
  const consequent = column('consequent');
  const support = column('support');
  const confidence = column('confidence');
  const lift = column('lift');
  const count = column('count');
  return Array.from({ length: table.numRows }, (_, i) => ({
    antecedent: ([...antecedent.get(i)!] as string[]).sort(),
    consequent: ([...consequent.get(i)!] as string[]).sort(),
    support: Number(support.get(i)),
    confidence: Number(confidence.get(i)),
    lift: Number(lift.get(i)),
    count: Number(count.get(i)),
  }));
}

/** |actual − printed| ≤ half a unit of the last printed digit. */
function expectPrinted(actual: number, printed: number, halfUnit: number, what: string): void {
  expect(Math.abs(actual - printed), `${what}: ${actual} vs printed ${printed}`).toBeLessThanOrEqual(halfUnit);
}

describe('associationRules on Groceries matches R arules (Hahsler et al.)', () => {
  const lists = GROCERIES ? readBaskets(GROCERIES, ',') : [];
  const baskets = GROCERIES ? basketsFromLists(lists) : null;
  const n = lists.length;

  it('apriori(Groceries, supp = 0.001, conf = 0.8): 410 rules, lengths 29/229/140/12, top rule by lift (Marafi 2013)', () => {
    const itemsets = frequentItemsets(baskets!, { minSupport: 0.001 });
    expect(itemsets.schema.metadata.get('clientele.minCount')).toBe('10');
    const rules = rulesOf(associationRules(itemsets, { minConfidence: 0.8 }));
    expect(rules.length).toBe(410);
    const lengths = new Map<number, number>();
    for (const r of rules)
      lengths.set(
        r.antecedent.length + r.consequent.length,
        (lengths.get(r.antecedent.length + r.consequent.length) ?? 0) + 1,
      );
    expect(Object.fromEntries([...lengths].sort((a, b) => a[0] - b[0]))).toEqual({ 3: 29, 4: 229, 5: 140, 6: 12 });
    expect(rules.filter((r) => r.antecedent.length === 0)).toEqual([]);
    expect(rules.every((r) => r.consequent.length === 1)).toBe(true);

    const byLift = [...rules].sort((a, b) => b.lift - a.lift);
    const top = byLift[0];
    expect(top.antecedent).toEqual(['liquor', 'red/blush wine']);
    expect(top.consequent).toEqual(['bottled beer']);
    expect(top.count).toBe(19);
    // options(digits = 2): 0.0019 0.90 11.2
    expectPrinted(top.support, 0.0019, 0.00005, 'support');
    expectPrinted(top.confidence, 0.9, 0.005, 'confidence');
    expectPrinted(top.lift, 11.2, 0.05, 'lift');
    // full precision: 0.001931876 0.9047619 11.23527
    expectPrinted(top.support, 0.001931876, 5e-10, 'support');
    expectPrinted(top.confidence, 0.9047619, 5e-8, 'confidence');
    expectPrinted(top.lift, 11.23527, 5e-6, 'lift');
    // then two rules tied at lift 8.34040, support 0.001016777, confidence 0.9090909
    const next = byLift.slice(1, 3);
    expect(next.map((r) => r.antecedent.join(', ')).sort()).toEqual([
      'citrus fruit, fruit/vegetable juice, other vegetables, soda',
      'oil, other vegetables, tropical fruit, whole milk, yogurt',
    ]);
    for (const r of next) {
      expect(r.consequent).toEqual(['root vegetables']);
      expectPrinted(r.support, 0.001016777, 5e-10, 'support');
      expectPrinted(r.confidence, 0.9090909, 5e-8, 'confidence');
      expectPrinted(r.lift, 8.3404, 5e-6, 'lift');
    }
    expect(byLift[3].lift).toBeLessThan(8.3404 - 1e-3);
  });

  it('every one of the 410 rules has the support, confidence and lift of a direct count (1e-12 relative)', () => {
    const bits = new BasketBits(lists);
    const rules = rulesOf(associationRules(frequentItemsets(baskets!, { minSupport: 0.001 }), { minConfidence: 0.8 }));
    for (const r of rules) {
      const both = bits.count([...r.antecedent, ...r.consequent]);
      const body = bits.count(r.antecedent);
      const head = bits.count(r.consequent);
      expect(r.count).toBe(both);
      expect(r.support).toBeCloseTo(both / n, 14);
      expect(Math.abs(r.confidence / (both / body) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(r.lift / (both / body / (head / n)) - 1)).toBeLessThan(1e-12);
      expect(both / body).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('apriori(Groceries, support = 0.001, confidence = 0.5): 5668 rules, top three by lift (arulesViz vignette)', () => {
    const rules = rulesOf(associationRules(frequentItemsets(baskets!, { minSupport: 0.001 }), { minConfidence: 0.5 }));
    expect(rules.length).toBe(5668);
    const top = [...rules].sort((a, b) => b.lift - a.lift).slice(0, 3);
    const printed = [
      {
        antecedent: ['Instant food products', 'soda'],
        consequent: ['hamburger meat'],
        support: 0.001220132,
        confidence: 0.6315789,
        lift: 18.99565,
      },
      {
        antecedent: ['popcorn', 'soda'],
        consequent: ['salty snack'],
        support: 0.001220132,
        confidence: 0.6315789,
        lift: 16.69779,
      },
      {
        antecedent: ['baking powder', 'flour'],
        consequent: ['sugar'],
        support: 0.001016777,
        confidence: 0.5555556,
        lift: 16.40807,
      },
    ];
    top.forEach((r, i) => {
      expect(r.antecedent).toEqual(printed[i].antecedent);
      expect(r.consequent).toEqual(printed[i].consequent);
      expectPrinted(r.support, printed[i].support, 5e-10, 'support');
      expectPrinted(r.confidence, printed[i].confidence, 5e-8, 'confidence');
      expectPrinted(r.lift, printed[i].lift, 5e-6, 'lift');
    });
  });

  it('the arules convention: count ≥ ⌈0.001 × 9835⌉ = 10 gives its 157 items and 12,949 itemsets of 2–4 items; 9 would not', () => {
    const itemsets = itemsetsOf(frequentItemsets(baskets!, { minSupport: 0.001 }));
    expect(itemsets.filter((s) => s.names.length === 1).length).toBe(157);
    expect(itemsets.filter((s) => s.names.length >= 2 && s.names.length <= 4).length).toBe(12_949);
    expect(Math.max(...itemsets.map((s) => s.names.length))).toBe(6);
    // R prints "Absolute minimum support count: 9" (as.integer(9.835)); mining with 9 gives a different answer
    const truncated = frequentItemsets(baskets!, { minCount: 9 });
    expect(itemsetsOf(truncated).filter((s) => s.names.length === 1).length).toBeGreaterThan(157);
    expect(associationRules(truncated, { minConfidence: 0.8 }).numRows).toBeGreaterThan(410);
  });
});

describe("readTable(format 'basket') gives the baskets of the loader above, and arules' rule counts", () => {
  for (const [name, path, separator, n] of [
    ['groceries.csv', GROCERIES, ',', 9835],
    ['retail.dat', RETAIL, ' ', 88_162],
    ['T10I4D100K.dat', T10, ' ', 100_000],
  ] as const) {
    it(`${name}: the reader's ${n} baskets equal the loader's, basket by basket`, async () => {
      // groceries.csv is a CSV by its extension: format 'basket' says how to read it; .dat files are baskets already
      const table = await readTable(path, name === 'groceries.csv' ? { format: 'basket' } : {});
      const actual = basketsOfTable(table);
      const lists = basketLists(actual).map((l) => [...l].sort());
      const expected = readBaskets(path, separator).map((l) => [...l].sort());
      expect(actual.count).toBe(n);
      expect(lists.length).toBe(expected.length);
      const differs = lists.findIndex((l, i) => l.join(SEP) !== expected[i].join(SEP));
      expect(differs, `first differing basket ${differs}`).toBe(-1);
    });
  }

  it('groceries.csv through readTable: 410 rules at supp 0.001 / conf 0.8 (Marafi 2013), 5668 at conf 0.5 (arulesViz vignette)', async () => {
    const b = basketsOfTable(await readTable(GROCERIES, { format: 'basket' }));
    const itemsets = frequentItemsets(b, { minSupport: 0.001 });
    expect(associationRules(itemsets, { minConfidence: 0.8 }).numRows).toBe(410);
    expect(associationRules(itemsets, { minConfidence: 0.5 }).numRows).toBe(5668);
  });
});
