import type { Table } from 'apache-arrow';
import { knownOptions } from '../table/internal';
import type { BgNbdLike } from './bg-nbd';
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
 * Simulates customer histories from a BG/NBD model: a summary table (frequency x, recency t_x, age T) that the fits
 * and predictions read, drawn from known parameters — to test a fit's recovery, to see what a model implies, or to
 * check intervals by simulation (lifetimes' `beta_geometric_nbd_model` generator is the analogue).
 *
 * Process (Fader, Hardie & Lee 2005, §3): per customer, λ ~ gamma(shape r, rate α) and p ~ beta(a, b); from the
 * first purchase at time 0, purchases come as a Poisson process of rate λ while the customer is active, and after
 * each repeat purchase he drops out with probability p; x counts the repeat purchases in (0, T], t_x is the time of
 * the last one (0 when x = 0). Times are continuous, in the unit of α and T. E[x] is `bgNbdExpectedPurchases(model, T)`.
 *
 * Randomness: `randomSource(seed)` (sfc32), drawn customer by customer in a fixed order, so the same seed gives the
 * same table on every platform. Cost: O(customers + Σx) draws.
 *
 * @param model a fitted model, or `{ params: { r, alpha, a, b } }`
 * @param options `T` (one age per customer, or one age for `customers` customers) and `seed` (required)
 * @returns columns customer (1…n), frequency, recency, T; `clientele.kind` = `clvSummary`
 * @throws {ClienteleError} `INVALID_VALUE` for a parameter that is not positive; `INVALID_OPTION` for bad ages,
 *   customers or seed
 * @example
 * const data = simulateBgNbd({ params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } }, { T: 39, customers: 3, seed: 1 });
 * data.numRows; // 3
 */
export function simulateBgNbd(model: BgNbdLike, options: SimulateHistoriesOptions): Table {
  options = knownOptions(options, SIMULATE_HISTORIES_OPTION_NAMES, 'simulateBgNbd');
  const fn = 'simulateBgNbd';
  checkParams(model?.params, ['r', 'alpha', 'a', 'b'], fn);
  const ages = simulationAges(options, fn);
  const rng = simulationSeed(options.seed, fn);
  return historiesTable(HISTORY_SIMULATORS.bgNbd(model.params, ages, rng));
}
