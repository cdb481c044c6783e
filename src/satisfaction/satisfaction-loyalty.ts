import { Float64, makeData, makeVector } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { solve } from 'ml-matrix';
import { median } from 'simple-statistics';
import { RunningSum } from '../math/internal';
import {
  asTable,
  ClienteleError,
  codeArray,
  describeValue,
  DropCounter,
  isAdmissible,
  knownOptions,
  labelVector,
  META,
  numberVector,
  optionNames,
  readKeys,
  readNumeric,
  tableWithMetadata,
  takeVector,
  nullRecord,
  ownValue,
} from '../table/internal';
import type { KeyColumn } from '../table/internal';

/** A satisfaction × loyalty category: a Jones & Sasser (1995) quadrant. */
export type SatisfactionLoyaltyCategory = 'loyalist' | 'mercenary' | 'hostage' | 'defector';

/** The Jones & Sasser (1995) quadrants, in the order of their codes. */
const CATEGORIES = [
  'loyalist',
  'mercenary',
  'hostage',
  'defector',
] as const satisfies readonly SatisfactionLoyaltyCategory[];

/** Options of {@link satisfactionLoyalty}. */
export interface SatisfactionLoyaltyOptions {
  /** Column of satisfaction scores (an index, a latent variable score). Required. */
  satisfaction: string;
  /** Column of loyalty scores. Required. */
  loyalty: string;
  /** [min, max] of both scores (e.g. [0, 100]); sets the default thresholds (its midpoint) and the band range. */
  scale?: readonly [number, number];
  /** Number of equal-width satisfaction bands, ≥ 2. Default 5. */
  bands?: number;
  /** High means ≥ threshold. Defaults: the midpoint of `scale`, or the medians when no scale is given. */
  thresholds?: { satisfaction?: number; loyalty?: number };
  /** Key column (customer id) copied to the output. Default: none. */
  key?: string;
}

/** The least-squares curve loyalty = a + b·s + c·s² of {@link satisfactionLoyalty}. */
export interface SatisfactionLoyaltyCurve {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Coefficient of determination 1 − SSE/SST; NaN when loyalty does not vary. */
  readonly rSquared: number;
  /** Rows fitted. */
  readonly n: number;
}

/** The result of {@link satisfactionLoyalty}; frozen. */
export interface SatisfactionLoyaltyResult {
  /** Per kept row: key (if given), `satisfaction`, `loyalty`, `band` (1 … bands), `category`; drop counts in metadata. */
  readonly table: Table;
  /**
   * Per band: `band`, `from`, `to`, `count`, `meanSatisfaction`, `meanLoyalty`, `arcElasticity` (against the
   * previous non-empty band), `pointElasticity` (of the fitted curve at the band's mean); null where undefined.
   */
  readonly bands: Table;
  readonly curve: SatisfactionLoyaltyCurve;
  readonly thresholds: { readonly satisfaction: number; readonly loyalty: number };
  /** The range split into bands: `scale`, or the observed satisfaction range. */
  readonly range: readonly [number, number];
}

