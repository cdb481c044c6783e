/**
 * Streaming and mergeable aggregates: analyses as `init / summarize / merge / finish`, so that a table larger
 * than memory streams batch by batch and a job splits across worker threads with the same result.
 *
 * @module clientele/stream
 */
export { aggregateBatches } from './mergeable';
export type { AccumulatingAggregate, Accumulator, MergeableAggregate } from './mergeable';
export { AGGREGATES } from './aggregates';
export type { AggregateName } from './aggregates';
export { customerSummaryAggregate } from '../rfm/customer-summary';
export type { CustomerPartial } from './customer-partial';
export { abcTotalsAggregate } from '../abc/abc';
export type { KeyTotalsPartial } from './key-totals';
export { itemCountsAggregate, pairCountsAggregate } from './basket-counts';
export type { BasketCountsOptions, BasketPartial, OpenBasket } from './basket-counts';
export { kmeansStatsAggregate } from './kmeans-stats';
export type { KMeansStats, KMeansStatsOptions, KMeansStatsPartial } from './kmeans-stats';
export type { KeySet } from './key-set';
export type { PartialDrops } from './drops';
