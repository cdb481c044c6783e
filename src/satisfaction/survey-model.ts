import type { Table } from 'apache-arrow';
import {
  asTable,
  ClienteleError,
  describeValue,
  hasOwnKey,
  knownOptions,
  nullRecord,
  optionNames,
  ownValue,
} from '../table/internal';
import { acsiModel, ecsiModel, pathModel } from './path-model';
import type { BlockMode, PathModel, PathModelSpec } from './path-model';

/** The preset models {@link surveyModel} knows by name. */
export type SurveyModelName = 'acsi' | 'ecsi';

/** A path model to fit to a survey: {@link PathModelSpec} plus the constructs the survey may lack. */
export interface SurveyModelSpec extends PathModelSpec {
  /**
   * Constructs that are left out, with every path that touches them, when the survey has none of their columns
   * (e.g. a complaints block that was not asked). Default: none.
   */
  readonly optional?: readonly string[];
}

/** Options of {@link surveyModel}. */
export interface SurveyModelOptions {
  /**
   * `'acsi'` (default), `'ecsi'`, or a model of your own (`{ blocks, paths, modes?, optional? }`). The presets find
   * each construct's columns by name; a model of your own names them in `blocks`.
   */
  model?: SurveyModelName | SurveyModelSpec;
  /**
   * Construct → its columns, replacing the columns found by name (presets) or listed in the model. A construct is
   * named as in the model (`quality`) or, for the presets, by a column prefix of its convention (`QUAL`, `PERQ`).
   */
  blocks?: Readonly<Record<string, readonly string[]>>;
}

/** Where the columns of a construct came from. */
export type BlockSource = 'given' | 'model' | 'names';

/** What {@link surveyModel} returns; frozen. */
export interface SurveyModel {
  /** `'acsi'`, `'ecsi'` or `'custom'`. */
  readonly name: SurveyModelName | 'custom';
  /** The validated path model to pass to `plsPathModel`, without the omitted constructs. */
  readonly model: PathModel;
  /** Optional constructs left out because the survey has none of their columns, in model order. */
  readonly omitted: readonly string[];
  /** The paths of the full model that were dropped with the omitted constructs, `[from, to]`. */
  readonly droppedPaths: readonly (readonly [string, string])[];
  /** By kept construct: `'given'` (the `blocks` option), `'model'` (listed in the model) or `'names'` (found by prefix). */
  readonly source: Readonly<Record<string, BlockSource>>;
}

/** A preset: its constructs (model order), the column prefixes of each in the public surveys, and optional ones. */
interface Preset {
  readonly full: () => PathModel;
  readonly prefixes: Readonly<Record<string, readonly string[]>>;
  readonly optional: readonly string[];
}

/**
 * Column prefixes of each construct: the sample survey (`exp1`, `qual1` …), R plspm's `satisfaction` data
 * (`imag1`, `expe1` …) and the `mobi` data of R seminr / semPLS (`IMAG1`, `CUEX1`, `PERQ1`, `PERV1`, `CUSA1`,
 * `CUSCO`, `CUSL1`).
 */
const PREFIXES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  image: ['imag'],
  expectations: ['exp', 'expe', 'cuex'],
  quality: ['qual', 'perq'],
  value: ['val', 'perv'],
  satisfaction: ['sat', 'cusa'],
  complaints: ['comp', 'cusco'],
  loyalty: ['loy', 'cusl'],
});

