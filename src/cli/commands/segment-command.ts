import { Int32, makeVector, Table, vectorFromArray } from 'apache-arrow';
import { nullRecord } from '../../table/internal';
import type { Vector } from 'apache-arrow';
import { Command, Option } from 'commander';
import { rfm } from '../../api/rfm';
import { chooseK, kmeans } from '../../api/segment';
import type { Standardize } from '../../segment/index';
import {
  addColumnOptions,
  addExamples,
  addInputOptions,
  addOutOption,
  commandEnv,
  emitTable,
  noteDropped,
  readInput,
  tableDrops,
} from '../command-support';
import type { ColumnOptions, CommandEnv, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { addLogOptions, logColumns } from '../log-options';
import { UsageError } from '../usage-error';
import type { LogFlags } from '../log-options';
import { integerIn, isoDay, kRange, nameList, segmentCount } from '../parse-options';
import { KMEANS_OPTIONS } from '../../segment/internal';

interface SegmentCommandOptions extends CommonOptions, Omit<ColumnOptions, 'transaction'>, LogFlags {
  k: number | 'auto';
  kRange: [number, number];
  features: string[];
  seed: number;
  nInit: number;
  standardize: Standardize;
  asOf?: string;
}

/** The default features: recency as it is, frequency and spend on a log scale (both are heavily skewed). */
const DEFAULT_FEATURES = ['recency', 'logFrequency', 'logMonetary'];

/**
 * `clientele segment <input>`: k-means segments of customers. A transaction file (one with the `--date` column) is
 * first summarised per customer by `rfm` into `recency` (days), `frequency`, `monetary`, plus `logFrequency` =
 * log(1 + frequency) and `logMonetary` = log(1 + monetary); any other file is taken as one row per customer with the
 * `--features` columns. `--k auto` picks k with `chooseK` (highest mean silhouette over `--k-range`), then `kmeans`
 * segments with z-scored features (`--standardize`). Output: the per-customer table and `segment` (0 … k − 1; null
 * for a row with a missing feature). The chosen k and each segment's size go to stderr.
 */
export function segmentCommand(io: CliIo): Command {
  const cmd = new Command('segment')
    .description('k-means segments of customers on recency, frequency and spend (or any numeric columns)')
    .argument(
      '<input>',
      'transactions, or one row per customer: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)',
    );
  declareSegmentOptions(cmd);
  return cmd.action(async (input: string, options: SegmentCommandOptions, command: Command) =>
    runSegment(input, options, commandEnv(io, command)),
  );
}

/** Declares the options, `--out` and the examples of `clientele segment`. */
function declareSegmentOptions(cmd: Command): void {
  addColumnOptions(cmd, ['customer', 'date', 'amount'])
    .option('--k <k>', "number of segments, or 'auto' to choose it by the mean silhouette", segmentCount, 'auto')
    .option('--k-range <min,max>', 'the k that --k auto tries', kRange, [2, 8])
    .option(
      '--features <columns>',
      `numeric columns to cluster on, comma-separated (default: ${DEFAULT_FEATURES.join(',')})`,
      nameList,
    )
    .option('--seed <n>', 'seed of the k-means++ seeding', integerIn(0, 2 ** 32 - 1), 1)
    .option('--n-init <n>', 'k-means runs from different seedings; the best is kept', integerIn(1, 1000), 10)
    .addOption(
      new Option('--standardize <how>', 'feature scaling before distances')
        .choices(KMEANS_OPTIONS.standardize.values!)
        .default(KMEANS_OPTIONS.standardize.fallback),
    )
    .option(
      '--as-of <date>',
      'transactions: day recency is counted to, YYYY-MM-DD (default: the day after the last purchase)',
      isoDay,
    );
  addLogOptions(cmd);
  addInputOptions(cmd);
  addOutOption(cmd);
  addExamples(cmd, [
    [
      'clientele segment transactions.csv --out segments.csv',
      'choose k (2–8) and segment customers on recency, log frequency and log spend',
    ],
    ['clientele segment transactions.parquet --k 4 --seed 7', 'exactly four segments, another seeding'],
    [
      'clientele segment customers.csv --features visits,basketSize,tenure --customer id --k auto --k-range 3,10',
      'a per-customer table with your own features',
    ],
  ]);
}

/** The action of `clientele segment`: reads the input, picks k, runs k-means and emits the customers with `segment`. */
async function runSegment(input: string, options: SegmentCommandOptions, env: CommandEnv): Promise<void> {
  const table = await readInput(input, options, env);
  const features = options.features ?? DEFAULT_FEATURES;
  const isLog = table.getChild(options.date) !== null;
  if (!isLog && (options.transaction !== undefined || options.quantity !== undefined))
    throw new UsageError(
      `options --transaction, --quantity and --price read a transaction log, but the input has no date column "${options.date}"; name it with --date, or leave them out for a per-customer table`,
    );
  const customers = isLog ? rfmFeatures(table, options, env) : table;
  const k = options.k === 'auto' ? autoK(customers, features, options, env) : options.k;
  // the bar moves with the k-means passes: from 10 % (or 70 % after choosing k) to 100 %
  const from = options.k === 'auto' ? 0.7 : 0.1;
  env.progress.step(`segment: k-means with k = ${k}`, from);
  const seg = kmeans(customers, {
    columns: features,
    k,
    seed: options.seed,
    nInit: options.nInit,
    standardize: options.standardize,
    onProgress: env.progress.part(`segment: k-means with k = ${k}`, from, 1),
  });
  for (const warning of seg.warnings) env.note(warning);
  if (seg.rows.total > 0) noteDropped('segment', seg.rows, env);
  env.note(`segment: k = ${k}, sizes ${Array.from(seg.sizes).join(', ')}, inertia ${seg.inertia.toPrecision(6)}`);

  const labels = seg.labels;
  const segment = Array.from(labels, (label) => (label < 0 ? null : label));
  const columns: Record<string, Vector> = nullRecord();
  customers.schema.fields.forEach((field, j) => (columns[field.name] = customers.getChildAt(j) as Vector));
  const out = new Table({ ...columns, segment: makeSegmentVector(segment) });
  await emitTable(out, options, env, 'customers');
}

/** One row per customer of a transaction table: `rfm`'s recency, frequency and monetary, plus their log features. */
function rfmFeatures(table: Table, options: SegmentCommandOptions, env: CommandEnv): Table {
  env.progress.step('segment: summarising customers', 0);
  const scored = rfm(table, {
    customer: options.customer,
    date: options.date,
    ...logColumns(options),
    asOf: options.asOf,
    dateUnit: options.dateUnit,
    segments: false,
  });
  noteDropped('segment', tableDrops(scored), env);
  const frequency = scored.getChild('frequency')!.toArray() as ArrayLike<number>;
  const monetary = scored.getChild('monetary')!.toArray() as ArrayLike<number>;
  return new Table({
    customer: scored.getChild('customer') as Vector,
    recency: scored.getChild('recency') as Vector,
    frequency: scored.getChild('frequency') as Vector,
    monetary: scored.getChild('monetary') as Vector,
    logFrequency: makeVector(Float64Array.from(frequency, Math.log1p)),
    logMonetary: makeVector(Float64Array.from(monetary, Math.log1p)),
  });
}

/** The k of `--k auto`: `chooseK`'s pick over `--k-range`, with its reason noted on stderr. */
function autoK(customers: Table, features: string[], options: SegmentCommandOptions, env: CommandEnv): number {
  env.progress.step(`segment: choosing k in ${options.kRange[0]}–${options.kRange[1]}`, 0.1);
  const choice = chooseK(customers, {
    columns: features,
    kRange: options.kRange,
    seed: options.seed,
    nInit: options.nInit,
    standardize: options.standardize,
    onProgress: env.progress.part(`segment: choosing k in ${options.kRange[0]}–${options.kRange[1]}`, 0.1, 0.7),
  });
  env.note(`segment: ${choice.reason}`);
  return choice.k;
}

/** An Int32 column of segment numbers with nulls for the rows k-means left out. */
function makeSegmentVector(segment: (number | null)[]): Vector {
  if (!segment.includes(null)) return makeVector(Int32Array.from(segment as number[]));
  return vectorFromArray(segment, new Int32());
}
