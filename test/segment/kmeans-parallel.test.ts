import { existsSync } from 'node:fs';
import { tableFromArrays } from 'apache-arrow';
import fc from 'fast-check';
import { expectSameSegmentation } from '../helpers/segmentation';
import { osThreads, steadyThreads, threadsDownTo } from '../helpers/threads';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import { kmeansParallel } from '../../src/parallel/kmeans-parallel';
import { closeWorkers } from '../../src/parallel/pool';
import { featureMatrix } from '../../src/segment/feature-matrix';
import { bestOfRunsSteps, checkK, fitKMeans, resolveKMeansOptions, segmentation } from '../../src/segment/kmeans';
import { kmeans } from '../../src/api/segment';
import type { KMeansOptions, Segmentation } from '../../src/segment/kmeans';
import { blockCount, blockState, kmeansStepAggregate } from '../../src/segment/kmeans-blocks';
import type { StepResult } from '../../src/segment/kmeans-blocks';
import { kmeansWorkspace } from '../../src/segment/kmeans-plus-plus';
import { asTable } from '../../src/table/as-table';

/**
 * `kmeans(table, { parallel: n })` must equal `kmeans(table)` to the last bit. The reference is always the
 * single-thread fit, run in the same test with the same block size; numbers are compared with `Object.is`.
 */

type Outcome = { value: Segmentation } | { code: unknown };
async function outcome(f: () => Segmentation | Promise<Segmentation>): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (e) {
    return { code: (e as { code?: unknown }).code ?? String(e) };
  }
}
function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  if ('code' in expected) expect(actual).toEqual(expected);
  else {
    expect('value' in actual ? 'value' : (actual as { code: unknown }).code).toBe('value');
    expectSameSegmentation((actual as { value: Segmentation }).value, expected.value);
  }
}

// A cell: small integers (ties, duplicate rows), any double, or a value that drops the row.
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY) },
);
const dataset = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), rows: fc.integer({ min: 1, max: 160 }) })
  .chain(({ d, rows }) =>
    fc.array(fc.array(cell, { minLength: rows, maxLength: rows }), { minLength: d, maxLength: d }),
  )
  .map((columns) => Object.fromEntries(columns.map((c, t) => [`f${t}`, c])) as Record<string, (number | null)[]>);
const fitOptions = fc.record({
  k: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 10_000 }),
  nInit: fc.integer({ min: 1, max: 3 }),
  standardize: fc.constantFrom('zscore' as const, 'minmax' as const, 'none' as const),
  init: fc.constantFrom('k-means++' as const, 'random' as const),
  maxIterations: fc.oneof(fc.constant(300), fc.integer({ min: 1, max: 3 })),
  tolerance: fc.constantFrom(0, 1e-4),
});

/**
 * The fit with every step run over a different random partition of the blocks, each part summarized and the parts
 * merged in order, exactly as a worker session does (without threads, so that many cases run quickly).
 */
function partitionedFit(table: unknown, options: KMeansOptions, blockRows: number, seed: number): Segmentation {
  const fn = 'kmeans';
  const o = resolveKMeansOptions(options, fn);
  const features = featureMatrix(asTable(table), o.columns, o.standardize, fn);
  checkK(o.k, features, fn);
  const workspace = kmeansWorkspace(features.n);
  const state = blockState(features.data, features.n, features.d, o.k, blockRows, workspace);
  const blocks = blockCount(features.n, blockRows);
  const blockTable = tableFromArrays({ block: Int32Array.from({ length: blocks }, (_, b) => b) });
  const rng = randomSource(seed);
  const steps = bestOfRunsSteps(features, o.k, o, fn, state);
  let next = steps.next();
  while (!next.done) {
    const parts = 1 + rng.int(4);
    const cuts = [0, ...Array.from({ length: parts - 1 }, () => rng.int(blocks + 1)).sort((a, b) => a - b), blocks];
    let merged: StepResult | undefined;
    for (let p = 0; p < parts; p++) {
      const partial = structuredClone(
        kmeansStepAggregate.summarize(blockTable.slice(cuts[p], cuts[p + 1]), { ...state, step: next.value }),
      );
      merged = merged === undefined ? partial : kmeansStepAggregate.merge(merged, partial);
    }
    next = steps.next(kmeansStepAggregate.finish(merged!));
  }
  const { best, runs } = next.value;
  return segmentation(features, best, o.k, o.columns, runs, fn);
}

