/**
 * The scaling table of issue 17 (target 5), run by scale.bench.ts (`--suite linear`, its default): time against N for
 * RFM (`rfm`, `customerSummary`), k-means and CSV `readTable` at N = 1M, 2M, 4M, 8M rows, and for baskets + mining
 * on the retail file replicated ×1, ×2, ×4, ×8 (its line items as N; reading the file is a row of its own). Every
 * run is one call in a fresh process (scale-linear-child.ts: input built before the clock, peak RSS of the call);
 * rounds are interleaved over workloads and sizes, so that a slow spell of the machine hits every size alike.
 *
 * Linearity: time per row at the largest N against the smallest, `(t(N_max) / N_max) / (t(N_min) / N_min)`, on
 * CPU and wall medians; the target is within 20 % (a ratio in [0.8, 1.2]), judged on CPU time (what the code
 * does; wall time on a shared machine measures the others too). A ratio above 1.2 means the cost grows faster
 * than N (a hash table outgrowing a cache, a sort, garbage collection of a large heap).
 *
 * Data: CSV logs `benchmarks/data/tx-N.csv` (customer,date,amount; the rows of rfm-data.ts, written once, in
 * chunks) and `benchmarks/data/retail-xK.dat` (retail.dat K times, written once); both gitignored.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inOwnProcess, markdownTable, mb, median, msSpread } from './harness';
import type { Sample } from './harness';
import { BASKET_FILES, basketPath } from './itemsets-data';
import { fillTransactions, mulberry32, SEED } from './rfm-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(HERE, 'data');
const CHILD = path.join(HERE, 'scale-linear-child.ts');
export const WORKLOADS = ['rfm', 'summary', 'baskets', 'read-baskets', 'kmeans', 'csv'] as const;
type Workload = (typeof WORKLOADS)[number];
const LABEL: Record<Workload, string> = {
  rfm: '`rfm(table)` (Int32 ids)',
  summary: '`customerSummary(table)`',
  baskets: '`baskets` + `frequentItemsets` (retail ×K)',
  'read-baskets': '`readTable` of retail ×K (basket reader)',
  kmeans: '`kmeans` (3 features, k 8, nInit 1)',
  csv: '`readTable` of a CSV log (3 columns)',
};
const LIMIT = 1.2;

/** The n-row CSV log (customer,date,amount), written once in 1M-row chunks. */
function csvLog(n: number): string {
  const file = path.join(DATA, `tx-${n}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(DATA, { recursive: true });
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  const days = new Map<number, string>();
  const fd = openSync(`${file}.tmp`, 'w');
  writeSync(fd, 'customer,date,amount\n');
  const uniform = mulberry32(SEED ^ n);
  for (let start = 0; start < n; start += 1_000_000) {
    const len = Math.min(1_000_000, n - start);
    const c = new Int32Array(len);
    const d = new Int32Array(len);
    const a = new Float64Array(len);
    fillTransactions(uniform, n, start, c, d, a);
    const lines = new Array<string>(len);
    for (let i = 0; i < len; i++) {
      let day = days.get(d[i]);
      if (day === undefined) days.set(d[i], (day = iso(d[i])));
      lines[i] = `${c[i]},${day},${a[i]}`;
    }
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** retail.dat written k times back to back (k × 88,162 baskets), once. */
function retailTimes(k: number): string {
  const file = path.join(DATA, `retail-x${k}.dat`);
  if (existsSync(file)) return file;
  mkdirSync(DATA, { recursive: true });
  let text = readFileSync(basketPath(BASKET_FILES.retail), 'utf8');
  if (!text.endsWith('\n')) text += '\n';
  const fd = openSync(`${file}.tmp`, 'w');
  for (let r = 0; r < k; r++) writeSync(fd, text);
  closeSync(fd);
  renameSync(`${file}.tmp`, file);
  return file;
}

interface ChildReport {
  sample: Sample;
  peakRss: number | null;
  output: string;
  rows: number;
  read?: Sample;
}
interface Cell {
  samples: Sample[];
  peaks: number[];
  output: string;
  rows: number;
  failed?: string;
}

/** Retail multiples for the sizes: N / 1M, at least 1. */
const multiple = (n: number) => Math.max(1, Math.round(n / 1e6));

function runChild(libDir: string, w: Workload, n: number, env: string): ChildReport | { error: string } {
  process.env.SCALE_RETAIL_SUPPORT = env;
  if (w === 'baskets' || w === 'read-baskets') {
    const k = multiple(n);
    return inOwnProcess<ChildReport>(CHILD, [libDir, 'baskets', String(k), retailTimes(k)]);
  }
  return inOwnProcess<ChildReport>(CHILD, [libDir, w, String(n), w === 'csv' ? csvLog(n) : '']);
}

/** Runs the rounds; the cells by workload and size. */
export function measureLinear(
  libDir: string,
  options: { sizes: readonly number[]; rounds: number; workloads: readonly Workload[]; retailSupport: number },
): Map<Workload, Map<number, Cell>> {
  const cells = new Map<Workload, Map<number, Cell>>();
  const wanted = options.workloads.filter((w) => w !== 'read-baskets');
  const withRead = options.workloads.includes('read-baskets') && !wanted.includes('baskets');
  if (withRead) wanted.push('baskets');
  for (const w of options.workloads) cells.set(w, new Map());
  for (let r = 0; r < options.rounds; r++) {
    for (const w of wanted) {
      for (const n of options.sizes) {
        const o = runChild(libDir, w, n, String(options.retailSupport));
        process.stderr.write(`scale linear: round ${r + 1} ${w} ${n}: ${JSON.stringify(o)}\n`);
        record(cells.get(w), n, o, false);
        if (w === 'baskets') record(cells.get('read-baskets'), n, o, true);
      }
    }
  }
  return cells;
}

function record(byN: Map<number, Cell> | undefined, n: number, o: ChildReport | { error: string }, read: boolean) {
  if (!byN) return;
  const cell = byN.get(n) ?? { samples: [], peaks: [], output: '', rows: 0 };
  byN.set(n, cell);
  if ('error' in o) {
    cell.failed = o.error.slice(0, 120);
    return;
  }
  const s = read ? o.read : o.sample;
  if (s) cell.samples.push(s);
  if (o.peakRss !== null && !read) cell.peaks.push(o.peakRss);
  cell.output = read ? `${o.rows} line items` : o.output;
  cell.rows = o.rows;
}

/** Per workload: one row per size (wall · CPU, per-row cost, peak RSS, output) and the linearity verdict. */
export function linearTables(cells: Map<Workload, Map<number, Cell>>): string {
  const parts: string[] = [];
  for (const [w, byN] of cells) {
    const sizes = [...byN.keys()].sort((a, b) => a - b);
    const perRow = (n: number, pick: 'cpu' | 'wall') => {
      const c = byN.get(n)!;
      return c.samples.length ? median(c.samples.map((s) => s[pick])) / c.rows : NaN;
    };
    const rows = sizes.map((n) => {
      const c = byN.get(n)!;
      if (c.failed) return [label(w, n), 'failed', '', '', '', c.failed];
      return [
        label(w, n),
        c.rows.toLocaleString('en-US'),
        `${msSpread(c.samples.map((s) => s.wall))} · CPU ${msSpread(c.samples.map((s) => s.cpu))}`,
        `${(perRow(n, 'cpu') * 1e6).toFixed(0)} ns · wall ${(perRow(n, 'wall') * 1e6).toFixed(0)} ns`,
        c.peaks.length ? mb(Math.max(...c.peaks)) : '—',
        c.output,
      ];
    });
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    const cpuRatio = perRow(last, 'cpu') / perRow(first, 'cpu');
    const wallRatio = perRow(last, 'wall') / perRow(first, 'wall');
    const ok = cpuRatio >= 2 - LIMIT && cpuRatio <= LIMIT;
    // k-means: Lloyd's iterations vary with the data drawn at each N, so the cost per row and iteration is given too
    const iterations = (n: number) => Number(/^(\d+) iterations$/.exec(byN.get(n)!.output)?.[1]);
    const perIteration =
      w === 'kmeans'
        ? `; per row and iteration: CPU ${(cpuRatio * (iterations(first) / iterations(last))).toFixed(2)}`
        : '';
    parts.push(
      `**${LABEL[w]}** — per-row cost at ${label(w, last)} / at ${label(w, first)}: CPU ${cpuRatio.toFixed(2)}, wall ${wallRatio.toFixed(2)}${perIteration} → ${
        Number.isFinite(cpuRatio) ? (ok ? 'linear within 20 %: met' : '**not linear within 20 %: missed**') : '—'
      }`,
      '',
      markdownTable(
        ['N', 'rows read', 'time (ms): wall · CPU', 'per row: CPU · wall', 'peak RSS of the process', 'output'],
        rows,
      ),
      '',
    );
  }
  return parts.join('\n');
}

const label = (w: Workload, n: number) =>
  w === 'baskets' || w === 'read-baskets' ? `retail ×${multiple(n)}` : `${(n / 1e6).toLocaleString('en-US')}M`;
