import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import type { RandomSource } from '../../src/math/random';
import { kmeans } from '../../src/api/segment';
import { hamerlyKMeans } from '../../src/segment/hamerly';
import { blockState, runInProcess } from '../../src/segment/kmeans-blocks';
import { kmeansPlusPlus, kmeansPlusPlusSteps } from '../../src/segment/kmeans-plus-plus';

/**
 * Greedy k-means++ written from its definition on plain arrays, with no pruning: D(x)² as the minimum over every
 * centre, each candidate's potential Σ w · min(D(x)², ‖x − candidate‖²) over all points, and the draws by a binary
 * search of the per-row running sums (numpy's searchsorted, side 'left'), the sums taken per block of `blockRows`
 * rows in row order and the blocks added in block order (the reduction order that keeps threads bit-identical).
 * This is the seeding as it was computed before the running sums stopped being stored per row.
 */
function bruteSeeding(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: RandomSource,
  blockRows: number,
  weights?: Float64Array,
): { centers: number[]; nearest: number[]; closest: number[] } {
  const trials = 2 + Math.floor(Math.log(k));
  const w = (i: number) => (weights ? weights[i] : 1);
  const dist = (i: number, c: readonly number[]) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = data[i * d + t] - c[t];
      s += e * e;
    }
    return s;
  };
  const row = (i: number) => Array.from(data.subarray(i * d, i * d + d));
  const blocks = Math.ceil(n / blockRows);
  /** Σ over blocks in block order of the block's Σ in row order. */
  const blockSum = (v: (i: number) => number) => {
    let total = 0;
    for (let b = 0; b < blocks; b++) {
      let s = 0;
      for (let i = b * blockRows; i < Math.min(n, (b + 1) * blockRows); i++) s += v(i);
      total = b === 0 ? s : total + s;
    }
    return total;
  };
  const first = weights ? rng.pick(weights) : rng.int(n);
  const centers = [row(first)];
  const closest = Array.from({ length: n }, (_, i) => dist(i, centers[0]));
  const nearest = new Array<number>(n).fill(0);
  const draw = (value: number) => {
    let before = 0;
    for (let b = 0; b < blocks; b++) {
      const begin = b * blockRows;
      const end = Math.min(n, begin + blockRows);
      const cumulative: number[] = [];
      let s = 0;
      for (let i = begin; i < end; i++) cumulative.push((s += w(i) * closest[i]));
      const through = b === 0 ? s : before + s;
      if (through >= value) {
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cumulative[mid] < value - before) lo = mid + 1;
          else hi = mid;
        }
        return begin + lo;
      }
      before = through;
    }
    return n - 1;
  };
  let running = blockSum((i) => w(i) * closest[i]);
  let potential = running;
  for (let c = 1; c < k; c++) {
    const ids = Array.from({ length: trials }, () => (potential > 0 ? draw(rng.uniform() * running) : rng.int(n)));
    const pots = ids.map((id) => blockSum((i) => w(i) * Math.min(closest[i], dist(i, row(id)))));
    const best = pots.indexOf(Math.min(...pots));
    centers.push(row(ids[best]));
    potential = pots[best];
    for (let i = 0; i < n; i++) {
      const s = dist(i, centers[c]);
      if (s < closest[i]) {
        closest[i] = s;
        nearest[i] = c;
      }
    }
    running = blockSum((i) => w(i) * closest[i]);
  }
  return { centers: centers.flat(), nearest, closest };
}

// integers make every distance exact (ties, duplicates); doubles are the general case
const points = fc
  .record({
    n: fc.integer({ min: 1, max: 60 }),
    d: fc.integer({ min: 1, max: 3 }),
    integers: fc.boolean(),
  })
  .chain(({ n, d, integers }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      values: fc.array(integers ? fc.integer({ min: -3, max: 3 }) : fc.double({ min: -10, max: 10, noNaN: true }), {
        minLength: n * d,
        maxLength: n * d,
      }),
      k: fc.integer({ min: 1, max: Math.min(n, 7) }),
      weights: fc.option(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n })),
      blockRows: fc.constantFrom(1, 3, 7, 4096),
      seed: fc.integer({ min: 0, max: 10_000 }),
    }),
  );

describe('k-means++ seeding', () => {
  it('equals a brute-force greedy k-means++ with per-row running sums, for any block size (property)', () => {
    fc.assert(
      fc.property(points, ({ n, d, values, k, weights, blockRows, seed }) => {
        const data = Float64Array.from(values);
        const w = weights && weights.some((v) => v > 0) ? Float64Array.from(weights) : undefined;
        const state = blockState(data, n, d, k, blockRows, w ? { weights: w } : {});
        const got = runInProcess(kmeansPlusPlusSteps(state, k, randomSource(seed)), state);
        const want = bruteSeeding(data, n, d, k, randomSource(seed), blockRows, w);
        expect(Array.from(got.centers)).toEqual(want.centers);
        expect(Array.from(got.nearest)).toEqual(want.nearest);
        expect(Array.from(got.closest)).toEqual(want.closest);
      }),
    );
  });

  it('kmeans (seeding and Lloyd sharing buffers, one best-labels buffer) equals seedings and runs on separate buffers (property)', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 3 }), ({ n, d, values, k, seed }, nInit) => {
        const data = Float64Array.from(values);
        const columns = Object.fromEntries(
          Array.from({ length: d }, (_, t) => [`x${t}`, Array.from({ length: n }, (_, i) => data[i * d + t])]),
        );
        const seg = kmeans(columns, { columns: Object.keys(columns), k, seed, nInit, standardize: 'none' });
        // bestOfRuns by hand: a master source, one source per run, each seeding into its own fresh arrays
        const master = randomSource(seed);
        const tolerance = 1e-4 * meanVarianceOf(data, n, d);
        let best: { inertia: number; labels: Int32Array; centers: Float64Array } | null = null;
        const runs: number[] = [];
        for (let r = 0; r < nInit; r++) {
          const fresh = {
            closest: new Float64Array(n),
            nearest: new Int32Array(n),
            labels: new Int32Array(n),
            upper: new Float64Array(n),
            lower: new Float64Array(n),
          };
          const seeding = kmeansPlusPlus(data, n, d, k, randomSource(master.uint32()), fresh);
          const run = hamerlyKMeans(data, n, d, seeding.centers, k, 300, tolerance, false, seeding);
          runs.push(run.inertia);
          if (best === null || run.inertia < best.inertia) best = run;
        }
        expect(seg.runs).toEqual(runs);
        expect(seg.inertia).toBe(best!.inertia);
        expect(Array.from(seg.labels)).toEqual(Array.from(best!.labels));
        expect(seg.scaledCentroids.flat()).toEqual(Array.from(best!.centers));
      }),
      { numRuns: 40 },
    );
  });
});

/** Mean per-feature variance (divisor n) around the first row, as `meanVariance` computes it for unscaled data. */
function meanVarianceOf(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let t = 0; t < d; t++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + t] - data[t];
      sum += v;
      squares += v * v;
    }
    total += Math.max(0, squares / n - (sum / n) ** 2);
  }
  return total / d;
}
