import { Schema, Table } from 'apache-arrow';
import { itemsetsResult, MAX_ITEMSETS, resolveMinCount } from '../basket/internal';
import type { FrequentItemsetsColumns } from '../basket/internal';
import {
  checkOptions,
  ClienteleError,
  describeValue,
  integerRule,
  knownOptions,
  META,
  oneOfRule,
  optionNames,
} from '../table/internal';
import { dropCountsSql, dropMetadata } from './drop-counts';
import { numberOf, sqlEngine } from './engine';
import type { SqlConnection, SqlRows } from './engine';
import { aprioriCandidates } from './itemsets-candidates';
import { basketRules, itemCountsSql, levelCountsSql, pairCountsSql } from './itemsets-statements';
import { placeSource, sqlContext } from './options';

/** Options of {@link frequentItemsetsInSql}: where the baskets are, and `frequentItemsets`' own options. */
export interface FrequentItemsetsInSqlOptions {
  /** A table name (`name`, `schema.name`, `project.dataset.name`), or a sub-query in parentheses (as `runSql`). */
  table: string;
  /** Column names: `transaction` (basket ids, default `'transaction'`) and `item` (default `'item'`). */
  columns?: { transaction?: string; item?: string };
  /** Smallest support, a share of baskets in (0, 1]: an itemset is frequent when count ≥ minSupport · baskets. */
  minSupport?: number;
  /** Smallest count instead (overrides minSupport). */
  minCount?: number;
  /** Longest itemset. Default: no limit (levels run until one finds no frequent itemset). */
  maxLength?: number;
  /**
   * Most frequent itemsets — and most candidates of one level — before the search stops with `LIMIT_EXCEEDED`.
   * Default 1,000,000 (as `frequentItemsets`); `Infinity` lifts the limit.
   */
  maxItemsets?: number;
  /** All frequent itemsets (default), only closed ones or only maximal ones, as `frequentItemsets`. */
  target?: 'all' | 'closed' | 'maximal';
  /** Candidates written into one statement (levels 3 and up): a level with more runs in several. Default 2,000. */
  candidatesPerStatement?: number;
}

const FREQUENT_ITEMSETS_IN_SQL_OPTION_NAMES = optionNames<FrequentItemsetsInSqlOptions>({
  table: true,
  columns: true,
  minSupport: true,
  minCount: true,
  maxLength: true,
  maxItemsets: true,
  target: true,
  candidatesPerStatement: true,
});

const COLUMN_NAMES = optionNames<NonNullable<FrequentItemsetsInSqlOptions['columns']>>({
  transaction: true,
  item: true,
});

const RULES = Object.freeze({
  target: oneOfRule(['all', 'closed', 'maximal'] as const, 'all'),
  candidatesPerStatement: integerRule(1, 1_000_000, 2000),
});

