import { knownOptions, optionNames } from '../table/internal';
import { chart, countOption, finite, formatCount, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { itemsetText, readRuleSets, topByLift } from './rule-sets';
import type { RuleSets } from './rule-sets';

/** Options of {@link rulesGroupedMatrix}. */
export interface RulesGroupedMatrixOptions extends ChartOptions {
  /** Number of antecedent groups (columns). Default 10 (fewer when there are fewer distinct antecedents). */
  groups?: number;
  /** Consequents drawn (rows), those with the highest lift. Default 12. */
  maxConsequents?: number;
  /** Rules read, those with the highest lift. Default 2000. */
  maxRules?: number;
}

const RULES_GROUPED_MATRIX_OPTION_NAMES = optionNames<RulesGroupedMatrixOptions>({
  groups: true,
  maxConsequents: true,
  maxRules: true,
  title: true,
  width: true,
  height: true,
});

/**
 * Association rules as arulesViz's grouped matrix (Hahsler & Chelluboina 2011): the antecedents clustered into a
 * few groups (columns), the consequents as rows, and one balloon per group × consequent — size = mean support, colour
 * = mean lift of the group's rules with that consequent. Each column is labelled with the items most common in its
 * antecedents (`{beer, chips, +3 items}`) and its number of rules.
 *
 * Analysts use it when there are too many rules to read: which kinds of baskets lead to which item, and how strongly.
 *
 * Grouping (Hahsler's): every distinct antecedent gets its profile, the vector of its rules' lifts over the drawn
 * consequents (0 where it has no rule); the profiles are clustered by k-means (Lloyd) started from k farthest points
 * (the first the largest profile, ties by table order), so the chart is deterministic. Columns are ordered by the
 * mean lift of their rules, rows by the largest lift of the consequent. The groups' members are in the spec's
 * `usermeta.groups` (antecedents as `{a, b}` text).
 *
 * Cost: O(r log r) for the sort, plus O(iterations · a · k · c) for a antecedents, k groups, c consequents.
 *
 * Reference: Hahsler & Chelluboina (2011), "Visualizing association rules: introduction to the R-extension package
 * arulesViz", section 5 (grouped matrix-based visualization).
 *
 * @param rules the table `associationRules` returns: `antecedent`, `consequent`, `support`, `confidence`, `lift`
 * @param options groups (10), maxConsequents (12), maxRules (2000), title, width (480), height (320)
 * @throws {ClienteleError} `MISSING_COLUMN`; `INVALID_INPUT`; `INVALID_OPTION`
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.5 });
 * const spec = rulesGroupedMatrix(rules, { groups: 2 });
 * spec.usermeta.groups.length; // 2
 */
export function rulesGroupedMatrix(rules: unknown, options: RulesGroupedMatrixOptions = {}): ChartSpec {
  options = knownOptions(options, RULES_GROUPED_MATRIX_OPTION_NAMES, 'rulesGroupedMatrix');
  const fn = 'rulesGroupedMatrix';
  const k = countOption(options.groups, 10, 1, 'groups', fn);
  const maxConsequents = countOption(options.maxConsequents, 12, 1, 'maxConsequents', fn);
  const maxRules = countOption(options.maxRules, 2000, 1, 'maxRules', fn);
  const width = sizeOption(options.width, 480, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const r = readRuleSets(rules, fn);
  const kept = topByLift(r, maxRules).filter((i) => Number.isFinite(r.lift[i]) && Number.isFinite(r.support[i]));
  // rows: the consequents with the highest lift
  const best = new Map<string, number>();
  for (const i of kept) {
    const c = itemsetText(r.consequent[i]);
    if (!best.has(c)) best.set(c, r.lift[i]); // kept is in descending lift
  }
  const consequents = [...best.keys()].slice(0, maxConsequents);
  const row = new Map(consequents.map((c, j) => [c, j]));
  const used = kept.filter((i) => row.has(itemsetText(r.consequent[i])));
  const { antecedents, items, index, group } = groupAntecedents(r, used, row, k);
  const groupCount = antecedents.length === 0 ? 0 : Math.max(...group) + 1;
  // cells: mean support and lift of a group's rules with one consequent
  const cells = new Map<string, { g: number; j: number; n: number; support: number; lift: number }>();
  const groupLift = new Float64Array(groupCount);
  const groupRules = new Float64Array(groupCount);
  for (const i of used) {
    const g = group[index.get(itemsetText(r.antecedent[i]))!];
    const j = row.get(itemsetText(r.consequent[i]))!;
    const key = `${g}|${j}`;
    const cell = cells.get(key) ?? cells.set(key, { g, j, n: 0, support: 0, lift: 0 }).get(key)!;
    cell.n++;
    cell.support += r.support[i];
    cell.lift += r.lift[i];
    groupLift[g] += r.lift[i];
    groupRules[g]++;
  }
  const order = Array.from({ length: groupCount }, (_, g) => g).sort(
    (a, b) => groupLift[b] / groupRules[b] - groupLift[a] / groupRules[a] || a - b,
  );
  const rank = new Int32Array(groupCount);
  order.forEach((g, p) => (rank[g] = p));
  const members: string[][] = order.map(() => []);
  antecedents.forEach((a, p) => members[rank[group[p]]].push(a));
  const labels = order.map((g) =>
    groupLabel(
      items.filter((_, p) => group[p] === g),
      groupRules[g],
    ),
  );
  const values = [...cells.values()]
    .map((cell) => ({
      group: labels[rank[cell.g]],
      groupOrder: rank[cell.g],
      consequent: consequents[cell.j],
      consequentOrder: cell.j,
      rules: cell.n,
      support: finite(cell.support / cell.n),
      lift: finite(cell.lift / cell.n),
    }))
    .sort((a, b) => a.groupOrder - b.groupOrder || a.consequentOrder - b.consequentOrder);
  const droppedConsequents = best.size - consequents.length;
  const subtitle =
    r.rows === 0
      ? 'no rules: lower minSupport or minConfidence'
      : [
          `${formatCount(used.length)} of ${formatCount(r.rows)} rules in ${groupCount} antecedent groups (k-means on lift profiles)`,
          `${droppedConsequents > 0 ? `top ${consequents.length} of ${best.size} consequents by lift; ` : ''}size = mean support, colour = mean lift`,
        ];
  return chart({
    title: { text: options.title ?? 'Grouped matrix of association rules', subtitle },
    width,
    height,
    usermeta: { groups: members },
    data: { values },
    mark: { type: 'circle', opacity: 0.9, stroke: '#333333', strokeWidth: 0.3 },
    encoding: matrixEncoding(labels, consequents, values.length === 0),
  });
}

/** Groups across, consequents down, size = mean support, colour = mean lift; fixed domains when there is no cell. */
function matrixEncoding(labels: string[], consequents: string[], empty: boolean) {
  return {
    x: {
      field: 'group',
      type: 'nominal',
      title: 'Antecedent groups (most common items, rules)',
      sort: labels,
      scale: { domain: labels },
      axis: { labelAngle: -40, labelLimit: 260 },
    },
    y: {
      field: 'consequent',
      type: 'nominal',
      title: 'Consequent',
      sort: consequents,
      scale: { domain: consequents },
    },
    size: {
      field: 'support',
      type: 'quantitative',
      title: 'Support',
      legend: { format: '.2%' },
      ...(empty ? { scale: { domain: [0, 1] } } : {}),
    },
    color: {
      field: 'lift',
      type: 'quantitative',
      title: 'Lift',
      scale: { scheme: 'reds', ...(empty ? { domain: [0, 2] } : {}) },
    },
    tooltip: [
      { field: 'group', type: 'nominal', title: 'Antecedent group' },
      { field: 'consequent', type: 'nominal', title: 'Consequent' },
      { field: 'rules', type: 'quantitative', title: 'Rules' },
      { field: 'support', type: 'quantitative', title: 'Mean support', format: '.2%' },
      { field: 'lift', type: 'quantitative', title: 'Mean lift', format: '.2f' },
    ],
  };
}

/** One lift profile per distinct antecedent (over the drawn consequents) and its k-means group. */
function groupAntecedents(r: RuleSets, used: number[], row: Map<string, number>, k: number) {
  const antecedents: string[] = [];
  const items: string[][] = [];
  const index = new Map<string, number>();
  for (const i of used) {
    const a = itemsetText(r.antecedent[i]);
    if (!index.has(a)) {
      index.set(a, antecedents.length);
      antecedents.push(a);
      items.push(r.antecedent[i]);
    }
  }
  const c = row.size;
  const profiles = antecedents.map(() => new Float64Array(c));
  for (const i of used)
    profiles[index.get(itemsetText(r.antecedent[i]))!][row.get(itemsetText(r.consequent[i]))!] = r.lift[i];
  const group = kMeansGroups(profiles, Math.min(k, antecedents.length));
  return { antecedents, items, index, group };
}

/** `{beer, chips, +3 items} (12 rules)`: the two items most common in a group's antecedents, then how many more. */
function groupLabel(antecedents: string[][], rules: number): string {
  const count = new Map<string, number>();
  for (const list of antecedents) for (const item of list) count.set(item, (count.get(item) ?? 0) + 1);
  const ranked = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const shown = ranked.slice(0, 2).map(([item]) => item);
  const more = ranked.length - shown.length;
  return `{${shown.join(', ')}${more > 0 ? `, +${more} items` : ''}} (${rules} rule${rules === 1 ? '' : 's'})`;
}

/**
 * k-means (Lloyd) of the profiles, deterministic: the first centre is the profile of largest norm, each next one the
 * profile farthest from the centres so far (ties by order); iterate assignment (ties to the lower group) and means
 * until no profile moves (at most 100 rounds). Returns each profile's group, renumbered 0… without empty groups.
 */
function kMeansGroups(profiles: readonly Float64Array[], k: number): Int32Array {
  const n = profiles.length;
  const group = new Int32Array(n);
  if (n === 0 || k <= 1) return group;
  const dim = profiles[0].length;
  const dist = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (a[d] - b[d]) ** 2;
    return s;
  };
  const zero = new Float64Array(dim);
  let first = 0;
  for (let p = 1; p < n; p++) if (dist(profiles[p], zero) > dist(profiles[first], zero)) first = p;
  const centres: Float64Array[] = [Float64Array.from(profiles[first])];
  const nearest = profiles.map((p) => dist(p, centres[0]));
  while (centres.length < k) {
    let far = -1;
    for (let p = 0; p < n; p++) if (far < 0 || nearest[p] > nearest[far]) far = p;
    if (nearest[far] === 0) break; // fewer distinct profiles than k
    centres.push(Float64Array.from(profiles[far]));
    for (let p = 0; p < n; p++) nearest[p] = Math.min(nearest[p], dist(profiles[p], centres[centres.length - 1]));
  }
  group.fill(-1);
  for (let round = 0; round < 100; round++) {
    let moved = false;
    for (let p = 0; p < n; p++) {
      let g = 0;
      for (let c = 1; c < centres.length; c++) if (dist(profiles[p], centres[c]) < dist(profiles[p], centres[g])) g = c;
      if (g === group[p]) continue;
      group[p] = g;
      moved = true;
    }
    if (!moved) break;
    for (let c = 0; c < centres.length; c++) {
      const sum = new Float64Array(dim);
      let m = 0;
      for (let p = 0; p < n; p++) {
        if (group[p] !== c) continue;
        m++;
        for (let d = 0; d < dim; d++) sum[d] += profiles[p][d];
      }
      if (m > 0) centres[c] = sum.map((v) => v / m);
    }
  }
  const renumber = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    if (!renumber.has(group[p])) renumber.set(group[p], renumber.size);
    group[p] = renumber.get(group[p])!;
  }
  return group;
}
