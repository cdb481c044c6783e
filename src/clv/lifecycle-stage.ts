import type { DataType, Float64, Int32, Table } from 'apache-arrow';
import type { KeyType, LabelType } from '../table/internal';
import {
  checkDateUnit,
  ClienteleError,
  codeArray,
  describeValue,
  isoDate,
  knownOptions,
  labelVector,
  META,
  numberVector,
  optionNames,
  optionValue,
  tableWithMetadata,
  takeVector,
  toEpochDay,
} from '../table/internal';
import type { DateUnit } from '../table/internal';
import { RETURNS } from '../kernels/internal';
import { customerRows } from './customer-rows';
import type { CustomerRows } from './customer-rows';

/** Options of {@link lifecycleStage}; every threshold has a documented default. */
export interface LifecycleOptions {
  customer?: string;
  date?: string;
  amount?: string | null;
  dateUnit?: DateUnit;
  /** The day of the assessment. Default: the day after the last transaction. Later rows are dropped and counted. */
  asOf?: Date | string | number;
  /** Negative amounts (returns, refunds): `'exclude'` the rows, counted as `negativeAmount` (default, as every
   * customer analysis), or `'keep'` them as purchases. */
  returns?: 'keep' | 'exclude';
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

/** The options of {@link lifecycleStage} with every threshold set and checked. */
type LifecycleSettings = LifecycleOptions & { readonly [K in keyof typeof DEFAULTS]: number };

/** One row per customer with a kept purchase, in customer-code order; `stage` indexes {@link LIFECYCLE_STAGES}. */
interface CustomerStages {
  readonly ids: number[];
  readonly tenure: number[];
  readonly recency: number[];
  readonly recent: number[];
  readonly earlier: number[];
  readonly frequencyTrend: number[];
  readonly valueTrend: number[];
  readonly stage: number[];
}

/** The options lifecycleStage takes; every other name is refused with a did-you-mean. */
const LIFECYCLE_STAGE_OPTION_NAMES = optionNames<LifecycleOptions>({
  customer: true,
  date: true,
  amount: true,
  dateUnit: true,
  asOf: true,
  returns: true,
  explorationDays: true,
  churnDays: true,
  window: true,
  growth: true,
  decline: true,
});

/** The columns of `lifecycleStage`: one row per customer. */
export type LifecycleStageColumns<K extends DataType = KeyType> = {
  customer: K;
  tenure: Int32;
  recency: Int32;
  recentPurchases: Int32;
  earlierPurchases: Int32;
  frequencyTrend: Float64;
  valueTrend: Float64;
  stage: LabelType;
};

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
export function lifecycleStage(tx: unknown, options: LifecycleOptions = {}): Table<LifecycleStageColumns> {
  options = knownOptions(options, LIFECYCLE_STAGE_OPTION_NAMES, 'lifecycleStage');
  const fn = 'lifecycleStage';
  const o = checkThresholds(options, fn);
  const dateUnit = checkDateUnit(o.dateUnit, fn);
  const asOfGiven = o.asOf !== undefined;
  const asOfAsked = asOfGiven ? toEpochDay(o.asOf, fn, 'asOf', dateUnit) : NaN;
  const returns = optionValue(options, 'returns', RETURNS, fn);
  const rows = customerRows(tx, { ...o, dateUnit, end: asOfGiven ? asOfAsked : undefined, returns }, fn);
  const asOf = asOfGiven ? asOfAsked : rows.lastDay + 1;
  return stagesTable(rows, stageCustomers(rows, asOf, o), asOf, o);
}

/** The options with the defaults filled in, each threshold checked. @throws {ClienteleError} `INVALID_OPTION` */
function checkThresholds(options: LifecycleOptions, fn: string): LifecycleSettings {
  const o = { ...DEFAULTS, ...options };
  for (const key of ['explorationDays', 'churnDays', 'window', 'growth', 'decline'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${key} must be a positive number (found ${describeValue(v)}); the default is ${DEFAULTS[key]}`,
      );
    }
  }
  if (!(o.decline < 1 && o.growth > 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options need decline < 1 < growth (found decline ${o.decline}, growth ${o.growth}); e.g. 0.75 and 1.25`,
    );
  }
  return o;
}

/** Walks each customer's purchase days: purchases and value in the two windows, the trends, and the stage. */
function stageCustomers(rows: CustomerRows, asOf: number, o: LifecycleSettings): CustomerStages {
  const { start, days, values, keys } = rows;
  const size = keys.size;
  const recentFrom = asOf - o.window; // recent window: (asOf − window, asOf]; earlier: (asOf − 2·window, asOf − window]
  const earlierFrom = asOf - 2 * o.window;
  const out: CustomerStages = {
    ids: [],
    tenure: [],
    recency: [],
    recent: [],
    earlier: [],
    frequencyTrend: [],
    valueTrend: [],
    stage: [],
  };
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
    for (let k = from; k < to;) {
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
    const fTrend = ratio(rate(recentDays, recentExposure), rate(earlierDays, earlierExposure));
    const vTrend = ratio(rate(recentValue, recentExposure), rate(earlierValue, earlierExposure));
    const t = asOf - first;
    const r = asOf - last;
    out.ids.push(c);
    out.tenure.push(t);
    out.recency.push(r);
    out.recent.push(recentDays);
    out.earlier.push(earlierDays);
    out.frequencyTrend.push(fTrend);
    out.valueTrend.push(vTrend);
    out.stage.push(stageOf(t, r, fTrend, vTrend, o));
  }
  return out;
}

/** Purchases (or value) per day of exposure; 0 without exposure. */
function rate(count: number, exposure: number): number {
  return exposure > 0 ? count / exposure : 0;
}

/** The recent rate over the earlier one: +∞ when only the recent one is positive, 1 when both are 0. */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : a > 0 ? Infinity : 1;
}

