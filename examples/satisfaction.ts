/**
 * Satisfaction index example: the ACSI model fitted by PLS path modelling to the sample store's survey, read as an
 * analyst reads it — paths with bootstrap intervals, 0–100 indices, reliability, the importance–performance map,
 * then satisfaction against loyalty and a loyalty indicator index built from the customers' behaviour.
 *
 *   npx tsx examples/satisfaction.ts            # 20,000 customers (8,000 respondents), seed 42
 *   npx tsx examples/satisfaction.ts 50000 7    # customers, seed
 */
import {
  acsiModel,
  customerSummary,
  importancePerformance,
  importancePerformanceChart,
  loyaltyIndex,
  loyaltyType,
  loyaltyTypeSummary,
  plsPathModel,
  sampleStore,
  satisfactionLoyalty,
} from '../src/index';

const customers = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 42);
const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);

const t0 = performance.now();
const store = sampleStore({ customers, seed, acquisitionDays: 730 });
const model = acsiModel(store.truth.acsi.blocks);
const fit = plsPathModel(store.survey, model, { scale: [1, 10], bootstrap: 500, seed: 1, key: 'customer' });
console.log(
  `ACSI model on ${fit.respondents.toLocaleString('en-US')} survey answers (${fit.rows.total} dropped for a missing answer), ${fit.scheme} scheme, ${fit.iterations} iterations, GoF ${f3(fit.gof)}\n`,
);

console.log('Path                          estimate   95% bootstrap interval   generating value');
for (const [from, to] of model.paths) {
  const b = fit.bootstrap!.paths[from][to];
  const truth = store.truth.acsi.paths.find((p) => p.from === from && p.to === to)!.coefficient;
  console.log(
    `  ${`${from} → ${to}`.padEnd(28)} ${f3(fit.paths[from][to]).padStart(7)}   [${f3(b.lower)}, ${f3(b.upper)}]        ${f3(truth)}`,
  );
}
console.log(
  `\nR²: ${Object.entries(fit.rSquared)
    .map(([lv, r2]) => `${lv} ${f3(r2)}`)
    .join(', ')}`,
);

console.log('\nConstruct       index (0–100)   Cronbach α   DG ρ    AVE    eigenvalues');
for (const lv of model.latent) {
  const r = fit.reliability[lv];
  console.log(
    `  ${lv.padEnd(14)} ${f1(fit.index[lv]).padStart(8)}      ${f3(r.cronbachAlpha)}      ${f3(r.dillonGoldsteinRho)}   ${f3(r.ave)}  ${f3(r.eigenvalues[0])}, ${f3(r.eigenvalues[1])}`,
  );
}

const map = importancePerformance(fit, 'satisfaction');
console.log('\nImportance–performance map of satisfaction (importance = total effect, performance = index)');
for (const row of map)
  console.log(`  ${String(row.driver).padEnd(14)} ${f3(row.importance)}  ${f1(row.performance)}  → ${row.quadrant}`);
const spec = importancePerformanceChart(map);
console.log(`  (a Vega-Lite chart spec of ${JSON.stringify(spec).length} bytes is ready for a notebook or report)`);

// Satisfaction against loyalty, from each respondent's 0–100 index scores.
const relation = satisfactionLoyalty(fit.indexScores, {
  satisfaction: 'satisfaction',
  loyalty: 'loyalty',
  scale: [0, 100],
});
const counts = new Map<string, number>();
for (const c of relation.table.getChild('category')!) counts.set(String(c), (counts.get(String(c)) ?? 0) + 1);
console.log('\nSatisfaction × loyalty (Jones & Sasser quadrants, split at the middle of the 0–100 scale)');
for (const [c, n] of counts)
  console.log(`  ${c.padEnd(10)} ${String(n).padStart(6)}  ${f1((100 * n) / relation.table.numRows)}%`);
const { a, b, c } = relation.curve;
console.log(
  `  loyalty ≈ ${f1(a)} + ${f3(b)}·S + ${c.toExponential(2)}·S² (R² ${f3(relation.curve.rSquared)}); elasticity by band:`,
);
for (const band of relation.bands) {
  if (band.count > 0)
    console.log(
      `    S ≈ ${f1(band.meanSatisfaction)}: ${String(band.count).padStart(5)} respondents, loyalty ${f1(band.meanLoyalty)}, point elasticity ${band.pointElasticity === null ? '—' : f3(band.pointElasticity)}`,
    );
}

// A loyalty indicator index for the surveyed customers: behaviour from the transactions, attitude from the survey.
const summary = customerSummary(store.transactions);
const row = new Map<string, number>();
const ids = Array.from(summary.getChild('customer')!, String);
ids.forEach((id, i) => row.set(id, i));
const first = summary.getChild('first')!.toArray() as Int32Array;
const last = summary.getChild('last')!.toArray() as Int32Array;
const count = summary.getChild('frequency')!.toArray() as Int32Array;
const spend = summary.getChild('monetary')!.toArray() as Float64Array;
const surveyed = fit.indexScores.getChild('customer')!.toArray() as string[];
const take = <T>(values: ArrayLike<T>) => surveyed.map((id) => values[row.get(id)!]);
const customersTable = {
  customer: surveyed,
  durationDays: take(last).map((l, i) => l - take(first)[i]),
  purchases: take(count),
  spend: take(spend),
  satisfaction: Array.from(fit.indexScores.getChild('satisfaction')!.toArray() as Float64Array),
  intention: Array.from(fit.indexScores.getChild('loyalty')!.toArray() as Float64Array),
  complaints: Array.from(fit.indexScores.getChild('complaints')!.toArray() as Float64Array),
};
const index = loyaltyIndex(
  customersTable,
  {
    groups: {
      duration: { indicators: [{ column: 'durationDays' }, { column: 'purchases' }] },
      spend: { indicators: [{ column: 'spend' }] },
      emotional: {
        indicators: [
          { column: 'satisfaction', range: [0, 100] },
          { column: 'intention', range: [0, 100] },
          { column: 'complaints', direction: 'lower', range: [0, 100] },
        ],
        comparison: [
          [1, 1 / 2, 3],
          [2, 1, 4],
          [1 / 3, 1 / 4, 1],
        ],
      },
    },
    groupComparison: [
      [1, 2, 1 / 2],
      [1 / 2, 1, 1 / 3],
      [2, 3, 1],
    ],
  },
  { key: 'customer' },
);
const li = index.getChild('loyaltyIndex')!.toArray() as Float64Array;
const report = JSON.parse(index.schema.metadata.get('clientele.loyaltyIndex')!);
console.log(
  `\nLoyalty indicator index (AHP weights; group comparison CR ${f3(report.groupConsistency.consistencyRatio)}): mean ${f1(li.reduce((s, v) => s + v, 0) / li.length)} of 100`,
);
console.log(
  `  global weights: ${(report.indicators as { column: string; globalWeight: number }[]).map((l) => `${l.column} ${f3(l.globalWeight)}`).join(', ')}`,
);

const types = loyaltyType(customersTable, { key: 'customer', attachment: 'intention', repeatPurchase: 'purchases' });
console.log(
  '\nLoyalty types (attitudinal attachment = loyalty intention index, repeat purchase = purchases; median splits)',
);
for (const t of loyaltyTypeSummary(types))
  if (t.customers > 0) console.log(`  ${String(t.loyaltyType).padEnd(20)} ${String(t.customers).padStart(6)}`);
console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
