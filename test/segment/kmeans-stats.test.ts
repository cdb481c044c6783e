import { Table, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../src/index';
import { aggregateBatches, AGGREGATES, kmeansStatsAggregate } from '../../src/stream/index';
import type { KMeansStatsOptions } from '../../src/stream/index';
import { batchStream, mergeTree, pieceSizes, slices } from '../stream/helpers';

/** Brute force: nearest centroid (first on ties) for every finite row, then counts, sums and squared distances. */
function brute(
  points: readonly (number | null)[][],
  centroids: readonly number[][],
  center: number[],
  scale: number[],
) {
  const k = centroids.length;
  const d = centroids[0].length;
  const counts = Array(k).fill(0);
  const sums = centroids.map(() => Array(d).fill(0));
  const inertia = Array(k).fill(0);
  let dropped = 0;
  for (const p of points) {
    if (p.some((x) => x === null || !Number.isFinite(x))) {
      dropped++;
      continue;
    }
    const z = p.map((x, f) => ((x as number) - center[f]) / scale[f]);
    const distances = centroids.map((c) => c.reduce((s, cf, f) => s + (z[f] - cf) ** 2, 0));
    const best = distances.indexOf(Math.min(...distances));
    counts[best]++;
    z.forEach((v, f) => (sums[best][f] += v));
    inertia[best] += distances[best];
  }
  return { counts, sums, inertia, dropped };
}

function pointTable(points: readonly (number | null)[][]): Table {
  return new Table({
    x: vectorFromArray(
      points.map((p) => p[0]),
      undefined,
    ),
    y: vectorFromArray(points.map((p) => p[1])),
  });
}

const coordinate = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: -50, max: 50 }).map((v) => v / 2) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(Infinity) },
);
const pointsArb = fc.array(fc.tuple(coordinate, coordinate), { maxLength: 60 });
const centroidsArb = fc.array(fc.tuple(fc.integer({ min: -25, max: 25 }), fc.integer({ min: -25, max: 25 })), {
  minLength: 1,
  maxLength: 5,
});

describe('kmeansStatsAggregate', () => {
  it('equals a brute-force assignment step over random batch splits and merge trees (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        pointsArb,
        centroidsArb,
        fc.boolean(),
        pieceSizes,
        fc.array(fc.nat(), { maxLength: 30 }),
        async (points, centroids, scaled, sizes, choices) => {
          const scaling = scaled ? { center: [1, -2], scale: [2, 0.5] } : undefined;
          const options: KMeansStatsOptions = { columns: ['x', 'y'], centroids, scaling };
          const table = pointTable(points);
          const ref = brute(points, centroids, scaling?.center ?? [0, 0], scaling?.scale ?? [1, 1]);
          fc.pre(ref.dropped < points.length);
          const parts = slices(table, sizes);
          const streamed = await aggregateBatches(kmeansStatsAggregate, batchStream(parts), options);
          const tree = kmeansStatsAggregate.finish(
            mergeTree(
              kmeansStatsAggregate,
              parts.map((p) => structuredClone(kmeansStatsAggregate.summarize(p, options))),
              choices,
              options,
            ),
            options,
          );
          for (const got of [streamed, tree]) {
            expect(Array.from(got.counts)).toEqual(ref.counts);
            got.sums.forEach((s, j) => s.forEach((v, f) => expect(v).toBeCloseTo(ref.sums[j][f], 9)));
            got.clusterInertia.forEach((v, j) => expect(v).toBeCloseTo(ref.inertia[j], 9));
            expect(got.inertia).toBeCloseTo(
              ref.inertia.reduce((a, b) => a + b, 0),
              9,
            );
            got.centroids.forEach((c, j) =>
              c.forEach((v, f) =>
                expect(v).toBeCloseTo(ref.counts[j] > 0 ? ref.sums[j][f] / ref.counts[j] : centroids[j][f], 9),
              ),
            );
            expect(got.rows.total).toBe(ref.dropped);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('one step from given centroids moves them where kmeans (Lloyd, standardize none, one iteration) moves them', () => {
    const points = { x: [0, 1, 2, 8, 9, 10, 4], y: [0, 1, 0, 9, 10, 9, 5] };
    const start = [
      [1, 1],
      [6, 6],
    ];
    const seg = kmeans(points, { columns: ['x', 'y'], k: 2, init: start, standardize: 'none', maxIterations: 1 });
    const o = { columns: ['x', 'y'], centroids: start };
    const stats = kmeansStatsAggregate.finish(
      kmeansStatsAggregate.summarize(new Table({ x: vectorFromArray(points.x), y: vectorFromArray(points.y) }), o),
      o,
    );
    // hand-checked: (4, 5) is nearer (6, 6); means (1, 1/3) and (7.75, 8.25)
    expect(stats.centroids).toEqual([
      [1, 1 / 3],
      [7.75, 8.25],
    ]);
    stats.centroids.forEach((c, j) => c.forEach((v, f) => expect(seg.centroids[j][f]).toBeCloseTo(v, 12)));
  });

  it('rejects bad options, and partials of different shapes do not merge', () => {
    const table = pointTable([[1, 2]]);
    expect(() => kmeansStatsAggregate.summarize(table, { columns: ['x', 'y'], centroids: [[1]] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    const a = kmeansStatsAggregate.summarize(table, { columns: ['x', 'y'], centroids: [[1, 1]] });
    const b = kmeansStatsAggregate.summarize(table, {
      columns: ['x', 'y'],
      centroids: [
        [1, 1],
        [2, 2],
      ],
    });
    expect(() => kmeansStatsAggregate.merge(a, b)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(AGGREGATES.kmeansStats).toBe(kmeansStatsAggregate);
  });
});
