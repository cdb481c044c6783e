import { bfgs, minimize, observedCovariance, observedCovarianceFromGradient } from '../math/internal';
import type { MinimizeResult } from '../math/internal';
import { ClienteleError, describeValue } from '../table/internal';
import type { FittedModel } from './model';

/** The options every probabilistic model's fit takes: where the search starts, how long it runs, what happens if it does not converge. */
export interface FitOptions<Params> {
  /** Starting values for the optimiser, in the paper's notation and the data's unit; missing ones default. */
  start?: Partial<Params>;
  /** Most Nelder–Mead iterations per run. Default 2000 (3000 for Gamma-Gamma, 4000 for BG/BB). */
  maxIterations?: number;
  /**
   * When the optimiser stops on `maxIterations` before meeting its tolerances: `false` (default) throws
   * `NOT_CONVERGED`; `true` returns the last point, with `converged: false`.
   */
  allowNonConvergence?: boolean;
  /**
   * When the data do not identify the model (no variation to learn from, an estimate
   * driven to the edge of the parameter space, a singular or non-finite information matrix): `false` (default)
   * throws `NOT_IDENTIFIED`; `true` returns the fit with `identified: false` and the reason in `warnings`.
   */
  allowUnidentified?: boolean;
  /**
   * An L2 penalty on the parameters, as lifetimes' `penalizer_coef`: the fit minimises
   * −LL/N + penalizer · Σⱼ p̃ⱼ², N the customers, p̃ⱼ each parameter with a time-unit parameter (α, β) expressed in
   * tenths of the longest age (lifetimes rescales time so that the longest age is 10 before it fits) and every other
   * parameter as it is. It shrinks the estimates towards 0 (for small, sparse or unidentified data); the reported
   * `logLikelihood` is the unpenalised one at the penalised estimate, and `standardErrors`/`covariance` come from
   * the curvature of the penalised objective. Default 0 (plain maximum likelihood).
   */
  penalizer?: number;
}

/** What {@link maximiseLikelihood} needs to know of a model, fixed per model. */
export interface LikelihoodModel<Kind extends string, Params extends Record<string, number>> {
  /** The fit function's name, for messages. */
  readonly fn: string;
  readonly kind: Kind;
  /** The parameters in the order the log-likelihood takes them (and the model lists them). */
  readonly names: readonly (keyof Params & string)[];
  /** The parameters in the data's unit (time, money): searched relative to the data's `scale` and started at it. */
  readonly scaled: readonly (keyof Params & string)[];
  /**
   * Parameters that may take any real value (covariate coefficients): searched as they are, started at 0 (or
   * `start`), never tested against the edge of the parameter space. Every other parameter is positive and searched
   * in log space.
   */
  readonly free?: readonly (keyof Params & string)[];
  /** The default of `maxIterations`. */
  readonly maxIterations: number;
  /** Fresh-simplex restarts after each run; when absent, a run restarts only from a lower probe (see {@link maximise}). */
  readonly restarts?: number;
}

/** What {@link maximiseLikelihood} needs to know of the data, after reading and compressing it. */
export interface LikelihoodData {
  /** The full log-likelihood (every constant kept) as a function of the parameters; NaN or −∞ outside the domain. */
  readonly logLikelihood: (params: Float64Array) => number;
  /**
   * When given, the log-likelihood (as `logLikelihood`, to rounding) that also writes its gradient in the parameters
   * into `grad`: the search is then BFGS, checked by a probe (see {@link maximise}).
   */
  readonly logLikelihoodGradient?: (params: Float64Array, grad: Float64Array) => number;
  /** The data's unit for the model's `scaled` parameters (e.g. the mean age, the mean spend); 1 when it has none. */
  readonly scale: number;
  /**
   * The unit of the model's `scaled` parameters in the `penalizer` term (lifetimes' time unit: the longest age / 10);
   * 1 when absent (the parameter is penalised as it is).
   */
  readonly penaltyUnit?: number;
  /** Customers (Σ weights), distinct data patterns, and rows dropped by reason. */
  readonly customers: number;
  readonly patterns: number;
  readonly dropped: Readonly<Record<string, number>>;
  /**
   * Why the data cannot identify the model whatever the optimiser does (e.g. "every customer has x = 0: no repeat
   * purchase"), or undefined when they vary enough; the reader states it in the model's own terms.
   */
  readonly noVariation?: string;
  /** The time unit the data carry in their metadata (`clientele.unit` of `summaryFromTransactions`), if any. */
  readonly unit?: string;
}

