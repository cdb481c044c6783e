import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSummary, droppedRows, rfm, summaryFromTransactions } from '../../src/index';
import { readTable } from '../../src/io/index';
import { analysisReport } from '../../src/report/index';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';

/**
 * Issue 16, line-item logs: the UCI Online Retail sample (30,000 lines; one row per product line, InvoiceNo repeated,
 * amount = Quantity × UnitPrice, cancellations 'C…' with negative quantities, some lines without CustomerID) through
 * the built CLI's rfm, clv, segment, abc and report with one set of flags, the library called directly, and a
 * brute-force computation written here in plain JS over the CSV text: all agree on the customers and on every
 * customer's orders and spend. Before the issue, rfm counted lines (customer 16771: 4 invoices, frequency 15) and
 * kept returns while the report dropped them (3,569 vs 3,546 customers).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli.js');
const FLAGS = [
  '--customer',
  'CustomerID',
  '--date',
  'InvoiceDate',
  '--transaction',
  'InvoiceNo',
  '--quantity',
  'Quantity',
  '--price',
  'UnitPrice',
];
const OPTIONS = {
  customer: 'CustomerID',
  date: 'InvoiceDate',
  transaction: 'InvoiceNo',
  quantity: 'Quantity',
  price: 'UnitPrice',
} as const;

interface Expected {
  /** Kept orders and their summed amount, per customer (id as a number: the file writes 12923.0). */
  orders: Map<number, { count: number; monetary: number; days: Map<string, number> }>;
  /** Orders read (with and without a customer), and those dropped. */
  invoices: number;
  nullCustomer: number;
  returns: number;
}

/** Brute force over the CSV text: group lines by invoice, drop returns (negative orders), count per customer. */
function bruteForce(path: string): Expected {
  const [header, ...lines] = readLines(path).filter((l) => l.length > 0);
  const names = splitCsvLine(header);
  const at = (name: string) => names.indexOf(name);
  const [inv, qty, price, cust, date] = ['InvoiceNo', 'Quantity', 'UnitPrice', 'CustomerID', 'InvoiceDate'].map(at);
  const invoices = new Map<string, { customer: string; day: string; amount: number }>();
  for (const line of lines) {
    const f = splitCsvLine(line);
    const order = invoices.get(f[inv]) ?? { customer: f[cust], day: f[date].slice(0, 10), amount: 0 };
    order.amount += Number(f[qty]) * Number(f[price]);
    invoices.set(f[inv], order);
  }
  const orders: Expected['orders'] = new Map();
  let nullCustomer = 0;
  let returns = 0;
  for (const o of invoices.values()) {
    if (o.customer === '') {
      nullCustomer++;
      continue;
    }
    if (o.amount < 0) {
      returns++;
      continue;
    }
    const id = Number(o.customer);
    const c = orders.get(id) ?? { count: 0, monetary: 0, days: new Map<string, number>() };
    c.count++;
    c.monetary += o.amount;
    c.days.set(o.day, (c.days.get(o.day) ?? 0) + o.amount);
    orders.set(id, c);
  }
  return { orders, invoices: invoices.size, nullCustomer, returns };
}

let dir: string;
let file: string;
let expected: Expected;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000, // only ends a hang
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON rows a command printed, checked to have run cleanly. */
function rowsOf(...args: string[]): Record<string, unknown>[] {
  const r = cli(...args, '--quiet');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

/** Every customer of `rows` with its frequency and monetary, checked against the brute force (money to 1e-6). */
function expectAgreement(rows: readonly Record<string, unknown>[], f: string, m: string, key = 'customer'): void {
  expect(rows.length).toBe(expected.orders.size);
  for (const row of rows) {
    const e = expected.orders.get(row[key] as number);
    expect(e, `customer ${String(row[key])}`).toBeDefined();
    if (f) expect(row[f]).toBe(e!.count);
    expect(Math.abs((row[m] as number) - e!.monetary)).toBeLessThan(1e-6 * Math.max(1, e!.monetary));
  }
}

const column = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);

