import { CustomerKernel } from '../kernels/internal';
import type { CustomerColumns } from '../kernels/internal';
import { DropCounter } from '../table/internal';

/**
 * What a worker needs to aggregate one range of customers: the whole table's customer ids, days and amounts in
 * shared memory (read by every worker, copied by none), the range, and the kept-row bounds.
 */
export interface CustomerRangeInput {
  readonly codes: Int32Array;
  readonly days: Int32Array;
  readonly amounts: Float64Array;
  readonly from: number;
  readonly to: number;
  readonly latest: number;
  readonly lowest: number;
  /** Whether to report the dropped rows (one worker does; they are the same in all). */
  readonly countDrops: boolean;
}

/** A range's per-customer statistics, the latest kept day of all rows, and (when asked) the dropped rows. */
export interface CustomerRangeOutput {
  readonly columns: CustomerColumns;
  readonly maxDay: number;
  readonly dropped: Record<string, number>;
  readonly firstRow: Record<string, number>;
}

/**
 * The worker side of the customer-range split: every row is read, the rows of customers `from … to − 1` are
 * aggregated by the one kernel (`CustomerKernel`), in row order — so the range's statistics are those a single
 * thread computes for these customers, bit for bit.
 */
export function customerRange(input: CustomerRangeInput): CustomerRangeOutput {
  const kernel = new CustomerKernel(input.latest, input.lowest, input.to - input.from);
  const drops = new DropCounter();
  kernel.add(input.codes, input.days, input.amounts, input.codes.length, drops, input.from, input.to);
  return {
    columns: kernel.columns(),
    maxDay: kernel.maxDay,
    dropped: input.countDrops ? { ...drops.counts } : {},
    firstRow: input.countDrops ? { ...drops.first } : {},
  };
}
