import type { Table } from 'apache-arrow';
import { rfmAggregate, RFM_OPTION_NAMES } from '../rfm/internal';
import type { RfmOptions } from '../rfm/internal';
import { autoScanThreads, splitParallel } from './options';
import type { ParallelRun } from './options';
import { customerPartialParallel } from './customer-partial-parallel';
import { knownOptions, PARALLEL_OPTION_NAMES } from '../table/internal';

/** The options it takes; every other name is refused with a did-you-mean. */
const RFM_PARALLEL_OPTION_NAMES = [...RFM_OPTION_NAMES, ...PARALLEL_OPTION_NAMES];

/**
 * `rfm` on `parallel` worker threads: the same table as `rfm(tx, options)` — scores, segments, breaks and dropped-row
 * report — with the per-customer aggregation split by customer across the threads as in
 * {@link customerSummaryParallel} (bit-identical sums, nothing to merge), then scored once on the calling thread.
 * `rfm(tx, { parallel: n })` calls it.
 *
 * Cost: as {@link customerSummaryParallel}, plus the scoring (O(customers log customers)) on the calling thread.
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts
 * @param options those of `rfm`, plus `parallel` (threads, 1–256) and `minRowsPerWorker` (default 2,000,000: smaller
 *   tables run on the calling thread, where starting threads would cost more than it saves)
 * @throws {ClienteleError} those of `rfm`; `INVALID_OPTION` for a bad `parallel`
 * @example
 * const scored = await rfmParallel(tx, { parallel: 2, minRowsPerWorker: 1 });
 * scored.getChild('score').toArray().join() === rfm(tx).getChild('score').toArray().join(); // true
 */
export async function rfmParallel(tx: unknown, options: RfmOptions & ParallelRun): Promise<Table> {
  options = knownOptions(options, RFM_PARALLEL_OPTION_NAMES, 'rfm');
  const { n, auto, analysis, parallel } = splitParallel(options, 'rfm');
  const threads = auto ? autoScanThreads(n) : n;
  const partial = await customerPartialParallel(tx, analysis, threads, parallel, 'rfm');
  return rfmAggregate.finish(partial as never, analysis);
}
