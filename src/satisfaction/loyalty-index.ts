import { Float64, makeData, makeVector } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  DropCounter,
  isAdmissible,
  knownOptions,
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
import { ahpCore, checkPairwiseMatrix, resolveAhpOptions } from './ahp';
import type { AhpOptions, AhpResult, ResolvedAhpOptions } from './ahp';

/** One leaf of the loyalty indicator system: a numeric column and how it enters its group. */
export interface LoyaltyIndicator {
  /** The column holding the indicator (one row per customer). */
  column: string;
  /** Relative weight within its group, ≥ 0. Default 1 (equal weights). Not allowed with the group's `comparison`. */
  weight?: number;
  /** `'higher'` (default): more is more loyal. `'lower'`: less is more loyal (price sensitivity), so it is reversed. */
  direction?: 'higher' | 'lower';
  /** [min, max] mapped to 0 and 1 (values outside are clamped). Default: the column's observed min and max. */
  range?: readonly [number, number];
}

/** A group of indicators (the textbook's duration, spend and emotional factors). */
export interface LoyaltyGroup {
  /** Relative weight of the group, ≥ 0. Default 1 (equal weights). Not allowed with `groupComparison`. */
  weight?: number;
  /** The group's indicators, in the order of the rows of `comparison`. */
  indicators: readonly LoyaltyIndicator[];
  /** AHP pairwise comparison matrix of the indicators (row i against column j), instead of their `weight`s. */
  comparison?: ReadonlyArray<ArrayLike<number>>;
}

/**
 * The hierarchy of {@link loyaltyIndex}: named groups of indicators. Each level takes either direct weights or an
 * AHP comparison matrix — leaf weights in `indicators[k].weight` or `groups[g].comparison`; group weights in
 * `groups[g].weight` or `groupComparison`, whose rows follow the order of `Object.keys(groups)`.
 */
export interface LoyaltyHierarchy {
  /** Groups by name; the CRM textbooks use `duration`, `spend` and `emotional`. */
  groups: Readonly<Record<string, LoyaltyGroup>>;
  /** AHP pairwise comparison matrix of the groups, in the order of `Object.keys(groups)`. */
  groupComparison?: ReadonlyArray<ArrayLike<number>>;
}

/** Options of {@link loyaltyIndex}. */
export interface LoyaltyIndexOptions {
  /** Key column (customer id) copied to the output. Default: none. */
  key?: string;
  /**
   * Rows with a null, NaN or infinite indicator: `'drop'` (default) drops and counts them; `'reweight'` scores them
   * on the indicators they have, renormalising the weights of the rest of the group (and, when a whole group is
   * missing, of the other groups).
   */
  missing?: 'drop' | 'reweight';
  /** Options of the AHP comparisons (`method`, `consistencyThreshold`, `randomIndex`). */
  ahp?: AhpOptions;
}

/** The weights and ranges a loyalty index used, as stored in its metadata (`clientele.loyaltyIndex`). */
export interface LoyaltyIndexReport {
  readonly missing: 'drop' | 'reweight';
  /** Groups in order, with their normalised weight and, when compared by AHP, the consistency of their indicators. */
  readonly groups: ReadonlyArray<{
    readonly name: string;
    readonly weight: number;
    readonly consistency: AhpResult | null;
  }>;
  /** Consistency of `groupComparison`, or null with direct group weights. */
  readonly groupConsistency: AhpResult | null;
  /** Leaves in order: the range used, the weight within the group and the global weight (group × leaf). */
  readonly indicators: ReadonlyArray<{
    readonly group: string;
    readonly column: string;
    readonly direction: 'higher' | 'lower';
    readonly range: readonly [number, number];
    readonly rangeSource: 'option' | 'observed';
    readonly localWeight: number;
    readonly globalWeight: number;
  }>;
}

/** Metadata key of the {@link LoyaltyIndexReport}. */
const REPORT_KEY = 'clientele.loyaltyIndex';

