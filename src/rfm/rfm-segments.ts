import type { Table, TypeMap, Vector } from 'apache-arrow';
import type { LabelType } from '../table/internal';
import {
  asTable,
  ClienteleError,
  codeArray,
  describeValue,
  getColumn,
  labelVector,
  readNumericVector,
  tableWithMetadata,
  nullRecord,
} from '../table/internal';

/** An inclusive score range `[low, high]`. */
export type ScoreRange = readonly [number, number];

/**
 * One named segment: a customer belongs to it when each given score lies in its range. `fm` is the mean of the F
 * and M scores rounded half up, the second axis of the usual R × FM grid. Rules are tried in order; the first
 * that matches wins.
 */
export interface SegmentRule {
  readonly name: string;
  readonly r?: ScoreRange;
  readonly f?: ScoreRange;
  readonly m?: ScoreRange;
  readonly fm?: ScoreRange;
}

/** A segment map: ordered rules, and the name for customers no rule matches. */
export interface SegmentMap {
  readonly rules: readonly SegmentRule[];
  /** Name for customers that no rule matches. Default `'Other'`. */
  readonly other?: string;
  /** The score scale the rules are written on (default: the table's bins). The default map is written on 1–5. */
  readonly scale?: number;
}

/**
 * The standard eleven RFM segments on the R × FM grid (scores 1–5, FM = round half up of (F + M) / 2). Every one
 * of the 25 cells has a name, so no customer is left unnamed:
 *
 * | R \ FM | 1                | 2–3                 | 4                | 5                |
 * |--------|------------------|---------------------|------------------|------------------|
 * | 5      | New              | Potential Loyalist  | Champions        | Champions        |
 * | 4      | Promising        | Potential Loyalist  | Loyal            | Loyal            |
 * | 3      | About to Sleep   | About to Sleep (2), Need Attention (3) | Loyal | Loyal      |
 * | 2      | Hibernating      | Hibernating (2), At Risk (3) | At Risk | Can't Lose Them  |
 * | 1      | Lost             | Lost (2), At Risk (3) | At Risk        | Can't Lose Them  |
 *
 * The grid is the widely used R × F segmentation of RFM practice (e.g. the segment names of R's `rfm` package
 * vignette), with "Lost" split from "Hibernating" on R = 1 and F replaced by the F–M mean so spend counts.
 */
export const STANDARD_SEGMENTS: SegmentMap = Object.freeze({
  scale: 5,
  other: 'Other',
  rules: Object.freeze([
    { name: 'Champions', r: [5, 5], fm: [4, 5] },
    { name: 'Loyal', r: [3, 4], fm: [4, 5] },
    { name: 'Potential Loyalist', r: [4, 5], fm: [2, 3] },
    { name: 'New', r: [5, 5], fm: [1, 1] },
    { name: 'Promising', r: [4, 4], fm: [1, 1] },
    { name: 'Need Attention', r: [3, 3], fm: [3, 3] },
    { name: 'About to Sleep', r: [3, 3], fm: [1, 2] },
    { name: "Can't Lose Them", r: [1, 2], fm: [5, 5] },
    { name: 'At Risk', r: [1, 2], fm: [3, 4] },
    { name: 'Hibernating', r: [2, 2], fm: [1, 2] },
    { name: 'Lost', r: [1, 1], fm: [1, 2] },
  ] as SegmentRule[]),
});

function checkMap(map: SegmentMap, fn: string): void {
  if (!map || !Array.isArray(map.rules) || map.rules.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the segment map must have a non-empty rules array (found ${describeValue(map)}); pass ` +
        `{ rules: [{ name: 'Champions', r: [4, 5], f: [4, 5] }, …] }`,
    );
  }
  map.rules.forEach((rule, k) => {
    if (typeof rule?.name !== 'string' || rule.name.length === 0) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: segment rule ${k} has no name (found ${describeValue(rule?.name)}); give each rule a name`,
      );
    }
    for (const axis of ['r', 'f', 'm', 'fm'] as const) {
      const range = rule[axis];
      if (range === undefined) continue;
      if (!Array.isArray(range) || range.length !== 2 || !(range[0] <= range[1])) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: segment rule "${rule.name}" has an invalid ${axis} range (found ${JSON.stringify(range)}); ` +
            `write it as [low, high] with low ≤ high`,
        );
      }
    }
  });
}

/**
 * The segment of every (r, f, m) score combination on a `bins`-point scale: `table[(r−1)·bins² + (f−1)·bins + m−1]`
 * is the index of the segment name in `names`. Rules written on another scale are applied to scores rescaled
 * linearly by their mid-points: `s' = round(((s − 0.5) / bins) · scale + 0.5)`.
 */
export function segmentLookup(map: SegmentMap, bins: number, fn: string): { table: Int16Array; names: string[] } {
  checkMap(map, fn);
  const scale = map.scale ?? bins;
  const names = map.rules.map((r) => r.name);
  const otherName = map.other ?? 'Other';
  let other = names.indexOf(otherName);
  const rescale = (s: number) => (scale === bins ? s : Math.round(((s - 0.5) / bins) * scale + 0.5));
  const inRange = (range: ScoreRange | undefined, s: number) => range === undefined || (s >= range[0] && s <= range[1]);
  const table = new Int16Array(bins * bins * bins);
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const R = rescale(r);
        const F = rescale(f);
        const M = rescale(m);
        const FM = Math.floor((F + M) / 2 + 0.5);
        let hit = map.rules.findIndex(
          (rule) => inRange(rule.r, R) && inRange(rule.f, F) && inRange(rule.m, M) && inRange(rule.fm, FM),
        );
        if (hit < 0) {
          if (other < 0) {
            other = names.length;
            names.push(otherName);
          }
          hit = other;
        }
        table[(r - 1) * bins * bins + (f - 1) * bins + (m - 1)] = hit;
      }
    }
  }
  return { table, names };
}

