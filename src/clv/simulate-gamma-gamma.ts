import type { Table } from 'apache-arrow';
import type { RandomSource } from '../math/internal';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  tableWithMetadata,
} from '../table/internal';
import type { GammaGammaLike } from './gamma-gamma';
import { checkParams } from './model';
import { simulationSeed } from './simulate-repeat-buying';

/** Options of {@link simulateGammaGamma}. */
export interface SimulateGammaGammaOptions {
  /** Each customer's repeat transactions x (integers ≥ 0): z̄ is the mean of x simulated transaction values. */
  frequency: ArrayLike<number>;
  /** The seed of the random source (any finite number); the same seed gives the same table on Node and Deno. */
  seed: number;
}

const SIMULATE_GAMMA_GAMMA_OPTION_NAMES = optionNames<SimulateGammaGammaOptions>({ frequency: true, seed: true });

/**
 * Mean repeat spend z̄ per customer from Gamma-Gamma parameters, given x: ν ~ gamma(q, rate γ), then the sum of x
 * transactions ~ gamma(px, rate ν), so z̄ ~ gamma(px, rate xν); 0 when x = 0. One ν and one z̄ draw per customer.
 */
export function simulateSpend(
  params: Readonly<Record<string, number>>,
  x: Float64Array,
  rng: RandomSource,
): Float64Array {
  const { p, q, gamma } = params;
  const z = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const nu = rng.gamma(q, 1 / gamma);
    if (x[i] > 0) z[i] = rng.gamma(p * x[i], 1 / (x[i] * nu));
  }
  return z;
}

/**
 * Simulates customers' mean repeat spend z̄ from a Gamma-Gamma model, given their repeat transactions x: the
 * `monetary` column `fitGammaGamma` reads, drawn from known parameters (to test the fit's recovery, or the spend
 * part of CLV intervals by simulation).
 *
 * Process (Fader, Hardie & Lee 2005, "RFM and CLV", appendix; Fader & Hardie 2013, eqs. 1–2): each customer's
 * ν ~ gamma(shape q, rate γ), each of his x transactions ~ gamma(shape p, rate ν) (mean p/ν), and z̄ their mean,
 * drawn at once as gamma(px, rate xν); z̄ = 0 for x = 0 (the convention of `summaryFromTransactions`).
 * E[z̄ | x] = pγ/(q − 1) for q > 1, the population mean.
 *
 * Randomness: `randomSource(seed)`, customer by customer. Cost: O(customers).
 *
 * @param model a fitted model, or `{ params: { p, q, gamma } }`
 * @param options `frequency` (x per customer) and `seed` (required)
 * @returns columns frequency (x) and monetary (z̄), one row per customer
 * @throws {ClienteleError} `INVALID_VALUE` for a parameter that is not positive; `INVALID_OPTION` for a frequency
 *   that is not an integer ≥ 0, or a bad seed
 * @example
 * const spend = simulateGammaGamma({ params: { p: 6.25, q: 3.74, gamma: 15.44 } }, { frequency: [0, 2, 5], seed: 1 });
 * spend.getChild('monetary')?.get(0); // 0
 */
export function simulateGammaGamma(model: GammaGammaLike, options: SimulateGammaGammaOptions): Table {
  options = knownOptions(options, SIMULATE_GAMMA_GAMMA_OPTION_NAMES, 'simulateGammaGamma');
  const fn = 'simulateGammaGamma';
  checkParams(model?.params, ['p', 'q', 'gamma'], fn);
  const given = options.frequency;
  if (given === null || typeof given !== 'object' || typeof given.length !== 'number' || given.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option frequency must be a non-empty array of repeat transactions per customer (found ${describeValue(given)}); pass e.g. { frequency: [0, 2, 5] }`,
    );
  }
  const x = Float64Array.from(given);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 0) || !Number.isInteger(x[i])) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option frequency must hold integers ≥ 0 (found ${describeValue(given[i])} at index ${i}); fix that count`,
      );
    }
  }
  const rng = simulationSeed(options.seed, fn);
  const z = simulateSpend(model.params, x, rng);
  return tableWithMetadata({ frequency: numberVector(x), monetary: numberVector(z) }, {});
}
