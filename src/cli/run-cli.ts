import { CommanderError } from 'commander';
import { isClienteleError } from '../table/index';
import { hasOwnKey } from '../table/internal';
import { cliProgram } from './cli-program';
import { cliMessage, commandFlags } from './flag-names';
import type { CliIo } from './cli-io';
import { printable } from './printable';
import { UsageError } from './usage-error';

/** Exit statuses of the `clientele` command. */
const EXIT = Object.freeze({ ok: 0, badInput: 1, usage: 2 });

/** File-system error codes that mean "your file", reported like bad input (exit 1) without a stack. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/**
 * Runs the `clientele` command line on `argv` (the arguments after the program name) and resolves to the exit
 * status; it never calls `process.exit` and writes only to `io`, so it runs in-process in tests too.
 *
 * Exit statuses: 0 success (and `--help`, `--version`); 1 bad input or data — a `ClienteleError` (missing column,
 * wrong type, malformed file …) or a file that cannot be read or written — printed as `clientele: <message>`, the
 * library's option names in it written as the command's flags (flag-names.ts);
 * 2 usage errors — unknown command or option, missing argument, invalid option value (commander's messages, and
 * a `ClienteleError` with code `INVALID_OPTION` from the library). Any other error is a bug: exit 1 with its
 * message and a hint to rerun with `--debug`. Stack traces are printed only with `--debug`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const program = cliProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(error, io, debug, commandFlags(program, argv));
  }
}

function report(error: unknown, io: CliIo, debug: boolean, flags: ReadonlyMap<string, string>): number {
  const stack = () => {
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  };
  // commander has already printed its message (or the help, or the version)
  if (error instanceof CommanderError) {
    stack();
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`clientele: ${printable(error.message)}\n(add --help for usage)\n`);
    stack();
    return EXIT.usage;
  }
  if (isClienteleError(error)) {
    io.stderr.write(`clientele: ${printable(cliMessage(error.message, flags))}\n`);
    stack();
    return error.code === 'INVALID_OPTION' ? EXIT.usage : EXIT.badInput;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && hasOwnKey(FILE_ERRORS, code)) {
    const path = (error as { path?: unknown }).path;
    io.stderr.write(`clientele: ${typeof path === 'string' ? `${printable(path)}: ` : ''}${FILE_ERRORS[code]}\n`);
    stack();
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`clientele: internal error: ${printable(message)}\n`);
  if (debug) stack();
  else
    io.stderr.write(
      'This is a bug in clientele, not in your data; rerun with --debug for the stack trace and report it.\n',
    );
  return EXIT.badInput;
}
