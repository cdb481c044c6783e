import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { openParallel } from '../../src/parallel/open-parallel';
import { summarizeInParallel } from '../../src/parallel/summarize-in-parallel';
import { standIn } from './fixtures/names';

// these tests hand the workers TypeScript stand-in modules: keep the tsx path (vitest.config.ts, worker-bundle.ts)
delete process.env.CLIENTELE_WORKER_BUNDLE;

const STAND_IN = new URL('./fixtures/stand-in.ts', import.meta.url).href;
const force = { minRowsPerWorker: 1, module: STAND_IN };
const table = tableFromArrays({
  key: Array.from({ length: 40 }, (_, i) => `k${i % 3}`),
  value: Float64Array.from({ length: 40 }, (_, i) => i),
});

/** OS threads of this process (Linux): each worker thread adds some, a terminated one gives them back. */
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('no leaked workers', () => {
  it.runIf(existsSync('/proc/self/status'))(
    'every thread a call starts is gone when it returns, also after errors',
    async () => {
      await summarizeInParallel(standIn('keyed'), table, {}, 2, force); // warm up: the first call loads modules that start threads of their own
      await settle();
      const before = threads();
      const session = await openParallel(table, 3, force);
      expect(threads()).toBeGreaterThan(before); // the probe sees worker threads
      await session.close();
      await settle();
      expect(threads()).toBe(before);
      await summarizeInParallel(standIn('keyed'), table, {}, 4, force);
      await summarizeInParallel(
        standIn('rejectsNegative'),
        tableFromArrays({ key: ['a', 'b'], value: [1, -1] }),
        {},
        2,
        force,
      ).catch(() => undefined);
      await summarizeInParallel(standIn('exits'), table, {}, 3, force).catch(() => undefined);
      await summarizeInParallel(standIn('throwsPlain'), table, {}, 3, force).catch(() => undefined);
      await settle();
      expect(threads()).toBe(before);
    },
  );

  it('a process that leaves a session open still exits', async () => {
    const script = fileURLToPath(new URL('./fixtures/open-and-forget.ts', import.meta.url));
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('summarized 2 slices; exiting without close()');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
