import type { PathModel, PlsOptions, PlsMomentFit, ReplicateMoments } from '../satisfaction/internal';
import { checkPlsOptions, pathModel, plsFitOfMoments, plsStructure } from '../satisfaction/internal';
import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import type { DropReason } from '../table/internal';
import { dropCountsSql, dropMetadata } from './drop-counts';
import { numberOf, sqlEngine } from './engine';
import type { SqlConnection, SqlRows } from './engine';
import { dialectOf } from './dialect';
import type { Dialect } from './dialect';
import { columnName, tableSource } from './names';
import type { SqlContext } from './options';
import { plsAdmissionRules, plsBootstrapSql, plsMomentsSql } from './pls-sql-text';
import type { PlsSqlParts } from './pls-sql-text';

/** Options of {@link plsPathModelInSql}: where the survey is, and plsPathModel's options. */
export interface PlsInSqlOptions extends Omit<PlsOptions, 'key' | 'scaling' | 'maxCategories'> {
  /** The survey: a table name (`name`, `schema.name`, `project.dataset.name`) or a sub-query in parentheses. */
  table: string;
  /**
   * The respondent id column the bootstrap draws are keyed on (one id per respondent: rows sharing an id share
   * their weights). Without it, respondents are numbered by the order of their answers (a sort of the kept rows,
   * which a distributed engine runs on one node): give the key on large tables.
   */
  key?: string;
}

/** A PLS path model fitted from moments computed in a SQL engine: {@link PlsFit} without the score tables. */
export interface PlsSqlFit extends PlsMomentFit {
  /** The dialect of the engine the moments were computed in. */
  readonly engine: string;
  /** Why `scores` and `indexScores` are missing. */
  readonly note: string;
}

const PLS_IN_SQL_OPTION_NAMES = optionNames<PlsInSqlOptions>({
  table: true,
  key: true,
  scheme: true,
  scaled: true,
  scale: true,
  maxIterations: true,
  tolerance: true,
  bootstrap: true,
  maxBootstrap: true,
  seed: true,
  confidence: true,
  allowNonConvergence: true,
  missing: true,
  consistent: true,
});

const NOTE =
  'fitted from the moments (count, means, covariance) computed in the engine: no per-respondent scores or ' +
  'index scores (they would bring every row back); compute them in SQL from outer weights and the means if needed';

/** The FROM source's mark in the statements, replaced by the source text once they are built. */
const SOURCE_MARK = '\0pls-source\0';

/** Largest bootstrap: replicate b draws from stream seed·10^6 + b, so B stays below 10^6. */
const MAX_REPLICATES = 999_999;

