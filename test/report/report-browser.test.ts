import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTable, sampleStore, sampleSurvey } from '../../src/index';
import { analysisReport, renderReport } from '../../src/report/index';
import type { AnalysisReport } from '../../src/report/index';

/**
 * Opens the report in headless Chromium (Debian's `chromium`) and checks what a reader sees: every chart drawn
 * (no error, a non-empty SVG), the tables with the expected rows, hostile text shown as text. Screenshots go to
 * test/artifacts/ (ignored by git). Without /usr/bin/chromium (or the browser CLIENTELE_CHROMIUM names) the suite is
 * skipped, unless CLIENTELE_REQUIRE_BROWSER=1, when it fails.
 */

const CHROMIUM = process.env.CLIENTELE_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const required = process.env.CLIENTELE_REQUIRE_BROWSER === '1';
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

if (!hasBrowser) {
  const note = `report-browser: ${CHROMIUM} not found — ${required ? 'FAILING because CLIENTELE_REQUIRE_BROWSER=1' : 'skipping the headless-browser checks (install Debian chromium, or set CLIENTELE_REQUIRE_BROWSER=1 to make this a failure)'}`;
  console.warn(note);
}

describe.runIf(!hasBrowser && required)('report in headless Chromium (required)', () => {
  it(`needs ${CHROMIUM}`, () => {
    expect.fail(
      `CLIENTELE_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist; install it (apt-get install chromium) or unset the variable`,
    );
  });
});

interface ChartState {
  total: number;
  rendered: number;
  failed: number;
  errors: { chart: string | null; message: string }[];
  done: boolean;
}

/** The page globals the checks read (the test compiles without the DOM library; these run in the browser). */
interface PageGlobals {
  __clienteleCharts?: ChartState;
  __pwned?: number;
  document: {
    title: string;
    querySelector(selector: string): { textContent: string | null } | null;
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  };
}

type Browser = import('playwright-core').Browser;

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 0, // no limit of its own (30 s by default): a loaded machine may start Chromium slowly
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens a file, records console errors/warnings, page errors and every request that is not to a file:// URL. */
async function open(browser: Browser, file: string) {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const warnings: string[] = [];
  const network: string[] = [];
  tab.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('request', (r) => {
    if (!r.url().startsWith('file:')) network.push(r.url());
  });
  await tab.goto(pathToFileURL(file).href, { timeout: 0 });
  await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).__clienteleCharts?.done === true, null, {
    timeout: 0, // no limit: the test's own 600 s backstop stops a hang
  });
  const state = (await tab.evaluate(() => (globalThis as unknown as PageGlobals).__clienteleCharts)) as ChartState;
  return { page: tab, problems, warnings, network, state };
}

