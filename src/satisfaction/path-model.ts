import type { Table } from 'apache-arrow';
import { asTable, ClienteleError, describeValue, getColumn, nullRecord, ownValue } from '../table/internal';

/**
 * How a block's outer weights are estimated: `'A'` (reflective: each weight is the covariance of its indicator
 * with the inner estimate) or `'B'` (formative: the weights are the multiple-regression coefficients of the inner
 * estimate on the block's indicators).
 */
export type BlockMode = 'A' | 'B';

/** What {@link pathModel} takes: the measurement blocks, the structural paths and the blocks' modes. */
export interface PathModelSpec {
  /** Latent variable → its indicator columns (manifest variables). The order of the keys is the output order. */
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  /** Structural paths `[from, to]`: `from` explains `to`. The graph must be acyclic. */
  readonly paths: readonly (readonly [string, string])[];
  /** Mode per latent variable; default `'A'` for every block. */
  readonly modes?: Readonly<Record<string, BlockMode>>;
}

/** A validated path model: what {@link plsPathModel} estimates. Frozen. */
export interface PathModel {
  /** Latent variables in the order of `blocks`. */
  readonly latent: readonly string[];
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  readonly paths: readonly (readonly [string, string])[];
  readonly modes: Readonly<Record<string, BlockMode>>;
  /** Latent variables in a causal order: every path's `from` comes before its `to`. */
  readonly causalOrder: readonly string[];
}

/**
 * A structural equation model for PLS path modelling: latent variables, each measured by a block of indicator
 * columns, and directed paths between them.
 *
 * Analysts write the model once and estimate it with {@link plsPathModel}; the presets {@link acsiModel} and
 * {@link ecsiModel} build the satisfaction-index models.
 *
 * Checks: at least two latent variables; every block a non-empty list of distinct column names (a column may
 * measure two blocks, as in the repeated-indicators approach to higher-order models); every path between two
 * declared latent variables, no self-loops or repeated paths; the path graph acyclic (PLS-PM estimates recursive
 * models only); every latent variable on at least one path (an unconnected block has no inner estimate); modes
 * `'A'` or `'B'`. When `survey` is given, every indicator column must exist in it.
 *
 * Cost: O(LVs + paths + indicators).
 *
 * @param spec blocks, paths and optional modes
 * @param survey optional table (anything `asTable` accepts) whose columns the indicators must name
 * @throws {ClienteleError} `INVALID_OPTION` for a malformed model, `MISSING_COLUMN` for an indicator not in `survey`
 * @example
 * const model = pathModel({ blocks: { quality: ['q1', 'q2'], satisfaction: ['s1', 's2'] }, paths: [['quality', 'satisfaction']] });
 * model.latent; // ['quality', 'satisfaction']
 * model.modes.quality; // 'A'
 */
