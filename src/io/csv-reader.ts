import type { RecordBatch } from 'apache-arrow';
import { CsvParser } from '../kernels/internal';
import type { CsvSettings } from '../kernels/internal';
import type { ByteSource } from './sources';

export { CsvParser };

const EMPTY = new Uint8Array(0);

/** RecordBatches of a CSV byte source. */
export async function* csvBatches(source: ByteSource, settings: CsvSettings): AsyncGenerator<RecordBatch> {
  const parser = new CsvParser(settings);
  for await (const chunk of source.chunks()) {
    parser.push(chunk, false);
    for (let b = parser.next(); b !== null; b = parser.next()) yield b;
  }
  parser.push(EMPTY, true);
  for (let b = parser.next(); b !== null; b = parser.next()) yield b;
}
