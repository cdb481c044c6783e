import { ClienteleError, describeValue } from '../table/internal';

/** The horizon and discounting options of a CLV prediction ({@link predictClv}, `predictionIntervals`). */
export interface ClvHorizonOptions {
  /** How far ahead, in the model's time unit (weeks for a weekly summary). Default 52. */
  horizon?: number;
  /** Length of one discounting period in the model's time unit (e.g. 52/12 weeks for monthly). Default 52/12. */
  period?: number;
  /** Discount rate per discounting period (e.g. 0.01 a month). Default 0.01. */
  discountRate?: number;
  /** Profit margin applied to the expected spend, a fraction. Default 1 (revenue). */
  margin?: number;
}

/** The checked numbers of {@link ClvHorizonOptions}, defaults filled in. */
export interface ClvSettings {
  readonly horizon: number;
  readonly period: number;
  readonly discountRate: number;
  readonly margin: number;
}

/** The horizon, period, discount rate and margin, defaults filled in. @throws {ClienteleError} `INVALID_OPTION` */
export function checkClvOptions(options: ClvHorizonOptions, fn: string): ClvSettings {
  const horizon = options.horizon ?? 52;
  const period = options.period ?? 52 / 12;
  const discountRate = options.discountRate ?? 0.01;
  const margin = options.margin ?? 1;
  const positive = { horizon, period };
  for (const [name, v] of Object.entries(positive)) {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a positive number of the model's time unit (found ${describeValue(v)}); e.g. horizon 52 and period 52/12 for weeks`,
      );
    }
  }
  if (typeof discountRate !== 'number' || !(discountRate >= 0) || !Number.isFinite(discountRate)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option discountRate must be ≥ 0 per period (found ${describeValue(discountRate)}); e.g. 0.01 a month`,
    );
  }
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option margin must be a fraction ≥ 0 (found ${describeValue(margin)}); 1 values revenue`,
    );
  }
  return { horizon, period, discountRate, margin };
}

/**
 * The discounting steps of a CLV horizon: K = ⌈horizon / Δ⌉ periods, the end of each (the last shortened to end at
 * the horizon) and its discount factor (1 + d)^−k, purchases in a period being discounted at its end.
 */
export function discountSteps(o: ClvSettings): { ends: Float64Array; discount: Float64Array } {
  const steps = Math.ceil(o.horizon / o.period - 1e-12);
  const ends = Float64Array.from({ length: steps }, (_, k) => Math.min(o.horizon, (k + 1) * o.period));
  const discount = Float64Array.from({ length: steps }, (_, k) => (1 + o.discountRate) ** -(k + 1));
  return { ends, discount };
}
