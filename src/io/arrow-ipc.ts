import { RecordBatchReader, tableFromIPC } from 'apache-arrow';
import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError } from '../table/internal';
import { loadFs } from './sources';
import type { ByteSource } from './sources';

/** Arrow IPC (file and stream formats) through apache-arrow's own readers. Internal to src/io. */

function ipcError(fn: string, name: string, e: unknown): ClienteleError {
  const reason = e instanceof Error ? e.message : String(e);
  return new ClienteleError(
    'INVALID_INPUT',
    `${fn}: cannot read ${name === 'bytes' ? 'the bytes' : JSON.stringify(name)} as Arrow IPC (found: ${reason}); ` +
      `check that it is an Arrow IPC file or stream, or pass the right format option`,
  );
}

/** A source of no bytes holds no table, not an empty one: EMPTY_INPUT for every format. */
export function emptyFile(fn: string, name: string, format: string): ClienteleError {
  return new ClienteleError(
    'EMPTY_INPUT',
    `${fn}: ${name === 'bytes' ? 'the bytes hold' : `${JSON.stringify(name)} holds`} no ${format} table, not even its columns (found 0 bytes); ` +
      `write the table, its schema at least, into the file`,
  );
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1

function magicAt(bytes: Uint8Array, at: number): boolean {
  return at >= 0 && MAGIC.every((c, k) => bytes[at + k] === c);
}

/**
 * The `bodyLength` of the flatbuffer `Message` table in `[at, at + length)` (field 3, default 0), or undefined when
 * an offset points outside the message.
 */
function bodyLength(view: DataView, at: number, length: number): number | undefined {
  const end = at + length;
  const inside = (p: number, size: number) => p >= at && p + size <= end;
  if (!inside(at, 4)) return undefined;
  const table = at + view.getUint32(at, true);
  if (!inside(table, 4)) return undefined;
  const vtable = table - view.getInt32(table, true);
  if (!inside(vtable, 4)) return undefined;
  const vtableSize = view.getUint16(vtable, true);
  if (vtableSize < 12) return 0;
  if (!inside(vtable, 12)) return undefined;
  const field = view.getUint16(vtable + 10, true);
  if (field === 0) return 0;
  if (!inside(table + field, 8)) return undefined;
  return Number(view.getBigInt64(table + field, true));
}

/**
 * What is wrong with the message framing of Arrow IPC bytes (a length that is negative or passes the end), or
 * undefined. apache-arrow trusts these lengths and can loop forever on a corrupt one, so they are checked first:
 * the stream's messages, or the file's messages between its magic and its footer.
 */
function framingProblem(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let end = bytes.length;
  if (magicAt(bytes, 0)) {
    if (end < 18 || !magicAt(bytes, end - 6)) return 'the file does not end with the ARROW1 magic of its footer';
    const footer = view.getInt32(end - 10, true);
    if (footer <= 0 || footer > end - 18) return `the footer claims ${footer} bytes in a file of ${end}`;
    pos = 8;
    end -= 10 + footer;
  }
  while (pos < end) {
    if (end - pos < 4) return `a message is cut at byte ${pos}`;
    let length = view.getInt32(pos, true);
    pos += 4;
    if (length === -1) {
      if (end - pos < 4) return `a message is cut at byte ${pos}`;
      length = view.getInt32(pos, true);
      pos += 4;
    }
    if (length === 0) return undefined;
    if (length < 0 || length > end - pos) return `a message at byte ${pos} claims ${length} bytes of metadata`;
    const body = bodyLength(view, pos, length);
    if (body === undefined || !(body >= 0) || body > end - pos - length) {
      return `a message at byte ${pos} claims a body of ${body ?? 'unreadable'} bytes`;
    }
    pos += length + body;
  }
  return undefined;
}

/** A whole Arrow IPC file or stream. */
export function readIpcTable(bytes: Uint8Array, name: string, fn: string): Table {
  if (bytes.length === 0) throw emptyFile(fn, name, 'Arrow IPC');
  const problem = framingProblem(bytes);
  if (problem !== undefined) throw ipcError(fn, name, new Error(problem));
  try {
    return tableFromIPC(bytes);
  } catch (e) {
    throw ipcError(fn, name, e);
  }
}

/**
 * The batches of an Arrow IPC file or stream, as they are stored. A file on disk is read through a FileHandle:
 * the IPC file format batch by batch from its footer, the stream format message by message.
 */
export async function* ipcBatches(source: ByteSource, fn: string): AsyncGenerator<RecordBatch> {
  if (source.path === undefined) {
    yield* readIpcTable(await source.whole(), source.name, fn).batches;
    return;
  }
  if (source.size === 0) throw emptyFile(fn, source.name, 'Arrow IPC');
  const fs = await loadFs(fn);
  const handle = await fs.promises.open(source.path, 'r').catch((e: unknown) => {
    throw ipcError(fn, source.name, e);
  });
  try {
    let reader: AsyncIterable<RecordBatch>;
    try {
      const opened = (await RecordBatchReader.from(handle as never)) as unknown as {
        open(): Promise<unknown>;
      } & AsyncIterable<RecordBatch>;
      await opened.open();
      reader = opened;
    } catch (e) {
      throw ipcError(fn, source.name, e);
    }
    // a truncated or corrupt message fails here, after the schema was read
    const batches = reader[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await batches.next();
      } catch (e) {
        throw ipcError(fn, source.name, e);
      }
      if (next.done) break;
      yield next.value;
    }
  } finally {
    await handle.close();
  }
}
