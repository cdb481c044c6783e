import { Float64, Table, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clv } from '../../src/clv/closed-form/index';
import { droppedRows } from '../../src/index';
import { expectCode } from '../helpers/errors';

/**
 * Reference values are computed here by plain loops over the definitions (no closed forms, no code shared with
 * src/): CLV = m₀ + Σ_{t=1..n} m_t · S_t / (1 + d)^(t − τ) − AC, S_t = r₁ ⋯ r_t.
 */
function bruteForce(o: {
  margins: readonly number[];
  retentions?: readonly number[];
  discountRate: number;
  initialMargin?: number;
  acquisitionCost?: number;
  timing?: 'end' | 'start';
}): number {
  let total = o.initialMargin ?? 0;
  let survival = 1;
  for (let t = 1; t <= o.margins.length; t++) {
    survival *= o.retentions ? o.retentions[t - 1] : 1;
    const exponent = o.timing === 'start' ? t - 1 : t;
    total += (o.margins[t - 1] * survival) / Math.pow(1 + o.discountRate, exponent);
  }
  return total - (o.acquisitionCost ?? 0);
}

const repeat = (value: number, n: number) => Array.from({ length: n }, () => value);
const relClose = (actual: number, expected: number, tol = 1e-9) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(expected)),
  );

// the CRM textbook exercise: n = 10 years, Co = 500, Po = 3000, In = 1000, Cs = 100, r = 8 %
const n = 10;
const Co = 500;
const Po = 3000;
const In = 1000;
const Cs = 100;
const r = 0.08;
const textbook = { initialMargin: Po, acquisitionCost: Co, margin: In - Cs, periods: n };

