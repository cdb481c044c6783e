/**
 * Frequent sequential patterns: clientele's `frequentSequences` (cSPADE's id-list joins in TypeScript) against R
 * arulesSequences' `cspade` (Zaki's native C++ tools, run by R through temporary files), on the same data file.
 *
 * 1. Data: (a) the Online Retail sample's purchase sequences (customers with an id, Quantity > 0; event = invoice
 *    day; item = StockCode: 3,546 sequences) at support 0.0015; (b) a generated set: `--customers` customers
 *    (default 20,000), 2–16 events each a few days apart, 1–5 items per event drawn from 1,000 items with Zipf-like
 *    popularity (seeded), at support 0.005. Both written once to a CSV (`sid,eid,item`) that both sides read.
 * 2. clientele: `customerSequences` on the file's columns (not timed), then `frequentSequences` timed, wall and CPU
 *    (`process.cpuUsage`), median of the rounds.
 * 3. Peer: `Rscript` child with `R_LIBS` (default /work/rlib); the CSV read and the transactions built untimed, then
 *    `cspade` timed by `proc.time()` (elapsed; CPU = user + system of R and of the cSPADE child processes). Skipped
 *    with a message when Rscript or arulesSequences is absent. The pattern counts of both sides are printed and must
 *    agree.
 * Rounds interleave clientele and R (`--rounds`, default 3); the load average is printed beside the figures.
 *
 * Run: `npx tsx --expose-gc benchmarks/sequences.bench.ts [--rounds 3] [--customers 20000] [--no-r]`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { customerSequences, frequentSequences } from '../src/index';
import { collectGarbage, machine, markdownTable, median } from './harness';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const rounds = Number(arg('rounds', '3'));
const customers = Number(arg('customers', '20000'));
const runR = !argv.includes('--no-r');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Data {
  name: string;
  sid: number[];
  eid: number[];
  item: string[];
  support: number;
}

/** The Online Retail sample's purchases as (customer, day, stock code). */
function retail(): Data {
  const text = gunzipSync(readFileSync(path.join(ROOT, 'datasets/online_retail_sample.csv.gz'))).toString('utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.length > 0);
  const names = header.split(',');
  const d: Data = { name: 'Online Retail sample', sid: [], eid: [], item: [], support: 0.0015 };
  for (const line of lines) {
    // quoted descriptions may hold commas: read the fields from both ends
    const f = line.split(',');
    const tail = f.length - names.length;
    const customer = f[6 + tail];
    if (customer === '' || !(Number(f[3 + tail]) > 0)) continue;
    d.sid.push(Number(customer));
    d.eid.push(Date.parse(`${f[4 + tail].slice(0, 10)}T00:00:00Z`) / 86_400_000);
    d.item.push(f[1]);
  }
  return d;
}

/** A seeded generated set: Zipf-like item popularity, a few days between events. */
function generated(n: number): Data {
  let state = 12345;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const d: Data = { name: `generated, ${n} customers`, sid: [], eid: [], item: [], support: 0.005 };
  for (let c = 1; c <= n; c++) {
    let day = 1;
    const events = 2 + Math.floor(random() * 15);
    for (let e = 0; e < events; e++) {
      day += 1 + Math.floor(random() * 20);
      const size = 1 + Math.floor(random() * 5);
      for (let k = 0; k < size; k++) {
        d.sid.push(c);
        d.eid.push(day);
        d.item.push(`i${Math.floor(1000 * random() ** 3)}`);
      }
    }
  }
  return d;
}

const R_SCRIPT = `
suppressMessages(library(arulesSequences))
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c("integer", "integer", "character"))
d <- unique(d)
d <- d[order(d$sid, d$eid), ]
key <- paste(d$sid, d$eid)
tr <- as(split(d$item, factor(key, levels = unique(key))), "transactions")
info <- unique(d[, c("sid", "eid")])
transactionInfo(tr) <- data.frame(sequenceID = info$sid, eventID = info$eid)
t0 <- proc.time()
p <- cspade(tr, parameter = list(support = as.numeric(args[2])))
t <- proc.time() - t0
cat("RESULT", length(p), t[["elapsed"]] * 1000, (sum(t[c(1, 2)]) + sum(t[c(4, 5)], na.rm = TRUE)) * 1000, "\\n")
`;

function rUnavailable(): string | null {
  if (!runR) return 'skipped (--no-r)';
  const probe = spawnSync('Rscript', ['-e', 'library(arulesSequences)'], {
    encoding: 'utf8',
    env: { ...process.env, R_LIBS: process.env.R_LIBS ?? '/work/rlib' },
  });
  if (probe.error) return 'Rscript not found';
  if (probe.status !== 0) return 'R package arulesSequences not installed (set R_LIBS)';
  return null;
}

function runPeer(script: string, file: string, support: number): { count: number; ms: number; cpu: number } | string {
  const child = spawnSync('Rscript', [script, file, String(support)], {
    encoding: 'utf8',
    cwd: path.dirname(file),
    env: { ...process.env, R_LIBS: process.env.R_LIBS ?? '/work/rlib' },
  });
  const m = /RESULT (\d+) ([\d.]+) ([\d.]+)/.exec(child.stdout ?? '');
  if (!m) return `R failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return { count: Number(m[1]), ms: Number(m[2]), cpu: Number(m[3]) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-sequences-'));
  const script = path.join(dir, 'cspade.R');
  writeFileSync(script, R_SCRIPT);
  const why = rUnavailable();
  if (why) console.log(`arulesSequences: ${why}`);
  const rows: string[][] = [];
  try {
    for (const data of [retail(), generated(customers)]) {
      const file = path.join(dir, 'sequences.csv');
      const lines = ['sid,eid,item', ...data.sid.map((s, i) => `${s},${data.eid[i]},${data.item[i]}`)];
      writeFileSync(file, `${lines.join('\n')}\n`);
      const sequences = customerSequences({ customer: data.sid, day: data.eid, item: data.item }, { date: 'day' });
      const ours: { ms: number; cpu: number; count: number }[] = [];
      const theirs: { ms: number; cpu: number; count: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        collectGarbage();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const patterns = frequentSequences(sequences, { minSupport: data.support });
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        ours.push({ ms, cpu: (cpu.user + cpu.system) / 1000, count: patterns.numRows });
        if (!why) {
          const peer = runPeer(script, file, data.support);
          if (typeof peer === 'string') console.log(peer);
          else theirs.push(peer);
        }
      }
      const fmt = (xs: number[]) =>
        `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
      const ratio =
        theirs.length > 0 ? (median(theirs.map((t) => t.ms)) / median(ours.map((o) => o.ms))).toFixed(2) : '–';
      rows.push([
        `${data.name} (${sequences.count} sequences, ${data.sid.length} rows), support ${data.support}`,
        `${ours[0].count} / ${theirs[0]?.count ?? '–'}`,
        fmt(ours.map((o) => o.ms)),
        fmt(ours.map((o) => o.cpu)),
        theirs.length > 0 ? fmt(theirs.map((t) => t.ms)) : (why ?? '–'),
        theirs.length > 0 ? fmt(theirs.map((t) => t.cpu)) : '–',
        ratio,
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `${machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${rounds} interleaved rounds`,
  );
  console.log(
    markdownTable(
      [
        'data',
        'patterns (clientele / cspade)',
        'clientele ms',
        'clientele CPU ms',
        'cspade ms',
        'cspade CPU ms',
        'cspade / clientele (wall)',
      ],
      rows,
    ),
  );
}

await main();
