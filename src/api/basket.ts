/**
 * The public face of `clientele/basket`: everything the basket/ folder exports, with the functions that also take a
 * stream of record batches or a `parallel` thread count wired to the engines here (stream/, parallel/), so that the
 * analyses stay plain functions of a table. Worker threads are loaded on demand: the single-thread path never loads
 * the pool.
 *
 * @module clientele/basket
 */
import type { RecordBatch, Table } from 'apache-arrow';
import {
  basketsOfTable,
  frequentItemsetsOfTable,
  FREQUENT_ITEMSETS_OPTION_NAMES as ITEMSETS_NAMES,
  weightedItemsetsOfTable,
} from '../basket/internal';
import type {
  Baskets,
  BasketsOptions,
  FrequentItemsetsColumns,
  FrequentItemsetsOptions,
  FrequentItemsetsParallel,
} from '../basket/internal';
import { basketsStream } from '../stream/internal';
import {
  ClienteleError,
  describeValue,
  isAsyncSource,
  knownOptions,
  optionNames,
  PARALLEL_OPTION_NAMES,
} from '../table/internal';
import { hasParallel } from './parallel-wiring';

export * from '../basket/index';

/** The options baskets takes; every other name is refused with a did-you-mean. */
const BASKETS_OPTION_NAMES = optionNames<BasketsOptions>({
  transaction: true,
  item: true,
  context: true,
  weights: true,
});

/**
 * Market baskets from a long transaction table (one row per item bought): items are dictionary-encoded once and
 * each basket becomes the ascending list of its distinct item codes — the compressed layout every miner reads.
 *
 * Rows with a null transaction or item are dropped and counted (`nullKey`); an item bought twice in a basket counts
 * once. Baskets are numbered in order of first appearance. `context` columns add one pseudo-item per distinct value
 * a transaction has in that column.
 *
 * Weights: `weights: { column: 'amount', aggregate: 'sum' }` adds `weights`, one number per basket — the revenue
 * (or quantity) of each basket, summed over its rows (`'mean'` and `'max'` also), for weighted itemsets
 * (`frequentItemsets(b, { minSupport, weights: b.weights })`). A row whose weight is null, NaN or infinite is
 * dropped and counted (`invalidWeight`), one with a negative weight too (`negativeAmount`: a return line; weighted
 * support needs weights ≥ 0); a dropped row adds neither its item nor its weight. Not available on streams.
 *
 * Streaming: given an `AsyncIterable` of Arrow `RecordBatch`es (`readBatches('tx.arrow')`, an Arrow IPC stream)
 * instead of a table, it returns a promise of the same baskets (`count`, `offsets`, `items`, `names`, `rows`) as
 * for the whole table. Each batch is read once: its key columns are encoded, its (basket, item) pairs appended and
 * the batch dropped; a transaction's rows may lie anywhere in the stream (split across batches, or coming back
 * later) and still make one basket. Memory: the pairs, 8 bytes per kept line item and per context value (up to 16
 * while their arrays grow by doubling), plus the distinct transaction and item keys; at the end the pairs become
 * the baskets (about as much again) — the log itself is never whole in memory, only one batch of it.
 *
 * Cost: O(rows) to read and encode, O(Σ basket size²) worst case to sort the (short) baskets.
 *
 * @param tx long table: transaction, item (and context) columns; anything `asTable` accepts; or an async iterable
 *   of record batches of such rows (then a promise is returned)
 * @param options column names
 * @throws {ClienteleError} `MISSING_COLUMN`, `EMPTY_INPUT` (no row with both a transaction and an item); with a
 *   stream, the promise rejects with them
 * @example
 * const log = { transaction: [1, 1, 2, 2, 2], item: ['beer', 'diapers', 'beer', 'chips', 'beer'], day: ['Sat', 'Sat', 'Mon', 'Mon', 'Mon'] };
 * const b = baskets(log, { context: ['day'] });
 * b.count; // 2
 * basketLists(b); // [['beer', 'diapers', 'day=Sat'], ['beer', 'chips', 'day=Mon']]
 * // the same baskets from a stream of record batches (here two batches of one table, cut inside transaction 2)
 * async function* batches() { const t = asTable(log); yield* t.slice(0, 3).batches; yield* t.slice(3).batches; }
 * basketLists(await baskets(batches(), { context: ['day'] })); // [['beer', 'diapers', 'day=Sat'], ['beer', 'chips', 'day=Mon']]
 * // the revenue of each basket as its weight
 * const sales = { transaction: [1, 1, 2], item: ['beer', 'diapers', 'beer'], amount: [4.5, 12, 4.5] };
 * Array.from(baskets(sales, { weights: { column: 'amount' } }).weights ?? []); // [16.5, 4.5]
 */