function nullable(values: Float64Array): Vector {
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === values[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  if (nullCount === 0) return numberVector(values);
  return makeVector(makeData({ type: new Float64(), length: n, nullCount, data: values, nullBitmap: bitmap }));
}

/**
 * Least squares of y on (1, s, s²). Fitted on z = (s − m)/h (centred and scaled, so that the normal equations
 * stay well conditioned for scores in the hundreds), then mapped back to a, b, c on s.
 */
function fitQuadratic(s: Float64Array, y: Float64Array, fn: string): SatisfactionLoyaltyCurve {
  const n = s.length;
  let lo = Infinity;
  let hi = -Infinity;
  const mean = new RunningSum();
  for (let i = 0; i < n; i++) {
    mean.add(s[i]);
    if (s[i] < lo) lo = s[i];
    if (s[i] > hi) hi = s[i];
  }
  const m = mean.value / n;
  const h = (hi - lo) / 2 || 1;
  // Σz^k for k = 0…4 and Σz^k·y for k = 0…2, compensated
  const zk = Array.from({ length: 5 }, () => new RunningSum());
  const zy = Array.from({ length: 3 }, () => new RunningSum());
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) {
    const z = (s[i] - m) / h;
    const z2 = z * z;
    zk[1].add(z);
    zk[2].add(z2);
    zk[3].add(z2 * z);
    zk[4].add(z2 * z2);
    zy[0].add(y[i]);
    zy[1].add(z * y[i]);
    zy[2].add(z2 * y[i]);
    if (distinct.size < 3) distinct.add(s[i]);
  }
  if (distinct.size < 3) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: the quadratic curve needs at least 3 distinct satisfaction values (found ${distinct.size}: ${[...distinct].join(', ')}); pass more varied data`,
    );
  }
  const S = [n, zk[1].value, zk[2].value, zk[3].value, zk[4].value];
  const normal = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const [alpha, beta, gamma] = solve(normal, [[zy[0].value], [zy[1].value], [zy[2].value]]).getColumn(0);
  // y = α + β(s − m)/h + γ(s − m)²/h²
  const c = gamma / (h * h);
  const b = beta / h - (2 * gamma * m) / (h * h);
  const a = alpha - (beta * m) / h + (gamma * m * m) / (h * h);
  const yMean = zy[0].value / n;
  const sse = new RunningSum();
  const sst = new RunningSum();
  for (let i = 0; i < n; i++) {
    const z = (s[i] - m) / h;
    const e = y[i] - (alpha + beta * z + gamma * z * z);
    sse.add(e * e);
    sst.add((y[i] - yMean) * (y[i] - yMean));
  }
  const rSquared = sst.value > 0 ? 1 - sse.value / sst.value : NaN;
  return Object.freeze({ a, b, c, rSquared, n });
}

/** The options satisfactionLoyalty takes; every other name is refused with a did-you-mean. */
const SATISFACTION_LOYALTY_OPTION_NAMES = optionNames<SatisfactionLoyaltyOptions>({
  satisfaction: true,
  loyalty: true,
  scale: true,
  bands: true,
  thresholds: true,
  key: true,
});

/**
 * The satisfaction–loyalty relation from fitted scores (0–100 indices, latent variable scores): which customers
 * are satisfied yet disloyal or loyal yet dissatisfied, and how strongly loyalty responds to satisfaction at each
 * level. Analysts use it to see whether raising satisfaction still buys loyalty, and where ("only completely
 * satisfied customers are truly loyal", Jones & Sasser 1995).
 *
 * (1) Categories after Jones & Sasser (1995): high satisfaction and high loyalty → `loyalist` (its extreme, the
 * apostle); high satisfaction, low loyalty → `mercenary`; low satisfaction, high loyalty → `hostage`; low, low →
 * `defector` (its extreme, the terrorist). High means ≥ threshold (a value equal to the threshold is high);
 * thresholds default to the midpoint of `scale` when given, else to the medians of the rows kept.
 * (2) Response curve: satisfaction is split into `bands` (5) equal-width bands over `scale` (or the observed
 * range), closed on the left and the last also on the right. Per band: count, mean satisfaction S̄, mean loyalty
 * L̄, and the arc elasticity against the previous non-empty band, (ΔL/L_mid)/(ΔS/S_mid) with L_mid and S_mid the
 * means of the two bands' means. Over all rows, loyalty = a + b·s + c·s² by least squares (R² reported), and the
 * point elasticity of that curve at each band's S̄, (b + 2c·S̄)·S̄/L̂(S̄) with L̂ the fitted loyalty. Elasticities
 * are null where a denominator is 0 or a band is empty; they need ratio-scale scores (a 0–100 index, not
 * scores centred on 0).
 * Rows with a null, NaN or infinite score are dropped and counted (`invalidValue`; `nullKey` for a null key); a score
 * outside `scale` is an error, not a drop, as it means the scale is wrong.
 *
 * Output: a frozen `{ table, bands, curve: { a, b, c, rSquared, n }, thresholds, range }`; `table` has, in input
 * order, the key (when given), `satisfaction`, `loyalty`, `band` and `category`, and the drop counts
 * (`droppedRows(result.table)`).
 *
 * Cost: O(n) plus the medians (quickselect).
 * Reference: T. O. Jones & W. E. Sasser (1995), "Why satisfied customers defect", Harvard Business Review 73(6),
 * 88–99 (the satisfaction–loyalty quadrants and the non-linear relation).
 *
 * @param table one row per customer with both scores
 * @param options `satisfaction`, `loyalty` (required column names); `scale` (none), `bands` (5), `thresholds`
 * (scale midpoint, else medians), `key` (none)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (a score outside
 * `scale`, a score beyond ±1e150, fewer than 3 distinct satisfaction values for the curve), `EMPTY_INPUT`
 * @example
 * const scores = { sat: [20, 40, 60, 80, 100, 90], loy: [30, 25, 60, 70, 95, 40] };
 * const relation = satisfactionLoyalty(scores, { satisfaction: 'sat', loyalty: 'loy', scale: [0, 100] });
 * relation.table.getChild('category')?.toArray(); // ['defector', 'defector', 'loyalist', 'loyalist', 'loyalist', 'mercenary']
 * relation.bands.getChild('count')?.toArray(); // Int32Array [0, 1, 1, 1, 3]
 * relation.curve.c > 0; // true: loyalty rises faster near the top of the scale
 * relation.curve.rSquared; // e.g. 0.58
 */
export function satisfactionLoyalty(table: unknown, options: SatisfactionLoyaltyOptions): SatisfactionLoyaltyResult {
  options = knownOptions(options, SATISFACTION_LOYALTY_OPTION_NAMES, 'satisfactionLoyalty');
  const fn = 'satisfactionLoyalty';
  const input = asTable(table);
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must name the columns (found ${describeValue(options)}); pass { satisfaction: '…', loyalty: '…' }`,
    );
  }
  const { bandCount, scale, given } = checkOptions(options, fn);
  const satisfaction = readNumeric(input, options.satisfaction, fn, 'satisfaction').values;
  const loyalty = readNumeric(input, options.loyalty, fn, 'loyalty').values;
  const keys = options.key !== undefined ? readKeys(input, options.key, fn, 'key') : null;
  const n = input.numRows;
  if (n === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);

  const { drops, rows } = keepScored(n, satisfaction, loyalty, keys, scale, options, fn);
  const size = rows.length;
  const s = new Float64Array(size);
  const l = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    // a plain gather loop: Float64Array.from with a callback is several times slower on a million rows
    s[k] = satisfaction[rows[k]];
    l[k] = loyalty[rows[k]];
  }
  checkMagnitude(s, rows, options.satisfaction, fn);
  checkMagnitude(l, rows, options.loyalty, fn);

  const midpoint = scale ? (scale[0] + scale[1]) / 2 : undefined;
  const thresholds = Object.freeze({
    // simple-statistics' median (R type 7) selects on a copy, so the typed arrays go in as they are
    satisfaction: given.satisfaction ?? midpoint ?? median(s as unknown as number[]),
    loyalty: given.loyalty ?? midpoint ?? median(l as unknown as number[]),
  });

  // ---- (1) categories
  const category = categorise(s, l, thresholds);

  // ---- (2) bands
  const banded = assignBands(s, l, scale, bandCount);
  const curve = fitQuadratic(s, l, fn);
  const { from, to, meanS, meanL, arc, point } = bandResponse(banded, curve);
  const { lo, hi, band, count } = banded;

  const out: Record<string, Vector> = nullRecord();
  if (keys && options.key !== undefined) {
    const ids = new Int32Array(size);
    for (let k = 0; k < size; k++) ids[k] = keys.codes[rows[k]];
    out[options.key] = takeVector(keys.keys, ids);
  }
  out.satisfaction = numberVector(s);
  out.loyalty = numberVector(l);
  out.band = numberVector(band);
  out.category = labelVector(category, CATEGORIES);
  const rowTable = tableWithMetadata(out, {
    [META.kind]: 'satisfactionLoyalty',
    'clientele.thresholds': JSON.stringify(thresholds),
    ...drops.metadata(n),
  });
  const bands = tableWithMetadata(
    {
      band: numberVector(Int32Array.from({ length: bandCount }, (_, j) => j + 1)),
      from: numberVector(from),
      to: numberVector(to),
      count: numberVector(count),
      meanSatisfaction: nullable(meanS),
      meanLoyalty: nullable(meanL),
      arcElasticity: nullable(arc),
      pointElasticity: nullable(point),
    },
    { [META.kind]: 'satisfactionLoyaltyBands' },
  );
  return Object.freeze({
    table: rowTable,
    bands,
    curve,
    thresholds,
    range: Object.freeze([lo, hi] as [number, number]),
  });
}

