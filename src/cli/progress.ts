import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io';
import { printable } from './printable';

/** What a command reports its progress through; every method is a no-op when the bar is off. */
export interface Progress {
  /** Sets the label of the current step (e.g. `rfm: scoring`); `fraction` in [0, 1] when known. */
  step(label: string, fraction?: number): void;
  /** A callback for `readTable`'s `onProgress(bytesRead, totalBytes)`, labelled `reading <name>`. */
  reading(name: string): (bytesRead: number, totalBytes: number) => void;
  /**
   * A callback for an analysis's `onProgress(done, total)`: sets the label and moves the bar from `from` to `to`
   * (fractions of the whole command) as `done / total` goes from 0 to 1.
   */
  part(label: string, from: number, to: number): (done: number, total: number) => void;
  /** Removes the bar; safe to call twice. */
  stop(): void;
}

const OFF: Progress = Object.freeze({ step() {}, reading: () => () => {}, part: () => () => {}, stop() {} });

/** A fraction as a whole percentage, clamped to 0 … 100 (NaN gives 0). */
const percent = (fraction: number): number => Math.round(100 * Math.min(1, Math.max(0, fraction || 0)));

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
  let drawn = '';
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
    // cli-progress redraws on a timer, which a long synchronous step (a k-means fit) never lets run: draw here
    // whenever the whole percentage or the label changes (at most about a hundred times a step)
    const now = `${value} ${label}`;
    if (now !== drawn) {
      drawn = now;
      bar.render();
    }
  };
  return {
    step(text, fraction) {
      label = printable(text);
      if (fraction !== undefined) value = percent(fraction);
      show();
    },
    part(text, from, to) {
      const partLabel = printable(text);
      return (done, total) => {
        const next = percent(from + (to - from) * (total > 0 ? done / total : 0));
        // a callback called per pass must cost next to nothing when nothing visible changes
        if (next === value && partLabel === label) return;
        label = partLabel;
        value = next;
        show();
      };
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
