import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { droppedRows } from '../../src/index';
import { randomSource } from '../../src/math/random';
import { churnModel, predictChurn } from '../../src/segment/churn-model';
import type { ChurnModel } from '../../src/segment/churn-model';
import { expectCode } from '../helpers/errors';
import { col } from '../helpers/reference';

/** AUC by brute force: over every (churner, stayer) pair, 1 when the churner scores higher, ½ on a tie. */
function bruteForceAuc(scores: number[], churned: boolean[]): number {
  let pairs = 0;
  let wins = 0;
  scores.forEach((p, i) => {
    if (!churned[i]) return;
    scores.forEach((q, j) => {
      if (churned[j]) return;
      pairs++;
      wins += p > q ? 1 : p === q ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** A store where churn rises with recency and falls with frequency, with noise. */
function store(n: number, seed: number) {
  const rng = randomSource(seed);
  const recency = Array.from({ length: n }, () => Math.floor(rng.uniform() * 365));
  const frequency = Array.from({ length: n }, () => rng.poisson(3));
  const churned = recency.map((r, i) => rng.uniform() < 1 / (1 + Math.exp(-(r / 60 - 3 - 0.4 * frequency[i] + 1))));
  return { recency, frequency, churned };
}

/** Test-set metrics recomputed by hand from `predict` on the test rows. */
function evaluateByHand(model: ChurnModel, table: { recency: number[]; frequency: number[]; churned: boolean[] }) {
  const scored = model.predict(table);
  const probability = col(scored, 'probability') as number[];
  const churn = col(scored, 'churn') as boolean[];
  const rows = Array.from(model.testRows);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const i of rows) {
    if (churn[i] && table.churned[i]) tp++;
    else if (churn[i]) fp++;
    else if (table.churned[i]) fn++;
    else tn++;
  }
  return {
    accuracy: (tp + tn) / rows.length,
    confusion: { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn },
    auc: bruteForceAuc(
      rows.map((i) => probability[i]),
      rows.map((i) => table.churned[i]),
    ),
  };
}

describe('churnModel', () => {
  it('finds the one split between stayers and churners: accuracy 1, AUC 1, pure leaves', () => {
    const recency = [3, 8, 15, 20, 25, 31, 40, 45, 90, 100, 120, 130, 150, 160, 170, 200];
    const churned = recency.map((r) => r > 60);
    const model = churnModel({ recency, churned }, { features: ['recency'], label: 'churned' });
    expect(model.leaves).toBe(2);
    expect(model.depth).toBe(1);
    const [risky, safe] = model.rules;
    expect([risky.churnRate, risky.predicted, risky.purity, risky.support]).toEqual([1, true, 1, 6]);
    expect([safe.churnRate, safe.predicted, safe.purity, safe.support]).toEqual([0, false, 1, 6]);
    // one cut between the largest stayer and the smallest churner in the training rows: somewhere in [45, 90)
    const threshold = risky.conditions[0].threshold;
    expect(risky.conditions).toEqual([{ feature: 'recency', op: '>', threshold }]);
    expect(threshold).toBeGreaterThanOrEqual(45);
    expect(threshold).toBeLessThan(90);
    expect([model.accuracy, model.auc, model.precision, model.recall, model.baseRate]).toEqual([1, 1, 1, 1, 0.5]);
    expect([model.train, model.test]).toEqual([12, 4]); // round(0.3 · 8) = 2 of each class held out
    expect(model.confusion).toEqual({ truePositive: 2, falsePositive: 0, trueNegative: 2, falseNegative: 0 });
    expect(model.positive).toBe(true);
  });

  it('reports accuracy, confusion matrix and AUC that a recount by hand and a brute-force pair count confirm', () => {
    const table = store(600, 3);
    const model = churnModel(table, { features: ['recency', 'frequency'], label: 'churned', seed: 7 });
    const hand = evaluateByHand(model, table);
    expect(model.confusion).toEqual(hand.confusion);
    expect(model.accuracy).toBeCloseTo(hand.accuracy, 14);
    expect(model.auc).toBeCloseTo(hand.auc, 14);
    const { truePositive: tp, falsePositive: fp, falseNegative: fn } = hand.confusion;
    expect(model.precision).toBeCloseTo(tp / (tp + fp), 14);
    expect(model.recall).toBeCloseTo(tp / (tp + fn), 14);
    expect(model.baseRate).toBeCloseTo(table.churned.filter(Boolean).length / 600, 14);
    expect(model.auc).toBeGreaterThan(0.7); // churn does depend on recency and frequency
  });

  it('AUC equals the brute-force pair count on random data, ties included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 30, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, n, maxDepth) => {
          const table = store(n, seed);
          const churners = table.churned.filter(Boolean).length;
          fc.pre(churners >= 4 && n - churners >= 4);
          const model = churnModel(table, {
            features: ['recency', 'frequency'],
            label: 'churned',
            maxDepth,
            seed,
            minLeafSize: 1,
          });
          const hand = evaluateByHand(model, table);
          if (Number.isNaN(hand.auc)) expect(model.auc).toBeNaN();
          else expect(model.auc).toBeCloseTo(hand.auc, 12);
          expect(model.accuracy).toBeCloseTo(hand.accuracy, 12);
          expect(model.rules.reduce((s, r) => s + r.support, 0)).toBe(model.train);
          for (const rule of model.rules) {
            expect(rule.churnRate).toBeGreaterThanOrEqual(0);
            expect(rule.churnRate).toBeLessThanOrEqual(1);
            expect(rule.purity).toBeGreaterThanOrEqual(0.5);
            expect(rule.predicted).toBe(rule.churnRate > 0.5);
          }
          for (let r = 1; r < model.rules.length; r++)
            expect(model.rules[r - 1].churnRate).toBeGreaterThanOrEqual(model.rules[r].churnRate);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds out a stratified test set: each class within one row of its share, train and test disjoint', () => {
    for (const testShare of [0.2, 0.3, 0.5]) {
      const table = store(437, 5);
      const model = churnModel(table, { features: ['recency', 'frequency'], label: 'churned', testShare });
      const churners = table.churned.filter(Boolean).length;
      const testChurners = Array.from(model.testRows).filter((i) => table.churned[i]).length;
      expect(Math.abs(testChurners - testShare * churners)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(model.test - testChurners - testShare * (437 - churners))).toBeLessThanOrEqual(0.5);
      expect(model.train + model.test).toBe(437);
      expect(new Set(model.testRows).size).toBe(model.test);
    }
  });

  it('is deterministic for a seed, and the split changes with the seed', () => {
    const table = store(300, 8);
    const options = { features: ['recency', 'frequency'], label: 'churned', seed: 12 };
    const a = churnModel(table, options);
    const b = churnModel(table, options);
    const { predict: _a, ...restA } = a;
    const { predict: _b, ...restB } = b;
    expect(restA).toEqual(restB);
    expect(Array.from(churnModel(table, { ...options, seed: 13 }).testRows)).not.toEqual(Array.from(a.testRows));
  });

  it('reads 0/1 labels, text labels with positive, and a numeric positive other than 1', () => {
    const recency = [1, 2, 3, 4, 5, 6, 7, 8, 60, 70, 80, 90, 100, 110, 120, 130];
    const flags = recency.map((r) => (r > 30 ? 1 : 0));
    const numeric = churnModel({ recency, churn: flags }, { features: ['recency'], label: 'churn' });
    expect([numeric.positive, numeric.accuracy]).toEqual([1, 1]);
    expect(numeric.rules[0].conditions[0].op).toBe('>');

    const status = flags.map((f) => (f ? 'lost' : 'active'));
    const text = churnModel({ recency, status }, { features: ['recency'], label: 'status', positive: 'lost' });
    expect(text.positive).toBe('lost');
    expect(text.rules.map((r) => r.churnRate)).toEqual(numeric.rules.map((r) => r.churnRate));

    // the other way round: "active" as the positive class turns the rates round
    const flipped = churnModel({ recency, status }, { features: ['recency'], label: 'status', positive: 'active' });
    expect(flipped.rules[0].conditions[0].op).toBe('≤');

    const retained = churnModel(
      { recency, kept: flags.map((f) => 1 - f) },
      { features: ['recency'], label: 'kept', positive: 0 },
    );
    expect(retained.rules.map((r) => r.churnRate)).toEqual(numeric.rules.map((r) => r.churnRate));
  });

  it('drops and counts rows with a null label or a missing feature', () => {
    const recency = [1, 2, 3, 4, NaN, 6, 7, 8, 60, 70, 80, 90, 100, null, 120, 130, 140];
    const churned = [
      false,
      false,
      false,
      false,
      false,
      null,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      null,
      true,
    ];
    const model = churnModel({ recency, churned }, { features: ['recency'], label: 'churned' });
    expect(model.rows).toEqual({
      rows: 17,
      kept: 13,
      dropped: { invalidValue: 2, missingLabel: 2 },
      firstRow: { invalidValue: 4, missingLabel: 5 },
      total: 4,
    });
    expect(model.train + model.test).toBe(13);
  });

  it('predict scores every input row in order: nulls where a feature is missing, counted', () => {
    const model = churnModel(
      { days: [1, 2, 3, 4, 5, 6, 50, 60, 70, 80, 90, 95], churned: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] },
      { features: ['days'], label: 'churned' },
    );
    const scored = model.predict({ days: [3, null, 75, NaN, Infinity, -5] });
    expect(scored.schema.fields.map((f) => f.name)).toEqual(['probability', 'churn', 'leaf']);
    expect(col(scored, 'churn')).toEqual([false, null, true, null, null, false]);
    expect(scored.getChild('probability')!.get(0)).toBe(0);
    expect(scored.getChild('probability')!.get(1)).toBeNull();
    expect(scored.getChild('probability')!.get(2)).toBe(1);
    const leaf = scored.getChild('leaf')!;
    expect(leaf.get(1)).toBeNull();
    expect(model.rules.find((r) => r.leaf === leaf.get(2))!.predicted).toBe(true);
    expect(droppedRows(scored)).toEqual({
      rows: 6,
      kept: 3,
      dropped: { invalidValue: 3 },
      firstRow: { invalidValue: 1 },
      total: 3,
    });
  });

  it('predictChurn is pure: the same table as model.predict, also from the model as JSON', () => {
    const table = store(200, 4);
    const model = churnModel(table, { features: ['recency', 'frequency'], label: 'churned' });
    const direct = predictChurn(model, table);
    const viaMethod = model.predict(table);
    const fromJson = predictChurn(JSON.parse(JSON.stringify(model)), table);
    for (const name of ['probability', 'churn', 'leaf']) {
      expect(col(viaMethod, name)).toEqual(col(direct, name));
      expect(col(fromJson, name)).toEqual(col(direct, name));
    }
    // every row gets its leaf's churn rate
    const probability = col(direct, 'probability') as number[];
    const leaf = col(direct, 'leaf') as number[];
    probability.forEach((p, i) => expect(p).toBe(model.rules.find((r) => r.leaf === leaf[i])!.churnRate));
  });

  it('fits on a stratified sample above maxFitRows and still counts every training row', () => {
    const table = store(3000, 9);
    const model = churnModel(table, { features: ['recency', 'frequency'], label: 'churned', maxFitRows: 400 });
    expect(model.tree.fittedRows).toBe(400);
    expect(model.tree.countedRows).toBe(model.train);
    expect(model.rules.reduce((s, r) => s + r.support, 0)).toBe(model.train);
    expect(evaluateByHand(model, table).auc).toBeCloseTo(model.auc, 12);
  });

  it('leaves frozen inputs unchanged and returns a frozen model', () => {
    const records = Object.freeze(
      [1, 2, 3, 4, 5, 6, 50, 60, 70, 80, 90, 95].map((d, i) => Object.freeze({ days: d, churned: i >= 6 })),
    );
    const options = Object.freeze({
      features: Object.freeze(['days']),
      label: 'churned',
      units: Object.freeze({ days: 'days' }),
    });
    const snapshot = JSON.stringify([records, options]);
    const model = churnModel(records, options);
    expect(JSON.stringify([records, options])).toBe(snapshot);
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.rules[0])).toBe(true);
    expect(Object.isFrozen(model.tree.nodes[0])).toBe(true);
    expect(Object.isFrozen(model.confusion)).toBe(true);
    expect(model.text[0]).toMatch(/^days > \d+ days → 100% churn \(4 of 4\)$/);
  });

  describe('bad input', () => {
    const table = {
      recency: [1, 2, 3, 40, 50, 60],
      churned: [false, false, false, true, true, true],
      status: ['a', 'a', 'a', 'b', 'b', 'b'],
      name: ['x', 'y', 'z', 'u', 'v', 'w'],
    };
    const base = { features: ['recency'], label: 'churned' };
    it('a missing column → MISSING_COLUMN naming it and its option', () => {
      expectCode(
        () => churnModel(table, { ...base, features: ['tenure'] }),
        'MISSING_COLUMN',
        '"tenure"',
        'option features',
      );
      expectCode(() => churnModel(table, { ...base, label: 'lost' }), 'MISSING_COLUMN', '"lost"', 'option label');
      expectCode(() => predictChurn(churnModel(table, base), { days: [1] }), 'MISSING_COLUMN', '"recency"');
    });
    it('a text feature → INVALID_TYPE', () =>
      expectCode(() => churnModel(table, { ...base, features: ['name'] }), 'INVALID_TYPE', '"name"'));
    it('a text label without positive, or a positive the column lacks → INVALID_OPTION', () => {
      expectCode(() => churnModel(table, { ...base, label: 'status' }), 'INVALID_OPTION', '"status"', 'positive');
      expectCode(
        () => churnModel(table, { ...base, label: 'status', positive: 'c' }),
        'INVALID_OPTION',
        '"c"',
        '"a", "b"',
      );
    });
    it('a third label value, a number other than 0/1, or one class only → INVALID_VALUE naming the column and row', () => {
      expectCode(
        () =>
          churnModel({ recency: [1, 2, 3], s: ['a', 'b', 'c'] }, { features: ['recency'], label: 's', positive: 'a' }),
        'INVALID_VALUE',
        '"s"',
        'row 2',
        '"c"',
      );
      expectCode(
        () => churnModel({ recency: [1, 2, 3], s: [0, 2, 0] }, { features: ['recency'], label: 's' }),
        'INVALID_VALUE',
        '"s"',
        'row 1',
        '0 or 1',
      );
      expectCode(
        () => churnModel({ recency: [1, 2, 3], s: [0, 0, 0] }, { features: ['recency'], label: 's' }),
        'INVALID_VALUE',
        '"s"',
        'one class',
      );
    });
    it('bad options → INVALID_OPTION naming the option', () => {
      expectCode(() => churnModel(table, { ...base, testShare: 1 }), 'INVALID_OPTION', 'testShare', 'found 1');
      expectCode(() => churnModel(table, { ...base, testShare: 0 }), 'INVALID_OPTION', 'testShare');
      expectCode(() => churnModel(table, { ...base, maxDepth: 2.5 }), 'INVALID_OPTION', 'maxDepth');
      expectCode(() => churnModel(table, { ...base, features: [] }), 'INVALID_OPTION', 'option features');
      expectCode(() => churnModel(table, { ...base, label: '' }), 'INVALID_OPTION', 'option label');
      expectCode(() => churnModel(table, { ...base, positive: {} as never }), 'INVALID_OPTION', 'positive');
      expectCode(() => churnModel(table, null as never), 'INVALID_OPTION', 'features');
    });
    it('no rows, every row dropped, or too few rows for a test set → EMPTY_INPUT', () => {
      expectCode(() => churnModel({ recency: [], churned: [] }, base), 'EMPTY_INPUT', 'no rows');
      expectCode(
        () => churnModel({ recency: [NaN, NaN], churned: [true, false] }, base),
        'EMPTY_INPUT',
        'invalidValue',
      );
      expectCode(() => churnModel({ recency: [1, 2], churned: [null, null] }, base), 'EMPTY_INPUT', 'missingLabel');
      expectCode(() => churnModel({ recency: [1, 2], churned: [true, false] }, base), 'EMPTY_INPUT', 'testShare');
    });
    it('predictChurn without a model → INVALID_INPUT', () =>
      expectCode(() => predictChurn({} as never, table), 'INVALID_INPUT', 'churn model'));
  });
});
