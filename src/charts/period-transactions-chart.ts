import { ClienteleError, knownOptions, optionNames } from '../table/internal';
import { chart, countOption, formatCount, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { REPEAT_MODELS, repeatModel } from '../clv/internal';
import type { RepeatModelEntry } from '../clv/internal';
import { SOURCE_COLOR, readHistories } from './repeat-model';

/** The model's P(X(t) = x) from the registry. @throws {ClienteleError} `INVALID_INPUT` for a model without one */
function modelPmf(model: unknown, m: RepeatModelEntry, fn: string): (x: number, t: number) => number {
  const probability = m.probabilityOfPurchases;
  if (!probability) {
    const having = Object.values(REPEAT_MODELS).filter((e) => e.probabilityOfPurchases);
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the ${m.label} model has no P(X(t) = x) in clientele (found kind '${m.kind}'); pass the result of ` +
        having.map((e) => `fit${e.kind[0].toUpperCase()}${e.kind.slice(1)}`).join(' or '),
    );
  }
  const fitted = model as Parameters<typeof probability>[0];
  return (x, t) => probability(fitted, x, t);
}

/** Options of {@link periodTransactionsChart}. */
export interface PeriodTransactionsChartOptions extends ChartOptions {
  /** Frequencies 0 … maxFrequency − 1 get a bar each; the last bar is "maxFrequency+". Default 7. */
  maxFrequency?: number;
}

const PERIOD_TRANSACTIONS_CHART_OPTION_NAMES = optionNames<PeriodTransactionsChartOptions>({
  maxFrequency: true,
  title: true,
  width: true,
  height: true,
});

/**
 * The check of a fitted repeat-buying model (BG/NBD, MBG/NBD, Pareto/NBD) against the data it was fitted on: how many customers made 0, 1, 2, … repeat
 * purchases in the calibration period, actual beside the model's expectation — lifetimes'
 * `plot_period_transactions`.
 *
 * Analysts use it before trusting a forecast: the bars should match; a model that misses the zeros or the heavy
 * buyers will mis-forecast them.
 *
 * Formula: expected customers with x repeat purchases = Σᵢ P(X(Tᵢ) = x), each customer observed for their own age
 * Tᵢ (the model's PMF: `bgNbdProbabilityOfPurchases`, Fader, Hardie & Lee 2005, eq. 8; `mbgNbdProbabilityOfPurchases`;
 * `paretoNbdProbabilityOfPurchases`); the last bar "m+" is the customers less the
 * sum of the others, so the expected bars sum to the number of customers, like the actual ones. lifetimes simulates
 * the model's customers instead; the expectation is the exact mean of that simulation. Rows with a missing or
 * invalid (x, t_x, T) are left out and counted in the subtitle.
 *
 * Cost: O(n + d · m) for n customers with d distinct ages, m bars.
 *
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", fig. 2.
 *
 * @param model a repeat-buying model whose registry entry has P(X(t) = x) (`probabilityOfPurchases`; today
 *   `fitBgNbd`'s; another is refused with `INVALID_INPUT`)
 * @param summary the `summaryFromTransactions` table the model was fitted on (frequency, recency, T)
 * @param options maxFrequency (7), title, width (420), height (280)
 * @throws {ClienteleError} `INVALID_INPUT` for another model or a summary without valid rows; `MISSING_COLUMN`;
 *   `INVALID_OPTION`
 * @example
 * const summary = summaryFromTransactions(sampleStore({ customers: 300, seed: 1 }).transactions);
 * const spec = periodTransactionsChart(fitBgNbd(summary), summary, { maxFrequency: 3 });
 * spec.data.values.filter((row) => row.source === 'actual').map((row) => row.frequency); // ['0', '1', '2', '3+']
 * Math.round(spec.data.values.filter((row) => row.source === 'model').reduce((s, row) => s + row.customers, 0)); // 300
 */
export function periodTransactionsChart(
  model: unknown,
  summary: unknown,
  options: PeriodTransactionsChartOptions = {},
): ChartSpec {
  options = knownOptions(options, PERIOD_TRANSACTIONS_CHART_OPTION_NAMES, 'periodTransactionsChart');
  const fn = 'periodTransactionsChart';
  const m = repeatModel(model, fn, 'INVALID_INPUT');
  const pmf = modelPmf(model, m, fn);
  const bars = countOption(options.maxFrequency, 7, 1, 'maxFrequency', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 280, 'height', fn);
  const h = readHistories(summary, fn);
  const actual = new Float64Array(bars + 1);
  const ages = new Map<number, number>(); // T → customers of that age
  let n = 0;
  for (let i = 0; i < h.x.length; i++) {
    const x = h.x[i];
    const T = h.T[i];
    const valid = x >= 0 && Number.isInteger(x) && T >= 0 && Number.isFinite(T) && h.tx[i] >= 0 && h.tx[i] <= T;
    if (!valid) continue;
    n++;
    actual[Math.min(x, bars)]++;
    ages.set(T, (ages.get(T) ?? 0) + 1);
  }
  if (n === 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the summary has no valid (frequency, recency, T) row (found ${h.x.length} rows); pass the summaryFromTransactions table the model was fitted on`,
    );
  }
  const expected = new Float64Array(bars + 1);
  for (const [T, count] of ages) for (let x = 0; x < bars; x++) expected[x] += count * pmf(x, T);
  expected[bars] = Math.max(0, n - expected.subarray(0, bars).reduce((s, v) => s + v, 0));
  const label = (x: number) => (x === bars ? `${bars}+` : String(x));
  const values = [];
  for (let x = 0; x <= bars; x++) {
    values.push({ frequency: label(x), order: x, source: 'actual', customers: actual[x] });
    values.push({ frequency: label(x), order: x, source: 'model', customers: expected[x] });
  }
  const dropped = h.x.length - n;
  return chart({
    title: {
      text: options.title ?? `Repeat purchases in the calibration period: actual and ${m.label}`,
      subtitle: `${formatCount(n)} customers${dropped > 0 ? ` (${formatCount(dropped)} rows without a valid history left out)` : ''}; model = expected customers, Σ P(X(T) = x)`,
    },
    width,
    height,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'frequency',
        type: 'ordinal',
        title: 'Repeat purchases in the calibration period',
        sort: { field: 'order' },
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'source', type: 'nominal', sort: ['actual', 'model'] },
      y: { field: 'customers', type: 'quantitative', title: 'Customers' },
      color: SOURCE_COLOR,
      tooltip: [
        { field: 'frequency', type: 'ordinal', title: 'Repeat purchases' },
        { field: 'source', type: 'nominal', title: 'Source' },
        { field: 'customers', type: 'quantitative', title: 'Customers', format: ',.1f' },
      ],
    },
  });
}
