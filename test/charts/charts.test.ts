import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index';
import { layeredLayout } from '../../src/charts/path-layout';
import { ipmaAxes } from '../../src/charts/ipma-spread';
import { catchClientele, expectCode } from '../helpers/errors';
import { chartCatalog, fixtures } from './fixtures';
import { itemsOf, markNames, render } from './render';
import type { Item, Rendered } from './render';

const MIME = 'application/vnd.vegalite.v5+json';
/** The major version of the vega-lite package installed (read from its package.json, not from clientele). */
const installedMajor = Number(
  JSON.parse(
    readFileSync(
      join(dirname(createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json')), '..', 'package.json'),
      'utf8',
    ),
  ).version.split('.')[0],
);
const DISPLAY = Symbol.for('Jupyter.display');
type Spec = Record<string | symbol, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let f: ReturnType<typeof fixtures>;
const charts: Record<string, () => Spec> = {};
const rendered: Record<string, Rendered> = {};

beforeAll(async () => {
  f = fixtures();
  Object.assign(charts, chartCatalog(f));
  for (const [name, make] of Object.entries(charts)) rendered[name] = await render(make());
});

/** The chart's rendered marks of layer `name`, failing with the names found when there are none. */
function marks(chart: string, name: string) {
  const items = itemsOf(rendered[chart].view, name);
  expect(items.length, `${chart}: marks ${name} among ${markNames(rendered[chart].view).join(', ')}`).toBeGreaterThan(
    0,
  );
  return items;
}

const close = (a: number, b: number, tol = 1e-6) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);

describe('every chart', () => {
  it('compiles with vega-lite and renders with vega to SVG without warnings or errors', () => {
    for (const [name, r] of Object.entries(rendered)) {
      expect(r.messages, name).toEqual([]);
      expect(r.svg.startsWith('<svg'), name).toBe(true);
      expect(r.svg.length, name).toBeGreaterThan(2000);
    }
  });

  it("is Vega-Lite v6 JSON (the installed vega-lite's major version) that round-trips without the display hook, and displays as a MIME bundle", () => {
    for (const [name, make] of Object.entries(charts)) {
      const spec = make();
      expect(spec.$schema, name).toBe(`https://vega.github.io/schema/vega-lite/v${installedMajor}.json`);
      const json = JSON.stringify(spec);
      expect(json.includes('Jupyter'), name).toBe(false);
      const again = JSON.parse(json);
      expect(again, name).toEqual(JSON.parse(JSON.stringify({ ...spec })));
      expect(Object.keys(spec)).not.toContain(DISPLAY);
      expect(Object.getOwnPropertyDescriptor(spec, DISPLAY)?.enumerable, name).toBe(false);
      expect(DISPLAY in { ...spec }, name).toBe(false);
      const bundle = spec[DISPLAY]();
      expect(Object.keys(bundle), name).toEqual([MIME]);
      expect(JSON.stringify(bundle[MIME]), name).toBe(json);
      expect(Object.isFrozen(spec) && Object.isFrozen(spec.title ?? {}), name).toBe(true);
    }
  });

  it('renders the same spec twice (Vega tags the inlined rows, which stay extensible)', async () => {
    const spec = charts.rfmHeatmap();
    const first = await render(spec);
    const second = await render(spec);
    const ids = (svg: string) => svg.replace(/gradient_\d+/g, 'gradient');
    expect(ids(second.svg)).toBe(ids(first.svg));
  });

  it('leaves its input table unchanged', () => {
    const before = JSON.stringify(f.scored.toArray().slice(0, 50));
    const meta = [...f.scored.schema.metadata];
    api.rfmHeatmap(f.scored);
    api.rfmSegmentChart(f.scored);
    expect(JSON.stringify(f.scored.toArray().slice(0, 50))).toBe(before);
    expect([...f.scored.schema.metadata]).toEqual(meta);
  });
});

describe('displayable', () => {
  it('adds the hook to a copy and leaves the input as it was', () => {
    const spec = { mark: 'point', data: { values: [{ a: 1 }] }, encoding: { x: { field: 'a', type: 'quantitative' } } };
    const chart = api.displayable(spec) as Spec;
    expect(Object.isFrozen(spec)).toBe(false);
    expect(DISPLAY in spec).toBe(false);
    expect(chart[DISPLAY]()).toEqual({ [MIME]: chart });
    expect(JSON.parse(JSON.stringify(chart))).toEqual(spec);
    expect((api.displayable(api.displayable(spec)) as Spec)[DISPLAY]()[MIME]).toEqual(spec);
    for (const bad of [null, 3, 'spec', [1]])
      expectCode(() => api.displayable(bad as never), 'INVALID_INPUT', 'displayable');
  });
});

describe('rfmHeatmap', () => {
  it('draws one cell per (R, F) pair with customers, and each cell shows the brute-force count at its place', () => {
    const r = f.scored.getChild('r')!.toArray() as Int8Array;
    const fr = f.scored.getChild('f')!.toArray() as Int8Array;
    const counts = new Map<string, number>();
    for (let i = 0; i < r.length; i++) counts.set(`${r[i]},${fr[i]}`, (counts.get(`${r[i]},${fr[i]}`) ?? 0) + 1);
    const cells = marks('rfmHeatmap', 'cells');
    expect(cells.length).toBe(counts.size);
    const view = rendered.rfmHeatmap.view;
    const x = view.scale('x') as (v: number) => number;
    const y = view.scale('y') as (v: number) => number;
    for (const cell of cells) {
      const d = cell.datum as { r: number; f: number; customers: number };
      expect(d.customers).toBe(counts.get(`${d.r},${d.f}`));
      close(cell.x!, x(d.r));
      close(cell.y!, y(d.f));
    }
    // frequency 5 on top, recency 5 on the right
    expect(y(5)).toBeLessThan(y(1));
    expect(x(5)).toBeGreaterThan(x(1));
    const labels = marks('rfmHeatmap', 'counts').map((t) => Number(t.text));
    expect(labels.sort((a, b) => a - b)).toEqual([...counts.values()].sort((a, b) => a - b));
  });

  it('colours by revenue when asked: the darkest cell holds the most revenue', () => {
    const cells = marks('rfmHeatmapRevenue', 'cells');
    const luminance = (fill: string) => {
      const [rr, g, b] = fill.startsWith('#')
        ? [1, 3, 5].map((k) => parseInt(fill.slice(k, k + 2), 16))
        : /rgb\((\d+),\s*(\d+),\s*(\d+)/.exec(fill)!.slice(1).map(Number);
      return 0.2126 * rr + 0.7152 * g + 0.0722 * b;
    };
    const byRevenue = [...cells].sort((a, b) => Number(b.datum!.revenue) - Number(a.datum!.revenue));
    const darkest = [...cells].sort((a, b) => luminance(a.fill!) - luminance(b.fill!))[0];
    expect(darkest.datum!.revenue).toBe(byRevenue[0].datum!.revenue);
  });
});

describe('rfmSegmentChart', () => {
  it('has bars proportional to brute-force customers and revenue per segment, sorted by revenue', () => {
    const segment = Array.from(f.scored.getChild('segment')!, String);
    const monetary = f.scored.getChild('monetary')!.toArray() as Float64Array;
    const truth = new Map<string, { customers: number; revenue: number }>();
    segment.forEach((s, i) => {
      const t = truth.get(s) ?? { customers: 0, revenue: 0 };
      t.customers++;
      t.revenue += monetary[i];
      truth.set(s, t);
    });
    for (const chart of ['rfmSegmentChart', 'rfmSegmentChartPerCustomer']) {
      const customers = marks(chart, 'customersBars');
      const revenue = marks(chart, 'revenueBars');
      expect(customers.length).toBe(truth.size);
      expect(revenue.length).toBe(truth.size);
      const ref = customers[0];
      for (const bar of customers) {
        const t = truth.get(String(bar.datum!.segment))!;
        close(bar.width! / ref.width!, t.customers / truth.get(String(ref.datum!.segment))!.customers, 1e-9);
      }
      const refRevenue = revenue[0];
      for (const bar of revenue) {
        const t = truth.get(String(bar.datum!.segment))!;
        close(bar.width! / refRevenue.width!, t.revenue / truth.get(String(refRevenue.datum!.segment))!.revenue, 1e-9);
      }
      const topToBottom = [...revenue].sort((a, b) => a.y! - b.y!).map((b) => String(b.datum!.segment));
      const byRevenue = [...truth.entries()].sort((a, b) => b[1].revenue - a[1].revenue).map(([s]) => s);
      expect(topToBottom).toEqual(byRevenue);
    }
  });
});

describe('paretoChart', () => {
  it('puts the cut-off rules at the class boundaries of the abc table', () => {
    const classes = Array.from(f.classes.getChild('class')!, String);
    const n = classes.length;
    const shareA = classes.filter((c) => c === 'A').length / n;
    const shareAB = classes.filter((c) => c === 'A' || c === 'B').length / n;
    const x = rendered.paretoChartAbc.view.scale('x') as (v: number) => number;
    const y = rendered.paretoChartAbc.view.scale('y') as (v: number) => number;
    const rules = marks('paretoChartAbc', 'cutoffs').sort((a, b) => a.x! - b.x!);
    expect(rules.length).toBe(2);
    close(rules[0].x!, x(shareA));
    close(rules[1].x!, x(shareAB));
    // from the axis up to the cut-off share
    close(rules[0].y!, y(0));
    close(rules[0].y2!, y(0.8));
    close(rules[1].y2!, y(0.95));
    const levels = marks('paretoChartAbc', 'cutoffLevels');
    expect(levels.map((l) => l.y).sort((a, b) => a! - b!)).toEqual([y(0.95), y(0.8)]);
  });

  it('draws the same boundaries from a paretoCurve table, and a curve through brute-force cumulative shares', () => {
    const values = Array.from(f.summary.getChild('monetary')!.toArray() as Float64Array).sort((a, b) => b - a);
    const total = values.reduce((s, v) => s + Math.max(0, v), 0);
    const n = values.length;
    let running = 0;
    const cumulative = [0, ...values.map((v) => (running += Math.max(0, v)) / total)];
    const firstReaching = (cut: number) => cumulative.findIndex((c) => c >= cut - 1e-12) / n;
    const x = rendered.paretoChartCurve.view.scale('x') as (v: number) => number;
    const rules = marks('paretoChartCurve', 'cutoffs').sort((a, b) => a.x! - b.x!);
    close(rules[0].x!, x(firstReaching(0.8)));
    close(rules[1].x!, x(firstReaching(0.95)));
    const spec = charts.paretoChartCurve();
    const curve = spec.layer.find((l: Spec) => l.name === 'curve').data.values as {
      population: number;
      value: number;
    }[];
    expect(curve.length).toBeLessThanOrEqual(50 + 2);
    for (const p of curve) {
      // linear interpolation between the brute-force points around p
      const k = Math.min(n - 1, Math.floor(p.population * n));
      const expected = cumulative[k] + (p.population * n - k) * (cumulative[k + 1] - cumulative[k]);
      close(p.value, expected, 1e-9);
    }
  });

  it('keeps a million-key curve small', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, i) => 1 / (i + 1));
    const spec = api.paretoChart(api.paretoCurve(values));
    expect(JSON.stringify(spec).length).toBeLessThan(60_000);
    expect(spec.title).toMatchObject({ subtitle: expect.stringContaining('curve drawn at') });
  });
});