/** The largest count an Int32 `count` column holds. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * Frequent itemsets counted where the baskets live — an embedded DuckDB, a PostgreSQL server, or any engine through
 * a runner of your own — level by level (Apriori; Agrawal & Srikant 1994), returning exactly the table
 * `frequentItemsets(baskets(tx, columns), options)` returns: `items` (List<Utf8>, names ascending), `count` (Int32),
 * `support` (Float64), `length` (Int32), by length, then count descending, then names; metadata `clientele.kind`,
 * `clientele.baskets`, `clientele.minCount`, `clientele.target`, `clientele.algorithm` (`'apriori'`) — so that
 * `associationRules(itemsets, …)` runs on it in-process unchanged.
 *
 * What an analyst uses it for: the itemsets (and then the rules) of a basket log of billions of lines that stays in
 * the warehouse: only counts of items and of candidate itemsets come back, never a line item.
 *
 * How: statement 1 counts the dropped rows (`droppedRows(result)`: a null transaction or item is `nullKey`, as
 * `baskets` drops it); statement 2 counts the baskets N (distinct non-null transactions, baskets whose items are all
 * null included) and the baskets holding each item (an item bought twice in a basket counts once), and numbers the
 * items in the engine (the rank of the item's text), so that candidates travel as integers; the threshold is
 * minCount, or ⌈minSupport · N⌉ with `frequentItemsets`' guard against 0.01 · 100000 = 1000.0000000000001. Level 2
 * is one self-join of the (basket, frequent item) pairs; each level k ≥ 3 generates its candidates here from the
 * frequent (k−1)-itemsets (join on the first k − 2 items, prune those with an infrequent (k−1)-subset), writes them
 * as literal rows of item numbers (`candidatesPerStatement` per statement: their distinct (k−1)-item prefixes, and
 * each candidate as prefix + last item) and counts the baskets holding each: the baskets of each prefix once (from
 * its least frequent item), then those of them holding the candidate's last item — joins on (basket, item), never a
 * k-way join on the basket; only candidates with count ≥ the threshold come back. Levels stop at
 * `maxLength` or at the first level without a frequent itemset. Items are compared as the engine's text of the item
 * column (text and integer items read as in-process).
 *
 * Schema metadata besides `frequentItemsets`': `clientele.sql` (the dialect), `clientele.statements` (statements
 * run), and the row counts `droppedRows` reads (SQL has no row order: no first dropped row).
 *
 * Cost: 2 + (levels − 1) + Σ_k⌈candidates_k / candidatesPerStatement⌉ statements, each a scan of the source and a
 * GROUP BY of its distinct (basket, item) pairs; the joins of level k touch, per prefix, the baskets of its least
 * frequent item, and per candidate the baskets of its prefix. Memory here: the frequent itemsets and one level's
 * candidates. Measured (benchmarks/itemsets-sql.bench.ts): the whole of Groceries at minSupport 0.002 (4,220
 * itemsets, 5 levels) in 16 statements; in-process mining stays faster where the baskets fit in memory.
 *
 * @param connection a `@duckdb/node-api` connection, a `pg` Client or Pool, or a runner `{ dialect, run(sql) }`
 * @param options `table` (required), `columns` ({ transaction: 'transaction', item: 'item' }), `minSupport` or
 *   `minCount`, `maxLength` (no limit), `maxItemsets` (1,000,000), `target` ('all'), `candidatesPerStatement` (2,000)
 * @throws {ClienteleError} `INVALID_OPTION` for a bad option, table or column name; `INVALID_INPUT` when the
 *   connection is none of these or the engine refuses a statement, `MISSING_COLUMN` when it finds no such column;
 *   `EMPTY_INPUT` when no row has both a transaction and an item; `LIMIT_EXCEEDED` past `maxItemsets` frequent
 *   itemsets or candidates of one level
 * @example
 * // with @duckdb/node-api: const connection = await (await DuckDBInstance.create(':memory:')).connect();
 * // here a stand-in answering the three statements as DuckDB would for the baskets
 * // {beer, diapers}, {beer, diapers, chips}, {beer}, {milk}
 * const answers = [
 *   { columnNames: () => ['input_rows', 'drop_0'], getColumnsJS: () => [[8], [0]] },
 *   { columnNames: () => ['code', 'item', 'n_item'], getColumnsJS: () => [[0, 1, 3], [null, 'beer', 'diapers'], [4, 3, 2]] },
 *   { columnNames: () => ['i1', 'i2', 'n'], getColumnsJS: () => [[1], [3], [2]] },
 * ];
 * const connection = { runAndReadAll: async () => answers.shift() };
 * const sets = await frequentItemsetsInSql(connection, { table: 'basket_items', minSupport: 0.5 });
 * sets.getChild('count')?.toArray(); // Int32Array [3, 2, 2]
 * sets.get(2)?.items.toArray(); // ['beer', 'diapers']
 * sets.schema.metadata.get('clientele.baskets'); // '4'
 */
