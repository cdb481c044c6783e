/**
 * What parallel/ offers the layers above it and never the package: the thread forms that the public functions in
 * api/ load on demand. Other folders import parallel/ through this file or index.ts only.
 */
export { customerSummaryParallel } from './customer-summary-parallel';
export { frequentItemsetsParallel } from './itemsets-parallel';
export { kmeansParallel } from './kmeans-parallel';
export { rfmParallel } from './rfm-parallel';
export { parseCsvRanges } from './csv-ranges';
export { autoScanThreads } from './options';
export { availableCores } from './pool';
