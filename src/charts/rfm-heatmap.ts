import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue, hasOwnKey, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, finite, formatCount, numbers, sizeOption, textOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';

/** Options of {@link rfmHeatmap}. */
export interface RfmHeatmapOptions extends ChartOptions {
  /**
   * What the colour shows per cell: `'customers'` (count, default), `'monetary'` (mean monetary value of the
   * cell's customers) or `'revenue'` (their total monetary value).
   */
  color?: 'customers' | 'monetary' | 'revenue';
  /** Name of the money unit for titles, e.g. `'€'`. Default `'currency units'`. */
  currency?: string;
}

const COLOR_TITLES = { customers: 'Customers', monetary: 'Mean monetary', revenue: 'Revenue' } as const;

/** The options rfmHeatmap takes; every other name is refused with a did-you-mean. */
const RFM_HEATMAP_OPTION_NAMES = optionNames<RfmHeatmapOptions>({
  color: true,
  currency: true,
  title: true,
  width: true,
  height: true,
});

/**
 * A heatmap of an RFM scoring: recency score across (1 = longest ago … bins = most recent), frequency score up,
 * one cell per (R, F) pair that has customers, coloured by the number of customers (or their mean monetary value,
 * or their revenue), the count written in the cell, and a tooltip with customers, share, mean monetary and revenue.
 *
 * Analysts read it as the map of the customer base: the top-right corner holds the recent frequent buyers
 * (Champions), the bottom-left the lapsed one-off buyers; a heavy cell shows where most customers sit.
 *
 * Conventions: cells are aggregated here, so the spec holds at most bins² rows whatever the number of customers;
 * rows with a null score are left out and counted in the subtitle. The axes span 1 … bins (`clientele.bins` in the
 * table's metadata, else the largest score), so empty rows or columns of the grid stay visible as gaps.
 *
 * Cost: O(n) over typed arrays.
 *
 * @param rfmTable the table `rfm` (or `rfmSegments`) returns: columns `r`, `f`, `monetary`
 * @param options color (`'customers'`), currency, title, width (360), height (300)
 * @throws {ClienteleError} `MISSING_COLUMN` when `r`, `f` or `monetary` is missing; `INVALID_VALUE` for a score
 *   that is not a whole number from 1 to 255; `EMPTY_INPUT` when no row has both scores; `INVALID_OPTION`
 * @example
 * const scored = rfm(sampleStore({ customers: 300, seed: 2 }).transactions);
 * const spec = rfmHeatmap(scored);
 * spec.data.values.reduce((sum, cell) => sum + cell.customers, 0); // 300
 * spec.encoding.x.title; // 'Recency score (5 = most recent)'
 */
