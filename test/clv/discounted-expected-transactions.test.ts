import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgBbConditionalExpectedPurchases, bgBbProbabilityAlive } from '../../src/clv/beta-geo-beta-binomial';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from '../../src/clv/bg-nbd';
import { bgBbDert, bgNbdDert, paretoNbdDert } from '../../src/clv/discounted-expected-transactions';
import { paretoNbdConditionalExpectedPurchases, paretoNbdProbabilityAlive } from '../../src/clv/pareto-nbd';
import { predictDert } from '../../src/clv/predict-dert';
import { summaryFromTransactions } from '../../src/clv/summary-from-transactions';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { readCdnow, relative } from '../helpers/clv';
import { expectCode } from '../helpers/errors';

/**
 * Peer figures: BTYD 2.4.3's own `bgbb.DERT` and `pnbd.DERT` (R/bgbb.R, R/pnbd.R of github:cran/BTYD, `hardie = TRUE`),
 * run on R 4.2.2 with hypergeo 1.2-13, for the parameters and histories of their help pages' examples, and for the
 * published estimates: Fader, Hardie & Shang (2010, §3) donations α = 1.204, β = 0.750, γ = 0.657, δ = 2.783 at
 * d = 0.1; Fader, Hardie & Lee (2005, "RFM and CLV", Table 1 via CLVTools' test_correctness_pnbd) CDNOW r = 0.5533,
 * α = 10.5802, s = 0.6061, β = 11.6686 at 15% a year on weeks, δ = 0.0027 (the paper's and BTYD's rounding of
 * ln 1.15/52). The papers' printed DERT tables were not reachable here; BTYD implements their eq. (2) and (14).
 */
const BTYD_BGBB_EXAMPLE = { params: { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78 } };
const FHS_DONATIONS = { params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 } };
const BTYD_PNBD_EXAMPLE = { params: { r: 0.5629966, alpha: 12.559037, s: 0.4081095, beta: 10.5148048 } };
const FHL_CDNOW = { params: { r: 0.5533, alpha: 10.5802, s: 0.6061, beta: 11.6686 } };
/** FHL (2005, "Counting your customers the easy way", §5) BG/NBD estimates on the same CDNOW data. */
const FHL_BG_NBD = { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const WEEKLY_15 = Math.log(1.15) / 52;

/**
 * ∫₀^∞ e^(−δt) dE[Y(t)] = δ ∫₀^∞ e^(−δt) E[Y(t)] dt (by parts, E[Y(0)] = 0) = ∫₀¹ E[Y(−ln u/δ)] du, u = v⁴ to flatten
 * the end u = 0 where E[Y] may grow without bound; composite Simpson on v with 2·10⁴ intervals.
 */
function discountedIncrements(expected: (t: number) => number, delta: number): number {
  const n = 20_000;
  const g = (v: number) => (v === 0 ? 0 : 4 * v ** 3 * expected((-4 * Math.log(v)) / delta));
  let s = g(0) + g(1);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * g(i / n);
  return s / (3 * n);
}

/** Σ_{k ≥ 1} (E[X(n, n + k)] − E[X(n, n + k − 1)]) (1 + d)^(−k), until (1 + d)^(−k)/d < 1e-16. */
function discountedSum(expected: (ahead: number) => number, d: number): number {
  let total = 0;
  let previous = 0;
  for (let k = 1; (1 + d) ** -k / d > 1e-16; k++) {
    const e = expected(k);
    total += (e - previous) * (1 + d) ** -k;
    previous = e;
  }
  return total;
}

describe('DERT: peer figures (BTYD 2.4.3 bgbb.DERT, pnbd.DERT)', () => {
  it('bgBbDert matches BTYD bgbb.DERT help example (α 1.20, β 0.75, γ 0.66, δ 2.78, d 0.1) to 1e-10', () => {
    expect(relative(bgBbDert(BTYD_BGBB_EXAMPLE, 3, 4, 6, 0.1), 1.62137918584264)).toBeLessThan(1e-10);
    const btyd = [
      1.80204479861418, 2.62115607071153, 3.44026734280889, 4.25937861490624, 5.0784898870036, 5.89760115910094,
    ];
    btyd.forEach((v, i) => expect(relative(bgBbDert(BTYD_BGBB_EXAMPLE, i + 1, 6, 6, 0.1), v)).toBeLessThan(1e-10));
  });

  it("bgBbDert matches BTYD bgbb.DERT at FHS 2010's donation estimates, d = 0.1, to 1e-10", () => {
    const cases: [number, number, number][] = [
      [0, 0, 0.114646996181761],
      [1, 1, 0.134855125604493],
      [3, 4, 1.628660773060782],
      [6, 6, 5.908678319555243],
    ];
    for (const [x, tx, v] of cases) expect(relative(bgBbDert(FHS_DONATIONS, x, tx, 6, 0.1), v)).toBeLessThan(1e-10);
  });

  it('paretoNbdDert matches BTYD pnbd.DERT help example (d 0.0027, T 77.86) to 1e-9', () => {
    expect(relative(paretoNbdDert(BTYD_PNBD_EXAMPLE, 7, 35, 77.86, 0.0027), 1.86418332807132)).toBeLessThan(1e-9);
    const btyd = [
      2.19915544970496, 2.843534406065725, 2.867128391206159, 2.445410078607345, 1.840501924477494, 1.262416471743852,
      0.809618119453837, 0.494803619375446, 0.292024701569799, 0.167927508566052,
    ];
    btyd.forEach((v, i) =>
      expect(relative(paretoNbdDert(BTYD_PNBD_EXAMPLE, i + 1, 30, 77.86, 0.0027), v)).toBeLessThan(1e-9),
    );
  });

  it("paretoNbdDert matches BTYD pnbd.DERT at FHL 2005's CDNOW estimates, δ = 0.0027 a week, to 1e-9", () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 38.86, 0.477128424234717],
      [2, 30.43, 38.86, 6.483185979533744],
      [7, 35, 77.86, 0.892359981030877],
      [14, 70, 77.86, 26.168711801119912],
    ];
    for (const [x, tx, T, v] of cases)
      expect(relative(paretoNbdDert(FHL_CDNOW, x, tx, T, 0.0027), v)).toBeLessThan(1e-9);
  });
});

