/**
 * The clientele demo: who are the best customers of a generated store?
 *
 *   npm run demo                 # 20,000 customers, seed 42
 *   npm run demo -- 100000 7     # customers, seed
 *
 * It generates a realistic store with `sampleStore`, scores every customer with RFM, prints the segment table,
 * the ABC (Pareto) split of revenue, the value × loyalty matrix, the lifecycle stages, and each customer's expected
 * value over the next year from BG/NBD + Gamma-Gamma models, and the ACSI satisfaction index of its survey (PLS path
 * model: paths, 0–100 indices, the drivers of satisfaction), k-means segments of the customers described in words,
 * and the products bought together (the planted beer-and-diapers rule). Last, it writes all of it as a
 * self-contained HTML report with charts, `clientele-report.html` in the current directory.
 */
import {
  abc,
  acsiModel,
  analysisReport,
  associationRules,
  baskets,
  frequentItemsets,
  topRules,
  explainSegments,
  kmeans,
  profileSegments,
  rfmSegments,
  importancePerformance,
  plsPathModel,
  abcSummary,
  customerSummary,
  droppedRows,
  fitBgNbd,
  fitGammaGamma,
  gini,
  LIFECYCLE_STAGES,
  lifecycleStage,
  predictClv,
  rfm,
  rfmSummary,
  sampleStore,
  summaryFromTransactions,
  topShare,
  valueLoyaltyMatrix,
} from '../src/index';
import type { Table } from 'apache-arrow';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const customers = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 42);

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const money = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** Prints an Arrow table as aligned text columns. */
function print(table: Table, format: Record<string, (v: number) => string> = {}): void {
  const names = table.schema.fields.map((f) => f.name);
  const rows = table.toArray().map((row) =>
    names.map((n) => {
      const v = row[n];
      return typeof v === 'number'
        ? (format[n] ?? ((x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1))))(v)
        : String(v);
    }),
  );
  const widths = names.map((n, j) => Math.max(n.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(names));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log();
}

const t0 = performance.now();
// customers keep arriving until the last day, as in a growing store, so every lifecycle stage is present
const store = sampleStore({ customers, seed, acquisitionDays: 730 });
const tx = store.transactions;
console.log(
  `Sample store: ${customers.toLocaleString('en-US')} customers, ${tx.numRows.toLocaleString('en-US')} transactions (seed ${seed}).\n`,
);

const scored = rfm(tx);
const report = droppedRows(scored);
console.log(
  `RFM segments (as of ${scored.schema.metadata.get('clientele.asOf')}; ${report.kept} rows used, ${report.total} dropped)`,
);
print(rfmSummary(scored), { customerShare: pct, revenueShare: pct, revenue: money, monetary: money });

const summary = customerSummary(tx);
const classes = abc(summary, { key: 'customer', value: 'monetary' });
console.log('ABC classification of customers by revenue (cut-offs 80% / 95%)');
print(abcSummary(classes), { keyShare: pct, valueShare: pct, value: money });

const monetary = summary.getChild('monetary')!;
console.log(
  `Pareto: the top 20% of customers bring ${pct(topShare(monetary, 0.2))} of revenue; ` +
    `the top 1% bring ${pct(topShare(monetary, 0.01))}. Gini coefficient of revenue: ${gini(monetary).toFixed(3)}.\n`,
);

const matrix = valueLoyaltyMatrix(summary);
const quadrants = new Map<string, number>();
for (const q of matrix.getChild('quadrant')!) quadrants.set(String(q), (quadrants.get(String(q)) ?? 0) + 1);
console.log('Value × loyalty matrix (high value = ABC class A; high loyalty = more repeat purchases than the median)');
for (const [q, n] of quadrants) console.log(`  ${q.padEnd(13)} ${String(n).padStart(7)}  ${pct(n / matrix.numRows)}`);
const stages = lifecycleStage(tx);
const stageCounts = new Map<string, number>(LIFECYCLE_STAGES.map((name) => [name, 0]));
for (const st of stages.getChild('stage')!) stageCounts.set(String(st), stageCounts.get(String(st))! + 1);
console.log('\nLifecycle stages (exploration ≤ 90 days old; churned > 365 days silent; trends over 180-day windows)');
for (const [name, n] of stageCounts)
  console.log(`  ${name.padEnd(12)} ${String(n).padStart(7)}  ${pct(n / stages.numRows)}`);

