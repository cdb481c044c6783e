import { tableFromArrays } from 'apache-arrow';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { openParallel } from '../../src/parallel/open-parallel';
import { summarizeInParallel } from '../../src/parallel/summarize-in-parallel';
import { standIn } from './fixtures/names';
import { ClienteleError } from '../../src/table/errors';
import type { KeyedPartial } from './fixtures/stand-in';

// these tests hand the workers TypeScript stand-in modules: keep the tsx path (vitest.config.ts, worker-bundle.ts)
delete process.env.CLIENTELE_WORKER_BUNDLE;

const STAND_IN = new URL('./fixtures/stand-in.ts', import.meta.url).href;
const force = { minRowsPerWorker: 1, module: STAND_IN };

function table(rows: number) {
  const key = Array.from({ length: rows }, (_, i) => `k${(i * 7919) % 13}`);
  const value = Float64Array.from({ length: rows }, (_, i) => (i % 10) + 0.25);
  return tableFromArrays({ key, value });
}

describe('worker machinery (stand-in aggregates)', () => {
  it('splits into contiguous slices, one per thread, in order', async () => {
    const parts = await summarizeInParallel<{ threadId: number; rows: number; first: number }[]>(
      standIn('where'),
      tableFromArrays({ value: Float64Array.from({ length: 10 }, (_, i) => i) }),
      {},
      3,
      force,
    );
    expect(parts.map((p) => p.rows)).toEqual([3, 3, 4]);
    expect(parts.map((p) => p.first)).toEqual([0, 3, 6]);
    expect(new Set(parts.map((p) => p.threadId)).size).toBe(3);
    expect(parts.every((p) => p.threadId !== 0)).toBe(true); // main thread is 0
  });

  it('merges in slice order: keys in first appearance, counts and sums by brute force', async () => {
    const t = table(1000);
    const p = await summarizeInParallel<KeyedPartial>(standIn('keyed'), t, {}, 4, force);
    const keys: string[] = [];
    const count = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const k = t.getChild('key')!.get(i) as string;
      if (!count.has(k)) keys.push(k);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    expect(p.keys).toEqual(keys);
    expect(Array.from(p.count)).toEqual(keys.map((k) => count.get(k)));
    expect(p.rows).toBe(1000);
  });

  it('runs in-process for n = 1 and for tables below minRowsPerWorker', async () => {
    const where = await summarizeInParallel<{ threadId: number }[]>(standIn('where'), table(10), {}, 1, force);
    expect(where.map((w) => w.threadId)).toEqual([0]);
    const small = await summarizeInParallel<{ threadId: number }[]>(standIn('where'), table(10), {}, 4, {
      module: STAND_IN,
      minRowsPerWorker: 6,
    });
    expect(small.map((w) => w.threadId)).toEqual([0]);
  });

  it('returns a ClienteleError from a worker with its code, column and whole-table row', async () => {
    const value = Float64Array.from({ length: 100 }, () => 1);
    value[77] = -1;
    const t = tableFromArrays({ key: Array.from({ length: 100 }, () => 'a'), value });
    const error = await summarizeInParallel(standIn('rejectsNegative'), t, {}, 4, force).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClienteleError);
    expect(error).toMatchObject({ code: 'INVALID_VALUE', column: 'value', row: 77 });
    expect((error as Error).message).toBe('rejectsNegative: column "value" row 77 is negative; remove it');
  });

  it('reports the earliest failing slice when several fail', async () => {
    const value = Float64Array.from({ length: 100 }, (_, i) => (i === 30 || i === 80 ? -1 : 1));
    const t = tableFromArrays({ key: Array.from({ length: 100 }, () => 'a'), value });
    await expect(summarizeInParallel(standIn('rejectsNegative'), t, {}, 4, force)).rejects.toMatchObject({ row: 30 });
  });

  it('passes other errors through by name and message, and survives a thread that exits', async () => {
    await expect(summarizeInParallel(standIn('throwsPlain'), table(10), {}, 2, force)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'throwsPlain: not a ClienteleError',
    });
    await expect(summarizeInParallel(standIn('exits'), table(10), {}, 2, force)).rejects.toThrow(/exited \(code 3\)/);
    await expect(summarizeInParallel(standIn('unclonable'), table(10), {}, 2, force)).rejects.toThrow(
      /could not be cloned/,
    );
  });

  it('rejects bad n, unknown aggregates and options a thread cannot receive', async () => {
    for (const n of [0, 1.5, -1, 257, '2']) {
      await expect(summarizeInParallel(standIn('keyed'), table(10), {}, n as number, force)).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
    }
    await expect(summarizeInParallel(standIn('nope'), table(10), {}, 2, force)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(summarizeInParallel(standIn('keyed'), table(10), { f: () => 1 }, 2, force)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it("never detaches or changes the caller's buffers", async () => {
    const t = table(1000);
    const before = Array.from(t.getChild('value')!.toArray() as Float64Array);
    await summarizeInParallel(standIn('keyed'), t, {}, 3, force);
    expect(Array.from(t.getChild('value')!.toArray() as Float64Array)).toEqual(before);
    expect(t.getChild('key')!.get(999)).toBe(`k${(999 * 7919) % 13}`);
  });

  it('a session runs several aggregates on the slices it sent once, and rejects after close', async () => {
    const t = table(300);
    const session = await openParallel(t, 3, force);
    expect(session.workers).toBe(3);
    const a = await session.summarize<KeyedPartial>(standIn('keyed'), {});
    const b = await session.summarize<KeyedPartial>(standIn('keyed'), {});
    expect(b).toEqual(a);
    await session.close();
    await expect(session.summarize(standIn('keyed'), {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('packForTransfer', () => {
  it('transfers owned buffers, compacts views and kept buffers, leaves the input as it was', async () => {
    const { packForTransfer } = await import('../../src/parallel/protocol');
    const big = new Float64Array(100).map((_, i) => i);
    const kept = new Uint8Array(64).fill(7);
    const owned = new Int32Array([1, 2, 3]);
    const value = Object.freeze({
      a: big.subarray(10, 13),
      b: [owned, owned],
      c: kept.subarray(0, 64),
      d: new Map([['x', { e: 'text', f: 2 }]]),
    });
    const { value: packed, transfer } = packForTransfer(value, kept.buffer);
    const p = packed as typeof value;
    expect(Array.from(p.a)).toEqual([10, 11, 12]);
    expect(p.a.buffer.byteLength).toBe(24);
    expect(p.b[0]).toBe(owned);
    expect(p.b[1]).toBe(owned);
    expect(p.c.buffer).not.toBe(kept.buffer);
    expect(Array.from(p.c)).toEqual(Array.from(kept));
    expect(p.d.get('x')).toEqual({ e: 'text', f: 2 });
    expect(new Set(transfer)).toEqual(new Set([p.a.buffer, owned.buffer, p.c.buffer]));
    expect(transfer).toHaveLength(3);
    expect(value.a.buffer).toBe(big.buffer); // input untouched
    // the packed value posts with its transfer list
    const { port1, port2 } = new MessageChannel();
    const got = new Promise((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, transfer);
    expect(((await got) as typeof value).b[1][2]).toBe(3);
    expect(owned.byteLength).toBe(0); // transferred, not copied
    port1.close();
  });
});
