import { makeVector } from 'apache-arrow';
import type { Float64, Table, Vector } from 'apache-arrow';
import { digamma, lgamma, RunningSum } from '../math/internal';
import { asTable, ClienteleError, DropCounter, knownOptions, optionNames, readNumeric } from '../table/internal';
import { maximiseLikelihood } from './maximise-likelihood';
import { summaryUnit } from './summary-kind';
import type { FitOptions, LikelihoodData, LikelihoodModel } from './maximise-likelihood';
import type { FittedModel, ModelLike } from './model';
import { checkParams } from './model';

const GG_PARAMS = ['p', 'q', 'gamma'] as const;
import { _uniqueRows } from './unique-rows';

/** Options of {@link fitGammaGamma}: the names of the summary's columns, and the optimiser's options. */
export interface GammaGammaOptions extends FitOptions<GammaGammaParams> {
  /** Repeat transactions x of each customer. Default `'frequency'`. */
  frequency?: string;
  /** Mean value z̄ of the customer's repeat transactions (not their total). Default `'monetary'`. */
  monetary?: string;
  /** How many customers each row stands for (a count column of grouped data). Default: one per row. */
  weights?: string;
}

/** The Gamma-Gamma parameters in Fader, Hardie & Lee's notation: shape p, and the gamma(q, γ) mixing of ν. */
export interface GammaGammaParams extends Record<string, number> {
  p: number;
  q: number;
  gamma: number;
}

/** A fitted Gamma-Gamma spend model. */
export type GammaGammaModel = FittedModel<'gammaGamma', GammaGammaParams>;

/** What the Gamma-Gamma predictions need of a model: its parameters (a fitted model, or published values). */
export type GammaGammaLike = ModelLike<GammaGammaParams>;

/** Options of {@link predictGammaGamma} and {@link frequencyMonetaryCorrelation}. */
export interface GammaGammaColumns {
  /** Repeat transactions x. Default `'frequency'`. */
  frequency?: string;
  /** Mean repeat-transaction value z̄. Default `'monetary'`. */
  monetary?: string;
}

const GAMMA_GAMMA: LikelihoodModel<'gammaGamma', GammaGammaParams> = {
  fn: 'fitGammaGamma',
  kind: 'gammaGamma',
  names: ['p', 'q', 'gamma'],
  scaled: ['gamma'],
  maxIterations: 3000,
  // probe restarts (see maximise) instead of two fresh-simplex restarts: a third of the cost at 1M customers
};
const FN = GAMMA_GAMMA.fn;
const DEFAULTS: Required<GammaGammaColumns> = { frequency: 'frequency', monetary: 'monetary' };

/** The options fitGammaGamma takes; every other name is refused with a did-you-mean. */
const FIT_GAMMA_GAMMA_OPTION_NAMES = optionNames<GammaGammaOptions>({
  frequency: true,
  monetary: true,
  weights: true,
  start: true,
  maxIterations: true,
  allowNonConvergence: true,
  allowUnidentified: true,
  penalizer: true,
});

