import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomerKernel } from '../../src/kernels/customer-kernel';
import type { CustomerColumns, KernelTuning } from '../../src/kernels/customer-kernel';
import { DropCounter } from '../../src/table/dropped';
import { NO_DATE } from '../../src/table/read-dates';

interface Rows {
  codes: Int32Array;
  days: Int32Array;
  amounts: Float64Array;
}

/** Statistics of `size` customers with no row yet. */
function emptyColumns(size: number) {
  return {
    count: new Int32Array(size),
    first: new Int32Array(size).fill(2147483647),
    last: new Int32Array(size).fill(-2147483648),
    sum: new Float64Array(size),
    compensation: new Float64Array(size),
    sumSquares: new Float64Array(size),
  };
}

/**
 * The brute-force reference: one customer at a time, its kept rows in row order, the Neumaier sum written out
 * (sum, compensation) — the statistics the kernel must give whatever its staging and partitioning.
 */
function reference(
  rows: Rows,
  size: number,
  latest: number,
  lowest: number,
): CustomerColumns & { drops: Record<string, number>; firstRows: Record<string, number> } {
  const out = {
    ...emptyColumns(size),
    drops: {} as Record<string, number>,
    firstRows: {} as Record<string, number>,
  };
  const n = rows.codes.length;
  for (let i = 0; i < n; i++) {
    const [c, d, a] = [rows.codes[i], rows.days[i], rows.amounts[i]];
    const reason =
      c < 0
        ? 'nullCustomer'
        : d === NO_DATE
          ? 'invalidDate'
          : Number.isNaN(a)
            ? 'invalidAmount'
            : d > latest
              ? 'afterAsOf'
              : a < lowest
                ? 'negativeAmount'
                : null;
    if (reason !== null) {
      out.drops[reason] = (out.drops[reason] ?? 0) + 1;
      out.firstRows[reason] ??= i;
    }
  }
  for (let c = 0; c < size; c++) {
    let s = 0;
    let comp = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const [d, a] = [rows.days[i], rows.amounts[i]];
      if (rows.codes[i] !== c || d === NO_DATE || Number.isNaN(a) || d > latest || a < lowest) continue;
      out.count[c]++;
      out.first[c] = Math.min(out.first[c], d);
      out.last[c] = Math.max(out.last[c], d);
      const t = s + a;
      comp += Math.abs(s) >= Math.abs(a) ? s - t + a : a - t + s;
      s = t;
      sq += a * a;
    }
    out.sum[c] = s;
    out.compensation[c] = comp;
    out.sumSquares[c] = sq;
  }
  return out;
}

function expectSameColumns(got: CustomerColumns, want: CustomerColumns): void {
  for (const key of ['count', 'first', 'last', 'sum', 'compensation', 'sumSquares'] as const) {
    // the first difference only: a diff of 200,000-element arrays would take minutes to print
    const at = want[key].findIndex((v, c) => !Object.is(v, got[key][c]));
    expect(at === -1 ? null : { key, customer: at, got: got[key][at], want: want[key][at] }).toBeNull();
    expect(got[key].length).toBe(want[key].length);
  }
}

/** Rows from the generator, added in pieces of the given sizes. */
function runKernel(rows: Rows, size: number, latest: number, lowest: number, pieces: number[], tuning?: KernelTuning) {
  const kernel = new CustomerKernel(latest, lowest, 0, tuning);
  const counts: Record<string, number> = {};
  const firstRows: Record<string, number> = {};
  let at = 0;
  for (const piece of [...pieces, rows.codes.length]) {
    const end = Math.min(rows.codes.length, at + piece);
    // a stream meets its customers batch by batch: the kernel grows to the largest id seen so far
    let top = 0;
    for (let i = 0; i < end; i++) top = Math.max(top, rows.codes[i] + 1);
    kernel.reserve(Math.min(size, top));
    const batchDrops = new DropCounter();
    kernel.add(
      rows.codes.subarray(at, end),
      rows.days.subarray(at, end),
      rows.amounts.subarray(at, end),
      end - at,
      batchDrops,
    );
    for (const [reason, k] of Object.entries(batchDrops.counts)) {
      counts[reason] = (counts[reason] ?? 0) + k!;
      firstRows[reason] ??= at + batchDrops.first[reason as keyof typeof batchDrops.first]!;
    }
    at = end;
    if (at === rows.codes.length) break;
  }
  kernel.reserve(size);
  return { columns: kernel.columns(), counts, firstRows, maxDay: kernel.maxDay };
}

