import type { Dialect, SqlDialect } from './dialect';
import { doubleLiteral } from './dialect';
import { withClause } from './with-clause';
import type { AdmissionRule } from './drop-counts';

/**
 * The statements of plsPathModelInSql, as text: the moments of the kept respondents, and the moments of B Poisson
 * bootstrap replicates. Each reads the source once through the mark `source` (replaced by the caller).
 *
 * Columns: the model's question columns are read once each as `x0 … x(q−1)` (cast to the dialect's DOUBLE); a
 * respondent is kept when every one is a value (not NULL, NaN or ±Infinity), as plsPathModel's listwise deletion.
 */
export interface PlsSqlParts {
  readonly d: Dialect;
  /** The FROM source's mark. */
  readonly source: string;
  /** The question columns, quoted, each once. */
  readonly columns: readonly string[];
  /** The respondent id column, quoted, for the bootstrap draws; undefined to number the rows by their answers. */
  readonly key?: string;
}

/** True when a DOUBLE is NaN: the one spelling plsPathModelInSql needs that `Dialect` has no member for. */
const IS_NAN: Record<SqlDialect, (x: string) => string> = {
  duckdb: (x) => `isnan(${x})`,
  // PostgreSQL orders NaN above every number and holds NaN = NaN true (so x <> x never finds it).
  postgres: (x) => `${x} = CAST('NaN' AS DOUBLE PRECISION)`,
  bigquery: (x) => `IS_NAN(${x})`,
  spark: (x) => `isnan(${x})`,
};

const cast = (d: Dialect, column: string) => `CAST(${column} AS ${d.double})`;

/**
 * The admission rules of plsPathModel in SQL, in its order: a respondent with a NULL or NaN answer to any question
 * is `missingAnswer`; one with an infinite answer (and no missing one) is `invalidValue`.
 */
export function plsAdmissionRules(parts: PlsSqlParts): AdmissionRule[] {
  const { d, columns } = parts;
  const missing = columns.map((c) => `${c} IS NULL OR ${IS_NAN[d.name](cast(d, c))}`);
  const infinite = columns.map((c) => d.inadmissible(cast(d, c)));
  return [
    { reason: 'missingAnswer', dropped: `(${missing.join(' OR ')})` },
    { reason: 'invalidValue', dropped: `(${infinite.join(' OR ')})` },
  ];
}

/** `cast` (the answers as doubles, and the key) and `kept` (the complete respondents), the CTEs both statements start from. */
function keptCtes(parts: PlsSqlParts, centre?: readonly number[]): [string, string][] {
  const { d, columns, source, key } = parts;
  const q = columns.length;
  const idx = Array.from({ length: q }, (_, u) => u);
  const read = idx.map((u) => `${cast(d, columns[u])} AS x${u}`);
  if (key !== undefined) read.unshift(`${key} AS rid`);
  const admitted = idx.map((u) => `x${u} IS NOT NULL AND NOT ${d.inadmissible(`x${u}`)}`);
  const shifted = idx.map((u) => (centre ? `x${u} - ${doubleLiteral(d, centre[u])} AS x${u}` : `x${u}`));
  if (key !== undefined) shifted.unshift('rid');
  return [
    ['answers', `SELECT ${read.join(',\n  ')}\nFROM ${source} AS src`],
    ['kept', `SELECT ${shifted.join(',\n  ')}\nFROM answers\nWHERE ${admitted.join('\n  AND ')}`],
  ];
}

/** The pairs u ≤ v of the q question columns, in row-major order. */
function pairs(q: number): [number, number][] {
  const out: [number, number][] = [];
  for (let u = 0; u < q; u++) for (let v = u; v < q; v++) out.push([u, v]);
  return out;
}

/**
 * The moments statement: one row with `n` (respondents kept), and per question u `m{u}` (its mean, the centre),
 * `lo{u}`, `hi{u}` (smallest and largest answer), `d{u}` = Σ (x_u − m_u) and per pair u ≤ v
 * `c{u}_{v}` = Σ (x_u − m_u)(x_v − m_v). Two passes (the means, then the sums about them): the covariance is
 * c_uv/n − (d_u/n)(d_v/n), where the d terms correct the rounding of the centre, so no sum of squares cancels
 * catastrophically. Sums are the dialect's compensated sum where it has one.
 */
export function plsMomentsSql(parts: PlsSqlParts): string {
  const { d, columns } = parts;
  const q = columns.length;
  const idx = Array.from({ length: q }, (_, u) => u);
  const ctes = keptCtes(parts);
  ctes.push(['centre', `SELECT ${idx.map((u) => `AVG(x${u}) AS m${u}`).join(',\n  ')}\nFROM kept`]);
  const out = ['COUNT(*) AS n'];
  for (const u of idx) out.push(`MIN(m${u}) AS m${u}`, `MIN(x${u}) AS lo${u}`, `MAX(x${u}) AS hi${u}`);
  for (const u of idx) out.push(`${d.sum(`x${u} - m${u}`)} AS d${u}`);
  for (const [u, v] of pairs(q)) out.push(`${d.sum(`(x${u} - m${u}) * (x${v} - m${v})`)} AS c${u}_${v}`);
  return `${withClause(ctes)}\nSELECT ${out.join(',\n  ')}\nFROM kept CROSS JOIN centre`;
}

