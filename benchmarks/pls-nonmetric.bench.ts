/**
 * Non-metric PLS benchmark (issue 19): `plsPathModel` with ordinal and nominal questions (`scaling`) against the
 * metric fit of the same data, and against R plspm 0.5.1's `scaling` on the same data in the same script.
 *
 * 1. Data: `sampleSurvey({ respondents, seed: 1 })` (ACSI model, 14 answers on 1–10); scaling: the quality and
 *    satisfaction questions ordinal, loy1 nominal, the rest numeric. Each size is written to a temporary CSV for R.
 * 2. Rounds, interleaved: clientele metric, clientele non-metric, R plspm non-metric (one `Rscript` per round,
 *    timed inside R with `proc.time()` around the `plspm()` call only); wall and CPU time (user + system) of each.
 *    Medians over the rounds, with min–max. One clientele warm-up before the first round.
 * 3. Agreement: the largest |Δ| between clientele's and R's 9 path coefficients in the same run.
 *
 * Run: `npx tsx --expose-gc benchmarks/pls-nonmetric.bench.ts [--sizes 250,1e4,1e5] [--rounds 5] [--no-r]`
 * (R from `R_LIBS=/work/rlib` or wherever `library(plspm)` loads). Prints a section for benchmarks/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { acsiModel, plsPathModel, sampleSurvey } from '../src/index';
import type { PlsFit, PlsScaling } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';

const MODEL = acsiModel(sampleSurvey({ respondents: 1 }).truth.blocks);
const COLUMNS = MODEL.latent.flatMap((lv) => MODEL.blocks[lv]);
const SCALING: PlsScaling = {
  qual1: 'ordinal',
  qual2: 'ordinal',
  qual3: 'ordinal',
  sat1: 'ordinal',
  sat2: 'ordinal',
  sat3: 'ordinal',
  loy1: 'nominal',
};
const R_LEVEL = { numeric: 'num', ordinal: 'ord', nominal: 'nom' } as const;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sizes = (argument('--sizes') ?? '250,1e4,1e5').split(',').map(Number);
const rounds = Number(argument('--rounds') ?? 5);
const runR = !process.argv.includes('--no-r');

function writeCsv(table: Table, file: string): void {
  const cols = COLUMNS.map((c) => table.getChild(c)!.toArray() as Int32Array);
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < table.numRows; i++) lines.push(cols.map((c) => c[i]).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The R call: blocks and scaling written from MODEL and SCALING, so both sides fit the same model. */
function rScript(): string {
  const lvs = MODEL.latent;
  const levels = (c: string) => R_LEVEL[(SCALING as Record<string, keyof typeof R_LEVEL>)[c] ?? 'numeric'];
  const list = (f: (lv: string) => string) => `list(${lvs.map(f).join(', ')})`;
  const edges = MODEL.paths.map(([f, t]) => `c(${lvs.indexOf(f) + 1}, ${lvs.indexOf(t) + 1})`);
  return `
suppressMessages(library(plspm))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
P <- matrix(0, ${lvs.length}, ${lvs.length})
edges <- list(${edges.join(', ')})
for (e in edges) P[e[2], e[1]] <- 1
rownames(P) <- colnames(P) <- c(${lvs.map((lv) => `"${lv}"`).join(', ')})
blocks <- ${list((lv) => `c(${MODEL.blocks[lv].map((c) => `"${c}"`).join(', ')})`)}
scaling <- ${list((lv) => `c(${MODEL.blocks[lv].map((c) => `"${levels(c)}"`).join(', ')})`)}
t0 <- proc.time()
fit <- plspm(d, P, blocks, modes = rep("A", ${lvs.length}), scaling = scaling)
t1 <- proc.time() - t0
cat("WALL", t1[["elapsed"]] * 1000, "CPU", (t1[["user.self"]] + t1[["sys.self"]]) * 1000, "ITER", fit$model$iter, "\\n")
cat("PATHS", sapply(edges, function(e) sprintf("%.17g", fit$path_coefs[e[2], e[1]])), "\\n")
`;
}

