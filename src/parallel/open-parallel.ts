import type { Table } from 'apache-arrow';
import { asTable, ClienteleError, knownOptions, optionNames } from '../table/internal';
import { aggregateOf, checkClonable, checkMinRows, checkWorkerCount } from './options';
import type { ParallelOptions } from './options';
import { spawnWorkers } from './pool';
import type { WorkerHandle } from './pool';
import { AGGREGATES } from './registry';
import type { Aggregate, AggregateName } from './registry';
import { sliceBounds, sliceBytes } from './slices';

/** A table split across worker threads, ready to run mergeable aggregates on it; from {@link openParallel}. */
export interface ParallelSession {
  /** Worker threads holding a slice each; 0 when the session runs in-process. */
  readonly workers: number;
  /** Rows of the table. */
  readonly rows: number;
  /**
   * Runs `AGGREGATES[name].summarize` on every slice at once and merges the partials in slice order: the same
   * partial as `summarize` over the whole table in one thread. Errors from a worker come back as the error of the
   * earliest failing slice, a `ClienteleError` with its code, column and (whole-table) row.
   */
  summarize<P = unknown>(name: AggregateName, options: unknown): Promise<P>;
  /** Terminates the workers. Further calls reject. Idle workers never keep the process alive, even unclosed. */
  close(): Promise<void>;
}

/** The options openParallel takes; every other name is refused with a did-you-mean. */
const OPEN_PARALLEL_OPTION_NAMES = optionNames<ParallelOptions>({
  minRowsPerWorker: true,
  columns: true,
  module: true,
});

/**
 * Splits a table across `n` worker threads once, so that several aggregates, or the iterations of one fit (the
 * assignment step of k-means with new centroids each time), run on all cores without sending the data again.
 * {@link summarizeInParallel} is the one-shot form.
 *
 * The rows are cut into `n` contiguous slices of equal size; each slice is written as Arrow IPC bytes into a buffer
 * of its own (the one copy of the data: the caller's buffers are never transferred, as that would empty the
 * caller's table) and that buffer is transferred to its worker, which reads it without a further copy. Partials
 * come back with their typed arrays transferred. Workers live until `close()`; while idle they are `unref`'d, so a
 * session left open does not keep the process alive.
 *
 * In-process fallback: with `n = 1`, fewer than `2 × minRowsPerWorker` rows, or where `node:worker_threads` or the
 * worker bundle is missing (browsers, bundlers that fold clientele into one file), the session keeps the table
 * and runs each aggregate in the calling thread (`workers` is 0); the results are the same.
 *
 * Cost: one copy of the sent columns, in slices, on the calling thread (about 100 ms for 10 million rows of three
 * columns), overlapped with starting the threads (100–200 ms each, loading the bundle in the thread).
 *
 * @param input the table (or anything `asTable` accepts)
 * @param n number of worker threads, 1–256
 * @param options `minRowsPerWorker` (2 000 000), `columns` to send (all)
 * @throws {ClienteleError} `INVALID_OPTION` for a bad `n` or option; `INVALID_INPUT` for an input `asTable` rejects
 * @example
 * const session = await openParallel(tx, 2, { minRowsPerWorker: 1 });
 * session.workers; // 2
 * const partial = await session.summarize('customerSummary', {});
 * await session.close();
 * AGGREGATES.customerSummary.finish(partial, {}).numRows === customerSummary(tx).numRows; // true
 */
export async function openParallel(input: unknown, n: number, options: ParallelOptions = {}): Promise<ParallelSession> {
  options = knownOptions(options, OPEN_PARALLEL_OPTION_NAMES, 'openParallel');
  return openSession(input, n, options, 'openParallel', 'summarize');
}

/**
 * {@link openParallel} with the function names its errors should carry; `fewestWorkers` (2) is the fewest threads worth
 * leaving the calling thread (1 for a caller that works on its own thread meanwhile, as `frequentItemsetsParallel`).
 */
