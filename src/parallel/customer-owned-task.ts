import { CustomerKernel, ownedInt32Keys, ownedUtf8Keys } from '../kernels/internal';
import type { CustomerColumns, KeySet } from '../kernels/internal';
import { DropCounter, nullRecord } from '../table/internal';

/**
 * What a worker needs to number and aggregate the customers it owns: the whole table's customer keys (a null-free
 * Utf8 column as offsets from 0 and bytes, or a null-free Int32 column), days and amounts in shared memory (read
 * by every worker, copied by none), which owner it is, and the kept-row bounds.
 */
export interface CustomerOwnedInput {
  /** Int32 keys, or the Utf8 keys' offsets (rows + 1, the first 0) with `bytes`. */
  readonly keys: Int32Array;
  readonly bytes?: Uint8Array;
  readonly days: Int32Array;
  readonly amounts: Float64Array;
  readonly owner: number;
  readonly owners: number;
  readonly latest: number;
  readonly lowest: number;
}

/**
 * The owned customers (local ids in order of first row), their first rows and statistics, and the drops among the
 * owned rows (first rows numbered in the whole table): each row is owned by one worker, so the owners' counts add
 * up to those of one scan of all rows, and the earliest of their first rows is that scan's.
 */
export interface CustomerOwnedOutput {
  readonly keys: KeySet;
  readonly firstRows: Int32Array;
  readonly columns: CustomerColumns;
  readonly maxDay: number;
  readonly dropped: Record<string, number>;
  readonly firstRow: Record<string, number>;
}

/**
 * The worker side of the split by key hash: every row's key is hashed, and the rows of the keys this worker owns
 * are numbered in a table of its own (`ownedUtf8Keys` / `ownedInt32Keys`), gathered with their days and amounts,
 * and aggregated by the one kernel (`CustomerKernel`) in row order — so each customer's statistics are those a
 * single thread computes, bit for bit, and both the numbering and the aggregation are split between the threads.
 */
export function customerOwned(input: CustomerOwnedInput): CustomerOwnedOutput {
  const owned =
    input.bytes === undefined
      ? ownedInt32Keys(input.keys, input.owner, input.owners)
      : ownedUtf8Keys(input.keys, input.bytes, input.owner, input.owners);
  const { rows, codes } = owned;
  const m = rows.length;
  const days = new Int32Array(m);
  const amounts = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    days[k] = input.days[rows[k]];
    amounts[k] = input.amounts[rows[k]];
  }
  const size = owned.keys.size;
  const kernel = new CustomerKernel(input.latest, input.lowest, size);
  const drops = new DropCounter();
  kernel.add(codes, days, amounts, m, drops);
  const firstRow = nullRecord<number>();
  for (const [reason, k] of Object.entries(drops.first)) firstRow[reason] = rows[k];
  return {
    keys: owned.keys,
    firstRows: owned.firstRows,
    columns: kernel.columns(),
    maxDay: kernel.maxDay,
    dropped: { ...drops.counts },
    firstRow,
  };
}
