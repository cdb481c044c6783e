import { moduleLocation } from '../table/internal';
import { deserializeError } from './protocol';
import type { Reply, RequestBody, SerializedError } from './protocol';

/** One worker thread as the main thread sees it: one request at a time, answered in order. */
export interface WorkerHandle {
  /** Sends a request (transferring `transfer`) and resolves with the worker's value, or rejects with its error. */
  request(message: RequestBody, transfer?: ArrayBuffer[], rowOffset?: number): Promise<unknown>;
  /** Stops the thread; pending requests reject. */
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

/**
 * Starts `count` worker threads running the parallel worker entry, or resolves to undefined when threads are not
 * available here (no `node:worker_threads`, as in browsers; or no worker entry beside this module), so that the
 * caller runs in-process instead. Idle workers are `unref`'d: a pool someone forgot to terminate does not keep the
 * process alive; a worker is ref'd while it has a request pending.
 */
export async function spawnWorkers(count: number): Promise<WorkerHandle[] | undefined> {
  let threads: { Worker: new (file: string | URL, options?: Record<string, unknown>) => NodeWorker };
  try {
    threads = (await import('node:worker_threads')) as unknown as typeof threads;
    if (typeof threads.Worker !== 'function') return undefined;
  } catch {
    return undefined;
  }
  const script = await workerScript();
  if (script === undefined) return undefined;
  const handles: WorkerHandle[] = [];
  for (let i = 0; i < count; i++) {
    const worker = script.source
      ? new threads.Worker(
          // tsx's loader hooks must be registered inside the worker before the TypeScript entry is imported
          `import(${JSON.stringify(script.tsx)}).then((api) => { (api.register ?? api.default.register)(); ` +
            `return import(${JSON.stringify(script.href)}); });`,
          { eval: true },
        )
      : new threads.Worker(script.file);
    handles.push(handleOf(worker));
  }
  return handles;
}

function handleOf(worker: NodeWorker): WorkerHandle {
  let nextId = 0;
  let dead: Error | undefined;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; rowOffset: number }>();
  worker.unref();
  const failAll = (error: Error) => {
    dead ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (reply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    // eslint-disable-next-line no-restricted-syntax -- our own reply shape from the worker, not a user-named key
    if ('error' in reply) p.reject(deserializeError(reply.error as SerializedError, p.rowOffset));
    else p.resolve(reply.value);
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('messageerror', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`a worker thread exited (code ${code}) before it answered`)));
  return {
    request(message, transfer = [], rowOffset = 0) {
      if (dead !== undefined) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, rowOffset });
        if (pending.size === 1) worker.ref();
        try {
          worker.postMessage({ ...message, id }, transfer);
        } catch (e) {
          pending.delete(id);
          if (pending.size === 0) worker.unref();
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    },
    async terminate() {
      if (dead === undefined) dead = new Error('the worker pool was terminated');
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
      await worker.terminate();
    },
  };
}
