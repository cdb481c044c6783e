import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index';
import { expectCode } from '../helpers/errors';
import { render } from './render';

/** The lifetimes-style charts of a fitted BG/NBD or Pareto/NBD model, checked against the library's own predictions. */
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let holdout: ReturnType<typeof api.summaryFromTransactions>;
let bg: ReturnType<typeof api.fitBgNbd>;
let pareto: ReturnType<typeof api.fitParetoNbd>;

beforeAll(() => {
  const store = api.sampleStore({ customers: 800, seed: 11 });
  holdout = api.summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30', holdoutEnd: '2024-12-30' });
  bg = api.fitBgNbd(holdout);
  pareto = api.fitParetoNbd(holdout);
});

const column = (name: string) => Array.from((holdout as Table).getChild(name)!.toArray() as Float64Array);

describe('frequencyRecencyMatrix', () => {
  it('each cell is the library prediction for its (x, t_x, T): expected purchases (BG/NBD) and P(alive) (Pareto/NBD)', async () => {
    const T = Math.max(...column('T'));
    const spec = api.frequencyRecencyMatrix(bg, holdout, { t: 4, maxFrequency: 10, recencyCells: 8 }) as Spec;
    expect(spec.data.values.length).toBe(11 * 8);
    for (const cell of spec.data.values) {
      const tx = cell.frequency === 0 ? 0 : (cell.recencyFrom + cell.recencyTo) / 2;
      expect(cell.recency).toBeCloseTo(tx, 12);
      expect(cell.T).toBe(T);
      expect(cell.value).toBe(api.bgNbdConditionalExpectedPurchases(bg, cell.frequency, tx, T, 4));
    }
    const alive = api.frequencyRecencyMatrix(pareto, holdout, {
      quantity: 'probabilityAlive',
      maxFrequency: 5,
    }) as Spec;
    for (const cell of alive.data.values) {
      expect(cell.value).toBe(api.paretoNbdProbabilityAlive(pareto, cell.frequency, cell.recency, T));
    }
    // the cells tile [0, T] × {0 … maxFrequency} without gaps
    const row = spec.data.values.filter((c: Spec) => c.frequency === 3);
    expect(row[0].recencyFrom).toBe(0);
    expect(row[row.length - 1].recencyTo).toBeCloseTo(T, 9);
    for (let j = 1; j < row.length; j++) expect(row[j].recencyFrom).toBeCloseTo(row[j - 1].recencyTo, 12);
    expect((await render(spec)).messages).toEqual([]);
  });

  it('refuses a model that is not BG/NBD or Pareto/NBD, and bad options', () => {
    expectCode(() => api.frequencyRecencyMatrix({ params: { x: 1 } }, holdout), 'INVALID_INPUT', 'fitBgNbd');
    expectCode(
      () => api.frequencyRecencyMatrix(bg, holdout, { quantity: 'alive' as never }),
      'INVALID_OPTION',
      'quantity',
    );
    expectCode(() => api.frequencyRecencyMatrix(bg, holdout, { t: 0 }), 'INVALID_OPTION', 't');
    expectCode(() => api.frequencyRecencyMatrix(bg, { frequency: [1] }), 'MISSING_COLUMN', 'recency');
  });
});

