import type { Table } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  isClienteleError,
  knownOptions,
  numberVector,
  optionNames,
  readNumeric,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import type { DateUnit, ErrorCode } from '../table/internal';
import { validHistory } from './customer-histories';
import { logCohort, trackingCurve } from './expected-cumulative-transactions';
import type { Cohort, ExpectedCumulativeTransactionsColumns } from './expected-cumulative-transactions';
import type { FittedModel } from './model';
import { REPEAT_MODELS } from './repeat-models';
import type { RepeatModelEntry, RepeatModelKind } from './repeat-models';
import { _uniqueRows } from './unique-rows';

/** Options of {@link holdoutValidation}. */
export interface HoldoutValidationOptions {
  /** The models to fit and compare, by kind. Default: every repeat-buying model clientele has (`bgNbd`, `paretoNbd`, …). */
  models?: readonly RepeatModelKind[];
  /** Calibration frequencies 0 … maxFrequency − 1 get a bin each in `byFrequency`; the last is "maxFrequency+". Default 7. */
  maxFrequency?: number;
  /** The L2 penalty every fit uses (lifetimes' `penalizer_coef`; see `FitOptions`). Default 0. */
  penalizer?: number;
  /** Column names of the summary; defaults `frequency`, `recency`, `T`, `frequencyHoldout`, `durationHoldout`. */
  frequency?: string;
  recency?: string;
  T?: string;
  frequencyHoldout?: string;
  durationHoldout?: string;
  /**
   * The transaction log the summary was made from: adds each model's tracking curve (`expectedCumulativeTransactions`)
   * and its error over the holdout periods. Default none.
   */
  transactions?: unknown;
  /** Column names of `transactions` and how to read it, as `summaryFromTransactions` took them. */
  customer?: string;
  date?: string;
  amount?: string | null;
  dateUnit?: DateUnit;
  returns?: 'keep' | 'exclude';
  /** Length of one tracking period, in the summary's time unit. Default 1 (a week for a weekly summary). */
  periodLength?: number;
}

const HOLDOUT_VALIDATION_OPTION_NAMES = optionNames<HoldoutValidationOptions>({
  models: true,
  maxFrequency: true,
  penalizer: true,
  frequency: true,
  recency: true,
  T: true,
  frequencyHoldout: true,
  durationHoldout: true,
  transactions: true,
  customer: true,
  date: true,
  amount: true,
  dateUnit: true,
  returns: true,
  periodLength: true,
});

/** One model's fit and its holdout errors. Numbers are NaN when the fit failed (see `warnings`). */
export interface ModelValidation {
  readonly kind: RepeatModelKind;
  /** The model's name, e.g. `'BG/NBD'`. */
  readonly label: string;
  /** The fit on the calibration columns, or null when it failed (NOT_CONVERGED, NOT_IDENTIFIED: in `warnings`). */
  readonly model: FittedModel<string, Record<string, number>> | null;
  /** k, the number of parameters. */
  readonly parameters: number;
  /** The maximised log-likelihood, AIC = 2k − 2 LL and BIC = k ln n − 2 LL (n the customers fitted). */
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  /** Mean absolute and root-mean-square error of each customer's predicted holdout purchases. */
  readonly mae: number;
  readonly rmse: number;
  /** Total predicted (Σ conditional expectations) and actual holdout transactions, their difference and its share. */
  readonly predicted: number;
  readonly actual: number;
  readonly error: number;
  readonly relativeError: number;
  /** The tracking curve over calibration and holdout when the log was given (`expectedCumulativeTransactions`). */
  readonly tracking: Table<ExpectedCumulativeTransactionsColumns> | null;
  /** Over the holdout periods of `tracking`: mean |expected − actual| per period, and Σ (expected − actual). NaN without a log. */
  readonly trackingMae: number;
  readonly trackingError: number;
  readonly warnings: readonly string[];
}

