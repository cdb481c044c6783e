import { ClienteleError, describeValue, knownOptions, optionNames } from '../table/internal';
import { chart, finite, sizeOption } from './spec';
import type { ChartOptions } from './spec';
import type { ChartSpec } from './display';
import { layeredLayout } from './path-layout';
import type { LayoutNode } from './path-layout';

/** Options of {@link pathDiagram}. */
export interface PathDiagramOptions extends ChartOptions {
  /** Decimals of the coefficients and R² shown. Default 2. */
  digits?: number;
}

/** The parts of a `plsPathModel` fit the diagram reads. */
interface FitLike {
  model: { latent: readonly string[]; paths: readonly (readonly [string, string])[] };
  paths: Readonly<Record<string, Readonly<Record<string, number>>>>;
  rSquared: Readonly<Record<string, number>>;
  index?: Readonly<Record<string, number>>;
  gof?: number;
  respondents?: number;
  bootstrap?: {
    confidence: number;
    resamples: number;
    paths: Readonly<Record<string, Readonly<Record<string, { lower: number; upper: number; stdError: number }>>>>;
  };
}

type Point = readonly [number, number];

/** A rectangle by its centre and size, in pixels. */
interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const BOX_WIDTH = 118;
const BOX_HEIGHT = 40;

/** The options pathDiagram takes; every other name is refused with a did-you-mean. */
const PATH_DIAGRAM_OPTION_NAMES = optionNames<PathDiagramOptions>({
  digits: true,
  title: true,
  width: true,
  height: true,
});

/**
 * The inner (structural) model of a fitted PLS path model as a diagram: latent variables as labelled boxes, with R²
 * under the name of every endogenous one; the paths as arrows labelled with their coefficient, wider for larger
 * effects, red when negative, and dashed when a bootstrap was run and its confidence interval contains 0.
 *
 * Analysts put it in a report beside the ACSI or ECSI scores: it shows what drives satisfaction and loyalty, and
 * how well (R²) each construct is explained.
 *
 * Layout (computed here, so the spec is plain Vega-Lite: rect, line, point and text marks in pixel coordinates):
 * depth in the model's graph (longest route from an exogenous variable) → column, order within the layer
 * (barycentre of the predecessors) → row, odd columns shifted half a row when a path skips a column; paths that
 * skip columns are drawn as curves bent away from the boxes they pass. Node positions are in the spec's data
 * (`x`, `y`, `depth`), so a test or a caller can read them.
 *
 * Cost: O(latent variables + paths).
 *
 * @param fit the result of `plsPathModel` (its `model`, `paths`, `rSquared`; `index`, `gof` and `bootstrap` when there)
 * @param options digits (2), title, width (140 px per column), height (90 px per row)
 * @throws {ClienteleError} `INVALID_INPUT` when `fit` is not a fitted path model or a path has no coefficient;
 *   `INVALID_OPTION`
 * @example
 * const store = sampleStore({ customers: 2000, seed: 7 });
 * const fit = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [1, 10] });
 * const spec = pathDiagram(fit);
 * spec.layer.find((layer) => layer.name === 'pathLabels').data.values.length; // 9
 * spec.layer.find((layer) => layer.name === 'nodes').data.values.map((node) => node.depth); // [0, 1, 2, 3, 4, 5]
 */
