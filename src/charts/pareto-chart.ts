import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, countOption, formatPercent, numbers, sizeOption, textOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link paretoChart}. */
export interface ParetoChartOptions extends ChartOptions {
  /** ABC cut-offs on the cumulative value share. Default: the `abc` table's own (its metadata), else [0.8, 0.95]. */
  cutoffs?: readonly number[];
  /** What the keys are, plural, for titles. Default `'customers'`. */
  keys?: string;
  /** What the value is, for titles. Default `'revenue'`. */
  value?: string;
  /** Largest number of curve points in the spec; longer curves are resampled evenly. Default 400. */
  maxPoints?: number;
}

/** The options paretoChart takes; every other name is refused with a did-you-mean. */
const PARETO_CHART_OPTION_NAMES = optionNames<ParetoChartOptions>({
  cutoffs: true,
  keys: true,
  value: true,
  maxPoints: true,
  title: true,
  width: true,
  height: true,
});

/**
 * The Pareto (ABC) curve: the cumulative share of value held by the top x % of keys, with the ABC cut-offs drawn
 * as rules — a vertical rule at the share of keys where each class ends, a horizontal one at the cut-off share —
 * shaded class bands labelled "A: 18 % of customers", and the diagonal of an even spread for reference.
 *
 * Analysts read the 80-20 rule off it ("the top 18 % of customers bring 80 % of revenue") and show where the A, B
 * and C classes of an `abc` classification begin and end.
 *
 * Conventions: takes a `paretoCurve` table (`population`, `value`) or an `abc` table (`cumulativeShare`, in rank
 * order), read as the curve through (0, 0) and (k/n, cumulative share of the top k keys). A class ends at the first
 * key whose cumulative share reaches the cut-off — the `abc` convention that the key crossing 80 % is still A — so
 * the rules sit exactly at the class boundaries of the `abc` table. Curves longer than `maxPoints` are resampled at
 * evenly spaced population shares (linear interpolation, the class boundaries kept as exact points), so the spec
 * stays small for millions of keys.
 *
 * Cost: O(n) over the curve.
 *
 * @param curve the table `paretoCurve` or `abc` returns
 * @param options cutoffs, keys (`'customers'`), value (`'revenue'`), maxPoints (400), title, width (420), height (320)
 * @throws {ClienteleError} `MISSING_COLUMN` when the table has neither `cumulativeShare` nor `population` and
 *   `value`; `EMPTY_INPUT`; `INVALID_VALUE` for a share outside [0, 1] or NaN; `INVALID_OPTION` for bad cut-offs
 * @example
 * const classes = abc({ product: ['p', 'q', 'r', 's'], revenue: [70, 20, 6, 4] }, { key: 'product', value: 'revenue' });
 * const spec = paretoChart(classes, { keys: 'products' });
 * spec.layer.find((layer) => layer.name === 'cutoffs').data.values.map((rule) => rule.population); // [0.5, 0.75]
 * spec.title.subtitle; // 'Class A: the top 50% of products bring 90% of revenue; cut-offs at 80% and 95%'
 */
