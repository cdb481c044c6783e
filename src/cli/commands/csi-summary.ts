import type { PathModel, PlsFit, SurveyModel } from '../../satisfaction/index';

/** One path of the model: its estimate, with the bootstrap standard error and interval when there is one. */
interface CsiPath {
  from: string;
  to: string;
  estimate: number;
  stdError?: number;
  lower?: number;
  upper?: number;
}

/** The Fornell–Larcker check of one reflective construct. */
interface FornellLarcker {
  construct: string;
  /** √AVE of the construct. */
  sqrtAve: number;
  /** The largest absolute correlation of its scores with another construct's scores, and that construct. */
  maxCorrelation: number;
  with: string;
  /** √AVE > the largest correlation: the construct shares more variance with its indicators than with another construct. */
  holds: boolean;
}

/** Everything `clientele csi` reports, as named fields (the JSON output, and the source of the text summary). */
export interface CsiSummary {
  model: string;
  omitted: readonly string[];
  droppedPaths: { from: string; to: string }[];
  notes: readonly string[];
  respondents: number;
  scale: readonly [number, number];
  scheme: string;
  scaled: boolean;
  iterations: number;
  converged: boolean;
  blocks: PathModel['blocks'];
  modes: PathModel['modes'];
  index: PlsFit['index'];
  outer: {
    indicator: string;
    block: string;
    weight: number;
    loading: number;
    communality: number;
    redundancy: number;
  }[];
  crossLoadings: PlsFit['crossLoadings'];
  unidimensionality: {
    construct: string;
    mode: string;
    indicators: number;
    cronbachAlpha: number;
    dillonGoldsteinRho: number;
    eigenvalue1: number;
    eigenvalue2: number;
  }[];
  paths: CsiPath[];
  inner: Record<
    string,
    {
      rSquared: number;
      adjustedRSquared: number;
      coefficients: { predictor: string; estimate: number; stdError: number; t: number; pValue: number }[];
    }
  >;
  rSquared: PlsFit['rSquared'];
  innerSummary: {
    construct: string;
    type: string;
    rSquared: number;
    blockCommunality: number;
    meanRedundancy: number;
    ave: number;
  }[];
  gof: number;
  effects: PlsFit['effects'];
  fornellLarcker: FornellLarcker[];
  bootstrap?: {
    resamples: number;
    failed: number;
    confidence: number;
    loadings: NonNullable<PlsFit['bootstrap']>['loadings'];
    rSquared: NonNullable<PlsFit['bootstrap']>['rSquared'];
  };
  rows: PlsFit['rows'];
}

/** The summary of a fit: the model as matched to the survey, then what R plspm's `summary()` prints, by name. */
export function csiSummary(found: SurveyModel, fit: PlsFit, notes: readonly string[]): CsiSummary {
  const model = fit.model;
  const latent = model.latent;
  const boot = fit.bootstrap;
  return {
    model: found.name,
    omitted: found.omitted,
    droppedPaths: found.droppedPaths.map(([from, to]) => ({ from, to })),
    notes,
    respondents: fit.respondents,
    scale: fit.scale,
    scheme: fit.scheme,
    scaled: fit.scaled,
    iterations: fit.iterations,
    converged: fit.converged,
    blocks: model.blocks,
    modes: model.modes,
    index: fit.index,
    outer: Object.entries(fit.outer).map(([indicator, o]) => ({
      indicator,
      block: o.block,
      weight: o.weight,
      loading: o.loading,
      communality: o.communality,
      redundancy: o.redundancy,
    })),
    crossLoadings: fit.crossLoadings,
    unidimensionality: latent.map((construct) => {
      const r = fit.reliability[construct];
      return {
        construct,
        mode: r.mode,
        indicators: r.indicators,
        cronbachAlpha: r.cronbachAlpha,
        dillonGoldsteinRho: r.dillonGoldsteinRho,
        eigenvalue1: r.eigenvalues[0],
        eigenvalue2: r.eigenvalues[1],
      };
    }),
    paths: csiPaths(model, fit),
    inner: Object.fromEntries(
      Object.entries(fit.inner).map(([lv, reg]) => [
        lv,
        {
          rSquared: reg.rSquared,
          adjustedRSquared: reg.adjustedRSquared,
          coefficients: Object.entries(reg.coefficients).map(([predictor, c]) => ({ predictor, ...c })),
        },
      ]),
    ),
    rSquared: fit.rSquared,
    innerSummary: latent.map((construct) => ({ construct, ...fit.summary[construct] })),
    gof: fit.gof,
    effects: fit.effects,
    fornellLarcker: fornellLarcker(fit),
    ...(boot
      ? {
          bootstrap: {
            resamples: boot.resamples,
            failed: boot.failed,
            confidence: boot.confidence,
            loadings: boot.loadings,
            rSquared: boot.rSquared,
          },
        }
      : {}),
    rows: fit.rows,
  };
}

/** Every path coefficient of the fitted model, in the model's path order, with its bootstrap summary. */
function csiPaths(model: PathModel, fit: PlsFit): CsiPath[] {
  return model.paths.map(([from, to]) => {
    const b = fit.bootstrap?.paths[from]?.[to];
    return {
      from,
      to,
      estimate: fit.paths[from][to],
      ...(b ? { stdError: b.stdError, lower: b.lower, upper: b.upper } : {}),
    };
  });
}

/**
 * Fornell & Larcker (1981, Journal of Marketing Research 18(1), p. 46): a reflective construct is discriminant
 * when √AVE exceeds its correlation with every other construct; correlations of the latent variable scores.
 * Mode B constructs (AVE not defined) are left out.
 */
