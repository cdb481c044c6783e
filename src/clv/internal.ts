/**
 * What clv/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import clv/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { bgNbdLogLikelihood, fitBgNbd } from './bg-nbd';
export { fitHistories, timeScale } from './customer-histories';
export { fitGammaGamma } from './gamma-gamma';
export { maximise } from './maximise-likelihood';
export { predictClv } from './predict-clv';
export { averageRetention, MONTHS_PER_PERIOD, RETENTION_PERIOD, retentionCurve } from './retention-curve';
export type { RetentionPeriod } from './retention-curve';
export { checkPeriodEnd, summaryFromTransactions } from './summary-from-transactions';
export { repeatModel, REPEAT_MODELS } from './repeat-models';
export type { RepeatModelEntry } from './repeat-models';
export { CALENDAR, periodIndex } from './calendar-periods';
export type { CalendarPeriod } from './calendar-periods';
