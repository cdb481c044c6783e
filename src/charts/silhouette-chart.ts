import { chart, finite, formatCount, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { readKScores } from './choose-k-scores';
import { knownOptions, optionNames } from '../table/internal';

/** The options silhouetteChart takes; every other name is refused with a did-you-mean. */
const SILHOUETTE_CHART_OPTION_NAMES = optionNames<ChartOptions>({ title: true, width: true, height: true });

/**
 * The silhouette plot of a k-means search: the mean silhouette (Rousseeuw 1987; −1 … 1, higher means tighter and
 * better separated segments) of the best partition for each number of segments k, one bar per k, the k that
 * `chooseK` suggests highlighted, each bar labelled with its value.
 *
 * Analysts use it with the elbow chart to choose k: the tallest bar is the k whose segments are most distinct.
 *
 * Conventions: takes the whole `chooseK` result (then the suggested k is highlighted and its reason is the
 * subtitle) or its `scores` table alone. k = 1 has no silhouette and is left out. This is the silhouette per k;
 * per-customer silhouettes are not part of the `chooseK` result, so there is no per-point "knife" plot.
 *
 * Cost: O(number of k).
 *
 * @param choice the result of `chooseK`, or its `scores` table (columns `k`, `inertia`, `silhouette`)
 * @param options title, width (400), height (260)
 * @throws {ClienteleError} `MISSING_COLUMN` when `k` or `silhouette` is missing; `EMPTY_INPUT`; `INVALID_INPUT`
 * @example
 * const points = { x: [0, 0.2, 0.1, 5, 5.2, 5.1, 10, 10.1, 9.9], y: [0, 0.1, 0.2, 5, 5.1, 4.9, 0, 0.2, 0.1] };
 * const spec = silhouetteChart(chooseK(points, { columns: ['x', 'y'], kRange: [2, 5], seed: 1 }));
 * spec.data.values.filter((row) => row.suggested).map((row) => row.k); // [3]
 */
export function silhouetteChart(choice: unknown, options: ChartOptions = {}): ChartSpec {
  options = knownOptions(options, SILHOUETTE_CHART_OPTION_NAMES, 'silhouetteChart');
  const fn = 'silhouetteChart';
  const scores = readKScores(choice, fn);
  const width = sizeOption(options.width, 400, 'width', fn);
  const height = sizeOption(options.height, 260, 'height', fn);
  const values = [];
  for (let r = 0; r < scores.k.length; r++) {
    const s = scores.silhouette[r];
    if (!Number.isFinite(s)) continue; // k = 1
    values.push({ k: scores.k[r], silhouette: finite(s), suggested: scores.k[r] === scores.suggested });
  }
  const ks = values.map((v) => v.k);
  const subtitle =
    scores.reason ??
    `${ks.length} values of k` +
      (scores.silhouetteRows !== null
        ? `; silhouettes on ${formatCount(scores.silhouetteRows)} rows${scores.sampled ? ' (a sample)' : ''}`
        : '');
  const low = Math.min(0, ...values.map((v) => v.silhouette ?? 0));
  return chart({
    title: { text: options.title ?? 'Mean silhouette by number of segments', subtitle },
    width,
    height,
    data: { values },
    encoding: {
      x: { field: 'k', type: 'ordinal', title: 'Number of segments k', scale: { domain: ks }, axis: { labelAngle: 0 } },
      y: {
        field: 'silhouette',
        type: 'quantitative',
        title: 'Mean silhouette (−1 … 1, higher is better)',
        scale: { domain: [low, 1] },
      },
    },
    layer: [
      {
        name: 'bars',
        mark: { type: 'bar' },
        encoding: {
          color: {
            field: 'suggested',
            type: 'nominal',
            scale: { domain: [false, true], range: ['#9ecae9', '#54a24b'] },
            legend: { title: 'Suggested k', labelExpr: "datum.value ? 'suggested' : 'other'" },
          },
          tooltip: [
            { field: 'k', type: 'ordinal', title: 'k' },
            { field: 'silhouette', type: 'quantitative', title: 'Mean silhouette', format: '.3f' },
          ],
        },
      },
      {
        name: 'values',
        mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: 10 },
        encoding: { text: { field: 'silhouette', type: 'quantitative', format: '.2f' } },
      },
    ],
  });
}
