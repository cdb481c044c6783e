import type { Table } from 'apache-arrow';
import { ClienteleError, knownOptions, optionNames, readKeysVector } from '../table/internal';
import {
  chart,
  chartTable,
  finite,
  formatCount,
  numbers,
  requireColumn,
  sizeOption,
  strings,
  textOption,
} from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link rfmSegmentChart}. */
export interface RfmSegmentChartOptions extends ChartOptions {
  /** Name of the money unit for titles, e.g. `'€'`. Default `'currency units'`. */
  currency?: string;
}

interface SegmentRow {
  segment: string;
  customers: number;
  revenue: number;
}

/** The options rfmSegmentChart takes; every other name is refused with a did-you-mean. */
const RFM_SEGMENT_CHART_OPTION_NAMES = optionNames<RfmSegmentChartOptions>({
  currency: true,
  title: true,
  width: true,
  height: true,
});

/**
 * Customers and revenue per RFM segment, as two sorted horizontal bar charts side by side that share the segment
 * axis: how many customers each segment holds and how much revenue they bring, each bar labelled with its share
 * (e.g. Champions: 16 % of customers, 47 % of revenue).
 *
 * Analysts use it as the one-glance summary of an RFM segmentation: which segments carry the revenue, which are
 * large but worth little. Choice: Vega-Lite has no treemap, and paired bars sorted by revenue (largest on top)
 * show both sizes on a common scale, which a treemap's areas do not.
 *
 * Conventions: takes an `rfmSummary` table as it is (columns `segment`, `customers`, `revenue`), or a per-customer
 * `rfm` / `rfmSegments` table, which it sums per segment (customers counted, `monetary` summed). Shares are of the
 * total of the rows shown; revenue shares count only positive revenue, as `rfmSummary` does.
 *
 * Cost: O(n) for a per-customer table; the spec holds one row per segment.
 *
 * @param segments the table `rfmSummary` returns, or the table `rfm` / `rfmSegments` returns
 * @param options currency, title, width (of each panel, 260), height (one row per segment, 22 px each by default)
 * @throws {ClienteleError} `MISSING_COLUMN` when neither `customers` and `revenue` nor `segment` and `monetary`
 *   are there; `EMPTY_INPUT` for no rows; `INVALID_OPTION`
 * @example
 * const scored = rfm(sampleStore({ customers: 300, seed: 2 }).transactions);
 * const spec = rfmSegmentChart(rfmSummary(scored));
 * spec.hconcat.length; // 2
 * spec.data.values.reduce((sum, row) => sum + row.customers, 0); // 300
 */
