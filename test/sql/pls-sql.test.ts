import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import sqlParser from 'node-sql-parser';
import { quantile } from 'simple-statistics';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleSurvey } from '../../src/sample/index';
import { acsiModel, pathModel, plsPathModel } from '../../src/satisfaction/index';
import type { PathModel, PlsFit } from '../../src/satisfaction/index';
import { plsFitOfMoments } from '../../src/satisfaction/internal';
import { covarianceOf } from '../../src/satisfaction/pls-estimate';
import { plsPathModelInSql } from '../../src/sql/index';
import type { PlsInSqlOptions, PlsSqlFit, SqlConnection, SqlDialect } from '../../src/sql/index';
import { dialectOf } from '../../src/sql/dialect';
import type { Dialect } from '../../src/sql/dialect';
import { dropCountsSql } from '../../src/sql/drop-counts';
import { sqlEngine } from '../../src/sql/engine';
import type { SqlContext } from '../../src/sql/options';
import { plsAdmissionRules, plsBootstrapSql, plsMomentsSql, poissonCdf } from '../../src/sql/pls-sql-text';
import type { PlsSqlParts } from '../../src/sql/pls-sql-text';
import { dataset, splitCsvLine } from '../helpers/datasets';
import { rejectsWith } from '../helpers/errors';
import { postgresClient } from '../helpers/postgres';
import { loadDuckTable } from './helpers';
import type { SqlColumnSpec } from './helpers';

/**
 * plsPathModelInSql against plsPathModel: the moments statement on a real DuckDB and a real PostgreSQL gives the
 * in-process fit within 1e-9 (the only difference is the order of summation); the Poisson bootstrap's replicates are
 * reproduced from the weights the engine drew; the texts of the other dialects parse and equal DuckDB's.
 */
const TOLERANCE = 1e-9;

const ECSI_BLOCKS = {
  IMAG: ['imag1', 'imag2', 'imag3', 'imag4', 'imag5'],
  EXPE: ['expe1', 'expe2', 'expe3', 'expe4', 'expe5'],
  QUAL: ['qual1', 'qual2', 'qual3', 'qual4', 'qual5'],
  VAL: ['val1', 'val2', 'val3', 'val4'],
  SAT: ['sat1', 'sat2', 'sat3', 'sat4'],
  LOY: ['loy1', 'loy2', 'loy3', 'loy4'],
};
/** The ECSI model of R plspm's satisfaction example (Sanchez 2013). */
const ECSI = pathModel({
  blocks: ECSI_BLOCKS,
  paths: [
    ['IMAG', 'EXPE'],
    ['IMAG', 'SAT'],
    ['IMAG', 'LOY'],
    ['EXPE', 'QUAL'],
    ['EXPE', 'VAL'],
    ['EXPE', 'SAT'],
    ['QUAL', 'VAL'],
    ['QUAL', 'SAT'],
    ['VAL', 'SAT'],
    ['SAT', 'LOY'],
  ],
});
const ECSI_COLUMNS = Object.values(ECSI_BLOCKS).flat();
/** A smaller model on the same survey for the bootstrap tests (13 questions: fewer sums per replicate). */
const SMALL = pathModel({
  blocks: { IMAG: ECSI_BLOCKS.IMAG, SAT: ECSI_BLOCKS.SAT, LOY: ECSI_BLOCKS.LOY },
  paths: [
    ['IMAG', 'SAT'],
    ['IMAG', 'LOY'],
    ['SAT', 'LOY'],
  ],
});
const SMALL_COLUMNS = SMALL.latent.flatMap((lv) => SMALL.blocks[lv]);

/** satisfaction.csv: `id` (its unnamed first column) and the 27 answers, as numbers. */
function readSatisfaction(): Record<string, number[]> {
  const lines = readFileSync(dataset('satisfaction.csv'), 'utf8').trimEnd().split('\n');
  const header = splitCsvLine(lines[0]);
  const out: Record<string, number[]> = { id: [] };
  for (const c of ECSI_COLUMNS) out[c] = [];
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    out.id.push(Number(cells[0]));
    for (const c of ECSI_COLUMNS) out[c].push(Number(cells[header.indexOf(c)]));
  }
  return out;
}
const ecsi = readSatisfaction();

