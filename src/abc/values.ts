import type { Vector } from 'apache-arrow';
import { ClienteleError, describeValue, isAdmissible } from '../table/internal';

/**
 * Reads a plain list of numbers (array, typed array or Arrow vector) as a `Float64Array` copy, refusing missing
 * values: a curve or coefficient over "the values" cannot silently skip some of them.
 *
 * @throws {ClienteleError} `INVALID_INPUT` (not a list), `INVALID_VALUE` (null, NaN, or negative when not allowed),
 * `EMPTY_INPUT`
 */
export function readValues(values: ArrayLike<number> | Vector, fn: string, allowNegative: boolean): Float64Array {
  const isVector = typeof (values as Vector)?.get === 'function' && typeof (values as Vector)?.toArray === 'function';
  if (!isVector && !(ArrayBuffer.isView(values) || Array.isArray(values))) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: values must be an array, a typed array or an Arrow vector of numbers (found ${describeValue(values)}); ` +
        `pass e.g. summary.getChild('monetary')`,
    );
  }
  const n = values.length;
  if (n === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: no values (found an empty list); pass at least one value`);
  const out = new Float64Array(n);
  const get = isVector ? (i: number) => (values as Vector).get(i) : (i: number) => (values as ArrayLike<number>)[i];
  for (let i = 0; i < n; i++) {
    const raw = get(i);
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !isAdmissible(v) || (!allowNegative && v < 0)) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: value ${i} is ${describeValue(raw)}, not a finite ${allowNegative ? '' : 'non-negative '}number; ` +
          `drop or fix it before the call (customerSummary counts and drops bad rows for you)`,
        { row: i },
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Multiplies `values` in place by a power of two that brings the largest |value| near 1 when it is beyond 2^±500,
 * so that sums and weighted sums neither overflow (values near 1e308) nor lose digits as subnormals. A power of
 * two scales exactly, and shares, curves and the Gini coefficient do not depend on the scale.
 */
export function scaledNearOne(values: Float64Array): Float64Array {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  if (max === 0 || (max < 2 ** 500 && max > 2 ** -500)) return values;
  const factor = 2 ** Math.min(1023, -Math.round(Math.log2(max))); // 2^-1024 is subnormal but exact, as the product
  for (let i = 0; i < values.length; i++) values[i] *= factor;
  return values;
}
