import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { abc, customerSummary, droppedRows, readBatches, rfm, sampleStore } from '../../src/index';
import { expectSameTable } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'clientele-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyses over an Arrow IPC file read by readBatches', () => {
  // the sample store's transactions, stored as many record batches (a customer's rows fall in several batches)
  const tx = sampleStore({ customers: 400, seed: 7 }).transactions;
  const batches = Array.from(
    { length: Math.ceil(tx.numRows / 257) },
    (_, k) => tx.slice(k * 257, (k + 1) * 257).batches,
  ).flat();
  const stored = new Table(batches);

  for (const format of ['stream', 'file'] as const) {
    it(`customerSummary, rfm and abc equal the whole-table results (IPC ${format}, ${batches.length} batches)`, async () => {
      const path = join(dir, `tx.${format === 'file' ? 'arrow' : 'arrows'}`);
      writeFileSync(path, tableToIPC(stored, format));
      let seen = 0;
      for await (const batch of readBatches(path)) seen += batch.numRows;
      expect(seen).toBe(tx.numRows);
      const summary = await customerSummary(readBatches(path));
      expectSameTable(summary, customerSummary(tx), 1e-12);
      expect(droppedRows(summary)).toEqual(droppedRows(customerSummary(tx)));
      expectSameTable(await rfm(readBatches(path), { asOf: '2025-01-01' }), rfm(tx, { asOf: '2025-01-01' }), 1e-12);
      expectSameTable(await abc(readBatches(path)), abc(tx), 1e-12);
    });
  }
});
