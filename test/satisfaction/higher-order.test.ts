import { describe, expect, it } from 'vitest';
import { isClienteleError } from '../../src/table/errors';
import { randomSource } from '../../src/math/random';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { plsHigherOrder } from '../../src/satisfaction/higher-order';
import type { HigherOrderSpec } from '../../src/satisfaction/higher-order';

/** Quality (product, service) → loyalty, with expectations → quality; answers on 1–10. */
function survey(seed: number, n = 150) {
  const rng = randomSource(seed);
  const cols: Record<string, (number | null)[]> = {};
  const add = (name: string, v: number) => (cols[name] ??= []).push(Math.min(10, Math.max(1, Math.round(6 + 1.5 * v))));
  for (let i = 0; i < n; i++) {
    const e = rng.normal();
    const q = 0.5 * e + 0.87 * rng.normal();
    const prod = 0.8 * q + 0.6 * rng.normal();
    const serv = 0.7 * q + 0.71 * rng.normal();
    const loy = 0.6 * q + 0.8 * rng.normal();
    for (const [name, lv] of [
      ['e', e],
      ['p', prod],
      ['s', serv],
      ['l', loy],
    ] as const)
      for (let k = 1; k <= 3; k++) add(`${name}${k}`, 0.85 * lv + 0.5 * rng.normal());
  }
  return cols;
}

const SPEC: HigherOrderSpec = {
  blocks: {
    expect: ['e1', 'e2', 'e3'],
    product: ['p1', 'p2', 'p3'],
    service: ['s1', 's2', 's3'],
    loyal: ['l1', 'l2', 'l3'],
  },
  higher: { quality: ['product', 'service'] },
  paths: [
    ['expect', 'quality'],
    ['quality', 'loyal'],
  ],
};

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isClienteleError(e) ? e.code : String(e);
  }
  return 'none';
};

describe('plsHigherOrder (disjoint two-stage)', () => {
  it('stage 1 is plsPathModel on the model with the dimensions in place of the higher-order construct', () => {
    const data = survey(1);
    const fit = plsHigherOrder(data, SPEC);
    const first = plsPathModel(
      data,
      pathModel({
        blocks: SPEC.blocks,
        paths: [
          ['expect', 'product'],
          ['expect', 'service'],
          ['product', 'loyal'],
          ['service', 'loyal'],
        ],
      }),
    );
    expect(fit.firstStage.paths.expect.product).toBeCloseTo(first.paths.expect.product, 12);
    expect(fit.firstStage.paths.service.loyal).toBeCloseTo(first.paths.service.loyal, 12);
  });

  for (const scaled of [true, false]) {
    it(`stage 2 equals plsPathModel on the dimensions' raw scores as indicators (scaled ${scaled}; the rescaling changes nothing)`, () => {
      const data = survey(2);
      const fit = plsHigherOrder(data, SPEC, { scaled });
      const second: Record<string, unknown> = { ...data };
      second.product = Array.from(fit.firstStage.scores.getChild('product')!.toArray() as Float64Array);
      second.service = Array.from(fit.firstStage.scores.getChild('service')!.toArray() as Float64Array);
      const direct = plsPathModel(
        second,
        pathModel({
          blocks: { expect: SPEC.blocks.expect, loyal: SPEC.blocks.loyal, quality: ['product', 'service'] },
          paths: SPEC.paths,
        }),
        { scaled },
      );
      expect(fit.paths.expect.quality).toBeCloseTo(direct.paths.expect.quality, 10);
      expect(fit.paths.quality.loyal).toBeCloseTo(direct.paths.quality.loyal, 10);
      expect(fit.outer.product.loading).toBeCloseTo(direct.outer.product.loading, 10);
      expect(fit.rSquared.loyal).toBeCloseTo(direct.rSquared.loyal, 10);
    });
  }

  it("the higher-order index is its dimensions' indices weighted by its index weights; rows map to the input", () => {
    const data = survey(3);
    data.p2[4] = null;
    const fit = plsHigherOrder(data, SPEC, { scale: [1, 10] });
    expect(fit.rows.dropped).toEqual({ missingAnswer: 1 });
    expect(fit.respondents).toBe(149);
    const w = [fit.outer.product.indexWeight, fit.outer.service.indexWeight];
    expect(w[0] + w[1]).toBeCloseTo(1, 12);
    expect(fit.index.quality).toBeCloseTo(
      w[0] * fit.firstStage.index.product + w[1] * fit.firstStage.index.service,
      12,
    );
    expect(fit.index.quality).toBeGreaterThan(0);
    expect(fit.index.quality).toBeLessThan(100);
    const rows = Array.from(fit.scores.getChild('row')!.toArray() as Int32Array);
    expect(rows.slice(3, 6)).toEqual([3, 5, 6]);
    expect(Array.from(fit.indexScores.getChild('row')!.toArray() as Int32Array)).toEqual(rows);
    const idx = fit.indexScores.getChild('quality')!.toArray() as Float64Array;
    expect(idx.reduce((s, v) => s + v, 0) / idx.length).toBeCloseTo(fit.index.quality, 10);
  });

  it('refuses a dimension on a path, an unknown dimension, a higher-order construct with a block, unknown options', () => {
    const data = survey(4, 40);
    expect(
      code(() =>
        plsHigherOrder(data, {
          ...SPEC,
          paths: [
            ['expect', 'product'],
            ['quality', 'loyal'],
          ],
        }),
      ),
    ).toBe('INVALID_OPTION');
    expect(code(() => plsHigherOrder(data, { ...SPEC, higher: { quality: ['product', 'nope'] } }))).toBe(
      'INVALID_OPTION',
    );
    expect(code(() => plsHigherOrder(data, { ...SPEC, higher: { expect: ['product', 'service'] } }))).toBe(
      'INVALID_OPTION',
    );
    expect(code(() => plsHigherOrder(data, { ...SPEC, higher: { quality: ['product'] } }))).toBe('INVALID_OPTION');
    expect(code(() => plsHigherOrder(data, SPEC, { bootstrap: 10 } as never))).toBe('INVALID_OPTION');
  });
});