/** A placeholder block per construct: the presets' paths come from `acsiModel` / `ecsiModel`, written once there. */
function placeholders(names: readonly string[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = nullRecord();
  for (const name of names) out[name] = [name];
  return out;
}

const ACSI_NAMES = ['expectations', 'quality', 'value', 'satisfaction', 'complaints', 'loyalty'];
const ECSI_NAMES = ['image', ...ACSI_NAMES];

const PRESETS: Readonly<Record<SurveyModelName, Preset>> = Object.freeze({
  acsi: {
    full: () => acsiModel(placeholders(ACSI_NAMES) as never),
    prefixes: PREFIXES,
    optional: ['complaints'],
  },
  ecsi: {
    full: () => ecsiModel(placeholders(ECSI_NAMES) as never),
    prefixes: PREFIXES,
    optional: ['complaints'],
  },
});

/** The option names surveyModel takes; every other name is refused with a did-you-mean. */
const SURVEY_MODEL_OPTION_NAMES = optionNames<SurveyModelOptions>({ model: true, blocks: true });

/**
 * The path model of a survey: a preset (ACSI, ECSI) or a model of your own, its blocks matched to the survey's
 * columns, with the optional constructs the survey lacks left out.
 *
 * Analysts use it to fit a satisfaction model to a questionnaire as it comes — R plspm's `satisfaction` data
 * (`imag1…`, `expe1…`, no complaints block), the `mobi` data (`IMAG1…`, `CUEX1…`, `CUSCO`), the sample survey
 * (`exp1…`) — without listing every column, then pass `model` to {@link plsPathModel}.
 *
 * Conventions: a preset construct's columns are those named `<prefix><digits>` (an optional `_` or `.` between,
 * digits optional, case-insensitive), in the survey's column order; the prefixes are image `imag`; expectations
 * `exp`, `expe`, `cuex`; quality `qual`, `perq`; value `val`, `perv`; satisfaction `sat`, `cusa`; complaints
 * `comp`, `cusco`; loyalty `loy`, `cusl`. `blocks` replaces the columns of the constructs it names. A construct
 * listed as optional (complaints in both presets) with no column is omitted, and so is every path touching it
 * (ECSI without complaints is the model plspm fits to its `satisfaction` data). The ACSI and ECSI paths are those
 * of {@link acsiModel} and {@link ecsiModel}.
 *
 * Cost: O(columns · constructs + paths).
 *
 * @param survey the answers (anything `asTable` accepts); only its column names are read
 * @param options `model` ('acsi' by default, 'ecsi', or `{ blocks, paths, modes?, optional? }`) and `blocks`
 *   (construct → columns)
 * @throws {ClienteleError} `INVALID_OPTION` for an unknown model or construct or a malformed model,
 *   `MISSING_COLUMN` for a required construct without columns or a listed column the survey lacks
 * @example
 * const survey = { imag1: [1, 2], expe1: [1, 2], qual1: [1, 2], val1: [1, 2], sat1: [1, 2], loy1: [1, 2] };
 * const found = surveyModel(survey, { model: 'ecsi' });
 * found.omitted; // ['complaints']
 * found.model.paths.length; // 10
 * found.model.blocks.image; // ['imag1']
 */
export function surveyModel(survey: unknown, options: SurveyModelOptions = {}): SurveyModel {
  options = knownOptions(options, SURVEY_MODEL_OPTION_NAMES, 'surveyModel');
  return resolveSurveyModel(asTable(survey), options.model, options.blocks, 'surveyModel', {
    model: 'model',
    blocks: 'blocks',
  });
}

/** The names the caller gives the two options, for messages (`analysisReport` calls them surveyModel, surveyBlocks). */
export interface SurveyOptionNames {
  readonly model: string;
  readonly blocks: string;
}

/** {@link surveyModel} on a table, its messages naming the caller `fn` and its option names `names`. */
export function resolveSurveyModel(
  survey: Table,
  modelIn: SurveyModelOptions['model'],
  blocksIn: SurveyModelOptions['blocks'],
  fn: string,
  names: SurveyOptionNames,
): SurveyModel {
  const columns = survey.schema.fields.map((f) => f.name);
  const full = fullModel(modelIn, fn, names);
  const given = givenBlocks(blocksIn, full, fn, names);
  const blocks: Record<string, readonly string[]> = nullRecord();
  const source: Record<string, BlockSource> = nullRecord();
  const omitted: string[] = [];
  for (const lv of full.model.latent) {
    const fromOption = given.get(lv);
    const fromModel = full.prefixes ? undefined : full.model.blocks[lv];
    const found = fromOption ?? fromModel ?? byPrefix(columns, full.prefixes![lv] ?? [lv]);
    const present = found.filter((c) => columns.includes(c));
    if (!fromOption && present.length === 0 && full.optional.includes(lv)) {
      omitted.push(lv);
      continue;
    }
    if (found.length === 0) throw noColumns(lv, full.prefixes![lv] ?? [lv], columns, fn, names);
    const missing = found.find((c) => !columns.includes(c));
    if (missing !== undefined) throw absentColumn(lv, missing, columns, fn, names);
    blocks[lv] = found;
    source[lv] = fromOption ? 'given' : fromModel ? 'model' : 'names';
  }
  const droppedPaths = full.model.paths.filter(([f, t]) => omitted.includes(f) || omitted.includes(t));
  const modes: Record<string, BlockMode> = nullRecord();
  for (const lv of Object.keys(blocks)) modes[lv] = full.model.modes[lv];
  const model = pathModel({
    blocks,
    paths: full.model.paths.filter((p) => !droppedPaths.includes(p)),
    modes,
  });
  return Object.freeze({
    name: full.name,
    model,
    omitted: Object.freeze(omitted),
    droppedPaths: Object.freeze(droppedPaths),
    source: Object.freeze(source),
  });
}

/** The whole model before any construct is omitted, with the preset's prefixes (none for a model of your own). */
function fullModel(
  modelIn: SurveyModelOptions['model'],
  fn: string,
  names: SurveyOptionNames,
): {
  name: SurveyModelName | 'custom';
  model: PathModel;
  prefixes?: Readonly<Record<string, readonly string[]>>;
  optional: readonly string[];
} {
  const spec = modelIn ?? 'acsi';
  if (typeof spec === 'string') {
    if (!hasOwnKey(PRESETS, spec)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${names.model} must be 'acsi', 'ecsi' or a model { blocks, paths } (found ${describeValue(spec)}); e.g. ${names.model}: 'ecsi'`,
      );
    }
    const preset = PRESETS[spec];
    return { name: spec, model: preset.full(), prefixes: preset.prefixes, optional: preset.optional };
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${names.model} must be 'acsi', 'ecsi' or a model { blocks, paths } (found ${describeValue(spec)}); e.g. ${names.model}: 'ecsi'`,
    );
  }
  const optional = ownValue(spec as unknown as Record<string, unknown>, 'optional') ?? [];
  if (!Array.isArray(optional) || !optional.every((o) => typeof o === 'string')) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the model's optional must be a list of construct names (found ${describeValue(optional)}); e.g. optional: ['complaints']`,
    );
  }
  const model = pathModel({ blocks: spec.blocks, paths: spec.paths, modes: spec.modes });
  const unknown = optional.find((o) => !model.latent.includes(o));
  if (unknown !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the model's optional names "${unknown}", which has no block (constructs: ${model.latent.join(', ')}); fix the name`,
    );
  }
  return { name: 'custom', model, optional: optional as string[] };
}

