import type { CalendarPeriod, RetentionPeriod } from '../clv/internal';
import type { SegmentMap } from '../rfm/internal';
import { ClienteleError, describeValue, knownOptions, toEpochDay } from '../table/internal';
import { dialectOf } from './dialect';
import type { Dialect, SqlDialect } from './dialect';
import { columnName, tableSource } from './names';

/** The analyses `toSql` compiles. */
export type SqlAnalysis =
  | 'customerSummary'
  | 'rfm'
  | 'abc'
  | 'retentionCurve'
  | 'basketPairs'
  | 'clvSummary'
  | 'clvPatterns'
  | 'spendPatterns'
  | 'clvScores';

/** Every analysis, in the order error messages list them. */
export const SQL_ANALYSES: readonly SqlAnalysis[] = Object.freeze([
  'customerSummary',
  'rfm',
  'abc',
  'retentionCurve',
  'basketPairs',
  'clvSummary',
  'clvPatterns',
  'spendPatterns',
  'clvScores',
] as const);

/** Column names of the source table; each analysis reads the ones it needs, with the in-process defaults. */
export interface SqlColumns {
  /** Customer keys (customerSummary, rfm, retentionCurve; abc's default key). Default `'customer'`. */
  customer?: string;
  /** Transaction dates, a DATE or TIMESTAMP column (customerSummary, rfm, retentionCurve). Default `'date'`. */
  date?: string;
  /** Transaction amounts (customerSummary, rfm; abc's default value). Default `'amount'`. */
  amount?: string;
  /** Basket ids (basketPairs). Default `'transaction'`. */
  transaction?: string;
  /** Items (basketPairs). Default `'item'`. */
  item?: string;
  /** The key abc classifies. Default `columns.customer`, else `'customer'`. */
  key?: string;
  /** The value abc sums per key. Default `columns.amount`, else `'amount'`. */
  value?: string;
}

/** Options of {@link toSql}: where the data is, which dialect, and the options of the analysis compiled. */
export interface ToSqlOptions {
  /** A table name (`name`, `schema.name`, `project.dataset.name`), or a sub-query in parentheses. */
  table: string;
  /** Default `'duckdb'`. */
  dialect?: SqlDialect;
  /** Column names (see {@link SqlColumns}). */
  columns?: SqlColumns;
  /** customerSummary, rfm: the reference day (a `Date` or an ISO date); default the day after the last transaction. */
  asOf?: string | Date;
  /**
   * customerSummary, rfm: `'exclude'` rows with a negative amount (default, as in-process: `RETURNS`) or `'keep'`
   * them. Line-item logs (`transaction`, `quantity`, `price` of `customerSummary`) are not compiled to SQL: those
   * column options are refused (`INVALID_OPTION`); fold the lines into orders in the query given as `table`.
   */
  returns?: 'keep' | 'exclude';
  /** rfm: score levels, 2–20. Default 5. */
  bins?: number;
  /** rfm: fixed interior breaks for some or all of the axes (the others use quantiles), as `rfm`'s `breaks`. */
  breaks?: { recency?: readonly number[]; frequency?: readonly number[]; monetary?: readonly number[] };
  /** rfm: the segment map (default the standard eleven segments); `false` leaves the `segment` column out. */
  segments?: SegmentMap | false;
  /** abc: ascending cumulative-share cut-offs in (0, 1]. Default [0.8, 0.95]. */
  cutoffs?: readonly number[];
  /** retentionCurve: `'month'` (default), `'quarter'` or `'year'`. */
  period?: RetentionPeriod;
  /** basketPairs: smallest support, a share of baskets in (0, 1]; a pair is kept when count ≥ minSupport · baskets. */
  minSupport?: number;
  /** basketPairs: smallest count instead (overrides minSupport). Default 1 when neither is given. */
  minCount?: number;
  /** clvSummary, clvPatterns, spendPatterns, clvScores: `'week'` (default) or `'day'`, as `summaryFromTransactions`. */
  unit?: 'day' | 'week';
  /** clv analyses: count purchases in UTC calendar periods instead (`'day'`, `'week'`, `'month'`, `'quarter'`, `'year'`). */
  calendar?: CalendarPeriod;
  /** clv analyses: last day of the calibration period (inclusive; a Date, ISO text or yyyymmdd). Default the last day. */
  calibrationEnd?: Date | string | number;
  /** clv analyses: last day of the holdout period (inclusive); adds the three holdout columns (clvSummary, clvScores). */
  holdoutEnd?: Date | string | number;
  /** clvScores: the table of per-pattern scores, one row per (`frequency`, `recency`, `T`) with the score columns; a name. */
  scores?: string;
  /** clvScores: the columns of `scores` to bring to each customer (doubles). */
  scoreColumns?: readonly string[];
}

