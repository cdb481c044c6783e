/**
 * Rule measures, minLength, significance and redundancy against R arules 1.7-10 on Groceries.
 *
 * The fixture `fixtures/arules/groceries-measures.json` was written by arules itself (see the README there): every
 * measure of `apriori(Groceries, parameter = list(supp = 0.001, conf = 0.8))` (the 410 rules), the counts of
 * `is.significant` and `is.redundant` and the top 11 by each measure of the 5,668 rules at conf = 0.5, and the
 * rules with an empty left-hand side at arules' default minlen = 1. Item names are compared after trimming
 * (`read.transactions` strips the trailing space of "cream cheese " and "roll products "; the fixture does too).
 *
 * Tolerance: 1e-9 relative (1e-12 absolute for values near 0: a difference of two confidences or a statistic
 * that cancels); p-values relative down to 1e-300 (below, both sides underflow to 0 together).
 */
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { associationRules } from '../../src/basket/association-rules';
import type { RuleMeasure } from '../../src/basket/association-rules';
import { basketsFromLists } from '../../src/basket/baskets';
import { significantRules } from '../../src/basket/rule-significance';
import { frequentItemsets } from '../../src/api/basket';
import { hypergeometricLowerTail, hypergeometricQuantile, hypergeometricUpperTail } from '../../src/math/internal';
import { dataset } from '../helpers/datasets';

interface Top {
  lhs: string[];
  rhs: string[];
  value: (number | string | null)[];
}
interface Fixture {
  arules: string;
  sameData: boolean;
  conf08: Record<string, (number | string | null)[]> & { lhs: string[]; rhs: string[] };
  conf05: Record<string, number> & { top: Record<string, Top> };
  hypergeometric: {
    x: number[];
    marked: number[];
    unmarked: number[];
    draws: number[];
    upper: number[];
    lower: number[];
    q99: number[];
  };
  minlen: {
    supp: number;
    conf: number;
    rules: number;
    rulesMinlen2: number;
    emptyRhs: string[];
    emptyConfidence: number[];
    redundant: number;
    redundantMinlen2: number;
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/arules/groceries-measures.json', import.meta.url), 'utf8'),
) as Fixture;

/** arules' measure name → clientele's column. */
const MEASURES: Record<string, RuleMeasure> = {
  support: 'support',
  confidence: 'confidence',
  lift: 'lift',
  count: 'count',
  coverage: 'antecedentSupport',
  rhsSupport: 'consequentSupport',
  leverage: 'leverage',
  conviction: 'conviction',
  jaccard: 'jaccard',
  certainty: 'certainty',
  kulczynski: 'kulczynski',
  cosine: 'cosine',
  addedValue: 'addedValue',
  chiSquared: 'chiSquared',
  fishersExactTest: 'fisherP',
  hyperLift: 'hyperLift',
  hyperConfidence: 'hyperConfidence',
  oddsRatio: 'oddsRatio',
  phi: 'phi',
  yuleQ: 'yuleQ',
  yuleY: 'yuleY',
  kappa: 'kappa',
  maxconfidence: 'maxConfidence',
  imbalance: 'imbalance',
  laplace: 'laplace',
  relativeRisk: 'relativeRisk',
  improvement: 'improvement',
  allConfidence: 'allConfidence',
};

const number = (v: number | string | null): number =>
  v === null ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);

/** One basket a line, items comma-separated and trimmed (as arules' read.transactions), repeats dropped. */
function groceries(): string[][] {
  const lines = readFileSync(dataset('groceries.csv'), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [...new Set(line.split(',').map((item) => item.trim()))].filter((i) => i.length > 0));
}

const key = (names: readonly string[]) => [...names].sort().join('|');

function ruleKeys(table: Table): string[] {
  const a = table.getChild('antecedent')!;
  const c = table.getChild('consequent')!;
  return Array.from(
    { length: table.numRows },
    (_, i) => `${key([...a.get(i)!] as string[])} => ${key([...c.get(i)!] as string[])}`,
  );
}

function close(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
  if (!(Math.abs(actual - expected) <= tolerance)) expect.fail(`${what}: ${actual} vs arules ${expected}`);
}

const lists = groceries();
const baskets = basketsFromLists(lists);
const itemsets = frequentItemsets(baskets, { minSupport: 0.001 });
/** The 5,668 rules at conf 0.5 with every measure, computed once for the tests that read them. */
let halfRules: Table | null = null;
const half = (): Table => (halfRules ??= associationRules(itemsets, { minConfidence: 0.5, measures: 'all' }));

