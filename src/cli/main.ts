#!/usr/bin/env node
/** The `clientele` binary: parses argv, runs, sets the exit status (see `runCli`). */
import { runCli } from './run-cli';

// `clientele rfm x.csv | head` closes the pipe early: stop quietly instead of crashing on EPIPE
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then((code) => {
  process.exitCode = code;
});
