/**
 * Child process of `rfm.bench.ts`: times danfo.js's `groupby(['customer']).agg({ date: 'max', amount: ['count',
 * 'sum'] })` (the aggregation part of RFM only, no scoring) on the benchmark's seeded rows, and prints one JSON line.
 *
 * Why a separate process without Arrow: `apache-arrow` sets `Symbol.isConcatSpreadable` on the prototypes of
 * Vector, Table and RecordBatch. Defining that symbol anywhere switches off V8's fast path for every
 * `Array.prototype.concat` in the process (the "IsConcatSpreadable protector"), and danfo's `Groupby.toDataFrame`
 * concatenates once per group. In a process that has loaded Arrow, danfo's groupby is some 30× slower; this file
 * measures danfo as it runs on its own. The main benchmark reports both.
 *
 * Usage: `npx tsx --expose-gc benchmarks/danfo-groupby.ts 100000 200000`
 */
import { collectGarbage } from './harness';
import { SEED, transactionArrays } from './rfm-data';

interface DanfoFrame {
  groupby(columns: string[]): { agg(ops: Record<string, string | string[]>): { shape: number[] } };
}
export type DanfoModule = { DataFrame: new (data: Record<string, number[]>) => DanfoFrame };

export async function loadDanfo(): Promise<DanfoModule> {
  const mod = (await import('danfojs')) as unknown as Partial<DanfoModule> & { default?: DanfoModule };
  return mod.DataFrame ? (mod as DanfoModule) : mod.default!;
}

export interface DanfoTiming {
  n: number;
  groups: number;
  /** Building the DataFrame from the columns (not part of the comparison). */
  buildMs: number;
  /** The groupby aggregation. */
  ms: number;
}

/** Builds the DataFrame from the same columns (timed apart), then times the groupby aggregation once. */
export function danfoGroupby(dfd: DanfoModule, n: number, seed = SEED): DanfoTiming {
  const tx = transactionArrays(n, seed);
  const t0 = performance.now();
  const df = new dfd.DataFrame({
    customer: Array.from(tx.customer),
    date: Array.from(tx.date),
    amount: Array.from(tx.amount),
  });
  const buildMs = performance.now() - t0;
  collectGarbage();
  const t1 = performance.now();
  const out = df.groupby(['customer']).agg({ date: 'max', amount: ['count', 'sum'] });
  return { n, groups: out.shape[0], buildMs, ms: performance.now() - t1 };
}

/** The small first call that compiles danfo's code, timed too (it is compared with the same call next to Arrow). */
export const DANFO_WARMUP_ROWS = 20_000;

async function child(sizes: number[]): Promise<void> {
  const dfd = await loadDanfo();
  const warmup = danfoGroupby(dfd, DANFO_WARMUP_ROWS, SEED + 2);
  const timings = sizes.map((n) => danfoGroupby(dfd, n));
  process.stdout.write(`${JSON.stringify({ warmup, timings, arrowLoaded: false })}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  await child(process.argv.slice(2).map((s) => Math.round(Number(s))));
}