interface Timing {
  wall: number;
  cpu: number;
}

function timeCall(fn: () => PlsFit): Timing & { fit: PlsFit } {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fit = fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000, fit };
}

function runR_(script: string, file: string): (Timing & { paths: number[]; iterations: number }) | string {
  const child = spawnSync('Rscript', [script, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const head = /WALL (\S+) CPU (\S+) ITER (\S+)/.exec(child.stdout ?? '');
  const paths = /PATHS (.*)/.exec(child.stdout ?? '');
  if (child.status !== 0 || !head || !paths)
    return `R failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return {
    wall: Number(head[1]),
    cpu: Number(head[2]),
    iterations: Number(head[3]),
    paths: paths[1].trim().split(/\s+/).map(Number),
  };
}

const spread = (v: number[]) => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-pls-nonmetric-'));
  const script = path.join(dir, 'plspm-nonmetric.R');
  writeFileSync(script, rScript());
  const rows: string[][] = [];
  const load0 = os.loadavg()[0];
  try {
    for (const n of sizes) {
      const { survey } = sampleSurvey({ respondents: n, seed: 1 });
      const file = path.join(dir, `survey-${n}.csv`);
      if (runR) writeCsv(survey, file);
      plsPathModel(survey, MODEL, { scaling: SCALING }); // warm-up
      const metric: Timing[] = [];
      const nonMetric: Timing[] = [];
      const r: Timing[] = [];
      let agree = '—';
      let iterations = '';
      for (let round = 0; round < rounds; round++) {
        metric.push(timeCall(() => plsPathModel(survey, MODEL)));
        const mine = timeCall(() => plsPathModel(survey, MODEL, { scaling: SCALING }));
        nonMetric.push(mine);
        if (!runR) continue;
        const peer = runR_(script, file);
        if (typeof peer === 'string') throw new Error(peer);
        r.push(peer);
        const ours = MODEL.paths.map(([f, t]) => mine.fit.paths[f][t]);
        agree = Math.max(...ours.map((v, i) => Math.abs(v - peer.paths[i]))).toExponential(1);
        iterations = `${mine.fit.iterations} / ${peer.iterations}`;
      }
      const wall = (t: Timing[]) => t.map((x) => x.wall);
      const cpu = (t: Timing[]) => t.map((x) => x.cpu);
      const ratio = (a: Timing[], b: Timing[]) =>
        b.length ? `${(median(wall(a)) / median(wall(b))).toFixed(3)}×` : '—';
      rows.push([
        n.toLocaleString('en-US'),
        spread(wall(metric)),
        spread(wall(nonMetric)),
        ms(median(cpu(nonMetric))),
        r.length ? spread(wall(r)) : 'not run',
        r.length ? ms(median(cpu(r))) : '—',
        ratio(nonMetric, metric),
        ratio(nonMetric, r),
        r.length ? `${(median(cpu(nonMetric)) / median(cpu(r))).toFixed(3)}×` : '—',
        iterations,
        agree,
      ]);
      console.log(rows[rows.length - 1].join(' | '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    [
      '',
      '## Non-metric PLS: ordinal and nominal questions (issue 19)',
      '',
      `Command: \`npx tsx --expose-gc benchmarks/pls-nonmetric.bench.ts --sizes ${sizes.join(',')} --rounds ${rounds}\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}.`,
      '',
      'ACSI model, centroid, `sampleSurvey({ respondents, seed: 1 })`; quality and satisfaction questions ordinal, loy1 nominal. Wall times in ms, median (min–max) of interleaved rounds; CPU = user + system. R plspm 0.5.1 (`scaling = …`) timed inside R around `plspm()`.',
      '',
      markdownTable(
        [
          'respondents',
          'metric ms',
          'non-metric ms',
          'non-metric CPU ms',
          'R plspm ms',
          'R CPU ms',
          'non-metric / metric',
          'clientele / R (wall)',
          'clientele / R (CPU)',
          'iterations (ours / R)',
          'max abs Δ path',
        ],
        rows,
      ),
    ].join('\n'),
  );
}

main();
