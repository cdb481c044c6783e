import { doubleLiteral } from './dialect';
import type { Dialect, SqlDialect } from './dialect';
import type { AdmissionRule } from './drop-counts';
import { withClause } from './with-clause';
import type { SqlContext } from './options';

/**
 * The statements of `kmeansInSql`, one builder per step, all written once over the dialect interface. Each reads
 * the source through the same two CTEs: `raw` (the features cast to double, `x0 … x{d−1}`, and the row key `rk`
 * when the step samples) and `pts` (the rows `kmeans` keeps — every feature present and finite — scaled as
 * z_t = (x_t − center_t) · (1 / scale_t), the same IEEE operations as in-process). Centres are a one-row CTE `cen`
 * of double literals (`doubleLiteral`), so a statement never holds a user's text.
 */
export interface KMeansFrame {
  readonly ctx: SqlContext;
  /** The quoted feature columns. */
  readonly features: readonly string[];
  /** The quoted id column, when the option names one. */
  readonly id: string | undefined;
}

/** The affine scaling of the features, z = (x − center) · inverse, inverse = 1 / scale. */
export interface FrameScaling {
  readonly center: readonly number[];
  readonly inverse: readonly number[];
}

/**
 * What keeps an engine from inlining the distance CTEs into the ones that read them. PostgreSQL pulls a simple
 * sub-query up into its reader, which copies each distance expression into every comparison of the nearest-centre
 * CASE (m² · d terms a row instead of m · d, and an expression tree that JIT compilation then takes seconds over);
 * `OFFSET 0` is its documented optimisation fence. The other engines compute each CTE column once. (A dialect
 * spelling kept here until `Dialect` has one.)
 */
const FENCE: Record<SqlDialect, string> = { duckdb: '', spark: '', bigquery: '', postgres: '\nOFFSET 0' };

const range = (n: number) => Array.from({ length: n }, (_, t) => t);

/** x_t IS NULL OR x_t not finite, for every feature: the in-process admission (null, NaN, ±Infinity dropped). */
function droppedTest(f: KMeansFrame, x: (t: number) => string): string {
  const { d } = f.ctx;
  return f.features.map((_, t) => `${x(t)} IS NULL OR ${d.inadmissible(x(t))}`).join(' OR ');
}

/** The admission rule of `kmeans`' feature matrix, for `dropCountsSql`: one reason, `invalidValue`. */
export function kmeansAdmissionRules(f: KMeansFrame): AdmissionRule[] {
  const { d } = f.ctx;
  return [{ reason: 'invalidValue', dropped: droppedTest(f, (t) => `CAST(${f.features[t]} AS ${d.double})`) }];
}

/**
 * The row key of the sampling draws without an id column, from the features `xs`: where the engine hashes several
 * values at once (DuckDB `hash`, Spark `xxhash64`), their hash — far cheaper than printing doubles; elsewhere
 * their text joined by `|` (what `uniform` hashes there). (A dialect spelling kept here until `Dialect` has one.)
 */
const FEATURE_KEY: Record<SqlDialect, (xs: readonly string[], d: Dialect) => string> = {
  duckdb: (xs) => `hash(${xs.join(', ')})`,
  spark: (xs) => `xxhash64(${xs.join(', ')})`,
  postgres: (xs, d) => textKey(xs, d),
  bigquery: (xs, d) => textKey(xs, d),
};

function textKey(xs: readonly string[], d: Dialect): string {
  const parts = xs.map((x) => `CAST(${x} AS ${d.text})`);
  return parts.length === 1 ? parts[0] : `CONCAT(${parts.join(`, ${d.string('|')}, `)})`;
}

/** The row key of the sampling draws: the id column, else a key of the features' values. */
function rowKey(f: KMeansFrame): string {
  const { d } = f.ctx;
  if (f.id !== undefined) return f.id;
  return FEATURE_KEY[d.name](
    f.features.map((_, t) => `x${t}`),
    d,
  );
}

