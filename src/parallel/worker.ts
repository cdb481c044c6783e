/**
 * The worker_threads entry of `summarizeInParallel`: holds one slice of the table and runs mergeable aggregates on
 * it. Built as its own bundle (`dist/parallel/worker.js` and `.cjs`); under vitest/tsx it runs from this source
 * file. Loaded only inside a worker, so it may import `node:` modules at the top.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import type { Table } from 'apache-arrow';
import { customerRange } from './customer-range-task';
import { parseCsvRange } from '../kernels/internal';
import { customerOwned } from './customer-owned-task';
import type { Aggregate } from './registry';
import { packForTransfer, serializeError } from './protocol';
import type { Reply, Request } from './protocol';

const port = parentPort;
let slice: Table | undefined;
/** The buffer the slice's vectors view; never transferred back, so that the slice stays readable for later runs. */
let sliceBuffer: ArrayBufferLike | undefined;

async function registryOf(module: string | undefined): Promise<Record<string, Aggregate>> {
  // loaded on the first aggregate request: a worker that only aggregates customer ranges (rfm, customerSummary)
  // starts without the whole library
  if (module === undefined) return (await import('./registry')).AGGREGATES as unknown as Record<string, Aggregate>;
  return ((await import(module)) as { AGGREGATES: Record<string, Aggregate> }).AGGREGATES;
}

async function handle(request: Request): Promise<unknown> {
  if (request.type === 'load') {
    // zero-copy: the table's vectors are views into the transferred bytes
    const { tableFromIPC } = await import('apache-arrow');
    slice = tableFromIPC(request.bytes);
    sliceBuffer = request.bytes.buffer;
    return slice.numRows;
  }
  if (request.type === 'customerRange') return customerRange(request.input);
  if (request.type === 'reset') {
    // the lease ended: the thread waits in the pool for another call, holding nothing of this one
    slice = undefined;
    sliceBuffer = undefined;
    return 0;
  }
  if (request.type === 'warm') {
    await registryOf(undefined);
    return 0;
  }
  if (request.type === 'csvRange') return parseCsvRange(request.input);
  if (request.type === 'customerOwned') return customerOwned(request.input);
  const registry = await registryOf(request.module);
  const aggregate = registry[request.aggregate];
  if (aggregate === undefined) throw new Error(`worker: no aggregate named ${JSON.stringify(request.aggregate)}`);
  if (slice === undefined) throw new Error('worker: run before load');
  return aggregate.summarize(slice, request.options);
}

if (port) {
  // requests are handled one at a time, in order: the main thread waits for each reply before the next request
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(async () => {
      let reply: Reply;
      let transfer: ArrayBuffer[] = [];
      try {
        const packed = packForTransfer(await handle(request), sliceBuffer);
        reply = { id: request.id, value: packed.value };
        transfer = packed.transfer;
      } catch (e) {
        reply = { id: request.id, error: serializeError(e) };
      }
      try {
        port.postMessage(reply, transfer);
      } catch (e) {
        // a partial that cannot be cloned is a bug of the aggregate; report it rather than leave the caller waiting
        port.postMessage({ id: request.id, error: serializeError(e) } satisfies Reply);
      }
    });
  });
}