export async function frequentItemsetsInSql(
  connection: SqlConnection,
  options: FrequentItemsetsInSqlOptions,
): Promise<Table<FrequentItemsetsColumns>> {
  const fn = 'frequentItemsetsInSql';
  options = knownOptions(options, FREQUENT_ITEMSETS_IN_SQL_OPTION_NAMES, fn);
  const plan = checkedPlan(options, fn);
  const engine = sqlEngine(connection, fn);
  const ctx = sqlContext('basketPairs', { table: options.table, dialect: engine.dialect, columns: plan.columns }, fn);
  let statements = 0;
  const run = (sql: string): Promise<SqlRows> => {
    statements++;
    return engine.run(placeSource(sql, ctx));
  };

  const rules = basketRules(ctx);
  const drops = dropMetadata(await run(dropCountsSql(ctx, rules)), rules);
  if (Number(drops[META.kept]) === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has both a transaction and an item (${drops[META.rows]} rows); check the columns ` +
        `${ctx.column('transaction')} and ${ctx.column('item')}`,
    );
  }
  const items = frequentItems(await run(itemCountsSql(ctx, options.minSupport, options.minCount)), options, plan, fn);
  const { found, minCount } = items;
  let level = Int32Array.from(items.numbers.keys()); // the frequent itemsets of the last level, as local codes
  for (let k = 2; k <= plan.maxLength && level.length / (k - 1) >= 2; k++) {
    const next: number[] = [];
    const add = (set: readonly number[], count: number) => {
      found.add(set, count);
      next.push(...set);
    };
    if (k === 2) {
      const pairs = await run(pairCountsSql(ctx, minCount));
      const [first, second, counts] = ['i1', 'i2', 'n'].map((name) => columnOf(pairs, name));
      const local = (v: unknown) => items.localOf.get(numberOf(v)) ?? changed(fn);
      const rows = counts.map((count, r) => [local(first[r]), local(second[r]), numberOf(count)]);
      rows.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const [x, y, count] of rows) add([x, y], count);
    } else {
      const candidates = aprioriCandidates(level, k - 1, plan.maxItemsets);
      if (candidates === undefined) throw found.limit(`candidates of ${k} items`);
      const total = candidates.length / k;
      for (let from = 0; from < total; from += plan.candidatesPerStatement) {
        const to = Math.min(total, from + plan.candidatesPerStatement);
        const chunk = candidateChunk(candidates, k, from, to, items.numbers, items.supports);
        const counted = await run(levelCountsSql(ctx, minCount, k, chunk.prefixes, chunk.candidates));
        const counts = columnOf(counted, 'n');
        const rows = columnOf(counted, 'c').map((c, r) => [numberOf(c), numberOf(counts[r])]);
        rows.sort((x, y) => x[0] - y[0]);
        for (const [index, count] of rows) {
          if (!(index >= from && index < to)) changed(fn);
          add(Array.from(candidates.subarray(index * k, index * k + k)), count);
        }
      }
    }
    level = Int32Array.from(next);
  }

  const table = itemsetsResult(found.mined(), {
    baskets: { count: items.baskets, names: items.names },
    minCount,
    algorithm: 'apriori',
    target: plan.target,
  });
  const metadata = new Map(table.schema.metadata);
  metadata.set('clientele.sql', engine.dialect);
  metadata.set('clientele.statements', String(statements));
  for (const [key, value] of Object.entries(drops)) metadata.set(key, value);
  return new Table(new Schema(table.schema.fields, metadata), table.batches) as Table<FrequentItemsetsColumns>;
}

/**
 * The frequent items of statement 1's answer (row 0: the number of baskets N), by item number: local code j is
 * the item `names[j]` with engine number `numbers[j]`, held by `supports[j]` baskets; each starts `found`.
 */
function frequentItems(counted: SqlRows, options: FrequentItemsetsInSqlOptions, plan: Plan, fn: string) {
  const code = columnOf(counted, 'code');
  const item = columnOf(counted, 'item');
  const count = columnOf(counted, 'n_item');
  const baskets = numberOf(count[0]);
  const minCount = resolveMinCount(options, baskets, fn);
  const found = new Found(plan.maxItemsets, minCount, plan.maxLength, fn);
  const names: string[] = [];
  const numbers: number[] = [];
  const supports: number[] = [];
  const localOf = new Map<number, number>();
  for (let r = 1; r < code.length; r++) {
    const support = numberOf(count[r]);
    if (support < minCount) continue;
    localOf.set(numberOf(code[r]), names.length);
    found.add([names.length], support);
    numbers.push(numberOf(code[r]));
    supports.push(support);
    names.push(String(item[r]));
  }
  return { baskets, minCount, found, names, numbers, supports, localOf };
}

interface Plan {
  readonly columns: { transaction?: string; item?: string } | undefined;
  readonly maxLength: number;
  readonly maxItemsets: number;
  readonly target: 'all' | 'closed' | 'maximal';
  readonly candidatesPerStatement: number;
}

/** The options checked before any statement runs. @throws {ClienteleError} `INVALID_OPTION` */
function checkedPlan(options: FrequentItemsetsInSqlOptions, fn: string): Plan {
  const given = options.columns;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option columns must be an object of column names (found ${describeValue(given)}); e.g. { transaction: 'invoice', item: 'product' }`,
    );
  }
  const columns = given === undefined ? undefined : knownOptions(given, COLUMN_NAMES, `${fn} columns`);
  resolveMinCount(options, 1, fn); // minSupport / minCount: the checks of frequentItemsets
  const maxLength = options.maxLength ?? Infinity;
  if (!(maxLength === Infinity || (Number.isInteger(maxLength) && maxLength >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxLength must be an integer ≥ 1 (found ${describeValue(maxLength)}); leave it out for no limit`,
    );
  }
  const maxItemsets = options.maxItemsets ?? MAX_ITEMSETS;
  if (!(maxItemsets === Infinity || (Number.isInteger(maxItemsets) && maxItemsets >= 1))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option maxItemsets must be an integer ≥ 1 or Infinity (found ${describeValue(maxItemsets)}); leave it out for ${MAX_ITEMSETS}`,
    );
  }
  const { target, candidatesPerStatement } = checkOptions(options, RULES, fn);
  return { columns, maxLength, maxItemsets, target, candidatesPerStatement };
}