/** The criteria {@link holdoutValidation} picks a best model by. */
export type HoldoutCriterion =
  'logLikelihood' | 'aic' | 'bic' | 'mae' | 'rmse' | 'error' | 'trackingMae' | 'trackingError';

/** What {@link holdoutValidation} returns (frozen). */
export interface HoldoutValidation {
  /** One entry per model asked for, in the order asked. */
  readonly models: readonly ModelValidation[];
  /** The best model's kind by each criterion (highest log-likelihood; lowest AIC, BIC, MAE, RMSE, |error|, tracking errors), null when no model has the figure. */
  readonly best: Readonly<Record<HoldoutCriterion, RepeatModelKind | null>>;
  /**
   * Per model and calibration frequency bin (0 … m − 1, m+): `model` (kind), `frequency` (label), `order`, `customers`,
   * and the mean holdout purchases `actual` and `predicted` — BTYD's `PlotFreqVsConditionalExpectedFrequency`.
   */
  readonly byFrequency: Table;
  /** Customers whose history and holdout were valid (the errors' n), and the rows left out, by reason. */
  readonly customers: number;
  readonly dropped: Readonly<Record<string, number>>;
  /** The holdout periods of the tracking curves (their `period` numbers), empty without a log. */
  readonly holdoutPeriods: readonly number[];
  /** Every model's warnings, prefixed with its kind. */
  readonly warnings: readonly string[];
}

/** The per-customer columns, valid rows only. */
interface HoldoutRows {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly xStar: Float64Array;
  readonly tStar: Float64Array;
  readonly dropped: Record<string, number>;
}

/**
 * Holdout validation of the repeat-buying models in one call: each model is fitted on the calibration columns of a
 * summary (x, t_x, T), predicts every customer's purchases in the holdout period, and is scored in-sample
 * (log-likelihood, AIC, BIC) and out of sample (per-customer MAE and RMSE, total predicted vs actual holdout
 * transactions, the per-frequency-bin table, and with the log the weekly tracking error) — lifetimes'
 * `calibration_and_holdout_data` + fit + `plot_calibration_purchases_vs_holdout_purchases` and BTYD's
 * `*.PlotFreqVsConditionalExpectedFrequency` / `*.PlotTrackingInc`, for every model at once. Analysts use it to pick
 * the model to forecast with, and to see where each one misses (the zeros, the heavy buyers, the trend).
 *
 * Formulas: customer i's prediction is E[Y(τᵢ) | xᵢ, t_xᵢ, Tᵢ] (the model's conditional expectation, e.g. Fader,
 * Hardie & Lee 2005, eq. 10) with τᵢ = `durationHoldout`; MAE = Σ|ŷᵢ − yᵢ|/n, RMSE = √(Σ(ŷᵢ − yᵢ)²/n) with
 * yᵢ = `frequencyHoldout`; AIC = 2k − 2 LL, BIC = k ln n − 2 LL (n customers in the fit). With `transactions`, the
 * tracking curve is `expectedCumulativeTransactions` (the unconditional forecast of the cohort) from the cohort's
 * start through the holdout end, and its holdout periods are those that start on or after the day after the
 * calibration end; `trackingMae` is their mean |expected − actual| and `trackingError` Σ (expected − actual).
 *
 * The models come from the one registry of repeat-buying models (`REPEAT_MODELS`): a model added there is compared
 * here with no change. A fit that fails with `NOT_CONVERGED` or `NOT_IDENTIFIED` is carried as that model's warning
 * (its numbers NaN); only when every model fails is the first failure thrown.
 *
 * Cost: one fit per model, then one prediction per distinct (x, t_x, T, τ) and model; with the log, O(n) to read it
 * plus N · D evaluations of E[X(t)] per model (N periods, D distinct first-purchase days).
 *
 * Reference: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), §5 and
 * fig. 3–5 (BG/NBD vs Pareto/NBD on CDNOW); the BTYD walkthrough (McCarthy & Wadsworth), §3.4 and §4.4.
 *
 * @param summary a `summaryFromTransactions` table with a holdout (`holdoutEnd` given)
 * @param options `models` (every registered kind), `maxFrequency` (7), `penalizer` (0), the summary's column names,
 *   `transactions` with its columns (`customer`, `date`, `amount`, `dateUnit`, `returns`) and `periodLength` (1)
 * @throws {ClienteleError} `INVALID_OPTION`, `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_INPUT` (a log without a
 *   dated summary), `EMPTY_INPUT` (no valid customer), and the fits' errors (`NOT_CONVERGED`, `NOT_IDENTIFIED` only
 *   when every model fails)
 * @example
 * const store = sampleStore({ customers: 300, seed: 1 });
 * const summary = summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30', holdoutEnd: '2024-12-31' });
 * const v = holdoutValidation(summary, { models: ['bgNbd', 'paretoNbd'], maxFrequency: 3 });
 * v.models.map((m) => m.label); // ['BG/NBD', 'Pareto/NBD']
 * v.customers; // 300
 * // e.g. v.best.bic is the kind with the lowest BIC; v.models[0].mae the BG/NBD's mean absolute error per customer
 */
