import type { DateDay, Float64, Int32, Table } from 'apache-arrow';
import {
  asTable,
  checkDateUnit,
  ClienteleError,
  dateDayVector,
  daysFromCivil,
  describeValue,
  DropCounter,
  isoDate,
  knownOptions,
  META,
  NO_DATE,
  numberVector,
  oneOfRule,
  optionNames,
  optionValue,
  readDates,
  readKeys,
  readNumeric,
  tableWithMetadata,
} from '../table/internal';
import type { DateUnit } from '../table/internal';

/** The calendar period of a retention curve (UTC calendar months, quarters starting in January, April, July, October, or years). */
export type RetentionPeriod = 'month' | 'quarter' | 'year';

/** Options of {@link retentionCurve}. */
export interface RetentionCurveOptions {
  /** Column of customer keys. Default `'customer'`. */
  customer?: string;
  /** Column of transaction dates. Default `'date'`. */
  date?: string;
  /** The period cohorts and activity are counted in. Default `'month'`. */
  period?: RetentionPeriod;
  /** How plain numbers in the date column are read. Default `'yyyymmdd'`. */
  dateUnit?: DateUnit;
}

/** Options of {@link averageRetention}. */
export interface AverageRetentionOptions {
  /** Use only the first `periods` period-to-period steps (offsets 0 → 1 … periods − 1 → periods). Default: all. */
  periods?: number;
}

const DEFAULTS = { customer: 'customer', date: 'date' } as const; // period: RETENTION_PERIOD's fallback

/**
 * The calendar periods of a retention curve, as a rule of the one option validator, and the months in each: shared by
 * `retentionCurve` and `toSql('retentionCurve')`, so both accept the same periods and count them alike.
 */
export const RETENTION_PERIOD = oneOfRule(
  ['month', 'quarter', 'year'] as const,
  'month',
  "pass e.g. { period: 'month' }",
);
export const MONTHS_PER_PERIOD: Readonly<Record<RetentionPeriod, number>> = Object.freeze({
  month: 1,
  quarter: 3,
  year: 12,
});

/**
 * The month of an epoch day, counted from January 1970 (0) in the proleptic Gregorian calendar (UTC): the
 * inverse of `daysFromCivil` for day 1 of a month. Hinnant's `civil_from_days`, exact for all years.
 */
function monthOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // day of era, 0 … 146096
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // day of the year starting 1 March
  const mp = Math.floor((5 * doy + 2) / 153); // month starting March = 0
  const month = mp < 10 ? mp + 3 : mp - 9; // 1 … 12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (year - 1970) * 12 + month - 1;
}

/** The epoch day of the first day of month `m` (counted from January 1970). */
function firstDayOfMonth(m: number): number {
  const years = Math.floor(m / 12);
  return daysFromCivil(1970 + years, m - years * 12 + 1, 1);
}

/** The options retentionCurve takes; every other name is refused with a did-you-mean. */
const RETENTION_CURVE_OPTION_NAMES = optionNames<RetentionCurveOptions>({
  customer: true,
  date: true,
  period: true,
  dateUnit: true,
});

/** The columns of `retentionCurve`: one row per cohort (its first day) and period offset. */
export type RetentionCurveColumns = {
  cohort: DateDay;
  offset: Int32;
  customers: Int32;
  active: Int32;
  retention: Float64;
};

