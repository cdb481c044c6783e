import { describe, expect, it } from 'vitest';
import { randomSource } from '../../src/math/random';
import { pathModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { micom } from '../../src/satisfaction/micom';

/** Two constructs, three questions each; group b's answers spread `spread` times wider, its x3 noise when `flip`. */
function survey(seed: number, spread = 1, flip = false) {
  const rng = randomSource(seed);
  const cols: Record<string, (number | string)[]> = { group: [] };
  const names = ['x1', 'x2', 'x3', 'y1', 'y2', 'y3'];
  for (const c of names) cols[c] = [];
  for (let i = 0; i < 140; i++) {
    const b = i >= 70;
    const xi = rng.normal();
    const eta = 0.6 * xi + 0.8 * rng.normal();
    const score = [xi, xi, xi, eta, eta, eta];
    names.forEach((c, k) => {
      let v = 0.8 * score[k] + 0.6 * rng.normal();
      if (b && flip && c === 'x3') v = rng.normal();
      cols[c].push(b ? spread * v : v);
    });
    cols.group.push(b ? 'b' : 'a');
  }
  return cols;
}

const MODEL = pathModel({ blocks: { xi: ['x1', 'x2', 'x3'], eta: ['y1', 'y2', 'y3'] }, paths: [['xi', 'eta']] });

function subset(cols: Record<string, unknown[]>, label: string) {
  const keep = cols.group.map((g) => g === label);
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.filter((_, i) => keep[i])]));
}

/** Pearson correlation and sample variance, written out. */
function cor(a: number[], b: number[]) {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i] - mb);
    aa += (v - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}
const variance = (a: number[]) => {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1);
};

describe('micom (Henseler, Ringle & Sarstedt 2016)', () => {
  it('step 2 c and step 3 statistics equal a brute-force computation from independent fits (1e-10)', () => {
    const data = survey(11);
    const r = micom(data, MODEL, { group: 'group', replicates: 40 });
    const fa = plsPathModel(subset(data, 'a'), MODEL);
    const fb = plsPathModel(subset(data, 'b'), MODEL);
    const pooled = plsPathModel(data, MODEL);
    const columns = ['x1', 'x2', 'x3', 'y1', 'y2', 'y3'];
    // the pooled questions standardised (divisor n), each group's weights applied to them
    const z = Object.fromEntries(
      columns.map((c) => {
        const v = data[c] as number[];
        const m = v.reduce((s, x) => s + x, 0) / v.length;
        const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
        return [c, v.map((x) => (x - m) / sd)];
      }),
    );
    const composite = (fit: typeof fa, block: string[]) =>
      z[block[0]].map((_, i) => block.reduce((s, c) => s + fit.outer[c].weight * z[c][i], 0));
    const pooledScores = pooled.scores;
    for (const [j, lv] of (['xi', 'eta'] as const).entries()) {
      const block = MODEL.blocks[lv] as string[];
      const entry = r.composites[j];
      expect(entry.composite).toBe(lv);
      expect(entry.c).toBeCloseTo(cor(composite(fa, block), composite(fb, block)), 10);
      const y = Array.from(pooledScores.getChild(lv)!.toArray() as Float64Array);
      const ya = y.filter((_, i) => data.group[i] === 'a');
      const yb = y.filter((_, i) => data.group[i] === 'b');
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      expect(entry.meanDifference).toBeCloseTo(mean(ya) - mean(yb), 10);
      expect(entry.logVarianceRatio).toBeCloseTo(Math.log(variance(ya) / variance(yb)), 10);
      expect(entry.meanInterval[0]).toBeLessThan(0);
      expect(entry.meanInterval[1]).toBeGreaterThan(0);
    }
  });

  it('the same population in both groups: full invariance', () => {
    const r = micom(survey(12), MODEL, { group: 'group', replicates: 60 });
    expect(r.configural).toBe(true);
    expect(r.composites.map((c) => c.invariance)).toEqual(['full', 'full']);
    expect(r.invariance).toBe('full');
  });

  it("group b's answers twice as spread: unequal variances, so no full invariance", () => {
    const r = micom(survey(12, 2), MODEL, { group: 'group', replicates: 60 });
    expect(r.composites.map((c) => c.equalVariances)).toEqual([false, false]);
    expect(r.composites.every((c) => c.logVarianceRatio < c.varianceInterval[0])).toBe(true);
    expect(r.composites.every((c) => c.variancePValue === 1 / 61)).toBe(true);
    expect(r.composites.every((c) => c.invariance !== 'full')).toBe(true);
    expect(r.invariance).not.toBe('full');
  });

  it("group b's third question measures nothing: compositional invariance of xi fails", () => {
    const r = micom(survey(13, 1, true), MODEL, { group: 'group', replicates: 60 });
    const xi = r.composites[0];
    expect(xi.c).toBeLessThan(xi.cQuantile);
    expect(xi.invariance).toBe('none');
    expect(r.invariance).toBe('none');
  });
});
