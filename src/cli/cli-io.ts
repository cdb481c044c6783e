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

/** Writes text, waiting for `'drain'` when the stream asks for it. */
export async function writeText(stream: CliStream, text: string): Promise<void> {
  if (!stream.write(text) && stream.once) {
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