describe('periodTransactionsChart', () => {
  it('counts the actual customers by repeat purchases, and the model bars are Σ P(X(Tᵢ) = x), summing to the customers', () => {
    const spec = api.periodTransactionsChart(bg, holdout) as Spec;
    const x = column('frequency');
    const T = column('T');
    const rows = spec.data.values as { frequency: string; source: string; customers: number }[];
    const labels = ['0', '1', '2', '3', '4', '5', '6', '7+'];
    expect(rows.filter((r) => r.source === 'actual').map((r) => r.frequency)).toEqual(labels);
    for (let k = 0; k < 8; k++) {
      const actual = x.filter((v) => (k === 7 ? v >= 7 : v === k)).length;
      expect(rows.find((r) => r.source === 'actual' && r.frequency === labels[k])!.customers).toBe(actual);
    }
    // the expectation, customer by customer (no grouping by age as in the chart)
    for (let k = 0; k < 7; k++) {
      const expected = T.reduce((s, t) => s + api.bgNbdProbabilityOfPurchases(bg, k, t), 0);
      expect(rows.find((r) => r.source === 'model' && r.frequency === labels[k])!.customers).toBeCloseTo(expected, 6);
    }
    const total = rows.filter((r) => r.source === 'model').reduce((s, r) => s + r.customers, 0);
    expect(total).toBeCloseTo(x.length, 9);
    // and the tail computed directly: Σᵢ (1 − Σ_{k<7} P(X(Tᵢ) = k)) agrees with the chart's remainder
    const tail = T.reduce(
      (s, t) => s + 1 - [0, 1, 2, 3, 4, 5, 6].reduce((a, k) => a + api.bgNbdProbabilityOfPurchases(bg, k, t), 0),
      0,
    );
    expect(rows.find((r) => r.source === 'model' && r.frequency === '7+')!.customers).toBeCloseTo(tail, 6);
  });

  it('draws the Pareto/NBD from its own PMF: the model bars are Σᵢ paretoNbdProbabilityOfPurchases(x, Tᵢ) (1e-6)', () => {
    const spec = api.periodTransactionsChart(pareto, holdout) as Spec;
    const T = column('T');
    const rows = spec.data.values as { frequency: string; source: string; customers: number }[];
    for (let k = 0; k < 7; k++) {
      const expected = T.reduce((s, t) => s + api.paretoNbdProbabilityOfPurchases(pareto, k, t), 0);
      expect(rows.find((r) => r.source === 'model' && r.frequency === String(k))!.customers).toBeCloseTo(expected, 6);
    }
  });

  it('refuses a bad maxFrequency', () => {
    expectCode(() => api.periodTransactionsChart(bg, holdout, { maxFrequency: 0 }), 'INVALID_OPTION', 'maxFrequency');
  });
});

describe('calibrationHoldoutChart', () => {
  it('plots the mean actual holdout purchases and the mean conditional expectation per calibration frequency', async () => {
    for (const model of [bg, pareto]) {
      const spec = api.calibrationHoldoutChart(model, holdout, { maxFrequency: 5 }) as Spec;
      const x = column('frequency');
      const tx = column('recency');
      const T = column('T');
      const y = column('frequencyHoldout');
      const tau = column('durationHoldout');
      const predict = (x: number, tx: number, T: number, t: number) =>
        model === bg
          ? api.bgNbdConditionalExpectedPurchases(bg, x, tx, T, t)
          : api.paretoNbdConditionalExpectedPurchases(pareto, x, tx, T, t);
      for (let g = 0; g <= 5; g++) {
        const members = x.map((_, i) => i).filter((i) => (g === 5 ? x[i] >= 5 : x[i] === g));
        if (members.length === 0) continue;
        const label = g === 5 ? '5+' : String(g);
        const mean = (f: (i: number) => number) => members.reduce((s, i) => s + f(i), 0) / members.length;
        const rows = spec.data.values.filter((r: Spec) => r.frequency === label);
        expect(rows.find((r: Spec) => r.source === 'actual').purchases).toBeCloseTo(
          mean((i) => y[i]),
          12,
        );
        expect(rows.find((r: Spec) => r.source === 'model').purchases).toBeCloseTo(
          mean((i) => predict(x[i], tx[i], T[i], tau[i])),
          12,
        );
        expect(rows[0].customers).toBe(members.length);
      }
      expect((await render(spec)).messages).toEqual([]);
    }
  });

  it('asks for a summary with a holdout', () => {
    const calibrationOnly = api.summaryFromTransactions(api.sampleStore({ customers: 50, seed: 2 }).transactions);
    expectCode(
      () => api.calibrationHoldoutChart(bg, calibrationOnly),
      'MISSING_COLUMN',
      'frequencyHoldout',
      'holdoutEnd',
    );
  });
});
