import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { analysisReport } from '../../report/index';
import { ioError } from '../../table/internal';
import { addColumnOptions, addExamples, addInputOptions, commandEnv, readInput } from '../command-support';
import type { ColumnOptions, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { flagsOf, cliMessage } from '../flag-names';
import { blockRecord, modelOption } from '../model-file';
import { blockMapping, integerIn, isoDay, numberIn, scalePair, segmentCount } from '../parse-options';
import { addLogOptions, logColumns } from '../log-options';
import type { LogFlags } from '../log-options';

interface ReportCommandOptions extends CommonOptions, ColumnOptions, Omit<LogFlags, 'transaction'> {
  baskets?: string;
  survey?: string;
  model: string;
  block?: Record<string, string[]>;
  surveyScale?: [number, number];
  asOf?: string;
  k: number | 'auto';
  seed: number;
  minSupport?: number;
  minConfidence?: number;
  margin?: number;
  title?: string;
  out: string;
}

function htmlPath(value: string): string {
  if (!/\.html?$/i.test(value)) throw new InvalidArgumentError('Expected a file name ending in .html.');
  return value;
}

/** The survey options of `clientele report`: the survey file, its model and blocks (as `csi` takes them), its scale. */
function addSurveyOptions(cmd: Command): Command {
  return cmd
    .option(
      '--survey <file>',
      'a satisfaction survey for the satisfaction sections (ACSI by default: columns exp1…, qual1…, val1…, sat1…, comp1…, loy1…; a survey that cannot be fitted becomes a note)',
    )
    .option('--model <model>', "the survey's model: 'acsi', 'ecsi', or a model file (.json, .yaml) as in csi", 'acsi')
    .option(
      '--block <name=columns>',
      "the survey's columns of one construct, as in csi (repeat per block)",
      blockMapping,
    )
    .option(
      '--survey-scale <min,max>',
      'the survey’s answer scale (default: the smallest and largest answer found)',
      scalePair,
    );
}

/**
 * `clientele report <input>`: the whole analysis of a transaction file as one self-contained HTML page (tables and
 * Vega-Lite charts with the chart libraries inlined, so it opens offline), written by `analysisReport` to `--out`
 * (default `report.html`). `--baskets` adds basket lines kept in a separate file (as the sample store's
 * `basketItems`), `--survey` an ACSI survey for the satisfaction sections. Extra files are read by their extension.
 */
export function reportCommand(io: CliIo): Command {
  const cmd = new Command('report')
    .description('write a self-contained HTML report of the whole analysis (tables and charts)')
    .argument('<input>', 'transactions file: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)');
  addColumnOptions(cmd, ['customer', 'date', 'amount', 'transaction', 'item']).option(
    '--baskets <file>',
    'basket lines in a separate file (transaction, item), for the product and rules sections',
  );
  addSurveyOptions(cmd)
    .option('--as-of <date>', 'day RFM recency and the CLV calibration are measured at, YYYY-MM-DD', isoDay)
    .option('--k <k>', "number of k-means segments, or 'auto'", segmentCount, 'auto')
    .option('--seed <n>', 'seed of k-means', integerIn(0, 2 ** 32 - 1), 1)
    .option('--min-support <s>', 'smallest share of baskets of a rule (default 0.01)', numberIn(0, 1, { min: true }))
    .option('--min-confidence <c>', 'smallest confidence of a rule (default 0.3)', numberIn(0, 1, { min: true }))
    .option(
      '--margin <m>',
      'profit margin applied to spend in the CLV section (default 1)',
      numberIn(0, 1, { min: true }),
    )
    .option('--title <text>', 'the page title')
    .option('-o, --out <file>', 'the HTML file to write', htmlPath, 'report.html');
  addLogOptions(cmd, false);
  addInputOptions(cmd);
  addExamples(cmd, [
    ['clientele report transactions.csv', 'writes report.html in the current directory'],
    [
      'clientele report transactions.parquet --baskets basket-items.parquet --survey survey.csv --k 4 --out q4.html',
      'with basket rules, the satisfaction index and four segments',
    ],
    [
      'clientele report transactions.csv --survey satisfaction.csv --model ecsi',
      'the ECSI model on a survey named as R plspm’s (imag1…, expe1…, no complaints)',
    ],
  ]);
  return cmd.action(async (input: string, options: ReportCommandOptions, command: Command) => {
    const env = commandEnv(io, command);
    const tx = await readInput(input, options, env);
    const other = { quiet: options.quiet };
    const basketItems = options.baskets ? await readInput(options.baskets, other, env) : undefined;
    const survey = options.survey ? await readInput(options.survey, other, env) : undefined;
    const surveyModel = options.survey ? await modelOption(options.model, 'report') : undefined;
    // column options go through only when given: the report then finds out itself whether the log has items
    const given = (name: keyof ColumnOptions) =>
      command.getOptionValueSource(name) === 'cli' ? (options[name] as string) : undefined;
    const { quantity, price, returns } = logColumns({ ...options, transaction: undefined });
    const report = await analysisReport(tx, {
      customer: given('customer'),
      date: given('date'),
      amount: given('amount'),
      transaction: given('transaction'),
      quantity,
      price,
      returns,
      item: given('item'),
      asOf: options.asOf === undefined ? undefined : new Date(`${options.asOf}T00:00:00Z`),
      basketItems,
      survey,
      surveyModel,
      surveyBlocks: blockRecord(options.block),
      surveyScale: options.surveyScale,
      k: options.k,
      seed: options.seed,
      minSupport: options.minSupport,
      minConfidence: options.minConfidence,
      margin: options.margin,
      title: options.title,
      onProgress: (step, done, total) => env.progress.step(`report: ${step}`, total > 0 ? done / total : undefined),
    });
    env.progress.stop();
    for (const note of report.notes) env.note(`report: ${cliMessage(note, flagsOf(command))}`);
    try {
      await writeFile(options.out, report.html);
    } catch (e) {
      throw ioError('report', 'write', options.out, e);
    }
    env.note(`wrote a report of ${report.sections.length} sections to ${JSON.stringify(options.out)}`);
  });
}
