/**
 * Sequential patterns: customers' purchases as ordered sequences of events, frequent sequential patterns (cSPADE),
 * sequence rules and what to recommend next.
 *
 * @module clientele/sequence
 */
export { customerSequences, sequencesFromLists, sequenceLists } from './sequences';
export type { CustomerSequencesOptions, SequenceLists, Sequences } from './sequences';
export { frequentSequences } from './frequent-sequences';
export type { FrequentSequencesColumns, FrequentSequencesOptions } from './frequent-sequences';
export { sequenceRules } from './sequence-rules';
export type { SequenceRulesColumns, SequenceRulesOptions } from './sequence-rules';
export { recommendNext } from './recommend-next';
export type { NextRecommendation, RecommendNextOptions, SequenceRuleRanking, SequenceRuleRow } from './recommend-next';
