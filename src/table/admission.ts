/**
 * The one row-admission policy for numbers, shared by every analysis, engine and SQL dialect.
 *
 * A numeric cell is a value when it is finite. Null (read as NaN by the column readers), NaN, +Infinity and
 * −Infinity are not values: a row with one in a column the analysis needs is dropped and counted in the result's
 * drop report — `invalidAmount` for a money column, `invalidValue` otherwise — and is never summed, scored or
 * clustered. (An infinite amount would otherwise make a customer's total infinite and every share of it NaN.)
 * Analyses that have further rules (negative amounts with `returns: 'exclude'`, counts that must be integers)
 * apply them after this one.
 *
 * `x - x === 0` is the test: false exactly for NaN and ±Infinity, one subtraction and no call on hot paths (V8
 * inlines this function). The SQL twin is each dialect's `inadmissible(x)` in src/sql/dialect.ts.
 * Tested against `Number.isFinite` on every double (test/table/admission.test.ts).
 */
export function isAdmissible(x: number): boolean {
  return x - x === 0;
}
