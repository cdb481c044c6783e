import fc from 'fast-check';
import type { Table } from 'apache-arrow';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abc } from '../../src/api/abc';
import { associationRules } from '../../src/basket/association-rules';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { retentionCurve } from '../../src/clv/retention-curve';
import { customerSummary, rfm } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/sample-store';
import { asTable } from '../../src/table/as-table';
import { numberVector, stringVector, tableWithMetadata } from '../../src/table/internal';
import { frequentItemsetsInSql, kmeansInSql, runSql, toSql } from '../../src/sql/index';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import type { SqlAnalysis, SqlConnection, ToSqlOptions } from '../../src/sql/index';
import { postgresClient } from '../helpers/postgres';
import { expectSameRows } from './helpers';

/**
 * A multi-node engine for real: PostgreSQL sharded over two more PostgreSQL servers on this machine
 * (scripts/ci-postgres-shards.sh, called by .ci/run, names them in CLIENTELE_PG_SHARDED as `server=url …`). On the
 * coordinator (CLIENTELE_PG_URL) the transactions are a table partitioned by HASH of the customer and the basket
 * items one partitioned by HASH of the basket id, each in four partitions that are postgres_fdw foreign tables, two
 * on each shard. Rows are loaded through the coordinator (INSERT routes them to the shards), and
 * `runSql` on the coordinator must equal `runSql` on a plain local table of the same rows and the in-process
 * analysis — on the sample store and on generated logs with heavy ties, nulls, NaN and ±Infinity. EXPLAIN VERBOSE
 * shows which GROUP BYs run on the shards (`enable_partitionwise_aggregate`).
 *
 * Every node works in a schema of this process (the coordinator's from postgresClient, the same name on each
 * shard), dropped afterwards, so that parallel runs do not collide. Skipped without CLIENTELE_PG_SHARDED.
 */

/** The shards as the setup script names them: the coordinator's postgres_fdw server and the shard's own URL. */
const shardSpecs = (process.env.CLIENTELE_PG_SHARDED ?? '')
  .split(/\s+/)
  .filter((s) => s.includes('='))
  .map((s) => ({ server: s.slice(0, s.indexOf('=')), url: s.slice(s.indexOf('=') + 1) }));
const coordinator = shardSpecs.length >= 2 ? await postgresClient('sharded') : undefined;
const PARTITIONS = 4;

/** One direct client per shard (to create the remote tables and count what each holds). */
const shards: Client[] = [];

/** The two tables every analysis reads, as SQL columns; `key` is the column the sharded copy is hashed on. */
const TABLES = {
  sales: { columns: 'transaction INTEGER, customer TEXT, date DATE, amount DOUBLE PRECISION', key: 'customer' },
  basket_items: { columns: 'transaction INTEGER, item TEXT', key: 'transaction' },
} as const;
type Source = keyof typeof TABLES;

const store = sampleStore({ customers: 300, seed: 7 });
const DAY = 86_400_000;

/** The rows loaded into the tables: the in-process inputs of each. */
interface Data {
  sales: Table;
  basket_items: Table;
}

/** An analysis on the sharded table equals the same on the plain table and, when given, the in-process result. */
interface ShardedCase {
  readonly source: Source;
  readonly analysis: SqlAnalysis;
  readonly options: Omit<ToSqlOptions, 'table' | 'dialect'>;
  /** The in-process result on the same rows (skipped when it throws: every row dropped). */
  readonly inProcess?: (rows: Table) => Table;
  /**
   * What EXPLAIN shows runs on the shards besides the row filter: the GROUP BY of every partition (`'aggregate'`),
   * or nothing more (`'filter'`); not asserted when undefined.
   */
  readonly pushed?: 'aggregate' | 'filter';
  /** Reorders the in-process rows by this column (SQL orders by key, in-process by first appearance). */
  readonly sortBy?: string;
}

const on = (
  source: Source,
  analysis: SqlAnalysis,
  options: ShardedCase['options'],
  inProcess?: ShardedCase['inProcess'],
  pushed?: ShardedCase['pushed'],
  sortBy?: string,
): ShardedCase => ({ source, analysis, options, inProcess, pushed, sortBy });

/**
 * Every analysis checked on the shards, one line each: `on(table, analysis, runSql options, in-process twin on the
 * same rows, what runs on the shards, sort column)`. The other parts' analyses are added here as they land.
 */
