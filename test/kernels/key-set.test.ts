import { Int32, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyUnion, keyAt, keySetOf } from '../../src/kernels/key-set';

/**
 * The union's ids against a plain `Map` of first appearances: whatever mix of Int32 columns coded row by row
 * (`codeInt32`, a dense look-up that widens, or falls back to hashing when the keys spread out) and key sets of
 * integers, floats or strings (`add`), every key keeps the id of its first appearance and ids count up from 0.
 */
describe("KeyUnion (the running union of a stream's keys)", () => {
  const int32Batch = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -40, max: 40 }) },
      { weight: 2, arbitrary: fc.integer({ min: -2147483648, max: 2147483647 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 6_000_000 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    { maxLength: 40 },
  );
  const setBatch = fc.oneof(
    fc
      .array(fc.integer({ min: -50, max: 50 }), { maxLength: 10 })
      .map((v) => ({ kind: 'ints' as const, values: [...new Set(v)] })),
    fc
      .array(fc.double({ min: -50, max: 50, noNaN: true }), { maxLength: 5 })
      .map((v) => ({ kind: 'floats' as const, values: [...new Set(v.map((x) => x + 0))] })),
    fc
      .array(fc.string({ maxLength: 3 }), { maxLength: 5 })
      .map((v) => ({ kind: 'strings' as const, values: [...new Set(v)] })),
  );
  const step = fc.oneof(
    { weight: 4, arbitrary: int32Batch.map((values) => ({ kind: 'column' as const, values })) },
    { weight: 1, arbitrary: setBatch },
  );

  it('numbers keys by first appearance across Int32 columns and key sets of any kind (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const union = new KeyUnion();
        const reference = new Map<unknown, number>();
        const idOf = (v: unknown) => reference.get(v) ?? (reference.set(v, reference.size), reference.size - 1);
        // strings after numbers (or numbers after strings) are refused with INVALID_TYPE (issue 15, class 9)
        let kind: 'text' | 'numbers' | undefined;
        for (const s of steps) {
          const stepKind = s.kind === 'strings' ? 'text' : 'numbers';
          const nonEmpty = s.kind === 'column' ? s.values.some((v) => v !== null) : s.values.length > 0;
          if (nonEmpty && kind !== undefined && stepKind !== kind) {
            const distinct = [...new Set((s.values as unknown[]).filter((v) => v !== null))];
            const vector =
              s.kind === 'strings'
                ? vectorFromArray(s.values)
                : s.kind === 'floats'
                  ? vectorFromArray(s.values)
                  : vectorFromArray(distinct as number[], new Int32());
            const run = () => union.add(keySetOf(vector));
            expect(run).toThrow(expect.objectContaining({ code: 'INVALID_TYPE' }));
            return;
          }
          if (nonEmpty) kind ??= stepKind;
          if (s.kind === 'column') {
            const vector = vectorFromArray(s.values, new Int32());
            const codes = union.codeInt32(vector);
            if (codes === undefined) {
              // the union holds another kind: the batch goes in as a key set, as the stream does
              const nonNull = s.values.filter((v): v is number => v !== null);
              const distinct = [...new Set(nonNull)];
              const ids = union.add(keySetOf(vectorFromArray(distinct, new Int32())));
              expect(Array.from(ids)).toEqual(distinct.map(idOf));
            } else {
              expect(Array.from(codes)).toEqual(s.values.map((v) => (v === null ? -1 : idOf(v))));
            }
          } else {
            const vector =
              s.kind === 'strings'
                ? vectorFromArray(s.values)
                : s.kind === 'ints'
                  ? vectorFromArray(s.values, new Int32())
                  : vectorFromArray(s.values);
            const ids = union.add(keySetOf(vector));
            expect(Array.from(ids)).toEqual((s.values as unknown[]).map(idOf));
          }
          expect(union.size).toBe(reference.size);
        }
        const set = union.keySet();
        expect(Array.from({ length: set.size }, (_, id) => keyAt(set, id))).toEqual([...reference.keys()]);
      }),
      { numRuns: 500 },
    );
  });
});