export function pathModel(spec: PathModelSpec, survey?: unknown): PathModel {
  const fn = 'pathModel';
  if (typeof spec !== 'object' || spec === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the model must be an object { blocks, paths, modes? } (found ${describeValue(spec)}); see acsiModel for an example`,
    );
  }
  const { latent, blocks } = validateBlocks(spec.blocks, fn);
  const paths = validatePaths(spec.paths, latent, fn);
  const causalOrder = topologicalOrder(latent, paths, fn);
  const modes = validateModes(spec.modes, latent, fn);
  if (survey !== undefined) checkIndicatorColumns(asTable(survey), blocks, fn);
  return freezeModel(latent, blocks, paths, modes, causalOrder);
}

/** The latent variables (at least two) and their blocks, each a non-empty list of distinct column names, copied. */
function validateBlocks(
  blocksIn: PathModelSpec['blocks'],
  fn: string,
): { latent: string[]; blocks: Record<string, readonly string[]> } {
  if (typeof blocksIn !== 'object' || blocksIn === null || Array.isArray(blocksIn)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: blocks must map each latent variable to its indicator columns (found ${describeValue(blocksIn)}); e.g. { satisfaction: ['sat1', 'sat2'] }`,
    );
  }
  const latent = Object.keys(blocksIn);
  if (latent.length < 2) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: a path model needs at least two latent variables (found ${latent.length}); add a block for each construct`,
    );
  }
  const blocks: Record<string, readonly string[]> = nullRecord();
  for (const lv of latent) {
    const columns = ownValue(blocksIn, lv);
    if (
      !Array.isArray(columns) ||
      columns.length === 0 ||
      !columns.every((c) => typeof c === 'string' && c.length > 0)
    ) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: block "${lv}" must be a non-empty array of column names (found ${describeValue(columns)}); list the survey questions that measure ${lv}`,
      );
    }
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c))
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: block "${lv}" lists column "${c}" twice; list each indicator once`,
          { column: c },
        );
      seen.add(c);
    }
    blocks[lv] = Object.freeze([...columns]);
  }
  return { latent, blocks };
}

/** The paths as frozen pairs: each between two declared, distinct latent variables, none twice, none left out. */
function validatePaths(
  pathsIn: PathModelSpec['paths'],
  latent: readonly string[],
  fn: string,
): (readonly [string, string])[] {
  if (!Array.isArray(pathsIn) || pathsIn.length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: paths must be a non-empty array of [from, to] pairs (found ${describeValue(pathsIn)}); e.g. [['quality', 'satisfaction']]`,
    );
  }
  const known = new Set(latent);
  const pathKeys = new Set<string>();
  const paths: (readonly [string, string])[] = [];
  for (let i = 0; i < pathsIn.length; i++) {
    const path = pathsIn[i];
    if (!Array.isArray(path) || path.length !== 2 || typeof path[0] !== 'string' || typeof path[1] !== 'string') {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: path ${i} must be a pair [from, to] of latent variable names (found ${describeValue(path)})`,
      );
    }
    const [from, to] = path;
    for (const end of [from, to]) {
      if (!known.has(end)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: path ${i} [${from}, ${to}] names "${end}", which has no block (latent variables: ${latent.join(', ')}); add a block or fix the name`,
        );
      }
    }
    if (from === to)
      throw new ClienteleError('INVALID_OPTION', `${fn}: path ${i} goes from "${from}" to itself; remove it`);
    const key = `${from}\u0000${to}`;
    if (pathKeys.has(key))
      throw new ClienteleError('INVALID_OPTION', `${fn}: path [${from}, ${to}] is listed twice; list each path once`);
    pathKeys.add(key);
    paths.push(Object.freeze([from, to] as const));
  }
  for (const lv of latent) {
    if (!paths.some(([f, t]) => f === lv || t === lv)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: latent variable "${lv}" is on no path; connect it to the model or remove its block`,
      );
    }
  }
  return paths;
}

/** The mode of every latent variable, `'A'` unless `modesIn` says `'B'`; modes of undeclared variables are errors. */
function validateModes(
  modesIn: PathModelSpec['modes'],
  latent: readonly string[],
  fn: string,
): Record<string, BlockMode> {
  const modes: Record<string, BlockMode> = nullRecord();
  const given = modesIn ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: modes must map latent variables to 'A' or 'B' (found ${describeValue(given)})`,
    );
  }
  const known = new Set(latent);
  for (const name of Object.keys(given)) {
    if (!known.has(name))
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: modes names "${name}", which has no block (latent variables: ${latent.join(', ')})`,
      );
  }
  for (const lv of latent) {
    const mode = ownValue(given as Record<string, unknown>, lv) ?? 'A';
    if (mode !== 'A' && mode !== 'B') {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: mode of "${lv}" must be 'A' (reflective) or 'B' (formative) (found ${describeValue(mode)})`,
      );
    }
    modes[lv] = mode;
  }
  return modes;
}

/** The validated parts as a frozen {@link PathModel}, every list and record frozen too. */
function freezeModel(
  latent: string[],
  blocks: Record<string, readonly string[]>,
  paths: (readonly [string, string])[],
  modes: Record<string, BlockMode>,
  causalOrder: string[],
): PathModel {
  return Object.freeze({
    latent: Object.freeze(latent),
    blocks: Object.freeze(blocks),
    paths: Object.freeze(paths),
    modes: Object.freeze(modes),
    causalOrder: Object.freeze(causalOrder),
  });
}

/** Throws `MISSING_COLUMN` for the first indicator that `table` lacks. */
export function checkIndicatorColumns(
  table: Table,
  blocks: Readonly<Record<string, readonly string[]>>,
  fn: string,
): void {
  for (const lv of Object.keys(blocks)) for (const column of blocks[lv]) getColumn(table, column, fn, `blocks.${lv}`);
}

