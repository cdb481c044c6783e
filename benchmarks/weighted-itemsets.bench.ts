/**
 * Weighted itemsets benchmark (issue 19, part 7): `frequentItemsets(b, { minSupport, weights })` (weighted Eclat)
 * against the unweighted default miner on the same baskets, and against R arules `weclat` on the same baskets and
 * weights, run from this one script.
 *
 * 1. Data: `groceries.csv` (9,835 baskets) and `retail.dat` (88,162) from datasets/, read into `string[][]` (fields
 *    trimmed, empty fields and repeats within a line dropped) and encoded once by `basketsFromLists` (not timed).
 *    Weights: a seeded revenue, w_b = |b| × (0.5 + u_b) with u_b uniform from mulberry32 (seed 20261207).
 * 2. clientele, in interleaved rounds (unweighted, then weighted, each round): `frequentItemsets(b, { minSupport })`
 *    (Eclat with diffsets, counts) and `frequentItemsets(b, { minSupport, weights })` (weighted Eclat on tid-lists),
 *    eight warm-up calls each, then one timed call of each per round; wall clock and CPU time (`process.cpuUsage`, user +
 *    system) of the call, including building the Arrow result; garbage collected once before the rounds, not before
 *    each call (see {@link timeCall}).
 * 3. R arules 1.7-10 `weclat(trans, parameter = list(support, maxlen = 50))` in a child `Rscript` (R_LIBS from the
 *    environment, e.g. `R_LIBS=/work/rlib`) once per round, after clientele's calls of that round: the baskets and
 *    weights are written to a temporary file, read by `read.transactions` (not timed), then one warm-up and one
 *    timed `weclat` (elapsed and CPU from `proc.time()`). Skipped with a message when Rscript or arules is absent.
 * 4. Equality: the number of weighted itemsets and the sum of their supports, clientele against weclat (relative
 *    difference printed).
 *
 * Run: `R_LIBS=/work/rlib npx tsx --expose-gc benchmarks/weighted-itemsets.bench.ts [--datasets groceries,retail]
 * [--supports 0.01,0.002] [--rounds 5] [--no-r]`. Prints a markdown section for `benchmarks/RESULTS.md`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { basketsFromLists, frequentItemsets } from '../src/index';
import type { Baskets } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms } from './harness';
import { dataset } from '../test/helpers/datasets';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const datasets = (argument('--datasets') ?? 'groceries,retail').split(',');
const supports = (argument('--supports') ?? '0.01,0.002').split(',').map(Number);
const rounds = Number(argument('--rounds') ?? 5);
const runR = !process.argv.includes('--no-r');

const FILES: Record<string, [string, string]> = {
  groceries: ['groceries.csv', ','],
  retail: ['retail.dat', ' '],
};

function readLists(name: string): string[][] {
  const [file, separator] = FILES[name];
  const lines = readFileSync(dataset(file), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => [
    ...new Set(
      line
        .split(separator)
        .map((f) => f.trim())
        .filter((f) => f.length > 0),
    ),
  ]);
}

/** mulberry32: a seeded uniform stream in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timing {
  wall: number;
  cpu: number;
  table: Table;
}

/**
 * One call's wall clock and CPU time. No forced collection before it: after `gc()` the next call of this miner ran
 * about 10× slower (CPU too) than in steady state on Groceries — the forced full collection, not the call, was
 * being measured; garbage is collected once per dataset instead.
 */
function timeCall(fn: () => Table): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const table = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, table };
}

const R_SCRIPT = `
suppressMessages(library(arules))
args <- commandArgs(trailingOnly = TRUE)
trans <- read.transactions(args[1], format = "basket", sep = "\\t")
transactionInfo(trans) <- data.frame(weight = scan(args[2], quiet = TRUE))
support <- as.numeric(args[3])
s <- weclat(trans, parameter = list(support = support, maxlen = 50L), control = list(verbose = FALSE))
t0 <- proc.time()
s <- weclat(trans, parameter = list(support = support, maxlen = 50L), control = list(verbose = FALSE))
t <- proc.time() - t0
cat("RESULT", t[["elapsed"]] * 1000, (t[["user.self"]] + t[["sys.self"]]) * 1000, length(s), sprintf("%.17g", sum(quality(s)$support)), "\\n")
`;

