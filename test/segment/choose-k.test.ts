import { RecordBatchReader, tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import { chooseK, elbowOf } from '../../src/segment/choose-k';
import { calinskiHarabasz, daviesBouldin, meanSilhouette } from '../../src/segment/cluster-quality';
import { kmeans } from '../../src/api/segment';
import { miniBatchKmeans } from '../../src/segment/mini-batch-kmeans';
import { profileSegments } from '../../src/segment/profile-segments';
import { rfmSegments } from '../../src/rfm/index';
import { rfm } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/index';
import { catchClientele, expectCode } from '../helpers/errors';

type Point = number[];
const dist = (a: Point, b: Point) => Math.sqrt(a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0));

/** Silhouette by Rousseeuw's definition on arrays (s = 0 for singletons). */
function bruteSilhouette(points: Point[], labels: number[]): number {
  const ks = [...new Set(labels)];
  const s = points.map((p, i) => {
    const own = points.filter((_, j) => j !== i && labels[j] === labels[i]);
    if (own.length === 0) return 0;
    const a = own.reduce((acc, q) => acc + dist(p, q), 0) / own.length;
    const b = Math.min(
      ...ks
        .filter((c) => c !== labels[i])
        .map((c) => {
          const others = points.filter((_, j) => labels[j] === c);
          return others.reduce((acc, q) => acc + dist(p, q), 0) / others.length;
        }),
    );
    return (b - a) / Math.max(a, b);
  });
  return s.reduce((a, b) => a + b, 0) / s.length;
}

function centroidsOf(points: Point[], labels: number[], k: number): Point[] {
  return Array.from({ length: k }, (_, j) => {
    const members = points.filter((_, i) => labels[i] === j);
    return points[0].map((_, t) => members.reduce((s, p) => s + p[t], 0) / members.length);
  });
}

function randomPartition(seed: number, n: number, d: number, k: number) {
  const rng = randomSource(seed);
  const points = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const labels = points.map((_, i) => (i < k ? i : rng.int(k)));
  const flat = Float64Array.from(points.flat());
  const centers = centroidsOf(points, labels, k);
  return {
    points,
    labels,
    flat,
    centers,
    flatCenters: Float64Array.from(centers.flat()),
    lab: Int32Array.from(labels),
  };
}

describe('cluster quality indices against their definitions', () => {
  it('mean silhouette, Calinski–Harabasz and Davies–Bouldin equal brute-force versions (1e-12)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (seed, k, d) => {
          const n = 30 + (seed % 20);
          const { points, labels, flat, centers, flatCenters, lab } = randomPartition(seed, n, d, k);
          const all = Int32Array.from({ length: n }, (_, i) => i);
          expect(meanSilhouette(flat, d, lab, k, all)).toBeCloseTo(bruteSilhouette(points, labels), 12);
          const mean = points[0].map((_, t) => points.reduce((s, p) => s + p[t], 0) / n);
          const within = points.reduce((s, p, i) => s + dist(p, centers[labels[i]]) ** 2, 0);
          const between = centers.reduce((s, c, j) => s + labels.filter((l) => l === j).length * dist(c, mean) ** 2, 0);
          expect(calinskiHarabasz(flat, n, d, lab, flatCenters, k)).toBeCloseTo(
            between / (k - 1) / (within / (n - k)),
            9,
          );
          const spread = centers.map((c, j) => {
            const members = points.filter((_, i) => labels[i] === j);
            return members.reduce((s, p) => s + dist(p, c), 0) / members.length;
          });
          const db =
            centers.reduce(
              (s, c, a) =>
                s + Math.max(...centers.map((o, b) => (a === b ? -Infinity : (spread[a] + spread[b]) / dist(c, o)))),
              0,
            ) / k;
          expect(daviesBouldin(flat, n, d, lab, flatCenters, k)).toBeCloseTo(db, 12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the elbow is the point farthest below the chord', () => {
    expect(elbowOf([1, 2, 3, 4, 5], Float64Array.from([100, 30, 20, 15, 12]))).toBe(2);
    expect(elbowOf([2, 3, 4, 5, 6], Float64Array.from([100, 90, 20, 15, 12]))).toBe(4);
  });
});

