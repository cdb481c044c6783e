import type { RecordBatch, Table, Vector } from 'apache-arrow';
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
import { RunningSum } from '../math/internal';
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
  order.sort(
    (a, b) => values[b] - values[a] || (keyValues[a] < keyValues[b] ? -1 : keyValues[a] > keyValues[b] ? 1 : 0),
  );

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
 * ABC classes of a whole table in the calling thread: the core of the public `abc` (src/api/abc.ts), which documents
 * the convention (a key is A while the share ranked before it is below the first cut-off) and adds streams.
 */
export function abcOfTable(table: unknown, options: AbcOptions = {}): Table {
  const fn = 'abc';
  const input = asTable(table);
  const cutoffs = checkCutoffs(options.cutoffs ?? [0.8, 0.95], fn);
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
  summarize: (batch: RecordBatch | Table, options: AbcOptions) =>
    summarizeKeyTotals(batch, options.key ?? 'customer', options.value ?? 'amount', 'abc'),
  merge: mergeKeyTotals,
  finish: (partial: KeyTotalsPartial, options: AbcOptions) =>
    abcOfTotals(finishKeyTotals(partial, 'abc'), checkCutoffs(options.cutoffs ?? [0.8, 0.95], 'abc'), 'abc'),
  accumulator: (options: AbcOptions) =>
    new KeyTotalsAccumulator({ fn: 'abc', column: typeof options?.key === 'string' ? options.key : 'customer' }),
});
