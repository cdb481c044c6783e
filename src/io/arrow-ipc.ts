import { RecordBatchReader, tableFromIPC } from 'apache-arrow';
import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError } from '../table/internal';
import { ipcFileProblem, ipcProblem } from './arrow-ipc-verify';
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

/** A whole Arrow IPC file or stream. */
export function readIpcTable(bytes: Uint8Array, name: string, fn: string): Table {
  if (bytes.length === 0) throw emptyFile(fn, name, 'Arrow IPC');
  const problem = ipcProblem(bytes);
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
    const problem = await ipcFileProblem(source.size, async (pos, n) => {
      const buffer = new Uint8Array(n);
      const { bytesRead } = await handle.read(buffer, 0, n, pos);
      return buffer.subarray(0, bytesRead);
    });
    if (problem !== undefined) throw ipcError(fn, source.name, new Error(problem));
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
