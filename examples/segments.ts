/**
 * Segmentation example: the sample store's customers segmented on RFM with k-means — choose k, fit, profile the
 * segments, say in words what each one is — and a churn tree that says who is about to leave.
 *
 *   npx tsx examples/segments.ts            # 20,000 customers, seed 42
 *   npx tsx examples/segments.ts 100000 7   # customers, seed
 */
import {
  chooseK,
  churnModel,
  explainSegments,
  isoDate,
  kmeans,
  profileSegments,
  rfm,
  rfmSegments,
  sampleStore,
} from '../src/index';

const customers = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 42);
const f1 = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const t0 = performance.now();
const store = sampleStore({ customers, seed, acquisitionDays: 730 });
const scored = rfmSegments(rfm(store.transactions));
// Spend and counts are skewed: cluster on log1p of frequency and monetary, recency as it is (all z-scored).
const recency = scored.getChild('recency')!.toArray();
const frequency = scored.getChild('frequency')!.toArray();
const monetary = scored.getChild('monetary')!.toArray() as Float64Array;
const features = {
  customer: Array.from(scored.getChild('customer')!, String),
  recency: Array.from(recency),
  frequency: Array.from(frequency),
  monetary: Array.from(monetary),
  logFrequency: Array.from(frequency, Math.log1p),
  logMonetary: Array.from(monetary, Math.log1p),
  segment: Array.from(scored.getChild('segment')!, String),
};
const columns = ['recency', 'logFrequency', 'logMonetary'];

const choice = chooseK(features, { columns, kRange: [2, 8], seed: 1, nInit: 4 });
console.log(`Choosing k for ${customers.toLocaleString('en-US')} customers on recency, log frequency and log spend:`);
console.log('   k   inertia   silhouette   Calinski–Harabasz   Davies–Bouldin');
for (const row of choice.scores) {
  console.log(
    `  ${String(row.k).padStart(2)}  ${row.inertia.toFixed(0).padStart(8)}   ${row.silhouette.toFixed(3).padStart(9)}   ${row.calinskiHarabasz.toFixed(0).padStart(17)}   ${row.daviesBouldin.toFixed(3).padStart(14)}`,
  );
}
console.log(`→ ${choice.reason}\n`);

const seg = kmeans(features, { columns, k: choice.k, seed: 1 });
console.log(
  `k-means with k = ${seg.k}: inertia ${seg.inertia.toFixed(0)} after ${seg.iterations} iterations (best of ${seg.runs.length} runs)`,
);
const profile = profileSegments(features, seg, { columns: ['recency', 'frequency', 'monetary'] });
console.log('\nsegment    size   share   recency (days)   purchases   spend   most common RFM segments');
for (const p of profile) {
  console.log(
    `  ${String(p.segment).padStart(5)} ${String(p.size).padStart(7)} ${pct(p.share).padStart(7)}   ${f1(p.recencyMedian).padStart(14)}   ${f1(p.frequencyMean).padStart(9)}   ${p.monetaryMean.toFixed(0).padStart(5)}   ${p.rfmMix}`,
  );
}

const why = explainSegments(features, seg, {
  columns: ['recency', 'frequency', 'monetary'],
  maxDepth: 3,
  units: { recency: 'days' },
});
console.log(`\nThe segments in words (a depth-3 tree, ${pct(why.accuracy)} of customers in their rule's segment):`);
for (const line of why.text) console.log(`  ${line}`);

// Churn: features as of 90 days before the end, label = no purchase in those last 90 days.
const lastDay = store.truth.window.startDay + store.truth.window.days - 1;
const cutoff = lastDay - 90;
const before = rfm(store.transactions, { asOf: isoDate(cutoff) });
const after = new Set<string>();
const dates = store.transactions.getChild('date')!.data[0].values as unknown as Int32Array;
const ids = store.transactions.getChild('customer')!.toArray() as unknown as string[];
for (let i = 0; i < dates.length; i++) if (dates[i] > cutoff) after.add(ids[i]);
const history = {
  recency: Array.from(before.getChild('recency')!.toArray()),
  frequency: Array.from(before.getChild('frequency')!.toArray()),
  monetary: Array.from(before.getChild('monetary')!.toArray() as Float64Array),
  churned: Array.from(before.getChild('customer')!, String).map((id) => !after.has(id)),
};
const churn = churnModel(history, {
  features: ['recency', 'frequency', 'monetary'],
  label: 'churned',
  maxDepth: 3,
  units: { recency: 'days' },
});
console.log(
  `\nWho is about to churn (no purchase in the 90 days after ${isoDate(cutoff)}; base rate ${pct(churn.baseRate)}):`,
);
for (const line of churn.text) console.log(`  ${line}`);
console.log(
  `  held-out: accuracy ${pct(churn.accuracy)}, AUC ${churn.auc.toFixed(3)}, precision ${pct(churn.precision)}, recall ${pct(churn.recall)} (${churn.test} customers)`,
);
console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
