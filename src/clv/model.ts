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
}
