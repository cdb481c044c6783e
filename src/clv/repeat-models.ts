import { ClienteleError, describeValue } from '../table/internal';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdConditionalProbabilityOfPurchases,
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  fitBgNbd,
} from './bg-nbd';
import type { BgNbdLike, BgNbdOptions } from './bg-nbd';
import { bgNbdDert, paretoNbdDert } from './discounted-expected-transactions';
import {
  fitMbgNbd,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdConditionalProbabilityOfPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfPurchases,
} from './mbg-nbd';
import type { MbgNbdLike, MbgNbdOptions } from './mbg-nbd';
import type { FittedModel, ModelLike } from './model';
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
} from './pareto-nbd';
import type { ParetoNbdLike, ParetoNbdOptions } from './pareto-nbd';

/** A purchase-count model the functions that take any repeat-buying model accept: a fitted one or one with published values. */
export type PurchaseModel =
  (BgNbdLike & { kind: 'bgNbd' }) | (MbgNbdLike & { kind: 'mbgNbd' }) | (ParetoNbdLike & { kind: 'paretoNbd' });

/** The kinds of repeat-buying model, as `FittedModel.kind` names them. */
export type RepeatModelKind = PurchaseModel['kind'];

/**
 * What the functions that work on any repeat-buying model (CLV, tracking, holdout validation, intervals) need of one
 * kind: its name for people, its parameter names, its fit, and its per-customer quantities as functions of a
 * parameter object. One entry per model; each function is the model's own public one.
 */
export interface RepeatModelEntry {
  readonly kind: RepeatModelKind;
  /** How papers and messages name the model, e.g. `'BG/NBD'`. */
  readonly label: string;
  /** The parameter names, in the order of the fit's `params` (and of its `covariance`). */
  readonly names: readonly string[];
  /** The model's fit function, for calls that refit (holdout validation, the bootstrap). */
  readonly fit: (summary: unknown, options?: Record<string, unknown>) => FittedModel<string, Record<string, number>>;
  /** E[X(t)] of a new customer. */
  readonly expectedPurchases: (model: ModelLike<Record<string, number>>, t: number) => number;
  /** P(alive at T | x, t_x, T). */
  readonly probabilityAlive: (model: ModelLike<Record<string, number>>, x: number, tx: number, T: number) => number;
  /** E[purchases in (T, T + t] | x, t_x, T]. */
  readonly conditionalExpectedPurchases: (
    model: ModelLike<Record<string, number>>,
    x: number,
    tx: number,
    T: number,
    t: number,
  ) => number;
  /**
   * Discounted expected residual transactions at a continuously compounded rate δ per time unit, when the model has
   * them (`predictDert` refuses a kind without).
   */
  readonly dert?: (model: ModelLike<Record<string, number>>, x: number, tx: number, T: number, delta: number) => number;
  /** P(X(t) = x) of a new customer, when the model has it. */
  readonly probabilityOfPurchases?: (model: ModelLike<Record<string, number>>, x: number, t: number) => number;
  /** P(X(T, T + t) = n | x, t_x, T), when the model has it. */
  readonly conditionalProbabilityOfPurchases?: (
    model: ModelLike<Record<string, number>>,
    n: number,
    x: number,
    tx: number,
    T: number,
    t: number,
  ) => number;
}

type AnyLike = ModelLike<Record<string, number>>;

