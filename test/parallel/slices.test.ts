import { tableFromIPC, vectorFromArray, Dictionary, Int32, Utf8, DateDay, Float64, Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sliceBounds, sliceBytes } from '../../src/parallel/slices';

describe('slices', () => {
  it('sliceBounds cuts rows into n contiguous slices whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), (rows, n) => {
        const b = sliceBounds(rows, n);
        expect(b).toHaveLength(n + 1);
        expect(b[0]).toBe(0);
        expect(b[n]).toBe(rows);
        const sizes = b.slice(1).map((x, i) => x - b[i]);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('sliceBytes round-trips every cell of any slice (nulls, dictionaries, dates, several batches) in a buffer of its own', () => {
    const cell = fc.option(fc.integer({ min: -5, max: 5 }), { nil: null, freq: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.nat(),
        (rows, chunks, x, y) => {
          const columns = (part: typeof rows) => ({
            key: vectorFromArray(
              part.map((r) => (r[0] === null ? null : `k${r[0]}`)),
              new Dictionary(new Utf8(), new Int32()),
            ),
            text: vectorFromArray(
              part.map((r) => (r[0] === null ? null : `t${r[0]}`)),
              new Utf8(),
            ),
            day: vectorFromArray(
              part.map((r) => (r[1] === null ? null : new Date(86_400_000 * (19_000 + r[1])))),
              new DateDay(),
            ),
            value: vectorFromArray(
              part.map((r) => (r[2] === null ? null : r[2] / 4)),
              new Float64(),
            ),
          });
          // a table of several record batches, as read from a stream
          const cuts = sliceBounds(rows.length, Math.min(chunks, rows.length));
          const whole = new Table(columns(rows));
          const table = new Table(cuts.slice(1).flatMap((end, i) => whole.slice(cuts[i], end).batches));
          expect(table.batches.length).toBe(cuts.length - 1);
          const begin = x % (rows.length + 1);
          const end = begin + (y % (rows.length - begin + 1));
          const bytes = sliceBytes(table, begin, end);
          expect(bytes.byteOffset).toBe(0);
          expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
          const back = tableFromIPC(bytes);
          expect(back.numRows).toBe(end - begin);
          for (const name of ['key', 'text', 'day', 'value'] as const) {
            const got = Array.from({ length: back.numRows }, (_, i) => back.getChild(name)!.get(i));
            const want = Array.from({ length: end - begin }, (_, i) => table.getChild(name)!.get(begin + i));
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
