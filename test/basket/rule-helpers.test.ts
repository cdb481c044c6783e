import { Field, List, makeVector, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associationRules } from '../../src/basket/association-rules';
import { readStringLists } from '../../src/basket/list-vector';
import { recommend, rulesWithItem, topRules } from '../../src/basket/rule-helpers';
import type { RuleRanking } from '../../src/basket/rule-helpers';
import { expectCode } from '../helpers/errors';

// ---------------------------------------------------------------------------------------------------------------
// helpers: tables built by hand with Arrow's own builder

const listType = () => new List(new Field('item', new Utf8(), true));

function withMetadata(table: Table, metadata: Record<string, string>): Table {
  return new Table(new Schema(table.schema.fields, new Map(Object.entries(metadata))), table.batches);
}

/** An itemset table as frequentItemsets returns it. */
function itemsetTable(sets: readonly [readonly string[], number][], baskets: number): Table {
  const table = new Table({
    items: vectorFromArray(
      sets.map(([s]) => [...s].sort()),
      listType(),
    ),
    count: makeVector(Int32Array.from(sets, ([, c]) => c)),
  });
  return withMetadata(table, { 'clientele.kind': 'frequentItemsets', 'clientele.baskets': String(baskets) });
}

/** All itemsets of some baskets (every subset that occurs), counted by brute force. */
function allItemsets(baskets: readonly (readonly string[])[]): [string[], number][] {
  const items = [...new Set(baskets.flat())].sort();
  const out: [string[], number][] = [];
  for (let m = 1; m < 1 << items.length; m++) {
    const set = items.filter((_, j) => (m >> j) & 1);
    const count = baskets.filter((b) => set.every((x) => b.includes(x))).length;
    if (count > 0) out.push([set, count]);
  }
  return out;
}

/** A rules table by hand: antecedent, consequent, support, confidence, lift. */
function rulesTable(rules: readonly [string[], string[], number, number, number][]): Table {
  const table = new Table({
    antecedent: vectorFromArray(
      rules.map((r) => r[0]),
      listType(),
    ),
    consequent: vectorFromArray(
      rules.map((r) => r[1]),
      listType(),
    ),
    support: makeVector(Float64Array.from(rules, (r) => r[2])),
    confidence: makeVector(Float64Array.from(rules, (r) => r[3])),
    lift: makeVector(Float64Array.from(rules, (r) => r[4])),
  });
  return withMetadata(table, { 'clientele.kind': 'associationRules', 'clientele.baskets': '100' });
}

interface Row {
  antecedent: string[];
  consequent: string[];
  [measure: string]: unknown;
}

function rows(table: Table): Row[] {
  const a = readStringLists(table.getChild('antecedent')!);
  const c = readStringLists(table.getChild('consequent')!);
  return a.map((antecedent, i) => {
    const r: Row = { antecedent, consequent: c[i] };
    for (const f of table.schema.fields)
      if (f.name !== 'antecedent' && f.name !== 'consequent') r[f.name] = Number(table.getChild(f.name)!.get(i));
    return r;
  });
}

const TEXTBOOK = [
  ['1', '3', '4'],
  ['2', '3', '5'],
  ['1', '2', '3', '5'],
  ['2', '5'],
  ['1', '2', '3', '5'],
];
const textbookRules = () => associationRules(itemsetTable(allItemsets(TEXTBOOK), 5), { minConfidence: 0.5 });

// bread, milk → butter … : [antecedent, consequent, support, confidence, lift]
const SHOP: [string[], string[], number, number, number][] = [
  [['bread'], ['butter'], 0.2, 0.8, 1.6], // 0
  [['bread', 'milk'], ['butter'], 0.1, 0.9, 1.5], // 1
  [['milk'], ['cereal'], 0.15, 0.6, 2.0], // 2
  [['bread'], ['milk'], 0.3, 0.7, 1.1], // 3
  [['beer'], ['chips'], 0.05, 0.95, 3.0], // 4
  [['milk'], ['butter', 'eggs'], 0.1, 0.5, 1.2], // 5
  [['bread'], ['jam'], 0.1, 0.6, 2.5], // 6
  [['milk'], ['honey'], 0.1, 0.6, 2.0], // 7
  [['milk'], ['jam'], 0.1, 0.6, 2.6], // 8
];

