import { correlationOf, covarianceOf } from './pls-estimate';
import { checkIndicatorColumns, pathModel } from './path-model';
import type { PathModel } from './path-model';
import { dropMissingAnswers, fitCore, plsFitOfMoments } from './pls-path-model';
import type { PlsMomentFit, PlsOptions } from './pls-path-model';
import { plsStructure } from './pls-estimate';
import type { InnerScheme, PlsStructure } from './pls-estimate';
import { asTable, ClienteleError, describeValue, readKeys, readNumeric } from '../table/internal';
import type { DropReport } from '../table/internal';

/**
 * A survey split into two groups for a multi-group comparison (plsMultigroup, micom): the model's answers of the
 * respondents kept (every answer present and finite, a group label present, one of the two groups compared) and
 * each one's group.
 */
export interface GroupAnswers {
  readonly model: PathModel;
  readonly structure: PlsStructure;
  /** The two group labels compared, the first one being "group 1" (differences are group 1 − group 2). */
  readonly labels: readonly [string, string];
  /** Respondents kept. */
  readonly n: number;
  /** Respondents in each group. */
  readonly sizes: readonly [number, number];
  /** 1 where kept respondent i is in group 1, 0 in group 2. */
  readonly member: Uint8Array;
  /** Kept answers by indicator slot (`structure.columns`). */
  readonly raw: readonly Float64Array[];
  /** Input row of each kept respondent. */
  readonly keptRows: Int32Array;
  /** Input rows, kept, and dropped by reason: `missingAnswer`, `invalidValue`, `nullKey` (no group label). */
  readonly rows: DropReport;
  /** Rows left out because their group is not one of the two compared (only when `groups` picks two of more). */
  readonly otherGroups: number;
}

/**
 * Reads the model's answers and the group column, drops respondents listwise as plsPathModel does (a null or NaN
 * answer: `missingAnswer`; an infinite one: `invalidValue`) and those without a group label (`nullKey`), and keeps
 * the two groups compared: the only two labels found, or the two named in `groups`. Without `groups` the labels
 * are taken in sorted order (R's factor levels), so the first is "group 1".
 *
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `INVALID_OPTION` (a label of `groups` not found),
 *   `INVALID_INPUT` (one group or more than two without `groups`; a group too small to fit)
 */
export function readGroupAnswers(
  survey: unknown,
  modelIn: PathModel,
  group: string,
  groups: readonly string[] | undefined,
  fn: string,
): GroupAnswers {
  const table = asTable(survey);
  const model = pathModel(modelIn as never);
  checkIndicatorColumns(table, model.blocks, fn);
  const s = plsStructure(model);
  const keys = readKeys(table, group, fn, 'group');
  const found = Array.from({ length: keys.size }, (_, id) => String(keys.keys.get(id)));
  const labels = chooseLabels(found, groups, group, fn);
  const codeOf = new Int8Array(keys.size).fill(-1);
  found.forEach((label, id) => (codeOf[id] = label === labels[0] ? 1 : label === labels[1] ? 0 : -1));

  const unique = [...new Set(s.columns)];
  const values = new Map<string, Float64Array>();
  for (const name of unique) {
    const lv = model.latent.find((l) => model.blocks[l].includes(name))!;
    values.set(name, readNumeric(table, name, fn, `blocks.${lv}`).values);
  }
  const rows = table.numRows;
  // plsPathModel's listwise deletion, then the rows without a group label (`nullKey`) or of another group
  const { keep, drops } = dropMissingAnswers(
    unique.map((name) => values.get(name)!),
    rows,
  );
  let otherGroups = 0;
  for (let i = 0; i < rows; i++) {
    if (!keep[i]) continue;
    const code = keys.codes[i];
    if (code >= 0 && codeOf[code] >= 0) continue;
    keep[i] = 0;
    if (code < 0) drops.drop('nullKey', i);
    else otherGroups++;
  }
  const n = rows - drops.total - otherGroups;
  const keptRows = new Int32Array(n);
  const member = new Uint8Array(n);
  for (let i = 0, k = 0; i < rows; i++) {
    if (!keep[i]) continue;
    keptRows[k] = i;
    member[k++] = codeOf[keys.codes[i]];
  }
  let n1 = 0;
  for (let k = 0; k < n; k++) n1 += member[k];
  const sizes: [number, number] = [n1, n - n1];
  const raw = s.columns.map((c) => {
    const column = values.get(c)!;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = column[keptRows[k]];
    return out;
  });
  const report: DropReport = Object.freeze({
    rows,
    kept: n,
    dropped: Object.freeze({ ...drops.counts }),
    firstRow: Object.freeze({ ...drops.first }),
    total: drops.total,
  });
  checkGroupSizes(sizes, labels, s, fn);
  return { model, structure: s, labels, n, sizes, member, raw, keptRows, rows: report, otherGroups };
}

