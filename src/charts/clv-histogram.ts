import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, countOption, formatCount, numbers, sizeOption, textOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link clvHistogram}. */
export interface ClvHistogramOptions extends ChartOptions {
  /** The numeric column to draw. Default `'clv'` (the column `predictClv` returns). */
  column?: string;
  /**
   * Bins wanted: the step is the smallest nice width ≥ range / maxBins, and the edges are multiples of it, so there
   * are at most maxBins + 1 regular bins. Default 40.
   */
  maxBins?: number;
  /**
   * Values above this quantile (R type 7) of the column are gathered in one last, separately coloured bar, so a
   * long tail does not squeeze the bulk into one bin. Default 0.99; 1 keeps every value in the regular bins.
   */
  clip?: number;
  /** Name of the money unit for the axis title, e.g. `'€'`. Default `'currency units'`. */
  currency?: string;
}

/** The options clvHistogram takes; every other name is refused with a did-you-mean. */
const CLV_HISTOGRAM_OPTION_NAMES = optionNames<ClvHistogramOptions>({
  column: true,
  maxBins: true,
  clip: true,
  currency: true,
  title: true,
  width: true,
  height: true,
});

/**
 * A histogram of predicted customer lifetime value (or of any numeric column): customers per value band on
 * evenly spaced "nice" bins (widths 1, 2, 2.5 or 5 × 10^k), with the mean and the median marked as rules, and the
 * tail beyond the 99th percentile gathered in one last bar labelled "≥ x".
 *
 * Analysts look at it to see how value concentrates — a few customers worth a lot, a long flat tail of low
 * values — before choosing thresholds for a VIP programme or a retention budget.
 *
 * Conventions: bins are closed on the left, `[start, end)`, except the last regular bin, which also holds its end;
 * null, NaN and infinite values are left out and counted in the subtitle. Bins are counted here, so the spec holds
 * at most `maxBins` + 1 rows whatever the number of customers.
 *
 * Cost: O(n log n) (the sort for the quantile and the median).
 *
 * @param table the table `predictClv` returns, or any table with a numeric column
 * @param options column (`'clv'`), maxBins (40), clip (0.99), currency, title, width (460), height (260)
 * @throws {ClienteleError} `MISSING_COLUMN` when the column is missing; `INVALID_TYPE` when it is not numeric;
 *   `EMPTY_INPUT` when it holds no finite value; `INVALID_OPTION`
 * @example
 * const spec = clvHistogram({ clv: [1, 2, 2, 3, 7.5, 9, 12, 40] }, { clip: 1, maxBins: 5 });
 * spec.layer[0].data.values.map((bin) => bin.count); // [6, 1, 0, 1]
 * spec.layer[0].data.values.map((bin) => bin.start); // [0, 10, 20, 30]
 */
export function clvHistogram(table: unknown, options: ClvHistogramOptions = {}): ChartSpec {
  options = knownOptions(options, CLV_HISTOGRAM_OPTION_NAMES, 'clvHistogram');
  const fn = 'clvHistogram';
  const opts = histogramOptions(options, fn);
  const input = chartTable(table, fn, opts.producer);
  const raw = numbers(input, opts.column, fn, opts.producer);
  const sorted = finiteSorted(raw, opts.column, fn, opts.producer);
  const stats = histogramStats(sorted, opts.clip);
  const bins = histogramBins(sorted, stats, opts.maxBins);
  const values = binRows(bins, sorted.length);
  const what = opts.column === 'clv' ? 'predicted CLV' : opts.column;
  const subtitle = histogramSubtitle(opts, stats, bins, sorted.length, raw.length);
  return chart({
    title: { text: options.title ?? `Distribution of ${what}`, subtitle },
    width: opts.width,
    height: opts.height,
    layer: [binsLayer(values, bins.step, opts), markersLayer(stats)],
    resolve: { scale: { color: 'independent' } },
  });
}

/** The options of {@link clvHistogram}, checked and defaulted. */
interface HistogramOptions {
  column: string;
  producer: string;
  maxBins: number;
  clip: number;
  currency: string;
  width: number;
  height: number;
}

