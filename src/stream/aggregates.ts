import { abcTotalsAggregate } from '../abc/abc';
import { itemsetPartsAggregate } from '../basket/itemset-parts';
import { customerSummaryAggregate } from '../rfm/customer-summary';
import { rfmAggregate } from '../rfm/rfm';
import { itemCountsAggregate, pairCountsAggregate } from './basket-counts';
import { kmeansStatsAggregate } from './kmeans-stats';
import { kmeansStepAggregate } from '../segment/kmeans-blocks';

/**
 * The mergeable aggregates by name: what a worker thread looks up when it is told which partial to compute
 * (`AGGREGATES[name].summarize(batch, options)`), since functions cannot be posted between threads.
 *
 * @example
 * Object.keys(AGGREGATES); // ['customerSummary', 'rfm', 'itemCounts', 'pairCounts', 'abcTotals', 'kmeansStats', 'itemsetParts', 'kmeansStep']
 */
export const AGGREGATES = Object.freeze({
  customerSummary: customerSummaryAggregate,
  rfm: rfmAggregate,
  itemCounts: itemCountsAggregate,
  pairCounts: pairCountsAggregate,
  abcTotals: abcTotalsAggregate,
  kmeansStats: kmeansStatsAggregate,
  itemsetParts: itemsetPartsAggregate,
  kmeansStep: kmeansStepAggregate,
} as const);

/** The name of a registered aggregate. */
export type AggregateName = keyof typeof AGGREGATES;