/** The sample survey (ACSI, 1–10 answers with heavy ties) with missing (NULL, NaN) and infinite answers planted. */
function faultySurvey(): { columns: Record<string, (number | null)[]>; model: PathModel } {
  const { survey, truth } = sampleSurvey({ respondents: 1500, seed: 11 });
  const model = acsiModel(truth.blocks);
  const columns: Record<string, (number | null)[]> = {};
  for (const f of survey.schema.fields)
    columns[f.name] = Array.from(survey.getChild(f.name as 'respondent')!.toArray());
  const names = Object.keys(columns).filter((c) => c !== 'respondent');
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const faults = [null, NaN, Infinity, -Infinity];
  for (let i = 0; i < 1500; i++) {
    if (next() < 0.06) columns[names[Math.floor(next() * names.length)]][i] = faults[Math.floor(next() * 4)];
    if (next() < 0.01) columns[names[Math.floor(next() * names.length)]][i] = faults[Math.floor(next() * 4)];
  }
  return { columns, model };
}
const faulty = faultySurvey();

const spec = (values: readonly (number | null)[], type: 'INTEGER' | 'DOUBLE'): SqlColumnSpec => ({ type, values });

const duck = await (await DuckDBInstance.create(':memory:')).connect();
await loadDuckTable(duck, 'ecsi', Object.fromEntries(Object.entries(ecsi).map(([c, v]) => [c, spec(v, 'INTEGER')])));
await loadDuckTable(
  duck,
  'faulty',
  Object.fromEntries(Object.entries(faulty.columns).map(([c, v]) => [c, spec(v, 'DOUBLE')])),
);

const pg = await postgresClient('pls');
afterAll(async () => {
  await pg?.close();
  duck.closeSync();
});

/** Loads columns into PostgreSQL by one INSERT of literals (NaN and ±Infinity as float8 text). */
async function loadPostgres(name: string, columns: Record<string, readonly (number | null)[]>, type: string) {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const literal = (v: number | null) =>
    v === null ? 'NULL' : Number.isFinite(v) ? String(v) : `CAST('${v}' AS DOUBLE PRECISION)`;
  const rows = Array.from({ length: n }, (_, i) => `(${names.map((c) => literal(columns[c][i])).join(', ')})`);
  await pg!.client.query(`CREATE TABLE ${name} (${names.map((c) => `"${c}" ${type}`).join(', ')})`);
  await pg!.client.query(`INSERT INTO ${name} VALUES ${rows.join(',\n')}`);
}
if (pg) {
  await loadPostgres('ecsi', ecsi, 'INTEGER');
  await loadPostgres('faulty', faulty.columns, 'DOUBLE PRECISION');
}

const ENGINES: [string, SqlConnection | undefined][] = [
  ['DuckDB', duck],
  ['PostgreSQL', pg?.client],
];

const close = (got: number, want: number, what: string) => {
  if (!(Math.abs(got - want) <= TOLERANCE * Math.max(1, Math.abs(want)))) expect(got, what).toBe(want);
};

