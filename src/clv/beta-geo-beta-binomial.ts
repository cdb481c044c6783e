import { makeVector } from 'apache-arrow';
import type { Float64, Vector } from 'apache-arrow';
import { lbeta, logAddExp } from '../math/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  knownOptions,
  optionNames,
  readNumeric,
} from '../table/internal';
import { maximiseLikelihood } from './maximise-likelihood';
import type { FitOptions, LikelihoodData, LikelihoodModel } from './maximise-likelihood';
import type { FittedModel, ModelLike } from './model';
import { _uniqueRows } from './unique-rows';

/** Options of {@link fitBgBb}: the names of the summary's columns, and the optimiser's options. */
export interface BgBbOptions extends FitOptions<BgBbParams> {
  /** Repeat transactions x (transaction opportunities with a transaction). Default `'frequency'`. */
  frequency?: string;
  /** Recency t_x: the opportunity of the last transaction (0 with no repeat transaction). Default `'recency'`. */
  recency?: string;
  /** Transaction opportunities n in the calibration period. Default `'periods'`. */
  periods?: string;
  /** How many customers each row stands for (grouped data, as Hardie's donation data). Default: one per row. */
  weights?: string;
}

/** The BG/BB parameters: beta(α, β) for the transaction probability p, beta(γ, δ) for the dropout probability θ. */
export interface BgBbParams extends Record<string, number> {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

/** A fitted BG/BB model. */
export type BgBbModel = FittedModel<'betaGeoBetaBinomial', BgBbParams>;

/** What the BG/BB predictions need of a model: its parameters (a fitted model, or published values). */
export type BgBbLike = ModelLike<BgBbParams>;

/** Options of {@link predictBgBb}. */
export interface BgBbPredictOptions {
  /** Future opportunities n* for the expected transactions. Default 1. */
  ahead?: number;
  /** Column names, as for {@link fitBgBb}. */
  frequency?: string;
  recency?: string;
  periods?: string;
}

/** Per-row predictions of {@link predictBgBb}. */
export interface BgBbPredictions {
  /** P(alive at opportunity n + 1 | x, t_x, n). */
  readonly probabilityAlive: Vector<Float64>;
  /** E(X(n, n + n*) | x, t_x, n): expected transactions in the next n* opportunities. */
  readonly expectedTransactions: Vector<Float64>;
}

const BGBB: LikelihoodModel<'betaGeoBetaBinomial', BgBbParams> = {
  fn: 'fitBgBb',
  kind: 'betaGeoBetaBinomial',
  names: ['alpha', 'beta', 'gamma', 'delta'],
  scaled: [],
  maxIterations: 4000,
  restarts: 2,
};
const FN = BGBB.fn;
const COLUMNS = { frequency: 'frequency', recency: 'recency', periods: 'periods' } as const;

/** The options fitBgBb takes; every other name is refused with a did-you-mean. */
const FIT_BG_BB_OPTION_NAMES = optionNames<BgBbOptions>({
  frequency: true,
  recency: true,
  periods: true,
  weights: true,
  start: true,
  maxIterations: true,
  allowNonConvergence: true,
  allowUnidentified: true,
  penalizer: true,
});

/**
 * Fits the beta-geometric/beta-binomial (BG/BB) model of repeat transactions in discrete time: for businesses where a
 * customer can transact at most once per fixed opportunity (a yearly fund-raising drive, a conference, a weekly
 * event) and nobody announces that they have left.
 *
 * Used to forecast each customer's transactions in the next opportunities, to find who is probably still "alive",
 * and (with a spend model) to value a customer base from recency and frequency alone.
 *
 * Model (Fader, Hardie & Shang 2010, §2): while alive, a customer transacts at each opportunity with probability p;
 * after each opportunity (from the first on) they die with probability θ, never to return; p ~ beta(α, β) and
 * θ ~ beta(γ, δ) across customers, independently. For a customer with x transactions in n opportunities, the last at
 * opportunity t_x (x = t_x = 0 without any), the likelihood is (eq. 5)
 *
 *   L(α, β, γ, δ | x, t_x, n) = B(α + x, β + n − x)/B(α, β) · B(γ, δ + n)/B(γ, δ)
 *                             + Σ_{i=0..n−t_x−1} B(α + x, β + t_x − x + i)/B(α, β) · B(γ + 1, δ + t_x + i)/B(γ, δ)
 *
 * summed in log space (log-sum-exp). LL = Σ w ln L over customers, every constant kept, so it is the paper's LL.
 * The four parameters are fitted in log space by Nelder–Mead; customers with the same (x, t_x, n) are one pattern. A
 * search that stops on `maxIterations` throws `NOT_CONVERGED`, or with `allowNonConvergence: true` gives
 * `converged: false`.
 *
 * Rows: dropped and counted are rows with a null, NaN, negative, infinite or fractional frequency, recency or periods
 * (`invalidValue`), with x > t_x, t_x > n, or x = 0 ≠ t_x / x > 0 = t_x (`inconsistentRecency`: the columns are
 * probably swapped or in other units), and with a null, NaN, negative or infinite weight (`invalidWeight`) or a zero
 * weight (`zeroWeight`). `dropped` counts rows, `customers` sums the weights.
 *
 * Units: transaction opportunities (periods); α, β, γ, δ are pure numbers.
 *
 * Cost: O(rows) to read and group, then O(Σ over patterns of (n − t_x)) per likelihood evaluation.
 *
 * Reference: P. S. Fader, B. G. S. Hardie & J. Shang (2010), "Customer-base analysis in a discrete-time noncontractual
 * setting", Marketing Science 29(6), 1086–1108, eqs. 5, 11 and 13. On the donations of the 1995 cohort (11,104
 * donors, 6 opportunities): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6.
 *
 * @param summary one row per customer or per (x, t_x, n) group with `weights`, any input `asTable` reads
 * @param options column names; defaults `{ frequency: 'frequency', recency: 'recency', periods: 'periods' }`; `start`
 * (default α = β = γ = δ = 1), `maxIterations` (default 4000), `allowNonConvergence` (default false)
 * @throws {ClienteleError} `NOT_IDENTIFIED` when the data do not identify the model (see `maximiseLikelihood`),
 *   unless `allowUnidentified: true`; and:
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` for a column option that is not a name
 * or a bad optimiser option, `EMPTY_INPUT` when no valid row is left, `NOT_CONVERGED`
 *
 * @example
 * const model = fitBgBb({ frequency: [0, 1, 2, 2, 3, 6], recency: [0, 1, 2, 5, 6, 6], periods: [6, 6, 6, 6, 6, 6], n: [40, 10, 6, 5, 8, 12] }, { weights: 'n' });
 * model.customers; // 81
 * model.patterns; // 6
 */
export function fitBgBb(summary: unknown, options: BgBbOptions = {}): BgBbModel {
  options = knownOptions(options, FIT_BG_BB_OPTION_NAMES, 'fitBgBb');
  return maximiseLikelihood(BGBB, options, () => opportunitiesLikelihood(summary, options));
}

/** Reads, validates and groups the (x, t_x, n) rows of {@link fitBgBb}. */
function opportunitiesLikelihood(summary: unknown, options: BgBbOptions): LikelihoodData {
  const o = { ...COLUMNS, ...options };
  const table = asTable(summary);
  const x = readNumeric(table, o.frequency, FN, 'frequency').values;
  const tx = readNumeric(table, o.recency, FN, 'recency').values;
  const n = readNumeric(table, o.periods, FN, 'periods').values;
  const w = options.weights === undefined ? null : readNumeric(table, options.weights, FN, 'weights').values;

  const drops = new DropCounter();
  const rows = table.numRows;
  const keptX = new Float64Array(rows);
  const keptTx = new Float64Array(rows);
  const keptN = new Float64Array(rows);
  const keptW = new Float64Array(rows);
  let kept = 0;
  for (let i = 0; i < rows; i++) {
    const weight = w === null ? 1 : w[i];
    const xi = x[i];
    const ti = tx[i];
    const ni = n[i];
    if (!(weight >= 0 && weight < Infinity)) drops.drop('invalidWeight', i);
    else if (!isCount(xi) || !isCount(ti) || !isCount(ni)) drops.drop('invalidValue', i);
    else if (xi > ti || ti > ni || (xi === 0) !== (ti === 0)) drops.drop('inconsistentRecency', i);
    else if (weight === 0) drops.drop('zeroWeight', i);
    else {
      keptX[kept] = xi;
      keptTx[kept] = ti;
      keptN[kept] = ni;
      keptW[kept++] = weight;
    }
  }
  if (kept === 0) {
    const found =
      Object.entries(drops.counts)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || 'no rows';
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${FN}: no valid customer is left in columns "${o.frequency}", "${o.recency}" and "${o.periods}" (found ${rows} ` +
        `rows; dropped ${found}); pass whole numbers with 0 ≤ frequency ≤ recency ≤ periods, recency 0 exactly when ` +
        `frequency is 0`,
    );
  }
  // group identical (x, t_x, n) once; the likelihood then loops over patterns
  const head = (a: Float64Array) => a.subarray(0, kept);
  const unique = _uniqueRows([head(keptX), head(keptTx), head(keptN)], head(keptW));
  const [px, ptx, pn] = unique.columns;
  const data: Patterns = { x: px, tx: ptx, n: pn, w: unique.weights };
  let total = 0;
  for (let k = 0; k < data.w.length; k++) total += data.w[k];
  return {
    logLikelihood: (t) => logLikelihood(t[0], t[1], t[2], t[3], data),
    scale: 1,
    customers: total,
    patterns: data.x.length,
    dropped: drops.counts,
    noVariation: data.x.every((x) => x === 0)
      ? 'every customer has x = 0: no repeat transaction to learn a rate from'
      : data.x.length === 1
        ? 'one distinct history (x, t_x, n) for every customer'
        : undefined,
  };
}

interface Patterns {
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  w: Float64Array;
}

function isCount(v: number): boolean {
  return typeof v === 'number' && v >= 0 && v < Infinity && Math.floor(v) === v;
}

/** Σ w ln L over patterns (Fader, Hardie & Shang 2010, eq. 5); −Infinity outside the domain. */
function logLikelihood(alpha: number, beta: number, gamma: number, delta: number, d: Patterns): number {
  if (!(alpha > 0 && beta > 0 && gamma > 0 && delta > 0)) return -Infinity;
  const lbAB = lbeta(alpha, beta);
  const lbGD = lbeta(gamma, delta);
  let sum = 0;
  for (let k = 0; k < d.x.length; k++)
    sum += d.w[k] * logL(alpha, beta, gamma, delta, lbAB, lbGD, d.x[k], d.tx[k], d.n[k]);
  return sum;
}

/** ln L(α, β, γ, δ | x, t_x, n), eq. 5, by log-sum-exp over its n − t_x + 1 terms. */
function logL(
  alpha: number,
  beta: number,
  gamma: number,
  delta: number,
  lbAB: number,
  lbGD: number,
  x: number,
  tx: number,
  n: number,
): number {
  let acc = lbeta(alpha + x, beta + n - x) - lbAB + lbeta(gamma, delta + n) - lbGD;
  for (let i = 0; i < n - tx; i++) {
    acc = logAddExp(acc, lbeta(alpha + x, beta + tx - x + i) - lbAB + lbeta(gamma + 1, delta + tx + i) - lbGD);
  }
  return acc;
}

function checkCustomer(fn: string, x: number, tx: number, n: number): void {
  if (!isCount(x) || !isCount(tx) || !isCount(n) || x > tx || tx > n || (x === 0) !== (tx === 0)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: (frequency, recency, periods) is not a possible history (found (${describeValue(x)}, ` +
        `${describeValue(tx)}, ${describeValue(n)})); pass whole numbers with 0 ≤ frequency ≤ recency ≤ periods, ` +
        `recency 0 exactly when frequency is 0`,
    );
  }
}

