/**
 * Consistent PLS and bootstrap HTMT benchmark (issue 19): clientele against R seminr 2.3.4 on the same data, the
 * peer run as a child process from this script.
 *
 * 1. Data: mobi (datasets/mobi.csv.gz, 250 respondents, seminr's mobi model: 7 constructs, 24 items, 12 paths) and
 *    `sampleSurvey({ respondents: 100_000, seed: 1 })` (ACSI model: 6 constructs, 14 items, 9 paths). Both written
 *    to a temporary CSV for R.
 * 2. Cases: the PLSc fit (`plsPathModel(…, { scheme: 'path', consistent: true })` against seminr
 *    `estimate_pls` with `reflective()` constructs), and the bootstrap HTMT with B = 500 and 1,000
 *    (`plsValidity(survey, fit, { bootstrap: B })`, which resamples the respondents and recomputes only the
 *    correlations, against seminr `bootstrap_model(fit, nboot = B, cores = 1)`, the only way seminr gives HTMT
 *    intervals: it refits the model on every resample).
 * 3. Rounds: each round runs clientele's cases, then one R process for the same cases (R timed inside R with
 *    `proc.time()` around each call, the CSV read and package load not timed); medians with min–max over the
 *    rounds; CPU time (user + system, R's including its waited-for children, which excludes bootstrap_model's
 *    PSOCK worker) beside the wall time; the load average is printed.
 *    At 100k, seminr's bootstrap is timed on `--r-boot-100k` resamples (default 10) and scaled to B: the table says so.
 *
 * Run: `npx tsx --expose-gc benchmarks/pls-validity.bench.ts [--rounds 3] [--sizes mobi,1e5] [--no-r] [--write]`
 * Prints the section "Consistent PLS and bootstrap HTMT (issue 19)"; `--write` puts it in `benchmarks/RESULTS.md`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { acsiModel, pathModel, plsPathModel, plsValidity, sampleSurvey } from '../src/index';
import type { PathModel } from '../src/index';
import { collectGarbage, machine, markdownTable, median, ms, writeResultsSection } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
const SECTION = 'Consistent PLS and bootstrap HTMT (issue 19)';
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const ROUNDS = Number(option('--rounds', '3'));
const SIZES = option('--sizes', 'mobi,1e5').split(',');
const R_BOOT_100K = Number(option('--r-boot-100k', '10'));
const BOOTS = [500, 1000];
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Data {
  label: string;
  columns: Record<string, ArrayLike<number>>;
  n: number;
  model: PathModel;
  /** The R lines that build `mm` (reflective constructs) and `sm`. */
  rModel: string;
}

function mobi(): Data {
  const text = gunzipSync(readFileSync(path.join(HERE, '..', 'datasets', 'mobi.csv.gz'))).toString('utf8');
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const columns: Record<string, number[]> = Object.fromEntries(header.map((h) => [h, [] as number[]]));
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => columns[header[j]].push(Number(v)));
  delete columns[''];
  const items = (p: string, k: number) => Array.from({ length: k }, (_, i) => `${p}${i + 1}`);
  const blocks = {
    Image: items('IMAG', 5),
    Expectation: items('CUEX', 3),
    Quality: items('PERQ', 7),
    Value: items('PERV', 2),
    Satisfaction: items('CUSA', 3),
    Complaints: ['CUSCO'],
    Loyalty: items('CUSL', 3),
  };
  const paths: [string, string][] = [
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
  ];
  return { label: 'mobi (250)', columns, n: 250, model: pathModel({ blocks, paths }), rModel: rModelOf(blocks, paths) };
}

function survey(n: number): Data {
  const { survey: table, truth } = sampleSurvey({ respondents: n, seed: 1 });
  const model = acsiModel(truth.blocks);
  const columns: Record<string, ArrayLike<number>> = {};
  for (const lv of model.latent)
    for (const c of model.blocks[lv]) columns[c] = table.getChild(c as never)!.toArray() as Int32Array;
  return {
    label: `sampleSurvey (${n.toLocaleString('en-US')})`,
    columns,
    n,
    model,
    rModel: rModelOf(model.blocks, model.paths),
  };
}

