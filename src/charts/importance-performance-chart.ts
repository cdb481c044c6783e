import type { Table } from 'apache-arrow';
import { asTable } from '../table/as-table';
import { getColumn } from '../table/column';
import { ClienteleError } from '../table/errors';

/** A Vega-Lite v5 specification (a plain JSON object). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/**
 * A Vega-Lite (v5) chart of an importance–performance map: one labelled point per driver, performance (0–100
 * index) across, importance (total effect) up, and dashed rules at the quadrant cuts, coloured by quadrant.
 *
 * Analysts drop it into a notebook or a report (any Vega-Lite renderer: vega-embed, Deno Jupyter, Observable).
 * The data are inlined, so the spec is self-contained JSON.
 *
 * @param map the table of `importancePerformance`
 * @param options `title` (default 'Importance–performance map of <target>')
 * @throws {ClienteleError} `MISSING_COLUMN` when the table lacks driver, importance, performance or quadrant
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const spec = importancePerformanceChart(importancePerformance(plsPathModel(store.survey, model, { scale: [1, 10] }), 'satisfaction'));
 * spec.$schema; // 'https://vega.github.io/schema/vega-lite/v5.json'
 * spec.layer.length; // 4
 */
export function importancePerformanceChart(map: Table, options: { title?: string } = {}): VegaLiteSpec {
  const fn = 'importancePerformanceChart';
  const table = asTable(map);
  const driver = getColumn(table, 'driver', fn, 'map').toArray() as unknown as ArrayLike<string>;
  const importance = getColumn(table, 'importance', fn, 'map');
  const performance = getColumn(table, 'performance', fn, 'map');
  const quadrant = getColumn(table, 'quadrant', fn, 'map');
  const meta = table.schema.metadata;
  const target = meta.get('clientele.target') ?? 'the target';
  const importanceCut = Number(meta.get('clientele.importanceCut'));
  const performanceCut = Number(meta.get('clientele.performanceCut'));
  if (!Number.isFinite(importanceCut) || !Number.isFinite(performanceCut)) {
    throw new ClienteleError('INVALID_INPUT', `${fn}: the table has no quadrant cuts in its metadata; pass the table that importancePerformance returns`);
  }
  const values = Array.from({ length: table.numRows }, (_, i) => ({
    driver: String(driver[i]),
    importance: Number(importance.get(i)),
    performance: Number(performance.get(i)),
    quadrant: String(quadrant.get(i)),
  }));
  return Object.freeze({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title ?? `Importance–performance map of ${target}`,
    width: 420,
    height: 320,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 120 },
        encoding: {
          x: { field: 'performance', type: 'quantitative', title: 'Performance (index, 0–100)', scale: { zero: false } },
          y: { field: 'importance', type: 'quantitative', title: `Importance (total effect on ${target})` },
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
        mark: { type: 'text', dy: -12 },
        encoding: {
          x: { field: 'performance', type: 'quantitative' },
          y: { field: 'importance', type: 'quantitative' },
          text: { field: 'driver', type: 'nominal' },
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { datum: performanceCut } } },
      { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: importanceCut } } },
    ],
  });
}
