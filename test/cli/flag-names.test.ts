/**
 * Messages speak the interface in use (issue 16): a library error that reaches the command line names the
 * command's flags (`--block complaints=…`, `--min-support`), never the library's options (`surveyBlocks: { … }`,
 * `minSupport`). One table provokes, for every command, each library error that names an option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/cli/cli-program';
import { cliMessage, commandFlags } from '../../src/cli/flag-names';
import { runCli } from '../../src/cli/run-cli';
import type { CliIo } from '../../src/cli/cli-io';

const sink: CliIo = { stdout: { write: () => true }, stderr: { write: () => true } };

/** The library option → flag map of one command, as run-cli builds it. */
function flagsOf(command: string): ReadonlyMap<string, string> {
  return commandFlags(cliProgram(sink), [command]);
}

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, {
    stdout: { write: () => true },
    stderr: { write: (s: string) => ((err += s), true) },
  });
  return { code, err };
}

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-flags-'));
  writeFileSync(
    file('tx.csv'),
    'customer,date,amount,transaction,item\n' +
      Array.from(
        { length: 40 },
        // the lines of one transaction share its customer and date (t = i % 17), as a line-item log's do
        (_, i) =>
          `c${(i % 17) % 9},2024-0${1 + ((i % 17) % 9)}-1${(i % 17) % 10},${5 + ((i * 7) % 11)},t${i % 17},p${i % 5}`,
      ).join('\n') +
      '\n',
  );
  // an ACSI survey in the sample survey's naming; answers from a fixed linear congruential sequence
  let x = 7;
  const next = () => (x = (x * 48271) % 2147483647) % 10;
  const cols = ['exp1', 'exp2', 'qual1', 'qual2', 'val1', 'val2', 'sat1', 'sat2', 'comp1', 'loy1', 'loy2'];
  writeFileSync(
    file('survey.csv'),
    `${cols.join(',')}\n${Array.from({ length: 30 }, () => cols.map(() => 1 + next()).join(',')).join('\n')}\n`,
  );
  writeFileSync(file('other.csv'), 'q1,q2\n1,2\n3,4\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [command and arguments, the flag the message must name, exit status]. */
const CASES: [string[], string, number][] = [
  [['rfm', 'tx.csv', '--customer', 'nope'], '--customer', 1],
  [['rfm', 'tx.csv', '--date', 'nope'], '--date', 1],
  [['rfm', 'tx.csv', '--amount', 'nope'], '--amount', 1],
  [['rfm', 'tx.csv', '--amount', ''], '--amount', 2],
  [['abc', 'tx.csv', '--value', 'nope'], '--value', 1],
  [['abc', 'tx.csv', '--customer', 'nope'], '--customer', 1],
  [['abc', 'tx.csv', '--by', 'item', '--item', 'nope'], '--item', 1],
  [['clv', 'tx.csv', '--customer', 'nope'], '--customer', 1],
  [['clv', 'tx.csv', '--date', 'nope'], '--date', 1],
  [['clv', 'tx.csv', '--amount', 'nope'], '--amount', 1],
  [['segment', 'tx.csv', '--customer', 'nope'], '--customer', 1],
  [['segment', 'tx.csv', '--amount', 'nope'], '--amount', 1],
  [['rules', 'tx.csv', '--transaction', 'nope'], '--transaction', 1],
  [['rules', 'tx.csv', '--item', 'nope'], '--item', 1],
  [['csi', 'other.csv'], '--block expectations=', 1],
  [['csi', 'survey.csv', '--block', 'quality=nope'], '--block quality=', 1],
  [['csi', 'survey.csv', '--block', 'happiness=sat1'], '--block', 2],
  [['csi', 'survey.csv', '--model', 'ecsi'], '--block image=', 1],
  [['report', 'tx.csv', '--k', '60', '--out', 'k.html'], '--k', 2],
  [['report', 'tx.csv', '--customer', 'nope', '--out', 'c.html'], '--customer', 1],
  [['report', 'tx.csv', '--survey', 'survey.csv', '--block', 'happiness=sat1', '--out', 'h.html'], '--block', 2],
];

describe('a library error on the command line names the flag, not the library option', () => {
  it.each(CASES)('clientele %j names %s', async (args, flag, status) => {
    const command = args[0];
    const run = await cli(args.map((a) => (/\.(csv|html)$/.test(a) ? file(a) : a)));
    expect(run.code, run.err).toBe(status);
    expect(run.err).toContain(flag);
    // no { option: … } object syntax
    expect(run.err).not.toMatch(/\{\s*['"]?\w+['"]?\s*:/);
    // no camelCase option name that the command sets with a flag
    for (const [option] of flagsOf(command)) {
      if (/[A-Z]/.test(option)) expect(run.err).not.toMatch(new RegExp(`(?<![\\w-])${option}(?![\\w(])`));
    }
    expect(run.err).not.toContain('surveyBlocks');
  });

  it('report --survey with a survey that cannot be fitted writes the report and a note naming --block', async () => {
    const run = await cli(['report', file('tx.csv'), '--survey', file('other.csv'), '--out', file('n.html')]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('the satisfaction sections are left out');
    expect(run.err).toContain('--block expectations=col1,col2');
    expect(run.err).not.toContain('surveyBlocks');
  });
});

describe('cliMessage: the rewriting rules', () => {
  const flags = new Map([
    ['minSupport', '--min-support'],
    ['amount', '--amount'],
    ['k', '--k'],
    ['surveyBlocks', '--block'],
    ['blocks', '--block'],
    ['asOf', '--as-of'],
  ]);

  it.each([
    [
      'rules: option minSupport must be a number in [0, 1] (found 2); pass e.g. { minSupport: 0.5 }',
      'rules: --min-support must be a number in [0, 1] (found 2); pass e.g. --min-support 0.5',
    ],
    [
      'rfm: column "x" (option amount) is not in the table; pass the name of the amount column as { amount: \'…\' }',
      'rfm: column "x" (--amount) is not in the table; pass the name of the amount column as --amount …',
    ],
    [
      "analysisReport: option k must be 'auto' or a whole number (found 60); e.g. k: 4",
      "analysisReport: --k must be 'auto' or a whole number (found 60); e.g. --k 4",
    ],
    [
      "f: no column; name its columns with surveyBlocks: { quality: ['q1', 'q2'] }",
      'f: no column; name its columns with --block quality=q1,q2',
    ],
    ['f: bad column (option blocks.quality)', 'f: bad column (--block quality=…)'],
    ['f: lower minSupport to see more; asOf: a Date', 'f: lower --min-support to see more; --as-of a Date'],
    ["f: pass { satisfaction: '…', loyalty: '…' }", "f: pass { satisfaction: '…', loyalty: '…' }"],
    ['f: the columns customer and amount', 'f: the columns customer and amount'],
  ])('%s', (message, expected) => {
    expect(cliMessage(message, flags)).toBe(expected);
  });

  it('property: on every command, "option <name>" becomes the flag for each option the command has', () => {
    const program = cliProgram(sink);
    const commands = program.commands.map((c) => c.name());
    fc.assert(
      fc.property(fc.constantFrom(...commands), (command) => {
        const map = flagsOf(command);
        for (const [option, flag] of map) {
          const out = cliMessage(`fn: option ${option} must be positive (found -1); pass e.g. { ${option}: 1 }`, map);
          expect(out).toContain(flag);
          expect(out).not.toMatch(/\{/);
          if (/[A-Z]/.test(option)) expect(out).not.toContain(option);
        }
      }),
      { numRuns: commands.length * 3 },
    );
  });
});
