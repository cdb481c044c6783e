/**
 * k-means on worker threads (issue 8): `kmeans` in one thread vs `kmeans(…, { parallel: 2 })` vs ml-kmeans, in the
 * same process, on 2M points × 4 features (Gaussian blobs of `kmeans-data.ts`, already z-scored), k = 8.
 *
 * clientele runs from the built package (dist/; built when stale), as users run it.
 *
 * 1. clientele, one thread: `kmeans(columns, { columns, k: 8, seed: 1, nInit, standardize: 'none' })`, median of 3.
 * 2. clientele, `parallel: 2, minRowsPerWorker: 1_000_000` (one worker per million rows; the default is 250 000),
 *    median of 3; each call starts and stops its threads, which is included. The result is checked to equal the
 *    single-thread one bit for bit (inertia, every label and centroid), and the report says so.
 * 3. Where the single-thread time goes: the k-means++ seedings (`kmeansPlusPlus` with `kmeans`'s seeds), which stay
 *    on the calling thread in both forms, against the rest.
 * 4. ml-kmeans 7 (`kmeansGenerator`, k-means++, maxIterations 300, tolerance 1e-4, seed 1), one run on
 *    `number[][]` built before the clock starts, stopped after the iteration that crosses `--ml-budget` seconds.
 *
 * Run: `npx tsx --expose-gc benchmarks/kmeans-parallel.bench.ts [--rows 2e6] [--dims 4] [--ninit 1,3] [--ml-budget 40]`.
 * Prints a markdown section to stdout (the lead merges it into RESULTS.md).
 */
import { kmeansGenerator } from 'ml-kmeans';
import { randomSource } from '../src/math/internal';
import { pathToFileURL } from 'node:url';
import type { Segmentation } from '../src/index';
import { kmeansPlusPlus, kmeansWorkspace } from '../src/segment/internal';
import { featureMatrix } from '../src/segment/internal';
import { asTable } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';
import { gaussianBlobs, rowArrays } from './kmeans-data';

/**
 * The built package (dist/, as users run it), so that the worker threads start from the bundle rather than
 * compiling the sources through tsx in every thread; built first when stale.
 */
const { spawnSync } = await import('node:child_process');
spawnSync('bash', ['-c', '. scripts/ensure-build.sh bench:kmeans-parallel'], {
  cwd: new URL('..', import.meta.url).pathname,
  stdio: 'inherit',
});
const { kmeans } = (await import(
  pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href
)) as typeof import('../src/index');

const K = 8;
const SEED = 1;
const RUNS = 3;
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const ROWS = Number(arg('rows', '2e6'));
const DIMS = Number(arg('dims', '4'));
const NINITS = arg('ninit', '1,3').split(',').map(Number);
const ML_BUDGET_S = Number(arg('ml-budget', '40'));
const log = (message: string) => process.stderr.write(`${message}\n`);

function same(a: Segmentation, b: Segmentation): boolean {
  return (
    Object.is(a.inertia, b.inertia) &&
    a.iterations === b.iterations &&
    a.labels.every((l, i) => l === b.labels[i]) &&
    a.centroids.every((c, j) => c.every((v, t) => Object.is(v, b.centroids[j][t]))) &&
    a.runs.every((r, i) => Object.is(r, b.runs[i]))
  );
}

async function timeRuns(
  f: () => Segmentation | Promise<Segmentation>,
): Promise<{ times: number[]; result: Segmentation }> {
  const times: number[] = [];
  let result: Segmentation | undefined;
  for (let r = 0; r < RUNS; r++) {
    collectGarbage();
    const t0 = performance.now();
    result = await f();
    times.push(performance.now() - t0);
  }
  return { times, result: result! };
}