/** Kahn's algorithm; a cycle is an error naming the latent variables on it. */
function topologicalOrder(
  latent: readonly string[],
  paths: readonly (readonly [string, string])[],
  fn: string,
): string[] {
  const indegree = new Map(latent.map((lv) => [lv, 0]));
  for (const [, to] of paths) indegree.set(to, indegree.get(to)! + 1);
  const order: string[] = [];
  const ready = latent.filter((lv) => indegree.get(lv) === 0);
  while (ready.length > 0) {
    const lv = ready.shift()!;
    order.push(lv);
    for (const [from, to] of paths) {
      if (from !== lv) continue;
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  if (order.length < latent.length) {
    const onCycle = latent.filter((lv) => !order.includes(lv));
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the paths form a cycle through ${onCycle.join(', ')}; PLS path modelling needs a recursive (acyclic) model, so remove one path of the cycle`,
    );
  }
  return order;
}

/** Indicator columns of the six ACSI constructs. */
export interface AcsiBlocks {
  readonly expectations: readonly string[];
  readonly quality: readonly string[];
  readonly value: readonly string[];
  readonly satisfaction: readonly string[];
  readonly complaints: readonly string[];
  readonly loyalty: readonly string[];
}

/**
 * The American Customer Satisfaction Index model (Fornell, Johnson, Anderson, Cha & Bryant 1996, Journal of
 * Marketing 60(4), Figure 1): customer expectations → perceived quality → perceived value → customer satisfaction
 * → customer complaints and customer loyalty, all blocks reflective (mode A).
 *
 * Paths: expectations → quality, expectations → value, expectations → satisfaction, quality → value,
 * quality → satisfaction, value → satisfaction, satisfaction → complaints, satisfaction → loyalty,
 * complaints → loyalty. Latent variables are named `expectations`, `quality`, `value`, `satisfaction`,
 * `complaints`, `loyalty`.
 *
 * @param blocks the indicator columns of each construct
 * @throws {ClienteleError} `INVALID_OPTION` as {@link pathModel}
 * @example
 * const model = acsiModel({ expectations: ['exp1', 'exp2', 'exp3'], quality: ['qual1', 'qual2', 'qual3'], value: ['val1', 'val2'], satisfaction: ['sat1', 'sat2', 'sat3'], complaints: ['comp1'], loyalty: ['loy1', 'loy2'] });
 * model.paths.length; // 9
 * model.causalOrder; // ['expectations', 'quality', 'value', 'satisfaction', 'complaints', 'loyalty']
 */
export function acsiModel(blocks: AcsiBlocks): PathModel {
  const b = checkPresetBlocks(
    blocks,
    ['expectations', 'quality', 'value', 'satisfaction', 'complaints', 'loyalty'],
    'acsiModel',
  );
  return pathModel({
    blocks: b,
    paths: [
      ['expectations', 'quality'],
      ['expectations', 'value'],
      ['expectations', 'satisfaction'],
      ['quality', 'value'],
      ['quality', 'satisfaction'],
      ['value', 'satisfaction'],
      ['satisfaction', 'complaints'],
      ['satisfaction', 'loyalty'],
      ['complaints', 'loyalty'],
    ],
  });
}

/** Indicator columns of the ECSI constructs; `complaints` is optional. */
export interface EcsiBlocks {
  readonly image: readonly string[];
  readonly expectations: readonly string[];
  readonly quality: readonly string[];
  readonly value: readonly string[];
  readonly satisfaction: readonly string[];
  readonly loyalty: readonly string[];
  readonly complaints?: readonly string[];
}

/**
 * The European Customer Satisfaction Index model (ECSI Technical Committee 1998; Tenenhaus, Esposito Vinzi,
 * Chatelin & Lauro 2005, Computational Statistics & Data Analysis 48, Figure 7): the ACSI chain plus corporate
 * image, which drives expectations, satisfaction and loyalty. All blocks mode A.
 *
 * Paths: image → expectations, image → satisfaction, image → loyalty, expectations → quality,
 * expectations → value, expectations → satisfaction, quality → value, quality → satisfaction,
 * value → satisfaction, satisfaction → loyalty; with `complaints`, also satisfaction → complaints and
 * complaints → loyalty (the model of the `mobi` data in Tenenhaus et al. 2005).
 *
 * @param blocks the indicator columns of each construct
 * @throws {ClienteleError} `INVALID_OPTION` as {@link pathModel}
 * @example
 * const model = ecsiModel({ image: ['imag1', 'imag2'], expectations: ['expe1', 'expe2'], quality: ['qual1', 'qual2'], value: ['val1', 'val2'], satisfaction: ['sat1', 'sat2'], loyalty: ['loy1', 'loy2'] });
 * model.paths.length; // 10
 * model.latent[0]; // 'image'
 */
export function ecsiModel(blocks: EcsiBlocks): PathModel {
  const names = ['image', 'expectations', 'quality', 'value', 'satisfaction', 'loyalty'];
  const withComplaints = typeof blocks === 'object' && blocks !== null && blocks.complaints !== undefined;
  if (withComplaints) names.splice(5, 0, 'complaints');
  const b = checkPresetBlocks(blocks, names, 'ecsiModel');
  const paths: [string, string][] = [
    ['image', 'expectations'],
    ['image', 'satisfaction'],
    ['image', 'loyalty'],
    ['expectations', 'quality'],
    ['expectations', 'value'],
    ['expectations', 'satisfaction'],
    ['quality', 'value'],
    ['quality', 'satisfaction'],
    ['value', 'satisfaction'],
    ['satisfaction', 'loyalty'],
  ];
  if (withComplaints) paths.push(['satisfaction', 'complaints'], ['complaints', 'loyalty']);
  return pathModel({ blocks: b, paths });
}

function checkPresetBlocks(blocks: unknown, names: readonly string[], fn: string): Record<string, readonly string[]> {
  if (typeof blocks !== 'object' || blocks === null) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: pass the indicator columns of each construct, { ${names.join(', ')} } (found ${describeValue(blocks)})`,
    );
  }
  const given = blocks as Record<string, unknown>;
  const out: Record<string, readonly string[]> = nullRecord();
  for (const name of names) {
    const columns = ownValue(given, name);
    if (columns === undefined) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: the indicator columns of "${name}" are missing; pass { ${names.join(', ')} }`,
      );
    }
    out[name] = columns as readonly string[];
  }
  for (const name of Object.keys(given)) {
    if (!names.includes(name) && !(fn === 'ecsiModel' && name === 'complaints')) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: "${name}" is not a construct of this model (constructs: ${names.join(', ')}); use pathModel for other models`,
      );
    }
  }
  return out;
}
