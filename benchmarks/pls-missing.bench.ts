/**
 * Missing answers in PLS path modelling (issue 19): `plsPathModel` with `missing: 'listwise'`, `'mean'` and
 * `'available'` on the same survey with 5 % of its answers removed, and R `plspm` 0.5.1 (the available-case
 * estimation it runs when given `scaling`) on the same data as the peer.
 *
 * 1. Data: `sampleSurvey({ respondents, seed: 1 })` (ACSI model, 14 answers on 1–10), as Float64 columns; the answer
 *    of row i to question k (model order) is removed when (7i + 13k) mod 20 = 3, except the complaints question (a
 *    one-question block, which the row would then leave unanswered): 13 rows in 20 lose one answer (4.6 % of the
 *    answers), so listwise keeps 7 in 20 — see the table's "respondents used" column.
 * 2. clientele: the three treatments in interleaved rounds (one warm-up round, then `--rounds` rounds, default 3);
 *    wall time and CPU time (process.cpuUsage, user + system) of each call; medians with min–max.
 * 3. Peer: R plspm 0.5.1 from `R_LIBS` (default /work/rlib), `plspm(d, P, blocks, modes, scaling = "num" for every
 *    question)`, timed inside R with `proc.time()` around the call (the CSV read is not timed), median of
 *    `--r-rounds` (default 1; R's per-row loop over respondents makes it slow). The path coefficients of R and of
 *    clientele's `'available'` fit are compared in the same run.
 *
 * Run: `npx tsx --expose-gc benchmarks/pls-missing.bench.ts [--respondents 1e5] [--rounds 3] [--r-rounds 1] [--no-r]`
 * Prints a section for `benchmarks/RESULTS.md` (it does not write the file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acsiModel, plsPathModel, sampleSurvey } from '../src/index';
import type { PlsFit } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';

const MODEL = acsiModel(sampleSurvey({ respondents: 1 }).truth.blocks);
const COLUMNS = MODEL.latent.flatMap((lv) => MODEL.blocks[lv]);
const TREATMENTS = ['listwise', 'mean', 'available'] as const;
/** Questions that are a block on their own. */
const SINGLE = new Set(MODEL.latent.filter((lv) => MODEL.blocks[lv].length === 1).map((lv) => MODEL.blocks[lv][0]));

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const respondents = Number(argument('--respondents') ?? 1e5);
const rounds = Number(argument('--rounds') ?? 3);
const rRounds = Number(argument('--r-rounds') ?? 1);
const runR = !process.argv.includes('--no-r');

/**
 * The survey as Float64 columns with the answer of row i to question k removed when (7i + 13k) mod 20 = 3, except
 * in one-question blocks (complaints), where it would leave the row without an answer to the block.
 */
function gappySurvey(n: number): Record<string, Float64Array> {
  const { survey } = sampleSurvey({ respondents: n, seed: 1 });
  const out: Record<string, Float64Array> = {};
  COLUMNS.forEach((c, k) => {
    const x = Float64Array.from(survey.getChild(c as never)!.toArray() as ArrayLike<number>);
    out[c] = x;
    if (SINGLE.has(c)) return;
    for (let i = 0; i < n; i++) if ((7 * i + 13 * k) % 20 === 3) x[i] = NaN;
  });
  return out;
}

