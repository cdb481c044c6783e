import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index';
import { expectCode } from '../helpers/errors';
import { itemsOf, render } from './render';

/** arulesViz's grouped matrix and graph of rules, checked against sums over the rules table written here. */
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let rules: ReturnType<typeof api.associationRules>;
beforeAll(() => {
  const store = api.sampleStore({ customers: 1000, seed: 5 });
  const baskets = api.baskets(store.basketItems, { transaction: 'transaction', item: 'item' });
  rules = api.associationRules(api.frequentItemsets(baskets, { minSupport: 0.01 }), { minConfidence: 0.1 });
});

/** The rules as plain rows, itemsets as arules prints them. */
function rows(table = rules) {
  const side = (name: string, i: number) =>
    `{${[...((table as Table).getChild(name)!.get(i) as Iterable<string>)].join(', ')}}`;
  return Array.from({ length: table.numRows }, (_, i) => ({
    a: side('antecedent', i),
    c: side('consequent', i),
    support: table.getChild('support')!.get(i) as number,
    lift: table.getChild('lift')!.get(i) as number,
  }));
}

describe('rulesGroupedMatrix', () => {
  it('each balloon is the mean support and mean lift of its group’s rules with that consequent; groups partition the antecedents', async () => {
    const all = rows();
    expect(all.length).toBeGreaterThan(50);
    const spec = api.rulesGroupedMatrix(rules, { groups: 6, maxConsequents: 8 }) as Spec;
    const groups = spec.usermeta.groups as string[][];
    expect(groups.length).toBe(6);
    const members = groups.flat();
    expect(new Set(members).size).toBe(members.length); // a partition: no antecedent in two groups
    const consequents = spec.encoding.y.scale.domain as string[];
    expect(consequents.length).toBe(8);
    // the rows are the 8 consequents with the highest lift (maxRules 2000 ≥ the rules here)
    const bestLift = new Map<string, number>();
    for (const r of all) bestLift.set(r.c, Math.max(bestLift.get(r.c) ?? -Infinity, r.lift));
    const ranked = [...bestLift.entries()].sort((x, y) => y[1] - x[1]).map(([c]) => c);
    expect(new Set(consequents)).toEqual(new Set(ranked.slice(0, 8)));
    // every rule with a drawn consequent has its antecedent in exactly one group
    const drawn = all.filter((r) => consequents.includes(r.c));
    expect(new Set(members)).toEqual(new Set(drawn.map((r) => r.a)));
    let cells = 0;
    groups.forEach((group, g) => {
      for (const c of consequents) {
        const mine = drawn.filter((r) => r.c === c && group.includes(r.a));
        const cell = spec.data.values.find((v: Spec) => v.groupOrder === g && v.consequent === c);
        if (mine.length === 0) {
          expect(cell).toBeUndefined();
          continue;
        }
        cells++;
        expect(cell.rules).toBe(mine.length);
        expect(cell.support).toBeCloseTo(mine.reduce((s, r) => s + r.support, 0) / mine.length, 12);
        expect(cell.lift).toBeCloseTo(mine.reduce((s, r) => s + r.lift, 0) / mine.length, 12);
      }
    });
    expect(spec.data.values.length).toBe(cells);
    // k-means converged: every antecedent's lift profile is nearest (or tied) to its own group's mean profile
    const profile = (a: string) => consequents.map((c) => drawn.find((r) => r.a === a && r.c === c)?.lift ?? 0);
    const centres = groups.map((group) =>
      consequents.map((_, j) => group.reduce((s, a) => s + profile(a)[j], 0) / group.length),
    );
    const dist = (p: number[], q: number[]) => p.reduce((s, v, j) => s + (v - q[j]) ** 2, 0);
    groups.forEach((group, g) => {
      for (const a of group) {
        const own = dist(profile(a), centres[g]);
        for (const other of centres) expect(own).toBeLessThanOrEqual(dist(profile(a), other) + 1e-9);
      }
    });
    const r = await render(spec);
    expect(r.messages).toEqual([]);
    expect(itemsOf(r.view, 'marks').length).toBe(cells);
    // deterministic
    expect(JSON.stringify(api.rulesGroupedMatrix(rules, { groups: 6, maxConsequents: 8 }))).toBe(JSON.stringify(spec));
  });

  it('labels each group with its two most common antecedent items and its rule count', () => {
    const spec = api.rulesGroupedMatrix(rules, { groups: 4 }) as Spec;
    const groups = spec.usermeta.groups as string[][];
    const labels = spec.encoding.x.scale.domain as string[];
    const drawnC = new Set(spec.encoding.y.scale.domain as string[]);
    const all = rows().filter((r) => drawnC.has(r.c));
    groups.forEach((group, g) => {
      const count = new Map<string, number>();
      for (const a of group) for (const item of a.slice(1, -1).split(', ')) count.set(item, (count.get(item) ?? 0) + 1);
      const top = [...count.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 2);
      const n = all.filter((r) => group.includes(r.a)).length;
      expect(labels[g].startsWith(`{${top.map(([item]) => item).join(', ')}`)).toBe(true);
      expect(labels[g].endsWith(`(${n} rule${n === 1 ? '' : 's'})`)).toBe(true);
    });
  });

  it('draws an empty chart for a table without rules, and refuses bad options', async () => {
    const none = api.associationRules(api.frequentItemsets([['a', 'b'], ['c']], { minSupport: 0.9 }));
    const spec = api.rulesGroupedMatrix(none) as Spec;
    expect(spec.title.subtitle).toContain('no rules');
    expect((await render(spec)).messages).toEqual([]);
    const graph = api.rulesGraph(none) as Spec;
    expect(graph.title.subtitle).toContain('no rules');
    expect((await render(graph)).messages).toEqual([]);
    expectCode(() => api.rulesGroupedMatrix(rules, { groups: 0 }), 'INVALID_OPTION', 'groups');
    expectCode(() => api.rulesGroupedMatrix({ antecedent: ['a'] }), 'MISSING_COLUMN', 'consequent');
  });
});