/** Every estimate of an SQL fit equals the in-process fit's within 1e-9. */
function expectSameFit(sql: PlsSqlFit, local: PlsFit): void {
  expect(sql.respondents).toBe(local.respondents);
  expect(sql.rows.rows).toBe(local.rows.rows);
  expect(sql.rows.kept).toBe(local.rows.kept);
  expect({ ...sql.rows.dropped }).toEqual({ ...local.rows.dropped });
  expect(sql.scale).toEqual(local.scale);
  expect(sql.iterations).toBe(local.iterations);
  for (const [from, to] of local.model.paths) close(sql.paths[from][to], local.paths[from][to], `path ${from}→${to}`);
  for (const lv of Object.keys(local.rSquared)) {
    close(sql.rSquared[lv], local.rSquared[lv], `R² ${lv}`);
    for (const [term, c] of Object.entries(local.inner[lv].coefficients))
      close(sql.inner[lv].coefficients[term].stdError, c.stdError, `SE ${term}→${lv}`);
  }
  for (const [k, o] of Object.entries(local.outer)) {
    close(sql.outer[k].weight, o.weight, `weight ${k}`);
    close(sql.outer[k].loading, o.loading, `loading ${k}`);
    close(sql.outer[k].indexWeight, o.indexWeight, `index weight ${k}`);
  }
  for (const lv of local.model.latent) {
    close(sql.index[lv], local.index[lv], `index ${lv}`);
    close(sql.reliability[lv].cronbachAlpha, local.reliability[lv].cronbachAlpha, `alpha ${lv}`);
  }
  local.effects.forEach((e, a) => close(sql.effects[a].total, e.total, `total ${e.from}→${e.to}`));
  close(sql.gof, local.gof, 'GoF');
  // and against an independent mean: the index is the mean of the in-process index scores
  for (const lv of local.model.latent) {
    const scores = local.indexScores.getChild(lv)!.toArray() as Float64Array;
    close(sql.index[lv], scores.reduce((s, x) => s + x, 0) / scores.length, `index ${lv} from the scores`);
  }
}

describe.each(ENGINES)('plsPathModelInSql on %s equals plsPathModel', (label, connection) => {
  it.skipIf(!connection)('on satisfaction.csv (ECSI, R plspm), INTEGER answers, centroid scheme: 1e-9', async () => {
    const sql = await plsPathModelInSql(connection!, ECSI, { table: 'ecsi' });
    const local = plsPathModel(ecsi, ECSI);
    expectSameFit(sql, local);
    expect(sql.engine).toBe(label === 'DuckDB' ? 'duckdb' : 'postgres');
    expect(sql.note).toContain('no per-respondent scores');
    expect('scores' in sql).toBe(false);
  });

  it.skipIf(!connection)(
    'on the sample survey with NULL, NaN and ±Infinity answers: the same drops and fit (path scheme, unscaled, scale [1, 10])',
    async () => {
      for (const options of [{}, { scheme: 'path', scaled: false, scale: [1, 10] }, { scheme: 'factorial' }] as const) {
        const sql = await plsPathModelInSql(connection!, faulty.model, { table: 'faulty', ...options });
        const local = plsPathModel(faulty.columns, faulty.model, options);
        expect(local.rows.dropped.missingAnswer).toBeGreaterThan(20);
        expect(local.rows.dropped.invalidValue).toBeGreaterThan(20);
        expectSameFit(sql, local);
      }
    },
  );
});

/** The pieces of the statements the driver runs, for a test statement of its own. */
function partsOf(d: Dialect, columns: readonly string[], source: string, key?: string): PlsSqlParts {
  return {
    d,
    source,
    columns: columns.map((c) => d.ident(c)),
    key: key === undefined ? undefined : d.ident(key),
  };
}

/** Mean, SD (divisor B − 1) and type 7 percentiles, as plsPathModel's bootstrap summary. */
function summary(values: number[], confidence: number) {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
  const alpha = (1 - confidence) / 2;
  const [lower, upper] = quantile(values, [alpha, 1 - alpha]);
  return { mean, stdError: sd, lower, upper };
}

/** The in-process fit of one replicate from its weighted moments (n = Σ w, covariance with divisor Σ w). */
function replicateFit(n: number, cov: Float64Array, min: Float64Array, max: Float64Array) {
  return plsFitOfMoments(
    SMALL,
    {
      n,
      means: new Float64Array(cov.length),
      cov,
      min,
      max,
      rows: { rows: n, kept: n, dropped: {}, firstRow: {}, total: 0 },
    },
    {},
    undefined,
    'test',
  );
}

