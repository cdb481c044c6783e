/**
 * Weighted itemsets and rules against R arules 1.7-10 `weclat` and `ruleInduction` on the Groceries baskets
 * (fixtures in test/conformance/fixtures/arules-weclat/, README there: call, weights, sizes).
 *
 * (a) weights from arules' `hits()` (Sun & Bai 2008 hub weights, as the `weclat` help page does), read from the
 *     fixture and passed as `frequentItemsets(lists, { weights })`;
 * (b) a revenue built here: each line of a long transaction table priced at 0.25 × the UTF-8 bytes of its item's
 *     name, aggregated per basket by `baskets(tx, { weights: { column: 'amount' } })` — the table path.
 * Both: the same itemsets as arules (none missing, none extra), each weighted support within 1e-12 of arules'
 * (relative; the sums run in the same order as arules' C code, so they agree to the bit in practice), the weight
 * total within 1e-12 (the fixture's is R's `sum()`, which adds in long double); rules with one-item consequents at arules' confidence: the same rules, support, confidence and
 * lift within 1e-9 relative.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { associationRules, baskets, frequentItemsets } from '../../src/api/basket';
import { dataset } from '../helpers/datasets';

interface Fixture {
  transactions: number;
  weightTotal: string;
  minSupport: number;
  minConfidence: number;
  weights?: string[];
  itemsets: { items: string[]; support: string }[];
  rules: { lhs: string[]; rhs: string[]; support: string; confidence: string; lift: string }[];
}

const FIXTURES = resolve(import.meta.dirname, 'fixtures/arules-weclat');
const fixture = (name: string): Fixture => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as Fixture;

/**
 * Groceries as arules 1.7-10 reads it with `read.transactions(format = "basket", sep = ",")`: a line a basket,
 * fields trimmed (`trimws` in `R/read_write.R`: the item `cream cheese ` of the file is `cream cheese` there),
 * repeats within a line once.
 */
function groceries(): string[][] {
  const lines = readFileSync(dataset('groceries.csv'), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f.length > 0),
    ),
  ]);
}

const SEP = '\u0001';
const key = (names: readonly string[]): string => [...names].sort().join(SEP);

function expectClose(actual: number, expected: number, relative: number, what: string): void {
  if (Math.abs(actual - expected) > relative * Math.abs(expected)) {
    throw new Error(`${what}: ${actual} differs from arules' ${expected} by more than ${relative} relative`);
  }
}

function checkItemsets(sets: Table, ref: Fixture): void {
  const ours = new Map<string, number>();
  const items = sets.getChild('items')!;
  const support = sets.getChild('support')!.toArray() as Float64Array;
  for (let i = 0; i < sets.numRows; i++) ours.set(key([...items.get(i)!] as string[]), support[i]);
  expect(ours.size).toBe(ref.itemsets.length);
  for (const s of ref.itemsets) {
    const k = key(s.items);
    expect(ours.has(k), `itemset {${s.items.join(', ')}} of arules`).toBe(true);
    expectClose(ours.get(k)!, Number(s.support), 1e-12, `support of {${s.items.join(', ')}}`);
  }
  // R's sum() adds in long double; weclat's C code (and clientele) in double, in basket order
  expectClose(
    Number(sets.schema.metadata.get('clientele.weightTotal')),
    Number(ref.weightTotal),
    1e-12,
    'weight total',
  );
  expect(Number(sets.schema.metadata.get('clientele.baskets'))).toBe(ref.transactions);
}

function checkRules(rules: Table, ref: Fixture): void {
  const ours = new Map<string, [number, number, number]>();
  const a = rules.getChild('antecedent')!;
  const c = rules.getChild('consequent')!;
  const [support, confidence, lift] = ['support', 'confidence', 'lift'].map(
    (m) => rules.getChild(m)!.toArray() as Float64Array,
  );
  for (let i = 0; i < rules.numRows; i++) {
    ours.set(`${key([...a.get(i)!] as string[])}=>${key([...c.get(i)!] as string[])}`, [
      support[i],
      confidence[i],
      lift[i],
    ]);
  }
  expect(ours.size).toBe(ref.rules.length);
  for (const r of ref.rules) {
    const name = `{${r.lhs.join(', ')}} => {${r.rhs.join(', ')}}`;
    const got = ours.get(`${key(r.lhs)}=>${key(r.rhs)}`);
    expect(got, `rule ${name} of arules`).toBeDefined();
    expectClose(got![0], Number(r.support), 1e-9, `support of ${name}`);
    expectClose(got![1], Number(r.confidence), 1e-9, `confidence of ${name}`);
    expectClose(got![2], Number(r.lift), 1e-9, `lift of ${name}`);
  }
}

describe('weighted itemsets and rules match R arules 1.7-10 weclat / ruleInduction on Groceries', () => {
  const lists = groceries();

  it('with the HITS hub weights of arules hits() (the weclat help example): 461 itemsets, 179 rules', () => {
    const ref = fixture('groceries-hits.json');
    expect(lists.length).toBe(ref.transactions);
    const weights = ref.weights!.map(Number);
    const sets = frequentItemsets(lists, { minSupport: ref.minSupport, weights });
    checkItemsets(sets, ref);
    checkRules(associationRules(sets, { minConfidence: ref.minConfidence }), ref);
  });

  it('with a revenue aggregated per basket from a long table (0.25 × bytes of each item name): 780 itemsets, 405 rules', () => {
    const ref = fixture('groceries-revenue.json');
    const transaction: number[] = [];
    const item: string[] = [];
    const amount: number[] = [];
    lists.forEach((list, b) => {
      for (const name of list) {
        transaction.push(b);
        item.push(name);
        amount.push(0.25 * Buffer.byteLength(name, 'utf8'));
      }
    });
    const b = baskets({ transaction, item, amount }, { weights: { column: 'amount', aggregate: 'sum' } });
    expect(b.count).toBe(ref.transactions);
    const sets = frequentItemsets(b, { minSupport: ref.minSupport, weights: b.weights! });
    checkItemsets(sets, ref);
    checkRules(associationRules(sets, { minConfidence: ref.minConfidence }), ref);
  });
});
