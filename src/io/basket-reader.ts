import { Dictionary, Field, Int32, makeData, makeVector, RecordBatch, Schema, Struct, Utf8 } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { ClienteleError } from '../table/internal';
import { utf8Valid } from './parse-bytes';
import type { ByteSource } from './sources';

/**
 * The basket-file reader (`format: 'basket'`), as arules' `read.transactions(format = "basket")`: one basket per
 * line, its items separated by a delimiter. Internal to src/io.
 *
 * One pass over the bytes, chunk by chunk: each item is a byte range, hashed (FNV-1a) and interned in an
 * open-addressing table whose keys are the item's bytes in one pool; no JS string is made per item or per line, and
 * the pool with its offsets becomes the Arrow dictionary as it is. Duplicates within a line are found with the line
 * each item was last seen on (one comparison per item).
 */

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const EMPTY = new Uint8Array(0);

/** Metadata keys of a basket table (on its schema): the counts a reader must not drop silently. */
const BASKET_META = {
  baskets: 'clientele.baskets',
  items: 'clientele.items',
  duplicates: 'clientele.duplicateItems',
  emptyBaskets: 'clientele.emptyBaskets',
  emptyItems: 'clientele.emptyItems',
} as const;

export interface BasketSettings {
  fn: string;
  /** One ASCII character, or `'whitespace'` (runs of spaces and tabs; leading and trailing ones ignored). */
  delimiter: string;
  batchSize: number;
  maxRecordBytes: number;
}

/** The delimiter of a basket file when none is given: comma for `.csv`, tab for `.tsv`, else whitespace. */
export function basketDelimiter(path: string | undefined, given: string | undefined): string {
  if (given !== undefined) return given;
  if (path !== undefined && /\.csv$/i.test(path)) return ',';
  if (path !== undefined && /\.tsv$/i.test(path)) return '\t';
  return 'whitespace';
}

/** The state of one reading: the rows so far, the items interned, the counts. */
export class BasketParser {
  private readonly fn: string;
  private readonly ws: boolean;
  private readonly delim: number;
  /** Item bytes, back to back; item k is `pool[offsets[k], offsets[k + 1])`. */
  pool: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  offsets = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  /** The 1-based line each item was last seen on (duplicates within a line). */
  private lastLine = new Int32Array(1 << 10);
  /** Distinct items so far. */
  items = 0;
  /** Open addressing: item id + 1, 0 when empty. */
  private slots = new Int32Array(1 << 11);
  private mask = (1 << 11) - 1;
  /** Output rows: basket number (1-based line) and item id (-1: an empty basket). */
  transaction: Int32Array<ArrayBuffer>;
  item: Int32Array<ArrayBuffer>;
  rows = 0;
  line = 0;
  duplicates = 0;
  emptyBaskets = 0;
  emptyItems = 0;

  /** `expectedRows`: the rows to make room for at once (from the file size), so that the buffers rarely grow. */
  constructor(fn: string, delimiter: string, expectedRows: number) {
    this.fn = fn;
    this.transaction = new Int32Array(expectedRows);
    this.item = new Int32Array(expectedRows);
    this.ws = delimiter === 'whitespace';
    this.delim = this.ws ? SPACE : delimiter.charCodeAt(0);
  }