/**
 * The cohort retention curve of a transaction log: customers grouped by the period of their first purchase, and
 * for each cohort and each later period how many of them bought again.
 *
 * Use it to see whether newer cohorts keep customers better than older ones, where the curve flattens (the loyal
 * core), and to estimate the retention rate that `clv.retention` needs (see {@link averageRetention}).
 *
 * Definitions: a customer's cohort is the calendar period (UTC month, quarter or year) of their first kept
 * transaction; the customer is active in a period when they have at least one kept transaction in it. For cohort
 * c and offset k = 0, 1, 2, …: `customers` = cohort size, `active` = customers of the cohort active in period
 * c + k, `retention` = active / customers (so offset 0 has retention 1). This is activity retention: a customer
 * who skips a period and comes back counts again when they come back. Offsets run up to the last period with a
 * kept transaction in the whole log, so each cohort has one row per period it could be observed in (a cohort that
 * started later has fewer rows); that last period counts as observed even if the log ends part-way through it.
 * Periods in which a cohort has no active customer are rows with `active` 0; periods without new customers have
 * no cohort.
 *
 * Output: an Arrow table in long form, sorted by cohort then offset: `cohort` (Date32, the first day of the
 * cohort's period), `offset` (Int32, periods since the cohort's period), `customers`, `active` (Int32),
 * `retention` (Float64, in [0, 1]). Rows with a null customer or an unreadable date are dropped and counted in the
 * schema metadata (`droppedRows`); `clientele.period` and `clientele.lastPeriod` (ISO date) record the periods.
 *
 * Cost: O(n + customers + cohorts × periods) time: one pass to find each customer's cohort, a counting sort of
 * the rows by period, one pass to count each customer once per active period; all over typed arrays.
 *
 * Reference: cohort (life-table) analysis of customer retention, as in P. S. Fader & B. G. S. Hardie (2007), "How
 * to project customer retention", Journal of Interactive Marketing 21(1), 76–90 (customers of a cohort still
 * active period by period).
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts
 * @param options column names (defaults `customer`, `date`), `period` (default `'month'`), `dateUnit`
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `EMPTY_INPUT`
 * @example
 * const curve = retentionCurve({
 *   customer: ['a', 'a', 'b', 'b', 'c'],
 *   date: ['2024-01-05', '2024-02-10', '2024-01-20', '2024-03-01', '2024-02-02'],
 * });
 * curve.getChild('offset')?.toArray(); // Int32Array [0, 1, 2, 0, 1]
 * curve.getChild('active')?.toArray(); // Int32Array [2, 1, 1, 1, 0]
 * curve.getChild('retention')?.toArray(); // Float64Array [1, 0.5, 0.5, 1, 0]
 * new Date(curve.getChild('cohort')?.get(3)).toISOString().slice(0, 10); // '2024-02-01'
 */
export function retentionCurve(tx: unknown, options: RetentionCurveOptions = {}): Table<RetentionCurveColumns> {
  options = knownOptions(options, RETENTION_CURVE_OPTION_NAMES, 'retentionCurve');
  const fn = 'retentionCurve';
  const table = asTable(tx);
  const o = { ...DEFAULTS, ...options };
  const dateUnit = checkDateUnit(o.dateUnit, fn);
  const period = optionValue(options, 'period', RETENTION_PERIOD, fn);
  const width = MONTHS_PER_PERIOD[period];
  const keys = readKeys(table, o.customer, fn, 'customer');
  const dates = readDates(table, o.date, fn, 'date', dateUnit);
  const n = table.numRows;
  if (n === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the transaction table has no rows; pass at least one transaction`);
  const kept = rowPeriods(keys.codes, dates.days, n, keys.size, width, fn);
  const layout = cohortLayout(kept);
  const active = countActive(keys.codes, dates.days, n, kept, layout);
  return curveTable(kept, layout, active, width, period, n);
}

/** The period of every kept row (counted in periods of `width` months from January 1970), each customer's first. */
interface RowPeriods {
  readonly period: Int32Array;
  /** Per customer, the first period with a kept row (the cohort); 2³¹ − 1 for a customer with none. */
  readonly first: Int32Array;
  /** The first and last period with a kept row. */
  readonly lo: number;
  readonly hi: number;
  readonly drops: DropCounter;
}

/** The cohorts (indexed by period − lo) and the output rows: offsets 0 … span − 1 − j of cohort j at rowStart[j]. */
interface CohortLayout {
  readonly span: number;
  /** Customers per cohort (0 for a period without new customers, which has no rows). */
  readonly size: Int32Array;
  readonly rowStart: Int32Array;
  readonly rows: number;
}

/** Pass 1: each kept row's period and each customer's first; drops and counts the rest. @throws `EMPTY_INPUT` */
function rowPeriods(
  codes: Int32Array,
  days: Int32Array,
  n: number,
  customers: number,
  width: number,
  fn: string,
): RowPeriods {
  const period = new Int32Array(n);
  const first = new Int32Array(customers).fill(2147483647);
  const drops = new DropCounter();
  let lo = 2147483647;
  let hi = -2147483648;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    const d = days[i];
    if (c < 0 || d === NO_DATE) {
      drops.drop(c < 0 ? 'nullCustomer' : 'invalidDate', i);
      continue;
    }
    const p = Math.floor(monthOfDay(d) / width);
    period[i] = p;
    if (p < first[c]) first[c] = p;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  if (drops.total === n) {
    const firstRow = (r: string) => drops.first[r as keyof typeof drops.first];
    const reasons = Object.entries(drops.counts).map(([r, k]) => `${r} ${k} (first row ${firstRow(r)})`);
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${reasons.join(', ')}); check the customer and date columns`,
    );
  }
  return { period, first, lo, hi, drops };
}

