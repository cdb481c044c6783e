import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frequentItemsets } from '../../src/api/basket';
import { rfm } from '../../src/api/rfm';
import { kmeans } from '../../src/api/segment';
import { toSql } from '../../src/sql/index';
import { isClienteleError } from '../../src/table/errors';
import { checkOptions, integerRule, oneOfRule, optionValue } from '../../src/table/options';

/** The message a call throws, or undefined. */
function messageOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(isClienteleError(e) && e.code).toBe('INVALID_OPTION');
    return (e as Error).message;
  }
  return undefined;
}

describe('the one option validator', () => {
  const spec = {
    bins: integerRule(2, 20, 5, '5 is the usual choice'),
    method: oneOfRule(['quantile', 'fixed'] as const, 'quantile'),
  };

  it('integerRule accepts exactly the integers in its range (oracle: Number.isInteger and the bounds)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), fc.string(), fc.constant(true)), (v) => {
        const valid = Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 20;
        expect(spec.bins.test(v)).toBe(valid);
      }),
    );
  });

  it('oneOfRule accepts its strings only, never a prototype name', () => {
    for (const v of ['quantile', 'fixed']) expect(spec.method.test(v)).toBe(true);
    for (const v of ['constructor', 'toString', '__proto__', 'Quantile', '', 1, null])
      expect(spec.method.test(v)).toBe(false);
  });

  it('fills defaults for absent and null options, reads own keys only', () => {
    expect(checkOptions({}, spec, 'f')).toEqual({ bins: 5, method: 'quantile' });
    expect(checkOptions({ bins: null }, spec, 'f')).toEqual({ bins: 5, method: 'quantile' });
    expect(optionValue(Object.create({ bins: 3 }), 'bins', spec.bins, 'f')).toBe(5);
  });

  it('builds the message from the rule: function, option, expectation, the value found and the fix', () => {
    expect(messageOf(() => checkOptions({ bins: 1.5 }, spec, 'rfm'))).toBe(
      'rfm: option bins must be an integer from 2 to 20 (found 1.5); 5 is the usual choice',
    );
    expect(messageOf(() => checkOptions({ method: 'median' }, spec, 'rfm'))).toBe(
      `rfm: option method must be 'quantile' or 'fixed' (found "median"); leave it out for "quantile"`,
    );
  });

  it('rfm and toSql("rfm") reject the same bad bins and returns with the same words', () => {
    for (const bad of [
      { bins: 1 },
      { bins: 21 },
      { bins: 2.5 },
      { returns: 'drop' },
      { breaks: { recency: [3, 1] } },
    ]) {
      const inProcess = messageOf(() => rfm({ customer: ['a'], date: ['2024-01-01'], amount: [1] }, bad as never));
      const pushed = messageOf(() => toSql('rfm', { table: 't', ...(bad as object) }));
      expect(inProcess).toBeDefined();
      expect(pushed?.replace(/^toSql: /, '')).toBe(inProcess?.replace(/^rfm: /, ''));
    }
  });

  it('kmeans and frequentItemsets word their option errors by the same grammar', () => {
    const points = { x: [1, 2, 3, 4] };
    expect(messageOf(() => kmeans(points, { columns: ['x'], k: 0 }))).toBe(
      'kmeans: option k must be an integer ≥ 1 (found 0); pass the number of segments, e.g. { k: 4 } (chooseK helps pick it)',
    );
    expect(messageOf(() => kmeans(points, { columns: ['x'], k: 2, standardize: 'robust' as never }))).toBe(
      `kmeans: option standardize must be one of 'zscore', 'minmax', 'none' (found "robust"); leave it out for "zscore"`,
    );
    expect(messageOf(() => frequentItemsets([['a']], { minSupport: 0.5, algorithm: 'toString' as never }))).toBe(
      `frequentItemsets: option algorithm must be one of 'fpgrowth', 'eclat', 'apriori' (found "toString"); leave it out for "eclat"`,
    );
  });
});
