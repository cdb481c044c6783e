import type { Table, Vector } from 'apache-arrow';
import { nullRecord } from '../table/internal';
import { segmentLookup, STANDARD_SEGMENTS } from '../rfm/internal';
import {
  ClienteleError,
  codeArray,
  dateDayVector,
  describeValue,
  isClienteleError,
  knownOptions,
  labelVector,
  numberVector,
  optionNames,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import { rfmBins } from './customer-sql';
import { sqlContext } from './options';
import type { SqlAnalysis, ToSqlOptions } from './options';
import { compileSql } from './to-sql';

/**
 * What `runSql` needs of a DuckDB connection: `@duckdb/node-api`'s `DuckDBConnection` has it. When `prepare` is
 * there (it is on a real connection) the query runs as one prepared statement, which DuckDB refuses to make of
 * several statements: a second statement cannot run even if a sub-query got past the tokenizer.
 */
export interface DuckDBConnectionLike {
  runAndReadAll(sql: string): Promise<{
    columnNames(): string[];
    getColumnsJS(): unknown[][];
    /** The SQL types of the columns (their `toString()`, e.g. `'INTEGER'`); used to type numeric keys. */
    columnTypes?(): { toString(): string }[];
  }>;
  prepare?(sql: string): Promise<{ runAndReadAll(): ReturnType<DuckDBConnectionLike['runAndReadAll']> }>;
}

/** A DuckDB result as `runSql` reads it. */
type DuckDBReaderLike = Awaited<ReturnType<DuckDBConnectionLike['runAndReadAll']>>;

/** DuckDB integer types whose values fit an Arrow Int32, as in-process keys of an Int8/16/32 column stay. */
const INT32_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT']);

/** How a result column becomes an Arrow vector: the in-process result's type. */
type Kind = 'key' | 'text' | 'date' | 'int32' | 'int8' | 'float64' | { labels: readonly string[] };

const MS_PER_DAY = 86_400_000;

/** The columns of each analysis's in-process result, in order, with their Arrow types. */
function outputColumns(analysis: SqlAnalysis, options: ToSqlOptions): [string, Kind][] {
  switch (analysis) {
    case 'customerSummary':
      return [
        ['customer', 'key'],
        ['first', 'date'],
        ['last', 'date'],
        ['count', 'int32'],
        ['frequency', 'int32'],
        ['recency', 'int32'],
        ['T', 'int32'],
        ['monetary', 'float64'],
        ['averageValue', 'float64'],
      ];
    case 'rfm': {
      const bins = rfmBins(sqlContext(analysis, options, 'runSql'));
      const sep = bins > 9 ? '-' : '';
      const scores: string[] = [];
      for (let a = 1; a <= bins; a++)
        for (let b = 1; b <= bins; b++) for (let c = 1; c <= bins; c++) scores.push(`${a}${sep}${b}${sep}${c}`);
      const columns: [string, Kind][] = [
        ['customer', 'key'],
        ['recency', 'int32'],
        ['frequency', 'int32'],
        ['monetary', 'float64'],
        ['r', 'int8'],
        ['f', 'int8'],
        ['m', 'int8'],
        ['score', { labels: scores }],
      ];
      if (options.segments !== false) {
        columns.push([
          'segment',
          { labels: segmentLookup(options.segments ?? STANDARD_SEGMENTS, bins, 'runSql').names },
        ]);
      }
      return columns;
    }
    case 'abc': {
      const classes = Array.from({ length: (options.cutoffs ?? [0.8, 0.95]).length + 1 }, (_, j) =>
        String.fromCharCode(65 + j),
      );
      return [
        ['key', 'key'],
        ['value', 'float64'],
        ['share', 'float64'],
        ['cumulativeShare', 'float64'],
        ['rank', 'int32'],
        ['class', { labels: classes }],
      ];
    }
    case 'retentionCurve':
      return [
        ['cohort', 'date'],
        ['offset', 'int32'],
        ['customers', 'int32'],
        ['active', 'int32'],
        ['retention', 'float64'],
      ];
    case 'basketPairs':
      return [
        ['antecedent', 'text'],
        ['consequent', 'text'],
        ['support', 'float64'],
        ['confidence', 'float64'],
        ['lift', 'float64'],
        ['count', 'int32'],
      ];
    default: {
      const never: never = analysis;
      return never;
    }
  }
}

const asNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/** SQL key types read as text, and as doubles (integers beyond ±2^53 are refused: they would merge). */
const TEXT_KEY_TYPES = new Set(['VARCHAR', 'UUID']);
const NUMBER_KEY_TYPES = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT|UINTEGER|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/;
const EXACT = 2n ** 53n;

/**
 * A key column: strings stay strings; small integer keys Int32 and other numbers doubles, as readKeys keeps them
 * in-process. A key of another SQL type (DATE, BLOB, LIST, BOOLEAN, …) or an integer key beyond ±2^53 would come
 * back changed or merged, and is refused. Without column types (a stand-in connection) the values decide.
 *
 * @throws {ClienteleError} `INVALID_TYPE`
 */
function keyVector(values: unknown[], name: string, sqlType: string): Vector {
  if (INT32_TYPES.has(sqlType)) return numberVector(Int32Array.from(values, asNumber));
  if (TEXT_KEY_TYPES.has(sqlType) || (sqlType === '' && (values.length === 0 || typeof values[0] === 'string'))) {
    return stringVector(values.map((v) => (v === null ? null : String(v))));
  }
  if (sqlType !== '' && !NUMBER_KEY_TYPES.test(sqlType)) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `runSql: key column "${name}" is ${sqlType} (found ${describeValue(values[0])}); cast it to VARCHAR or an ` +
        `integer in a '(SELECT …)' sub-query`,
      { column: name },
    );
  }
  const row = values.findIndex((v) => typeof v === 'bigint' && (v > EXACT || v < -EXACT));
  if (row >= 0) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `runSql: key column "${name}" row ${row} holds ${describeValue(values[row])}, beyond ±2^53 where doubles merge ` +
        `keys; cast the key to VARCHAR in a '(SELECT …)' sub-query`,
      { column: name, row },
    );
  }
  return numberVector(Float64Array.from(values, asNumber));
}

