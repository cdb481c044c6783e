import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequentSequences, recommendNext, sequenceRules } from '../../src/index';
import { isClienteleError } from '../../src/table/errors';
import { bruteCount, contains } from './brute-force';
import type { BruteSequence } from './brute-force';

const items = ['a', 'b', 'c'];
const lists = fc.array(fc.array(fc.subarray(items, { minLength: 1 }), { minLength: 1, maxLength: 4 }), {
  minLength: 2,
  maxLength: 7,
});
const asBrute = (raw: string[][][]): BruteSequence[] =>
  raw.map((events) => events.map((e, i) => ({ time: i + 1, items: new Set(e) })));
const elementsOf = (v: unknown): string[][] => [...(v as Iterable<Iterable<string>>)].map((e) => [...e]);

describe('sequenceRules', () => {
  it('gives each pattern of 2+ elements one rule prefix ⇒ last element, with arulesSequences support, confidence and lift (brute force)', () => {
    fc.assert(
      fc.property(lists, fc.constantFrom(0, 0.3, 0.5, 0.8), (raw, minConfidence) => {
        const n = raw.length;
        const brute = asBrute(raw);
        const patterns = frequentSequences(raw, { minCount: 2, maxLength: 3, maxSize: 2 });
        const rules = sequenceRules(patterns, { minConfidence });
        // every pattern with 2+ elements whose confidence reaches the threshold, once
        let expected = 0;
        const seq = patterns.getChild('sequence');
        for (let r = 0; r < patterns.numRows; r++) {
          const p = elementsOf(seq?.get(r));
          if (p.length < 2) continue;
          const confidence = bruteCount(brute, p) / bruteCount(brute, p.slice(0, -1));
          if (confidence >= minConfidence) expected++;
        }
        expect(rules.numRows).toBe(expected);
        for (let r = 0; r < rules.numRows; r++) {
          const lhs = elementsOf(rules.getChild('antecedent')?.get(r));
          const rhs = elementsOf(rules.getChild('consequent')?.get(r));
          expect(rhs).toHaveLength(1);
          const whole = bruteCount(brute, [...lhs, ...rhs]);
          const confidence = whole / bruteCount(brute, lhs);
          const lift = confidence / (bruteCount(brute, rhs) / n);
          expect(rules.getChild('count')?.get(r)).toBe(whole);
          expect(rules.getChild('support')?.get(r)).toBeCloseTo(whole / n, 14);
          expect(rules.getChild('confidence')?.get(r)).toBeCloseTo(confidence, 14);
          expect(rules.getChild('lift')?.get(r)).toBeCloseTo(lift, 12);
        }
        const lifts = Array.from(rules.getChild('lift')?.toArray() ?? []);
        expect(lifts).toEqual([...lifts].sort((x, y) => y - x));
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a filtered patterns table that lacks an antecedent, and a table that is not patterns', () => {
    const patterns = frequentSequences(
      [
        [['a'], ['b']],
        [['a'], ['b']],
      ],
      { minCount: 2 },
    );
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isClienteleError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => sequenceRules(patterns.slice(1)))).toBe('INVALID_INPUT');
    expect(code(() => sequenceRules(sequenceRules(patterns)))).toBe('INVALID_INPUT');
    expect(code(() => sequenceRules(patterns, { minConfidence: 2 }))).toBe('INVALID_OPTION');
    expect(sequenceRules(patterns).getChild('text')?.get(0)).toBe('<{a}> => <{b}>');
  });
});

describe('recommendNext', () => {
  it('suggests the consequents of the rules whose antecedent the history contains, each with its best rule (brute force)', () => {
    fc.assert(
      fc.property(
        lists,
        fc.array(fc.subarray(items, { minLength: 1 }), { maxLength: 4 }),
        fc.boolean(),
        (raw, history, excludeBought) => {
          const rules = sequenceRules(frequentSequences(raw, { minCount: 2, maxLength: 3 }), { minConfidence: 0 });
          const got = recommendNext(rules, history, { k: 10, excludeBought });
          const h: BruteSequence = history.map((e, i) => ({ time: i + 1, items: new Set(e) }));
          const bought = new Set(history.flat());
          const best = new Map<string, number>();
          for (let r = 0; r < rules.numRows; r++) {
            if (!contains(h, elementsOf(rules.getChild('antecedent')?.get(r)))) continue;
            const confidence = Number(rules.getChild('confidence')?.get(r));
            for (const item of elementsOf(rules.getChild('consequent')?.get(r))[0]) {
              if (excludeBought && bought.has(item)) continue;
              best.set(item, Math.max(best.get(item) ?? -1, confidence));
            }
          }
          expect(new Map(got.map((s) => [s.item, s.score]))).toEqual(best);
          for (const s of got) {
            expect(contains(h, s.rule.antecedent)).toBe(true);
            expect(s.rule.consequent).toContain(s.item);
          }
          const scores = got.map((s) => s.score);
          expect(scores).toEqual([...scores].sort((x, y) => y - x));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('with recent, fires only rules whose antecedent ends in the latest events; k, by and repeat purchases', () => {
    const raw = [
      [['tent'], ['stove'], ['fuel']],
      [['tent'], ['stove'], ['fuel']],
      [['tent'], ['lamp']],
      [['stove'], ['fuel']],
    ];
    const rules = sequenceRules(frequentSequences(raw, { minSupport: 0.5 }), { minConfidence: 0.5 });
    // <{tent}> ⇒ <{stove}> (2/3) and <{tent},{stove}> ⇒ <{fuel}> (1) ...
    expect(recommendNext(rules, ['tent', 'lamp']).map((s) => s.item)).toEqual(['fuel', 'stove']);
    // ... but with recent: 1 only rules whose antecedent ends at 'lamp' may fire: none does
    expect(recommendNext(rules, ['tent', 'lamp'], { recent: 1 })).toEqual([]);
    expect(recommendNext(rules, ['tent', 'stove'], { recent: 1 }).map((s) => [s.item, s.score])).toEqual([['fuel', 1]]);
    expect(recommendNext(rules, ['tent'], { k: 1 })).toHaveLength(1);
    expect(recommendNext(rules, ['stove', 'fuel'], { excludeBought: false }).map((s) => s.item)).toEqual(['fuel']);
    expect(recommendNext(rules, ['tent'], { by: 'lift' })[0].score).toBeCloseTo(2 / 3 / 0.75, 12);
    expect(Object.isFrozen(recommendNext(rules, ['tent']))).toBe(true);
    expect(() => recommendNext(rules, 'tent' as never)).toThrow(/history must be an array/);
    expect(() => recommendNext(rules, ['tent'], { by: 'zhang' as never })).toThrow(/option by must be one of/);
  });
});