export function pathDiagram(fit: unknown, options: PathDiagramOptions = {}): ChartSpec {
  options = knownOptions(options, PATH_DIAGRAM_OPTION_NAMES, 'pathDiagram');
  const fn = 'pathDiagram';
  const f = checkFit(fit, fn);
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option digits must be an integer from 0 to 6 (found ${describeValue(digits)}); e.g. 2`,
    );
  }
  const place = placeNodes(f, options, fn);
  const nodes = nodeRows(f, place.at, digits);
  const edges = edgeRows(f, place, digits);
  const height = fitToHeight(nodes, edges, place.height);
  const boot = f.bootstrap;
  const subtitle = [
    'Path coefficients on the arrows, R² in the boxes',
    f.gof !== undefined && Number.isFinite(f.gof) ? `GoF ${f.gof.toFixed(digits)}` : null,
    f.respondents !== undefined ? `${f.respondents} respondents` : null,
    boot
      ? `dashed: ${Math.round(boot.confidence * 100)}% bootstrap interval (${boot.resamples} resamples) contains 0`
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  const { edgeColor, pathTooltip } = edgeEncodings(boot);
  return chart({
    title: { text: options.title ?? 'Path diagram of the inner model', subtitle },
    width: place.width,
    height,
    config: { view: { stroke: null } },
    layer: [
      ...edgeLayers(edges, edgeColor, pathTooltip),
      ...nodeLayers(nodes),
      ...labelLayers(edges.labels, edgeColor, pathTooltip),
    ],
  });
}

/** A latent variable's place: its layout entry and the pixel centre of its box. */
type Placed = LayoutNode & { x: number; y: number };

/** The laid-out diagram: box centres by name, the chart size, and the pixels between two rows. */
interface Placement {
  layout: LayoutNode[];
  at: Map<string, Placed>;
  width: number;
  height: number;
  slotPx: number;
}

/** The data rows of the edges: curve points, arrowheads and coefficient labels. */
interface EdgeRows {
  lines: Record<string, unknown>[];
  arrows: Record<string, unknown>[];
  labels: Record<string, unknown>[];
}

/** Compute: columns by depth and rows by slot, the chart size (options or per column / row), and each box's centre. */
function placeNodes(f: FitLike, options: PathDiagramOptions, fn: string): Placement {
  const layout = layeredLayout(f.model.latent, f.model.paths, fn);
  const columns = Math.max(...layout.map((n) => n.depth)) + 1;
  const slots = layout.map((n) => n.slot);
  const top = Math.min(...slots);
  const rows = Math.max(...slots) - top + 1;
  // room between two columns for the labels of the paths that cross it: 170 px, plus 30 px per path beyond two
  let crowd = 0;
  const depthOf = new Map(layout.map((n) => [n.name, n.depth]));
  for (let d = 0; d < columns - 1; d++) {
    const across = f.model.paths.filter(([a, b]) => depthOf.get(a)! <= d && depthOf.get(b)! > d).length;
    crowd = Math.max(crowd, across);
  }
  const columnDefault = 170 + 30 * Math.max(0, crowd - 2);
  const width = sizeOption(options.width, Math.max(300, BOX_WIDTH + columnDefault * (columns - 1)), 'width', fn);
  const height = sizeOption(options.height, Math.max(220, 100 * rows), 'height', fn);
  const columnPx = columns > 1 ? (width - BOX_WIDTH) / (columns - 1) : 0;
  const slotPx = rows > 1 ? (height - BOX_HEIGHT - 30) / (rows - 1) : 0;
  const at = new Map(
    layout.map((n) => [
      n.name,
      {
        ...n,
        x: BOX_WIDTH / 2 + n.depth * columnPx + (columns > 1 ? 0 : width / 2 - BOX_WIDTH / 2),
        y: BOX_HEIGHT / 2 + 15 + (n.slot - top) * slotPx + (rows > 1 ? 0 : height / 2 - BOX_HEIGHT / 2 - 15),
      },
    ]),
  );
  return { layout, at, width, height, slotPx };
}

/** Assemble: one data row per latent variable — its box, name position, R² and index. */
function nodeRows(f: FitLike, at: Map<string, Placed>, digits: number) {
  return f.model.latent.map((name) => {
    const n = at.get(name)!;
    const r2 = f.rSquared[name];
    return {
      name,
      depth: n.depth,
      x: n.x,
      y: n.y,
      nameY: r2 === undefined ? n.y : n.y - 7,
      x0: n.x - BOX_WIDTH / 2,
      x1: n.x + BOX_WIDTH / 2,
      y0: n.y - BOX_HEIGHT / 2,
      y1: n.y + BOX_HEIGHT / 2,
      endogenous: r2 !== undefined,
      rSquared: r2 === undefined ? null : finite(r2),
      rSquaredLabel: r2 === undefined ? '' : `R² = ${r2.toFixed(digits)}`,
      index: f.index?.[name] === undefined ? null : finite(f.index[name]),
    };
  });
}

/** Compute: every path's curve and arrowhead, then its label, placed clear of the boxes, the labels and the other curves. */
function edgeRows(f: FitLike, { layout, at, slotPx }: Placement, digits: number): EdgeRows {
  const lines: Record<string, unknown>[] = [];
  const arrows: Record<string, unknown>[] = [];
  const labels: Record<string, unknown>[] = [];
  const boxes: Rect[] = [...at.values()].map((n) => ({ x: n.x, y: n.y, w: BOX_WIDTH, h: BOX_HEIGHT }));
  const curves: Curve[] = [];
  f.model.paths.forEach(([from, to], e) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const coefficient = f.paths[from][to];
    const ci = f.bootstrap?.paths?.[from]?.[to];
    const significant = ci ? !(ci.lower <= 0 && ci.upper >= 0) : true;
    const p0: Point = [a.x, a.y];
    const p2: Point = [b.x, b.y];
    const others = layout.filter((n) => n.name !== from && n.name !== to).map((n) => at.get(n.name)!);
    const p1 = controlPoint(p0, p2, others, Math.max(BOX_HEIGHT * 1.5, slotPx / 2));
    const t0 = exitParameter(p0, p1, p2, a, true);
    const t1 = exitParameter(p0, p1, p2, b, false);
    const common = {
      path: `${from} → ${to}`,
      from,
      to,
      coefficient: Number(coefficient.toFixed(digits)),
      negative: coefficient < 0,
      significant,
      lower: ci ? finite(ci.lower) : null,
      upper: ci ? finite(ci.upper) : null,
      width: 1 + 4 * Math.min(1, Math.abs(coefficient)),
    };
    const polyline: Point[] = [];
    for (let s = 0; s <= CURVE_STEPS; s++) {
      const [x, y] = bezier(p0, p1, p2, t0 + ((t1 - t0) * s) / CURVE_STEPS);
      const point: Point = [Number(x.toFixed(1)), Number(y.toFixed(1))];
      polyline.push(point);
      lines.push({ ...common, edge: e, step: s, x: point[0], y: point[1] });
    }
    const [hx, hy] = bezier(p0, p1, p2, t1);
    const [dx, dy] = tangent(p0, p1, p2, t1);
    arrows.push({ ...common, x: hx, y: hy, angle: (Math.atan2(dy, dx) * 180) / Math.PI });
    curves.push({ polyline, label: coefficient.toFixed(digits), common });
  });
  // labels after every curve is known, so that none sits on a crossing of another path
  const placed: Rect[] = [];
  curves.forEach((curve, e) => {
    const others = curves.filter((_, k) => k !== e).map((c) => c.polyline);
    const w = labelWidth(curve.label);
    const [mx, my] = labelPoint(curve.polyline, w, placed, boxes, others);
    placed.push({ x: mx, y: my, w, h: LABEL_HEIGHT });
    labels.push({ ...curve.common, x: mx, y: my, label: curve.label });
  });
  return { lines, arrows, labels };
}

/** An edge's drawn polyline, its label text and the data its rows share. */
interface Curve {
  polyline: Point[];
  label: string;
  common: Record<string, unknown>;
}

/** Points of the polyline that draws a curve, minus one (the line mark joins them straight). */
const CURVE_STEPS = 16;

/** The room a coefficient label takes, in pixels: 11 px bold digits are at most 7 px wide, plus 3 px each side. */
const LABEL_HEIGHT = 15;
function labelWidth(label: string): number {
  return label.length * 7 + 6;
}

/** Compute: moves every row down (in place) so that bent curves stay in view; returns the height grown to fit. */
function fitToHeight(nodes: ReturnType<typeof nodeRows>, { lines, arrows, labels }: EdgeRows, height: number): number {
  // curves bent around boxes may leave the plotting area: move everything down and grow the height to fit
  const ys = [
    ...nodes.flatMap((n) => [n.y0, n.y1]),
    ...lines.map((l) => l.y as number),
    ...labels.flatMap((l) => [(l.y as number) - 8, (l.y as number) + 8]),
  ];
  const shift = Math.max(0, 4 - Math.min(...ys));
  if (shift > 0) {
    for (const n of nodes) {
      n.y += shift;
      n.nameY += shift;
      n.y0 += shift;
      n.y1 += shift;
    }
    for (const row of [...lines, ...arrows, ...labels]) row.y = (row.y as number) + shift;
  }
  return Math.max(height, Math.ceil(Math.max(...ys) + shift + 4));
}

/** A pixel position channel: no scale, no axis. */
function px(field: string) {
  return { field, type: 'quantitative', scale: null, axis: null };
}

/** Assemble: the colour (red when negative) and the tooltip (bootstrap interval when run) of the edge marks. */
function edgeEncodings(boot: FitLike['bootstrap']) {
  const pathTooltip = [
    { field: 'path', type: 'nominal', title: 'Path' },
    { field: 'coefficient', type: 'quantitative', title: 'Coefficient' },
    ...(boot
      ? [
          {
            field: 'lower',
            type: 'quantitative',
            title: `Bootstrap ${Math.round(boot.confidence * 100)}% lower`,
            format: '.3f',
          },
          {
            field: 'upper',
            type: 'quantitative',
            title: `Bootstrap ${Math.round(boot.confidence * 100)}% upper`,
            format: '.3f',
          },
        ]
      : []),
  ];
  const edgeColor = {
    field: 'negative',
    type: 'nominal',
    scale: { domain: [false, true], range: ['#555555', '#c0392b'] },
    legend: null,
  };
  return { edgeColor, pathTooltip };
}

/** Assemble: the path curves (dashed when not significant) and their arrowheads. */
function edgeLayers({ lines, arrows }: EdgeRows, edgeColor: object, pathTooltip: object[]) {
  return [
    {
      name: 'paths',
      data: { values: lines },
      mark: { type: 'line', strokeCap: 'round' },
      encoding: {
        x: px('x'),
        y: px('y'),
        detail: { field: 'edge', type: 'nominal' },
        order: { field: 'step', type: 'quantitative' },
        strokeWidth: { field: 'width', type: 'quantitative', scale: null },
        color: edgeColor,
        strokeDash: {
          field: 'significant',
          type: 'nominal',
          scale: {
            domain: [true, false],
            range: [
              [1, 0],
              [5, 4],
            ],
          },
          legend: null,
        },
        tooltip: pathTooltip,
      },
    },
    {
      name: 'arrowheads',
      data: { values: arrows },
      mark: { type: 'point', shape: 'triangle-right', filled: true, size: 110, opacity: 1 },
      encoding: {
        x: px('x'),
        y: px('y'),
        angle: { field: 'angle', type: 'quantitative', scale: null },
        color: edgeColor,
        tooltip: pathTooltip,
      },
    },
  ];
}

/** Assemble: the latent variables' boxes, names and R² labels. */
function nodeLayers(nodes: ReturnType<typeof nodeRows>) {
  return [
    {
      name: 'nodes',
      data: { values: nodes },
      mark: { type: 'rect', cornerRadius: 6, fill: '#eef3fa', stroke: '#1f4e79', strokeWidth: 1.5 },
      encoding: {
        x: px('x0'),
        x2: { field: 'x1' },
        y: px('y0'),
        y2: { field: 'y1' },
        tooltip: [
          { field: 'name', type: 'nominal', title: 'Latent variable' },
          { field: 'rSquared', type: 'quantitative', title: 'R²', format: '.3f' },
          { field: 'index', type: 'quantitative', title: 'Index (0–100)', format: '.1f' },
        ],
      },
    },
    {
      name: 'nodeNames',
      data: { values: nodes },
      mark: { type: 'text', fontWeight: 'bold', fontSize: 12, color: '#1f4e79' },
      encoding: { x: px('x'), y: px('nameY'), text: { field: 'name', type: 'nominal' } },
    },
    {
      name: 'rSquared',
      data: { values: nodes.filter((n) => n.endogenous) },
      mark: { type: 'text', fontSize: 10, dy: 9, color: '#333333' },
      encoding: { x: px('x'), y: px('y'), text: { field: 'rSquaredLabel', type: 'nominal' } },
    },
  ];
}

/** Assemble: the coefficient labels, over a white halo so they read on top of the curves. */
function labelLayers(labels: EdgeRows['labels'], edgeColor: object, pathTooltip: object[]) {
  return [
    {
      name: 'pathLabelHalos',
      data: { values: labels },
      mark: { type: 'text', fontSize: 11, stroke: 'white', strokeWidth: 4, strokeJoin: 'round', color: 'white' },
      encoding: { x: px('x'), y: px('y'), text: { field: 'label', type: 'nominal' } },
    },
    {
      name: 'pathLabels',
      data: { values: labels },
      mark: { type: 'text', fontSize: 11, fontWeight: 'bold' },
      encoding: {
        x: px('x'),
        y: px('y'),
        text: { field: 'label', type: 'nominal' },
        color: edgeColor,
        tooltip: pathTooltip,
      },
    },
  ];
}

function checkFit(fit: unknown, fn: string): FitLike {
  const f = fit as Partial<FitLike> | null;
  const problem =
    typeof f !== 'object' || f === null
      ? `found ${describeValue(fit)}`
      : !f.model || !Array.isArray(f.model.latent) || !Array.isArray(f.model.paths)
        ? 'it has no model with latent variables and paths'
        : typeof f.paths !== 'object' || f.paths === null
          ? 'it has no path coefficients'
          : typeof f.rSquared !== 'object' || f.rSquared === null
            ? 'it has no rSquared'
            : null;
  if (problem)
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the input is not a fitted path model (${problem}); pass the result of plsPathModel`,
    );
  const ok = f as FitLike;
  if (ok.model.latent.length === 0)
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the model has no latent variables; pass the result of plsPathModel`,
    );
  for (const [from, to] of ok.model.paths) {
    const c = ok.paths[from]?.[to];
    if (typeof c !== 'number' || !Number.isFinite(c)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: the path ${from} → ${to} has no coefficient (found ${describeValue(c)}); pass the result of plsPathModel`,
      );
    }
  }
  return ok;
}