/** The mean, median, first value and clip point of the sorted finite values. */
interface HistogramStats {
  mean: number;
  median: number;
  lo: number;
  top: number;
}

/** The regular bins (`edges[0..bins]`, one more edge for the overflow bar) and the counts, overflow last. */
interface HistogramBins {
  step: number;
  bins: number;
  edges: Float64Array;
  counts: Float64Array;
}

/** Read: checks and defaults the options, in the order the errors are reported. */
function histogramOptions(options: ClvHistogramOptions, fn: string): HistogramOptions {
  const column = textOption(options.column, 'clv', 'column', fn);
  const producer = column === 'clv' ? 'predictClv' : `an analysis with a numeric "${column}" column`;
  const maxBins = countOption(options.maxBins, 40, 1, 'maxBins', fn);
  const clip = options.clip ?? 0.99;
  if (typeof clip !== 'number' || !(clip > 0 && clip <= 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option clip must be a quantile in (0, 1] (found ${describeValue(clip)}); 0.99 puts the top 1% in the last bar, 1 keeps all values in the regular bins`,
    );
  }
  const currency = textOption(options.currency, 'currency units', 'currency', fn);
  const width = sizeOption(options.width, 460, 'width', fn);
  const height = sizeOption(options.height, 260, 'height', fn);
  return { column, producer, maxBins, clip, currency, width, height };
}

/** Read: the finite values of the column, sorted ascending; `EMPTY_INPUT` when there is none. */
function finiteSorted(raw: ArrayLike<number>, column: string, fn: string, producer: string): Float64Array {
  let count = 0;
  for (let i = 0; i < raw.length; i++) if (Number.isFinite(raw[i])) count++;
  if (count === 0)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: column "${column}" has no finite value (found ${raw.length} rows); pass the table ${producer} returns`,
      { column },
    );
  const sorted = new Float64Array(count);
  for (let i = 0, k = 0; i < raw.length; i++) if (Number.isFinite(raw[i])) sorted[k++] = raw[i];
  sorted.sort();
  return sorted;
}

/** Compute: mean, median, smallest value and the clip quantile (the largest value when clip is 1). */
function histogramStats(sorted: Float64Array, clip: number): HistogramStats {
  const count = sorted.length;
  let sum = 0;
  for (let k = 0; k < count; k++) sum += sorted[k];
  const mean = sum / count;
  const median = quantile(sorted, 0.5);
  const lo = sorted[0];
  const top = clip < 1 ? quantile(sorted, clip) : sorted[count - 1];
  return { mean, median, lo, top };
}

/** Compute: nice bin edges from the smallest value to the clip point, and the count in each bin. */
function histogramBins(sorted: Float64Array, stats: HistogramStats, maxBins: number): HistogramBins {
  const { lo, top } = stats;
  const count = sorted.length;
  // a span below a billionth of the values' size is one value (or rounding noise): bins sized by the value instead
  const size = Math.max(Math.abs(lo), Math.abs(top));
  const step = niceStep(
    top - lo > 1e-9 * size && top - lo > 1e-250 ? (top - lo) / maxBins : Math.max(1, size) / maxBins,
  );
  let start = Math.floor(lo / step) * step;
  // lo / step may underflow to −0, and the rounded first edge may land above lo: then start one step lower
  if (roundTo(start, step) > lo) start -= step;
  let bins = Math.max(1, Math.ceil((top - start) / step - 1e-9));
  if (start + bins * step < top) bins++;
  // step ≥ span / maxBins and start > lo − step give at most maxBins + 1 bins; the cap only guards rounding
  if (bins > maxBins + 1) bins = maxBins + 1;
  const edges = Float64Array.from({ length: bins + 2 }, (_, k) => roundTo(start + k * step, step));
  const edge = (k: number) => edges[k];
  const end = edge(bins);
  const counts = new Float64Array(bins + 1); // the last slot is the overflow bar
  for (let k = 0; k < count; k++) {
    const v = sorted[k];
    if (v > end) {
      counts[bins]++;
      continue;
    }
    let b = Math.min(bins - 1, Math.floor((v - start) / step));
    while (b > 0 && v < edge(b)) b--;
    while (b < bins - 1 && v >= edge(b + 1)) b++;
    counts[b]++;
  }
  return { step, bins, edges, counts };
}

/** Assemble: one data row per regular bin, and the overflow bar last when it holds any value. */
function binRows({ bins, edges, counts }: HistogramBins, count: number) {
  const edge = (k: number) => edges[k];
  const end = edge(bins);
  const overflow = counts[bins];
  const values = Array.from({ length: bins }, (_, k) => ({
    start: edge(k),
    end: edge(k + 1),
    count: counts[k],
    share: counts[k] / count,
    band: `${format(edge(k))} – ${format(edge(k + 1))}`,
    tail: false,
  }));
  if (overflow > 0)
    values.push({
      start: end,
      end: edge(bins + 1),
      count: overflow,
      share: overflow / count,
      band: `≥ ${format(end)}`,
      tail: true,
    });
  return values;
}

/** Assemble: the subtitle — customers, median and mean, the overflow bar and the rows left out. */
function histogramSubtitle(
  opts: HistogramOptions,
  stats: HistogramStats,
  bins: HistogramBins,
  count: number,
  rows: number,
): string {
  const { median, mean, top } = stats;
  const overflow = bins.counts[bins.bins];
  const end = bins.edges[bins.bins];
  const skipped = rows - count;
  const percentile = `the ${Math.round(opts.clip * 100)}th percentile is ${format(top)}`;
  return (
    `${formatCount(count)} customers; median ${format(median)}, mean ${format(mean)}` +
    (overflow > 0 ? `; the last bar gathers the ${formatCount(overflow)} above ${format(end)} (${percentile})` : '') +
    (skipped > 0 ? `; ${formatCount(skipped)} rows without a finite value left out` : '')
  );
}

/** Assemble: the bar layer — one bar per bin, the overflow bar coloured apart, with the band and share in tooltips. */
function binsLayer(values: ReturnType<typeof binRows>, step: number, opts: HistogramOptions) {
  const what = opts.column === 'clv' ? 'predicted CLV' : opts.column;
  const axisTitle = opts.column === 'clv' ? `Predicted CLV (${opts.currency})` : `${opts.column} (${opts.currency})`;
  return {
    name: 'bins',
    data: { values },
    mark: { type: 'bar', binSpacing: 1 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true, step }, title: axisTitle },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'Customers' },
      color: {
        field: 'tail',
        type: 'nominal',
        scale: { domain: [false, true], range: ['#4c78a8', '#f58518'] },
        legend: null,
      },
      tooltip: [
        { field: 'band', type: 'nominal', title: what },
        { field: 'count', type: 'quantitative', title: 'Customers', format: ',d' },
        { field: 'share', type: 'quantitative', title: 'Share of customers', format: '.1%' },
      ],
    },
  };
}

