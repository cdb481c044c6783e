import { abcSql } from './abc-sql';
import { basketPairsSql } from './basket-pairs-sql';
import { clvPatternsSql, clvScoresSql, clvSummarySql, spendPatternsSql } from './clv-sql';
import { customerSummarySql, rfmSql } from './customer-sql';
import { placeSource, sqlContext } from './options';
import type { SqlAnalysis, SqlContext, ToSqlOptions } from './options';
import { retentionSql } from './retention-sql';

/**
 * Compiles an analysis into ONE SQL statement (a `WITH … SELECT`) for DuckDB, Spark SQL, BigQuery or
 * PostgreSQL, so that it runs where the data already lives — a warehouse table of a billion transactions — and
 * only the result (one row per customer, key, cohort-offset or item pair) comes back.
 *
 * What an analyst uses it for: the same RFM scores, ABC classes, retention curve or basket rules as the
 * in-process functions, from data that does not fit one machine; paste the SQL into the warehouse console, or
 * run it from a job.
 *
 * Analyses and their in-process twins (same columns, same conventions):
 * - `'customerSummary'` ↔ `customerSummary`: `customer`, `first`, `last` (DATE), `count`, `frequency`
 *   (count − 1), `recency`, `T` (whole days to asOf; default the day after the last transaction), `monetary`,
 *   `averageValue`.
 * - `'rfm'` ↔ `rfm`: breaks at the j/bins quantiles, R type 7, computed from the sorted values with ROW_NUMBER
 *   and the interpolation x[⌊h⌋] + (h − ⌊h⌋)(x[⌈h⌉] − x[⌊h⌋]), h = (n − 1)·j/bins, in the same IEEE operations
 *   as in-process (no engine's approximate or differently interpolating percentile); intervals closed on the
 *   right, so ties share a score; `score` and `segment` with the CASE generated from the segment map
 *   (`STANDARD_SEGMENTS` by default). `breaks` fixes the breaks of an axis.
 * - `'abc'` ↔ `abc`: value per key, rank by value descending then key ascending, share, cumulative share, class
 *   by the cumulative share of the keys ranked before (the key that crosses 80 % is still A).
 * - `'retentionCurve'` ↔ `retentionCurve`: cohort (first day of the UTC month, quarter or year of the first
 *   purchase), offset, customers, active, retention.
 * - `'basketPairs'` ↔ `associationRules(frequentItemsets(b, { maxLength: 2 }), { minConfidence: 0 })` on one-item
 *   rules: `antecedent`, `consequent` (item names as text), `support`, `confidence`, `lift`, `count`.
 * - `'clvSummary'` ↔ `summaryFromTransactions` (continuous `unit` 'week' or 'day', or `calendar` periods;
 *   `calibrationEnd`, `holdoutEnd`, `returns`): `customer`, `frequency` x, `recency` t_x, `T`, `monetary` z̄ and
 *   with a holdout `frequencyHoldout`, `monetaryHoldout`, `durationHoldout`; `'clvPatterns'`: its distinct
 *   (`frequency`, `recency`, `T`) with `count` customers, for `fitBgNbd(p, { weights: 'count' })` and the other
 *   repeat-buying fits (`fitBgBb(p, { periods: 'T', weights: 'count' })` with `calendar`); `'spendPatterns'`:
 *   the distinct (`frequency`, `monetary`) of the customers `fitGammaGamma` keeps, with `count`; `'clvScores'`:
 *   the summary with the `scoreColumns` of a `scores` table of per-pattern predictions joined on (frequency,
 *   recency, T). See `runSql` for the whole path.
 * Rows are admitted by the in-process rules, in their order (src/sql/admission-rules.ts): customerSummary and
 * rfm drop a null customer, a null date, an amount that is null, NaN or ±Infinity, a day after an explicit asOf, a
 * negative amount unless `returns: 'keep'`; abc a null key, then a value that is null, NaN or ±Infinity;
 * retentionCurve a null customer, then a null date; basketPairs a row with a null transaction or item (its basket
 * still counts, as in `baskets`). The same list of predicates is the query's filter and `runSql`'s drop count, so
 * `runSql` reports the rows dropped beside the result (`droppedRows`) as the in-process functions do. Where SQL
 * differs: a NaN key in a DOUBLE key column is a key in SQL (a null in-process); a text date DuckDB or PostgreSQL
 * cannot cast makes it refuse the query (in-process, and Spark without ANSI mode: `invalidDate`); every row dropped
 * gives an empty result (in-process: `EMPTY_INPUT`). Dates must be DATE or TIMESTAMP columns (a TIMESTAMP is cast
 * to its date). Ordering is explicit: per-customer rows by customer key (SQL has no "first appearance" order), ABC
 * rows by rank, retention rows by cohort and offset, pairs by lift, confidence, support, names.
 * String keys order by the engine's collation: DuckDB, Spark and BigQuery compare bytes or code points (JS order
 * except for characters beyond U+FFFF); PostgreSQL uses the database collation (use a "C" collation database or
 * numeric keys for ties in ABC to match).
 *
 * Dialects differ only in identifier quoting (`"…"` or backticks), string escapes, cast type names, date ↔
 * epoch-day conversion, NaN test, integer division, date truncation, the integer series of retention offsets,
 * and sums: DuckDB uses its compensated `fsum` as the in-process code uses compensated sums; the others `SUM`.
 *
 * Safety: column names and table-path parts are validated (letters, digits, `_`, `$`, `-`, inner spaces) and
 * quoted; segment names are written as literals that read the same under every setting of the engine (PostgreSQL
 * `E'…'` for a backslash, Spark `CONCAT` with `CHR(39)`/`CHR(92)`/`CHR(36)`, BigQuery `\u00XX` for control
 * characters); numbers are checked finite and in range. A `table` given as a `(SELECT …)` sub-query is trusted SQL,
 * read by the dialect's own tokenizer (quotes with their escapes, `$tag$` strings, `E'…'`, `U&'…'`, BigQuery raw
 * and triple-quoted strings, `--`, `#` and nested `/* *\/` comments) and refused unless it is exactly one
 * parenthesised expression: whatever the string, the text is one statement whose FROM source is that expression.
 * What the engines of a dialect could read two ways (a backslash where a setting decides, `${` in Spark, a nested
 * comment where versions differ, a character outside ASCII or a NUL outside quotes) is refused, naming its
 * position.
 *
 * Cost: building the text is O(bins²) string work; the query does one scan and a few GROUP BYs of the
 * transactions, and sorts of the per-customer values (rfm: three window sorts).
 *
 * @param analysis `'customerSummary' | 'rfm' | 'abc' | 'retentionCurve' | 'basketPairs' | 'clvSummary' |
 *   'clvPatterns' | 'spendPatterns' | 'clvScores'`
 * @param options `table` (required), `dialect` ('duckdb'), `columns`, and the analysis options: `asOf`,
 *   `returns`, `bins` (5), `breaks`, `segments`, `cutoffs` ([0.8, 0.95]), `period` ('month'), `minSupport`,
 *   `minCount`, `unit` ('week'), `calendar`, `calibrationEnd`, `holdoutEnd`, `scores`, `scoreColumns`
 * @throws {ClienteleError} `INVALID_OPTION` for an unknown analysis or dialect, an unsafe table or column name,
 *   a sub-query that is not exactly one parenthesised expression, a segment name that is not well-formed text,
 *   an option out of range; `INVALID_VALUE` for an asOf that is not a date
 * @example
 * const sql = toSql('rfm', { table: 'shop.sales', dialect: 'bigquery', columns: { customer: 'client_id' } });
 * sql.startsWith('WITH tx AS'); // true
 * sql.includes('FROM `shop`.`sales` AS src'); // true
 * toSql('abc', { table: 'sales', dialect: 'postgres' }).includes('"cumulativeShare"'); // true
 * toSql('clvPatterns', { table: 'sales', calibrationEnd: '1997-09-30' }).includes('GROUP BY frequency, recency, t_age'); // true
 */
export function toSql(analysis: SqlAnalysis, options: ToSqlOptions): string {
  return compileSql(analysis, options, 'toSql');
}

/** {@link toSql} for the public function `fn`, which its error messages name. */
export function compileSql(analysis: SqlAnalysis, options: ToSqlOptions, fn: string): string {
  const ctx = sqlContext(analysis, options, fn);
  return placeSource(build(ctx, analysis), ctx);
}

function build(ctx: SqlContext, analysis: SqlAnalysis): string {
  switch (analysis) {
    case 'customerSummary':
      return customerSummarySql(ctx);
    case 'rfm':
      return rfmSql(ctx);
    case 'abc':
      return abcSql(ctx);
    case 'retentionCurve':
      return retentionSql(ctx);
    case 'basketPairs':
      return basketPairsSql(ctx);
    case 'clvSummary':
      return clvSummarySql(ctx);
    case 'clvPatterns':
      return clvPatternsSql(ctx);
    case 'spendPatterns':
      return spendPatternsSql(ctx);
    case 'clvScores':
      return clvScoresSql(ctx);
    default: {
      const never: never = analysis;
      return never;
    }
  }
}
