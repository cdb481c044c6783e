import { ioError } from '../table/internal';

/** A stream the command line writes text to: `process.stdout` / `process.stderr`, or a test double. */
export interface CliStream {
  write(chunk: string): boolean;
  /** `'drain'` is awaited when `write` returns false (backpressure on a pipe). */
  once?(event: 'drain', listener: () => void): unknown;
  /** True for a terminal; the progress bar is drawn only then. */
  isTTY?: boolean;
  columns?: number;
}

/** Where the command line reads and writes: the process's streams, or test doubles for `runCli` in-process. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Read when the input is `-`. */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
}

/**
 * Writes text to stdout, waiting for `'drain'` when the stream asks for it. A stream that refuses the write
 * synchronously with a system error (an errno code such as ENOSPC) gives an `IO_ERROR` naming
 * stdout and the system's code; errors a stream reports later, as an `'error'` event, are the binary's to handle
 * (main.ts).
 *
 * @throws {ClienteleError} `IO_ERROR`
 */
export async function writeText(stream: CliStream, text: string): Promise<void> {
  let flowing: boolean;
  try {
    flowing = stream.write(text);
  } catch (e) {
    // the system's refusals (an errno code) are the user's to fix; anything else is a bug and stays as it is
    if (typeof (e as { code?: unknown } | null)?.code === 'string')
      throw ioError('output', 'write to', { stream: 'stdout' }, e);
    throw e;
  }
  if (!flowing && stream.once) {
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