/**
 * Fits a probabilistic model by maximum likelihood and returns it as a frozen {@link FittedModel}: the one driver
 * every fit (BG/NBD, Pareto/NBD, Gamma-Gamma, sBG, BG/BB) goes through.
 *
 * Order: the options are checked first, then `read` reads the data (so that a bad option is reported before the data
 * are read), then {@link maximise} searches from `options.start` (each missing value: 1, or the data's `scale` for a
 * `scaled` parameter).
 *
 * Identification: data the reader marks as without variation (`noVariation`) are refused before the search; after
 * it, the estimate is checked by `identification` below. Either gives `NOT_IDENTIFIED`, or with
 * `allowUnidentified: true` the fit with `identified: false` and the reason in `warnings`.
 *
 * @throws {ClienteleError} `INVALID_OPTION` for a bad `start`, `maxIterations`, `allowNonConvergence` or
 * `allowUnidentified`; `NOT_CONVERGED` when the optimiser stops on `maxIterations` and `allowNonConvergence` is not
 * `true`; `NOT_IDENTIFIED` when the data do not identify the model and `allowUnidentified` is not `true`; whatever
 * `read` throws
 */
export function maximiseLikelihood<Kind extends string, Params extends Record<string, number>>(
  model: LikelihoodModel<Kind, Params>,
  options: FitOptions<Params>,
  read: () => LikelihoodData,
): FittedModel<Kind, Params> {
  const { fn, names } = model;
  const free = model.free ?? [];
  const maxIterations = checkFitOptions(options, fn, names, model.maxIterations, free);
  const allowUnidentified = options.allowUnidentified === true;
  const data = read();
  // no variation: refused before the search, which has nothing to find (and may wander for long)
  if (data.noVariation !== undefined && !allowUnidentified) throw notIdentified(fn, data.noVariation, data);
  const scales = Float64Array.from(names, (name) => (model.scaled.includes(name) ? data.scale : 1));
  const isFree = Uint8Array.from(names, (name) => (free.includes(name) ? 1 : 0));
  const start = Float64Array.from(names, (name, j) => options.start?.[name] ?? (isFree[j] ? 0 : scales[j]));
  const penaltyUnit = data.penaltyUnit ?? 1;
  const penaltyScale = Float64Array.from(names, (name) => (model.scaled.includes(name) ? penaltyUnit : 1));
  const fit = maximise(data.logLikelihood, start, scales, data.customers, maxIterations, model.restarts, {
    gradient: data.logLikelihoodGradient,
    free: isFree,
    penalizer: options.penalizer ?? 0,
    penaltyScale,
  });
  const warnings: string[] = [];
  if (!fit.converged) {
    const message =
      `${fn}: the optimiser did not converge in ${fit.iterations} iterations (log-likelihood ${fit.logLikelihood.toFixed(3)}); ` +
      `raise maxIterations (now ${maxIterations} per run) or give start values, or pass allowNonConvergence: true to ` +
      `get the last point`;
    if (options.allowNonConvergence !== true) throw new ClienteleError('NOT_CONVERGED', message);
    warnings.push(`NOT_CONVERGED: ${message}`);
  }
  // a search stopped early (allowed above) ends away from the optimum, where the information says nothing
  const reason = data.noVariation ?? (fit.converged ? identification(names, fit, scales, isFree) : undefined);
  if (reason !== undefined) {
    const error = notIdentified(fn, reason, data);
    if (!allowUnidentified) throw error;
    warnings.push(`NOT_IDENTIFIED: ${error.message}`);
  }
  const byName = (values: Float64Array) =>
    Object.freeze(Object.fromEntries(names.map((name, j) => [name, values[j]]))) as Readonly<Params>;
  return Object.freeze({
    kind: model.kind,
    params: byName(fit.params),
    standardErrors: byName(fit.se),
    covariance: Object.freeze(fit.covariance.map((row) => Object.freeze(Array.from(row)))),
    penalizer: options.penalizer ?? 0,
    logLikelihood: fit.logLikelihood,
    customers: data.customers,
    patterns: data.patterns,
    dropped: Object.freeze({ ...data.dropped }),
    converged: fit.converged,
    iterations: fit.iterations,
    identified: reason === undefined,
    warnings: Object.freeze(warnings),
    ...(data.unit === undefined ? {} : { unit: data.unit }),
  });
}

