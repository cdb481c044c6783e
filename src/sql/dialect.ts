import { ClienteleError, describeValue } from '../table/internal';

/** The SQL dialects `toSql` writes. */
export type SqlDialect = 'duckdb' | 'spark' | 'bigquery' | 'postgres';

/** Every dialect, in the order error messages list them. */
export const SQL_DIALECTS: readonly SqlDialect[] = Object.freeze(['duckdb', 'spark', 'bigquery', 'postgres'] as const);

/**
 * The spellings in which the four dialects differ, and nothing else: every query is written once against this
 * interface, so the four texts differ only here (the golden tests check it).
 */
export interface Dialect {
  readonly name: SqlDialect;
  /** A quoted identifier (the name has been validated: no quote characters, no control characters). */
  ident(name: string): string;
  /** A string literal. */
  string(text: string): string;
  /** Type names of casts. */
  readonly double: string;
  readonly int: string;
  readonly text: string;
  /** The epoch day (days since 1970-01-01) of a DATE expression, as an integer. */
  epochDay(date: string): string;
  /** The DATE of an integer epoch-day expression. */
  dateOfDay(day: string): string;
  /** True when a DOUBLE expression is NaN. */
  /** True where a DOUBLE is not a value under the admission policy (src/table/admission.ts): NaN or ±Infinity. */
  inadmissible(x: string): string;
  /** Floor division of two non-negative integer expressions. */
  intDiv(a: string, b: string): string;
  /** A compensated (Kahan–Babuška) sum where the engine has one, else the plain SUM; `over` is a window or ''. */
  sum(x: string, over?: string): string;
  /** A SELECT giving one row per integer 0 … `last` (an expression over `from`), in a column `k`. */
  series(last: string, from: string): string;
  /** The calendar month of a DATE expression counted from year 0 (year · 12 + month − 1), an integer. */
  monthIndex(date: string): string;
  /** The first day (a DATE) of the UTC calendar month, quarter or year of a DATE expression. */
  truncDate(date: string, period: 'month' | 'quarter' | 'year'): string;
  /**
   * A pseudo-random DOUBLE in [0, 1) that depends only on `key` (any expression) and the integer `stream` (a literal
   * or expression): the engine's own 64-bit hash of the text `key:stream` (Spark: xxhash64 seeded through its
   * arguments), low 32 bits, over 2^32. Deterministic within an engine (the same rows draw the same numbers on every run), not across
   * engines (each hashes differently). For sampling (k-means|| seeding) and bootstrap weights in the engine.
   */
  uniform(key: string, stream: string): string;
}

/** Double-quote quoting (ANSI; DuckDB and PostgreSQL). */
const ansiIdent = (name: string) => `"${name}"`;
/** Backtick quoting (Spark SQL, BigQuery). */
const backtickIdent = (name: string) => `\`${name}\``;
/** Standard string literal: a quote is doubled and a backslash is a character (DuckDB). */
const standardString = (text: string) => `'${text.replace(/'/g, "''")}'`;
/**
 * PostgreSQL: a text with a backslash is written as an escape string `E'…'`, which reads the same whatever
 * standard_conforming_strings says (a plain `'a\'` would end early where it is off).
 */
const postgresString = (text: string) =>
  text.includes('\\') ? `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : standardString(text);
/**
 * BigQuery: a quote and a backslash are escaped with a backslash (`'a''b'` would be two literals), and control
 * characters as `\u00XX` (a newline may not stand in a one-line literal).
 */
const bigQueryString = (text: string) =>
  // eslint-disable-next-line no-control-regex -- the control characters are what this escapes
  `'${text.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
/**
 * Spark SQL: whether a backslash escapes depends on spark.sql.parser.escapedStringLiterals, and `${…}` is
 * substituted inside literals, so a quote, a backslash and a dollar are never written inside one: the text is
 * the CONCAT of plain literals and CHR(39), CHR(92), CHR(36).
 */
