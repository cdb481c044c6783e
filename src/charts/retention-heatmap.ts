import type { Table } from 'apache-arrow';
import { ClienteleError, isoDate, knownOptions, NO_DATE, optionNames, readDates } from '../table/internal';
import { chart, chartTable, countOption, finite, formatCount, numbers, requireColumn, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link retentionHeatmap}. */
export interface RetentionHeatmapOptions extends ChartOptions {
  /** Show at most this many cohorts, the most recent ones. Default 60. */
  maxCohorts?: number;
  /** Write the retention percent in each cell when there are at most this many cells. Default 400. */
  labelCells?: number;
}

const PERIOD_WORDS: Record<string, string> = { month: 'month', quarter: 'quarter', year: 'year' };

/** The options retentionHeatmap takes; every other name is refused with a did-you-mean. */
const RETENTION_HEATMAP_OPTION_NAMES = optionNames<RetentionHeatmapOptions>({
  maxCohorts: true,
  labelCells: true,
  title: true,
  width: true,
  height: true,
});

/**
 * The cohort retention heatmap: one row per cohort (customers by the period of their first purchase, oldest on
 * top), one column per period since, each cell coloured by the share of the cohort active in that period and
 * labelled with it; the tooltip gives the cohort size and the active count.
 *
 * Analysts read retention decay along the rows and compare cohorts down the columns (did customers acquired after
 * a campaign stay longer?).
 *
 * Conventions: the colour scale runs from 0 to the highest retention after the first period and is clamped, so
 * period 0 (always 100 %) shows as the darkest colour without washing out the later periods. Cohorts are labelled
 * `2024-03` (months), `2024 Q1` (quarters) or `2024` (years), from `clientele.period` in the table's metadata. With
 * more than `maxCohorts` cohorts only the most recent are drawn, and the subtitle says so.
 *
 * Cost: O(rows); the spec holds one row per cell drawn.
 *
 * @param curve the table `retentionCurve` returns: `cohort`, `offset`, `customers`, `active`, `retention`
 * @param options maxCohorts (60), labelCells (400), title, width (25 px per period with labels, else 16), height (18 px per cohort)
 * @throws {ClienteleError} `MISSING_COLUMN` when a column of `retentionCurve` is missing; `EMPTY_INPUT`; `INVALID_OPTION`
 * @example
 * const curve = retentionCurve(sampleStore({ customers: 300, seed: 2 }).transactions, { period: 'quarter' });
 * const spec = retentionHeatmap(curve);
 * spec.data.values.length === curve.numRows; // true
 * spec.data.values[0].cohortLabel; // '2023 Q1'
 */
export function retentionHeatmap(curve: unknown, options: RetentionHeatmapOptions = {}): ChartSpec {
  options = knownOptions(options, RETENTION_HEATMAP_OPTION_NAMES, 'retentionHeatmap');
  const fn = 'retentionHeatmap';
  const maxCohorts = countOption(options.maxCohorts, 60, 1, 'maxCohorts', fn);
  const labelCells = countOption(options.labelCells, 400, 0, 'labelCells', fn);
  const table = chartTable(curve, fn, 'retentionCurve');
  const cells = cohortCells(table, maxCohorts, fn);
  const { values, order, periodWord } = cells;
  const offsets = Array.from({ length: cells.maxOffset + 1 }, (_, k) => k);
  const width = sizeOption(
    options.width,
    Math.min(1200, Math.max(200, (values.length <= labelCells ? 25 : 16) * offsets.length)),
    'width',
    fn,
  );
  const height = sizeOption(options.height, Math.min(1200, Math.max(120, 18 * order.length)), 'height', fn);
  const colorTop = cells.maxLater > 0 ? cells.maxLater : 1;
  const subtitle =
    `${formatCount(cells.totalCustomers)} customers in ${order.length} cohorts by first-purchase ${periodWord}` +
    (cells.cohorts > order.length ? ` (the latest ${order.length} of ${cells.cohorts})` : '') +
    `; colour scale capped at ${Math.round(colorTop * 100)}% (the best retention after ${periodWord} 0)`;
  return chart({
    title: { text: options.title ?? `Cohort retention by ${periodWord}`, subtitle },
    width,
    height,
    data: { values },
    encoding: {
      x: {
        field: 'offset',
        type: 'ordinal',
        title: `${capitalise(periodWord)}s since first purchase`,
        scale: { domain: offsets },
        axis: { labelAngle: 0 },
      },
      y: { field: 'cohortLabel', type: 'ordinal', title: `Cohort (first-purchase ${periodWord})`, sort: order },
    },
    layer: heatmapLayers(colorTop, periodWord, values.length <= labelCells),
  });
}