describe.runIf(hasBrowser)('report in headless Chromium', () => {
  let browser: Browser;
  let report: AnalysisReport;
  let file: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const store = sampleStore({ customers: 3000, seed: 42, acquisitionDays: 730 });
    const { survey } = sampleSurvey({ respondents: 600, seed: 3 });
    report = await analysisReport(store.transactions, {
      basketItems: store.basketItems,
      survey,
      k: 'auto',
      title: 'Sample store — customer report',
    });
    file = join(ARTIFACTS, 'report.html');
    writeFileSync(file, report.html);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart without an error, each a non-empty SVG, offline; tables have their rows', async () => {
    const { page, problems, warnings, network, state } = await open(browser, file);
    try {
      expect(problems).toEqual([]);
      expect(warnings, 'vega warnings point at a chart the reader sees wrong').toEqual([]);
      expect(network, 'the report must not need the network').toEqual([]);
      expect(state.errors).toEqual([]);
      const withCharts = report.sections.filter((s) => s.chart !== undefined).length;
      expect(withCharts).toBeGreaterThanOrEqual(12);
      expect(state.total).toBe(withCharts);
      expect(state.rendered).toBe(withCharts);
      expect(await page.getAttribute('html', 'data-charts')).toBe('rendered');

      // every container holds an SVG with a size and drawn marks
      const charts = await page.$$eval('.chart', (els) =>
        els.map((el) => {
          const svg = el.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: el.getAttribute('data-chart'),
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg ? svg.querySelectorAll('path, rect, line, circle, text').length : 0,
            failed: el.classList.contains('chart-failed'),
          };
        }),
      );
      expect(charts.length).toBe(withCharts);
      for (const c of charts) {
        expect(c.failed, c.id!).toBe(false);
        expect(c.width, c.id!).toBeGreaterThan(100);
        expect(c.height, c.id!).toBeGreaterThan(100);
        expect(c.marks, c.id!).toBeGreaterThan(10);
      }

      // each table shows min(rows, maxRows) rows, under its section's heading
      const shown = await page.$$eval('section.report-section', (els) =>
        els.map((el) => ({ title: el.querySelector('h2')!.textContent, rows: el.querySelectorAll('tbody tr').length })),
      );
      expect(shown.map((s) => s.title)).toEqual(report.sections.map((s) => s.title));
      report.sections.forEach((s, k) => {
        const expected = s.table === undefined ? 0 : Math.min(asTable(s.table).numRows, s.maxRows ?? 20);
        expect(shown[k].rows, s.title).toBe(expected);
      });
      // the RFM segments table lists every customer once: its column adds up to the customer count of the store
      const rfmCells = await page.$$eval('#section-2 tbody tr td:nth-child(2)', (tds) =>
        tds.map((td) => Number(td.textContent!.replace(/,/g, ''))),
      );
      expect(rfmCells.reduce((a, b) => a + b, 0)).toBe(3000);

      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('shows hostile text in titles, cells and chart data as text and runs none of it (property sample)', async () => {
    const fragments = [
      '<script>window.__pwned = 1</script>',
      '<img src=x onerror="window.__pwned=1">',
      '</td></tr></table>',
      '&amp;&lt;',
      '"\'',
      '<!--',
      '\u2028',
    ];
    const strings = fc.sample(
      fc
        .array(
          fc.oneof(
            fc.constantFrom(...fragments),
            fc.string({ unit: 'grapheme', maxLength: 6 }),
            fc.constantFrom('<', '>', '&', '"', "'", '\t', '\n'),
          ),
          { minLength: 1, maxLength: 5 },
        )
        .map((p) => p.join(''))
        .filter((s) => s.trim() !== ''),
      { numRuns: 60, seed: 11 },
    );
    const sections = strings.map((s, i) => ({
      title: s,
      table: { [`c${i}`]: [s] },
      chart:
        i % 15 === 0
          ? {
              mark: 'bar',
              data: { values: [{ name: s, n: 1 }] },
              encoding: { x: { field: 'name', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } },
            }
          : undefined,
    }));
    const hostileFile = join(ARTIFACTS, 'hostile.html');
    writeFileSync(hostileFile, await renderReport(sections, { title: strings[0] }));
    const { page, problems, state } = await open(browser, hostileFile);
    try {
      expect(problems).toEqual([]);
      expect(state.errors).toEqual([]);
      expect(state.rendered).toBe(sections.filter((s) => s.chart).length);
      const seen = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        const texts = (selector: string) => Array.from(g.document.querySelectorAll(selector), (el) => el.textContent);
        return {
          pwned: g.__pwned,
          images: g.document.querySelectorAll('img').length,
          titles: texts('h2'),
          cells: texts('td'),
          pageTitle: g.document.title,
          h1: g.document.querySelector('h1')!.textContent,
        };
      });
      expect(seen.pwned).toBeUndefined();
      expect(seen.images).toBe(0);
      expect(seen.titles).toEqual(strings);
      expect(seen.cells).toEqual(strings);
      expect(seen.h1).toBe(strings[0]);
      // <title> text is whitespace-collapsed by document.title, so compare it that way
      expect(seen.pageTitle).toBe(strings[0].replace(/[\t\n\f\r ]+/g, ' ').trim());
    } finally {
      await page.close();
    }
  });
});
