import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { openParallel } from '../../src/parallel/open-parallel';
import { summarizeInParallel } from '../../src/parallel/summarize-in-parallel';
import { closeWorkers, poolState } from '../../src/parallel/pool';
import { standIn } from './fixtures/names';
import { osThreads, steadyThreads, threadsDownTo } from '../helpers/threads';

// these tests hand the workers TypeScript stand-in modules: keep the tsx path (vitest.config.ts, worker-bundle.ts)
delete process.env.CLIENTELE_WORKER_BUNDLE;

const STAND_IN = new URL('./fixtures/stand-in.ts', import.meta.url).href;
const force = { minRowsPerWorker: 1, module: STAND_IN };
const table = tableFromArrays({
  key: Array.from({ length: 40 }, (_, i) => `k${i % 3}`),
  value: Float64Array.from({ length: 40 }, (_, i) => i),
});

describe('no leaked workers', () => {
  it.runIf(existsSync('/proc/self/status'))(
    'every thread a call starts is back in the pool when it returns, also after errors, and gone after closeWorkers',
    async () => {
      await summarizeInParallel(standIn('keyed'), table, {}, 2, force); // warm up: the first call loads modules that start threads of their own
      await closeWorkers();
      const before = await steadyThreads();
      const session = await openParallel(table, 3, force);
      expect(osThreads()).toBeGreaterThan(before); // the probe sees worker threads
      await session.close();
      expect(poolState()).toMatchObject({ idle: 3, leased: 0 }); // returned warm, not stopped
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
      expect(poolState().leased).toBe(0);
      await closeWorkers();
      expect(poolState()).toMatchObject({ idle: 0, leased: 0 });
      expect(await threadsDownTo(before)).toBeLessThanOrEqual(before);
    },
  );

  it('a process that leaves a session open still exits', async () => {
    const script = fileURLToPath(new URL('./fixtures/open-and-forget.ts', import.meta.url));
    // a process kept alive by a worker never exits: the kill after 5 minutes only ends such a hang (and fails the
    // test); no loaded machine needs that long to start tsx and summarize 40 rows
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 300_000 });
    expect(stdout.trim()).toBe('summarized 3 slices; exiting without close()');
  });
});