/**
 * How far from the data's unit an estimate may go before it counts as driven to the edge of the parameter space:
 * a parameter below 10⁻⁶ or above 10⁶ times its scale (the optimiser works on ln(parameter / scale), where that is
 * ±13.8; the published fits of the five models lie within 10⁻² … 10²).
 */
const EDGE = 1e6;

/**
 * Whether a maximum-likelihood fit identifies its parameters, as a reason when it does not: a non-finite
 * log-likelihood or estimate; an estimate at the edge of the parameter space (below 1/{@link EDGE} or above
 * {@link EDGE} times its scale: the likelihood keeps rising towards 0 or ∞, as for a = 5.7e-8, b = 159,372 on the
 * Online Retail sample); a singular, indefinite or non-finite observed information matrix (standard errors NaN);
 * or one so ill-conditioned that a standard error passes 1,000 times its estimate.
 */
function identification(
  names: readonly string[],
  fit: { params: Float64Array; se: Float64Array; logLikelihood: number },
  scales: Float64Array,
  free: Uint8Array,
): string | undefined {
  const { params, se } = fit;
  const shown = (j: number) => `${names[j]} = ${params[j].toPrecision(3)}`;
  if (!Number.isFinite(fit.logLikelihood)) return `the log-likelihood at the estimate is ${fit.logLikelihood}`;
  for (let j = 0; j < names.length; j++) {
    if (free[j]) {
      if (!Number.isFinite(params[j])) return `the estimate ${shown(j)} is not finite`;
      continue;
    }
    const relative = params[j] / scales[j];
    if (!Number.isFinite(params[j]) || !(relative > 1 / EDGE) || !(relative < EDGE)) {
      return `the estimate ${shown(j)} is at the edge of the parameter space (the likelihood keeps rising towards ${relative < 1 ? 0 : '∞'})`;
    }
  }
  for (let j = 0; j < names.length; j++) {
    if (!Number.isFinite(se[j])) return 'the information matrix is singular or not positive definite at the estimate';
  }
  for (let j = 0; j < names.length; j++) {
    if (se[j] > 1000 * (free[j] ? Math.max(1, Math.abs(params[j])) : params[j])) {
      return `the likelihood is flat along ${names[j]} (${shown(j)}, standard error ${se[j].toPrecision(3)})`;
    }
  }
  return undefined;
}

/** The `NOT_IDENTIFIED` error of a fit, in the house grammar. */
function notIdentified(fn: string, reason: string, data: LikelihoodData): ClienteleError {
  return new ClienteleError(
    'NOT_IDENTIFIED',
    `${fn}: the data do not identify the model (found ${reason}; ${data.customers} customers, ${data.patterns} distinct ` +
      `patterns); fit on more, and more varied, customers (a longer calibration period), or pass allowUnidentified: ` +
      `true to get the fit marked identified: false`,
  );
}

