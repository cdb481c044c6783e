import { ClienteleError, describeValue } from '../table/internal';
import { chart, chartTable, countOption, finite, formatCount, numbers, sizeOption, strings } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link rulesScatter}. */
export interface RulesScatterOptions extends ChartOptions {
  /** Draw at most this many rules, those with the highest lift. Default 500. */
  maxRules?: number;
  /** Scale of the support axis. Default `'log'` when the largest support drawn is 10 times the smallest or more, else `'linear'`. */
  supportScale?: 'linear' | 'log';
}

/**
 * Association rules as a scatter plot: support across, confidence up, one point per rule coloured by lift, with the
 * rule ("beer, chips → diapers") and its measures in the tooltip — the standard plot of R `arulesViz`.
 *
 * Analysts scan it for rules that are both frequent and reliable (top right) and strong (dark colour: high lift),
 * then read those rules in the tooltip or the table.
 *
 * Conventions: with more than `maxRules` rules only the top `maxRules` by lift are drawn (ties by confidence, then
 * support, then table order), and the subtitle says "top 500 of 821 rules by lift", so a spec stays small for tens
 * of thousands of rules. Infinite conviction (a rule that never fails) shows as "∞" in the tooltip. A table
 * without rules gives an empty chart that says so.
 *
 * Cost: O(r log r) for the sort of r rules.
 *
 * @param rules the table `associationRules` returns: `antecedent`, `consequent`, `support`, `confidence`, `lift`
 *   (`count`, `leverage`, `conviction` shown when present)
 * @param options maxRules (500), supportScale (log when supports span 10× or more), title, width (420), height (320)
 * @throws {ClienteleError} `MISSING_COLUMN` when a required column is missing; `INVALID_OPTION`
 * @example
 * const lists = [['beer', 'diapers'], ['beer', 'chips', 'diapers'], ['beer', 'chips'], ['diapers', 'milk'], ['beer', 'diapers', 'milk']];
 * const rules = associationRules(frequentItemsets(lists, { minSupport: 0.4 }), { minConfidence: 0.7 });
 * const spec = rulesScatter(rules, { maxRules: 2 });
 * spec.data.values.map((row) => row.rule); // ['chips → beer', 'milk → diapers']
 * spec.title.subtitle; // 'top 2 of 4 rules by lift; colour = lift'
 */
export function rulesScatter(rules: unknown, options: RulesScatterOptions = {}): ChartSpec {
  const fn = 'rulesScatter';
  const producer = 'associationRules';
  const maxRules = countOption(options.maxRules, 500, 1, 'maxRules', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const table = chartTable(rules, fn, producer);
  const antecedent = strings(table, 'antecedent', fn, producer);
  const consequent = strings(table, 'consequent', fn, producer);
  const support = numbers(table, 'support', fn, producer);
  const confidence = numbers(table, 'confidence', fn, producer);
  const lift = numbers(table, 'lift', fn, producer);
  const optional = (name: string) => (table.getChild(name) ? numbers(table, name, fn, producer) : null);
  const count = optional('count');
  const leverage = optional('leverage');
  const conviction = optional('conviction');
  const n = table.numRows;

  const key = (v: number) => (v === v ? v : -Infinity); // NaN sorts last
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      key(lift[b]) - key(lift[a]) ||
      key(confidence[b]) - key(confidence[a]) ||
      key(support[b]) - key(support[a]) ||
      a - b,
  );
  const kept = order.subarray(0, Math.min(n, maxRules));
  const values = Array.from(kept, (i) => ({
    rule: `${antecedent[i]} → ${consequent[i]}`,
    antecedent: antecedent[i],
    consequent: consequent[i],
    support: finite(support[i]),
    confidence: finite(confidence[i]),
    lift: finite(lift[i]),
    ...(count ? { count: finite(count[i]) } : {}),
    ...(leverage ? { leverage: finite(leverage[i]) } : {}),
    ...(conviction
      ? {
          conviction: conviction[i] === Infinity ? '∞' : Number.isFinite(conviction[i]) ? conviction[i].toFixed(3) : '',
        }
      : {}),
  }));
  const supports = values.map((v) => v.support).filter((v): v is number => v !== null && v > 0);
  const spread = supports.length > 0 ? Math.max(...supports) / Math.min(...supports) : 1;
  const supportScale = options.supportScale ?? (spread >= 10 ? 'log' : 'linear');
  if (supportScale !== 'log' && supportScale !== 'linear') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option supportScale must be 'linear' or 'log' (found ${describeValue(supportScale)})`,
    );
  }
  const subtitle =
    n === 0
      ? 'no rules: lower minSupport or minConfidence'
      : `${kept.length < n ? `top ${formatCount(kept.length)} of ${formatCount(n)} rules by lift` : `${formatCount(n)} rules`}; colour = lift`;
  const tooltip = [
    { field: 'rule', type: 'nominal', title: 'Rule' },
    { field: 'support', type: 'quantitative', title: 'Support', format: '.2%' },
    { field: 'confidence', type: 'quantitative', title: 'Confidence', format: '.1%' },
    { field: 'lift', type: 'quantitative', title: 'Lift', format: '.2f' },
    ...(count ? [{ field: 'count', type: 'quantitative', title: 'Baskets', format: ',d' }] : []),
    ...(leverage ? [{ field: 'leverage', type: 'quantitative', title: 'Leverage', format: '.4f' }] : []),
    ...(conviction ? [{ field: 'conviction', type: 'nominal', title: 'Conviction' }] : []),
  ];
  return chart({
    title: { text: options.title ?? 'Association rules: support, confidence and lift', subtitle },
    width,
    height,
    data: { values },
    mark: { type: 'point', filled: true, size: 50, opacity: 0.85, stroke: '#333333', strokeWidth: 0.3 },
    encoding: {
      x: {
        field: 'support',
        type: 'quantitative',
        title: `Support (share of baskets${supportScale === 'log' ? ', log scale' : ''})`,
        axis: { format: '.1%' },
        scale: n === 0 ? { domain: [0, 1] } : supportScale === 'log' ? { type: 'log' } : { zero: false },
      },
      y: {
        field: 'confidence',
        type: 'quantitative',
        title: 'Confidence (share of antecedent baskets)',
        axis: { format: '%' },
        scale: n === 0 ? { domain: [0, 1] } : { zero: false },
      },
      // an empty chart gets fixed domains: Vega warns about the infinite extent of no data
      color: {
        field: 'lift',
        type: 'quantitative',
        title: 'Lift',
        scale: { scheme: 'viridis', reverse: true, ...(n === 0 ? { domain: [0, 2] } : {}) },
      },
      order: { field: 'lift', type: 'quantitative', sort: 'ascending' },
      tooltip,
    },
  });
}