/**
 * The control point of the quadratic Bézier curve of an edge: the midpoint (a straight line) when the line clears
 * every other box by 12 px; otherwise the midpoint pushed up or down, by the smallest push that clears them (or the
 * push with the widest clearance).
 */
function controlPoint(p0: Point, p2: Point, others: readonly { x: number; y: number }[], unit: number): Point {
  const mid: Point = [(p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2];
  if (others.length === 0) return mid;
  const clearance = (p1: Point) => {
    let least = Infinity;
    for (let s = 1; s < 24; s++) {
      const [x, y] = bezier(p0, p1, p2, s / 24);
      for (const box of others) {
        const dx = Math.max(0, Math.abs(x - box.x) - BOX_WIDTH / 2);
        const dy = Math.max(0, Math.abs(y - box.y) - BOX_HEIGHT / 2);
        least = Math.min(least, Math.hypot(dx, dy));
      }
    }
    return least;
  };
  let best = mid;
  let bestClearance = clearance(mid);
  if (bestClearance >= 12) return mid;
  for (const size of [0.5, 1, 1.5, 2]) {
    for (const side of [-1, 1]) {
      const p1: Point = [mid[0], mid[1] + side * size * unit];
      const c = clearance(p1);
      if (c >= 12) return p1;
      if (c > bestClearance) {
        best = p1;
        bestClearance = c;
      }
    }
  }
  return best;
}

/**
 * Where to put an edge's label: on its own drawn polyline, at the middle or the nearest point outwards from it
 * (in steps of 1/32 of the curve, between 15 % and 85 % of it), on the curve or 9 px above or below it, where a
 * label box of width `w` overlaps no placed label, no box and no other edge's polyline; when there is none, the point with the fewest other edges under it
 * (nearest the middle among those) that still clears labels and boxes, else the middle.
 */
function labelPoint(
  polyline: readonly Point[],
  w: number,
  placed: readonly Rect[],
  boxes: readonly Rect[],
  others: readonly (readonly Point[])[],
): [number, number] {
  const clearOfRects = (x: number, y: number) =>
    ![...placed, ...boxes].some(
      (r) => Math.abs(x - r.x) < (w + r.w) / 2 + 2 && Math.abs(y - r.y) < (LABEL_HEIGHT + r.h) / 2 + 2,
    );
  const crossed = (x: number, y: number) => {
    const box: Rect = { x, y, w: w + 2, h: LABEL_HEIGHT + 2 };
    return others.filter((line) => polylineHitsRect(line, box)).length;
  };
  let fallback: [number, number] | null = null;
  let fewest = Infinity;
  for (let k = 0; k <= 11; k++) {
    for (const side of k === 0 ? [0] : [-1, 1]) {
      const [x0, y0] = along(polyline, 0.5 + (side * k) / 32);
      // on the curve, else just above or below it (the label still reads as the curve's)
      const [x, y] = [0, -9, 9]
        .map((dy) => [x0, y0 + dy] as [number, number])
        .find(([x, y]) => clearOfRects(x, y) && crossed(x, y) === 0) ?? [x0, y0];
      if (!clearOfRects(x, y)) continue;
      const n = crossed(x, y);
      if (n === 0) return [x, y];
      if (n < fewest) {
        fewest = n;
        fallback = [x, y];
      }
    }
  }
  return fallback ?? along(polyline, 0.5);
}

/** The point at fraction `f` (0–1) of a polyline's vertices, interpolated between two neighbours. */
function along(polyline: readonly Point[], f: number): [number, number] {
  const at = f * (polyline.length - 1);
  const i = Math.min(polyline.length - 2, Math.floor(at));
  const u = at - i;
  return [
    polyline[i][0] + u * (polyline[i + 1][0] - polyline[i][0]),
    polyline[i][1] + u * (polyline[i + 1][1] - polyline[i][1]),
  ];
}

/** Whether any segment of a polyline meets a rectangle (Liang–Barsky clipping of each segment). */
function polylineHitsRect(polyline: readonly Point[], r: Rect): boolean {
  const [x0, x1, y0, y1] = [r.x - r.w / 2, r.x + r.w / 2, r.y - r.h / 2, r.y + r.h / 2];
  for (let i = 1; i < polyline.length; i++) {
    const [ax, ay] = polyline[i - 1];
    const dx = polyline[i][0] - ax;
    const dy = polyline[i][1] - ay;
    let lo = 0;
    let hi = 1;
    let inside = true;
    for (const [p, q] of [
      [-dx, ax - x0],
      [dx, x1 - ax],
      [-dy, ay - y0],
      [dy, y1 - ay],
    ]) {
      if (p === 0) {
        if (q < 0) inside = false;
      } else {
        const t = q / p;
        if (p < 0) lo = Math.max(lo, t);
        else hi = Math.min(hi, t);
      }
    }
    if (inside && lo <= hi) return true;
  }
  return false;
}

function bezier(p0: Point, p1: Point, p2: Point, t: number): [number, number] {
  const u = 1 - t;
  return [u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]];
}

function tangent(p0: Point, p1: Point, p2: Point, t: number): [number, number] {
  return [
    2 * (1 - t) * (p1[0] - p0[0]) + 2 * t * (p2[0] - p1[0]),
    2 * (1 - t) * (p1[1] - p0[1]) + 2 * t * (p2[1] - p1[1]),
  ];
}

/** The parameter where the curve leaves the source box (`leaving`) or enters the target box, by bisection. */
function exitParameter(p0: Point, p1: Point, p2: Point, box: { x: number; y: number }, leaving: boolean): number {
  const pad = leaving ? 2 : 6; // a little room before the arrowhead
  const inside = (t: number) => {
    const [x, y] = bezier(p0, p1, p2, t);
    return Math.abs(x - box.x) <= BOX_WIDTH / 2 + pad && Math.abs(y - box.y) <= BOX_HEIGHT / 2 + pad;
  };
  let lo = leaving ? 0 : 1; // inside
  let hi = 0.5; // outside for boxes that do not overlap
  if (inside(hi)) return hi;
  for (let k = 0; k < 40; k++) {
    const m = (lo + hi) / 2;
    if (inside(m)) lo = m;
    else hi = m;
  }
  return hi;
}
