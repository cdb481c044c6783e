import type { Table, Vector } from 'apache-arrow';
import { asTable, ClienteleError, describeValue, isClienteleError, readNumericVector } from '../table/internal';
import { displayable } from './display';
import type { ChartSpec } from './display';
export type { VegaLiteSpec } from './display';

/**
 * The major version of Vega-Lite the charts are written for: the version of the `vega-lite` package clientele ships
 * (6.x), so vega-embed compiles them without a version warning. One constant: `$schema` is built from it, and a test
 * checks it against the installed vega-lite.
 */
const VEGA_LITE_MAJOR = 6;

/** The `$schema` of every chart. */
export const VEGA_LITE_SCHEMA = `https://vega.github.io/schema/vega-lite/v${VEGA_LITE_MAJOR}.json`;

/** Options every chart function takes. */
export interface ChartOptions {
  /** Chart title; each chart has a default that names what it shows. */
  title?: string;
  /** Width of the plotting area in pixels (each chart has a default). */
  width?: number;
  /** Height of the plotting area in pixels (each chart has a default). */
  height?: number;
}

/**
 * Finishes a chart: sets `$schema`, freezes the spec (all but the inlined data rows, which Vega tags with a hidden
 * id when it renders them) and adds the Jupyter display hook.
 */
export function chart(spec: Record<string, unknown>): ChartSpec {
  return displayable(freezeSpec({ $schema: VEGA_LITE_SCHEMA, ...spec }));
}

function freezeSpec<T>(value: T, underData = false): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const [key, child] of Object.entries(value as object)) {
    // Vega writes a Symbol(vega_id) into every inlined row it ingests: the rows (and their array) stay extensible.
    if (underData && key === 'values') continue;
    freezeSpec(child, key === 'data');
  }
  return Object.freeze(value);
}

/**
 * The input as an Arrow table, or an `INVALID_INPUT` error that names the analysis whose result the chart takes.
 */
export function chartTable(input: unknown, fn: string, producer: string): Table {
  try {
    return asTable(input);
  } catch (e) {
    if (!isClienteleError(e)) throw e;
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the input is not a table (found ${describeValue(input)}); pass the table ${producer} returns`,
    );
  }
}

/** The column `name`, or `MISSING_COLUMN` naming the analysis that produces it. */
export function requireColumn(table: Table, name: string, fn: string, producer: string): Vector {
  const vector = table.getChild(name);
  if (vector) return vector as Vector;
  const found = table.schema.fields.map((f) => f.name);
  const shown = found.length > 12 ? `${found.slice(0, 12).join(', ')}, …` : found.join(', ');
  throw new ClienteleError(
    'MISSING_COLUMN',
    `${fn}: column "${name}" is not in the table (found columns: ${shown || 'none'}); pass the table ${producer} returns, or a table with a "${name}" column`,
    { column: name },
  );
}

/** A numeric column as doubles (NaN where null). */
export function numbers(table: Table, name: string, fn: string, producer: string): Float64Array {
  return readNumericVector(requireColumn(table, name, fn, producer), name, fn).values;
}

/** A column as display strings (`''` where null; lists joined with ', '). */
export function strings(table: Table, name: string, fn: string, producer: string): string[] {
  const vector = requireColumn(table, name, fn, producer);
  const out = new Array<string>(vector.length);
  const isList = vector.type.typeId === 12 || vector.type.typeId === 16; // List, FixedSizeList
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i) as unknown;
    out[i] =
      v === null || v === undefined ? '' : isList ? Array.from(v as Iterable<unknown>, String).join(', ') : String(v);
  }
  return out;
}

/** A number for JSON: finite numbers as they are, NaN and ±Infinity as null (JSON has no such values). */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A positive pixel size option. @throws {ClienteleError} `INVALID_OPTION` */
export function sizeOption(value: unknown, fallback: number, name: string, fn: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 50 || value > 5000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be a number of pixels from 50 to 5000 (found ${describeValue(value)}); e.g. ${fallback}`,
    );
  }
  return value;
}

/** A positive integer option (a cap on rows, points or bins). @throws {ClienteleError} `INVALID_OPTION` */
export function countOption(value: unknown, fallback: number, min: number, name: string, fn: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 1_000_000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be an integer from ${min} to 1,000,000 (found ${describeValue(value)}); e.g. ${fallback}`,
    );
  }
  return value;
}

/** A string option. @throws {ClienteleError} `INVALID_OPTION` */
export function textOption(value: unknown, fallback: string, name: string, fn: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} must be a string (found ${describeValue(value)}); e.g. '${fallback}'`,
    );
  }
  return value;
}

/** `12 345` style integer formatting for subtitles (no locale dependence). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share as a whole-number percent, e.g. 0.1834 → '18%'. */
export function formatPercent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`;
}
