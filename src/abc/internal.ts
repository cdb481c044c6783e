/**
 * What abc/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import abc/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { abcOfTable, abcTotalsAggregate, checkCutoffs } from './abc';
export type { AbcColumns, AbcOptions } from './abc';