/**
 * Fits the Gamma-Gamma model of spend per transaction: how much a customer's transactions are worth on average, with
 * the customer's own mean shrunk towards the population's in proportion to how little we have seen of them.
 *
 * Used with a purchase-count model (BG/NBD, Pareto/NBD) to value customers: CLV = expected transactions × E(M | x, z̄)
 * × margin. The model assumes spend is independent of the number of transactions; check that first with
 * {@link frequencyMonetaryCorrelation} (a correlation near 0 among repeat customers).
 *
 * Model (Fader, Hardie & Lee 2005, §"Adding monetary value"; Fader & Hardie 2013, eqs. 1–4): each transaction value
 * zᵢ ~ gamma(p, ν) with ν varying across customers as gamma(q, γ), so a customer's mean E(Z | ν) = p/ν. The mean of
 * x transactions, z̄, has the marginal density
 *
 *   f(z̄ | p, q, γ; x) = Γ(px + q) / (Γ(px) Γ(q)) · γ^q · z̄^(px−1) · x^(px) / (γ + x z̄)^(px+q)      (eq. 3)
 *
 * and the log-likelihood is Σ w · ln f over customers (every constant kept, so it is the papers' LL). The three
 * parameters are fitted in log space by Nelder–Mead, γ relative to the mean z̄, which makes the search the same
 * whatever the money unit: ×100 on z̄ gives ×100 on γ and the same p and q. A search that stops on `maxIterations`
 * throws `NOT_CONVERGED`, or with `allowNonConvergence: true` gives `converged: false`.
 *
 * Rows: customers with x = 0 carry no information on spend and are dropped (`noRepeat`); so are rows with a null,
 * NaN, infinite or negative frequency (`invalidFrequency`) or monetary value (`invalidMonetary`), a zero mean spend
 * with x > 0 (`zeroMonetary`: impossible under a gamma model), a null, NaN, infinite or negative weight
 * (`invalidWeight`) and a zero weight (`zeroWeight`). `dropped` counts rows, `customers` sums the weights. Rows with
 * the same (x, z̄) are fitted once (`patterns`).
 *
 * Units: z̄ and γ in money; p and q are pure numbers.
 *
 * Cost: O(rows) to read and group, then O(patterns) per likelihood evaluation (a few hundred evaluations).
 *
 * References: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "RFM and CLV: using iso-value curves for customer base
 * analysis", Journal of Marketing Research 42(4), 415–430; P. S. Fader & B. G. S. Hardie (2013), "The Gamma-Gamma
 * model of monetary value", http://brucehardie.com/notes/025/. On CDNOW (946 repeat customers): p = 6.25, q = 3.74,
 * γ = 15.44.
 *
 * @param summary one row per customer (or per group of customers with `weights`), any input `asTable` reads
 * @param options column names; defaults `{ frequency: 'frequency', monetary: 'monetary' }`, no weights; `start`
 * (default p = q = 1, γ = mean z̄), `maxIterations` (default 3000), `allowNonConvergence` (default false)
 * @throws {ClienteleError} `NOT_IDENTIFIED` when the data do not identify the model (see `maximiseLikelihood`),
 *   unless `allowUnidentified: true`; and:
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` for a column that is not numeric, `INVALID_OPTION` for a
 * column option that is not a name or a bad optimiser option, `EMPTY_INPUT` when no repeat customer with valid values
 * is left, `NOT_CONVERGED`
 *
 * @example
 * const model = fitGammaGamma({ frequency: [2, 1, 0, 7, 1, 2, 5], monetary: [22.35, 11.77, 0, 73.74, 11.77, 25.55, 29.44] });
 * model.dropped; // { noRepeat: 1 }
 * model.customers; // 6
 */
export function fitGammaGamma(summary: unknown, options: GammaGammaOptions = {}): GammaGammaModel {
  options = knownOptions(options, FIT_GAMMA_GAMMA_OPTION_NAMES, 'fitGammaGamma');
  return maximiseLikelihood(GAMMA_GAMMA, options, () => spendLikelihood(summary, options));
}

