/**
 * The typed results and their runtime schemas cannot drift: for every result with a declared column type
 * (`Table<RfmColumns>`, …), the expected schema below is written as Arrow type instances in an object whose keys
 * tsc checks against the declared type (every column, no other), and whose values tsc checks are of the declared
 * column type (an Int32 where Int8 is declared does not compile). The test then compares it with the schema the
 * analysis really returns: the same column names in the same order, the same Arrow type ids and type (tolerance:
 * none). Columns that an option leaves out are named per case.
 */
import { describe, expect, it } from 'vitest';
import * as A from 'apache-arrow';
import type { Table, TypeMap } from 'apache-arrow';
import {
  abc,
  abcSummary,
  associationRules,
  baskets,
  customerSummary,
  frequentItemsets,
  lifecycleStage,
  paretoCurve,
  predictClv,
  retentionCurve,
  rfm,
  rfmSegments,
  rfmSummary,
  rulesWithItem,
  sampleStore,
  summaryFromTransactions,
  topRules,
  valueLoyaltyMatrix,
  fitBgNbd,
  fitGammaGamma,
  acsiModel,
  chooseK,
  importancePerformance,
  loyaltyType,
  loyaltyTypeSummary,
  plsPathModel,
} from '../../src/index';

/** The expected columns of a typed table: every declared column, as an Arrow type instance of its declared type. */
type Expected<T extends TypeMap> = { [K in keyof T]-?: T[K] };

interface Case {
  readonly name: string;
  readonly table: Table;
  readonly expected: Readonly<Record<string, A.DataType>>;
  readonly absent: readonly string[];
}

const cases: Case[] = [];
/** Registers a result with its expected columns; `absent` names declared columns this call leaves out. */
function result<T extends TypeMap>(name: string, table: Table<T>, expected: Expected<T>, absent: string[] = []): void {
  cases.push({ name, table, expected: expected as Record<string, A.DataType>, absent });
}

const utf8 = () => new A.Utf8();
const labels = () => new A.Dictionary(new A.Utf8(), new A.Int8());
const items = () => new A.List(new A.Field('item', new A.Utf8(), true));

const store = sampleStore({ customers: 300, seed: 7 });
const tx = store.transactions;
const summary = customerSummary(tx);
const scored = rfm(tx);
const classes = abc(summary, { key: 'customer', value: 'monetary' });
const clvData = summaryFromTransactions(tx, { unit: 'week' });
const itemsets = frequentItemsets(baskets(store.basketItems, { transaction: 'transaction', item: 'item' }), {
  minSupport: 0.01,
});
const rules = associationRules(itemsets, { minConfidence: 0.05 });

