import type { DataType, Float64, Int32, RecordBatch, Table, Vector } from 'apache-arrow';
import type { KeyType, LabelType } from '../table/internal';
import {
  asTable,
  ClienteleError,
  codeArray,
  describeValue,
  labelVector,
  META,
  numberVector,
  tableWithMetadata,
  takeVector,
} from '../table/internal';
import { checkFiniteTotal, exactUnits, RunningSum, shareAtLeast } from '../math/internal';
import {
  finishKeyTotals,
  initKeyTotals,
  KeyTotalsAccumulator,
  mergeKeyTotals,
  summarizeKeyTotals,
} from '../kernels/internal';
import type { AccumulatingAggregate, KeyTotals, KeyTotalsPartial } from '../kernels/internal';

/** Options of {@link abc}. */
export interface AbcOptions {
  /** Column of keys to classify (customers, products …). Default `'customer'`. */
  key?: string;
  /** Column of values (revenue, margin, volume …); rows of one key are summed. Default `'amount'`. */
  value?: string;
  /** Ascending cumulative-share cut-offs in (0, 1]; k cut-offs give classes A … the (k+1)th letter. Default [0.8, 0.95]. */
  cutoffs?: readonly number[];
}

/** The classification of keys by value, in rank order (the shared core of `abc` and `valueLoyaltyMatrix`). */
export interface AbcCore {
  /** Key ids by rank: `order[0]` is the id with the largest value. */
  readonly order: Int32Array;
  /** Per id: share of the positive total, cumulative share up to and including it, rank (1-based), class index. */
  readonly share: Float64Array;
  readonly cumulative: Float64Array;
  readonly rank: Int32Array;
  readonly classIndex: Int8Array;
  readonly labels: string[];
}

/** Validates cut-offs. @throws {ClienteleError} `INVALID_OPTION` */
export function checkCutoffs(cutoffs: unknown, fn: string): number[] {
  const ok =
    Array.isArray(cutoffs) &&
    cutoffs.length >= 1 &&
    cutoffs.length <= 25 &&
    cutoffs.every((c, j) => typeof c === 'number' && c > 0 && c <= 1 && (j === 0 || c > cutoffs[j - 1]));
  if (!ok) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option cutoffs must be ascending shares in (0, 1] (found ${describeValue(cutoffs)}${Array.isArray(cutoffs) ? ` ${JSON.stringify(cutoffs)}` : ''}); ` +
        `the usual choice is [0.8, 0.95]`,
    );
  }
  return [...(cutoffs as number[])];
}

/**
 * Ranks keys by value (descending, ties by key ascending) and classes them by cumulative share.
 * Values ≤ 0 count as 0 towards the shares and are always in the last class.
 *
 * A key's class is decided exactly: "the share ranked before it has reached cut-off c" is
 * `before / total ≥ c` with `before` and `total` the exact sums of the doubles and `c` the decimal it was written
 * as (0.8 is 4/5), by cross-multiplication in BigInt (math/exact.ts). The floating running sum decides every key
 * whose share is clearly away from a cut-off (by more than 2⁻⁴⁰ of the total, far above its rounding error); only
 * keys within that band are summed exactly, once, in rank order, so the cost stays O(n) beyond the sort.
 *
 * @param column the value column, named when the total overflows
 * @throws {ClienteleError} `INVALID_VALUE` (no positive value, or a total beyond the largest double)
 */
export function classifyByValue(
  values: Float64Array,
  keys: Vector,
  cutoffs: readonly number[],
  fn: string,
  column: string,
): AbcCore {
  const n = values.length;
  const total = new RunningSum();
  for (let i = 0; i < n; i++) total.add(values[i] > 0 ? values[i] : 0);
  const positive = checkFiniteTotal(total.value, fn, column, `all ${n} keys`);
  if (!(positive > 0)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: no key has a positive value in column "${column}" (found ${n} keys, total ${positive}); ABC needs revenue, margin or volume > 0`,
      { column },
    );
  }
  const keyValues = keys.toArray() as ArrayLike<string | number>;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(
    (a, b) => values[b] - values[a] || (keyValues[a] < keyValues[b] ? -1 : keyValues[a] > keyValues[b] ? 1 : 0),
  );

  const share = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const rank = new Int32Array(n);
  const classIndex = new Int8Array(n);
  const last = cutoffs.length;
  const reached = shareReached(values, order, positive);
  const running = new RunningSum();
  let cls = 0;
  for (let k = 0; k < n; k++) {
    const id = order[k];
    // a key is in class j while the share of the keys ranked before it is below cutoff j
    while (cls < last && reached(k, running.value, cutoffs[cls])) cls++;
    const v = values[id] > 0 ? values[id] : 0;
    running.add(v);
    share[id] = v / positive;
    cumulative[id] = Math.min(1, running.value / positive);
    rank[id] = k + 1;
    classIndex[id] = values[id] > 0 ? cls : last;
  }
  const labels = Array.from({ length: last + 1 }, (_, j) => String.fromCharCode(65 + j));
  return { order, share, cumulative, rank, classIndex, labels };
}

