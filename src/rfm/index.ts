/**
 * Recency, frequency and monetary value: per-customer summaries from transactions, RFM scores and named segments.
 * Exported by the package through src/api/rfm.ts, which adds the wired stream and thread forms.
 */
export type { CustomerSummaryOptions, CustomerSummaryColumns } from './customer-summary';
export { rfmBreaks } from './rfm';
export type { RfmOptions, RfmBreaks, RfmColumns } from './rfm';
export { rfmSegments, STANDARD_SEGMENTS } from './rfm-segments';
export type { SegmentMap, SegmentRule, ScoreRange } from './rfm-segments';
export { rfmSummary } from './rfm-summary';
export type { RfmSummaryColumns } from './rfm-summary';
