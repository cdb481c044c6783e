import type { Table } from 'apache-arrow';
import { knownOptions } from '../table/internal';
import type { ParetoNbdLike } from './pareto-nbd';
import { checkParams } from './model';
import {
  HISTORY_SIMULATORS,
  historiesTable,
  SIMULATE_HISTORIES_OPTION_NAMES,
  simulationAges,
  simulationSeed,
} from './simulate-repeat-buying';
import type { SimulateHistoriesOptions } from './simulate-repeat-buying';

/**
 * Simulates customer histories from a Pareto/NBD model: a summary table (frequency x, recency t_x, age T) that the
 * fits and predictions read, drawn from known parameters — to test a fit's recovery, to see what a model implies, or
 * to check intervals by simulation (lifetimes' `pareto_nbd_model` generator is the analogue).
 *
 * Process (Schmittlein, Morrison & Colombo 1987): per customer, λ ~ gamma(shape r, rate α) and μ ~ gamma(shape s,
 * rate β); the lifetime τ ~ exponential(μ) from the first purchase at time 0; purchases come as a Poisson process of
 * rate λ on (0, min(τ, T)]; x counts them, t_x is the time of the last one (0 when x = 0). Times are continuous, in
 * the unit of α, β and T. E[x] is `paretoNbdExpectedPurchases(model, T)`.
 *
 * Randomness: `randomSource(seed)` (sfc32), drawn customer by customer in a fixed order, so the same seed gives the
 * same table on every platform. Cost: O(customers + Σx) draws.
 *
 * @param model a fitted model, or `{ params: { r, alpha, s, beta } }`
 * @param options `T` (one age per customer, or one age for `customers` customers) and `seed` (required)
 * @returns columns customer (1…n), frequency, recency, T; `clientele.kind` = `clvSummary`
 * @throws {ClienteleError} `INVALID_VALUE` for a parameter that is not positive; `INVALID_OPTION` for bad ages,
 *   customers or seed
 * @example
 * const data = simulateParetoNbd({ params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }, { T: [39, 20], seed: 1 });
 * data.numRows; // 2
 */
export function simulateParetoNbd(model: ParetoNbdLike, options: SimulateHistoriesOptions): Table {
  options = knownOptions(options, SIMULATE_HISTORIES_OPTION_NAMES, 'simulateParetoNbd');
  const fn = 'simulateParetoNbd';
  checkParams(model?.params, ['r', 'alpha', 's', 'beta'], fn);
  const ages = simulationAges(options, fn);
  const rng = simulationSeed(options.seed, fn);
  return historiesTable(HISTORY_SIMULATORS.paretoNbd(model.params, ages, rng));
}
