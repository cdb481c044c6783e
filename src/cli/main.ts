#!/usr/bin/env node
/** The `clientele` binary: parses argv, runs, sets the exit status (see `runCli`). */
import { ioError } from '../table/internal';
import { runCli } from './run-cli';

// `clientele rfm x.csv | head` closes the pipe early: stop quietly instead of crashing on EPIPE. Any other failure
// of stdout (`> /dev/full`: ENOSPC) is one line on stderr and exit status 1, without a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`clientele: ${ioError('output', 'write to', { stream: 'stdout' }, error).message}\n`);
  process.exit(1);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then((code) => {
  process.exitCode = code;
});