export function holdoutValidation(summary: unknown, options: HoldoutValidationOptions = {}): HoldoutValidation {
  options = knownOptions(options, HOLDOUT_VALIDATION_OPTION_NAMES, 'holdoutValidation');
  const fn = 'holdoutValidation';
  const kinds = modelKinds(options.models, fn);
  const bins = binCount(options.maxFrequency, fn);
  const table = asTable(summary);
  const rows = readHoldoutRows(table, options, fn);
  const tracking = options.transactions === undefined ? null : trackingSetup(table, options, fn);
  const fitOptions = {
    frequency: options.frequency,
    recency: options.recency,
    T: options.T,
    ...(options.penalizer === undefined ? {} : { penalizer: options.penalizer }),
  };
  const results = kinds.map((kind) => validateModel(REPEAT_MODELS[kind], summary, fitOptions, rows, tracking));
  const models = results.map((r) => r.validation);
  if (models.every((m) => m.model === null)) {
    const first = models[0].warnings[0];
    throw new ClienteleError(
      first.slice(0, first.indexOf(':')) as ErrorCode,
      `${fn}: no model could be fitted (found ${models.map((m) => `${m.label}: ${m.warnings.join('; ')}`).join(' | ')}); ` +
        `check that the summary has repeat purchases and variation, or fit with a penalizer`,
    );
  }
  return Object.freeze({
    models: Object.freeze(models),
    best: bestModels(models),
    byFrequency: frequencyTable(results, rows, bins),
    customers: rows.x.length,
    dropped: Object.freeze(rows.dropped),
    holdoutPeriods: Object.freeze(tracking === null ? [] : tracking.holdoutPeriods),
    warnings: Object.freeze(models.flatMap((m) => m.warnings.map((w) => `${m.kind}: ${w}`))),
  });
}

/** The kinds asked for, each known and once; every registered kind by default. @throws {ClienteleError} `INVALID_OPTION` */
function modelKinds(models: unknown, fn: string): RepeatModelKind[] {
  const known = Object.keys(REPEAT_MODELS) as RepeatModelKind[];
  if (models === undefined) return known;
  const bad =
    !Array.isArray(models) ||
    models.length === 0 ||
    new Set(models).size !== models.length ||
    models.some((k) => typeof k !== 'string' || !Object.hasOwn(REPEAT_MODELS, k));
  if (bad) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option models must be a non-empty list of distinct model kinds among ${known.map((k) => `'${k}'`).join(', ')} ` +
        `(found ${describeValue(models)}); e.g. { models: [${known.map((k) => `'${k}'`).join(', ')}] }`,
    );
  }
  return models as RepeatModelKind[];
}

/** The `maxFrequency` option. @throws {ClienteleError} `INVALID_OPTION` */
function binCount(value: unknown, fn: string): number {
  if (value === undefined) return 7;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxFrequency must be an integer from 1 to 1,000 (found ${describeValue(value)}); e.g. 7 (BTYD's censor)`,
    );
  }
  return value;
}