describe("DERT: the papers' equations evaluated by mpmath 1.3.0 at 40 digits", () => {
  it("paretoNbdDert matches FHL 2005 eq. 2 (mpmath hyperu, Pareto/NBD L by hyp2f1) at FHL's CDNOW estimates, δ 0.0027, to 1e-12", () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 38.86, 0.4771284242347175],
      [2, 30.43, 38.86, 6.483185979533744],
      [7, 35, 77.86, 0.8923599810308739],
      [14, 70, 77.86, 26.168711801120065],
    ];
    for (const [x, tx, T, v] of cases)
      expect(relative(paretoNbdDert(FHL_CDNOW, x, tx, T, 0.0027), v)).toBeLessThan(1e-12);
  });

  it("bgBbDert matches FHS 2010 eq. 14 (mpmath beta, hyp2f1, L by eq. 5) at FHS's donation estimates, d 0.1, to 1e-12", () => {
    const cases: [number, number, number][] = [
      [0, 0, 0.11464699618176409],
      [1, 1, 0.13485512560449608],
      [3, 4, 1.6286607730608238],
      [6, 6, 5.9086783195553805],
    ];
    for (const [x, tx, v] of cases) expect(relative(bgBbDert(FHS_DONATIONS, x, tx, 6, 0.1), v)).toBeLessThan(1e-12);
  });
});