export function paretoChart(curve: unknown, options: ParetoChartOptions = {}): ChartSpec {
  options = knownOptions(options, PARETO_CHART_OPTION_NAMES, 'paretoChart');
  const fn = 'paretoChart';
  const producer = 'paretoCurve or abc';
  const keys = textOption(options.keys, 'customers', 'keys', fn);
  const valueName = textOption(options.value, 'revenue', 'value', fn);
  const maxPoints = countOption(options.maxPoints, 400, 10, 'maxPoints', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const table = chartTable(curve, fn, producer);
  const { population, share } = readCurve(table, fn, producer);
  const cutoffs = resolveCutoffs(
    options.cutoffs ?? metadataCutoffs(table.schema.metadata.get('clientele.cutoffs')),
    fn,
  );
  const bounds = classBounds(cutoffs, population, share);
  const points = resample(
    population,
    share,
    maxPoints,
    bounds.map((b) => b.population),
  );
  const labels = Array.from({ length: cutoffs.length + 1 }, (_, j) => String.fromCharCode(65 + j));
  const bands = classBands(labels, bounds, keys);
  const rules = cutoffRules(labels, bounds, valueName);
  const first = bounds[0];
  const subtitle =
    `Class A: the top ${formatPercent(first.population)} of ${keys} bring ${formatPercent(first.value)} of ${valueName}; ` +
    `cut-offs at ${cutoffs.map((c) => formatPercent(c)).join(' and ')}` +
    (points.resampled ? `; curve drawn at ${points.population.length} points` : '');
  return chart({
    title: { text: options.title ?? `Pareto curve of ${valueName} over ${keys}`, subtitle },
    width,
    height,
    layer: [...classLayers(bands, keys), ...curveLayers(points, keys, valueName), ...cutoffLayers(rules)],
  });
}

/** Where a class ends: the point on the curve, and the cut-off it reaches. */
interface ClassBound {
  population: number;
  value: number;
  cutoff: number;
}

/** Read: the curve as (population, value) points from (0, 0), each share checked to lie in [0, 1]. */
function readCurve(table: Table, fn: string, producer: string): { population: Float64Array; share: Float64Array } {
  let population: Float64Array;
  let share: Float64Array;
  if (table.getChild('cumulativeShare')) {
    const cumulative = numbers(table, 'cumulativeShare', fn, producer);
    const n = cumulative.length;
    const rank = table.getChild('rank') ? numbers(table, 'rank', fn, producer) : null;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (rank) order.sort((a, b) => rank[a] - rank[b]);
    population = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    share = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) share[k + 1] = cumulative[order[k]];
  } else {
    population = numbers(table, 'population', fn, producer);
    share = numbers(table, 'value', fn, producer);
  }
  const n = population.length;
  if (n < 2)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the curve has ${n} points; pass the table ${producer} returns for at least one key`,
    );
  for (let k = 0; k < n; k++) {
    for (const [name, v] of [
      ['population', population[k]],
      ['value', share[k]],
    ] as const) {
      if (!(v >= -1e-9 && v <= 1 + 1e-9)) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: ${name} share ${describeValue(v)} at point ${k} is not in [0, 1]; pass the table ${producer} returns`,
          { row: k },
        );
      }
    }
  }
  return { population, share };
}

/** Compute: each class ends at the first point whose share reaches its cut-off (abc: the crossing key is in). */
function classBounds(cutoffs: readonly number[], population: Float64Array, share: Float64Array): ClassBound[] {
  const n = population.length;
  return cutoffs.map((cut) => {
    for (let k = 0; k < n; k++)
      if (share[k] >= cut - 1e-12) return { population: population[k], value: share[k], cutoff: cut };
    return { population: population[n - 1], value: share[n - 1], cutoff: cut };
  });
}

/** Assemble: one data row per class band, from its first to its last key's population share. */
function classBands(labels: readonly string[], bounds: readonly ClassBound[], keys: string) {
  const edges = [0, ...bounds.map((b) => b.population), 1];
  return labels.map((label, j) => ({
    class: label,
    from: edges[j],
    to: edges[j + 1],
    middle: (edges[j] + edges[j + 1]) / 2,
    keysShare: edges[j + 1] - edges[j],
    label: `${label}: ${formatPercent(edges[j + 1] - edges[j])} of ${keys}`,
    short: `${label}: ${formatPercent(edges[j + 1] - edges[j])}`,
  }));
}

/** Assemble: one data row per cut-off rule, at the class boundary. */
function cutoffRules(labels: readonly string[], bounds: readonly ClassBound[], valueName: string) {
  return bounds.map((b, j) => ({
    class: labels[j],
    population: b.population,
    cutoff: b.cutoff,
    value: b.value,
    zero: 0,
    label: `${formatPercent(b.cutoff)} of ${valueName}`,
  }));
}

/** Assemble: the shaded class bands and their labels. */
function classLayers(bands: ReturnType<typeof classBands>, keys: string) {
  return [
    {
      name: 'classes',
      data: { values: bands },
      mark: { type: 'rect', opacity: 0.12 },
      encoding: {
        x: { field: 'from', type: 'quantitative', scale: { domain: [0, 1] } },
        x2: { field: 'to' },
        color: { field: 'class', type: 'nominal', title: 'Class', scale: { scheme: 'category10' }, legend: null },
        tooltip: [
          { field: 'class', type: 'nominal', title: 'Class' },
          { field: 'keysShare', type: 'quantitative', title: `Share of ${keys}`, format: '.1%' },
        ],
      },
    },
    {
      name: 'classLabels',
      data: { values: bands },
      mark: { type: 'text', baseline: 'bottom', dy: -6, fontWeight: 'bold', fontSize: 11 },
      encoding: {
        x: { field: 'middle', type: 'quantitative' },
        y: { datum: 0 },
        text: { field: 'short', type: 'nominal' },
      },
    },
  ];
}

