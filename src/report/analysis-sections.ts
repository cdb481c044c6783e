import type { Table } from 'apache-arrow';
import { abc, abcSummary, gini, topShare } from '../api/abc';
import { associationRules, baskets, frequentItemsets, topRules } from '../api/basket';
import {
  clvHistogram,
  elbowChart,
  importancePerformanceChart,
  paretoChart,
  pathDiagram,
  retentionHeatmap,
  rfmHeatmap,
  rfmSegmentChart,
  rulesScatter,
  silhouetteChart,
} from '../charts/index';
import type { VegaLiteSpec } from '../charts/index';
import { averageRetention, fitBgNbd, fitGammaGamma, predictClv, summaryFromTransactions } from '../clv/internal';
import { RunningSum } from '../math/internal';
import { customerSummary, rfm, rfmBreaks, rfmSummary } from '../api/rfm';
import { importancePerformance, plsPathModel, resolveSurveyModel } from '../satisfaction/internal';
import type { PlsFit, SurveyModel, SurveyModelName, SurveyModelSpec } from '../satisfaction/internal';
import { chooseK, explainSegments, kmeans, profileSegments } from '../api/segment';
import type { ChooseKResult } from '../segment/internal';
import {
  asTable,
  ClienteleError,
  droppedRows,
  isClienteleError,
  isoDate,
  NO_DATE,
  readDates,
  readKeys,
  readNumeric,
} from '../table/internal';
import type { DropReport } from '../table/internal';
import { formatNumber } from './html';
import type { LogColumns } from './log-columns';
import { monthlyChart, partialMonthNote, segmentScatter, withCoverage } from './overview-chart';
import type { MonthRow } from './overview-chart';
import type { ReportSection } from './render-report';

/*
 * The sections of `analysisReport`, one builder per analysis. Internal: each takes the prepared inputs, runs the
 * analysis through the public functions of its module, and returns sections with text, figures, a table and a chart.
 */

/** 0.1834 → '18.3%'. */
const pct = (x: number, digits = 1): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '–');
/** Money and counts: grouped, no decimals. */
export const whole = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const asNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
const percentCell = (v: unknown): string => pct(asNumber(v));
const wholeCell = (v: unknown): string => whole(asNumber(v));
const fixed =
  (digits: number) =>
  (v: unknown): string =>
    Number.isFinite(asNumber(v)) ? asNumber(v).toFixed(digits) : '–';

/** A section that says why an analysis was left out, instead of failing the whole report. */
function skipped(title: string, error: unknown): ReportSection {
  if (!isClienteleError(error)) throw error;
  return { title, text: `This analysis could not be run on these data: ${error.message}` };
}