interface Leaf {
  group: number;
  column: string;
  direction: 'higher' | 'lower';
  range: [number, number] | null;
  weight: number | undefined;
  option: string;
}

function checkWeight(weight: unknown, fn: string, option: string): number | undefined {
  if (weight === undefined) return undefined;
  if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be a finite number ≥ 0 (found ${describeValue(weight)}); leave it out for equal weights`,
    );
  }
  return weight;
}

/** Normalises weights to sum 1. @throws {ClienteleError} `INVALID_OPTION` when they sum to 0 */
function normalise(weights: number[], fn: string, option: string): number[] {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the weights of ${option} are all 0 (found ${JSON.stringify(weights)}); give at least one a positive weight`,
    );
  }
  return weights.map((w) => w / total);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A Float64 vector that is null where `valid` is 0. */
function nullableVector(values: Float64Array, valid: Uint8Array): Vector {
  const n = values.length;
  let nullCount = 0;
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    if (valid[i]) bitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  if (nullCount === 0) return numberVector(values);
  return makeVector(makeData({ type: new Float64(), length: n, nullCount, data: values, nullBitmap: bitmap }));
}

/** The options loyaltyIndex takes; every other name is refused with a did-you-mean. */
const LOYALTY_INDEX_OPTION_NAMES = optionNames<LoyaltyIndexOptions>({ key: true, missing: true, ahp: true });

/**
 * A customer loyalty index from the loyalty indicator system of CRM textbooks: indicators of the relationship's
 * duration (purchase duration, purchase frequency, frequency trend), of spend (share of wallet, cross-selling) and
 * of emotional factors (recommendation or mention rate, price sensitivity — lower is more loyal —, voluntariness
 * of purchase, satisfaction) are scaled to 0–1, weighted within their group, and the groups weighted into one
 * index from 0 (least loyal) to 100. Analysts use it to rank customers by loyalty, to track it over time, and to
 * see which group of indicators holds a customer back.
 *
 * Formula: for indicator k with range [min_k, max_k], x̃_k = clamp((x_k − min_k)/(max_k − min_k), 0, 1), reversed
 * (1 − x̃_k) when `direction` is `'lower'`. Group g: S_g = 100 · Σ_k w_k x̃_k with leaf weights w_k normalised to
 * sum 1 in the group; index = Σ_g W_g S_g with group weights W_g normalised to sum 1. The global weight of a leaf
 * is W_g · w_k. Each level takes direct weights (default 1 each, i.e. equal) or an AHP comparison matrix (the
 * principal eigenvector, see `ahpWeights`); an inconsistent matrix (CR ≥ 0.1) is reported, not rejected.
 * Without `range` an indicator's range is its observed min and max over every row with a value (so the least
 * loyal customer on it scores 0 and the most loyal 1, and the index is relative to this table: pass `range` to
 * compare tables or periods); a column with one value needs a `range`.
 * Missing values (null, NaN, ±∞): `'drop'` drops the row and counts it (`invalidValue`); `'reweight'` renormalises
 * the weights of the indicators present in the group (S_g null when no weight remains) and then of the groups
 * present, dropping only rows with nothing left.
 *
 * Output columns, in input order: the key column (when `key` is given), one column per group named after it
 * (S_g, 0–100) and `loyaltyIndex` (0–100). Metadata: drop counts (`droppedRows`) and, under
 * `clientele.loyaltyIndex`, a JSON {@link LoyaltyIndexReport} with the ranges, leaf, group and global weights
 * and the AHP consistency reports.
 *
 * Cost: O(n · indicators), one pass per indicator over typed arrays.
 * Reference: the loyalty indicator system (customer loyalty evaluation index) of CRM textbooks; AHP weighting
 * after T. L. Saaty (1980), The Analytic Hierarchy Process.
 *
 * @param table one row per customer
 * @param indicators the hierarchy `{ groups: { name: { weight?, comparison?, indicators: [{ column, weight?,
 * direction?, range? }] } }, groupComparison? }` (weights default to 1, i.e. equal; not modified)
 * @param options `key` (none), `missing` ('drop'), `ahp` (options of the comparisons)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (weights negative or all 0, a bad
 * range, a matrix of the wrong size), `INVALID_VALUE` (a comparison matrix that is not positive reciprocal, a
 * column with one value and no range), `EMPTY_INPUT`
 * @example
 * const customers = { id: ['a', 'b', 'c'], years: [1, 5, 9], shareOfWallet: [0.2, 0.6, 0.4], priceSensitivity: [0.9, 0.5, 0.1] };
 * const index = loyaltyIndex(customers, {
 *   groups: {
 *     duration: { weight: 0.4, indicators: [{ column: 'years', range: [0, 10] }] },
 *     spend: { weight: 0.3, indicators: [{ column: 'shareOfWallet', range: [0, 1] }] },
 *     emotional: { weight: 0.3, indicators: [{ column: 'priceSensitivity', direction: 'lower', range: [0, 1] }] },
 *   },
 * }, { key: 'id' });
 * index.getChild('loyaltyIndex')?.toArray(); // Float64Array [13, 53, 75]
 */
