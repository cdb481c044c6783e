import { describe, expect, it } from 'vitest';
import { customerSummary } from '../../src/api/rfm';
import { rfm } from '../../src/api/rfm';
import { sampleStore } from '../../src/sample/sample-store';
import { expectSameTable } from './helpers';
import { expectCode } from '../helpers/errors';

describe('rfm and customerSummary with parallel: n equal the single-thread run', () => {
  const tx = sampleStore({ customers: 2000, seed: 11 }).transactions;

  it('rfm(tx, { parallel: n }): scores, segments, breaks and drop report exactly, n = 2, 3', async () => {
    const single = rfm(tx, { asOf: '2024-06-30', returns: 'exclude' });
    for (const n of [2, 3])
      expectSameTable(
        await rfm(tx, { asOf: '2024-06-30', returns: 'exclude', parallel: n, minRowsPerWorker: 1 }),
        single,
      );
  });

  it('customerSummary(tx, { parallel: 2 }) exactly', async () => {
    expectSameTable(await customerSummary(tx, { parallel: 2, minRowsPerWorker: 1 }), customerSummary(tx));
  });

  it('a small table runs on the calling thread with the same result (default minRowsPerWorker)', async () => {
    expectSameTable(await rfm(tx, { parallel: 2 }), rfm(tx));
  });

  it('a bad option is the same ClienteleError as on one thread', async () => {
    expectCode(() => rfm(tx, { bins: 1 }), 'INVALID_OPTION', 'bins');
    await expect(rfm(tx, { bins: 1, parallel: 2, minRowsPerWorker: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(rfm(tx, { parallel: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