describe('rulesWithItem', () => {
  it('keeps exactly the rules that mention the item on the chosen side, in order, with every column and the metadata', () => {
    const rules = textbookRules();
    const all = rows(rules);
    for (const item of ['1', '2', '3', '4', '5', 'x']) {
      for (const side of ['antecedent', 'consequent', 'either'] as const) {
        const got = rulesWithItem(rules, item, { side });
        const expected = all.filter(
          (r) =>
            (side !== 'consequent' && r.antecedent.includes(item)) ||
            (side !== 'antecedent' && r.consequent.includes(item)),
        );
        expect(rows(got), `${item} ${side}`).toEqual(expected);
        expect(got.schema.fields.map((f) => [f.name, String(f.type)])).toEqual(
          rules.schema.fields.map((f) => [f.name, String(f.type)]),
        );
        expect(got.schema.metadata).toEqual(rules.schema.metadata);
      }
    }
    // by hand: '4' is in one basket only, so every rule with 4 in its antecedent has confidence 1
    expect(rows(rulesWithItem(rules, '4', { side: 'antecedent' })).every((r) => r.confidence === 1)).toBe(true);
    expect(rulesWithItem(rules, '1').numRows).toBe(
      all.filter((r) => r.antecedent.includes('1') || r.consequent.includes('1')).length,
    );
  });

  it('rejects what is not a rules table and bad options', () => {
    const rules = textbookRules();
    const fn = rulesWithItem as (r: unknown, i: unknown, o?: unknown) => Table;
    expectCode(
      () => fn(42, 'a'),
      'INVALID_INPUT',
      'rulesWithItem: rules must be the Arrow table associationRules returns (found 42)',
    );
    expectCode(() => fn(itemsetTable([[['a'], 1]], 2), 'a'), 'INVALID_INPUT', 'clientele.kind = "frequentItemsets"');
    expectCode(
      () => fn(new Table({ antecedent: vectorFromArray([['a']], listType()) }), 'a'),
      'INVALID_INPUT',
      'column "consequent" missing',
      'found columns: antecedent',
    );
    expectCode(() => fn(rules, 3), 'INVALID_OPTION', 'item must be an item name, a string (found 3)');
    expectCode(
      () => fn(rules, 'a', { side: 'left' }),
      'INVALID_OPTION',
      'option side must be one of antecedent, consequent, either (found "left")',
    );
  });
});

