/**
 * One run of the scaling table (scale-linear.ts) in a fresh process, so that its peak memory is its own:
 *
 *   tsx --expose-gc benchmarks/scale-linear-child.ts <library dir> <workload> <n> <file>
 *
 * Builds its input before the clock starts, then times one call with `childCall` (wall, CPU, peak RSS above
 * nothing: VmHWM reset just before the call). Workloads: `rfm` (`rfm(table)` on n transactions of rfm-data.ts, a
 * one-chunk Arrow table), `summary` (`customerSummary` on the same table), `kmeans` (`kmeans` of n Gaussian-blob
 * rows of 3 features, k 8, nInit 1), `csv` (`readTable(file)` of the n-row CSV log that scale-linear.ts wrote),
 * `baskets` (the retail file replicated n times: `readTable` timed apart as `read`, then `baskets` +
 * `frequentItemsets` at the support in the environment variable SCALE_RETAIL_SUPPORT). Prints one JSON line.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DateDay, Float64, Int32, makeData, makeVector, Table } from 'apache-arrow';
import { childCall } from './harness';
import type { Sample } from './harness';
import type { Library } from './itemsets-data';
import { gaussianBlobs } from './kmeans-data';
import { transactionArrays } from './rfm-data';

const [dir, workload, size, file] = process.argv.slice(2);
const n = Number(size);
const lib = (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as Library;

/** n transactions as a one-chunk Arrow table (customer Int32, date DateDay, amount Float64). */
function transactions(rows: number): Table {
  const a = transactionArrays(rows);
  return new Table({
    customer: makeVector(makeData({ type: new Int32(), length: rows, nullCount: 0, data: a.customer })),
    date: makeVector(makeData({ type: new DateDay(), length: rows, nullCount: 0, data: a.date })),
    amount: makeVector(makeData({ type: new Float64(), length: rows, nullCount: 0, data: a.amount })),
  });
}

interface Report {
  sample: Sample;
  peakRss: number | null;
  /** What the call produced (customers, rows, iterations, itemsets): equal work across sizes where it should be. */
  output: string;
  /** The rows (line items) the call read. */
  rows: number;
  read?: Sample;
}

async function run(): Promise<Report> {
  if (workload === 'rfm' || workload === 'summary') {
    const tx = transactions(n);
    const r = await childCall(() => (workload === 'rfm' ? lib.rfm(tx) : lib.customerSummary(tx)));
    return { sample: r.sample, peakRss: r.peakRss, output: `${r.value.numRows} customers`, rows: n };
  }
  if (workload === 'kmeans') {
    const blobs = gaussianBlobs(n, 3);
    const options = { columns: blobs.names, k: 8, seed: 1, nInit: 1, standardize: 'none' as const };
    const r = await childCall(() => lib.kmeans(blobs.columns, options));
    return { sample: r.sample, peakRss: r.peakRss, output: `${r.value.iterations} iterations`, rows: n };
  }
  if (workload === 'csv') {
    const r = await childCall(() => lib.readTable(file));
    return { sample: r.sample, peakRss: r.peakRss, output: `${r.value.numRows} rows`, rows: r.value.numRows };
  }
  if (workload === 'baskets') {
    const minSupport = Number(process.env.SCALE_RETAIL_SUPPORT ?? 0.001);
    const read = await childCall(() => lib.readTable(file, { format: 'basket' }));
    const r = await childCall(() => lib.frequentItemsets(lib.baskets(read.value), { minSupport }));
    const rows = read.value.numRows;
    return { sample: r.sample, peakRss: r.peakRss, output: `${r.value.numRows} itemsets`, rows, read: read.sample };
  }
  throw new Error(`scale-linear-child: unknown workload ${workload}`);
}

console.log(JSON.stringify(await run()));
process.exit(0);