/** `raw`: the features as doubles (and the id as `rk` when `withId`). */
function rawCte(f: KMeansFrame, withId: boolean): [string, string] {
  const { d } = f.ctx;
  const xs = f.features.map((c, t) => `CAST(${c} AS ${d.double}) AS x${t}`);
  if (withId && f.id !== undefined) xs.push(`${f.id} AS rk`);
  return ['raw', `SELECT ${xs.join(', ')}\nFROM ${f.ctx.source} AS src`];
}

/** `pts`: the kept rows, scaled (with `rk`, the row key, when `keyed`). */
function pointCtes(f: KMeansFrame, s: FrameScaling, keyed: boolean): [string, string][] {
  const { d } = f.ctx;
  const zs = f.features.map(
    (_, t) => `(x${t} - ${doubleLiteral(d, s.center[t])}) * ${doubleLiteral(d, s.inverse[t])} AS z${t}`,
  );
  if (keyed) zs.push(`${f.id !== undefined ? 'rk' : rowKey(f)} AS rk`);
  return [
    rawCte(f, keyed),
    ['pts', `SELECT ${zs.join(', ')}\nFROM raw\nWHERE NOT (${droppedTest(f, (t) => `x${t}`)})`],
  ];
}

/** `cen`: one row of centre coordinates, `{prefix}{j}_{t}`, for each centre set. */
function centreCte(f: KMeansFrame, sets: readonly (readonly [string, Float64Array])[]): [string, string] {
  const { d } = f.ctx;
  const dims = f.features.length;
  const cells = sets.flatMap(([prefix, centres]) =>
    range(centres.length / dims).flatMap((j) =>
      range(dims).map((t) => `${doubleLiteral(d, centres[j * dims + t])} AS ${prefix}${j}_${t}`),
    ),
  );
  return ['cen', `SELECT ${cells.join(',\n  ')}`];
}

/** ‖z − centre j‖², summed over the features in order as `squaredDistance` does. */
function distance(dims: number, prefix: string, j: number): string {
  return range(dims)
    .map((t) => `(z${t} - ${prefix}${j}_${t}) * (z${t} - ${prefix}${j}_${t})`)
    .join(' + ');
}

const least = (xs: readonly string[]) => (xs.length === 1 ? xs[0] : `LEAST(${xs.join(', ')})`);

/** The index of the nearest centre, ties to the lower index (as in-process). */
function nearestCase(m: number, dist: string, min: string): string {
  if (m === 1) return '0';
  const whens = range(m - 1).map((j) => `WHEN ${dist}${j} = ${min} THEN ${j}`);
  return `CASE ${whens.join(' ')} ELSE ${m - 1} END`;
}

/**
 * From `pts` (or any CTE with `z0 …`): `dist` (squared distances to each centre of each set), `ranked` (their
 * minimum) and `lab` (the nearest centre of each set, its distance): the nearest-centre scan as SQL.
 * `carry` lists columns passed along. Sets are [centre prefix, centres, distance prefix, label name, min name].
 */
function nearestCtes(
  f: KMeansFrame,
  from: string,
  sets: readonly { readonly prefix: string; readonly centres: Float64Array; readonly label: string }[],
  carry: readonly string[],
): [string, string][] {
  const dims = f.features.length;
  const zs = range(dims).map((t) => `z${t}`);
  const kept = [...zs, ...carry];
  const count = (centres: Float64Array) => centres.length / dims;
  const dists = sets.flatMap(({ prefix, centres }) =>
    range(count(centres)).map((j) => `${distance(dims, prefix, j)} AS ${prefix}d${j}`),
  );
  const names = (prefix: string, centres: Float64Array) => range(count(centres)).map((j) => `${prefix}d${j}`);
  const mins = sets.map(({ prefix, centres }) => `${least(names(prefix, centres))} AS ${prefix}min`);
  const labels = sets.map(
    ({ prefix, centres, label }) => `${nearestCase(count(centres), `${prefix}d`, `${prefix}min`)} AS ${label}`,
  );
  return [
    centreCte(
      f,
      sets.map(({ prefix, centres }) => [prefix, centres] as const),
    ),
    ['dist', `SELECT ${[...kept, ...dists].join(',\n  ')}\nFROM ${from} CROSS JOIN cen${FENCE[f.ctx.d.name]}`],
    [
      'ranked',
      `SELECT ${[...kept, ...sets.flatMap(({ prefix, centres }) => names(prefix, centres)), ...mins].join(', ')}\nFROM dist${FENCE[f.ctx.d.name]}`,
    ],
    ['lab', `SELECT ${[...kept, ...sets.map(({ prefix }) => `${prefix}min`), ...labels].join(', ')}\nFROM ranked`],
  ];
}