/** Rows dropped by reason, in words: "12 rows with a null customer, 3 with an unreadable date". */
function droppedText(report: DropReport): string {
  const words: Record<string, string> = {
    nullCustomer: 'a null customer',
    invalidDate: 'an unreadable date',
    invalidAmount: 'a missing amount',
    negativeAmount: 'a negative amount',
    afterAsOf: 'a date after the as-of date',
  };
  const parts = Object.entries(report.dropped)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${whole(n as number)} with ${words[reason] ?? reason}`);
  return parts.length === 0 ? 'No row was left out.' : `Rows left out: ${parts.join(', ')}.`;
}

/** What the overview computes and later sections reuse. */
export interface Overview {
  readonly section: ReportSection;
  readonly summary: Table;
  readonly customers: number;
  readonly transactions: number;
  readonly revenue: number;
  readonly first: string;
  readonly last: string;
}

/** Customer summary of the log, monthly revenue and activity (from the retention curve), dropped rows. */
export function overviewSection(
  tx: Table,
  cols: LogColumns,
  asOf: Date | undefined,
  curve: Table | undefined,
  fn: string,
): Overview {
  const summary = customerSummary(tx, {
    customer: cols.customer,
    date: cols.date,
    amount: cols.amount,
    asOf,
    returns: cols.returns,
  });
  const { customers, transactions, revenue, first, last } = summaryTotals(summary, fn);
  const byMonth = monthlyTotals(tx, cols, asOf, fn);
  const { active, fresh } = monthlyCustomers(curve, fn);
  const rows: MonthRow[] = [...byMonth.keys()].sort().map((month) => ({
    month,
    revenue: byMonth.get(month)!.revenue.value,
    transactions: byMonth.get(month)!.transactions,
    customers: active.get(month) ?? 0,
    newCustomers: fresh.get(month) ?? 0,
  }));
  // the observed period: the first purchase day to the as-of day (or the last purchase day without one)
  const end = asOf && asOf.getTime() >= Date.parse(`${last}T00:00:00Z`) ? asOf.toISOString().slice(0, 10) : last;
  const months = withCoverage(rows, first, end);
  const partialNote = partialMonthNote(months, first, end);
  const report = droppedRows(summary);
  const section: ReportSection = {
    title: 'Overview',
    figures: [
      { label: 'Customers', value: whole(customers) },
      { label: 'Transactions', value: whole(transactions) },
      { label: 'Revenue', value: whole(revenue) },
      { label: 'Revenue per customer', value: whole(revenue / customers) },
    ],
    text:
      `${whole(customers)} customers made ${whole(transactions)} transactions worth ${whole(revenue)} between ${first} and ${last}: ` +
      `${formatNumber(transactions / customers)} transactions and ${whole(revenue / customers)} of revenue per customer on average. ` +
      `${report.total > 0 ? `${droppedText(report)} ` : ''}The chart shows revenue (bars) and active customers (line) month by month.` +
      (partialNote ? `\n\n${partialNote}` : ''),
    chart: months.length > 0 ? monthlyChart(months) : undefined,
    table: {
      month: months.map((m) => m.month.slice(0, 7)),
      revenue: months.map((m) => m.revenue),
      transactions: months.map((m) => m.transactions),
      activeCustomers: months.map((m) => m.customers),
      newCustomers: months.map((m) => m.newCustomers),
      ...(partialNote ? { daysCovered: months.map((m) => `${m.days} of ${m.daysInMonth}`) } : {}),
    },
    maxRows: 36,
    format: { revenue: wholeCell },
  };
  return { section, summary, customers, transactions, revenue, first, last };
}

/** Compute: customers, transactions, revenue and the first and last purchase day of a customer summary. */
function summaryTotals(summary: Table, fn: string) {
  const customers = summary.numRows;
  const counts = readNumeric(summary, 'count', fn, 'count').values;
  const monetary = readNumeric(summary, 'monetary', fn, 'monetary').values;
  const revenueSum = new RunningSum();
  let transactions = 0;
  for (let i = 0; i < customers; i++) {
    transactions += counts[i];
    revenueSum.add(monetary[i]);
  }
  const revenue = revenueSum.value;
  const firstDays = readDates(summary, 'first', fn, 'first').days;
  const lastDays = readDates(summary, 'last', fn, 'last').days;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < customers; i++) {
    if (firstDays[i] !== NO_DATE && firstDays[i] < lo) lo = firstDays[i];
    if (lastDays[i] !== NO_DATE && lastDays[i] > hi) hi = lastDays[i];
  }
  return { customers, transactions, revenue, first: isoDate(lo), last: isoDate(hi) };
}

/** Compute: revenue and transactions per calendar month (keyed `YYYY-MM-01`). */
function monthlyTotals(tx: Table, cols: LogColumns, asOf: Date | undefined, fn: string) {
  // revenue and transactions per calendar month over the rows the summary kept (customer, date, amount present)
  const keys = readKeys(tx, cols.customer, fn, 'customer').codes;
  const days = readDates(tx, cols.date, fn, 'date').days;
  const amount = readNumeric(tx, cols.amount, fn, 'amount').values;
  const asOfDay = asOf ? Math.floor(asOf.getTime() / 86_400_000) : Infinity;
  const monthOfDay = new Map<number, string>();
  const byMonth = new Map<string, { revenue: RunningSum; transactions: number }>();
  for (let i = 0; i < tx.numRows; i++) {
    const day = days[i];
    if (keys[i] < 0 || day === NO_DATE || day > asOfDay || !Number.isFinite(amount[i])) continue;
    let month = monthOfDay.get(day);
    if (month === undefined) monthOfDay.set(day, (month = `${isoDate(day).slice(0, 7)}-01`));
    let m = byMonth.get(month);
    if (!m) byMonth.set(month, (m = { revenue: new RunningSum(), transactions: 0 }));
    m.revenue.add(amount[i]);
    m.transactions++;
  }
  return byMonth;
}

/** Compute: active and new customers per month from the retention curve (none without one). */
function monthlyCustomers(curve: Table | undefined, fn: string) {
  // active and new customers per month from the retention curve: active(month) = Σ over cohorts c ≤ month of active(c, month − c)
  const active = new Map<string, number>();
  const fresh = new Map<string, number>();
  if (curve) {
    const cohort = readDates(curve, 'cohort', fn, 'cohort').days;
    const offset = readNumeric(curve, 'offset', fn, 'offset').values;
    const act = readNumeric(curve, 'active', fn, 'active').values;
    const size = readNumeric(curve, 'customers', fn, 'customers').values;
    for (let i = 0; i < curve.numRows; i++) {
      const start = isoDate(cohort[i]);
      const y = Number(start.slice(0, 4));
      const m0 = Number(start.slice(5, 7)) - 1 + offset[i];
      const month = `${y + Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, '0')}-01`;
      active.set(month, (active.get(month) ?? 0) + act[i]);
      if (offset[i] === 0) fresh.set(month, size[i]);
    }
  }
  return { active, fresh };
}

/** The words of an interval of a score's breaks: score range j of `breaks` (closed on the right). */
function intervalText(breaks: readonly number[], j: number): string {
  const n = breaks.length;
  if (n === 0) return 'all';
  if (j === 0) return `up to ${formatNumber(breaks[0])}`;
  if (j === n) return `over ${formatNumber(breaks[n - 1])}`;
  return breaks[j - 1] === breaks[j]
    ? 'none (tied values)'
    : `over ${formatNumber(breaks[j - 1])}, up to ${formatNumber(breaks[j])}`;
}

/** RFM scores and named segments: the segment table with its chart, then the R × F grid with the score breaks. */
export function rfmSections(
  tx: Table,
  cols: LogColumns,
  asOf: Date | undefined,
): { sections: ReportSection[]; scored: Table } {
  const scored = rfm(tx, {
    customer: cols.customer,
    date: cols.date,
    amount: cols.amount,
    asOf,
    returns: cols.returns,
  });
  const summary = rfmSummary(scored);
  const asOfText = scored.schema.metadata.get('clientele.asOf') ?? '';
  const rows = summary.toArray().map(
    (r) =>
      r.toJSON() as {
        segment: string;
        customers: number;
        customerShare: number;
        revenueShare: number;
        recency: number;
      },
  );
  const top = rows[0];
  const atRisk = rows.filter((r) => r.segment === 'At Risk' || r.segment === "Can't Lose Them");
  const atRiskCustomers = atRisk.reduce((s, r) => s + r.customers, 0);
  const atRiskRevenue = atRisk.reduce((s, r) => s + r.revenueShare, 0);
  const lines = [
    `${whole(scored.numRows)} customers scored 1–5 on recency (R, 5 = most recent), frequency (F) and monetary value (M) by quintiles, as of ${asOfText}, and named by the standard R × FM grid.`,
    `${top.segment} is the segment that brings the most revenue: ${pct(top.customerShare)} of customers bring ${pct(top.revenueShare)} of revenue.`,
  ];
  if (atRiskCustomers > 0) {
    lines.push(
      `${whole(atRiskCustomers)} customers (At Risk and Can't Lose Them) used to buy often but have not bought for a while; they brought ${pct(atRiskRevenue)} of revenue and are the first audience of a win-back campaign.`,
    );
  }
  const segments: ReportSection = {
    title: 'RFM segments',
    figures: [
      { label: 'Customers scored', value: whole(scored.numRows) },
      { label: 'Segments', value: summary.numRows },
      { label: `${top.segment}: revenue share`, value: pct(top.revenueShare) },
    ],
    text: lines.join('\n\n'),
    chart: rfmSegmentChart(summary),
    table: summary,
    format: {
      customerShare: percentCell,
      revenueShare: percentCell,
      revenue: wholeCell,
      recency: fixed(0),
      frequency: fixed(1),
      monetary: wholeCell,
    },
  };
  const breaks = rfmBreaks(scored);
  const bins = breaks.frequency.length + 1;
  const scores = Array.from({ length: bins }, (_, k) => bins - k);
  const grid: ReportSection = {
    title: 'RFM score grid',
    text:
      'Customers by recency score (R) and frequency score (F); the colour counts customers. The table gives the value ranges ' +
      'behind each score: quintile breaks, intervals closed on the right, ties sharing the lower score (so with many ' +
      'one-time buyers some frequency scores stay empty).',
    chart: rfmHeatmap(scored),
    table: {
      score: scores,
      recencyDays: scores.map((s) => intervalText(breaks.recency, bins - s)),
      frequency: scores.map((s) => intervalText(breaks.frequency, s - 1)),
      monetary: scores.map((s) => intervalText(breaks.monetary, s - 1)),
    },
  };
  return { sections: [segments, grid], scored };
}