function toVector(values: unknown[], kind: Kind, name: string, sqlType: string): Vector {
  const n = values.length;
  if (typeof kind === 'object') {
    const index = new Map(kind.labels.map((label, k) => [label, k]));
    const codes = codeArray(n, kind.labels.length);
    for (let i = 0; i < n; i++) {
      const code = index.get(values[i] as string);
      if (code === undefined) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `runSql: column "${name}" row ${i} holds ${describeValue(values[i])}, not one of its labels; report this as a bug`,
          { column: name, row: i },
        );
      }
      codes[i] = code;
    }
    return labelVector(codes, kind.labels);
  }
  switch (kind) {
    case 'key':
      return keyVector(values, name, sqlType);
    case 'text':
      return stringVector(values as (string | null)[]);
    case 'date':
      return dateDayVector(
        Int32Array.from(values, (v) => (v instanceof Date ? Math.floor(v.getTime() / MS_PER_DAY) : asNumber(v))),
      );
    case 'int32':
      return numberVector(Int32Array.from(values, asNumber));
    case 'int8':
      return numberVector(Int8Array.from(values, asNumber));
    case 'float64':
      return numberVector(Float64Array.from(values, asNumber));
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** The options runSql takes (toSql's but dialect); toSql then refuses those the analysis does not read. */
const RUN_SQL_OPTION_NAMES = optionNames<Omit<ToSqlOptions, 'dialect'>>({
  table: true,
  columns: true,
  asOf: true,
  returns: true,
  bins: true,
  breaks: true,
  segments: true,
  cutoffs: true,
  period: true,
  minSupport: true,
  minCount: true,
});

/**
 * Runs `sql` as one prepared statement where the connection can prepare (DuckDB refuses to prepare several), and
 * turns DuckDB's own refusal (a missing table or column, a type it cannot cast) into a `ClienteleError`.
 *
 * @throws {ClienteleError} `MISSING_COLUMN` for a column DuckDB does not find, else `INVALID_INPUT`
 */
async function runOne(connection: DuckDBConnectionLike, sql: string): Promise<DuckDBReaderLike> {
  try {
    return typeof connection.prepare === 'function'
      ? await (await connection.prepare(sql)).runAndReadAll()
      : await connection.runAndReadAll(sql);
  } catch (e) {
    if (isClienteleError(e)) throw e;
    const said = String(e instanceof Error ? e.message : e).split('\n')[0];
    const column = /Referenced column "([^"]*)" not found/.exec(said)?.[1];
    throw new ClienteleError(
      column === undefined ? 'INVALID_INPUT' : 'MISSING_COLUMN',
      `runSql: DuckDB refused the query (found ${JSON.stringify(said.slice(0, 300))}); check that option table names ` +
        `a table or sub-query DuckDB can read and that the columns options name its columns`,
      column === undefined ? {} : { column },
    );
  }
}

