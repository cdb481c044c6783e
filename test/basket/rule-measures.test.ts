/**
 * The rule measures and minLength against independent computations written here: every measure of every rule of
 * a small random basket set from its textbook probability form over counts taken by scanning the baskets; the
 * hypergeometric tails and quantile from exact BigInt binomial coefficients; improvement by comparing every pair
 * of rules. (The figures of arules are in test/conformance/arules-measures.test.ts.)
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { associationRules, RULE_MEASURES } from '../../src/basket/association-rules';
import { recommend, rulesWithItem, topRules } from '../../src/basket/rule-helpers';
import { frequentItemsets } from '../../src/api/basket';
import { rulesGraph, rulesScatter } from '../../src/charts/index';
import { hypergeometricLowerTail, hypergeometricQuantile, hypergeometricUpperTail } from '../../src/math/internal';
import { expectCode } from '../helpers/errors';

/** 40 baskets over 6 items from a fixed linear congruential stream (items with unequal popularity). */
function randomBaskets(): string[][] {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const items = ['a', 'b', 'c', 'd', 'e', 'f'];
  const chance = [0.6, 0.5, 0.4, 0.35, 0.25, 0.9];
  return Array.from({ length: 40 }, () => items.filter((_, j) => next() < chance[j]));
}

const BASKETS = randomBaskets();
const N = BASKETS.length;
const countOf = (items: readonly string[]) => BASKETS.filter((b) => items.every((i) => b.includes(i))).length;

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let out = 1n;
  for (let j = 1; j <= k; j++) out = (out * BigInt(n - k + j)) / BigInt(j);
  return out;
}

/** P[X = x] of the hypergeometric as an exact fraction's value, with a 1e-17 relative rounding at the end. */
function ratio(num: bigint, den: bigint): number {
  // 60 bits of the quotient, then the power of two
  const shift = BigInt(Math.max(0, den.toString(2).length - num.toString(2).length + 60));
  return Number((num << shift) / den) / 2 ** Number(shift);
}

const numerators = new Map<string, bigint[]>();
/** C(m, x)·C(u, d − x) for x = 0 … d, computed once per distribution. */
function terms(m: number, u: number, d: number): bigint[] {
  const key = `${m} ${u} ${d}`;
  let out = numerators.get(key);
  if (!out) numerators.set(key, (out = Array.from({ length: d + 1 }, (_, x) => choose(m, x) * choose(u, d - x))));
  return out;
}

/** P[from ≤ X ≤ to], summed exactly. */
function exactTail(from: number, to: number, m: number, u: number, d: number): number {
  const t = terms(m, u, d);
  let num = 0n;
  for (let x = Math.max(0, from); x <= to; x++) num += t[x];
  return ratio(num, choose(m + u, d));
}