/** Assemble: the rule layer marking the median and the mean. */
function markersLayer({ median, mean }: HistogramStats) {
  return {
    name: 'markers',
    data: {
      values: [
        { statistic: 'median', value: median, label: `median ${format(median)}` },
        { statistic: 'mean', value: mean, label: `mean ${format(mean)}` },
      ],
    },
    mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
    encoding: {
      x: { field: 'value', type: 'quantitative' },
      color: {
        field: 'statistic',
        type: 'nominal',
        scale: { domain: ['median', 'mean'], range: ['#54a24b', '#e45756'] },
        title: null,
      },
      tooltip: [{ field: 'label', type: 'nominal', title: 'Marker' }],
    },
  };
}

/** R type 7 quantile of sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < sorted.length ? sorted[k] + (h - k) * (sorted[k + 1] - sorted[k]) : sorted[k];
}

/** The smallest of 1, 2, 2.5, 5, 10 × 10^k that is at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** `x` rounded to the precision of `step`, so edges print as 0.3 rather than 0.30000000000000004. */
function roundTo(x: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return digits > 15 ? x : Number(x.toFixed(digits));
}

function format(x: number): string {
  const abs = Math.abs(x);
  if (abs === 0) return '0';
  const text = abs >= 100 ? x.toFixed(0) : abs >= 1 ? x.toFixed(2).replace(/\.?0+$/, '') : x.toPrecision(2);
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
