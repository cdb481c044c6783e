import { ClienteleError, describeValue } from '../table/internal';

/**
 * The shape every fitted probabilistic CLV model shares. A model is a frozen plain object; predictions are pure
 * functions of a model and data, never methods that change it.
 */
export interface FittedModel<Kind extends string, Params extends Record<string, number>> {
  /** Which model, for the prediction functions that accept several. */
  readonly kind: Kind;
  /** Maximum-likelihood estimates, in the paper's notation and time unit. */
  readonly params: Readonly<Params>;
  /** Standard errors from the observed information (NaN when the Hessian is not positive definite). */
  readonly standardErrors: Readonly<Params>;
  /**
   * The covariance matrix of the estimates from the observed information, rows and columns in the order of
   * `params`' keys (NaN everywhere when the Hessian is not positive definite): what the delta method and the
   * prediction intervals use.
   */
  readonly covariance: readonly (readonly number[])[];
  /** The `penalizer` the fit used (0: plain maximum likelihood). */
  readonly penalizer: number;
  /** The maximised log-likelihood (the full one, with every constant, comparable with the papers). */
  readonly logLikelihood: number;
  /** Customers (or units) the fit used, after dropping bad rows, and how many distinct data patterns. */
  readonly customers: number;
  readonly patterns: number;
  /** Rows dropped before fitting, by reason (as `droppedRows` reports for tables). */
  readonly dropped: Readonly<Record<string, number>>;
  /** Whether the optimiser met its tolerances, and how many iterations it took. */
  readonly converged: boolean;
  readonly iterations: number;
  /**
   * Whether the data identify the model: false only for a fit returned with `allowUnidentified: true` (no
   * variation, an estimate at the edge of the parameter space, a singular information matrix); its numbers mean
   * nothing and predictions from it should not be used as values.
   */
  readonly identified: boolean;
  /** What was accepted by an `allow…` option, one line each prefixed with its code (`NOT_IDENTIFIED: …`); empty normally. */
  readonly warnings: readonly string[];
  /** The time unit of the summary the model was fitted on (`'day'`, `'week'`), when it said (its `clientele.unit`). */
  readonly unit?: string;
}

/** What a model's prediction functions need: a fitted model, or any object with its parameters (published values). */
export interface ModelLike<Params extends Record<string, number>> {
  readonly params: Readonly<Params>;
  /** The time unit of the fit (`'day'`, `'week'`), checked against a summary's `clientele.unit` when both are given. */
  readonly unit?: string;
}

/** Checks a model-like argument's parameters: each a positive finite number. @throws {ClienteleError} `INVALID_VALUE` */
export function checkParams(params: unknown, names: readonly string[], fn: string): void {
  const p = params as Record<string, unknown> | undefined;
  for (const name of names) {
    const v = p?.[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: model.params.${name} must be a positive finite number (found ${describeValue(v)}); pass a fitted model ` +
          `or { params: { ${names.join(', ')} } }`,
      );
    }
  }
}
