import type { Table } from 'apache-arrow';
import { customerSummaryAggregate } from '../rfm/customer-summary';
import type { CustomerSummaryOptions } from '../rfm/customer-summary';
import { splitParallel } from './parallel-option';
import type { ParallelRun } from './parallel-option';
import { summarizeInParallel } from './summarize-in-parallel';

/**
 * `customerSummary` on `parallel` worker threads: the same table (customers in order of first appearance, counts,
 * days, compensated money sums, dropped-row report) as `customerSummary(tx, options)`, computed over slices of the
 * rows at once and merged in row order. See {@link summarizeInParallel} for what is copied and when it runs
 * in-process instead (small tables, `parallel: 1`, no worker threads).
 *
 * Cost: one copy of the customer, date and amount columns; O(rows / parallel) per thread plus O(customers) per
 * merge on the calling thread, which overlaps with the workers still running. Starting the threads takes 100–300
 * ms, so it pays from a few million rows.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts
 * @param options those of `customerSummary`, plus `parallel` (threads, 1–256) and `minRowsPerWorker`
 * @throws {ClienteleError} those of `customerSummary`; `INVALID_OPTION` for a bad `parallel`
 * @example
 * const summary = await customerSummaryParallel(tx, { parallel: 2, minRowsPerWorker: 1 });
 * summary.numRows === customerSummary(tx).numRows; // true
 */
export async function customerSummaryParallel(tx: unknown, options: CustomerSummaryOptions & ParallelRun): Promise<Table> {
  const { n, analysis, parallel } = splitParallel(options, 'customerSummaryParallel');
  const partial = await summarizeInParallel('customerSummary', tx, analysis, n, parallel);
  return customerSummaryAggregate.finish(partial as never, analysis);
}
