export { summaryFromTransactions } from './summary-from-transactions';
export type { SummaryFromTransactionsOptions } from './summary-from-transactions';
export type { FittedModel } from './model';
export { lifecycleStage, LIFECYCLE_STAGES } from './lifecycle-stage';
export type { LifecycleOptions } from './lifecycle-stage';
