/** The options with which a public function runs on worker threads (clientele/parallel's `ParallelRun`). */
interface ThreadOptions {
  /** Worker threads, 1–256 (1 runs in-process), e.g. `os.availableParallelism()`. */
  parallel: number;
  /** Fewest rows worth a thread; smaller inputs run on the calling thread. Default 2 000 000. */
  minRowsPerWorker?: number;
}

/**
 * Whether the options ask for worker threads (`parallel` given, whatever its value: the parallel engine checks it
 * and names a bad one), as the public functions decide between one thread and the pool.
 */
export function hasParallel<O extends object>(options: O | null | undefined): options is O & ThreadOptions {
  return options !== null && typeof options === 'object' && 'parallel' in options;
}