const CASES: readonly ShardedCase[] = [
  on('sales', 'customerSummary', {}, (tx) => customerSummary(tx), 'aggregate', 'customer'),
  on('sales', 'rfm', { bins: 3 }, (tx) => rfm(tx, { bins: 3 }), 'aggregate', 'customer'),
  on('sales', 'abc', {}, (tx) => abc(tx), 'aggregate'),
  on('sales', 'retentionCurve', { period: 'quarter' }, (tx) => retentionCurve(tx, { period: 'quarter' }), 'filter'),
  on('basket_items', 'basketPairs', { minSupport: 0.02 }, (items) => pairRules(items, 0.02), 'filter'),
  on(
    'sales',
    'clvSummary',
    { unit: 'day' },
    (tx) => summaryFromTransactions(tx, { unit: 'day' }),
    undefined,
    'customer',
  ),
  on('sales', 'clvPatterns', { calibrationEnd: '2024-06-30' }),
  on('sales', 'spendPatterns', {}),
];

/**
 * The multi-statement drivers (kmeansInSql, plsPathModelInSql, frequentItemsetsInSql, …), one line each as they land:
 * `{ name, source, run: (connection, table) => driver(connection, { table, … }) }`. Each runs on the sharded and on
 * the plain table and must give the same result (numbers within 1e-9 relative: sums meet in another order).
 */
const DRIVERS: readonly {
  name: string;
  source: Source;
  run: (connection: SqlConnection, table: string) => Promise<unknown>;
}[] = [
  {
    name: 'kmeansInSql',
    source: 'sales',
    run: async (connection, table) => {
      // assignSql names the table it labels, which differs between the sharded and the plain table
      const { assignSql, ...fit } = await kmeansInSql(connection, { table, columns: ['amount'], k: 3, seed: 2 });
      return assignSql.includes(table) ? fit : undefined;
    },
  },
  {
    name: 'frequentItemsetsInSql',
    source: 'basket_items',
    run: async (connection, table) => {
      const itemsets = await frequentItemsetsInSql(connection, { table, minSupport: 0.02, maxLength: 3 });
      return itemsets.toArray().map((r) => `${[...r.items].join(' + ')}: ${r.count}`);
    },
  },
];