describe('the Poisson bootstrap in the engine', () => {
  const p = SMALL_COLUMNS.length;
  const min = new Float64Array(p).fill(1);
  const max = new Float64Array(p).fill(10);

  it.each([
    ['DuckDB', 'id'],
    ['DuckDB', undefined],
    ['PostgreSQL', 'id'],
    ['PostgreSQL', undefined],
  ] as const)(
    '%s (key %s): the weights the engine drew, fetched by a test statement, reproduce every replicate and the summary (1e-9)',
    async (label, key) => {
      const connection = ENGINES.find(([l]) => l === label)![1];
      if (!connection) return;
      const B = 25;
      const seed = 3;
      const engine = sqlEngine(connection, 'test');
      const d = dialectOf(engine.dialect, 'test');
      const parts = partsOf(d, SMALL_COLUMNS, 'ecsi', key);
      const fit = await plsPathModelInSql(connection, SMALL, { table: 'ecsi', bootstrap: B, seed, key });
      expect(fit.bootstrap!.failed).toBe(0);
      const m = await engine.run(plsMomentsSql(parts));
      const centre = SMALL_COLUMNS.map((_, u) => Number(m.columns[m.names.indexOf(`m${u}`)][0]));
      const drawn = await engine.run(plsBootstrapSql(parts, centre, B, seed, 'weights'));
      const col = (name: string) => drawn.columns[drawn.names.indexOf(name)].map(Number);
      const bs = col('b');
      const ws = col('w');
      const xs = SMALL_COLUMNS.map((_, u) => col(`x${u}`));
      // every respondent drawn once per replicate; weights are Poisson(1): mean near 1 over 250 · 25 draws
      expect(bs.length).toBe(250 * B);
      const meanWeight = ws.reduce((s, w) => s + w, 0) / ws.length;
      expect(Math.abs(meanWeight - 1)).toBeLessThan(4 / Math.sqrt(ws.length));
      const paths: Record<string, number[]> = {};
      for (let b = 1; b <= B; b++) {
        const rows = bs.flatMap((v, i) => (v === b ? [i] : []));
        const x = xs.map((values) => Float64Array.from(rows, (i) => values[i]));
        const counts = Int32Array.from(rows, (i) => ws[i]);
        const n = counts.reduce((s, w) => s + w, 0);
        const rep = replicateFit(n, covarianceOf(x, counts).cov, min, max);
        for (const [from, to] of SMALL.paths) (paths[`${from}→${to}`] ??= []).push(rep.paths[from][to]);
      }
      for (const [from, to] of SMALL.paths) {
        const want = summary(paths[`${from}→${to}`], 0.95);
        const got = fit.bootstrap!.paths[from][to];
        close(got.mean, want.mean, `${label} mean ${from}→${to}`);
        close(got.stdError, want.stdError, `${label} SE ${from}→${to}`);
        close(got.lower, want.lower, `${label} lower ${from}→${to}`);
        close(got.upper, want.upper, `${label} upper ${from}→${to}`);
      }
    },
  );

  it('DuckDB: the bootstrap SEs agree with the in-process (multinomial) bootstrap SEs within Monte Carlo error (B = 200)', async () => {
    // An SE from B resamples has relative SD ≈ 1/√(2(B − 1)) ≈ 5.0 %, so the ratio of two independent ones ≈ 7.1 %:
    // each path's ratio within 30 % (> 4 SD), their mean |log ratio| within 10 %.
    const B = 200;
    const sql = await plsPathModelInSql(duck, ECSI, { table: 'ecsi', key: 'id', bootstrap: B });
    const local = plsPathModel(ecsi, ECSI, { bootstrap: B, seed: 9 });
    let sumLog = 0;
    for (const [from, to] of ECSI.paths) {
      const ratio = sql.bootstrap!.paths[from][to].stdError / local.bootstrap!.paths[from][to].stdError;
      expect(Math.abs(ratio - 1), `${from}→${to}`).toBeLessThan(0.3);
      sumLog += Math.abs(Math.log(ratio));
    }
    expect(sumLog / ECSI.paths.length).toBeLessThan(0.1);
  });

  it('draws Poisson(1) by the inverse CDF: F(k) = e^−1 Σ 1/j! and the CASE picks the smallest k with u < F(k)', () => {
    const cdf = poissonCdf();
    let f = 0;
    let factorial = 1;
    for (let k = 0; k < cdf.length; k++) {
      if (k > 0) factorial *= k;
      f += Math.exp(-1) / factorial;
      close(cdf[k], f, `F(${k})`);
    }
    expect(1 - cdf[cdf.length - 1]).toBeLessThan(2 ** -32);
  });
});