describe('DERT: brute force, the discounted increments of the public conditional expectations', () => {
  const histories: [number, number, number][] = [
    [0, 0, 38.86],
    [2, 30.43, 38.86],
    [7, 35, 77.86],
    [14, 70, 77.86],
    [1, 2, 60],
  ];

  it('paretoNbdDert = ∫ e^(−δt) dE[Y(t)] of paretoNbdConditionalExpectedPurchases (Simpson, 1e-7), both branches of e^z E_s', () => {
    for (const delta of [WEEKLY_15, 0.05]) {
      for (const [x, tx, T] of histories) {
        const brute = discountedIncrements((t) => paretoNbdConditionalExpectedPurchases(FHL_CDNOW, x, tx, T, t), delta);
        expect(
          relative(paretoNbdDert(FHL_CDNOW, x, tx, T, delta), brute),
          `${x}, ${tx}, ${T}, δ ${delta}`,
        ).toBeLessThan(1e-7);
      }
    }
  });

  it('bgNbdDert (derived here) = ∫ e^(−δt) dE[Y(t)] of bgNbdConditionalExpectedPurchases (Simpson, 1e-7)', () => {
    const steep = { params: { r: 2.1, alpha: 30, a: 3.5, b: 0.4 } };
    for (const model of [FHL_BG_NBD, steep]) {
      for (const delta of [WEEKLY_15, 0.05]) {
        for (const [x, tx, T] of histories) {
          const brute = discountedIncrements((t) => bgNbdConditionalExpectedPurchases(model, x, tx, T, t), delta);
          expect(relative(bgNbdDert(model, x, tx, T, delta), brute), `${x}, ${tx}, ${T}, δ ${delta}`).toBeLessThan(
            1e-7,
          );
        }
      }
    }
  });

  it('bgBbDert = Σ_k ΔE[X(n, n + k)] (1 + d)^(−k) of bgBbConditionalExpectedPurchases, to 1e-11', () => {
    const cases: [number, number, number][] = [
      [0, 0, 6],
      [1, 1, 6],
      [2, 4, 6],
      [6, 6, 6],
      [0, 0, 0],
      [3, 10, 12],
    ];
    for (const d of [0.1, 0.02, 1.5]) {
      for (const [x, tx, n] of cases) {
        const brute = discountedSum((k) => bgBbConditionalExpectedPurchases(FHS_DONATIONS, k, x, tx, n), d);
        expect(relative(bgBbDert(FHS_DONATIONS, x, tx, n, d), brute), `${x}, ${tx}, ${n}, d ${d}`).toBeLessThan(1e-11);
      }
    }
  });
});

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const continuousParams = fc.record({
  r: positive(0.05, 5),
  alpha: positive(0.5, 100),
  shape: positive(0.05, 5),
  scale: positive(0.5, 100),
});
const history = fc
  .tuple(fc.integer({ min: 0, max: 40 }), positive(0.01, 1), positive(0.5, 200))
  .map(([x, share, T]) => [x, x === 0 ? 0 : share * T, T] as const);
const rates = fc.tuple(positive(1e-4, 0.5), positive(1.01, 20)).map(([d, k]) => [d, d * k] as const);
const bgbbParams = fc.record({
  alpha: positive(0.1, 10),
  beta: positive(0.1, 10),
  gamma: positive(0.1, 10),
  delta: positive(0.1, 10),
});
const opportunities = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }))
  .map(([a, b, c]) => {
    const [x, tx, n] = [a, b, c].sort((u, v) => u - v);
    return [x === 0 ? 0 : x, x === 0 ? 0 : Math.max(tx, 1), n] as const;
  })
  .filter(([x, tx, n]) => x <= tx && tx <= n);