function checkAhead(fn: string, ahead: number, min: number): void {
  if (!(typeof ahead === 'number' && Number.isInteger(ahead) && ahead >= min)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ahead must be a whole number of future opportunities ≥ ${min} (found ${describeValue(ahead)}); pass e.g. 5`,
    );
  }
}

/**
 * The probability that a customer with history (x, t_x, n) is still alive at opportunity n + m (Fader, Hardie & Shang
 * 2010, eq. 11 for m = 1; lifetimes' `conditional_probability_alive` for m ≥ 1):
 *
 *   P(alive at n + m | x, t_x, n) = B(α + x, β + n − x)/B(α, β) · B(γ, δ + n + m)/B(γ, δ) / L(α, β, γ, δ | x, t_x, n)
 *
 * In [0, 1]; 1 for m = 0 when t_x = n.
 *
 * @param ahead m ≥ 0, default 1 (alive at the next opportunity)
 * @throws {ClienteleError} `INVALID_VALUE` for an impossible history, `INVALID_OPTION` for a bad `ahead`
 *
 * @example
 * // a donor who gave in each of the six years (the paper's Table 6: 0.93)
 * Math.round(bgBbProbabilityAlive({ params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 } }, 6, 6, 6) * 100) / 100; // 0.93
 */
export function bgBbProbabilityAlive(
  model: BgBbLike,
  frequency: number,
  recency: number,
  periods: number,
  ahead = 1,
): number {
  const fn = 'bgBbProbabilityAlive';
  checkCustomer(fn, frequency, recency, periods);
  checkAhead(fn, ahead, 0);
  return probabilityAlive(model.params, frequency, recency, periods, ahead);
}

function probabilityAlive(p: BgBbParams, x: number, tx: number, n: number, m: number): number {
  const lbAB = lbeta(p.alpha, p.beta);
  const lbGD = lbeta(p.gamma, p.delta);
  const ll = logL(p.alpha, p.beta, p.gamma, p.delta, lbAB, lbGD, x, tx, n);
  const alive = lbeta(p.alpha + x, p.beta + n - x) - lbAB + lbeta(p.gamma, p.delta + n + m) - lbGD;
  return Math.min(1, Math.exp(alive - ll));
}

/**
 * The expected number of transactions of a customer with history (x, t_x, n) in the next n* opportunities, n + 1 … n + n*
 * (Fader, Hardie & Shang 2010, eq. 13):
 *
 *   E(X(n, n + n*) | x, t_x, n) = B(α + x + 1, β + n − x)/B(α, β) / L · Σ_{k=1..n*} B(γ, δ + n + k)/B(γ, δ)
 *
 * The sum is the one whose telescoped form eq. 13 states, δ/(γ − 1) · Γ(γ + δ)/Γ(1 + δ) · [Γ(1 + δ + n)/Γ(γ + δ + n) −
 * Γ(1 + δ + n + n*)/Γ(γ + δ + n + n*)]; summing it (B(γ, b + 1) = B(γ, b) · b/(γ + b)) stays exact at γ = 1, where the
 * closed form is 0/0. For a new customer (x = t_x = n = 0) it is the unconditional E(X(n*)).
 *
 * Cost: O(n − t_x + n*).
 *
 * @param ahead n* ≥ 0
 * @throws {ClienteleError} `INVALID_VALUE` for an impossible history, `INVALID_OPTION` for a bad `ahead`
 *
 * @example
 * // uniform priors: p and θ ~ beta(1, 1), so E(p) = 1/2 and P(alive at t) = E((1 − θ)^t) = 1/(t + 1)
 * const uniform = { params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } };
 * // a new customer, next two opportunities: 1/2 · (1/2 + 1/3)
 * bgBbConditionalExpectedPurchases(uniform, 2, 0, 0, 0); // 5 / 12
 * // one transaction in one opportunity: p | data ~ beta(2, 1), θ | alive ~ beta(1, 2), so 2/3 · 2/3
 * bgBbConditionalExpectedPurchases(uniform, 1, 1, 1, 1); // 4 / 9
 */
export function bgBbConditionalExpectedPurchases(
  model: BgBbLike,
  ahead: number,
  frequency: number,
  recency: number,
  periods: number,
): number {
  const fn = 'bgBbConditionalExpectedPurchases';
  checkAhead(fn, ahead, 0);
  checkCustomer(fn, frequency, recency, periods);
  return expectedTransactions(model.params, ahead, frequency, recency, periods);
}

function expectedTransactions(p: BgBbParams, ahead: number, x: number, tx: number, n: number): number {
  if (ahead === 0) return 0;
  const lbAB = lbeta(p.alpha, p.beta);
  const lbGD = lbeta(p.gamma, p.delta);
  const ll = logL(p.alpha, p.beta, p.gamma, p.delta, lbAB, lbGD, x, tx, n);
  // B(γ, δ + n + k)/B(γ, δ) by the recursion, starting from k = 1
  let b = p.delta + n;
  let ratio = Math.exp(lbeta(p.gamma, b + 1) - lbGD);
  let sum = 0;
  for (let k = 1; k <= ahead; k++) {
    sum += ratio;
    b += 1;
    ratio *= b / (p.gamma + b);
  }
  return Math.exp(lbeta(p.alpha + x + 1, p.beta + n - x) - lbAB - ll) * sum;
}

/**
 * The probability that a new customer makes x transactions in the first n opportunities, P(X(n) = x) (Fader, Hardie &
 * Shang 2010, eq. 7):
 *
 *   P(X(n) = x) = C(n, x) B(α + x, β + n − x)/B(α, β) · B(γ, δ + n)/B(γ, δ)
 *               + Σ_{i=x..n−1} C(i, x) B(α + x, β + i − x)/B(α, β) · B(γ + 1, δ + i)/B(γ, δ)
 *
 * Sums to 1 over x = 0 … n. Times the cohort size it is the expected histogram the paper compares with the data.
 *
 * @throws {ClienteleError} `INVALID_VALUE` unless x and n are whole numbers with 0 ≤ x ≤ n
 *
 * @example
 * // uniform priors, p and θ ~ beta(1, 1): two transactions in two opportunities need the customer alive at both
 * // (E((1 − θ)²) = 1/3) and buying at both (E(p²) = 1/3)
 * const uniform = { params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } };
 * bgBbProbabilityOfPurchases(uniform, 2, 2); // 1 / 9
 * // none: dead from the start (E(θ) = 1/2), alive at the first opportunity only and not buying there
 * // (E((1 − θ)θ) · E(1 − p) = 1/6 · 1/2), or alive at both and buying at neither (1/3 · E((1 − p)²) = 1/3 · 1/3)
 * bgBbProbabilityOfPurchases(uniform, 0, 2); // 25 / 36
 * // one: the rest, 1 − 1/9 − 25/36
 * bgBbProbabilityOfPurchases(uniform, 1, 2); // 7 / 36
 */
export function bgBbProbabilityOfPurchases(model: BgBbLike, frequency: number, periods: number): number {
  if (!isCount(frequency) || !isCount(periods) || frequency > periods) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `bgBbProbabilityOfPurchases: (frequency, periods) must be whole numbers with 0 ≤ frequency ≤ periods ` +
        `(found (${describeValue(frequency)}, ${describeValue(periods)})); pass e.g. (2, 6)`,
    );
  }
  const { alpha, beta, gamma, delta } = model.params;
  const x = frequency;
  const n = periods;
  const lbAB = lbeta(alpha, beta);
  const lbGD = lbeta(gamma, delta);
  let acc = logChoose(n, x) + lbeta(alpha + x, beta + n - x) - lbAB + lbeta(gamma, delta + n) - lbGD;
  for (let i = x; i < n; i++) {
    acc = logAddExp(acc, logChoose(i, x) + lbeta(alpha + x, beta + i - x) - lbAB + lbeta(gamma + 1, delta + i) - lbGD);
  }
  return Math.exp(acc);
}

/** ln C(n, k) = −ln(n + 1) − ln B(n − k + 1, k + 1). */
function logChoose(n: number, k: number): number {
  return -Math.log(n + 1) - lbeta(n - k + 1, k + 1);
}

/** The options predictBgBb takes; every other name is refused with a did-you-mean. */
const PREDICT_BG_BB_OPTION_NAMES = optionNames<BgBbPredictOptions>({
  ahead: true,
  frequency: true,
  recency: true,
  periods: true,
});

/**
 * {@link bgBbProbabilityAlive} (at the next opportunity) and {@link bgBbConditionalExpectedPurchases} for every row
 * of a table: two Float64 Arrow vectors in the table's order, NaN where a row is not a possible history (the rows the
 * fit drops).
 *
 * Cost: O(Σ (n − t_x) + rows · n*).
 *
 * @param options `ahead` (n*, default 1) and column names as for {@link fitBgBb}
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` for a bad `ahead`
 *
 * @example
 * // uniform priors (see bgBbConditionalExpectedPurchases): a new customer, one who bought at the one opportunity so
 * // far, and an impossible history (recency after periods)
 * const uniform = { params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } };
 * const next = predictBgBb(uniform, { frequency: [0, 1, 1], recency: [0, 1, 2], periods: [0, 1, 1] });
 * // alive at the next opportunity: E(1 − θ) = 1/2, then E(1 − θ | alive once) = 2/3
 * [next.probabilityAlive.get(0), next.probabilityAlive.get(1)]; // [1 / 2, 2 / 3]
 * // and buying there: 1/2 · 1/2, then 2/3 · 2/3
 * [next.expectedTransactions.get(0), next.expectedTransactions.get(1)]; // [1 / 4, 4 / 9]
 * Number.isNaN(next.probabilityAlive.get(2)); // true
 */
export function predictBgBb(model: BgBbLike, summary: unknown, options: BgBbPredictOptions = {}): BgBbPredictions {
  options = knownOptions(options, PREDICT_BG_BB_OPTION_NAMES, 'predictBgBb');
  const fn = 'predictBgBb';
  const o = { ...COLUMNS, ahead: 1, ...options };
  checkAhead(fn, o.ahead, 0);
  const table = asTable(summary);
  const x = readNumeric(table, o.frequency, fn, 'frequency').values;
  const tx = readNumeric(table, o.recency, fn, 'recency').values;
  const n = readNumeric(table, o.periods, fn, 'periods').values;
  const alive = new Float64Array(table.numRows);
  const expected = new Float64Array(table.numRows);
  for (let i = 0; i < alive.length; i++) {
    const xi = x[i];
    const ti = tx[i];
    const ni = n[i];
    if (!isCount(xi) || !isCount(ti) || !isCount(ni) || xi > ti || ti > ni || (xi === 0) !== (ti === 0)) {
      alive[i] = NaN;
      expected[i] = NaN;
      continue;
    }
    alive[i] = probabilityAlive(model.params, xi, ti, ni, 1);
    expected[i] = expectedTransactions(model.params, o.ahead, xi, ti, ni);
  }
  return Object.freeze({ probabilityAlive: makeVector(alive), expectedTransactions: makeVector(expected) });
}
