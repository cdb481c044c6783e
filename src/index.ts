/**
 * clientele: customer analytics over Apache Arrow. Re-exports only; each analysis lives in its own folder, which is
 * also a subpath export (`clientele/rfm`, `clientele/clv`, …); rfm, abc, segment and basket are exported through
 * api/, which wires their stream and thread forms (ARCHITECTURE.md).
 *
 * @module clientele
 */
export * from './table/index';
export * from './api/rfm';
export * from './api/abc';
export * from './sample/index';
export * from './clv/index';
export * from './satisfaction/index';
export * from './api/segment';
export * from './api/basket';
export * from './sequence/index';
export * from './charts/index';
export * from './report/index';
export * from './io/index';
export * from './sql/index';
export * from './stream/index';
export * from './parallel/index';
