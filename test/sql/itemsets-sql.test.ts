import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sqlParser from 'node-sql-parser';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { associationRules } from '../../src/basket/association-rules';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { sampleStore } from '../../src/sample/sample-store';
import { droppedRows } from '../../src/table/dropped';
import { frequentItemsetsInSql } from '../../src/sql/index';
import type { FrequentItemsetsInSqlOptions, SqlConnection, SqlDialect, SqlRunner } from '../../src/sql/index';
import { expectCode, rejectsWith } from '../helpers/errors';
import { dataset } from '../helpers/datasets';
import { postgresClient } from '../helpers/postgres';
import { loadDuckTable } from './helpers';

/**
 * frequentItemsetsInSql equals in-process: on a real embedded DuckDB and a real PostgreSQL, the table the engine
 * counts level by level is compared with `frequentItemsets(baskets(tx), { …, algorithm: 'apriori' })` on the same
 * rows — same columns, Arrow types, rows in the same order, counts exact, supports equal to the bit, the same
 * metadata — on the sample store, on a slice of Groceries and on generated logs with nulls and duplicates (also
 * against a brute-force count of every subset of every basket written here); rules from the SQL itemsets equal
 * rules from the in-process ones. Spark and BigQuery texts are parsed and compared with the DuckDB text token by
 * token up to the dialect spellings.
 */
const duckdb = await import('@duckdb/node-api').catch(() => null);
const pg = await postgresClient('itemsets');
let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  if (!duckdb) return;
  instance = await duckdb.DuckDBInstance.create(':memory:');
  con = await instance.connect();
});
afterAll(async () => {
  con?.closeSync();
  instance?.closeSync();
  await pg?.close();
});

/** A long basket log: one row per (transaction, item), nulls allowed. */
interface BasketLog {
  transaction: (number | null)[];
  item: (string | null)[];
}

const store = sampleStore({ customers: 300, seed: 21 });
const storeLog: BasketLog = {
  transaction: Array.from(store.basketItems.getChild('transaction')!.toArray() as Int32Array),
  item: Array.from({ length: store.basketItems.numRows }, (_, i) => store.basketItems.getChild('item')!.get(i)),
};

/** The first `count` baskets of Groceries (Hahsler et al., arules), in long form: transaction = line number. */
function groceriesLog(count: number): BasketLog {
  const lines = readFileSync(dataset('groceries.csv'), 'utf8').trim().split('\n').slice(0, count);
  const log: BasketLog = { transaction: [], item: [] };
  lines.forEach((line, t) => {
    for (const item of line.trim().split(',')) {
      log.transaction.push(t + 1);
      log.item.push(item);
    }
  });
  return log;
}

async function loadDuck(name: string, log: BasketLog): Promise<void> {
  await loadDuckTable(con, name, {
    transaction: { type: 'INTEGER', values: log.transaction },
    item: { type: 'VARCHAR', values: log.item },
  });
}

async function loadPg(name: string, log: BasketLog): Promise<void> {
  await pg!.client.query(`DROP TABLE IF EXISTS ${name}`);
  await pg!.client.query(`CREATE TABLE ${name} ("transaction" INTEGER, item TEXT)`);
  await pg!.client.query(`INSERT INTO ${name} SELECT * FROM unnest($1::integer[], $2::text[])`, [
    log.transaction,
    log.item,
  ]);
}

/** The in-process itemsets of the log (Apriori, so that the metadata names the same algorithm). */
function inProcess(log: BasketLog, options: Omit<FrequentItemsetsInSqlOptions, 'table'>): Table {
  const { candidatesPerStatement, columns, ...mining } = options;
  void candidatesPerStatement;
  void columns;
  return frequentItemsets(baskets(log), { ...mining, algorithm: 'apriori' });
}

/** Rows of an itemset or rule table as plain values (lists as arrays). */
function rowsOf(table: Table): unknown[][] {
  return Array.from({ length: table.numRows }, (_, i) =>
    table.schema.fields.map((f) => {
      const v = table.getChild(f.name)!.get(i);
      return v !== null && typeof v === 'object' && 'toArray' in v ? Array.from(v.toArray()) : v;
    }),
  );
}

/** Same columns, Arrow types, rows in order (exact: integer counts, supports as count / N), and metadata. */
function expectSameItemsets(got: Table, want: Table): void {
  expect(got.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
    want.schema.fields.map((f) => `${f.name}: ${f.type}`),
  );
  expect(rowsOf(got)).toEqual(rowsOf(want));
  for (const [key, value] of want.schema.metadata) expect(got.schema.metadata.get(key), key).toBe(value);
}