/** Deep equality with doubles within 1e-9 relative; Arrow tables row by row (expectSameRows). */
function expectClose(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'number' && Number.isFinite(expected)) {
    expect(Math.abs((actual as number) - expected), at).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
  } else if (expected !== null && typeof expected === 'object' && 'schema' in expected && 'numRows' in expected) {
    expectSameRows(actual as Table, expected as Table);
  } else if (expected !== null && typeof expected === 'object' && !(expected instanceof Date)) {
    const keys = Object.keys(expected);
    expect(Object.keys(actual as object), at).toEqual(keys);
    for (const k of keys)
      expectClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${at}.${k}`);
  } else expect(actual, at).toEqual(expected);
}

/** The 2-itemset rules of the in-process miner in basketPairs' shape (one antecedent, one consequent). */
function pairRules(items: Table, minSupport: number): Table {
  const rules = associationRules(frequentItemsets(baskets(items), { minSupport, maxLength: 2 }), {
    minConfidence: 0,
    measures: ['support', 'confidence', 'lift', 'count'],
  });
  const rows = Array.from({ length: rules.numRows }, (_, i) => rules.get(i)!);
  return tableWithMetadata(
    {
      antecedent: stringVector(rows.map((r) => String(r.antecedent.get(0)))),
      consequent: stringVector(rows.map((r) => String(r.consequent.get(0)))),
      support: numberVector(Float64Array.from(rows, (r) => r.support as number)),
      confidence: numberVector(Float64Array.from(rows, (r) => r.confidence as number)),
      lift: numberVector(Float64Array.from(rows, (r) => r.lift as number)),
      count: numberVector(Int32Array.from(rows, (r) => r.count as number)),
    },
    {},
  );
}

/**
 * Creates, in this process's schema, the plain table `name`, and `name_sharded` partitioned by HASH of its key over
 * PARTITIONS foreign tables, partition p on shard p mod 2 (as table `name_p<p>` in the same schema there).
 */
async function createTables(name: Source): Promise<void> {
  const { columns, key } = TABLES[name];
  const schema = coordinator!.schema;
  const pg = coordinator!.client;
  for (let p = 0; p < PARTITIONS; p++)
    await shards[p % shards.length].query(`CREATE TABLE ${schema}.${name}_p${p} (${columns})`);
  await pg.query(`CREATE TABLE ${name} (${columns})`);
  await pg.query(`CREATE TABLE ${name}_sharded (${columns}) PARTITION BY HASH (${key})`);
  for (let p = 0; p < PARTITIONS; p++) {
    await pg.query(
      `CREATE FOREIGN TABLE ${name}_sharded_${p} PARTITION OF ${name}_sharded ` +
        `FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${p}) ` +
        `SERVER ${shardSpecs[p % shards.length].server} OPTIONS (schema_name '${schema}', table_name '${name}_p${p}')`,
    );
  }
}

const isoDay = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

/** Replaces the rows of both copies of `name`: the plain one from arrays, the sharded one through the coordinator. */
async function load(name: Source, rows: unknown[][]): Promise<void> {
  const pg = coordinator!.client;
  const types = TABLES[name].columns.split(', ').map((c) => c.split(' ').slice(1).join(' '));
  const unnest = types.map((t, j) => `$${j + 1}::${t}[]`).join(', ');
  await pg.query(`TRUNCATE ${name}, ${name}_sharded`);
  await pg.query(`INSERT INTO ${name} SELECT * FROM unnest(${unnest})`, rows);
  await pg.query(`INSERT INTO ${name}_sharded SELECT * FROM ${name}`);
}

/** The rows of each table as SQL parameter arrays (columns), from their in-process tables. */
function salesColumns(t: Table): unknown[][] {
  const col = (c: string) => Array.from({ length: t.numRows }, (_, i) => t.getChild(c)?.get(i) ?? null);
  return [
    t.getChild('transaction') ? col('transaction') : col('customer').map(() => null),
    col('customer'),
    col('date').map((d) => isoDay(d as number | null)),
    col('amount'),
  ];
}

function itemColumns(t: Table): unknown[][] {
  return ['transaction', 'item'].map((c) => Array.from({ length: t.numRows }, (_, i) => t.getChild(c)?.get(i) ?? null));
}

async function loadData(data: Data): Promise<void> {
  await load('sales', salesColumns(data.sales));
  await load('basket_items', itemColumns(data.basket_items));
}

/** Whether an in-process call throws (every row dropped): then only sharded and plain are compared. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Runs every case on the sharded and the plain table and compares them with each other and with in-process. */
async function expectShardedEqual(data: Data): Promise<void> {
  const connection = coordinator!.client as unknown as SqlConnection;
  for (const c of CASES) {
    const sharded = await runSql(connection, c.analysis, { ...c.options, table: `${c.source}_sharded` });
    const plain = await runSql(connection, c.analysis, { ...c.options, table: c.source });
    expectSameRows(sharded, plain);
    expect(Object.fromEntries(sharded.schema.metadata), c.analysis).toEqual(Object.fromEntries(plain.schema.metadata));
    const expected = c.inProcess && attempt(() => c.inProcess!(data[c.source]));
    if (expected) expectSameRows(sharded, expected, c.sortBy);
  }
}

beforeAll(async () => {
  if (!coordinator) return;
  const { default: pg } = await import('pg');
  for (const { url } of shardSpecs) {
    const shard = new pg.Client({ connectionString: url });
    await shard.connect();
    shards.push(shard);
    await shard.query(`DROP SCHEMA IF EXISTS ${coordinator.schema} CASCADE; CREATE SCHEMA ${coordinator.schema}`);
  }
  // the GROUP BY on the partition key runs per partition, hence on the shard (off by default in PostgreSQL)
  await coordinator.client.query('SET enable_partitionwise_aggregate = on; SET enable_partitionwise_join = on');
  await createTables('sales');
  await createTables('basket_items');
});

afterAll(async () => {
  if (!coordinator) return;
  await coordinator.close();
  for (const shard of shards) {
    await shard.query(`DROP SCHEMA IF EXISTS ${coordinator.schema} CASCADE`).catch(() => undefined);
    await shard.end();
  }
});

describe.skipIf(!coordinator)(
  'PostgreSQL sharded over two servers (postgres_fdw partitions) equals one server and in-process',
  () => {
    beforeAll(async () => {
      if (coordinator) await loadData({ sales: store.transactions, basket_items: store.basketItems });
    });

    it('routes the sample store through the coordinator to both shards, every row once', async () => {
      for (const name of Object.keys(TABLES) as Source[]) {
        const held = await Promise.all(
          shards.map(async (shard, s) => {
            let n = 0;
            for (let p = s; p < PARTITIONS; p += shards.length) {
              const r = await shard.query(`SELECT COUNT(*) AS n FROM ${coordinator!.schema}.${name}_p${p}`);
              n += Number(r.rows[0].n);
            }
            return n;
          }),
        );
        for (const n of held) expect(n, name).toBeGreaterThan(0);
        const total = name === 'sales' ? store.transactions.numRows : store.basketItems.numRows;
        const routed = held.reduce((a, b) => a + b, 0);
        expect(routed, name).toBe(total);
      }
    });

    it('every analysis on the sample store: sharded equals plain equals in-process', async () => {
      await expectShardedEqual({ sales: store.transactions, basket_items: store.basketItems });
    });

    it('EXPLAIN VERBOSE: the per-customer GROUP BY runs on the shards (Foreign Scan with remote aggregate SQL)', async () => {
      const pg = coordinator!.client;
      await pg.query('ANALYZE sales_sharded, basket_items_sharded');
      for (const c of CASES) {
        const sql = toSql(c.analysis, { ...c.options, table: `${c.source}_sharded`, dialect: 'postgres' });
        const plan = (await pg.query(`EXPLAIN VERBOSE ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
        const remote = plan.split('\n').filter((l) => l.includes('Remote SQL:'));
        // every scan of the table reads each partition through its shard
        expect(remote.length, c.analysis).toBeGreaterThan(0);
        expect(remote.length % PARTITIONS, c.analysis).toBe(0);
        const aggregated = remote.filter((l) => / GROUP BY /.test(l)).length;
        if (c.pushed !== undefined) {
          expect(aggregated, `${c.analysis}: partitions aggregated on their shard`).toBe(
            c.pushed === 'aggregate' ? PARTITIONS : 0,
          );
        }
        if (c.pushed === 'aggregate') expect(plan).toContain('Relations: Aggregate on');
        // the partitions on the two shards are read at once (the servers' async_capable)
        const scans = plan.split('\n').filter((l) => l.includes('Foreign Scan'));
        // (where the partitions are appended as they come; a sorted Merge Append, as the CLV statements' per-customer
        // walk takes, reads them one after the other)
        if (c.pushed !== undefined) for (const line of scans) expect(line, c.analysis).toContain('Async Foreign Scan');
        // the admission filter always runs on the shards
        for (const line of remote) expect(line, c.analysis).toMatch(/ WHERE .*IS NOT NULL/);
      }
    });

    it.skipIf(DRIVERS.length === 0)('every driver on the sample store: sharded equals plain', async () => {
      const connection = coordinator!.client as unknown as SqlConnection;
      for (const driver of DRIVERS) {
        const sharded = await driver.run(connection, `${driver.source}_sharded`);
        expectClose(sharded, await driver.run(connection, driver.source), driver.name);
      }
    });

    it('property: sharded equals plain and in-process on logs with heavy ties, nulls, NaN and ±Infinity', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              customer: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { freq: 12 }),
              // days from 2023-11-20 over about 15 months, many equal
              date: fc.option(
                fc.integer({ min: 0, max: 450 }).map((k) => (19681 + k - (k % 7)) * DAY),
                { freq: 12 },
              ),
              amount: fc.oneof(
                { weight: 12, arbitrary: fc.integer({ min: -2, max: 8 }).map((a) => a * 2.5) },
                { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, -Infinity) },
              ),
              basket: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 15 }),
              item: fc.option(fc.constantFrom('beer', 'chips', 'diapers', 'milk', 'bread'), { freq: 15 }),
            }),
            { minLength: 1, maxLength: 60 },
          ),
          async (rows) => {
            const data = {
              sales: asTable({
                customer: rows.map((r) => r.customer),
                date: rows.map((r) => (r.date === null ? null : new Date(r.date))),
                amount: rows.map((r) => r.amount),
              }),
              basket_items: asTable({ transaction: rows.map((r) => r.basket), item: rows.map((r) => r.item) }),
            };
            await loadData(data);
            await expectShardedEqual(data);
          },
        ),
        { numRuns: 6, seed: 20 },
      );
    });
  },
);
