import { describe, expect, it } from 'vitest';
import { asTable, rfm } from '../../src/index';
import { col } from '../helpers/reference';

/** danfo.js is an optional peer: asTable reads its DataFrame by shape. Tested against the real danfojs@1.1.2. */
describe('danfo.js DataFrame input', async () => {
  const dfd = await import('danfojs').catch(() => null);
  it.skipIf(!dfd)('asTable reads a real danfo DataFrame column by column', () => {
    const df = new dfd!.DataFrame({
      customer: ['a', 'b', 'a'],
      date: ['2024-01-01', '2024-01-05', '2024-02-01'],
      amount: [10, 20.5, 30],
    });
    const table = asTable(df);
    expect(table.numRows).toBe(3);
    expect(col(table, 'amount')).toEqual([10, 20.5, 30]);
    expect(col(table, 'customer')).toEqual(['a', 'b', 'a']);
    const scored = rfm(df, { asOf: '2024-03-01' });
    expect(col(scored, 'customer')).toEqual(['a', 'b']);
    expect(col(scored, 'frequency')).toEqual([2, 1]);
    expect(col(scored, 'monetary')).toEqual([40, 20.5]);
  });
});