/**
 * Where the FROM source stands in the text a builder writes: the builders indent their CTEs, which must not touch
 * the user's sub-query (a newline inside one of its string literals is data), so the source goes in last
 * ({@link placeSource}). No user text reaches the SQL with a NUL, so this cannot collide.
 */
export const SOURCE_MARK = '\0source\0';

/** The builder's text with the source in place of its mark. */
export function placeSource(sql: string, ctx: SqlContext): string {
  return sql.split(SOURCE_MARK).join(ctx.sourceText);
}

/** What every query builder receives: the dialect, the quoted source, and a column resolver. */
export interface SqlContext {
  readonly d: Dialect;
  /** The FROM source's mark, replaced by {@link placeSource} once the text is built. */
  readonly source: string;
  /** The FROM source: a quoted table path, or the user's sub-query exactly as given (trimmed). */
  readonly sourceText: string;
  readonly options: ToSqlOptions;
  readonly fn: string;
  /** The quoted name of column `option`, with its default. */
  column(option: keyof SqlColumns): string;
}

/** The options each analysis reads (after table, dialect and columns); any other name is refused with a did-you-mean. */
const ANALYSIS_OPTIONS: Readonly<Record<SqlAnalysis, readonly (keyof ToSqlOptions)[]>> = Object.freeze({
  customerSummary: ['asOf', 'returns'],
  rfm: ['asOf', 'returns', 'bins', 'breaks', 'segments'],
  abc: ['cutoffs'],
  retentionCurve: ['period'],
  basketPairs: ['minSupport', 'minCount'],
  clvSummary: ['returns', 'unit', 'calendar', 'calibrationEnd', 'holdoutEnd'],
  clvPatterns: ['returns', 'unit', 'calendar', 'calibrationEnd', 'holdoutEnd'],
  spendPatterns: ['returns', 'unit', 'calendar', 'calibrationEnd', 'holdoutEnd'],
  clvScores: ['returns', 'unit', 'calendar', 'calibrationEnd', 'holdoutEnd', 'scores', 'scoreColumns'],
});

/** The column options each analysis reads. */
const ANALYSIS_COLUMNS: Readonly<Record<SqlAnalysis, readonly (keyof SqlColumns)[]>> = Object.freeze({
  customerSummary: ['customer', 'date', 'amount'],
  rfm: ['customer', 'date', 'amount'],
  abc: ['key', 'value', 'customer', 'amount'],
  retentionCurve: ['customer', 'date'],
  basketPairs: ['transaction', 'item'],
  clvSummary: ['customer', 'date', 'amount'],
  clvPatterns: ['customer', 'date', 'amount'],
  spendPatterns: ['customer', 'date', 'amount'],
  clvScores: ['customer', 'date', 'amount'],
});

const COLUMN_DEFAULTS: Required<Omit<SqlColumns, 'key' | 'value'>> = {
  customer: 'customer',
  date: 'date',
  amount: 'amount',
  transaction: 'transaction',
  item: 'item',
};

/** Validates the options every analysis shares. @throws {ClienteleError} `INVALID_OPTION` */
export function sqlContext(analysis: unknown, options: ToSqlOptions, fn: string): SqlContext {
  if (!SQL_ANALYSES.includes(analysis as SqlAnalysis)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: unknown analysis (found ${describeValue(analysis)}); pass one of ${SQL_ANALYSES.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with a table (found ${describeValue(options)}); e.g. { table: 'transactions' }`,
    );
  }
  const which = `${fn}('${analysis as SqlAnalysis}')`;
  options = knownOptions(options, ['table', 'dialect', 'columns', ...ANALYSIS_OPTIONS[analysis as SqlAnalysis]], which);
  const d = dialectOf(options.dialect ?? 'duckdb', fn);
  const sourceText = tableSource(d, options.table, fn);
  const given = options.columns;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option columns must be an object of column names (found ${describeValue(options.columns)})`,
    );
  }
  const columns: SqlColumns = knownOptions(
    options.columns,
    ANALYSIS_COLUMNS[analysis as SqlAnalysis],
    `${which} columns`,
  );
  const column = (option: keyof SqlColumns): string => {
    const fallback =
      option === 'key'
        ? (columns.customer ?? 'customer')
        : option === 'value'
          ? (columns.amount ?? 'amount')
          : COLUMN_DEFAULTS[option];
    return columnName(d, columns[option] ?? fallback, fn, option);
  };
  return { d, source: SOURCE_MARK, sourceText, options, fn, column };
}

/** The asOf option as an epoch day, or undefined. @throws {ClienteleError} `INVALID_VALUE` */
export function asOfDay(options: ToSqlOptions, fn: string): number | undefined {
  const asOf = options.asOf;
  if (asOf === undefined || asOf === null) return undefined;
  if (!(asOf instanceof Date) && typeof asOf !== 'string') {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: option asOf must be a Date or an ISO date string (found ${describeValue(asOf)}); e.g. '2024-07-01'`,
    );
  }
  return toEpochDay(asOf, fn, 'asOf');
}
