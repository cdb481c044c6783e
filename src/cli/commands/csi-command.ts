import { Command, Option } from 'commander';
import { plsPathModel, surveyModel } from '../../satisfaction/index';
import type { InnerScheme, SurveyModel } from '../../satisfaction/index';
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
import { writeText } from '../cli-io';
import type { CliIo } from '../cli-io';
import { blockRecord, modelOption } from '../model-file';
import { blockMapping, integerIn, scalePair } from '../parse-options';
import { csiSummary, csiSummaryText } from './csi-summary';

interface CsiCommandOptions extends CommonOptions, ColumnOptions {
  model: string;
  block?: Record<string, string[]>;
  scale?: [number, number];
  scheme: InnerScheme;
  bootstrap: number;
  seed: number;
  summary?: boolean;
}

/**
 * `clientele csi <survey>`: a customer satisfaction index of a survey file — the ACSI or ECSI model, or a model of
 * your own from a JSON or YAML file (`--model`), its blocks found by column name (`surveyModel`) or given with
 * `--block`, fitted by PLS path modelling (`plsPathModel`). Without `--out` prints one JSON object with everything
 * R plspm's `summary()` prints (outer model, unidimensionality, inner model, R², GoF, effects) plus the 0–100
 * index, the Fornell–Larcker check and each respondent's index scores; `--summary` prints that as text instead;
 * with `--out` writes the scores and prints the text summary on stderr.
 */
export function csiCommand(io: CliIo): Command {
  const cmd = new Command('csi')
    .description(
      'customer satisfaction index of a survey (ACSI, ECSI or your own PLS path model): loadings, reliability, paths, R², index and scores',
    )
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
    .option('--model <model>', "'acsi', 'ecsi', or a model file (.json, .yaml: blocks, paths, modes, optional)", 'acsi')
    .option(
      '--block <name=columns>',
      'the indicator columns of one construct (repeat per block; default: found by name — exp1…/expe1…/CUEX1, qual1…/PERQ1, val1…/PERV1, sat1…/CUSA1, comp1…/CUSCO, loy1…/CUSL1, imag1…)',
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
    .option('--seed <n>', 'seed of the bootstrap resampling', integerIn(0, 2 ** 32 - 1), 1)
    .option('--summary', 'print the fit as text (as R plspm’s summary()) instead of JSON');
  addInputOptions(cmd);
  addOutOption(
    cmd,
    'write every respondent’s 0–100 index scores to a file (.csv, .parquet, .arrow, .arrows, .json or .jsonl); the summary goes to stderr',
  );
  addExamples(cmd, [
    ['clientele csi survey.csv --scale 1,10', 'the ACSI model on the sample survey’s naming (exp1…, qual1…, …)'],
    [
      'clientele csi satisfaction.csv --model ecsi --summary',
      'ECSI on R plspm’s survey (no complaints block): the text summary',
    ],
    [
      'clientele csi mobi.csv --model ecsi --bootstrap 200 | jq .paths',
      'ECSI with complaints (CUSCO) and bootstrap intervals',
    ],
    [
      'clientele csi answers.parquet --block expectations=e1,e2 --block quality=q1,q2,q3 --block value=v1,v2 --block satisfaction=s1,s2,s3 --block complaints=c1 --block loyalty=l1,l2 --out scores.csv',
      'your own question columns, scores to a file',
    ],
    ['clientele csi mobi.csv --model model.yaml --scheme path', 'a path model of your own from a file'],
  ]);
}

/** The action of `clientele csi`: reads the survey, fits the path model and emits the summary and scores. */
async function runCsi(input: string, options: CsiCommandOptions, keyGiven: boolean, env: CommandEnv): Promise<void> {
  const spec = await modelOption(options.model);
  const survey = await readInput(input, options, env);
  const found = surveyModel(survey, { model: spec, blocks: blockRecord(options.block) });
  const notes = modelNotes(found);
  // with --out the text summary (notes included) goes to stderr anyway
  if (!options.out) for (const note of notes) env.note(`csi: ${note}`);
  const model = found.model;
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
  const summary = csiSummary(found, fit, notes);
  const text = csiSummaryText(summary);
  if (options.summary && !options.out) {
    env.progress.stop();
    await writeText(env.io.stdout, `${text}\n`);
    return;
  }
  await emitResult(
    {
      summary: summary as unknown as Record<string, unknown>,
      rowsKey: 'scores',
      table: fit.indexScores,
      summaryText: text,
    },
    options,
    env,
  );
}

/** What the model lost to the survey: the omitted constructs and the paths dropped with them, in words. */
function modelNotes(found: SurveyModel): string[] {
  if (found.omitted.length === 0) return [];
  return [
    `the survey has no column for ${found.omitted.join(', ')}, left out of the ${found.name === 'custom' ? 'model' : found.name.toUpperCase() + ' model'} ` +
      `with the paths ${found.droppedPaths.map(([f, t]) => `${f} → ${t}`).join(', ')} ` +
      `(name its columns with --block ${found.omitted[0]}=col1,col2 to keep it)`,
  ];
}
