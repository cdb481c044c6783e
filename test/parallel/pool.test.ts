import type { Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { frequentItemsets } from '../../src/api/basket';
import { autoParts, estimateWork } from '../../src/parallel/itemsets-parallel';
import { autoThreads, splitParallel } from '../../src/parallel/options';
import { availableCores, closeWorkers, poolState, spawnWorkers, warmWorkers } from '../../src/parallel/pool';
import { ClienteleError } from '../../src/table/errors';

// the workers run the test suite's bundle of the sources (CLIENTELE_WORKER_BUNDLE, test/setup/worker-bundle.ts)

/** Baskets where every pair of the 9 items is frequent at minCount 3 (a few hundred itemsets). */
const lists = Array.from({ length: 240 }, (_, i) => [`a${i % 7}`, `b${i % 5}`, `c${i % 3}`, `d${i % 11}`]);
const oneThread = (options: { minCount: number; algorithm?: 'eclat' | 'fpgrowth' | 'apriori' }): Table =>
  frequentItemsets(lists, options);
/** Two itemset tables are the same result: fields and types, metadata, and every row in order (Object.is). */
function expectSameTable(actual: Table, expected: Table): void {
  const text = (t: Table) => {
    const columns = t.schema.fields.map((f) => t.getChild(f.name)!);
    const rows = Array.from({ length: t.numRows }, (_, i) =>
      columns.map((c) => {
        const v = c.get(i) as unknown;
        return typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : JSON.stringify([...(v as string[])]);
      }),
    );
    return { fields: t.schema.fields.map((f) => `${f.name}: ${f.type}`), meta: [...t.schema.metadata], rows };
  };
  expect(text(actual)).toEqual(text(expected));
}
const forced = { parallel: 2, minRowsPerWorker: 1 } as const;

afterAll(closeWorkers);

describe('the warm worker pool', () => {
  it('two consecutive calls: the second leases the threads the first started, with the same table', async () => {
    await closeWorkers();
    const first = await frequentItemsets(lists, { minCount: 3, ...forced });
    const afterFirst = poolState();
    expect(afterFirst.leased).toBe(0);
    expect(afterFirst.idle).toBeGreaterThanOrEqual(1); // parallel 2: one thread beside the calling one
    const second = await frequentItemsets(lists, { minCount: 3, ...forced });
    expect(poolState().started).toBe(afterFirst.started); // no thread started for the second call
    expectSameTable(first, oneThread({ minCount: 3 }));
    expectSameTable(second, oneThread({ minCount: 3 }));
  });

  it('concurrent calls lease threads of their own and each returns its one-thread table', async () => {
    const cases = [
      { minCount: 2, algorithm: 'eclat' as const },
      { minCount: 3, algorithm: 'fpgrowth' as const },
    ];
    const tables = await Promise.all(cases.map((o) => frequentItemsets(lists, { ...o, ...forced })));
    tables.forEach((t, i) => expectSameTable(t, oneThread(cases[i])));
    expect(poolState().leased).toBe(0);
  });

  it('a thread that crashed leaves the pool and the next call gets a new one', async () => {
    const [handle] = (await spawnWorkers(1))!;
    const crash = { type: 'run', aggregate: 'x', options: {}, module: 'data:text/javascript,process.exit(3)' } as const;
    await expect(handle.request(crash)).rejects.toThrow(/exited \(code 3\)/);
    await handle.terminate();
    const started = poolState().started;
    await closeWorkers();
    const table = await frequentItemsets(lists, { minCount: 3, ...forced });
    expect(poolState().started).toBeGreaterThan(started);
    expectSameTable(table, oneThread({ minCount: 3 }));
  });

  it('terminate() on a leased idle thread returns it to the pool; the handle refuses further requests', async () => {
    await closeWorkers();
    const [handle] = (await spawnWorkers(1))!;
    expect(poolState()).toMatchObject({ idle: 0, leased: 1 });
    expect(await handle.request({ type: 'warm' })).toBe(0);
    await handle.terminate();
    expect(poolState()).toMatchObject({ idle: 1, leased: 0 });
    await expect(handle.request({ type: 'warm' })).rejects.toThrow(/returned to the pool/);
  });

  it('warmWorkers fills the pool, closeWorkers empties it; a bad count is INVALID_OPTION', async () => {
    await closeWorkers();
    expect(await warmWorkers(2)).toBe(2);
    expect(poolState()).toMatchObject({ idle: 2, leased: 0 });
    await closeWorkers();
    expect(poolState()).toMatchObject({ idle: 0, leased: 0 });
    for (const bad of [0, 1.5, 257, 'two'])
      await expect(warmWorkers(bad as number)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe("parallel: 'auto'", () => {
  it('resolves to the free cores (at least 1), and a bad parallel names auto in its message', () => {
    expect(autoThreads()).toBe(Math.max(1, availableCores() - poolState().leased));
    expect(splitParallel({ parallel: 'auto', k: 2 }, 'f')).toMatchObject({ n: autoThreads(), auto: true });
    expect(splitParallel({ parallel: 3 }, 'f')).toMatchObject({ n: 3, auto: false });
    expect(() => splitParallel({ parallel: 'all' as never }, 'f')).toThrow(ClienteleError);
    expect(() => splitParallel({ parallel: 0 }, 'f')).toThrow(/1 to 256 or 'auto'/);
  });

  it('threads only where the estimated work pays, and only on warm threads (a cold pool warms for the next call)', async () => {
    await closeWorkers();
    expect(autoParts(2, 0)).toBe(1);
    // 40 ms of estimated one-thread work gains 20 ms on 2 threads: not more than the 20 ms threshold
    expect(autoParts(2, 40e6)).toBe(1);
    expect(autoParts(2, 1e9)).toBe(1); // pays, but the pool is cold: in-process, and the pool starts a thread
    // the background start is a few awaits away: wait for it (no wall-clock bound, which a loaded machine could pass)
    while (poolState().idle < 1) await new Promise((r) => setTimeout(r, 10));
    expect(poolState().idle).toBeGreaterThanOrEqual(1);
    expect(autoParts(2, 1e9)).toBe(2);
    expect(autoParts(3, 1e9)).toBe(poolState().idle >= 2 ? 3 : 1);
  });

  it('the cost estimate is Σ support × (frequent items from it on) in the miner order', () => {
    const support = Int32Array.of(5, 1, 9, 3); // minCount 3: items 0, 2, 3 are frequent
    const { frequent, cost } = estimateWork(support, 3, 'eclat');
    expect(frequent).toEqual([3, 0, 2]); // ascending support
    expect(cost).toBe(3 * 3 + 5 * 2 + 9 * 1);
  });

  it('returns a promise of the one-thread table, small input (in-process) or forced onto threads', async () => {
    for (const algorithm of ['eclat', 'fpgrowth', 'apriori'] as const) {
      const expected = oneThread({ minCount: 3, algorithm });
      expectSameTable(await frequentItemsets(lists, { minCount: 3, algorithm, parallel: 'auto' }), expected);
    }
  });
});
