import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_MODELS } from '../../src/clv/repeat-models';
import {
  bgNbdConditionalExpectedPurchases,
  expectedCumulativeTransactions,
  fitBgNbd,
  fitMbgNbd,
  fitParetoNbd,
  holdoutValidation,
  mbgNbdConditionalExpectedPurchases,
  paretoNbdConditionalExpectedPurchases,
  sampleStore,
  summaryFromTransactions,
} from '../../src/index';
import type { HoldoutValidation } from '../../src/index';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

/**
 * Holdout validation of the repeat-buying models in one call, against the CDNOW figures of the BTYD walkthrough
 * (McCarthy & Wadsworth, BTYD 2.4.3: the log-likelihoods of §3.2 and §4.2, and the tables of
 * `pnbd.PlotFreqVsConditionalExpectedFrequency` §3.4 and `bgnbd.PlotFreqVsConditionalExpectedFrequency` §4.4), and
 * against a brute force that refits and predicts with the public functions customer by customer.
 */

const column = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);

function cdnowLog() {
  const rows = readLines(dataset('CDNOW_sample.txt')).map((l) => l.trim().split(/\s+/));
  return {
    customer: rows.map((r) => Number(r[1])),
    date: rows.map((r) => Number(r[2])),
    amount: rows.map((r) => Number(r[4])),
  };
}

