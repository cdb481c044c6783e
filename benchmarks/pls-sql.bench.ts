/**
 * PLS path models from moments computed in DuckDB (issue 20): `plsPathModelInSql` (the moments statement, the
 * drop-count statement and the fit in-process) against in-process `plsPathModel` on the same generated survey,
 * and the Poisson bootstrap with B = 200 replicates in the engine.
 *
 * 1. Data: `sampleSurvey({ respondents, seed: 1 })` (ACSI model, 14 integer answers on 1–10), written to a
 *    temporary CSV and loaded into an in-memory DuckDB table (not timed).
 * 2. In-process: `plsPathModel(survey, model)` on the Arrow table (median of 3).
 * 3. SQL: `plsPathModelInSql(connection, model, { table })` (median of 3), and the largest difference of the path
 *    coefficients from the in-process ones.
 * 4. Bootstrap: `plsPathModelInSql(…, { key: 'respondent', bootstrap: 200 })` once, on the first 10^4, 10^5 and
 *    10^6 respondents (`--boot-respondents`).
 *
 * Run: `npx tsx benchmarks/pls-sql.bench.ts [--respondents 1e6] [--replicates 200] [--boot-respondents 1e4,1e5,1e6]`;
 * prints a Markdown table row by row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { acsiModel, plsPathModel, plsPathModelInSql, sampleSurvey } from '../src/index';
import { machine, medianOf, ms, timed } from './harness';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const respondents = Number(argument('--respondents') ?? 1e6);
const replicates = Number(argument('--replicates') ?? 200);
const bootSizes = (argument('--boot-respondents') ?? '1e4,1e5,1e6').split(',').map(Number);

const { survey, truth } = sampleSurvey({ respondents, seed: 1 });
const model = acsiModel(truth.blocks);
const names = survey.schema.fields.map((f) => f.name);
const columns = names.map((n) => survey.getChild(n as 'respondent')!.toArray() as Int32Array);
const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-pls-sql-'));
const csv = path.join(dir, 'survey.csv');
const lines: string[] = [names.join(',')];
for (let i = 0; i < respondents; i++) lines.push(columns.map((c) => c[i]).join(','));
writeFileSync(csv, `${lines.join('\n')}\n`);
lines.length = 0;
const connection = await (await DuckDBInstance.create(':memory:')).connect();
await connection.run(`CREATE TABLE survey AS SELECT * FROM read_csv('${csv}')`);
rmSync(dir, { recursive: true, force: true });

const log = (what: string, n: number, time: number, note = '') =>
  console.log(`| ${what} | ${n.toLocaleString('en')} | ${ms(time)} ms | ${note} |`);
console.log(machine());
console.log('| what | respondents | time | note |\n|---|---|---|---|');
const local = await medianOf(3, () => plsPathModel(survey, model));
log('plsPathModel (in-process, Arrow)', respondents, local.median);
const sql = await medianOf(3, () => plsPathModelInSql(connection, model, { table: 'survey' }));
const a = plsPathModel(survey, model);
const b = await plsPathModelInSql(connection, model, { table: 'survey' });
let worst = 0;
for (const [from, to] of model.paths) worst = Math.max(worst, Math.abs(a.paths[from][to] - b.paths[from][to]));
log(
  'plsPathModelInSql (DuckDB moments + fit)',
  respondents,
  sql.median,
  `max abs path difference ${worst.toExponential(1)}`,
);
for (const n of bootSizes) {
  const table = `(SELECT * FROM survey WHERE respondent <= ${n})`;
  const boot = await timed(() =>
    plsPathModelInSql(connection, model, { table, key: 'respondent', bootstrap: replicates }),
  );
  const se = boot.value.bootstrap!.paths.quality.satisfaction.stdError;
  log(
    `plsPathModelInSql, Poisson bootstrap B = ${replicates} (DuckDB)`,
    n,
    boot.ms,
    `SE quality→satisfaction ${se.toFixed(5)}`,
  );
}
connection.closeSync();