/** Why weclat cannot run here, or null. */
function rUnavailable(): string | null {
  if (!runR) return 'skipped (--no-r)';
  const probe = spawnSync(
    'Rscript',
    ['-e', 'suppressMessages(library(arules)); cat(format(packageVersion("arules")))'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.error) return 'Rscript not found (Debian package r-base-core)';
  if (probe.status !== 0) return 'R package arules not found (set R_LIBS to a library holding arules 1.7-10)';
  return null;
}

function runWeclat(
  dir: string,
  support: number,
): { wall: number; cpu: number; itemsets: number; supportSum: number } | string {
  const child = spawnSync(
    'Rscript',
    [path.join(dir, 'weclat.R'), path.join(dir, 'baskets.tsv'), path.join(dir, 'weights.txt'), String(support)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const m = /RESULT (\S+) (\S+) (\S+) (\S+)/.exec(child.stdout ?? '');
  if (child.status !== 0 || !m) return `R failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return { wall: Number(m[1]), cpu: Number(m[2]), itemsets: Number(m[3]), supportSum: Number(m[4]) };
}

function supportSum(table: Table): number {
  const s = table.getChild('support')!.toArray() as Float64Array;
  let total = 0;
  for (const v of s) total += v;
  return total;
}

const range = (values: number[]): string =>
  `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;

function main(): void {
  const why = rUnavailable();
  const rows: string[][] = [];
  const load0 = os.loadavg()[0];
  for (const name of datasets) {
    const lists = readLists(name);
    const b: Baskets = basketsFromLists(lists);
    const random = mulberry32(20261207);
    const weights = lists.map((list) => list.length * (0.5 + random()));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-weclat-'));
    try {
      if (!why) {
        writeFileSync(path.join(dir, 'baskets.tsv'), `${lists.map((l) => l.join('\t')).join('\n')}\n`);
        writeFileSync(path.join(dir, 'weights.txt'), `${weights.map((w) => w.toPrecision(17)).join('\n')}\n`);
        writeFileSync(path.join(dir, 'weclat.R'), R_SCRIPT);
      }
      for (const minSupport of supports) {
        const plain = () => frequentItemsets(b, { minSupport });
        const weighted = () => frequentItemsets(b, { minSupport, weights });
        // warm-up: eight calls each, so that the timed calls run optimised code (the first calls are interpreted)
        for (let k = 0; k < 8; k++) {
          plain();
          weighted();
        }
        collectGarbage();
        const times = { plain: [] as Timing[], weighted: [] as Timing[], r: [] as { wall: number; cpu: number }[] };
        let rNote = why ?? '';
        let equal = '—';
        for (let round = 0; round < rounds; round++) {
          times.plain.push(timeCall(plain));
          times.weighted.push(timeCall(weighted));
          if (!rNote) {
            const r = runWeclat(dir, minSupport);
            if (typeof r === 'string') rNote = r;
            else {
              times.r.push(r);
              const ours = times.weighted[0].table;
              const rel = Math.abs(supportSum(ours) - r.supportSum) / r.supportSum;
              equal = `${ours.numRows} / ${r.itemsets} itemsets, Σ support rel. diff ${rel.toExponential(1)}`;
            }
          }
        }
        const wall = (t: { wall: number }[]) => t.map((x) => x.wall);
        const cpu = (t: { cpu: number }[]) => t.map((x) => x.cpu);
        const w = median(wall(times.weighted));
        rows.push([
          name,
          String(minSupport),
          String(times.plain[0].table.numRows),
          String(times.weighted[0].table.numRows),
          range(wall(times.plain)),
          range(wall(times.weighted)),
          `${(w / median(wall(times.plain))).toFixed(2)}×`,
          `${ms(median(cpu(times.plain)))} / ${ms(median(cpu(times.weighted)))}`,
          times.r.length ? range(wall(times.r)) : rNote,
          times.r.length ? ms(median(cpu(times.r))) : '—',
          times.r.length ? `${(median(wall(times.r)) / w).toFixed(2)}×` : '—',
          equal,
        ]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const table = markdownTable(
    [
      'data',
      'minSupport',
      'itemsets (unweighted)',
      'itemsets (weighted)',
      'unweighted ms',
      'weighted ms',
      'weighted / unweighted',
      'CPU ms unweighted / weighted',
      'weclat ms',
      'weclat CPU ms',
      'weclat / clientele weighted',
      'equality',
    ],
    rows,
  );
  console.log(
    `## Weighted itemsets (issue 19)\n\nCommand: \`R_LIBS=/work/rlib npx tsx --expose-gc benchmarks/weighted-itemsets.bench.ts ${process.argv.slice(2).join(' ')}\`  \n` +
      `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC  \nMachine: ${machine()}  \n` +
      `Load average (1 min) at start / end: ${load0.toFixed(1)} / ${os.loadavg()[0].toFixed(1)}  \n` +
      `Timing: ${rounds} interleaved rounds (clientele unweighted, clientele weighted, weclat in R); median (min–max) of wall clock.\n\n${table}\n`,
  );
}

main();