/** The segment label vector for score arrays r, f, m on `bins` points. */
export function segmentVector(
  r: Int8Array,
  f: Int8Array,
  m: Int8Array,
  bins: number,
  map: SegmentMap,
  fn: string,
): Vector {
  const { table, names } = segmentLookup(map, bins, fn);
  const codes = codeArray(r.length, names.length);
  const b2 = bins * bins;
  for (let i = 0; i < r.length; i++) codes[i] = table[(r[i] - 1) * b2 + (f[i] - 1) * bins + (m[i] - 1)];
  return labelVector(codes, names);
}

/**
 * Names each customer's RFM segment from its r, f and m scores: the standard eleven segments by default
 * ({@link STANDARD_SEGMENTS}: Champions, Loyal, Potential Loyalist, New, Promising, Need Attention, About to Sleep,
 * At Risk, Can't Lose Them, Hibernating, Lost), or a map of score ranges to names of your own.
 *
 * Returns the input columns with `segment` (dictionary-encoded strings) added or replaced; the metadata is kept.
 * Cost: O(n) with a bins³ look-up table.
 *
 * @param rfmTable a table with integer score columns `r`, `f`, `m` (as `rfm` returns)
 * @param segmentMap `{ rules, other?, scale? }`; rules are tried in order, the first match wins
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_VALUE` (a score outside 1…bins), `INVALID_OPTION`
 * @example
 * const named = rfmSegments({ r: [5, 1], f: [5, 1], m: [4, 2] });
 * named.getChild('segment')?.toArray(); // ['Champions', 'Lost']
 */
export function rfmSegments<T extends TypeMap>(
  rfmTable: Table<T>,
  segmentMap?: SegmentMap,
): Table<T & { segment: LabelType }>;
export function rfmSegments(rfmTable: unknown, segmentMap?: SegmentMap): Table;
export function rfmSegments(rfmTable: unknown, segmentMap: SegmentMap = STANDARD_SEGMENTS): Table {
  const fn = 'rfmSegments';
  const table = asTable(rfmTable);
  const scores: Int8Array[] = [];
  // the scale: as rfm recorded it, else 5 or the highest score present
  const recorded = Number(table.schema.metadata.get('clientele.bins') ?? 0);
  let bins = recorded || 5;
  for (const axis of ['r', 'f', 'm'] as const) {
    const { values } = readNumericVector(getColumn(table, axis, fn, axis), axis, fn);
    const s = new Int8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < 1 || v > 127) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: column "${axis}" row ${i} is not a score 1, 2, 3 … (found ${describeValue(v)}); ` +
            `pass the r, f, m scores that rfm returns`,
          { column: axis, row: i },
        );
      }
      s[i] = v;
      if (v > bins) {
        if (recorded) {
          throw new ClienteleError(
            'INVALID_VALUE',
            `${fn}: column "${axis}" row ${i} holds score ${v}, above the ${recorded} bins the table was scored on; ` +
              `pass the scores unchanged`,
            { column: axis, row: i },
          );
        }
        bins = v;
      }
    }
    scores.push(s);
  }
  const segment = segmentVector(scores[0], scores[1], scores[2], bins, segmentMap, fn);
  const columns: Record<string, Vector> = nullRecord();
  for (const field of table.schema.fields)
    if (field.name !== 'segment') columns[field.name] = table.getChild(field.name) as Vector;
  columns.segment = segment;
  return tableWithMetadata(columns, Object.fromEntries(table.schema.metadata));
}