describe('chooseK', () => {
  it('suggests the planted number of segments and says why', () => {
    const rng = randomSource(4);
    const centers = [
      [0, 0],
      [6, 0],
      [0, 6],
      [6, 6],
    ];
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const c = centers[i % 4];
      x.push(c[0] + rng.normal() * 0.6);
      y.push(c[1] + rng.normal() * 0.6);
    }
    const choice = chooseK({ x, y }, { columns: ['x', 'y'], kRange: [2, 8], seed: 3 });
    expect(choice.k).toBe(4);
    expect(choice.elbow).toBe(4);
    expect(choice.reason).toContain('k = 4 has the highest mean silhouette');
    expect(choice.sampled).toBe(false);
    const ks = Array.from(choice.scores.getChild('k')!.toArray() as Int32Array);
    expect(ks).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // The inertia column is kmeans' inertia for the same options.
    const inertia = choice.scores.getChild('inertia')!.toArray() as Float64Array;
    expect(inertia[2]).toBeCloseTo(kmeans({ x, y }, { columns: ['x', 'y'], k: 4, seed: 3 }).inertia, 9);
  });

  it('silhouettes on a seeded sample above silhouetteSample rows: deterministic and close to the exact value', () => {
    const rng = randomSource(8);
    const x = Array.from({ length: 1500 }, (_, i) => (i % 3) * 5 + rng.normal());
    const exact = chooseK({ x }, { columns: ['x'], kRange: [2, 4], seed: 1, silhouetteSample: 5000 });
    const a = chooseK({ x }, { columns: ['x'], kRange: [2, 4], seed: 1, silhouetteSample: 400 });
    const b = chooseK({ x }, { columns: ['x'], kRange: [2, 4], seed: 1, silhouetteSample: 400 });
    expect(a.sampled).toBe(true);
    expect(a.silhouetteRows).toBe(400);
    expect(Array.from(a.scores.getChild('silhouette')!.toArray() as Float64Array)).toEqual(
      Array.from(b.scores.getChild('silhouette')!.toArray() as Float64Array),
    );
    const se = exact.scores.getChild('silhouette')!.toArray() as Float64Array;
    const sa = a.scores.getChild('silhouette')!.toArray() as Float64Array;
    se.forEach((v, r) => expect(Math.abs(v - sa[r])).toBeLessThan(0.05));
    expect(a.k).toBe(3);
  });

  it('rejects bad ranges', () => {
    expectCode(() => chooseK({ x: [1, 2, 3] }, { columns: ['x'], kRange: [3, 2] }), 'INVALID_OPTION', 'kRange');
    expectCode(() => chooseK({ x: [1, 2, 3] }, { columns: ['x'], kRange: [2, 9] }), 'INVALID_OPTION', 'k (9)');
  });
});

describe('profileSegments', () => {
  it('size, share, mean and median per segment by hand; −1 rows left out; missing values skipped per column', () => {
    const table = { spend: [10, 20, 30, 100, 300, null, 7], visits: [1, 2, 3, 4, 5, 6, 7] };
    const labels = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
    const profile = profileSegments(table, labels, { columns: ['spend', 'visits'] });
    expect(Array.from(profile.getChild('size')!.toArray() as Int32Array)).toEqual([3, 3]);
    expect(Array.from(profile.getChild('share')!.toArray() as Float64Array)).toEqual([0.5, 0.5]);
    expect(Array.from(profile.getChild('spendMean')!.toArray() as Float64Array)).toEqual([20, 200]);
    expect(Array.from(profile.getChild('spendMedian')!.toArray() as Float64Array)).toEqual([20, 200]);
    expect(Array.from(profile.getChild('visitsMedian')!.toArray() as Float64Array)).toEqual([2, 5]);
    expect(profile.schema.metadata.get('clientele.unlabelled')).toBe('1');
    expectCode(() => profileSegments(table, [0, 1], { columns: ['spend'] }), 'INVALID_INPUT', '2 labels for 7 rows');
  });

  it('reports the RFM segment mix of each k-means segment when RFM names are present', () => {
    const store = sampleStore({ customers: 3000, seed: 5 });
    const named = rfmSegments(rfm(store.transactions));
    const seg = kmeans(named, { columns: ['recency', 'frequency', 'monetary'], k: 4, seed: 1 });
    const profile = profileSegments(named, seg, { columns: ['recency', 'frequency', 'monetary'] });
    const segmentNames = Array.from(named.getChild('segment')!, String);
    for (let j = 0; j < 4; j++) {
      const members = segmentNames.filter((_, i) => seg.labels[i] === j);
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      expect(profile.getChild('rfmTop')!.get(j)).toBe(top[0]);
      expect(profile.getChild('rfmTopShare')!.get(j)).toBeCloseTo(top[1] / members.length, 12);
      expect(String(profile.getChild('rfmMix')!.get(j))).toContain(
        `${top[0]} ${Math.round((100 * top[1]) / members.length)}%`,
      );
    }
  });
});

