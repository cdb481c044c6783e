import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError } from '../table/internal';
import { emptyFile } from './arrow-ipc';
import type { ByteSource } from './sources';
import type { WriteOptions } from './types';

/**
 * Parquet through `parquet-wasm` (Kyle Barron; MIT / Apache-2.0): the Rust `arrow-rs` Parquet reader and writer
 * compiled to WebAssembly. Chosen because it is maintained, reads and writes every common codec (zstd, snappy,
 * gzip, brotli, lz4) and all the Arrow types clientele uses, and exchanges data with apache-arrow through the
 * Arrow IPC stream format, so it needs no glue code. It is loaded with a dynamic import on first use: Node and
 * Deno get its `node` build (which instantiates the wasm on import), bundlers its web build (initialised here).
 * Internal to src/io.
 */
type ParquetWasm = typeof import('parquet-wasm');

let loading: Promise<ParquetWasm> | undefined;

function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= (async () => {
    const mod = (await import('parquet-wasm')) as ParquetWasm & { default?: unknown };
    const api = (typeof mod.readParquet === 'function' ? mod : mod.default) as ParquetWasm;
    // the web build exports its wasm initialiser as the default export
    if (typeof mod.default === 'function') await (mod.default as () => Promise<unknown>)();
    return api;
  })();
  return loading;
}

function parquetError(fn: string, name: string, e: unknown): ClienteleError {
  const reason = e instanceof Error ? e.message : String(e);
  return new ClienteleError(
    'INVALID_INPUT',
    `${fn}: cannot read ${name === 'bytes' ? 'the bytes' : JSON.stringify(name)} as Parquet (found: ${reason}); ` +
      `check that it is a Parquet file, or pass the right format option`,
  );
}

/** A whole Parquet file as an Arrow table. */
export async function readParquetTable(bytes: Uint8Array, name: string, fn: string, batchSize: number): Promise<Table> {
  if (bytes.length === 0) throw emptyFile(fn, name, 'Parquet');
  const pw = await loadParquetWasm();
  try {
    return tableFromIPC(pw.readParquet(bytes, { batchSize }).intoIPCStream());
  } catch (e) {
    throw parquetError(fn, name, e);
  }
}

/**
 * The batches of a Parquet source. A file is read one row group at a time through `ParquetFile` over a lazy
 * `Blob` of the file (`fs.openAsBlob`, Node ≥ 19.8), so memory holds one row group; in-memory bytes, or a runtime
 * without `openAsBlob`, are read whole.
 */
export async function* parquetBatches(source: ByteSource, fn: string, batchSize: number): AsyncGenerator<RecordBatch> {
  const pw = await loadParquetWasm();
  const fs = source.path === undefined ? undefined : await import('node:fs').catch(() => undefined);
  const openAsBlob = (fs as { openAsBlob?: (path: string) => Promise<Blob> } | undefined)?.openAsBlob;
  if (source.path === undefined || typeof openAsBlob !== 'function') {
    yield* (await readParquetTable(await source.whole(), source.name, fn, batchSize)).batches;
    return;
  }
  if (source.size === 0) throw emptyFile(fn, source.name, 'Parquet');
  let file: Awaited<ReturnType<ParquetWasm['ParquetFile']['fromFile']>>;
  try {
    file = await pw.ParquetFile.fromFile(await openAsBlob(source.path));
  } catch (e) {
    throw parquetError(fn, source.name, e);
  }
  try {
    const groups = file.metadata().numRowGroups();
    for (let g = 0; g < groups; g++) {
      let batches: RecordBatch[];
      try {
        batches = tableFromIPC((await file.read({ rowGroups: [g], batchSize })).intoIPCStream()).batches;
      } catch (e) {
        throw parquetError(fn, source.name, e);
      }
      yield* batches;
    }
    if (groups === 0) yield* (await readParquetTable(await source.whole(), source.name, fn, batchSize)).batches;
  } finally {
    file.free();
  }
}

const CODECS = { zstd: 'ZSTD', snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' } as const;

/** The table as Parquet bytes, compressed with `compression` (zstd by default). */
export async function parquetBytes(
  table: Table,
  compression: NonNullable<WriteOptions['compression']>,
): Promise<Uint8Array> {
  const pw = await loadParquetWasm();
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new pw.WriterPropertiesBuilder().setCompression(pw.Compression[CODECS[compression]]).build();
  return pw.writeParquet(wasmTable, properties);
}
