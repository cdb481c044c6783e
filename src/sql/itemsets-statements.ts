import { withClause } from './with-clause';
import { doubleLiteral } from './dialect';
import type { SqlDialect } from './dialect';
import type { AdmissionRule } from './drop-counts';
import type { SqlContext } from './options';

/**
 * The statements of `frequentItemsetsInSql`, one builder per statement, each a `WITH … SELECT` over the source (the
 * `SqlContext` of `'basketPairs'`: the same `transaction` and `item` columns). Every statement starts from the same
 * CTEs, so that the item numbers the engine gives in the first statement are the numbers of every later one:
 * - `rows_kept`: the rows with a transaction — the only CTE that reads the source, and the first, so that a source
 *   table named like a later CTE (`numbered`, `frequent`, …) is still the table;
 * - `basket_items`: the distinct (basket, item) pairs of the rows with a transaction and an item, the item as text
 *   (an item bought twice in a basket counts once, as `baskets` de-duplicates);
 * - `item_counts`: the baskets holding each item;
 * - `numbered`: each item's number, `ROW_NUMBER() OVER (ORDER BY item)` — the rank of a distinct text, so the same
 *   item gets the same number in every statement of a run (whatever the engine's collation, as long as it is
 *   deterministic).
 */
function numberedItems(ctx: SqlContext): [string, string][] {
  const { d } = ctx;
  const transaction = ctx.column('transaction');
  const item = ctx.column('item');
  return [
    [
      'rows_kept',
      `SELECT ${transaction} AS tid, ${item} AS item_value\nFROM ${ctx.source} AS src\nWHERE ${transaction} IS NOT NULL`,
    ],
    [
      'basket_items',
      `SELECT DISTINCT tid, CAST(item_value AS ${d.text}) AS item\nFROM rows_kept\nWHERE item_value IS NOT NULL`,
    ],
    ['item_counts', 'SELECT item, COUNT(*) AS n_item FROM basket_items GROUP BY item'],
    ['numbered', 'SELECT item, n_item, ROW_NUMBER() OVER (ORDER BY item) AS code FROM item_counts'],
  ];
}

/** The (basket, item number) pairs of the frequent items: what levels 2 and up join. */
function frequentPairs(minCount: number): [string, string] {
  return [
    'frequent',
    'SELECT b.tid, f.code\nFROM basket_items AS b\nJOIN numbered AS f ON f.item = b.item\n' +
      `WHERE f.n_item >= ${integer(minCount)}`,
  ];
}

/** A non-negative safe integer as a literal (every number written into these statements is one). */
function integer(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`itemsets SQL: ${n} is not a count or an item number`);
  return String(n);
}

/**
 * The admission rule of `baskets`: a row with a null transaction or a null item is dropped (`nullKey`); a
 * transaction whose items are all null is still a basket (an empty one, counted in N).
 */
export function basketRules(ctx: SqlContext): readonly AdmissionRule[] {
  return [{ reason: 'nullKey', dropped: `(${ctx.column('transaction')} IS NULL OR ${ctx.column('item')} IS NULL)` }];
}

/**
 * Statement 1: the number of baskets N (distinct non-null transactions, baskets whose items are all null included)
 * in the row with `code` 0, then each item's number, text and basket count (`code`, `item`, `n_item`), for the
 * items held by at least `minCount` baskets — or, with `minSupport`, by ⌈minSupport · N⌉ computed in the engine as
 * `basketPairs` does (the driver recomputes the threshold from N in JavaScript and keeps the items that pass it).
 */
export function itemCountsSql(ctx: SqlContext, minSupport: number | undefined, minCount: number | undefined): string {
  const { d } = ctx;
  let threshold: string;
  if (minCount !== undefined) threshold = integer(minCount);
  else {
    const sn = `${doubleLiteral(d, minSupport ?? 1)} * CAST(bk.n AS ${d.double})`;
    threshold = `GREATEST(1, CEIL(${sn} - ${doubleLiteral(d, 1e-9)} * GREATEST(1, ${sn})))`;
  }
  const ctes: [string, string][] = [
    ...numberedItems(ctx),
    ['baskets', 'SELECT COUNT(DISTINCT tid) AS n FROM rows_kept'],
  ];
  return (
    `${withClause(ctes)}\n` +
    `SELECT 0 AS code, CAST(NULL AS ${d.text}) AS item, n AS n_item FROM baskets\n` +
    'UNION ALL\n' +
    'SELECT f.code, f.item, f.n_item\nFROM numbered AS f\nCROSS JOIN baskets AS bk\n' +
    `WHERE f.n_item >= ${threshold}\n` +
    'ORDER BY code'
  );
}

/**
 * Level 2: every pair of frequent items held together by at least `minCount` baskets, counted by one self-join of
 * the frequent (basket, item) pairs — Apriori's candidates at this level are all the pairs of frequent items, so
 * writing them out would only repeat the join. Columns `i1` < `i2` (item numbers) and `n`.
 */
export function pairCountsSql(ctx: SqlContext, minCount: number): string {
  return (
    `${withClause([...numberedItems(ctx), frequentPairs(minCount)])}\n` +
    'SELECT a.code AS i1, b.code AS i2, COUNT(*) AS n\n' +
    'FROM frequent AS a\nJOIN frequent AS b ON b.tid = a.tid AND a.code < b.code\n' +
    'GROUP BY a.code, b.code\n' +
    `HAVING COUNT(*) >= ${integer(minCount)}`
  );
}

