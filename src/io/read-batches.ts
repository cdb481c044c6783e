import type { RecordBatch } from 'apache-arrow';
import { batchesOf, READ_OPTION_NAMES, resolveRead } from './dispatch';
import type { ReadOptions } from './types';
import { knownOptions } from '../table/internal';

/**
 * Reads a file as a stream of Arrow `RecordBatch`es, so that a file larger than memory can be processed batch by
 * batch (aggregate each batch, then merge).
 *
 * Use it for big CSV or JSON-lines exports: memory stays bounded by a batch and three 4 MB read buffers, whatever
 * the file size (benchmarks/RESULTS.md measures the peak resident memory while streaming a 1 GB CSV).
 *
 * Every batch has the same schema. Per format:
 * - CSV (RFC 4180): read in 4 MB chunks and tokenized as bytes; quoted fields may hold delimiters, doubled quotes
 *   and line breaks; `\n`, `\r\n` and `\r` end lines; a UTF-8 BOM is skipped; the first line is the header (an
 *   empty name becomes `column_<k>`, a repeated name is an error); empty lines are skipped when there are several
 *   columns. The delimiter is sniffed from the header line (`,`, `;` or tab, the most frequent outside quotes;
 *   `.tsv` files use tab) unless given. Column types are inferred from the first `inferRows` rows (default 10 000):
 *   `true`/`false` → Bool; integers → Int32 when all fit, else Float64; other numbers (also `NaN`, `inf`) →
 *   Float64; ISO dates `YYYY-MM-DD` → Date32 (`DateDay`, as `readDates` reads without a copy); ISO timestamps
 *   (`T` or space, optional seconds, fraction and offset; no offset = UTC) → Timestamp(ms); anything else, or a
 *   mix, → Utf8 (the file's bytes unchanged). An empty field is null; a quoted empty field `""` is the empty
 *   string in a text column. `columns` fixes the type of named columns instead.
 *   `delimiter: 'whitespace'` splits fields on runs of spaces and tabs (aligned text; blanks at the ends of a line and
 *   blank lines ignored); `header: false` reads the first line as data (columns `column1` … unless `names`);
 *   `names` names the columns (replacing the header's).
 * - Basket files (`format: 'basket'`, `.dat`): one basket per line, items split on the delimiter (`,` for `.csv`,
 *   else whitespace), as arules' `read.transactions(format = "basket")`: a long table `transaction` (Int32, 1-based
 *   line) and `item` (dictionary-encoded Utf8); a repeated item counts once, an empty line is an empty basket (a null
 *   item); the counts are in the schema metadata (`clientele.baskets`, `clientele.items`, `clientele.duplicateItems`,
 *   `clientele.emptyBaskets`, `clientele.emptyItems`). The whole file is read before the first batch.
 * - JSON lines: one `JSON.parse` per line, typed like CSV from JSON's own types (numeric strings stay text);
 *   keys missing from a row are null; a key the first `inferRows` rows lack is an error unless given in `columns`.
 * - JSON (one array of row objects): parsed whole, then as JSON lines.
 * - Arrow IPC file or stream: the batches as stored (`batchSize` does not re-slice them), read one at a time.
 * - Parquet: one row group at a time (via `fs.openAsBlob`), in batches of `batchSize` rows.
 *
 * Cost: O(file size), one pass over the bytes (plus the first `inferRows` rows twice); reading overlaps parsing.
 * Throughput against DuckDB's `read_csv` is in benchmarks/RESULTS.md.
 *
 * @param source a file path (Node.js, Deno, Bun) or the file's bytes
 * @param options `format` (default from the extension, else sniffed: `PAR1` → parquet, `ARROW1` → arrow, an IPC
 *   continuation marker → arrows, `[` → json, `{` → jsonl, else csv), `columns`, `delimiter`, `header` (true),
 *   `names`, `batchSize`
 *   (default 65 536), `inferRows` (default 10 000), `maxRecordBytes` (default 64 MiB), `onProgress(bytesRead,
 *   totalBytes)` called per chunk read
 * @throws {ClienteleError} `INVALID_OPTION` for a bad option (thrown at once); while iterating: `INVALID_INPUT` for
 *   an unreadable file or malformed text (unterminated quote, wrong number of fields, invalid JSON), naming the
 *   1-based line and the column; `INVALID_VALUE` for a value that does not fit its column's type (e.g. `abc` in a
 *   number column), naming the line, the column and the `columns` option that fixes it; `MISSING_COLUMN` when
 *   `columns` names a column the CSV header lacks; `EMPTY_INPUT` for a file of 0 bytes
 *   (every format) and for JSON with no row and no `columns`; `LIMIT_EXCEEDED` for a record longer than
 *   `maxRecordBytes` (default 64 MiB) or one batch's text column past 2 GiB. Invalid UTF-8 is `INVALID_INPUT`, a
 *   lone surrogate or a too-deeply nested JSON value `INVALID_VALUE`; a missing file, a folder or an unreadable
 *   file `INVALID_INPUT` naming the system's code. A header-only CSV is one zero-row batch of Arrow `Null` columns
 *   (or the types given in `columns`)
 * @example
 * const csv = new TextEncoder().encode('customer,amount\na,10\nb,2.5\nc,7\n');
 * let total = 0;
 * for await (const batch of readBatches(csv, { batchSize: 2 })) {
 *   for (const v of batch.getChild('amount').toArray()) total += v;
 * }
 * total; // 19.5
 */
export function readBatches(source: string | Uint8Array, options?: ReadOptions): AsyncIterable<RecordBatch> {
  options = knownOptions(options, READ_OPTION_NAMES, 'readBatches');
  const resolved = resolveRead(options, 'readBatches');
  return batchesOf(source, resolved, 'readBatches');
}