describe('miniBatchKmeans', () => {
  const rng = randomSource(12);
  const centers = [
    [0, 0, 0],
    [8, 0, 0],
    [0, 8, 0],
    [0, 0, 8],
  ];
  const cols = { a: [] as number[], b: [] as number[], c: [] as number[] };
  for (let i = 0; i < 20_000; i++) {
    const ctr = centers[rng.int(4)];
    cols.a.push(ctr[0] + rng.normal());
    cols.b.push(ctr[1] + rng.normal());
    cols.c.push(ctr[2] + rng.normal());
  }
  const table = tableFromArrays({
    a: Float64Array.from(cols.a),
    b: Float64Array.from(cols.b),
    c: Float64Array.from(cols.c),
  });

  it('finds the planted clusters and comes within 1% of full k-means inertia', async () => {
    const full = kmeans(table, { columns: ['a', 'b', 'c'], k: 4, seed: 1, standardize: 'none' });
    const mini = await miniBatchKmeans(table, {
      columns: ['a', 'b', 'c'],
      k: 4,
      seed: 1,
      standardize: 'none',
      epochs: 3,
    });
    const labels = mini.predict(table);
    const fullLabels = full.labels;
    // Same partition up to renaming: every full segment maps to one mini-batch segment.
    const map = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      if (!map.has(fullLabels[i])) map.set(fullLabels[i], labels[i]);
      expect(map.get(fullLabels[i])).toBe(labels[i]);
    }
    let inertia = 0;
    for (let i = 0; i < labels.length; i++) {
      const c = mini.centroids[labels[i]];
      inertia += (cols.a[i] - c[0]) ** 2 + (cols.b[i] - c[1]) ** 2 + (cols.c[i] - c[2]) ** 2;
    }
    expect(inertia / full.inertia).toBeLessThan(1.01);
    expect(mini.sizes.reduce((s, v) => s + v, 0)).toBe(3 * 20_000);
  });

  it('reads an Arrow IPC stream batch by batch and gives the same model as the table with the same batches', async () => {
    const pieces = table.slice(0, 5000).concat(table.slice(5000, 12000), table.slice(12000));
    expect(pieces.batches).toHaveLength(3);
    const reader = RecordBatchReader.from(tableToIPC(pieces, 'stream'));
    const streamed = await miniBatchKmeans(reader, { columns: ['a', 'b', 'c'], k: 4, seed: 2, batchSize: 256 });
    const again = await miniBatchKmeans(pieces, { columns: ['a', 'b', 'c'], k: 4, seed: 2, batchSize: 256 });
    expect(streamed.centroids).toEqual(again.centroids);
    expect(streamed.rows).toMatchObject({ rows: 20_000, kept: 20_000, total: 0 });
  });

  it('counts rows with missing features, and refuses several epochs over a one-shot stream', async () => {
    const model = await miniBatchKmeans(
      { x: [1, 2, null, 10, 11, NaN, 12, 1.5] },
      { columns: ['x'], k: 2, standardize: 'none', batchSize: 3 },
    );
    expect(model.rows).toMatchObject({
      rows: 8,
      kept: 6,
      total: 2,
      dropped: { invalidValue: 2 },
      firstRow: { invalidValue: 2 },
    });
    const once = (function* () {
      yield table.batches[0];
    })();
    const error = await miniBatchKmeans(once, { columns: ['a'], k: 2, epochs: 2 }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('INVALID_OPTION');
    expect(
      catchClientele(() => {
        throw error;
      }, 'INVALID_OPTION').message,
    ).toContain('only once');
  });
});