describe('clv.discounted', () => {
  it('reproduces the CRM textbook exercise: simple CLV 11,500 and discounted CLV 8,539.07 (to the cent)', () => {
    expect(Po - Co + n * (In - Cs)).toBe(11_500); // the published simple formula itself
    expect(clv.discounted({ ...textbook, discountRate: 0 })).toBe(11_500);
    let expected = Po - Co;
    for (let t = 1; t <= n; t++) expected += (In - Cs) / 1.08 ** t;
    const value = clv.discounted({ ...textbook, discountRate: r });
    relClose(value, expected, 1e-12);
    expect(Math.round(value * 100) / 100).toBe(8539.07);
  });

  it('equals the brute-force loop on random constant and per-period margins, both timings (property, 1e-9 relative)', () => {
    const arb = fc.record({
      margins: fc.array(fc.double({ min: -1000, max: 5000, noNaN: true }), { minLength: 1, maxLength: 40 }),
      discountRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
      initialMargin: fc.double({ min: 0, max: 5000, noNaN: true }),
      acquisitionCost: fc.double({ min: 0, max: 5000, noNaN: true }),
      timing: fc.constantFrom('end' as const, 'start' as const),
    });
    fc.assert(
      fc.property(arb, (o) => {
        const expected = bruteForce(o);
        const scale = Math.max(1, ...o.margins.map(Math.abs), o.initialMargin, o.acquisitionCost);
        const tol = 1e-9 * scale * o.margins.length;
        expect(Math.abs(clv.discounted(o) - expected)).toBeLessThanOrEqual(tol);
        const constant = { ...o, margins: undefined, margin: o.margins[0], periods: o.margins.length };
        expect(
          Math.abs(clv.discounted(constant) - bruteForce({ ...o, margins: repeat(o.margins[0], o.margins.length) })),
        ).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the perpetuity m/d for periods: Infinity, and 0 periods leave m₀ − AC', () => {
    relClose(clv.discounted({ margin: 100, periods: Infinity, discountRate: 0.05 }), 2000, 1e-12);
    expect(
      clv.discounted({ margin: 100, periods: 0, discountRate: 0.05, initialMargin: 30, acquisitionCost: 10 }),
    ).toBe(20);
  });
});

describe('clv.retention', () => {
  it('matches Gupta & Lehmann 2003: margin 100, retention 0.8, discount 0.1 → 266.67 (margin multiple 2.67)', () => {
    const value = clv.retention({ margin: 100, retentionRate: 0.8, discountRate: 0.1 });
    expect(value).toBeCloseTo(266.67, 2);
    relClose(value, 800 / 3, 1e-12);
    // Gupta, Lehmann & Stuart 2004 count the margin at t = 0 too: m (1 + i)/(1 + i − r)
    relClose(
      clv.retention({ initialMargin: 100, margin: 100, retentionRate: 0.8, discountRate: 0.1 }),
      (100 * 1.1) / 0.3,
      1e-12,
    );
  });

  it('weights textbook year t by R^t: Po − Co + Σ (In − Cs) R^t / 1.08^t, by an independent loop', () => {
    for (const R of [0, 0.5, 0.75, 0.9, 1]) {
      let expected = Po - Co;
      for (let t = 1; t <= n; t++) expected += ((In - Cs) * R ** t) / 1.08 ** t;
      relClose(clv.retention({ ...textbook, retentionRate: R, discountRate: r }), expected, 1e-12);
    }
    // R = 1 is the discounted CLV
    expect(clv.retention({ ...textbook, retentionRate: 1, discountRate: r })).toBeCloseTo(
      clv.discounted({ ...textbook, discountRate: r }),
      9,
    );
  });

  it('equals the brute-force loop over a finite horizon, constant or per-period rates (property, 1e-9 relative)', () => {
    const arb = fc.integer({ min: 1, max: 60 }).chain((len) =>
      fc.record({
        margin: fc.double({ min: -500, max: 5000, noNaN: true }),
        retentions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: len, maxLength: len }),
        discountRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
        timing: fc.constantFrom('end' as const, 'start' as const),
      }),
    );
    fc.assert(
      fc.property(arb, ({ margin, retentions, discountRate, timing }) => {
        const len = retentions.length;
        const tol = 1e-9 * Math.max(1, Math.abs(margin)) * len;
        const perPeriod = clv.retention({ margin, retentionRate: retentions, discountRate, timing });
        expect(
          Math.abs(perPeriod - bruteForce({ margins: repeat(margin, len), retentions, discountRate, timing })),
        ).toBeLessThanOrEqual(tol);
        const rate = retentions[0];
        const constant = clv.retention({ margin, retentionRate: rate, discountRate, periods: len, timing });
        expect(
          Math.abs(
            constant -
              bruteForce({ margins: repeat(margin, len), retentions: repeat(rate, len), discountRate, timing }),
          ),
        ).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 300 },
    );
  });

  it('has the infinite horizon as the limit of the finite one (n = 2000, property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (retentionRate, discountRate, margin) => {
          const infinite = clv.retention({ margin, retentionRate, discountRate });
          relClose(clv.retention({ margin, retentionRate, discountRate, periods: 2000 }), infinite, 1e-9);
          relClose(
            bruteForce({ margins: repeat(margin, 2000), retentions: repeat(retentionRate, 2000), discountRate }),
            infinite,
            1e-9,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decreases in the discount rate and increases in retention (property, margin > 0)', () => {
    const arb = fc.record({
      margin: fc.double({ min: 1, max: 1000, noNaN: true }),
      r1: fc.double({ min: 0, max: 0.99, noNaN: true }),
      r2: fc.double({ min: 0, max: 0.99, noNaN: true }),
      d1: fc.double({ min: 0.001, max: 1, noNaN: true }),
      d2: fc.double({ min: 0.001, max: 1, noNaN: true }),
      periods: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 50 })),
      timing: fc.constantFrom('end' as const, 'start' as const),
    });
    fc.assert(
      fc.property(arb, ({ margin, r1, r2, d1, d2, periods, timing }) => {
        const [rLow, rHigh] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const [dLow, dHigh] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const at = (retentionRate: number, discountRate: number) =>
          clv.retention({ margin, retentionRate, discountRate, periods, timing });
        // weakly monotone up to rounding (1e-12 relative, 1e-300 absolute for subnormal results of a retention
        // near 5e-324); strictly when the rates differ by more than rounding
        const atMost = (a: number, b: number) => expect(a).toBeLessThanOrEqual(b * (1 + 1e-12) + 1e-300);
        atMost(at(rLow, dHigh), at(rLow, dLow)); // decreasing in d
        atMost(at(rLow, dLow), at(rHigh, dLow)); // increasing in r
        // one period paid at the start is m·r, undiscounted: no strict dependence on d there
        const discounted = !(timing === 'start' && periods === 1);
        if (discounted && rLow > 1e-6 && dHigh > dLow * (1 + 1e-9))
          expect(at(rLow, dHigh)).toBeLessThan(at(rLow, dLow));
        if (rLow > 1e-6 && rHigh > rLow * (1 + 1e-9)) expect(at(rLow, dLow)).toBeLessThan(at(rHigh, dLow));
        const disc = (discountRate: number) => clv.discounted({ margin, periods: periods ?? 30, discountRate, timing });
        atMost(disc(dHigh), disc(dLow));
      }),
      { numRuns: 300 },
    );
  });

  it("'start' timing is 'end' × (1 + d), finite and infinite, discounted and retention (property)", () => {
    const arb = fc.record({
      margin: fc.double({ min: -1000, max: 1000, noNaN: true }),
      retentionRate: fc.double({ min: 0, max: 0.99, noNaN: true }),
      discountRate: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
      periods: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 80 })),
    });
    fc.assert(
      fc.property(arb, (o) => {
        const factor = 1 + o.discountRate;
        relClose(clv.retention({ ...o, timing: 'start' }), clv.retention({ ...o, timing: 'end' }) * factor, 1e-12);
        const d = { margin: o.margin, periods: o.periods ?? 12, discountRate: o.discountRate };
        relClose(clv.discounted({ ...d, timing: 'start' }), clv.discounted(d) * factor, 1e-12);
        const margins = repeat(o.margin, 7).map((m, t) => m + t);
        relClose(
          clv.discounted({ margins, discountRate: o.discountRate, timing: 'start' }),
          clv.discounted({ margins, discountRate: o.discountRate }) * factor,
          1e-12,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('keeps full precision when r/(1 + d) is within 1e-12 of 1', () => {
    const retentionRate = 1 - 1e-12;
    let expected = 0;
    for (let t = 1; t <= 1000; t++) expected += retentionRate ** t;
    relClose(clv.retention({ margin: 1, retentionRate, discountRate: 0, periods: 1000 }), expected, 1e-12);
    expect(clv.retention({ margin: 1, retentionRate: 1, discountRate: 0, periods: 1000 })).toBe(1000);
    expect(clv.retention({ margin: 100, retentionRate: 0, discountRate: 0.1 })).toBe(0);
  });
});

describe('clv.simple', () => {
  it('is value × frequency × lifespan × margin, margin defaulting to 1 (revenue)', () => {
    expect(clv.simple({ averageOrderValue: 50, purchaseFrequency: 4, lifespan: 3, margin: 0.25 })).toBe(150);
    expect(clv.simple({ averageOrderValue: 50, purchaseFrequency: 4, lifespan: 3 })).toBe(600);
    expect(clv.simple({ averageOrderValue: 50, purchaseFrequency: 4, lifespan: 0.5, margin: -0.1 })).toBe(-10);
  });

  it('agrees with clv.discounted at d = 0 for a whole lifespan', () => {
    const simple = clv.simple({ averageOrderValue: 80, purchaseFrequency: 3, lifespan: 5, margin: 0.4 });
    expect(clv.discounted({ margin: 80 * 3 * 0.4, periods: 5, discountRate: 0 })).toBeCloseTo(simple, 9);
  });
});

describe('clv table form', () => {
  const cell = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const rowsArb = fc.array(fc.record({ a: cell, b: cell, c: cell, k: fc.integer({ min: 0, max: 40 }) }), {
    minLength: 1,
    maxLength: 40,
  });

  /** The input columns, rescaled to each option's range (a null stays null). */
  function columns(rows: { a: number | null; b: number | null; c: number | null; k: number }[]) {
    const scale = (x: number | null, f: (v: number) => number) => (x === null ? null : f(x));
    return {
      id: rows.map((_, i) => `c${i}`),
      money: rows.map((r) => scale(r.a, (v) => 2000 * v - 500)),
      rate: rows.map((r) => scale(r.b, (v) => 0.02 + 0.3 * v)),
      retention: rows.map((r) => scale(r.c, (v) => 0.95 * v)),
      periods: rows.map((r) => r.k),
    };
  }

  /** Row by row: the table result equals the scalar call on that row, and null rows are null and counted. */
  function rowByRow(result: Table, inputs: Record<string, (number | null)[]>, scalar: (i: number) => number) {
    const out = result.getChild('clv')!;
    const rows = out.length;
    let nulls = 0;
    for (let i = 0; i < rows; i++) {
      const missing = Object.values(inputs).some((col) => col[i] === null);
      if (missing) {
        nulls++;
        expect(out.get(i)).toBeNull();
      } else expect(Object.is(out.get(i), scalar(i)), `row ${i}: ${out.get(i)} vs ${scalar(i)}`).toBe(true);
    }
    const report = droppedRows(result);
    expect(report.total).toBe(nulls);
    expect(report.dropped).toEqual(nulls ? { invalidValue: nulls } : {});
  }

  it('gives, row by row, exactly the scalar call on that row; null inputs give null and are counted (property)', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom('end' as const, 'start' as const), (rows, timing) => {
        const cols = columns(rows);
        const used = { money: cols.money, rate: cols.rate, retention: cols.retention };
        if (rows.every((_, i) => Object.values(used).some((col) => col[i] === null))) {
          expectCode(
            () => clv.retention(cols, { margin: 'money', retentionRate: 'retention', discountRate: 'rate' }),
            'EMPTY_INPUT',
          );
          return;
        }
        const ret = clv.retention(cols, {
          margin: 'money',
          retentionRate: 'retention',
          discountRate: 'rate',
          acquisitionCost: 25,
          timing,
        });
        rowByRow(ret, used, (i) =>
          clv.retention({
            margin: cols.money[i]!,
            retentionRate: cols.retention[i]!,
            discountRate: cols.rate[i]!,
            acquisitionCost: 25,
            timing,
          }),
        );
        const fin = clv.retention(cols, {
          margin: 'money',
          retentionRate: 'retention',
          discountRate: 'rate',
          periods: 'periods',
          initialMargin: 'money',
        });
        rowByRow(fin, used, (i) =>
          clv.retention({
            margin: cols.money[i]!,
            retentionRate: cols.retention[i]!,
            discountRate: cols.rate[i]!,
            periods: cols.periods[i],
            initialMargin: cols.money[i]!,
          }),
        );
        const disc = clv.discounted(cols, { margin: 'money', periods: 'periods', discountRate: 'rate', timing });
        rowByRow(disc, { money: cols.money, rate: cols.rate }, (i) =>
          clv.discounted({ margin: cols.money[i]!, periods: cols.periods[i], discountRate: cols.rate[i]!, timing }),
        );
        const series = clv.discounted(cols, { margins: [100, 50, 25], discountRate: 'rate', acquisitionCost: 'money' });
        rowByRow(series, { money: cols.money, rate: cols.rate }, (i) =>
          clv.discounted({ margins: [100, 50, 25], discountRate: cols.rate[i]!, acquisitionCost: cols.money[i]! }),
        );
        const simple = clv.simple(cols, {
          averageOrderValue: 'money',
          purchaseFrequency: 'periods',
          lifespan: 2,
          margin: 'retention',
        });
        rowByRow(simple, { money: cols.money, retention: cols.retention }, (i) =>
          clv.simple({
            averageOrderValue: cols.money[i]!,
            purchaseFrequency: cols.periods[i],
            lifespan: 2,
            margin: cols.retention[i]!,
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('returns the input columns unchanged plus clv, over several record batches, without touching the input', () => {
    const part1 = new Table({ id: vectorFromArray(['a', 'b']), m: vectorFromArray([100, 200], new Float64()) });
    const part2 = new Table({ id: vectorFromArray(['c']), m: vectorFromArray([300], new Float64()) });
    const input = part1.concat(part2);
    expect(input.batches.length).toBe(2);
    const before = JSON.stringify(input.toArray());
    const out = clv.retention(input, { margin: 'm', retentionRate: 0.5, discountRate: 0 });
    expect(out.schema.fields.map((f) => f.name)).toEqual(['id', 'm', 'clv']);
    expect(Array.from(out.getChild('id')!.toArray())).toEqual(['a', 'b', 'c']);
    expect(Array.from(out.getChild('clv')!.toArray())).toEqual([100, 200, 300]);
    expect(out.schema.metadata.get('clientele.kind')).toBe('clv.retention');
    expect(droppedRows(out)).toMatchObject({ rows: 3, kept: 3, total: 0 });
    expect(JSON.stringify(input.toArray())).toBe(before);
  });

  it('accepts a customerSummary-like table of records, and integer columns', () => {
    const out = clv.simple(
      [
        { customer: 'a', averageValue: 40, count: 3 },
        { customer: 'b', averageValue: 10, count: 1 },
      ],
      { averageOrderValue: 'averageValue', purchaseFrequency: 'count', lifespan: 2, margin: 0.5 },
    );
    expect(Array.from(out.getChild('clv')!.toArray())).toEqual([120, 10]);
  });

  it('is frozen and leaves options unchanged', () => {
    expect(Object.isFrozen(clv)).toBe(true);
    const margins = Object.freeze([1, 2, 3]);
    const options = Object.freeze({ margins, discountRate: 0.1 });
    clv.discounted(options);
    expect(margins).toEqual([1, 2, 3]);
  });
});

describe('clv errors', () => {
  const cases: [string, () => unknown, string, ...string[]][] = [
    [
      'simple: missing averageOrderValue',
      () => clv.simple({ purchaseFrequency: 1, lifespan: 1 } as never),
      'INVALID_OPTION',
      'averageOrderValue is required',
    ],
    [
      'simple: negative purchaseFrequency',
      () => clv.simple({ averageOrderValue: 1, purchaseFrequency: -1, lifespan: 1 }),
      'INVALID_OPTION',
      'purchaseFrequency',
      '(found -1)',
    ],
    [
      'simple: NaN lifespan',
      () => clv.simple({ averageOrderValue: 1, purchaseFrequency: 1, lifespan: NaN }),
      'INVALID_OPTION',
      'lifespan',
    ],
    [
      'simple: margin in percent',
      () => clv.simple({ averageOrderValue: 1, purchaseFrequency: 1, lifespan: 1, margin: 30 }),
      'INVALID_OPTION',
      'margin',
      '0.3 for 30 %',
    ],
    [
      'simple: unknown option',
      () => clv.simple({ averageOrderValue: 1, purchaseFrequency: 1, lifespan: 1, lifeSpan: 2 } as never),
      'INVALID_OPTION',
      'unknown option lifeSpan',
    ],
    [
      'simple: a column name without a table',
      () => clv.simple({ averageOrderValue: 'aov' as never, purchaseFrequency: 1, lifespan: 1 }),
      'INVALID_OPTION',
      'no table was given',
    ],
    [
      'simple: a table without options',
      () => (clv.simple as (x: unknown) => number)([{ aov: 1 }]),
      'INVALID_OPTION',
      'clv.simple(table, { … })',
    ],
    [
      'simple: a boolean option',
      () => clv.simple({ averageOrderValue: true as never, purchaseFrequency: 1, lifespan: 1 }),
      'INVALID_OPTION',
      'must be a number',
    ],
    [
      'discounted: negative discount rate',
      () => clv.discounted({ margin: 1, periods: 2, discountRate: -0.1 }),
      'INVALID_OPTION',
      'discountRate',
      '≥ 0',
    ],
    [
      'discounted: missing discount rate',
      () => clv.discounted({ margin: 1, periods: 2 } as never),
      'INVALID_OPTION',
      'discountRate is required',
    ],
    [
      'discounted: missing periods',
      () => clv.discounted({ margin: 1, discountRate: 0.1 }),
      'INVALID_OPTION',
      'periods is required',
    ],
    [
      'discounted: fractional periods',
      () => clv.discounted({ margin: 1, periods: 2.5, discountRate: 0.1 }),
      'INVALID_OPTION',
      'whole number',
    ],
    [
      'discounted: negative periods',
      () => clv.discounted({ margin: 1, periods: -1, discountRate: 0.1 }),
      'INVALID_OPTION',
      'periods',
    ],
    [
      'discounted: margin and margins',
      () => clv.discounted({ margin: 1, margins: [1], discountRate: 0.1 }),
      'INVALID_OPTION',
      'not both',
    ],
    [
      'discounted: no margin',
      () => clv.discounted({ periods: 3, discountRate: 0.1 }),
      'INVALID_OPTION',
      'no margin given',
    ],
    [
      'discounted: empty margins',
      () => clv.discounted({ margins: [], discountRate: 0.1 }),
      'INVALID_OPTION',
      'empty array',
    ],
    [
      'discounted: NaN in margins',
      () => clv.discounted({ margins: [1, NaN], discountRate: 0.1 }),
      'INVALID_OPTION',
      'margins[1]',
    ],
    [
      'discounted: margins not an array',
      () => clv.discounted({ margins: 'm' as never, discountRate: 0.1 }),
      'INVALID_OPTION',
      'margins must be an array',
    ],
    [
      'discounted: periods against margins',
      () => clv.discounted({ margins: [1, 2], periods: 3, discountRate: 0.1 }),
      'INVALID_OPTION',
      'must match the 2 values',
    ],
    [
      'discounted: unknown timing',
      () => clv.discounted({ margin: 1, periods: 2, discountRate: 0.1, timing: 'middle' as never }),
      'INVALID_OPTION',
      "'end' or 'start'",
    ],
    [
      'discounted: perpetuity at d = 0',
      () => clv.discounted({ margin: 1, periods: Infinity, discountRate: 0 }),
      'INVALID_OPTION',
      'diverges',
    ],
    [
      'discounted: infinite acquisition cost',
      () => clv.discounted({ margin: 1, periods: 2, discountRate: 0, acquisitionCost: Infinity }),
      'INVALID_OPTION',
      'acquisitionCost',
    ],
    [
      'retention: above 1',
      () => clv.retention({ margin: 1, retentionRate: 1.2, discountRate: 0.1 }),
      'INVALID_OPTION',
      'retentionRate',
      '[0, 1]',
    ],
    [
      'retention: in percent',
      () => clv.retention({ margin: 1, retentionRate: 80, discountRate: 0.1 }),
      'INVALID_OPTION',
      '0.8 for 80 %',
    ],
    [
      'retention: negative',
      () => clv.retention({ margin: 1, retentionRate: -0.1, discountRate: 0.1 }),
      'INVALID_OPTION',
      'retentionRate',
    ],
    [
      'retention: missing',
      () => clv.retention({ margin: 1, discountRate: 0.1 } as never),
      'INVALID_OPTION',
      'retentionRate is required',
    ],
    [
      'retention: r ≥ 1 + d over an infinite horizon',
      () => clv.retention({ margin: 1, retentionRate: 1, discountRate: 0 }),
      'INVALID_OPTION',
      'retentionRate ≥ 1 + discountRate',
      'pass a finite periods',
    ],
    [
      'retention: bad per-period rate',
      () => clv.retention({ margin: 1, retentionRate: [0.5, 1.5], discountRate: 0.1 }),
      'INVALID_OPTION',
      'retentionRate[1]',
    ],
    [
      'retention: arrays of different lengths',
      () => clv.retention({ margins: [1, 2, 3], retentionRate: [0.5, 0.5], discountRate: 0.1 }),
      'INVALID_OPTION',
      '3 and 2',
    ],
    [
      'retention: negative discount rate',
      () => clv.retention({ margin: 1, retentionRate: 0.5, discountRate: -0.01 }),
      'INVALID_OPTION',
      'discountRate',
    ],
    [
      'table: missing column',
      () => clv.retention({ m: [1] }, { margin: 'margin', retentionRate: 0.5, discountRate: 0.1 }),
      'MISSING_COLUMN',
      'found columns: m',
    ],
    [
      'table: text column',
      () => clv.simple({ aov: ['x'] }, { averageOrderValue: 'aov', purchaseFrequency: 1, lifespan: 1 }),
      'INVALID_TYPE',
      'aov',
    ],
    [
      'table: retention column out of range',
      () => clv.retention({ r: [0.5, 1.5] }, { margin: 1, retentionRate: 'r', discountRate: 0.1 }),
      'INVALID_VALUE',
      'column "r"',
      'row 1',
    ],
    [
      'table: negative frequency in a column',
      () => clv.simple({ f: [1, -2] }, { averageOrderValue: 1, purchaseFrequency: 'f', lifespan: 1 }),
      'INVALID_VALUE',
      'row 1',
    ],
    [
      'table: r = 1, d = 0 on a row, infinite horizon',
      () => clv.retention({ r: [0.5, 1], d: [0, 0] }, { margin: 1, retentionRate: 'r', discountRate: 'd' }),
      'INVALID_VALUE',
      'diverges',
      'row 1',
    ],
    [
      'table: every row null',
      () => clv.simple({ aov: [null, null] }, { averageOrderValue: 'aov', purchaseFrequency: 1, lifespan: 1 }),
      'EMPTY_INPUT',
      '2 rows',
    ],
    [
      'table: no rows',
      () => clv.simple({ aov: [] }, { averageOrderValue: 'aov', purchaseFrequency: 1, lifespan: 1 }),
      'EMPTY_INPUT',
      'no rows',
    ],
    [
      'table: options not an object',
      () => clv.simple({ aov: [1] }, 'aov' as never),
      'INVALID_OPTION',
      'options object',
    ],
    [
      'table: a column for periods with margins',
      () => clv.discounted({ k: [2] }, { margins: [1, 2], periods: 'k', discountRate: 0 }),
      'INVALID_OPTION',
      'must match',
    ],
  ];
  it.each(cases)('%s → %s', (_name, call, code, ...inMessage) => {
    expectCode(call, code as never, ...inMessage);
  });
});
