import { ClienteleError, describeValue } from '../table/errors';
import { checkWorkerCount } from './options';
import type { ParallelOptions } from './options';

/** The options an analysis takes to run on worker threads. */
export interface ParallelRun {
  /** Worker threads, 1–256 (1 runs in-process), e.g. `os.availableParallelism()`. */
  parallel: number;
  /** Fewest rows worth a thread; see {@link ParallelOptions}. Default 2 000 000. */
  minRowsPerWorker?: number;
}

/** An analysis's options split into the thread count, the analysis's own options and the parallel options. */
export function splitParallel<O extends object>(
  options: O & ParallelRun,
  fn: string,
): { n: number; analysis: O; parallel: ParallelOptions } {
  if (options === null || typeof options !== 'object') {
    throw new ClienteleError('INVALID_OPTION', `${fn}: options must be an object with a parallel thread count (found ${describeValue(options)}); pass e.g. { parallel: 4 }`);
  }
  const { parallel: n, minRowsPerWorker, ...analysis } = options;
  checkWorkerCount(n, fn, 'parallel');
  return { n, analysis: analysis as unknown as O, parallel: minRowsPerWorker === undefined ? {} : { minRowsPerWorker } };
}
