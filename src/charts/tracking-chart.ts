import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, finite, formatCount, numbers, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { SOURCE_COLOR, SOURCE_DASH } from './repeat-model';

/** Options of {@link trackingChart}. */
export interface TrackingChartOptions extends ChartOptions {
  /** Cumulative repeat transactions (default) or the transactions of each period. */
  view?: 'cumulative' | 'incremental';
}

const TRACKING_CHART_OPTION_NAMES = optionNames<TrackingChartOptions>({
  view: true,
  title: true,
  width: true,
  height: true,
});

const PRODUCER = 'expectedCumulativeTransactions';

/**
 * The tracking chart of a repeat-buying model: the cohort's repeat transactions period by period, actual beside the
 * model's expectation, cumulative or per period, with a dashed rule at the end of the calibration period — BTYD's
 * `bgnbd.PlotTrackingCum` / `PlotTrackingInc` and lifetimes' `plot_cumulative_transactions` /
 * `plot_incremental_transactions`.
 *
 * Analysts read it for the aggregate forecast: right of the rule the model forecasts purchases it did not see; the
 * curves should stay together (cumulative), and the weekly line should run through the middle of the actual one.
 *
 * Data: the table `expectedCumulativeTransactions` returns (its `expected`/`expectedCumulative`, and its
 * `actual`/`actualCumulative` when it was computed from a log); the rule at its `clientele.calibrationTime` (the end
 * of the last calibration day), drawn only when the table has one. Each point is at the end of its period.
 *
 * Cost: O(N) for N periods.
 *
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", fig. 3 (weekly) and 4 (cumulative).
 *
 * @param tracking the result of `expectedCumulativeTransactions(model, transactions, { calibrationEnd })`
 * @param options view ('cumulative'), title, width (520), height (300)
 * @throws {ClienteleError} `INVALID_INPUT` (not a table), `MISSING_COLUMN` (not a tracking table), `INVALID_OPTION`
 * @example
 * const store = sampleStore({ customers: 300, seed: 1 });
 * const summary = summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30' });
 * const curve = expectedCumulativeTransactions(fitBgNbd(summary), store.transactions, { calibrationEnd: '2024-06-30' });
 * const spec = trackingChart(curve, { view: 'incremental' });
 * spec.layer[0].data.values.length === 2 * curve.numRows; // true
 * spec.layer.length; // 3
 */
export function trackingChart(tracking: unknown, options: TrackingChartOptions = {}): ChartSpec {
  options = knownOptions(options, TRACKING_CHART_OPTION_NAMES, 'trackingChart');
  const fn = 'trackingChart';
  const view = options.view ?? 'cumulative';
  if (view !== 'cumulative' && view !== 'incremental') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option view must be 'cumulative' or 'incremental' (found ${describeValue(view)}); e.g. 'cumulative'`,
    );
  }
  const width = sizeOption(options.width, 520, 'width', fn);
  const height = sizeOption(options.height, 300, 'height', fn);
  const table = chartTable(tracking, fn, PRODUCER);
  const { values, unit, model, calibrationTime, customers } = trackingValues(table, view, fn);
  const layer: Record<string, unknown>[] = [linesLayer(values, unit, view)];
  if (Number.isFinite(calibrationTime)) layer.push(...calibrationLayers(calibrationTime));
  const what = view === 'cumulative' ? 'Cumulative repeat transactions' : `Repeat transactions per ${unit}`;
  return chart({
    title: {
      text: options.title ?? `${what}: actual and ${model}`,
      subtitle: `${formatCount(customers)} customers; model = Σᵢ E[X(t − sᵢ)] over each customer's time since the first purchase`,
    },
    width,
    height,
    layer,
  });
}

/** Read: the long rows (one per period and source) and the table's metadata. */
function trackingValues(table: Table, view: 'cumulative' | 'incremental', fn: string) {
  const cumulative = view === 'cumulative';
  const time = numbers(table, 'time', fn, PRODUCER);
  const period = numbers(table, 'period', fn, PRODUCER);
  const expected = numbers(table, cumulative ? 'expectedCumulative' : 'expected', fn, PRODUCER);
  const actualName = cumulative ? 'actualCumulative' : 'actual';
  const actual = table.getChild(actualName) ? numbers(table, actualName, fn, PRODUCER) : null;
  const values: { period: number; time: number; source: string; transactions: number | null }[] = [];
  for (let k = 0; k < time.length; k++) {
    if (actual !== null)
      values.push({ period: period[k], time: time[k], source: 'actual', transactions: finite(actual[k]) });
    values.push({ period: period[k], time: time[k], source: 'model', transactions: finite(expected[k]) });
  }
  const meta = table.schema.metadata;
  return {
    values,
    unit: meta.get('clientele.unit') ?? 'period',
    model: meta.get('clientele.model') ?? 'model',
    calibrationTime: Number(meta.get('clientele.calibrationTime') ?? NaN),
    customers: Number(meta.get('clientele.customers') ?? NaN),
  };
}

/** Assemble: time across, transactions up, actual solid blue and model dashed orange (the colours of the other CLV charts). */
function linesLayer(values: readonly Record<string, unknown>[], unit: string, view: string): Record<string, unknown> {
  return {
    name: 'curves',
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: `Time since the cohort's first purchase (${unit}s)` },
      y: {
        field: 'transactions',
        type: 'quantitative',
        title: view === 'cumulative' ? 'Cumulative repeat transactions' : `Repeat transactions per period`,
      },
      color: SOURCE_COLOR,
      strokeDash: SOURCE_DASH,
      tooltip: [
        { field: 'period', type: 'quantitative', title: 'Period' },
        { field: 'source', type: 'nominal', title: 'Source' },
        { field: 'transactions', type: 'quantitative', title: 'Transactions', format: ',.1f' },
      ],
    },
  };
}

/** Assemble: the dashed rule at the end of calibration and its label. */
function calibrationLayers(calibrationTime: number): Record<string, unknown>[] {
  const values = [{ time: calibrationTime, label: 'end of calibration' }];
  return [
    {
      name: 'calibrationEnd',
      data: { values },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
      encoding: { x: { field: 'time', type: 'quantitative' } },
    },
    {
      name: 'calibrationLabel',
      data: { values },
      mark: { type: 'text', align: 'left', dx: 4, dy: 4, baseline: 'top', fontSize: 11, color: '#555555', y: 0 },
      encoding: { x: { field: 'time', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}