/** The `blocks` option by construct of the model; a preset construct may be named by one of its prefixes. */
function givenBlocks(
  blocksIn: SurveyModelOptions['blocks'],
  full: ReturnType<typeof fullModel>,
  fn: string,
  names: SurveyOptionNames,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (blocksIn === undefined) return out;
  if (typeof blocksIn !== 'object' || blocksIn === null || Array.isArray(blocksIn)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${names.blocks} must map constructs to their columns (found ${describeValue(blocksIn)}); e.g. ${names.blocks}: { quality: ['q1', 'q2'] }`,
    );
  }
  const latent = full.model.latent;
  for (const name of Object.keys(blocksIn)) {
    const lower = name.toLowerCase();
    const lv =
      latent.find((l) => l === name) ??
      latent.find((l) => l.toLowerCase() === lower || (full.prefixes?.[l] ?? []).includes(lower));
    if (lv === undefined) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${names.blocks} names "${name}", which is not a construct of the ${full.name === 'custom' ? 'model' : full.name.toUpperCase() + ' model'} (constructs: ${latent.join(', ')}); e.g. ${names.blocks}: { ${latent[0]}: ['col1', 'col2'] }`,
      );
    }
    const columns = ownValue(blocksIn as Record<string, unknown>, name);
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c !== '')) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${names.blocks} gives construct ${lv} ${describeValue(columns)}, not a list of column names; e.g. ${names.blocks}: { ${lv}: ['col1', 'col2'] }`,
      );
    }
    if (out.has(lv)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${names.blocks} gives the columns of ${lv} twice (as "${name}"); give each construct once`,
      );
    }
    out.set(lv, Object.freeze([...columns] as string[]));
  }
  return out;
}

/** The columns named `<prefix><digits>` for one of `prefixes` (case-insensitive), in the survey's order. */
function byPrefix(columns: readonly string[], prefixes: readonly string[]): string[] {
  const escaped = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`^(?:${escaped.join('|')})[_.]?\\d*$`, 'i');
  return columns.filter((c) => pattern.test(c));
}

function shownColumns(columns: readonly string[]): string {
  return columns.length > 12 ? `${columns.slice(0, 12).join(', ')}, …` : columns.join(', ') || 'none';
}

function noColumns(
  lv: string,
  prefixes: readonly string[],
  columns: readonly string[],
  fn: string,
  names: SurveyOptionNames,
): ClienteleError {
  return new ClienteleError(
    'MISSING_COLUMN',
    `${fn}: no column for the construct ${lv} (none named ${prefixes.map((p) => `${p}1`).join(', ')}, … among the columns ${shownColumns(columns)}); ` +
      `name its columns with ${names.blocks}: { ${lv}: ['col1', 'col2'] }`,
    { column: `${prefixes[0]}1` },
  );
}

function absentColumn(
  lv: string,
  column: string,
  columns: readonly string[],
  fn: string,
  names: SurveyOptionNames,
): ClienteleError {
  return new ClienteleError(
    'MISSING_COLUMN',
    `${fn}: column "${column}" of the construct ${lv} is not in the survey (found columns: ${shownColumns(columns)}); ` +
      `fix the name in ${names.blocks}: { ${lv}: ['col1', 'col2'] }`,
    { column },
  );
}
