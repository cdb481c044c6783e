import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import { hamerlyKMeans } from '../../src/segment/hamerly';
import { kmeansPlusPlus } from '../../src/segment/kmeans-plus-plus';
import { predictSegments } from '../../src/segment/kmeans';
import { kmeans } from '../../src/api/segment';
import { catchClientele, expectCode } from '../helpers/errors';

/** Adjusted Rand index (Hubert & Arabie 1985) from the contingency table, by the definition. */
function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const index = [...table.values()].reduce((s, v) => s + c2(v), 0);
  const sumA = [...rows.values()].reduce((s, v) => s + c2(v), 0);
  const sumB = [...cols.values()].reduce((s, v) => s + c2(v), 0);
  const expected = (sumA * sumB) / c2(a.length);
  const max = (sumA + sumB) / 2;
  return (index - expected) / (max - expected);
}

/** Points around `centers` with Gaussian noise of `spread`, as columns x0, x1, … plus the true label. */
function blobs(
  n: number,
  centers: number[][],
  spread: number,
  seed: number,
): { columns: Record<string, number[]>; truth: number[] } {
  const rng = randomSource(seed);
  const d = centers[0].length;
  const columns: Record<string, number[]> = {};
  for (let t = 0; t < d; t++) columns[`x${t}`] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % centers.length;
    truth.push(c);
    for (let t = 0; t < d; t++) columns[`x${t}`].push(centers[c][t] + spread * rng.normal());
  }
  return { columns, truth };
}

/**
 * Plain Lloyd from given centres with scikit-learn's stopping rule (labels unchanged, or total squared centre shift
 * ≤ tol), then a final assignment; ties to the lower index. Written from the definition, on arrays of arrays.
 */
function bruteLloyd(points: number[][], start: number[][], maxIter: number, tol: number) {
  let centers = start.map((c) => [...c]);
  let labels = points.map(() => -1);
  const nearest = (p: number[]) => {
    let best = 0;
    let bestD = Infinity;
    centers.forEach((c, j) => {
      const dist = c.reduce((s, v, t) => s + (p[t] - v) ** 2, 0);
      if (dist < bestD) {
        bestD = dist;
        best = j;
      }
    });
    return best;
  };
  let iterations = 0;
  let strict = false;
  for (let it = 0; it < maxIter; it++) {
    iterations++;
    const next = points.map(nearest);
    const same = next.every((l, i) => l === labels[i]);
    labels = next;
    if (same) {
      strict = true;
      break;
    }
    const moved = centers.map((c, j) => {
      const members = points.filter((_, i) => labels[i] === j);
      return members.length === 0 ? c : c.map((_, t) => members.reduce((s, p) => s + p[t], 0) / members.length);
    });
    const shift = moved.reduce((s, c, j) => s + c.reduce((a, v, t) => a + (v - centers[j][t]) ** 2, 0), 0);
    centers = moved;
    if (shift <= tol) break;
  }
  if (!strict) labels = points.map(nearest);
  const inertia = points.reduce((s, p, i) => s + centers[labels[i]].reduce((a, v, t) => a + (p[t] - v) ** 2, 0), 0);
  return { centers, labels, iterations, inertia };
}