describe('DERT: properties', () => {
  it('property: ≥ 0 and decreasing in the discount rate, for all three models', () => {
    fc.assert(
      fc.property(continuousParams, history, rates, (p, [x, tx, T], [low, high]) => {
        const pareto = { params: { r: p.r, alpha: p.alpha, s: p.shape, beta: p.scale } };
        const bg = { params: { r: p.r, alpha: p.alpha, a: p.shape, b: p.scale / 20 } };
        for (const dert of [
          (d: number) => paretoNbdDert(pareto, x, tx, T, d),
          (d: number) => bgNbdDert(bg, x, tx, T, d),
        ]) {
          const a = dert(low);
          const b = dert(high);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(a * (1 + 1e-12));
        }
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(bgbbParams, opportunities, rates, (p, [x, tx, n], [low, high]) => {
        const a = bgBbDert({ params: p }, x, tx, n, low);
        const b = bgBbDert({ params: p }, x, tx, n, high);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(a * (1 + 1e-12));
      }),
    );
  });

  it('property: as the rate → 0 (1e-10) DERT → E[Y(∞) | history], from the public conditional expectations at t = 1e12 (BG/BB: n* = 10⁵), 1e-5', () => {
    fc.assert(
      fc.property(continuousParams, history, (p, [x, tx, T]) => {
        // finite limits: s > 2 and a > 2 (tails like t^(1−s), t^(1−a)), r > 1 (E[1/λ] finite, so the δ-term is O(δ))
        const pareto = { params: { r: p.r + 1, alpha: p.alpha, s: p.shape + 2.5, beta: p.scale } };
        const bg = { params: { r: p.r + 1, alpha: p.alpha, a: p.shape + 2.5, b: p.scale / 20 } };
        const paretoLimit = paretoNbdConditionalExpectedPurchases(pareto, x, tx, T, 1e12);
        expect(relative(paretoNbdDert(pareto, x, tx, T, 1e-10), paretoLimit)).toBeLessThan(1e-5);
        const bgLimit = bgNbdConditionalExpectedPurchases(bg, x, tx, T, 1e12);
        expect(relative(bgNbdDert(bg, x, tx, T, 1e-10), bgLimit)).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(bgbbParams, opportunities, (p, [x, tx, n]) => {
        const model = { params: { ...p, gamma: p.gamma + 3 } };
        const limit = bgBbConditionalExpectedPurchases(model, 100_000, x, tx, n);
        expect(relative(bgBbDert(model, x, tx, n, 1e-10), limit)).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('property: time-scale invariance — (α, β, t_x, T) × k with δ / k leaves DERT unchanged (1e-9)', () => {
    fc.assert(
      fc.property(continuousParams, history, positive(1e-3, 0.2), positive(0.01, 100), (p, [x, tx, T], delta, k) => {
        const pareto = (m: number) => ({ params: { r: p.r, alpha: p.alpha * m, s: p.shape, beta: p.scale * m } });
        const bg = (m: number) => ({ params: { r: p.r, alpha: p.alpha * m, a: p.shape, b: p.scale / 20 } });
        expect(
          relative(paretoNbdDert(pareto(k), x, tx * k, T * k, delta / k), paretoNbdDert(pareto(1), x, tx, T, delta)),
        ).toBeLessThan(1e-9);
        expect(relative(bgNbdDert(bg(k), x, tx * k, T * k, delta / k), bgNbdDert(bg(1), x, tx, T, delta))).toBeLessThan(
          1e-9,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('histories whose P(alive) is 0 (many purchases long ago) have DERT exactly 0, not NaN', () => {
    // x = 300 purchases by week 1, then 5,000 silent weeks
    expect(paretoNbdProbabilityAlive(FHL_CDNOW, 300, 1, 5000)).toBe(0);
    expect(paretoNbdDert(FHL_CDNOW, 300, 1, 5000, WEEKLY_15)).toBe(0);
    expect(bgNbdProbabilityAlive(FHL_BG_NBD, 300, 1, 5000)).toBe(0);
    expect(bgNbdDert(FHL_BG_NBD, 300, 1, 5000, WEEKLY_15)).toBe(0);
    // BG/BB's P(alive) falls only like a power of n: far from 0 here, and DERT with it
    expect(bgBbProbabilityAlive(FHS_DONATIONS, 1, 1, 500)).toBeGreaterThan(0);
  });

  it('inputs are not mutated (frozen models)', () => {
    const frozen = Object.freeze({ params: Object.freeze({ ...FHL_BG_NBD.params }) });
    expect(bgNbdDert(frozen, 2, 30.43, 38.86, WEEKLY_15)).toBeGreaterThan(0);
  });
});

describe('DERT: bad input', () => {
  it('INVALID_VALUE for a parameter that is not a positive finite number, naming it', () => {
    expectCode(
      () => paretoNbdDert({ params: { ...FHL_CDNOW.params, s: 0 } }, 1, 1, 2, 0.01),
      'INVALID_VALUE',
      'paretoNbdDert',
      'model.params.s',
    );
    expectCode(
      () => bgNbdDert({ params: { ...FHL_BG_NBD.params, a: NaN } }, 1, 1, 2, 0.01),
      'INVALID_VALUE',
      'bgNbdDert',
      'model.params.a',
    );
    expectCode(
      () => bgBbDert({ params: { ...FHS_DONATIONS.params, gamma: -1 } }, 1, 1, 2, 0.1),
      'INVALID_VALUE',
      'bgBbDert',
      'model.params.gamma',
    );
    expectCode(() => bgBbDert(undefined as never, 1, 1, 2, 0.1), 'INVALID_VALUE', 'bgBbDert');
  });

  it('INVALID_OPTION for a discount rate that is not a finite number > 0', () => {
    for (const d of [0, -0.1, NaN, Infinity, '0.1' as unknown as number, undefined as unknown as number]) {
      expectCode(() => paretoNbdDert(FHL_CDNOW, 1, 1, 2, d), 'INVALID_OPTION', 'paretoNbdDert: discountRate');
      expectCode(() => bgNbdDert(FHL_BG_NBD, 1, 1, 2, d), 'INVALID_OPTION', 'bgNbdDert: discountRate');
      expectCode(() => bgBbDert(FHS_DONATIONS, 1, 1, 2, d), 'INVALID_OPTION', 'bgBbDert: discountRate', 'opportunity');
    }
  });

  it('NaN for a history the fits drop (t_x > T, x = 0 < t_x, x > 0 = t_x, fractional x; BG/BB x > t_x)', () => {
    for (const [x, tx, T] of [
      [1, 5, 4],
      [0, 1, 4],
      [2, 0, 4],
      [1.5, 1, 4],
      [-1, 0, 4],
      [NaN, 1, 2],
    ]) {
      expect(paretoNbdDert(FHL_CDNOW, x, tx, T, 0.01)).toBeNaN();
      expect(bgNbdDert(FHL_BG_NBD, x, tx, T, 0.01)).toBeNaN();
    }
    for (const [x, tx, n] of [
      [2, 1, 6],
      [1, 7, 6],
      [0, 1, 6],
      [1, 0, 6],
      [1, 1.5, 6],
    ]) {
      expect(bgBbDert(FHS_DONATIONS, x, tx, n, 0.1)).toBeNaN();
    }
  });
});

function readDonations() {
  const [header, ...lines] = readLines(dataset('donations.csv'));
  const names = splitCsvLine(header);
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) splitCsvLine(line).forEach((v, j) => columns[names[j]].push(Number(v)));
  return columns;
}

describe('predictDert: a table, by model kind', () => {
  const cdnow = readCdnow(dataset('cdnow_customers_summary.csv'));
  const summary = { frequency: cdnow.x, recency: cdnow.t_x, T: cdnow.T };

  it('Pareto/NBD and BG/NBD on the 2,357 CDNOW customers: row by row the positional functions, NaN for a dropped row', () => {
    const rows = {
      frequency: [...cdnow.x.slice(0, 400), 2],
      recency: [...cdnow.t_x.slice(0, 400), 50],
      T: [...cdnow.T.slice(0, 400), 40],
    };
    const pareto = predictDert({ kind: 'paretoNbd', ...FHL_CDNOW }, summary, { discountRate: WEEKLY_15 });
    expect(pareto.length).toBe(2357);
    for (let i = 0; i < 2357; i += 7) {
      expect(pareto.get(i)).toBe(paretoNbdDert(FHL_CDNOW, cdnow.x[i], cdnow.t_x[i], cdnow.T[i], WEEKLY_15));
    }
    const bg = predictDert({ kind: 'bgNbd', ...FHL_BG_NBD }, rows, { discountRate: WEEKLY_15 });
    for (let i = 0; i < 400; i += 3) {
      expect(bg.get(i)).toBe(bgNbdDert(FHL_BG_NBD, cdnow.x[i], cdnow.t_x[i], cdnow.T[i], WEEKLY_15));
    }
    expect(bg.get(400)).toBeNaN(); // t_x after T
  });

  it("BG/BB on Hardie's donation groups: row by row bgBbDert, with custom column names", () => {
    const d = readDonations();
    const table = { x: d.frequency, tx: d.recency, n: d.periods };
    const dert = predictDert({ kind: 'betaGeoBetaBinomial', ...FHS_DONATIONS }, table, {
      discountRate: 0.1,
      frequency: 'x',
      recency: 'tx',
      periods: 'n',
    });
    expect(dert.length).toBe(d.frequency.length);
    d.frequency.forEach((x, i) =>
      expect(dert.get(i)).toBe(bgBbDert(FHS_DONATIONS, x, d.recency[i], d.periods[i], 0.1)),
    );
    const bad = predictDert(
      { kind: 'betaGeoBetaBinomial', ...FHS_DONATIONS },
      { frequency: [2, 1], recency: [1, 1], periods: [6, 6] },
      { discountRate: 0.1 },
    );
    expect(bad.get(0)).toBeNaN();
    expect(bad.get(1)).toBe(bgBbDert(FHS_DONATIONS, 1, 1, 6, 0.1));
  });

  it('refuses a model without DERT or without kind, an option of the other family, a bad rate, an unknown option', () => {
    const table = { frequency: [1], recency: [1], T: [2], periods: [2] };
    expectCode(
      () => predictDert({ params: FHL_BG_NBD.params } as never, table, { discountRate: 0.01 }),
      'INVALID_OPTION',
      "'bgNbd'",
      "'betaGeoBetaBinomial'",
    );
    expectCode(
      () => predictDert({ kind: 'mbgNbd', params: FHL_BG_NBD.params } as never, table, { discountRate: 0.01 }),
      'INVALID_OPTION',
      'mbgNbd',
    );
    expectCode(
      () => predictDert({ kind: 'bgNbd', ...FHL_BG_NBD }, table, { discountRate: 0.01, periods: 'periods' }),
      'INVALID_OPTION',
      'option periods',
    );
    expectCode(
      () => predictDert({ kind: 'betaGeoBetaBinomial', ...FHS_DONATIONS }, table, { discountRate: 0.1, T: 'T' }),
      'INVALID_OPTION',
      'option T',
    );
    expectCode(
      () => predictDert({ kind: 'paretoNbd', ...FHL_CDNOW }, table, {} as never),
      'INVALID_OPTION',
      'discountRate',
    );
    expectCode(
      () => predictDert({ kind: 'paretoNbd', ...FHL_CDNOW }, table, { discountRate: 0.01, horizon: 5 } as never),
      'INVALID_OPTION',
      'horizon',
    );
    expectCode(
      () => predictDert({ kind: 'paretoNbd', params: { ...FHL_CDNOW.params, r: 0 } }, table, { discountRate: 0.01 }),
      'INVALID_VALUE',
      'model.params.r',
    );
  });

  it('refuses a summary in another time unit than the model (INVALID_INPUT), and leaves its input unchanged', () => {
    const tx = Object.freeze({
      customer: Object.freeze(['a', 'a', 'a', 'b']),
      date: Object.freeze(['2024-01-01', '2024-01-20', '2024-03-01', '2024-01-10']),
      amount: Object.freeze([10, 20, 30, 5]),
    });
    const days = summaryFromTransactions(tx, { customer: 'customer', date: 'date', amount: 'amount', unit: 'day' });
    expectCode(
      () => predictDert({ kind: 'bgNbd', unit: 'week', ...FHL_BG_NBD }, days, { discountRate: WEEKLY_15 }),
      'INVALID_INPUT',
    );
    const weeks = summaryFromTransactions(tx, { customer: 'customer', date: 'date', amount: 'amount' });
    const dert = predictDert({ kind: 'bgNbd', unit: 'week', ...FHL_BG_NBD }, weeks, { discountRate: WEEKLY_15 });
    expect(dert.length).toBe(2);
    expect(dert.get(0)).toBeGreaterThan(0);
  });
});