/** The stage by the documented rules, the first that applies: churned, exploration, decline, formation, stability. */
function stageOf(t: number, r: number, fTrend: number, vTrend: number, o: LifecycleSettings): number {
  if (r > o.churnDays) return 4;
  if (t <= o.explorationDays) return 0;
  if (fTrend <= o.decline || vTrend <= o.decline) return 3;
  if (fTrend >= o.growth || vTrend >= o.growth) return 1;
  return 2;
}

/** The output table, with `asOf`, the thresholds used and the dropped-row counts in the metadata. */
function stagesTable(rows: CustomerRows, s: CustomerStages, asOf: number, o: LifecycleSettings): Table {
  const keys = rows.keys;
  const codes = codeArray(s.ids.length, LIFECYCLE_STAGES.length);
  codes.set(s.stage);
  const thresholds = {
    explorationDays: o.explorationDays,
    churnDays: o.churnDays,
    window: o.window,
    growth: o.growth,
    decline: o.decline,
  };
  return tableWithMetadata(
    {
      customer: s.ids.length === keys.size ? keys.keys : takeVector(keys.keys, Int32Array.from(s.ids)),
      tenure: numberVector(Int32Array.from(s.tenure)),
      recency: numberVector(Int32Array.from(s.recency)),
      recentPurchases: numberVector(Int32Array.from(s.recent)),
      earlierPurchases: numberVector(Int32Array.from(s.earlier)),
      frequencyTrend: numberVector(Float64Array.from(s.frequencyTrend)),
      valueTrend: numberVector(Float64Array.from(s.valueTrend)),
      stage: labelVector(codes, LIFECYCLE_STAGES),
    },
    {
      [META.kind]: 'lifecycleStage',
      [META.asOf]: isoDate(asOf),
      'clientele.thresholds': JSON.stringify(thresholds),
      ...rows.drops.metadata(rows.rows),
    },
  );
}