/** Largest Poisson(1) count the draw returns: P(X > 12) ≈ 1e-10 is below the 2^−32 step of the uniform draws. */
const POISSON_CAP = 13;

/** The cumulative Poisson(1) probabilities F(0) … F(POISSON_CAP − 1), F(k) = e^−1 Σ_{j ≤ k} 1/j!. */
export function poissonCdf(): number[] {
  const out: number[] = [];
  let term = Math.exp(-1);
  let sum = 0;
  for (let k = 0; k < POISSON_CAP; k++) {
    sum += term;
    out.push(sum);
    term /= k + 1;
  }
  return out;
}

/** What the bootstrap statement returns: the replicates' moments, or (for tests) every drawn weight with its row. */
export type PlsBootstrapSelect = 'moments' | 'weights';

/**
 * The Poisson bootstrap statement (Hanley & MacGibbon 2006; Chamandy et al. 2012): for replicates b = 1 … B, each
 * kept respondent i gets the weight w_ib ~ Poisson(1), the smallest k with u < F(k) for the engine's uniform draw
 * u = uniform(id_i, seed·10^6 + b) (`Dialect.uniform`; the inverse CDF as a CASE over the cumulative probabilities). One row per
 * replicate: `b`, `n` = Σ w, `d{u}` = Σ w (x_u − c_u), `c{u}_{v}` = Σ w (x_u − c_u)(x_v − c_v) about the full
 * data's means c (literals). The id is the key column, or without one the rank of the respondent's answers
 * (ROW_NUMBER over every question, so respondents with the same answers are interchangeable and the draws are
 * reproducible on an engine).
 */
export function plsBootstrapSql(
  parts: PlsSqlParts,
  centre: readonly number[],
  replicates: number,
  seed: number,
  select: PlsBootstrapSelect = 'moments',
): string {
  const { d, columns, key } = parts;
  const q = columns.length;
  const idx = Array.from({ length: q }, (_, u) => u);
  const xs = idx.map((u) => `x${u}`).join(', ');
  const ctes = keptCtes(parts, centre);
  if (key === undefined) {
    ctes.push(['numbered', `SELECT ROW_NUMBER() OVER (ORDER BY ${xs}) AS rid, ${xs}\nFROM kept`]);
  }
  ctes.push(['one_row', 'SELECT 1 AS one']);
  ctes.push(['replicates', `SELECT k + 1 AS b\nFROM (${d.series(String(replicates - 1), 'one_row')}) AS series`]);
  const stream = `${seed * 1_000_000} + replicates.b`;
  ctes.push([
    'drawn',
    `SELECT replicates.b AS b, ${d.uniform('rid', stream)} AS u, ${xs}\n` +
      `FROM ${key === undefined ? 'numbered' : 'kept'} CROSS JOIN replicates`,
  ]);
  const cdf = poissonCdf()
    .map((f, k) => `WHEN u < ${doubleLiteral(d, f)} THEN ${k}`)
    .join('\n    ');
  ctes.push(['weighted', `SELECT b, CASE\n    ${cdf}\n    ELSE ${POISSON_CAP}\n  END AS w, ${xs}\nFROM drawn`]);
  if (select === 'weights') return `${withClause(ctes)}\nSELECT b, w, ${xs}\nFROM weighted\nORDER BY b`;
  // Sums by replicate and weight first (the weight is a group key, computed once per row; an engine that inlines
  // the CASE into every sum, as PostgreSQL does, would otherwise draw it once per sum), then weighted by it.
  const inner = ['b', 'w', 'COUNT(*) AS rows_w'];
  for (const u of idx) inner.push(`${d.sum(`x${u}`)} AS s${u}`);
  for (const [u, v] of pairs(q)) inner.push(`${d.sum(`x${u} * x${v}`)} AS s${u}_${v}`);
  ctes.push(['by_weight', `SELECT ${inner.join(',\n  ')}\nFROM weighted\nGROUP BY b, w`]);
  const out = ['b', 'SUM(w * rows_w) AS n'];
  for (const u of idx) out.push(`${d.sum(`w * s${u}`)} AS d${u}`);
  for (const [u, v] of pairs(q)) out.push(`${d.sum(`w * s${u}_${v}`)} AS c${u}_${v}`);
  return `${withClause(ctes)}\nSELECT ${out.join(',\n  ')}\nFROM by_weight\nGROUP BY b\nORDER BY b`;
}