describe('topRules', () => {
  it('ranks by each measure, highest first, ties in table order, as a brute-force stable sort', () => {
    const rules = textbookRules();
    const all = rows(rules);
    for (const by of ['lift', 'confidence', 'support', 'leverage', 'conviction', 'zhang'] as RuleRanking[]) {
      const desc = (a: number, b: number) => (a === b ? 0 : b - a); // Infinity ties with Infinity
      const sorted = all
        .map((r, i) => ({ r, i }))
        .sort((p, q) => desc(p.r[by] as number, q.r[by] as number) || p.i - q.i);
      for (const n of [0, 1, 5, all.length + 3]) {
        expect(rows(topRules(rules, n, { by })), `${by} ${n}`).toEqual(sorted.slice(0, n).map((x) => x.r));
      }
    }
  });

  it('puts Infinity conviction first and NaN last; by lift it is the first rows of an associationRules table', () => {
    const rules = textbookRules();
    const conviction = rows(topRules(rules, 100, { by: 'conviction' })).map((r) => r.conviction as number);
    expect(conviction[0]).toBe(Infinity);
    expect([...conviction].sort((a, b) => b - a)).toEqual(conviction);
    expect(rows(topRules(rules, 4))).toEqual(rows(rules).slice(0, 4));
    expect(topRules(rules, 4).schema.metadata).toEqual(rules.schema.metadata);
    expect(topRules(rules, 4, { by: 'support' }).schema.metadata).toEqual(rules.schema.metadata);
    const withNaN = rulesTable([
      [['a'], ['b'], 0.1, NaN, 1],
      [['b'], ['a'], 0.1, 0.5, 1],
      [['c'], ['a'], 0.1, 0.7, 1],
    ]);
    expect(rows(topRules(withNaN, 3, { by: 'confidence' })).map((r) => r.antecedent[0])).toEqual(['c', 'b', 'a']);
  });

  it('rejects bad n and by, and a measure the table does not carry', () => {
    const rules = textbookRules();
    const fn = topRules as (r: unknown, n: unknown, o?: unknown) => Table;
    expectCode(() => fn(rules, -1), 'INVALID_OPTION', 'topRules: n must be a whole number ≥ 0 (found -1)');
    expectCode(() => fn(rules, 2.5), 'INVALID_OPTION', 'found 2.5');
    expectCode(
      () => fn(rules, 3, { by: 'surprise' }),
      'INVALID_OPTION',
      'option by must be one of lift, confidence, support, leverage, conviction, zhang, jaccard, certainty, kulczynski, allConfidence, cosine, addedValue, chiSquared, fisherP, hyperConfidence, hyperLift, oddsRatio, phi, yuleQ, yuleY, kappa, maxConfidence, imbalance, laplace, relativeRisk, improvement (found "surprise")',
    );
    expectCode(
      () => fn(rulesTable(SHOP), 3, { by: 'zhang' }),
      'MISSING_COLUMN',
      'column "zhang" (option by) is not in the rules table',
      '{ measures }',
    );
  });
});