/**
 * PLS path modelling (as {@link plsPathModel}) of a survey that stays in a SQL engine — DuckDB, PostgreSQL, or
 * Spark, BigQuery, … through a runner: the engine computes the sufficient statistics in one statement, and the fit
 * runs in-process on them by plsPathModel's own code path.
 *
 * What an analyst uses it for: an ACSI/ECSI model over millions of survey answers in a warehouse, without loading
 * the rows; standard errors by a bootstrap that also runs in the engine.
 *
 * Method: the fit depends on the data only through n, the indicators' means x̄ and covariance matrix S (divisor
 * n): the outer weights iterate on S, the paths and loadings are functions of S and the weights, and the 0–100
 * index of a block is the affine map 100 (Σ w̃_k x̄_k − min)/(max − min) of its means. Statement 1 keeps the
 * respondents with every answer a value (listwise deletion) and returns n, x̄, the smallest and largest answers
 * and S by two passes (sums of cross products about the means, with the first-order correction of the centre).
 * Statement 2 counts the dropped rows with plsPathModel's rules (`missingAnswer` for a NULL or NaN answer, then
 * `invalidValue` for an infinite one; `fit.rows`, without first rows: SQL has no row order).
 *
 * Bootstrap (`bootstrap: B`): the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012) — each
 * replicate weighs respondent i by w_ib ~ Poisson(1), drawn in the engine by the inverse CDF of the engine's
 * uniform hash of (key, seed·10^6 + b), so one statement returns every replicate's weighted count, means and
 * covariance; the B fits run in-process and are summarised as plsPathModel's bootstrap (SEs with divisor B − 1,
 * percentile intervals). It approximates the multinomial resampling of plsPathModel (the replicate size varies
 * around n), so its figures differ by Monte Carlo error; the draws are reproducible on one engine, not across
 * engines (each hashes differently). Without `key`, respondents are numbered by the order of their answers.
 *
 * Not returned: `scores` and `indexScores` (see `note`).
 *
 * Cost: two scans of the survey and O(n · q²) sums in the engine (q questions; the statement has q(q + 1)/2 + 4q
 * columns, so keep q ≤ 55 on PostgreSQL, whose limit is 1664); the bootstrap one scan that crosses the kept rows
 * with B replicates, O(n · B · q²); in-process O(iterations · q²) per fit.
 *
 * @param connection a `@duckdb/node-api` connection, a `pg` Client or Pool, or a runner `{ dialect, run(sql) }`
 * @param model a {@link pathModel}, {@link acsiModel} or {@link ecsiModel}
 * @param options `table` (required), `key` (respondent id for the bootstrap draws), `seed` (default 1; draws use
 *   streams seed·10^6 + b) and plsPathModel's scheme (`'centroid'`), scaled (true), scale (observed), maxIterations
 *   (100), tolerance (1e-6), bootstrap (0), maxBootstrap (10,000), confidence (0.95), allowNonConvergence (false)
 * @throws {ClienteleError} as plsPathModel (`INVALID_OPTION`, `INVALID_VALUE`, `NOT_IDENTIFIED`, `EMPTY_INPUT`,
 *   `INVALID_INPUT`, `NOT_CONVERGED`, `LIMIT_EXCEEDED`); `INVALID_INPUT` or `MISSING_COLUMN` when the engine
 *   refuses a statement
 * @example
 * // with @duckdb/node-api: const connection = await (await DuckDBInstance.create(':memory:')).connect();
 * // here a stand-in answering the three statements for two questions a, b over three respondents
 * // a = [1, 2, 3], b = [2, 1, 3] (means 2, 2; S = [[2/3, 1/3], [1/3, 2/3]])
 * const seen = [];
 * const answer = (names, row) => ({ columnNames: () => names, getColumnsJS: () => row.map((v) => [v]) });
 * const connection = {
 *   runAndReadAll: async (sql) => {
 *     seen.push(sql);
 *     if (sql.includes('input_rows')) return answer(['input_rows', 'drop_0', 'drop_1'], [4, 1, 0]);
 *     return answer(
 *       ['n', 'm0', 'lo0', 'hi0', 'm1', 'lo1', 'hi1', 'd0', 'd1', 'c0_0', 'c0_1', 'c1_1'],
 *       [3, 2, 1, 3, 2, 1, 3, 0, 0, 2, 1, 2],
 *     );
 *   },
 * };
 * const model = pathModel({ blocks: { A: ['a'], B: ['b'] }, paths: [['A', 'B']] });
 * const fit = await plsPathModelInSql(connection, model, { table: 'survey' });
 * fit.paths.A.B; // 0.5
 * fit.index.A; // 50
 * fit.rows.dropped; // { missingAnswer: 1 }
 */
export async function plsPathModelInSql(
  connection: SqlConnection,
  model: PathModel,
  options: PlsInSqlOptions,
): Promise<PlsSqlFit> {
  options = knownOptions(options, PLS_IN_SQL_OPTION_NAMES, 'plsPathModelInSql');
  const fn = 'plsPathModelInSql';
  const engine = sqlEngine(connection, fn);
  const d = dialectOf(engine.dialect, fn);
  const checked = pathModel(model as never);
  const { table, key, ...fitOptions } = options;
  checkPlsOptions(fitOptions, fn);
  const bootstrap = fitOptions.bootstrap ?? 0;
  const seed = fitOptions.seed ?? 1;
  checkDraws(bootstrap, seed, fn);
  const sourceText = tableSource(d, table, fn);
  const s = plsStructure(checked);
  const unique = [...new Set(s.columns)];
  const slotColumn = Int32Array.from(s.columns, (c) => unique.indexOf(c));
  const parts: PlsSqlParts = {
    d,
    source: SOURCE_MARK,
    columns: unique.map((c) => quotedName(d, c, fn, "the model's column")),
    key: key === undefined ? undefined : quotedName(d, key, fn, 'option key'),
  };
  const place = (sql: string) => sql.split(SOURCE_MARK).join(sourceText);

  const q = unique.length;
  const moments = await engine.run(place(plsMomentsSql(parts)));
  const cell = cellReader(moments, 0);
  const n = cell('n');
  const centre = Array.from({ length: q }, (_, u) => cell(`m${u}`));
  const uniqueCov = covarianceFromSums(
    q,
    n,
    (u) => cell(`d${u}`),
    (u, v) => cell(`c${u}_${v}`),
  );
  const means = new Float64Array(q);
  for (let u = 0; u < q; u++) means[u] = centre[u] + cell(`d${u}`) / n;

  const rules = plsAdmissionRules(parts);
  const ctx: SqlContext = {
    d,
    source: SOURCE_MARK,
    sourceText,
    options: { table },
    fn,
    column: (option) => columnName(d, option, fn, option),
  };
  const meta = dropMetadata(await engine.run(place(dropCountsSql(ctx, rules))), rules);
  const dropped = JSON.parse(meta['clientele.dropped']) as Partial<Record<DropReason, number>>;
  const rows = Number(meta['clientele.rows']);

  let replicates: ReplicateMoments[] | undefined;
  if (bootstrap > 0 && n > 0) {
    const result = await engine.run(place(plsBootstrapSql(parts, centre, bootstrap, seed)));
    replicates = replicateMoments(result, q, slotColumn);
  }
  const fit = plsFitOfMoments(
    checked,
    {
      n,
      means: bySlot(means, slotColumn),
      cov: slotCovariance(uniqueCov, q, slotColumn),
      min: bySlot(
        Float64Array.from(unique, (_, u) => cell(`lo${u}`)),
        slotColumn,
      ),
      max: bySlot(
        Float64Array.from(unique, (_, u) => cell(`hi${u}`)),
        slotColumn,
      ),
      rows: { rows, kept: n, dropped, firstRow: {}, total: rows - n },
    },
    fitOptions,
    replicates && ((b) => replicates[b]),
    fn,
  );
  return Object.freeze({ ...fit, engine: engine.dialect, note: NOTE });
}

