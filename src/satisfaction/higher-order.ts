import type { Table, Vector } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  getColumn,
  hasOwnKey,
  knownOptions,
  nullRecord,
  numberVector,
  optionNames,
  ownValue,
  tableWithMetadata,
  takeVector,
} from '../table/internal';
import { pathModel } from './path-model';
import type { BlockMode, PathModel, PathModelSpec } from './path-model';
import { plsPathModel } from './pls-path-model';
import type { PlsFit, PlsOptions } from './pls-path-model';
import type { MeasurementLevel } from './pls-nonmetric';

/**
 * A model with higher-order constructs: the first-order blocks as in {@link pathModel}, and each higher-order
 * construct formed from lower-order constructs (its "dimensions"), as seminr's `higher_composite`.
 */
export interface HigherOrderSpec {
  /** Every lower- and first-order construct and its indicator columns. */
  readonly blocks: PathModelSpec['blocks'];
  /** Higher-order construct → its lower-order constructs (two or more blocks of `blocks`, each in one construct only). */
  readonly higher: Readonly<Record<string, readonly string[]>>;
  /** Structural paths between higher-order constructs and the other first-order constructs (not the dimensions). */
  readonly paths: PathModelSpec['paths'];
  /** Modes of the blocks and of the higher-order constructs (mode A by default; seminr's `weights = mode_B` is 'B'). */
  readonly modes?: Readonly<Record<string, BlockMode>>;
}

/** Options of {@link plsHigherOrder}: those of plsPathModel but the bootstrap (run it on `secondStage`'s model). */
export type PlsHigherOrderOptions = Omit<PlsOptions, 'bootstrap' | 'maxBootstrap' | 'confidence' | 'seed'>;

/**
 * A two-stage higher-order fit: the second stage's fit (paths, R², outer model of the higher-order constructs,
 * whose indicators are their dimensions' scores) with the first stage beside it; frozen.
 */
export interface PlsHigherOrderFit extends PlsFit {
  /** The first stage: the dimensions in place of each higher-order construct; their own weights and loadings. */
  readonly firstStage: PlsFit;
  /** Higher-order construct → its dimensions, as given. */
  readonly higher: Readonly<Record<string, readonly string[]>>;
}

const PLS_HIGHER_ORDER_OPTION_NAMES = optionNames<PlsHigherOrderOptions>({
  scheme: true,
  scaled: true,
  scale: true,
  maxIterations: true,
  tolerance: true,
  key: true,
  allowNonConvergence: true,
  missing: true,
  scaling: true,
  maxCategories: true,
  consistent: true,
});

/**
 * PLS path model with higher-order constructs by the disjoint two-stage approach (Becker, Klein & Wetzels 2012;
 * Sarstedt et al. 2019, §4), as R seminr's `higher_composite(…, method = two_stage)` estimates it.
 *
 * Analysts use it when a construct is itself made of constructs — overall quality from product and service quality,
 * satisfaction from image and value — so that the structural model speaks of the higher-order construct while each
 * dimension keeps its own questions.
 *
 * 1. First stage: each higher-order construct H is replaced by its dimensions: every path a → H becomes a → d and
 *    every path H → b becomes d → b, for each dimension d; the model is fitted and the dimensions' scores kept.
 * 2. Second stage: H is a block whose indicators are its dimensions' first-stage scores (mode A, or B as given);
 *    the model of the paths as written is fitted on those scores and the other constructs' questions.
 *
 * The dimensions' own weights and loadings are `firstStage.outer` (seminr's combined table takes them from there);
 * everything else is the second stage's. The alternative, repeated indicators (H measured by all its dimensions'
 * questions, with paths between H and its dimensions), needs no new function: a column may measure two blocks in
 * {@link pathModel}. For the 0–100 index, H's index is the mean of its dimensions' indices weighted by H's index
 * weights (the dimension scores enter the second stage rescaled onto the answer scale, which changes no estimate).
 *
 * Cost: two plsPathModel fits.
 *
 * @param survey one row per respondent (anything `asTable` accepts)
 * @param spec blocks, higher-order constructs, paths and modes
 * @param options as plsPathModel's (scheme, scaled, scale, maxIterations, tolerance, key, allowNonConvergence)
 * @throws {ClienteleError} `INVALID_OPTION` (a malformed spec: a dimension that is not a block, in two
 *   higher-order constructs or on a path; a higher-order construct named as a block), and plsPathModel's errors
 * @example
 * const store = sampleStore({ customers: 500, seed: 5 });
 * const b = store.truth.acsi.blocks;
 * const fit = plsHigherOrder(store.survey, {
 *   blocks: { expectations: b.expectations, quality: b.quality, value: b.value, loyalty: b.loyalty },
 *   higher: { experience: ['quality', 'value'] },
 *   paths: [['expectations', 'experience'], ['experience', 'loyalty']],
 * }, { scale: [1, 10] });
 * Object.keys(fit.outer).filter((k) => fit.outer[k].block === 'experience'); // ['quality', 'value']
 * fit.firstStage.paths.quality.loyalty > 0; // true
 */
