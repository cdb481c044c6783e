import { Float64, makeData, makeVector } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  getColumn,
  knownOptions,
  META,
  readNumericVector,
  tableWithMetadata,
  nullRecord,
} from '../../table/internal';

/**
 * The shared plumbing of the closed-form CLV functions (internal, not exported from the package): option rules,
 * the one resolver that turns a number or a column name into per-row values, and the output table. A scalar call
 * is the one-row case of the vectorised call, so both run the same core.
 */

/** When the margin of a period arrives: at its end (discounted by (1 + d)^t, the default) or at its start ((1 + d)^(t−1)). */
export type Timing = 'end' | 'start';

const TIMINGS: readonly Timing[] = ['end', 'start'];

/** What a value must be; the check and the message come from the same object. */
export interface Rule {
  readonly holds: (x: number) => boolean;
  readonly means: string;
}

export const RULES = {
  money: { holds: (x: number) => Number.isFinite(x), means: 'a finite amount of money' },
  nonNegative: { holds: (x: number) => x >= 0 && x < Infinity, means: 'a finite number ≥ 0' },
  rate: { holds: (x: number) => x >= 0 && x < Infinity, means: 'a rate per period ≥ 0 (0.08 for 8 %)' },
  fraction: { holds: (x: number) => x >= 0 && x <= 1, means: 'a fraction in [0, 1] (0.8 for 80 %)' },
  marginShare: { holds: (x: number) => x <= 1 && x > -Infinity, means: 'a share of revenue ≤ 1 (0.3 for 30 %)' },
  periods: {
    holds: (x: number) => x === Infinity || (Number.isInteger(x) && x >= 0),
    means: 'a whole number of periods ≥ 0, or Infinity',
  },
} as const satisfies Record<string, Rule>;

/**
 * One parameter, per row: `values[i * step]` is its value on row i (`step` 0 broadcasts a number to every row).
 * Branch-free in the core loops.
 */
export interface Param {
  readonly values: Float64Array;
  readonly step: 0 | 1;
  /** The column it was read from, or undefined for a number. */
  readonly column?: string;
}

/** A number or column option, with how to read it. */
export interface ParamSpec {
  readonly option: string;
  readonly rule: Rule;
  /** The value when the option is left out; without it the option is required. */
  readonly fallback?: number;
}

/** The input of one call: the table (or null for a scalar call), its row count and the rows with a missing value. */
export interface Frame {
  readonly fn: string;
  readonly table: Table | null;
  readonly rows: number;
  /** 1 where a column read for this call is null or NaN on that row. */
  readonly missing: Uint8Array;
}

/**
 * Splits `(options)` and `(table, options)` calls. A table given where the options belong is refused with the
 * signature to use.
 */
export function frameOf(
  fn: string,
  first: unknown,
  second: unknown,
  argc: number,
): { frame: Frame; options: Record<string, unknown> } {
  if (argc < 2 || second === undefined) {
    const looksLikeTable =
      Array.isArray(first) || typeof (first as { getChild?: unknown } | null)?.getChild === 'function';
    if (typeof first !== 'object' || first === null || looksLikeTable) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: expected an options object (found ${describeValue(first)}); call ${fn}({ … }) with numbers, or ` +
          `${fn}(table, { … }) with numbers or column names`,
      );
    }
    return {
      frame: { fn, table: null, rows: 1, missing: new Uint8Array(1) },
      options: first as Record<string, unknown>,
    };
  }
  if (typeof second !== 'object' || second === null || Array.isArray(second)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the second argument must be an options object (found ${describeValue(second)}); call ${fn}(table, { … })`,
    );
  }
  const table = asTable(first);
  if (table.numRows === 0) {
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer (or segment)`);
  }
  return {
    frame: { fn, table, rows: table.numRows, missing: new Uint8Array(table.numRows) },
    options: second as Record<string, unknown>,
  };
}

/** Checks one number against a rule, as an option. @throws {ClienteleError} `INVALID_OPTION` */
function checkNumber(value: number, rule: Rule, fn: string, option: string): number {
  if (!rule.holds(value)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be ${rule.means} (found ${describeValue(value)}); pass e.g. { ${option}: ${example(rule)} }`,
    );
  }
  return value;
}

function example(rule: Rule): string {
  return rule === RULES.fraction
    ? '0.8'
    : rule === RULES.rate
      ? '0.1'
      : rule === RULES.marginShare
        ? '0.3'
        : rule === RULES.periods
          ? '10'
          : '100';
}

