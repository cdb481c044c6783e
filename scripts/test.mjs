// `npm test` after the build: the type-check (tsc --noEmit) and the vitest suite side by side — tsc works on one
// core while vitest's workers wait on the child processes, browsers and databases of the slow tests — and the run
// fails when either fails. Arguments go to vitest (`npm test -- --reporter=json …`).
import { spawn } from 'node:child_process';
import path from 'node:path';

// the local binaries first, as npm puts them when it runs the script
const bin = path.resolve('node_modules', '.bin');
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };

const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', (e) => {
      console.error(`test: could not start ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const [typeCheck, suite] = await Promise.all([
  run('tsc', ['--noEmit']),
  run('vitest', ['run', ...process.argv.slice(2)]),
]);
if (typeCheck !== 0) console.error('test: tsc --noEmit found type errors (above)');
process.exit(typeCheck || suite);