/** The textbook form of each measure, over probabilities (not the count form the code uses). */
function textbook(measure: string, nAC: number, nA: number, nC: number, items: string[]): number {
  const pAC = nAC / N;
  const pA = nA / N;
  const pC = nC / N;
  const conf = pAC / pA;
  const [n11, n10, n01] = [nAC, nA - nAC, nC - nAC];
  const n00 = N - n11 - n10 - n01;
  switch (measure) {
    case 'support':
      return pAC;
    case 'confidence':
      return conf;
    case 'lift':
      return conf / pC;
    case 'leverage':
      return pAC - pA * pC;
    case 'conviction':
      return conf === 1 ? Infinity : (1 - pC) / (1 - conf);
    case 'count':
      return nAC;
    case 'antecedentSupport':
      return pA;
    case 'consequentSupport':
      return pC;
    case 'zhang': {
      const den = Math.max(pAC * (1 - pA), pA * (pC - pAC));
      return den === 0 ? 0 : (pAC - pA * pC) / den;
    }
    case 'jaccard':
      return pAC / (pA + pC - pAC);
    case 'certainty':
      return pC === 1 ? 0 : (conf - pC) / (1 - pC);
    case 'kulczynski':
      return (conf + pAC / pC) / 2;
    case 'allConfidence':
      return pAC / Math.max(...items.map((i) => countOf([i]) / N));
    case 'cosine':
      return pAC / Math.sqrt(pA * pC);
    case 'addedValue':
      return conf - pC;
    case 'chiSquared': {
      // Σ (observed − expected)² / expected over the four cells
      let sum = 0;
      for (const [o, r, c] of [
        [n11, nA, nC],
        [n10, nA, N - nC],
        [n01, N - nA, nC],
        [n00, N - nA, N - nC],
      ]) {
        const e = (r * c) / N;
        sum += ((o - e) * (o - e)) / e;
      }
      return sum;
    }
    case 'fisherP':
      return exactTail(nAC, Math.min(nA, nC), nC, N - nC, nA);
    case 'hyperConfidence':
      return exactTail(0, nAC - 1, nC, N - nC, nA);
    case 'hyperLift': {
      let q = 0;
      while (exactTail(0, q, nC, N - nC, nA) < 0.99 * (1 - 1e-12)) q++;
      return nAC / q;
    }
    case 'oddsRatio':
      return (n11 * n00) / (n10 * n01);
    case 'phi':
      return (pAC - pA * pC) / Math.sqrt(pA * (1 - pA) * pC * (1 - pC));
    case 'yuleQ':
      return (n11 * n00 - n10 * n01) / (n11 * n00 + n10 * n01);
    case 'yuleY':
      return (Math.sqrt(n11 * n00) - Math.sqrt(n10 * n01)) / (Math.sqrt(n11 * n00) + Math.sqrt(n10 * n01));
    case 'kappa': {
      const observed = (n11 + n00) / N;
      const chance = pA * pC + (1 - pA) * (1 - pC);
      return (observed - chance) / (1 - chance);
    }
    case 'maxConfidence':
      return Math.max(conf, pAC / pC);
    case 'imbalance':
      return Math.abs(pA - pC) / (pA + pC - pAC);
    case 'laplace':
      return (nAC + 1) / (nA + 2);
    case 'relativeRisk':
      return conf / (n01 / (N - nA));
    case 'representativity':
      return 1;
    default:
      throw new Error(`no textbook form for ${measure}`);
  }
}

function rows(table: Table): { a: string[]; c: string[]; i: number }[] {
  const a = table.getChild('antecedent')!;
  const c = table.getChild('consequent')!;
  return Array.from({ length: table.numRows }, (_, i) => ({
    a: [...a.get(i)!] as string[],
    c: [...c.get(i)!] as string[],
    i,
  }));
}

function expectClose(actual: number, expected: number, what: string): void {
  if (!Number.isFinite(expected)) expect(actual, what).toBe(expected);
  else if (!(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected))))
    expect.fail(`${what}: ${actual}, expected ${expected}`);
}

describe('rule measures equal their textbook forms over direct counts', () => {
  const itemsets = frequentItemsets(BASKETS, { minSupport: 0.2 });
  const rules: Table = associationRules(itemsets, {
    minConfidence: 0,
    minLength: 1,
    maxConsequent: 2,
    measures: 'all',
  });

  it('every measure of every rule (1e-12), on rules with empty antecedents and two-item consequents too', () => {
    expect(rules.schema.fields.map((f) => f.name)).toEqual(['antecedent', 'consequent', ...RULE_MEASURES]);
    const all = rows(rules);
    expect(all.some((r) => r.a.length === 0)).toBe(true);
    expect(all.some((r) => r.c.length === 2)).toBe(true);
    for (const { a, c, i } of all) {
      const nAC = countOf([...a, ...c]);
      const nA = countOf(a);
      const nC = countOf(c);
      for (const measure of RULE_MEASURES) {
        if (measure === 'improvement') continue;
        const want = textbook(measure, nAC, nA, nC, [...a, ...c]);
        const got = Number(rules.getChild(measure)!.get(i));
        const what = `${measure} of {${a}} → {${c}}`;
        // 0/0 of the textbook form (an empty antecedent: n_A = N) is NaN in both
        if (Number.isNaN(want)) expect(got, what).toBeNaN();
        else expectClose(got, want, what);
      }
    }
  });

  it('improvement: confidence minus the best confidence of a more general rule of the result, 0 when none', () => {
    const all = rows(rules);
    const key = (a: string[], c: string[]) => `${[...a].sort()}|${[...c].sort()}`;
    const confidence = new Map(all.map((r) => [key(r.a, r.c), Number(rules.getChild('confidence')!.get(r.i))]));
    for (const r of all) {
      let best = 0;
      for (const other of all) {
        const general = other.a.length < r.a.length && other.a.every((x) => r.a.includes(x));
        if (general && key([], other.c) === key([], r.c)) best = Math.max(best, confidence.get(key(other.a, other.c))!);
      }
      const own = confidence.get(key(r.a, r.c))!;
      expectClose(Number(rules.getChild('improvement')!.get(r.i)), r.a.length === 0 ? own : own - best, 'improvement');
    }
  });
});