/** ABC classification and Pareto curve of customers by revenue. */
export function customerAbcSection(summary: Table): ReportSection {
  const classes = abc(summary, { key: 'customer', value: 'monetary' });
  const monetary = summary.getChild('monetary')!;
  const top20 = topShare(monetary, 0.2);
  const g = gini(monetary);
  const classRows = abcSummary(classes);
  const a = classRows
    .toArray()
    .map((r) => r.toJSON() as { class: string; keys: number; keyShare: number; valueShare: number })
    .find((r) => r.class === 'A');
  return {
    title: 'ABC analysis of customers',
    figures: [
      { label: 'Revenue from the top 20%', value: pct(top20) },
      { label: 'Gini of revenue', value: g.toFixed(3) },
      { label: 'Class A customers', value: a ? whole(a.keys) : 0 },
    ],
    text:
      `The top 20% of customers bring ${pct(top20)} of revenue (Gini coefficient ${g.toFixed(3)}; 0 would be an even spread). ` +
      (a
        ? `Class A — the customers who together bring the first 80% of revenue — is ${pct(a.keyShare)} of customers (${whole(a.keys)}). `
        : '') +
      'Classes: A up to 80% of cumulative revenue, B up to 95%, C the rest; customers ranked by revenue.',
    chart: paretoChart(classes, { keys: 'customers', value: 'revenue' }),
    table: classRows,
    format: { keyShare: percentCell, valueShare: percentCell, value: wholeCell },
  };
}