/** Reads, validates and groups the (x, z̄) rows of {@link fitGammaGamma}; γ is searched relative to the mean z̄. */
function spendLikelihood(summary: unknown, options: GammaGammaOptions): LikelihoodData {
  const o = { ...DEFAULTS, ...options };
  const table = asTable(summary);
  summaryUnit(
    table,
    FN,
    ['clvSummary'],
    'summaryFromTransactions(transactions), whose monetary is the mean repeat-purchase value z̄',
  );
  const x = readNumeric(table, o.frequency, FN, 'frequency').values;
  const z = readNumeric(table, o.monetary, FN, 'monetary').values;
  const w = options.weights === undefined ? null : readNumeric(table, options.weights, FN, 'weights').values;

  // validate, then group identical (x, z̄) rows once; the likelihood then loops over patterns
  const drops = new DropCounter();
  const rows = table.numRows;
  const keptX = new Float64Array(rows);
  const keptZ = new Float64Array(rows);
  const keptW = new Float64Array(rows);
  let kept = 0;
  for (let i = 0; i < rows; i++) {
    const weight = w === null ? 1 : w[i];
    const xi = x[i];
    const zi = z[i];
    if (!(weight >= 0 && weight < Infinity)) drops.drop('invalidWeight', i);
    else if (!(xi >= 0 && xi < Infinity)) drops.drop('invalidFrequency', i);
    else if (xi === 0) drops.drop('noRepeat', i);
    else if (!(zi >= 0 && zi < Infinity)) drops.drop('invalidMonetary', i);
    else if (zi === 0) drops.drop('zeroMonetary', i);
    else if (weight === 0) drops.drop('zeroWeight', i);
    else {
      keptX[kept] = xi;
      keptZ[kept] = zi;
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
      `${FN}: no customer with repeat transactions and a positive mean spend is left in columns "${o.frequency}" and ` +
        `"${o.monetary}" (found ${rows} rows; dropped ${found}); pass customers with frequency > 0 and their mean ` +
        `repeat-transaction value`,
    );
  }
  const unique = _uniqueRows([keptX.subarray(0, kept), keptZ.subarray(0, kept)], keptW.subarray(0, kept));
  const [xs, zs] = unique.columns;
  const ws = unique.weights;
  const patterns = xs.length;
  const total = new RunningSum();
  const meanZ = new RunningSum();
  for (let k = 0; k < patterns; k++) total.add(ws[k]);
  for (let k = 0; k < patterns; k++) meanZ.add((ws[k] * zs[k]) / total.value);
  return {
    logLikelihood: gammaGammaLogLikelihood(xs, zs, ws),
    logLikelihoodGradient: gammaGammaLogLikelihood(xs, zs, ws, true),
    scale: meanZ.value, // γ relative to the mean spend: the money unit drops out of the optimisation
    customers: total.value,
    patterns,
    dropped: drops.counts,
    noVariation: spendWithoutVariation(zs),
  };
}

/** Why spends cannot identify the Gamma-Gamma model: every mean spend z̄ the same (no spread for p and q to fit). */
function spendWithoutVariation(z: Float64Array): string | undefined {
  for (let k = 1; k < z.length; k++) if (z[k] !== z[0]) return undefined;
  return `every customer has the same mean spend z̄ = ${z[0]}: no spread to learn from`;
}

/**
 * Σ w ln f(z̄ | p, q, γ; x) over patterns (eq. 3 of Fader & Hardie 2013) as a function of (p, q, γ); −Infinity
 * outside the domain:
 *
 *   ln f = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln z̄ + px ln x − (px + q) ln(γ + x z̄).
 *
 * The gamma functions and px ln x depend on x alone, so they are computed once per distinct x (a few hundred at
 * most) and each pattern costs one logarithm per evaluation.
 */
export function gammaGammaLogLikelihood(
  x: Float64Array,
  z: Float64Array,
  w: Float64Array,
  withGradient = false,
): (t: Float64Array, grad?: Float64Array) => number {
  const distinct = _uniqueRows([x]);
  const xValues = distinct.columns[0];
  const xId = distinct.index;
  const xWeight = new Float64Array(xValues.length);
  for (let k = 0; k < x.length; k++) xWeight[xId[k]] += w[k];
  const logX = Float64Array.from(xValues, Math.log);
  const logZ = Float64Array.from(z, Math.log);
  let wLogZ = 0; // Σ w ln z̄, for the −ln z̄ of (px − 1) ln z̄
  for (let k = 0; k < x.length; k++) wLogZ += w[k] * logZ[k];
  return (t, grad) => {
    const p = t[0];
    const q = t[1];
    const gamma = t[2];
    if (!(p > 0 && q > 0 && gamma > 0)) return -Infinity;
    const lgq = lgamma(q);
    const logGamma = Math.log(gamma);
    const qLogGamma = q * logGamma;
    let sum = -wLogZ;
    for (let j = 0; j < xValues.length; j++) {
      const px = p * xValues[j];
      sum += xWeight[j] * (lgamma(px + q) - lgamma(px) - lgq + qLogGamma + px * logX[j]);
    }
    if (!withGradient || grad === undefined) {
      // hand-written: one pass over the patterns, one logarithm each
      for (let k = 0; k < x.length; k++) {
        const pxk = p * x[k];
        sum += w[k] * (pxk * logZ[k] - (pxk + q) * Math.log(gamma + x[k] * z[k]));
      }
      return sum;
    }
    // the gradient, term by term: ∂/∂p, ∂/∂q, ∂/∂γ of the expression above (ψ the digamma function)
    const psiQ = digamma(q);
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let j = 0; j < xValues.length; j++) {
      const xj = xValues[j];
      const px = p * xj;
      const psiPQ = digamma(px + q);
      gp += xWeight[j] * xj * (psiPQ - digamma(px) + logX[j]);
      gq += xWeight[j] * (psiPQ - psiQ + logGamma);
      gg += (xWeight[j] * q) / gamma;
    }
    for (let k = 0; k < x.length; k++) {
      const xk = x[k];
      const pxk = p * xk;
      const denominator = gamma + xk * z[k];
      const logD = Math.log(denominator);
      sum += w[k] * (pxk * logZ[k] - (pxk + q) * logD);
      gp += w[k] * xk * (logZ[k] - logD);
      gq -= w[k] * logD;
      gg -= (w[k] * (pxk + q)) / denominator;
    }
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gg;
    return sum;
  };
}