/** Assemble: the diagonal of an even spread and the Pareto curve itself. */
function curveLayers(points: ReturnType<typeof resample>, keys: string, valueName: string) {
  const x = { field: 'population', type: 'quantitative', scale: { domain: [0, 1] } };
  const y = { field: 'value', type: 'quantitative', scale: { domain: [0, 1] } };
  return [
    {
      name: 'even',
      data: {
        values: [
          { population: 0, value: 0 },
          { population: 1, value: 1 },
        ],
      },
      mark: { type: 'line', strokeDash: [4, 4], color: 'gray', strokeWidth: 1 },
      encoding: { x, y },
    },
    {
      name: 'curve',
      data: { values: points.population.map((p, k) => ({ population: p, value: points.value[k] })) },
      mark: { type: 'line', color: '#1f4e79', strokeWidth: 2 },
      encoding: {
        x: { ...x, title: `Share of ${keys} (ranked by ${valueName}, %)`, axis: { format: '%' } },
        y: { ...y, title: `Cumulative share of ${valueName} (%)`, axis: { format: '%' } },
        tooltip: [
          { field: 'population', type: 'quantitative', title: `Top share of ${keys}`, format: '.1%' },
          { field: 'value', type: 'quantitative', title: `Share of ${valueName}`, format: '.1%' },
        ],
      },
    },
  ];
}

/** Assemble: the cut-off rules (vertical at the class boundary, horizontal at the cut-off share) and their labels. */
function cutoffLayers(rules: ReturnType<typeof cutoffRules>) {
  return [
    {
      name: 'cutoffs',
      data: { values: rules },
      mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 3] },
      encoding: {
        x: { field: 'population', type: 'quantitative' },
        y: { field: 'zero', type: 'quantitative' },
        y2: { field: 'cutoff' },
      },
    },
    {
      name: 'cutoffLevels',
      data: { values: rules },
      mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 3] },
      encoding: {
        x: { field: 'zero', type: 'quantitative' },
        x2: { field: 'population' },
        y: { field: 'cutoff', type: 'quantitative' },
      },
    },
    {
      name: 'cutoffLabels',
      data: { values: rules },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -2, fontSize: 10, color: '#c0392b' },
      encoding: {
        x: { field: 'zero', type: 'quantitative' },
        y: { field: 'cutoff', type: 'quantitative' },
        text: { field: 'label', type: 'nominal' },
      },
    },
  ];
}

function metadataCutoffs(text: string | undefined | null): number[] {
  if (!text) return [0.8, 0.95];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as number[]) : [0.8, 0.95];
  } catch {
    return [0.8, 0.95];
  }
}

function resolveCutoffs(cutoffs: unknown, fn: string): number[] {
  const ok =
    Array.isArray(cutoffs) &&
    cutoffs.length >= 1 &&
    cutoffs.length <= 25 &&
    cutoffs.every((c, j) => typeof c === 'number' && c > 0 && c <= 1 && (j === 0 || c > (cutoffs[j - 1] as number)));
  if (!ok) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option cutoffs must be ascending shares in (0, 1] (found ${describeValue(cutoffs)}); the usual choice is [0.8, 0.95]`,
    );
  }
  return [...(cutoffs as number[])];
}

/** The curve at most `max` points: evenly spaced population shares plus the `keep` points, by linear interpolation. */
function resample(
  population: Float64Array,
  share: Float64Array,
  max: number,
  keep: readonly number[],
): { population: number[]; value: number[]; resampled: boolean } {
  const n = population.length;
  if (n <= max) return { population: Array.from(population), value: Array.from(share), resampled: false };
  const at = new Set<number>();
  for (let k = 0; k < max; k++) at.add(k / (max - 1));
  for (const p of keep) at.add(p);
  const xs = [...at].sort((a, b) => a - b);
  const value: number[] = [];
  let k = 0;
  for (const p of xs) {
    while (k < n - 2 && population[k + 1] < p) k++;
    const x0 = population[k];
    const x1 = population[k + 1];
    value.push(x1 > x0 ? share[k] + ((p - x0) / (x1 - x0)) * (share[k + 1] - share[k]) : share[k + 1]);
  }
  return { population: xs, value, resampled: true };
}
