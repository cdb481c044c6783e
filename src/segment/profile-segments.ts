import { Utf8, vectorFromArray } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { medianSorted } from 'simple-statistics';
import {
  asTable,
  ClienteleError,
  describeValue,
  getColumn,
  knownOptions,
  numberVector,
  optionNames,
  readKeysVector,
  readNumeric,
  tableWithMetadata,
  TypeId,
} from '../table/internal';
import { checkColumns } from './feature-matrix';

/** Options of {@link profileSegments}. */
export interface ProfileSegmentsOptions {
  /** Numeric columns to describe (mean and median per segment). */
  columns: readonly string[];
  /**
   * Column of RFM segment names (from `rfmSegments`) whose mix to report per segment. Default `'segment'` when the
   * table has such a text column; `null` to leave it out.
   */
  rfmSegment?: string | null;
}

/** The options profileSegments takes; every other name is refused with a did-you-mean. */
const PROFILE_SEGMENTS_OPTION_NAMES = optionNames<ProfileSegmentsOptions>({ columns: true, rfmSegment: true });

/**
 * Describes each k-means segment in the terms an analyst reports: its size and share of the customers, the mean and
 * median of every feature, and — when the table carries RFM segment names — which RFM segments it is made of.
 *
 * Output, one row per segment (0 … k − 1, in order; empty segments included with size 0): `segment`, `size`,
 * `share` (of the rows with a segment), `<column>Mean` and `<column>Median` for each column (over the segment's rows
 * where that column is not missing), and with RFM names `rfmTop` (the most common RFM segment), `rfmTopShare` and
 * `rfmMix` (the three most common, e.g. "Champions 45%, Loyal 30%, Potential Loyalist 15%"). Rows with label −1 are
 * not profiled; they are counted in the metadata (`clientele.unlabelled`).
 *
 * Cost: O(n log n) (medians by sorting each segment's values).
 *
 * @param table the rows that were segmented (anything `asTable` accepts)
 * @param labels one segment per row (−1 for none): an `Int32Array`, an array, a `kmeans` result, or a column name
 * @param options columns; rfmSegment
 * @throws {ClienteleError} `INVALID_INPUT` when the labels do not match the rows, `MISSING_COLUMN`, `INVALID_TYPE`,
 *   `INVALID_OPTION`
 * @example
 * const customers = { spend: [10, 12, 11, 200, 220], visits: [1, 2, 1, 9, 11] };
 * const profile = profileSegments(customers, [0, 0, 0, 1, 1], { columns: ['spend', 'visits'] });
 * profile.getChild('size')?.toArray(); // Int32Array [3, 2]
 * profile.getChild('spendMean')?.toArray(); // Float64Array [11, 210]
 * profile.getChild('visitsMedian')?.toArray(); // Float64Array [1, 10]
 */
