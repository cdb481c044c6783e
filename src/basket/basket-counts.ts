import type { RecordBatch, Table } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  dropCounter,
  DropCounter,
  droppedTotal,
  mergeDrops,
  META,
  NO_DROPS,
  numberVector,
  partialDrops,
  readKeys,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import type { PartialDrops } from '../table/internal';
import { emptyKeySet, keySetOf, KeyUnion, keyVector } from '../kernels/internal';
import type { AccumulatingAggregate, Accumulator, KeySet } from '../kernels/internal';

/** Options of {@link itemCountsAggregate} and {@link pairCountsAggregate}. */
export interface BasketCountsOptions {
  /** Column of transaction (basket) ids. Default `'transaction'`. */
  transaction?: string;
  /** Column of items. Default `'item'`. */
  item?: string;
  /** Keep items (pairs) in at least this share of the baskets, in [0, 1]. Default 0: all. Applied by `finish`. */
  minSupport?: number;
}

/** A basket that may continue in the neighbouring rows: its transaction key and its distinct item ids. */
export interface OpenBasket {
  readonly transaction: unknown;
  readonly items: Int32Array;
}

/**
 * Basket counts of some (transaction, item) rows, as plain data. `counts[id]` is the number of closed baskets
 * holding item `id`; pairs (ids `pairA[p] < pairB[p]`) are counted in `pairCount[p]` (pair partials only). The
 * first and the last transaction of the rows stay `open` (one entry when they are the same), because their rows
 * may continue in the previous or the next batch; merging closes them.
 */
export interface BasketPartial {
  readonly kind: 'itemCounts' | 'pairCounts';
  readonly items: KeySet;
  readonly counts: Int32Array;
  readonly baskets: number;
  readonly pairA: Int32Array;
  readonly pairB: Int32Array;
  readonly pairCount: Int32Array;
  readonly open: readonly OpenBasket[];
  readonly drops: PartialDrops;
}

/** Pairs are keyed by a·2^26 + b in a Map: exact doubles for up to 2^26 (67 million) distinct items. */
const PAIR_BASE = 2 ** 26;

function init(kind: BasketPartial['kind']): BasketPartial {
  const none = new Int32Array(0);
  return {
    kind,
    items: emptyKeySet(),
    counts: none,
    baskets: 0,
    pairA: none,
    pairB: none,
    pairCount: none,
    open: [],
    drops: NO_DROPS,
  };
}

/** A transaction key as a value that `===` compares (dates by time, other objects by their text). */
function plainKey(v: unknown): unknown {
  return v instanceof Date ? v.getTime() : typeof v === 'object' && v !== null ? String(v) : v;
}

function summarize(
  kind: BasketPartial['kind'],
  input: RecordBatch | Table,
  options: BasketCountsOptions,
  fn: string,
): BasketPartial {
  const table = asTable(input);
  const transaction = readKeys(table, options.transaction ?? 'transaction', fn, 'transaction');
  const item = readKeys(table, options.item ?? 'item', fn, 'item');
  const rows = table.numRows;
  const drops = new DropCounter();
  const t = transaction.codes;
  const codes = item.codes;
  // items of each transaction as compressed rows (transactions with only null items are empty baskets)
  const n = transaction.size;
  const starts = new Int32Array(n + 1);
  let firstT = -1;
  let lastT = -1;
  for (let i = 0; i < rows; i++) {
    if (t[i] >= 0) {
      if (firstT < 0) firstT = t[i];
      lastT = t[i];
    }
    if (t[i] < 0 || codes[i] < 0) drops.drop('nullKey', i);
    else starts[t[i] + 1]++;
  }
  for (let b = 0; b < n; b++) starts[b + 1] += starts[b];
  const members = new Int32Array(starts[n]);
  const fill = starts.slice(0, n);
  for (let i = 0; i < rows; i++) if (t[i] >= 0 && codes[i] >= 0) members[fill[t[i]]++] = codes[i];

  const acc = new BasketAccumulator(kind, item.size);
  const stamp = new Int32Array(item.size).fill(-1);
  const open: OpenBasket[] = [];
  const distinct = new Int32Array(item.size);
  for (let b = 0; b < n; b++) {
    let size = 0;
    for (let k = starts[b]; k < starts[b + 1]; k++) {
      const c = members[k];
      if (stamp[c] !== b) {
        stamp[c] = b;
        distinct[size++] = c;
      }
    }
    const items = distinct.subarray(0, size);
    if (b === firstT || b === lastT)
      open.push({ transaction: plainKey(transaction.keys.get(b)), items: items.slice() });
    else acc.close(items);
  }
  // open holds the first transaction, then the last (ids follow first appearance: firstT = 0 ≤ lastT)
  return { kind, items: keySetOf(item.keys), ...acc.own(item.size), open, drops: partialDrops(rows, drops) };
}