/**
 * Runs an analysis inside an embedded DuckDB — `toSql(analysis, { ...options, dialect: 'duckdb' })` on a
 * `@duckdb/node-api` connection — and returns the result as an Arrow table with the column names and Arrow types
 * of the in-process result (Int32 counts and days, Int8 scores, Date32 dates, dictionary-encoded score, segment
 * and class labels with the same dictionaries), so that charts, `rfmSummary`, `abcSummary` and the writers take
 * it unchanged.
 *
 * What an analyst uses it for: a transaction log that DuckDB already holds or reads straight from Parquet or CSV
 * files (`table: '(SELECT * FROM read_parquet(\'sales/*.parquet\'))'`), summarised without loading it into
 * JavaScript first.
 *
 * Conventions: those of {@link toSql} (rows in customer-key order for customerSummary and rfm; filtered bad rows
 * are not counted). Schema metadata: `clientele.kind` (the analysis) and `clientele.sql` = `'duckdb'`; for rfm
 * also `clientele.bins`. An empty result is a zero-row table with every column.
 *
 * Cost: the query's (see {@link toSql}), then one pass over the result rows to build typed arrays.
 *
 * Safety: the text is {@link toSql}'s (one statement); on a real connection it runs as one prepared statement,
 * which DuckDB refuses to make of several, so no second statement runs even past a tokenizer bug.
 *
 * `@duckdb/node-api` is an optional peer dependency: clientele never imports it; pass a connection you made.
 *
 * @param connection anything with `runAndReadAll(sql)` returning a reader with `columnNames()` and `getColumnsJS()`
 * @param analysis as for {@link toSql}
 * @param options as for {@link toSql}, without `dialect`
 * @throws {ClienteleError} as {@link toSql}; `INVALID_INPUT` when `connection` has no `runAndReadAll` or DuckDB
 *   refuses the query (a missing table, a value it cannot cast; its message is quoted), `MISSING_COLUMN` when DuckDB
 *   does not find a column; `INVALID_TYPE` for a key column of a type that would come back changed (DATE, BLOB,
 *   LIST, BOOLEAN, …) or an integer key beyond ±2^53
 * @example
 * // with @duckdb/node-api: const connection = await (await DuckDBInstance.create(':memory:')).connect();
 * // here a stand-in with the one method runSql calls, answering as DuckDB would
 * const seen = [];
 * const connection = {
 *   runAndReadAll: async (sql) => {
 *     seen.push(sql);
 *     return { columnNames: () => ['key', 'value', 'share', 'cumulativeShare', 'rank', 'class'], getColumnsJS: () => [['p', 'q'], [80, 20], [0.8, 0.2], [0.8, 1], [1, 2], ['A', 'B']] };
 *   },
 * };
 * const classes = await runSql(connection, 'abc', { table: 'sales', columns: { key: 'product', value: 'revenue' } });
 * classes.getChild('class')?.toArray(); // ['A', 'B']
 * String(classes.schema.fields[5].type); // 'Dictionary<Int8, Utf8>'
 * seen[0].includes('FROM "sales" AS src'); // true
 */
export async function runSql(
  connection: DuckDBConnectionLike,
  analysis: SqlAnalysis,
  options: Omit<ToSqlOptions, 'dialect'>,
): Promise<Table> {
  const fn = 'runSql';
  if (typeof (connection as { runAndReadAll?: unknown } | null)?.runAndReadAll !== 'function') {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the connection has no runAndReadAll method (found ${describeValue(connection)}); pass a DuckDBConnection from ` +
        `(await DuckDBInstance.create()).connect() of @duckdb/node-api`,
    );
  }
  options = knownOptions(options, RUN_SQL_OPTION_NAMES, fn);
  const full: ToSqlOptions = { ...options, dialect: 'duckdb' };
  const sql = compileSql(analysis, full, fn);
  const columns = outputColumns(analysis, full);
  const reader = await runOne(connection, sql);
  const names = reader.columnNames();
  const data = reader.getColumnsJS();
  const types = reader.columnTypes?.().map(String) ?? [];
  const vectors: Record<string, Vector> = nullRecord();
  columns.forEach(([name, kind]) => {
    const at = names.indexOf(name);
    vectors[name] = toVector(at < 0 ? [] : (data[at] ?? []), kind, name, types[at] ?? '');
  });
  const metadata: Record<string, string> = { 'clientele.kind': analysis, 'clientele.sql': 'duckdb' };
  if (analysis === 'rfm') metadata['clientele.bins'] = String(full.bins ?? 5);
  return tableWithMetadata(vectors, metadata);
}
