import { Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringVector } from '../../src/table/build';
import { asTable } from '../../src/table/as-table';

describe('stringVector', () => {
  it("holds what Arrow's own builder holds, nulls and any Unicode included (fast-check)", () => {
    const value = fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), (values) => {
        const ours = stringVector(values);
        const arrows = vectorFromArray(values, new Utf8());
        expect(ours.length).toBe(arrows.length);
        expect(ours.nullCount).toBe(arrows.nullCount);
        expect(ours.toArray()).toEqual(arrows.toArray());
        for (let i = 0; i < values.length; i++) expect(ours.get(i)).toBe(values[i]);
      }),
    );
  });

  it('grows its byte buffer past the first guess (long multi-byte strings)', () => {
    const values = ['€'.repeat(1000), null, '😀'.repeat(500), 'a'];
    expect(stringVector(values).toArray()).toEqual(values);
  });

  it('asTable builds string columns with it: values and nulls as given', () => {
    const t = asTable({ s: ['x', null, 'yz', undefined] as (string | null | undefined)[] });
    expect(t.getChild('s')!.toArray()).toEqual(['x', null, 'yz', null]);
    expect(t.getChild('s')!.nullCount).toBe(2);
  });
});
