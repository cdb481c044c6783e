import { CALENDAR, checkPeriodEnd, periodIndex } from '../clv/internal';
import type { CalendarPeriod } from '../clv/internal';
import { RETURNS } from '../kernels/internal';
import { ClienteleError, describeValue, isoDate, optionValue, toEpochDay } from '../table/internal';
import { withClause } from './with-clause';
import type { AdmissionRule } from './drop-counts';
import { numberOf } from './engine';
import type { SqlEngine } from './engine';
import { columnName, tableSource } from './names';
import { placeSource } from './options';
import type { SqlAnalysis, SqlContext, ToSqlOptions } from './options';

// The Fader–Hardie summary of summaryFromTransactions as SQL, and what the CLV fits read of it: the per-customer
// summary ('clvSummary'), its distinct (x, t_x, T) patterns with their customers ('clvPatterns'), the distinct
// (x, z̄) of the customers Gamma-Gamma uses ('spendPatterns'), and the summary joined to per-pattern scores
// computed in-process ('clvScores').

/** The CLV analyses of toSql. */
export type ClvAnalysis = 'clvSummary' | 'clvPatterns' | 'spendPatterns' | 'clvScores';

const CLV_ANALYSES: readonly SqlAnalysis[] = ['clvSummary', 'clvPatterns', 'spendPatterns', 'clvScores'];

const UNIT_DAYS = { day: 1, week: 7 } as const;

/**
 * The time scale and the ends of a CLV summary, checked as summaryFromTransactions checks them: days (or period
 * indices with `calendar`) per unit, the unit written in `clientele.unit`, the ends as epoch days (undefined when
 * not given) and what the rows are cut at (the holdout end, else the calibration end).
 */
interface ClvScale {
  readonly calendar: CalendarPeriod | undefined;
  readonly per: number;
  readonly unit: string;
  readonly calibrationEnd: number | undefined;
  readonly holdoutEnd: number | undefined;
  readonly end: number | undefined;
  readonly returns: 'keep' | 'exclude';
}