describe('rule measures against R arules 1.7-10 on Groceries (fixtures/arules)', () => {
  it('the fixture is arules 1.7-10 on the same 9,835 baskets as datasets/groceries.csv.gz', () => {
    expect(fixture.arules).toBe('1.7.10');
    expect(fixture.sameData).toBe(true);
    expect(baskets.count).toBe(9835);
  });

  it('every measure of the 410 rules of apriori(Groceries, supp = 0.001, conf = 0.8), to 1e-9', () => {
    const rules: Table = associationRules(itemsets, { minConfidence: 0.8, measures: 'all' });
    const keys = ruleKeys(rules);
    const row = new Map(keys.map((k, i) => [k, i]));
    const expected = fixture.conf08;
    expect(rules.numRows).toBe(expected.lhs.length);
    const rows = expected.lhs.map((lhs, r) => row.get(`${lhs} => ${expected.rhs[r]}`));
    expect(rows.filter((r) => r === undefined)).toEqual([]);
    let checked = 0;
    let limits = 0;
    for (const [name, column] of Object.entries(MEASURES)) {
      const values = rules.getChild(column)!;
      expected[name].forEach((v, r) => {
        const want = number(v);
        const got = Number(values.get(rows[r]!));
        // arules' Yule's Q and Y are (OR − 1)/(OR + 1) of an infinite odds ratio, NaN; the limit is 1
        if (
          (name === 'yuleQ' || name === 'yuleY') &&
          Number.isNaN(want) &&
          number(expected.oddsRatio[r]) === Infinity
        ) {
          expect(got).toBe(1);
          limits++;
        } else close(got, want, `${name} of ${keys[rows[r]!]}`);
        checked++;
      });
    }
    expect(checked).toBe(410 * 28);
    expect(limits).toBeGreaterThan(0); // rules of confidence 1 with n01 = 0 are among the 410
  });

  it('hypergeometric tails and 0.99 quantiles equal R phyper / qhyper, p-values relative to 1e-9 down to 1e-276', () => {
    const h = fixture.hypergeometric;
    expect(h.x.length).toBeGreaterThan(60);
    let tiny = 0;
    h.x.forEach((x, i) => {
      const d = { marked: h.marked[i], unmarked: h.unmarked[i], draws: h.draws[i] };
      const what = `x = ${x}, m = ${d.marked}, n = ${d.unmarked}, k = ${d.draws}`;
      const upper = hypergeometricUpperTail(x, d);
      if (h.upper[i] === 0) expect(upper, what).toBeLessThan(1e-300);
      else expect(Math.abs(upper / h.upper[i] - 1), what).toBeLessThan(1e-9);
      if (h.upper[i] > 0 && h.upper[i] < 1e-200) tiny++;
      close(hypergeometricLowerTail(x - 1, d), h.lower[i], `lower tail at ${what}`);
      expect(hypergeometricQuantile(0.99, d), what).toBe(h.q99[i]);
    });
    expect(tiny).toBeGreaterThan(3);
  });

  it('is.redundant of the 410 rules (18) and of the 5,668 at conf 0.5 (572) equals pruneRedundant', () => {
    const all = associationRules(itemsets, { minConfidence: 0.8, measures: ['improvement'] });
    const pruned = associationRules(itemsets, { minConfidence: 0.8, pruneRedundant: true });
    const redundant = new Set(
      fixture.conf08.lhs.filter((_, r) => fixture.conf08.isRedundant[r] === 1).map((lhs, j) => lhs + j),
    );
    expect(redundant.size).toBe(18);
    expect(all.numRows - pruned.numRows).toBe(18);
    const keptKeys = new Set(ruleKeys(pruned));
    fixture.conf08.lhs.forEach((lhs, r) => {
      expect(keptKeys.has(`${lhs} => ${fixture.conf08.rhs[r]}`), `${lhs}`).toBe(fixture.conf08.isRedundant[r] === 0);
    });
    const halfPruned = associationRules(itemsets, {
      minConfidence: 0.5,
      measures: ['confidence'],
      pruneRedundant: true,
    });
    expect(half().numRows).toBe(fixture.conf05.rules);
    expect(half().numRows - halfPruned.numRows).toBe(fixture.conf05.redundant);
    // improvement ≤ 0 marks the same number of rules
    const improvement = half().getChild('improvement')!.toArray() as Float64Array;
    expect(improvement.filter((v) => v <= 0).length).toBe(fixture.conf05.redundant);
  });

  it('is.significant(rules, method = "fisher", alpha, adjust) counts of the 5,668 rules at conf 0.5', () => {
    const rules = half(); // its fisherP column is used as it is; the counts give the same p (rule-significance test)
    for (const alpha of [0.01, 0.05]) {
      for (const adjust of ['none', 'holm', 'bonferroni'] as const) {
        const kept = significantRules(rules, { alpha, adjust });
        expect(kept.numRows, `${alpha} ${adjust}`).toBe(fixture.conf05[`significant_${alpha}_${adjust}`]);
      }
    }
  });

  it('the top 10 rules by every measure of the 5,668 rules at conf 0.5 (sort(rules, by = measure))', () => {
    const rules = half();
    const keys = ruleKeys(rules);
    for (const [name, column] of Object.entries(MEASURES)) {
      const top = fixture.conf05.top[name];
      const values = Array.from(rules.getChild(column)!.toArray() as ArrayLike<number>, Number);
      const odds = rules.getChild('oddsRatio')!;
      // arules' Yule's Q and Y of an infinite odds ratio are NaN (ours 1, the limit), and NaN is not sorted
      const ranked = (v: number, i: number) =>
        !Number.isNaN(v) && !((name === 'yuleQ' || name === 'yuleY') && odds.get(i) === Infinity);
      const order = values
        .map((v, i) => [v, i] as const)
        .filter(([v, i]) => ranked(v, i))
        .sort((a, b) => (b[0] === a[0] ? 0 : b[0] > a[0] ? 1 : -1));
      // the values at ranks 1 … 11 agree
      top.value.forEach((v, rank) => close(order[rank][0], number(v), `${name} rank ${rank + 1}`));
      // the rules strictly above the 10th value agree as a set (ties at the boundary may be ordered either way)
      const tenth = number(top.value[9]);
      const above = (v: number) => v > tenth && Math.abs(v - tenth) > Math.max(1e-9 * Math.abs(tenth), 1e-12);
      const ours = order.filter(([v]) => above(v)).map(([, i]) => keys[i]);
      const theirs = top.lhs.map((lhs, r) => `${lhs} => ${top.rhs[r]}`).filter((_, r) => above(number(top.value[r])));
      expect(ours.sort(), name).toEqual(theirs.sort());
    }
  });
});

