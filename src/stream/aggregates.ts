import { abcTotalsAggregate } from '../abc/abc';
import { customerSummaryAggregate } from '../rfm/customer-summary';
import { rfmAggregate } from '../rfm/rfm';
import { itemCountsAggregate, pairCountsAggregate } from './basket-counts';
import { kmeansStatsAggregate } from './kmeans-stats';

/**
 * The mergeable aggregates by name: what a worker thread looks up when it is told which partial to compute
 * (`AGGREGATES[name].summarize(batch, options)`), since functions cannot be posted between threads.
 *
 * @example
 * Object.keys(AGGREGATES); // ['customerSummary', 'rfm', 'itemCounts', 'pairCounts', 'abcTotals', 'kmeansStats']
 */
export const AGGREGATES = Object.freeze({
  customerSummary: customerSummaryAggregate,
  rfm: rfmAggregate,
  itemCounts: itemCountsAggregate,
  pairCounts: pairCountsAggregate,
  abcTotals: abcTotalsAggregate,
  kmeansStats: kmeansStatsAggregate,
} as const);

/** The name of a registered aggregate. */
export type AggregateName = keyof typeof AGGREGATES;
