// `npm test` after the build: the vitest suite, its arguments passed on (`npm test -- --reporter=json …`). The
// type-check (tsc --noEmit) is a static check: `npm run check` and CI run it (`npm run typecheck`), so that the test
// run spends both cores on the tests.
import { spawn } from 'node:child_process';
import path from 'node:path';

// the local binaries first, as npm puts them when it runs the script
const bin = path.resolve('node_modules', '.bin');
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };

const child = spawn('vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('error', (e) => {
  console.error(`test: could not start vitest: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
