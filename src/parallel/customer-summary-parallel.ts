import type { Table } from 'apache-arrow';
import { customerSummaryAggregate, CUSTOMER_SUMMARY_OPTION_NAMES } from '../rfm/internal';
import type { CustomerSummaryOptions } from '../rfm/internal';
import { autoScanThreads, splitParallel } from './options';
import type { ParallelRun } from './options';
import { customerPartialParallel } from './customer-partial-parallel';
import { knownOptions, PARALLEL_OPTION_NAMES } from '../table/internal';

/** The options it takes; every other name is refused with a did-you-mean. */
const CUSTOMER_SUMMARY_PARALLEL_OPTION_NAMES = [...CUSTOMER_SUMMARY_OPTION_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * `customerSummary` on `parallel` worker threads: the same table (customers in order of first appearance, counts,
 * days, compensated money sums, dropped-row report) as `customerSummary(tx, options)`, bit for bit.
 *
 * The work is split by customer, not by row: the calling thread reads the columns and numbers the customers (the
 * threads start meanwhile), the ids, days and amounts go once into shared memory, and each thread aggregates one
 * range of customers over all rows, in row order — so there is no partial to merge, and the sums are the
 * single-thread sums. Runs in-process, with the same result, for `parallel: 1`, tables below
 * `2 × minRowsPerWorker` rows, and where worker threads are not available.
 *
 * Cost: reading and numbering the rows on the calling thread (O(rows)); a copy of 16 bytes per row into shared
 * memory; O(rows / parallel) aggregation per thread plus one sequential read of all rows; starting the threads
 * (100–200 ms) overlaps with the read. On 2 cores and 10 million rows it is measured in `benchmarks/RESULTS.md`.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts
 * @param options those of `customerSummary`, plus `parallel` (threads, 1–256) and `minRowsPerWorker`
 * @throws {ClienteleError} those of `customerSummary`; `INVALID_OPTION` for a bad `parallel`
 * @example
 * const summary = await customerSummaryParallel(tx, { parallel: 2, minRowsPerWorker: 1 });
 * summary.numRows === customerSummary(tx).numRows; // true
 */
export async function customerSummaryParallel(
  tx: unknown,
  options: CustomerSummaryOptions & ParallelRun,
): Promise<Table> {
  options = knownOptions(options, CUSTOMER_SUMMARY_PARALLEL_OPTION_NAMES, 'customerSummaryParallel');
  const { n, auto, analysis, parallel } = splitParallel(options, 'customerSummaryParallel');
  const threads = auto ? autoScanThreads(n) : n;
  const partial = await customerPartialParallel(tx, analysis, threads, parallel, 'customerSummary');
  return customerSummaryAggregate.finish(partial as never, analysis);
}