/**
 * Candidate rows as a query with columns `names`, one row per candidate, in each dialect's spelling of literal
 * rows: a VALUES list (DuckDB, PostgreSQL), `inline(array(named_struct(…)))` (Spark SQL), `UNNEST` of a typed
 * array of structs (BigQuery, which has no VALUES).
 */
const LITERAL_ROWS: Readonly<Record<SqlDialect, (names: readonly string[], rows: readonly string[][]) => string>> = {
  duckdb: valuesRows,
  postgres: valuesRows,
  spark: (names, rows) =>
    `SELECT inline(array(${rows.map((r) => `named_struct(${r.map((v, j) => `'${names[j]}', ${v}`).join(', ')})`).join(', ')}))`,
  bigquery: (names, rows) =>
    `SELECT * FROM UNNEST(ARRAY<STRUCT<${names.map((n) => `${n} INT64`).join(', ')}>>[${rows.map((r) => `(${r.join(', ')})`).join(', ')}])`,
};

function valuesRows(names: readonly string[], rows: readonly string[][]): string {
  return `SELECT * FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS v(${names.join(', ')})`;
}

/**
 * Level k ≥ 3: the baskets holding each candidate of one chunk. Candidates made by Apriori's join share their first
 * k − 1 items (a frequent (k−1)-itemset, the prefix) in blocks, so the baskets of each prefix are found once and
 * each candidate only checks its last item in them:
 * - `prefixes`: literal rows `(p, i1, …, i(k−1))`, the prefix's items as numbers, its least frequent item first;
 * - `prefix_baskets`: the baskets of the first item (one join on the item) that also hold the other k − 2 items
 *   (one more join on (basket, item) of those items unfolded into (prefix, item) rows; `COUNT(*) = k − 2` per
 *   prefix and basket, as each (basket, item) pair is distinct and so is each item of a prefix);
 * - `candidates`: literal rows `(c, p, i_last)`, c the candidate's index, p its prefix, `i_last` its last item;
 * - a candidate is held by the baskets of its prefix that hold its last item: one join on (basket, item), exact
 *   because each (basket, item) pair is distinct.
 * Only candidates held by at least `minCount` baskets come back (`c`, `n`).
 *
 * Cost per candidate: the baskets of its prefix (a frequent itemset, usually far fewer than those of any item);
 * per prefix: the baskets of its least frequent item, times k − 2.
 *
 * Why not k joins of the (basket, item) pairs, one per item: engines then join those pairs with each other on the
 * basket first (DuckDB does), which lists every k-tuple of items of every basket before the candidates filter them
 * — exponential in the basket size. Here no more than two instances of the pairs meet on the basket, so the worst
 * plan lists the pairs of items of each basket, as level 2 does. (The last check is a join, not an EXISTS:
 * PostgreSQL estimates one row after the HAVING and ran that semi-join as a nested loop, 360 M comparisons on
 * 3,000 Groceries baskets.)
 */
export function levelCountsSql(
  ctx: SqlContext,
  minCount: number,
  k: number,
  prefixes: readonly (readonly number[])[],
  candidates: readonly (readonly number[])[],
): string {
  const prefixNames = ['p', ...Array.from({ length: k - 1 }, (_, j) => `i${j + 1}`)];
  const literal = (rows: readonly (readonly number[])[]) => rows.map((r) => r.map(integer));
  const others = prefixNames.slice(2).map((name) => `SELECT p, ${name} AS code FROM prefixes`);
  const hasItem = (tid: string, code: string) =>
    `EXISTS (SELECT 1 FROM frequent AS f WHERE f.tid = ${tid} AND f.code = ${code})`;
  const ctes: [string, string][] = [
    ...numberedItems(ctx),
    frequentPairs(minCount),
    ['prefixes', LITERAL_ROWS[ctx.d.name](prefixNames, literal(prefixes))],
    ['prefix_items', others.join('\nUNION ALL\n')],
    ['prefix_hits', 'SELECT v.p, f.tid\nFROM prefixes AS v\nJOIN frequent AS f ON f.code = v.i1'],
    [
      'prefix_baskets',
      'SELECT h.p, h.tid\nFROM prefix_hits AS h\nJOIN prefix_items AS o ON o.p = h.p\n' +
        `WHERE ${hasItem('h.tid', 'o.code')}\n` +
        `GROUP BY h.p, h.tid\nHAVING COUNT(*) = ${integer(k - 2)}`,
    ],
    ['candidates', LITERAL_ROWS[ctx.d.name](['c', 'p', 'i_last'], literal(candidates))],
  ];
  return (
    `${withClause(ctes)}\n` +
    'SELECT v.c AS c, COUNT(*) AS n\nFROM candidates AS v\nJOIN prefix_baskets AS b ON b.p = v.p\n' +
    'JOIN frequent AS f ON f.tid = b.tid AND f.code = v.i_last\n' +
    `GROUP BY v.c\nHAVING COUNT(*) >= ${integer(minCount)}`
  );
}
