import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationRules, baskets, frequentItemsets, kmeans, rfm, sampleStore } from '../../src/index';
import { readTable } from '../../src/io/index';

/**
 * The package as a browser app gets it: `import … from 'clientele'` bundled by esbuild for the browser with no
 * `--external` flag (the "browser" condition of package.json's exports picks dist/browser/, which imports no Node
 * built-in), the bundle opened in headless Chromium, two CSV files chosen through `<input type=file>` (set by the
 * driver, as a user would pick them), read from the File's bytes with `readTable`, then RFM, k-means and
 * association rules run in the page. Node runs the same calls on the same files from their paths; the results must
 * agree: exactly for RFM scores, itemset and rule counts, to 1e-9 (relative) for the k-means inertia.
 *
 * The package is resolved as an installed one: `node_modules/clientele` in a scratch app is a link to this
 * repository, esbuild keeps the link's path (so clientele sits inside node_modules, as after `npm install`), and the
 * runtime dependencies come from the repository's node_modules. Needs dist/ (npm test builds it first) and
 * /usr/bin/chromium (or CLIENTELE_CHROMIUM); without the browser it skips unless CLIENTELE_REQUIRE_BROWSER=1.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CLIENTELE_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const required = process.env.CLIENTELE_REQUIRE_BROWSER === '1';

describe.runIf(!hasBrowser && required)('browser bundle in headless Chromium (required)', () => {
  it(`needs ${CHROMIUM}`, () => {
    expect.fail(`CLIENTELE_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist; install it (apt-get install chromium)`);
  });
});

/** What the page computes and hands back (plain JSON). */
interface PageResult {
  customers: string[];
  r: number[];
  f: number[];
  m: number[];
  segment: string[];
  threadedSegment: string[];
  inertia: number;
  sizes: number[];
  itemsets: number;
  rules: number;
  ruleKeys: string[];
  pathError: { name: string; code: string; message: string };
}

/** The page: two file inputs and a function that reads them and runs the analyses (runs in Chromium). */
const PAGE_SOURCE = `
import { associationRules, baskets, frequentItemsets, kmeans, readTable, rfm } from 'clientele';

const bytesOf = async (id) => new Uint8Array(await document.getElementById(id).files[0].arrayBuffer());
const list = (table, name) => Array.from(table.getChild(name).toArray(), (v) => (typeof v === 'bigint' ? Number(v) : v));

globalThis.__run = async () => {
  const tx = await readTable(await bytesOf('transactions'));
  const scored = rfm(tx, { customer: 'customer', date: 'date', amount: 'amount', asOf: '2025-01-01' });
  const seg = kmeans(scored, { columns: ['recency', 'frequency', 'monetary'], k: 4, seed: 7 });
  // no worker threads in a page: parallel: n runs in the page's thread, with the same result
  const threaded = await rfm(tx, { customer: 'customer', date: 'date', amount: 'amount', asOf: '2025-01-01', parallel: 2, minRowsPerWorker: 1 });
  const lines = await readTable(await bytesOf('items'));
  const sets = frequentItemsets(baskets(lines, { transaction: 'transaction', item: 'item' }), { minSupport: 0.02 });
  const rules = associationRules(sets, { minConfidence: 0.3 });
  let pathError;
  try {
    await readTable('transactions.csv');
  } catch (e) {
    pathError = { name: e.name, code: e.code, message: e.message };
  }
  return {
    customers: list(scored, 'customer'),
    r: list(scored, 'r'),
    f: list(scored, 'f'),
    m: list(scored, 'm'),
    segment: list(scored, 'segment'),
    threadedSegment: list(threaded, 'segment'),
    inertia: seg.inertia,
    sizes: Array.from(seg.sizes),
    itemsets: sets.numRows,
    rules: rules.numRows,
    ruleKeys: rules.toArray().map((row) => JSON.stringify([row.antecedent.toArray(), row.consequent.toArray()])),
    pathError,
  };
};
globalThis.__ready = true;
`;

const list = (table: Table, name: string): unknown[] =>
  Array.from(table.getChild(name)!.toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));

/** CSV text written here by hand (not by clientele's writer): ISO dates, plain numbers, no quoting needed. */
function writeCsvFiles(dir: string): { transactions: string; items: string } {
  const store = sampleStore({ customers: 800, seed: 11, acquisitionDays: 540 });
  const t = store.transactions;
  const ids = list(t, 'transaction');
  const customers = list(t, 'customer');
  const dates = list(t, 'date') as number[];
  const amounts = list(t, 'amount');
  const tx = ['transaction,customer,date,amount'];
  for (let i = 0; i < t.numRows; i++) {
    tx.push(`${ids[i]},${customers[i]},${new Date(dates[i]).toISOString().slice(0, 10)},${amounts[i]}`);
  }
  const b = store.basketItems;
  const bIds = list(b, 'transaction');
  const items = b.getChild('item')!;
  const lines = ['transaction,item'];
  for (let i = 0; i < b.numRows; i++) lines.push(`${bIds[i]},${items.get(i)}`);
  const transactions = join(dir, 'transactions.csv');
  const itemsFile = join(dir, 'basket-items.csv');
  writeFileSync(transactions, tx.join('\n') + '\n');
  writeFileSync(itemsFile, lines.join('\n') + '\n');
  return { transactions, items: itemsFile };
}

