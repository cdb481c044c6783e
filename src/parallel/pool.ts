import { ClienteleError, describeValue, moduleLocation } from '../table/internal';
import { deserializeError } from './protocol';
import type { Reply, RequestBody, SerializedError } from './protocol';

/** One worker thread as the main thread sees it, leased from the pool: requests are answered in order. */
export interface WorkerHandle {
  /** Sends a request (transferring `transfer`) and resolves with the worker's value, or rejects with its error. */
  request(message: RequestBody, transfer?: ArrayBuffer[], rowOffset?: number): Promise<unknown>;
  /**
   * Ends the lease: an idle worker forgets what it was sent and goes back to the pool (warm, for the next call); one
   * with requests pending is stopped (they reject) and replaced on a later call. Further requests on this handle
   * reject. The name is kept from the time every call started and stopped its own threads.
   */
  terminate(): Promise<void>;
}

/** The subset of `node:worker_threads`' `Worker` used here. */
interface NodeWorker {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (value: Reply) => void): void;
  on(event: 'error' | 'messageerror', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface WorkerScript {
  /** Absolute path of the worker entry. */
  readonly file: string;
  /** The entry is TypeScript source (vitest, tsx): the worker registers tsx before importing it. */
  readonly source: boolean;
  /** The entry as a file URL. */
  readonly href: string;
  /** With `source`, the file URL of tsx's ESM API. */
  readonly tsx?: string;
}

let scriptCache: Promise<WorkerScript | undefined> | undefined;

/**
 * The worker entry: `src/parallel/worker.ts` when running from the sources (or the bundle of them named by
 * CLIENTELE_WORKER_BUNDLE, which only the test suite sets); `parallel/worker.js` (ESM)
 * or `parallel/worker.cjs` (CJS) from a bundle in `dist/` or `dist/<folder>/`, with the extension of the bundle
 * that is running. Undefined when there is none (a bundler folded clientele into one file) or no file system.
 */
function workerScript(): Promise<WorkerScript | undefined> {
  scriptCache ??= (async () => {
    try {
      const [fs, path, url, mod] = await Promise.all([
        import('node:fs'),
        import('node:path'),
        import('node:url'),
        import('node:module'),
      ]);
      const here = moduleLocation();
      if (here === undefined) return undefined;
      const file = here.startsWith('file:') ? url.fileURLToPath(here) : here;
      const dir = path.dirname(file);
      const ext = path.extname(file);
      if (ext === '.ts' || ext === '.mts') {
        // running from the sources, a prebuilt bundle of them (the test suite makes one, test/setup/worker-bundle.ts)
        // starts a worker in a tenth of the time that registering tsx and compiling the sources in it takes
        const bundle = globalThis.process?.env?.CLIENTELE_WORKER_BUNDLE;
        if (bundle && fs.existsSync(bundle))
          return { file: bundle, href: url.pathToFileURL(bundle).href, source: false };
        // from the sources moduleLocation() is src/table/module-location.ts: the worker is src/parallel/worker.ts
        const entry = path.join(dir, '..', 'parallel', 'worker.ts');
        if (!fs.existsSync(entry)) return undefined;
        // require.resolve finds the CommonJS build of tsx's API; its ESM twin sits beside it
        const resolved = mod.createRequire(file).resolve('tsx/esm/api');
        const esm = resolved.replace(/\.cjs$/, '.mjs');
        const tsx = fs.existsSync(esm) ? esm : resolved;
        return { file: entry, href: url.pathToFileURL(entry).href, source: true, tsx: url.pathToFileURL(tsx).href };
      }
      const candidates = [path.join(dir, 'parallel', `worker${ext}`), path.join(dir, '..', 'parallel', `worker${ext}`)];
      if (path.basename(dir) === 'parallel') candidates.unshift(path.join(dir, `worker${ext}`));
      const entry = candidates.find((c) => fs.existsSync(c));
      return entry === undefined ? undefined : { file: entry, href: url.pathToFileURL(entry).href, source: false };
    } catch {
      return undefined;
    }
  })();
  return scriptCache;
}

/** One pooled thread: its worker, its pending requests and whether a call holds it. */
interface Slot {
  readonly worker: NodeWorker;
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; rowOffset: number }>;
  nextId: number;
  /** Set once the thread is gone (crashed, exited, stopped): it is out of the pool and every request rejects. */
  dead: Error | undefined;
}

/**
 * The process's worker threads, started on demand and kept warm between calls. `idle` threads wait for a lease;
 * `leased` counts those a call holds. At most `keep` idle threads are kept: the cores of the machine, or more when a
 * call asked for more explicitly; a thread returned beyond that is stopped.
 */
