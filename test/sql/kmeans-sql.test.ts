import fc from 'fast-check';
import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { customerSummary } from '../../src/api/rfm';
import { kmeans } from '../../src/api/segment';
import { sampleStore } from '../../src/sample/sample-store';
import { kmeansInSql } from '../../src/sql/index';
import type { KMeansInSqlOptions, SqlConnection, SqlDialect, SqlSegmentation } from '../../src/sql/index';
import { dialectOf } from '../../src/sql/dialect';
import {
  assignSql,
  candidateWeightsSql,
  firstPointSql,
  lloydStepSql,
  samplingRoundSql,
} from '../../src/sql/kmeans-sql-text';
import type { KMeansFrame } from '../../src/sql/kmeans-sql-text';
import { placeSource, SOURCE_MARK } from '../../src/sql/options';
import type { Segmentation } from '../../src/segment/index';
import { kmeansPlusPlus } from '../../src/segment/internal';
import { randomSource } from '../../src/math/internal';
import { postgresClient } from '../helpers/postgres';
import { loadDuckTable } from './helpers';
import type { SqlColumnSpec } from './helpers';

/**
 * kmeansInSql equals in-process kmeans: from the same initial centroids, the centroids, sizes and inertia of the
 * engine's Lloyd loop (a real embedded DuckDB, and a real PostgreSQL when CLIENTELE_PG_URL is set) are those of
 * `kmeans(table, { init })` within 1e-9 relative, with the same iterations, convergence and drop counts — on the
 * sample store's customer features and on generated rows with heavy ties, nulls, NaN and ±Infinity. The k-means‖
 * seeding recovers well-separated generated clusters exactly. assignSql's labels give the result's sizes. The Spark
 * and BigQuery texts parse and equal the tested DuckDB text token by token up to the dialects' spellings.
 */
const duckdb = await import('@duckdb/node-api');
let instance: DuckDBInstance;
let con: DuckDBConnection;

const store = sampleStore({ customers: 300, seed: 5 });
const summary = customerSummary(store.transactions, { customer: 'customer', date: 'date', amount: 'amount' });
const FEATURES = ['recency', 'frequency', 'monetary'];

/** A table's columns as plain arrays. */
function columnsOf(table: { getChild(n: string): { toArray(): ArrayLike<unknown> } | null }, names: string[]) {
  return Object.fromEntries(names.map((n) => [n, Array.from(table.getChild(n)!.toArray()) as unknown[]]));
}
const customers = columnsOf(summary, ['customer', ...FEATURES]) as Record<string, (string | number | null)[]>;

/** Generated rows: few distinct integer values (ties everywhere), some null, NaN and ±Infinity features. */
const rowsArbitrary = fc
  .array(
    fc.record({
      x: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 6 }) },
        { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY) },
      ),
      y: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: -3, max: 3 }).map((v) => v * 1.5) },
        { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.NEGATIVE_INFINITY) },
      ),
    }),
    { minLength: 8, maxLength: 60 },
  )
  .map((rows) => ({ x: rows.map((r) => r.x), y: rows.map((r) => r.y) }));

beforeAll(async () => {
  instance = await duckdb.DuckDBInstance.create(':memory:');
  con = await instance.connect();
  await loadDuckTable(con, 'customers', {
    customer: { type: 'VARCHAR', values: customers.customer },
    recency: { type: 'INTEGER', values: customers.recency },
    frequency: { type: 'INTEGER', values: customers.frequency },
    monetary: { type: 'DOUBLE', values: customers.monetary },
  });
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

const close = (a: number, b: number, what: string) => {
  if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(b), 1e-300)) expect(a, what).toBe(b);
};