describe('retentionHeatmap', () => {
  it('draws one cell per row of the curve, oldest cohort on top, and darker cells for higher retention', () => {
    const cells = marks('retentionHeatmap', 'cells');
    expect(cells.length).toBe(f.curve.numRows);
    const labels = marks('retentionHeatmap', 'labels');
    expect(labels.length).toBe(f.curve.numRows);
    const cohorts = [...new Set(cells.map((c) => String(c.datum!.cohort)))].sort();
    const y = rendered.retentionHeatmap.view.scale('y') as (v: string) => number;
    const labelOf = (iso: string) => iso.slice(0, 7);
    for (let j = 1; j < cohorts.length; j++) expect(y(labelOf(cohorts[j]))).toBeGreaterThan(y(labelOf(cohorts[j - 1])));
    // colour follows retention (offsets ≥ 1, below the clamp)
    const later = cells.filter((c) => Number(c.datum!.offset) >= 1);
    const green = (fill: string) =>
      fill.startsWith('#') ? parseInt(fill.slice(3, 5), 16) : Number(/rgb\(\s*\d+,\s*(\d+)/.exec(fill)![1]);
    for (let k = 0; k < 200; k++) {
      const a = later[(k * 7919) % later.length];
      const b = later[(k * 104729 + 13) % later.length];
      if (Number(a.datum!.retention) > Number(b.datum!.retention) + 0.02)
        expect(green(a.fill!)).toBeLessThanOrEqual(green(b.fill!));
    }
    // the cohort sizes and active counts in the cells are the curve's own rows
    const rows = f.curve.toArray().map((r) => r.toJSON());
    for (const cell of cells.slice(0, 40)) {
      const row = rows.find(
        (r) =>
          new Date(r.cohort as number).toISOString().slice(0, 10) === cell.datum!.cohort &&
          r.offset === cell.datum!.offset,
      )!;
      close(Number(cell.datum!.retention), (row.active as number) / (row.customers as number), 1e-12);
    }
  });

  it('keeps the most recent cohorts when asked to cap them', async () => {
    const spec = api.retentionHeatmap(f.curve, { maxCohorts: 3 });
    const cohorts = [...new Set((spec.data as Spec).values.map((v: Spec) => v.cohort))];
    expect(cohorts).toEqual(['2023-10-01', '2023-11-01', '2023-12-01']);
    expect((spec.title as Spec).subtitle).toContain('the latest 3 of 12');
    expect((await render(spec)).messages).toEqual([]);
  });
});

describe('clvHistogram', () => {
  it('counts every customer once, in bins that brute force agrees with', () => {
    const clv = Array.from(f.clv.getChild('clv')!.toArray() as Float64Array).filter(Number.isFinite);
    const bars = marks('clvHistogram', 'bins');
    const data = bars.map((b) => b.datum as { start: number; end: number; count: number; tail: boolean });
    const y = rendered.clvHistogram.view.scale('y') as { invert: (px: number) => number };
    let total = 0;
    for (const bar of bars) {
      const d = bar.datum as { count: number };
      close(y.invert(bar.y!), d.count, 1e-6);
      total += d.count;
    }
    expect(total).toBe(clv.length);
    const regular = data.filter((d) => !d.tail).sort((a, b) => a.start - b.start);
    const last = regular[regular.length - 1];
    regular.forEach((d) => {
      const expected = clv.filter((v) => v >= d.start && (v < d.end || (d === last && v === d.end))).length;
      expect(d.count).toBe(expected);
    });
    const tail = data.find((d) => d.tail);
    expect(tail?.count ?? 0).toBe(clv.filter((v) => v > last.end).length);
    expect(regular[0].start).toBeLessThanOrEqual(Math.min(...clv));
  });

  it('has a bin partition that holds every finite value exactly once (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(0.5, 0.9, 0.99, 1),
        (values, maxBins, clip) => {
          const spec = api.clvHistogram({ clv: values }, { maxBins, clip }) as Spec;
          const bins = spec.layer[0].data.values as { start: number; end: number; count: number; tail: boolean }[];
          const regular = bins.filter((b) => !b.tail);
          expect(regular.length).toBeLessThanOrEqual(maxBins + 1);
          expect(bins.reduce((s, b) => s + b.count, 0)).toBe(values.length);
          for (let j = 1; j < regular.length; j++) expect(regular[j].start).toBe(regular[j - 1].end);
          const last = regular[regular.length - 1];
          for (const v of values) {
            const holders = bins.filter((b) =>
              b.tail ? v > last.end : v >= b.start && (v < b.end || (b === last && v <= b.end)),
            );
            expect(holders.length).toBe(1);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('puts a value just below 0 below the first edge (found by the property: lo / step underflows to −0)', () => {
    const spec = api.clvHistogram({ clv: [-5e-324, 1.0101010101010104] }, { maxBins: 1, clip: 0.99 }) as Spec;
    const bins = spec.layer[0].data.values as { start: number; end: number; count: number }[];
    expect(bins.map((b) => [b.start, b.end, b.count])).toEqual([
      [-2, 0, 1],
      [0, 2, 1],
    ]);
  });

  it('reads any numeric column and leaves out non-finite values', () => {
    const spec = api.clvHistogram({ value: [1, 2, NaN, Infinity, 3, null] }, { column: 'value', clip: 1 }) as Spec;
    expect(spec.layer[0].data.values.reduce((s: number, b: Spec) => s + b.count, 0)).toBe(3);
    expect(spec.title.subtitle).toContain('3 rows without a finite value left out');
  });
});

describe('elbowChart and silhouetteChart', () => {
  it('plot one point per k and mark the elbow and the suggested k where the scales put them', () => {
    const k = Array.from(f.choice.scores.getChild('k')!.toArray() as Int32Array);
    const inertia = Array.from(f.choice.scores.getChild('inertia')!.toArray() as Float64Array);
    const view = rendered.elbowChart.view;
    const x = view.scale('x') as (v: number) => number;
    const y = view.scale('y') as (v: number) => number;
    const points = marks('elbowChart', 'points');
    expect(points.length).toBe(k.length);
    for (const p of points) {
      const r = k.indexOf(Number(p.datum!.k));
      close(p.x!, x(k[r]));
      close(p.y!, y(inertia[r]));
    }
    const rules = marks('elbowChart', 'marks');
    const expected = [...new Set([f.choice.elbow, f.choice.k])].map(x).sort((a, b) => a - b);
    expect(rules.map((r) => r.x!).sort((a, b) => a - b)).toEqual(expected);
    expect(itemsOf(rendered.elbowChartScores.view, 'marks')).toEqual([]);
  });

  it('shows the silhouette of every k ≥ 2, the tallest bar highlighted as the suggestion', () => {
    const k = Array.from(f.choice.scores.getChild('k')!.toArray() as Int32Array);
    const silhouette = Array.from(f.choice.scores.getChild('silhouette')!.toArray() as Float64Array);
    const bars = marks('silhouetteChart', 'bars');
    expect(bars.length).toBe(k.filter((v) => v >= 2).length);
    const best = k[silhouette.indexOf(Math.max(...silhouette.filter(Number.isFinite)))];
    const tallest = [...bars].sort((a, b) => a.y! - b.y!)[0];
    expect(tallest.datum!.k).toBe(best);
    const fills = new Set(bars.map((b) => b.fill));
    expect(fills.size).toBe(2);
    expect(bars.filter((b) => b.fill === tallest.fill).length).toBe(1);
    const labels = marks('silhouetteChart', 'values')
      .map((t) => t.text)
      .sort();
    expect(labels).toEqual(
      silhouette
        .filter(Number.isFinite)
        .map((s) => s.toFixed(2))
        .sort(),
    );
  });
});

describe('pathDiagram', () => {
  it('labels every path with its coefficient and every endogenous box with its R²', () => {
    const paths = f.model.paths.map(([from, to]) => f.fit.paths[from][to].toFixed(2)).sort();
    expect(
      marks('pathDiagram', 'pathLabels')
        .map((t) => t.text)
        .sort(),
    ).toEqual(paths);
    const r2 = Object.values(f.fit.rSquared)
      .map((v) => `R² = ${v.toFixed(2)}`)
      .sort();
    expect(
      marks('pathDiagram', 'rSquared')
        .map((t) => t.text)
        .sort(),
    ).toEqual(r2);
    expect(
      marks('pathDiagram', 'nodeNames')
        .map((t) => t.text)
        .sort(),
    ).toEqual([...f.model.latent].sort());
    expect(marks('pathDiagram', 'arrowheads').length).toBe(f.model.paths.length);
  });

  it('lays the boxes out in layers: every path goes right, no boxes overlap, arrows end at their target', () => {
    const boxes = new Map(marks('pathDiagram', 'nodes').map((b) => [String(b.datum!.name), b]));
    expect(boxes.size).toBe(f.model.latent.length);
    const centre = (b: typeof boxes extends Map<string, infer V> ? V : never) => [
      b.x! + b.width! / 2,
      b.y! + b.height! / 2,
    ];
    for (const [from, to] of f.model.paths) expect(centre(boxes.get(from)!)[0]).toBeLessThan(centre(boxes.get(to)!)[0]);
    const list = [...boxes.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        const apart =
          a.x! + a.width! <= b.x! || b.x! + b.width! <= a.x! || a.y! + a.height! <= b.y! || b.y! + b.height! <= a.y!;
        expect(apart, `${a.datum!.name} and ${b.datum!.name}`).toBe(true);
      }
    }
    for (const head of marks('pathDiagram', 'arrowheads')) {
      const box = boxes.get(String(head.datum!.to))!;
      const dx = Math.max(0, box.x! - head.x!, head.x! - (box.x! + box.width!));
      const dy = Math.max(0, box.y! - head.y!, head.y! - (box.y! + box.height!));
      expect(Math.hypot(dx, dy)).toBeLessThan(12);
    }
    // the ACSI chain: expectations → quality → value → satisfaction → complaints → loyalty, one column each
    const columns = f.model.latent.map((name) => centre(boxes.get(name)!)[0]);
    expect(columns).toEqual([...columns].sort((a, b) => a - b));
  });

  it('puts no coefficient label on another path: no label box meets another drawn curve (brute-force, 0.25 px steps)', async () => {
    // the ACSI model of the fixtures, then random acyclic models (a label on a crossing was the bug)
    const check = (r: Rendered, name: string) => {
      const lines = itemsOf(r.view, 'paths') as unknown as { items?: Item[] }[];
      const points = new Map<string, [number, number][]>();
      // a line mark per edge (detail): its items are the vertices
      const vertices = lines.flatMap((l) => (l.items ?? [l]) as Item[]);
      for (const v of vertices) {
        const key = String(v.datum!.path);
        (points.get(key) ?? points.set(key, []).get(key)!).push([v.x!, v.y!]);
      }
      const labels = itemsOf(r.view, 'pathLabels') as (Item & {
        bounds: { x1: number; x2: number; y1: number; y2: number };
      })[];
      expect(labels.length, name).toBe(points.size);
      for (const label of labels) {
        const b = label.bounds;
        for (const [path, line] of points) {
          if (path === label.datum!.path) continue;
          for (let i = 1; i < line.length; i++) {
            const [ax, ay] = line[i - 1];
            const [bx, by] = line[i];
            const n = Math.ceil(Math.hypot(bx - ax, by - ay) * 4) + 1;
            for (let k = 0; k <= n; k++) {
              const x = ax + ((bx - ax) * k) / n;
              const y = ay + ((by - ay) * k) / n;
              const inside = x >= b.x1 && x <= b.x2 && y >= b.y1 && y <= b.y2;
              expect(
                inside,
                `${name}: label ${label.text} of ${label.datum!.path} lies on ${path} at (${x.toFixed(1)}, ${y.toFixed(1)})`,
              ).toBe(false);
            }
          }
        }
      }
    };
    check(rendered.pathDiagram, 'ACSI');
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 7 }),
        fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.double({ min: -0.9, max: 0.9, noNaN: true })), {
          minLength: 2,
          maxLength: 12,
        }),
        async (size, raw) => {
          const latent = names.slice(0, size);
          const seen = new Set<string>();
          const paths: [string, string][] = [];
          const coefficients: Record<string, Record<string, number>> = {};
          for (const [i, j, c] of raw) {
            const [a, b] = [Math.min(i, j) % size, Math.max(i, j) % size];
            if (a >= b || seen.has(`${a}-${b}`)) continue;
            seen.add(`${a}-${b}`);
            paths.push([latent[a], latent[b]]);
            (coefficients[latent[a]] ??= {})[latent[b]] = c;
          }
          if (paths.length === 0) return;
          const rSquared = Object.fromEntries(paths.map(([, to]) => [to, 0.3]));
          const spec = api.pathDiagram({ model: { latent, paths }, paths: coefficients, rSquared });
          const r = await render(spec);
          expect(r.messages).toEqual([]);
          check(r, JSON.stringify(paths));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('dashes the paths whose bootstrap interval contains 0', async () => {
    const boot = {
      confidence: 0.95,
      resamples: 200,
      paths: {} as Record<string, Record<string, { lower: number; upper: number; stdError: number }>>,
    };
    for (const [from, to] of f.model.paths) {
      const c = f.fit.paths[from][to];
      (boot.paths[from] ??= {})[to] =
        from === 'complaints'
          ? { lower: -0.2, upper: 0.05, stdError: 0.06 }
          : { lower: c - 0.01, upper: c + 0.01, stdError: 0.005 };
    }
    const r = await render(api.pathDiagram({ ...f.fit, bootstrap: boot }));
    expect(r.messages).toEqual([]);
    const lines = itemsOf(r.view, 'paths');
    const dashed = new Set(
      lines.filter((l) => l.strokeDash && l.strokeDash[0] === 5).map((l) => String(l.datum!.path)),
    );
    expect([...dashed]).toEqual(['complaints → loyalty']);
  });

  it('refuses what is not a fitted model', () => {
    expectCode(() => api.pathDiagram({ paths: {} }), 'INVALID_INPUT', 'pathDiagram', 'plsPathModel');
    expectCode(() => api.pathDiagram(null), 'INVALID_INPUT', 'plsPathModel');
    const broken = { ...f.fit, paths: { ...f.fit.paths, quality: {} } };
    expectCode(() => api.pathDiagram(broken), 'INVALID_INPUT', 'quality → ');
  });
});

describe('layeredLayout', () => {
  it('puts each node at its longest-route depth and orders layers by the predecessors', () => {
    // a → b → d, a → c → d, e → c: depths a 0, e 0, b 1, c 1, d 2
    const layout = layeredLayout(
      ['a', 'b', 'c', 'd', 'e'],
      [
        ['a', 'b'],
        ['b', 'd'],
        ['a', 'c'],
        ['c', 'd'],
        ['e', 'c'],
      ],
      'test',
    );
    const by = Object.fromEntries(layout.map((n) => [n.name, n]));
    expect([by.a.depth, by.b.depth, by.c.depth, by.d.depth, by.e.depth]).toEqual([0, 1, 1, 2, 0]);
    // layer 1: b (under a, place −0.5) before c (between a and e, place 0)
    expect(by.b.order).toBeLessThan(by.c.order);
    expect(by.b.slot).toBe(-0.5);
    expect(by.c.slot).toBe(0.5);
    // an edge that skips a layer shifts the odd layers
    const chain = layeredLayout(
      ['x', 'y', 'z'],
      [
        ['x', 'y'],
        ['y', 'z'],
        ['x', 'z'],
      ],
      'test',
    );
    expect(chain.map((n) => [n.depth, n.slot])).toEqual([
      [0, 0],
      [1, 0.5],
      [2, 0],
    ]);
  });

  it('refuses cycles and unknown nodes', () => {
    expectCode(
      () =>
        layeredLayout(
          ['a', 'b'],
          [
            ['a', 'b'],
            ['b', 'a'],
          ],
          'pathDiagram',
        ),
      'INVALID_INPUT',
      'cycle',
    );
    expectCode(() => layeredLayout(['a'], [['a', 'q']], 'pathDiagram'), 'INVALID_INPUT', 'a → q');
  });
});

describe('rulesScatter', () => {
  it('keeps the top rules by lift, each at its support and confidence, coloured by lift', () => {
    const n = f.rules.numRows;
    expect(n).toBeGreaterThan(500);
    const lift = Array.from(f.rules.getChild('lift')!.toArray() as Float64Array);
    const confidence = Array.from(f.rules.getChild('confidence')!.toArray() as Float64Array);
    const support = Array.from(f.rules.getChild('support')!.toArray() as Float64Array);
    const text = (i: number) =>
      `${[...(f.rules.getChild('antecedent')!.get(i) as Iterable<string>)].join(', ')} → ${[...(f.rules.getChild('consequent')!.get(i) as Iterable<string>)].join(', ')}`;
    const top = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => lift[b] - lift[a] || confidence[b] - confidence[a] || support[b] - support[a] || a - b)
      .slice(0, 500);
    const points = marks('rulesScatter', 'marks');
    expect(points.length).toBe(500);
    expect(new Set(points.map((p) => p.datum!.rule))).toEqual(new Set(top.map(text)));
    const view = rendered.rulesScatter.view;
    const x = view.scale('x') as (v: number) => number;
    const y = view.scale('y') as (v: number) => number;
    const color = view.scale('color') as (v: number) => string;
    const byRule = new Map(top.map((i) => [text(i), i]));
    for (const p of points) {
      const i = byRule.get(String(p.datum!.rule))!;
      close(p.x!, x(support[i]));
      close(p.y!, y(confidence[i]));
      expect(p.fill).toBe(color(lift[i]));
    }
    expect(charts.rulesScatter().title.subtitle).toBe(
      `top 500 of ${n.toLocaleString('en-US')} rules by lift; colour = lift`,
    );
  });

  it('draws an empty chart for a table without rules', async () => {
    const none = api.associationRules(api.frequentItemsets([['a', 'b'], ['c']], { minSupport: 0.9 }));
    expect(none.numRows).toBe(0);
    const spec = api.rulesScatter(none) as Spec;
    expect(spec.title.subtitle).toContain('no rules');
    const r = await render(spec);
    expect(r.messages).toEqual([]);
    expect(itemsOf(r.view, 'marks')).toEqual([]);
  });
});

/** The texts and boxes of the labels of the axis whose title starts with `title`, read from the scenegraph. */
function axisLabels(view: Rendered['view'], title: string) {
  type Node = {
    marktype?: string;
    role?: string;
    items?: Node[];
    text?: string;
    bounds?: { x1: number; x2: number; y1: number; y2: number };
  };
  const axes: Node[] = [];
  const walk = (node: Node) => {
    if (node.role === 'axis') axes.push(node);
    for (const child of node.items ?? []) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: Node }).root);
  for (const axis of axes) {
    const texts: Node[] = [];
    let titled = false;
    const collect = (node: Node) => {
      if (node.role === 'axis-title') titled ||= (node.items ?? []).some((t) => String(t.text).startsWith(title));
      if (node.role === 'axis-label') texts.push(...(node.items ?? []));
      for (const child of node.items ?? []) if (child.items) collect(child);
    };
    collect(axis);
    if (titled)
      return texts
        .filter((t) => (t as { opacity?: number }).opacity !== 0)
        .map((t) => ({ text: String(t.text), box: t.bounds! }));
  }
  throw new Error(`no axis titled ${title}`);
}

