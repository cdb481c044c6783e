import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index';
import { isClienteleError } from '../../src/table/errors';

/**
 * The garbage fuzzer of issue 15: every public function export, called with random arguments (fast-check's
 * `anything()` and crafted hostile values), may return or throw a `ClienteleError` — nothing else may escape.
 * Kept out, with the reason: the functions that start worker threads (openParallel, summarizeInParallel and the
 * …Parallel forms: test/parallel covers their argument checks) and writeTable (a random path would write files;
 * its refusals are in test/hostile/options.test.ts and test/io). Random sizes stay small (arrays ≤ 5, depth ≤ 2), so
 * no call runs long: the numeric loop bounds (sbgSurvival's t) are reached only past a valid model, which random
 * values never are.
 */

type Fn = (...args: unknown[]) => unknown;
const SKIP = new Set([
  'openParallel',
  'summarizeInParallel',
  'rfmParallel',
  'customerSummaryParallel',
  'frequentItemsetsParallel',
  'writeTable',
]);
const FUNCTIONS: [string, Fn][] = Object.entries(root).filter(
  ([k, v]) => typeof v === 'function' && k !== 'ClienteleError' && !SKIP.has(k),
) as [string, Fn][];
for (const [k, v] of Object.entries((root as unknown as { clv: Record<string, Fn> }).clv))
  FUNCTIONS.push([`clv.${k}`, v]);

const sparse: unknown[] = [];
sparse[3] = 1;
const crafted = fc.constantFrom<unknown>(
  [],
  sparse,
  new Float64Array([1, NaN, -0]),
  new Int32Array([1, -1]),
  new BigInt64Array([1n]),
  tableFromArrays({ a: [1, 2] }),
  tableFromArrays({ customer: ['a'], date: ['x'], amount: [1] }),
  JSON.parse('{"__proto__": {"x": 1}}') as unknown,
  { constructor: 1, toString: 2 },
  { params: { r: NaN, alpha: -1 } },
  NaN,
  -0,
  Infinity,
  2n ** 70n,
  Symbol('s'),
  () => 1,
  new Date(8.64e15),
  new Date(NaN),
  Promise.resolve(1),
  Object.freeze({ bins: [1] }),
  Object.create(null) as unknown,
  new Map([['a', 1]]),
  '',
  { customer: [1, null], date: ['2020-01-01', null], amount: [NaN, 1e308] },
);
const argument = fc.oneof(
  fc.anything({
    maxDepth: 2,
    maxKeys: 4,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withNullPrototype: true,
    withBoxedValues: true,
  }),
  crafted,
);

async function call(f: Fn, args: unknown[]): Promise<void> {
  let r = f(...args);
  if (r && typeof (r as Promise<unknown>).then === 'function') r = await r;
  if (r && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const batch of r as AsyncIterable<unknown>) void batch;
  }
}

describe('class 9: garbage into every public function', () => {
  it('class 9: the fuzzer covers every public function export but the documented few', () => {
    expect(FUNCTIONS.length).toBeGreaterThan(100);
  });

  it('class 9: random arguments to every public function raise nothing but ClienteleError', async () => {
    const escaped: string[] = [];
    for (const [name, f] of FUNCTIONS) {
      await fc
        .assert(
          fc.asyncProperty(fc.array(argument, { maxLength: 5 }), async (args) => {
            try {
              await call(f, args);
            } catch (e) {
              if (!isClienteleError(e)) {
                escaped.push(`${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
                return false;
              }
            }
            return true;
          }),
          { numRuns: 40 },
        )
        .catch(() => undefined);
    }
    expect([...new Set(escaped)]).toEqual([]);
  }, 60_000);

  it('class 9: regression — bigint, symbol and null-prototype numbers to the scalar helpers are refused', () => {
    const bare = Object.create(null) as unknown;
    const cases: [Fn, unknown[]][] = [
      [root.daysFromCivil as Fn, [10n, 1, 1]],
      [root.isoDate as Fn, [1e20]],
      [root.isoDate as Fn, [bare]],
      [root.bgBbProbabilityAlive as Fn, [{ params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } }, 1n, 1, 1]],
      [root.gammaGammaPopulationMean as Fn, [undefined]],
      [root.sbgSurvival as Fn, [{}, 3]],
      [root.basketLists as Fn, [null]],
      [root.predictSegments as Fn, [{}, {}]],
      [root.readNumeric as Fn, [{}, 'a', 'f', 'a']],
      [root.readKeys as Fn, [tableFromArrays({ a: [1] }), Symbol('a'), 'f', 'a']],
    ];
    for (const [f, args] of cases) {
      let caught: unknown;
      try {
        f(...args);
      } catch (e) {
        caught = e;
      }
      expect(isClienteleError(caught), `${f.name}: ${String(caught)}`).toBe(true);
    }
    expect(root.parseDateString(bare as string)).toBeNaN();
    expect(root.formatFromPath(bare as string)).toBeUndefined();
  });
});
