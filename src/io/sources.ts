import { ClienteleError, describeValue } from '../table/internal';

/**
 * Bytes to read: a file (read in chunks through a `node:fs` FileHandle, loaded lazily so that the package stays
 * loadable in browsers) or an in-memory `Uint8Array`. Internal to src/io.
 */
export interface ByteSource {
  /** The path, or `bytes` for an in-memory source, for messages. */
  readonly name: string;
  readonly path: string | undefined;
  readonly size: number;
  /**
   * The bytes in order, in chunks of {@link CHUNK_BYTES} for files (one chunk for in-memory bytes). A file chunk
   * lives in a reused buffer: it is valid until two more chunks have been requested.
   */
  chunks(): AsyncGenerator<Uint8Array>;
  /** All the bytes at once. */
  whole(): Promise<Uint8Array>;
  /** The first `n` bytes (fewer when the source is shorter). */
  head(n: number): Promise<Uint8Array>;
}

/** Bytes read from a file per chunk. */
const CHUNK_BYTES = 4 << 20;

type Fs = typeof import('node:fs');

/** `node:fs`, or an INVALID_INPUT error where there is none (a browser). */
export async function loadFs(fn: string): Promise<Fs> {
  try {
    return (await import('node:fs')) as Fs;
  } catch {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: reading or writing a path needs node:fs (Node.js, Deno or Bun), which this runtime lacks; ` +
        `pass the file's bytes as a Uint8Array (e.g. new Uint8Array(await file.arrayBuffer())) or use tableToBytes`,
    );
  }
}

function ioError(fn: string, verb: string, path: string, e: unknown): ClienteleError {
  const err = e as { code?: string; message?: string };
  const hint =
    err.code === 'ENOENT'
      ? 'check the path'
      : err.code === 'EISDIR'
        ? 'pass a file, not a folder'
        : 'check the path and its permissions';
  return new ClienteleError(
    'INVALID_INPUT',
    `${fn}: cannot ${verb} ${JSON.stringify(path)} (found ${err.code ?? err.message ?? 'an error'}); ${hint}`,
  );
}

/** A byte source over a path or bytes; `onProgress` hears of every chunk. */
export async function openSource(
  source: unknown,
  fn: string,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<ByteSource> {
  if (source instanceof Uint8Array) return bytesSource(source, onProgress);
  if (typeof source !== 'string' || source.length === 0) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the source must be a file path or a Uint8Array of the file's bytes (found ${describeValue(source)}); pass e.g. 'sales.csv'`,
    );
  }
  const path = source;
  const fs = await loadFs(fn);
  const size = await fileSize(fs, path, fn);
  return {
    name: path,
    path,
    size,
    chunks: () => fileChunks(fs, path, size, fn, onProgress, chunkBytes),
    whole: () => fileWhole(fs, path, fn, onProgress),
    head: (n) => fileHead(fs, path, n, fn),
  };
}

/** Hears of every chunk read: bytes so far, of the total expected. */
type OnProgress = (bytesRead: number, totalBytes: number) => void;

/** An in-memory source: the bytes as one chunk. */
function bytesSource(bytes: Uint8Array, onProgress: OnProgress | undefined): ByteSource {
  return {
    name: 'bytes',
    path: undefined,
    size: bytes.length,
    async *chunks() {
      onProgress?.(bytes.length, bytes.length);
      yield bytes;
    },
    whole: async () => {
      onProgress?.(bytes.length, bytes.length);
      return bytes;
    },
    head: async (n) => bytes.subarray(0, n),
  };
}

/** The size of the file at `path`, or INVALID_INPUT when it is missing, a folder or unreadable. */
async function fileSize(fs: Fs, path: string, fn: string): Promise<number> {
  try {
    const stat = await fs.promises.stat(path);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return stat.size;
  } catch (e) {
    throw ioError(fn, 'read', path, e);
  }
}

/** The file's bytes in chunks of `chunkBytes`, the next read overlapping the reader's work on the current chunk. */
async function* fileChunks(
  fs: Fs,
  path: string,
  size: number,
  fn: string,
  onProgress: OnProgress | undefined,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  const handle = await fs.promises.open(path, 'r').catch((e: unknown) => {
    throw ioError(fn, 'read', path, e);
  });
  // Three buffers in turn, the next read started before the current chunk is handed out, so that reading
  // overlaps parsing. A chunk stays valid until two more chunks have been requested: readers copy what they
  // keep of it before then.
  const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
  let turn = 0;
  const readNext = () => {
    const buffer = buffers[turn++ % 3];
    return handle.read(buffer, 0, chunkBytes, null).then(
      ({ bytesRead }) => buffer.subarray(0, bytesRead),
      (e: unknown) => {
        throw ioError(fn, 'read', path, e);
      },
    );
  };
  let pending = readNext();
  try {
    let read = 0;
    for (;;) {
      const chunk = await pending;
      if (chunk.length === 0) break;
      pending = readNext();
      read += chunk.length;
      onProgress?.(read, Math.max(size, read));
      yield chunk;
    }
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
}

/** The whole file at once. */
async function fileWhole(fs: Fs, path: string, fn: string, onProgress: OnProgress | undefined): Promise<Uint8Array> {
  try {
    const buffer = await fs.promises.readFile(path);
    onProgress?.(buffer.length, buffer.length);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  } catch (e) {
    throw ioError(fn, 'read', path, e);
  }
}

/** The first `n` bytes of the file (fewer when it is shorter). */
async function fileHead(fs: Fs, path: string, n: number, fn: string): Promise<Uint8Array> {
  const handle = await fs.promises.open(path, 'r').catch((e: unknown) => {
    throw ioError(fn, 'read', path, e);
  });
  try {
    const buffer = new Uint8Array(n);
    const { bytesRead } = await handle.read(buffer, 0, n, 0).catch((e: unknown) => {
      throw ioError(fn, 'read', path, e);
    });
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
