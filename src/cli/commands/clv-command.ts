import type { Table } from 'apache-arrow';
import { Command, Option } from 'commander';
import { fitGammaGamma, predictClv, summaryFromTransactions } from '../../clv/index';
import type { CalendarPeriod, GammaGammaModel, PurchaseModel } from '../../clv/index';
import { REPEAT_MODELS } from '../../clv/internal';
import {
  addColumnOptions,
  addExamples,
  addInputOptions,
  addOutOption,
  commandEnv,
  emitResult,
  noteDropped,
  readInput,
  tableDrops,
} from '../command-support';
import type { ColumnOptions, CommandEnv, CommonOptions } from '../command-support';
import type { CliIo } from '../cli-io';
import { addLogOptions, logColumns } from '../log-options';
import type { LogFlags } from '../log-options';
import { isoDay, numberIn } from '../parse-options';
import { ClienteleError, isClienteleError } from '../../table/index';

/** `--model` values and the repeat-buying model each names in the registry. */
const MODEL_FLAGS = { bgnbd: 'bgNbd', mbgnbd: 'mbgNbd', pareto: 'paretoNbd' } as const;

/** A fitted repeat-buying model of the registry, as `predictClv` takes it. */
type FittedPurchaseModel = ReturnType<(typeof REPEAT_MODELS)[keyof typeof REPEAT_MODELS]['fit']> & PurchaseModel;

interface ClvCommandOptions extends CommonOptions, Omit<ColumnOptions, 'transaction'>, LogFlags {
  model: keyof typeof MODEL_FLAGS;
  unit?: 'week' | 'day';
  calendar?: CalendarPeriod;
  penalizer: number;
  asOf?: string;
  horizon?: number;
  period?: number;
  discountRate: number;
  margin: number;
  allowUnidentified?: boolean;
}

/**
 * One year in each time unit (and calendar period): the default horizon, and a twelfth of it the default
 * discounting period.
 */
const YEAR = { week: 52, day: 365, month: 12, quarter: 4, year: 1 } as const;

/**
 * `clientele clv <input>`: expected customer lifetime value of every customer from a transaction file, as
 * `examples/clv.ts` computes it: `summaryFromTransactions` (calibration up to `--as-of`; continuous time in `--unit`
 * week or day, or UTC calendar periods with `--calendar`), a purchase model fitted by `fitBgNbd` or `fitParetoNbd`,
 * spend by `fitGammaGamma` (every fit with `--penalizer`, an L2 penalty as lifetimes' penalizer_coef), then
 * `predictClv` over `--horizon` with `--discount-rate` per `--period`. Without `--out` prints one JSON object: the
 * options used, both fitted models (`purchaseModel`, `spendModel`: params, standard errors, log-likelihood) and
 * `customers`, the per-customer rows of `predictClv`
 * (customer; frequency, recency, T and monetary, the x, t_x, T and z̄ the models read; pAlive; expectedPurchases, the
 * conditional expected purchases over the horizon; expectedSpend; clv); with `--out` writes the rows and prints the
 * fitted parameters on stderr. A fit the data do not identify fails with `NOT_IDENTIFIED` (exit 1, the message
 * naming `--allow-unidentified`), as does one whose search does not settle (`NOT_CONVERGED`); with
 * `--allow-unidentified` either is kept, with `"identified": false` / `"converged": false` and the `warnings` in the
 * JSON and a `clv: WARNING NOT_IDENTIFIED: …` line on stderr.
 */
export function clvCommand(io: CliIo): Command {
  const cmd = new Command('clv')
    .description('expected customer lifetime value from BG/NBD (or Pareto/NBD) and Gamma-Gamma models')
    .argument('<input>', 'transactions file: .csv, .parquet, .arrow, .json or .jsonl (- for stdin)');
  declareClvOptions(cmd);
  return cmd.action(async (input: string, options: ClvCommandOptions, command: Command) =>
    runClv(input, options, commandEnv(io, command)),
  );
}

