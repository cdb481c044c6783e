/**
 * The table layer: any table-like input as Arrow (`asTable`), column readers, dropped-row reports,
 * `ClienteleError` and `preview` (the first rows, readable in a terminal or a notebook).
 *
 * @module clientele/table
 */
export { asTable } from './as-table';
export type { TableInput, DanfoLikeFrame } from './as-table';
export { ClienteleError, isClienteleError } from './errors';
export type { ErrorCode } from './errors';
export { droppedRows } from './dropped';
export { preview } from './preview';
export type { KeyType, LabelType } from './key-type';
export type { Preview, PreviewOptions } from './preview';
export type { DropReport, DropReason } from './dropped';
export { readNumeric } from './read-numeric';
export type { NumericColumn } from './read-numeric';
export { readKeys } from './read-keys';
export type { KeyColumn } from './read-keys';
export { readDates, parseDateString, daysFromCivil, isoDate, NO_DATE } from './read-dates';
export type { DateColumn, DateUnit } from './read-dates';
