/**
 * Multi-group PLS benchmark (issue 19): `plsMultigroup` with 1,000 permutations against R plspm's
 * `plspm.groups(…, method = 'permutation', reps = 1000)` on the ECSI survey satisfaction.csv by gender (250
 * respondents, 27 questions, 6 constructs, 10 paths; 148 women, 102 men), and `micom` with 1,000 permutations.
 *
 * 1. Data: `datasets/satisfaction.csv.gz`, read once with `readTable`; unpacked to a temporary CSV for R.
 * 2. Rounds interleave the two sides (clientele, then R, `--rounds` times, default 3) so that a change in the
 *    machine's load hits both; medians with min–max, wall and CPU time (clientele: `process.cpuUsage`; R:
 *    `proc.time()` user + system around the `plspm.groups` call only, after reading the CSV and the global fit).
 * 3. Peer: R plspm 0.5.1 from `--r-libs` (default `$R_LIBS` or `/work/rlib`), child process `Rscript`; skipped with
 *    a message when Rscript or plspm is absent. The group paths both print are compared in the same run.
 *
 * Run: `npx tsx --expose-gc benchmarks/pls-groups.bench.ts [--rounds 3] [--reps 1000] [--no-r]`
 * Prints a section for benchmarks/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { micom, pathModel, plsMultigroup, readTable } from '../src/index';
import { machine, markdownTable, median, ms } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const rounds = Number(argument('--rounds') ?? 3);
const reps = Number(argument('--reps') ?? 1000);
const rLibs = argument('--r-libs') ?? process.env.R_LIBS ?? '/work/rlib';
const runR = !process.argv.includes('--no-r');

const items = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
const MODEL = pathModel({
  blocks: {
    IMAG: items('imag', 5),
    EXPE: items('expe', 5),
    QUAL: items('qual', 5),
    VAL: items('val', 4),
    SAT: items('sat', 4),
    LOY: items('loy', 4),
  },
  paths: [
    ['IMAG', 'EXPE'],
    ['IMAG', 'SAT'],
    ['IMAG', 'LOY'],
    ['EXPE', 'QUAL'],
    ['EXPE', 'VAL'],
    ['EXPE', 'SAT'],
    ['QUAL', 'VAL'],
    ['QUAL', 'SAT'],
    ['VAL', 'SAT'],
    ['SAT', 'LOY'],
  ],
});

const R_SCRIPT = `
suppressMessages(library(plspm))
args <- commandArgs(trailingOnly = TRUE); file <- args[1]; reps <- as.integer(args[2])
sat <- read.csv(file, row.names = 1); sat$gender <- factor(sat$gender)
IMAG = c(0,0,0,0,0,0); EXPE = c(1,0,0,0,0,0); QUAL = c(0,1,0,0,0,0); VAL = c(0,1,1,0,0,0)
SAT = c(1,1,1,1,0,0); LOY = c(1,0,0,0,1,0)
P = rbind(IMAG, EXPE, QUAL, VAL, SAT, LOY); colnames(P) = rownames(P)
fit <- plspm(sat, P, list(1:5, 6:10, 11:15, 16:19, 20:23, 24:27), modes = rep("A", 6))
set.seed(1)
t0 <- proc.time()
g <- plspm.groups(fit, sat$gender, method = "permutation", reps = reps)
t1 <- proc.time() - t0
cat("WALL", t1[["elapsed"]] * 1000, "\\n")
cat("CPU", (t1[["user.self"]] + t1[["sys.self"]]) * 1000, "\\n")
cat("DIFF", sprintf("%.4f", g$test$diff.abs), "\\n")
`;

interface Timing {
  wall: number;
  cpu: number;
}

function runPlspm(script: string, csv: string): (Timing & { diff: number[] }) | string {
  const child = spawnSync('Rscript', [script, csv, String(reps)], {
    encoding: 'utf8',
    env: { ...process.env, R_LIBS: rLibs },
    maxBuffer: 1 << 24,
  });
  const wall = /WALL (\S+)/.exec(child.stdout ?? '');
  const cpu = /CPU (\S+)/.exec(child.stdout ?? '');
  const diff = /DIFF (.*)/.exec(child.stdout ?? '');
  if (child.error) return `Rscript not found (${child.error.message})`;
  if (child.status !== 0 || !wall || !cpu || !diff)
    return `R plspm failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return { wall: Number(wall[1]), cpu: Number(cpu[1]), diff: diff[1].trim().split(/\s+/).map(Number) };
}

function timeIt<T>(f: () => T): Timing & { value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, value };
}

const span = (v: number[]) => `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;

async function main(): Promise<void> {
  const csvText = gunzipSync(readFileSync(path.join(HERE, '..', 'datasets', 'satisfaction.csv.gz')));
  const survey = await readTable(new Uint8Array(csvText), { format: 'csv' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-pls-groups-'));
  const csv = path.join(dir, 'satisfaction.csv');
  const script = path.join(dir, 'groups.R');
  writeFileSync(csv, csvText);
  writeFileSync(script, R_SCRIPT);
  const load = os.loadavg().map((l) => l.toFixed(1));
  const ours: Timing[] = [];
  const oursMicom: Timing[] = [];
  const theirs: Timing[] = [];
  let rNote = runR ? '' : 'skipped (--no-r)';
  let agree = '—';
  try {
    plsMultigroup(survey, MODEL, { group: 'gender', replicates: 50 }); // warm-up
    for (let r = 0; r < rounds; r++) {
      const mine = timeIt(() => plsMultigroup(survey, MODEL, { group: 'gender', replicates: reps, seed: r + 1 }));
      ours.push(mine);
      oursMicom.push(timeIt(() => micom(survey, MODEL, { group: 'gender', replicates: reps, seed: r + 1 })));
      if (!rNote) {
        const peer = runPlspm(script, csv);
        if (typeof peer === 'string') rNote = peer;
        else {
          theirs.push(peer);
          const d = mine.value.paths.map((p) => Math.abs(p.difference));
          agree = Math.max(...d.map((v, i) => Math.abs(v - peer.diff[i]))).toExponential(1);
        }
      }
      console.log(`round ${r + 1}: clientele ${ms(mine.wall)} ms; R ${theirs.at(-1)?.wall ?? rNote} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = theirs.length
    ? `${(median(theirs.map((t) => t.wall)) / median(ours.map((t) => t.wall))).toFixed(1)}×`
    : '—';
  const rows = [
    ['clientele plsMultigroup (permutation)', span(ours.map((t) => t.wall)), span(ours.map((t) => t.cpu))],
    ['clientele micom', span(oursMicom.map((t) => t.wall)), span(oursMicom.map((t) => t.cpu))],
    [
      'R plspm 0.5.1 plspm.groups (permutation)',
      theirs.length ? span(theirs.map((t) => t.wall)) : rNote,
      theirs.length ? span(theirs.map((t) => t.cpu)) : '—',
    ],
  ];
  console.log(
    [
      '',
      `### Multi-group PLS: permutation test and MICOM (issue 19)`,
      '',
      `Command: \`npx tsx --expose-gc benchmarks/pls-groups.bench.ts --rounds ${rounds} --reps ${reps}\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, load average ${load.join(' ')} at the start.`,
      '',
      `satisfaction.csv by gender (148 / 102 respondents, 27 questions, 10 paths), ${reps} permutations, centroid scheme, standardised; ${rounds} interleaved rounds, median (min–max) in ms. R is timed inside R around \`plspm.groups\` only. R plspm is ${ratio} slower (wall, medians); the |differences| of the 10 paths agree to ${agree} (plspm prints 4 digits).`,
      '',
      markdownTable(['run', 'wall ms', 'CPU ms'], rows),
    ].join('\n'),
  );
}

void main();
