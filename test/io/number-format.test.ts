/**
 * Numbers and lists in the text writers (CSV, TSV, JSON, JSON lines) and the CLI's JSON rows: doubles with at most
 * 15 significant digits by default (`9.950000000000001` → `9.95`), every digit with `significantDigits: 'full'`,
 * lists in CSV as arules labels (`{liquor, red/blush wine}`), arrays in JSON. The expected decimals are computed
 * here with BigInt integer arithmetic, never with the code under test.
 */
import { Field, Float64, List, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonRows } from '../../src/cli/json-rows';
import { tableToBytes } from '../../src/io/index';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The CSV cell of a one-column table of x (the second line). */
async function csvCell(x: number, options?: { significantDigits?: number | 'full' }): Promise<string> {
  return decode(await tableToBytes({ x: [x] }, 'csv', options)).split('\n')[1];
}

/** The decimal m / 10^p (m a BigInt) written as JavaScript writes that decimal's double: shortest form. */
function decimal(m: bigint, p: number): string {
  const negative = m < 0n;
  const digits = (negative ? -m : m).toString().padStart(p + 1, '0');
  const text = p === 0 ? digits : `${digits.slice(0, -p)}.${digits.slice(-p)}`;
  return String(Number(`${negative ? '-' : ''}${text}`));
}

/** Units in the last place of x. */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  const e = Math.floor(Math.log2(a));
  return 2 ** Math.max(e - 52, -1074);
}

const money = fc.integer({ min: -9_999_999, max: 9_999_999 });
const places = fc.integer({ min: 0, max: 4 });

describe('numbers without float noise', () => {
  it('9.95, 0.3 and 1.1 × 3: the noise of 9.950000000000001, 0.30000000000000004 and 3.3000000000000003 is not written', async () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the noise is there
    expect(await csvCell(0.1 + 0.2)).toBe('0.3');
    expect(await csvCell(1.1 * 3)).toBe('3.3');
    expect(await csvCell(19.9 * 0.5)).toBe('9.95');
    expect(await csvCell(0.1 + 0.2, { significantDigits: 'full' })).toBe('0.30000000000000004');
    expect(await csvCell(2 / 3, { significantDigits: 3 })).toBe('0.667');
  });

  it('a product a × b of decimals (≤ 14 significant digits) is written as the exact decimal, in CSV, JSON and the CLI rows', async () => {
    await fc.assert(
      fc.asyncProperty(money, places, fc.integer({ min: -9999, max: 9999 }), places, async (m1, p1, m2, p2) => {
        const x = (m1 / 10 ** p1) * (m2 / 10 ** p2);
        const exact = decimal(BigInt(m1) * BigInt(m2), p1 + p2);
        expect(await csvCell(x)).toBe(exact);
        const json = decode(await tableToBytes({ x: [x] }, 'jsonl'));
        expect(json).toBe(`{"x":${exact}}\n`);
        expect(JSON.stringify(jsonRows(new Table({ x: vectorFromArray([x], new Float64()) }))[0].x)).toBe(exact);
      }),
      { numRuns: 500 },
    );
  });

  it('a sum of up to 5 positive decimals of 2 places is written as the exact decimal (rounding error ≤ 4u·sum, below half a unit of the 15th digit)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9_999_999_999 }), { minLength: 1, maxLength: 5 }),
        async (cents) => {
          const x = cents.reduce((s, c) => s + c / 100, 0);
          const exact = decimal(
            cents.reduce((s, c) => s + BigInt(c), 0n),
            2,
          );
          expect(await csvCell(x)).toBe(exact);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any double reads back within half a unit of its 15th significant digit (5e-15 relative, up to ~45 ulp, not 10 ulp), and bit for bit with full precision', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (x) => {
        const back = Number(await csvCell(x));
        expect(Math.abs(back - x)).toBeLessThanOrEqual(5e-15 * Math.abs(x) + ulp(back));
        expect(Number(await csvCell(x, { significantDigits: 'full' }))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 500 },
    );
  });

  it('significantDigits outside 1–17 is INVALID_OPTION', async () => {
    for (const bad of [0, 18, 2.5, 'all']) {
      const e = await tableToBytes({ x: [1] }, 'csv', { significantDigits: bad as number }).catch((err) => err);
      expect(e.code).toBe('INVALID_OPTION');
    }
  });
});

describe('lists in text files', () => {
  const rules = new Table({
    antecedent: vectorFromArray(
      [['liquor', 'red/blush wine'], [], ['a "quoted" item']],
      new List(new Field('item', new Utf8(), true)),
    ),
    support: vectorFromArray([0.0019318759532282665, 0.5, 1 / 3], new Float64()),
  });

  it('a list is written in CSV as arules labels {liquor, red/blush wine} (quoted when it holds the delimiter), in JSON as an array', async () => {
    const csv = decode(await tableToBytes(rules, 'csv'));
    expect(csv).toBe(
      'antecedent,support\n"{liquor, red/blush wine}",0.00193187595322827\n{},0.5\n"{a ""quoted"" item}",0.333333333333333\n',
    );
    const tsv = decode(await tableToBytes(rules, 'csv', { delimiter: '\t' }));
    expect(tsv.split('\n')[1]).toBe('{liquor, red/blush wine}\t0.00193187595322827');
    const json = JSON.parse(decode(await tableToBytes(rules, 'json')));
    expect(json[0]).toEqual({ antecedent: ['liquor', 'red/blush wine'], support: 0.00193187595322827 });
    expect(json[1].antecedent).toEqual([]);
  });
});