/** The options of a CLV analysis, checked. @throws {ClienteleError} `INVALID_OPTION`, `INVALID_VALUE` */
function clvScale(ctx: SqlContext): ClvScale {
  const { options, fn } = ctx;
  const unit = options.unit ?? 'week';
  if (unit !== 'day' && unit !== 'week') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit must be 'day' or 'week' (found ${describeValue(unit)}); for calendar periods use option calendar`,
    );
  }
  const calendar = options.calendar === undefined ? undefined : optionValue(options, 'calendar', CALENDAR, fn);
  if (calendar !== undefined && options.unit !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option unit and option calendar were both given (found unit ${describeValue(options.unit)}, calendar ` +
        `${describeValue(calendar)}); keep option unit for continuous time, or option calendar for calendar periods`,
    );
  }
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const day = (name: 'calibrationEnd' | 'holdoutEnd') =>
    options[name] === undefined || options[name] === null ? undefined : toEpochDay(options[name], fn, name);
  const calibrationEnd = day('calibrationEnd');
  const holdoutEnd = day('holdoutEnd');
  if (holdoutEnd !== undefined && !(calibrationEnd !== undefined && holdoutEnd >= calibrationEnd)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: holdoutEnd (${isoDate(holdoutEnd)}) is before calibrationEnd` +
        `${calibrationEnd === undefined ? ' (not given)' : ` (${isoDate(calibrationEnd)})`}; give a calibrationEnd before the holdoutEnd`,
    );
  }
  if (holdoutEnd !== undefined && calendar !== undefined) checkPeriodEnd(calibrationEnd!, calendar, fn);
  return {
    calendar,
    per: calendar === undefined ? UNIT_DAYS[unit] : 1,
    unit: calendar === undefined ? unit : calendar === 'day' ? 'day' : `calendar ${calendar}`,
    calibrationEnd,
    holdoutEnd,
    end: holdoutEnd ?? calibrationEnd,
    returns,
  };
}

/** The period index of a kept row in SQL (`tday`: its epoch day, `dt`: its DATE), as periodIndex in-process. */
function periodSql(ctx: SqlContext, calendar: CalendarPeriod | undefined): string {
  const { d } = ctx;
  switch (calendar) {
    case undefined:
    case 'day':
      return 'tday';
    case 'week':
      // ⌊(d + 3) / 7⌋: Monday–Sunday weeks; the double quotient of two integers below 2^31 floors exactly
      return `CAST(FLOOR(CAST(tday + 3 AS ${d.double}) / 7) AS ${d.int})`;
    case 'month':
      return d.monthIndex('dt');
    case 'quarter':
      return d.intDiv(d.monthIndex('dt'), '3');
    case 'year':
      return d.intDiv(d.monthIndex('dt'), '12');
    default: {
      const never: never = calendar;
      return never;
    }
  }
}

/**
 * `tx` (the rows with a customer, a date and an amount) and `kept` (cust, tday, p: the period, amt): the rows
 * summaryFromTransactions keeps — a finite amount, a day on or before the last end asked for, and no return with
 * `returns: 'exclude'`.
 */
function keptCtes(ctx: SqlContext, s: ClvScale): [string, string][] {
  const { d } = ctx;
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const amount = ctx.column('amount');
  const dated = s.calendar === 'month' || s.calendar === 'quarter' || s.calendar === 'year';
  const keep = [`NOT (${d.inadmissible('amt')})`];
  if (s.end !== undefined) keep.push(`tday <= ${s.end}`);
  if (s.returns === 'exclude') keep.push('amt >= 0');
  return [
    [
      'tx',
      `SELECT ${customer} AS cust, ${d.epochDay(`CAST(${date} AS DATE)`)} AS tday, ` +
        `${dated ? `CAST(${date} AS DATE) AS dt, ` : ''}CAST(${amount} AS ${d.double}) AS amt\n` +
        `FROM ${ctx.source} AS src\n` +
        `WHERE ${customer} IS NOT NULL AND ${date} IS NOT NULL AND ${amount} IS NOT NULL`,
    ],
    ['kept', `SELECT cust, tday, ${periodSql(ctx, s.calendar)} AS p, amt FROM tx\nWHERE ${keep.join(' AND ')}`],
  ];
}

/**
 * The CTEs of the per-customer summary: kept rows, `ref` (cal_p, hold_p: the ends' periods), `purchases` (one row
 * per customer and purchase day or period, its value the sum of its rows), `histories` (first_p, the first
 * purchase's period), and `summary` (cust, frequency, recency, t_age, monetary, and with a holdout frequency_h,
 * monetary_h, duration_h) of the customers acquired by the calibration end.
 */
function summaryCtes(ctx: SqlContext, s: ClvScale): [string, string][] {
  const { d } = ctx;
  const ctes = keptCtes(ctx, s);
  const ends = [
    s.calibrationEnd === undefined
      ? 'MAX(p) AS cal_p' // the period of the last kept day: periods grow with days
      : `${s.calendar === undefined ? s.calibrationEnd : periodIndex(s.calibrationEnd, s.calendar)} AS cal_p`,
  ];
  if (s.holdoutEnd !== undefined)
    ends.push(`${s.calendar === undefined ? s.holdoutEnd : periodIndex(s.holdoutEnd, s.calendar)} AS hold_p`);
  ctes.push(['ref', `SELECT ${ends.join(', ')}${s.calibrationEnd === undefined ? ' FROM kept' : ''}`]);
  ctes.push(['purchases', `SELECT cust, p, ${d.sum('amt')} AS value\nFROM kept\nGROUP BY cust, p`]);
  ctes.push(['histories', 'SELECT cust, p, value, MIN(p) OVER (PARTITION BY cust) AS first_p\nFROM purchases']);
  const repeat = 'p > first_p AND p <= cal_p';
  const holdout = s.holdoutEnd !== undefined;
  ctes.push([
    'walked',
    'SELECT cust, first_p, cal_p,\n' +
      `  COUNT(CASE WHEN ${repeat} THEN 1 END) AS x,\n` +
      '  MAX(CASE WHEN p <= cal_p THEN p END) AS last_p,\n' +
      `  ${d.sum(`CASE WHEN ${repeat} THEN value END`)} AS x_value` +
      (holdout
        ? ',\n  COUNT(CASE WHEN p > cal_p THEN 1 END) AS x_h,\n' +
          `  ${d.sum('CASE WHEN p > cal_p THEN value END')} AS x_h_value`
        : '') +
      '\nFROM histories CROSS JOIN ref\nWHERE first_p <= cal_p\nGROUP BY cust, first_p, cal_p',
  ]);
  const time = (x: string) => `CAST(${x} AS ${d.double})${s.per === 1 ? '' : ` / ${s.per}`}`;
  const mean = (sum: string, n: string) => `CASE WHEN ${n} > 0 THEN ${sum} / ${n} ELSE CAST(0 AS ${d.double}) END`;
  const columns = [
    'cust',
    `CAST(x AS ${d.double}) AS frequency`,
    `${time('last_p - first_p')} AS recency`,
    `${time('cal_p - first_p')} AS t_age`,
    `${mean('x_value', 'x')} AS monetary`,
  ];
  if (holdout) {
    columns.push(
      `CAST(x_h AS ${d.double}) AS frequency_h`,
      `${mean('x_h_value', 'x_h')} AS monetary_h`,
      `${time('hold_p - cal_p')} AS duration_h`,
    );
  }
  // walked carries cal_p; hold_p comes from ref
  const from = holdout ? 'walked CROSS JOIN (SELECT hold_p FROM ref) AS hold' : 'walked';
  ctes.push(['summary', `SELECT ${columns.join(',\n  ')}\nFROM ${from}`]);
  return ctes;
}

/** The summary's output columns in summaryFromTransactions' names, over a summary row source aliased `alias`. */
function summaryColumns(ctx: SqlContext, s: ClvScale, alias = ''): string[] {
  const q = ctx.d.ident;
  const a = alias ? `${alias}.` : '';
  const columns = [
    `${a}cust AS ${q('customer')}`,
    `${a}frequency AS ${q('frequency')}`,
    `${a}recency AS ${q('recency')}`,
    `${a}t_age AS ${q('T')}`,
    `${a}monetary AS ${q('monetary')}`,
  ];
  if (s.holdoutEnd !== undefined) {
    columns.push(
      `${a}frequency_h AS ${q('frequencyHoldout')}`,
      `${a}monetary_h AS ${q('monetaryHoldout')}`,
      `${a}duration_h AS ${q('durationHoldout')}`,
    );
  }
  return columns;
}

/** clvSummary: summaryFromTransactions' table, one row per customer, in customer key order. */
export function clvSummarySql(ctx: SqlContext): string {
  const s = clvScale(ctx);
  return `${withClause(summaryCtes(ctx, s))}\nSELECT ${summaryColumns(ctx, s).join(',\n  ')}\nFROM summary\nORDER BY cust ASC`;
}

/** clvPatterns: the distinct (frequency, recency, T) of the summary with their customers, in pattern order. */
export function clvPatternsSql(ctx: SqlContext): string {
  const s = clvScale(ctx);
  const q = ctx.d.ident;
  return (
    `${withClause(summaryCtes(ctx, s))}\n` +
    `SELECT frequency AS ${q('frequency')}, recency AS ${q('recency')}, t_age AS ${q('T')}, COUNT(*) AS ${q('count')}\n` +
    'FROM summary\nGROUP BY frequency, recency, t_age\nORDER BY frequency ASC, recency ASC, t_age ASC'
  );
}

/**
 * spendPatterns: the distinct (frequency, monetary) of the customers fitGammaGamma keeps (x > 0 and a finite
 * z̄ > 0: not noRepeat, zeroMonetary or invalidMonetary) with their customers, in pattern order.
 */
export function spendPatternsSql(ctx: SqlContext): string {
  const s = clvScale(ctx);
  const { d } = ctx;
  const q = d.ident;
  return (
    `${withClause(summaryCtes(ctx, s))}\n` +
    `SELECT frequency AS ${q('frequency')}, monetary AS ${q('monetary')}, COUNT(*) AS ${q('count')}\n` +
    `FROM summary\nWHERE frequency > 0 AND monetary > 0 AND NOT (${d.inadmissible('monetary')})\n` +
    'GROUP BY frequency, monetary\nORDER BY frequency ASC, monetary ASC'
  );
}

/** The columns of a CLV result, in order, with their Arrow types: those of summaryFromTransactions (doubles). */
export function clvColumns(analysis: ClvAnalysis, options: ToSqlOptions): [string, 'key' | 'float64'][] {
  const double = (names: string[]) => names.map((n): [string, 'float64'] => [n, 'float64']);
  switch (analysis) {
    case 'clvPatterns':
      return double(['frequency', 'recency', 'T', 'count']);
    case 'spendPatterns':
      return double(['frequency', 'monetary', 'count']);
    case 'clvSummary':
    case 'clvScores': {
      const names = ['frequency', 'recency', 'T', 'monetary'];
      if (options.holdoutEnd !== undefined && options.holdoutEnd !== null)
        names.push('frequencyHoldout', 'monetaryHoldout', 'durationHoldout');
      if (analysis === 'clvScores') names.push(...scoreColumnsOf(options, 'runSql'));
      return [['customer', 'key'], ...double(names)];
    }
    default: {
      const never: never = analysis;
      return never;
    }
  }
}

/**
 * The score table and columns of clvScores, checked: a table name (not a sub-query) and one or more plain column
 * names that are not the summary's own. @throws {ClienteleError} `INVALID_OPTION`
 */
function scoreColumnsOf(options: ToSqlOptions, fn: string): readonly string[] {
  const names = options.scoreColumns;
  const taken = ['customer', 'frequency', 'recency', 'T', 'monetary', 'frequencyHoldout', 'monetaryHoldout'];
  taken.push('durationHoldout');
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.some((n, k) => typeof n !== 'string' || taken.includes(n) || names.indexOf(n) !== k)
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option scoreColumns must list the score table's columns to bring to each customer, each once and none ` +
        `of the summary's own (found ${describeValue(names)}); e.g. scoreColumns: ['probabilityAlive']`,
    );
  }
  return names as readonly string[];
}

