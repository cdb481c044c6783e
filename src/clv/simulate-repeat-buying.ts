import type { Table } from 'apache-arrow';
import { makeVector } from 'apache-arrow';
import { randomSource } from '../math/internal';
import type { RandomSource } from '../math/internal';
import { ClienteleError, describeValue, META, numberVector, optionNames, tableWithMetadata } from '../table/internal';

// The customer-history simulators of the repeat-buying models, shared by simulateBgNbd, simulateParetoNbd and the
// parametric bootstrap of predictionIntervals.

/** Options of {@link simulateBgNbd} and `simulateParetoNbd`. */
export interface SimulateHistoriesOptions {
  /**
   * The customers' ages T (time from the first purchase to the end of observation, in the unit the parameters are
   * in): one number per customer, or one number for all `customers`.
   */
  T: number | ArrayLike<number>;
  /** How many customers, when `T` is one number. */
  customers?: number;
  /** The seed of the random source (any finite number); the same seed gives the same table on Node and Deno. */
  seed: number;
}

/** The option names of the history simulators; every other name is refused. */
export const SIMULATE_HISTORIES_OPTION_NAMES = optionNames<SimulateHistoriesOptions>({
  T: true,
  customers: true,
  seed: true,
});

/** Simulated histories: repeat purchases x, time of the last one t_x, and the age T, per customer. */
export interface SimulatedHistories {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
}

/** The simulators of the repeat-buying models, by `kind`: each draws one history per age with its parameters. */
export const HISTORY_SIMULATORS: Readonly<
  Record<
    string,
    (params: Readonly<Record<string, number>>, ages: Float64Array, rng: RandomSource) => SimulatedHistories
  >
> = Object.freeze({
  bgNbd: (p, ages, rng) => simulateBetaGeometric(p, ages, rng, false),
  // MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but a customer may also drop out at the first purchase
  mbgNbd: (p, ages, rng) => simulateBetaGeometric(p, ages, rng, true),
  paretoNbd: simulatePareto,
});

/** A gamma(shape, rate) draw, 0 when it underflows (a shape far below 1). */
function gammaRate(rng: RandomSource, shape: number, rate: number): number {
  const v = rng.gamma(shape, 1 / rate);
  return v > 0 ? v : 0;
}

/**
 * BG/NBD histories (Fader, Hardie & Lee 2005, §3): λ ~ gamma(r, α), p ~ beta(a, b); while active, purchases come
 * as a Poisson process of rate λ, and after each repeat purchase (MBG/NBD: after every purchase, the first one at
 * time 0 included) the customer drops out with probability p.
 */
function simulateBetaGeometric(
  params: Readonly<Record<string, number>>,
  ages: Float64Array,
  rng: RandomSource,
  dropAtStart: boolean,
): SimulatedHistories {
  const { r, alpha, a, b } = params;
  const n = ages.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const T = ages[i];
    const lambda = gammaRate(rng, r, alpha);
    const p = rng.beta(a, b);
    let alive = !(dropAtStart && rng.uniform() < p);
    let t = 0;
    let count = 0;
    let last = 0;
    while (alive && lambda > 0) {
      t += rng.exponential(lambda);
      if (t > T) break;
      count++;
      last = t;
      if (rng.uniform() < p) alive = false;
    }
    x[i] = count;
    tx[i] = last;
  }
  return { x, tx, T: Float64Array.from(ages) };
}

/**
 * Pareto/NBD histories (Schmittlein, Morrison & Colombo 1987): λ ~ gamma(r, α), μ ~ gamma(s, β); a lifetime
 * τ ~ exponential(μ), and purchases as a Poisson process of rate λ on (0, min(τ, T)].
 */
function simulatePareto(
  params: Readonly<Record<string, number>>,
  ages: Float64Array,
  rng: RandomSource,
): SimulatedHistories {
  const { r, alpha, s, beta } = params;
  const n = ages.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = gammaRate(rng, r, alpha);
    const mu = gammaRate(rng, s, beta);
    const lifetime = mu > 0 ? rng.exponential(mu) : Infinity;
    const end = Math.min(lifetime, ages[i]);
    let t = 0;
    let count = 0;
    let last = 0;
    while (lambda > 0) {
      t += rng.exponential(lambda);
      if (t > end) break;
      count++;
      last = t;
    }
    x[i] = count;
    tx[i] = last;
  }
  return { x, tx, T: Float64Array.from(ages) };
}

/** The ages of a simulation, one per customer. @throws {ClienteleError} `INVALID_OPTION` */
export function simulationAges(options: SimulateHistoriesOptions, fn: string): Float64Array {
  const { T, customers } = options ?? {};
  if (typeof T === 'number') {
    if (!(T >= 0) || T === Infinity) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option T must be a finite age ≥ 0 or an array of them (found ${describeValue(T)}); pass e.g. { T: 39, customers: 1000 }`,
      );
    }
    if (typeof customers !== 'number' || !Number.isInteger(customers) || customers < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option customers must be a positive integer when T is one number (found ${describeValue(customers)}); pass e.g. { T: 39, customers: 1000 }`,
      );
    }
    return new Float64Array(customers).fill(T);
  }
  if (T === null || typeof T !== 'object' || typeof (T as ArrayLike<number>).length !== 'number') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option T must be the customers' ages, an array of finite numbers ≥ 0, or one age with customers (found ${describeValue(T)}); pass e.g. { T: [39, 20, 7] }`,
    );
  }
  if (customers !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option customers is for one age T for all; with an array of ages it is their count (found customers ${describeValue(customers)}); drop customers`,
    );
  }
  const ages = Float64Array.from(T as ArrayLike<number>);
  if (ages.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option T has no age (found an empty array); pass one age per customer`,
    );
  }
  for (let i = 0; i < ages.length; i++) {
    if (!(ages[i] >= 0) || ages[i] === Infinity) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option T must hold finite ages ≥ 0 (found ${describeValue((T as ArrayLike<number>)[i])} at index ${i}); fix or drop that age`,
      );
    }
  }
  return ages;
}

/** The seed of a simulation. @throws {ClienteleError} `INVALID_OPTION` */
export function simulationSeed(seed: unknown, fn: string): RandomSource {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be a finite number (found ${describeValue(seed)}); pass e.g. { seed: 42 }: the same seed gives the same data`,
    );
  }
  return randomSource(seed);
}

/** The summary table of simulated histories: customer (1…n), frequency, recency, T; kind `clvSummary`. */
export function historiesTable(h: SimulatedHistories): Table {
  const n = h.x.length;
  const customer = new Int32Array(n);
  for (let i = 0; i < n; i++) customer[i] = i + 1;
  return tableWithMetadata(
    { customer: makeVector(customer), frequency: numberVector(h.x), recency: numberVector(h.tx), T: numberVector(h.T) },
    { [META.kind]: 'clvSummary' },
  );
}
