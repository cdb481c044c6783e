/**
 * All cores of one machine: `customerSummary`, `rfm`, `frequentItemsets` and `kmeans` with `parallel: n` or
 * `parallel: 'auto'`, and any mergeable aggregate run on worker threads over slices of a table, with the same result
 * as one thread. The threads come from one pool per process, started on demand, kept warm between calls and never
 * keeping the process alive (`warmWorkers` starts them ahead, `closeWorkers` stops them). Node.js (and Deno) only; elsewhere everything runs in-process.
 *
 * @module clientele/parallel
 */
export { summarizeInParallel } from './summarize-in-parallel';
export { closeWorkers, warmWorkers } from './pool';
export { openParallel } from './open-parallel';
export type { ParallelSession } from './open-parallel';
export { customerSummaryParallel } from './customer-summary-parallel';
export { rfmParallel } from './rfm-parallel';
export { frequentItemsetsParallel } from './itemsets-parallel';
export type { ParallelOptions } from './options';
export type { AggregateName as ParallelAggregateName } from './registry';
export type { ParallelRun } from './options';
