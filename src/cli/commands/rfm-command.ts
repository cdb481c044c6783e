import { Command } from 'commander';
import { rfm } from '../../api/rfm';
import type { RfmOptions } from '../../rfm/index';
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
import type { ColumnOptions, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { integerIn, isoDay } from '../parse-options';
import { RFM_SCORING } from '../../rfm/internal';
import { addLogOptions, logColumns } from '../log-options';
import type { LogFlags } from '../log-options';

interface RfmCommandOptions extends CommonOptions, Omit<ColumnOptions, 'transaction'>, LogFlags {
  asOf?: string;
  bins: number;
  segments?: boolean;
}

/**
 * `clientele rfm <input>`: RFM scores of every customer of a transaction file — a thin layer over `rfm`.
 * Output columns as `rfm`: customer, recency (days), frequency, monetary, r, f, m, score, and segment with
 * `--segments`. Rows dropped by `rfm` (null customer, bad date or amount) are reported on stderr.
 */
export function rfmCommand(io: CliIo): Command {
  const cmd = new Command('rfm')
    .description('score every customer on recency, frequency and monetary value (1 … bins, bins best)')
    .argument('<input>', 'transactions file: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)');
  addColumnOptions(cmd, ['customer', 'date', 'amount'])
    .option('--as-of <date>', 'day the analysis is made, YYYY-MM-DD (default: the day after the last purchase)', isoDay)
    .option(
      '--bins <n>',
      `score levels per dimension, ${RFM_SCORING.bins.min}–${RFM_SCORING.bins.max}`,
      integerIn(RFM_SCORING.bins.min!, RFM_SCORING.bins.max),
      RFM_SCORING.bins.fallback,
    )
    .option('--segments', 'add the named segment of every customer (Champions, At Risk, …)');
  addLogOptions(cmd);
  addInputOptions(cmd);
  addOutOption(cmd);
  addExamples(cmd, [
    ['clientele rfm transactions.csv', 'scores as JSON rows on stdout'],
    [
      'clientele rfm sales.parquet --customer CustomerID --date InvoiceDate --amount Revenue --as-of 2024-12-31 --segments --out rfm.csv',
      'your column names, a fixed reference day, named segments, written to CSV',
    ],
    [
      'clientele rfm online_retail.csv --customer CustomerID --date InvoiceDate --transaction InvoiceNo --quantity Quantity --price UnitPrice',
      'a line-item log: one order per invoice, amount = quantity × price, returns excluded',
    ],
    [
      'clientele rfm transactions.arrow --bins 3 | jq \'.[] | select(.score == "333")\'',
      'three levels, and the best customers picked with jq',
    ],
  ]);
  return cmd.action(async (input: string, options: RfmCommandOptions, command: Command) => {
    const env = commandEnv(io, command);
    const tx = await readInput(input, options, env);
    env.progress.step('rfm: scoring customers');
    const rfmOptions: RfmOptions = {
      customer: options.customer,
      date: options.date,
      ...logColumns(options),
      asOf: options.asOf,
      dateUnit: options.dateUnit,
      bins: options.bins,
      segments: options.segments ? undefined : false,
    };
    const scored = rfm(tx, rfmOptions);
    noteDropped('rfm', tableDrops(scored), env);
    await emitTable(scored, options, env, 'customers');
  });
}
