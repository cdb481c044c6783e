export { summaryFromTransactions } from './summary-from-transactions';
export type { SummaryFromTransactionsOptions } from './summary-from-transactions';
export type { FittedModel } from './model';
