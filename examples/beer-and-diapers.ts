/**
 * Beer and diapers: the association rule of retail folklore, found in the sample store's baskets — and found to
 * depend on the day of the week, with the day type mined as a pseudo-item of every basket.
 *
 *   npx tsx examples/beer-and-diapers.ts            # 20,000 customers, seed 42
 *   npx tsx examples/beer-and-diapers.ts 50000 7    # customers, seed
 *
 * The store plants the rule (`store.truth.basket`): diapers in 8 % of baskets; beer in 6 % of baskets without
 * diapers, in 25 % of those with diapers on a weekday and in 55 % on a Saturday or Sunday. Steps: join each basket
 * line to its transaction's day type ('weekend' | 'weekday'), build baskets with the day type as a context
 * pseudo-item (`daytype=weekend`), mine frequent itemsets and rules, then read off {diapers} → {beer} overall and
 * by day type.
 */
import { Dictionary, Int32, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { associationRules, baskets, frequentItemsets, sampleStore } from '../src/index';

const customers = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 42);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f2 = (x: number) => x.toFixed(2);

const t0 = performance.now();
const store = sampleStore({ customers, seed });

// Day type of every transaction: ids are 1 … n, dates are days since 1970-01-01 (a Thursday).
const ids = store.transactions.getChild('transaction')!.toArray() as Int32Array;
const days = store.transactions.getChild('date')!.toArray() as Int32Array;
const weekendById = new Uint8Array(ids.length + 1);
for (let k = 0; k < ids.length; k++) {
  const weekday = (((days[k] + 4) % 7) + 7) % 7; // 0 = Sunday … 6 = Saturday
  weekendById[ids[k]] = weekday === 0 || weekday === 6 ? 1 : 0;
}

// basketItems (transaction, item) joined with the day type of its transaction, as a dictionary column.
const lineTransactions = store.basketItems.getChild('transaction')!.toArray() as Int32Array;
const dayTypeCodes = Int32Array.from(lineTransactions, (id) => weekendById[id]);
const lines = new Table({
  transaction: store.basketItems.getChild('transaction')!,
  item: store.basketItems.getChild('item')!,
  daytype: makeVector(
    makeData({
      // id 1: the item column's dictionary has the fixed id 0, and one table cannot hold two dictionaries with one id
      type: new Dictionary(new Utf8(), new Int32(), 1),
      length: dayTypeCodes.length,
      data: dayTypeCodes,
      dictionary: vectorFromArray(['weekday', 'weekend'], new Utf8()),
    }),
  ),
});

const b = baskets(lines, { transaction: 'transaction', item: 'item', context: ['daytype'] });
const itemsets = frequentItemsets(b, { minSupport: 0.005 });
const rules = associationRules(itemsets, { minConfidence: 0.05 });
const elapsed = performance.now() - t0;

interface Rule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  count: number;
}
const antecedents = rules.getChild('antecedent')!;
const consequents = rules.getChild('consequent')!;
const column = (name: string) => (rules as Table).getChild(name)!.toArray() as Float64Array | Int32Array;
const [support, confidence, lift, count] = ['support', 'confidence', 'lift', 'count'].map(column);
const ruleAt = (i: number): Rule => ({
  antecedent: [...antecedents.get(i)!] as string[],
  consequent: [...consequents.get(i)!] as string[],
  support: support[i],
  confidence: confidence[i],
  lift: lift[i],
  count: count[i],
});
/** The rule with exactly these items on each side (names in any order), or null when it was not mined. */
function findRule(antecedent: string[], consequent: string[]): Rule | null {
  const key = (names: readonly string[]) => [...names].sort().join('|');
  for (let i = 0; i < rules.numRows; i++) {
    const r = ruleAt(i);
    if (key(r.antecedent) === key(antecedent) && key(r.consequent) === key(consequent)) return r;
  }
  return null;
}
const show = (r: Rule | null, label: string) =>
  r
    ? `  ${label.padEnd(42)} support ${pct(r.support).padStart(6)}   confidence ${pct(r.confidence).padStart(6)}   lift ${f2(r.lift).padStart(5)}   (${r.count} baskets)`
    : `  ${label.padEnd(42)} not found (below the thresholds)`;

console.log(
  `${store.transactions.numRows.toLocaleString('en-US')} baskets of ${customers.toLocaleString('en-US')} customers (seed ${seed}); ` +
    `${itemsets.numRows} frequent itemsets at support ≥ 0.5%, ${rules.numRows} rules at confidence ≥ 5% (${elapsed.toFixed(0)} ms)\n`,
);
const truth = store.truth.basket;
console.log('The rule overall:');
const overall = findRule(['diapers'], ['beer']);
console.log(show(overall, '{diapers} → {beer}'));

console.log('\nBy day type (the day type mined as the pseudo-item daytype=…):');
const weekend = findRule(['diapers', 'daytype=weekend'], ['beer']);
const weekday = findRule(['diapers', 'daytype=weekday'], ['beer']);
console.log(show(weekend, '{diapers, daytype=weekend} → {beer}'));
console.log(show(weekday, '{diapers, daytype=weekday} → {beer}'));
// The lifts above compare with P(beer) over all baskets; the baseline inside each day type is P(beer | day type),
// the confidence of {daytype=…} → {beer}.
const beerWeekend = findRule(['daytype=weekend'], ['beer']);
const beerWeekday = findRule(['daytype=weekday'], ['beer']);
if (weekend && weekday && beerWeekend && beerWeekday) {
  console.log(
    `  lift within the day type: beer is in ${pct(weekend.confidence)} of weekend baskets with diapers against ${pct(beerWeekend.confidence)} ` +
      `of all weekend baskets (${f2(weekend.confidence / beerWeekend.confidence)}×), in ${pct(weekday.confidence)} of weekday baskets with ` +
      `diapers against ${pct(beerWeekday.confidence)} (${f2(weekday.confidence / beerWeekday.confidence)}×)`,
  );
  console.log(
    `  planted: P(beer | diapers) = ${pct(truth.beerGivenDiapersWeekend)} on weekends, ${pct(truth.beerGivenDiapersWeekday)} on weekdays, ` +
      `P(beer | no diapers) = ${pct(truth.beerBase)}`,
  );
  console.log(
    weekend.confidence > weekday.confidence
      ? `→ the rule is stronger on weekends: confidence ${pct(weekend.confidence)} against ${pct(weekday.confidence)}, lift ${f2(weekend.lift)} against ${f2(weekday.lift)}.`
      : '→ this sample does not show the weekend effect (try more customers).',
  );
}

console.log('\nTop 5 rules by lift:');
for (let i = 0; i < Math.min(5, rules.numRows); i++) {
  const r = ruleAt(i); // the table is ordered by lift, then confidence, then support
  console.log(show(r, `{${r.antecedent.join(', ')}} → {${r.consequent.join(', ')}}`));
}
