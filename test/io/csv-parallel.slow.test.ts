import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/io/index';
import { rejection } from './helpers';

/**
 * readTable with `parallel: 2` on real worker threads against the one-thread read of the same file (the source of
 * truth): a 2.7 MB file, so that it is cut into three ranges of 1 MiB, with quoted fields holding line breaks,
 * delimiters and doubled quotes across the range boundaries.
 */

const dir = mkdtempSync(join(tmpdir(), 'clientele-csv-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function transactions(rows: number, bad?: number): string {
  const lines = ['customer,date,amount,note,ok'];
  for (let i = 0; i < rows; i++) {
    const note = i % 7 === 0 ? '' : i % 5 === 0 ? `"line ${i}\nsays ""hi"", then"` : `n${i}`;
    const amount = i === bad ? 'oops' : i % 11 === 0 ? '' : ((i * 37) % 10007) / 100;
    lines.push(
      `C${i % 1013},2024-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 9)},${amount},${note},${i % 3 === 0}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('readTable parallel on worker threads', () => {
  it('gives the one-thread table: schema, batches, null counts, every value', async () => {
    const file = join(dir, 'tx.csv');
    writeFileSync(file, transactions(60_000));
    const one = await readTable(file);
    const two = await readTable(file, { parallel: 2, batchSize: 30_000 });
    const oneSameBatches = await readTable(file, { batchSize: 30_000 });
    expect(String(two.schema)).toBe(String(one.schema));
    expect(two.batches.map((b) => b.numRows)).toEqual(oneSameBatches.batches.map((b) => b.numRows));
    for (const f of one.schema.fields) {
      const a = one.getChild(f.name)!;
      const b = two.getChild(f.name)!;
      expect(b.nullCount).toBe(a.nullCount);
      expect(JSON.stringify(Array.from(b, String))).toBe(JSON.stringify(Array.from(a, String)));
    }
  });

  it('reports an error far into the file exactly as one thread does (code, message with its line, column, row)', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, transactions(60_000, 55_001));
    const one = await rejection(() => readTable(file));
    const two = await rejection(() => readTable(file, { parallel: 2 }));
    expect(one.code).toBe('INVALID_VALUE');
    expect(two).toEqual(one);
  });
});