export function plsHigherOrder(
  survey: unknown,
  spec: HigherOrderSpec,
  options: PlsHigherOrderOptions = {},
): PlsHigherOrderFit {
  options = knownOptions(options, PLS_HIGHER_ORDER_OPTION_NAMES, 'plsHigherOrder');
  const fn = 'plsHigherOrder';
  const table = asTable(survey);
  const { first, second, higher } = stageModels(spec, fn);
  const firstStage = plsPathModel(table, first, options);

  // Second stage: the kept respondents' questions and their dimensions' scores, on the answer scale.
  const kept = firstStage.scores.getChild('row')!.toArray() as Float64Array;
  const keptRows = Int32Array.from(kept);
  const dimensions = Object.values(higher).flat();
  const columns: Record<string, Vector> = nullRecord();
  for (const lv of second.latent) {
    for (const column of second.blocks[lv]) {
      if (hasOwnKey(higher, lv)) continue;
      if (dimensions.includes(column)) throw clash(column, fn);
      columns[column] ??= takeVector(getColumn(table, column, fn, `blocks.${lv}`), keptRows);
    }
  }
  const onScale = dimensionsOnScale(firstStage, dimensions);
  for (const d of dimensions) columns[d] = numberVector(onScale[d]);
  const stageTwo = tableWithMetadata(columns, {});
  const { key, scaling, ...rest } = options;
  // the dimensions' scores are numeric indicators; the questions keep the measurement levels given
  const levels = scaling === undefined ? undefined : stageTwoLevels(scaling, Object.keys(columns), dimensions);
  const secondStage = plsPathModel(stageTwo, second, { ...rest, scaling: levels, scale: firstStage.scale });
  return assemble(firstStage, secondStage, higher, key);
}

/** `scaling` for the second stage: the levels given to its questions, every dimension score numeric. */
function stageTwoLevels(
  scaling: NonNullable<PlsOptions['scaling']>,
  columns: readonly string[],
  dimensions: readonly string[],
): Record<string, MeasurementLevel> {
  const levels: Record<string, MeasurementLevel> = nullRecord();
  for (const c of columns) {
    if (dimensions.includes(c)) continue;
    const level = typeof scaling === 'string' ? scaling : hasOwnKey(scaling, c) ? scaling[c] : undefined;
    if (level !== undefined) levels[c] = level;
  }
  return levels;
}

/** The first- and second-stage models of a spec, checked. */
function stageModels(
  spec: HigherOrderSpec,
  fn: string,
): { first: PathModel; second: PathModel; higher: Record<string, readonly string[]> } {
  if (typeof spec !== 'object' || spec === null)
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the model must be an object { blocks, higher, paths, modes? } (found ${describeValue(spec)})`,
    );
  const blocks = spec.blocks ?? {};
  const higherIn = spec.higher;
  if (typeof higherIn !== 'object' || higherIn === null || Object.keys(higherIn).length === 0) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: higher must map each higher-order construct to its dimensions (found ${describeValue(higherIn)}); e.g. { satisfaction: ['image', 'value'] }`,
    );
  }
  const higher: Record<string, readonly string[]> = nullRecord();
  const owner = new Map<string, string>();
  for (const h of Object.keys(higherIn)) {
    const dims = ownValue(higherIn, h);
    if (hasOwnKey(blocks, h))
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: "${h}" is both a block and a higher-order construct (found it in blocks and in higher); a higher-order construct's indicators are its dimensions, so remove its block`,
      );
    if (!Array.isArray(dims) || dims.length < 2 || !dims.every((d) => typeof d === 'string'))
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: higher-order construct "${h}" needs at least two dimensions, each a block name (found ${describeValue(dims)})`,
      );
    for (const d of dims) {
      if (!hasOwnKey(blocks, d))
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: dimension "${d}" of "${h}" is not a block (found no block of that name); add its block of questions to blocks`,
        );
      if (owner.has(d))
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: dimension "${d}" belongs to both "${owner.get(d)}" and "${h}" (found it twice in higher); a dimension forms one higher-order construct`,
        );
      owner.set(d, h);
    }
    higher[h] = Object.freeze([...dims]);
  }
  const paths = Array.isArray(spec.paths) ? spec.paths : [];
  for (const path of paths) {
    for (const end of Array.isArray(path) ? path : []) {
      if (owner.has(end))
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: path ${JSON.stringify(path)} names dimension "${end}" of "${owner.get(end)}" (found a dimension on a path); the two-stage approach joins the higher-order construct, so write "${owner.get(end)}" instead`,
        );
    }
  }
  const modes = spec.modes ?? {};
  const pick = (names: readonly string[]) => {
    const out: Record<string, BlockMode> = nullRecord();
    for (const name of names) {
      const mode = ownValue(modes, name);
      if (mode !== undefined) out[name] = mode;
    }
    return out;
  };
  // First stage: every path through a higher-order construct runs through each of its dimensions instead.
  const firstPaths: [string, string][] = [];
  const add = (from: string, to: string) => {
    if (!firstPaths.some(([f, t]) => f === from && t === to)) firstPaths.push([from, to]);
  };
  const through = (lv: string) => (hasOwnKey(higher, lv) ? higher[lv] : [lv]);
  for (const [from, to] of paths) for (const f of through(from)) for (const t of through(to)) add(f, t);
  const firstBlocks = nullRecord<readonly string[]>();
  for (const lv of Object.keys(blocks)) firstBlocks[lv] = ownValue(blocks, lv)!;
  const first = pathModel({ blocks: firstBlocks, paths: firstPaths, modes: pick(Object.keys(firstBlocks)) });
  // Second stage: higher-order constructs measured by their dimensions; the dimensions themselves leave the model.
  const secondBlocks = nullRecord<readonly string[]>();
  for (const lv of Object.keys(blocks)) if (!owner.has(lv)) secondBlocks[lv] = ownValue(blocks, lv)!;
  for (const h of Object.keys(higher)) secondBlocks[h] = higher[h];
  const second = pathModel({ blocks: secondBlocks, paths, modes: pick(Object.keys(secondBlocks)) });
  return { first, second, higher };
}

