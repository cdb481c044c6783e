import { ClienteleError, describeValue, isClienteleError } from '../table/internal';
import { SQL_DIALECTS } from './dialect';
import type { SqlDialect } from './dialect';

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

/**
 * What `runSql` needs of a PostgreSQL connection: a `pg` `Client`, `PoolClient` or `Pool` has it. The query is
 * sent with `queryMode: 'extended'` (one prepared statement: PostgreSQL refuses several commands in one), rows as
 * arrays and every value as its text, which clientele reads itself (so a DATE never passes through a local-time
 * `Date`, and a BIGINT never through a rounding double).
 */
export interface PostgresClientLike {
  query(config: {
    text: string;
    rowMode: 'array';
    queryMode: 'extended';
    types: { getTypeParser(oid: number, format?: string): (text: string) => unknown };
  }): Promise<{ fields: { name: string; dataTypeID: number }[]; rows: unknown[][] }>;
}

/**
 * Any other engine (Spark, BigQuery, Snowflake, …) through a function you write around its client: it runs one
 * statement of `dialect` and resolves to the rows as objects keyed by column name (what most clients return).
 * DATE values may come back as `Date` (UTC midnight) or `'YYYY-MM-DD'` strings; integers as numbers or bigints.
 */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  run(sql: string): Promise<readonly Record<string, unknown>[]>;
}

/** A connection the SQL engine functions run on: DuckDB, PostgreSQL, or a runner of your own. */
export type SqlConnection = DuckDBConnectionLike | PostgresClientLike | SqlRunner;

/**
 * A result as the SQL engine functions read it: column names, their SQL types in DuckDB's spelling (`INTEGER`,
 * `BIGINT`, `DOUBLE`, `VARCHAR`, `DATE`, …; `''` when the engine does not say), and the values by column, with
 * DATE values as epoch days (numbers), integers as numbers or bigints, doubles as numbers (NaN and ±Infinity
 * included), text as strings, SQL NULL as null.
 */
export interface SqlRows {
  readonly names: string[];
  readonly types: string[];
  readonly columns: unknown[][];
}

/** One engine, whatever its client: the dialect its SQL is written in, and a way to run one statement. */
export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** What error messages call it: `'DuckDB'`, `'PostgreSQL'`, or the runner's dialect. */
  readonly label: string;
  run(sql: string): Promise<SqlRows>;
}

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(-?\d{4,})-(\d{2})-(\d{2})$/;

/** The epoch day of a DATE value as an engine returned it: a number of days, a `Date`, or `'YYYY-MM-DD'`. */
export function epochDayOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Math.floor(v.getTime() / MS_PER_DAY);
  const m = typeof v === 'string' ? ISO_DAY.exec(v) : null;
  if (m) return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
  return Number.NaN;
}

/** A numeric value as a JS number (bigints and numeric text converted). */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return Number.NaN;
}

/** PostgreSQL type oids and their DuckDB spelling (pg_type). */
const PG_TYPES: Readonly<Record<number, string>> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  25: 'VARCHAR',
  700: 'FLOAT',
  701: 'DOUBLE',
  1042: 'VARCHAR',
  1043: 'VARCHAR',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP WITH TIME ZONE',
  1700: 'DECIMAL(38,10)',
  2950: 'UUID',
};

