/**
 * What basket/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import basket/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { itemCountsAggregate, pairCountsAggregate } from './basket-counts';
export type { BasketCountsOptions, BasketPartial, OpenBasket } from './basket-counts';
export { basketColumns, basketsFromBatches } from './basket-layout';
export { basketsOfTable } from './baskets';
export { basketsOfRuns } from './grouped-baskets';
export { utf8Names } from './utf8-names';
export type { BasketsOptions } from './baskets';
export { fpgrowth } from './fpgrowth';
export {
  FREQUENT_ITEMSETS_OPTION_NAMES,
  frequentItemsetsOfTable,
  itemsetsResult,
  resolveMining,
  resolveMinCount,
} from './frequent-itemsets';
export type { FrequentItemsetsColumns, FrequentItemsetsOptions, FrequentItemsetsParallel } from './frequent-itemsets';
export { itemsetPartsAggregate } from './itemset-parts';
export type { ItemsetPartsOptions, ItemsetPartsPartial } from './itemset-parts';
export { itemsetLimit, MAX_ITEMSETS } from './mined';
export type { Baskets, MinedItemsets } from './mined';
export { MINERS } from './miners';
export type { MinerName } from './miners';
export { weightedItemsetsOfTable } from './weighted-itemsets';