const pool = { idle: [] as Slot[], all: new Set<Slot>(), leased: 0, keep: 0, started: 0 };

/**
 * The cores this process may use (`os.availableParallelism()`), read synchronously: through
 * `process.getBuiltinModule` (Node ≥ 20.16), else `navigator.hardwareConcurrency` (Deno, Node ≥ 21), else 1 (no
 * threads assumed, so that `parallel: 'auto'` stays in-process).
 */
export function availableCores(): number {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    navigator?: { hardwareConcurrency?: number };
  };
  try {
    const os = g.process?.getBuiltinModule?.('node:os') as
      { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
    const n = os?.availableParallelism?.() ?? os?.cpus?.().length;
    if (typeof n === 'number' && n >= 1) return n;
  } catch {
    // no node:os here: fall through
  }
  const n = g.navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

/** Threads in the pool: idle (warm, waiting for a call), leased (held by a call now), started since the process began. */
export function poolState(): { idle: number; leased: number; started: number } {
  return { idle: pool.idle.length, leased: pool.leased, started: pool.started };
}

/** `node:worker_threads`' `Worker` and the worker entry, or undefined where there are none. */
async function threadFactory(): Promise<(() => NodeWorker) | undefined> {
  let threads: { Worker: new (file: string | URL, options?: Record<string, unknown>) => NodeWorker };
  try {
    threads = (await import('node:worker_threads')) as unknown as typeof threads;
    if (typeof threads.Worker !== 'function') return undefined;
  } catch {
    return undefined;
  }
  const script = await workerScript();
  if (script === undefined) return undefined;
  return () =>
    script.source
      ? new threads.Worker(
          // tsx's loader hooks must be registered inside the worker before the TypeScript entry is imported
          `import(${JSON.stringify(script.tsx)}).then((api) => { (api.register ?? api.default.register)(); ` +
            `return import(${JSON.stringify(script.href)}); });`,
          { eval: true },
        )
      : new threads.Worker(script.file);
}

/**
 * `count` worker threads leased from the process's pool, or undefined when threads are not available here (no
 * `node:worker_threads`, as in browsers; or no worker entry beside this module), so that the caller runs
 * in-process instead. Idle pooled threads are taken first (warm: started, modules loaded, code compiled by earlier
 * calls); the rest are started now and join the pool when their lease ends. A call never waits for another: when
 * the pool has too few idle threads, it starts more (`parallel: 'auto'` instead asks only for free cores, see
 * `splitParallel`). The pool keeps up to `max(cores, largest count asked)` idle threads. Idle threads are
 * `unref`'d, so that the pool never keeps the process alive; a thread is ref'd while it has a request pending.
 * `handle.terminate()` returns a thread to the pool; {@link closeWorkers} stops them all.
 */
export async function spawnWorkers(count: number): Promise<WorkerHandle[] | undefined> {
  const start = await threadFactory();
  if (start === undefined) return undefined;
  pool.keep = Math.max(pool.keep, availableCores(), count);
  const handles: WorkerHandle[] = [];
  for (let i = 0; i < count; i++) {
    const slot = pool.idle.pop() ?? slotOf(start());
    pool.leased++;
    handles.push(leaseOf(slot));
  }
  return handles;
}

/**
 * Starts worker threads ahead of the first parallel call, so that it finds them warm: the pool grows to `threads`
 * idle threads (default: the cores, `os.availableParallelism()`), each with the library's aggregates loaded.
 * Resolves with the number of idle threads ready, 0 where worker threads are not available (browsers, or a bundle
 * without `parallel/worker.js` beside it). Idle threads never keep the process alive; {@link closeWorkers} stops
 * them.
 *
 * What for: a server or notebook that will run `frequentItemsets`, `kmeans` or `rfm` with `parallel` moves the
 * start-up of the threads (0.1–0.5 s each) out of the first call. Cost: one thread per core, about 10–30 MB each.
 *
 * @param threads idle threads wanted, 1–256 (default: the cores)
 * @throws {ClienteleError} `INVALID_OPTION` for a `threads` that is not an integer from 1 to 256
 * @example
 * const ready = await warmWorkers(2);
 * ready; // 2
 * await closeWorkers();
 */
export async function warmWorkers(threads: number = availableCores()): Promise<number> {
  checkThreads(threads, 'warmWorkers', 'threads');
  const handles = await spawnWorkers(Math.max(0, threads - pool.idle.length));
  if (handles === undefined) return 0;
  const warmed = await Promise.allSettled(handles.map((h) => h.request({ type: 'warm' })));
  await Promise.all(handles.map((h) => h.terminate()));
  return warmed.some((w) => w.status === 'rejected') ? pool.idle.length : Math.max(pool.idle.length, threads);
}

/**
 * Grows the pool to `threads` idle threads in the background and returns at once: for a call that runs in-process
 * now (a cold pool would cost it more than it gains) so that the next one finds the threads warm. The new threads
 * are unref'd from the start and sent nothing, so they never keep the process alive.
 */
export function prestartWorkers(threads: number): void {
  void threadFactory().then((start) => {
    if (start === undefined) return;
    pool.keep = Math.max(pool.keep, availableCores(), threads);
    while (pool.idle.length < threads) pool.idle.push(slotOf(start()));
  });
}

/**
 * Stops every worker thread of the pool, idle or leased (a call still running on one sees its requests reject).
 * Later parallel calls start new threads. The pool never keeps the process alive, so this is not needed before
 * exit; tests use it to start from a known state, and applications to hand the memory back.
 *
 * @example
 * // every pooled thread stopped: the next parallel call starts new ones
 * await closeWorkers();
 */
export async function closeWorkers(): Promise<void> {
  const all = [...pool.all];
  pool.idle.length = 0;
  await Promise.all(all.map((slot) => stop(slot, new Error('the worker pool was closed (closeWorkers)'))));
}

function checkThreads(n: unknown, fn: string, option: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be an integer from 1 to 256 (found ${describeValue(n)}); ` +
        `pass the number of threads to start, e.g. os.availableParallelism()`,
    );
  }
}

/** A new pooled thread, listening for replies; out of the pool as soon as it dies. */
function slotOf(worker: NodeWorker): Slot {
  const slot: Slot = { worker, pending: new Map(), nextId: 0, dead: undefined };
  pool.all.add(slot);
  pool.started++;
  worker.unref();
  const failAll = (error: Error) => {
    slot.dead ??= error;
    pool.all.delete(slot);
    const at = pool.idle.indexOf(slot);
    if (at >= 0) pool.idle.splice(at, 1);
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
    worker.unref();
  };
  worker.on('message', (reply) => {
    const p = slot.pending.get(reply.id);
    if (p === undefined) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) worker.unref();
    // eslint-disable-next-line no-restricted-syntax -- our own reply shape from the worker, not a user-named key
    if ('error' in reply) p.reject(deserializeError(reply.error as SerializedError, p.rowOffset));
    else p.resolve(reply.value);
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('messageerror', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`a worker thread exited (code ${code}) before it answered`)));
  return slot;
}

function send(slot: Slot, message: RequestBody, transfer: ArrayBuffer[], rowOffset: number): Promise<unknown> {
  if (slot.dead !== undefined) return Promise.reject(slot.dead);
  const id = slot.nextId++;
  return new Promise((resolve, reject) => {
    slot.pending.set(id, { resolve, reject, rowOffset });
    if (slot.pending.size === 1) slot.worker.ref();
    try {
      slot.worker.postMessage({ ...message, id }, transfer);
    } catch (e) {
      slot.pending.delete(id);
      if (slot.pending.size === 0) slot.worker.unref();
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/** Stops a thread: its pending requests reject with `reason`; it leaves the pool. */
async function stop(slot: Slot, reason: Error): Promise<void> {
  slot.dead ??= reason;
  pool.all.delete(slot);
  const at = pool.idle.indexOf(slot);
  if (at >= 0) pool.idle.splice(at, 1);
  for (const p of slot.pending.values()) p.reject(slot.dead);
  slot.pending.clear();
  await slot.worker.terminate();
}

/** A call's hold on a pooled thread; `terminate()` ends the hold (see {@link WorkerHandle}). */
function leaseOf(slot: Slot): WorkerHandle {
  let ended: Promise<void> | undefined;
  return {
    request(message, transfer = [], rowOffset = 0) {
      if (ended !== undefined) return Promise.reject(new Error('the worker was returned to the pool (terminate)'));
      return send(slot, message, transfer, rowOffset);
    },
    terminate() {
      ended ??= release(slot);
      return ended;
    },
  };
}

/** The end of a lease: an idle, live thread drops its slice and rejoins the pool; any other is stopped. */
async function release(slot: Slot): Promise<void> {
  pool.leased--;
  if (slot.dead !== undefined) return;
  if (slot.pending.size > 0 || pool.idle.length >= pool.keep) {
    await stop(slot, new Error('the worker pool was terminated'));
    return;
  }
  const reset = send(slot, { type: 'reset' }, [], 0);
  pool.idle.push(slot);
  // a thread that cannot even reset is stopped (it has left the pool when it died)
  await reset.catch(() =>
    slot.dead === undefined ? stop(slot, new Error('a worker thread failed to reset')) : undefined,
  );
}
