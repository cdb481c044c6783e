import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openParallel } from '../../src/parallel/open-parallel';
import { summarizeInParallel } from '../../src/parallel/summarize-in-parallel';
import { sampleStore } from '../../src/sample/sample-store';
import { AGGREGATES } from '../../src/stream/aggregates';
import type { KMeansStats } from '../../src/segment/kmeans-stats';
import { expectSameTable, outcome } from './helpers';

const force = { minRowsPerWorker: 1 };
const store = sampleStore({ customers: 1500, seed: 11 });

/** The single-thread run: the aggregate's summarize over the whole table, finished. */
function single<K extends keyof typeof AGGREGATES>(name: K, table: Table, options: object): unknown {
  const agg = AGGREGATES[name] as unknown as {
    summarize(t: Table, o: object): unknown;
    finish(p: unknown, o: object): unknown;
  };
  return agg.finish(agg.summarize(table, options), options);
}

async function parallel(name: keyof typeof AGGREGATES, table: Table, options: object, n: number): Promise<unknown> {
  const agg = AGGREGATES[name] as unknown as { finish(p: unknown, o: object): unknown };
  return agg.finish(await summarizeInParallel(name, table, options, n, force), options);
}

describe('item and pair counts on worker threads', () => {
  const lines = store.basketItems;

  it('equal the single-thread counts exactly on the sample baskets, n = 2, 3, 4 (baskets cut between slices)', async () => {
    expect(lines.numRows).toBeGreaterThan(5000);
    for (const n of [2, 3, 4]) {
      expectSameTable((await parallel('itemCounts', lines, {}, n)) as Table, single('itemCounts', lines, {}) as Table);
      expectSameTable(
        (await parallel('pairCounts', lines, { minSupport: 0.01 }, n)) as Table,
        single('pairCounts', lines, { minSupport: 0.01 }) as Table,
      );
    }
  });

  it('item counts match a brute-force count of distinct baskets per item', async () => {
    const got = (await parallel('itemCounts', lines, {}, 3)) as Table;
    const baskets = new Map<string, Set<number>>();
    for (let i = 0; i < lines.numRows; i++) {
      const item = String(lines.getChild('item')!.get(i));
      if (!baskets.has(item)) baskets.set(item, new Set());
      baskets.get(item)!.add(lines.getChild('transaction')!.get(i) as number);
    }
    expect(got.numRows).toBe(baskets.size);
    for (let r = 0; r < got.numRows; r++) {
      expect(got.getChild('count')!.get(r)).toBe(baskets.get(String(got.getChild('item')!.get(r)))!.size);
    }
  });

  it('on property-generated logs grouped by transaction (nulls, repeats), n = 2, 3, 4', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 10 }), { minLength: 1, maxLength: 5 }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.constantFrom(2, 3, 4),
        async (basketsOfItems, n) => {
          const transaction: number[] = [];
          const item: (string | null)[] = [];
          basketsOfItems.forEach((items, t) =>
            items.forEach((x) => (transaction.push(t), item.push(x === null ? null : `i${x}`))),
          );
          const table = new Table({
            transaction: vectorFromArray(transaction, new Int32()),
            item: vectorFromArray(item, new Utf8()),
          });
          for (const name of ['itemCounts', 'pairCounts'] as const) {
            const one = await outcome(() => single(name, table, {}) as Table);
            const many = await outcome(() => parallel(name, table, {}, n) as Promise<Table>);
            if ('error' in one) expect(many).toEqual(one);
            else if ('error' in many) expect(many.error).toBeUndefined();
            else expectSameTable(many.value, one.value);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('k-means statistics (assignment step) on worker threads', () => {
  const points = new Table({
    x: vectorFromArray(
      Array.from({ length: 3001 }, (_, i) => ((i * 7919) % 1000) / 37 + (i % 3) * 40),
      new Float64(),
    ),
    y: vectorFromArray(
      Array.from({ length: 3001 }, (_, i) => (i === 17 ? null : ((i * 104729) % 997) / 53 - (i % 3) * 25)),
      new Float64(),
    ),
  });
  const options = {
    columns: ['x', 'y'],
    centroids: [
      [0, 0],
      [40, -25],
      [80, -50],
      [30, 30],
    ],
  };

  it('equal the single-thread statistics exactly, n = 2, 3, 4', async () => {
    const one = single('kmeansStats', points, options) as KMeansStats;
    for (const n of [2, 3, 4]) {
      const many = (await parallel('kmeansStats', points, options, n)) as KMeansStats;
      expect(Array.from(many.counts)).toEqual(Array.from(one.counts));
      expect(many.sums).toEqual(one.sums);
      expect(many.centroids).toEqual(one.centroids);
      expect(Array.from(many.clusterInertia)).toEqual(Array.from(one.clusterInertia));
      expect(many.rows).toEqual(one.rows);
    }
  });

  it('match a brute-force nearest-centroid assignment (counts exact, sums and inertia to 1e-9)', async () => {
    const stats = (await parallel('kmeansStats', points, options, 3)) as KMeansStats;
    const k = options.centroids.length;
    const counts = new Array(k).fill(0);
    const sums = options.centroids.map(() => [0, 0]);
    let inertia = 0;
    for (let i = 0; i < points.numRows; i++) {
      const x = points.getChild('x')!.get(i) as number | null;
      const y = points.getChild('y')!.get(i) as number | null;
      if (x === null || y === null) continue;
      const d = options.centroids.map(([cx, cy]) => (x - cx) ** 2 + (y - cy) ** 2);
      const j = d.indexOf(Math.min(...d));
      counts[j]++;
      sums[j][0] += x;
      sums[j][1] += y;
      inertia += d[j];
    }
    expect(Array.from(stats.counts)).toEqual(counts);
    stats.sums.forEach((s, j) => s.forEach((v, f) => expect(v).toBeCloseTo(sums[j][f], 9)));
    expect(stats.inertia).toBeCloseTo(inertia, 6);
    expect(stats.rows).toMatchObject({ rows: 3001, kept: 3000, firstRow: { invalidValue: 17 } });
  });

  it('a session runs Lloyd steps without resending the rows, as one thread does', async () => {
    const session = await openParallel(points, 2, { ...force, columns: ['x', 'y'] });
    try {
      let threaded = options.centroids;
      let local = options.centroids;
      for (let step = 0; step < 5; step++) {
        const o = { columns: ['x', 'y'], centroids: threaded };
        threaded = (
          AGGREGATES.kmeansStats.finish((await session.summarize('kmeansStats', o)) as never, o) as KMeansStats
        ).centroids as number[][];
        local = (single('kmeansStats', points, { columns: ['x', 'y'], centroids: local }) as KMeansStats)
          .centroids as number[][];
        expect(threaded).toEqual(local);
      }
    } finally {
      await session.close();
    }
  });
});