const clvSummary = summaryFromTransactions(tx, { unit: 'week' });
const bg = fitBgNbd(clvSummary);
const gg = fitGammaGamma(clvSummary);
const value = predictClv(bg, gg, clvSummary, { horizon: 52, discountRate: 0.01, margin: 0.3 });
const clvs = value.getChild('clv')!.toArray() as Float64Array;
const total = clvs.reduce((a, b) => a + b, 0);
const fmt = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
console.log(
  `\nCustomer lifetime value, next 52 weeks (30% margin, 1% a month): BG/NBD ${fmt(bg.params)}; Gamma-Gamma ${fmt(gg.params)}`,
);
console.log(
  `  expected margin from today's customers: ${money(total)}; top 10% of customers: ${pct(topShare(clvs, 0.1))} of it`,
);

const acsi = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [1, 10] });
console.log(
  `\nSatisfaction index (ACSI model, PLS path modelling on ${acsi.respondents.toLocaleString('en-US')} survey answers; R² of satisfaction ${acsi.rSquared.satisfaction.toFixed(3)})`,
);
console.log(
  `  indices (0–100): ${Object.entries(acsi.index)
    .map(([lv, v]) => `${lv} ${v.toFixed(1)}`)
    .join(', ')}`,
);
const drivers = importancePerformance(acsi, 'loyalty');
console.log(
  `  drivers of loyalty (total effect): ${drivers
    .toArray()
    .map((d) => `${d.driver} ${d.importance.toFixed(3)}`)
    .join(', ')}`,
);

const named = rfmSegments(scored);
const features = {
  recency: Float64Array.from(named.getChild('recency')!.toArray()),
  logFrequency: Float64Array.from(named.getChild('frequency')!.toArray(), Math.log1p),
  logMonetary: Float64Array.from(named.getChild('monetary')!.toArray() as Float64Array, Math.log1p),
  frequency: Float64Array.from(named.getChild('frequency')!.toArray()),
  monetary: named.getChild('monetary')!.toArray() as Float64Array,
  segment: named.getChild('segment')!,
};
const segments = kmeans(features, { columns: ['recency', 'logFrequency', 'logMonetary'], k: 4, seed: 1 });
console.log(
  '\nk-means segments (k = 4 on recency, log frequency, log spend; `npx tsx examples/segments.ts` chooses k)',
);
for (const p of profileSegments(features, segments, { columns: ['recency', 'frequency', 'monetary'] })) {
  console.log(
    `  ${p.segment}: ${pct(p.share).padStart(6)} of customers, median recency ${p.recencyMedian.toFixed(0)} days, ${p.frequencyMean.toFixed(1)} purchases, spend ${money(p.monetaryMean)} — ${p.rfmMix}`,
  );
}
const described = explainSegments(features, segments, {
  columns: ['recency', 'frequency', 'monetary'],
  maxDepth: 2,
  units: { recency: 'days' },
});
console.log(`  in words (${pct(described.accuracy)} of customers follow their rule):`);
for (const line of described.text) console.log(`    ${line}`);

const bought = baskets(store.basketItems);
const rules = associationRules(frequentItemsets(bought, { minSupport: 0.005 }), { minConfidence: 0.3 });
console.log(
  `\nProducts bought together (${bought.count.toLocaleString('en-US')} baskets; ${rules.numRows} rules at support ≥ 0.5%, confidence ≥ 30%), top 3 by lift:`,
);
for (const r of topRules(rules, 3)) {
  console.log(
    `  {${r.antecedent.toArray().join(', ')}} → {${r.consequent.toArray().join(', ')}}: support ${pct(r.support)}, confidence ${pct(r.confidence)}, lift ${r.lift.toFixed(2)}`,
  );
}

// the same analyses as one HTML page with tables and charts (k = 4 as above; leave k out to let chooseK pick it)
const t1 = performance.now();
const { html } = await analysisReport(tx, {
  basketItems: store.basketItems,
  survey: store.survey,
  k: 4,
  minSupport: 0.005,
  title: `Sample store: ${customers.toLocaleString('en-US')} customers (seed ${seed})`,
});
const reportPath = resolve('clientele-report.html');
writeFileSync(reportPath, html);
console.log(
  `\nReport with charts written to ${reportPath} (${(html.length / 1e6).toFixed(1)} MB in ${((performance.now() - t1) / 1000).toFixed(2)} s; opens offline in any browser).`,
);
console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