  /**
   * Reads the lines of `buf[0, end)`, every one complete (the last may lack its line break). Hand-written byte
   * loop on locals: the hot path of the reader. An item already seen costs a hash, one probe and a byte compare;
   * only a new item, a full row buffer or a full hash table leaves the loop (and reloads the locals after).
   */
  // eslint-disable-next-line max-lines-per-function -- hot kernel: byte loop on locals; a split adds calls per item
  lines(buf: Uint8Array, end: number): void {
    const ws = this.ws;
    const delim = this.delim;
    let pool = this.pool;
    let offsets = this.offsets;
    let hashes = this.hashes;
    let lastLine = this.lastLine;
    let slots = this.slots;
    let mask = this.mask;
    let transaction = this.transaction;
    let item = this.item;
    let rows = this.rows;
    let line = this.line;
    let duplicates = 0;
    let pos = 0;
    while (pos < end) {
      line++;
      const before = rows;
      let fields = 0;
      let empties = 0;
      for (;;) {
        fields++;
        if (ws) while (pos < end && (buf[pos] === SPACE || buf[pos] === TAB)) pos++;
        const s = pos;
        let h = 0x811c9dc5 | 0;
        if (ws) {
          for (; pos < end; pos++) {
            const c = buf[pos];
            if (c === SPACE || c === TAB || c === LF || c === CR) break;
            h = Math.imul(h ^ c, 0x01000193);
          }
        } else {
          for (; pos < end; pos++) {
            const c = buf[pos];
            if (c === delim || c === LF || c === CR) break;
            h = Math.imul(h ^ c, 0x01000193);
          }
        }
        if (pos > s) {
          const len = pos - s;
          // a final mix, so that short keys that differ in their last byte spread over the table
          h ^= h >>> 16;
          h = Math.imul(h, 0x85ebca6b);
          h ^= h >>> 13;
          let slot = h & mask;
          let id = -1;
          for (;;) {
            const at = slots[slot] - 1;
            if (at < 0) break;
            if (hashes[at] === h) {
              const a = offsets[at];
              if (offsets[at + 1] - a === len) {
                let k = 0;
                while (k < len && pool[a + k] === buf[s + k]) k++;
                if (k === len) {
                  id = at;
                  break;
                }
              }
            }
            slot = (slot + 1) & mask;
          }
          if (id < 0) {
            id = this.intern(buf, s, pos, h, line);
            slots[slot] = id + 1;
            if (this.items * 2 > slots.length) this.rehash();
            pool = this.pool;
            offsets = this.offsets;
            hashes = this.hashes;
            lastLine = this.lastLine;
            slots = this.slots;
            mask = this.mask;
          }
          if (lastLine[id] === line) duplicates++;
          else {
            lastLine[id] = line;
            if (rows === transaction.length) {
              transaction = grow(transaction, rows * 2);
              item = grow(item, rows * 2);
            }
            transaction[rows] = line;
            item[rows++] = id;
          }
        } else empties++;
        if (pos < end && !ws && buf[pos] === delim) {
          pos++;
          continue;
        }
        if (pos >= end || buf[pos] === LF || buf[pos] === CR) break;
      }
      if (pos < end) pos += buf[pos] === CR && pos + 1 < end && buf[pos + 1] === LF ? 2 : 1;
      // an empty field between delimiters (`a,,b`, `a,`) names no item: skipped and counted
      if (!ws && fields > 1) this.emptyItems += empties;
      if (rows === before) {
        // an empty line is an empty basket, as arules keeps it: one row with a null item (id -1)
        this.emptyBaskets++;
        if (rows === transaction.length) {
          transaction = grow(transaction, rows * 2);
          item = grow(item, rows * 2);
        }
        transaction[rows] = line;
        item[rows++] = -1;
      }
    }
    this.transaction = transaction;
    this.item = item;
    this.rows = rows;
    this.line = line;
    this.duplicates += duplicates;
  }

  private intern(buf: Uint8Array, s: number, e: number, h: number, line: number): number {
    if (!utf8Valid(buf, s, e)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${this.fn}: line ${line}: an item is not valid UTF-8 (found ${JSON.stringify(new TextDecoder().decode(buf.subarray(s, e)))}); ` +
          `save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
        { row: line - 1 },
      );
    }
    const id = this.items++;
    if (this.items + 1 >= this.offsets.length) {
      const n = this.offsets.length * 2;
      this.offsets = grow(this.offsets, n);
      this.hashes = grow(this.hashes, n);
      this.lastLine = grow(this.lastLine, n);
    }
    const at = this.offsets[id];
    if (at + (e - s) > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, at + (e - s)));
      next.set(this.pool.subarray(0, at));
      this.pool = next;
    }
    this.pool.set(buf.subarray(s, e), at);
    this.offsets[id + 1] = at + (e - s);
    this.hashes[id] = h;
    return id;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.items; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The distinct items, in order of first appearance, as an Arrow Utf8 vector (the pool, not copied per item). */
  dictionary(): Vector<Utf8> {
    const n = this.items;
    return makeVector(
      makeData({
        type: new Utf8(),
        length: n,
        nullCount: 0,
        valueOffsets: this.offsets.slice(0, n + 1),
        data: this.pool.slice(0, this.offsets[n]),
      }),
    );
  }
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/**
 * Reads every line of a basket file: the parser holds the (line, item id) rows, the interned items and the counts.
 * @throws {ClienteleError} `EMPTY_INPUT` (0 bytes), `LIMIT_EXCEEDED` (a line past maxRecordBytes), `INVALID_INPUT`
 */
