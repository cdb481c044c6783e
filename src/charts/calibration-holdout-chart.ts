import { ClienteleError, knownOptions, optionNames } from '../table/internal';
import { chart, countOption, formatCount, numbers, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { repeatModel } from '../clv/internal';
import { SOURCE_COLOR, SOURCE_DASH, readHistories } from './repeat-model';

/** Options of {@link calibrationHoldoutChart}. */
export interface CalibrationHoldoutChartOptions extends ChartOptions {
  /** Calibration frequencies 0 … maxFrequency − 1 get a point each; the last is "maxFrequency+". Default 7. */
  maxFrequency?: number;
}

const CALIBRATION_HOLDOUT_CHART_OPTION_NAMES = optionNames<CalibrationHoldoutChartOptions>({
  maxFrequency: true,
  title: true,
  width: true,
  height: true,
});

/**
 * The out-of-sample check of a fitted BG/NBD or Pareto/NBD model: customers grouped by their repeat purchases in
 * the calibration period, and for each group the mean number of purchases in the holdout period, actual beside
 * predicted — lifetimes' `plot_calibration_purchases_vs_holdout_purchases`.
 *
 * Analysts use it to see whether the model forecasts each kind of customer: the predicted line should follow the
 * actual one; a model that over-forecasts the heavy buyers shows it at the right.
 *
 * Formula: for a group, actual = mean of `frequencyHoldout`; predicted = mean over its customers of
 * E[Y(τᵢ) | xᵢ, t_xᵢ, Tᵢ] with τᵢ = `durationHoldout` (the library's conditional expectation, Fader, Hardie & Lee
 * 2005, eq. 10, or its Pareto/NBD twin). The last group "m+" holds every customer with m or more. Rows with a
 * missing or invalid history or holdout are left out and counted in the subtitle.
 *
 * Cost: O(n) model evaluations for n customers.
 *
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", fig. 5.
 *
 * @param model a repeat-buying model of the clv registry (`fitBgNbd`, `fitParetoNbd`, … or `{ kind, params }`),
 *   fitted on the calibration period
 * @param summary a `summaryFromTransactions` table with a holdout (`holdoutEnd` given): frequency, recency, T,
 *   frequencyHoldout, durationHoldout
 * @param options maxFrequency (7), title, width (420), height (280)
 * @throws {ClienteleError} `INVALID_INPUT`; `MISSING_COLUMN` (a summary without holdout); `INVALID_OPTION`
 * @example
 * const store = sampleStore({ customers: 300, seed: 1 });
 * const summary = summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30', holdoutEnd: '2024-12-31' });
 * const spec = calibrationHoldoutChart(fitBgNbd(summary), summary, { maxFrequency: 4 });
 * spec.data.values.filter((row) => row.source === 'actual').map((row) => row.frequency); // ['0', '1', '2', '3', '4+']
 */
export function calibrationHoldoutChart(
  model: unknown,
  summary: unknown,
  options: CalibrationHoldoutChartOptions = {},
): ChartSpec {
  options = knownOptions(options, CALIBRATION_HOLDOUT_CHART_OPTION_NAMES, 'calibrationHoldoutChart');
  const fn = 'calibrationHoldoutChart';
  const m = repeatModel(model, fn, 'INVALID_INPUT');
  const fitted = model as Parameters<typeof m.expectedPurchases>[0];
  const groups = countOption(options.maxFrequency, 7, 1, 'maxFrequency', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 280, 'height', fn);
  const h = readHistories(summary, fn);
  const producer = 'summaryFromTransactions with holdoutEnd';
  const holdout = numbers(h.table, 'frequencyHoldout', fn, producer);
  const duration = numbers(h.table, 'durationHoldout', fn, producer);
  const count = new Float64Array(groups + 1);
  const actual = new Float64Array(groups + 1);
  const predicted = new Float64Array(groups + 1);
  let n = 0;
  for (let i = 0; i < h.x.length; i++) {
    const p = m.conditionalExpectedPurchases(fitted, h.x[i], h.tx[i], h.T[i], duration[i]);
    if (!Number.isFinite(p) || !(holdout[i] >= 0)) continue;
    const g = Math.min(h.x[i], groups);
    n++;
    count[g]++;
    actual[g] += holdout[i];
    predicted[g] += p;
  }
  if (n === 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the summary has no customer with a valid history and holdout (found ${h.x.length} rows); pass summaryFromTransactions(tx, { calibrationEnd, holdoutEnd })`,
    );
  }
  const values = [];
  for (let g = 0; g <= groups; g++) {
    if (count[g] === 0) continue;
    const frequency = g === groups ? `${groups}+` : String(g);
    const common = { frequency, order: g, customers: count[g] };
    values.push({ ...common, source: 'actual', purchases: actual[g] / count[g] });
    values.push({ ...common, source: 'model', purchases: predicted[g] / count[g] });
  }
  const dropped = h.x.length - n;
  const unit = h.unit;
  return chart({
    title: {
      text: options.title ?? `Holdout purchases by calibration purchases: actual and ${m.label}`,
      subtitle: `${formatCount(n)} customers${dropped > 0 ? ` (${formatCount(dropped)} rows without a valid history left out)` : ''}; mean purchases per customer in the holdout (${unit}s)`,
    },
    width,
    height,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: lineEncoding(),
  });
}

/** Calibration frequency across, mean holdout purchases up, actual solid and model dashed. */
function lineEncoding() {
  return {
    x: {
      field: 'frequency',
      type: 'ordinal',
      title: 'Repeat purchases in the calibration period',
      sort: { field: 'order' },
      axis: { labelAngle: 0 },
    },
    y: { field: 'purchases', type: 'quantitative', title: 'Mean purchases in the holdout period' },
    color: SOURCE_COLOR,
    strokeDash: SOURCE_DASH,
    tooltip: [
      { field: 'frequency', type: 'ordinal', title: 'Calibration purchases' },
      { field: 'source', type: 'nominal', title: 'Source' },
      { field: 'purchases', type: 'quantitative', title: 'Mean holdout purchases', format: '.3f' },
      { field: 'customers', type: 'quantitative', title: 'Customers', format: ',d' },
    ],
  };
}