/** Checks the options `bands`, `scale` and `thresholds`; `given` is the thresholds object (`{}` when left out). */
function checkOptions(options: SatisfactionLoyaltyOptions, fn: string) {
  const bandCount = options.bands ?? 5;
  if (typeof bandCount !== 'number' || !Number.isInteger(bandCount) || bandCount < 2 || bandCount > 1000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option bands must be an integer from 2 to 1000 (found ${describeValue(bandCount)}); the default is 5`,
    );
  }
  const scale = options.scale;
  if (scale !== undefined) {
    const ok =
      Array.isArray(scale) &&
      scale.length === 2 &&
      scale.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      scale[0] < scale[1];
    if (!ok) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option scale must be [min, max] with min < max (found ${Array.isArray(scale) ? JSON.stringify(scale) : describeValue(scale)}); e.g. [0, 100]`,
      );
    }
  }
  const given = options.thresholds ?? {};
  for (const name of ['satisfaction', 'loyalty'] as const) {
    const v = ownValue(given as Record<string, unknown>, name);
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option thresholds.${name} must be a finite number (found ${describeValue(v)}); leave it out for the default`,
      );
    }
  }
  return { bandCount, scale, given };
}

/** The rows kept, in input order: a null key or a non-finite score drops a row; a score outside `scale` throws. */
function keepScored(
  n: number,
  satisfaction: Float64Array,
  loyalty: Float64Array,
  keys: KeyColumn | null,
  scale: readonly [number, number] | undefined,
  options: SatisfactionLoyaltyOptions,
  fn: string,
): { drops: DropCounter; rows: Int32Array } {
  const drops = new DropCounter();
  const kept = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (keys && keys.codes[i] < 0) {
      drops.drop('nullKey', i);
      continue;
    }
    const s = satisfaction[i];
    const l = loyalty[i];
    if (!isAdmissible(s) || !isAdmissible(l)) {
      drops.drop('invalidValue', i);
      continue;
    }
    if (scale && (s < scale[0] || s > scale[1] || l < scale[0] || l > scale[1])) {
      const [name, column, v] =
        s < scale[0] || s > scale[1] ? ['satisfaction', options.satisfaction, s] : ['loyalty', options.loyalty, l];
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${column}" (${name}) row ${i} is outside the scale [${scale[0]}, ${scale[1]}] (found ${v}); fix the value or the scale option`,
        { column, row: i },
      );
    }
    kept[size++] = i;
  }
  if (size === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${n} rows were dropped (${JSON.stringify(drops.counts)}); check the satisfaction and loyalty columns`,
    );
  }
  return { drops, rows: kept.subarray(0, size) };
}

/** The Jones & Sasser quadrant code of each row (an index into `CATEGORIES`); high means ≥ threshold. */
function categorise(
  s: Float64Array,
  l: Float64Array,
  thresholds: { readonly satisfaction: number; readonly loyalty: number },
): Int8Array | Int16Array | Int32Array {
  const size = s.length;
  const category = codeArray(size, CATEGORIES.length);
  for (let k = 0; k < size; k++) {
    const highS = s[k] >= thresholds.satisfaction;
    const highL = l[k] >= thresholds.loyalty;
    category[k] = highS ? (highL ? 0 : 1) : highL ? 2 : 3;
  }
  return category;
}

/** Scores beyond this make the curve's sums of squares overflow a double (1e150 squared is 1e300). */
const LARGEST_SCORE = 1e150;

/**
 * Refuses scores so large that the curve's means, ranges and sums of squares overflow a double.
 *
 * @throws {ClienteleError} `INVALID_VALUE` naming the column and the input row
 */
function checkMagnitude(values: Float64Array, rows: ArrayLike<number>, column: string, fn: string): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v <= LARGEST_SCORE && v >= -LARGEST_SCORE) continue;
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: column "${column}" has a score of ${v} at row ${rows[k]}, beyond ±1e150, where the curve's sums of squares overflow a double; ` +
        `rescale the scores to the survey's scale (e.g. 0–100)`,
      { column, row: rows[k] },
    );
  }
}

