/**
 * What segment/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import segment/ through this file or index.ts only (checked by dependency-cruiser).
 */
export type { ChooseKResult } from './choose-k';
export { featureMatrix } from './feature-matrix';
export { hamerlyKMeans } from './hamerly';
export {
  bestOfRunsSteps,
  checkK,
  featureTable,
  fitKMeans,
  KMEANS_OPTIONS,
  kmeansOfTable,
  meanVariance,
  resolveKMeansOptions,
  segmentation,
} from './kmeans';
export type { KMeansOptions, KMeansParallel, Segmentation } from './kmeans';
export { BLOCK_ROWS, blockCount, blockState, kmeansStepAggregate } from './kmeans-blocks';
export type { KMeansStepOptions, StepResult } from './kmeans-blocks';
export { kmeansPlusPlus, kmeansWorkspace } from './kmeans-plus-plus';
export { kmeansStatsAggregate } from './kmeans-stats';
export type { KMeansStats, KMeansStatsOptions, KMeansStatsPartial } from './kmeans-stats';