/** The same calls in Node, on the same files read from their paths. */
async function nodeResult(files: { transactions: string; items: string }) {
  const tx = await readTable(files.transactions);
  const scored = rfm(tx, { customer: 'customer', date: 'date', amount: 'amount', asOf: '2025-01-01' });
  const seg = kmeans(scored, { columns: ['recency', 'frequency', 'monetary'], k: 4, seed: 7 });
  const lines = await readTable(files.items);
  const sets = frequentItemsets(baskets(lines, { transaction: 'transaction', item: 'item' }), { minSupport: 0.02 });
  const rules = associationRules(sets, { minConfidence: 0.3 });
  const ruleKeys = rules
    .toArray()
    .map((row: { antecedent: { toArray(): unknown[] }; consequent: { toArray(): unknown[] } }) =>
      JSON.stringify([row.antecedent.toArray(), row.consequent.toArray()]),
    );
  return {
    customers: list(scored, 'customer'),
    r: list(scored, 'r'),
    f: list(scored, 'f'),
    m: list(scored, 'm'),
    segment: list(scored, 'segment'),
    inertia: seg.inertia,
    sizes: Array.from(seg.sizes),
    itemsets: sets.numRows,
    rules: rules.numRows,
    ruleKeys,
  };
}

type Browser = import('playwright-core').Browser;

describe.runIf(hasBrowser)('browser bundle of the package in headless Chromium', () => {
  let work: string;
  let browser: Browser | undefined;
  let html: string;
  let bundleBytes = 0;
  let warnings: string[] = [];
  let files: { transactions: string; items: string };

  beforeAll(async () => {
    const entry = join(ROOT, 'dist/browser/index.js');
    if (!existsSync(entry)) throw new Error('dist/browser/index.js is missing: build with `npx tsup` (npm test does)');
    if (statSync(join(ROOT, 'package.json')).mtimeMs > statSync(entry).mtimeMs)
      throw new Error('dist/browser/ is older than package.json: rebuild with `npx tsup`');
    work = mkdtempSync(join(tmpdir(), 'clientele-browser-'));
    mkdirSync(join(work, 'node_modules'));
    symlinkSync(ROOT, join(work, 'node_modules', 'clientele'), 'dir');
    writeFileSync(join(work, 'page.js'), PAGE_SOURCE);
    files = writeCsvFiles(work);
    // no `external`: every import must resolve for the browser
    const result = await build({
      entryPoints: [join(work, 'page.js')],
      absWorkingDir: work,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      preserveSymlinks: true,
      nodePaths: [join(ROOT, 'node_modules')],
      logLevel: 'silent',
    });
    warnings = result.warnings.map((w) => w.text);
    const code = result.outputFiles[0].text;
    bundleBytes = result.outputFiles[0].contents.length;
    html =
      '<!doctype html><meta charset="utf-8"><title>clientele in the browser</title>' +
      '<input type="file" id="transactions"><input type="file" id="items">' +
      `<script type="module">${code.replace(/<\/(script)/gi, '<\\/$1')}</script>`;
    writeFileSync(join(work, 'index.html'), html);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 0,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('bundles `clientele` for the browser without --external and without warnings', () => {
    expect(warnings).toEqual([]);
    expect(bundleBytes).toBeGreaterThan(10_000);
    expect(html).not.toMatch(/\brequire\(["'](node:)?(fs|path|url|module|worker_threads)["']\)/);
  });

  it('runs RFM, k-means and association rules on files chosen through <input type=file>, as Node does on the paths', async () => {
    const page = await browser!.newPage();
    const problems: string[] = [];
    const network: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) network.push(r.url());
    });
    await page.goto(pathToFileURL(join(work, 'index.html')).href, { timeout: 0 });
    await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true, null, { timeout: 0 });
    await page.setInputFiles('#transactions', files.transactions);
    await page.setInputFiles('#items', files.items);
    const got = (await page.evaluate(() =>
      (globalThis as unknown as { __run(): Promise<unknown> }).__run(),
    )) as PageResult;
    const want = await nodeResult(files);
    expect(problems).toEqual([]);
    expect(network).toEqual([]);

    expect(got.customers.length).toBeGreaterThan(700);
    expect(got.customers).toEqual(want.customers);
    expect(got.r).toEqual(want.r);
    expect(got.f).toEqual(want.f);
    expect(got.m).toEqual(want.m);
    expect(got.segment).toEqual(want.segment);
    expect(got.threadedSegment).toEqual(want.segment);

    expect(got.sizes.reduce((a, b) => a + b, 0)).toBe(want.customers.length);
    expect(got.sizes).toEqual(want.sizes);
    expect(Math.abs(got.inertia - want.inertia)).toBeLessThanOrEqual(1e-9 * Math.abs(want.inertia));

    expect(want.rules).toBeGreaterThan(0);
    expect(got.itemsets).toBe(want.itemsets);
    expect(got.rules).toBe(want.rules);
    expect([...got.ruleKeys].sort()).toEqual([...want.ruleKeys].sort());

    // a path has no meaning in a browser: the error says to pass the File's bytes instead
    expect(got.pathError.name).toBe('ClienteleError');
    expect(got.pathError.code).toBe('INVALID_INPUT');
    expect(got.pathError.message).toMatch(/^readTable: .*node:fs.*Uint8Array/);
    await page.close();
  });
});
