/**
 * The stable error codes of clientele. A code never changes meaning once published; messages may be reworded.
 *
 * - `MISSING_COLUMN`: a column named in the options is not in the table.
 * - `INVALID_TYPE`: a column has a type the analysis cannot read (e.g. text where numbers are needed).
 * - `EMPTY_INPUT`: no rows, or no rows left after the bad ones were dropped.
 * - `INVALID_OPTION`: an option is out of range or of the wrong kind.
 * - `INVALID_INPUT`: the input itself is not something `asTable` understands.
 * - `INVALID_VALUE`: a single value is out of range where it cannot be dropped (e.g. `asOf`).
 * - `NOT_CONVERGED`: a model's optimiser stopped on its iteration limit before meeting its tolerances.
 * - `NOT_IDENTIFIED`: a fit ran but the data do not determine the model (estimates on the boundary of the parameter
 *   space, a singular information matrix, no variation to learn from); the numbers would look plausible and mean
 *   nothing, so they are refused or carried with this code as a warning.
 * - `LIMIT_EXCEEDED`: the work or output a call would need passes a documented limit (itemsets, bootstrap draws,
 *   field sizes); the message names the option that lifts the limit.
 * - `IO_ERROR`: the operating system refused a read or write (no such file, no space left, permission denied);
 *   the message names the path and the system's code.
 */
export type ErrorCode =
  | 'MISSING_COLUMN'
  | 'INVALID_TYPE'
  | 'EMPTY_INPUT'
  | 'INVALID_OPTION'
  | 'INVALID_INPUT'
  | 'INVALID_VALUE'
  | 'NOT_CONVERGED'
  | 'NOT_IDENTIFIED'
  | 'LIMIT_EXCEEDED'
  | 'IO_ERROR';

/**
 * The one error type clientele throws for bad input. `code` is stable and meant for programs; `message` follows
 * one grammar, `functionName: what is wrong with which column/row (found X); how to fix it`, and is meant for
 * people. `column` and `row` are set when the problem has a place.
 *
 * @example
 * try { asTable(42); } catch (e) { if (e instanceof ClienteleError) e.code; } // 'INVALID_INPUT'
 */
export class ClienteleError extends Error {
  readonly code: ErrorCode;
  readonly column?: string;
  readonly row?: number;

  constructor(code: ErrorCode, message: string, where: { column?: string; row?: number } = {}) {
    super(message);
    this.name = 'ClienteleError';
    this.code = code;
    if (where.column !== undefined) this.column = where.column;
    if (where.row !== undefined) this.row = where.row;
  }
}

/**
 * Whether a caught value is a {@link ClienteleError}, so that its stable `code` can be read. Duck-typed (an `Error`
 * named `'ClienteleError'` with a string `code`) rather than `instanceof`, which fails when two copies of the package
 * (ESM and CJS) share one process.
 *
 * @example
 * let caught;
 * try {
 *   customerSummary({ customer: ['a'], date: ['2024-01-01'] });
 * } catch (e) {
 *   caught = e;
 * }
 * isClienteleError(caught); // true
 * caught.code; // 'MISSING_COLUMN'
 * isClienteleError(new Error('not ours')); // false
 */
export function isClienteleError(e: unknown): e is ClienteleError {
  return e instanceof Error && e.name === 'ClienteleError' && typeof (e as { code?: unknown }).code === 'string';
}

/** A short, printable rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? name : 'object';
  }
  return String(value);
}
