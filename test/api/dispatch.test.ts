import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { abc } from '../../src/api/abc';
import { baskets, frequentItemsets } from '../../src/api/basket';
import { customerSummary, rfm } from '../../src/api/rfm';
import { kmeans } from '../../src/api/segment';
import { basketLists } from '../../src/basket/baskets';
import { sampleStore } from '../../src/sample/sample-store';
import { asTable } from '../../src/table/as-table';
import { isClienteleError } from '../../src/table/errors';
import { expectSameTable } from '../parallel/helpers';

/**
 * The public functions of src/api/ choose how to run — the analysis of a table on the calling thread, a stream of
 * record batches, or worker threads — and each way must give the table's result. The oracle is the table call; the
 * stream is the same table cut into batches of 97 rows (cuts fall inside customers and baskets).
 */
const store = sampleStore({ customers: 150, seed: 3 });
const tx = store.transactions;

async function* batchesOf(table: Table, rows = 97) {
  for (let at = 0; at < table.numRows; at += rows) yield* table.slice(at, at + rows).batches;
}

/** The code of the ClienteleError a call throws synchronously, or 'no throw'. */
function thrownCode(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isClienteleError(e) ? e.code : e;
  }
  return 'no throw';
}

describe('api: one public function, three ways to run, one result', () => {
  it('customerSummary and rfm: a table gives a table at once; a stream and parallel: 1 give a promise of the same table', async () => {
    const summary = customerSummary(tx);
    expect(summary).not.toBeInstanceOf(Promise);
    expectSameTable(await customerSummary(batchesOf(tx)), summary);
    expectSameTable(await customerSummary(tx, { parallel: 1 }), summary);
    const scored = rfm(tx, { bins: 4 });
    expectSameTable(await rfm(batchesOf(tx), { bins: 4 }), scored);
    expectSameTable(await rfm(tx, { bins: 4, parallel: 1 }), scored);
  });

  it('abc: a stream gives the table result', async () => {
    const options = { key: 'customer', value: 'amount' };
    expectSameTable(await abc(batchesOf(tx), options), abc(tx, options));
  });

  it('baskets and frequentItemsets: a stream and threads give the table result', async () => {
    const items = store.basketItems;
    const b = baskets(items);
    expect(basketLists(await baskets(batchesOf(items)))).toEqual(basketLists(b));
    const sets = frequentItemsets(b, { minSupport: 0.02 });
    const threaded = await frequentItemsets(b, { minSupport: 0.02, parallel: 1 });
    const rows = (t: Table) => t.toArray().map((r) => [r.items.toArray().join('+'), r.count]);
    expect(rows(threaded)).toEqual(rows(sets));
    expect(threaded.numRows).toBeGreaterThan(10);
  });

  it('kmeans: a stream and parallel: 1 give the same segmentation', async () => {
    const features = asTable({ x: Array.from({ length: 300 }, (_, i) => (i % 3) * 10 + (i % 7) / 7) });
    const seg = kmeans(features, { columns: ['x'], k: 3, seed: 2 });
    for (const other of [
      await kmeans(batchesOf(features), { columns: ['x'], k: 3, seed: 2 }),
      await kmeans(features, { columns: ['x'], k: 3, seed: 2, parallel: 1 }),
    ]) {
      expect(Array.from(other.labels)).toEqual(Array.from(seg.labels));
      expect(other.inertia).toBe(seg.inertia);
    }
  });

  it('a bad option throws at once for a stream too, before a batch is read', () => {
    let read = 0;
    const counted = (async function* () {
      read++;
      yield* tx.batches;
    })();
    expect(thrownCode(() => rfm(counted, { bins: 1 }))).toBe('INVALID_OPTION');
    expect(thrownCode(() => abc(counted, { cutoffs: [0.9, 0.5] }))).toBe('INVALID_OPTION');
    expect(thrownCode(() => baskets(counted, { context: 'day' as never }))).toBe('INVALID_OPTION');
    expect(read).toBe(0);
  });
});
