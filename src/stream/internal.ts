/**
 * What stream/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import stream/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { AGGREGATES } from './aggregates';
export { abcStream, basketsStream, customerSummaryStream, kmeansStream, rfmStream } from './analysis-streams';