const customerSummaryColumns = {
  customer: utf8(),
  first: new A.DateDay(),
  last: new A.DateDay(),
  count: new A.Int32(),
  frequency: new A.Int32(),
  recency: new A.Int32(),
  T: new A.Int32(),
  monetary: new A.Float64(),
  averageValue: new A.Float64(),
};
result('customerSummary', summary, customerSummaryColumns);
result(
  'customerSummary (integer customer ids)',
  customerSummary({ customer: [7, 7, 9], date: ['2024-01-01', '2024-02-01', '2024-03-01'], amount: [1, 2, 3] }),
  {
    ...customerSummaryColumns,
    customer: new A.Int32(),
  },
);
const rfmColumns = {
  customer: utf8(),
  recency: new A.Int32(),
  frequency: new A.Int32(),
  monetary: new A.Float64(),
  r: new A.Int8(),
  f: new A.Int8(),
  m: new A.Int8(),
  score: labels(),
  segment: labels(),
};
result('rfm', scored, rfmColumns);
result('rfm (segments: false)', rfm(tx, { segments: false }), rfmColumns, ['segment']);
result('rfmSegments', rfmSegments(rfm(tx, { segments: false })), rfmColumns);
result('rfmSummary', rfmSummary(scored), {
  segment: utf8(),
  customers: new A.Int32(),
  customerShare: new A.Float64(),
  recency: new A.Float64(),
  frequency: new A.Float64(),
  monetary: new A.Float64(),
  revenue: new A.Float64(),
  revenueShare: new A.Float64(),
});
result('abc', classes, {
  key: utf8(),
  value: new A.Float64(),
  share: new A.Float64(),
  cumulativeShare: new A.Float64(),
  rank: new A.Int32(),
  class: labels(),
});
result('abcSummary', abcSummary(classes), {
  class: utf8(),
  keys: new A.Int32(),
  keyShare: new A.Float64(),
  value: new A.Float64(),
  valueShare: new A.Float64(),
});
result('paretoCurve', paretoCurve(summary.getChild('monetary')!), {
  population: new A.Float64(),
  value: new A.Float64(),
});
result('valueLoyaltyMatrix', valueLoyaltyMatrix(summary), {
  customer: utf8(),
  value: new A.Float64(),
  loyalty: new A.Float64(),
  valueClass: labels(),
  highValue: new A.Int8(),
  highLoyalty: new A.Int8(),
  quadrant: labels(),
});
const clvColumns = {
  customer: utf8(),
  frequency: new A.Float64(),
  recency: new A.Float64(),
  T: new A.Float64(),
  monetary: new A.Float64(),
  frequencyHoldout: new A.Float64(),
  monetaryHoldout: new A.Float64(),
  durationHoldout: new A.Float64(),
};
const holdout = ['frequencyHoldout', 'monetaryHoldout', 'durationHoldout'];
result('summaryFromTransactions', clvData, clvColumns, holdout);
result(
  'summaryFromTransactions (holdoutEnd)',
  summaryFromTransactions(tx, { calibrationEnd: '2024-06-30', holdoutEnd: '2024-12-31' }),
  clvColumns,
);
result('predictClv', predictClv(fitBgNbd(clvData), fitGammaGamma(clvData), clvData, { horizon: 52 }), {
  customer: utf8(),
  frequency: new A.Float64(),
  recency: new A.Float64(),
  T: new A.Float64(),
  monetary: new A.Float64(),
  pAlive: new A.Float64(),
  expectedPurchases: new A.Float64(),
  expectedSpend: new A.Float64(),
  clv: new A.Float64(),
});
result('retentionCurve', retentionCurve(tx, { period: 'quarter' }), {
  cohort: new A.DateDay(),
  offset: new A.Int32(),
  customers: new A.Int32(),
  active: new A.Int32(),
  retention: new A.Float64(),
});
result('lifecycleStage', lifecycleStage(tx), {
  customer: utf8(),
  tenure: new A.Int32(),
  recency: new A.Int32(),
  recentPurchases: new A.Int32(),
  earlierPurchases: new A.Int32(),
  frequencyTrend: new A.Float64(),
  valueTrend: new A.Float64(),
  stage: labels(),
});
result('frequentItemsets', itemsets, {
  items: items(),
  count: new A.Int32(),
  support: new A.Float64(),
  length: new A.Int32(),
});
const ruleColumns = {
  antecedent: items(),
  consequent: items(),
  support: new A.Float64(),
  confidence: new A.Float64(),
  lift: new A.Float64(),
  leverage: new A.Float64(),
  conviction: new A.Float64(),
  count: new A.Int32(),
  antecedentSupport: new A.Float64(),
  consequentSupport: new A.Float64(),
  zhang: new A.Float64(),
};
result('associationRules', rules, ruleColumns);
result('topRules', topRules(rules, 5), ruleColumns);
result('rulesWithItem', rulesWithItem(rules, 'beer'), ruleColumns);

const fit = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [1, 10] });
result('importancePerformance', importancePerformance(fit, 'satisfaction'), {
  driver: labels(),
  importance: new A.Float64(),
  performance: new A.Float64(),
  quadrant: labels(),
});
const loyalty = loyaltyType(
  { attitude: [9, 2, 8, 1], repeats: [12, 10, 1, 0] },
  { attachment: 'attitude', repeatPurchase: 'repeats' },
);
result('loyaltyTypeSummary', loyaltyTypeSummary(loyalty), {
  loyaltyType: utf8(),
  customers: new A.Int32(),
  share: new A.Float64(),
});
const features = { x: [0, 0.1, 0.2, 5, 5.1, 5.2, 9, 9.1, 9.2], y: [0, 0.2, 0.1, 5, 5.2, 5.1, 0, 0.1, 0.2] };
result('chooseK(…).scores', chooseK(features, { columns: ['x', 'y'], kRange: [2, 4], seed: 1 }).scores, {
  k: new A.Int32(),
  inertia: new A.Float64(),
  silhouette: new A.Float64(),
  calinskiHarabasz: new A.Float64(),
  daviesBouldin: new A.Float64(),
});

describe('typed results: the runtime schema has exactly the typed column names and Arrow types', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const declared = Object.keys(c.expected).filter((name) => !c.absent.includes(name));
    const fields = c.table.schema.fields;
    expect(fields.map((f) => f.name)).toEqual(declared);
    for (const field of fields) {
      const want = c.expected[field.name];
      expect({ column: field.name, typeId: field.type.typeId, type: String(field.type) }).toEqual({
        column: field.name,
        typeId: want.typeId,
        type: String(want),
      });
    }
  });

  it('the stream form of rfm returns the typed columns too', async () => {
    async function* batches() {
      yield* tx.batches;
    }
    const streamed = await rfm(batches());
    expect(streamed.schema.fields.map((f) => [f.name, String(f.type)])).toEqual(
      Object.entries(rfmColumns).map(([name, type]) => [name, String(type)]),
    );
  });
});
