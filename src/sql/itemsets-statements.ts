import { withClause } from './customer-sql';
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
 * Level k ≥ 3: the baskets holding each candidate, for the candidates `candidates[from … to − 1]` (flat, k item
 * numbers each, the least frequent item first), sent as literal rows `(c, i1, …, ik)` with c the candidate's index.
 * The baskets holding a candidate's first item are found by one join on the item; each of them holds the candidate
 * when it also holds the other k − 1 items, counted by one more join on (basket, item) of the other items unfolded
 * into (candidate, item) rows (`COUNT(*) = k − 1` per candidate and basket: each (basket, item) pair is distinct,
 * and so is each item of a candidate). Only candidates held by at least `minCount` baskets come back (`c`, `n`).
 *
 * Why not k joins of the (basket, item) pairs, one per item: engines then join those pairs with each other on the
 * basket first (DuckDB does), which lists every k-tuple of items of every basket before the candidates filter them
 * — exponential in the basket size. Here the pairs meet each other at most once (two instances), so the worst plan
 * lists the pairs of items of each basket, as level 2 does, and the intended one touches, per candidate, the
 * baskets of its least frequent item.
 */
export function levelCountsSql(
  ctx: SqlContext,
  minCount: number,
  candidates: Int32Array,
  k: number,
  from: number,
  to: number,
): string {
  const names = ['c', ...Array.from({ length: k }, (_, j) => `i${j + 1}`)];
  const rows: string[][] = [];
  for (let c = from; c < to; c++) {
    const row = [integer(c)];
    for (let j = 0; j < k; j++) row.push(integer(candidates[c * k + j]));
    rows.push(row);
  }
  const others = names.slice(2).map((name) => `SELECT c, ${name} AS code FROM candidates`);
  const ctes: [string, string][] = [
    ...numberedItems(ctx),
    frequentPairs(minCount),
    ['candidates', LITERAL_ROWS[ctx.d.name](names, rows)],
    ['other_items', others.join('\nUNION ALL\n')],
    ['first_hits', 'SELECT v.c, f.tid\nFROM candidates AS v\nJOIN frequent AS f ON f.code = v.i1'],
    [
      'held',
      'SELECT h.c, h.tid\nFROM first_hits AS h\nJOIN other_items AS o ON o.c = h.c\n' +
        'WHERE EXISTS (SELECT 1 FROM frequent AS f WHERE f.tid = h.tid AND f.code = o.code)\n' +
        `GROUP BY h.c, h.tid\nHAVING COUNT(*) = ${integer(k - 1)}`,
    ],
  ];
  return (
    `${withClause(ctes)}\n` +
    'SELECT c, COUNT(*) AS n\nFROM held\nGROUP BY c\n' +
    `HAVING COUNT(*) >= ${integer(minCount)}`
  );
}