/** Growable pair counts. */
class PairTable {
  private index = new Map<number, number>();
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  count = new Int32Array(1024);
  size = 0;

  add(a: number, b: number, k: number): void {
    const key = a < b ? a * PAIR_BASE + b : b * PAIR_BASE + a;
    let p = this.index.get(key);
    if (p === undefined) {
      p = this.size++;
      this.index.set(key, p);
      if (p >= this.a.length) {
        const grow = (x: Int32Array) => {
          const next = new Int32Array(x.length * 2);
          next.set(x);
          return next;
        };
        this.a = grow(this.a);
        this.b = grow(this.b);
        this.count = grow(this.count);
      }
      this.a[p] = a < b ? a : b;
      this.b[p] = a < b ? b : a;
    }
    this.count[p] += k;
  }
}

/**
 * An in-place union of basket partials added in row order. Items are mapped to ids of the union; the last open
 * basket so far and the first open basket of the partial added are one basket when their transactions are equal
 * (a transaction split at the batch boundary); every basket that can no longer continue is closed (counted).
 */
class BasketAccumulator implements Accumulator<BasketPartial> {
  private union = new KeyUnion();
  private counts: Int32Array;
  private baskets = 0;
  private pairs: PairTable | null;
  private open: OpenBasket[] = [];
  private drops: PartialDrops = NO_DROPS;
  private itemSet: KeySet | null = null;

  constructor(
    private readonly kind: BasketPartial['kind'],
    items = 0,
  ) {
    this.counts = new Int32Array(Math.max(16, items));
    this.pairs = kind === 'pairCounts' ? new PairTable() : null;
  }

  /** Counts one complete basket of distinct item ids. */
  close(items: Int32Array): void {
    this.baskets++;
    const counts = this.counts;
    for (let k = 0; k < items.length; k++) counts[items[k]]++;
    const pairs = this.pairs;
    if (pairs)
      for (let x = 0; x < items.length; x++)
        for (let y = x + 1; y < items.length; y++) pairs.add(items[x], items[y], 1);
  }

  /** The counts of the baskets closed so far, over the item ids of one summarize (no union involved). */
  own(items: number): Pick<BasketPartial, 'counts' | 'baskets' | 'pairA' | 'pairB' | 'pairCount'> {
    const p = this.pairs;
    return {
      counts: this.counts.slice(0, items),
      baskets: this.baskets,
      pairA: p ? p.a.slice(0, p.size) : new Int32Array(0),
      pairB: p ? p.b.slice(0, p.size) : new Int32Array(0),
      pairCount: p ? p.count.slice(0, p.size) : new Int32Array(0),
    };
  }

  add(p: BasketPartial): void {
    const ids = this.union.add(p.items);
    if (this.union.size > this.counts.length) {
      const next = new Int32Array(Math.max(this.counts.length * 2, this.union.size));
      next.set(this.counts);
      this.counts = next;
    }
    for (let j = 0; j < ids.length; j++) this.counts[ids[j]] += p.counts[j];
    this.baskets += p.baskets;
    if (this.pairs)
      for (let q = 0; q < p.pairCount.length; q++) this.pairs.add(ids[p.pairA[q]], ids[p.pairB[q]], p.pairCount[q]);
    const incoming = p.open.map((o) => ({
      transaction: o.transaction,
      items: Int32Array.from(o.items, (c) => ids[c]),
    }));
    let sequence: OpenBasket[];
    if (this.open.length === 0) sequence = incoming;
    else if (incoming.length === 0) sequence = this.open;
    else {
      const last = this.open[this.open.length - 1];
      const next = incoming[0];
      if (last.transaction === next.transaction) {
        const joined = new Set([...last.items, ...next.items]);
        sequence = [
          ...this.open.slice(0, -1),
          { transaction: last.transaction, items: Int32Array.from(joined) },
          ...incoming.slice(1),
        ];
      } else sequence = [...this.open, ...incoming];
    }
    for (let k = 1; k < sequence.length - 1; k++) this.close(sequence[k].items);
    this.open = sequence.length <= 1 ? sequence : [sequence[0], sequence[sequence.length - 1]];
    this.drops = mergeDrops(this.drops, p.drops);
    this.itemSet = null;
  }

