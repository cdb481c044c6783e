import { asTable } from '../table/internal';
import { customerPartialOf, keptBounds, keySetOf, readTransactions, resolveCustomerOptions } from '../kernels/internal';
import type { CustomerColumns, CustomerPartial, CustomerPartialOptions } from '../kernels/internal';
import type { CustomerRangeOutput } from './customer-range-task';
import { checkMinRows, checkWorkerCount } from './options';
import type { ParallelOptions } from './options';
import { spawnWorkers } from './pool';
import { ownable, ownedPartial, shared } from './customer-owned-parallel';

/**
 * The per-customer partial of a whole table (that of `summarizeCustomers`, bit for bit) computed on `n` worker
 * threads split by customer rather than by row, so that no partial has to be merged:
 *
 * 1. the threads start while the calling thread reads the three columns and numbers the customers in order of
 *    first appearance (one pass; errors are raised here, with the row of the table);
 * 2. the customer ids, days and amounts are copied once into `SharedArrayBuffer`s, which every worker reads
 *    without a copy (the caller's Arrow buffers are never transferred, which would empty the caller's table);
 * 3. worker w reads every row but aggregates only customers `w·c/n … (w+1)·c/n − 1`, in row order, with the one
 *    kernel (`CustomerKernel`), and sends back their statistics;
 * 4. the ranges are laid end to end.
 *
 * Each customer's rows are folded in row order by exactly one thread, so counts, days and compensated sums equal
 * the single-thread ones bit for bit, whatever `n`. Runs in-process when `n` is 1, when the table has fewer than
 * `2 × minRowsPerWorker` rows, or where worker threads are unavailable.
 *
 * A null-free Utf8 or Int32 customer column (without `transaction`) takes the split by key hash instead
 * (`ownedPartial`, customer-owned-parallel.ts): the workers number the customers too, so that the calling thread
 * only copies the columns — the steps above serve every other key type (dictionaries, 64-bit and float keys,
 * keys with nulls) and order logs.
 *
 * Cost: the read and numbering (O(rows)) on the calling thread; a copy of 16 bytes per row; then O(rows) reading
 * and O(rows / n) aggregation per worker; O(customers) to lay the ranges end to end.
 */
export async function customerPartialParallel(
  tx: unknown,
  options: CustomerPartialOptions,
  n: number,
  parallel: ParallelOptions,
  fn: string,
): Promise<CustomerPartial> {
  checkWorkerCount(n, fn, 'parallel');
  const minRows = checkMinRows(parallel.minRowsPerWorker, fn);
  const table = asTable(tx);
  const count = Math.min(n, Math.max(1, Math.floor(table.numRows / minRows)));
  const o = resolveCustomerOptions(options, fn);
  if (count <= 1) return customerPartialOf(readTransactions(table, o, fn, false), o);
  if (ownable(table, o, fn)) return ownedPartial(table, o, count, fn);

  const spawning = spawnWorkers(count); // the threads boot while this thread reads the columns
  let batch: ReturnType<typeof readTransactions>;
  try {
    batch = readTransactions(table, o, fn, false);
  } catch (e) {
    await Promise.all((await spawning)?.map((h) => h.terminate()) ?? []);
    throw e;
  }
  const handles = await spawning;
  if (handles === undefined) return customerPartialOf(batch, o);
  try {
    const rows = batch.rows;
    const codes = shared(batch.keys.codes, rows);
    const days = shared(batch.dates.days, rows);
    const amounts = shared(batch.amounts, rows);
    const size = batch.keys.size;
    const bounds = Array.from({ length: count + 1 }, (_, w) => Math.floor((w * size) / count));
    const { latest, lowest } = keptBounds(o);
    const outputs = (await Promise.all(
      handles.map((h, w) =>
        h.request({
          type: 'customerRange',
          input: { codes, days, amounts, from: bounds[w], to: bounds[w + 1], latest, lowest, countDrops: w === 0 },
        }),
      ),
    )) as CustomerRangeOutput[];
    const columns = endToEnd(
      outputs.map((out) => out.columns),
      size,
    );
    return {
      kind: 'customerSummary',
      keys: keySetOf(batch.keys.keys),
      ...columns,
      maxDay: outputs[0].maxDay,
      drops: { rows, dropped: outputs[0].dropped, firstRow: outputs[0].firstRow },
      dates: batch.dateStats,
    };
  } finally {
    await Promise.all(handles.map((h) => h.terminate()));
  }
}

/** The statistics of consecutive customer ranges as one set of arrays. */
function endToEnd(parts: CustomerColumns[], size: number): CustomerColumns {
  const join = <K extends keyof CustomerColumns>(key: K): CustomerColumns[K] => {
    const out = new (parts[0][key].constructor as new (n: number) => CustomerColumns[K])(size);
    let at = 0;
    for (const part of parts) {
      out.set(part[key] as never, at);
      at += part[key].length;
    }
    return out;
  };
  return {
    count: join('count'),
    first: join('first'),
    last: join('last'),
    sum: join('sum'),
    compensation: join('compensation'),
    sumSquares: join('sumSquares'),
  };
}