/** The scores option: a table name (never a sub-query), quoted. @throws {ClienteleError} `INVALID_OPTION` */
function scoresTable(ctx: SqlContext): string {
  const { d, fn, options } = ctx;
  const scores = options.scores;
  try {
    if (typeof scores === 'string' && !scores.trimStart().startsWith('(')) return tableSource(d, scores, fn);
  } catch {
    // the same refusal, with this option's name, below
  }
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option scores must name the table of per-pattern scores, 'name', 'schema.name' or ` +
      `'project.dataset.name' with letters, digits, _, $, - and inner spaces (found ${describeValue(scores)}); load ` +
      `the predictions made on the clvPatterns table into the engine and pass its name, e.g. scores: 'clv_scores'`,
  );
}

/**
 * clvScores: the per-customer summary with the columns `scoreColumns` of the table `scores`, joined on the
 * customer's (frequency, recency, T) pattern (NULL where the pattern has no row), in customer key order.
 */
export function clvScoresSql(ctx: SqlContext): string {
  const s = clvScale(ctx);
  const { d, fn, options } = ctx;
  const q = d.ident;
  const scores = scoresTable(ctx);
  const picked = scoreColumnsOf(options, fn).map((n) => `sc.${columnName(d, n, fn, 'scoreColumns')} AS ${q(n)}`);
  const on = [`sc.${q('frequency')} = s.frequency`, `sc.${q('recency')} = s.recency`, `sc.${q('T')} = s.t_age`];
  return (
    `${withClause(summaryCtes(ctx, s))}\n` +
    `SELECT ${[...summaryColumns(ctx, s, 's'), ...picked].join(',\n  ')}\n` +
    `FROM summary AS s\nLEFT JOIN ${scores} AS sc ON ${on.join(' AND ')}\nORDER BY s.cust ASC`
  );
}

/**
 * The admission rules of summaryFromTransactions in its order (customerRows): nullCustomer, invalidDate,
 * invalidAmount (null, NaN, ±Infinity), afterAsOf (a day after the holdout end, else the calibration end, when
 * given), negativeAmount (with `returns: 'exclude'`).
 */
export function clvAdmissionRules(ctx: SqlContext): readonly AdmissionRule[] {
  const { d } = ctx;
  const s = clvScale(ctx);
  const customer = ctx.column('customer');
  const date = ctx.column('date');
  const amount = ctx.column('amount');
  const value = `CAST(${amount} AS ${d.double})`;
  const rules: AdmissionRule[] = [
    { reason: 'nullCustomer', dropped: `${customer} IS NULL` },
    { reason: 'invalidDate', dropped: `${date} IS NULL` },
    { reason: 'invalidAmount', dropped: `${amount} IS NULL OR ${d.inadmissible(value)}` },
  ];
  if (s.end !== undefined)
    rules.push({ reason: 'afterAsOf', dropped: `${d.epochDay(`CAST(${date} AS DATE)`)} > ${s.end}` });
  if (s.returns === 'exclude') rules.push({ reason: 'negativeAmount', dropped: `${value} < 0` });
  return rules;
}

/**
 * The schema metadata of a CLV result, as summaryFromTransactions writes it: `clientele.kind` 'clvSummary' (so the
 * fits and predictions take the table, per customer or per pattern), `clientele.unit`, `clientele.calibrationEnd`,
 * `clientele.holdoutEnd` and `clientele.acquiredLater` (customers first seen after the calibration end). The
 * calibration end when not given (the last kept day) and acquiredLater when it is given come from one more
 * statement. Empty for the other analyses, which run nothing more.
 */
export async function clvMetadata(
  engine: SqlEngine,
  analysis: SqlAnalysis,
  ctx: SqlContext,
): Promise<Record<string, string>> {
  if (!CLV_ANALYSES.includes(analysis)) return {};
  const s = clvScale(ctx);
  const q = ctx.d.ident;
  const ctes = withClause(keptCtes(ctx, s));
  const facts =
    s.calibrationEnd === undefined
      ? `${ctes}\nSELECT MAX(tday) AS ${q('last_day')} FROM kept`
      : `${ctes}\nSELECT COUNT(*) AS ${q('acquired_later')}\nFROM (SELECT cust FROM kept GROUP BY cust HAVING MIN(p) > ` +
        `${s.calendar === undefined ? s.calibrationEnd : periodIndex(s.calibrationEnd, s.calendar)}) AS later`;
  const rows = await engine.run(placeSource(facts, ctx));
  const cell = (name: string) => rows.columns[rows.names.indexOf(name)]?.[0] ?? null;
  const metadata: Record<string, string> = { 'clientele.kind': 'clvSummary', 'clientele.unit': s.unit };
  const lastDay = cell('last_day');
  const calibrationEnd = s.calibrationEnd ?? (lastDay === null ? undefined : numberOf(lastDay));
  if (calibrationEnd !== undefined) metadata['clientele.calibrationEnd'] = isoDate(calibrationEnd);
  metadata['clientele.acquiredLater'] = String(s.calibrationEnd === undefined ? 0 : numberOf(cell('acquired_later')));
  if (s.holdoutEnd !== undefined) metadata['clientele.holdoutEnd'] = isoDate(s.holdoutEnd);
  return metadata;
}
