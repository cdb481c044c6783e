import { asTable, ClienteleError, describeValue, DropCounter, readKeys } from '../table/internal';
import type { KeyColumn } from '../table/internal';
import type { BasketsOptions } from './basket-layout';
import { basketColumns, codeNames, compress, noRowError, withRowReport } from './basket-layout';
import { basketWeights } from './basket-weights';
import { groupedBaskets } from './grouped-baskets';
import type { Baskets } from './mined';
export type { BasketsOptions } from './basket-layout';

/**
 * Baskets of a whole table: the core of the public `baskets` (src/api/basket.ts), which documents the coding and
 * adds streams.
 */
export function basketsOfTable(tx: unknown, options: BasketsOptions = {}): Baskets {
  const fn = 'baskets';
  const { transactionName, itemName, context } = basketColumns(options, fn);
  const table = asTable(tx);
  if (context.length === 0 && options.weights === undefined) {
    const grouped = groupedBaskets(table, transactionName, itemName, fn);
    if (grouped !== null) return grouped;
  }
  const transaction = readKeys(table, transactionName, fn, 'transaction');
  const item = readKeys(table, itemName, fn, 'item');
  const contexts = context.map((c) => readKeys(table, c, fn, 'context'));
  const rows = table.numRows;
  const drops = new DropCounter();
  const keyNames = (keys: KeyColumn) => Array.from({ length: keys.size }, (_, c) => String(keys.keys.get(c)));
  const { names, contextBase } = codeNames(keyNames(item), contexts.map(keyNames), context);
  const weighed =
    options.weights === undefined ? null : basketWeights(table, options.weights, transaction, item, drops, fn);

  // Count codes per basket (duplicates included), then fill, sort and de-duplicate each basket.
  const n = transaction.size;
  const sizes = new Int32Array(n + 1);
  for (let i = 0; i < rows; i++) {
    const b = transaction.codes[i];
    if (b < 0 || item.codes[i] < 0) {
      drops.drop('nullKey', i);
      continue;
    }
    if (weighed?.dropped[i]) continue;
    sizes[b + 1] += 1 + contexts.reduce((s, keys) => s + (keys.codes[i] >= 0 ? 1 : 0), 0);
  }
  if (drops.total === rows) throw noRowError(fn, rows, transactionName, itemName);
  for (let b = 0; b < n; b++) sizes[b + 1] += sizes[b];
  const raw = new Int32Array(sizes[n]);
  const fill = sizes.slice(0, n);
  for (let i = 0; i < rows; i++) {
    const b = transaction.codes[i];
    if (b < 0 || item.codes[i] < 0 || weighed?.dropped[i]) continue;
    raw[fill[b]++] = item.codes[i];
    for (let j = 0; j < contexts.length; j++)
      if (contexts[j].codes[i] >= 0) raw[fill[b]++] = contextBase[j] + contexts[j].codes[i];
  }
  const layout = compress(raw, sizes, n, names);
  return withRowReport(weighed ? { ...layout, weights: weighed.weights } : layout, rows, drops);
}

/**
 * Baskets from lists of item names (one list per basket), as in the `Groceries` or FIMI files; duplicates within a
 * list count once; items are coded in order of first appearance.
 *
 * @example
 * const b = basketsFromLists([['milk', 'bread'], ['bread', 'butter', 'bread']]);
 * b.count; // 2
 * basketLists(b); // [['milk', 'bread'], ['bread', 'butter']]
 */
export function basketsFromLists(lists: readonly (readonly (string | number)[])[]): Baskets {
  const fn = 'basketsFromLists';
  if (!Array.isArray(lists)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: expected an array of baskets, each an array of item names (found ${describeValue(lists)})`,
    );
  }
  const codes = new Map<string, number>();
  const names: string[] = [];
  const n = lists.length;
  const sizes = new Int32Array(n + 1);
  for (let b = 0; b < n; b++) {
    const list = lists[b];
    if (!Array.isArray(list)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: basket ${b} must be an array of item names (found ${describeValue(list)})`,
        { row: b },
      );
    }
    sizes[b + 1] = sizes[b] + list.length;
  }
  const raw = new Int32Array(sizes[n]);
  for (let b = 0, at = 0; b < n; b++) {
    for (const entry of lists[b]) {
      if (entry === null || entry === undefined) {
        throw new ClienteleError(
          'INVALID_VALUE',
          `${fn}: basket ${b} holds ${String(entry)}; remove missing items first`,
          { row: b },
        );
      }
      const name = String(entry);
      let code = codes.get(name);
      if (code === undefined) {
        code = names.length;
        codes.set(name, code);
        names.push(name);
      }
      raw[at++] = code;
    }
  }
  return Object.freeze(compress(raw, sizes, n, names));
}

/**
 * The item names of every basket, for inspection and tests: one array per basket, in basket order, each basket's
 * distinct items in code order (the order in which the items first appeared anywhere), not in the order written.
 *
 * Cost: O(Σ basket size).
 *
 * @example
 * // butter is item 0 and milk item 1 everywhere; the second basket's repeated milk counts once
 * const b = basketsFromLists([['butter', 'milk'], ['milk', 'butter', 'milk'], ['milk']]);
 * basketLists(b); // [['butter', 'milk'], ['butter', 'milk'], ['milk']]
 */
export function basketLists(b: Baskets): string[][] {
  const shape = b as Partial<Baskets> | null;
  if (!(Number.isInteger(shape?.count) && shape?.offsets && shape.items && Array.isArray(shape.names))) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `basketLists: the argument must be baskets (found ${describeValue(b)}); pass the result of baskets or basketsFromLists`,
    );
  }
  const out: string[][] = [];
  for (let s = 0; s < b.count; s++) {
    const list: string[] = [];
    for (let t = b.offsets[s]; t < b.offsets[s + 1]; t++) list.push(b.names[b.items[t]]);
    out.push(list);
  }
  return out;
}

/** Whether `x` is a {@link Baskets} object. */
export function isBaskets(x: unknown): x is Baskets {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Baskets).kind === 'baskets' &&
    (x as Baskets).offsets instanceof Int32Array
  );
}