/**
 * The population mean spend per transaction under a Gamma-Gamma model, E(M) = pγ / (q − 1): what a customer with no
 * repeat transactions is expected to spend. `Infinity` when q ≤ 1 (the mean does not exist).
 *
 * Reference: Fader, Hardie & Lee (2005), the mean of the gamma-gamma mixture; Fader & Hardie (2013), eq. 5 with x = 0.
 *
 * @example
 * gammaGammaPopulationMean({ params: { p: 6, q: 4, gamma: 15 } }); // 30
 */
export function gammaGammaPopulationMean(model: GammaGammaLike): number {
  checkParams(model?.params, GG_PARAMS, 'gammaGammaPopulationMean');
  const { p, q, gamma } = model.params;
  return q > 1 ? (p * gamma) / (q - 1) : Infinity;
}

/**
 * The expected mean spend per transaction of a customer with x repeat transactions of mean value z̄:
 *
 *   E(M | p, q, γ; x, z̄) = (γ + x z̄) p / (p x + q − 1)
 *                        = (q − 1)/(p x + q − 1) · pγ/(q − 1) + p x/(p x + q − 1) · z̄
 *
 * a weighted average of the population mean and the customer's own mean, the customer's weight growing with x
 * (Fader, Hardie & Lee 2005, eq. 4; Fader & Hardie 2013, eq. 5). x = 0 gives the population mean whatever z̄ is.
 * NaN for a null, NaN, infinite or negative x, or (when x > 0) such a z̄; `Infinity` when p x + q − 1 ≤ 0.
 *
 * @example
 * // two transactions of mean 45 against a population mean of 30: (15 + 2 · 45) · 6 / (6 · 2 + 4 − 1)
 * gammaGammaConditionalMean({ params: { p: 6, q: 4, gamma: 15 } }, 2, 45); // 42
 */
export function gammaGammaConditionalMean(model: GammaGammaLike, frequency: number, monetary: number): number {
  checkParams(model?.params, GG_PARAMS, 'gammaGammaConditionalMean');
  const { p, q, gamma } = model.params;
  return conditionalMean(p, q, gamma, frequency, monetary);
}

function conditionalMean(p: number, q: number, gamma: number, x: number, z: number): number {
  if (!(x >= 0 && x < Infinity)) return NaN;
  if (x === 0) return q > 1 ? (p * gamma) / (q - 1) : Infinity;
  if (!(z >= 0 && z < Infinity)) return NaN;
  const denominator = p * x + q - 1;
  return denominator > 0 ? ((gamma + x * z) * p) / denominator : Infinity;
}

/** The options predictGammaGamma takes; every other name is refused with a did-you-mean. */
const PREDICT_GAMMA_GAMMA_OPTION_NAMES = optionNames<GammaGammaColumns>({ frequency: true, monetary: true });

