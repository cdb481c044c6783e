import type { VegaLiteSpec } from '../charts/index';

/** One month of the overview: revenue, transactions, customers active and new. */
export interface MonthRow {
  /** The first day of the month, `YYYY-MM-01`. */
  readonly month: string;
  readonly revenue: number;
  readonly transactions: number;
  readonly customers: number;
  readonly newCustomers: number;
}

/**
 * The overview chart of a report: revenue per month as bars and active customers per month as a line on its own
 * axis (Vega-Lite v5, data inline). Internal: the charts module has no time-series chart of a whole store.
 */
export function monthlyChart(months: readonly MonthRow[]): VegaLiteSpec {
  const x = {
    field: 'month',
    type: 'temporal',
    timeUnit: 'utcyearmonth',
    title: null,
    axis: { format: '%b %Y', labelAngle: 0, labelOverlap: true },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Revenue and active customers per month', anchor: 'start' },
    width: 460,
    height: 240,
    data: { values: months.map((m) => ({ ...m })) },
    encoding: { x },
    layer: [
      {
        mark: { type: 'bar', color: '#8fb8d4', tooltip: true },
        encoding: {
          y: { field: 'revenue', type: 'quantitative', title: 'Revenue', axis: { titleColor: '#3d7ea6' } },
          tooltip: [
            { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: 'Month' },
            { field: 'revenue', type: 'quantitative', format: ',.0f', title: 'Revenue' },
            { field: 'transactions', type: 'quantitative', format: ',', title: 'Transactions' },
            { field: 'customers', type: 'quantitative', format: ',', title: 'Active customers' },
            { field: 'newCustomers', type: 'quantitative', format: ',', title: 'New customers' },
          ],
        },
      },
      {
        mark: { type: 'line', color: '#c2410c', strokeWidth: 2, point: { filled: true, size: 24, color: '#c2410c' } },
        encoding: {
          // points in the middle of their month, over the bars
          x: { ...x, bandPosition: 0.5 },
          y: {
            field: 'customers',
            type: 'quantitative',
            title: 'Active customers',
            axis: { titleColor: '#c2410c', orient: 'right' },
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * The customers of a k-means segmentation as a scatter of recency against spend (log scale), coloured by segment.
 * At most `maxPoints` customers are drawn, every ⌈n / maxPoints⌉-th one (deterministic), so the spec stays small.
 */
export function segmentScatter(features: Record<string, unknown>, labels: Int32Array, maxPoints = 1500): VegaLiteSpec {
  const recency = features.recency as Float64Array;
  const frequency = features.frequency as Float64Array;
  const monetary = features.monetary as Float64Array;
  const step = Math.max(1, Math.ceil(labels.length / maxPoints));
  const values: { segment: string; recency: number; frequency: number; monetary: number }[] = [];
  for (let i = 0; i < labels.length; i += step) {
    // a log axis cannot show spend ≤ 0 (net returns); those customers are left out of the picture only
    if (labels[i] < 0 || !(monetary[i] > 0)) continue;
    values.push({
      segment: `Segment ${labels[i]}`,
      recency: recency[i],
      frequency: frequency[i],
      monetary: Math.round(monetary[i] * 100) / 100,
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Customers by segment',
      subtitle:
        step > 1
          ? `1 in ${step} of ${labels.length.toLocaleString('en-US')} customers drawn`
          : `${labels.length.toLocaleString('en-US')} customers`,
      anchor: 'start',
    },
    width: 420,
    height: 300,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.55, size: 22 },
    encoding: {
      x: { field: 'recency', type: 'quantitative', title: 'Recency (days since the last purchase)' },
      y: { field: 'monetary', type: 'quantitative', title: 'Spend (log scale)', scale: { type: 'log' } },
      color: { field: 'segment', type: 'nominal', title: 'Segment' },
      tooltip: [
        { field: 'segment', type: 'nominal' },
        { field: 'recency', type: 'quantitative', title: 'Recency (days)' },
        { field: 'frequency', type: 'quantitative', title: 'Purchases' },
        { field: 'monetary', type: 'quantitative', title: 'Spend', format: ',.2f' },
      ],
    },
  };
}
