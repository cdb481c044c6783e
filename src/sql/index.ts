/**
 * The analyses compiled to SQL: `toSql` writes one statement for DuckDB, Spark SQL, BigQuery or PostgreSQL with
 * the in-process conventions; `runSql` runs it on an embedded DuckDB and returns an Arrow table.
 *
 * @module clientele/sql
 */
export { toSql } from './to-sql';
export { runSql } from './run-sql';
export type { DuckDBConnectionLike, PostgresClientLike, SqlRunner, SqlConnection } from './engine';
export { SQL_ANALYSES } from './options';
export type { SqlAnalysis, SqlColumns, ToSqlOptions } from './options';
export { SQL_DIALECTS } from './dialect';
export type { SqlDialect } from './dialect';
export { kmeansInSql } from './kmeans-sql';
export type { KMeansInSqlOptions, SqlSegmentation } from './kmeans-sql';
export { frequentItemsetsInSql } from './itemsets-sql';
export type { FrequentItemsetsInSqlOptions } from './itemsets-sql';
export { plsPathModelInSql } from './pls-sql';
export type { PlsInSqlOptions, PlsSqlFit } from './pls-sql';
