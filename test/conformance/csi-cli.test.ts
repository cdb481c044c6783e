/**
 * `clientele csi` and `clientele report --survey` on the two public ECSI surveys, as an analyst runs them (issue 16):
 * `csi satisfaction.csv --model ecsi` (R plspm's data: imag1…, expe1…, no complaints block) and
 * `csi mobi.csv --model ecsi` (seminr / semPLS naming: IMAG1…, CUEX1…, CUSCO) must print what R plspm 0.6.0's
 * `summary()` prints for the same model — the reference fits in fixtures/plspm, produced by plspm itself — and a
 * model file of one's own must reproduce R seminr's fit of its "basic" mobi model
 * (/work/shared/datasets/reference/plspm-python/seminr-mobi-basic-*.csv, copied below as figures).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { dataset } from '../helpers/datasets';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/plspm');

interface PlspmFixture {
  model: { lvs: string[]; blocks: Record<string, string[]>; paths: [string, string][] };
  iterations: number;
  path_coefs: Record<string, Record<string, number>>;
  rSquared: Record<string, number>;
  outer_model: {
    name: string;
    block: string;
    weight: number;
    loading: number;
    communality: number;
    redundancy: number;
  }[];
  unidim: Record<string, { MVs: number; 'C.alpha': number; 'DG.rho': number; 'eig.1st': number; 'eig.2nd': number }>;
  inner_summary: Record<string, { R2: number; block_communality: number; mean_redundancy: number; AVE: number }>;
  effects: { relationship: string; direct: number; indirect: number; total: number }[];
  gof: number;
  scores_columns: string[];
  scores: number[][];
}

/** plspm's block names in the fixtures → the ECSI construct names of `--model ecsi`. */
const ECSI_NAMES: Record<string, string> = {
  IMAG: 'image',
  EXPE: 'expectations',
  QUAL: 'quality',
  VAL: 'value',
  SAT: 'satisfaction',
  LOY: 'loyalty',
  CUEX: 'expectations',
  PERQ: 'quality',
  PERV: 'value',
  CUSA: 'satisfaction',
  CUSCO: 'complaints',
  CUSL: 'loyalty',
};

interface CsiJson {
  model: string;
  omitted: string[];
  droppedPaths: { from: string; to: string }[];
  notes: string[];
  respondents: number;
  iterations: number;
  blocks: Record<string, string[]>;
  outer: {
    indicator: string;
    block: string;
    weight: number;
    loading: number;
    communality: number;
    redundancy: number;
  }[];
  unidimensionality: {
    construct: string;
    indicators: number;
    cronbachAlpha: number;
    dillonGoldsteinRho: number;
    eigenvalue1: number;
    eigenvalue2: number;
  }[];
  paths: { from: string; to: string; estimate: number; stdError?: number; lower?: number; upper?: number }[];
  rSquared: Record<string, number>;
  innerSummary: {
    construct: string;
    rSquared: number;
    blockCommunality: number;
    meanRedundancy: number;
    ave: number;
  }[];
  gof: number;
  effects: { from: string; to: string; direct: number; indirect: number; total: number }[];
  fornellLarcker: { construct: string; sqrtAve: number; maxCorrelation: number; with: string; holds: boolean }[];
  scores: Record<string, number>[];
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
  });
  return { code, out, err };
}

function fixture(name: string): PlspmFixture {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as PlspmFixture;
}

