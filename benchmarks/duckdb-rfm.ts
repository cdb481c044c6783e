/** The DuckDB side of the RFM benchmarks (rfm.bench.ts, scale.bench.ts): one SQL statement per run. */

export const QUANTILES = '[0.2, 0.4, 0.6, 0.8]';
const above = (x: string, b: string) => [1, 2, 3, 4].map((j) => `(${x} > ${b}[${j}])::INT`).join(' + ');

/**
 * The same RFM in one statement: aggregation, R type 7 quintile breaks (`quantile_cont` interpolates like type 7),
 * scores with the same `>` tests. `sum` is the timed one; `exact` sums the amounts as DECIMAL(18, 2) (exact for
 * cents) and rounds the total to a double once: a reference for the equality check only, not timed.
 */
export function duckdbRfm(target: string, sum: 'sum' | 'exact', source = 'tx'): string {
  const monetary = sum === 'sum' ? 'sum(amount)' : 'sum(amount::DECIMAL(18, 2))::DOUBLE';
  return `CREATE OR REPLACE TABLE ${target} AS
WITH s AS MATERIALIZED (
  SELECT customer,
         (SELECT max(date) FROM ${source}) + 1 - max(date) AS recency,
         count(*) AS frequency,
         ${monetary} AS monetary
  FROM ${source} GROUP BY customer
),
b AS (
  SELECT quantile_cont(recency::DOUBLE, ${QUANTILES}) AS rb,
         quantile_cont(frequency::DOUBLE, ${QUANTILES}) AS fb,
         quantile_cont(monetary, ${QUANTILES}) AS mb
  FROM s
)
SELECT customer, recency, frequency, monetary,
       5 - (${above('recency', 'rb')}) AS r,
       1 + ${above('frequency', 'fb')} AS f,
       1 + ${above('monetary', 'mb')} AS m
FROM s, b`;
}
