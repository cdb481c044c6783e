import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * vitest global setup: bundles the worker-thread entry (src/parallel/worker.ts) from the sources under test into one
 * JavaScript file and names it in CLIENTELE_WORKER_BUNDLE, which the pool uses when clientele runs from its
 * TypeScript sources. A worker then starts in about 80 ms instead of about 600 ms (registering tsx and compiling
 * some 150 modules in every thread), which is most of the time of the thread tests. The bundle is made at the start
 * of every run from the current sources, so it is exactly the code under test; the machinery tests that hand the
 * workers TypeScript stand-in modules unset the variable and keep the tsx path tested.
 */
export default async function setup(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const outfile = resolve(root, 'test/artifacts/worker/worker.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [resolve(root, 'src/parallel/worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'es2022',
    outfile,
    logLevel: 'warning',
  });
  process.env.CLIENTELE_WORKER_BUNDLE = outfile;
}
