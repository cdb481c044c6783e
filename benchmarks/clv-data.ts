/**
 * Data of the CLV benchmark (`clv.bench.ts`): customer summaries (x, t_x, T, z̄) with known generating parameters.
 *
 * - {@link storeSummary}: `sampleStore({ customers, seed })` (BG/NBD purchases and Gamma-Gamma amounts drawn in
 *   continuous time, written as dated transactions) then `summaryFromTransactions(…, { unit: 'day' })`: the path a
 *   user takes, with its day resolution (purchases on one day merged, times in whole days).
 * - {@link simulateSummary}: the same generative story drawn straight into the summary, in continuous time, with
 *   the mean spend of x repeat purchases drawn at once (z̄ | ν ~ gamma(p·x, rate x·ν)): data that follow the models
 *   exactly, to check that the fits recover the parameters.
 * - {@link writeColumns} / {@link readColumns}: float64 columns to and from a flat little-endian file, how the data
 *   reach the memory child processes and the Python peer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { makeVector, Table } from 'apache-arrow';
import { sampleStore, summaryFromTransactions } from '../src/index';
import type { SampleStoreTruth } from '../src/index';
import { randomSource } from '../src/math/internal';

export const STORE_SEED = 42;
export const SIMULATION_SEED = 20240603;

/** The summary columns the fits read, as Float64Arrays of one length. */
export interface SummaryColumns {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array;
}

export const COLUMN_NAMES = ['frequency', 'recency', 'T', 'monetary'] as const;

/** An Arrow table over the columns, zero-copy. */
export function summaryTable(c: SummaryColumns): Table {
  return new Table({
    frequency: makeVector(c.frequency),
    recency: makeVector(c.recency),
    T: makeVector(c.T),
    monetary: makeVector(c.monetary),
  });
}

/** The first `n` rows of the columns (views, no copy). */
export function headColumns(c: SummaryColumns, n: number): SummaryColumns {
  return {
    frequency: c.frequency.subarray(0, n),
    recency: c.recency.subarray(0, n),
    T: c.T.subarray(0, n),
    monetary: c.monetary.subarray(0, n),
  };
}

export interface StoreSummary {
  /** `summaryFromTransactions`'s table: customer (Utf8), frequency, recency, T, monetary. */
  readonly summary: Table;
  readonly columns: SummaryColumns;
  readonly customers: number;
  readonly transactions: number;
  /** Wall clock of `sampleStore` (transactions, baskets and survey: it makes them all) and of the summary. */
  readonly storeMs: number;
  readonly summaryMs: number;
  readonly truth: SampleStoreTruth;
}

/** `sampleStore` then `summaryFromTransactions` in days; the store is dropped, only the summary is kept. */
export function storeSummary(customers: number, seed = STORE_SEED): StoreSummary {
  let t0 = performance.now();
  const store = sampleStore({ customers, seed });
  const storeMs = performance.now() - t0;
  t0 = performance.now();
  const summary = summaryFromTransactions(store.transactions, { unit: 'day' });
  const summaryMs = performance.now() - t0;
  const column = (name: string) => {
    const v = (summary as Table).getChild(name);
    if (!v || v.data.length !== 1) throw new Error(`summary column ${name} is missing or chunked`);
    return v.toArray() as Float64Array;
  };
  return {
    summary,
    columns: {
      frequency: column('frequency'),
      recency: column('recency'),
      T: column('T'),
      monetary: column('monetary'),
    },
    customers,
    transactions: store.transactions.numRows,
    storeMs,
    summaryMs,
    truth: store.truth,
  };
}

/**
 * `customers` summaries drawn from the BG/NBD and Gamma-Gamma models in continuous time, in the setting of
 * `sampleStore` (`truth`): the first purchase at a uniform time in [0, acquisitionDays), observation to `days`, so
 * T = days − first purchase; while alive, purchases at rate λ ~ gamma(r, rate α); after each repeat purchase a
 * drop-out with probability p ~ beta(a, b); ν ~ gamma(q, rate γ) and the mean of the x repeat amounts
 * z̄ ~ gamma(p·x, rate x·ν) (the mean of x gamma(p, ν) draws), 0 when x = 0.
 */
export function simulateSummary(customers: number, truth: SampleStoreTruth, seed = SIMULATION_SEED): SummaryColumns {
  const rng = randomSource(seed);
  const { r, alpha, a, b } = truth.bgNbd;
  const { p, q, gamma } = truth.gammaGamma;
  const { days, acquisitionDays } = truth.window;
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const T = new Float64Array(customers);
  const monetary = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const first = rng.int(acquisitionDays) + rng.uniform();
    const lambda = rng.gamma(r, 1 / alpha);
    const dropout = rng.beta(a, b);
    const nu = rng.gamma(q, 1 / gamma);
    const age = days - first;
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (!(t < age)) break; // also ends when λ underflows to 0 (t = Infinity)
      x++;
      last = t;
      if (rng.uniform() < dropout) break;
    }
    frequency[i] = x;
    recency[i] = last;
    T[i] = age;
    monetary[i] = x > 0 ? rng.gamma(p * x, 1 / (x * nu)) : 0;
  }
  return { frequency, recency, T, monetary };
}

/** Writes float64 columns of one length back to back (little-endian, the platform's order on x64 and arm64). */
export function writeColumns(file: string, columns: readonly Float64Array[]): void {
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n * columns.length);
  columns.forEach((c, j) => {
    if (c.length !== n) throw new Error('writeColumns: columns of unequal length');
    out.set(c, j * n);
  });
  writeFileSync(file, new Uint8Array(out.buffer));
}

/** Reads `count` float64 columns written by {@link writeColumns}. */
export function readColumns(file: string, count: number): Float64Array[] {
  const bytes = readFileSync(file);
  const all = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(all.buffer).set(bytes);
  const n = all.length / count;
  if (!Number.isInteger(n)) throw new Error(`readColumns: ${all.length} values in ${file} is not ${count} columns`);
  return Array.from({ length: count }, (_, j) => all.subarray(j * n, (j + 1) * n));
}