/**
 * `reached(k, before, c)`: whether the positive values ranked before rank k (floating sum `before`) hold a share
 * ≥ c of the positive total, decided exactly when the floating sum is too close to call.
 */
function shareReached(
  values: Float64Array,
  order: Int32Array,
  positive: number,
): (k: number, before: number, cutoff: number) => boolean {
  const band = positive * 2 ** -40 + 2 * Number.MIN_VALUE; // the rounding of cutoff · positive, subnormals too
  let exactTotal = -1n;
  let exactBefore = 0n;
  let summed = 0; // ranks already in exactBefore
  return (k, before, cutoff) => {
    const gap = before - cutoff * positive;
    if (gap > band) return true;
    if (gap < -band) return false;
    if (exactTotal < 0n) {
      exactTotal = 0n;
      for (let i = 0; i < values.length; i++) if (values[i] > 0) exactTotal += exactUnits(values[i]);
    }
    for (; summed < k; summed++) if (values[order[summed]] > 0) exactBefore += exactUnits(values[order[summed]]);
    return shareAtLeast(exactBefore, exactTotal, cutoff);
  };
}

/** The columns of `abc`: one row per key, by rank (the key column is named `key` and keeps the input's type). */
export type AbcColumns<K extends DataType = KeyType> = {
  key: K;
  value: Float64;
  share: Float64;
  cumulativeShare: Float64;
  rank: Int32;
  class: LabelType;
};

/**
 * ABC classes of a whole table in the calling thread: the core of the public `abc` (src/api/abc.ts), which documents
 * the convention (a key is A while the share ranked before it is below the first cut-off) and adds streams.
 */
export function abcOfTable(table: unknown, options: AbcOptions = {}): Table<AbcColumns> {
  const fn = 'abc';
  const input = asTable(table);
  const cutoffs = checkCutoffs(options.cutoffs ?? [0.8, 0.95], fn);
  const column = options.value ?? 'amount';
  const totals = summarizeKeyTotals(input, options.key ?? 'customer', column, fn);
  return abcOfTotals(finishKeyTotals(totals, fn, column), cutoffs, fn, column);
}

/** The abc table of per-key totals. */
function abcOfTotals(totals: KeyTotals, cutoffs: readonly number[], fn: string, column: string): Table {
  const { keys: keyVector, values: value, rows: n, drops } = totals;
  const size = value.length;
  const core = classifyByValue(value, keyVector, cutoffs, fn, column);
  const { order } = core;
  const classCodes = codeArray(size, core.labels.length);
  for (let k = 0; k < size; k++) classCodes[k] = core.classIndex[order[k]];
  return tableWithMetadata(
    {
      key: takeVector(keyVector, order),
      value: numberVector(Float64Array.from(order, (id) => value[id])),
      share: numberVector(Float64Array.from(order, (id) => core.share[id])),
      cumulativeShare: numberVector(Float64Array.from(order, (id) => core.cumulative[id])),
      rank: numberVector(Int32Array.from(order, (id) => core.rank[id])),
      class: labelVector(classCodes, core.labels),
    },
    { [META.kind]: 'abc', 'clientele.cutoffs': JSON.stringify(cutoffs), ...drops.metadata(n) },
  );
}

/**
 * ABC totals as a mergeable aggregate: `summarize` sums the value column by key over a batch (compensated sum and
 * its compensation kept apart), `merge` unites two partials in row order, `finish` ranks and classes the keys —
 * the same table as {@link abc} on all rows, `droppedRows` included. Options are those of `abc`.
 *
 * Cost: `summarize` O(rows of the batch); `merge` O(keys of both partials); `finish` O(k log k) for k keys.
 *
 * @example
 * const sales = asTable({ product: ['p', 'q', 'p', 'r', 's'], revenue: [40, 20, 30, 6, 4] });
 * const o = { key: 'product', value: 'revenue' };
 * const partial = abcTotalsAggregate.merge(abcTotalsAggregate.summarize(sales.slice(0, 2), o), abcTotalsAggregate.summarize(sales.slice(2), o));
 * abcTotalsAggregate.finish(partial, o).getChild('class')?.toArray(); // ['A', 'A', 'B', 'C']
 */
export const abcTotalsAggregate: AccumulatingAggregate<KeyTotalsPartial, AbcOptions, Table> = Object.freeze({
  init: () => initKeyTotals(),
  summarize: (batch: RecordBatch | Table, options: AbcOptions) =>
    summarizeKeyTotals(batch, options.key ?? 'customer', options.value ?? 'amount', 'abc'),
  merge: mergeKeyTotals,
  finish: (partial: KeyTotalsPartial, options: AbcOptions) =>
    abcOfTotals(
      finishKeyTotals(partial, 'abc', options.value ?? 'amount'),
      checkCutoffs(options.cutoffs ?? [0.8, 0.95], 'abc'),
      'abc',
      options.value ?? 'amount',
    ),
  accumulator: (options: AbcOptions) =>
    new KeyTotalsAccumulator({ fn: 'abc', column: typeof options?.key === 'string' ? options.key : 'customer' }),
});
