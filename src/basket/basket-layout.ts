import type { RecordBatch } from 'apache-arrow';
import { asTable, ClienteleError, describeValue, DropCounter, grown, readKeys } from '../table/internal';
import type { KeyColumn } from '../table/internal';
import { keySetOf, KeyUnion } from '../kernels/internal';
import type { BasketWeightsOption } from './basket-weights';
import type { Baskets } from './mined';

/** Options of {@link baskets}. */
export interface BasketsOptions {
  /** Column of transaction (basket) ids. Default `'transaction'`. */
  transaction?: string;
  /** Column of items. Default `'item'`. */
  item?: string;
  /**
   * Columns whose values become pseudo-items of their transaction, named `column=value` (e.g. `weekday=Sat`), so that
   * conditional rules such as {diapers, weekday=Sat} → {beer} come out of the same mining.
   */
  context?: readonly string[];
  /**
   * A weight per basket from a numeric column (revenue, quantity), aggregated over the basket's rows: the
   * `weights` of the result, for `frequentItemsets(b, { weights: b.weights })`. Rows with a null, NaN, infinite
   * (`invalidWeight`) or negative (`negativeAmount`) weight are dropped and counted. Tables only (not streams).
   */
  weights?: BasketWeightsOption;
}

/** The column options of `baskets`, checked, with their defaults. */
export function basketColumns(
  options: BasketsOptions,
  fn: string,
): { transactionName: string; itemName: string; context: readonly string[] } {
  if (typeof options !== 'object' || options === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); e.g. { transaction: 'invoice', item: 'product' }`,
    );
  }
  const context = options.context ?? [];
  if (!Array.isArray(context) || !context.every((c) => typeof c === 'string')) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option context must be an array of column names (found ${describeValue(context)})`,
    );
  }
  return { transactionName: options.transaction ?? 'transaction', itemName: options.item ?? 'item', context };
}

/** EMPTY_INPUT: no row with both a transaction and an item. */
export function noRowError(fn: string, rows: number, transactionName: string, itemName: string): ClienteleError {
  return new ClienteleError(
    'EMPTY_INPUT',
    `${fn}: no row has both a transaction and an item (${rows} rows); check the columns "${transactionName}" and "${itemName}"`,
  );
}

/**
 * The names of the codes of baskets: the items, then `column=value` for the values of each context column; and
 * the first code of each context column.
 */
export function codeNames(
  items: readonly string[],
  contexts: readonly (readonly string[])[],
  context: readonly string[],
): { names: string[]; contextBase: number[] } {
  const names = [...items];
  const contextBase: number[] = [];
  contexts.forEach((values, j) => {
    contextBase.push(names.length);
    for (const value of values) names.push(`${context[j]}=${value}`);
  });
  return { names, contextBase };
}

/** The finished, frozen baskets: the layout and the report of the rows read, kept and dropped. */
export function withRowReport(layout: Omit<Baskets, 'rows'>, rows: number, drops: DropCounter): Baskets {
  return Object.freeze({
    ...layout,
    rows: Object.freeze({
      rows,
      kept: rows - drops.total,
      dropped: Object.freeze({ ...drops.counts }),
      firstRow: Object.freeze({ ...drops.first }),
      total: drops.total,
    }),
  });
}

/** Sorts and de-duplicates every basket of the raw CSR (offsets `sizes`) into the final layout. */
export function compress(
  raw: Int32Array,
  sizes: Int32Array,
  n: number,
  names: readonly string[],
): Omit<Baskets, 'rows'> {
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(raw.length);
  let used = 0;
  for (let b = 0; b < n; b++) {
    const start = used;
    for (let t = sizes[b]; t < sizes[b + 1]; t++) {
      // insertion into the sorted run items[start … used − 1], skipping duplicates
      const v = raw[t];
      let at = used;
      while (at > start && items[at - 1] > v) at--;
      if (at > start && items[at - 1] === v) continue;
      for (let u = used; u > at; u--) items[u] = items[u - 1];
      items[at] = v;
      used++;
    }
    offsets[b + 1] = used;
  }
  // no copy when nothing was a duplicate (a basket file's lines, a grouped log): `items` is the whole result
  const kept = used === items.length ? items : items.slice(0, used);
  return { kind: 'baskets', count: n, offsets, items: kept, names: Object.freeze([...names]) };
}