function writeCsv(data: Record<string, Float64Array>, n: number, file: string): void {
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < n; i++) lines.push(COLUMNS.map((c) => (Number.isNaN(data[c][i]) ? 'NA' : data[c][i])).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const R_SCRIPT = `
suppressMessages(library(plspm))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]; runs <- as.integer(args[2])
d <- read.csv(file)
lvs <- c("expectations", "quality", "value", "satisfaction", "complaints", "loyalty")
P <- matrix(0, 6, 6, dimnames = list(lvs, lvs))
edges <- list(c(1,2), c(1,3), c(1,4), c(2,3), c(2,4), c(3,4), c(4,5), c(4,6), c(5,6))
for (e in edges) P[e[2], e[1]] <- 1
blocks <- list(c("exp1","exp2","exp3"), c("qual1","qual2","qual3"), c("val1","val2"), c("sat1","sat2","sat3"), "comp1", c("loy1","loy2"))
scaling <- lapply(blocks, function(b) rep("num", length(b)))
times <- c(); cpu <- c()
for (r in seq_len(runs)) {
  t0 <- proc.time()
  fit <- plspm(d, P, blocks, modes = rep("A", 6), scaling = scaling)
  t1 <- proc.time() - t0
  times <- c(times, t1[["elapsed"]]); cpu <- c(cpu, t1[["user.self"]] + t1[["sys.self"]])
}
cat("TIMES", times * 1000, "\\n")
cat("CPU", cpu * 1000, "\\n")
pc <- fit$path_coefs
cat("PATHS", sapply(edges, function(e) sprintf("%.17g", pc[e[2], e[1]])), "\\n")
`;

interface Timing {
  wall: number[];
  cpu: number[];
}

const spread = (t: number[]): string => `${ms(median(t))} (${ms(Math.min(...t))}–${ms(Math.max(...t))})`;

function runPlspm(dir: string, file: string): { wall: number[]; cpu: number[]; paths: number[] } | string {
  const script = path.join(dir, 'plspm-missing.R');
  writeFileSync(script, R_SCRIPT);
  const child = spawnSync('Rscript', [script, file, String(rRounds)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, R_LIBS: process.env.R_LIBS ?? '/work/rlib' },
  });
  const read = (tag: string) =>
    new RegExp(`${tag} (.*)`)
      .exec(child.stdout ?? '')?.[1]
      .trim()
      .split(/\s+/)
      .map(Number);
  const wall = read('TIMES');
  const cpu = read('CPU');
  const paths = read('PATHS');
  if (child.status !== 0 || !wall || !cpu || !paths)
    return `R failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return { wall, cpu, paths };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const data = gappySurvey(respondents);
  const timings = new Map<string, Timing>(TREATMENTS.map((t) => [t, { wall: [], cpu: [] }]));
  const fits = new Map<string, PlsFit>();
  for (let round = 0; round <= rounds; round++) {
    for (const missing of TREATMENTS) {
      collectGarbage();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const fit = plsPathModel(data, MODEL, { scale: [1, 10], missing });
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (round === 0) {
        fits.set(missing, fit); // warm-up round, not timed
        continue;
      }
      timings.get(missing)!.wall.push(wall);
      timings.get(missing)!.cpu.push((cpu.user + cpu.system) / 1000);
    }
  }
  const listwise = median(timings.get('listwise')!.wall);
  const rows = TREATMENTS.map((t) => {
    const fit = fits.get(t)!;
    return [
      `\`${t}\``,
      fit.respondents.toLocaleString('en-US'),
      String(fit.iterations),
      spread(timings.get(t)!.wall),
      spread(timings.get(t)!.cpu),
      `${(median(timings.get(t)!.wall) / listwise).toFixed(1)}×`,
    ];
  });
  let peer = 'skipped (--no-r)';
  if (runR) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-pls-missing-'));
    try {
      const file = path.join(dir, 'survey.csv');
      writeCsv(data, respondents, file);
      const r = runPlspm(dir, file);
      if (typeof r === 'string') peer = r;
      else {
        const mine = MODEL.paths.map(([f, t]) => fits.get('available')!.paths[f][t]);
        const agree = Math.max(...mine.map((v, i) => Math.abs(v - r.paths[i])));
        const ratio = median(timings.get('available')!.wall) / median(r.wall);
        peer =
          `R plspm 0.5.1 (\`scaling\` "num", available-case) on the same data: wall ${spread(r.wall)} ms, CPU ` +
          `${spread(r.cpu)} ms (${r.wall.length} run${r.wall.length === 1 ? '' : 's'}); clientele \`'available'\` / ` +
          `plspm = ${ratio.toFixed(4)}×; max |Δpath| over the 9 paths ${agree.toExponential(1)}.`;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const missingTotal = fits.get('mean')!.missing.total;
  const body = [
    `Command: \`npx tsx --expose-gc benchmarks/pls-missing.bench.ts --respondents ${respondents} --rounds ${rounds} --r-rounds ${rRounds}\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}.`,
    '',
    `ACSI model (6 constructs, 14 questions, 9 paths), centroid, standardised, with the index fit; \`sampleSurvey({ respondents: ${respondents}, seed: 1 })\` with ${missingTotal.toLocaleString('en-US')} answers removed by the rule (7i + 13k) mod 20 = 3 (not in the one-question complaints block). Interleaved rounds after a warm-up round; medians (min–max) of ${rounds} rounds, wall and CPU (user + system) time.`,
    '',
    markdownTable(['missing', 'respondents used', 'iterations', 'wall (ms)', 'CPU (ms)', 'wall / listwise'], rows),
    '',
    peer,
    '',
    `Load average (1 min) ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end on ${os.cpus().length} cores.`,
  ].join('\n');
  console.log(body);
}

await main();
