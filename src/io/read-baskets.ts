import { basketsOfRuns, utf8Names } from '../basket/internal';
import type { Baskets } from '../basket/index';
import { ClienteleError, knownOptions, optionNames } from '../table/internal';
import { basketDelimiter, parseBaskets } from './basket-reader';
import { resolveRead } from './dispatch';
import { openSource } from './sources';

/** Options of {@link readBaskets}. */
export interface ReadBasketsOptions {
  /**
   * The item separator: one ASCII character other than a quote or a line break, or `'whitespace'` (runs of spaces
   * and tabs, blanks at the start and end of a line ignored). Default `,` for a `.csv` path, tab for `.tsv`, else
   * `'whitespace'` (the FIMI `.dat` files; also for bytes).
   */
  delimiter?: string;
  /** The longest line allowed, in bytes (a guard against a file without line breaks). Default 64 MiB; `Infinity` lifts it. */
  maxRecordBytes?: number;
  /** Called after each chunk read from a file, with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** What {@link readBaskets} read: the counts a reader must not drop silently. */
export interface BasketFileReport {
  /** Bytes read. */
  readonly bytes: number;
  /** Lines read, empty ones included: the number of baskets. */
  readonly lines: number;
  /** Empty lines (no item): empty baskets, which count in the support denominator as arules counts them. */
  readonly emptyBaskets: number;
  /** Items repeated within their line, each counted once in its basket. */
  readonly duplicateItems: number;
  /** Empty fields between delimiters (`a,,b`, a trailing `,`), which name no item and are skipped. */
  readonly emptyItems: number;
}

/** Baskets read from a basket file, with the report of the reading. */
export interface BasketsRead extends Baskets {
  readonly file: BasketFileReport;
}

const READ_BASKETS_OPTION_NAMES = optionNames<ReadBasketsOptions>({
  delimiter: true,
  maxRecordBytes: true,
  onProgress: true,
});

/**
 * Market baskets straight from a basket file — one basket per line, its items separated by a delimiter (the FIMI
 * `.dat` files, arules' `read.transactions(format = "basket")`, the Groceries CSV) — ready for `frequentItemsets`.
 *
 * What an analyst uses it for: one call from a file to mining, `frequentItemsets(await readBaskets('retail.dat'),
 * { minSupport: 0.001 })`, at the speed of the bytes: one pass, items hashed and numbered as byte ranges (no string
 * per item or line; one per distinct item, for `names`), lines become baskets without a table in between.
 *
 * Conventions, as `baskets(await readTable(path, { format: 'basket' }))` gives — the result is that call's, field
 * for field (`count`, `offsets`, `items`, `names`, `rows`): basket b is line b + 1 (an empty line is an empty
 * basket, as arules keeps it); items are coded in order of first appearance; an item repeated in a line counts
 * once; quotes have no meaning (an item is the bytes between delimiters); CRLF and LF line ends, a last line without
 * a break. `rows` counts one row per distinct item of a line plus one per empty line, the latter dropped as
 * `nullKey`; `file` adds the bytes, lines, empty lines, repeated items and empty fields.
 *
 * Cost: O(bytes) time; memory two Int32 per item read plus the distinct items' bytes.
 *
 * Reference: Goethals & Zaki (2003), FIMI'03 repository file format; Hahsler, Grün & Hornik (2005), arules,
 * `read.transactions`.
 *
 * @param source a file path (Node.js, Deno, Bun) or the file's bytes
 * @param options `delimiter` (from the path: `,` for .csv, tab for .tsv, else `'whitespace'`), `maxRecordBytes`
 *   (64 MiB), `onProgress`
 * @throws {ClienteleError} `INVALID_OPTION` (unknown or bad option), `INVALID_INPUT` (no such file, an item that is
 *   not UTF-8), `EMPTY_INPUT` (0 bytes, or no item on any line), `LIMIT_EXCEEDED` (a line past `maxRecordBytes`)
 * @example
 * const bytes = new TextEncoder().encode('milk bread\nbread butter bread\n\nmilk\n');
 * const b = await readBaskets(bytes);
 * b.count; // 4
 * b.names; // ['milk', 'bread', 'butter']
 * b.file.duplicateItems; // 1
 * b.file.emptyBaskets; // 1
 */
export async function readBaskets(source: string | Uint8Array, options?: ReadBasketsOptions): Promise<BasketsRead> {
  options = knownOptions(options, READ_BASKETS_OPTION_NAMES, 'readBaskets');
  const fn = 'readBaskets';
  const o = resolveRead(options, fn);
  const opened = await openSource(source, fn, o.onProgress);
  const delimiter = basketDelimiter(opened.path, o.delimiter);
  const parser = await parseBaskets(opened, { fn, delimiter, maxRecordBytes: o.maxRecordBytes });
  const names = utf8Names(parser.pool, parser.offsets, parser.items);
  const noItem = () =>
    new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no line of the basket file holds an item (found ${parser.line} empty lines); ` +
        `write one basket per line, its items separated by the delimiter (here ${JSON.stringify(delimiter)})`,
    );
  const baskets = basketsOfRuns(parser.transaction, parser.item, parser.rows, parser.line, names, noItem);
  const file: BasketFileReport = Object.freeze({
    bytes: opened.size,
    lines: parser.line,
    emptyBaskets: parser.emptyBaskets,
    duplicateItems: parser.duplicates,
    emptyItems: parser.emptyItems,
  });
  return Object.freeze({ ...baskets, file });
}
