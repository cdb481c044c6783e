import { ClienteleError } from '../table/internal';
import { nullRecord } from '../table/internal';
import type { ErrorCode } from '../table/internal';
import type { CustomerRangeInput } from './customer-range-task';
import type { CsvRangeInput } from '../kernels/internal';
import type { CustomerOwnedInput } from './customer-owned-task';

/**
 * The messages between the main thread and a worker. Internal: both ends are this folder's files.
 *
 * main → worker: `load` hands the worker its slice as Arrow IPC bytes (the buffer is transferred); `run` asks for
 * `registry[aggregate].summarize(slice, options)` on the loaded slice (`module`, when set, is the URL of a module
 * whose `AGGREGATES` export replaces the built-in registry; tests use it for stand-in aggregates); `customerRange`
 * aggregates one range of customers over the whole table in shared memory (`customerRange`, no slice needed);
 * `reset` (the end of a lease: the thread goes back to the pool) drops the slice; `warm` loads the registry.
 * `csvRange` parses one range of a CSV's bytes in shared memory (`parseCsvRange`).
 * `customerOwned` numbers and aggregates the customers whose key hash the worker owns (`customerOwned`).
 * worker → main: `{ id, value }` or `{ id, error }`, one reply per request, in request order.
 */
export type RequestBody =
  | { readonly type: 'load'; readonly bytes: Uint8Array }
  | { readonly type: 'run'; readonly aggregate: string; readonly options: unknown; readonly module?: string }
  | { readonly type: 'customerRange'; readonly input: CustomerRangeInput }
  // the pool's own: `reset` drops the slice when a lease ends, `warm` loads the aggregates ahead of a call
  | { readonly type: 'reset' }
  | { readonly type: 'warm' }
  | { readonly type: 'csvRange'; readonly input: CsvRangeInput }
  | { readonly type: 'customerOwned'; readonly input: CustomerOwnedInput };

export type Request = RequestBody & { readonly id: number };

export type Reply =
  { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: SerializedError };

/** An error as it crosses a thread: the fields of a `ClienteleError`, or name, message and stack of any other. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly column?: string;
  readonly row?: number;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const { code, column, row } = e as Error & { code?: unknown; column?: unknown; row?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(e.stack === undefined ? {} : { stack: e.stack }),
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof column === 'string' ? { column } : {}),
      ...(typeof row === 'number' ? { row } : {}),
    };
  }
  return { name: 'Error', message: String(e) };
}

/**
 * The error a worker reported, rebuilt on the main thread. A `ClienteleError` comes back as a `ClienteleError` with
 * the same code and column; its row (and the same number where the message says "row N") is shifted by `rowOffset`,
 * the first row of the worker's slice, so that it names the row of the whole table. Any other error comes back as
 * an `Error` of the same name and message, with the worker's stack.
 */
export function deserializeError(s: SerializedError, rowOffset: number): Error {
  if (s.name === 'ClienteleError' && typeof s.code === 'string') {
    const row = s.row === undefined ? undefined : s.row + rowOffset;
    const message =
      s.row === undefined || rowOffset === 0
        ? s.message
        : s.message.replace(new RegExp(`\\brow ${s.row}\\b`, 'g'), `row ${row}`);
    return new ClienteleError(s.code as ErrorCode, message, {
      ...(s.column === undefined ? {} : { column: s.column }),
      ...(row === undefined ? {} : { row }),
    });
  }
  const error = new Error(s.message);
  error.name = s.name;
  if (s.stack !== undefined) error.stack = s.stack;
  return error;
}

/**
 * A value ready to post with its typed arrays transferred rather than copied: the value rebuilt (plain objects,
 * arrays, `Map`s and `Set`s; other objects as they are) with every typed array that views only part of its buffer,
 * or a buffer in `keep`, replaced by a compact copy of its elements; and the distinct buffers to transfer.
 *
 * Why: structured cloning a view copies its whole buffer, so a small key set that views the worker's slice (a
 * dictionary read without a copy) would drag the whole slice back; and transferring a buffer in `keep` (the slice
 * itself) would leave the worker unable to run the next aggregate. `SharedArrayBuffer`s are shared, not moved.
 */
export function packForTransfer(value: unknown, keep?: ArrayBufferLike): { value: unknown; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const done = new Map<object, unknown>();
  const pack = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const seen = done.get(v);
    if (seen !== undefined) return seen;
    let out: unknown;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const view = v as unknown as Uint8Array;
      const buffer = view.buffer;
      if (!(buffer instanceof ArrayBuffer))
        out = view; // shared memory: cloning shares it
      else {
        const own =
          buffer !== keep && view.byteOffset === 0 && view.byteLength === buffer.byteLength ? view : view.slice();
        if (own.byteLength > 0) transfer.add(own.buffer as ArrayBuffer);
        out = own;
      }
    } else if (Array.isArray(v)) {
      const copy: unknown[] = new Array(v.length);
      done.set(v, copy);
      for (let i = 0; i < v.length; i++) copy[i] = pack(v[i]);
      return copy;
    } else if (v instanceof Map) {
      const copy = new Map();
      done.set(v, copy);
      for (const [k, x] of v) copy.set(pack(k), pack(x));
      return copy;
    } else if (v instanceof Set) {
      const copy = new Set();
      done.set(v, copy);
      for (const x of v) copy.add(pack(x));
      return copy;
    } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      const copy: Record<string, unknown> = nullRecord();
      done.set(v, copy);
      for (const key of Object.keys(v)) copy[key] = pack((v as Record<string, unknown>)[key]);
      return copy;
    } else out = v;
    done.set(v, out);
    return out;
  };
  const packed = pack(value);
  return { value: packed, transfer: [...transfer] };
}