/** The cohort sizes and where each cohort's rows start in the output. */
function cohortLayout({ first, lo, hi }: RowPeriods): CohortLayout {
  const span = hi - lo + 1;
  const size = new Int32Array(span);
  for (let c = 0; c < first.length; c++) if (first[c] !== 2147483647) size[first[c] - lo]++;
  const rowStart = new Int32Array(span);
  let rows = 0;
  for (let j = 0; j < span; j++) {
    rowStart[j] = rows;
    if (size[j] > 0) rows += span - j;
  }
  return { span, size, rowStart, rows };
}

/** Pass 2: the active customers of every output row, each customer counted once per period in which they buy. */
function countActive(
  codes: Int32Array,
  days: Int32Array,
  n: number,
  { period, first, lo }: RowPeriods,
  layout: CohortLayout,
): Int32Array {
  const { span, rowStart } = layout;
  // counting sort of the kept rows by period, so that each customer's periods are met in order
  const start = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) if (codes[i] >= 0 && days[i] !== NO_DATE) start[period[i] - lo + 1]++;
  for (let j = 0; j < span; j++) start[j + 1] += start[j];
  const order = new Int32Array(start[span]);
  const fill = start.slice(0, span);
  for (let i = 0; i < n; i++) if (codes[i] >= 0 && days[i] !== NO_DATE) order[fill[period[i] - lo]++] = i;
  const active = new Int32Array(layout.rows);
  const lastSeen = new Int32Array(first.length).fill(-2147483648);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const c = codes[i];
    const p = period[i];
    if (lastSeen[c] === p) continue;
    lastSeen[c] = p;
    active[rowStart[first[c] - lo] + p - first[c]]++;
  }
  return active;
}

/** The long-form curve, one row per cohort and offset, with the period metadata and the dropped-row counts. */
function curveTable(
  kept: RowPeriods,
  layout: CohortLayout,
  active: Int32Array,
  width: number,
  period: RetentionPeriod,
  n: number,
): Table {
  const { lo, hi, drops } = kept;
  const { span, size, rowStart } = layout;
  const cohort = new Int32Array(layout.rows);
  const offset = new Int32Array(layout.rows);
  const customers = new Int32Array(layout.rows);
  const retention = new Float64Array(layout.rows);
  for (let j = 0; j < span; j++) {
    if (size[j] === 0) continue;
    const day = firstDayOfMonth((lo + j) * width);
    for (let k = 0, r = rowStart[j]; k < span - j; k++, r++) {
      cohort[r] = day;
      offset[r] = k;
      customers[r] = size[j];
      retention[r] = active[r] / size[j];
    }
  }
  return tableWithMetadata(
    {
      cohort: dateDayVector(cohort),
      offset: numberVector(offset),
      customers: numberVector(customers),
      active: numberVector(active),
      retention: numberVector(retention),
    },
    {
      [META.kind]: 'retentionCurve',
      'clientele.period': period,
      'clientele.lastPeriod': isoDate(firstDayOfMonth(hi * width)),
      ...drops.metadata(n),
    },
  );
}

/** The options averageRetention takes; every other name is refused with a did-you-mean. */
const AVERAGE_RETENTION_OPTION_NAMES = optionNames<AverageRetentionOptions>({ periods: true });

