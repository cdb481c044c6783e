import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBatches, readTable, tableToBytes } from '../../src/io/index';
import type { FileFormat } from '../../src/io/index';
import { dataset } from '../helpers/datasets';
import { onlyClienteleErrorsAsync } from './helpers';

/**
 * Fuzzers of the readers (issue 15, classes 5 and 9): random bytes, and real files mutated (bit flips, truncations,
 * splices, inserted bytes) into every reader and format, whole (readTable) and streamed (readBatches). The only
 * exception allowed out is a ClienteleError; inputs are bounded (a few KiB) so that every run is fast. fast-check's
 * default of 100 runs per property on the fixed seed (test/setup/fast-check.ts); `npm run test:fuzz` draws fresh
 * seeds and runs more.
 */

const FORMATS: readonly FileFormat[] = ['csv', 'json', 'jsonl', 'arrow', 'arrows', 'parquet'];

/** Reads `bytes` as `format` both ways; a returned table must have as many rows both ways. */
async function readBothWays(bytes: Uint8Array, format: FileFormat | undefined): Promise<void> {
  const copy = bytes.slice();
  let whole: number | undefined;
  let streamed: number | undefined;
  await onlyClienteleErrorsAsync(async () => {
    whole = (await readTable(bytes, { format, maxRecordBytes: 1 << 16 })).numRows;
  });
  await onlyClienteleErrorsAsync(async () => {
    let rows = 0;
    for await (const batch of readBatches(bytes, { format, batchSize: 7, maxRecordBytes: 1 << 16 }))
      rows += batch.numRows;
    streamed = rows;
  });
  if (whole !== undefined && streamed !== undefined) expect(streamed).toBe(whole);
  expect(Buffer.compare(Buffer.from(copy), Buffer.from(bytes)), 'the input bytes were changed').toBe(0);
}

/** The seeds of the mutation fuzzer: real files in every format, a few KiB each. */
const seeds = new Map<FileFormat, Uint8Array>();

beforeAll(async () => {
  // the first 60 lines of a public dataset (datasets/README.md), as published
  const retail = readFileSync(dataset('online_retail_sample.csv'), 'utf8').split('\n').slice(0, 60).join('\n');
  const table = await readTable(new TextEncoder().encode(`${retail}\n`));
  for (const format of FORMATS) seeds.set(format, await tableToBytes(table, format));
});

/** One mutation of a seed file: flip bits, cut, insert bytes, or splice two seeds. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.constantFrom(...FORMATS), start: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (out.length > 0) out[at % out.length] ^= m.bits;
      return out;
    }
    case 'cut':
      return bytes.slice(0, at);
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case 'splice': {
      const other = seeds.get(m.from)!;
      const start = m.start % (other.length + 1);
      return new Uint8Array([...bytes.subarray(0, at), ...other.subarray(start, start + 512)]);
    }
    default: {
      const never: never = m;
      return never;
    }
  }
}

describe('class 9: fuzzing the readers: only ClienteleError comes out', () => {
  it('class 9: random bytes into every reader and format (and sniffed) give a table or a ClienteleError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom<FileFormat | undefined>(undefined, ...FORMATS),
        async (bytes, format) => readBothWays(bytes, format),
      ),
    );
  });

  it('class 9: random text of CSV and JSON characters into the text readers gives a table or a ClienteleError', async () => {
    const piece = fc.constantFrom(
      ',',
      ';',
      '\t',
      '"',
      '""',
      '\n',
      '\r',
      '\r\n',
      '{',
      '}',
      '[',
      ']',
      ':',
      '1',
      '-2.5e3',
      'x',
      'é',
      '\0',
      ' ',
      'true',
      'null',
      '2024-01-31',
      '\ufeff',
      '__proto__',
      'constructor',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 200 }).map((parts) => new TextEncoder().encode(parts.join(''))),
        fc.constantFrom<FileFormat>('csv', 'json', 'jsonl'),
        async (bytes, format) => readBothWays(bytes, format),
      ),
    );
  });

  for (const format of ['csv', 'json', 'jsonl', 'parquet'] as const) {
    it(`class 9: mutated ${format} files (bit flips, cuts, inserts, splices) give a table or a ClienteleError`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const bytes = mutations.reduce((b, m) => mutate(b, m), seeds.get(format)!);
          await readBothWays(bytes, format);
        }),
      );
    });
  }

  // Arrow IPC: apache-arrow trusts the flatbuffer metadata and can loop without end on a corrupt one (a bit flipped
  // in the schema message); readIpcTable verifies the framing and the metadata first (src/io/arrow-ipc-verify.ts),
  // so any byte may be flipped, overwritten with a large 32-bit value (a length or an offset), or cut.
  for (const format of ['arrow', 'arrows'] as const) {
    it(`class 9: ${format} files with any byte flipped or overwritten, or cut anywhere, give a table or a ClienteleError`, async () => {
      const seed = () => seeds.get(format)!;
      const large = fc.oneof(
        fc.constantFrom(0x7fffffff, 0xffffffff, 0x80000000, 0x7ffffff8, 0x10000, 0xffff),
        fc.integer({ min: 0, max: 0xffffffff }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.nat().map((at) => seed().slice(0, at % (seed().length + 1))),
            fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, bits]) => {
              const out = seed().slice();
              out[at % out.length] ^= bits;
              return out;
            }),
            fc.tuple(fc.nat(), large).map(([at, value]) => {
              const out = seed().slice();
              new DataView(out.buffer).setUint32(at % (out.length - 3), value, true);
              return out;
            }),
          ),
          async (bytes) => readBothWays(bytes, format),
        ),
        { numRuns: 1000 },
      );
    });

    it(`class 9: ${format} files with several bytes of their metadata mutated give a table or a ClienteleError`, async () => {
      const seed = seeds.get(format)!;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 2, maxLength: 8 }),
          async (writes) => {
            const out = seed.slice();
            // the metadata is in the first few hundred bytes (the schema) and the last (the footer)
            for (const [at, value] of writes) out[at % 2 === 0 ? at % 512 : out.length - 1 - (at % 512)] = value;
            await readBothWays(out, format);
          },
        ),
        { numRuns: 1000 },
      );
    });
  }

  it('class 9: the unmutated seed files read with the rows written (the fuzzer starts from valid files)', async () => {
    const counts = await Promise.all(FORMATS.map(async (f) => (await readTable(seeds.get(f)!, { format: f })).numRows));
    expect(counts).toEqual(FORMATS.map(() => 59));
  });
});
