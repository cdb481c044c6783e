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

/** A whole Arrow IPC file or stream. */
export function readIpcTable(bytes: Uint8Array, name: string, fn: string): Table {
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
  const fs = await loadFs(fn);
  const handle = await fs.promises.open(source.path, 'r');
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
    for await (const batch of reader) yield batch;
  } finally {
    await handle.close();
  }
}
