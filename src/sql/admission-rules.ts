import type { AdmissionRule } from './drop-counts';
import { optionValue } from '../table/internal';
import type { DropReason } from '../table/internal';
import { RETURNS } from '../kernels/internal';
import { asOfDay } from './options';
import type { SqlContext } from './options';

/**
 * The row admission rules of the analyses `toSql` compiles, as SQL, one list per analysis in the order its
 * in-process twin checks them. Each rule is a boolean expression over the source row that is TRUE when the row is
 * dropped for `reason`. The builders filter with {@link admittedWhere} over the SAME list that `runSql` counts with
 * (`dropCountsSql`): a row is kept when every rule is FALSE, and counted under its first TRUE rule otherwise (as the
 * in-process functions count a row with several faults once).
 *
 * The invariant that makes the filter and the count agree: a rule is NULL only on a row that an EARLIER rule drops
 * (a comparison reads a cell only after the rule that drops its NULL: `x IS NULL` tests come first, and a NULL test
 * reads the cell through the same cast as the comparisons after it). Then a row no rule drops has every rule FALSE,
 * so `NOT (rule)` keeps exactly the rows the count does not count (test/sql/drop-counts.test.ts checks the
 * invariant on the engine). No COALESCE: PostgreSQL's postgres_fdw ships plain negations to the shards, where a
 * COALESCE would keep the filter, and the per-customer GROUP BY, on the coordinator.
 */

const rule = (reason: DropReason, dropped: string): AdmissionRule => ({ reason, dropped });

/**
 * The WHERE condition that keeps the rows no rule drops: `NOT (rule)` for each, which engines push into the scan
 * (DuckDB into a Parquet or table filter, PostgreSQL into a foreign table's remote SQL).
 */
export function admittedWhere(rules: readonly AdmissionRule[]): string {
  return rules.length === 0 ? 'TRUE' : rules.map((r) => `NOT (${r.dropped})`).join('\n  AND ');
}

/**
 * A money or value column read as a double is not a value: null (or read as NULL by the cast: Spark without ANSI
 * mode on text), NaN or ±Infinity (src/table/admission.ts). Never NULL.
 */
function inadmissibleNumber(ctx: SqlContext, column: string): string {
  const x = `CAST(${column} AS ${ctx.d.double})`;
  return `${x} IS NULL OR ${ctx.d.inadmissible(x)}`;
}

/** A date column that is null, or read as NULL by the cast (Spark without ANSI mode on text). Never NULL. */
const nullDate = (date: string) => `CAST(${date} AS DATE) IS NULL`;

/**
 * customerSummary and rfm (the customer kernel, src/kernels/customer-kernel.ts, in its order): `nullCustomer`,
 * `invalidDate` (a null date), `invalidAmount` (null, NaN, ±Infinity), `afterAsOf` (a day after an explicit
 * asOf), `negativeAmount` (below 0 with `returns: 'exclude'`, the default).
 */
export function customerRules(ctx: SqlContext): AdmissionRule[] {
  const { d, fn, options } = ctx;
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const amount = ctx.column('amount');
  const asOf = asOfDay(options, fn);
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const rules = [
    rule('nullCustomer', `${customer} IS NULL`),
    rule('invalidDate', nullDate(date)),
    rule('invalidAmount', inadmissibleNumber(ctx, amount)),
  ];
  if (asOf !== undefined) rules.push(rule('afterAsOf', `${d.epochDay(`CAST(${date} AS DATE)`)} > ${asOf}`));
  if (returns === 'exclude') rules.push(rule('negativeAmount', `CAST(${amount} AS ${d.double}) < 0`));
  return rules;
}

/** abc (summarizeKeyTotals, src/kernels/key-totals.ts): `nullKey`, then `invalidValue` (null, NaN, ±Infinity). */
export function abcRules(ctx: SqlContext): AdmissionRule[] {
  return [
    rule('nullKey', `${ctx.column('key')} IS NULL`),
    rule('invalidValue', inadmissibleNumber(ctx, ctx.column('value'))),
  ];
}

/** retentionCurve (src/clv/retention-curve.ts): `nullCustomer`, then `invalidDate` (a null date). */
export function retentionRules(ctx: SqlContext): AdmissionRule[] {
  return [rule('nullCustomer', `${ctx.column('customer')} IS NULL`), rule('invalidDate', nullDate(ctx.column('date')))];
}

/**
 * basketPairs (`baskets`, src/basket/baskets.ts): one reason, `nullKey`, for a null transaction or a null item.
 * As in-process, a row dropped for its null item still opens its basket, which counts in N (the builder counts
 * baskets before this rule): `transaction` and `item` are the expressions the rule reads, the source's columns by
 * default.
 */
export function basketRules(
  ctx: SqlContext,
  transaction = ctx.column('transaction'),
  item = ctx.column('item'),
): AdmissionRule[] {
  return [rule('nullKey', `${transaction} IS NULL OR ${item} IS NULL`)];
}