describe('kmeans', () => {
  it('recovers planted, well-separated clusters exactly (adjusted Rand index 1)', () => {
    const { columns, truth } = blobs(
      600,
      [
        [0, 0, 0],
        [10, 0, 0],
        [0, 10, 0],
        [0, 0, 10],
        [10, 10, 10],
      ],
      0.5,
      7,
    );
    const seg = kmeans(columns, { columns: ['x0', 'x1', 'x2'], k: 5, seed: 2 });
    expect(adjustedRand(seg.labels, truth)).toBe(1);
    expect(Array.from(seg.sizes).sort()).toEqual([120, 120, 120, 120, 120]);
    expect(seg.converged).toBe(true);
    expect(seg.runs).toHaveLength(10);
    expect(seg.inertia).toBe(Math.min(...seg.runs));
  });

  it('agrees with a brute-force Lloyd from the same starting centroids (labels, centroids, iterations, inertia)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (seed, k, d) => {
          const rng = randomSource(seed);
          const n = 60 + rng.int(80);
          const cols: Record<string, number[]> = {};
          for (let t = 0; t < d; t++) cols[`x${t}`] = Array.from({ length: n }, () => rng.normal() * (1 + t));
          const points = Array.from({ length: n }, (_, i) => Object.values(cols).map((c) => c[i]));
          const start = Array.from({ length: k }, (_, j) => points[(j * 7 + seed) % n]);
          if (new Set(start.map((s) => s.join())).size < k) return;
          const seg = kmeans(cols, { columns: Object.keys(cols), k, init: start, standardize: 'none', tolerance: 0 });
          const ref = bruteLloyd(points, start, 300, 0);
          expect(Array.from(seg.labels)).toEqual(ref.labels);
          seg.centroids.forEach((c, j) => c.forEach((v, t) => expect(v).toBeCloseTo(ref.centers[j][t], 10)));
          expect(seg.iterations).toBe(ref.iterations);
          expect(seg.inertia).toBeCloseTo(ref.inertia, 8);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: inertia never increases from one assignment step to the next', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 9 }), (seed, k) => {
        const rng = randomSource(seed);
        const n = 300;
        const d = 3;
        const data = Float64Array.from({ length: n * d }, () => rng.normal() + (rng.uniform() < 0.3 ? 4 : 0));
        const seeding = kmeansPlusPlus(data, n, d, k, randomSource(seed + 1));
        const run = hamerlyKMeans(data, n, d, seeding.centers, k, 300, 0, true, seeding);
        const trace = Array.from(run.trace!);
        for (let t = 1; t < trace.length; t++) expect(trace[t]).toBeLessThanOrEqual(trace[t - 1] * (1 + 1e-12) + 1e-12);
        expect(run.inertia).toBeCloseTo(trace[trace.length - 1], 9);
      }),
      { numRuns: 60 },
    );
  });

  it('k-means++ seeds are data points, nearest/closest describe them exactly, and the seeding is deterministic', () => {
    const rng = randomSource(3);
    const n = 200;
    const d = 2;
    const data = Float64Array.from({ length: n * d }, () => rng.normal());
    const a = kmeansPlusPlus(data, n, d, 6, randomSource(9));
    const b = kmeansPlusPlus(data, n, d, 6, randomSource(9));
    expect(Array.from(a.centers)).toEqual(Array.from(b.centers));
    for (let j = 0; j < 6; j++) {
      const c = Array.from(a.centers.subarray(j * d, j * d + d));
      expect(
        Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)).join()).includes(c.join()),
      ).toBe(true);
    }
    for (let i = 0; i < n; i++) {
      const dists = Array.from(
        { length: 6 },
        (_, j) => (data[i * d] - a.centers[j * d]) ** 2 + (data[i * d + 1] - a.centers[j * d + 1]) ** 2,
      );
      const min = Math.min(...dists);
      expect(a.closest[i]).toBeCloseTo(min, 12);
      expect(a.nearest[i]).toBe(dists.indexOf(min));
    }
  });

  it('k = 1: the centroid is the mean and the inertia the total sum of squares', () => {
    const cols = { a: [1, 2, 3, 4, 10], b: [5, 5, 6, 6, 8] };
    const seg = kmeans(cols, { columns: ['a', 'b'], k: 1, standardize: 'none' });
    expect(seg.centroids[0][0]).toBeCloseTo(4, 12);
    expect(seg.centroids[0][1]).toBeCloseTo(6, 12);
    expect(seg.inertia).toBeCloseTo(50 + 6, 12);
    expect(Array.from(seg.labels)).toEqual([0, 0, 0, 0, 0]);
  });

  it('k above the number of distinct points: repeated centroids, zero inertia and a warning', () => {
    const cols = { x: [1, 1, 1, 5, 5, 5, 1] };
    const seg = kmeans(cols, { columns: ['x'], k: 3, seed: 4, standardize: 'none' });
    expect(Array.from(seg.sizes).reduce((a, b) => a + b, 0)).toBe(7);
    expect(new Set(seg.centroids.map((c) => c[0])).size).toBe(2);
    expect(seg.inertia).toBe(0);
    expect(seg.warnings.join(' ')).toContain('only 2 of the 3 centroids are distinct');
  });

  it('rows with a missing or non-finite feature are left out (label −1) and counted; the input is not changed', () => {
    const cols = Object.freeze({ x: [1, 2, null, 10, 11, NaN, 12, 1.5], y: [0, 0, 1, 5, 5, 5, Infinity, 0.5] });
    const seg = kmeans(cols, { columns: ['x', 'y'], k: 2, seed: 1 });
    expect(Array.from(seg.labels).filter((l) => l === -1)).toHaveLength(3);
    expect([seg.labels[2], seg.labels[5], seg.labels[6]]).toEqual([-1, -1, -1]);
    expect(seg.rows).toMatchObject({
      rows: 8,
      kept: 5,
      total: 3,
      dropped: { invalidValue: 3 },
      firstRow: { invalidValue: 2 },
    });
    expect(cols.x[2]).toBeNull();
    expect(seg.labels[0]).toBe(seg.labels[1]);
    expect(seg.labels[3]).toBe(seg.labels[4]);
    expect(seg.labels[0]).not.toBe(seg.labels[3]);
  });

  it('a constant column gets scale 1 and does not disturb the clustering', () => {
    const { columns, truth } = blobs(
      200,
      [
        [0, 0],
        [8, 8],
      ],
      0.5,
      3,
    );
    const seg = kmeans(
      { ...columns, constant: columns.x0.map(() => 42) },
      { columns: ['x0', 'x1', 'constant'], k: 2, seed: 1 },
    );
    expect(seg.scaling.scale[2]).toBe(1);
    expect(seg.scaling.center[2]).toBe(42);
    expect(adjustedRand(seg.labels, truth)).toBe(1);
    seg.centroids.forEach((c) => expect(c[2]).toBeCloseTo(42, 12));
  });

  it('z-score and min-max scaling: centroids come back in the original units', () => {
    const { columns } = blobs(
      300,
      [
        [0, 100],
        [10, 300],
      ],
      1,
      5,
    );
    for (const standardize of ['zscore', 'minmax', 'none'] as const) {
      const seg = kmeans(columns, { columns: ['x0', 'x1'], k: 2, seed: 1, standardize });
      for (let j = 0; j < 2; j++) {
        const members = columns.x0.map((_, i) => i).filter((i) => seg.labels[i] === j);
        expect(seg.centroids[j][0]).toBeCloseTo(members.reduce((s, i) => s + columns.x0[i], 0) / members.length, 9);
        expect(seg.centroids[j][1]).toBeCloseTo(members.reduce((s, i) => s + columns.x1[i], 0) / members.length, 9);
      }
    }
  });

  it('is deterministic for a seed; predict gives the training labels back and the nearest centroid for new rows', () => {
    const { columns } = blobs(
      400,
      [
        [0, 0],
        [3, 3],
        [0, 6],
      ],
      1.2,
      9,
    );
    const a = kmeans(columns, { columns: ['x0', 'x1'], k: 3, seed: 11 });
    const b = kmeans(columns, { columns: ['x0', 'x1'], k: 3, seed: 11 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    expect(Array.from(a.predict(columns))).toEqual(Array.from(a.labels));
    const fresh = { x0: [0.1, 2.9, -0.2, null], x1: [0.2, 3.1, 6.3, 1] };
    const predicted = predictSegments(a, fresh);
    const near = (x: number, y: number) => {
      const d = a.centroids.map((c) => ((x - c[0]) / a.scaling.scale[0]) ** 2 + ((y - c[1]) / a.scaling.scale[1]) ** 2);
      return d.indexOf(Math.min(...d));
    };
    expect(Array.from(predicted)).toEqual([near(0.1, 0.2), near(2.9, 3.1), near(-0.2, 6.3), -1]);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('errors name the option, the column and the fix', () => {
    const cols = { x: [1, 2, 3], s: ['a', 'b', 'c'] };
    expectCode(() => kmeans(cols, { columns: ['x'], k: 4 }), 'INVALID_OPTION', 'k (4)', '3 rows');
    expectCode(() => kmeans(cols, { columns: ['x'], k: 0 }), 'INVALID_OPTION', 'k');
    expectCode(() => kmeans(cols, { columns: [], k: 1 }), 'INVALID_OPTION', 'columns');
    expectCode(() => kmeans(cols, { columns: ['x', 'x'], k: 1 }), 'INVALID_OPTION', 'twice');
    expectCode(
      () => kmeans(cols, { columns: ['x'], k: 2, standardize: 'log' as never }),
      'INVALID_OPTION',
      'standardize',
    );
    expectCode(() => kmeans(cols, { columns: ['x'], k: 2, init: [[1]] }), 'INVALID_OPTION', 'init');
    expect(catchClientele(() => kmeans(cols, { columns: ['nope'], k: 1 }), 'MISSING_COLUMN').column).toBe('nope');
    expect(catchClientele(() => kmeans(cols, { columns: ['s'], k: 1 }), 'INVALID_TYPE').column).toBe('s');
    expectCode(() => kmeans({ x: [NaN, null] }, { columns: ['x'], k: 1 }), 'EMPTY_INPUT', 'no row');
  });
});

describe('the compiled k-means++ candidate kernel', () => {
  it('gives the same potentials as the general loop (property over d, candidates and data)', async () => {
    const { candidateKernel, generalCandidateKernel } = await import('../../src/segment/candidate-kernel');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (seed, d, trials) => {
          const rng = randomSource(seed);
          const n = 50;
          const k = 3;
          const data = Float64Array.from({ length: n * d }, () => rng.normal());
          const closest = Float64Array.from({ length: n }, () => rng.uniform() * 3);
          const nearest = Int32Array.from({ length: n }, () => rng.int(k));
          const nearestCandidate = Float64Array.from({ length: k }, () => rng.uniform() * 8);
          const candidates = Float64Array.from({ length: trials * d }, () => rng.normal());
          const a = new Float64Array(trials);
          const b = new Float64Array(trials);
          candidateKernel(d, trials)(data, n, closest, nearest, nearestCandidate, candidates, a);
          generalCandidateKernel(d, trials)(data, n, closest, nearest, nearestCandidate, candidates, b);
          for (let t = 0; t < trials; t++) expect(a[t]).toBeCloseTo(b[t], 10);
          // and both equal the definition for points the bound does not skip
          for (let t = 0; t < trials; t++) {
            let pot = 0;
            for (let i = 0; i < n; i++) {
              let s = 0;
              for (let q = 0; q < d; q++) s += (data[i * d + q] - candidates[t * d + q]) ** 2;
              pot += nearestCandidate[nearest[i]] >= 4 * closest[i] ? closest[i] : Math.min(s, closest[i]);
            }
            expect(b[t]).toBeCloseTo(pot, 10);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('the compiled distance kernels', () => {
  it('nearestTwo and the Hamerly assignment pass give what the general loops and a brute-force scan give (property)', async () => {
    const { distanceKernels, generalKernels } = await import('../../src/segment/distance-kernels');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 2, max: 7 }),
        (seed, d, k) => {
          const rng = randomSource(seed);
          const n = 40;
          const data = Float64Array.from({ length: n * d }, () => rng.normal());
          const centers = Float64Array.from({ length: k * d }, () => rng.normal());
          const compiled = distanceKernels(d);
          const general = generalKernels(d);
          const scanA = new Float64Array(2);
          const scanB = new Float64Array(2);
          for (let i = 0; i < n; i++) {
            const dists = Array.from({ length: k }, (_, j) =>
              Array.from({ length: d }, (_, t) => (data[i * d + t] - centers[j * d + t]) ** 2).reduce(
                (s, v) => s + v,
                0,
              ),
            );
            const best = compiled.nearestTwo(data, i * d, centers, k, scanA);
            expect(general.nearestTwo(data, i * d, centers, k, scanB)).toBe(best);
            expect(best).toBe(dists.indexOf(Math.min(...dists)));
            expect(scanA[0]).toBeCloseTo(Math.min(...dists), 12);
            expect(scanA[1]).toBeCloseTo([...dists].sort((a, b) => a - b)[1], 12);
          }
          // one assignment pass from arbitrary labels and zero bounds: both kernels reach the same labels, bounds and sums
          const run = (kernels: typeof compiled) => {
            const labels = Int32Array.from({ length: n }, (_, i) => i % k);
            const upper = new Float64Array(n).fill(1e9);
            const lower = new Float64Array(n);
            const sums = new Float64Array(k * d);
            const counts = new Float64Array(k);
            for (let i = 0; i < n; i++) {
              counts[labels[i]]++;
              for (let t = 0; t < d; t++) sums[labels[i] * d + t] += data[i * d + t];
            }
            const changed = kernels.assignPass(
              data,
              n,
              k,
              centers,
              labels,
              upper,
              lower,
              new Float64Array(k),
              new Float64Array(k),
              new Float64Array(k),
              sums,
              counts,
            );
            return {
              changed,
              labels: Array.from(labels),
              upper: Array.from(upper),
              sums: Array.from(sums),
              counts: Array.from(counts),
            };
          };
          const a = run(compiled);
          const b = run(general);
          expect(a.changed).toBe(b.changed);
          expect(a.labels).toEqual(b.labels);
          a.upper.forEach((v, i) => expect(v).toBeCloseTo(b.upper[i], 12));
          a.sums.forEach((v, i) => expect(v).toBeCloseTo(b.sums[i], 10));
          expect(a.counts).toEqual(b.counts);
        },
      ),
      { numRuns: 60 },
    );
  });
});