/** ABC of products: by line amount when the lines carry one, else by the number of baskets holding the product. */
export function itemAbcSection(lines: Table, item: string, amount: string | undefined, fn: string): ReportSection {
  const names = lines.getChild(item);
  if (!names)
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "${item}" (option item) is not in the basket lines; pass the name of the item column as { item: '…' }`,
      { column: item },
    );
  const byAmount = amount !== undefined && lines.getChild(amount) !== null;
  const values = byAmount ? readNumeric(lines, amount!, fn, 'amount').values : new Float64Array(lines.numRows).fill(1);
  const classes = abc({ item: names, value: values }, { key: 'item', value: 'value' });
  const measure = byAmount ? 'revenue' : 'purchases';
  const summary = abcSummary(classes);
  const a = summary
    .toArray()
    .map((r) => r.toJSON() as { class: string; keys: number; keyShare: number; valueShare: number })
    .find((r) => r.class === 'A');
  const top =
    classes.numRows > 0
      ? { key: String(classes.getChild('key')!.get(0)), share: Number(classes.getChild('share')!.get(0)) }
      : undefined;
  return {
    title: 'ABC analysis of products',
    figures: [
      { label: 'Products', value: whole(classes.numRows) },
      { label: 'Class A products', value: a ? whole(a.keys) : 0 },
      { label: `${measure} from the top 20%`, value: pct(topShare(classes.getChild('value')!, 0.2)) },
    ],
    text:
      `Products ranked by ${byAmount ? 'revenue' : 'how often they were bought (basket lines; the lines carry no amount)'}. ` +
      (a
        ? `Class A — ${whole(a.keys)} of ${whole(classes.numRows)} products — brings ${pct(a.valueShare)} of ${measure}. `
        : '') +
      (top ? `The leading product, ${top.key}, alone brings ${pct(top.share)}.` : ''),
    chart: paretoChart(classes, { keys: 'products', value: measure }),
    table: {
      rank: classes.getChild('rank')!,
      product: classes.getChild('key')!,
      [measure]: classes.getChild('value')!,
      share: classes.getChild('share')!,
      cumulativeShare: classes.getChild('cumulativeShare')!,
      class: classes.getChild('class')!,
    },
    maxRows: 15,
    format: { share: percentCell, cumulativeShare: percentCell, ...(byAmount ? { [measure]: wholeCell } : {}) },
  };
}

/** Cohort retention: the heatmap and a cohort table with retention after 1, 3, 6 and 12 months. */
export function retentionSection(curve: Table, fn: string): ReportSection {
  const cohort = readDates(curve, 'cohort', fn, 'cohort').days;
  const offset = readNumeric(curve, 'offset', fn, 'offset').values;
  const size = readNumeric(curve, 'customers', fn, 'customers').values;
  const retention = readNumeric(curve, 'retention', fn, 'retention').values;
  const at = [1, 3, 6, 12];
  const cohorts = new Map<number, { customers: number; r: (number | null)[] }>();
  for (let i = 0; i < curve.numRows; i++) {
    let c = cohorts.get(cohort[i]);
    if (!c) cohorts.set(cohort[i], (c = { customers: size[i], r: at.map(() => null) }));
    const k = at.indexOf(offset[i]);
    if (k >= 0) c.r[k] = retention[i];
  }
  const days = [...cohorts.keys()].sort((a, b) => a - b);
  let average = NaN;
  try {
    average = averageRetention(curve);
  } catch (e) {
    if (!isClienteleError(e)) throw e;
  }
  const one = days.map((d) => cohorts.get(d)!.r[0]).filter((v): v is number => v !== null);
  const meanFirst = one.length ? one.reduce((s, v) => s + v, 0) / one.length : NaN;
  const table: Record<string, unknown[]> = {
    cohort: days.map((d) => isoDate(d).slice(0, 7)),
    customers: days.map((d) => cohorts.get(d)!.customers),
  };
  at.forEach((m, k) => (table[`month${m}`] = days.map((d) => cohorts.get(d)!.r[k])));
  return {
    title: 'Cohort retention',
    figures: [
      { label: 'Cohorts', value: days.length },
      { label: 'Active in month 1', value: pct(meanFirst) },
      { label: 'Month-to-month retention', value: pct(average) },
    ],
    text:
      `Customers grouped by the month of their first purchase (cohort); a cell is the share of the cohort that bought in that month. ` +
      (Number.isFinite(meanFirst)
        ? `On average ${pct(meanFirst)} of a cohort buys again in the month after its first` +
          (Number.isFinite(average)
            ? `, and the pooled month-to-month retention is ${pct(average)} — the rate a simple retention CLV model would use. `
            : '. ')
        : 'The log does not reach past the first month of any cohort yet, so no retention can be measured. ') +
      'The table shows the share active 1, 3, 6 and 12 months after the first purchase.',
    chart: retentionHeatmap(curve),
    table,
    maxRows: 36,
    format: Object.fromEntries(at.map((m) => [`month${m}`, percentCell])),
  };
}

/** CLV from BG/NBD + Gamma-Gamma over the next 52 weeks, discounted 1% a month. */
export function clvSection(tx: Table, cols: LogColumns, asOf: Date | undefined, margin: number): ReportSection {
  const title = 'Customer lifetime value';
  try {
    const calibrationEnd = asOf ? isoDate(Math.floor(asOf.getTime() / 86_400_000)) : undefined;
    const summary = summaryFromTransactions(tx, {
      customer: cols.customer,
      date: cols.date,
      amount: cols.amount,
      unit: 'week',
      calibrationEnd,
      returns: cols.returns,
    });
    // fits the data do not identify (or whose search did not settle) are kept to be shown as such, not as values
    const allow = { allowUnidentified: true, allowNonConvergence: true };
    const bg = fitBgNbd(summary, allow);
    let gg: ReturnType<typeof fitGammaGamma>;
    try {
      gg = fitGammaGamma(summary, allow);
    } catch (e) {
      // with a purchase model already flagged, the warning box says both; otherwise the section says why it is out
      if (bg.warnings.length === 0 || !isClienteleError(e)) throw e;
      return unreliableClv(title, [...bg.warnings, e.message], bg, undefined);
    }
    const warnings = [...bg.warnings, ...gg.warnings];
    if (warnings.length > 0) return unreliableClv(title, warnings, bg, gg);
    const value = predictClv(bg, gg, summary, { horizon: 52, period: 52 / 12, discountRate: 0.01, margin });
    const clv = value.getChild('clv')!.toArray() as Float64Array;
    const total = new RunningSum();
    for (const v of clv) total.add(v);
    const order = Int32Array.from({ length: value.numRows }, (_, i) => i).sort((a, b) => clv[b] - clv[a] || a - b);
    const topN = Array.from(order.subarray(0, Math.min(15, order.length)));
    const ids = value.getChild('customer')!;
    const p = bg.params as unknown as Record<string, number>;
    const q = gg.params as unknown as Record<string, number>;
    const params = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ');
    const marginText = margin === 1 ? 'revenue (margin 100%)' : `margin ${pct(margin, 0)} of revenue`;
    return {
      title,
      figures: [
        { label: 'Expected value, next 52 weeks', value: whole(total.value) },
        { label: 'Per customer', value: formatNumber(total.value / value.numRows) },
        { label: 'Share of the top 10%', value: pct(topShare(clv, 0.1)) },
      ],
      text:
        `Expected ${marginText} per customer over the next 52 weeks, discounted 1% a month: how often each customer will buy from ` +
        `a BG/NBD model (${params(p)}; weeks) and how much from a Gamma-Gamma model (${params(q)}, fitted on ${whole(gg.customers)} repeat buyers). ` +
        `Today's ${whole(value.numRows)} customers are expected to bring ${whole(total.value)}; the top 10% of them ${pct(topShare(clv, 0.1))} of it. ` +
        'The table lists the most valuable customers, with the probability that each is still a customer (pAlive) and the purchases expected of them in the next 52 weeks.',
      chart: clvHistogram(value),
      table: {
        customer: topN.map((i) => String(ids.get(i))),
        pAlive: topN.map((i) => value.getChild('pAlive')!.get(i) as number),
        expectedPurchases: topN.map((i) => value.getChild('expectedPurchases')!.get(i) as number),
        expectedSpend: topN.map((i) => value.getChild('expectedSpend')!.get(i) as number),
        clv: topN.map((i) => clv[i]),
      },
      format: { pAlive: percentCell, expectedPurchases: fixed(2), expectedSpend: fixed(2), clv: fixed(2) },
    };
  } catch (e) {
    return skipped(title, e);
  }
}

