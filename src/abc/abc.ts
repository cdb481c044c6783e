import type { RecordBatch, Table, Vector } from 'apache-arrow';
import { asTable } from '../table/as-table';
import { codeArray, labelVector, numberVector, tableWithMetadata } from '../table/build';
import { META } from '../table/dropped';
import { ClienteleError, describeValue } from '../table/errors';
import { takeVector } from '../table/read-keys';
import { RunningSum } from '../math/compensated-sum';
import { finishKeyTotals, initKeyTotals, KeyTotalsAccumulator, mergeKeyTotals, summarizeKeyTotals } from '../stream/key-totals';
import type { KeyTotals, KeyTotalsPartial } from '../stream/key-totals';
import { aggregateBatches, isAsyncSource } from '../stream/mergeable';
import type { AccumulatingAggregate } from '../stream/mergeable';

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
 */
export function classifyByValue(values: Float64Array, keys: Vector, cutoffs: readonly number[], fn: string): AbcCore {
  const n = values.length;
  const total = new RunningSum();
  for (let i = 0; i < n; i++) total.add(values[i] > 0 ? values[i] : 0);
  const positive = total.value;
  if (!(positive > 0)) {
    throw new ClienteleError(
      'INVALID_VALUE',
      `${fn}: no key has a positive value (found ${n} keys, total ${positive}); ABC needs revenue, margin or volume > 0`,
    );
  }
  const keyValues = keys.toArray() as ArrayLike<string | number>;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[b] - values[a] || (keyValues[a] < keyValues[b] ? -1 : keyValues[a] > keyValues[b] ? 1 : 0));

  const share = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const rank = new Int32Array(n);
  const classIndex = new Int8Array(n);
  const last = cutoffs.length;
  const running = new RunningSum();
  let cls = 0;
  for (let k = 0; k < n; k++) {
    const id = order[k];
    const before = running.value;
    // a key is in class j while the share of the keys ranked before it is below cutoff j
    while (cls < last && before >= cutoffs[cls]) cls++;
    const s = values[id] > 0 ? values[id] / positive : 0;
    running.add(s);
    share[id] = s;
    cumulative[id] = Math.min(1, running.value);
    rank[id] = k + 1;
    classIndex[id] = values[id] > 0 ? cls : last;
  }
  const labels = Array.from({ length: last + 1 }, (_, j) => String.fromCharCode(65 + j));
  return { order, share, cumulative, rank, classIndex, labels };
}

/**
 * ABC (Pareto) classification: ranks keys — customers by revenue or margin, products by revenue or volume — and
 * classes them by their cumulative share of the total: A for the few that make most of the value, then B, then C.
 *
 * Convention: keys are sorted by value descending, ties by key ascending; a key is A while the cumulative share
 * of the keys ranked *before* it is below the first cut-off (so the key that crosses 80 % is still A), B while it
 * is below the second, C after. Rows of the same key are summed first (so a transaction table works directly).
 * Shares are of the total of positive values: a key whose value is ≤ 0 (net returns) has share 0, ranks last
 * and is class C.
 *
 * Output columns, in rank order: `key`, `value`, `share`, `cumulativeShare`, `rank` (1-based), `class`.
 * Rows with a null key (`nullKey`) or a null/NaN value (`invalidValue`) are dropped and counted in the metadata.
 *
 * Streaming: given an `AsyncIterable` of Arrow `RecordBatch`es instead of a table, it returns a promise of the
 * same table, summing one batch at a time ({@link abcTotalsAggregate}); memory is one batch plus O(keys).
 *
 * Cost: O(n) to aggregate, O(k log k) to rank k keys.
 * Reference: the Pareto principle in inventory and customer management (e.g. Dickie 1951, "ABC inventory
 * analysis shoots for dollars").
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE`, `EMPTY_INPUT`
 * @example
 * const classes = abc({ product: ['p', 'q', 'r', 's'], revenue: [70, 20, 6, 4] }, { key: 'product', value: 'revenue' });
 * classes.getChild('class')?.toArray(); // ['A', 'A', 'B', 'C']
 */
export function abc(table: AsyncIterable<RecordBatch>, options?: AbcOptions): Promise<Table>;
export function abc(table: unknown, options?: AbcOptions): Table;
export function abc(table: unknown, options: AbcOptions = {}): Table | Promise<Table> {
  const fn = 'abc';
  const stream = isAsyncSource(table);
  const input = stream ? null : asTable(table);
  const cutoffs = checkCutoffs(options.cutoffs ?? [0.8, 0.95], fn);
  if (stream) return aggregateBatches(abcTotalsAggregate, table, options);
  const totals = summarizeKeyTotals(input, options.key ?? 'customer', options.value ?? 'amount', fn);
  return abcOfTotals(finishKeyTotals(totals, fn), cutoffs, fn);
}

/** The abc table of per-key totals. */
function abcOfTotals(totals: KeyTotals, cutoffs: readonly number[], fn: string): Table {
  const { keys: keyVector, values: value, rows: n, drops } = totals;
  const size = value.length;
  const core = classifyByValue(value, keyVector, cutoffs, fn);
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
  summarize: (batch: RecordBatch | Table, options: AbcOptions) => summarizeKeyTotals(batch, options.key ?? 'customer', options.value ?? 'amount', 'abc'),
  merge: mergeKeyTotals,
  finish: (partial: KeyTotalsPartial, options: AbcOptions) =>
    abcOfTotals(finishKeyTotals(partial, 'abc'), checkCutoffs(options.cutoffs ?? [0.8, 0.95], 'abc'), 'abc'),
  accumulator: () => new KeyTotalsAccumulator(),
});