export async function openSession(
  input: unknown,
  n: number,
  options: ParallelOptions,
  fn: string,
  caller: string,
  nOption = 'n',
  fewestWorkers = 2,
): Promise<ParallelSession> {
  checkWorkerCount(n, fn, nOption);
  const minRows = checkMinRows(options.minRowsPerWorker, fn);
  const whole = asTable(input);
  // prune only when every named column exists, so that a missing one is reported as in a single-thread run
  const names = new Set(whole.schema.fields.map((f) => f.name));
  const columns = options.columns?.filter((c, i, all) => all.indexOf(c) === i);
  const table = columns !== undefined && columns.every((c) => names.has(c)) ? whole.select(columns) : whole;
  const registry = async (): Promise<Record<string, Aggregate>> =>
    options.module === undefined
      ? (AGGREGATES as unknown as Record<string, Aggregate>)
      : ((await import(options.module)) as { AGGREGATES: Record<string, Aggregate> }).AGGREGATES;
  const count = Math.min(n, Math.max(1, Math.floor(table.numRows / minRows)));
  const handles = count >= fewestWorkers ? await spawnWorkers(count) : undefined;
  if (handles === undefined) return inProcess(whole, registry, caller);

  const bounds = sliceBounds(table.numRows, count);
  try {
    const loads = handles.map((h, i) => {
      const bytes = sliceBytes(table, bounds[i], bounds[i + 1]);
      return h.request({ type: 'load', bytes }, [bytes.buffer as ArrayBuffer], bounds[i]);
    });
    await firstFailure(await Promise.allSettled(loads));
  } catch (e) {
    await Promise.all(handles.map((h) => h.terminate()));
    throw e;
  }
  return workerSession(table, handles, bounds, registry, options.module, caller);
}

function inProcess(table: Table, registry: () => Promise<Record<string, Aggregate>>, fn: string): ParallelSession {
  let closed = false;
  return Object.freeze({
    workers: 0,
    rows: table.numRows,
    async summarize<P>(name: AggregateName, options: unknown): Promise<P> {
      if (closed) throw closedError(fn);
      return aggregateOf(name, fn, await registry()).summarize(table, options) as P;
    },
    async close() {
      closed = true;
    },
  });
}

function workerSession(
  table: Table,
  handles: WorkerHandle[],
  bounds: number[],
  registry: () => Promise<Record<string, Aggregate>>,
  module: string | undefined,
  fn: string,
): ParallelSession {
  let closed = false;
  return Object.freeze({
    workers: handles.length,
    rows: table.numRows,
    async summarize<P>(name: AggregateName, options: unknown): Promise<P> {
      if (closed) throw closedError(fn);
      const aggregate = aggregateOf(name, fn, await registry());
      checkClonable(options, fn);
      const runs = handles.map((h, i) =>
        h.request(
          { type: 'run', aggregate: name, options, ...(module === undefined ? {} : { module }) },
          [],
          bounds[i],
        ),
      );
      return (await mergeInOrder(aggregate, options, runs)) as P;
    },
    async close() {
      closed = true;
      await Promise.all(handles.map((h) => h.terminate()));
    },
  });
}

/**
 * The partials merged in slice order, a left fold as a single thread meets the rows, each folded in as soon as it
 * and those before it have arrived (so the calling thread merges while later slices are still being summarized);
 * the aggregate's in-place accumulator when it has one. Rejects with the error of the earliest failing slice, after
 * every slice has answered.
 */
async function mergeInOrder(aggregate: Aggregate, options: unknown, runs: Promise<unknown>[]): Promise<unknown> {
  let fold: { add(p: unknown): void; result(): unknown };
  if (typeof aggregate.accumulator === 'function') fold = aggregate.accumulator(options);
  else {
    let merged: unknown;
    let empty = true;
    fold = {
      add(p) {
        merged = empty ? p : aggregate.merge(merged, p);
        empty = false;
      },
      result: () => merged,
    };
  }
  // handlers on every run at once: a later slice may fail while an earlier one is still awaited
  const settled = runs.map((run) =>
    run.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  );
  let failure: { error: unknown } | undefined;
  for (const next of settled) {
    const result = await next;
    // eslint-disable-next-line no-restricted-syntax -- our own settled-result shape, not a user-named key
    if ('error' in result) failure ??= result;
    else if (failure === undefined) fold.add(result.value);
  }
  if (failure !== undefined) throw failure.error;
  return fold.result();
}

/** The values of settled promises, or the error of the first (in slice order) that failed. */
async function firstFailure<T>(settled: PromiseSettledResult<T>[]): Promise<T[]> {
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function closedError(fn: string): ClienteleError {
  return new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the parallel session is closed (found close() called before); open a new one with openParallel`,
  );
}