/**
 * The CLV section of fits that cannot be trusted: a warning box with each fit's warnings, the parameters found, and
 * no values (they would be read as forecasts).
 */
function unreliableClv(
  title: string,
  warnings: readonly string[],
  bg: { params: object; identified: boolean },
  gg: { params: object; identified: boolean } | undefined,
): ReportSection {
  const params = (o: object) =>
    Object.entries(o as Record<string, number>)
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join(', ');
  const what = bg.identified && gg?.identified !== false ? 'did not converge' : 'are not identified by these data';
  const spend = gg ? `; Gamma-Gamma ${params(gg.params)}` : ' (the spend model could not be fitted)';
  return {
    title,
    // the library's way out (an option to pass) means nothing to the reader of a report
    warnings: warnings.map((w) =>
      w
        .replace(/^[A-Z_]+: /, '')
        .replace(/,? or pass allowUnidentified: true to get the fit marked identified: false/, '')
        .replace(/; raise maxIterations .*allowNonConvergence: true to get the last point/, ''),
    ),
    text:
      `The purchase (BG/NBD) and spend (Gamma-Gamma) models ${what}, so no lifetime value is shown: values from such a ` +
      `fit are not forecasts. Parameters found: BG/NBD ${params(bg.params)}${spend}. ` +
      'A longer log, or more customers who buy more than once, usually identifies them; the other sections do not depend on this one.',
  };
}