describe('recommend', () => {
  it('suggests for bread and milk, by hand: butter (0.9), jam (0.6, lift 2.6), cereal and honey (0.6, lift 2: by name), eggs (0.5)', () => {
    // milk is in the basket, so bread → milk does not apply; beer → chips does not apply (no beer);
    // butter's best rule is bread, milk → butter (0.9) over bread → butter (0.8) and milk → butter, eggs (0.5);
    // jam's two rules tie on confidence 0.6 and milk → jam wins on lift (2.6 > 2.5)
    const rules = rulesTable(SHOP);
    const got = recommend(rules, ['bread', 'milk']);
    expect(got.map((s) => [s.item, s.score, s.rule.row])).toEqual([
      ['butter', 0.9, 1],
      ['jam', 0.6, 8],
      ['cereal', 0.6, 2],
      ['honey', 0.6, 7],
      ['eggs', 0.5, 5],
    ]);
    expect(got[0].rule).toEqual({
      antecedent: ['bread', 'milk'],
      consequent: ['butter'],
      row: 1,
      support: 0.1,
      confidence: 0.9,
      lift: 1.5,
      leverage: NaN,
      conviction: NaN,
      count: NaN,
      antecedentSupport: NaN,
      consequentSupport: NaN,
      zhang: NaN,
    });
    expect(recommend(rules, ['bread', 'milk'], { n: 2 }).map((s) => s.item)).toEqual(['butter', 'jam']);
    // by lift: butter's best rule is now bread → butter (1.6); cereal and honey tie on lift 2 and go by name
    expect(recommend(rules, ['bread', 'milk'], { by: 'lift' }).map((s) => [s.item, s.score])).toEqual([
      ['jam', 2.6],
      ['cereal', 2],
      ['honey', 2],
      ['butter', 1.6],
      ['eggs', 1.2],
    ]);
  });

  it('skips rules whose consequent is partly in the basket, and baskets no rule applies to', () => {
    const rules = rulesTable(SHOP);
    // milk → {butter, eggs} has butter in the basket: eggs is not suggested
    expect(recommend(rules, ['milk', 'butter']).map((s) => s.item)).toEqual(['jam', 'cereal', 'honey']);
    expect(recommend(rules, ['beer']).map((s) => [s.item, s.score])).toEqual([['chips', 0.95]]);
    expect(recommend(rules, [])).toEqual([]);
    expect(recommend(rules, ['wine'])).toEqual([]);
    expect(recommend(rules, ['bread', 'milk', 'butter', 'eggs', 'jam', 'cereal', 'honey'])).toEqual([]);
    expect(recommend(rules, ['bread'], { n: 0 })).toEqual([]);
  });

  it('returns frozen results and leaves the basket and the rules unchanged', () => {
    const rules = rulesTable(SHOP);
    const basket = Object.freeze(['milk', 'bread']);
    const before = rows(rules);
    const got = recommend(rules, basket);
    expect(Object.isFrozen(got)).toBe(true);
    expect(Object.isFrozen(got[0])).toBe(true);
    expect(Object.isFrozen(got[0].rule)).toBe(true);
    expect(Object.isFrozen(got[0].rule.antecedent)).toBe(true);
    expect(basket).toEqual(['milk', 'bread']);
    expect(rows(rules)).toEqual(before);
  });

  it('property: matches a brute-force recommender on rules mined from random baskets', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(items, { minLength: 1 }), { minLength: 1, maxLength: 15 }),
        fc.subarray(items),
        fc.constantFrom<RuleRanking>('confidence', 'lift', 'support', 'zhang'),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (baskets, basket, by, n, maxConsequent) => {
          const rules = associationRules(itemsetTable(allItemsets(baskets), baskets.length), {
            minConfidence: 0.3,
            maxConsequent,
          });
          const all = rows(rules);
          const best = new Map<string, { score: number; lift: number; row: number }>();
          all.forEach((r, row) => {
            if (!r.antecedent.every((x) => basket.includes(x)) || r.consequent.some((x) => basket.includes(x))) return;
            const score = r[by] as number;
            const lift = r.lift as number;
            for (const item of r.consequent) {
              const b = best.get(item);
              if (!b || score > b.score || (score === b.score && lift > b.lift)) best.set(item, { score, lift, row });
            }
          });
          const expected = [...best.entries()]
            .sort(([i, p], [j, q]) => q.score - p.score || q.lift - p.lift || (i < j ? -1 : 1))
            .slice(0, n)
            .map(([item, b]) => [item, b.score, b.row]);
          expect(recommend(rules, basket, { by, n }).map((s) => [s.item, s.score, s.rule.row])).toEqual(expected);
        },
      ),
      { numRuns: 150, seed: 5 },
    );
  });

  it('rejects a basket that is not a list of names, and bad options', () => {
    const rules = rulesTable(SHOP);
    const fn = recommend as (r: unknown, b: unknown, o?: unknown) => unknown;
    expectCode(
      () => fn(rules, 'bread'),
      'INVALID_INPUT',
      'recommend: basket must be an array of item names (found "bread")',
    );
    expectCode(
      () => fn(rules, ['bread', 7]),
      'INVALID_INPUT',
      'basket item 1 must be an item name, a string (found 7)',
    );
    expectCode(
      () => fn(rules, ['bread'], { n: -2 }),
      'INVALID_OPTION',
      'option n must be a whole number ≥ 0 (found -2)',
    );
    expectCode(() => fn(rules, ['bread'], { by: 'count' }), 'INVALID_OPTION', 'option by must be one of');
    expectCode(() => fn(rules, ['bread'], { by: 'conviction' }), 'MISSING_COLUMN', 'column "conviction"');
    expectCode(() => fn({}, ['bread']), 'INVALID_INPUT', 'rules must be the Arrow table associationRules returns');
  });
});