beforeAll(() => {
  if (!existsSync(CLI))
    throw new Error('dist/cli.js is missing: build it first with `npx tsup` (npm test builds before running vitest)');
  dir = mkdtempSync(join(tmpdir(), 'clientele-retail-'));
  file = dataset('online_retail_sample.csv');
  expected = bruteForce(file);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Online Retail line items: CLI, library and brute force agree (issue 16)', () => {
  it('the brute force sees the shape the issue describes (3,546 customers; 16771 has 4 invoices)', () => {
    expect(expected.orders.size).toBe(3546);
    expect(expected.orders.get(16771)!.count).toBe(4);
  });

  it('library rfm: one row per customer, frequency = its invoices, monetary = Σ quantity × price, returns counted', async () => {
    const table = await readTable(file);
    const scored = rfm(table, OPTIONS);
    const rows = column(scored, 'customer').map((customer, i) => ({
      customer,
      frequency: column(scored, 'frequency')[i],
      monetary: column(scored, 'monetary')[i],
    }));
    expectAgreement(rows, 'frequency', 'monetary');
    expect(droppedRows(scored)).toMatchObject({
      rows: expected.invoices,
      dropped: { nullCustomer: expected.nullCustomer, negativeAmount: expected.returns },
    });
  });

  it('clientele rfm equals the brute force and the library', () => {
    expectAgreement(rowsOf('rfm', file, ...FLAGS), 'frequency', 'monetary');
  });

  it('clientele segment: the same customers, frequency and monetary as rfm', () => {
    expectAgreement(rowsOf('segment', file, ...FLAGS, '--k', '3'), 'frequency', 'monetary');
  });

  it('clientele abc --by customer: the same customers, valued at their spend', () => {
    expectAgreement(rowsOf('abc', file, ...FLAGS), '', 'value', 'key');
  });

  it('clientele clv and summaryFromTransactions: the same customers; repeat purchase days as the brute force', async () => {
    const r = cli('clv', file, ...FLAGS, '--allow-unidentified', '--quiet');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { customers: { customer: number }[] };
    expect(new Set(out.customers.map((c) => c.customer))).toEqual(new Set(expected.orders.keys()));
    const summary = summaryFromTransactions(await readTable(file), OPTIONS);
    const ids = column(summary, 'customer') as number[];
    const frequency = column(summary, 'frequency') as number[];
    expect(ids.length).toBe(expected.orders.size);
    // lifetimes' convention: repeat purchase days (orders of one day are one purchase)
    ids.forEach((id, i) => expect(frequency[i]).toBe(expected.orders.get(id)!.days.size - 1));
  });

  it('clientele report and analysisReport: the overview counts the same customers, orders and revenue', async () => {
    const r = cli('report', file, ...FLAGS, '--item', 'StockCode', '--k', '3', '--out', 'retail.html', '--quiet');
    expect(r.status).toBe(0);
    const html = readFileSync(join(dir, 'retail.html'), 'utf8');
    const orders = [...expected.orders.values()].reduce((n, c) => n + c.count, 0);
    const subtitle = /([\d,]+) customers · ([\d,]+) transactions/.exec(html);
    expect(subtitle).not.toBeNull();
    expect(Number(subtitle![1].replace(/,/g, ''))).toBe(expected.orders.size);
    expect(Number(subtitle![2].replace(/,/g, ''))).toBe(orders);

    const report = await analysisReport(await readTable(file), { ...OPTIONS, item: 'StockCode', k: 3 });
    const overview = report.sections.find((s) => s.title === 'Overview')!;
    const figure = (label: string) => String(overview.figures!.find((f) => f.label === label)!.value);
    expect(Number(figure('Customers').replace(/,/g, ''))).toBe(expected.orders.size);
    expect(Number(figure('Transactions').replace(/,/g, ''))).toBe(orders);
    const revenue = [...expected.orders.values()].reduce((s, c) => s + c.monetary, 0);
    expect(Number(figure('Revenue').replace(/,/g, ''))).toBe(Math.round(revenue));
    const summary = customerSummary(await readTable(file), OPTIONS);
    expect(summary.numRows).toBe(expected.orders.size);
  });
});