/**
 * {@link gammaGammaConditionalMean} for every row of a table: a Float64 Arrow vector, one expected mean spend per
 * row, in the table's order (NaN where the row's values are invalid, as there).
 *
 * Cost: O(rows), one pass, one output buffer.
 *
 * @param options the names of the frequency and monetary columns
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 *
 * @example
 * // the population mean 6 · 15 / (4 − 1) = 30 for the customer without repeat transactions,
 * // (15 + 2 · 45) · 6 / (6 · 2 + 4 − 1) = 42 for two of mean 45
 * const model = { params: { p: 6, q: 4, gamma: 15 } };
 * const spend = predictGammaGamma(model, { frequency: [0, 2], monetary: [0, 45] });
 * spend.toArray(); // Float64Array [30, 42]
 */
export function predictGammaGamma(
  model: GammaGammaLike,
  summary: unknown,
  options: GammaGammaColumns = {},
): Vector<Float64> {
  options = knownOptions(options, PREDICT_GAMMA_GAMMA_OPTION_NAMES, 'predictGammaGamma');
  const fn = 'predictGammaGamma';
  const o = { ...DEFAULTS, ...options };
  const table: Table = asTable(summary);
  const x = readNumeric(table, o.frequency, fn, 'frequency').values;
  const z = readNumeric(table, o.monetary, fn, 'monetary').values;
  const { p, q, gamma } = model.params;
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < out.length; i++) out[i] = conditionalMean(p, q, gamma, x[i], z[i]);
  return makeVector(out);
}

/** The options frequencyMonetaryCorrelation takes; every other name is refused with a did-you-mean. */
const FREQUENCY_MONETARY_CORRELATION_OPTION_NAMES = optionNames<GammaGammaColumns>({ frequency: true, monetary: true });

/**
 * The Pearson correlation between the number of repeat transactions x and their mean value z̄ among repeat
 * customers (x > 0, z̄ > 0, both finite): the check of the Gamma-Gamma model's assumption that spend is independent
 * of frequency. Values near 0 support the model; Fader, Hardie & Lee (2005) report a small correlation on CDNOW and
 * proceed. Rows the fit would drop are left out here too. NaN with fewer than two such customers or no variation.
 *
 * Formula: r = Σ (xᵢ − x̄)(zᵢ − z̄) / √(Σ (xᵢ − x̄)² Σ (zᵢ − z̄)²), two passes (means first) for accuracy.
 *
 * Cost: O(rows).
 *
 * @param options the names of the frequency and monetary columns
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 *
 * @example
 * // the customer without repeats is left out; deviations (−1, 0, 1) and (0, −10, 10): 10 / √(2 · 200)
 * frequencyMonetaryCorrelation({ frequency: [1, 2, 3, 0], monetary: [20, 10, 30, 0] }); // 0.5
 */
export function frequencyMonetaryCorrelation(summary: unknown, options: GammaGammaColumns = {}): number {
  options = knownOptions(options, FREQUENCY_MONETARY_CORRELATION_OPTION_NAMES, 'frequencyMonetaryCorrelation');
  const fn = 'frequencyMonetaryCorrelation';
  const o = { ...DEFAULTS, ...options };
  const table = asTable(summary);
  const x = readNumeric(table, o.frequency, fn, 'frequency').values;
  const z = readNumeric(table, o.monetary, fn, 'monetary').values;
  let n = 0;
  let sx = 0;
  let sz = 0;
  const keep = (i: number) => x[i] > 0 && x[i] < Infinity && z[i] > 0 && z[i] < Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    n++;
    sx += x[i];
    sz += z[i];
  }
  if (n < 2) return NaN;
  const mx = sx / n;
  const mz = sz / n;
  let cxz = 0;
  let cxx = 0;
  let czz = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    const dx = x[i] - mx;
    const dz = z[i] - mz;
    cxz += dx * dz;
    cxx += dx * dx;
    czz += dz * dz;
  }
  return cxx > 0 && czz > 0 ? cxz / Math.sqrt(cxx * czz) : NaN;
}
