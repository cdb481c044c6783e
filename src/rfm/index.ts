/**
 * Recency, frequency and monetary value: per-customer summaries from transactions, RFM scores and named segments.
 *
 * @module clientele/rfm
 */
export { customerSummary } from './customer-summary';
export type { CustomerSummaryOptions } from './customer-summary';
export { rfm, rfmBreaks } from './rfm';
export type { RfmOptions, RfmBreaks } from './rfm';
export { rfmSegments, STANDARD_SEGMENTS } from './rfm-segments';
export type { SegmentMap, SegmentRule, ScoreRange } from './rfm-segments';
export { rfmSummary } from './rfm-summary';