/** The equal-width satisfaction bands over `scale` (or the observed range): each row's band and per-band sums. */
interface Bands {
  readonly lo: number;
  readonly hi: number;
  readonly width: number;
  /** Band of each row, 1 … bands. */
  readonly band: Int32Array;
  readonly count: Int32Array;
  readonly sumS: RunningSum[];
  readonly sumL: RunningSum[];
}

/** Splits the satisfaction range into `bandCount` bands and sums each band's scores. */
function assignBands(
  s: Float64Array,
  l: Float64Array,
  scale: readonly [number, number] | undefined,
  bandCount: number,
): Bands {
  const size = s.length;
  let lo: number;
  let hi: number;
  if (scale) [lo, hi] = scale;
  else {
    lo = Infinity;
    hi = -Infinity;
    for (let k = 0; k < size; k++) {
      if (s[k] < lo) lo = s[k];
      if (s[k] > hi) hi = s[k];
    }
  }
  const width = (hi - lo) / bandCount;
  const band = new Int32Array(size);
  const count = new Int32Array(bandCount);
  const sumS = Array.from({ length: bandCount }, () => new RunningSum());
  const sumL = Array.from({ length: bandCount }, () => new RunningSum());
  for (let k = 0; k < size; k++) {
    // bands [lo + j·w, lo + (j+1)·w), the last closed on the right; all in band 1 when the range is one point
    let j = width > 0 ? Math.floor((s[k] - lo) / width) : 0;
    if (j >= bandCount) j = bandCount - 1;
    if (j < 0) j = 0;
    band[k] = j + 1;
    count[j]++;
    sumS[j].add(s[k]);
    sumL[j].add(l[k]);
  }
  return { lo, hi, width, band, count, sumS, sumL };
}

