import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io';
import { printable } from './printable';

/** What a command reports its progress through; every method is a no-op when the bar is off. */
export interface Progress {
  /** Sets the label of the current step (e.g. `rfm: scoring`); `fraction` in [0, 1] when known. */
  step(label: string, fraction?: number): void;
  /** A callback for `readTable`'s `onProgress(bytesRead, totalBytes)`, labelled `reading <name>`. */
  reading(name: string): (bytesRead: number, totalBytes: number) => void;
  /** Removes the bar; safe to call twice. */
  stop(): void;
}

const OFF: Progress = Object.freeze({ step() {}, reading: () => () => {}, stop() {} });

/**
 * A progress bar on stderr (cli-progress), shown only when stderr is a terminal and `--quiet` is not given:
 * piped or redirected stderr, CI logs and `--quiet` get no bar at all (not even a final line). The bar is
 * cleared when the command ends, so only messages and results stay on screen.
 */
export function createProgress(io: CliIo, quiet: boolean): Progress {
  if (quiet || io.stderr.isTTY !== true) return OFF;
  let bar: SingleBar | null = null;
  let label = '';
  let value = 0;
  const show = () => {
    if (bar === null) {
      bar = new SingleBar({
        stream: io.stderr as unknown as NodeJS.WritableStream,
        format: ' {label} [{bar}] {percentage}%',
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
        stopOnComplete: false,
        fps: 10,
      });
      bar.start(100, value, { label });
    } else bar.update(value, { label });
  };
  return {
    step(text, fraction) {
      label = printable(text);
      if (fraction !== undefined) value = Math.round(100 * Math.min(1, Math.max(0, fraction)));
      show();
    },
    reading(name) {
      return (bytesRead, totalBytes) => {
        label = `reading ${printable(name)}`;
        value = totalBytes > 0 ? Math.round((100 * Math.min(bytesRead, totalBytes)) / totalBytes) : value;
        show();
      };
    },
    stop() {
      if (bar !== null) {
        bar.stop();
        bar = null;
      }
    },
  };
}
