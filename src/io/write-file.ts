import { ioError } from '../table/internal';
import { loadFs } from './sources';

/**
 * Writes bytes (one array or a sequence of chunks) to `path`, replacing the file. Every operating-system failure —
 * opening (no such folder, a directory, permission denied), writing (no space left, quota) or closing — is an
 * `IO_ERROR` naming the path and the system's code. When a write fails part-way, the partial file is removed (a
 * regular file only; a device such as `/dev/full` is left alone), so no half-written file is left behind to be read
 * as a whole one. Internal to src/io.
 *
 * @throws {ClienteleError} `IO_ERROR`; `INVALID_INPUT` where there is no file system (a browser)
 */
export async function writeFileChunks(
  path: string,
  data: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  fn: string,
): Promise<void> {
  const fs = await loadFs(fn);
  let handle: Awaited<ReturnType<typeof fs.promises.open>>;
  try {
    handle = await fs.promises.open(path, 'w');
  } catch (e) {
    throw ioError(fn, 'write', path, e);
  }
  let failure: unknown;
  let osFailure = false;
  try {
    if (data instanceof Uint8Array) await writeAll(handle, data);
    else for await (const chunk of data) await writeAll(handle, chunk);
  } catch (e) {
    // an encoder's own ClienteleError passes as it is; the system's refusals become IO_ERROR below
    failure = e;
    osFailure =
      typeof (e as { code?: unknown } | null)?.code === 'string' &&
      !(e instanceof Error && e.name === 'ClienteleError');
  }
  let regular = false;
  if (failure !== undefined)
    regular = await handle.stat().then(
      (s) => s.isFile(),
      () => false,
    );
  try {
    await handle.close();
  } catch (e) {
    if (failure === undefined) {
      failure = e;
      osFailure = true;
    }
  }
  if (failure === undefined) return;
  if (regular) await fs.promises.unlink(path).catch(() => undefined);
  throw osFailure ? ioError(fn, 'write', path, failure) : failure;
}

/** Writes all of `bytes` (a file handle's write may write fewer bytes than asked). */
async function writeAll(
  handle: { write(b: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }> },
  bytes: Uint8Array,
): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    // a write that moves nothing would loop forever: the device takes no more
    if (!(bytesWritten > 0)) throw Object.assign(new Error('nothing written'), { code: 'EIO' });
    at += bytesWritten;
  }
}
