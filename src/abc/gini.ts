import type { Vector } from 'apache-arrow';
import { RunningSum } from '../math/internal';
import { readValues, scaledNearOne } from './values';

/**
 * The Gini coefficient of non-negative values: how unequally revenue (or volume) is spread over customers
 * (products). 0 when all are equal, (n − 1)/n when one key holds everything.
 *
 * Formula (mean absolute difference over twice the mean): G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), computed in O(n log n)
 * from the ascending order statistics x₍₁₎ ≤ … ≤ x₍ₙ₎ as G = Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σ x). This is the
 * population (uncorrected) coefficient; multiply by n/(n − 1) for the sample version. All-zero values give 0 (no
 * inequality), as does a single value. Values are first scaled by a power of two, so values near 1e308 (whose
 * sum overflows) and subnormals give the same coefficient as the same values at any other scale.
 *
 * Reference: C. Gini (1912), "Variabilità e mutabilità"; the sorted form in e.g. Damgaard & Weiner (2000),
 * Ecology 81(4), eq. 1.
 *
 * @throws {ClienteleError} `INVALID_VALUE` (null, NaN or negative), `EMPTY_INPUT`
 * @example
 * gini([1, 1, 1, 1]); // 0
 * gini([0, 0, 0, 10]); // 0.75
 */
export function gini(values: ArrayLike<number> | Vector): number {
  const sorted = scaledNearOne(readValues(values, 'gini', false)).sort(); // overflow-free near 1e308
  const n = sorted.length;
  const weighted = new RunningSum();
  const total = new RunningSum();
  for (let i = 0; i < n; i++) {
    weighted.add((2 * (i + 1) - n - 1) * sorted[i]);
    total.add(sorted[i]);
  }
  return total.value > 0 ? weighted.value / (n * total.value) : 0;
}