/** The in-process drop report of `baskets` on the log, as droppedRows reads it from the SQL result. */
function expectSameDrops(got: Table, log: BasketLog): void {
  const report = baskets(log).rows!;
  expect(droppedRows(got)).toMatchObject({ rows: report.rows, kept: report.kept, dropped: report.dropped });
}

/** A connection that counts the statements it runs. */
function counting(connection: DuckDBConnection): { connection: SqlConnection; count: () => number } {
  let n = 0;
  return {
    connection: { runAndReadAll: (sql: string) => (n++, connection.runAndReadAll(sql)) } as unknown as SqlConnection,
    count: () => n,
  };
}

describe.skipIf(!duckdb)('frequentItemsetsInSql on DuckDB equals frequentItemsets in-process', () => {
  beforeAll(async () => {
    await loadDuck('store_items', storeLog);
    await loadDuck('groceries', groceriesLog(3000));
  });

  it('on the sample store, every level, with the drop counts; associationRules on both give the same rules', async () => {
    for (const minSupport of [0.03, 0.01]) {
      const got = await frequentItemsetsInSql(con, { table: 'store_items', minSupport });
      const want = inProcess(storeLog, { minSupport });
      expect(want.numRows).toBeGreaterThan(20);
      expect(Math.max(...(want.getChild('length')!.toArray() as Int32Array))).toBeGreaterThanOrEqual(3);
      expectSameItemsets(got, want);
      expectSameDrops(got, storeLog);
      const options = { minConfidence: 0.1, measures: ['support', 'confidence', 'lift', 'leverage', 'count'] };
      expect(rowsOf(associationRules(got, options as never))).toEqual(rowsOf(associationRules(want, options as never)));
    }
  });

  it('on 3,000 Groceries baskets (minSupport 0.01), candidates chunked 150 per statement; statement count', async () => {
    const log = groceriesLog(3000);
    const { connection, count } = counting(con);
    const got = await frequentItemsetsInSql(connection, {
      table: 'groceries',
      minSupport: 0.01,
      candidatesPerStatement: 150,
    });
    const want = inProcess(log, { minSupport: 0.01 });
    expectSameItemsets(got, want);
    expect(got.schema.metadata.get('clientele.statements')).toBe(String(count()));
    const lengths = want.getChild('length')!.toArray() as Int32Array;
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(3);
    // drops, item counts, pairs, then ⌈candidates / 150⌉ per level ≥ 3: more than one statement for level 3
    expect(count()).toBeGreaterThan(4);
    expectSameItemsets(
      await frequentItemsetsInSql(con, { table: 'groceries', minSupport: 0.01, maxLength: 2 }),
      inProcess(log, { minSupport: 0.01, maxLength: 2 }),
    );
  });

  it("target 'closed' and 'maximal', minCount, maxLength 1, and a sub-query with other column names", async () => {
    const log = groceriesLog(3000);
    for (const options of [
      { minSupport: 0.015, target: 'closed' as const },
      { minSupport: 0.015, target: 'maximal' as const },
      { minCount: 40, maxLength: 2 },
      { minCount: 30, maxLength: 1 },
    ]) {
      expectSameItemsets(await frequentItemsetsInSql(con, { table: 'groceries', ...options }), inProcess(log, options));
    }
    const renamed = await frequentItemsetsInSql(con, {
      table: '(SELECT "transaction" AS "basket id", item AS product FROM groceries)',
      columns: { transaction: 'basket id', item: 'product' },
      minSupport: 0.02,
    });
    expectSameItemsets(renamed, inProcess(log, { minSupport: 0.02 }));
  });

  it('the threshold guard: 0.07 · 100 baskets = 7.000000000000001, and an item in 7 baskets is frequent, as in-process', async () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    const log: BasketLog = { transaction: [], item: [] };
    for (let t = 1; t <= 100; t++) {
      log.transaction.push(t);
      log.item.push(t <= 7 ? 'rare' : 'common');
    }
    await loadDuck('guard', log);
    const got = await frequentItemsetsInSql(con, { table: 'guard', minSupport: 0.07 });
    expect(rowsOf(got).map((r) => r[0])).toEqual([['common'], ['rare']]);
    expectSameItemsets(got, inProcess(log, { minSupport: 0.07 }));
  });

  it('integer items read as their text, as baskets names them', async () => {
    const transaction = [1, 1, 1, 2, 2, 3, 3, 3, 4];
    const item = [10, 2, 10, 2, 10, 2, 10, 7, 7];
    await loadDuckTable(con, 'numbered', {
      transaction: { type: 'INTEGER', values: transaction },
      item: { type: 'INTEGER', values: item },
    });
    const got = await frequentItemsetsInSql(con, { table: 'numbered', minCount: 2 });
    expectSameItemsets(got, frequentItemsets(baskets({ transaction, item }), { minCount: 2, algorithm: 'apriori' }));
  });

  it('property: equal to a brute-force count of every subset of every basket and to in-process, with nulls and duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, thresholdArbitrary, async (log, threshold) => {
        await loadDuck('basket_log', log);
        await checkAgainstBruteForce(con, 'basket_log', log, threshold);
      }),
      { numRuns: 25, seed: 20 },
    );
  });

  it('refuses bad options before running any statement, and an input without an item as EMPTY_INPUT', async () => {
    const { connection, count } = counting(con);
    const call = (o: unknown) => () => frequentItemsetsInSql(connection, o as FrequentItemsetsInSqlOptions);
    await rejectsWith(call({ table: 'groceries' }), 'INVALID_OPTION', 'option minSupport');
    await rejectsWith(call({ table: 'groceries', minSupport: 0 }), 'INVALID_OPTION', 'option minSupport');
    await rejectsWith(call({ table: 'groceries', minCount: 1.5 }), 'INVALID_OPTION', 'option minCount');
    await rejectsWith(call({ table: 'groceries', minCount: 2, maxLength: 0 }), 'INVALID_OPTION', 'option maxLength');
    await rejectsWith(call({ table: 'groceries', minCount: 2, maxItemsets: -1 }), 'INVALID_OPTION', 'maxItemsets');
    await rejectsWith(call({ table: 'groceries', minCount: 2, target: 'some' }), 'INVALID_OPTION', 'target');
    await rejectsWith(
      call({ table: 'groceries', minCount: 2, candidatesPerStatement: 0 }),
      'INVALID_OPTION',
      'candidatesPerStatement',
    );
    await rejectsWith(call({ table: 'groceries', minCount: 2, algorithm: 'eclat' }), 'INVALID_OPTION', 'algorithm');
    await rejectsWith(call({ table: 'groceries', minCount: 2, columns: { itme: 'x' } }), 'INVALID_OPTION', 'item?');
    await rejectsWith(call({ table: 'groceries; DROP TABLE groceries', minCount: 2 }), 'INVALID_OPTION', 'table');
    await rejectsWith(
      call({ table: 'groceries', minCount: 2, columns: { item: 'item" OR 1=1 --' } }),
      'INVALID_OPTION',
      'columns.item',
    );
    expect(count()).toBe(0);
    await loadDuck('no_items', { transaction: [1, null, 2], item: [null, 'a', null] });
    await rejectsWith(call({ table: 'no_items', minCount: 1 }), 'EMPTY_INPUT', 'no row has both');
    expectCode(() => baskets({ transaction: [1, null, 2], item: [null, 'a', null] }), 'EMPTY_INPUT');
    await rejectsWith(call({ table: 'groceries', minCount: 1, columns: { item: 'product' } }), 'MISSING_COLUMN');
  });

  it('stops with LIMIT_EXCEEDED past maxItemsets frequent itemsets (or candidates of one level)', async () => {
    await rejectsWith(
      () => frequentItemsetsInSql(con, { table: 'groceries', minSupport: 0.01, maxItemsets: 50 }),
      'LIMIT_EXCEEDED',
      'maxItemsets = 50',
    );
  });
});

