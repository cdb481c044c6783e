import type { Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  readNumeric,
} from '../table/internal';
import { predictRows } from './customer-histories';
import { bgBbDertCore, checkDiscountRate, validOpportunities } from './discounted-expected-transactions';
import type { BgBbLike } from './beta-geo-beta-binomial';
import type { ModelLike } from './model';
import { checkParams } from './model';
import { REPEAT_MODELS } from './repeat-models';
import type { PurchaseModel, RepeatModelEntry } from './repeat-models';
import { _uniqueRows } from './unique-rows';

/** Options of {@link predictDert}. */
export interface PredictDertOptions {
  /**
   * The discount rate: for BG/NBD and Pareto/NBD continuously compounded per time unit of the fit (ln(1 + d)/52 for
   * an annual rate d on weeks); for BG/BB per opportunity (0.1 for 10% a year on yearly opportunities).
   */
  discountRate: number;
  /** Column of repeat purchases x. Default `'frequency'`. */
  frequency?: string;
  /** Column of the time (BG/NBD, Pareto/NBD) or opportunity (BG/BB) of the last repeat purchase t_x. Default `'recency'`. */
  recency?: string;
  /** BG/NBD and Pareto/NBD: column of the age T. Default `'T'`. */
  T?: string;
  /** BG/BB: column of the opportunities n. Default `'periods'`. */
  periods?: string;
}

/** The option names of predictDert; every other name is refused. */
const PREDICT_DERT_OPTION_NAMES = optionNames<PredictDertOptions>({
  discountRate: true,
  frequency: true,
  recency: true,
  T: true,
  periods: true,
});

/** A model predictDert takes: BG/NBD or Pareto/NBD (`PurchaseModel`), or BG/BB. */
export type DertModel = PurchaseModel | (BgBbLike & { kind: 'betaGeoBetaBinomial' });

const BGBB_KIND = 'betaGeoBetaBinomial';

/**
 * Discounted expected residual transactions (DERT) for every row of a customer-by-sufficient-statistic table, as a
 * Float64 Arrow vector aligned with the rows (NaN for a row the model's fit would drop): {@link bgNbdDert},
 * {@link paretoNbdDert} or {@link bgBbDert}, chosen by `model.kind`. Times the expected margin per transaction it is
 * each customer's residual lifetime value; its contours over (frequency, recency) are FHL's iso-value curves.
 *
 * Units: for BG/NBD and Pareto/NBD, `discountRate` is a continuously compounded rate per time unit of the fit, and
 * the table is in that unit (a summary whose `clientele.unit` differs from the model's is refused); for BG/BB it is
 * the rate per opportunity. An annual rate d converts to δ = ln(1 + d)/52 on weeks, ln(1 + d)/365 on days.
 *
 * Cost: O(rows) plus one evaluation per distinct history (Pareto/NBD and BG/BB: O(1) special functions; BG/NBD: a
 * quadrature of a few hundred terms).
 *
 * @param model a fitted BG/NBD, Pareto/NBD or BG/BB model, or `{ kind, params }` with published values
 * @param table one row per customer (any `asTable` input)
 * @param options `discountRate` (required); column names `frequency`, `recency` and `T` (continuous time) or
 *   `periods` (BG/BB), defaults as the fits'
 * @throws {ClienteleError} `INVALID_OPTION` for a bad discountRate, a model of another kind, a column option of the
 *   other family (`periods` with a BG/NBD model, `T` with BG/BB); `INVALID_VALUE` for a parameter that is not
 *   positive; `MISSING_COLUMN`, `INVALID_TYPE`; `INVALID_INPUT` for a summary in another unit than the model's
 * @example
 * const donors = { kind: 'betaGeoBetaBinomial', params: { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78 } };
 * const dert = predictDert(donors, { frequency: [3, 6, 2], recency: [4, 6, 1], periods: [6, 6, 6] }, { discountRate: 0.1 });
 * Math.round(dert.get(0) * 1000) / 1000; // 1.621
 * // the third row is impossible (2 transactions, the last at opportunity 1)
 * Number.isNaN(dert.get(2)); // true
 */
export function predictDert(model: DertModel, table: unknown, options: PredictDertOptions): Vector {
  options = knownOptions(options, PREDICT_DERT_OPTION_NAMES, 'predictDert');
  const fn = 'predictDert';
  const kind = (model as { kind?: unknown } | null | undefined)?.kind;
  if (kind === BGBB_KIND) {
    refuseOption(options, 'T', fn, 'a BG/BB model counts opportunities: name that column with periods');
    checkParams(model.params, ['alpha', 'beta', 'gamma', 'delta'], fn);
    const d = checkDiscountRate(options.discountRate, fn, 'opportunity');
    return bgBbRows(model as BgBbLike, table, options, d, fn);
  }
  const entry = dertEntry(kind, fn);
  refuseOption(options, 'periods', fn, `a ${entry.label} model reads the age T: name that column with T`);
  checkParams(model.params, entry.names, fn);
  const delta = checkDiscountRate(options.discountRate, fn, 'time');
  const dert = entry.dert!;
  const m = model as ModelLike<Record<string, number>>;
  return predictRows(table, options, fn, (x, tx, T) => dert(m, x, tx, T, delta), model);
}

/** The registry entry of a kind with DERT. @throws {ClienteleError} `INVALID_OPTION` */
function dertEntry(kind: unknown, fn: string): RepeatModelEntry {
  const entry =
    typeof kind === 'string' && Object.hasOwn(REPEAT_MODELS, kind) ? REPEAT_MODELS[kind as 'bgNbd'] : undefined;
  if (entry?.dert !== undefined) return entry;
  const withDert = Object.values(REPEAT_MODELS).filter((e) => e.dert !== undefined);
  const kinds = [...withDert.map((e) => `'${e.kind}' (${e.label})`), `'${BGBB_KIND}' (BG/BB)`].join(', ');
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: DERT is not available for a model of kind ${describeValue(kind)}${entry ? ` (${entry.label})` : ''}; ` +
      `pass a model of kind ${kinds}`,
  );
}

function refuseOption(options: PredictDertOptions, name: 'T' | 'periods', fn: string, why: string): void {
  if (options[name] !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${name} does not apply to this model (found ${describeValue(options[name])}); ${why}`,
    );
  }
}

/** BG/BB DERT per row: read (x, t_x, n), evaluate once per distinct triple, NaN for impossible histories. */
function bgBbRows(model: BgBbLike, input: unknown, options: PredictDertOptions, d: number, fn: string): Vector {
  const table = asTable(input);
  const x = readNumeric(table, options.frequency ?? 'frequency', fn, 'frequency').values;
  const tx = readNumeric(table, options.recency ?? 'recency', fn, 'recency').values;
  const n = readNumeric(table, options.periods ?? 'periods', fn, 'periods').values;
  const unique = _uniqueRows([x, tx, n]);
  const [ux, utx, un] = unique.columns;
  const values = new Float64Array(ux.length);
  for (let p = 0; p < values.length; p++) {
    values[p] = validOpportunities(ux[p], utx[p], un[p]) ? bgBbDertCore(model, ux[p], utx[p], un[p], d) : NaN;
  }
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < out.length; i++) out[i] = values[unique.index[i]];
  return numberVector(out);
}
