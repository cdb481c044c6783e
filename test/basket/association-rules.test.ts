import {
  Field,
  List,
  makeVector,
  RecordBatch,
  Schema,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associationRules } from '../../src/basket/association-rules';
import type { AssociationRulesOptions } from '../../src/basket/association-rules';
import { readStringLists } from '../../src/basket/list-vector';
import { expectCode } from '../helpers/errors';

// ---------------------------------------------------------------------------------------------------------------
// helpers: itemset tables built by hand, and a brute-force count straight from the baskets

type Pair = [readonly string[], number];

/** An itemset table as frequentItemsets returns it, built with Arrow's own builder (independent of src/). */
function itemsetTable(
  sets: readonly Pair[],
  baskets: number,
  metadata: Record<string, string> = {},
  sort = true,
): Table {
  const items = sets.map(([names]) => (sort ? [...names].sort() : [...names]));
  const columns = {
    items: vectorFromArray(items, new List(new Field('item', new Utf8(), true))),
    count: makeVector(Int32Array.from(sets, ([, c]) => c)),
    support: makeVector(Float64Array.from(sets, ([, c]) => c / baskets)),
    length: makeVector(Int32Array.from(items, (s) => s.length)),
  };
  return withMetadata(new Table(columns), {
    'clientele.kind': 'frequentItemsets',
    'clientele.baskets': String(baskets),
    ...metadata,
  });
}

function withMetadata(table: Table, metadata: Record<string, string>): Table {
  return new Table(new Schema(table.schema.fields, new Map(Object.entries(metadata))), table.batches);
}

/** Baskets holding every item of `set`. */
function countOf(baskets: readonly (readonly string[])[], set: readonly string[]): number {
  let n = 0;
  for (const b of baskets) if (set.every((x) => b.includes(x))) n++;
  return n;
}

/** Every itemset of the baskets' items in at least `minCount` baskets, by enumerating all subsets. */
function bruteItemsets(baskets: readonly (readonly string[])[], minCount: number, maxLength = Infinity): Pair[] {
  const items = [...new Set(baskets.flat())].sort();
  const out: Pair[] = [];
  for (let m = 1; m < 1 << items.length; m++) {
    const set = items.filter((_, j) => (m >> j) & 1);
    if (set.length > maxLength) continue;
    const count = countOf(baskets, set);
    if (count >= minCount) out.push([set, count]);
  }
  return out;
}

/** Non-empty proper subsets of a sorted list (as sorted lists). */
function subsets(set: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let m = 1; m < (1 << set.length) - 1; m++) out.push(set.filter((_, j) => (m >> j) & 1));
  return out;
}

interface Rule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
  count: number;
  antecedentSupport: number;
  consequentSupport: number;
  zhang: number;
}

function rows(table: Table): Rule[] {
  const antecedent = readStringLists(table.getChild('antecedent')!);
  const consequent = readStringLists(table.getChild('consequent')!);
  return antecedent.map((a, i) => {
    const r: Record<string, unknown> = { antecedent: a, consequent: consequent[i] };
    for (const f of table.schema.fields)
      if (f.name !== 'antecedent' && f.name !== 'consequent') r[f.name] = Number(table.getChild(f.name)!.get(i));
    return r as unknown as Rule;
  });
}

const key = (a: readonly string[], c: readonly string[]) => `${a.join(',')}→${c.join(',')}`;

/** The measures of A → C from the counts, each written as its textbook formula on supports. */
function measures(nAC: number, nA: number, nC: number, N: number) {
  const sAC = nAC / N;
  const sA = nA / N;
  const sC = nC / N;
  const confidence = sAC / sA;
  const denominator = Math.max(sAC * (1 - sA), sA * (sC - sAC));
  return {
    support: sAC,
    confidence,
    lift: confidence / sC,
    leverage: sAC - sA * sC,
    conviction: confidence === 1 ? Infinity : (1 - sC) / (1 - confidence),
    count: nAC,
    antecedentSupport: sA,
    consequentSupport: sC,
    zhang: denominator === 0 ? 0 : (sAC - sA * sC) / denominator,
  };
}

