/**
 * clientele: customer analytics over Apache Arrow. Re-exports only; each analysis lives in its own folder, which is
 * also a subpath export (`clientele/rfm`, `clientele/clv`, …).
 *
 * @module clientele
 */
export * from './table/index';
export * from './rfm/index';
export * from './abc/index';
export * from './sample/index';
export * from './clv/index';
export * from './satisfaction/index';
export * from './segment/index';
export * from './basket/index';
export * from './charts/index';
export * from './report/index';
export * from './io/index';
export { toSql, runSql, SQL_ANALYSES, SQL_DIALECTS } from './sql/index';
export type { SqlAnalysis, SqlDialect, SqlColumns, ToSqlOptions, DuckDBConnectionLike } from './sql/index';
export * from './stream/index';
export * from './parallel/index';
