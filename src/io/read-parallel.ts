import { ClienteleError, describeValue } from '../table/internal';
import type { CsvSettings } from '../kernels/internal';
import type { Table } from 'apache-arrow';
import { csvTableInRanges } from './csv-parallel';
import { loadFs } from './sources';
import type { ByteSource } from './sources';

/**
 * The `parallel` option of `readTable` and the CSV read on threads it leads to. Internal to src/io.
 *
 * `parallel: n` reads a CSV on n threads (1 = in the calling thread, the default); `'auto'` uses every core for
 * files of at least {@link AUTO_BYTES_PER_THREAD} bytes per thread and one thread below (starting a thread and
 * joining the ranges cost more than parsing a few megabytes), and one thread on machines of fewer than 4 cores,
 * where the ranges' extra CPU (about 1.5× one pass, measured) outweighs the second core. Other formats are read as without the option.
 */
export type ReadParallel = number | 'auto';

/** Bytes of CSV worth a thread of its own under `parallel: 'auto'` (8 MiB: some 40 ms of parsing). */
const AUTO_BYTES_PER_THREAD = 8 << 20;
const MAX_THREADS = 256;

/** The option checked: an integer 1–256 or `'auto'`. @throws {ClienteleError} `INVALID_OPTION` */
export function checkReadParallel(value: unknown, fn: string): ReadParallel {
  if (value === undefined) return 1;
  if (value === 'auto') return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option parallel must be an integer from 1 to ${MAX_THREADS} or 'auto' (found ${describeValue(value)}); ` +
        `pass the number of threads to read a CSV with, e.g. { parallel: 'auto' }`,
    );
  }
  return value;
}

/** The threads to read `size` bytes with: the number given, or for `'auto'` the cores the size is worth. */
async function threadsFor(parallel: ReadParallel, size: number): Promise<number> {
  if (parallel !== 'auto') return parallel;
  const { autoScanThreads, availableCores } = await import('../parallel/internal');
  return Math.max(1, Math.min(autoScanThreads(availableCores()), Math.floor(size / AUTO_BYTES_PER_THREAD)));
}

/** The source's bytes in a SharedArrayBuffer (the threads read them there without a copy). */
async function sharedBytes(source: ByteSource, input: string | Uint8Array, fn: string): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.buffer instanceof SharedArrayBuffer) return input;
    const copy = new Uint8Array(new SharedArrayBuffer(input.length));
    copy.set(input);
    return copy;
  }
  const fs = await loadFs(fn);
  const bytes = new Uint8Array(new SharedArrayBuffer(source.size));
  const handle = await fs.promises.open(input, 'r');
  try {
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === bytes.length ? bytes : bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/**
 * A CSV source read on threads into the table a one-thread read gives, or undefined when it should be read on one
 * thread (one thread asked or worth it, no SharedArrayBuffer here, no data row, or an error in the file, which the
 * one-thread read then reports).
 */
export async function readCsvParallel(
  source: ByteSource,
  input: string | Uint8Array,
  settings: CsvSettings,
  parallel: ReadParallel,
  onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined,
): Promise<Table | undefined> {
  const threads = await threadsFor(parallel, source.size);
  if (threads < 2 || typeof SharedArrayBuffer !== 'function') return undefined;
  const bytes = await sharedBytes(source, input, settings.fn);
  onProgress?.(bytes.length, bytes.length);
  const { parseCsvRanges } = await import('../parallel/internal');
  return csvTableInRanges(bytes, settings, threads, (inputs) => parseCsvRanges(inputs, threads, settings.fn));
}