/** A column name quoted by `columnName`, its refusal naming `what` (not columnName's `columns.` option). */
function quotedName(d: Dialect, name: unknown, fn: string, what: string): string {
  try {
    return columnName(d, name, fn, 'x');
  } catch (e) {
    throw new ClienteleError(
      'INVALID_OPTION',
      (e as Error).message.replace(`${fn}: option columns.x`, `${fn}: ${what}`),
      typeof name === 'string' ? { column: name } : {},
    );
  }
}

/** `bootstrap` below 10^6 and `seed` an integer in [0, 10^6]: the draw streams seed·10^6 + b never overlap. */
function checkDraws(bootstrap: number, seed: unknown, fn: string): void {
  if (bootstrap > MAX_REPLICATES) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option bootstrap must be below 1,000,000 in SQL (found ${bootstrap}); 500–1000 resamples are usual`,
    );
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 1_000_000) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be an integer from 0 to 1,000,000 (found ${describeValue(seed)}); e.g. seed: 1`,
    );
  }
}

/** A reader of row `row` of a result by column name, as numbers (SQL NULL → NaN). */
function cellReader(rows: SqlRows, row: number): (name: string) => number {
  return (name) => {
    const j = rows.names.indexOf(name);
    if (j < 0) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `plsPathModelInSql: the engine's answer has no column ${name} (found ${rows.names.slice(0, 8).join(', ')}…); report this as a bug`,
      );
    }
    const v = rows.columns[j][row];
    return v === null || v === undefined ? Number.NaN : numberOf(v);
  };
}

/**
 * The covariance (divisor n) of q columns from sums about a centre c: S_uv = C_uv/n − (D_u/n)(D_v/n), with
 * D_u = Σ (x_u − c_u) and C_uv = Σ (x_u − c_u)(x_v − c_v) (weighted sums for a bootstrap replicate).
 */
function covarianceFromSums(
  q: number,
  n: number,
  sum: (u: number) => number,
  cross: (u: number, v: number) => number,
): Float64Array {
  const cov = new Float64Array(q * q);
  const mean = Float64Array.from({ length: q }, (_, u) => sum(u) / n);
  for (let u = 0; u < q; u++) {
    for (let v = u; v < q; v++) {
      const c = cross(u, v) / n - mean[u] * mean[v];
      cov[u * q + v] = c;
      cov[v * q + u] = c;
    }
  }
  return cov;
}

/** Values by question column, spread to the indicator slots (a column in two blocks has two slots). */
function bySlot(values: Float64Array, slotColumn: Int32Array): Float64Array {
  return Float64Array.from(slotColumn, (u) => values[u]);
}

/** The q × q covariance of the question columns as the p × p covariance of the slots. */
function slotCovariance(cov: Float64Array, q: number, slotColumn: Int32Array): Float64Array {
  const p = slotColumn.length;
  const out = new Float64Array(p * p);
  for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) out[k * p + l] = cov[slotColumn[k] * q + slotColumn[l]];
  return out;
}

/** Every replicate's weighted count and slot covariance, from the rows of the bootstrap statement (b = 1 … B). */
function replicateMoments(result: SqlRows, q: number, slotColumn: Int32Array): ReplicateMoments[] {
  const out: ReplicateMoments[] = [];
  for (let row = 0; row < result.columns[0].length; row++) {
    const cell = cellReader(result, row);
    const n = cell('n');
    const cov = covarianceFromSums(
      q,
      n,
      (u) => cell(`d${u}`),
      (u, v) => cell(`c${u}_${v}`),
    );
    out.push({ n, cov: slotCovariance(cov, q, slotColumn) });
  }
  return out;
}