/**
 * Resolves a number-or-column option to a {@link Param}. Numbers are checked as options (`INVALID_OPTION`);
 * column values are checked row by row (`INVALID_VALUE` naming the row), except null and NaN, which mark the row
 * missing so that it is dropped and counted.
 *
 * @throws {ClienteleError} `INVALID_OPTION`, `INVALID_VALUE`, `MISSING_COLUMN`, `INVALID_TYPE`
 */
export function resolveParam(frame: Frame, value: unknown, spec: ParamSpec): Param {
  const { fn } = frame;
  const { option, rule } = spec;
  if (value === undefined) {
    if (spec.fallback !== undefined) return { values: Float64Array.of(spec.fallback), step: 0 };
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} is required (found undefined); pass ${rule.means}` +
        (frame.table ? ' or the name of a column' : ''),
    );
  }
  if (typeof value === 'number') return { values: Float64Array.of(checkNumber(value, rule, fn, option)), step: 0 };
  if (typeof value !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be a number${frame.table ? ' or a column name' : ''} (found ${describeValue(value)}); pass ${rule.means}`,
    );
  }
  if (!frame.table) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} names a column ("${value}") but no table was given; call ${fn}(table, { ${option}: '${value}', … }) ` +
        `or pass a number`,
    );
  }
  const column = readNumericVector(getColumn(frame.table, value, fn, option), value, fn).values;
  const missing = frame.missing;
  for (let i = 0; i < column.length; i++) {
    const x = column[i];
    if (x !== x) missing[i] = 1;
    else if (!rule.holds(x)) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${value}" (option ${option}) must hold ${rule.means} (found ${describeValue(x)} at row ${i}); ` +
          `correct the value or set it to null to drop the row`,
        { column: value, row: i },
      );
    }
  }
  return { values: column, step: 1, column: value };
}

/** Resolves an option that is an array of per-period numbers (m_1 … m_n or r_1 … r_n). @throws {ClienteleError} `INVALID_OPTION` */
export function resolveSeries(value: readonly unknown[], rule: Rule, fn: string, option: string): Float64Array {
  if (value.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} is an empty array; give one value per period, or a single number`,
    );
  }
  const out = new Float64Array(value.length);
  for (let t = 0; t < value.length; t++) {
    const x = value[t];
    if (typeof x !== 'number' || !rule.holds(x)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${option}[${t}] must be ${rule.means} (found ${describeValue(x)}); give one such number per period`,
      );
    }
    out[t] = x;
  }
  return out;
}

/** Validates the `timing` option. @throws {ClienteleError} `INVALID_OPTION` */
export function checkTiming(timing: unknown, fn: string): Timing {
  if (timing === undefined) return 'end';
  if (!TIMINGS.includes(timing as Timing)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option timing must be ${TIMINGS.map((t) => `'${t}'`).join(' or ')} (found ${describeValue(timing)}); 'end' ` +
        `when each period's margin arrives at its end (discounted t periods), 'start' at its beginning (t − 1 periods)`,
    );
  }
  return timing as Timing;
}

/** Refuses option names the function does not know, with a did-you-mean (`knownOptions`, the one gate). */
export function checkKnown(options: Record<string, unknown>, known: readonly string[], fn: string): void {
  knownOptions(options, known, fn);
}

/**
 * The result of a call: the number for a scalar call; for a table, the input's columns (shared, not copied) plus a
 * Float64 `clv` column that is null on rows with a missing input. Those rows are counted in the metadata
 * (`invalidValue`, readable with `droppedRows`).
 *
 * @throws {ClienteleError} `EMPTY_INPUT` when every row has a missing input
 */
export function finish(frame: Frame, values: Float64Array, options: Record<string, unknown>): number | Table {
  if (!frame.table) return values[0];
  const { table, rows, missing, fn } = frame;
  const drops = new DropCounter();
  const bitmap = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) {
    if (missing[i]) {
      drops.drop('invalidValue', i);
      values[i] = NaN;
    } else bitmap[i >> 3] |= 1 << (i & 7);
  }
  if (drops.total === rows) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: every one of the ${rows} rows has a null or NaN input (first row ${drops.first.invalidValue}); check the columns named in the options`,
    );
  }
  const clv: Vector = makeVector(
    makeData({
      type: new Float64(),
      length: rows,
      nullCount: drops.total,
      data: values,
      nullBitmap: drops.total > 0 ? bitmap : undefined,
    }),
  );
  const columns: Record<string, Vector> = nullRecord();
  for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name) as Vector;
  columns.clv = clv;
  return tableWithMetadata(columns, {
    [META.kind]: fn,
    'clientele.clvOptions': JSON.stringify(options),
    ...drops.metadata(rows),
  });
}