/** The feature table k-means segments on: recency, log frequency, log spend (and the raw ones to describe them). */
export function segmentFeatures(scored: Table): Record<string, unknown> {
  const recency = Float64Array.from(scored.getChild('recency')!.toArray() as ArrayLike<number>);
  const frequency = Float64Array.from(scored.getChild('frequency')!.toArray() as ArrayLike<number>);
  const monetary = Float64Array.from(scored.getChild('monetary')!.toArray() as ArrayLike<number>);
  return {
    recency,
    frequency,
    monetary,
    logFrequency: Float64Array.from(frequency, Math.log1p),
    // spend can be negative for a customer with net returns: log1p of the positive part
    logMonetary: Float64Array.from(monetary, (m) => Math.log1p(m > 0 ? m : 0)),
    segment: scored.getChild('segment')!,
  };
}

const SEGMENT_COLUMNS = ['recency', 'logFrequency', 'logMonetary'] as const;

/** Two complete Vega-Lite specs drawn side by side as one (each keeps its own data, title and size). */
function sideBySide(left: VegaLiteSpec, right: VegaLiteSpec): VegaLiteSpec {
  // each keeps its title but not a subtitle (the section text says it), so the pair fits the page width
  const strip = (spec: VegaLiteSpec) =>
    Object.fromEntries(
      Object.entries(spec)
        .filter(([key]) => key !== '$schema')
        .map(([key, v]) => [key, key === 'title' && v && typeof v === 'object' ? (v as { text?: unknown }).text : v]),
    );
  return {
    $schema: left.$schema,
    hconcat: [strip(left), strip(right)],
    spacing: 40,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}

/** chooseK over k = 2 … 8 on the RFM features. */
export function chooseKSection(
  features: Record<string, unknown>,
  seed: number,
): { section: ReportSection; choice?: ChooseKResult } {
  const title = 'Choosing the number of segments';
  try {
    const choice = chooseK(features, {
      columns: SEGMENT_COLUMNS,
      kRange: [2, 8],
      seed,
      nInit: 4,
      silhouetteSample: 2000,
    });
    return {
      choice,
      section: {
        title,
        figures: [{ label: 'Segments chosen', value: choice.k }],
        text:
          `k-means was fitted for k = 2 … 8 on recency, log frequency and log spend (z-scored). ${choice.reason}. ` +
          'The charts show the elbow of the inertia curve and the mean silhouette of each k (higher is better).',
        chart: sideBySide(elbowChart(choice), silhouetteChart(choice)),
        ...(choice.warnings.length > 0 ? { warnings: choice.warnings } : {}),
        table: choice.scores,
        format: { inertia: wholeCell, silhouette: fixed(3), calinskiHarabasz: wholeCell, daviesBouldin: fixed(3) },
      },
    };
  } catch (e) {
    return { section: skipped(title, e) };
  }
}

/** k-means segments of the customers, profiled and explained in words. */
export function segmentSection(features: Record<string, unknown>, k: number, seed: number): ReportSection {
  const title = `Customer segments (k-means, k = ${k})`;
  try {
    const seg = kmeans(features, { columns: SEGMENT_COLUMNS, k, seed });
    const profile = profileSegments(features, seg, { columns: ['recency', 'frequency', 'monetary'] });
    const words = explainSegments(features, seg, {
      columns: ['recency', 'frequency', 'monetary'],
      maxDepth: 2,
      units: { recency: 'days' },
      seed,
    });
    const rows = profile.toArray().map((r) => r.toJSON() as Record<string, number | string>);
    const described = rows.map(
      (p) =>
        `- Segment ${p.segment}: ${pct(p.share as number)} of customers, median recency ${(p.recencyMedian as number).toFixed(0)} days, ` +
        `${(p.frequencyMean as number).toFixed(1)} purchases and ${whole(p.monetaryMean as number)} spent on average${p.rfmMix ? ` — ${p.rfmMix}` : ''}.`,
    );
    return {
      title,
      figures: [
        { label: 'Segments', value: seg.k },
        { label: 'Rules that describe them', value: words.leaves },
        { label: 'Customers their rule fits', value: pct(words.accuracy) },
      ],
      text:
        `Customers clustered on recency, log frequency and log spend (z-scored; best of ${seg.runs.length} k-means++ runs).\n\n` +
        `${described.join('\n')}\n\n` +
        `In words (a depth-2 decision tree; ${pct(words.accuracy)} of customers are in their rule's segment):\n\n` +
        words.text.map((t) => `- ${t}`).join('\n'),
      chart: segmentScatter(features, seg.labels),
      ...(seg.warnings.length > 0 ? { warnings: seg.warnings } : {}),
      table: {
        segment: rows.map((p) => p.segment),
        customers: rows.map((p) => p.size),
        share: rows.map((p) => p.share),
        recencyMedian: rows.map((p) => p.recencyMedian),
        frequencyMean: rows.map((p) => p.frequencyMean),
        monetaryMean: rows.map((p) => p.monetaryMean),
        ...(rows[0]?.rfmMix !== undefined ? { rfmSegments: rows.map((p) => p.rfmMix) } : {}),
      },
      format: { share: percentCell, recencyMedian: fixed(0), frequencyMean: fixed(1), monetaryMean: wholeCell },
    };
  } catch (e) {
    return skipped(title, e);
  }
}

/** Association rules of the baskets: the top rules by lift, a support × confidence scatter. */
export function rulesSection(lines: Table, cols: LogColumns, minSupport: number, minConfidence: number): ReportSection {
  const title = 'Products bought together';
  try {
    const b = baskets(lines, { transaction: cols.transaction, item: cols.item });
    const rules = associationRules(frequentItemsets(b, { minSupport }), { minConfidence });
    const settings = `support ≥ ${pct(minSupport, 1)}, confidence ≥ ${pct(minConfidence, 0)}`;
    if (rules.numRows === 0) {
      return {
        title,
        text: `${whole(b.count)} baskets; no rule reaches ${settings}. Lower minSupport or minConfidence to see weaker associations.`,
      };
    }
    const top = topRules(rules, 15);
    const best = top.get(0)!.toJSON() as unknown as {
      antecedent: { toArray(): string[] };
      consequent: { toArray(): string[] };
      confidence: number;
      lift: number;
      support: number;
    };
    const side = (v: { toArray(): string[] }) => Array.from(v.toArray()).join(' and ');
    return {
      title,
      figures: [
        { label: 'Baskets', value: whole(b.count) },
        { label: 'Rules found', value: whole(rules.numRows) },
        { label: 'Highest lift', value: best.lift.toFixed(2) },
      ],
      text:
        `${whole(b.count)} baskets of ${whole(b.names.length)} products; ${whole(rules.numRows)} rules at ${settings}. ` +
        `The strongest: baskets with ${side(best.antecedent)} also hold ${side(best.consequent)} ${pct(best.confidence, 0)} of the time, ` +
        `${best.lift.toFixed(1)} times as often as baskets in general (support ${pct(best.support)}). The table lists the top rules by lift.`,
      chart: rulesScatter(rules),
      table: top.select(['antecedent', 'consequent', 'support', 'confidence', 'lift', 'count']),
      format: { support: percentCell, confidence: percentCell, lift: fixed(2) },
    };
  } catch (e) {
    return skipped(title, e);
  }
}

/** What the satisfaction sections need of the options: the survey's model, blocks and answer scale. */
export interface SurveySettings {
  readonly model?: SurveyModelName | SurveyModelSpec;
  readonly blocks?: Readonly<Record<string, readonly string[]>>;
  readonly scale?: readonly [number, number];
}

/** The construct the report centres on: `satisfaction` when the model has it, else the endogenous one with most drivers. */
function targetConstruct(fit: PlsFit): string {
  const { latent, paths, causalOrder } = fit.model;
  if (latent.includes('satisfaction')) return 'satisfaction';
  const named = latent.find((lv) => /^(sat|cusa)/i.test(lv));
  if (named !== undefined) return named;
  let best = causalOrder[causalOrder.length - 1];
  let most = 0;
  for (const lv of causalOrder) {
    const drivers = paths.filter(([, to]) => to === lv).length;
    if (drivers >= most) {
      most = drivers;
      best = lv;
    }
  }
  return best;
}

/**
 * The satisfaction sections: the survey's path model (ACSI by default; `surveyModel`) fitted by PLS, then the
 * importance–performance map of satisfaction. A survey that cannot be fitted — a construct without columns, a
 * constant question, too few respondents, no convergence: any `ClienteleError` but a malformed option — gives one
 * section that says why, and a note; a malformed option (`INVALID_OPTION`) is the caller's error and is thrown.
 */
export function satisfactionSections(
  survey: unknown,
  settings: SurveySettings,
  fn: string,
): { sections: ReportSection[]; notes: string[] } {
  const title = 'Customer satisfaction index';
  let found: SurveyModel;
  let fit: PlsFit;
  try {
    const table = asTable(survey);
    found = resolveSurveyModel(table, settings.model, settings.blocks, fn, {
      model: 'surveyModel',
      blocks: 'surveyBlocks',
    });
    fit = plsPathModel(table, found.model, settings.scale ? { scale: settings.scale } : {});
  } catch (e) {
    if (!isClienteleError(e) || e.code === 'INVALID_OPTION') throw e;
    const note = `the satisfaction sections are left out: the survey could not be fitted (${e.message})`;
    return {
      sections: [{ title, text: `This section is left out: the survey could not be fitted. ${e.message}` }],
      notes: [note],
    };
  }
  const notes =
    found.omitted.length === 0
      ? []
      : [
          `the survey has no column for ${found.omitted.join(', ')}, left out of the satisfaction model with the paths ${found.droppedPaths
            .map(([f, t]) => `${f} → ${t}`)
            .join(', ')}`,
        ];
  return { sections: [indexSection(found, fit, notes), driversSection(fit)], notes };
}

/** The index section: the model in words, key figures, the path diagram and each construct's index and reliability. */
function indexSection(found: SurveyModel, fit: PlsFit, notes: readonly string[]): ReportSection {
  const latent = fit.model.latent;
  const index = fit.index;
  const target = targetConstruct(fit);
  const paths = fit.paths as Record<string, Record<string, number>>;
  const drivers = fit.model.paths.filter(([, to]) => to === target).map(([from]) => from);
  const pathText = drivers.map((from) => `${from} ${paths[from][target].toFixed(2)}`).join(', ');
  const modelText =
    found.name === 'acsi'
      ? 'The ACSI model (Fornell et al. 1996): expectations, quality and value drive satisfaction, which drives complaints and loyalty.'
      : found.name === 'ecsi'
        ? 'The ECSI model (Tenenhaus et al. 2005): image and the ACSI chain of expectations, quality and value drive satisfaction, which drives loyalty.'
        : `A path model of ${latent.length} constructs (${latent.join(', ')}).`;
  const loyalty = latent.find((lv) => lv === 'loyalty');
  return {
    title: `Customer satisfaction index (${found.name === 'custom' ? 'path model' : found.name.toUpperCase()})`,
    figures: [
      { label: `${target} index (0–100)`, value: index[target].toFixed(1) },
      ...(loyalty ? [{ label: 'Loyalty index (0–100)', value: index[loyalty].toFixed(1) }] : []),
      { label: `R² of ${target}`, value: (fit.rSquared[target] ?? 0).toFixed(3) },
      { label: 'Respondents', value: whole(fit.respondents) },
    ],
    text:
      `${modelText} Fitted by PLS path modelling on ${whole(fit.respondents)} survey answers. ` +
      (notes.length > 0 ? `Note: ${notes.join('; ')}. ` : '') +
      `${target} scores ${index[target].toFixed(1)} of 100` +
      (pathText ? `; its direct paths: ${pathText}` : '') +
      `; R² ${(fit.rSquared[target] ?? 0).toFixed(3)}, goodness of fit ${fit.gof.toFixed(3)}. ` +
      'The table gives each construct’s 0–100 index, R² and reliability (Cronbach’s α, Dillon–Goldstein’s ρ, average variance extracted; α and ρ ≥ 0.7 and AVE ≥ 0.5 are the usual thresholds).',
    chart: pathDiagram(fit),
    table: {
      construct: latent,
      index: latent.map((lv) => index[lv]),
      rSquared: latent.map((lv) => fit.rSquared[lv] ?? null),
      cronbachAlpha: latent.map((lv) => fit.reliability[lv]?.cronbachAlpha ?? null),
      dillonGoldsteinRho: latent.map((lv) => fit.reliability[lv]?.dillonGoldsteinRho ?? null),
      ave: latent.map((lv) => fit.reliability[lv]?.ave ?? null),
    },
    format: {
      index: fixed(1),
      rSquared: fixed(3),
      cronbachAlpha: fixed(3),
      dillonGoldsteinRho: fixed(3),
      ave: fixed(3),
    },
  };
}

/** The importance–performance map of the target construct's drivers (a section that says why when it cannot be drawn). */
function driversSection(fit: PlsFit): ReportSection {
  const target = targetConstruct(fit);
  const title = `Drivers of ${target}`;
  try {
    const ipma = importancePerformance(fit, target);
    const drivers = ipma
      .toArray()
      .map((r) => r.toJSON() as { driver: string; importance: number; performance: number; quadrant: string });
    const focus = drivers.filter((d) => d.quadrant === 'concentrate here').map((d) => d.driver);
    const strongest = [...drivers].sort((a, b) => b.importance - a.importance)[0];
    const map: ReportSection = {
      title,
      text:
        `Each driver’s importance is its total effect on ${target}, its performance its 0–100 index; the dashed lines are the means. ` +
        `${strongest ? `The most important driver is ${strongest.driver} (total effect ${strongest.importance.toFixed(2)}). ` : ''}` +
        (focus.length > 0
          ? `Concentrate here (important but under-performing): ${focus.join(', ')}.`
          : 'No driver is both above-average in importance and below-average in performance.'),
      chart: importancePerformanceChart(ipma),
      table: ipma,
      format: { importance: fixed(3), performance: fixed(1) },
    };
    return map;
  } catch (e) {
    return skipped(title, e);
  }
}
