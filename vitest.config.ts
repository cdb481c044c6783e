import { defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `npm test` and CI:
 * - `unit`: every test that runs in-process — the inner loop (`npm run test:unit`, about a minute);
 * - `slow` and `threads`: tests that start worker threads (`threads`), spawn the CLI binary or a browser, or mine and
 *   fit the full public datasets (`npm run test:slow` runs both).
 * No test depends on a timer: the timeouts below are a backstop against a hang (CI's own limit is longer), not a
 * budget a loaded machine could overrun. fast-check runs on a fixed, printed seed (test/setup/fast-check.ts).
 */
const SLOW = [
  'test/parallel/**/*.test.ts',
  'test/basket/itemsets-parallel.test.ts',
  'test/segment/kmeans-parallel.test.ts',
  'test/cli/cli-binary.test.ts',
  'test/report/report-browser.test.ts',
  'test/charts/charts-browser.slow.test.ts',
  'test/conformance/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/hostile/**/*.slow.test.ts',
  'test/readme-examples.test.ts',
  'test/io/**/*.slow.test.ts',
  'test/cli/**/*.slow.test.ts',
  'test/clv/**/*.slow.test.ts',
  'test/sql/**/*.slow.test.ts',
];

/** Slow files that start worker threads or change the environment: each runs in a fresh module graph. */
const THREADED = [
  'test/parallel/**/*.test.ts',
  'test/basket/itemsets-parallel.test.ts',
  'test/segment/kmeans-parallel.test.ts',
  'test/io/csv-parallel.slow.test.ts',
];

export default defineConfig({
  test: {
    // three workers on two cores: the slow files spend much of their time waiting on child processes (the CLI,
    // README blocks), browsers, worker threads and databases, and a third worker fills that time (npm test measured
    // 316 s → 297 s on a quiet 2-core machine); no test depends on a timer, so the extra contention cannot fail one
    maxWorkers: 3,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    setupFiles: ['test/setup/fast-check.ts'],
    globalSetup: ['test/setup/worker-bundle.ts'],
    projects: [
      // unit files share their workers' module graph (isolate: false): none stubs a global, mocks a module or sets
      // the environment (those that do are in `slow`), and importing the sources once per worker instead of once per
      // file is a third of the suite's time
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, isolate: false } },
      // of the slow files, those that start worker threads or set the environment keep a module graph of their own
      // (the pool is module state); the others share it as the unit files do
      { extends: true, test: { name: 'slow', include: SLOW, exclude: THREADED, isolate: false } },
      { extends: true, test: { name: 'threads', include: THREADED } },
    ],
  },
});
