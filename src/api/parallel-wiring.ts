import { hasOwnKey } from '../table/internal';
/**
 * Whether the options ask for worker threads (`parallel` given, whatever its value: the parallel engine checks it
 * and names a bad one), as the public functions decide between one thread and the pool.
 */
export function hasParallel<O extends object>(
  options: O | null | undefined,
): options is O & { parallel: number | 'auto'; minRowsPerWorker?: number } {
  return options !== null && typeof options === 'object' && hasOwnKey(options, 'parallel');
}