  result(): BasketPartial {
    return {
      kind: this.kind,
      items: (this.itemSet ??= this.union.keySet()),
      ...this.own(this.union.size),
      open: this.open,
      drops: this.drops,
    };
  }
}

function merge(a: BasketPartial, b: BasketPartial): BasketPartial {
  const acc = new BasketAccumulator(a.kind);
  acc.add(a);
  acc.add(b);
  return acc.result();
}

/** Every basket closed: item counts, pair counts and the number of baskets. */
function closeAll(
  p: BasketPartial,
  fn: string,
): { names: string[]; counts: Int32Array; baskets: number; pairs: BasketPartial; drops: DropCounter } {
  const rows = p.drops.rows;
  if (rows === 0)
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the transaction table has no rows; pass at least one (transaction, item) row`,
    );
  if (droppedTotal(p.drops) === rows) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has both a transaction and an item (${rows} rows); check the transaction and item columns`,
    );
  }
  const acc = new BasketAccumulator(p.kind);
  acc.add({ ...p, open: [] });
  for (const basket of p.open) acc.close(basket.items); // p was added to an empty union: its ids are the union's
  const closed = acc.result();
  const keys = keyVector(closed.items);
  const names: string[] = [];
  for (let c = 0; c < closed.items.size; c++) names.push(String(keys.get(c)));
  return { names, counts: closed.counts, baskets: closed.baskets, pairs: closed, drops: dropCounter(p.drops) };
}