describe('hypergeometric tails and quantile against exact binomial coefficients', () => {
  it('P[X ≥ x], P[X ≤ x] and the 0.99 quantile for populations up to 300 (1e-12 relative)', () => {
    for (const [m, u, d] of [
      [5, 10, 6],
      [30, 270, 40],
      [120, 180, 150],
      [3, 297, 250],
      [200, 100, 1],
    ]) {
      const low = Math.max(0, d - u);
      const high = Math.min(d, m);
      const h = { marked: m, unmarked: u, draws: d };
      for (let x = low; x <= high; x++) {
        const upper = exactTail(x, high, m, u, d);
        const lower = exactTail(low, x, m, u, d);
        expect(Math.abs(hypergeometricUpperTail(x, h) / upper - 1), `P[X ≥ ${x}] ${m} ${u} ${d}`).toBeLessThan(1e-12);
        expect(Math.abs(hypergeometricLowerTail(x, h) / lower - 1), `P[X ≤ ${x}] ${m} ${u} ${d}`).toBeLessThan(1e-12);
      }
      let q = low;
      while (exactTail(low, q, m, u, d) < 0.99 * (1 - 1e-12)) q++;
      expect(hypergeometricQuantile(0.99, h)).toBe(q);
    }
  });
});

describe('minLength', () => {
  const lists = [
    ['beer', 'diapers'],
    ['beer', 'chips', 'diapers'],
    ['beer', 'chips'],
    ['diapers', 'milk'],
    ['beer', 'diapers', 'milk'],
  ];
  const itemsets = frequentItemsets(lists, { minSupport: 0.4 });

  it('default 2 is the rules of before; 1 adds {} → C with confidence P(C) and lift 1; 3 keeps rules of 3+ items', () => {
    const base = associationRules(itemsets, { minConfidence: 0 });
    expect(rows(associationRules(itemsets, { minConfidence: 0, minLength: 2 }))).toEqual(rows(base));
    const one = associationRules(itemsets, { minConfidence: 0, minLength: 1 });
    const empty = rows(one).filter((r) => r.a.length === 0);
    expect(empty.map((r) => r.c[0]).sort()).toEqual(['beer', 'chips', 'diapers', 'milk']);
    for (const r of empty) {
      expect(one.getChild('confidence')!.get(r.i)).toBe(countOf2(lists, r.c) / lists.length);
      expect(one.getChild('lift')!.get(r.i)).toBe(1);
      expect(one.getChild('antecedentSupport')!.get(r.i)).toBe(1);
    }
    expect(one.numRows).toBe(base.numRows + 4);
    expect(associationRules(itemsets, { minConfidence: 0, minLength: 3 }).numRows).toBe(0);
  });

  it('tables with empty antecedents work in topRules, rulesWithItem, recommend and the charts', () => {
    const one = associationRules(itemsets, { minConfidence: 0.7, minLength: 1 });
    expect(topRules(one, 10, { by: 'confidence' }).numRows).toBe(6);
    expect(rulesWithItem(one, 'beer', { side: 'consequent' }).numRows).toBe(3);
    // {} → beer applies to any basket without beer
    expect(recommend(one, ['milk']).map((s) => s.item)).toContain('beer');
    const spec = rulesScatter(one) as unknown as { data: { values: { antecedent: string }[] } };
    expect(spec.data.values.some((v) => v.antecedent === '{}' || v.antecedent === '')).toBe(true);
    expect(() => rulesGraph(one)).not.toThrow();
  });

  it('refuses a minLength that is not a whole number ≥ 1 and measures that are not names or "all"', () => {
    for (const minLength of [0, 1.5, -1, NaN, '2'])
      expectCode(() => associationRules(itemsets, { minLength: minLength as number }), 'INVALID_OPTION', 'minLength');
    expectCode(() => associationRules(itemsets, { measures: 'most' as 'all' }), 'INVALID_OPTION', "or 'all'");
    expectCode(() => associationRules(itemsets, { measures: ['fisher' as 'fisherP'] }), 'INVALID_OPTION', 'fisherP');
  });
});

function countOf2(lists: string[][], items: string[]): number {
  return lists.filter((b) => items.every((i) => b.includes(i))).length;
}