export function rfmSegmentChart(segments: unknown, options: RfmSegmentChartOptions = {}): ChartSpec {
  options = knownOptions(options, RFM_SEGMENT_CHART_OPTION_NAMES, 'rfmSegmentChart');
  const fn = 'rfmSegmentChart';
  const producer = 'rfmSummary (or rfm)';
  const currency = textOption(options.currency, 'currency units', 'currency', fn);
  const table = chartTable(segments, fn, producer);
  const rows = segmentRows(table, fn, producer);
  if (rows.length === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass the table rfmSummary returns`);
  rows.sort((a, b) => b.revenue - a.revenue || (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  const totalCustomers = rows.reduce((s, row) => s + row.customers, 0);
  const values = shareRows(rows, totalCustomers);
  const order = rows.map((row) => row.segment);
  const width = sizeOption(options.width, 260, 'width', fn);
  const height = sizeOption(options.height, Math.max(120, 22 * rows.length), 'height', fn);
  const tooltip = [
    { field: 'segment', type: 'nominal', title: 'Segment' },
    { field: 'customers', type: 'quantitative', title: 'Customers', format: ',d' },
    { field: 'customerShare', type: 'quantitative', title: 'Share of customers', format: '.1%' },
    { field: 'revenue', type: 'quantitative', title: `Revenue (${currency})`, format: ',.0f' },
    { field: 'revenueShare', type: 'quantitative', title: 'Share of revenue', format: '.1%' },
  ];
  const frame: PanelFrame = { width, height, order, values, tooltip };
  return chart({
    title: {
      text: options.title ?? 'Customers and revenue by RFM segment',
      subtitle: `${formatCount(totalCustomers)} customers in ${rows.length} segments, sorted by revenue; labels are shares of the total`,
    },
    data: { values },
    hconcat: [
      segmentPanel(frame, 'customers', 'customers', 'customerShare', 'Customers', true),
      segmentPanel(frame, 'revenue', 'revenue', 'revenueShare', `Revenue (${currency})`, false),
    ],
    spacing: 40,
  });
}

/** What both panels share: their size, the segment order, the data rows and the tooltip. */
interface PanelFrame {
  width: number;
  height: number;
  order: string[];
  values: ReturnType<typeof shareRows>;
  tooltip: object[];
}

/** Read: one row per segment, from an `rfmSummary` table as it is or summed from a per-customer table. */
function segmentRows(table: Table, fn: string, producer: string): SegmentRow[] {
  const isSummary = table.getChild('customers') !== null && table.getChild('revenue') !== null;
  const rows: SegmentRow[] = [];
  if (isSummary) {
    const names = strings(table, 'segment', fn, producer);
    const customers = numbers(table, 'customers', fn, producer);
    const revenue = numbers(table, 'revenue', fn, producer);
    names.forEach((segment, i) => rows.push({ segment, customers: customers[i] || 0, revenue: revenue[i] || 0 }));
  } else {
    // per customer: segment names become integer ids once, sums go into typed arrays
    const segment = readKeysVector(requireColumn(table, 'segment', fn, producer), 'segment', fn);
    const monetary = numbers(table, 'monetary', fn, producer);
    const customers = new Float64Array(segment.size);
    const revenue = new Float64Array(segment.size);
    const { codes } = segment;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c < 0) continue;
      customers[c]++;
      if (monetary[i] === monetary[i]) revenue[c] += monetary[i];
    }
    for (let c = 0; c < segment.size; c++)
      rows.push({ segment: String(segment.keys.get(c)), customers: customers[c], revenue: revenue[c] });
  }
  return rows;
}

/** Compute: each segment's shares of the customers and of the (positive) revenue. */
function shareRows(rows: readonly SegmentRow[], totalCustomers: number) {
  const totalRevenue = rows.reduce((s, row) => s + Math.max(0, row.revenue), 0);
  return rows.map((row) => ({
    segment: row.segment,
    customers: row.customers,
    customerShare: finite(row.customers / totalCustomers),
    revenue: finite(row.revenue),
    revenueShare: finite(Math.max(0, row.revenue) / totalRevenue),
  }));
}

/** Assemble: one panel of bars sorted by revenue, labelled with their share; segment names on the first only. */
function segmentPanel(
  frame: PanelFrame,
  name: string,
  field: string,
  share: string,
  title: string,
  showSegments: boolean,
) {
  const { width, height, order, values, tooltip } = frame;
  return {
    name,
    width,
    height,
    encoding: {
      y: {
        field: 'segment',
        type: 'nominal',
        sort: order,
        title: showSegments ? 'Segment' : null,
        axis: showSegments ? {} : { labels: false, ticks: false, domain: false },
      },
      // room on the right for the share label of the longest bar
      x: {
        field,
        type: 'quantitative',
        title,
        scale: { domainMax: 1.15 * Math.max(0, ...values.map((v) => Number(v[field as 'customers']) || 0)) },
      },
    },
    layer: [
      {
        name: `${name}Bars`,
        mark: { type: 'bar' },
        encoding: {
          color: { field: 'segment', type: 'nominal', sort: order, legend: null, scale: { scheme: 'tableau20' } },
          tooltip,
        },
      },
      {
        name: `${name}Labels`,
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
        encoding: { text: { field: share, type: 'quantitative', format: '.0%' } },
      },
    ],
  };
}
