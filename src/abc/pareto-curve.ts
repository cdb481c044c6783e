import type { Float64, Table, Vector } from 'apache-arrow';
import { RunningSum } from '../math/internal';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  META,
  numberVector,
  optionNames,
  tableWithMetadata,
} from '../table/internal';
import { readValues, scaledNearOne } from './values';

/** Options of {@link paretoCurve}. */
export interface ParetoCurveOptions {
  /** Return this many evenly spaced points (linear interpolation) instead of one point per value. */
  points?: number;
}

/**
 * Cumulative shares of the values sorted descending: `shares[k]` is the share of the positive total held by the
 * k + 1 largest values (values ≤ 0 count as 0). Returns n + 1 entries, starting at 0.
 */
function descendingCumulativeShares(values: Float64Array, fn: string): Float64Array {
  const sorted = Float64Array.from(values, (v) => (v > 0 ? v : 0))
    .sort()
    .reverse();
  const total = new RunningSum();
  for (const v of sorted) total.add(v);
  const positive = total.value;
  if (!(positive > 0)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: no value is positive (found ${sorted.length} values, none > 0), so there is no total to share; ` +
        `pass revenue, margin or volume with at least one value > 0`,
    );
  }
  const shares = new Float64Array(sorted.length + 1);
  const running = new RunningSum();
  for (let k = 0; k < sorted.length; k++) {
    running.add(sorted[k]);
    shares[k + 1] = Math.min(1, running.value / positive);
  }
  return shares;
}

/** The share at population share `p` on the curve given by {@link descendingCumulativeShares}, linearly interpolated. */
function shareAt(shares: Float64Array, p: number): number {
  const n = shares.length - 1;
  const x = p * n;
  const k = Math.min(n - 1, Math.floor(x));
  return shares[k] + (x - k) * (shares[k + 1] - shares[k]);
}

/** The options paretoCurve takes; every other name is refused with a did-you-mean. */
const PARETO_CURVE_OPTION_NAMES = optionNames<ParetoCurveOptions>({ points: true });

/** The columns of `paretoCurve`: the Lorenz points, population share against value share. */
export type ParetoCurveColumns = {
  population: Float64;
  value: Float64;
};

/**
 * The Pareto (80-20) curve of a list of values — revenue per customer, volume per product: the share of the total
 * held by the top x % of keys, for x from 0 to 100 %. It is the Lorenz curve read from the top (1 − L(1 − x)).
 *
 * Output: a table with `population` (share of keys, 0 … 1) and `value` (cumulative share of the total), starting at
 * (0, 0) and ending at (1, 1); one point per value, or `points` evenly spaced points. Values ≤ 0 count as 0.
 *
 * Values are scaled by a power of two first, so values near 1e308 (whose total overflows) give the same curve.
 *
 * Cost: O(n log n).
 *
 * @throws {ClienteleError} `INVALID_VALUE` (null, NaN, ±Infinity, or no value > 0), `EMPTY_INPUT`, `INVALID_OPTION`
 * @example
 * paretoCurve([50, 30, 10, 10]).getChild('value')?.toArray(); // Float64Array [0, 0.5, 0.8, 0.9, 1]
 */
export function paretoCurve(
  values: ArrayLike<number> | Vector,
  options: ParetoCurveOptions = {},
): Table<ParetoCurveColumns> {
  options = knownOptions(options, PARETO_CURVE_OPTION_NAMES, 'paretoCurve');
  const fn = 'paretoCurve';
  const shares = descendingCumulativeShares(scaledNearOne(readValues(values, fn, true)), fn);
  const n = shares.length - 1;
  let population: Float64Array;
  let value: Float64Array;
  if (options.points === undefined) {
    population = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    value = shares;
  } else {
    const points = options.points;
    if (!Number.isInteger(points) || points < 2) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option points must be an integer ≥ 2 (found ${describeValue(points)}); 101 gives every percent`,
      );
    }
    population = Float64Array.from({ length: points }, (_, k) => k / (points - 1));
    value = Float64Array.from(population, (p) => shareAt(shares, p));
  }
  return tableWithMetadata(
    { population: numberVector(population), value: numberVector(value) },
    { [META.kind]: 'paretoCurve' },
  );
}

/**
 * The share of the total held by the top `fraction` of keys (e.g. "the top 20 % of customers bring 63 % of
 * revenue"), read off the Pareto curve with linear interpolation inside the key that straddles the fraction.
 *
 * @throws {ClienteleError} `INVALID_VALUE` (null, NaN, ±Infinity, or no value > 0), `EMPTY_INPUT`, `INVALID_OPTION`
 *   (fraction outside [0, 1])
 * @example
 * topShare([50, 30, 10, 10], 0.25); // 0.5
 */
export function topShare(values: ArrayLike<number> | Vector, fraction = 0.2): number {
  const fn = 'topShare';
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `topShare: fraction must be in [0, 1] (found ${describeValue(fraction)}); 0.2 for the top 20 %`,
    );
  }
  return shareAt(descendingCumulativeShares(scaledNearOne(readValues(values, fn, true)), fn), fraction);
}