const rowsArb = (customers: number) =>
  fc
    .array(
      fc.record({
        c: fc.oneof(
          { weight: 12, arbitrary: fc.integer({ min: 0, max: customers - 1 }) },
          { weight: 1, arbitrary: fc.constant(-1) },
        ),
        d: fc.oneof(
          { weight: 12, arbitrary: fc.integer({ min: 19000, max: 19100 }) },
          { weight: 1, arbitrary: fc.constant(NO_DATE) },
        ),
        // amounts with many digits, so that summation order shows in the last bits
        a: fc.oneof(
          { weight: 12, arbitrary: fc.double({ min: -50, max: 1e6, noNaN: true }) },
          { weight: 1, arbitrary: fc.constant(Number.NaN) },
        ),
      }),
      { minLength: 1, maxLength: 400 },
    )
    .map((list) => {
      // ids in order of first appearance, as readKeys gives them
      const remap = new Map<number, number>();
      const codes = Int32Array.from(list, (r) =>
        r.c < 0 ? -1 : (remap.get(r.c) ?? (remap.set(r.c, remap.size), remap.size - 1)),
      );
      return {
        rows: { codes, days: Int32Array.from(list, (r) => r.d), amounts: Float64Array.from(list, (r) => r.a) },
        size: remap.size,
      };
    });

describe('CustomerKernel (the per-customer aggregation behind customerSummary and rfm)', () => {
  it('equals a customer-by-customer brute force bit for bit, whatever the staging, partitioning and batch cuts (property)', () => {
    fc.assert(
      fc.property(
        rowsArb(60),
        fc
          .record({
            stage: fc.integer({ min: 1, max: 64 }),
            growth: fc.integer({ min: 1, max: 4 }),
            partBits: fc.integer({ min: 0, max: 4 }),
            maxParts: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
            partitionFrom: fc.integer({ min: 0, max: 80 }),
          })
          .map(({ growth, ...t }) => ({ ...t, maxStage: t.stage * growth })),
        fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }),
        fc.option(fc.integer({ min: 19000, max: 19100 }), { nil: undefined }),
        fc.boolean(),
        ({ rows, size }, tuning, pieces, asOf, exclude) => {
          const latest = asOf ?? 2147483647;
          const lowest = exclude ? 0 : -Infinity;
          const want = reference(rows, size, latest, lowest);
          const got = runKernel(rows, size, latest, lowest, pieces, tuning);
          expectSameColumns(got.columns, want);
          expect(got.counts).toEqual(want.drops);
          expect(got.firstRows).toEqual(want.firstRows);
          let maxDay = -2147483648;
          for (let c = 0; c < size; c++) if (want.count[c] > 0) maxDay = Math.max(maxDay, want.last[c]);
          expect(got.maxDay).toBe(maxDay);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with the default tuning, partitions 200,000 customers over 2.5M rows (two stage flushes) and equals the direct sums', () => {
    const size = 200_000;
    const n = 2_500_000;
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const rows = { codes: new Int32Array(n), days: new Int32Array(n), amounts: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      rows.codes[i] = i < size ? i : Math.floor(next() * size); // every customer appears, in id order first
      rows.days[i] = 19000 + Math.floor(next() * 700);
      rows.amounts[i] = Math.round(next() * 1e6) / 100;
    }
    // the direct reference in one pass (the brute force above is quadratic): same per-customer order of additions
    const want = emptyColumns(size);
    for (let i = 0; i < n; i++) {
      const c = rows.codes[i];
      const d = rows.days[i];
      const a = rows.amounts[i];
      want.count[c]++;
      want.first[c] = Math.min(want.first[c], d);
      want.last[c] = Math.max(want.last[c], d);
      const s = want.sum[c];
      const t = s + a;
      want.compensation[c] += Math.abs(s) >= Math.abs(a) ? s - t + a : a - t + s;
      want.sum[c] = t;
      want.sumSquares[c] += a * a;
    }
    const kernel = new CustomerKernel(2147483647, -Infinity, size);
    kernel.add(rows.codes, rows.days, rows.amounts, n, new DropCounter());
    expectSameColumns(kernel.columns(), want);
  });
});
