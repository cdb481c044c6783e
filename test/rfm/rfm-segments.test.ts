import { makeVector, Schema, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { rfm, rfmSegments, sampleStore, STANDARD_SEGMENTS } from '../../src/index';
import { expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

/**
 * The R × FM grid of the standard segments, written out cell by cell from the documented table (rows R = 5 … 1,
 * columns FM = 1 … 5), independently of the rule list in src/.
 */
const GRID: Record<number, string[]> = {
  5: ['New', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions'],
  4: ['Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal'],
  3: ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'],
  2: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
  1: ['Lost', 'Lost', 'At Risk', 'At Risk', "Can't Lose Them"],
};

describe('rfmSegments', () => {
  it('names all 125 score combinations as the documented R × FM grid (FM = round half up of (F + M) / 2)', () => {
    const r: number[] = [];
    const f: number[] = [];
    const m: number[] = [];
    for (let a = 1; a <= 5; a++)
      for (let b = 1; b <= 5; b++)
        for (let c = 1; c <= 5; c++) {
          r.push(a);
          f.push(b);
          m.push(c);
        }
    const named = col(rfmSegments({ r, f, m }), 'segment');
    named.forEach((name, i) => expect(name).toBe(GRID[r[i]][Math.floor((f[i] + m[i]) / 2 + 0.5) - 1]));
    expect(new Set(named).size).toBe(11);
    expect(named).not.toContain('Other');
  });

  it('uses a user map: first matching rule wins, the rest are "other"', () => {
    const map = {
      rules: [
        { name: 'VIP', f: [4, 5] as const, m: [4, 5] as const },
        { name: 'Recent', r: [4, 5] as const },
        { name: 'Also VIP (never reached)', f: [5, 5] as const },
      ],
      other: 'Rest',
    };
    const named = col(rfmSegments({ r: [5, 5, 1, 1], f: [5, 1, 5, 1], m: [5, 1, 4, 1] }, map), 'segment');
    expect(named).toEqual(['VIP', 'Recent', 'VIP', 'Rest']);
  });

  it('keeps every other column and replaces an existing segment column', () => {
    const scored = rfm(sampleStore({ customers: 50, seed: 2 }).transactions);
    const renamed = rfmSegments(scored, { rules: [{ name: 'Everyone' }] });
    expect(renamed.schema.fields.map((x) => x.name)).toEqual(scored.schema.fields.map((x) => x.name));
    expect(new Set(col(renamed, 'segment'))).toEqual(new Set(['Everyone']));
    expect(col(renamed, 'score')).toEqual(col(scored, 'score'));
  });

  it('rescales the 1–5 standard map to other bins by interval mid-points (bins 3: 1→1, 2→3, 3→5)', () => {
    const scored = rfm(
      { id: [1, 2, 3], rec: [1, 50, 99], freq: [9, 5, 1], mon: [900, 500, 100] },
      { customer: 'id', recency: 'rec', frequency: 'freq', monetary: 'mon', bins: 3 },
    );
    expect(col(scored, 'score')).toEqual(['333', '222', '111']);
    expect(col(scored, 'segment')).toEqual([GRID[5][4], GRID[3][2], GRID[1][0]]);
  });

  it('exports the standard map frozen', () => {
    expect(Object.isFrozen(STANDARD_SEGMENTS)).toBe(true);
    expect(STANDARD_SEGMENTS.rules.map((x) => x.name)).toEqual([
      'Champions',
      'Loyal',
      'Potential Loyalist',
      'New',
      'Promising',
      'Need Attention',
      'About to Sleep',
      "Can't Lose Them",
      'At Risk',
      'Hibernating',
      'Lost',
    ]);
  });

  describe('bad input', () => {
    it('score 0 → INVALID_VALUE naming column and row', () =>
      expectCode(() => rfmSegments({ r: [1, 0], f: [1, 1], m: [1, 1] }), 'INVALID_VALUE', '"r" row 1'));
    it('fractional score → INVALID_VALUE', () =>
      expectCode(() => rfmSegments({ r: [1], f: [1.5], m: [1] }), 'INVALID_VALUE', '"f"'));
    it('missing m → MISSING_COLUMN', () => expectCode(() => rfmSegments({ r: [1], f: [1] }), 'MISSING_COLUMN', '"m"'));
    it('empty rules → INVALID_OPTION', () =>
      expectCode(() => rfmSegments({ r: [1], f: [1], m: [1] }, { rules: [] }), 'INVALID_OPTION', 'rules'));
    it('reversed range → INVALID_OPTION', () =>
      expectCode(
        () => rfmSegments({ r: [1], f: [1], m: [1] }, { rules: [{ name: 'x', r: [5, 1] }] }),
        'INVALID_OPTION',
        'low ≤ high',
      ));
    it('score above the bins rfm recorded → INVALID_VALUE', () => {
      const plain = new Table({
        r: makeVector(Int8Array.from([4])),
        f: makeVector(Int8Array.from([1])),
        m: makeVector(Int8Array.from([1])),
      });
      const scoredOn3 = new Table(new Schema(plain.schema.fields, new Map([['clientele.bins', '3']])), plain.batches);
      expectCode(() => rfmSegments(scoredOn3), 'INVALID_VALUE', 'above the 3 bins');
    });
  });
});