export async function parseBaskets(
  source: ByteSource,
  settings: Omit<BasketSettings, 'batchSize'>,
): Promise<BasketParser> {
  const { fn, maxRecordBytes } = settings;
  // at most one item per 2 bytes (an item and its delimiter): the FIMI files have one per 2.9 (chess) to 4.6 bytes
  // (retail), so the row buffers are sized once and never copied to grow (they double past 2^26 rows)
  const parser = new BasketParser(fn, settings.delimiter, Math.min(1 << 26, Math.max(1 << 12, (source.size >> 1) + 1)));
  let rest: Uint8Array = EMPTY;
  let total = 0;
  for await (const chunk of source.chunks()) {
    total += chunk.length;
    let lf = chunk.length - 1;
    while (lf >= 0 && chunk[lf] !== LF) lf--;
    if (lf < 0) {
      rest = concat(rest, chunk, chunk.length);
      if (rest.length > maxRecordBytes) throw tooLong(fn, parser.line + 1, maxRecordBytes);
      continue;
    }
    if (rest.length > 0) {
      // the unfinished line of the previous chunk, completed by this one
      let first = 0;
      while (chunk[first] !== LF) first++;
      const joined = concat(rest, chunk, first + 1);
      parser.lines(joined, joined.length);
      parser.lines(chunk.subarray(first + 1, lf + 1), lf - first);
    } else parser.lines(chunk, lf + 1);
    rest = chunk.length - lf - 1 > 0 ? chunk.slice(lf + 1) : EMPTY;
    if (rest.length > maxRecordBytes) throw tooLong(fn, parser.line + 1, maxRecordBytes);
  }
  if (rest.length > 0) parser.lines(rest, rest.length);
  if (total === 0) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: the basket file is empty (found 0 bytes); write one basket per line, its items separated by the delimiter`,
    );
  }
  return parser;
}

/** RecordBatches of a basket file: `transaction` (Int32, the 1-based line) and `item` (dictionary-encoded Utf8). */
export async function* basketBatches(source: ByteSource, settings: BasketSettings): AsyncGenerator<RecordBatch> {
  yield* batchesOf(await parseBaskets(source, settings), settings.batchSize);
}

function concat(a: Uint8Array, b: Uint8Array, bEnd: number): Uint8Array {
  const out = new Uint8Array(a.length + bEnd);
  out.set(a);
  out.set(b.subarray(0, bEnd), a.length);
  return out;
}

function tooLong(fn: string, line: number, limit: number): ClienteleError {
  return new ClienteleError(
    'LIMIT_EXCEEDED',
    `${fn}: the basket at line ${line} passes maxRecordBytes (found more than ${limit} bytes without a line break); ` +
      `check that the file has one basket per line, or pass a larger maxRecordBytes (Infinity lifts the limit)`,
  );
}

function* batchesOf(parser: BasketParser, batchSize: number): Generator<RecordBatch> {
  const dictionary = parser.dictionary();
  const itemType = new Dictionary(new Utf8(), new Int32(), 0);
  const metadata = new Map([
    [BASKET_META.baskets, String(parser.line)],
    [BASKET_META.items, String(dictionary.length)],
    [BASKET_META.duplicates, String(parser.duplicates)],
    [BASKET_META.emptyBaskets, String(parser.emptyBaskets)],
    [BASKET_META.emptyItems, String(parser.emptyItems)],
  ]);
  const fields = [new Field('transaction', new Int32(), false), new Field('item', itemType, true)];
  const schema = new Schema(fields, metadata);
  const n = parser.rows;
  const step = Number.isFinite(batchSize) ? batchSize : Math.max(1, n);
  for (let from = 0; from < n || from === 0; from += step) {
    const to = Math.min(n, from + step);
    const length = to - from;
    const codes = parser.item.slice(from, to);
    let nullCount = 0;
    let nullBitmap: Uint8Array | undefined;
    for (let i = 0; i < length; i++) if (codes[i] < 0) nullCount++;
    if (nullCount > 0) {
      nullBitmap = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) {
        if (codes[i] >= 0) nullBitmap[i >> 3] |= 1 << (i & 7);
        else codes[i] = 0;
      }
    }
    const children = [
      makeData({ type: new Int32(), length, nullCount: 0, data: parser.transaction.slice(from, to) }),
      makeData({ type: itemType, length, nullCount, nullBitmap, data: codes, dictionary }),
    ];
    yield new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
    if (n === 0) break;
  }
}