/** The engine's result equals the in-process segmentation: centroids, sizes, inertia, iterations, rows. */
function expectSame(got: SqlSegmentation, want: Segmentation): void {
  expect(got.k).toBe(want.k);
  expect(got.iterations).toBe(want.iterations);
  expect(got.converged).toBe(want.converged);
  expect(got.sizes).toEqual(Array.from(want.sizes));
  want.centroids.forEach((c, j) => c.forEach((v, t) => close(got.centroids[j][t], v, `centroid ${j}.${t}`)));
  want.scaledCentroids.forEach((c, j) =>
    c.forEach((v, t) => {
      if (Math.abs(got.scaledCentroids[j][t] - v) > 1e-9 * Math.max(1, Math.abs(v)))
        expect(got.scaledCentroids[j][t], `scaled ${j}.${t}`).toBe(v);
    }),
  );
  close(got.inertia, want.inertia, 'inertia');
  want.scaling.center.forEach((v, t) => close(got.scaling.center[t], v, `center ${t}`));
  want.scaling.scale.forEach((v, t) => close(got.scaling.scale[t], v, `scale ${t}`));
  expect({ rows: got.rows.rows, kept: got.rows.kept, dropped: got.rows.dropped }).toEqual({
    rows: want.rows.rows,
    kept: want.rows.kept,
    dropped: want.rows.dropped,
  });
  expect(got.warnings).toEqual(want.warnings.map((w) => w.replace(/^kmeans:/, 'kmeansInSql:')));
}

/** k starting centroids: k distinct complete rows of the columns, spread over the table. */
function startRows(columns: Record<string, readonly unknown[]>, names: string[], k: number): number[][] {
  const n = columns[names[0]].length;
  const seen = new Set<string>();
  const out: number[][] = [];
  for (let s = 0; s < n && out.length < k; s++) {
    const i = (s * 7919) % n;
    const row = names.map((c) => columns[c][i] as number | null);
    if (row.some((v) => v === null || !Number.isFinite(v))) continue;
    if (seen.has(row.join())) continue;
    seen.add(row.join());
    out.push(row as number[]);
  }
  return out;
}

/** Segment counts of assignSql's rows (NULL under 'null'). */
async function assignedCounts(connection: DuckDBConnection, sql: string): Promise<Record<string, number>> {
  const reader = await connection.runAndReadAll(`SELECT segment, COUNT(*) AS n FROM (${sql}) AS a GROUP BY segment`);
  const [segments, counts] = reader.getColumnsJS();
  return Object.fromEntries(segments.map((s, q) => [String(s), Number(counts[q])]));
}

describe('kmeansInSql on DuckDB equals in-process kmeans from the same initial centroids', () => {
  it.each(['zscore', 'minmax', 'none'] as const)(
    'sample store RFM features, standardize %s, k = 4',
    async (standardize) => {
      const initial = startRows(customers, FEATURES, 4);
      const want = kmeans(summary, { columns: FEATURES, k: 4, init: initial, standardize });
      const got = await kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 4, initial, standardize });
      expectSame(got, want);
      expect(got.totalSS - got.betweenSS).toBeCloseTo(got.inertia, 9);
    },
  );

  it('generated rows with ties, nulls, NaN and ±Infinity (standardize none and zscore, k = 1 … 4)', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, fc.integer({ min: 1, max: 4 }), async (data, k) => {
        await loadDuckTable(con, 'generated', {
          x: { type: 'DOUBLE', values: data.x },
          y: { type: 'DOUBLE', values: data.y },
        });
        const initial = startRows(data, ['x', 'y'], k);
        if (initial.length < k) return; // fewer distinct complete rows than k
        for (const standardize of ['none', 'zscore'] as const) {
          const want = kmeans(data, { columns: ['x', 'y'], k, init: initial, standardize });
          const got = await kmeansInSql(con, { table: 'generated', columns: ['x', 'y'], k, initial, standardize });
          expectSame(got, want);
          const counts = await assignedCounts(con, got.assignSql);
          expect(counts.null ?? 0).toBe(got.rows.total);
          got.sizes.forEach((size, j) => expect(counts[String(j)] ?? 0).toBe(size));
        }
      }),
      { numRuns: 10 },
    );
  });

  it('a runner around the same DuckDB gives the same result as the connection', async () => {
    const runner = {
      dialect: 'duckdb' as const,
      run: async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJS(),
    };
    const options: KMeansInSqlOptions = {
      table: 'customers',
      columns: FEATURES,
      k: 3,
      initial: startRows(customers, FEATURES, 3),
    };
    const direct = await kmeansInSql(con, options);
    const viaRunner = await kmeansInSql(runner as unknown as SqlConnection, options);
    expect(viaRunner.centroids).toEqual(direct.centroids);
    expect(viaRunner.sizes).toEqual(direct.sizes);
    expect(viaRunner.statements).toBe(direct.statements);
  });
});