describe('rulesScatter axes (tick labels that neither repeat nor run together)', () => {
  const rulesWith = (support: number[], confidence: number[]) => ({
    antecedent: support.map((_, i) => `a${i}`),
    consequent: support.map((_, i) => `c${i}`),
    support,
    confidence,
    lift: support.map((_, i) => 1 + i / 10),
  });

  it('labels every support and confidence tick differently, boxes apart, on narrow and wide ranges, linear and log', async () => {
    const share = fc.double({ min: 1e-4, max: 1, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(share, share), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(undefined, 'linear' as const, 'log' as const),
        fc.integer({ min: 120, max: 900 }),
        async (rows, supportScale, width) => {
          const spec = api.rulesScatter(
            rulesWith(
              rows.map((r) => r[0]),
              rows.map((r) => r[1]),
            ),
            { supportScale, width },
          );
          const r = await render(spec);
          expect(r.messages).toEqual([]);
          for (const title of ['Support', 'Confidence']) {
            const labels = axisLabels(r.view, title);
            expect(labels.length, title).toBeGreaterThanOrEqual(2);
            expect(new Set(labels.map((l) => l.text)).size, `${title}: ${labels.map((l) => l.text).join(' ')}`).toBe(
              labels.length,
            );
            const along =
              title === 'Support'
                ? (l: (typeof labels)[0]) => [l.box.x1, l.box.x2]
                : (l: (typeof labels)[0]) => [l.box.y1, l.box.y2];
            const spans = labels.map(along).sort((a, b) => a[0] - b[0]);
            for (let i = 1; i < spans.length; i++)
              expect(spans[i][0], `${title}: ${labels.map((l) => l.text).join(' ')}`).toBeGreaterThanOrEqual(
                spans[i - 1][1],
              );
          }
          // every rule is inside the axes' domains
          const x = r.view.scale('x') as (v: number) => number;
          for (const [s] of rows) expect(x(s) >= -1e-6 && x(s) <= width + 1e-6, `support ${s}`).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shows 0.50%, 0.52%, … 0.60% on a support range of 0.5–0.6% (a fixed .1% format labels it 0.5%, 0.5%, 0.5%, …)', async () => {
    const r = await render(api.rulesScatter(rulesWith([0.005, 0.0055, 0.006], [0.3, 0.4, 0.5])));
    const labels = axisLabels(r.view, 'Support').map((l) => l.text);
    expect(labels).toEqual(['0.50%', '0.52%', '0.54%', '0.56%', '0.58%', '0.60%']);
  });
});

describe('importancePerformanceChart', () => {
  it('draws one point per driver and the quadrant cuts from the metadata', () => {
    const view = rendered.importancePerformanceChart.view;
    const drivers = Array.from(f.ipma.getChild('driver')!, String);
    const points = marks('importancePerformanceChart', 'drivers');
    expect(points.length).toBe(drivers.length);
    const x = view.scale('x') as (v: number) => number;
    const cut = Number(f.ipma.schema.metadata.get('clientele.performanceCut'));
    close(marks('importancePerformanceChart', 'performanceCut')[0].x!, x(cut));
  });

  it('states the spread of the drivers in its subtitle, computed from the table (max − min), and the lines at the means', () => {
    const perf = Array.from(f.ipma.getChild('performance')!.toArray() as Float64Array);
    const imp = Array.from(f.ipma.getChild('importance')!.toArray() as Float64Array);
    const spread = Math.max(...perf) - Math.min(...perf);
    const subtitle = charts.importancePerformanceChart().title.subtitle as string[];
    expect(subtitle[0]).toContain(`(spread ${spread.toFixed(spread < 1 ? 2 : 1)} points)`);
    expect(subtitle[1]).toContain(`(spread ${(Math.max(...imp) - Math.min(...imp)).toFixed(2)})`);
    expect(subtitle[1]).toContain('dashed lines at the means');
    // the sample store's drivers perform within a point of each other: called narrow
    expect(spread).toBeLessThan(5);
    expect(subtitle[2]).toMatch(/differ little in performance/);
    // every driver is inside the drawn plotting area
    const x = rendered.importancePerformanceChart.view.scale('x') as (v: number) => number;
    const width = charts.importancePerformanceChart().width as number;
    for (const v of perf) expect(x(v) >= 0 && x(v) <= width, `${v}`).toBe(true);
  });
});

describe('ipmaAxes (the spread of an importance–performance map)', () => {
  const finite = fc.double({ min: 0, max: 100, noNaN: true });
  it('contains every driver in the domains, and calls performance narrow exactly when it spans < 5 points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(finite, fc.double({ min: -0.5, max: 1, noNaN: true })), { minLength: 2, maxLength: 12 }),
        (rows) => {
          const perf = rows.map((r) => r[0]);
          const imp = rows.map((r) => r[1]);
          const axes = ipmaAxes(perf, imp, { atMeans: true });
          const spread = Math.max(...perf) - Math.min(...perf);
          expect(axes.performanceSpread).toBeCloseTo(spread, 12);
          expect(axes.narrowPerformance).toBe(spread < 5);
          for (const v of perf) expect(v >= axes.performanceDomain[0] && v <= axes.performanceDomain[1]).toBe(true);
          for (const v of imp) expect(v >= axes.importanceDomain[0] && v <= axes.importanceDomain[1]).toBe(true);
          expect(axes.performanceDomain[0]).toBeGreaterThanOrEqual(0);
          expect(axes.performanceDomain[1]).toBeLessThanOrEqual(100);
          expect(axes.caption.length).toBe(axes.narrowPerformance || axes.narrowImportance ? 3 : 2);
        },
      ),
    );
  });

  it('says a 0.16-point spread in words, with the range, and does not on a 30-point spread', () => {
    const narrow = ipmaAxes([70.02, 70.1, 70.18], [0.2, 0.35, 0.5], { atMeans: true });
    expect(narrow.caption).toEqual([
      'performance 70.0–70.2 of 100 (spread 0.16 points)',
      'importance 0.20–0.50 (spread 0.30); dashed lines at the means',
      'drivers differ little in performance: the quadrants split small gaps',
    ]);
    // the axis is at least a point wide: 0.5 either side of the data
    expect(narrow.performanceDomain).toEqual([69.52, 70.68]);
    const wide = ipmaAxes([50, 65, 80], [0.2, 0.35, 0.5], { atMeans: false });
    expect(wide.caption).toHaveLength(2);
    expect(wide.caption[1]).toContain('dashed lines at the cuts given');
    expect(wide.performanceDomain).toEqual([47, 83]);
  });
});

