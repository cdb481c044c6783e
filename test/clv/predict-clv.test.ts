import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictClv } from '../../src/clv/predict-clv';
import { droppedRows } from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

// Fader, Hardie & Lee (2005) CDNOW estimates (weeks): BG/NBD and Gamma-Gamma
const bg = { kind: 'bgNbd' as const, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 } };
const one = { customer: ['c18'], frequency: [2], recency: [30.43], T: [38.86], monetary: [22.35] };

describe('predictClv', () => {
  it('expects 1.226 purchases in the 39 weeks after T for x = 2, t_x = 30.43, T = 38.86 (Fader, Hardie & Lee 2005, p. 279; 1e-3)', () => {
    const v = predictClv(bg, gg, one, { horizon: 39, discountRate: 0 });
    expect(col(v, 'expectedPurchases')[0] as number).toBeCloseTo(1.226, 3);
  });

  it('values spend at the Gamma-Gamma conditional mean, (γ + x z̄) p / (p x + q − 1), and the population mean for x = 0', () => {
    const v = predictClv(
      bg,
      gg,
      { customer: ['a', 'b'], frequency: [2, 0], recency: [30.43, 0], T: [38.86, 20], monetary: [22.35, 0] },
      { horizon: 39, discountRate: 0 },
    );
    const spend = col(v, 'expectedSpend') as number[];
    expect(spend[0]).toBeCloseTo(((15.44 + 2 * 22.35) * 6.25) / (6.25 * 2 + 3.74 - 1), 10);
    expect(spend[1]).toBeCloseTo((6.25 * 15.44) / (3.74 - 1), 10);
  });

  it('without discounting, CLV = margin × spend × purchases whatever the period (telescoping; metamorphic)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 26, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (period, margin) => {
          const v = predictClv(bg, gg, one, { horizon: 52, period, discountRate: 0, margin });
          const clv = col(v, 'clv')[0] as number;
          expect(clv).toBeCloseTo(
            margin * (col(v, 'expectedSpend')[0] as number) * (col(v, 'expectedPurchases')[0] as number),
            8,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('decreases as the discount rate rises and grows with the horizon (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (d, extra) => {
          const at = (rate: number, horizon = 104) =>
            col(predictClv(bg, gg, one, { horizon, discountRate: rate }), 'clv')[0] as number;
          expect(at(d + extra)).toBeLessThan(at(d));
          expect(at(d, 52)).toBeLessThan(at(d, 104));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('drops impossible histories (counted) and rejects bad options', () => {
    const v = predictClv(bg, gg, {
      customer: ['a', 'b', null],
      frequency: [1, 2, 1],
      recency: [5, 50, 1],
      T: [10, 40, 2],
      monetary: [10, 10, 10],
    });
    expect(col(v, 'customer')).toEqual(['a']);
    expect(droppedRows(v).dropped).toEqual({ invalidValue: 1, nullCustomer: 1 });
    expectCode(() => predictClv(bg, gg, one, { horizon: 0 }), 'INVALID_OPTION', 'horizon');
    expectCode(() => predictClv(bg, gg, one, { discountRate: -0.1 }), 'INVALID_OPTION', 'discountRate');
    expectCode(() => predictClv({ kind: 'other' } as never, gg, one), 'INVALID_OPTION', 'BG/NBD');
  });
});