function expectMeasures(rule: Rule, expected: ReturnType<typeof measures>, where: string): void {
  for (const [name, value] of Object.entries(expected)) {
    const actual = rule[name as keyof Rule] as number;
    if (value === Infinity) expect(actual, `${where} ${name}`).toBe(Infinity);
    else
      expect(Math.abs(actual - value), `${where} ${name}: ${actual} vs ${value}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(value)),
      );
  }
}

/** Compares two item lists item by item (a list before its extensions). */
function compareNames(a: readonly string[], b: readonly string[]): number {
  for (let j = 0; j < Math.min(a.length, b.length); j++) if (a[j] !== b[j]) return a[j] < b[j] ? -1 : 1;
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------------------------
// the textbook example: five baskets, every itemset of support ≥ 0.4 (count ≥ 2)

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the baskets the hand counts below are taken from
const TEXTBOOK = [
  ['1', '3', '4'],
  ['2', '3', '5'],
  ['1', '2', '3', '5'],
  ['2', '5'],
  ['1', '2', '3', '5'],
];
// counts by hand from the five baskets
const TEXTBOOK_ITEMSETS: Pair[] = [
  [['1'], 3],
  [['2'], 4],
  [['3'], 4],
  [['5'], 4],
  [['1', '2'], 2],
  [['1', '3'], 3],
  [['1', '5'], 2],
  [['2', '3'], 3],
  [['2', '5'], 4],
  [['3', '5'], 3],
  [['1', '2', '3'], 2],
  [['1', '2', '5'], 2],
  [['1', '3', '5'], 2],
  [['2', '3', '5'], 3],
  [['1', '2', '3', '5'], 2],
];

describe('associationRules', () => {
  it('reproduces every rule of the 5-basket textbook example by hand (confidence ≥ 0.7), in the documented order', () => {
    const rules = associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5), { minConfidence: 0.7 });
    // [antecedent, consequent, n_AC, n_A, n_C], counted by hand, in the expected order:
    // lift 1.25 & confidence 1 & support 0.8; then support 0.6; then support 0.4 (antecedents item by item);
    // lift 1.25 & confidence 0.75; lift 0.9375 & confidence 0.75 & support 0.6
    const expected: [string[], string[], number, number, number][] = [
      [['2'], ['5'], 4, 4, 4],
      [['5'], ['2'], 4, 4, 4],
      [['1'], ['3'], 3, 3, 4],
      [['2', '3'], ['5'], 3, 3, 4],
      [['3', '5'], ['2'], 3, 3, 4],
      [['1', '2'], ['3'], 2, 2, 4],
      [['1', '2'], ['5'], 2, 2, 4],
      [['1', '2', '3'], ['5'], 2, 2, 4],
      [['1', '2', '5'], ['3'], 2, 2, 4],
      [['1', '3', '5'], ['2'], 2, 2, 4],
      [['1', '5'], ['2'], 2, 2, 4],
      [['1', '5'], ['3'], 2, 2, 4],
      [['3'], ['1'], 3, 4, 3],
      [['2'], ['3'], 3, 4, 4],
      [['2', '5'], ['3'], 3, 4, 4],
      [['3'], ['2'], 3, 4, 4],
      [['3'], ['5'], 3, 4, 4],
      [['5'], ['3'], 3, 4, 4],
    ];
    const got = rows(rules);
    expect(got.map((r) => key(r.antecedent, r.consequent))).toEqual(expected.map(([a, c]) => key(a, c)));
    got.forEach((rule, i) => {
      const [, , nAC, nA, nC] = expected[i];
      expectMeasures(rule, measures(nAC, nA, nC, 5), key(rule.antecedent, rule.consequent));
    });
    // a few values written out: 3 → 1 has confidence 3/4, lift (3/5)/((4/5)(3/5)) = 1.25, leverage 0.6 − 0.48 = 0.12,
    // conviction (1 − 0.6)/(1 − 0.75) = 1.6, Zhang 0.12 / max(0.6 · 0.2, 0.8 · 0) = 1
    const r31 = got[12];
    expect([r31.confidence, r31.lift, r31.leverage, r31.conviction, r31.zhang]).toEqual([
      0.75,
      1.25,
      expect.closeTo(0.12, 15),
      expect.closeTo(1.6, 14),
      expect.closeTo(1, 14),
    ]);
    // 2 → 3: leverage 0.6 − 0.64 = −0.04, Zhang −0.04 / max(0.6 · 0.2, 0.8 · 0.2) = −0.25
    expect(got[13].leverage).toBeCloseTo(-0.04, 15);
    expect(got[13].zhang).toBeCloseTo(-0.25, 14);
    expect(got[0].conviction).toBe(Infinity);
    expect(rules.schema.metadata.get('clientele.kind')).toBe('associationRules');
    expect(rules.schema.metadata.get('clientele.baskets')).toBe('5');
    expect(rules.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['antecedent', 'List<Utf8>'],
      ['consequent', 'List<Utf8>'],
      ['support', 'Float64'],
      ['confidence', 'Float64'],
      ['lift', 'Float64'],
      ['leverage', 'Float64'],
      ['conviction', 'Float64'],
      ['count', 'Int32'],
      ['antecedentSupport', 'Float64'],
      ['consequentSupport', 'Float64'],
      ['zhang', 'Float64'],
    ]);
  });

  it('textbook example: pruneRedundant keeps the eight two-item rules (each larger rule has a general rule as confident)', () => {
    // by hand: {1,2} → 3 has 1 → 3 (confidence 1 ≥ 1); {2,5} → 3 (0.75) has 2 → 3 (0.75 ≥ 0.75); and so on
    const rules = associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5), { minConfidence: 0.7, pruneRedundant: true });
    expect(rows(rules).map((r) => key(r.antecedent, r.consequent))).toEqual([
      '2→5',
      '5→2',
      '1→3',
      '3→1',
      '2→3',
      '3→2',
      '3→5',
      '5→3',
    ]);
  });

  it('textbook example: two-item consequents with confidence 1, by hand', () => {
    const rules = associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5), { minConfidence: 1, maxConsequent: 2 });
    const got = rows(rules);
    expect(new Set(got.map((r) => key(r.antecedent, r.consequent)))).toEqual(
      new Set([
        '1→3',
        '2→5',
        '5→2',
        '1,2→3',
        '1,2→5',
        '1,2→3,5',
        '1,5→2',
        '1,5→3',
        '1,5→2,3',
        '2,3→5',
        '3,5→2',
        '1,2,3→5',
        '1,2,5→3',
        '1,3,5→2',
      ]),
    );
    // {1,2} → {3,5}: lift = (2/5) / ((2/5)(3/5)) = 5/3, the highest, so first
    expect(key(got[0].antecedent, got[0].consequent)).toBe('1,2→3,5');
    expect(got[0].lift).toBeCloseTo(5 / 3, 14);
  });

  it('minLift, minSupport and measures filter rows and columns; no rule is a zero-row table with every column', () => {
    const table = itemsetTable(TEXTBOOK_ITEMSETS, 5);
    const lifted = rows(associationRules(table, { minConfidence: 0, minLift: 1.2 }));
    expect(lifted.length).toBeGreaterThan(0);
    expect(lifted.every((r) => r.lift >= 1.2)).toBe(true);
    const supported = rows(associationRules(table, { minConfidence: 0, minSupport: 0.6 }));
    // itemsets in ≥ 3 of 5 baskets: {1,3}, {2,3}, {2,5}, {3,5}, {2,3,5}
    expect(new Set(supported.map((r) => key(r.antecedent, r.consequent)))).toEqual(
      new Set(['1→3', '3→1', '2→3', '3→2', '2→5', '5→2', '3→5', '5→3', '2,3→5', '2,5→3', '3,5→2']),
    );
    const some = associationRules(table, { measures: ['zhang', 'lift'] });
    expect(some.schema.fields.map((f) => f.name)).toEqual(['antecedent', 'consequent', 'lift', 'zhang']);
    const none = associationRules(table, { minConfidence: 1, minLift: 10 });
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual([
      'antecedent',
      'consequent',
      'support',
      'confidence',
      'lift',
      'leverage',
      'conviction',
      'count',
      'antecedentSupport',
      'consequentSupport',
      'zhang',
    ]);
    expect(associationRules(itemsetTable([[['a'], 3]], 4)).numRows).toBe(0);
  });

  it('property: rules are exactly the splits passing the thresholds, each measure equals its formula from a recount', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(items), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0, 0.3, 0.5, 0.6, 2 / 3, 0.8, 1),
        fc.constantFrom(undefined, 0.5, 1, 1.25, 2),
        fc.constantFrom(undefined, 0.1, 0.2, 0.3),
        fc.integer({ min: 1, max: 4 }),
        (baskets, minCount, minConfidence, minLift, minSupport, maxConsequent) => {
          const N = baskets.length;
          const sets = bruteItemsets(baskets, minCount);
          const options: AssociationRulesOptions = { minConfidence, maxConsequent };
          if (minLift !== undefined) options.minLift = minLift;
          if (minSupport !== undefined) options.minSupport = minSupport;
          const got = rows(associationRules(itemsetTable(sets, N), options));
          // brute force: every split of every itemset, counts recounted from the baskets
          const expected = new Map<string, ReturnType<typeof measures>>();
          for (const [set] of sets) {
            if (set.length < 2) continue;
            for (const consequent of subsets(set)) {
              if (consequent.length > maxConsequent) continue;
              const antecedent = set.filter((x) => !consequent.includes(x));
              const [nAC, nA, nC] = [countOf(baskets, set), countOf(baskets, antecedent), countOf(baskets, consequent)];
              if (nAC / nA < minConfidence) continue;
              if (minLift !== undefined && (nAC * N) / (nA * nC) < minLift) continue;
              if (minSupport !== undefined && nAC / N < minSupport) continue;
              expected.set(key(antecedent, consequent), measures(nAC, nA, nC, N));
            }
          }
          expect(new Set(got.map((r) => key(r.antecedent, r.consequent)))).toEqual(new Set(expected.keys()));
          expect(got.length).toBe(expected.size);
          for (const rule of got) {
            const k = key(rule.antecedent, rule.consequent);
            expectMeasures(rule, expected.get(k)!, k);
            expect(rule.confidence).toBeGreaterThanOrEqual(0);
            expect(rule.confidence).toBeLessThanOrEqual(1);
            expect(rule.lift).toBeCloseTo(rule.confidence / rule.consequentSupport, 12);
            expect(Math.abs(rule.zhang)).toBeLessThanOrEqual(1 + 1e-12);
            expect(Math.abs(rule.leverage)).toBeLessThanOrEqual(0.25);
            expect([...rule.antecedent].sort()).toEqual(rule.antecedent);
          }
          // the documented order, pair by pair
          for (let i = 1; i < got.length; i++) {
            const [p, q] = [got[i - 1], got[i]];
            const order =
              q.lift - p.lift ||
              q.confidence - p.confidence ||
              q.support - p.support ||
              compareNames(p.antecedent, q.antecedent) ||
              compareNames(p.consequent, q.consequent);
            expect(order, `${key(p.antecedent, p.consequent)} before ${key(q.antecedent, q.consequent)}`).toBeLessThan(
              0,
            );
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('property: pruneRedundant removes exactly the rules with a more general rule at least as confident (arules is.redundant)', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(items, { minLength: 1 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(0, 0.4, 0.6, 0.8),
        fc.integer({ min: 1, max: 3 }),
        (baskets, minConfidence, maxConsequent) => {
          const table = itemsetTable(bruteItemsets(baskets, 1), baskets.length);
          const all = rows(associationRules(table, { minConfidence, maxConsequent }));
          const kept = rows(associationRules(table, { minConfidence, maxConsequent, pruneRedundant: true }));
          const confidence = (a: readonly string[], c: readonly string[]) =>
            countOf(baskets, [...a, ...c]) / countOf(baskets, a);
          // the definition, checked against the rules of the unpruned table (the general rules are among them)
          const inAll = new Set(all.map((r) => key(r.antecedent, r.consequent)));
          const redundant = (r: Rule) =>
            subsets(r.antecedent).some((general) => {
              const yes = confidence(general, r.consequent) >= r.confidence;
              if (yes) expect(inAll.has(key(general, r.consequent))).toBe(true);
              return yes;
            });
          expect(kept.map((r) => key(r.antecedent, r.consequent))).toEqual(
            all.filter((r) => !redundant(r)).map((r) => key(r.antecedent, r.consequent)),
          );
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('reads chunked tables and a support column instead of the basket metadata; leaves its input unchanged', () => {
    const table = itemsetTable(TEXTBOOK_ITEMSETS, 5);
    const expected = rows(associationRules(table, { minConfidence: 0.5 }));
    // two record batches, the second a slice (offsets not starting at 0)
    const half = itemsetTable(TEXTBOOK_ITEMSETS.slice(0, 7), 5);
    const rest = itemsetTable(TEXTBOOK_ITEMSETS, 5).slice(7);
    const chunked = new Table(table.schema, [...half.batches, ...rest.batches]);
    expect(chunked.batches.length).toBe(2);
    expect(rows(associationRules(chunked, { minConfidence: 0.5 }))).toEqual(expected);
    // no basket metadata: N = count / support
    const bare = withMetadata(table, {});
    expect(rows(associationRules(bare, { minConfidence: 0.5 }))).toEqual(expected);
    // a RecordBatch is read as a one-batch table
    expect(rows(associationRules(table.batches[0] as RecordBatch, { minConfidence: 0.5 }))).toEqual(expected);
    // unsorted items within a set are sorted first
    const reversed = itemsetTable(
      TEXTBOOK_ITEMSETS.map(([s, c]) => [[...s].reverse(), c]),
      5,
      {},
      false,
    );
    expect(readStringLists(reversed.getChild('items')!)[4]).toEqual(['2', '1']);
    expect(rows(associationRules(reversed, { minConfidence: 0.5 }))).toEqual(expected);
    expect(readStringLists(table.getChild('items')!)).toEqual(TEXTBOOK_ITEMSETS.map(([s]) => s));
    expect(Array.from(table.getChild('count')!.toArray() as Int32Array)).toEqual(TEXTBOOK_ITEMSETS.map(([, c]) => c));
  });

  it('writes to Arrow IPC and back (conviction Infinity included)', () => {
    const rules = associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5), { minConfidence: 0.7 });
    const back = tableFromIPC(tableToIPC(rules));
    expect(rows(back)).toEqual(rows(rules));
    expect(back.schema.metadata.get('clientele.kind')).toBe('associationRules');
  });

  it('names the problem when the table is not a frequent-itemset table', () => {
    const fn = associationRules as (t: unknown, o?: unknown) => Table;
    expectCode(
      () => fn(42),
      'INVALID_INPUT',
      'associationRules: itemsets must be the Arrow table frequentItemsets returns (found 42)',
    );
    expectCode(() => fn([{ items: 'a', count: 1 }]), 'INVALID_INPUT', 'found array(1)');
    const onlyCount = new Table({ count: makeVector(Int32Array.from([1])) });
    expectCode(() => fn(onlyCount), 'INVALID_INPUT', 'column "items" missing', 'found columns: count');
    const neither = new Table({ x: makeVector(Int32Array.from([1])) });
    expectCode(() => fn(neither), 'INVALID_INPUT', 'columns "items" and "count" missing');
    const rules = associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5));
    expectCode(() => fn(rules), 'INVALID_INPUT', 'clientele.kind = "associationRules"');
    // a closed / filtered table: {1, 3} left out
    const filtered = itemsetTable(
      TEXTBOOK_ITEMSETS.filter(([s]) => s.join() !== '1,3'),
      5,
    );
    expectCode(() => fn(filtered), 'INVALID_INPUT', 'has no subset {1, 3}', 'not downward closed', "target 'all'");
    expectCode(
      () => fn(itemsetTable(TEXTBOOK_ITEMSETS, 5, { 'clientele.target': 'closed' })),
      'INVALID_INPUT',
      'the itemsets are closed itemsets only',
      "target: 'all'",
    );
    expect(associationRules(itemsetTable(TEXTBOOK_ITEMSETS, 5, { 'clientele.target': 'all' })).numRows).toBeGreaterThan(
      0,
    );
    expectCode(
      () =>
        fn(
          itemsetTable(
            [
              [['a'], 2],
              [['b'], 2],
              [['a', 'b'], 3],
            ],
            5,
          ),
        ),
      'INVALID_INPUT',
      'itemset {a, b} at row 2 is in 3 baskets but its subset {b} only in 2',
    );
    expectCode(() => fn(itemsetTable([[['a'], 7]], 5)), 'INVALID_INPUT', 'more than the 5 baskets');
    expectCode(
      () =>
        fn(
          itemsetTable(
            [
              [['a'], 2],
              [['a'], 2],
            ],
            5,
          ),
        ),
      'INVALID_INPUT',
      'appears twice, at rows 0 and 1',
    );
    expectCode(() => fn(itemsetTable([[['a', 'a'], 2]], 5)), 'INVALID_INPUT', 'lists "a" twice');
    expectCode(
      () => fn(itemsetTable([[['a'], 2]], 5, { 'clientele.baskets': 'many' })),
      'INVALID_INPUT',
      'clientele.baskets must be the number of baskets',
    );
    const noTotal = new Table({
      items: vectorFromArray([['a']], new List(new Field('item', new Utf8(), true))),
      count: makeVector(Int32Array.from([1])),
    });
    expectCode(() => fn(noTotal), 'INVALID_INPUT', 'does not say how many baskets');
    const textItems = withMetadata(
      new Table({ items: vectorFromArray(['a']), count: makeVector(Int32Array.from([1])) }),
      { 'clientele.baskets': '3' },
    );
    expectCode(
      () => fn(textItems),
      'INVALID_TYPE',
      'column "items" must be a list of item names, List<Utf8> (found Dictionary<Int32, Utf8>)',
    );
    const fractional = withMetadata(new Table({ items: noTotal.getChild('items')!, count: vectorFromArray([1.5]) }), {
      'clientele.baskets': '3',
    });
    expectCode(
      () => fn(fractional),
      'INVALID_INPUT',
      'column "count" row 0 must be a whole number of baskets ≥ 0 (found 1.5)',
    );
  });

  it('rejects options out of range, naming them', () => {
    const table = itemsetTable(TEXTBOOK_ITEMSETS, 5);
    const fn = (o: unknown) => associationRules(table, o as AssociationRulesOptions);
    expectCode(
      () => fn({ minConfidence: 1.5 }),
      'INVALID_OPTION',
      'option minConfidence must be a number in [0, 1] (found 1.5)',
    );
    expectCode(() => fn({ minConfidence: NaN }), 'INVALID_OPTION', 'minConfidence');
    expectCode(() => fn({ minSupport: -0.1 }), 'INVALID_OPTION', 'option minSupport');
    expectCode(() => fn({ minLift: -1 }), 'INVALID_OPTION', 'option minLift must be a finite number ≥ 0 (found -1)');
    expectCode(
      () => fn({ maxConsequent: 0 }),
      'INVALID_OPTION',
      'option maxConsequent must be a whole number ≥ 1 (found 0)',
    );
    expectCode(() => fn({ maxConsequent: 1.5 }), 'INVALID_OPTION', 'maxConsequent');
    expectCode(() => fn({ measures: ['lift', 'surprise'] }), 'INVALID_OPTION', 'unknown measure (found "surprise")');
    expectCode(() => fn({ measures: 'lift' }), 'INVALID_OPTION', 'option measures must be an array');
    expectCode(() => fn({ pruneRedundant: 'yes' }), 'INVALID_OPTION', 'pruneRedundant must be true or false');
    expectCode(() => fn(null), 'INVALID_OPTION', 'options must be an object');
  });
});