/** The two labels compared: the two found, or the two asked for (each must be found). */
function chooseLabels(
  found: readonly string[],
  groups: readonly string[] | undefined,
  column: string,
  fn: string,
): [string, string] {
  if (groups !== undefined) {
    if (
      !Array.isArray(groups) ||
      groups.length !== 2 ||
      typeof groups[0] !== 'string' ||
      typeof groups[1] !== 'string' ||
      groups[0] === groups[1]
    ) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option groups must be two different labels of column "${column}" (found ${describeValue(groups)}); e.g. ['female', 'male']`,
      );
    }
    for (const label of groups) {
      if (!found.includes(label)) {
        throw new ClienteleError(
          'INVALID_OPTION',
          `${fn}: option groups names "${label}", which column "${column}" does not hold (found ${found.map((f) => `"${f}"`).join(', ')}); pick two of those`,
        );
      }
    }
    return [groups[0], groups[1]];
  }
  if (found.length !== 2) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: column "${column}" must hold exactly two groups to compare (found ${found.length}: ${found
        .slice(0, 5)
        .map((f) => `"${f}"`)
        .join(', ')}${found.length > 5 ? ' …' : ''}); pass groups: [a, b] to compare two of them`,
      { column },
    );
  }
  return [...found].sort() as [string, string];
}