describe('kmeans step partitions (no threads)', () => {
  it('property: any partition of the blocks, different at every step, gives the single-thread result bit for bit', () => {
    fc.assert(
      fc.property(
        dataset,
        fitOptions,
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        (columns, fit, blockRows, seed) => {
          const options = { ...fit, columns: Object.keys(columns) };
          let expected: Outcome;
          try {
            expected = { value: fitKMeans(columns, resolveKMeansOptions(options, 'kmeans'), 'kmeans', blockRows) };
          } catch (e) {
            expected = { code: (e as { code: unknown }).code };
          }
          let actual: Outcome;
          try {
            actual = { value: partitionedFit(columns, options, blockRows, seed) };
          } catch (e) {
            actual = { code: (e as { code: unknown }).code };
          }
          expectSameOutcome(actual, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('re-seeds an empty cluster at the farthest point, whichever block holds it', () => {
    // a starting centroid far from every point leaves its cluster empty after the first assignment
    const rng = randomSource(11);
    const x = Array.from({ length: 90 }, (_, i) => (i % 3) * 5 + rng.normal() * 0.3);
    const y = Array.from({ length: 90 }, () => rng.normal() * 0.3);
    const options = {
      columns: ['x', 'y'],
      k: 4,
      standardize: 'none' as const,
      init: [
        [0, 0],
        [5, 0],
        [10, 0],
        [500, 500],
      ],
    };
    const one = fitKMeans({ x, y }, resolveKMeansOptions(options, 'kmeans'), 'kmeans', 7);
    expect(Array.from(one.sizes).every((s) => s > 0)).toBe(true); // the far centroid took a point
    for (let seed = 0; seed < 20; seed++) expectSameSegmentation(partitionedFit({ x, y }, options, 7, seed), one);
  });
});

describe('kmeans(table, { parallel }) on worker threads', () => {
  it('property: parallel 2, 3, 4 equal the single-thread fit bit for bit (small blocks, so every thread has rows)', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataset,
        fitOptions,
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 2, max: 4 }),
        async (columns, fit, blockRows, parallel) => {
          const options = { ...fit, columns: Object.keys(columns) };
          const expected = await outcome(() =>
            fitKMeans(columns, resolveKMeansOptions(options, 'kmeans'), 'kmeans', blockRows),
          );
          const actual = await outcome(() =>
            kmeansParallel(columns, { ...options, parallel, minRowsPerWorker: 1 }, blockRows),
          );
          expectSameOutcome(actual, expected);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('the public call with the library block size (4096 rows) equals kmeans(table) for 2, 3 and 4 threads', async () => {
    const rng = randomSource(3);
    const n = 13_000;
    const columns = {
      recency: Float64Array.from({ length: n }, () => Math.round(rng.uniform() * 365)),
      frequency: Float64Array.from({ length: n }, () => 1 + Math.floor(-Math.log(rng.uniform()) * 4)),
      monetary: Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : Math.exp(3 + rng.normal()))),
    };
    const before = columns.monetary.slice();
    const options = { columns: ['recency', 'frequency', 'monetary'], k: 8, seed: 4, nInit: 2 };
    const one = kmeans(columns, options);
    for (const parallel of [2, 3, 4])
      expectSameSegmentation(await kmeans(columns, { ...options, parallel, minRowsPerWorker: 1 }), one);
    // the caller's columns are neither detached nor changed
    expect(columns.monetary.length).toBe(n);
    expect(columns.monetary.every((v, i) => Object.is(v, before[i]))).toBe(true);
    // below 2 × minRowsPerWorker rows, in-process: the same result
    expectSameSegmentation(await kmeans(columns, { ...options, parallel: 4 }), one);
    // predict still works on the threaded result
    const threaded = await kmeans(columns, { ...options, parallel: 2, minRowsPerWorker: 1 });
    expect(Array.from(threaded.predict(columns))).toEqual(Array.from(one.labels));
  });

  it('rejects with the error code of the single-thread call', async () => {
    const points = {
      x: [1, 2, 3, 4, 5, 6],
      y: [1, 1, 2, 2, 3, 3],
      name: ['a', 'b', 'c', 'd', 'e', 'f'],
      gap: [null, null, null, null, null, null],
    };
    const cases: KMeansOptions[] = [
      { columns: ['x', 'missing'], k: 2 },
      { columns: ['x', 'name'], k: 2 },
      { columns: ['x', 'y'], k: 0 },
      { columns: ['x', 'y'], k: 7 },
      { columns: ['x', 'gap'], k: 1 },
      { columns: ['x', 'y'], k: 2, standardize: 'median' as never },
      { columns: [], k: 2 },
    ];
    for (const options of cases) {
      const single = await outcome(() => kmeans(points, options));
      expect(single).toHaveProperty('code');
      expect(await outcome(() => kmeans(points, { ...options, parallel: 2, minRowsPerWorker: 1 }))).toEqual(single);
    }
    for (const parallel of [0, 1.5, 'two', 1000]) {
      expect(await outcome(() => kmeans(points, { columns: ['x'], k: 2, parallel: parallel as number }))).toEqual({
        code: 'INVALID_OPTION',
      });
    }
    expect(await outcome(() => kmeans(points, { columns: ['x'], k: 2, parallel: 2, minRowsPerWorker: 0 }))).toEqual({
      code: 'INVALID_OPTION',
    });
  });

  it.runIf(existsSync('/proc/self/status'))('leaves no worker thread behind, also after errors', async () => {
    const rng = randomSource(9);
    const n = 600;
    const columns = {
      a: Array.from({ length: n }, () => rng.normal()),
      b: Array.from({ length: n }, () => rng.normal()),
    };
    const run = (parallel: number) =>
      kmeansParallel(columns, { columns: ['a', 'b'], k: 3, nInit: 1, parallel, minRowsPerWorker: 1 }, 50);
    await run(2); // warm up: the first call loads modules that start threads of their own
    await closeWorkers(); // and leaves its threads warm in the pool: the baseline is without them
    const before = await steadyThreads();
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, osThreads())), 5);
    await run(3);
    clearInterval(watch);
    expect(peak).toBeGreaterThan(before); // the probe saw the worker threads
    await run(4);
    await kmeansParallel(columns, { columns: ['a', 'b'], k: n + 1, parallel: 2, minRowsPerWorker: 1 }, 50).catch(
      () => undefined,
    );
    await kmeansParallel(columns, { columns: ['a', 'missing'], k: 2, parallel: 2, minRowsPerWorker: 1 }, 50).catch(
      () => undefined,
    );
    await closeWorkers(); // the warm pool keeps its threads between calls: stop them, then nothing may be left
    expect(await threadsDownTo(before)).toBeLessThanOrEqual(before);
  });
});
