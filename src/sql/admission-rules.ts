import { optionValue } from '../table/internal';
import type { DropReason } from '../table/internal';
import { RETURNS } from '../kernels/internal';
import { asOfDay } from './options';
import type { SqlContext } from './options';

/**
 * The row admission rules of the analyses `toSql` compiles, as SQL, one list per analysis in the order its
 * in-process twin checks them. Each rule is a boolean expression over the source row that is TRUE when the row is
 * dropped for `reason`, and FALSE otherwise — never NULL: a comparison that a NULL cell would make NULL is wrapped
 * in {@link definite}. The builders filter with {@link admittedWhere} over the SAME list that `runSql` counts with
 * (`dropCountsSql`): a row is kept when every rule is FALSE, and counted under its first TRUE rule otherwise (as the
 * in-process functions count a row with several faults once), so the rows filtered and the rows counted cannot
 * disagree.
 */
export interface SqlAdmission {
  readonly reason: DropReason;
  readonly dropped: string;
}

const rule = (reason: DropReason, dropped: string): SqlAdmission => ({ reason, dropped });

/** A comparison made TRUE or FALSE: a NULL operand (a row an earlier rule drops anyway) reads as FALSE. */
const definite = (test: string) => `COALESCE(${test}, FALSE)`;

/**
 * The WHERE condition that keeps the rows no rule drops: `NOT (rule)` for each. Plain negations, so that engines
 * push them into the scan (DuckDB turns `NOT (x IS NULL)` into a Parquet/table filter).
 */
export function admittedWhere(rules: readonly SqlAdmission[]): string {
  return rules.length === 0 ? 'TRUE' : rules.map((r) => `NOT (${r.dropped})`).join('\n  AND ');
}

/**
 * A money or value column read as a double is not a value: null, NaN or ±Infinity (src/table/admission.ts), or a
 * cell the cast reads as NULL (Spark without ANSI mode, on a text column).
 */
function inadmissibleNumber(ctx: SqlContext, column: string): string {
  return `${column} IS NULL OR ${definite(ctx.d.inadmissible(`CAST(${column} AS ${ctx.d.double})`))}`;
}

/**
 * customerSummary and rfm (the customer kernel, src/kernels/customer-kernel.ts, in its order): `nullCustomer`,
 * `invalidDate` (a null date), `invalidAmount` (null, NaN, ±Infinity), `afterAsOf` (a day after an explicit
 * asOf), `negativeAmount` (below 0 with `returns: 'exclude'`, the default).
 */
export function customerRules(ctx: SqlContext): SqlAdmission[] {
  const { d, fn, options } = ctx;
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const amount = ctx.column('amount');
  const asOf = asOfDay(options, fn);
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const rules = [
    rule('nullCustomer', `${customer} IS NULL`),
    rule('invalidDate', `${date} IS NULL`),
    rule('invalidAmount', inadmissibleNumber(ctx, amount)),
  ];
  if (asOf !== undefined) rules.push(rule('afterAsOf', definite(`${d.epochDay(`CAST(${date} AS DATE)`)} > ${asOf}`)));
  if (returns === 'exclude') rules.push(rule('negativeAmount', definite(`CAST(${amount} AS ${d.double}) < 0`)));
  return rules;
}

/** abc (summarizeKeyTotals, src/kernels/key-totals.ts): `nullKey`, then `invalidValue` (null, NaN, ±Infinity). */
export function abcRules(ctx: SqlContext): SqlAdmission[] {
  return [
    rule('nullKey', `${ctx.column('key')} IS NULL`),
    rule('invalidValue', inadmissibleNumber(ctx, ctx.column('value'))),
  ];
}

/** retentionCurve (src/clv/retention-curve.ts): `nullCustomer`, then `invalidDate` (a null date). */
export function retentionRules(ctx: SqlContext): SqlAdmission[] {
  return [
    rule('nullCustomer', `${ctx.column('customer')} IS NULL`),
    rule('invalidDate', `${ctx.column('date')} IS NULL`),
  ];
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
): SqlAdmission[] {
  return [rule('nullKey', `${transaction} IS NULL OR ${item} IS NULL`)];
}
