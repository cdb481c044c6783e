import { describe, expect, it } from 'vitest';
import { abc, customerSummary, droppedRows, rfm, topShare } from '../../src/index';
import { col, findIntervalLeftOpen, rQuantile7 } from '../helpers/reference';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';

/**
 * Conformance on real purchase logs from datasets/ (gzipped in the repository), each checked against an independent computation
 * written here from the raw text (plain JS Maps and Date.UTC, no library code) and against the published shape.
 */

const cdnowPath = dataset('CDNOW_master.txt');

describe('CDNOW master log (69,659 purchases of 23,570 customers)', () => {
  const lines = cdnowPath ? readLines(cdnowPath).slice(1) : [];
  const id = new Int32Array(lines.length);
  const date = new Int32Array(lines.length);
  const dollars = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const [c, d, , v] = line.trim().split(/\s+/);
    id[i] = Number(c);
    date[i] = Number(d);
    dollars[i] = Number(v);
  });
  const asOf = '1998-07-01';
  const asOfDay = Date.UTC(1998, 6, 1) / 86_400_000;

  // the independent reference: per customer last day, count and sum, from the raw fields
  const ref = new Map<number, { last: number; count: number; sum: number }>();
  for (let i = 0; i < lines.length; i++) {
    const d = date[i];
    const dayNumber = Date.UTC(Math.floor(d / 10000), (Math.floor(d / 100) % 100) - 1, d % 100) / 86_400_000;
    const e = ref.get(id[i]);
    if (!e) ref.set(id[i], { last: dayNumber, count: 1, sum: dollars[i] });
    else {
      e.last = Math.max(e.last, dayNumber);
      e.count++;
      e.sum += dollars[i];
    }
  }

  it('has the published shape: 69,659 rows and 23,570 customers', () => {
    expect(lines.length).toBe(69_659);
    expect(ref.size).toBe(23_570);
  });

  it('customerSummary matches the independent aggregation for every customer (money to 1e-6)', () => {
    const s = customerSummary({ customer: id, date, amount: dollars }, { asOf });
    expect(s.numRows).toBe(23_570);
    expect(droppedRows(s).total).toBe(0);
    const customers = col(s, 'customer') as number[];
    const recency = col(s, 'recency') as number[];
    const count = col(s, 'count') as number[];
    const monetary = col(s, 'monetary') as number[];
    customers.forEach((c, k) => {
      const e = ref.get(c)!;
      expect(recency[k]).toBe(asOfDay - e.last);
      expect(count[k]).toBe(e.count);
      expect(Math.abs(monetary[k] - e.sum)).toBeLessThan(1e-6);
    });
  });

  it('rfm quintile scores equal R quantile(type 7) + findInterval(left.open) computed from the raw file', () => {
    const scored = rfm({ customer: id, date, amount: dollars }, { asOf });
    const customers = col(scored, 'customer') as number[];
    const refs = customers.map((c) => ref.get(c)!);
    const rec = refs.map((e) => asOfDay - e.last);
    const freq = refs.map((e) => e.count);
    const mon = col(scored, 'monetary') as number[]; // compared above; reuse the exact sums to avoid tie flips
    const breaks = (x: number[]) => [1, 2, 3, 4].map((j) => rQuantile7(x, j / 5));
    const rb = breaks(rec);
    const fb = breaks(freq);
    const mb = breaks(mon);
    const r = col(scored, 'r') as number[];
    const f = col(scored, 'f') as number[];
    const m = col(scored, 'm') as number[];
    let mismatches = 0;
    customers.forEach((_, k) => {
      if (r[k] !== 5 - findIntervalLeftOpen(rec[k], rb)) mismatches++;
      if (f[k] !== 1 + findIntervalLeftOpen(freq[k], fb)) mismatches++;
      if (m[k] !== 1 + findIntervalLeftOpen(mon[k], mb)) mismatches++;
    });
    expect(mismatches).toBe(0);
    // heavy ties, as the issue warns: about half of CDNOW customers never come back
    const oneTime = freq.filter((x) => x === 1).length / freq.length;
    expect(oneTime).toBeGreaterThan(0.45);
    expect(new Set(f.filter((_, k) => freq[k] === 1))).toEqual(new Set([1]));
  });

  it('abc and topShare agree with a plain sort of customer revenue', () => {
    const sums = [...ref.values()].map((e) => e.sum).sort((a, b) => b - a);
    const total = sums.reduce((a, b) => a + b, 0);
    const top20 = sums.slice(0, Math.floor(0.2 * sums.length)).reduce((a, b) => a + b, 0);
    const summary = customerSummary({ customer: id, date, amount: dollars });
    const monetary = summary.getChild('monetary')!;
    // 0.2 × 23,570 = 4,714 customers exactly, so no interpolation is involved
    expect(topShare(monetary, 0.2)).toBeCloseTo(top20 / total, 9);
    const classes = abc(summary, { key: 'customer', value: 'monetary' });
    let before = 0;
    let expectedA = 0;
    for (const v of sums) {
      if (before < 0.8 * total) expectedA++;
      before += v;
    }
    expect((col(classes, 'class') as string[]).filter((c) => c === 'A').length).toBe(expectedA);
  });
});

