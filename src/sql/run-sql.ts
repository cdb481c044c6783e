import type { Table, Vector } from 'apache-arrow';
import { nullRecord } from '../table/internal';
import { segmentLookup, STANDARD_SEGMENTS } from '../rfm/internal';
import {
  ClienteleError,
  codeArray,
  dateDayVector,
  describeValue,
  knownOptions,
  labelVector,
  numberVector,
  optionNames,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import { rfmBins } from './customer-sql';
import { clvColumns, clvMetadata } from './clv-sql';
import { placeSource, sqlContext } from './options';
import { admissionRules } from './admission';
import { dropCountsSql, dropMetadata } from './drop-counts';
import { epochDayOf, numberOf, sqlEngine } from './engine';
import type { SqlConnection } from './engine';
import type { SqlAnalysis, ToSqlOptions } from './options';
import { compileSql } from './to-sql';

/** DuckDB integer types whose values fit an Arrow Int32, as in-process keys of an Int8/16/32 column stay. */
const INT32_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT']);

/** How a result column becomes an Arrow vector: the in-process result's type. */
type Kind = 'key' | 'text' | 'date' | 'int32' | 'int8' | 'float64' | { labels: readonly string[] };

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
    case 'clvSummary':
    case 'clvPatterns':
    case 'spendPatterns':
    case 'clvScores':
      return clvColumns(analysis, options);
    default: {
      const never: never = analysis;
      return never;
    }
  }
}

const asNumber = numberOf;

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
      return dateDayVector(Int32Array.from(values, epochDayOf));
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
  unit: true,
  calendar: true,
  calibrationEnd: true,
  holdoutEnd: true,
  scores: true,
  scoreColumns: true,
});

/**
 * Runs an analysis where the data lives — an embedded DuckDB, a PostgreSQL server, or any engine through a runner of
 * your own — as `toSql(analysis, { ...options, dialect })` in the engine's dialect, and returns the result as an
 * Arrow table with the column names and Arrow types of the in-process result (Int32 counts and days, Int8 scores,
 * Date32 dates, dictionary-encoded score, segment and class labels with the same dictionaries), so that charts,
 * `rfmSummary`, `abcSummary`, the fits and the writers take it unchanged.
 *
 * What an analyst uses it for: a transaction log that DuckDB reads straight from Parquet or CSV files
 * (`table: '(SELECT * FROM read_parquet(\'sales/*.parquet\'))'`) or that sits in a PostgreSQL table, summarised
 * without loading its rows into JavaScript.
 *
 * Conventions: those of {@link toSql} (rows in customer-key order for customerSummary and rfm). Rows the analysis
 * drops are counted by a second statement over the same admission predicates the query filters with, in the
 * in-process order, and the counts are in the result's metadata as in-process (`droppedRows(result)`: `rows`,
 * `kept`, `dropped` by reason — nullCustomer, invalidDate, invalidAmount, afterAsOf, negativeAmount; nullKey,
 * invalidValue — each row once, under its first reason; SQL has no row order, so there is no first dropped row).
 * For basketPairs the counts are those `baskets(tx).rows` reports in-process (null transaction or item: nullKey).
 * When every row is dropped the result is empty with the counts (in-process: `EMPTY_INPUT`). Schema
 * metadata: `clientele.kind` (the analysis) and `clientele.sql` (the dialect); for rfm also `clientele.bins`. An
 * empty result is a zero-row table with every column.
 *
 * The CLV tables carry summaryFromTransactions' metadata: `clientele.kind` `'clvSummary'` (so that the fits and
 * predictions take them, per customer or per pattern), `clientele.unit` (a model fitted on `'week'` patterns
 * refuses a `'day'` summary), `clientele.calibrationEnd`, `clientele.holdoutEnd` and `clientele.acquiredLater`,
 * read by one more small statement. The whole warehouse path: `fitBgNbd(await runSql(con, 'clvPatterns', o),
 * { weights: 'count' })` and `fitGammaGamma(await runSql(con, 'spendPatterns', o), { weights: 'count' })` fit on a
 * few hundred thousand patterns what the per-customer summary would give (the fits compress customers into the
 * same patterns); predict on the pattern table, load it into the engine, and `runSql(con, 'clvScores',
 * { ...o, scores, scoreColumns })` brings the predictions to every customer. Which rows drop where: the log rows
 * summaryFromTransactions drops are counted in every CLV result (`droppedRows`); spendPatterns leaves out the
 * customers fitGammaGamma would drop (noRepeat, zeroMonetary, invalidMonetary), so its fit reports the same
 * `customers` as the in-process fit and no `dropped`; a fit's `dropped` counts pattern rows, not customers.
 *
 * Cost: the query's (see {@link toSql}), one more scan to count dropped rows (two for the CLV analyses), then one
 * pass over the result rows to build typed arrays.
 *
 * Safety: the text is {@link toSql}'s (one statement); DuckDB runs it as one prepared statement and PostgreSQL in
 * the extended protocol, both of which refuse several statements, so no second statement runs even past a
 * tokenizer bug.
 *
 * `@duckdb/node-api` and `pg` are optional peer dependencies: clientele never imports them; pass a connection you
 * made.
 *
 * @param connection a `@duckdb/node-api` connection, a `pg` Client or Pool, or a runner `{ dialect, run(sql) }`
 *   resolving to row objects
 * @param analysis as for {@link toSql}
 * @param options as for {@link toSql}, without `dialect` (the connection's)
 * @throws {ClienteleError} as {@link toSql}; `INVALID_INPUT` when `connection` is none of these or the engine
 *   refuses the query (a missing table, a value it cannot cast; its message is quoted), `MISSING_COLUMN` when the
 *   engine does not find a column; `INVALID_TYPE` for a key column of a type that would come back changed (DATE,
 *   BLOB, LIST, BOOLEAN, …) or an integer key beyond ±2^53
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
  connection: SqlConnection,
  analysis: SqlAnalysis,
  options: Omit<ToSqlOptions, 'dialect'>,
): Promise<Table> {
  const fn = 'runSql';
  const engine = sqlEngine(connection, fn);
  options = knownOptions(options, RUN_SQL_OPTION_NAMES, fn);
  const full: ToSqlOptions = { ...options, dialect: engine.dialect };
  const sql = compileSql(analysis, full, fn);
  const columns = outputColumns(analysis, full);
  const result = await engine.run(sql);
  const vectors: Record<string, Vector> = nullRecord();
  columns.forEach(([name, kind]) => {
    const at = result.names.indexOf(name);
    vectors[name] = toVector(at < 0 ? [] : (result.columns[at] ?? []), kind, name, result.types[at] ?? '');
  });
  const metadata: Record<string, string> = { 'clientele.kind': analysis, 'clientele.sql': engine.dialect };
  if (analysis === 'rfm') metadata['clientele.bins'] = String(full.bins ?? 5);
  const ctx = sqlContext(analysis, full, fn);
  const rules = admissionRules(analysis, ctx);
  if (rules !== undefined)
    Object.assign(metadata, dropMetadata(await engine.run(placeSource(dropCountsSql(ctx, rules), ctx)), rules));
  Object.assign(metadata, await clvMetadata(engine, analysis, ctx));
  return tableWithMetadata(vectors, metadata);
}