export function baskets(tx: AsyncIterable<RecordBatch>, options?: BasketsOptions): Promise<Baskets>;
export function baskets(tx: unknown, options?: BasketsOptions): Baskets;
export function baskets(tx: unknown, options: BasketsOptions = {}): Baskets | Promise<Baskets> {
  options = knownOptions(options, BASKETS_OPTION_NAMES, 'baskets');
  if (isAsyncSource(tx)) return basketsStream(tx, options);
  return basketsOfTable(tx, options);
}

/** The options it takes; every other name is refused with a did-you-mean. */
const FREQUENT_ITEMSETS_OPTION_NAMES = [...ITEMSETS_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * Frequent itemsets of market baskets: every set of items bought together in at least `minSupport` of the baskets,
 * with its count and support — the first step of association-rule mining (Agrawal, Imieliński & Swami 1993).
 *
 * Three exact miners over typed arrays, which return the same itemsets: Eclat on tid-lists and diffsets (Zaki 2000;
 * Zaki & Gouda 2003; the default, fastest on Groceries, retail and T10I4D100K), FP-growth (Han, Pei & Yin 2000) and
 * Apriori (Agrawal & Srikant 1994). Threshold as R `arules`: an itemset is
 * frequent when count ≥ minSupport × baskets (so `minCount = ⌈minSupport · baskets⌉`); empty baskets count in the
 * denominator. `target: 'closed'` keeps itemsets with no superset of the same count, `'maximal'` those with no
 * frequent superset (both among the itemsets up to `maxLength`). With Eclat and no maxLength shorter than the longest
 * basket they are found directly, pruned during the search (Borgelt 2003: perfect extensions and a repository of
 * the closed sets found, here hashed on tid-lists as in CHARM, Zaki & Hsiao 2002; MAFIA's look-ahead for maximal
 * sets), at about the cost of the closed sets alone; otherwise every frequent itemset is mined, then filtered.
 *
 * Weighted baskets (R arules `weclat`): with `weights`, one number ≥ 0 per basket (revenue, quantity: `b.weights`
 * of `baskets(tx, { weights })`), the support of an itemset is the share of the total weight W held by the baskets
 * that contain it, supp_w(X) = Σ_{b ⊇ X} w_b / W (Sun & Bai 2008), and X is frequent when supp_w(X) ≥ minSupport —
 * the itemsets that carry the revenue rather than the most baskets. Mined by a weighted Eclat on tid-lists, with
 * arules' conventions (sums in basket order, threshold minSupport · W), so it returns weclat's itemsets and
 * supports; `count` stays the number of baskets, rows are ordered by weight, and the metadata adds
 * `clientele.weighted` = `'true'`, `clientele.weightTotal` (W) and `clientele.minSupport`. `associationRules` on
 * that table computes its measures from weighted supports (arules `ruleInduction`). Weighted support is
 * anti-monotone because weights are ≥ 0, so negative or non-finite weights are refused, as are an all-zero weight,
 * `minCount`, `target` other than 'all', `algorithm` other than 'eclat', and `parallel` (one thread only; the SQL
 * form has no weights).
 *
 * Output, one row per itemset, by length, then count descending, then item names: `items` (List<Utf8>, names in
 * ascending order), `count` (Int32), `support` (Float64), `length` (Int32); metadata `clientele.baskets` (the
 * denominator), `clientele.minCount`, `clientele.target`, `clientele.algorithm`.
 *
 * All cores: with `parallel: n` (or `parallel: 'auto'`) it returns a promise of the same table (same rows in the
 * same order, same types, same metadata) mined on up to n threads: the calling thread and n − 1 worker threads
 * leased from the process's warm pool (started by the first call, kept between calls, never keeping the process
 * alive; `warmWorkers`/`closeWorkers`). The item supports are counted once on the calling thread; the baskets' two
 * code arrays are copied once into `SharedArrayBuffer`s that every thread reads (the caller's arrays are neither
 * transferred nor changed); the search space is cut by the itemsets' first item in the miner's order — Eclat's
 * first-level equivalence classes, FP-growth's conditional pattern bases, Apriori's first items — and each thread
 * mines the classes of the items it owns, assigned largest-first (estimated cost: support × number of items that
 * can follow) to the least-loaded thread; the parts are concatenated in order and the table built as in one thread.
 * `parallel: n` uses threads when the baskets have at least 2 × `minRowsPerWorker` (default 500 000) line items.
 * `parallel: 'auto'` uses the free cores when the estimated one-thread work (a lower bound from the item supports)
 * gains more than 20 ms and the pool is warm; with a cold pool it mines in-process and warms the pool in the
 * background, so it is never slower than one thread. `parallel: 1`, small inputs, or no worker threads (browsers)
 * run in-process, with the same result. The synchronous call (no `parallel`) always runs on the calling thread.
 *
 * Cost: output-sensitive; see each miner. Memory: the baskets' item codes plus the miner's working set (with
 * `parallel`: one shared copy of the codes, plus each thread's working set and its part of the itemsets).
 *
 * @param input the result of `baskets`/`basketsFromLists`, or an array of baskets (arrays of item names)
 * @param options minSupport or minCount, maxLength, maxItemsets (1,000,000; `LIMIT_EXCEEDED` past it), algorithm, target, weights (none); `parallel` (threads or 'auto') and `minRowsPerWorker`
 *   (line items per thread, 500 000) to mine on worker threads, returning a promise
 * @throws {ClienteleError} `INVALID_OPTION`, `INVALID_INPUT` (a rejected promise with `parallel`)
 * @example
 * const sets = frequentItemsets([['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']], { minSupport: 0.5 });
 * sets.numRows; // 3
 * sets.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 * sets.get(2)?.items.toArray(); // ['beer', 'diapers']
 * // the same itemsets on 2 worker threads (minRowsPerWorker: 1 forces threads on this tiny input)
 * const onThreads = await frequentItemsets([['beer', 'diapers'], ['beer', 'diapers', 'chips'], ['beer'], ['milk']], { minSupport: 0.5, parallel: 2, minRowsPerWorker: 1 });
 * onThreads.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 * // weighted by revenue: the €40 basket of beer and chips outweighs the others
 * const weighted = frequentItemsets([['beer', 'diapers'], ['beer', 'chips'], ['milk']], { minSupport: 0.5, weights: [5, 40, 5] });
 * weighted.getChild('support')?.toArray(); // Float64Array [0.9, 0.8, 0.8]
 */
export function frequentItemsets(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions & FrequentItemsetsParallel,
): Promise<Table<FrequentItemsetsColumns>>;
export function frequentItemsets(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions,
): Table<FrequentItemsetsColumns>;
export function frequentItemsets(
  input: Baskets | readonly (readonly (string | number)[])[],
  options: FrequentItemsetsOptions | (FrequentItemsetsOptions & FrequentItemsetsParallel),
): Table | Promise<Table> {
  options = knownOptions(options, FREQUENT_ITEMSETS_OPTION_NAMES, 'frequentItemsets');
  if (options.weights !== undefined) {
    if (hasParallel(options)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `frequentItemsets: option weights runs in the calling thread only (found weights with parallel ${describeValue(options.parallel)}); leave out parallel`,
      );
    }
    return weightedItemsetsOfTable(input, options);
  }
  if (hasParallel(options))
    return import('../parallel/internal').then((m) => m.frequentItemsetsParallel(input, options));
  return frequentItemsetsOfTable(input, options);
}
