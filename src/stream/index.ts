/**
 * Streaming and mergeable aggregates: analyses as `init / summarize / merge / finish`, so that a table larger
 * than memory streams batch by batch and a job splits across worker threads with the same result.
 *
 * @module clientele/stream
 */
export { aggregateBatches } from './fold-batches';
export type { AccumulatingAggregate, Accumulator, MergeableAggregate } from '../kernels/internal';
export { AGGREGATES } from './aggregates';
export type { AggregateName } from './aggregates';
export { customerSummaryAggregate } from '../rfm/internal';
export type { CustomerPartial, CustomerPartialOptions } from '../kernels/internal';
export { abcTotalsAggregate } from '../abc/internal';
export type { KeyTotalsPartial } from '../kernels/internal';
export { itemCountsAggregate, pairCountsAggregate } from '../basket/internal';
export type { BasketCountsOptions, BasketPartial, OpenBasket } from '../basket/internal';
export { kmeansStatsAggregate } from '../segment/internal';
export type { KMeansStats, KMeansStatsOptions, KMeansStatsPartial } from '../segment/internal';
export type { KeySet } from '../kernels/internal';
export type { PartialDrops } from '../table/internal';