/** Validates the options every fit shares; returns the iteration limit. @throws {ClienteleError} `INVALID_OPTION` */
function checkFitOptions(
  options: {
    start?: unknown;
    maxIterations?: unknown;
    allowNonConvergence?: unknown;
    allowUnidentified?: unknown;
    penalizer?: unknown;
  },
  fn: string,
  names: readonly string[],
  defaultMaxIterations: number,
  free: readonly string[],
): number {
  const start = options.start;
  if (start !== undefined) {
    if (typeof start !== 'object' || start === null) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option start must be an object of parameters (found ${describeValue(start)}); pass e.g. { start: { ${names[0]}: 1 } }`,
      );
    }
    for (const [key, value] of Object.entries(start)) {
      const isFree = free.includes(key);
      if (!names.includes(key) || typeof value !== 'number' || !Number.isFinite(value) || (!isFree && !(value > 0))) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option start.${key} must be one of ${names.join(', ')} with a ${isFree ? '' : 'positive '}finite value (found ${describeValue(value)}); ` +
            (free.length === 0
              ? `every parameter of the model is positive`
              : `every parameter but ${free.join(', ')} is positive`),
        );
      }
    }
  }
  const maxIterations = options.maxIterations ?? defaultMaxIterations;
  if (typeof maxIterations !== 'number' || !Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxIterations must be a positive integer (found ${describeValue(maxIterations)}); the default is ${defaultMaxIterations}`,
    );
  }
  const allow = options.allowNonConvergence;
  if (allow !== undefined && typeof allow !== 'boolean') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option allowNonConvergence must be true or false (found ${describeValue(allow)}); pass true to get the last point of a search that did not converge`,
    );
  }
  const penalizer = options.penalizer;
  if (penalizer !== undefined && (typeof penalizer !== 'number' || !(penalizer >= 0) || !Number.isFinite(penalizer))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option penalizer must be a finite number ≥ 0 (found ${describeValue(penalizer)}); it weighs an L2 penalty on the parameters, as lifetimes' penalizer_coef (0, the default, is plain maximum likelihood)`,
    );
  }
  const accept = options.allowUnidentified;
  if (accept !== undefined && typeof accept !== 'boolean') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option allowUnidentified must be true or false (found ${describeValue(accept)}); pass true to get a fit the data do not identify, marked identified: false`,
    );
  }
  return maxIterations;
}

/** How {@link maximise} searches, beyond the data: the gradient, the free parameters and the penalty. */
export interface MaximiseOptions {
  /** The log-likelihood that also writes its gradient in the parameters into `grad`: the search is then BFGS. */
  readonly gradient?: (p: Float64Array, grad: Float64Array) => number;
  /** 1 for a parameter searched as it is (any real value), 0 for a positive one searched in log space. */
  readonly free?: Uint8Array;
  /** The weight c of the penalty c · Σⱼ (pⱼ / penaltyScaleⱼ)² added to the mean negative log-likelihood. */
  readonly penalizer?: number;
  /** Each parameter's unit in the penalty (1 by default). */
  readonly penaltyScale?: Float64Array;
}

/**
 * Maximises a log-likelihood by Nelder–Mead on θ = ln(parameter / scale) for the positive parameters — log space
 * so that every θ is allowed, and scale parameters divided by the data's unit so that the search is the same
 * whatever the time or money unit — and θ = parameter for the `free` ones (covariate coefficients), minimising the
 * mean negative log-likelihood per customer, so that the optimiser's tolerances mean the same for a hundred
 * customers or a million, plus the `penalizer` term c · Σⱼ (pⱼ / uⱼ)² when c > 0. Standard errors and the
 * covariance come from the numeric Hessian of the (penalised) negative log-likelihood in the parameters themselves.
 *
 * Restart policy: a Nelder–Mead run can stop on a collapsed simplex away from the optimum (McKinnon 1998). With
 * `restarts` given, every run is followed by that many fresh-simplex restarts from its best point, as `minimize`
 * does. Without it, rather than always paying for a second run (about half the cost of a fit), the end point is
 * probed at θ ± 10⁻³ along each axis; only when a probe is lower does the search restart from there.
 *
 * With `gradient` (the log-likelihood that also writes its gradient in the parameters), the search is instead BFGS
 * with a strong-Wolfe line search ({@link bfgs}) on the same objective in θ, its gradient by the chain rule
 * ∂/∂θⱼ = pⱼ ∂/∂pⱼ (∂/∂pⱼ for a free parameter); Nelder–Mead takes over from its end point when BFGS did not
 * converge (e.g. its line search failed), and the end point is then probed as above (with `restarts` absent) — a
 * safety net that costs 2k evaluations when BFGS did its job.
 *
 * @param maxIterations most iterations per run
 * @returns the estimates, the log-likelihood there (unpenalised), standard errors, the covariance matrix (NaN
 * everywhere when the Hessian is not positive definite), whether the last run met its tolerances, and the
 * iterations of all runs
 */
export function maximise(
  logLik: (p: Float64Array) => number,
  start: Float64Array,
  scales: Float64Array,
  customers: number,
  maxIterations: number,
  restarts?: number,
  options: MaximiseOptions = {},
): {
  params: Float64Array;
  logLikelihood: number;
  se: Float64Array;
  covariance: Float64Array[];
  converged: boolean;
  iterations: number;
} {
  const k = start.length;
  const free = options.free ?? new Uint8Array(k);
  const c = options.penalizer ?? 0;
  const unit = options.penaltyScale ?? new Float64Array(k).fill(1);
  const gradient = options.gradient;
  const p = new Float64Array(k);
  const toParams = (theta: Float64Array) => {
    for (let j = 0; j < k; j++) p[j] = free[j] ? theta[j] : Math.exp(theta[j]) * scales[j];
  };
  const penalty = (q: ArrayLike<number>) => {
    if (c === 0) return 0;
    let sum = 0;
    for (let j = 0; j < k; j++) sum += (q[j] / unit[j]) ** 2;
    return c * sum;
  };
  const objective = (theta: Float64Array) => {
    toParams(theta);
    const ll = logLik(p);
    return Number.isFinite(ll) ? -ll / customers + penalty(p) : Infinity;
  };
  const theta0 = Float64Array.from(start, (v, j) => (free[j] ? v : Math.log(v / scales[j])));
  let result: MinimizeResult;
  let iterations: number;
  if (gradient !== undefined) {
    const gp = new Float64Array(k);
    const objectiveWithGradient = (theta: Float64Array, g: Float64Array) => {
      toParams(theta);
      const ll = gradient(p, gp);
      if (!Number.isFinite(ll)) return Infinity;
      for (let j = 0; j < k; j++) {
        const dObjective = -gp[j] / customers + (c === 0 ? 0 : (2 * c * p[j]) / (unit[j] * unit[j]));
        g[j] = free[j] ? dObjective : dObjective * p[j];
      }
      return -ll / customers + penalty(p);
    };
    result = bfgs(objectiveWithGradient, theta0, { maxIterations, gradientTolerance: 1e-9, fTolerance: 1e-15 });
    iterations = result.iterations;
    // the safety net: a BFGS run that did not converge hands over to Nelder–Mead (and the probe below checks both)
    if (!result.converged) {
      result = minimize(objective, result.x, { maxIterations, restarts: restarts ?? 0 });
      iterations += result.iterations;
    }
  } else {
    result = minimize(objective, theta0, { maxIterations, restarts: restarts ?? 0 });
    iterations = result.iterations;
  }
  for (let round = 0; restarts === undefined && round < 3; round++) {
    const probe = lowerProbe(objective, result.x, result.fx, 1e-3, 1e-10);
    if (probe === null) break;
    result = minimize(objective, probe, { maxIterations, restarts: 0 });
    iterations += result.iterations;
  }
  const params = Float64Array.from(result.x, (v, j) => (free[j] ? v : Math.exp(v) * scales[j]));
  const logLikelihood = logLik(params);
  const covariance = estimateCovariance(logLik, params, customers, penalty, options);
  const se = Float64Array.from({ length: k }, (_, j) => Math.sqrt(covariance[j][j]));
  return { params, logLikelihood, se, covariance, converged: result.converged, iterations };
}

/**
 * The covariance of the estimates from the observed information of the (penalised) negative log-likelihood: by
 * central differences of the analytic gradient when there is one (2k evaluations), else of the function (2k² + 1);
 * NaN everywhere when the information is not positive definite.
 */
function estimateCovariance(
  logLik: (p: Float64Array) => number,
  params: Float64Array,
  customers: number,
  penalty: (q: ArrayLike<number>) => number,
  options: MaximiseOptions,
): Float64Array[] {
  const k = params.length;
  const free = options.free ?? new Uint8Array(k);
  const c = options.penalizer ?? 0;
  const unit = options.penaltyScale ?? new Float64Array(k).fill(1);
  const gradient = options.gradient;
  const outside = (q: Float64Array) => {
    for (let j = 0; j < k; j++) if (!free[j] && !(q[j] > 0)) return true;
    return false;
  };
  const covariance =
    gradient !== undefined
      ? observedCovarianceFromGradient((q, g) => {
          if (outside(q)) return NaN;
          const ll = gradient(q, g);
          for (let j = 0; j < k; j++) g[j] = -g[j] + (c === 0 ? 0 : (2 * c * customers * q[j]) / (unit[j] * unit[j]));
          return ll;
        }, params)
      : observedCovariance((q) => (outside(q) ? NaN : -logLik(q) + customers * penalty(q)), params);
  return covariance ?? Array.from({ length: k }, () => new Float64Array(k).fill(NaN));
}

/** The best of x ± h·eⱼ when it is lower than f(x) − tolerance, else null. */
function lowerProbe(
  f: (x: Float64Array) => number,
  x: Float64Array,
  fx: number,
  h: number,
  tolerance: number,
): Float64Array | null {
  let best: Float64Array | null = null;
  let bestValue = fx - tolerance;
  for (let j = 0; j < x.length; j++) {
    for (const sign of [1, -1]) {
      const y = Float64Array.from(x);
      y[j] += sign * h;
      const v = f(y);
      if (v < bestValue) {
        best = y;
        bestValue = v;
      }
    }
  }
  return best;
}