/** Read: the calibration history and holdout of every valid row. @throws {ClienteleError} `MISSING_COLUMN`, `EMPTY_INPUT` */
function readHoldoutRows(table: Table, options: HoldoutValidationOptions, fn: string): HoldoutRows {
  const read = (name: string | undefined, fallback: string) =>
    readNumeric(table, name ?? fallback, fn, fallback).values;
  if (!table.getChild(options.frequencyHoldout ?? 'frequencyHoldout')) {
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "${options.frequencyHoldout ?? 'frequencyHoldout'}" is not in the summary (found columns: ` +
        `${table.schema.fields.map((f) => f.name).join(', ')}); make it with summaryFromTransactions(transactions, { calibrationEnd, holdoutEnd })`,
      { column: options.frequencyHoldout ?? 'frequencyHoldout' },
    );
  }
  const x = read(options.frequency, 'frequency');
  const tx = read(options.recency, 'recency');
  const T = read(options.T, 'T');
  const xStar = read(options.frequencyHoldout, 'frequencyHoldout');
  const tStar = read(options.durationHoldout, 'durationHoldout');
  const drops = new DropCounter();
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (!validHistory(x[i], tx[i], T[i])) drops.drop('invalidValue', i);
    else if (!(xStar[i] >= 0 && tStar[i] >= 0 && tStar[i] < Infinity && xStar[i] < Infinity)) {
      drops.drop('invalidValue', i);
    } else keep.push(i);
  }
  if (keep.length === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no customer has a valid history and holdout (found ${x.length} rows, dropped ${JSON.stringify(drops.counts)}); ` +
        `pass summaryFromTransactions(transactions, { calibrationEnd, holdoutEnd })`,
    );
  }
  const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]);
  return { x: pick(x), tx: pick(tx), T: pick(T), xStar: pick(xStar), tStar: pick(tStar), dropped: drops.counts };
}

/** The log read once for every model's tracking curve: its cohort, the periods through the holdout end, and which are holdout. */
interface TrackingSetup {
  readonly cohort: Cohort;
  readonly periods: number;
  readonly length: number;
  readonly holdoutPeriods: number[];
}

/** Read: the log's cohort with the summary's calibration end. @throws {ClienteleError} `INVALID_INPUT`, `INVALID_OPTION` */
function trackingSetup(table: Table, options: HoldoutValidationOptions, fn: string): TrackingSetup {
  const meta = table.schema.metadata;
  const calibrationEnd = meta.get('clientele.calibrationEnd');
  const holdoutEnd = meta.get('clientele.holdoutEnd');
  const unit = meta.get('clientele.unit');
  if (calibrationEnd === undefined || holdoutEnd === undefined || (unit !== 'day' && unit !== 'week')) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: option transactions needs the summary's calibration and holdout ends (found clientele.calibrationEnd ` +
        `${describeValue(calibrationEnd)}, clientele.holdoutEnd ${describeValue(holdoutEnd)}); pass the table ` +
        `summaryFromTransactions(transactions, { calibrationEnd, holdoutEnd }) made from the same log`,
    );
  }
  const length = options.periodLength ?? 1;
  if (typeof length !== 'number' || !(length > 0) || !Number.isFinite(length)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option periodLength must be a finite number > 0 in the summary's time unit (found ${describeValue(length)}); e.g. 1`,
    );
  }
  const { customer, date, amount, dateUnit, returns } = options;
  const log = asTable(options.transactions);
  const cohort = logCohort(log, unit, { customer, date, amount, dateUnit, returns, calibrationEnd }, fn);
  const per = cohort.per;
  const [y, m, d] = holdoutEnd.split('-').map(Number);
  const holdoutDay = Date.UTC(y, m - 1, d) / 86_400_000;
  const holdoutTime = (holdoutDay + 1 - cohort.origin) / per;
  const periods = Math.max(1, Math.floor(holdoutTime / length + 1e-9));
  const holdoutPeriods: number[] = [];
  for (let k = 1; k <= periods; k++) if ((k - 1) * length >= cohort.calibrationTime - 1e-9) holdoutPeriods.push(k);
  return { cohort, periods, length, holdoutPeriods };
}

