/**
 * Neumaier's compensated ("improved Kahan–Babuška") summation, the one implementation used for money totals and
 * cumulative shares. The rounding error of each addition is collected in a second accumulator and added back at
 * the end, so a total over millions of amounts is as exact as the doubles allow.
 *
 * Overflow: once a running sum passes ±Number.MAX_VALUE it is ±Infinity and its compensation is meaningless (it
 * holds −Infinity or NaN). {@link compensatedTotal} then answers the sum itself, ±Infinity, never NaN, so callers
 * can tell an overflowing total apart from bad input; {@link checkFiniteTotal} turns it into the house error.
 *
 * Reference: A. Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54, 39–51.
 */
import { ClienteleError } from '../table/internal';

/**
 * Adds `value` to group `i` of grouped sums held in two parallel arrays (read the total with
 * {@link compensatedTotal}). Small enough for V8 to inline into the caller's loop.
 */
export function addCompensated(sums: Float64Array, compensations: Float64Array, i: number, value: number): void {
  const s = sums[i];
  const t = s + value;
  compensations[i] += (s >= 0 ? s : -s) >= (value >= 0 ? value : -value) ? s - t + value : value - t + s;
  sums[i] = t;
}

/**
 * The total of a compensated sum: `sum + compensation`, or `sum` itself (±Infinity) when the running sum
 * overflowed, so an overflow reads as ±Infinity and never as NaN.
 *
 * E.g. `compensatedTotal(Infinity, -Infinity)` is Infinity.
 */
export function compensatedTotal(sum: number, compensation: number): number {
  return sum - sum === 0 ? sum + compensation : sum;
}

/**
 * Returns `total` when it is finite; otherwise throws the one error for a total that overflows a double.
 *
 * @param what whose total it is, for the message (e.g. `customer "a"`)
 * @throws {ClienteleError} `INVALID_VALUE` naming `column`
 */
export function checkFiniteTotal(total: number, fn: string, column: string, what: string): number {
  if (total - total === 0) return total;
  throw new ClienteleError(
    'INVALID_VALUE',
    `${fn}: the total of column "${column}" for ${what} overflows a double (found ${total}, beyond ±1.8e308); ` +
      `rescale the column (e.g. to thousands) before the call`,
    { column },
  );
}

/** A running compensated sum of a stream of numbers. */
export class RunningSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const s = this.sum;
    const t = s + value;
    this.compensation += (s >= 0 ? s : -s) >= (value >= 0 ? value : -value) ? s - t + value : value - t + s;
    this.sum = t;
  }

  /** The total: ±Infinity (never NaN) when it overflowed, NaN only when a NaN was added. */
  get value(): number {
    return compensatedTotal(this.sum, this.compensation);
  }
}