const retailPath = dataset('online_retail_sample.csv');

describe('Online Retail sample (dirty: missing customers, cancellations)', () => {
  const lines = retailPath ? readLines(retailPath) : [];
  const header = lines.length ? splitCsvLine(lines[0]) : [];
  const rows = lines.slice(1).map(splitCsvLine);
  const at = (name: string) => header.indexOf(name);
  const customer = rows.map((r) => (r[at('CustomerID')] === '' ? null : r[at('CustomerID')]));
  const date = rows.map((r) => r[at('InvoiceDate')]);
  const amount = rows.map((r) => Number(r[at('Quantity')]) * Number(r[at('UnitPrice')]));

  it('counts every dropped row by reason, and totals of kept rows are unchanged', () => {
    expect(rows.length).toBe(30_000);
    const s = customerSummary({ customer, date, amount }, { returns: 'exclude' });
    const report = droppedRows(s);
    const noCustomer = customer.filter((c) => c === null).length;
    const returns = customer.filter((c, i) => c !== null && amount[i] < 0).length;
    expect(noCustomer).toBeGreaterThan(0);
    expect(returns).toBeGreaterThan(0);
    expect(report.dropped).toEqual({ nullCustomer: noCustomer, negativeAmount: returns });
    expect(report.kept + report.total).toBe(30_000);
    const keptTotal = amount.reduce((sum, a, i) => (customer[i] !== null && a >= 0 ? sum + a : sum), 0);
    const monetary = col(s, 'monetary') as number[];
    expect(monetary.reduce((a, b) => a + b, 0)).toBeCloseTo(keptTotal, 4);
    const distinct = new Set(customer.filter((c, i) => c !== null && amount[i] >= 0));
    expect(s.numRows).toBe(distinct.size);
  });

  it('drops and counts returns by default, and keeps them in the totals with returns: keep', () => {
    const known = (i: number) => customer[i] !== null;
    const negative = amount.filter((a, i) => known(i) && a < 0).length;
    const s = customerSummary({ customer, date, amount });
    expect(droppedRows(s).dropped).toEqual({
      nullCustomer: customer.filter((c) => c === null).length,
      ...(negative > 0 ? { negativeAmount: negative } : {}),
    });
    const gross = amount.reduce((sum, a, i) => (known(i) && a >= 0 ? sum + a : sum), 0);
    expect((col(s, 'monetary') as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(gross, 4);
    const kept = customerSummary({ customer, date, amount }, { returns: 'keep' });
    expect(droppedRows(kept).dropped).toEqual({ nullCustomer: customer.filter((c) => c === null).length });
    const net = amount.reduce((sum, a, i) => (known(i) ? sum + a : sum), 0);
    expect((col(kept, 'monetary') as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(net, 4);
  });
});