describe.skipIf(!duckdb || !pg)('frequentItemsetsInSql on PostgreSQL equals frequentItemsets in-process', () => {
  beforeAll(async () => {
    await loadPg('store_items', storeLog);
    await loadPg('groceries', groceriesLog(3000));
  });

  it('on the sample store and on 3,000 Groceries baskets, with the drop counts and the rules', async () => {
    for (const [table, log, minSupport] of [
      ['store_items', storeLog, 0.01],
      ['groceries', groceriesLog(3000), 0.01],
    ] as const) {
      const got = await frequentItemsetsInSql(pg!.client, { table, minSupport, candidatesPerStatement: 100 });
      const want = inProcess(log, { minSupport });
      expectSameItemsets(got, want);
      expectSameDrops(got, log);
      expect(got.schema.metadata.get('clientele.sql')).toBe('postgres');
      const options = { minConfidence: 0.2, measures: ['support', 'confidence', 'lift', 'count'] };
      expect(rowsOf(associationRules(got, options as never))).toEqual(rowsOf(associationRules(want, options as never)));
    }
  });

  it('property: equal to a brute-force count and to in-process, with nulls and duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, thresholdArbitrary, async (log, threshold) => {
        await loadPg('basket_log', log);
        await checkAgainstBruteForce(pg!.client, 'basket_log', log, threshold);
      }),
      { numRuns: 12, seed: 21 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// generated logs and the brute force

const logArbitrary = fc
  .array(
    fc.record({
      transaction: fc.option(fc.integer({ min: 1, max: 10 }), { freq: 12 }),
      item: fc.option(fc.constantFrom('beer', 'chips', 'diapers', 'milk', 'bread', 'eggs'), { freq: 12 }),
    }),
    { minLength: 1, maxLength: 45 },
  )
  .map((rows) => ({ transaction: rows.map((r) => r.transaction), item: rows.map((r) => r.item) }));

const thresholdArbitrary = fc.oneof(
  fc.record({ minCount: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ minSupport: fc.constantFrom(0.1, 0.2, 0.3, 0.5) }),
);

/**
 * Brute force: baskets as sets of item names from the raw rows (a null transaction or item drops the row; a
 * transaction whose items are all null is an empty basket), every non-empty subset of every basket counted, kept
 * when count ≥ minCount or ≥ minSupport · N (the 1e-9 guard of frequentItemsets); the SQL rows must be exactly these,
 * and equal the in-process table when baskets() accepts the log.
 */
async function checkAgainstBruteForce(
  connection: SqlConnection,
  table: string,
  log: BasketLog,
  threshold: { minCount?: number; minSupport?: number },
): Promise<void> {
  const sets = new Map<number, Set<string>>();
  log.transaction.forEach((t, i) => {
    if (t === null) return;
    if (!sets.has(t)) sets.set(t, new Set());
    if (log.item[i] !== null) sets.get(t)!.add(log.item[i]!);
  });
  const kept = log.transaction.filter((t, i) => t !== null && log.item[i] !== null).length;
  const run = () => frequentItemsetsInSql(connection, { table, ...threshold });
  if (kept === 0) {
    await rejectsWith(run, 'EMPTY_INPUT');
    return;
  }
  const n = sets.size;
  const counts = new Map<string, number>();
  for (const set of sets.values()) {
    const items = [...set].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const key = items.filter((_, j) => mask & (1 << j)).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const least = threshold.minCount ?? threshold.minSupport! * n * (1 - 1e-9);
  const expected = [...counts]
    .filter(([, c]) => c >= least)
    .map(([key, c]) => `${key}:${c}`)
    .sort();
  const got = await run();
  expect(
    rowsOf(got)
      .map(([items, count]) => `${(items as string[]).join(',')}:${count}`)
      .sort(),
  ).toEqual(expected);
  expect(droppedRows(got)).toMatchObject({ rows: log.transaction.length, kept });
  expectSameItemsets(got, inProcess(log, threshold));
  expectSameDrops(got, log);
}

// ---------------------------------------------------------------------------------------------------------------
// Spark and BigQuery: the same driver through a runner that records the text and answers with DuckDB's rows

const { Parser } = sqlParser as unknown as {
  Parser: new () => { astify(sql: string, o: { database: string }): unknown };
};
const parser = new Parser();
const GRAMMAR: Record<Exclude<SqlDialect, 'duckdb'>, string> = {
  spark: 'hive',
  bigquery: 'bigquery',
  postgres: 'postgresql',
};

/** Candidate rows in a neutral spelling: ROWS(c, i1, …: (0, 3, 7), …). */
function neutralRows(names: string[], rows: string[][]): string {
  return `ROWS(${names.join(', ')}: ${rows.map((r) => `(${r.join(', ')})`).join(', ')})`;
}

/** The text with each dialect's own spellings replaced by neutral tokens. */
function normalise(sql: string, dialect: SqlDialect): string {
  let s = sql;
  if (dialect === 'duckdb' || dialect === 'postgres') {
    s = s.replace(/SELECT \* FROM \(VALUES (.*)\) AS v\(([^)]*)\)/g, (_, rows: string, names: string) =>
      neutralRows(
        names.split(', '),
        rows
          .slice(1, -1)
          .split('), (')
          .map((r) => r.split(', ')),
      ),
    );
    if (dialect === 'postgres') s = s.replace(/DOUBLE PRECISION/g, 'DOUBLE').replace(/\bTEXT\b/g, 'VARCHAR');
  } else if (dialect === 'spark') {
    s = s.replace(/SELECT inline\(array\((.*)\)\)/g, (_, structs: string) => {
      const rows = structs
        .slice('named_struct('.length, -1)
        .split('), named_struct(')
        .map((r) => r.split(', '));
      return neutralRows(
        rows[0].filter((_, j) => j % 2 === 0).map((name) => name.slice(1, -1)),
        rows.map((r) => r.filter((_, j) => j % 2 === 1)),
      );
    });
    s = s.replace(/\bSTRING\b/g, 'VARCHAR').replace(/`/g, '"');
  } else {
    s = s.replace(/SELECT \* FROM UNNEST\(ARRAY<STRUCT<([^>]*)>>\[(.*)\]\)/g, (_, fields: string, rows: string) =>
      neutralRows(
        fields.split(', ').map((f) => f.replace(/ INT64$/, '')),
        rows
          .slice(1, -1)
          .split('), (')
          .map((r) => r.split(', ')),
      ),
    );
    s = s
      .replace(/\bFLOAT64\b/g, 'DOUBLE')
      .replace(/\bSTRING\b/g, 'VARCHAR')
      .replace(/`/g, '"');
  }
  return s;
}

describe.skipIf(!duckdb)('frequentItemsetsInSql texts for Spark SQL, BigQuery and PostgreSQL', () => {
  it('parse in their grammars and equal the DuckDB texts token by token up to the dialect spellings; same table', async () => {
    const log = groceriesLog(400);
    await loadDuck('small_groceries', log);
    const duckTexts: string[] = [];
    const parsed = new Set<string>();
    const answers: Record<string, unknown>[][] = [];
    const recording = {
      runAndReadAll: async (sql: string) => {
        duckTexts.push(sql);
        const reader = await con.runAndReadAll(sql);
        const names = reader.columnNames();
        const columns = reader.getColumnsJS();
        answers.push(
          Array.from({ length: columns[0]?.length ?? 0 }, (_, r) =>
            Object.fromEntries(names.map((name, j) => [name, columns[j][r]])),
          ),
        );
        return reader;
      },
    } as unknown as SqlConnection;
    for (const minSupport of [0.01, undefined]) {
      duckTexts.length = 0;
      answers.length = 0;
      const threshold = minSupport === undefined ? { minCount: 6 } : { minSupport };
      const options = { table: 'small_groceries', ...threshold, candidatesPerStatement: 100 };
      const onDuck = await frequentItemsetsInSql(recording, options);
      expectSameItemsets(onDuck, inProcess(log, threshold));
      expect(duckTexts.length).toBeGreaterThan(4);
      for (const dialect of ['spark', 'bigquery', 'postgres'] as const) {
        const texts: string[] = [];
        let at = 0;
        const runner: SqlRunner = { dialect, run: async (sql) => (texts.push(sql), answers[at++]) };
        const replayed = await frequentItemsetsInSql(runner, options);
        expectSameItemsets(replayed, inProcess(log, threshold));
        expect(texts).toHaveLength(duckTexts.length);
        texts.forEach((text, k) => {
          if (dialect !== 'postgres') expect(text, `${dialect} statement ${k}`).not.toBe(duckTexts[k]);
          expect(normalise(text, dialect), `${dialect} statement ${k}`).toBe(normalise(duckTexts[k], 'duckdb'));
          // node-sql-parser is slow on long literal lists: each statement shape (numbers aside) is parsed once
          const shape = text
            .replace(/\d+/g, '0')
            .replace(/(\((?:0, )*0\))(?:, \1)+/g, '$1')
            .replace(/(named_struct\([^()]*\))(?:, \1)+/g, '$1');
          if (parsed.has(shape)) return;
          parsed.add(shape);
          const ast = parser.astify(text, { database: GRAMMAR[dialect] });
          const statements = Array.isArray(ast) ? ast : [ast];
          expect(statements).toHaveLength(1);
          expect((statements[0] as { type: string }).type).toBe('select');
        });
      }
    }
  });
});
