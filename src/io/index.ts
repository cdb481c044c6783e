/**
 * Reading and writing tables: CSV, JSON (lines or array), Arrow IPC and Parquet, from a path or bytes, whole or as a
 * stream of batches; and conversion to danfo.js.
 *
 * @module clientele/io
 */
export { formatFromPath } from './format-from-path';
export { readTable } from './read-table';
export { readBatches } from './read-batches';
export { readBaskets } from './read-baskets';
export type { BasketFileReport, BasketsRead, ReadBasketsOptions } from './read-baskets';
export { writeTable } from './write-table';
export { tableToBytes } from './table-to-bytes';
export { toDanfo } from './to-danfo';
export type { DanfoDataFrame } from './to-danfo';
export type { FileFormat, ColumnType, ReadOptions, ReadTableOptions, WriteOptions } from './types';