export function loyaltyIndex(table: unknown, indicators: LoyaltyHierarchy, options: LoyaltyIndexOptions = {}): Table {
  options = knownOptions(options, LOYALTY_INDEX_OPTION_NAMES, 'loyaltyIndex');
  const fn = 'loyaltyIndex';
  const input = asTable(table);
  options = options ?? {};
  const missing = options.missing ?? 'drop';
  if (missing !== 'drop' && missing !== 'reweight') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option missing must be 'drop' or 'reweight' (found ${describeValue(missing)}); leave it out to drop incomplete rows`,
    );
  }
  const ahpOptions = resolveAhpOptions(isObject(options.ahp) ? options.ahp : {}, fn);
  const keyName = options.key;

  // ---- the hierarchy: validate everything before reading a column
  const hierarchy = readHierarchy(indicators, keyName, ahpOptions, fn);
  const { groupNames, leaves, leafWeights, groupConsistency, groupWeights, topConsistency } = hierarchy;

  // ---- read the columns
  const rows = input.numRows;
  const keys = keyName !== undefined ? readKeys(input, keyName, fn, 'key') : null;
  const columns = leaves.map((leaf) => readNumeric(input, leaf.column, fn, leaf.option).values);
  if (rows === 0) throw new ClienteleError('EMPTY_INPUT', `${fn}: the table has no rows; pass one row per customer`);
  const ranges = leafRanges(leaves, columns, rows, fn);

  // ---- per group Σ w x̃ and Σ w, then the sub-indices and the index; drops counted in row order
  const G = groupNames.length;
  const localWeight = new Float64Array(leaves.length);
  {
    const position = new Int32Array(G);
    leaves.forEach((leaf, l) => (localWeight[l] = leafWeights[leaf.group][position[leaf.group]++]));
  }
  const sums = groupSums(leaves, columns, ranges, localWeight, G, rows);
  const { drops, kept, size, sub, subValid, index } = scoreRows(sums, groupWeights, keys, missing, rows, fn);

  const report: LoyaltyIndexReport = {
    missing,
    groups: groupNames.map((name, g) => ({ name, weight: groupWeights[g], consistency: groupConsistency[g] })),
    groupConsistency: topConsistency,
    indicators: leaves.map((leaf, l) => ({
      group: groupNames[leaf.group],
      column: leaf.column,
      direction: leaf.direction,
      range: ranges[l],
      rangeSource: leaf.range ? 'option' : 'observed',
      localWeight: localWeight[l],
      globalWeight: groupWeights[leaf.group] * localWeight[l],
    })),
  };
  const out: Record<string, Vector> = nullRecord();
  if (keys && keyName !== undefined) {
    const ids = new Int32Array(size);
    for (let k = 0; k < size; k++) ids[k] = keys.codes[kept[k]];
    out[keyName] = takeVector(keys.keys, ids);
  }
  groupNames.forEach((name, g) => (out[name] = nullableVector(sub[g].slice(0, size), subValid[g].subarray(0, size))));
  out.loyaltyIndex = numberVector(index.slice(0, size));
  return tableWithMetadata(out, {
    [META.kind]: 'loyaltyIndex',
    [REPORT_KEY]: JSON.stringify(report),
    ...drops.metadata(rows),
  });
}

/** The validated hierarchy: its leaves in order and the normalised weights of both levels. */
interface Hierarchy {
  readonly groupNames: string[];
  readonly leaves: Leaf[];
  /** Normalised leaf weights, per group in the order of its leaves. */
  readonly leafWeights: number[][];
  /** Consistency of each group's comparison matrix, or null with direct weights. */
  readonly groupConsistency: (AhpResult | null)[];
  /** Normalised group weights. */
  readonly groupWeights: number[];
  /** Consistency of `groupComparison`, or null with direct group weights. */
  readonly topConsistency: AhpResult | null;
}

/** Validates the hierarchy and weighs both levels (direct weights or AHP) before any column is read. */
function readHierarchy(
  indicators: LoyaltyHierarchy,
  keyName: string | undefined,
  ahpOptions: ResolvedAhpOptions,
  fn: string,
): Hierarchy {
  if (!isObject(indicators) || !isObject(indicators.groups) || Object.keys(indicators.groups).length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: indicators must be { groups: { name: { indicators: [...] } } } with at least one group (found ${describeValue(indicators)}); ` +
        `e.g. { groups: { duration: { weight: 0.4, indicators: [{ column: 'tenure' }] } } }`,
    );
  }
  const groupNames = Object.keys(indicators.groups);
  const leaves: Leaf[] = [];
  const groupWeightsGiven: (number | undefined)[] = [];
  const leafWeights: number[][] = [];
  const groupConsistency: (AhpResult | null)[] = [];
  groupNames.forEach((name, g) => {
    const group = ownValue(indicators.groups, name) as unknown;
    const where = `groups.${name}`;
    if (name === 'loyaltyIndex' || name === keyName) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: group name "${name}" is also the name of the ${name === keyName ? 'key' : 'index'} column (found ${where}); rename the group`,
      );
    }
    if (!isObject(group) || !Array.isArray(group.indicators) || group.indicators.length === 0) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: ${where} must be { indicators: [{ column }, …] } with at least one indicator (found ${describeValue(group)}); list the group's columns`,
      );
    }
    groupWeightsGiven.push(checkWeight(group.weight, fn, `${where}.weight`));
    const mine = (group.indicators as unknown[]).map((leaf, k) => readLeaf(leaf, g, `${where}.indicators[${k}]`, fn));
    leaves.push(...mine);
    const weighed = weighLeaves(mine, group, where, ahpOptions, fn);
    leafWeights.push(weighed.weights);
    groupConsistency.push(weighed.consistency);
  });
  const { weights, consistency } = weighGroups(indicators, groupNames, groupWeightsGiven, ahpOptions, fn);
  return { groupNames, leaves, leafWeights, groupConsistency, groupWeights: weights, topConsistency: consistency };
}