/** Points around `centres` (well separated), each cluster's rows in a block, with an id, a null and a NaN row. */
function separatedClusters(perCluster: number) {
  const centres = [
    [0, 0, 0],
    [100, 0, 0],
    [0, 100, 0],
    [0, 0, 100],
    [100, 100, 100],
  ];
  const id: number[] = [];
  const truth: number[] = [];
  const cols: (number | null)[][] = [[], [], []];
  let next = 0;
  centres.forEach((c, j) => {
    for (let i = 0; i < perCluster; i++) {
      // a deterministic spread in a ±2 box: ties between clusters are impossible
      const u = [(i * 0.618034) % 1, (i * 0.414214) % 1, (i * 0.732051) % 1];
      c.forEach((v, t) => cols[t].push(v + 4 * u[t] - 2));
      id.push(next++);
      truth.push(j);
    }
  });
  id.push(next++, next++);
  truth.push(-1, -1);
  cols[0].push(null, Number.NaN);
  cols[1].push(1, 2);
  cols[2].push(3, 4);
  return { id, truth, a: cols[0], b: cols[1], c: cols[2] };
}

describe('kmeansInSql k-means‖ seeding', () => {
  const data = separatedClusters(60);
  const load = () =>
    loadDuckTable(con, 'blobs', {
      id: { type: 'INTEGER', values: data.id },
      a: { type: 'DOUBLE', values: data.a },
      b: { type: 'DOUBLE', values: data.b },
      c: { type: 'DOUBLE', values: data.c },
    });

  it('recovers five well-separated clusters exactly; inertia equals in-process k-means++ (factor 1 + 1e-9)', async () => {
    await load();
    const inProcess = kmeans(data, { columns: ['a', 'b', 'c'], k: 5, seed: 2 });
    for (const seed of [1, 2]) {
      const got = await kmeansInSql(con, { table: 'blobs', columns: ['a', 'b', 'c'], k: 5, id: 'id', seed });
      expect(got.sizes.reduce((a, b) => a + b, 0)).toBe(got.rows.kept);
      expect(got.rows).toMatchObject({ rows: 302, kept: 300, dropped: { invalidValue: 2 } });
      expect(got.inertia).toBeLessThanOrEqual(inProcess.inertia * (1 + 1e-9));
      // the labels, written in the engine: every true cluster is exactly one segment
      const reader = await con.runAndReadAll(`SELECT id, segment FROM (${got.assignSql}) AS a ORDER BY id`);
      const [ids, segments] = reader.getColumnsJS();
      const segmentOf = new Map<number, number>();
      ids.forEach((i, q) => {
        const truth = data.truth[Number(i)];
        if (truth < 0) return expect(segments[q]).toBeNull();
        if (!segmentOf.has(truth)) segmentOf.set(truth, Number(segments[q]));
        expect(Number(segments[q])).toBe(segmentOf.get(truth));
      });
      expect(new Set(segmentOf.values()).size).toBe(5);
    }
  });

  it('on the sample store: sizes sum to the kept rows; inertia within 1.25 × in-process (10 runs of k-means++)', async () => {
    const inProcess = kmeans(summary, { columns: FEATURES, k: 5, seed: 1 });
    const got = await kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 5, id: 'customer', nInit: 2 });
    expect(got.sizes.reduce((a, b) => a + b, 0)).toBe(summary.numRows);
    expect(got.runs).toHaveLength(2);
    expect(got.inertia).toBeLessThanOrEqual(inProcess.inertia * 1.25);
    const counts = await assignedCounts(con, got.assignSql);
    got.sizes.forEach((size, j) => expect(counts[String(j)]).toBe(size));
  });
});