/** Pearson correlation, written out here so the Fornell–Larcker check has an independent twin. */
function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i] - my);
    sxx += (v - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

/** Every figure of `csi --model ecsi` against plspm's fit of the same model, with plspm's block names mapped. */
function expectPlspm(got: CsiJson, ref: PlspmFixture, tolerance: number): void {
  const digits = -Math.log10(tolerance);
  expect(got.respondents).toBe(250);
  expect(got.iterations).toBe(ref.iterations);
  for (const lv of ref.model.lvs) expect(got.blocks[ECSI_NAMES[lv]]).toEqual(ref.model.blocks[lv]);
  expect(got.paths).toHaveLength(ref.model.paths.length);
  for (const [from, to] of ref.model.paths) {
    const p = got.paths.find((x) => x.from === ECSI_NAMES[from] && x.to === ECSI_NAMES[to])!;
    expect(p.estimate).toBeCloseTo(ref.path_coefs[from][to], digits);
  }
  for (const [lv, r2] of Object.entries(ref.rSquared)) expect(got.rSquared[ECSI_NAMES[lv]]).toBeCloseTo(r2, digits);
  for (const row of ref.outer_model) {
    const mine = got.outer.find((o) => o.indicator === row.name)!;
    expect(mine.block).toBe(ECSI_NAMES[row.block]);
    expect(mine.weight).toBeCloseTo(row.weight, digits);
    expect(mine.loading).toBeCloseTo(row.loading, digits);
    expect(mine.communality).toBeCloseTo(row.communality, digits);
    expect(mine.redundancy).toBeCloseTo(row.redundancy, digits);
  }
  for (const [lv, u] of Object.entries(ref.unidim)) {
    const mine = got.unidimensionality.find((x) => x.construct === ECSI_NAMES[lv])!;
    expect(mine.indicators).toBe(u.MVs);
    expect(mine.cronbachAlpha).toBeCloseTo(u['C.alpha'], digits);
    expect(mine.dillonGoldsteinRho).toBeCloseTo(u['DG.rho'], digits);
    expect(mine.eigenvalue1).toBeCloseTo(u['eig.1st'], digits);
    expect(mine.eigenvalue2).toBeCloseTo(u['eig.2nd'], digits);
  }
  for (const [lv, s] of Object.entries(ref.inner_summary)) {
    const mine = got.innerSummary.find((x) => x.construct === ECSI_NAMES[lv])!;
    expect(mine.rSquared).toBeCloseTo(s.R2, digits);
    expect(mine.blockCommunality).toBeCloseTo(s.block_communality, digits);
    expect(mine.meanRedundancy).toBeCloseTo(s.mean_redundancy, digits);
    expect(mine.ave).toBeCloseTo(s.AVE, digits);
  }
  expect(got.gof).toBeCloseTo(ref.gof, digits);
  for (const e of ref.effects) {
    const [from, to] = e.relationship.split(' -> ');
    const mine = got.effects.find((x) => x.from === ECSI_NAMES[from] && x.to === ECSI_NAMES[to]);
    if (e.total === 0 && e.direct === 0) continue;
    expect(mine!.total).toBeCloseTo(e.total, digits);
    expect(mine!.indirect).toBeCloseTo(e.indirect, digits);
  }
}

/** Fornell–Larcker recomputed from plspm's own scores and AVE: √AVE against the largest |r| with another construct. */
function expectFornellLarcker(got: CsiJson, ref: PlspmFixture): void {
  const columns = ref.scores_columns.map((_, j) => ref.scores.map((row) => row[j]));
  expect(got.fornellLarcker).toHaveLength(ref.scores_columns.length);
  ref.scores_columns.forEach((lv, j) => {
    let max = 0;
    columns.forEach((c, k) => k !== j && (max = Math.max(max, Math.abs(pearson(columns[j], c)))));
    const sqrtAve = Math.sqrt(ref.inner_summary[lv].AVE);
    const mine = got.fornellLarcker.find((f) => f.construct === ECSI_NAMES[lv])!;
    expect(mine.sqrtAve).toBeCloseTo(sqrtAve, 9);
    expect(mine.maxCorrelation).toBeCloseTo(max, 9);
    expect(mine.holds).toBe(sqrtAve > max);
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-csi-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('csi satisfaction.csv --model ecsi: R plspm 0.6.0 summary() of its satisfaction data (fixtures/plspm)', () => {
  it('loadings, weights, paths, R², α, ρ, eigenvalues, AVE, GoF and effects match plspm to 1e-9; complaints omitted with its two paths', async () => {
    const run = await cli('csi', dataset('satisfaction.csv'), '--model', 'ecsi');
    expect(run.code, run.err).toBe(0);
    const got = JSON.parse(run.out) as CsiJson;
    expect(got.model).toBe('ecsi');
    expect(got.omitted).toEqual(['complaints']);
    expect(got.droppedPaths).toEqual([
      { from: 'satisfaction', to: 'complaints' },
      { from: 'complaints', to: 'loyalty' },
    ]);
    expect(got.notes).toHaveLength(1);
    expect(run.err).toContain('no column for complaints');
    expect(run.err).toContain('satisfaction → complaints, complaints → loyalty');
    expectPlspm(got, fixture('satisfaction-centroid.json'), 1e-9);
    expectFornellLarcker(got, fixture('satisfaction-centroid.json'));
    expect(got.scores).toHaveLength(250);
  });

  it('--summary prints the same figures as text, in the order of summary(), on stdout', async () => {
    const run = await cli('csi', dataset('satisfaction.csv'), '--model', 'ecsi', '--summary');
    expect(run.code, run.err).toBe(0);
    const ref = fixture('satisfaction-centroid.json');
    const order = [
      'OUTER MODEL',
      'BLOCKS UNIDIMENSIONALITY',
      'INNER MODEL',
      'SUMMARY INNER MODEL',
      'GOODNESS-OF-FIT',
      'EFFECTS',
    ];
    const at = order.map((h) => run.out.indexOf(h));
    expect(at.every((x, i) => x >= 0 && (i === 0 || x > at[i - 1]))).toBe(true);
    expect(run.out).toContain(`GOODNESS-OF-FIT ${ref.gof.toFixed(4)}`);
    // plspm's Cronbach's alpha of IMAG, 4 decimals, on the image row
    expect(run.out).toMatch(new RegExp(`image\\s+A\\s+5\\s+${ref.unidim.IMAG['C.alpha'].toFixed(4)}`));
    expect(run.out).not.toContain('"paths"');
  });

  it('--out writes the 250 respondents’ scores and puts the text summary (with the note) on stderr', async () => {
    const out = join(dir, 'scores.csv');
    const run = await cli('csi', dataset('satisfaction.csv'), '--model', 'ecsi', '--out', out);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(251);
    expect(run.err).toContain('OUTER MODEL');
    expect(run.err.match(/no column for complaints/g)).toHaveLength(1);
  });
});

describe('csi mobi.csv --model ecsi: R plspm 0.6.0 on the mobi data, complaints kept (fixtures/plspm)', () => {
  it('every figure matches plspm to 1e-9 with the ECSI blocks found by seminr’s column names (IMAG, CUEX, PERQ, PERV, CUSA, CUSCO, CUSL)', async () => {
    const run = await cli('csi', dataset('mobi.csv'), '--model', 'ecsi');
    expect(run.code, run.err).toBe(0);
    const got = JSON.parse(run.out) as CsiJson;
    expect(got.omitted).toEqual([]);
    expect(got.blocks.complaints).toEqual(['CUSCO']);
    expectPlspm(got, fixture('mobi-centroid.json'), 1e-9);
    expectFornellLarcker(got, fixture('mobi-centroid.json'));
  });

  it('--bootstrap adds a standard error and a percentile interval around every path estimate', async () => {
    const run = await cli('csi', dataset('mobi.csv'), '--model', 'ecsi', '--bootstrap', '30', '--seed', '3');
    expect(run.code, run.err).toBe(0);
    const got = JSON.parse(run.out) as CsiJson;
    for (const p of got.paths) {
      expect(p.stdError).toBeGreaterThan(0);
      expect(p.lower!).toBeLessThanOrEqual(p.upper!);
    }
  });
});

/** R seminr's estimate_pls of its mobi "basic" model (path weighting; Quality a mode B composite), from the reference CSVs. */
const SEMINR_OUTER: Record<string, [weight: number, loading: number]> = {
  IMAG1: [0.289315133055235, 0.738146832100829],
  IMAG2: [0.302049292567551, 0.628057636334134],
  IMAG3: [0.239056557053925, 0.584994323749385],
  IMAG4: [0.306197698970417, 0.755321624185593],
  IMAG5: [0.307935309510133, 0.73266724244498],
  CUEX1: [0.486195010983096, 0.750620088913199],
  CUEX2: [0.561419220295048, 0.760693713932964],
  CUEX3: [0.381323454524026, 0.545427204646342],
  PERQ1: [0.407033650980277, 0.848331559563572],
  PERQ2: [0.166397958325427, 0.613093727616285],
  PERQ3: [0.38465728634974, 0.840292545241395],
  PERQ4: [0.0740065406659367, 0.654863987061899],
  PERQ5: [0.0521512126128109, 0.670785747101997],
  PERQ6: [-0.0862475048715799, 0.610190554740549],
  PERQ7: [0.247567714116287, 0.802363177633337],
  CUSCO: [1, 1],
  CUSL1: [0.455294149865501, 0.817374915589384],
  CUSL2: [0.117887757261553, 0.205795369057261],
  CUSL3: [0.658305669437138, 0.916889001865127],
};
const SEMINR_PATHS: [string, string, number][] = [
  ['Image', 'Expectation', 0.512876954138615],
  ['Expectation', 'Loyalty', 0.124534792831633],
  ['Quality', 'Loyalty', 0.405693671851465],
  ['Complaints', 'Loyalty', 0.176081956818542],
];

const BASIC_YAML = `# seminr's mobi example, the basic model
blocks:
  Image: [IMAG1, IMAG2, IMAG3, IMAG4, IMAG5]
  Expectation: [CUEX1, CUEX2, CUEX3]
  Quality:
    - PERQ1
    - PERQ2
    - PERQ3
    - PERQ4
    - PERQ5
    - PERQ6
    - PERQ7
  Complaints: [CUSCO]   # a single question
  Loyalty: ['CUSL1', "CUSL2", CUSL3]
paths:
- [Image, Expectation]
- [Expectation, Loyalty]
- [Quality, Loyalty]
- [Complaints, Loyalty]
modes:
  Quality: B
`;

describe('csi mobi.csv --model <file>: a model of one’s own reproduces R seminr’s basic mobi model', () => {
  for (const [name, text] of [
    ['basic.yaml', BASIC_YAML],
    [
      'basic.json',
      JSON.stringify({
        blocks: Object.fromEntries(
          ['Image:IMAG', 'Expectation:CUEX', 'Quality:PERQ', 'Complaints:CUSCO', 'Loyalty:CUSL'].map((s) => {
            const [lv, prefix] = s.split(':');
            return [lv, Object.keys(SEMINR_OUTER).filter((k) => k.startsWith(prefix))];
          }),
        ),
        paths: SEMINR_PATHS.map(([f, t]) => [f, t]),
        modes: { Quality: 'B' },
      }),
    ],
  ] as const) {
    it(`${name}, path scheme: paths within 1e-4, outer weights and loadings within 5e-4 of seminr (its stop rule differs)`, async () => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const run = await cli('csi', dataset('mobi.csv'), '--model', file, '--scheme', 'path');
      expect(run.code, run.err).toBe(0);
      const got = JSON.parse(run.out) as CsiJson;
      expect(got.model).toBe('custom');
      for (const [from, to, estimate] of SEMINR_PATHS) {
        const p = got.paths.find((x) => x.from === from && x.to === to)!;
        expect(Math.abs(p.estimate - estimate)).toBeLessThan(1e-4);
      }
      for (const [indicator, [weight, loading]] of Object.entries(SEMINR_OUTER)) {
        const o = got.outer.find((x) => x.indicator === indicator)!;
        expect(Math.abs(o.weight - weight)).toBeLessThan(5e-4);
        expect(Math.abs(o.loading - loading)).toBeLessThan(5e-4);
      }
      // mode B: no α, ρ or AVE, and no Fornell–Larcker row
      expect(got.unidimensionality.find((u) => u.construct === 'Quality')!.cronbachAlpha).toBe(0);
      expect(got.fornellLarcker.map((f) => f.construct)).not.toContain('Quality');
    });
  }
});

describe('report --survey on the public surveys', () => {
  it('report --survey satisfaction.csv --model ecsi has the ECSI section and notes the omitted complaints block', async () => {
    const tx = join(dir, 'tx.csv');
    writeFileSync(
      tx,
      'customer,date,amount\n' +
        Array.from({ length: 60 }, (_, i) => `c${i % 20},2024-0${1 + (i % 9)}-1${i % 10},${10 + (i % 7)}`).join('\n') +
        '\n',
    );
    const out = join(dir, 'r.html');
    const run = await cli(
      'report',
      tx,
      '--survey',
      dataset('satisfaction.csv'),
      '--model',
      'ecsi',
      '--k',
      '2',
      '--out',
      out,
    );
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('report: the survey has no column for complaints');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Customer satisfaction index (ECSI)');
    // plspm's R² of SAT, as the section's figure
    expect(html).toContain(fixture('satisfaction-centroid.json').rSquared.SAT.toFixed(3));
  });
});