describe('errors', () => {
  it('refuses bad options before running anything, and names the column of a bad survey', async () => {
    const table = 'ecsi';
    const bad: [Partial<PlsInSqlOptions> & Record<string, unknown>, string][] = [
      [{ bootsrap: 10 }, 'did you mean bootstrap?'],
      [{ seed: -1 }, 'option seed'],
      [{ seed: 1.5 }, 'option seed'],
      [{ bootstrap: 1 }, 'option bootstrap'],
      [{ bootstrap: 1_000_000, maxBootstrap: Infinity }, 'option bootstrap'],
      [{ scheme: 'cetroid' as never }, 'option scheme'],
      [{ key: 'id"; DROP TABLE ecsi; --' }, 'not a plain column name'],
      [{ table: 'ecsi; DROP TABLE ecsi' }, 'option table'],
    ];
    for (const [o, text] of bad) {
      await rejectsWith(
        () => plsPathModelInSql(duck, ECSI, { table, ...o } as PlsInSqlOptions),
        'INVALID_OPTION',
        text,
      );
    }
    await rejectsWith(
      () => plsPathModelInSql(duck, ECSI, { table: 'ecsi', scale: [1, 9] }),
      'INVALID_VALUE',
      'outside the scale [1, 9]',
    );
    await duck.run('CREATE OR REPLACE TABLE constant AS SELECT *, 5 AS same FROM ecsi');
    const withConstant = pathModel({
      blocks: { ...ECSI_BLOCKS, IMAG: [...ECSI_BLOCKS.IMAG, 'same'] },
      paths: ECSI.paths,
    });
    await rejectsWith(() => plsPathModelInSql(duck, withConstant, { table: 'constant' }), 'INVALID_VALUE', '"same"');
    await duck.run('CREATE OR REPLACE TABLE empty AS SELECT * FROM faulty WHERE false');
    await rejectsWith(() => plsPathModelInSql(duck, faulty.model, { table: 'empty' }), 'EMPTY_INPUT');
    await rejectsWith(() => plsPathModelInSql(duck, ECSI, { table: 'nowhere' }), 'INVALID_INPUT', 'nowhere');
  });
});

/**
 * Spark SQL and BigQuery cannot run here: their texts (and PostgreSQL's) parse with node-sql-parser (Hive grammar
 * for Spark, as test/sql/dialects.test.ts) and equal the tested DuckDB text once each dialect's spellings are
 * replaced by neutral tokens.
 */
const { Parser } = sqlParser as unknown as {
  Parser: new () => { astify(sql: string, o: { database: string }): unknown };
};
const GRAMMAR: Record<Exclude<SqlDialect, 'duckdb'>, string> = {
  spark: 'hive',
  bigquery: 'bigquery',
  postgres: 'postgresql',
};

