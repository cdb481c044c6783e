import { describe, expect, it } from 'vitest';
import { rfm, rfmSummary, sampleStore } from '../../src/index';
import { col } from '../helpers/reference';

describe('rfmSummary', () => {
  it('equals a plain group-by of the rfm table (counts exact, means to 1e-9)', () => {
    const scored = rfm(sampleStore({ customers: 800, seed: 21 }).transactions);
    const summary = rfmSummary(scored);
    const seg = col(scored, 'segment') as string[];
    const mon = col(scored, 'monetary') as number[];
    const rec = col(scored, 'recency') as number[];
    const groups = new Map<string, number[]>();
    seg.forEach((s, i) => groups.set(s, [...(groups.get(s) ?? []), i]));
    const total = mon.reduce((a, b) => a + Math.max(b, 0), 0);
    const names = col(summary, 'segment') as string[];
    expect(new Set(names)).toEqual(new Set(groups.keys()));
    names.forEach((name, k) => {
      const rows = groups.get(name)!;
      expect(col(summary, 'customers')[k]).toBe(rows.length);
      expect(col(summary, 'recency')[k] as number).toBeCloseTo(rows.reduce((a, i) => a + rec[i], 0) / rows.length, 9);
      expect(col(summary, 'revenueShare')[k] as number).toBeCloseTo(
        rows.reduce((a, i) => a + Math.max(mon[i], 0), 0) / total,
        9,
      );
    });
    const revenue = col(summary, 'revenue') as number[];
    for (let k = 1; k < revenue.length; k++) expect(revenue[k]).toBeLessThanOrEqual(revenue[k - 1]);
    expect((col(summary, 'customerShare') as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
