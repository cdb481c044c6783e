/**
 * Neumaier's compensated ("improved Kahan–Babuška") summation, the one implementation used for money totals and
 * cumulative shares. The rounding error of each addition is collected in a second accumulator and added back at
 * the end, so a total over millions of amounts is as exact as the doubles allow.
 *
 * Reference: A. Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54, 39–51.
 */

/**
 * Adds `value` to group `i` of grouped sums held in two parallel arrays (`sums[i] + compensations[i]` is the total).
 * Small enough for V8 to inline into the caller's loop.
 */
export function addCompensated(sums: Float64Array, compensations: Float64Array, i: number, value: number): void {
  const s = sums[i];
  const t = s + value;
  compensations[i] += (s >= 0 ? s : -s) >= (value >= 0 ? value : -value) ? s - t + value : value - t + s;
  sums[i] = t;
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

  get value(): number {
    return this.sum + this.compensation;
  }
}
