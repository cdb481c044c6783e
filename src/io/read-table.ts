import { Schema, Table } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { readIpcTable } from './arrow-ipc';
import { batchesOf, formatOf, resolveRead } from './dispatch';
import { isTsvPath } from './format-from-path';
import { readParquetTable } from './parquet';
import { checkReadParallel, readCsvParallel } from './read-parallel';
import { openSource } from './sources';
import type { ReadTableOptions } from './types';
import { knownOptions, optionNames } from '../table/internal';

/** The options readTable takes: those of readBatches and `parallel`. */
const READ_TABLE_OPTION_NAMES = optionNames<ReadTableOptions>({
  format: true,
  columns: true,
  delimiter: true,
  header: true,
  names: true,
  batchSize: true,
  inferRows: true,
  maxRecordBytes: true,
  onProgress: true,
  parallel: true,
});

/**
 * Reads a whole file into an Arrow `Table`: CSV, Parquet, Arrow IPC (file or stream), JSON lines or a JSON array.
 *
 * Use it to load transactions or survey answers for any analysis: `rfm(await readTable('sales.csv'))`. For files
 * larger than memory use {@link readBatches}, which streams.
 *
 * CSV and JSON are read exactly as {@link readBatches} reads them (types inferred from the first `inferRows` rows,
 * `columns` overrides, nulls, errors with line and column) and the table keeps its batches of `batchSize` rows
 * (pass `batchSize: Infinity` for one batch). Parquet is read with `parquet-wasm` (the Rust arrow-rs reader
 * compiled to WebAssembly; every common codec) and Arrow IPC with apache-arrow, both whole.
 *
 * Aligned text without a header: `readTable('CDNOW_sample.txt', { delimiter: 'whitespace', header: false, names:
 * ['customer', 'id', 'date', 'cds', 'amount'], columns: { customer: 'string' } })`. Basket files (`format:
 * 'basket'`, `.dat`) become a long table `transaction`, `item` for `baskets()` (see {@link readBatches}).
 *
 * Cost: O(file size) time; memory about the file's Arrow size plus, for Parquet and Arrow (and CSV with
 * `parallel`), the file's bytes.
 *
 * @param source a file path (Node.js, Deno, Bun) or the file's bytes
 * @param options `format` (default from the extension, else sniffed from the bytes), `columns`, `delimiter`,
 *   `header` (true), `names`, `batchSize` (65 536), `inferRows` (10 000), `maxRecordBytes` (64 MiB), `onProgress` — see {@link ReadOptions};
 *   `parallel` (1): CSV parsed on that many threads, or `'auto'` (every core for files of ≥ 8 MiB per thread), the
 *   same table as one thread (ranges of the bytes in shared memory, verified as a chain; see {@link ReadTableOptions})
 * @throws {ClienteleError} `INVALID_OPTION` (also for a `parallel` other than 1–256 or `'auto'`), `INVALID_INPUT`, `INVALID_VALUE`, `MISSING_COLUMN`, `EMPTY_INPUT`,
 *   `LIMIT_EXCEEDED` as {@link readBatches} says (a 0-byte file of any format is `EMPTY_INPUT`)
 * @example
 * const csv = new TextEncoder().encode('customer,date,amount\na,2024-01-05,10\n"b, inc",2024-02-01,\n');
 * const table = await readTable(csv);
 * table.numRows; // 2
 * table.getChild('customer').get(1); // 'b, inc'
 * table.getChild('amount').get(1); // null
 * String(table.schema.fields.map((f) => f.type)); // 'Utf8,Date32<DAY>,Int32'
 */
export async function readTable(source: string | Uint8Array, options?: ReadTableOptions): Promise<Table> {
  options = knownOptions(options, READ_TABLE_OPTION_NAMES, 'readTable');
  const fn = 'readTable';
  const { parallel: parallelOption, ...readOptions } = options ?? {};
  const parallel = checkReadParallel(parallelOption, fn);
  const o = resolveRead(readOptions, fn);
  const opened = await openSource(source, fn, o.onProgress);
  const format = await formatOf(opened, o.format);
  if (format === 'arrow' || format === 'arrows') return readIpcTable(await opened.whole(), opened.name, fn);
  if (format === 'parquet')
    return readParquetTable(
      await opened.whole(),
      opened.name,
      fn,
      Number.isFinite(o.batchSize) ? o.batchSize : 1 << 20,
    );
  if (format === 'csv' && parallel !== 1) {
    const delimiter = o.delimiter ?? (opened.path !== undefined && isTsvPath(opened.path) ? '\t' : undefined);
    const { columns, batchSize, inferRows, maxRecordBytes, header, names } = o;
    const settings = { fn, columns, batchSize, inferRows, maxRecordBytes, delimiter, header, names };
    const table = await readCsvParallel(opened, source, settings, parallel, o.onProgress);
    if (table !== undefined) return table;
  }
  const batches: RecordBatch[] = [];
  for await (const batch of batchesOf(source, { ...o, format }, fn)) batches.push(batch);
  if (batches.length === 0) return new Table(new Schema([]));
  return new Table(batches);
}
