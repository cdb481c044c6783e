/**
 * PLSpredict benchmark (issue 19): `plsPredict` (10 folds × 10 repeats, direct antecedents, path weighting) against
 * R seminr 2.3.4 `predict_pls(model, predict_DA, noFolds = 10, reps = 10)` on mobi (250 respondents, seminr's ECSI
 * model of seven constructs) and on a generated ACSI survey of 10,000 respondents (`sampleSurvey`, seed 1).
 *
 * 1. Both sides write nothing to disk in the timed part. R reads a temporary CSV and fits `estimate_pls` before the
 *    clock starts; it times `predict_pls` alone with `proc.time()` (elapsed, and user + system CPU).
 * 2. Interleaved rounds: clientele (wall clock and `process.cpuUsage()` of the whole `plsPredict` call, reading the
 *    Arrow or column input included, one warm-up first), then one R child process; the median and min–max over the
 *    rounds. The 1-minute load average before and after is printed: other work on the machine slows both sides.
 * 3. Equality: seminr reuses one shuffle for all its reps, so its averaged predictions are those of one split. R
 *    prints that split's fold of every row and its out-of-sample RMSE per item; clientele is run once more
 *    (untimed) on the same folds (`folds: foldOfRow`, seminr's item benchmark `lmPredictors: 'others'`) and the
 *    largest RMSE difference is reported.
 *
 * Run: `npx tsx --expose-gc benchmarks/pls-predict.bench.ts [--rounds 3] [--sizes mobi,10000] [--no-r]`
 * (R_LIBS must reach seminr, e.g. `R_LIBS=/work/rlib`). Prints a Markdown section for benchmarks/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { acsiModel, pathModel, plsPredict, sampleSurvey } from '../src/index';
import type { PathModel } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const ROUNDS = Number(argument('--rounds') ?? 3);
const SIZES = (argument('--sizes') ?? 'mobi,10000').split(',');
const runR = !process.argv.includes('--no-r');

const ECSI = pathModel({
  blocks: {
    Image: ['IMAG1', 'IMAG2', 'IMAG3', 'IMAG4', 'IMAG5'],
    Expectation: ['CUEX1', 'CUEX2', 'CUEX3'],
    Quality: ['PERQ1', 'PERQ2', 'PERQ3', 'PERQ4', 'PERQ5', 'PERQ6', 'PERQ7'],
    Value: ['PERV1', 'PERV2'],
    Satisfaction: ['CUSA1', 'CUSA2', 'CUSA3'],
    Complaints: ['CUSCO'],
    Loyalty: ['CUSL1', 'CUSL2', 'CUSL3'],
  },
  paths: [
    ['Image', 'Expectation'],
    ['Image', 'Satisfaction'],
    ['Image', 'Loyalty'],
    ['Expectation', 'Quality'],
    ['Expectation', 'Value'],
    ['Expectation', 'Satisfaction'],
    ['Quality', 'Value'],
    ['Quality', 'Satisfaction'],
    ['Value', 'Satisfaction'],
    ['Satisfaction', 'Complaints'],
    ['Satisfaction', 'Loyalty'],
    ['Complaints', 'Loyalty'],
  ],
});

/** A survey as plain columns, its model and its size label. */
interface Case {
  label: string;
  columns: Record<string, Float64Array>;
  model: PathModel;
}

function mobiCase(): Case {
  const text = gunzipSync(readFileSync(path.join(HERE, '..', 'datasets', 'mobi.csv.gz'))).toString('utf8');
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const columns: Record<string, Float64Array> = {};
  header.slice(1).forEach((h) => (columns[h] = new Float64Array(lines.length - 1)));
  lines.slice(1).forEach((line, i) =>
    line
      .split(',')
      .slice(1)
      .forEach((v, j) => (columns[header[j + 1]][i] = Number(v))),
  );
  return { label: 'mobi (250 × 24, ECSI, 7 constructs)', columns, model: ECSI };
}

function generatedCase(n: number): Case {
  const { survey, truth } = sampleSurvey({ respondents: n, seed: 1 });
  const model = acsiModel(truth.blocks);
  const columns: Record<string, Float64Array> = {};
  for (const lv of model.latent)
    for (const c of model.blocks[lv])
      columns[c] = Float64Array.from(survey.getChild(c as never)!.toArray() as Int32Array);
  return { label: `sampleSurvey ${n.toLocaleString('en')} × 14, ACSI, 6 constructs`, columns, model };
}

const R_SCRIPT = `
suppressMessages(library(seminr))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1]); spec <- readLines(args[2]); folds <- as.integer(args[3]); reps <- as.integer(args[4])
rownames(data) <- as.character(seq_len(nrow(data)))
blocks <- spec[startsWith(spec, "block ")]; edges <- spec[startsWith(spec, "path ")]
mm <- do.call(constructs, lapply(strsplit(sub("^block ", "", blocks), " "), function(b) composite(b[1], b[-1])))
sm <- do.call(relationships, lapply(strsplit(sub("^path ", "", edges), " "), function(e) paths(from = e[1], to = e[2])))
model <- suppressMessages(estimate_pls(data, mm, sm))
set.seed(1)
order <- sample(nrow(data), nrow(data))
fold <- integer(nrow(data)); fold[order] <- cut(seq(1, nrow(data)), breaks = folds, labels = FALSE)
set.seed(1)
t0 <- proc.time()
res <- suppressMessages(predict_pls(model, technique = predict_DA, noFolds = folds, reps = reps))
t1 <- proc.time() - t0
cat("TIME", t1[["elapsed"]] * 1000, (t1[["user.self"]] + t1[["sys.self"]]) * 1000, "\\n")
r <- res$PLS_out_of_sample_residuals
cat("ITEMS", colnames(r), "\\n")
cat("RMSE", sprintf("%.17g", sqrt(colMeans(r^2))), "\\n")
cat("FOLDS", fold, "\\n")
`;