/** Per band: its bounds, mean scores, and arc and point elasticities (NaN where undefined). */
function bandResponse(bands: Bands, curve: SatisfactionLoyaltyCurve) {
  const { lo, hi, width, count, sumS, sumL } = bands;
  const bandCount = count.length;
  const from = new Float64Array(bandCount);
  const to = new Float64Array(bandCount);
  const meanS = new Float64Array(bandCount).fill(NaN);
  const meanL = new Float64Array(bandCount).fill(NaN);
  const arc = new Float64Array(bandCount).fill(NaN);
  const point = new Float64Array(bandCount).fill(NaN);
  let previous = -1;
  for (let j = 0; j < bandCount; j++) {
    from[j] = lo + j * width;
    to[j] = j === bandCount - 1 ? hi : lo + (j + 1) * width;
    if (count[j] === 0) continue;
    const sj = sumS[j].value / count[j];
    const lj = sumL[j].value / count[j];
    meanS[j] = sj;
    meanL[j] = lj;
    if (previous >= 0) {
      // arc (midpoint) elasticity: (ΔL / mean of the two L̄) / (ΔS / mean of the two S̄)
      const sMid = (meanS[previous] + sj) / 2;
      const lMid = (meanL[previous] + lj) / 2;
      const dS = sj - meanS[previous];
      if (sMid !== 0 && lMid !== 0 && dS !== 0) arc[j] = (lj - meanL[previous]) / lMid / (dS / sMid);
    }
    const fitted = curve.a + curve.b * sj + curve.c * sj * sj;
    if (fitted !== 0) point[j] = ((curve.b + 2 * curve.c * sj) * sj) / fitted;
    previous = j;
  }
  return { from, to, meanS, meanL, arc, point };
}
