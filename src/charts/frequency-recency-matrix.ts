import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, countOption, finite, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { repeatModel } from '../clv/internal';
import { readHistories } from './repeat-model';

/** Options of {@link frequencyRecencyMatrix}. */
export interface FrequencyRecencyMatrixOptions extends ChartOptions {
  /** What each cell shows: expected purchases in the next `t` periods (default) or the probability of being alive. */
  quantity?: 'expectedPurchases' | 'probabilityAlive';
  /** The forecast length for `'expectedPurchases'`, in the summary's time unit. Default 1. */
  t?: number;
  /** Largest frequency (repeat purchases) drawn. Default the largest in the summary, at most 60. */
  maxFrequency?: number;
  /** Number of recency cells from 0 to T. Default 24. */
  recencyCells?: number;
}

const FREQUENCY_RECENCY_MATRIX_OPTION_NAMES = optionNames<FrequencyRecencyMatrixOptions>({
  quantity: true,
  t: true,
  maxFrequency: true,
  recencyCells: true,
  title: true,
  width: true,
  height: true,
});

/**
 * A heatmap of a fitted BG/NBD or Pareto/NBD model's prediction over the customer's history: frequency x (repeat
 * purchases) up, recency t_x across, each cell the expected purchases in the next `t` periods or P(alive) of a
 * customer with that (x, t_x) and age T = the oldest customer of the summary — lifetimes'
 * `plot_frequency_recency_matrix` and `plot_probability_alive_matrix`.
 *
 * Analysts read it to see which histories the model values: the best customers bought often and recently (top
 * right); a frequent buyer not seen for a long time (top left) is likely gone.
 *
 * Conventions: the recency axis from 0 to T is cut into `recencyCells` cells and each cell is evaluated at its
 * midpoint; the row x = 0 is evaluated at t_x = 0 (a customer without repeat purchases has no recency), so it is one
 * value across. Cells are computed with the library's own functions (`bgNbdConditionalExpectedPurchases`,
 * `bgNbdProbabilityAlive`, and their Pareto/NBD twins).
 *
 * Cost: (maxFrequency + 1) × recencyCells model evaluations.
 *
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", fig. 4 (the iso-value plot).
 *
 * @param model a repeat-buying model of the clv registry: the result of `fitBgNbd`, `fitParetoNbd`, … or
 *   `{ kind, params }` (the kind is required: BG/NBD and MBG/NBD share parameter names)
 * @param summary the `summaryFromTransactions` table the model was fitted on (frequency, recency, T): gives T and
 *   the largest frequency
 * @param options quantity ('expectedPurchases'), t (1), maxFrequency (largest observed, ≤ 60), recencyCells (24),
 *   title, width (420), height (320)
 * @throws {ClienteleError} `INVALID_INPUT` for a model that is not BG/NBD or Pareto/NBD; `MISSING_COLUMN`;
 *   `INVALID_OPTION`
 * @example
 * const store = sampleStore({ customers: 300, seed: 1 });
 * const summary = summaryFromTransactions(store.transactions);
 * const model = fitBgNbd(summary);
 * const spec = frequencyRecencyMatrix(model, summary, { quantity: 'probabilityAlive', maxFrequency: 5, recencyCells: 4 });
 * spec.data.values.length; // 24
 * spec.data.values[0].value; // 1
 */
export function frequencyRecencyMatrix(
  model: unknown,
  summary: unknown,
  options: FrequencyRecencyMatrixOptions = {},
): ChartSpec {
  options = knownOptions(options, FREQUENCY_RECENCY_MATRIX_OPTION_NAMES, 'frequencyRecencyMatrix');
  const fn = 'frequencyRecencyMatrix';
  const m = repeatModel(model, fn, 'INVALID_INPUT');
  const fitted = model as Parameters<typeof m.expectedPurchases>[0];
  const h = readHistories(summary, fn);
  const quantity = options.quantity ?? 'expectedPurchases';
  if (quantity !== 'expectedPurchases' && quantity !== 'probabilityAlive') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option quantity must be 'expectedPurchases' or 'probabilityAlive' (found ${describeValue(quantity)})`,
    );
  }
  const t = options.t ?? 1;
  if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option t must be a positive number of periods (found ${describeValue(t)}); e.g. 1`,
    );
  }
  const T = h.T.reduce((m, v) => (v > m ? v : m), 0); // the oldest customer's age
  const observedMax = h.x.reduce((m, v) => (v > m ? v : m), 0);
  if (!(T > 0)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the summary has no customer older than 0 (found ${h.T.length} rows); pass the summaryFromTransactions table the model was fitted on`,
    );
  }
  const maxFrequency = countOption(options.maxFrequency, Math.min(60, Math.max(1, observedMax)), 1, 'maxFrequency', fn);
  const cells = countOption(options.recencyCells, 24, 1, 'recencyCells', fn);
  const width = sizeOption(options.width, 420, 'width', fn);
  const height = sizeOption(options.height, 320, 'height', fn);
  const values: Record<string, number | null>[] = [];
  for (let x = 0; x <= maxFrequency; x++) {
    for (let j = 0; j < cells; j++) {
      const from = (T * j) / cells;
      const to = (T * (j + 1)) / cells;
      const tx = x === 0 ? 0 : (from + to) / 2; // t_x in Fader, Hardie & Lee (2005)
      const value =
        quantity === 'probabilityAlive'
          ? m.probabilityAlive(fitted, x, tx, T)
          : m.conditionalExpectedPurchases(fitted, x, tx, T, t);
      values.push({ frequency: x, recencyFrom: from, recencyTo: to, recency: tx, T, value: finite(value) });
    }
  }
  const unit = h.unit;
  const what =
    quantity === 'probabilityAlive'
      ? 'Probability of being alive'
      : `Expected purchases in the next ${t} ${unit}${t === 1 ? '' : 's'}`;
  return chart({
    title: {
      text: options.title ?? `${what}, by frequency and recency (${m.label})`,
      subtitle: `customers aged T = ${T.toFixed(1)} ${unit}s; frequency = repeat purchases, recency = age at the last one`,
    },
    width,
    height,
    data: { values },
    mark: { type: 'rect' },
    encoding: matrixEncoding(T, unit, quantity, what),
  });
}

/** Recency across (cells from 0 to T), frequency up, colour = the prediction (P(alive) on 0–1). */
function matrixEncoding(T: number, unit: string, quantity: string, what: string) {
  return {
    x: {
      field: 'recencyFrom',
      type: 'quantitative',
      title: `Recency (t_x, ${unit}s)`,
      scale: { domain: [0, T], nice: false },
    },
    x2: { field: 'recencyTo' },
    y: {
      field: 'frequency',
      type: 'ordinal',
      title: 'Frequency (repeat purchases)',
      sort: 'descending',
      axis: { labelOverlap: true },
    },
    color: {
      field: 'value',
      type: 'quantitative',
      title: quantity === 'probabilityAlive' ? 'P(alive)' : 'Expected',
      scale: { scheme: 'viridis', ...(quantity === 'probabilityAlive' ? { domain: [0, 1] } : {}) },
    },
    tooltip: [
      { field: 'frequency', type: 'quantitative', title: 'Frequency' },
      { field: 'recency', type: 'quantitative', title: 'Recency', format: '.1f' },
      { field: 'value', type: 'quantitative', title: what, format: '.3f' },
    ],
  };
}