describe('holdoutValidation on CDNOW (39 + 39 weeks): the BTYD walkthrough', () => {
  let log: ReturnType<typeof cdnowLog>;
  let v: HoldoutValidation;
  beforeAll(() => {
    log = cdnowLog();
    const summary = summaryFromTransactions(log, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    v = holdoutValidation(summary, { models: ['bgNbd', 'paretoNbd'], transactions: log });
  });

  const rowsOf = (kind: string) => {
    const t = v.byFrequency;
    const kinds = t.getChild('model')!.toArray() as unknown as string[];
    const pick = (name: string) => column(t, name).filter((_, i) => String(t.getChild('model')!.get(i)) === kind);
    expect(kinds.length).toBe(t.numRows);
    return { customers: pick('customers'), actual: pick('actual'), predicted: pick('predicted') };
  };

  it('log-likelihoods equal BTYD (BG/NBD −9,582.429, Pareto/NBD −9,594.976; ±1e-3), AIC and BIC follow from them, BG/NBD best in-sample', () => {
    const [bg, pareto] = v.models;
    expect(bg.logLikelihood).toBeCloseTo(-9582.429, 3);
    expect(pareto.logLikelihood).toBeCloseTo(-9594.976, 3);
    // k = 4 parameters, n = 2,357 customers
    expect(bg.bic).toBeCloseTo(4 * Math.log(2357) + 2 * 9582.429, 2);
    expect(pareto.aic).toBeCloseTo(8 + 2 * 9594.976, 2);
    expect(v.best.logLikelihood).toBe('bgNbd');
    expect(v.best.bic).toBe('bgNbd');
    expect(v.customers).toBe(2357);
  });

  it('the per-frequency table equals BTYD bgnbd.PlotFreqVsConditionalExpectedFrequency (±3e-4) and pnbd.… (±2e-3), bins and actual means exactly', () => {
    const bins = [1411, 439, 214, 100, 62, 38, 29, 64];
    const actual = [0.2367116, 0.6970387, 1.392523, 1.56, 2.532258, 2.947368, 3.862069, 6.359375];
    const bgExpected = [0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036];
    // BTYD prints the Pareto/NBD table to 3 decimals with its estimate β = 11.656 (ours 11.669, same likelihood)
    const paretoExpected = [0.138, 0.6, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403];
    for (const [kind, expected, tolerance] of [
      ['bgNbd', bgExpected, 3e-4],
      ['paretoNbd', paretoExpected, 2e-3],
    ] as const) {
      const rows = rowsOf(kind);
      expect(rows.customers).toEqual(bins);
      rows.actual.forEach((a, g) => expect(Math.abs(a - actual[g])).toBeLessThan(1e-6));
      rows.predicted.forEach((p, g) => expect(Math.abs(p - expected[g])).toBeLessThan(tolerance));
    }
  });

  it('total holdout transactions equal a count from the raw log (repeat purchase days in weeks 40–78), and the tracking curve is expectedCumulativeTransactions of the fit', () => {
    const days = new Map<number, Set<number>>();
    log.customer.forEach((c, i) => days.set(c, (days.get(c) ?? new Set()).add(log.date[i])));
    let holdout = 0;
    for (const set of days.values()) for (const d of set) if (d > 19970930 && d <= 19980630) holdout++;
    for (const m of v.models) {
      expect(m.actual).toBe(holdout);
      const curve = expectedCumulativeTransactions(m.model!, log, { calibrationEnd: '1997-09-30' });
      expect(column(m.tracking!, 'expectedCumulative')).toEqual(column(curve, 'expectedCumulative'));
      // the holdout periods are weeks 40–78; their errors recomputed here
      const e = column(curve, 'expected').slice(39);
      const a = column(curve, 'actual').slice(39);
      expect(a.reduce((s, x) => s + x, 0)).toBe(holdout);
      expect(m.trackingError).toBeCloseTo(
        e.reduce((s, x, k) => s + x - a[k], 0),
        9,
      );
      expect(m.trackingMae).toBeCloseTo(e.reduce((s, x, k) => s + Math.abs(x - a[k]), 0) / 39, 9);
    }
    expect(v.holdoutPeriods).toEqual(Array.from({ length: 39 }, (_, k) => k + 40));
  });
});

describe('holdoutValidation against a refit and predictions by hand', () => {
  const store = sampleStore({ customers: 400, seed: 9 });
  const summary = summaryFromTransactions(store.transactions, {
    calibrationEnd: '2024-06-30',
    holdoutEnd: '2024-12-31',
  });
  const x = column(summary, 'frequency');
  const tx = column(summary, 'recency');
  const T = column(summary, 'T');
  const y = column(summary, 'frequencyHoldout');
  const tau = column(summary, 'durationHoldout');

  it('every figure of both models equals the public fit and conditional expectation summed customer by customer (1e-9)', () => {
    const v = holdoutValidation(summary, { models: ['paretoNbd', 'bgNbd'], maxFrequency: 3 });
    expect(v.models.map((m) => m.kind)).toEqual(['paretoNbd', 'bgNbd']);
    const fits = { bgNbd: fitBgNbd(summary), paretoNbd: fitParetoNbd(summary) };
    const predict = {
      bgNbd: (i: number) => bgNbdConditionalExpectedPurchases(fits.bgNbd, x[i], tx[i], T[i], tau[i]),
      paretoNbd: (i: number) => paretoNbdConditionalExpectedPurchases(fits.paretoNbd, x[i], tx[i], T[i], tau[i]),
    };
    const n = x.length;
    for (const m of v.models) {
      const fit = fits[m.kind as 'bgNbd' | 'paretoNbd'];
      expect(m.model!.params).toEqual(fit.params);
      const p = Array.from({ length: n }, (_, i) => predict[m.kind as 'bgNbd' | 'paretoNbd'](i));
      const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.abs(b) + 1e-12);
      close(m.mae, p.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / n);
      close(m.rmse, Math.sqrt(p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / n));
      close(
        m.predicted,
        p.reduce((s, v) => s + v, 0),
      );
      expect(m.actual).toBe(y.reduce((s, v) => s + v, 0));
      close(m.aic, 8 - 2 * fit.logLikelihood);
      close(m.bic, 4 * Math.log(n) - 2 * fit.logLikelihood);
      // the bins 0, 1, 2, 3+ by hand
      for (let g = 0; g <= 3; g++) {
        const members = x.map((_, i) => i).filter((i) => (g === 3 ? x[i] >= 3 : x[i] === g));
        const t = v.byFrequency;
        const row = Array.from({ length: t.numRows }, (_, r) => t.get(r)!.toJSON()).find(
          (r) => r.model === m.kind && r.order === g,
        )!;
        expect(row.frequency).toBe(g === 3 ? '3+' : String(g));
        expect(row.customers).toBe(members.length);
        close(row.actual, members.reduce((s, i) => s + y[i], 0) / members.length);
        close(row.predicted, members.reduce((s, i) => s + p[i], 0) / members.length);
      }
    }
    const byMae = [...v.models].sort((a, b) => a.mae - b.mae)[0].kind;
    expect(v.best.mae).toBe(byMae);
    expect(v.warnings).toEqual([]);
    expect(v.best.trackingMae).toBeNull();
    expect(Number.isNaN(v.models[0].trackingMae)).toBe(true);
  });

  it('compares every model of the registry by default, and the result is frozen', () => {
    const v = holdoutValidation(summary);
    expect(v.models.map((m) => m.kind)).toEqual(Object.keys(REPEAT_MODELS));
    expect(v.models.map((m) => m.label)).toEqual(Object.values(REPEAT_MODELS).map((e) => e.label));
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.models[0])).toBe(true);
    // the MBG/NBD joined the registry after this function was written: its figures, by hand with its public functions
    const mbg = v.models.find((m) => m.kind === 'mbgNbd')!;
    const fit = fitMbgNbd(summary);
    expect(mbg.model!.params).toEqual(fit.params);
    const p = x.map((_, i) => mbgNbdConditionalExpectedPurchases(fit, x[i], tx[i], T[i], tau[i]));
    expect(mbg.mae).toBeCloseTo(p.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / x.length, 12);
    expect(mbg.bic).toBeCloseTo(4 * Math.log(x.length) - 2 * fit.logLikelihood, 9);
  });

  it('leaves its inputs unchanged: a frozen summary of plain columns and a frozen log give the same figures', () => {
    const plain = Object.freeze({
      frequency: Object.freeze(x.slice()),
      recency: Object.freeze(tx.slice()),
      T: Object.freeze(T.slice()),
      frequencyHoldout: Object.freeze(y.slice()),
      durationHoldout: Object.freeze(tau.slice()),
    });
    const v = holdoutValidation(plain, { models: ['bgNbd'] });
    const w = holdoutValidation(summary, { models: ['bgNbd'] });
    expect(v.models[0].mae).toBe(w.models[0].mae);
    expect(plain.frequency).toEqual(x);
  });

  it('throws the fits’ NOT_IDENTIFIED when every model fails, naming each model', () => {
    const flat = {
      frequency: [0, 0, 0],
      recency: [0, 0, 0],
      T: [5, 6, 7],
      frequencyHoldout: [0, 1, 0],
      durationHoldout: [4, 4, 4],
    };
    expectCode(() => holdoutValidation(flat), 'NOT_IDENTIFIED', 'BG/NBD', 'Pareto/NBD');
  });

  it('refuses bad options and a summary without holdout', () => {
    expectCode(() => holdoutValidation(summary, { models: ['mbgNbdx' as never] }), 'INVALID_OPTION', 'bgNbd');
    expectCode(() => holdoutValidation(summary, { models: [] }), 'INVALID_OPTION', 'models');
    expectCode(() => holdoutValidation(summary, { models: ['bgNbd', 'bgNbd'] }), 'INVALID_OPTION', 'distinct');
    expectCode(() => holdoutValidation(summary, { maxFrequency: 0 }), 'INVALID_OPTION', 'maxFrequency');
    expectCode(() => holdoutValidation(summary, { model: ['bgNbd'] } as never), 'INVALID_OPTION', 'models');
    const calibrationOnly = summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30' });
    expectCode(() => holdoutValidation(calibrationOnly), 'MISSING_COLUMN', 'frequencyHoldout', 'holdoutEnd');
    const plain = { frequency: [1, 0], recency: [2, 0], T: [5, 6], frequencyHoldout: [0, 1], durationHoldout: [4, 4] };
    expectCode(() => holdoutValidation(plain, { transactions: store.transactions }), 'INVALID_INPUT', 'calibrationEnd');
  });
});