function fornellLarcker(fit: PlsFit): FornellLarcker[] {
  const latent = fit.model.latent;
  const scores = latent.map((lv) => Float64Array.from(fit.scores.getChild(lv)!.toArray() as ArrayLike<number>));
  const out: FornellLarcker[] = [];
  latent.forEach((lv, j) => {
    if (fit.model.modes[lv] !== 'A') return;
    let max = 0;
    let other = '';
    latent.forEach((lw, k) => {
      if (k === j) return;
      const r = Math.abs(correlation(scores[j], scores[k]));
      if (r > max || other === '') {
        max = r;
        other = lw;
      }
    });
    const sqrtAve = Math.sqrt(fit.summary[lv].ave);
    out.push({ construct: lv, sqrtAve, maxCorrelation: max, with: other, holds: sqrtAve > max });
  });
  return out;
}

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Columns padded to a common width: text left-aligned, numbers right-aligned. */
function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], digits = 4): string {
  const cells = rows.map((r) =>
    r.map((c) => (typeof c === 'number' ? (Number.isFinite(c) ? c.toFixed(digits) : 'NA') : c)),
  );
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const width = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  const line = (r: readonly string[]) =>
    `  ${r.map((c, j) => (numeric[j] ? c.padStart(width[j]) : c.padEnd(width[j]))).join('  ')}`.trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** The inner regressions as text: one small table per endogenous construct. */
function innerText(s: CsiSummary): string[] {
  const parts: string[] = [];
  for (const [lv, reg] of Object.entries(s.inner)) {
    parts.push(
      `  ${lv} (R² ${reg.rSquared.toFixed(4)}, adjusted ${reg.adjustedRSquared.toFixed(4)})`,
      textTable(
        ['predictor', 'estimate', 'std.error', 't', 'p'],
        reg.coefficients.map((c) => [c.predictor, c.estimate, c.stdError, c.t, c.pValue]),
      ).replace(/^/gm, '  '),
    );
  }
  return parts;
}

/**
 * The text summary of `clientele csi`, in the order of R plspm's `summary()`: the model and the data, the outer
 * model, unidimensionality, the inner model, the inner summary (R², AVE), GoF, total effects; then the Fornell–Larcker
 * check, the bootstrap intervals of the paths (with `--bootstrap`) and the 0–100 index.
 */
export function csiSummaryText(s: CsiSummary): string {
  const name = s.model === 'custom' ? 'a model of your own' : s.model.toUpperCase();
  const parts: string[] = [
    `csi: ${name} fitted by PLS path modelling on ${s.respondents} respondents (scheme ${s.scheme}, ${s.scaled ? 'scaled' : 'unscaled'} indicators, ${s.iterations} iterations${s.converged ? '' : ', NOT converged'}), answer scale ${s.scale[0]}–${s.scale[1]}`,
    ...s.notes.map((n) => `note: ${n}`),
    '',
    'OUTER MODEL',
    textTable(
      ['indicator', 'block', 'weight', 'loading', 'communality', 'redundancy'],
      s.outer.map((o) => [o.indicator, o.block, o.weight, o.loading, o.communality, o.redundancy]),
    ),
    '',
    'BLOCKS UNIDIMENSIONALITY',
    textTable(
      ['construct', 'mode', 'MVs', "Cronbach's α", 'DG ρ', 'eig.1st', 'eig.2nd'],
      s.unidimensionality.map((u) => [
        u.construct,
        u.mode,
        String(u.indicators),
        u.cronbachAlpha,
        u.dillonGoldsteinRho,
        u.eigenvalue1,
        u.eigenvalue2,
      ]),
    ),
    '',
    'INNER MODEL',
  ];
  parts.push(...innerText(s));
  parts.push(
    '',
    'SUMMARY INNER MODEL',
    textTable(
      ['construct', 'type', 'R²', 'block communality', 'mean redundancy', 'AVE'],
      s.innerSummary.map((i) => [i.construct, i.type, i.rSquared, i.blockCommunality, i.meanRedundancy, i.ave]),
    ),
    '',
    `GOODNESS-OF-FIT ${s.gof.toFixed(4)}`,
    '',
    'EFFECTS',
    textTable(
      ['relationship', 'direct', 'indirect', 'total'],
      s.effects.map((e) => [`${e.from} → ${e.to}`, e.direct, e.indirect, e.total]),
    ),
    '',
    'DISCRIMINANT VALIDITY (Fornell–Larcker: √AVE above every correlation with another construct)',
    textTable(
      ['construct', '√AVE', 'max |r|', 'with', 'holds'],
      s.fornellLarcker.map((f) => [f.construct, f.sqrtAve, f.maxCorrelation, f.with, f.holds ? 'yes' : 'NO']),
    ),
  );
  if (s.bootstrap) {
    const level = Math.round(s.bootstrap.confidence * 100);
    parts.push(
      '',
      `BOOTSTRAP (${s.bootstrap.resamples} resamples${s.bootstrap.failed ? `, ${s.bootstrap.failed} failed` : ''}; ${level} % percentile intervals)`,
      textTable(
        ['path', 'estimate', 'std.error', `lower ${level}%`, `upper ${level}%`],
        s.paths.map((p) => [`${p.from} → ${p.to}`, p.estimate, p.stdError ?? NaN, p.lower ?? NaN, p.upper ?? NaN]),
      ),
    );
  }
  parts.push(
    '',
    'INDEX (0–100)',
    textTable(
      ['construct', 'index'],
      Object.entries(s.index).map(([lv, v]) => [lv, v]),
      1,
    ),
  );
  return parts.join('\n');
}
