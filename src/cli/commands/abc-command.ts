import { makeVector, Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { Command, Option } from 'commander';
import { abc } from '../../api/abc';
import { ClienteleError } from '../../table/index';
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
import { cutoffList } from '../parse-options';
import { addLogOptions, classifiedRows, logColumns } from '../log-options';
import type { LogFlags } from '../log-options';
import { UsageError } from '../usage-error';

interface AbcCommandOptions extends CommonOptions, Omit<ColumnOptions, 'transaction'>, LogFlags {
  by: 'customer' | 'item';
  value?: string;
  count?: boolean;
  cutoffs: number[];
}

/**
 * `clientele abc <input>`: ABC (Pareto) classes of customers (`--by customer`, keys from `--customer`) or of
 * products (`--by item`, keys from `--item`), by the sum of `--value` (default: the `--amount` column) or, with
 * `--count`, by their number of rows (sales volume of a basket-line file). A thin layer over `abc`; output columns
 * as `abc`: key, value, share, cumulativeShare, rank, class, in rank order.
 */
export function abcCommand(io: CliIo): Command {
  const cmd = new Command('abc')
    .description('ABC (Pareto) classes of customers or items by their share of the total value')
    .argument('<input>', 'transactions or basket lines: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)');
  addColumnOptions(cmd, ['customer', 'item', 'amount', 'date'])
    .addOption(
      new Option('--by <what>', 'classify customers (keys from --customer) or items (keys from --item)')
        .choices(['customer', 'item'])
        .default('customer'),
    )
    .option('--value <column>', 'column of values summed per key (default: the --amount column)')
    .option('--count', 'classify by the number of rows of each key (volume) instead of a value column')
    .option(
      '--cutoffs <shares>',
      'ascending cumulative-share cut-offs of the classes, comma-separated',
      cutoffList,
      [0.8, 0.95],
    );
  addLogOptions(cmd);
  addInputOptions(cmd);
  addOutOption(cmd);
  addExamples(cmd, [
    ['clientele abc transactions.csv', 'customers by revenue: A = the first 80 %, B up to 95 %, C the rest'],
    [
      'clientele abc basket-items.parquet --by item --count --out items.csv',
      'products by the number of basket lines they are on',
    ],
    [
      'clientele abc sales.arrow --by item --item sku --value margin --cutoffs 0.7,0.9',
      'products by margin, with 70 % / 90 % cut-offs',
    ],
  ]);
  return cmd.action(async (input: string, options: AbcCommandOptions, command: Command) => {
    if (options.count && options.value !== undefined)
      command.error('error: options --count and --value cannot be used together', {
        exitCode: 2,
        code: 'clientele.conflictingOption',
      });
    const log = logColumns(options);
    if (options.by === 'item' && log.transaction !== undefined)
      throw new UsageError('option --transaction folds lines into orders of customers: use it with --by customer');
    const env = commandEnv(io, command);
    const value = options.value ?? log.amount ?? 'amount';
    const cols = { ...log, customer: options.customer, date: options.date, dateUnit: options.dateUnit };
    const { table, excluded } = classifiedRows(await readInput(input, options, env), cols, value, 'abc');
    if (excluded > 0)
      env.note(
        `abc: excluded ${excluded} returns (${log.transaction ? 'orders' : 'rows'} with a negative ${value}; --returns keep keeps them)`,
      );
    env.progress.step('abc: ranking keys');
    const key = options.by === 'item' ? options.item : options.customer;
    let classes: Table;
    if (options.count) {
      const keys = table.getChild(key) as Vector | null;
      if (!keys) {
        throw new ClienteleError(
          'MISSING_COLUMN',
          `abc: column "${key}" not found (found ${table.schema.fields.map((f) => JSON.stringify(f.name)).join(', ')}); pass the key column with --${options.by}`,
          { column: key },
        );
      }
      const rows = makeVector(new Float64Array(table.numRows).fill(1));
      classes = abc(new Table({ key: keys, rows }), { key: 'key', value: 'rows', cutoffs: options.cutoffs });
    } else {
      classes = abc(table, { key, value, cutoffs: options.cutoffs });
    }
    noteDropped('abc', tableDrops(classes), env);
    await emitTable(classes, options, env, 'keys');
  });
}