describe('guards', () => {
  it('name the missing column and the analysis that produces it', () => {
    expectCode(() => api.rfmHeatmap({ r: [1], monetary: [3] }), 'MISSING_COLUMN', 'rfmHeatmap', '"f"', 'rfm');
    expectCode(
      () => api.rfmSegmentChart({ segment: ['a'] }),
      'MISSING_COLUMN',
      'rfmSegmentChart',
      '"monetary"',
      'rfmSummary',
    );
    expectCode(
      () => api.paretoChart({ share: [0.5] }),
      'MISSING_COLUMN',
      'paretoChart',
      '"population"',
      'paretoCurve or abc',
    );
    expectCode(
      () => api.retentionHeatmap({ cohort: ['2024-01-01'], offset: [0] }),
      'MISSING_COLUMN',
      '"customers"',
      'retentionCurve',
    );
    expectCode(() => api.clvHistogram({ value: [1] }), 'MISSING_COLUMN', 'clvHistogram', '"clv"', 'predictClv');
    expectCode(() => api.elbowChart({ k: [2], silhouette: [0.5] }), 'MISSING_COLUMN', '"inertia"', 'chooseK');
    expectCode(
      () => api.rulesScatter({ antecedent: ['a'], consequent: ['b'], support: [0.1], confidence: [0.5] }),
      'MISSING_COLUMN',
      '"lift"',
      'associationRules',
    );
    expectCode(() => api.importancePerformanceChart({ driver: ['a'] }), 'MISSING_COLUMN', 'importancePerformance');
    const error = catchClientele(() => api.rfmHeatmap({ r: [1] }), 'MISSING_COLUMN');
    expect(error.column).toBe('f');
  });

  it('refuse inputs that are not tables, bad options and bad values', () => {
    expectCode(() => api.rfmHeatmap(42), 'INVALID_INPUT', 'rfmHeatmap', 'rfm');
    expectCode(() => api.rfmHeatmap(f.scored, { color: 'green' as never }), 'INVALID_OPTION', 'color');
    expectCode(() => api.rfmHeatmap({ r: [1.5], f: [1], monetary: [2] }), 'INVALID_VALUE', '"r"');
    expectCode(() => api.paretoChart(f.classes, { cutoffs: [0.9, 0.8] }), 'INVALID_OPTION', 'cutoffs');
    expectCode(() => api.paretoChart({ population: [0, 1], value: [0, 2] }), 'INVALID_VALUE', 'value share');
    expectCode(() => api.clvHistogram({ clv: [NaN] }), 'EMPTY_INPUT', 'no finite value');
    expectCode(() => api.clvHistogram(f.clv, { clip: 0 }), 'INVALID_OPTION', 'clip');
    expectCode(() => api.rulesScatter(f.rules, { maxRules: 0 }), 'INVALID_OPTION', 'maxRules');
    expectCode(() => api.rulesScatter(f.rules, { width: 10 }), 'INVALID_OPTION', 'width');
    expectCode(() => api.silhouetteChart({ scores: f.choice.scores, k: 'three' }), 'INVALID_INPUT', 'chooseK');
  });
});
