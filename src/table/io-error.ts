import { ClienteleError } from './errors';

/** What each operating-system error code means, and how to get past it, for {@link ioError} messages. */
const SYSTEM_ERRORS: ReadonlyMap<string, readonly [meaning: string, fix: string]> = new Map([
  ['ENOENT', ['no such file or directory', 'check the path (its folder must exist)']],
  ['EISDIR', ['a directory, not a file', 'name a file inside it, e.g. out.csv']],
  ['ENOTDIR', ['a part of the path is not a directory', 'check the path']],
  ['EACCES', ['permission denied', 'check the permissions, or write elsewhere']],
  ['EPERM', ['operation not permitted', 'check the permissions, or write elsewhere']],
  ['EROFS', ['read-only file system', 'write elsewhere']],
  ['ENOSPC', ['no space left on the device', 'free some space, or write elsewhere']],
  ['EDQUOT', ['disk quota exceeded', 'free some space, or write elsewhere']],
  ['EFBIG', ['file too large for the file system', 'write elsewhere, or to a compressed format (Parquet)']],
  ['ENAMETOOLONG', ['the name is too long', 'use a shorter path']],
  ['EMFILE', ['too many open files', 'close some files, or raise the limit (ulimit -n)']],
  ['EIO', ['input/output error', 'check the device']],
  ['EPIPE', ['the reader closed the pipe', 'keep the reading end open']],
  ['EBADF', ['the file is closed', 'write to an open file or stream']],
  ['ERR_INVALID_ARG_VALUE', ['a path cannot hold a NUL character', 'remove the NUL character from the path']],
]);

/**
 * The `IO_ERROR` for an operating-system failure (`cause`, an `ErrnoException`-like value with a `code`) while `verb`
 * ('read', 'write', …) worked on `path`: `fn: cannot write "out.csv" (found ENOSPC: no space left on the device);
 * free some space, or write elsewhere`. The path is JSON-quoted, so newlines and control characters in it show as
 * escapes and the message stays one line; a stream is named as it is (`{ stream: 'stdout' }`).
 */
export function ioError(fn: string, verb: string, path: string | { stream: string }, cause: unknown): ClienteleError {
  const code = (cause as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? SYSTEM_ERRORS.get(code) : undefined;
  const found =
    typeof code === 'string'
      ? `${code}${known ? `: ${known[0]}` : ''}`
      : (cause as { message?: unknown } | null)?.message !== undefined
        ? String((cause as { message: unknown }).message).split('\n')[0]
        : String(cause);
  const error = new ClienteleError(
    'IO_ERROR',
    `${fn}: cannot ${verb} ${typeof path === 'string' ? JSON.stringify(path) : path.stream} (found ${found}); ${known ? known[1] : 'check the path, its permissions and the free space'}`,
  );
  return Object.assign(error, { cause });
}