export function rfmHeatmap(rfmTable: unknown, options: RfmHeatmapOptions = {}): ChartSpec {
  options = knownOptions(options, RFM_HEATMAP_OPTION_NAMES, 'rfmHeatmap');
  const fn = 'rfmHeatmap';
  const color = options.color ?? 'customers';
  if (typeof color !== 'string' || !hasOwnKey(COLOR_TITLES, color)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option color must be 'customers', 'monetary' or 'revenue' (found ${describeValue(color)})`,
    );
  }
  const currency = textOption(options.currency, 'currency units', 'currency', fn);
  const width = sizeOption(options.width, 360, 'width', fn);
  const height = sizeOption(options.height, 300, 'height', fn);
  const table = chartTable(rfmTable, fn, 'rfm');
  const grid = scoreGrid(table, fn);
  const { bins, kept, skipped } = grid;
  const values = cellRows(grid);
  // cell counts in white on the darker half of the colour scale
  const darkAbove = 0.55 * Math.max(...values.map((v) => v[color] ?? 0));
  const scores = Array.from({ length: bins }, (_, k) => k + 1);
  const subtitle = `${formatCount(kept)} customers${skipped > 0 ? `; ${formatCount(skipped)} rows without scores left out` : ''}`;
  return chart({
    title: { text: options.title ?? 'Customers by recency and frequency score', subtitle },
    width,
    height,
    data: { values },
    encoding: {
      x: {
        field: 'r',
        type: 'ordinal',
        title: `Recency score (${bins} = most recent)`,
        scale: { domain: scores },
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'f',
        type: 'ordinal',
        title: `Frequency score (${bins} = most frequent)`,
        scale: { domain: [...scores].reverse() },
      },
    },
    layer: heatmapLayers(color, currency, darkAbove),
  });
}

/** Customers and revenue per (R, F) cell, row-major by r then f, and the rows kept and left out. */
interface ScoreGrid {
  bins: number;
  customers: Float64Array;
  revenue: Float64Array;
  kept: number;
  skipped: number;
}

/** Read and compute: the scores checked, the grid size, customers and revenue per cell, rows without scores. */
function scoreGrid(table: Table, fn: string): ScoreGrid {
  const r = numbers(table, 'r', fn, 'rfm');
  const f = numbers(table, 'f', fn, 'rfm');
  const monetary = numbers(table, 'monetary', fn, 'rfm');
  const n = table.numRows;

  let bins = Number(table.schema.metadata.get('clientele.bins') ?? 0);
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    const fi = f[i];
    if (ri !== ri || fi !== fi) continue;
    for (const [name, score] of [
      ['r', ri],
      ['f', fi],
    ] as const) {
      if (!Number.isInteger(score) || score < 1 || score > 255) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: column "${name}" holds ${describeValue(score)} at row ${i}; scores must be whole numbers from 1 to bins, as rfm gives`,
          { column: name, row: i },
        );
      }
    }
    if (ri > bins) bins = ri;
    if (fi > bins) bins = fi;
  }
  const customers = new Float64Array(bins * bins);
  const revenue = new Float64Array(bins * bins);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    const fi = f[i];
    if (ri !== ri || fi !== fi) {
      skipped++;
      continue;
    }
    const cell = (ri - 1) * bins + (fi - 1);
    customers[cell]++;
    if (monetary[i] === monetary[i]) revenue[cell] += monetary[i];
  }
  const kept = n - skipped;
  if (kept === 0)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has both an r and an f score (found ${n} rows); pass the table rfm returns`,
    );
  return { bins, customers, revenue, kept, skipped };
}

/** Assemble: one data row per (R, F) cell that has customers. */
function cellRows({ bins, customers, revenue, kept }: ScoreGrid) {
  const values = [];
  for (let ri = 1; ri <= bins; ri++) {
    for (let fi = 1; fi <= bins; fi++) {
      const cell = (ri - 1) * bins + (fi - 1);
      if (customers[cell] === 0) continue;
      values.push({
        r: ri,
        f: fi,
        customers: customers[cell],
        share: customers[cell] / kept,
        monetary: finite(revenue[cell] / customers[cell]),
        revenue: finite(revenue[cell]),
      });
    }
  }
  return values;
}

/** Assemble: the coloured cells with their tooltip, and the customer counts written over them. */
function heatmapLayers(color: keyof typeof COLOR_TITLES, currency: string, darkAbove: number) {
  const colorTitle = color === 'customers' ? 'Customers' : `${COLOR_TITLES[color]} (${currency})`;
  return [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
      encoding: {
        color: { field: color, type: 'quantitative', title: colorTitle, scale: { scheme: 'blues' } },
        tooltip: [
          { field: 'r', type: 'ordinal', title: 'Recency score' },
          { field: 'f', type: 'ordinal', title: 'Frequency score' },
          { field: 'customers', type: 'quantitative', title: 'Customers', format: ',d' },
          { field: 'share', type: 'quantitative', title: 'Share of customers', format: '.1%' },
          { field: 'monetary', type: 'quantitative', title: `Mean monetary (${currency})`, format: ',.2f' },
          { field: 'revenue', type: 'quantitative', title: `Revenue (${currency})`, format: ',.0f' },
        ],
      },
    },
    {
      name: 'counts',
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        text: { field: 'customers', type: 'quantitative', format: ',d' },
        color: { condition: { test: `datum['${color}'] > ${darkAbove}`, value: 'white' }, value: 'black' },
      },
    },
  ];
}