interface RRun {
  wall: number;
  cpu: number;
  items: string[];
  rmse: number[];
  folds: number[];
}

function runSeminr(dir: string, c: Case): RRun | string {
  const csv = path.join(dir, 'survey.csv');
  const names = Object.keys(c.columns);
  const n = c.columns[names[0]].length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((h) => c.columns[h][i]).join(','));
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const spec = [
    ...c.model.latent.map((lv) => `block ${lv} ${c.model.blocks[lv].join(' ')}`),
    ...c.model.paths.map(([f, t]) => `path ${f} ${t}`),
  ];
  writeFileSync(path.join(dir, 'model.txt'), `${spec.join('\n')}\n`);
  writeFileSync(path.join(dir, 'bench.R'), R_SCRIPT);
  const child = spawnSync('Rscript', [path.join(dir, 'bench.R'), csv, path.join(dir, 'model.txt'), '10', '10'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = (tag: string) =>
    new RegExp(`^${tag} (.*)$`, 'm')
      .exec(child.stdout ?? '')?.[1]
      .trim()
      .split(/\s+/);
  const time = line('TIME');
  if (child.error || child.status !== 0 || !time)
    return `R failed: ${(child.stderr ?? String(child.error)).trim().split('\n').slice(-2).join(' ')}`;
  return {
    wall: Number(time[0]),
    cpu: Number(time[1]),
    items: line('ITEMS')!,
    rmse: line('RMSE')!.map(Number),
    folds: line('FOLDS')!.map(Number),
  };
}

function rUnavailable(): string | null {
  if (!runR) return 'skipped (--no-r)';
  const probe = spawnSync(
    'Rscript',
    ['-e', 'suppressMessages(library(seminr)); cat(format(packageVersion("seminr")))'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.error) return 'Rscript not found';
  if (probe.status !== 0) return 'R package seminr not found (set R_LIBS)';
  return null;
}

const range = (v: number[]) => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;

function main(): void {
  const why = rUnavailable();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-plspredict-'));
  const load = [os.loadavg()[0]];
  const rows: string[][] = [];
  const notes: string[] = [];
  try {
    for (const size of SIZES) {
      const c = size === 'mobi' ? mobiCase() : generatedCase(Number(size));
      const options = { folds: 10, repeats: 10, seed: 1, scheme: 'path', lmPredictors: 'others' } as const;
      plsPredict(c.columns, c.model, options);
      const wall: number[] = [];
      const cpu: number[] = [];
      const rWall: number[] = [];
      const rCpu: number[] = [];
      let last: RRun | string = why ?? '';
      for (let r = 0; r < ROUNDS; r++) {
        collectGarbage();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        plsPredict(c.columns, c.model, options);
        wall.push(performance.now() - t0);
        const used = process.cpuUsage(c0);
        cpu.push((used.user + used.system) / 1000);
        if (!why) {
          last = runSeminr(dir, c);
          if (typeof last !== 'string') {
            rWall.push(last.wall);
            rCpu.push(last.cpu);
          }
        }
      }
      let check = typeof last === 'string' ? last : '';
      if (typeof last !== 'string') {
        const same = plsPredict(c.columns, c.model, { ...options, repeats: 1, folds: last.folds, tolerance: 1e-12 });
        const diff = last.items.map((item, a) => Math.abs(same.indicators[item].rmse - last.rmse[a]));
        check = `max |ΔRMSE| ${Math.max(...diff).toExponential(1)} over ${diff.length} items`;
      }
      const ratio = rWall.length ? `${(median(wall) / median(rWall)).toFixed(3)}×` : '—';
      rows.push([
        c.label,
        range(wall),
        range(cpu),
        rWall.length ? range(rWall) : String(why ?? last),
        rCpu.length ? range(rCpu) : '—',
        ratio,
        check,
      ]);
      console.error(`${c.label}: done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  load.push(os.loadavg()[0]);
  notes.push(
    `Load average (1 min) before / after: ${load[0].toFixed(2)} / ${load[1].toFixed(2)} on ${os.availableParallelism()} cores.`,
  );
  const table = markdownTable(
    [
      'survey',
      'clientele plsPredict ms, median (min–max)',
      'clientele CPU ms',
      'seminr predict_pls ms',
      'seminr CPU ms',
      'clientele / seminr (wall)',
      'same folds: RMSE vs seminr',
    ],
    rows,
  );
  console.log(
    [
      `Command: \`R_LIBS=/work/rlib npx tsx --expose-gc benchmarks/pls-predict.bench.ts --rounds ${ROUNDS} --sizes ${SIZES.join(',')}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine()}.`,
      '',
      `10 folds × 10 repeats, predict_DA, path weighting; ${ROUNDS} interleaved rounds (clientele, then one R child process timing predict_pls inside R).`,
      '',
      table,
      '',
      ...notes,
    ].join('\n'),
  );
}

main();