/**
 * The literal rows of the candidates `from … to − 1` (local codes, flat, k each, in lexicographic order): their
 * distinct prefixes (first k − 1 items; equal prefixes are adjacent) as `[p, items…]` in engine numbers with the
 * least frequent item first, and the candidates as `[c, p, last item]`.
 */
function candidateChunk(
  candidates: Int32Array,
  k: number,
  from: number,
  to: number,
  numbers: readonly number[],
  supports: readonly number[],
): { prefixes: number[][]; candidates: number[][] } {
  const prefixes: number[][] = [];
  const rows: number[][] = [];
  for (let c = from; c < to; c++) {
    const at = c * k;
    const same = c > from && candidates.subarray(at - k, at - 1).every((v, t) => v === candidates[at + t]);
    if (!same) {
      const items = Array.from(candidates.subarray(at, at + k - 1));
      items.sort((x, y) => supports[x] - supports[y] || x - y);
      prefixes.push([prefixes.length, ...items.map((j) => numbers[j])]);
    }
    rows.push([c, prefixes.length - 1, numbers[candidates[at + k - 1]]]);
  }
  return { prefixes, candidates: rows };
}

/**
 * The error when the engine names an item or candidate it was not asked about: the source changed between two
 * statements of the run. @throws {ClienteleError} `INVALID_INPUT`
 */
function changed(fn: string): never {
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the engine's counts disagree between two statements of the run (found an item or candidate that the ` +
      `earlier statement did not give); run it on a table that does not change meanwhile (a snapshot or a copy)`,
  );
}

/** A result column by name (an engine that returned no rows may return no columns: then empty). */
function columnOf(rows: SqlRows, name: string): unknown[] {
  const j = rows.names.indexOf(name);
  return j < 0 ? [] : (rows.columns[j] ?? []);
}

/** The frequent itemsets found so far, as a miner collects them, with the output guard. */
class Found {
  private readonly codes: number[] = [];
  private readonly offsets: number[] = [0];
  private readonly counts: number[] = [];

  constructor(
    private readonly maxItemsets: number,
    private readonly minCount: number,
    private readonly maxLength: number,
    private readonly fn: string,
  ) {}

  /** Adds an itemset (local codes, ascending) held by `count` baskets. @throws {ClienteleError} `LIMIT_EXCEEDED` */
  add(set: readonly number[], count: number): void {
    if (this.counts.length >= this.maxItemsets) throw this.limit('frequent itemsets');
    if (count > INT32_MAX) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${this.fn}: an itemset is held by ${count} baskets, beyond the Int32 count column of frequentItemsets ` +
          `(found more than ${INT32_MAX}); mine a sample of the baskets (a '(SELECT …)' sub-query as table)`,
      );
    }
    this.codes.push(...set);
    this.offsets.push(this.codes.length);
    this.counts.push(count);
  }

  limit(what: string): ClienteleError {
    return new ClienteleError(
      'LIMIT_EXCEEDED',
      `${this.fn}: the search passed maxItemsets = ${this.maxItemsets} ${what} (found more at minCount ` +
        `${this.minCount}${Number.isFinite(this.maxLength) ? `, maxLength ${this.maxLength}` : ', no maxLength'}); ` +
        `raise minSupport (or minCount), or set maxLength, or raise maxItemsets (Infinity lifts the limit) if the ` +
        `output should be that large`,
    );
  }

  mined(): { offsets: Int32Array; codes: Int32Array; counts: Int32Array } {
    return {
      offsets: Int32Array.from(this.offsets),
      codes: Int32Array.from(this.codes),
      counts: Int32Array.from(this.counts),
    };
  }
}
