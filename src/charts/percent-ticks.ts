/** The ticks of a share axis drawn as percentages: the domain, the tick values and a d3 format that tells them apart. */
export interface PercentTicks {
  readonly domain: readonly [number, number];
  readonly values: readonly number[];
  /** A d3-format percent specifier (`'.1%'`) with as many decimals as the step between ticks needs, no more. */
  readonly format: string;
}

/**
 * Ticks for a share axis (supports, confidences: fractions from 0 to 1) that never repeat a label nor run their
 * labels together — the axis Vega chooses for a narrow range with a fixed `'.1%'` format repeats labels ("0.5%,
 * 0.5%, 0.6%"), and a log axis labels every minor tick.
 *
 * Linear: a step of 1, 2 or 5 × 10ᵏ giving at most `length / pixelsPerTick` ticks (60 px across: a label such as "0.25%" is
 * about 35 px wide; 35 px up), the domain widened to the steps around
 * the data, and the format with the decimals of the step. Log: ticks at 1, 2, 5 × 10ᵏ (or 1, 3 × 10ᵏ, or 10ᵏ,
 * whichever set first fits the room; at least the two ends), the domain widened to the ticks around the
 * data, and the format with the decimals of the smallest tick.
 *
 * Cost: O(number of ticks).
 */
export function percentTicks(
  min: number,
  max: number,
  scale: 'linear' | 'log',
  length: number,
  pixelsPerTick: number,
): PercentTicks {
  const room = Math.max(2, Math.floor(length / pixelsPerTick));
  if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max))
    return { domain: [0, 1], values: [0, 0.5, 1], format: '.0%' };
  return scale === 'log' && min > 0 ? logTicks(min, max, room) : linearTicks(min, max, room);
}

function linearTicks(min: number, max: number, room: number): PercentTicks {
  if (max - min <= Math.abs(max) * 1e-9) {
    // one value: a step of a tenth of its magnitude each side (or a percent point for 0)
    const pad = min === 0 ? 0.01 : niceStep(Math.abs(min) / 10);
    return linearTicks(min - pad, max + pad, room);
  }
  let step = niceStep((max - min) / (room - 1));
  let lo = Math.floor(min / step + 1e-9) * step;
  let hi = Math.ceil(max / step - 1e-9) * step;
  while (Math.round((hi - lo) / step) + 1 > room) {
    step = nextStep(step);
    lo = Math.floor(min / step + 1e-9) * step;
    hi = Math.ceil(max / step - 1e-9) * step;
  }
  const count = Math.round((hi - lo) / step);
  const values = Array.from({ length: count + 1 }, (_, i) => clean(lo + i * step));
  return { domain: [values[0], values[count]], values, format: `.${decimals(step)}%` };
}

function logTicks(min: number, max: number, room: number): PercentTicks {
  for (const mantissas of [[1, 2, 5], [1, 3], [1]]) {
    const values = logSequence(min, max, mantissas);
    if (values.length <= room || mantissas.length === 1) {
      const kept = values.length <= room ? values : thin(values, room);
      return {
        domain: [values[0], values[values.length - 1]],
        values: kept,
        format: `.${Math.max(...kept.map(decimals))}%`,
      };
    }
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** m × 10ᵏ for the mantissas, from the largest at or below `min` to the smallest at or above `max`. */
function logSequence(min: number, max: number, mantissas: number[]): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(min)) - 1; k <= Math.ceil(Math.log10(max)) + 1; k++) {
    for (const m of mantissas) out.push(clean(m * 10 ** k));
  }
  let first = 0;
  while (first + 1 < out.length && out[first + 1] <= min * (1 + 1e-12)) first++;
  const last = out.findIndex((v) => v >= max * (1 - 1e-12));
  return out.slice(first, last + 1);
}

/** Every other tick (always keeping the first) until at most `room` remain. */
function thin(values: number[], room: number): number[] {
  let kept = values;
  while (kept.length > room) kept = kept.filter((_, i) => i % 2 === 0);
  return kept;
}

/** The smallest 1, 2 or 5 × 10ᵏ at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return clean((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power);
}

/** The next step of the 1-2-5 sequence. */
function nextStep(step: number): number {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const m = Math.round(step / power);
  return clean((m === 1 ? 2 : m === 2 ? 5 : 10) * power);
}

/** Decimals a percent label needs to show `x` (a fraction) exactly: 0.005 → 1 ("0.5%"), 0.25 → 0. */
function decimals(x: number): number {
  for (let d = 0; d < 12; d++) {
    const shown = Math.abs(x) * 100 * 10 ** d;
    if (Math.abs(shown - Math.round(shown)) < 1e-6 * Math.max(1, shown)) return d;
  }
  return 12;
}

/** Rounds away the binary noise of a product of decimals (0.1 × 3 → 0.3). */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}
