/**
 * The basket-file reader on the FIMI files, against the figures the FIMI repository publishes (retail.dat, Brijs et
 * al. 1999: 88,162 transactions, 16,470 items) and an independent reading with split (basket-reference.ts); and on
 * a file of several 4 MiB read chunks, so that lines cut by a chunk seam are checked. Slow project: it reads and
 * compares about two million rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baskets } from '../../src/api/basket';
import { formatFromPath, readTable } from '../../src/io/index';
import { dataset } from '../helpers/datasets';
import { itemFrequency, pairsText, referenceText, tableFrequency } from './basket-reference';

const dir = mkdtempSync(path.join(tmpdir(), 'clientele-basket-slow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('basket files: the FIMI files', () => {
  it('retail.dat (FIMI): 88,162 baskets and 16,470 items (FIMI repository), the .dat extension read as baskets', async () => {
    // its baskets, one by one, equal the split reading in test/conformance/baskets.test.ts, and its whole long table
    // equals the reference in the chunk-seam test below (retail.dat is the first part of that file)
    const file = dataset('retail.dat');
    expect(formatFromPath(file)).toBe('basket');
    const table = await readTable(file);
    expect(table.schema.metadata.get('clientele.baskets')).toBe('88162');
    expect(table.schema.metadata.get('clientele.items')).toBe('16470');
    expect(baskets(table).count).toBe(88162);
    expect(tableFrequency(table)).toEqual(itemFrequency(readFileSync(file, 'utf8'), ' '));
  });

  it('a file of several 4 MiB chunks (retail.dat then T10I4D100K.dat, 8 MB) reads as the split reference: lines cut by a chunk seam are joined', async () => {
    const text = readFileSync(dataset('retail.dat'), 'utf8') + readFileSync(dataset('T10I4D100K.dat'), 'utf8');
    expect(text.length).toBeGreaterThan(2 * (4 << 20) - (1 << 20));
    const file = path.join(dir, 'both.dat');
    writeFileSync(file, text);
    const table = await readTable(file, { batchSize: Infinity });
    expect(table.schema.metadata.get('clientele.baskets')).toBe(String(88162 + 100000));
    expect(pairsText(table) === referenceText(text, 'whitespace')).toBe(true);
  });
});