export function profileSegments(table: unknown, labels: unknown, options: ProfileSegmentsOptions): Table {
  options = knownOptions(options, PROFILE_SEGMENTS_OPTION_NAMES, 'profileSegments');
  const fn = 'profileSegments';
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with columns (found ${describeValue(options)})`,
    );
  }
  const input = asTable(table);
  const columns = checkColumns(options.columns, fn);
  const n = input.numRows;
  const label = readLabels(input, labels, fn);
  let k = 0;
  let unlabelled = 0;
  for (let i = 0; i < n; i++) {
    if (label[i] >= k) k = label[i] + 1;
    if (label[i] < 0) unlabelled++;
  }
  if (k === 0)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has a segment (all ${n} labels are −1); segment the table first`,
    );
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) if (label[i] >= 0) sizes[label[i]]++;
  const labelled = n - unlabelled;
  const out: Record<string, Vector> = {
    segment: numberVector(Int32Array.from({ length: k }, (_, j) => j)),
    size: numberVector(sizes),
    share: numberVector(Float64Array.from(sizes, (s) => s / labelled)),
  };
  for (const column of columns) {
    const values = readNumeric(input, column, fn, 'columns').values;
    const groups = groupValues(values, label, k);
    out[`${column}Mean`] = numberVector(
      Float64Array.from(groups, (g) => (g.length === 0 ? NaN : g.reduce((s, v) => s + v, 0) / g.length)),
    );
    out[`${column}Median`] = numberVector(
      Float64Array.from(groups, (g) => (g.length === 0 ? NaN : medianSorted(Array.from(g.sort())))),
    );
  }
  const rfmName =
    options.rfmSegment === undefined ? (hasTextColumn(input, 'segment') ? 'segment' : null) : options.rfmSegment;
  if (rfmName !== null) {
    if (typeof rfmName !== 'string')
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option rfmSegment must be a column name or null (found ${describeValue(rfmName)})`,
      );
    const keys = readKeysVector(getColumn(input, rfmName, fn, 'rfmSegment'), rfmName, fn, 64);
    const names = Array.from({ length: keys.size }, (_, c) => String(keys.keys.get(c)));
    const counts = new Int32Array(k * keys.size);
    for (let i = 0; i < n; i++) if (label[i] >= 0 && keys.codes[i] >= 0) counts[label[i] * keys.size + keys.codes[i]]++;
    const top: string[] = [];
    const topShare = new Float64Array(k);
    const mix: string[] = [];
    for (let j = 0; j < k; j++) {
      const row = Array.from(counts.subarray(j * keys.size, (j + 1) * keys.size), (count, c) => ({
        name: names[c],
        count,
      }));
      const total = row.reduce((s, r) => s + r.count, 0);
      row.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
      const present = row.filter((r) => r.count > 0);
      top.push(present.length ? present[0].name : '');
      topShare[j] = present.length ? present[0].count / total : NaN;
      mix.push(
        present
          .slice(0, 3)
          .map((r) => `${r.name} ${Math.round((100 * r.count) / total)}%`)
          .join(', '),
      );
    }
    out.rfmTop = textVector(top);
    out.rfmTopShare = numberVector(topShare);
    out.rfmMix = textVector(mix);
  }
  return tableWithMetadata(out, { 'clientele.kind': 'segmentProfile', 'clientele.unlabelled': String(unlabelled) });
}

/** Labels as an Int32Array of one entry per row, from the forms `profileSegments` and `explainSegments` accept. */
function readLabels(table: Table, labels: unknown, fn: string): Int32Array {
  const n = table.numRows;
  let out: Int32Array;
  if (typeof labels === 'string') {
    const values = readNumeric(table, labels, fn, 'labels').values;
    out = Int32Array.from(values, (v) => (Number.isInteger(v) && v >= 0 ? v : -1));
  } else {
    const source =
      typeof labels === 'object' && labels !== null && (labels as { labels?: unknown }).labels !== undefined
        ? (labels as { labels: unknown }).labels
        : labels;
    if (!(source instanceof Int32Array) && !Array.isArray(source) && !ArrayBuffer.isView(source)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: labels must be an Int32Array or array of segment numbers, a kmeans result, or a column name (found ${describeValue(labels)})`,
      );
    }
    const list = source as ArrayLike<number>;
    if (list.length !== n) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: there are ${list.length} labels for ${n} rows (found ${list.length}); pass one label per row of the segmented table, −1 for rows without a segment`,
      );
    }
    out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = list[i];
      if (v === -1 || v === null || (typeof v === 'number' && Number.isNaN(v))) out[i] = -1;
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: label at row ${i} must be a segment number ≥ 0 or −1 (found ${describeValue(v)})`,
          { row: i },
        );
      } else out[i] = v;
    }
  }
  return out;
}

function groupValues(values: Float64Array, label: Int32Array, k: number): Float64Array[] {
  const counts = new Int32Array(k);
  for (let i = 0; i < values.length; i++) if (label[i] >= 0 && !Number.isNaN(values[i])) counts[label[i]]++;
  const groups = Array.from(counts, (c) => new Float64Array(c));
  const fill = new Int32Array(k);
  for (let i = 0; i < values.length; i++)
    if (label[i] >= 0 && !Number.isNaN(values[i])) groups[label[i]][fill[label[i]]++] = values[i];
  return groups;
}

function hasTextColumn(table: Table, name: string): boolean {
  const field = table.schema.fields.find((f) => f.name === name);
  if (!field) return false;
  const id = field.type.typeId;
  return id === TypeId.Utf8 || id === TypeId.Dictionary || id === TypeId.LargeUtf8;
}

/** A small Utf8 column (one entry per segment): Arrow's builder is fine at this size. */
function textVector(values: string[]): Vector {
  return vectorFromArray(values, new Utf8());
}