describe('rulesGraph', () => {
  it('has a node per item and per rule, an edge per antecedent item and per consequent item, inside the chart', async () => {
    const spec = api.rulesGraph(rules, { maxRules: 15 }) as Spec;
    const layer = (name: string) => spec.layer.find((l: Spec) => l.name === name).data.values as Spec[];
    const all = rows();
    const top = [...all.keys()]
      .sort((x, y) => all[y].lift - all[x].lift || x - y)
      .slice(0, 15)
      .map((i) => all[i]);
    expect(new Set(layer('rules').map((r) => r.rule))).toEqual(new Set(top.map((r) => `${r.a} → ${r.c}`)));
    const items = new Set(top.flatMap((r) => [...r.a.slice(1, -1).split(', '), ...r.c.slice(1, -1).split(', ')]));
    expect(new Set(layer('items').map((n) => n.item))).toEqual(items);
    const edges = top.reduce((s, r) => s + r.a.split(', ').length + r.c.split(', ').length, 0);
    expect(layer('edges').length).toBe(edges);
    expect(layer('arrowheads').length).toBe(top.reduce((s, r) => s + r.c.split(', ').length, 0));
    for (const node of [...layer('items'), ...layer('rules')]) {
      expect(node.x >= 0 && node.x <= spec.width && node.y >= 0 && node.y <= spec.height).toBe(true);
    }
    // every edge starts at a node it names
    const at = new Map<string, Spec>([
      ...layer('items').map((n): [string, Spec] => [n.item, n]),
      ...layer('rules').map((n): [string, Spec] => [n.rule, n]),
    ]);
    for (const e of layer('edges')) {
      expect(at.get(e.from)!.x).toBe(e.x);
      expect(at.get(e.from)!.y).toBe(e.y);
    }
    expect((await render(spec)).messages).toEqual([]);
  });

  it('is deterministic and keeps nodes apart (no two nodes within 4 px) for any small rule set', () => {
    const basket = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.array(basket, { minLength: 4, maxLength: 30 }), (lists) => {
        const table = api.associationRules(api.frequentItemsets(lists, { minSupport: 0.2 }), { minConfidence: 0.3 });
        const spec = api.rulesGraph(table) as Spec;
        expect(JSON.stringify(api.rulesGraph(table))).toBe(JSON.stringify(spec));
        const nodes = spec.layer
          .filter((l: Spec) => l.name === 'items' || l.name === 'rules')
          .flatMap((l: Spec) => l.data.values);
        for (let i = 0; i < nodes.length; i++)
          for (let j = i + 1; j < nodes.length; j++)
            expect(Math.hypot(nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y)).toBeGreaterThan(4);
      }),
      { numRuns: 50 },
    );
  });
});