/**
 * The counts, means, ranges and (two-pass) sums of squared deviations of the kept rows' features, in one
 * statement: columns `n`, `m{t}`, `lo{t}`, `hi{t}`, `ss{t}` (one row; `n` NULL or 0 when no row is kept).
 */
export function statsSql(f: KMeansFrame): string {
  const { d } = f.ctx;
  const ts = range(f.features.length);
  const moments = ts.flatMap((t) => [
    `${d.sum(`x${t}`)} / COUNT(*) AS m${t}`,
    `MIN(x${t}) AS lo${t}`,
    `MAX(x${t}) AS hi${t}`,
  ]);
  const outer = [
    'MAX(n) AS n',
    ...ts.flatMap((t) => [`MAX(m${t}) AS m${t}`, `MAX(lo${t}) AS lo${t}`, `MAX(hi${t}) AS hi${t}`]),
    ...ts.map((t) => `${d.sum(`(x${t} - m${t}) * (x${t} - m${t})`)} AS ss${t}`),
  ];
  return (
    `${withClause([
      rawCte(f, false),
      ['kept', `SELECT ${ts.map((t) => `x${t}`).join(', ')}\nFROM raw\nWHERE NOT (${droppedTest(f, (t) => `x${t}`)})`],
      ['mom', `SELECT COUNT(*) AS n, ${moments.join(', ')}\nFROM kept`],
    ])}\n` + `SELECT ${outer.join(',\n  ')}\nFROM kept CROSS JOIN mom`
  );
}

/** k-means‖ step 1: one kept row drawn uniformly (the smallest `uniform(key, stream)`), scaled: columns `z{t}`. */
export function firstPointSql(f: KMeansFrame, s: FrameScaling, stream: number): string {
  const zs = range(f.features.length).map((t) => `z${t}`);
  return (
    `${withClause(pointCtes(f, s, true))}\n` +
    `SELECT ${zs.join(', ')}\nFROM pts\nORDER BY ${f.ctx.d.uniform('rk', String(stream))}, ${zs.join(', ')}\nLIMIT 1`
  );
}

/**
 * k-means‖ step 4 (one round): φ = Σ_x d²(x, C) over the kept rows and the rows x drawn with probability
 * min(1, ℓ · d²(x, C) / φ), i.e. where uniform(key, stream) · φ < ℓ · d²(x, C): columns `z{t}` and `phi`.
 */
export function samplingRoundSql(
  f: KMeansFrame,
  s: FrameScaling,
  candidates: Float64Array,
  oversampling: number,
  stream: number,
): string {
  const { d } = f.ctx;
  const zs = range(f.features.length).map((t) => `z${t}`);
  const ctes = [
    ...pointCtes(f, s, true),
    ...nearestCtes(f, 'pts', [{ prefix: 'c', centres: candidates, label: 'j' }], ['rk']),
    ['total', 'SELECT SUM(cmin) AS phi FROM lab'] as [string, string],
  ];
  return (
    `${withClause(ctes)}\nSELECT ${zs.join(', ')}, phi\nFROM lab CROSS JOIN total\n` +
    `WHERE ${d.uniform('rk', String(stream))} * phi < ${doubleLiteral(d, oversampling)} * cmin`
  );
}