/**
 * The average period-to-period retention rate of a {@link retentionCurve}: the r to use in `clv.retention`.
 *
 * Use it to turn a cohort table into the one retention number of the closed-form CLV, with the same period
 * (monthly curve → monthly rate, to be used with monthly margins and a monthly discount rate).
 *
 * Formula: the customer-weighted mean of the step rates active(c, k + 1) / active(c, k), pooled over cohorts c and
 * offsets k: r̄ = Σ_c Σ_k active(c, k + 1) / Σ_c Σ_k active(c, k), over the steps k → k + 1 that the table holds for
 * that cohort — a right-censored (recent) cohort takes part only in the offsets it could have reached — and with
 * k + 1 ≤ `periods` when given. Weighting each step by the customers active at k makes r̄ the share of
 * customer-periods followed by an active period. It lies in [0, 1]: for each cohort the sums telescope to
 * active(c, K) − active(c, 0) ≤ 0. Geometric curves (active = N r^k) give r exactly.
 *
 * Units: a rate per period of the curve.
 *
 * Cost: O(rows log rows) (the rows are put in cohort and offset order first, so any row order is accepted).
 *
 * Reference: the pooled step retention of cohort (life-table) analysis; P. S. Fader & B. G. S. Hardie (2007),
 * "How to project customer retention", Journal of Interactive Marketing 21(1), 76–90, show why one average rate
 * misstates retention when customers differ (the survivors' retention rises with tenure): compare the rate over
 * the first few `periods` with the overall one before relying on it.
 *
 * @param curve a table with columns `cohort` (dates), `offset` and `active`, as `retentionCurve` returns
 * @param options `periods`: use only the steps into offsets 1 … periods (default all)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (periods), `INVALID_VALUE` (a null
 * or negative value), `EMPTY_INPUT` (no cohort observed over two periods)
 * @example
 * const curve = retentionCurve({
 *   customer: ['a', 'a', 'b', 'b', 'c'],
 *   date: ['2024-01-05', '2024-02-10', '2024-01-20', '2024-03-01', '2024-02-02'],
 * });
 * averageRetention(curve); // 0.5
 * averageRetention(curve, { periods: 1 }); // 0.3333333333333333
 * clv.retention({ margin: 100, retentionRate: averageRetention(curve), discountRate: 0.1 }); // 83.33333333333333
 */
export function averageRetention(curve: unknown, options: AverageRetentionOptions = {}): number {
  options = knownOptions(options, AVERAGE_RETENTION_OPTION_NAMES, 'averageRetention');
  const fn = 'averageRetention';
  const table = asTable(curve);
  const periods = options.periods ?? Infinity;
  if (!(periods === Infinity || (Number.isInteger(periods) && periods >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option periods must be a whole number ≥ 1 (found ${describeValue(options.periods)}); leave it out to use every step`,
    );
  }
  const cohort = readDates(table, 'cohort', fn, 'cohort').days;
  const offset = readNumeric(table, 'offset', fn, 'offset').values;
  const active = readNumeric(table, 'active', fn, 'active').values;
  const n = table.numRows;
  for (let i = 0; i < n; i++) {
    const bad =
      cohort[i] === NO_DATE
        ? 'cohort'
        : !(offset[i] >= 0 && Number.isInteger(offset[i]))
          ? 'offset'
          : !(active[i] >= 0)
            ? 'active'
            : '';
    if (bad) {
      const found = bad === 'cohort' ? 'no date' : describeValue(bad === 'offset' ? offset[i] : active[i]);
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${bad}" at row ${i} is not valid (found ${found}); pass the table retentionCurve returns`,
        { column: bad, row: i },
      );
    }
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => cohort[a] - cohort[b] || offset[a] - offset[b],
  );
  let atRisk = 0; // Σ active(c, k): integers, exact in doubles
  let retained = 0; // Σ active(c, k + 1)
  for (let k = 0; k + 1 < n; k++) {
    const a = order[k];
    const b = order[k + 1];
    if (cohort[a] !== cohort[b] || offset[b] !== offset[a] + 1 || offset[b] > periods) continue;
    atRisk += active[a];
    retained += active[b];
  }
  if (atRisk === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no cohort has an active customer followed by an observed next period (found ${n} rows); pass a curve ` +
        `over at least two periods`,
    );
  }
  return retained / atRisk;
}
