import { knownOptions, optionNames } from '../table/internal';
import { chart, countOption, finite, formatCount, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { itemsetText, readRuleSets, topByLift } from './rule-sets';

/** Options of {@link rulesGraph}. */
export interface RulesGraphOptions extends ChartOptions {
  /** Rules drawn, those with the highest lift. Default 25. */
  maxRules?: number;
}

const RULES_GRAPH_OPTION_NAMES = optionNames<RulesGraphOptions>({
  maxRules: true,
  title: true,
  width: true,
  height: true,
});

/** Rounds of the force layout. */
const ROUNDS = 300;
/** Margin kept free at the edges of the plotting area, in pixels (item labels sit beside their node). */
const MARGIN = 24;

/**
 * Association rules as arulesViz's graph: items and rules are the nodes, each rule a circle (size = support, colour
 * = lift) with an edge from every antecedent item to it and from it to its consequent item(s), the arrowhead at the
 * consequent. The positions come from a force layout computed here, deterministically (Fruchterman & Reingold 1991:
 * every pair repels with k²/d (two items 4k²/d, so that hub items and their labels stay apart), every edge attracts with d²/k, k = √(area / nodes); 300 rounds with a temperature
 * falling linearly from a tenth of the width; items start evenly on a circle and rules on an inner one, in table
 * order), so the same rules always give the same picture and a spec is plain data.
 *
 * Analysts use it for a handful of strong rules: the items that several rules share stand out as hubs.
 *
 * Cost: O(rounds · (i + r)²) for i items and r rules: keep `maxRules` small (25 by default).
 *
 * Reference: Hahsler & Chelluboina (2011), "Visualizing association rules", section 6 (graph-based visualization).
 *
 * @param rules the table `associationRules` returns: `antecedent`, `consequent`, `support`, `confidence`, `lift`
 * @param options maxRules (25), title, width (480), height (360)
 * @throws {ClienteleError} `MISSING_COLUMN`; `INVALID_INPUT`; `INVALID_OPTION`
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.7 });
 * const spec = rulesGraph(rules);
 * spec.layer.find((layer) => layer.name === 'items').data.values.map((node) => node.item).sort(); // ['beer', 'chips', 'diapers', 'milk']
 * spec.layer.find((layer) => layer.name === 'edges').data.values.length; // 8
 */
export function rulesGraph(rules: unknown, options: RulesGraphOptions = {}): ChartSpec {
  options = knownOptions(options, RULES_GRAPH_OPTION_NAMES, 'rulesGraph');
  const fn = 'rulesGraph';
  const maxRules = countOption(options.maxRules, 25, 1, 'maxRules', fn);
  const width = sizeOption(options.width, 480, 'width', fn);
  const height = sizeOption(options.height, 360, 'height', fn);
  const r = readRuleSets(rules, fn);
  const kept = topByLift(r, maxRules);
  const items: string[] = [];
  const itemIndex = new Map<string, number>();
  for (const i of kept) {
    for (const item of [...r.antecedent[i], ...r.consequent[i]]) {
      if (itemIndex.has(item)) continue;
      itemIndex.set(item, items.length);
      items.push(item);
    }
  }
  // nodes: items 0 … I − 1, then rules I … I + R − 1; edges item → rule and rule → item
  const I = items.length;
  const edges: [number, number, 'antecedent' | 'consequent', number][] = [];
  kept.forEach((i, k) => {
    for (const item of r.antecedent[i]) edges.push([itemIndex.get(item)!, I + k, 'antecedent', k]);
    for (const item of r.consequent[i]) edges.push([I + k, itemIndex.get(item)!, 'consequent', k]);
  });
  const pos = forceLayout(I, kept.length, edges, width, height);
  const ruleText = (i: number) => `${itemsetText(r.antecedent[i])} → ${itemsetText(r.consequent[i])}`;
  const itemRows = items.map((item, p) => ({ item, x: pos[p][0], y: pos[p][1] }));
  const ruleRows = kept.map((i, k) => ({
    rule: ruleText(i),
    x: pos[I + k][0],
    y: pos[I + k][1],
    support: finite(r.support[i]),
    confidence: finite(r.confidence[i]),
    lift: finite(r.lift[i]),
  }));
  const edgeRows = edges.map(([a, b, side, k]) => {
    // the consequent edges stop short of the item, where the arrowhead sits
    const [x, y] = pos[a];
    const [tx, ty] = pos[b];
    const d = Math.hypot(tx - x, ty - y) || 1;
    const cut = side === 'consequent' ? Math.min(8, d / 2) : 0;
    return {
      rule: ruleText(kept[k]),
      side,
      from: side === 'antecedent' ? items[a] : ruleText(kept[k]),
      to: side === 'antecedent' ? ruleText(kept[k]) : items[b],
      x,
      y,
      x2: tx - ((tx - x) * cut) / d,
      y2: ty - ((ty - y) * cut) / d,
      angle: (Math.atan2(ty - y, tx - x) * 180) / Math.PI,
    };
  });
  const subtitle =
    r.rows === 0
      ? 'no rules: lower minSupport or minConfidence'
      : [
          `${kept.length < r.rows ? `top ${formatCount(kept.length)} of ${formatCount(r.rows)} rules by lift` : `${formatCount(r.rows)} rules`}; circle = rule (size = support, colour = lift)`,
          'arrows from antecedent items through the rule to its consequent',
        ];
  return chart({
    title: { text: options.title ?? 'Graph of association rules', subtitle },
    width,
    height,
    config: { view: { stroke: null } },
    layer: graphLayers(edgeRows, ruleRows, itemRows, width, height),
  });
}

/** The layers: edges, arrowheads at the consequents, rule circles, item names; positions in pixels, y down. */
function graphLayers(
  edgeRows: Record<string, unknown>[],
  ruleRows: Record<string, unknown>[],
  itemRows: Record<string, unknown>[],
  width: number,
  height: number,
) {
  const px = (field: string) => ({
    field,
    type: 'quantitative',
    scale: { domain: [0, field === 'x' || field === 'x2' ? width : height], nice: false, zero: false },
    axis: null,
  });
  const py = (field: string) => ({
    field,
    type: 'quantitative',
    scale: { domain: [height, 0], nice: false, zero: false },
    axis: null,
  });
  return [
    {
      name: 'edges',
      data: { values: edgeRows },
      mark: { type: 'rule', color: '#999999', strokeWidth: 1 },
      encoding: { x: px('x'), y: py('y'), x2: { field: 'x2' }, y2: { field: 'y2' } },
    },
    {
      name: 'arrowheads',
      data: { values: edgeRows.filter((e) => e.side === 'consequent') },
      mark: { type: 'point', shape: 'triangle-right', filled: true, size: 40, color: '#777777', opacity: 1 },
      encoding: { x: px('x2'), y: py('y2'), angle: { field: 'angle', type: 'quantitative', scale: null } },
    },
    {
      name: 'rules',
      data: { values: ruleRows },
      mark: { type: 'circle', opacity: 1, stroke: '#333333', strokeWidth: 0.4 },
      encoding: {
        x: px('x'),
        y: py('y'),
        size: {
          field: 'support',
          type: 'quantitative',
          title: 'Support',
          scale: { range: [40, 400], ...(ruleRows.length === 0 ? { domain: [0, 1] } : {}) },
          legend: { format: '.2%' },
        },
        color: {
          field: 'lift',
          type: 'quantitative',
          title: 'Lift',
          scale: { scheme: 'reds', ...(ruleRows.length === 0 ? { domain: [0, 2] } : {}) },
        },
        tooltip: [
          { field: 'rule', type: 'nominal', title: 'Rule' },
          { field: 'support', type: 'quantitative', title: 'Support', format: '.2%' },
          { field: 'confidence', type: 'quantitative', title: 'Confidence', format: '.1%' },
          { field: 'lift', type: 'quantitative', title: 'Lift', format: '.2f' },
        ],
      },
    },
    {
      name: 'items',
      data: { values: itemRows },
      mark: { type: 'text', fontSize: 11, fontWeight: 'bold', color: '#1f4e79', stroke: 'white', strokeWidth: 0 },
      encoding: {
        x: px('x'),
        y: py('y'),
        text: { field: 'item', type: 'nominal' },
        tooltip: { field: 'item', type: 'nominal', title: 'Item' },
      },
    },
  ];
}

/**
 * Fruchterman–Reingold positions, deterministic, in pixels with y down, inside [MARGIN, width − MARGIN] ×
 * [MARGIN, height − MARGIN].
 */
function forceLayout(
  items: number,
  rules: number,
  edges: readonly (readonly [number, number, ...unknown[]])[],
  width: number,
  height: number,
): [number, number][] {
  const n = items + rules;
  const cx = width / 2;
  const cy = height / 2;
  const rx = width / 2 - MARGIN;
  const ry = height / 2 - MARGIN;
  const pos: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    const inner = p >= items;
    const count = inner ? rules : items;
    const q = inner ? p - items : p;
    const angle = (2 * Math.PI * q) / Math.max(1, count) + (inner ? Math.PI / Math.max(1, count) : 0);
    const scale = inner ? 0.45 : 0.95;
    pos.push([cx + rx * scale * Math.cos(angle), cy + ry * scale * Math.sin(angle)]);
  }
  if (n < 2) return pos.map(([x, y]) => [x, y]);
  const k = Math.sqrt(((width - 2 * MARGIN) * (height - 2 * MARGIN)) / n);
  const shift = pos.map(() => [0, 0]);
  for (let round = 0; round < ROUNDS; round++) {
    const temperature = (width / 10) * (1 - round / ROUNDS);
    for (const s of shift) s.fill(0);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        // two nodes on one spot are pushed apart in a fixed direction
        const close = Math.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]) < 0.01;
        const dx = close ? 0.01 * ((a % 3) - 1 || 1) : pos[a][0] - pos[b][0];
        const dy = close ? 0.01 : pos[a][1] - pos[b][1];
        const d = Math.hypot(dx, dy);
        // items repel each other 4 times harder: shared items are hubs, and their labels must not collide
        const f = ((a < items && b < items ? 4 : 1) * k * k) / d;
        shift[a][0] += (dx / d) * f;
        shift[a][1] += (dy / d) * f;
        shift[b][0] -= (dx / d) * f;
        shift[b][1] -= (dy / d) * f;
      }
    }
    for (const [a, b] of edges) {
      const dx = pos[a][0] - pos[b][0];
      const dy = pos[a][1] - pos[b][1];
      const d = Math.hypot(dx, dy);
      if (d === 0) continue;
      const f = (d * d) / k;
      shift[a][0] -= (dx / d) * f;
      shift[a][1] -= (dy / d) * f;
      shift[b][0] += (dx / d) * f;
      shift[b][1] += (dy / d) * f;
    }
    for (let p = 0; p < n; p++) {
      const d = Math.hypot(shift[p][0], shift[p][1]);
      if (d > 0) {
        const step = Math.min(d, temperature);
        pos[p][0] += (shift[p][0] / d) * step;
        pos[p][1] += (shift[p][1] / d) * step;
      }
      pos[p][0] = Math.min(width - MARGIN, Math.max(MARGIN, pos[p][0]));
      pos[p][1] = Math.min(height - MARGIN, Math.max(MARGIN, pos[p][1]));
    }
  }
  return pos.map(([x, y]) => [Number(x.toFixed(2)), Number(y.toFixed(2))]);
}
