import type { Table } from 'apache-arrow';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdProbabilityAlive,
} from '../clv/index';
import type { BgNbdLike, ParetoNbdLike } from '../clv/index';
import { ClienteleError, describeValue, hasOwnKey } from '../table/internal';
import { chartTable, numbers } from './spec';

/** A fitted BG/NBD or Pareto/NBD model's predictions, as the lifetimes-style charts use them. */
export interface RepeatModel {
  /** `'BG/NBD'` or `'Pareto/NBD'`, for titles. */
  readonly name: string;
  /** P(alive at T | x, t_x, T). */
  readonly alive: (x: number, tx: number, T: number) => number;
  /** E[purchases in (T, T + t] | x, t_x, T]. */
  readonly expected: (x: number, tx: number, T: number, t: number) => number;
  /** P(X(t) = x) for a new customer; null for a model without it (Pareto/NBD in clientele). */
  readonly pmf: ((x: number, t: number) => number) | null;
}

/**
 * The model's predictions: a `fitParetoNbd` result (kind `'paretoNbd'`, or parameters r, alpha, s, beta) or a
 * `fitBgNbd` result (kind `'bgNbd'`, or parameters r, alpha, a, b). @throws {ClienteleError} `INVALID_INPUT`
 */
export function repeatModel(model: unknown, fn: string): RepeatModel {
  const m = model as { kind?: unknown; params?: Record<string, unknown> } | null;
  const params = typeof m === 'object' && m !== null ? m.params : undefined;
  const has = (...names: string[]) =>
    typeof params === 'object' && params !== null && names.every((n) => hasOwnKey(params, n));
  if (m?.kind === 'paretoNbd' || (m?.kind === undefined && has('r', 'alpha', 's', 'beta'))) {
    const p = m as ParetoNbdLike;
    return {
      name: 'Pareto/NBD',
      alive: (x, tx, T) => paretoNbdProbabilityAlive(p, x, tx, T),
      expected: (x, tx, T, t) => paretoNbdConditionalExpectedPurchases(p, x, tx, T, t),
      pmf: null,
    };
  }
  if (m?.kind === 'bgNbd' || (m?.kind === undefined && has('r', 'alpha', 'a', 'b'))) {
    const b = m as BgNbdLike;
    return {
      name: 'BG/NBD',
      alive: (x, tx, T) => bgNbdProbabilityAlive(b, x, tx, T),
      expected: (x, tx, T, t) => bgNbdConditionalExpectedPurchases(b, x, tx, T, t),
      pmf: (x, t) => bgNbdProbabilityOfPurchases(b, x, t),
    };
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: model must be a fitted BG/NBD or Pareto/NBD model (found ${describeValue(model)}); pass the result of fitBgNbd or fitParetoNbd`,
  );
}

/** The calibration columns of a `summaryFromTransactions` table: frequency (x), recency (t_x) and T. */
export interface Histories {
  readonly table: Table;
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  /** The time unit of the summary (its `clientele.unit`), e.g. `'week'`. */
  readonly unit: string;
}

/** Reads frequency, recency and T of a summary table. @throws {ClienteleError} `INVALID_INPUT`, `MISSING_COLUMN` */
export function readHistories(summary: unknown, fn: string): Histories {
  const producer = 'summaryFromTransactions';
  const table = chartTable(summary, fn, producer);
  return {
    table,
    x: numbers(table, 'frequency', fn, producer),
    tx: numbers(table, 'recency', fn, producer),
    T: numbers(table, 'T', fn, producer),
    unit: table.schema.metadata.get('clientele.unit') ?? 'period',
  };
}
