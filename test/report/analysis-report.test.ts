import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { asTable, sampleStore } from '../../src/index';
import { analysisReport } from '../../src/report/index';
import type { AnalysisReport, ReportSection } from '../../src/report/index';
import { rejectsWith } from '../helpers/errors';

const section = (r: AnalysisReport, title: string): ReportSection => {
  const s = r.sections.find((x) => x.title.startsWith(title));
  if (!s) throw new Error(`no section "${title}" in ${r.sections.map((x) => x.title).join(', ')}`);
  return s;
};
const figure = (s: ReportSection, label: string) => s.figures?.find((f) => f.label === label)?.value;
const column = (s: ReportSection, name: string): unknown[] =>
  Array.from(asTable(s.table).getChild(name)!.toArray() as ArrayLike<unknown>);
const plain = (t: Table, name: string): unknown[] => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);
const grouped = (n: number) => n.toLocaleString('en-US');

// no-scripts keeps these tests fast and independent of the vega packages; the browser test renders the real thing
const scripts = { vega: '', vegaLite: '', vegaEmbed: '' };

describe('analysisReport on the sample store', () => {
  const store = sampleStore({ customers: 400, seed: 5 });
  let report: AnalysisReport;
  const progress: [string, number, number][] = [];
  beforeAll(async () => {
    report = await analysisReport(store.transactions, {
      basketItems: store.basketItems,
      survey: store.survey,
      k: 3,
      scripts,
      onProgress: (step, done, total) => progress.push([step, done, total]),
    });
  });

  it('has every section, each with text, a table and a chart', () => {
    expect(report.sections.map((s) => s.title)).toEqual([
      'Overview',
      'RFM segments',
      'RFM score grid',
      'ABC analysis of customers',
      'ABC analysis of products',
      'Cohort retention',
      'Customer lifetime value',
      'Customer segments (k-means, k = 3)',
      'Products bought together',
      'Customer satisfaction index (ACSI)',
      'Drivers of satisfaction',
    ]);
    for (const s of report.sections) {
      expect(s.text, s.title).toBeTruthy();
      expect(s.table, s.title).toBeDefined();
      expect(s.chart, s.title).toBeDefined();
    }
    const containers = report.html.match(/<div class="chart" data-chart=/g) ?? [];
    expect(containers.length).toBe(report.sections.length);
  });

  it('counts customers, transactions and revenue as a brute-force pass over the rows does', () => {
    const customers = plain(store.transactions, 'customer') as string[];
    const amounts = plain(store.transactions, 'amount') as number[];
    const distinct = new Set(customers).size;
    const revenue = amounts.reduce((a, b) => a + b, 0);
    const overview = section(report, 'Overview');
    expect(figure(overview, 'Customers')).toBe(grouped(distinct));
    expect(figure(overview, 'Transactions')).toBe(grouped(customers.length));
    expect(figure(overview, 'Revenue')).toBe(grouped(Math.round(revenue)));
    // the monthly table adds up to the same totals
    const monthly = column(overview, 'revenue') as number[];
    expect(monthly.reduce((a, b) => a + b, 0)).toBeCloseTo(revenue, 6);
    expect((column(overview, 'transactions') as number[]).reduce((a, b) => a + b, 0)).toBe(customers.length);
    expect((column(overview, 'newCustomers') as number[]).reduce((a, b) => a + b, 0)).toBe(distinct);
    // the RFM segments hold every customer once, and so do the cohorts
    expect((column(section(report, 'RFM segments'), 'customers') as number[]).reduce((a, b) => a + b, 0)).toBe(
      distinct,
    );
    expect((column(section(report, 'Cohort retention'), 'customers') as number[]).reduce((a, b) => a + b, 0)).toBe(
      distinct,
    );
    expect(report.html).toContain(`${grouped(distinct)} customers · ${grouped(customers.length)} transactions`);
  });

  it('counts active customers per month as a brute-force distinct count', () => {
    const customers = plain(store.transactions, 'customer') as string[];
    const dates = plain(store.transactions, 'date') as number[]; // epoch ms of Date32
    const byMonth = new Map<string, Set<string>>();
    customers.forEach((c, i) => {
      const month = new Date(dates[i]).toISOString().slice(0, 7);
      if (!byMonth.has(month)) byMonth.set(month, new Set());
      byMonth.get(month)!.add(c);
    });
    const overview = section(report, 'Overview');
    const months = column(overview, 'month') as string[];
    const active = column(overview, 'activeCustomers') as number[];
    expect(months).toEqual([...byMonth.keys()].sort());
    months.forEach((m, k) => expect(active[k], m).toBe(byMonth.get(m)!.size));
  });

  it('puts in class A the customers ranked before 80% of revenue, as a sort of the totals says', () => {
    const customers = plain(store.transactions, 'customer') as string[];
    const amounts = plain(store.transactions, 'amount') as number[];
    const totals = new Map<string, number>();
    customers.forEach((c, i) => totals.set(c, (totals.get(c) ?? 0) + amounts[i]));
    const values = [...totals.values()].sort((a, b) => b - a);
    const sum = values.reduce((a, b) => a + Math.max(0, b), 0);
    let before = 0;
    let classA = 0;
    for (const v of values) {
      if (before / sum >= 0.8) break;
      classA++;
      before += Math.max(0, v);
    }
    expect(figure(section(report, 'ABC analysis of customers'), 'Class A customers')).toBe(grouped(classA));
  });

  it('reports the top basket rule with the support, confidence and lift counted from the baskets', () => {
    const ids = plain(store.basketItems, 'transaction') as number[];
    const items = (store.basketItems.getChild('item')!.toArray() as unknown as string[]).map(String);
    const basketOf = new Map<number, Set<string>>();
    ids.forEach((t, i) => {
      if (!basketOf.has(t)) basketOf.set(t, new Set());
      basketOf.get(t)!.add(items[i]);
    });
    const all = [...basketOf.values()];
    const count = (set: string[]) => all.filter((b) => set.every((x) => b.has(x))).length;
    const rules = section(report, 'Products bought together');
    expect(figure(rules, 'Baskets')).toBe(grouped(basketOf.size));
    const table = asTable(rules.table);
    for (let r = 0; r < Math.min(5, table.numRows); r++) {
      const antecedent = Array.from(table.getChild('antecedent')!.get(r)!.toArray() as string[]);
      const consequent = Array.from(table.getChild('consequent')!.get(r)!.toArray() as string[]);
      const both = count([...antecedent, ...consequent]);
      expect(table.getChild('support')!.get(r)).toBeCloseTo(both / all.length, 12);
      expect(table.getChild('confidence')!.get(r)).toBeCloseTo(both / count(antecedent), 12);
      expect(table.getChild('lift')!.get(r)).toBeCloseTo(
        both / count(antecedent) / (count(consequent) / all.length),
        9,
      );
    }
    // the planted rule: beer and diapers go together
    expect(rules.text).toMatch(/beer|diapers/);
  });

  it('fits the survey: every answer counted, indices on 0–100', () => {
    const acsi = section(report, 'Customer satisfaction index (ACSI)');
    expect(figure(acsi, 'Respondents')).toBe(grouped(store.survey.numRows));
    for (const v of column(acsi, 'index') as number[]) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(100);
    }
    expect(column(section(report, 'Drivers of satisfaction'), 'driver')).toEqual(['expectations', 'quality', 'value']);
  });

  it('reports progress step by step, ending with done = total', () => {
    const total = progress[0][2];
    expect(progress.every(([, , t]) => t === total)).toBe(true);
    expect(progress.map(([, done]) => done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(progress.at(-1)).toEqual(['done', total, total]);
    expect(new Set(progress.map(([step]) => step)).size).toBe(progress.length);
  });
});

describe('analysisReport: line-item logs, missing data, errors', () => {
  it('sums the lines of a transaction first: a log split into line items gives the same customer figures', async () => {
    const store = sampleStore({ customers: 150, seed: 9 });
    const tx = store.transactions;
    const t = plain(tx, 'transaction') as number[];
    const c = plain(tx, 'customer') as string[];
    const d = plain(tx, 'date') as number[];
    const a = plain(tx, 'amount') as number[];
    // each transaction becomes two lines, a quarter and three quarters of its amount
    const lines = {
      transaction: t.flatMap((x) => [x, x]),
      customer: c.flatMap((x) => [x, x]),
      date: d.flatMap((x) => [new Date(x), new Date(x)]),
      amount: a.flatMap((x) => [x / 4, (3 * x) / 4]),
      item: t.flatMap(() => ['tea', 'cake']),
    };
    const whole = await analysisReport(tx, { k: 2, scripts });
    const split = await analysisReport(lines, { k: 2, scripts });
    expect(section(split, 'Overview').figures).toEqual(section(whole, 'Overview').figures);
    const rfmWhole = asTable(section(whole, 'RFM segments').table);
    const rfmSplit = asTable(section(split, 'RFM segments').table);
    expect(plain(rfmSplit, 'segment')).toEqual(plain(rfmWhole, 'segment'));
    expect(plain(rfmSplit, 'customers')).toEqual(plain(rfmWhole, 'customers'));
    (plain(rfmSplit, 'revenue') as number[]).forEach((v, k) =>
      expect(v).toBeCloseTo(plain(rfmWhole, 'revenue')[k] as number, 9),
    );
    // the lines give baskets: tea and cake are in every one
    expect(section(split, 'Products bought together').figures?.[0].value).toBe(grouped(new Set(t).size));
    expect(section(split, 'ABC analysis of products')).toBeDefined();
  });

  it('turns an analysis the data cannot support into a section that says why', async () => {
    const n = 40; // everybody buys once: no repeat buyer, so BG/NBD is not identified (nor the spend model)
    const once = {
      customer: Array.from({ length: n }, (_, i) => `c${i}`),
      date: Array.from({ length: n }, (_, i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`),
      amount: Array.from({ length: n }, (_, i) => 10 + i),
    };
    const r = await analysisReport(once, { k: 3, scripts });
    const clv = section(r, 'Customer lifetime value');
    expect(clv.chart).toBeUndefined();
    expect(clv.text).toContain('no lifetime value is shown');
    expect(clv.warnings?.join('\n')).toContain('fitBgNbd: the data do not identify the model');
    expect(figure(section(r, 'Overview'), 'Customers')).toBe('40');
  });

  it('leaves returns (negative amounts) out of the customer analyses and says how many (Online Retail has them)', async () => {
    const store = sampleStore({ customers: 150, seed: 9 });
    const tx = store.transactions;
    const c = plain(tx, 'customer') as string[];
    const d = plain(tx, 'date') as number[];
    const a = plain(tx, 'amount') as number[];
    // one customer returns more than they ever bought: a negative net total, which gini and abc refuse
    const withReturns = {
      customer: [...c, c[0], c[1]],
      date: [...d, d[0], d[1]].map((x) => new Date(x)),
      amount: [...a, -1e6, -5],
    };
    const plainReport = await analysisReport(tx, { k: 2, scripts });
    const r = await analysisReport(withReturns, { k: 2, scripts });
    expect(section(r, 'Overview').text).toContain('2 with a negative amount');
    expect(figure(section(r, 'Overview'), 'Customers')).toBe(figure(section(plainReport, 'Overview'), 'Customers'));
    expect(section(r, 'ABC analysis of customers').figures).toEqual(
      section(plainReport, 'ABC analysis of customers').figures,
    );
  });

  it("returns: 'keep' keeps a return in the overview's transactions and revenue, as customerSummary does", async () => {
    const log = {
      customer: ['a', 'a', 'b', 'b', 'c', 'c', 'a'],
      date: ['2024-01-01', '2024-02-01', '2024-01-05', '2024-03-01', '2024-01-10', '2024-02-10', '2024-03-05'],
      qty: [1, 2, 1, 1, 3, 1, -1],
      price: [10, 10, 20, 20, 5, 5, 10],
    };
    const options = { quantity: 'qty', price: 'price', k: 2, scripts };
    const excluded = section(await analysisReport(log, options), 'Overview');
    const kept = section(await analysisReport(log, { ...options, returns: 'keep' }), 'Overview');
    // by hand: 6 orders worth 10 + 20 + 20 + 20 + 15 + 5 = 90, and the return of −10
    expect([figure(excluded, 'Transactions'), figure(excluded, 'Revenue')].map(String)).toEqual(['6', '90']);
    expect([figure(kept, 'Transactions'), figure(kept, 'Revenue')].map(String)).toEqual(['7', '80']);
  });

  it('rejects bad input and options with the error code and a fix', async () => {
    await rejectsWith(
      () => analysisReport({ buyer: ['a'], date: ['2024-01-01'], amount: [1] }, { scripts }),
      'MISSING_COLUMN',
      '"customer"',
    );
    await rejectsWith(() => analysisReport({ customer: [], date: [], amount: [] }, { scripts }), 'EMPTY_INPUT');
    const tx = sampleStore({ customers: 50, seed: 1 }).transactions;
    await rejectsWith(
      () => analysisReport(tx, { k: 0 }),
      'INVALID_OPTION',
      "option k must be 'auto' or a whole number",
    );
    await rejectsWith(() => analysisReport(tx, { minSupport: 2 }), 'INVALID_OPTION', 'minSupport');
    await rejectsWith(() => analysisReport(tx, { asOf: '2024-01-01' as never }), 'INVALID_OPTION', 'asOf');
    await rejectsWith(() => analysisReport(tx, { item: 'product' }), 'MISSING_COLUMN', '"product"');
    // a survey that cannot be fitted is a note, not a failure (issue 16)
    const unfit = await analysisReport(tx, { survey: { q1: [1, 2], q2: [3, 4] }, k: 2, scripts });
    expect(unfit.notes.join(' ')).toContain('surveyBlocks');
  });

  it('leaves the input table as it was', async () => {
    const store = sampleStore({ customers: 80, seed: 4 });
    const before = JSON.stringify(store.transactions.toArray().map((r) => r.toJSON()));
    await analysisReport(store.transactions, { basketItems: store.basketItems, k: 2, scripts });
    expect(JSON.stringify(store.transactions.toArray().map((r) => r.toJSON()))).toBe(before);
  });
});
