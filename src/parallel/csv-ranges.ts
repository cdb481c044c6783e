import { parseCsvRange } from '../kernels/internal';
import type { CsvRangeInput, CsvRangeOutput } from '../kernels/internal';
import { checkWorkerCount } from './options';
import { spawnWorkers } from './pool';
import type { WorkerHandle } from './pool';

/**
 * Parses ranges of one CSV on `threads` worker threads (src/io `readTable` with `parallel`): each worker takes the
 * next range as soon as it is free, reads the bytes from shared memory (the `SharedArrayBuffer` the caller put
 * them in: never copied) and sends the range's column buffers back transferred. In-process, in order, when
 * threads are unavailable (browsers, a bundle without the worker file) or `threads` is 1. Results are in range
 * order; a range that fails is returned `failed` (see `parseCsvRange`), never thrown.
 *
 * Cost: the ranges' parse spread over the threads, plus a worker start where no warm one is pooled.
 */
export async function parseCsvRanges(
  inputs: readonly CsvRangeInput[],
  threads: number,
  fn: string,
): Promise<CsvRangeOutput[]> {
  checkWorkerCount(threads, fn, 'parallel');
  const count = Math.min(threads, inputs.length);
  const handles = count > 1 ? await spawnWorkers(count) : undefined;
  if (handles === undefined) return inputs.map(parseCsvRange);
  const out: CsvRangeOutput[] = new Array(inputs.length);
  let next = 0;
  const drain = async (h: WorkerHandle) => {
    while (next < inputs.length) {
      const k = next++;
      out[k] = (await h.request({ type: 'csvRange', input: inputs[k] })) as CsvRangeOutput;
    }
  };
  try {
    await Promise.all(handles.map(drain));
  } finally {
    await Promise.all(handles.map((h) => h.terminate()));
  }
  return out;
}
