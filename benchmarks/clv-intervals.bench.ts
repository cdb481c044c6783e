/**
 * Prediction-interval benchmark (issue 18): `predictionIntervals` on 100k customers (sampleStore, days), BG/NBD and
 * Gamma-Gamma fitted once.
 *
 * 1. Data: `sampleStore({ customers: 100_000, seed: 42 })` → `summaryFromTransactions(…, { unit: 'day' })`; distinct
 *    (x, t_x, T) and (x, t_x, T, z̄) patterns counted.
 * 2. Delta method and 1,000 normal draws, for P(alive), the conditional expected purchases in the next 365 days and
 *    the CLV over 365 days (monthly discounting): each warmed up on 10k customers, then the median (and min–max) of 3.
 * 3. Parametric bootstrap at 100k customers: a few replicates (simulation at the customers' own ages + refit from the
 *    estimate + prediction), timed once; the time per replicate is what a full 200-replicate run costs / 200.
 *
 * Run: `npx tsx --expose-gc benchmarks/clv-intervals.bench.ts [--replicates 5] [--no-write]`
 * Writes the section "CLV prediction intervals (issue 18)" of `benchmarks/RESULTS.md` (other sections are kept).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitBgNbd, fitGammaGamma, predictionIntervals } from '../src/index';
import type { IntervalQuantity, PredictionIntervalsOptions } from '../src/index';
import { storeSummary } from './clv-data';
import { collectGarbage, machine, markdownTable, medianOf, ms, writeResultsSection } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'RESULTS.md');
const SECTION = 'CLV prediction intervals (issue 18)';
const CUSTOMERS = 100_000;
const DRAWS = 1000;
const RUNS = 3;

const args = process.argv.slice(2);
const replicates = Number(args[args.indexOf('--replicates') + 1] ?? 5) || 5;
const write = !args.includes('--no-write');
const log = (message: string) => process.stderr.write(`${message}\n`);

async function main() {
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');
  const data = storeSummary(CUSTOMERS);
  const warm = storeSummary(10_000, 7);
  const columns = data.columns;
  const model = fitBgNbd(data.summary);
  const keep = Array.from(columns.frequency, (x) => x > 0);
  const spendModel = fitGammaGamma({
    frequency: columns.frequency.filter((_, i) => keep[i]),
    monetary: columns.monetary.filter((_, i) => keep[i]),
  });
  const distinct = (cols: Float64Array[]) =>
    new Set(Array.from(cols[0], (_, i) => cols.map((c) => c[i]).join(','))).size;
  const patterns = distinct([columns.frequency, columns.recency, columns.T]);
  const clvPatterns = distinct([columns.frequency, columns.recency, columns.T, columns.monetary]);
  log(`${CUSTOMERS} customers: ${patterns} (x, t_x, T) patterns, ${clvPatterns} with z̄`);
  const quantities: [IntervalQuantity, Partial<PredictionIntervalsOptions>][] = [
    ['probabilityAlive', {}],
    ['conditionalExpectedPurchases', { t: 365 }],
    ['clv', { spendModel, horizon: 365, period: 365 / 12 }],
  ];
  const rows: string[][] = [];
  for (const [quantity, extra] of quantities) {
    for (const method of ['delta', 'draws'] as const) {
      const options = { quantity, method, ...(method === 'draws' ? { draws: DRAWS, seed: 1 } : {}), ...extra };
      predictionIntervals(model, warm.summary, options);
      collectGarbage();
      const { median, runs } = await medianOf(RUNS, () => predictionIntervals(model, data.summary, options));
      const label = method === 'delta' ? 'delta' : `draws (${DRAWS})`;
      log(`${quantity} ${label}: ${ms(median)} ms`);
      rows.push([`\`${quantity}\``, label, ms(median), `${ms(Math.min(...runs))}–${ms(Math.max(...runs))}`]);
    }
  }
  collectGarbage();
  const t0 = performance.now();
  const boot = predictionIntervals(model, data.summary, {
    quantity: 'conditionalExpectedPurchases',
    t: 365,
    method: 'bootstrap',
    draws: replicates,
    seed: 1,
  });
  const bootMs = performance.now() - t0;
  log(`bootstrap ${replicates} replicates: ${ms(bootMs)} ms (${boot.warnings.length} warnings)`);
  rows.push([
    '`conditionalExpectedPurchases`',
    `bootstrap (${replicates} replicates, once)`,
    ms(bootMs),
    `${ms(bootMs / replicates)} per replicate`,
  ]);
  const body = [
    `Run ${new Date().toISOString().slice(0, 10)}: \`npx tsx --expose-gc benchmarks/clv-intervals.bench.ts --replicates ${replicates}\`; ${machine()}; load average (1 / 5 / 15 min) at start ${load}.`,
    '',
    `${CUSTOMERS / 1000}k customers of \`sampleStore\` (seed 42), days: ${patterns} distinct (x, t_x, T) patterns, ${clvPatterns} with z̄. ` +
      `BG/NBD and Gamma-Gamma fitted once; the intervals are 90 %, on every customer and the total. Times in ms: median of ${RUNS} ` +
      `after a warm-up on 10k customers (the bootstrap: one run). With a load average above the 2 cores, the min is the nearest to a quiet run. ` +
      `CLV draws cost one conditional evaluation per discounting period (12) per distinct (x, T) per draw: prefer the delta method there.`,
    '',
    markdownTable(['quantity', 'method', 'median ms', 'min–max ms'], rows),
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (write) writeResultsSection(RESULTS, SECTION, body);
}

void main();
