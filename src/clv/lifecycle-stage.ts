import type { Table } from 'apache-arrow';
import { checkDateUnit, ClienteleError, codeArray, describeValue, isoDate, labelVector, META, numberVector, tableWithMetadata, takeVector, toEpochDay } from '../table/internal';
import type { DateUnit } from '../table/internal';
import { customerRows } from './customer-rows';

/** Options of {@link lifecycleStage}; every threshold has a documented default. */
export interface LifecycleOptions {
  customer?: string;
  date?: string;
  amount?: string | null;
  dateUnit?: DateUnit;
  /** The day of the assessment. Default: the day after the last transaction. Later rows are dropped and counted. */
  asOf?: Date | string | number;
  /** Customers whose first purchase is at most this many days before `asOf` are in exploration. Default 90. */
  explorationDays?: number;
  /** Customers without a purchase for more than this many days are churned. Default 365. */
  churnDays?: number;
  /** Length in days of the recent window and of the earlier window it is compared with. Default 180. */
  window?: number;
  /** Formation when the recent purchase rate or value rate is at least this multiple of the earlier one. Default 1.25. */
  growth?: number;
  /** Decline when the recent purchase rate or value rate is at most this multiple of the earlier one. Default 0.75. */
  decline?: number;
}

/** The stages, in the order of a relationship's life. */
export const LIFECYCLE_STAGES = ['Exploration', 'Formation', 'Stability', 'Decline', 'Churned'] as const;

const DEFAULTS = { explorationDays: 90, churnDays: 365, window: 180, growth: 1.25, decline: 0.75 } as const;

/**
 * Places every customer in a stage of the customer relationship life cycle taught in CRM courses — the four-stage
 * model of exploration (acquisition), formation (development, build-up), stability (maturity) and decline
 * (Dwyer, Schurr & Oh 1987; Jap & Ganesan 2000), plus churned — from the customer's tenure, recency and the trend
 * of purchase frequency and value.
 *
 * Rules, in order (the first that applies), with t = days since the first purchase and r = days since the last:
 * 1. Churned: r > `churnDays` (365).
 * 2. Exploration: t ≤ `explorationDays` (90).
 * 3. Trends compare the recent window (the last `window` = 180 days before `asOf`) with the window before it,
 *    each as purchase days and value per day of the window the customer was there for; with no purchase in the
 *    earlier window the trend is +∞ when there is one in the recent window.
 *    Decline: the frequency trend or the value trend ≤ `decline` (0.75).
 * 4. Formation: the frequency trend or the value trend ≥ `growth` (1.25).
 * 5. Stability: the rest.
 * Purchases are counted per calendar day, as in `summaryFromTransactions`.
 *
 * Output columns: `customer`, `tenure`, `recency` (days), `recentPurchases`, `earlierPurchases`,
 * `frequencyTrend`, `valueTrend`, `stage`. Stage counts are easy to read off with a group-by; the thresholds used
 * are in the metadata (`clientele.thresholds`).
 *
 * Cost: O(n) plus a sort of each customer's own days.
 * References: F. R. Dwyer, P. H. Schurr & S. Oh (1987), "Developing buyer–seller relationships", Journal of
 * Marketing 51(2), 11–27; S. D. Jap & S. Ganesan (2000), "Control mechanisms and the relationship life cycle",
 * Journal of Marketing Research 37(2), 227–245.
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`, `EMPTY_INPUT`
 * @example
 * const stages = lifecycleStage(
 *   { customer: ['new', 'old', 'old', 'gone'], date: ['2024-06-20', '2023-01-10', '2024-06-01', '2023-02-01'], amount: [10, 20, 30, 5] },
 *   { asOf: '2024-07-01' },
 * );
 * stages.getChild('stage')?.toArray(); // ['Exploration', 'Formation', 'Churned']
 */