/** A PostgreSQL text value of SQL type `type` (DuckDB spelling) as the engine functions read it. */
function postgresValue(text: unknown, type: string): unknown {
  if (text === null || text === undefined) return null;
  const s = String(text);
  switch (type) {
    case 'BIGINT': {
      const b = BigInt(s);
      return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL(38,10)':
      return Number(s);
    case 'BOOLEAN':
      return s === 't';
    case 'DATE':
      return epochDayOf(s);
    default:
      return s;
  }
}

/** The engine's own refusal as a `ClienteleError`: `MISSING_COLUMN` for a column it does not find. */
function refused(label: string, fn: string, e: unknown): ClienteleError {
  const said = String(e instanceof Error ? e.message : e).split('\n')[0];
  const column =
    /Referenced column "([^"]*)" not found/.exec(said)?.[1] ?? /column "?([^"\s]*)"? does not exist/.exec(said)?.[1];
  return new ClienteleError(
    column === undefined ? 'INVALID_INPUT' : 'MISSING_COLUMN',
    `${fn}: ${label} refused the query (found ${JSON.stringify(said.slice(0, 300))}); check that option table names ` +
      `a table or sub-query ${label} can read and that the columns options name its columns`,
    column === undefined ? {} : { column },
  );
}

function duckdbEngine(connection: DuckDBConnectionLike, fn: string): SqlEngine {
  return {
    dialect: 'duckdb',
    label: 'DuckDB',
    async run(sql) {
      let reader: Awaited<ReturnType<DuckDBConnectionLike['runAndReadAll']>>;
      try {
        reader =
          typeof connection.prepare === 'function'
            ? await (await connection.prepare(sql)).runAndReadAll()
            : await connection.runAndReadAll(sql);
      } catch (e) {
        if (isClienteleError(e)) throw e;
        throw refused('DuckDB', fn, e);
      }
      const names = reader.columnNames();
      const types = reader.columnTypes?.().map(String) ?? names.map(() => '');
      const columns = reader
        .getColumnsJS()
        .map((values, j) =>
          types[j] === 'DATE' || (types[j] === '' && values.some((v) => v instanceof Date))
            ? values.map((v) => (v === null ? null : epochDayOf(v)))
            : values,
        );
      return { names, types, columns };
    },
  };
}

function postgresEngine(client: PostgresClientLike, fn: string): SqlEngine {
  const asText = { getTypeParser: () => (text: string) => text };
  return {
    dialect: 'postgres',
    label: 'PostgreSQL',
    async run(sql) {
      let result: Awaited<ReturnType<PostgresClientLike['query']>>;
      try {
        result = await client.query({ text: sql, rowMode: 'array', queryMode: 'extended', types: asText });
      } catch (e) {
        if (isClienteleError(e)) throw e;
        throw refused('PostgreSQL', fn, e);
      }
      const names = result.fields.map((f) => f.name);
      const types = result.fields.map((f) => PG_TYPES[f.dataTypeID] ?? `OID ${f.dataTypeID}`);
      const columns = names.map((_, j) => result.rows.map((row) => postgresValue(row[j], types[j])));
      return { names, types, columns };
    },
  };
}

function runnerEngine(runner: SqlRunner, fn: string): SqlEngine {
  return {
    dialect: runner.dialect,
    label: runner.dialect,
    async run(sql) {
      let rows: readonly Record<string, unknown>[];
      try {
        rows = await runner.run(sql);
      } catch (e) {
        if (isClienteleError(e)) throw e;
        throw refused(`the ${runner.dialect} runner`, fn, e);
      }
      if (!Array.isArray(rows)) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: the runner's run(sql) must resolve to an array of row objects (found ${describeValue(rows)})`,
        );
      }
      const names = rows.length === 0 ? [] : Object.keys(rows[0]);
      const columns = names.map((name) => rows.map((row) => (row[name] === undefined ? null : row[name])));
      const dated = columns.map((values) =>
        values.some((v) => v instanceof Date) ? values.map((v) => (v === null ? null : epochDayOf(v))) : values,
      );
      return { names, types: names.map(() => ''), columns: dated };
    },
  };
}

/**
 * The engine behind a connection: a DuckDB connection (it has `runAndReadAll`), a PostgreSQL client or pool (it
 * has `query`), or a {@link SqlRunner} (`{ dialect, run }`).
 *
 * @throws {ClienteleError} `INVALID_INPUT` for anything else
 */
export function sqlEngine(connection: unknown, fn: string): SqlEngine {
  const c = connection as Record<string, unknown> | null;
  if (c !== null && typeof c === 'object') {
    if (typeof c.runAndReadAll === 'function') return duckdbEngine(c as unknown as DuckDBConnectionLike, fn);
    if (typeof c.run === 'function' && SQL_DIALECTS.includes(c.dialect as SqlDialect)) {
      return runnerEngine(c as unknown as SqlRunner, fn);
    }
    if (typeof c.query === 'function') return postgresEngine(c as unknown as PostgresClientLike, fn);
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the connection is not one clientele can run SQL on (found ${describeValue(connection)}); pass a ` +
      `DuckDBConnection from (await DuckDBInstance.create()).connect() of @duckdb/node-api, a pg Client or Pool, ` +
      `or a runner { dialect: 'spark' | 'bigquery' | …, run: async (sql) => rows }`,
  );
}
