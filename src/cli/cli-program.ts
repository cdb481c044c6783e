import { Command } from 'commander';
import { version } from '../../package.json';
import type { CliIo } from './cli-io';
import { printable } from './printable';
import { addExamples } from './command-support';
import { abcCommand } from './commands/abc-command';
import { clvCommand } from './commands/clv-command';
import { csiCommand } from './commands/csi-command';
import { reportCommand } from './commands/report-command';
import { rfmCommand } from './commands/rfm-command';
import { rulesCommand } from './commands/rules-command';
import { segmentCommand } from './commands/segment-command';

/**
 * The `clientele` program (commander): one subcommand per analysis — rfm, abc, clv, segment, rules, csi,
 * report — each a thin layer that reads a file, calls the library function and writes its result. Output and
 * errors go to `io`; commander's own exits are turned into exceptions (`exitOverride`) so that `runCli` decides
 * the exit status. Global options: `--quiet` (no progress bar, no notes on stderr), `--debug` (stack traces).
 */
export function cliProgram(io: CliIo): Command {
  const program = new Command('clientele')
    .description(
      'Customer analytics over Apache Arrow files: RFM, ABC, CLV, k-means segments, association rules, satisfaction index, HTML report.',
    )
    .version(version, '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress bar and no notes on stderr (errors are still printed)')
    .option('--debug', 'print the stack trace of errors')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      // commander's errors quote the values given (an unknown option, a bad argument): print them harmlessly
      writeErr: (text) => void io.stderr.write(printable(text, true)),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    });
  for (const make of [rfmCommand, abcCommand, clvCommand, segmentCommand, rulesCommand, csiCommand, reportCommand]) {
    const cmd = make(io);
    // a command made apart (not with .command()) inherits exitOverride, output and help settings only when copied
    program.addCommand(cmd.copyInheritedSettings(program));
  }
  addExamples(program, [
    ['clientele rfm transactions.csv --segments --out rfm.csv', 'RFM scores and segments of every customer'],
    ['clientele abc transactions.parquet', 'ABC classes of customers by revenue, as JSON on stdout'],
    [
      'clientele clv transactions.arrow --horizon 52 --margin 0.3 --out clv.parquet',
      'one-year customer lifetime values',
    ],
    ['clientele segment transactions.csv --k auto', 'k-means segments, k chosen by the silhouette'],
    [
      'clientele rules basket-items.csv --min-support 0.005 --min-confidence 0.3 --top 10',
      'the ten strongest rules by lift',
    ],
    ['clientele csi survey.csv --scale 1,10', 'ACSI satisfaction index of a survey'],
    ['clientele report transactions.csv --survey survey.csv --out report.html', 'the whole analysis as one HTML page'],
  ]);
  program.addHelpText(
    'after',
    '\nRun clientele <command> --help for the options and examples of a command.\nExit status: 0 success, 1 bad input or data, 2 usage error.\n',
  );
  return program;
}