/** The repeat-buying models, by kind. */
export const REPEAT_MODELS: Readonly<Record<RepeatModelKind, RepeatModelEntry>> = Object.freeze({
  bgNbd: {
    kind: 'bgNbd',
    label: 'BG/NBD',
    names: ['r', 'alpha', 'a', 'b'],
    fit: (summary, options) => fitBgNbd(summary, options as BgNbdOptions),
    expectedPurchases: (m: AnyLike, t) => bgNbdExpectedPurchases(m as BgNbdLike, t),
    probabilityAlive: (m: AnyLike, x, tx, T) => bgNbdProbabilityAlive(m as BgNbdLike, x, tx, T),
    conditionalExpectedPurchases: (m: AnyLike, x, tx, T, t) =>
      bgNbdConditionalExpectedPurchases(m as BgNbdLike, x, tx, T, t),
    dert: (m: AnyLike, x, tx, T, delta) => bgNbdDert(m as BgNbdLike, x, tx, T, delta),
    probabilityOfPurchases: (m: AnyLike, x, t) => bgNbdProbabilityOfPurchases(m as BgNbdLike, x, t),
    conditionalProbabilityOfPurchases: (m: AnyLike, n, x, tx, T, t) =>
      bgNbdConditionalProbabilityOfPurchases(m as BgNbdLike, n, x, tx, T, t),
  },
  mbgNbd: {
    kind: 'mbgNbd',
    label: 'MBG/NBD',
    names: ['r', 'alpha', 'a', 'b'],
    fit: (summary, options) => fitMbgNbd(summary, options as MbgNbdOptions),
    expectedPurchases: (m: AnyLike, t) => mbgNbdExpectedPurchases(m as MbgNbdLike, t),
    probabilityAlive: (m: AnyLike, x, tx, T) => mbgNbdProbabilityAlive(m as MbgNbdLike, x, tx, T),
    conditionalExpectedPurchases: (m: AnyLike, x, tx, T, t) =>
      mbgNbdConditionalExpectedPurchases(m as MbgNbdLike, x, tx, T, t),
    probabilityOfPurchases: (m: AnyLike, x, t) => mbgNbdProbabilityOfPurchases(m as MbgNbdLike, x, t),
    conditionalProbabilityOfPurchases: (m: AnyLike, n, x, tx, T, t) =>
      mbgNbdConditionalProbabilityOfPurchases(m as MbgNbdLike, n, x, tx, T, t),
  },
  paretoNbd: {
    kind: 'paretoNbd',
    label: 'Pareto/NBD',
    names: ['r', 'alpha', 's', 'beta'],
    fit: (summary, options) => fitParetoNbd(summary, options as ParetoNbdOptions),
    expectedPurchases: (m: AnyLike, t) => paretoNbdExpectedPurchases(m as ParetoNbdLike, t),
    probabilityAlive: (m: AnyLike, x, tx, T) => paretoNbdProbabilityAlive(m as ParetoNbdLike, x, tx, T),
    conditionalExpectedPurchases: (m: AnyLike, x, tx, T, t) =>
      paretoNbdConditionalExpectedPurchases(m as ParetoNbdLike, x, tx, T, t),
    dert: (m: AnyLike, x, tx, T, delta) => paretoNbdDert(m as ParetoNbdLike, x, tx, T, delta),
  },
});

/**
 * The registry entry of a purchase model, by its `kind`.
 * @param code the error code for a model of no known kind: `INVALID_OPTION` (default), or `INVALID_INPUT` where the
 *   model is the data a face draws (the charts)
 * @throws {ClienteleError} `INVALID_OPTION` (or `code`) when the model is not a repeat-buying model of a known kind
 */
export function repeatModel(
  model: unknown,
  fn: string,
  code: 'INVALID_OPTION' | 'INVALID_INPUT' = 'INVALID_OPTION',
): RepeatModelEntry {
  const kind = (model as { kind?: unknown } | null | undefined)?.kind;
  const entry = typeof kind === 'string' ? (REPEAT_MODELS as Record<string, RepeatModelEntry>)[kind] : undefined;
  if (entry === undefined || !Object.hasOwn(REPEAT_MODELS, kind as string)) {
    const kinds = Object.values(REPEAT_MODELS);
    throw new ClienteleError(
      code,
      `${fn}: the purchase model must be a ${kinds.map((k) => k.label).join(' or ')} model (found kind ${describeValue(kind)}); ` +
        `pass the result of ${kinds.map((k) => `fit${k.kind[0].toUpperCase()}${k.kind.slice(1)}`).join(' or ')}, or { kind: '${kinds[0].kind}', params: { … } }`,
    );
  }
  return entry;
}
