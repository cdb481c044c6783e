/**
 * The transaction log as the report's sections read it, after `readLog` (analysis-report.ts) folded line items
 * into orders (`orderLog` of kernels/): the column names and the one returns policy of every customer section.
 */
export interface LogColumns {
  readonly customer: string;
  readonly date: string;
  readonly amount: string;
  readonly transaction: string;
  readonly item: string;
  /** Orders with a negative amount: excluded and counted (default), or kept in the sums. */
  readonly returns: 'keep' | 'exclude';
}