/** Read: one cell per row of the latest `maxCohorts` cohorts, the cohort labels in order, and the totals. */
function cohortCells(table: Table, maxCohorts: number, fn: string) {
  const producer = 'retentionCurve';
  requireColumn(table, 'cohort', fn, producer);
  const offset = numbers(table, 'offset', fn, producer);
  const customers = numbers(table, 'customers', fn, producer);
  const active = numbers(table, 'active', fn, producer);
  const retention = numbers(table, 'retention', fn, producer);
  const days = readDates(table, 'cohort', fn, 'cohort').days;
  const n = table.numRows;
  if (n === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass the table retentionCurve returns`);
  const period = table.schema.metadata.get('clientele.period') ?? 'month';
  const periodWord = PERIOD_WORDS[period] ?? 'period';
  const cohorts = [...new Set(Array.from(days).filter((d) => d !== NO_DATE))].sort((a, b) => a - b);
  const shown = new Set(cohorts.slice(Math.max(0, cohorts.length - maxCohorts)));
  const label = (day: number) => cohortLabel(day, period);
  const values = [];
  const sizes = new Map<number, number>();
  let maxLater = 0;
  let maxOffset = 0;
  for (let i = 0; i < n; i++) {
    if (!shown.has(days[i]) || offset[i] !== offset[i]) continue;
    if (offset[i] >= 1 && retention[i] > maxLater) maxLater = retention[i];
    if (offset[i] > maxOffset) maxOffset = offset[i];
    if (customers[i] === customers[i]) sizes.set(days[i], customers[i]);
    values.push({
      cohort: isoDate(days[i]),
      cohortLabel: label(days[i]),
      offset: offset[i],
      customers: finite(customers[i]),
      active: finite(active[i]),
      retention: finite(retention[i]),
    });
  }
  if (values.length === 0)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has a cohort date and an offset (found ${n} rows); pass the table retentionCurve returns`,
    );
  const order = [...shown].sort((a, b) => a - b).map(label);
  let totalCustomers = 0;
  for (const size of sizes.values()) totalCustomers += size;
  return { values, order, cohorts: cohorts.length, maxLater, maxOffset, totalCustomers, periodWord };
}

/** A cohort's label: `2024` (years), `2024 Q1` (quarters) or `2024-03` (months and any other period). */
function cohortLabel(day: number, period: string): string {
  const iso = isoDate(day);
  if (period === 'year') return iso.slice(0, 4);
  if (period === 'quarter') return `${iso.slice(0, 4)} Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return iso.slice(0, 7);
}

/** Assemble: the coloured cells, and the percent labels over them when `labelled`. */
function heatmapLayers(colorTop: number, periodWord: string, labelled: boolean): Record<string, unknown>[] {
  const layers: Record<string, unknown>[] = [
    {
      name: 'cells',
      mark: { type: 'rect' },
      encoding: {
        color: {
          field: 'retention',
          type: 'quantitative',
          title: 'Retention',
          scale: { scheme: 'blues', domain: [0, colorTop], clamp: true },
          legend: { format: '.0%' },
        },
        tooltip: [
          { field: 'cohortLabel', type: 'nominal', title: 'Cohort' },
          { field: 'offset', type: 'ordinal', title: `${capitalise(periodWord)}s since first purchase` },
          { field: 'customers', type: 'quantitative', title: 'Cohort size', format: ',d' },
          { field: 'active', type: 'quantitative', title: 'Active', format: ',d' },
          { field: 'retention', type: 'quantitative', title: 'Retention', format: '.1%' },
        ],
      },
    },
  ];
  if (labelled) {
    layers.push({
      name: 'labels',
      mark: { type: 'text', fontSize: 8 },
      encoding: {
        text: { field: 'retention', type: 'quantitative', format: '.0%' },
        color: { condition: { test: `datum.retention > ${0.55 * colorTop}`, value: 'white' }, value: 'black' },
      },
    });
  }
  return layers;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