function clash(column: string, fn: string): ClienteleError {
  return new ClienteleError(
    'INVALID_OPTION',
    `${fn}: dimension "${column}" has the name of a question of the second stage (found column "${column}" in a block); rename the dimension`,
    { column },
  );
}

/**
 * The dimensions' first-stage scores mapped onto the answer scale [lo, hi] by one increasing affine map shared by
 * all of them, z ↦ lo + (z − z_min)(hi − lo)/(z_max − z_min): standardised or not, the second stage's estimates are
 * those of the scores themselves (the map only rescales and shifts a block's indicators together), and the answer
 * scale of the other questions stays as it is.
 */
function dimensionsOnScale(firstStage: PlsFit, dimensions: readonly string[]): Record<string, Float64Array> {
  const [lo, hi] = firstStage.scale;
  const scores = dimensions.map((d) => firstStage.scores.getChild(d)!.toArray() as Float64Array);
  let zMin = Infinity;
  let zMax = -Infinity;
  for (const z of scores)
    for (const v of z) {
      if (v < zMin) zMin = v;
      if (v > zMax) zMax = v;
    }
  const slope = (hi - lo) / (zMax - zMin);
  const out: Record<string, Float64Array> = nullRecord();
  dimensions.forEach((d, a) => (out[d] = Float64Array.from(scores[a], (z) => Math.min(hi, lo + (z - zMin) * slope))));
  return out;
}

/** The second stage's fit with the input rows, the key, and each higher-order construct's index from its dimensions'. */
function assemble(
  firstStage: PlsFit,
  secondStage: PlsFit,
  higher: Record<string, readonly string[]>,
  key: string | undefined,
): PlsHigherOrderFit {
  const index: Record<string, number> = nullRecord();
  for (const lv of Object.keys(secondStage.index)) index[lv] = secondStage.index[lv];
  const indexOf = new Map<string, Float64Array>();
  for (const h of Object.keys(higher)) {
    let value = 0;
    const per = new Float64Array(firstStage.respondents);
    for (const d of higher[h]) {
      const w = secondStage.outer[d].indexWeight;
      value += w * firstStage.index[d];
      const dimension = firstStage.indexScores.getChild(d)!.toArray() as Float64Array;
      for (let i = 0; i < per.length; i++) per[i] += w * dimension[i];
    }
    index[h] = value;
    indexOf.set(h, per);
  }
  const relabel = (stage2: Table, stage1: Table, replace: ReadonlyMap<string, Float64Array>): Table => {
    const columns: Record<string, Vector> = nullRecord();
    columns.row = stage1.getChild('row')!;
    if (key !== undefined) columns[key] = stage1.getChild(key)!;
    for (const field of stage2.schema.fields) {
      if (field.name === 'row') continue;
      const replaced = replace.get(field.name);
      columns[field.name] = replaced ? numberVector(replaced) : stage2.getChild(field.name)!;
    }
    const metadata = Object.fromEntries(stage1.schema.metadata);
    return tableWithMetadata(columns, metadata);
  };
  return Object.freeze({
    ...secondStage,
    rows: firstStage.rows,
    respondents: firstStage.respondents,
    index: Object.freeze(index),
    scores: relabel(secondStage.scores, firstStage.scores, new Map()),
    indexScores: relabel(secondStage.indexScores, firstStage.indexScores, indexOf),
    firstStage,
    higher: Object.freeze(higher),
  });
}
