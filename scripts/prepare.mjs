// npm's `prepare` hook (run by `npm install` in a clone of the repository, never when clientele is installed from
// the registry): builds dist/ with tsup when it is missing or older than src/, tsup.config.ts or package.json, so
// that the `clientele` binary (package.json "bin": dist/cli.js) and the package entries exist right after the
// install. `npm pack` and `npm publish` build through `prepack`, which always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The newest modification time under `path` (a file or a folder, recursively). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const built = ['dist/index.js', 'dist/cli.js', 'dist/browser/index.js'];
const fresh =
  built.every((file) => existsSync(file)) &&
  Math.min(...built.map((file) => statSync(file).mtimeMs)) >=
    Math.max(...['src', 'tsup.config.ts', 'package.json'].map(newest));

if (fresh) {
  console.log('prepare: dist/ is up to date');
} else {
  let tsup;
  try {
    const manifest = createRequire(import.meta.url).resolve('tsup/package.json');
    tsup = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tsup);
  } catch {
    // installed without dev dependencies: nothing to build with, and nothing in the install should fail for it
    console.warn('prepare: tsup is not installed (dev dependencies omitted?); skipping the build of dist/');
    process.exit(0);
  }
  console.log('prepare: building dist/ with tsup');
  const run = spawnSync(process.execPath, [tsup, '--silent'], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