/** Declares the options, the `--out` help and the examples of `clientele clv`. */
function declareClvOptions(cmd: Command): void {
  addColumnOptions(cmd, ['customer', 'date', 'amount'])
    .addOption(new Option('--model <model>', 'purchase-count model').choices(Object.keys(MODEL_FLAGS)).default('bgnbd'))
    .addOption(
      new Option('--unit <unit>', 'time unit of the models, the horizon and the period (default: week)').choices([
        'week',
        'day',
      ]),
    )
    .addOption(
      new Option(
        '--calendar <period>',
        "count purchases per UTC calendar period instead of per day (weeks Monday–Sunday, as lifetimes' freq=); also the unit of the models, the horizon and the period; not with --unit",
      ).choices(['day', 'week', 'month', 'quarter', 'year']),
    )
    .option('--as-of <date>', 'last day of the calibration period, YYYY-MM-DD (default: the last purchase day)', isoDay)
    .option(
      '--horizon <t>',
      'how far ahead, in --unit or --calendar periods (default: one year: 52 weeks, 365 days, 12 months, 4 quarters)',
      numberIn(0, Infinity, { min: true }),
    )
    .option(
      '--period <t>',
      'length of one discounting period, in --unit or --calendar periods (default: a month, 52/12 weeks, 365/12 days, 1 month)',
      numberIn(0, Infinity, { min: true }),
    )
    .option('--discount-rate <d>', 'discount rate per period (0.01 = 1 % a month)', numberIn(0, Infinity), 0.01)
    .option(
      '--margin <m>',
      'profit margin applied to the expected spend, a fraction (1 = revenue)',
      numberIn(0, Infinity),
      1,
    )
    .option(
      '--penalizer <c>',
      "L2 penalty on the parameters of every fit, as lifetimes' penalizer_coef (0: maximum likelihood)",
      numberIn(0, Infinity),
      0,
    )
    .option(
      '--allow-unidentified',
      'keep a fit the data do not identify (NOT_IDENTIFIED), marked "identified": false with a warning, instead of failing',
    );
  addLogOptions(cmd);
  addInputOptions(cmd);
  addOutOption(
    cmd,
    'write the per-customer values to a file (.csv, .parquet, .arrow, .arrows, .json or .jsonl); the fitted models go to stderr',
  );
  addExamples(cmd, [
    [
      'clientele clv transactions.csv > clv.json',
      'fitted models and every customer’s one-year value as one JSON object',
    ],
    [
      'clientele clv sales.parquet --as-of 2024-06-30 --horizon 26 --margin 0.3 --out clv.csv',
      'calibrate to mid-2024, value the next half year at a 30 % margin',
    ],
    [
      'clientele clv transactions.arrow --model pareto --unit day --horizon 365 --discount-rate 0',
      'Pareto/NBD in days, undiscounted',
    ],
    [
      'clientele clv transactions.csv --calendar month --as-of 2024-06-30 --horizon 6 --penalizer 0.001',
      'calendar months (purchase months, not days); half a year ahead, lightly regularised fits',
    ],
  ]);
}