/** The k-means++ seedings `kmeans` runs for nInit runs (same master seed), timed together. */
function seedingMs(columns: Record<string, Float64Array>, names: readonly string[], nInit: number): number {
  const features = featureMatrix(asTable(columns), names, 'none', 'kmeans');
  const workspace = kmeansWorkspace(features.n);
  const master = randomSource(SEED);
  const t0 = performance.now();
  for (let r = 0; r < nInit; r++)
    kmeansPlusPlus(features.data, features.n, features.d, K, randomSource(master.uint32()), workspace);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const blobs = gaussianBlobs(ROWS, DIMS);
  log(`data ${ROWS} × ${DIMS}: ${ms(performance.now() - t0)} ms`);
  const small = gaussianBlobs(20_000, DIMS, 7);
  const options = (nInit: number) => ({ columns: blobs.names, k: K, seed: SEED, nInit, standardize: 'none' as const });
  // warm-up: compile the kernels, load the worker machinery once
  kmeans(small.columns, { ...options(2), columns: small.names });
  await kmeans(small.columns, { ...options(1), columns: small.names, parallel: 2, minRowsPerWorker: 5_000 });

  const rows: string[][] = [];
  for (const nInit of NINITS) {
    const one = await timeRuns(() => kmeans(blobs.columns, options(nInit)));
    log(`nInit ${nInit} one thread: ${one.times.map(ms).join(', ')} ms`);
    const two = await timeRuns(() =>
      kmeans(blobs.columns, { ...options(nInit), parallel: 2, minRowsPerWorker: 1_000_000 }),
    );
    log(`nInit ${nInit} parallel 2: ${two.times.map(ms).join(', ')} ms`);
    const seeding = seedingMs(blobs.columns, blobs.names, nInit);
    rows.push([
      `${ROWS / 1e6}M × ${DIMS}`,
      String(nInit),
      `${ms(median(one.times))} (${one.times.map(ms).join(', ')})`,
      `${ms(median(two.times))} (${two.times.map(ms).join(', ')})`,
      `${(median(one.times) / median(two.times)).toFixed(2)}×`,
      `${ms(seeding)}`,
      `${one.result.iterations}`,
      same(one.result, two.result) ? 'yes' : 'NO',
    ]);
  }

  // ml-kmeans, one run, stopped on the budget
  const points = rowArrays(blobs);
  collectGarbage();
  const m0 = performance.now();
  let iterations = 0;
  let stopped = false;
  for (const _step of kmeansGenerator(points, K, {
    initialization: 'kmeans++',
    maxIterations: 300,
    tolerance: 1e-4,
    seed: SEED,
  })) {
    iterations++;
    if (performance.now() - m0 > ML_BUDGET_S * 1000) {
      stopped = true;
      break;
    }
  }
  const mlMs = performance.now() - m0;
  log(`ml-kmeans: ${ms(mlMs)} ms, ${iterations} iterations${stopped ? ' (stopped on the budget)' : ''}`);

  const table = markdownTable(
    [
      'points × features',
      'nInit',
      'one thread ms (median of 3: runs)',
      '`parallel: 2` ms (median of 3: runs)',
      'speed-up',
      'k-means++ seedings ms (calling thread)',
      'iterations (kept run)',
      'identical to one thread',
    ],
    rows,
  );
  process.stdout.write(
    [
      `## k-means on worker threads (issue 8)`,
      '',
      `Command: \`npx tsx --expose-gc benchmarks/kmeans-parallel.bench.ts\`  `,
      `Machine: ${machine()}  `,
      `Data: ${ROWS / 1e6}M Gaussian blobs × ${DIMS} features (\`gaussianBlobs\`, z-scored), k = ${K}, \`standardize: 'none'\`, seed ${SEED}; ` +
        `\`parallel: 2\` with \`minRowsPerWorker: 1_000_000\`; each parallel call starts and stops its 2 threads (included).`,
      '',
      table,
      '',
      `ml-kmeans 7 (\`kmeansGenerator\`, k-means++, one run, same process): ${ms(mlMs)} ms for ${iterations} iterations` +
        `${stopped ? ` (stopped on the ${ML_BUDGET_S} s budget)` : ' (converged)'}.`,
      '',
    ].join('\n'),
  );
}

await main();