export function lifecycleStage(tx: unknown, options: LifecycleOptions = {}): Table {
  const fn = 'lifecycleStage';
  const o = { ...DEFAULTS, ...options };
  for (const key of ['explorationDays', 'churnDays', 'window', 'growth', 'decline'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ClienteleError('INVALID_OPTION', `${fn}: option ${key} must be a positive number (found ${describeValue(v)}); the default is ${DEFAULTS[key]}`);
    }
  }
  if (!(o.decline < 1 && o.growth > 1)) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: options need decline < 1 < growth (found decline ${o.decline}, growth ${o.growth}); e.g. 0.75 and 1.25`);
  }
  const dateUnit = checkDateUnit(o.dateUnit, fn);
  const asOfGiven = o.asOf !== undefined;
  const asOfAsked = asOfGiven ? toEpochDay(o.asOf, fn, 'asOf', dateUnit) : NaN;
  const rows = customerRows(tx, { ...o, dateUnit, end: asOfGiven ? asOfAsked : undefined }, fn);
  const asOf = asOfGiven ? asOfAsked : rows.lastDay + 1;
  const { start, days, values, keys } = rows;
  const size = keys.size;
  const recentFrom = asOf - o.window; // recent window: (asOf − window, asOf]; earlier: (asOf − 2·window, asOf − window]
  const earlierFrom = asOf - 2 * o.window;

  const ids: number[] = [];
  const tenure: number[] = [];
  const recency: number[] = [];
  const recent: number[] = [];
  const earlier: number[] = [];
  const frequencyTrend: number[] = [];
  const valueTrend: number[] = [];
  const stage: number[] = [];
  for (let c = 0; c < size; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    const first = days[from];
    const last = days[to - 1];
    let recentDays = 0;
    let earlierDays = 0;
    let recentValue = 0;
    let earlierValue = 0;
    for (let k = from; k < to; ) {
      const day = days[k];
      let value = 0;
      while (k < to && days[k] === day) value += values[k++];
      if (day > recentFrom) {
        recentDays++;
        recentValue += value;
      } else if (day > earlierFrom) {
        earlierDays++;
        earlierValue += value;
      }
    }
    // exposure: the part of each window after the first purchase
    const recentExposure = Math.min(o.window, asOf - Math.max(first, recentFrom + 1) + 1);
    const earlierExposure = Math.max(0, Math.min(o.window, recentFrom - Math.max(first, earlierFrom + 1) + 1));
    const rate = (count: number, exposure: number) => (exposure > 0 ? count / exposure : 0);
    const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : 1);
    const fTrend = ratio(rate(recentDays, recentExposure), rate(earlierDays, earlierExposure));
    const vTrend = ratio(rate(recentValue, recentExposure), rate(earlierValue, earlierExposure));
    const t = asOf - first;
    const r = asOf - last;
    let s: number;
    if (r > o.churnDays) s = 4;
    else if (t <= o.explorationDays) s = 0;
    else if (fTrend <= o.decline || vTrend <= o.decline) s = 3;
    else if (fTrend >= o.growth || vTrend >= o.growth) s = 1;
    else s = 2;
    ids.push(c);
    tenure.push(t);
    recency.push(r);
    recent.push(recentDays);
    earlier.push(earlierDays);
    frequencyTrend.push(fTrend);
    valueTrend.push(vTrend);
    stage.push(s);
  }
  const codes = codeArray(ids.length, LIFECYCLE_STAGES.length);
  codes.set(stage);
  return tableWithMetadata(
    {
      customer: ids.length === size ? keys.keys : takeVector(keys.keys, Int32Array.from(ids)),
      tenure: numberVector(Int32Array.from(tenure)),
      recency: numberVector(Int32Array.from(recency)),
      recentPurchases: numberVector(Int32Array.from(recent)),
      earlierPurchases: numberVector(Int32Array.from(earlier)),
      frequencyTrend: numberVector(Float64Array.from(frequencyTrend)),
      valueTrend: numberVector(Float64Array.from(valueTrend)),
      stage: labelVector(codes, LIFECYCLE_STAGES),
    },
    {
      [META.kind]: 'lifecycleStage',
      [META.asOf]: isoDate(asOf),
      'clientele.thresholds': JSON.stringify({ explorationDays: o.explorationDays, churnDays: o.churnDays, window: o.window, growth: o.growth, decline: o.decline }),
      ...rows.drops.metadata(rows.rows),
    },
  );
}