/** Validates one indicator of the hierarchy (`option` is where it sits, e.g. `groups.spend.indicators[0]`). */
function readLeaf(leaf: unknown, g: number, option: string, fn: string): Leaf {
  if (!isObject(leaf) || typeof leaf.column !== 'string' || leaf.column.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${option} must be { column: '…' } (found ${describeValue(leaf)}); name the indicator's column`,
    );
  }
  const direction = leaf.direction ?? 'higher';
  if (direction !== 'higher' && direction !== 'lower') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: ${option}.direction must be 'higher' or 'lower' (found ${describeValue(direction)}); use 'lower' for indicators such as price sensitivity`,
    );
  }
  let range: [number, number] | null = null;
  if (leaf.range !== undefined) {
    const r = leaf.range as unknown[];
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !r.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
      !((r[0] as number) < (r[1] as number))
    ) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: ${option}.range must be [min, max] with min < max (found ${Array.isArray(r) ? JSON.stringify(r) : describeValue(r)}); leave it out for the observed range`,
      );
    }
    range = [r[0] as number, r[1] as number];
  }
  const weight = checkWeight(leaf.weight, fn, `${option}.weight`);
  return { group: g, column: leaf.column, direction, range, weight, option: `${option}.column` };
}

/** The normalised weights of a group's leaves: from its comparison matrix (AHP) or from their direct weights. */
function weighLeaves(
  mine: readonly Leaf[],
  group: Record<string, unknown>,
  where: string,
  ahpOptions: ResolvedAhpOptions,
  fn: string,
): { weights: number[]; consistency: AhpResult | null } {
  if (group.comparison !== undefined) {
    if (mine.some((l) => l.weight !== undefined)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: ${where} has both a comparison matrix and indicator weights (found weight on ${mine
          .filter((l) => l.weight !== undefined)
          .map((l) => l.column)
          .join(', ')}); give one or the other`,
      );
    }
    const size = Array.isArray(group.comparison) ? group.comparison.length : -1;
    if (size !== mine.length) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: ${where}.comparison must be ${mine.length} × ${mine.length}, one row per indicator (found ${size < 0 ? describeValue(group.comparison) : `${size} rows`}); compare every indicator of the group`,
      );
    }
    const { values, n } = checkPairwiseMatrix(group.comparison, fn, `${where}.comparison`);
    const result = ahpCore(values, n, ahpOptions, fn);
    return { weights: [...result.weights], consistency: result };
  }
  return {
    weights: normalise(
      mine.map((l) => l.weight ?? 1),
      fn,
      where,
    ),
    consistency: null,
  };
}

