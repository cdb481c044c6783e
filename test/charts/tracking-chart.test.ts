import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index';
import { expectCode } from '../helpers/errors';
import { render } from './render';

/**
 * The tracking chart of a repeat-buying model, checked as the other CLV charts are (test/charts/clv-charts.test.ts):
 * the spec's structure, its data against the tracking table and a count of repeat purchases made here from the log,
 * and a headless render with the real vega-lite and vega that logs nothing.
 */
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let tx: Table;
let curve: Table;

beforeAll(() => {
  const store = api.sampleStore({ customers: 300, seed: 4 });
  tx = store.transactions;
  const summary = api.summaryFromTransactions(tx, { calibrationEnd: '2024-06-30' });
  curve = api.expectedCumulativeTransactions(api.fitBgNbd(summary), tx, { calibrationEnd: '2024-06-30' });
});

const column = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);

describe('trackingChart', () => {
  it('plots actual and model per period at the end of each period, cumulative by default, with the calibration rule', async () => {
    const spec = api.trackingChart(curve) as Spec;
    const rows = spec.layer[0].data.values as { period: number; time: number; source: string; transactions: number }[];
    expect(rows.length).toBe(2 * curve.numRows);
    const model = rows.filter((r) => r.source === 'model');
    const actual = rows.filter((r) => r.source === 'actual');
    expect(model.map((r) => r.transactions)).toEqual(column(curve, 'expectedCumulative'));
    expect(model.map((r) => r.time)).toEqual(column(curve, 'time'));
    // the actual cumulative count at the last period: every repeat purchase day of the cohort, counted here
    const days = new Map<unknown, Set<number>>();
    for (let i = 0; i < tx.numRows; i++) {
      const c = tx.getChild('customer')!.get(i);
      days.set(c, (days.get(c) ?? new Set()).add(Number(tx.getChild('date')!.get(i))));
    }
    const firsts = [...days.values()].map((s) => Math.min(...s));
    const calibrationEnd = Date.UTC(2024, 5, 30);
    let repeats = 0;
    for (const set of days.values()) {
      const first = Math.min(...set);
      if (first <= calibrationEnd) repeats += set.size - 1;
    }
    expect(actual[actual.length - 1].transactions).toBe(repeats);
    expect(firsts.length).toBeGreaterThan(0);
    // the rule at the end of the last calibration day, in weeks from the cohort's first purchase
    const rule = spec.layer.find((l: Spec) => l.name === 'calibrationEnd');
    expect(rule.mark.type).toBe('rule');
    expect(rule.data.values[0].time).toBe(Number(curve.schema.metadata.get('clientele.calibrationTime')));
    expect(spec.title.text).toContain('BG/NBD');
    expect((await render(spec)).messages).toEqual([]);
  });

  it('the incremental view plots each period’s transactions; a tracking table made from a summary has the model line only and no rule without a calibration end', async () => {
    const inc = api.trackingChart(curve, { view: 'incremental', width: 300 }) as Spec;
    const model = inc.layer[0].data.values.filter((r: Spec) => r.source === 'model');
    expect(model.map((r: Spec) => r.transactions)).toEqual(column(curve, 'expected'));
    expect(inc.width).toBe(300);
    expect((await render(inc)).messages).toEqual([]);
    const bare = api.expectedCumulativeTransactions(
      { kind: 'paretoNbd', params: { r: 0.5, alpha: 10, s: 0.6, beta: 12 } },
      tx,
    );
    const spec = api.trackingChart(bare) as Spec;
    expect(spec.layer.length).toBe(1);
    const summary = api.summaryFromTransactions(tx, { calibrationEnd: '2024-06-30' });
    const fromSummary = api.trackingChart(
      api.expectedCumulativeTransactions({ kind: 'bgNbd', params: { r: 0.5, alpha: 10, a: 0.8, b: 2 } }, summary),
    ) as Spec;
    expect(new Set(fromSummary.layer[0].data.values.map((r: Spec) => r.source))).toEqual(new Set(['model']));
    expect((await render(fromSummary)).messages).toEqual([]);
  });

  it('refuses what is not a tracking table, and bad options', () => {
    expectCode(() => api.trackingChart(42), 'INVALID_INPUT', 'expectedCumulativeTransactions');
    expectCode(() => api.trackingChart({ period: [1] }), 'MISSING_COLUMN', 'time', 'expectedCumulativeTransactions');
    expectCode(() => api.trackingChart(curve, { view: 'weekly' as never }), 'INVALID_OPTION', 'view');
    expectCode(() => api.trackingChart(curve, { veiw: 'cumulative' } as never), 'INVALID_OPTION', 'view');
  });
});
