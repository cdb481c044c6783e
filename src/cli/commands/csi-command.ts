import type { Table } from 'apache-arrow';
import { nullRecord } from '../../table/internal';
import { Command, Option } from 'commander';
import { acsiModel, plsPathModel } from '../../satisfaction/index';
import type { AcsiBlocks, InnerScheme, PathModel, PlsFit } from '../../satisfaction/index';
import { ClienteleError } from '../../table/index';
import {
  addColumnOptions,
  addExamples,
  addInputOptions,
  addOutOption,
  commandEnv,
  emitResult,
  noteDropped,
  readInput,
} from '../command-support';
import type { ColumnOptions, CommandEnv, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { blockMapping, integerIn, scalePair } from '../parse-options';
import { UsageError } from '../usage-error';

interface CsiCommandOptions extends CommonOptions, ColumnOptions {
  block?: Record<string, string[]>;
  scale?: [number, number];
  scheme: InnerScheme;
  bootstrap: number;
  seed: number;
}

/** The ACSI constructs and the column prefix of each in the sample survey's naming (`exp1`, `qual2`, …). */
const ACSI_PREFIXES: readonly (readonly [keyof AcsiBlocks, string])[] = [
  ['expectations', 'exp'],
  ['quality', 'qual'],
  ['value', 'val'],
  ['satisfaction', 'sat'],
  ['complaints', 'comp'],
  ['loyalty', 'loy'],
];

/**
 * The ACSI blocks of a survey: each construct's columns named `<prefix><number>` as in `sampleStore().survey`
 * (`exp1…`, `qual1…`, `val1…`, `sat1…`, `comp1…`, `loy1…`), replaced block by block by `--block name=cols`.
 */
function acsiBlocks(survey: Table, given: Record<string, string[]>): AcsiBlocks {
  const names = ACSI_PREFIXES.map(([lv]) => lv as string);
  for (const name of Object.keys(given)) {
    if (!names.includes(name))
      throw new UsageError(`csi: unknown block "${name}" in --block; the ACSI blocks are ${names.join(', ')}`);
  }
  const columns = survey.schema.fields.map((f) => f.name);
  const blocks: Record<string, string[]> = nullRecord();
  for (const [lv, prefix] of ACSI_PREFIXES) {
    const found = given[lv] ?? columns.filter((c) => new RegExp(`^${prefix}\\d+$`).test(c));
    if (found.length === 0) {
      throw new ClienteleError(
        'MISSING_COLUMN',
        `csi: no indicator column for the ${lv} block (found none named ${prefix}1, ${prefix}2, … among ${columns.length} columns); ` +
          `name the block's columns with --block ${lv}=col1,col2`,
        { column: `${prefix}1` },
      );
    }
    blocks[lv] = found;
  }
  return blocks as unknown as AcsiBlocks;
}

/**
 * `clientele csi <survey>`: the American Customer Satisfaction Index of a survey file — the ACSI model (`acsiModel`)
 * fitted by PLS path modelling (`plsPathModel`). Without `--out` prints one JSON object: respondents, the 0–100
 * index of every construct, the path coefficients (with bootstrap intervals when `--bootstrap` > 0), R², GoF, and
 * `scores`, each respondent's 0–100 index scores; with `--out` writes the scores and prints the index and paths on
 * stderr.
 */
export function csiCommand(io: CliIo): Command {
  const cmd = new Command('csi')
    .description('ACSI customer satisfaction index of a survey (PLS path model): indices, path coefficients and scores')
    .argument(
      '<survey>',
      'survey answers, one row per respondent: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)',
    );
  declareCsiOptions(cmd);
  return cmd.action(async (input: string, options: CsiCommandOptions, command: Command) =>
    runCsi(input, options, command.getOptionValueSource('customer') === 'cli', commandEnv(io, command)),
  );
}

/** Declares the options, the `--out` help and the examples of `clientele csi`. */
function declareCsiOptions(cmd: Command): void {
  addColumnOptions(cmd, ['customer'])
    .option(
      '--block <name=columns>',
      'the indicator columns of one construct (repeat per block; default: exp1…, qual1…, val1…, sat1…, comp1…, loy1… as in the sample survey)',
      blockMapping,
    )
    .option(
      '--scale <min,max>',
      'the answer scale, for the 0–100 index (default: the smallest and largest answer found)',
      scalePair,
    )
    .addOption(
      new Option('--scheme <scheme>', 'inner weighting scheme')
        .choices(['centroid', 'factorial', 'path'])
        .default('centroid'),
    )
    .option(
      '--bootstrap <n>',
      'bootstrap resamples for standard errors and 95 % intervals (0: none)',
      integerIn(0, 100_000),
      0,
    )
    .option('--seed <n>', 'seed of the bootstrap resampling', integerIn(0, 2 ** 32 - 1), 1);
  addInputOptions(cmd);
  addOutOption(
    cmd,
    'write every respondent’s 0–100 index scores to a file (.csv, .parquet, .arrow, .arrows, .json or .jsonl); the index and paths go to stderr',
  );
  addExamples(cmd, [
    ['clientele csi survey.csv --scale 1,10', 'the sample survey’s naming (exp1…, qual1…, …) on a 1–10 scale'],
    [
      'clientele csi answers.parquet --block expectations=e1,e2 --block quality=q1,q2,q3 --block value=v1,v2 --block satisfaction=s1,s2,s3 --block complaints=c1 --block loyalty=l1,l2 --out scores.csv',
      'your own question columns, scores to a file',
    ],
    ['clientele csi survey.arrow --bootstrap 500 --seed 1 | jq .paths', 'path coefficients with bootstrap intervals'],
  ]);
}

/** The action of `clientele csi`: reads the survey, fits the ACSI path model and emits the index, paths and scores. */
async function runCsi(input: string, options: CsiCommandOptions, keyGiven: boolean, env: CommandEnv): Promise<void> {
  const survey = await readInput(input, options, env);
  const model = acsiModel(acsiBlocks(survey, options.block ?? {}));
  const key = keyGiven || survey.getChild(options.customer) !== null ? options.customer : undefined;
  env.progress.step(
    options.bootstrap > 0 ? `csi: fitting and ${options.bootstrap} bootstrap resamples` : 'csi: fitting the path model',
    0,
  );
  const fit = plsPathModel(survey, model, {
    scale: options.scale,
    scheme: options.scheme,
    bootstrap: options.bootstrap,
    seed: options.seed,
    key,
  });
  noteDropped('csi', fit.rows, env);
  const paths = csiPaths(model, fit);
  await emitResult(
    {
      summary: {
        model: 'acsi',
        respondents: fit.respondents,
        scale: fit.scale,
        scheme: fit.scheme,
        converged: fit.converged,
        index: fit.index,
        paths,
        rSquared: fit.rSquared,
        gof: fit.gof,
        blocks: model.blocks,
        rows: fit.rows,
      },
      rowsKey: 'scores',
      table: fit.indexScores,
      summaryText: csiSummaryText(fit, paths),
    },
    options,
    env,
  );
}

/** One path of the model: its estimate, with the bootstrap standard error and interval when there is one. */
interface CsiPath {
  from: string;
  to: string;
  estimate: number;
  stdError?: number;
  lower?: number;
  upper?: number;
}

/** Every path coefficient of the fitted model, in the model's path order. */
function csiPaths(model: PathModel, fit: PlsFit): CsiPath[] {
  return model.paths.map(([from, to]) => {
    const b = fit.bootstrap?.paths[from]?.[to];
    return {
      from,
      to,
      estimate: fit.paths[from][to],
      ...(b ? { stdError: b.stdError, lower: b.lower, upper: b.upper } : {}),
    };
  });
}

/** The stderr summary of `clientele csi`: respondents, scale, GoF, every construct's index and every path. */
function csiSummaryText(fit: PlsFit, paths: readonly CsiPath[]): string {
  const f = (x: number, digits: number) => x.toFixed(digits);
  return (
    `csi: ACSI on ${fit.respondents} respondents, scale ${fit.scale[0]}–${fit.scale[1]}, GoF ${f(fit.gof, 3)}\n` +
    `  index (0–100): ${Object.entries(fit.index)
      .map(([lv, v]) => `${lv} ${f(v, 1)}`)
      .join(', ')}\n` +
    `  paths: ${paths.map((p) => `${p.from} → ${p.to} ${f(p.estimate, 3)}`).join(', ')}`
  );
}