const sparkString = (text: string) => {
  const parts = text
    .split(/(['\\$])/)
    .flatMap((p, k) => (k % 2 === 1 ? [`CHR(${p.charCodeAt(0)})`] : p ? [`'${p}'`] : []));
  return parts.length === 1 && parts[0].startsWith("'")
    ? parts[0]
    : parts.length === 0
      ? "''"
      : `CONCAT(${parts.join(', ')})`;
};

const DIALECTS: Record<SqlDialect, Dialect> = {
  duckdb: {
    name: 'duckdb',
    monthIndex: (x) => `CAST(EXTRACT(YEAR FROM ${x}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM ${x}) AS INTEGER) - 1`,
    ident: ansiIdent,
    string: standardString,
    double: 'DOUBLE',
    int: 'INTEGER',
    text: 'VARCHAR',
    epochDay: (d) => `(${d} - DATE '1970-01-01')`,
    dateOfDay: (k) => `CAST(DATE '1970-01-01' + CAST(${k} AS INTEGER) AS DATE)`,
    inadmissible: (x) => `NOT isfinite(${x})`,
    intDiv: (a, b) => `((${a}) // (${b}))`,
    sum: (x, over = '') => `fsum(${x})${over}`,
    series: (last, from) => `SELECT unnest(generate_series(0, ${last})) AS k FROM ${from}`,
    truncDate: (x, p) => `CAST(date_trunc('${p}', ${x}) AS DATE)`,
    // one hash of the text "key:stream" (DuckDB's hash(a, b) is hash(a) XOR hash(b): two keys' draws would then
    // differ by the same bits in every stream, and bootstrap weights would not be independent)
    uniform: (key, stream) =>
      `(CAST(hash(CAST(${key} AS VARCHAR) || ':' || CAST(${stream} AS VARCHAR)) % 4294967296 AS DOUBLE) / 4294967296.0)`,
  },
  postgres: {
    name: 'postgres',
    monthIndex: (x) => `CAST(EXTRACT(YEAR FROM ${x}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM ${x}) AS INTEGER) - 1`,
    ident: ansiIdent,
    string: postgresString,
    double: 'DOUBLE PRECISION',
    int: 'INTEGER',
    text: 'TEXT',
    epochDay: (d) => `(${d} - DATE '1970-01-01')`,
    dateOfDay: (k) => `CAST(DATE '1970-01-01' + CAST(${k} AS INTEGER) AS DATE)`,
    inadmissible: (x) =>
      `${x} IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION))`,
    intDiv: (a, b) => `((${a}) / (${b}))`,
    sum: (x, over = '') => `SUM(${x})${over}`,
    series: (last, from) => `SELECT generate_series(0, ${last}) AS k FROM ${from}`,
    truncDate: (x, p) => `CAST(date_trunc('${p}', ${x}) AS DATE)`,
    uniform: (key, stream) =>
      `(CAST(hashtextextended(CAST(${key} AS TEXT) || ':' || CAST(${stream} AS TEXT), 0) & 4294967295 AS DOUBLE PRECISION) / 4294967296.0)`,
  },
  bigquery: {
    name: 'bigquery',
    monthIndex: (x) => `CAST(EXTRACT(YEAR FROM ${x}) AS INT64) * 12 + CAST(EXTRACT(MONTH FROM ${x}) AS INT64) - 1`,
    ident: backtickIdent,
    string: bigQueryString,
    double: 'FLOAT64',
    int: 'INT64',
    text: 'STRING',
    epochDay: (d) => `UNIX_DATE(${d})`,
    dateOfDay: (k) => `DATE_FROM_UNIX_DATE(${k})`,
    inadmissible: (x) => `(IS_NAN(${x}) OR IS_INF(${x}))`,
    intDiv: (a, b) => `DIV(${a}, ${b})`,
    sum: (x, over = '') => `SUM(${x})${over}`,
    series: (last, from) => `SELECT k FROM ${from} CROSS JOIN UNNEST(GENERATE_ARRAY(0, ${last})) AS k`,
    truncDate: (x, p) => `DATE_TRUNC(${x}, ${p.toUpperCase()})`,
    uniform: (key, stream) =>
      `(CAST(MOD(MOD(FARM_FINGERPRINT(CONCAT(CAST(${key} AS STRING), ':', CAST(${stream} AS STRING))), 4294967296) + 4294967296, 4294967296) AS FLOAT64) / 4294967296.0)`,
  },
  spark: {
    name: 'spark',
    monthIndex: (x) => `YEAR(${x}) * 12 + MONTH(${x}) - 1`,
    ident: backtickIdent,
    string: sparkString,
    double: 'DOUBLE',
    int: 'INT',
    text: 'STRING',
    epochDay: (d) => `DATEDIFF(${d}, DATE '1970-01-01')`,
    dateOfDay: (k) => `DATE_ADD(DATE '1970-01-01', ${k})`,
    inadmissible: (x) => `(isnan(${x}) OR abs(${x}) = double('infinity'))`,
    intDiv: (a, b) => `CAST(FLOOR((${a}) / (${b})) AS INT)`,
    sum: (x, over = '') => `SUM(${x})${over}`,
    series: (last, from) => `SELECT explode(sequence(0, ${last})) AS k FROM ${from}`,
    truncDate: (x, p) => `trunc(${x}, '${p.toUpperCase()}')`,
    uniform: (key, stream) => `(CAST(pmod(xxhash64(${key}, ${stream}), 4294967296) AS DOUBLE) / 4294967296.0)`,
  },
};

/** The dialect named `name`. @throws {ClienteleError} `INVALID_OPTION` */
export function dialectOf(name: unknown, fn: string): Dialect {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(DIALECTS, name))
    return DIALECTS[name as SqlDialect];
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option dialect must be ${SQL_DIALECTS.map((d) => `'${d}'`).join(', ')} (found ${describeValue(name)}); ` +
      `leave it out for DuckDB`,
  );
}

/**
 * A double literal that every dialect reads as the same IEEE double as the JS number: the shortest round-trip
 * digits in exponent form (a plain `0.8` is a DECIMAL in DuckDB and a NUMERIC in PostgreSQL), cast to double.
 */
export function doubleLiteral(d: Dialect, x: number): string {
  return `CAST(${x.toExponential()} AS ${d.double})`;
}
