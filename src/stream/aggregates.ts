import { abcTotalsAggregate } from '../abc/internal';
import { customerSummaryAggregate, rfmAggregate } from '../rfm/internal';
import { itemCountsAggregate, pairCountsAggregate } from '../basket/internal';
import { kmeansStatsAggregate } from '../segment/internal';

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