/** Each group must have enough respondents for the largest structural regression and a variance to standardise. */
function checkGroupSizes(
  sizes: readonly [number, number],
  labels: readonly [string, string],
  s: PlsStructure,
  fn: string,
): void {
  let largest = 0;
  for (let j = 0; j < s.m; j++) largest = Math.max(largest, s.predecessors[j].length);
  for (let g = 0; g < 2; g++) {
    if (sizes[g] < largest + 2) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: group "${labels[g]}" has ${sizes[g]} complete respondents, too few for a model whose largest structural regression has ${largest} predictors (found ${sizes[g]}, need at least ${largest + 2}); collect more answers or merge groups`,
      );
    }
  }
}

/** PLS options a group fit passes on to plsPathModel's estimation. */
export type GroupFitOptions = Pick<PlsOptions, 'scheme' | 'scaled' | 'maxIterations' | 'tolerance'>;

/**
 * The PLS fit of the respondents with `counts[i]` copies of respondent i (0/1 for a group, bootstrap
 * multiplicities for a resample), from their moments, by plsPathModel's own code path (plsFitOfMoments); undefined
 * when a question is constant among them or the weights do not converge (a replicate that cannot be fitted).
 */
export function fitOfCounts(
  data: GroupAnswers,
  counts: Int32Array,
  options: GroupFitOptions,
  fn: string,
): PlsMomentFit | undefined {
  const { raw, structure } = data;
  const p = structure.p;
  const n = counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const min = new Float64Array(p).fill(Infinity);
  const max = new Float64Array(p).fill(-Infinity);
  for (let k = 0; k < p; k++) {
    const x = raw[k];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    if (lo === hi) return undefined;
    min[k] = lo;
    max[k] = hi;
  }
  const { means, cov } = covarianceOf(raw as Float64Array[], counts);
  const rows: DropReport = { rows: total, kept: total, dropped: {}, firstRow: {}, total: 0 };
  const fit = plsFitOfMoments(
    data.model,
    { n: total, means, cov, rows, min, max },
    { ...options, allowNonConvergence: true },
    undefined,
    fn,
  );
  return fit.converged ? fit : undefined;
}

/** Outer weights (or loadings) of a fit by indicator slot: `fit.outer` lists the slots in order. */
export function slotValues(fit: PlsMomentFit, field: 'weight' | 'loading'): Float64Array {
  return Float64Array.from(Object.values(fit.outer), (o) => o[field]);
}

/** 0/1 counts of group 1 (`which` = 1) or group 2 (`which` = 0) from a membership array. */
export function groupCounts(member: Uint8Array, which: 0 | 1, out = new Int32Array(member.length)): Int32Array {
  for (let i = 0; i < member.length; i++) out[i] = member[i] === which ? 1 : 0;
  return out;
}

/** A group fit's estimates compared by the tests: paths in the model's order, weights and loadings by slot. */
export interface CompactEstimates {
  readonly paths: Float64Array;
  readonly weights: Float64Array;
  readonly loadings: Float64Array;
}

/** The estimates of a fit in {@link CompactEstimates} form. */
export function compactOf(data: GroupAnswers, fit: PlsMomentFit): CompactEstimates {
  return {
    paths: Float64Array.from(data.model.paths, ([f, t]) => fit.paths[f][t]),
    weights: slotValues(fit, 'weight'),
    loadings: slotValues(fit, 'loading'),
  };
}

/** The estimation settings of the replicates: those of the observed fits (checked there). */
export interface ReplicateSettings {
  readonly scheme: InnerScheme;
  readonly scaled: boolean;
  readonly tolerance: number;
  readonly maxIterations: number;
}

/** The settings of a replicate, from the observed fit (scheme, scaling) and the options (plsPathModel's defaults). */
export function replicateSettings(fit: PlsMomentFit, options: GroupFitOptions): ReplicateSettings {
  return {
    scheme: fit.scheme,
    scaled: fit.scaled,
    tolerance: options.tolerance ?? 1e-6,
    maxIterations: options.maxIterations ?? 100,
  };
}

/**
 * Each kept respondent's answers, centred on the pooled means, and their pairwise products, one row of
 * p + p(p + 1)/2 numbers per respondent: the sums of these rows over any subset (or multiset) of the respondents
 * are the subset's sufficient statistics, so a replicate's covariance matrix is one pass of additions over its
 * rows, and the other group's is the total minus this one's.
 *
 * Cost: O(n · p²) once; memory 8 · n · (p + p(p + 1)/2) bytes (0.8 MB for 250 respondents and 27 questions).
 */
export interface MomentRows {
  readonly p: number;
  /** Numbers per row: p + p(p + 1)/2. */
  readonly width: number;
  readonly values: Float64Array;
  /** The sums over all kept respondents. */
  readonly total: Float64Array;
  /** Each slot's variance over all kept respondents (a replicate's below 1e-10 of it counts as constant). */
  readonly variance: Float64Array;
}

export function momentRows(data: GroupAnswers): MomentRows {
  const { raw, n } = data;
  const p = raw.length;
  const width = p + (p * (p + 1)) / 2;
  const centre = raw.map((x) => x.reduce((a, b) => a + b, 0) / n);
  const values = new Float64Array(n * width);
  const x = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let k = 0; k < p; k++) x[k] = values[row + k] = raw[k][i] - centre[k];
    let at = row + p;
    for (let u = 0; u < p; u++) for (let v = u; v < p; v++) values[at++] = x[u] * x[v];
  }
  const total = new Float64Array(width);
  for (let i = 0; i < n; i++) addRow(total, values, i * width, width, 1);
  const variance = new Float64Array(p);
  const cov = covarianceOfSums({ p, width, values, total, variance }, total, n);
  for (let k = 0; k < p; k++) variance[k] = cov[k * p + k];
  return { p, width, values, total, variance };
}

/** Σ counts[i] · row i (rows with a zero count skipped). */
export function sumsOf(rows: MomentRows, counts: Int32Array, out = new Float64Array(rows.width)): Float64Array {
  out.fill(0);
  const { values, width } = rows;
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) addRow(out, values, i * width, width, counts[i]);
  return out;
}

function addRow(out: Float64Array, values: Float64Array, from: number, width: number, times: number): void {
  if (times === 1) for (let c = 0; c < width; c++) out[c] += values[from + c];
  else for (let c = 0; c < width; c++) out[c] += times * values[from + c];
}

/** The covariance matrix (p × p, divisor `count`) from the sums of `count` rows. */
export function covarianceOfSums(rows: MomentRows, sums: Float64Array, count: number): Float64Array {
  const { p } = rows;
  const cov = new Float64Array(p * p);
  let at = p;
  for (let u = 0; u < p; u++) {
    const mu = sums[u] / count;
    for (let v = u; v < p; v++) {
      const c = sums[at++] / count - mu * (sums[v] / count);
      cov[u * p + v] = c;
      cov[v * p + u] = c;
    }
  }
  return cov;
}

/**
 * The estimates of a replicate (a permuted group, a resample) from its covariance matrix by the core of
 * plsPathModel's fit (fitCore, as its own bootstrap runs it), without the rest of the fit's report; undefined when a
 * question is constant in the replicate or the weights do not converge.
 */
export function replicateEstimates(
  data: GroupAnswers,
  rows: MomentRows,
  cov: Float64Array,
  count: number,
  settings: ReplicateSettings,
  pathIndex: Int32Array,
): CompactEstimates | undefined {
  const { p } = data.structure;
  for (let k = 0; k < p; k++) if (!(cov[k * p + k] > 1e-10 * rows.variance[k])) return undefined;
  const core = fitCore(
    settings.scaled ? correlationOf(cov, p) : cov,
    count,
    data.structure,
    settings.scheme,
    settings.tolerance,
    settings.maxIterations,
  );
  if (!core.converged) return undefined;
  return { paths: Float64Array.from(pathIndex, (at) => core.path[at]), weights: core.weights, loadings: core.loadings };
}

/** `from * m + to` of each path of the model, for {@link replicateEstimates}. */
export function pathSlots(data: GroupAnswers): Int32Array {
  const { latent, paths } = data.model;
  const m = latent.length;
  return Int32Array.from(paths, ([f, t]) => latent.indexOf(f) * m + latent.indexOf(t));
}
