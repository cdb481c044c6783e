/**
 * How an importance–performance chart shows the spread of its drivers. Performance is a 0–100 index and importance a
 * total effect; when the drivers differ by a fraction of a point, a chart that fits its axes to the data alone blows
 * the differences up to the full width and the quadrants look meaningful. The axes here still start from the data
 * (a 0–100 axis would stack the points), but the caption states the spread in the data's units, each axis title says
 * the range it shows, and a spread below the threshold is called narrow in words.
 */
export interface IpmaAxes {
  /** The performance axis domain: the data's range padded by a tenth of it (at least 0.5 index points each side). */
  readonly performanceDomain: readonly [number, number];
  /** The importance axis domain: from 0 (or the smallest effect when negative) to the largest, padded by a tenth. */
  readonly importanceDomain: readonly [number, number];
  /** Performance max − min, in index points (0–100), and importance max − min. */
  readonly performanceSpread: number;
  readonly importanceSpread: number;
  /** True when performance spans less than {@link NARROW_PERFORMANCE} points, or importance less than a tenth of its largest value. */
  readonly narrowPerformance: boolean;
  readonly narrowImportance: boolean;
  /** Two lines stating the spread (three when narrow, the third saying so), for the chart's subtitle. */
  readonly caption: string[];
}

/** Below this many index points (of 100) the drivers' performances are called narrow: 5 % of the scale. */
const NARROW_PERFORMANCE = 5;

/** Axis domains and the caption of the spread of an importance–performance map (finite values only are read). */
export function ipmaAxes(
  performance: ArrayLike<number>,
  importance: ArrayLike<number>,
  cuts: { atMeans: boolean },
): IpmaAxes {
  const p = Array.from(performance).filter(Number.isFinite);
  const m = Array.from(importance).filter(Number.isFinite);
  const [pMin, pMax] = p.length ? [Math.min(...p), Math.max(...p)] : [0, 100];
  const [mMin, mMax] = m.length ? [Math.min(...m), Math.max(...m)] : [0, 1];
  const performanceSpread = pMax - pMin;
  const importanceSpread = mMax - mMin;
  const pPad = Math.max(performanceSpread / 10, 0.5);
  const performanceDomain: [number, number] = [Math.max(0, pMin - pPad), Math.min(100, pMax + pPad)];
  const mLow = Math.min(0, mMin);
  const mPad = Math.max((mMax - mLow) / 10, 0.01);
  const importanceDomain: [number, number] = [mLow < 0 ? mLow - mPad : 0, mMax + mPad];
  const narrowPerformance = p.length > 1 && performanceSpread < NARROW_PERFORMANCE;
  const narrowImportance = m.length > 1 && importanceSpread < Math.abs(mMax) / 10;
  const where = cuts.atMeans ? 'dashed lines at the means' : 'dashed lines at the cuts given';
  const caption = [
    `performance ${fixed(pMin, 1)}–${fixed(pMax, 1)} of 100 (spread ${fixed(performanceSpread, performanceSpread < 1 ? 2 : 1)} points)`,
    `importance ${fixed(mMin, 2)}–${fixed(mMax, 2)} (spread ${fixed(importanceSpread, 2)}); ${where}`,
  ];
  if (narrowPerformance || narrowImportance) {
    const which = [narrowPerformance ? 'performance' : '', narrowImportance ? 'importance' : ''].filter(Boolean);
    caption.push(`drivers differ little in ${which.join(' and ')}: the quadrants split small gaps`);
  }
  return {
    performanceDomain,
    importanceDomain,
    performanceSpread,
    importanceSpread,
    narrowPerformance,
    narrowImportance,
    caption,
  };
}

/** A number with `digits` decimals, −0 shown as 0. */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}
