import { MONTHS_PER_PERIOD, RETENTION_PERIOD } from '../clv/internal';
import { optionValue } from '../table/internal';
import { admittedWhere, retentionRules } from './admission-rules';
import { withClause } from './with-clause';
import type { SqlContext } from './options';

/**
 * retentionCurve: over the rows no rule of {@link retentionRules} drops (null customer, null date), each customer's cohort is the UTC calendar period of the first purchase; for every cohort one
 * row per offset 0 … (last period of the whole log − cohort period), with the cohort size, the customers of the
 * cohort active in that period, and their share — `retentionCurve`'s rows in its order (cohort, offset).
 * Periods are counted as (year · 12 + month − 1) div months-per-period, so quarters start in January, April,
 * July and October.
 */
export function retentionSql(ctx: SqlContext): string {
  const { d, fn } = ctx;
  const q = d.ident;
  const period = optionValue(ctx.options, 'period', RETENTION_PERIOD, fn);
  const width = MONTHS_PER_PERIOD[period];
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const month = d.monthIndex('tdate');
  const ctes: [string, string][] = [
    [
      'tx',
      `SELECT ${customer} AS cust, CAST(${date} AS DATE) AS tdate\nFROM ${ctx.source} AS src\nWHERE ${admittedWhere(retentionRules(ctx))}`,
    ],
    [
      'periods',
      `SELECT cust, tdate, ${width === 1 ? `(${month})` : d.intDiv(`(${month})`, String(width))} AS period\nFROM tx`,
    ],
    ['firsts', 'SELECT cust, MIN(period) AS cohort_period, MIN(tdate) AS first_date\nFROM periods\nGROUP BY cust'],
    [
      'cohorts',
      `SELECT cohort_period, ${d.truncDate('MIN(first_date)', period)} AS cohort, COUNT(*) AS size\nFROM firsts\nGROUP BY cohort_period`,
    ],
    ['bounds', 'SELECT MIN(period) AS lo, MAX(period) AS hi FROM periods'],
    ['offsets', d.series('hi - lo', 'bounds')],
    [
      'activity',
      'SELECT f.cohort_period, a.period - f.cohort_period AS k, COUNT(*) AS active\n' +
        'FROM (SELECT DISTINCT cust, period FROM periods) AS a\n' +
        'JOIN firsts AS f ON a.cust = f.cust\n' +
        'GROUP BY f.cohort_period, a.period - f.cohort_period',
    ],
  ];
  return (
    `${withClause(ctes)}\n` +
    `SELECT c.cohort AS ${q('cohort')},\n` +
    `  CAST(o.k AS ${d.int}) AS ${q('offset')},\n` +
    `  CAST(c.size AS ${d.int}) AS ${q('customers')},\n` +
    `  CAST(COALESCE(a.active, 0) AS ${d.int}) AS ${q('active')},\n` +
    `  CAST(COALESCE(a.active, 0) AS ${d.double}) / c.size AS ${q('retention')}\n` +
    'FROM cohorts AS c\nCROSS JOIN bounds AS b\nCROSS JOIN offsets AS o\n' +
    'LEFT JOIN activity AS a ON a.cohort_period = c.cohort_period AND a.k = o.k\n' +
    'WHERE o.k <= b.hi - c.cohort_period\n' +
    'ORDER BY c.cohort_period ASC, o.k ASC'
  );
}
