import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, countOption, finite, formatCount, numbers, sizeOption, strings } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { percentTicks } from './percent-ticks';

/** Options of {@link rulesScatter}. */
export interface RulesScatterOptions extends ChartOptions {
  /** Draw at most this many rules, those with the highest lift. Default 500. */
  maxRules?: number;
  /** Scale of the support axis. Default `'log'` when the largest support drawn is 10 times the smallest or more, else `'linear'`. */
  supportScale?: 'linear' | 'log';
}

/** The options rulesScatter takes; every other name is refused with a did-you-mean. */
const RULES_SCATTER_OPTION_NAMES = optionNames<RulesScatterOptions>({
  maxRules: true,
  supportScale: true,
  title: true,
  width: true,
  height: true,
});

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
  options = knownOptions(options, RULES_SCATTER_OPTION_NAMES, 'rulesScatter');
  const fn = 'rulesScatter';
  const maxRules = countOption(options.maxRules, 500, 1, 'maxRules', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const columns = readRuleColumns(rules, fn);
  const n = columns.rows;
  const kept = topRules(columns, maxRules);
  const values = ruleRows(columns, kept);
  const supportScale = supportScaleOf(values, options.supportScale, fn);
  const subtitle =
    n === 0
      ? 'no rules: lower minSupport or minConfidence'
      : `${kept.length < n ? `top ${formatCount(kept.length)} of ${formatCount(n)} rules by lift` : `${formatCount(n)} rules`}; colour = lift`;
  return chart({
    title: { text: options.title ?? 'Association rules: support, confidence and lift', subtitle },
    width,
    height,
    data: { values },
    mark: { type: 'point', filled: true, size: 50, opacity: 0.85, stroke: '#333333', strokeWidth: 0.3 },
    encoding: scatterEncoding(columns, values, supportScale, width, height),
  });
}

/** The columns of a rules table the chart draws; the optional measures are null when the table lacks them. */
interface RuleColumns {
  /** Number of rules in the table. */
  readonly rows: number;
  readonly antecedent: string[];
  readonly consequent: string[];
  readonly support: Float64Array;
  readonly confidence: Float64Array;
  readonly lift: Float64Array;
  readonly count: Float64Array | null;
  readonly leverage: Float64Array | null;
  readonly conviction: Float64Array | null;
}

/** Reads the rule columns of an `associationRules` table, or throws `INVALID_INPUT` / `MISSING_COLUMN`. */
function readRuleColumns(rules: unknown, fn: string): RuleColumns {
  const producer = 'associationRules';
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
  return { rows: table.numRows, antecedent, consequent, support, confidence, lift, count, leverage, conviction };
}

/** Rows of the `maxRules` rules with the highest lift (ties by confidence, support, table order; NaN last). */
function topRules({ rows: n, support, confidence, lift }: RuleColumns, maxRules: number): Int32Array {
  const key = (v: number) => (v === v ? v : -Infinity); // NaN sorts last
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      key(lift[b]) - key(lift[a]) ||
      key(confidence[b]) - key(confidence[a]) ||
      key(support[b]) - key(support[a]) ||
      a - b,
  );
  return order.subarray(0, Math.min(n, maxRules));
}

/** The data rows of the drawn rules: the rule as text, its sides and measures; infinite conviction as "∞". */
function ruleRows(columns: RuleColumns, kept: Int32Array) {
  const { antecedent, consequent, support, confidence, lift, count, leverage, conviction } = columns;
  return Array.from(kept, (i) => ({
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
}

/** The support axis scale: the option, else log when the drawn supports span 10× or more; `INVALID_OPTION` else. */
function supportScaleOf(
  values: readonly { support: number | null }[],
  option: RulesScatterOptions['supportScale'],
  fn: string,
): 'linear' | 'log' {
  const supports = values.map((v) => v.support).filter((v): v is number => v !== null && v > 0);
  const spread = supports.length > 0 ? Math.max(...supports) / Math.min(...supports) : 1;
  const supportScale = option ?? (spread >= 10 ? 'log' : 'linear');
  if (supportScale !== 'log' && supportScale !== 'linear') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option supportScale must be 'linear' or 'log' (found ${describeValue(supportScale)})`,
    );
  }
  return supportScale;
}

/** Support across, confidence up, colour and drawing order by lift, and the tooltip of the measures present. */
function scatterEncoding(
  columns: RuleColumns,
  values: readonly { support: number | null; confidence: number | null }[],
  supportScale: 'linear' | 'log',
  width: number,
  height: number,
): Record<string, unknown> {
  const n = values.length;
  const range = (key: 'support' | 'confidence') => {
    const v = values
      .map((row) => row[key])
      .filter((x): x is number => x !== null && (key === 'confidence' || supportScale === 'linear' || x > 0));
    return v.length ? [Math.min(...v), Math.max(...v)] : [0, 1];
  };
  const [s0, s1] = range('support');
  const [c0, c1] = range('confidence');
  // ticks chosen here, not by Vega: distinct labels with the decimals the step needs, spaced for the width
  const xTicks = percentTicks(s0, s1, supportScale, width, 60);
  const yTicks = percentTicks(c0, c1, 'linear', height, 35);
  const tooltip = [
    { field: 'rule', type: 'nominal', title: 'Rule' },
    { field: 'support', type: 'quantitative', title: 'Support', format: '.2%' },
    { field: 'confidence', type: 'quantitative', title: 'Confidence', format: '.1%' },
    { field: 'lift', type: 'quantitative', title: 'Lift', format: '.2f' },
    ...(columns.count ? [{ field: 'count', type: 'quantitative', title: 'Baskets', format: ',d' }] : []),
    ...(columns.leverage ? [{ field: 'leverage', type: 'quantitative', title: 'Leverage', format: '.4f' }] : []),
    ...(columns.conviction ? [{ field: 'conviction', type: 'nominal', title: 'Conviction' }] : []),
  ];
  return {
    x: {
      field: 'support',
      type: 'quantitative',
      title: `Support (share of baskets${supportScale === 'log' ? ', log scale' : ''})`,
      axis: { format: xTicks.format, values: xTicks.values, labelOverlap: true },
      scale: {
        type: supportScale,
        domain: xTicks.domain,
        nice: false,
        ...(supportScale === 'linear' ? { zero: false } : {}),
      },
    },
    y: {
      field: 'confidence',
      type: 'quantitative',
      title: 'Confidence (share of antecedent baskets)',
      axis: { format: yTicks.format, values: yTicks.values, labelOverlap: true },
      scale: { domain: yTicks.domain, nice: false, zero: false },
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
  };
}
