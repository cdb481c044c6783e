/**
 * From a raw transaction log to a ranked customer-lifetime-value table.
 *
 *   npx tsx examples/clv.ts                       # the generated sample store
 *   gunzip -c datasets/CDNOW_master.txt.gz > cdnow.txt && npx tsx examples/clv.ts cdnow.txt
 *
 * Steps: summarise the log per customer in the models' conventions (calibration and holdout), fit BG/NBD (how
 * often, how long) and Gamma-Gamma (how much), check the purchase forecast against the holdout, and rank customers
 * by their expected value over the next year.
 */
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import {
  clv,
  fitBgNbd,
  fitGammaGamma,
  frequencyMonetaryCorrelation,
  predictClv,
  sampleStore,
  summaryFromTransactions,
} from '../src/index';

const file = process.argv[2];
let tx: unknown;
let calibrationEnd: string;
let holdoutEnd: string;
if (file) {
  // CDNOW master log: customer, YYYYMMDD, CDs, dollars (whitespace separated, one header line)
  const rows = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/));
  tx = {
    customer: rows.map((r) => Number(r[0])),
    date: rows.map((r) => Number(r[1])),
    amount: rows.map((r) => Number(r[3])),
  };
  calibrationEnd = '1997-09-30';
  holdoutEnd = '1998-06-30';
} else {
  tx = sampleStore({ customers: 20_000, seed: 42 }).transactions;
  calibrationEnd = '2024-06-30';
  holdoutEnd = '2024-12-30';
}

const summary = summaryFromTransactions(tx, { calibrationEnd, holdoutEnd, unit: 'week' });
console.log(`${summary.numRows} customers; calibration to ${calibrationEnd}, holdout to ${holdoutEnd} (weeks).`);

const bg = fitBgNbd(summary);
const gg = fitGammaGamma(summary);
const fmt = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} = ${v.toFixed(3)}`)
    .join(', ');
console.log(`BG/NBD: ${fmt(bg.params)} (log-likelihood ${bg.logLikelihood.toFixed(1)})`);
console.log(
  `Gamma-Gamma: ${fmt(gg.params)} (${gg.customers} repeat buyers; corr(x, z̄) = ${frequencyMonetaryCorrelation(summary).toFixed(3)})`,
);

// holdout check: predicted against actual repeat purchases over the holdout
const weeks = Number(summary.getChild('durationHoldout')!.get(0));
const forecast = predictClv(bg, gg, summary, { horizon: weeks, discountRate: 0 });
const predicted = (forecast.getChild('expectedPurchases')!.toArray() as Float64Array).reduce((a, b) => a + b, 0);
const actual = (summary.getChild('frequencyHoldout')!.toArray() as Float64Array).reduce((a, b) => a + b, 0);
console.log(
  `Holdout (${weeks.toFixed(1)} weeks): predicted ${predicted.toFixed(0)} repeat purchases, actual ${actual.toFixed(0)}.\n`,
);

// one year ahead, 30 % margin, 1 % a month
const value = predictClv(bg, gg, summary, { horizon: 52, period: 52 / 12, discountRate: 0.01, margin: 0.3 });
print(value, 10);

// the closed form a textbook gives for an average customer, for comparison
const meanClv = (value.getChild('clv')!.toArray() as Float64Array).reduce((a, b) => a + b, 0) / value.numRows;
console.log(
  `\nMean 1-year CLV: ${meanClv.toFixed(2)}. Textbook check: margin 100 a year kept at 80 %, 10 % discount → ` +
    `${clv.retention({ margin: 100, retentionRate: 0.8, discountRate: 0.1 }).toFixed(2)} (= 100 · 0.8 / (1 + 0.1 − 0.8)).`,
);

function print(table: Table, top: number): void {
  const rows = table.toArray().map((r) => r.toJSON() as Record<string, number | string>);
  rows.sort((a, b) => (b.clv as number) - (a.clv as number));
  console.log('Top customers by expected 1-year value (30 % margin, 1 % a month):');
  console.log('customer      purchases   spend      clv');
  for (const r of rows.slice(0, top)) {
    console.log(
      `${String(r.customer).padEnd(12)}  ${(r.expectedPurchases as number).toFixed(2).padStart(9)}  ${(r.expectedSpend as number).toFixed(2).padStart(7)}  ${(r.clv as number).toFixed(2).padStart(8)}`,
    );
  }
}
