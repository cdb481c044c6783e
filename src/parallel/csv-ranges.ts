import { parseCsvRange } from '../kernels/internal';
import type { CsvRangeInput, CsvRangeOutput } from '../kernels/internal';
import { checkWorkerCount } from './options';
import { spawnWorkers } from './pool';
import type { WorkerHandle } from './pool';

/** Ranges a worker has queued at once, so that it never waits for the calling thread to hand it the next. */
const QUEUED_PER_WORKER = 2;

/**
 * Parses ranges of one CSV on `threads` threads (src/io `readTable` with `parallel`): the calling thread and
 * `threads − 1` worker threads each take the next range as soon as they are free. Workers read the bytes from
 * shared memory (the `SharedArrayBuffer` the caller put them in: never copied), keep two ranges queued and send
 * each range's column buffers back transferred; the calling thread parses ranges itself between their replies
 * (a thread fewer to start, and its core is not left idle). In-process, in order, when threads are unavailable
 * (browsers, a bundle without the worker file) or `threads` is 1. Results are in range order; a range that fails is
 * returned `failed` (see `parseCsvRange`), never thrown.
 *
 * Cost: the ranges' parse spread over the threads, plus a worker start where no warm one is pooled.
 */
export async function parseCsvRanges(
  inputs: readonly CsvRangeInput[],
  threads: number,
  fn: string,
): Promise<CsvRangeOutput[]> {
  checkWorkerCount(threads, fn, 'parallel');
  const count = Math.min(threads - 1, inputs.length - 1);
  const handles = count > 0 ? await spawnWorkers(count) : undefined;
  if (handles === undefined) return inputs.map(parseCsvRange);
  const out: CsvRangeOutput[] = new Array(inputs.length);
  let next = 0;
  const feed = async (h: WorkerHandle) => {
    while (next < inputs.length) {
      const k = next++;
      out[k] = (await h.request({ type: 'csvRange', input: inputs[k] })) as CsvRangeOutput;
    }
  };
  const here = async () => {
    while (next < inputs.length) {
      const k = next++;
      out[k] = parseCsvRange(inputs[k]);
      // let the workers' replies in, so that they are handed their next range
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  try {
    const feeds = handles.flatMap((h) => Array.from({ length: QUEUED_PER_WORKER }, () => feed(h)));
    await Promise.all([...feeds, here()]);
  } finally {
    await Promise.all(handles.map((h) => h.terminate()));
  }
  return out;
}