describe("minLength: 1 reproduces arules' default minlen = 1 ({} => C)", () => {
  for (const setting of fixture.minlen) {
    it(`apriori(Groceries, supp = ${setting.supp}, conf = ${setting.conf}): ${setting.rules} rules, ${setting.emptyRhs.length} with an empty lhs; ${setting.rulesMinlen2} at minlen 2; is.redundant ${setting.redundant} / ${setting.redundantMinlen2}`, () => {
      const mined = frequentItemsets(baskets, { minSupport: setting.supp });
      const rules = associationRules(mined, { minConfidence: setting.conf, minLength: 1 });
      expect(rules.numRows).toBe(setting.rules);
      expect(associationRules(mined, { minConfidence: setting.conf }).numRows).toBe(setting.rulesMinlen2);
      const keys = ruleKeys(rules);
      const empty = keys.map((k, i) => [k, i] as const).filter(([k]) => k.startsWith(' => '));
      expect(empty.map(([k]) => k.slice(4)).sort()).toEqual([...setting.emptyRhs].sort());
      for (const [k, i] of empty) {
        const r = setting.emptyRhs.indexOf(k.slice(4));
        close(Number(rules.getChild('confidence')!.get(i)), setting.emptyConfidence[r], `confidence of ${k}`);
        expect(rules.getChild('lift')!.get(i)).toBe(1);
        expect(rules.getChild('antecedent')!.get(i)!.length).toBe(0);
      }
      const pruned = associationRules(mined, { minConfidence: setting.conf, minLength: 1, pruneRedundant: true });
      expect(rules.numRows - pruned.numRows).toBe(setting.redundant);
      const pruned2 = associationRules(mined, { minConfidence: setting.conf, pruneRedundant: true });
      expect(setting.rulesMinlen2 - pruned2.numRows).toBe(setting.redundantMinlen2);
    });
  }
});