/** k-means‖ step 7: the weight of each candidate, the number of kept rows nearest to it: columns `j`, `w`. */
export function candidateWeightsSql(f: KMeansFrame, s: FrameScaling, candidates: Float64Array): string {
  const ctes = [
    ...pointCtes(f, s, false),
    ...nearestCtes(f, 'pts', [{ prefix: 'c', centres: candidates, label: 'j' }], []),
  ];
  return `${withClause(ctes)}\nSELECT j, COUNT(*) AS w\nFROM lab\nGROUP BY j\nORDER BY j`;
}

/**
 * One Lloyd step: each kept row's nearest centre j (ties to the lower index), then per centre the count `n`, the
 * sums `s{t}` of the scaled features, the within sum of squares `ss`, and — given the previous centres — `moved`,
 * the rows whose nearest previous centre was another (in-process "labels changed"). Rows ordered by j; a centre
 * without rows has no row.
 */
export function lloydStepSql(
  f: KMeansFrame,
  s: FrameScaling,
  centres: Float64Array,
  previous: Float64Array | undefined,
): string {
  const { d } = f.ctx;
  const sets = [{ prefix: 'c', centres, label: 'j' }];
  if (previous) sets.push({ prefix: 'p', centres: previous, label: 'jp' });
  const ctes = [...pointCtes(f, s, false), ...nearestCtes(f, 'pts', sets, [])];
  const columns = [
    'j',
    'COUNT(*) AS n',
    ...range(f.features.length).map((t) => `${d.sum(`z${t}`)} AS s${t}`),
    `${d.sum('cmin')} AS ss`,
  ];
  if (previous) columns.push('COUNT(CASE WHEN jp <> j THEN 1 END) AS moved');
  return `${withClause(ctes)}\nSELECT ${columns.join(',\n  ')}\nFROM lab\nGROUP BY j\nORDER BY j`;
}

/**
 * The `m` kept rows farthest from their nearest centre (distance descending, then coordinates ascending: SQL has
 * no row order), with that centre `j` and the squared distance `far`: what an empty cluster is re-seeded from.
 */
export function farthestSql(f: KMeansFrame, s: FrameScaling, centres: Float64Array, m: number): string {
  const zs = range(f.features.length).map((t) => `z${t}`);
  const ctes = [...pointCtes(f, s, false), ...nearestCtes(f, 'pts', [{ prefix: 'c', centres, label: 'j' }], [])];
  return (
    `${withClause(ctes)}\nSELECT ${zs.join(', ')}, j, cmin AS far\nFROM lab\n` +
    `ORDER BY cmin DESC, ${zs.join(', ')}\nLIMIT ${m}`
  );
}

/**
 * Every row of the source with its segment: the id column (or the features, as doubles) and `segment`, the
 * nearest centre (0 … k − 1, ties to the lower index), NULL where a feature is missing or not finite.
 */
export function assignSql(f: KMeansFrame, s: FrameScaling, centres: Float64Array): string {
  const { d } = f.ctx;
  const dims = f.features.length;
  const xs = range(dims).map((t) => `x${t}`);
  const carry = [...xs, ...(f.id !== undefined ? ['rk'] : [])];
  const zs = range(dims).map(
    (t) => `(x${t} - ${doubleLiteral(d, s.center[t])}) * ${doubleLiteral(d, s.inverse[t])} AS z${t}`,
  );
  const ctes: [string, string][] = [
    rawCte(f, true),
    ['pts', `SELECT ${[...carry, ...zs].join(', ')}\nFROM raw`],
    ...nearestCtes(f, 'pts', [{ prefix: 'c', centres, label: 'j' }], carry),
  ];
  const out = f.id !== undefined ? [`rk AS ${f.id}`] : f.features.map((c, t) => `x${t} AS ${c}`);
  const segment = `CASE WHEN ${droppedTest(f, (t) => `x${t}`)} THEN NULL ELSE j END AS ${d.ident('segment')}`;
  return `${withClause(ctes)}\nSELECT ${[...out, segment].join(', ')}\nFROM lab`;
}