/** Compute: one model's fit, predictions, errors and tracking; a failed fit becomes warnings. */
function validateModel(
  entry: RepeatModelEntry,
  summary: unknown,
  fitOptions: Record<string, unknown>,
  rows: HoldoutRows,
  tracking: TrackingSetup | null,
): { validation: ModelValidation; predicted: Float64Array | null } {
  const k = entry.names.length;
  let model: FittedModel<string, Record<string, number>>;
  try {
    model = entry.fit(summary, fitOptions);
  } catch (e) {
    if (!isClienteleError(e) || (e.code !== 'NOT_CONVERGED' && e.code !== 'NOT_IDENTIFIED')) throw e;
    return { validation: failed(entry, `${e.code}: ${e.message}`), predicted: null };
  }
  const predicted = predictRows(entry, model, rows);
  const errors = holdoutErrors(predicted, rows.xStar);
  const n = model.customers;
  const curve =
    tracking === null ? null : trackingCurve(entry, model, tracking.cohort, tracking.periods, tracking.length);
  const trackingErrors = curve === null ? { mae: NaN, sum: NaN } : holdoutTracking(curve, tracking!.holdoutPeriods);
  const validation: ModelValidation = Object.freeze({
    kind: entry.kind,
    label: entry.label,
    model,
    parameters: k,
    logLikelihood: model.logLikelihood,
    aic: 2 * k - 2 * model.logLikelihood,
    bic: k * Math.log(n) - 2 * model.logLikelihood,
    ...errors,
    tracking: curve,
    trackingMae: trackingErrors.mae,
    trackingError: trackingErrors.sum,
    warnings: Object.freeze([...model.warnings]),
  });
  return { validation, predicted };
}

/** A model whose fit failed: its numbers NaN, the failure as its warning. */
function failed(entry: RepeatModelEntry, warning: string): ModelValidation {
  return Object.freeze({
    kind: entry.kind,
    label: entry.label,
    model: null,
    parameters: entry.names.length,
    logLikelihood: NaN,
    aic: NaN,
    bic: NaN,
    mae: NaN,
    rmse: NaN,
    predicted: NaN,
    actual: NaN,
    error: NaN,
    relativeError: NaN,
    tracking: null,
    trackingMae: NaN,
    trackingError: NaN,
    warnings: Object.freeze([warning]),
  });
}

/** Compute: E[Y(τᵢ) | xᵢ, t_xᵢ, Tᵢ] per row, once per distinct (x, t_x, T, τ). */
function predictRows(
  entry: RepeatModelEntry,
  model: FittedModel<string, Record<string, number>>,
  rows: HoldoutRows,
): Float64Array {
  const unique = _uniqueRows([rows.x, rows.tx, rows.T, rows.tStar]);
  const [ux, utx, uT, ut] = unique.columns;
  const values = new Float64Array(ux.length);
  for (let p = 0; p < ux.length; p++)
    values[p] = entry.conditionalExpectedPurchases(model, ux[p], utx[p], uT[p], ut[p]);
  return Float64Array.from(unique.index, (p) => values[p]);
}