function minSupportOf(options: BasketCountsOptions, fn: string): number {
  const m = options.minSupport ?? 0;
  if (typeof m !== 'number' || !(m >= 0 && m <= 1)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minSupport must be a share in [0, 1] (found ${describeValue(m)}); e.g. 0.01 for 1 % of the baskets`,
    );
  }
  return m;
}

/** JS string order, for sorting names. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function finishItems(p: BasketPartial, options: BasketCountsOptions): Table {
  const fn = 'itemCounts';
  const minSupport = minSupportOf(options, fn);
  const { names, counts, baskets, drops } = closeAll(p, fn);
  const minCount = minSupport * baskets;
  const ids: number[] = [];
  for (let c = 0; c < names.length; c++) if (counts[c] > 0 && counts[c] >= minCount) ids.push(c);
  ids.sort((x, y) => counts[y] - counts[x] || compareText(names[x], names[y]));
  return tableWithMetadata(
    {
      item: stringVector(ids.map((c) => names[c])),
      count: numberVector(Int32Array.from(ids, (c) => counts[c])),
      support: numberVector(Float64Array.from(ids, (c) => counts[c] / baskets)),
    },
    { [META.kind]: 'itemCounts', 'clientele.baskets': String(baskets), ...drops.metadata(p.drops.rows) },
  );
}

function finishPairs(p: BasketPartial, options: BasketCountsOptions): Table {
  const fn = 'pairCounts';
  const minSupport = minSupportOf(options, fn);
  const { names, counts, baskets, pairs, drops } = closeAll(p, fn);
  const minCount = minSupport * baskets;
  // both directions of every pair: rule a → b and rule b → a
  const from: number[] = [];
  const to: number[] = [];
  const together: number[] = [];
  for (let q = 0; q < pairs.pairCount.length; q++) {
    const k = pairs.pairCount[q];
    if (k < minCount) continue;
    from.push(pairs.pairA[q], pairs.pairB[q]);
    to.push(pairs.pairB[q], pairs.pairA[q]);
    together.push(k, k);
  }
  const order = Array.from(together, (_, r) => r).sort(
    (x, y) =>
      together[y] - together[x] ||
      compareText(names[from[x]], names[from[y]]) ||
      compareText(names[to[x]], names[to[y]]),
  );
  const N = baskets;
  return tableWithMetadata(
    {
      antecedent: stringVector(order.map((r) => names[from[r]])),
      consequent: stringVector(order.map((r) => names[to[r]])),
      count: numberVector(Int32Array.from(order, (r) => together[r])),
      support: numberVector(Float64Array.from(order, (r) => together[r] / N)),
      confidence: numberVector(Float64Array.from(order, (r) => together[r] / counts[from[r]])),
      // one rounding from integer counts, as associationRules: n_ab·N / (n_a·n_b)
      lift: numberVector(Float64Array.from(order, (r) => (together[r] * N) / (counts[from[r]] * counts[to[r]]))),
    },
    { [META.kind]: 'pairCounts', 'clientele.baskets': String(N), ...drops.metadata(p.drops.rows) },
  );
}

/**
 * Per-item basket counts as a mergeable aggregate, from a long (transaction, item) table: `finish` returns one row
 * per item with `item` (its name as text), `count` (baskets holding it) and `support` (count / baskets), sorted by
 * count descending then item name — the item supports `frequentItemsets` finds, and its first pass.
 *
 * Conventions as `baskets`: a basket is a distinct non-null transaction (one whose rows all lack an item is an
 * empty basket and counts in the denominator); an item bought twice in a basket counts once; rows with a null
 * transaction or item are dropped (`nullKey`, in the metadata with `clientele.baskets`).
 *
 * Transactions split across batches: within a batch, rows of a transaction may be anywhere. Across batches, the
 * first and last transaction of each batch are kept open and joined with the neighbouring batch's when their keys
 * are equal, so a log sorted or grouped by transaction may be cut anywhere (even inside a transaction, and a
 * transaction may span many batches). A transaction whose rows reappear in a later batch after other transactions
 * is counted as two baskets: sort or group such a log by transaction first.
 *
 * Cost: `summarize` O(rows); `merge` O(items of the partial added); memory O(items).
 *
 * @example
 * const lines = asTable({ transaction: [1, 1, 2, 2, 3], item: ['beer', 'chips', 'beer', 'beer', 'milk'] });
 * const o = {};
 * const a = itemCountsAggregate.summarize(lines.slice(0, 3), o); // transaction 2 continues in the next batch
 * const counts = itemCountsAggregate.finish(itemCountsAggregate.merge(a, itemCountsAggregate.summarize(lines.slice(3), o)), o);
 * counts.getChild('item')?.toArray(); // ['beer', 'chips', 'milk']
 * counts.getChild('count')?.toArray(); // Int32Array [2, 1, 1]
 */
export const itemCountsAggregate: AccumulatingAggregate<BasketPartial, BasketCountsOptions, Table> = Object.freeze({
  init: () => init('itemCounts'),
  summarize: (batch: RecordBatch | Table, options: BasketCountsOptions) =>
    summarize('itemCounts', batch, options, 'itemCounts'),
  merge,
  finish: finishItems,
  accumulator: () => new BasketAccumulator('itemCounts'),
});

/**
 * Per-item-pair basket counts as a mergeable aggregate: `finish` returns both rules a → b and b → a of every pair
 * of items bought together, with `antecedent`, `consequent`, `count` (baskets holding both), `support` = count / N,
 * `confidence` = count / count(antecedent) and `lift` = count·N / (count(a)·count(b)) — the measures of
 * `associationRules` on 2-itemsets, from integer counts with one rounding — sorted by count descending, then
 * antecedent and consequent names. `minSupport` keeps the pairs in at least that share of the N baskets.
 * Baskets, dropped rows and transactions split across batches as {@link itemCountsAggregate}.
 *
 * Cost: `summarize` O(rows + Σ basket size²); memory O(items + distinct pairs).
 *
 * @example
 * const lines = asTable({ transaction: [1, 1, 2, 2, 2, 3], item: ['beer', 'chips', 'beer', 'chips', 'milk', 'beer'] });
 * const pairs = await aggregateBatches(pairCountsAggregate, [lines.slice(0, 4), lines.slice(4)], { minSupport: 0.5 });
 * [pairs.getChild('antecedent')?.get(0), pairs.getChild('consequent')?.get(0)]; // ['beer', 'chips']
 * [pairs.getChild('count')?.get(0), pairs.getChild('confidence')?.get(0), pairs.getChild('lift')?.get(0)]; // [2, 2 / 3, 1]
 */
export const pairCountsAggregate: AccumulatingAggregate<BasketPartial, BasketCountsOptions, Table> = Object.freeze({
  init: () => init('pairCounts'),
  summarize: (batch: RecordBatch | Table, options: BasketCountsOptions) =>
    summarize('pairCounts', batch, options, 'pairCounts'),
  merge,
  finish: finishPairs,
  accumulator: () => new BasketAccumulator('pairCounts'),
});
