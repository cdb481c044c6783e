import { Command, Option } from 'commander';
import { associationRules, baskets, frequentItemsets, topRules } from '../../api/basket';
import type { RuleRanking } from '../../basket/index';
import {
  addColumnOptions,
  addExamples,
  addInputOptions,
  addOutOption,
  commandEnv,
  emitTable,
  noteDropped,
  readInput,
} from '../command-support';
import type { ColumnOptions, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { integerIn, nameList, numberIn } from '../parse-options';

interface RulesCommandOptions extends CommonOptions, ColumnOptions {
  minSupport: number;
  minConfidence: number;
  minLift?: number;
  maxLength?: number;
  top?: number;
  by: RuleRanking;
  context?: string[];
}

/**
 * `clientele rules <input>`: association rules of market baskets from a long file of basket lines (one row per
 * item bought: `--transaction`, `--item`) or a basket file (one basket per line, `--format basket`; `.dat` files by
 * default), as `baskets` → `frequentItemsets` (Eclat, `parallel: 'auto'`) → `associationRules`, and
 * `topRules` with `--top`. Output columns as `associationRules`: antecedent and consequent (lists of items; in
 * CSV as arules labels `{liquor, red/blush wine}`), support, confidence, lift, leverage, conviction, count, antecedentSupport,
 * consequentSupport, zhang — ordered by lift (or `--by` with `--top`).
 */
export function rulesCommand(io: CliIo): Command {
  const cmd = new Command('rules')
    .description('association rules (what is bought together) from basket lines')
    .argument(
      '<input>',
      'basket lines, one row per item bought (.csv, .parquet, .arrow, .json, .jsonl; - for stdin), or one basket per line with --format basket (.dat files by default)',
    );
  addColumnOptions(cmd, ['transaction', 'item'])
    .option('--min-support <s>', 'smallest share of baskets an itemset must be in', numberIn(0, 1, { min: true }), 0.01)
    .option('--min-confidence <c>', 'smallest confidence P(consequent | antecedent) of a rule', numberIn(0, 1), 0.8)
    .option(
      '--min-lift <l>',
      'smallest lift of a rule (> 1: bought together more often than by chance)',
      numberIn(0, Infinity),
    )
    .option('--max-length <n>', 'most items in an itemset (antecedent and consequent together)', integerIn(1))
    .option('--top <n>', 'keep only the n best rules by --by', integerIn(0))
    .addOption(
      new Option('--by <measure>', 'the measure --top ranks by')
        .choices(['lift', 'confidence', 'support', 'leverage', 'conviction', 'zhang'])
        .default('lift'),
    )
    .option(
      '--context <columns>',
      'columns whose values become pseudo-items of their basket (e.g. weekday → weekday=Sat)',
      nameList,
    );
  addInputOptions(cmd);
  addOutOption(cmd);
  addExamples(cmd, [
    [
      'clientele rules basket-items.csv --min-support 0.005 --min-confidence 0.3',
      'rules in at least 0.5 % of baskets with confidence ≥ 30 %',
    ],
    [
      'clientele rules groceries.csv --format basket --min-support 0.001 --min-confidence 0.5',
      'one basket per line, items separated by commas (arules read.transactions format = "basket")',
    ],
    [
      'clientele rules lines.parquet --transaction invoice --item sku --top 20 --by confidence --out rules.json',
      'the 20 most confident rules of your own columns',
    ],
    [
      'clientele rules lines.arrow --context daytype --min-support 0.005 --min-confidence 0.1 --min-lift 1.2',
      'rules conditional on the day type (daytype=weekend …)',
    ],
  ]);
  return cmd.action(async (input: string, options: RulesCommandOptions, command: Command) => {
    const env = commandEnv(io, command);
    const lines = await readInput(input, options, env);
    env.progress.step('rules: building baskets', 0);
    const b = baskets(lines, { transaction: options.transaction, item: options.item, context: options.context ?? [] });
    noteDropped('rules', b.rows, env);
    env.progress.step('rules: mining frequent itemsets', 0.2);
    // all cores where the estimated work pays for them, else the calling thread (never slower)
    const itemsets = await frequentItemsets(b, {
      minSupport: options.minSupport,
      maxLength: options.maxLength,
      parallel: 'auto',
    });
    env.progress.step('rules: generating rules', 0.7);
    let rules = associationRules(itemsets, { minConfidence: options.minConfidence, minLift: options.minLift });
    if (options.top !== undefined) rules = topRules(rules, options.top, { by: options.by });
    env.note(`rules: ${b.count} baskets, ${itemsets.numRows} frequent itemsets, ${rules.numRows} rules`);
    await emitTable(rules, options, env, 'rules');
  });
}
