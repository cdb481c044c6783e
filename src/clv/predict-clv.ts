import type { Table } from 'apache-arrow';
import { asTable, ClienteleError, describeValue, DropCounter, getColumn, META, numberVector, readNumericVector, tableWithMetadata, takeVector } from '../table/internal';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd';
import type { BgNbdLike } from './bg-nbd';
import { gammaGammaConditionalMean } from './gamma-gamma';
import type { GammaGammaParamsHolder } from './gamma-gamma';
import { paretoNbdConditionalExpectedPurchases } from './pareto-nbd';
import type { ParetoNbdLike } from './pareto-nbd';

/** A purchase-count model `predictClv` accepts: a fitted BG/NBD or Pareto/NBD (or one with published values). */
export type PurchaseModel = (BgNbdLike & { kind: 'bgNbd' }) | (ParetoNbdLike & { kind: 'paretoNbd' });

/** Options of {@link predictClv}. */
export interface PredictClvOptions {
  /** How far ahead, in the model's time unit (weeks for a weekly summary). Default 52. */
  horizon?: number;
  /** Length of one discounting period in the model's time unit (e.g. 52/12 weeks for monthly). Default 52/12. */
  period?: number;
  /** Discount rate per discounting period (e.g. 0.01 a month). Default 0.01. */
  discountRate?: number;
  /** Profit margin applied to the expected spend, a fraction. Default 1 (revenue). */
  margin?: number;
  /** Column names of the summary: defaults `customer`, `frequency`, `recency`, `T`, `monetary`. */
  customer?: string;
  frequency?: string;
  recency?: string;
  T?: string;
  monetary?: string;
}

/**
 * Expected customer lifetime value over a horizon from a purchase-count model and a spend model — the "what is
 * this customer worth" number of Fader, Hardie & Lee (2005, "RFM and CLV", §5), computed as `lifetimes` does:
 *
 *   CLV_i = margin · E[M | x_i, z̄_i] · Σ_{k=1..K} ( E[X(kΔ) | x_i, t_x,i, T_i] − E[X((k−1)Δ) | …] ) / (1 + d)^k
 *
 * with E[X(t) | …] the model's conditional expected purchases in (T, T + t], Δ the discounting period, K =
 * ⌈horizon / Δ⌉ (the last period shortened to end at the horizon), d the rate per period, and E[M | x, z̄] the
 * Gamma-Gamma conditional mean spend (for x = 0, the population mean). Purchases in a period are discounted at its
 * end.
 *
 * Output columns: `customer`, `expectedPurchases` (over the horizon), `expectedSpend` (E[M]), `clv`. Rows with a
 * missing or impossible history are dropped and counted.
 *
 * Units: time in the summary's unit; money as the summary's `monetary`.
 * Cost: O(customers · K) model evaluations.
 * Reference: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "RFM and CLV: using iso-value curves for customer
 * base analysis", Journal of Marketing Research 42(4), 415–430, eq. (3)–(5).
 *
 * @throws {ClienteleError} `INVALID_OPTION`, `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT`
 * @example
 * // with FHL's published CDNOW parameters (weeks): a customer with x = 2, t_x = 30.43, T = 38.86, z̄ = 22.35
 * const bg = { kind: 'bgNbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
 * const value = predictClv(bg, gg, { customer: [1], frequency: [2], recency: [30.43], T: [38.86], monetary: [22.35] }, { horizon: 52, discountRate: 0 });
 * value.getChild('clv')?.get(0) > 0; // true
 */
export function predictClv(model: PurchaseModel, spendModel: GammaGammaParamsHolder, summary: unknown, options: PredictClvOptions = {}): Table {
  const fn = 'predictClv';
  const horizon = options.horizon ?? 52;
  const period = options.period ?? 52 / 12;
  const discountRate = options.discountRate ?? 0.01;
  const margin = options.margin ?? 1;
  const positive = { horizon, period };
  for (const [name, v] of Object.entries(positive)) {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ClienteleError('INVALID_OPTION', `${fn}: option ${name} must be a positive number of the model's time unit (found ${describeValue(v)}); e.g. horizon 52 and period 52/12 for weeks`);
    }
  }
  if (typeof discountRate !== 'number' || !(discountRate >= 0) || !Number.isFinite(discountRate)) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: option discountRate must be ≥ 0 per period (found ${describeValue(discountRate)}); e.g. 0.01 a month`);
  }
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) {
    throw new ClienteleError('INVALID_OPTION', `${fn}: option margin must be a fraction ≥ 0 (found ${describeValue(margin)}); 1 values revenue`);
  }
  const conditional =
    model?.kind === 'bgNbd'
      ? (x: number, tx: number, T: number, t: number) => bgNbdConditionalExpectedPurchases(model, x, tx, T, t)
      : model?.kind === 'paretoNbd'
        ? (x: number, tx: number, T: number, t: number) => paretoNbdConditionalExpectedPurchases(model, x, tx, T, t)
        : null;
  if (!conditional) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the purchase model must be a BG/NBD or Pareto/NBD model (found kind ${describeValue((model as { kind?: unknown })?.kind)}); pass the result of fitBgNbd or fitParetoNbd`,
    );
  }

  const table = asTable(summary);
  const names = {
    customer: options.customer ?? 'customer',
    frequency: options.frequency ?? 'frequency',
    recency: options.recency ?? 'recency',
    T: options.T ?? 'T',
    monetary: options.monetary ?? 'monetary',
  };
  const customers = getColumn(table, names.customer, fn, 'customer');
  const read = (key: keyof typeof names) => readNumericVector(getColumn(table, names[key], fn, key), names[key], fn).values;
  const x = read('frequency');
  const tx = read('recency');
  const T = read('T');
  const z = read('monetary');
  const n = table.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the summary has no rows; pass one row per customer`);

  const steps = Math.ceil(horizon / period - 1e-12);
  const discount = Float64Array.from({ length: steps }, (_, k) => (1 + discountRate) ** -(k + 1));
  const drops = new DropCounter();
  const kept: number[] = [];
  const purchases: number[] = [];
  const spend: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    const zi = z[i];
    if (customers.get(i) === null) {
      drops.drop('nullCustomer', i);
      continue;
    }
    if (!(xi >= 0 && ti >= 0 && Ti >= ti && Number.isInteger(xi) && (xi > 0 || ti === 0) && zi >= 0)) {
      drops.drop('invalidValue', i);
      continue;
    }
    let previous = 0;
    let discounted = 0;
    for (let k = 0; k < steps; k++) {
      const cumulative = conditional(xi, ti, Ti, Math.min(horizon, (k + 1) * period));
      discounted += (cumulative - previous) * discount[k];
      previous = cumulative;
    }
    const m = gammaGammaConditionalMean(spendModel, xi, xi > 0 ? zi : 0);
    kept.push(i);
    purchases.push(previous);
    spend.push(m);
    value.push(margin * m * discounted);
  }
  if (kept.length === 0) {
    throw new ClienteleError('EMPTY_INPUT', `${fn}: no row has a valid history (dropped: ${JSON.stringify(drops.counts)}); check the summary columns`);
  }
  return tableWithMetadata(
    {
      customer: kept.length === n ? customers : takeVector(customers, Int32Array.from(kept)),
      expectedPurchases: numberVector(Float64Array.from(purchases)),
      expectedSpend: numberVector(Float64Array.from(spend)),
      clv: numberVector(Float64Array.from(value)),
    },
    {
      [META.kind]: 'predictClv',
      'clientele.clvOptions': JSON.stringify({ horizon, period, discountRate, margin, model: model.kind }),
      ...drops.metadata(n),
    },
  );
}
