/**
 * significantRules: Holm's and Bonferroni's corrections against Holm (1979) written out here and against a
 * published R figure; the p-values from the table's counts equal the fisherP column; the options refused.
 * (The counts of arules' is.significant on Groceries are in test/conformance/arules-measures.test.ts.)
 */
import { Field, List, makeVector, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { associationRules } from '../../src/basket/association-rules';
import { significantRules } from '../../src/basket/rule-significance';
import { frequentItemsets } from '../../src/api/basket';
import { expectCode } from '../helpers/errors';

const listType = () => new List(new Field('item', new Utf8(), true));

/** A rules table built by hand: one-item sides and a given fisherP column. */
function rulesWithP(p: readonly number[]): Table {
  const table = new Table({
    antecedent: vectorFromArray(
      p.map((_, i) => [`a${i}`]),
      listType(),
    ),
    consequent: vectorFromArray(
      p.map((_, i) => [`c${i}`]),
      listType(),
    ),
    fisherP: makeVector(Float64Array.from(p)),
  });
  return new Table(new Schema(table.schema.fields, new Map([['clientele.kind', 'associationRules']])), table.batches);
}

/** Holm (1979): reject H₍₁₎ … H₍ₖ₎ for the largest k with p₍ⱼ₎ ≤ α / (m − j + 1) for every j ≤ k. */
function holmRejects(p: readonly number[], alpha: number): boolean[] {
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = p.map(() => false);
  for (let j = 0; j < order.length; j++) {
    if (order[j][0] > alpha / (order.length - j)) break;
    out[order[j][1]] = true;
  }
  return out;
}

function kept(table: Table): string[] {
  const a = table.getChild('antecedent')!;
  return Array.from({ length: table.numRows }, (_, i) => String([...a.get(i)!][0]));
}

describe('significantRules', () => {
  it("adjustedP equals R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02 (R 4.2 stats)", () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    const out = significantRules(rulesWithP(p), { alpha: 0.99, adjust: 'holm' });
    expect(Array.from(out.getChild('adjustedP')!.toArray() as Float64Array).map((v) => +v.toFixed(12))).toEqual([
      0.03, 0.06, 0.06, 0.02,
    ]);
    const bonferroni = significantRules(rulesWithP(p), { alpha: 0.99, adjust: 'bonferroni' });
    expect(Array.from(bonferroni.getChild('adjustedP')!.toArray() as Float64Array)).toEqual([0.04, 0.16, 0.12, 0.02]);
  });

  it("keeps the rules Holm's step-down procedure rejects, and Bonferroni's p·m ≤ α, on 60 spread p-values", () => {
    let state = 7;
    const p = Array.from({ length: 60 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state / 2 ** 32) ** 4; // many small p-values
    });
    for (const alpha of [0.001, 0.01, 0.05]) {
      const holm = holmRejects(p, alpha);
      expect(kept(significantRules(rulesWithP(p), { alpha, adjust: 'holm' }))).toEqual(
        p.map((_, i) => `a${i}`).filter((_, i) => holm[i]),
      );
      expect(kept(significantRules(rulesWithP(p), { alpha, adjust: 'bonferroni' }))).toEqual(
        p.map((_, i) => `a${i}`).filter((_, i) => p[i] * p.length <= alpha),
      );
      expect(kept(significantRules(rulesWithP(p), { alpha }))).toEqual(
        p.map((_, i) => `a${i}`).filter((_, i) => p[i] <= alpha),
      );
    }
  });

  it('p-values from the default columns equal the fisherP column; metadata counts the tests; none significant warns', () => {
    const lists = Array.from({ length: 30 }, (_, b) =>
      ['x', 'y', 'z', 'w'].filter((_, j) => (b * (j + 3)) % (j + 2) !== 0 || (b % 3 === 0 && j < 2)),
    );
    const itemsets = frequentItemsets(lists, { minSupport: 0.1 });
    const plain = associationRules(itemsets, { minConfidence: 0.3 });
    const withP = associationRules(itemsets, { minConfidence: 0.3, measures: 'all' });
    const a = significantRules(plain, { alpha: 0.5 });
    const b = significantRules(withP, { alpha: 0.5 });
    expect(a.numRows).toBe(b.numRows);
    expect(Array.from(a.getChild('fisherP')!.toArray() as Float64Array)).toEqual(
      Array.from(b.getChild('fisherP')!.toArray() as Float64Array),
    );
    expect(a.schema.metadata.get('clientele.tests')).toBe(String(plain.numRows));
    const none = significantRules(plain, { alpha: 1e-12, adjust: 'bonferroni' });
    expect(none.numRows).toBe(0);
    expect(none.schema.metadata.get('clientele.warning')).toMatch(/none of the \d+ rules is significant/);
    expect(none.schema.fields.map((f) => f.name)).toContain('adjustedP');
  });

  it('refuses a bad method, alpha or adjust, and a table that is not rules', () => {
    const rules = rulesWithP([0.1]);
    expectCode(
      () => significantRules(rules, { method: 'chisq' as 'fisher' }),
      'INVALID_OPTION',
      "method must be 'fisher'",
    );
    for (const alpha of [0, 1, -0.1, NaN])
      expectCode(() => significantRules(rules, { alpha }), 'INVALID_OPTION', 'alpha');
    expectCode(() => significantRules(rules, { adjust: 'BH' as 'holm' }), 'INVALID_OPTION', 'holm, bonferroni, none');
    expectCode(() => significantRules({} as Table), 'INVALID_INPUT', 'associationRules');
    const noCounts = new Table({
      antecedent: rules.getChild('antecedent')!,
      consequent: rules.getChild('consequent')!,
    });
    expectCode(() => significantRules(noCounts), 'INVALID_INPUT', 'baskets');
  });
});