function rModelOf(blocks: Record<string, readonly string[]>, paths: readonly (readonly [string, string])[]): string {
  const q = (s: string) => JSON.stringify(s);
  const mm = Object.entries(blocks).map(([lv, items]) => `reflective(${q(lv)}, c(${items.map(q).join(', ')}))`);
  const sm = paths.map(([f, t]) => `paths(from = ${q(f)}, to = ${q(t)})`);
  return `mm <- constructs(${mm.join(', ')})\nsm <- relationships(${sm.join(', ')})`;
}

function writeCsv(data: Data, file: string): void {
  const names = Object.keys(data.columns);
  const cols = names.map((c) => data.columns[c]);
  const lines = [names.join(',')];
  for (let i = 0; i < data.n; i++) lines.push(cols.map((c) => c[i]).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** One R process: the fit and each bootstrap, timed inside R; prints `CASE name wall_ms cpu_ms`. */
const R_SCRIPT = (model: string, boots: readonly number[], scale: number) => `
suppressMessages(library(seminr))
d <- read.csv(commandArgs(TRUE)[1])
${model}
cpu <- function(t) t[["user.self"]] + t[["sys.self"]] + t[["user.child"]] + t[["sys.child"]]
time <- function(name, expr) { t0 <- proc.time(); force(expr); t <- proc.time() - t0; cat("CASE", name, t[["elapsed"]] * 1000, cpu(t) * 1000, "\\n") }
fit <- NULL
time("fit", fit <- suppressMessages(estimate_pls(d, mm, sm)))
for (b in c(${boots.map((b) => Math.max(2, Math.round(b * scale))).join(', ')})) time(paste0("boot", b), suppressMessages(bootstrap_model(fit, nboot = b, cores = 1, seed = 1)))
cat("PATH", sprintf("%.17g", fit$path_coef[sm[1, "source"], sm[1, "target"]]), "\\n")
`;

interface Timing {
  wall: number;
  cpu: number;
}

function runR(data: Data, file: string, dir: string, scale: number): Map<string, Timing> | string {
  const script = path.join(dir, 'seminr-bench.R');
  writeFileSync(script, R_SCRIPT(data.rModel, BOOTS, scale));
  const child = spawnSync('Rscript', [script, file], {
    encoding: 'utf8',
    env: { ...process.env, R_LIBS: process.env.R_LIBS ?? '/work/rlib' },
    maxBuffer: 1 << 24,
  });
  if (child.error) return `Rscript not runnable (${child.error.message})`;
  if (child.status !== 0) return `seminr failed: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  const out = new Map<string, Timing>();
  for (const m of (child.stdout ?? '').matchAll(/CASE (\S+) (\S+) (\S+)/g))
    out.set(m[1], { wall: Number(m[2]), cpu: Number(m[3]) });
  return out;
}

function timeOurs(fn: () => unknown): Timing {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const summary = (values: readonly number[]) =>
  values.length === 0 ? '—' : `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;

function main(): void {
  const load0 = os.loadavg();
  const probe = args.includes('--no-r')
    ? 'skipped (--no-r)'
    : spawnSync('Rscript', ['-e', 'suppressMessages(library(seminr))'], {
          env: { ...process.env, R_LIBS: process.env.R_LIBS ?? '/work/rlib' },
        }).status === 0
      ? null
      : 'R or seminr missing (R_LIBS=/work/rlib Rscript -e "library(seminr)" failed)';
  if (probe) log(`peer: ${probe}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clientele-plsc-'));
  const rows: string[][] = [];
  try {
    for (const size of SIZES) {
      const data = size === 'mobi' ? mobi() : survey(Number(size));
      const file = path.join(dir, 'data.csv');
      writeCsv(data, file);
      const scale = data.n > 10_000 ? R_BOOT_100K / BOOTS[BOOTS.length - 1] : 1;
      const ours = new Map<string, Timing[]>();
      const peer = new Map<string, Timing[]>();
      const push = (map: Map<string, Timing[]>, key: string, t: Timing) => map.set(key, [...(map.get(key) ?? []), t]);
      // warm-up
      const warm = plsPathModel(data.columns, data.model, { scheme: 'path', consistent: true });
      plsValidity(data.columns, warm, { bootstrap: 20 });
      let rNote = probe ?? '';
      for (let round = 0; round < ROUNDS; round++) {
        let fit = warm;
        push(
          ours,
          'fit',
          timeOurs(() => (fit = plsPathModel(data.columns, data.model, { scheme: 'path', consistent: true }))),
        );
        for (const B of BOOTS)
          push(
            ours,
            `boot${B}`,
            timeOurs(() => plsValidity(data.columns, fit, { bootstrap: B, seed: round + 1 })),
          );
        if (!probe) {
          const r = runR(data, file, dir, scale);
          if (typeof r === 'string') rNote = r;
          else
            for (const [name, t] of r) {
              const b = /^boot(\d+)$/.exec(name);
              // at 100k seminr ran B · scale resamples: scale its time to B
              const key = b ? `boot${BOOTS.find((B) => Math.max(2, Math.round(B * scale)) === Number(b[1]))}` : name;
              const factor = b ? BOOTS.find((B) => `boot${B}` === key)! / Number(b[1]) : 1;
              push(peer, key, { wall: t.wall * factor, cpu: t.cpu * factor });
            }
        }
        log(`${data.label}: round ${round + 1}/${ROUNDS} done`);
      }
      for (const key of ['fit', ...BOOTS.map((B) => `boot${B}`)]) {
        const a = ours.get(key) ?? [];
        const b = peer.get(key) ?? [];
        const ratio = b.length
          ? `${(median(a.map((t) => t.wall)) / median(b.map((t) => t.wall))).toPrecision(2)}×`
          : '—';
        const what =
          key === 'fit'
            ? 'PLSc fit'
            : `bootstrap HTMT, B = ${key.slice(4)}${scale < 1 ? ` (seminr: ${Math.max(2, Math.round(Number(key.slice(4)) * scale))} resamples, scaled)` : ''}`;
        rows.push([
          data.label,
          what,
          summary(a.map((t) => t.wall)),
          summary(a.map((t) => t.cpu)),
          b.length ? summary(b.map((t) => t.wall)) : rNote,
          b.length ? summary(b.map((t) => t.cpu)) : '—',
          ratio,
        ]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const body = [
    `Command: \`npx tsx --expose-gc benchmarks/pls-validity.bench.ts --rounds ${ROUNDS} --sizes ${SIZES.join(',')}\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}; load average (1/5/15 min) ${load0.map((v) => v.toFixed(1)).join(' / ')} at the start, ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' / ')} at the end.`,
    '',
    `Medians (min–max) of ${ROUNDS} interleaved rounds, ms. clientele: \`plsPathModel(…, { scheme: 'path', consistent: true })\` and \`plsValidity(survey, fit, { bootstrap: B })\` (resamples the respondents and recomputes the indicator correlations only). seminr 2.3.4: \`estimate_pls\` with \`reflective()\` constructs (PLSc) and \`bootstrap_model(fit, nboot = B, cores = 1)\`, which refits the model on each resample (seminr's only route to HTMT intervals), timed inside R; CPU = user + system (R's including its waited-for children: \`bootstrap_model\`'s PSOCK worker is not one, so seminr's bootstrap CPU is a lower bound and its wall time is the figure to compare). Ratio = clientele / seminr wall time.`,
    '',
    markdownTable(['data', 'case', 'clientele wall', 'clientele CPU', 'seminr wall', 'seminr CPU', 'ratio'], rows),
  ].join('\n');
  process.stdout.write(`## ${SECTION}\n\n${body}\n`);
  if (args.includes('--write')) writeResultsSection(RESULTS, SECTION, body);
}

main();
