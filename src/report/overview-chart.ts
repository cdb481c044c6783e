import type { VegaLiteSpec } from '../charts/index';
import { VEGA_LITE_SCHEMA } from '../charts/internal';

/** One month of the overview: revenue, transactions, customers active and new. */
export interface MonthRow {
  /** The first day of the month, `YYYY-MM-01`. */
  readonly month: string;
  readonly revenue: number;
  readonly transactions: number;
  readonly customers: number;
  readonly newCustomers: number;
  /** Days of the month the data cover (from the first to the last day observed), and the days it has. */
  readonly days?: number;
  readonly daysInMonth?: number;
  /** True when the data cover only part of the month (the log starts or ends inside it). */
  readonly partial?: boolean;
}

/** Days in the month of `YYYY-MM-01` (UTC calendar). */
function daysIn(month: string): number {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Whole days from 1970-01-01 of an ISO day `YYYY-MM-DD`. */
const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/**
 * The months with their coverage: the first and the last month are partial when the observed period,
 * `first` … `last` (ISO days, both included), starts after the 1st or ends before the month's last day; the months
 * between are whole. A revenue bar of a partial month is low because the month is cut, not because sales fell.
 */
export function withCoverage(months: readonly MonthRow[], first: string, last: string): MonthRow[] {
  const start = dayNumber(first);
  const end = dayNumber(last);
  return months.map((m) => {
    const daysInMonth = daysIn(m.month);
    const from = Math.max(dayNumber(m.month), start);
    const to = Math.min(dayNumber(m.month) + daysInMonth - 1, end);
    const days = Math.max(0, to - from + 1);
    return { ...m, days, daysInMonth, partial: days < daysInMonth };
  });
}

/**
 * The sentence of the overview about its partial months ("December 2011 is a partial month: the data cover 9 of its
 * 31 days (to 2011-12-09)…"), or undefined when every month is whole.
 */
export function partialMonthNote(months: readonly MonthRow[], first: string, last: string): string | undefined {
  const notes: string[] = [];
  for (const m of months) {
    if (!m.partial) continue;
    const name = new Date(`${m.month}T00:00:00Z`).toLocaleString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const cutStart = dayNumber(first) > dayNumber(m.month);
    const cutEnd = dayNumber(last) < dayNumber(m.month) + (m.daysInMonth ?? 0) - 1;
    const span = [cutStart ? `from ${first.slice(0, 10)}` : '', cutEnd ? `to ${last.slice(0, 10)}` : '']
      .filter((t) => t !== '')
      .join(' ');
    notes.push(`${name} is a partial month: the data cover ${m.days} of its ${m.daysInMonth} days (${span})`);
  }
  if (notes.length === 0) return undefined;
  const one = notes.length === 1;
  return (
    `${notes.join('; ')}. The monthly figures count ${one ? 'that month' : 'those months'} over the covered days only, ` +
    `so the chart draws ${one ? 'it' : 'them'} lighter with a dashed outline: a cut month, not a drop in sales.`
  );
}

/**
 * The overview chart of a report: revenue per month as bars and active customers per month as a line on its own
 * axis (Vega-Lite, the charts' schema version, data inline). A month marked `partial` (see {@link withCoverage}) is drawn lighter with a
 * dashed outline, and the subtitle says which month is cut and how many days it covers.
 * Internal: the charts module has no time-series chart of a whole store.
 */
export function monthlyChart(months: readonly MonthRow[]): VegaLiteSpec {
  const x = {
    field: 'month',
    type: 'temporal',
    timeUnit: 'utcyearmonth',
    title: null,
    axis: { format: '%b %Y', labelAngle: 0, labelOverlap: true },
  };
  const partial = months.filter((m) => m.partial);
  const monthName = (m: MonthRow) =>
    new Date(`${m.month}T00:00:00Z`).toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const subtitle =
    partial.length > 0
      ? `Partial month${partial.length > 1 ? 's' : ''} (lighter, dashed): ${partial.map((m) => `${monthName(m)}, ${m.days} of ${m.daysInMonth} days`).join('; ')}`
      : undefined;
  const isPartial = { test: 'datum.partial === true' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Revenue and active customers per month', anchor: 'start', ...(subtitle ? { subtitle } : {}) },
    width: 460,
    height: 240,
    data: {
      values: months.map((m) => ({
        ...m,
        partial: m.partial === true,
        coverage: m.days === undefined ? 'whole month' : `${m.days} of ${m.daysInMonth} days`,
      })),
    },
    encoding: { x },
    layer: [
      {
        mark: { type: 'bar', tooltip: true, strokeWidth: 1.5 },
        encoding: {
          y: { field: 'revenue', type: 'quantitative', title: 'Revenue', axis: { titleColor: '#3d7ea6' } },
          color: { condition: { ...isPartial, value: '#dbe8f1' }, value: '#8fb8d4' },
          stroke: { condition: { ...isPartial, value: '#3d7ea6' }, value: null },
          strokeDash: { condition: { ...isPartial, value: [4, 3] }, value: [] },
          tooltip: [
            { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: 'Month' },
            { field: 'revenue', type: 'quantitative', format: ',.0f', title: 'Revenue' },
            { field: 'transactions', type: 'quantitative', format: ',', title: 'Transactions' },
            { field: 'customers', type: 'quantitative', format: ',', title: 'Active customers' },
            { field: 'newCustomers', type: 'quantitative', format: ',', title: 'New customers' },
            { field: 'coverage', type: 'nominal', title: 'Days covered' },
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
    $schema: VEGA_LITE_SCHEMA,
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