/** The action of `clientele clv`: reads the transactions, fits both models, predicts the values and emits them. */
async function runClv(input: string, options: ClvCommandOptions, env: CommandEnv): Promise<void> {
  const tx = await readInput(input, options, env);
  env.progress.step('clv: summarising customers', 0);
  const unit = options.calendar ?? options.unit ?? 'week';
  const summary = summaryFromTransactions(tx, {
    customer: options.customer,
    date: options.date,
    ...logColumns(options),
    // both given, the library refuses the pair (its message names the flags on the command line)
    unit: options.unit,
    calendar: options.calendar,
    calibrationEnd: options.asOf,
    dateUnit: options.dateUnit,
  });
  noteDropped('clv', tableDrops(summary), env);
  const entry = REPEAT_MODELS[MODEL_FLAGS[options.model]];
  env.progress.step(`clv: fitting ${entry.label}`, 0.2);
  // an unidentified likelihood is flat, so its search often stops on the iteration limit: the flag keeps that too
  const allow = options.allowUnidentified === true;
  const fit = { allowUnidentified: allow, allowNonConvergence: allow, penalizer: options.penalizer };
  const purchaseModel = cliFit(() => entry.fit(summary, fit)) as FittedPurchaseModel;
  env.progress.step('clv: fitting Gamma-Gamma', 0.6);
  const spendModel: GammaGammaModel = cliFit(() => fitGammaGamma(summary, fit));
  // a fit kept with --allow-unidentified is never shown as a normal one: a warning on stderr and in the JSON
  const warnings = [...purchaseModel.warnings, ...spendModel.warnings].map((w) =>
    inCliTerms(w, '; kept by --allow-unidentified: treat the values as meaningless'),
  );
  for (const warning of warnings) env.note(`clv: WARNING ${warning}`);
  env.progress.step('clv: predicting', 0.8);
  const horizon = options.horizon ?? YEAR[unit];
  const period = options.period ?? YEAR[unit] / 12;
  const values = predictClv(purchaseModel, spendModel, summary, {
    horizon,
    period,
    discountRate: options.discountRate,
    margin: options.margin,
  });
  const total = totalClv(values);
  await emitResult(
    {
      summary: {
        calibrationEnd: summary.schema.metadata.get('clientele.calibrationEnd') ?? options.asOf ?? null,
        unit: summary.schema.metadata.get('clientele.unit') ?? unit,
        horizon,
        penalizer: options.penalizer,
        period,
        discountRate: options.discountRate,
        margin: options.margin,
        identified: purchaseModel.identified && spendModel.identified,
        converged: purchaseModel.converged && spendModel.converged,
        warnings,
        purchaseModel,
        spendModel,
        totalClv: total,
      },
      rowsKey: 'customers',
      table: values,
      summaryText: clvSummaryText(
        purchaseModel,
        spendModel,
        values.numRows,
        total,
        horizon,
        summary.schema.metadata.get('clientele.unit') ?? unit,
      ),
    },
    options,
    env,
  );
}

/**
 * Runs a fit; a `NOT_IDENTIFIED` or `NOT_CONVERGED` error is given again with the fix in the command line's terms
 * (`--allow-unidentified`) instead of the library's option.
 */
function cliFit<M>(fit: () => M): M {
  try {
    return fit();
  } catch (e) {
    if (!isClienteleError(e) || (e.code !== 'NOT_IDENTIFIED' && e.code !== 'NOT_CONVERGED')) throw e;
    const message = inCliTerms(e.message, `; or ${FIX}`);
    throw new ClienteleError(e.code, message.includes('--allow-unidentified') ? message : `${message}; or ${FIX}`);
  }
}

const FIX =
  'add --allow-unidentified to keep the fit anyway, marked "identified": false (or "converged": false) with a warning';

/** A fit's message with the library's way out (`or pass allowUnidentified: true …`) replaced by `fix`. */
function inCliTerms(message: string, fix: string): string {
  return message
    .replace(/,? or pass allowUnidentified: true to get the fit marked identified: false/, fix)
    .replace(
      /; raise maxIterations \(now \d+ per run\) or give start values, or pass allowNonConvergence: true to get the last point/,
      fix,
    );
}

/** The sum of the `clv` column, skipping NaN values. */
function totalClv(values: Table): number {
  const clv = values.getChild('clv')!.toArray() as Float64Array;
  let total = 0;
  for (let i = 0; i < clv.length; i++) if (clv[i] === clv[i]) total += clv[i];
  return total;
}

/** A model's parameters as `name = value` with 4 significant digits, comma-separated. */
function paramsText(m: { params: Record<string, number> }): string {
  return Object.entries(m.params)
    .map(([k, v]) => `${k} = ${v.toPrecision(4)}`)
    .join(', ');
}

/** The stderr summary line of `clientele clv`: both fitted models, the customers and the total expected value. */
function clvSummaryText(
  purchaseModel: FittedPurchaseModel,
  spendModel: GammaGammaModel,
  customers: number,
  total: number,
  horizon: number,
  unit: string,
): string {
  const unidentified = !(purchaseModel.identified && spendModel.identified)
    ? 'NOT IDENTIFIED (values meaningless): '
    : !(purchaseModel.converged && spendModel.converged)
      ? 'NOT CONVERGED (values unreliable): '
      : '';
  return (
    `clv: ${unidentified}${REPEAT_MODELS[purchaseModel.kind].label} ${paramsText(purchaseModel)}; Gamma-Gamma ${paramsText(spendModel)} (${unit}s); ` +
    `${customers} customers, total expected value ${total.toFixed(2)} over ${horizon} ${unit}s`
  );
}
