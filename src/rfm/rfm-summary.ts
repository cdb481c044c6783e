import type { Float64, Int32, Table } from 'apache-arrow';
import { Utf8, vectorFromArray } from 'apache-arrow';
import { RunningSum } from '../math/internal';
import { asTable, getColumn, META, numberVector, readNumericVector, tableWithMetadata } from '../table/internal';

/** The columns of `rfmSummary`: one row per segment. */
export type RfmSummaryColumns = {
  segment: Utf8;
  customers: Int32;
  customerShare: Float64;
  recency: Float64;
  frequency: Float64;
  monetary: Float64;
  revenue: Float64;
  revenueShare: Float64;
};

/**
 * The segment table of an RFM analysis: per segment, how many customers, their share, their mean recency,
 * frequency and monetary value, and the segment's share of revenue — the table a CRM report opens with.
 *
 * Output columns: `segment`, `customers`, `customerShare`, `recency`, `frequency`, `monetary` (means),
 * `revenue` (sum of monetary), `revenueShare` (of the total of positive monetary values, as `abc` counts it).
 * Rows sorted by revenue descending, ties by segment name.
 *
 * Cost: O(n).
 *
 * @param rfmTable a table with `segment`, `recency`, `frequency` and `monetary` columns, as `rfm` returns
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`
 * @example
 * const report = rfmSummary(rfm(sampleStore({ customers: 200 }).transactions));
 * report.getChild('segment')?.get(0); // e.g. 'Champions'
 */
export function rfmSummary(rfmTable: unknown): Table<RfmSummaryColumns> {
  const fn = 'rfmSummary';
  const table = asTable(rfmTable);
  const segment = getColumn(table, 'segment', fn, 'segment');
  const read = (name: string) => readNumericVector(getColumn(table, name, fn, name), name, fn).values;
  const recency = read('recency');
  const frequency = read('frequency');
  const monetary = read('monetary');
  type Acc = { n: number; recency: RunningSum; frequency: RunningSum; monetary: RunningSum; positive: RunningSum };
  const groups = new Map<string, Acc>();
  const total = new RunningSum();
  for (let i = 0; i < table.numRows; i++) {
    const name = String(segment.get(i));
    let g = groups.get(name);
    if (!g)
      groups.set(
        name,
        (g = {
          n: 0,
          recency: new RunningSum(),
          frequency: new RunningSum(),
          monetary: new RunningSum(),
          positive: new RunningSum(),
        }),
      );
    g.n++;
    g.recency.add(recency[i]);
    g.frequency.add(frequency[i]);
    g.monetary.add(monetary[i]);
    const positive = monetary[i] > 0 ? monetary[i] : 0;
    g.positive.add(positive);
    total.add(positive);
  }
  const names = [...groups.keys()].sort(
    (a, b) => groups.get(b)!.monetary.value - groups.get(a)!.monetary.value || (a < b ? -1 : 1),
  );
  const n = table.numRows;
  const pick = (f: (g: Acc) => number) => numberVector(Float64Array.from(names, (name) => f(groups.get(name)!)));
  return tableWithMetadata(
    {
      segment: vectorFromArray(names, new Utf8()),
      customers: numberVector(Int32Array.from(names, (name) => groups.get(name)!.n)),
      customerShare: pick((g) => g.n / n),
      recency: pick((g) => g.recency.value / g.n),
      frequency: pick((g) => g.frequency.value / g.n),
      monetary: pick((g) => g.monetary.value / g.n),
      revenue: pick((g) => g.monetary.value),
      revenueShare: pick((g) => (total.value > 0 ? g.positive.value / total.value : 0)),
    },
    { [META.kind]: 'rfmSummary' },
  );
}