/** The normalised group weights: from `groupComparison` (AHP) or from the groups' direct weights. */
function weighGroups(
  indicators: LoyaltyHierarchy,
  groupNames: readonly string[],
  groupWeightsGiven: readonly (number | undefined)[],
  ahpOptions: ResolvedAhpOptions,
  fn: string,
): { weights: number[]; consistency: AhpResult | null } {
  if (indicators.groupComparison !== undefined) {
    const given = groupNames.filter((_, g) => groupWeightsGiven[g] !== undefined);
    if (given.length > 0) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: groupComparison is given and so are group weights (found weight on ${given.join(', ')}); give one or the other`,
      );
    }
    const size = Array.isArray(indicators.groupComparison) ? indicators.groupComparison.length : -1;
    if (size !== groupNames.length) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: groupComparison must be ${groupNames.length} × ${groupNames.length}, one row per group in the order ${groupNames.join(', ')} (found ${size < 0 ? describeValue(indicators.groupComparison) : `${size} rows`}); compare every group`,
      );
    }
    const { values, n } = checkPairwiseMatrix(indicators.groupComparison, fn, 'groupComparison');
    const topConsistency = ahpCore(values, n, ahpOptions, fn);
    return { weights: [...topConsistency.weights], consistency: topConsistency };
  }
  return {
    weights: normalise(
      groupWeightsGiven.map((w) => w ?? 1),
      fn,
      'the groups',
    ),
    consistency: null,
  };
}

