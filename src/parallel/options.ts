import { ClienteleError, describeValue } from '../table/internal';
import { availableCores, poolState } from './pool';
import { AGGREGATES } from './registry';
import type { Aggregate } from './registry';

/** How a parallel run is split. */
export interface ParallelOptions {
  /**
   * Fewest rows worth a worker of their own: a table of `rows` rows gets `min(n, floor(rows / minRowsPerWorker))`
   * workers, and runs in-process when that is 1. A parallel run has fixed costs the single thread does not: about
   * 100–250 ms to copy the slices and start the threads, plus the merges on the calling thread (O(keys) each, some
   * 200 ms per million customers). The customer summary reads 10–40 million rows a second in one thread, so a
   * worker needs millions of rows to earn its start. Default 2 000 000; 1 forces workers on any table.
   */
  minRowsPerWorker?: number;
  /**
   * Columns to send to the workers (the others are not copied). Default: every column. `summarizeInParallel` and
   * the `…Parallel` analyses fill this in from the analysis's column options.
   */
  columns?: readonly string[];
  /** Internal, for tests: URL of a module whose `AGGREGATES` export the workers use instead of the built-in registry. */
  module?: string;
}

const MAX_WORKERS = 256;

/** The number of workers asked for, checked: an integer from 1 to 256. */
export function checkWorkerCount(n: unknown, fn: string, option = 'n'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be an integer from 1 to ${MAX_WORKERS} (found ${describeValue(n)}); ` +
        `pass the number of threads to use, e.g. os.availableParallelism()`,
    );
  }
  return n;
}

export function checkMinRows(value: unknown, fn: string): number {
  if (value === undefined) return 2_000_000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minRowsPerWorker must be a positive integer (found ${describeValue(value)}); 1 uses workers on any table`,
    );
  }
  return value;
}

/** The registry entry of an aggregate name, or INVALID_OPTION naming the known ones. */
export function aggregateOf(
  name: unknown,
  fn: string,
  registry: Record<string, Aggregate> = AGGREGATES as unknown as Record<string, Aggregate>,
): Aggregate {
  const aggregate = typeof name === 'string' && Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (aggregate === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: aggregate ${describeValue(name)} is not one of ${Object.keys(registry)
        .map((k) => `'${k}'`)
        .join(', ')}; ` + `pass the name of a mergeable aggregate`,
    );
  }
  return aggregate;
}

/** Options as the workers will receive them; INVALID_OPTION when they cannot be sent to a thread. */
export function checkClonable(options: unknown, fn: string): void {
  try {
    structuredClone(options);
  } catch (e) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the options cannot be sent to a worker thread (found ${describeValue(options)}: ${(e as Error).message}); ` +
        `pass plain data (numbers, strings, arrays, plain objects, Dates), not functions or class instances`,
    );
  }
}

/** The options an analysis takes to run on worker threads. */
export interface ParallelRun {
  /**
   * Worker threads, 1–256 (1 runs in-process), or `'auto'`: the free cores (`os.availableParallelism()` less the
   * threads other calls hold), in-process when the input is too small to pay for a thread.
   */
  parallel: number | 'auto';
  /** Fewest rows worth a thread; see {@link ParallelOptions}. Default 2 000 000. */
  minRowsPerWorker?: number;
}

/**
 * The threads `parallel: 'auto'` may use now: the cores this process may use (`os.availableParallelism()`) less the
 * pooled threads other calls hold at this moment, at least 1 (in-process). So `'auto'` never queues behind another
 * call and never starts more threads than there are idle cores; the analysis then applies its size rule
 * (`minRowsPerWorker`), so a small input stays in-process.
 */
export function autoThreads(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableCores() - poolState().leased));
}

/** Fewest cores with which `parallel: 'auto'` runs a single pass over rows (RFM, CSV) on threads. */
const SCAN_MIN_CORES = 4;

/**
 * The threads `parallel: 'auto'` gives work that passes over the rows once (the per-customer summary behind `rfm`
 * and `customerSummary`, a CSV read): the `free` cores when there are at least 4, else one. On 2 cores two threads
 * measured slower than one (RESULTS.md, issue 17: RFM on 10M rows 1.4×, a 318 MB CSV 1.19×), as the copy into
 * shared memory and the merge outweigh the second core; so `'auto'` is never slower than one thread there.
 */
export function autoScanThreads(free: number): number {
  return free >= SCAN_MIN_CORES ? free : 1;
}

/**
 * An analysis's options split into the thread count, the analysis's own options and the parallel options; the one
 * place `parallel: 'auto'` is resolved (to {@link autoThreads}, with `auto` true so that an analysis with a
 * finer cost model may use it).
 */
export function splitParallel<O extends object>(
  options: O & ParallelRun,
  fn: string,
): { n: number; auto: boolean; analysis: O; parallel: ParallelOptions } {
  if (options === null || typeof options !== 'object') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object with a parallel thread count (found ${describeValue(options)}); pass e.g. { parallel: 4 }`,
    );
  }
  const { parallel: asked, minRowsPerWorker, ...analysis } = options;
  const auto = asked === 'auto';
  const n = auto ? autoThreads() : asked;
  if (!auto && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_WORKERS)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option parallel must be an integer from 1 to ${MAX_WORKERS} or 'auto' (found ${describeValue(n)}); ` +
        `pass 'auto' to use the free cores where it pays, or the number of threads`,
    );
  }
  return {
    n,
    auto,
    analysis: analysis as unknown as O,
    parallel: minRowsPerWorker === undefined ? {} : { minRowsPerWorker },
  };
}
