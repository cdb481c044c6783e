/**
 * k-means in the engine (issue 20): `kmeansInSql` on an embedded DuckDB against in-process `kmeans`, on the same
 * 1M generated points (`gaussianBlobs`, 3 features, 8 seeded centres, z-scored), k = 8, `standardize: 'none'`.
 *
 * 1. Data: the blobs' columns go into a DuckDB table `blobs (f0, f1, f2)` through DuckDB's appender (not timed).
 * 2. Cases, interleaved in rounds (round r runs every case once, so a busy machine slows all of them alike), then
 *    the median of each; one warm-up round first:
 *    - `kmeans`: in-process, `{ k: 8, seed: 1, nInit: 1 }` (greedy k-means++, Hamerly's Lloyd);
 *    - `kmeansInSql`: DuckDB, `{ k: 8, seed: 1 }` (k-means‖ ℓ = 16, 5 rounds, one statement per Lloyd step);
 *    - `kmeansInSql` from in-process's seeds (`initial`): the Lloyd statements alone, to compare per iteration.
 *    Each row reports the inertia, iterations and statements; the per-statement time is the time / statements.
 *
 * Run: `npx tsx --expose-gc benchmarks/kmeans-sql.bench.ts [--rows 1e6] [--rounds 3]`. Prints a markdown section
 * (the lead records it in RESULTS.md).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { kmeans, kmeansInSql } from '../src/index';
import type { Segmentation, SqlSegmentation } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms, timed } from './harness';
import { gaussianBlobs } from './kmeans-data';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROWS = option('rows', 1e6);
const ROUNDS = option('rounds', 3);
const K = 8;

const blobs = gaussianBlobs(ROWS, 3);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run('CREATE TABLE blobs (f0 DOUBLE, f1 DOUBLE, f2 DOUBLE)');
const appender = await con.createAppender('blobs');
const [f0, f1, f2] = blobs.names.map((n) => blobs.columns[n]);
for (let i = 0; i < ROWS; i++) {
  appender.appendDouble(f0[i]);
  appender.appendDouble(f1[i]);
  appender.appendDouble(f2[i]);
  appender.endRow();
}
appender.closeSync();

const columns = [...blobs.names];
const inProcess = () => kmeans(blobs.columns, { columns, k: K, seed: 1, nInit: 1, standardize: 'none' });
const seeds = inProcess();
type Result = Segmentation | SqlSegmentation;
const cases: [string, () => Result | Promise<Result>][] = [
  ['kmeans (in-process, k-means++, nInit 1)', inProcess],
  [
    'kmeansInSql (DuckDB, k-means‖)',
    () => kmeansInSql(con, { table: 'blobs', columns, k: K, seed: 1, standardize: 'none' }),
  ],
  [
    'kmeansInSql (DuckDB, from the in-process seeds: Lloyd only)',
    () =>
      kmeansInSql(con, {
        table: 'blobs',
        columns,
        k: K,
        standardize: 'none',
        initial: seeds.centroids.map((c) => [...c]),
      }),
  ],
];

const times = cases.map(() => [] as number[]);
const last: Result[] = [];
for (let round = 0; round <= ROUNDS; round++) {
  for (const [q, [, run]] of cases.entries()) {
    collectGarbage();
    const { ms: t, value } = await timed(run);
    if (round > 0) times[q].push(t); // round 0 warms up
    last[q] = value;
  }
}
const rows = cases.map(([name], q) => {
  const r = last[q];
  const statements = 'statements' in r ? r.statements : 0;
  const t = median(times[q]);
  return [
    name,
    ms(t),
    r.inertia.toFixed(1),
    String(r.iterations),
    statements ? String(statements) : '–',
    statements ? ms(t / statements) : '–',
  ];
});
const body =
  `\`npx tsx --expose-gc benchmarks/kmeans-sql.bench.ts --rows ${ROWS} --rounds ${ROUNDS}\`; ${machine()}; ` +
  `${new Date().toISOString().slice(0, 10)}. ${ROWS} rows × 3 features, k = ${K}, median of ${ROUNDS} interleaved rounds.\n\n` +
  markdownTable(['case', 'ms', 'inertia', 'iterations', 'statements', 'ms / statement'], rows);
console.log(`## k-means in the engine (issue 20)\n\n${body}`);
con.closeSync();
instance.closeSync();
