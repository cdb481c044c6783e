/**
 * What rfm/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import rfm/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { CUSTOMER_SUMMARY_OPTION_NAMES, customerSummaryAggregate, customerSummaryOfTable } from './customer-summary';
export type { CustomerSummaryColumns, CustomerSummaryOptions } from './customer-summary';
export { checkRfmBreaks, checkRfmOptions, RFM_OPTION_NAMES, RFM_SCORING, rfmAggregate, rfmOfTable } from './rfm';
export type { RfmColumns, RfmOptions } from './rfm';
export { segmentLookup, STANDARD_SEGMENTS } from './rfm-segments';
export type { ScoreRange, SegmentMap } from './rfm-segments';
