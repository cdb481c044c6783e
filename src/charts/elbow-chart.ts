import { chart, finite, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { readKScores } from './choose-k-scores';
import type { KScores } from './choose-k-scores';
import { knownOptions, optionNames } from '../table/internal';

/** The options elbowChart takes; every other name is refused with a did-you-mean. */
const ELBOW_CHART_OPTION_NAMES = optionNames<ChartOptions>({ title: true, width: true, height: true });

/**
 * The elbow plot of a k-means search: inertia (the within-segment sum of squared distances, in the scaled feature
 * space) against the number of segments k, with the elbow and the suggested k of `chooseK` marked by labelled rules.
 *
 * Analysts use it beside the silhouette chart to pick k: inertia always falls as k grows, and the bend where it
 * stops falling fast is the elbow.
 *
 * Conventions: takes the whole `chooseK` result (then its `elbow` and `k` are marked) or its `scores` table alone
 * (no marks). Points are in k order.
 *
 * Cost: O(number of k).
 *
 * @param choice the result of `chooseK`, or its `scores` table (columns `k`, `inertia`, `silhouette`)
 * @param options title, width (400), height (260)
 * @throws {ClienteleError} `MISSING_COLUMN` when `k` or `inertia` is missing; `EMPTY_INPUT`; `INVALID_INPUT`
 * @example
 * const points = { x: [0, 0.2, 0.1, 5, 5.2, 5.1, 10, 10.1, 9.9], y: [0, 0.1, 0.2, 5, 5.1, 4.9, 0, 0.2, 0.1] };
 * const spec = elbowChart(chooseK(points, { columns: ['x', 'y'], kRange: [1, 5], seed: 1 }));
 * spec.data.values.map((row) => row.k); // [1, 2, 3, 4, 5]
 * spec.layer.find((layer) => layer.name === 'marks').data.values.map((mark) => mark.label); // ['elbow and suggested: k = 3']
 */
export function elbowChart(choice: unknown, options: ChartOptions = {}): ChartSpec {
  options = knownOptions(options, ELBOW_CHART_OPTION_NAMES, 'elbowChart');
  const fn = 'elbowChart';
  const scores = readKScores(choice, fn);
  const width = sizeOption(options.width, 400, 'width', fn);
  const height = sizeOption(options.height, 260, 'height', fn);
  const values = Array.from(scores.k, (k, r) => ({ k, inertia: finite(scores.inertia[r]), elbow: k === scores.elbow }));
  return chart({
    title: {
      text: options.title ?? 'Elbow plot: inertia by number of segments',
      subtitle:
        scores.elbow !== null
          ? `The curve bends at k = ${scores.elbow}${scores.suggested !== null ? `; chooseK suggests k = ${scores.suggested} (highest mean silhouette)` : ''}`
          : `${scores.k.length} values of k`,
    },
    width,
    height,
    data: { values },
    layer: elbowLayers(scores),
  });
}

/** A marked k: the elbow, the suggested k, or both in one mark when they coincide. */
type ElbowMark = { k: number; kind: 'elbow' | 'suggested'; label: string };

/** The marks of the elbow and the suggested k: one when they are the same k, none when `chooseK` gave neither. */
function elbowMarks(scores: KScores): ElbowMark[] {
  const marks: ElbowMark[] = [];
  if (scores.elbow !== null && scores.elbow === scores.suggested) {
    marks.push({ k: scores.elbow, kind: 'elbow', label: `elbow and suggested: k = ${scores.elbow}` });
  } else {
    if (scores.elbow !== null) marks.push({ k: scores.elbow, kind: 'elbow', label: `elbow: k = ${scores.elbow}` });
    if (scores.suggested !== null)
      marks.push({ k: scores.suggested, kind: 'suggested', label: `suggested: k = ${scores.suggested}` });
  }
  return marks;
}

/** The layers: the inertia curve, its points with tooltips, then the marked k's rules and labels when there are any. */
function elbowLayers(scores: KScores): Record<string, unknown>[] {
  const x = {
    field: 'k',
    type: 'quantitative',
    title: 'Number of segments k',
    axis: { tickMinStep: 1, format: 'd' },
    scale: { domain: [scores.k[0], scores.k[scores.k.length - 1]], nice: false },
  };
  const y = {
    field: 'inertia',
    type: 'quantitative',
    title: 'Inertia (within-segment sum of squares, scaled units)',
    scale: { zero: false },
  };
  const layer: Record<string, unknown>[] = [
    { name: 'curve', mark: { type: 'line', color: '#4c78a8' }, encoding: { x, y } },
    {
      name: 'points',
      mark: { type: 'point', filled: true, size: 60, color: '#4c78a8', opacity: 1 },
      encoding: {
        x,
        y,
        tooltip: [
          { field: 'k', type: 'quantitative', title: 'k' },
          { field: 'inertia', type: 'quantitative', title: 'Inertia', format: ',.4~g' },
        ],
      },
    },
  ];
  const marks = elbowMarks(scores);
  if (marks.length > 0) layer.push(...markLayers(marks));
  return layer;
}

/** The dashed rules at the marked k's and their labels, coloured by kind (elbow red, suggested green). */
function markLayers(marks: readonly ElbowMark[]): Record<string, unknown>[] {
  const color = () => ({
    field: 'kind',
    type: 'nominal',
    scale: { domain: ['elbow', 'suggested'], range: ['#e45756', '#54a24b'] },
    legend: null,
  });
  return [
    {
      name: 'marks',
      data: { values: marks },
      mark: { type: 'rule', strokeDash: [4, 3] },
      encoding: { x: { field: 'k', type: 'quantitative' }, color: color() },
    },
    {
      name: 'markLabels',
      // one line each, so that the labels of neighbouring k's do not run into each other
      data: { values: marks.map((m, i) => ({ ...m, labelY: 4 + 16 * i })) },
      mark: { type: 'text', align: 'left', dx: 4, baseline: 'top', fontSize: 11 },
      encoding: {
        x: { field: 'k', type: 'quantitative' },
        y: { field: 'labelY', type: 'quantitative', scale: null, axis: null },
        text: { field: 'label', type: 'nominal' },
        color: color(),
      },
    },
  ];
}
