/**
 * Market-basket analysis: baskets from transactions, frequent itemsets (Apriori, FP-growth, Eclat) and association
 * rules.
 * Exported by the package through src/api/basket.ts, which adds the wired stream and thread forms.
 */
export { basketsFromLists, basketLists } from './baskets';
export type { BasketsOptions } from './baskets';
export type { Baskets } from './mined';

export type { FrequentItemsetsOptions, FrequentItemsetsParallel, FrequentItemsetsColumns } from './frequent-itemsets';
export { associationRules, RULE_MEASURES } from './association-rules';
export type { AssociationRulesOptions, RuleMeasure, AssociationRulesColumns } from './association-rules';
export type { DefaultRuleMeasure } from './rule-measures';
export type { BasketWeightsOption } from './basket-weights';
export { rulesWithItem, topRules, recommend } from './rule-helpers';
export { significantRules } from './rule-significance';
export type { PValueAdjustment, SignificantRulesOptions } from './rule-significance';
export type {
  Recommendation,
  RecommendOptions,
  RuleRanking,
  RuleRow,
  RuleSide,
  RulesWithItemOptions,
  TopRulesOptions,
} from './rule-helpers';
