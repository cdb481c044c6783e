import { ClienteleError, knownOptions, optionNames } from '../table/internal';
import { chart, chartTable, finite, numbers, sizeOption, strings } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { ipmaAxes } from './ipma-spread';
import type { IpmaAxes } from './ipma-spread';

/** The mean of the finite values. */
function mean(values: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    sum += v;
    n++;
  }
  return sum / n;
}

/** The options importancePerformanceChart takes; every other name is refused with a did-you-mean. */
const IMPORTANCE_PERFORMANCE_CHART_OPTION_NAMES = optionNames<ChartOptions>({ title: true, width: true, height: true });

/**
 * A Vega-Lite chart of an importance–performance map: one labelled point per driver, performance (0–100
 * index) across, importance (total effect) up, and dashed rules at the quadrant cuts, coloured by quadrant.
 *
 * The spread is shown honestly: the axes are fitted to the data (padded by a tenth of the range), each axis title says
 * the range it shows, and the subtitle states the spread of performance (index points) and importance, and where the
 * dashed lines are (the means, unless `importancePerformance` was given cuts). When performance spans less than
 * 5 points of 100 or importance less than a tenth of its largest value, the subtitle says the
 * drivers differ little and the quadrants split small differences — a 0.2-point gap is not a priority.
 *
 * Analysts drop it into a notebook or a report (any Vega-Lite renderer: vega-embed, Deno Jupyter, Observable).
 * The data are inlined, so the spec is self-contained JSON.
 *
 * @param map the table of `importancePerformance`
 * @param options `title` (default 'Importance–performance map of <target>'), width (420), height (320)
 * @throws {ClienteleError} `MISSING_COLUMN` when the table lacks driver, importance, performance or quadrant;
 *   `INVALID_INPUT` when its metadata has no quadrant cuts
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const spec = importancePerformanceChart(importancePerformance(plsPathModel(store.survey, model, { scale: [1, 10] }), 'satisfaction'));
 * spec.$schema; // 'https://vega.github.io/schema/vega-lite/v6.json'
 * spec.layer.length; // 4
 * spec.title.subtitle[0].startsWith('performance '); // true
 */
export function importancePerformanceChart(map: unknown, options: ChartOptions = {}): ChartSpec {
  options = knownOptions(options, IMPORTANCE_PERFORMANCE_CHART_OPTION_NAMES, 'importancePerformanceChart');
  const fn = 'importancePerformanceChart';
  const producer = 'importancePerformance';
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const table = chartTable(map, fn, producer);
  const driver = strings(table, 'driver', fn, producer);
  const importance = numbers(table, 'importance', fn, producer);
  const performance = numbers(table, 'performance', fn, producer);
  const quadrant = strings(table, 'quadrant', fn, producer);
  const meta = table.schema.metadata;
  const target = meta.get('clientele.target') ?? 'the target';
  const importanceCut = Number(meta.get('clientele.importanceCut'));
  const performanceCut = Number(meta.get('clientele.performanceCut'));
  if (!Number.isFinite(importanceCut) || !Number.isFinite(performanceCut)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table has no quadrant cuts in its metadata; pass the table that importancePerformance returns`,
    );
  }
  const atMeans =
    Math.abs(importanceCut - mean(importance)) < 1e-9 && Math.abs(performanceCut - mean(performance)) < 1e-9;
  const axes = ipmaAxes(performance, importance, { atMeans });
  const values = driver.map((name, i) => ({
    driver: name,
    importance: finite(importance[i]),
    performance: finite(performance[i]),
    quadrant: quadrant[i],
  }));
  return chart({
    title: { text: options.title ?? `Importance–performance map of ${target}`, subtitle: axes.caption },
    width,
    height,
    data: { values },
    layer: ipmaLayers(axes, target, performanceCut, importanceCut),
  });
}

/** The layers: the drivers (points and names) on axes fitted to the data, and the dashed quadrant cuts. */
function ipmaLayers(axes: IpmaAxes, target: string, performanceCut: number, importanceCut: number) {
  const [p0, p1] = axes.performanceDomain;
  return [
    {
      name: 'drivers',
      mark: { type: 'point', filled: true, size: 120 },
      encoding: {
        x: {
          field: 'performance',
          type: 'quantitative',
          title: `Performance (index 0–100; axis ${p0.toFixed(1)}–${p1.toFixed(1)})`,
          scale: { domain: [p0, p1], nice: false, zero: false },
        },
        y: {
          field: 'importance',
          type: 'quantitative',
          title: `Importance (total effect on ${target})`,
          scale: { domain: [...axes.importanceDomain], nice: false },
        },
        color: { field: 'quadrant', type: 'nominal', title: 'Quadrant' },
        tooltip: [
          { field: 'driver', type: 'nominal' },
          { field: 'importance', type: 'quantitative', format: '.3f' },
          { field: 'performance', type: 'quantitative', format: '.1f' },
          { field: 'quadrant', type: 'nominal' },
        ],
      },
    },
    {
      name: 'driverLabels',
      mark: { type: 'text', dy: -12 },
      encoding: {
        x: { field: 'performance', type: 'quantitative' },
        y: { field: 'importance', type: 'quantitative' },
        text: { field: 'driver', type: 'nominal' },
      },
    },
    {
      name: 'performanceCut',
      mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
      encoding: { x: { datum: performanceCut } },
    },
    {
      name: 'importanceCut',
      mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
      encoding: { y: { datum: importanceCut } },
    },
  ];
}