/** Each dialect's own spellings of the PLS statements as neutral tokens. */
function neutral(sql: string, dialect: SqlDialect): string {
  let s = sql;
  const operand = String.raw`(CAST\([^()]*\)|\w+)`;
  switch (dialect) {
    case 'duckdb':
      s = s.replace(
        /\(CAST\(hash\(CAST\((\w+) AS VARCHAR\) \|\| ':' \|\| CAST\(([^()]+) AS VARCHAR\)\) % 4294967296 AS DOUBLE\) \/ 4294967296\.0\)/g,
        'UNIFORM($1, $2)',
      );
      s = s.replace(new RegExp(String.raw`NOT isfinite\(${operand}\)`, 'g'), 'INADMISSIBLE($1)');
      s = s.replace(/SELECT unnest\(generate_series\(0, (\d+)\)\) AS k FROM one_row/g, 'SERIES($1)');
      s = s.replace(/\bfsum\(/g, 'SUM(');
      break;
    case 'postgres':
      s = s.replace(
        /\(CAST\(hashtextextended\(CAST\((\w+) AS TEXT\) \|\| ':' \|\| CAST\(([^()]+) AS TEXT\), 0\) & 4294967295 AS DOUBLE PRECISION\) \/ 4294967296\.0\)/g,
        'UNIFORM($1, $2)',
      );
      s = s.replace(
        new RegExp(
          String.raw`${operand} IN \(CAST\('NaN' AS DOUBLE PRECISION\), CAST\('Infinity' AS DOUBLE PRECISION\), CAST\('-Infinity' AS DOUBLE PRECISION\)\)`,
          'g',
        ),
        'INADMISSIBLE($1)',
      );
      s = s.replace(new RegExp(String.raw`${operand} = CAST\('NaN' AS DOUBLE PRECISION\)`, 'g'), 'isnan($1)');
      s = s.replace(/SELECT generate_series\(0, (\d+)\) AS k FROM one_row/g, 'SERIES($1)');
      s = s.replace(/DOUBLE PRECISION/g, 'DOUBLE');
      break;
    case 'bigquery':
      s = s.replace(
        /\(CAST\(MOD\(MOD\(FARM_FINGERPRINT\(CONCAT\(CAST\((\w+) AS STRING\), ':', CAST\(([^()]+) AS STRING\)\)\), 4294967296\) \+ 4294967296, 4294967296\) AS FLOAT64\) \/ 4294967296\.0\)/g,
        'UNIFORM($1, $2)',
      );
      s = s.replace(new RegExp(String.raw`\(IS_NAN\(${operand}\) OR IS_INF\(\1\)\)`, 'g'), 'INADMISSIBLE($1)');
      s = s.replace(new RegExp(String.raw`IS_NAN\(${operand}\)`, 'g'), 'isnan($1)');
      s = s.replace(/SELECT k FROM one_row CROSS JOIN UNNEST\(GENERATE_ARRAY\(0, (\d+)\)\) AS k/g, 'SERIES($1)');
      s = s.replace(/\bFLOAT64\b/g, 'DOUBLE').replace(/`/g, '"');
      break;
    case 'spark':
      s = s.replace(
        /\(CAST\(pmod\(xxhash64\((\w+), ([^()]+)\), 4294967296\) AS DOUBLE\) \/ 4294967296\.0\)/g,
        'UNIFORM($1, $2)',
      );
      s = s.replace(
        new RegExp(String.raw`\(isnan\(${operand}\) OR abs\(\1\) = double\('infinity'\)\)`, 'g'),
        'INADMISSIBLE($1)',
      );
      s = s.replace(/SELECT explode\(sequence\(0, (\d+)\)\) AS k FROM one_row/g, 'SERIES($1)');
      s = s.replace(/`/g, '"');
      break;
  }
  return s;
}

describe('the other dialects', () => {
  const statements = (dialect: SqlDialect, key?: string): string[] => {
    const d = dialectOf(dialect, 'test');
    const parts = partsOf(d, ['q 1', 'q2', 'q3'], 'survey', key);
    const ctx = { d, source: 'survey', sourceText: 'survey', options: { table: 'survey' }, fn: 'test' } as SqlContext;
    return [
      plsMomentsSql(parts),
      dropCountsSql(ctx, plsAdmissionRules(parts)),
      plsBootstrapSql(parts, [5.5, 6, 1e-3], 200, 7),
      plsBootstrapSql(parts, [5.5, 6, 1e-3], 200, 7, 'weights'),
    ];
  };
  it.each([undefined, 'respondent id'])(
    "Spark and BigQuery texts parse; they and PostgreSQL's equal the DuckDB text token by token up to spellings (key %s)",
    (key) => {
      const parser = new Parser();
      const duckdb = statements('duckdb', key).map((t) => neutral(t, 'duckdb'));
      for (const dialect of ['spark', 'bigquery', 'postgres'] as const) {
        const texts = statements(dialect, key);
        texts.forEach((text, k) => {
          // PostgreSQL runs for real above; node-sql-parser's grammar lacks its `&` (in Dialect.uniform)
          if (dialect !== 'postgres' || k < 2)
            expect(() => parser.astify(text, { database: GRAMMAR[dialect] }), `${dialect} #${k}`).not.toThrow();
          expect(neutral(text, dialect), `${dialect} #${k}`).toBe(duckdb[k]);
        });
      }
      // the neutral text kept no dialect spelling
      for (const t of duckdb) expect(t).not.toMatch(/fsum|isfinite|hash\(|generate_series/);
    },
  );
});
