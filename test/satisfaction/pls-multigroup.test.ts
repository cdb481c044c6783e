import { describe, expect, it } from 'vitest';
import { isClienteleError } from '../../src/table/errors';
import { randomSource } from '../../src/math/random';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { plsMultigroup } from '../../src/satisfaction/pls-multigroup';

/**
 * A two-construct survey: x1..x3 measure ξ, y1..y3 measure η = β_g ξ + noise, with β = `betas[g]` in group g; answers
 * are rounded onto 1–7. Independent of the code under test.
 */
function survey(sizes: number[], betas: number[], seed: number, labels = ['a', 'b', 'c']) {
  const rng = randomSource(seed);
  const cols: Record<string, (number | string | null)[]> = { group: [] };
  for (const c of ['x1', 'x2', 'x3', 'y1', 'y2', 'y3']) cols[c] = [];
  sizes.forEach((n, g) => {
    for (let i = 0; i < n; i++) {
      const xi = rng.normal();
      const eta = betas[g] * xi + Math.sqrt(1 - betas[g] ** 2) * rng.normal();
      const answer = (v: number) => Math.min(7, Math.max(1, Math.round(4 + 1.2 * (0.85 * v + 0.5 * rng.normal()))));
      for (const c of ['x1', 'x2', 'x3']) cols[c].push(answer(xi));
      for (const c of ['y1', 'y2', 'y3']) cols[c].push(answer(eta));
      cols.group.push(labels[g]);
    }
  });
  return cols;
}

const MODEL = pathModel({
  blocks: { xi: ['x1', 'x2', 'x3'], eta: ['y1', 'y2', 'y3'] },
  paths: [['xi', 'eta']],
});

function rowsOf(cols: Record<string, unknown[]>, keep: (i: number) => boolean) {
  const out: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(cols)) out[k] = v.filter((_, i) => keep(i));
  return out;
}

describe('plsMultigroup', () => {
  const data = survey([70, 60], [0.85, -0.3], 3);

  it("each group's fit is plsPathModel on that group's rows alone (independent fits, 1e-12)", () => {
    const r = plsMultigroup(data, MODEL, { group: 'group', replicates: 20 });
    const a = plsPathModel(
      rowsOf(data, (i) => data.group[i] === 'a'),
      MODEL,
    );
    const b = plsPathModel(
      rowsOf(data, (i) => data.group[i] === 'b'),
      MODEL,
    );
    const all = plsPathModel(data, MODEL);
    expect(r.paths[0].group1).toBeCloseTo(a.paths.xi.eta, 12);
    expect(r.paths[0].group2).toBeCloseTo(b.paths.xi.eta, 12);
    expect(r.paths[0].global).toBeCloseTo(all.paths.xi.eta, 12);
    expect(r.paths[0].difference).toBeCloseTo(a.paths.xi.eta - b.paths.xi.eta, 12);
    for (const w of r.weights) expect(w.group1).toBeCloseTo(a.outer[w.indicator].weight, 12);
    for (const l of r.loadings) expect(l.group2).toBeCloseTo(b.outer[l.indicator].loading, 12);
  });

  it('a path of 0.85 against −0.3 is never matched by a permutation: p = 1/(P + 1)', () => {
    const r = plsMultigroup(data, MODEL, { group: 'group', replicates: 99, seed: 4 });
    // a permuted split may leave the centroid scheme oscillating (cor ≈ 0): such replicates are counted and left out
    expect(r.failed).toBeLessThan(5);
    expect(r.paths[0].pValue).toBeCloseTo(1 / (100 - r.failed), 12);
    if (r.failed > 0) expect(r.warnings[0]).toMatch(/could not be fitted/);
  });

  it('the same model in both groups: p-values not small (seeded; the test of no effect)', () => {
    const same = survey([70, 60], [0.6, 0.6], 5);
    const r = plsMultigroup(same, MODEL, { group: 'group', replicates: 99, seed: 4 });
    expect(r.paths[0].pValue).toBeGreaterThan(0.05);
    const t = plsMultigroup(same, MODEL, { group: 'group', method: 'bootstrap', replicates: 60, seed: 4 });
    expect(t.paths[0].pValue).toBeGreaterThan(0.05);
    expect(t.df).toBe(128);
  });

  it('swapping the groups negates every difference and keeps every p-value (same seed)', () => {
    const r = plsMultigroup(data, MODEL, { group: 'group', replicates: 40, seed: 2 });
    const s = plsMultigroup(data, MODEL, { group: 'group', groups: ['b', 'a'], replicates: 40, seed: 2 });
    expect(s.groups).toEqual(['b', 'a']);
    expect(s.paths[0].difference).toBeCloseTo(-r.paths[0].difference, 12);
    s.weights.forEach((w, k) => expect(w.pValue).toBe(r.weights[k].pValue));
    expect(s.paths[0].pValue).toBe(r.paths[0].pValue);
  });

  it('bootstrap: a large difference gives a large t and a small two-sided p; permutation leaves t NaN', () => {
    const r = plsMultigroup(data, MODEL, { group: 'group', method: 'bootstrap', replicates: 50, seed: 1 });
    const p = r.paths[0];
    expect(p.t).toBeGreaterThan(3);
    expect(p.pValue).toBeLessThan(0.01);
    expect(Number.isNaN(plsMultigroup(data, MODEL, { group: 'group', replicates: 5 }).paths[0].t)).toBe(true);
  });

  it('counts rows without a group (nullKey) or an answer (missingAnswer), and leaves out other groups', () => {
    const three = survey([40, 40, 30], [0.8, 0.2, 0.5], 7);
    three.group[0] = null;
    three.x2[1] = null;
    expect(() => plsMultigroup(three, MODEL, { group: 'group', replicates: 5 })).toThrow(/exactly two groups/);
    const r = plsMultigroup(three, MODEL, { group: 'group', groups: ['a', 'c'], replicates: 5 });
    expect(r.rows.dropped).toEqual({ nullKey: 1, missingAnswer: 1 });
    expect(r.otherGroups).toBe(40);
    expect(r.sizes).toEqual([38, 30]);
    expect(r.warnings.some((w) => w.includes('no p-value can be below'))).toBe(true);
  });

  it('refuses bad options with INVALID_OPTION or LIMIT_EXCEEDED, and inputs stay unchanged', () => {
    const frozen = JSON.stringify(data);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isClienteleError(e) ? e.code : String(e);
      }
      return 'none';
    };
    expect(code(() => plsMultigroup(data, MODEL, {} as never))).toBe('INVALID_OPTION');
    expect(code(() => plsMultigroup(data, MODEL, { group: 'group', method: 'exact' as never }))).toBe('INVALID_OPTION');
    expect(code(() => plsMultigroup(data, MODEL, { group: 'group', groups: ['a', 'z'] }))).toBe('INVALID_OPTION');
    expect(code(() => plsMultigroup(data, MODEL, { group: 'group', replicates: 20_000 }))).toBe('LIMIT_EXCEEDED');
    expect(code(() => plsMultigroup(data, MODEL, { group: 'group', replicates: 1 }))).toBe('INVALID_OPTION');
    expect(code(() => plsMultigroup(data, MODEL, { group: 'nope' }))).toBe('MISSING_COLUMN');
    expect(JSON.stringify(data)).toBe(frozen);
  });
});
