import type { Float64, Table } from 'apache-arrow';
import type { LabelType } from '../table/internal';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  labelVector,
  numberVector,
  optionNames,
  tableWithMetadata,
} from '../table/internal';
import type { PlsFit } from './pls-path-model';

/** The four quadrants of an importance–performance map (Martilla & James 1977). */
export const IPMA_QUADRANTS = [
  'concentrate here',
  'keep up the good work',
  'low priority',
  'possible overkill',
] as const;

/** Options of {@link importancePerformance}. */
export interface ImportancePerformanceOptions {
  /** Importance (total effect) that splits high from low. Default: the mean importance of the drivers. */
  importanceCut?: number;
  /** Performance (0–100 index) that splits high from low. Default: the mean performance of the drivers. */
  performanceCut?: number;
}

/** The options importancePerformance takes; every other name is refused with a did-you-mean. */
const IMPORTANCE_PERFORMANCE_OPTION_NAMES = optionNames<ImportancePerformanceOptions>({
  importanceCut: true,
  performanceCut: true,
});

/** The columns of `importancePerformance`: one row per driver of the target construct. */
export type ImportancePerformanceColumns = {
  driver: LabelType;
  importance: Float64;
  performance: Float64;
  quadrant: LabelType;
};

/**
 * The importance–performance map (IPMA) of a fitted path model for one target construct: every latent variable
 * with a directed route to the target is a driver; its importance is its total effect on the target (direct
 * plus indirect, standardised) and its performance its 0–100 index.
 *
 * Analysts read it to choose where to act: drivers of high importance and low performance are where an
 * improvement moves the target most ("concentrate here"). Quadrants after Martilla & James (1977, Journal of
 * Marketing 41(1):77–79): high importance & low performance → 'concentrate here', high & high → 'keep up the good
 * work', low & low → 'low priority', low importance & high performance → 'possible overkill'; a value equal to
 * a cut counts as high. Ringle & Sarstedt (2016, Industrial Management & Data Systems 116(9)) describe the PLS
 * version.
 *
 * Output columns: `driver` (dictionary), `importance`, `performance`, `quadrant` (dictionary); one row per driver
 * in the model's latent-variable order; metadata `clientele.target`, `clientele.importanceCut`,
 * `clientele.performanceCut`.
 *
 * @param fit a {@link plsPathModel} fit
 * @param target the construct to explain (e.g. `'satisfaction'`)
 * @throws {ClienteleError} `INVALID_OPTION` when the target is not a latent variable of the fit or has no driver
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const model = acsiModel(store.truth.acsi.blocks);
 * const map = importancePerformance(plsPathModel(store.survey, model, { scale: [1, 10] }), 'satisfaction');
 * map.numRows; // 3
 * map.getChild('driver').toArray(); // ['expectations', 'quality', 'value']
 */
export function importancePerformance(
  fit: PlsFit,
  target: string,
  options: ImportancePerformanceOptions = {},
): Table<ImportancePerformanceColumns> {
  options = knownOptions(options, IMPORTANCE_PERFORMANCE_OPTION_NAMES, 'importancePerformance');
  const fn = 'importancePerformance';
  if (typeof fit !== 'object' || fit === null || !fit.model || !Array.isArray(fit.effects)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the first argument must be a plsPathModel fit (found ${describeValue(fit)})`,
    );
  }
  const latent = fit.model.latent;
  if (!latent.includes(target)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: target "${String(target)}" is not a latent variable of the fit (latent variables: ${latent.join(', ')})`,
    );
  }
  const drivers = latent.filter((lv) => fit.effects.some((e) => e.from === lv && e.to === target));
  if (drivers.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: no latent variable has a path to "${target}", so it has no drivers; pick an endogenous construct such as satisfaction`,
    );
  }
  const importance = Float64Array.from(
    drivers,
    (lv) => fit.effects.find((e) => e.from === lv && e.to === target)!.total,
  );
  const performance = Float64Array.from(drivers, (lv) => fit.index[lv]);
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const importanceCut = cut(options.importanceCut, mean(importance), 'importanceCut', fn);
  const performanceCut = cut(options.performanceCut, mean(performance), 'performanceCut', fn);
  const quadrant = new Int8Array(drivers.length);
  for (let d = 0; d < drivers.length; d++) {
    const high = importance[d] >= importanceCut;
    const good = performance[d] >= performanceCut;
    quadrant[d] = high ? (good ? 1 : 0) : good ? 3 : 2;
  }
  return tableWithMetadata(
    {
      driver: labelVector(
        Int8Array.from(drivers, (_, d) => d),
        drivers,
      ),
      importance: numberVector(importance),
      performance: numberVector(performance),
      quadrant: labelVector(quadrant, IPMA_QUADRANTS),
    },
    {
      'clientele.kind': 'importancePerformance',
      'clientele.target': target,
      'clientele.importanceCut': String(importanceCut),
      'clientele.performanceCut': String(performanceCut),
    },
  );
}

function cut(given: unknown, fallback: number, name: string, fn: string): number {
  if (given === undefined) return fallback;
  if (typeof given !== 'number' || !Number.isFinite(given)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be a finite number (found ${describeValue(given)}); leave it out to split at the drivers' mean`,
    );
  }
  return given;
}