/** Compute: MAE, RMSE and the totals of predicted and actual holdout purchases. */
function holdoutErrors(predicted: Float64Array, actual: Float64Array) {
  let absolute = 0;
  let squared = 0;
  let p = 0;
  let a = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = predicted[i] - actual[i];
    absolute += Math.abs(d);
    squared += d * d;
    p += predicted[i];
    a += actual[i];
  }
  const n = predicted.length;
  return {
    mae: absolute / n,
    rmse: Math.sqrt(squared / n),
    predicted: p,
    actual: a,
    error: p - a,
    relativeError: a > 0 ? (p - a) / a : NaN,
  };
}

/** Compute: mean |expected − actual| and Σ (expected − actual) over the holdout periods of a tracking curve. */
function holdoutTracking(curve: Table, holdoutPeriods: readonly number[]): { mae: number; sum: number } {
  if (holdoutPeriods.length === 0) return { mae: NaN, sum: NaN };
  const expected = curve.getChild('expected')!.toArray() as Float64Array;
  const actual = curve.getChild('actual')!.toArray() as Float64Array;
  let absolute = 0;
  let sum = 0;
  for (const k of holdoutPeriods) {
    const d = expected[k - 1] - actual[k - 1];
    absolute += Math.abs(d);
    sum += d;
  }
  return { mae: absolute / holdoutPeriods.length, sum };
}

/** Assemble: the best model by each criterion among those with a finite figure. */
function bestModels(models: readonly ModelValidation[]): Readonly<Record<HoldoutCriterion, RepeatModelKind | null>> {
  const pick = (score: (m: ModelValidation) => number) => {
    let best: ModelValidation | null = null;
    for (const m of models) if (Number.isFinite(score(m)) && (best === null || score(m) < score(best))) best = m;
    return best === null ? null : best.kind;
  };
  return Object.freeze({
    logLikelihood: pick((m) => -m.logLikelihood),
    aic: pick((m) => m.aic),
    bic: pick((m) => m.bic),
    mae: pick((m) => m.mae),
    rmse: pick((m) => m.rmse),
    error: pick((m) => Math.abs(m.error)),
    trackingMae: pick((m) => m.trackingMae),
    trackingError: pick((m) => Math.abs(m.trackingError)),
  });
}

/** Assemble: per model and calibration-frequency bin, the mean actual and predicted holdout purchases. */
function frequencyTable(
  results: readonly { validation: ModelValidation; predicted: Float64Array | null }[],
  rows: HoldoutRows,
  bins: number,
): Table {
  const count = new Float64Array(bins + 1);
  const actual = new Float64Array(bins + 1);
  for (let i = 0; i < rows.x.length; i++) {
    const g = Math.min(rows.x[i], bins);
    count[g]++;
    actual[g] += rows.xStar[i];
  }
  const kind: string[] = [];
  const label: string[] = [];
  const order: number[] = [];
  const customers: number[] = [];
  const meanActual: number[] = [];
  const meanPredicted: number[] = [];
  for (const { validation: m, predicted: values } of results) {
    if (values === null) continue;
    const predicted = new Float64Array(bins + 1);
    for (let i = 0; i < rows.x.length; i++) predicted[Math.min(rows.x[i], bins)] += values[i];
    for (let g = 0; g <= bins; g++) {
      if (count[g] === 0) continue;
      kind.push(m.kind);
      label.push(g === bins ? `${bins}+` : String(g));
      order.push(g);
      customers.push(count[g]);
      meanActual.push(actual[g] / count[g]);
      meanPredicted.push(predicted[g] / count[g]);
    }
  }
  return tableWithMetadata(
    {
      model: stringVector(kind),
      frequency: stringVector(label),
      order: numberVector(Int32Array.from(order)),
      customers: numberVector(Float64Array.from(customers)),
      actual: numberVector(Float64Array.from(meanActual)),
      predicted: numberVector(Float64Array.from(meanPredicted)),
    },
    { 'clientele.kind': 'holdoutByFrequency' },
  );
}
