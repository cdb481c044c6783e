/**
 * The public face of `clientele/abc`: everything the abc/ folder exports, with the functions that also take a
 * stream of record batches or a `parallel` thread count wired to the engines here (stream/, parallel/), so that the
 * analyses stay plain functions of a table. Worker threads are loaded on demand: the single-thread path never loads
 * the pool.
 *
 * @module clientele/abc
 */
import type { RecordBatch, Table } from 'apache-arrow';
import { abcOfTable } from '../abc/internal';
import type { AbcColumns, AbcOptions } from '../abc/internal';
import { abcStream } from '../stream/internal';
import { isAsyncSource, knownOptions, optionNames } from '../table/internal';

export * from '../abc/index';

/** The options abc takes; every other name is refused with a did-you-mean. */
const ABC_OPTION_NAMES = optionNames<AbcOptions>({ key: true, value: true, cutoffs: true });

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
 * same table, summing one batch at a time (`abcTotalsAggregate` of `clientele/stream`); memory is one batch plus O(keys).
 *
 * Cost: O(n) to aggregate, O(k log k) to rank k keys.
 * Reference: the Pareto principle in inventory and customer management (e.g. Dickie 1951, "ABC inventory
 * analysis shoots for dollars").
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION`, `INVALID_VALUE` (no positive value, or
 *   a key's total or the total over all keys overflows a double), `EMPTY_INPUT`
 * @example
 * const classes = abc({ product: ['p', 'q', 'r', 's'], revenue: [70, 20, 6, 4] }, { key: 'product', value: 'revenue' });
 * classes.getChild('class')?.toArray(); // ['A', 'A', 'B', 'C']
 */
export function abc(table: AsyncIterable<RecordBatch>, options?: AbcOptions): Promise<Table<AbcColumns>>;
export function abc(table: unknown, options?: AbcOptions): Table<AbcColumns>;
export function abc(table: unknown, options: AbcOptions = {}): Table | Promise<Table> {
  options = knownOptions(options, ABC_OPTION_NAMES, 'abc');
  if (isAsyncSource(table)) return abcStream(table, options);
  return abcOfTable(table, options);
}
