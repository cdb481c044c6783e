#!/usr/bin/env node
/**
 * Writes the reference results of the Deno parity test: test/deno/cases.mjs run by Node over the ESM build
 * (dist/index.js), checked on the way against the CommonJS build (dist/index.cjs) of the same run.
 *
 *   node scripts/deno-reference.mjs <out.json>
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { runCases } from '../test/deno/cases.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/deno-reference.mjs <out.json>');
  process.exit(2);
}
const esm = await import(new URL('../dist/index.js', import.meta.url).href);
const cjs = createRequire(import.meta.url)('../dist/index.cjs');
const t0 = performance.now();
const results = await runCases(esm);
const ms = performance.now() - t0;
const fromCjs = await runCases(cjs);
const differ = Object.keys(results).filter((name) => !isDeepStrictEqual(results[name], fromCjs[name]));
if (differ.length) {
  console.error(`deno-reference: the ESM and CommonJS builds disagree on ${differ.join(', ')}; rebuild with npx tsup`);
  process.exit(1);
}
writeFileSync(out, JSON.stringify({ runtime: `node ${process.version}`, ms, results }));
const skipped = Object.entries(results)
  .filter(([, r]) => r && typeof r === 'object' && 'skipped' in r)
  .map(([n]) => n);
console.log(
  `deno-reference: ${Object.keys(results).length} cases on Node ${process.version} in ${ms.toFixed(0)} ms (ESM = CJS)` +
    (skipped.length ? `; skipped: ${skipped.join(', ')}` : ''),
);
