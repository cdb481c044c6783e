import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asTable } from '../../src/table/as-table';
import { chooseK, kmeans } from '../../src/api/segment';
import { randomSource } from '../../src/math/random';
import { expectCode } from '../helpers/errors';

/** n points around three centres in the plane, with Gaussian noise, seeded. */
function points(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = randomSource(seed);
  const centres = [
    [0, 0],
    [5, 1],
    [2, 6],
  ];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 3];
    x[i] = c[0] + rng.normal();
    y[i] = c[1] + rng.normal();
  }
  return { x, y };
}

/** Records every call of an onProgress callback as the fraction done / total. */
function recorder(): { onProgress: (done: number, total: number) => void; fractions: number[] } {
  const fractions: number[] = [];
  return { fractions, onProgress: (done, total) => fractions.push(done / total) };
}

/** The checks every progress sequence must pass: in [0, 1], never going back, ending at exactly 1. */
function expectProgress(fractions: readonly number[]): void {
  expect(fractions.length).toBeGreaterThan(2);
  for (let i = 0; i < fractions.length; i++) {
    expect(fractions[i]).toBeGreaterThanOrEqual(0);
    expect(fractions[i]).toBeLessThanOrEqual(1);
    if (i > 0) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
  }
  expect(fractions.at(-1)).toBe(1);
}

describe('kmeans onProgress', () => {
  it('gives the same segmentation with and without the callback, bit for bit', () => {
    const data = points(3000, 7);
    const options = { columns: ['x', 'y'], k: 3, seed: 4, nInit: 5 };
    const plain = kmeans(data, options);
    const r = recorder();
    const watched = kmeans(data, { ...options, onProgress: r.onProgress });
    expect(Array.from(watched.labels)).toEqual(Array.from(plain.labels));
    expect(watched.inertia).toBe(plain.inertia);
    expect(watched.centroids).toEqual(plain.centroids);
    expect(watched.runs).toEqual(plain.runs);
    expectProgress(r.fractions);
  });

  it('reports within every run, not only between runs (more calls than runs, values strictly between run ends)', () => {
    const r = recorder();
    kmeans(points(2000, 3), { columns: ['x', 'y'], k: 4, seed: 1, nInit: 2, onProgress: r.onProgress });
    // run ends at 0, 1/2 and 1; a pass inside the first run lies strictly between 0 and 1/2
    expect(r.fractions.some((f) => f > 0 && f < 0.5)).toBe(true);
    expect(r.fractions.some((f) => f > 0.5 && f < 1)).toBe(true);
    expect(r.fractions).toContain(0.5);
  });

  it('property: for any seed, k and nInit the fractions are non-decreasing, end at 1 and leave the result unchanged', () => {
    const data = points(600, 11);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (seed, k, nInit) => {
          const options = { columns: ['x', 'y'], k, seed, nInit };
          const r = recorder();
          const watched = kmeans(data, { ...options, onProgress: r.onProgress });
          const plain = kmeans(data, options);
          expectProgress(r.fractions);
          expect(Array.from(watched.labels)).toEqual(Array.from(plain.labels));
          expect(watched.inertia).toBe(plain.inertia);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the stream form reports too and equals the whole-table fit', async () => {
    const data = points(1500, 5);
    const options = { columns: ['x', 'y'], k: 3, seed: 2, nInit: 3 };
    const r = recorder();
    const batches = (async function* () {
      yield* asTable(data).batches;
    })();
    const streamed = await kmeans(batches, { ...options, onProgress: r.onProgress });
    expect(Array.from(streamed.labels)).toEqual(Array.from(kmeans(data, options).labels));
    expectProgress(r.fractions);
  });

  it('refuses an onProgress that is not a function (INVALID_OPTION)', () => {
    expectCode(
      () => kmeans(points(30, 1), { columns: ['x', 'y'], k: 2, onProgress: 5 as never }),
      'INVALID_OPTION',
      'onProgress',
    );
  });
});

describe('chooseK onProgress', () => {
  it('gives the same scores and choice with and without the callback; fractions non-decreasing to 1', () => {
    const data = points(1200, 9);
    const options = { columns: ['x', 'y'], kRange: [2, 5] as const, seed: 3, nInit: 3 };
    const plain = chooseK(data, options);
    const r = recorder();
    const watched = chooseK(data, { ...options, onProgress: r.onProgress });
    expect(watched.k).toBe(plain.k);
    expect(watched.reason).toBe(plain.reason);
    expect(watched.scores.toArray().map((row) => row.toJSON())).toEqual(
      plain.scores.toArray().map((row) => row.toJSON()),
    );
    expectProgress(r.fractions);
    // each of the 4 values of k ends at its quarter
    for (const q of [0.25, 0.5, 0.75]) expect(r.fractions).toContain(q);
  });
});
