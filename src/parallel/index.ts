/**
 * All cores of one machine: `customerSummary`, `rfm`, `frequentItemsets` and `kmeans` with `parallel: n`, and any
 * mergeable aggregate run on worker threads over slices of a table, with the same result as one thread. Node.js (and Deno) only; elsewhere everything runs in-process.
 *
 * @module clientele/parallel
 */
export { summarizeInParallel } from './summarize-in-parallel';
export { openParallel } from './open-parallel';
export type { ParallelSession } from './open-parallel';
export { customerSummaryParallel } from './customer-summary-parallel';
export { rfmParallel } from './rfm-parallel';
export { frequentItemsetsParallel } from './itemsets-parallel';
export type { ParallelOptions } from './options';
export type { AggregateName as ParallelAggregateName } from './registry';
export type { ParallelRun } from './options';
