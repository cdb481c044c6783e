import type { RecordBatch } from 'apache-arrow';

/** Whether `x` is an async iterable (an Arrow IPC stream, `readBatches(...)`, an async generator). */
export function isAsyncSource(x: unknown): x is AsyncIterable<RecordBatch> {
  return (
    typeof x === 'object' && x !== null && typeof (x as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}