/** Each leaf's range: given, or observed over every finite value of its column. */
function leafRanges(
  leaves: readonly Leaf[],
  columns: readonly Float64Array[],
  rows: number,
  fn: string,
): [number, number][] {
  return leaves.map((leaf, l) => {
    if (leaf.range) return leaf.range;
    const x = columns[l];
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < rows; i++) {
      const v = x[i];
      if (isAdmissible(v)) {
        // finite (NaN and ±∞ fail v − v === 0)
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (min > max) {
      throw new ClienteleError(
        'EMPTY_INPUT',
        `${fn}: column "${leaf.column}" (${leaf.option}) has no finite value in its ${rows} rows (found only null, NaN or ±∞); check the column`,
        { column: leaf.column },
      );
    }
    if (min === max) {
      throw new ClienteleError(
        'INVALID_VALUE',
        `${fn}: column "${leaf.column}" takes one value in every row with a value (found ${min}), so it has no observed range; pass range: [min, max] for it`,
        { column: leaf.column },
      );
    }
    return [min, max] as [number, number];
  });
}

/** Per group and row: Σ w x̃ and Σ w over the indicators present, and whether the row has every indicator. */
interface GroupSums {
  readonly numerator: Float64Array[];
  readonly denominator: Float64Array[];
  /** 1 where every indicator is present. */
  readonly complete: Uint8Array;
}

/** Sums the scaled indicators into their groups, column by column (typed arrays, no per-row objects). */
function groupSums(
  leaves: readonly Leaf[],
  columns: readonly Float64Array[],
  ranges: readonly [number, number][],
  localWeight: Float64Array,
  G: number,
  rows: number,
): GroupSums {
  const numerator = Array.from({ length: G }, () => new Float64Array(rows));
  const denominator = Array.from({ length: G }, () => new Float64Array(rows));
  const complete = new Uint8Array(rows).fill(1); // every indicator present
  leaves.forEach((leaf, l) => {
    const x = columns[l];
    const w = localWeight[l];
    const [min, max] = ranges[l];
    const width = max - min; // divided by, not multiplied by its reciprocal, which overflows for subnormal widths
    // x̃ = a + b·t with t the clamped position in the range: (0, 1) for 'higher', (1, −1) for 'lower'
    const a = leaf.direction === 'lower' ? 1 : 0;
    const b = leaf.direction === 'lower' ? -1 : 1;
    const num = numerator[leaf.group];
    const den = denominator[leaf.group];
    for (let i = 0; i < rows; i++) {
      const v = x[i];
      if (!isAdmissible(v)) {
        complete[i] = 0;
        continue;
      }
      // a range wider than the largest double (e.g. −1.7e308 … 1.7e308) is taken in halves, which are exact
      let t = width < Infinity ? (v - min) / width : (v / 2 - min / 2) / (max / 2 - min / 2);
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      num[i] += w * (a + b * t);
      den[i] += w;
    }
  });
  return { numerator, denominator, complete };
}

/** The group sub-indices and the index of the rows kept; drops counted in row order. */
function scoreRows(
  sums: GroupSums,
  groupWeights: readonly number[],
  keys: KeyColumn | null,
  missing: 'drop' | 'reweight',
  rows: number,
  fn: string,
) {
  const { numerator, denominator, complete } = sums;
  const G = groupWeights.length;
  const drops = new DropCounter();
  const kept = new Int32Array(rows);
  let size = 0;
  const sub = Array.from({ length: G }, () => new Float64Array(rows));
  const subValid = Array.from({ length: G }, () => new Uint8Array(rows));
  const index = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (keys && keys.codes[i] < 0) {
      drops.drop('nullKey', i);
      continue;
    }
    if (missing === 'drop' && !complete[i]) {
      drops.drop('invalidValue', i);
      continue;
    }
    let total = 0;
    let weight = 0;
    for (let g = 0; g < G; g++) {
      const den = denominator[g][i];
      if (den > 0) {
        // a weighted mean of values in [0, 1]; clamped because its rounding can step past 100 (100.00000000000001)
        const s = Math.min(100, Math.max(0, (100 * numerator[g][i]) / den));
        sub[g][size] = s;
        subValid[g][size] = 1;
        total += groupWeights[g] * s;
        weight += groupWeights[g];
      } else sub[g][size] = NaN;
    }
    if (!(weight > 0)) {
      drops.drop('invalidValue', i);
      continue;
    }
    index[size] = Math.min(100, Math.max(0, total / weight));
    kept[size++] = i;
  }
  if (size === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: all ${rows} rows were dropped (${JSON.stringify(drops.counts)}); check the indicator columns, or use missing: 'reweight'`,
    );
  }
  return { drops, kept, size, sub, subValid, index };
}