describe('weighted k-means++ (k-means‖ step 8 reclusters weighted candidates)', () => {
  const points = Float64Array.from({ length: 60 * 2 }, (_, i) => ((i * 7919) % 101) / 10);
  it('weights times a power of two give the same seeds bit for bit (only ratios of weights count)', () => {
    const weights = Float64Array.from({ length: 60 }, (_, i) => 1 + (i % 7));
    const once = kmeansPlusPlus(points, 60, 2, 5, randomSource(3), undefined, weights).centers;
    const scaled = kmeansPlusPlus(
      points,
      60,
      2,
      5,
      randomSource(3),
      undefined,
      weights.map((w) => w * 1024),
    ).centers;
    expect(Array.from(scaled)).toEqual(Array.from(once));
  });
  it('a point of weight 0 is never a seed; the heaviest points are', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const weights = Float64Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 0 : i < 30 ? 1 : 1e6));
        const seeds = kmeansPlusPlus(points, 60, 2, 4, randomSource(seed), undefined, weights).centers;
        for (let j = 0; j < 4; j++) {
          const at = Array.from({ length: 60 }, (_, i) => i).filter(
            (i) => points[2 * i] === seeds[2 * j] && points[2 * i + 1] === seeds[2 * j + 1],
          );
          // the seed is one of the points, and some point at that place has a positive weight
          expect(at.some((i) => weights[i] > 0)).toBe(true);
        }
        // the first seed is drawn in proportion to the weights: a point holding nearly all of it is chosen
        const heavy = Float64Array.from({ length: 60 }, (_, i) => (i === 17 ? 1e12 : 1));
        const first = kmeansPlusPlus(points, 60, 2, 1, randomSource(seed), undefined, heavy).centers;
        expect(Array.from(first)).toEqual([points[34], points[35]]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('kmeansInSql refuses bad input', () => {
  it('unknown options, k above the rows kept, no complete row', async () => {
    await expect(kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 2, kk: 3 } as never)).rejects.toThrow(
      /unknown option kk/,
    );
    await expect(kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 10_000 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(
      kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 2, initial: [[1, 2, 3]] }),
    ).rejects.toThrow(/option initial must be 2 centroids of 3 finite numbers/);
    await expect(
      kmeansInSql(con, { table: 'customers', columns: FEATURES, k: 2, initial: 'random' as never }),
    ).rejects.toThrow(/option initial must be k centroids/);
    await loadDuckTable(con, 'gaps', { x: { type: 'DOUBLE', values: [null, Number.NaN] } });
    await expect(kmeansInSql(con, { table: 'gaps', columns: ['x'], k: 1 })).rejects.toMatchObject({
      code: 'EMPTY_INPUT',
    });
    await expect(
      kmeansInSql(con, { table: 'customers', columns: ['recency"; DROP TABLE x; --'], k: 2 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

/** Creates table `name` on PostgreSQL from columns (doubles written in shortest round-trip form). */
async function loadPostgres(
  client: { query(sql: string): Promise<unknown> },
  name: string,
  columns: Record<string, SqlColumnSpec>,
): Promise<void> {
  const entries = Object.entries(columns);
  const type = (t: SqlColumnSpec['type']) => (t === 'DOUBLE' ? 'DOUBLE PRECISION' : t);
  const cell = (v: string | number | null, t: SqlColumnSpec['type']) =>
    v === null
      ? 'NULL'
      : t === 'VARCHAR'
        ? `'${String(v).replace(/'/g, "''")}'`
        : Number.isFinite(v)
          ? `CAST('${v}' AS ${type(t)})`
          : `CAST('${Number.isNaN(v) ? 'NaN' : (v as number) > 0 ? 'Infinity' : '-Infinity'}' AS ${type(t)})`;
  const n = entries[0][1].values.length;
  const rows = Array.from({ length: n }, (_, i) => `(${entries.map(([, s]) => cell(s.values[i], s.type)).join(', ')})`);
  await client.query(`DROP TABLE IF EXISTS ${name}`);
  await client.query(`CREATE TABLE ${name} (${entries.map(([c, s]) => `"${c}" ${type(s.type)}`).join(', ')})`);
  await client.query(`INSERT INTO ${name} VALUES ${rows.join(',\n')}`);
}

const pg = await postgresClient('kmeans');
afterAll(async () => pg?.close());

describe.skipIf(!pg)('kmeansInSql on PostgreSQL equals in-process kmeans from the same initial centroids', () => {
  it.each(['zscore', 'none'] as const)('sample store RFM features, standardize %s, k = 4', async (standardize) => {
    await loadPostgres(pg!.client, 'customers', {
      customer: { type: 'VARCHAR', values: customers.customer },
      recency: { type: 'INTEGER', values: customers.recency },
      frequency: { type: 'INTEGER', values: customers.frequency },
      monetary: { type: 'DOUBLE', values: customers.monetary },
    });
    const initial = startRows(customers, FEATURES, 4);
    const want = kmeans(summary, { columns: FEATURES, k: 4, init: initial, standardize });
    const got = await kmeansInSql(pg!.client, { table: 'customers', columns: FEATURES, k: 4, initial, standardize });
    expectSame(got, want);
  });

  it('generated rows with ties, nulls, NaN and ±Infinity; assignSql labels give the sizes', async () => {
    const samples = fc.sample(rowsArbitrary, { numRuns: 6 });
    for (const [q, data] of samples.entries()) {
      await loadPostgres(pg!.client, 'generated', {
        x: { type: 'DOUBLE', values: data.x },
        y: { type: 'DOUBLE', values: data.y },
      });
      const k = 1 + (q % 3);
      const initial = startRows(data, ['x', 'y'], k);
      if (initial.length < k) continue;
      const want = kmeans(data, { columns: ['x', 'y'], k, init: initial, standardize: 'none' });
      const got = await kmeansInSql(pg!.client, {
        table: 'generated',
        columns: ['x', 'y'],
        k,
        initial,
        standardize: 'none',
      });
      expectSame(got, want);
      const { rows } = (await pg!.client.query(
        `SELECT segment, COUNT(*) AS n FROM (${got.assignSql}) AS a GROUP BY segment`,
      )) as { rows: { segment: number | null; n: string }[] };
      const counts = Object.fromEntries(rows.map((r) => [String(r.segment), Number(r.n)]));
      expect(counts.null ?? 0).toBe(got.rows.total);
      got.sizes.forEach((size, j) => expect(counts[String(j)] ?? 0).toBe(size));
    }
  });

  it('k-means‖ seeding on PostgreSQL recovers the separated clusters', async () => {
    const data = separatedClusters(40);
    await loadPostgres(pg!.client, 'blobs', {
      id: { type: 'INTEGER', values: data.id },
      a: { type: 'DOUBLE', values: data.a },
      b: { type: 'DOUBLE', values: data.b },
      c: { type: 'DOUBLE', values: data.c },
    });
    const got = await kmeansInSql(pg!.client, { table: 'blobs', columns: ['a', 'b', 'c'], k: 5, id: 'id' });
    const inProcess = kmeans(data, { columns: ['a', 'b', 'c'], k: 5, seed: 1 });
    expect(got.inertia).toBeLessThanOrEqual(inProcess.inertia * (1 + 1e-9));
    expect([...got.sizes].sort()).toEqual([40, 40, 40, 40, 40]);
  });
});

/** The Spark and BigQuery texts, checked as test/sql/dialects.test.ts checks toSql's. */
const { Parser } = sqlParser as unknown as {
  Parser: new () => { astify(sql: string, o: { database: string }): unknown };
};
const parser = new Parser();

/** The text with the dialect's spellings (quotes, type names, sum, NaN test) replaced by DuckDB's. */
function normalise(sql: string, dialect: SqlDialect): string {
  let s = sql;
  if (dialect === 'duckdb') return s.replace(/fsum\(/g, 'SUM(');
  if (dialect === 'spark') {
    s = s.replace(/\(isnan\((\w+)\) OR abs\(\1\) = double\('infinity'\)\)/g, 'NOT isfinite($1)');
    s = s.replace(/\(isnan\((CAST\(`\w+` AS DOUBLE\))\) OR abs\(\1\) = double\('infinity'\)\)/g, 'NOT isfinite($1)');
  }
  if (dialect === 'bigquery') {
    s = s.replace(/\(IS_NAN\((\w+)\) OR IS_INF\(\1\)\)/g, 'NOT isfinite($1)');
    s = s.replace(/\bFLOAT64\b/g, 'DOUBLE');
  }
  return s.replace(/`/g, '"');
}

const tokens = (sql: string) => sql.match(/"[^"]*"|'[^']*'|\d[\w.+-]*|\w+|[^\s\w]/g) ?? [];

function frameFor(dialect: SqlDialect, id?: string): KMeansFrame {
  const d = dialectOf(dialect, 'test');
  const ctx = {
    d,
    source: SOURCE_MARK,
    sourceText: d.ident('customers'),
    options: { table: 'customers' },
    fn: 'test',
    column: () => '',
  };
  return { ctx, features: FEATURES.map((c) => d.ident(c)), id: id === undefined ? undefined : d.ident(id) };
}

describe('kmeansInSql texts for Spark and BigQuery', () => {
  const scaling = { center: [10.5, 2, 123.25], inverse: [0.1, 0.5, 1 / 3] };
  const centres = Float64Array.from([0.5, -1, 2, 1e-7, 3, -0.25, 4, 5, 6]);
  const previous = Float64Array.from([0.4, -1, 2, 1e-7, 3, -0.5, 4, 5.5, 6]);
  const texts = {
    'a Lloyd step': (dialect: SqlDialect) =>
      placeSource(lloydStepSql(frameFor(dialect), scaling, centres, previous), frameFor(dialect).ctx),
    'assignSql with an id': (dialect: SqlDialect) =>
      placeSource(assignSql(frameFor(dialect, 'customer'), scaling, centres), frameFor(dialect).ctx),
    'assignSql without an id': (dialect: SqlDialect) =>
      placeSource(assignSql(frameFor(dialect), scaling, centres), frameFor(dialect).ctx),
  };
  it.each(Object.keys(texts))('%s parses (hive, bigquery) and equals the DuckDB text token by token', async (name) => {
    const build = texts[name as keyof typeof texts];
    const duck = build('duckdb');
    // the DuckDB text is the tested one: it runs
    await con.runAndReadAll(duck.replace(/"customers"/g, '"customers"'));
    for (const [dialect, database] of [
      ['spark', 'hive'],
      ['bigquery', 'bigquery'],
    ] as const) {
      const text = build(dialect);
      expect(() => parser.astify(text, { database }), dialect).not.toThrow();
      expect(tokens(normalise(text, dialect))).toEqual(tokens(normalise(duck, 'duckdb')));
    }
  });

  it('the k-means‖ statements (first row, a sampling round, candidate weights) parse, with and without an id', () => {
    for (const [dialect, database] of [
      ['spark', 'hive'],
      ['bigquery', 'bigquery'],
    ] as const) {
      for (const id of [undefined, 'customer']) {
        const frame = frameFor(dialect, id);
        const built = [
          firstPointSql(frame, scaling, 5),
          samplingRoundSql(frame, scaling, centres, 6, 77),
          candidateWeightsSql(frame, scaling, centres),
        ];
        for (const sql of built) {
          const text = placeSource(sql, frame.ctx);
          expect(() => parser.astify(text, { database }), `${dialect} ${text.slice(-80)}`).not.toThrow();
        }
      }
    }
  });
});
