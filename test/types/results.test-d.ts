/**
 * Type-level tests of the typed results, checked by `tsc --noEmit` (tsconfig includes test/; `npm test` runs tsc
 * first), never executed: a column name that is not in a result does not compile (`// @ts-expect-error` fails the
 * build when the line stops being an error), a column's vector has its declared Arrow type, and the values read
 * from it have their TypeScript types. The runtime twin, test/types/result-schemas.test.ts, checks that the
 * schemas the analyses return are these types.
 */
import { expectTypeOf } from 'vitest';
import type { DateDay, Float64, Int8, Int32, List, RecordBatch, Table, Utf8, Vector } from 'apache-arrow';
import { Int32 as Int32Type } from 'apache-arrow';
import {
  chooseK,
  importancePerformance,
  abc,
  abcSummary,
  associationRules,
  customerSummary,
  frequentItemsets,
  predictClv,
  retentionCurve,
  rfm,
  rfmSegments,
  rfmSummary,
  summaryFromTransactions,
  topRules,
} from '../../src/index';
import type {
  AbcColumns,
  AssociationRulesColumns,
  Baskets,
  BgNbdModel,
  ClvSummaryColumns,
  CustomerSummaryColumns,
  FrequentItemsetsColumns,
  GammaGammaModel,
  KeyType,
  PlsFit,
  LabelType,
  RfmColumns,
} from '../../src/index';

declare const tx: unknown;
declare const batches: AsyncIterable<RecordBatch>;
declare const mined: Baskets;
declare const bg: BgNbdModel;
declare const gg: GammaGammaModel;
declare const fit: PlsFit;

// rfm: typed table, typed vectors, typed values; a misspelt column does not compile
const scored = rfm(tx);
expectTypeOf(scored).toEqualTypeOf<Table<RfmColumns>>();
expectTypeOf(scored.getChild('segment')).toEqualTypeOf<Vector<LabelType> | null>();
expectTypeOf(scored.getChild('r')).toEqualTypeOf<Vector<Int8> | null>();
expectTypeOf(scored.getChild('recency')!.toArray()).toEqualTypeOf<Int32Array>();
expectTypeOf(scored.getChild('monetary')!.get(0)).toEqualTypeOf<number | null>();
expectTypeOf(scored.getChild('customer')).toEqualTypeOf<Vector<KeyType> | null>();
expectTypeOf(scored.get(0)!.segment).toEqualTypeOf<string>();
// @ts-expect-error: there is no column segmnt
scored.getChild('segmnt');
// @ts-expect-error: nor a column recencyDays
scored.getChild('recencyDays');
expectTypeOf(rfm(batches)).toEqualTypeOf<Promise<Table<RfmColumns>>>();
expectTypeOf(rfm(tx, { parallel: 2 })).toEqualTypeOf<Promise<Table<RfmColumns>>>();

// the key type is generic for a caller who knows it
expectTypeOf<RfmColumns<Utf8>['customer']>().toEqualTypeOf<Utf8>();

// rfmSegments keeps the columns of a typed input and adds segment
expectTypeOf(rfmSegments(scored).getChild('score')).toEqualTypeOf<Vector<LabelType> | null>();
expectTypeOf(rfmSegments(scored).getChild('segment')).toEqualTypeOf<Vector<LabelType> | null>();
// @ts-expect-error: rfmSegments of an rfm table has no column segments
rfmSegments(scored).getChild('segments');

// customerSummary: dates are Date32
const summary = customerSummary(tx);
expectTypeOf(summary).toEqualTypeOf<Table<CustomerSummaryColumns>>();
expectTypeOf(summary.getChild('first')).toEqualTypeOf<Vector<DateDay> | null>();
// @ts-expect-error: the summary has T, not age
summary.getChild('age');
expectTypeOf(customerSummary(batches)).toEqualTypeOf<Promise<Table<CustomerSummaryColumns>>>();

// rfmSummary, abc, abcSummary
expectTypeOf(rfmSummary(scored).getChild('revenueShare')).toEqualTypeOf<Vector<Float64> | null>();
const classes = abc(summary, { key: 'customer', value: 'monetary' });
expectTypeOf(classes).toEqualTypeOf<Table<AbcColumns>>();
expectTypeOf(classes.getChild('class')).toEqualTypeOf<Vector<LabelType> | null>();
// @ts-expect-error: the key column of abc is named key, whatever the input called it
classes.getChild('customer');
expectTypeOf(abcSummary(classes).getChild('class')).toEqualTypeOf<Vector<Utf8> | null>();

// CLV
const clvData = summaryFromTransactions(tx);
expectTypeOf(clvData).toEqualTypeOf<Table<ClvSummaryColumns>>();
expectTypeOf(clvData.getChild('T')).toEqualTypeOf<Vector<Float64> | null>();
const value = predictClv(bg, gg, clvData, { horizon: 52 });
expectTypeOf(value.getChild('clv')!.toArray()).toEqualTypeOf<Float64Array>();
// @ts-expect-error: predictClv has clv, not value
value.getChild('value');
expectTypeOf(retentionCurve(tx).getChild('cohort')).toEqualTypeOf<Vector<DateDay> | null>();
expectTypeOf(retentionCurve(tx).getChild('offset')).toEqualTypeOf<Vector<Int32> | null>();

// baskets: item sets as lists of text
const itemsets = frequentItemsets(mined, { minSupport: 0.01 });
expectTypeOf(itemsets).toEqualTypeOf<Table<FrequentItemsetsColumns>>();
expectTypeOf(itemsets.getChild('items')).toEqualTypeOf<Vector<List<Utf8>> | null>();
const rules = associationRules(itemsets, { minConfidence: 0.1 });
expectTypeOf(rules).toEqualTypeOf<Table<AssociationRulesColumns>>();
expectTypeOf(topRules(rules, 5)).toEqualTypeOf<Table<AssociationRulesColumns>>();
// @ts-expect-error: the rules have antecedent and consequent, not lhs
rules.getChild('lhs');

// satisfaction and segments
expectTypeOf(importancePerformance(fit, 'satisfaction').getChild('importance')).toEqualTypeOf<Vector<Float64> | null>();
// @ts-expect-error: importancePerformance has quadrant, not quadrants
importancePerformance(fit, 'satisfaction').getChild('quadrants');
expectTypeOf(chooseK(tx, { columns: ['x'] }).scores.getChild('k')).toEqualTypeOf<Vector<Int32> | null>();

// the runtime twin's check is sound: a column instance of another width does not pass for the declared one
// @ts-expect-error: an Int32 is not the Int8 that r is declared as
const wrongWidth: RfmColumns['r'] = new Int32Type();
void wrongWidth;
