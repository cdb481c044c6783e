/**
 * All cores of one machine: mergeable aggregates run on worker threads over slices of a table and merged in slice
 * order, with the same result as one thread. Node.js (and Deno) only; elsewhere everything runs in-process.
 *
 * @module clientele/parallel
 */
export { summarizeInParallel } from './summarize-in-parallel';
export { openParallel } from './open-parallel';
export type { ParallelSession } from './open-parallel';
export { customerSummaryParallel } from './customer-summary-parallel';
export { rfmParallel } from './rfm-parallel';
export type { ParallelOptions } from './options';
export type { ParallelRun } from './parallel-option';
