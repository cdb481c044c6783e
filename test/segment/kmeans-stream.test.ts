import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int32, RecordBatchReader, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatches } from '../../src/io/read-batches';
import { randomSource } from '../../src/math/random';
import { kmeans } from '../../src/api/segment';
import type { KMeansOptions, Segmentation } from '../../src/segment/kmeans';
import { expectSameSegmentation } from '../helpers/segmentation';
import { batchStream, pieceSizes, slices } from '../stream/helpers';

/**
 * `kmeans(AsyncIterable<RecordBatch>)` must equal `kmeans(wholeTable)` to the last bit, whatever the batch split;
 * the reference is the whole-table call in the same test, numbers compared with `Object.is`.
 */

const dir = mkdtempSync(join(tmpdir(), 'clientele-kmeans-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { value: Segmentation } | { error: { code: unknown; row: unknown; column: unknown } };
async function outcome(f: () => Segmentation | Promise<Segmentation>): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (e) {
    const { code, row, column } = e as { code?: unknown; row?: unknown; column?: unknown };
    return { error: { code, row, column } };
  }
}
function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  if ('error' in expected) expect(actual).toEqual(expected);
  else {
    expect('value' in actual ? 'value' : actual.error).toBe('value');
    expectSameSegmentation((actual as { value: Segmentation }).value, expected.value);
  }
}

/** A table of features: a Float64 column with nulls and NaN, an Int32 column with nulls, and a text column kmeans never reads. */
function featureTable(a: (number | null)[], b: (number | null)[]): Table {
  return new Table({
    a: vectorFromArray(a, new Float64()),
    b: vectorFromArray(
      b.map((v) => (v === null || !Number.isFinite(v) ? null : Math.round(v))),
      new Int32(),
    ),
    note: vectorFromArray(
      a.map((_, i) => `row ${i}`),
      new Utf8(),
    ),
  });
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN) },
);
const data = fc
  .integer({ min: 0, max: 120 })
  .chain((rows) =>
    fc.tuple(
      fc.array(cell, { minLength: rows, maxLength: rows }),
      fc.array(cell, { minLength: rows, maxLength: rows }),
    ),
  );
const fitOptions = fc.record({
  columns: fc.constantFrom(['a'], ['b'], ['a', 'b'], ['b', 'a']),
  k: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 10_000 }),
  nInit: fc.integer({ min: 1, max: 3 }),
  standardize: fc.constantFrom('zscore' as const, 'minmax' as const, 'none' as const),
  init: fc.constantFrom('k-means++' as const, 'random' as const),
});

describe('kmeans over a stream of record batches', () => {
  it('property: random batch splits (empty and one-row batches included) give the whole-table result, predict included', async () => {
    await fc.assert(
      fc.asyncProperty(data, fitOptions, pieceSizes, async ([a, b], options, sizes) => {
        const table = featureTable(a, b);
        const whole = await outcome(() => kmeans(table, options));
        const streamed = await outcome(() =>
          kmeans(batchStream(slices(table, sizes)) as AsyncIterable<RecordBatch>, options),
        );
        expectSameOutcome(streamed, whole);
        if ('value' in streamed && 'value' in whole) {
          expect(Array.from(streamed.value.predict(table))).toEqual(Array.from(whole.value.predict(table)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('an Arrow IPC stream from a file (readBatches and RecordBatchReader) gives the whole-table result', async () => {
    const rng = randomSource(21);
    const n = 5000;
    const a = Array.from({ length: n }, (_, i) => (i % 211 === 5 ? null : rng.normal() * 3 + (i % 3) * 4));
    const b = Array.from({ length: n }, () => Math.floor(rng.uniform() * 50));
    const table = featureTable(a, b);
    const stored = new Table(
      Array.from({ length: Math.ceil(n / 333) }, (_, j) => table.slice(j * 333, (j + 1) * 333).batches).flat(),
    );
    expect(stored.batches.length).toBeGreaterThan(10);
    const path = join(dir, 'points.arrows');
    writeFileSync(path, tableToIPC(stored, 'stream'));
    const options: KMeansOptions = { columns: ['a', 'b'], k: 5, seed: 8, nInit: 2 };
    const whole = kmeans(table, options);
    expect(whole.rows.dropped.invalidValue).toBe(24);
    expectSameSegmentation(await kmeans(readBatches(path), options), whole);
    const reader = await RecordBatchReader.from(createReadStream(path));
    expectSameSegmentation(await kmeans(reader as AsyncIterable<RecordBatch>, options), whole);
  });

  it('a stream on worker threads equals the whole table in one thread', async () => {
    const rng = randomSource(5);
    const n = 9000; // three blocks of 4096 rows
    const table = featureTable(
      Array.from({ length: n }, () => rng.normal()),
      Array.from({ length: n }, () => rng.int(7)),
    );
    const options: KMeansOptions = { columns: ['a', 'b'], k: 4, seed: 2, nInit: 1 };
    const batches = Array.from({ length: 7 }, (_, j) => table.slice(j * 1300, (j + 1) * 1300));
    const streamed = await kmeans(batchStream(batches) as AsyncIterable<RecordBatch>, {
      ...options,
      parallel: 2,
      minRowsPerWorker: 1,
    });
    expectSameSegmentation(streamed, kmeans(table, options));
  });

  it('rejects with the errors of the whole-table call, rows counted from the start of the stream', async () => {
    const text = new Table({
      x: vectorFromArray([1, 2, 3, 4, 5, 6], new Float64()),
      name: vectorFromArray([null, null, null, null, 'e', 'f'], new Utf8()),
    });
    const parts = [text.slice(0, 4), text.slice(4)];
    const cases: KMeansOptions[] = [
      { columns: ['x', 'missing'], k: 2 },
      { columns: ['x'], k: 7 },
      { columns: ['x'], k: 0 },
      { columns: ['x'], k: 2, nInit: -1 },
    ];
    for (const options of cases) {
      const whole = await outcome(() => kmeans(text, options));
      expect(whole).toHaveProperty('error');
      const promise = kmeans(batchStream(parts) as AsyncIterable<RecordBatch>, options);
      expect(promise).toBeInstanceOf(Promise); // a rejection, not a synchronous throw
      expect(await outcome(() => promise)).toEqual(whole);
    }
    // the text column's first value sits in the second batch: the whole table names row 4, so must the stream
    const typed = await outcome(() =>
      kmeans(batchStream([text.slice(4), text.slice(4)]) as AsyncIterable<RecordBatch>, {
        columns: ['x', 'name'],
        k: 1,
      }),
    );
    expect(typed).toEqual({ error: { code: 'INVALID_TYPE', row: 0, column: 'name' } });
    const shifted = await outcome(() =>
      kmeans(batchStream([text.slice(0, 3), text.slice(3)]) as AsyncIterable<RecordBatch>, { columns: ['name'], k: 1 }),
    );
    expect(shifted).toEqual({ error: { code: 'INVALID_TYPE', row: 4, column: 'name' } });
    expect(shifted).toEqual(await outcome(() => kmeans(text, { columns: ['name'], k: 1 })));
    // an empty stream is an empty table
    expect(
      await outcome(() => kmeans(batchStream([]) as AsyncIterable<RecordBatch>, { columns: ['x'], k: 1 })),
    ).toEqual({ error: { code: 'EMPTY_INPUT', row: undefined, column: undefined } });
  });
});