/** Growable Int32 list. */
class IntList {
  values = new Int32Array(1 << 16);
  size = 0;

  push(v: number): void {
    if (this.size === this.values.length) this.values = grown(this.values, this.size + 1);
    this.values[this.size++] = v;
  }
}

/** A key column's distinct keys united across batches, with each key's name taken from the batch that first had it. */
class KeyNames {
  readonly union: KeyUnion;
  readonly names: string[] = [];

  constructor(fn: string, column: string) {
    this.union = new KeyUnion({ fn, column });
  }

  /** The union id of each of the batch's key ids. */
  add(keys: KeyColumn): Int32Array {
    const before = this.union.size;
    const ids = this.union.add(keySetOf(keys.keys));
    // new keys get union ids in the order of the batch's ids (first appearance)
    for (let c = 0; c < ids.length; c++)
      if (ids[c] >= before && ids[c] === this.names.length) this.names.push(String(keys.keys.get(c)));
    return ids;
  }
}

/**
 * `baskets` over a stream of record batches: the same result as over the table of all the batches. Transactions and
 * items get ids of their first appearance in the stream (as `readKeys` gives over the whole table), each batch
 * appends its (basket, entry) pairs — an entry is an item id, or −1 − (context id · contexts + column) for a context
 * value, whose final code is known only once every item has been seen — and the pairs become the baskets at the end.
 */
export async function basketsFromBatches(
  source: AsyncIterable<RecordBatch>,
  options: BasketsOptions,
  fn: string,
): Promise<Baskets> {
  const { transactionName, itemName, context } = basketColumns(options, fn);
  if (options.weights !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option weights is not available on a stream of record batches (found weights ${describeValue(options.weights)}); ` +
        `read the table whole (e.g. readTable) and call baskets on it`,
    );
  }
  const transactions = new KeyNames(fn, transactionName);
  const items = new KeyNames(fn, itemName);
  const contexts = context.map((c) => new KeyNames(fn, c));
  const width = context.length;
  const basketOf = new IntList();
  const entry = new IntList();
  const drops = new DropCounter();
  let rows = 0;
  for await (const batch of source) {
    const table = asTable(batch);
    const transaction = readKeys(table, transactionName, fn, 'transaction');
    const item = readKeys(table, itemName, fn, 'item');
    const columns = context.map((c) => readKeys(table, c, fn, 'context'));
    const basketIds = transactions.add(transaction);
    const itemIds = items.add(item);
    const contextIds = columns.map((keys, j) => contexts[j].add(keys));
    const n = table.numRows;
    for (let i = 0; i < n; i++) {
      const t = transaction.codes[i];
      const code = item.codes[i];
      if (t < 0 || code < 0) {
        drops.drop('nullKey', rows + i);
        continue;
      }
      const b = basketIds[t];
      basketOf.push(b);
      entry.push(itemIds[code]);
      for (let j = 0; j < width; j++) {
        const v = columns[j].codes[i];
        if (v < 0) continue;
        basketOf.push(b);
        entry.push(-1 - (contextIds[j][v] * width + j));
      }
    }
    rows += n;
  }
  if (drops.total === rows) throw noRowError(fn, rows, transactionName, itemName);

  const { names, contextBase } = codeNames(
    items.names,
    contexts.map((keys) => keys.names),
    context,
  );
  // the pairs grouped by basket (a counting sort), entries decoded to final codes
  const n = transactions.union.size;
  const pairs = basketOf.size;
  const sizes = new Int32Array(n + 1);
  for (let p = 0; p < pairs; p++) sizes[basketOf.values[p] + 1]++;
  for (let b = 0; b < n; b++) sizes[b + 1] += sizes[b];
  const raw = new Int32Array(pairs);
  const fill = sizes.slice(0, n);
  for (let p = 0; p < pairs; p++) {
    const e = entry.values[p];
    let code = e;
    if (e < 0) {
      const v = -1 - e;
      const j = v % width;
      code = contextBase[j] + (v - j) / width;
    }
    raw[fill[basketOf.values[p]]++] = code;
  }
  return withRowReport(compress(raw, sizes, n, names), rows, drops);
}
